//! [`Store`] on PostgreSQL, so that several replicas can share one state.
//!
//! The semantics mirror [`super::sqlite`] statement for statement: the same
//! tables and keys, the same upserts (including the feedback vote's
//! `WHERE excluded.at >= feedback.at`), the same lease rules for quiz posts,
//! first answer wins, and list results in the same (byte-wise) order.
//!
//! # Connections
//!
//! A [`deadpool_postgres`] pool of at most [`MAX_CONNECTIONS`] connections,
//! opened on demand. A connection found closed (the server restarted, the
//! network dropped it) is discarded and replaced on the next call.
//!
//! # Timeouts
//!
//! Nothing waits on the database for long:
//! - the TCP connect gives up after [`CONNECT_TIMEOUT`] (unless the URL sets
//!   `connect_timeout`), and a whole new connection, TLS and login included,
//!   after [`CREATE_TIMEOUT`];
//! - a free pool slot is awaited for at most [`POOL_WAIT_TIMEOUT`];
//! - each session runs with `statement_timeout` = [`STATEMENT_TIMEOUT`], so a
//!   statement stuck behind another replica's row lock fails (as
//!   [`StoreError::Unavailable`], like SQLite's busy timeout) rather than
//!   queueing forever; a URL whose `options` set `statement_timeout` keeps
//!   its own value;
//! - every call as a whole gives up after [`CALL_TIMEOUT`], and
//!   [`Store::ping`] after [`PING_TIMEOUT`], even when the server is
//!   silently unreachable (no reset ever arrives);
//! - the kernel drops a connection whose sent data stays unacknowledged for
//!   [`TCP_USER_TIMEOUT`] (unless the URL sets `tcp_user_timeout`), so a
//!   connection cut by a network partition is not handed out again.
//!
//! A call that times out may still have taken effect on the server, exactly
//! as when the connection drops after the commit; callers treat any error as
//! "unknown outcome", which every operation here tolerates.
//!
//! # TLS
//!
//! Decided by the URL's `sslmode`:
//! - `sslmode=require` connects over TLS (rustls with the *ring* provider,
//!   no OpenSSL) and **verifies** the server: its certificate must chain to
//!   the Mozilla root set compiled in through `webpki-roots`, and must name
//!   the host in the URL. That is stricter than libpq's `require` (which
//!   encrypts without checking who answers) and matches libpq's
//!   `verify-full` with the public roots. A server whose certificate comes
//!   from a private CA (some managed services have their own) or is
//!   self-signed is refused: there is no `sslrootcert` support yet. Client
//!   certificates are not supported. SCRAM channel binding is not offered,
//!   so `channel_binding=require` cannot be used.
//! - `sslmode=prefer` (also what a URL without `sslmode` means) and
//!   `sslmode=disable` connect **without TLS**. There is no opportunistic
//!   unverified encryption: ask for `require` to get TLS.
//!
//! # Schema
//!
//! Tables are created in the first schema of the connection's
//! `search_path` (normally `public`); `options=-csearch_path%3Dname` in the
//! URL puts them elsewhere. Migrations run at open, each in the same
//! transaction as its `schema_migrations` row, under a transaction-scoped
//! advisory lock ([`MIGRATION_LOCK_KEY`]), so replicas starting together
//! apply each version exactly once. The lock is per database, so stores in
//! different schemas of one database migrate one at a time.
//!
//! One difference from SQLite: PostgreSQL text cannot hold the NUL character,
//! so a call whose ids or texts contain one fails with [`StoreError::Other`]
//! (Slack's ids never do).

use std::future::Future;
use std::io;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use deadpool_postgres::{
    Hook, HookError, Manager, ManagerConfig, Object, Pool, PoolError, RecyclingMethod, Runtime,
    TimeoutType,
};
use tokio_postgres::config::{Host, SslMode};
use tokio_postgres::{Config, NoTls, Row};

use super::sqlite::MISS_COLUMNS;
use super::{
    AnswerOutcome, Claim, Feedback, MissReport, PostClaim, QuizAnswer, QuizPost, ShownQuestion,
    Store, StoreError, Subscription, Verdict,
};

/// Most connections one store opens. Every call holds a connection only for
/// its own statements, so a handful serve a busy replica.
pub const MAX_CONNECTIONS: usize = 8;
/// TCP connect timeout, unless the URL sets `connect_timeout`.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// A whole new connection: TCP, TLS, login and session settings.
pub const CREATE_TIMEOUT: Duration = Duration::from_secs(3);
/// How long a call waits for a free connection when all are busy.
pub const POOL_WAIT_TIMEOUT: Duration = Duration::from_secs(5);
/// Server-side limit on one statement (the session's `statement_timeout`).
pub const STATEMENT_TIMEOUT: Duration = Duration::from_secs(5);
/// Client-side limit on one call, waiting for a connection included.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(15);
/// Client-side limit on [`Store::ping`], so `/readyz` answers promptly.
pub const PING_TIMEOUT: Duration = Duration::from_secs(2);
/// Kernel limit on unacknowledged sends (`TCP_USER_TIMEOUT`), unless the URL
/// sets `tcp_user_timeout`.
pub const TCP_USER_TIMEOUT: Duration = Duration::from_secs(10);
/// Key of the advisory lock that serialises migrations across replicas:
/// the ASCII bytes of `tscope01`. Any value works as long as it never
/// changes and nothing else in the database uses it.
pub const MIGRATION_LOCK_KEY: i64 = 0x7473_636f_7065_3031;

/// Schema changes in order: entry `i` is version `i + 1`, the same versions
/// as SQLite's list.
///
/// Append only, as there. Each entry runs inside a transaction together with
/// its bookkeeping row, so it must not contain `BEGIN`/`COMMIT` or anything
/// PostgreSQL refuses inside a transaction (`CREATE INDEX CONCURRENTLY`).
///
/// Text columns use the "C" collation so that `ORDER BY` sorts by bytes, as
/// SQLite does, whatever the database's default collation.
static MIGRATIONS: &[&str] = &[
    // 1: event de-duplication and feedback votes.
    r#"CREATE TABLE seen_events (
        event_id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
        seen_at  BIGINT NOT NULL
    );
    CREATE INDEX seen_events_seen_at ON seen_events (seen_at);
    CREATE TABLE feedback (
        advice_id     TEXT COLLATE "C" NOT NULL,
        user_id       TEXT COLLATE "C" NOT NULL,
        team_id       TEXT COLLATE "C" NOT NULL,
        channel_id    TEXT COLLATE "C" NOT NULL,
        verdict       TEXT COLLATE "C" NOT NULL CHECK (verdict IN ('helpful', 'not_quite')),
        primary_scope TEXT COLLATE "C",
        rules_json    TEXT COLLATE "C" NOT NULL,
        at            BIGINT NOT NULL,
        PRIMARY KEY (advice_id, user_id)
    );"#,
    // 2: the daily quiz.
    r#"CREATE TABLE quiz_subscriptions (
        channel_id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
        team_id    TEXT COLLATE "C" NOT NULL,
        schedule   TEXT COLLATE "C" NOT NULL,
        source     TEXT COLLATE "C" NOT NULL,
        created_by TEXT COLLATE "C",
        created_at BIGINT NOT NULL
    );
    CREATE TABLE quiz_posts (
        channel_id  TEXT COLLATE "C" NOT NULL,
        post_id     TEXT COLLATE "C" NOT NULL,
        local_date  TEXT COLLATE "C" NOT NULL,
        question_id TEXT COLLATE "C" NOT NULL,
        message_ts  TEXT COLLATE "C",
        posted_at   BIGINT,
        lease_until BIGINT NOT NULL,
        PRIMARY KEY (channel_id, post_id)
    );
    CREATE TABLE quiz_answers (
        channel_id  TEXT COLLATE "C" NOT NULL,
        post_id     TEXT COLLATE "C" NOT NULL,
        question_id TEXT COLLATE "C" NOT NULL,
        user_id     TEXT COLLATE "C" NOT NULL,
        option      BIGINT NOT NULL CHECK (option BETWEEN 0 AND 4294967295),
        correct     BOOLEAN NOT NULL,
        answered_at BIGINT NOT NULL,
        PRIMARY KEY (channel_id, post_id, user_id)
    );"#,
    // 3: quiz posts close; as SQLite's version 3.
    r#"ALTER TABLE quiz_posts ADD COLUMN closes_at BIGINT, ADD COLUMN closed_at BIGINT;
    UPDATE quiz_posts SET closes_at = posted_at + 86400 WHERE posted_at IS NOT NULL;
    UPDATE quiz_posts SET closed_at = closes_at
        WHERE posted_at IS NOT NULL AND EXISTS (
            SELECT 1 FROM quiz_posts AS later
            WHERE later.channel_id = quiz_posts.channel_id
              AND later.post_id > quiz_posts.post_id
              AND later.posted_at IS NOT NULL);"#,
    // 4: one row that readiness rewrites, proving the database takes writes.
    r#"CREATE TABLE heartbeat (
        id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
        at BIGINT NOT NULL
    );"#,
    // 5: subscriptions paused because Slack refuses the post for good.
    r#"CREATE TABLE quiz_paused (
        channel_id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
        reason     TEXT COLLATE "C" NOT NULL,
        paused_at  BIGINT NOT NULL
    );"#,
    // 6: advice as it was shown, so its buttons act on what was seen.
    r#"CREATE TABLE advice_shown (
        id            TEXT COLLATE "C" NOT NULL PRIMARY KEY,
        question      TEXT NOT NULL,
        primary_scope TEXT,
        stages_json   TEXT NOT NULL,
        rules_json    TEXT NOT NULL,
        message_json  TEXT NOT NULL,
        details_json  TEXT NOT NULL,
        shown_at      BIGINT NOT NULL
    );
    CREATE INDEX advice_shown_shown_at ON advice_shown (shown_at);"#,
    // 7: what people said an answer should have been.
    r#"CREATE TABLE feedback_misses (
        advice_id      TEXT COLLATE "C" NOT NULL,
        user_id        TEXT COLLATE "C" NOT NULL,
        team_id        TEXT NOT NULL,
        channel_id     TEXT NOT NULL,
        question       TEXT NOT NULL,
        given_scope    TEXT,
        given_stages   TEXT NOT NULL,
        given_rules    TEXT NOT NULL,
        expected_scope TEXT,
        expected_stage TEXT,
        comment        TEXT,
        at             BIGINT NOT NULL,
        PRIMARY KEY (advice_id, user_id)
    );
    CREATE INDEX feedback_misses_at ON feedback_misses (at);"#,
    // 8: what was asked, not the rendered advice: a click advises again and
    // checks the id still matches, so a row is a few hundred bytes.
    r#"DROP TABLE advice_shown;
    CREATE TABLE shown_questions (
        id       TEXT COLLATE "C" NOT NULL PRIMARY KEY,
        question TEXT NOT NULL,
        shown_in TEXT NOT NULL,
        shown_at BIGINT NOT NULL
    );
    CREATE INDEX shown_questions_shown_at ON shown_questions (shown_at);"#,
    // 9: what every quiz tick looks for, without reading every post ever
    // made: open posts by when they close, and unposted claims by day.
    r#"CREATE INDEX quiz_posts_open ON quiz_posts (closes_at)
        WHERE message_ts IS NOT NULL AND closed_at IS NULL;
    CREATE INDEX quiz_posts_unposted ON quiz_posts (local_date)
        WHERE message_ts IS NULL;"#,
];

/// The PostgreSQL backend. Usually obtained through [`super::open`].
pub struct PostgresStore {
    pool: Pool,
    /// `host:port/dbname`, for error messages and log lines. Never holds the
    /// user's password or the URL's options.
    location: Arc<str>,
}

impl PostgresStore {
    /// Connects to the database named by a `postgres://` / `postgresql://`
    /// URL (or a libpq `key=value` string) and applies pending migrations.
    ///
    /// Fails with [`StoreError::Unavailable`] when the server cannot be
    /// reached or refuses the login, [`StoreError::Migration`] when a schema
    /// change fails, and [`StoreError::Other`] for a URL that cannot be used.
    /// No error message contains the URL or its password.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let store = Self::connect_without_migrating(url)?;
        store.migrate(MIGRATIONS).await?;
        // A database that can be read but not written (a standby, a read-only
        // default) is refused now rather than failing every write later.
        store.ping().await.map_err(|e| {
            StoreError::Unavailable(format!(
                "the database at {} does not take writes: {e}",
                store.location
            ))
        })?;
        tracing::debug!(location = %store.location, "opened PostgreSQL store");
        Ok(store)
    }

    /// Builds the pool; no connection is made until the first call.
    fn connect_without_migrating(url: &str) -> Result<Self, StoreError> {
        Self::build(url, None)
    }

    /// As [`Self::connect_without_migrating`], trusting `roots` instead of
    /// the webpki roots when TLS is required.
    fn build(url: &str, roots: Option<rustls::RootCertStore>) -> Result<Self, StoreError> {
        let mut config = parse_config(url)?;
        let location: Arc<str> = describe(&config).into();
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        if config.get_tcp_user_timeout().is_none() {
            config.tcp_user_timeout(TCP_USER_TIMEOUT);
        }
        if config.get_application_name().is_none() {
            config.application_name("testscope");
        }
        let keep_statement_timeout = config
            .get_options()
            .is_some_and(|o| o.contains("statement_timeout"));
        let manager_config = ManagerConfig {
            // Checks only that the connection is still open: no extra round
            // trip per call. A dead connection then fails one call at most.
            recycling_method: RecyclingMethod::Fast,
        };
        let manager = match config.get_ssl_mode() {
            SslMode::Disable | SslMode::Prefer => {
                // Plain text either way; record it so the config says so.
                config.ssl_mode(SslMode::Disable);
                Manager::from_config(config, NoTls, manager_config)
            }
            // `require`, and anything stricter a later tokio-postgres adds:
            // never fall back to plain text.
            _ => {
                let tls = tls::MakeRustlsConnect::new(roots).map_err(|e| {
                    StoreError::Other(format!("cannot set up TLS for {location}: {e}"))
                })?;
                Manager::from_config(config, tls, manager_config)
            }
        };
        let mut builder = Pool::builder(manager)
            .max_size(MAX_CONNECTIONS)
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(POOL_WAIT_TIMEOUT))
            .create_timeout(Some(CREATE_TIMEOUT))
            .recycle_timeout(Some(CONNECT_TIMEOUT));
        if !keep_statement_timeout {
            builder = builder.post_create(Hook::async_fn(|client, _| {
                Box::pin(async move {
                    let sql = format!("SET statement_timeout = {}", STATEMENT_TIMEOUT.as_millis());
                    client.batch_execute(&sql).await.map_err(HookError::Backend)
                })
            }));
        }
        let pool = builder.build().map_err(|e| {
            StoreError::Other(format!(
                "cannot build the connection pool for {location}: {e}"
            ))
        })?;
        Ok(Self { pool, location })
    }

    /// Takes a connection from the pool.
    async fn client(&self, what: &str) -> Result<Object, StoreError> {
        self.pool
            .get()
            .await
            .map_err(|e| pool_error(&self.location, what, &e))
    }

    /// Runs `op` on a pooled connection, giving up after `limit`.
    async fn run_within<T, F, Fut>(
        &self,
        what: &'static str,
        limit: Duration,
        op: F,
    ) -> Result<T, StoreError>
    where
        F: FnOnce(Object) -> Fut,
        Fut: Future<Output = Result<T, OpError>>,
    {
        let work = async {
            let client = self.client(what).await?;
            op(client).await.map_err(|e| match e {
                OpError::Pg(e) => classify(&self.location, what, &e),
                OpError::Decode(msg) => {
                    StoreError::Other(format!("{what} on {}: {msg}", self.location))
                }
            })
        };
        let Ok(result) = tokio::time::timeout(limit, work).await else {
            // The abandoned connection went back to the pool with a request
            // still in flight, and the server is not answering: drop every
            // idle connection so that the next call starts afresh instead of
            // queueing behind it. Connections other calls hold are kept.
            self.pool.retain(|_, _| false);
            return Err(StoreError::Unavailable(format!(
                "{what} on {}: no answer within {} ms",
                self.location,
                limit.as_millis()
            )));
        };
        result
    }

    /// Runs `op` with the usual per-call limit.
    async fn run<T, F, Fut>(&self, what: &'static str, op: F) -> Result<T, StoreError>
    where
        F: FnOnce(Object) -> Fut,
        Fut: Future<Output = Result<T, OpError>>,
    {
        self.run_within(what, CALL_TIMEOUT, op).await
    }

    /// Applies every migration in `migrations` not yet recorded in
    /// `schema_migrations`. Running it again is a no-op.
    ///
    /// Everything happens in one transaction holding the advisory lock, so a
    /// second replica waits here and then finds the versions applied. A
    /// failing version is rolled back to its savepoint; the versions before it
    /// are committed, as with SQLite, and the error names the failing one.
    async fn migrate(&self, migrations: &[&str]) -> Result<(), StoreError> {
        let location = &self.location;
        let mut client = self.client("migrate").await?;
        let fail = |e: &tokio_postgres::Error| classify(location, "migrate", e);
        let mut tx = client.transaction().await.map_err(|e| fail(&e))?;
        // Waiting for another replica's migration is expected, and a large
        // migration may take a while: lift the session's statement limit for
        // this transaction only.
        tx.batch_execute("SET LOCAL statement_timeout = 0")
            .await
            .map_err(|e| fail(&e))?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK_KEY])
            .await
            .map_err(|e| fail(&e))?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                 version    INTEGER PRIMARY KEY,
                 applied_at BIGINT NOT NULL
             )",
        )
        .await
        .map_err(|e| fail(&e))?;
        let applied: Vec<i32> = tx
            .query("SELECT version FROM schema_migrations", &[])
            .await
            .map_err(|e| fail(&e))?
            .iter()
            .map(|row| row.try_get(0))
            .collect::<Result<_, _>>()
            .map_err(|e| fail(&e))?;
        let mut failure = None;
        for (version, sql) in (1u32..).zip(migrations) {
            let Ok(number) = i32::try_from(version) else {
                break;
            };
            if applied.contains(&number) {
                continue;
            }
            let savepoint = tx.savepoint("migration").await.map_err(|e| fail(&e))?;
            let applied_now = async {
                savepoint.batch_execute(sql).await?;
                savepoint
                    .execute(
                        "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)",
                        &[&number, &unix_now()],
                    )
                    .await
            }
            .await;
            match applied_now {
                Ok(_) => {
                    savepoint.commit().await.map_err(|e| fail(&e))?;
                    tracing::debug!(%location, version, "applied migration");
                }
                Err(e) => {
                    savepoint.rollback().await.map_err(|e| fail(&e))?;
                    failure = Some(StoreError::Migration {
                        version,
                        detail: format!("{location}: {}", error_text(&e)),
                    });
                    break;
                }
            }
        }
        tx.commit().await.map_err(|e| fail(&e))?;
        failure.map_or(Ok(()), Err)
    }
}

#[async_trait]
impl Store for PostgresStore {
    async fn claim_event(&self, event_id: &str, now: i64) -> Result<bool, StoreError> {
        self.run("claim_event", |client| async move {
            // The primary key makes this check-and-insert atomic: of any
            // number of racing claims, from any replica, exactly one inserts.
            let stmt = client
                .prepare_cached(
                    "INSERT INTO seen_events (event_id, seen_at) VALUES ($1, $2)
                     ON CONFLICT (event_id) DO NOTHING",
                )
                .await?;
            Ok(client.execute(&stmt, &[&event_id, &now]).await? == 1)
        })
        .await
    }

    async fn prune_events(&self, before: i64) -> Result<u64, StoreError> {
        let deleted = self
            .run("prune_events", |client| async move {
                let stmt = client
                    .prepare_cached("DELETE FROM seen_events WHERE seen_at < $1")
                    .await?;
                Ok(client.execute(&stmt, &[&before]).await?)
            })
            .await?;
        tracing::debug!(deleted, before, "pruned seen events");
        Ok(deleted)
    }

    async fn save_shown(&self, rows: &[ShownQuestion]) -> Result<(), StoreError> {
        self.run("save_shown", |mut client| async move {
            let tx = client.transaction().await?;
            let insert = tx
                .prepare_cached(
                    "INSERT INTO shown_questions (id, question, shown_in, shown_at)
                     VALUES ($1, $2, $3, $4)
                     ON CONFLICT (id) DO UPDATE SET
                         shown_at = GREATEST(shown_questions.shown_at, excluded.shown_at)",
                )
                .await?;
            for q in rows {
                tx.execute(&insert, &[&q.id, &q.question, &q.shown_in, &q.shown_at])
                    .await?;
            }
            tx.commit().await?;
            Ok(())
        })
        .await
    }

    async fn shown_question(&self, id: &str) -> Result<Option<ShownQuestion>, StoreError> {
        self.run("shown_question", |client| async move {
            let stmt = client
                .prepare_cached(
                    "SELECT id, question, shown_in, shown_at FROM shown_questions WHERE id = $1",
                )
                .await?;
            let row = client.query_opt(&stmt, &[&id]).await?;
            Ok(row.map(|r| ShownQuestion {
                id: r.get(0),
                question: r.get(1),
                shown_in: r.get(2),
                shown_at: r.get(3),
            }))
        })
        .await
    }

    async fn purge_shown(&self, before: i64) -> Result<u64, StoreError> {
        self.run("purge_shown", |client| async move {
            let stmt = client
                .prepare_cached("DELETE FROM shown_questions WHERE shown_at < $1")
                .await?;
            Ok(client.execute(&stmt, &[&before]).await?)
        })
        .await
    }

    async fn record_miss(&self, miss: &MissReport) -> Result<(), StoreError> {
        let encode = |list: &[String]| {
            serde_json::to_string(list)
                .map_err(|e| StoreError::Other(format!("cannot encode a list: {e}")))
        };
        let (stages, rules) = (encode(&miss.given_stages)?, encode(&miss.given_rules)?);
        let m = miss;
        self.run("record_miss", |client| async move {
            let stmt = client
                .prepare_cached(&format!(
                    "INSERT INTO feedback_misses ({MISS_COLUMNS})
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                     ON CONFLICT (advice_id, user_id) DO UPDATE SET
                         team_id = excluded.team_id, channel_id = excluded.channel_id,
                         question = excluded.question, given_scope = excluded.given_scope,
                         given_stages = excluded.given_stages,
                         given_rules = excluded.given_rules,
                         expected_scope = excluded.expected_scope,
                         expected_stage = excluded.expected_stage,
                         comment = excluded.comment, at = excluded.at"
                ))
                .await?;
            client
                .execute(
                    &stmt,
                    &[
                        &m.advice_id,
                        &m.user_id,
                        &m.team_id,
                        &m.channel_id,
                        &m.question,
                        &m.given_scope,
                        &stages,
                        &rules,
                        &m.expected_scope,
                        &m.expected_stage,
                        &m.comment,
                        &m.at,
                    ],
                )
                .await?;
            Ok(())
        })
        .await
    }

    async fn misses(&self, since: i64) -> Result<Vec<MissReport>, StoreError> {
        let rows = self
            .run("misses", |client| async move {
                let stmt = client
                    .prepare_cached(&format!(
                        "SELECT {MISS_COLUMNS} FROM feedback_misses WHERE at >= $1
                         ORDER BY at DESC, advice_id, user_id"
                    ))
                    .await?;
                Ok(client.query(&stmt, &[&since]).await?)
            })
            .await?;
        let decode = |text: &str| {
            serde_json::from_str::<Vec<String>>(text)
                .map_err(|e| StoreError::Other(format!("a stored list is not JSON: {e}")))
        };
        rows.iter()
            .map(|r| {
                Ok(MissReport {
                    advice_id: r.get(0),
                    user_id: r.get(1),
                    team_id: r.get(2),
                    channel_id: r.get(3),
                    question: r.get(4),
                    given_scope: r.get(5),
                    given_stages: decode(r.get(6))?,
                    given_rules: decode(r.get(7))?,
                    expected_scope: r.get(8),
                    expected_stage: r.get(9),
                    comment: r.get(10),
                    at: r.get(11),
                })
            })
            .collect()
    }

    async fn purge_misses(&self, before: i64) -> Result<u64, StoreError> {
        self.run("purge_misses", |client| async move {
            let stmt = client
                .prepare_cached("DELETE FROM feedback_misses WHERE at < $1")
                .await?;
            Ok(client.execute(&stmt, &[&before]).await?)
        })
        .await
    }

    async fn feedback_votes(&self) -> Result<Vec<Feedback>, StoreError> {
        let rows = self
            .run("feedback_votes", |client| async move {
                let stmt = client
                    .prepare_cached(
                        "SELECT advice_id, user_id, team_id, channel_id, verdict, primary_scope,
                                rules_json, at
                         FROM feedback ORDER BY at DESC",
                    )
                    .await?;
                Ok(client.query(&stmt, &[]).await?)
            })
            .await?;
        rows.iter()
            .map(|r| {
                let rules: String = r.get(6);
                Ok(Feedback {
                    advice_id: r.get(0),
                    user_id: r.get(1),
                    team_id: r.get(2),
                    channel_id: r.get(3),
                    verdict: r.get::<_, String>(4).parse()?,
                    primary_scope: r.get(5),
                    rules: serde_json::from_str(&rules).map_err(|e| {
                        StoreError::Other(format!("a stored list is not JSON: {e}"))
                    })?,
                    at: r.get(7),
                })
            })
            .collect()
    }

    async fn record_feedback(&self, feedback: &Feedback) -> Result<(), StoreError> {
        let rules_json = serde_json::to_string(&feedback.rules)
            .map_err(|e| StoreError::Other(format!("cannot encode feedback rules: {e}")))?;
        let fb = feedback;
        self.run("record_feedback", |client| async move {
            // The WHERE on the update keeps the newest click when deliveries
            // arrive out of order; `>=` lets a same-second re-click win.
            let stmt = client
                .prepare_cached(
                    "INSERT INTO feedback
                         (advice_id, user_id, team_id, channel_id, verdict, primary_scope,
                          rules_json, at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                     ON CONFLICT (advice_id, user_id) DO UPDATE SET
                         team_id = excluded.team_id,
                         channel_id = excluded.channel_id,
                         verdict = excluded.verdict,
                         primary_scope = excluded.primary_scope,
                         rules_json = excluded.rules_json,
                         at = excluded.at
                     WHERE excluded.at >= feedback.at",
                )
                .await?;
            client
                .execute(
                    &stmt,
                    &[
                        &fb.advice_id,
                        &fb.user_id,
                        &fb.team_id,
                        &fb.channel_id,
                        &fb.verdict.as_str(),
                        &fb.primary_scope,
                        &rules_json,
                        &fb.at,
                    ],
                )
                .await?;
            Ok(())
        })
        .await
    }

    async fn feedback_counts(&self) -> Result<(u64, u64), StoreError> {
        let (helpful, not_quite) = self
            .run("feedback_counts", |client| async move {
                let stmt = client
                    .prepare_cached(
                        "SELECT COUNT(*) FILTER (WHERE verdict = $1),
                                COUNT(*) FILTER (WHERE verdict = $2)
                         FROM feedback",
                    )
                    .await?;
                let row = client
                    .query_one(
                        &stmt,
                        &[&Verdict::Helpful.as_str(), &Verdict::NotQuite.as_str()],
                    )
                    .await?;
                Ok((row.try_get::<_, i64>(0)?, row.try_get::<_, i64>(1)?))
            })
            .await?;
        // Counts cannot be negative.
        Ok((helpful.max(0) as u64, not_quite.max(0) as u64))
    }

    async fn ping(&self) -> Result<(), StoreError> {
        // A write, not a read: a standby, a read-only transaction default or
        // a full disk still answer reads while every write fails.
        let now = unix_now();
        self.run_within("ping", PING_TIMEOUT, |client| async move {
            let stmt = client
                .prepare_cached(
                    "INSERT INTO heartbeat (id, at) VALUES (1, $1)
                     ON CONFLICT (id) DO UPDATE SET at = excluded.at",
                )
                .await?;
            client.execute(&stmt, &[&now]).await?;
            Ok(())
        })
        .await
    }

    async fn upsert_subscription(&self, sub: &Subscription) -> Result<(), StoreError> {
        self.run("upsert_subscription", |client| async move {
            let stmt = client
                .prepare_cached(
                    "WITH resumed AS (DELETE FROM quiz_paused WHERE channel_id = $1)
                     INSERT INTO quiz_subscriptions
                         (channel_id, team_id, schedule, source, created_by, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6)
                     ON CONFLICT (channel_id) DO UPDATE SET
                         team_id = excluded.team_id, schedule = excluded.schedule,
                         source = excluded.source, created_by = excluded.created_by,
                         created_at = excluded.created_at",
                )
                .await?;
            client
                .execute(
                    &stmt,
                    &[
                        &sub.channel_id,
                        &sub.team_id,
                        &sub.schedule,
                        &sub.source,
                        &sub.created_by,
                        &sub.created_at,
                    ],
                )
                .await?;
            Ok(())
        })
        .await
    }

    async fn remove_subscription(&self, channel_id: &str) -> Result<bool, StoreError> {
        self.run("remove_subscription", |client| async move {
            let stmt = client
                .prepare_cached(
                    "WITH resumed AS (DELETE FROM quiz_paused WHERE channel_id = $1)
                     DELETE FROM quiz_subscriptions WHERE channel_id = $1",
                )
                .await?;
            Ok(client.execute(&stmt, &[&channel_id]).await? > 0)
        })
        .await
    }

    async fn pause_subscription(
        &self,
        channel_id: &str,
        reason: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        self.run("pause_subscription", |client| async move {
            let stmt = client
                .prepare_cached(
                    "INSERT INTO quiz_paused (channel_id, reason, paused_at)
                     SELECT channel_id, $2, $3 FROM quiz_subscriptions WHERE channel_id = $1
                     ON CONFLICT (channel_id) DO NOTHING",
                )
                .await?;
            Ok(client.execute(&stmt, &[&channel_id, &reason, &now]).await? == 1)
        })
        .await
    }

    async fn pause_team(&self, team_id: &str, reason: &str, now: i64) -> Result<u64, StoreError> {
        self.run("pause_team", |client| async move {
            let stmt = client
                .prepare_cached(
                    "INSERT INTO quiz_paused (channel_id, reason, paused_at)
                     SELECT channel_id, $2, $3 FROM quiz_subscriptions
                     WHERE team_id = $1 OR team_id = ''
                     ON CONFLICT (channel_id) DO NOTHING",
                )
                .await?;
            Ok(client.execute(&stmt, &[&team_id, &reason, &now]).await?)
        })
        .await
    }

    async fn paused_subscriptions(&self) -> Result<Vec<(String, String)>, StoreError> {
        self.run("paused_subscriptions", |client| async move {
            let stmt = client
                .prepare_cached("SELECT channel_id, reason FROM quiz_paused ORDER BY channel_id")
                .await?;
            let rows = client.query(&stmt, &[]).await?;
            rows.iter()
                .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
                .collect()
        })
        .await
    }

    async fn subscriptions(&self) -> Result<Vec<Subscription>, StoreError> {
        self.run("subscriptions", |client| async move {
            let stmt = client
                .prepare_cached(
                    "SELECT channel_id, team_id, schedule, source, created_by, created_at
                     FROM quiz_subscriptions ORDER BY channel_id",
                )
                .await?;
            let rows = client.query(&stmt, &[]).await?;
            rows.iter()
                .map(|r| {
                    Ok(Subscription {
                        channel_id: r.try_get(0)?,
                        team_id: r.try_get(1)?,
                        schedule: r.try_get(2)?,
                        source: r.try_get(3)?,
                        created_by: r.try_get(4)?,
                        created_at: r.try_get(5)?,
                    })
                })
                .collect()
        })
        .await
    }

    async fn claim_quiz_post(&self, claim: &PostClaim, now: i64) -> Result<Claim, StoreError> {
        let lease_until = now.saturating_add(claim.lease_secs);
        self.run("claim_quiz_post", |client| async move {
            // One atomic statement decides the claim: a fresh row is inserted
            // with our question, or an unposted row whose lease ran out
            // (`lease_until <= now`) gets a new lease and keeps its question.
            // Concurrent claimers serialise on the row, so exactly one wins.
            let claim_stmt = client
                .prepare_cached(
                    "INSERT INTO quiz_posts
                         (channel_id, post_id, local_date, question_id, lease_until)
                     VALUES ($1, $2, $3, $4, $5)
                     ON CONFLICT (channel_id, post_id) DO UPDATE SET
                         lease_until = excluded.lease_until
                     WHERE quiz_posts.message_ts IS NULL AND quiz_posts.lease_until <= $6
                     RETURNING question_id",
                )
                .await?;
            let won = client
                .query_opt(
                    &claim_stmt,
                    &[
                        &claim.channel_id,
                        &claim.post_id,
                        &claim.local_date,
                        &claim.question_id,
                        &lease_until,
                        &now,
                    ],
                )
                .await?;
            if let Some(row) = won {
                return Ok(Claim::Claimed {
                    question_id: row.try_get(0)?,
                });
            }
            // Not ours: the row exists and is posted or under a live lease.
            // This read only labels the refusal; it changes nothing.
            let state_stmt = client
                .prepare_cached(
                    "SELECT message_ts IS NOT NULL FROM quiz_posts
                     WHERE channel_id = $1 AND post_id = $2",
                )
                .await?;
            let posted = client
                .query_opt(&state_stmt, &[&claim.channel_id, &claim.post_id])
                .await?
                .map(|row| row.try_get::<_, bool>(0))
                .transpose()?
                .unwrap_or(false);
            Ok(if posted {
                Claim::AlreadyPosted
            } else {
                Claim::Busy
            })
        })
        .await
    }

    async fn mark_quiz_posted(
        &self,
        channel_id: &str,
        post_id: &str,
        ts: &str,
        now: i64,
        closes_at: i64,
    ) -> Result<(), StoreError> {
        self.run("mark_quiz_posted", |client| async move {
            let stmt = client
                .prepare_cached(
                    "UPDATE quiz_posts SET message_ts = $3, posted_at = $4, closes_at = $5
                     WHERE channel_id = $1 AND post_id = $2",
                )
                .await?;
            client
                .execute(&stmt, &[&channel_id, &post_id, &ts, &now, &closes_at])
                .await?;
            Ok(())
        })
        .await
    }

    async fn close_quiz_post(
        &self,
        channel_id: &str,
        post_id: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        self.run("close_quiz_post", |client| async move {
            // The row lock serialises racing replicas; the loser's WHERE no
            // longer matches once the winner committed.
            let stmt = client
                .prepare_cached(
                    "UPDATE quiz_posts SET closed_at = $3
                     WHERE channel_id = $1 AND post_id = $2
                       AND message_ts IS NOT NULL AND closed_at IS NULL",
                )
                .await?;
            let n = client
                .execute(&stmt, &[&channel_id, &post_id, &now])
                .await?;
            Ok(n == 1)
        })
        .await
    }

    async fn quiz_posts_to_close(&self, now: i64) -> Result<Vec<QuizPost>, StoreError> {
        self.run("quiz_posts_to_close", |client| async move {
            let stmt = client
                .prepare_cached(&format!(
                    "SELECT {POST_COLUMNS} FROM quiz_posts
                     WHERE message_ts IS NOT NULL AND closed_at IS NULL AND closes_at <= $1
                     ORDER BY channel_id, local_date, post_id"
                ))
                .await?;
            let rows = client.query(&stmt, &[&now]).await?;
            rows.iter().map(post_row).collect()
        })
        .await
    }

    async fn release_quiz_claim(
        &self,
        channel_id: &str,
        post_id: &str,
        retry_at: i64,
    ) -> Result<(), StoreError> {
        self.run("release_quiz_claim", |client| async move {
            let stmt = client
                .prepare_cached(
                    "UPDATE quiz_posts SET lease_until = $3
                     WHERE channel_id = $1 AND post_id = $2 AND message_ts IS NULL",
                )
                .await?;
            client
                .execute(&stmt, &[&channel_id, &post_id, &retry_at])
                .await?;
            Ok(())
        })
        .await
    }

    async fn quiz_posts(&self, channel_id: &str) -> Result<Vec<QuizPost>, StoreError> {
        self.run("quiz_posts", |client| async move {
            let stmt = client
                .prepare_cached(&format!(
                    "SELECT {POST_COLUMNS} FROM quiz_posts
                     WHERE channel_id = $1 ORDER BY local_date, post_id"
                ))
                .await?;
            let rows = client.query(&stmt, &[&channel_id]).await?;
            rows.iter().map(post_row).collect()
        })
        .await
    }

    async fn unposted_quiz_posts(&self, since: &str) -> Result<Vec<QuizPost>, StoreError> {
        self.run("unposted_quiz_posts", |client| async move {
            let stmt = client
                .prepare_cached(&format!(
                    "SELECT {POST_COLUMNS} FROM quiz_posts
                     WHERE message_ts IS NULL AND local_date >= $1
                     ORDER BY channel_id, local_date, post_id"
                ))
                .await?;
            let rows = client.query(&stmt, &[&since]).await?;
            rows.iter().map(post_row).collect()
        })
        .await
    }

    async fn record_quiz_answer(&self, answer: &QuizAnswer) -> Result<AnswerOutcome, StoreError> {
        let a = answer;
        self.run("record_quiz_answer", |client| async move {
            // Only onto an open post of that question, checked in the same
            // statement as the insert.
            let insert = client
                .prepare_cached(
                    "INSERT INTO quiz_answers
                         (channel_id, post_id, question_id, user_id, option, correct, answered_at)
                     SELECT $1::text, $2::text, $3::text, $4::text, $5::bigint, $6::boolean, $7::bigint
                     WHERE EXISTS (
                         SELECT 1 FROM quiz_posts
                         WHERE channel_id = $1 AND post_id = $2 AND question_id = $3
                           AND message_ts IS NOT NULL AND closed_at IS NULL
                           AND (closes_at IS NULL OR closes_at > $7))
                     ON CONFLICT (channel_id, post_id, user_id) DO NOTHING",
                )
                .await?;
            let inserted = client
                .execute(
                    &insert,
                    &[
                        &a.channel_id,
                        &a.post_id,
                        &a.question_id,
                        &a.user_id,
                        &i64::from(a.option),
                        &a.correct,
                        &a.answered_at,
                    ],
                )
                .await?;
            if inserted == 1 {
                return Ok(AnswerOutcome::Recorded);
            }
            // The conflicting row is committed (an INSERT that meets an
            // uncommitted one waits for it), and answers never change.
            let select = client
                .prepare_cached(
                    "SELECT question_id, option, correct, answered_at FROM quiz_answers
                     WHERE channel_id = $1 AND post_id = $2 AND user_id = $3",
                )
                .await?;
            let Some(row) = client
                .query_opt(&select, &[&a.channel_id, &a.post_id, &a.user_id])
                .await?
            else {
                return Ok(AnswerOutcome::NotOpen);
            };
            Ok(AnswerOutcome::AlreadyAnswered(QuizAnswer {
                channel_id: a.channel_id.clone(),
                post_id: a.post_id.clone(),
                question_id: row.try_get(0)?,
                user_id: a.user_id.clone(),
                option: option_from(&row, 1)?,
                correct: row.try_get(2)?,
                answered_at: row.try_get(3)?,
            }))
        })
        .await
    }

    async fn quiz_answers(&self, channel_id: &str) -> Result<Vec<QuizAnswer>, StoreError> {
        self.run("quiz_answers", |client| async move {
            let stmt = client
                .prepare_cached(
                    "SELECT channel_id, post_id, question_id, user_id, option, correct, answered_at
                     FROM quiz_answers WHERE channel_id = $1 ORDER BY answered_at, user_id",
                )
                .await?;
            let rows = client.query(&stmt, &[&channel_id]).await?;
            rows.iter()
                .map(|r| {
                    Ok(QuizAnswer {
                        channel_id: r.try_get(0)?,
                        post_id: r.try_get(1)?,
                        question_id: r.try_get(2)?,
                        user_id: r.try_get(3)?,
                        option: option_from(r, 4)?,
                        correct: r.try_get(5)?,
                        answered_at: r.try_get(6)?,
                    })
                })
                .collect()
        })
        .await
    }
}

/// Why one call's statements failed, before it is sorted into a
/// [`StoreError`].
enum OpError {
    Pg(tokio_postgres::Error),
    /// A stored value that does not fit its Rust type.
    Decode(String),
}

impl From<tokio_postgres::Error> for OpError {
    fn from(e: tokio_postgres::Error) -> Self {
        OpError::Pg(e)
    }
}

/// The columns [`post_row`] reads, in its order.
const POST_COLUMNS: &str =
    "channel_id, post_id, local_date, question_id, message_ts, posted_at, closes_at, closed_at";

fn post_row(r: &Row) -> Result<QuizPost, OpError> {
    Ok(QuizPost {
        channel_id: r.try_get(0)?,
        post_id: r.try_get(1)?,
        local_date: r.try_get(2)?,
        question_id: r.try_get(3)?,
        message_ts: r.try_get(4)?,
        posted_at: r.try_get(5)?,
        closes_at: r.try_get(6)?,
        closed_at: r.try_get(7)?,
    })
}

/// Reads a quiz option, stored as `BIGINT` since PostgreSQL has no unsigned
/// 32-bit integer.
fn option_from(row: &Row, idx: usize) -> Result<u32, OpError> {
    let raw: i64 = row.try_get(idx)?;
    u32::try_from(raw).map_err(|_| OpError::Decode(format!("quiz option {raw} is out of range")))
}

/// Parses the URL, reporting problems without quoting it.
fn parse_config(url: &str) -> Result<Config, StoreError> {
    url.trim()
        .parse::<Config>()
        .map_err(|e| StoreError::Other(format!("invalid PostgreSQL store URL: {}", error_text(&e))))
}

/// `host:port/dbname` for messages: enough to tell databases apart, nothing
/// secret.
fn describe(config: &Config) -> String {
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(name)) => name.clone(),
        Some(Host::Unix(path)) => path.display().to_string(),
        None => config
            .get_hostaddrs()
            .first()
            .map_or_else(|| "localhost".to_owned(), ToString::to_string),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let db = config
        .get_dbname()
        .or_else(|| config.get_user())
        .unwrap_or("postgres");
    format!("postgres {host}:{port}/{db}")
}

/// An error and its causes, one after another: tokio-postgres puts the
/// useful part (the server's message, the I/O error) in the source.
fn error_text(err: &(dyn std::error::Error + 'static)) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let more = cause.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = cause.source();
    }
    text
}

/// A failure to get a connection: the database cannot be used right now.
fn pool_error(location: &str, what: &str, err: &PoolError) -> StoreError {
    let detail = match err {
        PoolError::Timeout(TimeoutType::Wait) => format!(
            "all {MAX_CONNECTIONS} connections stayed busy for {} ms",
            POOL_WAIT_TIMEOUT.as_millis()
        ),
        PoolError::Timeout(TimeoutType::Create) => format!(
            "cannot connect: no answer within {} ms",
            CREATE_TIMEOUT.as_millis()
        ),
        PoolError::Timeout(TimeoutType::Recycle) => "connection check timed out".to_owned(),
        PoolError::Backend(e) => format!("cannot connect: {}", error_text(e)),
        PoolError::PostCreateHook(e) => {
            format!("cannot configure the new connection: {}", error_text(e))
        }
        PoolError::Closed => "connection pool is closed".to_owned(),
        PoolError::NoRuntimeSpecified => {
            return StoreError::Other(format!("{what} on {location}: {err}"));
        }
    };
    StoreError::Unavailable(format!("{what} on {location}: {detail}"))
}

/// Sorts an error from a running connection into "the database cannot be
/// used right now" (connection lost, server shutting down, out of
/// resources, lock or statement timeout, read-only standby, no permission)
/// versus everything else (a bug, bad data).
fn classify(location: &str, what: &str, err: &tokio_postgres::Error) -> StoreError {
    let unavailable = if err.is_closed() {
        true
    } else if let Some(code) = err.code() {
        let code = code.code();
        [
            "08",    // connection exception
            "28",    // invalid authorization (password, role)
            "3D000", // database does not exist
            "53",    // insufficient resources: disk full, out of memory, too many connections
            "55P03", // lock not available
            "57",    // operator intervention: shutdown, statement timeout, cancel
            "58",    // system error: I/O
            "XX001", // data corrupted
            "XX002", // index corrupted
            "25006", // read-only transaction (a standby, or default_transaction_read_only)
            "42501", // insufficient privilege
        ]
        .iter()
        .any(|prefix| code.starts_with(prefix))
    } else {
        // No SQLSTATE: the failure happened on the wire, not in SQL.
        std::error::Error::source(err).is_some_and(|s| s.is::<io::Error>())
    };
    let msg = format!("{what} on {location}: {}", error_text(err));
    if unavailable {
        StoreError::Unavailable(msg)
    } else {
        StoreError::Other(msg)
    }
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// `sslmode=require` over rustls, verifying against the webpki roots.
///
/// The glue tokio-postgres needs is small enough to keep here rather than
/// pull in `tokio-postgres-rustls`, which would add an X.509 parser (eleven
/// crates) used only for channel binding, which this connector does not
/// offer.
mod tls {
    use std::future::Future;
    use std::io;
    use std::pin::Pin;
    use std::sync::Arc;
    use std::task::{Context, Poll};

    use rustls::pki_types::ServerName;
    use rustls::{ClientConfig, RootCertStore};
    use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
    use tokio_postgres::tls::{ChannelBinding, MakeTlsConnect, TlsConnect, TlsStream};
    use tokio_rustls::TlsConnector;

    #[derive(Clone)]
    pub(super) struct MakeRustlsConnect {
        config: Arc<ClientConfig>,
    }

    impl MakeRustlsConnect {
        /// Trusts `roots`, or by default the Mozilla set from `webpki-roots`.
        pub(super) fn new(roots: Option<RootCertStore>) -> Result<Self, rustls::Error> {
            let roots = roots.unwrap_or_else(|| {
                RootCertStore::from_iter(webpki_roots::TLS_SERVER_ROOTS.iter().cloned())
            });
            // Name the provider rather than rely on a process-wide default,
            // which another crate enabling a second provider would make
            // ambiguous.
            let provider = Arc::new(rustls::crypto::ring::default_provider());
            let mut config = ClientConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()?
                .with_root_certificates(roots)
                .with_no_client_auth();
            // Required by servers that accept direct TLS
            // (`sslnegotiation=direct`, PostgreSQL 17+), ignored by others.
            config.alpn_protocols = vec![b"postgresql".to_vec()];
            Ok(Self {
                config: Arc::new(config),
            })
        }
    }

    impl<S> MakeTlsConnect<S> for MakeRustlsConnect
    where
        S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        type Stream = RustlsStream<S>;
        type TlsConnect = RustlsConnect;
        type Error = io::Error;

        fn make_tls_connect(&mut self, domain: &str) -> io::Result<RustlsConnect> {
            let name = ServerName::try_from(domain.to_owned())
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
            Ok(RustlsConnect {
                name,
                connector: TlsConnector::from(Arc::clone(&self.config)),
            })
        }
    }

    pub(super) struct RustlsConnect {
        name: ServerName<'static>,
        connector: TlsConnector,
    }

    type ConnectFuture<S> = Pin<Box<dyn Future<Output = io::Result<RustlsStream<S>>> + Send>>;

    impl<S> TlsConnect<S> for RustlsConnect
    where
        S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        type Stream = RustlsStream<S>;
        type Error = io::Error;
        type Future = ConnectFuture<S>;

        fn connect(self, stream: S) -> ConnectFuture<S> {
            Box::pin(async move {
                let stream = self.connector.connect(self.name, stream).await?;
                Ok(RustlsStream(stream))
            })
        }
    }

    pub(super) struct RustlsStream<S>(tokio_rustls::client::TlsStream<S>);

    impl<S: AsyncRead + AsyncWrite + Unpin> TlsStream for RustlsStream<S> {
        fn channel_binding(&self) -> ChannelBinding {
            ChannelBinding::none()
        }
    }

    impl<S: AsyncRead + AsyncWrite + Unpin> AsyncRead for RustlsStream<S> {
        fn poll_read(
            mut self: Pin<&mut Self>,
            cx: &mut Context<'_>,
            buf: &mut ReadBuf<'_>,
        ) -> Poll<io::Result<()>> {
            Pin::new(&mut self.0).poll_read(cx, buf)
        }
    }

    impl<S: AsyncRead + AsyncWrite + Unpin> AsyncWrite for RustlsStream<S> {
        fn poll_write(
            mut self: Pin<&mut Self>,
            cx: &mut Context<'_>,
            buf: &[u8],
        ) -> Poll<io::Result<usize>> {
            Pin::new(&mut self.0).poll_write(cx, buf)
        }

        fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
            Pin::new(&mut self.0).poll_flush(cx)
        }

        fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
            Pin::new(&mut self.0).poll_shutdown(cx)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_database_but_never_the_password() {
        let config = parse_config(
            "postgresql://bot:s3cret@db.internal:6432/testscope?options=-cstatement_timeout%3D1",
        )
        .unwrap();
        let described = describe(&config);
        assert_eq!(described, "postgres db.internal:6432/testscope");
        for url in [
            "postgres://bot:s3cret@db.internal/testscope?sslmode=verify-everything",
            "postgres://bot:s3cret@db.internal/testscope?no_such_option=1",
            "postgres://bot:s3cret@db.internal:s3cret/testscope",
        ] {
            let err = parse_config(url).expect_err(url);
            assert!(matches!(err, StoreError::Other(_)), "{err:?}");
            let msg = err.to_string();
            assert!(msg.contains("invalid PostgreSQL store URL"), "{msg}");
            assert!(!msg.contains("s3cret"), "{url}: {msg}");
        }
    }

    #[test]
    fn the_lock_key_spells_its_name() {
        assert_eq!(MIGRATION_LOCK_KEY.to_be_bytes(), *b"tscope01");
    }

    /// A URL for a fresh schema on `TEST_DATABASE_URL`, and a connection to
    /// drop it with; `None` when no test database is configured.
    async fn scratch_schema(tag: &str) -> Option<(String, tokio_postgres::Client, String)> {
        let base = std::env::var("TEST_DATABASE_URL").ok()?;
        let (admin, connection) = tokio_postgres::connect(&base, NoTls).await.unwrap();
        tokio::spawn(connection);
        let schema = format!("testscope_unit_{tag}_{}", std::process::id());
        admin
            .batch_execute(&format!(
                "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
            ))
            .await
            .unwrap();
        let sep = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{sep}options=-csearch_path%3D{schema}");
        Some((url, admin, schema))
    }

    #[tokio::test]
    async fn failing_migration_names_its_version_and_keeps_the_ones_before() {
        let Some((url, admin, schema)) = scratch_schema("failing").await else {
            eprintln!("skipping PostgreSQL migration test: TEST_DATABASE_URL is not set");
            return;
        };
        let store = PostgresStore::connect_without_migrating(&url).unwrap();
        let migrations = [
            "CREATE TABLE one (x INTEGER);",
            "CREATE TABLE two (x INTEGER); THIS IS NOT SQL;",
            "CREATE TABLE three (x INTEGER);",
        ];
        let err = store.migrate(&migrations).await.unwrap_err();
        match &err {
            StoreError::Migration { version, detail } => {
                assert_eq!(*version, 2);
                assert!(detail.contains("syntax error"), "{detail}");
            }
            other => panic!("expected a migration error, got {other:?}"),
        }
        let tables: Vec<String> = admin
            .query(
                "SELECT tablename::text FROM pg_tables WHERE schemaname = $1 ORDER BY 1",
                &[&schema],
            )
            .await
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        // Version 2's first statement ran but was rolled back with the rest.
        assert_eq!(tables, ["one", "schema_migrations"]);
        let versions: Vec<i32> = admin
            .query(
                &format!("SELECT version FROM {schema}.schema_migrations"),
                &[],
            )
            .await
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        assert_eq!(versions, [1]);
        // Fixed, it picks up where it stopped; run again, it does nothing.
        let fixed = [
            migrations[0],
            "CREATE TABLE two (x INTEGER);",
            migrations[2],
        ];
        store.migrate(&fixed).await.unwrap();
        store.migrate(&fixed).await.unwrap();
        let count: i64 = admin
            .query_one(
                &format!("SELECT COUNT(*) FROM {schema}.schema_migrations"),
                &[],
            )
            .await
            .unwrap()
            .get(0);
        assert_eq!(count, 3);
        admin
            .batch_execute(&format!("DROP SCHEMA {schema} CASCADE"))
            .await
            .unwrap();
    }

    /// A TLS front for the test database, as a managed PostgreSQL with a
    /// proper certificate would be: it answers the client's SSLRequest with
    /// `S`, completes the handshake with a certificate for `localhost` from
    /// the test CA in `testdata/`, and passes the decrypted stream on to the
    /// real server. Returns its port.
    async fn tls_front(target: std::net::SocketAddr) -> u16 {
        use rustls::pki_types::pem::PemObject;
        use rustls::pki_types::{CertificateDer, PrivateKeyDer};
        use tokio::io::{AsyncReadExt, AsyncWriteExt};

        let certs = vec![
            CertificateDer::from_pem_slice(include_bytes!("testdata/pg-tls-server.pem")).unwrap(),
        ];
        let key =
            PrivateKeyDer::from_pem_slice(include_bytes!("testdata/pg-tls-server.key")).unwrap();
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    // SSLRequest: length 8, then the code 80877103.
                    let mut request = [0u8; 8];
                    socket.read_exact(&mut request).await?;
                    assert_eq!(request, [0, 0, 0, 8, 4, 210, 22, 47], "expected SSLRequest");
                    socket.write_all(b"S").await?;
                    let mut tls = acceptor.accept(socket).await?;
                    let mut server = tokio::net::TcpStream::connect(target).await?;
                    tokio::io::copy_bidirectional(&mut tls, &mut server).await?;
                    Ok::<_, io::Error>(())
                });
            }
        });
        port
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sslmode_require_connects_over_verified_tls() {
        use rustls::pki_types::CertificateDer;
        use rustls::pki_types::pem::PemObject;

        let Some((url, admin, schema)) = scratch_schema("tls").await else {
            eprintln!("skipping PostgreSQL TLS test: TEST_DATABASE_URL is not set");
            return;
        };
        let config = parse_config(&url).unwrap();
        let Some(Host::Tcp(host)) = config.get_hosts().first() else {
            panic!("the TLS test needs a TCP host in TEST_DATABASE_URL");
        };
        let port = config.get_ports().first().copied().unwrap_or(5432);
        let target = tokio::net::lookup_host((host.as_str(), port))
            .await
            .unwrap()
            .next()
            .unwrap();
        let front = tls_front(target).await;
        let user = config.get_user().unwrap_or("postgres");
        let db = config.get_dbname().unwrap_or(user);
        let url_via = |host: &str| {
            format!(
                "postgres://{user}@{host}:{front}/{db}?sslmode=require\
                 &options=-csearch_path%3D{schema}"
            )
        };
        let test_ca = || {
            let mut roots = rustls::RootCertStore::empty();
            roots
                .add(
                    CertificateDer::from_pem_slice(include_bytes!("testdata/pg-tls-ca.pem"))
                        .unwrap(),
                )
                .unwrap();
            Some(roots)
        };

        // The front speaks only TLS, so working at all means TLS was used.
        let store = PostgresStore::build(&url_via("localhost"), test_ca()).unwrap();
        store.migrate(MIGRATIONS).await.unwrap();
        assert!(store.claim_event("EvTls", 1).await.unwrap());
        store.ping().await.unwrap();

        // The certificate names `localhost`, not 127.0.0.1.
        let wrong_name = PostgresStore::build(&url_via("127.0.0.1"), test_ca()).unwrap();
        let err = wrong_name.ping().await.unwrap_err();
        assert!(matches!(err, StoreError::Unavailable(_)), "{err:?}");
        assert!(err.to_string().contains("certificate"), "{err}");

        // And the test CA is not trusted by default.
        let default_roots = PostgresStore::build(&url_via("localhost"), None).unwrap();
        let err = default_roots.ping().await.unwrap_err();
        assert!(err.to_string().contains("UnknownIssuer"), "{err}");

        admin
            .batch_execute(&format!("DROP SCHEMA {schema} CASCADE"))
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn sessions_get_the_statement_timeout_unless_the_url_sets_one() {
        let Some((url, admin, schema)) = scratch_schema("timeout").await else {
            eprintln!("skipping PostgreSQL timeout test: TEST_DATABASE_URL is not set");
            return;
        };
        let show = |store: PostgresStore| async move {
            let client = store.pool.get().await.unwrap();
            let row = client
                .query_one("SHOW statement_timeout", &[])
                .await
                .unwrap();
            row.get::<_, String>(0)
        };
        let ours = PostgresStore::connect_without_migrating(&url).unwrap();
        assert_eq!(show(ours).await, "5s");
        let theirs = format!("{url}%20-cstatement_timeout%3D7s");
        let theirs = PostgresStore::connect_without_migrating(&theirs).unwrap();
        assert_eq!(show(theirs).await, "7s");

        // A statement stuck behind a lock gives up and reports Unavailable.
        let store = PostgresStore::connect(&url).await.unwrap();
        let mut blocker = admin;
        let tx = blocker.transaction().await.unwrap();
        tx.batch_execute(&format!("LOCK TABLE {schema}.seen_events"))
            .await
            .unwrap();
        let started = std::time::Instant::now();
        let err = store.claim_event("Ev1", 1).await.unwrap_err();
        assert!(matches!(err, StoreError::Unavailable(_)), "{err:?}");
        assert!(err.to_string().contains("statement timeout"), "{err}");
        assert!(started.elapsed() < STATEMENT_TIMEOUT + Duration::from_secs(2));
        tx.rollback().await.unwrap();
        assert!(store.claim_event("Ev1", 1).await.unwrap());
        blocker
            .batch_execute(&format!("DROP SCHEMA {schema} CASCADE"))
            .await
            .unwrap();
    }
}
