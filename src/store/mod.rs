//! Durable state for the bot: which Events API deliveries have already been
//! handled, and the Helpful / Not quite votes people leave on advice.
//!
//! The rest of the service talks to the [`Store`] trait only, so the backend
//! can change (embedded SQLite for a single instance, PostgreSQL for several
//! replicas) without touching the handlers. [`open`] picks the backend from a
//! URL.

pub mod postgres;
pub mod sqlite;

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;

use async_trait::async_trait;

/// What the service needs to remember between requests and across restarts.
///
/// Every method may be called concurrently from many tasks; implementations
/// do their own synchronisation and never block the async runtime.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Records that an Events API delivery was seen. Returns `true` the first
    /// time `event_id` is claimed and `false` for every later claim (a Slack
    /// retry, or a second replica racing for the same delivery).
    ///
    /// The check and the insert are one atomic statement, so of any number of
    /// concurrent claims for one id exactly one wins. `now` is unix seconds
    /// and is what [`Store::prune_events`] compares against.
    async fn claim_event(&self, event_id: &str, now: i64) -> Result<bool, StoreError>;

    /// Deletes seen-event records whose claim time is strictly older than
    /// `before` (unix seconds) and returns how many were deleted. Once pruned,
    /// an id can be claimed again, so callers keep records for well past
    /// Slack's retry window (the service keeps them at least an hour).
    async fn prune_events(&self, before: i64) -> Result<u64, StoreError>;

    /// Stores a Helpful / Not quite click. There is one vote per
    /// `(advice_id, user_id)`: a later click by the same user on the same
    /// advice replaces the earlier one. A click whose `at` is older than the
    /// stored vote's is ignored, so a delayed or retried delivery of an old
    /// click cannot undo a newer one; with equal `at` the later call wins.
    async fn record_feedback(&self, feedback: &Feedback) -> Result<(), StoreError>;

    /// Remembers questions as they were answered with buttons, each under
    /// its answer's `id`, so a button acts on what the person saw. All rows
    /// are written in one transaction. Saving an id again moves its
    /// `shown_at` forward (the same id is the same question and answer).
    async fn save_shown(&self, rows: &[ShownQuestion]) -> Result<(), StoreError>;

    /// The question answered under `id`, unless it was never saved or has
    /// been purged.
    async fn shown_question(&self, id: &str) -> Result<Option<ShownQuestion>, StoreError>;

    /// Deletes questions last shown strictly before `before` (unix seconds);
    /// returns how many rows went.
    async fn purge_shown(&self, before: i64) -> Result<u64, StoreError>;

    /// Stores what someone said an answer should have been ("Not quite",
    /// then the form). One report per person and answer: a second one
    /// replaces the first.
    async fn record_miss(&self, miss: &MissReport) -> Result<(), StoreError>;

    /// Reports made at or after `since` (unix seconds), newest first.
    async fn misses(&self, since: i64) -> Result<Vec<MissReport>, StoreError>;

    /// Deletes reports made strictly before `before`; returns how many.
    async fn purge_misses(&self, before: i64) -> Result<u64, StoreError>;

    /// Every stored Helpful / Not quite vote, for rates per rule.
    async fn feedback_votes(&self) -> Result<Vec<Feedback>, StoreError>;

    /// Current vote totals across all advice, as `(helpful, not_quite)`.
    async fn feedback_counts(&self) -> Result<(u64, u64), StoreError>;

    /// Proves the backend takes writes, for `/readyz`: rewrites one
    /// heartbeat row. Reads alone would pass on a read-only file, a standby
    /// or a full disk.
    async fn ping(&self) -> Result<(), StoreError>;

    /// Subscribes a channel to the daily quiz, replacing its schedule if it
    /// was subscribed already. A paused subscription is resumed.
    async fn upsert_subscription(&self, sub: &Subscription) -> Result<(), StoreError>;

    /// Unsubscribes a channel (and forgets a pause); returns whether it was
    /// subscribed.
    async fn remove_subscription(&self, channel_id: &str) -> Result<bool, StoreError>;

    /// Pauses a subscribed channel's quiz because Slack refuses it for good
    /// (`reason` is Slack's error code). Returns `true` only for the call
    /// that paused it, so of racing replicas exactly one tells people.
    /// Subscribing again resumes it.
    async fn pause_subscription(
        &self,
        channel_id: &str,
        reason: &str,
        now: i64,
    ) -> Result<bool, StoreError>;

    /// Pauses every subscription of workspace `team_id`, and those the
    /// operator configured (whose team is unknown, so empty): the app was
    /// uninstalled or its token revoked. Returns how many were paused now.
    async fn pause_team(&self, team_id: &str, reason: &str, now: i64) -> Result<u64, StoreError>;

    /// Paused channels and why, by channel.
    async fn paused_subscriptions(&self) -> Result<Vec<(String, String)>, StoreError>;

    /// Every subscribed channel.
    async fn subscriptions(&self) -> Result<Vec<Subscription>, StoreError>;

    /// Claims the right to post a channel's quiz `post_id` (its local date,
    /// or `date#n` for a forced extra post). Exactly one caller wins a fresh
    /// claim; a claim whose lease ran out without a post (a crash, a failed
    /// post) can be taken over, keeping the question chosen first.
    async fn claim_quiz_post(&self, claim: &PostClaim, now: i64) -> Result<Claim, StoreError>;

    /// Records that the claimed post went out as Slack message `ts`; it takes
    /// answers until `closes_at` (unix seconds, the end of its local day)
    /// unless [`Store::close_quiz_post`] closes it first.
    async fn mark_quiz_posted(
        &self,
        channel_id: &str,
        post_id: &str,
        ts: &str,
        now: i64,
        closes_at: i64,
    ) -> Result<(), StoreError>;

    /// Closes a posted quiz to answers. Returns `true` only for the call
    /// that closed it, so of several replicas exactly one rewrites the
    /// Slack message.
    async fn close_quiz_post(
        &self,
        channel_id: &str,
        post_id: &str,
        now: i64,
    ) -> Result<bool, StoreError>;

    /// Posted quizzes, in every channel, whose day ended by `now` but which
    /// were not closed yet; oldest first.
    async fn quiz_posts_to_close(&self, now: i64) -> Result<Vec<QuizPost>, StoreError>;

    /// Gives up a claim after a failed post; it can be retaken from `retry_at`.
    async fn release_quiz_claim(
        &self,
        channel_id: &str,
        post_id: &str,
        retry_at: i64,
    ) -> Result<(), StoreError>;

    /// A channel's quiz posts (claimed or posted), oldest first.
    async fn quiz_posts(&self, channel_id: &str) -> Result<Vec<QuizPost>, StoreError>;

    /// Claimed posts that have no Slack message yet, in every channel, for
    /// local days from `since` (`YYYY-MM-DD`) on: the ones a tick may have
    /// to retry. One read for all channels, so a tick does not read every
    /// subscribed channel's posts to find the few that failed.
    async fn unposted_quiz_posts(&self, since: &str) -> Result<Vec<QuizPost>, StoreError>;

    /// Records a person's answer to a posted question. Only the first answer
    /// per person and post counts; a later click returns the one locked in.
    /// The check that the post exists, is posted, asks `question_id` and is
    /// still open at `answered_at` is part of the same statement as the
    /// insert, so a forged or late click is never stored
    /// ([`AnswerOutcome::NotOpen`]).
    async fn record_quiz_answer(&self, answer: &QuizAnswer) -> Result<AnswerOutcome, StoreError>;

    /// Every answer given in a channel, oldest first.
    async fn quiz_answers(&self, channel_id: &str) -> Result<Vec<QuizAnswer>, StoreError>;
}

/// A channel's quiz subscription. `schedule` is the text form of
/// [`crate::quiz::schedule::Schedule`] (`09:00 Europe/Berlin mon-fri`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub channel_id: String,
    pub team_id: String,
    pub schedule: String,
    /// `slack` (a `/testscope quiz daily` command) or `config` (the operator's
    /// TESTSCOPE_QUIZ_CHANNELS).
    pub source: String,
    pub created_by: Option<String>,
    pub created_at: i64,
}

/// A request to post one quiz.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostClaim {
    pub channel_id: String,
    pub post_id: String,
    /// `YYYY-MM-DD` in the channel's time zone.
    pub local_date: String,
    /// The question to post if this claim is the first one.
    pub question_id: String,
    /// How long the claimer may take before someone else may take over.
    pub lease_secs: i64,
}

/// The outcome of [`Store::claim_quiz_post`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// Go ahead and post this question.
    Claimed { question_id: String },
    /// Already posted: nothing to do.
    AlreadyPosted,
    /// Someone else holds a live claim.
    Busy,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuizPost {
    pub channel_id: String,
    pub post_id: String,
    pub local_date: String,
    pub question_id: String,
    /// The Slack message, once posted.
    pub message_ts: Option<String>,
    pub posted_at: Option<i64>,
    /// When the post stops taking answers at the latest (its day's end).
    pub closes_at: Option<i64>,
    /// When it was closed (by the next post, or at `closes_at`).
    pub closed_at: Option<i64>,
}

impl QuizPost {
    /// Whether a click at `now` may still be scored, as far as this row
    /// knows (a later post closes it too).
    pub fn is_open(&self, now: i64) -> bool {
        self.message_ts.is_some()
            && self.closed_at.is_none()
            && self.closes_at.is_none_or(|at| now < at)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuizAnswer {
    pub channel_id: String,
    pub post_id: String,
    pub question_id: String,
    pub user_id: String,
    pub option: u32,
    pub correct: bool,
    pub answered_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerOutcome {
    Recorded,
    /// The person had answered already; this is the answer that counts.
    AlreadyAnswered(QuizAnswer),
    /// No open post in the store matches: it does not exist, was not
    /// posted, asks another question, or has closed. Nothing was stored.
    NotOpen,
}

/// A question answered with buttons: what the buttons act on. The answer
/// itself is not kept: a click advises on the question again and acts only
/// if that gives the answer shown (its id is a hash of the question and the
/// message), so a changed knowledge base cannot make a button act on advice
/// nobody saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownQuestion {
    /// The id carried in the buttons' value.
    pub id: String,
    /// The question as the person typed it (the whole of it, not cut).
    pub question: String,
    /// Where the answer was shown (`message` or `thread`), which words its
    /// "what was read" line and so its id.
    pub shown_in: String,
    /// When it was last shown, unix seconds; purging counts from here.
    pub shown_at: i64,
}

/// What someone said an answer should have been, with the answer given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissReport {
    /// The answer's id ([`ShownQuestion::id`]).
    pub advice_id: String,
    pub team_id: String,
    pub channel_id: String,
    pub user_id: String,
    /// The question, kept because the person sent it as feedback.
    pub question: String,
    pub given_scope: Option<String>,
    pub given_stages: Vec<String>,
    pub given_rules: Vec<String>,
    pub expected_scope: Option<String>,
    pub expected_stage: Option<String>,
    pub comment: Option<String>,
    /// When it was sent, unix seconds.
    pub at: i64,
}

/// One click on a Helpful / Not quite button.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feedback {
    /// Opaque id the bot put in the button value; identifies one piece of advice.
    pub advice_id: String,
    pub team_id: String,
    pub user_id: String,
    pub channel_id: String,
    pub verdict: Verdict,
    /// The scope the advice recommended, if it named one.
    pub primary_scope: Option<String>,
    /// Ids of the rules that produced the advice.
    pub rules: Vec<String>,
    /// When the click happened, unix seconds.
    pub at: i64,
}

/// The two buttons under a piece of advice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Verdict {
    Helpful,
    NotQuite,
}

impl Verdict {
    /// Stable spelling used in storage and button values. Changing these
    /// would orphan rows already written, so treat them as a wire format.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Helpful => "helpful",
            Verdict::NotQuite => "not_quite",
        }
    }

    /// Inverse of [`Verdict::as_str`]; `None` for anything else.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "helpful" => Some(Verdict::Helpful),
            "not_quite" => Some(Verdict::NotQuite),
            _ => None,
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Verdict {
    type Err = StoreError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Verdict::parse(s).ok_or_else(|| StoreError::Other(format!("unknown verdict {s:?}")))
    }
}

/// Why a storage call failed.
///
/// Messages carry file paths and backend error text but never credentials:
/// URLs are not echoed back, since a database URL may embed a password.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The backend cannot be reached or used right now: it cannot be opened
    /// or connected to, the disk failed or is full, or it stayed locked
    /// longer than the busy timeout. Usually worth reporting as not ready.
    #[error("storage unavailable: {0}")]
    Unavailable(String),
    /// Bringing the schema up to date failed at `version`; nothing of that
    /// version was applied.
    #[error("storage migration {version} failed: {detail}")]
    Migration { version: u32, detail: String },
    /// Anything else, including a store URL that cannot be used.
    #[error("storage error: {0}")]
    Other(String),
}

/// Opens the store named by `url` and brings its schema up to date.
///
/// Accepted forms:
/// - `sqlite://path/to/file.db` (relative) or `sqlite:///abs/path/file.db`
/// - `sqlite:path/to/file.db`
/// - `sqlite::memory:` (a private in-memory database, gone when dropped)
/// - a bare path ending in `.db`
/// - `postgres://user:password@host:port/dbname?sslmode=require` (or
///   `postgresql://`), with libpq's URL parameters as tokio-postgres reads
///   them; see [`postgres`] for pooling, timeouts and TLS
///
/// A SQLite file is created if missing, but its directory must already
/// exist. A PostgreSQL database must exist; its tables are created.
pub async fn open(url: &str) -> Result<Arc<dyn Store>, StoreError> {
    let target = parse_url(url)?;
    if let Target::Postgres(url) = target {
        let store = postgres::PostgresStore::connect(&url.0).await?;
        return Ok(Arc::new(store));
    }
    // Opening and migrating touch the disk, so keep them off the async workers.
    let store = tokio::task::spawn_blocking(move || match target {
        Target::SqliteMemory => sqlite::SqliteStore::open_in_memory(),
        Target::SqliteFile(path) => sqlite::SqliteStore::open(&path),
        Target::Postgres(_) => unreachable!("handled above"),
    })
    .await
    .map_err(|e| StoreError::Other(format!("opening the store did not complete: {e}")))??;
    Ok(Arc::new(store))
}

/// Where a store URL points.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    SqliteMemory,
    SqliteFile(PathBuf),
    Postgres(SecretUrl),
}

/// A database URL, which may embed a password: its `Debug` form shows only
/// the scheme.
#[derive(PartialEq, Eq)]
struct SecretUrl(String);

impl fmt::Debug for SecretUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = self.0.split_once("://").map_or("?", |(scheme, _)| scheme);
        write!(f, "SecretUrl({scheme}://...)")
    }
}

fn parse_url(url: &str) -> Result<Target, StoreError> {
    let url = url.trim();
    if url.is_empty() {
        return Err(StoreError::Other("store URL is empty".to_owned()));
    }
    if matches!(url, "sqlite::memory:" | "sqlite://:memory:" | ":memory:") {
        return Ok(Target::SqliteMemory);
    }
    if let Some(rest) = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
    {
        if rest.is_empty() {
            return Err(StoreError::Other(
                "sqlite store URL has no path; expected sqlite://path/to/file.db".to_owned(),
            ));
        }
        // Query options (sqlx-style `?mode=rwc`) are not interpreted; refusing
        // them beats silently creating a file with `?` in its name.
        if rest.contains('?') {
            return Err(StoreError::Other(
                "sqlite store URL options (`?...`) are not supported; give just the path"
                    .to_owned(),
            ));
        }
        return Ok(Target::SqliteFile(PathBuf::from(rest)));
    }
    // Only the scheme is quoted back: the rest of a URL may hold a password.
    if let Some((scheme, rest)) = url.split_once("://") {
        let scheme = scheme.to_ascii_lowercase();
        if scheme == "postgres" || scheme == "postgresql" {
            // tokio-postgres only knows the lower-case spelling.
            return Ok(Target::Postgres(SecretUrl(format!("{scheme}://{rest}"))));
        }
        return Err(StoreError::Other(format!(
            "unsupported store URL scheme {scheme:?}; expected sqlite://path/to/file.db \
             or postgres://..."
        )));
    }
    if url.ends_with(".db") {
        return Ok(Target::SqliteFile(PathBuf::from(url)));
    }
    Err(StoreError::Other(
        "unrecognised store URL; expected sqlite://path/to/file.db, sqlite::memory:, \
         a path ending in .db, or postgres://..."
            .to_owned(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdict_round_trips_through_its_string_form() {
        for v in [Verdict::Helpful, Verdict::NotQuite] {
            assert_eq!(Verdict::parse(v.as_str()), Some(v));
            assert_eq!(v.to_string().parse::<Verdict>().ok(), Some(v));
        }
        assert_eq!(Verdict::parse("Helpful"), None);
        assert!("maybe".parse::<Verdict>().is_err());
    }

    #[test]
    fn sqlite_url_forms() {
        let file = |p: &str| Ok::<_, ()>(Target::SqliteFile(PathBuf::from(p)));
        let parse = |u: &str| parse_url(u).map_err(|_| ());
        assert_eq!(parse("sqlite://data/bot.db"), file("data/bot.db"));
        assert_eq!(parse("sqlite:///var/lib/bot.db"), file("/var/lib/bot.db"));
        assert_eq!(parse("sqlite:bot.db"), file("bot.db"));
        assert_eq!(parse("  ./state/bot.db "), file("./state/bot.db"));
        assert_eq!(parse("sqlite::memory:"), Ok(Target::SqliteMemory));
        assert_eq!(parse("sqlite://:memory:"), Ok(Target::SqliteMemory));
    }

    #[test]
    fn unusable_urls_are_refused_without_echoing_them() {
        for url in [
            "",
            "sqlite://",
            "sqlite://x.db?mode=rwc",
            "mysql://admin:hunter2@db/x",
            "hunter2-no-scheme",
        ] {
            let err = parse_url(url).expect_err(url);
            assert!(matches!(err, StoreError::Other(_)), "{url}: {err:?}");
            assert!(!err.to_string().contains("hunter2"), "{err}");
        }
    }

    #[test]
    fn postgres_urls_select_postgres_and_never_show_the_password() {
        for url in [
            "postgres://bot:s3cret@db.internal/testscope",
            "postgresql://bot:s3cret@db.internal/testscope?sslmode=require",
            "  POSTGRES://bot:s3cret@db.internal/testscope ",
        ] {
            let target = parse_url(url).expect(url);
            assert!(matches!(target, Target::Postgres(_)), "{url}");
            let debug = format!("{target:?}");
            assert!(!debug.contains("s3cret"), "{debug}");
        }
    }

    #[tokio::test]
    async fn unusable_postgres_urls_are_refused_before_connecting() {
        // Each is rejected while parsing, so no connection is attempted.
        for url in [
            "postgres://bot:s3cret@db.internal/testscope?sslmode=bogus",
            "postgres://bot:s3cret@db.internal/testscope?no_such_option=1",
            "postgresql://bot:s3cret@db.internal:notaport/testscope",
        ] {
            let err = open(url).await.err().expect(url);
            assert!(matches!(err, StoreError::Other(_)), "{url}: {err:?}");
            let msg = err.to_string();
            assert!(msg.contains("PostgreSQL"), "{msg}");
            assert!(!msg.contains("s3cret"), "{msg}");
        }
    }
}
