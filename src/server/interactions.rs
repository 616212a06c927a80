//! Button clicks and the "Recommend test scope" message shortcut. Slack gets
//! an empty 200 at once; the visible effect follows from a background task.

use axum::extract::State;
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::ack::Ack;
use super::feedback;
use super::replies::{self, ReplyTag, ThreadTarget, ephemeral_text, post_in_thread, shared_advice};
use super::shown;
use super::shown::ShownAdvice;
use super::verify::{AppError, Verified};
use crate::quiz;
use crate::render;
use crate::slack::payload::{self, BlockActions, Interaction, MessageAction};
use crate::store::{Feedback, Verdict};

/// The message shortcut's callback id, as in `deploy/slack-app-manifest.yaml`.
pub(super) const ADVISE_SHORTCUT: &str = "testscope_advise";

pub(super) async fn handle(
    State(state): State<AppState>,
    req: Verified,
) -> Result<Response, AppError> {
    let interaction =
        payload::parse_interaction(&req.body).map_err(|e| AppError::BadRequest(e.to_string()))?;
    Ok(dispatch(&state, interaction, None).await.into_response())
}

/// One interaction, over HTTP or Socket Mode: acknowledged at once, acted on
/// in the background. With `once`, a delivery id, the work is done only for
/// the first delivery carrying it (a Socket Mode envelope seen twice). A
/// submitted form is the exception: Slack shows the acknowledgement's
/// answer on the form, so it is stored before acknowledging.
pub(crate) async fn dispatch(
    state: &AppState,
    interaction: Interaction,
    once: Option<String>,
) -> Ack {
    match interaction {
        Interaction::ViewSubmission(form) if form.callback_id == feedback::FORM => {
            if first_time(state, once.as_deref()).await {
                return feedback::on_submit(state, &form).await;
            }
        }
        Interaction::ViewSubmission(other) => {
            tracing::debug!(callback = %other.callback_id, "ignoring an unknown form");
        }
        Interaction::BlockActions(actions) => {
            let s = state.clone();
            state.spawn("button click", async move {
                if first_time(&s, once.as_deref()).await {
                    on_actions(&s, &actions).await;
                }
            });
        }
        Interaction::MessageAction(shortcut) if shortcut.callback_id == ADVISE_SHORTCUT => {
            let s = state.clone();
            state.spawn("message shortcut", async move {
                if first_time(&s, once.as_deref()).await {
                    on_shortcut(&s, &shortcut).await;
                }
            });
        }
        Interaction::MessageAction(other) => {
            tracing::debug!(callback = %other.callback_id, "ignoring an unknown shortcut");
        }
        Interaction::Other { kind } => tracing::debug!(%kind, "ignoring an interaction type"),
    }
    Ack::Empty
}

/// HTTP deliveries carry no id and are always acted on.
async fn first_time(state: &AppState, once: Option<&str>) -> bool {
    match once {
        None => true,
        Some(id) => {
            let first = super::events::first_delivery(state, id).await;
            if !first {
                tracing::info!(delivery = id, "duplicate interaction ignored");
            }
            first
        }
    }
}

async fn on_actions(state: &AppState, b: &BlockActions) {
    for action in &b.actions {
        let text = action.value.as_deref().unwrap_or_default();
        let Some(url) = b.response_url.as_deref() else {
            tracing::warn!(action = %action.action_id, "button click without a response_url");
            continue;
        };
        if action.action_id.starts_with(quiz::message::ANSWER_ACTION) {
            on_quiz_answer(state, b, text, url).await;
            continue;
        }
        if action.action_id == render::DETAILS {
            let reply = match shown::lookup(state, text).await {
                Ok(advice) => shown::details_reply(state, &advice),
                Err(reply) => reply,
            };
            replies::respond(state, url, &reply, "a Details click").await;
            continue;
        }
        let verdict = match action.action_id.as_str() {
            replies::SHARE => None,
            replies::HELPFUL => Some(Verdict::Helpful),
            replies::NOT_QUITE => Some(Verdict::NotQuite),
            other => {
                tracing::debug!(action = other, "ignoring an unknown button");
                continue;
            }
        };
        // The button acts on the advice recorded when it was shown.
        let reply = match shown::lookup(state, text).await {
            Err(reply) => reply,
            Ok(advice) => match verdict {
                None => {
                    let shared = shared_advice(state, &advice, &b.user_id);
                    replies::respond(state, url, &shared, "a Share click").await;
                    // The private copy loses its Share button, so the same
                    // answer is not posted twice.
                    replies::reply_after_sharing(state, &advice)
                }
                Some(Verdict::NotQuite) if open_form(state, b, &advice).await => {
                    // The form is the answer; the vote counts already.
                    record_feedback(state, b, &advice, Verdict::NotQuite).await;
                    continue;
                }
                Some(verdict) => {
                    record_feedback(state, b, &advice, verdict).await;
                    let t = &state.kb.messages.slack;
                    ephemeral_text(match verdict {
                        Verdict::Helpful => &t.thanks_helpful,
                        Verdict::NotQuite => &t.thanks_not_quite,
                    })
                }
            },
        };
        replies::respond(state, url, &reply, "a button click").await;
    }
}

async fn on_quiz_answer(state: &AppState, b: &BlockActions, value: &str, url: &str) {
    let click = quiz::runner::Click {
        user: &b.user_id,
        channel: b.channel_id.as_deref(),
        value,
    };
    let Some(reply) = quiz::runner::answer(state.quiz_ctx(), &click, state.clock.now()).await
    else {
        tracing::debug!("a quiz click with nothing to answer");
        return;
    };
    replies::respond(state, url, &ephemeral_text(&reply.text), "a quiz click").await;
    if let Some((channel, post_id)) = reply.refresh {
        state.quiz_counts.request(channel, post_id);
    }
}

/// Opens the "Not quite" form with the click's `trigger_id`. `false` when
/// it could not be opened (no trigger, no token, Slack refused or the
/// trigger expired): the click is then thanked as before.
async fn open_form(state: &AppState, b: &BlockActions, shown: &ShownAdvice) -> bool {
    let Some(trigger) = b.trigger_id.as_deref() else {
        return false;
    };
    let channel = b.channel_id.as_deref().unwrap_or_default();
    let view = feedback::form(&state.kb, shown, channel);
    match state.slack.open_view(trigger, &view).await {
        Ok(()) => true,
        Err(e) => {
            tracing::warn!(error = %e, "could not open the Not quite form; thanking instead");
            false
        }
    }
}

async fn record_feedback(
    state: &AppState,
    b: &BlockActions,
    shown: &ShownAdvice,
    verdict: Verdict,
) {
    let feedback = Feedback {
        advice_id: shown.id.clone(),
        team_id: b.team_id.clone().unwrap_or_default(),
        user_id: b.user_id.clone(),
        channel_id: b.channel_id.clone().unwrap_or_default(),
        verdict,
        primary_scope: shown.advice.primary_scope.clone(),
        rules: shown.rules(),
        at: state.clock.now(),
    };
    match state.store.record_feedback(&feedback).await {
        Ok(()) => crate::telemetry::feedback(verdict.as_str(), &feedback.rules),
        Err(e) => tracing::error!(error = %e, "could not record feedback"),
    }
}

async fn on_shortcut(state: &AppState, s: &MessageAction) {
    let advice = replies::timed_advise(state, &s.message_text);
    if !advice.confident {
        // Nothing to advise on: tell only the person who asked, not the thread.
        if let Some(url) = s.response_url.as_deref() {
            let hint = format!(
                "{}\n\n{}",
                state.kb.messages.no_match, state.kb.messages.slack.thread_hint
            );
            replies::respond(state, url, &ephemeral_text(&hint), "the shortcut hint").await;
            return;
        }
    }
    let msg = shown::thread_message(state, &s.message_text, &advice);
    let target = ThreadTarget {
        channel: &s.channel_id,
        thread_ts: s.thread_ts.as_deref().unwrap_or(&s.message_ts),
        user: Some(&s.user_id),
        response_url: s.response_url.as_deref(),
        tag: s.trigger_id.as_deref().map(|id| ReplyTag {
            id,
            after: &s.message_ts,
        }),
    };
    post_in_thread(state, &target, &msg).await;
}
