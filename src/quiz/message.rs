//! Quiz messages: the daily post with its answer buttons, the private
//! answer feedback, and the texts of the `/testscope quiz` commands.

use super::stats::Standing;
use crate::kb::{KnowledgeBase, Question};
use crate::render::{Block, Button, Message, clip};

/// Button value prefixes; the rest of the value identifies the post and option.
pub const DAILY: &str = "quiz";
pub const PRACTICE: &str = "practice";
/// Button action ids start with this; a number follows to keep them unique.
pub const ANSWER_ACTION: &str = "quiz_answer";

/// The letter of option `i`: A, B, C, ... The options are written out in
/// full as lettered lines in the message and the buttons carry only the
/// letter, because Slack cuts button text at about 30 characters on narrow
/// screens and the words that decide an answer often come last.
pub fn letter(i: usize) -> char {
    u8::try_from(i)
        .ok()
        .filter(|&i| i < 26)
        .map_or('?', |i| char::from(b'A' + i))
}

/// An option named with its letter: "B. Run the integration tests".
pub fn lettered(q: &Question, i: usize) -> String {
    q.options
        .get(i)
        .map_or_else(|| "?".to_owned(), |o| format!("{}. {o}", letter(i)))
}

/// The question followed by its options as lettered lines, for the
/// message body and the notification text.
pub fn question_text(q: &Question) -> String {
    let options: String = q
        .options
        .iter()
        .enumerate()
        .map(|(i, o)| format!("\n*{}.* {o}", letter(i)))
        .collect();
    // A section holds 3000 characters; if anything must give, it is the end
    // of an overlong question, never an option.
    let room = 3000usize.saturating_sub(options.chars().count() + 1);
    format!("{}\n{options}", clip(&q.question, room))
}

/// Fills `{name}` placeholders.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_owned();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// What the previous post revealed: its question and how the channel did.
pub struct Reveal<'a> {
    pub question: &'a Question,
    pub answered: u32,
    pub correct: u32,
}

/// A button value for a daily post: `quiz|channel|post_id|question|option`.
pub fn daily_value(channel: &str, post_id: &str, question: &str, option: usize) -> String {
    format!("{DAILY}|{channel}|{post_id}|{question}|{option}")
}

/// The daily post. `answered` is the live count shown under the buttons;
/// `last_week` is last week's board, named (its top three) on the first
/// post of a week and empty otherwise.
pub fn daily_post(
    kb: &KnowledgeBase,
    q: &Question,
    value: impl Fn(usize) -> String,
    reveal: Option<&Reveal<'_>>,
    last_week: &[Standing],
    answered: u32,
) -> Message {
    let t = &kb.messages.quiz;
    let mut blocks = vec![Block::header(&t.header)];
    if let Some(r) = reveal {
        blocks.push(section(&reveal_text(kb, r)));
    }
    if !last_week.is_empty() {
        blocks.push(section(&podium_text(kb, last_week)));
    }
    if blocks.len() > 1 {
        blocks.push(Block::Divider);
    }
    blocks.push(section(&question_text(q)));
    blocks.push(buttons(q, value));
    blocks.push(Block::context(fill(
        &t.answered_count,
        &[("answered", &answered.to_string())],
    )));
    Message::new(fallback(&t.header, q), blocks)
}

/// "*Last week's top three:* 1. <@U1> (5 of 5), 2. ..."
fn podium_text(kb: &KnowledgeBase, board: &[Standing]) -> String {
    let podium: Vec<String> = board
        .iter()
        .take(3)
        .enumerate()
        .map(|(i, s)| {
            format!(
                "{}. <@{}> ({} of {})",
                i + 1,
                s.user_id,
                s.correct,
                s.answered
            )
        })
        .collect();
    fill(
        &kb.messages.quiz.last_week_top,
        &[("podium", &podium.join(", "))],
    )
}

/// A daily post once it has closed: the question and its answer, no
/// buttons, so nobody is invited to answer what no longer counts.
pub fn closed_post(kb: &KnowledgeBase, q: &Question, answered: u32, correct: u32) -> Message {
    let t = &kb.messages.quiz;
    let answer = fill(
        &t.closed_post,
        &[
            ("answer", &lettered(q, q.correct)),
            ("explanation", &q.explanation),
            ("stats", &stats_text(kb, answered, correct)),
        ],
    );
    Message::new(
        fallback(&t.header, q),
        vec![
            Block::header(&t.header),
            section(&question_text(q)),
            section(&answer),
        ],
    )
}

/// The reply in a closed post's thread: its answer and how the channel
/// did, where the people who answered are, as the rewritten post says it.
pub fn closed_thread_reply(
    kb: &KnowledgeBase,
    q: &Question,
    answered: u32,
    correct: u32,
) -> Message {
    let t = &kb.messages.quiz;
    let text = fill(
        &t.closed_post,
        &[
            ("answer", &lettered(q, q.correct)),
            ("explanation", &q.explanation),
            ("stats", &stats_text(kb, answered, correct)),
        ],
    );
    Message::new(&text, vec![section(&text)])
}

/// The private reply to a click on a question that has closed.
pub fn closed_reply(kb: &KnowledgeBase, q: &Question) -> String {
    fill(
        &kb.messages.quiz.closed,
        &[
            ("answer", &lettered(q, q.correct)),
            ("explanation", &q.explanation),
        ],
    )
}

/// A practice question only the asker sees; answers are not scored.
pub fn practice(kb: &KnowledgeBase, q: &Question) -> Message {
    let t = &kb.messages.quiz;
    Message::new(
        fallback(&t.practice_header, q),
        vec![
            Block::context(&t.practice_header),
            section(&question_text(q)),
            buttons(q, |i| format!("{PRACTICE}|{}|{i}", q.id)),
        ],
    )
    .ephemeral()
}

/// The notification text: what a phone shows before the blocks load.
fn fallback(header: &str, q: &Question) -> String {
    clip(&format!("{header}: {}", question_text(q)), 4000)
}

fn section(text: &str) -> Block {
    Block::section(text)
}

fn buttons(q: &Question, value: impl Fn(usize) -> String) -> Block {
    let buttons = (0..q.options.len())
        .map(|i| {
            let letter = letter(i).to_string();
            // Screen readers say the whole option, not just its letter.
            Button::new(&format!("{ANSWER_ACTION}_{i}"), &letter, &value(i))
                .spoken_as(&lettered(q, i))
        })
        .collect();
    Block::buttons("quiz_options", buttons)
}

/// How the channel did: "14 answered, 64% correct".
fn stats_text(kb: &KnowledgeBase, answered: u32, correct: u32) -> String {
    let t = &kb.messages.quiz;
    if answered == 0 {
        t.nobody_answered.clone()
    } else {
        let percent = (f64::from(correct) * 100.0 / f64::from(answered)).round();
        fill(
            &t.stats,
            &[
                ("answered", &answered.to_string()),
                ("percent", &format!("{percent}")),
            ],
        )
    }
}

fn reveal_text(kb: &KnowledgeBase, r: &Reveal<'_>) -> String {
    let t = &kb.messages.quiz;
    let stats = stats_text(kb, r.answered, r.correct);
    fill(
        &t.yesterday,
        &[
            ("answer", &lettered(r.question, r.question.correct)),
            ("explanation", &r.question.explanation),
            ("stats", &stats),
        ],
    )
}

/// The private reply to a click: right or wrong, with the explanation.
pub fn feedback(kb: &KnowledgeBase, q: &Question, chosen: usize) -> String {
    let t = &kb.messages.quiz;
    let answer = lettered(q, q.correct);
    if chosen == q.correct {
        fill(
            &t.correct,
            &[("answer", &answer), ("explanation", &q.explanation)],
        )
    } else {
        fill(
            &t.wrong,
            &[
                ("chosen", &lettered(q, chosen)),
                ("answer", &answer),
                ("explanation", &q.explanation),
            ],
        )
    }
}
