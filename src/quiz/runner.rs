//! Posting the daily quiz exactly once per channel and local day, and
//! recording answers. The store's claim is what makes "once" hold across
//! racing ticks, restarts and replicas; Slack calls happen only after it.

use std::collections::HashSet;

use futures_util::{StreamExt as _, stream};
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use serde_json::json;

use super::message::{self, Reveal};
use super::schedule::{Schedule, ScheduleError};
use super::stats;
use crate::kb::{Difficulty, KnowledgeBase, Question};
use crate::render::{Message, Post};
use crate::slack::api::SlackApi;
use crate::store::{AnswerOutcome, Claim, PostClaim, QuizAnswer, QuizPost, Store, Subscription};

/// What the quiz needs from the service.
#[derive(Clone, Copy)]
pub struct QuizCtx<'a> {
    pub kb: &'a KnowledgeBase,
    pub slack: &'a SlackApi,
    pub store: &'a dyn Store,
}

/// Timing knobs, with defaults suited to production.
#[derive(Debug, Clone, Copy)]
pub struct QuizSettings {
    /// How late a missed post may still be made on the same day.
    pub late_limit: SignedDuration,
    /// How long a claimer may take to post before another may take over.
    pub lease_secs: i64,
    /// How long after a failed post it is tried again.
    pub retry_secs: i64,
    /// How many channels a tick posts to (or closes) at once. Each channel
    /// gets its own post, so Slack's per-channel limit is not the bound;
    /// this keeps a tick with thousands of due channels from holding
    /// thousands of requests (and their messages) in memory, and a rate
    /// limit honoured by one post holds back only its own slot.
    pub concurrency: usize,
}

impl Default for QuizSettings {
    fn default() -> Self {
        QuizSettings {
            late_limit: SignedDuration::from_hours(4),
            lease_secs: 120,
            retry_secs: 60,
            concurrency: 16,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PostOutcome {
    Posted {
        post_id: String,
        question_id: String,
        ts: String,
    },
    AlreadyPosted,
    /// Another task or replica holds the claim right now.
    Busy,
    Failed(String),
    /// Slack refused the post with an error that retrying cannot fix
    /// (`not_in_channel`, `is_archived`, `invalid_auth`, ...).
    Refused {
        code: String,
    },
}

fn timestamp(now: i64) -> Timestamp {
    Timestamp::from_second(now).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// How many of the channel's latest posts decide the next
/// question's difficulty: two, so one bad day after a good run does not
/// swing it, while two in a row do.
const ADAPT_WINDOW: usize = 2;
/// The share of right answers the quiz aims for lies in this band: above
/// it the next question is one level harder, below it one level easier.
const TARGET_BAND: (f64, f64) = (0.6, 0.8);

/// How long after a question most of the channel missed its second
/// phrasing comes back: long enough that the first post's wording is
/// forgotten and the lesson has to be recalled, not the letter.
pub const AGAIN_AFTER_DAYS: i64 = 21;

/// The next question for the channel's post on `today`. A question most of
/// the channel missed comes back first, in its second phrasing (see
/// [`missed_again`]). Otherwise only questions it has seen least often
/// are candidates, so nothing repeats until the bank is used up. Among them
/// it takes the difficulty nearest to the channel's target (see
/// [`target_difficulty`]), in an order that differs per channel but is
/// stable across restarts and replicas.
pub fn choose_question<'a>(
    kb: &'a KnowledgeBase,
    channel: &str,
    today: Date,
    posts: &[QuizPost],
    answers: &[QuizAnswer],
) -> Option<&'a Question> {
    if let Some(again) = missed_again(kb, today, posts, answers) {
        return Some(again);
    }
    let used = |q: &Question| posts.iter().filter(|p| p.question_id == q.id).count();
    let least = kb.quiz.iter().map(used).min()?;
    let target = level(target_difficulty(kb, posts, answers));
    kb.quiz
        .iter()
        .filter(|q| used(q) == least)
        .min_by_key(|q| (level(q.difficulty).abs_diff(target), fnv(channel, &q.id)))
}

/// The second phrasing of the oldest question posted here at least
/// [`AGAIN_AFTER_DAYS`] before `today` that most of the channel got wrong
/// (at least two answers, more than half wrong), unless that phrasing was
/// posted here already: each comes back once.
pub fn missed_again<'a>(
    kb: &'a KnowledgeBase,
    today: Date,
    posts: &[QuizPost],
    answers: &[QuizAnswer],
) -> Option<&'a Question> {
    let cutoff = today
        .checked_sub(jiff::Span::new().days(AGAIN_AFTER_DAYS))
        .ok()?;
    let mut posted: Vec<&QuizPost> = posts.iter().filter(|p| p.message_ts.is_some()).collect();
    posted.sort_by(|a, b| a.post_id.cmp(&b.post_id));
    posted.into_iter().find_map(|p| {
        let day: Date = p.local_date.parse().ok()?;
        if day > cutoff {
            return None;
        }
        let (answered, correct) = stats::post_result(answers, &p.post_id);
        if answered < 2 || 2 * correct >= answered {
            return None;
        }
        let again = kb.question(&p.question_id)?.again.as_deref()?;
        (!posts.iter().any(|o| o.question_id == again.id)).then_some(again)
    })
}

fn level(d: Difficulty) -> u8 {
    match d {
        Difficulty::Easy => 0,
        Difficulty::Medium => 1,
        Difficulty::Hard => 2,
    }
}

/// The difficulty the channel's next question should have, aiming at about
/// 70% right: start at medium; then take the last posted question's
/// difficulty one step harder when the answers to the channel's last two
/// posts were more than 80% right, one step easier when under 60%, the same
/// otherwise (and the same when nobody answered the last post).
pub fn target_difficulty(
    kb: &KnowledgeBase,
    posts: &[QuizPost],
    answers: &[QuizAnswer],
) -> Difficulty {
    let mut posted: Vec<&QuizPost> = posts.iter().filter(|p| p.message_ts.is_some()).collect();
    posted.sort_by(|a, b| b.post_id.cmp(&a.post_id));
    let Some(last) = posted
        .iter()
        .find_map(|p| kb.question(&p.question_id).map(|q| q.difficulty))
    else {
        return Difficulty::Medium;
    };
    // A latest post nobody answered says nothing new; stepping again on the
    // older results would move the difficulty twice for one signal.
    if posted
        .first()
        .is_none_or(|p| stats::post_result(answers, &p.post_id).0 == 0)
    {
        return last;
    }
    let (answered, correct) = posted
        .iter()
        .take(ADAPT_WINDOW)
        .map(|p| stats::post_result(answers, &p.post_id))
        .fold((0, 0), |(n, c), (pn, pc)| (n + pn, c + pc));
    let rate = f64::from(correct) / f64::from(answered);
    let step = if rate > TARGET_BAND.1 {
        1
    } else if rate < TARGET_BAND.0 {
        -1
    } else {
        0
    };
    match (level(last) as i8 + step).clamp(0, 2) {
        0 => Difficulty::Easy,
        1 => Difficulty::Medium,
        _ => Difficulty::Hard,
    }
}

fn fnv(a: &str, b: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in a.bytes().chain([0]).chain(b.bytes()) {
        h ^= u64::from(byte);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Posts `post_id` for `channel` unless it was posted already, and closes
/// the posts before it: this one reveals their answer.
pub async fn post(
    ctx: QuizCtx<'_>,
    channel: &str,
    schedule: &Schedule,
    date: Date,
    post_id: &str,
    now: i64,
    settings: QuizSettings,
) -> PostOutcome {
    let posts = match ctx.store.quiz_posts(channel).await {
        Ok(p) => p,
        Err(e) => return PostOutcome::Failed(e.to_string()),
    };
    if posts
        .iter()
        .any(|p| p.post_id == post_id && p.message_ts.is_some())
    {
        return PostOutcome::AlreadyPosted;
    }
    // Read before the claim: the difficulty follows how the channel did.
    let answers = ctx.store.quiz_answers(channel).await.unwrap_or_default();
    let Some(choice) = choose_question(ctx.kb, channel, date, &posts, &answers) else {
        return PostOutcome::Failed("the question bank is empty".to_owned());
    };
    let claim = PostClaim {
        channel_id: channel.to_owned(),
        post_id: post_id.to_owned(),
        local_date: date.to_string(),
        question_id: choice.id.clone(),
        lease_secs: settings.lease_secs,
    };
    let question = match ctx.store.claim_quiz_post(&claim, now).await {
        Ok(Claim::Claimed { question_id }) => ctx.kb.question(&question_id).unwrap_or(choice),
        Ok(Claim::AlreadyPosted) => return PostOutcome::AlreadyPosted,
        Ok(Claim::Busy) => return PostOutcome::Busy,
        Err(e) => return PostOutcome::Failed(e.to_string()),
    };
    // Read again: answers to the previous post may have come in meanwhile.
    let answers = ctx.store.quiz_answers(channel).await.unwrap_or_default();
    let msg = build_post(ctx.kb, channel, post_id, date, question, &posts, &answers);
    let msg = Post::new(channel, &msg).tagged(json!({
        "event_type": QUIZ_EVENT_TYPE,
        "event_payload": {POST_ID_KEY: post_id},
    }));
    // A row for this post without a message means an earlier attempt did
    // not finish; it may have been posted all the same.
    let earlier_attempt = posts
        .iter()
        .any(|p| p.post_id == post_id && p.message_ts.is_none());
    let day_start = date
        .yesterday()
        .map_or(now, |d| schedule.end_of_day(d).as_second());
    let attempt = Attempt {
        channel,
        post_id,
        now,
        day_start,
    };
    match deliver(ctx, &attempt, &msg, earlier_attempt).await {
        Ok(posted) => {
            let closes_at = schedule.end_of_day(date).as_second();
            if let Err(e) = ctx
                .store
                .mark_quiz_posted(channel, post_id, &posted.ts, now, closes_at)
                .await
            {
                tracing::error!(error = %e, channel, "quiz posted but not recorded");
            }
            tracing::info!(channel, post_id, question = %question.id, "quiz posted");
            crate::telemetry::quiz_post("posted");
            for earlier in posts
                .iter()
                .filter(|p| p.post_id.as_str() < post_id && p.message_ts.is_some())
                .filter(|p| p.closed_at.is_none())
            {
                close(ctx, earlier, now).await;
            }
            PostOutcome::Posted {
                post_id: post_id.to_owned(),
                question_id: question.id.clone(),
                ts: posted.ts,
            }
        }
        Err(e) if e.is_permanent_for_posting() => {
            let code = e.code().unwrap_or("refused").to_owned();
            tracing::error!(channel, post_id, %code, "Slack refuses the quiz post; not retrying");
            crate::telemetry::quiz_post("refused");
            // The claim is given back so that a post resumed later today can
            // still go out.
            if let Err(e) = ctx
                .store
                .release_quiz_claim(channel, post_id, now + settings.retry_secs)
                .await
            {
                tracing::error!(error = %e, "could not release the quiz claim");
            }
            PostOutcome::Refused { code }
        }
        Err(e) => {
            tracing::warn!(error = %e, channel, post_id, "quiz post failed; will retry");
            crate::telemetry::quiz_post("failed");
            if let Err(e) = ctx
                .store
                .release_quiz_claim(channel, post_id, now + settings.retry_secs)
                .await
            {
                tracing::error!(error = %e, "could not release the quiz claim");
            }
            PostOutcome::Failed(e.to_string())
        }
    }
}

/// The `metadata.event_type` of daily quiz posts; `event_payload.post_id`
/// names the post, so a post whose answer never came can be found in the
/// channel instead of made twice.
const QUIZ_EVENT_TYPE: &str = "testscope_quiz_post";
const POST_ID_KEY: &str = "post_id";

/// One attempt at posting a claimed quiz.
struct Attempt<'a> {
    channel: &'a str,
    post_id: &'a str,
    /// When the attempt started (the tick's time).
    now: i64,
    /// When the post's local day began: no attempt at it can be older.
    day_start: i64,
}

/// What a search of the channel for a tagged post found.
enum Search {
    Found(String),
    NotThere,
    /// The channel could not be read; whether the post is there is unknown.
    Unknown(crate::slack::api::SlackError),
}

/// Posts the quiz so that it is never shown twice. `chat.postMessage` is
/// not repeated by the client after a timeout or a 5xx, as Slack may have
/// posted it; instead the channel is searched for the post's tag: found,
/// that message is the post. Not found, the attempt failed and the next
/// tick tries again, searching first (from the start of the post's day)
/// in case Slack posted it late. When that search cannot be done (Slack
/// slow, down, rate limiting), nothing is posted: a retry follows.
async fn deliver(
    ctx: QuizCtx<'_>,
    a: &Attempt<'_>,
    msg: &Post<'_>,
    earlier_attempt: bool,
) -> Result<crate::slack::api::PostedMessage, crate::slack::api::SlackError> {
    let started = std::time::Instant::now();
    let ended = |from: i64| {
        from.saturating_add(i64::try_from(started.elapsed().as_secs()).unwrap_or(i64::MAX) + 1)
    };
    let found = |ts: String| crate::slack::api::PostedMessage {
        channel: a.channel.to_owned(),
        ts,
    };
    if earlier_attempt {
        match search(ctx, a, a.day_start, ended(a.now)).await {
            Search::Found(ts) => {
                tracing::info!(
                    channel = a.channel,
                    post_id = a.post_id,
                    "an earlier attempt at the quiz post had gone through"
                );
                crate::telemetry::quiz_post("found");
                return Ok(found(ts));
            }
            Search::NotThere => {}
            // Slack answered with a definite refusal (a missing scope, a
            // channel it will not show, a 4xx): searching cannot work, so
            // posting is the only way the quiz goes out; the post reports
            // its own refusal if there is one.
            Search::Unknown(e) if !is_passing(&e) => {
                tracing::warn!(error = %e, channel = a.channel, "cannot search the channel for an earlier quiz post; posting");
            }
            Search::Unknown(e) => return Err(e),
        }
    }
    let error = match ctx.slack.post_message(msg).await {
        Ok(posted) => return Ok(posted),
        Err(e) if e.may_have_reached_slack() => e,
        Err(e) => return Err(e),
    };
    match search(ctx, a, a.now, ended(a.now)).await {
        Search::Found(ts) => {
            tracing::info!(
                channel = a.channel,
                post_id = a.post_id,
                "a quiz post whose answer never came had gone through"
            );
            crate::telemetry::quiz_post("found");
            Ok(found(ts))
        }
        Search::NotThere | Search::Unknown(_) => Err(error),
    }
}

/// A failure that may be gone on the next try: no answer, a 5xx, a rate
/// limit. Anything else is Slack's considered answer.
fn is_passing(e: &crate::slack::api::SlackError) -> bool {
    use crate::slack::api::SlackError;
    e.may_have_reached_slack() || e.is_rate_limited() || matches!(e, SlackError::Transport { .. })
}

/// Looks for this attempt's post in the channel, posted between `from` and
/// `to` (our clock; widened by the clock skew Slack may have).
async fn search(ctx: QuizCtx<'_>, a: &Attempt<'_>, from: i64, to: i64) -> Search {
    let (oldest, latest) = crate::slack::api::post_window(from, to, None);
    match ctx
        .slack
        .find_tagged_message(
            a.channel,
            (&oldest, &latest),
            QUIZ_EVENT_TYPE,
            (POST_ID_KEY, a.post_id),
        )
        .await
    {
        Ok(Some(ts)) => Search::Found(ts),
        Ok(None) => Search::NotThere,
        Err(e) => {
            tracing::warn!(error = %e, channel = a.channel, post_id = a.post_id, "cannot tell whether the quiz post went through");
            Search::Unknown(e)
        }
    }
}

/// The post's message, revealing the previous posted question's answer.
/// The first post of a week (the previous post was in an earlier week) also
/// names last week's top three; deciding this from the stored posts alone
/// keeps the live-count rewrites of the same post identical.
fn build_post(
    kb: &KnowledgeBase,
    channel: &str,
    post_id: &str,
    date: Date,
    question: &Question,
    posts: &[QuizPost],
    answers: &[QuizAnswer],
) -> Message {
    let previous = posts
        .iter()
        .filter(|p| p.message_ts.is_some() && p.post_id.as_str() < post_id)
        .max_by(|a, b| a.post_id.cmp(&b.post_id));
    let reveal = previous.and_then(|p| {
        let (answered, correct) = stats::post_result(answers, &p.post_id);
        kb.question(&p.question_id).map(|q| Reveal {
            question: q,
            answered,
            correct,
        })
    });
    let this_week = stats::week_start(date);
    let first_of_week = previous
        .and_then(|p| p.local_date.parse::<Date>().ok())
        .is_some_and(|d| stats::week_start(d) < this_week);
    let last_week = if first_of_week {
        let monday = this_week
            .checked_sub(jiff::ToSpan::days(7))
            .unwrap_or(this_week);
        stats::weekly_leaderboard(posts, answers, monday)
    } else {
        Vec::new()
    };
    let (answered, _) = stats::post_result(answers, post_id);
    message::daily_post(
        kb,
        question,
        |i| message::daily_value(channel, post_id, &question.id, i),
        reveal.as_ref(),
        &last_week,
        answered,
    )
}

/// Closes a posted quiz to answers and replaces its buttons with the
/// answer. Only the caller that closes it in the store edits the message,
/// so racing replicas rewrite it once.
async fn close(ctx: QuizCtx<'_>, post: &QuizPost, now: i64) {
    let (channel, post_id) = (post.channel_id.as_str(), post.post_id.as_str());
    match ctx.store.close_quiz_post(channel, post_id, now).await {
        Ok(true) => {}
        Ok(false) => return,
        Err(e) => {
            tracing::warn!(error = %e, channel, post_id, "could not close a quiz post");
            return;
        }
    }
    crate::telemetry::quiz_post("closed");
    show_closed(ctx, post).await;
    // Under the same claim: whoever closed the post in the store, and only
    // they, tell its thread.
    reply_in_thread(ctx, post).await;
}

/// Posts a closed quiz's answer and how the channel did as a reply in the
/// post's thread, so people who answered there see the result there. Only
/// [`close`]'s winner calls it, so racing replicas reply once; a post that
/// may have reached Slack (a timeout) is not repeated, so never twice.
async fn reply_in_thread(ctx: QuizCtx<'_>, post: &QuizPost) {
    let (channel, post_id) = (post.channel_id.as_str(), post.post_id.as_str());
    let (Some(ts), Some(q)) = (&post.message_ts, ctx.kb.question(&post.question_id)) else {
        return;
    };
    let answers = ctx.store.quiz_answers(channel).await.unwrap_or_default();
    let (answered, correct) = stats::post_result(&answers, post_id);
    let msg = message::closed_thread_reply(ctx.kb, q, answered, correct);
    match ctx
        .slack
        .post_message(&Post::new(channel, &msg).in_thread(ts))
        .await
    {
        Ok(_) => crate::telemetry::quiz_post("thread_reply"),
        Err(e) => {
            tracing::warn!(error = %e, channel, post_id, "could not reply in a closed quiz post's thread")
        }
    }
}

/// Rewrites a closed post's message: the answer instead of the buttons.
async fn show_closed(ctx: QuizCtx<'_>, post: &QuizPost) {
    let (channel, post_id) = (post.channel_id.as_str(), post.post_id.as_str());
    let (Some(ts), Some(q)) = (&post.message_ts, ctx.kb.question(&post.question_id)) else {
        return;
    };
    let answers = ctx.store.quiz_answers(channel).await.unwrap_or_default();
    let (answered, correct) = stats::post_result(&answers, post_id);
    let msg = message::closed_post(ctx.kb, q, answered, correct);
    if let Err(e) = ctx
        .slack
        .update_message(&Post::new(channel, &msg).replacing(ts))
        .await
    {
        // Closed in the store all the same: late clicks are refused.
        tracing::warn!(error = %e, channel, post_id, "could not show a closed quiz post as closed");
    }
}

/// Whether `post_id` no longer takes answers: closed in the store, or a
/// later post revealed its answer.
fn is_closed(posts: &[QuizPost], post: &QuizPost) -> bool {
    post.closed_at.is_some()
        || posts
            .iter()
            .any(|p| p.message_ts.is_some() && p.post_id > post.post_id)
}

/// Closes the posts whose day has ended, `limit` at a time: at midnight in
/// a busy time zone that can be every channel's post.
async fn close_due(ctx: QuizCtx<'_>, now: i64, limit: usize) {
    match ctx.store.quiz_posts_to_close(now).await {
        Ok(due) => {
            stream::iter(&due)
                .for_each_concurrent(limit, |post| close(ctx, post, now))
                .await;
        }
        Err(e) => tracing::warn!(error = %e, "cannot read quiz posts to close"),
    }
}

/// Closes the posts whose day has ended, then posts every subscribed
/// channel's quiz that is due at `now`, [`QuizSettings::concurrency`]
/// channels at a time. Due channels are found as the posts go out rather
/// than all up front, so only that many posts are in progress at once
/// however many channels are due. Replicas ticking together share the
/// work through the store's claim: each channel is posted by whichever
/// claims it first.
pub async fn tick(
    ctx: QuizCtx<'_>,
    now: i64,
    settings: QuizSettings,
) -> Vec<(String, PostOutcome)> {
    let limit = settings.concurrency.max(1);
    close_due(ctx, now, limit).await;
    let subs = match ctx.store.subscriptions().await {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(error = %e, "cannot read quiz subscriptions");
            return Vec::new();
        }
    };
    let paused: HashSet<String> = match ctx.store.paused_subscriptions().await {
        Ok(p) => p.into_iter().map(|(channel, _)| channel).collect(),
        Err(e) => {
            tracing::warn!(error = %e, "cannot read paused quiz subscriptions");
            return Vec::new();
        }
    };
    let at = timestamp(now);
    let unposted = unposted(ctx, at).await;
    let due = subs
        .into_iter()
        .filter(|s| !paused.contains(&s.channel_id))
        .filter_map(|sub| {
            let schedule = match Schedule::parse(&sub.schedule) {
                Ok(s) => s,
                Err(e) => {
                    tracing::warn!(channel = %sub.channel_id, error = %e, "skipping an unreadable quiz schedule");
                    return None;
                }
            };
            // A post that failed earlier today is retried until the day
            // ends, even past the late limit: it was due, just not delivered.
            let date = schedule
                .due(at, settings.late_limit)
                .or_else(|| retry_due(&unposted, &sub, &schedule, at))?;
            Some((sub, schedule, date))
        });
    stream::iter(due)
        .map(|(sub, schedule, date)| async move {
            let post_id = date.to_string();
            let channel = sub.channel_id.as_str();
            let outcome = post(ctx, channel, &schedule, date, &post_id, now, settings).await;
            if let PostOutcome::Refused { code } = &outcome {
                pause(ctx, &sub, code, now).await;
            }
            (sub.channel_id, outcome)
        })
        .buffer_unordered(limit)
        .collect()
        .await
}

/// Pauses a subscription Slack refuses for good and, the first time, tells
/// the person who subscribed it how to fix it.
async fn pause(ctx: QuizCtx<'_>, sub: &Subscription, code: &str, now: i64) {
    let channel = sub.channel_id.as_str();
    match ctx.store.pause_subscription(channel, code, now).await {
        Ok(true) => {}
        Ok(false) => return,
        Err(e) => {
            tracing::error!(error = %e, channel, "could not pause the quiz subscription");
            return;
        }
    }
    let fix = format!(
        "The daily quiz in <#{channel}> is paused. {}",
        refusal_fix(channel, code)
    );
    tracing::error!(channel, code, fix = %fix, "quiz paused for this channel");
    crate::telemetry::quiz_post("paused");
    // With a bad token nothing can be posted, and the channel itself refused
    // us; only a person who subscribed in Slack can be told directly.
    let Some(user) = sub.created_by.as_deref().filter(|_| !is_token_code(code)) else {
        return;
    };
    let notice = Message::text(&fix);
    if let Err(e) = ctx.slack.post_message(&Post::new(user, &notice)).await {
        tracing::warn!(error = %e, channel, "could not tell the subscriber the quiz is paused");
    }
}

fn is_token_code(code: &str) -> bool {
    matches!(
        code,
        "invalid_auth" | "not_authed" | "token_revoked" | "account_inactive"
    )
}

/// What to tell people when the quiz cannot be posted in `channel`.
pub fn refusal_fix(channel: &str, code: &str) -> String {
    let why = match code {
        "is_archived" => format!(
            "<#{channel}> is archived. Unarchive it and run `/testscope quiz daily` there again, \
             or subscribe another channel."
        ),
        "not_in_channel" | "channel_not_found" => format!(
            "I am not a member of <#{channel}> (or cannot see it). Invite me there with \
             `/invite @testscope`, then run `/testscope quiz daily` in the channel again."
        ),
        _ => "Slack no longer accepts my token. Whoever runs testscope needs to reinstall the app \
              and set the new SLACK_BOT_TOKEN; then run `/testscope quiz daily` again."
            .to_owned(),
    };
    format!("Slack refused the quiz post in <#{channel}> ({code}). {why}")
}

/// `(channel, post_id)` of the claimed posts still without a message that
/// may be some channel's today. A failed read only means no retries this
/// tick; the posts that are due go out all the same.
async fn unposted(ctx: QuizCtx<'_>, at: Timestamp) -> HashSet<(String, String)> {
    // No time zone's day starts more than a day before UTC's.
    let utc_today = at.to_zoned_datetime(jiff::tz::TimeZone::UTC).date();
    let since = utc_today.yesterday().unwrap_or(utc_today).to_string();
    match ctx.store.unposted_quiz_posts(&since).await {
        Ok(rows) => rows
            .into_iter()
            .map(|p| (p.channel_id, p.post_id))
            .collect(),
        Err(e) => {
            tracing::warn!(error = %e, "cannot read unposted quiz posts; no retries this tick");
            HashSet::new()
        }
    }
}

/// Today's date in the channel's zone when its post for today was claimed
/// but not made, and its time has come.
fn retry_due(
    unposted: &HashSet<(String, String)>,
    sub: &Subscription,
    schedule: &Schedule,
    at: Timestamp,
) -> Option<Date> {
    let today = schedule.local_date(at);
    let pending = unposted.contains(&(sub.channel_id.clone(), today.to_string()));
    (pending && schedule.post_time_on(today).timestamp() <= at).then_some(today)
}

/// The operator's trigger: post today's question in `channel` now. Without
/// `force` the once-a-day rule holds; with it an extra post is made.
pub async fn post_today(
    ctx: QuizCtx<'_>,
    channel: &str,
    schedule: &Schedule,
    now: i64,
    force: bool,
    settings: QuizSettings,
) -> PostOutcome {
    let date = schedule.local_date(timestamp(now));
    let mut post_id = date.to_string();
    if force {
        let posts = ctx.store.quiz_posts(channel).await.unwrap_or_default();
        let same_day = posts.iter().filter(|p| p.local_date == post_id).count();
        if same_day > 0 {
            post_id = format!("{date}#{}", same_day + 1);
        }
    }
    post(ctx, channel, schedule, date, &post_id, now, settings).await
}

/// The reply to a click whose answer could not be stored.
pub const NOT_SAVED: &str = "Sorry, your answer could not be saved just now, so it does not \
     count yet. Please click your answer again in a minute.";

/// What to tell someone who clicked an answer, and which post's live count
/// to refresh.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerReply {
    pub text: String,
    /// `(channel, post_id)` of a daily post whose count changed.
    pub refresh: Option<(String, String)>,
}

/// A click on a quiz button, as Slack delivered it.
#[derive(Debug, Clone, Copy)]
pub struct Click<'a> {
    pub user: &'a str,
    /// The channel the payload says the click came from.
    pub channel: Option<&'a str>,
    /// The button's value, as built by [`message`].
    pub value: &'a str,
}

/// Records a click on a quiz button. `None` when the value is not one of
/// ours or names no posted question (nothing is stored, nobody is told).
pub async fn answer(ctx: QuizCtx<'_>, click: &Click<'_>, now: i64) -> Option<AnswerReply> {
    let parts: Vec<&str> = click.value.split('|').collect();
    match parts.as_slice() {
        [message::PRACTICE, question, option] => {
            let q = ctx.kb.question(question)?;
            let chosen: usize = option.parse().ok().filter(|&o| o < q.options.len())?;
            crate::telemetry::quiz_answer("practice");
            Some(AnswerReply {
                text: message::feedback(ctx.kb, q, chosen),
                refresh: None,
            })
        }
        [message::DAILY, channel, post_id, question, option] => {
            let daily = Daily {
                channel,
                post_id,
                question,
                option,
            };
            daily_answer(ctx, click, &daily, now).await
        }
        _ => None,
    }
}

/// The parts of a daily post's button value; the payload sets all of them,
/// so none is trusted until the store agrees.
struct Daily<'a> {
    channel: &'a str,
    post_id: &'a str,
    question: &'a str,
    option: &'a str,
}

/// Scores a click only when it is on an open post that the store knows, in
/// the channel the click came from, for that post's question and one of its
/// options.
async fn daily_answer(
    ctx: QuizCtx<'_>,
    click: &Click<'_>,
    d: &Daily<'_>,
    now: i64,
) -> Option<AnswerReply> {
    let refuse = |reason: &'static str| {
        crate::telemetry::quiz_answer("refused");
        tracing::warn!(
            reason,
            "a quiz click that matches no posted question; not scored"
        );
        None
    };
    if click.channel != Some(d.channel) {
        return refuse("channel");
    }
    let Some(q) = ctx.kb.question(d.question) else {
        return refuse("question");
    };
    let chosen = match d.option.parse::<u32>() {
        Ok(o) if (o as usize) < q.options.len() => o,
        _ => return refuse("option"),
    };
    let posts = match ctx.store.quiz_posts(d.channel).await {
        Ok(posts) => posts,
        Err(e) => {
            tracing::error!(error = %e, "could not read the quiz posts for a click");
            return Some(not_saved());
        }
    };
    let Some(post) = posts.iter().find(|p| p.post_id == d.post_id) else {
        return refuse("post");
    };
    if post.question_id != q.id {
        return refuse("question");
    }
    if post.message_ts.is_none() {
        // Slack showed the post, so it was made, but the replica that made
        // it has not recorded it yet (or failed to, and a later tick will
        // find it). Silence would lose the click; asking again does not.
        tracing::warn!(
            post_id = d.post_id,
            "a quiz click on a post not recorded yet; asked to click again"
        );
        crate::telemetry::quiz_answer("unrecorded");
        return Some(not_saved());
    }
    let revealed = posts
        .iter()
        .any(|p| p.message_ts.is_some() && p.post_id.as_str() > d.post_id);
    if revealed || !post.is_open(now) {
        return Some(closed(ctx, q));
    }
    let record = QuizAnswer {
        channel_id: d.channel.to_owned(),
        post_id: d.post_id.to_owned(),
        question_id: q.id.clone(),
        user_id: click.user.to_owned(),
        option: chosen,
        correct: chosen as usize == q.correct,
        answered_at: now,
    };
    let t = &ctx.kb.messages.quiz;
    let text = match ctx.store.record_quiz_answer(&record).await {
        Ok(AnswerOutcome::Recorded) => {
            crate::telemetry::quiz_answer(if record.correct { "correct" } else { "wrong" });
            message::feedback(ctx.kb, q, chosen as usize)
        }
        Ok(AnswerOutcome::AlreadyAnswered(first)) => {
            crate::telemetry::quiz_answer("repeat");
            let chosen = message::lettered(q, first.option as usize);
            format!(
                "{}\n{}",
                message::fill(&t.locked, &[("chosen", &chosen)]),
                message::feedback(ctx.kb, q, first.option as usize)
            )
        }
        // It closed between the check above and the insert.
        Ok(AnswerOutcome::NotOpen) => return Some(closed(ctx, q)),
        Err(e) => {
            tracing::error!(error = %e, "could not record a quiz answer");
            return Some(not_saved());
        }
    };
    Some(AnswerReply {
        text,
        refresh: Some((d.channel.to_owned(), d.post_id.to_owned())),
    })
}

/// The answer to a click that the store could not take. Silence would look
/// like a recorded answer; say it was not.
fn not_saved() -> AnswerReply {
    crate::telemetry::quiz_answer("not_saved");
    AnswerReply {
        text: NOT_SAVED.to_owned(),
        refresh: None,
    }
}

/// The friendly answer to a click that came too late.
fn closed(ctx: QuizCtx<'_>, q: &Question) -> AnswerReply {
    crate::telemetry::quiz_answer("late");
    AnswerReply {
        text: message::closed_reply(ctx.kb, q),
        refresh: None,
    }
}

/// Rewrites a daily post with its current answer count (`chat.update`).
///
/// Closing must win over a refresh: a refresh that read the post as open
/// can reach Slack after the close rewrote it (a slow or rate-limited
/// `chat.update`, another replica), which would put the buttons back on a
/// closed post. So once its rewrite is done (or may have been), the refresh
/// reads the post again, and if it closed meanwhile, shows it closed
/// itself. Either the close was stored after the refresh's rewrite was
/// done, and then the close's own rewrite comes later, or this second
/// read sees it: the last rewrite of a closed post is always the closed one.
pub async fn refresh_count(ctx: QuizCtx<'_>, channel: &str, post_id: &str) {
    let Ok(posts) = ctx.store.quiz_posts(channel).await else {
        return;
    };
    let Some(post) = posts.iter().find(|p| p.post_id == post_id) else {
        return;
    };
    // A closed post shows its answer; putting the buttons back would invite
    // clicks that no longer count.
    if is_closed(&posts, post) {
        return;
    }
    let (Some(ts), Some(question)) = (&post.message_ts, ctx.kb.question(&post.question_id)) else {
        return;
    };
    let Ok(date) = post.local_date.parse::<Date>() else {
        return;
    };
    let answers = ctx.store.quiz_answers(channel).await.unwrap_or_default();
    let msg = build_post(ctx.kb, channel, post_id, date, question, &posts, &answers);
    if let Err(e) = ctx
        .slack
        .update_message(&Post::new(channel, &msg).replacing(ts))
        .await
    {
        tracing::warn!(error = %e, channel, "could not refresh the quiz answer count");
        if !e.may_have_reached_slack() {
            return;
        }
    }
    let closed_meanwhile = match ctx.store.quiz_posts(channel).await {
        Ok(now) => now
            .iter()
            .find(|p| p.post_id == post_id)
            .filter(|p| is_closed(&now, p))
            .cloned(),
        Err(e) => {
            // Cannot tell; showing the post closed when it is open would
            // hide buttons that still count, so leave it.
            tracing::warn!(error = %e, channel, "cannot re-read the quiz post after a count refresh");
            None
        }
    };
    if let Some(closed) = closed_meanwhile {
        tracing::info!(
            channel,
            post_id,
            "the quiz post closed during a count refresh; showing it closed"
        );
        crate::telemetry::quiz_post("closed_after_refresh");
        show_closed(ctx, &closed).await;
    }
}

/// Parses `TESTSCOPE_QUIZ_CHANNELS`: `C0123=09:00 Europe/Berlin mon-fri;C0456=...`.
/// The error names the entry that is wrong.
pub fn parse_channels(spec: &str) -> Result<Vec<(String, Schedule)>, String> {
    let mut out = Vec::new();
    for entry in spec.split(';').map(str::trim).filter(|e| !e.is_empty()) {
        let err = |why: &str| format!("TESTSCOPE_QUIZ_CHANNELS entry `{entry}`: {why}");
        let (channel, schedule) = entry
            .split_once('=')
            .ok_or_else(|| err("expected CHANNEL_ID=HH:MM ZONE DAYS"))?;
        let channel = channel.trim();
        if channel.is_empty() || !channel.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(err(
                "the channel id must be letters and digits, like C0123ABC",
            ));
        }
        let schedule = Schedule::parse(schedule).map_err(|e: ScheduleError| err(&e.to_string()))?;
        out.push((channel.to_owned(), schedule));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configured_channels_parse_and_bad_entries_are_named() {
        let list = parse_channels(
            "C0123ABC=09:00 Europe/Berlin mon-fri;C0456DEF=16:30 America/New_York everyday",
        )
        .unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(list[1].1.to_string(), "16:30 America/New_York everyday");
        let err = parse_channels("C1=09:00 UTC;C2=16:30 Mars/Olympus").unwrap_err();
        assert_eq!(
            err,
            "TESTSCOPE_QUIZ_CHANNELS entry `C2=16:30 Mars/Olympus`: `Mars/Olympus` is not a time zone I know; use an IANA name like Europe/Berlin or America/New_York"
        );
        assert!(
            parse_channels("nochannel")
                .unwrap_err()
                .contains("`nochannel`")
        );
    }

    #[test]
    fn questions_do_not_repeat_until_the_bank_is_used_up() {
        let kb = KnowledgeBase::embedded().unwrap();
        let mut posts: Vec<QuizPost> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for day in 0..kb.quiz.len() {
            let q =
                choose_question(&kb, "C1", jiff::civil::date(2026, 11, 2), &posts, &[]).unwrap();
            assert!(seen.insert(q.id.clone()), "repeated {} on day {day}", q.id);
            posts.push(QuizPost {
                channel_id: "C1".into(),
                post_id: format!("d{day:04}"),
                local_date: format!("d{day:04}"),
                question_id: q.id.clone(),
                message_ts: Some("1".into()),
                posted_at: None,
                closes_at: None,
                closed_at: None,
            });
        }
        // The bank is used up; the next cycle starts again.
        assert!(choose_question(&kb, "C1", jiff::civil::date(2026, 11, 2), &posts, &[]).is_some());
    }
}
