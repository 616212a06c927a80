//! What every request gets on its way in and out, whatever the route: a
//! request id (kept from the caller or made here) on the response and in the
//! log span, a metric by route and status with its latency, a warning for
//! server errors, a 500 instead of a dropped connection if a handler panics,
//! and a 408 (closing the connection) for a request that takes longer than
//! its limit, such as a body trickling in.
//!
//! A plain `axum::middleware::from_fn` around the whole router. A
//! hand-written layer and per-connection deadline timers used to do this;
//! under callgrind they saved about 1% of the instructions per request on
//! new questions, which did not pay for code a newcomer must not break
//! (see README, Benchmarks).

use std::panic::AssertUnwindSafe;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::CONNECTION;
use axum::http::{HeaderName, HeaderValue, Response, StatusCode};
use axum::middleware::Next;
use futures_util::FutureExt as _;
use tracing::Instrument as _;

const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Longest caller-supplied request id we keep; anything else gets our own.
const MAX_CALLER_ID: usize = 128;

/// How long a request may take, from its headers to its answer.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RequestTimeout(pub(crate) Duration);

pub(crate) async fn edge(
    State(RequestTimeout(limit)): State<RequestTimeout>,
    req: Request,
    next: Next,
) -> Response<Body> {
    let route = crate::telemetry::route_label(req.uri().path());
    let id = req
        .headers()
        .get(&X_REQUEST_ID)
        .filter(|v| !v.is_empty() && v.len() <= MAX_CALLER_ID && v.to_str().is_ok())
        .cloned()
        .unwrap_or_else(next_request_id);
    let span = tracing::debug_span!(
        "request",
        method = %req.method(),
        path = %req.uri().path(),
        request_id = id.to_str().unwrap_or("-"),
    );
    let started = Instant::now();
    let answered = tokio::time::timeout(limit, AssertUnwindSafe(next.run(req)).catch_unwind())
        .instrument(span.clone())
        .await;
    let mut response = match answered {
        Ok(Ok(response)) => response,
        Ok(Err(panic)) => {
            log_panic(panic.as_ref());
            status(StatusCode::INTERNAL_SERVER_ERROR)
        }
        Err(_) => {
            tracing::debug!(parent: &span, "request took too long; closing the connection");
            let mut response = status(StatusCode::REQUEST_TIMEOUT);
            response
                .headers_mut()
                .insert(CONNECTION, HeaderValue::from_static("close"));
            response
        }
    };
    let status = response.status();
    let took = started.elapsed();
    crate::telemetry::http_request(route, status.as_u16(), took);
    if status.is_server_error() {
        // Named here too: at the default level the request's span is off,
        // and this is the line an operator will search for.
        let request_id = id.to_str().unwrap_or("-");
        tracing::warn!(
            status = status.as_u16(),
            ?took,
            request_id,
            "request failed"
        );
    } else {
        tracing::debug!(parent: &span, status = status.as_u16(), ?took, "answered");
    }
    response.headers_mut().insert(X_REQUEST_ID, id);
    response
}

fn status(code: StatusCode) -> Response<Body> {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = code;
    response
}

fn log_panic(panic: &(dyn std::any::Any + Send)) {
    let message = panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)");
    tracing::error!(panic = message, "a handler panicked; answered 500");
}

/// Request ids: a per-process prefix and a counter, so the log lines of one
/// request can be found together and ids from two replicas do not collide.
fn next_request_id() -> HeaderValue {
    use std::sync::OnceLock;
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    static PREFIX: OnceLock<u32> = OnceLock::new();
    let prefix = *PREFIX.get_or_init(|| {
        use std::hash::{BuildHasher, RandomState};
        RandomState::new().hash_one(std::process::id()) as u32
    });
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    HeaderValue::from_str(&format!("{prefix:08x}-{n:x}")).unwrap_or(HeaderValue::from_static("-"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;
    use axum::routing::get;
    use tower::ServiceExt as _;

    async fn panics() -> &'static str {
        panic!("boom")
    }

    fn app(limit: Duration) -> Router {
        Router::new()
            .route("/ok", get(|| async { "ok" }))
            .route("/panics", get(panics))
            .route(
                "/slow",
                get(|| async {
                    tokio::time::sleep(Duration::from_secs(60)).await;
                    "late"
                }),
            )
            .layer(axum::middleware::from_fn_with_state(
                RequestTimeout(limit),
                edge,
            ))
    }

    async fn answer(path: &str, request_id: Option<&str>) -> Response<Body> {
        let mut req = Request::builder().uri(path).body(Body::empty()).unwrap();
        if let Some(id) = request_id {
            req.headers_mut()
                .insert(X_REQUEST_ID, HeaderValue::from_str(id).expect("ascii"));
        }
        app(Duration::from_millis(200))
            .oneshot(req)
            .await
            .expect("infallible")
    }

    #[tokio::test]
    async fn a_panicking_handler_gets_a_500_not_a_dropped_connection() {
        let response = answer("/panics", None).await;
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(response.headers().contains_key(X_REQUEST_ID));
    }

    #[tokio::test]
    async fn a_request_past_its_limit_gets_a_408_and_the_connection_closes() {
        let response = answer("/slow", None).await;
        assert_eq!(response.status(), StatusCode::REQUEST_TIMEOUT);
        assert_eq!(response.headers()[CONNECTION], "close");
    }

    #[tokio::test]
    async fn a_callers_request_id_is_kept_unless_it_is_unusable() {
        let kept = answer("/ok", Some("trace-42")).await;
        assert_eq!(kept.headers()[X_REQUEST_ID], "trace-42");
        let long = "x".repeat(MAX_CALLER_ID + 1);
        let replaced = answer("/ok", Some(&long)).await;
        assert_ne!(replaced.headers()[X_REQUEST_ID], long.as_str());
    }

    #[test]
    fn request_ids_are_prefix_dash_counter_and_distinct() {
        let a = next_request_id();
        let b = next_request_id();
        assert_ne!(a, b);
        for id in [&a, &b] {
            let text = id.to_str().expect("ascii");
            let (prefix, counter) = text.split_once('-').expect("a dash");
            assert_eq!(prefix.len(), 8, "{text}");
            assert!(u32::from_str_radix(prefix, 16).is_ok(), "{text}");
            assert!(u64::from_str_radix(counter, 16).is_ok(), "{text}");
            assert!(!counter.starts_with('0') || counter == "0", "{text}");
        }
    }
}
