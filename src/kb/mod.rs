//! The knowledge base: scopes, stages, traps, checks, rules and message text,
//! loaded from TOML in `responses/` and validated once.
//!
//! The default copy is compiled into the binary, so `testscope` works from any
//! directory; a team can point `--responses DIR` at its own edited copy.
//! `platform.toml` says whether answers are worded for Databricks or for any
//! CI and model registry; see [`platform`].

mod compile;
pub mod cues;
pub mod platform;
mod raw;

use std::fmt;
use std::path::{Path, PathBuf};

pub use crate::advisor::model::{Engine, Rule, RuleKind, Subject};
pub use compile::{
    AGAIN_SUFFIX, Check, Component, Difficulty, Labels, Messages, Question, QuizText, Scope,
    SlackText, Stage, Trap,
};
pub use platform::Platform;

/// Slack's limits that knowledge-base text must respect.
pub mod limits {
    /// Header block text.
    pub const HEADER: usize = 150;
    /// Section block text.
    pub const SECTION: usize = 3000;
    /// Button label.
    pub const BUTTON: usize = 75;
}

/// The file that names the platform answers are worded for.
pub const PLATFORM_FILE: &str = "platform.toml";

/// The files a knowledge base is made of, in load order.
pub const FILES: [&str; 10] = [
    PLATFORM_FILE,
    "stages.toml",
    "scopes.toml",
    "components.toml",
    "traps.toml",
    "checks.toml",
    "lexicon.toml",
    "rules.toml",
    "messages.toml",
    "quiz.toml",
];

const BUILT_IN_PLATFORM: &str = include_str!("../../responses/platform.toml");

const EMBEDDED: [(&str, &str); 10] = [
    (PLATFORM_FILE, BUILT_IN_PLATFORM),
    ("stages.toml", include_str!("../../responses/stages.toml")),
    ("scopes.toml", include_str!("../../responses/scopes.toml")),
    (
        "components.toml",
        include_str!("../../responses/components.toml"),
    ),
    ("traps.toml", include_str!("../../responses/traps.toml")),
    ("checks.toml", include_str!("../../responses/checks.toml")),
    ("lexicon.toml", include_str!("../../responses/lexicon.toml")),
    ("rules.toml", include_str!("../../responses/rules.toml")),
    (
        "messages.toml",
        include_str!("../../responses/messages.toml"),
    ),
    ("quiz.toml", include_str!("../../responses/quiz.toml")),
];

/// One thing wrong with a knowledge-base file, located for a human.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    /// 1-based; 0 when the problem concerns the whole file.
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(
                f,
                "{}:{}:{}: {}",
                self.file, self.line, self.column, self.message
            )
        }
    }
}

/// Every problem found while loading; loading never stops at the first one,
/// so a team fixes their copy in one pass.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct LoadError {
    pub problems: Vec<Problem>,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        writeln!(
            f,
            "the knowledge base has {n} problem{}:",
            if n == 1 { "" } else { "s" }
        )?;
        for (i, p) in self.problems.iter().enumerate() {
            if i + 1 < n {
                writeln!(f, "  {p}")?;
            } else {
                write!(f, "  {p}")?;
            }
        }
        Ok(())
    }
}

/// Where a knowledge base came from, for messages such as `testscope check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Embedded,
    Directory(PathBuf),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Embedded => f.write_str("built-in knowledge base"),
            Origin::Directory(p) => write!(f, "{}", p.display()),
        }
    }
}

/// A validated, compiled knowledge base. Cheap to share behind an `Arc`.
#[derive(Debug)]
pub struct KnowledgeBase {
    pub origin: Origin,
    /// What the texts below are worded for; nothing downstream needs it.
    pub platform: Platform,
    pub stages: Vec<Stage>,
    /// Ordered from the smallest scope to the deepest.
    pub scopes: Vec<Scope>,
    /// Ordered along the pipeline.
    pub components: Vec<Component>,
    pub traps: Vec<Trap>,
    pub checks: Vec<Check>,
    pub messages: Messages,
    /// The daily quiz's question bank: the questions this platform plays.
    pub quiz: Vec<Question>,
    /// The bank's other questions, never posted here but still found by
    /// [`KnowledgeBase::question`], so a post made before the platform
    /// changed can still be answered and closed.
    pub quiz_elsewhere: Vec<Question>,
    /// What the advisor runs on: the rules, the vocabulary and the ids.
    pub engine: Engine,
}

impl KnowledgeBase {
    /// The knowledge base compiled into the binary.
    pub fn embedded() -> Result<Self, LoadError> {
        Self::load_for(None, None)
    }

    /// Loads a team's copy from `dir`, which must hold every file in
    /// [`FILES`] but `platform.toml`.
    pub fn from_dir(dir: &Path) -> Result<Self, LoadError> {
        Self::load_for(Some(dir), None)
    }

    /// Loads from `dir` when given, else the embedded default.
    pub fn load(dir: Option<&Path>) -> Result<Self, LoadError> {
        Self::load_for(dir, None)
    }

    /// As [`KnowledgeBase::load`], worded for `platform` when given instead
    /// of the platform `platform.toml` names.
    pub fn load_for(dir: Option<&Path>, platform: Option<Platform>) -> Result<Self, LoadError> {
        match dir {
            Some(d) => Self::compile_dir(d, platform),
            None => {
                let files = EMBEDDED.map(|(name, text)| SourceFile {
                    name: format!("responses/{name}"),
                    text: text.to_owned(),
                });
                compile::compile(Origin::Embedded, &files, platform)
            }
        }
    }

    fn compile_dir(dir: &Path, platform: Option<Platform>) -> Result<Self, LoadError> {
        let mut files = Vec::with_capacity(FILES.len());
        let mut problems = Vec::new();
        for name in FILES {
            let path = dir.join(name);
            match std::fs::read_to_string(&path) {
                Ok(text) => files.push(SourceFile {
                    name: path.display().to_string(),
                    text,
                }),
                // Copies made before the platform setting existed lack the
                // file; they get the built-in one (Databricks wording).
                Err(e) if name == PLATFORM_FILE && e.kind() == std::io::ErrorKind::NotFound => {
                    files.push(SourceFile {
                        name: format!("built-in responses/{PLATFORM_FILE}"),
                        text: BUILT_IN_PLATFORM.to_owned(),
                    });
                }
                Err(e) => problems.push(Problem {
                    file: path.display().to_string(),
                    line: 0,
                    column: 0,
                    message: format!("cannot read this file: {e}"),
                }),
            }
        }
        if !problems.is_empty() {
            return Err(LoadError { problems });
        }
        compile::compile(Origin::Directory(dir.to_path_buf()), &files, platform)
    }

    /// The embedded knowledge base with some files replaced, for tests that
    /// must not depend on the team's rules.
    #[cfg(test)]
    pub(crate) fn embedded_with(replace: &[(&str, &str)]) -> Result<Self, LoadError> {
        let files = EMBEDDED.map(|(name, text)| SourceFile {
            name: format!("responses/{name}"),
            text: replace
                .iter()
                .find(|(n, _)| *n == name)
                .map_or(text, |(_, t)| t)
                .to_owned(),
        });
        compile::compile(Origin::Embedded, &files, None)
    }

    pub fn scope(&self, id: &str) -> Option<&Scope> {
        self.scopes.iter().find(|s| s.id == id)
    }

    /// A question by id; `<id>~again` is its second phrasing.
    pub fn question(&self, id: &str) -> Option<&Question> {
        let mut bank = self.quiz.iter().chain(&self.quiz_elsewhere);
        match id.strip_suffix(compile::AGAIN_SUFFIX) {
            Some(base) => bank.find(|q| q.id == base)?.again.as_deref(),
            None => bank.find(|q| q.id == id),
        }
    }

    pub fn trap(&self, id: &str) -> Option<&Trap> {
        self.traps.iter().find(|t| t.id == id)
    }

    /// Number of distinct words and concepts the matcher knows.
    pub fn vocabulary_size(&self) -> usize {
        self.engine.lexicon.word_count()
    }

    /// The decision rules, in `rules.toml`'s order.
    pub fn rules(&self) -> &[Rule] {
        &self.engine.rules
    }
}

pub(crate) struct SourceFile {
    pub(crate) name: String,
    pub(crate) text: String,
}

impl SourceFile {
    /// Converts a byte offset into a 1-based line and column (in characters).
    pub(crate) fn locate(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = self.text.get(..offset).unwrap_or(&self.text);
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        (line, column)
    }
}
