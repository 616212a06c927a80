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
            rt.block_on(pg_execute(&base, &format!("DROP SCHEMA IF EXISTS {name} CASCADE")));
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
    drop(build(&schema.url()).await.expect("a writable database starts"));

    let started = build(&schema.url_with("%20-cdefault_transaction_read_only%3Don")).await;

    let err = started
        .err()
        .expect("a read-only database must stop start-up");
    assert!(format!("{err:#}").contains("read-only"), "{err:#}");
}

/// The scenario behind item 3 on any backend: while another connection
/// keeps the tables locked, every write of ours fails but reads still work.
/// `/readyz` must turn red, and a quiz click must be told it did not count.
async fn writes_blocked(database_url: Option<String>, lock: impl AsyncFnOnce(&TestApp) -> Box<dyn std::any::Any>) {
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
    assert_eq!(app.post_interaction(&click).await.status(), StatusCode::OK);
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
    let replies = wait_for_requests(&app.slack, "/click", 1, Duration::from_secs(10)).await;
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
        app.state().store.quiz_answers("C111").await.unwrap().is_empty(),
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
    writes_blocked(Some(schema.url()), async move |_: &TestApp| -> Box<dyn std::any::Any> {
        client
            .batch_execute(
                "BEGIN; LOCK TABLE heartbeat, quiz_answers IN ACCESS EXCLUSIVE MODE",
            )
            .await
            .unwrap();
        Box::new(client) as Box<dyn std::any::Any>
    })
    .await;
}
