//! The one model of a Slack message: what every reply, shared answer, thread
//! answer and quiz post is built as. The types serialise straight to the
//! Block Kit JSON Slack takes, and every constructor clips its text to
//! Slack's limits, so a message built here is never rejected for length.
//! Handlers say where a message goes ([`Post`], [`Message::ephemeral`]);
//! only this module and its siblings say what is in it.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::clip;
use crate::kb::limits;

/// Slack's recommended ceiling for the notification text of a message.
pub(crate) const FALLBACK_TEXT: usize = 4000;
/// Slack's ceiling for an accessibility label.
const ACCESSIBILITY_LABEL: usize = 75;
/// Slack caps a button value at 2000 characters.
const BUTTON_VALUE: usize = 1900;
/// Bytes reserved for a message's JSON.
const JSON_CAPACITY: usize = 4096;

/// A message: the notification text, its blocks, and for replies through
/// a `response_url` or a slash command's ack, who sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// What a notification or a client without blocks shows.
    pub text: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blocks: Vec<Block>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_type: Option<ResponseType>,
    /// Through a `response_url`: whether this replaces the message clicked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replace_original: Option<bool>,
}

/// `text` cut to `max` characters; kept, not copied, when it fits.
fn fit(text: String, max: usize) -> String {
    if text.len() <= max || text.chars().count() <= max {
        text
    } else {
        clip(&text, max)
    }
}

/// Who sees a reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponseType {
    /// Only the person who asked.
    Ephemeral,
    /// Everyone in the channel.
    InChannel,
}

impl Message {
    /// A message of `blocks` whose notification says `text`.
    pub fn new(text: impl Into<String>, blocks: Vec<Block>) -> Message {
        Message {
            text: fit(text.into(), FALLBACK_TEXT),
            blocks,
            response_type: None,
            replace_original: None,
        }
    }

    /// Text alone, with no blocks.
    pub fn text(text: &str) -> Message {
        Message::new(text, Vec::new())
    }

    /// The same message for the asker's eyes only.
    pub fn ephemeral(self) -> Message {
        Message {
            response_type: Some(ResponseType::Ephemeral),
            ..self
        }
    }

    /// The same message for the whole channel.
    pub fn in_channel(self) -> Message {
        Message {
            response_type: Some(ResponseType::InChannel),
            ..self
        }
    }

    /// Through a `response_url`: replace the message clicked (`true`) or
    /// add this one beside it.
    pub fn replacing(self, replace: bool) -> Message {
        Message {
            replace_original: Some(replace),
            ..self
        }
    }

    /// The message as Block Kit JSON text.
    pub fn to_json(&self) -> String {
        // Strings, vectors and enums of them always serialise.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The same JSON as bytes, for a response body or a hash, written into
    /// a buffer large enough for a typical answer with its buttons (about
    /// 2 kB) so that it is not grown step by step.
    pub(crate) fn json_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(JSON_CAPACITY);
        // As in `to_json`, this cannot fail.
        let _ = serde_json::to_writer(&mut out, self);
        out
    }
}

/// The Block Kit JSON, as Slack gets it.
impl std::fmt::Display for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_json())
    }
}

/// A layout block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    Header {
        text: Text,
    },
    Section {
        text: Text,
    },
    Context {
        elements: Vec<Text>,
    },
    Divider,
    Actions {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        block_id: Option<String>,
        elements: Vec<Element>,
    },
}

impl Block {
    /// Large bold plain text.
    pub fn header(text: impl Into<String>) -> Block {
        Block::Header {
            text: Text::plain(fit(text.into(), limits::HEADER)),
        }
    }

    /// A paragraph of mrkdwn.
    pub fn section(text: impl Into<String>) -> Block {
        Block::Section {
            text: Text::mrkdwn(fit(text.into(), limits::SECTION)),
        }
    }

    /// Small grey mrkdwn.
    pub fn context(text: impl Into<String>) -> Block {
        Block::Context {
            elements: vec![Text::mrkdwn(fit(text.into(), limits::SECTION))],
        }
    }

    /// A row of buttons, named `block_id`.
    pub fn buttons(block_id: &str, buttons: Vec<Button>) -> Block {
        Block::Actions {
            block_id: Some(block_id.to_owned()),
            elements: buttons.into_iter().map(Element::Button).collect(),
        }
    }

    /// Whether this is a row of buttons.
    pub fn is_actions(&self) -> bool {
        matches!(self, Block::Actions { .. })
    }
}

/// A text object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Text {
    PlainText {
        text: String,
        #[serde(default = "yes")]
        emoji: bool,
    },
    Mrkdwn {
        text: String,
    },
}

fn yes() -> bool {
    true
}

impl Text {
    pub fn plain(text: impl Into<String>) -> Text {
        Text::PlainText {
            text: text.into(),
            emoji: true,
        }
    }

    pub fn mrkdwn(text: impl Into<String>) -> Text {
        Text::Mrkdwn { text: text.into() }
    }

    /// The words, whichever kind.
    pub fn as_str(&self) -> &str {
        match self {
            Text::PlainText { text, .. } | Text::Mrkdwn { text } => text,
        }
    }
}

/// An interactive element of an actions block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Element {
    Button(Button),
}

/// A button: what it says, what it is (`action_id`) and what it carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Button {
    pub action_id: String,
    pub text: Text,
    pub value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<ButtonStyle>,
    /// What a screen reader says instead of the label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accessibility_label: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ButtonStyle {
    Primary,
    Danger,
}

impl Button {
    pub fn new(action_id: &str, label: &str, value: &str) -> Button {
        Button {
            action_id: action_id.to_owned(),
            text: Text::plain(clip(label, limits::BUTTON)),
            value: clip(value, BUTTON_VALUE),
            style: None,
            accessibility_label: None,
        }
    }

    pub fn primary(self) -> Button {
        Button {
            style: Some(ButtonStyle::Primary),
            ..self
        }
    }

    /// What a screen reader says for the button.
    pub fn spoken_as(self, label: &str) -> Button {
        Button {
            accessibility_label: Some(clip(label, ACCESSIBILITY_LABEL)),
            ..self
        }
    }
}

/// A message on its way to `chat.postMessage` or `chat.update`: where it
/// goes, and the message itself.
#[derive(Debug, Serialize)]
pub struct Post<'a> {
    pub channel: &'a str,
    /// The thread it replies in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thread_ts: Option<&'a str>,
    /// For `chat.update`: the message it rewrites.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ts: Option<&'a str>,
    /// For `chat.postEphemeral`: the one person who sees it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<&'a str>,
    /// A link in the message never unfolds into a preview.
    pub unfurl_links: bool,
    /// A tag for finding the post again (`event_type`, `event_payload`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
    #[serde(flatten)]
    pub message: &'a Message,
}

impl<'a> Post<'a> {
    /// `message`, posted in `channel`.
    pub fn new(channel: &'a str, message: &'a Message) -> Post<'a> {
        Post {
            channel,
            thread_ts: None,
            ts: None,
            user: None,
            unfurl_links: false,
            metadata: None,
            message,
        }
    }

    /// As a reply in the thread of `thread_ts`.
    pub fn in_thread(self, thread_ts: &'a str) -> Post<'a> {
        Post {
            thread_ts: Some(thread_ts),
            ..self
        }
    }

    /// As a rewrite of the message at `ts`.
    pub fn replacing(self, ts: &'a str) -> Post<'a> {
        Post {
            ts: Some(ts),
            ..self
        }
    }

    /// As an ephemeral message only `user` sees.
    pub fn only_for(self, user: &'a str) -> Post<'a> {
        Post {
            user: Some(user),
            ..self
        }
    }

    /// Tagged with `metadata`.
    pub fn tagged(self, metadata: Value) -> Post<'a> {
        Post {
            metadata: Some(metadata),
            ..self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_serialises_to_block_kit_and_reads_back() {
        let msg = Message::new(
            "fallback",
            vec![
                Block::header("Unit tests in dev"),
                Block::section("*Why:* one function"),
                Block::context("Read from your message"),
                Block::Divider,
                Block::buttons(
                    "row",
                    vec![
                        Button::new("share", "Share", "abc")
                            .primary()
                            .spoken_as("Share it"),
                    ],
                ),
            ],
        )
        .ephemeral();
        let json: Value = serde_json::from_str(&msg.to_json()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "text": "fallback",
                "response_type": "ephemeral",
                "blocks": [
                    {"type": "header", "text": {"type": "plain_text", "text": "Unit tests in dev", "emoji": true}},
                    {"type": "section", "text": {"type": "mrkdwn", "text": "*Why:* one function"}},
                    {"type": "context", "elements": [{"type": "mrkdwn", "text": "Read from your message"}]},
                    {"type": "divider"},
                    {"type": "actions", "block_id": "row", "elements": [{
                        "type": "button", "action_id": "share", "value": "abc", "style": "primary",
                        "text": {"type": "plain_text", "text": "Share", "emoji": true},
                        "accessibility_label": "Share it"
                    }]}
                ]
            })
        );
        let back: Message = serde_json::from_str(&msg.to_json()).unwrap();
        assert_eq!(back, msg);
    }

    #[test]
    fn texts_are_clipped_to_slack_limits() {
        let long = "x".repeat(10_000);
        let Block::Header { text } = Block::header(&long) else {
            unreachable!()
        };
        assert_eq!(text.as_str().chars().count(), limits::HEADER);
        let Block::Section { text } = Block::section(&long) else {
            unreachable!()
        };
        assert_eq!(text.as_str().chars().count(), limits::SECTION);
        assert_eq!(Message::text(&long).text.chars().count(), FALLBACK_TEXT);
        let b = Button::new("a", &long, &long);
        assert_eq!(b.text.as_str().chars().count(), limits::BUTTON);
        assert_eq!(b.value.chars().count(), BUTTON_VALUE);
    }

    #[test]
    fn a_post_puts_where_beside_what() {
        let msg = Message::text("hi");
        let post = Post::new("C1", &msg)
            .in_thread("1.2")
            .tagged(serde_json::json!({"event_type": "t"}));
        assert_eq!(
            serde_json::to_value(&post).unwrap(),
            serde_json::json!({
                "channel": "C1", "thread_ts": "1.2", "unfurl_links": false,
                "metadata": {"event_type": "t"}, "text": "hi"
            })
        );
    }
}
