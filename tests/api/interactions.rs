//! Buttons under advice and the "Recommend test scope" message shortcut.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::helpers::*;

const WAIT: Duration = Duration::from_secs(5);
const QUESTION: &str = "we bumped max_depth and changed the pyfunc wrapper";
/// A general question: answered whole, with the words it was read from.
const CONCEPT_QUESTION: &str = "which stage do load tests belong to?";
const RESPONSE_PATH: &str = "/actions/T111/111/random-value";

async fn mount_response_url(app: &TestApp, times: u64) {
    Mock::given(method("POST"))
        .and(path(RESPONSE_PATH))
        .respond_with(response_url_ok())
        .expect(times)
        .named("response_url")
        .mount(&app.slack)
        .await;
}

fn response_url(app: &TestApp) -> String {
    format!("{}{RESPONSE_PATH}", app.slack.uri())
}

async fn click(app: &TestApp, action_id: &str, value: &str) {
    let resp = app
        .post_interaction(&block_actions(action_id, value, &response_url(app)))
        .await;
    let (status, body) = body_text(resp).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "Slack shows an error on a non-200 click"
    );
    assert_eq!(body, "", "a click is acknowledged with an empty body");
}

/// Asks `/testscope question` and returns the private reply and the id its
/// buttons carry.
async fn ask(app: &TestApp, question: &str) -> (serde_json::Value, String) {
    let resp = app
        .post_command(&command_body("/testscope", question))
        .await;
    let (status, body) = body_text(resp).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let reply: serde_json::Value = serde_json::from_str(&body).expect("a JSON reply");
    let values: Vec<String> = reply["blocks"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|b| b["type"] == "actions")
        .flat_map(|b| b["elements"].as_array().cloned().unwrap_or_default())
        .filter_map(|e| e["value"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(
        values.len(),
        4,
        "Share / Helpful / Not quite / Details: {reply:#}"
    );
    assert!(
        values.iter().all(|v| *v == values[0]),
        "all four buttons point at the same answer: {values:?}"
    );
    (reply, values[0].clone())
}

#[tokio::test]
async fn share_posts_the_advice_in_channel_quoting_the_question_and_naming_who_shared_it() {
    // Arrange
    let mut app = spawn_app().await;
    mount_response_url(&app, 2).await;
    let (_, id) = ask(&app, QUESTION).await;

    // Act
    click(&app, "share", &id).await;
    wait_for_requests(&app.slack, RESPONSE_PATH, 2, WAIT).await;
    app.shutdown().await.expect("clean shutdown");

    // Assert
    let sent = app.slack_requests(RESPONSE_PATH).await;
    assert_eq!(
        sent.len(),
        2,
        "one shared message, then the private one replaced"
    );
    let msg = json_body(&sent[0]);
    assert_fits_slack_limits(&msg);
    assert_eq!(
        msg["response_type"], "in_channel",
        "shared advice must be visible to the whole channel"
    );
    assert_eq!(
        msg["replace_original"], false,
        "the private copy should stay"
    );
    assert_eq!(headline(&msg), "Integration tests in test (staging)");
    assert_eq!(
        msg["blocks"][1]["text"]["text"],
        format!("*The question*\n> {QUESTION}"),
        "the channel should see which question the answer is for, right under the verdict"
    );
    let context = msg["blocks"]
        .as_array()
        .and_then(|b| b.iter().rev().find(|b| b["type"] == "context"))
        .map(|b| b["elements"][0]["text"].clone());
    assert_eq!(
        context,
        Some(json!("Shared by <@W111>")),
        "the channel should see who shared it"
    );
}

#[tokio::test]
async fn after_sharing_the_private_answer_keeps_its_buttons_but_share() {
    // Arrange
    let mut app = spawn_app().await;
    mount_response_url(&app, 2).await;
    let (private, id) = ask(&app, QUESTION).await;

    // Act
    click(&app, "share", &id).await;
    wait_for_requests(&app.slack, RESPONSE_PATH, 2, WAIT).await;
    app.shutdown().await.expect("clean shutdown");

    // Assert
    let replaced = json_body(&app.slack_requests(RESPONSE_PATH).await[1]);
    assert_fits_slack_limits(&replaced);
    assert_eq!(
        replaced["replace_original"], true,
        "the private answer is replaced in place"
    );
    assert_eq!(replaced["response_type"], "ephemeral", "and stays private");
    let buttons: Vec<(String, String)> = replaced["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["type"] == "actions")
        .flat_map(|b| b["elements"].as_array().cloned().unwrap_or_default())
        .map(|e| {
            (
                e["action_id"].as_str().unwrap().to_owned(),
                e["value"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected: Vec<(String, String)> = ["feedback_helpful", "feedback_not_quite", "details"]
        .iter()
        .map(|a| ((*a).to_owned(), id.clone()))
        .collect();
    assert_eq!(
        buttons, expected,
        "Share is gone; the other buttons still act on the same answer"
    );
    let without_buttons = |m: &serde_json::Value| -> Vec<serde_json::Value> {
        m["blocks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|b| b["type"] != "actions")
            .cloned()
            .collect()
    };
    assert_eq!(
        without_buttons(&replaced),
        without_buttons(&private),
        "the answer itself is unchanged"
    );
}

#[tokio::test]
async fn a_shared_answer_to_a_question_says_it_was_read_from_the_question() {
    // Arrange: a general question is answered whole, words read included.
    let mut app = spawn_app().await;
    mount_response_url(&app, 2).await;
    let resp = app
        .post_command(&command_body("/testscope", CONCEPT_QUESTION))
        .await;
    let (_, body) = body_text(resp).await;
    let private: serde_json::Value = serde_json::from_str(&body).expect("a JSON reply");
    assert!(
        message_text(&private).contains("Read from your message"),
        "the asker reads what was read from their message: {private:#}"
    );
    let id = private["blocks"]
        .as_array()
        .and_then(|b| b.iter().find(|b| b["type"] == "actions"))
        .and_then(|a| a["elements"][0]["value"].as_str())
        .expect("buttons under the answer")
        .to_owned();

    // Act
    click(&app, "share", &id).await;
    wait_for_requests(&app.slack, RESPONSE_PATH, 2, WAIT).await;
    app.shutdown().await.expect("clean shutdown");

    // Assert
    let shared = json_body(&app.slack_requests(RESPONSE_PATH).await[0]);
    let text = message_text(&shared);
    assert!(text.contains("Read from the question:"), "{text}");
    assert!(
        !text.contains("your message"),
        "the channel did not write the question: {text}"
    );
}

#[tokio::test]
async fn helpful_thanks_the_user_and_records_the_vote() {
    // Arrange
    let mut app = spawn_app().await;
    mount_response_url(&app, 1).await;

    let (_, id) = ask(&app, QUESTION).await;

    // Act
    click(&app, "feedback_helpful", &id).await;
    wait_for_requests(&app.slack, RESPONSE_PATH, 1, WAIT).await;
    app.shutdown().await.expect("clean shutdown");

    // Assert
    let msg = json_body(&app.slack_requests(RESPONSE_PATH).await[0]);
    assert_eq!(msg["response_type"], "ephemeral");
    assert_eq!(msg["replace_original"], false);
    assert_eq!(msg["text"], "Thanks! Glad it helped.");
    let counts = app
        .state()
        .store
        .feedback_counts()
        .await
        .expect("store readable");
    assert_eq!(counts, (1, 0), "the Helpful vote was not stored");
}

#[tokio::test]
async fn changing_your_mind_replaces_your_vote() {
    // Arrange
    let mut app = spawn_app().await;
    mount_response_url(&app, 2).await;

    let (_, id) = ask(&app, QUESTION).await;

    // Act
    click(&app, "feedback_helpful", &id).await;
    wait_for_requests(&app.slack, RESPONSE_PATH, 1, WAIT).await;
    click(&app, "feedback_not_quite", &id).await;
    wait_for_requests(&app.slack, RESPONSE_PATH, 2, WAIT).await;
    app.shutdown().await.expect("clean shutdown");

    // Assert
    let counts = app
        .state()
        .store
        .feedback_counts()
        .await
        .expect("store readable");
    assert_eq!(counts, (0, 1), "one person, one vote: the later click wins");
}

#[tokio::test]
async fn share_posts_exactly_the_advice_shown_even_for_a_question_longer_than_a_button_holds() {
    // Arrange: a question far past Slack's 2,000-character button value,
    // whose last words change the answer.
    let mut app = spawn_app().await;
    mount_response_url(&app, 2).await;
    let padding = "Context for reviewers follows. ".repeat(80);
    let question =
        format!("one transformation function changed. {padding} Also we bumped the learning rate.");
    assert!(question.chars().count() > 2_000);
    let (private, id) = ask(&app, &question).await;
    assert!(
        id.len() < 100,
        "the button carries an id, not the question: {id}"
    );

    // Act
    click(&app, "share", &id).await;
    wait_for_requests(&app.slack, RESPONSE_PATH, 2, WAIT).await;
    app.shutdown().await.expect("clean shutdown");

    // Assert: the channel sees what the person saw, buttons aside, with
    // the question quoted under the header.
    let shared = json_body(&app.slack_requests(RESPONSE_PATH).await[0]);
    let seen: Vec<_> = private["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["type"] != "actions")
        .cloned()
        .collect();
    let posted = shared["blocks"].as_array().unwrap();
    assert_eq!(posted[0], seen[0], "the same verdict");
    assert_eq!(
        &posted[2..posted.len() - 1],
        &seen[1..],
        "Share must post the advice shown, for the whole question"
    );
    assert_eq!(headline(&shared), headline(&private));
}

#[tokio::test]
async fn details_shows_the_whole_advice_privately() {
    // Arrange
    let mut app = spawn_app().await;
    mount_response_url(&app, 1).await;
    let (first, id) = ask(&app, QUESTION).await;
    assert!(
        !message_text(&first).contains("Read from your message"),
        "the first screen leaves what was read for Details"
    );

    // Act
    click(&app, "details", &id).await;
    wait_for_requests(&app.slack, RESPONSE_PATH, 1, WAIT).await;
    app.shutdown().await.expect("clean shutdown");

    // Assert
    let msg = json_body(&app.slack_requests(RESPONSE_PATH).await[0]);
    assert_eq!(
        msg["response_type"], "ephemeral",
        "Details is for the person who asked"
    );
    assert_eq!(msg["replace_original"], false, "the first screen stays");
    assert_fits_slack_limits(&msg);
    let text = message_text(&msg);
    assert!(text.contains("Read from your message"), "{text}");
    assert!(text.contains("Blast radius"), "{text}");
    assert_eq!(headline(&msg), headline(&first));
}

#[tokio::test]
async fn an_answer_given_just_before_a_stop_keeps_working_buttons_after_the_restart() {
    // Arrange: the reply goes out before its record is written, and the
    // service is stopped at once (a deploy).
    let mut app = spawn_app().await;
    let (_, id) = ask(&app, QUESTION).await;

    // Act
    app.restart().await;
    mount_response_url(&app, 1).await;
    click(&app, "details", &id).await;

    // Assert: shutdown wrote the record, so the new process finds it.
    assert!(
        app.state()
            .store
            .shown_question(&id)
            .await
            .unwrap()
            .is_some(),
        "the record must be written before the process exits"
    );
    let reply = wait_for_requests(&app.slack, RESPONSE_PATH, 1, WAIT).await;
    let text = message_text(&json_body(&reply[0]));
    assert!(text.contains("Blast radius"), "{text}");
}

#[tokio::test]
async fn a_button_pointing_at_an_unknown_answer_says_it_expired_and_records_nothing() {
    // Arrange: a value the bot never handed out, and a question as old
    // buttons carried it.
    let mut app = spawn_app().await;
    mount_response_url(&app, 3).await;

    // Act
    click(&app, "feedback_helpful", "0123456789abcdef0123456789abcdef").await;
    wait_for_requests(&app.slack, RESPONSE_PATH, 1, WAIT).await;
    click(&app, "share", QUESTION).await;
    wait_for_requests(&app.slack, RESPONSE_PATH, 2, WAIT).await;
    click(&app, "feedback_not_quite", "../../etc/passwd").await;
    wait_for_requests(&app.slack, RESPONSE_PATH, 3, WAIT).await;
    app.shutdown().await.expect("clean shutdown");

    // Assert
    for req in app.slack_requests(RESPONSE_PATH).await {
        let msg = json_body(&req);
        assert_eq!(msg["response_type"], "ephemeral", "{msg}");
        assert!(
            msg["text"].as_str().unwrap_or_default().contains("expired"),
            "an unknown answer should be called expired: {msg}"
        );
    }
    let counts = app.state().store.feedback_counts().await.unwrap();
    assert_eq!(
        counts,
        (0, 0),
        "no vote may be stored for an unknown answer"
    );
}

#[tokio::test]
async fn buttons_under_an_answer_the_knowledge_base_no_longer_gives_say_it_expired() {
    // Arrange: an answer shown, then the service restarted with the generic
    // platform, which words this answer differently.
    let mut app = spawn_app().await;
    let (_, id) = ask(&app, "changed the job schedule in resources yaml").await;
    app.options.platform = "generic";
    app.restart().await;
    mount_response_url(&app, 1).await;

    // Act
    click(&app, "feedback_helpful", &id).await;
    let replies = wait_for_requests(&app.slack, RESPONSE_PATH, 1, WAIT).await;

    // Assert: nothing acts on advice the person was not shown.
    let msg = json_body(&replies[0]);
    assert!(
        msg["text"].as_str().unwrap_or_default().contains("expired"),
        "{msg}"
    );
    assert_eq!(app.state().store.feedback_counts().await.unwrap(), (0, 0));
}

#[tokio::test]
async fn an_answer_not_shown_for_a_week_is_purged_and_its_buttons_expire() {
    // Arrange: an answer shown, then eight days pass and the service
    // restarts (the purge runs at start and every ten minutes).
    let start = 1_790_000_000;
    let clock = std::sync::Arc::new(testscope::clock::FixedClock::new(start));
    let mut app = spawn_app_with(TestOptions::default().with_clock(clock.clone())).await;
    let (_, id) = ask(&app, QUESTION).await;
    assert!(recorded_question(&app, &id).await.is_some());
    clock.set(start + 6 * 86_400);
    app.restart().await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        app.state()
            .store
            .shown_question(&id)
            .await
            .unwrap()
            .is_some(),
        "six days on, the answer must still be there"
    );
    clock.set(start + 8 * 86_400);
    app.restart().await;
    mount_response_url(&app, 1).await;
    let gone = async {
        while app
            .state()
            .store
            .shown_question(&id)
            .await
            .unwrap()
            .is_some()
        {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    tokio::time::timeout(WAIT, gone)
        .await
        .expect("the week-old answer was not purged");

    // Act
    click(&app, "feedback_helpful", &id).await;
    wait_for_requests(&app.slack, RESPONSE_PATH, 1, WAIT).await;
    app.shutdown().await.expect("clean shutdown");

    // Assert
    let msg = json_body(&app.slack_requests(RESPONSE_PATH).await[0]);
    assert!(
        msg["text"].as_str().unwrap_or_default().contains("expired"),
        "{msg}"
    );
}

/// A `view_submission` of the Not quite form, as Slack sends it.
fn form_submission(
    metadata: &str,
    scope: Option<&str>,
    stage: Option<&str>,
    comment: Option<&str>,
) -> serde_json::Value {
    let select = |v: Option<&str>| match v {
        Some(v) => {
            json!({"type": "static_select", "selected_option": {"text": {"type": "plain_text", "text": v}, "value": v}})
        }
        None => json!({"type": "static_select", "selected_option": null}),
    };
    json!({
        "type": "view_submission",
        "team": {"id": "T111", "domain": "workspace-domain"},
        "user": {"id": "W111", "username": "primary-owner", "name": "primary-owner", "team_id": "T111"},
        "api_app_id": "A111",
        "token": "verification_token",
        "trigger_id": "222.333.submit",
        "view": {
            "id": "V111",
            "type": "modal",
            "callback_id": "testscope_not_quite",
            "private_metadata": metadata,
            "state": {"values": {
                "expected_scope": {"scope": select(scope)},
                "expected_stage": {"stage": select(stage)},
                "comment": {"comment": {"type": "plain_text_input", "value": comment}},
            }},
        },
        "response_urls": [],
    })
}

#[tokio::test]
async fn not_quite_opens_the_form_with_the_clicks_trigger_and_the_answer_given() {
    // Arrange
    let mut app = spawn_app().await;
    Mock::given(method("POST"))
        .and(path("/views.open"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"ok": true, "view": {"id": "V111"}})),
        )
        .expect(1)
        .named("views.open")
        .mount(&app.slack)
        .await;
    mount_response_url(&app, 0).await;
    let (_, id) = ask(&app, QUESTION).await;

    // Act
    click(&app, "feedback_not_quite", &id).await;
    wait_for_requests(&app.slack, "/views.open", 1, WAIT).await;
    app.shutdown().await.expect("clean shutdown");

    // Assert
    let opened = json_body(&app.slack_requests("/views.open").await[0]);
    assert_eq!(
        opened["trigger_id"], "111.222.valid",
        "the click's own trigger must open the form"
    );
    let view = &opened["view"];
    assert_eq!(view["type"], "modal");
    assert_eq!(view["callback_id"], "testscope_not_quite");
    let text = message_text(view);
    assert!(
        text.contains(QUESTION),
        "the form shows the question: {text}"
    );
    assert!(
        text.contains("Integration tests"),
        "the form shows the answer given: {text}"
    );
    let blocks: Vec<&str> = view["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|b| b["block_id"].as_str())
        .collect();
    assert_eq!(blocks, ["expected_scope", "expected_stage", "comment"]);
    assert_within_view_limits(view);
    let counts = app.state().store.feedback_counts().await.unwrap();
    assert_eq!(
        counts,
        (0, 1),
        "the Not quite vote counts even before the form is sent"
    );
}

/// Slack's modal limits that the form could break.
fn assert_within_view_limits(view: &serde_json::Value) {
    assert!(view["title"]["text"].as_str().unwrap().chars().count() <= 24);
    assert!(view["private_metadata"].as_str().unwrap().len() <= 3000);
    let blocks = view["blocks"].as_array().unwrap();
    assert!(blocks.len() <= 100);
    for b in blocks {
        if let Some(options) = b["element"]["options"].as_array() {
            assert!(options.len() <= 100);
            for o in options {
                assert!(
                    o["text"]["text"].as_str().unwrap().chars().count() <= 75,
                    "{o}"
                );
                assert!(o["value"].as_str().unwrap().len() <= 150, "{o}");
            }
        }
    }
}

#[tokio::test]
async fn a_sent_form_is_stored_thanked_in_the_view_and_exports_as_an_eval_case() {
    // Arrange: an answer shown, Not quite clicked, the form opened.
    let mut app = spawn_app().await;
    Mock::given(method("POST"))
        .and(path("/views.open"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .mount(&app.slack)
        .await;
    let (_, id) = ask(&app, QUESTION).await;
    click(&app, "feedback_not_quite", &id).await;
    wait_for_requests(&app.slack, "/views.open", 1, WAIT).await;
    let opened = json_body(&app.slack_requests("/views.open").await[0]);
    let metadata = opened["view"]["private_metadata"]
        .as_str()
        .unwrap()
        .to_owned();

    // Act
    let resp = app
        .post_interaction(&form_submission(
            &metadata,
            Some("unit"),
            Some("dev"),
            Some("only the wrapper changed"),
        ))
        .await;

    // Assert: the form turns into a thank-you.
    let (status, body) = body_text(resp).await;
    assert_eq!(status, StatusCode::OK);
    let ack: serde_json::Value = serde_json::from_str(&body).expect("a JSON answer");
    assert_eq!(ack["response_action"], "update", "{ack}");
    assert!(message_text(&ack["view"]).contains("Thanks"), "{ack}");
    let misses = app.state().store.misses(0).await.unwrap();
    assert_eq!(misses.len(), 1);
    let m = &misses[0];
    assert_eq!(m.question, QUESTION);
    assert_eq!(m.given_scope.as_deref(), Some("integration"));
    assert!(!m.given_rules.is_empty(), "the rules that fired are kept");
    assert_eq!(m.expected_scope.as_deref(), Some("unit"));
    assert_eq!(m.expected_stage.as_deref(), Some("dev"));
    assert_eq!(m.comment.as_deref(), Some("only the wrapper changed"));
    assert_eq!(
        (
            m.user_id.as_str(),
            m.channel_id.as_str(),
            m.team_id.as_str()
        ),
        ("W111", "C111", "T111")
    );
    app.shutdown().await.expect("clean shutdown");

    // The export is a labelled example `testscope eval` reads back.
    let kb = testscope::KnowledgeBase::load(None).unwrap();
    let jsonl = testscope::feedback::export_jsonl(&misses);
    let examples =
        testscope::eval::parse(&kb, "feedback.jsonl", &jsonl).expect("eval reads the export");
    assert_eq!(examples.len(), 1);
    assert_eq!(examples[0].text, QUESTION);
    assert_eq!(examples[0].primary, Some(Some("unit".to_owned())));
    assert_eq!(examples[0].stages, Some(vec!["dev".to_owned()]));
}

#[tokio::test]
async fn a_form_for_an_unknown_answer_or_scope_is_refused_on_the_form() {
    // Arrange
    let app = spawn_app().await;
    let (_, id) = ask(&app, QUESTION).await;
    let good = json!({"advice": id, "channel": "C111"}).to_string();
    let cases = [
        (
            json!({"advice": "0123456789abcdef0123456789abcdef"}).to_string(),
            Some("unit"),
            "expired",
        ),
        ("not json".to_owned(), Some("unit"), "expired"),
        (
            good.clone(),
            Some("no-such-scope"),
            "Choose one of the scopes",
        ),
        (good.clone(), None, "Choose one of the scopes"),
    ];

    for (metadata, scope, expected) in cases {
        // Act
        let resp = app
            .post_interaction(&form_submission(&metadata, scope, None, None))
            .await;

        // Assert
        let (status, body) = body_text(resp).await;
        assert_eq!(status, StatusCode::OK);
        let ack: serde_json::Value = serde_json::from_str(&body).expect("a JSON answer");
        assert_eq!(ack["response_action"], "errors", "{ack}");
        assert!(ack.to_string().contains(expected), "{metadata}: {ack}");
    }
    assert!(
        app.state().store.misses(0).await.unwrap().is_empty(),
        "nothing stored"
    );
}

#[tokio::test]
async fn not_quite_without_a_form_is_thanked_as_before() {
    // Arrange: Slack refuses the form (the trigger expired).
    let mut app = spawn_app().await;
    Mock::given(method("POST"))
        .and(path("/views.open"))
        .respond_with(slack_error("expired_trigger_id"))
        .mount(&app.slack)
        .await;
    mount_response_url(&app, 1).await;
    let (_, id) = ask(&app, QUESTION).await;

    // Act
    click(&app, "feedback_not_quite", &id).await;
    wait_for_requests(&app.slack, RESPONSE_PATH, 1, WAIT).await;
    app.shutdown().await.expect("clean shutdown");

    // Assert
    let msg = json_body(&app.slack_requests(RESPONSE_PATH).await[0]);
    assert_eq!(msg["response_type"], "ephemeral");
    assert!(msg["text"].as_str().unwrap().starts_with("Thanks"), "{msg}");
    assert_eq!(app.state().store.feedback_counts().await.unwrap(), (0, 1));
}

#[tokio::test]
async fn a_report_is_kept_for_the_retention_period_then_purged() {
    // Arrange: a report sent, then the clock moves past 89 and 91 days
    // (the default retention is 90) with a restart each time, since the
    // purge runs at start and every ten minutes.
    let start = 1_790_000_000;
    let clock = std::sync::Arc::new(testscope::clock::FixedClock::new(start));
    let mut app = spawn_app_with(TestOptions::default().with_clock(clock.clone())).await;
    let (_, id) = ask(&app, QUESTION).await;
    let metadata = json!({"advice": id, "channel": "C111"}).to_string();
    let resp = app
        .post_interaction(&form_submission(&metadata, Some("unit"), None, None))
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(app.state().store.misses(0).await.unwrap().len(), 1);

    // Act + Assert: still there after 89 days.
    clock.set(start + 89 * 86_400);
    app.restart().await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        app.state().store.misses(0).await.unwrap().len(),
        1,
        "a report inside the retention period must be kept"
    );

    // Act + Assert: gone after 91.
    clock.set(start + 91 * 86_400);
    app.restart().await;
    let purged = async {
        while !app.state().store.misses(0).await.unwrap().is_empty() {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    tokio::time::timeout(WAIT, purged)
        .await
        .expect("a report past the retention period was not purged");
    app.shutdown().await.expect("clean shutdown");
}

#[tokio::test]
async fn the_feedback_command_shows_rates_per_rule_and_the_latest_misses() {
    // Arrange: one Helpful vote, one miss reported through the form.
    let app = spawn_app().await;
    Mock::given(method("POST"))
        .and(path("/views.open"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .mount(&app.slack)
        .await;
    mount_response_url(&app, 1).await;
    let (_, helpful) = ask(&app, "we bumped the learning rate from 0.01 to 0.001").await;
    click(&app, "feedback_helpful", &helpful).await;
    wait_for_requests(&app.slack, RESPONSE_PATH, 1, WAIT).await;
    let (_, id) = ask(&app, QUESTION).await;
    let metadata = json!({"advice": id, "channel": "C111"}).to_string();
    let resp = app
        .post_interaction(&form_submission(
            &metadata,
            Some("release-gating"),
            None,
            Some("it ships a new model"),
        ))
        .await;
    assert_eq!(resp.status(), StatusCode::OK);

    // Act
    let resp = app.post_command(&command_body("/scope", "feedback")).await;

    // Assert
    let reply: serde_json::Value = resp.json().await.expect("a JSON reply");
    assert_eq!(
        reply["response_type"], "ephemeral",
        "feedback is shown only to the asker"
    );
    assert_fits_slack_limits(&reply);
    let text = message_text(&reply);
    assert!(text.contains("1 of 1 answers rated helpful"), "{text}");
    assert!(text.contains("100% helpful (1 of 1)"), "{text}");
    assert!(
        text.contains(QUESTION) && text.contains("it ships a new model"),
        "the latest miss is listed: {text}"
    );
}

#[tokio::test]
async fn the_message_shortcut_answers_in_that_messages_thread() {
    // Arrange
    let mut app = spawn_app().await;
    Mock::given(method("POST"))
        .and(path("/chat.postMessage"))
        .respond_with(posted_ok())
        .expect(1)
        .named("chat.postMessage")
        .mount(&app.slack)
        .await;
    mount_response_url(&app, 0).await;
    let shortcut = message_action(
        "testscope_advise",
        QUESTION,
        "1596530000.000100",
        Some("1596529000.000050"),
        &response_url(&app),
    );

    // Act
    let resp = app.post_interaction(&shortcut).await;
    assert_eq!(resp.status(), StatusCode::OK);
    wait_for_requests(&app.slack, "/chat.postMessage", 1, WAIT).await;
    app.shutdown().await.expect("clean shutdown");

    // Assert
    let post = json_body(&app.slack_requests("/chat.postMessage").await[0]);
    assert_fits_slack_limits(&post);
    assert_eq!(post["channel"], "C111");
    assert_eq!(
        post["thread_ts"], "1596529000.000050",
        "the answer belongs in the thread the message is in"
    );
    assert_eq!(headline(&post), "Integration tests in test (staging)");
}

#[tokio::test]
async fn the_message_shortcut_on_a_top_level_message_starts_a_thread_under_it() {
    // Arrange
    let mut app = spawn_app().await;
    Mock::given(method("POST"))
        .and(path("/chat.postMessage"))
        .respond_with(posted_ok())
        .expect(1)
        .named("chat.postMessage")
        .mount(&app.slack)
        .await;
    let shortcut = message_action(
        "testscope_advise",
        QUESTION,
        "1596530000.000100",
        None,
        &response_url(&app),
    );

    // Act
    assert_eq!(
        app.post_interaction(&shortcut).await.status(),
        StatusCode::OK
    );
    wait_for_requests(&app.slack, "/chat.postMessage", 1, WAIT).await;
    app.shutdown().await.expect("clean shutdown");

    // Assert
    let post = json_body(&app.slack_requests("/chat.postMessage").await[0]);
    assert_eq!(post["thread_ts"], "1596530000.000100");
}

#[tokio::test]
async fn the_shortcut_in_a_channel_without_the_bot_hints_via_response_url() {
    // Arrange
    let mut app = spawn_app().await;
    Mock::given(method("POST"))
        .and(path("/chat.postMessage"))
        .respond_with(slack_error("not_in_channel"))
        .expect(1)
        .named("chat.postMessage")
        .mount(&app.slack)
        .await;
    mount_response_url(&app, 1).await;
    let shortcut = message_action(
        "testscope_advise",
        QUESTION,
        "1596530000.000100",
        None,
        &response_url(&app),
    );

    // Act
    assert_eq!(
        app.post_interaction(&shortcut).await.status(),
        StatusCode::OK
    );
    wait_for_requests(&app.slack, RESPONSE_PATH, 1, WAIT).await;
    app.shutdown().await.expect("clean shutdown");

    // Assert
    let hint = json_body(&app.slack_requests(RESPONSE_PATH).await[0]);
    assert_eq!(hint["response_type"], "ephemeral");
    assert!(
        hint["text"].as_str().is_some_and(|t| t.contains("/invite")),
        "the user should learn how to invite the bot: {hint}"
    );
}

#[tokio::test]
async fn the_shortcut_on_a_message_without_a_change_answers_only_the_asker() {
    // Arrange
    let mut app = spawn_app().await;
    Mock::given(method("POST"))
        .and(path("/chat.postMessage"))
        .respond_with(slack_error("should_not_be_called"))
        .expect(0)
        .named("chat.postMessage")
        .mount(&app.slack)
        .await;
    mount_response_url(&app, 1).await;
    let shortcut = message_action(
        "testscope_advise",
        "lunch at noon, anyone?",
        "1596530000.000100",
        None,
        &response_url(&app),
    );

    // Act
    assert_eq!(
        app.post_interaction(&shortcut).await.status(),
        StatusCode::OK
    );
    wait_for_requests(&app.slack, RESPONSE_PATH, 1, WAIT).await;
    app.shutdown().await.expect("clean shutdown");

    // Assert: nothing public in the thread, a private hint for the person who asked.
    let hint = json_body(&app.slack_requests(RESPONSE_PATH).await[0]);
    assert_eq!(hint["response_type"], "ephemeral");
    assert!(
        hint["text"]
            .as_str()
            .is_some_and(|t| t.contains("Mention me")),
        "the user should learn how to ask: {hint}"
    );
}

#[tokio::test]
async fn unknown_buttons_and_shortcuts_are_acknowledged_and_ignored() {
    // Arrange
    let mut app = spawn_app().await;
    mount_response_url(&app, 0).await;
    Mock::given(path("/chat.postMessage"))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .named("chat.postMessage")
        .mount(&app.slack)
        .await;

    // Act
    click(&app, "someone_elses_button", QUESTION).await;
    let other_shortcut = message_action(
        "another_apps_shortcut",
        QUESTION,
        "1596530000.000100",
        None,
        &response_url(&app),
    );
    assert_eq!(
        app.post_interaction(&other_shortcut).await.status(),
        StatusCode::OK
    );
    let view = json!({"type": "view_submission", "user": {"id": "W111"}, "view": {"id": "V1"}});
    assert_eq!(app.post_interaction(&view).await.status(), StatusCode::OK);
    app.shutdown().await.expect("clean shutdown");

    // Assert: the mocks' expect(0) is checked when `app` is dropped.
}

#[tokio::test]
async fn quiz_answers_get_a_private_reply_and_one_live_count_update_per_burst() {
    // Arrange: a posted quiz in channel C111.
    let mut app = spawn_app().await;
    Mock::given(method("POST"))
        .and(path("/chat.postMessage"))
        .respond_with(posted_ok())
        .mount(&app.slack)
        .await;
    Mock::given(method("POST"))
        .and(path("/chat.update"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .mount(&app.slack)
        .await;
    mount_response_url(&app, 3).await;
    let schedule = testscope::quiz::schedule::Schedule::parse("09:00 UTC everyday").unwrap();
    let outcome = testscope::quiz::runner::post_today(
        app.state().quiz_ctx(),
        "C111",
        &schedule,
        app.now(),
        false,
        Default::default(),
    )
    .await;
    let testscope::quiz::runner::PostOutcome::Posted {
        post_id,
        question_id,
        ..
    } = outcome
    else {
        panic!("the quiz was not posted: {outcome:?}");
    };
    let value = |option: usize| format!("quiz|C111|{post_id}|{question_id}|{option}");

    // Act: three quick clicks, the last a second click by the same person.
    let mut other = block_actions("quiz_answer_1", &value(1), &response_url(&app));
    other["user"]["id"] = json!("W222");
    for payload in [
        block_actions("quiz_answer_0", &value(0), &response_url(&app)),
        other,
        block_actions("quiz_answer_2", &value(2), &response_url(&app)),
    ] {
        assert_eq!(
            app.post_interaction(&payload).await.status(),
            StatusCode::OK
        );
    }
    wait_for_requests(&app.slack, RESPONSE_PATH, 3, WAIT).await;
    wait_for_requests(&app.slack, "/chat.update", 1, WAIT).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    app.shutdown().await.expect("clean shutdown");

    // Assert
    let replies: Vec<String> = app
        .slack_requests(RESPONSE_PATH)
        .await
        .iter()
        .map(|r| json_body(r)["text"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert!(
        replies.iter().any(|t| t.contains("locked in")),
        "the second click should say the first answer is locked in: {replies:?}"
    );
    let updates = app.slack_requests("/chat.update").await;
    assert_eq!(
        updates.len(),
        1,
        "a burst of answers should cost one chat.update"
    );
    let update = json_body(&updates[0]).to_string();
    assert!(update.contains("2 answered so far"), "{update}");
    let answers = app.state().store.quiz_answers("C111").await.unwrap();
    assert_eq!(answers.len(), 2);
}

#[tokio::test]
async fn forged_and_late_quiz_clicks_are_not_scored_and_a_late_one_hears_the_answer() {
    // Arrange: yesterday's quiz in C111, then today's, which closes it.
    let day = |d: &str| {
        format!("2026-11-{d}T10:00:00Z")
            .parse::<jiff::Timestamp>()
            .unwrap()
            .as_second()
    };
    let clock = std::sync::Arc::new(testscope::clock::FixedClock::new(day("25")));
    let mut app = spawn_app_with(TestOptions::default().with_clock(clock.clone())).await;
    Mock::given(method("POST"))
        .and(path("/chat.postMessage"))
        .respond_with(posted_ok())
        .mount(&app.slack)
        .await;
    Mock::given(method("POST"))
        .and(path("/chat.update"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .mount(&app.slack)
        .await;
    mount_response_url(&app, 1).await;
    let schedule = testscope::quiz::schedule::Schedule::parse("09:00 UTC everyday").unwrap();
    let post = |now: i64| {
        let state = app.state().clone();
        let schedule = schedule.clone();
        async move {
            let outcome = testscope::quiz::runner::post_today(
                state.quiz_ctx(),
                "C111",
                &schedule,
                now,
                false,
                Default::default(),
            )
            .await;
            match outcome {
                testscope::quiz::runner::PostOutcome::Posted {
                    post_id,
                    question_id,
                    ..
                } => (post_id, question_id),
                other => panic!("the quiz was not posted: {other:?}"),
            }
        }
    };
    let (post_id, question_id) = post(day("25")).await;
    let q = app.state().kb.question(&question_id).unwrap().clone();
    let url = response_url(&app);

    // Act: forged clicks while the post is open, then a late one.
    let forged = [
        format!("quiz|C999|{post_id}|{question_id}|0"),
        format!("quiz|C111|2026-11-01|{question_id}|0"),
        format!("quiz|C111|{post_id}|{question_id}|{}", q.options.len()),
    ];
    for value in &forged {
        let resp = app
            .post_interaction(&block_actions("quiz_answer_0", value, &url))
            .await;
        assert_eq!(resp.status(), StatusCode::OK);
    }
    clock.set(day("26"));
    post(day("26")).await;
    let late = format!("quiz|C111|{post_id}|{question_id}|{}", q.correct);
    let resp = app
        .post_interaction(&block_actions("quiz_answer_0", &late, &url))
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    wait_for_requests(&app.slack, RESPONSE_PATH, 1, WAIT).await;
    app.shutdown().await.expect("clean shutdown");

    // Assert
    let replies = app.slack_requests(RESPONSE_PATH).await;
    assert_eq!(replies.len(), 1, "forged clicks get no reply");
    let reply = json_body(&replies[0]);
    assert_eq!(reply["response_type"], "ephemeral");
    let text = reply["text"].as_str().unwrap_or_default();
    assert!(
        text.contains("has closed") && text.contains(&q.options[q.correct]),
        "the late clicker should learn the question closed and its answer: {text}"
    );
    let answers = app.state().store.quiz_answers("C111").await.unwrap();
    assert!(answers.is_empty(), "nothing may be scored: {answers:?}");
    let updates = app.slack_requests("/chat.update").await;
    assert_eq!(updates.len(), 1, "yesterday's post is closed once");
    let closed = json_body(&updates[0]);
    assert_fits_slack_limits(&closed);
    assert!(
        !closed["blocks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|b| b["type"] == "actions"),
        "the closed post must not keep its buttons: {closed}"
    );
}

#[tokio::test]
async fn a_post_closed_before_its_live_count_is_due_keeps_its_answer_not_its_buttons() {
    // Arrange: yesterday's quiz in C111.
    let day = |d: &str| {
        format!("2026-11-{d}T10:00:00Z")
            .parse::<jiff::Timestamp>()
            .unwrap()
            .as_second()
    };
    let clock = std::sync::Arc::new(testscope::clock::FixedClock::new(day("25")));
    let mut app = spawn_app_with(TestOptions::default().with_clock(clock.clone())).await;
    Mock::given(method("POST"))
        .and(path("/chat.postMessage"))
        .respond_with(posted_ok())
        .mount(&app.slack)
        .await;
    Mock::given(method("POST"))
        .and(path("/chat.update"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .mount(&app.slack)
        .await;
    mount_response_url(&app, 1).await;
    let schedule = testscope::quiz::schedule::Schedule::parse("09:00 UTC everyday").unwrap();
    let post = |now: i64| {
        let state = app.state().clone();
        let schedule = schedule.clone();
        async move {
            testscope::quiz::runner::post_today(
                state.quiz_ctx(),
                "C111",
                &schedule,
                now,
                false,
                Default::default(),
            )
            .await
        }
    };
    let testscope::quiz::runner::PostOutcome::Posted {
        post_id,
        question_id,
        ..
    } = post(day("25")).await
    else {
        panic!("the quiz was not posted");
    };

    // Act: a click asks for a live count; before it is due (it waits
    // 1.5 s to gather a burst), the next day's post closes this one.
    let value = format!("quiz|C111|{post_id}|{question_id}|0");
    let resp = app
        .post_interaction(&block_actions("quiz_answer_0", &value, &response_url(&app)))
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    wait_for_requests(&app.slack, RESPONSE_PATH, 1, WAIT).await;
    clock.set(day("26"));
    assert!(matches!(
        post(day("26")).await,
        testscope::quiz::runner::PostOutcome::Posted { .. }
    ));
    tokio::time::sleep(Duration::from_millis(2500)).await;
    app.shutdown().await.expect("clean shutdown");

    // Assert: the only rewrite is the one that closed it.
    let updates = app.slack_requests("/chat.update").await;
    assert_eq!(
        updates.len(),
        1,
        "the live count must not rewrite a closed post"
    );
    let closed = json_body(&updates[0]);
    assert!(
        !closed["blocks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|b| b["type"] == "actions"),
        "the closed post must not get its buttons back: {closed}"
    );
}
