//! Every `/slack/*` request is verified on its raw bytes before anything
//! parses it; what fails never reaches a handler.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt, LengthLimitError, Limited};

use super::AppState;
use crate::slack::signature;

/// Slack never sends more than this; anything larger is refused unread.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Errors at the HTTP edge. Bodies stay minimal: the reason goes to the log,
/// not to whoever sent the request.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("request signature rejected: {0}")]
    Unauthorized(&'static str),
    #[error("request body over {MAX_BODY_BYTES} bytes")]
    TooLarge,
    #[error("malformed request: {0}")]
    BadRequest(String),
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match &self {
            AppError::Unauthorized(reason) => {
                tracing::warn!(reason, "rejected a request with a bad signature");
                StatusCode::UNAUTHORIZED.into_response()
            }
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE.into_response(),
            AppError::BadRequest(detail) => {
                tracing::warn!(%detail, "rejected a malformed request");
                (StatusCode::BAD_REQUEST, "malformed request").into_response()
            }
        }
    }
}

/// The raw body of a request whose Slack signature checked out.
#[derive(Debug)]
pub struct Verified {
    pub body: Bytes,
    /// `X-Slack-Retry-Num`, when Slack is redelivering an event.
    pub retry_num: Option<HeaderValue>,
}

impl FromRequest<AppState> for Verified {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        // Only three headers matter; taking them avoids copying the whole map.
        let (timestamp, sig, retry_num) = {
            let h = req.headers();
            (
                h.get("x-slack-request-timestamp").cloned(),
                h.get("x-slack-signature").cloned(),
                h.get("x-slack-retry-num").cloned(),
            )
        };
        let body = read_body(req).await?;
        signature::verify(
            &state.secrets,
            timestamp.as_ref().map(HeaderValue::as_bytes),
            sig.as_ref().map(HeaderValue::as_bytes),
            &body,
            state.clock.now(),
        )
        .map_err(|r| {
            crate::telemetry::signature_failure(r.as_str());
            AppError::Unauthorized(r.as_str())
        })?;
        Ok(Verified { body, retry_num })
    }
}

/// The whole body, refusing it as soon as it passes [`MAX_BODY_BYTES`]
/// rather than after buffering it.
async fn read_body(req: Request) -> Result<Bytes, AppError> {
    match Limited::new(req.into_body(), MAX_BODY_BYTES)
        .collect()
        .await
    {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.is::<LengthLimitError>() => Err(AppError::TooLarge),
        Err(e) => Err(AppError::BadRequest(format!("cannot read the body: {e}"))),
    }
}
