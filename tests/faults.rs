//! Faults while running: the database goes away and comes back. Advice must
//! keep working (it needs no database), `/readyz` must say the database is
//! gone, and everything must recover without a restart.
//!
//! Needs PostgreSQL: set `TEST_DATABASE_URL` (CI does); skipped otherwise.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::json;
use testscope::clock::SystemClock;
use testscope::server::{Application, Settings};
use testscope::slack::api::{BotToken, RetryPolicy};
use testscope::slack::signature::{SigningSecrets, sign};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A TCP proxy in front of PostgreSQL that can cut every connection.
struct Proxy {
    port: u16,
    up: Arc<AtomicBool>,
    epoch: watch::Sender<u64>,
}

impl Proxy {
    async fn start(target: String) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let up = Arc::new(AtomicBool::new(true));
        let (epoch, _) = watch::channel(0u64);
        let (up2, epoch2) = (up.clone(), epoch.clone());
        tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                if !up2.load(Ordering::SeqCst) {
                    continue; // dropped: the connection closes at once
                }
                let target = target.clone();
                let mut cut = epoch2.subscribe();
                tokio::spawn(async move {
                    let Ok(mut server) = TcpStream::connect(&target).await else {
                        return;
                    };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
                        _ = cut.changed() => {}
                    }
                });
            }
        });
        Proxy { port, up, epoch }
    }

    fn down(&self) {
        self.up.store(false, Ordering::SeqCst);
        self.epoch.send_modify(|e| *e += 1);
    }

    fn restore(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

async fn fresh_schema(base: &str) -> String {
    let (client, conn) = tokio_postgres::connect(base, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    let name = format!("testscope_faults_{}", std::process::id());
    client
        .batch_execute(&format!(
            "DROP SCHEMA IF EXISTS {name} CASCADE; CREATE SCHEMA {name}"
        ))
        .await
        .unwrap();
    name
}

#[tokio::test]
async fn losing_the_database_fails_readiness_but_not_advice_and_recovers() {
    let Ok(base) = std::env::var("TEST_DATABASE_URL") else {
        eprintln!("skipping fault tests: TEST_DATABASE_URL is not set");
        return;
    };
    // Arrange: the service reaches PostgreSQL through the proxy.
    let schema = fresh_schema(&base).await;
    let rest = base.split_once("://").unwrap().1;
    let (userinfo, hostpath) = rest.rsplit_once('@').map_or(("", rest), |(u, h)| (u, h));
    let (hostport, db) = hostpath.split_once('/').unwrap();
    let hostport = if hostport.contains(':') {
        hostport.to_owned()
    } else {
        format!("{hostport}:5432")
    };
    let proxy = Proxy::start(hostport).await;
    let at = if userinfo.is_empty() {
        String::new()
    } else {
        format!("{userinfo}@")
    };
    let url = format!(
        "postgres://{at}127.0.0.1:{}/{}?options=-csearch_path%3D{schema}",
        proxy.port,
        db.split('?').next().unwrap()
    );
    let slack = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth.test"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"ok": true, "user_id": "UBOT", "bot_id": "BBOT"})),
        )
        .mount(&slack)
        .await;
    let mut settings = Settings::with_secrets(SigningSecrets::parse("s").unwrap());
    settings.database_url = url;
    settings.bot_token = Some(BotToken::new("xoxb-test"));
    settings.slack_api_url = slack.uri();
    let app =
        Application::build_with_retry(settings, Arc::new(SystemClock), RetryPolicy::default())
            .await
            .expect("the service starts");
    let base_url = format!("http://127.0.0.1:{}", app.port());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until_stopped(async {
        let _ = stopped.await;
    }));
    let http = reqwest::Client::new();
    let readyz = || async {
        http.get(format!("{base_url}/readyz"))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    };
    let command = || async {
        let body = "team_id=T1&channel_id=C1&user_id=U1&command=%2Ftestscope&text=bumped+the+learning+rate&response_url=https%3A%2F%2Fhooks.slack.com%2Fx";
        let ts = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        http.post(format!("{base_url}/slack/commands"))
            .header("x-slack-request-timestamp", ts.to_string())
            .header("x-slack-signature", sign("s", ts, body.as_bytes()).unwrap())
            .body(body)
            .send()
            .await
            .unwrap()
    };
    assert_eq!(readyz().await, 200, "ready with the database reachable");

    // Act: the database disappears.
    proxy.down();
    let started = Instant::now();

    // Assert: readiness fails promptly, advice still works.
    assert_eq!(readyz().await, 503, "/readyz must report the lost database");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "readiness took {:?}",
        started.elapsed()
    );
    let reply = command().await;
    assert_eq!(reply.status(), 200);
    let text = reply.text().await.unwrap();
    assert!(
        text.contains("Integration tests"),
        "advice without a database: {text}"
    );

    // And everything recovers when the database returns.
    proxy.restore();
    let deadline = Instant::now() + Duration::from_secs(10);
    while readyz().await != 200 {
        assert!(Instant::now() < deadline, "/readyz did not recover");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let _ = stop.send(());
    server.await.unwrap().unwrap();
    let (client, conn) = tokio_postgres::connect(&base, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    client
        .batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
        .await
        .unwrap();
}
