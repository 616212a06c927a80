//! `/testscope ...`: answered in the HTTP response itself, well within
//! Slack's three seconds. The command's name is never assumed, since teams
//! rename it.

use axum::extract::State;
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::ack::Ack;
use super::shown;
use super::verify::{AppError, Verified};
use crate::command::{self, Command};
use crate::quiz;
use crate::quiz::commands::Asker;
use crate::render::{self, Message, Post};
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
/// message, sent back as the acknowledgement itself. The text is parsed once
/// by [`command::parse`] and routed from the result.
pub(crate) async fn answer(state: &AppState, cmd: &SlashCommand<'_>) -> Ack {
    tracing::debug!(team = %cmd.team_id, channel = %cmd.channel_id, "slash command");
    let parsed = command::parse(&cmd.text);
    let kb = &state.kb;
    let msg = match &parsed {
        Command::Advise(text) => return advice_reply(state, text),
        Command::Quiz(quiz_cmd) => {
            let asker = Asker {
                team_id: &cmd.team_id,
                channel_id: &cmd.channel_id,
                user_id: &cmd.user_id,
            };
            if !state.quiz_admins.allows(&cmd.user_id, quiz_cmd) {
                tracing::info!(user = %cmd.user_id, "a quiz change by someone not in TESTSCOPE_QUIZ_ADMINS refused");
                let refusal = state.quiz_admins.refusal(&cmd.command);
                return Ack::Message(Message::text(&refusal).ephemeral());
            }
            // Boxed: the quiz's database calls would otherwise make every
            // command's future, which axum moves onto the heap, as large
            // as theirs.
            let answer = Box::pin(quiz::commands::answer(
                state.quiz_ctx(),
                &asker,
                quiz_cmd,
                state.clock.now(),
            ))
            .await;
            if let Some(text) = answer.announcement {
                announce(state, &cmd.channel_id, &text);
            }
            return Ack::Message(answer.reply);
        }
        Command::QuizUsage { problem } => {
            let usage = command::quiz_usage(&cmd.command);
            let text = match problem {
                Some(why) => format!("{why}\n{usage}"),
                None => usage,
            };
            Message::text(&text)
        }
        Command::Help => render::help_message(kb, &cmd.command),
        Command::Rules => render::rules_message(kb),
        Command::Traps => render::traps_message(kb),
        Command::Feedback => super::feedback::summary(state).await,
    };
    Ack::Message(msg.ephemeral())
}

/// Tells the whole channel that its quiz changed, in the background: the
/// person who changed it has their answer already. A refused post (the bot
/// removed from the channel meanwhile) is only logged.
fn announce(state: &AppState, channel: &str, text: &str) {
    let s = state.clone();
    let (channel, msg) = (channel.to_owned(), Message::text(text));
    state.spawn("quiz change announcement", async move {
        if let Err(e) = s.slack.post_message(&Post::new(&channel, &msg)).await {
            tracing::warn!(error = %e, "could not announce a quiz change in its channel");
        }
    });
}

/// Advice for the text, rendered for this request: a new question every time
/// is what users send, so there is nothing worth caching.
fn advice_reply(state: &AppState, text: &str) -> Ack {
    Ack::Message(shown::recorded_reply(state, text))
}
