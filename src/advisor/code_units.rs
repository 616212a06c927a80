//! Finding the code a message names: `clamp_scores()`, `` `round_fare` ``,
//! "fixed parse_ts". Identifiers are found in the cleaned text, before the
//! tokenizer splits `snake_case` into words.

/// An identifier in the cleaned text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ident {
    pub(crate) start: usize,
    pub(crate) end: usize,
    /// Called (`name(`) or quoted as code (`` `name` ``): code for sure,
    /// unless the knowledge base knows the name.
    pub(crate) marked: bool,
    /// Followed by its new value (`max_seq_len` 512 -> 256): a setting,
    /// not code.
    pub(crate) setting: bool,
    /// Where the class of a method begins (`Normalizer` in
    /// `Normalizer.fit`), when the name is a method on a class.
    pub(crate) class: Option<usize>,
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Words that may stand between a name and the number it is given ("max_length
/// was changed from 128 to 256"): they tell a value was set.
const SETTING_WORDS: [&str; 32] = [
    "is",
    "was",
    "are",
    "were",
    "has",
    "have",
    "been",
    "be",
    "now",
    "i",
    "we",
    "it",
    "change",
    "changed",
    "changes",
    "set",
    "bump",
    "bumped",
    "raise",
    "raised",
    "lower",
    "lowered",
    "increase",
    "increased",
    "decrease",
    "decreased",
    "goes",
    "go",
    "went",
    "moved",
    "update",
    "updated",
];

/// Identifiers that look like code: called, backticked, `snake_case` or
/// `camelCase`. Ranges inside file paths are skipped (the path is the
/// subject there), and so are ALL_CAPS constants and plain words, unless the
/// constant's last part says it is a compiled pattern (`pattern_suffixes`:
/// `MASK_EMAIL_RE`).
pub(crate) fn find(
    text: &str,
    paths: &[(&str, usize, usize)],
    pattern_suffixes: &[String],
) -> Vec<Ident> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut next_path = 0;
    let mut i = 0;
    while i < bytes.len() {
        if !is_ident_byte(bytes[i]) || (i > 0 && is_ident_byte(bytes[i - 1])) {
            i += 1;
            continue;
        }
        let start = i;
        // Whether the name has an underscore, or a capital after its first
        // letter, is seen while it is scanned: most words are plain
        // lower-case words, and they are passed over at once.
        let mut shaped_inside = false;
        while i < bytes.len() && is_ident_byte(bytes[i]) {
            shaped_inside |= bytes[i] == b'_' || (i > start && bytes[i].is_ascii_uppercase());
            i += 1;
        }
        // `module.func(` names `func`; `train.py` is a path and skipped below.
        let end = i;
        let word = &text[start..end];
        let called = bytes.get(end) == Some(&b'(');
        let shaped =
            shaped_inside || called || (start > 0 && matches!(bytes[start - 1], b'`' | b'.'));
        if !shaped {
            continue;
        }
        // Paths are in text order, so one cursor walks them with the text.
        while next_path < paths.len() && paths[next_path].2 <= start {
            next_path += 1;
        }
        if paths.get(next_path).is_some_and(|&(_, s, _)| s < end) {
            continue;
        }
        if !word
            .trim_start_matches('_')
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic())
        {
            continue;
        }
        // "now decimal(18,2) instead of double", "varchar(255)": a plain
        // lower-case word given only sizes is a column type, not a call.
        if called
            && word.bytes().all(|b| b.is_ascii_lowercase())
            && text[end + 1..].split_once(')').is_some_and(|(args, _)| {
                !args.trim().is_empty()
                    && args
                        .bytes()
                        .all(|b| b.is_ascii_digit() || b == b',' || b == b' ')
            })
        {
            continue;
        }
        // The start of a dotted chain (`FareEstimator._apply_surcharge`).
        let mut chain = start;
        while chain > 0 && (is_ident_byte(bytes[chain - 1]) || bytes[chain - 1] == b'.') {
            chain -= 1;
        }
        // A dotted name (`prod.ml.churn`, `utils.clamp`) is a table or a
        // module path unless its last part is called.
        let dotted_before = start > 0 && bytes[start - 1] == b'.';
        let dotted_after = bytes.get(end) == Some(&b'.')
            && bytes
                .get(end + 1)
                .is_some_and(|&b| b.is_ascii_alphabetic() || b == b'_');
        let chain_quoted =
            chain > 0 && bytes[chain - 1] == b'`' && matches!(bytes.get(end), Some(b'`' | b'('));
        // `OrderFeaturizer.encode_weekday`: a method on a class (the chain's
        // head is one PascalCase word) is code; tables and modules are lower
        // case.
        let head = if dotted_before {
            &text[chain..start - 1]
        } else {
            ""
        };
        let method = dotted_before
            && !head.contains('.')
            && head.starts_with(|c: char| c.is_ascii_uppercase())
            && head.bytes().any(|b| b.is_ascii_lowercase())
            && word.starts_with(|c: char| c.is_ascii_lowercase() || c == '_');
        if (dotted_before && !called && !chain_quoted && !method) || dotted_after {
            continue;
        }
        // `key=value` and `key: value` name a setting; `=value` a value.
        let next = text[end..].trim_start_matches(' ').bytes().next();
        let prev = text[..start].trim_end_matches(' ').bytes().next_back();
        // `max_batch_size` 32 -> 128: a name followed by its value is a
        // setting.
        let after = text[end..].trim_start_matches(['`', ' ']);
        // "`max_seq_len` from 512 to 256": the same, in words.
        let from_number = after
            .strip_prefix("from ")
            .is_some_and(|v| v.starts_with(|c: char| c.is_ascii_digit()));
        // "max_length was changed from 128 to 256", "max_length is change
        // to 256", "num_beams is now 6": a value given within a few words of
        // the name, in the same clause.
        let valued_later = {
            let clause = after
                .split(['\n', ',', ';', '.', '?', '!', '(', ':'])
                .next()
                .unwrap_or_default();
            let words: Vec<&str> = clause.split_whitespace().take(7).collect();
            // Only the words that tell a value was set may come between:
            // "clamp_scores now clips to 1" tells what a function does.
            let setting_word = |w: &str| SETTING_WORDS.iter().any(|s| w.eq_ignore_ascii_case(s));
            // "`min_df` in the tfidf config from 2 to 5": the name's place,
            // a config, may come between as well.
            let in_config = |between: &[&str]| {
                between.first() == Some(&"in")
                    && between.last().is_some_and(|w| {
                        matches!(w.to_ascii_lowercase().as_str(), "config" | "cfg" | "yaml")
                    })
            };
            // "flipped `use_fp16` to true": a switch's value is a word.
            let value = |w: &str| {
                w.starts_with(|c: char| c.is_ascii_digit())
                    || ["true", "false"].iter().any(|b| {
                        w.trim_end_matches(['`', '.', ',', ';', ')'])
                            .trim_start_matches('`')
                            .eq_ignore_ascii_case(b)
                    })
            };
            words.windows(2).enumerate().any(|(k, pair)| {
                matches!(pair[0], "from" | "to" | "now")
                    && value(pair[1])
                    && ((k <= 4 && words[..k].iter().all(|w| setting_word(w)))
                        || in_config(&words[..k]))
            })
        };
        let valued = after.starts_with(|c: char| c.is_ascii_digit())
            || from_number
            || (valued_later && !called)
            || ["->", "→", "=>"].iter().any(|a| after.starts_with(a));
        // "jaccard_sim: early return 0.0 when both sets are empty": a name
        // that opens its line and is followed by a sentence is the subject
        // of that line, not a setting.
        let opens_line = text[..start]
            .trim_end_matches([' ', '`', '*', '-', '•'])
            .ends_with('\n')
            || text[..start]
                .trim_start_matches([' ', '`', '*', '-', '•'])
                .is_empty();
        // What follows a colon: a value ("task_key: ModelValidation") or a
        // sentence about the name ("small fix in parse_ts: it was dropping
        // the offset").
        let described = next == Some(b':')
            && text[end..]
                .trim_start_matches(['`', ' '])
                .strip_prefix(':')
                .and_then(|rest| rest.lines().next())
                // At least three words, counted no further than the third.
                .is_some_and(|rest| rest.split_whitespace().nth(2).is_some());
        let headline = opens_line
            && described
            && word.starts_with(|c: char| c.is_ascii_lowercase() || c == '_');
        // After a colon, a name is a value ("model: xgb_ranker_v2",
        // "task_key: ModelValidation") unless a word heads the line and a
        // sentence follows the name ("fix: strip_html handles nested tags").
        let after_label = prev == Some(b':') && {
            let key = text[..start].trim_end_matches([' ', ':']);
            let from = key
                .char_indices()
                .rev()
                .find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '_'))
                .map_or(0, |(k, c)| k + c.len_utf8());
            let key = &key[from..];
            let rest = text[end..].lines().next().unwrap_or_default();
            !key.contains('_') && rest.split_whitespace().nth(1).is_some()
        };
        let assigned = !described
            && (valued
                || matches!(next, Some(b'=' | b':'))
                || (!called && !after_label && matches!(prev, Some(b'=' | b':'))));
        if assigned && !valued {
            continue;
        }
        let quoted = chain_quoted || headline;
        let snake = word.trim_matches('_').contains('_');
        // `parseDate` is a function; `TorchServe`, `LightGBM` and
        // `SageMaker` are products or classes unless called or quoted.
        let camel = word
            .trim_start_matches('_')
            .starts_with(|c: char| c.is_ascii_lowercase())
            && word
                .as_bytes()
                .windows(2)
                .any(|w| w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase());
        let all_caps = !word.bytes().any(|b| b.is_ascii_lowercase());
        // `MASK_EMAIL_RE`, `SKU_PATTERN`: a constant whose last part says it
        // is a compiled pattern is code, as a regex helper is.
        let pattern = all_caps
            && snake
            && word.rsplit('_').next().is_some_and(|last| {
                pattern_suffixes
                    .iter()
                    .any(|p| p.eq_ignore_ascii_case(last))
            });
        // An unquoted ALL_CAPS name is a constant or an acronym; quoted or
        // called, case says nothing.
        if (all_caps && !(called || quoted || pattern))
            || word.bytes().filter(u8::is_ascii_alphabetic).count() < 3
        {
            continue;
        }
        // `reranker_v4`, `labels_v2`: a name with a version is a model or a
        // table, not a function.
        let versioned = word.rsplit('_').next().is_some_and(|last| {
            last.len() > 1
                && last.starts_with(['v', 'V'])
                && last[1..].bytes().all(|b| b.is_ascii_digit())
        });
        if versioned && !called {
            continue;
        }
        if called || quoted || snake || camel {
            out.push(Ident {
                start,
                end,
                marked: called || quoted,
                setting: assigned,
                class: method.then_some(chain),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<(&str, bool)> {
        find(text, &[], &["re".to_owned()])
            .into_iter()
            .filter(|i| !i.setting)
            .map(|i| (&text[i.start..i.end], i.marked))
            .collect()
    }

    fn settings(text: &str) -> Vec<&str> {
        find(text, &[], &["re".to_owned()])
            .into_iter()
            .filter(|i| i.setting)
            .map(|i| &text[i.start..i.end])
            .collect()
    }

    #[test]
    fn a_name_followed_by_its_new_value_is_a_setting() {
        assert_eq!(settings("`max_batch_size` 32 -> 128"), ["max_batch_size"]);
        assert_eq!(
            settings("lowering `max_seq_len` from 512 to 256"),
            ["max_seq_len"]
        );
        assert!(settings("task_key: ModelValidation").is_empty());
        // The value may come a few words later, after words that set it.
        assert_eq!(
            settings("the tokenizer max_length is change from 128 to 256"),
            ["max_length"]
        );
        assert_eq!(settings("max_iter was bumped to 2000"), ["max_iter"]);
        assert_eq!(
            settings("flipped `use_fp16` to true in the inference config"),
            ["use_fp16"]
        );
        assert!(settings("clamp_scores now clips to 1 instead of 100").is_empty());
        assert!(settings("fixed parse_ts, it returned 0 from 1970").is_empty());
        assert!(settings("fixed `clamp_scores()`").is_empty());
    }

    #[test]
    fn an_all_caps_pattern_is_code_and_other_constants_are_not() {
        assert_eq!(
            names("fixed the lookbehind in MASK_EMAIL_RE"),
            [("MASK_EMAIL_RE", false)]
        );
        assert!(names("bumped MAX_SEQ_LEN again").is_empty());
    }

    #[test]
    fn called_quoted_and_shaped_identifiers() {
        assert_eq!(
            names("fix the off-by-one in clamp_scores()"),
            [("clamp_scores", true)]
        );
        assert_eq!(names("tweaked `round_fare`"), [("round_fare", true)]);
        assert_eq!(
            names("`dedupe`(rows) now keeps the last"),
            [("dedupe", true)]
        );
        assert_eq!(names("renamed parseDate"), [("parseDate", false)]);
        assert!(names("nothing changes on the TorchServe side").is_empty());
        assert!(names("swapped XGBoost for LightGBM").is_empty());
        assert!(names("routes 20% to the new `reranker_v4` deployment").is_empty());
        assert_eq!(
            names("guarded norm_amt against zero"),
            [("norm_amt", false)]
        );
        assert_eq!(names("utils.clamp(x) was wrong"), [("clamp", true)]);
        assert_eq!(
            names("`FareEstimator._apply_surcharge` was off by one"),
            [("_apply_surcharge", true)]
        );
        assert!(names("alias on prod.ml.fraud_model").is_empty());
        assert_eq!(
            names("refactored OrderFeaturizer.encode_weekday to a dict lookup"),
            [("encode_weekday", false)]
        );
        assert!(names("wrote to Prod.ml.fraud_scores").is_empty());
        assert!(names("timestamp_lookup_key=event_ts").is_empty());
        assert!(names("task_key: ModelValidation").is_empty());
        assert!(names("model: xgb_ranker_v2").is_empty());
        assert_eq!(
            names("fix: strip_html handles nested tags now"),
            [("strip_html", false)]
        );
        assert_eq!(
            names("tweak: normalizeEmail lowercases the domain"),
            [("normalizeEmail", false)]
        );
        assert!(names("é_x: strip_html").is_empty());
        assert_eq!(
            names("jaccard_sim: early return 0.0 when both sets are empty"),
            [("jaccard_sim", true)]
        );
        assert_eq!(
            names("small fix in parse_ts: it was dropping the offset"),
            [("parse_ts", false)]
        );
        assert!(names("`max_batch_size` 32 -> 128").is_empty());
        assert!(names("lowering `max_seq_len` from 512 to 256").is_empty());
    }

    #[test]
    fn plain_words_constants_and_numbers_are_not_code() {
        assert!(names("we changed the learning rate (a lot)").is_empty());
        assert!(names("MAX_LEN went up, v2_3 too").is_empty());
        assert!(names("the model is better now").is_empty());
        // A column type with its sizes is no call.
        let types = names("`amt` is now decimal(18,2), `sku` varchar(64)");
        assert!(
            types
                .iter()
                .all(|(n, _)| !matches!(*n, "decimal" | "varchar")),
            "{types:?}"
        );
    }

    #[test]
    fn identifiers_inside_paths_are_left_to_the_path() {
        let text = "edited features/clean_text.py";
        let paths = [("features/clean_text.py", 7, text.len())];
        assert!(find(text, &paths, &[]).is_empty());
    }
}
