//! Typed Slack inbound payloads.
//!
//! Every request body Slack sends us is turned into one of the domain types
//! here before any handler looks at it ("parse, don't validate"). The input is
//! always the raw body bytes, and the caller must already have verified the
//! request signature over exactly those bytes: these parsers decode, they do
//! not authenticate.
//!
//! The serde structs that mirror Slack's wire shapes are private. They make
//! every field optional, and the conversion into the public types decides what
//! is required. That way a missing field becomes a typed
//! [`PayloadError::Missing`] naming the field, instead of a generic serde
//! message, and handlers never need to `unwrap` anything.
//!
//! Conventions that hold for every parser:
//! - unknown fields are ignored, because Slack adds fields over time;
//! - an empty string counts as absent: an empty ID or timestamp is never
//!   usable, and mapping it to `None` (or to `Missing` for required fields)
//!   stops it from leaking into Web API calls. Free text (`text`) is the
//!   exception and may be empty;
//! - an unknown `type` is not an error but an `Other { kind }` arm, because
//!   Slack expects a 200 for everything it sends, and new types appear without
//!   notice.

use std::borrow::Cow;

use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::{Map, Value};

use super::form;

/// Why a body could not be turned into a payload.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PayloadError {
    /// The body, or a percent-decoded form value inside it, is not UTF-8.
    #[error("body is not valid UTF-8")]
    NotUtf8,
    /// The form (`application/x-www-form-urlencoded`) body is malformed,
    /// e.g. a field appears twice.
    #[error("malformed form body: {0}")]
    Form(String),
    /// The JSON is malformed or has a field of the wrong type. The message
    /// carries serde's line and column where it has them.
    #[error("malformed JSON: {0}")]
    Json(String),
    /// A required field is absent, null or empty. Nested fields are named by
    /// their dotted path (`user.id`, `event.ts`).
    #[error("missing required field `{0}`")]
    Missing(&'static str),
}

// ---------------------------------------------------------------------------
// Slash commands
// ---------------------------------------------------------------------------

/// A slash command (`application/x-www-form-urlencoded`).
///
/// Fields borrow from the request body where they needed no decoding, which
/// is nearly always, so parsing a command allocates next to nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlashCommand<'a> {
    pub team_id: Cow<'a, str>,
    pub channel_id: Cow<'a, str>,
    pub user_id: Cow<'a, str>,
    /// Deprecated by Slack but still sent; only for display and logs.
    pub user_name: Option<Cow<'a, str>>,
    /// The command as typed, with its leading slash, e.g. `/weather`.
    pub command: Cow<'a, str>,
    /// Everything after the command, verbatim (not trimmed). May be empty.
    pub text: Cow<'a, str>,
    pub response_url: Cow<'a, str>,
    pub trigger_id: Option<Cow<'a, str>>,
    pub api_app_id: Option<Cow<'a, str>>,
    /// Only set on Enterprise Grid.
    pub enterprise_id: Option<Cow<'a, str>>,
}

// `allow` rather than `expect`: a crate with a different clippy threshold
// would otherwise fail on an unfulfilled expectation.
/// What arrived at the slash-command URL.
#[allow(
    clippy::large_enum_variant,
    reason = "built once per request and moved once; boxing would only cost an allocation and clutter every match"
)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandRequest<'a> {
    /// Slack's periodic certificate probe (`ssl_check=1`): answer 200 with an
    /// empty body and do nothing else.
    SslCheck,
    /// A real command invocation.
    Command(SlashCommand<'a>),
}

/// Parses the body Slack POSTs to a slash command's request URL.
///
/// `ssl_check=1` wins over anything else in the body, so a probe can never be
/// dispatched as a command even if command fields ride along with it (the same
/// rule bolt-js applies). Any other `ssl_check` value (`0`, `true`, empty) is
/// not a probe, and the body must then be a complete command.
pub fn parse_command(body: &[u8]) -> Result<CommandRequest<'_>, PayloadError> {
    let [
        ssl_check,
        team_id,
        channel_id,
        user_id,
        user_name,
        command,
        text,
        response_url,
        trigger_id,
        api_app_id,
        enterprise_id,
    ] = form::fields(
        utf8(body)?,
        [
            "ssl_check",
            "team_id",
            "channel_id",
            "user_id",
            "user_name",
            "command",
            "text",
            "response_url",
            "trigger_id",
            "api_app_id",
            "enterprise_id",
        ],
    )?;
    if ssl_check.as_deref() == Some("1") {
        return Ok(CommandRequest::SslCheck);
    }
    command_from(WireCommand {
        team_id,
        channel_id,
        user_id,
        user_name,
        command,
        text,
        response_url,
        trigger_id,
        api_app_id,
        enterprise_id,
    })
    .map(CommandRequest::Command)
}

/// A slash command as Socket Mode delivers it: the same fields as the form
/// body, as a JSON object (the envelope's `payload`). Socket Mode has no
/// certificate probe, so the answer is always a command.
pub fn parse_command_object(text: &str) -> Result<SlashCommand<'static>, PayloadError> {
    // Only objects: an array would otherwise fill the fields by position.
    json_object(text)?;
    let wire: WireCommandObject = json(text)?;
    command_from(WireCommand {
        team_id: wire.team_id.map(Cow::Owned),
        channel_id: wire.channel_id.map(Cow::Owned),
        user_id: wire.user_id.map(Cow::Owned),
        user_name: wire.user_name.map(Cow::Owned),
        command: wire.command.map(Cow::Owned),
        text: wire.text.map(Cow::Owned),
        response_url: wire.response_url.map(Cow::Owned),
        trigger_id: wire.trigger_id.map(Cow::Owned),
        api_app_id: wire.api_app_id.map(Cow::Owned),
        enterprise_id: wire.enterprise_id.map(Cow::Owned),
    })
}

/// The command's fields however they arrived, before deciding which are
/// required.
struct WireCommand<'a> {
    team_id: Option<Cow<'a, str>>,
    channel_id: Option<Cow<'a, str>>,
    user_id: Option<Cow<'a, str>>,
    user_name: Option<Cow<'a, str>>,
    command: Option<Cow<'a, str>>,
    text: Option<Cow<'a, str>>,
    response_url: Option<Cow<'a, str>>,
    trigger_id: Option<Cow<'a, str>>,
    api_app_id: Option<Cow<'a, str>>,
    enterprise_id: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct WireCommandObject {
    team_id: Option<String>,
    channel_id: Option<String>,
    user_id: Option<String>,
    user_name: Option<String>,
    command: Option<String>,
    text: Option<String>,
    response_url: Option<String>,
    trigger_id: Option<String>,
    api_app_id: Option<String>,
    enterprise_id: Option<String>,
}

fn command_from(wire: WireCommand<'_>) -> Result<SlashCommand<'_>, PayloadError> {
    Ok(SlashCommand {
        team_id: required(wire.team_id, "team_id")?,
        channel_id: required(wire.channel_id, "channel_id")?,
        user_id: required(wire.user_id, "user_id")?,
        command: required(wire.command, "command")?,
        response_url: required(wire.response_url, "response_url")?,
        // An absent `text` means the same as an empty one: no arguments.
        text: wire.text.unwrap_or_default(),
        user_name: non_empty(wire.user_name),
        trigger_id: non_empty(wire.trigger_id),
        api_app_id: non_empty(wire.api_app_id),
        enterprise_id: non_empty(wire.enterprise_id),
    })
}

// ---------------------------------------------------------------------------
// Events API
// ---------------------------------------------------------------------------

// `allow` rather than `expect`: a crate with a different clippy threshold
// would otherwise fail on an unfulfilled expectation.
/// The Events API outer envelope (`application/json`).
#[allow(
    clippy::large_enum_variant,
    reason = "built once per request and moved once; boxing would only cost an allocation and clutter every match"
)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventEnvelope {
    /// The one-off handshake when the request URL is saved; echo `challenge`.
    UrlVerification { challenge: String },
    /// A subscribed event.
    Callback(EventCallback),
    /// Slack is dropping our events for this workspace for the current minute.
    AppRateLimited {
        team_id: Option<String>,
        minute_rate_limited: Option<i64>,
    },
    /// An outer `type` we do not know: acknowledge it and ignore it.
    Other { kind: String },
}

/// An `event_callback` envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventCallback {
    /// Unique per event and reused by Slack's retries, so it is the dedupe key.
    pub event_id: String,
    pub team_id: Option<String>,
    pub api_app_id: Option<String>,
    /// Epoch seconds.
    pub event_time: Option<i64>,
    pub event: Event,
}

/// The inner event of an `event_callback`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The bot was @mentioned.
    AppMention(Mention),
    /// A `message` event. It has the same fields as a mention; `subtype`
    /// tells plain messages apart from bot posts, edits and deletions.
    Message(Mention),
    /// Someone opened the app's Home or Messages tab.
    AppHomeOpened { user: String, tab: String },
    /// An inner `type` we do not handle: acknowledge it and ignore it.
    Other { kind: String },
}

/// The fields shared by `app_mention` and `message` events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// Author. Absent on some bot posts and on edits/deletions.
    pub user: Option<String>,
    pub bot_id: Option<String>,
    pub subtype: Option<String>,
    /// Message text; empty when Slack sends none (e.g. deletions).
    pub text: String,
    /// This message's own timestamp, which is also its ID.
    pub ts: String,
    /// The root of the thread this message is in, if any.
    pub thread_ts: Option<String>,
    pub channel: String,
    pub event_ts: Option<String>,
    /// `im` for a direct message to the bot (on `message` events).
    pub channel_type: Option<String>,
}

impl Mention {
    /// Where a reply belongs: the thread's root (`thread_ts`) or, outside a
    /// thread, this message's own `ts` (which starts a thread under it).
    pub fn reply_thread_ts(&self) -> &str {
        self.thread_ts.as_deref().unwrap_or(&self.ts)
    }

    /// True for bot-authored messages (`bot_id` present or subtype
    /// `bot_message`) and for edits and deletions (`message_changed`,
    /// `message_deleted`).
    ///
    /// The bot must never answer these: answering a bot (including itself)
    /// can loop forever, and an edit or deletion is not a new request. This is
    /// deliberately broader than bolt's "ignore self" rule, which only drops
    /// the app's own posts.
    pub fn is_from_bot_or_system(&self) -> bool {
        self.bot_id.is_some()
            || matches!(
                self.subtype.as_deref(),
                Some("bot_message" | "message_changed" | "message_deleted")
            )
    }
}

#[derive(Deserialize)]
struct WireUrlVerification {
    challenge: Option<String>,
}

#[derive(Deserialize)]
struct WireRateLimited {
    team_id: Option<String>,
    minute_rate_limited: Option<i64>,
}

/// Generic over the inner event so that, once the inner `type` is known, the
/// whole body is parsed in one go from the original text. That keeps serde's
/// line/column in error messages for the inner fields too.
#[derive(Deserialize)]
struct WireCallback<E> {
    event_id: Option<String>,
    team_id: Option<String>,
    api_app_id: Option<String>,
    event_time: Option<i64>,
    event: Option<E>,
}

#[derive(Deserialize)]
struct WireMention {
    user: Option<String>,
    bot_id: Option<String>,
    subtype: Option<String>,
    text: Option<String>,
    ts: Option<String>,
    thread_ts: Option<String>,
    channel: Option<String>,
    event_ts: Option<String>,
    channel_type: Option<String>,
}

#[derive(Deserialize)]
struct WireHomeOpened {
    user: Option<String>,
    tab: Option<String>,
}

/// Parses an Events API request body.
pub fn parse_event(body: &[u8]) -> Result<EventEnvelope, PayloadError> {
    let text = utf8(body)?;
    // First pass: check that the body is a JSON object and read its `type`.
    // The typed pass that follows depends on it, and an unknown type must not
    // fail just because its other fields have shapes we don't model.
    let object = json_object(text)?;
    let kind = type_tag(&object, "type")?;
    match kind.as_str() {
        "url_verification" => {
            let wire: WireUrlVerification = json(text)?;
            Ok(EventEnvelope::UrlVerification {
                challenge: required(wire.challenge, "challenge")?,
            })
        }
        "event_callback" => parse_callback(text, &object).map(EventEnvelope::Callback),
        "app_rate_limited" => {
            let wire: WireRateLimited = json(text)?;
            Ok(EventEnvelope::AppRateLimited {
                team_id: non_empty(wire.team_id),
                minute_rate_limited: wire.minute_rate_limited,
            })
        }
        _ => Ok(EventEnvelope::Other { kind }),
    }
}

fn parse_callback(text: &str, object: &Map<String, Value>) -> Result<EventCallback, PayloadError> {
    let inner_kind = match object.get("event") {
        None | Some(Value::Null) => return Err(PayloadError::Missing("event")),
        Some(Value::Object(event)) => type_tag(event, "event.type")?,
        Some(_) => return Err(PayloadError::Json("`event` must be an object".to_owned())),
    };
    match inner_kind.as_str() {
        "app_mention" | "message" => {
            let wire: WireCallback<WireMention> = json(text)?;
            wire.finish(|event| {
                let event = required_value(event, "event")?;
                let mention = Mention {
                    ts: required(event.ts, "event.ts")?,
                    channel: required(event.channel, "event.channel")?,
                    text: event.text.unwrap_or_default(),
                    user: non_empty(event.user),
                    bot_id: non_empty(event.bot_id),
                    subtype: non_empty(event.subtype),
                    thread_ts: non_empty(event.thread_ts),
                    event_ts: non_empty(event.event_ts),
                    channel_type: non_empty(event.channel_type),
                };
                Ok(if inner_kind == "app_mention" {
                    Event::AppMention(mention)
                } else {
                    Event::Message(mention)
                })
            })
        }
        "app_home_opened" => {
            let wire: WireCallback<WireHomeOpened> = json(text)?;
            wire.finish(|event| {
                let event = required_value(event, "event")?;
                Ok(Event::AppHomeOpened {
                    user: required(event.user, "event.user")?,
                    tab: event.tab.unwrap_or_default(),
                })
            })
        }
        _ => {
            // Skip the unknown event's contents entirely: its fields may use
            // names we model elsewhere with other types (`channel` is an
            // object in `channel_created`, for instance).
            let wire: WireCallback<IgnoredAny> = json(text)?;
            wire.finish(|_| Ok(Event::Other { kind: inner_kind }))
        }
    }
}

impl<E> WireCallback<E> {
    /// Converts the envelope fields, with `event` turning the inner wire
    /// event into the domain one.
    fn finish(
        self,
        event: impl FnOnce(Option<E>) -> Result<Event, PayloadError>,
    ) -> Result<EventCallback, PayloadError> {
        Ok(EventCallback {
            event_id: required(self.event_id, "event_id")?,
            team_id: non_empty(self.team_id),
            api_app_id: non_empty(self.api_app_id),
            event_time: self.event_time,
            event: event(self.event)?,
        })
    }
}

// ---------------------------------------------------------------------------
// Interactivity
// ---------------------------------------------------------------------------

/// An interactivity request (a form body whose single `payload` field holds
/// JSON).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Interaction {
    /// A user used a Block Kit interactive element (button, select, ...).
    BlockActions(BlockActions),
    /// A message shortcut (`type: "message_action"`).
    MessageAction(MessageAction),
    /// A modal's form was submitted (`view_submission`).
    ViewSubmission(ViewSubmission),
    /// Any other interaction type (global `shortcut`, `view_closed`, ...):
    /// acknowledge it and ignore it.
    Other { kind: String },
}

/// A submitted modal: who sent it, which form, and what was entered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewSubmission {
    pub user_id: String,
    /// `None` when the app is installed org-wide.
    pub team_id: Option<String>,
    pub callback_id: String,
    /// What the app put in the view when opening it; as untrusted as the
    /// rest of the payload.
    pub private_metadata: String,
    /// Each input's value by `(block_id, action_id)`: a text input's text or
    /// a select's chosen option value. Unset inputs are absent.
    pub values: Vec<((String, String), String)>,
}

impl ViewSubmission {
    /// The value entered in input `block_id`, if any.
    pub fn value(&self, block_id: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|((block, _), _)| block == block_id)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.trim().is_empty())
    }
}

/// A `block_actions` interaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockActions {
    pub user_id: String,
    pub user_name: Option<String>,
    /// `None` when the app is installed org-wide (Slack sends `team: null`).
    pub team_id: Option<String>,
    /// From `channel.id`, else `container.channel_id`; `None` in views.
    pub channel_id: Option<String>,
    /// The message holding the element; `None` in views.
    pub message_ts: Option<String>,
    /// Ephemeral messages cannot be edited with `chat.update`, only through
    /// `response_url`.
    pub is_ephemeral: bool,
    pub response_url: Option<String>,
    pub trigger_id: Option<String>,
    pub actions: Vec<Action>,
}

/// One element interaction inside a `block_actions` payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub action_id: String,
    pub block_id: Option<String>,
    /// Set by buttons and text inputs; selects report their choice in other
    /// fields that we do not model yet.
    pub value: Option<String>,
    pub action_ts: Option<String>,
}

/// A message shortcut (`message_action`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageAction {
    pub callback_id: String,
    pub user_id: String,
    pub team_id: Option<String>,
    pub channel_id: String,
    /// The `ts` of the message the shortcut was used on.
    pub message_ts: String,
    /// That message's text; empty if it has none.
    pub message_text: String,
    /// `message.thread_ts`, set if the message is in a thread.
    pub thread_ts: Option<String>,
    pub response_url: Option<String>,
    pub trigger_id: Option<String>,
}

#[derive(Deserialize)]
struct WireUser {
    id: Option<String>,
    username: Option<String>,
    name: Option<String>,
}

/// `team`, `channel`: objects of which we only need the ID.
#[derive(Deserialize)]
struct WireId {
    id: Option<String>,
}

#[derive(Deserialize)]
struct WireContainer {
    message_ts: Option<String>,
    channel_id: Option<String>,
    is_ephemeral: Option<bool>,
}

#[derive(Deserialize)]
struct WireBlockActions {
    user: Option<WireUser>,
    team: Option<WireId>,
    channel: Option<WireId>,
    container: Option<WireContainer>,
    response_url: Option<String>,
    trigger_id: Option<String>,
    actions: Option<Vec<WireAction>>,
}

#[derive(Deserialize)]
struct WireAction {
    action_id: Option<String>,
    block_id: Option<String>,
    value: Option<String>,
    action_ts: Option<String>,
}

#[derive(Deserialize)]
struct WireMessage {
    ts: Option<String>,
    text: Option<String>,
    thread_ts: Option<String>,
}

#[derive(Deserialize)]
struct WireMessageAction {
    callback_id: Option<String>,
    user: Option<WireUser>,
    team: Option<WireId>,
    channel: Option<WireId>,
    message: Option<WireMessage>,
    /// Slack also sends the source message's ts at the top level; used only
    /// when `message.ts` is missing.
    message_ts: Option<String>,
    response_url: Option<String>,
    trigger_id: Option<String>,
}

/// Parses the body Slack POSTs to the interactivity request URL.
pub fn parse_interaction(body: &[u8]) -> Result<Interaction, PayloadError> {
    let [payload] = form::fields(utf8(body)?, ["payload"])?;
    let text = required(payload, "payload")?;
    parse_interaction_object(&text)
}

/// An interaction as JSON text: the `payload` form field over HTTP, the
/// envelope's `payload` in Socket Mode.
pub fn parse_interaction_object(text: &str) -> Result<Interaction, PayloadError> {
    let object = json_object(text)?;
    let kind = type_tag(&object, "type")?;
    match kind.as_str() {
        "block_actions" => block_actions(json(text)?).map(Interaction::BlockActions),
        "message_action" => message_action(json(text)?).map(Interaction::MessageAction),
        // A form we cannot read (no user) is nobody's: acknowledged, ignored.
        "view_submission" => Ok(view_submission(&object)
            .map_or(Interaction::Other { kind }, Interaction::ViewSubmission)),
        _ => Ok(Interaction::Other { kind }),
    }
}

fn block_actions(wire: WireBlockActions) -> Result<BlockActions, PayloadError> {
    let user = required_value(wire.user, "user")?;
    let (container_channel, message_ts, is_ephemeral) = match wire.container {
        Some(c) => (c.channel_id, c.message_ts, c.is_ephemeral.unwrap_or(false)),
        None => (None, None, false),
    };
    let actions = required_value(wire.actions, "actions")?
        .into_iter()
        .map(|a| {
            Ok(Action {
                action_id: required(a.action_id, "actions[].action_id")?,
                block_id: non_empty(a.block_id),
                value: non_empty(a.value),
                action_ts: non_empty(a.action_ts),
            })
        })
        .collect::<Result<Vec<_>, PayloadError>>()?;
    Ok(BlockActions {
        user_id: required(user.id, "user.id")?,
        // `username` is the handle; `name` is an older duplicate of it.
        user_name: non_empty(user.username).or_else(|| non_empty(user.name)),
        team_id: wire.team.and_then(|t| non_empty(t.id)),
        channel_id: wire
            .channel
            .and_then(|c| non_empty(c.id))
            .or_else(|| non_empty(container_channel)),
        message_ts: non_empty(message_ts),
        is_ephemeral,
        response_url: non_empty(wire.response_url),
        trigger_id: non_empty(wire.trigger_id),
        actions,
    })
}

fn view_submission(object: &Map<String, Value>) -> Result<ViewSubmission, PayloadError> {
    let text = |v: &Value| v.as_str().filter(|s| !s.is_empty()).map(str::to_owned);
    // Indexing a `Value` gives `Null` for anything absent (a `Map` would
    // panic), so a payload of any shape is read without a panic.
    let object = Value::Object(object.clone());
    let view = object.get("view").ok_or(PayloadError::Missing("view"))?;
    let mut values = Vec::new();
    if let Some(blocks) = view["state"]["values"].as_object() {
        for (block_id, actions) in blocks {
            for (action_id, input) in actions.as_object().into_iter().flatten() {
                // A text input sends `value`; a static select its
                // `selected_option.value` (null when nothing is chosen).
                let value =
                    text(&input["value"]).or_else(|| text(&input["selected_option"]["value"]));
                if let Some(value) = value {
                    values.push(((block_id.clone(), action_id.clone()), value));
                }
            }
        }
    }
    Ok(ViewSubmission {
        user_id: text(&object["user"]["id"]).ok_or(PayloadError::Missing("user.id"))?,
        team_id: text(&object["team"]["id"]).or_else(|| text(&object["user"]["team_id"])),
        // A view without one is nobody's form: acknowledged and ignored.
        callback_id: text(&view["callback_id"]).unwrap_or_default(),
        private_metadata: text(&view["private_metadata"]).unwrap_or_default(),
        values,
    })
}

fn message_action(wire: WireMessageAction) -> Result<MessageAction, PayloadError> {
    let user = required_value(wire.user, "user")?;
    let channel = required_value(wire.channel, "channel")?;
    let message = required_value(wire.message, "message")?;
    Ok(MessageAction {
        callback_id: required(wire.callback_id, "callback_id")?,
        user_id: required(user.id, "user.id")?,
        team_id: wire.team.and_then(|t| non_empty(t.id)),
        channel_id: required(channel.id, "channel.id")?,
        message_ts: required(
            non_empty(message.ts).or_else(|| non_empty(wire.message_ts)),
            "message.ts",
        )?,
        message_text: message.text.unwrap_or_default(),
        thread_ts: non_empty(message.thread_ts),
        response_url: non_empty(wire.response_url),
        trigger_id: non_empty(wire.trigger_id),
    })
}

// ---------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------

fn utf8(body: &[u8]) -> Result<&str, PayloadError> {
    std::str::from_utf8(body).map_err(|_| PayloadError::NotUtf8)
}

fn json<T: for<'de> Deserialize<'de>>(text: &str) -> Result<T, PayloadError> {
    // serde_json's Display already ends with "at line L column C".
    serde_json::from_str(text).map_err(|e| PayloadError::Json(e.to_string()))
}

/// Parses `text` as a JSON object. Going through a map (rather than a derived
/// struct) rejects arrays, which serde would otherwise accept positionally.
fn json_object(text: &str) -> Result<Map<String, Value>, PayloadError> {
    json(text)
}

/// Reads the `type` discriminator of a JSON object. `field` is the name used
/// in errors (`type`, `event.type`).
fn type_tag(object: &Map<String, Value>, field: &'static str) -> Result<String, PayloadError> {
    match object.get("type") {
        Some(Value::String(kind)) if !kind.is_empty() => Ok(kind.clone()),
        None | Some(Value::Null) | Some(Value::String(_)) => Err(PayloadError::Missing(field)),
        Some(_) => Err(PayloadError::Json(format!("`{field}` must be a string"))),
    }
}

/// An empty string is as useless as an absent one, so both become `None`.
fn non_empty<T: AsRef<str>>(value: Option<T>) -> Option<T> {
    value.filter(|v| !v.as_ref().is_empty())
}

fn required<T: AsRef<str>>(value: Option<T>, field: &'static str) -> Result<T, PayloadError> {
    non_empty(value).ok_or(PayloadError::Missing(field))
}

fn required_value<T>(value: Option<T>, field: &'static str) -> Result<T, PayloadError> {
    value.ok_or(PayloadError::Missing(field))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    // -- fixtures (reference §9) -------------------------------------------

    /// F1: the body from Slack's request-signing example.
    const F1: &str = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";

    /// F2: Slack's documented `/weather 94070` payload, percent-encoded onto
    /// one line the way it travels.
    const F2: &str = "token=gIkuvaNzQIHg97ATvDxqgjtO&team_id=T0001&team_domain=example&enterprise_id=E0001&enterprise_name=Globular%20Construct%20Inc&channel_id=C2147483705&channel_name=test&user_id=U2147483697&user_name=Steve&command=%2Fweather&text=94070&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1234%2F5678&trigger_id=13345224609.738474920.8088930838d88f008e0&api_app_id=A123456";

    /// F3: bolt-python's `slash_command_body`.
    const F3: &str = "token=verification_token&team_id=T111&team_domain=test-domain&channel_id=C111&channel_name=random&user_id=W111&user_name=primary-owner&command=%2Fhello-world&text=Hi&enterprise_id=E111&enterprise_name=Org+Name&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT111%2F111%2Fxxxxx&trigger_id=111.111.xxx";

    /// F4: bolt-python's app_mention `event_callback`.
    const F4: &str = r#"{"token": "verification_token", "team_id": "T111", "enterprise_id": "E111", "api_app_id": "A111",
 "event": {"client_msg_id": "9cbd4c5b-7ddf-4ede-b479-ad21fca66d63", "type": "app_mention", "text": "<@W111> Hi there!",
           "user": "W222", "ts": "1595926230.009600", "team": "T111", "channel": "C111", "event_ts": "1595926230.009600"},
 "type": "event_callback", "event_id": "Ev111", "event_time": 1595926230, "authed_users": ["W111"]}"#;

    /// F5: bolt-python's `block_actions` body (JSON, before form encoding).
    const F5: &str = r#"{"type": "block_actions",
 "user": {"id": "W111", "username": "primary-owner", "name": "primary-owner", "team_id": "T111"},
 "api_app_id": "A111", "token": "verification_token",
 "container": {"type": "message", "message_ts": "111.222", "channel_id": "C111", "is_ephemeral": true},
 "trigger_id": "111.222.valid",
 "team": {"id": "T111", "domain": "workspace-domain", "enterprise_id": "E111", "enterprise_name": "Sandbox Org"},
 "channel": {"id": "C111", "name": "test-channel"},
 "response_url": "https://hooks.slack.com/actions/T111/111/random-value",
 "actions": [{"action_id": "a", "block_id": "b", "text": {"type": "plain_text", "text": "Button", "emoji": true},
              "value": "click_me_123", "type": "button", "action_ts": "1596530385.194939"}]}"#;

    /// Slack's documented url_verification body (reference §4).
    const URL_VERIFICATION: &str = r#"{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}"#;

    /// bolt-python's `bot_message_event_payload` (test_message_bot.py): a
    /// modern bot post, which has `bot_id` and even a `user`, but no subtype.
    const BOT_MESSAGE: &str = r#"{"token": "verification-token", "team_id": "T111", "enterprise_id": "E111", "api_app_id": "A111",
 "event": {"bot_id": "B999", "type": "message", "text": "Hi there! Thanks for sharing the info!", "user": "UB111",
           "ts": "1610261539.000900", "team": "T111",
           "bot_profile": {"id": "B999", "deleted": false, "name": "other-app", "updated": 1607307935, "app_id": "A222",
                           "icons": {"image_36": "https://a.slack-edge.com/80588/img/plugins/app/bot_36.png"}, "team_id": "T111"},
           "channel": "C111", "event_ts": "1610261539.000900", "channel_type": "channel"},
 "type": "event_callback", "event_id": "Ev222", "event_time": 1610261539,
 "authorizations": [{"enterprise_id": "E111", "team_id": "T111", "user_id": "UB111", "is_bot": true, "is_enterprise_install": false}],
 "is_ext_shared_channel": false, "event_context": "1-message-T111-C111"}"#;

    /// slack-morphism's `message_changed.json`, trimmed: the edit arrives
    /// with no top-level `user` or `text`; those sit in `message`.
    const MESSAGE_CHANGED: &str = r#"{"token": "XXXXXXXXXXXXXXXXXXXXXXXX", "team_id": "TXXXXXXXXXX", "context_team_id": "TXXXXXXXXXX",
 "context_enterprise_id": null, "api_app_id": "AXXXXXXXXXX",
 "event": {"type": "message", "subtype": "message_changed",
           "message": {"type": "message", "text": "edited message", "user": "UXXXXXXXXXX", "team": "TXXXXXXXXXX",
                       "edited": {"user": "UXXXXXXXXXX", "ts": "1701743154.000000"}, "ts": "1701735043.989889"},
           "previous_message": {"type": "message", "text": "hey!", "user": "UXXXXXXXXXX", "ts": "1701735043.989889"},
           "channel": "CXXXXXXXXXX", "hidden": true, "ts": "1701743154.000500", "event_ts": "1701743154.000500",
           "channel_type": "group"},
 "type": "event_callback", "event_id": "EXXXXXXXXXXX", "event_time": 1701743154,
 "authorizations": [{"enterprise_id": null, "team_id": "TXXXXXXXXXX", "user_id": "UXXXXXXXXXX", "is_bot": true,
                     "is_enterprise_install": false}],
 "is_ext_shared_channel": false}"#;

    /// A message shortcut on a threaded reply, written after the shape in
    /// Slack's "Shortcuts interaction payloads" reference.
    const MESSAGE_ACTION: &str = r#"{"type": "message_action", "token": "verification_token", "action_ts": "1581106241.371594",
 "team": {"id": "T111", "domain": "workspace-domain"},
 "user": {"id": "W111", "username": "primary-owner", "team_id": "T111", "name": "primary-owner"},
 "channel": {"id": "C111", "name": "test-channel"},
 "is_enterprise_install": false, "enterprise": null,
 "callback_id": "explain_test", "trigger_id": "111.222.valid",
 "message_ts": "1581106202.000300",
 "message": {"client_msg_id": "c7a9e5b0", "type": "message", "text": "why did test_login fail?", "user": "W222",
             "ts": "1581106202.000300", "team": "T111", "thread_ts": "1581106100.000100", "parent_user_id": "W333",
             "blocks": [{"type": "rich_text", "block_id": "x", "elements": []}]},
 "response_url": "https://hooks.slack.com/app/T111/111/random-value"}"#;

    // -- helpers -------------------------------------------------------------

    /// Percent-encodes like Python's `urllib.parse.quote` (how bolt-python
    /// builds its wire bodies): spaces become `%20`, not `+`.
    fn quote(s: &str) -> String {
        let mut out = String::with_capacity(s.len() * 3);
        for byte in s.bytes() {
            if byte.is_ascii_alphanumeric() || b"_.-~/".contains(&byte) {
                out.push(char::from(byte));
            } else {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
        out
    }

    /// The interactivity wire form, encoded the way bolt-python does it.
    fn interaction_form(json: &str) -> String {
        format!("payload={}", quote(json))
    }

    fn command(body: &str) -> SlashCommand<'_> {
        match parse_command(body.as_bytes()) {
            Ok(CommandRequest::Command(c)) => c,
            other => panic!("expected a command, got {other:?}"),
        }
    }

    fn callback(body: &str) -> EventCallback {
        match parse_event(body.as_bytes()) {
            Ok(EventEnvelope::Callback(c)) => c,
            other => panic!("expected an event_callback, got {other:?}"),
        }
    }

    fn mention(body: &str) -> Mention {
        match callback(body).event {
            Event::AppMention(m) | Event::Message(m) => m,
            other => panic!("expected a mention or message, got {other:?}"),
        }
    }

    /// An event_callback around the given inner event JSON.
    fn wrap_event(event: &str) -> String {
        format!(r#"{{"type":"event_callback","event_id":"Ev1","team_id":"T1","event":{event}}}"#)
    }

    fn block_actions_of(json: &str) -> BlockActions {
        match parse_interaction(interaction_form(json).as_bytes()) {
            Ok(Interaction::BlockActions(b)) => b,
            other => panic!("expected block_actions, got {other:?}"),
        }
    }

    fn message_action_of(json: &str) -> MessageAction {
        match parse_interaction(interaction_form(json).as_bytes()) {
            Ok(Interaction::MessageAction(m)) => m,
            other => panic!("expected message_action, got {other:?}"),
        }
    }

    fn is_json_error<T>(result: &Result<T, PayloadError>) -> bool {
        matches!(result, Err(PayloadError::Json(_)))
    }

    // -- slash commands ------------------------------------------------------

    #[test]
    fn f1_signing_example_parses_with_empty_text() {
        assert_eq!(
            command(F1),
            SlashCommand {
                team_id: "T1DC2JH3J".into(),
                channel_id: "G8PSS9T3V".into(),
                user_id: "U2CERLKJA".into(),
                user_name: Some("roadrunner".into()),
                command: "/webhook-collect".into(),
                text: "".into(),
                response_url:
                    "https://hooks.slack.com/commands/T1DC2JH3J/397700885554/96rGlfmibIGlgcZRskXaIFfN"
                        .into(),
                trigger_id: Some("398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c".into()),
                api_app_id: None,
                enterprise_id: None,
            }
        );
    }

    #[test]
    fn f2_docs_payload_parses_every_kept_field() {
        assert_eq!(
            command(F2),
            SlashCommand {
                team_id: "T0001".into(),
                channel_id: "C2147483705".into(),
                user_id: "U2147483697".into(),
                user_name: Some("Steve".into()),
                command: "/weather".into(),
                text: "94070".into(),
                response_url: "https://hooks.slack.com/commands/1234/5678".into(),
                trigger_id: Some("13345224609.738474920.8088930838d88f008e0".into()),
                api_app_id: Some("A123456".into()),
                enterprise_id: Some("E0001".into()),
            }
        );
    }

    #[test]
    fn f3_bolt_body_parses_and_tolerates_unkept_fields() {
        let c = command(F3);
        assert_eq!(c.team_id, "T111");
        assert_eq!(c.user_id, "W111");
        assert_eq!(c.command, "/hello-world");
        assert_eq!(c.text, "Hi");
        assert_eq!(c.enterprise_id.as_deref(), Some("E111"));
        assert_eq!(
            c.response_url,
            "https://hooks.slack.com/commands/T111/111/xxxxx"
        );
    }

    #[test]
    fn plus_decodes_to_space_and_percent_2b_to_plus() {
        // F3 encodes `enterprise_name=Org+Name`; we don't keep that field, so
        // put the same encoding into `text` and `user_name`, which we do.
        let body = F3
            .replace("text=Hi&", "text=Org+Name+%2B1&")
            .replace("user_name=primary-owner", "user_name=Org+Name");
        let c = command(&body);
        assert_eq!(c.text, "Org Name +1");
        assert_eq!(c.user_name.as_deref(), Some("Org Name"));
    }

    #[test]
    fn text_is_kept_verbatim_including_unicode_and_edge_whitespace() {
        let body = F1.replace("text=&", "text=%20%E2%9C%93+%3C%40U123%7Cbob%3E+&");
        assert_eq!(command(&body).text, " ✓ <@U123|bob> ");
    }

    #[test]
    fn stray_percent_signs_are_kept_literally() {
        assert_eq!(
            command(&F1.replace("text=&", "text=100%25+sure+50%&")).text,
            "100% sure 50%"
        );
        assert_eq!(command(&F1.replace("text=&", "text=%ZZ%4&")).text, "%ZZ%4");
    }

    #[test]
    fn ssl_check_1_is_an_ssl_check() {
        assert_eq!(
            parse_command(b"ssl_check=1&token=x"),
            Ok(CommandRequest::SslCheck)
        );
        assert_eq!(parse_command(b"ssl_check=1"), Ok(CommandRequest::SslCheck));
    }

    #[test]
    fn ssl_check_1_wins_over_smuggled_command_fields() {
        let body = format!("ssl_check=1&{F1}");
        assert_eq!(parse_command(body.as_bytes()), Ok(CommandRequest::SslCheck));
    }

    #[test]
    fn ssl_check_other_than_1_is_not_an_ssl_check() {
        for body in [
            "ssl_check=0",
            "ssl_check=0&token=x",
            "ssl_check=true&token=x",
            "ssl_check=&token=x",
        ] {
            assert_eq!(
                parse_command(body.as_bytes()),
                Err(PayloadError::Missing("team_id")),
                "{body}"
            );
        }
        // ...and with all command fields present it is an ordinary command.
        let body = format!("ssl_check=0&{F1}");
        assert!(matches!(
            parse_command(body.as_bytes()),
            Ok(CommandRequest::Command(_))
        ));
    }

    #[test]
    fn command_missing_response_url_is_missing() {
        let body = F3.replace(
            "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT111%2F111%2Fxxxxx",
            "",
        );
        assert_eq!(
            parse_command(body.as_bytes()),
            Err(PayloadError::Missing("response_url"))
        );
    }

    #[test]
    fn each_required_command_field_is_reported_by_name() {
        for field in [
            "team_id",
            "channel_id",
            "user_id",
            "command",
            "response_url",
        ] {
            let kept: Vec<&str> = F2
                .split('&')
                .filter(|pair| !pair.starts_with(&format!("{field}=")))
                .collect();
            let body = kept.join("&");
            assert_eq!(
                parse_command(body.as_bytes()),
                Err(PayloadError::Missing(field)),
                "{field}"
            );
            // An empty value is no better than an absent one.
            let body = format!("{body}&{field}=");
            assert_eq!(
                parse_command(body.as_bytes()),
                Err(PayloadError::Missing(field)),
                "{field} empty"
            );
        }
    }

    #[test]
    fn absent_text_means_empty_text() {
        assert_eq!(command(&F1.replace("&text=", "")).text, "");
    }

    #[test]
    fn empty_optional_command_fields_become_none() {
        let body = "team_id=T1&channel_id=C1&user_id=U1&command=%2Fx&text=&response_url=https%3A%2F%2Fh\
                    &user_name=&trigger_id=&api_app_id=&enterprise_id=";
        let c = command(body);
        assert_eq!(c.user_name, None);
        assert_eq!(c.trigger_id, None);
        assert_eq!(c.api_app_id, None);
        assert_eq!(c.enterprise_id, None);
    }

    #[test]
    fn command_rejects_non_utf8_body() {
        let mut body = F1.as_bytes().to_vec();
        body.extend_from_slice(b"&text2=\xff\xfe");
        assert_eq!(parse_command(&body), Err(PayloadError::NotUtf8));
    }

    #[test]
    fn command_rejects_percent_encoded_non_utf8() {
        // Would otherwise be decoded to U+FFFD without any error.
        let body = F1.replace("text=&", "text=%FF&");
        assert_eq!(parse_command(body.as_bytes()), Err(PayloadError::NotUtf8));
        // A multi-byte sequence cut short by the field separator.
        let body = F1.replace("text=&", "text=%E2%9C&");
        assert_eq!(parse_command(body.as_bytes()), Err(PayloadError::NotUtf8));
    }

    #[test]
    fn duplicate_command_field_is_a_form_error() {
        let body = format!("{F1}&user_id=U_OTHER");
        assert!(matches!(
            parse_command(body.as_bytes()),
            Err(PayloadError::Form(msg)) if msg.contains("user_id")
        ));
    }

    // -- Events API ----------------------------------------------------------

    #[test]
    fn url_verification_yields_the_challenge() {
        assert_eq!(
            parse_event(URL_VERIFICATION.as_bytes()),
            Ok(EventEnvelope::UrlVerification {
                challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P".into()
            })
        );
    }

    #[test]
    fn url_verification_without_challenge_is_missing() {
        assert_eq!(
            parse_event(br#"{"type":"url_verification","token":"t"}"#),
            Err(PayloadError::Missing("challenge"))
        );
        assert_eq!(
            parse_event(br#"{"type":"url_verification","challenge":""}"#),
            Err(PayloadError::Missing("challenge"))
        );
    }

    #[test]
    fn f4_app_mention_parses() {
        let expected = EventCallback {
            event_id: "Ev111".into(),
            team_id: Some("T111".into()),
            api_app_id: Some("A111".into()),
            event_time: Some(1_595_926_230),
            event: Event::AppMention(Mention {
                user: Some("W222".into()),
                bot_id: None,
                subtype: None,
                text: "<@W111> Hi there!".into(),
                ts: "1595926230.009600".into(),
                thread_ts: None,
                channel: "C111".into(),
                event_ts: Some("1595926230.009600".into()),
                channel_type: None,
            }),
        };
        assert_eq!(callback(F4), expected);
    }

    #[test]
    fn unthreaded_mention_replies_under_its_own_ts() {
        let m = mention(F4);
        assert_eq!(m.reply_thread_ts(), "1595926230.009600");
        assert!(!m.is_from_bot_or_system());
    }

    #[test]
    fn threaded_mention_replies_in_the_thread_root() {
        let body = F4.replace(
            r#""ts": "1595926230.009600","#,
            r#""ts": "1595926230.009600", "thread_ts": "1595926100.000100", "parent_user_id": "W333","#,
        );
        let m = mention(&body);
        assert_eq!(m.thread_ts.as_deref(), Some("1595926100.000100"));
        assert_eq!(m.reply_thread_ts(), "1595926100.000100");
    }

    #[test]
    fn empty_thread_ts_is_treated_as_unthreaded() {
        let m = mention(&wrap_event(
            r#"{"type":"app_mention","text":"hi","ts":"1.2","thread_ts":"","channel":"C1"}"#,
        ));
        assert_eq!(m.thread_ts, None);
        assert_eq!(m.reply_thread_ts(), "1.2");
    }

    #[test]
    fn bot_message_with_bot_id_is_from_a_bot() {
        let cb = callback(BOT_MESSAGE);
        assert_eq!(cb.event_id, "Ev222");
        let Event::Message(m) = cb.event else {
            panic!("expected a message event, got {:?}", cb.event);
        };
        assert_eq!(m.bot_id.as_deref(), Some("B999"));
        assert_eq!(m.user.as_deref(), Some("UB111"));
        assert_eq!(m.subtype, None);
        assert!(m.is_from_bot_or_system());
    }

    #[test]
    fn classic_bot_message_subtype_is_from_a_bot() {
        // bolt-python's `classic_bot_message_event_payload` has no `user`.
        let m = mention(&wrap_event(
            r#"{"type":"message","subtype":"bot_message","text":"Hi","ts":"1610262363.001600",
                "username":"classic-bot","bot_id":"B888","channel":"C111"}"#,
        ));
        assert_eq!(m.user, None);
        assert!(m.is_from_bot_or_system());
        // The subtype alone is enough, even without a bot_id.
        let m = mention(&wrap_event(
            r#"{"type":"message","subtype":"bot_message","text":"Hi","ts":"1.2","channel":"C1"}"#,
        ));
        assert!(m.is_from_bot_or_system());
    }

    #[test]
    fn message_changed_is_a_system_message() {
        let m = mention(MESSAGE_CHANGED);
        assert_eq!(m.subtype.as_deref(), Some("message_changed"));
        assert_eq!(m.user, None);
        assert_eq!(
            m.text, "",
            "the edited text lives in `message`, not at the top"
        );
        assert_eq!(m.ts, "1701743154.000500");
        assert_eq!(m.channel, "CXXXXXXXXXX");
        assert!(m.is_from_bot_or_system());
    }

    #[test]
    fn message_deleted_is_a_system_message() {
        let m = mention(&wrap_event(
            r#"{"type":"message","subtype":"message_deleted","hidden":true,"channel":"C1",
                "ts":"1.3","deleted_ts":"1.2","previous_message":{"type":"message","text":"x","ts":"1.2"}}"#,
        ));
        assert!(m.is_from_bot_or_system());
    }

    #[test]
    fn human_messages_are_not_from_bot_or_system() {
        for subtype in [None, Some("thread_broadcast"), Some("file_share"), Some("")] {
            let subtype = subtype
                .map(|s| format!(r#""subtype":"{s}","#))
                .unwrap_or_default();
            let m = mention(&wrap_event(&format!(
                r#"{{"type":"message",{subtype}"user":"U1","text":"hi","ts":"1.2","channel":"C1"}}"#
            )));
            assert!(!m.is_from_bot_or_system(), "{subtype}");
        }
    }

    #[test]
    fn message_event_is_distinguished_from_app_mention() {
        let body =
            wrap_event(r#"{"type":"message","user":"U1","text":"hi","ts":"1.2","channel":"C1"}"#);
        assert!(matches!(callback(&body).event, Event::Message(_)));
        assert!(matches!(callback(F4).event, Event::AppMention(_)));
    }

    #[test]
    fn app_rate_limited_parses() {
        let body = br#"{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","type":"app_rate_limited","team_id":"T123456","minute_rate_limited":1518467820,"api_app_id":"A123456"}"#;
        assert_eq!(
            parse_event(body),
            Ok(EventEnvelope::AppRateLimited {
                team_id: Some("T123456".into()),
                minute_rate_limited: Some(1_518_467_820),
            })
        );
    }

    #[test]
    fn unknown_outer_type_is_other() {
        assert_eq!(
            parse_event(br#"{"type":"something_new","whatever":[1,{"a":null}]}"#),
            Ok(EventEnvelope::Other {
                kind: "something_new".into()
            })
        );
    }

    #[test]
    fn unknown_inner_type_is_other_even_with_conflicting_field_shapes() {
        // In `channel_created`, `channel` is an object, not a string.
        let body = wrap_event(
            r#"{"type":"channel_created","channel":{"id":"C1","name":"fun","created":1360782804,"creator":"U1"}}"#,
        );
        let cb = callback(&body);
        assert_eq!(cb.event_id, "Ev1");
        assert_eq!(
            cb.event,
            Event::Other {
                kind: "channel_created".into()
            }
        );
    }

    #[test]
    fn unknown_fields_are_tolerated_at_every_level() {
        let body = F4
            .replace(
                r#""type": "app_mention","#,
                r#""type": "app_mention", "blocks": [{"type":"rich_text"}], "edited": {"ts": 1}, "ts_num": 5,"#,
            )
            .replace(
                r#""event_id": "Ev111","#,
                r#""event_id": "Ev111", "authorizations": [{"is_bot": true}], "context_enterprise_id": null, "future": {"x": [1, 2]},"#,
            );
        assert_eq!(callback(&body), callback(F4));
    }

    #[test]
    fn event_callback_structure_errors_are_typed() {
        assert_eq!(
            parse_event(br#"{"type":"event_callback","event_id":"Ev1"}"#),
            Err(PayloadError::Missing("event"))
        );
        assert_eq!(
            parse_event(br#"{"type":"event_callback","event_id":"Ev1","event":null}"#),
            Err(PayloadError::Missing("event"))
        );
        assert_eq!(
            parse_event(wrap_event(r#"{"text":"no type"}"#).as_bytes()),
            Err(PayloadError::Missing("event.type"))
        );
        assert!(is_json_error(&parse_event(
            br#"{"type":"event_callback","event_id":"Ev1","event":"app_mention"}"#
        )));
        assert_eq!(
            parse_event(F4.replace(r#""event_id": "Ev111","#, "").as_bytes()),
            Err(PayloadError::Missing("event_id"))
        );
        assert_eq!(
            parse_event(wrap_event(r#"{"type":"app_mention","channel":"C1"}"#).as_bytes()),
            Err(PayloadError::Missing("event.ts"))
        );
        assert_eq!(
            parse_event(wrap_event(r#"{"type":"app_mention","ts":"1.2"}"#).as_bytes()),
            Err(PayloadError::Missing("event.channel"))
        );
    }

    #[test]
    fn outer_type_must_be_a_non_empty_string() {
        assert_eq!(
            parse_event(br#"{"challenge":"x"}"#),
            Err(PayloadError::Missing("type"))
        );
        assert_eq!(
            parse_event(br#"{"type":null}"#),
            Err(PayloadError::Missing("type"))
        );
        assert_eq!(
            parse_event(br#"{"type":""}"#),
            Err(PayloadError::Missing("type"))
        );
        assert!(is_json_error(&parse_event(br#"{"type":7}"#)));
    }

    #[test]
    fn malformed_event_json_is_a_json_error_with_position() {
        let Err(PayloadError::Json(msg)) = parse_event(b"{not json") else {
            panic!("expected a JSON error");
        };
        assert!(msg.contains("line 1 column 2"), "{msg}");
    }

    #[test]
    fn wrongly_typed_event_field_is_a_json_error_with_position() {
        // `ts` as a number: serde reports where, even inside the inner event.
        let body = "{\"type\":\"event_callback\",\"event_id\":\"Ev1\",\n\"event\":{\"type\":\"app_mention\",\"ts\":1,\"channel\":\"C1\"}}";
        let Err(PayloadError::Json(msg)) = parse_event(body.as_bytes()) else {
            panic!("expected a JSON error");
        };
        assert!(msg.contains("line 2"), "{msg}");
        assert!(is_json_error(&parse_event(
            br#"{"type":"app_rate_limited","minute_rate_limited":"soon"}"#
        )));
    }

    #[test]
    fn non_object_event_bodies_are_json_errors() {
        for body in [
            &b"[]"[..],
            b"[\"url_verification\",\"x\"]",
            b"\"event_callback\"",
            b"null",
            b"",
            b"{} {}",
        ] {
            assert!(
                is_json_error(&parse_event(body)),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }

    #[test]
    fn event_rejects_non_utf8() {
        assert_eq!(
            parse_event(b"{\"type\":\"\xff\"}"),
            Err(PayloadError::NotUtf8)
        );
    }

    // -- interactivity -------------------------------------------------------

    #[test]
    fn f5_block_actions_parses() {
        assert_eq!(
            block_actions_of(F5),
            BlockActions {
                user_id: "W111".into(),
                user_name: Some("primary-owner".into()),
                team_id: Some("T111".into()),
                channel_id: Some("C111".into()),
                message_ts: Some("111.222".into()),
                is_ephemeral: true,
                response_url: Some("https://hooks.slack.com/actions/T111/111/random-value".into()),
                trigger_id: Some("111.222.valid".into()),
                actions: vec![Action {
                    action_id: "a".into(),
                    block_id: Some("b".into()),
                    value: Some("click_me_123".into()),
                    action_ts: Some("1596530385.194939".into()),
                }],
            }
        );
    }

    #[test]
    fn plus_encoded_payload_parses_like_percent_20() {
        // serde_urlencoded writes spaces as `+`, Python's quote as `%20`.
        let plus = serde_urlencoded::to_string([("payload", F5)]).expect("encodable");
        assert!(plus.contains('+'));
        assert_eq!(
            parse_interaction(plus.as_bytes()),
            Ok(Interaction::BlockActions(block_actions_of(F5)))
        );
    }

    #[test]
    fn block_actions_org_install_falls_back_to_container_and_name() {
        let json = r#"{"type":"block_actions","team":null,"user":{"id":"W1","name":"old-name"},
            "container":{"type":"message","message_ts":"1.2","channel_id":"C9"},
            "actions":[{"action_id":"a","type":"button"},{"action_id":"b","value":""}]}"#;
        let b = block_actions_of(json);
        assert_eq!(b.team_id, None);
        assert_eq!(b.user_name.as_deref(), Some("old-name"));
        assert_eq!(b.channel_id.as_deref(), Some("C9"));
        assert_eq!(b.message_ts.as_deref(), Some("1.2"));
        assert!(!b.is_ephemeral, "absent is_ephemeral means not ephemeral");
        assert_eq!(b.response_url, None);
        assert_eq!(b.actions.len(), 2);
        assert_eq!(b.actions[1].value, None);
    }

    #[test]
    fn block_actions_in_a_view_has_no_channel_or_message() {
        let json = r#"{"type":"block_actions","user":{"id":"W1"},"team":{"id":"T1"},
            "container":{"type":"view","view_id":"V1"},"view":{"id":"V1","blocks":[]},"channel":null,
            "actions":[{"action_id":"pick","block_id":"b","selected_option":{"value":"x"}}]}"#;
        let b = block_actions_of(json);
        assert_eq!(b.channel_id, None);
        assert_eq!(b.message_ts, None);
        assert_eq!(b.actions[0].value, None);
    }

    #[test]
    fn block_actions_missing_fields_are_typed() {
        let no_actions = r#"{"type":"block_actions","user":{"id":"W1"}}"#;
        let no_action_id =
            r#"{"type":"block_actions","user":{"id":"W1"},"actions":[{"value":"v"}]}"#;
        let no_user = r#"{"type":"block_actions","actions":[]}"#;
        let no_user_id = r#"{"type":"block_actions","user":{"name":"x"},"actions":[]}"#;
        for (json, field) in [
            (no_actions, "actions"),
            (no_action_id, "actions[].action_id"),
            (no_user, "user"),
            (no_user_id, "user.id"),
        ] {
            assert_eq!(
                parse_interaction(interaction_form(json).as_bytes()),
                Err(PayloadError::Missing(field))
            );
        }
    }

    #[test]
    fn message_action_shortcut_parses() {
        assert_eq!(
            message_action_of(MESSAGE_ACTION),
            MessageAction {
                callback_id: "explain_test".into(),
                user_id: "W111".into(),
                team_id: Some("T111".into()),
                channel_id: "C111".into(),
                message_ts: "1581106202.000300".into(),
                message_text: "why did test_login fail?".into(),
                thread_ts: Some("1581106100.000100".into()),
                response_url: Some("https://hooks.slack.com/app/T111/111/random-value".into()),
                trigger_id: Some("111.222.valid".into()),
            }
        );
    }

    #[test]
    fn message_action_outside_a_thread_and_top_level_ts_fallback() {
        let json = r#"{"type":"message_action","callback_id":"cb","user":{"id":"W1"},"channel":{"id":"C1"},
            "team":null,"message_ts":"9.9","message":{"type":"message","user":"W2"}}"#;
        let m = message_action_of(json);
        assert_eq!(m.thread_ts, None);
        assert_eq!(m.message_ts, "9.9");
        assert_eq!(m.message_text, "");
        assert_eq!(m.team_id, None);
    }

    #[test]
    fn message_action_missing_fields_are_typed() {
        /// Parses the MESSAGE_ACTION fixture after `edit` has changed it.
        fn parse_edited(
            edit: impl FnOnce(&mut Map<String, Value>),
        ) -> Result<Interaction, PayloadError> {
            let mut object: Map<String, Value> =
                serde_json::from_str(MESSAGE_ACTION).expect("fixture is a JSON object");
            edit(&mut object);
            let json = Value::Object(object).to_string();
            parse_interaction(interaction_form(&json).as_bytes())
        }
        let missing = |field| Err(PayloadError::Missing(field));
        assert_eq!(
            parse_edited(|o| drop(o.remove("callback_id"))),
            missing("callback_id")
        );
        assert_eq!(parse_edited(|o| drop(o.remove("user"))), missing("user"));
        assert_eq!(
            parse_edited(|o| drop(o.remove("channel"))),
            missing("channel")
        );
        assert_eq!(
            parse_edited(|o| drop(o.insert("channel".into(), serde_json::json!({"name": "x"})))),
            missing("channel.id")
        );
        assert_eq!(
            parse_edited(|o| drop(o.remove("message"))),
            missing("message")
        );
        assert_eq!(
            parse_edited(|o| {
                o.remove("message_ts");
                o.insert("message".into(), serde_json::json!({"text": "t"}));
            }),
            missing("message.ts")
        );
    }

    #[test]
    fn other_interaction_types_are_other() {
        for kind in [
            "shortcut",
            "view_submission",
            "view_closed",
            "interactive_message",
        ] {
            // A view_submission's `user`, `view` etc. must not be validated.
            let json =
                format!(r#"{{"type":"{kind}","callback_id":"x","user":{{"id":5}},"view":{{}}}}"#);
            assert_eq!(
                parse_interaction(interaction_form(&json).as_bytes()),
                Ok(Interaction::Other { kind: kind.into() })
            );
        }
    }

    #[test]
    fn a_submitted_form_gives_its_values_by_block() {
        let json = r#"{"type":"view_submission","team":{"id":"T1"},"user":{"id":"U1"},
            "view":{"callback_id":"testscope_not_quite","private_metadata":"{\"advice\":\"a\"}",
            "state":{"values":{
                "expected_scope":{"scope":{"type":"static_select","selected_option":{"value":"unit"}}},
                "expected_stage":{"stage":{"type":"static_select","selected_option":null}},
                "comment":{"comment":{"type":"plain_text_input","value":"  "}},
                "odd":{"x":5}}}}}"#;
        let Ok(Interaction::ViewSubmission(form)) =
            parse_interaction(interaction_form(json).as_bytes())
        else {
            panic!("a view_submission");
        };
        assert_eq!(form.user_id, "U1");
        assert_eq!(form.team_id.as_deref(), Some("T1"));
        assert_eq!(form.callback_id, "testscope_not_quite");
        assert_eq!(form.private_metadata, r#"{"advice":"a"}"#);
        assert_eq!(form.value("expected_scope"), Some("unit"));
        assert_eq!(form.value("expected_stage"), None, "nothing chosen");
        assert_eq!(form.value("comment"), None, "blank is nothing");
        assert_eq!(form.value("odd"), None);
    }

    #[test]
    fn extra_form_fields_are_tolerated() {
        let body = format!("x=1&{}&other=%7B%7D", interaction_form(F5));
        assert!(matches!(
            parse_interaction(body.as_bytes()),
            Ok(Interaction::BlockActions(_))
        ));
    }

    #[test]
    fn form_without_payload_is_missing_payload() {
        assert_eq!(
            parse_interaction(b"token=x&type=block_actions"),
            Err(PayloadError::Missing("payload"))
        );
        assert_eq!(
            parse_interaction(b""),
            Err(PayloadError::Missing("payload"))
        );
        assert_eq!(
            parse_interaction(b"payload="),
            Err(PayloadError::Missing("payload"))
        );
    }

    #[test]
    fn payload_with_invalid_json_is_a_json_error() {
        assert!(is_json_error(&parse_interaction(b"payload=%7Bnot+json")));
        assert!(is_json_error(&parse_interaction(b"payload=%5B%5D")));
        assert!(is_json_error(&parse_interaction(
            interaction_form(r#"{"type":"block_actions","user":{"id":"W1"},"actions":"a"}"#)
                .as_bytes()
        )));
    }

    #[test]
    fn payload_without_type_is_missing_type() {
        assert_eq!(
            parse_interaction(interaction_form(r#"{"user":{"id":"W1"}}"#).as_bytes()),
            Err(PayloadError::Missing("type"))
        );
    }

    #[test]
    fn duplicate_payload_field_is_a_form_error() {
        let body = format!("{}&payload=%7B%7D", interaction_form(F5));
        assert!(matches!(
            parse_interaction(body.as_bytes()),
            Err(PayloadError::Form(_))
        ));
    }

    #[test]
    fn interaction_rejects_non_utf8() {
        assert_eq!(
            parse_interaction(b"payload=\xc3\x28"),
            Err(PayloadError::NotUtf8)
        );
        assert_eq!(
            parse_interaction(b"payload=%C3%28"),
            Err(PayloadError::NotUtf8)
        );
    }

    #[test]
    fn errors_display_the_offending_field() {
        assert_eq!(
            PayloadError::Missing("user.id").to_string(),
            "missing required field `user.id`"
        );
        assert_eq!(PayloadError::NotUtf8.to_string(), "body is not valid UTF-8");
    }

    // -- properties ----------------------------------------------------------

    const KEYS: &[&str] = &[
        "type",
        "event",
        "event_id",
        "event_time",
        "team_id",
        "api_app_id",
        "challenge",
        "minute_rate_limited",
        "user",
        "id",
        "username",
        "name",
        "bot_id",
        "subtype",
        "text",
        "ts",
        "thread_ts",
        "channel",
        "channel_id",
        "event_ts",
        "team",
        "container",
        "message_ts",
        "is_ephemeral",
        "actions",
        "action_id",
        "block_id",
        "value",
        "action_ts",
        "message",
        "callback_id",
        "response_url",
        "trigger_id",
    ];

    const KINDS: &[&str] = &[
        "url_verification",
        "event_callback",
        "app_rate_limited",
        "app_mention",
        "message",
        "block_actions",
        "message_action",
        "shortcut",
        "bot_message",
        "message_changed",
    ];

    /// JSON values built from Slack's own keys and type names, so that the
    /// generated inputs get past the `type` dispatch and reach the typed
    /// conversions, where a panic would hide.
    fn slack_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            prop::sample::select(KINDS).prop_map(Value::from),
            "\\PC{0,6}".prop_map(Value::from),
        ];
        leaf.prop_recursive(4, 96, 8, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                slack_object(inner),
            ]
        })
    }

    fn slack_object(values: impl Strategy<Value = Value>) -> impl Strategy<Value = Value> {
        (
            prop::option::weighted(0.8, prop::sample::select(KINDS)),
            prop::collection::btree_map(prop::sample::select(KEYS), values, 0..10),
        )
            .prop_map(|(kind, fields)| {
                let mut object: Map<String, Value> =
                    fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
                if let Some(kind) = kind {
                    object.insert("type".into(), kind.into());
                }
                Value::Object(object)
            })
    }

    /// Where a fixture mutation lands, as JSON pointers into the fixture.
    const TARGETS: &[&str] = &[
        "",
        "",
        "/event",
        "/event",
        "/user",
        "/team",
        "/channel",
        "/container",
        "/actions/0",
        "/message",
    ];

    /// A valid fixture with a few fields replaced, removed or added, so that
    /// most inputs get past the `type` dispatch and some get nearly all the
    /// way through the typed conversion before something is off.
    fn mutated_fixture() -> impl Strategy<Value = Value> {
        const FIXTURES: &[&str] = &[
            F4,
            BOT_MESSAGE,
            MESSAGE_CHANGED,
            URL_VERIFICATION,
            F5,
            MESSAGE_ACTION,
        ];
        let mutation = (
            prop::sample::select(TARGETS),
            prop::sample::select(KEYS),
            prop::option::weighted(0.7, slack_json()),
        );
        (
            prop::sample::select(FIXTURES),
            prop::collection::vec(mutation, 1..4),
        )
            .prop_map(|(fixture, mutations)| {
                let mut value: Value = serde_json::from_str(fixture).expect("fixture is JSON");
                for (target, key, new) in mutations {
                    if let Some(object) = value.pointer_mut(target).and_then(Value::as_object_mut) {
                        match new {
                            Some(new) => drop(object.insert(key.to_owned(), new)),
                            None => drop(object.remove(key)),
                        }
                    }
                }
                value
            })
    }

    fn json_ish() -> impl Strategy<Value = String> {
        let noise = r#"[{}\[\]":,. a-z_0-9\\ntu\-]{0,200}"#;
        prop_oneof![
            noise,
            (prop::sample::select(KINDS), noise)
                .prop_map(|(kind, rest)| format!(r#"{{"type":"{kind}",{rest}"#)),
        ]
    }

    /// Optional form fields as the wire has them: absent, or present
    /// (possibly empty).
    fn form_pairs<'a>(command: &'a SlashCommand<'_>) -> Vec<(&'static str, &'a str)> {
        let mut pairs = vec![
            ("team_id", command.team_id.as_ref()),
            ("channel_id", &command.channel_id),
            ("user_id", &command.user_id),
            ("command", &command.command),
            ("text", &command.text),
            ("response_url", &command.response_url),
        ];
        for (key, value) in [
            ("user_name", &command.user_name),
            ("trigger_id", &command.trigger_id),
            ("api_app_id", &command.api_app_id),
            ("enterprise_id", &command.enterprise_id),
        ] {
            if let Some(value) = value {
                pairs.push((key, value));
            }
        }
        pairs
    }

    fn non_empty_text() -> impl Strategy<Value = String> {
        "\\PC{1,20}"
    }

    prop_compose! {
        fn slash_command()(
            team_id in non_empty_text(), channel_id in non_empty_text(), user_id in non_empty_text(),
            user_name in prop::option::of(non_empty_text()), command in non_empty_text(),
            text in any::<String>(), response_url in non_empty_text(),
            trigger_id in prop::option::of(non_empty_text()), api_app_id in prop::option::of(non_empty_text()),
            enterprise_id in prop::option::of(non_empty_text()),
        ) -> SlashCommand<'static> {
            let owned = |v: Option<String>| v.map(Cow::Owned);
            SlashCommand { team_id: team_id.into(), channel_id: channel_id.into(), user_id: user_id.into(),
                           user_name: owned(user_name), command: command.into(), text: text.into(),
                           response_url: response_url.into(), trigger_id: owned(trigger_id),
                           api_app_id: owned(api_app_id), enterprise_id: owned(enterprise_id) }
        }
    }

    proptest! {
        #[test]
        fn parsers_never_panic_on_arbitrary_bytes(body in prop::collection::vec(any::<u8>(), 0..=8192)) {
            let _ = parse_command(&body);
            let _ = parse_event(&body);
            let _ = parse_interaction(&body);
        }

        #[test]
        fn parsers_never_panic_on_json_ish_strings(text in json_ish()) {
            let _ = parse_command(text.as_bytes());
            let _ = parse_event(text.as_bytes());
            let _ = parse_interaction(interaction_form(&text).as_bytes());
            let _ = parse_interaction(text.as_bytes());
        }

        #[test]
        fn parsers_never_panic_on_slack_shaped_json(value in slack_object(slack_json())) {
            let text = value.to_string();
            // Valid JSON objects always get past decoding: any failure must
            // be about the content, never about UTF-8 or the form layer.
            let event = parse_event(text.as_bytes());
            prop_assert!(!matches!(event, Err(PayloadError::NotUtf8 | PayloadError::Form(_))), "{event:?}");
            let interaction = parse_interaction(interaction_form(&text).as_bytes());
            prop_assert!(!matches!(interaction, Err(PayloadError::NotUtf8 | PayloadError::Form(_))), "{interaction:?}");
        }

        #[test]
        fn parsers_never_panic_on_mutated_fixtures(value in mutated_fixture()) {
            let text = value.to_string();
            let event = parse_event(text.as_bytes());
            prop_assert!(!matches!(event, Err(PayloadError::NotUtf8 | PayloadError::Form(_))), "{event:?}");
            let interaction = parse_interaction(interaction_form(&text).as_bytes());
            prop_assert!(!matches!(interaction, Err(PayloadError::NotUtf8 | PayloadError::Form(_))), "{interaction:?}");
        }

        #[test]
        fn command_text_round_trips(text in any::<String>()) {
            let mut body = serde_urlencoded::to_string([("text", text.as_str())]).expect("encodable");
            body.push('&');
            body.push_str(&F1.replace("&text=", ""));
            prop_assert_eq!(command(&body).text, text);
        }

        #[test]
        fn slash_command_round_trips(expected in slash_command()) {
            let body = serde_urlencoded::to_string(form_pairs(&expected)).expect("encodable");
            prop_assert_eq!(parse_command(body.as_bytes()), Ok(CommandRequest::Command(expected)));
        }

        #[test]
        fn percent_encoded_bytes_decode_or_report_not_utf8(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
            let encoded: String = bytes.iter().map(|b| format!("%{b:02x}")).collect();
            let body = F1.replace("text=&", &format!("text={encoded}&"));
            match std::str::from_utf8(&bytes) {
                Ok(text) => prop_assert_eq!(command(&body).text, text),
                Err(_) => prop_assert_eq!(parse_command(body.as_bytes()), Err(PayloadError::NotUtf8)),
            }
        }
    }
}
