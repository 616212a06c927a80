//! The `testscope` binary as a user runs it.

use std::io::Write;
use std::process::{Command, Stdio};

fn testscope(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_testscope"))
        .args(args)
        .env_remove("TESTSCOPE_RESPONSES_DIR")
        .env_remove("TESTSCOPE_PLATFORM")
        .output()
        .expect("binary runs")
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn advise_json_has_the_documented_fields() {
    let out = testscope(&[
        "advise",
        "--format",
        "json",
        "one",
        "transformation",
        "function",
        "changed",
    ]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(v["primary_scope"], "unit");
    assert_eq!(v["scopes"], serde_json::json!(["unit"]));
    assert_eq!(v["stages"], serde_json::json!(["dev"]));
    assert_eq!(v["confident"], true);
    for field in ["traps", "checks", "components", "matched"] {
        assert!(v[field].is_array(), "{field}");
    }
    assert_eq!(v["matched"][0]["rule"], "transformation-function");
}

#[test]
fn advise_reads_standard_input_with_a_dash() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_testscope"))
        .args(["advise", "--format", "json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"+++ b/requirements.txt\n@@ -1 +1 @@\n-xgboost==1.7\n+xgboost==2.0\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["primary_scope"], "integration");
    assert_eq!(v["matched"][0]["rule"], "dependencies");
}

#[test]
fn advise_text_and_blocks() {
    let text = stdout(&testscope(&["advise", "promote the model to prod"]));
    assert!(text.starts_with("Release-gating tests in prod\n"), "{text}");
    assert!(text.contains("Blast radius:"));
    let blocks = testscope(&["advise", "--format", "blocks", "bumped the learning rate"]);
    let v: serde_json::Value = serde_json::from_slice(&blocks.stdout).unwrap();
    assert_eq!(v["blocks"][0]["type"], "header");
    assert_eq!(
        v["blocks"][0]["text"]["text"],
        "Integration tests in test (staging)"
    );
}

/// The whole private reply, buttons included, as `advise --format blocks`
/// prints it (tests/api/commands.rs checks it equals the slash reply).
#[test]
fn advise_format_blocks_prints_the_reply_with_its_buttons() {
    let out = testscope(&["advise", "--format", "blocks", "bumped the learning rate"]);
    assert!(out.status.success(), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let actions: Vec<&str> = v["blocks"]
        .as_array()
        .and_then(|b| b.iter().find(|b| b["type"] == "actions"))
        .and_then(|a| a["elements"].as_array())
        .map(|e| e.iter().filter_map(|b| b["action_id"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        actions,
        ["share", "feedback_helpful", "feedback_not_quite", "details"]
    );
    insta::assert_snapshot!("advise_blocks_learning_rate", stdout(&out));
}

#[test]
fn unmatched_text_gets_guidance_not_a_guess() {
    let text = stdout(&testscope(&["advise", "what's for lunch?"]));
    assert!(text.contains("Decision order:"), "{text}");
    assert!(text.contains("testscope advise \"one transformation function changed\""));
}

#[test]
fn check_summarises_and_fails_on_a_broken_copy() {
    let ok = testscope(&["check"]);
    assert!(ok.status.success());
    let out = stdout(&ok);
    assert!(out.starts_with("built-in knowledge base: OK"));
    // The quiz bank's cue statistics, for the whole bank and the generic one.
    assert_eq!(
        out.matches("key is the longest option:").count(),
        2,
        "{out}"
    );
    assert!(out.contains("simple strategies (fail above 40%)"), "{out}");
    assert!(out.contains("skip the longest, take the next"), "{out}");

    let dir = tempfile::tempdir().unwrap();
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("responses");
    for name in testscope::kb::FILES {
        std::fs::copy(src.join(name), dir.path().join(name)).unwrap();
    }
    let rules = dir.path().join("rules.toml");
    let text = std::fs::read_to_string(&rules).unwrap();
    std::fs::write(
        &rules,
        text.replacen("traps = [\"stage-blind\"]", "traps = [\"nope\"]", 1),
    )
    .unwrap();
    let bad = testscope(&["check", "--responses", dir.path().to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(1));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("rules.toml:"), "{err}");
    assert!(err.contains("unknown trap `nope`"), "{err}");
}

#[test]
fn rules_prints_the_decision_table() {
    let text = stdout(&testscope(&["rules"]));
    assert!(text.contains("Decision order:"));
    assert!(text.contains("hyperparameters"));
    assert!(text.contains("release-gating"));
}

#[test]
fn sign_reproduces_slacks_documented_example() {
    let body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    let out = testscope(&[
        "sign",
        "--secret",
        "8f742231b10e8888abcd99yyyzzz85a5",
        "--timestamp",
        "1531420618",
        body,
    ]);
    assert!(out.status.success());
    assert_eq!(
        stdout(&out),
        "X-Slack-Request-Timestamp: 1531420618\nX-Slack-Signature: v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503\n"
    );
}

#[test]
fn every_command_has_help() {
    for cmd in [
        &["--help"][..],
        &["advise", "--help"],
        &["check", "--help"],
        &["rules", "--help"],
        &["sign", "--help"],
        &["feedback", "list", "--help"],
        &["feedback", "export", "--help"],
    ] {
        let out = testscope(cmd);
        assert!(out.status.success(), "{cmd:?}");
        assert!(stdout(&out).contains("Usage:"), "{cmd:?}");
    }
}

#[test]
fn serve_refuses_to_start_when_the_database_is_unreachable() {
    for url in [
        "postgres://postgres@127.0.0.1:1/testscope",
        "sqlite:///nonexistent-directory/testscope.db",
    ] {
        let started = std::time::Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_testscope"))
            .arg("serve")
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("SLACK_SIGNING_SECRET", "s")
            .env("TESTSCOPE_ADDR", "127.0.0.1:0")
            .env("TESTSCOPE_DATABASE_URL", url)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{url}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("cannot open the database"), "{url}: {err}");
        assert!(
            !err.contains("postgres@"),
            "the URL's credentials must not be echoed: {err}"
        );
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "{url}: gave up too slowly"
        );
    }
}

/// The database holds who answered what and when; other users on the host
/// must not read it, whatever umask the service was started with.
#[cfg(unix)]
#[test]
fn serve_creates_the_sqlite_file_and_its_wal_and_shm_owner_only_whatever_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("state.db");
    let mut child = Command::new("sh")
        .arg("-c")
        .arg("umask 000 && exec \"$0\" serve")
        .arg(env!("CARGO_BIN_EXE_testscope"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("SLACK_SIGNING_SECRET", "s")
        .env("TESTSCOPE_ADDR", "127.0.0.1:0")
        .env(
            "TESTSCOPE_DATABASE_URL",
            format!("sqlite://{}", db.display()),
        )
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let files = ["state.db", "state.db-wal", "state.db-shm"].map(|f| dir.path().join(f));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !files.iter().all(|f| f.exists()) && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let modes: Vec<(String, u32)> = files
        .iter()
        .map(|f| {
            let mode = std::fs::metadata(f).map_or(0, |m| m.permissions().mode() & 0o777);
            (f.file_name().unwrap().to_string_lossy().into_owned(), mode)
        })
        .collect();
    child.kill().unwrap();
    child.wait().unwrap();
    for (name, mode) in &modes {
        assert_eq!(*mode, 0o600, "{name} is {mode:o}, want 600: {modes:?}");
    }
}

/// `testscope check | head -1`: a reader that stops early closes the pipe;
/// the command exits quietly instead of panicking.
#[test]
fn a_closed_output_pipe_is_not_a_crash() {
    for args in [&["check"][..], &["rules"][..]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_testscope"))
            .args(args)
            .env_remove("TESTSCOPE_RESPONSES_DIR")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Close the read end before the program writes.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

/// A SQLite file holding two "Not quite" reports, one older than the other.
async fn database_with_two_reports(dir: &std::path::Path) -> String {
    let url = format!("sqlite://{}", dir.join("bot.db").display());
    let store = testscope::store::open(&url).await.expect("store opens");
    for (user, at, expected) in [
        ("U1", 1_764_000_000, "unit"),
        ("U2", 1_764_600_000, "integration"),
    ] {
        let miss = testscope::store::MissReport {
            advice_id: format!("advice-{user}"),
            team_id: "T1".into(),
            channel_id: "C1".into(),
            user_id: user.into(),
            question: format!("we changed the pyfunc wrapper ({user})"),
            given_scope: Some("unit".into()),
            given_stages: vec!["dev".into()],
            given_rules: vec!["wrapper".into()],
            expected_scope: Some(expected.into()),
            expected_stage: Some("test".into()),
            comment: Some("the wrapper is the model's interface".into()),
            at,
        };
        store.record_miss(&miss).await.expect("report stored");
    }
    url
}

#[tokio::test]
async fn feedback_export_is_read_back_by_eval_and_since_filters() {
    // Arrange
    let dir = tempfile::tempdir().unwrap();
    let url = database_with_two_reports(dir.path()).await;

    // Act
    let all = testscope(&["feedback", "export", "--database-url", &url]);
    let recent = testscope(&[
        "feedback",
        "export",
        "--since",
        "2025-11-30",
        "--database-url",
        &url,
    ]);
    let listed = testscope(&["feedback", "list", "--database-url", &url]);
    let bad = testscope(&[
        "feedback",
        "list",
        "--since",
        "yesterday",
        "--database-url",
        &url,
    ]);

    // Assert
    assert!(
        all.status.success(),
        "{}",
        String::from_utf8_lossy(&all.stderr)
    );
    assert_eq!(stdout(&all).lines().count(), 2, "{}", stdout(&all));
    assert_eq!(
        stdout(&recent).lines().count(),
        1,
        "--since keeps the newer report only"
    );
    assert!(stdout(&recent).contains("(U2)"), "{}", stdout(&recent));
    let file = dir.path().join("feedback.jsonl");
    std::fs::write(&file, stdout(&all)).unwrap();
    let eval = testscope(&["eval", file.to_str().unwrap()]);
    assert!(
        eval.status.success(),
        "testscope eval must read the export: {}{}",
        stdout(&eval),
        String::from_utf8_lossy(&eval.stderr)
    );
    let text = stdout(&listed);
    assert!(
        text.contains("expected: integration in test") && text.contains("said:     unit in dev"),
        "{text}"
    );
    assert!(!bad.status.success());
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("2026-11-01"),
        "a bad date says what is wanted"
    );
}

/// `testscope serve 2>&1 | head -1`: once the log reader has gone, a log
/// write fails; the service keeps running and still stops on SIGTERM.
#[cfg(unix)]
#[test]
fn serve_stops_on_sigterm_after_its_log_reader_went_away() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_testscope"))
        .arg("serve")
        .env("SLACK_SIGNING_SECRET", "test-secret")
        .env("TESTSCOPE_ADDR", "127.0.0.1:0")
        .env(
            "TESTSCOPE_DATABASE_URL",
            format!("sqlite://{}", dir.path().join("t.db").display()),
        )
        .env_remove("SLACK_APP_TOKEN")
        .env_remove("SLACK_BOT_TOKEN")
        .env_remove("RUST_LOG")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Up to the line saying where it listens (the missing bot token's
    // warning comes first).
    let mut reader = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut read = String::new();
    for _ in 0..5 {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        read.push_str(&line);
        if line.contains("listening") {
            break;
        }
    }
    assert!(read.contains("listening"), "{read}");
    drop(reader);
    // The reader is dropped: the pipe is closed.
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            panic!("serve did not stop within 15 s of SIGTERM once its log reader had gone");
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    assert!(status.success(), "a clean exit, got {status}");
}

/// `quiz post --help` says what every flag is for, and never prints the
/// database URL it would use (it may hold a password).
#[test]
fn quiz_post_help_documents_every_flag() {
    let out = Command::new(env!("CARGO_BIN_EXE_testscope"))
        .args(["quiz", "post", "--help"])
        .env(
            "TESTSCOPE_DATABASE_URL",
            "postgres://u:hunter2@db/testscope",
        )
        .output()
        .expect("binary runs");
    assert!(out.status.success(), "{out:?}");
    let help = stdout(&out);
    for (flag, says) in [
        ("--channel", "Channel id"),
        ("--force", "Post even if"),
        ("--database-url", "The service's database"),
        ("--bot-token", "The bot token"),
        ("--slack-api-url", "Slack's Web API base URL"),
        ("--responses", "knowledge base from this directory"),
    ] {
        assert!(
            help.contains(flag) && help.contains(says),
            "{flag} should be explained (\"{says}...\"):\n{help}"
        );
    }
    assert!(!help.contains("hunter2"), "a secret in --help:\n{help}");
}

/// The README's command-line table names every subcommand the binary has.
#[test]
fn the_readme_lists_every_subcommand() {
    let help = stdout(&testscope(&["--help"]));
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let names: Vec<&str> = help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|n| *n != "help")
        .collect();
    assert!(names.len() >= 9, "subcommands read from --help: {names:?}");
    for name in names {
        assert!(
            readme.contains(&format!("| `testscope {name}")),
            "README's command-line table does not list `testscope {name}`"
        );
    }
}

#[test]
fn the_platform_flag_and_variable_reword_advise_and_eval() {
    let change = "changed the job schedule in resources yaml";
    let default = stdout(&testscope(&["advise", change]));
    assert!(default.contains("databricks bundle validate"), "{default}");

    let flag = testscope(&["advise", "--platform", "generic", change]);
    let env = Command::new(env!("CARGO_BIN_EXE_testscope"))
        .args(["advise", change])
        .env_remove("TESTSCOPE_RESPONSES_DIR")
        .env("TESTSCOPE_PLATFORM", "generic")
        .output()
        .expect("binary runs");
    for (how, out) in [("--platform", flag), ("TESTSCOPE_PLATFORM", env)] {
        assert!(out.status.success(), "{how}");
        let text = stdout(&out);
        assert!(
            text.starts_with("Integration tests in test (staging)"),
            "{how}: {text}"
        );
        assert!(!text.contains("databricks"), "{how}: {text}");
        assert!(text.contains("validate or plan step"), "{how}: {text}");
    }

    // eval scores the same decisions on either platform.
    let dir = tempfile::tempdir().unwrap();
    let cases = dir.path().join("cases.jsonl");
    std::fs::write(
        &cases,
        format!(
            "{{\"text\": \"{change}\", \"primary\": \"integration\", \"stages\": [\"test\"]}}\n"
        ),
    )
    .unwrap();
    let eval = testscope(&[
        "eval",
        "--platform",
        "generic",
        "--min",
        "1",
        cases.to_str().unwrap(),
    ]);
    assert!(eval.status.success(), "{}", stdout(&eval));

    let checked = stdout(&testscope(&["check", "--platform", "generic"]));
    assert!(
        checked.contains("worded for the generic platform"),
        "{checked}"
    );
}

#[test]
fn an_unknown_platform_is_refused_naming_the_variable() {
    let out = testscope(&["advise", "--platform", "aws", "a change"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("TESTSCOPE_PLATFORM") && err.contains("`aws`"),
        "{err}"
    );
}
