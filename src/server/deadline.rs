//! Per-connection deadlines: a client gets `header_timeout` to send a request
//! (silent, idle and slowloris clients alike), and a request gets
//! `request_timeout` from its headers to its answer (a body that trickles in,
//! a handler that hangs). Past either, the connection is closed.
//!
//! Each connection has one timer, armed for the earliest moment a deadline
//! could pass and re-armed only when it fires. Requests merely record when
//! they start and finish. A timer per request (hyper's header timeout plus a
//! timeout layer) cost two timer-wheel insertions and removals on every
//! request, a measurable share of the webhook path.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// What one connection is doing, and since when.
#[derive(Debug)]
pub(crate) struct Deadlines {
    /// Nanoseconds since [`epoch`] of the last change, shifted left by one;
    /// the low bit is set while a request is being answered. One word, so a
    /// reader never sees a time from one state with the flag of another.
    state: AtomicU64,
}

fn epoch() -> Instant {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

fn encode(at: Instant, busy: bool) -> u64 {
    let nanos = u64::try_from(at.saturating_duration_since(epoch()).as_nanos()).unwrap_or(u64::MAX);
    (nanos.min(u64::MAX >> 1) << 1) | u64::from(busy)
}

impl Deadlines {
    /// A connection accepted at `at`, waiting for its first request.
    pub(crate) fn new(at: Instant) -> Deadlines {
        Deadlines {
            state: AtomicU64::new(encode(at, false)),
        }
    }

    pub(crate) fn request_started(&self, at: Instant) {
        self.state.store(encode(at, true), Ordering::Relaxed);
    }

    pub(crate) fn request_finished(&self, at: Instant) {
        self.state.store(encode(at, false), Ordering::Relaxed);
    }

    /// When the connection must be closed if nothing changes before then.
    pub(crate) fn due(&self, header_timeout: Duration, request_timeout: Duration) -> Instant {
        let state = self.state.load(Ordering::Relaxed);
        let since = epoch() + Duration::from_nanos(state >> 1);
        since
            + if state & 1 == 1 {
                request_timeout
            } else {
                header_timeout
            }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADERS: Duration = Duration::from_secs(2);
    const REQUEST: Duration = Duration::from_secs(7);

    #[test]
    fn idle_connections_get_the_header_timeout_from_their_last_answer() {
        let start = Instant::now();
        let d = Deadlines::new(start);
        assert_eq!(d.due(HEADERS, REQUEST), start + HEADERS);
        d.request_started(start + Duration::from_secs(1));
        d.request_finished(start + Duration::from_secs(3));
        assert_eq!(
            d.due(HEADERS, REQUEST),
            start + Duration::from_secs(3) + HEADERS
        );
    }

    #[test]
    fn a_request_in_flight_gets_the_request_timeout_from_its_start() {
        let start = Instant::now();
        let d = Deadlines::new(start);
        d.request_started(start + Duration::from_secs(1));
        assert_eq!(
            d.due(HEADERS, REQUEST),
            start + Duration::from_secs(1) + REQUEST
        );
    }

    #[test]
    fn times_survive_the_encoding_to_the_nanosecond() {
        let at = epoch() + Duration::new(123_456, 789);
        let d = Deadlines::new(at);
        assert_eq!(d.due(Duration::ZERO, Duration::ZERO), at);
    }
}
