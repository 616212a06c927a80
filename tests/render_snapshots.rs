//! Rendered advice under exact-output tests: the Slack message for every
//! study-guide scenario, and the terminal text for a few of them.
//! Review changes with `cargo insta review`.

use std::sync::LazyLock;

use insta::{assert_json_snapshot, assert_snapshot};
use serde_json::Value;
use testscope::{KnowledgeBase, advise, render};

static KB: LazyLock<KnowledgeBase> =
    LazyLock::new(|| KnowledgeBase::embedded().expect("the built-in knowledge base loads"));

/// Every row of the study guide's tables, in the guide's own terms.
const SCENARIOS: &[(&str, &str)] = &[
    (
        "map_one_function",
        "verify one function with known inputs and outputs",
    ),
    (
        "map_work_together",
        "verify feature engineering, training, evaluation, and deployment work together",
    ),
    (
        "map_promotion",
        "reason about promotion from dev to test to prod",
    ),
    ("cue_unit", "unit tests for individual functions"),
    (
        "cue_integration",
        "integration test for machine learning systems",
    ),
    ("cue_stages", "environment stages"),
    (
        "triage_transformation",
        "one transformation function changed",
    ),
    (
        "triage_feature_path",
        "feature path through training and deployment changed",
    ),
    (
        "triage_promotion",
        "promotion from test to prod is under consideration",
    ),
    (
        "triage_hyperparameters_packaging",
        "hyperparameters or artifact packaging changed",
    ),
    (
        "trap_training_only",
        "we only changed the learning rate, that only affects training right?",
    ),
    ("trap_unit_tests_ship", "unit tests pass so we can ship"),
    (
        "trap_same_tests",
        "we run the same tests in dev, test and prod",
    ),
    (
        "negated_hyperparameters",
        "hyperparameters did not change, only one transformation function was edited",
    ),
    ("no_match", "what's for lunch?"),
];

fn message(text: &str) -> Value {
    wire(render::advice_message(&KB, &advise(&KB, text)))
}

/// A message as Slack gets it, as JSON (snapshots list its keys sorted).
fn wire(msg: impl serde::Serialize) -> Value {
    serde_json::to_value(msg).expect("a message serialises")
}

#[test]
fn slack_messages_for_study_guide_scenarios() {
    for (name, text) in SCENARIOS {
        let mut settings = insta::Settings::clone_current();
        settings.set_info(text);
        settings.bind(|| assert_json_snapshot!(format!("blocks_{name}"), message(text)));
    }
}

/// The first screen carries the verdict: a header with scope and stage and
/// at most four short lines, the first of them the check that matters most;
/// the rest waits behind "Details", which holds every check and the words
/// read from the message.
#[test]
fn the_first_screen_is_the_verdict_and_details_hold_the_rest() {
    for (name, text) in SCENARIOS {
        let advice = advise(&KB, text);
        let first = message(text);
        if !render::has_details(&advice) {
            continue;
        }
        let blocks = first["blocks"].as_array().unwrap();
        assert!(blocks.len() <= 2, "{name}: {first:#}");
        assert_eq!(blocks[0]["type"], "header", "{name}");
        let lines: Vec<&str> = blocks
            .get(1)
            .and_then(|b| b["text"]["text"].as_str())
            .map(|t| t.lines().collect())
            .unwrap_or_default();
        assert!(lines.len() <= 4, "{name}: {lines:#?}");
        assert!(
            lines.iter().all(|l| l.chars().count() <= 200),
            "{name}: {lines:#?}"
        );
        if let Some(first_check) = advice.checks.first() {
            let check = &KB
                .checks
                .iter()
                .find(|c| &c.id == first_check)
                .unwrap()
                .text;
            assert!(
                lines[0].starts_with("*Check first:*")
                    && lines[0].contains(&check.chars().take(40).collect::<String>()),
                "{name}: the first line must be the check that matters most: {lines:#?}"
            );
        }
        let details = render::advice_details(&KB, &advice).to_string();
        assert!(
            !first.to_string().contains("Read from your message"),
            "{name}"
        );
        assert!(details.contains("Read from your message"), "{name}");
        for c in &advice.checks {
            let text = &KB.checks.iter().find(|k| &k.id == c).unwrap().text;
            assert!(
                details.contains(text.as_str()),
                "{name}: Details must hold every check"
            );
        }
    }
    assert_json_snapshot!(
        "details_triage_hyperparameters_packaging",
        wire(render::advice_details(
            &KB,
            &advise(&KB, "hyperparameters or artifact packaging changed")
        ))
    );
}

/// Changes where several rules fire and a shallower one comes first in the
/// knowledge base: a function named beside a boundary, five changes in one
/// PR, a release carrying a parameter bump and a schema edit. What an ML
/// engineer reads first under "Integration tests in staging" (or
/// "Release-gating tests in prod") must be a check and a reason of the rule
/// that set that scope, not the unit test of the function named on the way.
const MANY_RULES: &[(&str, &str)] = &[
    (
        "boundary_function",
        "renamed the output column of `compute_basket_features()` from avg_basket to \
         basket_mean_30d; both the training pipeline and the online feature lookup read that column",
    ),
    (
        "join_key_function",
        "fixed the off-by-one in `clip_scores()` and also switched the join key between the events \
         table and the user features from user_id to account_id",
    ),
    (
        "five_changes",
        "this PR: bumped xgboost max_depth 6 → 8, rewrote `normalize_zip()`, added a \
         days_since_signup column to the customer features table, upgraded pandas to 2.2, re-pinned \
         mlflow in the serving image, and fixed a typo in the README",
    ),
    (
        "release_params_schema",
        "release 3.4 goes to prod tomorrow: learning rate 0.05 → 0.03, and the scoring input schema \
         gains a region_code field",
    ),
    (
        "promote_retrained",
        "promoting churn v12 to prod this afternoon; it was retrained with n_estimators 400 and a new \
         tenure_bucket feature, plus a fix to `age_in_days()`",
    ),
    (
        "tokenizer_embedding",
        "refactored `tokenize()` in the text preprocessing, changed the embedding dim from 768 to \
         384, and the serving endpoint config now points at the new model",
    ),
    (
        "shorthand_many",
        "lr 3e-4 → 1e-4, bs 64 → 128, swapped the data loader, new ckpt format, and the FS feature \
         table got a new col",
    ),
    (
        "schema_and_helper",
        "added a new column to the feature table schema and tweaked `bucketize_age()` to use it",
    ),
];

/// The rules of `advice` that reach its primary scope, in the knowledge
/// base's order.
fn rules_reaching_primary<'a>(advice: &testscope::Advice) -> Vec<&'a testscope::kb::Rule> {
    let primary = advice.primary_scope.as_deref().expect("a primary scope");
    let p = KB.scopes.iter().position(|s| s.id == primary).unwrap();
    KB.rules()
        .iter()
        .filter(|r| advice.matched.iter().any(|m| m.rule == r.id) && r.scopes.contains(&p))
        .collect()
}

#[test]
fn the_rule_that_set_the_scope_leads_the_answer() {
    for (name, text) in MANY_RULES {
        let advice = advise(&KB, text);
        let lead = rules_reaching_primary(&advice);
        let primary = lead
            .first()
            .unwrap_or_else(|| panic!("{name}: no rule set the scope"));
        let first_check = &advice.checks[0];
        assert!(
            primary
                .checks
                .iter()
                .any(|&c| &KB.checks[c].id == first_check),
            "{name}: the first check {first_check} is not the primary rule's ({})",
            primary.id
        );
        assert_eq!(advice.why[0], primary.why, "{name}: the first reason");
        assert!(
            advice.lead_checks >= 1 && advice.lead_reasons == 1,
            "{name}"
        );

        let mut settings = insta::Settings::clone_current();
        settings.set_info(text);
        settings.bind(|| assert_json_snapshot!(format!("blocks_many_{name}"), message(text)));
        let details = render::advice_details(&KB, &advice);
        assert_within_slack_limits(&details, name);
        assert_within_slack_limits(&render::advice_message(&KB, &advice), name);
    }
}

/// Details lists five checks and three reasons at most before the traps,
/// the primary rule's always among them, and folds the rest into "More
/// checks" and "More reasons" after them: nothing is dropped.
#[test]
fn details_fold_long_lists_after_the_traps() {
    for (name, text) in MANY_RULES {
        let advice = advise(&KB, text);
        let details = wire(render::advice_details(&KB, &advice));
        let sections: Vec<&str> = details["blocks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|b| b["type"] == "section")
            .map(|b| b["text"]["text"].as_str().unwrap())
            .collect();
        let count = |title: &str| {
            sections
                .iter()
                .find(|s| s.starts_with(&format!("*{title}*")))
                .map_or(0, |s| s.lines().count() - 1)
        };
        let shown = count("Checks");
        assert!(shown <= 5.max(advice.lead_checks), "{name}: {shown} checks");
        assert!(
            shown >= advice.lead_checks.min(advice.checks.len()),
            "{name}"
        );
        assert_eq!(shown + count("More checks"), advice.checks.len(), "{name}");
        assert!(count("Why") <= 3, "{name}");
        assert_eq!(
            count("Why") + count("More reasons"),
            advice.why.len(),
            "{name}"
        );
        let position = |title: &str| sections.iter().position(|s| s.starts_with(title));
        if let (Some(more), Some(traps)) = (position("*More checks*"), position("*Traps")) {
            assert!(
                more > traps,
                "{name}: the folded checks come after the traps"
            );
        }
    }
    let five = advise(&KB, MANY_RULES[2].1);
    assert!(
        five.checks.len() > 5,
        "the five-change PR has a long list to fold"
    );
    assert_json_snapshot!(
        "details_many_five_changes",
        wire(render::advice_details(&KB, &five))
    );
    assert_snapshot!(
        "terminal_many_five_changes",
        render::advice_text(&KB, &five)
    );
}

/// Messages that describe no change get an answer worded for what they are:
/// a general question gets what the scopes and stages it asks about are for,
/// a belief gets its trap first. Neither gets a verdict or a blast radius.
const READINGS: &[(&str, &str)] = &[
    (
        "question_load_tests",
        "which stage do load tests belong to?",
    ),
    (
        "question_release_gating",
        "what makes a test release-gating?",
    ),
    ("belief_staging", "staging only slows us down, honestly"),
    (
        "belief_offline",
        "if the offline auc is higher the model is better in prod, always",
    ),
];

#[test]
fn slack_messages_for_questions_and_beliefs() {
    for (name, text) in READINGS {
        let mut settings = insta::Settings::clone_current();
        settings.set_info(text);
        settings.bind(|| assert_json_snapshot!(format!("blocks_{name}"), message(text)));
    }
}

#[test]
fn terminal_text_for_a_question_and_a_belief() {
    for (name, text) in &READINGS[..3] {
        let advice = advise(&KB, text);
        assert_snapshot!(
            format!("terminal_{name}"),
            render::advice_text(&KB, &advice)
        );
    }
}

#[test]
fn terminal_text_for_a_multi_change_message() {
    let advice = advise(
        &KB,
        "we bumped max_depth and rewrote the pyfunc wrapper; the feature code did not change",
    );
    assert_snapshot!(render::advice_text(&KB, &advice));
}

#[test]
fn terminal_text_when_nothing_matches() {
    assert_snapshot!(render::advice_text(&KB, &advise(&KB, "lunch at noon?")));
}

#[test]
fn help_rules_and_traps_messages() {
    assert_json_snapshot!("help", wire(render::help_message(&KB, "/testscope")));
    assert_json_snapshot!("rules", wire(render::rules_message(&KB)));
    assert_json_snapshot!("traps", wire(render::traps_message(&KB)));
}

#[test]
fn pipeline_picture_marks_the_blast_radius() {
    let advice = advise(&KB, "hyperparameters changed");
    assert_eq!(
        render::pipeline_picture(&KB, &advice),
        "features ○ → training ● → evaluation ● → registry ● → serving ●"
    );
}

/// Checks a message against Slack's documented limits.
fn assert_within_slack_limits(msg: &impl serde::Serialize, input: &str) {
    let msg = &wire(msg);
    let blocks = msg["blocks"].as_array().expect("blocks");
    assert!(
        !blocks.is_empty() && blocks.len() <= 50,
        "{input}: {} blocks",
        blocks.len()
    );
    let text = msg["text"].as_str().expect("fallback text");
    assert!(
        !text.is_empty() && text.chars().count() <= 4000,
        "{input}: fallback text"
    );
    for b in blocks {
        match b["type"].as_str() {
            Some("header") => {
                let n = b["text"]["text"].as_str().unwrap().chars().count();
                assert!((1..=150).contains(&n), "{input}: header of {n} chars");
            }
            Some("section") => {
                let n = b["text"]["text"].as_str().unwrap().chars().count();
                assert!((1..=3000).contains(&n), "{input}: section of {n} chars");
            }
            Some("context") => {
                let elements = b["elements"].as_array().unwrap();
                assert!(elements.len() <= 10);
                for e in elements {
                    let n = e["text"].as_str().unwrap().chars().count();
                    assert!((1..=3000).contains(&n), "{input}: context of {n} chars");
                }
            }
            Some("actions") => {
                let elements = b["elements"].as_array().unwrap();
                assert!((1..=25).contains(&elements.len()));
                for e in elements {
                    assert!(e["text"]["text"].as_str().unwrap().chars().count() <= 75);
                    if let Some(label) = e["accessibility_label"].as_str() {
                        assert!((1..=75).contains(&label.chars().count()));
                    }
                    assert!(e["value"].as_str().unwrap().len() <= 2000);
                }
            }
            Some("divider") => {}
            other => panic!("{input}: unexpected block type {other:?}"),
        }
    }
}

#[test]
fn every_message_stays_within_slack_limits() {
    let long_words = "learning rate <b>&amp; ".repeat(3000);
    let everything: String = KB
        .rules()
        .iter()
        .flat_map(|r| r.signals.iter().filter(|s| !s.contains("..")))
        .cloned()
        .collect::<Vec<_>>()
        .join(". ");
    let inputs = SCENARIOS
        .iter()
        .map(|(_, t)| (*t).to_owned())
        .chain([long_words, everything]);
    for input in inputs {
        let label = &input[..input.len().min(60)];
        assert_within_slack_limits(&message(&input), label);
        let details = render::advice_details(&KB, &advise(&KB, &input));
        assert_within_slack_limits(&details, label);
    }
    for msg in [
        render::help_message(&KB, "/testscope"),
        render::rules_message(&KB),
        render::traps_message(&KB),
    ] {
        assert_within_slack_limits(&msg, "static message");
    }
}

#[test]
fn user_words_are_escaped_in_mrkdwn() {
    let msg = message("changed the <learning rate> & the epochs");
    let text = msg.to_string();
    assert!(!text.contains("<learning"), "{text}");
    let details = wire(render::advice_details(
        &KB,
        &advise(&KB, "changed the <learning rate> & the epochs"),
    ));
    assert!(!details.to_string().contains("<learning"), "{details}");
    let context = details["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["type"] == "context")
        .unwrap();
    assert!(
        context["elements"][0]["text"]
            .as_str()
            .unwrap()
            .contains("learning rate")
    );
}

/// A question of our own, so the snapshots do not move when the bank is
/// rewritten: four options of about 70 characters whose deciding words come
/// last, which a 30-character button would cut off.
fn long_options_question(id: &str) -> testscope::kb::Question {
    testscope::kb::Question {
        id: id.to_owned(),
        question: "A pull request changes only the docstrings and the README of the feature \
                   pipeline. What should run before it merges?"
            .to_owned(),
        options: vec![
            "The unit tests of the feature pipeline, plus a docs build and a link check".into(),
            "The unit tests of the feature pipeline, plus integration tests in staging".into(),
            "The unit tests of the feature pipeline, plus a full retrain and a backtest".into(),
            "The unit tests of the feature pipeline, plus a load test of the endpoint".into(),
        ],
        correct: 0,
        explanation: "Nothing the pipeline computes changed, so the lightest check that \
                      covers the change is the right one."
            .to_owned(),
        difficulty: testscope::kb::Difficulty::Easy,
        // Any other fields the bank grows come from a real question.
        ..KB.quiz[0].clone()
    }
}

#[test]
fn quiz_messages() {
    use testscope::quiz::message::{
        Reveal, closed_post, closed_reply, daily_post, daily_value, feedback, practice,
    };
    let q = long_options_question("docs-only-change");
    let previous = testscope::kb::Question {
        correct: 2,
        ..long_options_question("earlier")
    };
    let reveal = Reveal {
        question: &previous,
        answered: 14,
        correct: 9,
    };
    let post = wire(daily_post(
        &KB,
        &q,
        |i| daily_value("C1", "2026-11-25", &q.id, i),
        Some(&reveal),
        &[],
        3,
    ));
    assert_within_slack_limits(&post, "quiz post");
    assert_json_snapshot!("quiz_daily_post", post);
    // The first post of a week also names last week's top three.
    let standing = |user: &str, correct, answered| testscope::quiz::stats::Standing {
        user_id: user.to_owned(),
        correct,
        answered,
        streak: 0,
    };
    let last_week = [
        standing("UANA", 5, 5),
        standing("UBO", 4, 5),
        standing("UCY", 4, 5),
        standing("UDEE", 3, 5),
    ];
    let monday = wire(daily_post(
        &KB,
        &q,
        |i| daily_value("C1", "2026-11-30", &q.id, i),
        Some(&reveal),
        &last_week,
        0,
    ));
    assert_within_slack_limits(&monday, "monday quiz post");
    assert_json_snapshot!("quiz_monday_post", monday["blocks"][2]);
    let practice = wire(practice(&KB, &q));
    assert_within_slack_limits(&practice, "practice question");
    assert_json_snapshot!("quiz_practice", practice);
    let closed = wire(closed_post(&KB, &q, 14, 9));
    assert_within_slack_limits(&closed, "closed quiz post");
    assert_json_snapshot!("quiz_closed_post", closed);
    assert_snapshot!("quiz_feedback_wrong", feedback(&KB, &q, 3));
    assert_snapshot!("quiz_feedback_right", feedback(&KB, &q, 0));
    assert_snapshot!("quiz_closed_reply", closed_reply(&KB, &q));
}

/// Every question in the bank, whatever it holds: the buttons are short
/// enough for any screen, and every option is written out in full, with its
/// letter, in the message itself and in the notification text.
#[test]
fn every_quiz_question_shows_its_options_in_full_and_short_buttons() {
    use testscope::quiz::message::{daily_post, daily_value, letter};
    let mut banks = KB.quiz.clone();
    // Second phrasings are posted like any question.
    let again: Vec<_> = KB
        .quiz
        .iter()
        .filter_map(|q| q.again.as_deref().cloned())
        .collect();
    assert!(again.len() >= 20, "{} second phrasings", again.len());
    banks.extend(again);
    banks.push(long_options_question("long"));
    // A question at the section limit keeps all its options; its own end gives.
    banks.push(testscope::kb::Question {
        question: "word ".repeat(600),
        ..long_options_question("overlong")
    });
    for q in &banks {
        let post = wire(daily_post(
            &KB,
            q,
            |i| daily_value("C1", "2026-11-25", &q.id, i),
            None,
            &[],
            0,
        ));
        assert_within_slack_limits(&post, &q.id);
        let blocks = post["blocks"].as_array().unwrap();
        let buttons = blocks.iter().find(|b| b["type"] == "actions").unwrap()["elements"]
            .as_array()
            .unwrap();
        assert_eq!(buttons.len(), q.options.len(), "{}", q.id);
        let body = blocks
            .iter()
            .filter(|b| b["type"] == "section")
            .map(|b| b["text"]["text"].as_str().unwrap())
            .collect::<Vec<_>>()
            .join("\n");
        for (i, (button, option)) in buttons.iter().zip(&q.options).enumerate() {
            let label = button["text"]["text"].as_str().unwrap();
            assert_eq!(label, letter(i).to_string(), "{}", q.id);
            assert!(label.chars().count() <= 30);
            assert_eq!(
                button["value"],
                format!("quiz|C1|2026-11-25|{}|{i}", q.id),
                "the value still carries the option index"
            );
            let line = format!("*{}.* {option}", letter(i));
            assert!(
                body.contains(&line),
                "{}: `{line}` not in the message",
                q.id
            );
            assert!(
                post["text"].as_str().unwrap().contains(&line),
                "{}: `{line}` not in the notification text",
                q.id
            );
        }
    }
}

/// The same change answered for a team off Databricks: the checks and
/// reasons in general CI, staging and registry terms.
#[test]
fn a_generic_platform_answer() {
    let kb = KnowledgeBase::load_for(None, Some(testscope::kb::Platform::Generic))
        .expect("the generic wording loads");
    let text = "changed the job schedule in resources yaml";
    let advice = advise(&kb, text);
    assert_snapshot!("generic_job_schedule", render::advice_text(&kb, &advice));
    assert_json_snapshot!(
        "generic_job_schedule_blocks",
        wire(render::advice_details(&kb, &advice))
    );
}

/// The over-testing reminder the engine adds to "do we need a canary for a
/// docstring change?" is not read from the message, so it is not quoted as
/// if it were (it used to show as `belief-over-testing: ""`).
#[test]
fn a_reminder_the_engine_adds_is_not_shown_as_read_from_the_message() {
    let advice = advise(
        &KB,
        "do we need a canary if we only changed the docstring of rank_candidates()?",
    );
    assert!(advice.traps.iter().any(|t| t == "over-testing"));
    let text = render::advice_text(&KB, &advice);
    assert!(!text.contains("\"\""), "an empty quote in:\n{text}");
    let blocks = serde_json::to_string(&render::advice_message(&KB, &advice)).unwrap();
    assert!(!blocks.contains("()"), "an empty quote in:\n{blocks}");
}
