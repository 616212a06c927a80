//! Events API: the URL handshake and answering @mentions in review threads.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};
use wiremock::matchers::{body_string_contains, method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::helpers::*;

const WAIT: Duration = Duration::from_secs(5);
const MENTION_TS: &str = "1595926230.009600";
const ROOT_TS: &str = "1595926000.000100";
const LR_CHANGE: &str = "we bumped the learning rate from 0.01 to 0.001";

async fn mount_post_message(app: &TestApp, response: ResponseTemplate, times: u64) {
    Mock::given(method("POST"))
        .and(path("/chat.postMessage"))
        .respond_with(response)
        .expect(times)
        .named("chat.postMessage")
        .mount(&app.slack)
        .await;
}

async fn assert_acked(resp: reqwest::Response, what: &str) {
    let (status, body) = body_text(resp).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "{what}: Slack must get a 200 or it retries the delivery; body {body:?}"
    );
}

#[tokio::test]
async fn url_verification_echoes_the_challenge() {
    // Arrange
    let app = spawn_app().await;
    let challenge = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P";

    // Act
    let resp = app
        .post_event(&json!({
            "token": "Jhj5dZrVaK7ZwHHjRyZWjbDl",
            "challenge": challenge,
            "type": "url_verification"
        }))
        .await;

    // Assert
    assert_eq!(resp.status(), StatusCode::OK);
    let content_type = resp.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    let body: Value = resp.json().await.expect("JSON");
    assert_eq!(
        body,
        json!({"challenge": challenge}),
        "Slack would refuse to save the Request URL"
    );
}

#[tokio::test]
async fn a_vague_mention_in_a_thread_is_answered_from_the_humans_in_the_thread() {
    // Arrange: the parent describes a hyperparameter change; another bot
    // announced a prod release, which must not count as the change.
    let mut app = spawn_app().await;
    Mock::given(method("POST"))
        .and(path("/conversations.replies"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "ok": true,
            "has_more": false,
            "messages": [
                {"type": "message", "user": "W333", "text": LR_CHANGE, "ts": ROOT_TS, "thread_ts": ROOT_TS, "reply_count": 3},
                {"type": "message", "user": "U0OTHERBOT", "bot_id": "B999", "app_id": "A999",
                 "text": "deploying the new model to prod, promotion release", "ts": "1595926100.000200", "thread_ts": ROOT_TS},
                {"type": "message", "user": "W444", "text": "looks good to me", "ts": "1595926200.000300", "thread_ts": ROOT_TS},
                {"type": "message", "user": "W222", "text": "<@UBOT> can you take a look?", "ts": MENTION_TS, "thread_ts": ROOT_TS}
            ]
        })))
        .expect(1)
        .named("conversations.replies")
        .mount(&app.slack)
        .await;
    mount_post_message(&app, posted_ok(), 1).await;

    // Act
    let resp = app
        .post_event(&mention_event(
            "Ev111",
            "<@UBOT> can you take a look?",
            MENTION_TS,
            Some(ROOT_TS),
        ))
        .await;
    assert_acked(resp, "mention in a thread").await;
    wait_for_requests(&app.slack, "/chat.postMessage", 1, WAIT).await;
    app.shutdown().await.expect("clean shutdown");

    // Assert
    let read = app.slack_requests("/conversations.replies").await;
    let params = form_body(&read[0]);
    assert!(
        params.contains(&("channel".into(), "C111".into()))
            && params.contains(&("ts".into(), ROOT_TS.into())),
        "the thread read should be for C111 / {ROOT_TS}, was {params:?}"
    );
    let posts = app.slack_requests("/chat.postMessage").await;
    assert_eq!(posts.len(), 1, "the thread should get exactly one reply");
    let reply = json_body(&posts[0]);
    assert_fits_slack_limits(&reply);
    assert_eq!(reply["channel"], "C111", "reply went to the wrong channel");
    assert_eq!(
        reply["thread_ts"], ROOT_TS,
        "the reply should sit in the review thread, under its root"
    );
    let text = message_text(&reply);
    assert!(
        headline(&reply).starts_with("Integration tests"),
        "a learning-rate change needs integration tests, the thread got: {}",
        headline(&reply)
    );
    assert!(
        !text.contains("Release-gating"),
        "the other bot's prod-release message leaked into the advice:\n{text}"
    );
    // The thread gets the first screen; the rest is one click away.
    assert!(!text.contains("Read from your message"), "{text}");
    let details = reply["blocks"]
        .as_array()
        .and_then(|b| b.iter().find(|b| b["type"] == "actions"))
        .map(|a| a["elements"][0].clone())
        .expect("a Details button under the thread reply");
    assert_eq!(details["action_id"], "details");
    let id = details["value"].as_str().unwrap();
    let shown = recorded_question(&app, id).await;
    assert!(
        shown.is_some_and(|s| s.shown_in == "thread"),
        "the question behind the button was recorded as answered in a thread"
    );
}

#[tokio::test]
async fn a_mention_outside_a_thread_that_describes_a_change_starts_a_thread_under_it() {
    // Arrange
    let mut app = spawn_app().await;
    Mock::given(path("/conversations.replies"))
        .respond_with(slack_error("thread_not_found"))
        .expect(0)
        .named("conversations.replies")
        .mount(&app.slack)
        .await;
    mount_post_message(&app, posted_ok(), 1).await;

    // Act
    let resp = app
        .post_event(&mention_event(
            "Ev222",
            &format!("<@UBOT> {LR_CHANGE}"),
            MENTION_TS,
            None,
        ))
        .await;
    assert_acked(resp, "mention").await;
    wait_for_requests(&app.slack, "/chat.postMessage", 1, WAIT).await;
    app.shutdown().await.expect("clean shutdown");

    // Assert
    let posts = app.slack_requests("/chat.postMessage").await;
    assert_eq!(posts.len(), 1);
    let reply = json_body(&posts[0]);
    assert_fits_slack_limits(&reply);
    assert_eq!(reply["channel"], "C111");
    assert_eq!(
        reply["thread_ts"], MENTION_TS,
        "the answer should start a thread under the mention"
    );
    assert_eq!(headline(&reply), "Integration tests in test (staging)");
    assert!(
        reply["text"].as_str().is_some_and(|t| !t.is_empty()),
        "notifications need a fallback text"
    );
}

#[tokio::test]
async fn a_retried_delivery_is_answered_once_even_across_a_restart() {
    // Arrange
    let mut app = spawn_app().await;
    mount_post_message(&app, posted_ok(), 1).await;
    let event = mention_event("EvDUP", &format!("<@UBOT> {LR_CHANGE}"), MENTION_TS, None);

    // Act: the first delivery, then Slack's three retries of it.
    assert_acked(app.post_event(&event).await, "first delivery").await;
    for n in ["1", "2", "3"] {
        let resp = app
            .post_event_with_headers(
                &event,
                &[
                    ("x-slack-retry-num", n),
                    ("x-slack-retry-reason", "http_timeout"),
                ],
            )
            .await;
        assert_acked(resp, &format!("retry {n}")).await;
    }
    wait_for_requests(&app.slack, "/chat.postMessage", 1, WAIT).await;
    // A restart on the same database must still remember the event.
    app.restart().await;
    let resp = app
        .post_event_with_headers(
            &event,
            &[
                ("x-slack-retry-num", "3"),
                ("x-slack-retry-reason", "http_timeout"),
            ],
        )
        .await;
    assert_acked(resp, "retry after a restart").await;
    app.shutdown().await.expect("clean shutdown");

    // Assert
    assert_eq!(
        app.slack_requests("/chat.postMessage").await.len(),
        1,
        "the thread would show the same answer more than once"
    );
}

#[tokio::test]
async fn a_first_seen_delivery_marked_as_a_retry_is_answered() {
    // Arrange: the original delivery never reached us (e.g. we were down).
    let mut app = spawn_app().await;
    mount_post_message(&app, posted_ok(), 1).await;
    let event = mention_event("EvLATE", &format!("<@UBOT> {LR_CHANGE}"), MENTION_TS, None);

    // Act
    let resp = app
        .post_event_with_headers(
            &event,
            &[
                ("x-slack-retry-num", "1"),
                ("x-slack-retry-reason", "connection_failed"),
            ],
        )
        .await;
    assert_acked(resp, "first-seen retry").await;
    wait_for_requests(&app.slack, "/chat.postMessage", 1, WAIT).await;
    app.shutdown().await.expect("clean shutdown");

    // Assert
    assert_eq!(app.slack_requests("/chat.postMessage").await.len(), 1);
}

#[tokio::test]
async fn bots_and_the_bot_itself_get_no_answer() {
    // Arrange
    let mut app = spawn_app().await;
    mount_post_message(&app, posted_ok(), 1).await;
    let text = format!("<@UBOT> {LR_CHANGE}");
    let mut other_bot = mention_event("EvBOT1", &text, "1595926231.000001", None);
    other_bot["event"]["bot_id"] = json!("B999");
    other_bot["event"]["user"] = json!("U0OTHERBOT");
    let mut legacy_bot = mention_event("EvBOT2", &text, "1595926232.000002", None);
    legacy_bot["event"]["subtype"] = json!("bot_message");
    legacy_bot["event"]["bot_id"] = json!("B998");
    legacy_bot["event"]
        .as_object_mut()
        .expect("event object")
        .remove("user");
    let mut myself = mention_event("EvSELF", &text, "1595926233.000003", None);
    myself["event"]["user"] = json!(BOT_USER);
    // A human afterwards, to prove the pipeline works at all.
    let human = mention_event("EvHUMAN", &text, "1595926234.000004", None);

    // Act
    for (event, what) in [
        (&other_bot, "another bot's mention"),
        (&legacy_bot, "a bot_message mention"),
        (&myself, "the bot's own mention"),
        (&human, "a human's mention"),
    ] {
        assert_acked(app.post_event(event).await, what).await;
    }
    wait_for_requests(&app.slack, "/chat.postMessage", 1, WAIT).await;
    app.shutdown().await.expect("clean shutdown");

    // Assert
    let posts = app.slack_requests("/chat.postMessage").await;
    let answered: Vec<Value> = posts
        .iter()
        .map(|p| json_body(p)["thread_ts"].clone())
        .collect();
    assert_eq!(
        answered,
        vec![json!("1595926234.000004")],
        "only the human should get an answer; bots answering bots can loop forever"
    );
}

#[tokio::test]
async fn rate_limited_post_waits_for_retry_after_and_posts_once() {
    // Arrange
    let app = spawn_app().await;
    Mock::given(method("POST"))
        .and(path("/chat.postMessage"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "1")
                .set_body_json(json!({"ok": false, "error": "ratelimited"})),
        )
        .up_to_n_times(1)
        .expect(1)
        .named("chat.postMessage 429")
        .mount(&app.slack)
        .await;
    mount_post_message(&app, posted_ok(), 1).await;
    let started = Instant::now();

    // Act
    let resp = app
        .post_event(&mention_event(
            "EvRL",
            &format!("<@UBOT> {LR_CHANGE}"),
            MENTION_TS,
            None,
        ))
        .await;
    assert_acked(resp, "mention").await;
    let acked_after = started.elapsed();
    let posts = wait_for_requests(&app.slack, "/chat.postMessage", 2, WAIT).await;
    let retried_after = started.elapsed();

    // Assert
    assert!(
        acked_after < Duration::from_millis(900),
        "the event must be acked at once, not after the rate limit ({acked_after:?})"
    );
    assert!(
        retried_after >= Duration::from_millis(950),
        "the retry came before Retry-After: 1 elapsed ({retried_after:?})"
    );
    assert_eq!(
        posts[0].body, posts[1].body,
        "the retry should re-send the same message"
    );
}

#[tokio::test]
async fn a_server_error_on_the_reply_is_searched_for_then_posted_once_more() {
    // Arrange: a 500 may come after Slack posted; this thread shows it did not.
    let mut app = spawn_app().await;
    Mock::given(method("POST"))
        .and(path("/chat.postMessage"))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(1)
        .expect(1)
        .named("chat.postMessage 500")
        .mount(&app.slack)
        .await;
    Mock::given(method("POST"))
        .and(path("/conversations.replies"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"ok": true, "has_more": false, "messages": []})),
        )
        .mount(&app.slack)
        .await;
    mount_post_message(&app, posted_ok(), 1).await;

    // Act
    let resp = app
        .post_event(&mention_event(
            "Ev500",
            &format!("<@UBOT> {LR_CHANGE}"),
            MENTION_TS,
            None,
        ))
        .await;
    assert_acked(resp, "mention").await;
    wait_for_requests(&app.slack, "/chat.postMessage", 2, WAIT).await;
    app.shutdown().await.expect("clean shutdown");

    // Assert
    assert_eq!(
        app.slack_requests("/conversations.replies").await.len(),
        1,
        "the thread is searched once before posting again"
    );
    assert_eq!(
        app.slack_requests("/chat.postMessage").await.len(),
        2,
        "500, thread read, 200: one message"
    );
}

#[tokio::test]
async fn not_in_channel_is_not_retried_and_the_asker_gets_an_invite_hint() {
    // Arrange
    let mut app = spawn_app().await;
    mount_post_message(&app, slack_error("not_in_channel"), 1).await;
    Mock::given(method("POST"))
        .and(path("/chat.postEphemeral"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"ok": true, "message_ts": "1502210682.580145"})),
        )
        .expect(1)
        .named("chat.postEphemeral")
        .mount(&app.slack)
        .await;

    // Act
    let resp = app
        .post_event(&mention_event(
            "EvNIC",
            &format!("<@UBOT> {LR_CHANGE}"),
            MENTION_TS,
            None,
        ))
        .await;
    assert_acked(resp, "mention").await;
    wait_for_requests(&app.slack, "/chat.postEphemeral", 1, WAIT).await;
    app.shutdown().await.expect("clean shutdown");

    // Assert
    assert_eq!(
        app.slack_requests("/chat.postMessage").await.len(),
        1,
        "not_in_channel will not change on a retry"
    );
    let hint = json_body(&app.slack_requests("/chat.postEphemeral").await[0]);
    assert_eq!(hint["channel"], "C111");
    assert_eq!(
        hint["user"], "W222",
        "the hint goes to whoever mentioned the bot"
    );
    assert!(
        hint["text"].as_str().is_some_and(|t| t.contains("/invite")),
        "the asker should learn how to invite the bot: {hint}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_duplicate_deliveries_are_answered_once() {
    // Arrange: Slack's retry can overlap the original delivery.
    let mut app = spawn_app().await;
    mount_post_message(&app, posted_ok(), 1).await;
    let event = mention_event("EvRACE", &format!("<@UBOT> {LR_CHANGE}"), MENTION_TS, None);
    let deliver = |retry: &'static str| {
        let (app, event) = (&app, &event);
        async move {
            app.post_event_with_headers(event, &[("x-slack-retry-num", retry)])
                .await
                .status()
        }
    };

    // Act
    let statuses = tokio::join!(
        deliver("0"),
        deliver("1"),
        deliver("2"),
        deliver("3"),
        deliver("3")
    );
    wait_for_requests(&app.slack, "/chat.postMessage", 1, WAIT).await;
    app.shutdown().await.expect("clean shutdown");

    // Assert
    let statuses = [statuses.0, statuses.1, statuses.2, statuses.3, statuses.4];
    assert!(
        statuses.iter().all(|s| *s == StatusCode::OK),
        "{statuses:?}"
    );
    assert_eq!(
        app.slack_requests("/chat.postMessage").await.len(),
        1,
        "overlapping deliveries of one event produced several answers"
    );
}

#[tokio::test]
async fn a_thread_that_cannot_be_read_still_gets_an_answer() {
    // Arrange: e.g. the app was installed without channels:history.
    let mut app = spawn_app().await;
    Mock::given(method("POST"))
        .and(path("/conversations.replies"))
        .respond_with(slack_error("missing_scope"))
        .expect(1)
        .named("conversations.replies")
        .mount(&app.slack)
        .await;
    mount_post_message(&app, posted_ok(), 1).await;

    // Act
    let resp = app
        .post_event(&mention_event(
            "EvNOSCOPE",
            "<@UBOT> can you take a look?",
            MENTION_TS,
            Some(ROOT_TS),
        ))
        .await;
    assert_acked(resp, "mention").await;
    wait_for_requests(&app.slack, "/chat.postMessage", 1, WAIT).await;
    app.shutdown().await.expect("clean shutdown");

    // Assert: silence would look like the bot is broken.
    let reply = json_body(&app.slack_requests("/chat.postMessage").await[0]);
    assert_fits_slack_limits(&reply);
    assert_eq!(reply["thread_ts"], ROOT_TS);
    assert!(
        message_text(&reply).contains("Mention me with a description of the change"),
        "the user should learn how to ask: {reply:#}"
    );
}

#[tokio::test]
async fn a_change_described_in_a_reply_also_sent_to_the_channel_counts() {
    // Arrange: the author ticked "Also send to #channel", so Slack stores the
    // reply with subtype `thread_broadcast`. It is still a human's message.
    let mut app = spawn_app().await;
    Mock::given(method("POST"))
        .and(path("/conversations.replies"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "ok": true,
            "has_more": false,
            "messages": [
                {"type": "message", "user": "W333", "text": "PR #42 is up for review", "ts": ROOT_TS, "thread_ts": ROOT_TS, "reply_count": 2},
                {"type": "message", "subtype": "thread_broadcast", "user": "W333", "text": LR_CHANGE,
                 "ts": "1595926100.000200", "thread_ts": ROOT_TS, "root": {"ts": ROOT_TS}},
                {"type": "message", "user": "W222", "text": "<@UBOT> can you take a look?", "ts": MENTION_TS, "thread_ts": ROOT_TS}
            ]
        })))
        .expect(1)
        .named("conversations.replies")
        .mount(&app.slack)
        .await;
    mount_post_message(&app, posted_ok(), 1).await;

    // Act
    let resp = app
        .post_event(&mention_event(
            "EvBCAST",
            "<@UBOT> can you take a look?",
            MENTION_TS,
            Some(ROOT_TS),
        ))
        .await;
    assert_acked(resp, "mention").await;
    wait_for_requests(&app.slack, "/chat.postMessage", 1, WAIT).await;
    app.shutdown().await.expect("clean shutdown");

    // Assert
    let reply = json_body(&app.slack_requests("/chat.postMessage").await[0]);
    assert_eq!(
        headline(&reply),
        "Integration tests in test (staging)",
        "the thread describes a learning-rate change, but the bot answered as if it described nothing"
    );
}

#[tokio::test]
async fn a_long_thread_is_read_past_its_first_page() {
    // Arrange: Slack pages conversations.replies; the description is on page 2.
    let mut app = spawn_app().await;
    Mock::given(method("POST"))
        .and(path("/conversations.replies"))
        .and(body_string_contains("cursor=bmV4dF90czoxNTk1OTI2MjAw"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "ok": true,
            "has_more": false,
            "messages": [
                {"type": "message", "user": "W333", "text": "PR #42 is up for review", "ts": ROOT_TS, "thread_ts": ROOT_TS},
                {"type": "message", "user": "W444", "text": LR_CHANGE, "ts": "1595926200.000300", "thread_ts": ROOT_TS},
                {"type": "message", "user": "W222", "text": "<@UBOT> can you take a look?", "ts": MENTION_TS, "thread_ts": ROOT_TS}
            ],
            "response_metadata": {"next_cursor": ""}
        })))
        .expect(1)
        .named("conversations.replies page 2")
        .mount(&app.slack)
        .await;
    Mock::given(method("POST"))
        .and(path("/conversations.replies"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "ok": true,
            "has_more": true,
            "messages": [
                {"type": "message", "user": "W333", "text": "PR #42 is up for review", "ts": ROOT_TS, "thread_ts": ROOT_TS, "reply_count": 2},
                {"type": "message", "user": "W555", "text": "thanks, having a look", "ts": "1595926100.000200", "thread_ts": ROOT_TS}
            ],
            "response_metadata": {"next_cursor": "bmV4dF90czoxNTk1OTI2MjAw"}
        })))
        .expect(1)
        .named("conversations.replies page 1")
        .mount(&app.slack)
        .await;
    mount_post_message(&app, posted_ok(), 1).await;

    // Act
    let resp = app
        .post_event(&mention_event(
            "EvPAGES",
            "<@UBOT> can you take a look?",
            MENTION_TS,
            Some(ROOT_TS),
        ))
        .await;
    assert_acked(resp, "mention").await;
    wait_for_requests(&app.slack, "/chat.postMessage", 1, WAIT).await;
    app.shutdown().await.expect("clean shutdown");

    // Assert
    let reply = json_body(&app.slack_requests("/chat.postMessage").await[0]);
    assert_eq!(
        headline(&reply),
        "Integration tests in test (staging)",
        "the learning-rate change on the thread's second page was missed"
    );
}

/// A `message.im` delivery: a direct message to the bot.
fn direct_message(event_id: &str, extra: &Value) -> Value {
    let mut event = json!({
        "type": "message",
        "channel_type": "im",
        "text": LR_CHANGE,
        "user": "W222",
        "ts": "1595926300.000100",
        "channel": "D0DM",
        "event_ts": "1595926300.000100",
    });
    if let (Some(e), Some(x)) = (event.as_object_mut(), extra.as_object()) {
        for (k, v) in x {
            e.insert(k.clone(), v.clone());
        }
    }
    json!({
        "token": "verification_token",
        "team_id": "T111",
        "api_app_id": "A111",
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": 1_595_926_300,
    })
}

#[tokio::test]
async fn a_direct_message_is_answered_once_in_the_dm_with_the_buttons() {
    // Arrange
    let mut app = spawn_app().await;
    mount_post_message(&app, posted_ok(), 1).await;
    let dm = direct_message("EvDM1", &json!({}));

    // Act: the delivery and Slack's retry of it.
    assert_acked(app.post_event(&dm).await, "a direct message").await;
    wait_for_requests(&app.slack, "/chat.postMessage", 1, WAIT).await;
    let retry = app
        .post_event_with_headers(
            &dm,
            &[
                ("x-slack-retry-num", "1"),
                ("x-slack-retry-reason", "http_timeout"),
            ],
        )
        .await;
    assert_acked(retry, "a retried direct message").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    app.shutdown().await.expect("clean shutdown");

    // Assert
    let posts = app.slack_requests("/chat.postMessage").await;
    assert_eq!(posts.len(), 1, "a direct message is answered once");
    let reply = json_body(&posts[0]);
    assert_eq!(reply["channel"], "D0DM", "the answer goes to the DM");
    assert!(
        reply.get("thread_ts").is_none(),
        "answered in the conversation, not a thread"
    );
    assert!(reply.get("response_type").is_none());
    assert_fits_slack_limits(&reply);
    assert!(
        headline(&reply).starts_with("Integration tests"),
        "{reply:#}"
    );
    let ids: Vec<&str> = reply["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["type"] == "actions")
        .flat_map(|b| b["elements"].as_array().unwrap().iter())
        .filter_map(|e| e["action_id"].as_str())
        .collect();
    assert_eq!(
        ids,
        ["share", "feedback_helpful", "feedback_not_quite", "details"]
    );
    let id = reply["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["type"] == "actions")
        .map(|b| b["elements"][0]["value"].as_str().unwrap().to_owned())
        .unwrap();
    assert!(
        recorded_question(&app, &id).await.is_some(),
        "the buttons' answer was recorded"
    );
}

#[tokio::test]
async fn bot_messages_edits_and_channel_messages_are_never_answered() {
    // Arrange
    let mut app = spawn_app().await;
    mount_post_message(&app, posted_ok(), 0).await;
    let cases = [
        direct_message(
            "EvBot",
            &json!({"bot_id": "B999", "subtype": "bot_message"}),
        ),
        direct_message("EvBot2", &json!({"bot_id": "B999"})),
        direct_message("EvEdit", &json!({"subtype": "message_changed"})),
        direct_message("EvJoin", &json!({"subtype": "channel_join"})),
        direct_message(
            "EvChannel",
            &json!({"channel_type": "channel", "channel": "C111"}),
        ),
    ];

    // Act
    for event in &cases {
        assert_acked(app.post_event(event).await, "a message not to answer").await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    app.shutdown().await.expect("clean shutdown");

    // Assert (the mock expects no post at all)
    assert!(app.slack_requests("/chat.postMessage").await.is_empty());
}

#[tokio::test]
async fn opening_home_publishes_the_persons_quiz_record_and_the_next_posts() {
    // Arrange: Wednesday 25 November 2026, 10:00 UTC. C1 has a quiz at 09:00
    // Berlin time; W222 answered its post of the day correctly.
    let now = "2026-11-25T10:00:00Z"
        .parse::<jiff::Timestamp>()
        .unwrap()
        .as_second();
    let clock = std::sync::Arc::new(testscope::clock::FixedClock::new(now));
    let mut app = spawn_app_with(TestOptions::default().with_clock(clock)).await;
    Mock::given(method("POST"))
        .and(path("/views.publish"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .expect(1)
        .named("views.publish")
        .mount(&app.slack)
        .await;
    let store = &app.state().store;
    store
        .upsert_subscription(&testscope::store::Subscription {
            channel_id: "C1".into(),
            team_id: "T111".into(),
            schedule: "09:00 Europe/Berlin mon-fri".into(),
            source: "slack".into(),
            created_by: Some("W222".into()),
            created_at: now - 86_400,
        })
        .await
        .unwrap();
    let claim = testscope::store::PostClaim {
        channel_id: "C1".into(),
        post_id: "2026-11-25".into(),
        local_date: "2026-11-25".into(),
        question_id: "q1".into(),
        lease_secs: 120,
    };
    store.claim_quiz_post(&claim, now - 3600).await.unwrap();
    store
        .mark_quiz_posted(
            "C1",
            "2026-11-25",
            "1764057600.000100",
            now - 3600,
            now + 36_000,
        )
        .await
        .unwrap();
    store
        .record_quiz_answer(&testscope::store::QuizAnswer {
            channel_id: "C1".into(),
            post_id: "2026-11-25".into(),
            question_id: "q1".into(),
            user_id: "W222".into(),
            option: 0,
            correct: true,
            answered_at: now - 60,
        })
        .await
        .unwrap();
    let opened = json!({
        "token": "verification_token", "team_id": "T111", "api_app_id": "A111",
        "type": "event_callback", "event_id": "EvHome", "event_time": now,
        "event": {"type": "app_home_opened", "user": "W222", "channel": "D0DM", "tab": "home",
                  "event_ts": "1764064800.000100"},
    });

    // Act
    assert_acked(app.post_event(&opened).await, "app_home_opened").await;
    wait_for_requests(&app.slack, "/views.publish", 1, WAIT).await;
    app.shutdown().await.expect("clean shutdown");

    // Assert
    let published = json_body(&app.slack_requests("/views.publish").await[0]);
    assert_eq!(
        published["user_id"], "W222",
        "the Home tab of the person who opened it"
    );
    let view = &published["view"];
    assert_eq!(view["type"], "home");
    assert!(view["blocks"].as_array().unwrap().len() <= 100);
    let text = message_text(view);
    assert!(
        text.contains("<#C1>: 1 answered, 1 correct (100%), streak 1, rank 1"),
        "{text}"
    );
    assert!(
        text.contains("next question Thu 26 Nov, 09:00 CET"),
        "{text}"
    );
    insta::assert_json_snapshot!("home_tab", view);
}
