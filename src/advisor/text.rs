//! Turning Slack text into tokens the matcher can compare.
//!
//! The same functions normalise the knowledge base's signal phrases and the
//! user's message, so the stemmer only has to be consistent, not linguistically
//! correct: "changed", "changes" and "changing" all become "chang" on both sides.

use std::borrow::Cow;

/// What a raw token is, as far as clause and negation handling cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenKind {
    Word,
    /// A comma or dash: separates list items, not sentences.
    Comma,
    /// End of a sentence or line: phrases never match across it.
    Break,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawToken<'a> {
    pub(crate) kind: TokenKind,
    /// Lower-cased word with any possessive removed; empty for punctuation.
    pub(crate) word: Cow<'a, str>,
    /// Byte range in the cleaned text, for quoting the user's own words back.
    pub(crate) start: usize,
    pub(crate) end: usize,
}

/// Removes Slack's markup while keeping the words a person wrote.
///
/// `<@U123>` and `<!here>` carry no meaning for advice and are dropped; links
/// and channel references keep their label (or the URL itself, which often
/// contains a file path); entities are decoded; formatting characters are left
/// for the tokenizer, which treats them as separators.
pub(crate) fn clean_markup(input: &str) -> Cow<'_, str> {
    name_emoji(strip_references(input))
}

/// Emoji glyphs that stand for a word, as a pasted or typed message carries
/// them, with the name Slack gives them (`:ship:`): "ETA model → 🚢 today?"
/// reads as "ship today?", as the same message with `:ship:` does.
const EMOJI_NAMES: [(char, &str); 6] = [
    ('\u{1F6A2}', "ship"),
    // "UT all 🟢 → ship it?": a status light says how the tests came out.
    ('\u{1F7E2}', "green"),
    ('\u{1F534}', "red"),
    ('\u{1F41B}', "bug"),
    ('\u{1F680}', "rocket"),
    ('\u{1F4DD}', "memo"),
];

fn name_emoji(text: Cow<'_, str>) -> Cow<'_, str> {
    // Most messages are ASCII: one pass rules them out.
    let named = |c: char| EMOJI_NAMES.iter().find(|&&(e, _)| e == c).map(|&(_, n)| n);
    if text.is_ascii() || !text.chars().any(|c| named(c).is_some()) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match named(c) {
            Some(name) => {
                out.push(' ');
                out.push_str(name);
                out.push(' ');
            }
            None => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn strip_references(input: &str) -> Cow<'_, str> {
    if memchr::memchr2(b'<', b'&', input.as_bytes()).is_none() {
        return Cow::Borrowed(input);
    }
    let mut out = String::with_capacity(input.len());
    let mut rest = input;
    while let Some(i) = memchr::memchr2(b'<', b'&', rest.as_bytes()) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if rest.starts_with('<') {
            match rest.find('>') {
                // A real Slack reference has no spaces before its label and
                // never spans lines; anything else is literal text.
                Some(close)
                    if !rest[..close]
                        .split('|')
                        .next()
                        .unwrap_or_default()
                        .contains(char::is_whitespace)
                        && !rest[..close].contains('\n') =>
                {
                    let inner = &rest[1..close];
                    out.push(' ');
                    out.push_str(reference_text(inner));
                    out.push(' ');
                    rest = &rest[close + 1..];
                }
                _ => {
                    out.push('<');
                    rest = &rest[1..];
                }
            }
        } else {
            let (decoded, len) = decode_entity(rest);
            out.push(decoded);
            rest = &rest[len..];
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The visible text of one `<...>` reference.
fn reference_text(inner: &str) -> &str {
    let (target, label) = match inner.split_once('|') {
        Some((t, l)) => (t, Some(l)),
        None => (inner, None),
    };
    if target.starts_with('@') || target.starts_with('!') {
        return "";
    }
    match label {
        Some(l) if !l.is_empty() => l,
        _ if target.starts_with('#') => "",
        _ => target,
    }
}

fn decode_entity(s: &str) -> (char, usize) {
    for (entity, ch) in [
        ("&amp;", '&'),
        ("&lt;", '<'),
        ("&gt;", '>'),
        ("&quot;", '"'),
    ] {
        if s.starts_with(entity) {
            return (ch, entity.len());
        }
    }
    ('&', 1)
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

/// Blanks Slack strikethrough (`~the whole scorer~`): struck words are taken
/// back by their writer. Byte offsets are kept.
pub(crate) fn strike_out(text: Cow<'_, str>) -> Cow<'_, str> {
    if !text.contains('~') {
        return text;
    }
    let bytes = text.as_bytes();
    let mut spans = Vec::new();
    let mut open: Option<usize> = None;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'\n' => open = None,
            b'~' => match open {
                Some(start) if i > start + 1 && !bytes[i - 1].is_ascii_whitespace() => {
                    spans.push((start, i + 1));
                    open = None;
                }
                _ if bytes
                    .get(i + 1)
                    .is_some_and(|n| !n.is_ascii_whitespace() && *n != b'~') =>
                {
                    open = Some(i);
                }
                _ => {}
            },
            _ => {}
        }
    }
    blank_ranges(text, &spans)
}

/// Replaces each byte range (in order, not overlapping, on character
/// boundaries) with as many spaces as it has bytes, so every offset into the
/// text still points at the same place. Returns the text as it came when
/// there is nothing to blank.
pub(crate) fn blank_ranges<'a>(text: Cow<'a, str>, ranges: &[(usize, usize)]) -> Cow<'a, str> {
    if ranges.is_empty() {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for &(start, end) in ranges {
        out.push_str(&text[from..start]);
        out.extend(std::iter::repeat_n(' ', end - start));
        from = end;
    }
    out.push_str(&text[from..]);
    Cow::Owned(out)
}

/// Splits cleaned text into words and punctuation tokens.
///
/// Underscores, hyphens and slashes separate words (`max_depth` is "max depth"),
/// a full stop only ends a sentence when followed by a space (so `train.py` and
/// `1.7` do not; `1.7` stays one word), and "n't" becomes a separate "not".
/// A hyphen with a space on each side inside a line is a dash (a comma
/// token), and an equals sign between phrases of words ("mocks pass =
/// pipeline works") reads as "means".
pub(crate) fn tokenize(text: &str) -> Vec<RawToken<'_>> {
    let mut tokens: Vec<RawToken<'_>> = Vec::with_capacity(text.len() / 5 + 1);
    let bytes = text.as_bytes();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if is_word_char(c) {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                if is_word_char(d) {
                    end = j + d.len_utf8();
                    chars.next();
                } else if d == '.'
                    && bytes[j - 1].is_ascii_digit()
                    && bytes.get(j + 1).is_some_and(u8::is_ascii_digit)
                {
                    // "1.17" and "0.3" are one number, not two.
                    end = j + 2;
                    chars.next();
                    chars.next();
                } else if is_apostrophe(d) {
                    // Keep an apostrophe only when a letter follows it ("didn't").
                    let after = j + d.len_utf8();
                    match text[after..].chars().next() {
                        Some(n) if n.is_alphabetic() => {
                            end = after;
                            chars.next();
                        }
                        _ => break,
                    }
                } else {
                    break;
                }
            }
            // "re-training", "re-run": the prefix belongs to its verb, so it
            // reads as "retraining" rather than "re" and "training".
            let prefix = tokens
                .last()
                .filter(|t| {
                    t.kind == TokenKind::Word
                        && t.word == "re"
                        && t.end + 1 == i
                        && bytes[t.end] == b'-'
                })
                .map(|t| t.start);
            let before = tokens.len();
            push_word(&mut tokens, &text[i..end], i, end);
            if let Some(from) = prefix
                && tokens.len() == before + 1
                && let Some(verb) = tokens.pop()
            {
                tokens.pop();
                tokens.push(word_token(
                    Cow::Owned(format!("re{}", verb.word)),
                    from,
                    verb.end,
                ));
            }
            continue;
        }
        // "xgboost → lightgbm", "6 -> 10": an arrow reads as "to".
        let arrow = match c {
            '\u{2192}' | '\u{21d2}' => Some(c.len_utf8()),
            '-' | '=' if bytes.get(i + 1) == Some(&b'>') => Some(2),
            _ => None,
        };
        if let Some(len) = arrow {
            if len == 2 {
                chars.next();
            }
            // "v7 → prd", "rc3 -> stg": after a version tag the arrow moves
            // that version somewhere, as "moved to" says it.
            let moved = tokens
                .last()
                .is_some_and(|t| t.kind == TokenKind::Word && version_tag(&t.word));
            let word = if moved { "moved" } else { "to" };
            tokens.push(word_token(Cow::Borrowed(word), i, i + len));
            continue;
        }
        // "mocks pass = pipeline works": an equals sign between phrases of
        // words (two on each side) equates them, as "means" does; a setting
        // ("lr = 3e-4", "optimizer = adam") keeps it a sign.
        if c == '='
            && i > 0
            && bytes[i - 1] == b' '
            && bytes.get(i + 1) == Some(&b' ')
            && tokens.len() >= 2
            && tokens[tokens.len() - 2..]
                .iter()
                .all(|t| t.kind == TokenKind::Word)
            && text[i + 1..]
                .split_whitespace()
                .take(2)
                .filter(|w| {
                    let w = w.trim_end_matches(|c: char| !c.is_alphanumeric());
                    !w.is_empty() && w.chars().all(char::is_alphabetic)
                })
                .count()
                == 2
        {
            tokens.push(word_token(Cow::Borrowed("means"), i, i + 1));
            continue;
        }
        // "fraud features + the LTV model read it": a plus with a space on
        // each side, between words, joins them as "and" does.
        if c == '+'
            && i > 0
            && bytes[i - 1] == b' '
            && bytes.get(i + 1) == Some(&b' ')
            && tokens.last().is_some_and(|t| t.kind == TokenKind::Word)
        {
            tokens.push(word_token(Cow::Borrowed("and"), i, i + 1));
            continue;
        }
        let kind = match c {
            ',' | '(' | ')' | '\u{2013}' | '\u{2014}' => Some(TokenKind::Comma),
            // "from 2 to 4 - the endpoint doesn't care": a hyphen with a
            // space on each side, inside a line, is a dash as "—" is (a
            // bullet opens its line: the token before it is a break).
            '-' if i > 0
                && bytes[i - 1] == b' '
                && bytes.get(i + 1) == Some(&b' ')
                && tokens.last().is_some_and(|t| t.kind != TokenKind::Break) =>
            {
                Some(TokenKind::Comma)
            }
            '!' | '?' | ';' | '\n' => Some(TokenKind::Break),
            // "sorry if obvious 🙈 whats the difference ...?": a pictograph
            // closes what came before it, as its Slack code (":see_no_evil:")
            // does with the colon and space after it. Glyphs that stand for
            // a word were named before this point.
            c if is_pictograph(c) => Some(TokenKind::Break),
            '.' | ':' => {
                let next = bytes.get(i + 1).copied();
                match next {
                    None | Some(b' ' | b'\n' | b'\t' | b'\r') => Some(TokenKind::Break),
                    _ => None,
                }
            }
            _ => None,
        };
        if let Some(kind) = kind {
            // Runs of punctuation ("?!", "...") collapse into one token.
            if tokens.last().is_some_and(|t: &RawToken<'_>| t.kind == kind) {
                continue;
            }
            tokens.push(RawToken {
                kind,
                word: Cow::Borrowed(""),
                start: i,
                end: i + c.len_utf8(),
            });
        }
    }
    tokens
}

/// Emoji and pictographic symbols (the blocks Slack's picker draws from).
fn is_pictograph(c: char) -> bool {
    matches!(c, '\u{1F300}'..='\u{1FAFF}' | '\u{2600}'..='\u{2797}')
}

fn push_word<'a>(tokens: &mut Vec<RawToken<'a>>, raw: &'a str, start: usize, end: usize) {
    let lower = lowercase(raw);
    let lower = match lower {
        Cow::Borrowed(s) if s.contains(is_apostrophe) => Cow::Owned(s.to_owned()),
        other => other,
    };
    if let Cow::Owned(s) = &lower
        && s.contains(is_apostrophe)
    {
        let s = s.replace('\u{2019}', "'");
        if let Some(stem) = s.strip_suffix("n't") {
            tokens.push(word_token(Cow::Owned(stem.to_owned()), start, end));
            tokens.push(word_token(Cow::Borrowed("not"), start, end));
            return;
        }
        let s = s.strip_suffix("'s").unwrap_or(&s).replace('\'', "");
        tokens.push(word_token(Cow::Owned(s), start, end));
        return;
    }
    tokens.push(word_token(lower, start, end));
}

/// "v7", "V2.1", "rc3": a tag that names one version of a model or release
/// (a bare number may be a share or a count: "5%", "3 days").
pub(crate) fn version_tag(word: &str) -> bool {
    let rest = word
        .strip_prefix(['v', 'V'])
        .or_else(|| word.strip_prefix("rc"))
        .or_else(|| word.strip_prefix("RC"))
        .unwrap_or("");
    rest.starts_with(|c: char| c.is_ascii_digit())
        && rest.chars().all(|c| c.is_ascii_digit() || c == '.')
}

fn word_token(word: Cow<'_, str>, start: usize, end: usize) -> RawToken<'_> {
    RawToken {
        kind: TokenKind::Word,
        word,
        start,
        end,
    }
}

fn lowercase(s: &str) -> Cow<'_, str> {
    let upper = if s.is_ascii() {
        s.bytes().any(|b| b.is_ascii_uppercase())
    } else {
        s.chars().any(char::is_uppercase)
    };
    if upper {
        Cow::Owned(s.to_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// A light suffix stripper for English inflections.
///
/// Only ASCII words longer than three letters are touched; everything else is
/// returned unchanged. Most words are only shortened, which borrows; only the
/// "-ies"/"-ied" to "-y" rewrite allocates.
pub(crate) fn stem(word: &str) -> Cow<'_, str> {
    // "staging", "packaging" and "serving" name things of their own in ML
    // work; stemmed, they would collide with "stage", "package" and "serves"
    // ("requirements", a dependency file, with "required"; "production", the
    // prod stage, with "product", a catalogue's item or a team).
    if word.len() <= 3
        || !word.is_ascii()
        || matches!(
            word,
            "staging" | "packaging" | "serving" | "requirements" | "production"
        )
    {
        return Cow::Borrowed(word);
    }
    // Plurals and third person.
    let (mut s, mut y) = if let Some(base) = word.strip_suffix("ies").filter(|b| b.len() >= 2) {
        (base, true)
    } else if word.ends_with("sses") {
        (&word[..word.len() - 2], false)
    } else if word.ends_with('s')
        && !word.ends_with("ss")
        && !word.ends_with("us")
        && !word.ends_with("is")
    {
        (&word[..word.len() - 1], false)
    } else {
        (word, false)
    };
    // Verb and noun endings; `stripped` allows undoubling "shipped" -> "ship".
    let mut stripped = false;
    if y {
        // "dependencies" -> "dependency": nothing more to strip.
    } else if let Some(base) = s.strip_suffix("ied").filter(|b| b.len() >= 2) {
        s = base;
        y = true;
    } else if let Some(base) = s.strip_suffix("ing").filter(|b| b.len() >= 3) {
        s = base;
        stripped = true;
    } else if let Some(base) = s
        .strip_suffix("ed")
        .filter(|b| b.len() >= 3 && !b.ends_with('e'))
    {
        s = base;
        stripped = true;
    }
    // Noun endings, also under a verb ending ("transitioning" -> "transition" -> "transit").
    if y {
    } else if let Some(base) = s.strip_suffix("ion").filter(|b| b.len() >= 4) {
        s = base;
        stripped = false;
    } else if let Some(base) = s
        .strip_suffix("ment")
        // A shipment is freight, not a release.
        .filter(|b| b.len() >= 4 && *b != "ship")
    {
        s = base;
        stripped = false;
    }
    if y {
        return Cow::Owned(format!("{s}y"));
    }
    if s.len() >= 4 && s.ends_with('e') && !s.ends_with("ee") {
        s = &s[..s.len() - 1];
    }
    if stripped {
        let b = s.as_bytes();
        let n = b.len();
        if n >= 4 && b[n - 1] == b[n - 2] && !matches!(b[n - 1], b'l' | b's' | b'z' | b'e' | b'o') {
            s = &s[..n - 1];
        }
    }
    // "note", "notes", "noted" must not become the negation "not".
    if s == "not" {
        return Cow::Borrowed("note");
    }
    Cow::Borrowed(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        tokenize(text)
            .into_iter()
            .map(|t| match t.kind {
                TokenKind::Word => stem(&t.word).into_owned(),
                TokenKind::Comma => ",".to_owned(),
                TokenKind::Break => ".".to_owned(),
            })
            .collect()
    }

    #[test]
    fn a_spaced_plus_between_words_joins_them_as_and() {
        for (text, reads_as) in [
            (
                "fraud features + the LTV model read it",
                "fraud features and the LTV model read it",
            ),
            ("bumped lr + retrained", "bumped lr and retrained"),
            // Not spaced on both sides, or with no word before it: no joiner.
            ("C++ and U+I", "C and U I"),
            ("+ retrained", "retrained"),
        ] {
            assert_eq!(words(text), words(reads_as), "{text}");
        }
    }

    #[test]
    fn an_arrow_after_a_version_moves_it() {
        assert_eq!(words("v7 → prd"), ["v7", "mov", "prd"]);
        assert_eq!(words("rc3 -> stg"), ["rc3", "mov", "stg"]);
        assert_eq!(words("xgboost → lightgbm"), ["xgboost", "to", "lightgbm"]);
        assert_eq!(words("6 -> 10"), ["6", "to", "10"]);
    }

    #[test]
    fn a_re_prefix_joins_its_verb() {
        let raw: Vec<String> = tokenize("re-training and re-run, not re - run")
            .into_iter()
            .map(|t| t.word.into_owned())
            .collect();
        // The spaced hyphen is a dash (a comma token), so "re - run" stays
        // two words.
        assert_eq!(
            raw,
            ["retraining", "and", "rerun", "", "not", "re", "", "run"]
        );
    }

    #[test]
    fn a_spaced_hyphen_inside_a_line_is_a_dash_and_a_bullet_is_not() {
        let kinds =
            |text: &str| -> Vec<TokenKind> { tokenize(text).into_iter().map(|t| t.kind).collect() };
        assert_eq!(
            kinds("from 2 to 4 - fine"),
            kinds("from 2 to 4, fine"),
            "a dash inside a line"
        );
        assert!(!kinds("- item\n  - other").contains(&TokenKind::Comma));
    }

    #[test]
    fn inflections_share_a_stem() {
        for group in [
            ["change", "changed", "changes", "changing"],
            ["promote", "promoted", "promotes", "promoting"],
            ["test", "tested", "tests", "testing"],
            ["ship", "shipped", "ships", "shipping"],
            ["validate", "validated", "validates", "validating"],
            ["feature", "features", "feature", "features"],
            ["tune", "tuned", "tunes", "tuning"],
            ["modify", "modified", "modifies", "modifying"],
        ] {
            let stems: Vec<_> = group.iter().map(|w| stem(w)).collect();
            assert!(
                stems.windows(2).all(|w| w[0] == w[1]),
                "{group:?} -> {stems:?}"
            );
        }
        assert_eq!(stem("promotion"), stem("promote"));
        assert_eq!(stem("transitioning"), stem("transition"));
        assert_eq!(stem("versioning"), stem("version"));
        assert_eq!(stem("integration"), stem("integrate"));
        assert_eq!(stem("deployment"), stem("deploy"));
        assert_ne!(stem("shipments"), stem("ship"));
        // A product (a catalogue's item, a team) is not the prod stage.
        assert_ne!(stem("production"), stem("product"));
        assert_eq!(stem("products"), stem("product"));
        assert_eq!(stem("notes"), "note");
        assert_eq!(stem("noted"), "note");
        assert_ne!(stem("note"), "not");
        assert_eq!(stem("passed"), stem("pass"));
    }

    #[test]
    fn slack_markup_is_reduced_to_words() {
        let cleaned = clean_markup(
            "<@U024BE7LH> see <#C123|ml-review> and <https://x.io/a|the PR> &amp; <!here> *bold* `code`",
        );
        assert_eq!(
            cleaned.split_whitespace().collect::<Vec<_>>(),
            [
                "see",
                "ml-review",
                "and",
                "the",
                "PR",
                "&",
                "*bold*",
                "`code`"
            ]
        );
        assert_eq!(clean_markup("<#C987654321|>").trim(), "");
        assert_eq!(
            clean_markup("<https://github.com/o/r/blob/main/train.py>").trim(),
            "https://github.com/o/r/blob/main/train.py"
        );
        assert_eq!(clean_markup("a < b and c > d"), "a < b and c > d");
    }

    #[test]
    fn an_emoji_glyph_reads_as_its_slack_name() {
        let cleaned = clean_markup("ETA model \u{2192} \u{1F6A2} today? \u{2705}");
        assert_eq!(
            cleaned.split_whitespace().collect::<Vec<_>>(),
            ["ETA", "model", "\u{2192}", "ship", "today?", "\u{2705}"]
        );
        assert!(matches!(clean_markup("plain text"), Cow::Borrowed(_)));
    }

    #[test]
    fn punctuation_splits_clauses_but_not_file_names() {
        assert_eq!(
            words("We didn't change max_depth, only train.py. Done!"),
            [
                "we", "did", "not", "chang", "max", "depth", ",", "only", "train", "py", ".",
                "don", "."
            ]
        );
    }

    #[test]
    fn struck_words_are_blanked_in_place() {
        let text = "~the whole scorer~ just `apply_floor()`, ~~ and a~b";
        let out = strike_out(Cow::Borrowed(text));
        assert_eq!(out.len(), text.len());
        assert!(!out.contains("scorer"));
        assert!(out.contains("just `apply_floor()`, ~~ and a~b"));
    }

    #[test]
    fn spans_point_into_the_cleaned_text() {
        let text = "Learning-Rate bumped";
        let toks = tokenize(text);
        assert_eq!(&text[toks[0].start..toks[0].end], "Learning");
        assert_eq!(toks[0].word, "learning");
        assert_eq!(&text[toks[2].start..toks[2].end], "bumped");
    }

    #[test]
    fn curly_apostrophes_and_possessives() {
        assert_eq!(
            words("model\u{2019}s doesn\u{2019}t"),
            ["model", "doe", "not"]
        );
    }
}
