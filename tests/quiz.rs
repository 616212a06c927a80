//! The daily quiz against a fake Slack API and a real SQLite file, with the
//! clock pinned: when posts happen, that they happen once, and how answers
//! are kept.

use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;
use serde_json::{Value, json};
use testscope::KnowledgeBase;
use testscope::quiz::message;
use testscope::quiz::runner::{self, PostOutcome, QuizCtx, QuizSettings};
use testscope::quiz::schedule::Schedule;
use testscope::slack::api::{BotToken, RetryPolicy, SlackApi};
use testscope::store::{self, Store, Subscription};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

struct World {
    kb: KnowledgeBase,
    slack: SlackApi,
    store: Arc<dyn Store>,
    server: MockServer,
    _dir: tempfile::TempDir,
    db: std::path::PathBuf,
}

impl World {
    async fn new() -> World {
        let server = MockServer::start().await;
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("quiz.db");
        World {
            kb: KnowledgeBase::embedded().unwrap(),
            slack: slack_for(&server),
            store: store::open(&format!("sqlite://{}", db.display()))
                .await
                .unwrap(),
            server,
            _dir: dir,
            db,
        }
    }

    fn ctx(&self) -> QuizCtx<'_> {
        QuizCtx {
            kb: &self.kb,
            slack: &self.slack,
            store: self.store.as_ref(),
        }
    }

    /// A new process on the same database file: what a restart looks like.
    async fn restart(&mut self) {
        self.store = store::open(&format!("sqlite://{}", self.db.display()))
            .await
            .unwrap();
        self.slack = slack_for(&self.server);
    }

    async fn subscribe(&self, channel: &str, schedule: &str) {
        let s = Schedule::parse(schedule).unwrap();
        self.store
            .upsert_subscription(&Subscription {
                channel_id: channel.into(),
                team_id: "T1".into(),
                schedule: s.to_string(),
                source: "slack".into(),
                created_by: Some("U1".into()),
                created_at: 0,
            })
            .await
            .unwrap();
    }

    async fn tick(&self, at: &str) -> Vec<(String, PostOutcome)> {
        runner::tick(self.ctx(), secs(at), QuizSettings::default()).await
    }

    /// The quiz posts themselves (`chat.postMessage` outside a thread).
    async fn posts_to_slack(&self) -> Vec<Value> {
        self.messages_to_slack()
            .await
            .into_iter()
            .filter(|m| m.get("thread_ts").is_none())
            .collect()
    }

    /// Replies in a quiz post's thread: a closed post's result.
    async fn thread_replies_to_slack(&self) -> Vec<Value> {
        self.messages_to_slack()
            .await
            .into_iter()
            .filter(|m| m.get("thread_ts").is_some())
            .collect()
    }

    async fn messages_to_slack(&self) -> Vec<Value> {
        self.server
            .received_requests()
            .await
            .unwrap_or_default()
            .iter()
            .filter(|r| r.url.path() == "/chat.postMessage")
            .map(|r: &Request| serde_json::from_slice(&r.body).unwrap())
            .collect()
    }
}

fn slack_for(server: &MockServer) -> SlackApi {
    SlackApi::new(
        &server.uri(),
        Some(BotToken::new("xoxb-test")),
        RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(20),
            max_retry_after: Duration::from_secs(2),
            jitter: Duration::ZERO,
            request_timeout: Duration::from_secs(10),
        },
    )
}

fn secs(at: &str) -> i64 {
    at.parse::<Timestamp>().unwrap().as_second()
}

async fn slack_accepts_posts(server: &MockServer) {
    Mock::given(method("POST"))
        .and(path("/chat.postMessage"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"ok": true, "channel": "C1", "ts": "1700000000.000100"})),
        )
        .mount(server)
        .await;
}

/// A click on a quiz button by `user` in `channel` (the payload's channel).
async fn click(
    w: &World,
    user: &str,
    channel: &str,
    value: &str,
    at: &str,
) -> Option<runner::AnswerReply> {
    let click = runner::Click {
        user,
        channel: Some(channel),
        value,
    };
    runner::answer(w.ctx(), &click, secs(at)).await
}

async fn slack_accepts_updates(server: &MockServer) {
    Mock::given(method("POST"))
        .and(path("/chat.update"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .mount(server)
        .await;
}

/// The `chat.update` calls the fake Slack received, as JSON.
async fn updates_to_slack(server: &MockServer) -> Vec<Value> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|r| r.url.path() == "/chat.update")
        .map(|r: &Request| serde_json::from_slice(&r.body).unwrap())
        .collect()
}

fn has_buttons(msg: &Value) -> bool {
    msg["blocks"]
        .as_array()
        .is_some_and(|b| b.iter().any(|b| b["type"] == "actions"))
}

fn posted(outcomes: &[(String, PostOutcome)]) -> usize {
    outcomes
        .iter()
        .filter(|(_, o)| matches!(o, PostOutcome::Posted { .. }))
        .count()
}

#[tokio::test]
async fn nine_in_berlin_on_both_sides_of_the_clock_changes() {
    let w = World::new().await;
    slack_accepts_posts(&w.server).await;
    w.subscribe("C1", "09:00 Europe/Berlin everyday").await;
    // Winter (UTC+1) before 29 March 2026, summer (UTC+2) after; back on 25 October.
    for (before, at) in [
        ("2026-03-28T07:59:00Z", "2026-03-28T08:00:00Z"), // Saturday, winter time
        ("2026-03-30T06:59:00Z", "2026-03-30T07:00:00Z"), // Monday, summer time
        ("2026-10-24T06:59:00Z", "2026-10-24T07:00:00Z"), // Saturday, summer time
        ("2026-10-26T07:59:00Z", "2026-10-26T08:00:00Z"), // Monday, winter time
    ] {
        assert_eq!(
            posted(&w.tick(before).await),
            0,
            "nothing before 09:00 local ({before})"
        );
        assert_eq!(
            posted(&w.tick(at).await),
            1,
            "the post at 09:00 local ({at})"
        );
    }
    assert_eq!(w.posts_to_slack().await.len(), 4);
}

#[tokio::test]
async fn saturday_is_skipped_on_a_mon_fri_schedule() {
    let w = World::new().await;
    slack_accepts_posts(&w.server).await;
    w.subscribe("C1", "09:00 UTC mon-fri").await;
    assert_eq!(posted(&w.tick("2026-11-28T09:05:00Z").await), 0, "Saturday");
    assert_eq!(posted(&w.tick("2026-11-29T09:05:00Z").await), 0, "Sunday");
    assert_eq!(posted(&w.tick("2026-11-30T09:05:00Z").await), 1, "Monday");
}

#[tokio::test]
async fn a_restart_at_0920_posts_once_and_the_next_day_posts_only_that_day() {
    let mut w = World::new().await;
    slack_accepts_posts(&w.server).await;
    w.subscribe("C1", "09:00 Europe/Berlin mon-fri").await;
    // Down over 09:00 on Wednesday 25 November; back at 09:20 local.
    assert_eq!(posted(&w.tick("2026-11-25T08:20:00Z").await), 1);
    w.restart().await;
    assert_eq!(
        posted(&w.tick("2026-11-25T08:20:30Z").await),
        0,
        "no second post after a restart"
    );
    assert_eq!(posted(&w.tick("2026-11-25T11:00:00Z").await), 0);
    // Down all of Thursday; back on Friday at 09:20: only Friday's question.
    w.restart().await;
    let outcomes = w.tick("2026-11-27T08:20:00Z").await;
    assert_eq!(posted(&outcomes), 1);
    match &outcomes[0].1 {
        PostOutcome::Posted { post_id, .. } => assert_eq!(post_id, "2026-11-27"),
        other => panic!("expected Friday's post, got {other:?}"),
    }
    let posts = w.store.quiz_posts("C1").await.unwrap();
    let days: Vec<&str> = posts.iter().map(|p| p.local_date.as_str()).collect();
    assert_eq!(
        days,
        ["2026-11-25", "2026-11-27"],
        "Thursday was skipped, not posted late"
    );
}

#[tokio::test]
async fn a_post_past_the_late_limit_is_skipped() {
    let w = World::new().await;
    slack_accepts_posts(&w.server).await;
    w.subscribe("C1", "09:00 UTC everyday").await;
    assert_eq!(posted(&w.tick("2026-11-25T13:01:00Z").await), 0);
    assert!(w.posts_to_slack().await.is_empty());
}

#[tokio::test]
async fn two_racing_ticks_post_once() {
    let w = World::new().await;
    Mock::given(method("POST"))
        .and(path("/chat.postMessage"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_delay(Duration::from_millis(200))
                .set_body_json(json!({"ok": true, "channel": "C1", "ts": "1.2"})),
        )
        .expect(1)
        .mount(&w.server)
        .await;
    w.subscribe("C1", "09:00 UTC everyday").await;
    let (a, b) = tokio::join!(
        w.tick("2026-11-25T09:00:05Z"),
        w.tick("2026-11-25T09:00:05Z")
    );
    assert_eq!(posted(&a) + posted(&b), 1);
}

#[tokio::test]
async fn a_429_during_the_post_is_retried_and_posts_once() {
    let w = World::new().await;
    Mock::given(method("POST"))
        .and(path("/chat.postMessage"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .mount(&w.server)
        .await;
    slack_accepts_posts(&w.server).await;
    w.subscribe("C1", "09:00 UTC everyday").await;
    assert_eq!(posted(&w.tick("2026-11-25T09:00:05Z").await), 1);
    assert_eq!(
        w.posts_to_slack().await.len(),
        2,
        "one refused attempt, one post"
    );
    assert_eq!(posted(&w.tick("2026-11-25T09:01:00Z").await), 0);
}

/// How many `chat.postMessage` calls outside threads each channel got.
async fn posts_per_channel(w: &World) -> std::collections::BTreeMap<String, usize> {
    let mut per = std::collections::BTreeMap::new();
    for msg in w.posts_to_slack().await {
        *per.entry(msg["channel"].as_str().unwrap().to_owned())
            .or_default() += 1;
    }
    per
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_channels_due_together_are_posted_at_once_each_exactly_once() {
    // Arrange: 40 channels due at the same minute; Slack takes 100 ms a post.
    const CHANNELS: usize = 40;
    const SLACK_TAKES: Duration = Duration::from_millis(100);
    let w = World::new().await;
    Mock::given(method("POST"))
        .and(path("/chat.postMessage"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_delay(SLACK_TAKES)
                .set_body_json(json!({"ok": true, "channel": "C", "ts": "1700000000.000100"})),
        )
        .mount(&w.server)
        .await;
    for i in 0..CHANNELS {
        w.subscribe(&format!("C{i:03}"), "09:00 UTC everyday").await;
    }
    let settings = QuizSettings {
        concurrency: 8,
        ..QuizSettings::default()
    };

    // Act
    let started = std::time::Instant::now();
    let outcomes = runner::tick(w.ctx(), secs("2026-11-25T09:00:05Z"), settings).await;
    let took = started.elapsed();
    let again = runner::tick(w.ctx(), secs("2026-11-25T09:00:25Z"), settings).await;

    // Assert
    assert_eq!(posted(&outcomes), CHANNELS, "{outcomes:?}");
    let per = posts_per_channel(&w).await;
    assert_eq!(per.len(), CHANNELS, "channels that got no quiz: {per:?}");
    assert!(
        per.values().all(|&n| n == 1),
        "a channel got its quiz twice: {per:?}"
    );
    assert_eq!(posted(&again), 0, "the next tick posted again: {again:?}");
    // One at a time could not be faster than every post's time end to end.
    assert!(
        took < SLACK_TAKES * CHANNELS as u32,
        "posting {CHANNELS} channels took {took:?}, as long as one at a time"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limits_during_a_fan_out_are_waited_out_and_nobody_is_posted_twice() {
    // Arrange: Slack refuses the first ten posts of the minute with a 429.
    const CHANNELS: usize = 30;
    let w = World::new().await;
    Mock::given(method("POST"))
        .and(path("/chat.postMessage"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(10)
        .with_priority(1)
        .mount(&w.server)
        .await;
    slack_accepts_posts(&w.server).await;
    for i in 0..CHANNELS {
        w.subscribe(&format!("C{i:03}"), "09:00 UTC everyday").await;
    }
    let settings = QuizSettings {
        concurrency: 8,
        ..QuizSettings::default()
    };

    // Act
    let outcomes = runner::tick(w.ctx(), secs("2026-11-25T09:00:05Z"), settings).await;

    // Assert: every channel's quiz is out, and only the refused attempts
    // were sent again.
    assert_eq!(posted(&outcomes), CHANNELS, "{outcomes:?}");
    let per = posts_per_channel(&w).await;
    assert_eq!(per.len(), CHANNELS);
    assert_eq!(
        per.values().sum::<usize>(),
        CHANNELS + 10,
        "one post per channel plus one per refused attempt: {per:?}"
    );
    let stored = w.store.unposted_quiz_posts("2026-11-25").await.unwrap();
    assert!(stored.is_empty(), "posts left unrecorded: {stored:?}");
}

#[tokio::test]
async fn slack_down_when_due_posts_once_when_it_returns_the_same_day() {
    let w = World::new().await;
    // Slack is down: the post gets a 503 (which it may have posted all the
    // same), and the channel cannot be read to tell.
    for (what, times) in [("/chat.postMessage", 1), ("/conversations.history", 4)] {
        Mock::given(method("POST"))
            .and(path(what))
            .respond_with(ResponseTemplate::new(503))
            .up_to_n_times(times)
            .mount(&w.server)
            .await;
    }
    Mock::given(method("POST"))
        .and(path("/conversations.history"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true, "messages": []})))
        .mount(&w.server)
        .await;
    slack_accepts_posts(&w.server).await;
    w.subscribe("C1", "09:00 UTC everyday").await;
    let first = w.tick("2026-11-25T09:00:05Z").await;
    assert!(matches!(first[0].1, PostOutcome::Failed(_)), "{first:?}");
    // Past the late limit, but a post that failed today is still owed; the
    // channel shows it was not posted, so it is posted now.
    assert_eq!(posted(&w.tick("2026-11-25T16:00:00Z").await), 1);
    assert_eq!(posted(&w.tick("2026-11-25T16:01:00Z").await), 0);
    assert_eq!(w.posts_to_slack().await.len(), 2, "one 503, one post");
}

#[tokio::test]
async fn the_post_has_one_button_per_option_and_reveals_the_previous_answer() {
    let w = World::new().await;
    slack_accepts_posts(&w.server).await;
    w.subscribe("C1", "09:00 UTC everyday").await;
    w.tick("2026-11-25T09:00:05Z").await;
    let first = &w.posts_to_slack().await[0];
    let post = &w.store.quiz_posts("C1").await.unwrap()[0];
    let q = w.kb.question(&post.question_id).unwrap();
    let buttons = first["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["type"] == "actions")
        .unwrap()["elements"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(buttons.len(), q.options.len());
    assert_eq!(
        buttons[0]["value"],
        format!("quiz|C1|2026-11-25|{}|0", q.id)
    );
    // Two people answer; the next day's post reveals the answer and the result.
    let right = q.correct;
    let wrong = (q.correct + 1) % q.options.len();
    for (user, option) in [("U1", right), ("U2", wrong)] {
        let value = format!("quiz|C1|2026-11-25|{}|{option}", q.id);
        click(&w, user, "C1", &value, "2026-11-25T10:00:00Z")
            .await
            .unwrap();
    }
    w.tick("2026-11-26T09:00:05Z").await;
    let second = w.posts_to_slack().await[1].to_string();
    assert!(second.contains("2 answered, 50% correct"), "{second}");
    assert!(
        second.contains(&q.options[q.correct]),
        "the reveal names the answer"
    );
}

#[tokio::test]
async fn answering_twice_keeps_the_first_answer() {
    let w = World::new().await;
    slack_accepts_posts(&w.server).await;
    w.subscribe("C1", "09:00 UTC everyday").await;
    w.tick("2026-11-25T09:00:05Z").await;
    let post = &w.store.quiz_posts("C1").await.unwrap()[0];
    let q = w.kb.question(&post.question_id).unwrap();
    let wrong = (q.correct + 1) % q.options.len();
    let value = |o: usize| format!("quiz|C1|2026-11-25|{}|{o}", q.id);
    let first = click(&w, "U1", "C1", &value(wrong), "2026-11-25T10:00:00Z")
        .await
        .unwrap();
    assert!(first.text.contains("Not this time"), "{}", first.text);
    let second = click(&w, "U1", "C1", &value(q.correct), "2026-11-25T10:01:00Z")
        .await
        .unwrap();
    assert!(
        second
            .text
            .contains(&format!("locked in: *{}*", message::lettered(q, wrong))),
        "{}",
        second.text
    );
    let answers = w.store.quiz_answers("C1").await.unwrap();
    assert_eq!(answers.len(), 1);
    assert!(!answers[0].correct, "the first (wrong) answer counts");
}

#[tokio::test]
async fn a_click_is_scored_only_on_a_posted_question_of_its_own_channel() {
    let w = World::new().await;
    slack_accepts_posts(&w.server).await;
    w.subscribe("C1", "09:00 UTC everyday").await;
    w.tick("2026-11-25T09:00:05Z").await;
    let post = &w.store.quiz_posts("C1").await.unwrap()[0];
    let q = w.kb.question(&post.question_id).unwrap();
    let other_q = w.kb.quiz.iter().find(|o| o.id != q.id).unwrap();
    let at = "2026-11-25T10:00:00Z";
    let forged = [
        // A post that was never made.
        ("C1", format!("quiz|C1|2026-11-24|{}|0", q.id)),
        // Another channel's button, clicked there: no such post in C2.
        ("C2", format!("quiz|C2|2026-11-25|{}|0", q.id)),
        // This channel's button, but the click came from another channel.
        ("C2", format!("quiz|C1|2026-11-25|{}|0", q.id)),
        // Another question than the post asks.
        ("C1", format!("quiz|C1|2026-11-25|{}|0", other_q.id)),
        // An option the question does not have.
        (
            "C1",
            format!("quiz|C1|2026-11-25|{}|{}", q.id, q.options.len()),
        ),
        ("C1", format!("quiz|C1|2026-11-25|{}|-1", q.id)),
    ];
    for (channel, value) in &forged {
        let reply = click(&w, "U1", channel, value, at).await;
        assert!(
            reply.is_none(),
            "{value} from {channel} was answered: {reply:?}"
        );
    }
    assert!(w.store.quiz_answers("C1").await.unwrap().is_empty());
    assert!(w.store.quiz_answers("C2").await.unwrap().is_empty());
    // The real button still works.
    let real = format!("quiz|C1|2026-11-25|{}|{}", q.id, q.correct);
    assert!(click(&w, "U1", "C1", &real, at).await.is_some());
    assert_eq!(w.store.quiz_answers("C1").await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_click_before_the_post_is_recorded_asks_to_click_again_and_counts_once_recorded() {
    // Arrange: the post is claimed and (as far as Slack goes) made, but the
    // replica that made it has not stored its message yet.
    let w = World::new().await;
    let q = &w.kb.quiz[0];
    let claim = store::PostClaim {
        channel_id: "C1".into(),
        post_id: "2026-11-25".into(),
        local_date: "2026-11-25".into(),
        question_id: q.id.clone(),
        lease_secs: 60,
    };
    w.store
        .claim_quiz_post(&claim, secs("2026-11-25T09:00:00Z"))
        .await
        .unwrap();
    let value = format!("quiz|C1|2026-11-25|{}|{}", q.id, q.correct);

    // Act
    let early = click(&w, "U1", "C1", &value, "2026-11-25T09:00:01Z").await;

    // Assert: told to click again, nothing scored; once recorded it counts.
    let early = early.expect("a click on a post being made must not be dropped in silence");
    assert_eq!(early.text, runner::NOT_SAVED);
    assert!(w.store.quiz_answers("C1").await.unwrap().is_empty());
    w.store
        .mark_quiz_posted(
            "C1",
            "2026-11-25",
            "1700000000.000100",
            secs("2026-11-25T09:00:02Z"),
            secs("2026-11-26T00:00:00Z"),
        )
        .await
        .unwrap();
    let again = click(&w, "U1", "C1", &value, "2026-11-25T09:00:30Z").await;
    assert_ne!(again.map(|r| r.text).as_deref(), Some(runner::NOT_SAVED));
    assert_eq!(w.store.quiz_answers("C1").await.unwrap().len(), 1);
}

#[tokio::test]
async fn the_next_post_closes_the_previous_one_and_a_late_click_gets_the_answer() {
    let w = World::new().await;
    slack_accepts_posts(&w.server).await;
    slack_accepts_updates(&w.server).await;
    w.subscribe("C1", "09:00 UTC everyday").await;
    w.tick("2026-11-25T09:00:05Z").await;
    let first = w.store.quiz_posts("C1").await.unwrap()[0].clone();
    let q = w.kb.question(&first.question_id).unwrap();
    let value = format!("quiz|C1|2026-11-25|{}|{}", q.id, q.correct);
    click(&w, "U1", "C1", &value, "2026-11-25T10:00:00Z")
        .await
        .unwrap();

    // The next day's post reveals the answer, and closes yesterday's.
    w.tick("2026-11-26T09:00:05Z").await;
    let updates = updates_to_slack(&w.server).await;
    assert_eq!(
        updates.len(),
        1,
        "yesterday's post is rewritten once: {updates:?}"
    );
    assert_eq!(updates[0]["ts"], first.message_ts.clone().unwrap());
    assert!(!has_buttons(&updates[0]), "a closed post keeps no buttons");
    let shown = updates[0].to_string();
    assert!(
        shown.contains(&q.options[q.correct]),
        "it shows the answer: {shown}"
    );
    assert!(shown.contains("1 answered, 100% correct"), "{shown}");
    // Those who answered in the thread see the result there too.
    let replies = w.thread_replies_to_slack().await;
    assert_eq!(replies.len(), 1, "one result in the thread: {replies:?}");
    assert_eq!(replies[0]["channel"], "C1");
    assert_eq!(replies[0]["thread_ts"], first.message_ts.clone().unwrap());
    let said = replies[0]["text"].as_str().unwrap_or_default();
    assert!(
        said.contains(&q.options[q.correct]) && said.contains("1 answered, 100% correct"),
        "the thread hears the answer and how the channel did: {said}"
    );

    // Yesterday's button, clicked today by someone else: a friendly no.
    let late = click(&w, "U2", "C1", &value, "2026-11-26T09:30:00Z")
        .await
        .expect("a late click gets a reply");
    assert!(late.text.contains("has closed"), "{}", late.text);
    assert!(late.text.contains(&q.options[q.correct]), "{}", late.text);
    assert!(late.refresh.is_none(), "a closed post is not rewritten");
    let answers = w.store.quiz_answers("C1").await.unwrap();
    assert_eq!(
        answers.len(),
        1,
        "the late click is not scored: {answers:?}"
    );
    // At the end of its day the second post closes too, and the first is
    // not rewritten again.
    w.tick("2026-11-27T00:00:30Z").await;
    assert_eq!(updates_to_slack(&w.server).await.len(), 2);
    assert_eq!(
        w.thread_replies_to_slack().await.len(),
        2,
        "each closed post's thread is told once"
    );
}

#[tokio::test]
async fn a_closed_post_gets_its_result_in_its_thread_once_across_replicas() {
    // Arrange: a second replica on the same database and the same Slack.
    let w = World::new().await;
    slack_accepts_posts(&w.server).await;
    slack_accepts_updates(&w.server).await;
    w.subscribe("C1", "09:00 Europe/Berlin mon-fri").await;
    w.tick("2026-11-27T08:00:05Z").await;
    let post = w.store.quiz_posts("C1").await.unwrap()[0].clone();
    let q = w.kb.question(&post.question_id).unwrap();
    let wrong = (q.correct + 1) % q.options.len();
    for (user, pick) in [("U1", q.correct), ("U2", wrong)] {
        let value = format!("quiz|C1|2026-11-27|{}|{pick}", q.id);
        click(&w, user, "C1", &value, "2026-11-27T12:00:00Z")
            .await
            .unwrap();
    }
    let other_store = store::open(&format!("sqlite://{}", w.db.display()))
        .await
        .unwrap();
    let other_slack = slack_for(&w.server);
    let other = QuizCtx {
        kb: &w.kb,
        slack: &other_slack,
        store: other_store.as_ref(),
    };

    // Act: both replicas' schedulers close Friday's post at the same time.
    let at = secs("2026-11-27T23:00:10Z");
    tokio::join!(
        runner::tick(w.ctx(), at, QuizSettings::default()),
        runner::tick(other, at, QuizSettings::default()),
    );

    // Assert
    let replies = w.thread_replies_to_slack().await;
    assert_eq!(
        replies.len(),
        1,
        "the thread is told once, not once per replica: {replies:?}"
    );
    assert_eq!(replies[0]["thread_ts"], post.message_ts.clone().unwrap());
    let said = replies[0]["text"].as_str().unwrap_or_default();
    assert!(
        said.contains(&q.options[q.correct]) && said.contains("2 answered, 50% correct"),
        "{said}"
    );
    let section = replies[0]["blocks"][0]["text"]["text"].as_str().unwrap();
    assert!(
        section.chars().count() <= 3000,
        "within Slack's section limit"
    );
}

#[tokio::test]
async fn a_post_closes_at_the_end_of_its_local_day() {
    let w = World::new().await;
    slack_accepts_posts(&w.server).await;
    slack_accepts_updates(&w.server).await;
    // Friday; Berlin is UTC+1 in November, so the day ends at 23:00 UTC.
    w.subscribe("C1", "09:00 Europe/Berlin mon-fri").await;
    w.tick("2026-11-27T08:00:05Z").await;
    let post = w.store.quiz_posts("C1").await.unwrap()[0].clone();
    let q = w.kb.question(&post.question_id).unwrap();
    let value = format!("quiz|C1|2026-11-27|{}|0", q.id);

    w.tick("2026-11-27T22:59:50Z").await;
    assert!(
        updates_to_slack(&w.server).await.is_empty(),
        "still Friday in Berlin"
    );
    let in_time = click(&w, "U1", "C1", &value, "2026-11-27T22:59:59Z")
        .await
        .unwrap();
    assert!(!in_time.text.contains("has closed"), "{}", in_time.text);

    w.tick("2026-11-27T23:00:10Z").await;
    let updates = updates_to_slack(&w.server).await;
    assert_eq!(updates.len(), 1, "{updates:?}");
    assert!(!has_buttons(&updates[0]));
    let late = click(&w, "U2", "C1", &value, "2026-11-28T08:00:00Z")
        .await
        .unwrap();
    assert!(late.text.contains("has closed"), "{}", late.text);
    assert_eq!(w.store.quiz_answers("C1").await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_count_refresh_racing_the_close_never_leaves_buttons_on_the_closed_post() {
    let w = World::new().await;
    slack_accepts_posts(&w.server).await;
    // The refresh's rewrite is held up by a rate limit; the close is stored
    // and shown meanwhile, and then the refresh's retry gets through.
    Mock::given(method("POST"))
        .and(path("/chat.update"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .mount(&w.server)
        .await;
    slack_accepts_updates(&w.server).await;
    w.subscribe("C1", "09:00 UTC everyday").await;
    w.tick("2026-11-25T09:00:05Z").await;
    let first = w.store.quiz_posts("C1").await.unwrap()[0].clone();
    let q = w.kb.question(&first.question_id).unwrap();
    let value = format!("quiz|C1|2026-11-25|{}|0", q.id);
    let reply = click(&w, "U1", "C1", &value, "2026-11-25T10:00:00Z")
        .await
        .unwrap();
    assert!(reply.refresh.is_some());

    let refresh = runner::refresh_count(w.ctx(), "C1", "2026-11-25");
    let close = async {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        while updates_to_slack(&w.server).await.is_empty() {
            assert!(tokio::time::Instant::now() < deadline, "no refresh started");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        // The next day's post closes yesterday's while the refresh waits.
        w.tick("2026-11-26T09:00:05Z").await
    };
    let (_, outcomes) = tokio::join!(refresh, close);
    assert_eq!(posted(&outcomes), 1);

    let updates = updates_to_slack(&w.server).await;
    assert!(
        updates.iter().skip(1).any(has_buttons),
        "the refresh's rewrite did not land after the close, so nothing raced: {updates:?}"
    );
    let last = updates.last().unwrap();
    assert!(
        !has_buttons(last),
        "the closed post shows buttons again: {last}"
    );
    assert!(last.to_string().contains(&q.options[q.correct]), "{last}");
}

/// A fake Slack channel: `chat.postMessage` adds to it (or not), and
/// `conversations.history` shows what is there between `oldest` and
/// `latest`, newest first, with metadata only when asked for, as Slack does.
#[derive(Clone)]
struct FakeChannel {
    messages: Arc<std::sync::Mutex<Vec<Value>>>,
    posts: Arc<std::sync::atomic::AtomicUsize>,
    /// Slack's clock at the first post, in seconds.
    base: i64,
    /// How the first post goes wrong for the client.
    first: FirstPost,
}

#[derive(Clone, Copy, PartialEq)]
enum FirstPost {
    /// Posted, but the answer comes after the client gave up.
    PostedSlowly,
    /// Posted, but answered with a 503.
    PostedThen503,
    /// Answered too late, and it shows in the channel only after the
    /// client's first look (Slack still busy with it).
    ShownLate,
}

impl FakeChannel {
    fn new(at: &str, first: FirstPost) -> Self {
        FakeChannel {
            messages: Arc::default(),
            posts: Arc::default(),
            base: secs(at),
            first,
        }
    }

    async fn mount(&self, server: &MockServer) {
        let posting = self.clone();
        Mock::given(method("POST"))
            .and(path("/chat.postMessage"))
            .respond_with(move |req: &Request| posting.post(req))
            .mount(server)
            .await;
        let reading = self.clone();
        Mock::given(method("POST"))
            .and(path("/conversations.history"))
            .respond_with(move |req: &Request| reading.history(req))
            .mount(server)
            .await;
    }

    fn post(&self, req: &Request) -> ResponseTemplate {
        let n = self.posts.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let mut msg: Value = serde_json::from_slice(&req.body).unwrap();
        let ts = format!("{}.{:06}", self.base + 1, n + 1);
        msg["ts"] = json!(ts);
        if n == 0 && self.first == FirstPost::ShownLate {
            msg["hidden"] = json!(true);
        }
        self.messages.lock().unwrap().push(msg);
        let ok = ResponseTemplate::new(200)
            .set_body_json(json!({"ok": true, "channel": "C1", "ts": ts}));
        match (n, self.first) {
            (0, FirstPost::PostedThen503) => ResponseTemplate::new(503),
            (0, _) => ok.set_delay(Duration::from_secs(1)),
            _ => ok,
        }
    }

    fn history(&self, req: &Request) -> ResponseTemplate {
        let form: Vec<(String, String)> = serde_urlencoded::from_bytes(&req.body).unwrap();
        let param = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        let num = |v: &str| v.parse::<f64>().unwrap();
        let metadata = param("include_all_metadata").as_deref() == Some("true");
        let mut all = self.messages.lock().unwrap();
        let shown: Vec<Value> = all
            .iter()
            .rev()
            .filter(|m| m["hidden"].is_null())
            .filter(|m| {
                let ts = num(m["ts"].as_str().unwrap());
                param("oldest").is_none_or(|o| ts >= num(&o))
                    && param("latest").is_none_or(|l| ts <= num(&l))
            })
            .map(|m| {
                let mut shown =
                    json!({"type": "message", "bot_id": "B1", "text": m["text"], "ts": m["ts"]});
                if metadata {
                    shown["metadata"] = m["metadata"].clone();
                }
                shown
            })
            .collect();
        // Slack is done with a slow post by the time it is looked for again.
        for m in all.iter_mut() {
            m.as_object_mut().unwrap().remove("hidden");
        }
        ResponseTemplate::new(200)
            .set_body_json(json!({"ok": true, "has_more": false, "messages": shown}))
    }

    fn shown(&self) -> usize {
        self.messages.lock().unwrap().len()
    }
}

/// A client that gives up on an answer after 300 ms.
fn impatient(w: &mut World) {
    w.slack = SlackApi::new(
        &w.server.uri(),
        Some(BotToken::new("xoxb-test")),
        RetryPolicy {
            request_timeout: Duration::from_millis(300),
            ..slack_for_policy()
        },
    );
}

fn slack_for_policy() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 4,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        max_retry_after: Duration::from_secs(2),
        jitter: Duration::ZERO,
        request_timeout: Duration::from_secs(10),
    }
}

fn history_reads(requests: &[Request]) -> Vec<Vec<(String, String)>> {
    requests
        .iter()
        .filter(|r| r.url.path() == "/conversations.history")
        .map(|r| serde_urlencoded::from_bytes(&r.body).unwrap())
        .collect()
}

#[tokio::test]
async fn a_quiz_post_that_went_through_without_a_clear_answer_is_not_posted_again() {
    for first in [FirstPost::PostedSlowly, FirstPost::PostedThen503] {
        let mut w = World::new().await;
        impatient(&mut w);
        let channel = FakeChannel::new("2026-11-25T09:00:05Z", first);
        channel.mount(&w.server).await;
        w.subscribe("C1", "09:00 UTC everyday").await;

        let outcome = w.tick("2026-11-25T09:00:05Z").await;
        let again = w.tick("2026-11-25T09:02:00Z").await;
        tokio::time::sleep(Duration::from_millis(1200)).await;

        assert!(
            matches!(&outcome[0].1, PostOutcome::Posted { ts, .. } if ts.ends_with(".000001")),
            "{outcome:?}"
        );
        assert_eq!(posted(&again), 0, "{again:?}");
        assert_eq!(w.posts_to_slack().await.len(), 1, "posted twice");
        assert_eq!(channel.shown(), 1);
        let tag = &w.posts_to_slack().await[0]["metadata"];
        assert_eq!(tag["event_payload"]["post_id"], "2026-11-25", "{tag}");
        let post = &w.store.quiz_posts("C1").await.unwrap()[0];
        assert_eq!(
            post.message_ts.as_deref(),
            Some(format!("{}.000001", secs("2026-11-25T09:00:06Z")).as_str())
        );
        // The search covered the attempt, two minutes either side for clocks.
        let requests = w.server.received_requests().await.unwrap();
        let reads = history_reads(&requests);
        assert_eq!(reads.len(), 1, "{reads:?}");
        let oldest = format!("{}.000000", secs("2026-11-25T08:58:05Z"));
        assert!(reads[0].contains(&("oldest".into(), oldest)), "{reads:?}");
    }
}

#[tokio::test]
async fn a_quiz_post_slack_shows_late_is_found_before_the_retry_posts_again() {
    let mut w = World::new().await;
    impatient(&mut w);
    let channel = FakeChannel::new("2026-11-25T09:00:05Z", FirstPost::ShownLate);
    channel.mount(&w.server).await;
    w.subscribe("C1", "09:00 UTC everyday").await;

    let first = w.tick("2026-11-25T09:00:05Z").await;
    assert!(matches!(first[0].1, PostOutcome::Failed(_)), "{first:?}");
    let retry = w.tick("2026-11-25T09:01:10Z").await;

    assert!(
        matches!(&retry[0].1, PostOutcome::Posted { ts, .. } if ts.ends_with(".000001")),
        "the retry took the late post for its own: {retry:?}"
    );
    assert_eq!(w.posts_to_slack().await.len(), 1, "posted twice");
    let requests = w.server.received_requests().await.unwrap();
    let reads = history_reads(&requests);
    assert_eq!(reads.len(), 2, "{reads:?}");
    // The retry looks back to the start of the post's day.
    let day_start = format!("{}.000000", secs("2026-11-24T23:58:00Z"));
    assert!(
        reads[1].contains(&("oldest".into(), day_start)),
        "{reads:?}"
    );
}

#[tokio::test]
async fn a_channel_that_cannot_be_searched_still_gets_its_quiz() {
    // The first post gets a 503 and is not there; the app lacks the scope to
    // read the channel, which no retry fixes: the quiz is posted again rather
    // than never.
    let w = World::new().await;
    Mock::given(method("POST"))
        .and(path("/chat.postMessage"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&w.server)
        .await;
    Mock::given(method("POST"))
        .and(path("/conversations.history"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"ok": false, "error": "missing_scope"})),
        )
        .mount(&w.server)
        .await;
    slack_accepts_posts(&w.server).await;
    w.subscribe("C1", "09:00 UTC everyday").await;

    let first = w.tick("2026-11-25T09:00:05Z").await;
    let retry = w.tick("2026-11-25T09:01:10Z").await;

    assert!(matches!(first[0].1, PostOutcome::Failed(_)), "{first:?}");
    assert_eq!(posted(&retry), 1, "{retry:?}");
    assert_eq!(w.posts_to_slack().await.len(), 2, "one 503, one post");
}

#[tokio::test]
async fn forcing_a_post_adds_an_extra_one_and_the_rule_holds_otherwise() {
    let w = World::new().await;
    slack_accepts_posts(&w.server).await;
    let s = Schedule::parse("09:00 UTC everyday").unwrap();
    let now = secs("2026-11-25T12:00:00Z");
    let settings = QuizSettings::default();
    let first = runner::post_today(w.ctx(), "C9", &s, now, false, settings).await;
    assert!(matches!(first, PostOutcome::Posted { .. }));
    let again = runner::post_today(w.ctx(), "C9", &s, now, false, settings).await;
    assert_eq!(again, PostOutcome::AlreadyPosted);
    match runner::post_today(w.ctx(), "C9", &s, now, true, settings).await {
        PostOutcome::Posted { post_id, .. } => assert_eq!(post_id, "2026-11-25#2"),
        other => panic!("{other:?}"),
    }
}

/// A bank of our own, three questions per difficulty, so the test does not
/// move when the real bank is rewritten.
fn graded_bank() -> Vec<testscope::kb::Question> {
    use testscope::kb::{Difficulty, Question};
    // Any other fields the bank grows come from a real question.
    let kb = KnowledgeBase::embedded().unwrap();
    let base = &kb.quiz[0];
    [
        ("e", Difficulty::Easy),
        ("m", Difficulty::Medium),
        ("h", Difficulty::Hard),
    ]
    .into_iter()
    .flat_map(|(prefix, difficulty)| {
        (1..=3).map(move |n| Question {
            id: format!("{prefix}{n}"),
            question: format!("Question {prefix}{n}?"),
            options: vec!["one".into(), "two".into(), "three".into()],
            correct: 1,
            explanation: "Because.".into(),
            difficulty,
            again: None,
            ..base.clone()
        })
    })
    .collect()
}

#[tokio::test]
async fn the_difficulty_follows_how_the_channel_does_and_nothing_repeats() {
    let mut w = World::new().await;
    w.kb.quiz = graded_bank();
    slack_accepts_posts(&w.server).await;
    slack_accepts_updates(&w.server).await;
    w.subscribe("C1", "09:00 UTC everyday").await;
    // How many of three players answer each day's question right (None: nobody answers).
    let right_per_day = [
        Some(3), // medium to start; all right: harder
        Some(3), // hard; all right: stays hard (the top)
        Some(0), // hard; all wrong: last two posts 50% right, easier
        Some(0), // medium; all wrong again: easier
        Some(2), // easy; 2 of 3, but the last two posts 33%: stays easy
        Some(3), // easy; last two posts 83%: harder
        None,    // medium; nobody answers: no new signal, stays medium
        None,    // medium is used up: the nearest level left
        None,    // the last question of the bank
    ];
    let mut chosen = Vec::new();
    for (i, right) in right_per_day.iter().enumerate() {
        let day = format!("2026-11-{:02}", i + 2);
        w.tick(&format!("{day}T09:00:05Z")).await;
        let posts = w.store.quiz_posts("C1").await.unwrap();
        let p = posts.iter().find(|p| p.local_date == day).unwrap();
        chosen.push(p.question_id.clone());
        let q = w.kb.question(&p.question_id).unwrap();
        for (n, user) in ["U1", "U2", "U3"].iter().enumerate() {
            let Some(right) = right else { break };
            let option = if n < *right { q.correct } else { 0 };
            let v = format!("quiz|C1|{day}|{}|{option}", q.id);
            click(&w, user, "C1", &v, &format!("{day}T10:00:00Z"))
                .await
                .unwrap();
        }
    }
    let levels: String = chosen.iter().map(|id| &id[..1]).collect();
    assert_eq!(&levels[..7], "mhhmeem", "chosen: {chosen:?}");
    assert_ne!(&levels[7..8], "m", "no medium question is left: {chosen:?}");
    let mut distinct = chosen.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(
        distinct.len(),
        9,
        "a question repeated before the bank was used up: {chosen:?}"
    );
    // The bank is used up: the next cycle starts.
    w.tick("2026-11-11T09:00:05Z").await;
    assert_eq!(w.store.quiz_posts("C1").await.unwrap().len(), 10);
}

/// A bank of our own in which every question has a second phrasing with
/// other options and its key at another letter.
fn rephrased_bank() -> Vec<testscope::kb::Question> {
    use testscope::kb::{AGAIN_SUFFIX, Question};
    let kb = KnowledgeBase::embedded().unwrap();
    let base = &kb.quiz[0];
    (1..=40)
        .map(|n| {
            let id = format!("q{n:02}");
            Question {
                again: Some(Box::new(Question {
                    id: format!("{id}{AGAIN_SUFFIX}"),
                    question: format!("Question {id}, in new words?"),
                    options: vec![
                        format!("again {id} A"),
                        format!("again {id} B"),
                        format!("again {id} C"),
                    ],
                    correct: 2,
                    explanation: "Because, again.".into(),
                    again: None,
                    ..base.clone()
                })),
                id: id.clone(),
                question: format!("Question {id}?"),
                options: vec![format!("{id} A"), format!("{id} B"), format!("{id} C")],
                correct: 1,
                explanation: "Because.".into(),
                ..base.clone()
            }
        })
        .collect()
}

/// The question id posted in C1 on `day`.
async fn posted_on(w: &World, day: &str) -> String {
    let posts = w.store.quiz_posts("C1").await.unwrap();
    posts
        .iter()
        .find(|p| p.local_date == day && p.message_ts.is_some())
        .unwrap_or_else(|| panic!("nothing posted on {day}: {posts:?}"))
        .question_id
        .clone()
}

/// Three players answer `day`'s post: `right` of them with the key, the
/// others with option 0.
async fn answer_day(w: &World, day: &str, right: usize) {
    let id = posted_on(w, day).await;
    let q = w.kb.question(&id).unwrap();
    for (n, user) in ["U1", "U2", "U3"].iter().enumerate() {
        let option = if n < right { q.correct } else { 0 };
        let v = format!("quiz|C1|{day}|{id}|{option}");
        click(w, user, "C1", &v, &format!("{day}T10:00:00Z"))
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn a_question_most_missed_comes_back_rephrased_after_three_weeks_once() {
    let mut w = World::new().await;
    w.kb.quiz = rephrased_bank();
    slack_accepts_posts(&w.server).await;
    slack_accepts_updates(&w.server).await;
    w.subscribe("C1", "09:00 UTC everyday").await;
    let day = |n: i64| {
        jiff::civil::date(2026, 11, 2)
            .checked_add(jiff::Span::new().days(n))
            .unwrap()
            .to_string()
    };
    // Day 0: two of three miss it. Day 1: two of three get it right.
    // Day 2: one answer only, and it is wrong: too few to judge.
    let mut ids = Vec::new();
    for n in 0..=23 {
        let d = day(n);
        w.tick(&format!("{d}T09:00:05Z")).await;
        ids.push(posted_on(&w, &d).await);
        match n {
            0 => answer_day(&w, &d, 1).await,
            1 => answer_day(&w, &d, 2).await,
            2 => {
                let v = format!("quiz|C1|{d}|{}|0", ids[2]);
                click(&w, "U1", "C1", &v, &format!("{d}T10:00:00Z"))
                    .await
                    .unwrap();
            }
            _ => {}
        }
    }
    let (missed, got_right, one_answer) = (&ids[0], &ids[1], &ids[2]);
    let again = format!("{missed}{}", testscope::kb::AGAIN_SUFFIX);
    // Day 20 is only 20 days on: still new questions.
    assert!(
        ids[..21].iter().all(|id| !id.ends_with("~again")),
        "back before 21 days: {ids:?}"
    );
    assert_eq!(ids[21], again, "day 21 brings the missed one back: {ids:?}");
    assert!(
        !ids.contains(&format!("{got_right}~again"))
            && !ids.contains(&format!("{one_answer}~again")),
        "only the missed question comes back: {ids:?}"
    );
    assert_eq!(
        ids.iter().filter(|id| **id == again).count(),
        1,
        "it comes back once: {ids:?}"
    );
    // The post shows the new words and the new options, not the first ones.
    let posted = w.posts_to_slack().await;
    let text = posted[21].to_string();
    assert!(
        text.contains(&format!("Question {missed}, in new words?")),
        "{text}"
    );
    assert!(text.contains(&format!("again {missed} C")), "{text}");
    assert!(!text.contains(&format!("\"{missed} B")), "{text}");
}

#[tokio::test]
async fn a_rephrased_post_scores_clicks_against_its_own_key() {
    let mut w = World::new().await;
    w.kb.quiz = rephrased_bank();
    slack_accepts_posts(&w.server).await;
    slack_accepts_updates(&w.server).await;
    w.subscribe("C1", "09:00 UTC everyday").await;
    w.tick("2026-11-02T09:00:05Z").await;
    answer_day(&w, "2026-11-02", 0).await;
    w.tick("2026-11-23T09:00:05Z").await;
    let missed = posted_on(&w, "2026-11-02").await;
    let again = posted_on(&w, "2026-11-23").await;
    assert_eq!(again, format!("{missed}~again"));
    let (first, second) = (
        w.kb.question(&missed).unwrap(),
        w.kb.question(&again).unwrap(),
    );
    assert_ne!(first.correct, second.correct);
    let value = |option: usize| format!("quiz|C1|2026-11-23|{again}|{option}");
    let at = "2026-11-23T10:00:00Z";
    // The first phrasing's key is a wrong answer here, and the other way round.
    click(&w, "U1", "C1", &value(first.correct), at)
        .await
        .unwrap();
    click(&w, "U2", "C1", &value(second.correct), at)
        .await
        .unwrap();
    // A button value naming the first phrasing does not match this post.
    let stale = format!("quiz|C1|2026-11-23|{missed}|{}", first.correct);
    assert!(click(&w, "U3", "C1", &stale, at).await.is_none());
    let answers = w.store.quiz_answers("C1").await.unwrap();
    let on_again: Vec<(&str, bool)> = answers
        .iter()
        .filter(|a| a.post_id == "2026-11-23")
        .map(|a| (a.user_id.as_str(), a.correct))
        .collect();
    assert_eq!(on_again.len(), 2, "{on_again:?}");
    assert!(on_again.contains(&("U1", false)), "{on_again:?}");
    assert!(on_again.contains(&("U2", true)), "{on_again:?}");
    // The next post reveals the second phrasing's key.
    w.tick("2026-11-24T09:00:05Z").await;
    let posted = w.posts_to_slack().await;
    let reveal = posted.last().unwrap().to_string();
    assert!(reveal.contains(&format!("again {missed} C")), "{reveal}");
    // ... and closing it shows that key in place of its buttons.
    let closed = updates_to_slack(&w.server).await;
    let closed = closed
        .iter()
        .find(|m| {
            m.to_string()
                .contains(&format!("Question {missed}, in new words?"))
        })
        .expect("the rephrased post is closed");
    assert!(!has_buttons(closed), "{closed}");
    assert!(
        closed.to_string().contains(&format!("again {missed} C")),
        "{closed}"
    );
}

mod commands {
    use super::*;
    use testscope::command::Command;
    use testscope::quiz::commands::{Asker, handle};

    async fn run(w: &World, channel: &str, user: &str, args: &str, at: &str) -> Value {
        let asker = Asker {
            team_id: "T1",
            channel_id: channel,
            user_id: user,
        };
        // The grammar is tested in the command module and the API tests;
        // these drive the quiz with what it parses.
        let line = format!("quiz {args}");
        match testscope::command::parse(&line) {
            // As Slack gets it.
            Command::Quiz(cmd) => {
                serde_json::to_value(handle(w.ctx(), &asker, &cmd, secs(at)).await).unwrap()
            }
            // What the router shows before the quiz usage.
            Command::QuizUsage { problem } => json!({"text": problem.unwrap_or_default()}),
            other => panic!("not a quiz command: {other:?}"),
        }
    }

    #[tokio::test]
    async fn subscribe_confirms_the_next_post_in_the_channels_zone() {
        let w = World::new().await;
        // Wednesday 25 November, 10:00 in Berlin: the next post is Thursday 09:00 CET.
        let reply = run(
            &w,
            "C1",
            "U1",
            "daily 09:00 Europe/Berlin mon-fri",
            "2026-11-25T09:00:00Z",
        )
        .await;
        let text = reply["text"].as_str().unwrap();
        assert_eq!(reply["response_type"], "ephemeral");
        assert!(
            text.contains("Monday to Friday at 09:00 (Europe/Berlin)"),
            "{text}"
        );
        assert!(text.contains("Thu 26 Nov, 09:00 CET"), "{text}");
        let subs = w.store.subscriptions().await.unwrap();
        assert_eq!(subs[0].schedule, "09:00 Europe/Berlin mon-fri");

        let defaults = run(&w, "C2", "U1", "daily", "2026-11-27T10:00:00Z").await;
        assert!(
            defaults["text"]
                .as_str()
                .unwrap()
                .contains("Mon 30 Nov, 09:00 UTC"),
            "defaults are 09:00 UTC mon-fri: {defaults}"
        );

        let status = run(&w, "C1", "U1", "status", "2026-11-25T09:00:00Z").await;
        assert!(
            status["text"]
                .as_str()
                .unwrap()
                .contains("Next question: Thu 26 Nov")
        );

        let bad = run(
            &w,
            "C1",
            "U1",
            "daily 09:00 Europe/Berln",
            "2026-11-25T09:00:00Z",
        )
        .await;
        assert!(
            bad["text"]
                .as_str()
                .unwrap()
                .contains("`Europe/Berln` is not a time zone")
        );

        let stop = run(&w, "C1", "U1", "stop", "2026-11-25T09:00:00Z").await;
        assert_eq!(stop["text"], w.kb.messages.quiz.unsubscribed);
        let status = run(&w, "C1", "U1", "status", "2026-11-25T09:00:00Z").await;
        assert_eq!(status["text"], w.kb.messages.quiz.not_subscribed);
    }

    #[tokio::test]
    async fn leaderboard_and_personal_record() {
        let w = World::new().await;
        slack_accepts_posts(&w.server).await;
        w.subscribe("C1", "09:00 UTC everyday").await;
        for day in ["2026-11-23", "2026-11-24"] {
            w.tick(&format!("{day}T09:00:05Z")).await;
            let posts = w.store.quiz_posts("C1").await.unwrap();
            let p = posts.iter().find(|p| p.local_date == day).unwrap();
            let q = w.kb.question(&p.question_id).unwrap();
            let wrong = (q.correct + 1) % q.options.len();
            for (user, option) in [
                ("UA", q.correct),
                (
                    "UB",
                    if day.ends_with("23") {
                        q.correct
                    } else {
                        wrong
                    },
                ),
            ] {
                let v = format!("quiz|C1|{day}|{}|{option}", q.id);
                click(&w, user, "C1", &v, &format!("{day}T10:00:00Z"))
                    .await
                    .unwrap();
            }
        }
        let board = run(&w, "C1", "UA", "leaderboard", "2026-11-24T12:00:00Z").await;
        let lines = board["blocks"][1]["text"]["text"].as_str().unwrap();
        assert_eq!(
            lines,
            "1. <@UA> — 2 correct, 100% accuracy, streak 2\n2. <@UB> — 1 correct, 50% accuracy, streak 0"
        );
        let me = run(&w, "C1", "UB", "me", "2026-11-24T12:00:00Z").await;
        assert_eq!(
            me["text"],
            "Your record here: 1 correct out of 2 (50%), current streak 0."
        );
        let nobody = run(&w, "C1", "UC", "me", "2026-11-24T12:00:00Z").await;
        assert_eq!(nobody["text"], w.kb.messages.quiz.me_empty);
    }

    /// Posts the day's question at 09:00 Berlin (08:00 UTC in winter) and
    /// has each `(user, right)` answer it.
    async fn day_in_berlin(w: &World, day: &str, answers: &[(&str, bool)]) {
        w.tick(&format!("{day}T08:00:05Z")).await;
        let posts = w.store.quiz_posts("C1").await.unwrap();
        let p = posts.iter().find(|p| p.local_date == day).unwrap();
        let q = w.kb.question(&p.question_id).unwrap();
        for &(user, right) in answers {
            let option = if right {
                q.correct
            } else {
                (q.correct + 1) % q.options.len()
            };
            let v = format!("quiz|C1|{day}|{}|{option}", q.id);
            click(w, user, "C1", &v, &format!("{day}T10:00:00Z"))
                .await
                .unwrap();
        }
    }

    #[tokio::test]
    async fn the_weekly_board_runs_monday_to_sunday_in_the_channels_zone() {
        let w = World::new().await;
        slack_accepts_posts(&w.server).await;
        slack_accepts_updates(&w.server).await;
        w.subscribe("C1", "09:00 Europe/Berlin mon-fri").await;
        // The Friday before: UD's one right answer belongs to that week only.
        day_in_berlin(&w, "2026-11-13", &[("UD", true)]).await;
        // Monday 16 to Friday 20 November: UA 5 of 5, UC 4 of 4, UB 4 of 5, UD 1 of 5.
        for (i, day) in [
            "2026-11-16",
            "2026-11-17",
            "2026-11-18",
            "2026-11-19",
            "2026-11-20",
        ]
        .iter()
        .enumerate()
        {
            let mut answers = vec![("UA", true), ("UB", i != 2), ("UD", i == 0)];
            if i != 4 {
                answers.push(("UC", true));
            }
            day_in_berlin(&w, day, &answers).await;
        }
        let expected = "1. <@UA> — 5 of 5 correct\n2. <@UC> — 4 of 4 correct\n\
                        3. <@UB> — 4 of 5 correct\n4. <@UD> — 1 of 5 correct";
        // Sunday 23:30 in Berlin: still the week of the 16th.
        let sunday = run(&w, "C1", "UA", "leaderboard week", "2026-11-22T22:30:00Z").await;
        assert_eq!(
            sunday["blocks"][0]["text"]["text"],
            "Quiz leaderboard for the week of Mon 16 Nov 2026"
        );
        assert_eq!(sunday["blocks"][1]["text"]["text"], expected);
        // Monday 00:30 in Berlin (still Sunday in UTC): a new, empty week.
        let monday = run(&w, "C1", "UA", "leaderboard week", "2026-11-22T23:30:00Z").await;
        assert_eq!(monday["text"], w.kb.messages.quiz.leaderboard_week_empty);
        // The all-time board still counts the week before.
        let all_time = run(&w, "C1", "UA", "leaderboard", "2026-11-22T23:30:00Z").await;
        let all_time = all_time["blocks"][1]["text"]["text"].as_str().unwrap();
        assert!(all_time.contains("<@UD> — 2 correct"), "{all_time}");

        // Monday's post names last week's top three, and only Monday's.
        day_in_berlin(&w, "2026-11-23", &[("UA", true)]).await;
        runner::refresh_count(w.ctx(), "C1", "2026-11-23").await;
        day_in_berlin(&w, "2026-11-24", &[]).await;
        let posts = w.posts_to_slack().await;
        let text = |i: usize| posts[i].to_string();
        let n = posts.len();
        assert!(
            text(n - 2).contains(
                "*Last week's top three:* 1. <@UA> (5 of 5), 2. <@UC> (4 of 4), 3. <@UB> (4 of 5)"
            ),
            "{}",
            text(n - 2)
        );
        assert!(!text(n - 2).contains("UD"), "only three are named");
        assert!(
            !text(n - 1).contains("top three"),
            "Tuesday: {}",
            text(n - 1)
        );
        // Monday 16th's post named the week of the 9th (UD alone), Tuesday's nothing.
        assert!(
            text(1).contains("top three:* 1. <@UD> (1 of 1)"),
            "{}",
            text(1)
        );
        assert!(!text(2).contains("top three"));
        // The live-count rewrite of Monday's post (made while it is open) keeps the podium.
        let rewrite = updates_to_slack(&w.server)
            .await
            .into_iter()
            .find(|u| has_buttons(u) && u.to_string().contains("2026-11-23"))
            .expect("Monday's post was rewritten with its count");
        assert!(
            rewrite
                .to_string()
                .contains("top three:* 1. <@UA> (5 of 5)"),
            "{rewrite}"
        );
    }

    #[tokio::test]
    async fn a_practice_question_is_private_and_unscored() {
        let w = World::new().await;
        let reply = run(&w, "C1", "U1", "", "2026-11-25T09:00:00Z").await;
        assert_eq!(reply["response_type"], "ephemeral");
        let value = reply["blocks"][2]["elements"][0]["value"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(value.starts_with("practice|"), "{value}");
        let answer = click(&w, "U1", "C1", &value, "2026-11-25T09:00:00Z")
            .await
            .unwrap();
        assert!(answer.refresh.is_none());
        assert!(w.store.quiz_answers("C1").await.unwrap().is_empty());
    }
}
