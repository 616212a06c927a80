//! Advice as it was shown: each reply with buttons is recorded under an id
//! that the buttons carry, so Share, Helpful and Not quite act on the
//! question and advice the person saw, not on a re-run of the advisor over
//! a button value (which Slack cuts at 2,000 characters).
//!
//! Nothing a payload points at is trusted: a value that is not one of our
//! ids, or an id no longer stored, gets "this answer has expired".

use std::time::Duration;

use serde_json::Value;

use super::AppState;
use super::replies::{ephemeral_text, timed_advise};
use crate::advisor::Advice;
use crate::render::{self, ReadFrom};
use crate::store::ShownAdvice;

/// How long a shown answer's buttons keep working: a week after it was
/// last shown. The question text is kept only that long (unless someone
/// sends it as feedback), then purged by a background job.
pub(super) const KEPT_SECS: i64 = 7 * 24 * 60 * 60;

/// How long a slash command waits for the record before answering anyway:
/// Slack allows three seconds for the whole reply.
const SAVE_WAIT: Duration = Duration::from_millis(1000);

/// Hex digits in an id.
const ID_HEX: usize = render::ADVICE_ID_HEX;

pub(super) const EXPIRED: &str = "This answer has expired, so I cannot act on it. Ask again and \
                                  use the buttons under the new answer.";
const LOOKUP_FAILED: &str =
    "I could not look that answer up just now. Please try again in a minute.";

/// Whether `value` has the shape of an id we hand out, before any lookup.
fn is_id(value: &str) -> bool {
    value.len() == ID_HEX
        && value
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The advice for `text` as a private Slack message with its buttons when
/// something matched, and the record those buttons point at.
pub(super) fn advice_with_buttons(state: &AppState, text: &str) -> (Value, Option<ShownAdvice>) {
    let kb = &state.kb;
    let advice = timed_advise(state, text);
    let (reply, id) = render::private_reply(kb, text, &advice);
    let shown = id.map(|id| {
        let shown = record(state, text, &advice, ReadFrom::Message);
        // One id for the buttons and the record, whoever computes it.
        debug_assert_eq!(shown.id, id);
        shown
    });
    (reply, shown)
}

/// The private reply with buttons for `text`, its record saved first so a
/// click on it finds the record.
pub(super) async fn recorded_reply(state: &AppState, text: &str) -> Value {
    let (reply, shown) = advice_with_buttons(state, text);
    if let Some(shown) = shown {
        remember(state, shown).await;
    }
    reply
}

/// The record of `advice` for `question` as it is about to be shown, its
/// "what was read" line worded for where it is shown.
fn record(state: &AppState, question: &str, advice: &Advice, from: ReadFrom) -> ShownAdvice {
    let kb = &state.kb;
    let message = render::read_from(kb, render::advice_message(kb, advice), from).to_string();
    ShownAdvice {
        id: render::advice_id(question, &message),
        question: question.to_owned(),
        primary_scope: advice.primary_scope.clone(),
        stages: advice.stages.clone(),
        rules: advice.matched.iter().map(|m| m.rule.clone()).collect(),
        details: render::read_from(kb, render::advice_details(kb, advice), from).to_string(),
        message,
        shown_at: 0,
    }
}

/// A thread reply's message: the first screen, with a "Details" button
/// when there is more to show (the record it points at is saved first).
/// What was read is "from the thread", not "from your message": the
/// reply is for everyone in it.
pub(super) async fn thread_message(state: &AppState, question: &str, advice: &Advice) -> Value {
    let msg = render::read_from(
        &state.kb,
        render::advice_message(&state.kb, advice),
        ReadFrom::Thread,
    );
    if !render::has_details(advice) {
        return msg;
    }
    let shown = record(state, question, advice, ReadFrom::Thread);
    remember(state, shown.clone()).await;
    render::with_details_button(msg, &shown.id)
}

/// The full advice, privately, for whoever clicked "Details".
pub(super) fn details_reply(shown: &ShownAdvice) -> Option<Value> {
    let mut msg: Value = serde_json::from_str(&shown.details).ok()?;
    msg["response_type"] = serde_json::json!("ephemeral");
    msg["replace_original"] = serde_json::json!(false);
    Some(msg)
}

/// Saves the record behind a reply about to be shown. A failed or slow save
/// is logged and the reply still goes out: its buttons then say the answer
/// expired, and asking again saves it again.
pub(super) async fn remember(state: &AppState, shown: ShownAdvice) {
    let row = ShownAdvice {
        shown_at: state.clock.now(),
        ..shown
    };
    let failed = match tokio::time::timeout(SAVE_WAIT, state.store.save_advice(&row)).await {
        Ok(Ok(())) => return,
        Ok(Err(e)) => e.to_string(),
        Err(_) => "the store did not answer in time".to_owned(),
    };
    tracing::warn!(error = %failed, "could not record the advice shown; its buttons will say it expired");
}

/// The advice a button's value points at, or the private reply to send
/// instead.
pub(super) async fn lookup(state: &AppState, value: &str) -> Result<ShownAdvice, Value> {
    if !is_id(value) {
        tracing::debug!("a button value that is not an advice id");
        return Err(ephemeral_text(EXPIRED));
    }
    match state.store.shown_advice(value).await {
        Ok(Some(shown)) => Ok(shown),
        Ok(None) => Err(ephemeral_text(EXPIRED)),
        Err(e) => {
            tracing::warn!(error = %e, "could not look up the advice behind a button");
            Err(ephemeral_text(LOOKUP_FAILED))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_depend_on_question_and_advice_and_only_ours_are_accepted() {
        let a = render::advice_id("we bumped the learning rate", "{\"blocks\":[1]}");
        assert_eq!(
            a,
            render::advice_id("we bumped the learning rate", "{\"blocks\":[1]}")
        );
        assert_ne!(
            a,
            render::advice_id("we bumped the learning rate", "{\"blocks\":[2]}")
        );
        assert_ne!(
            a,
            render::advice_id("we bumped the batch size", "{\"blocks\":[1]}")
        );
        assert!(is_id(&a), "{a}");
        for forged in [
            "",
            "we bumped the learning rate",
            &a.to_uppercase(),
            &a[1..],
            "../../etc",
        ] {
            assert!(!is_id(forged), "{forged:?}");
        }
    }
}
