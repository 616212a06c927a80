//! The App Home tab: built afresh each time someone opens it, in the
//! background (the event is acknowledged first), and published with
//! `views.publish`. It shows how to ask, the person's quiz record in each
//! channel with a quiz, when each quiz posts next in its own zone, and how
//! helpful the team found the answers.

use jiff::Timestamp;
use serde_json::{Value, json};

use super::AppState;
use crate::kb::KnowledgeBase;
use crate::quiz::schedule::Schedule;
use crate::quiz::stats;
use crate::render::Block;
use crate::store::{Feedback, Verdict};

/// Most channels listed; Slack allows 100 blocks in a Home view.
const CHANNELS_SHOWN: usize = 20;

/// One channel's quiz as the Home tab shows it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ChannelQuiz {
    pub(crate) channel: String,
    /// "Thu 26 Nov, 09:00 CET" in the channel's zone.
    pub(crate) next_post: String,
    /// The person's standing there, with their rank, if they answered.
    pub(crate) mine: Option<(usize, stats::Standing)>,
}

/// Gathers what the Home tab shows for `user` and publishes it.
pub(super) async fn publish(state: &AppState, user: &str) {
    let now = state.clock.now();
    let at = Timestamp::from_second(now).unwrap_or(Timestamp::UNIX_EPOCH);
    let subs = state.store.subscriptions().await.unwrap_or_default();
    let mut channels = Vec::new();
    for sub in subs.iter().take(CHANNELS_SHOWN) {
        let Ok(schedule) = Schedule::parse(&sub.schedule) else {
            continue;
        };
        let posts = state
            .store
            .quiz_posts(&sub.channel_id)
            .await
            .unwrap_or_default();
        let answers = state
            .store
            .quiz_answers(&sub.channel_id)
            .await
            .unwrap_or_default();
        let today = schedule.local_date(at).to_string();
        let board = stats::leaderboard(&posts, &answers, &today);
        let mine = board
            .into_iter()
            .enumerate()
            .find(|(_, s)| s.user_id == user)
            .map(|(i, s)| (i + 1, s));
        channels.push(ChannelQuiz {
            channel: sub.channel_id.clone(),
            next_post: schedule
                .next_post(at)
                .strftime("%a %-d %b, %H:%M %Z")
                .to_string(),
            mine,
        });
    }
    let votes = state.store.feedback_votes().await.unwrap_or_default();
    let view = home_view(&state.kb, &channels, &votes);
    if let Err(e) = state.slack.publish_view(user, &view).await {
        tracing::warn!(error = %e, "could not publish the Home tab");
    }
}

/// The Home view. Pure, so its shape is snapshot-tested.
pub(crate) fn home_view(kb: &KnowledgeBase, channels: &[ChannelQuiz], votes: &[Feedback]) -> Value {
    let examples: Vec<String> = kb
        .messages
        .examples
        .iter()
        .take(4)
        .map(|e| format!("• `/testscope {e}`"))
        .collect();
    let mut blocks = vec![
        Block::header("testscope"),
        Block::section(format!(
            "Describe a change and I say which tests it needs and in which stage. Use `/testscope` anywhere, \
             mention me in a review thread, or write to me here in Messages.\n{}",
            examples.join("\n")
        )),
        Block::Divider,
        Block::header("Your quiz record"),
    ];
    let records: Vec<String> = channels
        .iter()
        .filter_map(|c| {
            c.mine.as_ref().map(|(rank, s)| {
                format!(
                    "• <#{}>: {} answered, {} correct ({:.0}%), streak {}, rank {rank}",
                    c.channel,
                    s.answered,
                    s.correct,
                    s.accuracy() * 100.0,
                    s.streak
                )
            })
        })
        .collect();
    blocks.push(Block::section(&if records.is_empty() {
        "You have not answered a quiz question yet. Try `/testscope quiz` for a practice question."
            .to_owned()
    } else {
        records.join("\n")
    }));
    blocks.push(Block::header("Quizzes"));
    let schedules: Vec<String> = channels
        .iter()
        .map(|c| format!("• <#{}>: next question {}", c.channel, c.next_post))
        .collect();
    blocks.push(Block::section(&if schedules.is_empty() {
        "No channel has a daily quiz yet. Start one with `/testscope quiz daily` in a channel."
            .to_owned()
    } else {
        schedules.join("\n")
    }));
    blocks.push(Block::header("How the answers fare"));
    let helpful = votes
        .iter()
        .filter(|v| v.verdict == Verdict::Helpful)
        .count();
    blocks.push(Block::section(&if votes.is_empty() {
        "No feedback yet. Use Helpful and Not quite under an answer.".to_owned()
    } else {
        format!(
            "{helpful} of {} answers rated helpful. `/testscope feedback` shows the rate per rule and the latest misses.",
            votes.len()
        )
    }));
    json!({"type": "home", "blocks": blocks})
}
