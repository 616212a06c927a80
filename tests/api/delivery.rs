//! Nothing lost, nothing doubled: a mention whose delivery is cancelled is
//! still answered once, and a client that half-closes gets its response.

use std::time::Duration;

use reqwest::StatusCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::Mock;
use wiremock::matchers::{method, path};

use crate::helpers::*;

const WAIT: Duration = Duration::from_secs(5);
const MENTION_TS: &str = "1595926230.009600";
const CHANGE: &str = "<@UBOT> we bumped the learning rate from 0.01 to 0.001";

/// Holds SQLite's write lock from another connection, as a second replica
/// or a backup would; the service's writes wait on it (busy timeout).
fn lock_writes(app: &TestApp) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(&app.db_path).unwrap();
    conn.execute_batch("BEGIN EXCLUSIVE").unwrap();
    conn
}

#[tokio::test]
async fn a_mention_whose_delivery_is_cancelled_while_the_claim_waits_is_answered_once() {
    // Arrange: requests may take 1 s; the database is locked for 2 s.
    let mut app = spawn_app_with(TestOptions {
        request_timeout: Duration::from_secs(1),
        ..TestOptions::default()
    })
    .await;
    Mock::given(method("POST"))
        .and(path("/chat.postMessage"))
        .respond_with(posted_ok())
        .expect(1)
        .named("chat.postMessage")
        .mount(&app.slack)
        .await;
    let lock = lock_writes(&app);
    let event = mention_event("EvCANCELLED", CHANGE, MENTION_TS, None);
    let body = serde_json::to_vec(&event).unwrap();
    let ts = app.now();

    // Act: the first delivery runs into the request deadline while the
    // event id waits for the lock (Slack would have given up after 3 s).
    let first = reqwest::Client::new()
        .post(format!("{}/slack/events", app.address))
        .header("content-type", "application/json")
        .header("x-slack-request-timestamp", ts.to_string())
        .header("x-slack-signature", app.sign(ts, &body))
        .body(body)
        .send()
        .await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    drop(lock);
    tokio::time::sleep(Duration::from_millis(500)).await;
    // Slack's retry of the same event.
    let retry = app
        .post_event_with_headers(
            &event,
            &[
                ("x-slack-retry-num", "1"),
                ("x-slack-retry-reason", "http_timeout"),
            ],
        )
        .await;
    assert_eq!(retry.status(), StatusCode::OK);
    wait_for_requests(&app.slack, "/chat.postMessage", 1, WAIT).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    app.shutdown().await.expect("clean shutdown");

    // Assert: answered once, whichever delivery did it.
    assert!(
        first
            .as_ref()
            .map_or(true, |r| r.status() == StatusCode::OK),
        "{first:?}"
    );
    assert_eq!(app.slack_requests("/chat.postMessage").await.len(), 1);
}

#[tokio::test]
async fn a_client_that_half_closes_after_its_request_still_gets_the_response() {
    // Arrange: a locked database makes /readyz wait for its write a little.
    let mut app = spawn_app().await;
    let lock = lock_writes(&app);
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", app.port))
        .await
        .unwrap();

    // Act: send the request, then shut the sending side, as `nc -N` does.
    stream
        .write_all(b"GET /readyz HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n")
        .await
        .unwrap();
    stream.shutdown().await.unwrap();
    let mut response = Vec::new();
    tokio::time::timeout(WAIT, stream.read_to_end(&mut response))
        .await
        .expect("the server neither answered nor closed")
        .unwrap();
    drop(lock);
    app.shutdown().await.expect("clean shutdown");

    // Assert
    let response = String::from_utf8_lossy(&response);
    assert!(
        response.starts_with("HTTP/1.1 "),
        "a half-closed client got no response: {response:?}"
    );
}
