//! Faults the service must survive visibly: background jobs that panic, a
//! store that cannot write, a Slack that is slow, down or refuses for good.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;

const WAIT: Duration = Duration::from_secs(5);

async fn readyz(app: &TestApp) -> (StatusCode, Value) {
    let resp = app.get("/readyz").await;
    let status = resp.status();
    (status, resp.json().await.expect("/readyz answers JSON"))
}

#[tokio::test]
async fn a_panicking_job_is_restarted_counted_and_shown_by_readyz() {
    // Arrange: a job that panics on every run but the sixth, the way a job
    // with a bug on some input would.
    let mut app = spawn_app().await;
    let runs = Arc::new(AtomicU32::new(0));
    let r = Arc::clone(&runs);
    app.state().jobs.start("test job", move |beat, stop| {
        let n = r.fetch_add(1, Ordering::SeqCst);
        async move {
            assert!(n >= 5, "test job run {n} hit a bug");
            beat.ok();
            stop.cancelled().await;
        }
    });

    // Act: wait until it has failed often enough to count as failing.
    let deadline = Instant::now() + WAIT;
    while app.state().jobs.health()["test job"].failures_in_a_row < 3 {
        assert!(Instant::now() < deadline, "the job was not restarted");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let (status, failing) = readyz(&app).await;
    let metrics = app.get("/metrics").await.text().await.unwrap();
    while runs.load(Ordering::SeqCst) < 6 {
        assert!(Instant::now() < deadline + WAIT, "the job was given up");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    tokio::time::sleep(Duration::from_millis(20)).await;
    let (_, recovered) = readyz(&app).await;
    app.shutdown().await.expect("clean shutdown");

    // Assert
    assert_eq!(
        status,
        StatusCode::OK,
        "a failing job is shown, it does not take the replica out: {failing}"
    );
    let jobs = failing["checks"]["jobs"].as_str().unwrap_or_default();
    assert!(
        jobs.contains("test job") && jobs.contains("hit a bug"),
        "/readyz must name the failing job and why: {failing}"
    );
    assert!(
        metrics.contains("testscope_job_restarts_total{job=\"test job\"}"),
        "restarts are counted:\n{metrics}"
    );
    assert!(
        metrics.contains("testscope_job_failing{job=\"test job\"} 1"),
        "a failing job is flagged for alerts:\n{metrics}"
    );
    assert_eq!(
        recovered["checks"]["jobs"], "ok",
        "once the job works again /readyz says so: {recovered}"
    );
}

#[tokio::test]
async fn the_services_own_jobs_run_under_the_supervisor() {
    let mut app = spawn_app().await;
    let names: Vec<&str> = app.state().jobs.health().into_keys().collect();
    app.shutdown().await.expect("clean shutdown");
    for job in [
        "quiz scheduler",
        "quiz live counts",
        "prune seen events",
        "metrics upkeep",
    ] {
        assert!(names.contains(&job), "{job} is not supervised: {names:?}");
    }
}

// ---- a store that takes no writes (item 3) --------------------------------

/// A PostgreSQL schema of this test's own, dropped at the end; `None` (the
/// test is skipped) without `TEST_DATABASE_URL`.
pub(crate) struct PgSchema {
    base: String,
    name: String,
}

impl PgSchema {
    pub(crate) async fn create() -> Option<PgSchema> {
        let Ok(base) = std::env::var("TEST_DATABASE_URL") else {
            eprintln!("skipping the PostgreSQL half: TEST_DATABASE_URL is not set");
            return None;
        };
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "testscope_api_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        pg_execute(
            &base,
            &format!("DROP SCHEMA IF EXISTS {name} CASCADE; CREATE SCHEMA {name}"),
        )
        .await;
        Some(PgSchema { base, name })
    }

    pub(crate) fn url(&self) -> String {
        self.url_with("")
    }

    /// The URL with more `-c` session settings, e.g. `%20-cx%3Dy`.
    pub(crate) fn url_with(&self, more_options: &str) -> String {
        let sep = if self.base.contains('?') { '&' } else { '?' };
        format!(
            "{}{sep}options=-csearch_path%3D{}{more_options}",
            self.base, self.name
        )
    }

    pub(crate) async fn client(&self) -> tokio_postgres::Client {
        let (client, conn) = tokio_postgres::connect(&self.url(), tokio_postgres::NoTls)
            .await
            .expect("connect to TEST_DATABASE_URL");
        tokio::spawn(conn);
        client
    }
}

impl Drop for PgSchema {
    fn drop(&mut self) {
        let (base, name) = (self.base.clone(), self.name.clone());
        // A runtime of its own: Drop may run while the test's is shutting down.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(pg_execute(
                &base,
                &format!("DROP SCHEMA IF EXISTS {name} CASCADE"),
            ));
        })
        .join();
    }
}

async fn pg_execute(url: &str, sql: &str) {
    let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .expect("connect to TEST_DATABASE_URL");
    tokio::spawn(conn);
    client.batch_execute(sql).await.expect(sql);
}

/// Makes `path` impossible to open for writing: mode 0444, and for root
/// (whom file modes do not stop) the immutable flag. Undone on drop.
struct ReadOnlyFile {
    path: std::path::PathBuf,
    immutable: bool,
}

impl ReadOnlyFile {
    fn make(path: &std::path::Path) -> Option<ReadOnlyFile> {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o444)).unwrap();
        let writable = || std::fs::OpenOptions::new().write(true).open(path).is_ok();
        let mut immutable = false;
        if writable() {
            immutable = std::process::Command::new("chattr")
                .arg("+i")
                .arg(path)
                .status()
                .is_ok_and(|s| s.success());
            if !writable() {
                eprintln!("running as root: made the file immutable as well");
            }
        }
        let guard = ReadOnlyFile {
            path: path.to_owned(),
            immutable,
        };
        if writable() {
            eprintln!("skipping: cannot make a file read-only here (root without chattr)");
            return None;
        }
        Some(guard)
    }
}

impl Drop for ReadOnlyFile {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt;
        if self.immutable {
            let _ = std::process::Command::new("chattr")
                .arg("-i")
                .arg(&self.path)
                .status();
        }
        let _ = std::fs::set_permissions(&self.path, std::fs::Permissions::from_mode(0o600));
    }
}

async fn build(database_url: &str) -> anyhow::Result<testscope::server::Application> {
    let slack = wiremock::MockServer::start().await;
    let settings = settings_for(database_url, &slack.uri(), SECRET, None);
    testscope::server::Application::build_with_retry(
        settings,
        Arc::new(testscope::clock::SystemClock),
        fast_retry(),
    )
    .await
}

#[tokio::test]
async fn a_sqlite_file_that_opens_read_only_stops_start_up() {
    // Arrange: a database the service used before, now mode 0444.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bot.db");
    let url = format!("sqlite://{}", path.display());
    drop(build(&url).await.expect("a writable file starts"));
    let Some(_read_only) = ReadOnlyFile::make(&path) else {
        return;
    };

    // Act
    let started = build(&url).await;

    // Assert
    let err = started
        .err()
        .expect("a database that takes no writes must stop start-up");
    let msg = format!("{err:#}");
    assert!(
        msg.contains(&path.display().to_string()) && msg.contains("writ"),
        "the operator should learn which file cannot be written: {msg}"
    );
}

#[tokio::test]
async fn a_postgres_database_that_takes_no_writes_stops_start_up() {
    let Some(schema) = PgSchema::create().await else {
        return;
    };
    drop(
        build(&schema.url())
            .await
            .expect("a writable database starts"),
    );

    let started = build(&schema.url_with("%20-cdefault_transaction_read_only%3Don")).await;

    let err = started
        .err()
        .expect("a read-only database must stop start-up");
    assert!(format!("{err:#}").contains("read-only"), "{err:#}");
}

/// The scenario behind item 3 on any backend: while another connection
/// keeps the tables locked, every write of ours fails but reads still work.
/// `/readyz` must turn red, and a quiz click must be told it did not count.
async fn writes_blocked(
    database_url: Option<String>,
    lock: impl AsyncFnOnce(&TestApp) -> Box<dyn std::any::Any>,
) {
    // Arrange: a posted quiz in C111, then the lock.
    let mut app = spawn_app_with(TestOptions {
        database_url,
        ..TestOptions::default()
    })
    .await;
    wiremock::Mock::given(wiremock::matchers::method("POST"))
        .and(wiremock::matchers::path("/chat.postMessage"))
        .respond_with(posted_ok())
        .mount(&app.slack)
        .await;
    wiremock::Mock::given(wiremock::matchers::method("POST"))
        .and(wiremock::matchers::path("/click"))
        .respond_with(response_url_ok())
        .mount(&app.slack)
        .await;
    let schedule = testscope::quiz::schedule::Schedule::parse("09:00 UTC everyday").unwrap();
    let testscope::quiz::runner::PostOutcome::Posted {
        post_id,
        question_id,
        ..
    } = testscope::quiz::runner::post_today(
        app.state().quiz_ctx(),
        "C111",
        &schedule,
        app.now(),
        false,
        Default::default(),
    )
    .await
    else {
        panic!("the quiz was not posted");
    };
    let (before, _) = readyz(&app).await;
    let held = lock(&app).await;

    // Act
    let click = block_actions(
        "quiz_answer_0",
        &format!("quiz|C111|{post_id}|{question_id}|0"),
        &format!("{}/click", app.slack.uri()),
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    let (after, body) = loop {
        let started = Instant::now();
        let (status, body) = readyz(&app).await;
        assert!(
            started.elapsed() < Duration::from_millis(500),
            "/readyz took {:?}",
            started.elapsed()
        );
        if status != StatusCode::OK || Instant::now() > deadline {
            break (status, body);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    // The click comes once the lock has lasted (heartbeats kept failing
    // meanwhile); its answer must not queue behind them.
    assert_eq!(app.post_interaction(&click).await.status(), StatusCode::OK);
    let clicked = Instant::now();
    let replies = wait_for_requests(&app.slack, "/click", 1, Duration::from_secs(20)).await;
    let replied_after = clicked.elapsed();
    drop(held);
    app.shutdown().await.expect("clean shutdown");

    // Assert
    assert_eq!(before, StatusCode::OK);
    assert_eq!(
        after,
        StatusCode::SERVICE_UNAVAILABLE,
        "/readyz stayed green while no write went through: {body}"
    );
    assert!(
        body["checks"]["database"]
            .as_str()
            .is_some_and(|d| d.contains("cannot write")),
        "{body}"
    );
    let reply = json_body(&replies[0]);
    assert!(
        reply["text"]
            .as_str()
            .is_some_and(|t| t.contains("could not be saved") && t.contains("again")),
        "the person who clicked must learn the answer did not count: {reply}"
    );
    assert!(
        replied_after < Duration::from_secs(8),
        "the click waited {replied_after:?} for its answer"
    );
    assert!(
        app.state()
            .store
            .quiz_answers("C111")
            .await
            .unwrap()
            .is_empty(),
        "nothing was stored"
    );
}

#[tokio::test]
async fn sqlite_readiness_and_quiz_clicks_show_failed_writes() {
    writes_blocked(None, async |app: &TestApp| -> Box<dyn std::any::Any> {
        let conn = rusqlite::Connection::open(&app.db_path).unwrap();
        conn.execute_batch("BEGIN EXCLUSIVE").unwrap();
        Box::new(conn) as Box<dyn std::any::Any>
    })
    .await;
}

#[tokio::test]
async fn postgres_readiness_and_quiz_clicks_show_failed_writes() {
    let Some(schema) = PgSchema::create().await else {
        return;
    };
    let client = schema.client().await;
    writes_blocked(
        Some(schema.url()),
        async move |_: &TestApp| -> Box<dyn std::any::Any> {
            client
                .batch_execute("BEGIN; LOCK TABLE heartbeat, quiz_answers IN ACCESS EXCLUSIVE MODE")
                .await
                .unwrap();
            Box::new(client) as Box<dyn std::any::Any>
        },
    )
    .await;
}

#[tokio::test]
async fn retries_of_a_mention_are_answered_once_while_the_store_cannot_write() {
    // Arrange: a mention that describes its change, and the database locked
    // by another connection, so no event id can be recorded.
    let mut app = spawn_app().await;
    wiremock::Mock::given(wiremock::matchers::method("POST"))
        .and(wiremock::matchers::path("/chat.postMessage"))
        .respond_with(posted_ok())
        .mount(&app.slack)
        .await;
    let conn = rusqlite::Connection::open(&app.db_path).unwrap();
    conn.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let event = mention_event(
        "Ev0UNRECORDED",
        &format!("<@{BOT_USER}> we bumped max_depth from 6 to 8 on the churn model"),
        "1700000000.000100",
        None,
    );

    // Act: Slack's first delivery and two retries of it.
    for retry in ["0", "1", "2"] {
        let headers: &[(&str, &str)] = if retry == "0" {
            &[]
        } else {
            &[
                ("X-Slack-Retry-Num", retry),
                ("X-Slack-Retry-Reason", "http_timeout"),
            ]
        };
        let response = app.post_event_with_headers(&event, headers).await;
        assert_eq!(response.status(), StatusCode::OK);
    }
    let posts =
        wait_for_requests(&app.slack, "/chat.postMessage", 1, Duration::from_secs(20)).await;
    // Each delivery's claim waits out SQLite's 5 s busy timeout in turn:
    // keep the lock until all three have given up.
    tokio::time::sleep(Duration::from_secs(12)).await;
    let posts_later = app.slack_requests("/chat.postMessage").await;
    drop(conn);
    app.shutdown().await.expect("clean shutdown");

    // Assert
    assert_eq!(posts.len(), 1);
    assert_eq!(
        posts_later.len(),
        1,
        "three deliveries of one mention must give one answer, store or no store"
    );
}

// ---- readiness without Slack, and thread reads (item 9) ---------------------

#[tokio::test]
async fn readyz_answers_at_once_and_never_asks_slack_while_slack_hangs() {
    // Arrange: Slack takes 5 s over every auth.test.
    let mut app = spawn_app_with(TestOptions {
        auth_test: false,
        ..TestOptions::default()
    })
    .await;
    wiremock::Mock::given(wiremock::matchers::path("/auth.test"))
        .respond_with(
            wiremock::ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"ok": true, "user_id": BOT_USER}))
                .set_delay(Duration::from_secs(5)),
        )
        .mount(&app.slack)
        .await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    let checks_before = app.slack_requests("/auth.test").await.len();

    // Act
    let mut slowest = Duration::ZERO;
    let mut last = (StatusCode::OK, Value::Null);
    for _ in 0..10 {
        let started = Instant::now();
        last = readyz(&app).await;
        slowest = slowest.max(started.elapsed());
    }
    let checks_after = app.slack_requests("/auth.test").await.len();
    app.trigger_shutdown();

    // Assert
    assert!(
        slowest < Duration::from_millis(100),
        "/readyz took {slowest:?} with Slack hanging"
    );
    assert_eq!(
        checks_after, checks_before,
        "/readyz must not call Slack per request"
    );
    assert_eq!(
        last.0,
        StatusCode::OK,
        "a slow Slack must not take the replica out: {}",
        last.1
    );
    assert!(
        last.1["checks"]["slack"]
            .as_str()
            .is_some_and(|s| s.contains("not checked yet") || s.contains("unverified")),
        "{}",
        last.1
    );
}

#[tokio::test]
async fn the_token_check_runs_in_the_background_and_shows_in_readyz() {
    let app = spawn_app().await;
    let (status, body) = readyz(&app).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(
        body["checks"]["slack"]
            .as_str()
            .is_some_and(|s| s.contains(BOT_USER)),
        "{body}"
    );
    assert!(app.state().jobs.health().contains_key("slack token check"));
}

/// A fake `conversations.replies` over a thread of `n` messages one minute
/// apart, paged from the start like Slack does (`cursor` is the offset),
/// honouring `latest`/`inclusive`. Pages from `fail_from` on answer `fail`.
struct FakeThread {
    messages: Vec<Value>,
    /// Most messages per page whatever was asked (Slack gives apps outside
    /// its Marketplace 15).
    page_cap: usize,
    fail_from: Option<usize>,
    fail: wiremock::ResponseTemplate,
}

const ROOT: &str = "1700000000.000000";

fn ts_of(i: usize) -> String {
    format!("{}.000000", 1_700_000_000 + 60 * i)
}

impl FakeThread {
    /// The parent, `n - 2` lines of chatter with the change described in the
    /// last few messages before the mention, then the mention itself.
    fn new(n: usize, fail_from: Option<usize>, fail: wiremock::ResponseTemplate) -> FakeThread {
        let mut messages = Vec::new();
        for i in 0..n {
            let text = if i == 0 {
                "PR #7 thread".to_owned()
            } else if i == n - 1 {
                "<@UBOT> what do we need here?".to_owned()
            } else if i >= n - 4 {
                "we bumped the learning rate from 0.01 to 0.001".to_owned()
            } else {
                format!("lunch plans, take {i}")
            };
            messages.push(serde_json::json!({
                "type": "message", "user": format!("W{}", 100 + i % 7), "text": text,
                "ts": ts_of(i), "thread_ts": ROOT,
            }));
        }
        FakeThread {
            messages,
            page_cap: 200,
            fail_from,
            fail,
        }
    }

    fn mention_ts(&self) -> String {
        self.messages.last().unwrap()["ts"]
            .as_str()
            .unwrap()
            .to_owned()
    }
}

impl wiremock::Respond for FakeThread {
    fn respond(&self, req: &wiremock::Request) -> wiremock::ResponseTemplate {
        let form: std::collections::HashMap<String, String> =
            serde_urlencoded::from_bytes(&req.body).unwrap();
        let limit = form["limit"].parse::<usize>().unwrap().min(self.page_cap);
        let offset: usize = form.get("cursor").map_or(0, |c| c.parse().unwrap());
        if self.fail_from.is_some_and(|f| offset / limit + 1 >= f) {
            return self.fail.clone();
        }
        let bound = |name: &str| form.get(name).map(|t| t.parse::<f64>().unwrap());
        let (oldest, latest) = (bound("oldest"), bound("latest"));
        let visible: Vec<&Value> = self
            .messages
            .iter()
            .filter(|m| {
                let ts: f64 = m["ts"].as_str().unwrap().parse().unwrap();
                latest.is_none_or(|l| ts <= l) && oldest.is_none_or(|o| ts >= o)
            })
            .collect();
        let page: Vec<&Value> = visible.iter().skip(offset).take(limit).copied().collect();
        let next = if offset + limit < visible.len() {
            (offset + limit).to_string()
        } else {
            String::new()
        };
        wiremock::ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "ok": true, "has_more": !next.is_empty(), "messages": page,
            "response_metadata": {"next_cursor": next},
        }))
    }
}

/// Mentions the bot at the end of `thread` and returns the reply and the
/// `conversations.replies` calls.
async fn answer_in(thread: FakeThread, mention: &str) -> (Value, usize) {
    let mut app = spawn_app().await;
    let mention_ts = thread.mention_ts();
    wiremock::Mock::given(wiremock::matchers::path("/conversations.replies"))
        .respond_with(thread)
        .mount(&app.slack)
        .await;
    wiremock::Mock::given(wiremock::matchers::path("/chat.postMessage"))
        .respond_with(posted_ok())
        .mount(&app.slack)
        .await;
    let event = mention_event("EvTHREAD", mention, &mention_ts, Some(ROOT));
    assert_eq!(app.post_event(&event).await.status(), StatusCode::OK);
    let posts =
        wait_for_requests(&app.slack, "/chat.postMessage", 1, Duration::from_secs(10)).await;
    app.shutdown().await.expect("clean shutdown");
    let reads = app.slack_requests("/conversations.replies").await.len();
    (json_body(&posts[0]), reads)
}

#[tokio::test]
async fn a_long_thread_is_answered_from_the_messages_nearest_the_mention() {
    let (reply, reads) = answer_in(
        FakeThread::new(1000, None, response_url_ok()),
        "<@UBOT> what do we need here?",
    )
    .await;
    assert!(
        headline(&reply).starts_with("Integration tests"),
        "the change is described just above the mention, the bot answered: {}",
        headline(&reply)
    );
    assert_eq!(
        reads, 1,
        "the last hour before the mention describes the change: one read is enough"
    );
}

#[tokio::test]
async fn the_whole_thread_is_read_when_its_last_hour_says_nothing_and_the_parent_is_kept() {
    // The change is described in the parent, five hours before the mention.
    let mut thread = FakeThread::new(300, None, response_url_ok());
    thread.messages[0]["text"] = "PR #7: we bumped the learning rate from 0.01 to 0.001".into();
    for m in &mut thread.messages[296..299] {
        m["text"] = "any news?".into();
    }
    let (reply, reads) = answer_in(thread, "<@UBOT> what do we need here?").await;
    assert!(
        headline(&reply).starts_with("Integration tests"),
        "the parent describes the change, the bot answered: {}",
        headline(&reply)
    );
    assert_eq!(reads, 3, "the last hour, then the thread in two pages");
}

#[tokio::test]
async fn a_failing_later_page_keeps_what_was_read() {
    // Slack hands out 15 messages a page; the change is described on page
    // 1, and page 2 fails.
    let mut thread = FakeThread::new(40, Some(2), wiremock::ResponseTemplate::new(500));
    thread.page_cap = 15;
    thread.messages[5]["text"] = "we bumped the learning rate from 0.01 to 0.001".into();
    for m in &mut thread.messages[36..39] {
        m["text"] = "sounds good".into();
    }
    let (reply, _) = answer_in(thread, "<@UBOT> what do we need here?").await;
    assert!(
        headline(&reply).starts_with("Integration tests"),
        "what page 1 said was thrown away when page 2 failed: {}",
        headline(&reply)
    );
}

#[tokio::test]
async fn a_rate_limited_thread_read_is_not_waited_out() {
    let thread = FakeThread::new(
        20,
        Some(1),
        wiremock::ResponseTemplate::new(429).insert_header("retry-after", "60"),
    );
    let started = Instant::now();
    let (reply, reads) = answer_in(thread, "<@UBOT> what do we need here?").await;
    assert_eq!(reads, 1, "a 429 on a thread read must not be retried");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the answer waited {:?}",
        started.elapsed()
    );
    assert!(
        message_text(&reply).contains("Mention me with a description of the change"),
        "answered from the mention alone: {reply}"
    );
}

#[tokio::test]
async fn a_mention_that_describes_the_change_needs_no_thread_read() {
    let (reply, reads) = answer_in(
        FakeThread::new(50, None, response_url_ok()),
        "<@UBOT> we bumped the learning rate from 0.01 to 0.001",
    )
    .await;
    assert_eq!(
        reads, 0,
        "the thread was read although the mention said it all"
    );
    assert!(headline(&reply).starts_with("Integration tests"));
}

// ---- Slack refuses for good (item 8) ----------------------------------------

/// 2026-03-02 09:05 UTC, a Monday: five minutes after a 09:00 UTC post is due.
const DUE: i64 = 1_772_442_300;

async fn subscribe_in_store(app: &TestApp, channel: &str, team: &str, by: Option<&str>) {
    app.state()
        .store
        .upsert_subscription(&testscope::store::Subscription {
            channel_id: channel.to_owned(),
            team_id: team.to_owned(),
            schedule: "09:00 UTC everyday".to_owned(),
            source: if by.is_some() { "slack" } else { "config" }.to_owned(),
            created_by: by.map(str::to_owned),
            created_at: DUE - 86_400,
        })
        .await
        .unwrap();
}

async fn tick(app: &TestApp, at: i64) {
    testscope::quiz::runner::tick(app.state().quiz_ctx(), at, Default::default()).await;
}

fn posts_to(reqs: &[wiremock::Request], channel: &str) -> Vec<Value> {
    reqs.iter()
        .map(json_body)
        .filter(|b| b["channel"] == channel)
        .collect()
}

#[tokio::test]
async fn a_quiz_post_slack_refuses_for_good_pauses_the_channel_and_tells_the_subscriber_once() {
    // Arrange: the bot was removed from C111; DMs to the subscriber work.
    let mut app = spawn_app().await;
    wiremock::Mock::given(wiremock::matchers::path("/chat.postMessage"))
        .and(wiremock::matchers::body_partial_json(
            serde_json::json!({"channel": "C111"}),
        ))
        .respond_with(slack_error("not_in_channel"))
        .mount(&app.slack)
        .await;
    wiremock::Mock::given(wiremock::matchers::path("/chat.postMessage"))
        .respond_with(posted_ok())
        .mount(&app.slack)
        .await;
    subscribe_in_store(&app, "C111", "T111", Some("W111")).await;

    // Act: the scheduler's ticks for the rest of the morning.
    for minute in 0..5 {
        tick(&app, DUE + 60 * minute).await;
    }
    let paused = app.state().store.paused_subscriptions().await.unwrap();
    let status: Value = app
        .post_command(&command_body("/testscope", "quiz status"))
        .await
        .json()
        .await
        .unwrap();
    // Inviting the bot and subscribing again resumes the quiz.
    wiremock::Mock::given(wiremock::matchers::path("/conversations.info"))
        .respond_with(
            wiremock::ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "ok": true, "channel": {"id": "C111", "is_member": true, "is_archived": false}
            })),
        )
        .mount(&app.slack)
        .await;
    let resumed = app
        .post_command(&command_body("/testscope", "quiz daily 09:00 UTC everyday"))
        .await;
    assert_eq!(resumed.status(), StatusCode::OK);
    let paused_after = app.state().store.paused_subscriptions().await.unwrap();
    app.shutdown().await.expect("clean shutdown");

    // Assert
    let reqs = app.slack_requests("/chat.postMessage").await;
    // Subscribing again is announced in the channel; that is not a retry.
    let quiz_posts: Vec<Value> = posts_to(&reqs, "C111")
        .into_iter()
        .filter(|p| {
            !p["text"]
                .as_str()
                .is_some_and(|t| t.contains("scheduled this channel's quiz"))
        })
        .collect();
    assert_eq!(
        quiz_posts.len(),
        1,
        "not_in_channel must not be retried every minute"
    );
    let notices = posts_to(&reqs, "W111");
    assert_eq!(notices.len(), 1, "the subscriber is told once: {notices:?}");
    let text = notices[0]["text"].as_str().unwrap_or_default();
    assert!(
        text.contains("/invite @testscope") && text.contains("paused"),
        "the notice must say what happened and how to fix it: {text}"
    );
    assert_eq!(paused, [("C111".to_owned(), "not_in_channel".to_owned())]);
    assert!(
        status["text"]
            .as_str()
            .is_some_and(|t| t.contains("Paused") && t.contains("/invite @testscope")),
        "`/testscope quiz status` should say the quiz is paused and why: {status}"
    );
    assert!(
        paused_after.is_empty(),
        "subscribing again resumes: {paused_after:?}"
    );
}

#[tokio::test]
async fn an_archived_channel_or_a_revoked_token_stops_retries_too() {
    for code in [
        "is_archived",
        "channel_not_found",
        "token_revoked",
        "invalid_auth",
        "account_inactive",
    ] {
        let mut app = spawn_app().await;
        wiremock::Mock::given(wiremock::matchers::path("/chat.postMessage"))
            .respond_with(slack_error(code))
            .mount(&app.slack)
            .await;
        subscribe_in_store(&app, "C222", "T111", Some("W111")).await;
        for minute in 0..3 {
            tick(&app, DUE + 60 * minute).await;
        }
        let paused = app.state().store.paused_subscriptions().await.unwrap();
        app.shutdown().await.expect("clean shutdown");
        let reqs = app.slack_requests("/chat.postMessage").await;
        assert_eq!(posts_to(&reqs, "C222").len(), 1, "{code} was retried");
        assert_eq!(paused, [("C222".to_owned(), code.to_owned())], "{code}");
    }
}

#[tokio::test]
async fn app_uninstalled_stops_all_posting_for_the_workspace() {
    // Arrange: one channel subscribed in Slack, one by the operator.
    let mut app = spawn_app().await;
    wiremock::Mock::given(wiremock::matchers::path("/chat.postMessage"))
        .respond_with(posted_ok())
        .mount(&app.slack)
        .await;
    subscribe_in_store(&app, "C111", "T111", Some("W111")).await;
    subscribe_in_store(&app, "C333", "", None).await;

    // Act
    let event = serde_json::json!({
        "token": "x", "team_id": "T111", "api_app_id": "A111", "type": "event_callback",
        "event_id": "EvGONE", "event_time": 1_700_000_000,
        "event": {"type": "app_uninstalled"}
    });
    assert_eq!(app.post_event(&event).await.status(), StatusCode::OK);
    tick(&app, DUE).await;
    let (status, body) = readyz(&app).await;
    app.shutdown().await.expect("clean shutdown");

    // Assert
    assert!(
        app.slack_requests("/chat.postMessage").await.is_empty(),
        "nothing may be posted after the app was uninstalled"
    );
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(
        body["checks"]["slack"]
            .as_str()
            .is_some_and(|s| s.contains("app_uninstalled")),
        "{body}"
    );
}

#[tokio::test]
async fn tokens_revoked_for_users_only_leaves_the_quiz_alone() {
    let mut app = spawn_app().await;
    subscribe_in_store(&app, "C111", "T111", Some("W111")).await;
    let event = |tokens: Value| {
        serde_json::json!({
            "token": "x", "team_id": "T111", "api_app_id": "A111", "type": "event_callback",
            "event_id": format!("EvREV{}", tokens.to_string().len()), "event_time": 1_700_000_000,
            "event": {"type": "tokens_revoked", "tokens": tokens}
        })
    };
    app.post_event(&event(serde_json::json!({"oauth": ["W111"]})))
        .await;
    let after_users = app.state().store.paused_subscriptions().await.unwrap();
    app.post_event(&event(serde_json::json!({"bot": ["UBOT"]})))
        .await;
    let after_bot = app.state().store.paused_subscriptions().await.unwrap();
    app.shutdown().await.expect("clean shutdown");
    assert!(after_users.is_empty(), "{after_users:?}");
    assert_eq!(
        after_bot,
        [("C111".to_owned(), "tokens_revoked".to_owned())]
    );
}

#[tokio::test]
async fn subscribing_where_the_bot_cannot_post_says_so_and_subscribes_nothing() {
    let mut app = spawn_app().await;
    wiremock::Mock::given(wiremock::matchers::path("/conversations.info"))
        .and(wiremock::matchers::body_string_contains("channel=C111"))
        .respond_with(
            wiremock::ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "ok": true, "channel": {"id": "C111", "is_member": false, "is_archived": false}
            })),
        )
        .mount(&app.slack)
        .await;
    wiremock::Mock::given(wiremock::matchers::path("/conversations.info"))
        .and(wiremock::matchers::body_string_contains("channel=D0DM"))
        .respond_with(slack_error("channel_not_found"))
        .mount(&app.slack)
        .await;

    let not_member: Value = app
        .post_command(&command_body("/testscope", "quiz daily"))
        .await
        .json()
        .await
        .unwrap();
    let dm_body =
        command_body("/testscope", "quiz daily").replace("channel_id=C111", "channel_id=D0DM");
    let in_dm: Value = app.post_command(&dm_body).await.json().await.unwrap();
    let subs = app.state().store.subscriptions().await.unwrap();
    app.shutdown().await.expect("clean shutdown");

    assert!(
        not_member["text"]
            .as_str()
            .is_some_and(|t| t.contains("/invite @testscope")),
        "{not_member}"
    );
    assert!(
        in_dm["text"]
            .as_str()
            .is_some_and(|t| t.contains("cannot see this conversation")),
        "{in_dm}"
    );
    assert!(subs.is_empty(), "nothing may be subscribed: {subs:?}");
}

#[tokio::test]
async fn subscribing_without_a_bot_token_says_so() {
    let mut app = spawn_app_with(TestOptions::default().without_bot_token()).await;
    let reply: Value = app
        .post_command(&command_body("/testscope", "quiz daily"))
        .await
        .json()
        .await
        .unwrap();
    let subs = app.state().store.subscriptions().await.unwrap();
    app.shutdown().await.expect("clean shutdown");
    assert!(
        reply["text"]
            .as_str()
            .is_some_and(|t| t.contains("SLACK_BOT_TOKEN")),
        "{reply}"
    );
    assert!(subs.is_empty());
}

// ---- bounded under load (item 7) --------------------------------------------

const CHANGE: &str = "<@UBOT> we bumped the learning rate from 0.01 to 0.001";

#[tokio::test]
async fn background_work_beyond_its_limit_is_acknowledged_and_counted() {
    // Arrange: room for one reply at a time; Slack takes a second per post.
    let mut app = spawn_app_with(TestOptions {
        max_background: 1,
        ..TestOptions::default()
    })
    .await;
    wiremock::Mock::given(wiremock::matchers::path("/chat.postMessage"))
        .respond_with(posted_ok().set_delay(Duration::from_millis(800)))
        .mount(&app.slack)
        .await;

    // Act: three mentions at once.
    let mut statuses = Vec::new();
    for i in 0..3 {
        let ts = format!("1595926230.00960{i}");
        let event = mention_event(&format!("EvLOAD{i}"), CHANGE, &ts, None);
        statuses.push(app.post_event(&event).await.status());
    }
    let metrics = app.get("/metrics").await.text().await.unwrap();
    app.shutdown().await.expect("clean shutdown");

    // Assert
    assert!(
        statuses.iter().all(|s| *s == StatusCode::OK),
        "{statuses:?}"
    );
    assert_eq!(
        app.slack_requests("/chat.postMessage").await.len(),
        1,
        "only one reply fits"
    );
    assert!(
        metrics.contains("testscope_background_overflow_total{task=\"answer mention\"}"),
        "{metrics}"
    );
    assert!(
        metrics.contains("testscope_events_total{outcome=\"overflow\"}"),
        "{metrics}"
    );
}

#[tokio::test]
async fn connections_beyond_the_cap_wait_until_one_closes() {
    let mut app = spawn_app_with(TestOptions {
        max_connections: 2,
        ..TestOptions::default()
    })
    .await;
    let addr = format!("127.0.0.1:{}", app.port);
    let idle_a = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let _idle_b = tokio::net::TcpStream::connect(&addr).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let fresh = || {
        reqwest::Client::builder()
            .timeout(Duration::from_millis(400))
            .build()
            .unwrap()
    };
    let url = format!("{}/healthz", app.address);

    let while_full = fresh().get(&url).send().await;
    drop(idle_a);
    let after = fresh().get(&url).send().await;
    app.trigger_shutdown();

    assert!(
        while_full.is_err(),
        "a third connection must wait while two are open: {while_full:?}"
    );
    assert_eq!(
        after.expect("served once a place is free").status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_slack_call_that_times_out_is_not_repeated() {
    // Arrange: Slack answers after a second; the client gives up after 300 ms.
    let mut app = spawn_app_with(TestOptions {
        retry: testscope::slack::api::RetryPolicy {
            request_timeout: Duration::from_millis(300),
            ..fast_retry()
        },
        ..TestOptions::default()
    })
    .await;
    wiremock::Mock::given(wiremock::matchers::path("/chat.postMessage"))
        .respond_with(posted_ok().set_delay(Duration::from_secs(1)))
        .mount(&app.slack)
        .await;

    // Act
    let event = mention_event("EvSLOW", CHANGE, "1595926230.009600", None);
    assert_eq!(app.post_event(&event).await.status(), StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    app.shutdown().await.expect("clean shutdown");

    // Assert: Slack may have posted it; a second try could post it twice.
    assert_eq!(app.slack_requests("/chat.postMessage").await.len(), 1);
}

#[cfg(target_os = "linux")]
#[tokio::test]
async fn serve_raises_the_soft_open_file_limit_to_the_hard_one() {
    // Arrange: the usual low soft limit.
    let dir = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -Sn 256 && exec {} serve",
            env!("CARGO_BIN_EXE_testscope")
        ))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("SLACK_SIGNING_SECRET", SECRET)
        .env("TESTSCOPE_ADDR", "127.0.0.1:0")
        .current_dir(dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("run testscope serve");
    let limits = format!("/proc/{}/limits", child.id());
    let max_open = || {
        let text = std::fs::read_to_string(&limits).unwrap_or_default();
        text.lines()
            .find(|l| l.starts_with("Max open files"))
            .map(|l| {
                let f: Vec<&str> = l.split_whitespace().collect();
                (f[3].to_owned(), f[4].to_owned())
            })
    };

    // Act: wait until the server has started.
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut seen = None;
    while Instant::now() < deadline {
        seen = max_open();
        if seen.as_ref().is_some_and(|(soft, hard)| soft == hard) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let _ = child.kill();
    let _ = child.wait();

    // Assert
    let (soft, hard) = seen.expect("read the process's limits");
    assert_eq!(soft, hard, "the soft limit stayed at {soft}");
}
