//! The advisor: free text in, test-scope advice out. Pure functions, no I/O.
//!
//! Steps: clean Slack markup, tokenize and stem, repair typos, fold synonyms
//! into concepts, mark negated clauses, find rule signals and file paths, then
//! combine the rules that fired. The combination follows the study guide's
//! decision order: the union of every scope the change needs, with the deepest
//! one as the primary scope.

pub(crate) mod lexicon;
pub(crate) mod matcher;
mod negation;
pub(crate) mod paths;
pub(crate) mod text;

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::kb::{KnowledgeBase, RuleKind};
use lexicon::{BREAK, COMMA, Item, UNKNOWN, class};
use matcher::Hit;
use text::TokenKind;

/// Slack's own ceiling for a message; longer input is cut here so the cost of
/// one request stays bounded.
pub const MAX_INPUT_BYTES: usize = 50_000;

/// A rule that fired (or was ruled out by a negation) and the user's words
/// that triggered it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Matched {
    pub rule: String,
    pub title: String,
    pub words: Vec<String>,
}

/// The advisor's answer. Lists are in the knowledge base's order (scopes from
/// smallest to deepest, components along the pipeline), so the same input
/// always renders the same way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Advice {
    /// The deepest scope required; `None` only when nothing matched.
    pub primary_scope: Option<String>,
    pub scopes: Vec<String>,
    pub stages: Vec<String>,
    pub traps: Vec<String>,
    pub checks: Vec<String>,
    pub components: Vec<String>,
    pub matched: Vec<Matched>,
    /// Rules whose words appeared only in negated clauses.
    pub ignored: Vec<Matched>,
    pub confident: bool,
    /// One rationale per fired rule.
    pub why: Vec<String>,
    /// Clarifications the answer depends on.
    pub notes: Vec<String>,
    /// Set when an escalating risk factor deepened the scope.
    pub escalated: bool,
}

impl Advice {
    /// True when the advice includes a release gate.
    pub fn is_release_gating(&self, kb: &KnowledgeBase) -> bool {
        kb.scopes
            .last()
            .is_some_and(|deepest| self.scopes.contains(&deepest.id))
    }
}

/// Analyses `input` and returns the advice. Never panics; input longer than
/// [`MAX_INPUT_BYTES`] is truncated at a character boundary.
pub fn advise(kb: &KnowledgeBase, input: &str) -> Advice {
    let input = truncate(input, MAX_INPUT_BYTES);
    let cleaned = blank_short_headings(text::clean_markup(input));
    let paths = paths::extract(&cleaned);
    let items = analyse(kb, &cleaned, &paths);
    let negated = negation::negated(&items, &kb.lexicon);

    // Beliefs ("unit tests pass so we can ship"), specific changes, generic
    // wording and risk factors are read independently: a trap phrase or a
    // vague "changed .. model" must not hide a specific change inside it, and
    // "real-time serving" is both a serving change and a risk factor.
    // Everyday words ("ship", "launch", "promote") count only when something
    // else in the message shows it is about ML work.
    let domain_at: Vec<u32> = items
        .iter()
        .enumerate()
        .filter(|(_, i)| kb.lexicon.has(i.tok, class::DOMAIN))
        .map(|(k, _)| k as u32)
        .collect();
    let in_context =
        |h: &Hit| !h.needs_domain || domain_at.iter().any(|&k| k < h.start || k >= h.end);
    let mut groups: [Vec<Hit>; 4] = Default::default();
    for hit in kb
        .index
        .find(&items, &kb.lexicon)
        .into_iter()
        .filter(in_context)
    {
        let rule = &kb.rules[hit.rule as usize];
        let group = match (rule.kind, rule.fallback) {
            (RuleKind::Trap, _) => 0,
            (RuleKind::Escalate, _) => 3,
            (_, true) => 1,
            _ => 2,
        };
        groups[group].push(hit);
    }
    let hits: Vec<Hit> = groups.into_iter().flat_map(keep_outermost).collect();
    // Per rule: the words that fired it and whether any hit stood un-negated.
    let mut fired: FxHashMap<u32, (usize, bool, Vec<String>)> = FxHashMap::default();
    // Line numbers by binary search over the newline offsets, found once, so
    // long messages stay linear.
    let newlines: Vec<usize> = cleaned
        .bytes()
        .enumerate()
        .filter(|&(_, b)| b == b'\n')
        .map(|(i, _)| i)
        .collect();
    let line_of = |pos: usize| newlines.partition_point(|&n| n < pos);
    // Lines naming a specific change in words, and lines saying the change is
    // docs or tests only ("only comments changed in train.py").
    let mut specific_lines = rustc_hash::FxHashSet::default();
    let mut owned_lines = rustc_hash::FxHashSet::default();
    for hit in &hits {
        let rule = &kb.rules[hit.rule as usize];
        let span = hit.start as usize..hit.end as usize;
        // "no champion" or "code unchanged" carry their own negation.
        let is_negated = rule.negatable && !hit.own_cue && negated[span.end - 1];
        let (s, e) = (items[span.start].start, items[span.end - 1].end);
        let words = cleaned[s as usize..e as usize].to_owned();
        if !is_negated && rule.kind == RuleKind::Change && !rule.fallback {
            specific_lines.insert(line_of(s as usize));
            if rule.owns_line_paths {
                owned_lines.insert(line_of(s as usize));
            }
        }
        record(&mut fired, hit.rule, s as usize, !is_negated, words);
    }
    // A bare path is the only reading of that file, so a fallback rule it
    // triggers stays unless its own line names a specific change.
    let mut sticky = rustc_hash::FxHashSet::default();
    for &(path, start, _) in &paths {
        if let Some(rule) = kb.index.path_rule(path, |r| kb.rules[r as usize].fallback) {
            let line = line_of(start);
            let r = &kb.rules[rule as usize];
            if owned_lines.contains(&line) && !r.owns_line_paths {
                continue;
            }
            if r.fallback && !specific_lines.contains(&line) {
                sticky.insert(rule);
            }
            record(&mut fired, rule, start, true, path.to_owned());
        }
    }
    combine(kb, fired, &sticky)
}

fn record(
    fired: &mut FxHashMap<u32, (usize, bool, Vec<String>)>,
    rule: u32,
    at: usize,
    positive: bool,
    words: String,
) {
    let entry = fired.entry(rule).or_insert((at, false, Vec::new()));
    if positive && !entry.1 {
        // The first positive hit decides where the rule sits in the message
        // and replaces words seen only in negated clauses.
        entry.0 = at;
        entry.2.clear();
    }
    if positive || !entry.1 {
        entry.1 |= positive;
        if !entry.2.contains(&words) {
            entry.2.push(words);
        }
    }
}

fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Tokens to ids: stems, typo repair, stop words removed, concepts folded.
/// Words inside file paths are left to the path patterns, so
/// `docs/architecture.md` is a docs change, not an architecture change.
fn analyse(kb: &KnowledgeBase, cleaned: &str, paths: &[(&str, usize, usize)]) -> Vec<Item> {
    let lex = &kb.lexicon;
    let mut raw = text::tokenize(cleaned);
    if !paths.is_empty() {
        let mut next = 0;
        raw.retain(|t| {
            while next < paths.len() && paths[next].2 <= t.start {
                next += 1;
            }
            !(t.kind == TokenKind::Word && next < paths.len() && paths[next].1 <= t.start)
        });
    }
    let mut items = Vec::with_capacity(raw.len());
    // Unknown words repeat in long messages; repair each one once.
    let mut repaired: FxHashMap<String, u32> = FxHashMap::default();
    let mut fwd_open = false;
    for token in raw {
        let tok = match token.kind {
            TokenKind::Break => BREAK,
            TokenKind::Comma => COMMA,
            TokenKind::Word => {
                let stem = text::stem(&token.word);
                match lex.exact(&stem) {
                    UNKNOWN => match repaired.get(token.word.as_ref()) {
                        Some(&t) => t,
                        None => {
                            let t = lex.repair(&token.word, &stem);
                            repaired.insert(token.word.clone().into_owned(), t);
                            t
                        }
                    },
                    known => known,
                }
            }
        };
        if lex.has(tok, class::STOP) {
            // "without touching the architecture we halved the dropout": a new
            // subject ends the reach of a forward negation.
            if fwd_open
                && matches!(token.word.as_ref(), "we" | "i" | "they" | "you")
                && items
                    .last()
                    .is_some_and(|i: &Item| i.tok != BREAK && i.tok != COMMA)
            {
                items.push(Item {
                    tok: COMMA,
                    start: token.start as u32,
                    end: token.end as u32,
                });
                fwd_open = false;
            }
            continue;
        }
        if tok == BREAK || tok == COMMA || lex.has(tok, class::CONTRAST | class::JOINER) {
            fwd_open = false;
        } else if lex.has(tok, class::NEG_FORWARD) {
            fwd_open = true;
        }
        // Collapse repeated separators so clause analysis sees one boundary.
        if (tok == BREAK || tok == COMMA) && items.last().is_some_and(|i: &Item| i.tok == tok) {
            continue;
        }
        items.push(Item {
            tok,
            start: token.start as u32,
            end: token.end as u32,
        });
    }
    lex.rewrite_concepts(items)
}

/// Drops hits that lie inside a more specific hit: "unit tests pass so we
/// can ship" is one belief, and "promote from dev to staging" is a merge, not
/// also a bare "promote". Specific means naming more words; a wide gap alone
/// does not make a signal more specific.
fn keep_outermost(mut hits: Vec<Hit>) -> Vec<Hit> {
    if hits.len() < 2 {
        return hits;
    }
    hits.sort_by(|a, b| {
        b.weight
            .cmp(&a.weight)
            .then((b.end - b.start).cmp(&(a.end - a.start)))
            .then(a.start.cmp(&b.start))
    });
    let span_end = hits.iter().map(|h| h.end).max().unwrap_or(0) as usize;
    // For each position, the most specific kept hit naming it. Words in a
    // signal's `..` gap are not covered: "merging the hparam change to main"
    // names "merge" and "main", not "hparam".
    let is_named = |h: &Hit, p: usize| {
        let k = p - h.start as usize;
        k >= 64 || h.named & (1 << k) != 0
    };
    let mut cover: Vec<Option<Hit>> = vec![None; span_end];
    let mut kept = Vec::with_capacity(hits.len());
    for h in hits {
        let (from, to) = (h.start as usize, h.end as usize);
        let inside = (from..to).filter(|&p| is_named(&h, p)).all(|p| {
            cover[p].is_some_and(|c| c.weight > h.weight && c.start <= h.start && h.end <= c.end)
        });
        if inside {
            continue;
        }
        for (p, c) in cover.iter_mut().enumerate().take(to).skip(from) {
            if is_named(&h, p) && c.is_none_or(|c| c.weight < h.weight) {
                *c = Some(h);
            }
        }
        kept.push(h);
    }
    kept.sort_by_key(|h| (h.start, h.rule));
    kept
}

/// Blanks markdown headings of one or two words ("## Rollout", "### Testing"):
/// PR templates name sections there, not changes.
fn blank_short_headings(text: std::borrow::Cow<'_, str>) -> std::borrow::Cow<'_, str> {
    let is_heading = |line: &str| {
        let t = line.trim_start();
        let rest = t.trim_start_matches('#');
        rest.len() < t.len()
            && t.len() - rest.len() <= 6
            && rest.starts_with(' ')
            && rest.split_whitespace().count() <= 2
    };
    if !text.lines().any(is_heading) {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if is_heading(line) {
            out.extend(std::iter::repeat_n(' ', line.len()));
        } else {
            out.push_str(line);
        }
    }
    std::borrow::Cow::Owned(out)
}

fn combine(
    kb: &KnowledgeBase,
    fired: FxHashMap<u32, (usize, bool, Vec<String>)>,
    sticky: &rustc_hash::FxHashSet<u32>,
) -> Advice {
    let mut positive: Vec<(usize, u32, Vec<String>)> = Vec::new();
    let mut ignored: Vec<(usize, u32, Vec<String>)> = Vec::new();
    for (rule, (at, pos, words)) in fired {
        if pos {
            positive.push((at, rule, words));
        } else {
            ignored.push((at, rule, words));
        }
    }
    // Generic wording ("changed the model") and bare file paths only count
    // when nothing more specific was said.
    let specific = positive.iter().any(|(_, r, _)| {
        let rule = &kb.rules[*r as usize];
        rule.kind == RuleKind::Change && !rule.fallback
    });
    if specific {
        positive.retain(|(_, r, _)| !kb.rules[*r as usize].fallback || sticky.contains(r));
    }
    positive.sort();
    ignored.sort();

    let n_scopes = kb.scopes.len();
    let mut scope_on = vec![false; n_scopes];
    let mut trap_on = vec![false; kb.traps.len()];
    let mut component_on = vec![false; kb.components.len()];
    let mut checks: Vec<usize> = Vec::new();
    let mut why: Vec<String> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    let mut escalators = Vec::new();

    // Rationale and checks follow the knowledge base's rule order, which runs
    // from narrow changes to release decisions.
    let mut by_rule: Vec<u32> = positive.iter().map(|(_, r, _)| *r).collect();
    by_rule.sort_unstable();
    for &r in &by_rule {
        let rule = &kb.rules[r as usize];
        if rule.kind == RuleKind::Escalate {
            escalators.push(rule);
        } else {
            for &s in &rule.scopes {
                scope_on[s] = true;
            }
        }
        for &t in &rule.traps {
            trap_on[t] = true;
        }
        for &c in &rule.components {
            component_on[c] = true;
        }
        for &c in &rule.checks {
            if !checks.contains(&c) {
                checks.push(c);
            }
        }
        if !why.contains(&rule.why) {
            why.push(rule.why.clone());
        }
        if let Some(note) = &rule.note
            && !notes.contains(note)
        {
            notes.push(note.clone());
        }
    }
    let mut escalated = false;
    if !escalators.is_empty() {
        // Risk deepens a unit-only answer; release gating stays reserved for
        // promotion decisions, so it is never reached this way.
        match scope_on.iter().rposition(|&on| on) {
            Some(deepest) if deepest + 2 < n_scopes => {
                scope_on[deepest + 1] = true;
                escalated = true;
            }
            Some(_) => {}
            None => {
                for rule in &escalators {
                    for &s in &rule.scopes {
                        scope_on[s] = true;
                    }
                }
            }
        }
    }

    let scopes: Vec<usize> = (0..n_scopes).filter(|&i| scope_on[i]).collect();
    let mut stage_on = vec![false; kb.stages.len()];
    for &s in &scopes {
        stage_on[kb.scopes[s].stage] = true;
    }
    let to_matched = |list: Vec<(usize, u32, Vec<String>)>| -> Vec<Matched> {
        list.into_iter()
            .map(|(_, r, words)| {
                let rule = &kb.rules[r as usize];
                Matched {
                    rule: rule.id.clone(),
                    title: rule.title.clone(),
                    words,
                }
            })
            .collect()
    };
    let confident = !positive.is_empty();
    Advice {
        primary_scope: scopes.last().map(|&s| kb.scopes[s].id.clone()),
        scopes: scopes.iter().map(|&s| kb.scopes[s].id.clone()).collect(),
        stages: kb
            .stages
            .iter()
            .zip(&stage_on)
            .filter(|(_, on)| **on)
            .map(|(s, _)| s.id.clone())
            .collect(),
        traps: kb
            .traps
            .iter()
            .zip(&trap_on)
            .filter(|(_, on)| **on)
            .map(|(t, _)| t.id.clone())
            .collect(),
        checks: checks.iter().map(|&c| kb.checks[c].id.clone()).collect(),
        components: kb
            .components
            .iter()
            .zip(&component_on)
            .filter(|(_, on)| **on)
            .map(|(c, _)| c.id.clone())
            .collect(),
        matched: to_matched(positive),
        ignored: to_matched(ignored),
        confident,
        why,
        notes,
        escalated,
    }
}
