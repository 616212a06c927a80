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
    let slack = slack_check(&state);
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
    let socket = state.socket.as_ref().map(|s| s.readiness());
    let ready = database.is_ok() && slack.is_ok() && socket.as_ref().is_none_or(Result::is_ok);
    let show = |r: &Result<String, String>| match r {
        Ok(s) | Err(s) => s.clone(),
    };
    let mut body = json!({
        "ready": ready,
        "checks": {
            "database": show(&database),
            "slack": show(&slack),
            "knowledge_base": format!("ok ({} rules)", state.kb.rules().len()),
            "jobs": jobs,
        }
    });
    if let Some(socket) = &socket {
        body["checks"]["socket_mode"] = json!(show(socket));
        body["socket_connections"] = json!(state.socket.as_ref().map_or(0, |s| s.live()));
    }
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
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
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

/// What the latest `auth.test` said about the bot token.
#[derive(Debug, Clone, Default)]
pub enum TokenStatus {
    #[default]
    Unchecked,
    Accepted {
        user_id: String,
    },
    /// Slack refused the token (`invalid_auth`, `token_revoked`, ...).
    Rejected {
        code: String,
    },
    /// Slack could not be asked (down, unreachable, 5xx, rate limited, an
    /// answer we cannot read).
    Unverified {
        error: String,
    },
}

/// The token's status, kept by the background check so `/readyz` never
/// waits on Slack.
#[derive(Default)]
pub struct SlackProbe(std::sync::Mutex<TokenStatus>);

impl SlackProbe {
    pub fn get(&self) -> TokenStatus {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    pub(super) fn set(&self, status: TokenStatus) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = status;
    }
}

/// How often the token is checked again once Slack has answered, and while
/// it has not.
pub(super) const TOKEN_RECHECK: Duration = Duration::from_secs(300);
pub(super) const TOKEN_RETRY: Duration = Duration::from_secs(15);

/// `/readyz`'s view of Slack. A rejected or missing token is not ready;
/// Slack being unreachable is shown but does not fail readiness, since
/// slash commands are answered without any Web API call.
fn slack_check(state: &AppState) -> Result<String, String> {
    if !state.slack.has_token() {
        return Err(
            "missing: set SLACK_BOT_TOKEN (xoxb-...) so testscope can reply in threads".to_owned(),
        );
    }
    match state.slack_probe.get() {
        TokenStatus::Accepted { user_id } => Ok(format!("ok (bot user {user_id})")),
        TokenStatus::Rejected { code } => Err(format!(
            "auth.test rejected the token ({code}): check SLACK_BOT_TOKEN and SLACK_API_URL"
        )),
        TokenStatus::Unchecked => {
            Ok("token not checked yet (auth.test runs at start-up)".to_owned())
        }
        TokenStatus::Unverified { error } => Ok(format!(
            "token unverified: auth.test did not get through ({error}); slash commands still work, \
             replies in threads wait for Slack"
        )),
    }
}

/// Checks the token with `auth.test`, records the outcome for `/readyz`
/// and learns who the bot is, so it never answers itself. Returns when to
/// check again.
pub(super) async fn check_token(state: &AppState) -> Duration {
    let was = state.slack_probe.get();
    let (status, me) = match state.slack.auth_test().await {
        Ok(me) => {
            let user_id = me.user_id.clone();
            (TokenStatus::Accepted { user_id }, Some(me))
        }
        Err(e) if e.is_auth_error() => {
            let code = e.code().unwrap_or("rejected").to_owned();
            tracing::error!(%code, "Slack rejected the bot token");
            (TokenStatus::Rejected { code }, None)
        }
        Err(e) => {
            // One line when Slack goes away, not one per retry.
            if !matches!(was, TokenStatus::Unverified { .. }) {
                tracing::warn!(error = %e, "auth.test did not get through; the token stays unverified");
            }
            let error = e.to_string();
            (TokenStatus::Unverified { error }, None)
        }
    };
    let again = match status {
        TokenStatus::Accepted { .. } | TokenStatus::Rejected { .. } => TOKEN_RECHECK,
        TokenStatus::Unchecked | TokenStatus::Unverified { .. } => TOKEN_RETRY,
    };
    // The status first: whoever sees the identity also sees it in /readyz.
    state.slack_probe.set(status);
    if let Some(me) = me
        && state.identity.get().is_none()
    {
        tracing::info!(user = %me.user_id, "learned the bot's identity");
        let _ = state.identity.set(me);
    }
    again
}
