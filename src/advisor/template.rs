//! PR-template boilerplate: section headings, "Rollback: revert the PR",
//! "Deployment notes: none", "Testing done: CI green". A team's template
//! names sections and restates its routine; none of it is a change, a
//! promotion or a belief, so it is blanked (keeping byte offsets) before the
//! message is read.

use std::borrow::Cow;

/// The label of a `label: value` line (markdown bold and list markers
/// stripped) and the value after the colon.
fn field(line: &str) -> Option<(String, &str)> {
    let t = line
        .trim_start()
        .trim_start_matches(['-', '*', '>', '#', ' ', '_']);
    let colon = t.find(':')?;
    // A label is words; `def add_ratio(df):` is code.
    if t[..colon].contains(['(', ')', '=', '[', '{', '"', '\'']) {
        return None;
    }
    let label: String = t[..colon]
        .chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace())
        .collect::<String>()
        .trim()
        .to_lowercase();
    let words = label.split_whitespace().count();
    if words == 0 || words > 4 {
        return None;
    }
    let value = t[colon + 1..]
        .trim()
        .trim_matches(['*', '_', ' ', '`', '.']);
    Some((label, value))
}

/// A markdown heading of at most two words, or a line that is only a bold
/// label ("**Why**").
fn heading(line: &str) -> Option<String> {
    let t = line.trim();
    let hashes = t.len() - t.trim_start_matches('#').len();
    let inner = if hashes > 0 && hashes <= 6 && t[hashes..].starts_with(' ') {
        t[hashes..].trim()
    } else if t.len() > 4 && t.starts_with("**") && t.ends_with("**") {
        t.trim_matches('*').trim()
    } else {
        return None;
    };
    let inner = inner.trim_end_matches(':');
    (inner.split_whitespace().count() <= 2).then(|| inner.to_lowercase())
}

/// Blanks headings, template fields (`fields`), fields whose value is empty
/// or routine (`empty_values`), and the body of a template section up to the
/// next heading.
pub(crate) fn blank<'a>(
    text: Cow<'a, str>,
    fields: &[String],
    empty_values: &[String],
) -> Cow<'a, str> {
    let routine = |v: &str| {
        let v = v.to_lowercase();
        v.is_empty() || empty_values.contains(&v)
    };
    let mut changed = false;
    let mut out = String::with_capacity(text.len());
    let mut in_template_section = false;
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let blank_it = if let Some(h) = heading(line) {
            in_template_section = fields.contains(&h);
            true
        } else if in_template_section {
            true
        } else if let Some((label, value)) = field(line) {
            fields.contains(&label) || routine(value)
        } else {
            false
        };
        if blank_it {
            changed = true;
            out.extend(std::iter::repeat_n(' ', line.len()));
        } else {
            out.push_str(line);
        }
    }
    if changed { Cow::Owned(out) } else { text }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> String {
        let fields = ["rollback", "testing done", "testing"].map(String::from);
        let empty = ["none", "n/a", "revert the pr"].map(String::from);
        blank(Cow::Borrowed(text), &fields, &empty).into_owned()
    }

    #[test]
    fn template_fields_and_routine_values_are_blanked_in_place() {
        let text = "bump lr to 3e-4\nRollback: revert the PR\nDeployment notes: none\n**Risk:** touches the prod endpoint";
        let out = run(text);
        assert_eq!(out.len(), text.len());
        assert_eq!(out.lines().next(), Some("bump lr to 3e-4"));
        assert!(out.lines().nth(1).is_some_and(|l| l.trim().is_empty()));
        assert!(out.lines().nth(2).is_some_and(|l| l.trim().is_empty()));
        assert!(out.contains("touches the prod endpoint"));
    }

    #[test]
    fn code_ending_in_a_colon_is_not_a_field() {
        let text = "@@ -10,7 +10,7 @@ def add_ratio(df):";
        assert_eq!(run(text), text);
    }

    #[test]
    fn a_template_section_is_blanked_up_to_the_next_heading() {
        let out = run(
            "## What\nnew column\n## Testing done\nran the unit tests\nall green\n## Why\nskew fix",
        );
        assert!(out.contains("new column"));
        assert!(!out.contains("ran the unit tests"));
        assert!(!out.contains("all green"));
        assert!(out.contains("skew fix"));
    }
}
