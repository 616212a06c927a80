//! Which words of a message sit under a negation.
//!
//! People describe what did *not* change as often as what did:
//! "hyperparameters did not change, only one transformation function was edited".
//! The analysis is deliberately shallow and works on clause segments:
//!
//! * a sentence splits into segments at commas, "and"/"or", and contrast words
//!   ("but", "only"); a contrast word also stops negation carrying over;
//! * a negation word after the segment's first word negates the whole segment
//!   ("the learning rate did not change"), one at the start negates what
//!   follows ("not the batch size", "without retraining");
//! * a value set ("from 2 to 4", "-> 0.3") is a verb of its own, so
//!   "upped num_layers from 2 to 4, hyperparams never leak past training"
//!   negates only the claim;
//! * a segment with no verb of its own continues the previous segment's
//!   polarity ("we didn't touch the learning rate, batch size or epochs"),
//!   unless it opens with a question word ("no staging step - is that ok
//!   for a hotfix?" asks about the hotfix), and
//!   a verbless list before a trailing negation takes it too
//!   ("the learning rate and epochs were not changed");
//! * a sentence after a colon that only negates ("not touched", "none")
//!   takes back the verbless list before the colon
//!   ("model, features and serving config: not touched");
//! * "is the same", "are the same", "stays as is" negate their clause as
//!   "unchanged" does ("the output table's schema stays as is");
//!   "same" before a noun negates that noun ("fixed, same signature").

use super::lexicon::{BREAK, COMMA, Item, Lexicon, class};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Polarity {
    Plain,
    /// Negated from the segment's start (inherited or a trailing cue).
    Whole,
    /// Negated from a cue at the segment's start to its end.
    Forward,
}

#[derive(Clone, Copy)]
struct Segment {
    start: usize,
    end: usize,
    /// Began with a contrast word, so it inherits nothing.
    after_contrast: bool,
    has_verb: bool,
    cue: Option<(usize, u64)>,
}

/// Returns, for each item, whether it is negated. Negation cue words are
/// themselves marked negated.
pub(crate) fn negated(items: &[Item], text: &str, lex: &Lexicon) -> Vec<bool> {
    let mut out = vec![false; items.len()];
    let mut sentence_start = 0;
    // The previous sentence, when it is a verbless list with no negation of
    // its own ("model, features and serving config").
    let mut bare_list: Option<(usize, usize)> = None;
    for i in 0..=items.len() {
        if i == items.len() || items[i].tok == BREAK {
            let (from, to) = (sentence_start, i);
            // "model, features and serving config: not touched" — a
            // sentence that only negates takes back the list before it.
            let after_colon = from > 0 && text[items[from - 1].start as usize..].starts_with(':');
            if let Some((s, e)) = bare_list
                && after_colon
                && only_negates(&items[from..to], lex)
            {
                mark(&mut out, s, e);
            }
            analyse_sentence(items, text, from, to, lex, &mut out);
            // "fixed, same signature": what is the same did not change.
            for k in from..to {
                if text[items[k].start as usize..items[k].end as usize].eq_ignore_ascii_case("same")
                    && !stays_the_same(items, text, k)
                {
                    let reach = (k + 1..to.min(k + 3))
                        .take_while(|&j| {
                            let t = items[j].tok;
                            t != COMMA
                                && !lex.has(t, class::CHANGE | class::JOINER | class::CONTRAST)
                        })
                        .last();
                    if let Some(end) = reach {
                        mark(&mut out, k + 1, end + 1);
                    }
                }
            }
            let plain = (from..to).all(|k| {
                lex.class(items[k].tok) & (class::CHANGE | class::NEG_CLAUSE | class::NEG_FORWARD)
                    == 0
            });
            bare_list = (plain && to > from).then_some((from, to));
            sentence_start = i + 1;
        }
    }
    out
}

/// A sentence made of negation words and at most one verb: "not touched",
/// "unchanged", "none", "no changes".
fn only_negates(sentence: &[Item], lex: &Lexicon) -> bool {
    let cues = sentence
        .iter()
        .filter(|i| lex.has(i.tok, class::NEG_CLAUSE | class::NEG_FORWARD))
        .count();
    let verbs = sentence
        .iter()
        .filter(|i| lex.has(i.tok, class::CHANGE))
        .count();
    cues >= 1 && verbs <= 1 && cues + verbs == sentence.len()
}

fn analyse_sentence(
    items: &[Item],
    text: &str,
    from: usize,
    to: usize,
    lex: &Lexicon,
    out: &mut [bool],
) {
    let segments = split_segments(items, text, from, to, lex);
    let mut polarity = Vec::with_capacity(segments.len());
    let mut previous = Polarity::Plain;
    for seg in &segments {
        // "IT not needed for the FS join change": a need denied reaches up
        // to "for"; what follows is what the need was weighed for, and it
        // changed.
        let seg_end = need_for(items, text, seg.start, seg.end);
        let seg = &Segment {
            end: seg_end,
            cue: seg.cue.filter(|&(at, _)| at < seg_end),
            ..*seg
        };
        let p = match seg.cue {
            Some((at, cls)) => {
                let first_content = (seg.start..seg.end).find(|&k| {
                    let t = items[k].tok;
                    t != COMMA && !lex.has(t, class::CONTRAST | class::JOINER)
                });
                if cls & class::NEG_FORWARD != 0
                    || first_content == Some(at)
                    || predicts_no_effect(items, at, seg.end, lex)
                    || denies_a_need(items, text, at, seg.end, lex)
                    || contrasts(items, text, at, seg.end, lex)
                {
                    mark(out, at, seg.end);
                    Polarity::Forward
                } else {
                    mark(out, seg.start, seg.end);
                    Polarity::Whole
                }
            }
            None if seg.has_verb || seg.after_contrast || opens_question(items, text, seg, lex) => {
                Polarity::Plain
            }
            None if previous != Polarity::Plain => {
                mark(out, seg.start, seg.end);
                Polarity::Forward
            }
            None => Polarity::Plain,
        };
        polarity.push(p);
        previous = p;
    }
    // A trailing "... were not changed" reaches back over a verbless list.
    for k in (1..segments.len()).rev() {
        if polarity[k] != Polarity::Whole || segments[k].after_contrast {
            continue;
        }
        let mut j = k;
        while j > 0 {
            let prev = &segments[j - 1];
            if prev.cue.is_some()
                || prev.has_verb
                || polarity[j - 1] != Polarity::Plain
                || says_now(items, text, prev)
            {
                break;
            }
            mark(out, prev.start, prev.end);
            polarity[j - 1] = Polarity::Whole;
            if prev.after_contrast {
                break;
            }
            j -= 1;
        }
    }
}

/// "dev to prod in one go, no staging step - is that acceptable for a
/// hotfix?": a segment whose first word opens a question asks about what
/// came before; it is no item of the negated list, so it inherits nothing.
/// Stop words ("is", "are") are no items, so the first word is read from the
/// text after the segment's comma.
fn opens_question(items: &[Item], text: &str, seg: &Segment, lex: &Lexicon) -> bool {
    if seg.start == 0 || items[seg.start].tok != COMMA {
        return false;
    }
    let from = items[seg.start].end as usize;
    let to = items.get(seg.end).map_or(text.len(), |i| i.end as usize);
    let span = text.get(from..to.max(from)).unwrap_or_default();
    // It asks: a question mark ends it (", which crashed ..." relates).
    span.trim_end().ends_with('?')
        && span
            .split(|c: char| !c.is_alphanumeric() && c != '\'')
            .find(|w| !w.is_empty())
            .is_some_and(|w| lex.is_question_word(w))
}

/// "serving lowercases the query before tokenizing now, the training
/// pipeline never did that": a segment that says "now" tells what happens
/// today, whatever its verb; it is no item of a list that a trailing
/// negation takes back.
fn says_now(items: &[Item], text: &str, seg: &Segment) -> bool {
    let end = items.get(seg.end).map_or(text.len(), |i| i.start as usize);
    text.get(items[seg.start].start as usize..end)
        .unwrap_or_default()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| w.eq_ignore_ascii_case("now"))
}

/// Where a need denied in `from..to` stops: at the first item after "for"
/// that follows a word of need ("no staging run needed for the lr change",
/// "IT not required for the join change"), or `to`.
fn need_for(items: &[Item], text: &str, from: usize, to: usize) -> usize {
    let word = |k: usize| &text[items[k].start as usize..items[k].end as usize];
    let Some(need) = (from..to).find(|&k| {
        ["need", "needed", "required", "necessary"]
            .iter()
            .any(|n| word(k).eq_ignore_ascii_case(n))
    }) else {
        return to;
    };
    (need + 1..to)
        .find(|&k| {
            // Items of one word folded together may overlap: no gap.
            text.get(items[k - 1].end as usize..items[k].start as usize)
                .is_some_and(|gap| {
                    gap.split(|c: char| !c.is_ascii_alphabetic())
                        .any(|w| w.eq_ignore_ascii_case("for"))
                })
        })
        .unwrap_or(to)
}

/// "upping dropout won't change anything on the serving side": a negated
/// prediction with an object of its own denies an effect, not the change
/// before it, so it negates only what follows. "the schema won't change"
/// has no object and still negates its subject.
fn predicts_no_effect(items: &[Item], cue: usize, end: usize, lex: &Lexicon) -> bool {
    let modal = matches!(lex.name(items[cue].tok), "wont" | "cant")
        || (cue > 0 && matches!(lex.name(items[cue - 1].tok), "wo" | "ca"));
    // The cue, its verb, and something the verb acts on.
    modal && end > cue + 2
}

/// "the refit on the april clicks doesn't need a data check": a need
/// denied with an object of its own says the object is not needed; the
/// thing that needs it, its subject, still happened. "the schema doesn't
/// need to change" goes on to a change verb and still negates its subject,
/// and "... we don't need test the serving" has a person as the subject, so
/// what came before it is no subject of the need.
fn denies_a_need(items: &[Item], text: &str, cue: usize, end: usize, lex: &Lexicon) -> bool {
    let need = cue + 1;
    need + 1 < end
        && lex.has(items[need].tok, class::NEED)
        && !lex.has(items[need + 1].tok, class::CHANGE)
        && !text[..items[cue].start as usize]
            .rsplit(|c: char| !c.is_ascii_alphanumeric() && c != '\'' && c != '’')
            .filter(|w| !w.is_empty())
            .find(|w| {
                !["do", "does", "did"]
                    .iter()
                    .any(|a| w.eq_ignore_ascii_case(a))
            })
            .is_some_and(|w| {
                ["we", "i", "you", "they", "he", "she", "people", "u"]
                    .iter()
                    .any(|p| w.eq_ignore_ascii_case(p))
            })
}

/// "the job is now in spark not pandas", "float not int": a "not" between
/// two words, with no auxiliary before it and no verb after it, sets what
/// follows against what comes before; it negates only what follows. "the
/// model not retrained" (a verb after it), "it is not the model" (an
/// auxiliary before it) and "a cutoff not the model" (a determiner after it)
/// still negate their clause.
fn contrasts(items: &[Item], text: &str, cue: usize, end: usize, lex: &Lexicon) -> bool {
    let word = |k: usize| &text[items[k].start as usize..items[k].end as usize];
    if cue == 0 || cue + 1 >= end || !word(cue).eq_ignore_ascii_case("not") {
        return false;
    }
    let before = text[..items[cue].start as usize]
        .trim_end()
        .rsplit(|c: char| !c.is_alphanumeric() && c != '\'')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    const AUXILIARIES: [&str; 23] = [
        "is", "are", "was", "were", "am", "be", "been", "do", "does", "did", "has", "have", "had",
        "will", "would", "can", "could", "should", "must", "may", "might", "shall", "need",
    ];
    let (prev, next) = (items[cue - 1].tok, items[cue + 1].tok);
    let verb_like = |k: usize, t| {
        lex.has(t, class::CHANGE | class::NEG_CLAUSE | class::NEG_FORWARD)
            || matches!(t, BREAK | COMMA)
            || word(k).to_ascii_lowercase().ends_with("ed")
    };
    // "it's a cutoff not the model": a noun phrase of its own after it
    // still negates the clause, as it did before this reading.
    let determiner = text[items[cue].end as usize..]
        .split_whitespace()
        .next()
        .is_some_and(|w| {
            matches!(
                w.to_ascii_lowercase().as_str(),
                "the" | "a" | "an" | "our" | "my"
            )
        });
    !before.is_empty()
        && !determiner
        && word(cue - 1).eq_ignore_ascii_case(&before)
        && !AUXILIARIES.contains(&before.as_str())
        && !verb_like(cue - 1, prev)
        && !verb_like(cue + 1, next)
}

/// "signature and return type are the same": "the same" after a copula says
/// nothing changed, as "unchanged" does. So does a verb of staying before
/// "as is" ("the output table's schema stays as is", "kept as it is"): the
/// stop words "as" and "is" are dropped from the items, so the cue is read
/// from the text after the verb.
fn stays_the_same(items: &[Item], text: &str, k: usize) -> bool {
    let word = &text[items[k].start as usize..items[k].end as usize];
    if word.eq_ignore_ascii_case("same") {
        return ["is the", "are the", "was the", "were the"]
            .iter()
            .any(|c| text[..items[k].start as usize].trim_end().ends_with(c));
    }
    const STAYING: [&str; 9] = [
        "stay", "stays", "stayed", "remain", "remains", "remained", "kept", "left", "keep",
    ];
    STAYING.iter().any(|v| word.eq_ignore_ascii_case(v)) && {
        let after: String = text[items[k].end as usize..]
            .chars()
            .take(16)
            .collect::<String>()
            .to_ascii_lowercase();
        let mut words = after
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty());
        matches!(
            (words.next(), words.next(), words.next()),
            (Some("as"), Some("is"), _) | (Some("as"), Some("it"), Some("is"))
        )
    }
}

fn split_segments(
    items: &[Item],
    text: &str,
    from: usize,
    to: usize,
    lex: &Lexicon,
) -> Vec<Segment> {
    let mut segments = Vec::new();
    let mut seg = Segment {
        start: from,
        end: from,
        after_contrast: false,
        has_verb: false,
        cue: None,
    };
    for (k, item) in items.iter().enumerate().take(to).skip(from) {
        let t = item.tok;
        let contrast = lex.has(t, class::CONTRAST);
        if t == COMMA || lex.has(t, class::JOINER) || contrast {
            seg.end = k;
            if seg.end > seg.start {
                segments.push(seg);
            }
            seg = Segment {
                start: k,
                end: k,
                after_contrast: contrast,
                has_verb: false,
                cue: None,
            };
            continue;
        }
        let cls = if stays_the_same(items, text, k) {
            class::NEG_CLAUSE
        } else {
            lex.class(t)
        };
        if cls & (class::NEG_CLAUSE | class::NEG_FORWARD) != 0 {
            if seg.cue.is_none() {
                seg.cue = Some((k, cls));
            }
        } else if cls & class::CHANGE != 0 || value_set(items, text, k) {
            seg.has_verb = true;
        }
    }
    seg.end = to;
    if seg.end > seg.start {
        segments.push(seg);
    }
    segments
}

/// "upped num_layers from 2 to 4", "dropout -> 0.3": a number that a value
/// is set to tells a change as a verb does, whatever verb (if any) says it,
/// so its segment does not take a negation from the clause after it
/// ("..., hyperparams never leak past training"). "up to 10 retries" is a
/// bound, not a value set. Looks only at the gap before item `k`.
fn value_set(items: &[Item], text: &str, k: usize) -> bool {
    if k == 0 || !text[items[k].start as usize..].starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    let gap = text[items[k - 1].end as usize..items[k].start as usize].trim_end();
    // ".1→.3": a decimal typed without its leading zero still moves a value.
    let gap = gap
        .strip_suffix('.')
        .map(str::trim_end)
        .filter(|g| g.ends_with(['>', '\u{2192}']) || g.ends_with("to") || g.ends_with("TO"))
        .unwrap_or(gap);
    gap.ends_with("->") || gap.ends_with('\u{2192}') || {
        let before = gap.strip_suffix("to").or_else(|| gap.strip_suffix("TO"));
        before.is_some_and(|b| {
            (b.is_empty() || b.ends_with(|c: char| !c.is_alphanumeric()))
                && !b
                    .trim_end()
                    .as_bytes()
                    .rsplit(|c| !c.is_ascii_alphanumeric())
                    .next()
                    .is_some_and(|w| w.eq_ignore_ascii_case(b"up"))
                && !text[items[k - 1].start as usize..items[k - 1].end as usize]
                    .eq_ignore_ascii_case("up")
        })
    }
}

fn mark(out: &mut [bool], from: usize, to: usize) {
    for flag in &mut out[from..to] {
        *flag = true;
    }
}

#[cfg(test)]
mod tests {
    use std::sync::LazyLock;

    use super::*;

    static KB: LazyLock<crate::kb::KnowledgeBase> =
        LazyLock::new(|| crate::kb::KnowledgeBase::embedded().expect("the knowledge base loads"));

    /// The words of `text`, as typed, that sit under a negation.
    fn negated_words(text: &str) -> Vec<String> {
        let (items, _) = super::super::analyse(&KB.engine, text, &[]);
        let out = negated(&items, text, &KB.engine.lexicon);
        items
            .iter()
            .zip(out)
            .filter(|(i, n)| *n && i.tok != BREAK && i.tok != COMMA)
            .map(|(i, _)| text[i.start as usize..i.end as usize].to_string())
            .collect()
    }

    #[test]
    fn a_segment_that_asks_inherits_no_negation() {
        let words =
            negated_words("dev to prod in one go, no staging step - is that ok for a hotfix?");
        assert!(words.contains(&"staging".to_string()), "{words:?}");
        assert!(!words.contains(&"hotfix".to_string()), "{words:?}");
        // A relative clause is no question: it still continues the list.
        let words = negated_words("we did not touch the tokenizer, which the scorer uses");
        assert!(words.contains(&"tokenizer".to_string()), "{words:?}");
    }

    #[test]
    fn a_not_between_two_words_negates_only_what_follows() {
        assert_eq!(
            negated_words("the job is in spark not pandas now"),
            ["not", "pandas"]
        );
        assert_eq!(
            negated_words("the age column is float not int"),
            ["not", "int"]
        );
        // A verb after it, or an auxiliary before it: the clause is negated.
        assert!(negated_words("the model not retrained").contains(&"model".to_string()));
        assert!(negated_words("the schema is not the problem").contains(&"schema".to_string()));
    }

    #[test]
    fn staying_as_is_negates_its_clause_and_the_table_it_names() {
        let n = negated_words("the serving table's columns stay as is; we fixed the parser");
        assert!(n.iter().any(|w| w.contains("table")), "{n:?}");
        assert!(!n.iter().any(|w| w == "parser"), "{n:?}");
        let n = negated_words("schema unchanged for the features table: rewrote the parser");
        assert!(n.iter().any(|w| w.contains("table")), "{n:?}");
        // "stays" alone, or "as is" after another verb, negates nothing.
        assert!(negated_words("the champion stays on v8 and we retrain").is_empty());
        assert!(negated_words("merged it as is").is_empty());
    }

    #[test]
    fn a_segment_that_says_now_is_no_list_item_a_trailing_negation_takes() {
        let n = negated_words(
            "serving lowercases the query before tokenizing now, the training pipeline never did that",
        );
        assert!(!n.iter().any(|w| w == "serving"), "{n:?}");
        assert!(n.iter().any(|w| w == "never"), "{n:?}");
        // A verbless list before a trailing negation still takes it.
        let n = negated_words("the learning rate, the batch size and epochs were not changed");
        assert!(n.iter().any(|w| w.contains("batch")), "{n:?}");
    }
}
