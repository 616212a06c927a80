//! Readers named for a change. "both the weekly retrain and the backfill job
//! call it", "three other teams pin that package", "the pricing, churn and
//! ltv pipelines all import it", "it is read by the churn job": a clause whose
//! reader verb (`reader_verbs` in `lexicon.toml`) points back at what changed
//! (`pointers`: "it", "that", ...) or is passive with "by" names who consumes
//! the change. Those readers are a boundary the change crosses, and the words
//! that name them ("weekly retrain", "backfill job") are readers, not changes
//! of their own.
//!
//! The same holds for readers named in other shapes: the pointer after a
//! preposition or before a particle ("both filter on it", "look it up"); a
//! label before a colon (`reader_labels`: "consumers: the BI dashboard and the
//! replenishment service"); a reader verb whose object is "the same" thing
//! "as" another part of the system ("the batch scorer uses the same tokenizer
//! as training"); and a part of the ML system that still works the old way
//! beside a change ("the serving transformer still scales before imputing",
//! "but the online scorer does not", "the model in prod was trained on the old
//! buckets"; `steady_words` after "still" report health instead). One reader
//! said to be the only one ("only used by my sampling script") is no boundary,
//! but its words are still a caller's. Each shape is one pass over the items
//! or over the words of one clause.

use super::lexicon::{BREAK, COMMA, Item, Lexicon, NUMBER, class};

/// Readers named in one clause: the items that name them (`start..end`) and
/// the byte range of the whole clause, verb included, for the answer's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Readers {
    pub(crate) start: u32,
    pub(crate) end: u32,
    pub(crate) text: (usize, usize),
    /// Named after a verb that hands the change on ("it goes into the
    /// feature table that churn and upsell train on"): the words there say
    /// where the change lands, which stays a change of its own.
    pub(crate) flows: bool,
    /// One reader named ("it is only used by my sampling script"): every
    /// function has a caller, so it is no boundary, but the words that name
    /// it are still a caller, not a change of their own.
    pub(crate) one: bool,
}

/// The next word typed after byte `from`, lower case.
fn next_word(cleaned: &str, from: usize) -> String {
    cleaned[from..]
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .next()
        .unwrap_or_default()
        .to_lowercase()
}

/// Where the clause ends when the join verb at `start..end` is told of a
/// pointer as what is joined on it: a pointer and its copula, "what" and a
/// short subject before the verb ("that's what we join", "it is what the
/// jobs join"), and "on" as the clause's last word ("... the store features
/// on"). `None` for any other join.
fn joined_on_what(cleaned: &str, start: usize, end: usize, lex: &Lexicon) -> Option<usize> {
    let before: Vec<String> = cleaned[..start]
        .rsplit(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .take(5)
        .map(str::to_lowercase)
        .collect();
    // Read backwards: the subject, then "what", then the copula or "that's".
    let what = before.iter().take(4).position(|w| w == "what")?;
    let pointer = |w: &str| lex.pointers().iter().any(|p| p == w);
    let said_of_pointer = match (before.get(what + 1), before.get(what + 2)) {
        (Some(w), _) if w.strip_suffix("'s").is_some_and(pointer) => true,
        (Some(cop), Some(p)) => lex.copulas().contains(cop) && pointer(p),
        _ => false,
    };
    if !said_of_pointer {
        return None;
    }
    let rest = &cleaned[end..];
    let clause_end = rest
        .find(['.', ',', ';', '!', '?', '\n'])
        .unwrap_or(rest.len());
    let last = rest[..clause_end]
        .split(|c: char| !c.is_alphanumeric())
        .rfind(|w| !w.is_empty())?;
    last.eq_ignore_ascii_case("on").then_some(end + clause_end)
}

/// Whether "too", "also" or "as well" follows the pointer that a reader verb
/// ending at byte `verb_end` takes as its object, in the same clause: "the
/// online tokenizer calls it too" names a reader beside the change's own.
fn added_reader(cleaned: &str, verb_end: usize, object: &str, lex: &Lexicon) -> bool {
    if !lex.pointers().iter().any(|p| p == object) {
        return false;
    }
    let rest = &cleaned[verb_end..];
    let lower = rest.to_ascii_lowercase();
    let whole = |p: usize| {
        let before = !lower[..p].ends_with(|c: char| c.is_alphanumeric());
        let after = !lower[p + object.len()..].starts_with(|c: char| c.is_alphanumeric());
        before && after
    };
    let Some(at) = lower
        .match_indices(object)
        .map(|(p, _)| p)
        .find(|&p| whole(p))
        .map(|p| p + object.len())
    else {
        return false;
    };
    let after = rest[at..].trim_start_matches([' ', ',']);
    let word = |w: &str| {
        after
            .get(..w.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(w))
            && !after[w.len()..].starts_with(|c: char| c.is_alphanumeric())
    };
    // "serving calls it on every request and the training job too": a
    // second subject joined later in the clause, with the verb left out,
    // is a reader added as well.
    let clause = &lower[at..];
    let clause = &clause[..clause
        .find(['.', ',', ';', '!', '?', '\n'])
        .unwrap_or(clause.len())];
    let joined_later = clause
        .split(|c: char| !c.is_alphanumeric())
        .skip_while(|w| *w != "and")
        .any(|w| w == "too");
    word("too") || word("also") || word("as well") || joined_later
}

/// Every clause of `items` that names readers of the change. `negated` marks
/// items in negated clauses ("nobody else calls it" names no reader).
pub(crate) fn find(items: &[Item], cleaned: &str, lex: &Lexicon, negated: &[bool]) -> Vec<Readers> {
    let mut out = Vec::new();
    let stops = |i: &Item| {
        i.tok == BREAK || lex.has(i.tok, class::CHANGE | class::CONTRAST | class::READER_VERB)
    };
    // "the weekly retrain", "a new ranker": a change word in a noun phrase
    // (a determiner before it, or before the one word that qualifies it)
    // names a reader, it does not report a change; the walk goes on.
    let noun = |k: usize| {
        let before: Vec<&str> = cleaned[..items[k].start as usize]
            .rsplit(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .take(2)
            .collect();
        let det = |w: &&str| lex.determiners().iter().any(|d| d.eq_ignore_ascii_case(w));
        before.first().is_some_and(det)
            || (before.get(1).is_some_and(det)
                && k > 0
                && !lex.has(items[k - 1].tok, class::CHANGE)
                && items[k - 1].tok != COMMA)
    };
    let stops_at =
        |k: usize| stops(&items[k]) && !(lex.has(items[k].tok, class::CHANGE) && noun(k));
    // The start of the readers of a reader verb at `k` whose clause opens with
    // "that" or "which" after a noun and which ends at the verb (nothing or
    // "too" after it): the verb's object is the noun the clause hangs on.
    let relative_readers = |k: usize| -> Option<usize> {
        let after = next_word(cleaned, items[k].end as usize);
        let ends = items
            .get(k + 1)
            .is_none_or(|n| n.tok == BREAK || n.tok == COMMA);
        if !(ends || matches!(after.as_str(), "too" | "also")) {
            return None;
        }
        let relative_before = |start: usize| {
            let lead = cleaned[..items[start].start as usize]
                .rsplit(|c: char| !c.is_alphanumeric())
                .find(|w| {
                    !w.is_empty() && !lex.determiners().iter().any(|d| d.eq_ignore_ascii_case(w))
                })
                .unwrap_or_default()
                .to_lowercase();
            matches!(lead.as_str(), "that" | "which")
        };
        (k.saturating_sub(6)..k)
            .rev()
            .take_while(|&p| !stops_at(p) && items[p].tok != COMMA)
            .find(|&p| relative_before(p))
    };
    for (k, verb) in items.iter().enumerate() {
        if !lex.has(verb.tok, class::READER_VERB) || negated.get(k).copied().unwrap_or(false) {
            continue;
        }
        // "both filter on it", "depend on that": a preposition between the
        // verb and the pointer leaves the pointer its object.
        let object = {
            let first = next_word(cleaned, verb.end as usize);
            if matches!(first.as_str(), "on" | "upon" | "from") {
                let after = cleaned[verb.end as usize..]
                    .find(first.as_str())
                    .map_or(verb.end as usize, |p| verb.end as usize + p + first.len());
                let second = next_word(cleaned, after);
                if lex.pointers().contains(&second) {
                    second
                } else {
                    first
                }
            } else {
                first
            }
        };
        // "it's called from the training dataloader and from Triton": what it
        // is called from calls it (what it is read or loaded from is a source).
        let called_from = (object == "from"
            && cleaned
                .get(verb.start as usize..verb.end as usize)
                .is_some_and(|w| {
                    let w = w.to_ascii_lowercase();
                    w.starts_with("call") || w.starts_with("invok")
                }))
            // "it's used in the training SQL and in the streaming job": the
            // participle with "in" names where it is used, and those places
            // read it, as readers after "by" do.
            || (object == "in"
                && cleaned
                    .get(verb.start as usize..verb.end as usize)
                    .is_some_and(|w| w.eq_ignore_ascii_case("used")));
        let (start, end) = if object == "by" || called_from {
            // "it is read by the churn job and the LTV model": the readers
            // follow, up to the end of the clause.
            let end = items[k + 1..]
                .iter()
                .position(&stops)
                .map_or(items.len(), |p| k + 1 + p);
            // ", and I changed its bins": a comma or joiner that ends the
            // list opens the next clause.
            let mut end = end;
            // "used by my sampling script, nothing is persisted": a comma
            // ends the readers unless a list goes on after it ("by the
            // retrain, the backfill and the dashboard").
            let typed_comma =
                |i: &Item| i.tok == COMMA && cleaned[i.start as usize..i.end as usize] == *",";
            if let Some(c) = items[k + 1..end].iter().position(typed_comma) {
                let c = k + 1 + c;
                if !items[c + 1..end]
                    .iter()
                    .any(|i| lex.has(i.tok, class::JOINER))
                {
                    end = c;
                }
            }
            while end > k + 1
                && (items[end - 1].tok == COMMA || lex.has(items[end - 1].tok, class::JOINER))
            {
                end -= 1;
            }
            (k + 1, end)
        } else if lex.pointers().contains(&object) {
            // "... and call it done": a verb joined to an earlier one shares
            // that one's subject; it names no reader.
            if k > 0 && lex.has(items[k - 1].tok, class::JOINER) {
                continue;
            }
            // "both the retrain and the backfill call it": the readers come
            // before the verb, back to the start of the clause. A comma ends
            // the clause unless what precedes it is one short list item ("the
            // pricing, churn and ltv pipelines").
            let mut start = k;
            while start > 0 {
                let prev = &items[start - 1];
                if stops_at(start - 1) {
                    break;
                }
                if prev.tok == COMMA {
                    let seg = items[..start - 1]
                        .iter()
                        .rev()
                        .take_while(|i| i.tok != COMMA && !stops(i))
                        .count();
                    // A list runs between commas as typed ("(" reads as a
                    // comma too, but opens an aside, not a list).
                    let list_comma = |i: &Item| {
                        i.tok == COMMA && cleaned[i.start as usize..i.end as usize] == *","
                    };
                    let reaches_clause_start = start - 1 - seg == 0
                        || items[start - 2 - seg].tok == BREAK
                        || list_comma(&items[start - 2 - seg]);
                    if seg == 0 || seg > 2 || !reaches_clause_start {
                        break;
                    }
                }
                start -= 1;
            }
            (start, k)
        } else if let Some(start) = relative_readers(k) {
            // "the `prep` package that the serving image now imports too":
            // a relative clause whose verb takes no object of its own names
            // the readers of the noun it hangs on.
            (start, k)
        } else {
            continue;
        };
        // "we never touched `parse_ts()`, but the feature job calls it", "the
        // scorer calls it the same way": readers of what did not change, or
        // whose use does not change, cross no boundary. The clause the
        // pointer looks back to is the one just before the readers (for a
        // passive verb, the one that holds it); the rest of the reader
        // clause runs to its end.
        let sep = |i: &Item| i.tok == BREAK || i.tok == COMMA || lex.has(i.tok, class::CONTRAST);
        let before = if object == "by" { k } else { start };
        let mut ante_end = before;
        while ante_end > 0 && sep(&items[ante_end - 1]) && object != "by" {
            ante_end -= 1;
        }
        let mut ante_start = items[..ante_end]
            .iter()
            .rposition(&sep)
            .map_or(0, |p| p + 1);
        // "simplified haversine (no behaviour change), only called from the
        // ETA job": an aside in parentheses qualifies the clause before it;
        // that clause is the one the pointer looks back to.
        let aside = ante_start > 1
            && ante_end > ante_start
            && cleaned[..items[ante_start].start as usize]
                .trim_end()
                .ends_with('(')
            && cleaned[items[ante_end - 1].end as usize..]
                .trim_start()
                .starts_with(')');
        if aside {
            ante_end = ante_start - 1;
            ante_start = items[..ante_end]
                .iter()
                .rposition(&sep)
                .map_or(0, |p| p + 1);
        }
        // "does serving use it?" / "no, only the backfill job calls it": a
        // bare "no" that opens the sentence answers; it denies no change.
        if ante_end == ante_start + 1
            && lex.has(items[ante_start].tok, class::NEG_FORWARD)
            && (ante_start == 0 || items[ante_start - 1].tok == BREAK)
        {
            ante_start = ante_end;
        }
        let rest_end = items[k + 1..]
            .iter()
            .position(sep)
            .map_or(items.len(), |p| k + 1 + p);
        let rest = if object == "by" {
            end..end
        } else {
            k + 1..rest_end
        };
        let clause_end = items
            .get(rest_end)
            .map_or(cleaned.len(), |i| i.start as usize);
        let unchanged = (ante_start..ante_end)
            .chain(rest.clone())
            .any(|p| negated.get(p).copied().unwrap_or(false))
            || (object != "by"
                && cleaned[verb.end as usize..clause_end.max(verb.end as usize)]
                    .split(|c: char| !c.is_alphanumeric())
                    .any(|w| w.eq_ignore_ascii_case("same")));
        if unchanged {
            continue;
        }
        // "we call it", "the unit test calls it": a person or a test is not
        // a reader of the change.
        let named = items[start..end].iter().any(|i| {
            i.tok != COMMA && !lex.has(i.tok, class::JOINER) && !lex.name(i.tok).contains("test")
        });
        let tested = items[start..end]
            .iter()
            .any(|i| lex.name(i.tok).contains("test"));
        // "no other model uses it", "none of the pipelines call it".
        let denied = (start..end).any(|p| {
            negated.get(p).copied().unwrap_or(false)
                || lex.has(items[p].tok, class::NEG_FORWARD | class::NEG_CLAUSE)
        });
        // "the billing export uses it": every function has a caller; one
        // named is no boundary. Two or more ("the retrain and the backfill",
        // "three other teams", "all pipelines") share what changed.
        // "is also used by the serving API": "also" before the verb adds a
        // reader to the ones the change already has.
        let many = items[start..end].iter().any(|i| {
            i.tok == COMMA || i.tok == NUMBER || lex.has(i.tok, class::JOINER | class::MANY)
        }) || (k > 0 && lex.has(items[k - 1].tok, class::MANY))
            // "... that the serving image imports too": a reader added to
            // the ones the noun already has.
            || matches!(object.as_str(), "too" | "also")
            // "the online tokenizer calls it too": a reader added to the
            // ones the change already has.
            || added_reader(cleaned, verb.end as usize, &object, lex);
        // "only used by my sampling script", "only the notebook calls it":
        // one reader, said to be the only one. It is no boundary, but its
        // words name a caller, not a change.
        let typed_only = |p: usize| {
            cleaned
                .get(items[p].start as usize..items[p].end as usize)
                .is_some_and(|w| w.eq_ignore_ascii_case("only"))
        };
        let only = (k > 0 && typed_only(k - 1)) || (start > 0 && typed_only(start - 1));
        if !named || tested || denied || !(many || only) {
            continue;
        }
        let first = items[start.min(k)].start as usize;
        let last = items[(end.max(k + 1)) - 1].end as usize;
        let text_end = if object == "by" {
            last
        } else {
            cleaned[verb.end as usize..]
                .find(&object)
                .map_or(verb.end as usize, |p| verb.end as usize + p + object.len())
        };
        out.push(Readers {
            start: start as u32,
            end: end as u32,
            text: (first, text_end.max(last)),
            flows: false,
            one: !many,
        });
    }
    // "the session features join on it": what changed is a join key, so
    // whatever is joined on it reads it, however many readers are named.
    for (k, verb) in items.iter().enumerate() {
        let typed = cleaned
            .get(verb.start as usize..verb.end as usize)
            .unwrap_or_default();
        if !["join", "joins", "joined"]
            .iter()
            .any(|w| typed.eq_ignore_ascii_case(w))
            || negated.get(k).copied().unwrap_or(false)
        {
            continue;
        }
        // Where the join key's clause ends: "... join on it", or "that's what
        // we join the store features on" (a pointer said to be what
        // something is joined on is a join key as well).
        let end = if next_word(cleaned, verb.end as usize) == "on" {
            let on =
                cleaned[verb.end as usize..].find("on").map_or(0, |p| p + 2) + verb.end as usize;
            let object = next_word(cleaned, on);
            lex.pointers().contains(&object).then(|| {
                cleaned[on..]
                    .find(&object)
                    .map_or(on, |p| on + p + object.len())
            })
        } else {
            joined_on_what(cleaned, verb.start as usize, verb.end as usize, lex)
        };
        if let Some(end) = end {
            out.push(Readers {
                start: k as u32,
                end: k as u32 + 1,
                text: (verb.start as usize, end),
                flows: false,
                one: false,
            });
        }
    }
    // "that flag is the retention model's label and also a filter on serving
    // candidates": a sentence whose subject points back at what changed and
    // whose verb is a copula says what the change is to its readers; what
    // follows names them.
    let words = |text: &str| -> Vec<String> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let copula = |w: &String| lex.copulas().contains(w);
    let pointer = |w: &String| lex.pointers().contains(w);
    // "it feeds ...", "that feature goes into ...": a verb that hands what
    // changed on is a word of its own, so it is an item, not a gap word.
    let flows = |k: usize| {
        items.get(k).is_some_and(|i| {
            cleaned
                .get(i.start as usize..i.end as usize)
                .is_some_and(|w| lex.flow_verbs().iter().any(|f| f.eq_ignore_ascii_case(w)))
        })
    };
    for s in 0..items.len() {
        if items[s].tok == BREAK || (s > 0 && items[s - 1].tok != BREAK) {
            continue;
        }
        let from = if s == 0 { 0 } else { items[s - 1].end as usize };
        // Items may share bytes ("can't" reads as "ca not"): slice with care.
        let lead = words(
            cleaned
                .get(from..items[s].start as usize)
                .unwrap_or_default(),
        );
        let flowing = matches!(lead.as_slice(), [p] if pointer(p) && (flows(s) || flows(s + 1)));
        let start = match lead.as_slice() {
            [p, c] if pointer(p) && copula(c) => s,
            [p] if pointer(p) && flows(s) => s + 1,
            [p] if pointer(p) && flows(s + 1) => s + 2,
            [p] if pointer(p) => {
                let gap = items
                    .get(s + 1)
                    .and_then(|n| cleaned.get(items[s].end as usize..n.start as usize))
                    .unwrap_or_default();
                if !words(gap).iter().any(copula) {
                    continue;
                }
                s + 1
            }
            _ => continue,
        };
        let end = items[start..]
            .iter()
            .position(|i| i.tok == BREAK || lex.has(i.tok, class::CONTRAST))
            .map_or(items.len(), |p| start + p);
        let span = &items[start..end];
        let many = span.iter().any(|i| {
            i.tok == COMMA || i.tok == NUMBER || lex.has(i.tok, class::JOINER | class::MANY)
        });
        let about_ml = span.iter().any(|i| lex.has(i.tok, class::DOMAIN));
        // "it is read by ..." is the passive reader clause above.
        // "a filter on serving candidates": a reader verb after a
        // determiner is a noun.
        let after_determiner = |i: &Item| {
            cleaned[..i.start as usize]
                .rsplit(|c: char| !c.is_alphanumeric())
                .find(|w| !w.is_empty())
                .is_some_and(|w| lex.determiners().iter().any(|d| d.eq_ignore_ascii_case(w)))
        };
        let reports = span.iter().any(|i| {
            lex.has(i.tok, class::CHANGE)
                || (lex.has(i.tok, class::READER_VERB) && !after_determiner(i))
        });
        let tested = span.iter().any(|i| lex.name(i.tok).contains("test"));
        let denied = (start..end).any(|p| negated.get(p).copied().unwrap_or(false));
        if start < end && many && about_ml && !reports && !tested && !denied {
            out.push(Readers {
                start: start as u32,
                end: end as u32,
                text: {
                    let a = from + cleaned[from..].len() - cleaned[from..].trim_start().len();
                    (a, (items[end - 1].end as usize).max(a))
                },
                flows: flowing,
                one: false,
            });
        }
    }
    // "the serving wrapper now calls the same `preprocess()` as training",
    // "the batch scorer uses the same tokenizer as training": a reader verb
    // whose object is "the same" thing "as" another part of the ML system
    // shares it across a boundary; what follows "as" is the other reader.
    for (k, verb) in items.iter().enumerate() {
        if !lex.has(verb.tok, class::READER_VERB) || negated.get(k).copied().unwrap_or(false) {
            continue;
        }
        let ce = items[k + 1..]
            .iter()
            .position(|i| {
                i.tok == BREAK
                    || (i.tok == COMMA && cleaned[i.start as usize..i.end as usize] == *",")
            })
            .map_or(items.len(), |p| k + 1 + p);
        let clause_end = items.get(ce).map_or(cleaned.len(), |i| i.start as usize);
        let rest = cleaned
            .get(verb.end as usize..clause_end)
            .unwrap_or_default();
        let words: Vec<(usize, &str)> = rest
            .split(|c: char| !c.is_alphanumeric() && c != '_')
            .filter(|w| !w.is_empty())
            .map(|w| (w.as_ptr() as usize - cleaned.as_ptr() as usize, w))
            .collect();
        let Some(same) = words
            .iter()
            .take(4)
            .position(|(_, w)| w.eq_ignore_ascii_case("same"))
        else {
            continue;
        };
        let Some(&(as_at, _)) = words[same + 1..]
            .iter()
            .take(5)
            .find(|(_, w)| w.eq_ignore_ascii_case("as"))
        else {
            continue;
        };
        let other: Vec<usize> = (k + 1..ce)
            .filter(|&p| items[p].start as usize > as_at)
            .collect();
        let (Some(&first), Some(&last)) = (other.first(), other.last()) else {
            continue;
        };
        // "the same config as the old version did" compares with the past.
        let past = words.iter().any(|(at, w)| {
            *at > as_at
                && [
                    "old",
                    "before",
                    "previous",
                    "previously",
                    "original",
                    "earlier",
                ]
                .iter()
                .any(|p| p.eq_ignore_ascii_case(w))
        });
        if past || !other.iter().any(|&p| lex.has(items[p].tok, class::DOMAIN)) {
            continue;
        }
        out.push(Readers {
            start: first as u32,
            end: last as u32 + 1,
            text: (
                verb.start as usize,
                clause_end.max(items[last].end as usize),
            ),
            flows: false,
            one: false,
        });
    }
    // "consumers: the BI dashboard and the replenishment service": a label
    // before a colon that names readers lists them after it; more than one
    // is a boundary. Only the colons of the message are looked at.
    // The message must be about ML ("readers: the book club meets on
    // thursday and friday" lists people).
    let about_ml = || items.iter().any(|i| lex.has(i.tok, class::DOMAIN));
    for (c, _) in cleaned.match_indices(':') {
        let head = cleaned[..c].trim_end();
        let labelled = lex.reader_labels().iter().any(|l| {
            head.len() >= l.len()
                && head.is_char_boundary(head.len() - l.len())
                && head[head.len() - l.len()..].eq_ignore_ascii_case(l)
                && head[..head.len() - l.len()]
                    .chars()
                    .next_back()
                    .is_none_or(|b| !b.is_alphanumeric())
        });
        if !labelled {
            continue;
        }
        let start = items.partition_point(|i| (i.start as usize) <= c);
        let end = items[start..]
            .iter()
            .position(|i| i.tok == BREAK)
            .map_or(items.len(), |p| start + p);
        let span = &items[start..end];
        let many = span.iter().any(|i| {
            i.tok == COMMA || i.tok == NUMBER || lex.has(i.tok, class::JOINER | class::MANY)
        });
        if start < end && many && about_ml() {
            out.push(Readers {
                start: start as u32,
                end: end as u32,
                text: (items[start].start as usize, items[end - 1].end as usize),
                flows: false,
                one: false,
            });
        }
    }
    // "the serving transformer still scales before imputing", "but the
    // online feature service does not": beside a change, a clause whose
    // subject is a part of the ML system and that says it still works the
    // old way (or, cut short, that it does not) names a reader on the other
    // side of a boundary that now disagrees with what changed.
    let mut cs = 0;
    while cs < items.len() {
        let ce = items[cs..]
            .iter()
            .position(|i| {
                i.tok == BREAK
                    || (i.tok == COMMA && cleaned[i.start as usize..i.end as usize] == *",")
                    || lex.has(i.tok, class::CONTRAST)
            })
            .map_or(items.len(), |p| cs + p);
        if let Some(skew) = holds_old_way(items, cleaned, lex, negated, cs, ce) {
            out.push(skew);
        }
        cs = ce + 1;
    }
    out
}

fn word_of<'a>(cleaned: &'a str, i: &Item) -> &'a str {
    &cleaned[i.start as usize..i.end as usize]
}

/// Auxiliaries that cut a clause short ("the online scorer does not").
const AUX: [&str; 15] = [
    "does", "do", "did", "has", "have", "doesn't", "don't", "didn't", "hasn't", "haven't",
    "doesnt", "dont", "didnt", "hasnt", "havent",
];

/// The subject of the clause `items[cs..ce]` when the clause says it "still"
/// works the old way, or, cut short, "does not" ("doesn't yet"), or was
/// "trained on the old" form of it: a part of the ML system, not a test and
/// not itself a change.
fn holds_old_way(
    items: &[Item],
    cleaned: &str,
    lex: &Lexicon,
    negated: &[bool],
    cs: usize,
    ce: usize,
) -> Option<Readers> {
    if cs >= ce {
        return None;
    }
    let from = items[cs].start as usize;
    let to = items.get(ce).map_or(cleaned.len(), |i| i.start as usize);
    let clause = cleaned.get(from..to)?;
    // Asked of every clause: most hold none of the words that could make it
    // hold the old way, so they are turned away before being split.
    let mut tail = clause
        .rsplit(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty());
    let ends_denied = |w: Option<&str>| {
        w.is_some_and(|w| {
            w.eq_ignore_ascii_case("not") || AUX.iter().any(|a| a.eq_ignore_ascii_case(w))
        })
    };
    let mut last = tail.next();
    if last.is_some_and(|w| w.eq_ignore_ascii_case("yet")) {
        last = tail.next();
    }
    // "the serving code doesn't call it yet" cuts the clause short as
    // "doesn't yet" does: a reader verb and its pointer after the denial.
    let reads_it = |w: Option<&str>, v: Option<&str>| {
        w.is_some_and(|w| lex.pointers().iter().any(|p| p.eq_ignore_ascii_case(w)))
            && v.is_some_and(|v| {
                lex.has(
                    lex.exact(&super::text::stem(&v.to_ascii_lowercase())),
                    class::READER_VERB,
                )
            })
    };
    let cut_possible = ends_denied(last) || {
        let verb = tail.next();
        reads_it(last, verb) && ends_denied(tail.next())
    };
    let names_old_way = || {
        clause.split(|c: char| !c.is_alphanumeric()).any(|w| {
            ["still", "keeps", "old", "previous", "original"]
                .iter()
                .any(|n| n.eq_ignore_ascii_case(w))
        })
    };
    if !(cut_possible || names_old_way()) {
        return None;
    }
    let words: Vec<(usize, &str)> = clause
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .map(|w| (w.as_ptr() as usize - cleaned.as_ptr() as usize, w))
        .collect();
    // Compared without allocating: `is(w, &["a", "b"])`.
    let is = |w: &str, any: &[&str]| any.iter().any(|a| a.eq_ignore_ascii_case(w));
    // Where the subject ends: at "still", or at a "does not" that ends
    // the clause (with at most "yet" after it).
    // "the live service keeps calling the forecast API" says "still" in
    // other words.
    let still = words.iter().position(|(_, w)| is(w, &["still", "keeps"]));
    let cut_short = || {
        let mut tail = words.iter().rev().map(|&(_, w)| w).peekable();
        if tail.peek().is_some_and(|w| is(w, &["yet"])) {
            tail.next();
        }
        let mut last = tail.next()?;
        if reads_it(Some(last), tail.peek().copied()) {
            tail.next();
            last = tail.next()?;
        }
        let contracted = !is(last, &["not"]) && last.ends_with(['t', 'T']) && is(last, &AUX);
        let spelled = is(last, &["not"]) && tail.next().is_some_and(|w| is(w, &AUX));
        if !(contracted || spelled) {
            return None;
        }
        words.iter().rposition(|(_, w)| is(w, &AUX))
    };
    // "the endpoint still returns 200", "tests still pass": health, not an
    // old way of working.
    let steady = still.is_some_and(|k| {
        words
            .get(k + 1)
            .is_some_and(|(_, w)| lex.steady_words().iter().any(|s| s.eq_ignore_ascii_case(w)))
    });
    // "it still splits the same way": a reader whose use does not change,
    // as for the reader verbs above.
    if steady || words.iter().any(|(_, w)| w.eq_ignore_ascii_case("same")) {
        return None;
    }
    // "the model in prod was trained on the old buckets": a model built on
    // the old form of what changed reads it the old way.
    let built_on_old = || {
        let at = |k: usize, any: &[&str]| words.get(k).is_some_and(|(_, w)| is(w, any));
        (0..words.len()).find(|&k| {
            at(k, &["trained", "fitted", "fit", "built"])
                && at(k + 1, &["on", "with", "against"])
                && (k + 2..k + 7).any(|j| at(j, &["old", "previous", "original"]))
        })
    };
    let at = still.or_else(cut_short).or_else(built_on_old)?;
    let until = words.get(at)?.0;
    let mut subject: Vec<usize> = (cs..ce)
        .filter(|&k| (items[k].end as usize) <= until)
        .collect();
    // "changed the edges and the model in prod was trained on the old
    // buckets", "the index was built with titles and the query side still
    // embeds titles": the subject's clause opens after the last "and" that
    // has words after it ("the serving featurizer hasn't been updated and
    // still hashes" keeps its subject).
    if let Some(j) = subject
        .iter()
        .rposition(|&k| lex.has(items[k].tok, class::JOINER))
        .filter(|&j| j + 1 < subject.len())
    {
        subject.drain(..=j);
    }
    let (&first, &last) = (subject.first()?, subject.last()?);
    let about_ml = subject
        .iter()
        .any(|&k| lex.has(items[k].tok, class::DOMAIN));
    // "the serving featurizer hasn't been updated and still hashes into
    // 1024": a change denied of the subject is no change of its own.
    let reports = subject.iter().any(|&k| {
        lex.has(items[k].tok, class::CHANGE) && !negated.get(k).copied().unwrap_or(false)
    });
    let tested = subject
        .iter()
        .any(|&k| lex.name(items[k].tok).contains("test"));
    // "no other job still reads it": a subject that opens with a negation
    // names nobody. A negation later in the clause ("hasn't been updated
    // and still hashes into 1024", "does not") is what it says of the
    // subject.
    let denied = lex.has(items[first].tok, class::NEG_FORWARD | class::NEG_CLAUSE)
        || cleaned[..items[first].start as usize]
            .rsplit(|c: char| !c.is_alphanumeric())
            .find(|w| !w.is_empty())
            .is_some_and(|w| matches!(w.to_ascii_lowercase().as_str(), "no" | "nobody" | "none"));
    // "the PR still has the `fillna` fix": a pull request or a diff holds
    // changes; it reads nothing the old way.
    let pull_request = lex.concept("pull-request");
    let holds_changes = subject.iter().any(|&k| {
        Some(items[k].tok) == pull_request
            || ["diff", "branch", "commit", "changeset"].iter().any(|w| {
                cleaned[items[k].start as usize..items[k].end as usize].eq_ignore_ascii_case(w)
            })
    });
    // "raised the PSI threshold on the drift monitor. the monitor still kicks
    // off the retrain when it fires": a subject whose every word the message
    // used before names the part that changed, still doing its job; it is no
    // other reader. ("the serving transformer" after "the training
    // transformer" names a new part.)
    let word = |k: usize| word_of(cleaned, &items[k]);
    let restated = cs > 0
        && subject
            .iter()
            .filter(|&&k| {
                !lex.determiners()
                    .iter()
                    .any(|d| d.eq_ignore_ascii_case(word(k)))
            })
            .all(|&k| {
                items[..cs]
                    .iter()
                    .any(|i| word_of(cleaned, i).eq_ignore_ascii_case(word(k)))
            });
    if !about_ml || reports || tested || denied || holds_changes || restated {
        return None;
    }
    Some(Readers {
        start: first as u32,
        end: last as u32 + 1,
        text: (
            items[first].start as usize,
            to.max(items[last].end as usize),
        ),
        flows: false,
        one: false,
    })
}

/// Whether the message says what changed has no reader beyond its own code:
/// a reader verb that points back at it, negated by its own subject ("nobody
/// else calls it", "no other job reads it").
pub(crate) fn denied(items: &[Item], cleaned: &str, lex: &Lexicon, negated: &[bool]) -> bool {
    items.iter().enumerate().any(|(k, verb)| {
        if !lex.has(verb.tok, class::READER_VERB)
            || !negated.get(k).copied().unwrap_or(false)
            || !lex
                .pointers()
                .contains(&next_word(cleaned, verb.end as usize))
        {
            return false;
        }
        // The negation is the subject's ("nobody", "no other job"), not a
        // denied change before it ("we never touched it, the job calls it").
        let from = items[..k]
            .iter()
            .rposition(|i| i.tok == BREAK || i.tok == COMMA || lex.has(i.tok, class::CONTRAST))
            .map_or(0, |p| items[p].end as usize);
        let subject = cleaned
            .get(from..verb.start as usize)
            .unwrap_or_default()
            .to_lowercase();
        let denies = subject
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| matches!(w, "nobody" | "noone" | "no" | "none" | "nothing"));
        // "afaik nobody downstream uses it": under a hedge the denial is a
        // belief about consumers, not a fact about them. Read only for a
        // denial found, so once per message at most in practice.
        denies && {
            let open = items[..k]
                .iter()
                .rposition(|i| i.tok == BREAK)
                .map_or(0, |p| items[p].end as usize);
            let close = items[k..]
                .iter()
                .find(|i| i.tok == BREAK)
                .map_or(cleaned.len(), |i| i.start as usize);
            !lex.hedged(&cleaned.get(open..close).unwrap_or_default().to_lowercase())
        }
    })
}

#[cfg(test)]
mod tests {
    use std::sync::LazyLock;

    static KB: LazyLock<crate::kb::KnowledgeBase> =
        LazyLock::new(|| crate::kb::KnowledgeBase::embedded().expect("the knowledge base loads"));

    /// The words of each reader clause, as typed.
    fn readers(text: &str) -> Vec<String> {
        let engine = &KB.engine;
        let (items, _) = super::super::analyse(engine, text, &[]);
        let negated = super::super::negation::negated(&items, text, &engine.lexicon);
        super::find(&items, text, &engine.lexicon, &negated)
            .into_iter()
            .filter(|r| !r.one)
            .map(|r| text[r.text.0..r.text.1].to_owned())
            .collect()
    }

    #[test]
    fn a_reader_said_to_read_it_too_joins_the_change_s_own() {
        // "too" after the pointer adds a reader to the ones the change
        // already has; one reader alone is still no boundary.
        assert_eq!(
            readers("`normalize_text()` strips emojis now; the online tokenizer calls it too"),
            ["online tokenizer calls it"]
        );
        assert_eq!(
            readers("`normalize_text()` strips emojis now, serving calls it as well"),
            ["serving calls it"]
        );
        assert!(
            readers("`normalize_text()` strips emojis now; the online tokenizer calls it")
                .is_empty()
        );
        assert!(
            readers("`normalize_text()` strips emojis now; the tokenizer calls it. too bad")
                .is_empty()
        );
    }

    #[test]
    fn callers_named_before_a_verb_that_points_back_are_readers() {
        assert_eq!(
            readers(
                "refactored build_training_set so the label window is 30 days instead of 14, \
                 both the weekly retrain and the backfill job call it"
            ),
            ["both the weekly retrain and the backfill job call it"]
        );
        assert_eq!(
            readers("three other teams pin that package"),
            ["three other teams pin that"]
        );
        assert_eq!(
            readers("the pricing, churn and ltv pipelines all import it"),
            ["pricing, churn and ltv pipelines all import it"]
        );
    }

    #[test]
    fn a_relative_clause_whose_verb_takes_no_object_names_the_nouns_readers() {
        assert_eq!(
            readers(
                "moved the text cleaning into the `prep` package that the serving image now imports too"
            ),
            ["serving image now imports too"]
        );
        // One reader, and no "too": every package has an importer.
        assert!(
            readers("moved it into the `prep` package that the serving image imports").is_empty()
        );
    }

    #[test]
    fn a_passive_reader_verb_names_its_readers_after_by() {
        assert_eq!(
            readers("`clean_text()` changed. it is read by the churn job and the ltv model"),
            ["read by the churn job and the ltv model"]
        );
    }

    #[test]
    fn what_a_function_is_called_from_calls_it() {
        assert_eq!(
            readers(
                "`normalize_audio()` now resamples to 16k. it's called from the training \
                 dataloader and from the Triton model"
            ),
            ["called from the training dataloader and from the Triton model"]
        );
        // What it is loaded from is where it comes from.
        assert!(readers("the model is loaded from the registry and from the cache").is_empty());
    }

    #[test]
    fn an_aside_in_parentheses_leaves_the_clause_before_it_the_change() {
        // The one caller named is found (its words name a caller, not a
        // change), though the aside says the behaviour stays.
        let text = "refactored `pad_batch` (no logic change), only the training loop calls it";
        let engine = &KB.engine;
        let (items, _) = super::super::analyse(engine, text, &[]);
        let negated = super::super::negation::negated(&items, text, &engine.lexicon);
        let found: Vec<(&str, bool)> = super::find(&items, text, &engine.lexicon, &negated)
            .into_iter()
            .map(|r| (&text[r.text.0..r.text.1], r.one))
            .collect();
        assert_eq!(found, [("training loop calls it", true)]);
    }

    #[test]
    fn a_pointer_and_a_copula_name_what_the_change_is_to_its_readers() {
        assert_eq!(
            readers(
                "made `is_active_user()` look back 28 days instead of 7. that flag is the \
                 retention model's label and also a filter on serving candidates"
            ),
            ["that flag is the retention model's label and also a filter on serving candidates"]
        );
        assert!(readers("renamed `foo()`. it is fine and good").is_empty());
    }

    #[test]
    fn a_pointer_and_a_verb_that_hands_it_on_name_its_readers() {
        assert_eq!(
            readers(
                "updated the revenue feature to use daily fx rates; that feature goes into both \
                 the forecasting model and the finance report"
            ),
            ["that feature goes into both the forecasting model and the finance report"]
        );
        assert_eq!(
            readers(
                "changed the bucketing of tenure. it feeds the churn model and the upsell model"
            ),
            ["it feeds the churn model and the upsell model"]
        );
        // One reader is still no boundary.
        assert!(readers("changed the bucketing. it feeds the churn model").is_empty());
    }

    #[test]
    fn what_is_joined_on_it_is_a_join_key() {
        assert_eq!(
            readers("changed the session_id hashing to xxhash, the session features join on it"),
            ["join on it"]
        );
        assert!(readers("we never join on it").is_empty());
        assert_eq!(
            readers("bumped the geohash precision, that's what we join the store features on"),
            ["join the store features on"]
        );
        assert!(
            readers("bumped the geohash precision, that's what we join tables with").is_empty()
        );
        assert!(readers("joined on user_id as before").is_empty());
    }

    /// Whether the text says nobody else reads what changed.
    fn denied(text: &str) -> bool {
        let engine = &KB.engine;
        let (items, _) = super::super::analyse(engine, text, &[]);
        let negated = super::super::negation::negated(&items, text, &engine.lexicon);
        super::denied(&items, text, &engine.lexicon, &negated)
    }

    #[test]
    fn a_reader_denied_by_its_own_subject_leaves_no_reader() {
        assert!(denied(
            "changed `safe_div()` to return 0.0, nobody else calls it yet"
        ));
        assert!(denied("no other job reads it"));
        assert!(!denied(
            "we never touched `parse_ts()`, but the feature job calls it"
        ));
        assert!(!denied("the billing export uses it"));
    }

    #[test]
    fn a_pointer_after_a_preposition_or_before_a_particle_is_the_object() {
        assert_eq!(
            readers("the churn model and the pricing api both filter on it"),
            ["churn model and the pricing api both filter on it"]
        );
        assert_eq!(
            readers("the retrieval service and the nightly retrain both look it up by name"),
            ["retrieval service and the nightly retrain both look it"]
        );
    }

    #[test]
    fn a_part_that_still_works_the_old_way_is_a_reader() {
        assert_eq!(
            readers("we swapped two steps. the serving transformer still scales before imputing"),
            ["serving transformer still scales before imputing"]
        );
        assert_eq!(
            readers("training now uses log1p, but the online scorer does not"),
            ["online scorer does not"]
        );
        assert_eq!(
            readers("changed the edges and the model in prod was trained on the old buckets"),
            ["model in prod was trained on the old buckets"]
        );
        assert!(readers("fixed it. the unit tests still pass").is_empty());
        assert!(readers("the endpoint still returns 200").is_empty());
        // The part that changed, named again, still doing its job.
        assert!(
            readers("raised the alert threshold on the drift monitor. the monitor still kicks off the retrain when it fires")
                .is_empty()
        );
        assert!(readers("the model still splits the same way").is_empty());
    }

    #[test]
    fn a_bare_no_before_the_readers_denies_no_change() {
        // The one caller is found (and is no boundary), as without the "no".
        let engine = &KB.engine;
        let found = |text: &str| {
            let (items, _) = super::super::analyse(engine, text, &[]);
            let negated = super::super::negation::negated(&items, text, &engine.lexicon);
            super::find(&items, text, &engine.lexicon, &negated)
                .iter()
                .filter(|r| r.one)
                .count()
        };
        assert_eq!(
            found("fixed `parse_price()`. no, only the backfill job calls it"),
            1
        );
        assert_eq!(
            found("fixed `parse_price()`. only the backfill job calls it"),
            1
        );
    }

    #[test]
    fn a_part_that_does_not_call_it_yet_is_cut_short() {
        // A reader verb and its pointer after the denial cut the clause
        // short as "doesn't yet" does.
        assert_eq!(
            readers("added `is_weekend()` to training only, serving doesn't call it yet").len(),
            1
        );
        assert!(readers("added `is_weekend()` to training, nobody calls it yet").is_empty());
    }

    #[test]
    fn a_label_before_a_colon_lists_the_readers() {
        assert_eq!(
            readers(
                "new column in the predictions output. consumers: the BI dashboard and the replenishment service"
            ),
            ["BI dashboard and the replenishment service"]
        );
        assert!(readers("fixed the column. callers: only the admin notebook").is_empty());
        assert!(readers("readers: the book club meets thursday and friday").is_empty());
    }

    #[test]
    fn the_same_thing_as_another_part_is_shared_with_it() {
        assert_eq!(
            readers("the batch scorer now uses the same tokenizer as training"),
            ["uses the same tokenizer as training"]
        );
        assert!(readers("it uses the same formula as before").is_empty());
    }

    #[test]
    fn one_caller_is_no_boundary() {
        // Said to be the only one, it is still no boundary.
        assert!(readers("it is only used by my local sampling script").is_empty());
        assert!(readers("the only change is `to_cents()`, the billing export uses it").is_empty());
        assert_eq!(
            readers("`price_bucket()` is also used by the serving API, and I changed its bins"),
            ["used by the serving API"]
        );
        assert_eq!(
            readers("the only change is `to_cents()`, billing and tax exports use it"),
            ["billing and tax exports use it"]
        );
    }

    #[test]
    fn people_tests_and_negated_readers_are_not_readers() {
        assert!(readers("we call it from the notebook").is_empty());
        assert!(readers("the unit test calls it with an empty list").is_empty());
        assert!(readers("nobody else imports it").is_empty());
        assert!(readers("we never touched `parse_ts()`, but the feature job calls it").is_empty());
        assert!(readers("renamed `foo()`, the scorer calls it the same way").is_empty());
        assert!(readers("the job reads the table every night").is_empty());
        assert!(
            readers("I'll validate the new table against prod data and call it done").is_empty()
        );
    }
}
