//! `/healthz` (the process is alive) and `/readyz` (configured, database
//! takes writes, Slack token accepted): the second says what is missing.

use std::sync::PoisonError;
use std::time::{Duration, Instant};

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::AppState;

pub(super) async fn healthz() -> &'static str {
    "ok"
}

/// Prometheus text format.
pub(super) async fn metrics() -> Response {
    match crate::telemetry::prometheus() {
        Some(handle) => (
            [("content-type", "text/plain; version=0.0.4; charset=utf-8")],
            handle.render(),
        )
            .into_response(),
        None => (
            StatusCode::SERVICE_UNAVAILABLE,
            "metrics recorder unavailable",
        )
            .into_response(),
    }
}

pub(super) async fn readyz(State(state): State<AppState>) -> Response {
    let database = check_store(&state).await;
    let slack = if !state.slack.has_token() {
        Err("missing: set SLACK_BOT_TOKEN (xoxb-...) so testscope can reply in threads".to_owned())
    } else if let Some(me) = state.identity.get() {
        Ok(format!("ok (bot user {})", me.user_id))
    } else {
        // A start-up auth.test may have failed transiently; try again now.
        learn_identity(&state).await;
        match state.identity.get() {
            Some(me) => Ok(format!("ok (bot user {})", me.user_id)),
            None => Err(
                "auth.test has not succeeded: check SLACK_BOT_TOKEN and SLACK_API_URL".to_owned(),
            ),
        }
    };
    // A failing job is shown, not made a reason to take the replica out of
    // rotation: requests are answered without it, and with several replicas
    // a bug that kills a job kills it everywhere, so readiness would take the
    // whole service down. Alert on `testscope_job_failing` instead.
    let failing: Vec<String> = state
        .jobs
        .health()
        .into_iter()
        .filter(|(_, h)| h.is_failing())
        .map(|(name, h)| {
            format!(
                "{name}: panicked {} times in a row (last: {})",
                h.failures_in_a_row,
                h.last_error.as_deref().unwrap_or("?")
            )
        })
        .collect();
    let jobs = if failing.is_empty() {
        "ok".to_owned()
    } else {
        format!("failing: {}", failing.join("; "))
    };
    let ready = database.is_ok() && slack.is_ok();
    let show = |r: &Result<String, String>| match r {
        Ok(s) | Err(s) => s.clone(),
    };
    let body = json!({
        "ready": ready,
        "checks": {
            "database": show(&database),
            "slack": show(&slack),
            "knowledge_base": format!("ok ({} rules)", state.kb.rules().len()),
            "jobs": jobs,
        }
    });
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(body)).into_response()
}

/// How long `/readyz` waits for its own heartbeat write before it goes by
/// the latest one, so the probe answers within 100 ms.
const STORE_BUDGET: Duration = Duration::from_millis(80);
/// How old the latest good heartbeat may be to stand in for a slow one: a
/// little over two rounds of the heartbeat job.
const STORE_FRESH: Duration = Duration::from_secs(5);
/// How often the heartbeat job writes.
pub(super) const HEARTBEAT_EVERY: Duration = Duration::from_secs(2);

/// The outcome of the latest completed heartbeat write.
#[derive(Default)]
pub struct StoreProbe(std::sync::Mutex<Option<(Instant, Result<(), String>)>>);

impl StoreProbe {
    fn record(&self, outcome: Result<(), String>) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some((Instant::now(), outcome));
    }

    fn latest(&self) -> Option<(Instant, Result<(), String>)> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }
}

/// Writes the heartbeat row and records how it went.
pub(super) async fn store_heartbeat(state: &AppState) -> Result<(), String> {
    let outcome = state.store.ping().await.map_err(|e| e.to_string());
    // One line per change, not one per heartbeat.
    let was_ok = state.store_probe.latest().is_none_or(|(_, r)| r.is_ok());
    match &outcome {
        Err(e) if was_ok => tracing::warn!(error = %e, "the database does not take writes"),
        Ok(()) if !was_ok => tracing::info!("the database takes writes again"),
        _ => {}
    }
    state.store_probe.record(outcome.clone());
    outcome
}

/// Whether the store takes writes: this request's own heartbeat if it
/// completes within [`STORE_BUDGET`], else the latest one if it is fresh.
async fn check_store(state: &AppState) -> Result<String, String> {
    let s = state.clone();
    let write = tokio::spawn(async move { store_heartbeat(&s).await });
    match tokio::time::timeout(STORE_BUDGET, write).await {
        Ok(Ok(Ok(()))) => return Ok("ok".to_owned()),
        Ok(Ok(Err(e))) => return Err(format!("cannot write: {e}")),
        Ok(Err(e)) => return Err(format!("cannot write: {e}")),
        Err(_) => {}
    }
    match state.store_probe.latest() {
        Some((at, Ok(()))) if at.elapsed() < STORE_FRESH => Ok(format!(
            "ok (slow: the last write that completed was {} ms ago)",
            at.elapsed().as_millis()
        )),
        Some((_, Err(e))) => Err(format!("cannot write: {e}")),
        _ => Err(format!(
            "cannot write: no write completed within {} ms",
            STORE_BUDGET.as_millis()
        )),
    }
}

/// Calls `auth.test` once and caches who we are.
pub(super) async fn learn_identity(state: &AppState) {
    if state.identity.get().is_some() {
        return;
    }
    match state.slack.auth_test().await {
        Ok(me) => {
            tracing::info!(user = %me.user_id, "learned the bot's identity");
            let _ = state.identity.set(me);
        }
        Err(e) => {
            tracing::warn!(error = %e, "auth.test failed; own messages are recognised by bot id only")
        }
    }
}
