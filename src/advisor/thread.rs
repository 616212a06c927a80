//! Thread transcripts: "alice: ...\nbob: ...". In a thread the latest word
//! wins: a message that opens with a correction ("no, ...", "wait", "actually",
//! "scratch that") replaces what came before it, so everything before the last
//! such message is blanked (byte offsets kept) before the thread is read. An
//! answer is read with its question: a denial takes the question back, a
//! bare "yes" confirms it.

use std::borrow::Cow;

use super::lexicon::class;

/// The byte offset where a line's message starts after a speaker prefix
/// ("alice: ", "*bob*: ", "<@U123>: " once cleaned), if it has one.
fn speaker_prefix(line: &str) -> Option<usize> {
    // "[09:14] ci-bot: ..." or "[9:14 AM] ana: ..." as Slack copies a
    // thread with its times.
    let stamp = line
        .strip_prefix('[')
        .and_then(|rest| rest.find(']'))
        .filter(|&end| {
            let time = line[1..end + 1].trim_end_matches(|c: char| {
                matches!(c, 'a' | 'A' | 'p' | 'P' | 'm' | 'M' | '.' | ' ')
            });
            time.bytes().any(|b| b.is_ascii_digit())
                && time.bytes().all(|b| b.is_ascii_digit() || b == b':')
        })
        .map_or(0, |end| end + 2);
    let colon = stamp + line[stamp..].find(':')?;
    let name = line[stamp..colon].trim().trim_matches(['*', '_', '@']);
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

/// One message of a transcript: where its line starts, where its words
/// start, where it ends, and who said it.
struct Message<'t> {
    start: usize,
    body: usize,
    end: usize,
    speaker: &'t str,
}

/// Takes back what corrections take back, in a transcript of at least two
/// speaker lines; blanked text keeps its byte offsets. A message whose first
/// few words hold a cue from `cues` corrects the message before it (a
/// statement it contradicts, or a question it answers "no" to); when its
/// cue is one of `strong` ("wait", "actually", "scratch that"), it also takes
/// back what its own speaker said earlier ("no wait, I reverted the bump").
pub(crate) fn latest_word<'a>(
    text: Cow<'a, str>,
    corrections: &[String],
    concessions: &[String],
    postponements: &[String],
    class_of: &dyn Fn(&str) -> u32,
) -> Cow<'a, str> {
    let negates = |w: &str| class_of(w) & (class::NEG_CLAUSE | class::NEG_FORWARD) != 0;
    let asks = |w: &str| class_of(w) & class::ASK != 0;
    let contrasts = |w: &str| class_of(w) & class::CONTRAST != 0;
    let mut messages: Vec<Message<'_>> = Vec::new();
    let mut offset = 0;
    for line in text.split('\n') {
        if let Some(at) = speaker_prefix(line) {
            messages.push(Message {
                start: offset,
                body: offset + at,
                end: offset + line.len(),
                speaker: line[..at - 1]
                    .rsplit(']')
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .trim_matches(['*', '_', '@']),
            });
        } else if let Some(last) = messages.last_mut() {
            last.end = offset + line.len();
        }
        offset += line.len() + 1;
    }
    if messages.len() < 2 {
        return text;
    }
    // The cues in a message's first words; empty when it corrects nothing.
    let opening = |body: &str| -> Vec<&String> {
        let head: Vec<String> = body
            .split(|c: char| !c.is_alphanumeric() && c != '\'')
            .filter(|w| !w.is_empty())
            .take(5)
            .map(str::to_lowercase)
            .collect();
        corrections
            .iter()
            .chain(concessions)
            .chain(postponements)
            .filter(|cue| says(&head, cue))
            .collect()
    };
    let mut taken_back = vec![false; messages.len()];
    // Messages that answer the question before them and neither deny nor
    // correct it.
    let mut confirmed = vec![false; messages.len()];
    // Messages that take back the one before them.
    let mut corrects = vec![false; messages.len()];
    // Per speaker: the messages they sent so far, and how many of those are
    // already taken back.
    let mut by_speaker: std::collections::HashMap<&str, (Vec<usize>, usize)> =
        std::collections::HashMap::new();
    if let Some(first) = messages.first() {
        by_speaker.entry(first.speaker).or_default().0.push(0);
    }
    for k in 1..messages.len() {
        let m = &messages[k];
        let body = &text[m.body..m.end];
        let mut found = opening(body);
        // "wait, does the online service use it too?" asks; it takes
        // nothing back. "no" still answers a question with one ("shall we
        // promote v9?" / "no, staging first?"), but after a statement "no
        // code changes?" asks for a confirmation and contradicts nothing.
        let before = &messages[k - 1];
        let answers_a_question = text[before.body..before.end].trim_end().ends_with('?');
        // An answer from someone else that opens by denying ("untouched",
        // "none, just tests", "not me") denies what the question asked: the
        // question is taken back and the answer withdraws nothing else.
        if answers_a_question
            && before.speaker != m.speaker
            && !body.trim_end().ends_with('?')
            && found
                .iter()
                .all(|c| matches!(c.as_str(), "no" | "nope" | "nah"))
            && body
                .split(|c: char| !c.is_alphanumeric() && c != '\'')
                .find(|w| !w.is_empty())
                .is_some_and(|w| negates(&w.to_lowercase()))
        {
            taken_back[k - 1] = true;
            corrects[k] = true;
            by_speaker.entry(m.speaker).or_default().0.push(k);
            continue;
        }
        if body.trim_end().ends_with('?')
            && (!answers_a_question
                || found
                    .iter()
                    .all(|c| !matches!(c.as_str(), "no" | "nope" | "nah")))
        {
            found.clear();
        }
        if found.is_empty() {
            // Only a bare answer ("yep", "yes, same PR") confirms: one that
            // says more carries its own words, and the question stays the
            // context it answers.
            confirmed[k] = answers_a_question
                && body
                    .split(|c: char| !c.is_alphanumeric() && c != '\'')
                    .filter(|w| !w.is_empty())
                    .count()
                    <= 3;
            by_speaker.entry(m.speaker).or_default().0.push(k);
            continue;
        }
        // "fair", "good point": conceding an objection withdraws one's own
        // earlier words; the objection itself still stands.
        let concedes = found.iter().all(|c| concessions.contains(c));
        if !concedes {
            taken_back[k - 1] = true;
            corrects[k] = true;
        }
        // "no" and its kin only answer; the others also withdraw. "not
        // yet" in reply to "did you bump it in serving too?" puts off what
        // was asked, not what its speaker said before.
        let answer_only = found.iter().all(|c| {
            matches!(c.as_str(), "no" | "nope" | "nah")
                || (answers_a_question && postponements.contains(c))
        });
        if !answer_only {
            // Each speaker's earlier messages, taken back once: a long
            // thread of corrections stays linear.
            let said = by_speaker.entry(m.speaker).or_default();
            for &j in &said.0[said.1..] {
                taken_back[j] = true;
            }
            said.1 = said.0.len();
        }
        by_speaker.entry(m.speaker).or_default().0.push(k);
    }
    // What is blanked: whole messages taken back and, in the messages that
    // stand, each clause that puts something off ("the rollout is
    // cancelled", "canary postponed to next month": it names what will not
    // happen now), the denials of a correction, and the question word and
    // mark of a question confirmed by a bare "yes".
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    for (k, (m, &back)) in messages.iter().zip(&taken_back).enumerate() {
        if back {
            cuts.push((m.start, m.end));
        } else {
            // Most messages hold no postponement at all: one look at the
            // whole message spares reading it clause by clause.
            let lower = text[m.body..m.end].to_lowercase();
            if postponements.iter().any(|p| lower.contains(p.as_str())) {
                cuts.extend(clauses_where(&text, m.body, m.end, |w| {
                    holds(w, postponements)
                }));
            }
            // In a message that corrects, a clause that denies ("no, nobody
            // touches prod", "serving doesn't use it") is the taking back
            // itself; what stands is what the message puts in its place.
            if corrects[k] {
                // A denial that names what is left ("nothing left except
                // the CHANGELOG entry") says what stands.
                cuts.extend(clauses_where(&text, m.body, m.end, |w| {
                    w.iter()
                        .any(|w| negates(w) && !corrections.iter().any(|c| c == w))
                        && !w.iter().any(|w| contrasts(w))
                }));
            }
            // A question that someone else answers with a bare "yes" ("are you
            // promoting v8 today?" / "yep") is confirmed: it is read as said,
            // its question word and mark set aside.
            let asked = text[m.body..m.end].trim_end();
            if let Some(next) = messages.get(k + 1)
                && asked.ends_with('?')
                && !taken_back[k + 1]
                && next.speaker != m.speaker
                && !text[next.body..next.end].trim_end().ends_with('?')
                && confirmed[k + 1]
            {
                let lead = asked.len() - asked.trim_start().len();
                let first = asked
                    .trim_start()
                    .split(|c: char| !c.is_alphanumeric() && c != '\'')
                    .next()
                    .unwrap_or_default();
                if asks(&first.to_lowercase()) {
                    cuts.push((m.body + lead, m.body + lead + first.len()));
                }
                cuts.push((m.body + asked.len() - 1, m.body + asked.len()));
            }
        }
    }
    cuts.sort_unstable();
    cuts.dedup_by(|later, earlier| later.0 < earlier.1);
    if cuts.is_empty() {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for (start, end) in cuts {
        out.push_str(&text[from..start]);
        out.extend(
            text[start..end].chars().flat_map(|c| {
                std::iter::repeat_n(if c == '\n' { '\n' } else { ' ' }, c.len_utf8())
            }),
        );
        from = end;
    }
    out.push_str(&text[from..]);
    Cow::Owned(out)
}

/// The byte ranges of the clauses of `text[from..to]` whose lower-case words
/// satisfy `keep`. Clauses end at punctuation that closes a clause (`,` `;`
/// `.` `!` `?` `:` and line ends).
fn clauses_where(
    text: &str,
    from: usize,
    to: usize,
    keep: impl Fn(&[String]) -> bool,
) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = from;
    let body = &text[from..to];
    let ends = body
        .char_indices()
        .filter(|&(i, c)| {
            matches!(c, ',' | ';' | '!' | '?' | '\n')
                // "3.5" and "v1.2" keep their dot; "prod: ..." is a clause.
                || (matches!(c, '.' | ':')
                    && !body[i + 1..].starts_with(|n: char| n.is_alphanumeric()))
        })
        .map(|(i, _)| from + i)
        .chain(std::iter::once(to));
    for end in ends {
        let words: Vec<String> = text[start..end]
            .split(|c: char| !c.is_alphanumeric() && c != '\'')
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        if keep(&words) {
            out.push((start, end));
        }
        start = (end + 1).min(to);
    }
    out
}

/// Whether `words` hold one of `cues` as words of their own.
fn holds(words: &[String], cues: &[String]) -> bool {
    cues.iter().any(|cue| says(words, cue))
}

/// Whether `words` hold `cue` ("wait", "scratch that") as consecutive words.
/// A long transcript has hundreds of messages and every cue is tried on each,
/// so a try allocates nothing, and a one-word cue (most of them) is a plain
/// comparison per word.
fn says(words: &[String], cue: &str) -> bool {
    if !cue.contains(' ') {
        return words.iter().any(|w| w == cue);
    }
    let n = cue.split(' ').count();
    words.windows(n).any(|w| spells(w, cue))
}

/// Whether `words`, joined by single spaces, are exactly `cue`; compared in
/// place, word by word, so a window that differs in its first word costs one
/// comparison.
fn spells(words: &[String], cue: &str) -> bool {
    let mut rest = cue;
    for (i, word) in words.iter().enumerate() {
        if i > 0 {
            match rest.strip_prefix(' ') {
                Some(r) => rest = r,
                None => return false,
            }
        }
        match rest.strip_prefix(word.as_str()) {
            Some(r) => rest = r,
            None => return false,
        }
    }
    rest.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cues() -> Vec<String> {
        ["no", "wait", "actually", "scratch that"]
            .map(String::from)
            .to_vec()
    }

    fn concessions() -> Vec<String> {
        vec!["fair".to_owned()]
    }

    #[test]
    fn a_cue_of_several_words_is_found_only_as_those_words_in_a_row() {
        let words = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
        assert!(says(&words("ok scratch that one"), "scratch that"));
        assert!(says(&words("scratch that"), "scratch that"));
        assert!(!says(&words("scratch thatch"), "scratch that"));
        assert!(!says(&words("scratchthat"), "scratch that"));
        assert!(!says(&words("that scratch"), "scratch that"));
        assert!(!says(&words("scratch"), "scratch that"));
        assert!(says(&words("no wait really"), "wait"));
    }

    fn postponements() -> Vec<String> {
        vec![
            "not yet".to_owned(),
            "postponed".to_owned(),
            "cancelled".to_owned(),
        ]
    }

    /// What the thread reader keeps of `text`, with the cues above.
    fn latest(text: &str) -> String {
        latest_word(
            Cow::Borrowed(text),
            &cues(),
            &concessions(),
            &postponements(),
            &|w: &str| match w {
                "untouched" | "none" | "not" | "nothing" | "nobody" => class::NEG_FORWARD,
                "are" | "is" | "which" => class::ASK,
                "only" | "just" | "except" => class::CONTRAST,
                _ => 0,
            },
        )
        .into_owned()
    }

    #[test]
    fn a_cue_is_found_only_as_words_of_its_own() {
        let words = [
            "no".to_owned(),
            "wait".to_owned(),
            "scratch".to_owned(),
            "that".to_owned(),
        ];
        assert!(says(&words, "wait"));
        assert!(says(&words, "scratch that"));
        assert!(!says(&words, "wai"));
        assert!(!says(&words, "wait scratch that no"));
        assert!(!says(&words, ""));
        assert!(!says(&["nowait".to_owned()], "wait"));
    }

    #[test]
    fn a_correction_replaces_the_messages_before_it() {
        let text = "alice: promoting v14 to prod today\nbob: wait, no, nobody touches prod. only the lr change\nalice: ok";
        let out = latest(text);
        assert_eq!(out.len(), text.len());
        assert!(!out.contains("promoting"));
        assert!(out.contains("only the lr change"));
        assert!(out.contains("alice: ok"));
        assert!(!out.contains("wait, no") || out.contains("only the lr change"));
    }

    #[test]
    fn a_thread_copied_with_its_times_is_a_transcript() {
        let text = "[09:14] ana: bumped lr to 3e-4\n[09:20] bob: which model?\n[09:41] ana: actually scratch that, only the docs";
        let out = latest(text);
        assert!(!out.contains("bumped"), "{out}");
        assert!(out.contains("only the docs"));
        let clock =
            "[9:14 AM] ana: bumped lr to 3e-4\n[9:41 AM] ana: actually scratch that, only the docs";
        assert!(!latest(clock).contains("bumped"));
    }

    #[test]
    fn no_correction_or_no_transcript_leaves_the_text_alone() {
        let plain = "no, we did not change the schema";
        assert_eq!(latest(plain), plain);
        let agree = "a: bumped lr\nb: looks good";
        assert_eq!(latest(agree), agree);
        let urls = "see https://x.io/a\nand https://x.io/b";
        assert_eq!(latest(urls), urls);
    }

    #[test]
    fn a_question_that_opens_with_wait_takes_nothing_back() {
        let text = "ana: merging the tokenizer change today\nbo: wait, does the online service use it too?\nana: yes, both use it";
        assert_eq!(latest(text), text);
        let answered = "ana: shall we promote v9?\nbo: no, staging first?";
        assert!(!latest(answered).contains("promote"));
    }

    #[test]
    fn a_question_that_opens_with_no_confirms_a_statement() {
        let text = "kai: the PR adds tests for `dedupe_events()`, nothing else\nlou: no code changes?\nkai: none, just tests";
        let out = latest(text);
        // The statement stands; "none" answers the question (and so denies
        // what it asked, which was a denial already).
        assert!(out.contains("the PR adds tests"), "{out}");
        assert!(out.contains("just tests"), "{out}");
    }

    #[test]
    fn putting_off_what_was_asked_keeps_what_was_said() {
        let text = "lee: I bumped lightgbm to 4.3 in the training env\nkim: did you bump it in the serving image too?\nlee: not yet, serving is still on 3.3";
        let out = latest(text);
        assert!(out.contains("bumped lightgbm"), "{out}");
        assert!(!out.contains("serving image too"), "{out}");
        let plan = "dev: deploying to prod at 3\nops: there's a freeze until monday\ndev: ok, postponed. only the docstrings today";
        let out = latest(plan);
        assert!(!out.contains("deploying"), "{out}");
    }

    #[test]
    fn a_concession_withdraws_its_own_words_and_keeps_the_objection() {
        let text = "fer: skipping staging for the new feature\ngus: it lands in the table two models train on\nfer: fair. running the feature job on the test target first";
        let out = latest(text);
        assert!(!out.contains("skipping staging"), "{out}");
        assert!(out.contains("two models train on"), "{out}");
    }

    #[test]
    fn an_answer_that_opens_by_denying_takes_back_the_question() {
        let text = "pm: did the label encoder change?\nmle: no, only a docstring\npm: and the model?\nmle: untouched";
        let out = latest(text);
        assert_eq!(out.len(), text.len());
        assert!(!out.contains("label encoder"), "{out}");
        assert!(!out.contains("the model?"), "{out}");
        assert!(out.contains("only a docstring"), "{out}");
        // A denial that is its speaker's own earlier question is no answer.
        let own = "kai: any schema change?\nkai: none that I know of";
        assert_eq!(latest(own), own);
    }

    #[test]
    fn a_bare_yes_confirms_the_question_it_answers() {
        let text = "ana: are you promoting v8 to prod today?\nbo: yep";
        let out = latest(text);
        assert_eq!(out.len(), text.len());
        assert!(
            out.starts_with("ana:     you promoting v8 to prod today "),
            "{out}"
        );
        // An answer with words of its own leaves the question as it is.
        let said = "ana: is it read downstream?\nbo: yes, by the online scorer";
        assert_eq!(latest(said), said);
    }

    #[test]
    fn a_clause_that_denies_in_a_correction_is_the_taking_back() {
        let text =
            "ana: promoting v14 to prod today\nbo: no, nobody touches prod. only the docstring fix";
        let out = latest(text);
        assert_eq!(out.len(), text.len());
        assert!(!out.contains("nobody touches prod"), "{out}");
        assert!(out.contains("only the docstring fix"), "{out}");
        // A denial that names what is left says what stands.
        let left =
            "mia: pinning protobuf in serving\nmia: actually nothing left except the changelog";
        assert!(latest(left).contains("nothing left except the changelog"));
    }

    #[test]
    fn a_clause_that_puts_something_off_is_set_aside() {
        let text = "mle: canary on 5% of prod tomorrow\nmle: update: canary postponed to next month, tomorrow is only the `round_price()` fix";
        let out = latest(text);
        assert_eq!(out.len(), text.len());
        assert!(!out.contains("canary"), "{out}");
        assert!(out.contains("only the `round_price()` fix"), "{out}");
        // Version numbers keep their dot inside a clause.
        let versions =
            "a: bumping torch 2.1 to 2.3\nb: and the promotion?\na: postponed. torch 2.3 only";
        let out = latest(versions);
        assert!(out.contains("torch 2.3 only"), "{out}");
    }

    #[test]
    fn multibyte_text_before_the_cut_keeps_offsets() {
        let text = "ana: déploiement en prod 🚀\nbo: actually just the docs";
        let out = latest(text);
        assert_eq!(out.len(), text.len());
        assert!(out.ends_with("bo: actually just the docs"));
    }
}
