//! Advice as it was shown: each reply with buttons records its question
//! under an id that the buttons carry, so Share, Helpful, Not quite and
//! Details act on the question the person asked, not on a button value
//! (which Slack cuts at 2,000 characters).
//!
//! The id is a hash of the question and the message shown. A click advises
//! on the recorded question again and acts only when that gives the same
//! id, so it acts on exactly the advice the person saw; keeping the
//! question alone (not the rendered advice) keeps each record small.
//!
//! Nothing a payload points at is trusted: a value that is not one of our
//! ids, an id no longer stored, or one whose question the knowledge base
//! now answers differently gets "this answer has expired".
//!
//! Records are written off the reply path: a reply queues its record in
//! [`ShownLog`] and goes out at once, and one writer saves whatever has
//! queued in a single transaction. A click is a human's, seconds later, but
//! a lookup checks the queue first anyway. Waiting for each save before
//! replying held every answer behind SQLite's one write at a time.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::AppState;
use super::replies::{ephemeral_text, timed_advise};
use crate::advisor::Advice;
use crate::render::{self, Message, ReadFrom};
use crate::store::ShownQuestion;

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
/// How long the writer lets records gather after one queues, before it
/// writes them. Under load a batch then holds many rows and pays one
/// transaction's commit for all of them, instead of one commit for every
/// reply or two; a click checks the queue first, so nothing waits on it.
const GATHER: Duration = Duration::from_millis(20);

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

/// What a button acts on: the question, and the advice shown for it.
#[derive(Debug, Clone)]
pub(crate) struct ShownAdvice {
    pub(crate) id: String,
    pub(crate) question: String,
    pub(crate) advice: Advice,
    /// Where it was shown, which words its "what was read" line.
    pub(crate) from: ReadFrom,
    /// The first screen as shown, without its buttons: what Share posts.
    pub(crate) first: Message,
}

impl ShownAdvice {
    /// Ids of the rules that fired.
    pub(crate) fn rules(&self) -> Vec<String> {
        self.advice.matched.iter().map(|m| m.rule.clone()).collect()
    }
}

/// The private reply with buttons for `text`, its record queued so a click
/// on it finds the record.
pub(super) fn recorded_reply(state: &AppState, text: &str) -> Message {
    let advice = timed_advise(state, text);
    let (reply, id) = render::private_reply(&state.kb, text, &advice);
    if let Some(id) = id {
        remember(state, id, text, ReadFrom::Message);
    }
    reply
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
    let button = render::with_details_button(shown.first, &shown.id);
    remember(state, shown.id, question, ReadFrom::Thread);
    button
}

/// The full advice, privately, for whoever clicked "Details".
pub(super) fn details_reply(state: &AppState, shown: &ShownAdvice) -> Message {
    let kb = &state.kb;
    render::read_from(kb, render::advice_details(kb, &shown.advice), shown.from)
        .ephemeral()
        .replacing(false)
}

/// How a place is stored, and read back.
fn place(from: ReadFrom) -> &'static str {
    match from {
        ReadFrom::Message => "message",
        ReadFrom::Question => "question",
        ReadFrom::Thread => "thread",
    }
}

fn read_place(stored: &str) -> Option<ReadFrom> {
    [ReadFrom::Message, ReadFrom::Question, ReadFrom::Thread]
        .into_iter()
        .find(|&from| place(from) == stored)
}

/// Queues the record behind a reply about to be shown.
fn remember(state: &AppState, id: String, question: &str, from: ReadFrom) {
    state.shown.push(ShownQuestion {
        id,
        question: question.to_owned(),
        shown_in: place(from).to_owned(),
        shown_at: state.clock.now(),
    });
}

/// Shown questions not yet in the store: the queue, and the batch being
/// written, both searched by [`lookup`].
#[derive(Default)]
pub struct ShownLog {
    unwritten: Mutex<Unwritten>,
    queued: tokio::sync::Notify,
}

#[derive(Default)]
struct Unwritten {
    queue: Vec<ShownQuestion>,
    writing: Arc<[ShownQuestion]>,
}

impl ShownLog {
    fn lock(&self) -> std::sync::MutexGuard<'_, Unwritten> {
        self.unwritten
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn push(&self, row: ShownQuestion) {
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

    fn find(&self, id: &str) -> Option<ShownQuestion> {
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
        let batch: Arc<[ShownQuestion]> = {
            let mut u = self.lock();
            if u.queue.is_empty() {
                return;
            }
            let batch: Arc<[ShownQuestion]> = std::mem::take(&mut u.queue).into();
            u.writing = Arc::clone(&batch);
            batch
        };
        let failed = match tokio::time::timeout(SAVE_WAIT, store.save_shown(&batch)).await {
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

    /// The writer: saves what has queued [`GATHER`] after a record
    /// arrives, until `stop`, then once more. Shutdown flushes again after the last background reply.
    pub(super) async fn run(&self, state: &AppState, stop: &CancellationToken) {
        loop {
            tokio::select! {
                () = stop.cancelled() => break,
                () = self.queued.notified() => {
                    tokio::select! {
                        () = stop.cancelled() => {}
                        () = tokio::time::sleep(GATHER) => {}
                    }
                    self.flush(&*state.store).await;
                }
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
    let row = match state.shown.find(value) {
        Some(row) => row,
        None => match state.store.shown_question(value).await {
            Ok(Some(row)) => row,
            Ok(None) => return Err(ephemeral_text(EXPIRED)),
            Err(e) => {
                tracing::warn!(error = %e, "could not look up the advice behind a button");
                return Err(ephemeral_text(LOOKUP_FAILED));
            }
        },
    };
    recall(state, row).ok_or_else(|| ephemeral_text(EXPIRED))
}

/// The advice shown for `row`, if advising on its question again gives the
/// answer its id was made from.
fn recall(state: &AppState, row: ShownQuestion) -> Option<ShownAdvice> {
    let kb = &state.kb;
    let from = read_place(&row.shown_in)?;
    // Not counted in the advice metric: nobody asked anything new.
    let advice = crate::advise(kb, &row.question);
    let shown = render::shown(kb, &row.question, &advice, from);
    if shown.id != row.id {
        tracing::info!(
            "the knowledge base answers a recorded question differently now; its buttons expired"
        );
        return None;
    }
    Some(ShownAdvice {
        id: row.id,
        question: row.question,
        advice,
        from,
        first: shown.first,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;
    use crate::store::sqlite::SqliteStore;

    fn row(id: &str, shown_at: i64) -> ShownQuestion {
        ShownQuestion {
            id: id.to_owned(),
            question: format!("question {id}"),
            shown_in: "message".to_owned(),
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
        assert_eq!(store.shown_question("a").await.unwrap(), None);

        log.flush(&store).await;

        assert_eq!(log.find("a"), None, "written rows leave the queue");
        assert_eq!(
            store.shown_question("a").await.unwrap().map(|r| r.shown_at),
            Some(2)
        );
        assert!(store.shown_question("b").await.unwrap().is_some());
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
    fn every_place_an_answer_is_shown_reads_back() {
        for from in [ReadFrom::Message, ReadFrom::Question, ReadFrom::Thread] {
            assert_eq!(read_place(place(from)), Some(from));
        }
        assert_eq!(read_place("channel"), None);
    }

    #[test]
    fn ids_depend_on_question_and_advice_and_only_ours_are_accepted() {
        let (one, two) = (Message::text("one"), Message::text("two"));
        let a = render::advice_id("we bumped the learning rate", &one);
        assert_eq!(a, render::advice_id("we bumped the learning rate", &one));
        assert_ne!(a, render::advice_id("we bumped the learning rate", &two));
        assert_ne!(a, render::advice_id("we bumped the batch size", &one));
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
