//! Waits between reconnect attempts: exponential, capped, with jitter so
//! that several connections (or replicas) dropped together do not come back
//! in the same instant and trip Slack's rate limit.

use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// The wait after the first failure.
    pub first: Duration,
    /// The longest wait.
    pub max: Duration,
}

impl Backoff {
    /// The wait after `failures` failures in a row (at least one): doubling
    /// from `first` up to `max`, then a random point in its upper half, so
    /// the wait grows with every failure and never drops below half.
    pub(super) fn delay(&self, failures: u32) -> Duration {
        let exp = failures.saturating_sub(1).min(31);
        let full = self.first.saturating_mul(1u32 << exp).min(self.max);
        let half = full / 2;
        half + random_up_to(full - half)
    }
}

/// A random duration in `0..=max`; differs between calls, which is all
/// jitter needs (std's randomly keyed hasher, no `rand` dependency).
fn random_up_to(max: Duration) -> Duration {
    let nanos = u64::try_from(max.as_nanos()).unwrap_or(u64::MAX);
    if nanos == 0 {
        return Duration::ZERO;
    }
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default(),
    );
    Duration::from_nanos(h.finish() % nanos.saturating_add(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    const B: Backoff = Backoff {
        first: Duration::from_secs(1),
        max: Duration::from_secs(30),
    };

    #[test]
    fn waits_grow_then_stop_at_the_cap() {
        for failures in 1..40 {
            let d = B.delay(failures);
            let full = Duration::from_secs(1u64 << (failures - 1).min(5)).min(B.max);
            assert!(
                d >= full / 2 && d <= full,
                "{failures}: {d:?} outside {full:?}/2..={full:?}"
            );
        }
    }

    #[test]
    fn never_zero_so_never_a_tight_loop() {
        assert!(B.delay(0) >= Duration::from_millis(500));
        assert!(B.delay(u32::MAX) >= Duration::from_secs(15));
    }
}
