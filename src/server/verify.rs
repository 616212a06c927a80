//! Every `/slack/*` request is verified on its raw bytes before anything
//! parses it; what fails never reaches a handler.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

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
    pub headers: HeaderMap,
}

impl FromRequest<AppState> for Verified {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let headers = req.headers().clone();
        let body = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                AppError::TooLarge
            } else {
                AppError::BadRequest(rejection.body_text())
            }
        })?;
        let timestamp = headers
            .get("x-slack-request-timestamp")
            .map(|v| v.as_bytes());
        let sig = headers.get("x-slack-signature").map(|v| v.as_bytes());
        signature::verify(&state.secrets, timestamp, sig, &body, state.clock.now()).map_err(
            |r| {
                crate::telemetry::signature_failure(r.as_str());
                AppError::Unauthorized(r.as_str())
            },
        )?;
        Ok(Verified { body, headers })
    }
}
