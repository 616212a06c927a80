//! The Slack Web API client against a fake Slack (wiremock on 127.0.0.1).
//!
//! Every mock states how often it must be hit (`.expect(n)`); the check runs
//! when the `MockServer` is dropped at the end of each test, so a retry too
//! many or too few fails the test even if the returned value looks right.
//! Retry delays come from `fast_policy()` and are a few milliseconds; the only
//! real wait is the one `Retry-After: 1` test.

#[path = "common/logs.rs"]
mod logs;

use std::net::TcpListener;
use std::time::{Duration, Instant};

use logs::LogCapture;

use serde_json::json;
use wiremock::matchers::{body_json, body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

// The one line to rewrite when this file moves into the main crate.
use testscope::render::Message;
use testscope::slack::api::*;

const TOKEN: &str = "xoxb-test";

/// Real retry logic, toy delays: keeps the whole file at a few seconds.
fn fast_policy() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 4,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        max_retry_after: Duration::from_secs(2),
        jitter: Duration::from_millis(1),
        request_timeout: Duration::from_secs(10),
    }
}

fn client(server: &MockServer) -> SlackApi {
    SlackApi::new(&server.uri(), Some(BotToken::new(TOKEN)), fast_policy())
}

fn posted_ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "ok": true,
        "channel": "C123ABC456",
        "ts": "1503435956.000247",
        "message": {"text": "hello"}
    }))
}

fn slack_error(code: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"ok": false, "error": code}))
}

fn hello() -> serde_json::Value {
    json!({"channel": "C123ABC456", "text": "hello"})
}

/// Events that report one attempt (they all carry `attempt=`).
fn attempts(logs: &LogCapture) -> usize {
    logs.lines()
        .iter()
        .filter(|l| l.contains("attempt="))
        .count()
}

#[tokio::test]
async fn post_message_sends_bearer_token_charset_and_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/chat.postMessage"))
        .and(header("authorization", "Bearer xoxb-test"))
        // Exact list match: also proves there is one Content-Type, not two.
        .and(header("content-type", "application/json; charset=utf-8"))
        .and(body_json(hello()))
        .respond_with(posted_ok())
        .expect(1)
        .mount(&server)
        .await;

    let posted = client(&server).post_message(&hello()).await.unwrap();

    assert_eq!(
        posted,
        PostedMessage {
            channel: "C123ABC456".into(),
            ts: "1503435956.000247".into()
        }
    );
    // The token belongs in the header only, never in the URL or the body.
    let requests = server.received_requests().await.unwrap();
    let request = &requests[0];
    assert_eq!(request.url.query(), None);
    assert!(!String::from_utf8_lossy(&request.body).contains(TOKEN));
}

#[tokio::test]
async fn http_429_waits_for_retry_after_then_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/chat.postMessage"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/chat.postMessage"))
        .respond_with(posted_ok())
        .expect(1)
        .mount(&server)
        .await;

    let started = Instant::now();
    let posted = client(&server).post_message(&hello()).await.unwrap();

    assert_eq!(posted.ts, "1503435956.000247");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "retried after {:?}, before Retry-After elapsed",
        started.elapsed()
    );
}

#[tokio::test]
async fn retry_after_is_capped_by_policy() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "3600"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(posted_ok())
        .expect(1)
        .mount(&server)
        .await;
    let policy = RetryPolicy {
        max_retry_after: Duration::from_millis(20),
        ..fast_policy()
    };
    let api = SlackApi::new(&server.uri(), Some(BotToken::new(TOKEN)), policy);

    let started = Instant::now();
    api.post_message(&hello()).await.unwrap();

    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn http_429_on_every_attempt_is_rate_limited() {
    let server = MockServer::start().await;
    // No Retry-After header: falls back to the (tiny) exponential backoff.
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429))
        .expect(4)
        .mount(&server)
        .await;

    let err = client(&server).post_message(&hello()).await.unwrap_err();

    assert!(
        matches!(&err, SlackError::RateLimited { method } if method == "chat.postMessage"),
        "{err:?}"
    );
    assert!(err.is_rate_limited());
}

#[tokio::test]
async fn server_errors_are_retried_until_success() {
    // chat.update names the message it rewrites: doing it twice is harmless.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/chat.update"))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(2)
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/chat.update"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .expect(1)
        .mount(&server)
        .await;

    let edit = json!({"channel": "C123ABC456", "ts": "1503435956.000247", "text": "hello"});
    client(&server).update_message(&edit).await.unwrap();
}

#[tokio::test]
async fn persistent_server_error_gives_up_after_max_attempts() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500))
        .expect(4)
        .mount(&server)
        .await;

    let edit = json!({"channel": "C123ABC456", "ts": "1503435956.000247", "text": "hello"});
    let err = client(&server).update_message(&edit).await.unwrap_err();

    assert!(
        matches!(&err, SlackError::Http { method, status: 500 } if method == "chat.update"),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_server_error_on_a_new_message_is_not_repeated() {
    // A 5xx (from Slack or a proxy before it) can come after the message was
    // posted; posting again could show it twice, so the caller decides.
    for (method_name, ephemeral) in [("chat.postMessage", false), ("chat.postEphemeral", true)] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(503))
            .expect(1)
            .mount(&server)
            .await;

        let api = client(&server);
        let err = if ephemeral {
            let mut msg = hello();
            msg["user"] = json!("U1");
            api.post_ephemeral(&msg).await.unwrap_err()
        } else {
            api.post_message(&hello()).await.unwrap_err()
        };

        assert!(
            matches!(&err, SlackError::Http { method, status: 503 } if method == method_name),
            "{err:?}"
        );
        assert!(err.may_have_reached_slack(), "{err:?}");
    }
}

#[tokio::test]
async fn not_in_channel_is_returned_without_retry() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(slack_error("not_in_channel"))
        .expect(1)
        .mount(&server)
        .await;

    let err = client(&server).post_message(&hello()).await.unwrap_err();

    assert!(err.is_not_in_channel(), "{err:?}");
    assert_eq!(err.code(), Some("not_in_channel"));
}

#[tokio::test]
async fn channel_not_found_counts_as_not_in_channel() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(slack_error("channel_not_found"))
        .expect(1)
        .mount(&server)
        .await;

    let err = client(&server).post_ephemeral(&hello()).await.unwrap_err();

    assert!(err.is_not_in_channel(), "{err:?}");
}

#[tokio::test]
async fn invalid_auth_is_returned_without_retry() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth.test"))
        .respond_with(slack_error("invalid_auth"))
        .expect(1)
        .mount(&server)
        .await;

    let err = client(&server).auth_test().await.unwrap_err();

    assert_eq!(err.code(), Some("invalid_auth"));
    assert!(err.is_auth_error());
    assert!(!err.is_not_in_channel());
}

#[tokio::test]
async fn other_4xx_is_returned_without_retry() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(404).set_body_string("<html>nope</html>"))
        .expect(1)
        .mount(&server)
        .await;

    let err = client(&server).update_message(&hello()).await.unwrap_err();

    assert!(
        matches!(&err, SlackError::Http { method, status: 404 } if method == "chat.update"),
        "{err:?}"
    );
}

#[tokio::test]
async fn ok_false_ratelimited_is_retried_like_429() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(slack_error("ratelimited"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(slack_error("rate_limited"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(posted_ok())
        .expect(1)
        .mount(&server)
        .await;

    let posted = client(&server).post_message(&hello()).await.unwrap();

    assert_eq!(posted.ts, "1503435956.000247");
}

#[tokio::test]
async fn non_json_success_body_is_a_decode_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>proxy</html>"))
        .expect(1)
        .mount(&server)
        .await;

    let err = client(&server).post_message(&hello()).await.unwrap_err();

    assert!(matches!(err, SlackError::Decode { .. }), "{err:?}");
}

#[tokio::test]
async fn connection_refused_is_transport_error_after_retries() {
    // Bind and release a port so nothing listens on it.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let policy = RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(40),
        max_delay: Duration::from_millis(200),
        ..fast_policy()
    };
    let api = SlackApi::new(
        &format!("http://127.0.0.1:{port}"),
        Some(BotToken::new(TOKEN)),
        policy,
    );

    let logs = LogCapture::start();
    let started = Instant::now();
    let err = api.post_message(&hello()).await.unwrap_err();

    assert_eq!(attempts(&logs), 3, "{:#?}", logs.lines());
    match &err {
        SlackError::Transport { method, source } => {
            assert_eq!(method, "chat.postMessage");
            assert!(source.is_connect(), "{source:?}");
        }
        other => panic!("expected Transport, got {other:?}"),
    }
    // Both backoffs (40 ms + 80 ms) were actually waited out.
    assert!(started.elapsed() >= Duration::from_millis(120));
}

#[tokio::test]
async fn logs_every_attempt_but_never_the_token_or_message_text() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(posted_ok())
        .expect(1)
        .mount(&server)
        .await;
    let logs = LogCapture::start();

    let msg = json!({"channel": "C1", "ts": "1.000001", "text": "private build log"});
    client(&server).update_message(&msg).await.unwrap();

    let text = logs.lines().join("\n");
    assert_eq!(attempts(&logs), 2, "{text}");
    assert!(text.contains("chat.update"), "{text}");
    assert!(text.contains("server_error"), "{text}");
    assert!(!text.contains(TOKEN), "{text}");
    assert!(!text.contains("private build log"), "{text}");
}

#[tokio::test]
async fn respond_never_reveals_the_response_url() {
    // A response_url lets anyone post into the conversation, so neither the
    // logs nor the error text may contain it, even when the post fails.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    // The API's own origin is an allowed response origin.
    let api = SlackApi::new(&format!("http://127.0.0.1:{port}/api"), None, fast_policy());
    let logs = LogCapture::start();

    let err = api
        .respond(
            &format!("http://127.0.0.1:{port}/commands/T1/B1/hooksecret"),
            &Message::text("hi"),
        )
        .await
        .unwrap_err();

    assert!(matches!(err, SlackError::Transport { .. }), "{err:?}");
    let text = logs.lines().join("\n");
    assert_eq!(attempts(&logs), 4, "{text}");
    assert!(!text.contains("hooksecret"), "{text}");
    assert!(!err.to_string().contains("hooksecret"), "{err}");
    assert!(!format!("{err:?}").contains("hooksecret"), "{err:?}");
}

#[tokio::test]
async fn missing_token_is_not_configured_and_sends_nothing() {
    let server = MockServer::start().await;
    let api = SlackApi::new(&server.uri(), None, fast_policy());
    let blank = SlackApi::new(&server.uri(), Some(BotToken::new("  ")), fast_policy());

    assert!(!api.has_token());
    assert!(!blank.has_token());
    assert!(matches!(
        api.post_message(&hello()).await,
        Err(SlackError::NotConfigured)
    ));
    assert!(matches!(
        api.thread_replies("C1", "1.0", None, None, 10).await,
        Err(SlackError::NotConfigured)
    ));
    assert!(matches!(
        blank.auth_test().await,
        Err(SlackError::NotConfigured)
    ));
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn auth_test_returns_identity() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth.test"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "ok": true, "url": "https://x.slack.com/", "team": "T", "user": "bot",
            "team_id": "T0001", "user_id": "U0BOT", "bot_id": "B0001"
        })))
        .expect(1)
        .mount(&server)
        .await;

    let info = client(&server).auth_test().await.unwrap();

    assert_eq!(
        info,
        AuthInfo {
            user_id: "U0BOT".into(),
            bot_id: Some("B0001".into()),
            team_id: Some("T0001".into())
        }
    );
}

#[tokio::test]
async fn thread_replies_follows_cursor_and_concatenates() {
    let server = MockServer::start().await;
    // conversations.replies does not read JSON bodies, so the arguments
    // travel form-encoded, with the token still only in the header.
    Mock::given(method("POST"))
        .and(path("/conversations.replies"))
        .and(header("authorization", "Bearer xoxb-test"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string_contains("cursor=page2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "ok": true,
            // The parent can come back on later pages; it must appear once.
            "messages": [
                {"user": "U1", "text": "parent", "ts": "100.0", "thread_ts": "100.0"},
                {"bot_id": "B1", "subtype": "bot_message", "text": "bot reply", "ts": "102.0", "thread_ts": "100.0"}
            ],
            "has_more": false,
            "response_metadata": {"next_cursor": ""}
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/conversations.replies"))
        .and(body_string_contains("channel=C123"))
        .and(body_string_contains("ts=100.0"))
        .and(body_string_contains("limit=50"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "ok": true,
            "messages": [
                {"user": "U1", "text": "parent", "ts": "100.0", "thread_ts": "100.0"},
                {"user": "U2", "text": "first reply", "ts": "101.0", "thread_ts": "100.0"}
            ],
            "has_more": true,
            "response_metadata": {"next_cursor": "page2"}
        })))
        .expect(1)
        .mount(&server)
        .await;

    let messages = client(&server)
        .thread_replies("C123", "100.0", None, None, 50)
        .await
        .unwrap();

    let ts: Vec<&str> = messages.iter().map(|m| m.ts.as_str()).collect();
    assert_eq!(ts, ["100.0", "101.0", "102.0"]);
    assert_eq!(messages[2].bot_id.as_deref(), Some("B1"));
    assert_eq!(messages[2].subtype.as_deref(), Some("bot_message"));
    assert_eq!(messages[2].user, None);
}

#[tokio::test]
async fn respond_posts_json_without_authorization() {
    let server = MockServer::start().await;
    let reply = Message::text("done").ephemeral();
    Mock::given(method("POST"))
        .and(path("/commands/T1/123/abc"))
        .and(header("content-type", "application/json; charset=utf-8"))
        .and(body_json(
            json!({"response_type": "ephemeral", "text": "done"}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_string("ok"))
        .expect(1)
        .mount(&server)
        .await;
    // Works without a bot token: the response_url is its own credential.
    let api = SlackApi::new("http://127.0.0.1:9/api", None, fast_policy())
        .with_response_origins(&[server.uri()]);

    api.respond(&format!("{}/commands/T1/123/abc", server.uri()), &reply)
        .await
        .unwrap();

    let requests = server.received_requests().await.unwrap();
    assert!(!requests[0].headers.contains_key("authorization"));
}

#[tokio::test]
async fn respond_retries_server_errors_and_accepts_json_ok() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .expect(1)
        .mount(&server)
        .await;

    client(&server)
        .respond(
            &format!("{}/actions/x", server.uri()),
            &Message::text("hi").replacing(true),
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn respond_does_not_repeat_a_new_message_after_a_server_error() {
    // An ephemeral reply cannot be looked up afterwards; a 503 may have come
    // after it was shown, so it is not sent twice.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;

    let err = client(&server)
        .respond(
            &format!("{}/actions/x", server.uri()),
            &Message::text("hi").ephemeral().replacing(false),
        )
        .await
        .unwrap_err();
    assert!(err.may_have_reached_slack(), "{err:?}");
}

#[tokio::test]
async fn respond_reports_expired_url_without_retry() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(404).set_body_string("expired_url"))
        .expect(1)
        .mount(&server)
        .await;

    let err = client(&server)
        .respond(
            &format!("{}/commands/old", server.uri()),
            &Message::text("hi"),
        )
        .await
        .unwrap_err();

    assert_eq!(err.code(), Some("expired_url"));
}

#[test]
fn bot_token_is_redacted_in_debug_output() {
    let secret = "xoxb-1234-5678-s3cr3tv4lue";
    let token = BotToken::new(secret);
    let api = SlackApi::new(
        "https://slack.com/api",
        Some(token.clone()),
        RetryPolicy::default(),
    );

    for shown in [format!("{token:?}"), format!("{api:?}")] {
        assert!(!shown.contains("s3cr3tv4lue"), "{shown}");
        assert!(!shown.contains("1234-5678"), "{shown}");
        assert!(shown.contains("[REDACTED]"), "{shown}");
    }
}
