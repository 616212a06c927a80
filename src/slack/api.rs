//! Outbound Slack Web API client with bounded, rate-limit-aware retries.
//!
//! Everything the bot sends to Slack goes through [`SlackApi`]: Web API
//! methods (`chat.postMessage`, `conversations.replies`, ...) and the
//! one-shot `response_url` callbacks of slash commands and interactions.
//!
//! Retry rules, in one place so every caller behaves the same way:
//! - HTTP 429, or HTTP 200 with `{"ok":false,"error":"ratelimited"}`: wait for
//!   `Retry-After` (capped) or the normal backoff, then try again.
//! - Failures to connect: exponential backoff, then try again (the request
//!   was never sent).
//! - HTTP 5xx: exponential backoff, then try again, except for the methods
//!   that create a message (`chat.postMessage`, `chat.postEphemeral`): a 5xx
//!   from a proxy or a struggling Slack may come after the message was
//!   posted, so for them a 5xx is treated like a timeout.
//! - A timeout or a connection lost mid-request is not repeated: Slack may
//!   have acted on it, and a slow Slack must not get more calls. Callers
//!   that must not lose a post tag it with message metadata and look for it
//!   first ([`SlackApi::find_tagged_reply`], [`SlackApi::find_tagged_message`]).
//!   Ephemeral messages cannot be looked up, so after such a failure they
//!   are given up on; the same holds for a `response_url` post that adds a
//!   message (one that replaces or deletes the original is repeated).
//! - Anything else (a Slack error code such as `not_in_channel`, a 4xx, a body
//!   we cannot read) is returned at once: repeating the same request would
//!   only produce the same answer and burn rate-limit budget.
//!
//! The bot token and message contents are never logged; only the method name,
//! the attempt number and what happened.

use std::collections::HashSet;
use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue, RETRY_AFTER};
use reqwest::{RequestBuilder, StatusCode};
use serde::Deserialize;
use serde_json::Value;

/// Slack's SDKs send this exact value; naming the charset avoids Slack's
/// `missing_charset` warning and any guessing on its side.
const JSON_UTF8: &str = "application/json; charset=utf-8";

/// Label used in logs and errors for `response_url` posts. The URL itself is
/// a bearer capability (anyone holding it can post into the conversation for
/// 30 minutes), so it must not end up in logs either.
const RESPONSE_URL_LABEL: &str = "response_url";

/// Upper bound on `conversations.replies` pages fetched for one thread. A
/// runaway cursor loop (or a gigantic thread) must not keep a handler busy and
/// eat the method's rate limit; the caller gets what was read so far.
const MAX_REPLY_PAGES: usize = 10;

/// Slack recommends page sizes of at most 200 for cursor-paginated methods.
const MAX_REPLY_PAGE_SIZE: u32 = 200;

/// Where Slack's `response_url`s point. Anything else a payload names is
/// refused: a signed payload must not be able to make the server post to
/// its own network (SSRF).
pub const SLACK_HOOKS_ORIGIN: &str = "https://hooks.slack.com";

/// How often a refused `response_url` may be logged (per reason); every
/// refusal is counted in the metrics.
const REFUSAL_LOG_INTERVAL: Duration = Duration::from_secs(60);

/// Methods that create a new message each time they are called; a second
/// call after an unclear outcome can show the message twice.
const CREATES_MESSAGE: &[&str] = &["chat.postMessage", "chat.postEphemeral"];

const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// A Slack bot token (`xoxb-…`).
///
/// Wrapped so it cannot be printed by accident: `Debug` shows only the token
/// type prefix, there is no `Display`, and the raw value is readable only
/// inside this module, where it goes into the `Authorization` header.
#[derive(Clone, PartialEq, Eq)]
pub struct BotToken(String);

impl BotToken {
    /// Wraps a token. Surrounding whitespace is trimmed because tokens pasted
    /// into env files often carry a trailing newline, which would otherwise
    /// make every request fail with an invalid header.
    pub fn new(token: impl Into<String>) -> Self {
        let token: String = token.into();
        Self(token.trim().to_owned())
    }

    /// True when the token is empty (e.g. `SLACK_BOT_TOKEN=` set but blank).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for BotToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Show the token type ("xoxb-", "xoxp-") because that is what people
        // need when debugging a wrong-token setup, but only when the value has
        // the expected shape: for a malformed value even five characters could
        // be part of the secret.
        let prefix = self
            .0
            .get(..5)
            .filter(|p| p.starts_with("xox") && p.ends_with('-'))
            .unwrap_or("");
        write!(f, "BotToken({prefix}…[REDACTED])")
    }
}

/// An app-level token (`xapp-…`), used only to open Socket Mode connections.
/// Kept out of logs the same way as [`BotToken`].
#[derive(Clone, PartialEq, Eq)]
pub struct AppToken(String);

impl AppToken {
    /// Trimmed for the same reason as [`BotToken::new`]. `None` when blank.
    pub fn parse(token: &str) -> Option<Self> {
        let token = token.trim();
        (!token.is_empty()).then(|| Self(token.to_owned()))
    }

    /// Whether the value looks like an app-level token; a bot token pasted
    /// here is the usual mistake.
    pub fn looks_right(&self) -> bool {
        self.0.starts_with("xapp-")
    }
}

impl fmt::Debug for AppToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let prefix = self.0.get(..5).filter(|p| *p == "xapp-").unwrap_or("");
        write!(f, "AppToken({prefix}…[REDACTED])")
    }
}

/// Why `apps.connections.open` gave no URL.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// HTTP 429 (or `ratelimited`): try again after `retry_after`, when
    /// Slack said.
    #[error("apps.connections.open is rate limited")]
    RateLimited { retry_after: Option<Duration> },
    /// Slack refused: `invalid_auth`, `not_allowed_token_type`, ...
    #[error("apps.connections.open failed: {code}")]
    Refused { code: String },
    /// Anything else (Slack down, unreachable, an unreadable answer).
    #[error("apps.connections.open did not get through: {0}")]
    Other(String),
}

impl OpenError {
    /// Retrying cannot help; the token or the app's settings are wrong.
    pub fn is_permanent(&self) -> bool {
        matches!(self, Self::Refused { code } if matches!(code.as_str(),
            "invalid_auth" | "not_authed" | "token_revoked" | "account_inactive"
            | "not_allowed_token_type" | "missing_scope"))
    }
}

/// How hard to try before giving up on a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Total tries, including the first one. `0` is treated as `1`.
    pub max_attempts: u32,
    /// First backoff step for 5xx/network failures; doubles on each retry.
    pub base_delay: Duration,
    /// Ceiling for the exponential backoff.
    pub max_delay: Duration,
    /// Ceiling for an honoured `Retry-After`, so one hostile or buggy header
    /// cannot park a handler for minutes.
    pub max_retry_after: Duration,
    /// Upper bound of the random delay added to every wait, so that several
    /// tasks hit by the same 429 do not all come back in the same instant.
    pub jitter: Duration,
    /// How long one attempt may take, answer included. An attempt that runs
    /// out of time is not repeated (see [`SlackApi`]).
    pub request_timeout: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(30),
            jitter: Duration::from_millis(250),
            request_timeout: REQUEST_TIMEOUT,
        }
    }
}

impl RetryPolicy {
    /// Backoff before retry number `retry` (0 = the first retry):
    /// `base_delay * 2^retry`, capped at `max_delay`. Jitter is not included.
    pub fn backoff(&self, retry: u32) -> Duration {
        let factor = 1u32.checked_shl(retry).unwrap_or(u32::MAX);
        self.base_delay.saturating_mul(factor).min(self.max_delay)
    }

    fn attempts(&self) -> u32 {
        self.max_attempts.max(1)
    }
}

/// Why a Slack call failed.
#[derive(Debug, thiserror::Error)]
pub enum SlackError {
    /// No bot token configured; no request was made.
    #[error("Slack bot token is not configured: set SLACK_BOT_TOKEN to the app's xoxb- token")]
    NotConfigured,
    /// Slack answered `{"ok":false,"error":code}`.
    #[error("Slack API {method} failed: {code}")]
    Api { method: String, code: String },
    /// Still rate limited after every allowed attempt.
    #[error("Slack API {method} is rate limited; gave up after retrying")]
    RateLimited { method: String },
    /// A non-success HTTP status: 5xx after all retries, or a 4xx that
    /// carried no Slack error code.
    #[error("Slack API {method} returned HTTP {status}")]
    Http { method: String, status: u16 },
    /// The request never got a complete answer (connect refused, timeout,
    /// connection reset), after all retries.
    #[error("Slack API {method} request failed: {source}")]
    Transport {
        method: String,
        #[source]
        source: reqwest::Error,
    },
    /// Slack answered, but not in the shape we expected.
    #[error("Slack API {method} returned an unreadable response: {detail}")]
    Decode { method: String, detail: String },
    /// A `response_url` outside the allowed Slack origins, or carrying
    /// credentials; nothing was sent.
    #[error("response_url refused ({reason}): not an allowed Slack origin")]
    ResponseUrlRefused { reason: &'static str },
}

impl SlackError {
    /// The Slack error code (`not_in_channel`, `invalid_auth`, ...) if Slack
    /// gave one.
    pub fn code(&self) -> Option<&str> {
        match self {
            Self::Api { code, .. } => Some(code),
            _ => None,
        }
    }

    /// The bot cannot post where it was asked to: it is not a member, or it
    /// cannot see the conversation at all. Callers turn this into a "please
    /// /invite the bot" hint instead of a generic failure.
    pub fn is_not_in_channel(&self) -> bool {
        matches!(self.code(), Some("not_in_channel" | "channel_not_found"))
    }

    /// The token itself is bad (wrong, revoked, deactivated). Retrying cannot
    /// help; this needs an operator.
    pub fn is_auth_error(&self) -> bool {
        matches!(
            self.code(),
            Some("invalid_auth" | "not_authed" | "token_revoked" | "account_inactive")
        )
    }

    /// Posting to this conversation will keep failing until a person acts:
    /// the bot is not in it or cannot see it, it is archived, or the token
    /// is bad. Retrying is pointless.
    pub fn is_permanent_for_posting(&self) -> bool {
        self.is_not_in_channel() || self.is_auth_error() || self.code() == Some("is_archived")
    }

    /// Rate limiting outlasted the retry budget.
    pub fn is_rate_limited(&self) -> bool {
        matches!(self, Self::RateLimited { .. })
    }

    /// The request went out but no clear answer came back (a timeout, a
    /// connection lost mid-request, a 5xx from Slack or a proxy in front of
    /// it): Slack may have acted on it. A failed connect never reached Slack.
    pub fn may_have_reached_slack(&self) -> bool {
        match self {
            Self::Transport { source, .. } => !source.is_connect(),
            Self::Http { status, .. } => *status >= 500,
            _ => false,
        }
    }
}

/// Result of `auth.test`: who the bot is in this workspace.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AuthInfo {
    pub user_id: String,
    #[serde(default)]
    pub bot_id: Option<String>,
    #[serde(default)]
    pub team_id: Option<String>,
}

/// Where `chat.postMessage` put the message; `ts` is needed to thread replies
/// under it or to `chat.update` it later.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PostedMessage {
    pub channel: String,
    pub ts: String,
}

/// One message of a thread, as returned by `conversations.replies`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ThreadMessage {
    #[serde(default)]
    pub user: Option<String>,
    #[serde(default)]
    pub bot_id: Option<String>,
    #[serde(default)]
    pub subtype: Option<String>,
    /// Messages made only of blocks or files may have no `text`.
    #[serde(default)]
    pub text: String,
    pub ts: String,
    #[serde(default)]
    pub thread_ts: Option<String>,
}

/// Client for the Slack Web API and `response_url` callbacks.
///
/// Cheap to clone (the HTTP connection pool is shared), so it can sit in axum
/// state and be handed to spawned tasks.
#[derive(Debug, Clone)]
pub struct SlackApi {
    http: reqwest::Client,
    /// For `response_url`s: never follows a redirect, so an allowed origin
    /// cannot pass the request on to one that is not.
    hooks: reqwest::Client,
    base_url: String,
    token: Option<BotToken>,
    policy: RetryPolicy,
    /// Origins (`https://hooks.slack.com`) a `response_url` may point to.
    response_origins: std::sync::Arc<[String]>,
    refusals: std::sync::Arc<crate::telemetry::LogThrottle>,
}

/// Which failures [`SlackApi::with_retries`] tries again after.
#[derive(Debug, Clone, Copy)]
struct Retries {
    /// Wait out a rate limit (else return `RateLimited` at once).
    wait_when_limited: bool,
    /// Repeat after a 5xx; not for calls that must not be done twice.
    repeat_on_5xx: bool,
}

/// What one attempt came to, before deciding whether to try again.
enum Attempt<T> {
    Done(T),
    /// Final answer: retrying would not change it.
    Fail(SlackError),
    RateLimited {
        retry_after: Option<Duration>,
    },
    ServerError {
        status: u16,
    },
    Transport(reqwest::Error),
}

impl SlackApi {
    /// `base_url` is the Web API root, e.g. `https://slack.com/api` (a
    /// trailing slash is tolerated). A missing or blank token is accepted so
    /// the service can start without Slack configured; every Web API call
    /// then returns [`SlackError::NotConfigured`].
    ///
    /// # Panics
    /// If the TLS backend cannot be initialised, which only happens on a
    /// broken build; `reqwest::Client::new` would panic the same way.
    pub fn new(base_url: &str, token: Option<BotToken>, policy: RetryPolicy) -> Self {
        // Timeouts keep a stalled Slack from holding a task forever; the
        // retry loop then decides whether to try again.
        let client = |redirects: reqwest::redirect::Policy| {
            reqwest::Client::builder()
                .connect_timeout(CONNECT_TIMEOUT)
                .timeout(policy.request_timeout)
                .user_agent(concat!(
                    env!("CARGO_PKG_NAME"),
                    "/",
                    env!("CARGO_PKG_VERSION")
                ))
                .redirect(redirects)
                .build()
                .expect("failed to build the HTTP client (TLS backend unavailable)")
        };
        let base_url = base_url.trim_end_matches('/').to_owned();
        // The Web API's own origin is trusted as much as Slack's hooks: it
        // is where the bot token goes anyway, and a fake Slack in tests
        // serves both.
        let mut response_origins = vec![SLACK_HOOKS_ORIGIN.to_owned()];
        if let Ok(origin) = origin_of(&base_url, true) {
            response_origins.push(origin);
        }
        Self {
            http: client(reqwest::redirect::Policy::default()),
            hooks: client(reqwest::redirect::Policy::none()),
            base_url,
            token: token.filter(|t| !t.is_empty()),
            policy,
            response_origins: response_origins.into(),
            refusals: std::sync::Arc::new(crate::telemetry::LogThrottle::new(REFUSAL_LOG_INTERVAL)),
        }
    }

    /// Also accepts `response_url`s on these origins (already checked with
    /// [`origin_of`]), for a Slack deployment with hooks elsewhere.
    pub fn with_response_origins(mut self, extra: &[String]) -> Self {
        let mut all = self.response_origins.to_vec();
        all.extend(extra.iter().cloned());
        self.response_origins = all.into();
        self
    }

    /// Whether a bot token is configured.
    pub fn has_token(&self) -> bool {
        self.token.is_some()
    }

    /// Calls any Web API method with a JSON body and returns the whole
    /// response object when Slack says `ok:true`.
    ///
    /// Slack documents JSON bodies for its write methods (`chat.*` and the
    /// like); read methods such as `conversations.replies` take form or query
    /// arguments, so use [`SlackApi::call_form`] for those.
    pub async fn call(
        &self,
        method: &str,
        body: &(impl serde::Serialize + ?Sized),
    ) -> Result<Value, SlackError> {
        let token = self.token()?;
        // Serialise once; each retry re-sends the same bytes.
        let bytes = serde_json::to_vec(body).map_err(|e| SlackError::Decode {
            method: method.to_owned(),
            detail: format!("request body not serialisable: {e}"),
        })?;
        let url = self.method_url(method);
        let repeat_on_5xx = !CREATES_MESSAGE.contains(&method);
        self.with_retries(
            method,
            Retries {
                wait_when_limited: true,
                repeat_on_5xx,
            },
            || {
                self.http
                    .post(&url)
                    .bearer_auth(token.secret())
                    .header(CONTENT_TYPE, HeaderValue::from_static(JSON_UTF8))
                    .body(bytes.clone())
            },
            |status, headers, body| interpret_api(method, status, headers, body),
        )
        .await
    }

    /// `views.open`: shows a modal in answer to the click that carried
    /// `trigger_id` (usable once, for about three seconds), with the same
    /// retry rules as every other call.
    pub async fn open_view(&self, trigger_id: &str, view: &Value) -> Result<(), SlackError> {
        let body = serde_json::json!({"trigger_id": trigger_id, "view": view});
        self.call("views.open", &body).await.map(drop)
    }

    /// `views.publish`: sets `user_id`'s Home tab to `view`, with the same
    /// retry rules as every other call.
    pub async fn publish_view(&self, user_id: &str, view: &Value) -> Result<(), SlackError> {
        let body = serde_json::json!({"user_id": user_id, "view": view});
        self.call("views.publish", &body).await.map(drop)
    }

    /// Calls a Web API method with form-encoded arguments, for the methods
    /// that do not read JSON bodies (most `*.list`/`*.history`/`*.replies`).
    /// The token still travels only in the `Authorization` header.
    pub async fn call_form(
        &self,
        method: &str,
        params: &[(&str, &str)],
    ) -> Result<Value, SlackError> {
        self.call_form_with(method, params, true).await
    }

    async fn call_form_with(
        &self,
        method: &str,
        params: &[(&str, &str)],
        wait_when_limited: bool,
    ) -> Result<Value, SlackError> {
        let token = self.token()?;
        let url = self.method_url(method);
        self.with_retries(
            method,
            Retries {
                wait_when_limited,
                repeat_on_5xx: true,
            },
            || {
                self.http
                    .post(&url)
                    .bearer_auth(token.secret())
                    .form(params)
            },
            |status, headers, body| interpret_api(method, status, headers, body),
        )
        .await
    }

    /// `apps.connections.open` with the app-level token: the URL of a new
    /// Socket Mode connection. One attempt: the caller owns the backoff, so
    /// a reconnect storm cannot multiply into retries here.
    pub async fn open_connection(&self, app_token: &AppToken) -> Result<String, OpenError> {
        const METHOD: &str = "apps.connections.open";
        let started = std::time::Instant::now();
        let response = self
            .http
            .post(self.method_url(METHOD))
            .bearer_auth(&app_token.0)
            .header(CONTENT_TYPE, HeaderValue::from_static(JSON_UTF8))
            .body("{}")
            .send()
            .await;
        let outcome = match response {
            Ok(response) => {
                let status = response.status();
                let headers = response.headers().clone();
                match response.bytes().await {
                    Ok(body) => interpret_api(METHOD, status, &headers, &body),
                    Err(e) => Attempt::Transport(e),
                }
            }
            Err(e) => Attempt::Transport(e),
        };
        let (label, result) = match outcome {
            Attempt::Done(value) => match value.get("url").and_then(Value::as_str) {
                Some(url) if !url.is_empty() => ("ok", Ok(url.to_owned())),
                _ => (
                    "decode",
                    Err(OpenError::Other("the answer has no `url`".to_owned())),
                ),
            },
            Attempt::RateLimited { retry_after } => {
                ("rate_limited", Err(OpenError::RateLimited { retry_after }))
            }
            Attempt::Fail(SlackError::Api { code, .. }) => {
                ("error", Err(OpenError::Refused { code }))
            }
            Attempt::Fail(other) => ("error", Err(OpenError::Other(other.to_string()))),
            Attempt::ServerError { status } => (
                "server_error",
                Err(OpenError::Other(format!("HTTP {status}"))),
            ),
            Attempt::Transport(e) => (
                transport_kind(&e),
                Err(OpenError::Other(e.without_url().to_string())),
            ),
        };
        crate::telemetry::slack_call(METHOD, label, started.elapsed());
        result
    }

    /// The origin of the Web API base URL, e.g. `http://127.0.0.1:4000`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// `auth.test`: checks the token and tells who the bot is. Run at startup
    /// so a bad token is reported once, clearly, rather than on first use.
    pub async fn auth_test(&self) -> Result<AuthInfo, SlackError> {
        let value = self
            .call("auth.test", &Value::Object(Default::default()))
            .await?;
        decode("auth.test", &value)
    }

    /// `chat.postMessage`; `msg` is the full argument object (`channel`,
    /// `text`, `blocks`, `thread_ts`, ...), usually a [`crate::render::Post`].
    pub async fn post_message(
        &self,
        msg: &(impl serde::Serialize + ?Sized),
    ) -> Result<PostedMessage, SlackError> {
        let value = self.call("chat.postMessage", msg).await?;
        decode("chat.postMessage", &value)
    }

    /// The `ts` of a message in the thread under `thread_ts`, between
    /// `oldest` and `latest` (Slack timestamps, both included), whose
    /// `metadata` (as `chat.postMessage` was given it) has `event_type` and
    /// an `event_payload.event_id` of `event_id`. Finds out whether a post
    /// whose answer never came went through. Waits out a rate limit: for
    /// apps outside Slack's Marketplace thread reads are allowed once a
    /// minute, and guessing wrong here means an answer shown twice or not at
    /// all.
    pub async fn find_tagged_reply(
        &self,
        channel: &str,
        thread_ts: &str,
        window: (&str, &str),
        event_type: &str,
        event_id: &str,
    ) -> Result<Option<String>, SlackError> {
        let params = [("channel", channel), ("ts", thread_ts)];
        let tag = (event_type, "event_id", event_id);
        self.find_tagged("conversations.replies", &params, window, tag)
            .await
    }

    /// The `ts` of a message in `channel` (not in a thread) between `oldest`
    /// and `latest` whose `metadata` has `event_type` and an
    /// `event_payload.<key>` of `value`: whether a post whose answer never
    /// came went through. Waits out a rate limit, as
    /// [`SlackApi::find_tagged_reply`] does.
    pub async fn find_tagged_message(
        &self,
        channel: &str,
        window: (&str, &str),
        event_type: &str,
        (key, value): (&str, &str),
    ) -> Result<Option<String>, SlackError> {
        let params = [("channel", channel)];
        self.find_tagged(
            "conversations.history",
            &params,
            window,
            (event_type, key, value),
        )
        .await
    }

    /// Pages through `method` (a history or thread read) in `window`,
    /// looking for the tag `(event_type, payload key, value)`.
    async fn find_tagged(
        &self,
        method: &str,
        base: &[(&str, &str)],
        (oldest, latest): (&str, &str),
        (event_type, key, value): (&str, &str, &str),
    ) -> Result<Option<String>, SlackError> {
        // Slack's page limit per read for apps outside its Marketplace; the
        // window is a few minutes around the post, so the first pages hold it.
        const PAGES: usize = 3;
        let mut cursor = String::new();
        for _ in 0..PAGES {
            let mut params = base.to_vec();
            params.extend([
                ("oldest", oldest),
                ("latest", latest),
                ("inclusive", "true"),
                ("limit", "15"),
                ("include_all_metadata", "true"),
            ]);
            if !cursor.is_empty() {
                params.push(("cursor", cursor.as_str()));
            }
            let answer = self.call_form(method, &params).await?;
            let messages = answer.get("messages").and_then(Value::as_array);
            let found = messages.into_iter().flatten().find(|m| {
                m.pointer("/metadata/event_type").and_then(Value::as_str) == Some(event_type)
                    && m.pointer("/metadata/event_payload")
                        .and_then(|p| p.get(key))
                        .and_then(Value::as_str)
                        == Some(value)
            });
            if let Some(found) = found {
                return Ok(Some(found["ts"].as_str().unwrap_or_default().to_owned()));
            }
            cursor = answer
                .pointer("/response_metadata/next_cursor")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            if cursor.is_empty() {
                break;
            }
        }
        Ok(None)
    }

    /// `chat.postEphemeral` (needs `channel` and `user` in `msg`).
    pub async fn post_ephemeral(
        &self,
        msg: &(impl serde::Serialize + ?Sized),
    ) -> Result<(), SlackError> {
        self.call("chat.postEphemeral", msg).await.map(drop)
    }

    /// `chat.update` (needs `channel` and `ts` in `msg`).
    pub async fn update_message(
        &self,
        msg: &(impl serde::Serialize + ?Sized),
    ) -> Result<(), SlackError> {
        self.call("chat.update", msg).await.map(drop)
    }

    /// `conversations.replies`: the thread rooted at `ts`, oldest first,
    /// between `oldest` and `latest` (message timestamps, both included)
    /// when given: the parent (if Slack includes it) and the newest
    /// `limit - 1` messages in that range.
    ///
    /// Slack pages a thread from its start, so the pages are followed (at
    /// most `MAX_REPLY_PAGES`) and the oldest replies beyond `limit` dropped.
    /// Thread reads are rate limited hard (1 a minute for apps outside the
    /// Marketplace), so a 429 is not waited out, and a page that fails after
    /// the first ends the read with what was read so far: an answer from
    /// part of the thread beats none. Only a failing first page is an error.
    pub async fn thread_replies(
        &self,
        channel: &str,
        ts: &str,
        oldest: Option<&str>,
        latest: Option<&str>,
        limit: u32,
    ) -> Result<Vec<ThreadMessage>, SlackError> {
        const METHOD: &str = "conversations.replies";
        self.token()?;
        let wanted = usize::try_from(limit.max(1)).unwrap_or(usize::MAX);
        let page_size = limit.clamp(1, MAX_REPLY_PAGE_SIZE).to_string();
        let mut messages: Vec<ThreadMessage> = Vec::new();
        // The thread's parent can come back again at the top of later pages;
        // remembering what was collected keeps each message once.
        let mut seen: HashSet<String> = HashSet::new();
        let mut cursor = String::new();

        for page in 1..=MAX_REPLY_PAGES {
            let mut params = vec![
                ("channel", channel),
                ("ts", ts),
                ("limit", page_size.as_str()),
            ];
            if let Some(oldest) = oldest {
                params.push(("oldest", oldest));
            }
            if let Some(latest) = latest {
                params.push(("latest", latest));
            }
            if oldest.is_some() || latest.is_some() {
                params.push(("inclusive", "true"));
            }
            if !cursor.is_empty() {
                params.push(("cursor", cursor.as_str()));
            }
            let value = match self.call_form_with(METHOD, &params, false).await {
                Ok(value) => value,
                Err(e) if page == 1 => return Err(e),
                Err(e) => {
                    tracing::warn!(
                        method = METHOD,
                        page,
                        collected = messages.len(),
                        error = %e,
                        "a later page of the thread failed; going on with what was read"
                    );
                    break;
                }
            };
            let page_messages: Vec<ThreadMessage> = match value.get("messages") {
                Some(list) => decode(METHOD, list)?,
                None => Vec::new(),
            };
            for message in page_messages {
                if seen.insert(message.ts.clone()) {
                    messages.push(message);
                }
            }
            cursor = value
                .pointer("/response_metadata/next_cursor")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            if cursor.is_empty() {
                break;
            }
            if page == MAX_REPLY_PAGES {
                tracing::warn!(
                    method = METHOD,
                    pages = page,
                    collected = messages.len(),
                    "thread longer than the page budget; going on with what was read"
                );
            }
        }
        Ok(newest(messages, ts, wanted))
    }

    /// Posts `msg` to a slash-command or interaction `response_url`.
    ///
    /// No bearer token: the URL is itself the credential. Success is any 2xx
    /// unless the body is a JSON `{"ok":false}`; Slack normally answers with
    /// the plain text `ok`. Even a verified payload is not trusted with where
    /// the server sends requests: only the allowed origins are posted to,
    /// never with credentials from the URL and never following a redirect.
    /// A refusal is counted and logged here (at most once a minute per
    /// reason), so callers need not log it again.
    pub async fn respond(
        &self,
        response_url: &str,
        msg: &crate::render::Message,
    ) -> Result<(), SlackError> {
        let url = match self.check_response_url(response_url) {
            Ok(url) => url,
            Err((reason, origin)) => {
                crate::telemetry::response_url_refused(reason);
                if let Some(count) = self.refusals.admit(reason) {
                    tracing::warn!(
                        reason,
                        origin = %crate::render::clip(&origin, 100),
                        count,
                        "refused to post to a response_url outside the allowed Slack origins \
                         (count: refusals for this reason since the last such line)"
                    );
                }
                return Err(SlackError::ResponseUrlRefused { reason });
            }
        };
        let bytes = serde_json::to_vec(msg).map_err(|e| SlackError::Decode {
            method: RESPONSE_URL_LABEL.to_owned(),
            detail: format!("request body not serialisable: {e}"),
        })?;
        // Replacing or deleting the original message twice does no harm;
        // anything else adds a message (an ephemeral one, mostly, which no
        // API can look up afterwards), so a 5xx is not repeated for it.
        let edits_original = msg.replace_original == Some(true);
        self.with_retries(
            RESPONSE_URL_LABEL,
            Retries {
                wait_when_limited: true,
                repeat_on_5xx: edits_original,
            },
            || {
                self.hooks
                    .post(url.clone())
                    .header(CONTENT_TYPE, HeaderValue::from_static(JSON_UTF8))
                    .body(bytes.clone())
            },
            interpret_response_url,
        )
        .await
    }

    /// The URL when it may be posted to; else why not, and its origin (not
    /// the path, which is the secret part) for the log.
    fn check_response_url(&self, raw: &str) -> Result<reqwest::Url, (&'static str, String)> {
        let url = reqwest::Url::parse(raw).map_err(|_| ("unparsable", String::new()))?;
        let origin = url.origin().ascii_serialization();
        // reqwest would send these as Basic auth to whoever the host is.
        if !url.username().is_empty() || url.password().is_some() {
            return Err(("credentials", origin));
        }
        if !self.response_origins.contains(&origin) {
            return Err(("origin", origin));
        }
        Ok(url)
    }

    fn token(&self) -> Result<&BotToken, SlackError> {
        self.token.as_ref().ok_or(SlackError::NotConfigured)
    }

    fn method_url(&self, method: &str) -> String {
        format!("{}/{method}", self.base_url)
    }

    /// The retry loop shared by every call. `request` builds a fresh request
    /// per attempt (a sent request cannot be reused); `interpret` classifies
    /// a complete HTTP answer.
    async fn with_retries<T>(
        &self,
        label: &str,
        retries: Retries,
        request: impl Fn() -> RequestBuilder,
        interpret: impl Fn(StatusCode, &HeaderMap, &[u8]) -> Attempt<T>,
    ) -> Result<T, SlackError> {
        let max_attempts = self.policy.attempts();
        let mut attempt: u32 = 1;
        loop {
            let started = std::time::Instant::now();
            let outcome = match request().send().await {
                Ok(response) => {
                    let status = response.status();
                    let headers = response.headers().clone();
                    match response.bytes().await {
                        Ok(body) => interpret(status, &headers, &body),
                        Err(e) => Attempt::Transport(e),
                    }
                }
                Err(e) => Attempt::Transport(e),
            };

            // Decide between "return now" and "wait this long, then retry".
            // `give_up` is what the caller gets if no attempts are left.
            let (wait, give_up, outcome_name) = match outcome {
                Attempt::Done(value) => {
                    tracing::debug!(method = label, attempt, outcome = "ok", "Slack call");
                    crate::telemetry::slack_call(label, "ok", started.elapsed());
                    return Ok(value);
                }
                Attempt::Fail(error) => {
                    crate::telemetry::slack_call(
                        label,
                        error.code().unwrap_or("error"),
                        started.elapsed(),
                    );
                    tracing::warn!(
                        method = label,
                        attempt,
                        outcome = "failed",
                        code = error.code().unwrap_or(""),
                        "Slack call failed; not retryable"
                    );
                    return Err(error);
                }
                Attempt::RateLimited { retry_after } => {
                    if !retries.wait_when_limited {
                        crate::telemetry::slack_call(label, "rate_limited", started.elapsed());
                        tracing::warn!(
                            method = label,
                            attempt,
                            outcome = "rate_limited",
                            "Slack call rate limited; not waiting"
                        );
                        return Err(SlackError::RateLimited {
                            method: label.to_owned(),
                        });
                    }
                    let wait = match retry_after {
                        Some(after) => after.min(self.policy.max_retry_after),
                        None => self.policy.backoff(attempt - 1),
                    };
                    let give_up = SlackError::RateLimited {
                        method: label.to_owned(),
                    };
                    (wait, give_up, "rate_limited")
                }
                Attempt::ServerError { status } => {
                    let give_up = SlackError::Http {
                        method: label.to_owned(),
                        status,
                    };
                    if !retries.repeat_on_5xx {
                        crate::telemetry::slack_call(label, "server_error", started.elapsed());
                        tracing::warn!(
                            method = label,
                            attempt,
                            status,
                            "Slack call failed with a server error; not repeated, it may have been done"
                        );
                        return Err(give_up);
                    }
                    (self.policy.backoff(attempt - 1), give_up, "server_error")
                }
                Attempt::Transport(error) => {
                    // Only failures of the exchange itself are worth another
                    // try; a request that could not even be built (bad URL,
                    // bad header) would fail identically every time.
                    let retryable = is_retryable_transport(&error);
                    // A response_url is a credential and reqwest puts the URL
                    // into its error text, so strip it before it can be logged.
                    let error = if label == RESPONSE_URL_LABEL {
                        error.without_url()
                    } else {
                        error
                    };
                    let kind = transport_kind(&error);
                    let give_up = SlackError::Transport {
                        method: label.to_owned(),
                        source: error,
                    };
                    if !retryable {
                        crate::telemetry::slack_call(label, kind, started.elapsed());
                        tracing::warn!(
                            method = label,
                            attempt,
                            outcome = kind,
                            "Slack call failed; not retryable"
                        );
                        return Err(give_up);
                    }
                    (self.policy.backoff(attempt - 1), give_up, kind)
                }
            };

            crate::telemetry::slack_call(label, outcome_name, started.elapsed());
            if attempt >= max_attempts {
                tracing::warn!(
                    method = label,
                    attempt,
                    outcome = outcome_name,
                    "Slack call failed; no attempts left"
                );
                return Err(give_up);
            }
            let wait = wait.saturating_add(jitter(self.policy.jitter));
            tracing::info!(
                method = label,
                attempt,
                outcome = outcome_name,
                wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                "Slack call will be retried"
            );
            crate::telemetry::slack_retry(label, outcome_name);
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }
}

/// The thread's parent (if present) and the newest of the rest, `wanted`
/// in all, oldest first.
fn newest(mut messages: Vec<ThreadMessage>, root: &str, wanted: usize) -> Vec<ThreadMessage> {
    if messages.len() <= wanted {
        return messages;
    }
    let parent = messages
        .iter()
        .position(|m| m.ts == root)
        .map(|i| messages.remove(i));
    let keep = wanted - usize::from(parent.is_some());
    let tail = messages.split_off(messages.len().saturating_sub(keep));
    parent.into_iter().chain(tail).collect()
}

/// How far our clock and Slack's may be apart, in seconds. A post made by
/// an attempt that started at `t` on our clock carries a Slack timestamp
/// no earlier than `t` minus this; hosts kept by NTP are within a second,
/// two minutes also covers a badly kept one.
pub const CLOCK_SKEW_SECS: i64 = 120;

/// The search window, as Slack timestamps, for a message posted by an
/// attempt that started at `started` and ended by `ended` (our clock,
/// seconds), and that cannot be older than `floor` (a Slack ts it follows,
/// such as the mention it answers) when given. Deriving it from what is
/// known keeps a search in a long thread or a busy channel to the few
/// messages that could be the post.
pub fn post_window(started: i64, ended: i64, floor: Option<&str>) -> (String, String) {
    let from = started.saturating_sub(CLOCK_SKEW_SECS).max(0);
    let oldest = format!("{from}.000000");
    let oldest = match floor {
        // Slack timestamps have the same number of digits for centuries, so
        // the later of two compares as numbers; an unreadable floor is ignored.
        Some(f) if ts_seconds(f).is_some_and(|s| s >= from) => f.to_owned(),
        _ => oldest,
    };
    let latest = format!(
        "{}.999999",
        ended.max(started).saturating_add(CLOCK_SKEW_SECS)
    );
    (oldest, latest)
}

/// The whole seconds of a Slack timestamp (`"1700000000.000100"`).
fn ts_seconds(ts: &str) -> Option<i64> {
    ts.split('.').next()?.parse().ok()
}

/// The origin (`https://host[:port]`) of an http(s) URL without credentials.
/// With `path_allowed` false the URL must be a bare origin, as in the
/// response-origin setting, so nobody writes a path expecting it to matter.
pub fn origin_of(url: &str, path_allowed: bool) -> Result<String, String> {
    let parsed = reqwest::Url::parse(url.trim())
        .map_err(|e| format!("`{}` is not a URL: {e}", crate::render::clip(url, 100)))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
        return Err(format!(
            "`{}` is not an http(s) URL with a host",
            crate::render::clip(url, 100)
        ));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err("an origin must not carry a user name or password".to_owned());
    }
    let bare = parsed.path() == "/" && parsed.query().is_none() && parsed.fragment().is_none();
    if !path_allowed && !bare {
        return Err(format!(
            "`{}` has a path or query; give only scheme, host and port, like https://hooks.slack.com",
            crate::render::clip(url, 100)
        ));
    }
    Ok(parsed.origin().ascii_serialization())
}

/// Classifies a Web API answer.
fn interpret_api(
    method: &str,
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
) -> Attempt<Value> {
    if status == StatusCode::TOO_MANY_REQUESTS {
        return Attempt::RateLimited {
            retry_after: retry_after(headers),
        };
    }
    if status.is_server_error() {
        return Attempt::ServerError {
            status: status.as_u16(),
        };
    }
    if !status.is_success() {
        // Slack's errors normally come with HTTP 200, but if a 4xx does carry
        // a Slack error code, that code is more useful to callers than the
        // bare status (e.g. to spot `not_in_channel`).
        return Attempt::Fail(match error_code_from_body(body) {
            Some(code) => SlackError::Api {
                method: method.to_owned(),
                code,
            },
            None => SlackError::Http {
                method: method.to_owned(),
                status: status.as_u16(),
            },
        });
    }

    let value: Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(e) => {
            return Attempt::Fail(SlackError::Decode {
                method: method.to_owned(),
                detail: format!("body is not JSON: {e}"),
            });
        }
    };
    match value.get("ok").and_then(Value::as_bool) {
        Some(true) => {
            // Warnings (deprecated arguments, missing charset, ...) are
            // short codes, safe to log, and otherwise easy to never notice.
            if let Some(warning) = value.get("warning").and_then(Value::as_str) {
                tracing::warn!(method, warning, "Slack call succeeded with a warning");
            }
            Attempt::Done(value)
        }
        Some(false) => match value.get("error").and_then(Value::as_str) {
            // Some rate limits come back as HTTP 200 with an error code
            // instead of a 429; they deserve the same patience.
            Some("ratelimited" | "rate_limited") => Attempt::RateLimited {
                retry_after: retry_after(headers),
            },
            Some(code) => Attempt::Fail(SlackError::Api {
                method: method.to_owned(),
                code: code.to_owned(),
            }),
            None => Attempt::Fail(SlackError::Decode {
                method: method.to_owned(),
                detail: "ok:false without an error code".to_owned(),
            }),
        },
        None => Attempt::Fail(SlackError::Decode {
            method: method.to_owned(),
            detail: "response has no boolean `ok` field".to_owned(),
        }),
    }
}

/// Classifies an answer from a `response_url`.
fn interpret_response_url(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Attempt<()> {
    if status == StatusCode::TOO_MANY_REQUESTS {
        return Attempt::RateLimited {
            retry_after: retry_after(headers),
        };
    }
    if status.is_server_error() {
        return Attempt::ServerError {
            status: status.as_u16(),
        };
    }
    let code = error_code_from_body(body);
    if status.is_success() {
        // The usual answer is the text "ok"; a JSON body is checked in case
        // it reports a failure, anything else is taken as accepted.
        let json_ok = serde_json::from_slice::<Value>(body)
            .ok()
            .and_then(|v| v.get("ok").and_then(Value::as_bool));
        return match (json_ok, code) {
            (Some(false), Some(code)) if code == "ratelimited" || code == "rate_limited" => {
                Attempt::RateLimited {
                    retry_after: retry_after(headers),
                }
            }
            (Some(false), code) => Attempt::Fail(SlackError::Api {
                method: RESPONSE_URL_LABEL.to_owned(),
                code: code.unwrap_or_else(|| "unknown_error".to_owned()),
            }),
            _ => Attempt::Done(()),
        };
    }
    // An expired or used-up response URL is expected to answer with a 4xx
    // and perhaps a short code such as `expired_url` (Slack does not pin the
    // exact form down); surface the code when there is one.
    Attempt::Fail(match code {
        Some(code) => SlackError::Api {
            method: RESPONSE_URL_LABEL.to_owned(),
            code,
        },
        None => SlackError::Http {
            method: RESPONSE_URL_LABEL.to_owned(),
            status: status.as_u16(),
        },
    })
}

/// Pulls a Slack error code out of a body: `{"error":"code"}` JSON, or a bare
/// snake_case word (the form `response_url` failures take). Anything else,
/// such as an HTML error page, yields `None` rather than junk in a "code".
fn error_code_from_body(body: &[u8]) -> Option<String> {
    if let Ok(value) = serde_json::from_slice::<Value>(body) {
        return value
            .get("error")
            .and_then(Value::as_str)
            .map(str::to_owned);
    }
    let text = std::str::from_utf8(body).ok()?.trim();
    let looks_like_code = !text.is_empty()
        && text.len() <= 64
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    (looks_like_code && text != "ok").then(|| text.to_owned())
}

/// `Retry-After` in whole seconds, the form Slack sends. The HTTP-date form
/// and garbage are ignored, and the caller falls back to its own backoff.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    headers
        .get(RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

/// Only a failure to connect is tried again: the request was never sent.
/// After a timeout or a broken connection Slack may well have done what
/// was asked, and when Slack is slow, repeating calls multiplies the load
/// that made it slow (1,500 thread reads once became 3,822 calls).
fn is_retryable_transport(error: &reqwest::Error) -> bool {
    error.is_connect() && !error.is_timeout()
}

/// A short, secret-free name for a transport failure, for logs.
fn transport_kind(error: &reqwest::Error) -> &'static str {
    if error.is_timeout() {
        "timeout"
    } else if error.is_connect() {
        "connect_error"
    } else if error.is_builder() {
        "invalid_request"
    } else {
        "transport_error"
    }
}

/// Deserialises part of a response into a typed struct, reporting a shape
/// mismatch as `Decode` for `method`.
fn decode<T: serde::de::DeserializeOwned>(method: &str, value: &Value) -> Result<T, SlackError> {
    T::deserialize(value).map_err(|e| SlackError::Decode {
        method: method.to_owned(),
        detail: e.to_string(),
    })
}

/// A random delay in `0..=max`. Only needs to differ between callers, not to
/// be unpredictable, so std's per-instance randomly keyed hasher (seeded from
/// the OS, re-keyed on every `RandomState::new`) is enough and saves a
/// dependency on `rand`.
fn jitter(max: Duration) -> Duration {
    let max_nanos = u64::try_from(max.as_nanos()).unwrap_or(u64::MAX);
    if max_nanos == 0 {
        return Duration::ZERO;
    }
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    hasher.write_u128(now);
    Duration::from_nanos(hasher.finish() % max_nanos.saturating_add(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_caps() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.backoff(0), Duration::from_millis(500));
        assert_eq!(policy.backoff(1), Duration::from_secs(1));
        assert_eq!(policy.backoff(3), Duration::from_secs(4));
        assert_eq!(policy.backoff(4), Duration::from_secs(8));
        assert_eq!(policy.backoff(40), Duration::from_secs(8));
    }

    #[test]
    fn jitter_stays_in_bounds() {
        assert_eq!(jitter(Duration::ZERO), Duration::ZERO);
        let max = Duration::from_millis(3);
        let samples: Vec<Duration> = (0..200).map(|_| jitter(max)).collect();
        assert!(samples.iter().all(|d| *d <= max));
        // Not a constant: the whole point is to spread callers out.
        assert!(samples.iter().any(|d| *d != samples[0]));
    }

    #[test]
    fn retry_after_accepts_seconds_only() {
        let mut headers = HeaderMap::new();
        assert_eq!(retry_after(&headers), None);
        headers.insert(RETRY_AFTER, HeaderValue::from_static(" 7 "));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
        headers.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(retry_after(&headers), None);
    }

    #[test]
    fn error_codes_from_json_or_bare_words() {
        assert_eq!(
            error_code_from_body(br#"{"ok":false,"error":"not_in_channel"}"#).as_deref(),
            Some("not_in_channel")
        );
        assert_eq!(
            error_code_from_body(b"expired_url\n").as_deref(),
            Some("expired_url")
        );
        assert_eq!(error_code_from_body(b"ok"), None);
        assert_eq!(error_code_from_body(b"<html>Bad Gateway</html>"), None);
        assert_eq!(error_code_from_body(b""), None);
    }

    #[test]
    fn response_origins_are_bare_http_origins_without_credentials() {
        assert_eq!(
            origin_of("https://hooks.slack-gov.com", false).as_deref(),
            Ok("https://hooks.slack-gov.com")
        );
        assert_eq!(
            origin_of("http://127.0.0.1:8080/", false).as_deref(),
            Ok("http://127.0.0.1:8080")
        );
        assert_eq!(
            origin_of("https://hooks.example.com:443", false).as_deref(),
            Ok("https://hooks.example.com")
        );
        for bad in [
            "hooks.slack.com",
            "ftp://hooks.example.com",
            "https://user:pw@hooks.example.com",
            "https://hooks.example.com/commands",
        ] {
            assert!(origin_of(bad, false).is_err(), "{bad}");
        }
        assert_eq!(
            origin_of("https://slack.com/api", true).as_deref(),
            Ok("https://slack.com")
        );
    }

    #[test]
    fn a_post_window_follows_the_attempt_and_its_floor() {
        // A shortcut on a day-old message: the search starts at the attempt.
        assert_eq!(
            post_window(1_700_000_000, 1_700_000_010, Some("1699913600.000100")),
            (
                "1699999880.000000".to_owned(),
                "1700000130.999999".to_owned()
            )
        );
        // A mention seconds before the attempt: nothing before it can be ours.
        assert_eq!(
            post_window(1_700_000_000, 1_700_000_000, Some("1699999950.000200")).0,
            "1699999950.000200"
        );
        assert_eq!(
            post_window(1_700_000_000, 1_700_000_000, Some("junk")).0,
            "1699999880.000000"
        );
    }

    #[test]
    fn token_debug_shows_only_a_known_prefix() {
        let token = BotToken::new("xoxb-123-456-secretpart\n");
        assert_eq!(format!("{token:?}"), "BotToken(xoxb-…[REDACTED])");
        let odd = BotToken::new("hunter2hunter2");
        assert_eq!(format!("{odd:?}"), "BotToken(…[REDACTED])");
    }
}
