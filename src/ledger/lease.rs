//! A run's hold on its job. On a local ledger that is a file lock (`lock.rs`); on a shared one
//! it is a lease in the database: holder, epoch and expiry by the database's clock, renewed
//! every ttl/4. Every ledger write of the run is fenced by it (see `Store::write`); before each
//! delivering rename the lease must still be certainly held by the local clock, and before each
//! source after-action the database must confirm it with at least half the ttl to run. A run
//! that cannot renew in time fences itself: its token is cancelled with exit 5, so in-flight
//! transfers stop and nothing more is renamed or archived.

use super::{Fence, Ledger};
use crate::error::{Error, ErrorKind, Result};
use crate::exec::cancel::Cancel;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

/// Held for as long as the run lives: dropping it lets the job go.
pub enum Guard {
    Local(crate::lock::JobLock),
    Lease(Arc<Lease>),
}

impl Guard {
    /// Take `job` for this run: the shared ledger's lease, or else the local lock in `locks`.
    /// Held elsewhere: `ErrorKind::Locked`, naming the holder.
    pub async fn take(ledger: Option<&Arc<Ledger>>, locks: &std::path::Path, job: &str, ttl: Duration, cancel: &Cancel) -> Result<Guard> {
        match ledger {
            Some(l) if l.is_shared() => Lease::take(l, job, ttl, cancel.clone()).await.map(Guard::Lease),
            _ => crate::lock::acquire(locks, job).map(Guard::Local),
        }
    }

    pub fn lease(&self) -> Option<&Arc<Lease>> {
        match self {
            Guard::Lease(l) => Some(l),
            Guard::Local(_) => None,
        }
    }
}

pub struct Lease {
    ledger: Arc<Ledger>,
    fence: Fence,
    ttl: Duration,
    /// Until when the lease is certainly ours by the local monotonic clock: the send time of
    /// the last successful renewal plus the ttl, less a tenth for clock-rate differences.
    valid_until: Mutex<Instant>,
    lost: AtomicBool,
    cancel: Cancel,
    renewer: Mutex<Option<tokio::task::JoinHandle<()>>>,
}

impl std::fmt::Debug for Lease {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Lease({} epoch {})", self.fence.job, self.fence.epoch)
    }
}

/// Run a blocking ledger call off the async threads.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(f).await.map_err(|e| Error::new(ErrorKind::Io, format!("ledger task failed: {e}")))?
}

impl Lease {
    /// Take `job`'s lease for `ttl` (free or expired only), fence the ledger's writes with it and
    /// start renewing it; `cancel` is the run's token, stopped if the lease is lost.
    pub async fn take(ledger: &Arc<Ledger>, job: &str, ttl: Duration, cancel: Cancel) -> Result<Arc<Lease>> {
        let holder = format!("{}:{}:{:016x}", crate::metrics::hostname(), std::process::id(), fastrand::u64(..));
        let sent = Instant::now();
        let (l, j, h) = (ledger.clone(), job.to_string(), holder.clone());
        let epoch = match blocking(move || l.with_shared(|s| s.take(&j, &h, ttl))).await? {
            Ok(epoch) => epoch,
            Err(h) => return Err(Error::new(ErrorKind::Locked, format!("job {job:?} is already running ({h}); this run did nothing"))),
        };
        let fence = Fence { job: job.to_string(), holder, epoch };
        ledger.set_fence(job, Some(fence.clone()))?;
        tracing::debug!(job, epoch, ttl_s = ttl.as_secs_f64(), "lease taken");
        let lease = Arc::new(Lease {
            ledger: ledger.clone(),
            fence,
            ttl,
            valid_until: Mutex::new(sent + ttl - ttl / 10),
            lost: AtomicBool::new(false),
            cancel,
            renewer: Mutex::new(None),
        });
        let renewer = tokio::spawn(renew(Arc::downgrade(&lease)));
        *lease.renewer.lock().unwrap_or_else(|e| e.into_inner()) = Some(renewer);
        Ok(lease)
    }

    pub fn epoch(&self) -> i64 {
        self.fence.epoch
    }

    /// Stop the run: the lease is (or may be) someone else's now.
    fn fence_off(&self, why: &str) {
        if !self.lost.swap(true, Ordering::SeqCst) {
            tracing::error!(job = %self.fence.job, epoch = self.fence.epoch, "{why}: stopping this run; nothing more is renamed or archived");
            self.cancel.fence();
        }
    }

    fn lost_error(&self) -> Error {
        Error::new(ErrorKind::Locked, format!("job {:?}: this run no longer holds its lease; not renamed", self.fence.job))
    }

    /// Before a delivering rename: the lease must be certainly ours by the local clock.
    pub fn check(&self) -> Result<()> {
        if !self.lost.load(Ordering::SeqCst) && Instant::now() < *self.valid_until.lock().unwrap_or_else(|e| e.into_inner()) {
            return Ok(());
        }
        self.fence_off("lease expired before it could be renewed");
        Err(self.lost_error())
    }

    /// Before a source after-action (blocking): the settled outcomes are written through the
    /// fence, and the database confirms the lease with at least half its ttl to run.
    pub fn confirm(&self) -> Result<()> {
        self.check()?;
        self.ledger.flush()?;
        if self.ledger.with_shared(|s| s.confirm(&self.fence, self.ttl / 2))? {
            return Ok(());
        }
        self.fence_off("lease lost or about to expire");
        Err(Error::new(ErrorKind::Locked, format!("job {:?}: this run no longer holds its lease; the source is kept", self.fence.job)))
    }

    /// One renewal: `Ok(true)` renewed, `Ok(false)` lost to another holder.
    fn renew_once(&self) -> Result<bool> {
        let sent = Instant::now();
        let ok = self.ledger.with_shared(|s| s.renew(&self.fence, self.ttl))?;
        if ok {
            *self.valid_until.lock().unwrap_or_else(|e| e.into_inner()) = sent + self.ttl - self.ttl / 10;
        }
        Ok(ok)
    }
}

/// Renew every ttl/4 until the lease is dropped or lost. A database that does not answer is
/// retried; once the lease may have run out by the local clock, the run fences itself.
async fn renew(lease: Weak<Lease>) {
    let every = match lease.upgrade() {
        Some(l) => l.ttl / 4,
        None => return,
    };
    loop {
        tokio::time::sleep(every).await;
        let Some(l) = lease.upgrade() else { return };
        if l.lost.load(Ordering::SeqCst) {
            return;
        }
        let l2 = l.clone();
        match blocking(move || l2.renew_once()).await {
            Ok(true) => {}
            Ok(false) => {
                l.fence_off("lease taken over by another holder");
                return;
            }
            Err(e) => {
                tracing::warn!(job = %l.fence.job, error = %e, "cannot renew the job lease; retrying");
                if l.check().is_err() {
                    return;
                }
            }
        }
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        if let Some(r) = self.renewer.lock().unwrap_or_else(|e| e.into_inner()).take() {
            r.abort();
        }
        let _ = self.ledger.set_fence(&self.fence.job, None);
        if !self.lost.load(Ordering::SeqCst)
            && let Err(e) = self.ledger.with_shared(|s| s.release(&self.fence))
        {
            tracing::warn!(job = %self.fence.job, error = %e, "cannot release the job lease; it expires on its own");
        }
    }
}
