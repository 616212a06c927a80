//! What travels over a Socket Mode connection: Slack's frames, parsed into
//! types at the edge, and our acknowledgements.
//!
//! A frame we cannot read is an error value, never a panic: the connection
//! loop logs and counts it and reads on.

use serde::Deserialize;
use serde_json::Value;

/// One text frame from Slack.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Frame {
    /// The first frame of every connection.
    Hello {
        /// How long Slack means to keep this connection, in seconds.
        approximate_connection_time: Option<u64>,
    },
    /// Slack is about to close this connection, and why.
    Disconnect(DisconnectReason),
    /// A delivery to acknowledge.
    Envelope(Envelope),
    /// A frame type this version does not know; ignored.
    Other { kind: String },
}

/// Why Slack is closing a connection. Each asks for a different response
/// (see the README's Socket Mode section).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum DisconnectReason {
    /// The connection closes in about ten seconds.
    Warning,
    /// Slack refreshes the connection: replace it.
    RefreshRequested,
    /// The app holds more connections than Slack allows.
    TooManyWebsockets,
    /// Socket Mode was turned off in the app's settings.
    LinkDisabled,
    Other(String),
}

impl DisconnectReason {
    fn parse(reason: &str) -> Self {
        match reason {
            "warning" => Self::Warning,
            "refresh_requested" => Self::RefreshRequested,
            "too_many_websockets" => Self::TooManyWebsockets,
            "link_disabled" => Self::LinkDisabled,
            other => Self::Other(other.to_owned()),
        }
    }

    /// A bounded label for metrics and logs.
    pub(super) fn label(&self) -> &'static str {
        match self {
            Self::Warning => "warning",
            Self::RefreshRequested => "refresh_requested",
            Self::TooManyWebsockets => "too_many_websockets",
            Self::LinkDisabled => "link_disabled",
            Self::Other(_) => "other_disconnect",
        }
    }
}

/// A delivery: a slash command, an Events API event or an interaction.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Envelope {
    pub(super) id: String,
    pub(super) kind: EnvelopeKind,
    pub(super) payload: Value,
    /// Earlier deliveries of the same event Slack saw no ack for.
    pub(super) retry_attempt: u32,
    /// Whether the ack may carry an answer (slash commands).
    pub(super) accepts_response_payload: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum EnvelopeKind {
    EventsApi,
    SlashCommands,
    Interactive,
    Other(String),
}

impl EnvelopeKind {
    /// A bounded label for metrics: unknown types share one.
    pub(super) fn label(&self) -> &'static str {
        match self {
            Self::EventsApi => "events_api",
            Self::SlashCommands => "slash_commands",
            Self::Interactive => "interactive",
            Self::Other(_) => "other",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(super) enum FrameError {
    #[error("not a JSON object: {0}")]
    Json(String),
    #[error("missing field `{0}`")]
    Missing(&'static str),
}

#[derive(Deserialize)]
struct WireFrame {
    #[serde(rename = "type")]
    kind: Option<String>,
    envelope_id: Option<String>,
    payload: Option<Value>,
    reason: Option<String>,
    retry_attempt: Option<u32>,
    accepts_response_payload: Option<bool>,
    debug_info: Option<WireDebugInfo>,
}

#[derive(Deserialize)]
struct WireDebugInfo {
    approximate_connection_time: Option<u64>,
}

pub(super) fn parse(text: &str) -> Result<Frame, FrameError> {
    let mut wire: WireFrame =
        serde_json::from_str(text).map_err(|e| FrameError::Json(e.to_string()))?;
    let kind = wire
        .kind
        .take()
        .filter(|k| !k.is_empty())
        .ok_or(FrameError::Missing("type"))?;
    Ok(match kind.as_str() {
        "hello" => Frame::Hello {
            approximate_connection_time: wire
                .debug_info
                .and_then(|d| d.approximate_connection_time),
        },
        "disconnect" => Frame::Disconnect(DisconnectReason::parse(
            wire.reason.as_deref().unwrap_or_default(),
        )),
        "events_api" | "slash_commands" | "interactive" => {
            let kind = match kind.as_str() {
                "events_api" => EnvelopeKind::EventsApi,
                "slash_commands" => EnvelopeKind::SlashCommands,
                _ => EnvelopeKind::Interactive,
            };
            Frame::Envelope(envelope(kind, wire)?)
        }
        // Unknown types that still name an envelope are deliveries too, and
        // are acknowledged so Slack does not send them again.
        _ if wire.envelope_id.as_deref().is_some_and(|id| !id.is_empty()) => {
            Frame::Envelope(envelope(EnvelopeKind::Other(kind), wire)?)
        }
        _ => Frame::Other { kind },
    })
}

fn envelope(kind: EnvelopeKind, wire: WireFrame) -> Result<Envelope, FrameError> {
    Ok(Envelope {
        id: wire
            .envelope_id
            .filter(|id| !id.is_empty())
            .ok_or(FrameError::Missing("envelope_id"))?,
        kind,
        payload: wire.payload.unwrap_or(Value::Null),
        retry_attempt: wire.retry_attempt.unwrap_or(0),
        accepts_response_payload: wire.accepts_response_payload.unwrap_or(false),
    })
}

/// The acknowledgement of one envelope, with an answer when there is one
/// (`payload` is JSON text).
pub(super) fn ack(envelope_id: &str, payload: Option<&str>) -> String {
    let id = Value::from(envelope_id);
    match payload {
        Some(payload) => format!(r#"{{"envelope_id":{id},"payload":{payload}}}"#),
        None => format!(r#"{{"envelope_id":{id}}}"#),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn hello_carries_the_connection_time() {
        let frame = parse(
            r#"{"type":"hello","num_connections":1,"debug_info":{"host":"applink-1","approximate_connection_time":18060},"connection_info":{"app_id":"A1"}}"#,
        );
        assert_eq!(
            frame,
            Ok(Frame::Hello {
                approximate_connection_time: Some(18060)
            })
        );
    }

    #[test]
    fn every_disconnect_reason_is_told_apart() {
        for (reason, want) in [
            ("warning", DisconnectReason::Warning),
            ("refresh_requested", DisconnectReason::RefreshRequested),
            ("too_many_websockets", DisconnectReason::TooManyWebsockets),
            ("link_disabled", DisconnectReason::LinkDisabled),
            ("new_one", DisconnectReason::Other("new_one".into())),
        ] {
            let text = json!({"type": "disconnect", "reason": reason}).to_string();
            assert_eq!(parse(&text), Ok(Frame::Disconnect(want)), "{reason}");
        }
    }

    #[test]
    fn an_envelope_keeps_its_id_payload_and_retry() {
        let text = json!({
            "envelope_id": "e-1", "type": "events_api", "accepts_response_payload": false,
            "retry_attempt": 2, "retry_reason": "timeout", "payload": {"event_id": "Ev1"}
        })
        .to_string();
        let Ok(Frame::Envelope(env)) = parse(&text) else {
            panic!("not an envelope")
        };
        assert_eq!(env.id, "e-1");
        assert_eq!(env.kind, EnvelopeKind::EventsApi);
        assert_eq!(env.retry_attempt, 2);
        assert_eq!(env.payload["event_id"], "Ev1");
    }

    #[test]
    fn malformed_frames_are_errors_not_panics() {
        for bad in [
            "",
            "[]",
            "null",
            "{",
            r#"{"type":7}"#,
            r#"{"no":"type"}"#,
            r#"{"type":"slash_commands"}"#,
            r#"{"type":"events_api","envelope_id":""}"#,
            r#"{"type":"interactive","envelope_id":"x","retry_attempt":"two"}"#,
        ] {
            assert!(parse(bad).is_err(), "{bad:?} should not parse");
        }
    }

    #[test]
    fn unknown_types_with_an_envelope_id_are_still_acknowledged() {
        let frame = parse(r#"{"type":"future_thing","envelope_id":"e9","payload":{}}"#);
        assert!(
            matches!(frame, Ok(Frame::Envelope(Envelope { ref id, kind: EnvelopeKind::Other(_), .. })) if id == "e9")
        );
        assert_eq!(
            parse(r#"{"type":"future_notice"}"#),
            Ok(Frame::Other {
                kind: "future_notice".into()
            })
        );
    }

    #[test]
    fn acks_are_json_with_the_id_escaped() {
        let plain: Value = serde_json::from_str(&ack(r#"a"b"#, None)).expect("json");
        assert_eq!(plain, json!({"envelope_id": "a\"b"}));
        let with: Value = serde_json::from_str(&ack("e1", Some(r#"{"text":"hi"}"#))).expect("json");
        assert_eq!(
            with,
            json!({"envelope_id": "e1", "payload": {"text": "hi"}})
        );
    }
}
