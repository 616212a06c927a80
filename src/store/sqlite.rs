//! [`Store`] on an embedded SQLite file.
//!
//! One connection serves the whole process. SQLite calls block, so each one
//! runs on tokio's blocking pool and takes a `std::sync::Mutex` only inside
//! that blocking closure: the lock is never held across an `.await` and the
//! async workers never wait on the disk.

use std::io::Read;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension, TransactionBehavior, params};

use super::{
    AnswerOutcome, Claim, Feedback, MissReport, PostClaim, QuizAnswer, QuizPost, ShownQuestion,
    Store, StoreError, Subscription, Verdict,
};

/// How long a statement waits for another connection's write lock (a second
/// replica on the same file) before giving up with `SQLITE_BUSY`.
const BUSY_TIMEOUT: Duration = Duration::from_millis(5000);
/// How long a heartbeat write waits for a lock held elsewhere.
const PING_BUSY_TIMEOUT: Duration = Duration::from_millis(500);

/// The first 16 bytes of every SQLite 3 database file.
const SQLITE_MAGIC: &[u8] = b"SQLite format 3\0";

/// Schema changes in order: entry `i` is version `i + 1`.
///
/// Append only. Databases already in use record which versions they ran, so
/// editing or reordering a released entry would leave them out of step. Each
/// entry runs inside one transaction together with its bookkeeping row, so it
/// must not contain `BEGIN`/`COMMIT` (and `PRAGMA foreign_keys` has no effect
/// there).
static MIGRATIONS: &[&str] = &[
    // 1: event de-duplication and feedback votes.
    //
    // `NOT NULL` on the text keys matters: for historical reasons SQLite
    // otherwise lets a non-integer PRIMARY KEY column hold NULL.
    "CREATE TABLE seen_events (
        event_id TEXT NOT NULL PRIMARY KEY,
        seen_at  INTEGER NOT NULL
    );
    CREATE INDEX seen_events_seen_at ON seen_events (seen_at);
    CREATE TABLE feedback (
        advice_id     TEXT NOT NULL,
        user_id       TEXT NOT NULL,
        team_id       TEXT NOT NULL,
        channel_id    TEXT NOT NULL,
        verdict       TEXT NOT NULL CHECK (verdict IN ('helpful', 'not_quite')),
        primary_scope TEXT,
        rules_json    TEXT NOT NULL,
        at            INTEGER NOT NULL,
        PRIMARY KEY (advice_id, user_id)
    );",
    // 2: the daily quiz.
    "CREATE TABLE quiz_subscriptions (
        channel_id TEXT NOT NULL PRIMARY KEY,
        team_id    TEXT NOT NULL,
        schedule   TEXT NOT NULL,
        source     TEXT NOT NULL,
        created_by TEXT,
        created_at INTEGER NOT NULL
    );
    CREATE TABLE quiz_posts (
        channel_id  TEXT NOT NULL,
        post_id     TEXT NOT NULL,
        local_date  TEXT NOT NULL,
        question_id TEXT NOT NULL,
        message_ts  TEXT,
        posted_at   INTEGER,
        lease_until INTEGER NOT NULL,
        PRIMARY KEY (channel_id, post_id)
    );
    CREATE TABLE quiz_answers (
        channel_id  TEXT NOT NULL,
        post_id     TEXT NOT NULL,
        question_id TEXT NOT NULL,
        user_id     TEXT NOT NULL,
        option      INTEGER NOT NULL,
        correct     INTEGER NOT NULL,
        answered_at INTEGER NOT NULL,
        PRIMARY KEY (channel_id, post_id, user_id)
    );",
    // 3: quiz posts close: at the end of their day or when the next post
    // reveals the answer. Posts made before this version close a day after
    // they went out; all but each channel's latest count as closed already,
    // so the upgrade does not rewrite a channel's whole history in Slack.
    "ALTER TABLE quiz_posts ADD COLUMN closes_at INTEGER;
    ALTER TABLE quiz_posts ADD COLUMN closed_at INTEGER;
    UPDATE quiz_posts SET closes_at = posted_at + 86400 WHERE posted_at IS NOT NULL;
    UPDATE quiz_posts SET closed_at = closes_at
        WHERE posted_at IS NOT NULL AND EXISTS (
            SELECT 1 FROM quiz_posts AS later
            WHERE later.channel_id = quiz_posts.channel_id
              AND later.post_id > quiz_posts.post_id
              AND later.posted_at IS NOT NULL);",
    // 4: one row that readiness rewrites, proving the database takes writes.
    "CREATE TABLE heartbeat (
        id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
        at INTEGER NOT NULL
    );",
    // 5: subscriptions paused because Slack refuses the post for good.
    "CREATE TABLE quiz_paused (
        channel_id TEXT NOT NULL PRIMARY KEY,
        reason     TEXT NOT NULL,
        paused_at  INTEGER NOT NULL
    );",
    // 6: advice as it was shown, so its buttons act on what was seen.
    "CREATE TABLE advice_shown (
        id            TEXT NOT NULL PRIMARY KEY,
        question      TEXT NOT NULL,
        primary_scope TEXT,
        stages_json   TEXT NOT NULL,
        rules_json    TEXT NOT NULL,
        message_json  TEXT NOT NULL,
        details_json  TEXT NOT NULL,
        shown_at      INTEGER NOT NULL
    );
    CREATE INDEX advice_shown_shown_at ON advice_shown (shown_at);",
    // 7: what people said an answer should have been.
    "CREATE TABLE feedback_misses (
        advice_id      TEXT NOT NULL,
        user_id        TEXT NOT NULL,
        team_id        TEXT NOT NULL,
        channel_id     TEXT NOT NULL,
        question       TEXT NOT NULL,
        given_scope    TEXT,
        given_stages   TEXT NOT NULL,
        given_rules    TEXT NOT NULL,
        expected_scope TEXT,
        expected_stage TEXT,
        comment        TEXT,
        at             INTEGER NOT NULL,
        PRIMARY KEY (advice_id, user_id)
    );
    CREATE INDEX feedback_misses_at ON feedback_misses (at);",
    // 8: what was asked, not the rendered advice: a click advises again and
    // checks the id still matches, so a row is a few hundred bytes.
    "DROP TABLE advice_shown;
    CREATE TABLE shown_questions (
        id       TEXT NOT NULL PRIMARY KEY,
        question TEXT NOT NULL,
        shown_in TEXT NOT NULL,
        shown_at INTEGER NOT NULL
    );
    CREATE INDEX shown_questions_shown_at ON shown_questions (shown_at);",
    // 9: what every quiz tick looks for, without reading every post ever
    // made: open posts by when they close, and unposted claims by day.
    "CREATE INDEX quiz_posts_open ON quiz_posts (closes_at)
        WHERE message_ts IS NOT NULL AND closed_at IS NULL;
    CREATE INDEX quiz_posts_unposted ON quiz_posts (local_date)
        WHERE message_ts IS NULL;",
];

/// The SQLite backend. Usually obtained through [`super::open`].
pub struct SqliteStore {
    conn: Arc<Mutex<Connection>>,
    /// The file path (or `:memory:`), for error messages and log lines.
    location: Arc<str>,
}

impl SqliteStore {
    /// Opens the database file at `path`, creating the file (not its
    /// directory) if needed, and applies pending migrations.
    ///
    /// This blocks on disk I/O; from async code go through [`super::open`].
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let location = path.display().to_string();
        // SQLite's own message for this case is a bare "unable to open
        // database file"; naming the missing directory saves a debugging trip.
        if let Some(dir) = path.parent() {
            if !dir.as_os_str().is_empty() && !dir.is_dir() {
                return Err(StoreError::Unavailable(format!(
                    "cannot open SQLite database at {location}: directory {} does not exist",
                    dir.display()
                )));
            }
        }
        // SQLite rejects a foreign file only if it is at least a header long;
        // a shorter one it would silently overwrite with a new database.
        // Check the magic ourselves so every non-database file is refused.
        // An empty file is fine: that is how SQLite itself starts a database.
        if let Ok(mut file) = std::fs::File::open(path) {
            let mut head = Vec::with_capacity(SQLITE_MAGIC.len());
            let read = file
                .by_ref()
                .take(SQLITE_MAGIC.len() as u64)
                .read_to_end(&mut head);
            if read.is_ok() && !head.is_empty() && head != SQLITE_MAGIC {
                return Err(StoreError::Unavailable(format!(
                    "cannot open SQLite database at {location}: file is not a database"
                )));
            }
        }
        private_file(path, &location)?;
        // The default flags also enable URI filenames; leave that out so the
        // path we were given is always taken literally.
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn =
            Connection::open_with_flags(path, flags).map_err(|e| open_failed(&location, &e))?;
        Self::from_connection(conn, location)
    }

    /// A private in-memory database, discarded when the store is dropped.
    /// Meant for tests and throwaway runs.
    pub fn open_in_memory() -> Result<Self, StoreError> {
        let location = ":memory:".to_owned();
        let conn = Connection::open_in_memory().map_err(|e| open_failed(&location, &e))?;
        Self::from_connection(conn, location)
    }

    fn from_connection(mut conn: Connection, location: String) -> Result<Self, StoreError> {
        // SQLite opens files lazily: problems it only finds on first read (a
        // damaged header, a file it cannot lock) surface here, so they are
        // reported as `Unavailable` with the path, like a failed open.
        let journal_mode = configure(&conn).map_err(|e| open_failed(&location, &e))?;
        // SQLite quietly opens a file it may not write (mode 0444, a
        // read-only mount) read-only although read-write was asked for; the
        // service would then run with every write failing.
        if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false) {
            return Err(StoreError::Unavailable(format!(
                "cannot open SQLite database at {location} for writing: it opened read-only; \
                 check the file's and directory's permissions and the mount"
            )));
        }
        migrate(&mut conn, MIGRATIONS, &location)?;
        // Migrations write nothing to an up-to-date file, so prove once that
        // writes go through (a full disk, a read-only directory for the WAL).
        heartbeat(&conn).map_err(|e| {
            StoreError::Unavailable(format!(
                "cannot write to SQLite database at {location}: {e}"
            ))
        })?;
        tracing::debug!(%location, %journal_mode, "opened SQLite store");
        Ok(Self {
            conn: Arc::new(Mutex::new(conn)),
            location: location.into(),
        })
    }

    /// Runs `op` against the connection on the blocking pool.
    async fn call<T, F>(&self, what: &'static str, op: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> rusqlite::Result<T> + Send + 'static,
    {
        let conn = Arc::clone(&self.conn);
        let location = Arc::clone(&self.location);
        // If the caller stops waiting (a request timeout), the closure still
        // runs to completion; every operation is a single statement, so it
        // either happens whole or not at all.
        tokio::task::spawn_blocking(move || {
            // A panic while the lock was held cannot have left a half-done
            // write behind (rusqlite rolls back an unfinished transaction on
            // drop), so a poisoned lock is safe to keep using.
            let mut conn = conn.lock().unwrap_or_else(PoisonError::into_inner);
            op(&mut conn).map_err(|e| classify(&location, &e))
        })
        .await
        .map_err(|e| {
            StoreError::Other(format!("{what} on {} did not complete: {e}", self.location))
        })?
    }
}

#[async_trait]
impl Store for SqliteStore {
    async fn claim_event(&self, event_id: &str, now: i64) -> Result<bool, StoreError> {
        let event_id = event_id.to_owned();
        self.call("claim_event", move |conn| {
            // The primary key makes this check-and-insert atomic: of any
            // number of racing claims (tasks here or another process on the
            // same file) exactly one inserts a row.
            let inserted = conn
                .prepare_cached(
                    "INSERT INTO seen_events (event_id, seen_at) VALUES (?1, ?2)
                     ON CONFLICT (event_id) DO NOTHING",
                )?
                .execute(params![event_id, now])?;
            Ok(inserted == 1)
        })
        .await
    }

    async fn prune_events(&self, before: i64) -> Result<u64, StoreError> {
        let deleted = self
            .call("prune_events", move |conn| {
                conn.prepare_cached("DELETE FROM seen_events WHERE seen_at < ?1")?
                    .execute([before])
            })
            .await?;
        tracing::debug!(deleted, before, "pruned seen events");
        Ok(deleted as u64)
    }

    async fn record_feedback(&self, feedback: &Feedback) -> Result<(), StoreError> {
        let rules_json = serde_json::to_string(&feedback.rules)
            .map_err(|e| StoreError::Other(format!("cannot encode feedback rules: {e}")))?;
        let fb = feedback.clone();
        self.call("record_feedback", move |conn| {
            // The WHERE on the update keeps the newest click when deliveries
            // arrive out of order; `>=` lets a same-second re-click win.
            conn.prepare_cached(
                "INSERT INTO feedback
                     (advice_id, user_id, team_id, channel_id, verdict, primary_scope, rules_json, at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT (advice_id, user_id) DO UPDATE SET
                     team_id = excluded.team_id,
                     channel_id = excluded.channel_id,
                     verdict = excluded.verdict,
                     primary_scope = excluded.primary_scope,
                     rules_json = excluded.rules_json,
                     at = excluded.at
                 WHERE excluded.at >= feedback.at",
            )?
            .execute(params![
                fb.advice_id,
                fb.user_id,
                fb.team_id,
                fb.channel_id,
                fb.verdict.as_str(),
                fb.primary_scope,
                rules_json,
                fb.at,
            ])?;
            Ok(())
        })
        .await
    }

    async fn save_shown(&self, rows: &[ShownQuestion]) -> Result<(), StoreError> {
        let rows = rows.to_vec();
        self.call("save_shown", move |conn| {
            let tx = conn.transaction()?;
            {
                let mut insert = tx.prepare_cached(
                    "INSERT INTO shown_questions (id, question, shown_in, shown_at)
                     VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (id) DO UPDATE SET
                         shown_at = MAX(shown_questions.shown_at, excluded.shown_at)",
                )?;
                for q in &rows {
                    insert.execute(params![q.id, q.question, q.shown_in, q.shown_at])?;
                }
            }
            tx.commit()
        })
        .await
    }

    async fn shown_question(&self, id: &str) -> Result<Option<ShownQuestion>, StoreError> {
        let id = id.to_owned();
        self.call("shown_question", move |conn| {
            conn.prepare_cached(
                "SELECT id, question, shown_in, shown_at FROM shown_questions WHERE id = ?1",
            )?
            .query_row([id], |r| {
                Ok(ShownQuestion {
                    id: r.get(0)?,
                    question: r.get(1)?,
                    shown_in: r.get(2)?,
                    shown_at: r.get(3)?,
                })
            })
            .optional()
        })
        .await
    }

    async fn purge_shown(&self, before: i64) -> Result<u64, StoreError> {
        let deleted = self
            .call("purge_shown", move |conn| {
                conn.prepare_cached("DELETE FROM shown_questions WHERE shown_at < ?1")?
                    .execute([before])
            })
            .await?;
        Ok(deleted as u64)
    }

    async fn record_miss(&self, miss: &MissReport) -> Result<(), StoreError> {
        let (stages, rules) = (to_json(&miss.given_stages)?, to_json(&miss.given_rules)?);
        let m = miss.clone();
        self.call("record_miss", move |conn| {
            conn.prepare_cached(&format!(
                "INSERT OR REPLACE INTO feedback_misses ({MISS_COLUMNS})
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
            ))?
            .execute(params![
                m.advice_id,
                m.user_id,
                m.team_id,
                m.channel_id,
                m.question,
                m.given_scope,
                stages,
                rules,
                m.expected_scope,
                m.expected_stage,
                m.comment,
                m.at,
            ])?;
            Ok(())
        })
        .await
    }

    async fn misses(&self, since: i64) -> Result<Vec<MissReport>, StoreError> {
        let rows = self
            .call("misses", move |conn| {
                conn.prepare_cached(&format!(
                    "SELECT {MISS_COLUMNS} FROM feedback_misses WHERE at >= ?1
                     ORDER BY at DESC, advice_id, user_id"
                ))?
                .query_map([since], |r| {
                    Ok((
                        MissReport {
                            advice_id: r.get(0)?,
                            user_id: r.get(1)?,
                            team_id: r.get(2)?,
                            channel_id: r.get(3)?,
                            question: r.get(4)?,
                            given_scope: r.get(5)?,
                            given_stages: Vec::new(),
                            given_rules: Vec::new(),
                            expected_scope: r.get(8)?,
                            expected_stage: r.get(9)?,
                            comment: r.get(10)?,
                            at: r.get(11)?,
                        },
                        r.get::<_, String>(6)?,
                        r.get::<_, String>(7)?,
                    ))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()
            })
            .await?;
        rows.into_iter()
            .map(|(mut m, stages, rules)| {
                m.given_stages = from_json(&stages)?;
                m.given_rules = from_json(&rules)?;
                Ok(m)
            })
            .collect()
    }

    async fn purge_misses(&self, before: i64) -> Result<u64, StoreError> {
        let deleted = self
            .call("purge_misses", move |conn| {
                conn.prepare_cached("DELETE FROM feedback_misses WHERE at < ?1")?
                    .execute([before])
            })
            .await?;
        Ok(deleted as u64)
    }

    async fn feedback_votes(&self) -> Result<Vec<Feedback>, StoreError> {
        let rows = self
            .call("feedback_votes", |conn| {
                conn.prepare_cached(
                    "SELECT advice_id, user_id, team_id, channel_id, verdict, primary_scope,
                            rules_json, at
                     FROM feedback ORDER BY at DESC",
                )?
                .query_map([], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, Option<String>>(5)?,
                        r.get::<_, String>(6)?,
                        r.get::<_, i64>(7)?,
                    ))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()
            })
            .await?;
        rows.into_iter()
            .map(
                |(advice_id, user_id, team_id, channel_id, verdict, primary_scope, rules, at)| {
                    Ok(Feedback {
                        advice_id,
                        team_id,
                        user_id,
                        channel_id,
                        verdict: verdict.parse()?,
                        primary_scope,
                        rules: from_json(&rules)?,
                        at,
                    })
                },
            )
            .collect()
    }

    async fn feedback_counts(&self) -> Result<(u64, u64), StoreError> {
        let (helpful, not_quite) = self
            .call("feedback_counts", |conn| {
                conn.prepare_cached(
                    "SELECT COALESCE(SUM(verdict = ?1), 0), COALESCE(SUM(verdict = ?2), 0)
                     FROM feedback",
                )?
                .query_row(
                    [Verdict::Helpful.as_str(), Verdict::NotQuite.as_str()],
                    |row| Ok((row.get::<_, i64>(0)?, row.get::<_, i64>(1)?)),
                )
            })
            .await?;
        // Sums of 0/1 flags cannot be negative.
        Ok((helpful.max(0) as u64, not_quite.max(0) as u64))
    }

    async fn upsert_subscription(&self, sub: &Subscription) -> Result<(), StoreError> {
        let s = sub.clone();
        self.call("upsert_subscription", move |conn| {
            let tx = conn.transaction()?;
            tx.prepare_cached(
                "INSERT INTO quiz_subscriptions
                     (channel_id, team_id, schedule, source, created_by, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (channel_id) DO UPDATE SET
                     team_id = excluded.team_id, schedule = excluded.schedule,
                     source = excluded.source, created_by = excluded.created_by,
                     created_at = excluded.created_at",
            )?
            .execute(params![
                s.channel_id,
                s.team_id,
                s.schedule,
                s.source,
                s.created_by,
                s.created_at
            ])?;
            tx.prepare_cached("DELETE FROM quiz_paused WHERE channel_id = ?1")?
                .execute([&s.channel_id])?;
            tx.commit()
        })
        .await
    }

    async fn remove_subscription(&self, channel_id: &str) -> Result<bool, StoreError> {
        let channel = channel_id.to_owned();
        self.call("remove_subscription", move |conn| {
            let tx = conn.transaction()?;
            let n = tx
                .prepare_cached("DELETE FROM quiz_subscriptions WHERE channel_id = ?1")?
                .execute([&channel])?;
            tx.prepare_cached("DELETE FROM quiz_paused WHERE channel_id = ?1")?
                .execute([&channel])?;
            tx.commit()?;
            Ok(n > 0)
        })
        .await
    }

    async fn pause_subscription(
        &self,
        channel_id: &str,
        reason: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        let (channel, reason) = (channel_id.to_owned(), reason.to_owned());
        self.call("pause_subscription", move |conn| {
            let n = conn
                .prepare_cached(
                    "INSERT INTO quiz_paused (channel_id, reason, paused_at)
                     SELECT channel_id, ?2, ?3 FROM quiz_subscriptions WHERE channel_id = ?1
                     ON CONFLICT (channel_id) DO NOTHING",
                )?
                .execute(params![channel, reason, now])?;
            Ok(n == 1)
        })
        .await
    }

    async fn pause_team(&self, team_id: &str, reason: &str, now: i64) -> Result<u64, StoreError> {
        let (team, reason) = (team_id.to_owned(), reason.to_owned());
        self.call("pause_team", move |conn| {
            let n = conn
                .prepare_cached(
                    "INSERT INTO quiz_paused (channel_id, reason, paused_at)
                     SELECT channel_id, ?2, ?3 FROM quiz_subscriptions
                     WHERE team_id = ?1 OR team_id = ''
                     ON CONFLICT (channel_id) DO NOTHING",
                )?
                .execute(params![team, reason, now])?;
            Ok(n as u64)
        })
        .await
    }

    async fn paused_subscriptions(&self) -> Result<Vec<(String, String)>, StoreError> {
        self.call("paused_subscriptions", |conn| {
            let mut stmt = conn
                .prepare_cached("SELECT channel_id, reason FROM quiz_paused ORDER BY channel_id")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect()
        })
        .await
    }

    async fn subscriptions(&self) -> Result<Vec<Subscription>, StoreError> {
        self.call("subscriptions", |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT channel_id, team_id, schedule, source, created_by, created_at
                 FROM quiz_subscriptions ORDER BY channel_id",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok(Subscription {
                    channel_id: r.get(0)?,
                    team_id: r.get(1)?,
                    schedule: r.get(2)?,
                    source: r.get(3)?,
                    created_by: r.get(4)?,
                    created_at: r.get(5)?,
                })
            })?;
            rows.collect()
        })
        .await
    }

    async fn claim_quiz_post(&self, claim: &PostClaim, now: i64) -> Result<Claim, StoreError> {
        let c = claim.clone();
        self.call("claim_quiz_post", move |conn| {
            let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let inserted = tx
                .prepare_cached(
                    "INSERT INTO quiz_posts (channel_id, post_id, local_date, question_id, lease_until)
                     VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT (channel_id, post_id) DO NOTHING",
                )?
                .execute(params![c.channel_id, c.post_id, c.local_date, c.question_id, now + c.lease_secs])?;
            let outcome = if inserted == 1 {
                Claim::Claimed { question_id: c.question_id }
            } else {
                let (question, ts, lease): (String, Option<String>, i64) = tx
                    .prepare_cached(
                        "SELECT question_id, message_ts, lease_until FROM quiz_posts
                         WHERE channel_id = ?1 AND post_id = ?2",
                    )?
                    .query_row(params![c.channel_id, c.post_id], |r| {
                        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                    })?;
                if ts.is_some() {
                    Claim::AlreadyPosted
                } else if lease <= now {
                    tx.prepare_cached(
                        "UPDATE quiz_posts SET lease_until = ?3 WHERE channel_id = ?1 AND post_id = ?2",
                    )?
                    .execute(params![c.channel_id, c.post_id, now + c.lease_secs])?;
                    Claim::Claimed { question_id: question }
                } else {
                    Claim::Busy
                }
            };
            tx.commit()?;
            Ok(outcome)
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
        let (channel, post, ts) = (channel_id.to_owned(), post_id.to_owned(), ts.to_owned());
        self.call("mark_quiz_posted", move |conn| {
            conn.prepare_cached(
                "UPDATE quiz_posts SET message_ts = ?3, posted_at = ?4, closes_at = ?5
                 WHERE channel_id = ?1 AND post_id = ?2",
            )?
            .execute(params![channel, post, ts, now, closes_at])?;
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
        let (channel, post) = (channel_id.to_owned(), post_id.to_owned());
        self.call("close_quiz_post", move |conn| {
            let n = conn
                .prepare_cached(
                    "UPDATE quiz_posts SET closed_at = ?3
                     WHERE channel_id = ?1 AND post_id = ?2
                       AND message_ts IS NOT NULL AND closed_at IS NULL",
                )?
                .execute(params![channel, post, now])?;
            Ok(n == 1)
        })
        .await
    }

    async fn quiz_posts_to_close(&self, now: i64) -> Result<Vec<QuizPost>, StoreError> {
        self.call("quiz_posts_to_close", move |conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {POST_COLUMNS} FROM quiz_posts
                 WHERE message_ts IS NOT NULL AND closed_at IS NULL AND closes_at <= ?1
                 ORDER BY channel_id, local_date, post_id"
            ))?;
            let rows = stmt.query_map([now], post_row)?;
            rows.collect()
        })
        .await
    }

    async fn release_quiz_claim(
        &self,
        channel_id: &str,
        post_id: &str,
        retry_at: i64,
    ) -> Result<(), StoreError> {
        let (channel, post) = (channel_id.to_owned(), post_id.to_owned());
        self.call("release_quiz_claim", move |conn| {
            conn.prepare_cached(
                "UPDATE quiz_posts SET lease_until = ?3
                 WHERE channel_id = ?1 AND post_id = ?2 AND message_ts IS NULL",
            )?
            .execute(params![channel, post, retry_at])?;
            Ok(())
        })
        .await
    }

    async fn quiz_posts(&self, channel_id: &str) -> Result<Vec<QuizPost>, StoreError> {
        let channel = channel_id.to_owned();
        self.call("quiz_posts", move |conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {POST_COLUMNS} FROM quiz_posts
                 WHERE channel_id = ?1 ORDER BY local_date, post_id"
            ))?;
            let rows = stmt.query_map([channel], post_row)?;
            rows.collect()
        })
        .await
    }

    async fn unposted_quiz_posts(&self, since: &str) -> Result<Vec<QuizPost>, StoreError> {
        let since = since.to_owned();
        self.call("unposted_quiz_posts", move |conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {POST_COLUMNS} FROM quiz_posts
                 WHERE message_ts IS NULL AND local_date >= ?1
                 ORDER BY channel_id, local_date, post_id"
            ))?;
            let rows = stmt.query_map([since], post_row)?;
            rows.collect()
        })
        .await
    }

    async fn record_quiz_answer(&self, answer: &QuizAnswer) -> Result<AnswerOutcome, StoreError> {
        let a = answer.clone();
        self.call("record_quiz_answer", move |conn| {
            // Only onto an open post of that question; the check and the
            // insert are one statement, so a post closing meanwhile cannot
            // let a late click through.
            let inserted = conn
                .prepare_cached(
                    "INSERT INTO quiz_answers
                         (channel_id, post_id, question_id, user_id, option, correct, answered_at)
                     SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7
                     WHERE EXISTS (
                         SELECT 1 FROM quiz_posts
                         WHERE channel_id = ?1 AND post_id = ?2 AND question_id = ?3
                           AND message_ts IS NOT NULL AND closed_at IS NULL
                           AND (closes_at IS NULL OR closes_at > ?7))
                     ON CONFLICT (channel_id, post_id, user_id) DO NOTHING",
                )?
                .execute(params![
                    a.channel_id,
                    a.post_id,
                    a.question_id,
                    a.user_id,
                    a.option,
                    a.correct,
                    a.answered_at
                ])?;
            if inserted == 1 {
                return Ok(AnswerOutcome::Recorded);
            }
            let existing = conn
                .prepare_cached(
                    "SELECT question_id, option, correct, answered_at FROM quiz_answers
                     WHERE channel_id = ?1 AND post_id = ?2 AND user_id = ?3",
                )?
                .query_row(params![a.channel_id, a.post_id, a.user_id], |r| {
                    Ok(QuizAnswer {
                        channel_id: a.channel_id.clone(),
                        post_id: a.post_id.clone(),
                        question_id: r.get(0)?,
                        user_id: a.user_id.clone(),
                        option: r.get(1)?,
                        correct: r.get(2)?,
                        answered_at: r.get(3)?,
                    })
                })
                .optional()?;
            Ok(existing.map_or(AnswerOutcome::NotOpen, AnswerOutcome::AlreadyAnswered))
        })
        .await
    }

    async fn quiz_answers(&self, channel_id: &str) -> Result<Vec<QuizAnswer>, StoreError> {
        let channel = channel_id.to_owned();
        self.call("quiz_answers", move |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT channel_id, post_id, question_id, user_id, option, correct, answered_at
                 FROM quiz_answers WHERE channel_id = ?1 ORDER BY answered_at, user_id",
            )?;
            let rows = stmt.query_map([channel], |r| {
                Ok(QuizAnswer {
                    channel_id: r.get(0)?,
                    post_id: r.get(1)?,
                    question_id: r.get(2)?,
                    user_id: r.get(3)?,
                    option: r.get(4)?,
                    correct: r.get(5)?,
                    answered_at: r.get(6)?,
                })
            })?;
            rows.collect()
        })
        .await
    }

    async fn ping(&self) -> Result<(), StoreError> {
        // A write, not a read: a read-only file or a full disk still answer
        // reads while every write fails.
        // The heartbeat needs no patience: it only asks whether a write gets
        // through now. Waiting the full busy timeout would hold the one
        // connection for 5 s per heartbeat while another process holds a
        // lock, and the answers people wait for would queue behind it.
        self.call("ping", |conn| {
            conn.busy_timeout(PING_BUSY_TIMEOUT)?;
            let written = heartbeat(conn);
            conn.busy_timeout(BUSY_TIMEOUT)?;
            written
        })
        .await
    }
}

/// Rewrites the heartbeat row.
/// The columns of `feedback_misses`, in the order both backends read them.
pub(crate) const MISS_COLUMNS: &str = "advice_id, user_id, team_id, channel_id, question, \
    given_scope, given_stages, given_rules, expected_scope, expected_stage, comment, at";

fn to_json(list: &[String]) -> Result<String, StoreError> {
    serde_json::to_string(list).map_err(|e| StoreError::Other(format!("cannot encode a list: {e}")))
}

fn from_json(text: &str) -> Result<Vec<String>, StoreError> {
    serde_json::from_str(text)
        .map_err(|e| StoreError::Other(format!("a stored list is not JSON: {e}")))
}

fn heartbeat(conn: &Connection) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO heartbeat (id, at) VALUES (1, ?1)
         ON CONFLICT (id) DO UPDATE SET at = excluded.at",
    )?
    .execute([unix_now()])?;
    Ok(())
}

/// Creates the database file readable and writable by its owner only, or
/// warns when an existing one is open to others. SQLite would create it as
/// 0644 less the umask, and gives its `-wal` and `-shm` files the database
/// file's own mode, so creating it ourselves keeps all three private
/// whatever the umask.
fn private_file(path: &Path, location: &str) -> Result<(), StoreError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
        {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                if let Ok(meta) = std::fs::metadata(path) {
                    let mode = meta.permissions().mode() & 0o777;
                    if mode & 0o077 != 0 {
                        tracing::warn!(
                            %location,
                            mode = format!("{mode:o}"),
                            "the database file can be read by other users; `chmod 600` it \
                             (its -wal and -shm files take its mode)"
                        );
                    }
                }
            }
            Err(e) => {
                return Err(StoreError::Unavailable(format!(
                    "cannot create SQLite database at {location}: {e}"
                )));
            }
        }
    }
    #[cfg(not(unix))]
    let _ = (path, location);
    Ok(())
}

/// The columns [`post_row`] reads, in its order.
const POST_COLUMNS: &str =
    "channel_id, post_id, local_date, question_id, message_ts, posted_at, closes_at, closed_at";

fn post_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<QuizPost> {
    Ok(QuizPost {
        channel_id: r.get(0)?,
        post_id: r.get(1)?,
        local_date: r.get(2)?,
        question_id: r.get(3)?,
        message_ts: r.get(4)?,
        posted_at: r.get(5)?,
        closes_at: r.get(6)?,
        closed_at: r.get(7)?,
    })
}

/// Connection settings; returns the journal mode actually in effect.
fn configure(conn: &Connection) -> rusqlite::Result<String> {
    // First, so that everything after it also waits out a replica's lock.
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // WAL lets readers (ping, counts) proceed while a write is in progress,
    // and is a property of the file, so a second process gets it too.
    // In-memory databases answer "memory" here, which is fine.
    let mode: String =
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
    // In WAL mode NORMAL still never loses a commit when the process dies
    // (crash, kill, restart); only an OS crash or power cut can drop the most
    // recent commits. That is the trade we want for event de-duplication.
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(mode)
}

/// Applies every migration in `migrations` not yet recorded in
/// `schema_migrations`. Running it again is a no-op.
fn migrate(conn: &mut Connection, migrations: &[&str], location: &str) -> Result<(), StoreError> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version    INTEGER PRIMARY KEY,
             applied_at INTEGER NOT NULL
         )",
    )
    .map_err(|e| classify(location, &e))?;
    let applied: Vec<u32> = conn
        .prepare("SELECT version FROM schema_migrations")
        .and_then(|mut stmt| stmt.query_map([], |row| row.get(0))?.collect())
        .map_err(|e| classify(location, &e))?;
    for (version, sql) in (1u32..).zip(migrations) {
        if applied.contains(&version) {
            continue;
        }
        let ran = apply_migration(conn, version, sql).map_err(|e| StoreError::Migration {
            version,
            detail: format!("{location}: {e}"),
        })?;
        if ran {
            tracing::debug!(%location, version, "applied migration");
        }
    }
    Ok(())
}

/// Applies one migration and its bookkeeping row atomically. Returns false if
/// another process applied it first.
fn apply_migration(conn: &mut Connection, version: u32, sql: &str) -> rusqlite::Result<bool> {
    // IMMEDIATE takes the write lock before the re-check, so two processes
    // starting together serialise here and the second one skips the version
    // instead of failing on "table already exists".
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let already = tx
        .query_row(
            "SELECT 1 FROM schema_migrations WHERE version = ?1",
            [version],
            |_| Ok(()),
        )
        .optional()?
        .is_some();
    if already {
        return Ok(false);
    }
    tx.execute_batch(sql)?;
    tx.execute(
        "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)",
        params![version, unix_now()],
    )?;
    tx.commit()?;
    Ok(true)
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Any failure while opening means the store cannot be used at all.
fn open_failed(location: &str, err: &rusqlite::Error) -> StoreError {
    StoreError::Unavailable(format!("cannot open SQLite database at {location}: {err}"))
}

/// Sorts a runtime SQLite error into "the database cannot be used right now"
/// (disk, locking, corruption) versus everything else.
fn classify(location: &str, err: &rusqlite::Error) -> StoreError {
    let unavailable = matches!(
        err.sqlite_error_code(),
        Some(
            ErrorCode::DatabaseBusy
                | ErrorCode::DatabaseLocked
                | ErrorCode::CannotOpen
                | ErrorCode::SystemIoFailure
                | ErrorCode::DiskFull
                | ErrorCode::NotADatabase
                | ErrorCode::DatabaseCorrupt
                | ErrorCode::ReadOnly
                | ErrorCode::PermissionDenied
                | ErrorCode::FileLockingProtocolFailed
                | ErrorCode::OutOfMemory
        )
    );
    let msg = format!("{location}: {err}");
    if unavailable {
        StoreError::Unavailable(msg)
    } else {
        StoreError::Other(msg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::open;

    fn journal_mode(conn: &Connection) -> String {
        conn.query_row("PRAGMA journal_mode", [], |row| row.get(0))
            .unwrap()
    }

    fn versions(conn: &Connection) -> Vec<u32> {
        let mut stmt = conn
            .prepare("SELECT version FROM schema_migrations ORDER BY version")
            .unwrap();
        stmt.query_map([], |row| row.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    fn vote(advice: &str, user: &str, verdict: Verdict, at: i64) -> Feedback {
        Feedback {
            advice_id: advice.to_owned(),
            team_id: "T1".to_owned(),
            user_id: user.to_owned(),
            channel_id: "C1".to_owned(),
            verdict,
            primary_scope: Some("integration".to_owned()),
            rules: vec!["model-change".to_owned()],
            at,
        }
    }

    #[tokio::test]
    async fn seen_events_and_feedback_survive_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("bot.db").display());

        let store = open(&url).await.unwrap();
        assert!(store.claim_event("Ev1", 100).await.unwrap());
        store
            .record_feedback(&vote("a1", "U1", Verdict::NotQuite, 100))
            .await
            .unwrap();
        drop(store);

        // A fresh process must still refuse the retried event.
        let store = open(&url).await.unwrap();
        assert!(!store.claim_event("Ev1", 200).await.unwrap());
        assert!(store.claim_event("Ev2", 200).await.unwrap());
        assert_eq!(store.feedback_counts().await.unwrap(), (0, 1));
    }

    #[tokio::test]
    async fn bare_db_path_opens_the_same_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bot.db");
        let a = open(&format!("sqlite://{}", path.display())).await.unwrap();
        assert!(a.claim_event("Ev1", 1).await.unwrap());
        let b = open(path.to_str().unwrap()).await.unwrap();
        assert!(!b.claim_event("Ev1", 1).await.unwrap());
    }

    #[test]
    fn opening_twice_applies_each_migration_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bot.db");
        drop(SqliteStore::open(&path).unwrap());
        let store = SqliteStore::open(&path).unwrap();
        let expected: Vec<u32> = (1..=MIGRATIONS.len() as u32).collect();
        let mut conn = store.conn.lock().unwrap();
        assert_eq!(versions(&conn), expected);
        // And calling the migrator directly once more changes nothing.
        migrate(&mut conn, MIGRATIONS, "test").unwrap();
        assert_eq!(versions(&conn), expected);
    }

    #[test]
    fn failing_migration_names_its_version_and_leaves_nothing_behind() {
        let mut conn = Connection::open_in_memory().unwrap();
        let migrations = [
            "CREATE TABLE one (x INTEGER);",
            "CREATE TABLE two (x INTEGER); THIS IS NOT SQL;",
            "CREATE TABLE three (x INTEGER);",
        ];
        let err = migrate(&mut conn, &migrations, "test").unwrap_err();
        match err {
            StoreError::Migration { version, .. } => assert_eq!(version, 2),
            other => panic!("expected a migration error, got {other:?}"),
        }
        assert_eq!(versions(&conn), vec![1]);
        let tables: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('one', 'two', 'three')")
            .unwrap()
            .query_map([], |row| row.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        // Version 2's first statement ran but was rolled back with the rest.
        assert_eq!(tables, vec!["one".to_owned()]);
    }

    #[test]
    fn upgrading_closes_every_quiz_post_but_each_channels_latest() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn, &MIGRATIONS[..2], "test").unwrap();
        conn.execute_batch(
            "INSERT INTO quiz_posts VALUES ('C1', '2024-05-01', '2024-05-01', 'q1', '1.1', 1000, 0);
             INSERT INTO quiz_posts VALUES ('C1', '2024-05-02', '2024-05-02', 'q2', '1.2', 2000, 0);
             INSERT INTO quiz_posts VALUES ('C1', '2024-05-03', '2024-05-03', 'q3', NULL, NULL, 0);
             INSERT INTO quiz_posts VALUES ('C2', '2024-05-01', '2024-05-01', 'q1', '2.1', 1500, 0);",
        )
        .unwrap();
        migrate(&mut conn, MIGRATIONS, "test").unwrap();
        let rows: Vec<(String, String, Option<i64>, Option<i64>)> = conn
            .prepare(
                "SELECT channel_id, post_id, closes_at, closed_at FROM quiz_posts ORDER BY 1, 2",
            )
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let day = 86_400;
        assert_eq!(
            rows,
            [
                (
                    "C1".into(),
                    "2024-05-01".into(),
                    Some(1000 + day),
                    Some(1000 + day)
                ),
                ("C1".into(), "2024-05-02".into(), Some(2000 + day), None),
                ("C1".into(), "2024-05-03".into(), None, None),
                ("C2".into(), "2024-05-01".into(), Some(1500 + day), None),
            ]
        );
    }

    #[test]
    fn file_databases_use_wal() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bot.db");
        let store = SqliteStore::open(&path).unwrap();
        assert_eq!(journal_mode(&store.conn.lock().unwrap()), "wal");
        // WAL is recorded in the file, so another process sees it as well.
        let other = Connection::open(&path).unwrap();
        assert_eq!(journal_mode(&other), "wal");
        let sync: i64 = store
            .conn
            .lock()
            .unwrap()
            .query_row("PRAGMA synchronous", [], |row| row.get(0))
            .unwrap();
        assert_eq!(sync, 1, "synchronous=NORMAL");
    }

    #[tokio::test]
    async fn a_file_that_is_not_a_database_is_unavailable() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notes.db");
        // Long enough for SQLite's own header check, and too short for it,
        // where SQLite alone would overwrite the file.
        for contents in [
            "these are meeting notes, not a database\n".repeat(200),
            "x".to_owned(),
        ] {
            std::fs::write(&path, &contents).unwrap();
            let err = open(path.to_str().unwrap()).await.err().unwrap();
            match &err {
                StoreError::Unavailable(msg) => {
                    assert!(msg.contains(&path.display().to_string()), "{msg}");
                }
                other => panic!("expected Unavailable, got {other:?}"),
            }
            assert_eq!(
                std::fs::read_to_string(&path).unwrap(),
                contents,
                "file left as it was"
            );
        }
    }

    #[tokio::test]
    async fn an_empty_file_becomes_a_database() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bot.db");
        std::fs::write(&path, "").unwrap();
        let store = open(path.to_str().unwrap()).await.unwrap();
        assert!(store.claim_event("Ev1", 1).await.unwrap());
    }

    #[tokio::test]
    async fn a_missing_directory_is_unavailable() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("no-such-dir").join("bot.db");
        let err = open(&format!("sqlite://{}", path.display()))
            .await
            .err()
            .unwrap();
        match &err {
            StoreError::Unavailable(msg) => {
                assert!(msg.contains(&path.display().to_string()), "{msg}");
            }
            other => panic!("expected Unavailable, got {other:?}"),
        }
        assert!(!path.exists());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn two_replicas_on_one_file_claim_an_event_once() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("bot.db").display());
        let a = open(&url).await.unwrap();
        let b = open(&url).await.unwrap();
        let mut tasks = Vec::new();
        for i in 0..40 {
            let store = if i % 2 == 0 {
                Arc::clone(&a)
            } else {
                Arc::clone(&b)
            };
            tasks.push(tokio::spawn(async move {
                store.claim_event("EvShared", 1).await
            }));
        }
        let mut wins = 0;
        for task in tasks {
            if task.await.unwrap().unwrap() {
                wins += 1;
            }
        }
        assert_eq!(wins, 1);
    }

    #[test]
    fn errors_are_sorted_by_whether_the_database_is_usable() {
        let conn = Connection::open_in_memory().unwrap();
        let syntax = conn.execute_batch("NOT SQL").unwrap_err();
        assert!(matches!(classify("x", &syntax), StoreError::Other(_)));
        let busy = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
            None,
        );
        assert!(matches!(classify("x", &busy), StoreError::Unavailable(_)));
    }
}
