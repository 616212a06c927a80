//! Every `/slack/*` request is verified on its raw bytes before anything
//! parses it; what fails never reaches a handler.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use hyper::body::Body as _;

use super::AppState;
use crate::slack::signature;

const TIMESTAMP: HeaderName = HeaderName::from_static("x-slack-request-timestamp");
const SIGNATURE: HeaderName = HeaderName::from_static("x-slack-signature");
const RETRY_NUM: HeaderName = HeaderName::from_static("x-slack-retry-num");

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
            // Counted and logged (throttled) where it was rejected.
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED.into_response(),
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
                h.get(&TIMESTAMP).cloned(),
                h.get(&SIGNATURE).cloned(),
                h.get(&RETRY_NUM).cloned(),
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
            let reason = r.as_str();
            crate::telemetry::signature_failure(reason);
            if let Some(count) = state.rejections.admit(reason) {
                tracing::warn!(
                    reason,
                    count,
                    "rejected requests with a bad signature \
                     (count: rejections for this reason since the last such line)"
                );
            }
            AppError::Unauthorized(reason)
        })?;
        Ok(Verified { body, retry_num })
    }
}

/// The whole body, refusing it as soon as it passes [`MAX_BODY_BYTES`]
/// rather than after buffering it.
async fn read_body(req: Request) -> Result<Bytes, AppError> {
    // A declared length over the limit is refused before the body is first
    // polled: that poll is what makes hyper send `100 Continue` and start
    // reading what would only be thrown away.
    if req.body().size_hint().lower() > MAX_BODY_BYTES as u64 {
        return Err(AppError::TooLarge);
    }
    axum::body::to_bytes(req.into_body(), MAX_BODY_BYTES)
        .await
        .map_err(|e| {
            let too_large = std::error::Error::source(&e)
                .is_some_and(|cause| cause.is::<http_body_util::LengthLimitError>());
            if too_large {
                AppError::TooLarge
            } else {
                AppError::BadRequest(format!("cannot read the body: {e}"))
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use http_body_util::StreamBody;

    fn request_with_frames(frames: Vec<&'static [u8]>) -> Request {
        let frames = frames.into_iter().map(|f| {
            Ok::<_, std::convert::Infallible>(hyper::body::Frame::data(Bytes::from_static(f)))
        });
        Request::new(Body::new(StreamBody::new(futures_util::stream::iter(
            frames,
        ))))
    }

    #[tokio::test]
    async fn a_body_in_several_frames_is_joined_in_order() {
        let req = request_with_frames(vec![b"team_id=T1", b"&text=", b"hello"]);
        let body = read_body(req).await.expect("read");
        assert_eq!(&body[..], b"team_id=T1&text=hello");
    }

    #[tokio::test]
    async fn a_body_over_the_limit_is_refused_even_when_chunked() {
        static CHUNK: [u8; 64 * 1024] = [b'a'; 64 * 1024];
        let req = request_with_frames(vec![&CHUNK; MAX_BODY_BYTES / CHUNK.len() + 1]);
        assert!(matches!(read_body(req).await, Err(AppError::TooLarge)));
    }

    #[tokio::test]
    async fn an_empty_body_reads_as_empty() {
        let req = request_with_frames(vec![]);
        assert!(read_body(req).await.expect("read").is_empty());
    }
}
