//! The engine's own types: the rules it applies and everything else it needs
//! to read a message and decide. The knowledge base (`crate::kb`) builds an
//! [`Engine`] from `responses/`; the engine never looks at the knowledge base,
//! so the dependency runs one way.

use super::lexicon::{Lexicon, Tok};
use super::matcher::RuleIndex;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleKind {
    Change,
    Trap,
    Escalate,
    Promote,
    Topic,
}

/// What a change rule is about, where the decision needs to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Other,
    /// One function or small component; a named code unit reads as this rule.
    Function,
    /// Docs, comments or formatting only: judged by the code when code moved too.
    Docs,
    /// Tests only: judged by the code when code moved too.
    Tests,
    /// What a function returns: escalates a named function, except in a
    /// bug fix that makes it do what it always promised.
    Output,
    /// A setting named with its new value (`max_seq_len` from 512 to 256)
    /// reads as this rule when nothing else knows the setting.
    Setting,
    /// A release step (canary, shadow, alias move) that its sentence places
    /// in an earlier stage reads as this rule: it deploys into that stage
    /// and releases nothing.
    Rehearsal,
    /// Readers of the changed thing, named in a clause whose reader verb
    /// points back at it ("both the retrain and the backfill call it"): a
    /// boundary the change crosses.
    Readers,
    /// A monitor's or an alert's own settings: its threshold, metric,
    /// schedule or where it sends its alerts.
    Monitor,
    /// A retrain. Beside a change to a monitor's settings, the retrain the
    /// monitor triggers is what the monitor does, not one that happened.
    Retrain,
    /// Code on its way into the next stage (a PR opened, a merge to main).
    /// Beside a named function's fix and nothing deeper, it is how the fix
    /// travels, and the fix decides the depth.
    Route,
}

impl Subject {
    /// A subject the reading of a message treats as any other change: the
    /// monitor and the retrain matter only to the decision.
    pub fn is_plain(self) -> bool {
        matches!(
            self,
            Subject::Other | Subject::Monitor | Subject::Retrain | Subject::Route
        )
    }
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub title: String,
    pub kind: RuleKind,
    pub subject: Subject,
    /// Scopes for which this belief is right (trap rules).
    pub harmless_for: Vec<usize>,
    /// The belief counts only where it is stated, not where it is asked about.
    pub stated_only: bool,
    /// The belief counts only where it is asked about, not where it is stated.
    pub asked_only: bool,
    /// Reminded when the message proposes tests deeper than its change needs.
    pub on_deeper_proposal: bool,
    /// Counts only in a general question.
    pub questions_only: bool,
    /// The release words in the sentence of this belief are part of it
    /// ("we'll test it in prod"), not an intent to release.
    pub covers_release: bool,
    /// A promote rule whose words name a change that must reach prod ("a
    /// hotfix"): staging named in its sentence makes no rehearsal of it.
    pub names_change: bool,
    pub source: String,
    pub signals: Vec<String>,
    pub paths: Vec<String>,
    /// Indices into [`Engine::scopes`], sorted.
    pub scopes: Vec<usize>,
    pub checks: Vec<usize>,
    pub components: Vec<usize>,
    pub traps: Vec<usize>,
    pub why: String,
    pub note: Option<String>,
    /// Index into [`Engine::scopes`]: the note is left out once the answer
    /// reaches this scope.
    pub note_unless: Option<usize>,
    pub negatable: bool,
    pub fallback: bool,
    pub owns_line_paths: bool,
}

/// A scope as the decision needs it: its id and the stage it belongs to.
#[derive(Debug, Clone)]
pub struct ScopeRef {
    pub id: String,
    /// Index into [`Engine::stages`].
    pub stage: usize,
}

/// Everything the advisor needs, compiled once from a knowledge base.
#[derive(Debug)]
pub struct Engine {
    pub rules: Vec<Rule>,
    /// Ordered from the smallest scope to the deepest.
    pub scopes: Vec<ScopeRef>,
    /// Ids in promotion order.
    pub stages: Vec<String>,
    pub traps: Vec<String>,
    /// Per trap: its premise is that no code moved ("no code changed, so
    /// nothing to test"), so a rule does not remind of it beside a code change.
    pub traps_unless_code_moved: Vec<bool>,
    /// Per trap: its belief is that small changes need heavy tests, so a
    /// rule does not remind of it when the message itself declines them
    /// ("docstring only; no retrain, no staging run").
    pub traps_unless_declined: Vec<bool>,
    /// Per trap: the scope whose tests, planned in the message, answer it
    /// ("bumped max_depth, rerunning eval and the endpoint smoke test in
    /// staging"), so a rule does not remind of it.
    pub traps_answered_by: Vec<Option<usize>>,
    pub checks: Vec<String>,
    /// Ids along the pipeline.
    pub components: Vec<String>,
    pub(crate) lexicon: Lexicon,
    pub(crate) index: RuleIndex,
    /// Concepts that name a scope or a stage ("unit tests", "staging").
    pub(crate) scope_names: Vec<(Tok, usize)>,
    pub(crate) stage_names: Vec<(Tok, usize)>,
    /// Each scope's bare name ("unit"), which names it in a question about
    /// tests.
    pub(crate) scope_words: Vec<(Tok, usize)>,
    /// The concept of a function, helper, UDF or regex, if the lexicon has it.
    pub(crate) function: Option<Tok>,
    /// The rules the policy reads named things and proposals through, found
    /// once at load rather than by a scan of every rule per message.
    pub(crate) special: SpecialRules,
}

impl Engine {
    /// The stage a word names ("staging", "prd"), if it names one.
    pub(crate) fn stage_named(&self, tok: Tok) -> Option<usize> {
        self.stage_names
            .iter()
            .find(|&&(t, _)| t == tok)
            .map(|&(_, s)| s)
    }
}

/// Rules with a role of their own in the decision.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct SpecialRules {
    /// A named function reads as this rule.
    pub(crate) function: Option<u32>,
    /// A test named by identifier reads as this rule.
    pub(crate) tests: Option<u32>,
    /// A setting given a new value reads as this rule.
    pub(crate) setting: Option<u32>,
    /// Readers named for the changed thing read as this rule.
    pub(crate) readers: Option<u32>,
    /// A value that changes what it is (a new type) reads as this rule.
    pub(crate) output: Option<u32>,
    /// Reminded when heavier tests are proposed than a change needs.
    pub(crate) over_testing: Option<u32>,
    /// A release step placed in an earlier stage reads as this rule.
    pub(crate) rehearsal: Option<u32>,
}

impl SpecialRules {
    pub(crate) fn of(rules: &[Rule]) -> Self {
        let first = |want: &dyn Fn(&Rule) -> bool| {
            rules
                .iter()
                .position(want)
                .and_then(|k| u32::try_from(k).ok())
        };
        SpecialRules {
            function: first(&|r| r.subject == Subject::Function),
            tests: first(&|r| r.subject == Subject::Tests),
            setting: first(&|r| r.subject == Subject::Setting),
            readers: first(&|r| r.subject == Subject::Readers),
            output: first(&|r| r.subject == Subject::Output),
            over_testing: first(&|r| r.on_deeper_proposal),
            rehearsal: first(&|r| r.subject == Subject::Rehearsal),
        }
    }
}
