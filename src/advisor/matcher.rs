//! Finding rule signals and path patterns in an analysed message.

use rustc_hash::FxHashMap;

use super::lexicon::{BREAK, COMMA, Item, Lexicon, Tok, class};
use super::paths::Glob;

/// Marks "up to [`MAX_GAP`] other words here" inside a signal (`promote .. prod`).
const GAP: Tok = Tok::MAX;
const MAX_GAP: usize = 4;

#[derive(Debug)]
struct Pattern {
    rule: u32,
    toks: Box<[Tok]>,
}

/// Every rule signal, keyed by its first token, plus the path globs.
#[derive(Debug, Default)]
pub(crate) struct RuleIndex {
    by_first: FxHashMap<Tok, Vec<Pattern>>,
    globs: Vec<(u32, Glob)>,
}

/// A signal found in the message: items `start..end` triggered `rule`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hit {
    pub(crate) rule: u32,
    pub(crate) start: u32,
    pub(crate) end: u32,
}

impl RuleIndex {
    /// Compiles one signal phrase of rule number `rule`.
    pub(crate) fn add_signal(
        &mut self,
        lex: &mut Lexicon,
        rule: usize,
        signal: &str,
    ) -> Result<(), String> {
        let mut toks: Vec<Tok> = Vec::new();
        let mut run: Vec<Item> = Vec::new();
        let flush = |run: &mut Vec<Item>, toks: &mut Vec<Tok>, lex: &Lexicon| {
            let rewritten = lex.rewrite_concepts(std::mem::take(run));
            toks.extend(rewritten.iter().map(|i| i.tok));
        };
        for piece in signal.split_whitespace() {
            if piece == ".." {
                flush(&mut run, &mut toks, lex);
                if toks.last().is_none_or(|&t| t == GAP) {
                    return Err(format!(
                        "signal `{signal}`: `..` must stand between two words"
                    ));
                }
                toks.push(GAP);
                continue;
            }
            for w in lex.phrase_words(piece) {
                // Joiners are transparent when matching, so a signal cannot require one.
                if !lex.has(w, class::JOINER) {
                    let tok = lex.canonical(w);
                    run.push(Item {
                        tok,
                        start: 0,
                        end: 0,
                    });
                }
            }
        }
        flush(&mut run, &mut toks, lex);
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
        let rule = u32::try_from(rule).map_err(|_| "too many rules".to_owned())?;
        self.by_first.entry(toks[0]).or_default().push(Pattern {
            rule,
            toks: toks.into(),
        });
        Ok(())
    }

    pub(crate) fn add_glob(&mut self, rule: usize, glob: Glob) {
        if let Ok(rule) = u32::try_from(rule) {
            self.globs.push((rule, glob));
        }
    }

    /// All signal hits, in message order.
    pub(crate) fn find(&self, items: &[Item], lex: &Lexicon) -> Vec<Hit> {
        let mut hits = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let Some(patterns) = self.by_first.get(&item.tok) else {
                continue;
            };
            for p in patterns {
                if let Some(end) = match_at(items, i, &p.toks, lex) {
                    hits.push(Hit {
                        rule: p.rule,
                        start: i as u32,
                        end: end as u32,
                    });
                }
            }
        }
        hits
    }

    /// Rules whose path patterns match `path`.
    pub(crate) fn path_rules<'a>(&'a self, path: &'a str) -> impl Iterator<Item = u32> + 'a {
        self.globs
            .iter()
            .filter(move |(_, g)| g.matches(path))
            .map(|(r, _)| *r)
    }
}

fn transparent(tok: Tok, lex: &Lexicon) -> bool {
    tok == COMMA || lex.has(tok, class::JOINER)
}

/// Matches `pat` starting at item `start`; returns the end (exclusive).
fn match_at(items: &[Item], start: usize, pat: &[Tok], lex: &Lexicon) -> Option<usize> {
    let mut pos = start;
    let mut k = 0;
    while k < pat.len() {
        let want = pat[k];
        if want == GAP {
            let next = pat[k + 1];
            let mut skipped = 0;
            loop {
                let tok = items.get(pos)?.tok;
                if tok == BREAK {
                    return None;
                }
                if tok == next {
                    break;
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
            while items.get(pos).is_some_and(|i| transparent(i.tok, lex)) {
                pos += 1;
            }
        }
        if items.get(pos)?.tok != want {
            return None;
        }
        pos += 1;
        k += 1;
    }
    Some(pos)
}
