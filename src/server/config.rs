//! `testscope serve` configuration: flags and environment variables, checked
//! once at start-up so a misconfigured deployment fails with one clear line.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use super::socket::{MAX_CONNECTIONS, SocketSettings};
use crate::kb::Platform;
use crate::quiz::admins::QuizAdmins;
use crate::quiz::runner::{QuizSettings, parse_channels};
use crate::quiz::schedule::Schedule;
use crate::slack::api::{AppToken, BotToken};
use crate::slack::signature::SigningSecrets;

/// The flags of `testscope serve`; every one can also come from the environment.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "TESTSCOPE_ADDR", default_value = "0.0.0.0:3000")]
    pub addr: SocketAddr,
    /// Slack signing secret (Basic Information page). A comma-separated list
    /// allows rotating the secret without downtime.
    #[arg(long, env = "SLACK_SIGNING_SECRET", hide_env_values = true)]
    pub signing_secret: Option<String>,
    /// Bot token (xoxb-...), needed to post in threads.
    #[arg(long, env = "SLACK_BOT_TOKEN", hide_env_values = true)]
    pub bot_token: Option<String>,
    /// Base URL of Slack's Web API.
    #[arg(long, env = "SLACK_API_URL", default_value = "https://slack.com/api")]
    pub slack_api_url: String,
    /// More origins (`https://host[:port]`, comma-separated) that payloads'
    /// `response_url`s may point to, besides https://hooks.slack.com and the
    /// origin of the Slack API URL.
    #[arg(long, env = "TESTSCOPE_RESPONSE_URL_ORIGINS", default_value = "")]
    pub response_url_origins: String,
    /// Where state lives: a SQLite file (`sqlite://testscope.db`) by default.
    #[arg(
        long,
        env = "TESTSCOPE_DATABASE_URL",
        default_value = "sqlite://testscope.db"
    )]
    pub database_url: String,
    /// Load the knowledge base from this directory instead of the built-in copy.
    #[arg(long, value_name = "DIR", env = "TESTSCOPE_RESPONSES_DIR")]
    pub responses: Option<PathBuf>,
    /// Word answers for `databricks` or `generic` (CI, staging, model
    /// registry) instead of the platform the knowledge base names.
    #[arg(long, value_name = "PLATFORM", env = "TESTSCOPE_PLATFORM")]
    pub platform: Option<String>,
    /// Seconds to let in-flight requests and background replies finish on shutdown.
    #[arg(long, env = "TESTSCOPE_SHUTDOWN_GRACE_SECS", default_value_t = 10)]
    pub shutdown_grace_secs: u64,
    /// Channels subscribed to the daily quiz by configuration:
    /// `C0123ABC=09:00 Europe/Berlin mon-fri;C0456DEF=16:30 America/New_York everyday`.
    #[arg(long, env = "TESTSCOPE_QUIZ_CHANNELS", default_value = "")]
    pub quiz_channels: String,
    /// Slack user ids (comma separated) who alone may start, change or stop
    /// a channel's quiz; empty: anyone in the channel.
    #[arg(long, env = "TESTSCOPE_QUIZ_ADMINS", default_value = "")]
    pub quiz_admins: String,
    /// How many minutes after its time a missed quiz may still be posted the same day.
    #[arg(long, env = "TESTSCOPE_QUIZ_LATE_MINUTES", default_value_t = 240)]
    pub quiz_late_minutes: u32,
    /// How often the quiz scheduler checks for due posts, in seconds.
    #[arg(long, env = "TESTSCOPE_QUIZ_TICK_SECS", default_value_t = 20)]
    pub quiz_tick_secs: u64,
    /// Seconds a replica may take to post a claimed quiz before another
    /// replica takes the post over.
    #[arg(long, env = "TESTSCOPE_QUIZ_LEASE_SECS", default_value_t = 120)]
    pub quiz_lease_secs: u32,
    /// How many channels the quiz scheduler posts to at once when many are
    /// due in the same minute.
    #[arg(long, env = "TESTSCOPE_QUIZ_CONCURRENCY", default_value_t = 16)]
    pub quiz_concurrency: usize,
    /// Days a "Not quite" report (with the question it quotes) is kept
    /// before it is purged.
    #[arg(long, env = "TESTSCOPE_FEEDBACK_RETENTION_DAYS", default_value_t = 90)]
    pub feedback_retention_days: u32,
    /// Seconds a client may take to send a request's headers; also how long
    /// an idle connection stays open. Slow or silent clients are cut off.
    #[arg(long, env = "TESTSCOPE_HEADER_TIMEOUT_SECS", default_value_t = 10)]
    pub header_timeout_secs: u64,
    /// Seconds a request may take from its headers to its answer, body
    /// included; past that the connection is closed.
    #[arg(long, env = "TESTSCOPE_REQUEST_TIMEOUT_SECS", default_value_t = 10)]
    pub request_timeout_secs: u64,
    /// Most replies and other Slack work in progress at once; what comes in
    /// beyond it is acknowledged, logged and counted, not done.
    #[arg(long, env = "TESTSCOPE_MAX_BACKGROUND", default_value_t = 256)]
    pub max_background: usize,
    /// Most client connections open at once; more wait in the listen queue.
    #[arg(long, env = "TESTSCOPE_MAX_CONNECTIONS", default_value_t = 512)]
    pub max_connections: usize,
    /// App-level token (xapp-..., scope connections:write). Setting it turns
    /// on Socket Mode unless `--mode http` says otherwise.
    #[arg(long, env = "SLACK_APP_TOKEN", hide_env_values = true)]
    pub app_token: Option<String>,
    /// How Slack reaches testscope: `socket` (testscope opens WebSockets to
    /// Slack; no public URL) or `http` (Slack POSTs to /slack/*). Unset:
    /// socket when SLACK_APP_TOKEN is set, else http. An explicit mode wins.
    #[arg(long, env = "TESTSCOPE_MODE", value_enum)]
    pub mode: Option<Mode>,
    /// Socket Mode connections kept open at once (1 to 10); more than one
    /// means a connection being replaced never leaves a gap.
    #[arg(long, env = "TESTSCOPE_SOCKET_CONNECTIONS", default_value_t = 2)]
    pub socket_connections: usize,
    /// Seconds between our pings on each Socket Mode connection.
    #[arg(long, env = "TESTSCOPE_SOCKET_PING_SECS", default_value_t = 10)]
    pub socket_ping_secs: u64,
    /// Seconds without any frame from Slack (a pong included) after which a
    /// Socket Mode connection is taken for dead and replaced.
    #[arg(long, env = "TESTSCOPE_SOCKET_TIMEOUT_SECS", default_value_t = 30)]
    pub socket_timeout_secs: u64,
    /// In Socket Mode, also serve the /slack/* routes (they then need
    /// SLACK_SIGNING_SECRET); off by default.
    #[arg(long, env = "TESTSCOPE_SOCKET_HTTP_ROUTES")]
    pub socket_http_routes: bool,
}

/// How Slack's requests reach testscope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Mode {
    Socket,
    Http,
}

/// A minute: a flood of forged requests shows as one line a minute per
/// reason, each with its count, while a single stray one is still seen.
const REJECTION_LOG_INTERVAL: Duration = Duration::from_secs(60);

/// Validated settings.
#[derive(Debug, Clone)]
pub struct Settings {
    pub addr: SocketAddr,
    pub secrets: SigningSecrets,
    pub bot_token: Option<BotToken>,
    pub slack_api_url: String,
    /// Origins a `response_url` may use besides Slack's hooks and the API's.
    pub response_origins: Vec<String>,
    pub database_url: String,
    pub responses: Option<PathBuf>,
    /// Overrides the knowledge base's platform (`TESTSCOPE_PLATFORM`).
    pub platform: Option<Platform>,
    pub shutdown_grace: Duration,
    pub quiz_channels: Vec<(String, Schedule)>,
    pub quiz: QuizSettings,
    /// Who may change a channel's quiz (`TESTSCOPE_QUIZ_ADMINS`).
    pub quiz_admins: QuizAdmins,
    pub quiz_tick: Duration,
    /// How long "Not quite" reports are kept (`TESTSCOPE_FEEDBACK_RETENTION_DAYS`).
    pub feedback_retention: Duration,
    pub header_timeout: Duration,
    pub request_timeout: Duration,
    pub max_background: usize,
    pub max_connections: usize,
    /// How often a kind of rejected request (a bad signature) may be
    /// logged; every one is counted in the metrics regardless.
    pub rejection_log_interval: Duration,
    /// Socket Mode, when on.
    pub socket: Option<SocketSettings>,
    /// Whether the `/slack/*` routes are served (always in HTTP mode).
    pub slack_routes: bool,
}

const DAY_SECS: u64 = 24 * 60 * 60;

impl Settings {
    /// Defaults for everything but the signing secret: loopback on a free
    /// port, no bot token, Slack's real API, an in-memory database. Tests and
    /// embedders start here and override what they need.
    pub fn with_secrets(secrets: SigningSecrets) -> Settings {
        Settings {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            secrets,
            bot_token: None,
            slack_api_url: "https://slack.com/api".to_owned(),
            response_origins: Vec::new(),
            database_url: "sqlite::memory:".to_owned(),
            responses: None,
            platform: None,
            shutdown_grace: Duration::from_secs(10),
            quiz_channels: Vec::new(),
            quiz: QuizSettings::default(),
            quiz_admins: QuizAdmins::default(),
            quiz_tick: Duration::from_secs(20),
            feedback_retention: Duration::from_secs(90 * DAY_SECS),
            header_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(10),
            max_background: 256,
            max_connections: 512,
            rejection_log_interval: REJECTION_LOG_INTERVAL,
            socket: None,
            slack_routes: true,
        }
    }

    /// Checks the arguments; the error is one line meant for a terminal.
    pub fn from_args(args: ServeArgs) -> Result<Settings, String> {
        let app_token = args.app_token.as_deref().and_then(AppToken::parse);
        let socket = match (args.mode, app_token) {
            (Some(Mode::Http), _) | (None, None) => None,
            (Some(Mode::Socket), None) => {
                return Err(
                    "--mode socket needs SLACK_APP_TOKEN: create an app-level token with the \
                     connections:write scope on your Slack app's Basic Information page"
                        .to_owned(),
                );
            }
            (_, Some(token)) => {
                if !token.looks_right() {
                    return Err(
                        "SLACK_APP_TOKEN must be an app-level token (xapp-...), not a bot or user token"
                            .to_owned(),
                    );
                }
                if !(1..=MAX_CONNECTIONS).contains(&args.socket_connections) {
                    return Err(format!(
                        "TESTSCOPE_SOCKET_CONNECTIONS must be 1 to {MAX_CONNECTIONS} (Slack's limit), got {}",
                        args.socket_connections
                    ));
                }
                let mut socket = SocketSettings::new(token);
                socket.connections = args.socket_connections;
                socket.ping_every = Duration::from_secs(args.socket_ping_secs.max(1));
                socket.silence_timeout = Duration::from_secs(args.socket_timeout_secs.max(2));
                if socket.silence_timeout <= socket.ping_every {
                    return Err(
                        "TESTSCOPE_SOCKET_TIMEOUT_SECS must be longer than TESTSCOPE_SOCKET_PING_SECS, \
                         or a healthy connection would be taken for dead between pings"
                            .to_owned(),
                    );
                }
                Some(socket)
            }
        };
        // Socket Mode needs no signing secret: the connection URL from
        // apps.connections.open is what vouches for Slack. The HTTP routes
        // still do, wherever they are served.
        let slack_routes = socket.is_none() || args.socket_http_routes;
        let raw = args.signing_secret.unwrap_or_default();
        let secrets = if raw.trim().is_empty() {
            if slack_routes {
                let hint = if socket.is_some() {
                    " (TESTSCOPE_SOCKET_HTTP_ROUTES serves /slack/* in Socket Mode)"
                } else {
                    ", or set SLACK_APP_TOKEN to use Socket Mode, which needs none"
                };
                return Err(format!(
                    "SLACK_SIGNING_SECRET is not set: copy the signing secret from your Slack app's \
                     Basic Information page (see README, \"Install in your workspace\"){hint}"
                ));
            }
            SigningSecrets::none()
        } else {
            SigningSecrets::parse(&raw)
                .map_err(|e| format!("SLACK_SIGNING_SECRET is not usable: {e}"))?
        };
        let bot_token = args.bot_token.map(BotToken::new).filter(|t| !t.is_empty());
        let slack_api_url = args.slack_api_url.trim_end_matches('/').to_owned();
        if !(slack_api_url.starts_with("http://") || slack_api_url.starts_with("https://")) {
            return Err(format!(
                "SLACK_API_URL must be an http(s) URL, got `{slack_api_url}`"
            ));
        }
        let response_origins = args
            .response_url_origins
            .split(',')
            .map(str::trim)
            .filter(|o| !o.is_empty())
            .map(|o| {
                crate::slack::api::origin_of(o, false)
                    .map_err(|e| format!("TESTSCOPE_RESPONSE_URL_ORIGINS: {e}"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let quiz_channels = parse_channels(&args.quiz_channels)?;
        let quiz = QuizSettings {
            late_limit: jiff::SignedDuration::from_mins(i64::from(args.quiz_late_minutes)),
            lease_secs: i64::from(args.quiz_lease_secs.max(1)),
            concurrency: args.quiz_concurrency.max(1),
            ..QuizSettings::default()
        };
        let quiz_admins = QuizAdmins::parse(&args.quiz_admins)?;
        let platform = Platform::from_optional_setting(args.platform.as_deref())?;
        Ok(Settings {
            quiz_channels,
            quiz,
            quiz_admins,
            quiz_tick: Duration::from_secs(args.quiz_tick_secs.max(1)),
            feedback_retention: Duration::from_secs(
                u64::from(args.feedback_retention_days.max(1)) * DAY_SECS,
            ),
            header_timeout: Duration::from_secs(args.header_timeout_secs.max(1)),
            request_timeout: Duration::from_secs(args.request_timeout_secs.max(1)),
            max_background: args.max_background.max(1),
            max_connections: args.max_connections.max(1),
            rejection_log_interval: REJECTION_LOG_INTERVAL,
            addr: args.addr,
            secrets,
            bot_token,
            slack_api_url,
            response_origins,
            database_url: args.database_url,
            responses: args.responses,
            platform,
            shutdown_grace: Duration::from_secs(args.shutdown_grace_secs),
            socket,
            slack_routes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser as _;

    #[derive(clap::Parser)]
    struct Cli {
        #[command(flatten)]
        serve: ServeArgs,
    }

    fn settings(args: &[&str]) -> Result<Settings, String> {
        let mut argv = vec!["serve"];
        argv.extend_from_slice(args);
        let cli = Cli::try_parse_from(argv).map_err(|e| e.to_string())?;
        Settings::from_args(cli.serve)
    }

    #[test]
    fn an_app_token_turns_on_socket_mode_without_a_signing_secret() {
        let s = settings(&["--app-token", "xapp-1-A-1-x"]).expect("starts");
        let socket = s.socket.expect("socket mode");
        assert_eq!(socket.connections, 2);
        assert!(!s.slack_routes, "/slack/* is off in Socket Mode by default");
        assert!(s.secrets.is_empty());
    }

    #[test]
    fn an_explicit_mode_wins_over_the_app_token() {
        let s = settings(&[
            "--app-token",
            "xapp-1",
            "--mode",
            "http",
            "--signing-secret",
            "s",
        ])
        .expect("starts");
        assert!(s.socket.is_none());
        assert!(s.slack_routes);
        let err = settings(&["--app-token", "xapp-1", "--mode", "http"]).expect_err("no secret");
        assert!(err.contains("SLACK_SIGNING_SECRET"), "{err}");
        let err = settings(&["--mode", "socket"]).expect_err("no app token");
        assert!(err.contains("SLACK_APP_TOKEN"), "{err}");
    }

    #[test]
    fn socket_settings_are_checked() {
        let err = settings(&["--app-token", "xoxb-1"]).expect_err("a bot token");
        assert!(err.contains("xapp-"), "{err}");
        for n in ["0", "11"] {
            let err = settings(&["--app-token", "xapp-1", "--socket-connections", n])
                .expect_err("out of range");
            assert!(err.contains("1 to 10"), "{err}");
        }
        let err = settings(&[
            "--app-token",
            "xapp-1",
            "--socket-ping-secs",
            "30",
            "--socket-timeout-secs",
            "20",
        ])
        .expect_err("timeout under the ping interval");
        assert!(err.contains("TESTSCOPE_SOCKET_TIMEOUT_SECS"), "{err}");
    }

    #[test]
    fn the_platform_setting_is_read_and_an_unknown_one_names_the_variable() {
        let s = settings(&["--signing-secret", "s", "--platform", "generic"]).expect("starts");
        assert_eq!(s.platform, Some(Platform::Generic));
        let s = settings(&["--signing-secret", "s"]).expect("starts");
        assert_eq!(s.platform, None, "the knowledge base decides by default");
        let err = settings(&["--signing-secret", "s", "--platform", "azure"]).expect_err("unknown");
        assert!(
            err.contains("TESTSCOPE_PLATFORM") && err.contains("`azure`"),
            "{err}"
        );
    }

    #[test]
    fn http_routes_in_socket_mode_need_the_signing_secret() {
        let err =
            settings(&["--app-token", "xapp-1", "--socket-http-routes"]).expect_err("no secret");
        assert!(err.contains("SLACK_SIGNING_SECRET"), "{err}");
        let s = settings(&[
            "--app-token",
            "xapp-1",
            "--socket-http-routes",
            "--signing-secret",
            "s",
        ])
        .expect("starts");
        assert!(s.socket.is_some() && s.slack_routes);
    }
}
