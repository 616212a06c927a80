//! Thread transcripts: "alice: ...\nbob: ...". In a thread the latest word
//! wins: a message that opens with a correction ("no, ...", "wait", "actually",
//! "scratch that") replaces what came before it, so everything before the last
//! such message is blanked (byte offsets kept) before the thread is read. An
//! answer is read with its question: a denial takes the question back, a
//! bare "yes" confirms it.

use std::borrow::Cow;

use super::lexicon::{Cues, class};

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
    // The colon that ends the name: one followed by a space or the line's
    // end; a colon inside a clock ("ana 10:02 AM: ...") is passed over.
    let mut colon = stamp;
    loop {
        colon += line[colon..].find(':')?;
        let bytes = line.as_bytes();
        let in_clock = colon > 0
            && bytes[colon - 1].is_ascii_digit()
            && bytes.get(colon + 1).is_some_and(u8::is_ascii_digit);
        if !in_clock {
            break;
        }
        colon += 1;
    }
    let name = without_clock(&line[stamp..colon]);
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

/// The speaker's name in a line that `speaker_prefix` opened at `at`.
fn speaker_name(line: &str, at: usize) -> &str {
    without_clock(line[..at - 1].rsplit(']').next().unwrap_or_default())
}

/// A speaker's name without a clock time after it, as some tools copy a
/// thread ("ana 10:02 AM", "ana (10:02)"), and without markup around it.
fn without_clock(name: &str) -> &str {
    let name = name.trim();
    let name = match name.strip_suffix(')').and_then(|n| n.rsplit_once('(')) {
        Some((before, time)) if clock_line(time) => before,
        _ => {
            let cut = |n: &str| n.trim_end().rfind(char::is_whitespace);
            let one = cut(name).filter(|&at| clock_line(&name[at..]));
            let two = || {
                cut(name)
                    .and_then(|at| cut(&name[..at]))
                    .filter(|&at| clock_line(&name[at..]))
            };
            one.or_else(two).map_or(name, |at| &name[..at])
        }
    };
    name.trim().trim_matches(['*', '_', '@'])
}

/// Whether `line` is only a clock time, as Slack copies it under a display
/// name ("9:41 AM", "10:02", "[9:41 AM]").
fn clock_line(line: &str) -> bool {
    let time = line
        .trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .trim_end_matches(['a', 'A', 'p', 'P', 'm', 'M', '.', ' ']);
    time.split_once(':').is_some_and(|(h, m)| {
        (1..=2).contains(&h.len())
            && h.bytes().all(|b| b.is_ascii_digit())
            && m.len() == 2
            && m.bytes().all(|b| b.is_ascii_digit())
    })
}

/// `line` as a display name on a line of its own, as Slack copies a thread
/// ("Priya Shah", "CI Bot  APP"): a few words and nothing that ends a
/// sentence. It is a name only when a clock line follows it.
fn display_name(line: &str) -> Option<&str> {
    // A sentence is usually longer than any name with its decorations.
    if line.len() > 80 {
        return None;
    }
    let name = undecorated(line).0;
    // The length first: a sentence is usually longer than any name, and
    // counting its words is the costly test.
    (name.len() <= 40
        && (1..=4).contains(&name.split_whitespace().count())
        && name.starts_with(char::is_alphabetic)
        && !name.ends_with('.')
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '.' | '-' | '_' | '\'')))
    .then_some(name)
}

/// `line` without what Slack and other tools put around a display name:
/// Slack's "APP" badge, a status emoji (":palm_tree:"), pronouns
/// ("(she/her)"), "Today at" before a time, a dash before it, bold type.
/// Also whether a badge, a dash or bold type marked it as a name.
fn undecorated(line: &str) -> (&str, bool) {
    let mut name = line.trim();
    let mut marked = false;
    loop {
        let before = name.len();
        let dashed = name.trim_end_matches(['—', '–', '-', '·', '|']).trim_end();
        marked |= dashed.len() < name.len();
        name = dashed;
        for day in ["today at", "yesterday at"] {
            if name.len() > day.len()
                && name.is_char_boundary(name.len() - day.len())
                && name[name.len() - day.len()..].eq_ignore_ascii_case(day)
            {
                name = name[..name.len() - day.len()].trim_end();
            }
        }
        if let Some((rest, code)) = name.strip_suffix(':').and_then(|n| n.rsplit_once(':'))
            && !code.is_empty()
            && code
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+'))
        {
            name = rest.trim_end();
        }
        if let Some((rest, inside)) = name.strip_suffix(')').and_then(|n| n.rsplit_once('('))
            && inside.contains('/')
        {
            name = rest.trim_end();
        }
        if let Some(rest) = name.strip_suffix("APP") {
            name = rest.trim_end();
            marked = true;
        }
        if name.len() > 2 && name.starts_with('*') && name.ends_with('*') {
            name = name.trim_matches('*').trim();
            marked = true;
        }
        if name.len() == before {
            return (name, marked);
        }
    }
}

/// A header line that holds a display name and its clock time ("Priya Shah
/// 9:41 AM", "Tom Reed  [10:02]"): the name, when every word of it is
/// capitalised, as display names are and sentences are not.
fn name_and_clock(line: &str) -> Option<&str> {
    let line = line.trim();
    let cut = |rest: &str| rest.trim_end().rfind(char::is_whitespace);
    let mut name_end = cut(line)?;
    if !clock_line(&line[name_end..]) {
        // "9:41 AM": the clock is the last two words.
        name_end = cut(&line[..name_end])?;
        if !clock_line(&line[name_end..]) {
            return None;
        }
    }
    let name = display_name(&line[..name_end])?;
    // "deploy-bot  APP  4:30 PM", "**ana** 10:02", "ana — 10:02": a badge,
    // bold type or a dash before the time marks a name, whatever its case.
    let marked = undecorated(&line[..name_end]).1;
    (marked
        || name
            .split_whitespace()
            .all(|w| w.starts_with(char::is_uppercase)))
    .then_some(name)
}

/// The messages of a transcript, in order. A message opens with a speaker
/// line ("ana: ...", "[09:14] ana: ..."), with a display name over a clock
/// line or beside one (how Slack copies a thread), or with a quote ("> ...",
/// a message quoted to reply to it: the lines after the quote are the
/// reply). Any other line continues the message before it.
fn split_messages(text: &str) -> Vec<Message<'_>> {
    let mut messages: Vec<Message<'_>> = Vec::new();
    let lines: Vec<(usize, &str)> = text
        .split('\n')
        .scan(0, |offset, line| {
            let at = *offset;
            *offset += line.len() + 1;
            Some((at, line))
        })
        .collect();
    // Who writes the reply after a quote: the speaker of the message the
    // quote sits in, or the one who pasted the whole text.
    let mut quoting: Option<&str> = None;
    // Whether the messages so far were opened by display names and times,
    // and the names seen so far.
    let mut by_header = false;
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut k = 0;
    while k < lines.len() {
        let (offset, line) = lines[k];
        let next_line = |n: usize| lines.get(k + n).map_or(text.len(), |&(at, _)| at);
        // Over a clock line, a name looks like one ("Tom Reed", "priya.shah")
        // or was seen before; "nice catch" over a clock line is the last
        // line of a message, and the clock opens its speaker's next one.
        let looks_like_name = |name: &str| {
            !name.contains(' ')
                || name
                    .split_whitespace()
                    .all(|w| w.starts_with(char::is_uppercase))
                || seen.contains(name)
        };
        let header = match display_name(line) {
            Some(name)
                if lines.get(k + 1).is_some_and(|&(_, l)| clock_line(l))
                    && looks_like_name(name) =>
            {
                Some((name, 2))
            }
            _ => name_and_clock(line).map(|name| (name, 1)).or_else(|| {
                // A clock alone, after a message that a header opened: the
                // same speaker again.
                (clock_line(line) && by_header)
                    .then(|| messages.last().map(|m| (m.speaker, 1)))
                    .flatten()
            }),
        };
        by_header |= header.is_some();
        if let Some((name, _)) = header {
            seen.insert(name);
        }
        if let Some((speaker, height)) = header {
            let body = next_line(height).min(text.len());
            messages.push(Message {
                start: offset,
                body,
                end: body,
                speaker,
            });
            quoting = None;
            k += height;
            continue;
        }
        let trimmed = line.trim_start();
        if let Some(quoted) = trimmed.strip_prefix('>') {
            let inner = quoted.trim_start();
            let body = offset + (line.len() - inner.len());
            if quoting.is_none() {
                let replier = messages.last().map_or("", |m| m.speaker);
                let (speaker, at) = match speaker_prefix(inner) {
                    Some(at) => (speaker_name(inner, at), at),
                    None => ("> quoted", 0),
                };
                messages.push(Message {
                    start: offset,
                    body: body + at,
                    end: offset + line.len(),
                    speaker,
                });
                quoting = Some(replier);
            } else if let Some(last) = messages.last_mut() {
                last.end = offset + line.len();
            }
        } else if let Some(at) = speaker_prefix(line) {
            messages.push(Message {
                start: offset,
                body: offset + at,
                end: offset + line.len(),
                speaker: speaker_name(line, at),
            });
            quoting = None;
        } else if line.trim().is_empty() {
            // A blank line neither replies nor continues anything.
        } else if let Some(replier) = quoting.take() {
            messages.push(Message {
                start: offset,
                body: offset,
                end: offset + line.len(),
                speaker: replier,
            });
        } else if let Some(last) = messages.last_mut() {
            last.end = offset + line.len();
        }
        k += 1;
    }
    messages
}

/// The words of each message of a transcript (without speaker, name or
/// time), in order; empty when `text` is not a transcript of at least two
/// messages.
pub(crate) fn message_bodies(text: &str) -> Vec<&str> {
    let messages = split_messages(text);
    if messages.len() < 2 {
        return Vec::new();
    }
    messages.iter().map(|m| &text[m.body..m.end]).collect()
}

/// One message of a transcript: where its line starts, where its words
/// start, where it ends, and who said it.
struct Message<'t> {
    start: usize,
    body: usize,
    end: usize,
    speaker: &'t str,
}

/// The cue lists the thread reader uses, all from the lexicon.
#[derive(Clone, Copy)]
pub(crate) struct ThreadCues<'c> {
    /// Words that open a correction ("no", "actually", "scratch that").
    pub(crate) corrections: &'c Cues,
    /// Words that concede an objection ("fair", "good point").
    pub(crate) concessions: &'c Cues,
    /// Words that acknowledge before a reply says what it says ("ok done,
    /// ..."); they do not count among a message's opening words.
    pub(crate) acknowledgements: &'c [String],
    /// Words that put something off ("not yet", "postponed").
    pub(crate) postponements: &'c Cues,
    /// Verbs that move something later or into another PR ("pushed").
    pub(crate) moves: &'c Cues,
    /// Words that name when something happens ("monday", "tomorrow").
    pub(crate) times: &'c [String],
    /// Forward negations that keep a thing where a stage named after them
    /// says ("leave it in staging"); the reader decides which negate.
    pub(crate) placing: &'c [String],
    /// Words that open a sentence taking back the same message's earlier
    /// sentences ("actually no", "scratch that").
    pub(crate) self_corrections: &'c Cues,
    /// Words that point back at what was said ("it", "that").
    pub(crate) pointers: &'c [String],
    /// Verbs that say what something is ("is", "are").
    pub(crate) copulas: &'c [String],
    /// Whether a word names the stage a release goes to ("prod").
    pub(crate) release_stage: &'c dyn Fn(&str) -> bool,
}

/// The messages of a transcript, each self-correction ("... actually no,
/// ...") splitting its message in two. Text pasted without a speaker is one
/// message: it may still take back its own first sentences ("... to prod
/// tonight. actually no, ...").
fn messages_of<'t>(text: &'t str, self_corrections: &Cues) -> Vec<Message<'t>> {
    let mut messages = split_messages(text);
    if messages.is_empty() {
        messages.push(Message {
            start: 0,
            body: 0,
            end: text.len(),
            speaker: "",
        });
    }
    split_self_corrections(text, messages, self_corrections)
}

/// Splits each message at a sentence that opens by taking back what its
/// own speaker said before it in the same message ("shipping the retrained
/// model to prod tonight. actually no, it only goes to staging"): from that
/// sentence on, the words are a message of the same speaker, which corrects
/// as one would. Only a cue that opens its sentence counts; the first
/// sentence of a message is read as it always was.
fn split_self_corrections<'t>(
    text: &'t str,
    messages: Vec<Message<'t>>,
    cues: &Cues,
) -> Vec<Message<'t>> {
    if cues.is_empty() {
        return messages;
    }
    let mut out = Vec::with_capacity(messages.len());
    for mut m in messages {
        let base = m.body;
        let body = &text[base..m.end];
        let bytes = body.as_bytes();
        let mut from = 0;
        // Sentence ends: ". " (not "3.5" or "train.py"), "!", ";", a line
        // end or an em dash (its first byte; no other sign of ours has it).
        let mut ends: Vec<usize> = memchr::memchr3_iter(b'.', b'!', b';', bytes)
            .chain(memchr::memchr2_iter(b'\n', 0xE2, bytes))
            .collect();
        ends.sort_unstable();
        for i in ends {
            let next = match bytes[i] {
                b'.' if bytes.get(i + 1).is_some_and(u8::is_ascii_alphanumeric) => continue,
                0xE2 if !body[i..].starts_with('—') => continue,
                0xE2 => i + '—'.len_utf8(),
                _ => i + 1,
            };
            if next <= from {
                continue;
            }
            if !bytes[from..i].iter().any(u8::is_ascii_alphanumeric) {
                continue;
            }
            let rest = &body[next..];
            let lead = rest.len()
                - rest
                    .trim_start_matches(|c: char| !c.is_alphanumeric())
                    .len();
            // Most sentences open with no cue: one look at the first word
            // spares reading the next ones.
            let first = rest[lead..]
                .split(|c: char| !c.is_alphanumeric() && c != '\'')
                .next()
                .unwrap_or_default();
            if first.is_empty() || cues.starting_with(&first.to_lowercase()).is_empty() {
                continue;
            }
            let head = head_words(rest, 4);
            let takes_back = head.first().is_some_and(|w| {
                cues.starting_with(w)
                    .iter()
                    .any(|&k| opens_with(&head, &cues[k as usize]))
            });
            if takes_back {
                out.push(Message {
                    end: base + next,
                    ..m
                });
                m = Message {
                    start: base + next + lead,
                    body: base + next + lead,
                    end: m.end,
                    speaker: m.speaker,
                };
                from = next + lead;
            }
        }
        out.push(m);
    }
    out
}

/// Takes back what corrections take back, in a transcript of at least two
/// speaker lines; blanked text keeps its byte offsets. A message whose first
/// few words hold a cue from `cues` corrects the message before it (a
/// statement it contradicts, or a question it answers "no" to); when its
/// cue is one of `strong` ("wait", "actually", "scratch that"), it also takes
/// back what its own speaker said earlier ("no wait, I reverted the bump").
pub(crate) fn latest_word<'a>(
    text: Cow<'a, str>,
    cues: &ThreadCues<'_>,
    class_of: &dyn Fn(&str) -> u64,
) -> Cow<'a, str> {
    let ThreadCues {
        corrections,
        concessions,
        acknowledgements,
        postponements,
        moves,
        times,
        placing,
        self_corrections,
        pointers,
        copulas,
        release_stage,
    } = *cues;
    let negates = |w: &str| class_of(w) & (class::NEG_CLAUSE | class::NEG_FORWARD) != 0;
    let asks = |w: &str| class_of(w) & class::ASK != 0;
    let contrasts = |w: &str| class_of(w) & class::CONTRAST != 0;
    let defers = |w: &str| class_of(w) & class::DEFER != 0;
    let intends = |w: &str| class_of(w) & class::INTENT != 0;
    // "merged the fix": a release word in the past tense tells what already
    // happened, and only what has yet to happen can be put off or denied.
    let intends_ahead = |w: &str| intends(w) && !w.ends_with("ed");
    // A clause's words that tell a release yet to happen: a release word, or
    // a verb of motion with the release stage as its destination ("moving
    // v8 to prod", "goes to production").
    let releases_ahead = |w: &[String]| {
        w.iter().any(|w| intends_ahead(w)) || moves_to_release(w, moves, release_stage)
    };
    // A clause that opens with a negating word and names a release in its
    // next few words, with no second negation after it ("nothing ships
    // without a canary" states a rule, it cancels nothing).
    let denies_release = |body: &str| {
        body.split(['.', ',', ';', '!', '?', ':', '\n'])
            .any(|clause| {
                let mut lowered = clause
                    .split(|c: char| !c.is_alphanumeric() && c != '\'')
                    .filter(|w| !w.is_empty())
                    .map(str::to_lowercase);
                // Asked of every clause of every message of a long thread:
                // most clauses do not open with a negation, so the rest of
                // their words are never lowered.
                let Some(first) = lowered.next() else {
                    return false;
                };
                if class_of(&first) & class::NEG_FORWARD == 0 {
                    return false;
                }
                let words: Vec<String> = std::iter::once(first).chain(lowered).collect();
                words
                    .iter()
                    .skip(1)
                    .take(3)
                    .position(|w| intends(w))
                    .is_some_and(|at| {
                        !words[at + 2..]
                            .iter()
                            .any(|w| class_of(w) & (class::NEG_FORWARD | class::NEG_CLAUSE) != 0)
                    })
            })
    };
    let messages = messages_of(&text, self_corrections);
    if messages.len() < 2 {
        return text;
    }
    // The cues in a message's first words; empty when it corrects nothing.
    let opening = |body: &str| -> Vec<&String> {
        // A cue opens the message when it lies in its first five words, not
        // counting up to two acknowledgements it opens with ("ok done, #884
        // is now only the fix": "is now only" follows "ok done").
        let mut head: Vec<String> = Vec::with_capacity(OPENING_WORDS + 2);
        let mut acks = 0;
        for w in body
            .split(|c: char| !c.is_alphanumeric() && c != '\'')
            .filter(|w| !w.is_empty())
        {
            let w = w.to_lowercase();
            if head.len() == acks && acks < 2 && acknowledgements.contains(&w) {
                acks += 1;
            } else if head.len() >= OPENING_WORDS + acks {
                break;
            }
            head.push(w);
        }
        // "training only, right? no need to check serving": a bare "no"
        // answers only as the first word or after one word ("ok no,"); later
        // it is a determiner ("no need", "no deploys").
        // "yes, no code diff at all": after a "yes" it is a determiner too.
        let bare_no_at = head
            .iter()
            .position(|w| matches!(w.as_str(), "no" | "nope" | "nah"))
            .filter(|&at| {
                at == 0
                    || !matches!(
                        head[0].as_str(),
                        "yes" | "yep" | "yeah" | "yup" | "yea" | "sure"
                    )
            });
        [corrections, concessions, postponements]
            .into_iter()
            .flat_map(|cues| cues_said(&head, cues))
            .filter(|c| {
                !matches!(c.as_str(), "no" | "nope" | "nah") || bare_no_at.is_some_and(|at| at <= 1)
            })
            .collect()
    };
    let mut taken_back = vec![false; messages.len()];
    // Whether each message announces a release yet to happen, read once.
    let announced: Vec<std::cell::OnceCell<bool>> = (0..messages.len())
        .map(|_| std::cell::OnceCell::new())
        .collect();
    let announces = |j: usize| {
        *announced[j].get_or_init(|| {
            !clauses_where(&text, messages[j].body, messages[j].end, releases_ahead).is_empty()
        })
    };
    // Messages that answer the question before them and neither deny nor
    // correct it.
    let mut confirmed = vec![false; messages.len()];
    // Messages that take back the one before them.
    let mut corrects = vec![false; messages.len()];
    // Messages whose speaker later conceded an objection to them.
    let mut conceded = vec![false; messages.len()];
    // Messages before this index have their announced releases denied by a
    // later message.
    let mut denied_before = 0;
    // Messages whose release was denied or put off and then moved to a new
    // time by its owner ("fine, monday then"): the release stands.
    let mut reaffirmed = vec![false; messages.len()];
    // Messages narrowed by their speaker after someone else took them back,
    // with the release words the narrowing named again ("just the merge").
    let mut narrowed: Vec<Option<Vec<String>>> = vec![None; messages.len()];
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
        // "deploying the new tokenizer to prod tonight" / ... / "no,
        // retraining with it first, prod waits": a clause anywhere in a later
        // message by the release's own speaker that puts the release off
        // takes back the releases announced before it, as a denial does;
        // the rest of every message stands.
        if (0..k).any(|j| messages[j].speaker == m.speaker && announces(j))
            && !clauses_where(&text, m.body, m.end, |w| {
                // "right, retraining in staging first, prod later": the
                // release stage put later puts the release off too.
                (holds(w, postponements) || w.iter().any(|w| defers(w)))
                    && w.iter().any(|w| intends(w) || release_stage(w))
            })
            .is_empty()
        {
            denied_before = denied_before.max(k);
        }
        // "ugh right, canary pushed to the 16th": moving something to a
        // later time in the first sentence puts it off, as "postponed" does.
        if let Some(marker) = postponements.first()
            && !found.iter().any(|c| postponements.contains(c))
            && reschedules(&head_words(body, 8), moves, &defers)
        {
            found.push(marker);
        }
        // "wait, does the online service use it too?" asks; it takes
        // nothing back. "no" still answers a question with one ("shall we
        // promote v9?" / "no, staging first?"), but after a statement "no
        // code changes?" asks for a confirmation and contradicts nothing.
        let before = &messages[k - 1];
        let answers_a_question = text[before.body..before.end].trim_end().ends_with('?');
        // An answer from someone else that opens by denying ("untouched",
        // "none, just tests", "not me") denies what the question asked: the
        // question is taken back and the answer withdraws nothing else. So
        // does one that opens by restricting ("did the label definition
        // change or just a bug?" / "just a bug in `make_label()`"): it keeps
        // only what it names.
        // "did the tokenizer change go into the serving image too?" /
        // "nope, only training": a question that opens the thread and asks
        // whether a change reached somewhere else too presupposes the
        // change; a "no" denies only the "too".
        // So does one that proposes a shortcut ("can we skip staging for
        // the lr tweak?" / "no"): the "no" refuses the shortcut, not the
        // change. And one that asks for objections ("anyone object to
        // bumping dropout?" / "nope"): the "no" is a go-ahead.
        let asks_with = |cues: &[&str]| {
            text[before.body..before.end]
                .split(|c: char| !c.is_alphanumeric() && c != '\'')
                .any(|w| cues.iter().any(|c| w.eq_ignore_ascii_case(c)))
        };
        // Asked only where its answer counts: each ask reads the whole
        // message before, and a long thread has hundreds.
        let presupposes = || {
            answers_a_question
                && ((k == 1 && asks_with(&["too", "also", "either"]))
                    || asks_with(&[
                        "skip",
                        "skipping",
                        "without",
                        "bypass",
                        "object",
                        "objections",
                        "objection",
                        "mind",
                        "concerns",
                    ]))
        };
        if answers_a_question
            && before.speaker != m.speaker
            && !body.trim_end().ends_with('?')
            && found
                .iter()
                .all(|c| matches!(c.as_str(), "no" | "nope" | "nah"))
            && body
                .split(|c: char| !c.is_alphanumeric() && c != '\'')
                .find(|w| !w.is_empty())
                .is_some_and(|w| {
                    let w = w.to_lowercase();
                    negates(&w) || matches!(w.as_str(), "only" | "just")
                })
        {
            taken_back[k - 1] = !presupposes();
            corrects[k] = true;
            by_speaker.entry(m.speaker).or_default().0.push(k);
            continue;
        }
        // "and the lgbm bump I saw?" / "that was reverted, not in this PR
        // anymore": an answer from someone else that says its correction of
        // a pointer to what was asked takes back the question, not what its
        // own speaker said before.
        if answers_a_question
            && before.speaker != m.speaker
            && !body.trim_end().ends_with('?')
            && !found.is_empty()
            && found
                .iter()
                .all(|c| corrections.contains(c) && !matches!(c.as_str(), "no" | "nope" | "nah"))
            && body
                .split(|c: char| !c.is_alphanumeric() && c != '\'')
                .find(|w| !w.is_empty())
                .is_some_and(|w| {
                    // "that's", "it's": the pointer before its copula.
                    let w = w.to_lowercase();
                    let w = w.strip_suffix("'s").unwrap_or(&w);
                    pointers.iter().any(|p| p == w)
                })
        {
            taken_back[k - 1] = true;
            corrects[k] = true;
            by_speaker.entry(m.speaker).or_default().0.push(k);
            continue;
        }
        // "is v9 going live today?" / "the plan is next week. today only the
        // `fill_na()` fix": an answer whose first clause puts what was asked
        // later postpones it, as "not yet" does, and keeps the rest.
        let first_clause = body
            .trim_start()
            .split(['.', ',', ';', '!', '?', ':'])
            .next()
            .unwrap_or_default();
        if found.is_empty()
            && answers_a_question
            && before.speaker != m.speaker
            && !body.trim_end().ends_with('?')
            && first_clause
                .split(|c: char| !c.is_alphanumeric() && c != '\'')
                .any(|w| !w.is_empty() && defers(&w.to_lowercase()))
            // A bare "next week" confirms: what was asked still happens.
            && body.trim_start()[first_clause.len()..]
                .contains(char::is_alphanumeric)
        {
            taken_back[k - 1] = true;
            by_speaker.entry(m.speaker).or_default().0.push(k);
            continue;
        }
        // "retrained v9 with the new features, ok to promote?" / "prod
        // promotion is a separate conversation, first get the staging
        // backtest green": a first clause that puts something off, its cue
        // past the opening words, puts off the release asked about; what the
        // question's message told beside it stands.
        if found.is_empty()
            && answers_a_question
            && before.speaker != m.speaker
            && !body.trim_end().ends_with('?')
            && holds(&sentence_words(first_clause), postponements)
            && announces(k - 1)
        {
            denied_before = k;
            by_speaker.entry(m.speaker).or_default().0.push(k);
            continue;
        }
        if body.trim_end().ends_with('?')
            && (!answers_a_question
                || found
                    .iter()
                    .all(|c| !matches!(c.as_str(), "no" | "nope" | "nah")))
        {
            // "holding. anything else going out?": a first sentence that
            // puts something off and does not ask still puts it off; only
            // the question after it asks.
            let first = first_sentence(body);
            if first.trim_end().ends_with('?') || first.trim() == body.trim() {
                found.clear();
            } else {
                let said = sentence_words(first);
                let moved = reschedules(&said, moves, &defers);
                found.retain(|c| postponements.contains(c) && (moved || says(&said, c)));
            }
        }
        // "wait, half the feature jobs join on usr_id": someone else's
        // "wait" or "hold on" before a statement with no denial in it
        // objects; it takes nothing back. The change stands until its
        // speaker answers.
        if !found.is_empty()
            && before.speaker != m.speaker
            && !answers_a_question
            && found
                .iter()
                .all(|c| matches!(c.as_str(), "wait" | "hold on"))
            && !sentence_words(first_sentence(body))
                .iter()
                .any(|w| negates(w) || matches!(w.as_str(), "no" | "nope" | "nah"))
        {
            found.clear();
        }
        // "it's a docs PR, nothing ships", "no deploys this week": a clause
        // that opens by denying a release takes back the clauses of earlier
        // messages that announced one, whoever wrote them, and is set aside
        // itself; the rest of every message stands.
        // "no deploys on friday" after a statement denies the release, not
        // the whole message.
        let only_no = !found.is_empty()
            && found
                .iter()
                .all(|c| matches!(c.as_str(), "no" | "nope" | "nah"));
        if (found.is_empty() || (only_no && !answers_a_question))
            && !body.trim_end().ends_with('?')
            && denies_release(body)
        {
            // Every message before this one; kept as a bound, so a long
            // thread of denials stays linear.
            denied_before = k;
            corrects[k] = true;
            by_speaker.entry(m.speaker).or_default().0.push(k);
            continue;
        }
        // "deploying the scoring job tonight" / "no deploys on friday" /
        // "fine, monday then": the release's own speaker answering a denial
        // or a postponement with only a new time moves the release there;
        // it still stands. The latest word wins for the release's date, not
        // for the release. Naming what is left instead ("ok, just the merge
        // then") or denying anything narrows or withdraws, as below.
        if found.is_empty() && !body.trim_end().ends_with('?') {
            let words = sentence_words(first_sentence(body));
            let at_clock = words
                .windows(2)
                .any(|w| w[0] == "at" && w[1].starts_with(|c: char| c.is_ascii_digit()))
                || words.iter().any(|w| {
                    w.starts_with(|c: char| c.is_ascii_digit())
                        && (w.ends_with("am") || w.ends_with("pm"))
                });
            let names_time = at_clock
                || words
                    .iter()
                    .any(|w| times.iter().any(|t| t == w) || defers(w));
            // "ok, keeping the retrain in staging until next week": a reply
            // that places the thing somewhere keeps it there; the date is
            // how long it stays, not when the release goes. "right,
            // retraining in staging first, prod later" puts a step before
            // the release: the later time is a put-off, not a new date.
            let narrows_or_denies = words.iter().any(|w| {
                contrasts(w)
                    || negates(w)
                    || placing.iter().any(|p| p == w)
                    || matches!(w.as_str(), "no" | "nope" | "nah" | "instead" | "first")
            });
            let owned: Vec<usize> = by_speaker
                .get(m.speaker)
                .map(|said| {
                    said.0
                        .iter()
                        .copied()
                        .filter(|&j| (taken_back[j] || j < denied_before) && announces(j))
                        .collect()
                })
                .unwrap_or_default();
            if names_time && !narrows_or_denies && words.len() <= 10 && !owned.is_empty() {
                for j in owned {
                    taken_back[j] = false;
                    reaffirmed[j] = true;
                }
                by_speaker.entry(m.speaker).or_default().0.push(k);
                continue;
            }
        }
        // "fine, only the `clip_amount()` fix in this one", "ok ok, just the
        // lr then": a speaker who opens, after at most a short
        // acknowledgement, with "only" or "just" narrows what they said
        // before to what is left ("just merged it" tells when, not what).
        // "big diff on `features/` incoming" / "what changed?" / "it's only
        // black formatting": an answer to someone else's question about what
        // the change is narrows the same way, and answers that question.
        let asks_what = answers_a_question
            && before.speaker != m.speaker
            && head_words(&text[before.body..before.end], 1)
                .first()
                .is_some_and(|w| matches!(w.as_str(), "what" | "what's" | "whats"));
        if found.is_empty() && (!answers_a_question || asks_what) && !body.trim_end().ends_with('?')
        {
            let said = by_speaker.entry(m.speaker).or_default();
            if said.0.len() > said.1 && narrows(body, copulas) {
                // "merging the `fix_tz()` change and deploying it to prod" /
                // "no, we're in a freeze" / "ok, just the merge then": after
                // someone else objected to (or took back) a message that
                // announced a release, its speaker narrowing it to a step
                // keeps that message but for the release parts they did not
                // name again; the latest word wins for the release, not for
                // the change.
                // Only a narrowing that names no code of its own ("ok, only
                // the merge today") narrows to a step of what was said; one
                // that names code ("only the `clip()` fix") replaces it.
                let kept: Vec<String> = sentence_words(body)
                    .into_iter()
                    .filter(|w| intends(w))
                    .collect();
                let to_a_step = !body.contains('`') && !body.contains("()");
                let objected = before.speaker != m.speaker;
                for &j in &said.0[said.1..] {
                    if to_a_step
                        && objected
                        && (taken_back[j] || j + 1 < k)
                        && !corrects[j]
                        && announces(j)
                    {
                        taken_back[j] = false;
                        narrowed[j] = Some(kept.clone());
                        continue;
                    }
                    taken_back[j] = true;
                }
                if asks_what {
                    taken_back[k - 1] = true;
                }
                // "today: fix `clip()` + bump n_estimators" / "hold the
                // n_estimators bump" / "ok, today is only the `clip()` fix":
                // a narrowing that names code of its own replaces the talk
                // about what it left out, the objection included, unless the
                // objection is about the code that is left.
                if !to_a_step
                    && objected
                    && !text[before.body..before.end].trim_end().ends_with('?')
                    && !code_names(body)
                        .iter()
                        .any(|name| text[before.body..before.end].contains(name.as_str()))
                {
                    taken_back[k - 1] = true;
                }
                said.1 = said.0.len();
                said.0.push(k);
                continue;
            }
        }
        if found.is_empty() {
            // A bare answer ("yep", "yes, same PR") confirms, and so does
            // one that opens with "yes" to a question about when something
            // happens ("still going out today?" / "yes, 14:30, pipeline is
            // green"): what it says after the "yes" stands beside the
            // question. Any other answer carries its own words, and the
            // question stays the context it answers.
            let mut words = body
                .split(|c: char| !c.is_alphanumeric() && c != '\'')
                .filter(|w| !w.is_empty());
            confirmed[k] = answers_a_question
                && words.next().is_some_and(|w| {
                    (matches!(
                        w.to_lowercase().as_str(),
                        "yes" | "yep" | "yeah" | "yup" | "yea"
                    ) && text[before.body..before.end]
                        .split(|c: char| !c.is_alphanumeric() && c != '\'')
                        .filter(|w| !w.is_empty())
                        .any(|w| {
                            let w = w.to_lowercase();
                            matches!(w.as_str(), "still" | "tonight" | "tomorrow")
                                || class_of(&w) & (class::PRESENT | class::DEFER) != 0
                        }))
                        || (..=2).contains(&words.by_ref().take(3).count())
                });
            by_speaker.entry(m.speaker).or_default().0.push(k);
            continue;
        }
        // "bumped lr and promoting v3 today" / "prod promotion paused this
        // week": what can be put off is what has yet to happen, the release;
        // what was already done stands. A postponement that does not answer
        // a question takes back the releases announced before it, as a
        // denial of one does, when the message it answers announced one.
        // The release may be a message or two back, with an objection
        // between ("promoting v9 at 4" / "the drift monitor is red" /
        // "holding."); each message is read for one once.
        if !answers_a_question
            && found.iter().all(|c| postponements.contains(c))
            && (0..k).any(|j| !taken_back[j] && announces(j))
        {
            // The objection in between ("the feature store is down") is why
            // the release waits, not a change of its own.
            if !announces(k - 1) && before.speaker != m.speaker {
                taken_back[k - 1] = true;
            }
            denied_before = k;
            corrects[k] = true;
            by_speaker.entry(m.speaker).or_default().0.push(k);
            continue;
        }
        // "fair", "good point": conceding an objection withdraws one's own
        // earlier words; the objection itself still stands.
        let concedes = found.iter().all(|c| concessions.contains(c));
        let only_no = found
            .iter()
            .all(|c| matches!(c.as_str(), "no" | "nope" | "nah"));
        if !concedes {
            taken_back[k - 1] = !(only_no && presupposes());
            corrects[k] = true;
        }
        // "no" and its kin only answer; the others also withdraw. "not
        // yet" in reply to "did you bump it in serving too?" puts off what
        // was asked, not what its speaker said before.
        // "good catch, rebuilding the index too": a concession that adds
        // to what its speaker said withdraws nothing.
        let adds = concedes
            && sentence_words(body)
                .iter()
                .any(|w| matches!(w.as_str(), "too" | "also" | "additionally"));
        let answer_only = adds
            || found.iter().all(|c| {
                matches!(c.as_str(), "no" | "nope" | "nah")
                    || (answers_a_question && postponements.contains(c))
            });
        if !answer_only {
            // Each speaker's earlier messages, taken back once: a long
            // thread of corrections stays linear. What a concession gives
            // up is its speaker's claim ("unit tests cover it"), not the
            // change they reported ("this is just a refactor of
            // `load_events()`"), which the objection is about.
            // One that tells a change of its own ("fair, dropped that
            // commit", "my bad, it only adds tests") puts it in their place.
            let keeps_change = concedes
                && before.speaker != m.speaker
                && !sentence_words(body).iter().any(|w| {
                    // The cue's own words ("good point") tell nothing.
                    class_of(w) & class::CHANGE != 0
                        && !found.iter().any(|c| c.split(' ').any(|p| p == w))
                });
            let said = by_speaker.entry(m.speaker).or_default();
            for &j in &said.0[said.1..] {
                // "what's prod for?" / "real traffic, the final gate" /
                // "makes sense, ty": a concession gives up claims; the
                // speaker's own question was no claim, and stays asked.
                if concedes
                    && text[messages[j].body..messages[j].end]
                        .trim_end()
                        .ends_with('?')
                {
                    continue;
                }
                if keeps_change {
                    conceded[j] = true;
                } else {
                    taken_back[j] = true;
                }
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
            // A move to a later time needs one of the move verbs.
            if postponements.iter().any(|p| lower.contains(p.as_str()))
                || moves.iter().any(|m| lower.contains(m.as_str()))
            {
                cuts.extend(clauses_where(&text, m.body, m.end, |w| {
                    holds(w, postponements) || reschedules(w, moves, &defers)
                }));
            }
            // "actually no, v7 goes to staging only; prod is next sprint": a
            // reply's clause that puts the release stage later names what
            // will not happen now, as a postponement does.
            // Its clauses are read only when the message holds both kinds of
            // word somewhere: most replies hold neither.
            let words = || {
                lower
                    .split(|c: char| !c.is_alphanumeric() && !matches!(c, '\'' | '#'))
                    .filter(|w| !w.is_empty())
            };
            if k > 0 && words().any(&defers) && words().any(release_stage) {
                cuts.extend(clauses_where(&text, m.body, m.end, |w| {
                    w.iter().any(|w| defers(w)) && w.iter().any(|w| release_stage(w))
                }));
            }
            // "that's one function, unit tests cover it, ship it": a bare
            // "ship it" in reply to someone else is a reviewer's go-ahead,
            // not a release of its own; a release with a target or a time
            // ("ship it to prod tonight") still counts.
            if k > 0 && messages[k - 1].speaker != m.speaker && lower.contains("ship") {
                cuts.extend(go_ahead(&text, m.body, m.end));
            }
            if conceded[k] {
                // Only a clause that tells a change, and claims, assumes or
                // proposes a shortcut for nothing ("skipping staging for the
                // new feature" is what was given up), outlives the
                // concession.
                cuts.extend(clauses_where(&text, m.body, m.end, |w| {
                    !w.iter().any(|w| class_of(w) & class::CHANGE != 0)
                        || w.iter().any(|w| {
                            matches!(w.as_str(), "skip" | "skipping" | "without" | "bypass")
                        })
                        || w.iter().any(|w| {
                            class_of(w)
                                & (class::CLAIM
                                    | class::BELIEF_VERB
                                    | class::NEG_CLAUSE
                                    | class::NEG_FORWARD)
                                != 0
                        })
                }));
            }
            if let Some(kept) = &narrowed[k] {
                // Each part that names a release its speaker did not name
                // again goes: the whole part when it names no code, else
                // the release word and where and when it goes ("deploying
                // the `fix_tz()` patch to prod tonight" keeps the patch).
                let same_step =
                    |w: &str| kept.iter().any(|k| k.chars().take(4).eq(w.chars().take(4)));
                for (a, b) in joined_parts(&text, m.body, m.end) {
                    let part = &text[a..b];
                    let mut release_at = None;
                    let mut dest_at = None;
                    let mut at = a;
                    for word in part.split_inclusive(|c: char| !c.is_alphanumeric() && c != '\'') {
                        let bare = word
                            .trim_end_matches(|c: char| !c.is_alphanumeric() && c != '\'')
                            .to_lowercase();
                        if release_at.is_none() && intends_ahead(&bare) && !same_step(&bare) {
                            release_at = Some((at, at + bare.len()));
                        } else if release_at.is_some()
                            && dest_at.is_none()
                            && matches!(bare.as_str(), "to" | "into" | "in" | "on")
                        {
                            dest_at = Some(at);
                        }
                        at += word.len();
                    }
                    let Some((r0, r1)) = release_at else { continue };
                    if part.contains('`') || part.contains("()") {
                        cuts.push((r0, r1));
                        if let Some(d) = dest_at {
                            cuts.push((d, b));
                        }
                    } else {
                        cuts.push((a, b));
                    }
                }
            }
            if reaffirmed[k] {
                // "ok to deploy the hotfix now?" / "no, freeze until 6pm" /
                // "fine, I'll deploy it at 6": the question was the release,
                // and its answer says when.
                let asked = text[m.body..m.end].trim_end();
                if asked.ends_with('?') {
                    cuts.push((m.body + asked.len() - 1, m.body + asked.len()));
                }
            }
            if k < denied_before && !reaffirmed[k] {
                // "bumping lr and promoting v3 today": the release is the
                // part after "and", the lr bump stands.
                // "deploying the ranker to staging today and to prod friday"
                // / "friday is a freeze": with two places to go, what is put
                // off is the part bound for prod, its verb left out or not;
                // the deploy to staging stands.
                for (a, b) in clauses_where(&text, m.body, m.end, releases_ahead) {
                    let parts: Vec<(usize, usize, Vec<String>)> = joined_parts(&text, a, b)
                        .into_iter()
                        .map(|(a, b)| (a, b, sentence_words(&text[a..b])))
                        .collect();
                    let to_prod = |w: &[String]| w.iter().any(|w| release_stage(w));
                    let elsewhere = |w: &[String]| {
                        w.windows(2).any(|p| {
                            matches!(p[0].as_str(), "to" | "into")
                                && !release_stage(&p[1])
                                && p[1] != "the"
                        }) && !to_prod(w)
                    };
                    let split = parts.iter().any(|(_, _, w)| to_prod(w))
                        && parts
                            .iter()
                            .any(|(_, _, w)| releases_ahead(w) && elsewhere(w));
                    for (a, b, w) in &parts {
                        let cut = if split { to_prod(w) } else { releases_ahead(w) };
                        if cut {
                            cuts.push((*a, *b));
                        }
                    }
                }
            }
            // In a message that corrects, a clause that denies ("no, nobody
            // touches prod", "serving doesn't use it") is the taking back
            // itself; what stands is what the message puts in its place.
            if corrects[k] {
                // A denial that names what is left ("nothing left except
                // the CHANGELOG entry") says what stands.
                // "actually no, leave it in staging over the weekend": a
                // placing word is left to the reader, which keeps the thing
                // in the stage it names or negates what follows.
                cuts.extend(clauses_where(&text, m.body, m.end, |w| {
                    w.iter().any(|w| {
                        negates(w)
                            && !corrections.iter().any(|c| c == w)
                            && !placing.iter().any(|p| p == w)
                    }) && !w.iter().any(|w| contrasts(w))
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

/// Whether the last message of a transcript (or the last sentence that
/// takes back its own message) comes from a speaker who announced a release
/// yet to happen earlier in it: the release's own speaker has the last word
/// ("moving v8 to prod" / "scratch that, v8 goes to staging first"; "pushing
/// it to prod tonight" / "no, staging first" / "ok, staging").
pub(crate) fn releasers_last_word(
    text: &str,
    cues: &ThreadCues<'_>,
    class_of: &dyn Fn(&str) -> u64,
) -> bool {
    let messages = messages_of(text, cues.self_corrections);
    let Some((last, before)) = messages.split_last() else {
        return false;
    };
    // A postponement from the owner ("holding, it stays in staging until
    // the latency numbers are in") keeps the release, put off; a correction
    // or an acceptance leaves the thing where it says.
    if !cues_said(
        &head_words(&text[last.body..last.end], 5),
        cues.postponements,
    )
    .is_empty()
    {
        return false;
    }
    let releases = |w: &[String]| {
        w.iter()
            .any(|w| class_of(w) & class::INTENT != 0 && !w.ends_with("ed"))
            || moves_to_release(w, cues.moves, cues.release_stage)
    };
    before.iter().any(|m| {
        m.speaker == last.speaker && !clauses_where(text, m.body, m.end, releases).is_empty()
    })
}

/// The byte ranges of the clauses of `text[from..to]` whose lower-case words
/// satisfy `keep`. Clauses end at punctuation that closes a clause (`,` `;`
/// `.` `!` `?` `:` and line ends).
pub(crate) fn clauses_where(
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
    // One buffer of words for all clauses: a long thread has thousands.
    let mut words: Vec<String> = Vec::new();
    for end in ends {
        // "#91" keeps its mark: a pull request, not a number.
        let n = lower_words_into(
            &mut words,
            text[start..end].split(|c: char| !c.is_alphanumeric() && !matches!(c, '\'' | '#')),
        );
        if keep(&words[..n]) {
            out.push((start, end));
        }
        start = (end + 1).min(to);
    }
    out
}

/// Puts the lower-case forms of the non-empty `parts` into the first
/// strings of `words`, reusing them, and returns how many there are.
fn lower_words_into<'t>(words: &mut Vec<String>, parts: impl Iterator<Item = &'t str>) -> usize {
    let mut n = 0;
    for part in parts.filter(|p| !p.is_empty()) {
        if n == words.len() {
            words.push(String::new());
        }
        let word = &mut words[n];
        word.clear();
        if part.is_ascii() {
            word.push_str(part);
            word.make_ascii_lowercase();
        } else {
            word.push_str(&part.to_lowercase());
        }
        n += 1;
    }
    n
}

/// Whether a reply in a transcript puts something off: it holds one of
/// `postponements` ("paused", "not yet") or a word of `defers` ("next
/// week").
pub(crate) fn puts_off(
    text: &str,
    postponements: &Cues,
    moves: &Cues,
    defers: &dyn Fn(&str) -> bool,
) -> bool {
    let messages = split_messages(text);
    messages.len() >= 2
        && messages[1..].iter().any(|m| {
            let words: Vec<String> = text[m.body..m.end]
                .split(|c: char| !c.is_alphanumeric() && c != '\'')
                .filter(|w| !w.is_empty())
                .map(str::to_lowercase)
                .collect();
            holds(&words, postponements)
                || words.iter().any(|w| defers(w))
                || reschedules(&words, moves, defers)
        })
}

/// The first sentence of `body`: up to the first `.`, `!`, `?`, `;` or line
/// end that closes one ("v1.2" keeps its dot), with its closing mark.
fn first_sentence(body: &str) -> &str {
    let body = body.trim_start();
    body.char_indices()
        .find(|&(i, c)| {
            matches!(c, '!' | '?' | ';' | '\n')
                || (c == '.' && !body[i + 1..].starts_with(|n: char| n.is_alphanumeric()))
        })
        .map_or(body, |(i, c)| &body[..i + c.len_utf8()])
}

/// Whether `body` opens, after at most a short acknowledgement and a comma
/// ("fine,", "ok ok,"), with "only" or "just" before what is left; "just"
/// before a past verb ("just merged it") tells when, not what.
fn narrows(body: &str, copulas: &[String]) -> bool {
    let body = body.trim_start();
    let rest = match body.split_once(',') {
        Some((ack, rest)) if ack.split_whitespace().count() <= 2 => rest,
        _ => body,
    };
    let head = head_words(rest, 5);
    // "then today is only the `fix_labels()` PR", "this one is just the
    // docs": a short subject and its copula before "only" or "just" narrow
    // as the bare word does.
    // A subject contracted with its copula ("it's only renaming the
    // variable", "that's just the docs") is both.
    let contracted = |w: &str| w.len() > 3 && (w.ends_with("'s") || w.ends_with("'re"));
    let from = head
        .iter()
        .take(4)
        .position(|w| copulas.iter().any(|c| c == w) || contracted(w))
        .filter(|&at| {
            (at > 0 || contracted(&head[at]))
                && matches!(head.get(at + 1).map(String::as_str), Some("only" | "just"))
        })
        .map_or(0, |at| at + 1);
    // "ok, merging to main only then": "only" after a short step narrows
    // to that step as "only" before it does.
    let clause = &rest[..rest
        .find(['.', ',', ';', '!', '?', '\n'])
        .unwrap_or(rest.len())];
    let said = head_words(clause, 7);
    let ends_on_only = |words: &[String]| words.last().is_some_and(|w| w == "only");
    let postposed = (2..=6).contains(&said.len())
        && (ends_on_only(&said)
            || (matches!(said[said.len() - 1].as_str(), "then" | "today" | "now")
                && ends_on_only(&said[..said.len() - 1])));
    if postposed {
        return true;
    }
    let mut words = head[from..].iter().cloned();
    // "it's only 0.01 AUC": a number after "only" plays a change down; it
    // names no part of it that is left.
    let counts = |w: &String| w.starts_with(|c: char| c.is_ascii_digit());
    match (words.next().as_deref(), words.next()) {
        (Some("only" | "just"), Some(next)) if counts(&next) => false,
        (Some("only"), Some(_)) => true,
        (Some("just"), Some(next)) => {
            !next.ends_with("ed") && !matches!(next.as_str(), "did" | "made" | "ran" | "got")
        }
        _ => false,
    }
}

/// The names of the code `text` writes in backticks or with "()"
/// ("`clip_outliers()`", "parse_ts()"), without the parentheses.
fn code_names(text: &str) -> Vec<String> {
    let mut names: Vec<String> = text
        .split('`')
        .skip(1)
        .step_by(2)
        .map(|name| name.trim().trim_end_matches("()").to_owned())
        .collect();
    names.extend(text.match_indices("()").filter_map(|(at, _)| {
        text[..at]
            .rsplit(|c: char| !c.is_alphanumeric() && c != '_' && c != '.')
            .next()
            .map(str::to_owned)
    }));
    names.retain(|name| name.len() > 2);
    names.sort_unstable();
    names.dedup();
    names
}

/// The first `n` lower-case words of `text`, read no further.
fn head_words(text: &str, n: usize) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric() && !matches!(c, '\'' | '#'))
        .filter(|w| !w.is_empty())
        .take(n)
        .map(str::to_lowercase)
        .collect()
}

/// The lower-case words of `text`.
fn sentence_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric() && !matches!(c, '\'' | '#'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Whether `words` move something to a later time: a verb of `moves`
/// ("pushed", "moving", "slipped") and, within the next four words, "to",
/// "till" or "until" before a word that names a later time ("next", a
/// weekday, "tomorrow", a date such as "16th"). "pushed to prod" and "moved
/// the alias to v9" name a place or a version, not a time.
fn reschedules(words: &[String], moves: &Cues, defers: &dyn Fn(&str) -> bool) -> bool {
    let later = |w: &str| {
        defers(w)
            || w == "tomorrow"
            || super::mood::is_weekday(w)
            || (w.len() > 2
                && w.starts_with(|c: char| c.is_ascii_digit())
                && matches!(
                    w.trim_start_matches(|c: char| c.is_ascii_digit()),
                    "st" | "nd" | "rd" | "th"
                ))
    };
    // "#91", "its own PR", "a follow-up": another pull request.
    let another_pr = |w: &str| {
        w.strip_prefix('#')
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            || matches!(w, "pr" | "prs" | "mr" | "followup" | "follow")
    };
    words.iter().enumerate().any(|(k, w)| {
        !moves.starting_with(w).is_empty()
            && words[k + 1..].iter().take(4).enumerate().any(|(j, to)| {
                // "to the 16th", "to next week": the time right after "to", not
                // a place before it ("goes to prod tomorrow" releases).
                let after = || words[k + 2 + j..].iter().take(3);
                let time = match &words[k + 2 + j..] {
                    [the, t, ..] if the == "the" => later(t),
                    [t, ..] => later(t),
                    [] => false,
                };
                (w != "goes" && matches!(to.as_str(), "to" | "till" | "until") && time)
                    || (matches!(to.as_str(), "to" | "into" | "in")
                        && after().any(|t| another_pr(t)))
            })
    })
}

/// The byte ranges of `text[from..to]` that give a bare go-ahead: a clause
/// that ends on "ship" or "ship it" / "ship this", an emoji code or two
/// allowed after it ("lgtm, ship it :rocket:", "unit test it and ship"), from
/// the word "ship" to the clause's end.
fn go_ahead(text: &str, from: usize, to: usize) -> Vec<(usize, usize)> {
    clauses_where(text, from, to, |w| w.iter().any(|w| w == "ship"))
        .into_iter()
        .filter_map(|(a, b)| {
            let lower = text[a..b].to_ascii_lowercase();
            let at = lower
                .match_indices("ship")
                .map(|(i, _)| i)
                // "ship" as a word of its own: "lgtm, ship it :shipit:" gives
                // the go-ahead with "ship it", and the emoji code after it
                // is no second "ship".
                .filter(|&i| {
                    (i == 0 || !lower.as_bytes()[i - 1].is_ascii_alphanumeric())
                        && !lower
                            .as_bytes()
                            .get(i + 4)
                            .is_some_and(u8::is_ascii_alphanumeric)
                })
                .last()?;
            let rest = lower[at + 4..].trim_start();
            let rest = ["it", "this"]
                .iter()
                .find_map(|p| {
                    rest.strip_prefix(p)
                        .filter(|r| !r.starts_with(|c: char| c.is_alphanumeric()))
                })
                .unwrap_or(rest);
            // What is left may only be emoji codes (":rocket:") and marks.
            let bare = rest.split(':').enumerate().all(|(i, part)| {
                i % 2 == 1 && !part.contains(char::is_whitespace)
                    || !part.contains(char::is_alphanumeric)
            });
            bare.then_some((a + at, b))
        })
        .collect()
}

/// The parts of `text[from..to]` that "and", "plus" or "also" join, as
/// byte ranges; the whole range when nothing joins it.
fn joined_parts(text: &str, from: usize, to: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = from;
    let mut at = from;
    for word in text[from..to].split_inclusive(char::is_whitespace) {
        let bare = word.trim_end().to_lowercase();
        if matches!(bare.as_str(), "and" | "plus" | "also") && at > start {
            out.push((start, at));
            start = at;
        }
        at += word.len();
    }
    out.push((start, to));
    out
}

/// Whether `words` send something to the release stage with a verb of
/// motion from `moves` ("moving v8 to prod", "pushing it to the prod
/// endpoint", "goes to production"): a release told without a release word.
/// A verb in the past tense ("pushed it to prod") tells what already
/// happened.
fn moves_to_release(words: &[String], moves: &Cues, release_stage: &dyn Fn(&str) -> bool) -> bool {
    words.iter().enumerate().any(|(k, w)| {
        !w.ends_with("ed")
            && !moves.starting_with(w).is_empty()
            && words[k + 1..].iter().take(5).enumerate().any(|(j, to)| {
                matches!(to.as_str(), "to" | "into")
                    && match &words[k + 2 + j..] {
                        [the, stage, ..] if the == "the" => release_stage(stage),
                        [stage, ..] => release_stage(stage),
                        [] => false,
                    }
            })
    })
}

/// Whether `words` hold one of `cues` as words of their own.
pub(crate) fn holds(words: &[String], cues: &Cues) -> bool {
    (0..words.len()).any(|i| {
        cues.starting_with(&words[i])
            .iter()
            .any(|&k| opens_with(&words[i..], &cues[k as usize]))
    })
}

/// How many of a message's first words a cue may lie in to open it.
const OPENING_WORDS: usize = 5;

/// The cues of `cues` that `words` hold as words of their own, each once, in
/// the list's order.
fn cues_said<'c>(words: &[String], cues: &'c Cues) -> Vec<&'c String> {
    let mut found: Vec<u32> = Vec::new();
    for i in 0..words.len() {
        // "better safe than sorry": a word after "than" is what something
        // is weighed against, not a cue its speaker says.
        if i > 0 && words[i - 1] == "than" {
            continue;
        }
        for &k in cues.starting_with(&words[i]) {
            if !found.contains(&k) && opens_with(&words[i..], &cues[k as usize]) {
                found.push(k);
            }
        }
    }
    found.sort_unstable();
    found.into_iter().map(|k| &cues[k as usize]).collect()
}

/// Whether `words` open with `cue`, word for word.
fn opens_with(words: &[String], cue: &str) -> bool {
    let n = cue.bytes().filter(|&b| b == b' ').count() + 1;
    words.get(..n).is_some_and(|window| spells(window, cue))
}

/// Whether `words` hold `cue` ("wait", "scratch that") as consecutive words.
/// A long transcript has hundreds of messages and every cue is tried on each,
/// so a try allocates nothing, and a one-word cue (most of them) is a plain
/// comparison per word.
fn says(words: &[String], cue: &str) -> bool {
    let Some((head, _)) = cue.split_once(' ') else {
        return words.iter().any(|w| w == cue);
    };
    // Asked for every cue of every message: only a window that opens with
    // the cue's first word is spelled out.
    let n = cue.bytes().filter(|&b| b == b' ').count() + 1;
    words.iter().enumerate().any(|(i, w)| {
        w == head
            && words
                .get(i..i + n)
                .is_some_and(|window| spells(window, cue))
    })
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

    fn cues() -> Cues {
        Cues::new(
            ["no", "wait", "actually", "scratch that"]
                .map(String::from)
                .to_vec(),
        )
    }

    fn moves() -> Cues {
        Cues::new(
            ["pushed", "moving", "moved", "goes", "bumped"]
                .map(String::from)
                .to_vec(),
        )
    }

    fn concessions() -> Cues {
        Cues::new(vec!["fair".to_owned()])
    }

    #[test]
    fn only_before_a_number_plays_a_change_down_and_narrows_nothing() {
        let copulas = ["is", "are"].map(String::from);
        let cases = [
            ("it's only 0.01 AUC, should be fine", false),
            ("just 2 lines, nothing else", false),
            ("ok, only the `clip()` fix then", true),
            ("that's just the docs", true),
        ];
        for (body, narrowing) in cases {
            assert_eq!(narrows(body, &copulas), narrowing, "{body}");
        }
    }

    #[test]
    fn code_is_named_in_backticks_or_by_its_call() {
        let cases: [(&str, &[&str]); 4] = [
            (
                "ok, today is only the `clip_outliers()` fix",
                &["clip_outliers"],
            ),
            ("only the parse_ts() fix then", &["parse_ts"]),
            (
                "only `utils.slugify` and fix_tz() left",
                &["fix_tz", "utils.slugify"],
            ),
            ("ok, just the merge then", &[]),
        ];
        for (text, names) in cases {
            assert_eq!(code_names(text), names.to_vec(), "{text}");
        }
    }

    #[test]
    fn a_narrowing_that_names_code_replaces_the_objection_about_what_it_left_out() {
        // (thread, a word the answer keeps, a word it no longer reads)
        let cases = [
            (
                "ed: fix `clip()` and bump n_estimators\nflo: hold the n_estimators bump\ned: ok, today is only the `clip()` fix",
                "`clip()` fix",
                "n_estimators",
            ),
            (
                "ann: fixed `parse()` and bumped lr\nbo: serving calls `parse()` as well\nann: ok, only the `parse()` fix then",
                "serving calls",
                "bumped lr",
            ),
        ];
        for (text, kept, gone) in cases {
            let read = latest(text);
            assert!(read.contains(kept), "{text} -> {read}");
            assert!(!read.contains(gone), "{text} -> {read}");
        }
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

    fn postponements() -> Cues {
        Cues::new(vec![
            "not yet".to_owned(),
            "postponed".to_owned(),
            "cancelled".to_owned(),
        ])
    }

    /// What the thread reader keeps of `text`, with the cues above.
    fn latest(text: &str) -> String {
        let (corrections, concessions, postponements, moves) =
            (cues(), concessions(), postponements(), moves());
        let self_corrections = Cues::new(vec!["actually no".to_owned(), "scratch that".to_owned()]);
        let pointers = ["it", "that", "this"].map(String::from);
        let copulas = ["is", "are"].map(String::from);
        let acknowledgements =
            ["ok", "okay", "k", "kk", "done", "sure", "alright"].map(String::from);
        let times = ["monday", "tomorrow", "tonight"].map(String::from);
        let placing = ["leave"].map(String::from);
        latest_word(
            Cow::Borrowed(text),
            &ThreadCues {
                corrections: &corrections,
                concessions: &concessions,
                acknowledgements: &acknowledgements,
                postponements: &postponements,
                moves: &moves,
                times: &times,
                placing: &placing,
                self_corrections: &self_corrections,
                pointers: &pointers,
                copulas: &copulas,
                release_stage: &|w: &str| matches!(w, "prod" | "production"),
            },
            &|w: &str| match w {
                "untouched" | "none" | "not" | "nothing" | "nobody" | "without" | "leave" => {
                    class::NEG_FORWARD
                }
                "are" | "is" | "which" => class::ASK,
                "next" | "later" => class::DEFER,
                "ships" | "deploying" | "deploys" | "promoting" => class::INTENT,
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
    fn joined_parts_split_at_and_plus_also() {
        let text = "bumping lr and promoting v3 plus also x";
        assert_eq!(
            joined_parts(text, 0, text.len()),
            [(0, 11), (11, 28), (28, 33), (33, text.len())]
        );
        // A joiner that opens the range splits nothing off before it.
        let text = "and promoting v3";
        assert_eq!(joined_parts(text, 0, text.len()), [(0, text.len())]);
        assert_eq!(joined_parts("standing", 0, 8), [(0, 8)]);
    }

    #[test]
    fn a_postponement_takes_back_only_the_release_yet_to_happen() {
        let text = "ana: bumping lr and promoting v3 today\nbob: postponed to monday\nana: ok";
        let out = latest(text);
        assert_eq!(out.len(), text.len());
        assert!(out.contains("ana: bumping lr "), "{out}");
        assert!(!out.contains("promoting"), "{out}");
        // What already happened is not put off.
        let text =
            "ana: merged the fix\nana: and promoting v3 friday\nbob: postponed, freeze\nana: ok";
        let out = latest(text);
        assert!(out.contains("merged the fix"), "{out}");
        assert!(!out.contains("promoting"), "{out}");
        // A message with no release in it is taken back whole.
        let text = "ana: bumping lr today\nbob: postponed\nana: ok";
        assert!(!latest(text).contains("bumping"));
    }

    #[test]
    fn a_no_to_a_question_that_presupposes_a_change_keeps_it() {
        // "too": the change happened; the "no" denies only where else.
        let text = "ana: did the tokenizer change reach serving too?\nbob: no, only training";
        assert!(latest(text).contains("tokenizer change"));
        // A shortcut refused keeps the change it was asked for.
        let text = "ana: can we skip staging for the lr tweak?\nbob: no";
        assert!(latest(text).contains("lr tweak"));
        // Otherwise a "no" takes the question back.
        let text = "ana: are you promoting v8 today?\nbob: no, only the fix";
        assert!(!latest(text).contains("promoting"));
    }

    #[test]
    fn puts_off_finds_a_postponement_in_a_reply() {
        let defers = |w: &str| w == "next";
        let p = postponements();
        let none = Cues::default();
        assert!(puts_off(
            "ana: ship v3 today\nbob: postponed",
            &p,
            &none,
            &defers
        ));
        assert!(puts_off(
            "ana: ship v3 today\nbob: next week",
            &p,
            &none,
            &defers
        ));
        // The first message is what is put off, not a reply.
        assert!(!puts_off("ana: postponed v3\nbob: ok", &p, &none, &defers));
        assert!(!puts_off("postponed until next week", &p, &none, &defers));
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
    fn a_sentence_that_takes_back_its_own_message_corrects_it() {
        // One message, no speaker: the sentence after "actually no" stands.
        let text = "shipping v9 to prod tonight. actually no, it only goes to staging";
        let out = latest(text);
        assert_eq!(out.len(), text.len());
        assert!(!out.contains("shipping"));
        assert!(out.contains("it only goes to staging"));
        // Inside a transcript, only that speaker's earlier words go.
        let text = "ana: bumped lr to 3e-4\nbob: promoting v3 today. scratch that, only the docs";
        let out = latest(text);
        assert!(out.contains("bumped lr"));
        assert!(!out.contains("promoting"));
        assert!(out.contains("only the docs"));
        // A cue inside a sentence, or a plain "actually," adds nothing back.
        for text in [
            "shipping v9 to prod tonight, actually no canary",
            "fixed `clip()`. actually, we ship it tonight",
            "merged. the label correction ran fine",
        ] {
            assert_eq!(latest(text), text, "{text:?}");
        }
    }

    #[test]
    fn a_bare_no_late_in_a_reply_is_a_determiner() {
        let text = "lena: bumped the lr\nmark: training only, right? no need to check serving";
        assert!(latest(text).contains("bumped the lr"));
        let text = "lena: bumped the lr\nmark: ok no, that was reverted";
        assert!(!latest(text).contains("bumped the lr"));
    }

    #[test]
    fn a_short_subject_and_copula_before_only_narrow() {
        let copulas = ["is", "are"].map(String::from);
        assert!(narrows("ok, then today is only the `fix()` PR", &copulas));
        assert!(narrows("fine, only the docs", &copulas));
        assert!(narrows("no, it's only renaming the variable", &copulas));
        assert!(narrows("that's just the docs", &copulas));
        assert!(!narrows("it's not only the docs", &copulas));
        assert!(!narrows("today is just merged", &copulas));
        assert!(!narrows("the plan is to ship only the docs", &copulas));
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
        // An answer that opens by restricting keeps only what it names.
        let only = "lead: did the label definition change or just a bug?\nmle: just a bug in `make_label()`";
        let out = latest(only);
        assert!(!out.contains("label definition"), "{out}");
        assert!(out.contains("just a bug in `make_label()`"), "{out}");
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
        // Unless it asks when something happens: then a "yes" confirms.
        let when = "ana: is the v3 canary still going out today?\nbo: yes, 14:30, CI is green";
        let out = latest(when);
        assert!(out.starts_with("ana:    the v3 canary"), "{out}");
        assert!(out.contains("today "), "{out}");
        // A "no" to "anyone object?" keeps what it was asked about.
        let object = "ana: anyone object to bumping dropout to 0.2?\nbo: nope";
        assert!(latest(object).contains("bumping dropout to 0.2"));
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
    fn a_thread_copied_with_display_names_is_a_transcript() {
        // Slack copies a thread as the display name over the clock time.
        let stacked = "Priya Shah\n9:41 AM\npromoting v3 to prod\nTom Reed\n9:43 AM\nactually, only the docs today";
        let out = latest(stacked);
        assert_eq!(out.len(), stacked.len());
        assert!(!out.contains("promoting"), "{out}");
        assert!(out.contains("only the docs today"), "{out}");
        // Or the name and the time on one line, the reply on the next.
        let beside = "Priya Shah  9:41 AM\npromoting v3 to prod\nTom Reed  [9:43 AM]\nactually, only the docs today";
        let out = latest(beside);
        assert!(!out.contains("promoting"), "{out}");
        assert!(out.contains("only the docs today"), "{out}");
        // A clock alone opens its speaker's next message; a sentence over a
        // clock line is no name.
        let again =
            "Priya Shah\n9:41 AM\npromoting v3 to prod\n9:42 AM\nactually, only the docs today";
        let out = latest(again);
        assert!(!out.contains("promoting"), "{out}");
        assert!(out.contains("only the docs today"), "{out}");
        // A sentence that ends in a time is no header, and two lines of one
        // message without names are no transcript.
        let plain = "we deploy at 9:41 AM\npromoting v3 to prod\nactually, only the docs";
        assert_eq!(latest(plain), plain);
    }

    #[test]
    fn a_quote_is_the_message_its_reply_answers() {
        let text = "> ana: promoting v5 to prod after lunch\n> and the embeddings too\nno wait, only the README after lunch";
        let out = latest(text);
        assert_eq!(out.len(), text.len());
        assert!(!out.contains("promoting"), "{out}");
        assert!(!out.contains("embeddings"), "{out}");
        assert!(out.contains("only the README after lunch"), "{out}");
        // A quoted question answered by a denial is taken back.
        let asked = "> did you touch the serving config?\nno, untouched. only the tests";
        let out = latest(asked);
        assert!(!out.contains("serving config"), "{out}");
        assert!(out.contains("only the tests"), "{out}");
        // A blank line after a quoted question is no answer to it.
        let blank = "> are we ok with losing the comparison to the champion?\n\nauthor: yes that's intended, the old split leaked";
        assert_eq!(latest(blank), blank);
        // A quote with a reply that agrees keeps both.
        let agree = "> bumped lr to 3e-4\nlooks good";
        assert_eq!(latest(agree), agree);
    }

    #[test]
    fn an_answer_that_puts_what_was_asked_later_postpones_it() {
        let text = "pm: is v9 going live today?\nmle: the plan is next week. today only the `fill_na()` fix";
        let out = latest(text);
        assert_eq!(out.len(), text.len());
        assert!(!out.contains("going live"), "{out}");
        assert!(out.contains("today only the `fill_na()` fix"), "{out}");
        // A bare "next week" confirms that it happens, later.
        let bare = "pm: is v9 going live today?\nmle: next week";
        assert!(latest(bare).contains("going live"));
        // A later time in a statement's reply, or in one's own words, is no
        // answer.
        let said = "pm: v9 goes live today\nmle: next week I bump the lr";
        assert_eq!(latest(said), said);
    }

    #[test]
    fn a_clause_that_denies_a_release_takes_back_the_releases_announced() {
        let text = "ana: bumped lr, deploying tonight\nbo: nothing ships this week, monday then";
        let out = latest(text);
        assert_eq!(out.len(), text.len());
        assert!(out.contains("bumped lr"), "{out}");
        assert!(!out.contains("deploying"), "{out}");
        assert!(!out.contains("nothing ships"), "{out}");
        assert!(out.contains("monday then"), "{out}");
        // A rule about releases cancels none.
        let rule = "ana: deploying v9 tonight\nbo: nothing ships without a canary";
        assert_eq!(latest(rule), rule);
    }

    #[test]
    fn a_new_time_from_the_releases_owner_moves_the_release() {
        // The latest word wins for the release's date: it still stands.
        let text = "ana: deploying v9 tonight\nbo: nothing ships this week\nana: fine, monday then";
        let out = latest(text);
        assert_eq!(out.len(), text.len());
        assert!(out.contains("deploying v9 tonight"), "{out}");
        // Someone else naming a time moves nothing; nor does a reply that
        // narrows or denies.
        for text in [
            "ana: deploying v9 tonight\nbo: nothing ships this week\ncy: monday then",
            "ana: deploying v9 tonight\nbo: nothing ships this week\nana: ok, not monday either",
        ] {
            assert!(!latest(text).contains("deploying"), "{text}");
        }
        // A question that was the release, answered with when, is asked no more.
        let text = "liz: ok to start deploying the hotfix now?\nmat: no, freeze until 6pm\nliz: fine, at 6 then";
        let out = latest(text);
        assert!(out.contains("deploying the hotfix now "), "{out}");
    }

    #[test]
    fn narrowing_to_a_step_after_an_objection_keeps_the_change() {
        let text = "jo: fixed `fix_tz()` and deploying it to prod tonight\nkai: no, nobody touches prod\njo: ok, just the fix then";
        let out = latest(text);
        assert_eq!(out.len(), text.len());
        assert!(out.contains("fixed `fix_tz()`"), "{out}");
        assert!(!out.contains("deploying"), "{out}");
        assert!(!out.contains("prod tonight"), "{out}");
        // The release word and where it goes leave; the code it carried stays.
        let text = "jo: deploying the `fix_tz()` patch to prod tonight\nkai: no, nobody touches prod\njo: ok, just the patch then";
        let out = latest(text);
        assert!(out.contains("the `fix_tz()` patch"), "{out}");
        assert!(
            !out.contains("deploying") && !out.contains("prod tonight"),
            "{out}"
        );
        // A narrowing that names code of its own replaces what was said.
        let text = "jo: bumped lr and deploying v3 tonight\nkai: no, nobody touches prod\njo: ok, only the `clip()` fix then";
        assert!(!latest(text).contains("bumped lr"));
    }

    #[test]
    fn a_later_clause_that_puts_the_release_off_takes_it_back() {
        // The test postponements hold "postponed": its own speaker's later
        // clause puts the release off; the retrain told there stands.
        let text = "wes: deploying v9 tonight\nval: did training use the same tokenizer?\nwes: no, retraining with it first, prod postponed";
        let out = latest(text);
        assert_eq!(out.len(), text.len());
        assert!(!out.contains("deploying"), "{out}");
        assert!(out.contains("retraining with it first"), "{out}");
    }

    #[test]
    fn a_placing_word_in_a_correction_is_left_to_the_reader() {
        let text = "max: deploying v9 to prod tonight\nmax: actually no, leave it in staging";
        let out = latest(text);
        assert!(out.contains("leave it in staging"), "{out}");
        assert!(!out.contains("deploying"), "{out}");
    }

    #[test]
    fn header_lines_are_told_from_sentences() {
        assert!(clock_line("9:41 AM"));
        assert!(clock_line("[10:02]"));
        assert!(!clock_line("ratio 3:1 now"));
        assert_eq!(display_name("Priya Shah"), Some("Priya Shah"));
        assert_eq!(display_name("CI Bot  APP"), Some("CI Bot"));
        assert_eq!(display_name("fixed it."), None);
        assert_eq!(name_and_clock("Tom Reed  9:43 AM"), Some("Tom Reed"));
        assert_eq!(name_and_clock("deploy at 9:43 AM"), None);
        assert_eq!(
            name_and_clock("deploy-bot  APP  4:30 PM"),
            Some("deploy-bot")
        );
    }

    #[test]
    fn multibyte_text_before_the_cut_keeps_offsets() {
        let text = "ana: déploiement en prod 🚀\nbo: actually just the docs";
        let out = latest(text);
        assert_eq!(out.len(), text.len());
        assert!(out.ends_with("bo: actually just the docs"));
    }
    #[test]
    fn a_bare_ship_it_in_reply_is_a_go_ahead() {
        let text = "ana: fixed `clip()`\nbo: lgtm, ship it :rocket:";
        let out = latest(text);
        assert_eq!(out.len(), text.len());
        assert!(!out.contains("ship"), "{out}");
        assert!(out.contains("lgtm"), "{out}");
        // A release with a target or a time still counts, and so do one's
        // own words.
        let target = "ana: retrained the ranker\nbo: ok, ship it to prod tonight";
        assert_eq!(latest(target), target);
        let own = "ana: fixed `clip()`\nana: ship it";
        assert_eq!(latest(own), own);
    }

    #[test]
    fn a_postponing_sentence_before_a_question_still_puts_off() {
        let text = "ops: deploying v9 to prod at 4\nmle: the eval job is red\nops: postponed. anything else?";
        let out = latest(text);
        assert!(!out.contains("deploying"), "{out}");
        // The objection in between is why it waits, not a change.
        assert!(!out.contains("the eval job is red"), "{out}");
        // A question that opens with the cue only asks.
        let asked = "ops: deploying v9 to prod at 4\nmle: postponed until when?";
        assert!(latest(asked).contains("deploying v9"));
    }

    #[test]
    fn an_answer_to_what_changed_that_narrows_takes_back_the_announcement() {
        let text = "rae: big diff on `features/` incoming\nsol: what changed?\nrae: it's only black formatting";
        let out = latest(text);
        assert!(!out.contains("features/"), "{out}");
        assert!(!out.contains("what changed"), "{out}");
        assert!(out.contains("black formatting"), "{out}");
        // A question about whether it went somewhere too is not asked about
        // what changed: "just training" does not take the bump back.
        let too = "ana: bumped torch in training\nben: serving too?\nana: just training";
        assert!(latest(too).contains("bumped torch"));
    }

    #[test]
    fn someone_elses_wait_before_a_statement_objects() {
        let text =
            "ali: renaming `cust_id` in the orders table\nbea: wait, the feature jobs join on it";
        assert_eq!(latest(text), text);
        // With a denial it still takes back.
        let denied = "ali: promoting v3 today\nbea: wait, nobody touches prod today";
        assert!(!latest(denied).contains("promoting"));
    }

    #[test]
    fn moving_to_a_later_time_or_another_pr_puts_off() {
        let defers = |w: &str| w == "next";
        let m = moves();
        let moved = |s: &str| reschedules(&sentence_words(s), &m, &defers);
        assert!(moved("canary pushed to the 16th"));
        assert!(moved("ok, moving it to next tuesday"));
        assert!(moved("the sklearn bump moved to #91"));
        assert!(moved("lr bump goes in #13"));
        assert!(moved("moved to a separate PR"));
        assert!(!moved("new ranker goes to prod tomorrow"));
        assert!(!moved("bumped max_depth to 12"));
        assert!(!moved("moved the alias to v9"));
        let text = "ana: bumping torch and fixing `pad()`\nana: actually #88 is only the `pad()` fix, the torch bump moved to #91";
        let out = latest(text);
        assert!(!out.contains("torch"), "{out}");
        assert!(out.contains("only the `pad()` fix"), "{out}");
    }
    #[test]
    fn an_acknowledgement_then_only_narrows_ones_own_words() {
        let text = "ana: bumping `n_estimators` and fixing `clip()`\nbo: keep the PR small\nana: fine, only the `clip()` fix in this one";
        let out = latest(text);
        assert!(!out.contains("n_estimators"), "{out}");
        assert!(out.contains("only the `clip()` fix"), "{out}");
        // "just" before a past verb tells when.
        let when = "ana: bumping torch\nbo: careful\nana: ok, just merged the pin";
        assert_eq!(latest(when), when);
        assert!(narrows("ok ok, just the lr then", &[]));
        assert!(!narrows("we only touched the docs", &[]));
    }
    #[test]
    fn headers_copied_from_other_tools_open_messages() {
        // A status emoji, pronouns, "Today at", bold type or a dash around
        // the name; a clock between the name and the colon.
        for text in [
            "Priya Shah :palm_tree:  9:41 AM\npromoting v3 to prod\nTom Reed  9:43 AM\nactually, only the docs today",
            "Priya Shah (she/her)  9:41 AM\npromoting v3 to prod\nTom Reed  9:43 AM\nactually, only the docs today",
            "Priya Shah  Today at 9:41 AM\npromoting v3 to prod\nTom Reed  Today at 9:43 AM\nactually, only the docs today",
            "**priya** 9:41\npromoting v3 to prod\n**tom** 9:43\nactually, only the docs today",
            "priya \u{2014} 9:41\npromoting v3 to prod\ntom \u{2014} 9:43\nactually, only the docs today",
            "priya 9:41 AM: promoting v3 to prod\ntom 9:43 AM: actually, only the docs today",
            "priya (9:41): promoting v3 to prod\ntom (9:43): actually, only the docs today",
        ] {
            let out = latest(text);
            assert!(!out.contains("promoting"), "{text:?}: {out}");
            assert!(out.contains("only the docs today"), "{text:?}: {out}");
        }
        // A lower-case sentence that ends in a time is still no header.
        let plain = "we deploy at 9:41 AM\npromoting v3 to prod\nactually, only the docs";
        assert_eq!(latest(plain), plain);
    }
}
