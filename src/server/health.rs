//! `/healthz` (the process is alive) and `/readyz` (configured, database
//! reachable, Slack identity known): the second says what is missing.

use std::time::Duration;

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
    let database = match tokio::time::timeout(Duration::from_secs(2), state.store.ping()).await {
        Ok(Ok(())) => Ok("ok".to_owned()),
        Ok(Err(e)) => Err(format!("unreachable: {e}")),
        Err(_) => Err("unreachable: no answer within 2 s".to_owned()),
    };
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
