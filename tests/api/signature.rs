//! Request signing at the HTTP edge: only requests Slack signed reach a
//! handler, and what fails says nothing beyond the status.

use std::sync::Arc;

use reqwest::StatusCode;
use serde_json::json;
use testscope::clock::{FixedClock, SystemClock};
use testscope::slack::signature::sign;
use wiremock::matchers::path_regex;
use wiremock::{Mock, ResponseTemplate};

use crate::helpers::*;

/// Slack's documented example (reference §1.2, fixture F1).
const DOC_SECRET: &str = "8f742231b10e8888abcd99yyyzzz85a5";
const DOC_TS: i64 = 1_531_420_618;
const DOC_BODY: &str = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
const DOC_SIG: &str = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

const MIB: usize = 1024 * 1024;

/// An app whose clock stands still, so "±300 s" is exact and not racing the
/// real clock across a second boundary.
async fn pinned_app() -> TestApp {
    let now = testscope::clock::Clock::now(&SystemClock);
    spawn_app_with(TestOptions::default().with_clock(Arc::new(FixedClock::new(now)))).await
}

/// Only Slack API calls that are not the start-up `auth.test`.
async fn slack_calls_besides_auth_test(app: &TestApp) -> Vec<String> {
    app.slack
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| r.url.path().to_owned())
        .filter(|p| p != "/auth.test")
        .collect()
}

struct Case {
    name: &'static str,
    path: &'static str,
    body: Vec<u8>,
    timestamp: Option<String>,
    signature: Option<String>,
    status: StatusCode,
    /// For refusals: the body must be empty (nothing leaks to the caller).
    empty_body: bool,
}

#[tokio::test]
async fn signature_table_on_every_slack_route() {
    // Arrange
    let app = pinned_app().await;
    let now = app.now();
    let ts = |delta: i64| (now + delta).to_string();
    let signed = |delta: i64, body: &[u8]| app.sign(now + delta, body);

    let command = command_body("/testscope", "help").into_bytes();
    let good_sig = signed(0, &command);
    let hex = good_sig.strip_prefix("v0=").expect("v0= prefix").to_owned();
    let mut tampered = command.clone();
    // `text=help` -> `text=helq`: one byte, same length.
    let pos = tampered
        .windows(9)
        .position(|w| w == b"text=help")
        .expect("text field present")
        + 8;
    tampered[pos] = b'q';

    let malformed_form = format!("{}&text=again", command_body("/testscope", "help")).into_bytes();
    let missing_fields = b"text=help&user_id=W111".to_vec();
    let not_utf8 = b"team_id=T111&text=\xff\xfe&user_id=W111".to_vec();
    let percent_not_utf8 = command_body("/testscope", "x")
        .replace("text=x", "text=%FF%FE")
        .into_bytes();
    // Just over the 1 MiB cap, correctly signed.
    let mut huge = command.clone();
    huge.extend(std::iter::repeat_n(b'a', MIB + 1 - huge.len()));
    assert_eq!(huge.len(), MIB + 1);
    let huge_sig = signed(0, &huge);

    let url_verification = json!({
        "token": "Jhj5dZrVaK7ZwHHjRyZWjbDl",
        "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
        "type": "url_verification"
    })
    .to_string()
    .into_bytes();
    let bad_json = b"{\"type\": \"event_callback\", ".to_vec();
    let event_not_utf8 = b"{\"type\":\"url_verification\",\"challenge\":\"\xff\"}".to_vec();
    // An events body of exactly 1 MiB is still read (and an unknown
    // envelope type is acknowledged).
    let mut one_mib_event = br#"{"type":"something_new","pad":""#.to_vec();
    one_mib_event.extend(std::iter::repeat_n(b'x', MIB - one_mib_event.len() - 2));
    one_mib_event.extend(b"\"}");
    assert_eq!(one_mib_event.len(), MIB);

    let click = interaction_body(&block_actions(
        "some_other_button",
        "v",
        &format!("{}/actions/unused", app.slack.uri()),
    ))
    .into_bytes();
    let payload_not_json = b"payload=%7Bnot+json".to_vec();
    let no_payload = b"token=abc".to_vec();

    let ok = |name, path, body: Vec<u8>, status| {
        let sig = signed(0, &body);
        Case {
            name,
            path,
            body,
            timestamp: Some(ts(0)),
            signature: Some(sig),
            status,
            empty_body: false,
        }
    };
    let refused =
        |name, path, body: Vec<u8>, timestamp: Option<String>, signature: Option<String>| Case {
            name,
            path,
            body,
            timestamp,
            signature,
            status: StatusCode::UNAUTHORIZED,
            empty_body: true,
        };
    let c = "/slack/commands";
    let e = "/slack/events";
    let i = "/slack/interactions";
    let cases = vec![
        ok("valid signature", c, command.clone(), StatusCode::OK),
        Case {
            name: "timestamp 300 s old",
            signature: Some(signed(-300, &command)),
            timestamp: Some(ts(-300)),
            ..ok("", c, command.clone(), StatusCode::OK)
        },
        Case {
            name: "timestamp 300 s ahead",
            signature: Some(signed(300, &command)),
            timestamp: Some(ts(300)),
            ..ok("", c, command.clone(), StatusCode::OK)
        },
        refused(
            "timestamp 301 s old",
            c,
            command.clone(),
            Some(ts(-301)),
            Some(signed(-301, &command)),
        ),
        refused(
            "timestamp 301 s ahead",
            c,
            command.clone(),
            Some(ts(301)),
            Some(signed(301, &command)),
        ),
        refused(
            "timestamp header missing",
            c,
            command.clone(),
            None,
            Some(good_sig.clone()),
        ),
        refused(
            "signature header missing",
            c,
            command.clone(),
            Some(ts(0)),
            None,
        ),
        refused("both headers missing", c, command.clone(), None, None),
        refused(
            "non-numeric timestamp",
            c,
            command.clone(),
            Some("Hello there!".into()),
            Some(good_sig.clone()),
        ),
        refused(
            "timestamp with a plus sign",
            c,
            command.clone(),
            Some(format!("+{now}")),
            Some(good_sig.clone()),
        ),
        refused(
            "v1= prefix",
            c,
            command.clone(),
            Some(ts(0)),
            Some(format!("v1={hex}")),
        ),
        refused(
            "no prefix",
            c,
            command.clone(),
            Some(ts(0)),
            Some(hex.clone()),
        ),
        refused(
            "upper-case hex",
            c,
            command.clone(),
            Some(ts(0)),
            Some(format!("v0={}", hex.to_uppercase())),
        ),
        refused(
            "empty signature",
            c,
            command.clone(),
            Some(ts(0)),
            Some(String::new()),
        ),
        refused(
            "one body byte changed",
            c,
            tampered.clone(),
            Some(ts(0)),
            Some(good_sig.clone()),
        ),
        refused(
            "signed by another secret",
            c,
            command.clone(),
            Some(ts(0)),
            Some(sign("other-secret", now, &command).unwrap()),
        ),
        refused(
            "signature for another timestamp",
            c,
            command.clone(),
            Some(ts(1)),
            Some(good_sig.clone()),
        ),
        Case {
            name: "body over 1 MiB",
            body: huge,
            timestamp: Some(ts(0)),
            signature: Some(huge_sig),
            status: StatusCode::PAYLOAD_TOO_LARGE,
            path: c,
            empty_body: false,
        },
        ok(
            "verified but a field appears twice",
            c,
            malformed_form,
            StatusCode::BAD_REQUEST,
        ),
        ok(
            "verified but required fields missing",
            c,
            missing_fields,
            StatusCode::BAD_REQUEST,
        ),
        ok(
            "verified but not UTF-8",
            c,
            not_utf8,
            StatusCode::BAD_REQUEST,
        ),
        ok(
            "verified but percent-encodes non-UTF-8",
            c,
            percent_not_utf8,
            StatusCode::BAD_REQUEST,
        ),
        // Events API
        ok(
            "events: valid signature",
            e,
            url_verification.clone(),
            StatusCode::OK,
        ),
        refused(
            "events: signature header missing",
            e,
            url_verification.clone(),
            Some(ts(0)),
            None,
        ),
        refused(
            "events: timestamp 301 s old",
            e,
            url_verification.clone(),
            Some(ts(-301)),
            Some(signed(-301, &url_verification)),
        ),
        refused(
            "events: signature of another body",
            e,
            url_verification.clone(),
            Some(ts(0)),
            Some(good_sig.clone()),
        ),
        ok(
            "events: verified but malformed JSON",
            e,
            bad_json,
            StatusCode::BAD_REQUEST,
        ),
        ok(
            "events: verified but not UTF-8",
            e,
            event_not_utf8,
            StatusCode::BAD_REQUEST,
        ),
        ok("events: exactly 1 MiB", e, one_mib_event, StatusCode::OK),
        // Interactivity
        ok(
            "interactions: valid signature",
            i,
            click.clone(),
            StatusCode::OK,
        ),
        refused(
            "interactions: signature of another body",
            i,
            click.clone(),
            Some(ts(0)),
            Some(good_sig.clone()),
        ),
        refused(
            "interactions: no prefix",
            i,
            click.clone(),
            Some(ts(0)),
            Some(signed(0, &click).trim_start_matches("v0=").to_owned()),
        ),
        ok(
            "interactions: verified but payload is not JSON",
            i,
            payload_not_json,
            StatusCode::BAD_REQUEST,
        ),
        ok(
            "interactions: verified but no payload field",
            i,
            no_payload,
            StatusCode::BAD_REQUEST,
        ),
    ];

    // Act
    let mut failures = Vec::new();
    for case in cases {
        let resp = app
            .post_signed_raw(
                case.path,
                case.body,
                case.timestamp.as_deref(),
                case.signature.as_deref(),
            )
            .await;
        let (status, body) = body_text(resp).await;
        if status != case.status {
            failures.push(format!(
                "{} ({}): expected {}, got {status} with body {body:?}",
                case.name, case.path, case.status
            ));
        } else if case.empty_body && !body.is_empty() {
            failures.push(format!(
                "{} ({}): refusal should have an empty body, got {body:?}",
                case.name, case.path
            ));
        }
    }

    // Assert
    assert!(
        failures.is_empty(),
        "signature checks misbehaved:\n  {}",
        failures.join("\n  ")
    );
    assert_eq!(
        slack_calls_besides_auth_test(&app).await,
        Vec::<String>::new(),
        "no rejected or malformed request may make the bot talk to Slack"
    );
}

#[tokio::test]
async fn ssl_check_signed_gets_an_empty_200_and_no_slack_call() {
    // Arrange: a stray command field rides along; it must not be dispatched.
    let app = spawn_app().await;
    Mock::given(path_regex(r"^/chat\."))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .named("any chat.* call")
        .mount(&app.slack)
        .await;

    // Act
    let resp = app
        .post_command(
            "token=legacy&ssl_check=1&command=%2Ftestscope&text=we+bumped+the+learning+rate",
        )
        .await;

    // Assert
    let (status, body) = body_text(resp).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "Slack's certificate probe must get a 200"
    );
    assert_eq!(body, "", "the probe answer must be empty, got {body:?}");
    assert_eq!(
        slack_calls_besides_auth_test(&app).await,
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn ssl_check_with_a_bad_signature_is_refused() {
    // Arrange
    let app = spawn_app().await;
    let body = "token=legacy&ssl_check=1";
    let ts = app.now();

    // Act
    let resp = app
        .post_signed_raw(
            "/slack/commands",
            body,
            Some(&ts.to_string()),
            Some(&sign("not-our-secret", ts, body.as_bytes()).unwrap()),
        )
        .await;

    // Assert
    let (status, text) = body_text(resp).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "ssl_check=1 must not bypass signature verification"
    );
    assert_eq!(text, "");
}

#[tokio::test]
async fn slacks_documented_example_request_is_accepted() {
    // Arrange: the clock pinned to the example's timestamp, its secret.
    let app = spawn_app_with(
        TestOptions::default()
            .with_secrets(DOC_SECRET)
            .with_clock(Arc::new(FixedClock::new(DOC_TS))),
    )
    .await;
    assert_eq!(DOC_BODY.len(), 362, "the published F1 body is 362 bytes");

    // Act
    let resp = app
        .post_signed_raw(
            "/slack/commands",
            DOC_BODY,
            Some(&DOC_TS.to_string()),
            Some(DOC_SIG),
        )
        .await;

    // Assert: F1 has an empty `text`, which asks for help.
    let (status, body) = body_text(resp).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "Slack's own example was refused: {body}"
    );
    let reply: serde_json::Value = serde_json::from_str(&body).expect("JSON reply");
    let kb = testscope::KnowledgeBase::load(None).expect("built-in knowledge base");
    let help =
        serde_json::to_value(testscope::render::help_message(&kb, "/webhook-collect").ephemeral())
            .unwrap();
    assert_eq!(
        reply, help,
        "an empty /testscope should show the help message"
    );
}

#[tokio::test]
async fn during_secret_rotation_both_secrets_are_accepted() {
    // Arrange
    let app = spawn_app_with(TestOptions::default().with_secrets("old-secret,new-secret")).await;
    let body = command_body("/testscope", "help");
    let ts = app.now();

    for (secret, expected) in [
        ("old-secret", StatusCode::OK),
        ("new-secret", StatusCode::OK),
        ("retired-secret", StatusCode::UNAUTHORIZED),
    ] {
        // Act
        let sig = sign(secret, ts, body.as_bytes()).unwrap();
        let resp = app
            .post_signed_raw(
                "/slack/commands",
                body.clone(),
                Some(&ts.to_string()),
                Some(&sig),
            )
            .await;

        // Assert
        assert_eq!(
            resp.status(),
            expected,
            "a command signed with {secret:?} while \"old-secret,new-secret\" is configured"
        );
    }
}
