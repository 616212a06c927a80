//! Parsing, validating and compiling the knowledge-base files.

use std::collections::HashMap;
use std::ops::Range;

use serde::de::DeserializeOwned;
use toml::Spanned;

use super::platform::{DATABRICKS_TAG, Platform, ToolWords};
use super::raw::{self, RawRuleKind};
use super::{KnowledgeBase, LoadError, Origin, Problem, SourceFile, limits};
use crate::advisor::lexicon::{Lexicon, class};
use crate::advisor::matcher::{Reach, RuleIndex};
use crate::advisor::model::{Engine, Rule, RuleKind, ScopeRef, Subject};
use crate::advisor::paths::Glob;

#[derive(Debug, Clone)]
pub struct Stage {
    pub id: String,
    pub title: String,
    pub purpose: String,
}

#[derive(Debug, Clone)]
pub struct Scope {
    pub id: String,
    pub title: String,
    /// Index into [`KnowledgeBase::stages`].
    pub stage: usize,
    pub summary: String,
}

#[derive(Debug, Clone)]
pub struct Component {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone)]
pub struct Trap {
    pub id: String,
    pub title: String,
    pub reminder: String,
    pub source: String,
    /// A rule's reminder of this trap is left out when code moved too.
    pub unless_code_moved: bool,
    /// A rule's reminder of this trap is left out when the message declines
    /// heavier tests for its change ("no retrain, no staging run").
    pub unless_declined: bool,
    /// A rule's reminder of this trap is left out when the tests the
    /// message plans reach this scope (index into the scopes).
    pub answered_by: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct Check {
    pub id: String,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Difficulty {
    Easy,
    Medium,
    Hard,
}

/// One quiz question; `options[correct]` is the right answer.
#[derive(Debug, Clone)]
pub struct Question {
    pub id: String,
    pub question: String,
    pub options: Vec<String>,
    pub correct: usize,
    pub explanation: String,
    pub tags: Vec<String>,
    pub difficulty: Difficulty,
    /// The second phrasing (same tags and difficulty), whose id is this id
    /// followed by [`AGAIN_SUFFIX`]; it never has one of its own.
    pub again: Option<Box<Question>>,
}

/// Ends the id of a question's second phrasing. Bank ids are lower-case
/// letters, digits and hyphens, so no bank id can end in it.
pub const AGAIN_SUFFIX: &str = "~again";

#[derive(Debug, Clone)]
pub struct Messages {
    pub help: String,
    pub decision_order: Vec<String>,
    pub no_match: String,
    pub examples: Vec<String>,
    pub principle: String,
    pub labels: Labels,
    pub slack: SlackText,
    pub quiz: QuizText,
}

/// Text of the daily quiz; `{placeholders}` are filled in by the service.
#[derive(Debug, Clone)]
pub struct QuizText {
    pub header: String,
    pub practice_header: String,
    pub answered_count: String,
    pub yesterday: String,
    pub stats: String,
    pub nobody_answered: String,
    pub correct: String,
    pub wrong: String,
    pub locked: String,
    pub subscribed: String,
    pub unsubscribed: String,
    pub not_subscribed: String,
    pub status: String,
    pub leaderboard_header: String,
    pub leaderboard_empty: String,
    pub me: String,
    pub me_empty: String,
    pub usage: String,
    /// The private reply to a click on a closed question.
    pub closed: String,
    /// What a closed post shows instead of its buttons.
    pub closed_post: String,
    /// Header of `/testscope quiz leaderboard week`; `{monday}` is the date.
    pub leaderboard_week_header: String,
    /// The week's board before anyone answered this week.
    pub leaderboard_week_empty: String,
    /// The first post of a week names last week's best; `{podium}`.
    pub last_week_top: String,
}

/// Text the Slack service shows around the advice.
#[derive(Debug, Clone)]
pub struct SlackText {
    pub share_button: String,
    pub helpful_button: String,
    pub not_quite_button: String,
    pub thanks_helpful: String,
    pub thanks_not_quite: String,
    /// Contains `{user}`, replaced by a mention of who shared.
    pub shared_by: String,
    pub invite_hint: String,
    pub no_token_hint: String,
    pub thread_hint: String,
}

#[derive(Debug, Clone)]
pub struct Labels {
    pub scope: String,
    pub stage: String,
    pub why: String,
    pub checks: String,
    pub blast_radius: String,
    pub traps: String,
    pub matched: String,
    pub notes: String,
    pub ignored: String,
    pub no_match_header: String,
    /// Headers and sections of answers to questions and beliefs.
    pub question_header: String,
    pub belief_header: String,
    pub what_scopes_prove: String,
    pub what_stages_are_for: String,
    pub instead: String,
}

/// Collects problems against the file currently being checked.
struct Report<'a> {
    file: &'a SourceFile,
    problems: &'a mut Vec<Problem>,
    wording: &'a Wording,
}

/// Which of a text's wordings the loader keeps, and the words a text meant
/// for any platform must not contain.
#[derive(Debug, Default)]
struct Wording {
    platform: Platform,
    tool_words: ToolWords,
}

impl<'a> Report<'a> {
    fn new(file: &'a SourceFile, problems: &'a mut Vec<Problem>, wording: &'a Wording) -> Self {
        Report {
            file,
            problems,
            wording,
        }
    }

    fn at(&mut self, span: Range<usize>, message: impl Into<String>) {
        let (line, column) = self.file.locate(span.start);
        self.problems.push(Problem {
            file: self.file.name.clone(),
            line,
            column,
            message: message.into(),
        });
    }

    /// Checks a piece of text: not blank, within a Slack limit.
    fn text(&mut self, value: &Spanned<String>, what: &str, max: usize) -> String {
        let s = value.get_ref().trim();
        if s.is_empty() {
            self.at(value.span(), format!("{what} is empty"));
        }
        let n = s.chars().count();
        if n > max {
            self.at(
                value.span(),
                format!("{what} is {n} characters; Slack allows at most {max}"),
            );
        }
        s.to_owned()
    }

    /// A text that has one wording for every platform, so it must not name
    /// Databricks tooling.
    fn neutral_text(&mut self, value: &Spanned<String>, what: &str, max: usize) -> String {
        let s = self.text(value, what, max);
        if let Some(word) = self.wording.tool_words.find(&s) {
            self.at(
                value.span(),
                format!(
                    "{what} names Databricks tooling (`{word}`), which a generic answer \
                     must not show; say it in general terms"
                ),
            );
        }
        s
    }

    /// A text with an optional `generic.<field>` wording next to it: the
    /// one the platform reads. A Databricks-only text without a generic
    /// wording would leak into a generic answer, so it is an error.
    fn worded(
        &mut self,
        value: &Spanned<String>,
        generic: Option<&Spanned<String>>,
        field: &str,
        what: &str,
        max: usize,
    ) -> String {
        let databricks = self.text(value, what, max);
        let Some(generic) = generic else {
            if let Some(word) = self.wording.tool_words.find(&databricks) {
                self.at(
                    value.span(),
                    format!(
                        "{what} names Databricks tooling (`{word}`) but has no generic wording: \
                         add `generic.{field} = \"…\"` next to it, in general CI, staging and \
                         model-registry terms"
                    ),
                );
            }
            return databricks;
        };
        let neutral = self.text(generic, &format!("generic {what}"), max);
        if let Some(word) = self.wording.tool_words.find(&neutral) {
            self.at(
                generic.span(),
                format!("the generic wording of {what} still names Databricks tooling (`{word}`)"),
            );
        }
        match self.wording.platform {
            Platform::Databricks => databricks,
            Platform::Generic => neutral,
        }
    }

    /// [`Report::worded`] for a list, which a generic list replaces whole.
    fn worded_list(
        &mut self,
        values: &[Spanned<String>],
        generic: Option<&[Spanned<String>]>,
        field: &str,
        what: &str,
    ) -> Vec<String> {
        let databricks: Vec<String> = match generic {
            Some(_) => values
                .iter()
                .map(|v| self.text(v, what, limits::SECTION))
                .collect(),
            None => values
                .iter()
                .map(|v| self.worded(v, None, field, what, limits::SECTION))
                .collect(),
        };
        let Some(generic) = generic else {
            return databricks;
        };
        let neutral: Vec<String> = generic
            .iter()
            .map(|v| self.neutral_text(v, &format!("generic {what}"), limits::SECTION))
            .collect();
        match self.wording.platform {
            Platform::Databricks => databricks,
            Platform::Generic => neutral,
        }
    }

    fn id(
        &mut self,
        value: &Spanned<String>,
        what: &str,
        seen: &mut HashMap<String, usize>,
    ) -> String {
        let id = value.get_ref().clone();
        let valid = !id.is_empty()
            && id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !valid {
            self.at(
                value.span(),
                format!("{what} id `{id}` must be lower-case letters, digits and hyphens"),
            );
        }
        // Offsets are kept and turned into a line only for a duplicate:
        // locating every id would scan the file once per id.
        if let Some(first) = seen.insert(id.clone(), value.span().start) {
            let (first, _) = self.file.locate(first);
            self.at(
                value.span(),
                format!("duplicate {what} id `{id}` (first defined on line {first})"),
            );
        }
        id
    }

    fn refs(&mut self, values: &[Spanned<String>], what: &str, ids: &[String]) -> Vec<usize> {
        let mut out = Vec::with_capacity(values.len());
        for v in values {
            match ids.iter().position(|id| id == v.get_ref()) {
                Some(i) if out.contains(&i) => {
                    self.at(
                        v.span(),
                        format!("{what} `{}` is listed twice", v.get_ref()),
                    );
                }
                Some(i) => out.push(i),
                None => self.at(
                    v.span(),
                    format!(
                        "unknown {what} `{}`; defined {what}s are: {}",
                        v.get_ref(),
                        ids.join(", ")
                    ),
                ),
            }
        }
        out
    }
}

fn parse<T: DeserializeOwned>(file: &SourceFile, problems: &mut Vec<Problem>) -> Option<T> {
    match toml::from_str::<T>(&file.text) {
        Ok(v) => Some(v),
        Err(e) => {
            let (line, column) = e.span().map_or((0, 0), |s| file.locate(s.start));
            problems.push(Problem {
                file: file.name.clone(),
                line,
                column,
                message: e.message().trim().to_owned(),
            });
            None
        }
    }
}

/// Compiles `files`; `platform`, when given, overrides the one
/// `platform.toml` names.
pub(super) fn compile(
    origin: Origin,
    files: &[SourceFile],
    platform: Option<Platform>,
) -> Result<KnowledgeBase, LoadError> {
    let mut problems = Vec::new();
    let file = |name: &str| {
        files
            .iter()
            .find(|f| f.name.ends_with(name))
            .expect("every knowledge-base file is listed in FILES")
    };
    let stages_f = file("stages.toml");
    let scopes_f = file("scopes.toml");
    let components_f = file("components.toml");
    let traps_f = file("traps.toml");
    let checks_f = file("checks.toml");
    let lexicon_f = file("lexicon.toml");
    let rules_f = file("rules.toml");
    let messages_f = file("messages.toml");
    let quiz_f = file("quiz.toml");
    let platform_f = file(super::PLATFORM_FILE);

    let stages_raw: Option<raw::StagesFile> = parse(stages_f, &mut problems);
    let scopes_raw: Option<raw::ScopesFile> = parse(scopes_f, &mut problems);
    let components_raw: Option<raw::ComponentsFile> = parse(components_f, &mut problems);
    let traps_raw: Option<raw::TrapsFile> = parse(traps_f, &mut problems);
    let checks_raw: Option<raw::ChecksFile> = parse(checks_f, &mut problems);
    let lexicon_raw: Option<raw::LexiconFile> = parse(lexicon_f, &mut problems);
    let rules_raw: Option<raw::RulesFile> = parse(rules_f, &mut problems);
    let messages_raw: Option<raw::MessagesFile> = parse(messages_f, &mut problems);
    let quiz_raw: Option<raw::QuizFile> = parse(quiz_f, &mut problems);
    let platform_raw: Option<raw::PlatformFile> = parse(platform_f, &mut problems);
    // Cross-file checks on a half-parsed knowledge base would only repeat the
    // syntax errors in other words; report those first.
    if !problems.is_empty() {
        return Err(LoadError { problems });
    }

    let w = &platform_raw
        .map(|p| wording(platform_f, &mut problems, &p, platform))
        .unwrap_or_default();
    let stages = stages_raw
        .map(|s| stages(stages_f, &mut problems, w, s))
        .unwrap_or_default();
    let stage_ids: Vec<String> = stages.iter().map(|s| s.id.clone()).collect();
    let scopes = scopes_raw
        .map(|s| scopes(scopes_f, &mut problems, w, s, &stage_ids))
        .unwrap_or_default();
    let components = components_raw
        .map(|c| components(components_f, &mut problems, w, c))
        .unwrap_or_default();
    let traps = traps_raw
        .map(|t| {
            let scope_ids: Vec<String> = scopes.iter().map(|s| s.id.clone()).collect();
            traps(traps_f, &mut problems, w, t, &scope_ids)
        })
        .unwrap_or_default();
    let checks = checks_raw
        .map(|c| checks(checks_f, &mut problems, w, c))
        .unwrap_or_default();
    let messages = messages_raw.map(|m| messages(messages_f, &mut problems, w, &m));
    // The whole bank is validated and cue-checked whatever the platform; a
    // generic team then plays only the questions that need no Databricks.
    let (quiz, quiz_elsewhere): (Vec<Question>, Vec<Question>) = quiz_raw
        .map(|q| quiz(quiz_f, &mut problems, w, q))
        .unwrap_or_default()
        .into_iter()
        .partition(|q| w.platform.plays(q));

    let mut lexicon = Lexicon::new();
    let mut scope_names = Vec::new();
    let mut stage_names = Vec::new();
    if let Some(raw) = lexicon_raw {
        build_lexicon(lexicon_f, &mut problems, w, &mut lexicon, &raw);
        let stage_ids: Vec<&str> = stages.iter().map(|s| s.id.as_str()).collect();
        let scope_ids: Vec<&str> = scopes.iter().map(|s| s.id.as_str()).collect();
        let mut r = Report::new(lexicon_f, &mut problems, w);
        scope_names = resolve_names(&mut r, &lexicon, &raw.names.scopes, &scope_ids, "scope");
        stage_names = resolve_names(&mut r, &lexicon, &raw.names.stages, &stage_ids, "stage");
    }

    let names = Names {
        scopes: scopes.iter().map(|s| s.id.clone()).collect(),
        traps: traps.iter().map(|t| t.id.clone()).collect(),
        checks: checks.iter().map(|c| c.id.clone()).collect(),
        components: components.iter().map(|c| c.id.clone()).collect(),
    };
    lexicon.settle_concepts();
    let mut index = RuleIndex::default();
    let rules = rules_raw
        .map(|r| {
            rules(
                rules_f,
                &mut problems,
                w,
                r,
                &names,
                &mut lexicon,
                &mut index,
            )
        })
        .unwrap_or_default();
    lexicon.finish();

    for (what, empty, f) in [
        ("stage", stages.is_empty(), stages_f),
        ("scope", scopes.is_empty(), scopes_f),
        ("component", components.is_empty(), components_f),
        ("rule", rules.is_empty(), rules_f),
    ] {
        if empty && !problems.iter().any(|p| p.file == f.name) {
            problems.push(Problem {
                file: f.name.clone(),
                line: 0,
                column: 0,
                message: format!("defines no {what}"),
            });
        }
    }

    match messages {
        Some(messages) if problems.is_empty() => {
            // The engine gets its own copy of the ids it reports, so it never
            // has to look back at the knowledge base.
            let special = crate::advisor::model::SpecialRules::of(&rules);
            let engine = Engine {
                special,
                rules,
                scopes: scopes
                    .iter()
                    .map(|s| ScopeRef {
                        id: s.id.clone(),
                        stage: s.stage,
                    })
                    .collect(),
                stages: stages.iter().map(|s| s.id.clone()).collect(),
                traps: traps.iter().map(|t| t.id.clone()).collect(),
                traps_unless_code_moved: traps.iter().map(|t| t.unless_code_moved).collect(),
                traps_unless_declined: traps.iter().map(|t| t.unless_declined).collect(),
                traps_answered_by: traps.iter().map(|t| t.answered_by).collect(),
                checks: checks.iter().map(|c| c.id.clone()).collect(),
                components: components.iter().map(|c| c.id.clone()).collect(),
                scope_words: scopes
                    .iter()
                    .enumerate()
                    .filter_map(|(n, s)| {
                        let tok = lexicon.exact(&crate::advisor::text::stem(&s.id));
                        (tok != crate::advisor::lexicon::UNKNOWN).then_some((tok, n))
                    })
                    .collect(),
                function: lexicon.concept("function"),
                lexicon,
                index,
                scope_names,
                stage_names,
            };
            Ok(KnowledgeBase {
                origin,
                platform: w.platform,
                stages,
                scopes,
                components,
                traps,
                checks,
                messages,
                quiz,
                quiz_elsewhere,
                engine,
            })
        }
        _ => Err(LoadError { problems }),
    }
}

/// The platform to word answers for (`override_with` wins over the file's
/// setting) and, for the generic platform, the tool words every text is
/// checked against.
fn wording(
    f: &SourceFile,
    problems: &mut Vec<Problem>,
    raw: &raw::PlatformFile,
    override_with: Option<Platform>,
) -> Wording {
    // The tool words are not known yet; this file holds no user text.
    let unchecked = Wording::default();
    let mut r = Report::new(f, problems, &unchecked);
    let named = raw
        .platform
        .get_ref()
        .parse::<Platform>()
        .unwrap_or_else(|()| {
            r.at(
                raw.platform.span(),
                format!(
                    "unknown platform `{}`; use one of: {}",
                    raw.platform.get_ref(),
                    Platform::NAMES.join(", ")
                ),
            );
            Platform::default()
        });
    for word in &raw.tool_words {
        if word.get_ref().trim().is_empty() {
            r.at(word.span(), "tool word is empty");
        }
    }
    let platform = override_with.unwrap_or(named);
    // Tool words are checked only where they would leak: a team on
    // Databricks need not write generic wordings it never shows, and a copy
    // of the knowledge base older than the setting keeps loading.
    let tool_words = match platform {
        Platform::Databricks => ToolWords::default(),
        Platform::Generic => ToolWords::new(raw.tool_words.iter().map(|w| w.get_ref().clone())),
    };
    Wording {
        platform,
        tool_words,
    }
}

fn stages(
    f: &SourceFile,
    problems: &mut Vec<Problem>,
    w: &Wording,
    raw: raw::StagesFile,
) -> Vec<Stage> {
    let mut r = Report::new(f, problems, w);
    let mut seen = HashMap::new();
    raw.stage
        .into_iter()
        .map(|s| {
            let g = s.generic.as_ref();
            Stage {
                id: r.id(&s.id, "stage", &mut seen),
                title: r.worded(
                    &s.title,
                    g.and_then(|g| g.title.as_ref()),
                    "title",
                    "stage title",
                    limits::HEADER,
                ),
                purpose: r.worded(
                    &s.purpose,
                    g.and_then(|g| g.purpose.as_ref()),
                    "purpose",
                    "stage purpose",
                    limits::SECTION,
                ),
            }
        })
        .collect()
}

fn scopes(
    f: &SourceFile,
    problems: &mut Vec<Problem>,
    w: &Wording,
    raw: raw::ScopesFile,
    stage_ids: &[String],
) -> Vec<Scope> {
    let mut r = Report::new(f, problems, w);
    let mut seen = HashMap::new();
    raw.scope
        .into_iter()
        .map(|s| {
            let g = s.generic.as_ref();
            Scope {
                id: r.id(&s.id, "scope", &mut seen),
                title: r.worded(
                    &s.title,
                    g.and_then(|g| g.title.as_ref()),
                    "title",
                    "scope title",
                    limits::HEADER,
                ),
                stage: r
                    .refs(std::slice::from_ref(&s.stage), "stage", stage_ids)
                    .first()
                    .copied()
                    .unwrap_or(0),
                summary: r.worded(
                    &s.summary,
                    g.and_then(|g| g.summary.as_ref()),
                    "summary",
                    "scope summary",
                    limits::SECTION,
                ),
            }
        })
        .collect()
}

fn components(
    f: &SourceFile,
    problems: &mut Vec<Problem>,
    w: &Wording,
    raw: raw::ComponentsFile,
) -> Vec<Component> {
    let mut r = Report::new(f, problems, w);
    let mut seen = HashMap::new();
    raw.component
        .into_iter()
        .map(|c| Component {
            id: r.id(&c.id, "component", &mut seen),
            title: r.neutral_text(&c.title, "component title", limits::HEADER),
        })
        .collect()
}

fn traps(
    f: &SourceFile,
    problems: &mut Vec<Problem>,
    w: &Wording,
    raw: raw::TrapsFile,
    scope_ids: &[String],
) -> Vec<Trap> {
    let mut r = Report::new(f, problems, w);
    let mut seen = HashMap::new();
    raw.trap
        .into_iter()
        .map(|t| {
            let g = t.generic.as_ref();
            Trap {
                id: r.id(&t.id, "trap", &mut seen),
                title: r.worded(
                    &t.title,
                    g.and_then(|g| g.title.as_ref()),
                    "title",
                    "trap title",
                    limits::HEADER,
                ),
                reminder: r.worded(
                    &t.reminder,
                    g.and_then(|g| g.reminder.as_ref()),
                    "reminder",
                    "trap reminder",
                    limits::SECTION,
                ),
                source: r.text(&t.source, "trap source", limits::SECTION),
                unless_code_moved: t.unless_code_moved,
                unless_declined: t.unless_declined,
                answered_by: t
                    .answered_by
                    .as_ref()
                    .and_then(|s| r.refs(std::slice::from_ref(s), "scope", scope_ids).pop()),
            }
        })
        .collect()
}

fn checks(
    f: &SourceFile,
    problems: &mut Vec<Problem>,
    w: &Wording,
    raw: raw::ChecksFile,
) -> Vec<Check> {
    let mut r = Report::new(f, problems, w);
    let mut seen = HashMap::new();
    raw.check
        .into_iter()
        .map(|c| Check {
            id: r.id(&c.id, "check", &mut seen),
            text: r.worded(
                &c.text,
                c.generic.as_ref().map(|g| &g.text),
                "text",
                "check text",
                limits::SECTION,
            ),
        })
        .collect()
}

fn messages(
    f: &SourceFile,
    problems: &mut Vec<Problem>,
    w: &Wording,
    raw: &raw::MessagesFile,
) -> Messages {
    let mut r = Report::new(f, problems, w);
    let l = &raw.labels;
    let mut label = |v: &Spanned<String>| r.neutral_text(v, "label", limits::HEADER);
    let labels = Labels {
        scope: label(&l.scope),
        stage: label(&l.stage),
        why: label(&l.why),
        checks: label(&l.checks),
        blast_radius: label(&l.blast_radius),
        traps: label(&l.traps),
        matched: label(&l.matched),
        notes: label(&l.notes),
        ignored: label(&l.ignored),
        no_match_header: label(&l.no_match_header),
        question_header: label(&l.question_header),
        belief_header: label(&l.belief_header),
        what_scopes_prove: label(&l.what_scopes_prove),
        what_stages_are_for: label(&l.what_stages_are_for),
        instead: label(&l.instead),
    };
    let s = &raw.slack;
    let slack = SlackText {
        share_button: r.neutral_text(&s.share_button, "button label", limits::BUTTON),
        helpful_button: r.neutral_text(&s.helpful_button, "button label", limits::BUTTON),
        not_quite_button: r.neutral_text(&s.not_quite_button, "button label", limits::BUTTON),
        thanks_helpful: r.neutral_text(&s.thanks_helpful, "thank-you text", limits::SECTION),
        thanks_not_quite: r.neutral_text(&s.thanks_not_quite, "thank-you text", limits::SECTION),
        shared_by: r.neutral_text(&s.shared_by, "shared-by text", limits::SECTION),
        invite_hint: r.neutral_text(&s.invite_hint, "invite hint", limits::SECTION),
        no_token_hint: r.neutral_text(&s.no_token_hint, "setup hint", limits::SECTION),
        thread_hint: r.neutral_text(&s.thread_hint, "thread hint", limits::SECTION),
    };
    if !slack.shared_by.contains("{user}") {
        r.at(s.shared_by.span(), "shared-by text must contain `{user}`");
    }
    // Every quiz text is a section of at most 3000 characters; the macro
    // names each field once so a new text cannot miss its check.
    let q = &raw.quiz;
    // Texts added after teams made their own copies of `responses/` are
    // optional there, with the built-in wording as the default.
    macro_rules! quiz_texts {
        ($($field:ident),* $(,)? ; $($optional:ident = $default:expr),* $(,)?) => {
            QuizText {
                $($field: r.neutral_text(&q.$field, concat!("quiz text `", stringify!($field), "`"), limits::SECTION),)*
                $($optional: q.$optional.as_ref().map_or_else(
                    || $default.to_owned(),
                    |v| r.neutral_text(v, concat!("quiz text `", stringify!($optional), "`"), limits::SECTION),
                ),)*
            }
        };
    }
    let quiz = quiz_texts!(
        header,
        practice_header,
        answered_count,
        yesterday,
        stats,
        nobody_answered,
        correct,
        wrong,
        locked,
        subscribed,
        unsubscribed,
        not_subscribed,
        status,
        leaderboard_header,
        leaderboard_empty,
        me,
        me_empty,
        usage;
        closed = "This question has closed; the answer was *{answer}*.\n{explanation}",
        closed_post = "*This question has closed.* The answer: *{answer}*\n{explanation}\n_{stats}_",
        leaderboard_week_header = "Quiz leaderboard for the week of {monday}",
        leaderboard_week_empty = "Nobody has answered this week's questions here yet.",
        last_week_top = "*Last week's top three:* {podium}",
    );
    let g = raw.generic.as_ref();
    Messages {
        slack,
        quiz,
        help: r.worded(
            &raw.help,
            g.and_then(|g| g.help.as_ref()),
            "help",
            "help",
            limits::SECTION,
        ),
        decision_order: r.worded_list(
            &raw.decision_order,
            g.and_then(|g| g.decision_order.as_deref()),
            "decision_order",
            "decision order step",
        ),
        no_match: r.worded(
            &raw.no_match,
            g.and_then(|g| g.no_match.as_ref()),
            "no_match",
            "no-match text",
            limits::SECTION,
        ),
        examples: r.worded_list(
            &raw.examples,
            g.and_then(|g| g.examples.as_deref()),
            "examples",
            "example",
        ),
        principle: r.worded(
            &raw.principle,
            g.and_then(|g| g.principle.as_ref()),
            "principle",
            "principle",
            limits::SECTION,
        ),
        labels,
    }
}

fn quiz(
    f: &SourceFile,
    problems: &mut Vec<Problem>,
    w: &Wording,
    raw: raw::QuizFile,
) -> Vec<Question> {
    let mut r = Report::new(f, problems, w);
    let mut seen = HashMap::new();
    let mut out = Vec::with_capacity(raw.question.len());
    for q in raw.question {
        let id = r.id(&q.id, "question", &mut seen);
        let (options, correct) = options_and_key(&mut r, &id, &q.options, &q.correct);
        let difficulty = match q.difficulty.get_ref().as_str() {
            "easy" => Difficulty::Easy,
            "medium" => Difficulty::Medium,
            "hard" => Difficulty::Hard,
            other => {
                r.at(
                    q.difficulty.span(),
                    format!("difficulty `{other}` must be easy, medium or hard"),
                );
                Difficulty::Medium
            }
        };
        let tags: Vec<String> = q.tags.iter().map(|t| t.get_ref().clone()).collect();
        if !tags.iter().any(|t| t == DATABRICKS_TAG) {
            let again = q.again.iter().flat_map(|a| {
                [&a.question, &a.explanation]
                    .into_iter()
                    .chain(a.options.get_ref())
            });
            let texts = [&q.question, &q.explanation]
                .into_iter()
                .chain(q.options.get_ref())
                .chain(again);
            for text in texts {
                if let Some(word) = w.tool_words.find(text.get_ref()) {
                    r.at(
                        text.span(),
                        format!(
                            "question `{id}` names Databricks tooling (`{word}`) but has no \
                             `{DATABRICKS_TAG}` tag, so a generic team would be asked it: reword \
                             it or tag it"
                        ),
                    );
                }
            }
        }
        let again = q.again.map(|a| {
            let again_id = format!("{id}{AGAIN_SUFFIX}");
            let (options, correct) = options_and_key(&mut r, &again_id, &a.options, &a.correct);
            Box::new(Question {
                question: r.text(
                    &a.question,
                    "second phrasing's question text",
                    limits::SECTION,
                ),
                explanation: r.text(
                    &a.explanation,
                    "second phrasing's explanation",
                    limits::SECTION,
                ),
                tags: tags.clone(),
                options,
                correct,
                difficulty,
                id: again_id,
                again: None,
            })
        });
        out.push(Question {
            question: r.text(&q.question, "question text", limits::SECTION),
            explanation: r.text(&q.explanation, "explanation", limits::SECTION),
            tags,
            options,
            correct,
            difficulty,
            id,
            again,
        });
    }
    if out.is_empty() {
        r.problems.push(Problem {
            file: f.name.clone(),
            line: 0,
            column: 0,
            message: "defines no question".to_owned(),
        });
    }
    // A bank a player can beat without reading the scenarios teaches nothing.
    for report in super::cues::reports(&out) {
        if report.fails() {
            let (strategy, share) = report.best_strategy();
            r.problems.push(Problem {
                file: f.name.clone(),
                line: 0,
                column: 0,
                message: format!(
                    "the quiz bank ({}) can be gamed: \"{strategy}\" answers {:.0}% of its {} questions right, above the {:.0}% limit; vary which option is the key\n{report}",
                    report.name,
                    100.0 * share,
                    report.questions,
                    100.0 * super::cues::MAX_STRATEGY_SCORE,
                ),
            });
        }
    }
    out
}

/// A phrasing's options (3 to 5 distinct button labels) and the index of
/// its key; `id` names the phrasing in errors.
fn options_and_key(
    r: &mut Report<'_>,
    id: &str,
    raw_options: &toml::Spanned<Vec<toml::Spanned<String>>>,
    raw_correct: &toml::Spanned<i64>,
) -> (Vec<String>, usize) {
    let options: Vec<String> = raw_options
        .get_ref()
        .iter()
        .map(|o| r.text(o, "answer option (a button label)", limits::BUTTON))
        .collect();
    if !(3..=5).contains(&options.len()) {
        r.at(
            raw_options.span(),
            format!("question `{id}` has {} options; give 3 to 5", options.len()),
        );
    }
    for (i, o) in options.iter().enumerate() {
        if options[..i].iter().any(|p| p.eq_ignore_ascii_case(o)) {
            r.at(
                raw_options.get_ref()[i].span(),
                format!("question `{id}` lists the option `{o}` twice"),
            );
        }
    }
    let correct = *raw_correct.get_ref();
    let correct = match usize::try_from(correct) {
        Ok(c) if c < options.len() => c,
        _ => {
            r.at(
                    raw_correct.span(),
                    format!(
                        "question `{id}`: `correct = {correct}` must be the 0-based index of exactly one of its {} options",
                        options.len()
                    ),
                );
            0
        }
    };
    (options, correct)
}

/// `[names]` entries: which concept names which scope or stage.
fn resolve_names(
    r: &mut Report<'_>,
    lex: &Lexicon,
    names: &std::collections::BTreeMap<String, toml::Spanned<String>>,
    ids: &[&str],
    what: &str,
) -> Vec<(crate::advisor::lexicon::Tok, usize)> {
    let mut out = Vec::new();
    for (id, concept) in names {
        let Some(index) = ids.iter().position(|i| i == id) else {
            r.at(
                concept.span(),
                format!("[names] names an unknown {what} `{id}`"),
            );
            continue;
        };
        match lex.concept(concept.get_ref()) {
            Some(tok) => out.push((tok, index)),
            None => r.at(
                concept.span(),
                format!(
                    "[names] {what} `{id}`: unknown concept `{}`",
                    concept.get_ref()
                ),
            ),
        }
    }
    out
}

fn build_lexicon(
    f: &SourceFile,
    problems: &mut Vec<Problem>,
    w: &Wording,
    lex: &mut Lexicon,
    raw: &raw::LexiconFile,
) {
    let mut r = Report::new(f, problems, w);
    // Stop words first, so later phrases drop them the same way messages do.
    for w in &raw.stopwords {
        let tokens = crate::advisor::text::tokenize(w.get_ref());
        match tokens.as_slice() {
            [one] if one.kind == crate::advisor::text::TokenKind::Word => {
                let id = lex.intern(&crate::advisor::text::stem(&one.word));
                lex.add_class(id, class::STOP);
            }
            _ => r.at(
                w.span(),
                format!("stop word `{}` must be a single word", w.get_ref()),
            ),
        }
    }
    // Direction words are stop words a signal may require ("staging to
    // prod"), so each must be a single stop word.
    for w in &raw.direction_words {
        let tokens = crate::advisor::text::tokenize(w.get_ref());
        match tokens.as_slice() {
            [one] if one.kind == crate::advisor::text::TokenKind::Word => {
                let id = lex.intern(&crate::advisor::text::stem(&one.word));
                if lex.has(id, class::STOP) {
                    lex.add_class(id, class::DIRECTION);
                } else {
                    r.at(
                        w.span(),
                        format!(
                            "direction word `{}` must be a stop word (a word that is not one is matched as it is)",
                            w.get_ref()
                        ),
                    );
                }
            }
            _ => r.at(
                w.span(),
                format!("direction word `{}` must be a single word", w.get_ref()),
            ),
        }
    }
    for w in &raw.no_typo_fix {
        for id in lex.phrase_words(w.get_ref()) {
            lex.add_class(id, class::EXACT);
        }
    }
    let classes = [
        (&raw.negation.clause, class::NEG_CLAUSE, "negation word"),
        (&raw.negation.forward, class::NEG_FORWARD, "negation word"),
        (&raw.clause_breaks, class::CONTRAST, "clause break"),
        (&raw.joiners, class::JOINER, "joiner"),
        (&raw.change_verbs, class::CHANGE, "change word"),
        (&raw.data_nouns, class::DATA_NOUN, "data noun"),
    ];
    // Question words are mostly stop words, so they are marked on the word
    // itself, the way stop words are.
    let lower = |list: &[toml::Spanned<String>]| -> Vec<String> {
        list.iter()
            .map(|s| s.get_ref().trim().to_lowercase())
            .collect()
    };
    lex.set_template(
        lower(&raw.template_fields),
        lower(&raw.template_empty_values),
    );
    lex.set_pointers(lower(&raw.pointers), lower(&raw.determiners));
    lex.set_copulas(lower(&raw.copulas), lower(&raw.flow_verbs));
    lex.set_pattern_suffixes(lower(&raw.pattern_suffixes));
    lex.set_data_types(lower(&raw.data_types));
    lex.set_boundary_words(
        lower(&raw.monitor_events),
        lower(&raw.shift_markers),
        lower(&raw.component_nouns),
        lower(&raw.kept_words),
    );
    lex.set_steady_words(lower(&raw.steady_words));
    lex.set_reader_labels(lower(&raw.reader_labels));
    lex.set_thread_cues(
        lower(&raw.corrections),
        lower(&raw.concessions),
        lower(&raw.postponements),
        lower(&raw.self_corrections),
    );
    // Acknowledgements are compared with a message's words as typed (split
    // at anything but letters, digits and apostrophes), so each must be one
    // such word.
    for w in &raw.acknowledgements {
        let word = w.get_ref().trim();
        if word.is_empty() || !word.chars().all(|c| c.is_alphanumeric() || c == '\'') {
            r.at(
                w.span(),
                format!("acknowledgement `{}` must be a single word", w.get_ref()),
            );
        }
    }
    lex.set_acknowledgements(lower(&raw.acknowledgements));
    lex.set_circumstances(lower(&raw.circumstances));
    lex.set_hedges(lower(&raw.hedges));
    lex.set_code_untouched(&lower(&raw.code_untouched));
    lex.set_moves(lower(&raw.reschedule_verbs), lower(&raw.state_words));
    lex.set_times(lower(&raw.reschedule_times));
    lex.set_placing(lower(&raw.negation.placing));
    lex.set_compound_heads(lower(&raw.compound_heads));
    lex.set_reverts(lower(&raw.reverts));
    {
        // A setting's names: the words of the concepts `renamed_settings`
        // lists, and the shorthand that needs a value.
        let wanted = lower(&raw.renamed_settings);
        let mut names: Vec<String> = raw
            .concept
            .iter()
            .filter(|c| wanted.contains(&c.id.get_ref().to_lowercase()))
            .flat_map(|c| c.words.iter())
            .chain(raw.valued_shorthand.iter())
            .map(|w| w.get_ref().to_lowercase().replace('_', " "))
            .collect();
        names.sort();
        names.dedup();
        lex.set_renames(lower(&raw.rename_words), lower(&raw.rename_blockers), names);
    }
    lex.set_library_methods(
        lower(&raw.library_methods),
        lower(&raw.library_method_owners),
    );
    for (short, long) in &raw.counted_shorthand {
        let words: Vec<String> = crate::advisor::text::tokenize(long.get_ref())
            .into_iter()
            .filter(|t| t.kind == crate::advisor::text::TokenKind::Word)
            .map(|t| t.word.into_owned())
            .collect();
        if words.is_empty() || !short.chars().all(char::is_alphanumeric) || short.is_empty() {
            r.at(
                long.span(),
                format!("shorthand `{short}` must be one word standing for at least one word"),
            );
            continue;
        }
        lex.add_counted_shorthand(&short.to_lowercase(), words);
    }
    let typed_shorthand = raw
        .shorthand
        .iter()
        .map(|entry| (entry, false))
        .chain(raw.lowercase_shorthand.iter().map(|entry| (entry, true)));
    for ((short, long), lowercase_only) in typed_shorthand {
        let words: Vec<String> = crate::advisor::text::tokenize(long.get_ref())
            .into_iter()
            .filter(|t| t.kind == crate::advisor::text::TokenKind::Word)
            .map(|t| t.word.into_owned())
            .collect();
        let is_word = short.chars().all(|c| c.is_alphanumeric()) && !short.is_empty();
        if !is_word || words.is_empty() {
            r.at(
                long.span(),
                format!("shorthand `{short}` must be one word standing for at least one word"),
            );
            continue;
        }
        if lowercase_only {
            lex.add_lowercase_shorthand(&short.to_lowercase(), words);
        } else {
            lex.add_shorthand(&short.to_lowercase(), words);
        }
    }
    // 0: an everyday word; 1: shorthand a value gives its ML sense; 2:
    // shorthand only ML context gives its ML sense.
    for (w, kind) in raw
        .everyday_words
        .iter()
        .map(|w| (w, 0))
        .chain(raw.valued_shorthand.iter().map(|w| (w, 1)))
        .chain(raw.context_shorthand.iter().map(|w| (w, 2)))
    {
        let tokens = crate::advisor::text::tokenize(w.get_ref());
        match tokens.as_slice() {
            [one] if one.kind == crate::advisor::text::TokenKind::Word => {
                let stem = crate::advisor::text::stem(&one.word);
                lex.add_everyday(&stem);
                match kind {
                    1 => lex.add_valued(&stem),
                    2 => lex.add_context_shorthand(&stem),
                    _ => {}
                }
            }
            _ => r.at(
                w.span(),
                format!("everyday word `{}` must be a single word", w.get_ref()),
            ),
        }
    }
    for (list, cls, what) in [
        (&raw.question_words, class::ASK, "question word"),
        (&raw.claim_words, class::CLAIM, "claim word"),
        (&raw.general_words, class::GENERAL, "general word"),
        (&raw.belief_verbs, class::BELIEF_VERB, "belief verb"),
        (&raw.rhetorical_words, class::RHETORICAL, "rhetorical word"),
        (&raw.position_labels, class::POSITION, "position label"),
        (&raw.citation_labels, class::CITATION, "citation label"),
        (&raw.comparison_markers, class::COMPARE, "comparison marker"),
        (&raw.role_nouns, class::ROLE, "role noun"),
        (&raw.reader_verbs, class::READER_VERB, "reader verb"),
        (&raw.many_words, class::MANY, "many word"),
        (&raw.worth_verbs, class::WORTH, "worth verb"),
        (
            &raw.everyday_modifiers,
            class::EVERYDAY_MODIFIER,
            "everyday modifier",
        ),
        (&raw.everyday_heads, class::EVERYDAY_HEAD, "everyday head"),
        (&raw.topic_openers, class::TOPIC, "topic opener"),
        (&raw.topic_nouns, class::TOPIC_NOUN, "topic noun"),
        (&raw.step_nouns, class::STEP_NOUN, "step noun"),
        (&raw.test_verbs, class::TEST_VERB, "test verb"),
        (&raw.need_words, class::NEED, "need word"),
        (&raw.comparison_words, class::COMPARISON, "comparison word"),
        (&raw.compute_verbs, class::COMPUTE, "compute verb"),
        (&raw.release_words, class::INTENT, "release word"),
        (&raw.deferral_words, class::DEFER, "deferral word"),
        (&raw.present_words, class::PRESENT, "present word"),
        (&raw.kind_words, class::KIND, "kind word"),
        (&raw.fix_words, class::FIX, "fix word"),
        (&raw.test_states, class::TEST_STATE, "test state"),
        (&raw.purpose_words, class::PURPOSE, "purpose word"),
        (&raw.place_nouns, class::PLACE_NOUN, "place noun"),
        (&raw.finding_verbs, class::FINDING, "finding verb"),
    ] {
        for w in list {
            let tokens = crate::advisor::text::tokenize(w.get_ref());
            match tokens.as_slice() {
                [one] if one.kind == crate::advisor::text::TokenKind::Word => {
                    let id = lex.intern(&crate::advisor::text::stem(&one.word));
                    lex.add_class(id, cls);
                }
                _ => r.at(
                    w.span(),
                    format!("{what} `{}` must be a single word", w.get_ref()),
                ),
            }
        }
    }
    for (list, cls, what) in classes {
        for w in list {
            let words = lex.phrase_words(w.get_ref());
            match words.as_slice() {
                [] => r.at(
                    w.span(),
                    format!("{what} `{}` is only stop words", w.get_ref()),
                ),
                // "stays where it is" would read as "stay": every "stay"
                // would then negate.
                [one]
                    if crate::advisor::text::tokenize(w.get_ref())
                        .iter()
                        .filter(|t| t.kind == crate::advisor::text::TokenKind::Word)
                        .count()
                        > 1 =>
                {
                    r.at(
                        w.span(),
                        format!(
                            "{what} `{}` reads as the single word `{}` once stop words are dropped, \
                             so every `{}` would count; write words that are not stop words",
                            w.get_ref(),
                            lex.name(*one),
                            lex.name(*one)
                        ),
                    )
                }
                [one] => lex.add_class(*one, cls),
                _ => {
                    // A multi-word cue becomes one token of its own.
                    let target = lex.intern(&format!("~{}", w.get_ref().to_lowercase()));
                    lex.add_class(target, cls);
                    lex.add_concept_phrase(&words, target);
                }
            }
        }
    }
    let mut seen = HashMap::new();
    let concepts = &raw.concept;
    for concept in concepts {
        let id = r.id(&concept.id, "concept", &mut seen);
        if concept.words.is_empty() {
            r.at(concept.id.span(), format!("concept `{id}` lists no words"));
        }
        let target = lex.intern(&format!("@{id}"));
        for w in &concept.words {
            let words = lex.phrase_words(w.get_ref());
            match words.as_slice() {
                [] => r.at(w.span(), format!("`{}` is only stop words", w.get_ref())),
                // Folding a negation or clause word into a concept would change
                // how every sentence containing it is read.
                [one] if lex.has(*one, STRUCTURAL) => r.at(
                    w.span(),
                    format!(
                        "`{}` reduces to the single word `{}`, which negates, joins or breaks clauses; \
                         a concept cannot take it over",
                        w.get_ref(),
                        lex.name(*one)
                    ),
                ),
                [one] if lex.canonical(*one) != *one && lex.canonical(*one) != target => r.at(
                    w.span(),
                    format!(
                        "`{}` reduces to the single word `{}`, which already belongs to concept `{}`",
                        w.get_ref(),
                        lex.name(*one),
                        lex.name(lex.canonical(*one)).trim_start_matches('@')
                    ),
                ),
                _ => lex.add_concept_phrase(&words, target),
            }
        }
    }
    for w in &raw.domain_words {
        let word = w.get_ref();
        if let Some(id) = word.strip_prefix('@') {
            match lex.concept(id) {
                Some(tok) => lex.add_class(tok, class::DOMAIN),
                None => r.at(
                    w.span(),
                    format!("domain word `{word}` names an unknown concept"),
                ),
            }
            continue;
        }
        match lex.phrase_words(word).as_slice() {
            [one] => {
                let tok = lex.canonical(*one);
                lex.add_class(tok, class::DOMAIN);
                lex.add_class(*one, class::DOMAIN);
            }
            _ => r.at(
                w.span(),
                format!("domain word `{word}` must be one word or an @concept"),
            ),
        }
    }
}

const STRUCTURAL: u64 = class::NEG_CLAUSE | class::NEG_FORWARD | class::CONTRAST | class::JOINER;

struct Names {
    scopes: Vec<String>,
    traps: Vec<String>,
    checks: Vec<String>,
    components: Vec<String>,
}

fn rules(
    f: &SourceFile,
    problems: &mut Vec<Problem>,
    w: &Wording,
    raw: raw::RulesFile,
    names: &Names,
    lex: &mut Lexicon,
    index: &mut RuleIndex,
) -> Vec<Rule> {
    let mut r = Report::new(f, problems, w);
    let mut seen = HashMap::new();
    let mut out = Vec::with_capacity(raw.rule.len());
    let mut function_rules = 0;
    let mut setting_rules = 0;
    let mut rehearsal_rules = 0;
    let mut reader_rules = 0;
    for (n, rule) in raw.rule.into_iter().enumerate() {
        let id = r.id(&rule.id, "rule", &mut seen);
        // A belief voiced by its topic alone ("where a test runs is an infra
        // detail") fires from `about`.
        if rule.signals.is_empty() && rule.paths.is_empty() && rule.about.is_empty() {
            r.at(
                rule.id.span(),
                format!("rule `{id}` has no signals, topics or paths, so it can never fire"),
            );
        }
        for s in &rule.signals {
            if let Err(msg) = index.add_signal(lex, n, s.get_ref(), Reach::Signal) {
                r.at(s.span(), msg);
            }
        }
        for s in &rule.places {
            if let Err(msg) = index.add_signal(lex, n, s.get_ref(), Reach::Place) {
                r.at(s.span(), msg);
            }
        }
        let trap_only = [
            ("about", !rule.about.is_empty()),
            ("harmless_for", !rule.harmless_for.is_empty()),
            ("stated_only", rule.stated_only),
            ("asked_only", rule.asked_only),
            ("on_deeper_proposal", rule.on_deeper_proposal),
            ("covers_release", rule.covers_release),
        ];
        for (field, set) in trap_only {
            if set && rule.kind != RawRuleKind::Trap {
                r.at(
                    rule.id.span(),
                    format!("rule `{id}`: only a kind = \"trap\" rule can set `{field}`"),
                );
            }
        }
        if rule.names_change && rule.kind != RawRuleKind::Promote {
            r.at(
                rule.id.span(),
                format!("rule `{id}`: only a kind = \"promote\" rule can set `names_change`"),
            );
        }
        if rule.questions_only && rule.kind != RawRuleKind::Topic {
            r.at(
                rule.id.span(),
                format!("rule `{id}`: only a kind = \"topic\" rule can set `questions_only`"),
            );
        }
        for (subject, name, what, count) in [
            (
                raw::RawSubject::Function,
                "function",
                "a named function",
                &mut function_rules,
            ),
            (
                raw::RawSubject::Setting,
                "setting",
                "a named setting",
                &mut setting_rules,
            ),
            (
                raw::RawSubject::Readers,
                "readers",
                "readers named for a change",
                &mut reader_rules,
            ),
            (
                raw::RawSubject::Rehearsal,
                "rehearsal",
                "a release step placed in staging",
                &mut rehearsal_rules,
            ),
        ] {
            if rule.subject == subject {
                *count += 1;
                if *count > 1 {
                    r.at(
                        rule.id.span(),
                        format!(
                            "rule `{id}`: only one rule can have subject = \"{name}\" ({what} reads as that rule)"
                        ),
                    );
                }
            }
        }
        for s in &rule.about {
            if let Err(msg) = index.add_signal(lex, n, s.get_ref(), Reach::About) {
                r.at(s.span(), msg);
            }
        }
        for p in &rule.paths {
            match Glob::parse(p.get_ref()) {
                Ok(g) => index.add_glob(n, p.get_ref(), g),
                Err(msg) => r.at(p.span(), msg),
            }
        }
        let mut scopes = r.refs(&rule.scopes, "scope", &names.scopes);
        scopes.sort_unstable();
        if rule.scopes.is_empty() {
            r.at(rule.id.span(), format!("rule `{id}` names no scope"));
        }
        let kind = match rule.kind {
            RawRuleKind::Change => RuleKind::Change,
            RawRuleKind::Trap => RuleKind::Trap,
            RawRuleKind::Escalate => RuleKind::Escalate,
            RawRuleKind::Promote => RuleKind::Promote,
            RawRuleKind::Topic => RuleKind::Topic,
        };
        // Release gating is a decision to put something into prod; a rule
        // that only describes a change must not reach it.
        if let Some(last) = names.scopes.len().checked_sub(1)
            && scopes.contains(&last)
            && matches!(kind, RuleKind::Change | RuleKind::Escalate)
        {
            r.at(
                rule.id.span(),
                format!(
                    "rule `{id}` names the deepest scope, which only a promotion, a topic or a belief about releases may require: set kind = \"promote\" if it puts something into prod"
                ),
            );
        }
        let subject = match rule.subject {
            raw::RawSubject::Other => Subject::Other,
            raw::RawSubject::Function => Subject::Function,
            raw::RawSubject::Docs => Subject::Docs,
            raw::RawSubject::Tests => Subject::Tests,
            raw::RawSubject::Output => Subject::Output,
            raw::RawSubject::Setting => Subject::Setting,
            raw::RawSubject::Rehearsal => Subject::Rehearsal,
            raw::RawSubject::Readers => Subject::Readers,
            raw::RawSubject::Monitor => Subject::Monitor,
            raw::RawSubject::Retrain => Subject::Retrain,
            raw::RawSubject::Route => Subject::Route,
        };
        let generic = rule.generic.as_ref();
        if let Some(note) = generic.and_then(|g| g.note.as_ref())
            && rule.note.is_none()
        {
            r.at(
                note.span(),
                format!("rule `{id}` has a generic note but no `note` for it to replace"),
            );
        }
        if let Some(unless) = &rule.note_unless
            && rule.note.is_none()
        {
            r.at(
                unless.span(),
                format!("rule `{id}` has `note_unless` but no `note` for it to leave out"),
            );
        }
        out.push(Rule {
            title: r.worded(
                &rule.title,
                generic.and_then(|g| g.title.as_ref()),
                "title",
                "rule title",
                limits::HEADER,
            ),
            kind,
            subject,
            harmless_for: r.refs(&rule.harmless_for, "scope", &names.scopes),
            stated_only: rule.stated_only,
            asked_only: rule.asked_only,
            on_deeper_proposal: rule.on_deeper_proposal,
            questions_only: rule.questions_only,
            covers_release: rule.covers_release,
            names_change: rule.names_change,
            source: r.text(&rule.source, "rule source", limits::SECTION),
            signals: rule.signals.iter().map(|s| s.get_ref().clone()).collect(),
            paths: rule.paths.iter().map(|s| s.get_ref().clone()).collect(),
            scopes,
            checks: r.refs(&rule.checks, "check", &names.checks),
            components: r.refs(&rule.components, "component", &names.components),
            traps: r.refs(&rule.traps, "trap", &names.traps),
            why: r.worded(
                &rule.why,
                generic.and_then(|g| g.why.as_ref()),
                "why",
                "rule rationale",
                limits::SECTION,
            ),
            note: rule.note.as_ref().map(|n| {
                r.worded(
                    n,
                    generic.and_then(|g| g.note.as_ref()),
                    "note",
                    "rule note",
                    limits::SECTION,
                )
            }),
            note_unless: rule.note_unless.as_ref().and_then(|s| {
                r.refs(std::slice::from_ref(s), "scope", &names.scopes)
                    .pop()
            }),
            negatable: rule.negatable.unwrap_or(kind != RuleKind::Trap),
            fallback: rule.fallback,
            owns_line_paths: rule.owns_line_paths,
            id,
        });
    }
    out
}
