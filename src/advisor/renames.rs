//! Renames: a rename moves a name, not a value.
//!
//! "renamed `lr` to `learning_rate`, same value", "the `wd` → `weight_decay`
//! rename in trainer.py": the identifiers on either side of a rename are
//! names being moved, and a setting's name moved is no setting changed. When
//! one of them names a setting the knowledge base knows (`renamed_settings`
//! in lexicon.toml) and the clause names nothing readers see by that name
//! (`rename_blockers`: a column, a field, a config key), both names are
//! blanked, so the rest of the message (the rename of a variable, the
//! function or file it happens in) decides. A column or a config key renamed
//! stays a change its readers see.

use std::borrow::Cow;

/// What a rename is told with, lower case.
pub(crate) struct RenameCues<'a> {
    /// Words that rename ("rename", "renamed", "renaming").
    pub(crate) verbs: &'a [String],
    /// Words whose presence in the clause makes the renamed name one that
    /// readers see ("column", "key", "yaml").
    pub(crate) blockers: &'a [String],
    /// Setting names, with `_` read as a space ("learning rate", "max depth").
    pub(crate) settings: &'a [String],
}

/// One identifier-like run of the text: letters, digits, `_`, and a `.`
/// between two of them ("train.py").
fn words(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if ident(b[i]) {
            let s = i;
            while i < b.len()
                && (ident(b[i]) || (b[i] == b'.' && i + 1 < b.len() && ident(b[i + 1]) && i > s))
            {
                i += 1;
            }
            out.push((s, i));
        } else {
            i += 1;
        }
    }
    out
}

/// Where each clause ends: a sentence end, a comma, a semicolon or a line.
fn clause_ends(text: &str) -> Vec<usize> {
    let b = text.as_bytes();
    let mut ends = Vec::new();
    for (i, &c) in b.iter().enumerate() {
        let end = match c {
            b',' | b';' | b'\n' | b'!' | b'?' => true,
            b'.' => b.get(i + 1).is_none_or(|n| n.is_ascii_whitespace()),
            _ => false,
        };
        if end {
            ends.push(i);
        }
    }
    ends.push(b.len());
    ends
}

fn is_setting(word: &str, cues: &RenameCues<'_>) -> bool {
    let w = word.to_ascii_lowercase().replace('_', " ");
    cues.settings.contains(&w)
}

/// Blanks (with spaces, so every offset stays) the names on either side of
/// a rename that moves a setting's name in code, and says where they were.
pub(crate) fn blank_renamed<'t>(
    text: Cow<'t, str>,
    cues: &RenameCues<'_>,
) -> (Cow<'t, str>, Vec<(usize, usize)>) {
    let lower_text = text.to_ascii_lowercase();
    if !cues.verbs.iter().any(|v| lower_text.contains(v.as_str())) {
        return (text, Vec::new());
    }
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let ws = words(&text);
    let ends = clause_ends(&text);
    let mut from = 0;
    for &end in &ends {
        // No word runs across a clause end (none holds `,`, `;`, `!`, `?`, a
        // line break or a `.` before a space), so a clause's words are the
        // run of `ws` that starts inside it: found by position, which keeps
        // a long thread linear.
        let lo = ws.partition_point(|&(s, _)| s < from);
        let hi = ws.partition_point(|&(s, _)| s < end);
        let clause = &ws[lo..hi];
        // ASCII lower-casing keeps every offset, so a word's lower case is
        // the same span of `lower_text`.
        let lower = |(s, e): (usize, usize)| &lower_text[s..e];
        let renames = clause
            .iter()
            .any(|&w| cues.verbs.iter().any(|v| v == lower(w)));
        let blocked = || {
            clause.iter().any(|&w| {
                let l = lower(w);
                cues.blockers.iter().any(|b| b == l)
                    || [".yaml", ".yml", ".json", ".toml", ".cfg", ".ini"]
                        .iter()
                        .any(|x| l.ends_with(x))
            })
        };
        if renames && !blocked() {
            // "X to Y", "X into Y", "X → Y", "X -> Y": a pair of names.
            for k in 0..clause.len().saturating_sub(1) {
                let (xs, xe) = clause[k];
                let (mut ys, mut ye) = clause[k + 1];
                let between = &text[xe..ys];
                let arrow = between.contains('→') || between.contains("->");
                let joined = if arrow {
                    between
                        .chars()
                        .all(|c| c.is_whitespace() || "`'\"→->".contains(c))
                } else if between
                    .trim_matches(|c: char| c.is_whitespace() || c == '`')
                    .is_empty()
                    && k + 2 < clause.len()
                    && ["to", "into"].contains(&lower(clause[k + 1]))
                {
                    (ys, ye) = clause[k + 2];
                    text[xe..ys]
                        .chars()
                        .all(|c| c.is_alphanumeric() || c.is_whitespace() || c == '`')
                } else {
                    false
                };
                if !joined || ye > end {
                    continue;
                }
                let (x, y) = (&text[xs..xe], &text[ys..ye]);
                if y.starts_with(|c: char| c.is_ascii_digit()) {
                    continue; // "lr to 3e-4": a value, not a new name
                }
                if x.chars().any(|c| c.is_ascii_digit()) && !x.contains('_') {
                    continue; // "renamed v2 to ...": a version, not a name in code
                }
                if is_setting(x, cues) || is_setting(y, cues) {
                    spans.push((xs, xe));
                    spans.push((ys, ye));
                }
            }
        }
        from = end;
    }
    if spans.is_empty() {
        return (text, spans);
    }
    // The pair names a variable in code: "renamed `lr` to `learning_rate`"
    // reads "renamed var", whose rule (a code change) decides.
    let mut out = text.into_owned();
    for pair in spans.chunks(2) {
        let (s, e) = (pair[0].0, pair[1].1);
        let stand_in = if e - s >= 3 { "var" } else { "" };
        out.replace_range(
            s..e,
            &format!("{stand_in}{}", " ".repeat(e - s - stand_in.len())),
        );
    }
    (Cow::Owned(out), spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blank(text: &str) -> String {
        let verbs = vec!["rename".into(), "renamed".into(), "renaming".into()];
        let blockers = vec!["column".into(), "key".into(), "table".into()];
        let settings = vec![
            "lr".into(),
            "learning rate".into(),
            "n estimators".into(),
            "wd".into(),
        ];
        let cues = RenameCues {
            verbs: &verbs,
            blockers: &blockers,
            settings: &settings,
        };
        blank_renamed(Cow::Borrowed(text), &cues).0.into_owned()
    }

    #[test]
    fn a_setting_renamed_in_code_reads_as_a_variable() {
        for (text, gone) in [
            (
                "renamed the variable `lr` to `learning_rate`, same value",
                "learning",
            ),
            ("the `wd` -> `weight_decay` rename", "weight"),
            ("the `wd` → `weight_decay` rename", "weight"),
            ("renamed n_estimators into n_trees", "trees"),
        ] {
            let out = blank(text);
            assert_eq!(out.len(), text.len(), "{text}");
            assert!(out.contains("var") && !out.contains(gone), "{text}: {out}");
        }
        assert_eq!(
            blank("renamed `lr` to `base_lr`, same value"),
            format!("renamed `var{}`, same value", " ".repeat(12))
        );
    }

    #[test]
    fn names_readers_see_and_other_names_stay() {
        for kept in [
            "renamed the column `lr` to `learning_rate`",
            "renamed the config key lr to learning_rate",
            "renamed `get_feats` to `build_feature_frame`",
            "bumped lr to 3e-4",
            "renamed the job. lr to 3e-4",
        ] {
            assert_eq!(blank(kept), kept);
        }
    }
}
