//! Advice as it was shown: each reply with buttons is recorded under an id
//! that the buttons carry, so Share, Helpful and Not quite act on the
//! question and advice the person saw, not on a re-run of the advisor over
//! a button value (which Slack cuts at 2,000 characters).
//!
//! Nothing a payload points at is trusted: a value that is not one of our
//! ids, or an id no longer stored, gets "this answer has expired".
//!
//! Records are written off the reply path: a reply queues its record in
//! [`ShownLog`] and goes out at once, and one writer saves whatever has
//! queued in a single transaction. A click is a human's, seconds later, but
//! a lookup checks the queue first anyway. Waiting for each save before
//! replying cost three quarters of the throughput on new questions, because
//! SQLite writes one row at a time.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::AppState;
use super::replies::{ephemeral_text, timed_advise};
use crate::advisor::Advice;
use crate::render::{self, Message, ReadFrom};
use crate::store::ShownAdvice;

/// How long a shown answer's buttons keep working: a week after it was
/// last shown. The question text is kept only that long (unless someone
/// sends it as feedback), then purged by a background job.
pub(super) const KEPT_SECS: i64 = 7 * 24 * 60 * 60;

/// Records queued beyond this are dropped (their buttons say the answer
/// expired) rather than held: the store is not keeping up or is down, and
/// memory must not grow with the backlog.
const MAX_QUEUED: usize = 4096;
/// How long one batch may take before its rows are given up.
const SAVE_WAIT: Duration = Duration::from_secs(10);

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

/// The private reply with buttons for `text`, its record queued so a click
/// on it finds the record.
pub(super) fn recorded_reply(state: &AppState, text: &str) -> Message {
    let advice = timed_advise(state, text);
    let (reply, shown) = render::private_reply(&state.kb, text, &advice);
    if let Some(shown) = shown {
        remember(state, record(text, &advice, shown));
    }
    reply
}

/// The record of `advice` for `question` as it is about to be shown.
fn record(question: &str, advice: &Advice, shown: render::Shown) -> ShownAdvice {
    ShownAdvice {
        id: shown.id,
        question: question.to_owned(),
        primary_scope: advice.primary_scope.clone(),
        stages: advice.stages.clone(),
        rules: advice.matched.iter().map(|m| m.rule.clone()).collect(),
        message: shown.first_json,
        details: shown.details_json,
        shown_at: 0,
    }
}

/// A thread reply's message: the first screen, with a "Details" button
/// when there is more to show (the record it points at is queued first).
/// What was read is "from the thread", not "from your message": the
/// reply is for everyone in it.
pub(super) fn thread_message(state: &AppState, question: &str, advice: &Advice) -> Message {
    let kb = &state.kb;
    if !render::has_details(advice) {
        return render::read_from(kb, render::advice_message(kb, advice), ReadFrom::Thread);
    }
    let shown = render::shown(kb, question, advice, ReadFrom::Thread);
    let (id, first) = (shown.id.clone(), shown.first.clone());
    remember(state, record(question, advice, shown));
    render::with_details_button(first, &id)
}

/// The full advice, privately, for whoever clicked "Details".
pub(super) fn details_reply(shown: &ShownAdvice) -> Option<Message> {
    let msg: Message = serde_json::from_str(&shown.details).ok()?;
    Some(msg.ephemeral().replacing(false))
}

/// Queues the record behind a reply about to be shown.
pub(super) fn remember(state: &AppState, shown: ShownAdvice) {
    state.shown.push(ShownAdvice {
        shown_at: state.clock.now(),
        ..shown
    });
}

/// Shown advice not yet in the store: the queue, and the batch being
/// written, both searched by [`lookup`].
#[derive(Default)]
pub struct ShownLog {
    unwritten: Mutex<Unwritten>,
    queued: tokio::sync::Notify,
}

#[derive(Default)]
struct Unwritten {
    queue: Vec<ShownAdvice>,
    writing: Arc<[ShownAdvice]>,
}

impl ShownLog {
    fn lock(&self) -> std::sync::MutexGuard<'_, Unwritten> {
        self.unwritten
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn push(&self, row: ShownAdvice) {
        {
            let mut u = self.lock();
            if u.queue.len() >= MAX_QUEUED {
                drop(u);
                metrics::counter!("testscope_advice_records_dropped_total").increment(1);
                tracing::warn!(
                    "too many answers waiting to be recorded; this one's buttons will say it expired"
                );
                return;
            }
            u.queue.push(row);
        }
        self.queued.notify_one();
    }

    fn find(&self, id: &str) -> Option<ShownAdvice> {
        let u = self.lock();
        // Newest first: the same id shown twice keeps its latest time.
        u.queue
            .iter()
            .rev()
            .chain(u.writing.iter())
            .find(|row| row.id == id)
            .cloned()
    }

    /// Writes whatever has queued, in one transaction. A failed batch is
    /// logged and given up: its buttons say the answer expired, and asking
    /// again records it again.
    pub async fn flush(&self, store: &dyn crate::store::Store) {
        let batch: Arc<[ShownAdvice]> = {
            let mut u = self.lock();
            if u.queue.is_empty() {
                return;
            }
            let batch: Arc<[ShownAdvice]> = std::mem::take(&mut u.queue).into();
            u.writing = Arc::clone(&batch);
            batch
        };
        let failed = match tokio::time::timeout(SAVE_WAIT, store.save_advice(&batch)).await {
            Ok(Ok(())) => None,
            Ok(Err(e)) => Some(e.to_string()),
            Err(_) => Some("the store did not answer in time".to_owned()),
        };
        self.lock().writing = Arc::from([]);
        if let Some(error) = failed {
            metrics::counter!("testscope_advice_records_dropped_total")
                .increment(batch.len() as u64);
            tracing::warn!(%error, rows = batch.len(), "could not record the advice shown; its buttons will say it expired");
        }
    }

    /// The writer: saves each batch as it queues, until `stop`, then once
    /// more. Shutdown flushes again after the last background reply.
    pub(super) async fn run(&self, state: &AppState, stop: &CancellationToken) {
        loop {
            tokio::select! {
                () = stop.cancelled() => break,
                () = self.queued.notified() => self.flush(&*state.store).await,
            }
        }
        self.flush(&*state.store).await;
    }
}

/// The advice a button's value points at, or the private reply to send
/// instead.
pub(super) async fn lookup(state: &AppState, value: &str) -> Result<ShownAdvice, Message> {
    if !is_id(value) {
        tracing::debug!("a button value that is not an advice id");
        return Err(ephemeral_text(EXPIRED));
    }
    if let Some(shown) = state.shown.find(value) {
        return Ok(shown);
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
    use crate::store::Store;
    use crate::store::sqlite::SqliteStore;

    fn row(id: &str, shown_at: i64) -> ShownAdvice {
        ShownAdvice {
            id: id.to_owned(),
            question: format!("question {id}"),
            primary_scope: Some("unit".to_owned()),
            stages: vec!["dev".to_owned()],
            rules: vec![],
            message: "{}".to_owned(),
            details: "{}".to_owned(),
            shown_at,
        }
    }

    #[tokio::test]
    async fn queued_records_are_found_before_and_after_they_are_written() {
        let store = SqliteStore::open_in_memory().unwrap();
        let log = ShownLog::default();
        log.push(row("a", 1));
        log.push(row("b", 1));
        log.push(row("a", 2));
        assert_eq!(log.find("a").map(|r| r.shown_at), Some(2), "latest showing");
        assert_eq!(store.shown_advice("a").await.unwrap(), None);

        log.flush(&store).await;

        assert_eq!(log.find("a"), None, "written rows leave the queue");
        assert_eq!(
            store.shown_advice("a").await.unwrap().map(|r| r.shown_at),
            Some(2)
        );
        assert!(store.shown_advice("b").await.unwrap().is_some());
    }

    #[tokio::test]
    async fn the_queue_is_bounded_while_the_store_does_not_keep_up() {
        let log = ShownLog::default();
        for i in 0..MAX_QUEUED + 10 {
            log.push(row(&format!("{i}"), 1));
        }
        assert_eq!(log.lock().queue.len(), MAX_QUEUED);
        assert!(log.find("0").is_some(), "the oldest are kept");
        assert!(log.find(&format!("{}", MAX_QUEUED + 5)).is_none());
    }

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
