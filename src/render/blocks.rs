//! Slack Block Kit messages. Every text is clipped to Slack's limits and any
//! words quoted from the user are escaped, so a message is never rejected.

use std::borrow::Cow;
use std::fmt::Write as _;

use super::message::{Block, Button, Message};
use super::{
    CHECKS_SHOWN, MORE_CHECKS, MORE_REASONS, REASONS_SHOWN, check_text, clip, fold,
    pipeline_picture, scope_title, stage_title, summary_line,
};
use crate::advisor::{Advice, Reading};
use crate::kb::{KnowledgeBase, RuleKind};

/// Escapes the three characters Slack's mrkdwn treats as control characters.
pub(crate) fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn bullets<'a>(title: &str, items: impl Iterator<Item = &'a str>) -> Option<String> {
    let lines: Vec<String> = items.map(|i| format!("• {i}")).collect();
    (!lines.is_empty()).then(|| format!("*{title}*\n{}", lines.join("\n")))
}

/// The advice as Slack shows it first: `{"text": fallback, "blocks": [...]}`.
///
/// For a described change the first screen carries the verdict: a header
/// with the scope and stage, then at most four short lines (the one check
/// that matters most, why, the next checks, the traps by name). Everything
/// else (every check, each trap explained, the blast radius, what was read
/// from the message) is in [`advice_details`], behind a "Details" button.
/// Questions, beliefs and unmatched text are short already and are shown
/// whole.
pub fn advice_message(kb: &KnowledgeBase, advice: &Advice) -> Message {
    if has_details(advice) {
        first_screen(kb, advice)
    } else {
        advice_details(kb, advice)
    }
}

/// Whether [`advice_message`] leaves anything for a "Details" button.
pub fn has_details(advice: &Advice) -> bool {
    advice.reading == Reading::Change && advice.primary_scope.is_some()
}

/// A first-screen line's length; Slack wraps longer ones onto a second row.
const SHORT_LINE: usize = 160;

fn first_screen(kb: &KnowledgeBase, advice: &Advice) -> Message {
    let l = &kb.messages.labels;
    // The lines are written into one string: no string per line, no join.
    let mut lines = String::new();
    let mut line = |label: &str, text: &str, more: usize| {
        if !lines.is_empty() {
            lines.push('\n');
        }
        lines.push('*');
        lines.push_str(label);
        lines.push_str(":* ");
        lines.push_str(&short(text));
        if more > 0 {
            let _ = write!(lines, " (+{more} more in {DETAILS_LABEL})");
        }
    };
    let mut checks = advice.checks.iter().map(|c| check_text(kb, c));
    if let Some(first) = checks.next() {
        line(FIRST_CHECK, first, 0);
    }
    if let Some(why) = advice.why.first() {
        line(&l.why, why, 0);
    }
    if let Some(next) = checks.next() {
        line(THEN, next, checks.count());
    }
    let traps = trap_titles(kb, advice, 0);
    if !traps.is_empty() {
        line(WATCH_OUT, &traps, 0);
    }
    let summary = summary_line(kb, advice);
    let fallback = fallback(kb, advice, &summary);
    let mut blocks = vec![Block::header(summary)];
    if !lines.is_empty() {
        blocks.push(Block::section(lines));
    }
    Message::new(fallback, blocks)
}

/// The titles of the advice's traps, `; `-separated, leaving out the first
/// `skip`.
fn trap_titles(kb: &KnowledgeBase, advice: &Advice, skip: usize) -> String {
    let mut titles = String::new();
    for trap in advice.traps.iter().skip(skip).filter_map(|t| kb.trap(t)) {
        if !titles.is_empty() {
            titles.push_str("; ");
        }
        titles.push_str(&trap.title);
    }
    titles
}

/// A first-screen line: the text up to [`SHORT_LINE`] characters, cut at a
/// word, with an ellipsis when cut.
fn short(text: &str) -> Cow<'_, str> {
    // No more bytes than that: no more characters either.
    if text.len() <= SHORT_LINE {
        return Cow::Borrowed(text);
    }
    let mut starts = text.char_indices().map(|(i, _)| i);
    // Longer than `SHORT_LINE` characters: keep the first `SHORT_LINE - 1`,
    // back to a word (`head_end` is where the `SHORT_LINE`th starts).
    let (Some(head_end), Some(_)) = (starts.nth(SHORT_LINE - 1), starts.next()) else {
        return Cow::Borrowed(text);
    };
    let head = &text[..head_end];
    let cut = head
        .rfind(' ')
        .map_or(head, |i| &head[..i])
        .trim_end_matches([',', ';', ':', ' ']);
    Cow::Owned(format!("{cut}…"))
}

/// Labels of the first screen. Service wording, like the button labels.
const FIRST_CHECK: &str = "Check first";
const THEN: &str = "Then";
const WATCH_OUT: &str = "Watch out";
pub(crate) const DETAILS_LABEL: &str = "Details";

/// The whole advice: scope (and the others in play), stages, every reason,
/// every check, the blast radius, each trap explained, what is worth
/// clarifying and what was read from the message.
pub fn advice_details(kb: &KnowledgeBase, advice: &Advice) -> Message {
    let l = &kb.messages.labels;
    match advice.reading {
        Reading::Nothing => return no_match_message(kb),
        Reading::Question | Reading::Belief => return concept_message(kb, advice),
        Reading::Change => {}
    }
    let Some(primary) = &advice.primary_scope else {
        return no_match_message(kb);
    };
    let summary = summary_line(kb, advice);
    let mut blocks = vec![Block::header(&summary)];

    let others: Vec<&str> = advice
        .scopes
        .iter()
        .filter(|s| *s != primary)
        .map(|s| scope_title(kb, s))
        .collect();
    let mut scope_line = format!("*{}:* {}", l.scope, scope_title(kb, primary));
    if !others.is_empty() {
        scope_line.push_str(&format!(" (also: {})", others.join(", ")));
    }
    let stages: Vec<&str> = advice.stages.iter().map(|s| stage_title(kb, s)).collect();
    blocks.push(Block::section(format!(
        "{scope_line}\n*{}:* {}",
        l.stage,
        stages.join(" → ")
    )));
    // The reasons and checks of the rules that set the scope lead; past a
    // few, the rest wait at the end, after the traps.
    let (why, more_why) = fold(&advice.why, advice.lead_reasons, REASONS_SHOWN);
    let (checks, more_checks) = fold(&advice.checks, advice.lead_checks, CHECKS_SHOWN);
    if let Some(text) = bullets(&l.why, why.iter().map(String::as_str)) {
        blocks.push(Block::section(&text));
    }
    if let Some(text) = bullets(&l.checks, checks.iter().map(|c| check_text(kb, c))) {
        blocks.push(Block::section(&text));
    }
    blocks.push(Block::section(format!(
        "*{}*\n`{}`",
        l.blast_radius,
        pipeline_picture(kb, advice)
    )));
    let traps = trap_lines(kb, advice);
    if let Some(text) = bullets(&l.traps, traps.iter().map(String::as_str)) {
        blocks.push(Block::section(&text));
    }
    if let Some(text) = bullets(&l.notes, advice.notes.iter().map(String::as_str)) {
        blocks.push(Block::section(&text));
    }
    if let Some(text) = bullets(MORE_REASONS, more_why.iter().map(String::as_str)) {
        blocks.push(Block::section(&text));
    }
    if let Some(text) = bullets(MORE_CHECKS, more_checks.iter().map(|c| check_text(kb, c))) {
        blocks.push(Block::section(&text));
    }
    blocks.push(Block::context(matched_line(kb, advice)));

    Message::new(fallback(kb, advice, &summary), blocks)
}

/// A general question gets what its scopes and stages are for; a belief
/// gets its trap first and then what it takes instead. Neither shows a blast
/// radius, because nothing changed.
fn concept_message(kb: &KnowledgeBase, advice: &Advice) -> Message {
    let l = &kb.messages.labels;
    let summary = summary_line(kb, advice);
    let mut blocks = vec![Block::header(&summary)];
    let traps = trap_lines(kb, advice);
    let belief = advice.reading == Reading::Belief;
    if belief && let Some(text) = bullets(&l.traps, traps.iter().map(String::as_str)) {
        blocks.push(Block::section(&text));
    }
    let (scopes, stages) = super::terminal::concept_lines(kb, advice);
    let scope_title = if belief {
        &l.instead
    } else {
        &l.what_scopes_prove
    };
    if let Some(text) = bullets(scope_title, scopes.iter().map(String::as_str)) {
        blocks.push(Block::section(&text));
    }
    if let Some(text) = bullets(&l.what_stages_are_for, stages.iter().map(String::as_str)) {
        blocks.push(Block::section(&text));
    }
    if let Some(text) = bullets(&l.why, advice.why.iter().map(String::as_str)) {
        blocks.push(Block::section(&text));
    }
    if let Some(text) = bullets(&l.checks, advice.checks.iter().map(|c| check_text(kb, c))) {
        blocks.push(Block::section(&text));
    }
    if !belief && let Some(text) = bullets(&l.traps, traps.iter().map(String::as_str)) {
        blocks.push(Block::section(&text));
    }
    if !advice.matched.is_empty() {
        blocks.push(Block::context(matched_line(kb, advice)));
    }
    Message::new(fallback(kb, advice, &summary), blocks)
}

/// Trap lines for Slack: the title in bold, then the reminder.
fn trap_lines(kb: &KnowledgeBase, advice: &Advice) -> Vec<String> {
    advice
        .traps
        .iter()
        .filter_map(|t| kb.trap(t))
        .map(|t| format!("*{}* — {}", t.title, t.reminder))
        .collect()
}

fn quoted(words: &[String]) -> String {
    words
        .iter()
        .map(|w| format!("“{}”", escape(&clip(w, 80))))
        .collect::<Vec<_>>()
        .join(", ")
}

fn matched_line(kb: &KnowledgeBase, advice: &Advice) -> String {
    let l = &kb.messages.labels;
    // A rule the engine added on its own (a reminder) has no words of the
    // message to show.
    let read: Vec<String> = advice
        .matched
        .iter()
        .filter(|m| !m.words.is_empty())
        .map(|m| format!("{} ({})", m.title, quoted(&m.words)))
        .collect();
    let mut line = format!("{}: {}", l.matched, read.join("; "));
    if !advice.ignored.is_empty() {
        let ignored: Vec<String> = advice
            .ignored
            .iter()
            .map(|m| format!("{} ({})", m.title, quoted(&m.words)))
            .collect();
        line.push_str(&format!("\n{}: {}", l.ignored, ignored.join("; ")));
    }
    line
}

/// The answer to a mention whose thread does not describe a change: what
/// was read, after a line on how to ask.
pub fn thread_guidance(kb: &KnowledgeBase, advice: &Advice) -> Message {
    let hint = &kb.messages.slack.thread_hint;
    let mut msg = advice_message(kb, advice);
    msg.text = clip(hint, super::message::FALLBACK_TEXT);
    let at = msg.blocks.len().min(1);
    msg.blocks.insert(at, Block::section(hint));
    msg
}

/// Appends a "Details" button carrying `advice_id` to a first-screen
/// message (a thread reply; the private reply has it among its buttons).
pub fn with_details_button(mut msg: Message, advice_id: &str) -> Message {
    msg.blocks.push(Block::buttons(
        "testscope_details",
        vec![details_button(advice_id)],
    ));
    msg
}

fn details_button(advice_id: &str) -> Button {
    Button::new(DETAILS, DETAILS_LABEL, advice_id)
}

/// Button ids. Their value is the id under which the service recorded the
/// question and the advice shown, so a click acts on what was seen.
pub const SHARE: &str = "share";
pub const HELPFUL: &str = "feedback_helpful";
pub const NOT_QUITE: &str = "feedback_not_quite";
pub const DETAILS: &str = "details";

/// The slash-command reply: the advice, privately, with Share / Helpful /
/// Not quite buttons when something matched. `advice_id` rides along in
/// the buttons.
pub fn advice_reply(kb: &KnowledgeBase, advice: &Advice, advice_id: &str) -> Message {
    let mut msg = advice_message(kb, advice);
    if advice.confident {
        msg.blocks
            .push(action_buttons(kb, advice_id, true, has_details(advice)));
    }
    msg.ephemeral()
}

/// The row of buttons under a private answer: Share (unless it was shared
/// already), Helpful, Not quite, and Details when there is more to show.
pub(super) fn action_buttons(
    kb: &KnowledgeBase,
    advice_id: &str,
    share: bool,
    details: bool,
) -> Block {
    let t = &kb.messages.slack;
    let mut buttons = Vec::new();
    if share {
        buttons.push(Button::new(SHARE, &t.share_button, advice_id).primary());
    }
    buttons.push(Button::new(HELPFUL, &t.helpful_button, advice_id));
    buttons.push(Button::new(NOT_QUITE, &t.not_quite_button, advice_id));
    if details {
        buttons.push(details_button(advice_id));
    }
    Block::buttons("testscope_actions", buttons)
}

/// The notification text: what someone sees in a push notification or a
/// client that cannot show blocks.
fn fallback(kb: &KnowledgeBase, advice: &Advice, summary: &str) -> String {
    // A belief's header already names its first trap.
    let named = usize::from(advice.reading == Reading::Belief);
    let titles = trap_titles(kb, advice, named);
    if titles.is_empty() {
        format!("testscope: {summary}.")
    } else {
        format!("testscope: {summary}. Watch out: {titles}.")
    }
}

fn no_match_message(kb: &KnowledgeBase) -> Message {
    let m = &kb.messages;
    let steps: Vec<String> = m
        .decision_order
        .iter()
        .enumerate()
        .map(|(i, s)| format!("{}. {s}", i + 1))
        .collect();
    let examples: Vec<String> = m.examples.iter().map(|e| format!("• `{e}`")).collect();
    Message::new(
        format!("testscope: {}", m.no_match),
        vec![
            Block::header(&m.labels.no_match_header),
            Block::section(&m.no_match),
            Block::section(format!("*Decision order*\n{}", steps.join("\n"))),
            Block::section(format!("*Try, for example*\n{}", examples.join("\n"))),
        ],
    )
}

/// Usage and example phrasings, written with the name the command was
/// called by (`command`, e.g. `/testscope`; teams rename it), and every
/// subcommand from [`crate::command`]'s list.
pub fn help_message(kb: &KnowledgeBase, command: &str) -> Message {
    let intro = crate::command::with_name(&kb.messages.help, command);
    let commands = format!("*Commands*\n{}", crate::command::usage_lines(command));
    Message::new(
        &intro,
        vec![
            Block::header("testscope"),
            Block::section(&intro),
            Block::section(&commands),
            Block::context(&kb.messages.principle),
        ],
    )
}

/// The decision table, grouped so it stays under Slack's block limits.
pub fn rules_message(kb: &KnowledgeBase) -> Message {
    let mut blocks = vec![
        Block::header("Decision table"),
        Block::context(&kb.messages.principle),
    ];
    let steps: Vec<String> = kb
        .messages
        .decision_order
        .iter()
        .enumerate()
        .map(|(i, s)| format!("{}. {s}", i + 1))
        .collect();
    blocks.push(Block::section(format!(
        "*Decision order*\n{}",
        steps.join("\n")
    )));
    for scope_index in 0..kb.scopes.len() {
        let scope = &kb.scopes[scope_index];
        let lines: Vec<String> = kb
            .rules()
            .iter()
            .filter(|r| {
                matches!(
                    r.kind,
                    RuleKind::Change | RuleKind::Promote | RuleKind::Topic
                ) && r.scopes.last() == Some(&scope_index)
            })
            .map(|r| format!("• {}", r.title))
            .collect();
        if lines.is_empty() {
            continue;
        }
        blocks.push(Block::section(format!(
            "*{} → {}*\n_{}_\n{}",
            scope.title,
            kb.stages[scope.stage].title,
            scope.summary,
            lines.join("\n")
        )));
    }
    Message::new("testscope decision table", blocks)
}

/// The trap catalogue.
pub fn traps_message(kb: &KnowledgeBase) -> Message {
    let mut blocks = vec![Block::header("Traps to avoid")];
    for chunk in kb.traps.chunks(4) {
        let text: Vec<String> = chunk
            .iter()
            .map(|t| format!("*{}* (`{}`)\n{}", t.title, t.id, t.reminder))
            .collect();
        blocks.push(Block::section(text.join("\n\n")));
    }
    Message::new("testscope traps", blocks)
}
