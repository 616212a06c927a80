//! The labelled case files in `tests/cases/`, scored through the same code as
//! `testscope eval`, so a knowledge-base edit that makes answers worse fails
//! here with the list of misses.
//!
//! The `advice*.jsonl` files are development sets:
//! written by people who never saw the engine's answers, each scored once on
//! first sight (README.md has the figures), then tuned against; their floors
//! sit at the accuracy reached, rounded down to a whole percent, so an edit
//! that loses cases fails here.
//! `heldout.jsonl` and `heldout2.jsonl` to `heldout9.jsonl` are never tuned against; their
//! floors only guard against a regression, and their figures are reported in
//! README.md.

mod common;

use common::KB;
use testscope::eval;

fn score(file: &str, min: f64) {
    let path = format!("{}/tests/cases/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("the case file exists");
    let examples = eval::parse(&KB, file, &text).unwrap_or_else(|errors| {
        panic!("{file} does not parse:\n{}", errors.join("\n"));
    });
    let report = eval::evaluate(&KB, &examples);
    println!("{}", report.to_text(&KB));
    assert!(
        report.accuracy >= min,
        "{file}: {:.1}% answered right, below {:.1}%; the misses are listed above",
        report.accuracy * 100.0,
        min * 100.0
    );
}

#[test]
fn development_set() {
    score("advice.jsonl", 0.98);
}

#[test]
fn second_development_set() {
    score("advice2.jsonl", 0.99);
}

#[test]
fn third_development_set() {
    score("advice3.jsonl", 0.97);
}

#[test]
fn fourth_development_set() {
    score("advice4.jsonl", 0.92);
}

#[test]
fn fifth_development_set() {
    score("advice5.jsonl", 0.95);
}

#[test]
fn sixth_development_set() {
    score("advice6.jsonl", 0.9);
}

#[test]
fn seventh_development_set() {
    score("advice7.jsonl", 0.92);
}

#[test]
fn eighth_development_set() {
    score("advice8.jsonl", 0.94);
}

#[test]
fn ninth_development_set() {
    score("advice9.jsonl", 0.99);
}

#[test]
fn tenth_development_set() {
    score("advice10.jsonl", 1.0);
}

#[test]
fn eleventh_development_set() {
    score("advice11.jsonl", 1.0);
}

#[test]
fn twelfth_development_set() {
    score("advice12.jsonl", 1.0);
}

#[test]
fn thirteenth_development_set() {
    // Beliefs voiced without a change and traps voiced about one.
    score("advice13.jsonl", 0.9);
}

#[test]
fn fifteenth_development_set_threads_shorthand_english() {
    score("advice15.jsonl", 0.96);
}

#[test]
fn fourteenth_development_set() {
    score("advice14.jsonl", 0.9);
}

#[test]
fn sixteenth_development_set() {
    // Traps voiced about a change in many sentence shapes, and the
    // vocabulary teams type every day.
    score("advice16.jsonl", 0.9);
}

#[test]
fn twentieth_development_set_boundaries_and_one_function() {
    // Boundaries that interact (new columns, units, join keys, online and
    // offline paths, rewired workflow steps) against one function changed.
    score("advice20.jsonl", 0.98);
}

#[test]
fn nineteenth_development_set() {
    // Traps voiced as a claim or a rhetorical question about one change, and
    // beliefs voiced with no change.
    score("advice19.jsonl", 1.0);
}

#[test]
fn twenty_first_development_set() {
    // Engineers' shorthand and emoji, learners' English, and the names
    // teams give models, settings and data loaders.
    score("advice21.jsonl", 1.0);
}

#[test]
fn eighteenth_development_set_threads_and_several_changes() {
    // Threads where the latest word narrows, denies or puts off a change,
    // and messages that join two or three changes.
    score("advice18.jsonl", 1.0);
}

#[test]
fn seventeenth_development_set() {
    // General questions about testing and the study guide's own rows
    // restated; the last 25 lines are a check part never tuned on.
    score("advice17.jsonl", 0.88);
}

#[test]
fn held_out_set() {
    score("heldout.jsonl", 0.86);
}

#[test]
fn second_held_out_set() {
    // Written before the round of `advice12` to `advice16`, four per kind.
    score("heldout2.jsonl", 0.9);
}

#[test]
fn third_held_out_set() {
    // Written at the start of the round of `advice17` to `advice22`, before
    // any of its merges, four per kind.
    score("heldout3.jsonl", 0.9);
}

#[test]
fn fourth_held_out_set() {
    // Written at the start of the round of `advice39` to `advice42`, before
    // any of its merges and without running the engine on it, four per kind.
    score("heldout4.jsonl", 0.9);
}

#[test]
fn fifth_held_out_set() {
    // Written at the start of the round of `advice44` to `advice48`, before
    // any of its merges and without running the engine on it, four per kind.
    score("heldout5.jsonl", 0.85);
}

#[test]
fn sixth_held_out_set() {
    // Written at the start of the round of `advice53` to `advice57`, before
    // any of its merges and without running the engine on it, four per kind.
    score("heldout6.jsonl", 0.86);
}

/// Written by a helper who never ran the engine, reviewed blind by a second
/// (64 of 72 labels agreed; two over-specified fields dropped).
#[test]
fn seventh_held_out_set() {
    score("heldout7.jsonl", 0.70);
}

/// Written by a helper who never ran the engine, labelled blind by a second
/// (every label both gave agreed).
#[test]
fn eighth_held_out_set() {
    score("heldout8.jsonl", 0.94);
}

/// Written and labelled blind as the eighth was; two label conventions were
/// then aligned with the other files on every line alike (a belief carries
/// no primary scope; stages are labelled only for unit and no-scope answers).
#[test]
fn ninth_held_out_set() {
    score("heldout9.jsonl", 0.95);
}

#[test]
fn twenty_second_development_set() {
    // Words around a change: reasons, purposes, compound nouns.
    score("advice22.jsonl", 0.9);
}

#[test]
fn twenty_seventh_development_set_shorthand_english_vocabulary() {
    // Shorthand and emoji, learners' English (a belief followed by "is
    // true?", "I am new"), team vocabulary; last 25 a check part.
    score("advice27.jsonl", 0.98);
}

#[test]
fn twenty_fifth_development_set() {
    // Boundaries that interact (columns, types, join keys, online and
    // offline paths, rewired workflow steps) against one function, helper,
    // UDF or regex changed; the last 25 lines are a check part never tuned
    // on.
    score("advice25.jsonl", 0.98);
}

#[test]
fn twenty_third_development_set() {
    // General questions and the study guide's rows restated; the last 25
    // lines are a check part never tuned on.
    score("advice23.jsonl", 0.89);
}

#[test]
fn thirty_third_development_set_shorthand_vocabulary_offtopic() {
    // Engineers' shorthand and emoji, library and platform vocabulary,
    // learners' English, chatter with ML-ish words in everyday senses; the
    // last 25 lines are a check part never tuned on.
    score("advice33.jsonl", 0.94);
}

#[test]
fn thirty_seventh_development_set_threads_and_several_changes() {
    // Thread transcripts (corrections, concessions, scope creep, a release
    // decided late) and messages with several changes at once; the last 25
    // lines are a check part never tuned on.
    score("advice37.jsonl", 0.88);
}

#[test]
fn thirty_eighth_development_set_shorthand_vocabulary_guide_rows() {
    // Chat shorthand, library class and parameter names, everyday words that
    // are ML terms only in context, and the study guide's rows reworded; the
    // last 25 lines are a check part never tuned on.
    score("advice38.jsonl", 0.88);
}

#[test]
fn thirty_fifth_development_set_one_function_against_a_boundary() {
    // One function, helper, method, UDF or regex changed against changes whose
    // output crosses a boundary (training and serving, join keys, schemas,
    // clients of other services); the last 25 lines are a check part never
    // tuned on.
    score("advice35.jsonl", 0.96);
}

#[test]
fn thirty_fourth_development_set_questions() {
    // Questions: general ones about stages, scopes and kinds of test or of
    // change, and ones about one change, with lead-ins, typos, emoji and
    // longer messages around them; the last 25 lines are a check part never
    // tuned on.
    score("advice34.jsonl", 0.8);
}

#[test]
fn thirty_sixth_development_set_trap_claims_and_beliefs() {
    // Traps voiced about one change (hedged, sarcastic, reported from someone
    // else, as a review comment, in shorthand, negated) and beliefs voiced
    // without one; the last 25 lines are a check part never tuned on.
    score("advice36.jsonl", 0.85);
}

#[test]
fn twenty_eighth_development_set() {
    // Messages tried by hand at the start of the round of `advice23` to
    // `advice27`, several of them known misreads, mixed kinds.
    score("advice28.jsonl", 0.83);
}

#[test]
fn thirty_first_development_set_boundaries_and_one_function() {
    // Boundaries that interact (output types, units and shapes, join keys,
    // wire formats, clients of other services) against one function, method,
    // UDF or regex changed; the last 25 lines are a check part never tuned
    // on.
    score("advice31.jsonl", 0.98);
}

#[test]
fn twenty_ninth_development_set() {
    // General questions about testing (which stage, what gates a release,
    // "do we need a canary for ...?") and the study guide's rows restated;
    // the last 25 lines are a check part never tuned on.
    score("advice29.jsonl", 0.84);
}

#[test]
fn thirtieth_development_set() {
    // Threads (corrected, answered, moved to another PR, approved, Slack copy
    // formats) and several changes in one message; last 25 a check part.
    score("advice30.jsonl", 0.88);
}

#[test]
fn twenty_fourth_development_set() {
    // Threads (postponed, narrowed, objected to, moved to another PR, Slack
    // copy formats) and several changes in one message; last 25 a check part.
    score("advice24.jsonl", 0.92);
}

#[test]
fn a_bad_line_is_reported_with_file_and_line() {
    let text = "{\"text\": \"bumped lr\", \"primary\": \"integration\"}\n\
                {\"text\": \"x\", \"primary\": \"everything\"}\n\
                not json\n\
                {\"text\": \"y\", \"colour\": 1}\n";
    let errors = eval::parse(&KB, "cases.jsonl", text).expect_err("three bad lines");
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(
        errors[0].starts_with("cases.jsonl:2: `primary`: unknown id `everything`"),
        "{errors:?}"
    );
    assert!(
        errors[1].starts_with("cases.jsonl:3: not valid JSON"),
        "{errors:?}"
    );
    assert!(
        errors[2].starts_with("cases.jsonl:4: unknown field `colour`"),
        "{errors:?}"
    );
}

#[test]
fn labels_that_are_absent_are_not_checked() {
    let text = "{\"text\": \"fix the off-by-one in clamp_scores()\", \"primary\": \"unit\"}\n\
                {\"text\": \"fix the off-by-one in clamp_scores()\", \"primary\": \"integration\", \"cat\": \"function\"}\n";
    let examples = eval::parse(&KB, "t.jsonl", text).expect("parses");
    let report = eval::evaluate(&KB, &examples);
    assert_eq!((report.passed, report.total), (1, 2));
    assert_eq!(report.misses[0].line, 2);
    assert_eq!(
        report.misses[0].differences,
        ["primary: expected integration, got unit"]
    );
    assert_eq!(report.by_cat["function"], (0, 1));
    assert_eq!(report.confusion["integration"]["unit"], 1);
}

#[test]
fn twenty_sixth_development_set_traps_and_beliefs() {
    // Traps voiced as a claim or rhetorical question about one change (30),
    // beliefs voiced with no change (20); the last 25 lines are a check part
    // never tuned on.
    score("advice26.jsonl", 0.92);
}

#[test]
fn thirty_second_development_set_trap_claims_beliefs_negation() {
    // Traps voiced as a claim or rhetorical question about a change (37),
    // beliefs with no specific change (23) and negation (15); the last 25
    // lines are a check part never tuned on.
    score("advice32.jsonl", 0.93);
}

#[test]
fn thirty_ninth_development_set_questions_about_kinds_of_change() {
    // Questions in many shapes (generic, hypothetical, about stages, scopes,
    // gates and kinds of test, exam-style), questions about one's own change
    // and belief contrasts, a few off-topic questions; the last 25 lines are
    // a check part never tuned on.
    score("advice39.jsonl", 0.72);
}

#[test]
fn fortieth_development_set_outputs_monitors_and_sources() {
    // Outputs that change form with a consumer named after them (often with
    // a verb no reader list holds), bug fixes that keep the contract,
    // monitor and alert settings, upstream sources, online and offline
    // parity; the last 25 lines are a check part never tuned on.
    score("advice40.jsonl", 0.9);
}

#[test]
fn forty_first_development_set_trap_claims_and_shorthand() {
    // Trap claims about every kind of change (parameters, dependencies,
    // features, schema, serving, retrains, docs and tests), rhetorical
    // questions, shorthand and emoji, and a few beliefs with no change; the
    // last 25 lines are a check part never tuned on.
    score("advice41.jsonl", 0.89);
}

#[test]
fn forty_second_development_set_threads_multi_guide() {
    // Threads of two to six messages (corrections, postponements,
    // confirmations, bots), several changes in one message, and the study
    // guide's rows restated or asked about; the last 25 lines are a check
    // part never tuned on.
    score("advice42.jsonl", 0.90);
}

#[test]
fn forty_third_development_set_changes_in_unusual_words() {
    // Changes phrased with unusual verbs (reran, refit, swapped in, pinned,
    // flipped, rolled back), learners' English, heavy shorthand and library
    // vocabulary (torch, sklearn, xgboost, kafka, redis, mlflow), and ten
    // off-topic messages using the same words in everyday senses; the last
    // 25 lines are a check part never tuned on.
    score("advice43.jsonl", 0.97);
}

#[test]
fn forty_ninth_development_set_release_markup_offtopic() {
    // Releases in everyday verbs (becomes the production model, cut over,
    // publish, starts serving live traffic) beside deploys into staging,
    // Slack markup and diffs, office chatter with stage-like words, PR
    // templates, negations and tests-only changes; the last 25 lines are a
    // check part never tuned on.
    score("advice49.jsonl", 0.93);
}

#[test]
fn fiftieth_development_set_questions_beliefs_guide_rows() {
    // General questions in many wordings (with and without `?`, a context
    // sentence first, a condition before the question word), questions about
    // one's own change, questions about a kind of change, beliefs voiced with
    // no change and the study guide's rows asked as questions; the last 25
    // lines are a check part never tuned on.
    score("advice50.jsonl", 0.84);
}

#[test]
fn forty_sixth_development_set_shorthand_english_vocab() {
    // Engineers' shorthand and emoji (lr, bs, wd, ckpt, FS, UC, DAB, k8s,
    // arrows for changes), learners' English with typos, and library
    // vocabulary (estimators swapped, settings by name, data loaders, pandas
    // to Spark, serving thresholds), with off-topic chatter in the same
    // shorthand; the last 25 lines are a check part never tuned on.
    score("advice46.jsonl", 0.97);
}

#[test]
fn forty_eighth_development_set_guide_rows_functions_threads() {
    // The study guide's rows put in everyday words, one function, helper,
    // UDF, regex or lambda changed (with and without readers of its output),
    // and threads where the change is corrected, also inside one message
    // ("... to prod tonight. actually no, it only goes to staging"); the
    // last 25 lines are a check part never tuned on.
    score("advice48.jsonl", 0.89);
}

#[test]
fn fifty_second_development_set_functions_several_changes_threads() {
    // One function, helper, UDF, regex or lambda with and without readers
    // of its output, several changes in one message (bullets, "+", "also",
    // a later clause that takes one back), and threads where the change
    // emerges or is corrected (a retrain told late beside a function fix,
    // "actually no, staging only; prod is a separate conversation"); the
    // last 25 lines are a check part never tuned on.
    score("advice52.jsonl", 0.94);
}

#[test]
fn fifty_third_development_set_questions_and_guide_rows() {
    // Questions: general ones about stages, scopes and kinds of test ("where
    // do load tests go?", "what separates a unit test from an integration
    // test?"), questions about one concrete change, with lead-ins, typos, no
    // `?`, two questions in one message, a question after a change and in
    // threads; the study guide's rows reworded as real messages; a few of
    // other kinds. The last 25 lines are a check part never tuned on.
    score("advice53.jsonl", 0.93);
}

#[test]
fn fifty_fifth_development_set_trap_claims_beliefs_look_alikes() {
    // Traps voiced about a concrete change (hedged, sarcastic, rhetorical
    // questions that name a setting, reported from someone else, review
    // comments, shorthand), beliefs voiced with no change, and look-alikes
    // that are no trap (a belief refuted in its own sentence, "schema
    // unchanged" beside a function fix, a correct claim about a docs-only
    // change); the last 25 lines are a check part never tuned on.
    score("advice55.jsonl", 0.68);
}

#[test]
fn forty_fourth_development_set_questions_and_beliefs() {
    // General questions about testing, stages and scopes in many wordings
    // (which stage, what a stage or a kind of test is for, what X catches
    // that Y can't, questions about a kind of change), a few questions about
    // one's own change, and beliefs voiced with no change; the last 25 lines
    // are a check part never tuned on.
    score("advice44.jsonl", 0.82);
}

#[test]
fn forty_seventh_development_set_trap_claims_and_several_changes() {
    // Traps voiced as a claim or rhetorical question about a change (every
    // trap of the knowledge base) and several changes in one message
    // (bullets, "also", "and separately", "+", a later revert); the last 25
    // lines are a check part never tuned on.
    score("advice47.jsonl", 0.90);
}

#[test]
fn forty_fifth_development_set_integration() {
    // Boundaries that interact: data whose meaning changes for a consumer
    // named after it (time zones, units, providers swapped under the same
    // column, definitions), monitor and alert settings, feature jobs and
    // their readers, registration and deployment steps of a workflow, against
    // one function fixed or refactored with no consumer change (also under
    // `features/`); the last 25 lines are a check part never tuned on.
    score("advice45.jsonl", 0.98);
}

#[test]
fn fifty_first_development_set_shorthand_trap_claims_and_english() {
    // Engineers' shorthand and emoji (lr, bs, wd, ckpt, FS, UC, DAB, k8s,
    // arrows), traps voiced as a claim or rhetorical question about a change
    // (all eight traps), and learners' English with typos; the last 25 lines
    // are a check part never tuned on.
    score("advice51.jsonl", 0.73);
}

#[test]
fn fifty_fourth_development_set_boundaries_and_several_changes() {
    // Boundaries that interact (a column's meaning, type or unit changed for
    // its readers, join and partition keys, online vs offline feature paths,
    // training/serving skew, a workflow's steps rewired, a shared table other
    // teams read) against look-alikes where one function changed and nothing
    // crosses a boundary; several changes in one message (bullets, "also",
    // "and then", a fix beside a bump, a retrain or a promotion); "staging
    // when prod" beside "staging to prod". The last 25 lines are a check part
    // never tuned on.
    score("advice54.jsonl", 0.94);
}

#[test]
fn fifty_sixth_development_set_threads_shorthand_tests_docs_english() {
    // Thread transcripts (corrections, scope creep, a release decided late,
    // concessions, "what changed?" answered), engineers' shorthand and emoji
    // (lr, bs, wd, ckpt, FS, UC, DAB, e2e, k8s, :ship:, +1, LGTM, ptal, nit),
    // tests-only and docs-only changes and diffs that mix code and tests, and
    // learners' English; settings renamed in code with no value change, and
    // library methods (`fit()`, `predict()`) named beside the team's own. The
    // last 25 lines are a check part never tuned on.
    score("advice56.jsonl", 0.86);
}

#[test]
fn fifty_ninth_development_set_thread_transcripts() {
    // Thread transcripts of two to six messages (names, clock times, quotes,
    // CI and workflow bots): a release denied or put off and then given a new
    // date by its owner, a release withdrawn to a staging comparison, a
    // release narrowed to a merge, questions answered by another speaker, a
    // bot's failure with a person's diagnosis naming the change, and changes
    // withdrawn whole. The last 25 lines are a check part never tuned on.
    score("advice59.jsonl", 0.85);
}

#[test]
fn sixtieth_development_set_read_as_nothing_or_the_wrong_thing() {
    // Messages a person reads plainly that the engine read as nothing or
    // the wrong thing: tests-only and docs-only changes (a test's timeout,
    // snapshot files, an analysis notebook), off-topic chatter with ML-ish
    // words (a theatre production, a planning doc, a champion trophy), a
    // test's state that is no change to what it tests ("e2e for the FS
    // pipeline is flaky"), `fit()` rerun on new data (a retrain) beside
    // "fits best" / "fit together", and a model wanted "serving customers"
    // (a release); the paraphrase table's known gaps in other words. The
    // last 25 lines are a check part never tuned on.
    score("advice60.jsonl", 0.84);
}

#[test]
fn fifty_eighth_development_set_the_reading_by_specificity() {
    // The reading of a message: general questions that name a kind of change
    // ("do dependency upgrades normally need ...?", "if a model gets retrained
    // on last month's data, what has to run?"), questions about one's own
    // concrete change ("can I skip staging for the lr change I pushed
    // yesterday?"), beliefs in change-shaped words ("same code + new data =
    // same model", "switching the optimizer only affects training") and a
    // change followed by someone's belief about it. The last 25 lines are a
    // check part never tuned on.
    score("advice58.jsonl", 0.85);
}

#[test]
fn sixty_first_development_set_trap_relevance() {
    // Trap relevance, labelled with `traps` and `no_traps`: reminders that
    // belong (a parameter change with no plan, a training-only claim, heavy
    // tests for a docs change, green unit tests as proof, a retrain called
    // untestable) and reminders that do not (a label change, a decision
    // threshold set or asked about, a parameter change whose writer already
    // plans eval and endpoint checks in staging, tests-only and docs-only
    // changes). The last 15 lines are a check part never tuned on.
    score("advice61.jsonl", 0.47);
}

#[test]
fn sixty_seventh_development_set_engineer_shorthand() {
    // Engineer shorthand and emoji (lr, bs, ckpt, FS, UC, DAB, k8s, prd/stg,
    // arrows, :rocket:), beside the same letters in everyday use (the hp
    // printer, a band's new EP, 6 ft, WD-40) that must read as nothing. The
    // last 25 lines are a check part never tuned on.
    score("advice67.jsonl", 0.94);
}

#[test]
fn sixty_second_development_set_questions_about_testing() {
    // Questions about testing: general ones about stages and scopes (which
    // stage load tests belong to, what makes a test release-gating, what a
    // stage is for), asked without a `?`, after a lead-in, in imperfect
    // English and in threads, beside questions about the writer's own change
    // ("would a unit test cover my change to `round_fare()`?"). The last 25
    // lines are a check part never tuned on.
    score("advice62.jsonl", 0.82);
}

#[test]
fn sixty_fourth_development_set_traps_voiced_about_a_change() {
    // Traps voiced as a claim or rhetorical question about a specific change
    // (all eight traps, many stacks and domains), and sound claims that must
    // not be reminded: a docs edit whose writer declines the retrain and the
    // staging run, a gate tightened, a new artifact that already gets eval and
    // endpoint checks. The last 25 lines are a check part never tuned on.
    score("advice64.jsonl", 0.75);
}

#[test]
fn sixty_sixth_development_set_thread_transcripts() {
    // Thread transcripts where the change emerges, is narrowed, corrected,
    // put off or asked about by a reviewer at the end: the latest word wins,
    // claims corrected later do not fire, and a closing question is about
    // the thread's change. The last 25 lines are a check part never tuned on.
    score("advice66.jsonl", 0.81);
}

#[test]
fn sixty_third_development_set_boundaries_that_interact() {
    // Boundaries that interact: a value's unit, type or meaning changed for
    // the models and services that read it, join and partition keys, online
    // and offline paths, endpoint and wire contracts, pipelines moved from
    // pandas to Spark or Polars, workflow steps that register or set an
    // alias rewired; against one function fixed, sped up or tidied with its
    // promise kept, and code under features/ nobody imports. The last 25
    // lines are a check part never tuned on.
    score("advice63.jsonl", 0.96);
}

#[test]
fn sixty_ninth_development_set_several_changes_and_negation() {
    // Several changes in one message (bullets, "also", "+", a fix beside a
    // bump, a retrain or a promotion) and negation ("we did not touch X,
    // only Y", "no longer", "without retraining", "not promoting yet",
    // "rather than", "not only X but also Y"). The last 25 lines are a check
    // part never tuned on.
    score("advice69.jsonl", 0.94);
}

#[test]
fn sixty_eighth_development_set_tests_docs_and_chatter() {
    // Tests-only and docs-only changes (settings and metrics named as what
    // the tests exercise or the docs describe, "README only", "src
    // untouched", code beside tests) and off-topic chatter full of ML words
    // (talks, papers, books, hiring, a car's model). The last 25 lines are a
    // check part never tuned on.
    score("advice68.jsonl", 0.82);
}

#[test]
fn seventy_first_development_set() {
    // Threads, shorthand, one function, boundaries, beliefs, PR descriptions
    // and imperfect English, written by someone who never ran the engine:
    // 88% on first sight.
    score("advice71.jsonl", 0.97);
}

#[test]
fn seventieth_development_set() {
    // Written by someone who never ran the engine: tests-only and docs-only
    // changes and code beside its tests, several changes in one message,
    // off-topic chatter with ML words in everyday senses, and negation ("we
    // did not touch X, only Y", "nothing ships").
    score("advice70.jsonl", 0.89);
}

#[test]
fn seventy_second_development_set_trap_claims_and_questions() {
    // Traps voiced as a claim or a rhetorical question about a change (the
    // change still counts, the trap is shown) and general questions about
    // testing, stages and scopes, written by someone who never ran the
    // engine.
    score("advice72.jsonl", 0.97);
}
