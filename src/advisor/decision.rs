//! The decision: facts read from the message in, scopes, stages, traps and a
//! trace of why out. Phrases never set policy; this module does, in the study
//! guide's order:
//!
//! 1. what the message is (a change, a question, a belief, or nothing);
//! 2. generic wording counts only when nothing specific was said;
//! 3. one named function or small component → unit tests;
//! 4. every change adds the scope its kind needs (boundaries that interact →
//!    integration), the union is the answer and the deepest scope leads;
//! 5. release-gating only from an intent to put something into prod;
//! 6. risk factors move a unit-only answer one level deeper;
//! 7. the stages follow from the scopes.
//!
//! A question gets the scopes and stages it asks about, never a verdict on an
//! imaginary change.

use rustc_hash::FxHashSet;

use super::model::{Engine, RuleKind, Subject};
use super::{Advice, Matched, Reading};

/// A rule the message triggered, where, and with which of the user's words.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Fired {
    pub(crate) at: usize,
    pub(crate) rule: u32,
    pub(crate) words: Vec<String>,
}

/// Everything the reading of a message produced, before any policy.
#[derive(Debug, Default)]
pub(crate) struct Facts {
    /// Rules whose words stand un-negated.
    pub(crate) positive: Vec<Fired>,
    /// Rules whose words appeared only in negated clauses.
    pub(crate) ignored: Vec<Fired>,
    /// Beliefs named only in sentences that ask about them: reminded, but
    /// they do not make the message a belief.
    pub(crate) asked: Vec<Fired>,
    /// Promotions in a clause that puts them later ("the release is next
    /// month"): not the decision at hand when a change made now is named.
    pub(crate) deferred: Vec<Fired>,
    /// Rules named only in sentences that propose tests ("let's also do a
    /// canary"): a plan for testing, not a change.
    pub(crate) proposed: Vec<Fired>,
    /// Beliefs whose topic the message names while making a claim; they
    /// count only if the message reads as a belief.
    pub(crate) voiced: Vec<Fired>,
    /// Of those, the ones named in a sentence that claims and reports no
    /// change ("pretty sure nobody reads it"): next to a change told
    /// elsewhere, they are voiced about that change.
    pub(crate) voiced_in_claims: Vec<Fired>,
    /// The deepest scope that a proposal of tests names by a scope's or a
    /// stage's name ("the lead wants the full staging e2e").
    pub(crate) proposed_depth: Option<usize>,
    /// The message declines heavier tests for its change: a stage or scope
    /// past the first, a retrain or a kind of test, named under a negation
    /// ("no retrain, no staging run", "not running staging for that").
    pub(crate) declines_tests: bool,
    /// Some of those claims are the writer's own, not reported as someone
    /// else's ("in my last company dev was enough"): a question next to one
    /// argues for it rather than asks ("why we need staging env? ...").
    pub(crate) holds_claim: bool,
    /// Generic rules triggered by a bare file path, which stay even next to a
    /// specific change elsewhere in the message.
    pub(crate) sticky: FxHashSet<u32>,
    /// Functions, helpers, UDFs or regexes named by identifier.
    pub(crate) code_units: Vec<(usize, String)>,
    /// The message reports a specific change (a change verb in the past
    /// tense, a value moving, a file named ...).
    pub(crate) reports: bool,
    /// Some sentence asks a question.
    pub(crate) asks: bool,
    /// Some sentence that ends in `?` argues a point rather than asks
    /// ("..., right?", "who on earth reads it?").
    pub(crate) argues: bool,
    /// Some word says "change" in any form.
    pub(crate) mentions_change: bool,
    pub(crate) says_change: bool,
    /// The message points at a particular thing ("this", a version, code).
    pub(crate) points_at: bool,
    /// Someone speaks for themselves ("we", "I").
    pub(crate) personal: bool,
    /// A promotion is named outside a general claim ("let's promote v9"
    /// against "every PR gets a canary").
    pub(crate) intends: bool,
    /// The message frames its change as a bug fix.
    pub(crate) fixes: bool,
    /// Some sentence states a general claim.
    pub(crate) claims: bool,
    /// Some sentence that reports nothing denies a need for tests
    /// ("nothing to test, right?", "staging never reproduces real load").
    pub(crate) denies: bool,
    /// Scopes and stages the message names in words ("unit tests", "staging").
    pub(crate) named_scopes: Vec<usize>,
    pub(crate) named_stages: Vec<usize>,
    /// A question asks what something is for ("what is staging for?"), not
    /// which tests belong there ("which tests belong in prod?").
    pub(crate) asks_purpose: bool,
    /// A question asks how tests split between two occasions.
    pub(crate) asks_split: bool,
    /// A question asks how two names of one stage differ or whether they
    /// are the same ("the test stage and staging: same thing?").
    pub(crate) asks_difference: bool,
    /// The message says "test" in any form: a question with it is about
    /// testing ("how small is too small for a test?").
    pub(crate) says_test: bool,
    /// Some word sets things side by side to tell them apart ("the
    /// difference between ...").
    pub(crate) compares: bool,
    /// Scopes offered as alternatives ("a unit test or an integration
    /// test?").
    pub(crate) offers_scopes: bool,
    /// A release is named in a sentence that states rather than asks ("the
    /// model is next in line for production"): the situation at hand.
    pub(crate) stated_release: bool,
    /// Readers named for the change ("both the retrain and the backfill job
    /// call it"): a boundary it crosses, when code or data moved beside them.
    pub(crate) readers: Vec<Fired>,
    /// The message says what changed has no reader beyond its own code
    /// ("nobody else calls it yet").
    pub(crate) no_readers: bool,
    /// The message tells that a monitor fired ("the drift alert fired",
    /// "kicked off a retrain"): a retrain it names happened.
    pub(crate) monitor_fired: bool,
}

/// Applies the policy to the facts.
pub(crate) fn decide(engine: &Engine, facts: Facts) -> Advice {
    let Facts {
        mut positive,
        mut ignored,
        mut proposed,
        asked,
        deferred,
        voiced,
        voiced_in_claims,
        holds_claim,
        proposed_depth,
        declines_tests,
        sticky,
        code_units,
        reports,
        asks,
        argues,
        mentions_change,
        says_change,
        points_at,
        personal,
        intends,
        fixes,
        claims,
        denies,
        named_scopes,
        named_stages,
        asks_purpose,
        asks_difference,
        asks_split,
        says_test,
        compares,
        offers_scopes,
        stated_release,
        readers,
        no_readers,
        monitor_fired,
    } = facts;
    let kind = |f: &Fired| engine.rules[f.rule as usize].kind;
    let mut trace: Vec<String> = Vec::new();
    // "nobody should be reading it anyway" voices a belief about consumers:
    // it is reminded, and it settles nothing about who reads the output.
    let no_readers = no_readers && voiced.is_empty() && voiced_in_claims.is_empty();
    // The message voices something about its change beyond telling it: a
    // claim, a denial of a need, or a known belief. A plan of tests answers
    // no trap then.
    let voices = claims || denies || !voiced.is_empty() || !voiced_in_claims.is_empty();
    // Kept for a change reading when the message denies a need, or where a
    // sentence of its own claims something about the change.
    let voiced_in_change = if denies {
        voiced.clone()
    } else {
        voiced_in_claims
    };
    let mut asked = asked;

    // A release put later is not the decision at hand when something changed
    // now; alone, it is the subject.
    // Generic wording inside the release's own words is what is released,
    // not another change ("prd promo of mv 22 on hold": "mv" is no update).
    let inside_deferred = |f: &Fired| {
        engine.rules[f.rule as usize].fallback
            && deferred.iter().any(|d| {
                d.words
                    .first()
                    .is_some_and(|w| f.at >= d.at && f.at < d.at + w.len())
            })
    };
    let changed_now = !code_units.is_empty()
        || positive.iter().any(|f| {
            matches!(kind(f), RuleKind::Change | RuleKind::Promote) && !inside_deferred(f)
        });
    if changed_now && !deferred.is_empty() {
        trace.push("a release planned for later is not the decision at hand".to_owned());
        ignored.extend(deferred);
    } else {
        positive.extend(deferred);
    }

    // "should we run a canary for a docstring change?": docs or tests named
    // in the sentence that proposes tests are what changed, and the rest is
    // the plan. Docs and tests cannot be a plan for testing themselves. ("even
    // a comment change should get the full e2e run" claims, and asks nothing:
    // a belief, left to step 1.)
    let docs_or_tests_fact = |f: &Fired| {
        kind(f) == RuleKind::Change
            && matches!(
                engine.rules[f.rule as usize].subject,
                Subject::Docs | Subject::Tests
            )
    };
    if code_units.is_empty()
        && (asks || !claims)
        && !positive
            .iter()
            .any(|f| matches!(kind(f), RuleKind::Change | RuleKind::Promote))
        && proposed.iter().any(docs_or_tests_fact)
        && proposed.iter().any(|f| !docs_or_tests_fact(f))
    {
        let (changed, plan): (Vec<Fired>, Vec<Fired>) =
            proposed.into_iter().partition(docs_or_tests_fact);
        positive.extend(changed);
        proposed = plan;
    }

    // Tests proposed next to a change are judged against it: a canary for a
    // docs edit is over-testing, not a release. With no other change, what
    // the proposal names is the subject.
    let other_change = !code_units.is_empty()
        || positive
            .iter()
            .any(|f| matches!(kind(f), RuleKind::Change | RuleKind::Promote));
    let mut deeper_proposal = false;
    // How deep the tests the message plans for its change go: a trap those
    // tests answer is not the engine's to remind.
    let mut plan_depth = None;
    if other_change && (!proposed.is_empty() || proposed_depth.is_some()) {
        // The change's depth comes from changes; a plan's also from the
        // kinds of test it names ("the lead wants a load test").
        let deepest = |list: &[Fired], test_kinds: bool| {
            list.iter()
                .filter(|f| {
                    matches!(kind(f), RuleKind::Change | RuleKind::Promote)
                        || (test_kinds && kind(f) == RuleKind::Topic)
                })
                .flat_map(|f| engine.rules[f.rule as usize].scopes.iter().copied())
                .max()
        };
        // Readers named for a named function ("it writes the table both the
        // churn and LTV models train on") already take it past unit: a
        // staging run planned for it is not over-testing.
        let unit_only = (code_units.is_empty() || deepest(&positive, false).unwrap_or(0) == 0)
            && (code_units.is_empty() || readers.is_empty());
        deeper_proposal = unit_only
            && deepest(&proposed, true).max(proposed_depth).unwrap_or(0)
                > deepest(&positive, false).unwrap_or(0);
        // What the plan proves is read from the kinds of test and the scopes
        // or stages it names, not from the parts of the system its sentence
        // mentions ("only training needs a rerun, the scoring service just
        // loads the artifact" plans nothing for serving).
        plan_depth = proposed
            .iter()
            .filter(|f| kind(f) == RuleKind::Topic)
            .flat_map(|f| engine.rules[f.rule as usize].scopes.iter().copied())
            .max()
            .max(proposed_depth);
        trace.push("tests proposed in the message are a plan, not a change".to_owned());
    } else {
        positive.extend(proposed);
    }
    // The reminder added here is the engine's, not a belief the message
    // voices: it does not make the message a belief.
    // Heavier tests declined and none proposed: the message keeps its
    // change small itself.
    let declines_tests = declines_tests && !deeper_proposal;
    let mut reminded = None;
    if deeper_proposal
        && let Some(r) = engine.special.over_testing
        && !positive.iter().any(|f| f.rule == r)
    {
        reminded = Some(r);
        trace.push("heavier tests proposed than the change needs".to_owned());
        positive.push(Fired {
            at: usize::MAX,
            rule: r,
            words: Vec::new(),
        });
    }

    // Step 2: generic wording and bare paths count only when nothing more
    // specific was said. A named function is specific. Docs and tests are
    // specific about themselves only: "retrained the model, model card
    // updated" still changed the model.
    let specific = |docs_or_tests: bool| {
        !code_units.is_empty()
            || positive.iter().any(|f| {
                let r = &engine.rules[f.rule as usize];
                matches!(r.kind, RuleKind::Change | RuleKind::Promote)
                    && !r.fallback
                    && (docs_or_tests || !matches!(r.subject, Subject::Docs | Subject::Tests))
            })
    };
    let (specific_code, specific_any) = (specific(false), specific(true));
    // "retrained on last quarter's data, plus a fix to `age_in_days()`": a
    // retrain still makes a new model beside a function fix; only a change
    // of another kind (parameters, features, a release) says more about it.
    let beyond_functions = positive.iter().any(|f| {
        let r = &engine.rules[f.rule as usize];
        matches!(r.kind, RuleKind::Change | RuleKind::Promote)
            && !r.fallback
            && !matches!(
                r.subject,
                Subject::Function | Subject::Docs | Subject::Tests
            )
    });
    // "first I fixed `fill_missing_zip()`, and then I retrained the geo
    // model": a retrain is one whichever rule read it; a generic model rule
    // whose own words retrain ("retrained the geo model") stays beside the
    // fix as a retrain rule does.
    let retrain = engine.lexicon.concept("retrain");
    let retrains = |f: &Fired| {
        retrain.is_some_and(|t| {
            f.words.iter().any(|w| {
                super::text::tokenize(&w.to_lowercase()).iter().any(|k| {
                    k.kind == super::text::TokenKind::Word
                        && engine.lexicon.exact(&super::text::stem(&k.word)) == t
                })
            })
        })
    };
    if specific_any {
        positive.retain(|f| {
            let r = &engine.rules[f.rule as usize];
            let generic_change = matches!(r.kind, RuleKind::Change | RuleKind::Promote);
            !r.fallback
                || (generic_change && !specific_code)
                || (sticky.contains(&f.rule) && code_units.is_empty())
                || ((r.subject == Subject::Retrain || (r.kind == RuleKind::Change && retrains(f)))
                    && !beyond_functions)
        });
    }

    // Step 3: a named code unit is a change to one function, read through the
    // knowledge base's function rule so its checks and rationale apply.
    if !code_units.is_empty()
        && let Some(unit_rule) = engine.special.function
        && !positive.iter().any(|f| f.rule == unit_rule)
    {
        let at = code_units[0].0;
        positive.push(Fired {
            at,
            rule: unit_rule,
            words: code_units.iter().map(|(_, n)| n.clone()).collect(),
        });
    }

    let subject = |f: &Fired| engine.rules[f.rule as usize].subject;
    // "it's the `strip_html()` fix, merging to main and that's it": a PR or a
    // merge that carries only a named function's fix is how the fix
    // travels; the fix decides how deep its tests go.
    if !code_units.is_empty()
        && positive.iter().any(|f| subject(f) == Subject::Route)
        && positive.iter().all(|f| {
            !matches!(kind(f), RuleKind::Change | RuleKind::Promote)
                || matches!(
                    subject(f),
                    Subject::Function | Subject::Docs | Subject::Tests | Subject::Route
                )
        })
    {
        positive.retain(|f| subject(f) != Subject::Route);
        trace.push("a merge that carries only a function's fix is how the fix travels".to_owned());
    }

    // "raised the PSI alert threshold to 0.3; the alert triggers the
    // retraining job": when a monitor's own settings change, the drift it
    // measures and the retrain it triggers say what the monitor does, not
    // that a retrain happened. It did when the message tells the monitor
    // fired ("the drift alert fired overnight and kicked off a retrain").
    if !monitor_fired && positive.iter().any(|f| subject(f) == Subject::Monitor) {
        let before = positive.len();
        positive.retain(|f| subject(f) != Subject::Retrain);
        if positive.len() < before {
            trace.push(
                "the retrain a changed monitor triggers is what it does, not a retrain that happened"
                    .to_owned(),
            );
        }
    }

    // A fix that makes a named function do what it promised stays a unit
    // change even though its output values move; so does a function whose
    // message says nobody else reads its output: no consumer sees the new
    // meaning.
    if (fixes || no_readers) && !code_units.is_empty() {
        let before = positive.len();
        positive.retain(|f| engine.rules[f.rule as usize].subject != Subject::Output);
        if positive.len() < before {
            trace.push(if fixes {
                "a bug fix that keeps the function's promise stays unit".to_owned()
            } else {
                "nobody else reads the function's output, so it stays unit".to_owned()
            });
        }
    }

    // Readers named for the change are a boundary it crosses when code,
    // data or a model moved beside them; next to a docs or tests edit, or
    // nothing at all, they consume nothing new.
    // A change reported in words no rule knows ("the embedding job now
    // emits 384-dim vectors instead of 768") moved something too.
    let docs_or_tests = positive.iter().any(|f| {
        matches!(
            engine.rules[f.rule as usize].subject,
            Subject::Docs | Subject::Tests
        )
    });
    let moved = !code_units.is_empty()
        || (reports && !docs_or_tests)
        || positive.iter().any(|f| {
            let r = &engine.rules[f.rule as usize];
            matches!(r.kind, RuleKind::Change | RuleKind::Promote)
                && !matches!(r.subject, Subject::Docs | Subject::Tests)
        });
    if moved {
        for f in readers {
            if let Some(p) = positive.iter_mut().find(|p| p.rule == f.rule) {
                p.words.extend(f.words);
            } else {
                trace.push("readers named for the change are a boundary it crosses".to_owned());
                positive.push(f);
            }
        }
    }

    // Code moved, so docs and tests are judged by the code: "only the tests
    // moved" must not be said of a diff that also changes code.
    let code_moved = !code_units.is_empty()
        || positive.iter().any(|f| {
            let r = &engine.rules[f.rule as usize];
            matches!(r.kind, RuleKind::Change | RuleKind::Promote)
                && !matches!(r.subject, Subject::Docs | Subject::Tests)
        });
    if code_moved {
        positive.retain(|f| {
            !matches!(
                engine.rules[f.rule as usize].subject,
                Subject::Docs | Subject::Tests
            )
        });
    }

    let changes = positive
        .iter()
        .any(|f| matches!(kind(f), RuleKind::Change | RuleKind::Promote));
    let beliefs = positive
        .iter()
        .any(|f| kind(f) == RuleKind::Trap && Some(f.rule) != reminded);
    // A topic that only a question can raise ("load tests") needs the
    // message to ask.
    let topics = positive.iter().any(|f| {
        kind(f) == RuleKind::Topic && (asks || !engine.rules[f.rule as usize].questions_only)
    });

    // Step 1: what the message is. A report of a change is a change whatever
    // else the message says, and so is a question about a change ("do I need
    // release gates for a learning rate change?"); otherwise a message that
    // asks is a question
    // and one that claims (or voices a known belief) is a belief. Nouns alone
    // ("the feature pipeline feeding training and serving") still describe a
    // change when they neither ask nor claim.
    let reports = reports || !code_units.is_empty();
    // A belief asked about ("guide trap: ... what's the better rule?") is
    // about testing though the scope it names is part of it.
    let about_testing = changes
        || topics
        || beliefs
        || !asked.is_empty()
        || says_test
        || !named_stages.is_empty()
        || !named_scopes.is_empty();
    let promotes = positive.iter().any(|f| kind(f) == RuleKind::Promote);
    // "we can ship", "let's promote v9": someone intends a release.
    // A situation set out before a question about it ("the team is weighing
    // promotion from test to prod. which tests fit?") intends its release.
    let situation = stated_release && asks && !claims;
    let intends_release = promotes && intends && (personal || points_at || situation);
    // "what is the difference between integration test and unit test for a
    // ML pipeline?": a question that sets two scopes side by side is about
    // them; what it names them for ("a ML pipeline") is no change.
    let compares_scopes = asks && compares && named_scopes.len() > 1 && !reports;
    let reading = if compares_scopes {
        Reading::Question
    } else if (reports
        || ((asks || argues) && mentions_change)
        // A plan heavier than the change it is judged against makes the
        // message about that change when it points at one ("do we need a
        // canary for this?" / "it's only docstrings"); "for a docstring
        // change?" still asks in general.
        || (deeper_proposal && asks && points_at)
        || (points_at && beliefs)
        || intends_release)
        && changes
    {
        Reading::Change
    } else if asks && !beliefs && !holds_claim && about_testing {
        Reading::Question
    } else if beliefs || (claims && (changes || topics || !voiced.is_empty())) {
        Reading::Belief
    } else if changes {
        Reading::Change
    } else if topics || (asks && about_testing) {
        Reading::Question
    } else {
        Reading::Nothing
    };
    trace.push(format!("read as {}", reading.name()));
    if reading == Reading::Nothing {
        // A lone risk word ("outage") or a test kind named outside a
        // question says nothing to advise on.
        positive.clear();
    }
    if reading != Reading::Question {
        positive.retain(|f| !engine.rules[f.rule as usize].questions_only);
    } else if positive.iter().any(|f| {
        let r = &engine.rules[f.rule as usize];
        r.kind == RuleKind::Topic && !r.fallback
    }) {
        // A question about one kind of test is answered for that kind.
        positive.retain(|f| {
            let r = &engine.rules[f.rule as usize];
            !(r.kind == RuleKind::Topic && r.fallback)
        });
    }
    if reading == Reading::Belief {
        // A belief is answered with what its trap asks for: the beliefs
        // stated outright lead, topics only fill in when none was, and the
        // subjects they mention add no scope of their own.
        if !positive.iter().any(|f| kind(f) == RuleKind::Trap) {
            let mut voiced = voiced;
            // "every PR, however tiny, gets a full retrain and a canary":
            // a claim that small changes need heavy tests is over-testing,
            // and the heavy tests it names are its plan, not beliefs too.
            let over_testing = |f: &Fired| engine.rules[f.rule as usize].on_deeper_proposal;
            if voiced.iter().any(over_testing) {
                voiced.retain(over_testing);
            }
            positive.extend(voiced);
        }
        if positive.iter().any(|f| kind(f) == RuleKind::Trap) {
            positive.retain(|f| matches!(kind(f), RuleKind::Trap | RuleKind::Escalate));
        }
    }
    // A belief that is right for this change is not a trap here: unit tests
    // are enough for one function.
    if reading == Reading::Change {
        let mut need = vec![false; engine.scopes.len()];
        for f in &positive {
            let r = &engine.rules[f.rule as usize];
            if matches!(r.kind, RuleKind::Change | RuleKind::Promote) {
                for &s in &r.scopes {
                    need[s] = true;
                }
            }
        }
        // Right for every scope the change needs.
        let harmless = |r: &super::model::Rule| {
            !r.harmless_for.is_empty()
                && need
                    .iter()
                    .enumerate()
                    .all(|(s, &on)| !on || r.harmless_for.contains(&s))
        };
        positive.retain(|f| {
            let r = &engine.rules[f.rule as usize];
            let harmless = harmless(r);
            if harmless {
                trace.push(format!("{}: right for this change, not reminded", r.title));
            }
            !harmless
        });
        // "... so there's nothing to test": a change whose message denies a
        // need for tests, or claims something in a sentence of its own,
        // voices the beliefs its topics stand for. They are reminded; they
        // add no scope of their own.
        for f in &voiced_in_change {
            let r = &engine.rules[f.rule as usize];
            // "README typo fix only, no need for the staging run": naming the
            // small change is no belief that it needs heavy tests; only a
            // plan heavier than the change voices that.
            let unplanned = r.on_deeper_proposal && !deeper_proposal;
            if !harmless(r) && !unplanned && !asked.iter().any(|a| a.rule == f.rule) {
                trace.push(format!("{}: voiced about this change", r.title));
                asked.push(f.clone());
            }
        }
    }

    positive.sort();
    ignored.sort();
    // A rule that stands is not also shown as ruled out: words of it that a
    // negation took ("prod tomorrow without a shadow run") took back nothing
    // while others ("promoting the new churn model") still say it.
    ignored.retain(|i| !positive.iter().any(|p| p.rule == i.rule));

    let n_scopes = engine.scopes.len();
    let mut scope_on = vec![false; n_scopes];
    let mut trap_on = vec![false; engine.traps.len()];
    let mut component_on = vec![false; engine.components.len()];
    // Each rule that fired, with the scopes it switched on: checks and
    // reasons are ordered from these once the primary scope is known.
    let mut reached: Vec<(u32, Vec<usize>)> = Vec::new();
    // With the scope past which each is moot ("if its output changes
    // meaning, run the integration test as well" says nothing to an answer
    // that already runs it).
    let mut notes: Vec<(String, Option<usize>)> = Vec::new();
    let mut escalators = Vec::new();

    // The deepest scope the change itself needs.
    let change_depth = positive
        .iter()
        .filter(|f| matches!(kind(f), RuleKind::Change | RuleKind::Promote))
        .flat_map(|f| engine.rules[f.rule as usize].scopes.iter().copied())
        .max()
        .unwrap_or(0);
    // Rationale and checks follow the knowledge base's rule order, which runs
    // from narrow changes to release decisions.
    let mut by_rule: Vec<u32> = positive.iter().map(|f| f.rule).collect();
    by_rule.sort_unstable();
    by_rule.dedup();
    // Code moved when a function (or what it returns) changed: "fixed
    // `parse_amount()` and retrained on November" is reminded of nothing
    // whose premise is that no code changed.
    let code_moved = positive.iter().any(|f| {
        let r = &engine.rules[f.rule as usize];
        r.kind == RuleKind::Change && matches!(r.subject, Subject::Function | Subject::Output)
    });
    for &r in &by_rule {
        let rule = &engine.rules[r as usize];
        match rule.kind {
            // What an escalator switches on is known after step 6.
            RuleKind::Escalate => {
                escalators.push(rule);
                reached.push((r, Vec::new()));
            }
            // A belief voiced about a change adds the tests it would skip,
            // never deeper ones than the change needs: "unit tests pass, so
            // ship it" adds the staging run, "fixed `clip()`, we run the
            // same tests everywhere anyway" is still one function.
            RuleKind::Trap if reading == Reading::Change => {
                let mut reach = Vec::new();
                for &s in rule.scopes.iter().filter(|&&s| s <= change_depth) {
                    scope_on[s] = true;
                    reach.push(s);
                }
                reached.push((r, reach));
                let mut line = String::with_capacity(rule.title.len() + 32);
                line.push_str(&rule.title);
                line.push_str(": reminded, within the change's depth");
                trace.push(line);
            }
            _ => {
                for &s in &rule.scopes {
                    scope_on[s] = true;
                }
                reached.push((r, rule.scopes.clone()));
                // "title → unit + integration", without the format machinery.
                let scopes = scope_list(engine, &rule.scopes);
                let mut line = String::with_capacity(rule.title.len() + 5 + scopes.len());
                line.push_str(&rule.title);
                line.push_str(" → ");
                line.push_str(&scopes);
                trace.push(line);
            }
        }
        for &t in &rule.traps {
            // A belief voiced is shown as voiced; a rule's own reminder only
            // where its premise holds and the plan voiced does not answer it.
            let answered = !voices
                && engine.traps_answered_by[t].is_some_and(|s| plan_depth.is_some_and(|d| d >= s));
            if rule.kind == RuleKind::Trap
                || !(answered
                    || code_moved && engine.traps_unless_code_moved[t]
                    || declines_tests && engine.traps_unless_declined[t])
            {
                trap_on[t] = true;
            } else if declines_tests && engine.traps_unless_declined[t] {
                trace.push(format!(
                    "{}: the message declines the heavier tests itself",
                    engine.traps[t]
                ));
            } else if answered {
                trace.push(format!(
                    "{}: the tests planned answer its reminder",
                    engine.traps[t]
                ));
            }
        }
        for &c in &rule.components {
            component_on[c] = true;
        }
        if let Some(note) = &rule.note
            && !notes.iter().any(|(n, _)| n == note)
        {
            notes.push((note.clone(), rule.note_unless));
        }
    }

    // A question is answered for the scopes it names; with none named, for
    // what its topic needs; with neither, for the stages it names. A question
    // about the stages or scopes in general ("how deep should tests go in dev
    // compared to prod?") is answered with the plan but has no primary scope,
    // and so has a question about a belief ("someone says params only affect
    // training, what's wrong with that?"): it is answered with the trap.
    let mut no_primary = false;
    if reading == Reading::Question {
        let kind_of_test = positive.iter().any(|f| {
            let r = &engine.rules[f.rule as usize];
            r.kind == RuleKind::Topic && !r.fallback
        });
        let stage_plan = positive.iter().any(|f| {
            let r = &engine.rules[f.rule as usize];
            r.kind == RuleKind::Topic && r.fallback
        });
        // "are unit tests enough when you change hyperparameters?": a
        // question that names a kind of change asks whether the scope it
        // names fits that change, so the change decides the answer, as it
        // decides a proposal's. So it does when the only belief asked about
        // is over-testing, which the engine reminds of, not the writer ("do
        // we need the full regression suite for a typo fix in a comment?").
        let subject = says_change
            && positive.iter().any(|f| {
                let r = &engine.rules[f.rule as usize];
                r.kind == RuleKind::Change && !r.fallback
            });
        // The scopes of the kinds of work the question names, if any.
        // A rule fired by the stages' own names ("dev vs staging" read as a
        // merge) names no work: the stages are what is asked about.
        let names_a_stage = |f: &Fired| {
            f.words.iter().flat_map(|w| w.split_whitespace()).any(|w| {
                let tok = engine
                    .lexicon
                    .exact(&super::text::stem(&w.to_ascii_lowercase()));
                engine.stage_names.iter().any(|&(t, _)| t == tok)
            })
        };
        let work_scopes: Option<Vec<usize>> = {
            let v: Vec<usize> = positive
                .iter()
                .filter(|f| !names_a_stage(f))
                .map(|f| &engine.rules[f.rule as usize])
                .filter(|r| matches!(r.kind, RuleKind::Change | RuleKind::Promote) && !r.fallback)
                .flat_map(|r| r.scopes.iter().copied())
                .collect();
            (!v.is_empty()).then_some(v)
        };
        let answer: Option<Vec<usize>> = if compares_scopes {
            trace.push(
                "a question comparing scopes: answered with each of them, no primary".to_owned(),
            );
            no_primary = true;
            Some(named_scopes)
        } else if subject
            && (!named_scopes.is_empty()
                || (!asked.is_empty()
                    && asked
                        .iter()
                        .all(|f| engine.rules[f.rule as usize].on_deeper_proposal))
                // "when we change the lr, which stages run what? is dev
                // alone ok?": stages asked about for a kind of change that
                // is named apart from them.
                || (!named_stages.is_empty() && asked.is_empty() && work_scopes.is_some())
                // "is it ok to test a hyperparameter change only in dev?":
                // the belief asked about is where to test (a stage's name
                // fires it) and the kind of change is named beside it, so
                // the change decides the answer and the belief stays shown.
                || (!named_stages.is_empty()
                    && !asked.is_empty()
                    && asked.iter().all(names_a_stage)
                    && work_scopes.is_some()))
        {
            trace.push(
                "a question about a kind of change: answered for that change, not the scope it names"
                    .to_owned(),
            );
            // The kind of test asked about is weighed, as a proposal is; the
            // change's own rules name the scopes.
            Some(
                positive
                    .iter()
                    .map(|f| &engine.rules[f.rule as usize])
                    .filter(|r| r.kind == RuleKind::Change)
                    .flat_map(|r| r.scopes.iter().copied())
                    .collect(),
            )
        } else if let Some(kind_scopes) = (offers_scopes && kind_of_test)
            .then(|| {
                // "what kind test is for check only one function, unit or
                // integration?": the kind of test asked about chooses among
                // the scopes offered as alternatives.
                let mut chosen: Vec<usize> = positive
                    .iter()
                    .map(|f| &engine.rules[f.rule as usize])
                    .filter(|r| r.kind == RuleKind::Topic && !r.fallback)
                    .flat_map(|r| r.scopes.iter().copied())
                    .filter(|s| named_scopes.contains(s))
                    .collect();
                chosen.sort_unstable();
                chosen.dedup();
                chosen
            })
            .filter(|chosen| !chosen.is_empty() && chosen.len() < named_scopes.len())
        {
            trace.push(
                "a question offering scopes for one kind of test: answered for that kind"
                    .to_owned(),
            );
            Some(kind_scopes)
        } else if !asked.is_empty()
            && positive
                .iter()
                .any(|f| engine.rules[f.rule as usize].names_change)
        {
            // "is it ok to skip staging for a hotfix?": the belief is asked
            // about a change that must reach prod, and that change decides
            // the answer.
            trace.push(
                "a question about skipping tests for a change that must reach prod: answered for that change"
                    .to_owned(),
            );
            Some(
                positive
                    .iter()
                    .map(|f| &engine.rules[f.rule as usize])
                    .filter(|r| matches!(r.kind, RuleKind::Change | RuleKind::Promote))
                    .flat_map(|r| r.scopes.iter().copied())
                    .collect(),
            )
        } else if !named_scopes.is_empty() && named_scopes.len() == n_scopes {
            // "unit tests in dev, integration in staging, gates in prod, is
            // that right?": every scope named is the whole plan asked about,
            // which leads with none of them.
            trace.push(
                "a general question naming every scope: answered with the plan, no primary"
                    .to_owned(),
            );
            no_primary = true;
            Some(named_scopes)
        } else if !named_scopes.is_empty() {
            trace.push("a general question: answered for the scopes it names".to_owned());
            Some(named_scopes)
        } else if !kind_of_test && !asked.is_empty() {
            trace.push("a question about a belief: answered with its trap".to_owned());
            Some(Vec::new())
        } else if kind_of_test {
            // "does the champion vs challenger comparison belong to staging
            // or to prod?": the kind of test decides where it belongs, and
            // what it tests ("a train/serve skew test") adds no scope. A kind
            // that runs in several of the stages asked about ("data
            // validation: dev or staging?") belongs to each of them.
            let kind_scopes: Vec<usize> = positive
                .iter()
                .map(|f| &engine.rules[f.rule as usize])
                .filter(|r| r.kind == RuleKind::Topic && !r.fallback)
                .flat_map(|r| r.scopes.iter().copied())
                .collect();
            let mut in_named: Vec<usize> = kind_scopes
                .iter()
                .map(|&s| engine.scopes[s].stage)
                .filter(|st| named_stages.contains(st))
                .collect();
            in_named.sort_unstable();
            in_named.dedup();
            if in_named.len() > 1 {
                trace.push(
                    "a question about a kind of test that runs in each stage asked about"
                        .to_owned(),
                );
                Some(Vec::new())
            } else {
                trace.push("a question about one kind of test: answered for that kind".to_owned());
                Some(kind_scopes)
            }
        } else if named_stages.len() == 1 && (asks_purpose || asks_difference) {
            // "what's the difference between the test stage and staging?":
            // two names of one stage, asked how they differ, ask what it is.
            // "what is staging for?": what that stage is for, also when the
            // question says it asks from a testing point of view ("the point
            // of the prod stage from a testing point of view"), which words of
            // the stage plan would otherwise answer.
            trace.push("a question about one stage: answered with what it is for".to_owned());
            Some(Vec::new())
        } else if stage_plan {
            trace.push("a question about stages in general: answered with the plan".to_owned());
            no_primary = true;
            None
        } else if named_stages.len() == 1 {
            // "which tests belong in prod?": the scopes of that stage.
            trace.push(
                "a question about one stage: answered with the tests that belong there".to_owned(),
            );
            Some(
                (0..n_scopes)
                    .filter(|&s| engine.scopes[s].stage == named_stages[0])
                    .collect(),
            )
        } else if named_stages.len() == engine.stages.len() {
            // "dev vs staging vs prod": the whole plan.
            trace.push("a question about every stage: answered with the plan".to_owned());
            no_primary = true;
            Some((0..n_scopes).collect())
        } else if named_stages.len() > 1 && !asks_purpose && work_scopes.is_some() {
            // "where does model validation against the champion happen,
            // staging or prod?": a kind of work whose place is asked belongs
            // where its own rule puts it, as a kind of test does.
            trace.push(
                "a question about where a kind of work belongs: answered for that work".to_owned(),
            );
            work_scopes
        } else if named_stages.len() > 1 && says_test && !asks_purpose {
            // "how deep should testing go in dev vs staging?": the plan for
            // those stages, every scope in its stage, and no primary.
            trace.push(
                "a question comparing the tests of some stages: answered with the tests of each"
                    .to_owned(),
            );
            no_primary = true;
            Some(
                (0..n_scopes)
                    .filter(|&s| named_stages.contains(&engine.scopes[s].stage))
                    .collect(),
            )
        } else if named_stages.len() > 1 {
            // "dev or staging?": what each of those stages is for.
            trace.push("a question comparing stages: answered with what each is for".to_owned());
            Some(Vec::new())
        } else {
            None
        };
        // "which tests run on every PR and which only before a release?":
        // a split between occasions has no leading scope.
        if asks_split && !subject {
            trace.push("a question about how tests split between occasions".to_owned());
            no_primary = true;
        }
        if let Some(scopes) = answer {
            scope_on.iter_mut().for_each(|s| *s = false);
            for s in scopes {
                scope_on[s] = true;
            }
        }
    }

    // Beliefs only asked about are reminded, and decide nothing else.
    if reading != Reading::Nothing {
        for f in &asked {
            for &t in &engine.rules[f.rule as usize].traps {
                trap_on[t] = true;
            }
        }
    }

    // Step 6: risk deepens a unit-only answer; release gating stays reserved
    // for promotion decisions, so it is never reached this way.
    let mut escalated = false;
    // Docs and tests ship nothing, so a risky system does not make editing
    // its model card riskier.
    let only_docs_or_tests = positive.iter().any(|f| {
        matches!(
            engine.rules[f.rule as usize].subject,
            Subject::Docs | Subject::Tests
        )
    }) && !positive.iter().any(|f| {
        let r = &engine.rules[f.rule as usize];
        matches!(r.kind, RuleKind::Change | RuleKind::Promote)
            && !matches!(r.subject, Subject::Docs | Subject::Tests)
    });
    if !escalators.is_empty() && only_docs_or_tests {
        trace.push("docs and tests ship nothing: risk does not deepen them".to_owned());
    } else if !escalators.is_empty() && reading == Reading::Change {
        match scope_on.iter().rposition(|&on| on) {
            Some(deepest) if deepest + 2 < n_scopes => {
                scope_on[deepest + 1] = true;
                escalated = true;
                for (r, reach) in &mut reached {
                    if engine.rules[*r as usize].kind == RuleKind::Escalate {
                        reach.push(deepest + 1);
                    }
                }
                let names: Vec<&str> = escalators.iter().map(|r| r.title.as_str()).collect();
                trace.push(format!(
                    "risk ({}) → one level deeper: {}",
                    names.join("; "),
                    engine.scopes[deepest + 1].id
                ));
            }
            Some(_) => {}
            None => {
                for rule in &escalators {
                    for &s in &rule.scopes {
                        scope_on[s] = true;
                    }
                }
                for (r, reach) in &mut reached {
                    let rule = &engine.rules[*r as usize];
                    if rule.kind == RuleKind::Escalate {
                        reach.clone_from(&rule.scopes);
                    }
                }
            }
        }
    }

    let scopes: Vec<usize> = (0..n_scopes).filter(|&i| scope_on[i]).collect();
    let lead = if reading == Reading::Change {
        scopes.last().copied()
    } else {
        None
    };
    let (checks, why, lead_checks, lead_reasons) =
        ordered_checks(engine, &reached, lead, &mut trace);
    let mut stage_on = vec![false; engine.stages.len()];
    for &s in &scopes {
        stage_on[engine.scopes[s].stage] = true;
    }
    if reading == Reading::Question && scopes.is_empty() && !named_stages.is_empty() {
        stage_on.iter_mut().for_each(|s| *s = false);
        for &s in &named_stages {
            stage_on[s] = true;
        }
    }
    let to_matched = |list: Vec<Fired>| -> Vec<Matched> {
        list.into_iter()
            .map(|f| {
                let rule = &engine.rules[f.rule as usize];
                Matched {
                    rule: rule.id.clone(),
                    title: rule.title.clone(),
                    words: f.words,
                }
            })
            .collect()
    };
    let confident = reading != Reading::Nothing;
    let deepest = scopes.last().copied();
    let notes = notes
        .into_iter()
        .filter(|(_, unless)| !unless.is_some_and(|u| deepest.is_some_and(|d| d >= u)))
        .map(|(note, _)| note)
        .collect();
    Advice {
        reading,
        primary_scope: scopes
            .last()
            .filter(|_| !no_primary)
            .map(|&s| engine.scopes[s].id.clone()),
        scopes: scopes
            .iter()
            .map(|&s| engine.scopes[s].id.clone())
            .collect(),
        stages: switched_on(&engine.stages, &stage_on),
        traps: switched_on(&engine.traps, &trap_on),
        checks: checks.iter().map(|&c| engine.checks[c].clone()).collect(),
        components: switched_on(&engine.components, &component_on),
        matched: to_matched(positive),
        ignored: to_matched(ignored),
        confident,
        why,
        lead_checks,
        lead_reasons,
        notes,
        escalated,
        trace,
    }
}

/// Checks and reasons in the order a reader needs them: first those of the
/// rules that set the primary scope (`lead`, the deepest scope of a change's
/// answer, or the risk factors when they deepened it), so the first check
/// and the first reason under the header belong to it; then the others.
/// Each group keeps the knowledge base's rule order, narrow changes before
/// release decisions, and the first rule of the lead group is the primary
/// rule. Without a lead (a question, a belief) every rule keeps that order.
/// Returns the checks, the reasons, and how many of each the primary rule
/// gave (a rendered answer never folds those away).
fn ordered_checks(
    engine: &Engine,
    reached: &[(u32, Vec<usize>)],
    lead: Option<usize>,
    trace: &mut Vec<String>,
) -> (Vec<usize>, Vec<String>, usize, usize) {
    let leads = |reach: &[usize]| lead.is_some_and(|p| reach.contains(&p));
    let mut checks: Vec<usize> = Vec::new();
    let mut why: Vec<String> = Vec::new();
    let mut counts = None;
    for first in [true, false] {
        for (r, _) in reached.iter().filter(|(_, reach)| leads(reach) == first) {
            let rule = &engine.rules[*r as usize];
            for &c in &rule.checks {
                if !checks.contains(&c) {
                    checks.push(c);
                }
            }
            if !why.contains(&rule.why) {
                why.push(rule.why.clone());
            }
            if first && let Some(p) = lead {
                trace.push(format!(
                    "{}: sets the scope ({}), its checks lead",
                    rule.title, engine.scopes[p].id
                ));
                counts.get_or_insert((checks.len(), why.len()));
            }
        }
    }
    let (lead_checks, lead_reasons) = counts.unwrap_or_default();
    (checks, why, lead_checks, lead_reasons)
}

/// The ids whose flag is on, in the knowledge base's order.
fn switched_on(ids: &[String], on: &[bool]) -> Vec<String> {
    ids.iter()
        .zip(on)
        .filter(|(_, on)| **on)
        .map(|(id, _)| id.clone())
        .collect()
}

fn scope_list(engine: &Engine, scopes: &[usize]) -> String {
    let mut out = String::new();
    for (k, &s) in scopes.iter().enumerate() {
        if k > 0 {
            out.push_str(" + ");
        }
        out.push_str(&engine.scopes[s].id);
    }
    out
}

#[cfg(test)]
mod tests {
    //! The policy on hand-made facts over a hand-made rule set
    //! (`testdata/rules.toml`): an edit to the team's rules cannot break
    //! these, and a policy bug cannot hide behind a phrase.

    use std::sync::LazyLock;

    use super::*;

    static KB: LazyLock<crate::kb::KnowledgeBase> = LazyLock::new(|| {
        crate::kb::KnowledgeBase::embedded_with(&[(
            "rules.toml",
            include_str!("testdata/rules.toml"),
        )])
        .expect("the test rule set loads")
    });

    fn fired(id: &str) -> Fired {
        let rule = KB
            .engine
            .rules
            .iter()
            .position(|r| r.id == id)
            .unwrap_or_else(|| panic!("no rule {id}"));
        Fired {
            at: rule,
            rule: rule as u32,
            words: vec![id.to_owned()],
        }
    }

    fn facts(ids: &[&str]) -> Facts {
        Facts {
            positive: ids.iter().map(|id| fired(id)).collect(),
            reports: true,
            ..Facts::default()
        }
    }

    fn scope(id: &str) -> usize {
        KB.engine
            .scopes
            .iter()
            .position(|s| s.id == id)
            .expect("a scope")
    }

    fn stage(id: &str) -> usize {
        KB.engine
            .stages
            .iter()
            .position(|s| s == id)
            .expect("a stage")
    }

    #[test]
    fn the_rule_that_set_the_scope_leads_the_reasons() {
        // The function comes first in the rules, the pipeline set the scope.
        let advice = decide(&KB.engine, facts(&["one-function", "pipeline"]));
        assert_eq!(advice.primary_scope.as_deref(), Some("integration"));
        assert_eq!(advice.why, ["pipeline", "one function"]);
        assert_eq!(advice.lead_reasons, 1);
        assert!(
            advice
                .trace
                .iter()
                .any(|t| t == "Pipeline: sets the scope (integration), its checks lead")
        );
        // A risk that deepened a unit answer set the scope: its reason leads.
        let advice = decide(&KB.engine, facts(&["one-function", "realtime"]));
        assert!(advice.escalated);
        assert_eq!(advice.why, ["risk", "one function"]);
        // One rule: nothing to reorder.
        let advice = decide(&KB.engine, facts(&["one-function"]));
        assert_eq!(advice.why, ["one function"]);
        assert_eq!(advice.lead_reasons, 1);
        // A question keeps the rules' order and has no lead.
        let mut f = facts(&["stages"]);
        f.reports = false;
        f.asks = true;
        let advice = decide(&KB.engine, f);
        assert_eq!(advice.reading, Reading::Question);
        assert_eq!((advice.lead_checks, advice.lead_reasons), (0, 0));
    }

    #[test]
    fn a_named_function_alone_is_unit_in_dev() {
        let advice = decide(
            &KB.engine,
            Facts {
                code_units: vec![(0, "clamp_scores".to_owned())],
                reports: true,
                ..Facts::default()
            },
        );
        assert_eq!(advice.reading, Reading::Change);
        assert_eq!(advice.scopes, ["unit"]);
        assert_eq!(advice.stages, ["dev"]);
        assert_eq!(advice.matched[0].words, ["clamp_scores"]);
    }

    #[test]
    fn a_named_function_drops_generic_wording_and_keeps_a_boundary() {
        let mut f = facts(&["generic-code", "pipeline"]);
        f.code_units = vec![(0, "bucket_income".to_owned())];
        let advice = decide(&KB.engine, f);
        assert_eq!(advice.scopes, ["unit", "integration"]);
        assert!(!advice.matched.iter().any(|m| m.rule == "generic-code"));
    }

    #[test]
    fn a_note_about_going_deeper_is_left_out_once_the_answer_is_deeper() {
        let alone = decide(&KB.engine, facts(&["one-function"]));
        assert_eq!(
            alone.notes,
            ["if its output changes meaning, integration too"]
        );
        let deeper = decide(&KB.engine, facts(&["one-function", "pipeline"]));
        assert_eq!(deeper.scopes, ["unit", "integration"]);
        assert!(deeper.notes.is_empty(), "{:?}", deeper.notes);
    }

    #[test]
    fn a_retrain_stays_beside_a_function_fix_and_gives_way_to_other_changes() {
        // "retrained on last quarter's data, plus a fix to `age_in_days()`":
        // the retrain still makes a new model.
        let mut f = facts(&["retrain"]);
        f.code_units = vec![(0, "age_in_days".to_owned())];
        let advice = decide(&KB.engine, f);
        assert_eq!(advice.scopes, ["unit", "integration"]);
        assert!(advice.matched.iter().any(|m| m.rule == "retrain"));
        // Beside a change of another kind, that change says what moved.
        let advice = decide(&KB.engine, facts(&["retrain", "pipeline"]));
        assert!(!advice.matched.iter().any(|m| m.rule == "retrain"));
        assert_eq!(advice.scopes, ["integration"]);
    }

    #[test]
    fn generic_wording_that_retrains_stays_beside_a_function_fix() {
        // "first I fixed `fill_missing_zip()`, and then I retrained the geo
        // model": a generic rule read the retrain, and it is still one.
        let mut retrained = fired("generic-code");
        retrained.words = vec!["retrained the geo model".to_owned()];
        let f = Facts {
            positive: vec![retrained],
            code_units: vec![(0, "fill_missing_zip".to_owned())],
            reports: true,
            ..Facts::default()
        };
        let advice = decide(&KB.engine, f);
        assert!(advice.matched.iter().any(|m| m.rule == "generic-code"));
        // Generic wording that does not retrain still gives way to the
        // function (see `a_named_function_drops_generic_wording_...`).
        let mut f = facts(&["generic-code"]);
        f.code_units = vec![(0, "fill_missing_zip".to_owned())];
        let advice = decide(&KB.engine, f);
        assert!(!advice.matched.iter().any(|m| m.rule == "generic-code"));
    }

    #[test]
    fn a_reminder_whose_premise_is_no_code_change_is_left_out_beside_code() {
        // A retrain alone is reminded that the same code still needs its
        // data and model checked.
        let alone = decide(&KB.engine, facts(&["retrain"]));
        assert_eq!(alone.traps, ["no-code-change-no-tests"]);
        // "fixed `parse_amount()` and retrained on November": code moved.
        let beside = decide(&KB.engine, facts(&["retrain", "one-function"]));
        assert_eq!(beside.scopes, ["unit", "integration"]);
        assert!(beside.traps.is_empty(), "{:?}", beside.traps);
    }

    #[test]
    fn generic_wording_counts_only_alone() {
        assert_eq!(
            decide(&KB.engine, facts(&["generic-code"])).scopes,
            ["unit"]
        );
        let advice = decide(&KB.engine, facts(&["generic-code", "pipeline"]));
        assert_eq!(advice.scopes, ["integration"]);
    }

    #[test]
    fn docs_beside_generic_wording_do_not_hide_the_change() {
        // "retrained the model, model card updated": the docs are specific
        // about themselves, the model still changed, and code moved.
        let advice = decide(&KB.engine, facts(&["docs", "generic-code"]));
        let rules: Vec<&str> = advice.matched.iter().map(|m| m.rule.as_str()).collect();
        assert_eq!(rules, ["generic-code"]);
        // A question's generic topic still gives way to the docs change.
        let advice = decide(&KB.engine, facts(&["docs", "stages"]));
        assert_eq!(advice.scopes, ["unit"]);
    }

    #[test]
    fn a_belief_about_a_change_adds_no_deeper_test_than_the_change_needs() {
        // "fixed `clip()`, we run the same tests everywhere anyway".
        let advice = decide(&KB.engine, facts(&["generic-code", "same-everywhere"]));
        assert_eq!(advice.reading, Reading::Change);
        assert_eq!(advice.scopes, ["unit"]);
        assert!(advice.traps.iter().any(|t| t == "stage-blind"));
        // "unit tests pass, so ship it": the staging run it skips comes back.
        let advice = decide(&KB.engine, facts(&["promote", "unit-enough"]));
        assert_eq!(advice.scopes, ["integration", "release-gating"]);
    }

    #[test]
    fn release_gating_comes_only_from_a_promotion() {
        let advice = decide(&KB.engine, facts(&["pipeline", "promote"]));
        assert_eq!(advice.primary_scope.as_deref(), Some("release-gating"));
        let advice = decide(&KB.engine, facts(&["pipeline", "realtime"]));
        assert_eq!(
            advice.scopes,
            ["integration"],
            "risk never reaches the gate"
        );
    }

    #[test]
    fn risk_moves_a_unit_answer_one_level_deeper() {
        let advice = decide(&KB.engine, facts(&["one-function", "realtime"]));
        assert_eq!(advice.scopes, ["unit", "integration"]);
        assert!(advice.escalated);
        assert!(advice.trace.iter().any(|t| t.starts_with("risk")));
    }

    #[test]
    fn a_change_that_denies_a_need_for_tests_is_reminded_of_the_belief_it_voices() {
        let mut f = facts(&["one-function"]);
        f.voiced = vec![fired("unit-enough"), fired("over-testing")];
        f.denies = true;
        // heavier tests planned for it voice over-testing
        f.proposed_depth = Some(scope("integration"));
        let advice = decide(&KB.engine, f);
        assert_eq!(advice.reading, Reading::Change);
        // unit tests are right for one function; over-testing is reminded
        // but adds no scope
        assert_eq!(advice.traps, ["over-testing"]);
        assert_eq!(advice.scopes, ["unit"]);
        // naming the small change alone, with no heavier plan, voices none
        let mut f = facts(&["one-function"]);
        f.voiced = vec![fired("over-testing")];
        f.denies = true;
        assert!(decide(&KB.engine, f).traps.is_empty());

        let mut f = facts(&["pipeline"]);
        f.voiced = vec![fired("unit-enough")];
        let advice = decide(&KB.engine, f);
        assert!(
            !advice.trace.iter().any(|t| t.contains("voiced")),
            "no denial, no reminder"
        );
    }

    #[test]
    fn risk_does_not_deepen_a_docs_change() {
        let advice = decide(&KB.engine, facts(&["docs", "realtime"]));
        assert_eq!(advice.scopes, ["unit"]);
        assert!(!advice.escalated);
    }

    #[test]
    fn code_moved_so_docs_are_judged_by_the_code() {
        let advice = decide(&KB.engine, facts(&["docs", "pipeline"]));
        assert_eq!(advice.scopes, ["integration"]);
        assert!(!advice.traps.contains(&"over-testing".to_owned()));
        let docs = decide(&KB.engine, facts(&["docs"]));
        assert_eq!(docs.traps, ["over-testing"]);
    }

    #[test]
    fn a_belief_that_is_right_for_the_change_is_not_reminded() {
        let advice = decide(&KB.engine, facts(&["one-function", "unit-enough"]));
        assert_eq!(advice.scopes, ["unit"]);
        assert!(advice.traps.is_empty());
        let advice = decide(&KB.engine, facts(&["pipeline", "unit-enough"]));
        assert_eq!(advice.traps, ["unit-for-system-confidence"]);
    }

    #[test]
    fn a_claim_without_a_reported_change_is_a_belief() {
        let mut f = facts(&["unit-enough"]);
        f.reports = false;
        f.claims = true;
        let advice = decide(&KB.engine, f);
        assert_eq!(advice.reading, Reading::Belief);
        assert_eq!(advice.traps, ["unit-for-system-confidence"]);
    }

    #[test]
    fn a_rhetorical_question_about_a_change_keeps_the_change() {
        // "why bother with staging for the new pipeline join?": it argues,
        // and the change it mentions still counts, with the belief reminded.
        let arguing = |mentions_change| Facts {
            reports: false,
            claims: true,
            argues: true,
            mentions_change,
            ..facts(&["pipeline", "unit-enough"])
        };
        let advice = decide(&KB.engine, arguing(true));
        assert_eq!(advice.reading, Reading::Change);
        assert_eq!(advice.scopes, ["integration"]);
        assert_eq!(advice.traps, ["unit-for-system-confidence"]);
        // One that mentions no change voices the belief alone.
        assert_eq!(decide(&KB.engine, arguing(false)).reading, Reading::Belief);
    }

    #[test]
    fn a_question_beside_a_claim_of_the_writers_own_argues_for_it() {
        // "why we need staging env? in my last company dev was enough":
        // the claim is the writer's, so the question argues.
        let asking = |holds_claim| Facts {
            voiced: vec![fired("unit-enough")],
            voiced_in_claims: vec![fired("unit-enough")],
            asks: true,
            claims: true,
            says_test: true,
            holds_claim,
            ..Facts::default()
        };
        let advice = decide(&KB.engine, asking(true));
        assert_eq!(advice.reading, Reading::Belief);
        assert_eq!(advice.traps, ["unit-for-system-confidence"]);
        // Someone else's claim asked about ("the lead says ..., is that
        // right?") stays a question.
        assert_eq!(decide(&KB.engine, asking(false)).reading, Reading::Question);
    }

    #[test]
    fn a_plan_that_reaches_the_traps_answer_leaves_the_rules_reminder_out() {
        const T1: &str = "model-change-only-training";
        let has = |f: Facts| decide(&KB.engine, f).traps.iter().any(|t| t == T1);
        // "bumped max_depth": a parameter change with no plan is reminded.
        assert!(has(facts(&["params"])));
        // "..., rerunning the eval and the endpoint smoke test in staging".
        let planned = || Facts {
            proposed_depth: Some(scope("integration")),
            ..facts(&["params"])
        };
        assert!(!has(planned()));
        // A kind of test named in the plan answers it as well.
        assert!(!has(Facts {
            proposed: vec![fired("load-tests")],
            ..facts(&["params"])
        }));
        // A part of the system named in the plan's sentence is no test of it
        // ("only training needs a rerun, serving just loads the artifact").
        assert!(has(Facts {
            proposed: vec![fired("pipeline")],
            ..facts(&["params"])
        }));
        // A claim voiced beside the plan keeps the reminder.
        assert!(has(Facts {
            claims: true,
            ..planned()
        }));
    }

    #[test]
    fn a_proposal_that_names_a_deeper_scope_than_the_change_is_over_testing() {
        // "renamed a variable in `parse_events()`; the lead wants the full
        // staging e2e": the proposal names integration, the change needs unit.
        let proposing = |proposed_depth| Facts {
            code_units: vec![(0, "parse_events".to_owned())],
            proposed_depth,
            ..facts(&["one-function"])
        };
        let advice = decide(&KB.engine, proposing(Some(scope("integration"))));
        assert_eq!(advice.scopes, ["unit"]);
        assert_eq!(advice.traps, ["over-testing"]);
        let advice = decide(&KB.engine, proposing(Some(scope("unit"))));
        assert!(advice.traps.is_empty());
    }

    #[test]
    fn a_claim_that_small_changes_need_heavy_tests_is_over_testing() {
        let advice = decide(
            &KB.engine,
            Facts {
                voiced: vec![fired("unit-enough"), fired("over-testing")],
                claims: true,
                ..Facts::default()
            },
        );
        assert_eq!(advice.reading, Reading::Belief);
        assert_eq!(advice.traps, ["over-testing"]);
        assert_eq!(advice.scopes, ["unit"]);
    }

    #[test]
    fn a_belief_topic_counts_only_in_a_belief() {
        let mut f = facts(&["pipeline"]);
        f.voiced = vec![fired("unit-enough")];
        assert!(decide(&KB.engine, f).traps == ["unit-for-system-confidence"]);
        let mut f = facts(&[]);
        f.reports = false;
        f.claims = true;
        f.voiced = vec![fired("unit-enough")];
        let advice = decide(&KB.engine, f);
        assert_eq!(advice.reading, Reading::Belief);
    }

    #[test]
    fn a_question_is_answered_for_what_it_names() {
        let advice = decide(
            &KB.engine,
            Facts {
                asks: true,
                named_scopes: vec![scope("release-gating")],
                ..Facts::default()
            },
        );
        assert_eq!(advice.reading, Reading::Question);
        assert_eq!(advice.scopes, ["release-gating"]);
        assert_eq!(advice.stages, ["prod"]);

        let advice = decide(
            &KB.engine,
            Facts {
                asks: true,
                named_stages: vec![stage("dev"), stage("test")],
                ..Facts::default()
            },
        );
        assert_eq!(advice.primary_scope, None);
        assert_eq!(advice.stages, ["dev", "test"]);
    }

    #[test]
    fn a_question_about_skipping_tests_for_a_hotfix_is_answered_for_the_hotfix() {
        // "is it ok to skip staging for a hotfix?": the belief is asked about,
        // but the change must reach prod and decides the answer.
        let mut f = facts(&["hotfix"]);
        f.reports = false;
        f.asks = true;
        f.asked = vec![fired("same-everywhere")];
        let advice = decide(&KB.engine, f);
        assert_eq!(advice.reading, Reading::Question);
        assert_eq!(advice.primary_scope.as_deref(), Some("release-gating"));
        // A release that names no change is not answered so.
        let mut f = facts(&["promote"]);
        f.reports = false;
        f.asks = true;
        f.asked = vec![fired("same-everywhere")];
        assert_ne!(
            decide(&KB.engine, f).trace.last().map(String::as_str),
            Some(
                "a question about skipping tests for a change that must reach prod: answered for that change"
            )
        );
    }

    #[test]
    fn a_question_whether_one_stage_will_do_for_a_kind_of_change_is_answered_for_it() {
        // "is it ok to test a hyperparameter change only in dev?": the belief
        // asked about is fired by a stage's name, so the change decides.
        let ask = |words: &str| {
            let mut f = facts(&["params"]);
            f.reports = false;
            f.asks = true;
            f.says_change = true;
            f.named_stages = vec![stage("dev")];
            let mut belief = fired("same-everywhere");
            belief.words = vec![words.to_owned()];
            f.asked = vec![belief];
            decide(&KB.engine, f)
        };
        let advice = ask("only in dev");
        assert_eq!(advice.reading, Reading::Question);
        assert_eq!(advice.primary_scope.as_deref(), Some("integration"));
        // A belief that names no stage is still answered with its trap.
        let advice = ask("same tests everywhere");
        assert_eq!(advice.primary_scope, None);
    }

    #[test]
    fn a_question_about_the_stages_in_general_gets_the_plan_without_a_primary() {
        let mut f = facts(&["stages"]);
        f.reports = false;
        f.asks = true;
        let advice = decide(&KB.engine, f);
        assert_eq!(advice.reading, Reading::Question);
        assert_eq!(advice.primary_scope, None);
        assert_eq!(advice.scopes, ["unit", "integration", "release-gating"]);
        assert_eq!(advice.stages, ["dev", "test", "prod"]);
    }

    #[test]
    fn a_question_about_what_one_stage_is_for_gets_the_stage_alone() {
        let ask = |asks_purpose| Facts {
            asks: true,
            asks_purpose,
            named_stages: vec![stage("test")],
            ..Facts::default()
        };
        let advice = decide(&KB.engine, ask(true));
        assert_eq!(advice.primary_scope, None);
        assert_eq!(advice.stages, ["test"]);
        // "which tests belong in staging?": the tests of that stage.
        let advice = decide(&KB.engine, ask(false));
        assert_eq!(advice.scopes, ["integration"]);
    }

    #[test]
    fn a_question_comparing_the_tests_of_two_stages_gets_their_tests() {
        let ask = |says_test| Facts {
            asks: true,
            says_test,
            named_stages: vec![stage("test"), stage("prod")],
            ..Facts::default()
        };
        // "how is a test in staging different from the checks in prod?"
        let advice = decide(&KB.engine, ask(true));
        assert_eq!(advice.reading, Reading::Question);
        assert_eq!(advice.primary_scope, None);
        assert_eq!(advice.scopes, ["integration", "release-gating"]);
        assert_eq!(advice.stages, ["test", "prod"]);
        // "how does staging differ from prod?": what each is for.
        let advice = decide(&KB.engine, ask(false));
        assert!(advice.scopes.is_empty());
        assert_eq!(advice.stages, ["test", "prod"]);
    }

    #[test]
    fn a_question_about_a_belief_is_answered_with_its_trap_alone() {
        // "someone says params only affect training. what's wrong with that?"
        let mut f = facts(&["pipeline"]);
        f.reports = false;
        f.asks = true;
        f.asked = vec![fired("unit-enough")];
        let advice = decide(&KB.engine, f);
        assert_eq!(advice.reading, Reading::Question);
        assert_eq!(advice.primary_scope, None);
        assert!(advice.scopes.is_empty());
        assert!(!advice.traps.is_empty());
    }

    #[test]
    fn a_situation_set_out_before_a_question_intends_its_release() {
        // "the team is weighing promotion from test to prod. which tests?"
        let mut f = facts(&["promote"]);
        f.reports = false;
        f.asks = true;
        f.intends = true;
        f.stated_release = true;
        let advice = decide(&KB.engine, f);
        assert_eq!(advice.reading, Reading::Change);
        assert_eq!(advice.primary_scope.as_deref(), Some("release-gating"));
    }

    #[test]
    fn a_question_that_says_test_is_about_testing() {
        let advice = decide(
            &KB.engine,
            Facts {
                asks: true,
                says_test: true,
                ..Facts::default()
            },
        );
        assert_eq!(advice.reading, Reading::Question);
        assert_eq!(advice.primary_scope, None);
    }

    #[test]
    fn a_question_about_one_kind_of_test_gets_that_kind() {
        let mut f = facts(&["stages", "load-tests"]);
        f.reports = false;
        f.asks = true;
        let advice = decide(&KB.engine, f);
        assert_eq!(advice.reading, Reading::Question);
        assert_eq!(advice.scopes, ["integration"]);
        // Next to a change, a test kind is not a subject of its own.
        let advice = decide(&KB.engine, facts(&["one-function", "load-tests"]));
        assert_eq!(advice.scopes, ["unit"]);
    }

    #[test]
    fn a_release_put_later_is_set_aside_for_the_change_made_now() {
        let mut f = facts(&["pipeline"]);
        f.deferred = vec![fired("promote")];
        let advice = decide(&KB.engine, f);
        assert_eq!(advice.scopes, ["integration"]);
        assert_eq!(advice.ignored[0].rule, "promote");
        let f = Facts {
            deferred: vec![fired("promote")],
            reports: true,
            ..Facts::default()
        };
        assert_eq!(decide(&KB.engine, f).scopes, ["release-gating"]);
    }

    #[test]
    fn heavier_tests_proposed_for_a_small_change_are_over_testing() {
        let mut f = facts(&[]);
        f.code_units = vec![(0, "fmt_currency".to_owned())];
        f.proposed = vec![fired("promote")];
        let advice = decide(&KB.engine, f);
        assert_eq!(advice.scopes, ["unit"]);
        assert_eq!(advice.traps, ["over-testing"]);
    }

    #[test]
    fn a_kind_of_test_proposed_for_one_function_is_over_testing() {
        // "fixed `fmt_currency()`. the lead wants a load test": the plan
        // names a test kind deeper than the change needs.
        let mut f = facts(&[]);
        f.code_units = vec![(0, "fmt_currency".to_owned())];
        f.proposed = vec![fired("load-tests")];
        let advice = decide(&KB.engine, f);
        assert_eq!(advice.scopes, ["unit"]);
        assert_eq!(advice.traps, ["over-testing"]);
        // A topic among the facts of the change itself does not deepen it.
        let mut f = facts(&["stages"]);
        f.code_units = vec![(0, "fmt_currency".to_owned())];
        f.proposed = vec![fired("load-tests")];
        assert_eq!(decide(&KB.engine, f).traps, ["over-testing"]);
    }

    #[test]
    fn a_claim_that_only_names_a_stage_voices_no_belief() {
        // "the canteen's new menu is in staging: the whole building gets it
        // next": a stage named in passing is no belief about testing.
        let advice = decide(
            &KB.engine,
            Facts {
                claims: true,
                named_stages: vec![stage("test")],
                ..Facts::default()
            },
        );
        assert_eq!(advice.reading, Reading::Nothing);
        assert!(advice.traps.is_empty() && advice.scopes.is_empty());
    }

    #[test]
    fn nothing_read_is_nothing_said() {
        let advice = decide(&KB.engine, Facts::default());
        assert_eq!(advice.reading, Reading::Nothing);
        assert!(!advice.confident && advice.scopes.is_empty() && advice.traps.is_empty());
    }
}
