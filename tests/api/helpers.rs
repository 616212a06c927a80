//! Spawning the service and talking to it like Slack does.

use std::io;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::Response;
use serde_json::{Value, json};
use tempfile::TempDir;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use testscope::clock::{Clock, SystemClock};
use testscope::server::{AppState, Application, Settings};
use testscope::slack::api::{BotToken, RetryPolicy};
use testscope::slack::signature::{SigningSecrets, sign};

/// The signing secret every test app is configured with unless told otherwise.
pub(crate) const SECRET: &str = "test-secret";
pub(crate) const BOT_TOKEN: &str = "xoxb-test";
/// Who the fake Slack says the bot is (`auth.test`).
pub(crate) const BOT_USER: &str = "UBOT";
pub(crate) const BOT_ID: &str = "BBOT";

/// How the app under test is configured.
#[derive(Clone)]
pub(crate) struct TestOptions {
    /// Comma-separated, as in `SLACK_SIGNING_SECRET`.
    pub(crate) signing_secrets: String,
    pub(crate) bot_token: Option<String>,
    /// `None`: the real clock.
    pub(crate) clock: Option<Arc<dyn Clock>>,
    /// Mount the default `auth.test` mock (and wait until the app has
    /// learned its identity from it).
    pub(crate) auth_test: bool,
    pub(crate) retry: RetryPolicy,
    pub(crate) shutdown_grace: Duration,
    pub(crate) header_timeout: Duration,
    pub(crate) request_timeout: Duration,
    /// `None`: a fresh SQLite file of the test's own.
    pub(crate) database_url: Option<String>,
    /// With `auth_test`: the error code the fake Slack answers `auth.test`
    /// with instead of the bot's identity.
    pub(crate) auth_test_error: Option<&'static str>,
    pub(crate) max_background: usize,
    pub(crate) max_connections: usize,
    /// `TESTSCOPE_RESPONSE_URL_ORIGINS`.
    pub(crate) response_origins: Vec<String>,
    /// How often rejected requests may be logged, per reason.
    pub(crate) rejection_log_interval: Duration,
    /// Socket Mode, when set (see `socket.rs`).
    pub(crate) socket: Option<testscope::server::socket::SocketSettings>,
    /// With `socket`: serve `/slack/*` as well.
    pub(crate) socket_http_routes: bool,
    /// The URL the fake `apps.connections.open` hands out, mounted before
    /// the app starts.
    pub(crate) socket_url: Option<String>,
    /// Answer the first `apps.connections.open` with a 429 and this
    /// `Retry-After`.
    pub(crate) socket_retry_after: Option<&'static str>,
    /// `TESTSCOPE_QUIZ_ADMINS`, as an operator would write it.
    pub(crate) quiz_admins: &'static str,
    /// `TESTSCOPE_PLATFORM`, as an operator would write it; empty: unset.
    pub(crate) platform: &'static str,
}

impl Default for TestOptions {
    fn default() -> Self {
        Self {
            signing_secrets: SECRET.to_owned(),
            bot_token: Some(BOT_TOKEN.to_owned()),
            clock: None,
            auth_test: true,
            retry: fast_retry(),
            shutdown_grace: Duration::from_secs(5),
            header_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(10),
            database_url: None,
            auth_test_error: None,
            max_background: 256,
            max_connections: 512,
            response_origins: Vec::new(),
            rejection_log_interval: Duration::from_secs(60),
            socket: None,
            socket_http_routes: false,
            socket_url: None,
            socket_retry_after: None,
            quiz_admins: "",
            platform: "",
        }
    }
}

impl TestOptions {
    pub(crate) fn without_bot_token(mut self) -> Self {
        self.bot_token = None;
        self
    }

    pub(crate) fn with_secrets(mut self, secrets: &str) -> Self {
        self.signing_secrets = secrets.to_owned();
        self
    }

    pub(crate) fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = Some(clock);
        self
    }
}

/// The real retry logic with toy delays. `max_retry_after` is 2 s so the one
/// `Retry-After: 1` test really waits a second.
pub(crate) fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 4,
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(40),
        max_retry_after: Duration::from_secs(2),
        jitter: Duration::ZERO,
        request_timeout: Duration::from_secs(10),
    }
}

/// A running `testscope serve` plus its fake Slack.
pub(crate) struct TestApp {
    /// `http://127.0.0.1:<port>`
    pub(crate) address: String,
    pub(crate) port: u16,
    /// The fake Slack Web API; `response_url`s in tests point here too.
    pub(crate) slack: MockServer,
    pub(crate) db_path: PathBuf,
    _db_dir: TempDir,
    /// Set while the app is running (and kept after it stops, for the store).
    state: Option<AppState>,
    clock: Arc<dyn Clock>,
    pub(crate) options: TestOptions,
    shutdown: Option<oneshot::Sender<()>>,
    handle: Option<JoinHandle<io::Result<()>>>,
    client: reqwest::Client,
}

pub(crate) async fn spawn_app() -> TestApp {
    spawn_app_with(TestOptions::default()).await
}

pub(crate) async fn spawn_app_with(options: TestOptions) -> TestApp {
    let slack = MockServer::start().await;
    match (options.auth_test, options.auth_test_error) {
        (true, None) => mount_auth_test(&slack).await,
        (true, Some(code)) => {
            Mock::given(method("POST"))
                .and(path("/auth.test"))
                .respond_with(slack_error(code))
                .named("auth.test")
                .mount(&slack)
                .await;
        }
        (false, _) => {}
    }
    if let Some(after) = options.socket_retry_after {
        Mock::given(method("POST"))
            .and(path("/apps.connections.open"))
            .respond_with(ResponseTemplate::new(429).insert_header("retry-after", after))
            .up_to_n_times(1)
            .with_priority(1)
            .named("apps.connections.open, rate limited")
            .mount(&slack)
            .await;
    }
    if let Some(url) = &options.socket_url {
        Mock::given(method("POST"))
            .and(path("/apps.connections.open"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true, "url": url})))
            .named("apps.connections.open")
            .mount(&slack)
            .await;
    }
    let db_dir = tempfile::tempdir().expect("cannot create a temp dir for the database");
    let db_path = db_dir.path().join("t.db");
    let clock: Arc<dyn Clock> = options
        .clock
        .clone()
        .unwrap_or_else(|| Arc::new(SystemClock));
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("cannot build the test HTTP client");
    let mut app = TestApp {
        address: String::new(),
        port: 0,
        slack,
        db_path,
        _db_dir: db_dir,
        state: None,
        clock,
        options,
        shutdown: None,
        handle: None,
        client,
    };
    app.start().await;
    app
}

pub(crate) fn settings_for(
    database_url: &str,
    slack_api_url: &str,
    secrets: &str,
    bot_token: Option<&str>,
) -> Settings {
    // Start from the library's defaults so settings added later (the quiz,
    // ...) keep their intended test-friendly values.
    let mut settings = Settings::with_secrets(
        SigningSecrets::parse(secrets).expect("test signing secrets must parse"),
    );
    settings.addr = "127.0.0.1:0".parse().expect("a socket address");
    settings.bot_token = bot_token.map(BotToken::new);
    settings.slack_api_url = slack_api_url.to_owned();
    settings.database_url = database_url.to_owned();
    settings.responses = None;
    settings.shutdown_grace = Duration::from_secs(5);
    settings
}

impl TestApp {
    async fn start(&mut self) {
        let sqlite = format!("sqlite://{}", self.db_path.display());
        let mut settings = settings_for(
            self.options.database_url.as_deref().unwrap_or(&sqlite),
            &self.slack.uri(),
            &self.options.signing_secrets,
            self.options.bot_token.as_deref(),
        );
        settings.shutdown_grace = self.options.shutdown_grace;
        settings.header_timeout = self.options.header_timeout;
        settings.request_timeout = self.options.request_timeout;
        settings.max_background = self.options.max_background;
        settings.max_connections = self.options.max_connections;
        settings.response_origins = self.options.response_origins.clone();
        settings.rejection_log_interval = self.options.rejection_log_interval;
        settings.quiz_admins = testscope::quiz::admins::QuizAdmins::parse(self.options.quiz_admins)
            .expect("test quiz admins must parse");
        if !self.options.platform.is_empty() {
            settings.platform = Some(
                testscope::kb::Platform::from_setting(self.options.platform)
                    .expect("the test platform must parse"),
            );
        }
        if let Some(socket) = &self.options.socket {
            settings.socket = Some(socket.clone());
            settings.slack_routes = self.options.socket_http_routes;
        }
        let app = Application::build_with_retry(
            settings,
            Arc::clone(&self.clock),
            self.options.retry.clone(),
        )
        .await
        .expect("the app failed to build");
        self.port = app.port();
        self.address = format!("http://127.0.0.1:{}", self.port);
        let state = app.state().clone();
        let (tx, rx) = oneshot::channel::<()>();
        self.shutdown = Some(tx);
        self.handle = Some(tokio::spawn(app.run_until_stopped(async move {
            let _ = rx.await;
        })));
        if self.options.auth_test
            && self.options.auth_test_error.is_none()
            && self.options.bot_token.is_some()
        {
            // Tests about "never answer yourself" need the identity known.
            let deadline = Instant::now() + Duration::from_secs(5);
            while state.identity.get().is_none() {
                assert!(
                    Instant::now() < deadline,
                    "the app never learned its bot identity from auth.test"
                );
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        }
        self.state = Some(state);
    }

    /// The app's shared state (store, identity, ...).
    pub(crate) fn state(&self) -> &AppState {
        self.state.as_ref().expect("the app was started")
    }

    /// The app's idea of "now", which is what request timestamps are signed with.
    pub(crate) fn now(&self) -> i64 {
        self.clock.now()
    }

    /// Asks the server to stop; it finishes in-flight requests and waits for
    /// background replies (up to the grace period) before this returns.
    pub(crate) async fn shutdown(&mut self) -> io::Result<()> {
        self.trigger_shutdown();
        self.wait_stopped().await
    }

    /// Sends the shutdown signal without waiting.
    pub(crate) fn trigger_shutdown(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }

    /// Waits for `run_until_stopped` to return and hands back its result.
    pub(crate) async fn wait_stopped(&mut self) -> io::Result<()> {
        let handle = self.handle.take().expect("the app is not running");
        tokio::time::timeout(Duration::from_secs(15), handle)
            .await
            .expect("the server did not stop within 15 s of the shutdown signal")
            .expect("the server task panicked")
    }

    /// Stops the app and starts a fresh one on the same database file and the
    /// same fake Slack (the port changes).
    pub(crate) async fn restart(&mut self) {
        self.shutdown()
            .await
            .expect("the server returned an error while stopping");
        self.start().await;
    }

    // ---- requests -------------------------------------------------------

    pub(crate) fn sign(&self, timestamp: i64, body: &[u8]) -> String {
        sign(&self.options.signing_secrets, timestamp, body).expect("signing secret is not blank")
    }

    /// POSTs `body` to `path` with exactly the given Slack headers (`None`
    /// leaves a header out).
    pub(crate) async fn post_signed_raw(
        &self,
        path: &str,
        body: impl Into<Vec<u8>>,
        timestamp: Option<&str>,
        signature: Option<&str>,
    ) -> Response {
        self.post_raw_with(path, body.into(), timestamp, signature, &[])
            .await
    }

    async fn post_raw_with(
        &self,
        path: &str,
        body: Vec<u8>,
        timestamp: Option<&str>,
        signature: Option<&str>,
        extra: &[(&str, &str)],
    ) -> Response {
        let content_type = if path.ends_with("/events") {
            "application/json"
        } else {
            "application/x-www-form-urlencoded"
        };
        let mut req = self
            .client
            .post(format!("{}{path}", self.address))
            .header("content-type", content_type)
            .body(body);
        if let Some(ts) = timestamp {
            req = req.header("x-slack-request-timestamp", ts);
        }
        if let Some(sig) = signature {
            req = req.header("x-slack-signature", sig);
        }
        for (name, value) in extra {
            req = req.header(*name, *value);
        }
        req.send()
            .await
            .unwrap_or_else(|e| panic!("POST {path} failed at the HTTP level: {e}"))
    }

    /// Signs `body` with the current time and POSTs it, like Slack does.
    pub(crate) async fn post_signed(&self, path: &str, body: impl Into<Vec<u8>>) -> Response {
        self.post_signed_with_headers(path, body, &[]).await
    }

    pub(crate) async fn post_signed_with_headers(
        &self,
        path: &str,
        body: impl Into<Vec<u8>>,
        extra: &[(&str, &str)],
    ) -> Response {
        let body = body.into();
        let ts = self.now();
        let sig = self.sign(ts, &body);
        self.post_raw_with(path, body, Some(&ts.to_string()), Some(&sig), extra)
            .await
    }

    /// A slash command; `form_body` is the raw urlencoded body.
    pub(crate) async fn post_command(&self, form_body: &str) -> Response {
        self.post_signed("/slack/commands", form_body.to_owned())
            .await
    }

    /// An Events API delivery.
    pub(crate) async fn post_event(&self, event: &Value) -> Response {
        self.post_event_with_headers(event, &[]).await
    }

    /// An Events API delivery with extra headers (e.g. `X-Slack-Retry-Num`).
    pub(crate) async fn post_event_with_headers(
        &self,
        event: &Value,
        extra: &[(&str, &str)],
    ) -> Response {
        let body = serde_json::to_vec(event).expect("event serialises");
        self.post_signed_with_headers("/slack/events", body, extra)
            .await
    }

    /// An interactivity request: `payload=<urlencoded JSON>`.
    pub(crate) async fn post_interaction(&self, payload: &Value) -> Response {
        self.post_signed("/slack/interactions", interaction_body(payload))
            .await
    }

    pub(crate) async fn get(&self, path: &str) -> Response {
        self.client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path} failed at the HTTP level: {e}"))
    }

    /// The value of one Prometheus sample at `/metrics`, e.g.
    /// `testscope_signature_failures_total{reason="mismatch"}`; 0 when it
    /// has not been recorded yet. Metrics are process-wide, so tests compare
    /// before and after rather than expect exact totals.
    pub(crate) async fn metric(&self, sample: &str) -> f64 {
        let text = self.get("/metrics").await.text().await.unwrap_or_default();
        text.lines()
            .find_map(|line| line.strip_prefix(sample)?.strip_prefix(' '))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0.0)
    }

    /// Requests the fake Slack received on `path` so far.
    pub(crate) async fn slack_requests(&self, path: &str) -> Vec<Request> {
        requests_to(&self.slack, path).await
    }
}

// ---- fake Slack --------------------------------------------------------

pub(crate) async fn mount_auth_test(slack: &MockServer) {
    Mock::given(method("POST"))
        .and(path("/auth.test"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "ok": true,
            "user_id": BOT_USER,
            "bot_id": BOT_ID,
            "team_id": "T111",
        })))
        .named("auth.test")
        .mount(slack)
        .await;
}

/// `chat.postMessage` success.
pub(crate) fn posted_ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "ok": true,
        "channel": "C111",
        "ts": "1595926300.000100",
        "message": {"text": "advice"}
    }))
}

pub(crate) fn slack_error(code: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"ok": false, "error": code}))
}

/// What Slack answers on a `response_url`.
pub(crate) fn response_url_ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_string("ok")
}

/// The question recorded under `id`, waiting for the background writer (the
/// reply goes out before its record is written); `None` if it never is.
pub(crate) async fn recorded_question(
    app: &TestApp,
    id: &str,
) -> Option<testscope::store::ShownQuestion> {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let found = app
            .state()
            .store
            .shown_question(id)
            .await
            .expect("store readable");
        if found.is_some() || Instant::now() > deadline {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

pub(crate) async fn requests_to(mock: &MockServer, wanted: &str) -> Vec<Request> {
    mock.received_requests()
        .await
        .expect("wiremock request recording is on")
        .into_iter()
        .filter(|r| r.url.path() == wanted)
        .collect()
}

/// Polls until `mock` has received at least `n` requests on `path`; panics
/// with what was seen if that does not happen within `timeout`.
pub(crate) async fn wait_for_requests(
    mock: &MockServer,
    path: &str,
    n: usize,
    timeout: Duration,
) -> Vec<Request> {
    let deadline = Instant::now() + timeout;
    loop {
        let seen = requests_to(mock, path).await;
        if seen.len() >= n {
            return seen;
        }
        if Instant::now() >= deadline {
            let all: Vec<String> = mock
                .received_requests()
                .await
                .unwrap_or_default()
                .iter()
                .map(|r| format!("{} {}", r.method, r.url.path()))
                .collect();
            panic!(
                "expected {n} request(s) to {path} within {timeout:?}, saw {}; everything the fake Slack received: {all:?}",
                seen.len()
            );
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// The JSON body of a request the app sent.
pub(crate) fn json_body(req: &Request) -> Value {
    serde_json::from_slice(&req.body).unwrap_or_else(|e| {
        panic!(
            "{} was sent a body that is not JSON ({e}): {}",
            req.url.path(),
            String::from_utf8_lossy(&req.body)
        )
    })
}

/// The form fields of a request the app sent (`conversations.replies`).
pub(crate) fn form_body(req: &Request) -> Vec<(String, String)> {
    serde_urlencoded::from_bytes(&req.body).expect("form body")
}

/// Every piece of text in a Slack message (`text` plus every block), for
/// "does the reply mention X" checks.
pub(crate) fn message_text(msg: &Value) -> String {
    let mut out = String::new();
    collect_strings(msg, &mut out);
    out
}

fn collect_strings(v: &Value, out: &mut String) {
    match v {
        Value::String(s) => {
            out.push_str(s);
            out.push('\n');
        }
        Value::Array(items) => items.iter().for_each(|i| collect_strings(i, out)),
        Value::Object(map) => map.values().for_each(|i| collect_strings(i, out)),
        _ => {}
    }
}

/// The header block's text: the headline a user reads first.
pub(crate) fn headline(msg: &Value) -> String {
    msg["blocks"]
        .as_array()
        .and_then(|b| b.iter().find(|b| b["type"] == "header"))
        .and_then(|b| b["text"]["text"].as_str())
        .unwrap_or_default()
        .to_owned()
}

// ---- payloads -----------------------------------------------------------

/// A slash command body shaped like bolt-python's fixture (F3).
pub(crate) fn command_body(command: &str, text: &str) -> String {
    serde_urlencoded::to_string([
        ("token", "verification_token"),
        ("team_id", "T111"),
        ("team_domain", "test-domain"),
        ("channel_id", "C111"),
        ("channel_name", "random"),
        ("user_id", "W111"),
        ("user_name", "primary-owner"),
        ("command", command),
        ("text", text),
        ("enterprise_id", "E111"),
        ("enterprise_name", "Org Name"),
        (
            "response_url",
            "https://hooks.slack.com/commands/T111/111/xxxxx",
        ),
        ("trigger_id", "111.111.xxx"),
    ])
    .expect("form encodes")
}

pub(crate) fn interaction_body(payload: &Value) -> String {
    serde_urlencoded::to_string([("payload", payload.to_string())]).expect("form encodes")
}

/// An `app_mention` event_callback shaped like bolt-python's fixture (F4).
pub(crate) fn mention_event(
    event_id: &str,
    text: &str,
    ts: &str,
    thread_ts: Option<&str>,
) -> Value {
    let mut event = json!({
        "client_msg_id": "9cbd4c5b-7ddf-4ede-b479-ad21fca66d63",
        "type": "app_mention",
        "text": text,
        "user": "W222",
        "ts": ts,
        "team": "T111",
        "channel": "C111",
        "event_ts": ts,
    });
    if let Some(root) = thread_ts {
        event["thread_ts"] = json!(root);
    }
    json!({
        "token": "verification_token",
        "team_id": "T111",
        "enterprise_id": "E111",
        "api_app_id": "A111",
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": 1_595_926_230,
        "authed_users": ["W111"],
    })
}

/// A `block_actions` payload shaped like bolt-python's fixture (F5), for one
/// button of ours.
pub(crate) fn block_actions(action_id: &str, value: &str, response_url: &str) -> Value {
    json!({
        "type": "block_actions",
        "user": {"id": "W111", "username": "primary-owner", "name": "primary-owner", "team_id": "T111"},
        "api_app_id": "A111",
        "token": "verification_token",
        "container": {"type": "message", "message_ts": "111.222", "channel_id": "C111", "is_ephemeral": true},
        "trigger_id": "111.222.valid",
        "team": {"id": "T111", "domain": "workspace-domain", "enterprise_id": "E111", "enterprise_name": "Sandbox Org"},
        "channel": {"id": "C111", "name": "test-channel"},
        "response_url": response_url,
        "actions": [{
            "action_id": action_id,
            "block_id": "testscope_actions",
            "text": {"type": "plain_text", "text": "Button", "emoji": true},
            "value": value,
            "type": "button",
            "action_ts": "1596530385.194939"
        }]
    })
}

/// A message shortcut on a message in channel C111.
pub(crate) fn message_action(
    callback_id: &str,
    text: &str,
    message_ts: &str,
    thread_ts: Option<&str>,
    response_url: &str,
) -> Value {
    let mut message = json!({
        "type": "message",
        "user": "W333",
        "text": text,
        "ts": message_ts,
    });
    if let Some(root) = thread_ts {
        message["thread_ts"] = json!(root);
    }
    json!({
        "type": "message_action",
        "token": "verification_token",
        "action_ts": "1596530400.000001",
        "team": {"id": "T111", "domain": "workspace-domain"},
        "user": {"id": "W111", "name": "primary-owner"},
        "channel": {"id": "C111", "name": "test-channel"},
        "callback_id": callback_id,
        "trigger_id": "111.222.valid",
        "message_ts": message_ts,
        "message": message,
        "response_url": response_url,
    })
}

/// Text of a response body, for failure messages.
pub(crate) async fn body_text(resp: Response) -> (reqwest::StatusCode, String) {
    let status = resp.status();
    let text = resp.text().await.unwrap_or_default();
    (status, text)
}

/// Fails when Slack would refuse `msg` (`invalid_blocks`, `msg_blocks_too_long`)
/// or truncate it, per the limits in the reference (§3): the user would see
/// nothing, or an error, instead of the answer.
pub(crate) fn assert_fits_slack_limits(msg: &Value) {
    let chars = |v: &Value| v.as_str().map_or(0, |s| s.chars().count());
    let mut problems = Vec::new();
    let text = chars(&msg["text"]);
    if text == 0 || text > 4000 {
        problems.push(format!(
            "fallback text has {text} characters (want 1..=4000)"
        ));
    }
    let blocks = msg["blocks"].as_array().cloned().unwrap_or_default();
    if blocks.is_empty() || blocks.len() > 50 {
        problems.push(format!("{} blocks (want 1..=50)", blocks.len()));
    }
    for (i, b) in blocks.iter().enumerate() {
        match b["type"].as_str().unwrap_or_default() {
            "header" => {
                let n = chars(&b["text"]["text"]);
                if n == 0 || n > 150 {
                    problems.push(format!(
                        "block {i}: header text has {n} characters (max 150)"
                    ));
                }
            }
            "section" => {
                let n = chars(&b["text"]["text"]);
                if n == 0 || n > 3000 {
                    problems.push(format!(
                        "block {i}: section text has {n} characters (max 3000)"
                    ));
                }
            }
            "context" => {
                let elements = b["elements"].as_array().cloned().unwrap_or_default();
                if elements.is_empty() || elements.len() > 10 {
                    problems.push(format!(
                        "block {i}: context has {} elements (max 10)",
                        elements.len()
                    ));
                }
                for e in &elements {
                    let n = chars(&e["text"]);
                    if n == 0 || n > 3000 {
                        problems.push(format!("block {i}: context text has {n} characters"));
                    }
                }
            }
            "actions" => {
                let elements = b["elements"].as_array().cloned().unwrap_or_default();
                if elements.is_empty() || elements.len() > 25 {
                    problems.push(format!(
                        "block {i}: actions has {} elements (max 25)",
                        elements.len()
                    ));
                }
                for e in &elements {
                    let label = chars(&e["text"]["text"]);
                    let value = chars(&e["value"]);
                    let id = chars(&e["action_id"]);
                    if label == 0 || label > 75 || value > 2000 || id == 0 || id > 255 {
                        problems.push(format!(
                            "block {i}: button with a {label}-char label, {value}-char value, {id}-char action_id"
                        ));
                    }
                }
            }
            other => problems.push(format!("block {i}: unexpected block type {other:?}")),
        }
        if chars(&b["block_id"]) > 255 {
            problems.push(format!("block {i}: block_id over 255 characters"));
        }
    }
    assert!(
        problems.is_empty(),
        "Slack would reject or truncate this message:\n  {}\n{msg:#}",
        problems.join("\n  ")
    );
}
