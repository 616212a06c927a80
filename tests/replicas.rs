//! "Exactly once" across replicas, end to end: two real `testscope serve`
//! processes share one PostgreSQL schema and one fake Slack (wiremock), and
//! a user must never see a doubled quiz post, a doubled thread reply, or a
//! second quiz answer; nor lose the day's quiz when a replica dies.
//!
//! Runs only when `TEST_DATABASE_URL` names a database, e.g.
//! `TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test`; otherwise
//! every test says so and passes. Each test gets a schema of its own
//! (`r_<random>`), dropped afterwards, and its own fake Slack.
//!
//! The two replicas get different bot tokens (`xoxb-replica-a`,
//! `xoxb-replica-b`), so every Web API call the fake Slack records says which
//! replica made it. Replica logs (`RUST_LOG=testscope=debug`) go to files
//! and are printed when a test fails.

use std::fs::File;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};
use tempfile::TempDir;
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use testscope::slack::signature::sign;
use testscope::store::Store;

const SECRET: &str = "replica-test-secret";
const BOT_USER: &str = "UBOT";
/// `ts` of every message the fake Slack says it posted.
const POSTED_TS: &str = "1700000000.000100";
/// How long a replica may take to start, migrate and learn its identity.
const START: Duration = Duration::from_secs(15);
/// How long something that should happen at once may take.
const WAIT: Duration = Duration::from_secs(5);

// ---- tests ----------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_due_quiz_is_posted_once_not_once_per_replica() {
    let Some(schema) = Schema::create().await else {
        return;
    };
    // Arrange: a channel whose quiz is due this very minute, and two
    // replicas that both look for due posts every second. Slack takes 2.5 s
    // to accept a post, so the other replica ticks while it is in flight.
    const CHANNEL: &str = "CREPLQUIZ1";
    let slack = fake_slack().await;
    Mock::given(method("POST"))
        .and(path("/chat.postMessage"))
        .respond_with(posted_ok(CHANNEL).set_delay(Duration::from_millis(2500)))
        .named("slow chat.postMessage")
        .mount(&slack)
        .await;
    let channels = format!("{CHANNEL}={}", schedule_due_now().await);
    let replicas = Replicas::start(
        &schema,
        &slack,
        &[
            ("TESTSCOPE_QUIZ_CHANNELS", &channels),
            ("TESTSCOPE_QUIZ_TICK_SECS", "1"),
        ],
    )
    .await;

    // Act: let both schedulers tick about four times each.
    tokio::time::sleep(Duration::from_secs(4)).await;

    // Assert
    let posts = requests_to(&slack, "/chat.postMessage").await;
    assert_eq!(
        posts.len(),
        1,
        "the channel got {} quiz posts today (sent by {}), want exactly 1",
        posts.len(),
        senders(&posts)
    );
    let msg = json_body(&posts[0]);
    assert_eq!(
        msg["channel"], CHANNEL,
        "the quiz went to the wrong channel: {msg:#}"
    );
    let buttons = quiz_buttons(&msg);
    assert!(
        buttons.len() >= 2,
        "the quiz post has {} answer buttons, so nobody could answer it: {msg:#}",
        buttons.len()
    );
    // The race really happened: the replica that did not post found the
    // post claimed while the other's was in flight.
    let poster = sender(&posts[0]);
    let other = &replicas.all[usize::from(poster == "A")];
    assert!(
        other.log_has_line_with(&["quiz tick", CHANNEL, "Busy"]),
        "replica {} never found the quiz claimed while replica {poster} was posting it, so this test did not race two replicas",
        other.name
    );
    let store = open_store(&schema).await;
    let recorded = store.quiz_posts(CHANNEL).await.expect("read quiz posts");
    assert!(
        recorded.len() == 1 && recorded[0].message_ts.as_deref() == Some(POSTED_TS),
        "the database should record today's one post with its Slack ts, so no replica posts it again: {recorded:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_event_delivered_to_both_replicas_gets_one_reply() {
    let Some(schema) = Schema::create().await else {
        return;
    };
    // Arrange
    let slack = fake_slack().await;
    mount_post_message(&slack, "C111").await;
    let replicas = Replicas::start(&schema, &slack, &[]).await;
    let mention_ts = "1595926230.009600";
    let event = mention_event(
        &format!("Ev{}", schema.name.to_uppercase()),
        "<@UBOT> we bumped the learning rate from 0.01 to 0.001",
        mention_ts,
    );

    // Act: the first delivery to A and Slack's retry of it to B, overlapping
    // as they do when A is slow to acknowledge.
    let (first, retry) = tokio::join!(
        replicas.a().post_event(&event, &[]),
        replicas.b().post_event(
            &event,
            &[
                ("x-slack-retry-num", "1"),
                ("x-slack-retry-reason", "http_timeout"),
            ],
        ),
    );

    // Assert
    assert_eq!(first, 200, "replica A did not acknowledge the mention");
    assert_eq!(retry, 200, "replica B did not acknowledge Slack's retry");
    wait_for(&slack, "/chat.postMessage", 1, WAIT).await;
    // Long enough for a second, duplicate reply to arrive if one were coming.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let replies = requests_to(&slack, "/chat.postMessage").await;
    assert_eq!(
        replies.len(),
        1,
        "the thread shows {} answers to one mention (sent by {}), want exactly 1",
        replies.len(),
        senders(&replies)
    );
    let reply = json_body(&replies[0]);
    assert_eq!(
        reply["thread_ts"], mention_ts,
        "the answer was not posted in the mention's thread: {reply:#}"
    );
    let answered: Vec<&str> = replicas
        .all
        .iter()
        .filter(|r| r.log_has_line_with(&["answering a mention"]))
        .map(|r| r.name)
        .collect();
    let ignored: Vec<&str> = replicas
        .all
        .iter()
        .filter(|r| r.log_has_line_with(&["duplicate delivery ignored"]))
        .map(|r| r.name)
        .collect();
    assert!(
        answered.len() == 1 && ignored.len() == 1,
        "each replica should have seen the event, one answering and one ignoring it; answered: {answered:?}, ignored: {ignored:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_quiz_answer_clicked_on_both_replicas_keeps_the_first() {
    let Some(schema) = Schema::create().await else {
        return;
    };
    // Arrange: today's quiz, posted by one of the replicas.
    const CHANNEL: &str = "CREPLQUIZ3";
    const USER: &str = "W111";
    let slack = fake_slack().await;
    mount_post_message(&slack, CHANNEL).await;
    Mock::given(method("POST"))
        .and(path("/chat.update"))
        .respond_with(posted_ok(CHANNEL))
        .named("chat.update")
        .mount(&slack)
        .await;
    Mock::given(method("POST"))
        .and(path_regex("^/respond/"))
        .respond_with(ResponseTemplate::new(200).set_body_string("ok"))
        .named("response_url")
        .mount(&slack)
        .await;
    let channels = format!("{CHANNEL}={}", schedule_due_now().await);
    let replicas = Replicas::start(
        &schema,
        &slack,
        &[
            ("TESTSCOPE_QUIZ_CHANNELS", &channels),
            ("TESTSCOPE_QUIZ_TICK_SECS", "1"),
        ],
    )
    .await;
    let posts = wait_for(&slack, "/chat.postMessage", 1, WAIT).await;
    assert!(
        !posts.is_empty(),
        "the channel never got today's quiz, so there is nothing to answer"
    );
    // A person clicks only after Slack has shown the post, by which time the
    // replica that made it has recorded it; a click inside that window is
    // asked to click again (tests/quiz.rs).
    wait_until_recorded(&schema, CHANNEL).await;
    let buttons = quiz_buttons(&json_body(&posts[0]));
    assert!(buttons.len() >= 2, "the quiz post needs two answer buttons");
    let (first, second) = (&buttons[0], &buttons[1]);
    let first_url = format!("{}/respond/first", slack.uri());
    let second_url = format!("{}/respond/second", slack.uri());

    // Act: the user clicks one option (handled by A), then another (by B).
    let status = replicas
        .a()
        .post_interaction(&block_actions(USER, CHANNEL, first, &first_url))
        .await;
    assert_eq!(status, 200, "replica A did not acknowledge the first click");
    let first_reply = ephemeral_reply(&slack, "/respond/first").await;
    let status = replicas
        .b()
        .post_interaction(&block_actions(USER, CHANNEL, second, &second_url))
        .await;
    assert_eq!(
        status, 200,
        "replica B did not acknowledge the second click"
    );
    let second_reply = ephemeral_reply(&slack, "/respond/second").await;

    // Assert
    assert!(
        !first_reply.contains("locked in"),
        "the first click was told an answer was already locked in: {first_reply}"
    );
    assert!(
        second_reply.contains(&format!("locked in: *{}. ", first.label)),
        "after clicking \"{}\" the user was not told that their first answer \"{}\" is locked in; they saw: {second_reply}",
        second.label,
        first.label
    );
    let store = open_store(&schema).await;
    let answers = store
        .quiz_answers(CHANNEL)
        .await
        .expect("read quiz answers");
    assert!(
        answers.len() == 1 && answers[0].user_id == USER && answers[0].option == first.option,
        "the leaderboard would count {} answers by {USER} (want one, option {} \"{}\"): {answers:?}",
        answers.len(),
        first.option,
        first.label
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replica_killed_while_posting_does_not_lose_the_days_quiz() {
    let Some(schema) = Schema::create().await else {
        return;
    };
    // Arrange: Slack never answers the first post (the claimer blocks on
    // it); later posts succeed. The quiz lease is 3 s.
    const CHANNEL: &str = "CREPLQUIZ4";
    let slack = fake_slack().await;
    Mock::given(method("POST"))
        .and(path("/chat.postMessage"))
        .respond_with(posted_ok(CHANNEL).set_delay(Duration::from_secs(60)))
        .up_to_n_times(1)
        .with_priority(1)
        .named("chat.postMessage that hangs")
        .mount(&slack)
        .await;
    Mock::given(method("POST"))
        .and(path("/chat.postMessage"))
        .respond_with(posted_ok(CHANNEL))
        .with_priority(2)
        .named("chat.postMessage")
        .mount(&slack)
        .await;
    let channels = format!("{CHANNEL}={}", schedule_due_now().await);
    let mut replicas = Replicas::start(
        &schema,
        &slack,
        &[
            ("TESTSCOPE_QUIZ_CHANNELS", &channels),
            ("TESTSCOPE_QUIZ_TICK_SECS", "1"),
            ("TESTSCOPE_QUIZ_LEASE_SECS", "3"),
        ],
    )
    .await;
    let hung = wait_for(&slack, "/chat.postMessage", 1, WAIT).await;
    assert!(
        !hung.is_empty(),
        "no replica tried to post the quiz that was due"
    );
    let claimer = sender(&hung[0]);
    let survivor = if claimer == "A" { "B" } else { "A" };

    // Act: the replica holding the claim dies mid-post.
    replicas.kill(claimer);

    // Assert: the survivor takes over once the lease has run out.
    let posts = wait_for(&slack, "/chat.postMessage", 2, Duration::from_secs(10)).await;
    assert!(
        posts.len() >= 2,
        "the channel never got today's quiz: replica {claimer} died holding the claim and replica {survivor} did not post within 10 s"
    );
    assert_eq!(
        sender(&posts[1]),
        survivor,
        "the quiz was re-posted by the replica that was killed"
    );
    // It waited for the lease instead of posting alongside the claimer.
    let survivor_log = &replicas.all[usize::from(survivor == "B")];
    assert!(
        survivor_log.log_has_line_with(&["quiz tick", CHANNEL, "Busy"]),
        "replica {survivor} never saw the post as claimed, so the lease was not what held it back"
    );
    // A third post would be a doubled quiz in the channel.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let posts = requests_to(&slack, "/chat.postMessage").await;
    assert_eq!(
        posts.len(),
        2,
        "the channel got {} successful quiz posts after the takeover (sent by {}), want exactly 1",
        posts.len() - 1,
        senders(&posts[1..])
    );
    let store = open_store(&schema).await;
    let recorded = store.quiz_posts(CHANNEL).await.expect("read quiz posts");
    assert!(
        recorded.len() == 1 && recorded[0].message_ts.as_deref() == Some(POSTED_TS),
        "the database should record today's post as done after the takeover: {recorded:?}"
    );
}

// ---- the replicas ---------------------------------------------------------

/// One `testscope serve` process.
struct Replica {
    name: &'static str,
    /// `http://127.0.0.1:<port>`
    address: String,
    child: Child,
    log: PathBuf,
    client: reqwest::Client,
}

impl Replica {
    fn spawn(
        name: &'static str,
        db_url: &str,
        slack: &MockServer,
        env: &[(&str, &str)],
        dir: &TempDir,
    ) -> Replica {
        let port = free_port();
        let log = dir.path().join(format!("replica-{name}.log"));
        let out = File::create(&log).expect("create a replica log file");
        let err = out.try_clone().expect("clone the replica log file");
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_testscope"));
        cmd.arg("serve")
            .current_dir(dir.path())
            // Nothing from the developer's environment leaks in.
            .env_clear()
            .env("TESTSCOPE_ADDR", format!("127.0.0.1:{port}"))
            .env("SLACK_SIGNING_SECRET", SECRET)
            .env("SLACK_BOT_TOKEN", token_of(name))
            .env("SLACK_API_URL", slack.uri())
            .env("TESTSCOPE_DATABASE_URL", db_url)
            .env("TESTSCOPE_SHUTDOWN_GRACE_SECS", "1")
            .env("RUST_LOG", "testscope=debug")
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err);
        for (key, value) in env {
            cmd.env(key, value);
        }
        let child = cmd.spawn().expect("cannot start the testscope binary");
        Replica {
            name,
            address: format!("http://127.0.0.1:{port}"),
            child,
            log,
            client: reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()
                .expect("build an HTTP client"),
        }
    }

    /// Waits for `/healthz`, then `/readyz` (database reachable, Slack
    /// identity known).
    async fn wait_ready(&mut self) {
        let deadline = Instant::now() + START;
        for endpoint in ["/healthz", "/readyz"] {
            loop {
                if let Ok(Some(status)) = self.child.try_wait() {
                    panic!(
                        "replica {} exited ({status}) before answering {endpoint}:\n{}",
                        self.name,
                        self.log_text()
                    );
                }
                let ok = self
                    .client
                    .get(format!("{}{endpoint}", self.address))
                    .timeout(Duration::from_secs(2))
                    .send()
                    .await
                    .is_ok_and(|r| r.status().is_success());
                if ok {
                    break;
                }
                assert!(
                    Instant::now() < deadline,
                    "replica {} did not answer {endpoint} within {START:?}:\n{}",
                    self.name,
                    self.log_text()
                );
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }

    /// An Events API delivery, signed like Slack does; the HTTP status.
    async fn post_event(&self, event: &Value, extra: &[(&str, &str)]) -> u16 {
        let body = serde_json::to_vec(event).expect("event serialises");
        self.post_signed("/slack/events", "application/json", body, extra)
            .await
    }

    /// An interactivity request (`payload=<JSON>`); the HTTP status.
    async fn post_interaction(&self, payload: &Value) -> u16 {
        let body =
            serde_urlencoded::to_string([("payload", payload.to_string())]).expect("form encodes");
        self.post_signed(
            "/slack/interactions",
            "application/x-www-form-urlencoded",
            body.into_bytes(),
            &[],
        )
        .await
    }

    async fn post_signed(
        &self,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
        extra: &[(&str, &str)],
    ) -> u16 {
        let ts = unix_now();
        let signature = sign(SECRET, ts, &body).expect("the secret is not blank");
        let mut req = self
            .client
            .post(format!("{}{path}", self.address))
            .header("content-type", content_type)
            .header("x-slack-request-timestamp", ts.to_string())
            .header("x-slack-signature", signature)
            .body(body);
        for (name, value) in extra {
            req = req.header(*name, *value);
        }
        let resp = req
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST {path} to replica {} failed: {e}", self.name));
        resp.status().as_u16()
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Whether one log line contains every one of `parts`.
    fn log_has_line_with(&self, parts: &[&str]) -> bool {
        self.log_text()
            .lines()
            .any(|line| parts.iter().all(|p| line.contains(p)))
    }

    /// SIGKILL: no graceful shutdown, no chance to release anything.
    fn kill(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

impl Drop for Replica {
    fn drop(&mut self) {
        self.kill();
        if std::thread::panicking() {
            let text = self.log_text();
            let lines: Vec<&str> = text.lines().collect();
            let tail = &lines[lines.len().saturating_sub(80)..];
            let _ = writeln!(
                std::io::stderr(),
                "---- replica {} log (last {} lines) ----\n{}",
                self.name,
                tail.len(),
                tail.join("\n")
            );
        }
    }
}

/// Replicas A and B on one schema and one fake Slack.
struct Replicas {
    /// Dropped (killed) before the log directory goes.
    all: Vec<Replica>,
    _logs: TempDir,
}

impl Replicas {
    /// Starts both processes at once (so their start-up and first scheduler
    /// ticks overlap) and waits until both are ready.
    async fn start(schema: &Schema, slack: &MockServer, env: &[(&str, &str)]) -> Replicas {
        let logs = tempfile::tempdir().expect("a temp dir for replica logs");
        let url = schema.url();
        let mut all = vec![
            Replica::spawn("A", &url, slack, env, &logs),
            Replica::spawn("B", &url, slack, env, &logs),
        ];
        for replica in &mut all {
            replica.wait_ready().await;
        }
        Replicas { all, _logs: logs }
    }

    fn a(&self) -> &Replica {
        &self.all[0]
    }

    fn b(&self) -> &Replica {
        &self.all[1]
    }

    fn kill(&mut self, name: &str) {
        self.all
            .iter_mut()
            .find(|r| r.name == name)
            .unwrap_or_else(|| panic!("no replica {name}"))
            .kill();
    }
}

fn token_of(name: &str) -> String {
    format!("xoxb-replica-{}", name.to_ascii_lowercase())
}

/// Which replica made a Web API call, from its bot token.
fn sender(req: &Request) -> &'static str {
    let auth = req
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    ["A", "B"]
        .into_iter()
        .find(|name| auth == format!("Bearer {}", token_of(name)))
        .unwrap_or("an unknown sender")
}

fn senders(reqs: &[Request]) -> String {
    let names: Vec<&str> = reqs.iter().map(sender).collect();
    format!("{names:?}")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("cannot find a free port")
        .port()
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("the clock is after 1970")
        .as_secs() as i64
}

/// A schedule (`HH:MM UTC everyday`) whose post time is the current UTC
/// minute. In a minute's last 15 s it waits for the next one: a test needs
/// the post to stay today's for up to 15 s, which matters at 23:59 UTC.
async fn schedule_due_now() -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("the clock is after 1970");
    let into_minute = now.as_millis() % 60_000;
    if into_minute >= 45_000 {
        let rest = 60_000 - into_minute + 100;
        tokio::time::sleep(Duration::from_millis(rest as u64)).await;
    }
    let secs = unix_now();
    format!(
        "{:02}:{:02} UTC everyday",
        (secs / 3600) % 24,
        (secs / 60) % 60
    )
}

// ---- the fake Slack -------------------------------------------------------

async fn fake_slack() -> MockServer {
    let slack = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth.test"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "ok": true,
            "user_id": BOT_USER,
            "bot_id": "BBOT",
            "team_id": "T111",
        })))
        .named("auth.test")
        .mount(&slack)
        .await;
    slack
}

fn posted_ok(channel: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "ok": true,
        "channel": channel,
        "ts": POSTED_TS,
        "message": {"text": "posted"}
    }))
}

async fn mount_post_message(slack: &MockServer, channel: &str) {
    Mock::given(method("POST"))
        .and(path("/chat.postMessage"))
        .respond_with(posted_ok(channel))
        .named("chat.postMessage")
        .mount(slack)
        .await;
}

async fn requests_to(slack: &MockServer, wanted: &str) -> Vec<Request> {
    slack
        .received_requests()
        .await
        .expect("wiremock request recording is on")
        .into_iter()
        .filter(|r| r.url.path() == wanted)
        .collect()
}

/// Polls until `slack` has received `n` requests on `path` or `timeout`
/// passes; returns what it has either way, for the caller to judge.
async fn wait_for(slack: &MockServer, path: &str, n: usize, timeout: Duration) -> Vec<Request> {
    let deadline = Instant::now() + timeout;
    loop {
        let seen = requests_to(slack, path).await;
        if seen.len() >= n || Instant::now() >= deadline {
            return seen;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn json_body(req: &Request) -> Value {
    serde_json::from_slice(&req.body).unwrap_or_else(|e| {
        panic!(
            "{} was sent a body that is not JSON ({e}): {}",
            req.url.path(),
            String::from_utf8_lossy(&req.body)
        )
    })
}

/// The text of the one ephemeral reply sent to the response_url at `path`.
async fn ephemeral_reply(slack: &MockServer, path: &str) -> String {
    let replies = wait_for(slack, path, 1, WAIT).await;
    assert_eq!(
        replies.len(),
        1,
        "the user got {} private replies to one click (response_url {path})",
        replies.len()
    );
    json_body(&replies[0])["text"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// One answer button of a daily quiz post.
struct QuizButton {
    action_id: String,
    value: String,
    label: String,
    /// The option index, the last `|` field of the value.
    option: u32,
}

fn quiz_buttons(msg: &Value) -> Vec<QuizButton> {
    msg["blocks"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|b| b["type"] == "actions")
        .flat_map(|b| b["elements"].as_array().cloned().unwrap_or_default())
        .filter(|e| {
            e["action_id"]
                .as_str()
                .is_some_and(|id| id.starts_with("quiz_answer"))
        })
        .map(|e| {
            let value = e["value"].as_str().unwrap_or_default().to_owned();
            QuizButton {
                action_id: e["action_id"].as_str().unwrap_or_default().to_owned(),
                option: value
                    .rsplit('|')
                    .next()
                    .and_then(|o| o.parse().ok())
                    .unwrap_or(u32::MAX),
                label: e["text"]["text"].as_str().unwrap_or_default().to_owned(),
                value,
            }
        })
        .collect()
}

// ---- payloads -------------------------------------------------------------

/// An `app_mention` event_callback in channel C111, not in a thread.
fn mention_event(event_id: &str, text: &str, ts: &str) -> Value {
    json!({
        "token": "verification_token",
        "team_id": "T111",
        "api_app_id": "A111",
        "event": {
            "type": "app_mention",
            "text": text,
            "user": "W222",
            "ts": ts,
            "team": "T111",
            "channel": "C111",
            "event_ts": ts,
        },
        "type": "event_callback",
        "event_id": event_id,
        "event_time": 1_595_926_230,
        "authed_users": ["W111"],
    })
}

/// A click on one answer button of the daily post in `channel`.
fn block_actions(user: &str, channel: &str, button: &QuizButton, response_url: &str) -> Value {
    json!({
        "type": "block_actions",
        "user": {"id": user, "username": "someone", "name": "someone", "team_id": "T111"},
        "api_app_id": "A111",
        "token": "verification_token",
        "container": {"type": "message", "message_ts": POSTED_TS, "channel_id": channel, "is_ephemeral": false},
        "trigger_id": "111.222.valid",
        "team": {"id": "T111", "domain": "workspace-domain"},
        "channel": {"id": channel, "name": "quiz"},
        "response_url": response_url,
        "actions": [{
            "action_id": button.action_id,
            "block_id": "quiz_options",
            "text": {"type": "plain_text", "text": button.label, "emoji": true},
            "value": button.value,
            "type": "button",
            "action_ts": "1700000001.000001"
        }]
    })
}

// ---- the database ---------------------------------------------------------

/// A fresh schema on `TEST_DATABASE_URL`, dropped with everything in it when
/// this is dropped (also when the test fails).
struct Schema {
    base: String,
    name: String,
}

impl Schema {
    /// `None` (after saying so) when `TEST_DATABASE_URL` is not set.
    async fn create() -> Option<Schema> {
        let base = match std::env::var("TEST_DATABASE_URL") {
            Ok(url) if !url.trim().is_empty() => url.trim().to_owned(),
            _ => {
                eprintln!("skipping replica tests: TEST_DATABASE_URL is not set");
                // The harness captures `eprintln!` from passing tests; say it
                // once where a plain `cargo test` run shows it too.
                static SAID: std::sync::Once = std::sync::Once::new();
                SAID.call_once(|| {
                    let _ = writeln!(
                        std::io::stderr(),
                        "skipping replica tests: TEST_DATABASE_URL is not set"
                    );
                });
                return None;
            }
        };
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let seed = (
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or_default(),
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed),
        );
        let random = std::hash::BuildHasher::hash_one(&std::hash::RandomState::new(), seed);
        let name = format!("r_{random:016x}");
        execute(&base, &format!("CREATE SCHEMA {name}")).await;
        Some(Schema { base, name })
    }

    /// The test database with this schema first on the search path, as the
    /// replicas are told with `TESTSCOPE_DATABASE_URL`.
    fn url(&self) -> String {
        let sep = if self.base.contains('?') { '&' } else { '?' };
        format!("{}{sep}options=-csearch_path%3D{}", self.base, self.name)
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        // Drop runs inside the test's runtime, which cannot be blocked on; a
        // short-lived thread with its own runtime can.
        let (base, sql) = (
            self.base.clone(),
            format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name),
        );
        let dropped = std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime to drop the schema")
                .block_on(execute(&base, &sql));
        })
        .join();
        if dropped.is_err() && !std::thread::panicking() {
            panic!("could not drop test schema {}", self.name);
        }
    }
}

/// Runs `sql` on a short-lived connection of its own.
async fn execute(url: &str, sql: &str) {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to TEST_DATABASE_URL: {e}"));
    tokio::spawn(connection);
    client
        .batch_execute(sql)
        .await
        .unwrap_or_else(|e| panic!("`{sql}` failed: {e}"));
}

/// The replicas' store, opened the way the service opens it.
/// Waits until the quiz post in `channel` has its Slack message recorded.
async fn wait_until_recorded(schema: &Schema, channel: &str) {
    let store = open_store(schema).await;
    let deadline = Instant::now() + WAIT;
    loop {
        let posts = store.quiz_posts(channel).await.unwrap_or_default();
        if posts.iter().any(|p| p.message_ts.is_some()) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the quiz post in {channel} was made but never recorded: {posts:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn open_store(schema: &Schema) -> Arc<dyn Store> {
    testscope::store::open(&schema.url())
        .await
        .unwrap_or_else(|e| panic!("cannot open the replicas' store: {e}"))
}
