//! Finding rule signals and path patterns in an analysed message.

use rustc_hash::FxHashMap;

use super::lexicon::{BREAK, COMMA, Item, Lexicon, NUMBER, Tok, class};
use super::paths::Glob;

/// Marks "up to [`MAX_GAP`] other words here" inside a signal (`promote .. prod`).
const GAP: Tok = Tok::MAX;
const MAX_GAP: usize = 4;

/// How far a signal reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reach {
    /// Fires wherever it appears.
    Signal,
    /// A belief's topic: counts only in a message that states a claim.
    About,
    /// Names where a change is: counts only when no function is named.
    Place,
}

#[derive(Debug)]
struct Pattern {
    /// Order of compilation: hits at one position keep it.
    seq: u32,
    rule: u32,
    toks: Box<[Tok]>,
    /// The signal itself contains a negation word ("no champion").
    own_cue: bool,
    /// How many words the signal names; gaps do not count.
    weight: u32,
    /// Written with a leading `?`: counts only in a message about ML work.
    needs_domain: bool,
    reach: Reach,
    /// Written the way code spells it (`log_model`, `write_feature_table`):
    /// an API a rule knows, not a team's own function.
    code_like: bool,
    /// Bit k set: the signal writes a direction word ("to", "into") between
    /// its word k - 1 and its word (or `..` gap) k, which the message must
    /// have there too ("staging to prod" is not "staging when prod").
    directed: u64,
}

/// What follows a signal's first word: nothing, the next word, or a word
/// after a `..` gap.
const ALONE: u8 = 1;
const NEXT: u8 = 2;
const AFTER_GAP: u8 = 4;

/// Every rule signal, keyed by its first two words, plus the path globs.
#[derive(Debug, Default)]
pub(crate) struct RuleIndex {
    /// Signals by (first word, second word, kind of link between them), so
    /// a word tries only the signals its neighbours could complete: the cost
    /// per word stays flat as a knowledge base grows (measured: keyed by the
    /// first word alone, a 10x knowledge base spent 2.5x as long matching,
    /// since copies of a rule share concept words such as `@change`).
    by_start: FxHashMap<(Tok, Tok, u8), Vec<Pattern>>,
    /// Per first word, which of the links above its signals use.
    starts: Vec<u8>,
    signals: u32,
    globs: Vec<(u32, Glob)>,
    /// Globs by a directory they name literally (`docs` of `docs/**`), else
    /// by the extension their name must end in (`py` for `*.py`), and the
    /// rest, so a path is tried only against patterns it could match: the
    /// cost per path stays flat as a knowledge base grows (measured: by
    /// extension alone, a 10x knowledge base spent 4x as long on paths).
    globs_by_part: FxHashMap<Box<str>, Vec<u32>>,
    globs_by_ext: FxHashMap<Box<str>, Vec<u32>>,
    globs_any: Vec<u32>,
}

/// A signal found in the message: items `start..end` triggered `rule`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hit {
    pub(crate) rule: u32,
    pub(crate) start: u32,
    pub(crate) end: u32,
    pub(crate) own_cue: bool,
    /// How specific the signal is: the number of words it names.
    pub(crate) weight: u32,
    pub(crate) needs_domain: bool,
    pub(crate) reach: Reach,
    pub(crate) code_like: bool,
    /// Bit k set: item `start + k` is a word the signal names (not a gap).
    pub(crate) named: u64,
}

impl RuleIndex {
    /// Compiles one signal phrase of rule number `rule`.
    pub(crate) fn add_signal(
        &mut self,
        lex: &mut Lexicon,
        rule: usize,
        signal: &str,
        reach: Reach,
    ) -> Result<(), String> {
        let (needs_domain, signal) = match signal.trim_start().strip_prefix('?') {
            Some(rest) => (true, rest),
            None => (false, signal),
        };
        let mut toks: Vec<Tok> = Vec::new();
        let mut run: Vec<Item> = Vec::new();
        // A run item's `start` is 1 when a direction word stands before it.
        let mut directed: u64 = 0;
        let mut pending = false;
        let flush =
            |run: &mut Vec<Item>, toks: &mut Vec<Tok>, directed: &mut u64, lex: &Lexicon| {
                for item in lex.rewrite_concepts(std::mem::take(run)) {
                    if item.start == 1 && toks.len() < 64 {
                        *directed |= 1 << toks.len();
                    }
                    toks.push(item.tok);
                }
            };
        for piece in signal.split_whitespace() {
            if piece == ".." {
                flush(&mut run, &mut toks, &mut directed, lex);
                if toks.last().is_none_or(|&t| t == GAP) {
                    return Err(format!(
                        "signal `{signal}`: `..` must stand between two words"
                    ));
                }
                if std::mem::take(&mut pending) && toks.len() < 64 {
                    directed |= 1 << toks.len();
                }
                toks.push(GAP);
                continue;
            }
            if let Some(concept) = piece.strip_prefix('@') {
                match lex.concept(concept) {
                    Some(tok) => run.push(Item {
                        tok,
                        start: u32::from(std::mem::take(&mut pending)),
                        end: 0,
                    }),
                    None => {
                        return Err(format!(
                            "signal `{signal}` names an unknown concept `@{concept}`"
                        ));
                    }
                }
                continue;
            }
            // "end-to-end" writes its direction word inside one piece.
            let words: Vec<String> = super::text::tokenize(piece)
                .into_iter()
                .filter(|t| t.kind == super::text::TokenKind::Word)
                .map(|t| t.word.into_owned())
                .collect();
            for word in words {
                if lex.is_direction(&word) {
                    pending = true;
                    continue;
                }
                for w in lex.phrase_words(&word) {
                    // Joiners are transparent when matching, so a signal cannot require one.
                    if !lex.has(w, class::JOINER) {
                        // A number in a signal is any number, as in a message.
                        let tok = if lex.name(w).starts_with(|c: char| c.is_ascii_digit()) {
                            NUMBER
                        } else {
                            lex.canonical(w)
                        };
                        run.push(Item {
                            tok,
                            start: u32::from(std::mem::take(&mut pending)),
                            end: 0,
                        });
                    }
                }
            }
        }
        flush(&mut run, &mut toks, &mut directed, lex);
        // A direction word written first or last stands beside no second
        // word ("from @model-class to"): nothing to require.
        directed &= !1;
        if toks.is_empty() {
            return Err(format!(
                "signal `{signal}` has no words left once stop words are removed"
            ));
        }
        if toks.last() == Some(&GAP) {
            return Err(format!(
                "signal `{signal}`: `..` must stand between two words"
            ));
        }
        let typed = signal.split_whitespace().filter(|p| *p != "..").count();
        if typed > 1 && toks.len() == 1 && !lex.name(toks[0]).starts_with(['@', '~']) {
            return Err(format!(
                "signal `{signal}` reduces to the single word `{}` once stop words are removed, so it would fire on every `{}`",
                lex.name(toks[0]),
                lex.name(toks[0])
            ));
        }
        let rule = u32::try_from(rule).map_err(|_| "too many rules".to_owned())?;
        let own_cue = toks
            .iter()
            .any(|&t| t != GAP && lex.has(t, class::NEG_CLAUSE | class::NEG_FORWARD));
        let weight = toks.iter().filter(|&&t| t != GAP).count() as u32;
        let key = match toks[..] {
            [first, GAP, after, ..] => (first, after, AFTER_GAP),
            [first, next, ..] => (first, next, NEXT),
            _ => (toks[0], BREAK, ALONE),
        };
        let first = key.0 as usize;
        if self.starts.len() <= first {
            self.starts.resize(first + 1, 0);
        }
        self.starts[first] |= key.2;
        self.signals += 1;
        self.by_start.entry(key).or_default().push(Pattern {
            seq: self.signals,
            rule,
            toks: toks.into(),
            own_cue,
            weight,
            needs_domain,
            reach,
            code_like: signal.contains('_'),
            directed,
        });
        Ok(())
    }

    /// Adds the path pattern `pattern`, parsed as `glob`, of rule number `rule`.
    pub(crate) fn add_glob(&mut self, rule: usize, pattern: &str, glob: Glob) {
        if let Ok(rule) = u32::try_from(rule) {
            let at = self.globs.len() as u32;
            // A matching path contains every directory the pattern names
            // literally (see `Glob::matches_parts`).
            let dirs = pattern.trim().trim_start_matches('/');
            let dir = dirs.rsplit_once('/').and_then(|(dirs, _)| {
                dirs.split('/')
                    .find(|d| !d.is_empty() && !d.contains(['*', '?']))
            });
            match (dir, glob.extension()) {
                (Some(dir), _) => (self.globs_by_part.entry(dir.to_ascii_lowercase().into()))
                    .or_default()
                    .push(at),
                (None, Some(ext)) => self.globs_by_ext.entry(ext.into()).or_default().push(at),
                (None, None) => self.globs_any.push(at),
            }
            self.globs.push((rule, glob));
        }
    }

    /// All signal hits, in message order.
    pub(crate) fn find(&self, items: &[Item], cleaned: &str, lex: &Lexicon) -> Vec<Hit> {
        let mut hits = Vec::new();
        let mut tried: Vec<&Pattern> = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let links = self.starts.get(item.tok as usize).copied().unwrap_or(0);
            if links == 0 {
                continue;
            }
            let mut look = |next: Tok, link: u8| {
                if let Some(list) = self.by_start.get(&(item.tok, next, link)) {
                    tried.extend(list);
                }
            };
            if links & ALONE != 0 {
                look(BREAK, ALONE);
            }
            let after = &items[i + 1..];
            if links & NEXT != 0
                && let Some(next) = after.iter().find(|a| !transparent(a.tok, lex))
            {
                look(next.tok, NEXT);
            }
            if links & AFTER_GAP != 0 {
                // Every word a gap could end at, as `match_at` walks it.
                let mut words = 0;
                for (n, a) in after.iter().enumerate() {
                    if a.tok == BREAK || words > MAX_GAP {
                        break;
                    }
                    if !after[..n].iter().any(|b| b.tok == a.tok) {
                        look(a.tok, AFTER_GAP);
                    }
                    words += usize::from(!transparent(a.tok, lex));
                }
            }
            // Signals are tried in the order they were written, as hits at
            // one position later compete in that order.
            tried.sort_unstable_by_key(|p| p.seq);
            for p in tried.drain(..) {
                if let Some((end, named)) = match_at(items, i, p, cleaned, lex) {
                    hits.push(Hit {
                        rule: p.rule,
                        start: i as u32,
                        end: end as u32,
                        own_cue: p.own_cue,
                        weight: p.weight,
                        needs_domain: p.needs_domain,
                        reach: p.reach,
                        code_like: p.code_like,
                        named,
                    });
                }
            }
        }
        hits
    }

    /// The rule a file path belongs to: the first rule, in knowledge-base
    /// order, whose pattern matches it, with fallback rules considered only
    /// when no other rule claims the path. One path, one reading: a test
    /// file under `training/` is a test change, not a training change.
    pub(crate) fn path_rule(&self, path: &str, is_fallback: impl Fn(u32) -> bool) -> Option<u32> {
        // Most pasted paths are lower case already: no copy for them.
        let lower = if path.bytes().any(|b| b.is_ascii_uppercase()) {
            std::borrow::Cow::Owned(path.to_ascii_lowercase())
        } else {
            std::borrow::Cow::Borrowed(path)
        };
        let parts = super::paths::split_path(&lower);
        let ext = parts
            .last()
            .and_then(|name| name.rsplit_once('.'))
            .map(|(_, ext)| ext);
        // The candidate lists merged in knowledge-base order.
        let mut candidates = self.globs_any.clone();
        let lists = parts.iter().map(|p| self.globs_by_part.get(*p));
        for list in lists.chain([ext.and_then(|e| self.globs_by_ext.get(e))]) {
            candidates.extend(list.into_iter().flatten());
        }
        candidates.sort_unstable();
        candidates.dedup();
        let mut fallback = None;
        for k in candidates {
            let (rule, glob) = &self.globs[k as usize];
            if !glob.matches_parts(&parts) {
                continue;
            }
            if !is_fallback(*rule) {
                return Some(*rule);
            }
            fallback = fallback.or(Some(*rule));
        }
        fallback
    }
}

fn transparent(tok: Tok, lex: &Lexicon) -> bool {
    tok == COMMA || lex.has(tok, class::JOINER)
}

/// Whether the message writes a direction word right before item `at` (or
/// at the end of the text when `at` is past the last item): "to", "into",
/// or an arrow, which the tokenizer reads as "to". Two items from one typed
/// word ("e2e" read as "end to end") have no gap and count as written.
fn direction_before(items: &[Item], at: usize, cleaned: &str, lex: &Lexicon) -> bool {
    let from = at.checked_sub(1).map_or(0, |k| items[k].end as usize);
    let to = items.get(at).map_or(cleaned.len(), |i| i.start as usize);
    if from > to {
        return true;
    }
    let Some(gap) = cleaned.get(from..to) else {
        return true;
    };
    super::text::tokenize(gap)
        .iter()
        .any(|t| t.kind == super::text::TokenKind::Word && lex.is_direction(&t.word))
}

/// Matches `pattern` starting at item `start`; returns the end (exclusive).
fn match_at(
    items: &[Item],
    start: usize,
    pattern: &Pattern,
    cleaned: &str,
    lex: &Lexicon,
) -> Option<(usize, u64)> {
    let pat = &pattern.toks[..];
    let directed = |k: usize| k < 64 && pattern.directed & (1 << k) != 0;
    let mut pos = start;
    let mut k = 0;
    let mut named: u64 = 0;
    while k < pat.len() {
        let want = pat[k];
        if want == GAP {
            if directed(k) && !direction_before(items, pos, cleaned, lex) {
                return None;
            }
            let next = pat[k + 1];
            let mut skipped = 0;
            // "docs only, README w/ the retrain cmd": a contrast word
            // followed by a comma closes its phrase ("X only"); a gap does
            // not carry it on to what follows.
            if pos > start
                && items.get(pos).is_some_and(|i| i.tok == COMMA)
                && lex.has(items[pos - 1].tok, class::CONTRAST)
            {
                return None;
            }
            loop {
                let tok = items.get(pos)?.tok;
                if tok == BREAK {
                    return None;
                }
                if tok == next {
                    break;
                }
                // "retrained on fresh data and updated the README": a
                // joiner before a change verb opens a second change; a gap
                // does not reach into it.
                if transparent(tok, lex)
                    && items
                        .get(pos + 1)
                        .is_some_and(|i| i.tok != next && lex.has(i.tok, class::CHANGE))
                {
                    return None;
                }
                if !transparent(tok, lex) {
                    skipped += 1;
                    if skipped > MAX_GAP {
                        return None;
                    }
                }
                pos += 1;
            }
            k += 1;
            continue;
        }
        if k > 0 {
            // "actually no, staging only": a negation word closed by a
            // comma answers what came before; it does not negate the word
            // right after it ("no staging").
            if items.get(pos).is_some_and(|i| i.tok == COMMA)
                && items
                    .get(pos + 1)
                    .is_some_and(|i| i.tok == want && i.start <= items[pos].end + 1)
                && lex.has(items[pos - 1].tok, class::NEG_FORWARD)
            {
                return None;
            }
            while items.get(pos).is_some_and(|i| transparent(i.tok, lex)) {
                pos += 1;
            }
        }
        if items.get(pos)?.tok != want {
            return None;
        }
        if directed(k) && !direction_before(items, pos, cleaned, lex) {
            return None;
        }
        if pos - start < 64 {
            named |= 1 << (pos - start);
        }
        pos += 1;
        k += 1;
    }
    Some((pos, named))
}

#[cfg(test)]
mod tests {
    use std::sync::LazyLock;

    static KB: LazyLock<crate::kb::KnowledgeBase> =
        LazyLock::new(|| crate::kb::KnowledgeBase::embedded().expect("the knowledge base loads"));

    /// The rules found in `text`; with `signals_only`, only those whose own
    /// signal matched (not a topic word).
    fn found(text: &str, signals_only: bool) -> Vec<&'static str> {
        let engine = &KB.engine;
        let (items, _) = super::super::analyse(engine, text, &[]);
        engine
            .index
            .find(&items, text, &engine.lexicon)
            .iter()
            .filter(|h| !signals_only || h.reach == super::Reach::Signal)
            .map(|h| engine.rules[h.rule as usize].id.as_str())
            .collect()
    }

    fn rules(text: &str) -> Vec<&'static str> {
        found(text, false)
    }

    #[test]
    fn a_contrast_word_before_a_comma_closes_its_phrase() {
        // "only .. retrain" (the belief that a change only needs a retrain)
        // does not reach from "docs only," to the retrain the README is about.
        assert!(!rules("docs only, README w/ the retrain cmd").contains(&"belief-training-only"));
        assert!(rules("it's only a retrain").contains(&"belief-training-only"));
    }

    #[test]
    fn a_direction_word_a_signal_writes_between_two_words_is_required() {
        // "staging to prod" moves a model; "staging when prod is frozen"
        // names the two stages side by side and moves nothing.
        let signals = |text: &str| found(text, true);
        assert!(signals("we promote from staging to prod on friday").contains(&"staging-to-prod"));
        assert!(signals("churn v7 staging -> prod tomorrow").contains(&"staging-to-prod"));
        assert!(signals("ranker staging → prod after review").contains(&"staging-to-prod"));
        assert!(
            !signals("we only use staging when prod-sized data matters")
                .contains(&"staging-to-prod")
        );
        // A version moving: the arrow reads as "to"; a list of versions does not.
        assert!(signals("bumped xgboost 1.7 → 2.0").contains(&"dependencies"));
        assert!(signals("bumped xgboost 1.7 to 2.0").contains(&"dependencies"));
        // Between a word and a gap: "write to .. instead of".
        assert!(
            signals("the scorer now writes to preds_v2 instead of preds")
                .contains(&"inference-io-tables")
        );
        assert!(
            !signals("the ETL writes signup_date as a DATE now instead of a string")
                .contains(&"inference-io-tables")
        );
        // A hyphenated compound writes its direction word inside the gap.
        assert!(
            signals("ran the pipeline end-to-end on a sample").contains(&"pipeline-end-to-end")
        );
        assert!(
            signals("ran the pipeline end to end on a sample").contains(&"pipeline-end-to-end")
        );
    }

    #[test]
    fn a_negation_closed_by_a_comma_answers_and_negates_nothing_after_it() {
        // "no, staging only" answers what came before; it is no "no staging"
        // (a topic word of the belief may still be found, not its signal).
        let signals = |text: &str| found(text, true);
        assert!(!signals("actually no, staging only").contains(&"belief-skip-staging"));
        assert!(signals("no staging for this one").contains(&"belief-skip-staging"));
    }
}
