//! What Slack gets back for one delivery, whichever way it arrived: the body
//! of the HTTP response, or the `payload` of a Socket Mode acknowledgement.
//! The handlers return an [`Ack`]; the transport decides how to send it.

use std::borrow::Cow;

use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use crate::render::Message;

/// The answer to one delivery from Slack.
#[derive(Debug, Clone)]
pub(crate) enum Ack {
    /// Received; nothing to show.
    Empty,
    /// A message shown to whoever acted (a slash command's reply).
    Message(Message),
    /// Any other JSON answer (a URL check's challenge, a form's errors).
    Json(Value),
}

impl Ack {
    /// The answer as JSON text, for a Socket Mode acknowledgement's
    /// `payload`; `None` when there is nothing to say.
    pub(crate) fn payload(&self) -> Option<Cow<'_, str>> {
        match self {
            Ack::Empty => None,
            Ack::Message(msg) => Some(Cow::Owned(msg.to_json())),
            Ack::Json(value) => Some(Cow::Owned(value.to_string())),
        }
    }
}

impl IntoResponse for Ack {
    fn into_response(self) -> Response {
        match self {
            Ack::Empty => StatusCode::OK.into_response(),
            // The body `axum::Json` would write, into a buffer sized for it.
            Ack::Message(msg) => (
                [(CONTENT_TYPE, HeaderValue::from_static("application/json"))],
                msg.json_bytes(),
            )
                .into_response(),
            Ack::Json(value) => axum::Json(value).into_response(),
        }
    }
}
