//! PR-template boilerplate: section headings, "Rollback: revert the PR",
//! "Deployment notes: none", "Testing done: CI green". A team's template
//! names sections and restates its routine; none of it is a change, a
//! promotion or a belief, so it is blanked (keeping byte offsets) before the
//! message is read.

use std::borrow::Cow;

/// The label of a `label: value` line (markdown bold and list markers
/// stripped) and the value after the colon.
fn field(line: &str) -> Option<(String, &str)> {
    let t = without_enumerator(
        line.trim_start()
            .trim_start_matches(['-', '*', '>', '#', ' ', '_', '•']),
    );
    let colon = t.find(':')?;
    // A label is words; `def add_ratio(df):` is code.
    if t[..colon].contains(['(', ')', '=', '[', '{', '"', '\'']) {
        return None;
    }
    // The label's words are the words before the colon that hold a letter
    // or digit: counted first (no further than five), so prose with a colon
    // ("quick one for this PR: ...") is let go without building a label.
    let words = t[..colon]
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .take(5)
        .count();
    if words == 0 || words > 4 {
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

/// A list item's letter or number taken off ("(c) rollout plan: TBD",
/// "2. Tests: added", "b) rollback: revert"): the label follows it.
fn without_enumerator(t: &str) -> &str {
    let inner = t.strip_prefix('(').unwrap_or(t);
    let mark = inner
        .find(|c: char| !c.is_ascii_alphanumeric())
        .filter(|&n| (1..=2).contains(&n))
        .filter(|&n| {
            let tag = &inner[..n];
            tag.bytes().all(|b| b.is_ascii_digit()) || tag.bytes().all(|b| b.is_ascii_lowercase())
        });
    match mark {
        Some(n)
            if inner[n..].starts_with(") ")
                || (inner.len() == t.len()
                    && inner[..n].bytes().all(|b| b.is_ascii_digit())
                    && inner[n..].starts_with(". ")) =>
        {
            inner[n + 1..].trim_start()
        }
        _ => t,
    }
}

/// A markdown heading that names a section (at most two words, four below
/// the top level), or a line that is only a bold label ("**Why**").
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
    let inner = inner.trim_end_matches([':', '?']);
    // "## Type of change": below the top level a heading of a few words
    // names a section; a top-level one may be the PR's title.
    let limit = if hashes >= 2 { 4 } else { 2 };
    (inner.split_whitespace().count() <= limit).then(|| inner.to_lowercase())
}

/// "tests: snapshot fixtures for `parse_addr()` regenerated": a label typed
/// in lower case that opens a message of one line names the area a commit
/// changed, as a commit subject does; it is the message, not a template's
/// field. `at` is where `sentence` starts in `text`.
fn commit_subject(text: &str, at: usize, sentence: &str) -> bool {
    let label = sentence.split(':').next().unwrap_or_default();
    at == 0
        && !text.trim_end().contains('\n')
        && label.starts_with(|c: char| c.is_ascii_lowercase())
        && !label.contains(|c: char| c.is_uppercase())
}

/// An unticked task-list item ("- [ ] New feature"): an option of the
/// template that nobody picked.
fn unchecked(line: &str) -> bool {
    line.trim_start()
        .trim_start_matches(['-', '*', '+'])
        .trim_start()
        .starts_with("[ ]")
}

/// The sentences of `line` that hold a colon, with their offsets: only
/// those can be a `label: value` field. A line is cut after each ". ", "; "
/// or " | ", the separator and its space kept with the sentence before it. Each sentence
/// is found from its first colon outwards, so the cost follows the line's
/// length however many colons it has.
fn sentences_with_colon(line: &str) -> Vec<(usize, &str)> {
    let bytes = line.as_bytes();
    let cut_after =
        |i: usize| matches!(bytes[i], b'.' | b';' | b'|') && bytes.get(i + 1) == Some(&b' ');
    let mut out = Vec::new();
    // Where the sentence after the last one found starts.
    let mut from = 0;
    for (colon, _) in line.match_indices(':') {
        if colon < from {
            continue;
        }
        let start = (from..colon)
            .rev()
            .find(|&i| cut_after(i))
            .map_or(from, |i| i + 2);
        let end = (colon..bytes.len())
            .find(|&i| cut_after(i))
            .map_or(line.len(), |i| i + 2);
        out.push((start, &line[start..end]));
        from = end;
    }
    out
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
    // The byte ranges to blank, found first: most messages hold none, and
    // then the text is returned as it came, without a copy.
    let mut blanks: Vec<(usize, usize)> = Vec::new();
    let mut in_template_section = false;
    let mut offset = 0;
    for line in text.split('\n') {
        let whole_line = if let Some(h) = heading(line) {
            in_template_section = fields.contains(&h);
            true
        } else {
            in_template_section || unchecked(line)
        };
        if whole_line {
            blanks.push((offset, offset + line.len()));
        } else {
            // A template pasted into a one-line slash command keeps its
            // fields as sentences: "Summary: new column. Testing done: suite
            // green. Rollback: revert". Each sentence is judged as its own
            // field.
            for (at, sentence) in sentences_with_colon(line) {
                let boilerplate = field(sentence)
                    .is_some_and(|(label, value)| fields.contains(&label) || routine(value))
                    && !commit_subject(&text, offset + at, sentence);
                if boilerplate {
                    blanks.push((offset + at, offset + at + sentence.len()));
                }
            }
        }
        offset += line.len() + 1;
    }
    super::text::blank_ranges(text, &blanks)
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
    fn fields_pasted_on_one_line_are_blanked_sentence_by_sentence() {
        let text = "Summary: rename the cols in the churn table. Testing done: unit suite green. Rollback: revert";
        let out = run(text);
        assert_eq!(out.len(), text.len());
        assert!(out.starts_with("Summary: rename the cols in the churn table. "));
        assert_eq!(
            out.trim_end(),
            "Summary: rename the cols in the churn table."
        );
    }

    #[test]
    fn a_field_does_not_swallow_the_sentences_after_it() {
        let out = run("Testing: none. Also bumped lr to 3e-4 in params.yaml");
        assert!(out.trim_start().starts_with("Also bumped lr"));
    }

    /// A line cut after each ". ", "; " or " | ", the separators kept with the
    /// sentence before them, so the pieces concatenate back to the line.
    fn all_sentences(line: &str) -> impl Iterator<Item = &str> {
        let bytes = line.as_bytes();
        let mut start = 0;
        let mut i = 0;
        std::iter::from_fn(move || {
            if start >= line.len() {
                return None;
            }
            while i + 1 < bytes.len() {
                let cut = matches!(bytes[i], b'.' | b';' | b'|') && bytes[i + 1] == b' ';
                i += 1;
                if cut {
                    let piece = &line[start..=i];
                    start = i + 1;
                    return Some(piece);
                }
            }
            let piece = &line[start..];
            start = line.len();
            Some(piece)
        })
    }

    #[test]
    fn the_sentences_with_a_colon_are_those_of_the_whole_line_that_hold_one() {
        for line in [
            "a. b; c | d",
            "no separators",
            "ends with a dot.",
            ". ",
            "x.y. z",
            "Summary: a. Testing done: green; Rollback: revert",
            "a: b: c. d: e",
            ":. :",
            "quick one: x. y. z: w | v",
            "tail with colon:",
        ] {
            assert_eq!(all_sentences(line).collect::<String>(), line);
            let mut at = 0;
            let mut want = Vec::new();
            for s in all_sentences(line) {
                if s.contains(':') {
                    want.push((at, s));
                }
                at += s.len();
            }
            assert_eq!(sentences_with_colon(line), want, "{line:?}");
        }
    }

    #[test]
    fn a_lower_case_label_opening_a_one_line_message_is_its_subject() {
        let text = "testing: new golden files for `parse_addr()`, no src change";
        assert_eq!(run(text), text);
        // In a template, or typed as a form's label, it is still a field.
        assert!(!run("Testing: ran the suite").contains("ran the suite"));
        assert!(!run("new column\ntesting: ran the suite").contains("ran the suite"));
    }

    #[test]
    fn code_ending_in_a_colon_is_not_a_field() {
        let text = "@@ -10,7 +10,7 @@ def add_ratio(df):";
        assert_eq!(run(text), text);
    }

    #[test]
    fn unticked_options_are_blanked_and_ticked_ones_kept() {
        let out =
            run("## Kind\n- [ ] Bug fix\n- [ ] New feature\n- [x] Documentation\n* [ ] breaking");
        assert!(!out.contains("New feature"));
        assert!(!out.contains("Bug fix"));
        assert!(!out.contains("breaking"));
        assert!(out.contains("- [x] Documentation"));
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
