//! The on-disk shape of the knowledge base: what a team edits in `responses/`.
//!
//! Every struct denies unknown keys so a misspelt field is an error at load time
//! instead of a rule that silently never fires. Fields that other files refer to
//! keep their span, so validation errors can point at the line that is wrong.

use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScopesFile {
    pub(crate) scope: Vec<RawScope>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawScope {
    pub(crate) id: Spanned<String>,
    pub(crate) title: Spanned<String>,
    pub(crate) stage: Spanned<String>,
    pub(crate) summary: Spanned<String>,
    #[serde(default)]
    pub(crate) generic: Option<GenericScope>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StagesFile {
    pub(crate) stage: Vec<RawStage>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawStage {
    pub(crate) id: Spanned<String>,
    pub(crate) title: Spanned<String>,
    pub(crate) purpose: Spanned<String>,
    #[serde(default)]
    pub(crate) generic: Option<GenericStage>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ComponentsFile {
    pub(crate) component: Vec<RawComponent>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawComponent {
    pub(crate) id: Spanned<String>,
    pub(crate) title: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TrapsFile {
    pub(crate) trap: Vec<RawTrap>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTrap {
    pub(crate) id: Spanned<String>,
    pub(crate) title: Spanned<String>,
    pub(crate) reminder: Spanned<String>,
    pub(crate) source: Spanned<String>,
    /// The belief's premise is that no code moved: a rule's reminder of it
    /// is left out when the message also tells a code change.
    #[serde(default)]
    pub(crate) unless_code_moved: bool,
    /// The belief is that a small change needs heavy tests: a rule's
    /// reminder of it is left out when the message declines them.
    #[serde(default)]
    pub(crate) unless_declined: bool,
    /// A scope: a rule's reminder of the trap is left out when the tests
    /// the message plans already reach it.
    #[serde(default)]
    pub(crate) answered_by: Option<Spanned<String>>,
    #[serde(default)]
    pub(crate) generic: Option<GenericTrap>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ChecksFile {
    pub(crate) check: Vec<RawCheck>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCheck {
    pub(crate) id: Spanned<String>,
    pub(crate) text: Spanned<String>,
    #[serde(default)]
    pub(crate) generic: Option<GenericCheck>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RulesFile {
    pub(crate) rule: Vec<RawRule>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum RawRuleKind {
    /// Describes a change; decides scopes.
    #[default]
    Change,
    /// A belief in the user's text that reveals a trap.
    Trap,
    /// A risk factor that makes the deepest matched scope one level deeper.
    Escalate,
    /// An intent to put something into prod; the only kind that may name the
    /// release-gating scope.
    Promote,
    /// A subject a general question is about ("environment stages").
    Topic,
}

/// What a change rule says changed, where the decision treats it specially.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum RawSubject {
    #[default]
    Other,
    /// One function or small component: the unit-test rule.
    Function,
    /// Docs, comments or formatting only.
    Docs,
    /// Tests only.
    Tests,
    /// What a function returns: escalates a named function unless the
    /// message calls the change a bug fix.
    Output,
    /// A setting named with its new value.
    Setting,
    /// A release step placed in an earlier stage (a canary or shadow in
    /// staging): what such a step reads as.
    Rehearsal,
    /// Readers named for the changed thing ("both jobs call it").
    Readers,
    /// A monitor's or an alert's own settings (threshold, metric, schedule).
    Monitor,
    /// A retrain: beside a change to a monitor's settings, the retrain the
    /// monitor triggers is what it does, not a retrain that happened.
    Retrain,
    /// Code on its way into the next stage (a PR opened, a merge to main):
    /// beside a named function's fix it is how the fix travels.
    Route,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRule {
    pub(crate) id: Spanned<String>,
    pub(crate) title: Spanned<String>,
    #[serde(default)]
    pub(crate) kind: RawRuleKind,
    #[serde(default)]
    pub(crate) subject: RawSubject,
    pub(crate) source: Spanned<String>,
    #[serde(default)]
    pub(crate) signals: Vec<Spanned<String>>,
    /// Trap rules only: when the change itself needs no scope deeper than
    /// these, the belief is right and is not reminded ("unit tests are
    /// enough" for one function).
    #[serde(default)]
    pub(crate) harmless_for: Vec<Spanned<String>>,
    /// Topic rules only: counts only when the message reads as a general
    /// question ("where do load tests belong?"), never next to a change.
    #[serde(default)]
    pub(crate) questions_only: bool,
    /// Trap rules only: the release words in the belief's sentence are part
    /// of the belief ("we'll test it in prod"), not an intent to release.
    #[serde(default)]
    pub(crate) covers_release: bool,
    /// Promote rules only: the words name a change that must reach prod
    /// ("a hotfix"), so staging named in its sentence makes no rehearsal.
    #[serde(default)]
    pub(crate) names_change: bool,
    /// Trap rules only: reminded when the message proposes tests deeper
    /// than the change it describes needs.
    #[serde(default)]
    pub(crate) on_deeper_proposal: bool,
    /// Trap rules only: the belief counts only where it is stated, not in a
    /// sentence that asks about it ("is a unit test enough for ...?").
    #[serde(default)]
    pub(crate) stated_only: bool,
    /// Trap rules only: the belief counts only where it is asked about (a
    /// question, or someone else's words in a message that asks); where it
    /// is stated, other rules and the topics it voices speak for it.
    #[serde(default)]
    pub(crate) asked_only: bool,
    /// Words that only say where a change is ("preprocessing", "feature
    /// pipeline"): they count only when no function is named there.
    #[serde(default)]
    pub(crate) places: Vec<Spanned<String>>,
    /// Trap rules only: topics that voice this belief when the message states
    /// a general claim and reports no change ("staging is a speed bump").
    #[serde(default)]
    pub(crate) about: Vec<Spanned<String>>,
    #[serde(default)]
    pub(crate) paths: Vec<Spanned<String>>,
    #[serde(default)]
    pub(crate) scopes: Vec<Spanned<String>>,
    #[serde(default)]
    pub(crate) checks: Vec<Spanned<String>>,
    #[serde(default)]
    pub(crate) components: Vec<Spanned<String>>,
    #[serde(default)]
    pub(crate) traps: Vec<Spanned<String>>,
    pub(crate) why: Spanned<String>,
    #[serde(default)]
    pub(crate) note: Option<Spanned<String>>,
    /// The note is left out once the answer reaches this scope (it says
    /// what would make the change need that scope).
    #[serde(default)]
    pub(crate) note_unless: Option<Spanned<String>>,
    /// Trap reveals usually stay true even inside a negated clause
    /// ("we don't need integration tests, unit tests pass").
    #[serde(default)]
    pub(crate) negatable: Option<bool>,
    /// Fires only when no other change rule does (generic wording, bare paths).
    #[serde(default)]
    pub(crate) fallback: bool,
    /// A file path on the same line as this rule's words belongs to this rule
    /// ("only comments changed in train.py" is a docs change).
    #[serde(default)]
    pub(crate) owns_line_paths: bool,
    #[serde(default)]
    pub(crate) generic: Option<GenericRule>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LexiconFile {
    pub(crate) stopwords: Vec<Spanned<String>>,
    /// Stop words that carry a direction; a signal that writes one needs one.
    #[serde(default)]
    pub(crate) direction_words: Vec<Spanned<String>>,
    pub(crate) negation: RawNegation,
    pub(crate) clause_breaks: Vec<Spanned<String>>,
    pub(crate) joiners: Vec<Spanned<String>>,
    pub(crate) change_verbs: Vec<Spanned<String>>,
    #[serde(default)]
    pub(crate) no_typo_fix: Vec<Spanned<String>>,
    /// Words that show a message is about ML work; signals marked `?` need one.
    #[serde(default)]
    pub(crate) domain_words: Vec<Spanned<String>>,
    /// Nouns for data and configuration; an identifier next to one is not code.
    #[serde(default)]
    pub(crate) data_nouns: Vec<Spanned<String>>,
    /// Nouns that make the signal word before them a modifier.
    #[serde(default)]
    pub(crate) compound_heads: Vec<Spanned<String>>,
    /// Words that undo a change.
    #[serde(default)]
    pub(crate) reverts: Vec<Spanned<String>>,
    /// Words that rename, words that make a renamed name one readers see,
    /// and the concepts whose words are setting names.
    #[serde(default)]
    pub(crate) rename_words: Vec<Spanned<String>>,
    #[serde(default)]
    pub(crate) rename_blockers: Vec<Spanned<String>>,
    #[serde(default)]
    pub(crate) renamed_settings: Vec<Spanned<String>>,
    /// Methods every estimator of the common libraries has, and the words
    /// that make one the team's own.
    #[serde(default)]
    pub(crate) library_methods: Vec<Spanned<String>>,
    #[serde(default)]
    pub(crate) library_method_owners: Vec<Spanned<String>>,
    /// Words that open a question.
    #[serde(default)]
    pub(crate) question_words: Vec<Spanned<String>>,
    /// Words that are ML terms only in context ("champion", "calibration").
    #[serde(default)]
    pub(crate) everyday_words: Vec<Spanned<String>>,
    /// Shorthand that is an ML term only in ML context or right before a
    /// value ("bs 64", but "bs for the offsite dinner", "the hp printer").
    #[serde(default)]
    pub(crate) valued_shorthand: Vec<Spanned<String>>,
    /// Shorthand that is an ML term only in ML context, whatever follows it
    /// ("the fraud ep", but "the band's new EP"; "6 ft wide"; "the BBQ pit").
    #[serde(default)]
    pub(crate) context_shorthand: Vec<Spanned<String>>,
    /// Words that name a release rather than a change to the system.
    #[serde(default)]
    pub(crate) release_words: Vec<Spanned<String>>,
    /// Words that put a release later.
    #[serde(default)]
    pub(crate) deferral_words: Vec<Spanned<String>>,
    /// Words that mark what is done now.
    #[serde(default)]
    pub(crate) present_words: Vec<Spanned<String>>,
    /// Words that frame a change as a bug fix ("patched", "off-by-one").
    #[serde(default)]
    pub(crate) fix_words: Vec<Spanned<String>>,
    /// Words that tell a test's state ("flaky", "red", "slow"): a sentence
    /// about a kind of test with one and no change verb reports that state.
    #[serde(default)]
    pub(crate) test_states: Vec<Spanned<String>>,
    /// Words that, in a question, ask what a thing is for ("meant",
    /// "pointless").
    #[serde(default)]
    pub(crate) purpose_words: Vec<Spanned<String>>,
    /// Nouns for a stage as a place ("environment", "workspace").
    #[serde(default)]
    pub(crate) place_nouns: Vec<Spanned<String>>,
    /// Verbs of finding ("catch", "detect").
    #[serde(default)]
    pub(crate) finding_verbs: Vec<Spanned<String>>,
    /// Verbs that run tests; a sentence with one that reports no change
    /// proposes tests.
    #[serde(default)]
    pub(crate) test_verbs: Vec<Spanned<String>>,
    /// Words that ask whether tests are needed ("need", "required"); a
    /// question with one proposes the tests it names.
    #[serde(default)]
    pub(crate) need_words: Vec<Spanned<String>>,
    /// Words that set things side by side to tell them apart ("difference").
    #[serde(default)]
    pub(crate) comparison_words: Vec<Spanned<String>>,
    /// Verbs whose object is a value they work out ("calculate").
    #[serde(default)]
    pub(crate) compute_verbs: Vec<Spanned<String>>,
    /// Words that mark a general claim rather than a report of a change.
    #[serde(default)]
    pub(crate) claim_words: Vec<Spanned<String>>,
    /// Words that make a sentence speak of all cases, not one.
    #[serde(default)]
    pub(crate) general_words: Vec<Spanned<String>>,
    /// Verbs that report what someone else holds.
    #[serde(default)]
    pub(crate) belief_verbs: Vec<Spanned<String>>,
    /// Words that make a question about a kind of change, not one change.
    #[serde(default)]
    pub(crate) kind_words: Vec<Spanned<String>>,
    /// Words that make a question argue when they follow its question word.
    #[serde(default)]
    pub(crate) rhetorical_words: Vec<Spanned<String>>,
    /// Words that, in a short label before a colon, present a position.
    #[serde(default)]
    pub(crate) position_labels: Vec<Spanned<String>>,
    /// Words that, in a short label before a colon, present cited words.
    #[serde(default)]
    pub(crate) citation_labels: Vec<Spanned<String>>,
    /// Words that open the standard of a comparison ("than prod").
    #[serde(default)]
    pub(crate) comparison_markers: Vec<Spanned<String>>,
    /// Nouns that after "the" name a role or a measure, not one thing.
    #[serde(default)]
    pub(crate) role_nouns: Vec<Spanned<String>>,
    /// Verbs that name a reader of the changed thing ("call", "import").
    #[serde(default)]
    pub(crate) reader_verbs: Vec<Spanned<String>>,
    /// Words that make the readers of a change more than one ("both").
    #[serde(default)]
    pub(crate) many_words: Vec<Spanned<String>>,
    /// Verbs that say what something is: after a pointer, they name readers.
    #[serde(default)]
    pub(crate) copulas: Vec<Spanned<String>>,
    /// Verbs that hand what changed on: after a pointer, they name readers.
    #[serde(default)]
    pub(crate) flow_verbs: Vec<Spanned<String>>,
    /// Labels before a colon that name the readers listed after it
    /// ("consumers: the BI dashboard and the replenishment service").
    #[serde(default)]
    pub(crate) reader_labels: Vec<Spanned<String>>,
    /// Words after "still" that report health, not an old way of working
    /// ("the endpoint still returns 200", "tests still pass").
    #[serde(default)]
    pub(crate) steady_words: Vec<Spanned<String>>,
    /// Data types (`int`, `string`): two as a move, or one given "now",
    /// change what a value is to its readers.
    #[serde(default)]
    pub(crate) data_types: Vec<Spanned<String>>,
    /// Words that tell a monitor fired ("fired", "kicked off"): a retrain
    /// told with one happened.
    #[serde(default)]
    pub(crate) monitor_events: Vec<Spanned<String>>,
    /// Words that set a value's new form against its old one ("instead
    /// of", "(was").
    #[serde(default)]
    pub(crate) shift_markers: Vec<Spanned<String>>,
    /// Nouns that name a part of the ML system ("ranker", "aggregator").
    #[serde(default)]
    pub(crate) component_nouns: Vec<Spanned<String>>,
    /// Words of a clause that keep an output as it was or deny it readers
    /// ("same vocab out", "only the report reads it").
    #[serde(default)]
    pub(crate) kept_words: Vec<Spanned<String>>,
    /// Last parts of an ALL_CAPS name that make it a compiled pattern, code
    /// (`EMAIL_RE`, `SKU_PATTERN`).
    #[serde(default)]
    pub(crate) pattern_suffixes: Vec<Spanned<String>>,
    /// Words that open a noun phrase: a change word after one is a noun.
    #[serde(default)]
    pub(crate) determiners: Vec<Spanned<String>>,
    /// Words that point back at the changed thing as a reader verb's object.
    #[serde(default)]
    pub(crate) pointers: Vec<Spanned<String>>,
    /// Verbs that end a question asking what something would be worth.
    #[serde(default)]
    pub(crate) worth_verbs: Vec<Spanned<String>>,
    /// Nouns that give the word after them its everyday sense ("sales").
    #[serde(default)]
    pub(crate) everyday_modifiers: Vec<Spanned<String>>,
    /// Nouns that give the word before them its everyday sense ("model UN").
    #[serde(default)]
    pub(crate) everyday_heads: Vec<Spanned<String>>,
    /// Words that open the title of a talk or course ("intro to ...").
    #[serde(default)]
    pub(crate) topic_openers: Vec<Spanned<String>>,
    /// Words that open a topic only as nouns, after a determiner ("a talk
    /// on ...").
    #[serde(default)]
    pub(crate) topic_nouns: Vec<Spanned<String>>,
    /// Nouns for a step of a workflow ("task", "step"): a release word right
    /// before one names that step.
    #[serde(default)]
    pub(crate) step_nouns: Vec<Spanned<String>>,
    /// Concepts that name a scope or a stage, by scope or stage id.
    #[serde(default)]
    pub(crate) names: RawNames,
    /// Words that open a correction in a thread transcript.
    #[serde(default)]
    pub(crate) corrections: Vec<Spanned<String>>,
    /// Words that acknowledge before a thread message says what it says
    /// ("ok", "done"); they do not count among its opening words.
    #[serde(default)]
    pub(crate) acknowledgements: Vec<Spanned<String>>,
    /// Words that concede an objection in a thread transcript.
    #[serde(default)]
    pub(crate) concessions: Vec<Spanned<String>>,
    /// Words that open a sentence taking back the sentences before it in
    /// the same message ("... to prod tonight. actually no, staging only").
    #[serde(default)]
    pub(crate) self_corrections: Vec<Spanned<String>>,
    /// Words that put off what a thread message asked about.
    #[serde(default)]
    pub(crate) postponements: Vec<Spanned<String>>,
    /// Words that open a clause giving a change's reason or purpose.
    #[serde(default)]
    pub(crate) circumstances: Vec<Spanned<String>>,
    /// Phrases that say the writer is not sure ("afaik", "I think"): a
    /// denial of readers under one is a belief about consumers.
    #[serde(default)]
    pub(crate) hedges: Vec<Spanned<String>>,
    /// Phrases that say the code the system runs did not move ("src
    /// untouched", "no behaviour change"): beside a docs or tests change,
    /// the message's other words are what the docs or tests are about.
    #[serde(default)]
    pub(crate) code_untouched: Vec<Spanned<String>>,
    /// Verbs that move something to a later time or another PR.
    #[serde(default)]
    pub(crate) reschedule_verbs: Vec<Spanned<String>>,
    /// Words that name when something happens ("monday", "tomorrow"): a
    /// reply by a release's owner that only names one after the release was
    /// denied or put off moves it there.
    #[serde(default)]
    pub(crate) reschedule_times: Vec<Spanned<String>>,
    /// Words after a release step that say it stays where it is.
    #[serde(default)]
    pub(crate) state_words: Vec<Spanned<String>>,
    /// PR-template field labels whose lines are boilerplate.
    #[serde(default)]
    pub(crate) template_fields: Vec<Spanned<String>>,
    /// Values that make any `label: value` line boilerplate ("none").
    #[serde(default)]
    pub(crate) template_empty_values: Vec<Spanned<String>>,
    /// Shorthand and the long form it is read as.
    #[serde(default)]
    pub(crate) shorthand: std::collections::BTreeMap<String, Spanned<String>>,
    /// Shorthand read as its long form only when typed in lower case.
    #[serde(default)]
    pub(crate) lowercase_shorthand: std::collections::BTreeMap<String, Spanned<String>>,
    /// Shorthand read as another long form when a number follows it.
    #[serde(default)]
    pub(crate) counted_shorthand: std::collections::BTreeMap<String, Spanned<String>>,
    pub(crate) concept: Vec<RawConcept>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawNames {
    #[serde(default)]
    pub(crate) scopes: std::collections::BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    pub(crate) stages: std::collections::BTreeMap<String, Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawNegation {
    /// Negate every match in their clause ("hyperparameters did not change").
    pub(crate) clause: Vec<Spanned<String>>,
    /// Negate only what follows them ("without retraining").
    pub(crate) forward: Vec<Spanned<String>>,
    /// Forward negations that, followed by a stage's name, keep the thing
    /// in that stage instead ("leave it in staging over the weekend").
    #[serde(default)]
    pub(crate) placing: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawConcept {
    pub(crate) id: Spanned<String>,
    pub(crate) words: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MessagesFile {
    pub(crate) help: Spanned<String>,
    pub(crate) decision_order: Vec<Spanned<String>>,
    pub(crate) no_match: Spanned<String>,
    pub(crate) examples: Vec<Spanned<String>>,
    pub(crate) principle: Spanned<String>,
    pub(crate) labels: RawLabels,
    pub(crate) slack: RawSlackText,
    pub(crate) quiz: RawQuizText,
    #[serde(default)]
    pub(crate) generic: Option<GenericMessages>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawQuizText {
    pub(crate) header: Spanned<String>,
    pub(crate) practice_header: Spanned<String>,
    pub(crate) answered_count: Spanned<String>,
    pub(crate) yesterday: Spanned<String>,
    pub(crate) stats: Spanned<String>,
    pub(crate) nobody_answered: Spanned<String>,
    pub(crate) correct: Spanned<String>,
    pub(crate) wrong: Spanned<String>,
    pub(crate) locked: Spanned<String>,
    pub(crate) subscribed: Spanned<String>,
    pub(crate) unsubscribed: Spanned<String>,
    pub(crate) not_subscribed: Spanned<String>,
    pub(crate) status: Spanned<String>,
    pub(crate) leaderboard_header: Spanned<String>,
    pub(crate) leaderboard_empty: Spanned<String>,
    pub(crate) me: Spanned<String>,
    pub(crate) me_empty: Spanned<String>,
    pub(crate) usage: Spanned<String>,
    #[serde(default)]
    pub(crate) closed: Option<Spanned<String>>,
    #[serde(default)]
    pub(crate) closed_post: Option<Spanned<String>>,
    #[serde(default)]
    pub(crate) leaderboard_week_header: Option<Spanned<String>>,
    #[serde(default)]
    pub(crate) leaderboard_week_empty: Option<Spanned<String>>,
    #[serde(default)]
    pub(crate) last_week_top: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSlackText {
    pub(crate) share_button: Spanned<String>,
    pub(crate) helpful_button: Spanned<String>,
    pub(crate) not_quite_button: Spanned<String>,
    pub(crate) thanks_helpful: Spanned<String>,
    pub(crate) thanks_not_quite: Spanned<String>,
    pub(crate) shared_by: Spanned<String>,
    pub(crate) invite_hint: Spanned<String>,
    pub(crate) no_token_hint: Spanned<String>,
    pub(crate) thread_hint: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLabels {
    pub(crate) scope: Spanned<String>,
    pub(crate) stage: Spanned<String>,
    pub(crate) why: Spanned<String>,
    pub(crate) checks: Spanned<String>,
    pub(crate) blast_radius: Spanned<String>,
    pub(crate) traps: Spanned<String>,
    pub(crate) matched: Spanned<String>,
    pub(crate) notes: Spanned<String>,
    pub(crate) ignored: Spanned<String>,
    pub(crate) no_match_header: Spanned<String>,
    pub(crate) question_header: Spanned<String>,
    pub(crate) belief_header: Spanned<String>,
    pub(crate) what_scopes_prove: Spanned<String>,
    pub(crate) what_stages_are_for: Spanned<String>,
    pub(crate) instead: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct QuizFile {
    pub(crate) question: Vec<RawQuestion>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawQuestion {
    pub(crate) id: Spanned<String>,
    pub(crate) question: Spanned<String>,
    pub(crate) options: Spanned<Vec<Spanned<String>>>,
    pub(crate) correct: Spanned<i64>,
    pub(crate) explanation: Spanned<String>,
    #[serde(default)]
    pub(crate) tags: Vec<Spanned<String>>,
    pub(crate) difficulty: Spanned<String>,
    /// The same lesson in new words, for a question most of a channel
    /// missed (`[question.again]`).
    pub(crate) again: Option<RawAgain>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAgain {
    pub(crate) question: Spanned<String>,
    pub(crate) options: Spanned<Vec<Spanned<String>>>,
    pub(crate) correct: Spanned<i64>,
    pub(crate) explanation: Spanned<String>,
}

/// `platform.toml`: which platform the answers are worded for, and the words
/// that mark a text as Databricks-only.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PlatformFile {
    pub(crate) platform: Spanned<String>,
    #[serde(default)]
    pub(crate) tool_words: Vec<Spanned<String>>,
}

// The `generic.<field>` wordings: each replaces the field of the same name
// when the platform is "generic". A field left out keeps its one wording.

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct GenericScope {
    pub(crate) title: Option<Spanned<String>>,
    pub(crate) summary: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct GenericStage {
    pub(crate) title: Option<Spanned<String>>,
    pub(crate) purpose: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct GenericTrap {
    pub(crate) title: Option<Spanned<String>>,
    pub(crate) reminder: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct GenericCheck {
    pub(crate) text: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct GenericRule {
    pub(crate) title: Option<Spanned<String>>,
    pub(crate) why: Option<Spanned<String>>,
    pub(crate) note: Option<Spanned<String>>,
}

/// Lists are replaced whole: a generic list of examples need not match the
/// Databricks one item for item.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct GenericMessages {
    pub(crate) help: Option<Spanned<String>>,
    pub(crate) principle: Option<Spanned<String>>,
    pub(crate) no_match: Option<Spanned<String>>,
    pub(crate) decision_order: Option<Vec<Spanned<String>>>,
    pub(crate) examples: Option<Vec<Spanned<String>>>,
}
