//! What a request can make the service do beyond answering it: where it
//! sends replies (`response_url`), what it logs, and how much it reads.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::*;
use crate::logs::LogCapture;

const WAIT: Duration = Duration::from_secs(5);
const QUESTION: &str = "we bumped max_depth and changed the pyfunc wrapper";
const REFUSED_LINE: &str = "refused to post to a response_url";

/// Something on the server's own network that must never hear from it.
async fn internal_service() -> MockServer {
    let internal = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_string("secret"))
        .expect(0)
        .named("internal service")
        .mount(&internal)
        .await;
    internal
}

/// Clicks "Share" on advice with `response_url` as the payload's reply URL.
async fn share_via(app: &TestApp, response_url: &str) {
    // The button carries the id of an answer the command showed.
    let asked: serde_json::Value = app
        .post_command(&command_body("/testscope", QUESTION))
        .await
        .json()
        .await
        .expect("a JSON reply");
    let id = asked["blocks"]
        .as_array()
        .and_then(|b| b.iter().find(|b| b["type"] == "actions"))
        .and_then(|a| a["elements"][0]["value"].as_str())
        .expect("buttons under the answer")
        .to_owned();
    let resp = app
        .post_interaction(&block_actions("share", &id, response_url))
        .await;
    assert_eq!(resp.status(), StatusCode::OK, "the click is acknowledged");
}

/// Waits until `sample` has grown by at least `by` since `before`.
async fn wait_for_metric(app: &TestApp, sample: &str, before: f64, by: f64) -> f64 {
    let deadline = Instant::now() + WAIT;
    loop {
        let now = app.metric(sample).await;
        if now - before >= by {
            return now;
        }
        assert!(
            Instant::now() < deadline,
            "{sample} went from {before} to {now}; expected at least {by} more"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

const REFUSED_ORIGIN: &str = r#"testscope_response_url_refused_total{reason="origin"}"#;
const REFUSED_CREDENTIALS: &str = r#"testscope_response_url_refused_total{reason="credentials"}"#;

#[tokio::test]
async fn a_response_url_on_loopback_or_a_private_address_is_refused_counted_and_logged_once() {
    // Arrange
    let logs = LogCapture::start();
    let internal = internal_service().await;
    let mut app = spawn_app().await;
    let before = app.metric(REFUSED_ORIGIN).await;
    let urls = [
        // Loopback, another port than the fake Slack's: another origin.
        format!("{}/admin/delete-everything", internal.uri()),
        "http://10.0.0.7/hooks/T1".to_owned(),
        "http://169.254.169.254/latest/meta-data/".to_owned(),
        "http://[::1]:9/x".to_owned(),
        "https://hooks.slack.com.attacker.example/commands/1".to_owned(),
        "http://hooks.slack.com/commands/1".to_owned(),
    ];

    // Act
    for url in &urls {
        share_via(&app, url).await;
    }
    wait_for_metric(&app, REFUSED_ORIGIN, before, urls.len() as f64).await;
    app.shutdown().await.expect("clean shutdown");

    // Assert
    let seen = internal.received_requests().await.unwrap_or_default();
    assert!(seen.is_empty(), "the internal service was called: {seen:?}");
    let lines: Vec<String> = logs
        .lines()
        .into_iter()
        .filter(|l| l.contains(REFUSED_LINE))
        .collect();
    assert_eq!(
        lines.len(),
        1,
        "{} refusals should make one log line a minute, not one each: {lines:#?}",
        urls.len()
    );
    assert!(lines[0].contains("reason=\"origin\""), "{}", lines[0]);
    assert!(
        !logs.lines().iter().any(|l| l.contains("delete-everything")),
        "a response URL's path is a credential and stays out of the logs"
    );
}

#[tokio::test]
async fn a_response_url_with_credentials_is_refused_even_on_the_allowed_origin() {
    // Arrange: the fake Slack's own origin is allowed, but not with a user
    // and password, which would go out as Basic auth.
    let mut app = spawn_app().await;
    Mock::given(any())
        .and(path("/actions/with-credentials"))
        .respond_with(response_url_ok())
        .expect(0)
        .named("response_url with credentials")
        .mount(&app.slack)
        .await;
    let before = app.metric(REFUSED_CREDENTIALS).await;
    let url = app
        .slack
        .uri()
        .replacen("http://", "http://admin:hunter2@", 1)
        + "/actions/with-credentials";

    // Act
    share_via(&app, &url).await;
    wait_for_metric(&app, REFUSED_CREDENTIALS, before, 1.0).await;
    app.shutdown().await.expect("clean shutdown");

    // Assert: the mock's expect(0) is checked when `app` is dropped.
    assert!(
        app.slack_requests("/actions/with-credentials")
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn a_redirect_from_a_response_url_is_not_followed() {
    // Arrange: the allowed origin answers with a redirect to the inside.
    let internal = internal_service().await;
    let mut app = spawn_app().await;
    Mock::given(method("POST"))
        .and(path("/actions/redirect"))
        .respond_with(
            ResponseTemplate::new(307)
                .insert_header("location", format!("{}/stolen", internal.uri()).as_str()),
        )
        .expect(2)
        .named("redirecting response_url")
        .mount(&app.slack)
        .await;

    // Act
    share_via(&app, &format!("{}/actions/redirect", app.slack.uri())).await;
    // The shared answer, then the private one without its Share button.
    wait_for_requests(&app.slack, "/actions/redirect", 2, WAIT).await;
    app.shutdown().await.expect("clean shutdown");

    // Assert
    let seen = internal.received_requests().await.unwrap_or_default();
    assert!(seen.is_empty(), "the redirect was followed: {seen:?}");
}

#[tokio::test]
async fn an_origin_added_in_configuration_gets_the_reply() {
    // Arrange: a second Slack-like host the operator allowed explicitly.
    let hooks = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/commands/T111/1/abc"))
        .respond_with(response_url_ok())
        .expect(2)
        .named("configured response origin")
        .mount(&hooks)
        .await;
    let mut app = spawn_app_with(TestOptions {
        response_origins: vec![hooks.uri()],
        ..TestOptions::default()
    })
    .await;

    // Act
    share_via(&app, &format!("{}/commands/T111/1/abc", hooks.uri())).await;
    wait_for_requests(&hooks, "/commands/T111/1/abc", 2, WAIT).await;
    app.shutdown().await.expect("clean shutdown");

    // Assert
    let sent = requests_to(&hooks, "/commands/T111/1/abc").await;
    assert_eq!(json_body(&sent[0])["response_type"], "in_channel");
}

const REJECTED_LINE: &str = "rejected requests with a bad signature";

#[tokio::test]
async fn forged_requests_are_all_counted_but_logged_once_per_reason_and_interval() {
    // Arrange
    let logs = LogCapture::start();
    let app = spawn_app_with(TestOptions {
        rejection_log_interval: Duration::from_millis(400),
        ..TestOptions::default()
    })
    .await;
    let body = command_body("/testscope", "we bumped the learning rate");
    let now = app.now().to_string();
    let forged_signature = format!("v0={}", "0".repeat(64));
    let mismatch = r#"testscope_signature_failures_total{reason="mismatch"}"#;
    let missing = r#"testscope_signature_failures_total{reason="missing_signature"}"#;
    let (mismatch_before, missing_before) = (app.metric(mismatch).await, app.metric(missing).await);

    // Act: a flood of two kinds, then one more after the interval.
    for _ in 0..30 {
        let resp = app
            .post_signed_raw(
                "/slack/commands",
                body.clone(),
                Some(&now),
                Some(&forged_signature),
            )
            .await;
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    }
    for _ in 0..10 {
        let resp = app
            .post_signed_raw("/slack/commands", body.clone(), Some(&now), None)
            .await;
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    }
    let lines_during_flood: Vec<String> = logs
        .lines()
        .into_iter()
        .filter(|l| l.contains(REJECTED_LINE))
        .collect();
    tokio::time::sleep(Duration::from_millis(450)).await;
    let resp = app
        .post_signed_raw(
            "/slack/commands",
            body.clone(),
            Some(&now),
            Some(&forged_signature),
        )
        .await;
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);

    // Assert: every rejection is in the metrics...
    assert!(app.metric(mismatch).await - mismatch_before >= 31.0);
    assert!(app.metric(missing).await - missing_before >= 10.0);
    // ...but the flood made one line per reason, and the next interval's
    // line says how many it stands for.
    assert_eq!(
        lines_during_flood.len(),
        2,
        "40 forged requests of two kinds should log two lines: {lines_during_flood:#?}"
    );
    assert!(
        lines_during_flood
            .iter()
            .any(|l| l.contains("reason=\"mismatch\"") && l.contains("count=1"))
    );
    assert!(
        lines_during_flood
            .iter()
            .any(|l| l.contains("reason=\"missing_signature\""))
    );
    let all: Vec<String> = logs
        .lines()
        .into_iter()
        .filter(|l| l.contains(REJECTED_LINE))
        .collect();
    assert_eq!(all.len(), 3, "{all:#?}");
    assert!(
        all[2].contains("reason=\"mismatch\"") && all[2].contains("count=30"),
        "the 29 held back and this one: {}",
        all[2]
    );
}

#[tokio::test]
async fn a_declared_body_over_the_limit_gets_413_at_once_without_100_continue() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    // Arrange
    let app = spawn_app().await;
    for expect_continue in [true, false] {
        let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", app.port))
            .await
            .expect("connect");
        let head = format!(
            "POST /slack/commands HTTP/1.1\r\nHost: testscope\r\n\
             Content-Type: application/x-www-form-urlencoded\r\n\
             Content-Length: {}\r\n{}\r\n",
            10 * 1024 * 1024,
            if expect_continue {
                "Expect: 100-continue\r\n"
            } else {
                ""
            }
        );

        // Act: the headers only; the 10 MiB never follow.
        stream
            .write_all(head.as_bytes())
            .await
            .expect("send headers");
        let mut answer = vec![0u8; 512];
        let n = tokio::time::timeout(Duration::from_secs(3), stream.read(&mut answer))
            .await
            .unwrap_or_else(|_| {
                panic!(
                    "no answer within 3 s without the body (Expect: 100-continue {expect_continue}): \
                     the server is waiting to read it"
                )
            })
            .expect("read the answer");

        // Assert
        let answer = String::from_utf8_lossy(&answer[..n]);
        assert!(
            answer.starts_with("HTTP/1.1 413"),
            "a declared 10 MiB body should be refused at once, before any 100 Continue \
             (Expect: 100-continue {expect_continue}); got: {answer:?}"
        );
    }
}
