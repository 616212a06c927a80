//! The private answer exactly as the bot sends it to the person who asked
//! (slash command, direct message), buttons included. The service and
//! `testscope advise --format blocks` both build it here, so the terminal
//! prints byte for byte what Slack gets.

use serde_json::Value;

use super::{advice_message, advice_reply};
use crate::advisor::Advice;
use crate::kb::KnowledgeBase;

/// Hex digits in an id: 128 bits of a SHA-256.
pub const ADVICE_ID_HEX: usize = 32;

/// The id a private answer's buttons carry: a hash of the question and the
/// message shown for it. The same question with the same advice always
/// gets the same id (asking again refreshes one record); a knowledge base
/// that answers differently gives a new one.
pub fn advice_id(question: &str, message_json: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(question.as_bytes());
    h.update([0]);
    h.update(message_json.as_bytes());
    hex::encode(&h.finalize()[..ADVICE_ID_HEX / 2])
}

/// The private reply to `question` and the id its buttons carry (`None`
/// when nothing matched: no buttons, nothing to record).
pub fn private_reply(
    kb: &KnowledgeBase,
    question: &str,
    advice: &Advice,
) -> (Value, Option<String>) {
    if !advice.confident {
        return (advice_reply(kb, advice, ""), None);
    }
    let id = advice_id(question, &advice_message(kb, advice).to_string());
    (advice_reply(kb, advice, &id), Some(id))
}
