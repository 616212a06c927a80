//! Behaviour every `Store` backend must share, written against the trait only.
//!
//! Each case is an `async fn(Arc<dyn Store>)` in `cases`. `conformance!`
//! turns the whole list into one `#[tokio::test]` per case for a backend,
//! given a factory that returns a fresh, empty store (or `None` to skip the
//! backend). To cover another backend, add a module that invokes the macro
//! with its own factory; nothing in `cases` knows which backend it is
//! talking to.
//!
//! PostgreSQL runs only when `TEST_DATABASE_URL` names a database, e.g.
//! `TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test`; each case
//! gets a schema of its own, dropped afterwards. `pg_only` adds the cases
//! that need two replicas or a database that goes away.

// The only line that names the crate.
use testscope::store::{
    AnswerOutcome, Claim, Feedback, MissReport, PostClaim, QuizAnswer, QuizPost, ShownQuestion,
    Store, StoreError, Subscription, Verdict, open,
};

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

    pub(crate) async fn shown_questions_are_kept_refreshed_and_purged(store: Arc<dyn Store>) {
        let id = unique("advice");
        let shown = ShownQuestion {
            id: id.clone(),
            question: "we bumped the learning rate — ünïcode, 'quotes' and \"more\"".to_owned(),
            shown_in: "thread".to_owned(),
            shown_at: 1_000,
        };
        assert_eq!(store.shown_question(&id).await.unwrap(), None);
        store
            .save_shown(std::slice::from_ref(&shown))
            .await
            .unwrap();
        assert_eq!(
            store.shown_question(&id).await.unwrap(),
            Some(shown.clone())
        );
        // Shown again later: the row's time moves forward, never back.
        store
            .save_shown(&[ShownQuestion {
                shown_at: 5_000,
                ..shown.clone()
            }])
            .await
            .unwrap();
        store
            .save_shown(&[ShownQuestion {
                shown_at: 2_000,
                ..shown.clone()
            }])
            .await
            .unwrap();
        let got = store.shown_question(&id).await.unwrap().unwrap();
        assert_eq!(got.shown_at, 5_000);
        assert_eq!(
            store.purge_shown(5_000).await.unwrap(),
            0,
            "strictly older only"
        );
        assert!(store.purge_shown(5_001).await.unwrap() >= 1);
        assert_eq!(store.shown_question(&id).await.unwrap(), None);

        // A batch is written whole, an id repeated in it included.
        let batch: Vec<ShownQuestion> = (0..3)
            .map(|i| ShownQuestion {
                id: unique("batch"),
                question: format!("question {i}"),
                shown_at: 9_000 + i,
                ..shown.clone()
            })
            .chain([ShownQuestion {
                shown_at: 8_000,
                ..shown.clone()
            }])
            .collect();
        let mut again = batch.clone();
        again.push(ShownQuestion {
            shown_at: 9_500,
            ..batch[0].clone()
        });
        store.save_shown(&again).await.unwrap();
        for row in &batch[1..] {
            assert_eq!(
                store.shown_question(&row.id).await.unwrap().as_ref(),
                Some(row)
            );
        }
        let first = store.shown_question(&batch[0].id).await.unwrap().unwrap();
        assert_eq!(first.shown_at, 9_500, "the later showing in the batch wins");
        store.save_shown(&[]).await.unwrap();
    }

    pub(crate) async fn misses_are_one_per_person_listed_newest_first_and_purged(
        store: Arc<dyn Store>,
    ) {
        let advice = unique("miss");
        let miss = |user: &str, at: i64, expected: Option<&str>| MissReport {
            advice_id: advice.clone(),
            team_id: "T1".to_owned(),
            channel_id: "C1".to_owned(),
            user_id: user.to_owned(),
            question: "we changed the wrapper — “quoted” ünïcode".to_owned(),
            given_scope: Some("unit".to_owned()),
            given_stages: vec!["dev".to_owned()],
            given_rules: vec!["one-function".to_owned(), "wrapper".to_owned()],
            expected_scope: expected.map(str::to_owned),
            expected_stage: None,
            comment: Some("the wrapper is the model's interface".to_owned()),
            at,
        };
        let base = 1_900_000_000 + (std::process::id() as i64 % 1000) * 10_000;
        store
            .record_miss(&miss("UA", base, Some("unit")))
            .await
            .unwrap();
        store
            .record_miss(&miss("UA", base + 5, Some("integration")))
            .await
            .unwrap();
        store
            .record_miss(&miss("UB", base + 9, None))
            .await
            .unwrap();
        let mine: Vec<MissReport> = store
            .misses(base)
            .await
            .unwrap()
            .into_iter()
            .filter(|m| m.advice_id == advice)
            .collect();
        assert_eq!(
            mine,
            vec![
                miss("UB", base + 9, None),
                miss("UA", base + 5, Some("integration"))
            ]
        );
        assert!(
            store
                .misses(base + 10)
                .await
                .unwrap()
                .iter()
                .all(|m| m.advice_id != advice)
        );
        assert!(store.purge_misses(base + 6).await.unwrap() >= 1);
        let left: Vec<String> = store
            .misses(0)
            .await
            .unwrap()
            .into_iter()
            .filter(|m| m.advice_id == advice)
            .map(|m| m.user_id)
            .collect();
        assert_eq!(
            left,
            vec!["UB".to_owned()],
            "only the newer report survives the purge"
        );
    }

    pub(crate) async fn votes_are_listed_with_their_rules(store: Arc<dyn Store>) {
        let advice = unique("votes");
        store
            .record_feedback(&click(&advice, "U1", Verdict::Helpful, 10))
            .await
            .unwrap();
        store
            .record_feedback(&click(&advice, "U2", Verdict::NotQuite, 20))
            .await
            .unwrap();
        let mut mine: Vec<Feedback> = store
            .feedback_votes()
            .await
            .unwrap()
            .into_iter()
            .filter(|f| f.advice_id == advice)
            .collect();
        mine.sort_by_key(|f| f.at);
        assert_eq!(
            mine,
            vec![
                click(&advice, "U1", Verdict::Helpful, 10),
                click(&advice, "U2", Verdict::NotQuite, 20)
            ]
        );
    }

    pub(crate) async fn ping_succeeds(store: Arc<dyn Store>) {
        store.ping().await.unwrap();
        // Also after some traffic.
        store.claim_event(&unique("Ev"), 1).await.unwrap();
        store.ping().await.unwrap();
    }

    pub(crate) fn subscription(channel_id: &str, schedule: &str) -> Subscription {
        Subscription {
            channel_id: channel_id.to_owned(),
            team_id: "T0001".to_owned(),
            schedule: schedule.to_owned(),
            source: "slack".to_owned(),
            created_by: Some("U0001".to_owned()),
            created_at: 1_000,
        }
    }

    pub(crate) async fn a_subscription_pauses_once_per_team_and_resumes_when_renewed(
        store: Arc<dyn Store>,
    ) {
        let (a, b, c, cfg) = (unique("CA"), unique("CB"), unique("CC"), unique("CF"));
        for ch in [&a, &b] {
            store
                .upsert_subscription(&subscription(ch, "09:00 UTC everyday"))
                .await
                .unwrap();
        }
        let mut other = subscription(&c, "09:00 UTC everyday");
        other.team_id = "T0002".to_owned();
        store.upsert_subscription(&other).await.unwrap();
        let mut configured = subscription(&cfg, "09:00 UTC everyday");
        configured.team_id = String::new();
        store.upsert_subscription(&configured).await.unwrap();

        // Only the first pause of a channel counts, and only subscribed ones pause.
        assert!(
            store
                .pause_subscription(&a, "not_in_channel", 10)
                .await
                .unwrap()
        );
        assert!(
            !store
                .pause_subscription(&a, "is_archived", 11)
                .await
                .unwrap()
        );
        assert!(
            !store
                .pause_subscription(&unique("CX"), "is_archived", 11)
                .await
                .unwrap()
        );
        // The workspace goes: its other channel and the configured one pause.
        assert_eq!(
            store
                .pause_team("T0001", "app_uninstalled", 12)
                .await
                .unwrap(),
            2
        );
        let paused = store.paused_subscriptions().await.unwrap();
        let reason = |ch: &str| paused.iter().find(|(c, _)| c == ch).map(|(_, r)| r.clone());
        assert_eq!(reason(&a).as_deref(), Some("not_in_channel"));
        assert_eq!(reason(&b).as_deref(), Some("app_uninstalled"));
        assert_eq!(reason(&cfg).as_deref(), Some("app_uninstalled"));
        assert_eq!(reason(&c), None, "another workspace keeps its quiz");

        // Subscribing again resumes; unsubscribing forgets the pause.
        store
            .upsert_subscription(&subscription(&a, "10:00 UTC everyday"))
            .await
            .unwrap();
        assert!(store.remove_subscription(&b).await.unwrap());
        let paused = store.paused_subscriptions().await.unwrap();
        assert!(
            paused.iter().all(|(ch, _)| ch != &a && ch != &b),
            "{paused:?}"
        );
        assert!(paused.iter().any(|(ch, _)| ch == &cfg));
    }

    pub(crate) fn post_claim(channel: &str, post_id: &str, question: &str) -> PostClaim {
        PostClaim {
            channel_id: channel.to_owned(),
            post_id: post_id.to_owned(),
            local_date: post_id.split('#').next().unwrap().to_owned(),
            question_id: question.to_owned(),
            lease_secs: 60,
        }
    }

    pub(crate) fn answer(channel: &str, user: &str, option: u32, at: i64) -> QuizAnswer {
        QuizAnswer {
            channel_id: channel.to_owned(),
            post_id: "2024-05-01".to_owned(),
            question_id: "q-flaky-tests".to_owned(),
            user_id: user.to_owned(),
            option,
            correct: option == 2,
            answered_at: at,
        }
    }

    /// Claims and posts `post_id` in `channel` with the question
    /// [`answer`] uses, open until `closes_at`.
    pub(crate) async fn posted(store: &dyn Store, channel: &str, post_id: &str, closes_at: i64) {
        let claim = post_claim(channel, post_id, "q-flaky-tests");
        assert!(matches!(
            store.claim_quiz_post(&claim, 10).await.unwrap(),
            Claim::Claimed { .. }
        ));
        store
            .mark_quiz_posted(channel, post_id, "1714550400.000100", 20, closes_at)
            .await
            .unwrap();
    }

    fn claimed(question: &str) -> Claim {
        Claim::Claimed {
            question_id: question.to_owned(),
        }
    }

    pub(crate) async fn subscriptions_are_replaced_removed_and_listed_by_channel(
        store: Arc<dyn Store>,
    ) {
        let base = unique("C");
        let mine = |subs: Vec<Subscription>| -> Vec<Subscription> {
            subs.into_iter()
                .filter(|s| s.channel_id.starts_with(&base))
                .collect()
        };
        // Byte order: upper case before lower case, whatever the collation.
        let (lower_b, upper_a, lower_a) = (
            format!("{base}-b"),
            format!("{base}-A"),
            format!("{base}-a"),
        );
        store
            .upsert_subscription(&subscription(&lower_b, "09:00 UTC mon-fri"))
            .await
            .unwrap();
        let mut config_sub = subscription(&upper_a, "10:30 Europe/Berlin mon-sun");
        config_sub.source = "config".to_owned();
        config_sub.created_by = None;
        config_sub.team_id = String::new();
        store.upsert_subscription(&config_sub).await.unwrap();
        store
            .upsert_subscription(&subscription(&lower_a, "08:00 UTC mon"))
            .await
            .unwrap();
        let listed = mine(store.subscriptions().await.unwrap());
        let order: Vec<&str> = listed.iter().map(|s| s.channel_id.as_str()).collect();
        assert_eq!(order, [&upper_a, &lower_a, &lower_b]);
        assert_eq!(
            listed[0], config_sub,
            "every field round-trips, None included"
        );

        // Subscribing again replaces the schedule rather than adding a row.
        let mut moved = subscription(&lower_b, "11:00 Asia/Tokyo mon-fri");
        moved.created_at = 2_000;
        store.upsert_subscription(&moved).await.unwrap();
        let listed = mine(store.subscriptions().await.unwrap());
        assert_eq!(listed.len(), 3);
        assert_eq!(listed[2], moved);

        assert!(store.remove_subscription(&lower_a).await.unwrap());
        assert!(!store.remove_subscription(&lower_a).await.unwrap());
        assert!(!store.remove_subscription(&unique("Cnever")).await.unwrap());
        let order: Vec<String> = mine(store.subscriptions().await.unwrap())
            .into_iter()
            .map(|s| s.channel_id)
            .collect();
        assert_eq!(order, [upper_a, lower_b]);
    }

    pub(crate) async fn a_quiz_post_claim_follows_its_lease(store: Arc<dyn Store>) {
        let ch = unique("C");
        let post = "2024-05-01";
        // Fresh: the first claimer wins with its own question.
        let first = post_claim(&ch, post, "q1");
        assert_eq!(
            store.claim_quiz_post(&first, 1_000).await.unwrap(),
            claimed("q1")
        );
        // While the lease (60 s) runs, everyone else is told to wait.
        let other = post_claim(&ch, post, "q2");
        assert_eq!(
            store.claim_quiz_post(&other, 1_000).await.unwrap(),
            Claim::Busy
        );
        assert_eq!(
            store.claim_quiz_post(&other, 1_059).await.unwrap(),
            Claim::Busy
        );
        // At the lease's end it can be taken over; the question stays q1.
        assert_eq!(
            store.claim_quiz_post(&other, 1_060).await.unwrap(),
            claimed("q1")
        );
        // The takeover is a new lease.
        assert_eq!(
            store
                .claim_quiz_post(&post_claim(&ch, post, "q3"), 1_061)
                .await
                .unwrap(),
            Claim::Busy
        );
        // A released claim can be retaken from `retry_at`, not before.
        store.release_quiz_claim(&ch, post, 1_100).await.unwrap();
        assert_eq!(
            store.claim_quiz_post(&first, 1_099).await.unwrap(),
            Claim::Busy
        );
        assert_eq!(
            store.claim_quiz_post(&first, 1_100).await.unwrap(),
            claimed("q1")
        );
        // Once posted, it is done for good, whatever the lease says.
        store
            .mark_quiz_posted(&ch, post, "1714550400.000100", 1_105, 90_000)
            .await
            .unwrap();
        assert_eq!(
            store.claim_quiz_post(&other, 1_106).await.unwrap(),
            Claim::AlreadyPosted
        );
        store.release_quiz_claim(&ch, post, 1_000).await.unwrap();
        assert_eq!(
            store.claim_quiz_post(&other, 9_999).await.unwrap(),
            Claim::AlreadyPosted
        );
        let posts = store.quiz_posts(&ch).await.unwrap();
        assert_eq!(posts.len(), 1);
        assert_eq!(posts[0].question_id, "q1");
        assert_eq!(posts[0].local_date, post);
        assert_eq!(posts[0].message_ts.as_deref(), Some("1714550400.000100"));
        assert_eq!(posts[0].posted_at, Some(1_105));
        assert_eq!(posts[0].closes_at, Some(90_000));
        assert_eq!(posts[0].closed_at, None);
    }

    pub(crate) async fn quiz_posts_are_per_channel_oldest_first(store: Arc<dyn Store>) {
        let (ch, elsewhere) = (unique("C"), unique("C"));
        for (channel, post) in [
            (&ch, "2024-05-02"),
            (&ch, "2024-05-01#2"),
            (&elsewhere, "2024-04-30"),
            (&ch, "2024-05-01"),
        ] {
            let claim = post_claim(channel, post, &format!("q-{post}"));
            assert!(matches!(
                store.claim_quiz_post(&claim, 1_000).await.unwrap(),
                Claim::Claimed { .. }
            ));
        }
        let posts = store.quiz_posts(&ch).await.unwrap();
        let ids: Vec<(&str, &str)> = posts
            .iter()
            .map(|p| (p.local_date.as_str(), p.post_id.as_str()))
            .collect();
        assert_eq!(
            ids,
            [
                ("2024-05-01", "2024-05-01"),
                ("2024-05-01", "2024-05-01#2"),
                ("2024-05-02", "2024-05-02"),
            ]
        );
        assert!(posts.iter().all(|p| p.channel_id == ch));
        assert!(
            posts
                .iter()
                .all(|p| p.message_ts.is_none() && p.posted_at.is_none())
        );
        assert_eq!(posts[1].question_id, "q-2024-05-01#2");
        assert!(store.quiz_posts(&unique("C")).await.unwrap().is_empty());
    }

    pub(crate) async fn concurrent_quiz_claims_have_exactly_one_winner(store: Arc<dyn Store>) {
        const TASKS: usize = 20;
        let ch: Arc<str> = unique("C").into();
        let start = Arc::new(Barrier::new(TASKS));
        let tasks: Vec<_> = (0..TASKS)
            .map(|i| {
                let (store, ch, start) = (Arc::clone(&store), Arc::clone(&ch), Arc::clone(&start));
                tokio::spawn(async move {
                    let claim = post_claim(&ch, "2024-05-01", &format!("q{i}"));
                    start.wait().await;
                    store.claim_quiz_post(&claim, 1_000).await
                })
            })
            .collect();
        let mut winners = Vec::new();
        for task in tasks {
            match task.await.unwrap().unwrap() {
                Claim::Claimed { question_id } => winners.push(question_id),
                Claim::Busy => {}
                Claim::AlreadyPosted => panic!("nothing was posted"),
            }
        }
        assert_eq!(winners.len(), 1, "exactly one of {TASKS} claims may win");
        let posts = store.quiz_posts(&ch).await.unwrap();
        assert_eq!(posts[0].question_id, winners[0]);
    }

    pub(crate) async fn the_first_quiz_answer_counts(store: Arc<dyn Store>) {
        let ch = unique("C");
        let elsewhere = unique("C");
        posted(store.as_ref(), &ch, "2024-05-01", 1_000_000).await;
        posted(store.as_ref(), &ch, "2024-05-02", 1_000_000).await;
        posted(store.as_ref(), &elsewhere, "2024-05-01", 1_000_000).await;
        let first = answer(&ch, "U1", 3, 100);
        assert_eq!(
            store.record_quiz_answer(&first).await.unwrap(),
            AnswerOutcome::Recorded
        );
        // A second click, even a correct one, returns the answer locked in.
        let second = answer(&ch, "U1", 2, 110);
        assert_eq!(
            store.record_quiz_answer(&second).await.unwrap(),
            AnswerOutcome::AlreadyAnswered(first.clone())
        );
        // Other people, and the same person on another post, are separate.
        let other_user = answer(&ch, "U0", u32::MAX, 100);
        assert_eq!(
            store.record_quiz_answer(&other_user).await.unwrap(),
            AnswerOutcome::Recorded
        );
        let mut other_post = answer(&ch, "U1", 2, 90);
        other_post.post_id = "2024-05-02".to_owned();
        assert_eq!(
            store.record_quiz_answer(&other_post).await.unwrap(),
            AnswerOutcome::Recorded
        );
        store
            .record_quiz_answer(&answer(&elsewhere, "U1", 1, 1))
            .await
            .unwrap();
        // Oldest first; the same second in user order.
        assert_eq!(
            store.quiz_answers(&ch).await.unwrap(),
            [other_post, other_user, first]
        );
    }

    pub(crate) async fn concurrent_answers_by_one_person_keep_one(store: Arc<dyn Store>) {
        const TASKS: u32 = 10;
        let ch: Arc<str> = unique("C").into();
        posted(store.as_ref(), &ch, "2024-05-01", 1_000_000).await;
        let start = Arc::new(Barrier::new(TASKS as usize));
        let tasks: Vec<_> = (0..TASKS)
            .map(|i| {
                let (store, ch, start) = (Arc::clone(&store), Arc::clone(&ch), Arc::clone(&start));
                tokio::spawn(async move {
                    start.wait().await;
                    store.record_quiz_answer(&answer(&ch, "U1", i, 100)).await
                })
            })
            .collect();
        let mut recorded = 0;
        let mut kept = Vec::new();
        for task in tasks {
            match task.await.unwrap().unwrap() {
                AnswerOutcome::Recorded => recorded += 1,
                AnswerOutcome::AlreadyAnswered(a) => kept.push(a),
                AnswerOutcome::NotOpen => panic!("the post is open"),
            }
        }
        assert_eq!(recorded, 1);
        let stored = store.quiz_answers(&ch).await.unwrap();
        assert_eq!(stored.len(), 1);
        assert!(kept.iter().all(|a| *a == stored[0]), "all see the winner");
    }

    pub(crate) async fn a_quiz_answer_is_stored_only_on_an_open_post_of_its_question(
        store: Arc<dyn Store>,
    ) {
        let ch = unique("C");
        let not_open = |outcome: AnswerOutcome, why: &str| {
            assert_eq!(outcome, AnswerOutcome::NotOpen, "{why}");
        };
        // No such post.
        not_open(
            store
                .record_quiz_answer(&answer(&ch, "U1", 1, 100))
                .await
                .unwrap(),
            "a post that does not exist",
        );
        // Claimed, not posted yet.
        let claim = post_claim(&ch, "2024-05-01", "q-flaky-tests");
        store.claim_quiz_post(&claim, 10).await.unwrap();
        not_open(
            store
                .record_quiz_answer(&answer(&ch, "U1", 1, 100))
                .await
                .unwrap(),
            "a post that never went out",
        );
        store
            .mark_quiz_posted(&ch, "2024-05-01", "1714550400.000100", 20, 5_000)
            .await
            .unwrap();
        // Another question than the post's.
        let mut other_question = answer(&ch, "U1", 1, 100);
        other_question.question_id = "q-something-else".to_owned();
        not_open(
            store.record_quiz_answer(&other_question).await.unwrap(),
            "a question the post does not ask",
        );
        // After the post's day: `closes_at` is the first second that is late.
        not_open(
            store
                .record_quiz_answer(&answer(&ch, "U1", 1, 5_000))
                .await
                .unwrap(),
            "a click after the post's day",
        );
        assert_eq!(
            store
                .record_quiz_answer(&answer(&ch, "U1", 1, 4_999))
                .await
                .unwrap(),
            AnswerOutcome::Recorded
        );
        // Closed early (the next post revealed the answer): once, for one caller.
        assert!(store.close_quiz_post(&ch, "2024-05-01", 200).await.unwrap());
        assert!(!store.close_quiz_post(&ch, "2024-05-01", 300).await.unwrap());
        not_open(
            store
                .record_quiz_answer(&answer(&ch, "U2", 2, 250))
                .await
                .unwrap(),
            "a click after the post closed",
        );
        let stored = store.quiz_answers(&ch).await.unwrap();
        assert_eq!(stored.len(), 1, "only the click while open: {stored:?}");
        let post = &store.quiz_posts(&ch).await.unwrap()[0];
        assert_eq!((post.closes_at, post.closed_at), (Some(5_000), Some(200)));
        // An unposted claim cannot be closed.
        store
            .claim_quiz_post(&post_claim(&ch, "2024-05-02", "q-flaky-tests"), 10)
            .await
            .unwrap();
        assert!(!store.close_quiz_post(&ch, "2024-05-02", 300).await.unwrap());
    }

    pub(crate) async fn posts_to_close_are_the_posted_open_ones_whose_day_ended(
        store: Arc<dyn Store>,
    ) {
        let (a, b) = (unique("C"), unique("C"));
        posted(store.as_ref(), &a, "2024-05-01", 2_000).await;
        posted(store.as_ref(), &a, "2024-05-02", 3_000).await;
        posted(store.as_ref(), &b, "2024-05-01", 2_500).await;
        posted(store.as_ref(), &b, "2024-05-02", 9_000).await;
        store
            .claim_quiz_post(&post_claim(&a, "2024-05-03", "q-flaky-tests"), 10)
            .await
            .unwrap();
        assert!(
            store
                .close_quiz_post(&a, "2024-05-02", 2_900)
                .await
                .unwrap()
        );
        let due = posts_in(store.quiz_posts_to_close(3_000).await.unwrap(), &a, &b);
        assert_eq!(due, sorted([(&a, "2024-05-01"), (&b, "2024-05-01")]));
    }

    pub(crate) async fn unposted_quiz_posts_are_the_claimed_ones_without_a_message_since_a_day(
        store: Arc<dyn Store>,
    ) {
        let (a, b) = (unique("C"), unique("C"));
        posted(store.as_ref(), &a, "2024-05-02", 9_000).await;
        for (channel, post) in [(&a, "2024-05-01"), (&a, "2024-05-03"), (&b, "2024-05-02#2")] {
            store
                .claim_quiz_post(&post_claim(channel, post, "q-flaky-tests"), 10)
                .await
                .unwrap();
        }
        // A released claim is still unposted: the next tick may retry it.
        store
            .release_quiz_claim(&b, "2024-05-02#2", 70)
            .await
            .unwrap();
        let unposted = posts_in(
            store.unposted_quiz_posts("2024-05-02").await.unwrap(),
            &a,
            &b,
        );
        assert_eq!(unposted, sorted([(&a, "2024-05-03"), (&b, "2024-05-02#2")]));
    }

    /// The (channel, post) pairs of `posts` in channels `a` and `b`, in the
    /// store's order: other tests' channels share the database.
    fn posts_in(posts: Vec<QuizPost>, a: &str, b: &str) -> Vec<(String, String)> {
        posts
            .into_iter()
            .filter(|p| p.channel_id == a || p.channel_id == b)
            .map(|p| (p.channel_id, p.post_id))
            .collect()
    }

    fn sorted<const N: usize>(pairs: [(&String, &str); N]) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = pairs
            .into_iter()
            .map(|(c, p)| (c.clone(), p.to_owned()))
            .collect();
        out.sort();
        out
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
            shown_questions_are_kept_refreshed_and_purged,
            misses_are_one_per_person_listed_newest_first_and_purged,
            votes_are_listed_with_their_rules,
            subscriptions_are_replaced_removed_and_listed_by_channel,
            a_quiz_post_claim_follows_its_lease,
            quiz_posts_are_per_channel_oldest_first,
            concurrent_quiz_claims_have_exactly_one_winner,
            the_first_quiz_answer_counts,
            concurrent_answers_by_one_person_keep_one,
            a_subscription_pauses_once_per_team_and_resumes_when_renewed,
            a_quiz_answer_is_stored_only_on_an_open_post_of_its_question,
            posts_to_close_are_the_posted_open_ones_whose_day_ended,
            unposted_quiz_posts_are_the_claimed_ones_without_a_message_since_a_day,
        );
    };
    (@cases $factory:path; $($case:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                let Some((store, _guard)) = $factory().await else {
                    return;
                };
                crate::cases::$case(store).await;
            }
        )*
    };
}

/// In-memory SQLite: the fastest fresh store.
mod sqlite_memory {
    use super::*;

    async fn fresh() -> Option<(Arc<dyn Store>, ())> {
        Some((open("sqlite::memory:").await.unwrap(), ()))
    }

    conformance!(fresh);
}

/// File-backed SQLite in WAL mode, the configuration the service runs.
mod sqlite_file {
    use super::*;

    /// The temp dir is returned alongside the store so it outlives the case.
    async fn fresh() -> Option<(Arc<dyn Store>, tempfile::TempDir)> {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("conformance.db").display());
        Some((open(&url).await.unwrap(), dir))
    }

    conformance!(fresh);
}

/// PostgreSQL at `TEST_DATABASE_URL`, each case in a schema of its own.
mod postgres {
    use super::*;

    async fn fresh() -> Option<(Arc<dyn Store>, pg::Schema)> {
        let schema = pg::Schema::create().await?;
        Some((open(&schema.url()).await.unwrap(), schema))
    }

    conformance!(fresh);
}

/// Scratch schemas on the test database, and helpers for the PostgreSQL-only
/// cases.
mod pg {
    use std::io::Write as _;
    use std::sync::Once;
    use std::sync::atomic::{AtomicU64, Ordering};

    /// The database to test against, or `None` (after saying so) to skip.
    pub(crate) fn base_url() -> Option<String> {
        match std::env::var("TEST_DATABASE_URL") {
            Ok(url) if !url.trim().is_empty() => Some(url.trim().to_owned()),
            _ => {
                eprintln!("skipping PostgreSQL conformance: TEST_DATABASE_URL is not set");
                // The test harness captures `eprintln!` from passing tests;
                // say it once where a plain `cargo test` run shows it too.
                static SAID: Once = Once::new();
                SAID.call_once(|| {
                    let _ = writeln!(
                        std::io::stderr(),
                        "skipping PostgreSQL conformance: TEST_DATABASE_URL is not set"
                    );
                });
                None
            }
        }
    }

    /// `url` with one more query parameter.
    pub(crate) fn with_param(url: &str, param: &str) -> String {
        let sep = if url.contains('?') { '&' } else { '?' };
        format!("{url}{sep}{param}")
    }

    /// An empty schema, dropped (with everything in it) when this is dropped,
    /// also when the test fails.
    pub(crate) struct Schema {
        base: String,
        name: String,
    }

    impl Schema {
        /// Creates a schema no other test or run uses; `None` to skip.
        pub(crate) async fn create() -> Option<Schema> {
            let base = base_url()?;
            static NEXT: AtomicU64 = AtomicU64::new(0);
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos();
            let name = format!(
                "testscope_conf_{}_{}_{nanos}",
                std::process::id(),
                NEXT.fetch_add(1, Ordering::Relaxed)
            );
            execute(&base, &format!("CREATE SCHEMA {name}")).await;
            Some(Schema { base, name })
        }

        /// The test database, with this schema first on the search path.
        pub(crate) fn url(&self) -> String {
            with_param(
                &self.base,
                &format!("options=-csearch_path%3D{}", self.name),
            )
        }

        /// The test database as given, for statements about this schema.
        pub(crate) fn base(&self) -> &str {
            &self.base
        }

        pub(crate) fn name(&self) -> &str {
            &self.name
        }
    }

    impl Drop for Schema {
        fn drop(&mut self) {
            // Drop runs inside the test's runtime, which cannot be blocked
            // on; a short-lived thread with its own runtime can.
            let (base, sql) = (
                self.base.clone(),
                format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name),
            );
            let dropped = std::thread::spawn(move || {
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap()
                    .block_on(execute(&base, &sql));
            })
            .join();
            if dropped.is_err() && !std::thread::panicking() {
                panic!("could not drop test schema {}", self.name);
            }
        }
    }

    /// Runs `sql` on its own short-lived connection.
    pub(crate) async fn execute(url: &str, sql: &str) {
        let client = connect(url).await;
        client.batch_execute(sql).await.unwrap();
    }

    /// A plain connection, outside any store.
    pub(crate) async fn connect(url: &str) -> tokio_postgres::Client {
        let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(connection);
        client
    }
}

/// Behaviour only a shared database has: several replicas, each with its own
/// store, and a database that goes away.
mod pg_only {
    use super::*;

    use std::net::SocketAddr;
    use std::time::{Duration, Instant};

    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::{TcpListener, TcpStream};
    use tokio::sync::{Barrier, watch};

    use crate::pg::{Schema, with_param};

    /// How long a call may take to report a database that is gone.
    const PROMPT: Duration = Duration::from_secs(3);

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn replicas_opening_together_apply_each_migration_once() {
        let Some(schema) = Schema::create().await else {
            return;
        };
        let url = schema.url();
        let (a, b) = tokio::join!(open(&url), open(&url));
        let (a, b) = (a.unwrap(), b.unwrap());
        let client = pg::connect(&url).await;
        let rows = client
            .query(
                "SELECT version, COUNT(*) FROM schema_migrations GROUP BY version ORDER BY version",
                &[],
            )
            .await
            .unwrap();
        let versions: Vec<(i32, i64)> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
        assert_eq!(
            versions,
            (1..=9).map(|v| (v, 1)).collect::<Vec<(i32, i64)>>()
        );
        // Both are fully usable and see one database.
        assert!(a.claim_event("EvBoth", 1).await.unwrap());
        assert!(!b.claim_event("EvBoth", 1).await.unwrap());
        // A third start later finds nothing to do.
        open(&url).await.unwrap().ping().await.unwrap();
        let count: i64 = client
            .query_one("SELECT COUNT(*) FROM schema_migrations", &[])
            .await
            .unwrap()
            .get(0);
        assert_eq!(count, 9);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_claims_across_two_replicas_have_exactly_one_winner() {
        const TASKS: usize = 50;
        let Some(schema) = Schema::create().await else {
            return;
        };
        let a = open(&schema.url()).await.unwrap();
        let b = open(&schema.url()).await.unwrap();
        let start = Arc::new(Barrier::new(TASKS));
        let tasks: Vec<_> = (0..TASKS)
            .map(|i| {
                let store = Arc::clone(if i % 2 == 0 { &a } else { &b });
                let start = Arc::clone(&start);
                tokio::spawn(async move {
                    start.wait().await;
                    store.claim_event("EvShared", 1_000).await
                })
            })
            .collect();
        let mut wins = 0;
        for task in tasks {
            if task.await.unwrap().unwrap() {
                wins += 1;
            }
        }
        assert_eq!(
            wins, 1,
            "exactly one of {TASKS} claims on two replicas may win"
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_quiz_claim_passes_to_another_replica_only_when_its_lease_ends() {
        let Some(schema) = Schema::create().await else {
            return;
        };
        let a = open(&schema.url()).await.unwrap();
        let b = open(&schema.url()).await.unwrap();
        let mine = cases::post_claim("C1", "2024-05-01", "q-from-a");
        let theirs = cases::post_claim("C1", "2024-05-01", "q-from-b");
        let claimed_a = Claim::Claimed {
            question_id: "q-from-a".to_owned(),
        };
        assert_eq!(a.claim_quiz_post(&mine, 1_000).await.unwrap(), claimed_a);
        for now in [1_000, 1_030, 1_059] {
            assert_eq!(
                b.claim_quiz_post(&theirs, now).await.unwrap(),
                Claim::Busy,
                "at {now}"
            );
        }
        // A crashed before posting; B takes over with A's question.
        assert_eq!(b.claim_quiz_post(&theirs, 1_060).await.unwrap(), claimed_a);
        assert_eq!(
            a.claim_quiz_post(&mine, 1_061).await.unwrap(),
            Claim::Busy,
            "now B holds it"
        );
        b.mark_quiz_posted("C1", "2024-05-01", "1714550400.000100", 1_070, 90_000)
            .await
            .unwrap();
        assert_eq!(
            a.claim_quiz_post(&mine, 2_000).await.unwrap(),
            Claim::AlreadyPosted
        );
        let posts = a.quiz_posts("C1").await.unwrap();
        assert_eq!(posts.len(), 1);
        assert_eq!(posts[0].question_id, "q-from-a");
    }

    /// A port nothing listens on.
    async fn closed_port() -> u16 {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        listener.local_addr().unwrap().port()
    }

    fn assert_unavailable_without_password(err: &StoreError, password: &str) {
        assert!(matches!(err, StoreError::Unavailable(_)), "{err:?}");
        assert!(!err.to_string().contains(password), "{err}");
    }

    // Needs no database: nothing answers on the port.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_closed_port_is_unavailable_promptly() {
        let url = format!(
            "postgres://bot:hunter2@127.0.0.1:{}/testscope",
            closed_port().await
        );
        let started = Instant::now();
        let err = open(&url).await.err().unwrap();
        assert!(started.elapsed() < PROMPT, "took {:?}", started.elapsed());
        assert_unavailable_without_password(&err, "hunter2");
    }

    // Needs no database: the "server" accepts connections and never answers.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_server_that_never_answers_is_unavailable_promptly() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let silent = tokio::spawn(async move {
            let mut held = Vec::new();
            while let Ok((socket, _)) = listener.accept().await {
                held.push(socket);
            }
        });
        let url = format!("postgres://bot:hunter2@127.0.0.1:{port}/testscope");
        let started = Instant::now();
        let err = open(&url).await.err().unwrap();
        // The whole-connection limit (3 s), plus scheduling slack.
        assert!(
            started.elapsed() < PROMPT + Duration::from_secs(1),
            "took {:?}",
            started.elapsed()
        );
        assert_unavailable_without_password(&err, "hunter2");
        silent.abort();
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn ping_is_unavailable_promptly_once_the_database_is_gone() {
        let Some(schema) = Schema::create().await else {
            return;
        };
        let proxy = Proxy::start(&schema.url()).await;
        let store = open(&proxy.url).await.unwrap();
        store.ping().await.unwrap();
        assert!(store.claim_event("EvBefore", 1).await.unwrap());

        // The server goes away: connections reset, the port is closed.
        proxy.set(Mode::Down);
        tokio::time::sleep(Duration::from_millis(100)).await;
        for _ in 0..2 {
            let started = Instant::now();
            let err = store.ping().await.err().unwrap();
            assert!(started.elapsed() < PROMPT, "took {:?}", started.elapsed());
            assert!(matches!(err, StoreError::Unavailable(_)), "{err:?}");
        }
        let err = store.claim_event("EvAfter", 1).await.err().unwrap();
        assert!(matches!(err, StoreError::Unavailable(_)), "{err:?}");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn ping_is_unavailable_promptly_when_the_database_stops_answering() {
        let Some(schema) = Schema::create().await else {
            return;
        };
        let proxy = Proxy::start(&schema.url()).await;
        let store = open(&proxy.url).await.unwrap();
        store.ping().await.unwrap();

        // Connections stay open but nothing comes back, as in a partition
        // or a hung server: only a timeout can tell.
        proxy.set(Mode::Frozen);
        for _ in 0..2 {
            let started = Instant::now();
            let err = store.ping().await.err().unwrap();
            assert!(started.elapsed() < PROMPT, "took {:?}", started.elapsed());
            assert!(matches!(err, StoreError::Unavailable(_)), "{err:?}");
        }
        // When it answers again, so does the store.
        proxy.set(Mode::Forward);
        store.ping().await.unwrap();
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sslmode_require_verifies_the_server_certificate() {
        let Some(schema) = Schema::create().await else {
            return;
        };
        // The test server's certificate (if it has TLS at all) is not from a
        // public CA, so a verifying client must refuse it, and must not fall
        // back to plain text.
        let url = with_param(&schema.url(), "sslmode=require");
        let err = open(&url).await.err().unwrap();
        assert!(matches!(err, StoreError::Unavailable(_)), "{err:?}");
        let msg = err.to_string();
        assert!(msg.contains("TLS") || msg.contains("certificate"), "{msg}");
        // The schema stays untouched: nothing was migrated over plain text.
        let client = pg::connect(schema.base()).await;
        let tables: i64 = client
            .query_one(
                "SELECT COUNT(*) FROM pg_tables WHERE schemaname = $1",
                &[&schema.name()],
            )
            .await
            .unwrap()
            .get(0);
        assert_eq!(tables, 0);
    }

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Mode {
        /// Pass bytes both ways.
        Forward,
        /// Keep every connection open and pass nothing.
        Frozen,
        /// Close every connection and the port.
        Down,
    }

    /// A TCP proxy in front of the test database, to make it vanish.
    struct Proxy {
        /// The test database's URL, pointed at the proxy.
        url: String,
        mode: watch::Sender<Mode>,
    }

    impl Proxy {
        /// `url` must have the `postgres://[user[:password]@]host[:port]/...`
        /// form.
        async fn start(url: &str) -> Proxy {
            let (scheme, rest) = url.split_once("://").unwrap();
            let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
            let (authority, tail) = rest.split_at(authority_end);
            let (userinfo, hostport) = match authority.rsplit_once('@') {
                Some((user, hostport)) => (format!("{user}@"), hostport),
                None => (String::new(), authority),
            };
            let hostport = if hostport.contains(':') {
                hostport.to_owned()
            } else {
                format!("{hostport}:5432")
            };
            let target: SocketAddr = tokio::net::lookup_host(&hostport)
                .await
                .unwrap()
                .next()
                .unwrap();
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let port = listener.local_addr().unwrap().port();
            let (mode, watching) = watch::channel(Mode::Forward);
            tokio::spawn(accept(listener, target, watching));
            Proxy {
                url: format!("{scheme}://{userinfo}127.0.0.1:{port}{tail}"),
                mode,
            }
        }

        fn set(&self, mode: Mode) {
            self.mode.send_replace(mode);
        }
    }

    impl Drop for Proxy {
        fn drop(&mut self) {
            self.set(Mode::Down);
        }
    }

    async fn accept(listener: TcpListener, target: SocketAddr, mut mode: watch::Receiver<Mode>) {
        let for_pumps = mode.clone();
        loop {
            tokio::select! {
                accepted = listener.accept() => {
                    let Ok((client, _)) = accepted else { return };
                    let Ok(server) = TcpStream::connect(target).await else { continue };
                    let (client_read, client_write) = client.into_split();
                    let (server_read, server_write) = server.into_split();
                    tokio::spawn(pump(client_read, server_write, for_pumps.clone()));
                    tokio::spawn(pump(server_read, client_write, for_pumps.clone()));
                }
                () = async { drop(mode.wait_for(|m| *m == Mode::Down).await) } => return,
            }
        }
    }

    /// Copies one direction while the mode is `Forward`; holds the data while
    /// `Frozen`; drops both ends (closing them) on `Down`.
    async fn pump(
        mut from: tokio::net::tcp::OwnedReadHalf,
        mut to: tokio::net::tcp::OwnedWriteHalf,
        mut mode: watch::Receiver<Mode>,
    ) {
        let mut buf = vec![0u8; 16 * 1024];
        loop {
            if mode.wait_for(|m| *m != Mode::Frozen).await.is_err() {
                return;
            }
            if *mode.borrow() == Mode::Down {
                return;
            }
            let n = tokio::select! {
                read = from.read(&mut buf) => match read {
                    Ok(0) | Err(_) => return,
                    Ok(n) => n,
                },
                _ = mode.changed() => continue,
            };
            // Frozen while reading: hold what was read until thawed.
            if mode.wait_for(|m| *m != Mode::Frozen).await.is_err() {
                return;
            }
            if *mode.borrow() == Mode::Down || to.write_all(&buf[..n]).await.is_err() {
                return;
            }
        }
    }
}
