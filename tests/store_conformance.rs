//! Behaviour every `Store` backend must share, written against the trait only.
//!
//! Each case is an `async fn(Arc<dyn Store>)` in `cases`. `conformance!`
//! turns the whole list into one `#[tokio::test]` per case for a backend,
//! given a factory that returns a fresh, empty store. To cover another
//! backend, add a module that invokes the macro with its own factory; nothing
//! in `cases` knows which backend it is talking to.

// The only line that names the crate.
use testscope::store::{Feedback, Store, Verdict, open};

use std::sync::Arc;

mod cases {
    use super::*;

    use std::sync::atomic::{AtomicU64, Ordering};
    use tokio::sync::Barrier;

    /// An id no other case or earlier run has used, so a backend whose
    /// factory hands out a shared database still gets no key collisions.
    fn unique(prefix: &str) -> String {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        format!("{prefix}-{}-{nanos}-{n}", std::process::id())
    }

    fn click(advice_id: &str, user_id: &str, verdict: Verdict, at: i64) -> Feedback {
        Feedback {
            advice_id: advice_id.to_owned(),
            team_id: "T0001".to_owned(),
            user_id: user_id.to_owned(),
            channel_id: "C0001".to_owned(),
            verdict,
            primary_scope: Some("integration".to_owned()),
            rules: vec![
                "touches-model-weights".to_owned(),
                "new-dependency".to_owned(),
            ],
            at,
        }
    }

    pub(crate) async fn claim_is_true_once_then_false(store: Arc<dyn Store>) {
        let id = unique("Ev");
        assert!(store.claim_event(&id, 1_000).await.unwrap());
        assert!(!store.claim_event(&id, 1_000).await.unwrap());
        // A retry arriving later is still a repeat.
        assert!(!store.claim_event(&id, 1_060).await.unwrap());
    }

    pub(crate) async fn different_ids_are_independent(store: Arc<dyn Store>) {
        let (a, b) = (unique("EvA"), unique("EvB"));
        assert!(store.claim_event(&a, 1_000).await.unwrap());
        assert!(store.claim_event(&b, 1_000).await.unwrap());
        assert!(!store.claim_event(&a, 1_001).await.unwrap());
        assert!(!store.claim_event(&b, 1_001).await.unwrap());
    }

    pub(crate) async fn concurrent_claims_have_exactly_one_winner(store: Arc<dyn Store>) {
        const TASKS: usize = 50;
        let id: Arc<str> = unique("EvRace").into();
        // The barrier releases all tasks together so the claims really overlap.
        let start = Arc::new(Barrier::new(TASKS));
        let tasks: Vec<_> = (0..TASKS)
            .map(|_| {
                let (store, id, start) = (Arc::clone(&store), Arc::clone(&id), Arc::clone(&start));
                tokio::spawn(async move {
                    start.wait().await;
                    store.claim_event(&id, 1_000).await
                })
            })
            .collect();
        let mut wins = 0;
        for task in tasks {
            if task.await.unwrap().unwrap() {
                wins += 1;
            }
        }
        assert_eq!(wins, 1, "exactly one of {TASKS} concurrent claims may win");
    }

    pub(crate) async fn prune_removes_only_older_records(store: Arc<dyn Store>) {
        let (old, boundary, new) = (unique("EvOld"), unique("EvEdge"), unique("EvNew"));
        assert!(store.claim_event(&old, 1_000).await.unwrap());
        assert!(store.claim_event(&boundary, 2_000).await.unwrap());
        assert!(store.claim_event(&new, 3_000).await.unwrap());

        // "Older than" is strict: a record claimed exactly at `before` stays.
        assert_eq!(store.prune_events(2_000).await.unwrap(), 1);
        assert_eq!(store.prune_events(2_000).await.unwrap(), 0);

        // A pruned id is forgotten and can be claimed again; the rest are not.
        assert!(store.claim_event(&old, 4_000).await.unwrap());
        assert!(!store.claim_event(&boundary, 4_000).await.unwrap());
        assert!(!store.claim_event(&new, 4_000).await.unwrap());
    }

    pub(crate) async fn counts_start_at_zero(store: Arc<dyn Store>) {
        assert_eq!(store.feedback_counts().await.unwrap(), (0, 0));
    }

    pub(crate) async fn feedback_is_one_vote_per_user_and_advice(store: Arc<dyn Store>) {
        let (a1, a2) = (unique("adv"), unique("adv"));
        store
            .record_feedback(&click(&a1, "U1", Verdict::Helpful, 100))
            .await
            .unwrap();
        assert_eq!(store.feedback_counts().await.unwrap(), (1, 0));

        // The same user changing their mind replaces the vote.
        store
            .record_feedback(&click(&a1, "U1", Verdict::NotQuite, 110))
            .await
            .unwrap();
        assert_eq!(store.feedback_counts().await.unwrap(), (0, 1));

        // Clicking the same button twice does not count twice.
        store
            .record_feedback(&click(&a1, "U1", Verdict::NotQuite, 120))
            .await
            .unwrap();
        assert_eq!(store.feedback_counts().await.unwrap(), (0, 1));

        // Another user on the same advice, and the same user on other advice,
        // are separate votes.
        store
            .record_feedback(&click(&a1, "U2", Verdict::Helpful, 130))
            .await
            .unwrap();
        store
            .record_feedback(&click(&a2, "U1", Verdict::Helpful, 140))
            .await
            .unwrap();
        assert_eq!(store.feedback_counts().await.unwrap(), (2, 1));

        // And they change back independently.
        store
            .record_feedback(&click(&a1, "U1", Verdict::Helpful, 150))
            .await
            .unwrap();
        assert_eq!(store.feedback_counts().await.unwrap(), (3, 0));
    }

    pub(crate) async fn a_late_older_click_does_not_override_a_newer_one(store: Arc<dyn Store>) {
        let advice = unique("adv");
        store
            .record_feedback(&click(&advice, "U1", Verdict::NotQuite, 200))
            .await
            .unwrap();
        // Delivered after, but clicked before: ignored.
        store
            .record_feedback(&click(&advice, "U1", Verdict::Helpful, 150))
            .await
            .unwrap();
        assert_eq!(store.feedback_counts().await.unwrap(), (0, 1));
        // Same second: the call that arrives last wins.
        store
            .record_feedback(&click(&advice, "U1", Verdict::Helpful, 200))
            .await
            .unwrap();
        assert_eq!(store.feedback_counts().await.unwrap(), (1, 0));
    }

    pub(crate) async fn feedback_accepts_optional_and_unusual_fields(store: Arc<dyn Store>) {
        let mut fb = click(&unique("adv"), "U1", Verdict::Helpful, 100);
        fb.primary_scope = None;
        fb.rules.clear();
        store.record_feedback(&fb).await.unwrap();

        let mut fb = click(&unique("adv"), "U1", Verdict::NotQuite, 100);
        fb.rules = vec![
            "quote\"d".to_owned(),
            "back\\slash".to_owned(),
            "ünïcødé ✓".to_owned(),
            "semi; DROP TABLE feedback;--".to_owned(),
        ];
        store.record_feedback(&fb).await.unwrap();
        assert_eq!(store.feedback_counts().await.unwrap(), (1, 1));
    }

    pub(crate) async fn concurrent_feedback_from_many_users_all_counts(store: Arc<dyn Store>) {
        let advice: Arc<str> = unique("adv").into();
        let tasks: Vec<_> = (0..20)
            .map(|i| {
                let (store, advice) = (Arc::clone(&store), Arc::clone(&advice));
                tokio::spawn(async move {
                    let verdict = if i % 4 == 0 {
                        Verdict::NotQuite
                    } else {
                        Verdict::Helpful
                    };
                    store
                        .record_feedback(&click(&advice, &format!("U{i}"), verdict, 100))
                        .await
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        assert_eq!(store.feedback_counts().await.unwrap(), (15, 5));
    }

    pub(crate) async fn ping_succeeds(store: Arc<dyn Store>) {
        store.ping().await.unwrap();
        // Also after some traffic.
        store.claim_event(&unique("Ev"), 1).await.unwrap();
        store.ping().await.unwrap();
    }
}

/// One `#[tokio::test]` per case, each on a store from `$factory` (an async
/// fn returning a fresh, empty `Arc<dyn Store>`). Multi-threaded so that
/// spawned tasks really run in parallel.
macro_rules! conformance {
    ($factory:path) => {
        conformance!(@cases $factory;
            claim_is_true_once_then_false,
            different_ids_are_independent,
            concurrent_claims_have_exactly_one_winner,
            prune_removes_only_older_records,
            counts_start_at_zero,
            feedback_is_one_vote_per_user_and_advice,
            a_late_older_click_does_not_override_a_newer_one,
            feedback_accepts_optional_and_unusual_fields,
            concurrent_feedback_from_many_users_all_counts,
            ping_succeeds,
        );
    };
    (@cases $factory:path; $($case:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                let (store, _guard) = $factory().await;
                crate::cases::$case(store).await;
            }
        )*
    };
}

/// In-memory SQLite: the fastest fresh store.
mod sqlite_memory {
    use super::*;

    async fn fresh() -> (Arc<dyn Store>, ()) {
        (open("sqlite::memory:").await.unwrap(), ())
    }

    conformance!(fresh);
}

/// File-backed SQLite in WAL mode, the configuration the service runs.
mod sqlite_file {
    use super::*;

    /// The temp dir is returned alongside the store so it outlives the case.
    async fn fresh() -> (Arc<dyn Store>, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("conformance.db").display());
        (open(&url).await.unwrap(), dir)
    }

    conformance!(fresh);
}
