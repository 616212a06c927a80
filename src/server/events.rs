//! Events API: the `url_verification` handshake and `app_mention` in review
//! threads. Mentions are acknowledged at once and answered in the background.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::AppState;
use super::ack::Ack;
use super::replies::{ReplyTag, ThreadTarget, post_in_thread, timed_advise};
use super::verify::{AppError, Verified};
use crate::render::{self, Message, Post};
use crate::slack::payload::{self, Event, EventEnvelope, Mention, PayloadError};

/// Most messages a thread read takes into account.
const THREAD_LIMIT: u32 = 200;

pub(super) async fn handle(
    State(state): State<AppState>,
    req: Verified,
) -> Result<Response, AppError> {
    let retry = req
        .retry_num
        .as_ref()
        .and_then(|v| v.to_str().ok())
        .unwrap_or("0");
    dispatch(&state, &req.body, retry)
        .await
        .map(IntoResponse::into_response)
        .map_err(|e| AppError::BadRequest(e.to_string()))
}

/// One Events API delivery, over HTTP or Socket Mode: `body` is the
/// `event_callback` object and `retry` Slack's count of earlier attempts.
/// Mentions are answered in the background, once per event id.
pub(crate) async fn dispatch(
    state: &AppState,
    body: &[u8],
    retry: &str,
) -> Result<Ack, PayloadError> {
    let envelope = payload::parse_event(body)?;
    match envelope {
        EventEnvelope::UrlVerification { challenge } => {
            Ok(Ack::Json(json!({ "challenge": challenge })))
        }
        EventEnvelope::Callback(cb) => {
            match cb.event {
                Event::AppMention(m) => {
                    if m.is_from_bot_or_system() || is_self(state, &m) {
                        tracing::debug!(event = %cb.event_id, "ignoring a bot's own mention");
                        return Ok(Ack::Empty);
                    }
                    // Claiming the event id and answering are one unit of
                    // work that outlives this request: were the claim made
                    // here, a delivery cancelled after it (Slack giving up
                    // after 3 s while the database waits on a lock, the
                    // client going away, the request deadline) would leave a
                    // claim with no answer, and Slack's retry ignored.
                    let (s, event_id, retry) = (state.clone(), cb.event_id, retry.to_owned());
                    in_background(state, "answer mention", async move {
                        if claim(&s, &event_id, &retry, &m.channel).await {
                            answer_mention(&s, &m, &event_id).await;
                        }
                    });
                }
                Event::Other { kind } if kind == "app_uninstalled" || kind == "tokens_revoked" => {
                    if kind == "app_uninstalled" || revokes_bot_token(body) {
                        stop_posting(state, cb.team_id.as_deref().unwrap_or_default(), &kind).await;
                    } else {
                        tracing::info!("user tokens revoked; the bot token is not affected");
                    }
                }
                Event::Message(m) if m.channel_type.as_deref() == Some("im") => {
                    // Only a person's own new message: never a bot (itself
                    // included), never an edit, deletion or other subtype.
                    if m.is_from_bot_or_system() || m.subtype.is_some() || is_self(state, &m) {
                        tracing::debug!(event = %cb.event_id, "ignoring a direct message that is not a person's new message");
                        return Ok(Ack::Empty);
                    }
                    let (s, event_id, retry) = (state.clone(), cb.event_id, retry.to_owned());
                    in_background(state, "answer direct message", async move {
                        if claim(&s, &event_id, &retry, &m.channel).await {
                            answer_direct_message(&s, &m).await;
                        }
                    });
                }
                Event::AppHomeOpened { user, tab } if tab == "home" => {
                    // Built and published in the background: the ack never
                    // waits for the store or Slack.
                    let s = state.clone();
                    in_background(state, "publish home", async move {
                        super::home::publish(&s, &user).await;
                    });
                }
                Event::Message(_) | Event::AppHomeOpened { .. } | Event::Other { .. } => {}
            }
            Ok(Ack::Empty)
        }
        EventEnvelope::AppRateLimited { .. } => {
            tracing::warn!("Slack reports this app is rate limited on events");
            Ok(Ack::Empty)
        }
        EventEnvelope::Other { kind } => {
            tracing::debug!(%kind, "ignoring an unknown event envelope");
            Ok(Ack::Empty)
        }
    }
}

/// Runs an event's work in the background when there is room. With none
/// left the delivery is still acknowledged, counted as overflow, and nothing
/// runs: in particular no event id is claimed, so Slack's retry can be
/// answered.
fn in_background(
    state: &AppState,
    name: &'static str,
    work: impl std::future::Future<Output = ()> + Send + 'static,
) {
    match state.reserve(name) {
        Some(slot) => slot.spawn(work),
        None => crate::telemetry::event("overflow"),
    }
}

/// Event ids this process answered without the store, oldest first, at
/// most [`Unrecorded::KEEP`]: Slack retries within minutes, so a bounded
/// memory is enough.
#[derive(Default)]
pub(crate) struct Unrecorded(std::sync::Mutex<std::collections::VecDeque<String>>);

impl Unrecorded {
    const KEEP: usize = 4096;

    /// True the first time `event_id` is seen.
    fn remember(&self, event_id: &str) -> bool {
        let mut seen = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if seen.iter().any(|id| id == event_id) {
            return false;
        }
        if seen.len() == Self::KEEP {
            seen.pop_front();
        }
        seen.push_back(event_id.to_owned());
        true
    }
}

/// Records the event id; true for its first delivery. Slack retries a
/// delivery it thinks failed with the same event id, so the first claim
/// wins, also across restarts and replicas.
async fn claim(state: &AppState, event_id: &str, retry: &str, channel: &str) -> bool {
    let first = first_delivery(state, event_id).await;
    crate::telemetry::event(if first { "answered" } else { "duplicate" });
    if first {
        tracing::info!(event = %event_id, retry, channel, "answering a mention");
    } else {
        tracing::info!(event = %event_id, retry, "duplicate delivery ignored");
    }
    first
}

/// Records a delivery's id in the store; true the first time it is seen,
/// here or on any other replica or connection.
pub(crate) async fn first_delivery(state: &AppState, id: &str) -> bool {
    match state.store.claim_event(id, state.clock.now()).await {
        Ok(first) => first,
        Err(e) => {
            // Better one answer than none; the ids kept in memory stop
            // Slack's retries of this delivery from being answered again
            // (by this replica; /readyz already reports the store).
            let first = state.unrecorded.remember(id);
            tracing::error!(
                error = %e,
                first,
                "cannot record the event id; answering its first delivery from memory"
            );
            first
        }
    }
}

/// Whether a `tokens_revoked` event names bot tokens (it may list only
/// user tokens, which this app does not use). Unreadable: assume it does.
fn revokes_bot_token(body: &[u8]) -> bool {
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(body) else {
        return true;
    };
    match v.pointer("/event/tokens") {
        Some(tokens) => tokens["bot"].as_array().is_some_and(|b| !b.is_empty()),
        None => true,
    }
}

/// The app is gone from a workspace: pause its quiz subscriptions and mark
/// the token as rejected, so nothing more is posted and `/readyz` says why.
async fn stop_posting(state: &AppState, team: &str, why: &str) {
    tracing::error!(
        team,
        event = why,
        "the app lost access to this workspace; quiz posting stops"
    );
    state.slack_probe.set(super::health::TokenStatus::Rejected {
        code: why.to_owned(),
    });
    match state.store.pause_team(team, why, state.clock.now()).await {
        Ok(n) => tracing::info!(team, paused = n, "quiz subscriptions paused"),
        Err(e) => {
            tracing::error!(error = %e, team, "could not pause the workspace's quiz subscriptions")
        }
    }
}

/// A Slack timestamp one hour before `ts`, or `None` if `ts` is unreadable.
fn hour_before(ts: &str) -> Option<String> {
    let secs: i64 = ts.split('.').next()?.parse().ok()?;
    (secs > 3600).then(|| format!("{}.000000", secs - 3600))
}

/// The people's messages of the thread up to the mention (from `oldest`
/// on, when given), one per line.
async fn thread_text(
    state: &AppState,
    m: &Mention,
    root: &str,
    oldest: Option<&str>,
) -> Result<String, crate::slack::api::SlackError> {
    let messages = state
        .slack
        .thread_replies(&m.channel, root, oldest, Some(&m.ts), THREAD_LIMIT)
        .await?;
    let me = state.identity.get().map(|i| i.user_id.clone());
    let thread: Vec<&str> = messages
        .iter()
        // People's messages: plain ones, replies also sent to the channel,
        // file shares and /me; never bots or system notices.
        .filter(|msg| {
            msg.bot_id.is_none()
                && matches!(
                    msg.subtype.as_deref(),
                    None | Some("thread_broadcast" | "file_share" | "me_message")
                )
        })
        .filter(|msg| me.is_none() || msg.user != me)
        .filter(|msg| msg.ts != m.ts)
        .map(|msg| msg.text.as_str())
        .collect();
    Ok(thread.join("\n"))
}

fn is_self(state: &AppState, m: &Mention) -> bool {
    state.identity.get().is_some_and(|me| {
        m.user.as_deref() == Some(me.user_id.as_str())
            || (m.bot_id.is_some() && m.bot_id == me.bot_id)
    })
}

/// A direct message is answered in the conversation, like the slash
/// command: the same advice and buttons, from the answer recorded for them.
async fn answer_direct_message(state: &AppState, m: &Mention) {
    // Posted in the conversation: a DM has nobody else to hide it from.
    let msg = Message {
        response_type: None,
        ..super::shown::recorded_reply(state, &m.text)
    };
    if let Err(e) = state.slack.post_message(&Post::new(&m.channel, &msg)).await {
        tracing::warn!(error = %e, "could not answer a direct message");
    }
}

/// Advises on the mention's own words when they describe a change, else on
/// the human messages of the thread, and replies in the thread.
async fn answer_mention(state: &AppState, m: &Mention, event_id: &str) {
    // Who we are comes from the background token check; not asking Slack
    // here keeps a Slack outage from doubling every mention's calls. Our own
    // thread messages carry a bot_id and are left out without it.
    let kb = &state.kb;
    let mut advice = timed_advise(state, &m.text);
    let mut text = m.text.clone();
    if !advice.confident
        && let Some(root) = m.thread_ts.as_deref()
    {
        // The last hour first: the messages nearest the mention, in one call,
        // which under Slack's one thread read a minute (apps outside its
        // Marketplace) may be the only one. The rest of the thread is read
        // only when that hour does not describe the change.
        let recent_from = hour_before(&m.ts);
        match thread_text(state, m, root, recent_from.as_deref()).await {
            Ok(recent) => {
                text = recent;
                advice = timed_advise(state, &text);
                if !advice.confident && recent_from.is_some() {
                    match thread_text(state, m, root, None).await {
                        Ok(whole) => {
                            text = whole;
                            advice = timed_advise(state, &text);
                        }
                        Err(e) => tracing::warn!(
                            error = %e,
                            "could not read the rest of the thread; answering from its last hour"
                        ),
                    }
                }
            }
            // A 429 included: waiting out a thread read's rate limit would
            // leave the asker waiting for a minute, so answer from what is here.
            Err(e) => {
                tracing::warn!(error = %e, "could not read the thread; answering the mention alone")
            }
        }
    }
    let msg = if advice.confident {
        super::shown::thread_message(state, &text, &advice)
    } else {
        render::thread_guidance(kb, &advice)
    };
    tracing::debug!(
        chars = text.len(),
        confident = advice.confident,
        "mention analysed"
    );
    let target = ThreadTarget {
        channel: &m.channel,
        thread_ts: m.reply_thread_ts(),
        user: m.user.as_deref(),
        response_url: None,
        tag: Some(ReplyTag {
            id: event_id,
            after: &m.ts,
        }),
    };
    post_in_thread(state, &target, &msg).await;
}
