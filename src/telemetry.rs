//! Prometheus metrics. The `metrics` facade records from anywhere in the
//! crate; one process-wide recorder renders the text format at `/metrics`.

use std::sync::OnceLock;
use std::time::Duration;

use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// Latency buckets in seconds: webhook answers are sub-millisecond, Slack
/// calls take tens to hundreds of milliseconds.
const BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// Installs the recorder on first use and returns the handle that renders it.
/// Several servers in one process (tests) share it.
pub fn prometheus() -> Option<&'static PrometheusHandle> {
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets(BUCKETS)
                .ok()?
                .build_recorder();
            let handle = recorder.handle();
            metrics::set_global_recorder(recorder).ok()?;
            describe();
            Some(handle)
        })
        .as_ref()
}

fn describe() {
    use metrics::{describe_counter, describe_histogram};
    describe_counter!(
        "testscope_http_requests_total",
        "HTTP requests by route and status"
    );
    describe_histogram!(
        "testscope_http_request_duration_seconds",
        "Time to answer an HTTP request"
    );
    describe_counter!(
        "testscope_feedback_total",
        "Helpful / Not quite votes, by verdict and by each rule that produced the answer"
    );
    describe_counter!(
        "testscope_feedback_misses_total",
        "Not quite forms sent, by the scope the person expected"
    );
    describe_counter!(
        "testscope_signature_failures_total",
        "Requests rejected by the Slack signature check, by reason"
    );
    describe_counter!(
        "testscope_advice_total",
        "Advice given, by primary scope (none when nothing matched)"
    );
    describe_histogram!(
        "testscope_advise_duration_seconds",
        "Time the advisor took for one message"
    );
    describe_counter!(
        "testscope_slack_api_calls_total",
        "Slack Web API attempts by method and result"
    );
    describe_counter!(
        "testscope_slack_api_retries_total",
        "Slack Web API retries by method and reason"
    );
    describe_histogram!(
        "testscope_slack_api_duration_seconds",
        "Time of one Slack Web API attempt"
    );
    describe_counter!(
        "testscope_quiz_posts_total",
        "Quiz post attempts by outcome"
    );
    describe_counter!("testscope_quiz_answers_total", "Quiz answers by kind");
    describe_counter!("testscope_events_total", "Events API deliveries by outcome");
    metrics::describe_gauge!(
        "testscope_socket_connections",
        "Socket Mode connections open now"
    );
    describe_counter!(
        "testscope_socket_connects_total",
        "Socket Mode connections opened, by reason (start, refresh_requested, warning, closed, silent, error, ...)"
    );
    describe_counter!(
        "testscope_socket_open_failures_total",
        "Failed attempts to open a Socket Mode connection, by reason"
    );
    describe_counter!(
        "testscope_socket_envelopes_total",
        "Socket Mode frames received, by type (slash_commands, events_api, interactive, hello, disconnect, malformed, ...)"
    );
    describe_histogram!(
        "testscope_socket_ack_seconds",
        "Time from receiving a Socket Mode envelope to sending its acknowledgement, by type"
    );
    describe_counter!(
        "testscope_response_url_refused_total",
        "Replies not sent because the payload's response_url is not an allowed Slack origin, by reason"
    );
}

/// The metric label for a matched route; anything else is `other`, so a
/// scan of random paths cannot create unbounded label values.
pub fn route_label(route: &str) -> &'static str {
    match route {
        "/slack/commands" => "/slack/commands",
        "/slack/events" => "/slack/events",
        "/slack/interactions" => "/slack/interactions",
        "/healthz" => "/healthz",
        "/readyz" => "/readyz",
        "/metrics" => "/metrics",
        _ => "other",
    }
}

/// Records one HTTP request. Labels are static strings, and each thread
/// keeps the handles it has looked up, so the hot path neither allocates a
/// metric key nor searches the registry.
pub fn http_request(route: &'static str, status: u16, took: Duration) {
    let status = match status {
        200 => "200",
        400 => "400",
        401 => "401",
        404 => "404",
        405 => "405",
        413 => "413",
        500 => "500",
        503 => "503",
        _ => "other",
    };
    HTTP_HANDLES.with_borrow_mut(|handles| {
        let (requests, duration) = handles.entry((route, status)).or_insert_with(|| {
            (
                metrics::counter!("testscope_http_requests_total", "route" => route, "status" => status),
                metrics::histogram!("testscope_http_request_duration_seconds", "route" => route),
            )
        });
        requests.increment(1);
        duration.record(took.as_secs_f64());
    });
}

type HttpHandles =
    rustc_hash::FxHashMap<(&'static str, &'static str), (metrics::Counter, metrics::Histogram)>;

thread_local! {
    static HTTP_HANDLES: std::cell::RefCell<HttpHandles> = std::cell::RefCell::default();
    static ADVICE_HANDLES: std::cell::RefCell<AdviceHandles> = std::cell::RefCell::default();
}

pub fn signature_failure(reason: &'static str) {
    metrics::counter!("testscope_signature_failures_total", "reason" => reason).increment(1);
}

/// Records one answer. As for [`http_request`], each thread keeps the
/// handles it has looked up (one per primary scope, a handful).
pub fn advice(primary: Option<&str>, took: Duration) {
    let primary = primary.unwrap_or("none");
    ADVICE_HANDLES.with_borrow_mut(|(by_scope, duration)| {
        match by_scope.get(primary) {
            Some(count) => count.increment(1),
            None => {
                let count = metrics::counter!("testscope_advice_total", "primary_scope" => primary.to_owned());
                count.increment(1);
                by_scope.insert(primary.into(), count);
            }
        }
        duration
            .get_or_insert_with(|| metrics::histogram!("testscope_advise_duration_seconds"))
            .record(took.as_secs_f64());
    });
}

type AdviceHandles = (
    rustc_hash::FxHashMap<Box<str>, metrics::Counter>,
    Option<metrics::Histogram>,
);

/// A Helpful / Not quite vote, counted once per rule that produced the
/// answer (rule ids come from the knowledge base, so the label set is
/// bounded); `rule="none"` when no rule fired.
pub fn feedback(verdict: &'static str, rules: &[String]) {
    if rules.is_empty() {
        metrics::counter!("testscope_feedback_total", "verdict" => verdict, "rule" => "none")
            .increment(1);
    }
    for rule in rules {
        metrics::counter!("testscope_feedback_total", "verdict" => verdict, "rule" => rule.clone())
            .increment(1);
    }
}

/// A "Not quite" form sent, by the scope the person expected.
pub fn miss_reported(expected_scope: Option<&str>) {
    metrics::counter!("testscope_feedback_misses_total", "expected_scope" => expected_scope.unwrap_or("none").to_owned()).increment(1);
}

pub fn slack_call(method: &str, result: &str, took: Duration) {
    metrics::counter!("testscope_slack_api_calls_total", "method" => method.to_owned(), "result" => result.to_owned()).increment(1);
    metrics::histogram!("testscope_slack_api_duration_seconds", "method" => method.to_owned())
        .record(took.as_secs_f64());
}

pub fn slack_retry(method: &str, reason: &str) {
    metrics::counter!("testscope_slack_api_retries_total", "method" => method.to_owned(), "reason" => reason.to_owned()).increment(1);
}

pub fn quiz_post(outcome: &'static str) {
    metrics::counter!("testscope_quiz_posts_total", "outcome" => outcome).increment(1);
}

pub fn quiz_answer(kind: &'static str) {
    metrics::counter!("testscope_quiz_answers_total", "kind" => kind).increment(1);
}

pub fn event(outcome: &'static str) {
    metrics::counter!("testscope_events_total", "outcome" => outcome).increment(1);
}

/// A thread reply whose `chat.postMessage` got no answer: found in the
/// thread after all, posted again, lost, or unknown (the search failed).
pub fn reply_unanswered(outcome: &'static str) {
    metrics::counter!("testscope_reply_unanswered_total", "outcome" => outcome).increment(1);
}

pub fn response_url_refused(reason: &'static str) {
    metrics::counter!("testscope_response_url_refused_total", "reason" => reason).increment(1);
}

/// At most one log line per key and interval, for events an outsider can
/// trigger at will (forged signatures, refused callback URLs): every event
/// is still counted in the metrics, but the log cannot be flooded. The line
/// that is written carries how many events it stands for.
#[derive(Debug)]
pub struct LogThrottle {
    interval: Duration,
    /// Per key: when its last line was written, and the events since.
    keys: std::sync::Mutex<rustc_hash::FxHashMap<&'static str, (Option<std::time::Instant>, u64)>>,
}

impl LogThrottle {
    pub fn new(interval: Duration) -> LogThrottle {
        LogThrottle {
            interval,
            keys: std::sync::Mutex::default(),
        }
    }

    /// Counts one event under `key`. Returns `Some(n)` when a line should be
    /// written now, `n` being the events since the previous line, this one
    /// included; `None` while the key's interval has not passed.
    pub fn admit(&self, key: &'static str) -> Option<u64> {
        let now = std::time::Instant::now();
        let mut keys = self
            .keys
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let (last, pending) = keys.entry(key).or_insert((None, 0));
        *pending += 1;
        if last.is_some_and(|at| now.duration_since(at) < self.interval) {
            return None;
        }
        *last = Some(now);
        Some(std::mem::take(pending))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_throttle_writes_one_line_per_key_and_interval_with_the_count() {
        let throttle = LogThrottle::new(Duration::from_millis(50));
        assert_eq!(throttle.admit("a"), Some(1));
        assert_eq!(throttle.admit("a"), None);
        assert_eq!(throttle.admit("a"), None);
        assert_eq!(throttle.admit("b"), Some(1), "keys are independent");
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(
            throttle.admit("a"),
            Some(3),
            "the two held back, and this one"
        );
        assert_eq!(throttle.admit("a"), None);
    }
}
