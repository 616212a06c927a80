//! Which platform the answers are worded for, and the words that give a
//! Databricks-only text away.
//!
//! The knowledge base is written for Databricks first. A team on another
//! stack sets `platform = "generic"` and every text that has a `generic.…`
//! wording next to it is read in that wording instead; the choice is made
//! once while loading, so the advisor and the renderers never see it.

use std::fmt;
use std::str::FromStr;

use super::compile::Question;

/// The quiz tag of questions that only make sense on Databricks.
pub const DATABRICKS_TAG: &str = "databricks";

/// The environment variable that overrides the knowledge base's platform.
pub const PLATFORM_VAR: &str = "TESTSCOPE_PLATFORM";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Platform {
    /// Databricks Asset Bundles, Unity Catalog, MLOps Stacks.
    #[default]
    Databricks,
    /// General CI, a staging environment and a model registry.
    Generic,
}

impl Platform {
    pub const NAMES: [&str; 2] = ["databricks", "generic"];

    pub fn name(self) -> &'static str {
        match self {
            Platform::Databricks => "databricks",
            Platform::Generic => "generic",
        }
    }

    /// Whether a quiz question belongs in this platform's bank.
    pub fn plays(self, question: &Question) -> bool {
        self == Platform::Databricks || is_platform_neutral(question)
    }

    /// [`Platform::from_setting`] for a flag or variable that may be unset;
    /// set but empty (`TESTSCOPE_PLATFORM=` in an env file) counts as unset.
    pub fn from_optional_setting(value: Option<&str>) -> Result<Option<Platform>, String> {
        value
            .filter(|v| !v.trim().is_empty())
            .map(Platform::from_setting)
            .transpose()
    }

    /// Reads a value given at run time (`--platform`, [`PLATFORM_VAR`]); the
    /// error is one line naming both, since either may have carried it.
    pub fn from_setting(value: &str) -> Result<Platform, String> {
        value.parse().map_err(|()| {
            format!(
                "{PLATFORM_VAR} (or --platform) must be `databricks` or `generic`, got `{}`",
                value.trim()
            )
        })
    }
}

impl FromStr for Platform {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "databricks" => Ok(Platform::Databricks),
            "generic" => Ok(Platform::Generic),
            _ => Err(()),
        }
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A question any team can play, whatever its tooling.
pub fn is_platform_neutral(question: &Question) -> bool {
    !question.tags.iter().any(|t| t == DATABRICKS_TAG)
}

/// Phrases that name Databricks tooling, from `platform.toml`, matched
/// without regard to case and only on whole words: "bundle" must not be
/// found in "bundled".
#[derive(Debug, Clone, Default)]
pub(crate) struct ToolWords(Vec<String>);

impl ToolWords {
    pub(crate) fn new(words: impl IntoIterator<Item = String>) -> Self {
        ToolWords(
            words
                .into_iter()
                .map(|w| w.trim().to_lowercase())
                .filter(|w| !w.is_empty())
                .collect(),
        )
    }

    /// The first tool word `text` contains, as listed.
    pub(crate) fn find(&self, text: &str) -> Option<&str> {
        let text = text.to_lowercase();
        self.0
            .iter()
            .find(|w| contains_phrase(&text, w))
            .map(String::as_str)
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// `phrase` occurs in `text` with no word character glued to either end;
/// an end of the phrase that is itself punctuation (`-t staging`) needs no
/// edge there.
fn contains_phrase(text: &str, phrase: &str) -> bool {
    let needs_left = phrase.chars().next().is_some_and(is_word_char);
    let needs_right = phrase.chars().next_back().is_some_and(is_word_char);
    text.match_indices(phrase).any(|(i, _)| {
        let left = !needs_left || !text[..i].chars().next_back().is_some_and(is_word_char);
        let right = !needs_right
            || !text[i + phrase.len()..]
                .chars()
                .next()
                .is_some_and(is_word_char);
        left && right
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tool_words_match_whole_words_in_any_case() {
        let words = ToolWords::new([
            "Bundle".to_owned(),
            "-t staging".to_owned(),
            "uc".to_owned(),
        ]);
        for (text, found) in [
            ("run `databricks bundle validate`", Some("bundle")),
            ("the endpoint bundles its own copy", None),
            ("a Bundle config", Some("bundle")),
            ("validate -t staging first", Some("-t staging")),
            ("the UC model", Some("uc")),
            ("lucky", None),
            ("a bucket of data", None),
        ] {
            assert_eq!(words.find(text), found, "{text}");
        }
    }

    #[test]
    fn a_setting_is_read_without_regard_to_case_and_an_unknown_one_is_named() {
        assert_eq!(Platform::from_setting(" Generic "), Ok(Platform::Generic));
        assert_eq!(
            Platform::from_setting("databricks"),
            Ok(Platform::Databricks)
        );
        assert_eq!(Platform::from_optional_setting(Some(" ")), Ok(None));
        assert_eq!(Platform::from_optional_setting(None), Ok(None));
        let err = Platform::from_setting("aws").unwrap_err();
        assert!(err.contains(PLATFORM_VAR) && err.contains("`aws`"), "{err}");
    }
}
