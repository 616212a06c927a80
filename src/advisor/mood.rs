//! How a message speaks: does it report a change that happened, ask a
//! question, or state a general claim? The same words ("changing the learning
//! rate") report a change in "changed the learning rate to 3e-4" and state a
//! belief in "changing the learning rate can't break inference"; tense and
//! sentence shape tell them apart, not the nouns.

use super::lexicon::{COMMA, Lexicon, Tok, class};
use super::text::TokenKind;

/// One word or separator of the message, before stop words are dropped.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Word<'a> {
    pub(crate) kind: TokenKind,
    pub(crate) raw: &'a str,
    pub(crate) tok: Tok,
    pub(crate) start: usize,
    /// Joined to the next word by `_`: part of one identifier
    /// (`n_estimators`), not a word of a sentence about a kind.
    pub(crate) glued: bool,
}

/// "nothing ships this week", "no deploys on friday": a clause that opens
/// by denying a release says what will not happen now, as a thread's reply
/// does; it judges no kind of change. A second negation after the release
/// word ("nothing ships without a canary") states a rule, and stays a claim.
fn release_denied(sentence: &[Word<'_>], k: usize, lex: &Lexicon) -> bool {
    let negation = |w: &Word<'_>| lex.has(w.tok, class::NEG_FORWARD | class::NEG_CLAUSE);
    if !(matches!(sentence[k].raw, "nothing" | "no") && (k == 0 || !negation(&sentence[k - 1]))) {
        return false;
    }
    let clause = sentence[k + 1..]
        .iter()
        .take_while(|w| w.kind != TokenKind::Comma);
    let mut rest = clause
        .clone()
        .skip_while(|w| !lex.has(w.tok, class::INTENT));
    let within = clause
        .take(3)
        .any(|w| w.kind == TokenKind::Word && lex.has(w.tok, class::INTENT));
    within && rest.next().is_some() && !rest.any(negation)
}

/// "just a README fix", "only a docstring tweak": a sentence that opens by
/// playing down a noun phrase whose first few words include a change word
/// calls what is in front of the reader one change, as "it's only a config
/// tweak" does with its pointer.
fn called_a_change_alone(words: &[Word<'_>], lex: &Lexicon) -> bool {
    matches!(
        words.first().map(|w| w.raw),
        Some("just" | "only" | "merely" | "purely" | "simply")
    ) && words.get(1).is_some_and(|w| matches!(w.raw, "a" | "an"))
        && words[2..]
            .iter()
            .take(3)
            .take_while(|w| w.kind == TokenKind::Word)
            .any(|w| lex.has(w.tok, class::CHANGE))
}

/// "Nothing in `src/`.", "tests only, nothing outside tests": a short clause that opens
/// by saying where nothing moved bounds this change, as "nothing else" does;
/// it speaks of no other case ("nothing in prod is ever safe" goes on to a
/// verdict and stays a claim).
fn bounds_the_change(sentence: &[Word<'_>], first: usize, k: usize) -> bool {
    // "tests only, nothing in src": a clause of its own after a comma too.
    (k == first || (k > 0 && sentence[k - 1].kind == TokenKind::Comma))
        && sentence[k].raw == "nothing"
        && sentence
            .get(k + 1)
            .is_some_and(|n| matches!(n.raw, "in" | "under" | "outside" | "inside" | "besides"))
        && sentence.len() - k <= 6
        && !sentence[k + 2..].iter().any(|w| {
            matches!(
                w.raw,
                "is" | "are" | "was" | "were" | "s" | "needs" | "need"
            )
        })
}

/// What the sentences of a message do.
#[derive(Debug, Default, Clone)]
pub(crate) struct Mood {
    /// Some sentence reports a specific change: a change verb in the past
    /// tense, a sentence that opens with one ("bump lr to 3e-4", "adding a
    /// feature"), "now", or a value moving ("6 -> 10", "from 200 to 500").
    pub(crate) reports: bool,
    /// Some sentence asks: it opens with a question word or ends in `?`.
    pub(crate) asks: bool,
    /// Some sentence ends in `?` but argues rather than asks: a tag ("...,
    /// right?"), a negated auxiliary ("isn't an e2e run redundant?") or a
    /// rhetorical opening ("who on earth reads it?", "why bother with
    /// staging for the new limits?"). Like a question, it is about the change
    /// it mentions.
    pub(crate) argues: bool,
    /// Some word says "change" in any form ("a learning rate change", "if
    /// we change the docs"): a question with one is about a change.
    pub(crate) mentions_change: bool,
    /// Some word says something changes, in a particular case or in general
    /// ("when you change hyperparameters"): a question about a kind of
    /// change, not only about a kind of test.
    pub(crate) says_change: bool,
    /// The message points at a particular thing or plan: "this", "my",
    /// "let's", "I'll", "planning to", a number or a version, code in
    /// backticks. A belief voiced
    /// about such a thing is a claim about a change, not a general belief.
    pub(crate) points_at: bool,
    /// The message frames its change as a bug fix.
    pub(crate) fixes: bool,
    /// Someone speaks for themselves: "we", "I" ("our weekly retrain" names
    /// a process, not someone acting).
    pub(crate) personal: bool,
    /// Some word marks what is done now ("today", "for now").
    pub(crate) present: bool,
    /// Byte ranges of clauses that put something later ("the release is
    /// next month").
    pub(crate) deferring: Vec<(usize, usize)>,
    /// Some sentence makes a general claim ("never", "nothing to test",
    /// "a waste").
    pub(crate) claims: bool,
    /// Some sentence that reports no change claims, with a negation, that
    /// something is not needed ("nothing to test, right?", "staging never
    /// reproduces real load anyway").
    pub(crate) denies: bool,
    /// Byte ranges of sentences that open with a question word: a belief
    /// phrase there is asked about, not held ("is a unit test enough for
    /// ...?"). Tag questions ("..., right?") are not in this list.
    pub(crate) asking: Vec<(usize, usize)>,
    /// The asking sentences that name nothing in particular ("should a
    /// canary run a day?"): a release they name is asked about in general.
    pub(crate) asking_in_general: Vec<(usize, usize)>,
    /// Byte ranges of sentences that speak of all cases rather than one
    /// occasion ("every PR gets a canary", "A/B tests are a luxury"): a
    /// release named there is talked about, not intended.
    pub(crate) general: Vec<(usize, usize)>,
    /// Byte ranges of sentences that propose running tests and report no
    /// change ("I'll run the whole suite in staging plus a canary"): what
    /// they name is a plan for testing, not a change.
    pub(crate) proposing: Vec<(usize, usize)>,
    /// Of those, the questions whether tests are needed ("do we need a full
    /// staging e2e for a comment fix?"): a kind of test named there is part
    /// of the plan, not what the question is about.
    pub(crate) asking_need: Vec<(usize, usize)>,
    /// Byte ranges of sentences that report what someone else holds ("the
    /// lead says params only affect training"): in a message that asks, a
    /// belief named there is asked about, not held.
    pub(crate) reported: Vec<(usize, usize)>,
    /// Some question asks what a thing is for ("what is staging for?",
    /// "what's the point of a dev workspace?"), not which tests it runs.
    pub(crate) asks_purpose: bool,
    /// Byte ranges of sentences that end in `?` without opening with a
    /// question word ("in which stage does the canary run?", "..., right?").
    pub(crate) question_marked: Vec<(usize, usize)>,
    /// Byte ranges of sentences that claim something and report no change
    /// ("pretty sure nobody reads that column", "its backtest is better, so
    /// shadow traffic is overkill"): next to a change told elsewhere, the
    /// belief a topic of theirs stands for is voiced about that change.
    pub(crate) claiming: Vec<(usize, usize)>,
    /// Byte ranges of statements that end in a tag and report no change,
    /// with no word that judges ("dev, staging, prod, it's the same test
    /// wherever it runs, right?"). Next to a change told elsewhere they hold
    /// what they state about it, as a claim does; alone they may only ask
    /// for a confirmation ("data validation belongs in staging, right?").
    pub(crate) tagged: Vec<(usize, usize)>,
    /// Byte ranges of sentences whose subject is a trap ("the study guide's
    /// trap about hyperparameters: ..."): what they name is the belief the
    /// trap stands for, not a change, in a message that asks about it.
    pub(crate) naming_traps: Vec<(usize, usize)>,
    /// A short question points back at what the message told ("which trap
    /// is that?", "is that a problem?").
    pub(crate) asks_back: bool,
    /// Byte ranges of questions about a kind of change ("when a team bumps
    /// pandas in requirements.txt, is a unit test run enough?"): a file they
    /// name is an example of the kind, not a change reported.
    pub(crate) kind_questions: Vec<(usize, usize)>,
    /// A question asks how things differ or whether they are the same
    /// ("what's the difference between the test stage and staging? same
    /// thing?").
    pub(crate) asks_difference: bool,
    /// Byte ranges of sentences whose [`Specificity`] is generic: they talk
    /// about a kind of change, not one.
    pub(crate) generic: Vec<(usize, usize)>,
    /// Some sentence's [`Specificity`] is `Acted`: someone present acted.
    pub(crate) acted: bool,
    /// Some sentence's [`Specificity`] is `Definite`.
    pub(crate) definite: bool,
    /// A question asks how tests split between two occasions ("which tests
    /// run on every PR and which only before a release?", "which tests
    /// block a merge vs a prod deploy?").
    pub(crate) asks_split: bool,
}

impl Mood {
    pub(crate) fn is_asking_at(&self, pos: usize) -> bool {
        within(&self.asking, pos)
    }

    pub(crate) fn is_general_at(&self, pos: usize) -> bool {
        within(&self.general, pos) || within(&self.asking_in_general, pos)
    }

    /// Whether `pos` lies in a sentence that asks in any way: it opens with
    /// a question word or ends in `?`.
    pub(crate) fn is_in_question_at(&self, pos: usize) -> bool {
        within(&self.asking, pos) || within(&self.question_marked, pos)
    }

    pub(crate) fn is_deferring_at(&self, pos: usize) -> bool {
        within(&self.deferring, pos)
    }

    pub(crate) fn is_reported_at(&self, pos: usize) -> bool {
        within(&self.reported, pos)
    }

    /// The span of the reported belief's sentence that holds `pos`.
    pub(crate) fn reported_span_at(&self, pos: usize) -> Option<(usize, usize)> {
        let k = self.reported.partition_point(|&(start, _)| start <= pos);
        (k > 0 && pos < self.reported[k - 1].1).then(|| self.reported[k - 1])
    }

    pub(crate) fn is_proposing_at(&self, pos: usize) -> bool {
        within(&self.proposing, pos)
    }

    pub(crate) fn is_asking_need_at(&self, pos: usize) -> bool {
        within(&self.asking_need, pos)
    }

    pub(crate) fn is_naming_a_trap_at(&self, pos: usize) -> bool {
        within(&self.naming_traps, pos)
    }

    pub(crate) fn is_kind_question_at(&self, pos: usize) -> bool {
        within(&self.kind_questions, pos)
    }

    pub(crate) fn is_claiming_at(&self, pos: usize) -> bool {
        within(&self.claiming, pos) || (self.reports && within(&self.tagged, pos))
    }
}

/// Whether `pos` lies in one of `ranges`, which are disjoint and in text
/// order (sentences and clauses are found left to right), so a binary search
/// keeps long messages linear.
fn within(ranges: &[(usize, usize)], pos: usize) -> bool {
    let k = ranges.partition_point(|&(start, _)| start <= pos);
    k > 0 && pos < ranges[k - 1].1
}

/// "retraining on new data is just pressing a button", "setting it to dry
/// run is harmless": an activity named as the subject (a gerund) and given a
/// verdict with "is" speaks of that kind of change, not of one made.
fn activity_judged(words: &[Word<'_>], lex: &Lexicon) -> bool {
    let Some(subject) = words.first() else {
        return false;
    };
    let gerund = subject.kind == TokenKind::Word
        && subject.raw.len() > 5
        && subject.raw.ends_with("ing")
        && !subject.raw.ends_with("thing");
    // "swapping the optimizer is the trainer's business": the verdict may
    // come a few words after the copula, as any claim word or a say over it
    // ("business" alone is no verdict: "business wants the threshold at 0.3").
    let verdict_after = |k: usize| {
        words[k + 1..]
            .iter()
            .take(4)
            .take_while(|w| w.kind == TokenKind::Word)
            .any(|w| lex.has(w.tok, class::CLAIM) || matches!(w.raw, "business" | "call"))
    };
    gerund
        && words.windows(2).enumerate().take(10).any(|(k, pair)| {
            matches!(pair[0].raw, "is" | "isnt")
                && (verdict_after(k)
                    || matches!(
                        pair[1].raw,
                        "just"
                        | "only"
                        | "a"
                        | "an"
                        | "not"
                        | "no"
                        | "never"
                        | "always"
                        | "purely"
                        | "simply"
                        | "basically"
                        | "harmless"
                        | "fine"
                        | "safe"
                        | "pointless"
                        | "overkill"
                        // "renaming columns in our table is our call"
                        | "our"
                    ))
        })
}

/// "retrains don't need tests", "feature tables belong to whoever builds
/// them", "a model that wins offline wins online": a sentence whose subject is
/// a kind of thing (a bare plural, or "a", "every", "any" before a noun)
/// followed soon by a present-tense verdict states something general.
fn generic_statement(words: &[Word<'_>], lex: &Lexicon) -> bool {
    let mut k = 0;
    let general_article = words
        .first()
        .is_some_and(|w| matches!(w.raw, "a" | "an" | "every" | "any" | "all"));
    if general_article {
        k = 1;
    }
    let plural = |w: &Word<'_>| w.raw.len() > 3 && w.raw.ends_with('s') && !w.raw.ends_with("ss");
    let Some(subject) = words.get(k) else {
        return false;
    };
    // "n_estimators is 800": an identifier names one setting, not a kind.
    if subject.glued {
        return false;
    }
    // "tuning knobs like depth are ...", "feature tables belong to ...": a
    // noun before the plural names the kind; "updated weights are in the
    // registry" reports.
    // "the changes are only in the README": a determiner makes the plural
    // after it particular, not a kind.
    // "green unit tests mean ...", "passing unit tests are ...": a modifier
    // may come before the noun that names the kind.
    let head = (1..=2).find(|&j| {
        words.get(k..k + j).is_some_and(|m| {
            m.iter().all(|w| {
                w.kind == TokenKind::Word
                    && !plural(w)
                    && !w.raw.ends_with("ed")
                    && !lex.has(w.tok, class::STOP | class::ASK)
            })
        }) && words
            .get(k + j)
            .is_some_and(|w| w.kind == TokenKind::Word && plural(w) && !lex.has(w.tok, class::STOP))
    });
    let next_plural = words
        .get(k + 1)
        .is_some_and(|w| w.kind == TokenKind::Word && plural(w));
    let compound = !general_article
        && !matches!(
            subject.raw,
            "the" | "our" | "my" | "your" | "their" | "these" | "those" | "this" | "its"
        )
        && !plural(subject)
        && (head.is_some() || (!subject.raw.ends_with("ed") && next_plural));
    if compound {
        k += if next_plural { 1 } else { head.unwrap_or(1) };
    }
    if !general_article && !compound && !plural(subject) {
        return false;
    }
    // "a table that lives in our own schema is only read by us", "knobs
    // like depth or learning rate are ...": a relative clause or examples
    // put the verb further away.
    let relative = words
        .get(k + 1)
        .is_some_and(|w| matches!(w.raw, "that" | "which" | "who" | "like"));
    let reach = if relative { 10 } else { 5 };
    // "any cluster will do": what any or every one of a kind will do is a
    // rule; "a new model will go live" is one plan.
    let every_one = words
        .first()
        .is_some_and(|w| matches!(w.raw, "any" | "every"));
    let after = &words[k + 1..];
    let verdict = after.iter().take(reach).position(|w| {
        (every_one && w.raw == "will")
            || matches!(
                w.raw,
                "is" | "are"
                    | "do"
                    | "does"
                    | "dont"
                    | "should"
                    | "must"
                    | "never"
                    | "always"
                    | "belong"
                    | "need"
                    | "deserve"
                    | "deserves"
                    | "ca"
                    | "wo"
                    | "win"
                    | "wins"
                    // "green unit tests mean the system works": what a kind
                    // of thing means or proves is a rule.
                    | "mean"
                    | "means"
                    | "prove"
                    | "proves"
                    | "guarantee"
                    | "guarantees"
            )
    });
    // "a team is about to move a retrained model into prod", "a data
    // scientist is changing the label": "is" before a verb in -ing or "about
    // to" narrates one occasion (exam prose sets a scene this way); it is no
    // verdict on a kind of thing.
    let narrates = |p: usize| {
        matches!(after[p].raw, "is" | "are")
            && after.get(p + 1).is_some_and(|n| {
                matches!(n.raw, "about" | "going" | "being")
                    || (n.raw.len() > 4
                        && n.raw.ends_with("ing")
                        && !n.raw.ends_with("thing")
                        // a verb takes an object; "is misleading." ends
                        && after
                            .get(p + 2)
                            .is_some_and(|o| o.kind == TokenKind::Word))
            })
            // "a new model version is registered and ...": a new thing that
            // something was done to is one thing in the scene.
            || (matches!(after[p].raw, "is" | "are" | "was" | "were")
                && after.get(p + 1).is_some_and(|n| n.raw.len() > 4 && n.raw.ends_with("ed"))
                && words[..k + 1 + p].iter().any(|w| w.raw == "new"))
    };
    verdict.is_some_and(|p| !narrates(p))
}

/// "a batch model that nobody consumes", "tests that should only run in
/// prod": "that" after a word that is no auxiliary, followed by the subject or
/// the verb of a clause, relates that clause to the noun before it; it points
/// at nothing. "is that enough?", "does that need staging?" point.
fn relative_that(words: &[Word<'_>], k: usize) -> bool {
    let after_noun = k > 0
        && words[k - 1].kind == TokenKind::Word
        && !matches!(
            words[k - 1].raw,
            "is" | "are"
                | "was"
                | "were"
                | "do"
                | "does"
                | "did"
                | "and"
                | "or"
                | "but"
                | "so"
                | "before"
                | "after"
                | "like"
                | "with"
                | "for"
                | "about"
                | "in"
                | "on"
                | "at"
        );
    let clause = words.get(k + 1).is_some_and(|n| {
        matches!(
            n.raw,
            "nobody"
                | "noone"
                | "nothing"
                | "no"
                | "we"
                | "i"
                | "you"
                | "they"
                | "it"
                | "everyone"
                | "someone"
                | "people"
                | "is"
                | "are"
                | "was"
                | "were"
                | "should"
                | "can"
                | "could"
                | "will"
                | "would"
                | "must"
                | "only"
                | "always"
                | "never"
                | "has"
                | "have"
        )
        // "the gate that decides if ...", "a job that reads it": a verb in its
        // third-person form after "that" opens a clause about the noun; a plural
        // noun never follows a pointing "that".
    }) || words.get(k + 1).is_some_and(|n| {
        n.kind == TokenKind::Word
            && n.raw.len() > 3
            && n.raw.ends_with('s')
            && !n.raw.ends_with("ss")
            && !n.raw.ends_with("us")
            && !n.raw.ends_with("is")
    });
    after_noun && clause
}

/// Whether the change word at `k` of a question names a kind of change
/// rather than one: "a change that only touches the README", "config-only
/// changes", "someone changes the packaging", "a team bumps pandas" (the
/// noun phrase it heads or the subject before it is indefinite, a bare
/// plural or an unnamed agent), or it sits in a clause opened by "if" or
/// "when" ("when we change the learning rate", "if the only thing that
/// changes is the lr schedule"). The caller rules out a past form and a
/// question about the writer's own change.
fn kind_of_change(sentence: &[Word<'_>], k: usize, lex: &Lexicon) -> bool {
    let plural = |raw: &str| raw.len() > 3 && raw.ends_with('s') && !raw.ends_with("ss");
    // Walk back over the modifiers of the noun phrase (or to the subject of
    // the verb) until a determiner or a word that opens a phrase.
    let mut head_plural = plural(sentence[k].raw);
    let mut j = k;
    let determiner = loop {
        if j == 0 || k - j >= 4 {
            break None;
        }
        j -= 1;
        let p = &sentence[j];
        if p.kind != TokenKind::Word {
            break None;
        }
        match p.raw {
            "a" | "an" => break Some(true),
            "the" | "this" | "these" | "those" | "our" | "my" | "your" | "their" | "its" | "it"
            | "we" | "i" | "you" | "they" | "he" | "she" => break Some(false),
            // "a change that only touches the README": the relative clause
            // is about the noun before it.
            "that" if relative_that(sentence, j) => {
                head_plural = false;
                continue;
            }
            "that" => break Some(false),
            _ if lex.has(p.tok, class::KIND) => break Some(true),
            _ if lex.has(p.tok, class::ASK) || lex.has(p.tok, class::JOINER) => break None,
            "for" | "to" | "of" | "in" | "on" | "with" | "after" | "before" | "like" | "about"
            | "than" | "from" => break None,
            // "schema changes", "packaging changes": a plural modifier is a
            // noun too ("dependency upgrades").
            _ => continue,
        }
    };
    // "a change to the tokenizer vocab" names the team's own tokenizer: a
    // definite thing right after the noun makes it one change. A relative
    // clause does not ("a change that only touches the README").
    let definite_at = |j: usize| {
        sentence.get(j).is_some_and(|w| match w.raw {
            "the" => !sentence
                .get(j + 1)
                .is_some_and(|n| n.raw == "only" || lex.has(n.tok, class::ROLE)),
            "this" | "these" | "our" | "my" | "its" | "their" | "it" => true,
            "that" => !relative_that(sentence, j),
            _ => false,
        })
    };
    let attached_definite = sentence
        .get(k + 1)
        .is_some_and(|n| matches!(n.raw, "to" | "of" | "in" | "on") && definite_at(k + 2));
    let indefinite = determiner.unwrap_or(head_plural) && !attached_definite;
    // "when we change the learning rate, ...", "if the only thing that
    // changes is ...": a clause opened by a condition or a time says what
    // happens each time, unless its subject is a particular thing ("when the
    // diff only touches tests/", "when only the batch size is change").
    let from = sentence[..k]
        .iter()
        .rposition(|w| w.kind == TokenKind::Comma)
        .map_or(0, |c| c + 1);
    let conditional = sentence[from..k]
        .iter()
        .rposition(|w| matches!(w.raw, "if" | "when" | "whenever"))
        .is_some_and(|o| {
            let o = from + o;
            !(o + 1..k).any(definite_at)
                && !matches!(
                    sentence[k - 1].raw,
                    "is" | "was" | "are" | "were" | "be" | "been" | "s"
                )
        });
    indefinite || conditional
}

/// "what would an e2e run add?", "what more could staging tell us?": a
/// question with "what" and "would" or "could" that ends on a verb of worth
/// asks what something is worth, and argues that it is worth nothing.
fn worth_asked(words: &[Word<'_>], lex: &Lexicon) -> bool {
    // The question may follow a lead-in clause ("mocks pass, so what would
    // an e2e run add?"). Its last word is read first: most sentences end on
    // no verb of worth, and then the opening need not be looked for.
    let mut plain = words.iter().filter(|w| w.kind == TokenKind::Word);
    let last = plain.clone().rev().find(|w| {
        !matches!(
            w.raw,
            "us" | "me" | "here" | "anyway" | "exactly" | "really"
        )
    });
    if !last.is_some_and(|w| lex.has(w.tok, class::WORTH)) {
        return false;
    }
    while let Some(w) = plain.next() {
        if w.raw == "what"
            && plain
                .clone()
                .take(2)
                .any(|n| matches!(n.raw, "would" | "could"))
        {
            return true;
        }
    }
    false
}

/// "every week", "every sunday": a schedule, which speaks of one job, not of
/// all cases.
pub(crate) fn is_period(word: &str) -> bool {
    matches!(
        word,
        "day"
            | "night"
            | "week"
            | "month"
            | "year"
            | "quarter"
            | "sprint"
            | "morning"
            | "evening"
            | "hour"
            | "minute"
            | "weekend"
            | "release"
            | "deploy"
            | "run"
    ) || is_weekday(word)
        || word.starts_with(|c: char| c.is_ascii_digit())
}

pub(crate) fn is_weekday(word: &str) -> bool {
    matches!(
        word,
        "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday" | "sunday"
    )
}

/// "v9", "1290", "ckpt-12000" point at one thing; "40x", "24h", "500ms" are
/// quantities, which a general claim uses as readily as a report.
fn names_a_version(word: &str) -> bool {
    // Asked of every word; most hold no digit at all.
    if !word.bytes().any(|b| b.is_ascii_digit()) {
        return false;
    }
    let digits = word.bytes().filter(u8::is_ascii_digit).count();
    let quantity = word.starts_with(|c: char| c.is_ascii_digit())
        && matches!(
            word.trim_start_matches(|c: char| c.is_ascii_digit()),
            "x" | "h" | "d" | "s" | "m" | "ms" | "k" | "gb" | "mb" | "tb" | "min" | "hrs" | "days"
        );
    digits > 0 && !quantity
}

/// "today", "on monday", "this afternoon", "EOD", "last week": a word that
/// dates one occasion. A weekday after "every", "each", "any" or "a" names a
/// schedule or a kind of day ("every monday", "on a friday"), and after
/// "happy" it greets; neither is one date.
fn dates_an_occasion(words: &[Word<'_>]) -> bool {
    let weekday = |w: &str| {
        matches!(
            w,
            "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday" | "sunday"
        )
    };
    let span = |w: &str| {
        matches!(
            w,
            "week" | "sprint" | "morning" | "afternoon" | "evening" | "weekend" | "night"
        ) || weekday(w)
    };
    words.iter().enumerate().any(|(k, w)| {
        let prev = k.checked_sub(1).map(|p| words[p].raw);
        let next = words.get(k + 1).map(|n| n.raw);
        match w.raw {
            "today" | "tomorrow" | "tonight" | "yesterday" | "eod" | "eow" => true,
            "this" | "next" | "last" => next.is_some_and(span),
            d if weekday(d) => {
                !prev.is_some_and(|p| matches!(p, "every" | "each" | "any" | "a" | "happy"))
            }
            _ => false,
        }
    })
}

/// Words that open a hypothetical clause: a change verb inside one does not
/// report a change ("if nobody touched the code ...").
const HYPOTHETICAL: [&str; 5] = ["if", "when", "whenever", "unless", "once"];

/// How definite what one sentence talks about is: the one fact that tells a
/// report or a question about one's own change ("we bumped lr, staging
/// first?") from a question or a claim about a kind of change ("do
/// dependency upgrades normally need the serving env tested?", "same code +
/// new data = same model"). Computed once per sentence by [`specificity`];
/// the reading of the sentence's change words follows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Specificity {
    /// Someone present acts: "we" or "I" (or a named subject) with a verb in
    /// the past, present progressive or a plan ("we touched", "I'm
    /// changing", "we're about to rename"), or a change verb in the past with
    /// any subject that is no kind ("upstream changed the schema").
    Acted,
    /// A definite referent in front of the reader: "my", "this", "these", an
    /// identifier, a version, a PR number, a date.
    Definite,
    /// Nothing in particular: an unnamed or plural agent or a habit
    /// (`kind_words`: "people", "normally", "in general", and "every time",
    /// "whenever"), a condition with an indefinite subject ("if a model gets
    /// retrained ..."), an activity with no agent given a verdict
    /// ("switching the optimizer only affects training"), or a verdict
    /// between kinds of things ("100% coverage means ...", "same code + new
    /// data = same model").
    Generic,
    /// None of these marks: the sentence is read by its other facts.
    Unmarked,
}

/// Words that, right before a verb, make someone present its subject.
fn speaker(raw: &str) -> bool {
    matches!(
        raw,
        "we" | "i" | "im" | "ive" | "weve" | "were" | "ill" | "well" | "id" | "wed"
    )
}

/// The [`Specificity`] of one sentence; `asks` when it is a question. `text`
/// is the whole message, for the symbols the words leave out ("=").
pub(crate) fn specificity(
    sentence: &[Word<'_>],
    asks: bool,
    text: &str,
    lex: &Lexicon,
) -> Specificity {
    let word = |w: &Word<'_>| w.kind == TokenKind::Word;
    let change_at = |k: usize| word(&sentence[k]) && lex.has(sentence[k].tok, class::CHANGE);
    // "we touched", "I'm changing", "we're about to rename", "we only
    // bumped": a speaker and, within three words of the same clause, a change
    // verb in the past or in -ing, or a plan.
    let acted = sentence.iter().enumerate().any(|(k, w)| {
        speaker(w.raw)
            && sentence[k + 1..]
                .iter()
                .take(3)
                .take_while(|n| word(n))
                .enumerate()
                .any(|(j, n)| {
                    let at = k + 1 + j;
                    (change_at(at) && (past_form(n.raw) || n.raw.ends_with("ing")))
                        || matches!(n.raw, "gonna" | "about" | "planning")
                        || (n.raw == "going" && sentence.get(at + 1).is_some_and(|t| t.raw == "to"))
                })
    }) || sentence.iter().enumerate().any(|(k, w)| {
        // "upstream changed the schema", "Dana retrained it", "anyone
        // changed the embeddings model?": a change verb in the past ("-ed",
        // so no noun such as "split") right after a subject that is no
        // article, copula, joiner or habit, outside a condition ("when only
        // the inference code changed" is any such time).
        // A sentence that opens on one ("swapped the clustering algorithm
        // ...") drops its subject, the writer.
        let prev = k.checked_sub(1).map(|p| &sentence[p]);
        change_at(k)
            && w.raw.ends_with("ed")
            && prev.is_none_or(|p| {
                word(p)
                    && !p.raw.ends_with("ly")
                    && (matches!(
                        p.raw,
                        "he" | "she"
                            | "they"
                            | "someone"
                            | "somebody"
                            | "anyone"
                            | "anybody"
                            | "upstream"
                    ) || !lex.has(
                        p.tok,
                        class::STOP | class::JOINER | class::KIND | class::ASK | class::CHANGE,
                    ))
            })
            && !sentence[..k].iter().any(|p| HYPOTHETICAL.contains(&p.raw))
            // "how do other teams gate retrained models?": in a question, a
            // participle before a bare plural after a noun or verb ("gate")
            // describes the plural; nobody acts.
            && !(asks
                && before_bare_plural(sentence, k)
                && prev.is_some_and(|p| {
                    !matches!(
                        p.raw,
                        "he" | "she" | "they" | "someone" | "somebody" | "anyone" | "anybody"
                    )
                }))
    });
    if acted {
        return Specificity::Acted;
    }
    let definite = dates_an_occasion(sentence)
        || sentence.iter().enumerate().any(|(k, w)| {
            // "our" names the team's own thing ("our training reads it");
            // "now" tells the state of one thing ("amt now in cents").
            matches!(w.raw, "my" | "this" | "these" | "our" | "now")
                // "is that really needed?", "does that retrain need tests?":
                // a pointer back at something told.
                || (w.raw == "that"
                    && k > 0
                    && matches!(
                        sentence[k - 1].raw,
                        "is" | "was" | "does" | "did" | "do" | "for" | "of" | "about" | "with"
                    ))
                || w.glued
                || super::text::version_tag(w.raw)
                // "rc3", "v12", "mpnet2": a name that ends on its number, not
                // a number or a quantity ("100%", "90d") nor a term ("e2e").
                || (w.raw.starts_with(|c: char| c.is_ascii_alphabetic())
                    && w.raw.ends_with(|c: char| c.is_ascii_digit()))
                // "PR 233", "#812"
                || (matches!(w.raw, "pr" | "mr")
                    && sentence
                        .get(k + 1)
                        .is_some_and(|n| n.raw.bytes().all(|b| b.is_ascii_digit())))
        });
    if definite {
        return Specificity::Definite;
    }
    // An unnamed agent makes a question general ("when someone changes the
    // tokenizer, which tests catch it?"); in a statement it is one person
    // ("the pipeline deploys as soon as someone approves"), and "upstream"
    // there names a place ("upstream switched our vendor"). A habit is
    // general in both.
    let unnamed = |raw: &str| {
        matches!(
            raw,
            "someone" | "somebody" | "anyone" | "anybody" | "people" | "ppl" | "upstream"
        )
    };
    let habit = sentence.iter().enumerate().any(|(k, w)| {
        word(w)
            && ((lex.has(w.tok, class::KIND) && (asks || !unnamed(w.raw)))
                || w.raw == "whenever"
                || (matches!(w.raw, "every" | "each" | "any")
                    && sentence.get(k + 1).is_some_and(|n| n.raw == "time")))
    });
    // "if a model gets retrained ...", "when someone bumps ...": a condition
    // whose subject is indefinite.
    let indefinite_condition = sentence.windows(2).any(|pair| {
        matches!(pair[0].raw, "if" | "when" | "whenever" | "once")
            && matches!(
                pair[1].raw,
                "a" | "an" | "any" | "someone" | "somebody" | "anyone"
            )
    });
    // "switching the optimizer only affects training", "lowering a threshold
    // ... is how everyone does it": an activity with no agent, as the
    // subject of a verdict in the present.
    let verdict = |raw: &str| {
        matches!(
            raw,
            "means"
                | "affects"
                | "matters"
                | "touches"
                | "impacts"
                | "breaks"
                | "proves"
                | "guarantees"
                | "implies"
                | "equals"
                | "needs"
                | "requires"
        )
    };
    let first = sentence.iter().position(word);
    let activity = first.is_some_and(|f| {
        let s = sentence[f].raw;
        s.len() > 5
            && s.ends_with("ing")
            && !s.ends_with("thing")
            && sentence[f + 1..]
                .iter()
                .take(10)
                .take_while(|n| n.kind != TokenKind::Comma)
                .any(|n| verdict(n.raw))
    });
    // "100% line coverage on the feature code means the pipeline works",
    // "same code + new data = same model": a verdict between things, with
    // no one present.
    let nobody = !sentence.iter().any(|w| speaker(w.raw) || w.raw == "you");
    let between_kinds = nobody
        && (sentence.iter().enumerate().any(|(k, w)| {
            matches!(
                w.raw,
                "means" | "proves" | "guarantees" | "implies" | "equals"
            )
            // "k-means" is an algorithm.
            && !(k > 0 && sentence[k - 1].raw == "k")
        }) || (sentence.iter().any(|w| w.raw == "same")
            && first.is_some_and(|f| {
                // "same code + new data = same model": sameness asserted with
                // "=" (not a value given: "fraud = chargeback within 90d").
                let from = sentence[f].start;
                let to = sentence.last().map_or(from, |w| w.start + w.raw.len());
                text.get(from..to).is_some_and(|s| s.contains(" = "))
            })));
    if habit || indefinite_condition || activity || between_kinds {
        Specificity::Generic
    } else {
        Specificity::Unmarked
    }
}

/// Whether the words before a verb end on a third-person subject: "he",
/// "she", "they", "someone", or a noun after a possessive ("my colleague",
/// "our lead"). A learner drops the verb's ending ("he say"), so the subject
/// is what tells that someone else holds the belief.
fn third_person_subject(before: &[Word<'_>]) -> bool {
    match before {
        [.., p]
            if matches!(
                p.raw,
                "he" | "she"
                    | "they"
                    | "someone"
                    | "somebody"
                    | "everyone"
                    | "everybody"
                    | "people"
            ) =>
        {
            true
        }
        // "my colleague", "our data scientist": a noun or two after a
        // possessive.
        [.., m, n] => {
            let possessive = |w: &Word<'_>| matches!(w.raw, "my" | "our" | "his" | "her" | "their");
            n.kind == TokenKind::Word
                && (possessive(m)
                    || (m.kind == TokenKind::Word
                        && before.len() >= 3
                        && possessive(&before[before.len() - 3])))
        }
        _ => false,
    }
}

/// Whether the words after a comma open with someone else's belief: a
/// third-person subject of at most three words and a belief verb ("my
/// colleague say", "the lead says", "he thinks").
fn belief_follows(rest: &[Word<'_>], lex: &Lexicon) -> bool {
    rest.iter()
        .take(4)
        .take_while(|w| w.kind == TokenKind::Word)
        .enumerate()
        .any(|(k, w)| {
            k > 0
                && lex.has(w.tok, class::BELIEF_VERB)
                && ((w.raw.ends_with('s') && !w.raw.ends_with("ss"))
                    || third_person_subject(&rest[..k]))
        })
}

/// "..., is it correct?", "..., it's true?", "..., is that right?": a short
/// closing clause that only asks whether what came before is true, as a
/// learner writes the tag "right?".
fn truth_tag(sentence: &[Word<'_>]) -> bool {
    let Some(comma) = sentence.iter().rposition(|w| w.kind == TokenKind::Comma) else {
        return false;
    };
    truth_question(&sentence[comma + 1..])
}

/// Words that only ask whether what came before holds: "is it correct",
/// "he is right", "is true", "what you think", "how would you answer that".
/// After a comma they are a tag; as a sentence of their own after a
/// statement ("My lead says X. Is true?") they are that statement's tag.
fn truth_question(words: &[Word<'_>]) -> bool {
    let raws = |k: usize| words.get(k).map(|w| w.raw);
    match words {
        [between @ .., last]
            if !between.is_empty()
                && between.len() <= 3
                && matches!(last.raw, "correct" | "true" | "right") =>
        {
            between.iter().all(|w| {
                matches!(
                    w.raw,
                    "it" | "that" | "this" | "is" | "s" | "was" | "he" | "she" | "they" | "are"
                )
            })
        }
        // "what you think", "what do you think", "what do u think"
        [w, ..] if w.raw == "what" && (2..=4).contains(&words.len()) => {
            matches!(words.last().map(|w| w.raw), Some("think"))
                && words[1..words.len() - 1]
                    .iter()
                    .all(|w| matches!(w.raw, "do" | "you" | "u"))
        }
        // "how would you answer", "how would you answer that"
        [w, ..] if w.raw == "how" && (4..=5).contains(&words.len()) => {
            raws(1) == Some("would")
                && matches!(raws(2), Some("you" | "u"))
                && matches!(raws(3), Some("answer" | "respond" | "reply"))
                && (words.len() == 4 || matches!(raws(4), Some("that" | "it" | "this" | "them")))
        }
        _ => false,
    }
}

/// "why do we need the integration test if all unit tests pass?", "why we
/// need a canary when the offline AUC is up?": a why-question about a need
/// that gives, in a condition, what would meet it argues that the thing is
/// not needed. "why do we need staging?" still asks.
fn why_need_given(words: &[Word<'_>]) -> bool {
    words.first().is_some_and(|w| w.raw == "why")
        && words
            .iter()
            .take(5)
            .any(|w| matches!(w.raw, "need" | "needed" | "needs"))
        && words
            .iter()
            .enumerate()
            .skip(3)
            .any(|(k, w)| matches!(w.raw, "if" | "when" | "since") && words.len() >= k + 3)
}

/// Whether the words from `at` to the next break are a truth question that
/// ends in `?` ("Is true?", "He is right?", "What you think?").
fn truth_question_follows(words: &[Word<'_>], at: usize, text: &str) -> bool {
    let rest = &words[at..];
    let Some(end) = rest.iter().take(6).position(|w| w.kind == TokenKind::Break) else {
        return false;
    };
    text[rest[end].start..].starts_with('?')
        && rest[..end].iter().all(|w| w.kind == TokenKind::Word)
        && truth_question(&rest[..end])
}

/// A change verb in a past form ("retrained", "rewrote"): it reports what
/// was done rather than naming an activity ("retraining").
pub(crate) fn past_form(raw: &str) -> bool {
    (raw.ends_with("ed") && raw.len() > 4) || IRREGULAR_PAST.contains(&raw)
}

/// Whether the word after `k` is a plural noun with no determiner of its
/// own ("retrained models"): a participle at `k` then describes that kind of
/// thing.
fn before_bare_plural(sentence: &[Word<'_>], k: usize) -> bool {
    sentence.get(k + 1).is_some_and(|n| {
        n.kind == TokenKind::Word
            && n.raw.len() > 3
            && n.raw.ends_with('s')
            && !n.raw.ends_with("ss")
    })
}

/// Irregular past forms of change verbs.
const IRREGULAR_PAST: [&str; 8] = [
    "rewrote",
    "rewritten",
    "wrote",
    "written",
    "made",
    "split",
    "swapped",
    "took",
];

/// "6 -> 10", "0.1 → 0.2", "'a' → 'b'": an arrow with a number or a quoted
/// value on either side reports a value that moved. An arrow between words ("'verify one
/// function' → which test?") does not.
#[cfg(test)]
fn value_moves(text: &str) -> bool {
    value_moves_outside(text, |_| false)
}

/// [`value_moves`], leaving out the arrows at which `aside` holds (those in
/// a sentence about nothing in particular: "do dependency upgrades (like
/// mlflow 2 → 3) normally need the serving env tested?").
fn value_moves_outside(text: &str, aside: impl Fn(usize) -> bool) -> bool {
    // Every arrow holds `>` or opens with the byte 0xE2 ("→", "⇒"): one scan
    // rules out the usual message with none.
    if memchr::memchr2(b'>', 0xE2, text.as_bytes()).is_none() {
        return false;
    }
    ["->", "→", "=>", "⇒"].iter().any(|arrow| {
        text.match_indices(arrow)
            .filter(|&(i, _)| !aside(i))
            .any(|(i, a)| {
                let before = text[..i].trim_end().chars().next_back();
                let after = text[i + a.len()..].trim_start().chars().next();
                // A number on either side, or quoted values on both
                // ('recieve' → 'receive').
                let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
                let quote = |c: Option<char>| c.is_some_and(|c| "'\"`".contains(c));
                // "→ v19": a version; "daily → hourly": a schedule.
                let rest = text[i + a.len()..].trim_start();
                let version = rest.starts_with(['v', 'V'])
                    && rest[1..].starts_with(|c: char| c.is_ascii_digit());
                let cadence = |w: Option<&str>| {
                    w.is_some_and(|w| {
                        let w = w
                            .trim_matches(|c: char| !c.is_ascii_alphabetic())
                            .to_ascii_lowercase();
                        matches!(
                            w.as_str(),
                            "hourly" | "daily" | "nightly" | "weekly" | "monthly"
                        )
                    })
                };
                let schedule = cadence(text[..i].split_whitespace().next_back())
                    && cadence(rest.split_whitespace().next());
                // "user_id → (user_id, ts)", "cust_id -> customer_id": a name
                // typed as an identifier on either side is a setting or a
                // column that moved.
                let identifier = |w: Option<&str>| {
                    w.map(|w| w.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '_'))
                        .is_some_and(|w| {
                            w.len() > 2
                                && w.contains('_')
                                && w.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                                && w.bytes().any(|b| b.is_ascii_alphabetic())
                        })
                };
                digit(before)
                    || digit(after)
                    || (quote(before) && quote(after))
                    || version
                    || schedule
                    || identifier(text[..i].split_whitespace().next_back())
                    || identifier(rest.split_whitespace().next())
            })
    })
}

pub(crate) fn read(words: &[Word<'_>], text: &str, lex: &Lexicon) -> Mood {
    let mut mood = Mood {
        points_at: text.contains('`'),
        ..Mood::default()
    };
    let mut sentence: Vec<Word<'_>> = Vec::new();
    // "proposal: from next sprint we rely on the unit suite alone": a short
    // label before a colon that presents a position makes the sentence after
    // it speak of all cases.
    // "guide trap: using unit tests to stand in for whole-system
    // confidence. what's the better rule?": a label that cites presents the
    // words after it as someone else's, to be asked about.
    let mut positioned = Label::None;
    let mut cited_labels: Vec<(usize, usize)> = Vec::new();
    // "guide row: 'feature path through training and deployment changed'.
    // what's the better first move?": in a message that asks, a clause
    // quoted whole is cited, not said; it reports, claims and asks nothing.
    // What it names still counts.
    let quoted = if text.contains('?') {
        quoted_clauses(text)
    } else {
        Vec::new()
    };
    let mut next_quote = 0;
    let mut flush = |sentence: &mut Vec<Word<'_>>, end: usize, question_mark: bool, label| {
        if !sentence.is_empty() {
            judge(sentence, end, question_mark, label, text, lex, &mut mood);
        }
        sentence.clear();
    };
    for (i, w) in words.iter().enumerate() {
        while next_quote < quoted.len() && quoted[next_quote].1 <= w.start {
            next_quote += 1;
        }
        if next_quote < quoted.len() && quoted[next_quote].0 <= w.start {
            // "guide trap: 'a model param change only affects training'.
            // what's the better rule?", "guide trap 'ignoring the
            // environment stage' — what's the fix?": a quote right after a
            // label that cites a trap is the trap's own wording, asked about.
            // A quoted row of the guide ("guide row: 'feature path ...
            // changed'") is a scenario, and stays one.
            let names_trap = |w: &Word<'_>| w.raw.starts_with("trap");
            let after_citation = (positioned == Label::Citation
                && cited_labels.last().is_some_and(|&(a, b)| {
                    text.as_bytes()[a..b]
                        .windows(4)
                        .any(|w| w.eq_ignore_ascii_case(b"trap"))
                }))
                || (sentence.len() <= 3
                    && sentence.iter().any(names_trap)
                    && sentence
                        .iter()
                        .any(|w| w.kind == TokenKind::Word && lex.has(w.tok, class::CITATION)));
            // "the guide's 'unit tests standing in for whole-system
            // confidence' trap — what's the fix?": a quote that the word
            // "trap" follows is the trap's name.
            let named_trap = words[i..]
                .iter()
                .find(|n| n.start >= quoted[next_quote].1)
                .is_some_and(names_trap);
            if (after_citation || named_trap) && cited_labels.last() != Some(&quoted[next_quote]) {
                cited_labels.push(quoted[next_quote]);
            }
            continue;
        }
        match w.kind {
            // "the model is same code but retrain with data of october, my
            // colleague say no need test": what someone else holds, after a
            // comma, is a sentence of its own; the change before it stays
            // reported.
            TokenKind::Comma if belief_follows(&words[i + 1..], lex) => {
                flush(&mut sentence, w.start, false, positioned);
                positioned = Label::None;
            }
            // "where does the e2e test run, and does it block a prod
            // release?": two questions in one sentence; the first asks on
            // its own, as if it ended in `?`.
            TokenKind::Comma if second_question_follows(&sentence, &words[i + 1..], text, lex) => {
                flush(&mut sentence, w.start, true, positioned);
                positioned = Label::None;
            }
            // "My manager say the canary is a waste of time. What you
            // think?": a statement followed by a sentence that only asks
            // whether it holds reads as the statement with a tag.
            TokenKind::Break
                if !sentence.is_empty()
                    && matches!(text[w.start..].chars().next(), Some('.' | '!'))
                    && truth_question_follows(words, i + 1, text) =>
            {
                sentence.push(Word {
                    kind: TokenKind::Comma,
                    tok: COMMA,
                    ..*w
                });
            }
            TokenKind::Break => {
                let question_mark = text[w.start..].starts_with('?');
                let short_label = text[w.start..].starts_with(':') && sentence.len() <= 6;
                let labelled = |cls| {
                    short_label
                        && sentence
                            .iter()
                            .any(|w| w.kind == TokenKind::Word && lex.has(w.tok, cls))
                };
                // "guide trap no. 3, ignoring the environment stage ...": a
                // label of three words or fewer may end on a full stop.
                let numbered = text[w.start..].starts_with('.')
                    && sentence.len() <= 3
                    && sentence
                        .iter()
                        .any(|w| w.kind == TokenKind::Word && lex.has(w.tok, class::CITATION));
                // "my colleague asks: why not run everything in prod?", "the
                // lead says: ...": a short lead-in whose last word reports
                // what someone else asks or holds, with no speaker of the
                // writer's own in it, cites what follows, as "guide trap:"
                // does.
                let reported = text[w.start..].starts_with(':')
                    && sentence.len() <= 6
                    && sentence.last().is_some_and(|l| {
                        matches!(l.raw, "asks" | "asked" | "says" | "said")
                            || (l.raw.ends_with('s') && lex.has(l.tok, class::BELIEF_VERB))
                    })
                    && !sentence
                        .iter()
                        .any(|w| matches!(w.raw, "i" | "we" | "me" | "us" | "you" | "im"));
                let label = if labelled(class::POSITION) {
                    Label::Position
                } else if labelled(class::CITATION) || numbered || reported {
                    Label::Citation
                } else {
                    Label::None
                };
                // "after the outage everyone's asking me this: who decides
                // ...?": a lead-in that announces a question only hands over
                // to it; whoever it names does not speak in the question.
                let announces = text[w.start..].starts_with(':')
                    && sentence.len() <= 12
                    && sentence.iter().any(|w| {
                        matches!(
                            w.raw,
                            "ask"
                                | "asks"
                                | "asking"
                                | "asked"
                                | "wondering"
                                | "curious"
                                | "question"
                                | "q"
                        )
                    });
                // "the study guide's trap about hyperparameters:": what a
                // label that cites is about is the belief it names.
                if label == Label::Citation
                    && let Some(w0) = sentence.first()
                {
                    cited_labels.push((w0.start, w.start));
                }
                let was = std::mem::replace(&mut positioned, label);
                if label != Label::None || announces {
                    sentence.clear();
                } else {
                    // "guide trap: thinking a param tweak stays inside
                    // training. what's the better rule?": the sentence after
                    // a label that cites a trap is the trap's wording, as a
                    // quote there is.
                    if was == Label::Citation
                        && let Some(first) = sentence.first()
                        && cites_trap(&cited_labels, text)
                    {
                        cited_labels.push((first.start, w.start));
                    }
                    flush(&mut sentence, w.start + 1, question_mark, was);
                }
            }
            _ => sentence.push(*w),
        }
    }
    if positioned == Label::Citation
        && let Some(first) = sentence.first()
        && cites_trap(&cited_labels, text)
    {
        cited_labels.push((first.start, text.len()));
    }
    flush(&mut sentence, text.len(), false, positioned);
    // A value that moves reports a change, unless its sentence is about
    // nothing in particular.
    let moved = value_moves_outside(text, |i| within(&mood.generic, i));
    mood.reports |= moved;
    if !cited_labels.is_empty() {
        mood.naming_traps.extend(cited_labels);
        mood.naming_traps.sort_unstable();
    }
    mood
}

/// Whether a comma joins two questions: the sentence so far opens with a
/// question word, the words after the comma are "and" and a question
/// word, and the sentence ends in `?`. "..., or are unit tests enough?"
/// offers an alternative within one question.
fn second_question_follows(
    so_far: &[Word<'_>],
    rest: &[Word<'_>],
    text: &str,
    lex: &Lexicon,
) -> bool {
    let asks = |w: Option<&Word<'_>>| {
        w.is_some_and(|w| w.kind == TokenKind::Word && lex.has(w.tok, class::ASK))
    };
    asks(so_far.iter().find(|w| w.kind == TokenKind::Word))
        && rest.first().is_some_and(|w| w.raw == "and")
        && asks(rest.get(1))
        && rest
            .iter()
            .find(|w| w.kind == TokenKind::Break)
            .map_or(text.trim_end().ends_with('?'), |b| {
                text[b.start..].starts_with('?')
            })
}

/// "wondering whether ...", "I wonder if ...", "curious if ...", "not sure
/// whether ...": a verb of wondering in the first few words, right before
/// "whether" or "if", makes the sentence an indirect question.
///
/// "I need to know which stage runs the gate", "does anyone know if ...":
/// "know" asks the same way after "to", "anyone" or a negation, before
/// "whether", "if" or a question word.
fn indirect_question(sentence: &[Word<'_>]) -> bool {
    // "eli5 the difference between dev, staging and prod", "explain why we
    // need staging": a request to explain, as the sentence's first word,
    // asks. "explain" does only before a question word or "me": "Explain
    // the retrain command in the README" is a docs change's title.
    let mut words = sentence.iter().filter(|w| w.kind == TokenKind::Word);
    let explain = match (words.next(), words.next()) {
        (Some(w), _) if w.raw == "eli5" => true,
        (Some(w), Some(n)) if w.raw == "explain" => matches!(
            n.raw,
            "why" | "how" | "what" | "when" | "where" | "which" | "whether" | "me" | "like"
        ),
        _ => false,
    };
    explain
        || sentence.windows(2).take(7).enumerate().any(|(k, pair)| {
            let before = |words: &[&str]| k > 0 && words.contains(&sentence[k - 1].raw);
            // "was wondering which stage load tests go in", "curious how you
            // all gate retrains": wondering asks before a question word too.
            (matches!(
            pair[1].raw,
            "whether" | "if" | "which" | "where" | "what" | "when" | "how" | "why"
        ) && (matches!(
            pair[0].raw,
            "wondering" | "wonder" | "wondered" | "curious" | "unsure"
        ) || (pair[0].raw == "sure" && before(&["not", "nt"]))))
            || (pair[0].raw == "know"
                && matches!(
                    pair[1].raw,
                    "whether" | "if" | "which" | "where" | "what" | "when" | "who" | "how" | "why"
                )
                && before(&["to", "anyone", "anybody", "not", "nt", "dont", "you"]))
            // "I still don't get what 'test' means in dev→test→prod", "not
            // clear on why we keep staging", "confused about which stage":
            // not understanding something asks about it.
            || (matches!(pair[0].raw, "get" | "understand" | "clear" | "confused")
                && matches!(
                    pair[1].raw,
                    "whether" | "if" | "which" | "where" | "what" | "when" | "how" | "why" | "on"
                        | "about"
                )
                && (pair[0].raw == "confused" || before(&["not", "nt", "dont"])))
        })
}

/// "generally speaking, is a unit test enough when one helper changes",
/// "for unit tests on our spark code, is a local SparkSession ok", and
/// "newbie q, why do we have a staging workspace at all": a short lead-in
/// and a comma (or dash), then an inverted question, ask even without the
/// `?` people leave off in chat. The question word must invert: an auxiliary followed
/// by its subject ("is a", "do we"), or a question word with an auxiliary
/// soon after it ("which stages have to run"), so "fixed it, do the deploy"
/// stays an imperative.
fn asks_after_lead_in(sentence: &[Word<'_>], lex: &Lexicon) -> bool {
    let Some(first) = sentence.iter().position(|w| w.kind == TokenKind::Word) else {
        return false;
    };
    let opener = &sentence[first];
    // "when the hyperparameters of a model change, is a unit test enough":
    // a condition is a lead-in too; any other question word opens a
    // question of its own, read as such elsewhere.
    let condition = matches!(opener.raw, "when" | "if" | "whenever");
    if lex.has(opener.tok, class::ASK) && !condition {
        return false;
    }
    let pronoun = |w: &Word<'_>| matches!(w.raw, "we" | "i" | "you" | "they" | "it" | "there");
    let determiner = |w: &Word<'_>| {
        matches!(
            w.raw,
            "a" | "an" | "the" | "this" | "that" | "these" | "those" | "our" | "my" | "your"
        )
    };
    (first + 1..sentence.len().min(first + 13)).any(|k| {
        let w = &sentence[k];
        if sentence[k - 1].kind != TokenKind::Comma
            || w.kind != TokenKind::Word
            || !lex.has(w.tok, class::ASK)
        {
            return false;
        }
        let next = sentence.get(k + 1);
        let auxiliary = |n: &Word<'_>| {
            matches!(
                n.raw,
                "do" | "does"
                    | "did"
                    | "should"
                    | "can"
                    | "could"
                    | "would"
                    | "will"
                    | "are"
                    | "is"
                    | "has"
                    | "have"
                    | "must"
            )
        };
        match w.raw {
            // "where do", "how should", "why do": inverted right away;
            // "where we keep them" relates a clause.
            "where" | "how" | "why" => next.is_some_and(auxiliary),
            // "what is", "what tests should", "which stages have"; "which
            // is read by the serving job" relates a clause.
            // After a condition, only an auxiliary right after "what" inverts:
            // "when all unit tests pass, what we ship is fine" claims.
            "what" if condition => next.is_some_and(auxiliary),
            "what" => sentence[k + 1..].iter().take(3).any(auxiliary),
            "which" => {
                next.is_some_and(|n| !(auxiliary(n) || (condition && pronoun(n))))
                    && sentence[k + 2..].iter().take(2).any(auxiliary)
            }
            "do" | "does" | "did" => next.is_some_and(pronoun),
            "is" | "are" | "should" | "can" | "could" | "would" | "must" => {
                next.is_some_and(|n| pronoun(n) || determiner(n))
            }
            _ => false,
        }
    })
}

/// Where the question starts after a courtesy lead-in ("sorry if this is
/// obvious, but is ...?", "might be a dumb question, but where do ...?"):
/// a clause of at most ten words that names no change, then ", but" and a
/// question word. `None` when the sentence has no such lead-in.
fn courtesy_lead_in(sentence: &[Word<'_>], question_mark: bool, lex: &Lexicon) -> Option<usize> {
    if !question_mark {
        return None;
    }
    let c = sentence
        .iter()
        .take(11)
        .position(|w| w.kind == TokenKind::Comma)?;
    let opens = sentence.get(c + 2)?;
    (c > 0
        && sentence[c + 1].raw == "but"
        && opens.kind == TokenKind::Word
        && lex.has(opens.tok, class::ASK)
        && !sentence[..c]
            .iter()
            .any(|w| w.kind == TokenKind::Word && lex.has(w.tok, class::CHANGE)))
    .then_some(c + 2)
}

/// Whether the latest label that cites ("guide trap:") names a trap.
fn cites_trap(cited_labels: &[(usize, usize)], text: &str) -> bool {
    cited_labels.last().is_some_and(|&(a, b)| {
        text.as_bytes()[a..b]
            .windows(4)
            .any(|w| w.eq_ignore_ascii_case(b"trap"))
    })
}

/// Byte ranges of clauses quoted whole: three words or more between a
/// pair of quotes ('…', "…", “…”, ‘…’). An opening quote follows the start,
/// a space, a colon or a bracket; a closing one is followed by the end, a
/// space or punctuation, so the apostrophe of "don't" or "the guide's"
/// neither opens nor closes a quote. A quote after "my", "our", "I" or "we"
/// in its sentence holds the writer's own words and is left out.
fn quoted_clauses(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    // A byte search: '“' and '‘' both start with the byte 0xE2.
    if memchr::memchr3(b'\'', b'"', 0xE2, text.as_bytes()).is_none() {
        return out;
    }
    let mut iter = text.char_indices().peekable();
    let mut prev: Option<char> = None;
    while let Some((i, c)) = iter.next() {
        let opens = matches!(c, '\'' | '"' | '“' | '‘')
            && prev.is_none_or(|p| p.is_whitespace() || matches!(p, ':' | '(' | '['));
        prev = Some(c);
        if !opens {
            continue;
        }
        let close = |d: char| match c {
            '“' => d == '”',
            '‘' => d == '’',
            _ => d == c || (c == '\'' && d == '’'),
        };
        let body = i + c.len_utf8();
        let end = text[body..].char_indices().find(|&(j, d)| {
            let at = body + j;
            close(d)
                && j > 0
                && !text[..at].ends_with(char::is_whitespace)
                && text[at + d.len_utf8()..]
                    .chars()
                    .next()
                    .is_none_or(|n| n.is_whitespace() || n.is_ascii_punctuation())
        });
        let Some((j, d)) = end else {
            continue;
        };
        let at = body + j;
        let words = text[body..at]
            .split(|ch: char| !ch.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .count();
        // "my commit message says 'bumped lr to 3e-4'": the writer's own
        // words, quoted, still say what they did.
        let lead = text[..i]
            .rfind(['.', '?', '!', '\n'])
            .map_or(&text[..i], |k| &text[k + 1..i]);
        let own = lead
            .split(|ch: char| !ch.is_alphanumeric())
            .any(|w| matches!(w, "my" | "our" | "I" | "i" | "we" | "We" | "My" | "Our"));
        if words >= 3 && !own {
            out.push((i, at + d.len_utf8()));
            // Skip past the closing quote.
            while iter.peek().is_some_and(|&(k, _)| k < at + d.len_utf8()) {
                iter.next();
            }
            prev = Some(d);
        }
    }
    out
}

/// What a short label before a colon makes of the sentence after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Label {
    None,
    /// "proposal:", "motto:": a position held in general.
    Position,
    /// "guide trap:", "exam stem:": words cited from elsewhere.
    Citation,
}

fn judge(
    sentence: &[Word<'_>],
    end: usize,
    question_mark: bool,
    label: Label,
    text: &str,
    lex: &Lexicon,
    mood: &mut Mood,
) {
    // "wondering whether load testing belongs in staging or in prod", "not
    // sure if ...": a sentence that opens by wondering whether something
    // holds asks it, with or without its `?`.
    let question_mark =
        question_mark || indirect_question(sentence) || asks_after_lead_in(sentence, lex);
    // "sorry if this is obvious, but is a shadow deployment a test?": a
    // lead-in before ", but" that names no change only hands over to the
    // question after it; its "this" points at the question, not at a change.
    let sentence =
        courtesy_lead_in(sentence, question_mark, lex).map_or(sentence, |k| &sentence[k..]);
    let first = sentence.iter().position(|w| w.kind == TokenKind::Word);
    let Some(first) = first else {
        return;
    };
    // A claim takes in its lead-in: "same repo, same config — why would
    // that need validation?" argues from the repo.
    let opening = sentence[first].start;
    // "per the guide, can a wall of green unit tests prove the system
    // works?": a question may open after a short lead-in and a comma, and
    // the lead-in may be a short list ("same repo, same config — why would
    // that need validation?").
    // "like what does prod check that staging can't": a filler that opens
    // the sentence leaves the question word first.
    // "hey, what's the point of a dev workspace": a greeting and its comma
    // are fillers too.
    let filler = |w: &Word<'_>| {
        w.kind == TokenKind::Comma
            || matches!(
                w.raw,
                "like"
                    | "so"
                    | "but"
                    | "and"
                    | "also"
                    | "ok"
                    | "okay"
                    | "hey"
                    | "hi"
                    | "hello"
                    | "yo"
            )
    };
    let first = match sentence[first..].iter().take(3).position(|w| !filler(w)) {
        // "... run? and does it block a release?": after a filler, an
        // auxiliary opens a question too when the sentence ends in `?`.
        Some(k)
            if k > 0
                && (matches!(
                    sentence[first + k].raw,
                    "what" | "which" | "where" | "how" | "why" | "who"
                ) || (question_mark && lex.has(sentence[first + k].tok, class::ASK))) =>
        {
            first + k
        }
        _ => first,
    };
    // "if a model is retrained on new data and nothing else moved, what has
    // to run?": a lead-in that sets a condition may be longer, and "when
    // someone changes the tokenizer, which tests catch it" asks after it
    // without a `?` too, when an auxiliary inverts the question.
    let condition = matches!(sentence[first].raw, "if" | "when" | "whenever");
    // How definite what the sentence talks about is, read once (see
    // [`Specificity`]). A lead-in that names a kind of change ("for seed or
    // split changes in general, are unit tests enough?") may be as long as a
    // condition.
    let spec = specificity(
        sentence,
        question_mark || lex.has(sentence[first].tok, class::ASK),
        text,
        lex,
    );
    let generic = spec == Specificity::Generic;
    let inverts = |k: usize| {
        sentence[k + 1..].iter().take(3).any(|n| {
            matches!(
                n.raw,
                "do" | "does" | "should" | "can" | "would" | "will" | "are" | "is" | "has" | "have"
            )
        })
    };
    // "when" asks by itself only with a `?`, so without one the question
    // word after its clause is looked for.
    let after_condition = condition && (sentence[first].raw != "when" || !question_mark);
    let first = if (question_mark && !lex.has(sentence[first].tok, class::ASK)) || after_condition {
        (1..sentence
            .len()
            .min(if condition || generic { 20 } else { 8 }))
            .find(|&k| {
                sentence[k - 1].kind == TokenKind::Comma
                    && sentence[k].kind == TokenKind::Word
                    && lex.has(sentence[k].tok, class::ASK)
                    && (question_mark || inverts(k))
            })
            .unwrap_or(first)
    } else {
        first
    };
    // "in which environment does the comparison run?", "at what point
    // ...?": a preposition before the question word belongs to it.
    let first = if question_mark
        && matches!(
            sentence[first].raw,
            "in" | "at" | "on" | "for" | "from" | "to" | "by" | "during" | "into"
        )
        && sentence
            .get(first + 1)
            .is_some_and(|w| matches!(w.raw, "which" | "what" | "whose"))
    {
        first + 1
    } else {
        first
    };
    // "don't overthink it" opens with "do" but tells, it does not ask; "when
    // all unit tests pass, ..." sets a condition unless it ends in `?`.
    // "why would a param tweak need more than a retrain?" argues; it
    // does not ask.
    // So does a question word followed closely by a word that argues: "who
    // on earth reads that output?", "does it really matter where it runs?",
    // and "why" before a bare verb ("why test a model when only the data
    // moved?"): "why do we test ...?" or "why we need ...?" still ask.
    let bare_verb = |n: &Word<'_>| {
        n.kind == TokenKind::Word
            && !lex.has(n.tok, class::ASK | class::STOP)
            && !matches!(n.raw, "not" | "no")
            && !n.raw.ends_with("nt")
            && !n.raw.ends_with("ing")
            && !n.raw.ends_with('s')
    };
    // "why do people still bother with integration runs?": "bother" in a
    // why-question argues wherever its subject puts it.
    // "why can't we just ship it?" proposes, but "why can't unit tests
    // catch skew?" asks how things work: "ca" and "wo" (of "can't",
    // "won't") argue only with a person after them.
    let why_not = |n: &Word<'_>| {
        !matches!(n.raw, "ca" | "wo")
            || sentence
                .get(first + 3)
                .is_some_and(|p| matches!(p.raw, "we" | "i" | "you" | "us"))
    };
    // "why bother with a separate test workspace at all?" asks what the
    // thing is for, when the question gives no reason of its own ("..., when
    // every function has coverage?") and goes on to nothing particular:
    // "why bother with staging for the new limits?" argues about a change.
    let asks_why_keep = question_mark
        && sentence[first].raw == "why"
        && sentence.get(first + 1).is_some_and(|n| n.raw == "bother")
        && !sentence[first + 2..].iter().any(|n| {
            n.kind == TokenKind::Comma
                || matches!(
                    n.raw,
                    "when" | "if" | "since" | "because" | "given" | "new" | "this" | "for"
                )
        });
    // "do we really need integration tests for a weekly batch job?" asks
    // whether a kind of test is needed: "really" before the need stresses
    // the question, it does not argue.
    let need_stressed = matches!(sentence[first].raw, "do" | "does")
        && sentence[first + 1..].windows(2).take(3).any(|pair| {
            pair[0].raw == "really"
                && pair[1].kind == TokenKind::Word
                && lex.has(pair[1].tok, class::NEED)
        });
    let rhetorical = !asks_why_keep
        && (sentence[first].raw == "why"
            && (sentence.get(first + 1).is_some_and(|n| {
                matches!(n.raw, "would" | "should" | "bother" | "even")
                    || (bare_verb(n) && why_not(n))
            }) || sentence[first + 1..]
                .iter()
                .take(5)
                .any(|n| n.raw == "bother")))
        || (lex.has(sentence[first].tok, class::ASK)
            && !need_stressed
            && sentence[first + 1..]
                .iter()
                .take(2)
                .any(|n| n.kind == TokenKind::Word && lex.has(n.tok, class::RHETORICAL)))
        // "how could raising max_depth possibly affect serving?": after a
        // question word and "could" or "would", the word that argues may
        // come later, past the change the question is about.
        || (lex.has(sentence[first].tok, class::ASK)
            && question_mark
            && sentence
                .get(first + 1)
                .is_some_and(|n| matches!(n.raw, "could" | "would" | "can"))
            && sentence[first + 2..]
                .iter()
                .any(|n| n.kind == TokenKind::Word && lex.has(n.tok, class::RHETORICAL)))
        || worth_asked(&sentence[first..], lex)
        // "who needs a canary when the backtest looks this good?", "who
        // cares where it runs": asked of nobody in particular, it argues
        // that nobody does; "who needs to sign off?" asks.
        || (sentence[first].raw == "who"
            && sentence.get(first + 1).is_some_and(|n| {
                matches!(n.raw, "needs" | "need" | "cares" | "care")
            })
            && sentence.get(first + 2).is_none_or(|n| n.raw != "to"))
        || why_need_given(&sentence[first..]);
    // "how to run the unit suite locally" names a page, it does not ask.
    let title = !question_mark && sentence.get(first + 1).is_some_and(|n| n.raw == "to");
    // "where the tests run is an infra detail": a clause that opens with a
    // question word and is then given a verdict, with no `?`, is the subject
    // of a claim, not a question.
    // "where a test runs makes zero difference": without a `?`, a
    // question word followed by a subject rather than an auxiliary opens a
    // clause that is the subject of what follows, whatever its verb.
    // "what's the difference between dev and staging": the word lost its
    // "'s" to the possessive rule, but the contraction is the auxiliary, so
    // the question asks. It shows as two bytes more between the words.
    let contracted = sentence.get(first + 1).is_some_and(|n| {
        n.start >= sentence[first].start + sentence[first].raw.len() + 3
            && n.start <= sentence[first].start + sentence[first].raw.len() + 5
    });
    let subject_follows = !contracted
        && sentence
            .get(first + 1)
            .is_some_and(|n| matches!(n.raw, "a" | "an" | "the" | "our" | "your" | "their" | "we"));
    // "what does prod check that staging can't": an auxiliary right after
    // the question word inverts a question, with or without its `?`.
    let inverted = sentence.get(first + 1).is_some_and(|n| {
        matches!(
            n.raw,
            "do" | "does" | "did" | "should" | "can" | "could" | "would" | "will" | "shall"
        )
    });
    let free_relative = !question_mark
        && !contracted
        && !inverted
        && matches!(sentence[first].raw, "where" | "what" | "how" | "whatever")
        && (subject_follows
            || sentence[first + 1..].iter().skip(2).any(|w| {
                matches!(w.raw, "is" | "are" | "doesnt" | "dont" | "isnt") || w.raw == "not"
            }))
        && sentence
            .iter()
            .any(|w| w.kind == TokenKind::Word && lex.has(w.tok, class::CLAIM));
    let opens_with_question = lex.has(sentence[first].tok, class::ASK)
        && !rhetorical
        && !title
        && !free_relative
        && sentence.get(first + 1).is_none_or(|n| n.raw != "not")
        && (question_mark || sentence[first].raw != "when")
        // "Should be a quick one", "will be merged after lunch": a modal
        // before a bare verb has lost its subject, as chat drops "it"; a
        // question puts the subject between them ("should we ...").
        && !(!question_mark
            && matches!(
                sentence[first].raw,
                "should" | "will" | "would" | "could" | "might" | "may" | "must"
            )
            && sentence.get(first + 1).is_some_and(|n| matches!(n.raw, "be" | "have")));
    // "can we skip staging?" proposes; "is a unit test enough?" asks.
    let proposes_plan = matches!(
        sentence[first].raw,
        "can" | "could" | "should" | "shall" | "may"
    ) && sentence
        .get(first + 1)
        .is_some_and(|n| matches!(n.raw, "we" | "i" | "us"));
    // "what is the staging env for, really?", "the purpose of dev", "what's
    // the point of staging": the question asks what something is for.
    let purpose_here = (opens_with_question || question_mark)
        && sentence.iter().enumerate().any(|(k, w)| {
            let next = sentence.get(k + 1);
            w.kind == TokenKind::Word
                && match w.raw {
                    _ if lex.has(w.tok, class::PURPOSE) => true,
                    _ if lex.has(w.tok, class::NEED) => sentence[k + 1..]
                        .iter()
                        .take(3)
                        .any(|n| lex.has(n.tok, class::PLACE_NOUN)),
                    // "what's staging supposed to catch?": the job a thing
                    // is expected to do is what it is for; "what tests are
                    // supposed to run there?" asks for tests.
                    "supposed" => sentence[..k].iter().enumerate().any(|(j, q)| {
                        q.raw == "what"
                            && sentence.get(j + 1).is_some_and(|n| {
                                j + 1 < k
                                    && (matches!(n.raw, "is" | "are" | "was")
                                        || n.start >= q.start + q.raw.len() + 3)
                            })
                    }),
                    // "what's the point of staging?", "is there any point in
                    // a staging env?"; "point the alias at v12" moves it.
                    // "from a testing point of view" is a perspective.
                    "point" => {
                        (next.is_some_and(|n| n.raw == "of")
                            && sentence.get(k + 2).is_none_or(|n| n.raw != "view"))
                            || (k > 0
                                && matches!(sentence[k - 1].raw, "any" | "no")
                                && next.is_some_and(|n| n.raw == "in"))
                    }
                    "role" => next.is_some_and(|n| n.raw == "of"),
                    // "why do we even have a staging env?", "explain why
                    // staging exists": why something is kept asks its purpose.
                    // "why is there a separate `test` target?" asks why it
                    // exists.
                    "why" => sentence[k + 1..].iter().take(6).any(|n| {
                        matches!(
                            n.raw,
                            "exist"
                                | "there"
                                | "exists"
                                | "have"
                                | "has"
                                | "keep"
                                | "need"
                                | "needed"
                                | "bother"
                        )
                    }),
                    // "what's staging for if we already have CI?": "for"
                    // ends its clause when what follows opens another one.
                    "for" => next.is_none_or(|n| {
                        n.kind != TokenKind::Word
                            || matches!(
                                n.raw,
                                "if" | "when"
                                    | "since"
                                    | "given"
                                    | "because"
                                    | "then"
                                    | "anyway"
                                    | "really"
                                    | "exactly"
                                    | "actually"
                            )
                    }),
                    _ => false,
                }
        });
    // "are release gates the same thing as the approval step?", "the
    // difference between staging and prod": the question compares two things.
    let difference_here = (opens_with_question || question_mark)
        && sentence.iter().enumerate().any(|(k, w)| {
            matches!(w.raw, "difference" | "different" | "differ")
                || (w.raw == "same"
                    && sentence
                        .get(k + 1)
                        .is_some_and(|n| matches!(n.raw, "thing" | "as")))
        });
    if generic {
        mood.generic.push((opening, end));
    }
    mood.acted |= spec == Specificity::Acted;
    mood.definite |= spec == Specificity::Definite;
    if opens_with_question && !proposes_plan {
        mood.asking.push((sentence[first].start, end));
        // "how long should a canary sit at 5%?" asks about canaries;
        // "what's required before we flip the alias for the LTV model?"
        // asks about one release.
        // "a batch model that nobody consumes" relates a clause to a kind of
        // thing; "that" points only where it stands for something itself.
        // "the gate", "the champion alias", "the minimum": "the" before a
        // role every release has, or before a measure, names no particular
        // thing; "the LTV model" and a version ("v31") do.
        let generic_after_the = |k: usize| {
            sentence
                .get(k + 1)
                .is_some_and(|n| lex.has(n.tok, class::ROLE))
        };
        // "what's a canary for if we already have the offline eval?", "are
        // gates the same thing as the approval step?": a question about what
        // a thing is for, or how two things compare, asks about kinds; "the"
        // there names the team's usual parts, not one occasion.
        // "what kind of test catches a broken join between the feature
        // table and the training set?": what a kind of test would find is a
        // failure that may happen, so "the" there names the team's usual
        // parts, not a change made.
        let asks_what_finds = matches!(sentence[first].raw, "what" | "which")
            && sentence[first + 1..]
                .iter()
                .take(6)
                .enumerate()
                .any(|(i, w)| {
                    lex.has(w.tok, class::FINDING)
                        && sentence[first + 1..first + 1 + i]
                            .iter()
                            .any(|p| matches!(p.raw, "test" | "tests" | "check" | "checks"))
                });
        let about_kinds = purpose_here || difference_here || asks_what_finds;
        let definite = sentence.iter().enumerate().any(|(k, w)| {
            matches!(w.raw, "this" | "our" | "my" | "i")
                || (w.raw == "the" && !generic_after_the(k) && !about_kinds)
                || (w.raw == "that" && !relative_that(sentence, k))
                || super::text::version_tag(w.raw)
        });
        // "when is it OK to skip the end-to-end run?", "is it normal to
        // ...": asks what is acceptable in general, whatever it names; "is
        // it fine to only unit test a change to the feature pipeline?" asks
        // about a kind of change.
        let practice = sentence[first..].iter().take(4).any(|w| w.raw == "it")
            && !sentence
                .iter()
                .any(|w| matches!(w.raw, "change" | "changes" | "changing"))
            && sentence[first..].iter().take(6).any(|w| {
                matches!(
                    w.raw,
                    "ok" | "okay"
                        | "fine"
                        | "normal"
                        | "safe"
                        | "acceptable"
                        | "reasonable"
                        | "worth"
                )
            });
        // "in which environment do we check the model against the
        // champion?", "where does the skew check belong?": a question that
        // asks which stage something happens in asks where that kind of
        // work belongs, whatever it names, unless it names a version.
        let which_stage = (sentence[first].raw == "where"
            && sentence[first + 1..].iter().any(|w| {
                matches!(
                    w.raw,
                    "belong" | "belongs" | "run" | "live" | "happen" | "go"
                )
            }))
            || sentence[first..].windows(2).take(3).any(|pair| {
                matches!(pair[0].raw, "which" | "what")
                    && matches!(
                        pair[1].raw,
                        "stage" | "environment" | "env" | "workspace" | "stages" | "environments"
                    )
            });
        let one_version = sentence.iter().any(|w| names_a_version(w.raw));
        // "would it be ok to put the new OCR model live on monday?" asks
        // about one occasion, not what is acceptable in general.
        // Someone present who acted ("if all we touched is a docstring")
        // asks about their own change, whatever else is indefinite.
        if (!definite || practice || (which_stage && !one_version))
            && !dates_an_occasion(sentence)
            && spec != Specificity::Acted
        {
            // The span takes in a lead-in before the question word ("after
            // a model goes live, what keeps testing it?"): it was read for
            // what it points at with the rest of the sentence.
            mood.asking_in_general.push((opening, end));
        }
    }
    // "do we really need a shadow deployment for a batch model that nobody
    // consumes?" argues about a kind of thing, as a question would ask.
    // "why would raising `max_depth` need a staging run?", "how could
    // bumping max_len to 256 possibly matter?": a question that names an
    // identifier (a word joined by `_`) or a value argues about that one
    // change, whatever its determiners.
    let names_one = sentence
        .iter()
        .any(|w| w.glued || (w.kind == TokenKind::Word && names_a_version(w.raw)));
    let rhetorical_in_general = rhetorical
        && !names_one
        && !sentence.iter().enumerate().any(|(k, w)| {
            matches!(w.raw, "this" | "our" | "my" | "i")
                || (w.raw == "the"
                    && !sentence
                        .get(k + 1)
                        .is_some_and(|n| lex.has(n.tok, class::ROLE)))
                || (w.raw == "that" && !relative_that(sentence, k))
        });
    // "do dependency upgrades normally need the serving env tested?", "if a
    // model gets retrained on last month's data, what has to run?": a
    // question about nothing in particular asks in general, whatever it
    // names.
    if generic
        && (opens_with_question || question_mark)
        && mood
            .asking_in_general
            .last()
            .is_none_or(|&(s, _)| s != opening)
    {
        mood.asking_in_general.push((opening, end));
    }
    let asks_in_general = mood
        .asking_in_general
        .last()
        .is_some_and(|&(s, _)| s == opening);
    mood.asks |= opens_with_question;
    // "... which trap is that?", "is that a problem?": a short question that
    // points back at what the message told asks about it.
    mood.asks_back |= (opens_with_question || question_mark)
        && sentence.len() - first <= 6
        && sentence[first..]
            .iter()
            .any(|w| matches!(w.raw, "that" | "trap" | "mistake" | "mistakes" | "problem"));
    if question_mark && !opens_with_question {
        mood.question_marked.push((sentence[first].start, end));
    }
    if opens_with_question || question_mark {
        // "which tests ...": the split is of tests, not of one kind of work
        // ("in which environment does the champion-vs-challenger check run?").
        let which = sentence.windows(2).position(|pair| {
            pair[0].raw == "which"
                && matches!(
                    pair[1].raw,
                    "test" | "tests" | "check" | "checks" | "suites"
                )
        });
        mood.asks_split |= which.is_some_and(|at| {
            sentence[at + 1..]
                .windows(2)
                .any(|pair| matches!(pair[0].raw, "and" | "or") && pair[1].raw == "which")
                || sentence[at + 1..]
                    .iter()
                    .any(|w| matches!(w.raw, "vs" | "versus"))
        });
        mood.asks_difference |= difference_here;
    }
    mood.asks_purpose |= purpose_here;
    // "every PR gets a full retrain", "shadow deployments are a waste":
    // the sentence speaks of all cases, not of one change.
    // "making the step non-blocking because the new segment trips it every
    // single time": what a reason says of all cases explains one change; it
    // does not make the sentence a rule.
    let reason_from = sentence
        .iter()
        .position(|w| matches!(w.raw, "because" | "cause" | "coz" | "since"))
        .filter(|&b| b > first)
        .unwrap_or(sentence.len());
    // "lr schedule cosine → linear, everything else same", "nothing else":
    // "else" limits the word to the rest of this change; it judges no kind
    // (but "it goes through staging like everything else" likens it to all).
    let rest_of_change = |k: usize| {
        sentence.get(k + 1).is_some_and(|n| n.raw == "else")
            && !(k > 0 && matches!(sentence[k - 1].raw, "like" | "as" | "than"))
    };
    let general_word = |k: usize| {
        let w = &sentence[k];
        w.kind == TokenKind::Word
            && k < reason_from
            && lex.has(w.tok, class::GENERAL)
            && !sentence.get(k + 1).is_some_and(|n| is_period(n.raw))
            && !rest_of_change(k)
            // "the first ever release" is one occasion, and so is what a
            // past verb did ("the model passed everything in staging").
            && !(k > 0 && (sentence[k - 1].raw == "first" || sentence[k - 1].raw.ends_with("ed")))
            // "I don't trust any change" speaks of all changes; "before we
            // switch any traffic", "did you change any code?" of some one.
            && (w.raw != "any"
                || (!question_mark
                    && sentence.iter().any(|v| {
                        v.kind == TokenKind::Word && lex.has(v.tok, class::CLAIM)
                    })))
            // "the best logloss we've ever seen" looks back to now; it
            // speaks of no other case.
            && !(k > 0
                && w.raw == "ever"
                && matches!(sentence[k - 1].raw, "ve" | "have" | "has" | "had" | "weve" | "ive"))
    };
    let general = (0..sentence.len()).any(general_word);
    // "a table in our own schema is ours to change": a sentence shaped as a
    // statement about a kind of thing reports no change of one.
    let statement =
        generic_statement(&sentence[first..], lex) || activity_judged(&sentence[first..], lex);
    // "proposal: add a column to the feature table" proposes one change;
    // a position is what follows a label without opening on a change verb.
    let positioned = label == Label::Position && !lex.has(sentence[first].tok, class::CHANGE);
    // "the trap about unit tests standing in for whole-system confidence:
    // ...", "the guide's common traps list has '...'": a sentence whose
    // subject is a trap cites the belief it names, as a label does.
    let names_trap = !question_mark
        && sentence[first..].iter().take(5).enumerate().any(|(k, w)| {
            w.kind == TokenKind::Word
                && lex.has(w.tok, class::CITATION)
                && sentence.get(first + k + 1).is_some_and(|n| {
                    matches!(
                        n.raw,
                        "about" | "of" | "no" | "number" | "list" | "from" | "here"
                    )
                })
        });
    if names_trap {
        mood.naming_traps.push((opening, end));
    }
    let cited = label == Label::Citation || names_trap;
    let general = general || statement || positioned;
    // A dated sentence is about one occasion ("goes to prod today because
    // the job crashes every night").
    let dated = dates_an_occasion(sentence);
    // A claim that ends in a tag ("..., right?", "..., will it?") or whose
    // clause opens with a negated auxiliary ("..., isn't an e2e run
    // redundant?") argues; any other sentence that ends in `?` asks ("what
    // should the gate check?", "anything to test?").
    let auxiliary = |w: &Word<'_>| {
        matches!(
            w.raw,
            "is" | "are"
                | "was"
                | "were"
                | "will"
                | "would"
                | "do"
                | "does"
                | "did"
                | "can"
                | "could"
                | "should"
                | "has"
                | "have"
                | "wo"
                | "ca"
        )
    };
    let n = sentence.len();
    let tagged = n >= 2
        && (matches!(
            sentence[n - 1].raw,
            "right" | "no" | "yeah" | "yes" | "correct" | "eh" | "ya" | "yep" | "surely"
        ) && (sentence[n - 2].kind == TokenKind::Comma
            // "overkill no?": a verdict and its tag, the comma left out.
            || (sentence[n - 1].raw == "no"
                && sentence[n - 2].kind == TokenKind::Word
                && lex.has(sentence[n - 2].tok, class::CLAIM)))
            || n >= 3
                && matches!(
                    sentence[n - 1].raw,
                    "it" | "they" | "we" | "you" | "there" | "i"
                )
                && (auxiliary(&sentence[n - 2]) || sentence[n - 2].raw == "not")
                && (sentence[n - 3].kind == TokenKind::Comma
                    || (sentence[n - 2].raw == "not" && auxiliary(&sentence[n - 3])))
            || truth_tag(sentence));
    // How definite what the sentence talks about is, read once: a statement
    // about nothing in particular ("switching the optimizer only affects
    // training", "lowering a threshold whenever a release is blocked is how
    // everyone does it") speaks of all cases; a question about nothing in
    // particular asks about a kind of change (below).
    // A tag ("changing an optimizer setting only matters to the trainer,
    // right?") leaves such a statement a claim.
    let generic_claim = generic && !opens_with_question && (!question_mark || tagged);
    // "if the upstream team changes their tables, that's on them": a
    // sentence that opens with a condition states a rule for every time it
    // holds, not one occasion. "if you approve it, it deploys" tells the
    // listener what one action of theirs will do.
    let conditional = !question_mark
        && matches!(sentence[first].raw, "if" | "whenever" | "unless")
        && !sentence.iter().any(|w| w.raw == "you");
    // "someone on the team says changing params only affects training":
    // what a third person holds is a belief voiced, not a change made.
    // So does a sentence that opens by naming a belief as an assumption
    // ("assuming a param change only affects training."): it holds nothing.
    // A belief verb may sit in the lead-in before the question proper
    // ("the guide seems to say no, why?"), before `first`: the words
    // before it in its own clause are then none, hence `first.min(k)`.
    let reported_belief = sentence.iter().enumerate().any(|(k, w)| {
        w.kind == TokenKind::Word
            && lex.has(w.tok, class::BELIEF_VERB)
            && ((w.raw.ends_with('s') && !w.raw.ends_with("ss"))
                || (k == first && w.raw.ends_with("ing"))
                // "Ravi keeps telling everyone ...", "she is always
                // saying ...": a habit of someone else's is theirs.
                || (w.raw.ends_with("ing")
                    && sentence[first.min(k)..k]
                        .iter()
                        .rev()
                        .take(2)
                        .any(|p| matches!(p.raw, "keeps" | "kept" | "is" | "was"))
                    && !sentence[first.min(k)..k]
                        .iter()
                        .any(|p| matches!(p.raw, "i" | "we" | "im" | "were")))
                // "why does the guide say ...?": asked in the third person.
                || sentence[first.min(k)..k].iter().any(|p| p.raw == "does")
                // "Sam said unit tests are plenty", "the lead argued ...": a
                // past belief verb after a subject of one or two words that
                // is not the writer ("I said", "we thought") nor "it".
                || (w.raw.ends_with("ed") || matches!(w.raw, "said" | "told" | "thought"))
                    && k > first
                    && k - first <= 2
                    && !sentence[first..k].iter().any(|p| {
                        matches!(p.raw, "i" | "we" | "you" | "it" | "that" | "this" | "me" | "us")
                    })
                // "my colleague he say", "our lead say": a learner's third
                // person that lost its ending, known by its subject, also
                // after a stray auxiliary ("our data scientist is say").
                || third_person_subject(&sentence[first.min(k)..k])
                || (k > first + 1
                    && matches!(sentence[k - 1].raw, "is" | "was")
                    && (third_person_subject(&sentence[first..k - 1])
                        // "a teammate is convinced that ...": one person
                        // named by a determiner and a noun holds it.
                        || matches!(
                            &sentence[first..k - 1],
                            [d, n] if matches!(d.raw, "a" | "the" | "one")
                                && n.kind == TokenKind::Word
                        ))))
    }) || sentence
        // "according to Sam, retrains need no review": what follows is Sam's.
        .windows(2)
        .any(|pair| pair[0].raw == "according" && pair[1].raw == "to");
    // Cited words are held by their source, as a reported belief is.
    let reported_belief = reported_belief || cited;
    if reported_belief {
        mood.reported.push((sentence[first].start, end));
    }
    // A position announced by a label stays general whenever it starts.
    let shape_general =
        ((statement || positioned || conditional || reported_belief) && !dated) || positioned;
    let general =
        ((general || conditional || reported_belief || generic_claim) && !dated) || positioned;
    // "isn't" reaches here as "is not": it claims as "isnt" does.
    let contracted_claim = |k: usize| {
        k > 0
            && sentence[k].raw == "not"
            && lex.has(
                lex.exact(&format!("{}nt", sentence[k - 1].raw)),
                class::CLAIM,
            )
    };
    // "please don't", "don't skip staging": an imperative forbids; it
    // neither claims nor denies a need for tests.
    let opener = first + usize::from(matches!(sentence[first].raw, "please" | "pls"));
    let forbids = |k: usize| {
        (k == opener + 1 && sentence[opener].raw == "do" && sentence[k].raw == "not")
            || (k == opener && sentence[k].raw == "dont")
    };
    // "fine-tune" and "fine-grained" are no verdict that something is fine.
    let compound = |k: usize| {
        sentence[k].raw == "fine"
            && sentence
                .get(k + 1)
                .is_some_and(|n| matches!(n.raw, "tune" | "tuned" | "tuning" | "tunes" | "grained"))
    };
    // "no need to check consumers", "it doesn't need staging": a need denied.
    // "no canary needed": the same, with the thing between. "no point in a
    // staging run", "no reason to re-validate" deny a need too.
    let need_denied = |k: usize| {
        matches!(
            sentence[k].raw,
            "need" | "needed" | "needs" | "point" | "reason"
        ) && k > 0
            && (matches!(
                sentence[k - 1].raw,
                "no" | "not" | "dont" | "doesnt" | "didnt" | "wont" // "retrains need no review": the need denied after the verb.
            ) || (matches!(sentence[k].raw, "need" | "needs")
                && sentence.get(k + 1).is_some_and(|n| n.raw == "no"))
                || (sentence[k].raw == "needed"
                    && sentence[k.saturating_sub(4)..k - 1]
                        .iter()
                        .any(|w| w.raw == "no")))
    };
    // "it's our table", "the output is ours": data or ML work declared ours
    // is claimed, whatever is done to it next ("it's" reaches here as "it";
    // "it's our real situation" owns nothing).
    let owned = |k: usize| {
        sentence[k].raw == "ours"
            || (sentence[k].raw == "our"
                && k > 0
                && matches!(sentence[k - 1].raw, "it" | "its")
                && sentence[k + 1..].iter().take(2).any(|n| {
                    n.kind == TokenKind::Word && lex.has(n.tok, class::DATA_NOUN | class::DOMAIN)
                }))
    };
    // "it's only a threshold", "that's just a training concern": a thing
    // played down with a copula is judged.
    // "monitoring can wait": a check put off is judged not needed now.
    let put_off = |k: usize| {
        sentence[k].raw == "wait"
            && k > 0
            && matches!(sentence[k - 1].raw, "can" | "could" | "will" | "ll")
    };
    // So is one played down in a sentence of its own ("just a number").
    let played_down = |k: usize| {
        matches!(sentence[k].raw, "only" | "just" | "merely" | "purely")
            && (k == first
                || (k > 0
                    && matches!(
                        sentence[k - 1].raw,
                        "is" | "s" | "its" | "thats" | "it" | "that"
                    )))
            && sentence
                .get(k + 1)
                .is_some_and(|n| matches!(n.raw, "a" | "an"))
    };
    let claim_at = |k: usize| {
        let w = &sentence[k];
        w.kind == TokenKind::Word
            && !forbids(k)
            && !compound(k)
            && !release_denied(sentence, k, lex)
            && !bounds_the_change(sentence, first, k)
            && (lex.has(w.tok, class::CLAIM)
                || contracted_claim(k)
                || need_denied(k)
                || owned(k)
                || played_down(k)
                || put_off(k))
            // "passed everything in staging" says what happened once.
            && !(k > 0 && lex.has(w.tok, class::GENERAL) && sentence[k - 1].raw.ends_with("ed"))
            && !rest_of_change(k)
            // "the staging deploy went fine", "the backfill ran fine": how
            // something that happened turned out, not a verdict on a kind.
            && !(k > 0
                && matches!(w.raw, "fine" | "safe" | "better")
                && (matches!(sentence[k - 1].raw, "went" | "ran" | "came" | "run" | "gone")
                    || (sentence[k - 1].raw.ends_with("ed") && sentence[k - 1].raw.len() > 4)))
            // "the new optional field": a word after "new" describes the new
            // thing; it is no verdict.
            && !(k > 0 && sentence[k - 1].raw == "new")
    };
    // A clause after a comma may judge an activity of its own ("the gate is
    // red tape, setting it to dry run is harmless").
    let judged_later = sentence
        .iter()
        .enumerate()
        .any(|(k, w)| w.kind == TokenKind::Comma && activity_judged(&sentence[k + 1..], lex));
    let claims = general || rhetorical || judged_later || (0..sentence.len()).any(claim_at);
    let negated_opening = sentence
        .windows(3)
        .any(|w| w[0].kind == TokenKind::Comma && auxiliary(&w[1]) && w[2].raw == "not")
        || (auxiliary(&sentence[first]) && sentence.get(first + 1).is_some_and(|w| w.raw == "not"));
    // "no code diff, so skipping validation this time", "I'll skip the
    // staging run": a plan to skip tests denies a need for them, whatever
    // else its sentence reports ("skipped" tells what happened); with a tag
    // ("we can skip data validation, yeah?") it argues for the plan. "don't
    // skip staging" forbids it.
    // So does a need denied ("..., no canary needed").
    let skips = sentence.iter().enumerate().any(|(k, w)| {
        (matches!(w.raw, "skip" | "skipping" | "skips")
            && !(k > 0 && matches!(sentence[k - 1].raw, "not" | "dont" | "never" | "no")))
            || need_denied(k)
    });
    let argues = (claims || skips) && (tagged || negated_opening || rhetorical);
    mood.asks |= question_mark && !argues;
    mood.argues |= question_mark && argues;
    // Whether the clause around word `k` claims: "member_features gets a new
    // column, and I honestly don't know who reads it" reports in its first
    // clause and doubts in its second. Asked only of a few words, so it scans
    // on demand.
    let is_break = |w: &Word<'_>| {
        w.kind == TokenKind::Comma
            || matches!(w.raw, "so" | "because" | "since" | "but" | "cause" | "coz")
    };
    let clause_claims = |k: usize| {
        let from = sentence[..k]
            .iter()
            .rposition(is_break)
            .map_or(0, |b| b + 1);
        let to = sentence[k..]
            .iter()
            .position(is_break)
            .map_or(sentence.len(), |b| k + b);
        // A sentence shaped as a rule claims in every clause; a word that
        // speaks of all cases ("the holdout never lies, so I'm promoting the
        // new ranker") claims in its own clause only.
        shape_general || (from..to).any(|j| claim_at(j) || general_word(j))
    };
    mood.claims |= claims;
    if general || rhetorical_in_general {
        mood.general.push((sentence[first].start, end));
    }

    let reported_before = std::mem::replace(&mut mood.reports, false);
    // Clauses that put something later.
    let mut clause_from = sentence[first].start;
    let mut deferred = false;
    for (k, w) in sentence.iter().enumerate() {
        if w.kind == TokenKind::Comma {
            if deferred {
                mood.deferring.push((clause_from, w.start));
            }
            clause_from = w.start;
            deferred = false;
        } else {
            deferred |= lex.has(w.tok, class::DEFER);
        }
        if k + 1 == sentence.len() && deferred {
            mood.deferring.push((clause_from, end));
        }
    }
    mood.fixes |= sentence
        .iter()
        .any(|w| w.kind == TokenKind::Word && lex.has(w.tok, class::FIX));
    mood.present |= sentence
        .iter()
        .any(|w| w.kind == TokenKind::Word && lex.has(w.tok, class::PRESENT));
    mood.personal |= sentence.iter().any(|w| {
        matches!(
            w.raw,
            "we" | "i" | "us" | "my" | "me" | "im" | "ill" | "well" | "were"
        )
    });
    // "flipping @champion 👍", "ok, shipping it tonight": chat drops the "I'm"
    // before a release in -ing that opens a statement, so the writer speaks
    // for themselves. A gerund given a verdict ("shipping on fridays is
    // risky") speaks of all cases.
    mood.personal |= !question_mark
        && sentence[first..]
            .iter()
            .take(3)
            .position(|w| !filler(w))
            .is_some_and(|k| {
                let w = &sentence[first + k];
                w.raw.ends_with("ing")
                    && lex.has(w.tok, class::INTENT)
                    && !activity_judged(&sentence[first + k..], lex)
            });

    // "6 before, 8 now" looks back; "before the new version is
    // registered" looks ahead.
    let looks_back = sentence.iter().enumerate().any(|(k, w)| {
        matches!(w.raw, "previously" | "was" | "used" | "instead")
            || (w.raw == "before"
                && sentence
                    .get(k + 1)
                    .is_none_or(|n| n.kind != TokenKind::Word))
    });
    let mut hypothetical = false;
    let mut figurative = false;
    // "the lead wants a staging run before we merge": a clause that only
    // says when something will happen reports no change of its own.
    let mut timing = false;
    // "what does the gate check before a new version becomes champion?": in
    // a question, a clause of time with nobody acting in it says when the
    // thing asked about happens, for every such event; its change words do
    // not make the question about a change. "after I change the lr" and
    // "after the lr change" still do.
    let asks_here = opens_with_question || question_mark;
    // Whether a change word names a kind of change matters only in a
    // question (`a_kind` below), so a statement skips the three scans.
    // "I changed the packaging, is a unit test enough?", "does this need
    // staging?", "is v12 ready?": the writer asks about their own change.
    // "what kind of test do I need for a change to one helper function?":
    // "I" or "me" owns a change only as the one who makes it, a change verb
    // a few words after it ("I changed", "I'm about to bump"); the one who
    // needs or is told something asks about a change of any kind.
    let own_change = !asks_here
        || spec == Specificity::Acted
        || sentence.iter().enumerate().any(|(k, w)| {
            matches!(w.raw, "my" | "this" | "these")
                || super::text::version_tag(w.raw)
                || (matches!(w.raw, "i" | "me" | "im" | "ive" | "ill")
                    && sentence[k + 1..]
                        .iter()
                        .take(4)
                        .take_while(|n| n.kind == TokenKind::Word)
                        .enumerate()
                        .any(|(j, n)| {
                            lex.has(n.tok, class::CHANGE)
                                && !(j > 0 && matches!(sentence[k + j].raw, "a" | "an" | "any"))
                        }))
        });
    // "do schema migrations usually get an e2e run?", "how do teams test
    // ...?": the question is about what happens to any such change.
    // "a retrain on last month's data" is one retrain.
    let dated_here = asks_here
        && (dates_an_occasion(sentence)
            || sentence.windows(2).any(|pair| {
                matches!(pair[0].raw, "last" | "this" | "next" | "past")
                    && matches!(
                        pair[1].raw.trim_end_matches('s'),
                        "day" | "week" | "month" | "year" | "quarter" | "sprint" | "night"
                    )
            }));
    let kind_sentence = asks_here
        && sentence
            .iter()
            .any(|w| w.kind == TokenKind::Word && lex.has(w.tok, class::KIND));
    let mut timed = false;
    let mut kind_named = false;
    let mut prev: Option<&Word<'_>> = None;
    let mut clause_start = true;
    let mut likened = false;
    // A new thing told in a claim (see `new_thing` below).
    let mut new_told = false;
    for (k, w) in sentence.iter().enumerate() {
        if w.kind == TokenKind::Comma {
            hypothetical = false;
            likened = false;
            timing = false;
            timed = false;
            prev = None;
            clause_start = true;
            continue;
        }
        // "when only the metric code changes" names a kind of change, so
        // only the words that order events open such a clause.
        if asks_here && matches!(w.raw, "before" | "after" | "until" | "once") {
            timed = !sentence[k + 1..]
                .iter()
                .take_while(|n| n.kind != TokenKind::Comma)
                .any(|n| {
                    matches!(
                        n.raw,
                        "i" | "we" | "my" | "our" | "me" | "us" | "im" | "ill" | "well" | "were"
                    )
                });
        }
        let opens_clause = std::mem::replace(&mut clause_start, false);
        if HYPOTHETICAL.contains(&w.raw) {
            hypothetical = true;
        }
        if matches!(w.raw, "before" | "until" | "till" | "once") {
            timing = true;
        }
        // "rewritten" and "swapped" do not stem to their verb. "turned" is
        // one when a particle says what it turned into ("turned the
        // comparison into warn-only", "turned off the bias check").
        let turned = w.raw == "turned"
            && sentence[k + 1..]
                .iter()
                .take(8)
                .take_while(|n| n.kind != TokenKind::Comma)
                .any(|n| matches!(n.raw, "into" | "off" | "down"));
        // "what kind of test do I write for a date parser?": a question
        // whose object is a test, written or added, asks for a test plan;
        // the verb changes nothing.
        let writes_asked_test = opens_with_question
            && matches!(w.raw, "write" | "add")
            && sentence[first..k]
                .iter()
                .any(|p| matches!(p.raw, "test" | "tests"));
        // "trying to write this down for the onboarding doc": writing
        // something down or up records it; it changes nothing.
        let noted = matches!(w.raw, "write" | "writing" | "wrote")
            && sentence[k + 1..]
                .iter()
                .take(3)
                .any(|n| matches!(n.raw, "down" | "up"));
        let change = (lex.has(w.tok, class::CHANGE)
            || turned
            || matches!(
                w.raw,
                "rewritten" | "rewrote" | "wrote" | "swapped" | "made"
            ))
            && !writes_asked_test
            && !noted;
        // "a promotion to prod" names a release, not a change to the system.
        // "is a hyperparameter change ever training-only?" asks about all
        // such changes, not about one.
        // So does a rhetorical question that names nothing in particular
        // ("why would a param tweak need more than a retrain?"); "why bother
        // with staging for the new limits?" is about one change.
        // "change" itself, in any form, still says a change.
        let event = timed
            && !w.raw.starts_with("chang")
            && ((w.raw.ends_with('s') && !w.raw.ends_with("ss"))
                || prev.is_some_and(|p| matches!(p.raw, "a" | "an")));
        // "is there any point in ...": after a determiner, "point" is the
        // noun, not the verb that points an alias.
        let noun_point = w.raw == "point"
            && prev.is_some_and(|p| matches!(p.raw, "any" | "the" | "no" | "a" | "what"));
        // "what's the better first move?": after a word that ranks it,
        // "move" is a step in a plan, not something moved.
        let noun_move = matches!(w.raw, "move" | "moves")
            && prev.is_some_and(|p| {
                matches!(
                    p.raw,
                    "first" | "next" | "best" | "better" | "right" | "wrong" | "good" | "smart"
                )
            });
        mood.says_change |= change && !noun_point && !noun_move && !lex.has(w.tok, class::INTENT);
        // "do config-only changes need more than unit tests?", "is a unit
        // test enough when someone changes the packaging?": a question about
        // a kind of change, not about one; a past form reports one.
        // A statement with a tag ("... a new key but ... fine right?") states.
        // "if a dependency gets bumped, ...": a participle after "get" is
        // the present tense of the passive, what happens each time.
        let got = k > 0 && matches!(sentence[k - 1].raw, "get" | "gets");
        // "how do other teams gate retrained models?": in a question, a
        // participle right before a bare plural describes a kind of thing,
        // as one after "a" does; after a subject or "have" ("we retrained
        // models", "have you retrained models") it still tells an act, and
        // after "the" or "our" it names particular things.
        let kind_participle = past_form(w.raw)
            && before_bare_plural(sentence, k)
            && prev.is_some_and(|p| {
                p.kind == TokenKind::Word
                    && !matches!(
                        p.raw,
                        "i" | "we"
                            | "you"
                            | "they"
                            | "he"
                            | "she"
                            | "it"
                            | "who"
                            | "have"
                            | "has"
                            | "had"
                            | "ve"
                            | "the"
                            | "this"
                            | "these"
                            | "those"
                            | "our"
                            | "my"
                            | "your"
                            | "their"
                            | "its"
                            | "just"
                            | "also"
                    )
            });
        // "when a model's hyperparameters change, does that need anything
        // beyond retraining it?": once a question names a kind of change,
        // the change words after it in the sentence belong to that kind.
        let a_kind = change
            && asks_here
            && !tagged
            && !own_change
            && !dated_here
            // "what's the typical gate for a retrained model": a participle
            // after "a" describes a kind of thing, it reports nothing.
            && (!past_form(w.raw)
                || got
                || kind_participle
                || prev.is_some_and(|p| matches!(p.raw, "a" | "an")))
            && (kind_sentence
                || kind_named
                || kind_participle
                || kind_of_change(sentence, k, lex));
        kind_named |= a_kind;
        mood.mentions_change |= change
            && !noun_move
            && !likened
            && !general
            && !asks_in_general
            && !rhetorical_in_general
            && !event
            && !a_kind
            && !lex.has(w.tok, class::INTENT);
        // Only where the word would otherwise have said a change.
        if (a_kind || (change && asks_in_general))
            && !noun_move
            && !likened
            && !general
            && !rhetorical_in_general
            && !event
            && !lex.has(w.tok, class::INTENT)
            && mood
                .kind_questions
                .last()
                .is_none_or(|&(s, _)| s != opening)
        {
            mood.kind_questions.push((opening, end));
        }
        // "whatever passes in dev will pass in prod" predicts in general;
        // "it will go out tomorrow" points at one release.
        // "hyperparameters are like my gym membership": what a comparison
        // likens a thing to is a figure of speech; it points at nothing.
        figurative |=
            w.raw == "like" && prev.is_some_and(|p| matches!(p.raw, "is" | "are" | "s" | "just"));
        // "feels like a speed bump": what a clause likens something to
        // changes nothing.
        likened |= w.raw == "like"
            && prev.is_some_and(|p| {
                matches!(
                    p.raw,
                    "is" | "are" | "s" | "just" | "feels" | "feel" | "looks" | "sounds" | "seems"
                )
            });
        // Once the message points at something, no later word can take it
        // back, so the words (and their digits) need not be read again.
        // A sentence about nothing in particular points at nothing ("do
        // teams usually still run the full e2e?").
        mood.points_at |= !mood.points_at
            && !figurative
            && !generic
            && (matches!(
                w.raw,
                "this" | "my" | "let" | "lets" | "ill" | "well" | "im" | "planning" | "gonna"
            ) || (w.raw == "will" && !claims)
                // "the new ranker", "our new tokenizer": one new thing.
                || (w.raw == "new" && prev.is_some_and(|p| matches!(p.raw, "the" | "our")))
                || names_a_version(w.raw));
        // "I am new in the team", "we're new here": "new" said of a person
        // after a copula describes them; nothing was changed.
        let person_new = w.raw == "new"
            && prev.is_some_and(|p| {
                matches!(p.raw, "im" | "i'm")
                    || (matches!(p.raw, "am" | "is" | "are" | "was" | "were" | "re" | "m")
                        && k >= 2
                        && matches!(
                            sentence[k - 2].raw,
                            "i" | "we" | "he" | "she" | "they" | "you" | "who"
                        ))
            });
        // "same code, new data, so the retrain needs no checks": in a claim,
        // "new" set against "same" a few words away is the premise the
        // claim reasons from, not a change told.
        let premise = claims
            && w.raw == "new"
            && sentence[k.saturating_sub(4)..(k + 5).min(sentence.len())]
                .iter()
                .any(|n| n.raw == "same");
        if change && !hypothetical && !likened && !person_new && !a_kind && !premise {
            // "a fixed bar", "a reworded log message": a participle after
            // "a" describes a thing; it reports nothing.
            let adjective = prev.is_some_and(|p| matches!(p.raw, "a" | "an"));
            // "nothing changed in the repo", "nobody touched the code":
            // a past verb whose subject is nothing reports no change.
            let nothing = prev.is_some_and(|p| matches!(p.raw, "nothing" | "nobody" | "noone"));
            // "the metrics are still logged": a participle after a copula
            // and "still" describes a state that holds; nothing moved.
            let state = prev.is_some_and(|p| p.raw == "still")
                && k >= 2
                && matches!(
                    sentence[k - 2].raw,
                    "is" | "are" | "s" | "re" | "was" | "were"
                );
            let past = past_form(w.raw) && !adjective && !nothing && !state;
            // "bump lr", "adding a feature", "new column": a sentence that
            // opens with the change itself, unless it goes on to state a
            // claim ("changing the lr can't break inference").
            // The clause it opens is judged on its own: "the gate is red
            // tape, setting it to dry run is harmless" claims in both.
            let opens = opens_clause && !clause_claims(k) && !activity_judged(&sentence[k..], lex);
            // "let's swap it", "we'll move", "gonna drop", "going to add".
            // "just doubles the terraform" describes what something does.
            let third_person = w.raw.ends_with('s') && !w.raw.ends_with("ss");
            // "the columns are ours to rename", "it's safe to drop": "to"
            // after a verdict says what may be done, not what will be.
            let permitted = k >= 2
                && sentence[k - 1].raw == "to"
                && (sentence[k - 2].raw == "ours"
                    || (sentence[k - 2].kind == TokenKind::Word
                        && lex.has(sentence[k - 2].tok, class::CLAIM)));
            let intent = !third_person
                && !permitted
                && prev.is_some_and(|p| {
                    matches!(
                        p.raw,
                        "let"
                            | "lets"
                            | "ll"
                            | "ill"
                            | "well"
                            | "gonna"
                            | "will"
                            | "to"
                            | "plan"
                            | "want"
                            | "we"
                            | "i"
                            | "just"
                    )
                    // "we only rename the experiment", "i also bump lr": an
                    // adverb between the speaker and the verb.
                    || (matches!(p.raw, "only" | "also")
                        && k >= 2
                        && matches!(sentence[k - 2].raw, "we" | "i"))
                });
            // "we're adding", and "we are change" as a learner writes it.
            let progressive = prev.is_some_and(|p| {
                matches!(
                    p.raw,
                    "am" | "is" | "are" | "be" | "been" | "im" | "were" | "was"
                )
            });
            // "I have only change the comments": a perfect tense whose
            // participle lost its ending, with an adverb or two between.
            // ("is only double work" describes; only "have" makes it a
            // perfect.)
            let perfect = sentence[..k]
                .iter()
                .rev()
                .take_while(|p| p.kind != TokenKind::Comma)
                .take(3)
                .find(|p| !matches!(p.raw, "only" | "just" | "already" | "also" | "recently"))
                .is_some_and(|p| matches!(p.raw, "have" | "has" | "had" | "ive"));
            // "the model retrain with the data of this month": a learner's
            // report whose verb lost its tense, told of a named subject and
            // followed by what it was done with. An adjective before the
            // verb makes it a noun ("the weekly retrain on sunday").
            let bare_after_subject = !third_person
                && !w.raw.ends_with("ed")
                && !w.raw.ends_with("ing")
                && k >= 2
                && matches!(
                    sentence[k - 2].raw,
                    "the" | "our" | "my" | "this" | "that" | "their" | "your"
                )
                && prev.is_some_and(|p| {
                    p.kind == TokenKind::Word
                        && !p.raw.ends_with("ly")
                        && !lex.has(p.tok, class::CHANGE)
                        && !matches!(
                            p.raw,
                            "new"
                                | "last"
                                | "next"
                                | "first"
                                | "full"
                                | "same"
                                | "big"
                                | "small"
                                | "quick"
                                | "minor"
                                | "major"
                                | "latest"
                                | "planned"
                                | "usual"
                        )
                })
                && sentence
                    .get(k + 1)
                    .is_some_and(|n| matches!(n.raw, "with" | "on" | "from" | "into" | "using"));
            // "docstring fix in `compute_ctr()` — kicking off ...", "FS
            // schema change on the user table": a statement that opens with
            // a noun compound whose head is the change tells one change, as
            // a verb would.
            let noun_head = !question_mark
                && !opens_with_question
                && k > first
                && k <= first + 3
                && sentence[first..k].iter().all(|n| {
                    n.kind == TokenKind::Word
                        && !lex.has(
                            n.tok,
                            class::STOP
                                | class::CHANGE
                                | class::CLAIM
                                | class::ASK
                                | class::GENERAL,
                        )
                })
                && sentence.get(k + 1).is_none_or(|n| {
                    n.kind != TokenKind::Word || matches!(n.raw, "in" | "on" | "for" | "to" | "of")
                });
            if past
                || perfect
                || noun_head
                || ((opens || progressive || intent || bare_after_subject) && !timing)
            {
                mood.reports = true;
            }
        }
        // "the scores table switches from one row per account to two", "the
        // front end goes from 80 to 128 mel bins": a change told in the
        // present tense, with where it goes.
        let next = sentence.get(k + 1).map(|n| n.raw);
        let moving = (change && w.raw.ends_with('s') && matches!(next, Some("from" | "to")))
            || (matches!(w.raw, "goes" | "go" | "going" | "went") && next == Some("from"));
        if moving && !hypothetical && !general && !a_kind {
            mood.reports = true;
        }
        // "a bigger learning rate", "the larger batch size": a value that
        // moved, named with its article.
        let compared = matches!(
            w.raw,
            "bigger"
                | "smaller"
                | "larger"
                | "higher"
                | "lower"
                | "longer"
                | "shorter"
                | "deeper"
                | "wider"
                | "extra"
                | "different"
        ) && prev.is_some_and(|p| {
            matches!(p.raw, "a" | "an" | "the")
                // "one extra column", "2 extra weeks of data": a count
                // before "extra" is an article as well.
                || (w.raw == "extra"
                    && (p.raw == "one" || p.raw.bytes().all(|b| b.is_ascii_digit())))
        });
        if compared {
            mood.reports = true;
        }
        // "they would have told us by now" dates nothing.
        // Nor does "now and then".
        let idiom = w.raw == "now"
            && (prev.is_some_and(|p| matches!(p.raw, "by" | "until" | "till"))
                || (sentence.get(k + 1).is_some_and(|n| n.raw == "and")
                    && sentence.get(k + 2).is_some_and(|n| n.raw == "then")));
        // "the new dropout on the tagger is purely a training concern":
        // with no change told before it, the new thing a claim speaks of is
        // the change the claim is about.
        // What did not change, said before it ("nothing changed in the
        // repo, so the new training data can't break anything"), makes the
        // new thing the claim's premise; a role every release has ("the new
        // version") is no one thing, and the new thing is part of ML work.
        let new_thing = w.raw == "new"
            && !reported_before
            && !timing
            && prev.is_some_and(|p| matches!(p.raw, "the" | "our"))
            && sentence
                .get(k + 1)
                .is_some_and(|n| n.kind == TokenKind::Word && !lex.has(n.tok, class::ROLE))
            // "the new hires' laptops" are no ML work.
            && sentence[k + 1..]
                .iter()
                .take(3)
                .take_while(|n| n.kind == TokenKind::Word)
                .any(|n| n.glued || lex.has(n.tok, class::DOMAIN))
            && !sentence[..k].iter().any(|p| {
                p.kind == TokenKind::Word && lex.has(p.tok, class::NEG_CLAUSE | class::NEG_FORWARD)
            });
        // "bumped max_depth. since it's a new artifact, ...": after a change
        // told, "new" after a copula and "a" says what that change made; it
        // tells no change of its own ("it's a new table" alone still does).
        let classifies = w.raw == "new"
            && reported_before
            && k >= 2
            && matches!(sentence[k - 1].raw, "a" | "an")
            && matches!(
                sentence[k - 2].raw,
                "is" | "s" | "its" | "it" | "thats" | "was" | "are" | "were"
            );
        if (w.raw == "now" || w.raw == "new")
            && !opens_with_question
            && !idiom
            && !premise
            && !person_new
            && !hypothetical
            && !classifies
            // "the new version" in a claiming clause names a thing already
            // spoken of; in a clause of its own after the claim ("since
            // staging mirrors dev anyway, I'm skipping it for the new
            // tokenizer vocab") it is the change the claim is about.
            // ("... no checks before the new version is registered" names
            // when, not what changed.)
            && (!claims
                || looks_back
                || (!clause_claims(k) && (prev.is_none_or(|p| p.raw != "the") || !timing))
                || new_thing)
        {
            // Only a claim that told nothing before its new thing is about it.
            new_told |= new_thing && !mood.reports;
            mood.reports = true;
        }
        // "the bot clicks are not counted anymore": a state that ended.
        if w.raw == "anymore" && !opens_with_question && !hypothetical {
            mood.reports = true;
        }
        // "this is just an lr tweak", "this PR bumps ...": the message points
        // at a change in front of the reader.
        if w.raw == "this"
            && (opens_clause
                || sentence.get(k + 1).is_some_and(|n| {
                    matches!(n.raw, "pr" | "change" | "diff" | "mr" | "commit" | "branch")
                }))
        {
            mood.reports = true;
        }
        // "it's only a config tweak", "that's just a typo fix": a pointer
        // that opens its clause and calls what it points at a change names
        // one change in front of the reader, as "this" does.
        if opens_clause && matches!(w.raw, "it" | "its" | "that" | "thats") {
            let rest = &sentence[k + 1..];
            let lead = rest
                .iter()
                .take_while(|n| {
                    matches!(
                        n.raw,
                        "is" | "s" | "only" | "just" | "purely" | "simply" | "merely" | "literally"
                    )
                })
                .count();
            let called_a_change = lead > 0
                && rest.get(lead).is_some_and(|n| matches!(n.raw, "a" | "an"))
                && rest[lead + 1..]
                    .iter()
                    .take(3)
                    .take_while(|n| n.kind == TokenKind::Word)
                    .any(|n| lex.has(n.tok, class::CHANGE));
            if called_a_change {
                mood.reports = true;
                mood.points_at = true;
            }
        }
        // "just a README fix but Dana wants the full staging e2e", "only a
        // docstring tweak": the same, with the pointer and its copula left
        // out, as chat drops them; "just a number" calls nothing a change.
        if k == first && called_a_change_alone(&sentence[k..], lex) {
            mood.reports = true;
            mood.points_at = true;
        }
        // "IT not needed for the FS join change", "unit tests pass, so no
        // staging run for the lr change": "the" before a noun phrase whose
        // head is "change" points at one change, outside a condition ("when
        // only the data change" is a learner's verb).
        if w.raw == "change"
            && !hypothetical
            && !mood.points_at
            // "the lr change imo": a hedge after it; "the data change the
            // output" would be a verb with its object.
            && sentence.get(k + 1).is_none_or(|n| {
                n.kind != TokenKind::Word || lex.has(n.tok, class::STOP | class::CLAIM)
            })
            && (1..=4).any(|d| {
                k >= d
                    && sentence[k - d].raw == "the"
                    && sentence[k - d + 1..k]
                        .iter()
                        .all(|n| n.kind == TokenKind::Word && !lex.has(n.tok, class::STOP))
                    // "does the stage change which tests we run?": after an
                    // auxiliary the noun phrase is a subject and "change"
                    // its verb.
                    && !(k > d
                        && matches!(
                            sentence[k - d - 1].raw,
                            "does" | "do" | "did" | "can" | "could" | "would" | "will" | "should"
                        ))
            })
        {
            mood.points_at = true;
        }
        // A dated plan ("goes to prod tomorrow", "ship v3 on thursday") is a
        // specific change, and points at one occasion.
        if (w.raw == "asap" || (k == 0 && dated)) && !claims {
            mood.reports = true;
        }
        mood.points_at |= k == 0 && dated;
        // "the batch size i put 64 instead of 32, so serving is not
        // affected": the claim is the next clause's; the value still moved.
        if w.raw == "instead" && !clause_claims(k) {
            mood.reports = true;
        }
        // "from 200 to 500", "dropout to 0.3": a value set, unless it is a
        // bound ("up to 10 retries") or a condition.
        if w.raw == "to"
            && !hypothetical
            && prev.is_some_and(|p| p.raw != "up")
            && sentence
                .get(k + 1)
                .is_some_and(|n| n.raw.starts_with(|c: char| c.is_ascii_digit()))
        {
            mood.reports = true;
        }
        prev = Some(w);
    }
    // "do we need a canary for a docstring change?", "is a staging run
    // required?": a question whether tests are needed proposes them.
    let asks_need = (question_mark || opens_with_question)
        && sentence
            .iter()
            .any(|w| w.kind == TokenKind::Word && lex.has(w.tok, class::NEED));
    // "no integration run (is) needed", "no need to run the e2e": a test
    // verb a few words after "no" is denied, not asked for.
    let denied_run = |k: usize| {
        sentence[k.saturating_sub(3)..k]
            .iter()
            .rev()
            .take_while(|w| w.kind == TokenKind::Word)
            .any(|w| w.raw == "no")
    };
    // "run", "rerun", "doing": a plan. "ran", "triggered", "runs": what
    // happened or happens anyway.
    let proposes = sentence.iter().enumerate().any(|(k, w)| {
        w.kind == TokenKind::Word
            && !(k == first && opens_with_question)
            && lex.has(w.tok, class::TEST_VERB)
            && !denied_run(k)
            // "ran" and "runs" happened or happen anyway; "wants" and
            // "booked" still ask for it.
            && (!w.raw.ends_with("ed") || matches!(w.raw, "booked" | "queued" | "requested" | "asked"))
            && (!w.raw.ends_with('s') || matches!(w.raw, "wants" | "insists" | "requires"))
    }) || asks_need;
    if proposes && !mood.reports {
        mood.proposing.push((sentence[first].start, end));
        if asks_need {
            mood.asking_need.push((sentence[first].start, end));
        }
    } else if proposes {
        // "renamed a local in `clip_outliers()`, behaviour unchanged, and the
        // lead wants a full staging run plus a canary for it": in a sentence
        // that reports, a clause after a comma that asks for tests, with no
        // change told in the past, is a plan for testing. One more pass over
        // the sentence, only when it both reports and proposes.
        let mut from = first;
        for k in first..=sentence.len() {
            if k < sentence.len() && sentence[k].kind != TokenKind::Comma {
                continue;
            }
            let clause = &sentence[from..k];
            let asks_for_tests = clause.iter().enumerate().any(|(j, w)| {
                w.kind == TokenKind::Word
                    && lex.has(w.tok, class::TEST_VERB)
                    && !denied_run(from + j)
                    && (!w.raw.ends_with("ed")
                        || matches!(w.raw, "booked" | "queued" | "requested" | "asked"))
                    && (!w.raw.ends_with('s') || matches!(w.raw, "wants" | "insists" | "requires"))
            });
            // A change told there ("the endpoint now reads ...", "we want
            // (to) move the alias") makes the clause no plan for testing;
            // so does a release wanted ("we want it in prod tomorrow"): what
            // is asked for there is the last stage, not a test.
            let told = clause.iter().enumerate().any(|(j, w)| {
                w.kind == TokenKind::Word
                    && (matches!(w.raw, "now" | "instead")
                        || (matches!(w.raw, "prod" | "production" | "live")
                            && clause[..j]
                                .iter()
                                .rev()
                                .take(4)
                                .any(|p| matches!(p.raw, "want" | "wants")))
                        || (lex.has(w.tok, class::CHANGE)
                            && (past_form(w.raw)
                                || (j > 0
                                    && (clause[j - 1].raw == "to"
                                        || lex.has(clause[j - 1].tok, class::TEST_VERB))))))
            });
            if from > first
                && asks_for_tests
                && !told
                && let Some(opening) = clause.first()
            {
                let stop = sentence.get(k).map_or(end, |w| w.start);
                mood.proposing.push((opening.start, stop));
            }
            from = k + 1;
        }
    }
    let negates = sentence.iter().enumerate().any(|(k, w)| {
        w.kind == TokenKind::Word
            && !forbids(k)
            && lex.has(w.tok, class::NEG_CLAUSE | class::NEG_FORWARD)
    });
    mood.denies |= claims && negates && !mood.reports;
    // A plan to skip tests denies a need for them (see `skips`).
    mood.denies |= skips && !opens_with_question && (!question_mark || argues);
    // A question asks about a belief ("... - what should the gate
    // check?"); a claim, with or without a tag ("..., right?"), holds it.
    if !claims && tagged && question_mark && !opens_with_question && !mood.reports {
        mood.tagged.push((sentence[first].start, end));
    }
    if claims && !opens_with_question && (!question_mark || argues) {
        // A claim that tells its new thing ("the new dropout on the tagger
        // is purely a training concern") still claims about it.
        if !mood.reports || new_told {
            mood.claiming.push((opening, end));
        } else {
            // "relaxed the latency bound in the gate, it's only a threshold":
            // in a sentence that reports, a clause that claims and reports
            // nothing (no change word, no "new" or "now", no number) claims
            // on its own.
            let mut from = first;
            for k in first..=sentence.len() {
                if k < sentence.len() && !is_break(&sentence[k]) {
                    continue;
                }
                let clause = &sentence[from..k];
                // "won't tell us anything new" names no new thing.
                let reports_here = clause.iter().enumerate().any(|(j, w)| {
                    let after_nothing =
                        j > 0 && matches!(clause[j - 1].raw, "anything" | "nothing" | "something");
                    if w.raw == "new" {
                        !after_nothing
                    } else {
                        lex.has(w.tok, class::CHANGE)
                            || matches!(w.raw, "now" | "instead")
                            || w.raw.starts_with(|c: char| c.is_ascii_digit())
                    }
                });
                if let Some(opening) = clause.first()
                    && (from..k).any(claim_at)
                    && !reports_here
                {
                    let stop = sentence.get(k).map_or(end, |w| w.start);
                    mood.claiming.push((opening.start, stop));
                }
                from = k + 1;
            }
        }
    }
    // "how long should a canary sit at 5% before we ramp to 100%?" reports
    // no change: it asks about canaries.
    let about_a_kind = statement
        && sentence
            .get(first)
            .is_some_and(|w| matches!(w.raw, "a" | "an" | "every" | "any"));
    // "any workspace will do for testing the new scoring job": a
    // verdict on any one of a kind, said for a new thing, is about that
    // thing; the kind is only what serves it.
    if asks_in_general || generic_claim || (((about_a_kind && !new_told) || conditional) && !dated)
    {
        mood.reports = false;
    }
    mood.reports |= reported_before;
}

#[cfg(test)]
mod tests {
    //! Sentence mood read with the team's lexicon: these phrases say what a
    //! sentence does whatever the rules are.

    use std::sync::LazyLock;

    use super::*;

    static KB: LazyLock<crate::kb::KnowledgeBase> =
        LazyLock::new(|| crate::kb::KnowledgeBase::embedded().expect("the knowledge base loads"));

    fn mood(text: &str) -> Mood {
        super::super::analyse(&KB.engine, text, &[]).1
    }

    fn general_at(text: &str, word: &str) -> bool {
        mood(text).is_general_at(text.find(word).expect("the word is in the text"))
    }

    #[test]
    fn else_limits_a_general_word_to_the_rest_of_this_change() {
        let m = mood("optimizer adam to sgd, everything else same");
        assert!(!m.claims && m.general.is_empty());
        // Likened to all other cases, it still speaks of them.
        assert!(general_at(
            "no, it goes through staging like everything else",
            "like"
        ));
    }

    #[test]
    fn a_kind_named_with_its_modifiers_is_judged() {
        let m = mood("green unit tests mean the system works, end of story");
        assert!(m.claims && !m.reports && m.general.len() == 1);
        // "if this is" is no kind of thing.
        let asked =
            "sorry if this is a dumb one, but where are the integration tests supposed to run?";
        assert!(mood(asked).general.is_empty());
    }

    #[test]
    fn a_gerund_judged_a_few_words_after_is_claims() {
        let m = mood(
            "swapping the optimizer is the trainer's business, nothing at serving time goes through it",
        );
        assert!(m.claims && !m.reports);
    }

    #[test]
    fn bother_anywhere_in_a_why_question_argues() {
        let m = mood(
            "why do people still bother with integration runs when every function has coverage?",
        );
        assert!(m.argues && !m.asks);
        assert!(mood("why do we run integration tests in staging?").asks);
    }

    #[test]
    fn a_kind_of_change_in_a_question_covers_the_change_words_after_it() {
        // "retraining" after the kind named first is part of that kind.
        let m = mood(
            "when a model's hyperparameters change, does that need anything beyond retraining it?",
        );
        assert!(m.asks && !m.mentions_change && !m.reports);
        // A participle after "gets" is the present: what happens each time.
        let m = mood("if a dependency like scikit-learn gets bumped, which stage catches it?");
        assert!(m.asks && !m.mentions_change && !m.reports);
        // The writer's own change stays one.
        assert!(mood("I bumped scikit-learn. which stage catches it?").reports);
    }

    #[test]
    fn new_set_against_same_in_a_claim_is_its_premise() {
        let m = mood("same code, new data, so the weekly retrain really doesn't need any checks");
        assert!(m.claims && !m.reports);
        // Outside a claim, or with no "same" beside it, "new" still tells.
        assert!(mood("new data for the churn model, same code").reports);
        assert!(mood("new column in the features table, nothing to check").reports);
    }

    #[test]
    fn a_contracted_question_word_asks_without_a_question_mark() {
        let m = mood("what's the difference between the dev and staging workspaces");
        assert!(m.asks && !m.argues);
        // Without the contraction, a subject after the question word opens
        // the subject of a claim.
        assert!(!mood("what the team runs in staging is theater").asks);
        // "like" before the question word, and an auxiliary after it, leave
        // the question a question.
        let m = mood("like what does prod check that staging can't");
        assert!(m.asks && !m.argues);
    }

    #[test]
    fn a_question_after_a_condition_asks_without_a_question_mark() {
        let m = mood("when someone changes the tokenizer, which tests are meant to catch it");
        assert!(m.asks && !m.argues);
        // A condition followed by a verdict, not an inverted question, claims.
        assert!(!mood("when all unit tests pass, what we ship is fine").asks);
    }

    #[test]
    fn a_test_asked_for_is_written_not_changed() {
        let m = mood("what kind of test do I write for a function that parses dates?");
        assert!(m.asks && !m.mentions_change && !m.says_change);
        // A change verb with another object still says a change.
        assert!(mood("which tests should I add now that I changed the tokenizer?").says_change);
    }

    #[test]
    fn writing_something_down_records_it() {
        let m = mood("trying to write this down for the onboarding doc");
        assert!(!m.says_change && !m.mentions_change);
        assert!(mood("I rewrote the tokenizer").says_change);
    }

    #[test]
    fn really_before_a_need_stresses_the_question() {
        let m = mood("do we really need a staging run for a batch-only job?");
        assert!(m.asks && !m.argues);
        // Before anything else it argues ("does it really matter where it runs?").
        assert!(mood("does it really matter where the tests run?").argues);
    }

    #[test]
    fn why_can_not_asks_about_a_thing_and_argues_for_a_person() {
        let m = mood("why can't unit tests catch training/serving skew?");
        assert!(m.asks && !m.argues);
        assert!(mood("why can't we just ship it to prod?").argues);
    }

    #[test]
    fn why_bother_with_a_thing_at_all_asks_what_it_is_for() {
        let m = mood("why bother with a separate test workspace at all?");
        assert!(m.asks && m.asks_purpose && !m.argues);
        // With a reason of its own it argues.
        let m = mood("why bother with staging at all when dev has the same data?");
        assert!(m.argues && !m.asks);
    }

    #[test]
    fn a_question_word_before_a_subject_without_a_question_mark_opens_a_claim() {
        let m = mood("where a test runs makes zero difference, a passing test is a passing test");
        assert!(!m.asks && m.claims);
        assert!(mood("where do the integration tests run?").asks);
    }

    #[test]
    fn to_after_a_verdict_permits_rather_than_intends() {
        let text =
            "nobody goes through our scoring output except us, so the columns are ours to rename";
        assert!(!mood(text).reports);
        assert!(mood("we are going to rename the column").reports);
    }

    #[test]
    fn a_lead_in_may_be_a_short_list_and_belongs_to_the_claim() {
        let text = "re-training the demand model with 2 extra weeks of sales. same repo, same config \u{2014} why would that need validation?";
        let m = mood(text);
        assert!(m.reports && m.argues && !m.asks);
        assert_eq!(
            m.claiming,
            vec![(text.find("same repo").unwrap(), text.len())]
        );
    }

    #[test]
    fn turned_with_a_particle_reports() {
        assert!(
            mood("turned the champion comparison in the validation job into warn-only").reports
        );
        assert!(!mood("the canary turned out fine").reports);
    }

    #[test]
    fn a_pointer_called_a_change_points_at_one() {
        let m = mood("it's only a config tweak so unit tests are plenty");
        assert!(m.reports && m.points_at);
        assert!(!mood("it's only a threshold").reports);
    }

    #[test]
    fn a_habit_of_someone_else_or_according_to_reports_a_belief() {
        assert_eq!(
            mood("Ravi keeps telling everyone the dev workspace is as good as staging")
                .reported
                .len(),
            1
        );
        assert_eq!(
            mood("according to Sam, retrains with the same code need no review")
                .reported
                .len(),
            1
        );
        assert!(
            mood("we was thinking to skip the staging")
                .reported
                .is_empty()
        );
    }

    #[test]
    fn a_need_denied_after_its_verb_claims() {
        let m = mood("a retrain with the same code needs no review");
        assert!(m.claims && m.denies);
    }

    #[test]
    fn what_a_clause_likens_a_thing_to_changes_nothing() {
        let m = mood("the test workspace feels like a speed bump");
        assert!(!m.reports && !m.mentions_change);
        assert!(mood("feels like a speed bump, so I bumped the timeout").reports);
    }

    #[test]
    fn a_word_after_new_describes_the_new_thing() {
        let m = mood("we now log the model with a signature that includes the new optional field");
        assert!(m.reports && !m.claims);
        assert!(mood("the staging run is optional for this kind of change").claims);
    }

    #[test]
    fn a_perfect_tense_whose_participle_lost_its_ending_reports() {
        assert!(mood("I have only change the comments in the code").reports);
        assert!(mood("we has already fix the bug in the parser").reports);
        // Only "have" makes a perfect: "is only double work" describes.
        assert!(!mood("the integration test is only double work").reports);
    }

    #[test]
    fn a_sentence_about_all_cases_is_general() {
        assert!(general_at(
            "my rule: every PR triggers a canary. only way to be safe",
            "canary"
        ));
        assert!(general_at(
            "canaries are a luxury for teams with traffic",
            "canaries"
        ));
        assert!(!general_at("let's promote v9 to prod", "promote"));
        // the same sentence shape about one occasion
        assert!(!general_at(
            "hotfix goes to prod today because the job crashes every night",
            "prod"
        ));
    }

    #[test]
    fn a_question_about_no_particular_thing_is_general() {
        assert!(general_at(
            "how long should a canary sit at 5% before we ramp to 100%?",
            "canary"
        ));
        assert!(!general_at(
            "what's required before we flip the alias for the LTV model?",
            "alias"
        ));
        assert!(!mood("is a hyperparameter change ever really training-only?").mentions_change);
        assert!(mood("do I need release gates for a learning rate change?").mentions_change);
    }

    #[test]
    fn a_question_about_what_is_acceptable_is_general() {
        assert!(general_at(
            "when is it OK to only write unit tests and skip the end-to-end run?",
            "end-to-end"
        ));
        assert!(
            !mood("when is it OK to only write unit tests and skip the end-to-end run?")
                .mentions_change
        );
    }

    #[test]
    fn someone_elses_belief_answered_by_a_contrast_is_reported() {
        for text in [
            "people say offline AUC is enough, but our last two wins lost money online",
            "Sam said unit tests are plenty for the new join, but the join key changed type",
        ] {
            let m = mood(text);
            assert!(!m.reported.is_empty(), "{text}: {m:?}");
        }
    }

    #[test]
    fn who_needs_argues_unless_it_asks_who_must_act() {
        assert!(mood("who needs a canary when the backtest looks this good").claims);
        assert!(mood("who cares where the tests run?").claims);
        assert!(!mood("who needs to sign off on the promotion?").claims);
    }

    #[test]
    fn a_rhetorical_question_that_names_a_setting_mentions_its_change() {
        // A named setting or a value makes the question about one change.
        for text in [
            "why would raising max_depth need a staging run?",
            "why would changing the tokenizer's max_len need staging?",
            "how could raising max_depth to 10 possibly affect inference latency?",
        ] {
            let m = mood(text);
            assert!(m.claims, "{text}");
            assert!(m.asking.is_empty(), "{text}");
            assert!(m.mentions_change, "{text}");
            assert!(m.general.is_empty(), "{text}");
        }
        // One about a kind of change stays general.
        let m = mood("why would a param tweak need more than a retrain?");
        assert!(!m.mentions_change);
        assert!(!m.general.is_empty());
        // "possibly" far from the question word argues only after a modal.
        assert!(!mood("what does the new job possibly change?").claims);
    }

    #[test]
    fn a_rhetorical_why_argues_rather_than_asks() {
        let m = mood("why would a param tweak need anything beyond a retrain?");
        assert!(m.claims);
        assert!(m.asking.is_empty());
        let m = mood("why did the prod alias move last night?");
        assert!(!m.claims);
        assert_eq!(m.asking.len(), 1);
    }

    #[test]
    fn a_question_word_followed_by_a_word_that_argues_is_rhetorical() {
        for text in [
            "who on earth would be reading our scoring output besides the dashboard?",
            "who really checks whether the recall floor is 0.8 or 0.75?",
            "does it really matter which environment the tests run in?",
        ] {
            let m = mood(text);
            assert!(m.claims && m.argues && !m.asks, "{text}");
            assert!(m.is_claiming_at(0), "{text}");
        }
        // "why" before a bare verb argues; before an auxiliary it asks.
        assert!(mood("why test a model when only the data moved?").argues);
        assert!(mood("why do we test the model in staging?").asks);
        // The same question word without one asks.
        for text in [
            "who reads our scoring output?",
            "what exactly should an integration test cover in an ML repo?",
            "do we even need integration tests if we only ever do batch inference?",
        ] {
            let m = mood(text);
            assert!(m.asks && !m.argues, "{text}");
        }
    }

    #[test]
    fn a_position_label_before_a_colon_makes_what_follows_general() {
        let text =
            "proposal: from next sprint we rely on the unit suite alone and retire the e2e job";
        let m = mood(text);
        assert!(m.claims && !m.reports);
        assert!(m.is_general_at(text.find("retire").unwrap()));
        assert!(mood("our lead's motto: 'empty diff, empty test plan'").claims);
        // A change proposed under such a label is one change.
        let m = mood("proposal: add a `days_since_last_order` column to the customer features");
        assert!(m.reports && !m.claims);
        // A label that presents no position heads a report as before.
        let m = mood("fix: clamp_scores() now returns 0 for empty input");
        assert!(m.reports && !m.claims);
    }

    #[test]
    fn what_a_comparison_likens_a_thing_to_points_at_nothing() {
        assert!(
            !mood("hyperparameters are like my gym membership, they only matter at training")
                .points_at
        );
        assert!(mood("my PR bumps the learning rate").points_at);
    }

    #[test]
    fn what_is_said_of_any_change_speaks_of_all_of_them() {
        // A canary named in such a sentence is a standard, not a release.
        let text = "I don't trust any change, even renaming a variable, until it has gone through a canary in prod";
        assert!(general_at(text, "canary"));
        // Without a verdict, or in a question, "any" is some one.
        assert!(!general_at(
            "shadow deploy it in prod for a week before we switch any traffic",
            "shadow"
        ));
        assert!(!general_at(
            "will you send any traffic to it in prod?",
            "traffic"
        ));
        // What a past verb did to "any" happened once.
        assert!(!general_at(
            "we haven't touched the schema, nor changed any code in prod",
            "prod"
        ));
    }

    #[test]
    fn a_plan_to_skip_tests_denies_a_need_for_them() {
        for text in [
            "retrained the ltv model on Q3 data, no code diff, so skipping validation this time",
            "the repo is untouched so we can skip data validation, yeah?",
            "I'll skip the serving smoke test since only the trainer reads that value",
        ] {
            assert!(mood(text).denies, "{text}");
        }
        // What was skipped happened; a question about skipping asks.
        assert!(!mood("the flaky test was skipped in CI last night").denies);
        assert!(!mood("when is it OK to skip the end-to-end run?").denies);
    }

    #[test]
    fn what_a_reason_says_of_all_cases_does_not_make_a_rule() {
        let text = "making the fairness check non-blocking because the new segment trips it every single time";
        let m = mood(text);
        assert!(m.reports);
        assert!(!m.is_general_at(text.find("making").unwrap()));
        // Before the reason, it still does.
        assert!(mood("we always retrain because the data drifts").claims);
    }

    #[test]
    fn a_clause_that_opens_with_a_question_word_and_is_given_a_verdict_claims() {
        let m = mood("where the tests run is an infra detail, not a testing concern");
        assert!(m.claims && !m.asks);
        // With a `?`, or with no verdict, it still asks.
        assert!(mood("where do the tests run, is that a detail?").asks);
        assert!(mood("what the gate checks is listed where?").asks);
    }

    #[test]
    fn a_past_verb_whose_subject_is_nothing_reports_no_change() {
        let m = mood("nothing changed in the repo, so the new training data can't break anything");
        assert!(!m.reports && m.claims);
        assert!(mood("the schema changed in the repo").reports);
    }

    #[test]
    fn a_need_denied_after_the_thing_denies_it_whatever_else_is_reported() {
        let m = mood(
            "v5 beats v4 on the holdout, promoting it to prod this afternoon, no canary needed",
        );
        assert!(m.reports && m.denies);
        assert!(mood("no point in a staging run, dev is the same").claims);
    }

    #[test]
    fn an_activity_called_our_business_is_judged() {
        let m =
            mood("renaming columns in our own output table is our call, no need to warn anyone");
        assert!(m.claims && !m.reports);
    }

    #[test]
    fn a_clause_that_claims_beside_one_that_reports_claims_on_its_own() {
        let text =
            "dropped the raw column from the predictions export, nobody should be using it anyway";
        let m = mood(text);
        assert!(m.reports);
        assert!(m.is_claiming_at(text.find("nobody").unwrap()));
        assert!(!m.is_claiming_at(text.find("dropped").unwrap()));
        // "anything new" names no new thing.
        let text = "it worked on my laptop, a run against the staging stream won't tell us anything new, so I'm merging today";
        assert!(mood(text).is_claiming_at(text.find("staging").unwrap()));
        // A clause with a change word or a value of its own still reports.
        let text = "bumped dropout, setting it to 0.3 is always fine";
        assert!(!mood(text).is_claiming_at(text.find("setting").unwrap()));
    }

    #[test]
    fn a_change_played_down_without_its_pointer_is_reported() {
        // The pointer and copula of "it's just a README fix" left out.
        let m = mood("just a README fix but Dana wants the full staging e2e before we merge");
        assert!(m.reports && m.points_at);
        assert!(mood("only a docstring tweak").reports);
        // A thing that is no change is still judged.
        assert!(!mood("just a number").reports);
    }

    #[test]
    fn a_release_denied_for_now_claims_nothing() {
        assert!(!mood("nothing ships this week").claims);
        assert!(!mood("no deploys on friday").claims);
        // A second negation after the release word states a rule.
        assert!(mood("nothing ships without a canary").claims);
    }

    #[test]
    fn where_nothing_moved_bounds_the_change() {
        assert!(!mood("Nothing in `src/`.").claims);
        assert!(!mood("tests only, nothing in src").claims);
        assert!(mood("nothing in prod is ever safe").claims);
    }

    #[test]
    fn a_modal_before_a_bare_verb_lost_its_subject() {
        assert!(!mood("Should be a quick one").asks);
        assert!(mood("should we run staging for this").asks);
    }

    #[test]
    fn a_thing_played_down_with_a_copula_is_judged() {
        let text =
            "relaxed the latency bound in the model gate so v8 can pass, it's only a threshold";
        assert!(mood(text).is_claiming_at(text.find("only").unwrap()));
        assert!(mood("that's just a training concern").claims);
        assert!(mood("just a number").claims);
        let text = "releasing the churn model to prod on monday, backtest looked great so monitoring can wait";
        assert!(mood(text).is_claiming_at(text.find("monitoring").unwrap()));
        // "only" that says what changed judges nothing.
        assert!(!mood("the diff is only black reformatting").claims);
    }

    #[test]
    fn a_clause_that_says_when_reports_nothing() {
        let text = "the lead wants the full staging e2e before we merge, just in case";
        let m = mood(text);
        assert!(!m.reports);
        assert!(m.is_proposing_at(text.find("staging").unwrap()));
        // A past verb after "before" still reports.
        assert!(mood("fixed the join before we shipped v3").reports);
    }

    #[test]
    fn a_question_whether_tests_are_needed_proposes_them() {
        let text = "do we need a canary for this?";
        assert!(mood(text).is_proposing_at(text.find("canary").unwrap()));
        let text = "is a staging run required for the README fix?";
        assert!(mood(text).is_proposing_at(text.find("staging").unwrap()));
        // Stated, not asked: a need is no proposal.
        let text = "we need a canary for v9 before friday";
        assert!(!mood(text).is_proposing_at(text.find("canary").unwrap()));
    }

    #[test]
    fn ever_after_have_looks_back_and_speaks_of_no_other_case() {
        let text = "setting the alias to churn v9 since it has the best logloss we've ever seen";
        assert!(!mood(text).is_general_at(text.find("alias").unwrap()));
        assert!(mood("nothing ever breaks in staging").is_general_at(0));
    }

    #[test]
    fn data_declared_ours_is_claimed() {
        assert!(mood("it's our table, we'll reshape it however we want").claims);
        assert!(mood("the prediction output is ours").claims);
        // Owning a situation claims nothing.
        assert!(!mood("it's our real situation").claims);
    }

    #[test]
    fn a_schedule_is_not_a_generalisation() {
        assert!(!general_at(
            "retraining the model every sunday, promotion is automatic",
            "promotion"
        ));
        assert!(!general_at("we ship every 2 weeks", "ship"));
        assert!(general_at("we ship every model straight to prod", "ship"));
    }

    #[test]
    fn descriptions_and_idioms_report_nothing() {
        for text in [
            "a fixed bar only ever blocks models that are good enough",
            "a reworded log message needs no canary",
            "a staging workspace just doubles the terraform",
            "if anybody depended on it they would have told us by now",
        ] {
            assert!(!mood(text).reports, "{text}");
        }
        for text in [
            "fixed the parser",
            "just bump the lr",
            "the new encoder ships now",
        ] {
            assert!(mood(text).reports, "{text}");
        }
    }

    /// The specificity of the only sentence of `text`.
    fn spec(text: &str) -> Specificity {
        let m = mood(text);
        match (m.acted, m.definite, m.generic.is_empty()) {
            (true, _, _) => Specificity::Acted,
            (_, true, _) => Specificity::Definite,
            (_, _, false) => Specificity::Generic,
            _ => Specificity::Unmarked,
        }
    }

    #[test]
    fn specificity_tells_one_change_from_a_kind() {
        use Specificity::*;
        // Someone present acted, or a change verb in the past after a subject.
        assert_eq!(
            spec("do we need a canary if all we touched is a docstring?"),
            Acted
        );
        assert_eq!(
            spec("upstream changed the schema of the orders table"),
            Acted
        );
        assert_eq!(spec("anyone changed the embeddings model?"), Acted);
        // A definite referent in front of the reader.
        assert_eq!(spec("is a unit test enough for this?"), Definite);
        assert_eq!(spec("rc3 is tagged"), Definite);
        // A habit, an unnamed agent in a question, a condition with an
        // indefinite subject, an activity or a sameness with no agent.
        for generic in [
            "do dependency upgrades normally need the serving env tested?",
            "for seed or split changes in general, are unit tests enough?",
            "if a model gets retrained on last month's data and the code is untouched, what has to run?",
            "switching the optimizer from Adam to AdamW only affects training",
            "100% line coverage on the feature code means the pipeline works end to end",
            "same code + new data = same model",
            "lowering a validation threshold whenever a release is blocked is how everyone does it",
        ] {
            assert_eq!(spec(generic), Generic, "{generic}");
        }
        // An unnamed agent in a statement is one person; a value given with
        // "=" is no sameness; "split" is a noun, not a past verb.
        assert_ne!(
            spec("the pipeline deploys as soon as someone approves"),
            Generic
        );
        assert_ne!(
            spec("label definition change (fraud = chargeback within 90d, was 60d)"),
            Generic
        );
        assert_eq!(spec("for seed or split changes, what runs?"), Unmarked);
    }

    #[test]
    fn a_generic_sentence_neither_reports_nor_points() {
        // A value that moves in a sentence about a kind is an example.
        let m = mood(
            "do dependency upgrades (like mlflow 2 → 3) normally need the serving env tested too?",
        );
        assert!(!m.reports && !m.points_at && !m.mentions_change);
        // A statement about nothing in particular claims.
        let m = mood("switching the optimizer from Adam to AdamW only affects training");
        assert!(m.claims && !m.reports);
        // One's own change stays a change inside a condition.
        assert!(mood("do we need a canary if all we touched is a docstring?").mentions_change);
    }

    #[test]
    fn a_value_moves_to_a_version_or_a_new_cadence() {
        assert!(value_moves("@champ → v19 on the eta model"));
        assert!(value_moves("job schedule daily → hourly"));
        assert!(!value_moves("'verify one function' → which test?"));
        assert!(!value_moves("dev → staging → prod"));
        assert!(value_moves("PK change (user_id → user_id, ts)"));
        assert!(value_moves("cust_id -> customer_id"));
        assert!(!value_moves("lunch → pizza"));
    }

    #[test]
    fn a_clause_that_reports_is_not_hidden_by_a_doubt_in_the_next() {
        assert!(mood("member_features gets a new column, and I honestly don't know who else reads that table").reports);
        assert!(!mood("honestly the new version is a waste of time").reports);
    }

    #[test]
    fn before_what_comes_next_does_not_look_back() {
        let m =
            mood("literally the same commit, so no checks before the new version is registered");
        assert!(!m.reports && m.denies);
        assert!(mood("the new threshold, 0.4 before").reports);
    }

    #[test]
    fn a_question_about_what_a_stage_is_for_asks_its_purpose() {
        assert!(mood("what's the staging env for, really?").asks_purpose);
        assert!(mood("whats the point of a dev workspace if CI runs everything").asks_purpose);
        assert!(mood("what's the actual purpose of staging?").asks_purpose);
        assert!(!mood("which tests belong in prod?").asks_purpose);
        assert!(!mood("what needs to pass before prod? asking for a friend").asks_purpose);
    }

    #[test]
    fn what_a_past_verb_did_to_everything_happened_once() {
        let m = mood("the model passed everything in the test environment");
        assert!(!m.claims && m.general.is_empty());
        assert!(mood("we test everything everywhere").claims);
    }

    #[test]
    fn wondering_whether_asks_without_a_question_mark() {
        for text in [
            "wondering whether load testing the endpoint belongs in staging or in prod",
            "I wonder if the contract tests should hit the staging endpoint",
            "not sure if data validation runs in dev at all",
            "i need to know which stage runs the model validation gate",
            "does anyone know if shadow deploys count as release gating",
        ] {
            assert!(mood(text).asks, "{text}");
        }
        // "if" that opens a condition is no question.
        assert!(!mood("if the canary is green we ship").asks);
        assert!(!mood("we know which tests run in staging").asks);
        // A greeting before the question word is a filler.
        assert!(mood("hey, what's the point of a dev workspace").asks);
    }

    #[test]
    fn a_question_after_a_lead_in_asks_without_a_question_mark() {
        for text in [
            "generally speaking, is a unit test enough when a single helper function changes",
            "for unit tests on our spark feature code, is a local SparkSession ok",
            "newbie q - why do we have a separate staging workspace at all",
            "generally when someone bumps a library, which stages have to run what",
            "tbh I still don't get what 'test' means in dev, test and prod",
            "was wondering which stage load tests go in",
            "curious how you all gate retrains",
            // A condition is a lead-in too.
            "when the hyperparameters of a model change, is a unit test enough or do you need more",
            // A request to explain asks.
            "eli5 the difference between dev, staging and prod for ML testing",
            "if only the README changed, do we still need the e2e run",
        ] {
            assert!(mood(text).asks, "{text}");
        }
        // The word after the comma must invert: an imperative or a clause
        // that goes on telling is no question.
        for text in [
            "fixed the null check in `parse_ts()`, do the deploy after lunch",
            "bumped the lr to 3e-4, which made the loss curve smoother",
            "refactored the loader, is fine now",
            "bumped the lr, which is read by the serving job too",
            "moved it into the loader, where we keep the other transforms",
        ] {
            assert!(!mood(text).asks, "{text}");
        }
    }

    #[test]
    fn two_questions_joined_by_a_comma_ask_each() {
        let text = "where does the e2e pipeline test run, and does it block a prod release?";
        let m = mood(text);
        assert_eq!(m.asking.len(), 2);
        // The second asks about a release in general, not about one.
        let second = text.find("and does").expect("in the text");
        assert!(m.asking_in_general.iter().any(|s| s.0 == second));
        // A statement before the comma stays one.
        assert!(mood("bumped lr, and is a unit test enough?").reports);
    }

    #[test]
    fn a_courtesy_lead_in_before_but_hands_over_to_the_question() {
        let text = "sorry if this is obvious, but is a shadow deployment a test or a release step?";
        let m = mood(text);
        assert_eq!(m.asking.len(), 1);
        assert_eq!(
            m.asking[0].0,
            text.find("is a shadow").expect("in the text")
        );
        // A lead-in that tells a change is not a courtesy: the change stays.
        let m = mood("I bumped lr, but is a unit test enough?");
        assert!(m.reports);
    }

    #[test]
    fn i_owns_a_change_only_as_the_one_who_makes_it() {
        // The writer needs a test for a change of any kind: a general question.
        let m = mood("what kind of test do i need for a change to one helper function?");
        assert!(!m.kind_questions.is_empty() && !m.mentions_change);
        // The one who makes the change owns it.
        let m = mood("what kind of test do i need now that i change the helper function?");
        assert!(m.kind_questions.is_empty());
    }

    #[test]
    fn a_participle_after_a_names_a_kind_in_a_question() {
        let m = mood("whats the typical gate for a retrained model");
        assert!(!m.kind_questions.is_empty() && !m.reports);
        // Told in a statement, it still reports.
        assert!(mood("shipped a retrained model to staging").reports);
        // Before a bare plural, after a verb or a noun, it describes the
        // plural; after a speaker it tells an act.
        let m = mood("how do other teams gate retrained models?");
        assert!(!m.kind_questions.is_empty() && !m.reports);
        assert!(mood("we retrained models yesterday, what now?").reports);
    }

    #[test]
    fn a_question_may_open_after_a_lead_in() {
        let m = mood("per the guide, can a wall of green unit tests prove the system works?");
        assert_eq!(m.asking.len(), 1);
        assert!(mood("bumped lr, right?").asking.is_empty());
    }

    #[test]
    fn an_assumption_or_a_third_person_question_reports_a_belief() {
        let text = "guide trap: assuming a param change only affects training. what else?";
        assert!(!mood(text).reported.is_empty());
        let text = "why does the guide say config changes ripple beyond one function?";
        let m = mood(text);
        assert!(!m.reported.is_empty() && !m.mentions_change);
    }

    #[test]
    fn an_activity_given_a_verdict_is_a_claim_not_a_report() {
        for text in [
            "retraining on new data is just pressing a button, it doesn't need validating",
            "the validation gate is just red tape, setting it to dry run is harmless",
            "lowering the gate thresholds a bit now and then is no big deal, right?",
        ] {
            let m = mood(text);
            assert!(m.claims && !m.reports, "{text}");
        }
        // A clause that sets a value reports, whatever the next one claims.
        assert!(mood("setting run_mode to dry_run so deploys aren't blocked").reports);
        assert!(mood("bumped dropout, setting it higher is fine").reports);
    }

    #[test]
    fn a_claim_beside_a_report_is_a_sentence_of_its_own() {
        let text = "we plan to push the retrained model on monday. its backtest is better, so shadow traffic feels like overkill";
        let m = mood(text);
        assert!(m.reports);
        assert!(!m.is_claiming_at(text.find("push").unwrap()));
        assert!(m.is_claiming_at(text.find("backtest").unwrap()));
        // A question that opens with a question word asks about a belief.
        let text = "bumped lr. is a unit test enough?";
        assert!(!mood(text).is_claiming_at(text.find("unit").unwrap()));
    }

    #[test]
    fn a_question_about_what_a_thing_would_add_argues() {
        for text in [
            "mocks pass, so what would an e2e run add?",
            "what more could staging tell us?",
        ] {
            let m = mood(text);
            assert!(m.claims && m.argues && !m.asks, "{text}");
        }
        // "does" asks what a thing does add: "what does this PR add?".
        for text in [
            "what would the e2e run catch?",
            "what does staging check?",
            "what does this PR add?",
        ] {
            assert!(mood(text).asks, "{text}");
        }
    }

    #[test]
    fn a_statement_with_a_tag_holds_what_it_states_about_a_change() {
        let text =
            "moved the resize into the shared lib. it's the same test wherever it runs, right?";
        assert!(mood(text).is_claiming_at(text.find("same").unwrap()));
        // Alone, it may only ask for a confirmation.
        let text = "data validation belongs in staging, right?";
        let m = mood(text);
        assert!(!m.is_claiming_at(text.find("staging").unwrap()) && m.asks);
        // One that reports is not a claim.
        let text = "we bumped lr on the ranker, right?";
        assert!(!mood(text).is_claiming_at(text.find("lr").unwrap()));
    }

    #[test]
    fn a_claim_with_a_tag_argues_rather_than_asks() {
        for text in [
            "each module has its own tests, isn't an end-to-end run redundant?",
            "canaries are overkill when the offline eval is solid, aren't they?",
            "a bigger learning rate won't affect the endpoint, will it?",
        ] {
            let m = mood(text);
            assert!(m.claims && !m.asks, "{text}");
        }
        // A rhetorical "why bother" argues too; like a question, it is
        // still about the change it mentions.
        let m = mood("why bother with staging for the new memory limits?");
        assert!(m.claims && m.argues && m.mentions_change && !m.asks);
        // One about a kind of change mentions none in particular.
        let m = mood("why would a param tweak need anything beyond kicking off a retrain?");
        assert!(m.claims && m.argues && !m.mentions_change);
        for text in [
            "in which environment should the integration run happen?",
            "if the stem says 'integration test', what's the strong reading?",
            "no code changes?",
            "the retrain job auto-promotes the new version - what should the gate check?",
            "the nightly retraining pipeline will pick up the new month of data, anything to test?",
        ] {
            assert!(mood(text).asks, "{text}");
        }
    }

    #[test]
    fn a_relative_that_points_at_nothing() {
        assert!(general_at(
            "do we really need a shadow deployment for a batch model that nobody consumes in real time?",
            "shadow"
        ));
        assert!(general_at(
            "are there tests that should only ever run in prod?",
            "tests"
        ));
        // "that" standing for something points at it
        assert!(!general_at(
            "is that shadow deployment really needed?",
            "shadow"
        ));
    }

    #[test]
    fn how_something_that_happened_turned_out_is_no_claim() {
        for text in [
            "the staging deploy of the new ranker went fine",
            "the backfill ran fine overnight",
            "the shadow run worked fine on the replay",
        ] {
            assert!(!mood(text).claims, "{text}");
        }
        assert!(mood("skipping staging is fine for a hotfix").claims);
        assert!(mood("a bigger model is always better").claims);
    }

    #[test]
    fn a_question_about_which_stage_asks_where_a_kind_of_work_belongs() {
        // A preposition before the question word opens the question.
        let text = "in which environment do we check the model against the champion?";
        assert_eq!(mood(text).asking.len(), 1);
        assert!(general_at(text, "champion"));
        assert!(general_at(
            "where does the comparison against the champion belong?",
            "champion"
        ));
        // A version named is one release.
        assert!(!general_at(
            "which stage does the churn model v9 go to first?",
            "v9"
        ));
        // Other questions about a definite thing stay particular.
        assert!(!general_at(
            "what's required before we flip the alias for the LTV model?",
            "alias"
        ));
    }

    #[test]
    fn a_clause_of_time_with_nobody_acting_says_when_not_what_changed() {
        for text in [
            "what exactly does the validation gate check before a new version becomes champion?",
            "what does the validation task check before the champion alias moves?",
            "what should happen to the old version after a retrain replaces the champion?",
        ] {
            assert!(!mood(text).mentions_change, "{text}");
        }
        for text in [
            "do I need to rerun the gate after I change the lr?",
            "what do we run after the lr change?",
            "Is integration testing needed when only the evaluation metric's code changes?",
            "what do we rerun after the schema changes?",
        ] {
            assert!(mood(text).mentions_change, "{text}");
        }
    }

    #[test]
    fn a_question_about_a_kind_of_change_mentions_none() {
        for text in [
            "is a unit test enough when someone changes the packaging of the model artifact?",
            "do config-only changes (like a new threshold in the yaml) need more than unit tests?",
            "do we need an end-to-end run for a change that only touches the README?",
            "when we change the learning rate, which stages have to run what?",
            "do schema migrations usually get an e2e run in staging?",
        ] {
            let m = mood(text);
            assert!(!m.mentions_change && m.says_change, "{text}");
            assert!(!m.kind_questions.is_empty(), "{text}");
        }
        // The writer's own change, a past form, a particular thing after the
        // noun, a definite subject of the clause.
        for text in [
            "I changed the packaging of the model artifact, is a unit test enough?",
            "do we need integration tests for a change to the tokenizer vocab?",
            "is the staging run required when the diff only touches files under tests/?",
        ] {
            assert!(mood(text).mentions_change, "{text}");
        }
    }

    #[test]
    fn a_question_says_a_change_of_any_kind_but_not_any_point() {
        assert!(mood("are unit tests enough when you change hyperparameters?").says_change);
        assert!(mood("do we need e2e tests for a config change?").says_change);
        assert!(!mood("is there any point running integration tests in dev?").says_change);
        assert!(!mood("what's the point of a dev workspace?").says_change);
    }

    #[test]
    fn a_citing_label_reports_what_follows_and_a_lead_in_hands_over() {
        let text = "guide trap: using unit tests to stand in for whole-system confidence. what's the better rule?";
        let m = mood(text);
        assert!(m.is_reported_at(text.find("using").expect("in the text")));
        assert!(!m.is_reported_at(text.find("better").expect("in the text")));
        // A position label makes what follows general, not someone else's.
        let text = "proposal: we rely on the unit suite alone";
        assert!(!mood(text).is_reported_at(text.find("rely").expect("in the text")));
        assert!(!mood("everyone's asking me this: who decides what goes to prod?").personal);
        assert!(mood("I was asking: can we ship v9 today?").personal);
        assert!(
            !mood("not a change, just curious: which tests block a prod release?").mentions_change
        );
    }

    #[test]
    fn what_a_thing_is_meant_worth_or_needed_for_asks_its_purpose() {
        assert!(mood("is the staging workspace meant for load tests or smoke runs?").asks_purpose);
        assert!(mood("do we even need a dev environment when CI runs pytest?").asks_purpose);
        assert!(mood("why is there a prod stage at all if we gate in staging?").asks_purpose);
        assert!(mood("what's the test stage supposed to prove?").asks_purpose);
        assert!(mood("does the small sample make the staging run pointless?").asks_purpose);
        assert!(!mood("what tests are supposed to run in staging?").asks_purpose);
        assert!(!mood("do we need a staging run for a config flag?").asks_purpose);
        assert!(
            !mood("what does prod add that dev doesn't, from a release point of view?")
                .asks_purpose
        );
    }

    #[test]
    fn for_that_ends_its_clause_asks_a_purpose() {
        assert!(mood("real question: what's staging for if we already have CI?").asks_purpose);
        assert!(mood("what is the dev workspace for, really?").asks_purpose);
        assert!(!mood("what tests run for the ranker in staging?").asks_purpose);
    }

    #[test]
    fn any_point_in_the_role_of_or_why_we_keep_a_stage_asks_its_purpose() {
        assert!(mood("is there any point in a staging env for batch jobs?").asks_purpose);
        assert!(mood("what's the role of the test environment?").asks_purpose);
        assert!(!mood("can we point the alias in staging at v12?").asks_purpose);
        assert!(mood("why do we even have a staging env?").asks_purpose);
        assert!(mood("what's the best way to explain why staging exists?").asks_purpose);
        assert!(!mood("why does staging fail so often?").asks_purpose);
    }

    #[test]
    fn the_before_a_role_or_a_measure_names_no_particular_thing() {
        for (text, word) in [
            (
                "what's the minimum we must check before a hotfix goes to prod?",
                "hotfix",
            ),
            (
                "what does the gate compare a brand-new model against?",
                "gate",
            ),
        ] {
            assert!(general_at(text, word), "{text}");
        }
        // A particular model or a version tag points at one release.
        assert!(!general_at(
            "what's required before we flip the alias for the LTV model?",
            "alias"
        ));
        assert!(!general_at(
            "what has to pass before @champion moves to v31 in prod?",
            "champion"
        ));
        // A share is no version.
        assert!(general_at(
            "how long should a canary sit at 5% before we ramp to 100%?",
            "canary"
        ));
    }

    #[test]
    fn a_day_named_dates_one_occasion() {
        // A plan on a condition, dated, is one release, not a rule.
        let text = "if the backtest holds up, we'll ship demand model v3 to prod on thursday";
        assert!(!general_at(text, "ship"));
        // A question about what is acceptable, on one day, asks about that day.
        assert!(!general_at(
            "would it be ok to put the new OCR model live for the EU tenants on monday?",
            "live"
        ));
        assert!(general_at(
            "is it ok to put a model live on a friday?",
            "live"
        ));
        let m = mood("v23 goes to prod EOD");
        assert!(m.points_at && m.reports);
        // A schedule or a greeting dates nothing.
        assert!(!mood("the ranker retrains every monday").points_at);
        assert!(!mood("happy friday all, the demo was a hit").points_at);
    }

    #[test]
    fn what_any_one_of_a_kind_will_do_is_a_rule() {
        assert!(general_at(
            "any cluster will do for the test run, right?",
            "cluster"
        ));
        assert!(!general_at("a new model will go live tomorrow", "model"));
    }

    #[test]
    fn a_need_denied_is_a_claim() {
        assert!(mood("only our own models read it, no need to check consumers").claims);
        assert!(!mood("we need a new column for the churn model").claims);
    }

    #[test]
    fn an_imperative_forbids_and_denies_nothing() {
        for text in [
            "please don't, that gate is what keeps bad models out",
            "don't skip staging",
        ] {
            let m = mood(text);
            assert!(!m.denies, "{text}");
        }
        assert!(mood("we don't need staging for this").denies);
    }

    #[test]
    fn a_claim_about_a_kind_of_thing_is_general() {
        let m = mood("a table that lives in our own schema is only read by our own jobs");
        assert!(m.claims);
        assert!(!m.general.is_empty());
        // A kind named by two nouns, with examples before its verdict.
        let m =
            mood("tuning knobs like depth or learning rate are the data scientists' playground");
        assert!(!m.general.is_empty() && !m.reports);
        assert!(
            mood("updated weights are in the registry")
                .general
                .is_empty()
        );
        // a kind of thing, or a condition: no change reported
        assert!(!mood("a table in our own schema is ours to change").reports);
        // one occasion narrated, as exam prose sets a scene
        assert!(!general_at(
            "A team is about to move a retrained model from staging into production. Which checks?",
            "production"
        ));
        assert!(
            !mood("if someone downstream reads it without telling us, that's their problem")
                .reports
        );
        // A prediction inside a claim points at nothing in particular.
        assert!(!mood("whatever passes in dev will pass in prod, honestly").points_at);
        assert!(mood("it will go out tomorrow").points_at);
    }

    #[test]
    fn a_sentence_that_opens_with_a_condition_states_a_rule() {
        assert!(general_at(
            "if the upstream team changes their source tables that's on them",
            "changes"
        ));
        // addressed to the listener: what one action of theirs will do
        assert!(!general_at(
            "if you approve it the rule deploys it to the prod endpoint",
            "deploys"
        ));
        assert!(!general_at("if the tests pass we ship it today", "ship"));
    }

    #[test]
    fn what_someone_else_holds_is_reported_not_done() {
        let text = "someone on the team says changing model params only affects training";
        let m = mood(text);
        assert!(!m.mentions_change && !m.reports);
        assert!(m.is_reported_at(text.find("changing").expect("in the text")));
        // the insurance noun is no verb of belief, and "I think" hedges a report
        assert!(mood("I think we bumped the lr for the claims model").reports);
    }

    #[test]
    fn a_present_tense_change_with_where_it_goes_reports() {
        for text in [
            "the nightly scores table switches from one row per account to one per product",
            "the online store moves to DynamoDB",
            "the fbank front end goes from 80 to 128 mel bins",
        ] {
            assert!(mood(text).reports, "{text}");
        }
        for text in [
            "the job goes through staging first",
            "if the table moves to DynamoDB we retest",
            "a model always moves from staging to prod",
        ] {
            assert!(!mood(text).reports, "{text}");
        }
    }

    #[test]
    fn general_sentences_claim_and_report_nothing() {
        let m = mood("a model that wins on the holdout set wins the A/B test. every time");
        assert!(m.claims);
        assert!(!m.reports);
        let m = mood("bumped lr to 3e-4 for the ranker");
        assert!(m.reports);
        assert!(m.general.is_empty());
    }

    #[test]
    fn a_learners_bare_verb_after_a_named_subject_reports() {
        assert!(mood("the model retrain with the new data of this month").reports);
        assert!(mood("the model retrain with the new data of this month, code is same so i think not need any test").reports);
        // An adjective before it makes the verb a noun.
        assert!(!mood("the weekly retrain on sunday is a waste of compute").reports);
    }

    #[test]
    fn a_third_person_that_lost_its_ending_reports_a_belief() {
        assert!(
            !mood("my colleague he say we don't need to test the serving")
                .reported
                .is_empty()
        );
        assert!(
            !mood("our lead say unit tests are enough")
                .reported
                .is_empty()
        );
        assert!(mood("I say unit tests are enough").reported.is_empty());
        // A stray auxiliary, and a subject of two words after the possessive.
        assert!(
            !mood("our data scientist is say max_depth only affects training")
                .reported
                .is_empty()
        );
        // One person named by a determiner and a noun, "is" and a belief
        // word; the writer's own conviction stays theirs.
        assert!(
            !mood("a teammate is convinced that dropout only matters for training")
                .reported
                .is_empty()
        );
        assert!(
            mood("I am convinced that dropout only matters for training")
                .reported
                .is_empty()
        );
    }

    #[test]
    fn a_sentence_that_only_asks_whether_the_last_holds_is_its_tag() {
        for text in [
            "my lead says unit tests are enough for the ranker. is it true?",
            "my manager says unit tests are enough for the ranker. What you think?",
            "our DS says params only affect training. He is right?",
        ] {
            let m = mood(text);
            assert!(m.argues && !m.asks, "{text}");
        }
        // A question of its own still asks.
        assert!(mood("my lead says unit tests are enough. what's wrong with that?").asks);
    }

    #[test]
    fn new_said_of_a_person_reports_nothing() {
        assert!(
            !mood("what is the difference between unit and integration tests? I am new").reports
        );
        assert!(mood("we are change the lr").reports);
    }

    #[test]
    fn an_adverb_between_the_speaker_and_a_bare_verb_still_reports() {
        assert!(mood("i only change the docstring of clean_zip, nothing else").reports);
        assert!(mood("we also bump the lr to 3e-4 on the ranker").reports);
    }

    #[test]
    fn an_identifier_is_no_kind_of_thing() {
        assert!(!mood("n_estimators is 800 on the churn xgb").claims);
        assert!(mood("feature tables belong to whoever builds them").claims);
    }

    #[test]
    fn a_why_question_about_a_need_that_gives_what_meets_it_argues() {
        let m = mood("why we need the integration test if all unit test are passing?");
        assert!(m.argues && !m.asks);
        assert!(mood("why do we need staging?").asks);
    }

    #[test]
    fn a_closing_is_it_correct_is_a_tag() {
        let m = mood("we don't need to test the serving for a param change, is it correct?");
        assert!(m.argues && !m.asks);
        let m = mood("the lead says no need to retest, it's true?");
        assert!(m.argues && !m.asks);
        // A question of its own is still asked.
        assert!(mood("which tests do we need, is staging enough?").asks);
    }

    #[test]
    fn someone_elses_belief_after_a_comma_is_a_sentence_of_its_own() {
        let m = mood(
            "the model is same code but retrain with data of october, my colleague say no need test because code not change, is true?",
        );
        assert!(m.mentions_change && !m.reported.is_empty());
    }

    #[test]
    fn a_plural_after_a_determiner_is_particular_not_a_kind() {
        assert!(
            mood("the changes are only in the README")
                .general
                .is_empty()
        );
        assert!(
            mood("these changes are only in the README")
                .general
                .is_empty()
        );
        assert!(
            !mood("feature tables belong to the platform team")
                .general
                .is_empty()
        );
        assert!(
            !mood("tuning knobs are the data scientists business")
                .general
                .is_empty()
        );
    }

    #[test]
    fn instead_reports_unless_its_own_clause_claims() {
        assert!(mood("the batch size i put 64 instead of 32, so serving is not affect").reports);
        assert!(!mood("a canary instead of a staging run is always fine").reports);
    }

    #[test]
    fn a_clause_quoted_whole_in_a_question_reports_nothing() {
        let m = mood(
            "guide row: 'feature path through training and deployment changed'. what's the better first move?",
        );
        assert!(!m.reports && !m.mentions_change);
        // The writer's own words, quoted, still report.
        assert!(
            mood("my commit message says 'bumped lr to 3e-4 for the ranker', ok to merge?").reports
        );
        // "don't" and "the guide's" open no quote.
        assert!(quoted_clauses("don't the guide's rows say it? it's fine").is_empty());
    }

    #[test]
    fn a_sentence_whose_subject_is_a_trap_cites_it() {
        let text =
            "the trap about unit tests standing in for the whole system: what's the better rule?";
        assert!(mood(text).is_reported_at(text.find("unit").expect("in the text")));
        assert!(mood(text).is_naming_a_trap_at(text.find("unit").expect("in the text")));
    }

    #[test]
    fn a_verb_after_that_opens_a_relative_clause() {
        let text = "who owns the gate that decides if a new model version goes live?";
        assert!(!mood(text).reports);
        assert!(general_at(text, "goes live"));
    }

    #[test]
    fn a_questions_lead_in_is_part_of_its_general_span() {
        assert!(general_at(
            "after a model goes live, what keeps testing it?",
            "goes live"
        ));
    }
}
