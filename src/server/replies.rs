//! Messages the service sends, built on the pure renderers, and the one place
//! that posts them with Slack's failure modes handled.

use serde_json::json;

use super::AppState;
use super::shown::ShownAdvice;
use crate::advise;
use crate::render::{Message, Post};
use crate::slack::api::{SlackError, post_window};

pub(super) use crate::render::{HELPFUL, NOT_QUITE, SHARE};

/// The advisor, counted and timed for `/metrics`.
pub(super) fn timed_advise(state: &AppState, text: &str) -> crate::advisor::Advice {
    let started = std::time::Instant::now();
    let advice = advise(&state.kb, text);
    crate::telemetry::advice(advice.primary_scope.as_deref(), started.elapsed());
    advice
}

/// The advice someone was shown, for everyone in the channel: the question
/// quoted, saying who shared it.
pub(super) fn shared_advice(state: &AppState, shown: &ShownAdvice, user_id: &str) -> Message {
    crate::render::shared_answer(&state.kb, shown.first.clone(), &shown.question, user_id)
}

/// The asker's private reply without its Share button, to replace it once
/// shared.
pub(super) fn reply_after_sharing(state: &AppState, shown: &ShownAdvice) -> Message {
    let details = crate::render::has_details(&shown.advice);
    crate::render::after_sharing(&state.kb, shown.first.clone(), &shown.id, details)
}

/// Answers through a payload's `response_url`. A URL refused as outside
/// Slack's origins was already counted and logged by the client; anything
/// else that goes wrong is logged here, naming `what` was being answered.
pub(super) async fn respond(state: &AppState, url: &str, msg: &Message, what: &'static str) {
    match state.slack.respond(url, msg).await {
        Ok(()) | Err(SlackError::ResponseUrlRefused { .. }) => {}
        Err(e) => tracing::warn!(error = %e, what, "could not answer via response_url"),
    }
}

/// A short ephemeral text reply.
pub(super) fn ephemeral_text(text: &str) -> Message {
    Message::text(text).ephemeral().replacing(false)
}

/// Where a reply goes and who asked.
pub(super) struct ThreadTarget<'a> {
    pub(super) channel: &'a str,
    pub(super) thread_ts: &'a str,
    pub(super) user: Option<&'a str>,
    /// For shortcuts: a response URL that can carry an ephemeral hint even
    /// when the bot cannot post in the channel.
    pub(super) response_url: Option<&'a str>,
    /// What the reply answers, written into its metadata so that a post
    /// whose answer never came can be found instead of repeated.
    pub(super) tag: Option<ReplyTag<'a>>,
}

/// Marks a reply as the answer to one request.
pub(super) struct ReplyTag<'a> {
    /// The event id of a mention, or the trigger id of a shortcut.
    pub(super) id: &'a str,
    /// A message ts at or before which the reply cannot be: the mention's
    /// or the message the shortcut was used on.
    pub(super) after: &'a str,
}

/// The `metadata.event_type` of our tagged replies.
const REPLY_EVENT_TYPE: &str = "testscope_reply";

/// Posts `msg` in a thread. When Slack says the bot is not in the channel,
/// the person who asked gets an ephemeral hint on how to invite it.
pub(super) async fn post_in_thread(state: &AppState, target: &ThreadTarget<'_>, msg: &Message) {
    let post = Post::new(target.channel, msg).in_thread(target.thread_ts);
    let posted = match &target.tag {
        Some(tag) => {
            let post = post.tagged(json!({
                "event_type": REPLY_EVENT_TYPE,
                "event_payload": {"event_id": tag.id},
            }));
            post_tagged(state, target, tag, &post).await
        }
        None => state.slack.post_message(&post).await.map(drop),
    };
    match posted {
        Ok(()) => {}
        Err(e) if e.is_not_in_channel() => {
            tracing::info!(channel = target.channel, code = ?e.code(), "not in channel; sending an invite hint");
            let hint = &state.kb.messages.slack.invite_hint;
            tell_privately(state, target, hint).await;
        }
        Err(SlackError::NotConfigured) => {
            tracing::warn!("cannot reply in a thread: SLACK_BOT_TOKEN is not set");
            let hint = &state.kb.messages.slack.no_token_hint;
            tell_privately(state, target, hint).await;
        }
        Err(e) => {
            tracing::error!(error = %e, channel = target.channel, "reply could not be posted")
        }
    }
}

/// Posts a tagged reply. A post that timed out (or got a 5xx) may still
/// have gone through, so before posting again the thread is searched for
/// the tag, from when this attempt started (less the clock skew allowed,
/// [`crate::slack::api::CLOCK_SKEW_SECS`], and never before the message it
/// answers) to when it failed (plus the same); the reply is posted at most
/// twice, the second time only when the first is not there. When the
/// search itself fails, it is not posted again: an answer shown twice is
/// what this avoids.
async fn post_tagged(
    state: &AppState,
    target: &ThreadTarget<'_>,
    tag: &ReplyTag<'_>,
    msg: &Post<'_>,
) -> Result<(), SlackError> {
    let mut posts = 0;
    // The reply cannot be older than this attempt (nor than what it
    // answers), so the search reads only the thread's messages since then.
    let started = state.clock.now();
    loop {
        posts += 1;
        let error = match state.slack.post_message(msg).await {
            Ok(_) => return Ok(()),
            Err(e) if e.may_have_reached_slack() => e,
            Err(e) => return Err(e),
        };
        let (oldest, latest) = post_window(started, state.clock.now(), Some(tag.after));
        let found = state
            .slack
            .find_tagged_reply(
                target.channel,
                target.thread_ts,
                (&oldest, &latest),
                REPLY_EVENT_TYPE,
                tag.id,
            )
            .await;
        match found {
            Ok(Some(_)) => {
                crate::telemetry::reply_unanswered("found");
                tracing::info!(
                    channel = target.channel,
                    "a reply whose post got no answer had gone through; not posting it again"
                );
                return Ok(());
            }
            Ok(None) if posts < 2 => {
                crate::telemetry::reply_unanswered("reposted");
                tracing::info!(
                    channel = target.channel,
                    "a reply whose post got no answer is not in the thread; posting it again"
                );
            }
            Ok(None) => {
                crate::telemetry::reply_unanswered("lost");
                return Err(error);
            }
            Err(e) => {
                crate::telemetry::reply_unanswered("unknown");
                tracing::warn!(
                    error = %e,
                    channel = target.channel,
                    "cannot tell whether a reply whose post got no answer went through; \
                     not posting it again"
                );
                return Err(error);
            }
        }
    }
}

async fn tell_privately(state: &AppState, target: &ThreadTarget<'_>, text: &str) {
    if let Some(url) = target.response_url {
        respond(state, url, &ephemeral_text(text), "an ephemeral hint").await;
        return;
    }
    if let Some(user) = target.user {
        let msg = Message::text(text);
        let post = Post::new(target.channel, &msg).only_for(user);
        if let Err(e) = state.slack.post_ephemeral(&post).await {
            tracing::warn!(error = %e, "could not send an ephemeral hint");
        }
    }
}
