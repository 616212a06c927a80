//! What the advice tables share: the vocabulary of expected answers, the
//! comparison, and the runner that reports every mismatch at once.

#![allow(
    dead_code,
    reason = "each table uses the part of the vocabulary it needs"
)]

use std::fmt::Write as _;
use std::sync::LazyLock;

use testscope::{Advice, KnowledgeBase, advise};

pub(crate) static KB: LazyLock<KnowledgeBase> =
    LazyLock::new(|| KnowledgeBase::embedded().expect("the embedded knowledge base loads"));

// Scopes, smallest to deepest.
pub(crate) const UNIT: &str = "unit";
pub(crate) const INTEG: &str = "integration";
pub(crate) const GATE: &str = "release-gating";
pub(crate) const SCOPE_ORDER: [&str; 3] = [UNIT, INTEG, GATE];

// Traps, numbered as in the domain catalogue (T1-T8), in the engine's order.
pub(crate) const T1: &str = "model-change-only-training";
pub(crate) const T2: &str = "unit-for-system-confidence";
pub(crate) const T3: &str = "stage-blind";
pub(crate) const T4: &str = "no-code-change-no-tests";
pub(crate) const T5: &str = "offline-equals-online";
pub(crate) const T6: &str = "over-testing";
pub(crate) const T7: &str = "gate-erosion";
pub(crate) const T8: &str = "undeclared-consumers";
pub(crate) const TRAP_ORDER: [&str; 8] = [T1, T2, T3, T4, T5, T6, T7, T8];

/// `(message, primary scope, every scope, traps)`.
pub(crate) type Case = (
    &'static str,
    Option<&'static str>,
    &'static [&'static str],
    &'static [&'static str],
);

pub(crate) const U: Option<&str> = Some(UNIT);
pub(crate) const I: Option<&str> = Some(INTEG);
pub(crate) const R: Option<&str> = Some(GATE);

pub(crate) fn stage_of(scope: &str) -> &'static str {
    match scope {
        UNIT => "dev",
        INTEG => "test",
        GATE => "prod",
        other => panic!("unknown scope {other:?} in the table"),
    }
}

pub(crate) fn show(advice: &Advice) -> String {
    serde_json::to_string(advice).unwrap_or_else(|e| format!("<unserializable: {e}>"))
}

/// Compares one advice with its expectation; returns a description of every
/// difference.
pub(crate) fn mismatches(case: &Case, advice: &Advice) -> Vec<String> {
    let (_, primary, scopes, traps) = *case;
    let mut out = Vec::new();
    if advice.primary_scope.as_deref() != primary {
        out.push(format!(
            "primary: expected {primary:?}, got {:?}",
            advice.primary_scope
        ));
    }
    if advice.scopes != scopes {
        out.push(format!(
            "scopes: expected {scopes:?}, got {:?}",
            advice.scopes
        ));
    }
    let stages: Vec<&str> = scopes.iter().map(|s| stage_of(s)).collect();
    if advice.stages != stages {
        out.push(format!(
            "stages: expected {stages:?}, got {:?}",
            advice.stages
        ));
    }
    if advice.traps != traps {
        out.push(format!("traps: expected {traps:?}, got {:?}", advice.traps));
    }
    if advice.confident != primary.is_some() {
        out.push(format!(
            "confident: expected {}, got {}",
            primary.is_some(),
            advice.confident
        ));
    }
    out
}

/// Checks a table's own shape: enough cases, no duplicates, the primary scope
/// is the deepest, scopes and traps in the engine's order.
pub(crate) fn assert_well_formed(cases: &[Case], at_least: usize) {
    assert!(cases.len() >= at_least, "only {} cases", cases.len());
    let mut seen = std::collections::HashSet::new();
    for &(text, primary, scopes, traps) in cases {
        assert!(seen.insert(text), "duplicate case {text:?}");
        assert_eq!(
            primary,
            scopes.last().copied(),
            "{text:?}: primary must be the deepest scope"
        );
        let in_order = |items: &[&str], order: &[&str]| {
            let idx: Vec<usize> = items
                .iter()
                .map(|s| order.iter().position(|o| o == s).expect("a known id"))
                .collect();
            idx.windows(2).all(|w| w[0] < w[1])
        };
        assert!(
            in_order(scopes, &SCOPE_ORDER),
            "{text:?}: scopes out of order"
        );
        assert!(in_order(traps, &TRAP_ORDER), "{text:?}: traps out of order");
    }
}

/// Advises on every case and fails once, listing every mismatch.
pub(crate) fn assert_table(label: &str, cases: &[Case]) {
    let mut failures = String::new();
    let mut failed = 0;
    for case in cases {
        let advice = advise(&KB, case.0);
        let diffs = mismatches(case, &advice);
        if !diffs.is_empty() {
            failed += 1;
            let _ = writeln!(failures, "\n#{failed} input: {:?}", case.0);
            for d in &diffs {
                let _ = writeln!(failures, "    {d}");
            }
            let _ = writeln!(failures, "    advice: {}", show(&advice));
        }
    }
    let passed = cases.len() - failed;
    println!("{label}: {passed}/{} cases pass", cases.len());
    assert!(
        failed == 0,
        "{label}: {passed}/{} cases pass, {failed} fail:\n{failures}",
        cases.len()
    );
}

/// Questions about every stage at once are answered with the whole plan,
/// every scope in its stage, but with no primary scope, since they ask about
/// no change (README, "How an answer is decided", step 1). A table's own
/// shape (primary = deepest scope) cannot say that, so they are listed apart.
#[allow(dead_code)]
pub(crate) fn assert_plan_questions(texts: &[&str]) {
    for text in texts {
        let advice = advise(&KB, text);
        assert_eq!(advice.reading, testscope::Reading::Question, "{text:?}");
        assert_eq!(advice.primary_scope, None, "{text:?}");
        assert_eq!(
            advice.scopes,
            ["unit", "integration", "release-gating"],
            "{text:?}"
        );
        assert_eq!(advice.stages, ["dev", "test", "prod"], "{text:?}");
        assert_eq!(advice.traps, ["stage-blind"], "{text:?}");
    }
}
