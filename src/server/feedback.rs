//! "Not quite" as a test case: the click opens a form asking what the answer
//! should have been; the submitted form is stored with the question and the
//! answer given, so `testscope feedback export` can turn it into a labelled
//! example for `testscope eval`. `/testscope feedback` shows the team how
//! the answers fare.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{Value, json};

use super::AppState;
use super::ack::Ack;
use super::shown;
use super::shown::ShownAdvice;
use crate::kb::KnowledgeBase;
use crate::render::{Block, Message, clip};
use crate::slack::payload::ViewSubmission;
use crate::store::{Feedback, MissReport, Verdict};

/// The form's callback id.
pub(crate) const FORM: &str = "testscope_not_quite";

/// Input block ids in the form.
const SCOPE_BLOCK: &str = "expected_scope";
const STAGE_BLOCK: &str = "expected_stage";
const COMMENT_BLOCK: &str = "comment";

/// The scope option meaning "no tests were needed".
const NO_SCOPE: &str = "none";

/// Slack's limits on a modal (title 24 characters, option text 75, option
/// value 150, text input 3000) and our own cap on a comment.
const TITLE_CHARS: usize = 24;
const OPTION_CHARS: usize = 75;
const COMMENT_CHARS: usize = 2000;

/// A submission must be answered within Slack's three seconds.
const SUBMIT_WAIT: Duration = Duration::from_millis(2000);

const THANKS: &str = "Thanks, recorded. The team sees it in `/testscope feedback` and can turn it into a \
                      test case with `testscope feedback export`.";

/// What the form carries between opening and submitting: which answer and
/// where it was shown. Read back, it is checked like any payload.
fn metadata(shown: &ShownAdvice, channel: &str) -> String {
    json!({"advice": shown.id, "channel": channel}).to_string()
}

fn plain(text: &str, max: usize) -> Value {
    json!({"type": "plain_text", "text": clip(text, max), "emoji": true})
}

fn option(value: &str, text: &str) -> Value {
    json!({"text": plain(text, OPTION_CHARS), "value": value})
}

/// The "Not quite" form for the answer `shown`.
pub(crate) fn form(kb: &KnowledgeBase, shown: &ShownAdvice, channel: &str) -> Value {
    let title = |id: Option<&str>| {
        id.and_then(|id| kb.scope(id))
            .map_or("no scope", |s| s.title.as_str())
            .to_owned()
    };
    let stages: Vec<&str> = shown
        .advice
        .stages
        .iter()
        .filter_map(|id| kb.stages.iter().find(|s| &s.id == id))
        .map(|s| s.title.as_str())
        .collect();
    let given = format!(
        "*You asked:* {}\n*I said:* {}{}",
        crate::render::escape(&clip(&shown.question, 500)),
        title(shown.advice.primary_scope.as_deref()),
        if stages.is_empty() {
            String::new()
        } else {
            format!(" in {}", stages.join(", "))
        }
    );
    let mut scopes: Vec<Value> = kb.scopes.iter().map(|s| option(&s.id, &s.title)).collect();
    scopes.push(option(NO_SCOPE, "No tests needed"));
    let stage_options: Vec<Value> = kb.stages.iter().map(|s| option(&s.id, &s.title)).collect();
    json!({
        "type": "modal",
        "callback_id": FORM,
        "private_metadata": metadata(shown, channel),
        "title": plain("Not quite", TITLE_CHARS),
        "submit": plain("Send", TITLE_CHARS),
        "close": plain("Cancel", TITLE_CHARS),
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": clip(&given, 3000)}},
            {
                "type": "input",
                "block_id": SCOPE_BLOCK,
                "label": plain("Which scope should it have been?", 2000),
                "element": {"type": "static_select", "action_id": "scope", "options": scopes},
            },
            {
                "type": "input",
                "block_id": STAGE_BLOCK,
                "optional": true,
                "label": plain("And which stage?", 2000),
                "element": {"type": "static_select", "action_id": "stage", "options": stage_options},
            },
            {
                "type": "input",
                "block_id": COMMENT_BLOCK,
                "optional": true,
                "label": plain("What did the answer miss?", 2000),
                "element": {
                    "type": "plain_text_input",
                    "action_id": "comment",
                    "multiline": true,
                    "max_length": COMMENT_CHARS,
                },
            },
        ],
    })
}

/// The thank-you that replaces the form once it is stored.
fn thanks_view() -> Value {
    json!({
        "type": "modal",
        "title": plain("Thank you", TITLE_CHARS),
        "close": plain("Close", TITLE_CHARS),
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": THANKS}}],
    })
}

fn form_error(block: &str, text: &str) -> Ack {
    Ack::Json(json!({"response_action": "errors", "errors": {block: text}}))
}

/// Answers a submitted form within Slack's three seconds: the thank-you
/// view when it was stored, or an error shown on the form.
pub(crate) async fn on_submit(state: &AppState, form: &ViewSubmission) -> Ack {
    match tokio::time::timeout(SUBMIT_WAIT, store_submission(state, form)).await {
        Ok(Ok(())) => Ack::Json(json!({"response_action": "update", "view": thanks_view()})),
        Ok(Err(ack)) => ack,
        Err(_) => {
            tracing::warn!("storing a Not quite form took too long");
            form_error(
                COMMENT_BLOCK,
                "I could not save this just now. Please press Send again.",
            )
        }
    }
}

async fn store_submission(state: &AppState, form: &ViewSubmission) -> Result<(), Ack> {
    let meta: Value = serde_json::from_str(&form.private_metadata).unwrap_or_default();
    let expired = || form_error(SCOPE_BLOCK, shown::EXPIRED);
    let id = meta["advice"].as_str().ok_or_else(expired)?;
    let shown = shown::lookup(state, id).await.map_err(|_| expired())?;
    let kb = &state.kb;
    let expected_scope = match form.value(SCOPE_BLOCK) {
        Some(NO_SCOPE) => None,
        Some(id) if kb.scope(id).is_some() => Some(id.to_owned()),
        _ => return Err(form_error(SCOPE_BLOCK, "Choose one of the scopes.")),
    };
    let expected_stage = match form.value(STAGE_BLOCK) {
        None => None,
        Some(id) if kb.stages.iter().any(|s| s.id == id) => Some(id.to_owned()),
        Some(_) => return Err(form_error(STAGE_BLOCK, "Choose one of the stages.")),
    };
    let miss = MissReport {
        advice_id: shown.id.clone(),
        team_id: form.team_id.clone().unwrap_or_default(),
        channel_id: meta["channel"].as_str().unwrap_or_default().to_owned(),
        user_id: form.user_id.clone(),
        given_rules: shown.rules(),
        question: shown.question,
        given_scope: shown.advice.primary_scope,
        given_stages: shown.advice.stages,
        expected_scope,
        expected_stage,
        comment: form
            .value(COMMENT_BLOCK)
            .map(|c| clip(c.trim(), COMMENT_CHARS)),
        at: state.clock.now(),
    };
    state.store.record_miss(&miss).await.map_err(|e| {
        tracing::error!(error = %e, "could not store a Not quite form");
        form_error(
            COMMENT_BLOCK,
            "I could not save this just now. Please press Send again.",
        )
    })?;
    crate::telemetry::miss_reported(miss.expected_scope.as_deref());
    Ok(())
}

/// Helpful and Not quite votes for one rule.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tally {
    pub(crate) helpful: u64,
    pub(crate) not_quite: u64,
}

/// Votes per rule that fired; an answer with no rule counts under "(none)".
pub(crate) fn per_rule(votes: &[Feedback]) -> BTreeMap<String, Tally> {
    let mut out: BTreeMap<String, Tally> = BTreeMap::new();
    for vote in votes {
        let none = ["(none)".to_owned()];
        let rules = if vote.rules.is_empty() {
            &none[..]
        } else {
            &vote.rules[..]
        };
        for rule in rules {
            let t = out.entry(rule.clone()).or_default();
            match vote.verdict {
                Verdict::Helpful => t.helpful += 1,
                Verdict::NotQuite => t.not_quite += 1,
            }
        }
    }
    out
}

/// How many rules and misses the summary lists.
const SUMMARY_RULES: usize = 15;
const SUMMARY_MISSES: usize = 5;

/// `/testscope feedback`: the helpful rate per rule (least helpful first)
/// and the latest misses, as a private message.
pub(crate) async fn summary(state: &AppState) -> Message {
    let (votes, misses) = tokio::join!(state.store.feedback_votes(), state.store.misses(0));
    let (Ok(votes), Ok(misses)) = (votes, misses) else {
        return Message::text(
            "I could not read the feedback just now. Please try again in a minute.",
        );
    };
    summary_message(&state.kb, &votes, &misses)
}

pub(crate) fn summary_message(
    kb: &KnowledgeBase,
    votes: &[Feedback],
    misses: &[MissReport],
) -> Message {
    if votes.is_empty() && misses.is_empty() {
        return Message::text(
            "No feedback yet. Use the Helpful and Not quite buttons under an answer.",
        );
    }
    let mut rules: Vec<(String, Tally)> = per_rule(votes).into_iter().collect();
    let rate = |t: &Tally| t.helpful as f64 / (t.helpful + t.not_quite).max(1) as f64;
    rules.sort_by(|a, b| rate(&a.1).total_cmp(&rate(&b.1)).then(a.0.cmp(&b.0)));
    let rule_lines: Vec<String> = rules
        .iter()
        .take(SUMMARY_RULES)
        .map(|(rule, t)| {
            format!(
                "• `{rule}`: {:.0}% helpful ({} of {})",
                rate(t) * 100.0,
                t.helpful,
                t.helpful + t.not_quite
            )
        })
        .collect();
    let scope = |id: Option<&str>| {
        id.and_then(|id| kb.scope(id))
            .map_or("no scope", |s| s.title.as_str())
            .to_owned()
    };
    let miss_lines: Vec<String> = misses
        .iter()
        .take(SUMMARY_MISSES)
        .map(|m| {
            format!(
                "• “{}”: said {}, expected {}{}",
                crate::render::escape(&clip(&m.question, 120)),
                scope(m.given_scope.as_deref()),
                scope(m.expected_scope.as_deref()),
                m.comment
                    .as_deref()
                    .map(|c| format!(" — _{}_", crate::render::escape(&clip(c, 150))))
                    .unwrap_or_default()
            )
        })
        .collect();
    let (helpful, total) = votes.iter().fold((0, 0), |(h, n), v| {
        (h + u64::from(v.verdict == Verdict::Helpful), n + 1)
    });
    let header = format!("Feedback: {helpful} of {total} answers rated helpful");
    let mut blocks = vec![Block::header(&header)];
    if !rule_lines.is_empty() {
        blocks.push(Block::section(format!(
            "*By rule, least helpful first*\n{}",
            rule_lines.join("\n")
        )));
    }
    if !miss_lines.is_empty() {
        blocks.push(Block::section(format!(
            "*Latest misses*\n{}",
            miss_lines.join("\n")
        )));
    }
    blocks.push(Block::context(
        "Turn misses into test cases: `testscope feedback export --format jsonl`, then `testscope eval`.",
    ));
    Message::new(&header, blocks)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vote(rules: &[&str], verdict: Verdict) -> Feedback {
        Feedback {
            advice_id: "a".to_owned(),
            team_id: String::new(),
            user_id: "U".to_owned(),
            channel_id: String::new(),
            verdict,
            primary_scope: None,
            rules: rules.iter().map(|r| (*r).to_owned()).collect(),
            at: 0,
        }
    }

    #[test]
    fn votes_count_for_every_rule_that_fired() {
        let tally = per_rule(&[
            vote(&["a", "b"], Verdict::Helpful),
            vote(&["a"], Verdict::NotQuite),
            vote(&[], Verdict::NotQuite),
        ]);
        assert_eq!(
            tally["a"],
            Tally {
                helpful: 1,
                not_quite: 1
            }
        );
        assert_eq!(
            tally["b"],
            Tally {
                helpful: 1,
                not_quite: 0
            }
        );
        assert_eq!(
            tally["(none)"],
            Tally {
                helpful: 0,
                not_quite: 1
            }
        );
    }
}
