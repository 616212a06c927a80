//! Thread transcripts: "alice: ...\nbob: ...". In a thread the latest word
//! wins: a message that opens with a correction ("no, ...", "wait", "actually",
//! "scratch that") replaces what came before it, so everything before the last
//! such message is blanked (byte offsets kept) before the thread is read.

use std::borrow::Cow;

/// The byte offset where a line's message starts after a speaker prefix
/// ("alice: ", "*bob*: ", "<@U123>: " once cleaned), if it has one.
fn speaker_prefix(line: &str) -> Option<usize> {
    let colon = line.find(':')?;
    let name = line[..colon].trim().trim_matches(['*', '_', '@']);
    let is_name = !name.is_empty()
        && name.len() <= 24
        && name.split_whitespace().count() <= 2
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '.' | '-' | '_'));
    // "https://..." and "10:30" are not speakers.
    let after = line[colon + 1..].chars().next();
    (is_name && after.is_none_or(char::is_whitespace)).then_some(colon + 1)
}

/// Blanks every message before the last correction in a transcript of at
/// least two speaker lines. `cues` are lower-case words or phrases that open
/// a correction; they must appear within the first few words of a message.
pub(crate) fn latest_word<'a>(text: Cow<'a, str>, cues: &[String]) -> Cow<'a, str> {
    let mut offset = 0;
    let mut messages = Vec::new();
    for line in text.split('\n') {
        if let Some(at) = speaker_prefix(line) {
            messages.push((offset, offset + at));
        }
        offset += line.len() + 1;
    }
    if messages.len() < 2 {
        return text;
    }
    let corrects = |body: &str| {
        let head: String = body
            .split_whitespace()
            .take(5)
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        let words: Vec<&str> = head
            .split(|c: char| !c.is_alphanumeric() && c != '\'')
            .filter(|w| !w.is_empty())
            .collect();
        let joined = format!(" {} ", words.join(" "));
        cues.iter().any(|cue| joined.contains(&format!(" {cue} ")))
    };
    let cut = messages
        .iter()
        .skip(1)
        .filter(|&&(_, body)| {
            let end = text[body..].find('\n').map_or(text.len(), |e| body + e);
            corrects(&text[body..end])
        })
        .map(|&(line_start, _)| line_start)
        .next_back();
    let Some(cut) = cut else {
        return text;
    };
    // Keep byte offsets: a multi-byte character blanks to as many spaces.
    let blanked: String = text[..cut]
        .char_indices()
        .flat_map(|(_, c)| {
            let fill = if c == '\n' { '\n' } else { ' ' };
            std::iter::repeat_n(fill, c.len_utf8())
        })
        .collect();
    let mut out = blanked;
    out.push_str(&text[cut..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cues() -> Vec<String> {
        ["no", "wait", "actually", "scratch that"]
            .map(String::from)
            .to_vec()
    }

    #[test]
    fn a_correction_replaces_the_messages_before_it() {
        let text = "alice: promoting v14 to prod today\nbob: wait, no, nobody touches prod. only the lr change\nalice: ok";
        let out = latest_word(Cow::Borrowed(text), &cues());
        assert_eq!(out.len(), text.len());
        assert!(!out.contains("promoting"));
        assert!(out.contains("only the lr change"));
        assert!(out.contains("alice: ok"));
    }

    #[test]
    fn no_correction_or_no_transcript_leaves_the_text_alone() {
        let plain = "no, we did not change the schema";
        assert_eq!(latest_word(Cow::Borrowed(plain), &cues()), plain);
        let agree = "a: bumped lr\nb: looks good";
        assert_eq!(latest_word(Cow::Borrowed(agree), &cues()), agree);
        let urls = "see https://x.io/a\nand https://x.io/b";
        assert_eq!(latest_word(Cow::Borrowed(urls), &cues()), urls);
    }

    #[test]
    fn multibyte_text_before_the_cut_keeps_offsets() {
        let text = "ana: déploiement en prod 🚀\nbo: actually just the docs";
        let out = latest_word(Cow::Borrowed(text), &cues());
        assert_eq!(out.len(), text.len());
        assert!(out.ends_with("bo: actually just the docs"));
    }
}
