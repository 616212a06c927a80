//! Who may change a channel's quiz. By default anyone in the channel may
//! start, reschedule or stop it; an operator who wants fewer hands on it
//! names the people in `TESTSCOPE_QUIZ_ADMINS` (Slack user ids, comma
//! separated), and only they may use `quiz daily` and `quiz stop`.

use crate::command::QuizCommand;

/// The user ids allowed to change quizzes; empty means everyone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuizAdmins(Vec<String>);

impl QuizAdmins {
    /// Parses `U1,U2`. Slack user ids are letters and digits; anything else
    /// is refused, so that a typo (a name, `@alice`) does not silently lock
    /// everyone out.
    pub fn parse(list: &str) -> Result<QuizAdmins, String> {
        let mut ids = Vec::new();
        for id in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let looks_right = id.len() <= 32
                && id.starts_with(['U', 'W'])
                && id
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
            if !looks_right {
                let shown: String = id.chars().take(40).collect();
                return Err(format!(
                    "TESTSCOPE_QUIZ_ADMINS must list Slack user ids (U... or W..., from a \
                     profile's \"Copy member ID\"), separated by commas; `{shown}` is not one"
                ));
            }
            ids.push(id.to_owned());
        }
        Ok(QuizAdmins(ids))
    }

    /// Whether `user` may run `cmd`. Only the commands that change the
    /// channel's schedule are restricted.
    pub fn allows(&self, user: &str, cmd: &QuizCommand) -> bool {
        let changes = matches!(cmd, QuizCommand::Daily(_) | QuizCommand::Stop);
        !changes || self.0.is_empty() || self.0.iter().any(|id| id == user)
    }

    /// The private answer to someone who may not change the quiz, naming
    /// who can. `command` is the name the command was called by.
    pub fn refusal(&self, command: &str) -> String {
        let names: Vec<String> = self.0.iter().map(|id| format!("<@{id}>")).collect();
        let who = match names.as_slice() {
            [one] => one.clone(),
            [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
            [] => String::new(),
        };
        format!(
            "Only {who} can start, change or stop the quiz here. Ask them, or see the current \
             schedule with `{command} quiz status`."
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_listed_people_may_change_a_quiz_and_everyone_may_read_it() {
        let admins = QuizAdmins::parse(" U1, W2 ,").unwrap();
        assert!(admins.allows("U1", &QuizCommand::Stop));
        assert!(admins.allows("W2", &QuizCommand::Stop));
        assert!(!admins.allows("U3", &QuizCommand::Stop));
        assert!(admins.allows("U3", &QuizCommand::Status));
        assert!(admins.allows("U3", &QuizCommand::Me));
        let open = QuizAdmins::parse("").unwrap();
        assert!(open.allows("U3", &QuizCommand::Stop), "no list: anyone");
    }

    #[test]
    fn the_refusal_names_who_can() {
        let admins = QuizAdmins::parse("U1,U2,U3").unwrap();
        assert_eq!(
            admins.refusal("/scope"),
            "Only <@U1>, <@U2> or <@U3> can start, change or stop the quiz here. Ask them, or \
             see the current schedule with `/scope quiz status`."
        );
    }

    #[test]
    fn a_name_instead_of_an_id_is_refused() {
        let err = QuizAdmins::parse("U1,@alice").unwrap_err();
        assert!(err.contains("`@alice`"), "{err}");
        assert!(QuizAdmins::parse("u1").is_err());
    }
}
