//! File paths pasted from a diff or PR description, and the glob patterns
//! rules use to recognise them.

/// File name endings that make a word look like a path even without a slash.
const EXTENSIONS: &[&str] = &[
    "py", "ipynb", "sql", "yml", "yaml", "json", "toml", "txt", "cfg", "ini", "lock", "md", "rst",
    "sh", "scala", "r", "tf", "hcl", "conf", "env", "csv", "parquet", "pkl", "whl", "jar",
];

/// Endings of files that hold code: a step or stage named next to one is a
/// part of that code ("the dedupe step in `clean_events.py`").
const CODE_EXTENSIONS: &[&str] = &["py", "ipynb", "scala", "r", "sql"];

/// Whether a path names a file of code.
pub(crate) fn is_code_file(path: &str) -> bool {
    path.rsplit_once('.')
        .is_some_and(|(_, ext)| CODE_EXTENSIONS.iter().any(|e| ext.eq_ignore_ascii_case(e)))
}

/// Extracts the path-looking words of a message, with their byte ranges.
///
/// A word is a path when it names a file with a known extension or ends in
/// `/` (a directory); "dev/test/prod", "A/B" and "CI/CD" stay words. Diff
/// prefixes (`a/`, `b/`) are removed.
pub(crate) fn extract(text: &str) -> Vec<(&str, usize, usize)> {
    let mut out = Vec::new();
    // Separators are ASCII, and a chunk (a run of bytes between separators)
    // with no '.' or '/' is never a path: only the chunks around those bytes,
    // found by `memchr`, are looked at, each once.
    let bytes = text.as_bytes();
    let is_sep = |b: &u8| {
        b.is_ascii_whitespace()
            || matches!(
                b,
                b'`' | b'"' | b'\'' | b'<' | b'>' | b'|' | b'(' | b')' | b'[' | b']' | b','
            )
    };
    let mut done = 0;
    for hit in memchr::memchr2_iter(b'.', b'/', bytes) {
        if hit < done {
            continue;
        }
        let start = bytes[..hit].iter().rposition(is_sep).map_or(0, |k| k + 1);
        let end = bytes[hit..]
            .iter()
            .position(is_sep)
            .map_or(bytes.len(), |k| hit + k);
        if let Some(found) = path_in(text, start, end) {
            out.push(found);
        }
        done = end;
    }
    out
}

/// Real paths are short; the limits keep glob matching cheap on hostile input.
const MAX_PATH_LEN: usize = 512;
const MAX_SEGMENTS: usize = 32;

fn path_in(text: &str, start: usize, end: usize) -> Option<(&str, usize, usize)> {
    // Slack emphasis (`*bold*`, `_italic_`, `~strike~`) and sentence
    // punctuation wrap paths as often as words.
    let chunk = &text[start..end];
    let trimmed = chunk
        .trim_end_matches(['.', ':', ';', '!', '?', '*', '_', '~'])
        .trim_start_matches(['*', '_', '~']);
    let start = start + (chunk.len() - chunk.trim_start_matches(['*', '_', '~']).len());
    if trimmed.len() < 3
        || trimmed.len() > MAX_PATH_LEN
        || !trimmed.is_ascii()
        || trimmed.matches('/').count() >= MAX_SEGMENTS
    {
        return None;
    }
    let path = strip_diff_prefix(trimmed);
    let end = start + trimmed.len();
    looks_like_path(path).then(|| (path, end - path.len(), end))
}

fn strip_diff_prefix(p: &str) -> &str {
    let p = p
        .strip_prefix("https://")
        .or_else(|| p.strip_prefix("http://"))
        .unwrap_or(p);
    for prefix in ["a/", "b/", "./"] {
        if let Some(rest) = p.strip_prefix(prefix) {
            return rest;
        }
    }
    p
}

fn looks_like_path(p: &str) -> bool {
    if !p.bytes().any(|b| b.is_ascii_alphabetic()) {
        return false;
    }
    let name = p.rsplit('/').next().unwrap_or(p);
    let has_ext = name.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty() && EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str())
    });
    has_ext
        || matches!(name, "Dockerfile" | "Makefile" | "MLproject" | "MLmodel")
        || p.ends_with('/')
}

/// A compiled glob: `**` spans directories, `*` and `?` stay within one.
///
/// A pattern without a slash matches the file name anywhere; a pattern with
/// one may start at any directory, since pasted paths are often relative to a
/// sub-project.
#[derive(Debug, Clone)]
pub(crate) struct Glob {
    segments: Vec<String>,
    basename_only: bool,
    /// The literal end of the last segment (`.py` of `*.py`): most paths
    /// fail on it, before any wildcard is walked.
    suffix: String,
}

impl Glob {
    pub(crate) fn parse(pattern: &str) -> Result<Glob, String> {
        let pattern = pattern.trim();
        if pattern.is_empty() {
            return Err("an empty path pattern matches nothing".into());
        }
        if pattern.contains(char::is_whitespace) {
            return Err(format!("path pattern `{pattern}` contains a space"));
        }
        let trimmed = pattern.trim_start_matches('/');
        let basename_only = !trimmed.contains('/');
        let mut segments: Vec<String> = trimmed.split('/').map(str::to_ascii_lowercase).collect();
        if segments.last().is_some_and(String::is_empty) {
            segments.pop();
            segments.push("**".into());
        }
        let last = segments.last().map_or("", String::as_str);
        let suffix = last[last.rfind(['*', '?']).map_or(0, |k| k + 1)..].to_owned();
        Ok(Glob {
            segments,
            basename_only,
            suffix,
        })
    }

    /// The extension a matching file name must end in (`py` for `*.py`,
    /// `txt` for `requirements*.txt`); `None` when the pattern allows any.
    pub(crate) fn extension(&self) -> Option<&str> {
        if self.segments.last().is_some_and(|s| s == "**") {
            return None;
        }
        self.suffix
            .rsplit_once('.')
            .map(|(_, ext)| ext)
            .filter(|e| !e.is_empty())
    }

    #[cfg(test)]
    pub(crate) fn matches(&self, path: &str) -> bool {
        self.matches_parts(&split_path(&path.to_ascii_lowercase()))
    }

    /// Matches a path already lower-cased and split by [`split_path`].
    pub(crate) fn matches_parts(&self, parts: &[&str]) -> bool {
        // Patterns are anchored at the file name, so the last segment decides
        // most cases before any directory walking.
        let (Some(last_pat), Some(last_part)) = (self.segments.last(), parts.last()) else {
            return false;
        };
        if !ends_with(last_part.as_bytes(), self.suffix.as_bytes())
            || (last_pat != "**" && !segment_matches(last_pat, last_part))
        {
            return false;
        }
        if self.basename_only {
            return parts
                .last()
                .is_some_and(|name| segment_matches(&self.segments[0], name));
        }
        // A directory the pattern names literally (`utils` of `**/utils/**`)
        // must be in the path: most paths fail here, before any `**` walk.
        let literal = |s: &String| s != "**" && !s.contains(['*', '?']);
        if !self
            .segments
            .iter()
            .filter(|s| literal(s))
            .all(|s| parts.contains(&s.as_str()))
        {
            return false;
        }
        (0..parts.len()).any(|start| match_from(&self.segments, &parts[start..]))
    }
}

/// `str::ends_with` for the few bytes of a pattern's suffix, compared byte by
/// byte: a path is tried against every candidate pattern, and a call to the C
/// library's `memcmp` for three bytes cost more than the rest of the check.
fn ends_with(s: &[u8], suffix: &[u8]) -> bool {
    s.len() >= suffix.len()
        && s[s.len() - suffix.len()..]
            .iter()
            .zip(suffix)
            .all(|(a, b)| a == b)
}

/// The non-empty segments of a lower-cased path.
pub(crate) fn split_path(lower: &str) -> Vec<&str> {
    lower.split('/').filter(|s| !s.is_empty()).collect()
}

fn match_from(pat: &[String], parts: &[&str]) -> bool {
    match pat.split_first() {
        None => parts.is_empty(),
        Some((first, rest)) if first == "**" => {
            (0..=parts.len()).any(|k| match_from(rest, &parts[k..]))
        }
        Some((first, rest)) => parts
            .split_first()
            .is_some_and(|(p, tail)| segment_matches(first, p) && match_from(rest, tail)),
    }
}

/// `*` and `?` wildcards within one path segment.
fn segment_matches(pattern: &str, name: &str) -> bool {
    let (p, n) = (pattern.as_bytes(), name.as_bytes());
    let (mut pi, mut ni) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ni < n.len() {
        if pi < p.len() && (p[pi] == b'?' || p[pi] == n[ni]) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == b'*' {
            star = Some(pi);
            mark = ni;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ni = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_files_are_told_from_config_and_data() {
        assert!(is_code_file("src/clean_events.py"));
        assert!(is_code_file("jobs/Join.scala"));
        assert!(!is_code_file("resources/train.job.yml"));
        assert!(!is_code_file("features/"));
        assert!(!is_code_file("data.parquet"));
    }

    #[test]
    fn globs_match_like_gitignore_lite() {
        for (pattern, path, expected) in [
            ("src/features/**", "src/features/pickup.py", true),
            ("src/features/**", "my_proj/src/features/a/b.py", true),
            ("src/features/**", "src/training/train.py", false),
            ("train.py", "my_proj/training/train.py", true),
            ("train.py", "my_proj/training/train.pyc", false),
            ("requirements*.txt", "requirements-dev.txt", true),
            (
                "resources/*.yml",
                "proj/resources/model-workflow-resource.yml",
                true,
            ),
            ("resources/*.yml", "proj/resources/sub/x.yml", false),
            ("**/*.md", "docs/README.md", true),
            ("*.ipynb", "notebooks/Train.ipynb", true),
            ("conda.yaml", "conda.yml", false),
        ] {
            let glob = Glob::parse(pattern).unwrap();
            assert_eq!(glob.matches(path), expected, "{pattern} vs {path}");
        }
    }

    #[test]
    fn a_pattern_suffix_is_compared_at_the_end_of_the_name() {
        assert!(ends_with(b"train.py", b".py"));
        assert!(ends_with(b"train.py", b""));
        assert!(!ends_with(b"train.pyc", b".py"));
        assert!(!ends_with(b"py", b".py"));
        let glob = Glob::parse("*.py").unwrap();
        assert!(glob.matches("src/Models/Wrapper.PY"));
        assert!(!glob.matches("src/models/wrapper.pyi"));
    }

    #[test]
    fn paths_are_found_around_dots_and_slashes_only() {
        // Each chunk is read once, however many dots and slashes it holds,
        // and in text order.
        let text = "see src/b/c.py, then x.y.z.md and `conf/params.yaml`. done.";
        let found: Vec<&str> = extract(text).into_iter().map(|(p, _, _)| p).collect();
        assert_eq!(found, ["src/b/c.py", "x.y.z.md", "conf/params.yaml"]);
        assert!(extract("no paths here, just words").is_empty());
        assert!(extract("").is_empty());
    }

    #[test]
    fn paths_are_found_in_diffs_and_prose() {
        let text = "diff --git a/src/features/x.py b/src/features/x.py\n+++ b/requirements.txt\nWe ran it in dev/test/prod, see train.py.";
        let found: Vec<&str> = extract(text).into_iter().map(|(p, _, _)| p).collect();
        assert_eq!(
            found,
            [
                "src/features/x.py",
                "src/features/x.py",
                "requirements.txt",
                "train.py"
            ]
        );
        assert!(extract("A/B test and CI/CD, e.g. v1.2").is_empty());
        assert_eq!(extract("*SRC/A.PY*!")[0].0, "SRC/A.PY");
        let text = "touch `conf/params.yaml`";
        let (p, s, e) = extract(text)[0];
        assert_eq!((p, &text[s..e]), ("conf/params.yaml", "conf/params.yaml"));
    }
}
