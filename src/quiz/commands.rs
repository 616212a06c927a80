//! `/testscope quiz ...`: subscribe, stop, status, leaderboard, your record,
//! or a practice question.

use crate::render::{Block, Message};
use jiff::Timestamp;

use super::message::{self, fill};
use super::runner::QuizCtx;
use super::schedule::Schedule;
use super::stats;
use crate::command::QuizCommand;
use crate::store::{QuizAnswer, QuizPost, Subscription};

/// Who asked, and where.
pub struct Asker<'a> {
    pub team_id: &'a str,
    pub channel_id: &'a str,
    pub user_id: &'a str,
}

fn fnv_mix(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn ephemeral(text: &str) -> Message {
    Message::text(text).ephemeral()
}

fn next_post_text(schedule: &Schedule, now: i64) -> String {
    let at = Timestamp::from_second(now).unwrap_or(Timestamp::UNIX_EPOCH);
    schedule
        .next_post(at)
        .strftime("%a %-d %b, %H:%M %Z")
        .to_string()
}

/// How long subscribing waits for Slack to say whether the bot can post.
const ACCESS_CHECK: std::time::Duration = std::time::Duration::from_millis(1500);

/// Why the quiz could not be posted in `channel`, if Slack says so. When
/// Slack does not answer in time or the app lacks the scope to ask
/// (installed before it was added), the subscription goes ahead: a post
/// refused later pauses it and tells the subscriber.
async fn cannot_post_in(ctx: QuizCtx<'_>, channel: &str) -> Option<String> {
    if !ctx.slack.has_token() {
        return Some(
            "I cannot post the quiz: no bot token is configured. Ask whoever runs testscope to \
             set SLACK_BOT_TOKEN."
                .to_owned(),
        );
    }
    let params = [("channel", channel)];
    let asked = ctx.slack.call_form("conversations.info", &params);
    match tokio::time::timeout(ACCESS_CHECK, asked).await {
        Ok(Ok(info)) => {
            let c = &info["channel"];
            let flag = |name: &str| c[name].as_bool().unwrap_or(false);
            if flag("is_archived") {
                Some(super::runner::refusal_fix(channel, "is_archived"))
            } else if !flag("is_im") && c["is_member"].as_bool() == Some(false) {
                Some(format!(
                    "I am not a member of <#{channel}>, so I could not post the quiz here. \
                     Invite me with `/invite @testscope`, then run this command again."
                ))
            } else {
                None
            }
        }
        Ok(Err(e)) if e.is_not_in_channel() => Some(
            "I cannot see this conversation, so I could not post the quiz here (a direct message \
             between people, or a private channel I am not in). Invite me with `/invite @testscope` \
             or subscribe a channel."
                .to_owned(),
        ),
        Ok(Err(e)) if e.is_auth_error() => {
            Some(super::runner::refusal_fix(channel, e.code().unwrap_or("invalid_auth")))
        }
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "could not check the channel before subscribing; subscribing anyway");
            None
        }
        Err(_) => {
            tracing::warn!("Slack did not say in time whether I can post here; subscribing anyway");
            None
        }
    }
}

/// What a quiz command gives: the private reply, and for a change to the
/// channel's schedule, the line that tells the whole channel about it.
pub struct Answer {
    pub reply: Message,
    /// Posted in the channel (`chat.postMessage`) by the caller, after the
    /// reply, so that one slow post cannot hold up Slack's three seconds.
    pub announcement: Option<String>,
}

/// The channel hears who changed its quiz and how. Service wording.
const ANNOUNCE_SCHEDULED: &str = "<@{user}> scheduled this channel's quiz: a question {days} at {time} ({zone}). Next one: {next}.";
const ANNOUNCE_STOPPED: &str = "<@{user}> stopped this channel's quiz.";

/// Answers a quiz command, parsed by [`crate::command`]: the private reply.
pub async fn handle(ctx: QuizCtx<'_>, asker: &Asker<'_>, cmd: &QuizCommand, now: i64) -> Message {
    answer(ctx, asker, cmd, now).await.reply
}

/// Answers a quiz command, with the channel's announcement when the
/// schedule changed (subscribed, rescheduled or stopped).
pub async fn answer(ctx: QuizCtx<'_>, asker: &Asker<'_>, cmd: &QuizCommand, now: i64) -> Answer {
    let announce = |template: &str, schedule: Option<&Schedule>| {
        let text = template.replace("{user}", asker.user_id);
        match schedule {
            Some(s) => describe(&text, s, now, 0),
            None => text,
        }
    };
    let announcement = match cmd {
        QuizCommand::Daily(schedule) => Some(announce(ANNOUNCE_SCHEDULED, Some(schedule))),
        QuizCommand::Stop => Some(announce(ANNOUNCE_STOPPED, None)),
        _ => None,
    };
    let (reply, changed) = reply(ctx, asker, cmd, now).await;
    Answer {
        reply,
        announcement: announcement.filter(|_| changed),
    }
}

/// The private reply, and whether the channel's schedule changed.
async fn reply(
    ctx: QuizCtx<'_>,
    asker: &Asker<'_>,
    cmd: &QuizCommand,
    now: i64,
) -> (Message, bool) {
    let t = &ctx.kb.messages.quiz;
    let reply = match cmd {
        QuizCommand::Practice => {
            // A different question each minute, and per person, with no state to keep.
            let n = ctx.kb.quiz.len().max(1) as u64;
            let pick = (fnv_mix(asker.user_id) ^ (now as u64 / 60)) % n;
            match ctx.kb.quiz.get(pick as usize) {
                Some(q) => message::practice(ctx.kb, q),
                None => ephemeral(&t.usage),
            }
        }
        QuizCommand::Daily(schedule) => {
            if let Some(refusal) = cannot_post_in(ctx, asker.channel_id).await {
                return (ephemeral(&refusal), false);
            }
            let record = Subscription {
                channel_id: asker.channel_id.to_owned(),
                team_id: asker.team_id.to_owned(),
                schedule: schedule.to_string(),
                source: "slack".to_owned(),
                created_by: Some(asker.user_id.to_owned()),
                created_at: now,
            };
            if let Err(e) = ctx.store.upsert_subscription(&record).await {
                tracing::error!(error = %e, "could not save a quiz subscription");
                return (
                    ephemeral(
                        "Sorry, I could not save that right now. Please try again in a minute.",
                    ),
                    false,
                );
            }
            return (ephemeral(&describe(&t.subscribed, schedule, now, 0)), true);
        }
        QuizCommand::Stop => match ctx.store.remove_subscription(asker.channel_id).await {
            Ok(true) => return (ephemeral(&t.unsubscribed), true),
            Ok(false) => ephemeral(&t.not_subscribed),
            Err(e) => {
                tracing::error!(error = %e, "could not remove a quiz subscription");
                ephemeral("Sorry, I could not do that right now. Please try again in a minute.")
            }
        },
        QuizCommand::Status => {
            let subs = ctx.store.subscriptions().await.unwrap_or_default();
            match subs.iter().find(|s| s.channel_id == asker.channel_id) {
                Some(s) => match Schedule::parse(&s.schedule) {
                    Ok(schedule) => {
                        let posted = ctx
                            .store
                            .quiz_posts(asker.channel_id)
                            .await
                            .map(|p| p.iter().filter(|p| p.message_ts.is_some()).count())
                            .unwrap_or(0);
                        let mut text = describe(&t.status, &schedule, now, posted);
                        let paused = ctx.store.paused_subscriptions().await.unwrap_or_default();
                        if let Some((_, code)) =
                            paused.iter().find(|(ch, _)| ch == asker.channel_id)
                        {
                            text = format!(
                                "{text}\n*Paused.* {}",
                                super::runner::refusal_fix(asker.channel_id, code)
                            );
                        }
                        ephemeral(&text)
                    }
                    Err(e) => ephemeral(&e.to_string()),
                },
                None => ephemeral(&t.not_subscribed),
            }
        }
        QuizCommand::Leaderboard { week: true } => {
            let (board, monday) = week_standings(ctx, asker, now).await;
            if board.is_empty() {
                return (ephemeral(&t.leaderboard_week_empty), false);
            }
            let lines: Vec<String> = board
                .iter()
                .take(10)
                .enumerate()
                .map(|(i, s)| {
                    format!(
                        "{}. <@{}> — {} of {} correct",
                        i + 1,
                        s.user_id,
                        s.correct,
                        s.answered
                    )
                })
                .collect();
            let header = fill(&t.leaderboard_week_header, &[("monday", &monday)]);
            board_message(&header, &lines)
        }
        QuizCommand::Leaderboard { week: false } => {
            let (board, _) = standings(ctx, asker, now).await;
            if board.is_empty() {
                return (ephemeral(&t.leaderboard_empty), false);
            }
            let lines: Vec<String> = board
                .iter()
                .take(10)
                .enumerate()
                .map(|(i, s)| {
                    format!(
                        "{}. <@{}> — {} correct, {:.0}% accuracy, streak {}",
                        i + 1,
                        s.user_id,
                        s.correct,
                        s.accuracy() * 100.0,
                        s.streak
                    )
                })
                .collect();
            board_message(&t.leaderboard_header, &lines)
        }
        QuizCommand::Me => {
            let (board, _) = standings(ctx, asker, now).await;
            match board.iter().find(|s| s.user_id == asker.user_id) {
                Some(s) => ephemeral(&fill(
                    &t.me,
                    &[
                        ("correct", &s.correct.to_string()),
                        ("answered", &s.answered.to_string()),
                        ("percent", &format!("{:.0}", s.accuracy() * 100.0)),
                        ("streak", &s.streak.to_string()),
                    ],
                )),
                None => ephemeral(&t.me_empty),
            }
        }
    };
    (reply, false)
}

fn board_message(header: &str, lines: &[String]) -> Message {
    Message::new(
        header,
        vec![Block::header(header), Block::section(lines.join("\n"))],
    )
    .ephemeral()
}

/// This week's board in the asker's channel, and the week's Monday. The
/// week is the one "now" falls in, in the zone of the channel's schedule.
async fn week_standings(
    ctx: QuizCtx<'_>,
    asker: &Asker<'_>,
    now: i64,
) -> (Vec<stats::Standing>, String) {
    let (posts, answers, today) = channel_record(ctx, asker.channel_id, now).await;
    let monday = stats::week_start(today);
    (
        stats::weekly_leaderboard(&posts, &answers, monday),
        monday.strftime("%a %-d %b %Y").to_string(),
    )
}

/// The channel's schedule, or the default one (UTC) when it has none.
async fn channel_schedule(ctx: QuizCtx<'_>, channel: &str) -> Schedule {
    let subs = ctx.store.subscriptions().await.unwrap_or_default();
    subs.iter()
        .find(|s| s.channel_id == channel)
        .and_then(|s| Schedule::parse(&s.schedule).ok())
        .unwrap_or_else(Schedule::default_schedule)
}

/// A channel's posts and answers, and today's date in its schedule's zone:
/// what every leaderboard is computed from.
async fn channel_record(
    ctx: QuizCtx<'_>,
    channel: &str,
    now: i64,
) -> (Vec<QuizPost>, Vec<QuizAnswer>, jiff::civil::Date) {
    let posts = ctx.store.quiz_posts(channel).await.unwrap_or_default();
    let answers = ctx.store.quiz_answers(channel).await.unwrap_or_default();
    let schedule = channel_schedule(ctx, channel).await;
    let at = Timestamp::from_second(now).unwrap_or(Timestamp::UNIX_EPOCH);
    (posts, answers, schedule.local_date(at))
}

async fn standings(
    ctx: QuizCtx<'_>,
    asker: &Asker<'_>,
    now: i64,
) -> (Vec<stats::Standing>, String) {
    let (posts, answers, today) = channel_record(ctx, asker.channel_id, now).await;
    let today = today.to_string();
    (stats::leaderboard(&posts, &answers, &today), today)
}

fn describe(template: &str, schedule: &Schedule, now: i64, posted: usize) -> String {
    let shown = schedule.to_string();
    let mut parts = shown.splitn(3, ' ');
    let time = parts.next().unwrap_or_default().to_owned();
    let zone = parts.next().unwrap_or_default().to_owned();
    let days = match schedule.days() {
        super::schedule::Days::MON_FRI => "Monday to Friday".to_owned(),
        super::schedule::Days::EVERY_DAY => "every day".to_owned(),
        other => format!("on {other}"),
    };
    fill(
        template,
        &[
            ("days", &days),
            ("time", &time),
            ("zone", &zone),
            ("next", &next_post_text(schedule, now)),
            ("posted", &posted.to_string()),
        ],
    )
}
