//! `/testscope ...`: answered in the HTTP response itself, well within
//! Slack's three seconds. The command's name is never assumed, since teams
//! rename it.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::AppState;
use super::ack::Ack;
use super::replies::advice_with_buttons;
use super::verify::{AppError, Verified};
use crate::quiz;
use crate::quiz::commands::Asker;
use crate::render;
use crate::slack::payload::{self, CommandRequest, SlashCommand};

pub(super) async fn handle(
    State(state): State<AppState>,
    req: Verified,
) -> Result<Response, AppError> {
    let ack =
        match payload::parse_command(&req.body).map_err(|e| AppError::BadRequest(e.to_string()))? {
            CommandRequest::SslCheck => Ack::Empty,
            CommandRequest::Command(cmd) => answer(&state, &cmd).await,
        };
    Ok(ack.into_response())
}

/// The answer to a slash command, over HTTP or Socket Mode: an ephemeral
/// message, sent back as the acknowledgement itself.
pub(crate) async fn answer(state: &AppState, cmd: &SlashCommand<'_>) -> Ack {
    tracing::debug!(team = %cmd.team_id, channel = %cmd.channel_id, "slash command");
    let text = cmd.text.trim();
    let (first, rest) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
    if first.eq_ignore_ascii_case("quiz") {
        let asker = Asker {
            team_id: &cmd.team_id,
            channel_id: &cmd.channel_id,
            user_id: &cmd.user_id,
        };
        // Boxed: the quiz's database calls would otherwise make every
        // command's future, which axum moves onto the heap, as large
        // as theirs.
        let msg = Box::pin(quiz::commands::handle(
            state.quiz_ctx(),
            &asker,
            rest,
            state.clock.now(),
        ))
        .await;
        return Ack::Json(msg);
    }
    cached_reply(state, cmd)
}

/// Rendered replies by question text. Advice is a pure function of the text
/// and the knowledge base, so a repeated question (a team pasting the same
/// PR summary, a retried command) costs a lookup instead of a new render.
#[derive(Default)]
pub struct ReplyCache {
    entries: std::sync::Mutex<rustc_hash::FxHashMap<String, Rendered>>,
}

/// A reply as it goes on the wire, with its length header made once.
#[derive(Clone)]
struct Rendered {
    body: Bytes,
    length: HeaderValue,
}

/// Enough for a busy workspace's recent questions; bounded so memory is too.
const CACHE_ENTRIES: usize = 512;

impl ReplyCache {
    fn get_or_render(&self, text: &str, render: impl FnOnce() -> Value) -> Rendered {
        if let Some(hit) = self.entries.lock().ok().and_then(|m| m.get(text).cloned()) {
            return hit;
        }
        let body = Bytes::from(serde_json::to_vec(&render()).unwrap_or_default());
        let rendered = Rendered {
            length: HeaderValue::from(body.len()),
            body,
        };
        if let Ok(mut m) = self.entries.lock() {
            if m.len() >= CACHE_ENTRIES {
                m.clear();
            }
            m.insert(text.to_owned(), rendered.clone());
        }
        rendered
    }
}

fn cached_reply(state: &AppState, cmd: &SlashCommand<'_>) -> Ack {
    let rendered = state
        .replies
        .get_or_render(cmd.text.trim(), || reply(state, cmd));
    Ack::Rendered {
        body: rendered.body,
        length: rendered.length,
    }
}

/// The reply to one command; every path is a friendly ephemeral message.
pub(super) fn reply(state: &AppState, cmd: &SlashCommand<'_>) -> Value {
    let text = cmd.text.trim();
    let kb = &state.kb;
    let mut msg = match text.to_lowercase().as_str() {
        "" | "help" | "?" | "-h" | "--help" => render::help_message(kb),
        "rules" | "table" | "decision table" => render::rules_message(kb),
        "traps" => render::traps_message(kb),
        _ => advice_with_buttons(state, text),
    };
    msg["response_type"] = json!("ephemeral");
    msg
}
