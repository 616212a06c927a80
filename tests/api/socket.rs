//! Socket Mode against a fake Slack: `apps.connections.open` on the wiremock
//! Web API, and a real local WebSocket server playing Slack's side of each
//! connection (hello, envelopes, disconnects, silence). The app under test
//! is the real `serve`, started like every other test here.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::{SinkExt as _, StreamExt as _};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;
use wiremock::Mock;
use wiremock::matchers::{method, path};

use testscope::server::socket::{Backoff, SocketSettings};
use testscope::slack::api::AppToken;

use crate::helpers::*;

const WAIT: Duration = Duration::from_secs(5);
const QUESTION: &str = "we bumped the learning rate from 0.01 to 0.001";
const SILENCE: Duration = Duration::from_millis(800);

// ---- the fake Slack's WebSocket side ----------------------------------------

/// What happened on the fake's connections, in order.
#[derive(Debug, Clone)]
enum Seen {
    Opened(usize, Instant),
    /// The app sent a text frame (an ack).
    Text(usize, Value, Instant),
    /// The connection ended; `by_app` when the app sent the close frame.
    Closed(usize, Instant, bool),
}

/// How the fake treats new connections.
#[derive(Default)]
struct Behaviour {
    /// Close each connection right after hello.
    drop_after_hello: AtomicBool,
    /// Stop reading and writing after hello: a half-open, silent socket.
    go_silent: AtomicBool,
}

struct FakeSocketSlack {
    port: u16,
    seen: Arc<Mutex<Vec<Seen>>>,
    links: Arc<Mutex<Vec<mpsc::UnboundedSender<Message>>>>,
    behaviour: Arc<Behaviour>,
}

impl FakeSocketSlack {
    async fn start() -> Self {
        let listener = TcpListener::bind(("127.0.0.1", 0))
            .await
            .expect("bind the fake socket server");
        let port = listener.local_addr().expect("addr").port();
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let links: Arc<Mutex<Vec<mpsc::UnboundedSender<Message>>>> = Arc::default();
        let behaviour: Arc<Behaviour> = Arc::default();
        let (s, l, b) = (
            Arc::clone(&seen),
            Arc::clone(&links),
            Arc::clone(&behaviour),
        );
        tokio::spawn(async move {
            let next = AtomicUsize::new(0);
            while let Ok((tcp, _)) = listener.accept().await {
                let Ok(ws) = tokio_tungstenite::accept_async(tcp).await else {
                    continue;
                };
                let id = next.fetch_add(1, Ordering::SeqCst);
                let (tx, rx) = mpsc::unbounded_channel();
                l.lock().unwrap().push(tx);
                s.lock().unwrap().push(Seen::Opened(id, Instant::now()));
                tokio::spawn(serve_link(id, ws, rx, Arc::clone(&s), Arc::clone(&b)));
            }
        });
        Self {
            port,
            seen,
            links,
            behaviour,
        }
    }

    fn url(&self) -> String {
        format!("ws://127.0.0.1:{}/link/?ticket=test", self.port)
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    fn opened(&self) -> Vec<(usize, Instant)> {
        self.seen()
            .into_iter()
            .filter_map(|s| match s {
                Seen::Opened(id, at) => Some((id, at)),
                _ => None,
            })
            .collect()
    }

    fn closed(&self) -> Vec<(usize, Instant, bool)> {
        self.seen()
            .into_iter()
            .filter_map(|s| match s {
                Seen::Closed(id, at, by_app) => Some((id, at, by_app)),
                _ => None,
            })
            .collect()
    }

    /// Frames the app sent that acknowledge `envelope_id`, with the
    /// connection they came on.
    fn acks(&self, envelope_id: &str) -> Vec<(usize, Value, Instant)> {
        self.seen()
            .into_iter()
            .filter_map(|s| match s {
                Seen::Text(id, v, at) if v["envelope_id"] == envelope_id => Some((id, v, at)),
                _ => None,
            })
            .collect()
    }

    async fn wait_opened(&self, n: usize) -> Vec<(usize, Instant)> {
        let deadline = Instant::now() + WAIT;
        loop {
            let opened = self.opened();
            if opened.len() >= n {
                return opened;
            }
            assert!(
                Instant::now() < deadline,
                "the app opened {} Socket Mode connection(s), expected {n}: {:?}",
                opened.len(),
                self.seen()
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    async fn wait_ack(&self, envelope_id: &str) -> (usize, Value, Instant) {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(ack) = self.acks(envelope_id).into_iter().next() {
                return ack;
            }
            assert!(
                Instant::now() < deadline,
                "envelope {envelope_id} was never acknowledged; Slack would deliver it again: {:?}",
                self.seen()
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    /// Sends a frame to the app on connection `id`.
    fn send(&self, id: usize, frame: &Value) {
        self.links.lock().unwrap()[id]
            .send(Message::text(frame.to_string()))
            .expect("the fake's connection task is running");
    }

    fn send_raw(&self, id: usize, text: &str) {
        self.links.lock().unwrap()[id]
            .send(Message::text(text.to_owned()))
            .expect("the fake's connection task is running");
    }
}

async fn serve_link(
    id: usize,
    ws: tokio_tungstenite::WebSocketStream<tokio::net::TcpStream>,
    mut rx: mpsc::UnboundedReceiver<Message>,
    seen: Arc<Mutex<Vec<Seen>>>,
    behaviour: Arc<Behaviour>,
) {
    let (mut sink, mut stream) = ws.split();
    let hello = json!({"type": "hello", "num_connections": id + 1,
        "debug_info": {"host": "fake", "approximate_connection_time": 18060},
        "connection_info": {"app_id": "A111"}});
    let _ = sink.send(Message::text(hello.to_string())).await;
    if behaviour.drop_after_hello.load(Ordering::SeqCst) {
        let _ = sink.close().await;
        seen.lock()
            .unwrap()
            .push(Seen::Closed(id, Instant::now(), false));
        return;
    }
    if behaviour.go_silent.load(Ordering::SeqCst) {
        // Hold the socket open and never read it: pings go unanswered.
        let _keep = (sink, stream);
        tokio::time::sleep(Duration::from_secs(30)).await;
        return;
    }
    loop {
        tokio::select! {
            out = rx.recv() => match out {
                Some(Message::Close(frame)) => {
                    let _ = sink.send(Message::Close(frame)).await;
                    seen.lock().unwrap().push(Seen::Closed(id, Instant::now(), false));
                    return;
                }
                Some(msg) => { let _ = sink.send(msg).await; }
                None => return,
            },
            msg = stream.next() => match msg {
                Some(Ok(Message::Text(text))) => {
                    let value = serde_json::from_str(text.as_str()).unwrap_or(Value::Null);
                    seen.lock().unwrap().push(Seen::Text(id, value, Instant::now()));
                }
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => {
                    seen.lock().unwrap().push(Seen::Closed(id, Instant::now(), true));
                    return;
                }
                Some(Ok(_)) => {}
            },
        }
    }
}

// ---- the app ------------------------------------------------------------

fn socket_settings(connections: usize) -> SocketSettings {
    let mut s = SocketSettings::new(AppToken::parse("xapp-1-test").expect("token"));
    s.connections = connections;
    s.ping_every = Duration::from_millis(100);
    s.silence_timeout = SILENCE;
    s.backoff = Backoff {
        first: Duration::from_millis(50),
        max: Duration::from_millis(400),
    };
    s.connect_timeout = Duration::from_secs(2);
    s
}

fn socket_options(connections: usize) -> TestOptions {
    TestOptions {
        socket: Some(socket_settings(connections)),
        ..TestOptions::default()
    }
}

fn with_url(options: TestOptions, url: String) -> TestOptions {
    TestOptions {
        socket_url: Some(url),
        ..options
    }
}

/// The app in Socket Mode with `connections` open to a fresh fake.
async fn socket_app(options: TestOptions) -> (TestApp, FakeSocketSlack) {
    let connections = options.socket.as_ref().map_or(1, |s| s.connections);
    let fake = FakeSocketSlack::start().await;
    let app = spawn_app_with(TestOptions {
        socket_url: Some(fake.url()),
        ..options
    })
    .await;
    fake.wait_opened(connections).await;
    (app, fake)
}

fn command_envelope(envelope_id: &str, text: &str) -> Value {
    json!({
        "envelope_id": envelope_id,
        "type": "slash_commands",
        "accepts_response_payload": true,
        "payload": {
            "token": "verification_token", "team_id": "T111", "team_domain": "test-domain",
            "channel_id": "C111", "channel_name": "random", "user_id": "W111",
            "user_name": "primary-owner", "command": "/testscope", "text": text,
            "api_app_id": "A111", "is_enterprise_install": "false",
            "response_url": "https://hooks.slack.com/commands/T111/111/xxxxx",
            "trigger_id": "111.111.xxx"
        }
    })
}

fn event_envelope(envelope_id: &str, event: &Value, retry_attempt: u32) -> Value {
    json!({
        "envelope_id": envelope_id,
        "type": "events_api",
        "accepts_response_payload": false,
        "retry_attempt": retry_attempt,
        "retry_reason": if retry_attempt > 0 { "timeout" } else { "" },
        "payload": event,
    })
}

fn interactive_envelope(envelope_id: &str, payload: &Value) -> Value {
    json!({
        "envelope_id": envelope_id,
        "type": "interactive",
        "accepts_response_payload": false,
        "payload": payload,
    })
}

async fn mount_post_message(app: &TestApp, delay: Duration) {
    Mock::given(method("POST"))
        .and(path("/chat.postMessage"))
        .respond_with(posted_ok().set_delay(delay))
        .named("chat.postMessage")
        .mount(&app.slack)
        .await;
}

async fn readyz(app: &TestApp) -> (StatusCode, Value) {
    let resp = app.get("/readyz").await;
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// Polls `/readyz` until it has `want`, or fails with what it said.
async fn wait_readyz(app: &TestApp, want: StatusCode) -> Value {
    let deadline = Instant::now() + WAIT;
    loop {
        let (status, body) = readyz(app).await;
        if status == want {
            return body;
        }
        assert!(
            Instant::now() < deadline,
            "/readyz stayed {status}, expected {want}: {body}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

// ---- deliveries through the shared handlers ------------------------------

#[tokio::test]
async fn socket_slash_command_is_answered_in_its_ack_within_a_second() {
    // Arrange
    let (_app, fake) = socket_app(socket_options(1)).await;

    // Act
    let sent = Instant::now();
    fake.send(0, &command_envelope("env-cmd-1", QUESTION));
    let (_, ack, at) = fake.wait_ack("env-cmd-1").await;

    // Assert
    assert!(
        at.duration_since(sent) < Duration::from_secs(1),
        "the ack took {:?}; Slack wants it within 3 s",
        at.duration_since(sent)
    );
    let reply = &ack["payload"];
    assert_eq!(
        reply["response_type"], "ephemeral",
        "the advice must reach only the asker: {ack}"
    );
    assert_eq!(headline(reply), "Integration tests in test (staging)");
    assert_fits_slack_limits(reply);
}

#[tokio::test]
async fn socket_and_http_give_the_same_command_answers() {
    // Arrange: both transports on, so the two can be compared.
    let options = TestOptions {
        socket_http_routes: true,
        ..socket_options(1)
    };
    let (app, fake) = socket_app(options).await;

    for (i, text) in ["help", "rules", QUESTION, "traps"].into_iter().enumerate() {
        // Act
        let id = format!("env-same-{i}");
        fake.send(0, &command_envelope(&id, text));
        let (_, ack, _) = fake.wait_ack(&id).await;
        let http: Value = app
            .post_command(&command_body("/testscope", text))
            .await
            .json()
            .await
            .expect("HTTP reply is JSON");

        // Assert
        assert_eq!(
            ack["payload"], http,
            "`/testscope {text}` must read the same over Socket Mode as over HTTP"
        );
    }
}

#[tokio::test]
async fn socket_quiz_command_is_answered_in_its_ack() {
    let (app, fake) = socket_app(socket_options(1)).await;

    fake.send(0, &command_envelope("env-quiz", "quiz"));
    let (_, ack, _) = fake.wait_ack("env-quiz").await;

    let reply = &ack["payload"];
    assert!(
        reply["blocks"].as_array().is_some_and(|b| !b.is_empty()) || reply["text"].is_string(),
        "`/testscope quiz` over Socket Mode should show the quiz's answer, got {ack}"
    );
    assert_ne!(headline(reply), "Integration tests in test (staging)");
    drop(app);
}

#[tokio::test]
async fn socket_mention_is_acked_then_answered_in_the_thread() {
    // Arrange: a slow Slack, to show the ack does not wait for the reply.
    let (mut app, fake) = socket_app(socket_options(1)).await;
    mount_post_message(&app, Duration::from_millis(1500)).await;
    let event = mention_event(
        "Ev-sock-1",
        &format!("<@UBOT> {QUESTION}"),
        "1595926230.009600",
        Some("1595926000.000001"),
    );

    // Act
    let sent = Instant::now();
    fake.send(0, &event_envelope("env-ev-1", &event, 0));
    let (_, ack, acked) = fake.wait_ack("env-ev-1").await;
    let posts = wait_for_requests(&app.slack, "/chat.postMessage", 1, WAIT).await;

    // Assert
    assert!(
        acked.duration_since(sent) < Duration::from_millis(1000),
        "the ack must not wait for the reply (took {:?})",
        acked.duration_since(sent)
    );
    assert_eq!(
        ack,
        json!({"envelope_id": "env-ev-1"}),
        "an event's ack carries nothing else"
    );
    let post = json_body(&posts[0]);
    assert_eq!(post["channel"], "C111");
    assert_eq!(
        post["thread_ts"], "1595926000.000001",
        "the answer belongs in the thread"
    );
    assert_eq!(headline(&post), "Integration tests in test (staging)");
    app.shutdown().await.expect("clean shutdown");
}

#[tokio::test]
async fn the_same_envelope_on_two_connections_is_answered_once() {
    // Arrange
    let (mut app, fake) = socket_app(socket_options(2)).await;
    mount_post_message(&app, Duration::ZERO).await;
    let envelope = event_envelope(
        "env-twice",
        &mention_event(
            "Ev-twice",
            &format!("<@UBOT> {QUESTION}"),
            "1595926230.000100",
            None,
        ),
        0,
    );

    // Act
    fake.send(0, &envelope);
    fake.send(1, &envelope);
    let _ = fake.wait_ack("env-twice").await;
    wait_for_requests(&app.slack, "/chat.postMessage", 1, WAIT).await;
    app.shutdown().await.expect("clean shutdown");

    // Assert
    let acks = fake.acks("env-twice");
    let on: std::collections::HashSet<usize> = acks.iter().map(|(id, _, _)| *id).collect();
    assert_eq!(
        on.len(),
        2,
        "each connection acknowledges what it received: {acks:?}"
    );
    assert_eq!(
        app.slack_requests("/chat.postMessage").await.len(),
        1,
        "the thread must get one answer, not one per connection"
    );
}

#[tokio::test]
async fn a_retried_envelope_is_answered_once() {
    // Arrange
    let (mut app, fake) = socket_app(socket_options(1)).await;
    mount_post_message(&app, Duration::ZERO).await;
    let mention = mention_event(
        "Ev-retry",
        &format!("<@UBOT> {QUESTION}"),
        "1595926230.000200",
        None,
    );

    // Act: Slack's first delivery, then its retry after a (supposedly) lost ack.
    fake.send(0, &event_envelope("env-try-0", &mention, 0));
    let _ = fake.wait_ack("env-try-0").await;
    wait_for_requests(&app.slack, "/chat.postMessage", 1, WAIT).await;
    fake.send(0, &event_envelope("env-try-1", &mention, 1));
    let _ = fake.wait_ack("env-try-1").await;
    app.shutdown().await.expect("clean shutdown");

    // Assert
    assert_eq!(
        app.slack_requests("/chat.postMessage").await.len(),
        1,
        "a retry (retry_attempt 1) must not post the answer again"
    );
}

#[tokio::test]
async fn socket_button_click_is_acked_and_thanked_once() {
    // Arrange
    let (mut app, fake) = socket_app(socket_options(2)).await;
    let response_path = "/actions/T111/111/socket";
    Mock::given(method("POST"))
        .and(path(response_path))
        .respond_with(response_url_ok())
        .named("response_url")
        .mount(&app.slack)
        .await;
    // The buttons carry the id of the answer shown by the command.
    fake.send(0, &command_envelope("env-ask", QUESTION));
    let (_, asked, _) = fake.wait_ack("env-ask").await;
    let id = asked["payload"]["blocks"]
        .as_array()
        .and_then(|b| b.iter().find(|b| b["type"] == "actions"))
        .and_then(|a| a["elements"][0]["value"].as_str())
        .unwrap_or_else(|| panic!("no buttons under the answer: {asked}"))
        .to_owned();
    let click = block_actions(
        "feedback_helpful",
        &id,
        &format!("{}{response_path}", app.slack.uri()),
    );

    // Act: the same click delivered on both connections.
    fake.send(0, &interactive_envelope("env-click", &click));
    fake.send(1, &interactive_envelope("env-click", &click));
    let (_, ack, _) = fake.wait_ack("env-click").await;
    wait_for_requests(&app.slack, response_path, 1, WAIT).await;
    app.shutdown().await.expect("clean shutdown");

    // Assert
    assert_eq!(ack, json!({"envelope_id": "env-click"}));
    let replies = app.slack_requests(response_path).await;
    assert_eq!(replies.len(), 1, "one click, one thank-you");
    assert_eq!(json_body(&replies[0])["text"], "Thanks! Glad it helped.");
}

#[tokio::test]
async fn socket_message_shortcut_answers_in_the_thread() {
    // Arrange
    let (mut app, fake) = socket_app(socket_options(1)).await;
    mount_post_message(&app, Duration::ZERO).await;
    let shortcut = message_action(
        "testscope_advise",
        QUESTION,
        "1596530000.000100",
        Some("1596529000.000050"),
        "https://hooks.slack.com/actions/T111/1/x",
    );

    // Act
    fake.send(0, &interactive_envelope("env-shortcut", &shortcut));
    let _ = fake.wait_ack("env-shortcut").await;
    let posts = wait_for_requests(&app.slack, "/chat.postMessage", 1, WAIT).await;
    app.shutdown().await.expect("clean shutdown");

    // Assert
    let post = json_body(&posts[0]);
    assert_eq!(post["thread_ts"], "1596529000.000050");
    assert_eq!(headline(&post), "Integration tests in test (staging)");
}

#[tokio::test]
async fn a_malformed_frame_is_skipped_and_the_connection_keeps_working() {
    let (app, fake) = socket_app(socket_options(1)).await;

    fake.send_raw(0, "{not json");
    fake.send_raw(0, r#"{"type":"slash_commands"}"#);
    fake.send(
        0,
        &json!({"envelope_id": "env-bad-payload", "type": "slash_commands", "payload": [1, 2]}),
    );
    fake.send(0, &command_envelope("env-after", "help"));

    let (_, bad, _) = fake.wait_ack("env-bad-payload").await;
    assert_eq!(
        bad,
        json!({"envelope_id": "env-bad-payload"}),
        "an unreadable payload is still acknowledged, so Slack does not resend it forever"
    );
    let (id, ack, _) = fake.wait_ack("env-after").await;
    assert_eq!(
        id, 0,
        "the same connection, still read after the bad frames"
    );
    assert!(
        ack["payload"]["blocks"].is_array(),
        "help still answered: {ack}"
    );
    assert_eq!(fake.opened().len(), 1, "no reconnect over a bad frame");
    drop(app);
}

#[tokio::test]
async fn slack_routes_are_off_in_socket_mode_and_health_stays_on() {
    let (app, _fake) = socket_app(socket_options(1)).await;

    let resp = app.post_command(&command_body("/testscope", "help")).await;
    assert_eq!(
        resp.status(),
        StatusCode::NOT_FOUND,
        "no public webhook surface in Socket Mode"
    );
    assert_eq!(app.get("/healthz").await.status(), StatusCode::OK);
    let body = wait_readyz(&app, StatusCode::OK).await;
    assert_eq!(body["socket_connections"], 1, "{body}");
    assert!(
        app.get("/metrics")
            .await
            .text()
            .await
            .unwrap_or_default()
            .contains("testscope_socket_connections"),
        "the live-connections gauge is exported"
    );
}

// ---- connection handling ----------------------------------------------------

#[tokio::test]
async fn refresh_requested_opens_the_replacement_before_closing_the_old_connection() {
    // Arrange: a single connection, so any gap would mean no connection at all.
    let (app, fake) = socket_app(socket_options(1)).await;

    // Act
    fake.send(
        0,
        &json!({"type": "disconnect", "reason": "refresh_requested",
        "debug_info": {"host": "fake"}}),
    );
    let opened = fake.wait_opened(2).await;
    let deadline = Instant::now() + WAIT;
    while !fake.closed().iter().any(|(id, _, _)| *id == 0) {
        assert!(
            Instant::now() < deadline,
            "the old connection was never closed: {:?}",
            fake.seen()
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }

    // Assert
    let (_, old_closed, by_app) = fake
        .closed()
        .into_iter()
        .find(|(id, _, _)| *id == 0)
        .expect("closed");
    assert!(
        by_app,
        "the app closes the old connection itself once the new one is up"
    );
    assert!(
        opened[1].1 < old_closed,
        "the new connection must be open before the old one closes (no gap)"
    );
    let body = wait_readyz(&app, StatusCode::OK).await;
    assert_eq!(body["socket_connections"], 1, "replaced, not added: {body}");
    // The new connection carries the traffic.
    fake.send(1, &command_envelope("env-new", "help"));
    let _ = fake.wait_ack("env-new").await;
}

#[tokio::test]
async fn link_disabled_stops_reconnecting_and_fails_readiness() {
    // Arrange
    let (app, fake) = socket_app(socket_options(1)).await;
    wait_readyz(&app, StatusCode::OK).await;

    // Act
    fake.send(0, &json!({"type": "disconnect", "reason": "link_disabled"}));
    let body = wait_readyz(&app, StatusCode::SERVICE_UNAVAILABLE).await;
    // Several backoff periods: time for any reconnect to show.
    tokio::time::sleep(Duration::from_millis(600)).await;

    // Assert
    let why = body["checks"]["socket_mode"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        why.contains("turned off"),
        "/readyz should say Socket Mode was turned off: {body}"
    );
    assert_eq!(fake.opened().len(), 1, "no reconnect after link_disabled");
    assert_eq!(
        app.slack_requests("/apps.connections.open").await.len(),
        1,
        "apps.connections.open is not asked again"
    );
}

#[tokio::test]
async fn too_many_websockets_runs_with_one_fewer() {
    let (app, fake) = socket_app(socket_options(2)).await;

    fake.send(
        0,
        &json!({"type": "disconnect", "reason": "too_many_websockets"}),
    );
    let deadline = Instant::now() + WAIT;
    loop {
        let (_, body) = readyz(&app).await;
        if body["socket_connections"] == 1 {
            break;
        }
        assert!(Instant::now() < deadline, "still {body}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(600)).await;

    assert_eq!(
        fake.opened().len(),
        2,
        "no replacement for the connection Slack said was too many"
    );
    let (status, body) = readyz(&app).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "one connection left is enough to be ready: {body}"
    );
    assert_eq!(body["socket_connections"], 1);
}

#[tokio::test]
async fn a_silent_connection_is_detected_and_replaced_within_the_timeout() {
    // Arrange: the first connection goes silent after hello (no pongs, no
    // frames): the half-open socket the SDKs' users report.
    let fake = FakeSocketSlack::start().await;
    fake.behaviour.go_silent.store(true, Ordering::SeqCst);
    let _app = spawn_app_with(with_url(socket_options(1), fake.url())).await;
    let first = fake.wait_opened(1).await[0].1;
    fake.behaviour.go_silent.store(false, Ordering::SeqCst);

    // Act
    let opened = fake.wait_opened(2).await;

    // Assert
    let after = opened[1].1.duration_since(first);
    assert!(
        after >= SILENCE / 2 && after < SILENCE + Duration::from_millis(700),
        "replaced after {after:?}; the timeout is {SILENCE:?}"
    );
    fake.send(1, &command_envelope("env-alive", "help"));
    let _ = fake.wait_ack("env-alive").await;
}

#[tokio::test]
async fn abrupt_closes_reconnect_with_growing_delays() {
    // Arrange: every connection is dropped right after hello.
    let fake = FakeSocketSlack::start().await;
    fake.behaviour
        .drop_after_hello
        .store(true, Ordering::SeqCst);
    let app = spawn_app_with(with_url(socket_options(1), fake.url())).await;

    // Act
    let opened = fake.wait_opened(5).await;

    // Assert: backoff 50 ms doubling to 400 ms, each wait in its upper half.
    let gaps: Vec<Duration> = opened
        .windows(2)
        .map(|w| w[1].1.duration_since(w[0].1))
        .collect();
    assert!(
        gaps.iter().all(|g| *g >= Duration::from_millis(25)),
        "never a tight loop: {gaps:?}"
    );
    assert!(
        gaps[2] > gaps[0] && gaps[3] > gaps[1],
        "waits must grow: {gaps:?}"
    );
    let (status, _) = readyz(&app).await;
    assert_eq!(
        status,
        StatusCode::SERVICE_UNAVAILABLE,
        "no steady connection, not ready"
    );
}

#[tokio::test]
async fn a_429_from_apps_connections_open_is_waited_out() {
    // Arrange: the first apps.connections.open gets 429 with Retry-After: 1.
    let fake = FakeSocketSlack::start().await;
    let started = Instant::now();
    let app = spawn_app_with(TestOptions {
        socket_url: Some(fake.url()),
        socket_retry_after: Some("1"),
        ..socket_options(1)
    })
    .await;

    // Act
    let opened = fake.wait_opened(1).await[0].1;

    // Assert
    let waited = opened.duration_since(started);
    assert!(
        waited >= Duration::from_millis(1000),
        "connected {waited:?} after start: the 429's Retry-After (1 s) was not honoured"
    );
    assert_eq!(
        app.slack_requests("/apps.connections.open").await.len(),
        2,
        "one rate-limited ask, one after the wait; no hammering in between"
    );
    let body = wait_readyz(&app, StatusCode::OK).await;
    assert_eq!(body["socket_connections"], 1);
}

#[tokio::test]
async fn a_ws_url_to_another_host_is_refused() {
    // Arrange: Slack's answer names plain ws:// on a host other than the
    // (plain-HTTP, local) Web API's; only wss:// may go elsewhere.
    let fake = FakeSocketSlack::start().await;
    let url = format!("ws://localhost:{}/link/", fake.port);
    let app = spawn_app_with(with_url(socket_options(1), url)).await;

    // Act
    let body = wait_readyz(&app, StatusCode::SERVICE_UNAVAILABLE).await;
    let deadline = Instant::now() + WAIT;
    let why = loop {
        let (_, body) = readyz(&app).await;
        let why = body["checks"]["socket_mode"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        if why.contains("refused") {
            break why;
        }
        assert!(Instant::now() < deadline, "/readyz never said why: {body}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };

    // Assert
    assert!(why.contains("ws://"), "{why} ({body})");
    assert!(
        fake.opened().is_empty(),
        "no connection may be made to a refused URL"
    );
}

#[tokio::test]
async fn shutdown_acks_in_flight_work_finishes_replies_and_closes_the_sockets() {
    // Arrange: a slow chat.postMessage, so the reply is in flight at shutdown.
    let (mut app, fake) = socket_app(socket_options(1)).await;
    mount_post_message(&app, Duration::from_millis(500)).await;
    let event = mention_event(
        "Ev-drain",
        &format!("<@UBOT> {QUESTION}"),
        "1595926230.000300",
        None,
    );
    fake.send(0, &event_envelope("env-drain", &event, 0));
    let _ = fake.wait_ack("env-drain").await;

    // Act
    app.shutdown().await.expect("clean shutdown");

    // Assert
    assert_eq!(
        app.slack_requests("/chat.postMessage").await.len(),
        1,
        "the reply in flight at shutdown is still posted"
    );
    let closed = fake.closed();
    assert!(
        closed.iter().any(|(id, _, by_app)| *id == 0 && *by_app),
        "the app closes its socket on shutdown: {closed:?}"
    );
    assert_eq!(fake.opened().len(), 1, "no reconnect while shutting down");
}

#[tokio::test]
async fn two_instances_on_one_database_answer_an_envelope_once() {
    // Arrange: two instances sharing one database, each with its own
    // connection to the same fake Slack, as two replicas would be.
    let dir = tempfile::tempdir().expect("temp dir");
    let db = format!("sqlite://{}", dir.path().join("shared.db").display());
    let fake = FakeSocketSlack::start().await;
    let options = || TestOptions {
        database_url: Some(db.clone()),
        socket_url: Some(fake.url()),
        ..socket_options(1)
    };
    let mut first = spawn_app_with(options()).await;
    fake.wait_opened(1).await;
    let mut second = spawn_app_with(options()).await;
    fake.wait_opened(2).await;
    mount_post_message(&first, Duration::ZERO).await;
    mount_post_message(&second, Duration::ZERO).await;
    let envelope = event_envelope(
        "env-replicas",
        &mention_event(
            "Ev-replicas",
            &format!("<@UBOT> {QUESTION}"),
            "1595926230.000400",
            None,
        ),
        0,
    );

    // Act: Slack redelivers to the other instance (a lost ack, say).
    fake.send(0, &envelope);
    fake.send(1, &envelope);
    let _ = fake.wait_ack("env-replicas").await;
    let deadline = Instant::now() + WAIT;
    while fake.acks("env-replicas").len() < 2 {
        assert!(Instant::now() < deadline, "both instances acknowledge");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    first.shutdown().await.expect("clean shutdown");
    second.shutdown().await.expect("clean shutdown");

    // Assert
    let posts = first.slack_requests("/chat.postMessage").await.len()
        + second.slack_requests("/chat.postMessage").await.len();
    assert_eq!(
        posts, 1,
        "one answer in the thread, whichever instance gave it"
    );
}

#[tokio::test]
async fn the_binary_drains_and_exits_cleanly_on_sigterm() {
    // Arrange: the real binary in Socket Mode (no signing secret), a fake
    // Slack on both sides, and a reply that takes half a second to post.
    let fake = FakeSocketSlack::start().await;
    let slack = wiremock::MockServer::start().await;
    mount_auth_test(&slack).await;
    Mock::given(method("POST"))
        .and(path("/apps.connections.open"))
        .respond_with(
            wiremock::ResponseTemplate::new(200)
                .set_body_json(json!({"ok": true, "url": fake.url()})),
        )
        .mount(&slack)
        .await;
    Mock::given(method("POST"))
        .and(path("/chat.postMessage"))
        .respond_with(posted_ok().set_delay(Duration::from_millis(500)))
        .mount(&slack)
        .await;
    let dir = tempfile::tempdir().expect("temp dir");
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_testscope"))
        .arg("serve")
        .env_remove("SLACK_SIGNING_SECRET")
        .env("SLACK_APP_TOKEN", "xapp-1-test")
        .env("SLACK_BOT_TOKEN", BOT_TOKEN)
        .env("SLACK_API_URL", slack.uri())
        .env("TESTSCOPE_ADDR", "127.0.0.1:0")
        .env("TESTSCOPE_SOCKET_CONNECTIONS", "1")
        .env(
            "TESTSCOPE_DATABASE_URL",
            format!("sqlite://{}", dir.path().join("t.db").display()),
        )
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start testscope serve");
    let mut child = KillOnDrop(child);
    fake.wait_opened(1).await;
    // Identity first, so the mention is not mistaken for the bot's own.
    wait_for_requests(&slack, "/auth.test", 1, WAIT).await;
    let event = mention_event(
        "Ev-sigterm",
        &format!("<@UBOT> {QUESTION}"),
        "1595926230.000500",
        None,
    );
    fake.send(0, &event_envelope("env-sigterm", &event, 0));
    let _ = fake.wait_ack("env-sigterm").await;
    wait_for_requests(&slack, "/chat.postMessage", 1, WAIT).await;
    let posting_since = Instant::now();

    // Act: SIGTERM while the reply is still being posted.
    let pid = child.0.id().to_string();
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("run kill");
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.0.try_wait().expect("wait for testscope") {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "testscope did not exit within 10 s of SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };

    // Assert
    assert!(status.success(), "a clean exit after SIGTERM, got {status}");
    assert!(
        posting_since.elapsed() >= Duration::from_millis(400),
        "exited {:?} into a 500 ms post: the reply in flight was abandoned",
        posting_since.elapsed()
    );
    assert!(
        fake.closed()
            .iter()
            .any(|(id, _, by_app)| *id == 0 && *by_app),
        "the app closed its Socket Mode connection: {:?}",
        fake.seen()
    );
    assert_eq!(fake.opened().len(), 1, "no reconnect while stopping");
}

/// A child process that is killed if the test fails before it exits.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn socket_form_submission_is_stored_and_thanked_in_the_ack() {
    // Arrange: an answer shown over Socket Mode, and its Not quite form sent.
    let (mut app, fake) = socket_app(socket_options(1)).await;
    fake.send(0, &command_envelope("env-ask-form", QUESTION));
    let (_, asked, _) = fake.wait_ack("env-ask-form").await;
    let id = asked["payload"]["blocks"]
        .as_array()
        .and_then(|b| b.iter().find(|b| b["type"] == "actions"))
        .and_then(|a| a["elements"][0]["value"].as_str())
        .unwrap_or_else(|| panic!("no buttons under the answer: {asked}"))
        .to_owned();
    let form = json!({
        "type": "view_submission",
        "team": {"id": "T111"},
        "user": {"id": "W111"},
        "view": {
            "callback_id": "testscope_not_quite",
            "private_metadata": json!({"advice": id, "channel": "C111"}).to_string(),
            "state": {"values": {
                "expected_scope": {"scope": {"type": "static_select", "selected_option": {"value": "unit"}}},
            }},
        },
    });

    // Act
    fake.send(0, &interactive_envelope("env-form", &form));
    let (_, ack, _) = fake.wait_ack("env-form").await;
    app.shutdown().await.expect("clean shutdown");

    // Assert: the thank-you view travels in the acknowledgement.
    assert_eq!(ack["envelope_id"], "env-form");
    assert_eq!(ack["payload"]["response_action"], "update", "{ack}");
    let misses = app.state().store.misses(0).await.unwrap();
    assert_eq!(misses.len(), 1);
    assert_eq!(misses[0].expected_scope.as_deref(), Some("unit"));
}
