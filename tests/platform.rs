//! The `generic` platform: the same advice as on Databricks, worded in
//! general CI, staging and model-registry terms, and a quiz without the
//! Databricks-only questions.

use std::sync::LazyLock;

use serde_json::Value;
use testscope::kb::{Platform, platform};
use testscope::{KnowledgeBase, advise, render};

static DATABRICKS: LazyLock<KnowledgeBase> =
    LazyLock::new(|| KnowledgeBase::embedded().expect("the built-in knowledge base loads"));
static GENERIC: LazyLock<KnowledgeBase> = LazyLock::new(|| {
    KnowledgeBase::load_for(None, Some(Platform::Generic)).expect("the generic wording loads")
});

/// The tool words the shipped `platform.toml` lists, so the test follows
/// the data a team extends.
static TOOL_WORDS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("responses/platform.toml");
    let file: toml::Table = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    file["tool_words"]
        .as_array()
        .expect("tool_words is a list")
        .iter()
        .map(|w| w.as_str().unwrap().to_lowercase())
        .collect()
});

/// The first tool word `text` names as a whole word, if any: "bundle" in
/// "bundle validate", not in "bundled".
fn tool_word(text: &str) -> Option<&'static str> {
    let text = text.to_lowercase();
    let word_char = |c: char| c.is_alphanumeric() || c == '_';
    // A letter at the phrase's end must not run on into the text's next one.
    let open = |phrase_end: Option<char>, text_side: Option<char>| {
        !(phrase_end.is_some_and(word_char) && text_side.is_some_and(word_char))
    };
    TOOL_WORDS
        .iter()
        .find(|w| {
            text.match_indices(w.as_str()).any(|(i, _)| {
                open(w.chars().next(), text[..i].chars().next_back())
                    && open(w.chars().next_back(), text[i + w.len()..].chars().next())
            })
        })
        .map(String::as_str)
}

/// Everything a person reads in an answer: the first screen, and the
/// details without "Read from your message", which quotes their own words.
fn shown(kb: &KnowledgeBase, text: &str) -> String {
    let advice = advise(kb, text);
    let details = serde_json::to_value(render::advice_details(kb, &advice)).unwrap();
    let own_words = &kb.messages.labels.matched;
    let blocks: Vec<&Value> = details["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| !b.to_string().contains(own_words.as_str()))
        .collect();
    format!(
        "{}\n{}",
        render::advice_message(kb, &advice),
        serde_json::to_string(&blocks).unwrap()
    )
}

/// Changes whose Databricks answer names Databricks tooling.
const TOOL_HEAVY: &[&str] = &[
    "changed the job schedule in resources yaml",
    "moved the champion alias to version 7 in prod",
    "the service principal of the training job got new permissions",
    "we set the validation run_mode to dry_run",
    "merged the PR to main",
    "bumped num_workers on the training cluster",
    "the weekly retrain runs on fresh data, no code changed",
];

#[test]
fn a_generic_answer_names_no_databricks_tool_and_decides_the_same() {
    for text in TOOL_HEAVY {
        let (db, generic) = (advise(&DATABRICKS, text), advise(&GENERIC, text));
        assert_eq!(generic.primary_scope, db.primary_scope, "{text}");
        assert_eq!(generic.scopes, db.scopes, "{text}");
        assert_eq!(generic.stages, db.stages, "{text}");
        assert_eq!(generic.checks, db.checks, "{text}");
        assert_eq!(generic.traps, db.traps, "{text}");
        let reply = shown(&GENERIC, text);
        assert_eq!(
            tool_word(&reply),
            None,
            "the generic answer to {text:?} names Databricks tooling: {reply}"
        );
    }
}

#[test]
fn the_default_answer_still_names_the_databricks_tools() {
    for (text, tool) in [
        (
            "changed the job schedule in resources yaml",
            "databricks bundle validate -t staging",
        ),
        (
            "moved the champion alias to version 7 in prod",
            "before the alias moves",
        ),
    ] {
        let reply = shown(&DATABRICKS, text);
        assert!(reply.contains(tool), "{text}: {reply}");
    }
    assert_eq!(DATABRICKS.platform, Platform::Databricks);
}

#[test]
fn nothing_a_generic_team_reads_names_databricks_tooling() {
    let kb = &*GENERIC;
    let mut texts: Vec<(String, String)> = Vec::new();
    let mut add = |what: String, text: &str| texts.push((what, text.to_owned()));
    for s in &kb.stages {
        add(
            format!("stage {}", s.id),
            &format!("{} {}", s.title, s.purpose),
        );
    }
    for s in &kb.scopes {
        add(
            format!("scope {}", s.id),
            &format!("{} {}", s.title, s.summary),
        );
    }
    for t in &kb.traps {
        add(
            format!("trap {}", t.id),
            &format!("{} {}", t.title, t.reminder),
        );
    }
    for c in &kb.checks {
        add(format!("check {}", c.id), &c.text);
    }
    for r in kb.rules() {
        let note = r.note.as_deref().unwrap_or_default();
        add(
            format!("rule {}", r.id),
            &format!("{} {} {note}", r.title, r.why),
        );
    }
    for q in &kb.quiz {
        let again = q.again.as_deref().map_or(String::new(), |a| {
            format!("{} {} {}", a.question, a.options.join(" "), a.explanation)
        });
        add(
            format!("quiz question {}", q.id),
            &format!(
                "{} {} {} {again}",
                q.question,
                q.options.join(" "),
                q.explanation
            ),
        );
    }
    add(
        "help, rules and traps messages".to_owned(),
        &format!(
            "{} {} {}",
            render::help_message(kb, "/testscope"),
            render::rules_message(kb),
            render::traps_message(kb)
        ),
    );
    add("examples".to_owned(), &kb.messages.examples.join("\n"));
    for (what, text) in &texts {
        assert_eq!(tool_word(text), None, "{what}: {text}");
    }
}

#[test]
fn the_generic_quiz_plays_only_platform_neutral_questions() {
    let whole = DATABRICKS.quiz.len() + DATABRICKS.quiz_elsewhere.len();
    assert_eq!(GENERIC.quiz.len() + GENERIC.quiz_elsewhere.len(), whole);
    assert!(DATABRICKS.quiz_elsewhere.is_empty(), "Databricks plays all");
    assert!(!GENERIC.quiz_elsewhere.is_empty());
    for q in &GENERIC.quiz {
        assert!(platform::is_platform_neutral(q), "{} is played", q.id);
    }
    // A Databricks question posted before a team switched can still be
    // answered and closed.
    let tagged = &GENERIC.quiz_elsewhere[0];
    assert!(tagged.tags.iter().any(|t| t == platform::DATABRICKS_TAG));
    assert_eq!(
        GENERIC.question(&tagged.id).map(|q| &q.id),
        Some(&tagged.id)
    );
}

#[test]
fn a_year_of_generic_daily_posts_never_picks_a_databricks_question() {
    use testscope::quiz::runner::choose_question;
    use testscope::store::QuizPost;

    let mut posts: Vec<QuizPost> = Vec::new();
    let mut day = jiff::civil::date(2026, 1, 1);
    for _ in 0..365 {
        let q = choose_question(&GENERIC, "C1", day, &posts, &[]).expect("a question");
        assert!(platform::is_platform_neutral(q), "{day}: {}", q.id);
        posts.push(QuizPost {
            channel_id: "C1".into(),
            post_id: day.to_string(),
            local_date: day.to_string(),
            question_id: q.id.clone(),
            message_ts: Some("1".into()),
            posted_at: None,
            closes_at: None,
            closed_at: None,
        });
        day = day.tomorrow().unwrap();
    }
}

#[test]
fn the_generic_examples_get_the_answers_the_databricks_ones_get() {
    let (db, generic) = (&DATABRICKS.messages.examples, &GENERIC.messages.examples);
    assert_eq!(generic.len(), db.len());
    for (d, g) in db.iter().zip(generic) {
        let (a, b) = (advise(&DATABRICKS, d), advise(&GENERIC, g));
        assert_eq!(
            (a.primary_scope, a.stages),
            (b.primary_scope, b.stages),
            "{d:?} / {g:?}"
        );
    }
}
