//! `/testscope ...`: answered inline, privately, with buttons under advice.

use reqwest::StatusCode;
use serde_json::Value;
use wiremock::matchers::path_regex;
use wiremock::{Mock, ResponseTemplate};

use crate::helpers::*;

async fn run_command(app: &TestApp, command: &str, text: &str) -> Value {
    let resp = app.post_command(&command_body(command, text)).await;
    let status = resp.status();
    let content_type = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = resp.text().await.unwrap_or_default();
    assert_eq!(
        status,
        StatusCode::OK,
        "`{command} {text}` should be answered with a 200 (Slack shows anything else as an error): {body}"
    );
    assert!(
        content_type.starts_with("application/json"),
        "Slack renders a command reply as a message only with a JSON content type, got {content_type:?}"
    );
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("reply is not JSON ({e}): {body}"))
}

fn kb() -> testscope::KnowledgeBase {
    testscope::KnowledgeBase::load(None).expect("built-in knowledge base")
}

/// `msg` as the slash command's ack carries it.
fn ephemeral(msg: testscope::render::Message) -> Value {
    serde_json::to_value(msg.ephemeral()).unwrap()
}

#[tokio::test]
async fn advice_for_a_described_change_matches_the_snapshot() {
    // Arrange: commands are answered in the HTTP response, never via the API.
    let app = spawn_app().await;
    Mock::given(path_regex(r"^/chat\."))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .named("any chat.* call")
        .mount(&app.slack)
        .await;

    // Act
    let reply = run_command(
        &app,
        "/testscope",
        "we bumped max_depth and changed the pyfunc wrapper",
    )
    .await;

    // Assert
    assert_fits_slack_limits(&reply);
    insta::assert_json_snapshot!("advice_max_depth_and_pyfunc_wrapper", reply);
}

#[tokio::test]
async fn advise_format_blocks_prints_exactly_the_reply_the_bot_sends() {
    // Arrange: the same words through Slack and through the terminal
    // (with the stray spaces a pasted question brings).
    let app = spawn_app().await;
    let question = "we bumped the learning rate from 0.01 to 0.001";

    // Act
    let reply = run_command(&app, "/testscope", question).await;
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_testscope"))
        .args(["advise", "--format", "blocks", &format!("  {question} ")])
        .env_remove("TESTSCOPE_RESPONSES_DIR")
        .output()
        .expect("the binary runs");

    // Assert
    assert!(out.status.success(), "{out:?}");
    let printed: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("advise --format blocks prints JSON");
    assert_eq!(
        printed, reply,
        "the terminal must show the message Slack gets, buttons and their id included"
    );
}

#[tokio::test]
async fn advice_is_private_and_carries_share_helpful_and_not_quite_buttons() {
    // Arrange
    let app = spawn_app().await;
    let question = "we bumped the learning rate from 0.01 to 0.001";

    // Act
    let reply = run_command(&app, "/testscope", question).await;

    // Assert
    assert_eq!(
        reply["response_type"], "ephemeral",
        "advice must only be visible to the person who asked"
    );
    assert_eq!(headline(&reply), "Integration tests in test (staging)");
    let actions = reply["blocks"]
        .as_array()
        .and_then(|b| b.iter().find(|b| b["type"] == "actions"))
        .unwrap_or_else(|| panic!("advice has no buttons: {reply:#}"));
    let buttons: Vec<(&str, &str, &str)> = actions["elements"]
        .as_array()
        .expect("elements")
        .iter()
        .map(|b| {
            (
                b["action_id"].as_str().unwrap_or_default(),
                b["text"]["text"].as_str().unwrap_or_default(),
                b["value"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    let id = buttons[0].2;
    assert_eq!(
        buttons,
        vec![
            ("share", "Share in channel", id),
            ("feedback_helpful", "Helpful", id),
            ("feedback_not_quite", "Not quite", id),
            ("details", "Details", id),
        ],
        "the user should see Share / Helpful / Not quite / Details, each carrying the answer's id"
    );
    let shown = recorded_question(&app, id)
        .await
        .expect("the answer the buttons point at was recorded");
    assert_eq!(shown.question, question);
    assert_eq!(shown.shown_in, "message");
}

#[tokio::test]
async fn help_rules_and_traps_answer_with_their_messages() {
    // Arrange
    let app = spawn_app().await;
    let kb = kb();
    let help = ephemeral(testscope::render::help_message(&kb, "/testscope"));
    let cases = [
        ("", help.clone()),
        ("help", help.clone()),
        ("  HELP  ", help.clone()),
        ("rules", ephemeral(testscope::render::rules_message(&kb))),
        ("traps", ephemeral(testscope::render::traps_message(&kb))),
    ];

    for (text, expected) in cases {
        // Act
        let reply = run_command(&app, "/testscope", text).await;

        // Assert
        assert_eq!(
            reply, expected,
            "`/testscope {text}` showed the wrong message"
        );
    }
}

#[tokio::test]
async fn a_renamed_command_still_works() {
    // Arrange
    let app = spawn_app().await;
    let question = "we bumped max_depth and changed the pyfunc wrapper";
    let original = run_command(&app, "/testscope", question).await;

    // Act
    let renamed = run_command(&app, "/scope", question).await;

    // Assert
    assert_eq!(
        renamed, original,
        "a team that renamed the command to /scope should get the same answer"
    );
}

#[tokio::test]
async fn help_is_written_with_the_renamed_command_and_mentions_the_quiz() {
    // Arrange
    let app = spawn_app().await;

    // Act
    let help = run_command(&app, "/scope", "help").await;

    // Assert
    let text = message_text(&help);
    assert!(
        text.contains("`/scope rules`") && text.contains("`/scope quiz daily"),
        "help should name the command as the team typed it: {text}"
    );
    assert!(
        !text.contains("/testscope"),
        "a renamed command's help must not tell people to type /testscope: {text}"
    );
    assert!(
        text.contains("/scope quiz`"),
        "help should say how to start the quiz: {text}"
    );
}

#[tokio::test]
async fn a_quiz_typo_gets_the_quiz_usage_under_the_commands_name() {
    // Arrange
    let app = spawn_app().await;

    // Act
    let typo = run_command(&app, "/scope", "quiz dayly").await;
    let bad_time = run_command(&app, "/scope", "quiz daily 25:00").await;

    // Assert
    assert_eq!(typo["response_type"], "ephemeral");
    let text = message_text(&typo);
    assert!(
        text.contains("`/scope quiz stop`") && !text.contains("Integration tests"),
        "a mistyped quiz subcommand should list the quiz commands, not be advised on: {text}"
    );
    let text = message_text(&bad_time);
    assert!(
        text.contains("25:00") && text.contains("`/scope quiz daily"),
        "a bad time should be quoted back with the usage: {text}"
    );
}

#[tokio::test]
async fn a_vague_question_gets_guidance_without_feedback_buttons() {
    // Arrange
    let app = spawn_app().await;

    // Act
    let reply = run_command(&app, "/testscope", "can you take a look?").await;

    // Assert
    assert_eq!(reply["response_type"], "ephemeral");
    assert_eq!(headline(&reply), "Tell me a little more");
    let has_buttons = reply["blocks"]
        .as_array()
        .is_some_and(|b| b.iter().any(|b| b["type"] == "actions"));
    assert!(
        !has_buttons,
        "there is no advice to share or rate, so no buttons: {reply:#}"
    );
}

#[tokio::test]
async fn every_reply_fits_slacks_limits_even_for_long_or_marked_up_questions() {
    // Arrange
    let app = spawn_app().await;
    let long =
        "we bumped the learning rate, changed src/features/build.py and the pyfunc wrapper, \
                updated the serving endpoint config and promoted the model to prod; "
            .repeat(30);
    let questions = [
        String::new(),
        "rules".to_owned(),
        "traps".to_owned(),
        long,
        "<!channel> we bumped max_depth &amp; changed <https://github.com/x/y/pull/1|the pyfunc wrapper> cc <@U123|bob>".to_owned(),
        "ÄÖÜ 学习率 🚀 we bumped the learning rate".to_owned(),
    ];

    for question in questions {
        // Act
        let reply = run_command(&app, "/testscope", &question).await;

        // Assert
        assert_fits_slack_limits(&reply);
        // Button values carry the question verbatim by design; everything
        // else is rendered as mrkdwn and must not ping anyone.
        let mut rendered = reply.clone();
        if let Some(blocks) = rendered["blocks"].as_array_mut() {
            blocks.retain(|b| b["type"] != "actions");
        }
        let shown = message_text(&rendered);
        assert!(
            !shown.contains("<!channel>") && !shown.contains("<@U123"),
            "words quoted from the question must be escaped, or a Share pings people:\n{shown}"
        );
    }
}

#[tokio::test]
async fn a_schedule_error_quotes_a_huge_word_only_in_part() {
    // Arrange: 100 kB "words" in each slot of a quiz schedule.
    let app = spawn_app().await;
    let huge = |prefix: &str, fill: char| {
        let mut word = prefix.to_owned();
        word.extend(std::iter::repeat_n(fill, 100_000));
        word
    };
    for word in [
        huge("", '9'),
        huge("Europe/", 'x'),
        huge("mon-", 'z'),
        huge("", 'q'),
        huge("`", 'w'),
    ] {
        // Act
        let reply = run_command(&app, "/testscope", &format!("quiz daily {word}")).await;

        // Assert
        let text = reply["text"].as_str().unwrap_or_default();
        assert!(
            text.chars().count() < 1_500,
            "the error echoed {} characters back (Slack refuses long replies)",
            text.chars().count()
        );
        let head: String = word.chars().take(20).collect::<String>().replace('`', "'");
        assert!(
            text.contains(&head),
            "the error should still show which word it means: {text}"
        );
        assert!(
            text.contains('…'),
            "a clipped word is marked as clipped: {text}"
        );
    }
}

#[tokio::test]
async fn the_generic_platform_setting_words_the_reply_without_databricks_tooling() {
    // Arrange: the same question to a default service and to one an
    // operator started with TESTSCOPE_PLATFORM=generic.
    let databricks = spawn_app().await;
    let generic = spawn_app_with(TestOptions {
        platform: "generic",
        ..TestOptions::default()
    })
    .await;
    let question = "changed the job schedule in resources yaml";

    // Act
    let usual = run_command(&databricks, "/testscope", question).await;
    let reworded = run_command(&generic, "/testscope", question).await;

    // Assert: the same verdict, in other words.
    let (usual, reworded) = (usual.to_string(), reworded.to_string());
    assert!(
        usual.contains("databricks bundle validate"),
        "the default names the Databricks command: {usual}"
    );
    for tool in ["databricks", "bundle", "-t staging", "`test` target"] {
        assert!(
            !reworded.contains(tool),
            "a generic team was shown `{tool}`: {reworded}"
        );
    }
    assert!(
        reworded.contains("Integration tests") && reworded.contains("validate or plan step"),
        "the generic reply keeps the scope and words the check generally: {reworded}"
    );
}
