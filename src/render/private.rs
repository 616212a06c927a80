//! The private answer exactly as the bot sends it to the person who asked
//! (slash command, direct message), buttons included. The service and
//! `testscope advise --format blocks` both build it here, so the terminal
//! prints byte for byte what Slack gets.

use super::blocks::action_buttons;
use super::message::Message;
use super::shared::{ReadFrom, read_from};
use super::{advice_message, advice_reply, has_details};
use crate::advisor::Advice;
use crate::kb::KnowledgeBase;

/// Hex digits in an id: 128 bits of a SHA-256.
pub const ADVICE_ID_HEX: usize = 32;

/// The id a private answer's buttons carry: a hash of the question and the
/// message shown for it (its Block Kit JSON). The same question with the
/// same advice always gets the same id (asking again refreshes one record);
/// a knowledge base that answers differently gives a new one.
pub fn advice_id(question: &str, shown: &Message) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(question.as_bytes());
    h.update([0]);
    // The hasher is an `io::Write`: the JSON is hashed as it is written,
    // the same bytes as `to_json` without building them as a string.
    // Writing into a hasher cannot fail, nor can serialising a message.
    let _ = serde_json::to_writer(&mut h, shown);
    hex::encode(&h.finalize()[..ADVICE_ID_HEX / 2])
}

/// An answer about to be shown under buttons that point at it: its first
/// screen as shown (without the buttons) and the id the buttons carry.
#[derive(Debug, Clone)]
pub struct Shown {
    pub id: String,
    pub first: Message,
}

/// The answer `advice` to `question` as it is about to be shown, its "what
/// was read" line worded for where. The same question, advice and place
/// always give the same id, which is how a click later proves it acts on
/// what was shown.
pub fn shown(kb: &KnowledgeBase, question: &str, advice: &Advice, from: ReadFrom) -> Shown {
    let first = read_from(kb, advice_message(kb, advice), from);
    Shown {
        id: advice_id(question, &first),
        first,
    }
}

/// The private reply to `question`, and the id its buttons point at
/// (`None` when nothing matched: no buttons, nothing to record).
pub fn private_reply(
    kb: &KnowledgeBase,
    question: &str,
    advice: &Advice,
) -> (Message, Option<String>) {
    if !advice.confident {
        return (advice_reply(kb, advice, ""), None);
    }
    let Shown {
        id,
        first: mut reply,
    } = shown(kb, question, advice, ReadFrom::Message);
    reply
        .blocks
        .push(action_buttons(kb, &id, true, has_details(advice)));
    (reply.ephemeral(), Some(id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::Block;

    /// Ids already on buttons in Slack and in the store stay valid: hashing
    /// while serialising sees exactly the bytes of the JSON text.
    #[test]
    fn the_id_hashes_the_question_and_the_json_text_of_the_message() {
        use sha2::{Digest, Sha256};
        let msg = Message::new(
            "fallback & <text>",
            vec![
                Block::header("Unit tests in dev"),
                Block::section("*Why:* \"ü\"\n"),
            ],
        );
        let mut h = Sha256::new();
        h.update(b"we bumped the learning rate\0");
        h.update(msg.to_json().as_bytes());
        let expected = hex::encode(&h.finalize()[..ADVICE_ID_HEX / 2]);
        assert_eq!(advice_id("we bumped the learning rate", &msg), expected);
    }
}
