//! A stand-in for Slack's Web API for the quiz fan-out benchmark
//! (`deploy/bench/fanout.sh`). It accepts every `chat.postMessage` after a
//! fixed delay with a `ts` of its own, answers the other methods the quiz
//! scheduler calls just enough to keep it going, and counts posts per
//! channel so the script can check that every channel got exactly one.
//!
//! Like Slack, it refuses a second post to a channel within a second of the
//! last one with a 429 and `Retry-After: 1`. `--throttle-every N` also
//! refuses every Nth post that way, to see the scheduler wait out a storm of
//! rate limits. `GET /stats` reports the counts as JSON.
//!
//! Run with `cargo run --release --example fake_slack -- --addr 127.0.0.1:3301 --delay-ms 50`.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

struct Options {
    addr: String,
    delay: Duration,
    /// Refuse every Nth post with a 429; 0 never.
    throttle_every: u64,
}

impl Options {
    fn from_args() -> Result<Options, String> {
        let mut o = Options {
            addr: "127.0.0.1:3301".to_owned(),
            delay: Duration::from_millis(50),
            throttle_every: 0,
        };
        let mut args = std::env::args().skip(1);
        while let Some(flag) = args.next() {
            let value = args.next().ok_or(format!("{flag} needs a value"))?;
            let number = || value.parse::<u64>().map_err(|e| format!("{flag}: {e}"));
            match flag.as_str() {
                "--addr" => o.addr.clone_from(&value),
                "--delay-ms" => o.delay = Duration::from_millis(number()?),
                "--throttle-every" => o.throttle_every = number()?,
                _ => return Err(format!("unknown flag {flag}")),
            }
        }
        Ok(o)
    }
}

#[derive(Default)]
struct Counts {
    /// Accepted posts per channel.
    per_channel: HashMap<String, u32>,
    /// Accepted posts per bot token: which replica made them.
    per_token: HashMap<String, u32>,
    /// When each channel last got an accepted post.
    last_post: HashMap<String, Instant>,
    /// Posts refused because the channel had one less than a second ago.
    refused_too_soon: u64,
    /// Posts refused by `--throttle-every`.
    refused_throttled: u64,
    first_post_ms: Option<u128>,
    last_post_ms: Option<u128>,
}

struct Fake {
    options: Options,
    calls: AtomicU64,
    next_ts: AtomicU64,
    counts: Mutex<Counts>,
}

fn unix_ms() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or_default()
}

fn rate_limited() -> Response {
    (
        StatusCode::TOO_MANY_REQUESTS,
        [("retry-after", "1")],
        axum::Json(json!({"ok": false, "error": "ratelimited"})),
    )
        .into_response()
}

async fn method(
    State(fake): State<Arc<Fake>>,
    Path(name): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let channel = body["channel"].as_str().unwrap_or_default().to_owned();
    let reply = match name.as_str() {
        "auth.test" => json!({"ok": true, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "T1"}),
        "conversations.history" | "conversations.replies" => {
            json!({"ok": true, "messages": [], "has_more": false})
        }
        "chat.postMessage" => {
            let token = headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .unwrap_or_default()
                .to_owned();
            return post_message(&fake, channel, token).await;
        }
        "chat.update" => json!({"ok": true, "channel": channel, "ts": body["ts"]}),
        _ => json!({"ok": true}),
    };
    axum::Json(reply).into_response()
}

async fn post_message(fake: &Fake, channel: String, token: String) -> Response {
    tokio::time::sleep(fake.options.delay).await;
    let n = fake.calls.fetch_add(1, Ordering::Relaxed) + 1;
    let every = fake.options.throttle_every;
    let mut counts = fake.counts.lock().unwrap_or_else(|e| e.into_inner());
    if every > 0 && n % every == 0 {
        counts.refused_throttled += 1;
        return rate_limited();
    }
    let now = Instant::now();
    if counts
        .last_post
        .get(&channel)
        .is_some_and(|at| now.duration_since(*at) < Duration::from_secs(1))
    {
        counts.refused_too_soon += 1;
        return rate_limited();
    }
    counts.last_post.insert(channel.clone(), now);
    *counts.per_channel.entry(channel.clone()).or_default() += 1;
    *counts.per_token.entry(token).or_default() += 1;
    let ms = unix_ms();
    counts.first_post_ms.get_or_insert(ms);
    counts.last_post_ms = Some(ms);
    drop(counts);
    let seq = fake.next_ts.fetch_add(1, Ordering::Relaxed);
    let ts = format!("{}.{:06}", ms / 1000, seq % 1_000_000);
    axum::Json(json!({"ok": true, "channel": channel, "ts": ts})).into_response()
}

async fn stats(State(fake): State<Arc<Fake>>) -> axum::Json<Value> {
    let counts = fake.counts.lock().unwrap_or_else(|e| e.into_inner());
    let posts: u64 = counts.per_channel.values().map(|&n| u64::from(n)).sum();
    axum::Json(json!({
        "posts": posts,
        "channels": counts.per_channel.len(),
        "channels_posted_more_than_once": counts.per_channel.values().filter(|&&n| n > 1).count(),
        "max_posts_per_channel": counts.per_channel.values().max().copied().unwrap_or(0),
        "posts_by_token": counts.per_token,
        "refused_too_soon": counts.refused_too_soon,
        "refused_throttled": counts.refused_throttled,
        "first_post_ms": counts.first_post_ms,
        "last_post_ms": counts.last_post_ms,
    }))
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let options = Options::from_args().map_err(std::io::Error::other)?;
    let addr = options.addr.clone();
    let fake = Arc::new(Fake {
        options,
        calls: AtomicU64::new(0),
        next_ts: AtomicU64::new(1),
        counts: Mutex::default(),
    });
    let app = Router::new()
        .route("/stats", get(stats))
        .route("/{method}", post(method))
        .with_state(fake);
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    eprintln!("fake Slack on http://{}", listener.local_addr()?);
    axum::serve(listener, app).await
}
