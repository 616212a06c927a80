//! Nothing lost, nothing doubled: a mention whose delivery is cancelled is
//! still answered once, a client that half-closes gets its response, and a
//! reply whose post times out is neither shown twice nor lost.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

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

/// A fake Slack whose first `chat.postMessage` answers too late for the
/// client; it keeps the thread it was asked to post into, so
/// `conversations.replies` shows what really got posted, metadata included
/// only when asked for (`include_all_metadata`), as Slack does.
#[derive(Clone, Default)]
struct SlowSlack {
    thread: Arc<Mutex<Vec<Value>>>,
    posts: Arc<AtomicUsize>,
    /// The first, slow post never makes it into the thread.
    lose_first: bool,
}

impl SlowSlack {
    async fn mount(&self, app: &TestApp) {
        let posting = self.clone();
        Mock::given(method("POST"))
            .and(path("/chat.postMessage"))
            .respond_with(move |req: &wiremock::Request| posting.post(req))
            .mount(&app.slack)
            .await;
        let reading = self.clone();
        Mock::given(method("POST"))
            .and(path("/conversations.replies"))
            .respond_with(move |req: &wiremock::Request| reading.replies(req))
            .mount(&app.slack)
            .await;
    }

    fn post(&self, req: &wiremock::Request) -> ResponseTemplate {
        let n = self.posts.fetch_add(1, Ordering::SeqCst);
        let mut msg = json_body(req);
        msg["ts"] = json!(format!("1595926300.{:06}", n + 1));
        if !(n == 0 && self.lose_first) {
            self.thread.lock().unwrap().push(msg.clone());
        }
        let answer = posted_ok();
        if n == 0 {
            answer.set_delay(Duration::from_secs(1))
        } else {
            answer
        }
    }

    fn replies(&self, req: &wiremock::Request) -> ResponseTemplate {
        let form = form_body(req);
        let metadata = form
            .iter()
            .any(|(k, v)| k == "include_all_metadata" && v == "true");
        let messages: Vec<Value> = self
            .thread
            .lock()
            .unwrap()
            .iter()
            .map(|m| {
                let mut shown =
                    json!({"type": "message", "bot_id": "B111", "text": m["text"], "ts": m["ts"]});
                if metadata && !m["metadata"].is_null() {
                    shown["metadata"] = m["metadata"].clone();
                }
                shown
            })
            .collect();
        ResponseTemplate::new(200)
            .set_body_json(json!({"ok": true, "has_more": false, "messages": messages}))
    }
}

/// A mention answered by a fake Slack that takes a second to answer the
/// post; the client gives up after 300 ms.
async fn answer_with_a_slow_post(slack: &SlowSlack) -> TestApp {
    let mut app = spawn_app_with(TestOptions {
        retry: testscope::slack::api::RetryPolicy {
            request_timeout: Duration::from_millis(300),
            ..fast_retry()
        },
        ..TestOptions::default()
    })
    .await;
    slack.mount(&app).await;
    let event = mention_event("EvSLOWPOST", CHANGE, MENTION_TS, None);
    assert_eq!(app.post_event(&event).await.status(), StatusCode::OK);
    wait_for_requests(&app.slack, "/conversations.replies", 1, WAIT).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    app.shutdown().await.expect("clean shutdown");
    app
}

#[tokio::test]
async fn a_reply_whose_post_timed_out_but_went_through_is_not_posted_again() {
    let slack = SlowSlack::default();
    let before = unix_now();
    let app = answer_with_a_slow_post(&slack).await;
    let after = unix_now();

    let posts = app.slack_requests("/chat.postMessage").await;
    assert_eq!(posts.len(), 1, "the reply was posted twice");
    let tag = &json_body(&posts[0])["metadata"];
    assert_eq!(tag["event_payload"]["event_id"], "EvSLOWPOST", "{tag}");
    let read = app.slack_requests("/conversations.replies").await;
    assert_eq!(read.len(), 1);
    // The search covers the attempt (with two minutes for the clocks to
    // differ), not the whole thread since the mention, which may be long
    // past: a long thread would hide the reply beyond the pages read.
    let params = form_body(&read[0]);
    let bound = |name: &str| -> i64 {
        let (_, v) = params.iter().find(|(k, _)| k == name).expect(name);
        v.split('.').next().unwrap().parse().unwrap()
    };
    let skew = testscope::slack::api::CLOCK_SKEW_SECS;
    assert!(
        (before - skew..=after - skew).contains(&bound("oldest")),
        "{params:?}"
    );
    assert!(
        (before + skew..=after + skew + 1).contains(&bound("latest")),
        "{params:?}"
    );
    assert_eq!(slack.thread.lock().unwrap().len(), 1);
}

fn unix_now() -> i64 {
    let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    i64::try_from(since.unwrap().as_secs()).unwrap()
}

#[tokio::test]
async fn a_reply_whose_post_timed_out_and_was_lost_is_posted_again_once() {
    let slack = SlowSlack {
        lose_first: true,
        ..SlowSlack::default()
    };
    let app = answer_with_a_slow_post(&slack).await;

    let posts = app.slack_requests("/chat.postMessage").await;
    assert_eq!(posts.len(), 2, "the lost reply was not posted again");
    assert_eq!(
        json_body(&posts[0])["metadata"],
        json_body(&posts[1])["metadata"]
    );
    let thread = slack.thread.lock().unwrap();
    assert_eq!(
        thread.len(),
        1,
        "exactly one answer in the thread: {thread:?}"
    );
}
