//! Advice as people see it: terminal text, JSON, or a Slack Block Kit message.
//! Pure functions of the knowledge base and the advice.

mod blocks;
mod message;
mod private;
mod shared;
mod terminal;

pub(crate) use blocks::escape;
pub use blocks::{
    DETAILS, HELPFUL, NOT_QUITE, SHARE, advice_details, advice_message, advice_reply, has_details,
    help_message, rules_message, thread_guidance, traps_message, with_details_button,
};
pub use message::{Block, Button, Message, Post, ResponseType, Text};
pub use private::{ADVICE_ID_HEX, Shown, advice_id, private_reply, shown};
pub use shared::{ReadFrom, after_sharing, read_from, shared_answer};
pub use terminal::{advice_text, rules_text, summary_line};

use crate::advisor::Advice;
use crate::kb::KnowledgeBase;

/// The advice as one JSON object (pretty-printed).
pub fn advice_json(advice: &Advice) -> String {
    // Serialising plain strings and vectors cannot fail.
    serde_json::to_string_pretty(advice).unwrap_or_else(|_| "{}".to_owned())
}

/// `features ● → training ● → evaluation ○ → …`: filled dots mark the
/// components inside the blast radius.
pub fn pipeline_picture(kb: &KnowledgeBase, advice: &Advice) -> String {
    kb.components
        .iter()
        .map(|c| {
            let on = advice.components.contains(&c.id);
            format!("{} {}", c.title, if on { '●' } else { '○' })
        })
        .collect::<Vec<_>>()
        .join(" → ")
}

/// "Integration tests" for the primary scope, if any.
fn scope_title<'a>(kb: &'a KnowledgeBase, id: &'a str) -> &'a str {
    kb.scope(id).map_or(id, |s| s.title.as_str())
}

fn stage_title<'a>(kb: &'a KnowledgeBase, id: &'a str) -> &'a str {
    kb.stages
        .iter()
        .find(|s| s.id == id)
        .map_or(id, |s| s.title.as_str())
}

fn check_text<'a>(kb: &'a KnowledgeBase, id: &'a str) -> &'a str {
    kb.checks
        .iter()
        .find(|c| c.id == id)
        .map_or(id, |c| c.text.as_str())
}

/// How many checks and reasons a change's answer lists before folding the
/// rest into "More checks" and "More reasons" at its end: a reader wants the
/// few that matter. Those of the rules that set the primary scope come first,
/// and the primary rule's are never folded, however many
/// (see [`Advice::lead_checks`]).
pub(crate) const CHECKS_SHOWN: usize = 5;
pub(crate) const REASONS_SHOWN: usize = 3;
/// Service wording for the folded rest, like the first screen's labels.
pub(crate) const MORE_CHECKS: &str = "More checks";
pub(crate) const MORE_REASONS: &str = "More reasons";

/// `list` split where it folds: at `cap`, but never inside its first `lead`
/// items.
pub(crate) fn fold<T>(list: &[T], lead: usize, cap: usize) -> (&[T], &[T]) {
    list.split_at(list.len().min(cap.max(lead)))
}

/// Cuts `s` to at most `max` characters, ending with an ellipsis when cut.
pub(crate) fn clip(s: &str, max: usize) -> String {
    // Counting characters is only needed when there are more bytes.
    if s.len() <= max || s.chars().count() <= max {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn a_list_folds_at_the_cap_but_never_inside_its_lead() {
        let list = [1, 2, 3, 4, 5, 6, 7];
        assert_eq!(fold(&list, 2, 5), (&list[..5], &list[5..]));
        assert_eq!(fold(&list, 6, 5), (&list[..6], &list[6..]));
        assert_eq!(fold(&list[..3], 0, 5), (&list[..3], &[][..]));
    }
}
