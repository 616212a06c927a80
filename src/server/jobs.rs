//! Background jobs: the quiz scheduler, the live answer counts, and upkeep.
//!
//! Each job runs under a supervisor. A job that panics is logged, counted
//! (`testscope_job_restarts_total{job}`) and started again after a pause that
//! grows with every failure in a row; once it has failed
//! [`FAILING_AFTER`] times without a good pass in between, `/readyz` names
//! it and `testscope_job_failing{job}` is 1. A job reports a good pass with
//! [`Beat::ok`], which ends the failure streak.
//!
//! Jobs end when [`Jobs::stop`] is called (graceful shutdown); the
//! supervisors run on the server's task tracker, so shutdown waits for a
//! pass in progress.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::AppState;
use crate::quiz::runner;

/// Failures in a row after which a job counts as failing.
pub const FAILING_AFTER: u32 = 3;
/// Pause before the first restart; doubles with each further failure in a row.
const RESTART_FIRST: Duration = Duration::from_millis(100);
const RESTART_MAX: Duration = Duration::from_secs(60);

/// How a job has been doing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JobHealth {
    /// Restarts after a panic since the process started.
    pub restarts: u64,
    /// Panics since the last good pass.
    pub failures_in_a_row: u32,
    /// The last panic's message.
    pub last_error: Option<String>,
}

impl JobHealth {
    pub fn is_failing(&self) -> bool {
        self.failures_in_a_row >= FAILING_AFTER
    }
}

/// The registry of running jobs, their health, and the signal that stops them.
#[derive(Clone)]
pub struct Jobs {
    health: Arc<Mutex<BTreeMap<&'static str, JobHealth>>>,
    stop: CancellationToken,
    tasks: TaskTracker,
}

/// Handed to a job so it can say a pass went well.
#[derive(Clone)]
pub struct Beat {
    health: Arc<Mutex<BTreeMap<&'static str, JobHealth>>>,
    name: &'static str,
}

impl Beat {
    /// A pass of the job completed: any failure streak is over.
    pub fn ok(&self) {
        let mut all = self.health.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(h) = all.get_mut(self.name)
            && h.failures_in_a_row > 0
        {
            h.failures_in_a_row = 0;
            metrics::gauge!("testscope_job_failing", "job" => self.name).set(0.0);
            tracing::info!(job = self.name, "background job is working again");
        }
    }
}

impl Jobs {
    /// Supervisors run on `tasks`, so whoever waits for it waits for them.
    pub fn new(tasks: TaskTracker) -> Jobs {
        Jobs {
            health: Arc::default(),
            stop: CancellationToken::new(),
            tasks,
        }
    }

    /// Asks every job to finish.
    pub fn stop(&self) {
        self.stop.cancel();
    }

    /// Runs `job` under a supervisor until [`Jobs::stop`]. `job` is called
    /// for the first run and again after each panic; it gets a [`Beat`] and
    /// the stop token, and should return once the token is cancelled.
    pub fn start<F, Fut>(&self, name: &'static str, job: F)
    where
        F: Fn(Beat, CancellationToken) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        self.lock().entry(name).or_default();
        metrics::gauge!("testscope_job_failing", "job" => name).set(0.0);
        let jobs = self.clone();
        self.tasks.spawn(async move {
            let beat = Beat {
                health: Arc::clone(&jobs.health),
                name,
            };
            loop {
                // A task of its own, so that a panic ends the run, not the
                // supervisor.
                let run = tokio::spawn(job(beat.clone(), jobs.stop.clone()));
                let error = match run.await {
                    Ok(()) => break,
                    Err(e) if e.is_panic() => panic_message(&*e.into_panic()),
                    Err(e) => e.to_string(),
                };
                let failures = jobs.record_failure(name, &error);
                if jobs.stop.is_cancelled() {
                    break;
                }
                let pause = restart_pause(failures);
                tracing::error!(
                    job = name,
                    error = %error,
                    failures_in_a_row = failures,
                    restart_in_ms = u64::try_from(pause.as_millis()).unwrap_or(u64::MAX),
                    "background job panicked; restarting it"
                );
                tokio::select! {
                    () = jobs.stop.cancelled() => break,
                    () = tokio::time::sleep(pause) => {}
                }
            }
            tracing::debug!(job = name, "background job stopped");
        });
    }

    /// Every job's health, by name.
    pub fn health(&self) -> BTreeMap<&'static str, JobHealth> {
        self.lock().clone()
    }

    fn record_failure(&self, name: &'static str, error: &str) -> u32 {
        let mut all = self.lock();
        let h = all.entry(name).or_default();
        h.restarts += 1;
        h.failures_in_a_row = h.failures_in_a_row.saturating_add(1);
        h.last_error = Some(error.chars().take(200).collect());
        metrics::counter!("testscope_job_restarts_total", "job" => name).increment(1);
        if h.is_failing() {
            metrics::gauge!("testscope_job_failing", "job" => name).set(1.0);
        }
        h.failures_in_a_row
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<&'static str, JobHealth>> {
        self.health.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn restart_pause(failures: u32) -> Duration {
    let factor = 1u32
        .checked_shl(failures.saturating_sub(1))
        .unwrap_or(u32::MAX);
    RESTART_FIRST.saturating_mul(factor).min(RESTART_MAX)
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panicked".to_owned())
}

/// Runs `pass` every `every` (the first at once) until stopped.
async fn every<F, Fut>(every: Duration, beat: &Beat, stop: &CancellationToken, mut pass: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = ()>,
{
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        tokio::select! {
            () = stop.cancelled() => return,
            _ = tick.tick() => {
                pass().await;
                beat.ok();
            }
        }
    }
}

/// How long seen event ids are kept: Slack's last retry comes about five
/// minutes after the first delivery; two hours leave a wide margin.
const EVENT_MEMORY_SECS: i64 = 2 * 60 * 60;

/// Starts the service's own jobs.
pub(super) fn start_all(state: &AppState, quiz_tick: Duration) {
    let jobs = &state.jobs;
    let s = state.clone();
    jobs.start("quiz scheduler", move |beat, stop| {
        let s = s.clone();
        async move {
            every(quiz_tick, &beat, &stop, || async {
                for (channel, outcome) in runner::tick(s.quiz_ctx(), s.clock.now(), s.quiz).await {
                    tracing::debug!(%channel, ?outcome, "quiz tick");
                }
            })
            .await;
        }
    });
    let s = state.clone();
    jobs.start("record shown advice", move |beat, stop| {
        let s = s.clone();
        async move {
            beat.ok();
            s.shown.run(&s, &stop).await;
        }
    });
    let s = state.clone();
    jobs.start("quiz live counts", move |beat, stop| {
        let s = s.clone();
        async move { s.quiz_counts.run(&s, &beat, &stop).await }
    });
    // The Prometheus recorder keeps every histogram sample until it is
    // drained; without this a server that is never scraped grows without
    // bound. Every second rather than every few: at 100,000 requests a
    // second, five seconds of samples added about 7 MB to the peak RSS.
    if let Some(metrics) = crate::telemetry::prometheus() {
        jobs.start("metrics upkeep", move |beat, stop| async move {
            every(Duration::from_secs(1), &beat, &stop, || async {
                metrics.run_upkeep();
            })
            .await;
        });
    }
    if state.slack.has_token() {
        let s = state.clone();
        jobs.start("slack token check", move |beat, stop| {
            let s = s.clone();
            async move {
                loop {
                    let again = super::health::check_token(&s).await;
                    beat.ok();
                    tokio::select! {
                        () = stop.cancelled() => return,
                        () = tokio::time::sleep(again) => {}
                    }
                }
            }
        });
    }
    let s = state.clone();
    jobs.start("store heartbeat", move |beat, stop| {
        let s = s.clone();
        async move {
            every(super::health::HEARTBEAT_EVERY, &beat, &stop, || async {
                let _ = super::health::store_heartbeat(&s).await;
            })
            .await;
        }
    });
    let s = state.clone();
    jobs.start("prune seen events", move |beat, stop| {
        let s = s.clone();
        async move {
            every(Duration::from_secs(600), &beat, &stop, || async {
                let before = s.clock.now() - EVENT_MEMORY_SECS;
                match s.store.prune_events(before).await {
                    Ok(n) if n > 0 => tracing::info!(removed = n, "pruned seen event ids"),
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "could not prune seen event ids"),
                }
            })
            .await;
        }
    });
    let s = state.clone();
    jobs.start("purge old advice and feedback", move |beat, stop| {
        let s = s.clone();
        async move {
            every(Duration::from_secs(600), &beat, &stop, || purge_advice(&s)).await;
        }
    });
}

/// Forgets answers not shown for [`super::shown::KEPT_SECS`] (their
/// question text goes, and their buttons say the answer expired) and
/// "Not quite" reports older than the feedback retention.
pub(super) async fn purge_advice(state: &AppState) {
    let now = state.clock.now();
    match state.store.purge_shown(now - super::shown::KEPT_SECS).await {
        Ok(n) if n > 0 => tracing::info!(removed = n, "purged advice no longer shown"),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "could not purge old advice"),
    }
    let kept = i64::try_from(state.feedback_retention.as_secs()).unwrap_or(i64::MAX);
    match state.store.purge_misses(now.saturating_sub(kept)).await {
        Ok(n) if n > 0 => tracing::info!(removed = n, "purged feedback past its retention"),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "could not purge old feedback"),
    }
}

/// How long answers are gathered before a post's count is rewritten.
const REFRESH_DELAY: Duration = Duration::from_millis(1500);

/// Requests to rewrite quiz posts with their current answer count. A burst
/// of answers costs one `chat.update` per post, well under Slack's
/// per-method rate limits however many people click.
pub struct CountRefresh {
    /// `(channel, post_id)` with a rewrite requested and not yet started;
    /// at most one request per post is queued, so the queue stays as small
    /// as the number of open posts.
    pending: Mutex<HashSet<(String, String)>>,
    tx: mpsc::UnboundedSender<(String, String)>,
    /// Kept outside the job so a restarted job finds the queued requests.
    rx: tokio::sync::Mutex<mpsc::UnboundedReceiver<(String, String)>>,
}

impl Default for CountRefresh {
    fn default() -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        CountRefresh {
            pending: Mutex::default(),
            tx,
            rx: tokio::sync::Mutex::new(rx),
        }
    }
}

impl CountRefresh {
    /// Asks for `post_id`'s count to be rewritten soon.
    pub fn request(&self, channel: String, post_id: String) {
        let key = (channel, post_id);
        let first = self
            .pending
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key.clone());
        if first {
            // The receiver lives as long as `self`, so this cannot fail.
            let _ = self.tx.send(key);
        }
    }

    async fn run(&self, state: &AppState, beat: &Beat, stop: &CancellationToken) {
        let mut rx = self.rx.lock().await;
        loop {
            let first = tokio::select! {
                () = stop.cancelled() => return,
                next = rx.recv() => match next {
                    Some(key) => key,
                    None => return,
                },
            };
            let mut due = BTreeSet::from([first]);
            let window = tokio::time::sleep(REFRESH_DELAY);
            tokio::pin!(window);
            loop {
                tokio::select! {
                    () = &mut window => break,
                    Some(key) = rx.recv() => { due.insert(key); }
                }
            }
            {
                // Clicks from now on ask for a fresh rewrite.
                let mut pending = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
                for key in &due {
                    pending.remove(key);
                }
            }
            for (channel, post_id) in &due {
                runner::refresh_count(state.quiz_ctx(), channel, post_id).await;
            }
            beat.ok();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[tokio::test]
    async fn a_panicking_job_is_restarted_and_recovers() {
        let tasks = TaskTracker::new();
        let jobs = Jobs::new(tasks.clone());
        let runs = Arc::new(AtomicU32::new(0));
        let r = Arc::clone(&runs);
        jobs.start("flaky", move |beat, stop| {
            let n = r.fetch_add(1, Ordering::SeqCst);
            async move {
                assert!(n >= 4, "run {n} fails");
                beat.ok();
                stop.cancelled().await;
            }
        });
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while runs.load(Ordering::SeqCst) < 5 {
            assert!(tokio::time::Instant::now() < deadline, "not restarted");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        let h = jobs.health()["flaky"].clone();
        assert_eq!(h.restarts, 4);
        assert_eq!(h.failures_in_a_row, 0, "a good pass ends the streak");
        assert!(h.last_error.unwrap().contains("run 3 fails"));
        jobs.stop();
        tasks.close();
        tokio::time::timeout(Duration::from_secs(2), tasks.wait())
            .await
            .expect("the supervisor ends on stop");
    }

    #[test]
    fn restarts_back_off_up_to_a_minute() {
        assert_eq!(restart_pause(1), Duration::from_millis(100));
        assert_eq!(restart_pause(2), Duration::from_millis(200));
        assert_eq!(restart_pause(40), RESTART_MAX);
    }
}
