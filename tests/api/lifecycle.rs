//! Start-up, health, running without a bot token, graceful shutdown, and
//! refusing to start without a signing secret.

use std::process::Command;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::Value;
use wiremock::Mock;
use wiremock::matchers::{method, path};

use crate::helpers::*;

const WAIT: Duration = Duration::from_secs(5);
const LR_CHANGE: &str = "<@UBOT> we bumped the learning rate from 0.01 to 0.001";

#[tokio::test]
async fn without_a_bot_token_the_service_runs_but_is_not_ready() {
    // Arrange
    let mut app = spawn_app_with(TestOptions::default().without_bot_token()).await;
    let response_path = "/actions/T111/111/no-token";
    Mock::given(method("POST"))
        .and(path(response_path))
        .respond_with(response_url_ok())
        .expect(1)
        .named("response_url")
        .mount(&app.slack)
        .await;

    // Act
    let health = app.get("/healthz").await;
    let ready = app.get("/readyz").await;
    let mention = app
        .post_event(&mention_event("EvNT", LR_CHANGE, "1595926230.009600", None))
        .await;
    let shortcut = app
        .post_interaction(&message_action(
            "testscope_advise",
            "we bumped the learning rate from 0.01 to 0.001",
            "1596530000.000100",
            None,
            &format!("{}{response_path}", app.slack.uri()),
        ))
        .await;
    let shortcut_status = shortcut.status();
    wait_for_requests(&app.slack, response_path, 1, WAIT).await;
    let health_after = app.get("/healthz").await.status();
    app.shutdown().await.expect("clean shutdown");

    // Assert
    assert_eq!(
        health.status(),
        StatusCode::OK,
        "liveness must not depend on Slack"
    );
    assert_eq!(health.text().await.unwrap(), "ok");
    assert_eq!(
        ready.status(),
        StatusCode::SERVICE_UNAVAILABLE,
        "without a bot token the service cannot reply in threads"
    );
    let ready: Value = ready.json().await.expect("/readyz answers JSON");
    assert_eq!(ready["ready"], false);
    assert!(
        ready.to_string().contains("SLACK_BOT_TOKEN"),
        "the operator should be told what to set: {ready}"
    );
    assert_eq!(mention.status(), StatusCode::OK);
    assert_eq!(shortcut_status, StatusCode::OK);
    assert_eq!(
        health_after,
        StatusCode::OK,
        "the service died after a mention"
    );
    let web_api_calls: Vec<String> = app
        .slack
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| r.url.path().to_owned())
        .filter(|p| p != response_path)
        .collect();
    assert_eq!(
        web_api_calls,
        Vec::<String>::new(),
        "no Web API call can work without a token"
    );
    let hint = json_body(&app.slack_requests(response_path).await[0]);
    assert!(
        hint["text"]
            .as_str()
            .is_some_and(|t| t.contains("SLACK_BOT_TOKEN")),
        "the shortcut user should learn the bot is not set up: {hint}"
    );
}

#[tokio::test]
async fn with_a_token_and_a_working_auth_test_the_service_is_ready() {
    // Arrange
    let app = spawn_app().await;

    // Act
    let resp = app.get("/readyz").await;

    // Assert
    let status = resp.status();
    let body: Value = resp.json().await.expect("JSON");
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["ready"], true);
    assert!(
        body["checks"]["slack"]
            .as_str()
            .is_some_and(|s| s.contains(BOT_USER)),
        "{body}"
    );
    assert_eq!(body["checks"]["database"], "ok");
}

#[tokio::test]
async fn a_rejected_token_makes_the_service_not_ready() {
    // Arrange: Slack refuses the token at the start-up check.
    let app = spawn_app_with(TestOptions {
        auth_test_error: Some("invalid_auth"),
        ..TestOptions::default()
    })
    .await;
    let deadline = Instant::now() + WAIT;
    while app.slack_requests("/auth.test").await.is_empty() {
        assert!(Instant::now() < deadline, "the token was never checked");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    tokio::time::sleep(Duration::from_millis(50)).await;

    // Act
    let resp = app.get("/readyz").await;

    // Assert
    let status = resp.status();
    let body: Value = resp.json().await.expect("JSON");
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(
        body["checks"]["slack"]
            .as_str()
            .is_some_and(|s| s.contains("auth.test") && s.contains("invalid_auth")),
        "{body}"
    );
}

#[tokio::test]
async fn shutdown_lets_a_reply_in_flight_finish() {
    // Arrange: Slack takes 800 ms to accept the post.
    let mut app = spawn_app().await;
    let slack_delay = Duration::from_millis(800);
    Mock::given(method("POST"))
        .and(path("/chat.postMessage"))
        .respond_with(posted_ok().set_delay(slack_delay))
        .expect(1)
        .named("chat.postMessage (slow)")
        .mount(&app.slack)
        .await;

    // Act
    let resp = app
        .post_event(&mention_event("EvSD", LR_CHANGE, "1595926230.009600", None))
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    wait_for_requests(&app.slack, "/chat.postMessage", 1, WAIT).await;
    let stopping = Instant::now();
    app.trigger_shutdown();
    let result = app.wait_stopped().await;
    let took = stopping.elapsed();

    // Assert
    assert!(result.is_ok(), "run_until_stopped failed: {result:?}");
    assert!(
        took >= slack_delay - Duration::from_millis(200),
        "shutdown returned after {took:?}, before Slack had answered the reply: it was abandoned"
    );
    assert_eq!(
        app.slack_requests("/chat.postMessage").await.len(),
        1,
        "the reply should be posted exactly once"
    );
}

#[tokio::test]
async fn a_reply_spawned_just_before_shutdown_is_still_sent() {
    // Arrange
    let mut app = spawn_app().await;
    Mock::given(method("POST"))
        .and(path("/chat.postMessage"))
        .respond_with(posted_ok().set_delay(Duration::from_millis(200)))
        .expect(1)
        .named("chat.postMessage")
        .mount(&app.slack)
        .await;

    // Act: stop right after the ack, before the reply can have gone out.
    let resp = app
        .post_event(&mention_event(
            "EvSD2",
            LR_CHANGE,
            "1595926230.009600",
            None,
        ))
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let result = app.shutdown().await;

    // Assert
    assert!(result.is_ok(), "run_until_stopped failed: {result:?}");
    assert_eq!(
        app.slack_requests("/chat.postMessage").await.len(),
        1,
        "the mention was acked, so the user expects an answer even across a deploy"
    );
}

fn serve_with_env(signing_secret: Option<&str>) -> std::process::Output {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_testscope"));
    cmd.arg("serve")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        // If it did start, it must not grab a well-known port or write here.
        .env("TESTSCOPE_ADDR", "127.0.0.1:0")
        .current_dir(dir.path());
    if let Some(secret) = signing_secret {
        cmd.env("SLACK_SIGNING_SECRET", secret);
    }
    let mut child = cmd
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run testscope");
    // A server that did start would run forever; give it a few seconds.
    let deadline = Instant::now() + Duration::from_secs(5);
    while child.try_wait().expect("wait").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("collect output")
}

#[test]
fn serve_refuses_to_start_without_a_signing_secret() {
    for (what, value) in [
        ("unset", None),
        ("empty", Some("")),
        ("blank", Some("   ")),
        ("a list with a blank entry", Some("abc,,def")),
    ] {
        // Act
        let out = serve_with_env(value);

        // Assert
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success() && out.status.code().is_some(),
            "SLACK_SIGNING_SECRET {what}: the server must exit with an error, got {:?}; stderr: {stderr}",
            out.status
        );
        let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(
            lines.len(),
            1,
            "SLACK_SIGNING_SECRET {what}: expected one line telling the operator what is wrong, got:\n{stderr}"
        );
        assert!(
            lines[0].contains("SLACK_SIGNING_SECRET"),
            "SLACK_SIGNING_SECRET {what}: the message should name the variable: {stderr}"
        );
    }
}

#[tokio::test]
async fn the_binary_serves_and_stops_cleanly_on_sigterm() {
    // Arrange: the minimal production configuration, JSON logs so the
    // bound address can be read back.
    let dir = tempfile::tempdir().expect("temp dir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_testscope"))
        .arg("serve")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("SLACK_SIGNING_SECRET", SECRET)
        .env("TESTSCOPE_ADDR", "127.0.0.1:0")
        .env("TESTSCOPE_LOG_FORMAT", "json")
        .env("TESTSCOPE_SHUTDOWN_GRACE_SECS", "2")
        .current_dir(dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run testscope serve");
    let stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    let reader = std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            let _ = tx.send(line);
        }
    });
    let mut seen = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(10);
    let addr = loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let Ok(line) = rx.recv_timeout(left) else {
            let _ = child.kill();
            panic!(
                "the server never said where it listens; stderr so far:\n{}",
                seen.join("\n")
            );
        };
        let addr = serde_json::from_str::<Value>(&line)
            .ok()
            .and_then(|v| v["fields"]["addr"].as_str().map(str::to_owned));
        seen.push(line);
        if let Some(addr) = addr {
            break addr;
        }
    };
    // No bot token here: the operator is warned at start, before anything
    // goes silently unposted.
    let warned = seen.iter().any(|l| {
        serde_json::from_str::<Value>(l).is_ok_and(|v| {
            v["level"] == "WARN"
                && v["fields"]["message"]
                    .as_str()
                    .is_some_and(|m| m.starts_with("SLACK_BOT_TOKEN is not set"))
        })
    });
    assert!(
        warned,
        "serve must warn at start when the bot token is missing:\n{}",
        seen.join("\n")
    );

    // Act
    let health = reqwest::get(format!("http://{addr}/healthz")).await;
    let term = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("send SIGTERM");
    let stopped = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if stopped.elapsed() > Duration::from_secs(10) {
            let _ = child.kill();
            panic!("the server ignored SIGTERM for 10 s");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    reader.join().expect("stderr reader");
    seen.extend(rx.try_iter());

    // Assert
    let health = health.expect("GET /healthz");
    assert_eq!(health.status(), StatusCode::OK);
    assert!(term.success());
    assert!(
        status.success(),
        "a deploy's SIGTERM should end in a clean exit, got {status:?}; logs:\n{}",
        seen.join("\n")
    );
    assert!(
        dir.path().join("testscope.db").exists(),
        "the default database lives in the working directory"
    );
}

#[tokio::test]
async fn every_response_carries_a_distinct_request_id() {
    // Arrange: what an operator quotes when a user reports "it failed".
    let app = spawn_app().await;

    // Act
    let responses = vec![
        ("GET /healthz", app.get("/healthz").await),
        ("GET /readyz", app.get("/readyz").await),
        (
            "a slash command",
            app.post_command(&command_body("/testscope", "help")).await,
        ),
        (
            "an unsigned request",
            app.post_signed_raw("/slack/events", "{}", None, None).await,
        ),
        ("an unknown path", app.get("/nope").await),
    ];

    // Assert
    let mut ids = Vec::new();
    for (what, resp) in responses {
        let id = resp
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let Some(id) = id.filter(|id| !id.is_empty()) else {
            panic!("{what} ({}) has no x-request-id header", resp.status());
        };
        ids.push(id);
    }
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "request ids repeat: {ids:?}");
}

#[tokio::test]
async fn metrics_count_requests_signature_failures_and_advice() {
    // Arrange
    let mut app = spawn_app().await;
    let body = "team_id=T1&channel_id=C1&user_id=U1&command=%2Ftestscope&text=bumped+the+learning+rate&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1";

    // Act
    assert_eq!(app.post_command(body).await.status(), StatusCode::OK);
    let unsigned = reqwest::Client::new()
        .post(format!("{}/slack/commands", app.address))
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status(), StatusCode::UNAUTHORIZED);
    let metrics = app.get("/metrics").await;

    // Assert
    assert_eq!(metrics.status(), StatusCode::OK);
    let text = metrics.text().await.unwrap();
    for expected in [
        "testscope_http_requests_total{route=\"/slack/commands\",status=\"200\"}",
        "testscope_http_requests_total{route=\"/slack/commands\",status=\"401\"}",
        "testscope_signature_failures_total{reason=\"missing_timestamp\"}",
        "testscope_advice_total{primary_scope=\"integration\"}",
        "testscope_http_request_duration_seconds_bucket{route=\"/slack/commands\",le=\"0.005\"}",
        "testscope_slack_api_calls_total{method=\"auth.test\",result=\"ok\"}",
    ] {
        assert!(
            text.contains(expected),
            "/metrics lacks {expected}:\n{text}"
        );
    }
    app.shutdown().await.expect("clean shutdown");
}

/// How a connection that a test feeds slowly ended.
#[derive(Debug, PartialEq, Eq)]
enum Trickled {
    /// The server closed it (or refused further writes) before the end.
    Cut,
    /// The server answered before the end.
    Answered(String),
    /// Every byte went through.
    Finished,
}

/// Writes `bytes` one at a time, waiting up to 200 ms after each for the
/// server to close the connection or answer.
async fn trickle(stream: &mut tokio::net::TcpStream, bytes: &[u8]) -> Trickled {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut buf = [0u8; 4096];
    for byte in bytes {
        if stream.write_all(&[*byte]).await.is_err() {
            return Trickled::Cut;
        }
        match tokio::time::timeout(Duration::from_millis(200), stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return Trickled::Cut,
            Ok(Ok(n)) => return Trickled::Answered(String::from_utf8_lossy(&buf[..n]).into()),
            Err(_) => {}
        }
    }
    Trickled::Finished
}

/// Fails unless the server acted within `limit` of `started`.
#[track_caller]
fn assert_within(started: Instant, limit: Duration, what: &str) {
    let took = started.elapsed();
    assert!(took < limit, "{what} after {took:?}");
}

/// Waits up to five seconds for the server to close `stream`, and says
/// whether it did.
async fn closed_by_server(stream: &mut tokio::net::TcpStream) -> bool {
    use tokio::io::AsyncReadExt;
    let mut buf = [0u8; 4096];
    let read = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buf)).await;
    matches!(read, Ok(Ok(0)) | Ok(Err(_)))
}

#[tokio::test]
async fn silent_and_slow_clients_are_cut_off() {
    // Arrange: a one-second header deadline keeps the test short.
    let mut app = spawn_app_with(TestOptions {
        header_timeout: Duration::from_secs(1),
        ..TestOptions::default()
    })
    .await;
    let addr = format!("127.0.0.1:{}", app.port);

    // A client that connects and says nothing.
    let started = Instant::now();
    let mut silent = tokio::net::TcpStream::connect(&addr).await.unwrap();
    assert!(
        closed_by_server(&mut silent).await,
        "a silent connection must be closed"
    );
    assert_within(started, Duration::from_secs(3), "closed");

    // A slowloris client trickling its headers one byte at a time.
    let started = Instant::now();
    let mut slow = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let head =
        b"POST /slack/commands HTTP/1.1\r\nHost: x\r\nX-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    let outcome = trickle(&mut slow, head).await;
    assert!(
        outcome != Trickled::Finished,
        "a client trickling headers must be cut off"
    );
    assert_within(started, Duration::from_secs(4), "cut");

    // Meanwhile ordinary requests are served.
    assert_eq!(app.get("/healthz").await.status(), StatusCode::OK);
    app.shutdown().await.expect("clean shutdown");
}

#[tokio::test]
async fn idle_keep_alive_connections_and_slow_bodies_are_cut_off() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    // Arrange: short limits keep the test quick.
    let mut app = spawn_app_with(TestOptions {
        header_timeout: Duration::from_secs(1),
        request_timeout: Duration::from_secs(2),
        ..TestOptions::default()
    })
    .await;
    let addr = format!("127.0.0.1:{}", app.port);

    // A keep-alive client that gets its answer and then goes quiet.
    let mut idle = tokio::net::TcpStream::connect(&addr).await.unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut buf = [0u8; 4096];
    let n = idle.read(&mut buf).await.unwrap();
    assert!(
        String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"),
        "the first request is answered"
    );
    let started = Instant::now();
    assert!(
        closed_by_server(&mut idle).await,
        "an idle keep-alive connection must be closed"
    );
    assert_within(started, Duration::from_secs(3), "closed");

    // A client that sends its headers promptly, then the body a byte at a
    // time: fast enough for any per-read timeout, far too slow overall.
    let body = command_body("/testscope", "bumped the learning rate");
    let now = app.now();
    let head = format!(
        "POST /slack/commands HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         X-Slack-Request-Timestamp: {now}\r\nX-Slack-Signature: {}\r\nContent-Length: {}\r\n\r\n",
        app.sign(now, body.as_bytes()),
        body.len()
    );
    let started = Instant::now();
    let mut slow = tokio::net::TcpStream::connect(&addr).await.unwrap();
    slow.write_all(head.as_bytes()).await.unwrap();
    let outcome = trickle(&mut slow, body.as_bytes()).await;
    assert!(
        matches!(&outcome, Trickled::Answered(head) if head.starts_with("HTTP/1.1 408")),
        "a body trickling in must get a 408: {outcome:?}"
    );
    assert!(
        closed_by_server(&mut slow).await,
        "and its connection must be closed"
    );
    assert_within(started, Duration::from_secs(4), "cut");

    // Meanwhile ordinary requests are served.
    assert_eq!(app.get("/healthz").await.status(), StatusCode::OK);
    app.shutdown().await.expect("clean shutdown");
}

#[tokio::test]
async fn ten_thousand_bad_signatures_do_not_starve_valid_requests() {
    // Arrange
    let mut app = spawn_app().await;
    let body = command_body("/testscope", "bumped the learning rate");
    let valid_latency = |app: &TestApp| {
        let body = body.clone();
        let app_address = app.address.clone();
        let now = app.now();
        let sig = app.sign(now, body.as_bytes());
        async move {
            let client = reqwest::Client::new();
            let mut times = Vec::new();
            for _ in 0..20 {
                let started = Instant::now();
                let resp = client
                    .post(format!("{app_address}/slack/commands"))
                    .header("x-slack-request-timestamp", now.to_string())
                    .header("x-slack-signature", &sig)
                    .body(body.clone())
                    .send()
                    .await
                    .unwrap();
                assert_eq!(resp.status(), StatusCode::OK, "a valid request was refused");
                times.push(started.elapsed());
            }
            times.sort();
            times[times.len() / 2]
        }
    };
    let quiet = valid_latency(&app).await;

    // Act: 10,000 forged requests from 16 concurrent clients while valid ones run.
    let address = app.address.clone();
    let attack = tokio::spawn(async move {
        let client = reqwest::Client::new();
        let mut tasks = Vec::new();
        for _ in 0..16 {
            let (client, address) = (client.clone(), address.clone());
            tasks.push(tokio::spawn(async move {
                let mut refused = 0;
                for _ in 0..625 {
                    let resp = client
                        .post(format!("{address}/slack/commands"))
                        .header("x-slack-request-timestamp", "1700000000")
                        .header("x-slack-signature", format!("v0={}", "0".repeat(64)))
                        .body("text=forged")
                        .send()
                        .await
                        .unwrap();
                    refused += u32::from(resp.status() == StatusCode::UNAUTHORIZED);
                }
                refused
            }));
        }
        let mut refused = 0;
        for t in tasks {
            refused += t.await.unwrap();
        }
        refused
    });
    let under_attack = valid_latency(&app).await;
    let refused = attack.await.unwrap();

    // Assert: every forgery refused, valid requests still answered promptly.
    assert_eq!(refused, 10_000);
    assert!(
        under_attack < quiet * 20 + Duration::from_millis(50),
        "median valid latency went from {quiet:?} to {under_attack:?} under attack"
    );
    app.shutdown().await.expect("clean shutdown");
}
