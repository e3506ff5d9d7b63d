//! Cooperative cancellation: the signal handlers and the `--max-time` timer set it, transfers
//! check it between chunks, and the executor stops starting new work.

use crate::error::{Error, ErrorKind};
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};

/// Set once by SIGINT, SIGTERM or the run's time limit; cheap to check in hot loops. A child
/// token (one job's run) also reports what its parent (the whole command) was stopped by.
#[derive(Clone, Default)]
pub struct Cancel(Arc<AtomicU8>, Option<Arc<AtomicU8>>);

/// How long a run stopped by its time limit may take to wind down (stop streams, keep partials,
/// write its report) before it is cut off.
pub const WIND_DOWN: std::time::Duration = std::time::Duration::from_secs(3);

const NONE: u8 = 0;
const INT: u8 = 1;
const TERM: u8 = 2;
const TIME: u8 = 3;
const FENCED: u8 = 4;

impl Cancel {
    pub fn new() -> Self {
        Self::default()
    }

    /// Mark the run interrupted (SIGINT) or terminated (SIGTERM); the first signal wins.
    pub fn trigger(&self, terminated: bool) {
        let v = if terminated { TERM } else { INT };
        let _ = self.0.compare_exchange(NONE, v, Ordering::SeqCst, Ordering::SeqCst);
    }

    /// Stop the run because its time limit passed (exit 8); a signal that came first wins.
    pub fn time_limit(&self, limit: std::time::Duration) {
        if self.0.compare_exchange(NONE, TIME, Ordering::SeqCst, Ordering::SeqCst).is_ok() {
            tracing::warn!(
                seconds = limit.as_secs_f64(),
                "time limit reached: stopping in-flight transfers, keeping partial files for resume"
            );
        }
    }

    /// Stop the run because it lost its job lease to another holder (exit 5): it must rename and
    /// archive nothing more. Wins over nothing: a signal or time limit that came first stands,
    /// and either one stops the run just the same.
    pub fn fence(&self) {
        let _ = self.0.compare_exchange(NONE, FENCED, Ordering::SeqCst, Ordering::SeqCst);
    }

    /// Start a timer that calls `time_limit` after `limit`.
    pub fn arm_time_limit(&self, limit: std::time::Duration) -> tokio::task::JoinHandle<()> {
        let c = self.clone();
        tokio::spawn(async move {
            tokio::time::sleep(limit).await;
            c.time_limit(limit);
        })
    }

    /// A token for one part of the run (a job under `max_duration`): stopping it leaves the
    /// rest of the run alone; stopping the run stops it too.
    pub fn child(&self) -> Cancel {
        Cancel(Arc::default(), Some(self.0.clone()))
    }

    /// Run `work` under a time limit: at `limit` this token is stopped as on SIGTERM (exit 8),
    /// and work that has not wound down `WIND_DOWN` later is dropped with a time-limit error.
    pub async fn bounded<T>(
        &self,
        limit: std::time::Duration,
        work: impl std::future::Future<Output = crate::error::Result<T>>,
    ) -> crate::error::Result<T> {
        let timer = self.arm_time_limit(limit);
        let r = tokio::time::timeout(limit + WIND_DOWN, work).await;
        timer.abort();
        r.unwrap_or_else(|_| Err(Error::new(ErrorKind::TimeLimit, "stopped: the time limit (--max-time / max_duration) was reached")))
    }

    fn state(&self) -> u8 {
        match self.0.load(Ordering::Relaxed) {
            NONE => self.1.as_ref().map_or(NONE, |p| p.load(Ordering::Relaxed)),
            own => own,
        }
    }

    pub fn is_cancelled(&self) -> bool {
        self.state() != NONE
    }

    /// The error a cancelled step reports, or `None` while the run goes on.
    pub fn error(&self) -> Option<Error> {
        match self.state() {
            INT => Some(Error::new(ErrorKind::Interrupted, "interrupted (SIGINT)")),
            TERM => Some(Error::new(ErrorKind::Terminated, "terminated (SIGTERM)")),
            TIME => Some(Error::new(ErrorKind::TimeLimit, "stopped: the time limit (--max-time / max_duration) was reached")),
            FENCED => Some(Error::new(ErrorKind::Locked, "stopped: this run lost its job lease to another holder")),
            _ => None,
        }
    }

    /// Install SIGINT/SIGTERM handlers that trigger this token.
    pub fn install_signal_handlers(&self) {
        let c = self.clone();
        tokio::spawn(async move {
            use tokio::signal::unix::{SignalKind, signal};
            let (Ok(mut int), Ok(mut term)) = (signal(SignalKind::interrupt()), signal(SignalKind::terminate())) else {
                return;
            };
            loop {
                tokio::select! {
                    _ = int.recv() => { tracing::warn!("SIGINT received: stopping in-flight transfers, keeping partial files for resume"); c.trigger(false) }
                    _ = term.recv() => { tracing::warn!("SIGTERM received: stopping in-flight transfers, keeping partial files for resume"); c.trigger(true) }
                }
            }
        });
    }
}
