//! Properties of the advisor that must hold for any input.

use std::sync::LazyLock;

use proptest::prelude::*;
use testscope::{KnowledgeBase, Reading, advise};

static KB: LazyLock<KnowledgeBase> =
    LazyLock::new(|| KnowledgeBase::embedded().expect("the built-in knowledge base loads"));

/// Words the knowledge base reacts to, so generated messages hit real rules.
fn vocabulary() -> Vec<String> {
    let mut words: Vec<String> = KB
        .rules()
        .iter()
        .flat_map(|r| r.signals.iter().cloned())
        .map(|s| s.replace("..", " "))
        .collect();
    words.extend(
        [
            "not",
            "didn't",
            "no",
            "only",
            "but",
            "and",
            ",",
            ".",
            "?",
            "without",
            "unchanged",
            "src/features/a.py",
            "train.py",
            "requirements.txt",
            "<@U024BE7LH>",
            "*bold*",
            "`code`",
            "<https://x.io|label>",
            "&amp;",
        ]
        .map(String::from),
    );
    words
}

fn scope_rank(id: &str) -> usize {
    KB.scopes
        .iter()
        .position(|s| s.id == id)
        .expect("scope id is defined")
}

fn check_invariants(text: &str) {
    let advice = advise(&KB, text);
    // Nothing to say exactly when the advisor is not confident, and then
    // nothing at all is said.
    assert_eq!(advice.reading == Reading::Nothing, !advice.confident);
    if advice.reading == Reading::Nothing {
        assert!(advice.primary_scope.is_none());
        assert!(advice.scopes.is_empty() && advice.stages.is_empty());
        assert!(advice.traps.is_empty() && advice.checks.is_empty());
        assert!(advice.matched.is_empty());
    }
    // A change always gets a verdict, from rules the reader can see.
    if advice.reading == Reading::Change {
        assert!(advice.primary_scope.is_some(), "a change has a scope");
        assert!(!advice.matched.is_empty());
    }
    if let Some(primary) = &advice.primary_scope {
        assert!(
            advice.scopes.contains(primary),
            "primary scope is among the scopes"
        );
        let deepest = advice.scopes.iter().map(|s| scope_rank(s)).max();
        assert_eq!(
            deepest,
            Some(scope_rank(primary)),
            "primary is the deepest scope"
        );
    } else {
        // A question about every stage at once ("which tests go in which
        // environment?") is answered with the plan and has no primary scope
        // (README, "How an answer is decided", step 7); nothing else lists
        // scopes without one.
        assert!(advice.scopes.is_empty() || advice.reading == Reading::Question);
    }
    // Stages are exactly the stages of the scopes, in stage order (a
    // question about stages alone names its stages).
    let mut expected: Vec<usize> = advice
        .scopes
        .iter()
        .map(|s| KB.scope(s).unwrap().stage)
        .collect();
    expected.sort_unstable();
    expected.dedup();
    let expected: Vec<&str> = expected.iter().map(|&i| KB.stages[i].id.as_str()).collect();
    if !(advice.reading == Reading::Question && advice.scopes.is_empty()) {
        assert_eq!(advice.stages, expected);
    }
    for t in &advice.traps {
        assert!(KB.trap(t).is_some(), "trap {t} is defined");
    }
    // No rule is both read from the message and shown as ruled out.
    for m in &advice.matched {
        assert!(
            !advice.ignored.iter().any(|i| i.rule == m.rule),
            "{} is read and ruled out at once",
            m.rule
        );
    }
    for c in &advice.components {
        assert!(KB.components.iter().any(|k| k.id == *c));
    }
    for c in &advice.checks {
        assert!(KB.checks.iter().any(|k| k.id == *c));
    }
    // Rendering never fails either.
    let _ = testscope::render::advice_message(&KB, &advice);
    let _ = testscope::render::advice_text(&KB, &advice);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_unicode_never_panics(text in "\\PC{0,2000}") {
        check_invariants(&text);
    }

    #[test]
    fn messages_built_from_known_words_keep_the_invariants(
        picks in proptest::collection::vec(0usize..10_000, 0..40)
    ) {
        let vocab = vocabulary();
        let text: Vec<&str> = picks.iter().map(|&i| vocab[i % vocab.len()].as_str()).collect();
        check_invariants(&text.join(" "));
    }

    #[test]
    fn case_and_surrounding_punctuation_do_not_change_the_answer(
        i in 0usize..10_000
    ) {
        let vocab = vocabulary();
        let phrase = &vocab[i % vocab.len()];
        let a = advise(&KB, phrase);
        let b = advise(&KB, &format!("*{}*!", phrase.to_uppercase()));
        prop_assert_eq!(a.primary_scope, b.primary_scope);
        prop_assert_eq!(a.traps, b.traps);
    }
}

#[test]
fn fifty_kilobytes_of_arbitrary_text_is_handled() {
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(8));
    runner
        .run(
            &proptest::collection::vec(any::<char>(), 40_000..50_000),
            |chars| {
                let text: String = chars.into_iter().collect();
                check_invariants(&text);
                Ok(())
            },
        )
        .unwrap();
}

#[test]
fn pathological_inputs() {
    for text in [
        String::new(),
        " ".repeat(60_000),
        "<".repeat(10_000),
        "<@".repeat(10_000),
        "&".repeat(10_000),
        "n't ".repeat(5_000),
        "not ".repeat(10_000),
        ", , and or but only ".repeat(2_000),
        "a/".repeat(20_000),
        "**/".repeat(10_000),
        "é".repeat(30_000),
        "learning rate ".repeat(4_000),
        "\u{2019}t".repeat(10_000),
        "ana: no wait, actually\nbo: scratch that\n".repeat(1_200),
        "~a~ ~~ ~".repeat(6_000),
        "`x_y()` fixed `A.b_c` k=v_w ".repeat(1_500),
        "Rollback: none\n## Testing\n".repeat(2_000),
        "tbl cfg FS UT e2e k8s ".repeat(2_000),
    ] {
        check_invariants(&text);
    }
}
