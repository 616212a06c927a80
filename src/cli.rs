//! The `testscope` command line. `main.rs` only calls [`run`].

use std::io::Read as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::kb::{KnowledgeBase, Platform};
use crate::{advise, render};

#[derive(Debug, Parser)]
#[command(
    name = "testscope",
    version,
    about = "Which tests does this ML change need, and in which environment stage?",
    long_about = "testscope reads a description of a change (free text, Slack markup or file paths from a diff) \
and answers with the test scope (unit, integration, release-gating), the environment stage (dev, test, prod), \
the concrete checks, the blast radius and the traps to avoid."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    /// Readable in a terminal.
    Text,
    /// One JSON object.
    Json,
    /// The Slack Block Kit message the bot sends.
    Blocks,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum EvalFormat {
    /// Misses, accuracy per category and a confusion matrix.
    Text,
    /// The same report as one JSON object.
    Json,
}

#[derive(Debug, clap::Args)]
struct KbArgs {
    /// Load the knowledge base from this directory instead of the built-in copy.
    #[arg(long, value_name = "DIR", env = "TESTSCOPE_RESPONSES_DIR")]
    responses: Option<PathBuf>,
    /// Word answers for `databricks` or `generic` (CI, staging, model
    /// registry) instead of the platform the knowledge base names.
    #[arg(long, value_name = "PLATFORM", env = "TESTSCOPE_PLATFORM")]
    platform: Option<String>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the Slack service (slash command, review-thread mentions, buttons).
    Serve(Box<crate::server::ServeArgs>),
    /// Recommend a test scope and stage for a described change.
    Advise {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        #[command(flatten)]
        kb: KbArgs,
        /// The change, in your own words. Use `-` to read it from standard input.
        #[arg(required = true, value_name = "TEXT")]
        text: Vec<String>,
    },
    /// Validate a knowledge base and summarise what it holds; exits 1 on errors.
    Check {
        #[command(flatten)]
        kb: KbArgs,
    },
    /// Score the advisor against labelled examples (JSON Lines); exits 1
    /// below --min.
    Eval {
        /// One labelled example per line: `text` and any of `reading`,
        /// `primary`, `scopes`, `stages`, `traps`, `no_traps`, `confident`, `cat`.
        #[arg(value_name = "FILE.jsonl")]
        file: PathBuf,
        #[command(flatten)]
        kb: KbArgs,
        /// Fail (exit 1) when the share of examples answered right is below this.
        #[arg(long, default_value_t = 0.0, value_name = "FRACTION")]
        min: f64,
        #[arg(long, value_enum, default_value_t = EvalFormat::Text)]
        format: EvalFormat,
    },
    /// Print the decision table.
    Rules {
        #[command(flatten)]
        kb: KbArgs,
    },
    /// Exit 0 if URL answers 2xx within 3 s (a container health check that
    /// needs no curl in the image).
    Probe {
        #[arg(default_value = "http://127.0.0.1:3000/healthz")]
        url: String,
    },
    /// Daily quiz operations.
    #[command(subcommand)]
    Quiz(QuizCommand),
    /// "Not quite" reports from Slack: list them, or export them as
    /// labelled examples for `testscope eval`.
    Feedback {
        #[command(subcommand)]
        action: FeedbackAction,
    },
    /// Print Slack signing headers for a request body, for trying the server with curl.
    Sign {
        /// The Slack signing secret.
        #[arg(long, env = "SLACK_SIGNING_SECRET", hide_env_values = true)]
        secret: String,
        /// Unix timestamp to sign with (default: now).
        #[arg(long)]
        timestamp: Option<i64>,
        /// The exact request body. Use `-` to read it from standard input.
        body: String,
    },
}

#[derive(Debug, Subcommand)]
enum FeedbackAction {
    /// The reports for people to read, newest first.
    List(FeedbackArgs),
    /// The reports for tools: `--format jsonl` writes `testscope eval`'s
    /// labelled-example format.
    Export(FeedbackArgs),
}

#[derive(Debug, clap::Args)]
struct FeedbackArgs {
    /// Only reports made on or after this day (YYYY-MM-DD, UTC).
    #[arg(long, value_name = "DATE")]
    since: Option<String>,
    /// `text` for people, `jsonl` for `testscope eval`; `list` defaults to
    /// text and `export` to jsonl.
    #[arg(long, value_enum)]
    format: Option<FeedbackFormat>,
    /// The database the service writes to (SQLite path or PostgreSQL URL);
    /// its value is never printed, since it may hold a password.
    #[arg(
        long,
        env = "TESTSCOPE_DATABASE_URL",
        default_value = "sqlite://testscope.db",
        hide_env_values = true
    )]
    database_url: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FeedbackFormat {
    Text,
    Jsonl,
}

#[derive(Debug, Subcommand)]
enum QuizCommand {
    /// Post a channel's quiz question for today now (once a day unless --force).
    Post {
        /// Channel id, like C0123ABC.
        #[arg(long)]
        channel: String,
        /// Post even if today's question is already out (an extra post).
        #[arg(long)]
        force: bool,
        /// The service's database, where the day's post is claimed so that it
        /// goes out once (SQLite path or PostgreSQL URL; its value is never
        /// printed, since it may hold a password).
        #[arg(
            long,
            env = "TESTSCOPE_DATABASE_URL",
            default_value = "sqlite://testscope.db",
            hide_env_values = true
        )]
        database_url: String,
        /// The bot token (xoxb-...) to post with; required.
        #[arg(long, env = "SLACK_BOT_TOKEN", hide_env_values = true)]
        bot_token: Option<String>,
        /// Slack's Web API base URL (a fake Slack in tests).
        #[arg(long, env = "SLACK_API_URL", default_value = "https://slack.com/api")]
        slack_api_url: String,
        #[command(flatten)]
        kb: KbArgs,
    },
}

/// Parses the command line and runs it.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Serve(args) => serve(*args),
        Command::Probe { url } => probe(&url),
        Command::Quiz(QuizCommand::Post {
            channel,
            force,
            database_url,
            bot_token,
            slack_api_url,
            kb,
        }) => {
            let Some(kb) = load(&kb) else {
                return ExitCode::FAILURE;
            };
            quiz_post(
                &kb,
                &channel,
                force,
                &database_url,
                bot_token,
                &slack_api_url,
            )
        }
        Command::Feedback { action } => {
            let (args, default) = match action {
                FeedbackAction::List(a) => (a, FeedbackFormat::Text),
                FeedbackAction::Export(a) => (a, FeedbackFormat::Jsonl),
            };
            feedback_reports(&args, args.format.unwrap_or(default))
        }
        Command::Advise { format, kb, text } => {
            let Some(kb) = load(&kb) else {
                return ExitCode::FAILURE;
            };
            let input = if text.len() == 1 && text[0] == "-" {
                let mut s = String::new();
                if let Err(e) = std::io::stdin().read_to_string(&mut s) {
                    eprintln!("error: cannot read standard input: {e}");
                    return ExitCode::FAILURE;
                }
                s
            } else {
                text.join(" ")
            };
            // Trimmed like a slash command's text, so the id in the
            // buttons is the one Slack would get for the same words.
            let input = input.trim();
            let advice = advise(&kb, input);
            let text = match format {
                Format::Text => render::advice_text(&kb, &advice),
                Format::Json => render::advice_json(&advice) + "\n",
                Format::Blocks => {
                    // Exactly the private reply the bot sends, buttons included.
                    serde_json::to_string_pretty(&render::private_reply(&kb, input, &advice).0)
                        .unwrap_or_default()
                        + "\n"
                }
            };
            emit(&text)
        }
        Command::Check { kb } => {
            let Some(kb) = load(&kb) else {
                return ExitCode::FAILURE;
            };
            use std::fmt::Write as _;
            let mut out = format!("{}: OK\n", kb.origin);
            let _ = writeln!(
                out,
                "  worded for the {} platform; its quiz plays {} of the bank's questions",
                kb.platform,
                kb.quiz.len()
            );
            let signals: usize = kb.rules().iter().map(|r| r.signals.len()).sum();
            let paths: usize = kb.rules().iter().map(|r| r.paths.len()).sum();
            // The whole bank, whatever this platform plays, as the loader checks it.
            let bank: Vec<_> = kb.quiz.iter().chain(&kb.quiz_elsewhere).cloned().collect();
            let _ = writeln!(
                out,
                "  {} stages, {} scopes, {} components, {} traps, {} checks\n  \
                 {} rules with {signals} signal phrases and {paths} path patterns; {} known words and concepts\n  \
                 {} quiz questions, {} with a second phrasing",
                kb.stages.len(),
                kb.scopes.len(),
                kb.components.len(),
                kb.traps.len(),
                kb.checks.len(),
                kb.rules().len(),
                kb.vocabulary_size(),
                bank.len(),
                bank.iter().filter(|q| q.again.is_some()).count()
            );
            for report in crate::kb::cues::reports(&bank) {
                let _ = writeln!(out, "{report}");
            }
            emit(&out)
        }
        Command::Eval {
            file,
            kb,
            min,
            format,
        } => {
            let Some(kb) = load(&kb) else {
                return ExitCode::FAILURE;
            };
            eval(&kb, &file, min, format)
        }
        Command::Rules { kb } => {
            let Some(kb) = load(&kb) else {
                return ExitCode::FAILURE;
            };
            emit(&render::rules_text(&kb))
        }
        Command::Sign {
            secret,
            timestamp,
            body,
        } => sign(&secret, timestamp, &body),
    }
}

fn serve(args: crate::server::ServeArgs) -> ExitCode {
    init_tracing();
    let settings = match crate::server::Settings::from_args(args) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async {
        let clock = std::sync::Arc::new(crate::clock::SystemClock);
        // Listening for SIGTERM before the port opens, so a stop right after
        // start-up is graceful too.
        let stop = crate::server::shutdown_signal();
        let app = match crate::server::Application::build(settings, clock).await {
            Ok(app) => app,
            Err(e) => {
                eprintln!("error: {e:#}");
                return ExitCode::FAILURE;
            }
        };
        match app.run_until_stopped(stop).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: the server failed: {e}");
                ExitCode::FAILURE
            }
        }
    })
}

/// Logs go to stderr; `TESTSCOPE_LOG_FORMAT=json` suits log pipelines and
/// `RUST_LOG` overrides the default level.
fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("testscope=info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr)
        // A log reader that went away (`serve 2>&1 | head`) must not take the
        // service down: by default a failed log write is reported with
        // `eprintln!`, which panics on a closed stderr, in whichever task logged.
        .log_internal_errors(false);
    let json = std::env::var("TESTSCOPE_LOG_FORMAT").is_ok_and(|v| v.eq_ignore_ascii_case("json"));
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

fn feedback_reports(args: &FeedbackArgs, format: FeedbackFormat) -> ExitCode {
    let since = match args.since.as_deref().map(crate::feedback::parse_since) {
        None => 0,
        Some(Ok(at)) => at,
        Some(Err(e)) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        eprintln!("error: cannot start the async runtime");
        return ExitCode::FAILURE;
    };
    let misses = runtime.block_on(async {
        let store = crate::store::open(&args.database_url)
            .await
            .map_err(|e| format!("cannot open the database: {e}"))?;
        store
            .misses(since)
            .await
            .map_err(|e| format!("cannot read the reports: {e}"))
    });
    match misses {
        Ok(misses) => emit(&match format {
            FeedbackFormat::Text => crate::feedback::list_text(&misses),
            FeedbackFormat::Jsonl => crate::feedback::export_jsonl(&misses),
        }),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn quiz_post(
    kb: &KnowledgeBase,
    channel: &str,
    force: bool,
    database_url: &str,
    bot_token: Option<String>,
    slack_api_url: &str,
) -> ExitCode {
    use crate::quiz::runner::{self, PostOutcome, QuizCtx, QuizSettings};
    use crate::quiz::schedule::Schedule;
    init_tracing();
    let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        eprintln!("error: cannot start the async runtime");
        return ExitCode::FAILURE;
    };
    runtime.block_on(async {
        let store = match crate::store::open(database_url).await {
            Ok(s) => s,
            Err(e) => {
                eprintln!("error: cannot open the database: {e}");
                return ExitCode::FAILURE;
            }
        };
        let token = bot_token
            .map(crate::slack::api::BotToken::new)
            .filter(|t| !t.is_empty());
        if token.is_none() {
            eprintln!("error: SLACK_BOT_TOKEN is not set; posting needs the bot token");
            return ExitCode::FAILURE;
        }
        let slack = crate::slack::api::SlackApi::new(
            slack_api_url.trim_end_matches('/'),
            token,
            crate::slack::api::RetryPolicy::default(),
        );
        // "Today" is the channel's own day, from its subscription if it has one.
        let schedule = store
            .subscriptions()
            .await
            .unwrap_or_default()
            .into_iter()
            .find(|s| s.channel_id == channel)
            .and_then(|s| Schedule::parse(&s.schedule).ok())
            .unwrap_or_else(Schedule::default_schedule);
        let ctx = QuizCtx {
            kb,
            slack: &slack,
            store: store.as_ref(),
        };
        match runner::post_today(
            ctx,
            channel,
            &schedule,
            unix_now(),
            force,
            QuizSettings::default(),
        )
        .await
        {
            PostOutcome::Posted {
                post_id,
                question_id,
                ts,
            } => {
                println!("posted {question_id} to {channel} as {post_id} (message {ts})");
                ExitCode::SUCCESS
            }
            PostOutcome::AlreadyPosted => {
                println!(
                    "today's question is already posted in {channel}; use --force for an extra one"
                );
                ExitCode::SUCCESS
            }
            PostOutcome::Busy => {
                println!("another process is posting {channel}'s question right now");
                ExitCode::SUCCESS
            }
            PostOutcome::Failed(e) => {
                eprintln!("error: the post failed: {e}");
                ExitCode::FAILURE
            }
            PostOutcome::Refused { code } => {
                eprintln!("error: {}", runner::refusal_fix(channel, &code));
                ExitCode::FAILURE
            }
        }
    })
}

fn eval(kb: &KnowledgeBase, file: &std::path::Path, min: f64, format: EvalFormat) -> ExitCode {
    if !(0.0..=1.0).contains(&min) {
        eprintln!("error: --min must be a fraction between 0 and 1, like 0.95");
        return ExitCode::FAILURE;
    }
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", file.display());
            return ExitCode::FAILURE;
        }
    };
    let examples = match crate::eval::parse(kb, &file.display().to_string(), &text) {
        Ok(x) => x,
        Err(errors) => {
            for e in errors {
                eprintln!("error: {e}");
            }
            return ExitCode::FAILURE;
        }
    };
    let report = crate::eval::evaluate(kb, &examples);
    let out = match format {
        EvalFormat::Text => report.to_text(kb),
        EvalFormat::Json => serde_json::to_string_pretty(&report).unwrap_or_default() + "\n",
    };
    let code = emit(&out);
    if report.accuracy < min {
        eprintln!(
            "error: accuracy {:.1}% is below the minimum {:.1}%",
            report.accuracy * 100.0,
            min * 100.0
        );
        return ExitCode::FAILURE;
    }
    code
}

fn probe(url: &str) -> ExitCode {
    let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        return ExitCode::FAILURE;
    };
    runtime.block_on(async {
        let client = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(3))
            .build();
        match client.map(|c| c.get(url).send()) {
            Ok(request) => match request.await {
                Ok(r) if r.status().is_success() => ExitCode::SUCCESS,
                Ok(r) => {
                    eprintln!("{url}: HTTP {}", r.status());
                    ExitCode::FAILURE
                }
                Err(e) => {
                    eprintln!("{url}: {e}");
                    ExitCode::FAILURE
                }
            },
            Err(e) => {
                eprintln!("cannot build an HTTP client: {e}");
                ExitCode::FAILURE
            }
        }
    })
}

/// Writes to standard output; a closed pipe (`testscope rules | head`) is a
/// normal way for a reader to stop, not an error.
fn emit(text: &str) -> ExitCode {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cannot write the output: {e}");
            ExitCode::FAILURE
        }
    }
}

fn load(args: &KbArgs) -> Option<KnowledgeBase> {
    let platform = match Platform::from_optional_setting(args.platform.as_deref()) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return None;
        }
    };
    match KnowledgeBase::load_for(args.responses.as_deref(), platform) {
        Ok(kb) => Some(kb),
        Err(e) => {
            eprintln!("error: {e}");
            None
        }
    }
}

fn sign(secret: &str, timestamp: Option<i64>, body: &str) -> ExitCode {
    let body = if body == "-" {
        let mut buf = Vec::new();
        if let Err(e) = std::io::stdin().read_to_end(&mut buf) {
            eprintln!("error: cannot read standard input: {e}");
            return ExitCode::FAILURE;
        }
        buf
    } else {
        body.as_bytes().to_vec()
    };
    let ts = timestamp.unwrap_or_else(unix_now);
    match crate::slack::signature::sign(secret, ts, &body) {
        Ok(sig) => {
            println!("X-Slack-Request-Timestamp: {ts}");
            println!("X-Slack-Signature: {sig}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Seconds since the Unix epoch.
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}
