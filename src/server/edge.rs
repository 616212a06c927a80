//! What every request gets on its way in and out, whatever the route: a
//! request id (kept from the caller or made here) on the response and in the
//! log span, a metric by route and status with its latency, a warning for
//! server errors, a 500 instead of a dropped connection if a handler panics,
//! and the start and end of the request noted for its connection's
//! [`Deadlines`].
//!
//! This is one layer rather than tower-http's request-id, trace and
//! catch-panic layers plus a `from_fn` metric: each of those boxed or
//! allocated per request, and on the webhook path that added up to a
//! measurable share of the load benchmark (see README, Benchmarks).

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use std::time::Instant;

use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, Request, Response, StatusCode};
use pin_project_lite::pin_project;
use tower::{Layer, Service};

use super::deadline::Deadlines;

const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Longest caller-supplied request id we keep; anything else gets our own.
const MAX_CALLER_ID: usize = 128;

#[derive(Clone, Copy, Default)]
pub(crate) struct EdgeLayer;

impl<S> Layer<S> for EdgeLayer {
    type Service = Edge<S>;
    fn layer(&self, inner: S) -> Edge<S> {
        Edge {
            inner,
            deadlines: None,
        }
    }
}

#[derive(Clone)]
pub(crate) struct Edge<S> {
    inner: S,
    deadlines: Option<Arc<Deadlines>>,
}

impl<S: Clone> Edge<S> {
    /// A copy of the service for one connection, reporting to its deadlines.
    pub(crate) fn for_connection(&self, deadlines: Arc<Deadlines>) -> Edge<S> {
        Edge {
            inner: self.inner.clone(),
            deadlines: Some(deadlines),
        }
    }
}

impl<S, B> Service<Request<B>> for Edge<S>
where
    S: Service<Request<B>, Response = Response<Body>>,
{
    type Response = Response<Body>;
    type Error = S::Error;
    type Future = EdgeFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request<B>) -> Self::Future {
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
        if let Some(deadlines) = &self.deadlines {
            deadlines.request_started(started);
        }
        let inner = {
            let _entered = span.enter();
            std::panic::catch_unwind(AssertUnwindSafe(|| self.inner.call(req)))
                .map_err(|panic| log_panic(panic.as_ref()))
        };
        EdgeFuture {
            inner: inner.ok(),
            span,
            route,
            id,
            started,
            deadlines: self.deadlines.clone(),
        }
    }
}

pin_project! {
    pub(crate) struct EdgeFuture<F> {
        // `None` when the handler panicked before returning a future.
        #[pin]
        inner: Option<F>,
        span: tracing::Span,
        route: &'static str,
        id: HeaderValue,
        started: Instant,
        deadlines: Option<Arc<Deadlines>>,
    }
}

impl<F, E> Future for EdgeFuture<F>
where
    F: Future<Output = Result<Response<Body>, E>>,
{
    type Output = Result<Response<Body>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let _entered = this.span.enter();
        let polled = match this.inner.as_pin_mut() {
            Some(inner) => std::panic::catch_unwind(AssertUnwindSafe(|| inner.poll(cx)))
                .unwrap_or_else(|panic| {
                    log_panic(panic.as_ref());
                    Poll::Ready(Ok(internal_error()))
                }),
            None => Poll::Ready(Ok(internal_error())),
        };
        let mut result = ready!(polled);
        let finished = Instant::now();
        if let Some(deadlines) = this.deadlines {
            deadlines.request_finished(finished);
        }
        if let Ok(response) = &mut result {
            let status = response.status();
            let took = finished - *this.started;
            crate::telemetry::http_request(this.route, status.as_u16(), took);
            response.headers_mut().insert(X_REQUEST_ID, this.id.clone());
            if status.is_server_error() {
                // Named here too: at the default level the request's span is
                // off, and this is the line an operator will search for.
                let request_id = this.id.to_str().unwrap_or("-");
                tracing::warn!(
                    status = status.as_u16(),
                    ?took,
                    request_id,
                    "request failed"
                );
            } else {
                tracing::debug!(status = status.as_u16(), ?took, "answered");
            }
        }
        Poll::Ready(result)
    }
}

fn internal_error() -> Response<Body> {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
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
    use std::io::Write as _;
    use std::sync::OnceLock;
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    static PREFIX: OnceLock<u32> = OnceLock::new();
    let prefix = *PREFIX.get_or_init(|| {
        use std::hash::{BuildHasher, RandomState};
        RandomState::new().hash_one(std::process::id()) as u32
    });
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    // Formatted on the stack: the header value is the only allocation.
    let mut buf = [0u8; 8 + 1 + 16];
    let mut out = std::io::Cursor::new(&mut buf[..]);
    let _ = write!(out, "{prefix:08x}-{n:x}");
    let len = usize::try_from(out.position()).unwrap_or(0);
    HeaderValue::from_bytes(&buf[..len]).unwrap_or(HeaderValue::from_static("-"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::convert::Infallible;
    use std::future::ready;
    use std::time::Duration;

    /// A handler that answers 200, or panics where told to.
    #[derive(Clone, Copy)]
    enum Handler {
        Answers,
        PanicsInCall,
        PanicsWhenPolled,
    }

    impl Service<Request<Body>> for Handler {
        type Response = Response<Body>;
        type Error = Infallible;
        type Future = Pin<Box<dyn Future<Output = Result<Response<Body>, Infallible>> + Send>>;

        fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
            Poll::Ready(Ok(()))
        }

        fn call(&mut self, _: Request<Body>) -> Self::Future {
            match self {
                Handler::Answers => Box::pin(ready(Ok(Response::new(Body::empty())))),
                Handler::PanicsInCall => panic!("boom in call"),
                Handler::PanicsWhenPolled => Box::pin(async { panic!("boom in poll") }),
            }
        }
    }

    async fn answer(handler: Handler, request_id: Option<&str>) -> Response<Body> {
        let mut req = Request::new(Body::empty());
        if let Some(id) = request_id {
            req.headers_mut()
                .insert(X_REQUEST_ID, HeaderValue::from_str(id).expect("ascii"));
        }
        let mut edge = EdgeLayer.layer(handler);
        let response: Result<_, Infallible> = edge.call(req).await;
        response.expect("infallible")
    }

    #[tokio::test]
    async fn a_panicking_handler_gets_a_500_not_a_dropped_connection() {
        for handler in [Handler::PanicsInCall, Handler::PanicsWhenPolled] {
            let response = answer(handler, None).await;
            assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
            assert!(response.headers().contains_key(X_REQUEST_ID));
        }
    }

    #[tokio::test]
    async fn a_callers_request_id_is_kept_unless_it_is_unusable() {
        let kept = answer(Handler::Answers, Some("trace-42")).await;
        assert_eq!(kept.headers()[X_REQUEST_ID], "trace-42");
        let long = "x".repeat(MAX_CALLER_ID + 1);
        let replaced = answer(Handler::Answers, Some(&long)).await;
        assert_ne!(replaced.headers()[X_REQUEST_ID], long.as_str());
    }

    #[tokio::test]
    async fn deadlines_see_the_request_start_and_finish() {
        let start = Instant::now();
        let deadlines = Arc::new(Deadlines::new(start));
        let limits = (Duration::from_secs(1), Duration::from_secs(100));
        let mut edge = EdgeLayer
            .layer(Handler::Answers)
            .for_connection(Arc::clone(&deadlines));
        let future = edge.call(Request::new(Body::empty()));
        // In flight: the request deadline applies.
        assert!(deadlines.due(limits.0, limits.1) >= start + limits.1);
        future.await.expect("infallible");
        // Answered: back to the idle deadline, counted from the answer.
        let due = deadlines.due(limits.0, limits.1);
        assert!(due < start + limits.1 && due >= start + limits.0);
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
