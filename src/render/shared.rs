//! An answer as it reads outside the asker's private reply: shared in the
//! channel or posted in a thread. "Read from your message" is only true for
//! the person who asked, so the line naming the words read says where they
//! came from; a shared answer quotes the question it answers; and the
//! private reply, once shared, keeps its other buttons but not Share (a
//! second click would post the same answer twice).

use super::blocks::{action_buttons, escape};
use super::clip;
use super::message::{Block, Message};
use crate::kb::KnowledgeBase;

/// Where the words an answer was read from came from, as its reader sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadFrom {
    /// The reader asked: the knowledge base's own wording ("your message").
    Message,
    /// Someone else's question, shared in the channel.
    Question,
    /// A thread the bot was asked about.
    Thread,
}

/// Service wording, like the button labels.
const READ_FROM_QUESTION: &str = "Read from the question";
const READ_FROM_THREAD: &str = "Read from the thread";
const ASKED: &str = "The question";

/// How much of a question a shared answer quotes; the asker's full text
/// can run to pages, and the answer is what the channel came for.
const QUOTE_CHARS: usize = 600;

/// `msg` with its "what was read" line worded for `from`.
pub fn read_from(kb: &KnowledgeBase, mut msg: Message, from: ReadFrom) -> Message {
    let label = match from {
        ReadFrom::Message => return msg,
        ReadFrom::Question => READ_FROM_QUESTION,
        ReadFrom::Thread => READ_FROM_THREAD,
    };
    let prefix = format!("{}:", kb.messages.labels.matched);
    for block in &mut msg.blocks {
        if let Block::Context { elements } = block
            && let Some(rest) = elements
                .first()
                .and_then(|e| e.as_str().strip_prefix(&prefix))
        {
            *block = Block::context(format!("{label}:{rest}"));
        }
    }
    msg
}

/// The answer `shown` (as the asker saw it, without buttons) for the whole
/// channel: the question quoted under the header, "Read from the question",
/// and who shared it at the end.
pub fn shared_answer(kb: &KnowledgeBase, shown: Message, question: &str, user_id: &str) -> Message {
    let mut msg = read_from(kb, shown, ReadFrom::Question);
    let by = kb
        .messages
        .slack
        .shared_by
        .replace("{user}", &format!("<@{user_id}>"));
    let after_header = usize::from(matches!(msg.blocks.first(), Some(Block::Header { .. })));
    msg.blocks
        .insert(after_header, Block::section(quote(question)));
    msg.blocks.push(Block::context(&by));
    msg.in_channel().replacing(false)
}

/// The question as a mrkdwn block quote, escaped so that quoting it cannot
/// ping anyone or break the message.
fn quote(question: &str) -> String {
    let text = escape(&clip(question.trim(), QUOTE_CHARS));
    let lines: Vec<String> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| format!("> {l}"))
        .collect();
    format!("*{ASKED}*\n{}", lines.join("\n"))
}

/// The private reply after its Share button was used: the same answer
/// (`shown`), its Helpful / Not quite (and Details) buttons, no Share;
/// sent through the click's `response_url` to replace the original.
pub fn after_sharing(
    kb: &KnowledgeBase,
    mut shown: Message,
    advice_id: &str,
    details: bool,
) -> Message {
    shown
        .blocks
        .push(action_buttons(kb, advice_id, false, details));
    shown.ephemeral().replacing(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quoted_question_is_escaped_and_every_line_quoted() {
        let q = quote("we changed <!channel> & the model\n\nand the <@U1> features");
        assert_eq!(
            q,
            "*The question*\n> we changed &lt;!channel&gt; &amp; the model\n> and the &lt;@U1&gt; features"
        );
    }
}
