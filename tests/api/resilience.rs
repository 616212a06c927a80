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
