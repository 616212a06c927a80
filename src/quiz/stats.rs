//! Scores from stored answers: the leaderboard, a person's record, streaks.
//! Pure functions over the store's rows, so the rules are tested exactly.

use std::collections::{BTreeMap, HashSet};

use jiff::ToSpan;
use jiff::civil::Date;

use crate::store::{QuizAnswer, QuizPost};

/// One person's standing in a channel.
#[derive(Debug, Clone, PartialEq)]
pub struct Standing {
    pub user_id: String,
    pub correct: u32,
    pub answered: u32,
    /// Consecutive quiz days, newest first, answered correctly.
    pub streak: u32,
}

impl Standing {
    /// Share of answers that were right, 0.0 to 1.0.
    pub fn accuracy(&self) -> f64 {
        if self.answered == 0 {
            0.0
        } else {
            f64::from(self.correct) / f64::from(self.answered)
        }
    }
}

/// Everyone who answered in a channel, best first: most correct answers,
/// then accuracy, then the longer streak; ties in name order so the board is
/// stable.
pub fn leaderboard(posts: &[QuizPost], answers: &[QuizAnswer], today: &str) -> Vec<Standing> {
    let mut by_user: BTreeMap<&str, (u32, u32)> = BTreeMap::new();
    for a in answers {
        let e = by_user.entry(&a.user_id).or_default();
        e.1 += 1;
        if a.correct {
            e.0 += 1;
        }
    }
    let mut board: Vec<Standing> = by_user
        .into_iter()
        .map(|(user, (correct, answered))| Standing {
            user_id: user.to_owned(),
            correct,
            answered,
            streak: streak(posts, answers, user, today),
        })
        .collect();
    board.sort_by(|a, b| {
        b.correct
            .cmp(&a.correct)
            .then(b.accuracy().total_cmp(&a.accuracy()))
            .then(b.streak.cmp(&a.streak))
            .then(a.user_id.cmp(&b.user_id))
    });
    board
}

/// The Monday of the week `date` falls in (weeks start on Monday).
pub fn week_start(date: Date) -> Date {
    let back = i64::from(date.weekday().to_monday_zero_offset());
    date.checked_sub(back.days()).unwrap_or(date)
}

/// The week's board: answers to the questions posted from `monday` to the
/// Sunday after it (local dates in the channel's zone, as the posts carry
/// them), best first by the same order as the all-time board. Streaks span
/// weeks, so they are left at 0 here.
pub fn weekly_leaderboard(
    posts: &[QuizPost],
    answers: &[QuizAnswer],
    monday: Date,
) -> Vec<Standing> {
    let week: HashSet<&str> = posts
        .iter()
        .filter(|p| {
            p.local_date
                .parse::<Date>()
                .is_ok_and(|d| week_start(d) == monday)
        })
        .map(|p| p.post_id.as_str())
        .collect();
    let in_week: Vec<QuizAnswer> = answers
        .iter()
        .filter(|a| week.contains(a.post_id.as_str()))
        .cloned()
        .collect();
    let mut board = leaderboard(&[], &in_week, "");
    for s in &mut board {
        s.streak = 0;
    }
    board
}

/// The current streak: walking back over the days a question was actually
/// posted, how many in a row this person answered correctly. Days without a
/// post (a weekend on a mon-fri schedule, a day the service was down) are not
/// in the list, so they cannot break a streak; a posted day left unanswered
/// or answered wrongly does. Today's question does not count against anyone
/// while it is still open.
pub fn streak(posts: &[QuizPost], answers: &[QuizAnswer], user: &str, today: &str) -> u32 {
    let mut days: Vec<&QuizPost> = posts
        .iter()
        .filter(|p| p.message_ts.is_some() && p.post_id == p.local_date)
        .collect();
    days.sort_by(|a, b| b.local_date.cmp(&a.local_date));
    let mut n = 0;
    for (i, day) in days.iter().enumerate() {
        let answer = answers
            .iter()
            .find(|a| a.user_id == user && a.post_id == day.post_id);
        match answer {
            Some(a) if a.correct => n += 1,
            None if i == 0 && day.local_date == today => continue,
            _ => break,
        }
    }
    n
}

/// How a channel did on one post: (answered, correct).
pub fn post_result(answers: &[QuizAnswer], post_id: &str) -> (u32, u32) {
    answers
        .iter()
        .filter(|a| a.post_id == post_id)
        .fold((0, 0), |(n, c), a| (n + 1, c + u32::from(a.correct)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(date: &str) -> QuizPost {
        QuizPost {
            channel_id: "C1".into(),
            post_id: date.into(),
            local_date: date.into(),
            question_id: format!("q-{date}"),
            message_ts: Some("1.0".into()),
            posted_at: Some(0),
            closes_at: None,
            closed_at: None,
        }
    }

    fn answer(user: &str, date: &str, correct: bool) -> QuizAnswer {
        QuizAnswer {
            channel_id: "C1".into(),
            post_id: date.into(),
            question_id: format!("q-{date}"),
            user_id: user.into(),
            option: u32::from(!correct),
            correct,
            answered_at: 0,
        }
    }

    #[test]
    fn leaderboard_orders_by_correct_then_accuracy() {
        let posts = vec![post("2026-11-23"), post("2026-11-24"), post("2026-11-25")];
        let answers = vec![
            // ana: 2 correct of 3; bo: 2 correct of 2; cy: 1 of 1; dee: 2 of 3
            answer("ana", "2026-11-23", true),
            answer("ana", "2026-11-24", false),
            answer("ana", "2026-11-25", true),
            answer("bo", "2026-11-24", true),
            answer("bo", "2026-11-25", true),
            answer("cy", "2026-11-25", true),
            answer("dee", "2026-11-23", true),
            answer("dee", "2026-11-24", true),
            answer("dee", "2026-11-25", false),
        ];
        let board = leaderboard(&posts, &answers, "2026-11-25");
        let order: Vec<(&str, u32, u32)> = board
            .iter()
            .map(|s| (s.user_id.as_str(), s.correct, s.streak))
            .collect();
        assert_eq!(
            order,
            [("bo", 2, 2), ("ana", 2, 1), ("dee", 2, 0), ("cy", 1, 1)]
        );
    }

    #[test]
    fn weekends_do_not_break_a_mon_fri_streak_but_a_missed_day_does() {
        // Thu, Fri, (no posts Sat/Sun), Mon, Tue.
        let posts = vec![
            post("2026-11-26"),
            post("2026-11-27"),
            post("2026-11-30"),
            post("2026-12-01"),
        ];
        let all = vec![
            answer("ana", "2026-11-26", true),
            answer("ana", "2026-11-27", true),
            answer("ana", "2026-11-30", true),
            answer("ana", "2026-12-01", true),
        ];
        assert_eq!(streak(&posts, &all, "ana", "2026-12-01"), 4);
        let missed_monday: Vec<_> = all
            .iter()
            .filter(|a| a.post_id != "2026-11-30")
            .cloned()
            .collect();
        assert_eq!(streak(&posts, &missed_monday, "ana", "2026-12-01"), 1);
    }

    #[test]
    fn todays_open_question_does_not_break_the_streak() {
        let posts = vec![post("2026-11-24"), post("2026-11-25")];
        let answers = vec![answer("ana", "2026-11-24", true)];
        assert_eq!(streak(&posts, &answers, "ana", "2026-11-25"), 1);
        // The next day, the unanswered question counts as missed.
        assert_eq!(streak(&posts, &answers, "ana", "2026-11-26"), 0);
    }

    #[test]
    fn a_week_runs_from_monday_to_sunday() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        assert_eq!(week_start(d("2026-11-23")), d("2026-11-23"));
        assert_eq!(week_start(d("2026-11-29")), d("2026-11-23"));
        assert_eq!(week_start(d("2026-12-01")), d("2026-11-30"));
        let posts = vec![post("2026-11-22"), post("2026-11-23"), post("2026-11-29")];
        let answers = vec![
            answer("ana", "2026-11-22", true), // Sunday: last week
            answer("ana", "2026-11-23", false),
            answer("bo", "2026-11-29", true),
        ];
        let board = weekly_leaderboard(&posts, &answers, d("2026-11-23"));
        let rows: Vec<(&str, u32, u32)> = board
            .iter()
            .map(|s| (s.user_id.as_str(), s.correct, s.answered))
            .collect();
        assert_eq!(rows, [("bo", 1, 1), ("ana", 0, 1)]);
    }

    #[test]
    fn post_result_counts_answers_and_correct_ones() {
        let answers = vec![
            answer("a", "d1", true),
            answer("b", "d1", false),
            answer("c", "d2", true),
        ];
        assert_eq!(post_result(&answers, "d1"), (2, 1));
    }
}
