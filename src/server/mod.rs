//! `testscope serve`: the Slack service, over HTTP or Socket Mode.
//!
//! Request flow: every `/slack/*` request is verified on its raw bytes
//! ([`verify`]), parsed into typed payloads ([`crate::slack::payload`]), and
//! answered within Slack's three seconds. In Socket Mode ([`socket`]) the
//! same deliveries arrive as envelopes on WebSockets testscope opens, and go
//! to the same handlers. Anything slower (reading a thread, posting a reply,
//! sharing) runs as a tracked background task, which graceful shutdown
//! waits for.

mod ack;
pub mod commands;
pub mod config;
mod edge;
mod events;
mod feedback;
mod health;
mod home;
mod interactions;
pub mod jobs;
mod replies;
mod shown;
pub mod socket;
pub mod verify;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use axum::Router;
use axum::routing::{get, post};
use tokio::net::TcpListener;
use tokio::sync::OnceCell;
use tokio_util::task::TaskTracker;

use crate::clock::Clock;
use crate::kb::KnowledgeBase;
use crate::quiz::runner::{QuizCtx, QuizSettings};
use crate::slack::api::{AuthInfo, RetryPolicy, SlackApi};
use crate::slack::signature::SigningSecrets;
use crate::store::Store;
pub use config::{Mode, ServeArgs, Settings};

/// Everything a handler needs. One `Arc`, so the per-request clone is a
/// single counter increment.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// The state shared by every request and background task.
pub struct Shared {
    pub kb: Arc<KnowledgeBase>,
    pub secrets: Arc<SigningSecrets>,
    pub clock: Arc<dyn Clock>,
    pub slack: SlackApi,
    pub store: Arc<dyn Store>,
    /// Background replies; shutdown waits for them.
    pub tasks: TaskTracker,
    /// One permit per background reply in progress (`TESTSCOPE_MAX_BACKGROUND`).
    pub background: Arc<tokio::sync::Semaphore>,
    /// Our own bot user, learned with `auth.test`, so we never answer ourselves.
    pub identity: Arc<OnceCell<AuthInfo>>,
    pub quiz: QuizSettings,
    /// Who may change a channel's quiz; empty: anyone.
    pub quiz_admins: crate::quiz::admins::QuizAdmins,
    /// How long "Not quite" reports are kept before the purge job drops them.
    pub feedback_retention: Duration,
    /// Quiz posts waiting for their live answer count to be rewritten.
    pub quiz_counts: Arc<jobs::CountRefresh>,
    /// Shown advice waiting to be written to the store.
    pub shown: Arc<shown::ShownLog>,
    /// What Slack last said about the bot token, for `/readyz`.
    pub slack_probe: Arc<health::SlackProbe>,
    /// The latest store heartbeat, for `/readyz`.
    pub store_probe: Arc<health::StoreProbe>,
    /// The background jobs and their health.
    pub jobs: jobs::Jobs,
    /// Anyone can send a forged request; each is counted, but the log gets
    /// at most one line per reason and interval.
    pub rejections: crate::telemetry::LogThrottle,
    /// Event ids answered while the store could not record them, so that
    /// Slack's retries of the same delivery are not answered again.
    pub(crate) unrecorded: events::Unrecorded,
    /// Socket Mode's connections, when it is on, for `/readyz`.
    pub socket: Option<Arc<socket::Status>>,
    /// Whether `/slack/*` is served (off in Socket Mode unless asked for).
    pub slack_routes: bool,
}

impl AppState {
    pub fn quiz_ctx(&self) -> QuizCtx<'_> {
        QuizCtx {
            kb: &self.kb,
            slack: &self.slack,
            store: self.store.as_ref(),
        }
    }

    /// Takes a place for one piece of background work. With every place
    /// taken, logs and counts the overflow and returns `None`: the caller
    /// acknowledges the request to Slack and does nothing more.
    pub fn reserve(&self, name: &'static str) -> Option<Slot> {
        match Arc::clone(&self.background).try_acquire_owned() {
            Ok(permit) => Some(Slot {
                permit,
                name,
                tasks: self.tasks.clone(),
            }),
            Err(_) => {
                overflow(name);
                None
            }
        }
    }

    /// Runs `work` in the background if there is room (see
    /// [`AppState::reserve`]); tracked so shutdown lets it finish.
    pub fn spawn(
        &self,
        name: &'static str,
        work: impl Future<Output = ()> + Send + 'static,
    ) -> bool {
        match self.reserve(name) {
            Some(slot) => {
                slot.spawn(work);
                true
            }
            None => false,
        }
    }
}

/// A reserved place for one piece of background work.
pub struct Slot {
    permit: tokio::sync::OwnedSemaphorePermit,
    name: &'static str,
    tasks: TaskTracker,
}

impl Slot {
    pub fn spawn(self, work: impl Future<Output = ()> + Send + 'static) {
        let Slot {
            permit,
            name,
            tasks,
        } = self;
        tasks.spawn(async move {
            work.await;
            drop(permit);
            tracing::debug!(task = name, "background task finished");
        });
    }
}

/// Counts background work turned away, and logs it at most once a second
/// with how many were turned away since the last line.
fn overflow(name: &'static str) {
    use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
    static LAST: AtomicI64 = AtomicI64::new(0);
    static SINCE: AtomicU64 = AtomicU64::new(0);
    metrics::counter!("testscope_background_overflow_total", "task" => name).increment(1);
    let dropped = SINCE.fetch_add(1, Ordering::Relaxed) + 1;
    let now = crate::clock::SystemClock.now();
    let last = LAST.load(Ordering::Relaxed);
    if now > last
        && LAST
            .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
            .is_ok()
    {
        SINCE.store(0, Ordering::Relaxed);
        tracing::warn!(
            task = name,
            dropped,
            "background work is at its limit (TESTSCOPE_MAX_BACKGROUND); acknowledged without doing it"
        );
    }
}

/// The HTTP routes, without the per-request edge handling. Built in a
/// function so tests can drive the router directly.
pub fn router(state: AppState) -> Router {
    let router = if state.slack_routes {
        Router::new()
            .route("/slack/commands", post(commands::handle))
            .route("/slack/events", post(events::handle))
            .route("/slack/interactions", post(interactions::handle))
    } else {
        Router::new()
    };
    router
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(health::metrics))
        .with_state(state)
}

/// The whole service: the router behind the edge (request ids, metrics,
/// panics, the request time limit).
pub(crate) fn app(state: AppState, request_timeout: Duration) -> Router {
    router(state).layer(axum::middleware::from_fn_with_state(
        edge::RequestTimeout(request_timeout),
        edge::edge,
    ))
}

/// A bound, configured server, ready to run.
pub struct Application {
    listener: TcpListener,
    state: AppState,
    grace: Duration,
    quiz_tick: Duration,
    limits: Limits,
    socket: Option<socket::SocketMode>,
}

impl Application {
    /// Loads the knowledge base, opens the store, binds the port, and starts
    /// learning the bot's identity in the background.
    pub async fn build(settings: Settings, clock: Arc<dyn Clock>) -> anyhow::Result<Application> {
        Self::build_with_retry(settings, clock, RetryPolicy::default()).await
    }

    /// As [`Application::build`], with the Slack API retry policy chosen by
    /// the caller (tests use short delays).
    pub async fn build_with_retry(
        settings: Settings,
        clock: Arc<dyn Clock>,
        retry: RetryPolicy,
    ) -> anyhow::Result<Application> {
        // Metrics are recorded from the first request on.
        let _ = crate::telemetry::prometheus();
        raise_open_file_limit();
        let kb = KnowledgeBase::load_for(settings.responses.as_deref(), settings.platform)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let store = crate::store::open(&settings.database_url)
            .await
            .map_err(|e| anyhow::anyhow!("cannot open the database: {e}"))?;
        let slack = SlackApi::new(&settings.slack_api_url, settings.bot_token.clone(), retry)
            .with_response_origins(&settings.response_origins);
        if settings.bot_token.is_none() {
            // The service still starts (slash commands need no token), but
            // an operator should not have to find out from a silent thread.
            tracing::warn!(
                "SLACK_BOT_TOKEN is not set: slash commands are answered, but nothing can be \
                 posted (thread replies, direct messages, the Home tab, the Not quite form, the \
                 daily quiz); set it to the bot token (xoxb-...) from your Slack app's OAuth & \
                 Permissions page"
            );
        }
        let listener = TcpListener::bind(settings.addr)
            .await
            .with_context(|| format!("cannot listen on {}", settings.addr))?;
        let tasks = TaskTracker::new();
        let socket_status = settings
            .socket
            .as_ref()
            .map(|_| Arc::new(socket::Status::default()));
        let state = AppState(Arc::new(Shared {
            kb: Arc::new(kb),
            secrets: Arc::new(settings.secrets.clone()),
            clock,
            slack,
            store,
            jobs: jobs::Jobs::new(tasks.clone()),
            background: Arc::new(tokio::sync::Semaphore::new(settings.max_background)),
            tasks,
            identity: Arc::new(OnceCell::new()),
            quiz: settings.quiz,
            quiz_admins: settings.quiz_admins.clone(),
            feedback_retention: settings.feedback_retention,
            quiz_counts: Arc::default(),
            shown: Arc::default(),
            store_probe: Arc::default(),
            slack_probe: Arc::default(),
            rejections: crate::telemetry::LogThrottle::new(settings.rejection_log_interval),
            unrecorded: events::Unrecorded::default(),
            socket: socket_status.clone(),
            slack_routes: settings.slack_routes,
        }));
        // Operator-configured channels are (re)subscribed at every start.
        for (channel, schedule) in &settings.quiz_channels {
            let sub = crate::store::Subscription {
                channel_id: channel.clone(),
                team_id: String::new(),
                schedule: schedule.to_string(),
                source: "config".to_owned(),
                created_by: None,
                created_at: state.clock.now(),
            };
            state
                .store
                .upsert_subscription(&sub)
                .await
                .map_err(|e| anyhow::anyhow!("cannot save quiz subscription for {channel}: {e}"))?;
        }
        let socket = match (settings.socket, socket_status) {
            (Some(socket_settings), Some(status)) => Some(socket::SocketMode::new(
                state.clone(),
                socket_settings,
                status,
            )?),
            _ => None,
        };
        let app = Application {
            socket,
            listener,
            state,
            grace: settings.shutdown_grace,
            quiz_tick: settings.quiz_tick,
            limits: Limits {
                header_timeout: settings.header_timeout,
                request_timeout: settings.request_timeout,
                max_connections: settings.max_connections,
            },
        };
        app.start_background_work();
        Ok(app)
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map_or(0, |a| a.port())
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    fn start_background_work(&self) {
        let state = self.state.clone();
        jobs::start_all(&state, self.quiz_tick);
    }

    /// Serves until `shutdown` completes, then stops accepting, finishes
    /// in-flight requests, and gives background replies up to the grace
    /// period to complete.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let Application {
            listener,
            state,
            grace,
            limits,
            socket,
            ..
        } = self;
        let tasks = state.tasks.clone();
        let state_jobs = state.jobs.clone();
        let (shown, store) = (Arc::clone(&state.shown), Arc::clone(&state.store));
        tracing::info!(addr = %listener.local_addr()?, "testscope is listening");
        // One signal stops both the HTTP server and Socket Mode.
        let stop = tokio_util::sync::CancellationToken::new();
        let trigger = stop.clone();
        tokio::spawn(async move {
            shutdown.await;
            trigger.cancel();
        });
        if let Some(socket) = &socket {
            socket.start();
        }
        let http = serve(
            listener,
            app(state, limits.request_timeout),
            stop.clone().cancelled_owned(),
            grace,
            limits,
        );
        let sockets = async {
            if let Some(socket) = &socket {
                stop.cancelled().await;
                socket.stop(grace).await;
            }
        };
        tokio::join!(http, sockets);
        state_jobs.stop();
        tasks.close();
        if tokio::time::timeout(grace, tasks.wait()).await.is_err() {
            tracing::warn!(
                pending = tasks.len(),
                "shutdown grace period over; abandoning unfinished background replies"
            );
        }
        // The last background replies may have queued records after the
        // writer's own final pass.
        shown.flush(&*store).await;
        tracing::info!("testscope stopped");
        Ok(())
    }
}

/// How long clients may take: `header_timeout` to send a request's headers
/// (also while a kept-alive connection waits for its next request), and
/// `request_timeout` from the headers to the answer.
#[derive(Debug, Clone, Copy)]
struct Limits {
    header_timeout: Duration,
    request_timeout: Duration,
    max_connections: usize,
}

/// Accepts connections until `shutdown`, then lets open connections finish
/// their requests for up to `grace`.
async fn serve(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
    grace: Duration,
    limits: Limits,
) {
    use hyper::server::conn::http1;
    use hyper_util::rt::TokioIo;
    use hyper_util::server::graceful::GracefulShutdown;
    use hyper_util::service::TowerToHyperService;

    // Slack speaks HTTP/1.1 to webhooks, so no protocol detection.
    let mut builder = http1::Builder::new();
    builder.keep_alive(true);
    // Silent, idle and slowloris clients alike are closed once they take
    // longer than this to send a request's headers.
    builder.timer(hyper_util::rt::TokioTimer::new());
    builder.header_read_timeout(limits.header_timeout);
    // A client may shut its sending side once the request is out (`nc -N`,
    // some proxies) and still wait for the answer; by default hyper would
    // take that for a disconnect and drop the response.
    builder.half_close(true);
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    // Every connection holds a descriptor; past the cap, new clients wait in
    // the kernel's listen queue instead of running the process out of them.
    let slots = Arc::new(tokio::sync::Semaphore::new(limits.max_connections));
    loop {
        let slot = match Arc::clone(&slots).try_acquire_owned() {
            Ok(slot) => slot,
            Err(_) => {
                metrics::counter!("testscope_connection_limit_reached_total").increment(1);
                tracing::warn!(
                    limit = limits.max_connections,
                    "connection limit reached (TESTSCOPE_MAX_CONNECTIONS); new clients wait"
                );
                tokio::select! {
                    slot = Arc::clone(&slots).acquire_owned() => match slot {
                        Ok(slot) => slot,
                        Err(_) => break,
                    },
                    () = &mut shutdown => break,
                }
            }
        };
        tokio::select! {
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    Err(e) => {
                        // Out of file descriptors and the like: back off, keep serving.
                        tracing::warn!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let service = TowerToHyperService::new(app.clone());
                let conn = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
                tokio::spawn(async move {
                    let _slot = slot;
                    if let Err(e) = conn.await {
                        tracing::debug!(error = %e, "connection ended with an error");
                    }
                });
            }
            () = &mut shutdown => break,
        }
    }
    drop(listener);
    if tokio::time::timeout(grace, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("shutdown grace period over; closing open connections");
    }
}

/// Raises the soft limit on open files to the hard one: the usual soft
/// 1,024 is too few for a busy server (each connection, each call to Slack
/// and the database holds a descriptor), and the hard limit is what the
/// operator allows.
fn raise_open_file_limit() {
    #[cfg(unix)]
    {
        use rustix::process::{Resource, getrlimit, setrlimit};
        let mut limit = getrlimit(Resource::Nofile);
        let before = limit.current;
        // An unlimited hard limit cannot be the soft one on Linux; leave it.
        let Some(hard) = limit.maximum else { return };
        if before.is_some_and(|soft| soft >= hard) {
            return;
        }
        limit.current = Some(hard);
        match setrlimit(Resource::Nofile, limit) {
            Ok(()) => tracing::info!(from = before, to = hard, "raised the open file limit"),
            Err(e) => tracing::warn!(error = %e, "could not raise the open file limit"),
        }
    }
}

/// Resolves on Ctrl-C or SIGTERM. The handlers are installed when this is
/// called, not when the future is first polled: a SIGTERM that arrives just
/// after start-up (a pod stopped at once) must start a graceful shutdown,
/// not kill the process. Call it inside the runtime, before serving.
pub fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let (interrupt, terminate) = {
        use tokio::signal::unix::{SignalKind, signal};
        let listen = |kind: SignalKind, name: &str| {
            signal(kind)
                .map_err(|e| tracing::error!(error = %e, "cannot listen for {name}"))
                .ok()
        };
        (
            listen(SignalKind::interrupt(), "Ctrl-C"),
            listen(SignalKind::terminate(), "SIGTERM"),
        )
    };
    async move {
        #[cfg(unix)]
        {
            let wait = |s: Option<tokio::signal::unix::Signal>| async move {
                match s {
                    Some(mut s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                () = wait(interrupt) => {},
                () = wait(terminate) => {},
            }
        }
        #[cfg(not(unix))]
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
        tracing::info!("shutdown requested");
    }
}
