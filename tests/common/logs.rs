//! Log capture for tests that check what the service logs (and what it must
//! never log), shared by the test binaries that include it with `#[path]`.

#![allow(dead_code, reason = "each test binary uses the part it needs")]

use std::fmt::Write as _;
use std::sync::{Arc, Mutex};

/// Captures the text of `tracing` events emitted on the current thread, so
/// tests can check what the client logs (and what it must never log) without
/// pulling in `tracing-subscriber`.
///
/// A per-test `tracing::subscriber::set_default` is not enough when tests run
/// in parallel: a log call site first reached on a thread without a
/// subscriber can be cached as "disabled" and then stay silent for the test
/// that does listen. So one global subscriber stays interested in everything
/// and hands each event to whichever capture the current thread registered.
/// `#[tokio::test]` drives the whole test on its own thread, so the client's
/// events land in that test's capture.
#[derive(Clone, Default)]
pub(crate) struct LogCapture(Arc<Mutex<Vec<String>>>);

thread_local! {
    static THREAD_CAPTURE: std::cell::RefCell<Option<LogCapture>> =
        const { std::cell::RefCell::new(None) };
}

impl LogCapture {
    /// Starts capturing this thread's events (until the thread ends).
    pub(crate) fn start() -> Self {
        static INSTALL: std::sync::Once = std::sync::Once::new();
        INSTALL.call_once(|| {
            tracing::subscriber::set_global_default(ThreadRouter)
                .expect("no other global subscriber in this test binary");
        });
        let capture = Self::default();
        THREAD_CAPTURE.with(|slot| *slot.borrow_mut() = Some(capture.clone()));
        capture
    }

    pub(crate) fn lines(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }
}

struct FieldText<'a>(&'a mut String);

impl tracing::field::Visit for FieldText<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, "{}={value:?} ", field.name());
    }
}

struct ThreadRouter;

impl ThreadRouter {
    fn push(record: impl FnOnce(&mut FieldText<'_>)) {
        THREAD_CAPTURE.with(|slot| {
            if let Some(capture) = slot.borrow().as_ref() {
                let mut line = String::new();
                record(&mut FieldText(&mut line));
                capture.0.lock().unwrap().push(line);
            }
        });
    }
}

impl tracing::Subscriber for ThreadRouter {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        Self::push(|v| span.record(v));
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        Self::push(|v| values.record(v));
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        Self::push(|v| event.record(v));
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}
