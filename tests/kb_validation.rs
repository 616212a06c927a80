//! A team's edited knowledge base must fail loudly and precisely: every
//! problem names the file, line and column, and loading never panics.

use std::fs;
use std::path::{Path, PathBuf};

use testscope::KnowledgeBase;
use testscope::kb::{FILES, LoadError, Platform};

/// A copy of the shipped `responses/` in a temporary directory.
fn copy_of_responses() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("responses");
    for name in FILES {
        fs::copy(src.join(name), dir.path().join(name)).expect("copy");
    }
    dir
}

fn edit(dir: &Path, file: &str, from: &str, to: &str) -> PathBuf {
    let path = dir.join(file);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} does not contain {from:?}");
    fs::write(&path, text.replacen(from, to, 1)).unwrap();
    path
}

fn load_err(dir: &Path) -> LoadError {
    KnowledgeBase::from_dir(dir).expect_err("the edited copy must be rejected")
}

fn generic_err(dir: &Path) -> LoadError {
    KnowledgeBase::load_for(Some(dir), Some(Platform::Generic))
        .expect_err("the edited copy must be rejected on the generic platform")
}

/// The 1-based line of the first occurrence of `needle` in `file`.
fn line_of(dir: &Path, file: &str, needle: &str) -> usize {
    let text = fs::read_to_string(dir.join(file)).unwrap();
    text[..text.find(needle).expect("needle present")]
        .matches('\n')
        .count()
        + 1
}

#[test]
fn an_unmodified_copy_loads_like_the_embedded_one() {
    let dir = copy_of_responses();
    let from_dir = KnowledgeBase::from_dir(dir.path()).expect("copy loads");
    let embedded = KnowledgeBase::embedded().unwrap();
    assert_eq!(from_dir.rules().len(), embedded.rules().len());
    assert_eq!(
        testscope::advise(&from_dir, "hyperparameters changed"),
        testscope::advise(&embedded, "hyperparameters changed")
    );
}

#[test]
fn each_problem_names_file_line_and_what_is_wrong() {
    // (file, text to replace, replacement, expected message fragment, marker to find the line)
    let cases: &[(&str, &str, &str, &str, &str)] = &[
        (
            "rules.toml",
            "id = \"hyperparameters\"\n",
            "id = \"hyperparameters\"\ncolour = \"blue\"\n",
            "unknown field `colour`",
            "colour",
        ),
        (
            "rules.toml",
            "id = \"seed-or-split\"",
            "id = \"hyperparameters\"",
            "duplicate rule id `hyperparameters` (first defined on line",
            "id = \"hyperparameters\"\ntitle = \"Random seed",
        ),
        (
            "rules.toml",
            "traps = [\"model-change-only-training\"]\nwhy = \"New hyperparameters",
            "traps = [\"training-only\"]\nwhy = \"New hyperparameters",
            "unknown trap `training-only`; defined traps are: model-change-only-training,",
            "\"training-only\"",
        ),
        (
            "rules.toml",
            "scopes = [\"unit\"]\nchecks = [\"model-spec-unit\"]",
            "scopes = [\"unti\"]\nchecks = [\"model-spec-unit\"]",
            "unknown scope `unti`",
            "\"unti\"",
        ),
        (
            "rules.toml",
            "signals = [\"model spec\",",
            "signals = [\"the\",",
            "signal `the` has no words left once stop words are removed",
            "signals = [\"the\",",
        ),
        (
            "rules.toml",
            "note_unless = \"integration\"",
            "note_unless = \"integraton\"",
            "unknown scope `integraton`",
            "\"integraton\"",
        ),
        (
            "rules.toml",
            "id = \"hyperparameters\"\n",
            "id = \"hyperparameters\"\nnote_unless = \"unit\"\n",
            "rule `hyperparameters` has `note_unless` but no `note` for it to leave out",
            "note_unless = \"unit\"\n",
        ),
        (
            "traps.toml",
            "id = \"stage-blind\"",
            "id = \"Stage Blind\"",
            "trap id `Stage Blind` must be lower-case letters, digits and hyphens",
            "Stage Blind",
        ),
        (
            "scopes.toml",
            "stage = \"prod\"",
            "stage = \"production\"",
            "unknown stage `production`",
            "\"production\"",
        ),
        (
            "lexicon.toml",
            "\"not sure\",",
            "\"not\" ,",
            "reduces to the single word `not`",
            "\"not\" ,",
        ),
        (
            "platform.toml",
            "platform = \"databricks\"",
            "platform = \"azure\"",
            "unknown platform `azure`; use one of: databricks, generic",
            "\"azure\"",
        ),
        (
            "checks.toml",
            "text = \"Unit test the function with",
            "text = \"In a Databricks notebook, unit test the function with",
            "check text names Databricks tooling (`databricks`) but has no generic wording: add `generic.text",
            "In a Databricks notebook",
        ),
        (
            "rules.toml",
            "why = \"New hyperparameters",
            "why = \"Through the bundle, new hyperparameters",
            "rule rationale names Databricks tooling (`bundle`) but has no generic wording: add `generic.why",
            "Through the bundle",
        ),
        (
            "checks.toml",
            "generic.text = \"Validate the deployment config",
            "generic.text = \"Run databricks bundle validate, checking the deployment config",
            "the generic wording of check text still names Databricks tooling (`databricks`)",
            "Run databricks bundle validate",
        ),
        (
            "quiz.toml",
            "to a packaged model class with",
            "to an MLflow pyfunc with",
            "question `packaging-change-signature` names Databricks tooling (`mlflow`) but has no `databricks` tag",
            "an MLflow pyfunc",
        ),
        (
            "messages.toml",
            "matched = \"Read from your message\"",
            "matched = \"Read from your Unity Catalog message\"",
            "label names Databricks tooling (`unity catalog`)",
            "Unity Catalog message",
        ),
    ];
    for (file, from, to, message, marker) in cases {
        let dir = copy_of_responses();
        let path = edit(dir.path(), file, from, to);
        // Tool words are checked where they would show: on the generic platform.
        let err = if message.contains("Databricks tooling") {
            generic_err(dir.path())
        } else {
            load_err(dir.path())
        };
        let problem = err
            .problems
            .iter()
            .find(|p| p.message.contains(message))
            .unwrap_or_else(|| panic!("{file}: no problem mentions {message:?}: {err}"));
        assert_eq!(problem.file, path.display().to_string());
        let expected_line = line_of(dir.path(), file, marker);
        assert_eq!(problem.line, expected_line, "{file}: {problem}");
        assert!(problem.column >= 1);
        let shown = err.to_string();
        assert!(
            shown.contains(&format!("{}:{}:", path.display(), expected_line)),
            "{shown}"
        );
    }
}

#[test]
fn text_over_slack_limits_is_rejected_with_its_length() {
    let dir = copy_of_responses();
    let long = "x".repeat(151);
    edit(
        dir.path(),
        "rules.toml",
        "title = \"Hyperparameters changed\"",
        &format!("title = \"{long}\""),
    );
    let err = load_err(dir.path());
    assert!(
        err.problems
            .iter()
            .any(|p| p.message == "rule title is 151 characters; Slack allows at most 150"),
        "{err}"
    );
}

#[test]
fn broken_toml_syntax_points_at_the_spot() {
    let dir = copy_of_responses();
    edit(dir.path(), "stages.toml", "id = \"dev\"", "id = \"dev");
    let err = load_err(dir.path());
    assert_eq!(err.problems.len(), 1, "{err}");
    let p = &err.problems[0];
    assert!(p.file.ends_with("stages.toml"));
    assert_eq!(p.line, line_of(dir.path(), "stages.toml", "id = \"dev"));
}

#[test]
fn a_missing_file_is_named() {
    let dir = copy_of_responses();
    fs::remove_file(dir.path().join("traps.toml")).unwrap();
    let err = load_err(dir.path());
    assert!(err.problems[0].file.ends_with("traps.toml"));
    assert!(err.problems[0].message.starts_with("cannot read this file"));
}

#[test]
fn a_rule_that_can_never_fire_is_rejected() {
    let dir = copy_of_responses();
    edit(
        dir.path(),
        "rules.toml",
        "signals = [\"model spec\", \"model class\", \"model definition\", \"forward pass\", \"custom estimator\", \"estimator class\", \"model code\"]",
        "signals = []",
    );
    let err = load_err(dir.path());
    assert!(
        err.problems.iter().any(|p| p.message
            == "rule `model-code-unit` has no signals, topics or paths, so it can never fire"),
        "{err}"
    );
}

#[test]
fn a_cue_phrase_that_stop_words_reduce_to_one_word_is_rejected() {
    let dir = copy_of_responses();
    edit(
        dir.path(),
        "lexicon.toml",
        "\"stays put\", \"stay put\",",
        "\"stays put\", \"stay put\", \"stays where it is\",",
    );
    let err = load_err(dir.path());
    let line = line_of(dir.path(), "lexicon.toml", "stays where it is");
    assert!(
        err.problems.iter().any(|p| p.line == line
            && p.message
                .contains("`stays where it is` reads as the single word `stay`")),
        "{err}"
    );
}

#[test]
fn the_decision_policy_is_enforced_on_the_rules() {
    // Release gating comes only from a promotion.
    let dir = copy_of_responses();
    let rules = edit(
        dir.path(),
        "rules.toml",
        "scopes = [\"unit\", \"integration\"]\nchecks = [\"metric-unit\"",
        "scopes = [\"unit\", \"release-gating\"]\nchecks = [\"metric-unit\"",
    );
    let err = load_err(dir.path());
    let line = line_of(
        dir.path(),
        "rules.toml",
        "id = \"metric-or-validation-threshold\"",
    );
    assert!(
        err.problems
            .iter()
            .any(|p| p.file == rules.display().to_string()
                && p.line == line
                && p.message.contains("names the deepest scope")
                && p.message.contains("kind = \"promote\"")),
        "{err}"
    );

    // Fields that only a belief or a topic can carry, and one function rule.
    let dir = copy_of_responses();
    edit(
        dir.path(),
        "rules.toml",
        "id = \"hyperparameters\"\n",
        "id = \"hyperparameters\"\nstated_only = true\nasked_only = true\nnames_change = true\nsubject = \"function\"\n",
    );
    let err = load_err(dir.path());
    let messages: Vec<&str> = err.problems.iter().map(|p| p.message.as_str()).collect();
    assert!(
        messages
            .contains(&"rule `hyperparameters`: only a kind = \"trap\" rule can set `stated_only`"),
        "{err}"
    );
    assert!(
        messages
            .contains(&"rule `hyperparameters`: only a kind = \"trap\" rule can set `asked_only`"),
        "{err}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("only one rule can have subject = \"function\"")),
        "{err}"
    );
    assert!(
        messages.contains(
            &"rule `hyperparameters`: only a kind = \"promote\" rule can set `names_change`"
        ),
        "{err}"
    );
}

#[test]
fn several_problems_are_reported_together() {
    let dir = copy_of_responses();
    edit(
        dir.path(),
        "rules.toml",
        "scopes = [\"unit\"]",
        "scopes = [\"nope\"]",
    );
    edit(
        dir.path(),
        "traps.toml",
        "id = \"over-testing\"",
        "id = \"stage-blind\"",
    );
    let err = load_err(dir.path());
    assert!(err.problems.len() >= 2, "{err}");
    assert!(err.to_string().starts_with("the knowledge base has"));
}

/// The first question block of the shipped bank, for targeted edits.
fn first_question(dir: &Path) -> String {
    let text = fs::read_to_string(dir.join("quiz.toml")).unwrap();
    let start = text.find("\n[[question]]").unwrap() + 1;
    let end = text[start + 1..]
        .find("\n[[question]]")
        .map_or(text.len(), |i| start + 2 + i);
    text[start..end].to_owned()
}

/// (what is broken, how to break the first question, the expected message).
type QuizCase<'a> = (&'a str, &'a dyn Fn(&str) -> String, &'a str);

/// The option lines of a question block (`  "text",`).
fn option_lines(q: &str) -> Vec<&str> {
    q.lines()
        .skip_while(|l| !l.starts_with("options = ["))
        .skip(1)
        .take_while(|l| !l.starts_with(']'))
        .collect()
}

#[test]
fn quiz_questions_are_checked_against_slack_and_sense() {
    let cases: &[QuizCase<'_>] = &[
        (
            "correct out of range",
            &|q| replace_line(q, "correct = ", "correct = 7"),
            "must be the 0-based index of exactly one of its",
        ),
        (
            "too few options",
            &|q| {
                let lines = option_lines(q);
                lines[2..].iter().fold(q.to_owned(), |acc, l| {
                    acc.replacen(&format!("{l}\n"), "", 1)
                })
            },
            "give 3 to 5",
        ),
        (
            "button label too long",
            &|q| {
                let first = option_lines(q)[0];
                q.replacen(first, &format!("  \"{}\",", "x".repeat(80)), 1)
            },
            "Slack allows at most 75",
        ),
        (
            "duplicate option",
            &|q| {
                let lines = option_lines(q);
                q.replacen(lines[1], lines[0], 1)
            },
            "twice",
        ),
        (
            "unknown difficulty",
            &|q| replace_line(q, "difficulty = ", "difficulty = \"trivial\""),
            "difficulty `trivial` must be easy, medium or hard",
        ),
    ];
    for (what, edit_fn, message) in cases {
        let dir = copy_of_responses();
        let original = first_question(dir.path());
        let edited = edit_fn(&original);
        assert_ne!(edited, original, "{what}: the edit changed nothing");
        edit(dir.path(), "quiz.toml", &original, &edited);
        let err = load_err(dir.path());
        let p = err
            .problems
            .iter()
            .find(|p| p.message.contains(message))
            .unwrap_or_else(|| panic!("{what}: no problem mentions {message:?}: {err}"));
        assert!(p.file.ends_with("quiz.toml") && p.line > 0, "{what}: {p}");
    }
}

/// Replaces the whole line that starts with `prefix`.
fn replace_line(text: &str, prefix: &str, with: &str) -> String {
    text.lines()
        .map(|l| if l.starts_with(prefix) { with } else { l })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

#[test]
fn a_quiz_bank_that_can_be_gamed_is_rejected_naming_quiz_toml() {
    // Put every key in the first slot: "always A" then scores 100%.
    let dir = copy_of_responses();
    let path = dir.path().join("quiz.toml");
    let text = fs::read_to_string(&path).unwrap();
    let gamed: String = text
        .lines()
        .map(|l| {
            if l.starts_with("correct = ") {
                "correct = 0"
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert_ne!(gamed, text);
    fs::write(&path, gamed).unwrap();
    let err = load_err(dir.path());
    let p = err
        .problems
        .iter()
        .find(|p| p.message.contains("can be gamed"))
        .unwrap_or_else(|| panic!("no cue problem: {err}"));
    assert!(p.file.ends_with("quiz.toml"), "{p}");
    assert!(p.message.contains("\"always A\" answers 100%"), "{p}");
    assert!(p.message.contains("key positions: A="), "{p}");
}

/// A valid second phrasing for the first question (which ships without one).
const AGAIN: &str = "\n[question.again]
question = \"A PR only adds tests for the CSV reader; no shipped code changes. What runs?\"
options = [
  \"A retrain to be sure that the metrics stay the same\",
  \"The fast suite with the new tests, on the PR itself\",
  \"The unit suite, then a full pipeline run in staging\",
]
correct = 1
explanation = \"Only tests changed, so the new tests and the usual fast suite prove them.\"
";

#[test]
fn a_second_phrasing_loads_and_is_found_by_its_own_id() {
    let dir = copy_of_responses();
    let original = first_question(dir.path());
    let id = original
        .lines()
        .find_map(|l| l.strip_prefix("id = "))
        .unwrap();
    let id = id.trim_matches('"').to_owned();
    edit(
        dir.path(),
        "quiz.toml",
        &original,
        &format!("{original}{AGAIN}"),
    );
    let kb = KnowledgeBase::from_dir(dir.path()).expect("a valid second phrasing loads");
    let first = kb.question(&id).unwrap();
    let again = kb
        .question(&format!("{id}{}", testscope::kb::AGAIN_SUFFIX))
        .expect("found by its own id");
    assert_eq!(again.correct, 1);
    assert_eq!(
        again.options[1],
        "The fast suite with the new tests, on the PR itself"
    );
    assert_eq!(again.difficulty, first.difficulty);
    assert_eq!(again.tags, first.tags);
    assert!(again.again.is_none());
}

#[test]
fn a_second_phrasing_is_checked_like_the_first_at_its_line() {
    // (what is broken, text in AGAIN, its replacement, expected message, text of the reported line)
    let cases: &[(&str, &str, &str, &str, &str)] = &[
        (
            "correct out of range",
            "correct = 1",
            "correct = 3",
            "must be the 0-based index of exactly one of its 3 options",
            "correct = 3",
        ),
        (
            "button label too long",
            "\"A retrain to be sure that the metrics stay the same\"",
            "\"A retrain to be sure that the metrics stay the same, then a staging pipeline run\"",
            "Slack allows at most 75",
            "A retrain to be sure",
        ),
        (
            "too few options",
            "  \"The unit suite, then a full pipeline run in staging\",\n",
            "",
            "give 3 to 5",
            "options = [",
        ),
        (
            "duplicate option",
            "\"The unit suite, then a full pipeline run in staging\"",
            "\"A retrain to be sure that the metrics stay the same\"",
            "twice",
            "  \"A retrain to be sure that the metrics stay the same\",",
        ),
        (
            "unknown field",
            "correct = 1\n",
            "correct = 1\ndifficulty = \"easy\"\n",
            "difficulty",
            "difficulty = \"easy\"",
        ),
        (
            "missing explanation",
            "explanation = \"Only tests changed, so the new tests and the usual fast suite prove them.\"\n",
            "",
            "explanation",
            "[question.again]",
        ),
    ];
    for (what, from, to, message, marker) in cases {
        assert!(AGAIN.contains(from), "{what}: AGAIN lacks {from:?}");
        let dir = copy_of_responses();
        let original = first_question(dir.path());
        let broken = AGAIN.replacen(from, to, 1);
        edit(
            dir.path(),
            "quiz.toml",
            &original,
            &format!("{original}{broken}"),
        );
        let err = load_err(dir.path());
        let p = err
            .problems
            .iter()
            .find(|p| p.message.contains(message))
            .unwrap_or_else(|| panic!("{what}: no problem mentions {message:?}: {err}"));
        assert!(p.file.ends_with("quiz.toml"), "{what}: {p}");
        // On the broken line, inside the second phrasing, not the first.
        let text = fs::read_to_string(dir.path().join("quiz.toml")).unwrap();
        assert!(
            p.line >= line_of(dir.path(), "quiz.toml", "[question.again]"),
            "{what}: {p}"
        );
        let reported = text.lines().nth(p.line - 1).unwrap_or("");
        assert!(
            reported.contains(marker),
            "{what}: line {} is {reported:?}: {p}",
            p.line
        );
    }
}

/// A signal is read the way a message is. "champion comparison" is a concept
/// whose first word is itself a synonym (of the champion concept); a rule
/// phrase spelled with those words must fold to the concept too, or it can
/// never match anything a user types.
#[test]
fn a_signal_spelled_with_a_concepts_words_matches_what_users_type() {
    let dir = copy_of_responses();
    edit(
        dir.path(),
        "rules.toml",
        "\"gate .. suggestion\", \"gate .. optional\",",
        "\"champion comparison .. paranoia\", \"gate .. suggestion\", \"gate .. optional\",",
    );
    let kb = KnowledgeBase::from_dir(dir.path()).expect("edited copy loads");
    let advice = testscope::advise(&kb, "honestly the champion comparison is paranoia");
    assert_eq!(advice.traps, ["gate-erosion"], "{advice:#?}");
    assert!(
        advice
            .matched
            .iter()
            .any(|m| m.rule == "belief-gate-optional"
                && m.words
                    .iter()
                    .any(|w| w == "champion comparison is paranoia")),
        "{:#?}",
        advice.matched
    );
}

/// "also read" loses "also" to the stop words and would fire on every
/// "read": a signal that shrinks to one word is refused, naming that word.
#[test]
fn a_signal_that_stop_words_reduce_to_one_word_is_rejected() {
    let dir = copy_of_responses();
    edit(
        dir.path(),
        "rules.toml",
        "\"both read\",",
        "\"both read\", \"also read\",",
    );
    let err = load_err(dir.path());
    assert!(
        err.problems.iter().any(|p| p.message
            == "signal `also read` reduces to the single word `read` once stop words are removed, so it would fire on every `read`"),
        "{err}"
    );
}

#[test]
fn the_platform_comes_from_the_copy_unless_overridden() {
    let change = "changed the job schedule in resources yaml";
    let bundle = |kb: &KnowledgeBase| {
        let advice = testscope::advise(kb, change);
        testscope::render::advice_text(kb, &advice).contains("databricks bundle validate")
    };
    let dir = copy_of_responses();
    edit(
        dir.path(),
        "platform.toml",
        "platform = \"databricks\"",
        "platform = \"generic\"",
    );
    let generic = KnowledgeBase::from_dir(dir.path()).expect("a generic copy loads");
    assert_eq!(generic.platform, Platform::Generic);
    assert!(!bundle(&generic));
    let overridden = KnowledgeBase::load_for(Some(dir.path()), Some(Platform::Databricks))
        .expect("the override loads");
    assert_eq!(overridden.platform, Platform::Databricks);
    assert!(bundle(&overridden));
}

#[test]
fn a_copy_made_before_platform_toml_existed_loads_with_the_built_in_one() {
    let dir = copy_of_responses();
    fs::remove_file(dir.path().join("platform.toml")).unwrap();
    let kb = KnowledgeBase::from_dir(dir.path()).expect("the copy still loads");
    assert_eq!(kb.platform, Platform::Databricks);
}

#[test]
fn a_team_can_add_its_own_tool_words() {
    let dir = copy_of_responses();
    edit(
        dir.path(),
        "platform.toml",
        "tool_words = [\n",
        "tool_words = [\n  \"Champion\",\n",
    );
    let err = generic_err(dir.path());
    let champion = err
        .problems
        .iter()
        .find(|p| {
            p.message
                .contains("(`champion`) but has no generic wording")
        })
        .unwrap_or_else(|| panic!("no text with `Champion` was flagged: {err}"));
    assert!(champion.line > 0, "{champion}");
}

#[test]
fn a_team_on_databricks_need_not_word_its_texts_for_the_generic_platform() {
    let dir = copy_of_responses();
    edit(
        dir.path(),
        "checks.toml",
        "text = \"Unit test the function with",
        "text = \"In a Databricks notebook, unit test the function with",
    );
    let kb = KnowledgeBase::from_dir(dir.path()).expect("a Databricks team's copy loads");
    assert_eq!(kb.platform, Platform::Databricks);
    assert!(
        generic_err(dir.path())
            .to_string()
            .contains("names Databricks tooling (`databricks`) but has no generic wording"),
        "switching to generic names the text to reword"
    );
}

#[test]
fn a_direction_word_must_be_a_stop_word() {
    // A word that is not a stop word stays in the message and is matched as
    // it is, so requiring it as a direction word would mean nothing.
    let dir = copy_of_responses();
    edit(
        dir.path(),
        "lexicon.toml",
        "direction_words = [\"to\", \"into\", \"onto\"]",
        "direction_words = [\"to\", \"into\", \"onto\", \"towards\"]",
    );
    let err = load_err(dir.path());
    let line = line_of(dir.path(), "lexicon.toml", "direction_words = [");
    assert!(
        err.problems.iter().any(|p| p.line == line
            && p.message
                .contains("direction word `towards` must be a stop word")),
        "{err}"
    );
}

#[test]
fn an_acknowledgement_must_be_a_single_word() {
    // Acknowledgements are compared with a thread message's words one by
    // one, so a phrase could never be found.
    let dir = copy_of_responses();
    edit(
        dir.path(),
        "lexicon.toml",
        "acknowledgements = [\"ok\",",
        "acknowledgements = [\"got it\", \"ok\",",
    );
    let err = load_err(dir.path());
    let line = line_of(dir.path(), "lexicon.toml", "acknowledgements = [");
    assert!(
        err.problems.iter().any(|p| p.line == line
            && p.message
                .contains("acknowledgement `got it` must be a single word")),
        "{err}"
    );
}
