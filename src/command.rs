//! The grammar of `/testscope`: the command's text is parsed here, once, into
//! a [`Command`], and the help text is generated from the same list of
//! commands, so what the help promises is what the parser accepts.
//!
//! The command's name is never assumed: teams rename it (`/tests`,
//! `/scope`), so help is written with the name the request came in under.

use crate::quiz::schedule::Schedule;

/// One `/testscope` request, as the person meant it.
#[derive(Debug, Clone, PartialEq)]
pub enum Command<'a> {
    /// Usage and examples (also an empty command).
    Help,
    /// The decision table.
    Rules,
    /// The trap catalogue.
    Traps,
    /// The team's helpful rate per rule and the latest misses.
    Feedback,
    /// A quiz subcommand.
    Quiz(QuizCommand),
    /// A quiz subcommand that could not be understood; `problem` says why
    /// when there is more to say than "unknown".
    QuizUsage { problem: Option<String> },
    /// Anything else is a change to advise on (the trimmed text).
    Advise(&'a str),
}

/// `/testscope quiz ...`.
#[derive(Debug, Clone, PartialEq)]
pub enum QuizCommand {
    /// A practice question, just for the asker.
    Practice,
    /// Subscribe the channel (or change its schedule).
    Daily(Schedule),
    /// Unsubscribe the channel.
    Stop,
    /// The channel's schedule and how many quizzes went out.
    Status,
    /// The channel's board, all time or this week.
    Leaderboard { week: bool },
    /// The asker's own record.
    Me,
}

/// Parses the text after the command's name. Never fails: words it does not
/// know are a change to advise on, except after `quiz`, where they are a
/// usage mistake (a typo there must not be read as a change).
pub fn parse(text: &str) -> Command<'_> {
    let text = text.trim();
    let mut words = text.split_whitespace();
    let first = words.next().unwrap_or_default().to_lowercase();
    match first.as_str() {
        "" | "help" | "?" | "-h" | "--help" if words.next().is_none() => Command::Help,
        "rules" | "table" if words.next().is_none() => Command::Rules,
        "traps" if words.next().is_none() => Command::Traps,
        "feedback" if words.next().is_none() => Command::Feedback,
        "decision" if text.eq_ignore_ascii_case("decision table") => Command::Rules,
        "quiz" => parse_quiz(&words.collect::<Vec<_>>()),
        _ => Command::Advise(text),
    }
}

fn parse_quiz(words: &[&str]) -> Command<'static> {
    let sub = words.first().map(|w| w.to_lowercase());
    let rest = words.get(1..).unwrap_or_default();
    let quiz = match sub.as_deref() {
        None | Some("practice") => QuizCommand::Practice,
        Some("daily" | "subscribe" | "start") => match Schedule::parse(&rest.join(" ")) {
            Ok(schedule) => QuizCommand::Daily(schedule),
            Err(e) => {
                return Command::QuizUsage {
                    problem: Some(e.to_string()),
                };
            }
        },
        Some("stop" | "unsubscribe" | "off") => QuizCommand::Stop,
        Some("status") => QuizCommand::Status,
        Some("leaderboard" | "scores" | "board") => QuizCommand::Leaderboard {
            week: rest.first().is_some_and(|w| w.eq_ignore_ascii_case("week")),
        },
        Some("me" | "mine" | "stats") => QuizCommand::Me,
        Some(_) => return Command::QuizUsage { problem: None },
    };
    Command::Quiz(quiz)
}

/// Each kind of command, for the help text. The matches below are
/// exhaustive, so a new command cannot be added without its help line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Advise,
    Rules,
    Traps,
    Feedback,
    QuizPractice,
    QuizDaily,
    QuizStop,
    QuizStatus,
    QuizLeaderboard,
    QuizMe,
    Help,
}

impl Kind {
    /// In the order the help lists them.
    pub const ALL: [Kind; 11] = [
        Kind::Advise,
        Kind::Rules,
        Kind::Traps,
        Kind::Feedback,
        Kind::QuizPractice,
        Kind::QuizDaily,
        Kind::QuizStop,
        Kind::QuizStatus,
        Kind::QuizLeaderboard,
        Kind::QuizMe,
        Kind::Help,
    ];

    /// What to type after the command's name, and what it does.
    pub fn usage(self) -> (&'static str, &'static str) {
        match self {
            Kind::Advise => ("<describe your change>", "which tests it needs, and where"),
            Kind::Rules => ("rules", "the decision table"),
            Kind::Traps => ("traps", "common mistakes"),
            Kind::Feedback => (
                "feedback",
                "how helpful answers were, and the latest misses",
            ),
            Kind::QuizPractice => ("quiz", "a practice question, just for you"),
            Kind::QuizDaily => (
                "quiz daily [HH:MM] [zone] [days]",
                "a daily question in this channel",
            ),
            Kind::QuizStop => ("quiz stop", "no more daily questions here"),
            Kind::QuizStatus => ("quiz status", "this channel's schedule"),
            Kind::QuizLeaderboard => ("quiz leaderboard [week]", "who answers best here"),
            Kind::QuizMe => ("quiz me", "your own record"),
            Kind::Help => ("help", "this message"),
        }
    }

    fn is_quiz(self) -> bool {
        matches!(
            self,
            Kind::QuizPractice
                | Kind::QuizDaily
                | Kind::QuizStop
                | Kind::QuizStatus
                | Kind::QuizLeaderboard
                | Kind::QuizMe
        )
    }
}

impl Command<'_> {
    /// The kind of command, for help and metrics.
    pub fn kind(&self) -> Kind {
        match self {
            Command::Help => Kind::Help,
            Command::Rules => Kind::Rules,
            Command::Traps => Kind::Traps,
            Command::Feedback => Kind::Feedback,
            Command::Advise(_) => Kind::Advise,
            Command::QuizUsage { .. } => Kind::QuizPractice,
            Command::Quiz(q) => match q {
                QuizCommand::Practice => Kind::QuizPractice,
                QuizCommand::Daily(_) => Kind::QuizDaily,
                QuizCommand::Stop => Kind::QuizStop,
                QuizCommand::Status => Kind::QuizStatus,
                QuizCommand::Leaderboard { .. } => Kind::QuizLeaderboard,
                QuizCommand::Me => Kind::QuizMe,
            },
        }
    }
}

/// The name to write in help: the one the request used, or `/testscope`
/// when there was none (the terminal, a test).
fn shown_name(command: &str) -> &str {
    let name = command.trim();
    if name.starts_with('/') && name.len() > 1 && !name.contains(char::is_whitespace) {
        name
    } else {
        "/testscope"
    }
}

/// Every command, one per line, under the command's actual name.
pub fn usage_lines(command: &str) -> String {
    lines(command, |_| true)
}

/// The quiz commands only, for a quiz usage mistake.
pub fn quiz_usage(command: &str) -> String {
    format!("Quiz commands:\n{}", lines(command, |k| k.is_quiz()))
}

fn lines(command: &str, keep: impl Fn(Kind) -> bool) -> String {
    let name = shown_name(command);
    Kind::ALL
        .iter()
        .filter(|k| keep(**k))
        .map(|k| {
            let (words, what) = k.usage();
            format!("• `{name} {words}`: {what}")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Replaces `{command}` in a knowledge-base text with the command's name.
pub fn with_name(text: &str, command: &str) -> String {
    text.replace("{command}", shown_name(command))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_help_line_parses_to_the_command_it_describes() {
        for kind in Kind::ALL {
            let (words, _) = kind.usage();
            // Optional arguments are shown in brackets; the bare form must work.
            let typed: String = words
                .split_whitespace()
                .filter(|w| !w.starts_with('['))
                .collect::<Vec<_>>()
                .join(" ");
            let typed = if kind == Kind::Advise {
                "we bumped the learning rate".to_owned()
            } else {
                typed
            };
            assert_eq!(parse(&typed).kind(), kind, "help line {words:?}");
        }
    }

    #[test]
    fn top_level_words_and_their_aliases() {
        assert_eq!(parse(""), Command::Help);
        assert_eq!(parse("  HELP "), Command::Help);
        assert_eq!(parse("--help"), Command::Help);
        assert_eq!(parse("Rules"), Command::Rules);
        assert_eq!(parse("decision table"), Command::Rules);
        assert_eq!(parse("traps"), Command::Traps);
        assert_eq!(parse("feedback"), Command::Feedback);
    }

    #[test]
    fn a_keyword_that_starts_a_sentence_is_a_change_to_advise_on() {
        // "rules changed" describes a change; only the bare word is the table.
        assert_eq!(
            parse("rules engine thresholds changed"),
            Command::Advise("rules engine thresholds changed")
        );
        assert_eq!(
            parse("help me scope this pr"),
            Command::Advise("help me scope this pr")
        );
        assert_eq!(
            parse("feedback loop in training"),
            Command::Advise("feedback loop in training")
        );
    }

    #[test]
    fn quiz_subcommands() {
        assert_eq!(parse("quiz"), Command::Quiz(QuizCommand::Practice));
        assert_eq!(parse("QUIZ practice"), Command::Quiz(QuizCommand::Practice));
        assert_eq!(parse("quiz off"), Command::Quiz(QuizCommand::Stop));
        assert_eq!(parse("quiz status"), Command::Quiz(QuizCommand::Status));
        assert_eq!(
            parse("quiz scores Week"),
            Command::Quiz(QuizCommand::Leaderboard { week: true })
        );
        assert_eq!(
            parse("quiz leaderboard"),
            Command::Quiz(QuizCommand::Leaderboard { week: false })
        );
        assert_eq!(parse("quiz stats"), Command::Quiz(QuizCommand::Me));
        let daily = Schedule::parse("10:30 Europe/Berlin mon-fri").unwrap();
        assert_eq!(
            parse("quiz daily 10:30 Europe/Berlin mon-fri"),
            Command::Quiz(QuizCommand::Daily(daily))
        );
    }

    #[test]
    fn quiz_mistakes_say_what_was_wrong() {
        assert_eq!(parse("quiz dayly"), Command::QuizUsage { problem: None });
        let Command::QuizUsage { problem: Some(why) } = parse("quiz daily 25:00") else {
            panic!("a bad time is a usage mistake");
        };
        assert!(why.contains("25:00"), "{why}");
    }

    #[test]
    fn help_uses_the_name_the_command_was_called_by() {
        let help = usage_lines("/scope");
        assert!(help.contains("`/scope rules`"), "{help}");
        assert!(help.contains("`/scope quiz daily"), "{help}");
        assert!(!help.contains("/testscope"), "{help}");
        assert!(usage_lines("").contains("`/testscope traps`"));
        assert!(quiz_usage("/t").starts_with("Quiz commands:\n• `/t quiz`"));
        assert!(!quiz_usage("/t").contains("`/t rules`"));
        assert_eq!(
            with_name("try `{command} quiz`", "/tests"),
            "try `/tests quiz`"
        );
    }
}
