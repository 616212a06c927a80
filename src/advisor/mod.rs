//! The advisor: free text in, test-scope advice out. Pure functions, no I/O.
//!
//! Steps: clean Slack markup, tokenize and stem, repair typos, fold synonyms
//! into concepts, mark negated clauses, find rule signals and file paths, then
//! combine the rules that fired. The combination follows the study guide's
//! decision order: the union of every scope the change needs, with the deepest
//! one as the primary scope.

mod code_units;
mod decision;
pub(crate) mod lexicon;
pub(crate) mod matcher;
pub mod model;
mod mood;
mod negation;
pub(crate) mod paths;
mod readers;
pub(crate) mod renames;
mod template;
pub(crate) mod text;
mod thread;

use std::borrow::Cow;

use rustc_hash::FxHashMap;
use serde::Serialize;

use lexicon::{BREAK, COMMA, Item, NUMBER, UNKNOWN, class};
use matcher::{Hit, Reach};
use model::{Engine, RuleKind, Subject};
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

/// What kind of message the advisor took the text to be. The answer is
/// worded for it: a verdict for a change, a definition for a question, a
/// reminder for a belief.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Reading {
    /// A specific change, with or without a belief or question about it.
    Change,
    /// A general question about testing, stages or scopes.
    Question,
    /// A claim that reveals a trap, with no specific change.
    Belief,
    /// Nothing the advisor has advice for.
    Nothing,
}

impl Reading {
    pub const NAMES: [&'static str; 4] = ["change", "question", "belief", "nothing"];

    pub fn name(self) -> &'static str {
        match self {
            Reading::Change => "change",
            Reading::Question => "question",
            Reading::Belief => "belief",
            Reading::Nothing => "nothing",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "change" => Some(Reading::Change),
            "question" => Some(Reading::Question),
            "belief" => Some(Reading::Belief),
            "nothing" => Some(Reading::Nothing),
            _ => None,
        }
    }
}

/// The advisor's answer. Lists are in the knowledge base's order (scopes from
/// smallest to deepest, components along the pipeline), so the same input
/// always renders the same way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Advice {
    pub reading: Reading,
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
    /// How many of `checks` (and of `why`) come from the primary rule of a
    /// change, the first of the rules that set the primary scope: the
    /// checks and reasons of those rules lead both lists, and a rendered
    /// answer never folds the primary rule's away. 0 for a question, a
    /// belief or nothing.
    #[serde(skip)]
    pub lead_checks: usize,
    #[serde(skip)]
    pub lead_reasons: usize,
    /// Clarifications the answer depends on.
    pub notes: Vec<String>,
    /// Set when an escalating risk factor deepened the scope.
    pub escalated: bool,
    /// How the answer was decided, step by step.
    pub trace: Vec<String>,
}

impl Advice {
    /// True when the advice includes a release gate.
    pub fn is_release_gating(&self, engine: &Engine) -> bool {
        engine
            .scopes
            .last()
            .is_some_and(|deepest| self.scopes.contains(&deepest.id))
    }
}

/// Analyses `input` and returns the advice. Never panics; input longer than
/// [`MAX_INPUT_BYTES`] is truncated at a character boundary.
pub fn advise(engine: &Engine, input: &str) -> Advice {
    let input = truncate(input, MAX_INPUT_BYTES);
    let cleaned = text::strike_out(text::clean_markup(input));
    let prod = engine.lexicon.concept("prod");
    let release_stage =
        |word: &str| prod.is_some_and(|p| engine.lexicon.exact(&text::stem(word)) == p);
    let cues = thread::ThreadCues {
        corrections: engine.lexicon.corrections(),
        concessions: engine.lexicon.concessions(),
        acknowledgements: engine.lexicon.acknowledgements(),
        postponements: engine.lexicon.postponements(),
        moves: engine.lexicon.reschedule_verbs(),
        times: engine.lexicon.times(),
        placing: engine.lexicon.placing(),
        self_corrections: engine.lexicon.self_corrections(),
        pointers: engine.lexicon.pointers(),
        copulas: engine.lexicon.copulas(),
        release_stage: &release_stage,
    };
    let class_of = |word: &str| {
        engine
            .lexicon
            .class(engine.lexicon.exact(&text::stem(word)))
    };
    let latest = thread::latest_word(Cow::Borrowed(&cleaned), &cues, &class_of);
    // Corrections blank text in a copy; an unchanged message stays borrowed.
    let corrected = matches!(latest, Cow::Owned(_));
    // "staging only" restricts the release to that stage; "it goes through
    // staging first" names a step before a later one.
    let (mut restricts, mut first) = (false, false);
    if corrected {
        for w in latest.split(|c: char| !c.is_alphanumeric()) {
            restricts |= w.eq_ignore_ascii_case("only") || w.eq_ignore_ascii_case("just");
            first |= w.eq_ignore_ascii_case("first");
        }
    }
    let facts = read(engine, latest);
    let later_stages = facts.named_stages.clone();
    // The stages a correction leaves the thing in, when all are earlier ones.
    let last_stage = engine.stages.len().saturating_sub(1);
    let staged_earlier =
        !later_stages.is_empty() && later_stages.iter().all(|&s| s > 0 && s < last_stage);
    let advice = decision::decide(engine, facts);
    // A reply that only voices a belief ("nah, unit tests are enough") does
    // not take back the change the thread is about.
    if corrected && advice.reading == Reading::Belief {
        let whole = decision::decide(engine, read(engine, Cow::Borrowed(&cleaned)));
        if whole.reading == Reading::Change {
            return whole;
        }
    }
    // "promoting v3 to prod today" / "holding, the on-call is out": a
    // release put off is set aside when something else changed, and is
    // still the subject when nothing else did, as outside a thread.
    // "actually no, staging only; prod is a separate conversation": what
    // the correction restricts to an earlier stage is deployed there
    // (below), though the same message puts prod off. A stage named without
    // "only" ("not yet, the staging e2e is still running") is where tests
    // run, and the release is still put off.
    // "moving v8 to prod" / "scratch that, v8 goes to staging first", or
    // "pushing it to prod tonight" / "no, staging first" / "ok, staging":
    // when the release's own speaker has the last word and it leaves the
    // thing in an earlier stage, it goes there now, "first" or not; the
    // release is a later conversation. Someone else's "it goes through
    // staging first", unanswered, only adds a step before the release.
    let settled_earlier = corrected
        && staged_earlier
        && advice.reading == Reading::Nothing
        && thread::releasers_last_word(&cleaned, &cues, &class_of);
    let restricted_to_earlier = staged_earlier && (restricts || settled_earlier);
    if corrected
        && advice.reading == Reading::Nothing
        && !restricted_to_earlier
        && thread::puts_off(
            &cleaned,
            engine.lexicon.postponements(),
            engine.lexicon.reschedule_verbs(),
            &|word: &str| {
                engine
                    .lexicon
                    .has(engine.lexicon.exact(&text::stem(word)), class::DEFER)
            },
        )
    {
        let whole = decision::decide(engine, read(engine, cleaned));
        if whole.reading == Reading::Change
            && whole.primary_scope.as_deref() == Some("release-gating")
        {
            return whole;
        }
        return advice;
    }
    // "shipping the retrained model to prod tonight" / "actually no, it goes
    // to staging only and waits there": a correction that leaves the thing
    // in an earlier stage, and names no later one, sends the release there.
    // It is deployed into that stage, as a release step placed there is
    // (the rehearsal rule), and what else the thread told stands.
    // "no, it goes through staging first": the release still follows.
    if corrected
        && advice.reading == Reading::Nothing
        && staged_earlier
        && first
        && !settled_earlier
    {
        let whole = decision::decide(engine, read(engine, Cow::Borrowed(&cleaned)));
        if whole.reading == Reading::Change {
            return whole;
        }
    }
    // "rolling the new tokenizer to prod tonight" / "wait, has the serving
    // image got the new vocab?" / "good catch. actually no, it only goes to
    // staging tonight": the question the correction leaves standing was
    // about the thing sent to staging, not a question of the thread's own.
    if corrected
        && matches!(advice.reading, Reading::Nothing | Reading::Question)
        && staged_earlier
        && (!first || settled_earlier)
        && let Some(rehearsal) = engine.special.rehearsal
    {
        let mut whole = read(engine, Cow::Borrowed(&cleaned));
        let mut moved = false;
        for f in &mut whole.positive {
            if engine.rules[f.rule as usize].kind == RuleKind::Promote {
                f.rule = rehearsal;
                moved = true;
            }
        }
        if moved {
            let mut seen = Vec::new();
            whole.positive.retain(|f| {
                let first = !seen.contains(&f.rule);
                seen.push(f.rule);
                first
            });
            let whole = decision::decide(engine, whole);
            if whole.reading == Reading::Change {
                return whole;
            }
        }
    }
    // "reverted yesterday's lr change on the ranker": undoing a change is a
    // change of its own when the message tells nothing else. In a thread, or
    // beside another change ("reverted the onnx part, only the docs now"), a
    // revert takes back what it names, as it always has.
    if advice.reading == Reading::Nothing && !corrected {
        let reverts = words_at(&cleaned, engine.lexicon.reverts());
        if !reverts.is_empty() && thread::message_bodies(&cleaned).is_empty() {
            let undone = text::blank_ranges(Cow::Borrowed(&cleaned), &reverts);
            let whole = decision::decide(engine, read(engine, undone));
            if whole.reading == Reading::Change {
                return whole;
            }
        }
    }
    // A thread that opens with a general question ("what is the staging
    // workspace for?") and whose replies answer it, none of them telling a
    // change of its own, is that question: the replies speak of all cases.
    // A reply's claim there ("anything that crosses a boundary") answers the
    // question; it is not a belief of the thread's own.
    // So is one read as a question for the words of its answer ("what's
    // the prod stage for?" / "real traffic, monitoring, the final gate").
    if matches!(
        advice.reading,
        Reading::Change | Reading::Belief | Reading::Question
    ) {
        let bodies = thread::message_bodies(&cleaned);
        // A question tied to the present ("can we get v12 into prod
        // today?") asks about this change, not about all cases.
        if let Some((first, replies)) = bodies.split_first()
            && let Some(first) = asked_part(engine, first)
            && !first.split(|c: char| !c.is_alphanumeric()).any(|w| {
                !w.is_empty()
                    && engine
                        .lexicon
                        .has(engine.lexicon.exact(&text::stem(w)), class::PRESENT)
            })
        {
            let asked = decision::decide(engine, read(engine, Cow::Borrowed(first)));
            if asked.reading == Reading::Question
                && replies.iter().all(|reply| !tells_own_change(engine, reply))
            {
                return asked;
            }
        }
    }
    advice
}

/// The question a thread's first message asks: the whole message when it
/// ends with its `?`, or up to its last `?` when what follows names no code
/// and tells no change of its own ("what's the staging workspace for,
/// exactly? CI already runs our tests on every PR" gives the reason for
/// asking; "can we skip the integration run? it's just the new
/// `session_count_7d` feature" is about that feature); `None` when it asks
/// nothing.
fn asked_part<'t>(engine: &Engine, first: &'t str) -> Option<&'t str> {
    let body = first.trim_end();
    let last = body.rfind('?')?;
    let (asked, rest) = body.split_at(last + 1);
    let names_code = rest.contains('`') || rest.contains("()");
    (rest.trim().is_empty() || (!names_code && !tells_own_change(engine, rest))).then_some(asked)
}

/// Whether a reply to a general question tells a change of its own: it
/// reads as a change and points at something particular ("I bumped lr on
/// v9", "my PR", a value, code in backticks), speaks for someone ("we"), or
/// reports a change in the past tense ("fixed the scorer"). Advice in the
/// imperative ("retrain in staging on a sample and compare against the
/// champion") answers the question for all cases.
fn tells_own_change(engine: &Engine, reply: &str) -> bool {
    // "+1, and check endpoint latency": agreeing with the reply before is
    // no value of a change.
    let reply = reply.trim_start();
    let reply = reply
        .strip_prefix("+1")
        .map_or(reply, |rest| rest.trim_start_matches([',', '.', ' ']));
    let facts = read(engine, Cow::Borrowed(reply));
    let particular = facts.points_at
        || facts.personal
        || reply.split(|c: char| !c.is_alphanumeric()).any(|w| {
            w.len() > 3
                && w.to_ascii_lowercase().ends_with("ed")
                && engine.lexicon.has(
                    engine.lexicon.exact(&text::stem(&w.to_ascii_lowercase())),
                    class::CHANGE,
                )
        });
    particular && decision::decide(engine, facts).reading == Reading::Change
}

/// Whether the text before a phrase ends in a preposition that attaches
/// another change to it ("bumped for the FE job", "num_workers on our
/// feature pipeline", "at the start of the nightly feature job"), past a
/// determiner and a modifier. "in" keeps the change inside the place ("we
/// now cap outliers in the shared preprocessing"): the place changed.
fn after_preposition(before: &str) -> bool {
    before
        .rsplit(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(3)
        .any(|w| matches!(w, "for" | "on" | "of"))
}

/// A dotted name whose first part is a library ("pyspark.sql",
/// "spark.sql"): a module of that library, not a file, though its ending
/// reads like one.
fn library_module(lex: &lexicon::Lexicon, path: &str) -> bool {
    let Some((package, _)) = path.split_once('.') else {
        return false;
    };
    if path.contains('/') || package.is_empty() {
        return false;
    }
    let tok = lex.exact(&text::stem(&package.to_ascii_lowercase()));
    tok != UNKNOWN && [lex.concept("data-library"), lex.concept("ml-library")].contains(&Some(tok))
}

/// The facts a message states: rules whose words it uses (and whether they
/// stand or were negated), the code it names, and whether it asks.
/// Whether the rest of a sentence after someone else's belief sets the
/// writer against it: "..., but the join key changed type", "...; however our
/// last two wins lost money online". "even though" concedes a fact the
/// belief holder overlooks; it does not set the writer against the belief.
fn refutes(rest: &str) -> bool {
    rest.split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| matches!(w.to_ascii_lowercase().as_str(), "but" | "however"))
}

fn read(engine: &Engine, cleaned: Cow<'_, str>) -> decision::Facts {
    let cleaned = template::blank(
        cleaned,
        engine.lexicon.template_fields(),
        engine.lexicon.template_empty_values(),
    );
    // "renamed `lr` to `learning_rate`": a setting's name moved in code is
    // no setting changed (renames.rs).
    let (cleaned, renamed) = renames::blank_renamed(cleaned, &engine.lexicon.rename_cues());
    let mut paths = paths::extract(&cleaned);
    paths.retain(|&(p, _, _)| !library_module(&engine.lexicon, p));
    let (items, mood) = analyse(engine, &cleaned, &paths);
    // The rule each pasted path belongs to, found once per distinct path: a
    // long thread pastes the same few files again and again.
    let mut rule_of_path: FxHashMap<&str, Option<u32>> = FxHashMap::default();
    let path_rules: Vec<Option<u32>> = paths
        .iter()
        .map(|&(p, _, _)| {
            *rule_of_path.entry(p).or_insert_with(|| {
                engine
                    .index
                    .path_rule(p, |r| engine.rules[r as usize].fallback)
            })
        })
        .collect();
    let negated = negation::negated(&items, &cleaned, &engine.lexicon);

    // Beliefs ("unit tests pass so we can ship"), specific changes, generic
    // wording and risk factors are read independently: a trap phrase or a
    // vague "changed .. model" must not hide a specific change inside it, and
    // "real-time serving" is both a serving change and a risk factor.
    // Everyday words ("ship", "launch", "promote") count only when something
    // else in the message shows it is about ML work.
    // Which items are everyday words as the user typed them, found once.
    // "to production", "in prod" name the environment, whatever "a
    // production of Hamlet" means elsewhere.
    let prod = engine.lexicon.concept("prod");
    let environment = |i: &Item| {
        Some(i.tok) == prod
            && [" to", " in", " into"]
                .iter()
                .any(|p| cleaned[..i.start as usize].trim_end().ends_with(p))
    };
    // "our sales pipeline", "a role model": a noun before a word can give it
    // its everyday sense.
    // A noun after a word can do the same ("model UN", "a model kit"), and
    // after a topic opener the rest of its clause names what a talk or a
    // course is about ("intro to gradient boosting, pizza provided").
    let mut topic = false;
    // Which items are in a topic opener's clause.
    let mut topic_item: Vec<bool> = Vec::with_capacity(items.len());
    let everyday_item: Vec<bool> = items
        .iter()
        .enumerate()
        .map(|(k, i)| {
            // A title may follow its opener's colon ("webinar tomorrow:
            // deploying LLMs to production").
            if (i.tok == BREAK && &cleaned[i.start as usize..i.end as usize] != ":")
                || i.tok == COMMA
            {
                topic = false;
            }
            let everyday = i.tok != BREAK
                && i.tok != COMMA
                && (topic
                    || (!environment(i)
                        && (engine
                            .lexicon
                            .item_is_everyday(i.tok, &cleaned[i.start as usize..i.end as usize])
                            && !valued_sense(engine, &cleaned, &items, k)
                            || (k > 0
                                && engine
                                    .lexicon
                                    .has(items[k - 1].tok, class::EVERYDAY_MODIFIER))
                            || items.get(k + 1).is_some_and(|n| {
                                engine.lexicon.has(n.tok, class::EVERYDAY_HEAD)
                            }))));
            topic_item.push(topic);
            topic |= engine.lexicon.has(i.tok, class::TOPIC)
                || (engine.lexicon.has(i.tok, class::TOPIC_NOUN)
                    // "our recorded test set", "the post-proc cfg": a
                    // participle or the first part of a compound is no noun.
                    && !cleaned[i.start as usize..i.end as usize].ends_with("ed")
                    && cleaned.as_bytes().get(i.end as usize) != Some(&b'-')
                    // "the PyData talk": the determiner is a stop word, so it
                    // is no item; it is looked for in the word typed before
                    // the noun, or before a name that modifies it.
                    && {
                        let mut before = cleaned[..i.start as usize].split_whitespace().rev();
                        let determiner = |w: &str| {
                            engine.lexicon.determiners().contains(&w.to_ascii_lowercase())
                        };
                        match (before.next(), before.next()) {
                            (Some(w), _) if determiner(w) => true,
                            (Some(name), Some(w)) => {
                                name.starts_with(|c: char| c.is_ascii_uppercase()) && determiner(w)
                            }
                            _ => false,
                        }
                    });
            everyday
        })
        .collect();
    // An everyday word gives no context to another: "deploying the new
    // espresso machine, rollout next week" is still about coffee.
    let domain_at: Vec<u32> = items
        .iter()
        .enumerate()
        .filter(|&(k, i)| engine.lexicon.has(i.tok, class::DOMAIN) && !everyday_item[k])
        .map(|(k, _)| k as u32)
        .collect();
    // "is the churn v8 release still on for tonight?": a version tag names
    // what a release puts out, so it shows that a release word is about a
    // model; it says nothing of other words ("moving the alias to model v19"
    // moves no model).
    let version_at: Vec<u32> = items
        .iter()
        .enumerate()
        .filter(|&(_, i)| text::version_tag(&cleaned[i.start as usize..i.end as usize]))
        .map(|(k, _)| k as u32)
        .collect();
    let domain_outside = |h: &Hit| {
        domain_at.iter().any(|&k| k < h.start || k >= h.end)
            || (engine.rules[h.rule as usize].kind == RuleKind::Promote
                && version_at.iter().any(|&k| k < h.start || k >= h.end))
    };
    // Words it names are all everyday words.
    let everyday = |h: &Hit| {
        (h.start..h.end).all(|p| {
            let k = (p - h.start) as usize;
            let named = k >= 64 || h.named & (1 << k) != 0;
            !named || everyday_item[p as usize]
        })
    };
    // "Reading the guide again, ...", "I was reading the docs": a reader
    // verb whose reader is the writer (a person names no boundary) counts
    // only by its own signal, not as a bare word in an ML message. A
    // gerund that opens its sentence has the writer as its subject.
    let person_reads = |h: &Hit| {
        let k = h.start as usize;
        h.needs_domain
            && h.end - h.start == 1
            && engine.rules[h.rule as usize].subject == Subject::Readers
            && {
                let word = &cleaned[items[k].start as usize..items[k].end as usize];
                let before = cleaned[..items[k].start as usize]
                    .rsplit(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
                    .find(|w| !w.is_empty())
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                let opens = k == 0 || items[k - 1].tok == BREAK;
                // "it was read by the churn job" is passive: its readers follow.
                let progressive = word.to_ascii_lowercase().ends_with("ing");
                (progressive && (opens || matches!(before.as_str(), "was" | "were" | "am")))
                    || matches!(before.as_str(), "i" | "we" | "im" | "i'm" | "i’m" | "you")
            }
    };
    // "the PyData talk 'Why your offline metrics lie' is up, really good
    // one": a belief's signal that starts in a talk's or a paper's title
    // names what the talk argues; it is no belief of the writer's, whatever
    // the message goes on to say of the talk ("offline metric .. good"
    // reaches past the title to the verdict on it).
    let in_title = |h: &Hit| {
        topic_item[h.start as usize] && engine.rules[h.rule as usize].kind == RuleKind::Trap
    };
    let in_context = |h: &Hit| {
        ((!h.needs_domain && !everyday(h)) || domain_outside(h)) && !person_reads(h) && !in_title(h)
    };
    // A belief's topic ("staging", "offline metrics") voices the belief only
    // in a message that claims something and reports no change.
    let believing = (mood.claims && !mood.reports) || mood.denies;
    let all_hits = engine.index.find(&items, &cleaned, &engine.lexicon);
    // "unit tests pass, ship it", "CI passed, lets ship": the words of a
    // belief that some level of testing suffices (a trap rule that is
    // harmless for some scope), by its signal or its topic, premise a
    // release word later in their sentence (see `concluded`). One pass over
    // the hits.
    let premise_spans: Vec<(u32, u32)> = all_hits
        .iter()
        .filter(|h| {
            let r = &engine.rules[h.rule as usize];
            r.kind == RuleKind::Trap && !r.harmless_for.is_empty() && !negated[h.end as usize - 1]
        })
        .map(|h| (h.start, h.end))
        .collect();
    // "promotion from dev to test to prod", "dev → stg → prd": every stage
    // named in a row, in order, is the path itself, the way a release
    // travels in general; none of its steps is a move made now, unless the
    // message points at one thing that travels it ("for this pipeline").
    let in_stage_chain = stage_chain(engine, &cleaned, &items);
    let found: Vec<Hit> = all_hits
        .into_iter()
        .filter(|h| {
            in_context(h)
                // "adding a feature flag", "the serving team": a signal whose
                // last word modifies the noun after it names that noun's
                // thing, not the signal's.
                && !(matches!(
                    engine.rules[h.rule as usize].kind,
                    RuleKind::Change | RuleKind::Promote
                ) && modifies_next(&cleaned, items[h.end as usize - 1].end as usize, engine))
                && !(engine.rules[h.rule as usize].kind == RuleKind::Promote
                    && names_stages_side_by_side(engine, &items[h.start as usize..h.end as usize]))
                && !(!mood.points_at
                    && matches!(
                        engine.rules[h.rule as usize].kind,
                        RuleKind::Change | RuleKind::Promote
                    )
                    && (h.start..h.end).any(|p| in_stage_chain[p as usize]))
                && (h.reach != Reach::About
                    || believing
                    || mood.is_claiming_at(items[h.start as usize].start as usize))
        })
        .collect();
    let (named_code, code_spans, named_other) = code_units_named(
        engine,
        mood.reports || mood.fixes,
        &cleaned,
        &paths,
        &items,
        &found,
    );
    // A question that points back asks about the practice told only when
    // nothing changed: "unit tests passed so we shipped. is that a problem?"
    // still holds the belief about that release.
    let asks_back = mood.asks_back
        && named_code.is_empty()
        && !found.iter().any(|h| {
            h.reach == Reach::Signal
                && matches!(
                    engine.rules[h.rule as usize].kind,
                    RuleKind::Change | RuleKind::Promote
                )
        });
    let mut groups: [Vec<Hit>; 6] = Default::default();
    for hit in found {
        // Words inside a named function are its name, not a subject of their
        // own: `clean_features()` is one function, not a feature change. A
        // phrase that reaches beyond the name still counts ("`eta-prod` →
        // `traffic_split`" moves prod traffic).
        let named = |p: u32| {
            let k = (p - hit.start) as usize;
            k >= 64 || hit.named & (1 << k) != 0
        };
        // "changing the rounding in `to_bucket_label()`": a change verb
        // whose object is a word of the name changes that function; the
        // label is not a subject of its own either.
        let verb = |p: u32| engine.lexicon.has(items[p as usize].tok, class::CHANGE);
        // Names are found in text order and never overlap, so only the few
        // spans that reach into the hit are looked at: a long thread names
        // hundreds of functions.
        let from = code_spans.partition_point(|&(_, e)| e <= hit.start);
        if code_spans[from..]
            .iter()
            .take_while(|&&(s, _)| s < hit.end)
            .any(|&(s, e)| {
                (s.max(hit.start)..e.min(hit.end)).any(|p| named(p) && !verb(p))
                    && (hit.start..hit.end).all(|p| !named(p) || (s..e).contains(&p) || verb(p))
            })
        {
            continue;
        }
        let rule = &engine.rules[hit.rule as usize];
        // "is a unit test enough for ...?" asks; it does not hold the belief.
        let asking = mood.is_asking_at(items[hit.start as usize].start as usize);
        if rule.stated_only && asking {
            continue;
        }
        // "Sam says unit tests are plenty for the new join, but the join key
        // changed type": someone else's belief answered in its own sentence
        // by a contrast is refuted by the writer, neither held nor reminded;
        // so is a belief's topic named in the answer ("..., but our last two
        // wins lost money online").
        if rule.kind == RuleKind::Trap
            && mood
                .reported_span_at(items[hit.start as usize].start as usize)
                .is_some_and(|(start, end)| {
                    cleaned
                        .get(start..end.min(cleaned.len()))
                        .is_some_and(refutes)
                })
        {
            continue;
        }
        let group = match (rule.kind, rule.fallback) {
            // Asked about, not held: reminded, but it does not make the
            // message a belief ("... or is the offline comparison enough?").
            // So is one someone else holds, in a message that asks ("the lead
            // says params only affect training. what's wrong with that?").
            (RuleKind::Trap, _)
                if (asking
                    || (mood.asks
                        && mood.is_reported_at(items[hit.start as usize].start as usize))
                    // "guide trap: '...'. what's the better rule?": the
                    // wording a trap is named by, in a message that asks.
                    || (mood.asks
                        && mood.is_naming_a_trap_at(items[hit.start as usize].start as usize))
                    // "the team designed its tests without thinking about
                    // the stages. which trap is that?": a practice told, not
                    // claimed, and asked about.
                    || (asks_back
                        && !mood.is_claiming_at(items[hit.start as usize].start as usize)
                        && !mood.is_in_question_at(items[hit.start as usize].start as usize)))
                    && hit.reach == Reach::Signal =>
            {
                4
            }
            // Asked-only beliefs: where stated, other rules speak for them.
            (RuleKind::Trap, _) if rule.asked_only => continue,
            (RuleKind::Trap, _) => 0,
            (RuleKind::Escalate, _) => 3,
            // A question's topic ("the staging endpoint") must not hide the
            // change a report names with the same words.
            (RuleKind::Topic, _) if rule.questions_only => 5,
            (_, true) => 1,
            _ => 2,
        };
        groups[group].push(hit);
    }
    let [held, generic, specific, risks, asked_hits, topics] = groups;
    let asked_hits = keep_outermost(asked_hits);
    let kept: Vec<Hit> = [held, generic, specific, risks, topics]
        .into_iter()
        .flat_map(keep_outermost)
        .collect();
    let mut hits = nearest_object(engine, &items, &kept);
    // "fixed the learning-rate warmup helper", "bugfix in the label encoder
    // helper": words between a change verb and the function it governs say
    // what the function is about; they are not a change of their own.
    let function_spans: Vec<(u32, u32)> = hits
        .iter()
        .filter(|h| {
            h.reach == Reach::Signal && engine.rules[h.rule as usize].subject == Subject::Function
        })
        .map(|h| (h.start, h.end))
        .collect();
    // So do the words right after it that "of" or "for" ties to it ("a
    // small change in the function of normalize", "the helper for the
    // tokenizer"): the function is named by what it is for. A relative
    // clause ("a util that writes to the shared feature table") says what
    // it does, which may cross a boundary.
    // Whether "of" or "for" ties a span's end to what follows depends on
    // that end alone: found once per span, not once per hit and span (a
    // long thread has thousands of each).
    let mut tied_ends: Vec<u32> = function_spans
        .iter()
        .map(|&(_, e)| e)
        .filter(|&e| {
            e > 0
                && items.get(e as usize).is_some_and(|next| {
                    let between = &cleaned[items[e as usize - 1].end as usize..next.start as usize];
                    matches!(between.trim().to_lowercase().as_str(), "of" | "for")
                })
        })
        .collect();
    tied_ends.sort_unstable();
    let ties_to_function = |start: u32| tied_ends.binary_search(&start).is_ok();
    // Whether a span holds a hit strictly inside it: the spans by start, each
    // with the furthest end of those starting no later, so one search per hit
    // answers it.
    let mut by_start = function_spans.clone();
    by_start.sort_unstable();
    let mut furthest = 0;
    let reach: Vec<u32> = by_start
        .iter()
        .map(|&(_, e)| {
            furthest = furthest.max(e);
            furthest
        })
        .collect();
    let inside_function = |h: &Hit| {
        let before = by_start.partition_point(|&(s, _)| s < h.start);
        before > 0 && reach[before - 1] > h.end
    };
    if !function_spans.is_empty() {
        hits.retain(|h| {
            let r = &engine.rules[h.rule as usize];
            !(r.kind == RuleKind::Change
                && matches!(
                    r.subject,
                    Subject::Other
                        | Subject::Readers
                        | Subject::Monitor
                        | Subject::Retrain
                        | Subject::Route
                )
                && (inside_function(h) || ties_to_function(h.start)))
        });
    }
    // "switch the churn model's loss to focal loss": a word in the
    // possessive qualifies the noun after it; it is not the object of the
    // verb before it. A phrase from a change verb that ends on it names what
    // owns the change, not what changed ("the serving container's python"
    // has no verb: the container is where the change is).
    hits.retain(|h| {
        let r = &engine.rules[h.rule as usize];
        let last = &items[h.end as usize - 1];
        let word = &cleaned[last.start as usize..last.end as usize];
        let rest = &cleaned[last.end as usize..];
        let tail = if word.ends_with("'s") || word.ends_with("’s") {
            Some(rest)
        } else {
            rest.strip_prefix("'s").or_else(|| rest.strip_prefix("’s"))
        };
        let possessive = tail.is_some_and(|t| {
            t.strip_prefix(' ')
                .is_some_and(|t| t.starts_with(char::is_alphanumeric))
        });
        // "refreshing the recommender with this quarter's interactions": a
        // period in the possessive dates the data; it owns nothing.
        let period = {
            let bare = word
                .strip_suffix("'s")
                .or_else(|| word.strip_suffix("’s"))
                .unwrap_or(word);
            mood::is_period(&bare.to_ascii_lowercase())
        };
        let possessive = possessive && !period;
        !(possessive
            && h.end - h.start > 1
            && engine
                .lexicon
                .has(items[h.start as usize].tok, class::CHANGE)
            && matches!(r.kind, RuleKind::Change | RuleKind::Promote)
            && r.subject.is_plain())
    });
    // "both the weekly retrain and the backfill job call it": readers named
    // for the change are a boundary it crosses, and the words that name them
    // are readers, not changes of their own.
    let readers = match engine.special.readers {
        Some(_) => readers::find(&items, &cleaned, &engine.lexicon, &negated),
        None => Vec::new(),
    };
    // A hit that ends among the readers names them as its object ("no
    // behaviour change), it is only called from the geo feature job"): the
    // feature job there calls the function, it is not what changed.
    if !readers.is_empty() {
        hits.retain(|h| {
            let r = &engine.rules[h.rule as usize];
            !(matches!(r.kind, RuleKind::Change | RuleKind::Promote)
                && !matches!(r.subject, Subject::Function | Subject::Readers)
                && readers
                    .iter()
                    .any(|c| !c.flows && c.start < h.end && h.end <= c.end))
        });
    }
    // "fix: `load_config()` ignored env overrides. reads them now": a reader
    // verb that opens its sentence has the thing just named as its elided
    // subject; what it reads is its input, not a reader of the change
    // ("read by the trainer" is passive and still names readers).
    hits.retain(|h| {
        let k = h.start as usize;
        !(h.end == h.start + 1
            && engine.rules[h.rule as usize].subject == Subject::Readers
            && engine.lexicon.has(items[k].tok, class::READER_VERB)
            && (k == 0 || items[k - 1].tok == BREAK)
            // "who reads fct_orders?" has a subject the items skip.
            && !cleaned
                .get(k.checked_sub(1).map_or(0, |p| items[p].end as usize)..items[k].start as usize)
                .unwrap_or_default()
                .contains(|c: char| c.is_alphabetic())
            && !cleaned[items[k].end as usize..]
                .trim_start()
                .starts_with("by "))
    });
    // "the nightly retrain now reads from the new `events_v2` table", "the
    // weekly retrain and the retention dashboard both read the labels": a
    // retrain named as a noun ("the", "our" before it) that is the subject
    // of a reader verb is a job that consumes what changed, not a retrain
    // that happened.
    hits.retain(|h| {
        if engine.rules[h.rule as usize].subject != Subject::Retrain {
            return true;
        }
        let k = h.start as usize;
        let before = cleaned[..items[k].start as usize]
            .rsplit(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .take(2)
            .any(|w| {
                engine
                    .lexicon
                    .determiners()
                    .iter()
                    .any(|d| d.eq_ignore_ascii_case(w))
            });
        let reads = items[h.end as usize..]
            .iter()
            .take(6)
            .take_while(|i| i.tok != BREAK && !engine.lexicon.has(i.tok, class::CHANGE))
            .any(|i| engine.lexicon.has(i.tok, class::READER_VERB));
        !(before && reads)
    });
    // "we'll just test it in prod": the release words of a sentence that
    // voices such a belief are the belief's, not an intent to release.
    // "prd: @champ → v19": a label of a word or two before a colon heads
    // the sentence after it rather than standing alone.
    let mut since_break = 0usize;
    let sentence_of: Vec<u32> = items
        .iter()
        .scan(0u32, |n, i| {
            let label = since_break <= 2 && cleaned[i.start as usize..].starts_with(':');
            if i.tok == BREAK && !label {
                *n += 1;
            }
            since_break = if i.tok == BREAK { 0 } else { since_break + 1 };
            Some(*n)
        })
        .collect();
    // Only where the sentence is about testing there: "deploy straight to
    // prod and skip staging" still releases.
    let testing: rustc_hash::FxHashSet<u32> = items
        .iter()
        .zip(&sentence_of)
        .filter(|(i, _)| engine.lexicon.name(i.tok) == "test")
        .map(|(_, &n)| n)
        .collect();
    let covered: rustc_hash::FxHashSet<u32> = hits
        .iter()
        .filter(|h| {
            engine.rules[h.rule as usize].covers_release
                && h.reach == Reach::Signal
                && !negated[h.end as usize - 1]
        })
        .map(|h| sentence_of[h.start as usize])
        .filter(|n| testing.contains(n))
        .collect();
    // "the staging endpoint now resolves @challenger for 5% shadow
    // scoring": a canary or an alias move that its sentence places in an
    // earlier stage, with no word of the last one, releases nothing.
    let last_stage = engine.stages.len().saturating_sub(1);
    // Per sentence: names an earlier stage, names the last stage, names a
    // stage past the first.
    let mut names_stage: FxHashMap<u32, (bool, bool, bool)> = FxHashMap::default();
    // "prod untouched", "nothing goes to prod": a last stage named only to
    // be denied is no word of it.
    // "move the alias after the staging checks": a stage right after
    // "after", "before", "once" or "until" says when, not where.
    let says_when = |k: usize| {
        items[k.saturating_sub(2)..k].iter().any(|i| {
            i.tok != BREAK
                && ["after", "before", "once", "until"]
                    .iter()
                    .any(|w| cleaned[i.start as usize..i.end as usize].eq_ignore_ascii_case(w))
        })
    };
    // "stg e2e green, promoting mv 9 to @champion", "e2e passed in
    // staging": an earlier stage beside an end-to-end run says where the
    // tests ran, not where the release goes.
    let e2e = engine.lexicon.concept("integration-test");
    let tested_in = |k: usize, stage: usize| {
        stage != last_stage
            && e2e.is_some()
            && !mood.is_claiming_at(items[k].start as usize)
            && !mood.is_proposing_at(items[k].start as usize)
            && !mood.is_in_question_at(items[k].start as usize)
            && items[k.saturating_sub(2)..(k + 2).min(items.len())]
                .iter()
                .any(|i| Some(i.tok) == e2e)
    };
    // "v5 passed everything in staging and is about to be promoted": a stage
    // where tests passed says where the model was proven, not where it goes;
    // so does one it is "green" in ("v8 is green in staging, promoting it
    // thursday").
    let proven_in = |k: usize| {
        items[k.saturating_sub(4)..k]
            .iter()
            .rev()
            .take_while(|i| i.tok != BREAK)
            .any(|i| {
                [
                    "passed",
                    "validated",
                    "verified",
                    "tested",
                    "green",
                    "passing",
                    "succeeded",
                ]
                .iter()
                .any(|w| cleaned[i.start as usize..i.end as usize].eq_ignore_ascii_case(w))
            })
    };
    for (k, (item, &n)) in items.iter().zip(&sentence_of).enumerate() {
        if let Some(&(_, stage)) = engine.stage_names.iter().find(|(tok, _)| *tok == item.tok) {
            if says_when(k) {
                continue;
            }
            if tested_in(k, stage) {
                names_stage.entry(n).or_default();
                continue;
            }
            if stage < last_stage && proven_in(k) {
                continue;
            }
            let seen = names_stage.entry(n).or_default();
            if stage == last_stage && negated[k] {
                continue;
            }
            if stage == last_stage {
                seen.1 = true;
            } else {
                seen.0 = true;
            }
            seen.2 |= stage > 0;
        }
    }
    let staging_only = |n: u32| {
        names_stage
            .get(&n)
            .is_some_and(|&(early, last, _)| early && !last)
    };
    // "build 1422 deployed to dev workspace": a step into the first stage
    // is part of development; it rehearses no release.
    let first_only = |n: u32| {
        names_stage
            .get(&n)
            .is_some_and(|&(early, _, past_first)| early && !past_first)
    };
    // "the serving container still ships the old vocab file": what still
    // holds describes a state, it releases nothing.
    let still = |h: &Hit| {
        cleaned[..items[h.start as usize].start as usize]
            .trim_end()
            .rsplit(|c: char| !c.is_alphanumeric())
            .next()
            .is_some_and(|w| w.eq_ignore_ascii_case("still"))
    };
    // "AUC is worse than the champion": what a comparison measures against
    // is the current model, not a move of it.
    let compared = |h: &Hit| {
        cleaned[..items[h.start as usize].start as usize]
            .rsplit(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .take(3)
            .find(|w| {
                !["the", "our", "current", "existing"]
                    .iter()
                    .any(|d| w.eq_ignore_ascii_case(d))
            })
            .is_some_and(|w| w.eq_ignore_ascii_case("than"))
    };
    // "@champion stays v6 for now": a release step whose next word says it
    // stays where it is moves nothing.
    // So does one that "is still" or "is unchanged" ("champion is still
    // v21").
    // A measure in between ("canary p99 stays under 80ms") is what stays,
    // not the step.
    // A state word before a verb in "-ing" ("the canary is still going out
    // today") tells that the step goes on as planned.
    let stays = |h: &Hit| {
        let mut after = cleaned[items[h.end as usize - 1].end as usize..]
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .take(3)
            .take_while(|w| !w.bytes().any(|b| b.is_ascii_digit()))
            .peekable();
        let mut seen = 0;
        while let Some(w) = after.next() {
            seen += 1;
            if seen > 2 {
                break;
            }
            if engine
                .lexicon
                .state_words()
                .iter()
                .any(|s| w.eq_ignore_ascii_case(s))
            {
                return !after.peek().is_some_and(|next| next.ends_with("ing"));
            }
        }
        false
    };
    // "e2e in stg or prod?", "dev or staging?": stages joined by "or" are
    // alternatives to choose from, not a move from one to the other.
    // The same holds for every rule that reads a move between stages ("dev
    // .. staging" for a merge): "dev or staging?" moves nothing. The test
    // stage's own word ("dev or test?") is a stage here, next to a stage
    // name, though alone it is too common a word to name one.
    let alternatives = |h: &Hit| {
        let span = &items[h.start as usize..h.end as usize];
        let named = span
            .iter()
            .filter(|i| engine.stage_names.iter().any(|(tok, _)| *tok == i.tok))
            .count();
        let bare = span.iter().filter(|i| is_test_word(&cleaned, i)).count();
        let word = |i: &Item| &cleaned[i.start as usize..i.end as usize];
        let stage = |i: &Item| engine.stage_names.iter().any(|(tok, _)| *tok == i.tok);
        // "going to staging or straight to prod?": the choice may open just
        // before the span, with a stage and "or".
        let chosen_before = h.start >= 2
            && named >= 1
            && word(&items[h.start as usize - 1]).eq_ignore_ascii_case("or")
            && stage(&items[h.start as usize - 2]);
        // "happen in staging, or at deploy time in prod?": a stage followed
        // by "or" is one side of a choice, whatever the other side is.
        let chosen_after = span.iter().enumerate().any(|(k, i)| {
            stage(i)
                && span[k + 1..]
                    .iter()
                    .find(|n| word(n).chars().any(char::is_alphanumeric))
                    .is_some_and(|n| word(n).eq_ignore_ascii_case("or"))
        });
        // "how much testing belongs in dev vs staging vs prod?": stages set
        // against each other by a word of comparison (`comparison_words`)
        // are compared, not a move from one to the other; a topic that
        // names the stages ("dev .. staging .. prod") still holds.
        let compared = matches!(
            engine.rules[h.rule as usize].kind,
            RuleKind::Change | RuleKind::Promote
        ) && span.windows(3).any(|w| {
            (stage(&w[0]) || is_test_word(&cleaned, &w[0]))
                && engine.lexicon.has(w[1].tok, class::COMPARISON)
                && (stage(&w[2]) || is_test_word(&cleaned, &w[2]))
                && (stage(&w[0]) || stage(&w[2]))
        });
        compared
            || chosen_before
            || chosen_after
            || (named >= 1
                && named + bare >= 2
                && span.iter().any(|i| word(i).eq_ignore_ascii_case("or")))
    };
    // What such a step does is deploy into that earlier stage: outside a
    // question, it reads as the knowledge base's rehearsal rule ("canary
    // for the new ranker in staging starts tomorrow"), and every later step
    // (negation, proposals, docs that describe it) judges it as that.
    // "our TL says green unit tests = safe to ship": a release word among
    // the words of a belief that someone else holds is part of that
    // belief, not an intent to release ("unit tests pass, so we're good to
    // ship" still intends one).
    let belief_spans = standing_spans(
        engine,
        hits.iter().chain(&asked_hits),
        &negated,
        RuleKind::Trap,
    );
    let in_belief = |h: &Hit| {
        mood.is_reported_at(items[h.start as usize].start as usize)
            && belief_spans
                .iter()
                .any(|&(s, e)| s <= h.start && h.end <= e)
    };
    // "all 212 unit tests pass, ship it", "unit tests pass, good enough to
    // ship": a bare release word that a belief that tests suffice leads up
    // to, earlier in its sentence, is that belief's conclusion, not a
    // release of its own, when the sentence names no stage ("unit tests
    // pass so we ship v8 to prod tonight" still releases).
    // Someone who speaks for themselves between the premise and the release
    // word intends it ("unit tests are passing, so we're good to ship").
    let speaks = |from: usize, to: usize| {
        cleaned[from..to]
            .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
            .any(|w| {
                let w = w.trim_end_matches(['\'', '’']);
                [
                    "we", "i", "we're", "i'm", "we'll", "i'll", "let's", "lets", "we’re", "i’m",
                    "we’ll", "i’ll", "let’s",
                ]
                .iter()
                .any(|p| w.eq_ignore_ascii_case(p))
            })
    };
    let concluded = |h: &Hit| {
        let n = sentence_of[h.start as usize];
        h.end - h.start == 1
            && !names_stage.contains_key(&n)
            && premise_spans.iter().any(|&(s, _)| {
                s < h.start
                    && sentence_of[s as usize] == n
                    && !speaks(
                        items[s as usize].start as usize,
                        items[h.start as usize].start as usize,
                    )
            })
    };
    // "the deploy task reads the alias that step sets", "the batch job
    // loads the champion alias": a release word that is the object of a
    // reader verb right before it names what a step reads, not a move.
    let read_object = |h: &Hit| {
        let k = h.start as usize;
        k > 0 && engine.lexicon.has(items[k - 1].tok, class::READER_VERB) && !negated[k - 1] && {
            let gap = &cleaned[items[k - 1].end as usize..items[k].start as usize];
            gap.split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .all(|w| {
                    engine
                        .lexicon
                        .determiners()
                        .iter()
                        .any(|d| d.eq_ignore_ascii_case(w))
                })
        }
    };
    // "the cron schedule of the retrain job": a release word inside the
    // longer words of a change, before the noun it modifies there ("job",
    // "step"), names what that change is to.
    let change_spans = standing_spans(engine, hits.iter(), &negated, RuleKind::Change);
    let inside_change = |h: &Hit| {
        items
            .get(h.end as usize)
            .is_some_and(|n| engine.lexicon.has(n.tok, class::DATA_NOUN))
            && change_spans.iter().any(|&(s, e)| s <= h.start && h.end < e)
    };
    // "the model now ships as onnx instead of a pickle": a release word
    // followed by "as" and a change named right after it says what form
    // the thing takes, not that it goes out.
    let ships_as = |h: &Hit| {
        let end = h.end as usize;
        cleaned[items[end - 1].end as usize..]
            .split(|c: char| !c.is_alphanumeric())
            .find(|w| !w.is_empty())
            .is_some_and(|w| w.eq_ignore_ascii_case("as"))
            && change_spans
                .iter()
                .any(|&(s, _)| (end..=end + 3).contains(&(s as usize)))
    };
    // "split register and set-alias into two tasks", "moved the set-alias
    // step after the approval": a release word before a step noun, in a
    // sentence whose change is to something else, names a step of the
    // workflow being rewired, not a release.
    let names_step = |h: &Hit| {
        let n = sentence_of[h.start as usize];
        let mut k = h.end as usize;
        let words = |k: usize| {
            cleaned
                .get(items[k - 1].end as usize..items[k].start as usize)
                .is_some_and(|gap| {
                    gap.split(|c: char| !c.is_alphanumeric())
                        .all(|w| w.len() <= 4)
                })
        };
        // A count between them ("into two tasks", "in 3 steps").
        while k < h.end as usize + 2
            && items
                .get(k)
                .is_some_and(|i| i.tok == NUMBER || i.tok == UNKNOWN)
            && words(k)
        {
            k += 1;
        }
        items
            .get(k)
            .is_some_and(|i| engine.lexicon.has(i.tok, class::STEP_NOUN))
            && words(k)
            && change_spans
                .iter()
                .any(|&(s, _)| sentence_of[s as usize] == n)
    };
    let hits: Vec<Hit> = hits
        .into_iter()
        .filter_map(|mut h| {
            let n = sentence_of[h.start as usize];
            // "dev, staging, prod, whatever" lists the stages; it moves
            // nothing from one to the next.
            if listed_stages(engine, &cleaned, &items, &h) || alternatives(&h) {
                return None;
            }
            // "the study guide's trap about hyperparameters: what is the
            // wrong assumption?": what a trap is about is no change.
            if mood.asks
                && engine.rules[h.rule as usize].kind == RuleKind::Change
                && mood.is_naming_a_trap_at(items[h.start as usize].start as usize)
            {
                return None;
            }
            if engine.rules[h.rule as usize].kind != RuleKind::Promote {
                return Some(h);
            }
            // "a canary would be overkill": a release step that is the
            // subject of a verdict is talked about, not intended.
            let judged = {
                let mut after = cleaned[items[h.end as usize - 1].end as usize..]
                    .split_whitespace()
                    .take(5)
                    // Up to the word that closes the clause, that word kept.
                    .scan(false, |closed, w| {
                        let this = (!*closed).then_some(w);
                        *closed |= w.ends_with(['.', ',', ';', '?', '!']);
                        this
                    })
                    .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()));
                after.next().is_some_and(|w| {
                    ["is", "would", "feels", "seems", "sounds", "was"]
                        .iter()
                        .any(|c| w.eq_ignore_ascii_case(c))
                }) && after.take(3).any(|w| {
                    engine
                        .lexicon
                        .has(engine.lexicon.exact(&text::stem(w)), class::CLAIM)
                })
            };
            if covered.contains(&n)
                || still(&h)
                || stays(&h)
                || ships_as(&h)
                || compared(&h)
                || in_belief(&h)
                || concluded(&h)
                || judged
                || read_object(&h)
                || inside_change(&h)
                || names_step(&h)
            {
                return None;
            }
            // "we have a hotfix for the scoring endpoint, ok to skip
            // staging?": a hotfix must reach prod whatever stage its
            // sentence names; it is no rehearsal there.
            if staging_only(n) && !engine.rules[h.rule as usize].names_change {
                let at = items[h.start as usize].start as usize;
                if first_only(n) && !mood.is_in_question_at(at) {
                    return None;
                }
                let rehearsal = engine
                    .special
                    .rehearsal
                    .filter(|_| h.reach == Reach::Signal && !mood.is_in_question_at(at))?;
                h.rule = rehearsal;
                return Some(h);
            }
            Some(h)
        })
        .collect();
    // "helper `pad_sequence()` padded on the wrong side for batch size 1.
    // fixed": in a bug fix, a sentence whose subject is the named function
    // tells what it did wrong; the nouns there (a batch size, a table) are
    // the case it failed on, not changes of their own. A phrase with a change
    // word of its own ("now adds a new column") still reports one.
    let typed_comma =
        |i: &Item| i.tok == COMMA && cleaned[i.start as usize..i.end as usize] == *",";
    // Where the clause that starts at item `from` ends: a sentence break, a
    // typed comma, or a word that joins or contrasts.
    let clause_end = |from: usize| {
        items[from..]
            .iter()
            .position(|i| {
                i.tok == BREAK
                    || typed_comma(i)
                    || engine.lexicon.has(i.tok, class::JOINER | class::CONTRAST)
            })
            .map_or(items.len(), |p| from + p)
    };
    let mut symptoms: Vec<(u32, u32)> = if mood.fixes {
        named_code
            .iter()
            .filter_map(|&(item, _, _)| {
                let k = item as usize;
                // The name opens its sentence, after at most one word
                // ("helper", "the").
                let lead = items[..k]
                    .iter()
                    .rev()
                    .take_while(|i| i.tok != BREAK)
                    .count();
                // Its own verb is not a change verb ("fixed `x()`" is the fix,
                // not the symptom).
                // "(" and ")" read as commas; after a name they are its call.
                let after = items[k + 1..]
                    .iter()
                    .position(|i| i.tok != COMMA || typed_comma(i))
                    .map_or(items.len(), |p| k + 1 + p);
                let own_verb = items.get(after).filter(|i| i.tok != BREAK);
                if lead > 1 || own_verb.is_some_and(|i| engine.lexicon.has(i.tok, class::CHANGE)) {
                    return None;
                }
                // The symptom runs to the end of the name's clause: "plus the
                // endpoint now scales to zero" is a change of its own.
                Some((after as u32, clause_end(after) as u32))
            })
            .collect()
    } else {
        Vec::new()
    };
    // "bug in `trim_outliers()`: it used > instead of >= for the 99th pct
    // cutoff", "fixed a bug in `levenshtein_norm()`, it normalized by the
    // shorter length": in a bug fix, a clause after the name whose subject is
    // "it" tells what the function did wrong, as a clause the name opens
    // does. One that says "now" reports the fix; one with a verb of readers
    // or of handing on ("it feeds the ranker") names where the output goes.
    // Spans that tell no change even where a change word stands in them:
    // the verb after "it" is what the function did ("it normalized by the
    // shorter length"), and a check that outputs stayed the same names the
    // data it ran on ("same outputs for the validation split fixtures").
    let mut told: Vec<(u32, u32)> = Vec::new();
    if let Some(first) = named_code
        .iter()
        .filter(|_| mood.fixes)
        .map(|&(item, _, _)| item as usize)
        .min()
    {
        for b in first..items.len() {
            // "`levenshtein_norm()`, it ...": a typed comma after a call's
            // brackets is one run of punctuation with them.
            let comma_typed = items[b].tok == COMMA
                && items.get(b + 1).is_some_and(|n| {
                    cleaned[items[b].start as usize..n.start as usize].contains(',')
                });
            if !(items[b].tok == BREAK || comma_typed) || b + 1 >= items.len() {
                continue;
            }
            let from = items[b].end as usize;
            let mut lead = cleaned[from..]
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .take(2);
            let pointer = lead.next().is_some_and(|w| w.eq_ignore_ascii_case("it"));
            if pointer
                && lead
                    .next()
                    .is_some_and(|w| matches!(w, "s" | "is" | "will" | "ll"))
            {
                continue;
            }
            // "it used > instead of >=": a contrast inside the symptom is
            // part of it.
            let end = items[b + 1..]
                .iter()
                .position(|i| {
                    i.tok == BREAK || typed_comma(i) || engine.lexicon.has(i.tok, class::JOINER)
                })
                .map_or(items.len(), |p| b + 1 + p);
            let clause_end = items.get(end).map_or(cleaned.len(), |i| i.start as usize);
            let clause = &cleaned[from..clause_end.max(from)];
            let mut words = clause
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty());
            // "ISO weeks at year boundaries were wrong for the training data
            // we backfill": a clause in the past of "was" or "were", with no
            // change word before it, tells the state the fix ended.
            let told_state = !pointer
                && words
                    .by_ref()
                    .take(8)
                    .position(|w| w.eq_ignore_ascii_case("was") || w.eq_ignore_ascii_case("were"))
                    .is_some_and(|p| {
                        let before = clause
                            .split(|c: char| !c.is_alphanumeric())
                            .filter(|w| !w.is_empty())
                            .nth(p)
                            .map_or(from, |w| w.as_ptr() as usize - cleaned.as_ptr() as usize);
                        !items[b + 1..end].iter().any(|i| {
                            (i.start as usize) < before && engine.lexicon.has(i.tok, class::CHANGE)
                        })
                    });
            if !pointer && !told_state {
                continue;
            }
            // "it used > instead of >=" has the function as the subject of
            // its verb; "it is read by the ranker" names a reader.
            let hands_on =
                items[b + 1..end].iter().any(|i| {
                    (engine.lexicon.has(i.tok, class::READER_VERB)
                        && cleaned[i.end as usize..].trim_start().starts_with("by "))
                        || engine.lexicon.flow_verbs().iter().any(|f| {
                            f.eq_ignore_ascii_case(&cleaned[i.start as usize..i.end as usize])
                        })
                });
            let now = clause
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| w.eq_ignore_ascii_case("now"));
            if hands_on || now {
                continue;
            }
            if pointer {
                told.push(((b + 1) as u32, end as u32));
            } else {
                symptoms.push(((b + 1) as u32, end as u32));
            }
        }
    }
    // ASCII lower-casing keeps byte offsets, so ranges found in `lower` are
    // ranges of `cleaned`.
    let lower = cleaned.to_ascii_lowercase();
    // "swapped the .replace chain for one re.sub, identical output on 10k
    // sampled titles": a clause that says the output stayed the same tells
    // how that was checked; the data it names ("sampled titles", "the golden
    // files") is what the check ran on, not a change. One pass over the
    // words of a message that has such a word.
    if lower.contains("same") || lower.contains("identical") {
        let mut words = cleaned
            .split(|c: char| !c.is_alphanumeric() && c != '_')
            .filter(|w| !w.is_empty())
            .map(|w| (w.as_ptr() as usize - cleaned.as_ptr() as usize, w))
            .peekable();
        while let Some((at, w)) = words.next() {
            if !(w.eq_ignore_ascii_case("same") || w.eq_ignore_ascii_case("identical")) {
                continue;
            }
            let Some(&(_, next)) = words.peek() else {
                break;
            };
            let output = [
                "output",
                "outputs",
                "result",
                "results",
                "values",
                "predictions",
                "scores",
            ]
            .iter()
            .any(|o| o.eq_ignore_ascii_case(next));
            if !output {
                continue;
            }
            let start = items.partition_point(|i| (i.start as usize) < at);
            // "refactor (same output) + promoting v12": a closing
            // parenthesis that is no call's ends the aside that says so.
            let end = clause_end(start).min(
                items[start..]
                    .iter()
                    .position(|i| {
                        i.tok == COMMA
                            && cleaned[i.start as usize..i.end as usize] == *")"
                            && !cleaned[..i.start as usize].ends_with('(')
                    })
                    .map_or(items.len(), |p| start + p),
            );
            if start < end {
                told.push((start as u32, end as u32));
            }
        }
    }
    let hits: Vec<Hit> = if symptoms.is_empty() && told.is_empty() {
        hits
    } else {
        hits.into_iter()
            .filter(|h| {
                let r = &engine.rules[h.rule as usize];
                let within =
                    |spans: &[(u32, u32)]| spans.iter().any(|&(s, e)| s <= h.start && h.end <= e);
                // "it produced models:/name/Champion instead of ...": a
                // release word in what the function did is the failing case.
                let told_here =
                    within(&told) && matches!(r.kind, RuleKind::Promote) && r.subject.is_plain()
                        || within(&told) && matches!(r.subject, Subject::Rehearsal);
                !told_here
                    && !(r.kind == RuleKind::Change
                        && r.subject.is_plain()
                        && (within(&told)
                            || (within(&symptoms)
                                && !(h.start..h.end).any(|p| {
                                    engine.lexicon.has(items[p as usize].tok, class::CHANGE)
                                }))))
            })
            .collect()
    };
    // "only touches `docs/`: a new section on sample rates": a docs or
    // tests path owns what follows it as a docs or tests phrase does.
    let path_anchors: Vec<(u32, u32, u32)> = paths
        .iter()
        .zip(&path_rules)
        .filter(|(_, rule)| {
            rule.is_some_and(|r| {
                matches!(
                    engine.rules[r as usize].subject,
                    Subject::Docs | Subject::Tests
                )
            })
        })
        .map(|(&(_, start, end), _)| {
            let at = |offset: usize| items.partition_point(|i| (i.start as usize) < offset) as u32;
            (at(start), start as u32, at(end))
        })
        .collect();
    // "all the pytest cases are green", "the test cases pass": tests named
    // with their result report a run; nothing about the tests changed.
    // ("added test cases, all pass" still adds them.)
    let hits: Vec<Hit> = hits
        .into_iter()
        .filter(|h| {
            let span = &items[h.start as usize..h.end as usize];
            engine.rules[h.rule as usize].subject != Subject::Tests
                || span.iter().any(|i| {
                    engine.lexicon.has(i.tok, class::CHANGE)
                        || cleaned[i.start as usize..i.end as usize].eq_ignore_ascii_case("new")
                })
                || !items[h.end as usize..]
                    .iter()
                    .take(3)
                    .find(|i| !engine.lexicon.has(i.tok, class::STOP) || i.tok == BREAK)
                    .is_some_and(|i| {
                        matches!(
                            cleaned[i.start as usize..i.end as usize]
                                .to_ascii_lowercase()
                                .as_str(),
                            "green" | "pass" | "passed" | "passing" | "fail" | "failed" | "failing"
                        )
                    })
        })
        .collect();
    let mut owned = owned_by_tests_or_docs(engine, &cleaned, &items, &hits, &path_anchors);
    // "## Summary\nDocument the on-call steps for when the endpoint's p99
    // ...\n## Files\n- `docs/oncall.md`": the files a message lists are
    // what it changes, so when each is docs or tests, its prose says what
    // they are about.
    // "chore(tests): parametrize `test_collate_fn` over batch sizes 1, 7
    // and 64. src untouched", "updated the example config in the README
    // from `batch_size: 32` to 64. README only": a message that confines
    // its change to docs or tests names settings, metrics and models as
    // what the tests exercise or the docs describe.
    let confined = confined_to_docs_or_tests(engine, &cleaned, &items, &mood, &hits, &path_anchors);
    if confined || listed_files_are_docs_or_tests(engine, &cleaned, &paths, &path_rules) {
        owned.insert(0, 0..items.len() as u32);
    }
    // The furthest end among the ranges that start at or before each one,
    // so "is this item owned?" is one binary search.
    let reach: Vec<u32> = owned
        .iter()
        .scan(0, |far, r| {
            *far = r.end.max(*far);
            Some(*far)
        })
        .collect();
    let is_owned = |item: u32| {
        let k = owned.partition_point(|r| r.start <= item);
        k > 0 && reach[k - 1] > item
    };
    // Beside a docs or tests change, generic wording is a change of its own
    // only when it says something changed ("retrained the model, model card
    // updated"), not when it only names a thing ("tests over both model
    // versions") or an activity ("retraining because of a readme change").
    let docs_or_tests = hits.iter().any(|h| {
        matches!(
            engine.rules[h.rule as usize].subject,
            Subject::Docs | Subject::Tests
        )
    });
    // "updated the model card": a signal of another rule that ends inside a
    // docs or tests phrase ("update .. model") is about the docs too.
    let phrases: Vec<std::ops::Range<u32>> = hits
        .iter()
        .filter(|h| docs_phrase(engine, &items, h))
        .map(|h| h.start..h.end)
        .collect();
    let ends_in_phrase = |h: &Hit| phrases.iter().any(|p| p.contains(&(h.end - 1)));
    let says_change = |h: &Hit| {
        items[h.start as usize..h.end as usize].iter().any(|i| {
            engine.lexicon.has(i.tok, class::CHANGE)
                && mood::past_form(&cleaned[i.start as usize..i.end as usize])
        })
    };
    let hits: Vec<Hit> = hits
        .into_iter()
        .filter(|h| {
            let r = &engine.rules[h.rule as usize];
            let change = matches!(r.kind, RuleKind::Change | RuleKind::Promote)
                && !matches!(r.subject, Subject::Docs | Subject::Tests);
            !(change && (is_owned(h.start) || ends_in_phrase(h)))
                && !(change && r.fallback && docs_or_tests && !says_change(h))
        })
        .collect();
    // "one-line fix in `safe_div()`. I know integration tests check that
    // training and serving work together": a sentence about a kind of test
    // that reports no change of its own describes the tests, not the change,
    // when the change is told elsewhere in the message.
    let mut scope_sentences = rustc_hash::FxHashSet::default();
    let mut verb_sentences = rustc_hash::FxHashSet::default();
    for (item, &n) in items.iter().zip(&sentence_of) {
        if engine.scope_names.iter().any(|&(tok, _)| tok == item.tok) {
            scope_sentences.insert(n);
        }
        if engine.lexicon.has(item.tok, class::CHANGE) {
            verb_sentences.insert(n);
        }
    }
    let about_tests = |n: u32| scope_sentences.contains(&n) && !verb_sentences.contains(&n);
    // "e2e for the FS pipeline is flaky", "the batch inference e2e suite
    // takes 40 min now, way too slow": such a sentence that tells the test's state
    // (`test_states`) reports how the test runs; what it tests did not
    // change, whether or not a change is told elsewhere. A run on a pull
    // request is the exception: "integration_test failed on PR #812
    // (`feature_job -t staging`)" is that change failing its test.
    let pull_request = engine.lexicon.concept("pull-request");
    let mut state_sentences = rustc_hash::FxHashSet::default();
    let mut pr_sentences = rustc_hash::FxHashSet::default();
    for (item, &n) in items.iter().zip(&sentence_of) {
        if engine.lexicon.has(item.tok, class::TEST_STATE) {
            state_sentences.insert(n);
        }
        if Some(item.tok) == pull_request {
            pr_sentences.insert(n);
        }
    }
    state_sentences.retain(|n| !pr_sentences.contains(n));
    let tells_test_state = |n: u32| about_tests(n) && state_sentences.contains(&n);
    let told_elsewhere = named_code.iter().any(|&(item, _, _)| {
        !about_tests(sentence_of.get(item as usize).copied().unwrap_or(u32::MAX))
    }) || hits.iter().any(|h| {
        let r = &engine.rules[h.rule as usize];
        matches!(r.kind, RuleKind::Change | RuleKind::Promote)
            && h.reach == Reach::Signal
            && !about_tests(sentence_of[h.start as usize])
    });
    let hits: Vec<Hit> = hits
        .into_iter()
        .filter(|h| {
            let r = &engine.rules[h.rule as usize];
            let n = sentence_of[h.start as usize];
            !(r.kind == RuleKind::Change
                && matches!(
                    r.subject,
                    Subject::Other
                        | Subject::Readers
                        | Subject::Monitor
                        | Subject::Retrain
                        | Subject::Route
                )
                && ((told_elsewhere && about_tests(n)) || tells_test_state(n)))
        })
        .collect();
    // Per rule: the words that fired it and whether any hit stood un-negated.
    let mut fired: FxHashMap<u32, (usize, bool, Vec<String>)> = FxHashMap::default();
    // Belief topics, kept apart: they count only if the message reads as a
    // belief.
    let mut voiced: FxHashMap<u32, (usize, bool, Vec<String>)> = FxHashMap::default();
    // Words that only say where the change is.
    let mut placed: FxHashMap<u32, (usize, bool, Vec<String>)> = FxHashMap::default();
    // Lines where a signal names what changed: a place named there after a
    // preposition ("driver size bumped for the FE job") is where that change
    // is, not a second one ("moved the validation task" still changes it).
    let mut changed_lines = rustc_hash::FxHashSet::default();
    let mut located = rustc_hash::FxHashSet::default();
    // Beliefs only asked about.
    let mut asked: FxHashMap<u32, (usize, bool, Vec<String>)> = FxHashMap::default();
    // Promotions put later.
    let mut later: FxHashMap<u32, (usize, bool, Vec<String>)> = FxHashMap::default();
    // Rules named only where the message proposes tests.
    let mut planned: FxHashMap<u32, (usize, bool, Vec<String>)> = FxHashMap::default();
    // Sentences that name a file of code.
    let sentence_at = |start: usize| {
        let k = items.partition_point(|i| (i.start as usize) < start);
        sentence_of.get(k).copied()
    };
    let rename_sentences: rustc_hash::FxHashSet<Option<u32>> = renamed
        .iter()
        .map(|&(start, _)| sentence_at(start))
        .collect();
    // "renamed the variable lr to learning_rate in the train script": a
    // place in the sentence of a rename is where the names moved.
    let code_file_sentences: rustc_hash::FxHashSet<u32> = paths
        .iter()
        .filter(|(p, _, _)| paths::is_code_file(p))
        .map(|&(_, start, _)| start)
        .chain(renamed.iter().map(|&(start, _)| start))
        .filter_map(|start| {
            let k = items.partition_point(|i| (i.start as usize) < start);
            sentence_of.get(k).copied()
        })
        .collect();
    // Line numbers by binary search over the newline offsets, found once, so
    // long messages stay linear.
    let newlines: Vec<usize> = memchr::memchr_iter(b'\n', cleaned.as_bytes()).collect();
    let line_of = |pos: usize| newlines.partition_point(|&n| n < pos);
    // Lines naming a specific change in words, and lines saying the change is
    // docs or tests only ("only comments changed in train.py").
    let mut specific_lines = rustc_hash::FxHashSet::default();
    let mut owned_lines = rustc_hash::FxHashSet::default();
    // Lines that name a specific change other than a function: there an
    // identifier names what that change is about (a column, a library), not
    // a function of its own.
    let mut claimed = rustc_hash::FxHashSet::default();
    // "the prod rollout is cancelled; today's PR only fixes `dedupe()`",
    // "go-live is postponed, only the README changed": a clause that calls
    // a release off or puts it off names what will not happen now, also
    // outside a thread and with no word of what happens now. Most messages
    // hold no such word: one look at the whole spares the clauses.
    let postponements = engine.lexicon.postponements();
    let called_off: Vec<(usize, usize)> = if postponements.may_occur_in(&lower) {
        thread::clauses_where(&cleaned, 0, cleaned.len(), |w| {
            thread::holds(w, postponements)
        })
    } else {
        Vec::new()
    };
    let is_called_off = |pos: usize| called_off.iter().any(|&(s, e)| s <= pos && pos < e);
    let circumstances = circumstance_clauses(&lower, engine.lexicon.circumstances());
    let in_circumstance = |pos: usize| circumstances.iter().any(|&(s, e)| s <= pos && pos < e);
    // "rewrote `dedupe()` because the upstream table now resends rows",
    // "added a kill switch so that on-call can turn it off in prod": what a
    // clause of reason or purpose names is the situation around the change,
    // set aside when the message names a change outside such clauses.
    let outside = |pos: usize| !in_circumstance(pos);
    let aside_circumstances = !circumstances.is_empty()
        && (named_code.iter().any(|&(_, at, _)| outside(at))
            || hits.iter().any(|h| {
                let rule = &engine.rules[h.rule as usize];
                rule.kind == RuleKind::Change
                    && !rule.fallback
                    && h.reach == Reach::Signal
                    && !(rule.negatable && negated[h.end as usize - 1])
                    && outside(items[h.start as usize].start as usize)
            }));
    // Per change rule: the last sentence that reports it and the items that
    // did, and the last hit that takes it back (sentence and items).
    type Said = (
        Option<u32>,
        Vec<(usize, usize)>,
        Option<(u32, usize, usize)>,
    );
    let mut last_said: FxHashMap<u32, Said> = FxHashMap::default();
    let mut intends = false;
    let mut stated_release = false;
    let mut holds_claim = false;
    for hit in &hits {
        let rule = &engine.rules[hit.rule as usize];
        let span = hit.start as usize..hit.end as usize;
        // "no champion" or "code unchanged" carry their own negation.
        // A belief's topic is what the claim is about, whichever way it
        // leans: "new data isn't a change" still talks about new data.
        // "retrain .. same code" names what stayed the same itself.
        let names_same = span.clone().any(|k| {
            cleaned[items[k].start as usize..items[k].end as usize].eq_ignore_ascii_case("same")
        });
        // "not promoting today, only registering v7 of the model": a release
        // signal whose first word is negated and whose last word stands past
        // a clause break is led by the negated word, so it is negated too.
        let straddles = || {
            rule.kind == RuleKind::Promote
                && negated[span.start]
                && !negated[span.end - 1]
                && span.clone().any(|k| {
                    items[k].tok == COMMA || engine.lexicon.has(items[k].tok, class::CONTRAST)
                })
        };
        let is_negated = rule.negatable
            && !hit.own_cue
            && !names_same
            && hit.reach != Reach::About
            && (negated[span.end - 1] || straddles());
        let (s, e) = (items[span.start].start, items[span.end - 1].end);
        if aside_circumstances
            && hit.reach == Reach::Signal
            && matches!(rule.kind, RuleKind::Change | RuleKind::Promote)
            && in_circumstance(s as usize)
        {
            continue;
        }
        let words = &cleaned[s as usize..e as usize];
        if !is_negated
            && matches!(rule.kind, RuleKind::Change | RuleKind::Promote)
            && !rule.fallback
                        // Functions, their outputs, docs and tests are about code;
            // they do not make a name on their line something else.
            && !matches!(
                rule.subject,
                Subject::Function | Subject::Output | Subject::Docs | Subject::Tests
            )
            && hit.reach == Reach::Signal
        {
            claimed.insert(line_of(s as usize));
            if rule.kind == RuleKind::Change {
                changed_lines.insert(line_of(s as usize));
            }
        }
        if !is_negated && rule.kind == RuleKind::Change && !rule.fallback {
            specific_lines.insert(line_of(s as usize));
            if rule.owns_line_paths {
                owned_lines.insert(line_of(s as usize));
            }
        }
        // "the lead wants a full integration run in staging": a kind of test
        // named where the message proposes tests is part of the plan, as a
        // change rule's words there are.
        let proposing = !is_negated
            && (matches!(rule.kind, RuleKind::Change | RuleKind::Promote)
                || (rule.kind == RuleKind::Topic
                    && rule.questions_only
                    && (!mood.is_in_question_at(s as usize)
                        || mood.is_asking_need_at(s as usize))))
            && mood.is_proposing_at(s as usize);
        let deferring = !is_negated
            && rule.kind == RuleKind::Promote
            && ((mood.present && mood.is_deferring_at(items[span.end - 1].start as usize))
                || is_called_off(s as usize));
        // "every PR gets a canary", "how long should a canary sit at 5%?":
        // a release named in a general sentence or a question is talked
        // about, not intended.
        let intended = !is_negated
            && rule.kind == RuleKind::Promote
            && hit.reach == Reach::Signal
            && !mood.is_general_at(s as usize);
        intends |= intended;
        // "the team is weighing promotion from test to prod. which tests?":
        // a release stated, not asked about, describes the situation at hand.
        stated_release |= intended && !mood.is_in_question_at(s as usize);
        // "the dedupe step in clean_events.py": a place named in the sentence
        // of a code file is a part of that file, not a change of its own.
        if hit.reach == Reach::Place && code_file_sentences.contains(&sentence_of[span.start]) {
            continue;
        }
        // A belief's topic in a claim of the writer's own, not one reported
        // as someone else's: a question beside it argues for it.
        holds_claim |= hit.reach == Reach::About
            && !is_negated
            && mood.is_claiming_at(s as usize)
            && !mood.is_reported_at(s as usize);
        // "the study guide's trap about hyperparameters: what is the wrong
        // assumption?": the belief a trap is named for is asked about.
        let into = if hit.reach == Reach::About && mood.asks && mood.is_naming_a_trap_at(s as usize)
        {
            &mut asked
        } else if hit.reach == Reach::About {
            &mut voiced
        } else if hit.reach == Reach::Place {
            if after_preposition(&lower[..s as usize]) {
                located.insert(s as usize);
            }
            &mut placed
        } else if deferring {
            &mut later
        } else if proposing {
            &mut planned
        } else {
            if rule.kind == RuleKind::Change {
                let sentence = sentence_of[span.start];
                let seen = last_said.entry(hit.rule).or_default();
                if is_negated {
                    seen.2 = Some((sentence, span.start, span.end));
                } else {
                    seen.0 = Some(sentence);
                    seen.1.push((span.start, span.end));
                }
            }
            &mut fired
        };
        record(into, hit.rule, s as usize, !is_negated, words);
    }
    // "new num_leaves + model card. actually I reverted the num_leaves bit":
    // a change taken back in a later sentence than every report of it is
    // withdrawn; the latest word wins. "no other hyperparameters changed"
    // and "otherwise untouched" speak of the rest, not of what was told; a
    // claim ("serving never sees wd") denies an effect, and an answer that
    // opens with "no" is the thread's to read.
    // "changed max_depth; actually I reverted that": a revert whose object
    // is a pointer takes back what the sentence before it told. Revert words
    // are negation cues, so only negated items need a look.
    let mut pointed_back: Vec<u32> = Vec::new();
    // Most messages revert nothing: one look at the whole spares the items.
    if !last_said.is_empty() && lower.contains("revert") {
        for k in (0..items.len()).filter(|&k| negated[k]) {
            let w = &lower[items[k].start as usize..items[k].end as usize];
            if engine.lexicon.reverts().iter().any(|r| r == w)
                && matches!(
                    lower[items[k].end as usize..]
                        .split(|c: char| !c.is_alphanumeric())
                        .find(|w| !w.is_empty()),
                    Some("that" | "it" | "this" | "those" | "them")
                )
                && !mood.is_claiming_at(items[k].start as usize)
                && !mood.is_in_question_at(items[k].start as usize)
            {
                pointed_back.push(sentence_of[k]);
            }
        }
    }
    for (rule, seen) in &last_said {
        if let Some(told) = seen.0
            && told + 1 < u32::MAX
            && pointed_back.contains(&(told + 1))
            && seen.2.is_none_or(|(denied, _, _)| denied <= told + 1)
            && let Some(entry) = fired.get_mut(rule)
        {
            entry.1 = false;
            continue;
        }
        let word = |k: usize| &lower[items[k].start as usize..items[k].end as usize];
        if let (Some(told), Some((denied, at, end))) = (seen.0, seen.2)
            && denied > told
            && let Some(entry) = fired.get_mut(rule)
        {
            let pos = items[at].start as usize;
            let opening = items[..at]
                .iter()
                .rposition(|i| i.tok == BREAK)
                .map_or(0, |k| k + 1);
            let sentence: Vec<&str> = (opening..items.len())
                .take_while(|&k| items[k].tok != BREAK)
                .map(word)
                .collect();
            let taken: Vec<&str> = (at..end)
                .filter(|&k| !engine.lexicon.has(items[k].tok, class::STOP))
                .map(word)
                .collect();
            let told: Vec<&str> = seen.1.iter().flat_map(|&(s, e)| (s..e).map(word)).collect();
            if withdraws(&told, &taken, &sentence, engine.lexicon.reverts())
                && !mood.is_claiming_at(pos)
                && !mood.is_in_question_at(pos)
                && !mood.is_general_at(pos)
            {
                entry.1 = false;
            }
        }
    }
    // A test named by identifier is a change to the tests; a setting given
    // a new value is a change to configuration.
    for (rule, named) in [
        (engine.special.tests, &named_other.tests),
        (engine.special.setting, &named_other.settings),
    ] {
        if let Some(rule) = rule {
            for (_, at, name) in named {
                record(&mut fired, rule, *at, true, name);
            }
        }
    }
    // "`model_version` is an int now, not a string", "`ts` became a string
    // instead of a timestamp": a value that moves from one data type to
    // another changes what it is to whoever reads it, as a new unit does.
    // A message that already names the kind of change ("source schema
    // changed", "the feature view") has said what the type move says.
    let kind_named = fired.iter().any(|(&r, &(_, positive, _))| {
        let r = &engine.rules[r as usize];
        positive && r.kind == RuleKind::Change && !r.fallback && r.subject != Subject::Function
    });
    if let Some(rule) = engine.special.output.filter(|_| !kind_named) {
        for (s, e) in type_moves(&lower, engine.lexicon.data_types()) {
            if !mood.is_in_question_at(s) && !mood.is_general_at(s) {
                record(&mut fired, rule, s, true, &cleaned[s..e]);
            }
        }
    }
    // "`predict_batch` returns a dict keyed by item id now, not a list in
    // input order. the reranker zips it with its input list": a value set
    // against its old form, and a part of the ML system named in a clause
    // after it, whatever the verb: the new form reaches that part.
    if let Some(rule) = engine.special.output {
        for (s, e) in output_shifts(
            &lower,
            engine.lexicon.shift_markers(),
            engine.lexicon.component_nouns(),
            engine.lexicon.kept_words(),
        ) {
            if !mood.is_in_question_at(s) && !mood.is_general_at(s) {
                record(&mut fired, rule, s, true, &cleaned[s..e]);
            }
        }
    }
    // Readers, kept apart: they count only when something moved beside them.
    let mut named_readers: FxHashMap<u32, (usize, bool, Vec<String>)> = FxHashMap::default();
    if let Some(rule) = engine.special.readers {
        for c in readers.iter().filter(|c| !c.one) {
            record(
                &mut named_readers,
                rule,
                c.text.0,
                true,
                &cleaned[c.text.0..c.text.1],
            );
        }
    }
    // Lines where a pasted path names a specific change (`requirements.txt`).
    let path_lines: rustc_hash::FxHashSet<usize> = paths
        .iter()
        .zip(&path_rules)
        .filter(|(_, rule)| rule.is_some_and(|r| !engine.rules[r as usize].fallback))
        .map(|(&(_, start, _), _)| line_of(start))
        .collect();
    // "fixed `count_emojis` in src/featurization/text_utils.py": the file of
    // code after a name is where that function lives, not a change of its
    // own, and the name stays a function on the path's line.
    let home_of = |at: usize, name: &str| {
        let rest = cleaned[at + name.len()..].trim_start_matches(['`', ' ', '(', ')']);
        let rest = rest.strip_prefix("in ")?.trim_start_matches(['`', ' ']);
        let offset = cleaned.len() - rest.len();
        paths
            .iter()
            .find(|&&(p, start, _)| start == offset && paths::is_code_file(p))
            .map(|&(_, start, _)| start)
    };
    let homes: rustc_hash::FxHashSet<usize> = named_code
        .iter()
        .filter_map(|(_, at, name)| home_of(*at, name))
        .collect();
    // "didn't touch `compute_rfm()`", "no changes to `parse_date()`": a
    // function named after a negation in its own clause is what did not
    // change. One that opens its clause before the negation ("`parse_ts()`
    // didn't handle DST") is the subject of a bug told, and stays.
    // A revert is a change of its own ("reverted `foo()` to last week's
    // version"): it denies nothing here.
    // Only beside a change that stands: "we never touched `parse_ts()`, but
    // both jobs call it" tells nothing else, and is still about that function.
    let other_change = hits.iter().any(|h| {
        let r = &engine.rules[h.rule as usize];
        matches!(r.kind, RuleKind::Change | RuleKind::Promote)
            && !r.fallback
            && h.reach == Reach::Signal
            && !(r.negatable && negated[h.end as usize - 1])
    });
    let denied_code = |item: u32| {
        let item = item as usize;
        other_change
            && negated[item]
            && (0..item)
                .rev()
                .take_while(|&k| {
                    negated[k]
                        && items[k].tok != COMMA
                        && items[k].tok != BREAK
                        && !engine
                            .lexicon
                            .has(items[k].tok, class::JOINER | class::CONTRAST)
                })
                .any(|k| {
                    let word = lower[items[k].start as usize..items[k].end as usize].to_owned();
                    engine
                        .lexicon
                        .has(items[k].tok, class::NEG_CLAUSE | class::NEG_FORWARD)
                        && !engine.lexicon.reverts().contains(&word)
                })
    };
    let code_units: Vec<(usize, String)> = named_code
        .into_iter()
        .filter(|(item, _, _)| !is_owned(*item) && !denied_code(*item))
        .filter(|(_, at, name)| {
            let after = &cleaned[*at + name.len()..];
            // "`normalizeAmount` now returns cents": only code returns.
            let returns = [
                "returns",
                "now returns",
                "no longer returns",
                "to return",
                "raises",
                "now raises",
            ]
            .iter()
            .any(|w| after.trim_start_matches(['`', ' ']).starts_with(w));
            after.starts_with('(')
                || returns
                || home_of(*at, name).is_some()
                || !claimed.contains(&line_of(*at)) && !path_lines.contains(&line_of(*at))
        })
        .map(|(_, at, name)| (at, name))
        .collect();
    for &(at, _) in &code_units {
        specific_lines.insert(line_of(at));
    }
    // "fixed clean_text() in the feature pipeline", "a single feature
    // transformation": the pipeline is where the function lives, not a
    // second change.
    let function_named = !code_units.is_empty()
        || fired.iter().any(|(&r, &(_, positive, _))| {
            positive && engine.rules[r as usize].subject == Subject::Function
        });
    // "what does the validation task check before the alias moves?": a
    // question that reports no change and says none has no change for a
    // place to locate.
    let asks_about_nothing_changed = mood.asks && !mood.reports && !mood.mentions_change;
    if !function_named && !asks_about_nothing_changed {
        for (rule, (at, positive, words)) in placed {
            if located.contains(&at) && changed_lines.contains(&line_of(at)) {
                continue;
            }
            for w in words {
                record(&mut fired, rule, at, positive, &w);
            }
        }
    }
    // A bare path is the only reading of that file, so a fallback rule it
    // triggers stays unless its own line names a specific change.
    let mut sticky = rustc_hash::FxHashSet::default();
    // So is a setting given a new value: nothing more specific names it.
    if !named_other.settings.is_empty()
        && let Some(rule) = engine.special.setting
    {
        sticky.insert(rule);
    }
    for (&(path, start, _), &rule) in paths.iter().zip(&path_rules) {
        if let Some(rule) = rule {
            let line = line_of(start);
            let r = &engine.rules[rule as usize];
            if homes.contains(&start) && !matches!(r.subject, Subject::Docs | Subject::Tests) {
                continue;
            }
            // "renamed var `lr` -> `learning_rate` in train.py": the file of
            // code a rename names is where the names moved; only its reading
            // as code in general stays.
            if !r.fallback
                && paths::is_code_file(path)
                && !matches!(r.subject, Subject::Docs | Subject::Tests)
                && rename_sentences.contains(&sentence_at(start))
            {
                continue;
            }
            if owned_lines.contains(&line) && !r.owns_line_paths {
                continue;
            }
            if r.fallback && !specific_lines.contains(&line) {
                sticky.insert(rule);
            }
            record(&mut fired, rule, start, true, path);
        }
    }
    for hit in &asked_hits {
        let (s, e) = (
            items[hit.start as usize].start,
            items[hit.end as usize - 1].end,
        );
        let words = &cleaned[s as usize..e as usize];
        record(&mut asked, hit.rule, s as usize, true, words);
    }
    let mut facts = decision::Facts {
        sticky,
        code_units,
        // A file named in a question about a kind of change is an example of
        // the kind ("when a team bumps pandas in requirements.txt, ...?").
        // "docs+tests only. Nothing in `src/`.": a change confined to docs
        // or tests is reported by the confinement itself, which is told
        // outside any claim; a verdict in another sentence ("Should be a
        // quick one") is about this change, not in its place.
        reports: mood.reports
            || (confined && !mood.asks)
            || paths.iter().any(|&(p, at, _)| {
                let example = mood.is_kind_question_at(at)
                    || (mood.is_general_at(at) && mood.is_in_question_at(at));
                !p.ends_with('/') && !example
            }),
        asks: mood.asks,
        argues: mood.argues,
        // A question about a kind of change beside a verdict ("e2e in stg
        // for a docstring fix? overkill no?") argues about the change.
        mentions_change: mood.mentions_change
            || ((mood.argues
                || mood
                    .claiming
                    .iter()
                    .any(|&(s, _)| !mood.is_kind_question_at(s)))
                && !mood.kind_questions.is_empty()),
        says_change: mood.says_change,
        points_at: mood.points_at,
        personal: mood.personal,
        intends,
        fixes: mood.fixes,
        claims: mood.claims,
        denies: mood.denies,
        asks_purpose: mood.asks_purpose,
        asks_difference: false,
        asks_split: mood.asks_split,
        stated_release,
        holds_claim,
        // One reader said to be the only one ("only the report helpers call
        // it") is the function's own caller: nobody else sees its output.
        no_readers: engine.special.readers.is_some()
            && (readers::denied(&items, &cleaned, &engine.lexicon, &negated)
                || (readers.iter().any(|c| c.one) && readers.iter().all(|c| c.one))),
        ..Default::default()
    };
    for (rule, (at, positive, words)) in fired {
        let f = decision::Fired { at, rule, words };
        if positive {
            facts.positive.push(f);
        } else {
            facts.ignored.push(f);
        }
    }
    for (rule, (at, _, words)) in named_readers {
        facts.readers.push(decision::Fired { at, rule, words });
    }
    for (rule, (at, _, words)) in asked {
        if !facts.positive.iter().any(|f| f.rule == rule) {
            facts.asked.push(decision::Fired { at, rule, words });
        }
    }
    for (rule, (at, positive, words)) in later {
        if positive && !facts.positive.iter().any(|f| f.rule == rule) {
            facts.deferred.push(decision::Fired { at, rule, words });
        }
    }
    for (rule, (at, positive, words)) in planned {
        if positive && !facts.positive.iter().any(|f| f.rule == rule) {
            facts.proposed.push(decision::Fired { at, rule, words });
        }
    }
    for (rule, (at, positive, words)) in voiced {
        if positive && !facts.positive.iter().any(|f| f.rule == rule) {
            // Voiced in a sentence that claims: about the change told
            // elsewhere in the message, if it tells one.
            let claimed = mood.is_claiming_at(at);
            let f = decision::Fired { at, rule, words };
            if claimed {
                facts.voiced_in_claims.push(f.clone());
            }
            facts.voiced.push(f);
        }
    }
    // Whether a monitor fired matters only beside a monitor's own settings,
    // so the words are looked for only then.
    let monitor = |f: &decision::Fired| engine.rules[f.rule as usize].subject == Subject::Monitor;
    if [
        &facts.positive,
        &facts.deferred,
        &facts.proposed,
        &facts.voiced,
        &facts.asked,
    ]
    .iter()
    .any(|list| list.iter().any(monitor))
    {
        facts.monitor_fired = tells_any(&lower, engine.lexicon.monitor_events());
    }
    let context = domain_at.iter().any(|&k| !everyday_item[k as usize]);
    // "guide trap: using unit tests to stand in for whole-system confidence.
    // what's the better rule?": a scope named in the words of a belief that
    // is only asked about is part of that belief, not a scope asked about.
    let in_asked_belief = |k: usize| {
        asked_hits.iter().any(|h| {
            (h.start as usize..h.end as usize).contains(&k)
                && engine.rules[h.rule as usize].kind == RuleKind::Trap
        })
    };
    // "is it normal that staging has less data than prod?", "what makes a
    // test release-gating as opposed to an integration test?": in a
    // question, a stage or scope named from a comparison marker to the end of
    // its clause is the standard the subject is measured against, and one
    // named in a condition after the question ("..., if staging already
    // mirrors it?") the circumstance it is asked in. Either is set aside when
    // the question names a stage or scope outside such a span. One pass over
    // the items and the text between them, no allocation unless a stage or
    // scope is named in such a span.
    let mut measured_scopes: Vec<usize> = Vec::new();
    let mut measured_stages: Vec<usize> = Vec::new();
    let mut in_standard = false;
    let mut in_denied = false;
    // "the test stage and staging": one stage under two names.
    let mut stage_word: [Option<&str>; 8] = [None; 8];
    let mut two_names = false;
    for (k, (item, &everyday)) in items.iter().zip(&everyday_item).enumerate() {
        if item.tok == BREAK || item.tok == COMMA || engine.lexicon.has(item.tok, class::JOINER) {
            in_standard = false;
            in_denied = false;
        } else if mood.asks && engine.lexicon.has(item.tok, class::COMPARE) {
            in_standard = true;
        } else if mood.asks && k > 0 && items[k - 1].tok != BREAK {
            let gap = cleaned
                .get(items[k - 1].end as usize..item.start as usize)
                .unwrap_or("");
            let words = gap.split(|c: char| !c.is_ascii_alphabetic());
            // "what's prod for, if staging already mirrors it?": a condition
            // after the question is the circumstance it is asked in.
            // "what is staging supposed to catch that dev doesn't?": a
            // relative clause that ends on a negated auxiliary names what the
            // subject is measured against.
            // Only the scopes, unless the question asks what its subject is
            // for: "what does prod add that staging doesn't?" sets two
            // stages side by side.
            for w in words {
                if w.eq_ignore_ascii_case("if") || w.eq_ignore_ascii_case("since") {
                    in_standard = true;
                } else if w.eq_ignore_ascii_case("that")
                    && clause_ends_denied(&cleaned, &items[k..])
                {
                    in_denied = true;
                }
            }
        }
        if !context && everyday {
            continue;
        }
        for &(tok, scope) in &engine.scope_names {
            if in_asked_belief(k) {
                break;
            }
            if item.tok == tok {
                if in_standard || in_denied {
                    measured_scopes.push(scope);
                } else if !facts.named_scopes.contains(&scope) {
                    facts.named_scopes.push(scope);
                }
            }
        }
        for &(tok, stage) in &engine.stage_names {
            // "prod-like data", "production-like volumes" describe what
            // another stage holds; they name no stage of their own.
            if item.tok == tok
                && !cleaned
                    .get(item.end as usize..)
                    .is_some_and(|rest| rest.starts_with("-like"))
            {
                let typed = cleaned
                    .get(item.start as usize..item.end as usize)
                    .unwrap_or("");
                if let Some(seen) = stage_word.get_mut(stage) {
                    two_names |= seen.is_some_and(|w| !w.eq_ignore_ascii_case(typed));
                    seen.get_or_insert(typed);
                }
                // "what's staging supposed to catch that dev doesn't?": the
                // job of one stage asked, measured against another.
                if in_standard || (in_denied && mood.asks_purpose) {
                    measured_stages.push(stage);
                } else if !facts.named_stages.contains(&stage) {
                    facts.named_stages.push(stage);
                }
            }
        }
    }
    let named_outside = !facts.named_scopes.is_empty() || !facts.named_stages.is_empty();
    if !named_outside {
        for s in measured_scopes {
            if !facts.named_scopes.contains(&s) {
                facts.named_scopes.push(s);
            }
        }
    }
    if !named_outside {
        for s in measured_stages {
            if !facts.named_stages.contains(&s) {
                facts.named_stages.push(s);
            }
        }
    }
    // "dev, test and prod", "dev/test/prod", "dev vs test vs prod": between
    // the names of the stages before and after it, "test" names the stage
    // between them.
    let stage_of = |i: &Item| engine.stage_named(i.tok);
    let listed = |i: &&Item| {
        i.tok != COMMA
            && !engine.lexicon.has(i.tok, class::JOINER)
            && !engine.lexicon.has(i.tok, class::COMPARISON)
    };
    for (k, item) in items.iter().enumerate() {
        if engine.lexicon.name(item.tok) != "test" {
            continue;
        }
        let before = items[..k].iter().rev().find(listed).and_then(stage_of);
        let after = items[k + 1..].iter().find(listed).and_then(stage_of);
        if let (Some(a), Some(b)) = (before, after)
            && a + 2 == b
            && !facts.named_stages.contains(&(a + 1))
        {
            facts.named_stages.push(a + 1);
        }
    }
    // "the difference between unit, integration and release-gating tests":
    // in a question about tests, a scope's bare name names it too.
    // "who's in for the test kitchen's new pizza place?": a noun after
    // "test" that never follows an ML word (`everyday_heads`) gives it its
    // everyday sense, so the question is not about testing. Nor is "test"
    // in what a talk or a paper is about ("a workshop paper on test-time
    // adaptation").
    let says_test = items.iter().enumerate().any(|(k, i)| {
        engine.lexicon.name(i.tok) == "test"
            && !topic_item[k]
            && !items
                .get(k + 1)
                .is_some_and(|n| engine.lexicon.has(n.tok, class::EVERYDAY_HEAD))
    });
    let about_tests = says_test || !facts.named_scopes.is_empty();
    facts.says_test = says_test;
    facts.compares = items
        .iter()
        .any(|i| engine.lexicon.has(i.tok, class::COMPARISON));
    if mood.asks && about_tests {
        for item in &items {
            for &(tok, s) in &engine.scope_words {
                if item.tok == tok && !facts.named_scopes.contains(&s) {
                    facts.named_scopes.push(s);
                }
            }
        }
        // "..., a unit test or an integration test?": scopes offered as
        // alternatives, for the kind of test asked about to choose from.
        let scope_of = |i: &Item| {
            engine
                .scope_words
                .iter()
                .chain(&engine.scope_names)
                .find(|&&(tok, _)| tok == i.tok)
                .map(|&(_, s)| s)
        };
        facts.offers_scopes = items.windows(3).any(|w| {
            engine.lexicon.name(w[1].tok) == "or"
                && scope_of(&w[0])
                    .zip(scope_of(&w[2]))
                    .is_some_and(|(a, b)| a != b)
        });
    }
    facts.named_scopes.sort_unstable();
    facts.named_stages.sort_unstable();
    // "what's the difference between the test stage and staging?": asked
    // how one stage's two names differ, the question asks what it is.
    facts.asks_difference = mood.asks_difference && two_names;
    // "the lead wants the full staging e2e": the deepest scope a proposal of
    // tests names, directly or by the stage it runs in.
    // Tests declined ("no need to run the staging pipeline", "not
    // retraining for that") are no plan: they name no depth.
    let declined = |k: usize| negated[k] && declined_at(&cleaned, items[k].start as usize);
    facts.proposed_depth = items
        .iter()
        .enumerate()
        .filter(|&(k, i)| mood.is_proposing_at(i.start as usize) && !declined(k))
        .map(|(_, i)| i)
        .filter_map(|i| {
            let scope = engine
                .scope_names
                .iter()
                .find(|&&(tok, _)| tok == i.tok)
                .map(|&(_, s)| s);
            let staged = engine
                .stage_named(i.tok)
                .and_then(|stage| engine.scopes.iter().rposition(|s| s.stage == stage));
            scope.max(staged)
        })
        .max();
    // "no retrain, no staging run, just the usual PR checks", "I'm not
    // retraining or running staging for that": heavier tests declined.
    facts.declines_tests = items.iter().enumerate().any(|(k, i)| {
        declined(k)
            && (engine.scope_names.iter().any(|&(t, s)| t == i.tok && s > 0)
                || engine.stage_named(i.tok).is_some_and(|s| s > 0))
            // "no prod code touched": the stage names the code, not a test.
            && !cleaned[i.end as usize..].trim_start().starts_with("code")
    }) || facts.ignored.iter().any(|f| {
        let r = &engine.rules[f.rule as usize];
        (r.kind == RuleKind::Topic || r.subject == Subject::Retrain)
            && f.at < cleaned.len()
            && declined_at(&cleaned, f.at)
    });
    facts
}

/// Whether a negated word at `at` is declined by a cue of its own a few
/// words before it ("no staging run", "not retraining or running staging",
/// "no need to run the staging pipeline"), rather than caught in a clause
/// that a later word negates ("behaviour unchanged, and the lead wants a
/// full staging run", "can't be too careful").
fn declined_at(cleaned: &str, at: usize) -> bool {
    let before = cleaned.get(..at).unwrap_or("");
    before
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .rev()
        .take(5)
        .any(|w| {
            ["no", "not", "without", "nor", "skip", "skipping", "never"]
                .iter()
                .any(|cue| w.eq_ignore_ascii_case(cue))
        })
}

/// An identifier read as code: its first item, its byte offset, its name.
type NamedCode = (u32, usize, String);

/// The functions a message names as the subject of a change, with their
/// positions, and the item ranges their names cover. An identifier counts
/// when it is called or quoted as code, or when it is shaped like code and
/// its sentence says something changed; never when the knowledge base knows
/// the whole name (`max_depth`, `log_model`) or it sits next to a data noun
/// ("the `user_id` column").
/// The concept of units a value is measured in (`lexicon.toml`): words that
/// a function's name may hold without making the name vocabulary.
const MEASURE_UNIT: &str = "@measure-unit";
/// A time format in a name says what the code converts to (`to_epoch_ms`).
const EPOCH_TIME: &str = "@epoch-time";
/// So does a clock (`to_utc`, `local_time_to_utc`).
const TIMEZONE: &str = "@timezone";

fn code_units_named(
    engine: &Engine,
    reports: bool,
    cleaned: &str,
    paths: &[(&str, usize, usize)],
    items: &[Item],
    hits: &[Hit],
) -> (Vec<NamedCode>, Vec<(u32, u32)>, NamedOther) {
    let lex = &engine.lexicon;
    let mut units = Vec::new();
    let mut spans = Vec::new();
    let mut tests = Vec::new();
    let mut settings = Vec::new();
    // Signals by the span they cover, found once.
    let mut exact: FxHashMap<(u32, u32), (bool, bool)> = FxHashMap::default();
    for h in hits {
        if engine.rules[h.rule as usize].kind != RuleKind::Trap {
            let e = exact.entry((h.start, h.end)).or_default();
            e.0 = true;
            e.1 |= h.code_like;
        }
    }
    // Per item, its sentence; per sentence, whether it says something
    // changed or names a function. Found once, so many names stay linear.
    let function = engine.function;
    let mut sentence_of = Vec::with_capacity(items.len());
    let mut changed_sentence = vec![false];
    for i in items {
        if i.tok == BREAK {
            changed_sentence.push(false);
        }
        let n = changed_sentence.len() - 1;
        sentence_of.push(n as u32);
        if lex.has(i.tok, class::CHANGE) || function == Some(i.tok) {
            changed_sentence[n] = true;
        }
    }
    for ident in code_units::find(cleaned, paths, lex.pattern_suffixes()) {
        let (s, e) = (ident.start as u32, ident.end as u32);
        let first = items.partition_point(|i| i.start < s);
        let last = items.partition_point(|i| i.end <= e);
        if first >= last {
            continue;
        }
        let (first, last) = (first as u32, last as u32);
        // A signal covering exactly the name: the rules know it; spelled as
        // code (`log_model`), it names an API.
        let (known, api) = exact.get(&(first, last)).copied().unwrap_or((false, false));
        // Names made only of known terms (`max_depth`, `lightgbm`) are
        // vocabulary, not code. A unit of measure in a name says what the
        // code converts (`to_celsius`, `cents_to_dollars`): that is code.
        let vocabulary = items[first as usize..last as usize].iter().all(|i| {
            let name = lex.name(i.tok);
            name.starts_with('@') && ![MEASURE_UNIT, EPOCH_TIME, TIMEZONE].contains(&name)
        });
        // A name in backticks or called is code even when its words make a
        // signal (`_rolling_mean`); only library vocabulary stays vocabulary.
        // A class the rules know, called with its arguments
        // (`KFold(n_splits=5)`), is the library's, not the team's code.
        let library_class =
            known && cleaned[ident.start..ident.end].starts_with(|c: char| c.is_ascii_uppercase());
        // `Normalizer.fit` quoted: a method changed is the team's code, even
        // when the class and the method are words the rules know; the class
        // is part of its name, not a change of its own.
        let method = ident.class.filter(|_| ident.marked);
        if method.is_none() && (vocabulary || api || library_class || (known && !ident.marked)) {
            continue;
        }
        let first = method.map_or(first, |c| {
            (items.partition_point(|i| (i.start as usize) < c) as u32).min(first)
        });
        // "reran `fit()` on November data", "switched from `predict()` to
        // `predict_proba()`": a method every estimator has, named alone, is a
        // call to the library; on a class of the team's (`Clipper.fit()`) or
        // after an owner ("our `predict()` wrapper", "the wrapper's
        // `predict()`") it is the team's code.
        if ident.class.is_none() && lex.is_library_method(&cleaned[ident.start..ident.end]) {
            let before = cleaned[..ident.start].trim_end_matches(['`', ' ']);
            let owned = before
                .rsplit(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
                .filter(|w| !w.is_empty())
                .take(3)
                .any(|w| {
                    let w = w.to_ascii_lowercase();
                    lex.library_method_owners().contains(&w)
                        || w.ends_with("'s")
                        || w.ends_with("’s")
                });
            if !owned {
                continue;
            }
        }
        // `max_seq_len` 512 -> 256: a setting the rules do not know.
        if ident.setting {
            if !known {
                settings.push((
                    first,
                    ident.start,
                    cleaned[ident.start..ident.end].to_owned(),
                ));
                spans.push((first, last));
            }
            continue;
        }
        // `test_currency_convert`, `parser_test`: a test names what it checks;
        // it is a change to the tests, not to a function of the product.
        let name = &cleaned[ident.start..ident.end];
        // `split_train_test` ends in "_test" as a split does: the name says
        // what it splits into, not that it is a test.
        let split = name.ends_with("train_test");
        if name.starts_with("test_")
            || (name.ends_with("_test") && !split)
            || name.starts_with("Test")
        {
            tests.push((first, ident.start, name.to_owned()));
            spans.push((first, last));
            continue;
        }
        let beside = |k: Option<usize>| {
            k.and_then(|k| items.get(k))
                .is_some_and(|i| lex.has(i.tok, class::DATA_NOUN))
        };
        // "fixed `to_snake_case` for strings with digits": the data a
        // preposition puts after a name is what the code handles, not the
        // name's noun ("the `user_id` column").
        let handles = |k: usize| {
            items.get(k).is_some_and(|n| {
                let gap = cleaned.get(ident.end..n.start as usize).unwrap_or_default();
                gap.split(|c: char| !c.is_alphanumeric())
                    .any(|w| matches!(w, "for" | "with" | "on" | "when"))
            })
        };
        // "a local var in `bucketize_income`", "the regex for order ids in
        // `extract_order_id`": a noun that "in" ties to a name marked as code
        // lives in it; the name is the code, not data. ("the schema of
        // `events_clean`" and "the join in build_labels" may name tables.)
        let inside = ident.marked
            && cleaned[..ident.start]
                .trim_end_matches(['`', ' '])
                .rsplit(|c: char| !c.is_alphanumeric())
                .next()
                .is_some_and(|w| matches!(w, "in" | "inside" | "within"));
        // "`build_features` now runs before `dedupe_users`": a name that
        // runs before or after another is a step of a workflow, not a
        // function changed.
        let step = {
            let after = cleaned[ident.end..]
                .trim_start_matches(['`', ' '])
                .trim_start_matches("now ")
                .trim_start_matches("also ");
            let before = cleaned[..ident.start].trim_end_matches(['`', ' ']);
            const ORDER: [&str; 4] = ["runs before", "runs after", "run before", "run after"];
            ORDER
                .iter()
                .any(|w| after.starts_with(w) || before.ends_with(w))
        };
        // Called ("`strip_html()` now runs before `lowercase()`"), they are
        // code put in a new order inside a function.
        let called = cleaned[ident.end..].starts_with('(');
        if step && !called {
            continue;
        }
        // "field 4 `user_features`", "column 3 `amt`": a count between the
        // noun and the name keeps the name the noun's.
        let counted = (first as usize)
            .checked_sub(2)
            .is_some_and(|k| items[k + 1].tok == NUMBER && beside(Some(k)));
        // "`PredictResponse.probabilities` is now a map ...", "`price` is a
        // string now": a name said to be of a data type is a value that
        // readers see, not code.
        let typed_value = {
            let after: Vec<String> = cleaned[ident.end..]
                .split(|c: char| !c.is_alphanumeric() && c != '_')
                .filter(|w| !w.is_empty())
                .take(4)
                .map(str::to_lowercase)
                .collect();
            let mut rest = after.iter().map(String::as_str).peekable();
            rest.next()
                .is_some_and(|w| matches!(w, "is" | "are" | "was"))
                && {
                    while rest
                        .peek()
                        .is_some_and(|w| matches!(*w, "now" | "also" | "a" | "an"))
                    {
                        rest.next();
                    }
                    rest.next()
                        .is_some_and(|w| w == "nested" || lex.data_types().iter().any(|t| t == w))
                }
        };
        if !called
            && ((beside(Some(last as usize)) && !handles(last as usize))
                || (!inside && beside((first as usize).checked_sub(1)))
                || counted
                || typed_value)
        {
            continue;
        }
        // "now it calculates avg_basket on 30 days, this feature goes to
        // training": what a computing verb works out is a value, when the
        // message says it is a feature (otherwise the name is all it says).
        let computed = (first as usize)
            .checked_sub(1)
            .and_then(|k| items.get(k))
            .is_some_and(|i| lex.has(i.tok, class::COMPUTE));
        if !called
            && !ident.marked
            && computed
            && items.iter().any(|i| lex.name(i.tok).contains("featur"))
        {
            continue;
        }
        let changed = || changed_sentence[sentence_of[first as usize] as usize];
        // "normalizeAmount was eating the minus sign. patched it": the name
        // opens its sentence and the message says it was changed.
        let opens_at = |k: usize| k == 0 || items[k - 1].tok == BREAK;
        // "DateUtils.to_epoch_ms now raises ...": a method opens its sentence
        // when its class does.
        let head = cleaned[..ident.start]
            .trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.');
        let opens_sentence = opens_at(first as usize)
            || (head.len() + 1 < ident.start
                && opens_at(items.partition_point(|i| (i.start as usize) < head.len())));
        if ident.marked || changed() || (opens_sentence && reports) {
            units.push((
                first,
                ident.start,
                cleaned[ident.start..ident.end].to_owned(),
            ));
            spans.push((first, last));
        }
    }
    // "the regex for IBANs did not accept spaces, I fixed it": a function
    // named by its kind alone, in a message that reports a change.
    if reports && units.is_empty() {
        for (k, item) in items.iter().enumerate() {
            if function == Some(item.tok)
                && !spans
                    .iter()
                    .any(|&(s, e)| s as usize <= k && k < e as usize)
            {
                units.push((
                    k as u32,
                    item.start as usize,
                    cleaned[item.start as usize..item.end as usize].to_owned(),
                ));
                break;
            }
        }
    }
    debug_assert!(
        spans.windows(2).all(|w| w[0].1 <= w[1].0),
        "names in text order"
    );
    (units, spans, NamedOther { tests, settings })
}

/// Identifiers that name something other than a function.
struct NamedOther {
    /// Tests (`test_currency_convert`): a change to the tests.
    tests: Vec<NamedCode>,
    /// Settings given a new value (`max_seq_len` 512 -> 256).
    settings: Vec<NamedCode>,
}

/// Whether the word right after byte `end` of `cleaned` is a compound head
/// ("flag" after "feature", also hyphenated: "the lr-finder helper"), so the
/// word before it is a modifier.
fn modifies_next(cleaned: &str, end: usize, engine: &Engine) -> bool {
    let rest = &cleaned[end..];
    let after = rest.trim_start_matches([' ', '-']);
    if after.len() == rest.len() {
        return false;
    }
    let word_end = after
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(after.len());
    word_end > 0 && engine.lexicon.is_compound_head(&after[..word_end])
}

/// The byte ranges of the words of `text` that are one of `words` (lower
/// case), in text order.
/// Whether `lower` says one of `phrases` (each one or more whole words).
fn tells_any(lower: &str, phrases: &[String]) -> bool {
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    phrases.iter().any(|p| {
        let p: Vec<&str> = p.split_whitespace().collect();
        !p.is_empty() && words.windows(p.len()).any(|w| w == p.as_slice())
    })
}

fn words_at(text: &str, words: &[String]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                if words.iter().any(|w| w.eq_ignore_ascii_case(&text[s..i])) {
                    out.push((s, i));
                }
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// The byte ranges from each word of `cues` found in `lower` to the end of
/// its clause (`,` `;` `!` `?` a line end, or a `.` or `:` that ends a
/// sentence).
fn circumstance_clauses(lower: &str, cues: &[String]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let bytes = lower.as_bytes();
    let boundary = |i: usize| i >= bytes.len() || !bytes[i].is_ascii_alphanumeric();
    // One pass over the words; most words share no first letter with a cue.
    let mut opens = [false; 256];
    for cue in cues {
        if let Some(&b) = cue.as_bytes().first() {
            opens[b as usize] = true;
        }
    }
    for at in 0..bytes.len() {
        if !opens[bytes[at] as usize] || !(at == 0 || boundary(at - 1)) || boundary(at) {
            continue;
        }
        let rest = &lower[at..];
        // "so .. stops": the cue's head opens the clause only when the word
        // after the gap stands in it ("so the nightly retrain stops
        // failing"; "so we can ship it" draws a conclusion).
        let mut opened = None;
        for c in cues {
            // Most cues fail on their first two bytes; only those that pass
            // are split at their gap.
            if c.as_bytes().first() != Some(&bytes[at]) || c.as_bytes().get(1) != bytes.get(at + 1)
            {
                continue;
            }
            let (head, tail) = c.split_once(" .. ").unwrap_or((c.as_str(), ""));
            if !rest.starts_with(head) || !boundary(at + head.len()) {
                continue;
            }
            let end = clause_end(lower, at + head.len());
            if tail.is_empty() || holds_word(&lower[at + head.len()..end], tail) {
                opened = Some(end);
                break;
            }
        }
        if let Some(end) = opened {
            out.push((at, end));
        }
    }
    out
}

/// Where the clause that goes on at `from` ends: at a comma, semicolon,
/// `!`, `?`, a line break, or a period or colon not inside a word.
fn clause_end(lower: &str, from: usize) -> usize {
    let rest = &lower[from..];
    rest.char_indices()
        .find(|&(i, c)| {
            let after = &rest[i + c.len_utf8()..];
            matches!(c, ',' | ';' | '!' | '?' | '\n')
                || (matches!(c, '.' | ':') && !after.starts_with(|n: char| n.is_alphanumeric()))
        })
        .map_or(lower.len(), |(i, _)| from + i)
}

/// Whether `clause` holds `word` as a whole word.
fn holds_word(clause: &str, word: &str) -> bool {
    clause
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .any(|w| w == word)
}

/// Where a value is set against its old form (`markers`: "instead of",
/// "(was") and a clause after the marker's own names a part of the ML system
/// (`components`) in a clause that does not keep the output as it was or deny
/// it readers (`kept`: "same vocab out", "only our logging uses it"): the
/// marker's clause, as byte ranges of `lower`. A message that says the output
/// is kept anywhere shifts nothing.
fn output_shifts(
    lower: &str,
    markers: &[String],
    components: &[String],
    kept: &[String],
) -> Vec<(usize, usize)> {
    // A clause ends at a comma, a semicolon, a line or a sentence's end; a
    // period inside a word or a number ("np.float32", "0.995") ends nothing.
    let bytes = lower.as_bytes();
    let ends_clause = |p: usize| match bytes[p] {
        b',' | b';' | b'\n' | b'!' | b'?' | b':' => true,
        b'.' => bytes.get(p + 1).is_none_or(|c| c.is_ascii_whitespace()),
        _ => false,
    };
    let clause_end = |from: usize| {
        (from..lower.len())
            .find(|&p| ends_clause(p))
            .unwrap_or(lower.len())
    };
    let clause_start = |to: usize| (0..to).rev().find(|&p| ends_clause(p)).map_or(0, |p| p + 1);
    let is_word_at = |p: usize, w: &str| {
        lower[p..].starts_with(w)
            && (p == 0 || !lower[..p].ends_with(|c: char| c.is_alphanumeric() || c == '_'))
            && !lower[p + w.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_')
    };
    let denied = |clause: &str| {
        clause
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| kept.iter().any(|k| k == w))
    };
    let mut out = Vec::new();
    // Most messages hold no marker: the words that keep an output are
    // looked for only when one is there.
    if !markers.iter().any(|m| lower.contains(m.as_str())) || denied(lower) {
        return out;
    }
    for m in markers {
        let mut from = 0;
        while let Some(found) = lower[from..].find(m.as_str()) {
            let at = from + found;
            from = at + m.len().max(1);
            let alpha_edge = m.starts_with(|c: char| c.is_alphanumeric());
            if alpha_edge
                && at > 0
                && lower[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_')
            {
                continue;
            }
            let end = clause_end(at + m.len());
            // The clause's words, without the space after the stop before it.
            let start = at - lower[clause_start(at)..at].trim_start().len();
            if out.iter().any(|&(s, _)| s == start) {
                continue;
            }
            // The clauses after the marker's own, one at a time.
            let mut p = end;
            while p < lower.len() {
                let next = clause_end(p + 1);
                let clause = &lower[p..next];
                if !denied(clause)
                    && components.iter().any(|c| {
                        clause
                            .match_indices(c.as_str())
                            .any(|(k, _)| is_word_at(p + k, c))
                    })
                {
                    out.push((start, end));
                    break;
                }
                p = next;
            }
        }
    }
    out
}

/// The spans of the sentences of `lower` in which a value changes its data
/// type: two different types with a word of a move or a contrast between
/// them ("from int to string", "a string instead of a timestamp", "an
/// int now, not a string", "float rather than int"), or one type after "a",
/// "an" or "as" in a sentence that says "now" ("is a string now"). A type
/// that is called (`int()`) is code. One pass over the words; most sentences
/// name no type.
fn type_moves(lower: &str, types: &[String]) -> Vec<(usize, usize)> {
    const MOVES: [&str; 8] = [
        "instead", "rather", "not", "was", "were", "became", "becomes", "used",
    ];
    let mut out = Vec::new();
    if types.is_empty() {
        return out;
    }
    let mut flush = |first: &mut Option<(usize, usize, String)>,
                     second: &mut Option<usize>,
                     moved: &mut bool,
                     now: &mut bool,
                     single: &mut bool| {
        if let Some((s, e, _)) = first.take() {
            let end = second.take().unwrap_or(e);
            if (*moved && end > e) || (*now && *single) {
                out.push((s, end));
            }
        }
        *second = None;
        *moved = false;
        *now = false;
        *single = false;
    };
    let (mut first, mut second, mut moved, mut now, mut single) = (None, None, false, false, false);
    let mut prev = "";
    let mut from = false;
    let mut at = 0;
    for piece in lower.split_inclusive(['.', '?', '!', ';', '\n']) {
        for w in piece.split(|c: char| !c.is_alphanumeric() && c != '_') {
            let start = w.as_ptr() as usize - lower.as_ptr() as usize;
            if w.is_empty() {
                continue;
            }
            // `int()` is a call, not a type.
            let called = lower[start + w.len()..].starts_with('(');
            if !called && types.iter().any(|t| t == w) {
                match &first {
                    None => {
                        // "casts to numeric first" is how the code computes.
                        single = matches!(prev, "a" | "an" | "as");
                        first = Some((start, start + w.len(), w.to_owned()));
                    }
                    Some((_, _, t)) if t != w => second = Some(start + w.len()),
                    Some(_) => {}
                }
            } else if w == "now" {
                now = true;
            } else if w == "from" && first.is_none() {
                from = true;
            } else if first.is_some()
                && second.is_none()
                && (MOVES.contains(&w) || (w == "to" && from))
            {
                // The move sits between the two types: "was doing integer
                // division, now casts to numeric" moves no value.
                moved = true;
            }
            prev = w;
        }
        at += piece.len();
        // A sentence ends at a stop followed by a space or the end.
        let ends = piece.ends_with(['?', '!', ';', '\n'])
            || lower[at..].starts_with([' ', '\n'])
            || at == lower.len();
        if ends {
            flush(&mut first, &mut second, &mut moved, &mut now, &mut single);
            prev = "";
            from = false;
        }
    }
    flush(&mut first, &mut second, &mut moved, &mut now, &mut single);
    out
}

/// Whether a later sentence takes back an item told earlier: it undoes it
/// ("actually I reverted the num_leaves bit"), names a word of what was told
/// ("num_leaves" both times, not "the batch size" after "bumped lr"), speaks
/// of that item and not of the rest ("no other params were reverted"), and
/// does not answer someone with "no" (a thread's correction, read there).
fn withdraws(told: &[&str], taken: &[&str], sentence: &[&str], reverts: &[String]) -> bool {
    let undoes = sentence.iter().any(|w| reverts.iter().any(|r| r == w));
    let of_the_rest = sentence.iter().any(|w| {
        matches!(
            *w,
            "other" | "else" | "otherwise" | "rest" | "remaining" | "further"
        )
    });
    let answers = sentence
        .first()
        .is_some_and(|w| matches!(*w, "no" | "nope" | "nah"));
    undoes && !of_the_rest && !answers && taken.iter().any(|w| told.contains(w))
}

fn record(
    fired: &mut FxHashMap<u32, (usize, bool, Vec<String>)>,
    rule: u32,
    at: usize,
    positive: bool,
    words: &str,
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
        if !entry.2.iter().any(|w| w == words) {
            entry.2.push(words.to_owned());
        }
    }
}

/// Whether `span` names two stages side by side, joined by "and" or "or"
/// ("staging or prod for the check?", "staging and prod run the same
/// tests"): a choice between them, or both, and not a move from one to the
/// other ("staging to prod", where "to" is a stop word and leaves no trace).
fn names_stages_side_by_side(engine: &Engine, span: &[Item]) -> bool {
    let stage = |i: &Item| engine.stage_names.iter().any(|&(tok, _)| tok == i.tok);
    span.windows(3)
        .any(|w| stage(&w[0]) && engine.lexicon.has(w[1].tok, class::JOINER) && stage(&w[2]))
}

/// Which items are stages in a chain that names every stage one after the
/// other, each later than the one before ("dev test prod" once the arrows
/// and "to" are dropped). The word "test" is the test stage there, as it is
/// beside any stage's name.
fn stage_chain(engine: &Engine, cleaned: &str, items: &[Item]) -> Vec<bool> {
    let test_stage = engine.stages.iter().position(|s| s == "test");
    let stage_of = |i: &Item| {
        engine
            .stage_named(i.tok)
            .or_else(|| test_stage.filter(|_| is_test_word(cleaned, i)))
    };
    let n_stages = engine.stages.len();
    let mut chain = vec![false; items.len()];
    let mut run_start = 0;
    let mut last: Option<usize> = None;
    for k in 0..=items.len() {
        let here = items.get(k).and_then(stage_of);
        match (here, last) {
            (Some(s), Some(prev)) if s == prev + 1 => {}
            _ => {
                // The run that ends here is a chain when it climbs through
                // every stage.
                if let Some(prev) = last {
                    if k - run_start == n_stages && prev + 1 == n_stages {
                        chain[run_start..k].iter_mut().for_each(|c| *c = true);
                    }
                }
                run_start = k;
            }
        }
        last = here;
    }
    chain
}

/// Whether the everyday item `k` is shorthand read in its ML sense. A
/// setting's shorthand (`valued_shorthand`) is read so with a value right
/// after it ("bs 64", "lr 3e-4"; not one glued on by a hyphen, "WD-40", a
/// product's name), a change verb right before it ("bumped lr"; not "a new wd
/// drive", where the verb is an everyday word itself), or another such
/// shorthand in the message ("lr and bs"). Shorthand that only context gives
/// its ML sense (`context_shorthand`: "ep", "ft", "pit") is read so beside
/// another shorthand of either kind, a different word ("ep 3→5 for the ft
/// run"); otherwise, as any everyday word, only a domain word elsewhere in the
/// message gives it that sense ("the fraud ep", not "the band's new EP"). The
/// same word typed twice is no second shorthand ("hp laptops at the hp
/// store"). Looked at only for items already found everyday.
fn valued_sense(engine: &Engine, cleaned: &str, items: &[Item], k: usize) -> bool {
    let lex = &engine.lexicon;
    let surface = |i: &Item| &cleaned[i.start as usize..i.end as usize];
    let here = surface(&items[k]);
    let valued = lex.is_valued(here);
    if !valued && !lex.is_context_shorthand(here) {
        return false;
    }
    let other_shorthand = || {
        items.iter().enumerate().any(|(j, i)| {
            j != k
                && i.tok != BREAK
                && i.tok != COMMA
                && i.tok != NUMBER
                && lex.is_shorthand(surface(i))
                && !surface(i).eq_ignore_ascii_case(here)
        })
    };
    if !valued {
        return other_shorthand();
    }
    items.get(k + 1).is_some_and(|n| {
        n.tok == NUMBER && cleaned.get(items[k].end as usize..n.start as usize) != Some("-")
    }) || (k > 0
        && lex.has(items[k - 1].tok, class::CHANGE)
        && !lex.item_is_everyday(items[k - 1].tok, surface(&items[k - 1])))
        || other_shorthand()
}

/// Where the number starts in a word that is counted shorthand typed against
/// its number ("ep12" is "ep 12"), if it is one. Looks only at words of a
/// few letters followed by digits, as typed.
fn glued_count(lex: &lexicon::Lexicon, t: &text::RawToken<'_>) -> Option<usize> {
    let bytes = t.word.as_bytes();
    if t.kind != TokenKind::Word || bytes.len() < 3 || !bytes[0].is_ascii_alphabetic() {
        return None;
    }
    let at = bytes.iter().position(u8::is_ascii_digit)?;
    (at <= 4
        && bytes[at..].iter().all(u8::is_ascii_digit)
        && t.end - t.start == bytes.len()
        && lex.expand_counted(&t.word[..at]).is_some())
    .then_some(at)
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

/// Whether the clause that opens at `items[0]` ends on a negated auxiliary
/// ("... that unit tests don't?", "... that staging can't"): the clause then
/// says what something else lacks, the standard of a comparison.
fn clause_ends_denied(cleaned: &str, items: &[Item]) -> bool {
    let Some(first) = items.first() else {
        return false;
    };
    let end = items
        .iter()
        .take(12)
        .find(|i| i.tok == BREAK || i.tok == COMMA)
        .map_or(cleaned.len(), |i| i.start as usize);
    let clause = cleaned.get(first.start as usize..end).unwrap_or("");
    let last = clause
        .split(|c: char| !(c.is_alphabetic() || c == '\'' || c == '\u{2019}'))
        .rfind(|w| !w.is_empty())
        .unwrap_or("");
    let last: String = last
        .chars()
        .filter(|c| c.is_ascii_alphabetic())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    matches!(
        last.as_str(),
        "dont"
            | "doesnt"
            | "didnt"
            | "cant"
            | "cannot"
            | "wont"
            | "isnt"
            | "arent"
            | "couldnt"
            | "wouldnt"
            | "shouldnt"
    )
}

/// Tokens to ids: stems, typo repair, stop words removed, concepts folded.
/// Words inside file paths are left to the path patterns, so
/// `docs/architecture.md` is a docs change, not an architecture change.
/// Also says whether the message asks: a sentence opens with a question word
/// or ends with a question mark, and no word in it says something changed.
pub(crate) fn analyse(
    engine: &Engine,
    cleaned: &str,
    paths: &[(&str, usize, usize)],
) -> (Vec<Item>, mood::Mood) {
    let lex = &engine.lexicon;
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
    // "the ep12 ckpt": counted shorthand typed against its number is read
    // as the shorthand and the number ("ep 12").
    if raw.iter().any(|t| glued_count(lex, t).is_some()) {
        let mut split = Vec::with_capacity(raw.len() + 2);
        for t in raw {
            match glued_count(lex, &t) {
                Some(at) => {
                    let (short, count) = t.word.split_at(at);
                    split.push(text::RawToken {
                        kind: TokenKind::Word,
                        word: Cow::Owned(short.to_string()),
                        start: t.start,
                        end: t.start + at,
                    });
                    split.push(text::RawToken {
                        kind: TokenKind::Word,
                        word: Cow::Owned(count.to_string()),
                        start: t.start + at,
                        end: t.end,
                    });
                }
                None => split.push(t),
            }
        }
        raw = split;
    }
    // Shorthand is read as its long form ("tbl" -> "table"), each word
    // keeping the position of what the user typed.
    if raw.iter().any(|t| {
        t.kind == TokenKind::Word && lex.expand(&t.word, &cleaned[t.start..t.end]).is_some()
    }) {
        let mut expanded = Vec::with_capacity(raw.len() + 8);
        // "ep 3→5": a word followed by a number may be counted shorthand.
        let counted: Vec<bool> = raw
            .iter()
            .enumerate()
            .map(|(k, t)| {
                t.kind == TokenKind::Word
                    && raw.get(k + 1).is_some_and(|n| {
                        n.kind == TokenKind::Word
                            && n.word.starts_with(|c: char| c.is_ascii_digit())
                    })
            })
            .collect();
        for (k, t) in raw.into_iter().enumerate() {
            let long = if counted[k] {
                lex.expand_counted(&t.word)
                    .or_else(|| lex.expand(&t.word, &cleaned[t.start..t.end]))
            } else {
                lex.expand(&t.word, &cleaned[t.start..t.end])
            };
            match long {
                Some(long) if t.kind == TokenKind::Word => {
                    for w in long {
                        expanded.push(text::RawToken {
                            kind: TokenKind::Word,
                            word: std::borrow::Cow::Owned(w.to_string()),
                            start: t.start,
                            end: t.end,
                        });
                    }
                }
                _ => expanded.push(t),
            }
        }
        raw = expanded;
    }
    let mut items = Vec::with_capacity(raw.len());
    // Unknown words repeat in long messages; repair each one once.
    let mut repaired: FxHashMap<String, u32> = FxHashMap::default();
    let mut fwd_open = false;
    let mut words: Vec<mood::Word<'_>> = Vec::with_capacity(raw.len());
    for (k, token) in raw.iter().enumerate() {
        let tok = match token.kind {
            TokenKind::Break => BREAK,
            TokenKind::Comma => COMMA,
            TokenKind::Word => {
                let stem = text::stem(&token.word);
                match lex.exact(&stem) {
                    _ if token.word.starts_with(|c: char| c.is_ascii_digit()) => NUMBER,
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
        // "leave it in staging over the weekend": a placing negation whose
        // next words (past stop words) name a stage keeps the thing there;
        // it negates nothing, and is read as "keep".
        let tok = if token.kind == TokenKind::Word
            && lex.has(tok, class::NEG_FORWARD)
            && lex.is_placing(&token.word.to_lowercase())
        {
            let stages = ["dev", "staging", "prod"].map(|id| lex.concept(id));
            let next = raw[k + 1..]
                .iter()
                .take_while(|t| t.kind == TokenKind::Word)
                .map(|t| lex.exact(&text::stem(&t.word)))
                .find(|&t| !lex.has(t, class::STOP));
            if next.is_some_and(|t| stages.contains(&Some(lex.canonical(t)))) {
                lex.exact(&text::stem("keep"))
            } else {
                tok
            }
        } else {
            tok
        };
        words.push(mood::Word {
            kind: token.kind,
            raw: &token.word,
            tok,
            start: token.start,
            glued: token.kind == TokenKind::Word
                && cleaned.as_bytes().get(token.end) == Some(&b'_')
                && cleaned
                    .as_bytes()
                    .get(token.end + 1)
                    .is_some_and(u8::is_ascii_alphanumeric),
        });
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
    let mood = mood::read(&words, cleaned, lex);
    (lex.rewrite_concepts(items), mood)
}

/// What a tests-only or docs-only phrase is about: "tests for the batch
/// inference output schema", "a comment in the ModelValidation notebook".
/// The words after it, up to the next change verb or the end of the
/// sentence, name what the tests or docs cover, not a change of their own;
/// so do the words compounded right before it ("the tokenizer README").
/// `path_anchors` holds, for each docs or tests path, the item at its start,
/// its byte offset and the item after it.
fn owned_by_tests_or_docs(
    engine: &Engine,
    cleaned: &str,
    items: &[Item],
    hits: &[Hit],
    path_anchors: &[(u32, u32, u32)],
) -> Vec<std::ops::Range<u32>> {
    let docs_or_tests: Vec<(u32, u32, u32)> = hits
        .iter()
        .filter(|h| {
            matches!(
                engine.rules[h.rule as usize].subject,
                Subject::Docs | Subject::Tests
            )
        })
        .map(|h| (h.start, items[h.start as usize].start, h.end))
        .chain(path_anchors.iter().copied())
        .collect();
    // A noun compound: words joined to the next by nothing but a space or a
    // hyphen ("tokenizer README", "feature-table tests"). A stop word, a
    // comma, a verb or "and" in between ends it: "changed the scaler with
    // tests" changes the scaler.
    let compound = |k: usize, next: u32| {
        // Words expanded from one typed word ("lr") share its span.
        let (end, next) = (items[k].end as usize, next as usize);
        let gap = cleaned.get(end..next.max(end)).unwrap_or("?");
        let item = &items[k];
        gap.chars().all(|c| c == ' ' || c == '-' || c == '`')
            && item.tok != BREAK
            && item.tok != COMMA
            && !engine
                .lexicon
                .has(item.tok, class::CHANGE | class::JOINER | class::NEG_FORWARD)
    };
    let mut owned: Vec<std::ops::Range<u32>> = docs_or_tests
        .iter()
        .filter_map(|&(head, offset, _)| {
            let first = (0..head as usize)
                .rev()
                .take(3)
                .take_while(|&k| compound(k, items.get(k + 1).map_or(offset, |i| i.start)))
                .last()?;
            Some(first as u32..head)
        })
        .collect();
    owned.extend(
        docs_or_tests
            .iter()
            .map(|&(_, _, anchor)| anchor)
            .map(|anchor| {
                // "docs: new page on how promotion works": a heading's colon
                // does not end what it is about.
                let heading = items.get(anchor as usize).is_some_and(|i| {
                    i.tok == BREAK && cleaned[i.start as usize..].starts_with(':')
                });
                let from = anchor as usize + usize::from(heading);
                // A change verb that opens a new clause ("... and fixed the bug")
                // ends what the tests are about; "the split helper" does not.
                // Nor does a list's next item ("a docstring typo, a new test,
                // and pyarrow 14 → 16").
                let next_item = |k: usize| {
                    let after = cleaned[items[k].end as usize..].trim_start();
                    ["and ", "plus ", "a ", "an ", "also "]
                        .iter()
                        .any(|w| after.starts_with(w))
                };
                // "changed the README and the learning rate", "not only the
                // README but also the learning rate": a joiner right after the
                // docs or tests word, or a "but", followed by a change of
                // another kind opens the next item of the list, not what the
                // docs are about ("model card and datasheet for the credit
                // model" is still about the model).
                let next_change = |k: usize| {
                    let word = |j: usize| &cleaned[items[j].start as usize..items[j].end as usize];
                    let opens = (k == from && engine.lexicon.has(items[k].tok, class::JOINER))
                        || word(k).eq_ignore_ascii_case("but");
                    opens
                        && hits.iter().any(|h| {
                            let r = &engine.rules[h.rule as usize];
                            r.kind == RuleKind::Change
                                && !r.fallback
                                && !matches!(r.subject, Subject::Docs | Subject::Tests)
                                && (h.start as usize) > k
                                && (h.start as usize) <= k + 4
                        })
                };
                let end = (from..items.len())
                    .find(|&k| {
                        items[k].tok == BREAK
                            || next_change(k)
                            || (items[k].tok == COMMA && next_item(k))
                            || (engine.lexicon.has(items[k].tok, class::CHANGE)
                                && items.get(k.wrapping_sub(1)).is_some_and(|p| {
                                    p.tok == COMMA
                                        || engine.lexicon.has(p.tok, class::JOINER)
                                        // "all pytest cases green after bumping
                                        // scikit-learn": a clause that says when
                                        // or why opens a change of its own.
                                        || matches!(
                                            cleaned[p.start as usize..p.end as usize]
                                                .to_ascii_lowercase()
                                                .as_str(),
                                            "after" | "since" | "once" | "because"
                                        )
                                }))
                    })
                    .unwrap_or(items.len());
                anchor..end as u32
            }),
    );
    owned.retain(|r| !r.is_empty());
    // "rewrote the batch scoring job's tests": the words a docs or tests
    // signal spans between its own are what the tests are about.
    for h in hits.iter().filter(|h| {
        matches!(
            engine.rules[h.rule as usize].subject,
            Subject::Docs | Subject::Tests
        ) && h.end - h.start > h.weight
    }) {
        owned.push(h.start + 1..h.end - 1);
    }
    // "refactored the test fixtures": the verb right before a docs or tests
    // phrase acts on it, and so do signals that start inside it.
    for h in hits.iter().filter(|h| docs_phrase(engine, items, h)) {
        let verb_before = h.start > 0
            && engine
                .lexicon
                .has(items[h.start as usize - 1].tok, class::CHANGE);
        owned.push(h.start - u32::from(verb_before)..h.end);
    }
    owned.sort_by_key(|r| r.start);
    owned
}

/// The message confines its change to docs or tests: a docs or tests phrase
/// or path restricted by "only" or "just" ("README only", "only tests/",
/// "just the markdown cells", "I'm only touching the eval tests"), or, beside
/// one, words that say the system's code did not move ("src untouched", "the
/// functions themselves are unchanged", `code_untouched`).
fn confined_to_docs_or_tests(
    engine: &Engine,
    cleaned: &str,
    items: &[Item],
    mood: &mood::Mood,
    hits: &[Hit],
    path_anchors: &[(u32, u32, u32)],
) -> bool {
    let spans: Vec<(usize, usize)> = hits
        .iter()
        .filter(|h| {
            matches!(
                engine.rules[h.rule as usize].subject,
                Subject::Docs | Subject::Tests
            )
        })
        .map(|h| (h.start as usize, h.end as usize))
        .chain(
            path_anchors
                .iter()
                .map(|&(s, _, e)| (s as usize, e as usize)),
        )
        .collect();
    if spans.is_empty() {
        return false;
    }
    if engine.lexicon.says_code_untouched(cleaned) {
        return true;
    }
    let word = |k: usize| {
        items
            .get(k)
            .map(|i| cleaned[i.start as usize..i.end as usize].to_ascii_lowercase())
    };
    let restricts = |k: usize| matches!(word(k).as_deref(), Some("only" | "just"));
    let ends_clause = |k: usize| {
        items
            .get(k)
            .is_none_or(|i| i.tok == BREAK || i.tok == COMMA)
    };
    // "is it fine to only test this in dev?", "unit tests are the only tests
    // that matter", "for a docs-only change, ...": in a question or a claim
    // "only" restricts the tests to run or speaks of all cases.
    let told = |k: usize| {
        // A path at the very end has no word of its own after it.
        let at = items.get(k).map_or(cleaned.len(), |i| i.start as usize);
        !(mood.is_in_question_at(at) || mood.is_general_at(at) || mood.is_claiming_at(at))
    };
    spans
        .iter()
        .filter(|&&(start, _)| told(start))
        .any(|&(start, end)| {
            // "tests only.", "only .. unit test .. changed": the phrase
            // restricts when it ends its clause ("a comment-only change in
            // `velocity_1h()`" beside a retrain restricts nothing).
            ((start..end).any(|k| word(k).as_deref() == Some("only")) && ends_clause(end))
            // "README only.", "CI config only"
            || (word(end).as_deref() == Some("only") && ends_clause(end + 1))
            // "only tests/", "just the markdown", "only touching the eval
            // tests": a verb may follow the restriction, nothing may open
            // another clause or list item before the phrase.
            || (start.saturating_sub(4)..start).rev().any(|k| {
                restricts(k)
                    && (k + 1..start).all(|m| {
                        let i = &items[m];
                        i.tok != BREAK
                            && i.tok != COMMA
                            && !engine.lexicon.has(i.tok, class::JOINER)
                            && (m == k + 1 || !engine.lexicon.has(i.tok, class::CHANGE))
                    })
            })
        })
}

/// The message lists its files (lines that open with a path, under a label
/// such as "## Files" or "Changes:") and every listed file is docs or tests.
fn listed_files_are_docs_or_tests(
    engine: &Engine,
    cleaned: &str,
    paths: &[(&str, usize, usize)],
    path_rules: &[Option<u32>],
) -> bool {
    let mut listed = paths.iter().zip(path_rules).filter(|&(&(_, start, _), _)| {
        let line_start = cleaned[..start].rfind('\n').map_or(0, |n| n + 1);
        cleaned[line_start..start]
            .trim_start_matches(['-', '*', '+', '>', '`', ' ', '\t'])
            .trim_start_matches("a/")
            .trim_start_matches("b/")
            .is_empty()
    });
    // The list must be the message's list of files ("## Files", "Changes:"),
    // not a file that prose points at ("docs in\n- docs/features.md").
    let mut any = false;
    let all = listed.all(|(&(_, start, _), &rule)| {
        if !any {
            // A heading was blanked to spaces before the message was read.
            let above = cleaned[..start]
                .rsplit('\n')
                .skip(1)
                .find(|l| !l.is_empty() && !l.trim_start().starts_with(['-', '*', '+']));
            let label = above.is_some_and(|l| {
                let l = l
                    .trim_matches(['#', '*', '_', ':', ' ', '\t'])
                    .to_lowercase();
                l.is_empty() || (l.len() <= 24 && (l.contains("file") || l.contains("change")))
            });
            if !label {
                return false;
            }
        }
        any = true;
        rule.is_some_and(|r| {
            matches!(
                engine.rules[r as usize].subject,
                Subject::Docs | Subject::Tests
            )
        })
    });
    any && all
}

/// A docs or tests signal of adjacent words that ends on a noun ("model
/// card", "test fixtures"): a phrase that names what was changed.
fn docs_phrase(engine: &Engine, items: &[Item], h: &Hit) -> bool {
    matches!(
        engine.rules[h.rule as usize].subject,
        Subject::Docs | Subject::Tests
    ) && h.end - h.start == h.weight
        && !engine
            .lexicon
            .has(items[h.end as usize - 1].tok, class::CHANGE)
}

/// Two signals that start at the same verb ("updated .. unit test",
/// "updated .. helper") name different objects of it; the verb acts on the
/// nearer one, so the longer reach is dropped: "updated the unit test for the
/// date helper" changes a test, not the helper.
fn nearest_object(engine: &Engine, items: &[Item], hits: &[Hit]) -> Vec<Hit> {
    let gapped = |h: &Hit| {
        h.end - h.start > h.weight
            && engine
                .lexicon
                .has(items[h.start as usize].tok, class::CHANGE)
    };
    // Hits that start at the same item, found by a binary search over one
    // copy sorted by start (no map of small vectors).
    let mut by_start = hits.to_vec();
    by_start.sort_by_key(|h| h.start);
    let same_start = |at: u32| {
        let from = by_start.partition_point(|o| o.start < at);
        let to = by_start.partition_point(|o| o.start <= at);
        &by_start[from..to]
    };
    hits.iter()
        .filter(|h| {
            !(gapped(h)
                && same_start(h.start).iter().any(|o| {
                    o.rule != h.rule
                        && o.end < h.end
                        && o.weight >= h.weight
                        && !engine.rules[o.rule as usize].fallback
                }))
        })
        .copied()
        .collect()
}

/// The item spans of the signal hits of rules of `kind` whose last word is
/// not negated.
fn standing_spans<'h>(
    engine: &Engine,
    hits: impl Iterator<Item = &'h Hit>,
    negated: &[bool],
    kind: RuleKind,
) -> Vec<(u32, u32)> {
    hits.filter(|h| {
        engine.rules[h.rule as usize].kind == kind
            && h.reach == Reach::Signal
            && !negated[h.end as usize - 1]
    })
    .map(|h| (h.start, h.end))
    .collect()
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
    // Each position holds the index in `kept` of that hit (`u32::MAX`: none),
    // so the map stays small however long the message is.
    const NONE: u32 = u32::MAX;
    let mut cover: Vec<u32> = vec![NONE; span_end];
    let mut kept: Vec<Hit> = Vec::with_capacity(hits.len());
    for h in hits {
        let (from, to) = (h.start as usize, h.end as usize);
        let inside = (from..to).filter(|&p| is_named(&h, p)).all(|p| {
            let c = cover[p];
            c != NONE && {
                let c = &kept[c as usize];
                c.weight > h.weight && c.start <= h.start && h.end <= c.end
            }
        });
        if inside {
            continue;
        }
        let at = kept.len() as u32;
        for (p, c) in cover.iter_mut().enumerate().take(to).skip(from) {
            if is_named(&h, p) && (*c == NONE || kept[*c as usize].weight < h.weight) {
                *c = at;
            }
        }
        kept.push(h);
    }
    kept.sort_by_key(|h| (h.start, h.rule));
    kept
}

/// Whether `item` is the word "test" itself, which names the test stage
/// only beside another stage's name ("dev, test and prod").
fn is_test_word(cleaned: &str, item: &Item) -> bool {
    cleaned
        .get(item.start as usize..item.end as usize)
        .is_some_and(|w| w.eq_ignore_ascii_case("test"))
}

/// "dev, staging, prod, whatever, it's the same test": stage names written as
/// a list, with a comma or a slash between them ("the dev/staging/prod
/// split"), name the stages; they move nothing from one stage to the next, so
/// a signal that reads a move ("staging to prod") from them does not hold.
fn listed_stages(engine: &Engine, cleaned: &str, items: &[Item], h: &Hit) -> bool {
    // The named words are walked once, in order, with no list built: most
    // hits name no stage and stop at their first named word.
    let named = (h.start..h.end)
        .filter(|&p| {
            let k = (p - h.start) as usize;
            k < 64 && h.named & (1 << k) != 0
        })
        .map(|p| p as usize);
    let mut count = 0;
    let mut real = 0;
    let mut prev: Option<usize> = None;
    for p in named {
        let stage = engine
            .stage_names
            .iter()
            .any(|(tok, _)| *tok == items[p].tok);
        let comma_before = prev.is_none_or(|q| {
            items[q..p].iter().any(|i| i.tok == COMMA)
                || cleaned
                    .get(items[q].end as usize..items[p].start as usize)
                    .is_some_and(|gap| gap.trim() == "/")
        });
        if !(stage || is_test_word(cleaned, &items[p])) || !comma_before {
            return false;
        }
        prev = Some(p);
        count += 1;
        real += usize::from(stage);
    }
    count >= 2 && real >= 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_confined_to_docs_or_tests_is_unit_in_dev() {
        let kb = crate::kb::KnowledgeBase::embedded().expect("the knowledge base loads");
        // (message, reading, primary scope)
        let table = [
            // settings and metrics named are what the tests or docs are about
            (
                "chore(tests): parametrize `test_collate_fn` over batch sizes 1, 7 and 64 in tests/test_collate.py. src untouched",
                Reading::Change,
                Some("unit"),
            ),
            (
                "updated the example config in the README from `batch_size: 32` to `batch_size: 64`. README only",
                Reading::Change,
                Some("unit"),
            ),
            (
                "added doctest examples to the metric helpers (precision_at_k, ndcg). the functions themselves are unchanged",
                Reading::Change,
                Some("unit"),
            ),
            (
                "PR #4471 pins `pytest-xdist` in requirements-dev.txt. runtime requirements untouched",
                Reading::Change,
                Some("unit"),
            ),
            // the restriction ends its clause
            (
                "tests only: mocked the feature store client in `test_build_training_set`",
                Reading::Change,
                Some("unit"),
            ),
            // code beside tests, with no restriction: judged by the code
            (
                "code + tests: `max_seq_len` 256 -> 512 in the tokenizer config, tests updated",
                Reading::Change,
                Some("integration"),
            ),
            // "only" in a question restricts the tests to run, not the change
            (
                "is it fine to only test this in dev? it's a change to the join keys between the session features and the training set",
                Reading::Change,
                Some("integration"),
            ),
            // a general question about docs-only changes stays a question
            (
                "do we need staging for a docs-only change?",
                Reading::Question,
                Some("unit"),
            ),
            // a refactor said to keep its behaviour is still a change
            (
                "refactored `hash_bucket()` (no behaviour change) + docstring + a property test",
                Reading::Change,
                Some("unit"),
            ),
        ];
        for (text, reading, primary) in table {
            let advice = advise(&kb.engine, text);
            assert_eq!(advice.reading, reading, "{text}");
            assert_eq!(advice.primary_scope.as_deref(), primary, "{text}");
        }
    }

    #[test]
    fn what_a_talk_paper_or_book_is_about_is_no_change() {
        let kb = crate::kb::KnowledgeBase::embedded().expect("the knowledge base loads");
        for text in [
            "The Airflow summit CFP closes Friday, anyone want to co-submit a talk on our DAG testing setup?",
            "anyone going to NeurIPS this year? thinking of submitting a workshop paper on test-time adaptation",
            "just finished the book, the chapter on data distribution shifts is great",
            "newsletter is out: an interview with the search ranking team and a recap of the LLM eval workshop",
        ] {
            let advice = advise(&kb.engine, text);
            assert_eq!(advice.reading, Reading::Nothing, "{text}");
            assert!(advice.scopes.is_empty(), "{text}");
        }
        // "talk" as a verb opens no topic: the change stands.
        let advice = advise(
            &kb.engine,
            "we need to talk about the max_depth bump before it goes to prod",
        );
        assert_ne!(advice.reading, Reading::Nothing);
        assert!(!advice.scopes.is_empty());
    }

    #[test]
    fn someone_elses_belief_answered_by_but_is_refuted() {
        assert!(refutes(
            "Sam said unit tests are plenty, but the join key changed type"
        ));
        assert!(refutes(
            "people say offline AUC is enough; however it lost money online"
        ));
        // "even though" concedes; the belief still stands.
        assert!(!refutes(
            "my TL says unit tests cover it, even though serving calls it"
        ));
        let kb = crate::kb::KnowledgeBase::embedded().expect("the knowledge base loads");
        let held = read(
            &kb.engine,
            Cow::Borrowed(
                "Sam said unit tests are plenty for the new join, but the join key changed type",
            ),
        );
        let unit_enough =
            |f: &decision::Fired| kb.engine.rules[f.rule as usize].id == "belief-unit-tests-enough";
        assert!(!held.positive.iter().any(unit_enough));
        assert!(!held.voiced.iter().any(unit_enough));
    }

    #[test]
    fn ambiguous_shorthand_takes_its_ml_sense_only_from_ml_context() {
        let kb = crate::kb::KnowledgeBase::embedded().expect("the knowledge base loads");
        for (text, about_ml) in [
            // everyday senses: music, feet, a barbecue, a distro, a shop, a product
            ("new EP from my band is out friday :guitar:", false),
            ("my new desk is 6 ft wide, barely fits the office", false),
            ("the BBQ pit at the offsite was great", false),
            ("Arch on my laptop broke after the update", false),
            ("hp = 15% off at the hp store this week", false),
            ("pls stop putting WD-40 on the office chairs", false),
            ("did anyone see the CEO hit a dab at the all-hands", false),
            // the same letters where something else shows ML work
            ("thr .5→.7 in the serving cfg of the fraud ep", true),
            ("ep 3→5 for the ft run", true),
            ("ckpt from ep 12 → registered as v3", true),
            ("k8s cpu req 500m → 1 for the fraud ep pods", true),
            ("hp sweep done: n_est 300→800", true),
            ("wd 0.01 → 0.05", true),
        ] {
            let advice = advise(&kb.engine, text);
            assert_eq!(advice.reading != Reading::Nothing, about_ml, "{text}");
        }
    }

    #[test]
    fn declining_heavier_tests_is_no_plan_and_no_over_testing() {
        let kb = crate::kb::KnowledgeBase::embedded().expect("the knowledge base loads");
        // (message, whether the over-testing reminder is shown)
        let table: &[(&str, bool)] = &[
            // The writer keeps the small change small: nothing to warn about.
            (
                "docstring-only change in `metrics.py`; no retrain, no staging run, just the usual PR checks",
                false,
            ),
            (
                "typo in a notebook markdown cell only, no executable cell changed. I'm not retraining or running staging for that",
                false,
            ),
            (
                "README typo fix only. CI lint is enough, no need to run the staging pipeline for this, right?",
                false,
            ),
            // Heavier tests planned for the same kind of change still are.
            (
                "fixed a typo in a docstring in `features/geo.py`. want to be safe so I'm asking for a full retrain + staging e2e before merge",
                true,
            ),
            (
                "renamed a local variable inside `clip_outliers()`, behaviour unchanged, and the lead wants a full staging integration run plus a canary for it",
                true,
            ),
            (
                "only added 3 new unit tests for `parse_dates()`, no prod code touched — it should still go through the release gate + canary like everything else",
                true,
            ),
        ];
        for &(text, shown) in table {
            let advice = advise(&kb.engine, text);
            assert_eq!(
                advice.traps.iter().any(|t| t == "over-testing"),
                shown,
                "{text}"
            );
            assert_eq!(advice.scopes, ["unit"], "{text}");
        }
    }

    #[test]
    fn a_general_question_answered_with_advice_stays_a_question() {
        let kb = crate::kb::KnowledgeBase::embedded().expect("the knowledge base loads");
        let cases = [
            (
                "abe: how do you folks test hyperparameter changes?\nbea: retrain in staging on a sample and run validation against the champion\ncal: +1, and check endpoint latency if the model grows",
                Reading::Question,
            ),
            (
                "abe: how do you folks test hyperparameter changes?\nbea: I bumped max_depth to 8 yesterday, retraining it in staging now",
                Reading::Change,
            ),
        ];
        for (text, reading) in cases {
            assert_eq!(advise(&kb.engine, text).reading, reading, "{text}");
        }
    }

    #[test]
    fn a_library_module_is_no_file() {
        let kb = crate::kb::KnowledgeBase::embedded().expect("the knowledge base loads");
        let lex = &kb.engine.lexicon;
        assert!(library_module(lex, "pyspark.sql"));
        assert!(library_module(lex, "spark.sql"));
        // A file of code named after what it holds stays a file.
        assert!(!library_module(lex, "features.sql"));
        assert!(!library_module(lex, "train.py"));
        assert!(!library_module(lex, "jobs/spark.sql"));
    }

    #[test]
    fn test_before_an_everyday_head_is_not_about_testing() {
        let kb = crate::kb::KnowledgeBase::embedded().expect("the knowledge base loads");
        let advice = advise(
            &kb.engine,
            "who's in for the test kitchen's new pizza place friday?",
        );
        assert_eq!(advice.reading, Reading::Nothing);
        let advice = advise(&kb.engine, "who runs the test suite on friday?");
        assert_eq!(advice.reading, Reading::Question);
    }

    #[test]
    fn leave_before_a_stage_keeps_the_thing_there() {
        let kb = crate::kb::KnowledgeBase::embedded().expect("the knowledge base loads");
        let advice = advise(
            &kb.engine,
            "max: pushing the retrained demand model to prod tonight\nmax: actually hold on, let's leave it in staging over the weekend and compare against the champion there",
        );
        assert_eq!(advice.reading, Reading::Change);
        assert_eq!(advice.primary_scope.as_deref(), Some("integration"));
        // "leave" with no stage after it still negates what follows.
        let advice = advise(
            &kb.engine,
            "leaving the learning rate as is, only fixed the docstring of `clip_scores()`",
        );
        assert_eq!(advice.primary_scope.as_deref(), Some("unit"));
    }

    #[test]
    fn a_library_method_named_alone_is_the_librarys() {
        let kb = crate::kb::KnowledgeBase::embedded().expect("the knowledge base loads");
        let rules = |t: &str| -> Vec<String> {
            advise(&kb.engine, t)
                .matched
                .into_iter()
                .map(|m| m.rule)
                .collect()
        };
        let function = "transformation-function".to_string();
        // Called alone, the method is the library's: what the call does decides.
        let switched = rules("the batch scorer switched from `predict()` to `predict_proba()`");
        assert!(!switched.contains(&function), "{switched:?}");
        assert!(
            switched.contains(&"output-meaning".to_string()),
            "{switched:?}"
        );
        // On a class of the team's, or after an owner, it is the team's code.
        assert!(rules("fixed `OutlierClipper.fit()` for all-NaN columns").contains(&function));
        assert!(rules("fixed our `predict()` wrapper for empty batches").contains(&function));
        assert!(rules("fixed the wrapper's `predict()` for empty batches").contains(&function));
    }

    #[test]
    fn a_setting_renamed_in_code_is_a_code_change() {
        let kb = crate::kb::KnowledgeBase::embedded().expect("the knowledge base loads");
        for text in [
            "renamed the variable `lr` to `learning_rate`, same value",
            "renamed var `wd` -> `weight_decay` in train.py, no behaviour change",
            "i have rename the variable lr to learning_rate in the train script",
        ] {
            let a = advise(&kb.engine, text);
            assert_eq!(
                a.primary_scope.as_deref(),
                Some("unit"),
                "{text}: {:?}",
                a.trace
            );
        }
        // A setting given a new value, or a column renamed, is not.
        for text in [
            "bumped lr to 3e-4 in train.py",
            "renamed the column `lr` to `learning_rate` in the feature table",
        ] {
            let a = advise(&kb.engine, text);
            assert_ne!(
                a.primary_scope.as_deref(),
                Some("unit"),
                "{text}: {:?}",
                a.trace
            );
        }
    }

    #[test]
    fn a_preposition_before_a_place_locates_it() {
        assert!(after_preposition("driver size bumped to 64GB for the "));
        assert!(after_preposition("num_workers 4 -> 8 on our "));
        assert!(after_preposition("they run at the start of the nightly "));
        // A change made inside the place changes it.
        assert!(!after_preposition("we now cap outliers in the shared "));
        // The object of a verb is what changed.
        assert!(!after_preposition("moved the "));
        assert!(!after_preposition(""));
    }

    #[test]
    fn a_later_revert_withdraws_only_the_item_it_names() {
        let reverts = ["reverted".to_owned(), "revert".to_owned()];
        let takes_back_num_leaves =
            |sentence: &[&str]| withdraws(&["num_leaves"], &["num_leaves"], sentence, &reverts);
        assert!(takes_back_num_leaves(&[
            "actually",
            "i",
            "reverted",
            "the",
            "num_leaves",
            "bit"
        ]));
        // Another item of the same kind stays told.
        let other = ["i", "reverted", "the", "batch", "size", "change"];
        assert!(!withdraws(&["lr"], &["batch", "size"], &other, &reverts));
        // "no other params were reverted" speaks of the rest.
        assert!(!takes_back_num_leaves(&[
            "no",
            "other",
            "num_leaves",
            "reverted"
        ]));
        // Negated without undoing ("serving never sees num_leaves") is a claim.
        assert!(!takes_back_num_leaves(&[
            "serving",
            "never",
            "sees",
            "num_leaves"
        ]));
    }

    #[test]
    fn a_relative_clause_ending_on_a_negated_auxiliary_is_denied() {
        let item = |start: usize, end: usize| Item {
            tok: UNKNOWN,
            start: start as u32,
            end: end as u32,
        };
        let text = "integration tests don't?";
        assert!(clause_ends_denied(text, &[item(0, 11), item(12, 17)]));
        let text = "staging can\u{2019}t";
        assert!(clause_ends_denied(text, &[item(0, 7)]));
        // A clause that goes on past its auxiliary says what it lacks.
        let text = "staging doesn't have prod data";
        assert!(!clause_ends_denied(text, &[item(0, 7)]));
    }

    #[test]
    fn a_standard_after_that_and_a_stage_before_like_are_not_asked_about() {
        let kb = crate::kb::KnowledgeBase::embedded().expect("the knowledge base loads");
        let advice = advise(
            &kb.engine,
            "what does an integration test prove that unit tests can't?",
        );
        assert_eq!(advice.scopes, ["integration"]);
        let advice = advise(
            &kb.engine,
            "how much prod-like traffic should the staging load test use?",
        );
        assert_eq!(advice.stages, ["test"]);
    }

    #[test]
    fn a_release_word_before_a_step_noun_names_a_step_of_the_rewired_workflow() {
        let kb = crate::kb::KnowledgeBase::embedded().expect("the knowledge base loads");
        let primary = |text: &str| advise(&kb.engine, text).primary_scope;
        // The workflow's steps are rewired: integration, not a release.
        assert_eq!(
            primary("in the workflow I split register and set-alias into two tasks"),
            Some("integration".to_owned())
        );
        assert_eq!(
            primary("we moved the set-alias step after the approval gate in the release workflow"),
            Some("integration".to_owned())
        );
        // With no change of its own in the sentence, a release told in steps
        // is still a release.
        assert_eq!(
            primary("promote v9 to prod in two steps"),
            Some("release-gating".to_owned())
        );
    }

    #[test]
    fn a_name_said_to_be_a_data_type_or_counted_after_its_noun_is_no_function() {
        let kb = crate::kb::KnowledgeBase::embedded().expect("the knowledge base loads");
        let rules = |text: &str| {
            advise(&kb.engine, text)
                .matched
                .into_iter()
                .map(|m| m.rule)
                .collect::<Vec<_>>()
        };
        for text in [
            "grpc contract change: `PredictResponse.probabilities` is now a map<label, float> instead of repeated float. the ads bidder consumes it",
            "protobuf for the ranking request: field 4 `user_features` changed from repeated float to a map<string,float>",
        ] {
            assert!(
                !rules(text).contains(&"transformation-function".to_owned()),
                "{text}: {:?}",
                rules(text)
            );
        }
        // Called, it is code whatever it is said to be.
        assert!(
            rules("`price_of()` is now a decimal instead of a float")
                .contains(&"transformation-function".to_owned())
        );
    }

    #[test]
    fn words_at_finds_whole_words_in_any_case() {
        let words = ["reverted".to_owned(), "revert".to_owned()];
        // "reverting" is another word; a hyphen ends one.
        let text = "Reverted the bump; reverting is not reverted-ish, revert!";
        assert_eq!(words_at(text, &words), [(0, 8), (36, 44), (50, 56)]);
    }

    #[test]
    fn an_output_shift_is_the_clause_of_its_marker_when_a_part_reads_it_later() {
        let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let (markers, parts, kept) = (words(&["instead of"]), words(&["ranker"]), words(&["same"]));
        let text = "heads up: `top_k()` returns ids instead of rows. the ranker zips them";
        let start = text.find('`').unwrap();
        // The span starts at the clause's first word, not at the space after
        // the colon, so the answer quotes the user's words as typed.
        assert_eq!(
            output_shifts(text, &markers, &parts, &kept),
            [(start, text.find(". the").unwrap())]
        );
        // Nobody named after it, or the output kept: no shift.
        assert!(
            output_shifts(
                "`top_k()` returns ids instead of rows",
                &markers,
                &parts,
                &kept
            )
            .is_empty()
        );
        assert!(
            output_shifts(
                text.replace("zips", "gets the same").as_str(),
                &markers,
                &parts,
                &kept
            )
            .is_empty()
        );
    }

    #[test]
    fn counted_shorthand_typed_against_its_number_splits() {
        let mut lex = lexicon::Lexicon::default();
        lex.add_counted_shorthand("ep", vec!["epoch".to_owned()]);
        let at = |word: &str| glued_count(&lex, &text::tokenize(word)[0]);
        assert_eq!(at("ep12"), Some(2));
        // Another word, letters after the digits, or shorthand typed apart.
        assert_eq!(at("step10"), None);
        assert_eq!(at("ep12b"), None);
        assert_eq!(at("ep"), None);
    }

    #[test]
    fn circumstance_clauses_run_from_the_cue_to_the_clause_end() {
        let cues = ["because".to_owned(), "so that".to_owned()];
        let text = "fixed dedupe() because rows repeat, and so that ops can see it. done";
        let because = text.find("because").unwrap();
        let so = text.find("so that").unwrap();
        assert_eq!(
            circumstance_clauses(text, &cues),
            [
                (because, text.find(',').unwrap()),
                (so, text.find(". done").unwrap())
            ]
        );
        // "so that" inside "also thatch" is no cue.
        assert!(circumstance_clauses("also thatched roofs", &cues).is_empty());
        // A cue with a gap opens its clause only when the word after the gap
        // stands in it.
        let cues = ["so .. stops".to_owned()];
        let text = "lowered min_auc so the monthly retrain stops failing. done";
        assert_eq!(
            circumstance_clauses(text, &cues),
            [(text.find("so the").unwrap(), text.find(". done").unwrap())]
        );
        assert!(circumstance_clauses("fixed it so we can ship it", &cues).is_empty());
    }

    #[test]
    fn a_sentence_telling_a_tests_state_is_no_change_to_what_it_tests() {
        let kb = crate::kb::KnowledgeBase::embedded().expect("the knowledge base loads");
        for text in [
            "e2e for the FS pipeline is flaky",
            "the batch inference e2e suite takes 40 min now, way too slow",
        ] {
            let advice = advise(&kb.engine, text);
            assert_eq!(advice.primary_scope, None, "{text}");
        }
        // A change told in the same sentence still counts.
        let advice = advise(
            &kb.engine,
            "the e2e is flaky since I changed the feature table schema",
        );
        assert!(advice.primary_scope.is_some());
        // A test failing on a pull request is that change failing it.
        let advice = advise(
            &kb.engine,
            "integration_test failed on PR #812 (`feature_job -t staging`)",
        );
        assert_eq!(advice.primary_scope.as_deref(), Some("integration"));
    }

    #[test]
    fn what_a_message_says_did_not_change_stays_out_and_the_rest_stands() {
        let kb = crate::kb::KnowledgeBase::embedded().expect("the knowledge base loads");
        // (message, primary scope, rules that must fire, rules that must not)
        let table: [(&str, &str, &[&str], &[&str]); 7] = [
            // a function named after a negation in its clause did not change
            (
                "no changes to `parse_date()`, only max_depth 6 -> 8",
                "integration",
                &["hyperparameters"],
                &["transformation-function"],
            ),
            // a function that opens its clause is the subject of the bug told
            (
                "`parse_ts()` didn't handle DST, fixed it",
                "unit",
                &["transformation-function"],
                &[],
            ),
            // a change weighed and given up
            (
                "Dropped the plan to change the batch size. What's left in the branch: `collate()` handles ragged tensors.",
                "unit",
                &["transformation-function"],
                &["hyperparameters"],
            ),
            (
                "scrapped the lr change. only the fix in `pad_seq()` remains",
                "unit",
                &["transformation-function"],
                &["hyperparameters"],
            ),
            // "not only X but also Y" negates nothing: both changed
            (
                "We changed not only the README but also the learning rate from 0.1 to 0.05",
                "integration",
                &["hyperparameters"],
                &[],
            ),
            (
                "changed the README and the learning rate from 0.1 to 0.05",
                "integration",
                &["hyperparameters"],
                &[],
            ),
            // "no longer" reports a change: a model input given up
            (
                "we're no longer using the `age` feature in the churn model",
                "integration",
                &["feature-set"],
                &[],
            ),
        ];
        for (text, primary, fire, quiet) in table {
            let advice = advise(&kb.engine, text);
            assert_eq!(advice.reading, Reading::Change, "{text}");
            assert_eq!(advice.primary_scope.as_deref(), Some(primary), "{text}");
            let fired: Vec<&str> = advice.matched.iter().map(|m| m.rule.as_str()).collect();
            for id in fire {
                assert!(fired.contains(id), "{text}: {id} missing from {fired:?}");
            }
            for id in quiet {
                assert!(!fired.contains(id), "{text}: {id} fired in {fired:?}");
            }
        }
        // A docs list stays about what it names: "model card and datasheet
        // for the credit model" changes docs only.
        let advice = advise(
            &kb.engine,
            "model card and datasheet for the credit model updated for the audit, markdown only",
        );
        assert_eq!(advice.primary_scope.as_deref(), Some("unit"));
        // A revert is a change of its own: the function it names stays.
        let advice = advise(&kb.engine, "reverted `clip_probs()` to last week's version");
        assert!(
            advice
                .matched
                .iter()
                .any(|m| m.rule == "transformation-function")
        );
    }
}
