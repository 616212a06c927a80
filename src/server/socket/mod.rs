//! Socket Mode: testscope opens WebSockets to Slack (`apps.connections.open`
//! with the app-level token) and receives commands, events and interactions
//! over them, so no public URL is needed.
//!
//! Every envelope goes through the same handlers as the HTTP routes
//! ([`super::commands::answer`], [`super::events::dispatch`],
//! [`super::interactions::dispatch`]) and is acknowledged at once. The rest
//! is keeping connections up without the failure modes Slack's SDKs are
//! known for:
//! - several connections at once, so one being replaced leaves no gap;
//! - on `warning`/`refresh_requested` the replacement opens before the old
//!   connection closes;
//! - reconnects wait with capped exponential backoff and jitter, and a 429
//!   from `apps.connections.open` waits at least its `Retry-After`;
//! - a connection silent for longer than the timeout (no frame, not even a
//!   pong to our pings) is taken for dead and replaced;
//! - `too_many_websockets` makes the app run one connection fewer;
//!   `link_disabled` stops reconnecting and fails readiness.

mod backoff;
mod frame;
mod link;

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use futures_util::StreamExt as _;
use tokio_tungstenite::tungstenite::Message;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tracing::Instrument as _;

pub use backoff::Backoff;
use frame::{DisconnectReason, Envelope, EnvelopeKind, Frame};
use link::{ConnectError, Link, Out, UrlPolicy};

use super::AppState;
use crate::slack::api::{AppToken, OpenError};
use crate::slack::payload;

/// Slack allows at most this many connections per app.
pub const MAX_CONNECTIONS: usize = 10;

/// The longest `Retry-After` from `apps.connections.open` that is honoured.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(300);

/// How Socket Mode runs.
#[derive(Debug, Clone)]
pub struct SocketSettings {
    pub app_token: AppToken,
    /// Connections kept open at once (1..=10).
    pub connections: usize,
    /// How often we ping each connection.
    pub ping_every: Duration,
    /// A connection with no frame (a pong included) for this long is dead.
    pub silence_timeout: Duration,
    /// Waits between failed attempts to (re)connect.
    pub backoff: Backoff,
    /// A connection that lasted this long starts the backoff over.
    pub stable_after: Duration,
    /// Longest wait for a new connection to say hello.
    pub connect_timeout: Duration,
}

impl SocketSettings {
    pub fn new(app_token: AppToken) -> Self {
        Self {
            app_token,
            connections: 2,
            ping_every: Duration::from_secs(10),
            silence_timeout: Duration::from_secs(30),
            backoff: Backoff {
                first: Duration::from_secs(1),
                max: Duration::from_secs(60),
            },
            stable_after: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(15),
        }
    }
}

/// What `/readyz` shows about Socket Mode.
#[derive(Default)]
pub struct Status {
    live: AtomicUsize,
    /// Why the app stopped connecting for good, if it did.
    stopped: Mutex<Option<String>>,
    /// The latest reason a connection failed or ended.
    last_problem: Mutex<Option<String>>,
}

impl Status {
    /// Connections open now.
    pub fn live(&self) -> usize {
        self.live.load(Ordering::SeqCst)
    }

    /// Ready with at least one live connection and not stopped for good.
    pub fn readiness(&self) -> Result<String, String> {
        if let Some(why) = lock(&self.stopped).clone() {
            return Err(format!("stopped: {why}"));
        }
        match self.live() {
            0 => Err(match lock(&self.last_problem).clone() {
                Some(problem) => format!("no live connection (last problem: {problem})"),
                None => "no live connection yet".to_owned(),
            }),
            n => Ok(format!(
                "ok ({n} live connection{})",
                if n == 1 { "" } else { "s" }
            )),
        }
    }

    fn problem(&self, what: String) {
        *lock(&self.last_problem) = Some(what);
    }

    fn changed(&self, by: isize) {
        let now = if by >= 0 {
            self.live.fetch_add(by.unsigned_abs(), Ordering::SeqCst) + by.unsigned_abs()
        } else {
            self.live.fetch_sub(by.unsigned_abs(), Ordering::SeqCst) - by.unsigned_abs()
        };
        metrics::gauge!("testscope_socket_connections").set(now as f64);
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The running Socket Mode client.
pub(crate) struct SocketMode {
    inner: Arc<Inner>,
}

struct Inner {
    state: AppState,
    settings: SocketSettings,
    status: Arc<Status>,
    policy: UrlPolicy,
    tls: tokio_rustls::TlsConnector,
    /// Shutdown: stop reading, let in-flight envelopes send their acks, close.
    stopping: CancellationToken,
    /// Stopped for good (`link_disabled`, a refused token): no reconnects.
    halted: CancellationToken,
    slots: TaskTracker,
    /// Connections the app tries to keep; lowered by `too_many_websockets`.
    target: AtomicUsize,
    next_id: AtomicU64,
}

/// How a connection's reading ended.
enum End {
    Stopping,
    Halted,
    Disconnect(DisconnectReason),
    Closed,
    Silent,
    Failed(String),
}

impl SocketMode {
    pub(crate) fn new(
        state: AppState,
        settings: SocketSettings,
        status: Arc<Status>,
    ) -> anyhow::Result<Self> {
        let tls =
            link::tls().map_err(|e| anyhow::anyhow!("cannot set up TLS for Socket Mode: {e}"))?;
        let policy = UrlPolicy::for_api(state.slack.base_url());
        let target = settings.connections.clamp(1, MAX_CONNECTIONS);
        Ok(Self {
            inner: Arc::new(Inner {
                state,
                settings,
                status,
                policy,
                tls,
                stopping: CancellationToken::new(),
                halted: CancellationToken::new(),
                slots: TaskTracker::new(),
                target: AtomicUsize::new(target),
                next_id: AtomicU64::new(1),
            }),
        })
    }

    /// Opens the connections; each slot keeps one up from then on.
    pub(crate) fn start(&self) {
        let n = self.inner.target.load(Ordering::SeqCst);
        tracing::info!(connections = n, "starting Socket Mode");
        for slot in 0..n {
            let inner = Arc::clone(&self.inner);
            // Staggered a little, so the first connections do not ask
            // `apps.connections.open` in the same instant.
            let delay = Duration::from_millis(100) * u32::try_from(slot).unwrap_or(0);
            self.inner.slots.spawn(
                async move {
                    tokio::time::sleep(delay).await;
                    inner.run_slot().await;
                }
                .instrument(tracing::info_span!("socket", slot)),
            );
        }
        self.inner.slots.close();
    }

    /// Stops taking envelopes, lets those in flight send their acks, and
    /// closes the connections, within `grace`.
    pub(crate) async fn stop(&self, grace: Duration) {
        self.inner.stopping.cancel();
        if tokio::time::timeout(grace, self.inner.slots.wait())
            .await
            .is_err()
        {
            tracing::warn!("Socket Mode connections did not close within the grace period");
        }
        tracing::info!("Socket Mode stopped");
    }
}

impl Inner {
    /// Keeps one connection up until shutdown or a permanent stop.
    async fn run_slot(self: Arc<Self>) {
        let mut failures = 0u32;
        let mut reason = "start";
        let mut current: Option<Link> = None;
        loop {
            let mut link = match current.take() {
                Some(link) => link,
                None => match self.open(&mut failures, reason).await {
                    Some(link) => link,
                    None => return,
                },
            };
            let end = self.drive(&mut link).await;
            match end {
                End::Stopping | End::Halted => {
                    self.close(link).await;
                    return;
                }
                End::Disconnect(
                    r @ (DisconnectReason::Warning | DisconnectReason::RefreshRequested),
                ) => {
                    reason = r.label();
                    tracing::info!(
                        connection = link.id,
                        reason,
                        "Slack is replacing a connection; opening the new one first"
                    );
                    current = self.replace(link, &mut failures, reason).await;
                    if current.is_none() {
                        return;
                    }
                }
                End::Disconnect(DisconnectReason::TooManyWebsockets) => {
                    self.close(link).await;
                    let fewer = self
                        .target
                        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                            (n > 1).then(|| n - 1)
                        });
                    match fewer {
                        Ok(was) => {
                            tracing::warn!(
                                running = was - 1,
                                "Slack says the app has too many Socket Mode connections; running with one fewer"
                            );
                            return;
                        }
                        Err(_) => {
                            tracing::warn!(
                                "Slack says the app has too many Socket Mode connections; this is the last one, reconnecting after a wait"
                            );
                            reason = "too_many_websockets";
                            failures += 1;
                        }
                    }
                }
                End::Disconnect(DisconnectReason::LinkDisabled) => {
                    self.close(link).await;
                    self.halt(
                        "Socket Mode was turned off in the Slack app's settings (disconnect: link_disabled); \
                         turn it on again under Settings > Socket Mode and restart, or run in HTTP mode",
                    );
                    return;
                }
                other => {
                    let (label, detail) = match &other {
                        End::Disconnect(r) => (r.label(), format!("Slack disconnected it ({r:?})")),
                        End::Closed => ("closed", "the connection closed".to_owned()),
                        End::Silent => (
                            "silent",
                            format!(
                                "nothing received for {:?}; taken for dead",
                                self.settings.silence_timeout
                            ),
                        ),
                        End::Failed(e) => ("error", format!("read failed: {e}")),
                        _ => ("closed", String::new()),
                    };
                    if link.opened.elapsed() >= self.settings.stable_after {
                        failures = 0;
                    }
                    failures += 1;
                    tracing::warn!(
                        connection = link.id,
                        reason = label,
                        "{detail}; reconnecting"
                    );
                    self.status.problem(detail);
                    self.close(link).await;
                    reason = label;
                }
            }
        }
    }

    /// Opens the replacement while the old connection is still read, then
    /// closes the old one.
    async fn replace(
        &self,
        mut old: Link,
        failures: &mut u32,
        reason: &'static str,
    ) -> Option<Link> {
        enum First {
            Replacement(Option<Link>),
            OldEnded,
        }
        let open = self.open(failures, reason);
        tokio::pin!(open);
        let first = tokio::select! {
            new = &mut open => First::Replacement(new),
            _ = self.drive(&mut old) => First::OldEnded,
        };
        self.close(old).await;
        match first {
            First::Replacement(new) => new,
            First::OldEnded => open.await,
        }
    }

    /// A new connection, after waiting out earlier failures. `None` on
    /// shutdown or a permanent stop.
    async fn open(&self, failures: &mut u32, reason: &'static str) -> Option<Link> {
        // Set after waiting out a 429, which already counted as a failure.
        let mut waited = false;
        loop {
            if *failures > 0 && !std::mem::take(&mut waited) {
                let wait = self.settings.backoff.delay(*failures);
                tracing::debug!(
                    wait_ms = wait.as_millis() as u64,
                    failures = *failures,
                    "waiting before reconnecting"
                );
                if !self.pause(wait).await {
                    return None;
                }
            }
            if self.stopping.is_cancelled() || self.halted.is_cancelled() {
                return None;
            }
            let url = match self
                .state
                .slack
                .open_connection(&self.settings.app_token)
                .await
            {
                Ok(url) => url,
                Err(OpenError::RateLimited { retry_after }) => {
                    *failures += 1;
                    // Capped, so a garbled header cannot park the
                    // connection for hours.
                    let wait = retry_after
                        .unwrap_or_default()
                        .min(MAX_RETRY_AFTER)
                        .max(self.settings.backoff.delay(*failures));
                    tracing::warn!(
                        wait_ms = wait.as_millis() as u64,
                        "apps.connections.open is rate limited; waiting"
                    );
                    metrics::counter!("testscope_socket_open_failures_total", "reason" => "rate_limited").increment(1);
                    self.status
                        .problem("apps.connections.open is rate limited (429)".to_owned());
                    if !self.pause(wait).await {
                        return None;
                    }
                    // The wait is done; go straight to the next attempt.
                    waited = true;
                    continue;
                }
                Err(e) if e.is_permanent() => {
                    self.halt(&format!(
                        "Slack refused the app-level token ({e}): check SLACK_APP_TOKEN \
                         (an xapp- token with connections:write)"
                    ));
                    return None;
                }
                Err(e) => {
                    *failures += 1;
                    tracing::warn!(error = %e, "could not get a Socket Mode URL");
                    metrics::counter!("testscope_socket_open_failures_total", "reason" => "error")
                        .increment(1);
                    self.status.problem(e.to_string());
                    continue;
                }
            };
            let url = match self.policy.check(&url) {
                Ok(url) => url,
                Err(why) => {
                    *failures += 1;
                    tracing::error!("{why}");
                    metrics::counter!("testscope_socket_open_failures_total", "reason" => "refused_url").increment(1);
                    self.status.problem(why);
                    continue;
                }
            };
            let id = self.next_id.fetch_add(1, Ordering::Relaxed);
            let s = &self.settings;
            match link::connect(id, &url, &self.tls, s.connect_timeout, s.ping_every).await {
                Ok(link) => {
                    self.status.changed(1);
                    metrics::counter!("testscope_socket_connects_total", "reason" => reason)
                        .increment(1);
                    tracing::info!(
                        connection = id,
                        reason,
                        live = self.status.live(),
                        "Socket Mode connection ready"
                    );
                    if reason == "warning" || reason == "refresh_requested" {
                        *failures = 0;
                    }
                    return Some(link);
                }
                Err(ConnectError::Disabled) => {
                    self.halt("Socket Mode was turned off in the Slack app's settings (disconnect: link_disabled)");
                    return None;
                }
                Err(ConnectError::Failed(e)) => {
                    *failures += 1;
                    tracing::warn!(error = %e, "could not open a Socket Mode connection");
                    metrics::counter!("testscope_socket_open_failures_total", "reason" => "connect").increment(1);
                    self.status.problem(e);
                }
            }
        }
    }

    /// Sleeps, unless shutdown or a permanent stop comes first (false).
    async fn pause(&self, wait: Duration) -> bool {
        tokio::select! {
            () = tokio::time::sleep(wait) => true,
            () = self.stopping.cancelled() => false,
            () = self.halted.cancelled() => false,
        }
    }

    fn halt(&self, why: &str) {
        let mut stopped = lock(&self.status.stopped);
        if stopped.is_none() {
            tracing::error!("{why}; Socket Mode stops reconnecting and /readyz reports not ready");
            *stopped = Some(why.to_owned());
        }
        drop(stopped);
        self.halted.cancel();
    }

    /// Reads frames until the connection ends or must be left.
    async fn drive(&self, link: &mut Link) -> End {
        loop {
            let next = tokio::select! {
                biased;
                () = self.stopping.cancelled() => return End::Stopping,
                () = self.halted.cancelled() => return End::Halted,
                next = tokio::time::timeout(self.settings.silence_timeout, link.reader.next()) => next,
            };
            let received = Instant::now();
            let msg = match next {
                Err(_) => return End::Silent,
                Ok(None) => return End::Closed,
                Ok(Some(Err(e))) => return End::Failed(e.to_string()),
                Ok(Some(Ok(msg))) => msg,
            };
            let text = match msg {
                Message::Text(text) => text,
                Message::Close(_) => return End::Closed,
                // Pings (answered by the library), pongs and anything else
                // only show the connection is alive.
                _ => continue,
            };
            match frame::parse(text.as_str()) {
                Ok(Frame::Envelope(envelope)) => self.take(link, envelope, received),
                Ok(Frame::Disconnect(reason)) => {
                    metrics::counter!("testscope_socket_envelopes_total", "type" => "disconnect")
                        .increment(1);
                    return End::Disconnect(reason);
                }
                Ok(Frame::Hello {
                    approximate_connection_time,
                }) => {
                    metrics::counter!("testscope_socket_envelopes_total", "type" => "hello")
                        .increment(1);
                    tracing::debug!(connection = link.id, approximate_connection_time, "hello");
                }
                Ok(Frame::Other { kind }) => {
                    metrics::counter!("testscope_socket_envelopes_total", "type" => "other")
                        .increment(1);
                    tracing::debug!(connection = link.id, %kind, "ignoring a Socket Mode frame");
                }
                Err(e) => {
                    metrics::counter!("testscope_socket_envelopes_total", "type" => "malformed")
                        .increment(1);
                    tracing::warn!(connection = link.id, error = %e, "ignoring an unreadable Socket Mode frame");
                }
            }
        }
    }

    /// Hands an envelope to its handler; the ack goes out as soon as the
    /// handler has its answer, while reading goes on.
    fn take(&self, link: &Link, envelope: Envelope, received: Instant) {
        let kind = envelope.kind.label();
        metrics::counter!("testscope_socket_envelopes_total", "type" => kind).increment(1);
        let state = self.state.clone();
        let out = link.out.clone();
        let connection = link.id;
        link.inflight.spawn(async move {
            let text = answer(&state, &envelope).await;
            if out.send(Out::Ack { text, kind, received }).is_err() {
                tracing::warn!(connection, envelope = %envelope.id, "connection gone before the ack; Slack will deliver again");
            }
        });
    }

    /// Closes a connection once its in-flight envelopes have their acks
    /// queued (see [`Link::close`]).
    async fn close(&self, link: Link) {
        let id = link.id;
        link.close().await;
        self.status.changed(-1);
        tracing::debug!(
            connection = id,
            live = self.status.live(),
            "Socket Mode connection closed"
        );
    }
}

/// The acknowledgement of one envelope, after running it through the same
/// handler as its HTTP route.
async fn answer(state: &AppState, envelope: &Envelope) -> String {
    let id = envelope.id.as_str();
    let payload_text = envelope.payload.to_string();
    match &envelope.kind {
        EnvelopeKind::SlashCommands => match payload::parse_command_object(&payload_text) {
            Ok(cmd) => {
                let reply = super::commands::answer(state, &cmd).await;
                if envelope.accepts_response_payload {
                    return frame::ack(id, reply.payload().as_deref());
                }
                // Slack did not offer to show the reply with the ack; the
                // command's response_url takes it instead.
                if let Some(msg) = reply.payload().and_then(|p| serde_json::from_str(&p).ok()) {
                    let s = state.clone();
                    let url = cmd.response_url.into_owned();
                    state.spawn("command reply", async move {
                        super::replies::respond(&s, &url, &msg, "a slash command").await;
                    });
                }
            }
            Err(e) => malformed("slash_commands", &e),
        },
        EnvelopeKind::EventsApi => {
            let retry = envelope.retry_attempt.to_string();
            if let Err(e) = super::events::dispatch(state, payload_text.as_bytes(), &retry).await {
                malformed("events_api", &e);
            }
        }
        EnvelopeKind::Interactive => match payload::parse_interaction_object(&payload_text) {
            Ok(interaction) => {
                // The envelope id stands in for the event id HTTP
                // interactions lack: one envelope seen on two connections
                // is acted on once.
                let once = format!("socket-envelope:{id}");
                let reply = super::interactions::dispatch(state, interaction, Some(once)).await;
                // A submitted form's answer (errors, or the thank-you view)
                // travels in the acknowledgement.
                return frame::ack(id, reply.payload().as_deref());
            }
            Err(e) => malformed("interactive", &e),
        },
        EnvelopeKind::Other(kind) => {
            tracing::debug!(%kind, "acknowledging an envelope type this version does not handle");
        }
    }
    frame::ack(id, None)
}

/// A delivery whose payload cannot be read: acknowledged all the same, so
/// Slack does not send it again, and logged and counted.
fn malformed(kind: &'static str, e: &payload::PayloadError) {
    metrics::counter!("testscope_socket_malformed_payloads_total", "type" => kind).increment(1);
    tracing::warn!(envelope_type = kind, error = %e, "acknowledged a Socket Mode payload that could not be read");
}
