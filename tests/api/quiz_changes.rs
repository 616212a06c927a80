//! Who may change a channel's quiz, and the channel hearing about a change.

use std::time::Duration;

use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::helpers::*;

const WAIT: Duration = Duration::from_secs(5);

/// Slack says the bot is in C111, so subscribing may go ahead.
async fn mount_member_channel(app: &TestApp) {
    Mock::given(method("POST"))
        .and(path("/conversations.info"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "ok": true, "channel": {"id": "C111", "is_member": true, "is_archived": false}
        })))
        .named("conversations.info")
        .mount(&app.slack)
        .await;
}

async fn mount_post_message(app: &TestApp, times: u64) {
    Mock::given(method("POST"))
        .and(path("/chat.postMessage"))
        .respond_with(posted_ok())
        .expect(times)
        .named("chat.postMessage")
        .mount(&app.slack)
        .await;
}

/// `/testscope <text>` in C111 as `user`.
async fn run_as(app: &TestApp, user: &str, text: &str) -> Value {
    let body = command_body("/testscope", text).replace("user_id=W111", &format!("user_id={user}"));
    let resp = app.post_command(&body).await;
    assert_eq!(resp.status(), reqwest::StatusCode::OK);
    resp.json().await.expect("a JSON reply")
}

#[tokio::test]
async fn a_schedule_change_is_announced_in_the_channel_not_only_to_the_person() {
    // Arrange: no admins configured, so anyone in the channel may.
    let mut app = spawn_app().await;
    mount_member_channel(&app).await;
    mount_post_message(&app, 2).await;

    // Act
    let subscribed = run_as(&app, "W222", "quiz daily 09:00 UTC everyday").await;
    wait_for_requests(&app.slack, "/chat.postMessage", 1, WAIT).await;
    let stopped = run_as(&app, "W333", "quiz stop").await;
    wait_for_requests(&app.slack, "/chat.postMessage", 2, WAIT).await;
    app.shutdown().await.expect("clean shutdown");

    // Assert
    assert_eq!(subscribed["response_type"], "ephemeral", "{subscribed}");
    assert_eq!(stopped["response_type"], "ephemeral", "{stopped}");
    let posts: Vec<Value> = app
        .slack_requests("/chat.postMessage")
        .await
        .iter()
        .map(json_body)
        .collect();
    assert_eq!(posts[0]["channel"], "C111", "the channel itself hears it");
    let scheduled = posts[0]["text"].as_str().unwrap_or_default();
    assert!(
        scheduled.starts_with(
            "<@W222> scheduled this channel's quiz: a question every day at 09:00 (UTC). Next one: "
        ),
        "the channel should hear who set which schedule: {scheduled}"
    );
    assert_eq!(posts[1]["channel"], "C111");
    assert_eq!(posts[1]["text"], "<@W333> stopped this channel's quiz.");
}

#[tokio::test]
async fn with_quiz_admins_only_they_may_change_the_quiz_and_others_hear_who_can() {
    // Arrange
    let mut app = spawn_app_with(TestOptions {
        quiz_admins: "W900, W901",
        ..TestOptions::default()
    })
    .await;
    mount_member_channel(&app).await;
    mount_post_message(&app, 1).await;

    // Act: someone else tries to start and to stop it, then reads it;
    // an admin starts it.
    let refused = run_as(&app, "W111", "quiz daily 09:00 UTC").await;
    let refused_stop = run_as(&app, "W111", "quiz stop").await;
    let status = run_as(&app, "W111", "quiz status").await;
    let after_refusal = app.state().store.subscriptions().await.unwrap();
    let allowed = run_as(&app, "W901", "quiz daily 09:00 UTC").await;
    wait_for_requests(&app.slack, "/chat.postMessage", 1, WAIT).await;
    let subs = app.state().store.subscriptions().await.unwrap();
    app.shutdown().await.expect("clean shutdown");

    // Assert
    let expected = "Only <@W900> or <@W901> can start, change or stop the quiz here. Ask them, \
                    or see the current schedule with `/testscope quiz status`.";
    for reply in [&refused, &refused_stop] {
        assert_eq!(reply["response_type"], "ephemeral", "a refusal is private");
        assert_eq!(reply["text"], expected);
    }
    assert!(
        after_refusal.is_empty(),
        "a refused change changes nothing: {after_refusal:?}"
    );
    assert!(
        status["text"]
            .as_str()
            .is_some_and(|t| t.contains("no daily quiz")),
        "anyone may still read the quiz's status: {status}"
    );
    assert!(
        allowed["text"]
            .as_str()
            .is_some_and(|t| t.contains("09:00")),
        "an admin may: {allowed}"
    );
    assert_eq!(subs.len(), 1, "the admin's schedule was saved");
    let post = json_body(&app.slack_requests("/chat.postMessage").await[0]);
    assert!(
        post["text"]
            .as_str()
            .is_some_and(|t| t.starts_with("<@W901> scheduled")),
        "only the admin's change is announced: {post}"
    );
}
