//! Plain text for a terminal.

use std::fmt::Write as _;

use super::{
    CHECKS_SHOWN, MORE_CHECKS, MORE_REASONS, REASONS_SHOWN, check_text, fold, pipeline_picture,
    scope_title, stage_title,
};
use crate::advisor::{Advice, Reading};
use crate::kb::{KnowledgeBase, RuleKind};

/// One line, worded for the reading: "Integration tests in test (staging)"
/// for a change, "About your question: ..." for a question, "A known trap:
/// ..." for a belief, or the no-match header.
pub fn summary_line(kb: &KnowledgeBase, advice: &Advice) -> String {
    let l = &kb.messages.labels;
    let verdict = advice.primary_scope.as_ref().map(|primary| {
        let stage = kb
            .scope(primary)
            .map(|s| kb.stages[s.stage].title.as_str())
            .unwrap_or_default();
        format!("{} in {stage}", scope_title(kb, primary))
    });
    match advice.reading {
        Reading::Change => verdict.unwrap_or_else(|| l.no_match_header.clone()),
        Reading::Question => {
            // Every scope it asks about, each with the stage it belongs to.
            let scopes: Vec<String> = advice
                .scopes
                .iter()
                .filter_map(|s| kb.scope(s))
                .map(|s| format!("{} in {}", s.title, kb.stages[s.stage].title))
                .collect();
            // A question about every stage has the plan's scopes but no
            // primary one: it is still worded with its scopes.
            let about = match verdict {
                Some(_) => scopes.join("; "),
                None if !scopes.is_empty() => scopes.join("; "),
                None => {
                    let stages: Vec<&str> =
                        advice.stages.iter().map(|s| stage_title(kb, s)).collect();
                    stages.join(", ")
                }
            };
            if about.is_empty() {
                l.question_header.clone()
            } else {
                format!("{}: {about}", l.question_header)
            }
        }
        Reading::Belief => match advice.traps.first().and_then(|t| kb.trap(t)) {
            Some(trap) => format!("{}: {}", l.belief_header, trap.title),
            None => l.belief_header.clone(),
        },
        Reading::Nothing => l.no_match_header.clone(),
    }
}

/// What a question is about: each scope's summary and each stage's purpose.
pub(crate) fn concept_lines(kb: &KnowledgeBase, advice: &Advice) -> (Vec<String>, Vec<String>) {
    let scopes = advice
        .scopes
        .iter()
        .filter_map(|s| kb.scope(s))
        .map(|s| format!("{} → {}: {}", s.title, kb.stages[s.stage].title, s.summary))
        .collect();
    let stages = advice
        .stages
        .iter()
        .filter_map(|id| kb.stages.iter().find(|s| s.id == *id))
        .map(|s| format!("{}: {}", s.title, s.purpose))
        .collect();
    (scopes, stages)
}

pub fn advice_text(kb: &KnowledgeBase, advice: &Advice) -> String {
    let l = &kb.messages.labels;
    let mut out = String::new();
    if matches!(advice.reading, Reading::Question | Reading::Belief) {
        return concept_text(kb, advice);
    }
    let Some(primary) = &advice.primary_scope else {
        let _ = writeln!(out, "{}\n\n{}\n", l.no_match_header, kb.messages.no_match);
        let _ = writeln!(out, "Decision order:");
        for (i, step) in kb.messages.decision_order.iter().enumerate() {
            let _ = writeln!(out, "  {}. {step}", i + 1);
        }
        let _ = writeln!(out, "\nTry, for example:");
        for e in &kb.messages.examples {
            let _ = writeln!(out, "  testscope advise \"{e}\"");
        }
        return out;
    };
    let _ = writeln!(out, "{}", summary_line(kb, advice));
    let others: Vec<&str> = advice
        .scopes
        .iter()
        .filter(|s| *s != primary)
        .map(|s| scope_title(kb, s))
        .collect();
    let _ = write!(out, "\n{}: {}", l.scope, scope_title(kb, primary));
    if !others.is_empty() {
        let _ = write!(out, " (also: {})", others.join(", "));
    }
    let stages: Vec<&str> = advice.stages.iter().map(|s| stage_title(kb, s)).collect();
    let _ = writeln!(out, "\n{}: {}", l.stage, stages.join(" → "));
    // As in Slack's Details: what set the scope leads, the rest of a long
    // list waits after the traps.
    let (why, more_why) = fold(&advice.why, advice.lead_reasons, REASONS_SHOWN);
    let (checks, more_checks) = fold(&advice.checks, advice.lead_checks, CHECKS_SHOWN);
    section(&mut out, &l.why, why.iter().map(String::as_str));
    section(
        &mut out,
        &l.checks,
        checks.iter().map(|c| check_text(kb, c)),
    );
    let _ = writeln!(
        out,
        "\n{}:\n  {}",
        l.blast_radius,
        pipeline_picture(kb, advice)
    );
    let traps = trap_lines(kb, advice);
    section(&mut out, &l.traps, traps.iter().map(String::as_str));
    section(&mut out, &l.notes, advice.notes.iter().map(String::as_str));
    section(&mut out, MORE_REASONS, more_why.iter().map(String::as_str));
    section(
        &mut out,
        MORE_CHECKS,
        more_checks.iter().map(|c| check_text(kb, c)),
    );
    let matched = rule_lines(&advice.matched);
    section(&mut out, &l.matched, matched.iter().map(String::as_str));
    let ignored = rule_lines(&advice.ignored);
    section(&mut out, &l.ignored, ignored.iter().map(String::as_str));
    out
}

/// The answer to a general question or a belief: what the scopes and stages
/// it is about are for, the traps, and the rationale, with no blast radius
/// (nothing changed).
fn concept_text(kb: &KnowledgeBase, advice: &Advice) -> String {
    let l = &kb.messages.labels;
    let mut out = String::new();
    let _ = writeln!(out, "{}", summary_line(kb, advice));
    let traps = trap_lines(kb, advice);
    if advice.reading == Reading::Belief {
        section(&mut out, &l.traps, traps.iter().map(String::as_str));
    }
    let (scopes, stages) = concept_lines(kb, advice);
    let scope_title = if advice.reading == Reading::Belief {
        &l.instead
    } else {
        &l.what_scopes_prove
    };
    section(&mut out, scope_title, scopes.iter().map(String::as_str));
    section(
        &mut out,
        &l.what_stages_are_for,
        stages.iter().map(String::as_str),
    );
    section(&mut out, &l.why, advice.why.iter().map(String::as_str));
    section(
        &mut out,
        &l.checks,
        advice.checks.iter().map(|c| check_text(kb, c)),
    );
    if advice.reading == Reading::Question {
        section(&mut out, &l.traps, traps.iter().map(String::as_str));
    }
    let matched = rule_lines(&advice.matched);
    section(&mut out, &l.matched, matched.iter().map(String::as_str));
    out
}

/// Trap lines for a terminal: title, id and reminder.
fn trap_lines(kb: &KnowledgeBase, advice: &Advice) -> Vec<String> {
    advice
        .traps
        .iter()
        .filter_map(|t| kb.trap(t))
        .map(|t| format!("{} ({}): {}", t.title, t.id, t.reminder))
        .collect()
}

/// `rule: "words", "words"` for each rule read from the message. A rule the
/// engine added on its own (a reminder with no words of the message) was not
/// read from it.
fn rule_lines(list: &[crate::advisor::Matched]) -> Vec<String> {
    list.iter()
        .filter(|m| !m.words.is_empty())
        .map(|m| format!("{}: \"{}\"", m.rule, m.words.join("\", \"")))
        .collect()
}

fn section<'a>(out: &mut String, title: &str, items: impl Iterator<Item = &'a str>) {
    let mut items = items.peekable();
    if items.peek().is_none() {
        return;
    }
    let _ = writeln!(out, "\n{title}:");
    for item in items {
        let _ = writeln!(out, "  - {item}");
    }
}

/// The decision table, one rule per block, for `testscope rules`.
pub fn rules_text(kb: &KnowledgeBase) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}\n", kb.messages.principle);
    let _ = writeln!(out, "Decision order:");
    for (i, step) in kb.messages.decision_order.iter().enumerate() {
        let _ = writeln!(out, "  {}. {step}", i + 1);
    }
    let _ = writeln!(out, "\nScopes and stages:");
    for s in &kb.scopes {
        let _ = writeln!(
            out,
            "  {:<15} → {:<15} {}",
            s.id, kb.stages[s.stage].title, s.summary
        );
    }
    for (heading, kind) in [
        ("Changes", RuleKind::Change),
        (
            "Promotions into prod (the only rules that may require release gates)",
            RuleKind::Promote,
        ),
        ("Topics of general questions", RuleKind::Topic),
        ("Beliefs that reveal a trap", RuleKind::Trap),
        (
            "Risk factors (move unit-only answers to integration)",
            RuleKind::Escalate,
        ),
    ] {
        let _ = writeln!(out, "\n{heading}:");
        for r in kb.rules().iter().filter(|r| r.kind == kind) {
            let scopes: Vec<&str> = r.scopes.iter().map(|&i| kb.scopes[i].id.as_str()).collect();
            let traps: Vec<&str> = r.traps.iter().map(|&i| kb.traps[i].id.as_str()).collect();
            let _ = writeln!(
                out,
                "  {:<32} {:<40} {}",
                r.id,
                scopes.join(" + "),
                if traps.is_empty() {
                    String::new()
                } else {
                    format!("traps: {}", traps.join(", "))
                }
            );
            let _ = writeln!(out, "  {:<32} {}", "", r.title);
        }
    }
    out
}
