//! The transfer ledger: one row per transfer of a job, behind one `Store` trait with two
//! implementations — an embedded SQLite file (the default, one host) and PostgreSQL (shared by
//! several hosts, with job leases). It powers `once: true` (a source file — path, size, mtime —
//! is fetched exactly once, even after the local copy is consumed), `ferry history`, cached
//! checksums, monitoring and audits. It knows nothing about protocols.
//!
//! This module holds what both stores share: the records, where a ledger lives (`Location`),
//! and `Ledger`, which batches writes (group commit, deferred outcomes) and fences them with the
//! run's lease before handing them to the store.

mod lease;
mod postgres;
mod sqlite;

use crate::error::{Error, ErrorKind, Result};
use chrono::{DateTime, Utc};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Mutex;

pub use lease::{Guard, Lease};

/// One transfer.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Record {
    pub job: String,
    pub direction: String,
    /// The source endpoint (URL without secrets, or local path).
    pub source: String,
    /// The file's path below the source root.
    pub path: String,
    pub size: u64,
    /// Source mtime in nanoseconds since the epoch, as listed.
    pub mtime_ns: Option<i64>,
    pub sha256: Option<String>,
    pub target: String,
    pub target_path: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    pub bytes: u64,
    pub outcome: String,
}

/// The last run of a job, as `ferry status` and the metrics show it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RunRecord {
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    pub exit_code: u8,
    /// The exit code's name (`ok`, `partial`, `connect`, …).
    pub outcome: String,
    pub files: u64,
    pub bytes: u64,
    pub failed: u64,
    /// Where it ran: host name and process.
    pub host: String,
    pub pid: u32,
    /// When the last successful run (exit 0, or 9: nothing to fetch) ended; kept across failures.
    pub last_success: Option<DateTime<Utc>>,
    /// Runs in a row that failed, this one included (0 after a success).
    pub failed_runs: u64,
}

/// A source file version: path, size, mtime (ns).
pub type Version = (String, u64, Option<i64>);

/// Pending rows of a job: version → (row id, target path).
pub type Pending = HashMap<Version, (i64, String)>;

/// Known SHA-256s by version: (source side, target side).
pub type Hashes = (HashMap<Version, String>, HashMap<Version, String>);

/// A version with its mtime cut to whole seconds: hash caches compare at the precision every
/// server offers (a pushed file's target mtime is the source's, truncated by SFTP).
pub fn to_seconds(v: Version) -> Version {
    (v.0, v.1, v.2.map(|ns| ns.div_euclid(1_000_000_000) * 1_000_000_000))
}

/// An outcome settled after its row was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Settled {
    pub id: i64,
    /// `done`, or `None`: the row of a copy that never reached its rename is removed (it was
    /// written ahead of the copy and stood for nothing).
    pub outcome: Option<String>,
    /// When it settled: deadlines count deliveries by it.
    pub at: DateTime<Utc>,
    /// What only the finished copy knows, for a row written before the copy started.
    pub started_at: Option<DateTime<Utc>>,
    pub sha256: Option<String>,
    pub bytes: Option<u64>,
}

/// The lease a run holds on its job; a store refuses any write of that job unless the lease is
/// still this holder's, at this epoch, and unexpired by the database's clock.
#[derive(Debug, Clone, PartialEq)]
pub struct Fence {
    pub job: String,
    pub holder: String,
    pub epoch: i64,
}

/// Who holds a job's lease, as `ferry status` and a refused run name it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Holder {
    pub host: String,
    pub pid: u32,
    pub since: DateTime<Utc>,
    pub epoch: i64,
    pub expires_at: DateTime<Utc>,
}

impl std::fmt::Display for Holder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "host {} pid {} since {}", self.host, self.pid, self.since.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M:%S %z"))
    }
}

/// A ledger's storage. Each call is one transaction; `Ledger` serialises the calls.
pub trait Store: Send {
    /// Write `settled` outcomes and insert `batch` (returning their row ids), in one transaction
    /// that first checks every fence (a lost lease fails it with `ErrorKind::Locked`).
    fn write(&mut self, settled: &[Settled], batch: &[Record], fences: &[Fence]) -> Result<Vec<i64>>;
    fn pending(&mut self, job: &str, source: &str) -> Result<Pending>;
    fn known_hashes(&mut self, job: &str, source: &str, target: &str) -> Result<Hashes>;
    fn delivered(&mut self, job: &str, source: &str) -> Result<HashSet<Version>>;
    fn history(&mut self, job: Option<&str>, since: Option<DateTime<Utc>>) -> Result<Vec<Record>>;
    fn forget(&mut self, job: &str, path: Option<&str>) -> Result<usize>;
    fn record_run(&mut self, job: &str, run: Option<&RunRecord>, counters: &[(&str, String, u64)]) -> Result<()>;
    fn last_run(&mut self, job: &str) -> Result<Option<RunRecord>>;
    fn counters(&mut self, job: &str) -> Result<Vec<(String, String, u64)>>;
    fn delivered_between(&mut self, job: &str, after: Option<DateTime<Utc>>, until: DateTime<Utc>) -> Result<u64>;
    fn last_delivery(&mut self, job: &str) -> Result<Option<DateTime<Utc>>>;
    fn judge_deadline(&mut self, job: &str, v: &crate::expect::Verdict) -> Result<bool>;
    fn knows_job(&mut self, job: &str) -> Result<bool>;
    /// The coordination a shared ledger offers; `None` for a local one (file locks do that job).
    fn shared(&mut self) -> Option<&mut dyn Shared>;
}

/// Leases and schedule claims: what lets several hosts share one job file.
pub trait Shared {
    /// Take `job`'s lease for `ttl` if it is free or expired (epoch + 1); otherwise who holds it.
    fn take(&mut self, job: &str, holder: &str, ttl: std::time::Duration) -> Result<std::result::Result<i64, Holder>>;
    /// Extend this holder's unexpired lease by `ttl`; `false` when it is no longer its own.
    fn renew(&mut self, fence: &Fence, ttl: std::time::Duration) -> Result<bool>;
    /// Is the lease this holder's with at least `left` to run, by the database's clock?
    fn confirm(&mut self, fence: &Fence, left: std::time::Duration) -> Result<bool>;
    /// Let the lease go (it expires now), if it is still this holder's.
    fn release(&mut self, fence: &Fence) -> Result<()>;
    /// The unexpired holder of `job`'s lease.
    fn holder(&mut self, job: &str) -> Result<Option<Holder>>;
    /// Claim the run of `job` due at `slot`: true for exactly one caller per slot, which moves the
    /// job's next due time to `next` in the same statement.
    fn claim(&mut self, job: &str, slot: DateTime<Utc>, next: DateTime<Utc>) -> Result<bool>;
}

/// Where a ledger lives: a SQLite file, or a PostgreSQL database shared by several hosts.
#[derive(Debug, Clone, PartialEq)]
pub enum Location {
    File(PathBuf),
    Postgres { url: String, password_env: Option<String> },
}

impl Location {
    /// Read a `--ledger` / `ledger:` value: `postgresql://…` (or `postgres://…`), else a file
    /// path. Any other `scheme://` is refused: it is never taken for a relative file name.
    pub fn parse(s: &str) -> Result<Location> {
        if let Some((scheme, _)) = s.split_once("://")
            && !scheme.is_empty()
            && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
        {
            return match scheme.to_ascii_lowercase().as_str() {
                "postgresql" | "postgres" => {
                    postgres::check_url(s)?;
                    Ok(Location::Postgres { url: s.to_string(), password_env: None })
                }
                _ => Err(Error::usage(format!(
                    "ledger {}: unsupported ledger URL scheme {scheme:?} (use a file path or postgresql://…)",
                    postgres::redact(s)
                ))),
            };
        }
        Ok(Location::File(PathBuf::from(s)))
    }

    /// The default location: `state_dir()/ledger.db`.
    pub fn default_file() -> Location {
        Location::File(state_dir().join("ledger.db"))
    }

    /// Is there a ledger here already? (A dry run never creates a file; a database is assumed.)
    pub fn exists(&self) -> bool {
        match self {
            Location::File(p) => p.exists(),
            Location::Postgres { .. } => true,
        }
    }
}

impl std::fmt::Display for Location {
    /// The location as messages show it: never with a password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::File(p) => write!(f, "{}", p.display()),
            Location::Postgres { url, .. } => write!(f, "{}", postgres::redact(url)),
        }
    }
}

/// `$XDG_STATE_HOME/ferry` (or `~/.local/state/ferry`): the ledger, locks and server keys.
pub fn state_dir() -> PathBuf {
    std::env::var_os("XDG_STATE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".local/state"))
        .join("ferry")
}

pub struct Ledger {
    db: Mutex<Db>,
    pub location: Location,
    /// Group commit: rows from concurrent transfers waiting for the next transaction.
    group: Mutex<Group>,
    written: std::sync::Condvar,
}

/// Rows waiting to be written and the results of written ones, by ticket.
#[derive(Default)]
struct Group {
    queue: Vec<(u64, Record)>,
    results: HashMap<u64, Result<i64>>,
    next: u64,
    /// A caller is writing a batch right now; others wait for it (and then for the next one).
    writing: bool,
}

/// The store, the outcomes waiting to be written with the next transaction, and the fences
/// every write must pass.
struct Db {
    store: Box<dyn Store>,
    /// Settled since the last write. Deferring them is safe: until written, a row reads
    /// `pending`, and the planner confirms a pending delivery from the target.
    settled: Vec<Settled>,
    fences: Vec<Fence>,
}

impl Db {
    fn write(&mut self, batch: &[Record]) -> Result<Vec<i64>> {
        match self.store.write(&self.settled, batch, &self.fences) {
            Ok(ids) => {
                self.settled.clear();
                Ok(ids)
            }
            Err(e) => {
                // A lost lease: these outcomes are this run's to write no more; the new holder
                // confirms the rows from the target.
                if e.kind == ErrorKind::Locked {
                    self.settled.clear();
                }
                Err(e)
            }
        }
    }
}

/// Settled outcomes are written at the latest when this many are waiting.
const SETTLE_BATCH: usize = 512;

/// Rows written ahead of a run's copies go in transactions of this many.
const RECORD_BATCH: usize = 5000;

impl Drop for Ledger {
    fn drop(&mut self) {
        if let Err(e) = self.flush() {
            tracing::warn!(error = %e, "ledger: settled outcomes not written; the next run confirms them from the targets");
        }
    }
}

impl Ledger {
    /// Open (creating and migrating as needed) the ledger at `location`.
    pub fn open(location: &Location) -> Result<Ledger> {
        let store: Box<dyn Store> = match location {
            Location::File(p) => Box::new(sqlite::Sqlite::open(p)?),
            Location::Postgres { url, password_env } => Box::new(postgres::Postgres::open(url, password_env.as_deref())?),
        };
        Ok(Ledger {
            db: Mutex::new(Db { store, settled: Vec::new(), fences: Vec::new() }),
            location: location.clone(),
            group: Mutex::new(Group::default()),
            written: std::sync::Condvar::new(),
        })
    }

    /// The store, with every deferred outcome written (reads see settled rows).
    fn db(&self) -> std::sync::MutexGuard<'_, Db> {
        let mut db = self.db.lock().unwrap_or_else(|e| e.into_inner());
        if !db.settled.is_empty()
            && let Err(e) = db.write(&[])
        {
            tracing::warn!(error = %e, "ledger: cannot write settled outcomes yet");
        }
        db
    }

    /// Is this ledger shared by several hosts (leases instead of local locks)?
    pub fn is_shared(&self) -> bool {
        self.db.lock().unwrap_or_else(|e| e.into_inner()).store.shared().is_some()
    }

    /// Run `f` on the shared-ledger coordination, or fail for a local ledger.
    pub(crate) fn with_shared<T>(&self, f: impl FnOnce(&mut dyn Shared) -> Result<T>) -> Result<T> {
        let mut db = self.db.lock().unwrap_or_else(|e| e.into_inner());
        match db.store.shared() {
            Some(s) => f(s),
            None => Err(Error::new(ErrorKind::Usage, format!("ledger {}: leases need a shared ledger (postgresql://…)", self.location))),
        }
    }

    /// From now on every write must pass `fence` (the run's lease); `None` drops the fences of `job`.
    /// Outcomes settled so far are written first, through the fences in force until now.
    pub(crate) fn set_fence(&self, job: &str, fence: Option<Fence>) -> Result<()> {
        let flushed = self.flush();
        let mut db = self.db.lock().unwrap_or_else(|e| e.into_inner());
        db.fences.retain(|f| f.job != job);
        db.fences.extend(fence);
        flushed
    }

    /// Write every deferred outcome now (end of a run).
    pub fn flush(&self) -> Result<()> {
        let mut db = self.db.lock().unwrap_or_else(|e| e.into_inner());
        if db.settled.is_empty() { Ok(()) } else { db.write(&[]).map(|_| ()) }
    }

    /// Record one transfer; returns its row id. A run writes `pending` before the rename that
    /// makes the file visible and `done` right after it (`set_outcome`), so a crash in between
    /// leaves a row the next run can check against the target instead of guessing.
    ///
    /// Group commit: rows recorded concurrently (parallel transfers, each calling from a blocking
    /// thread) share one transaction. A caller whose row is queued while another caller writes
    /// waits for that write and then writes everything queued meanwhile; every caller returns
    /// only once its own row is committed.
    pub fn record(&self, r: &Record) -> Result<i64> {
        let mut g = self.group.lock().unwrap_or_else(|e| e.into_inner());
        let ticket = g.next;
        g.next += 1;
        g.queue.push((ticket, r.clone()));
        loop {
            if let Some(done) = g.results.remove(&ticket) {
                return done;
            }
            if g.writing {
                g = self.written.wait(g).unwrap_or_else(|e| e.into_inner());
                continue;
            }
            g.writing = true;
            let batch = std::mem::take(&mut g.queue);
            drop(g);
            let rows: Vec<Record> = batch.iter().map(|(_, r)| r.clone()).collect();
            let outcome = self.db.lock().unwrap_or_else(|e| e.into_inner()).write(&rows);
            g = self.group.lock().unwrap_or_else(|e| e.into_inner());
            match outcome {
                Ok(ids) => g.results.extend(batch.iter().map(|(t, _)| *t).zip(ids.into_iter().map(Ok))),
                Err(e) => g.results.extend(batch.iter().map(|(t, _)| (*t, Err(e.clone())))),
            }
            g.writing = false;
            self.written.notify_all();
        }
    }

    /// Settle a row's outcome (`done` once the file is visible under its final name). The write
    /// is deferred and batched with the next `record` (or `flush`, or any read): until then the
    /// row reads `pending`, which a crash leaves for the next run to confirm from the target.
    pub fn set_outcome(&self, id: i64, outcome: &str) -> Result<()> {
        self.settle(Settled { id, outcome: Some(outcome.to_string()), at: Utc::now(), started_at: None, sha256: None, bytes: None })
    }

    /// Settle a row (deferred like `set_outcome`), with what the finished copy knows.
    pub fn settle(&self, s: Settled) -> Result<()> {
        let mut db = self.db.lock().unwrap_or_else(|e| e.into_inner());
        db.settled.push(s);
        if db.settled.len() >= SETTLE_BATCH { db.write(&[]).map(|_| ()) } else { Ok(()) }
    }

    /// Write many `pending` rows at once, in transactions of `RECORD_BATCH` (a run's planned
    /// copies, before they start: a pending row only has to exist before its rename). Their
    /// ids, in order.
    pub fn record_many(&self, rows: &[Record]) -> Result<Vec<i64>> {
        let mut db = self.db.lock().unwrap_or_else(|e| e.into_inner());
        let mut ids = Vec::with_capacity(rows.len());
        for chunk in rows.chunks(RECORD_BATCH) {
            ids.extend(db.write(chunk)?);
        }
        Ok(ids)
    }

    /// Transfers of this job that a crash interrupted between `pending` and `done`.
    pub fn pending(&self, job: &str, source: &str) -> Result<Pending> {
        self.db().store.pending(job, source)
    }

    /// SHA-256s this job recorded, keyed by file version: (on the source side, on the target
    /// side). A remote file whose size and mtime still match needs no hashing again.
    pub fn known_hashes(&self, job: &str, source: &str, target: &str) -> Result<Hashes> {
        self.db().store.known_hashes(job, source, target)
    }

    /// Every source version this job already delivered from `source` (for `once: true`).
    pub fn delivered(&self, job: &str, source: &str) -> Result<HashSet<Version>> {
        self.db().store.delivered(job, source)
    }

    /// Transfers, oldest first, optionally of one job and since a time.
    pub fn history(&self, job: Option<&str>, since: Option<DateTime<Utc>>) -> Result<Vec<Record>> {
        self.db().store.history(job, since)
    }

    /// Re-arm files of a job (all, or those whose path matches): they will be fetched again.
    pub fn forget(&self, job: &str, path: Option<&str>) -> Result<usize> {
        self.db().store.forget(job, path)
    }

    /// Record a finished run of `job`: its last-run row (when `run` is given: a run refused by
    /// the job lock did not run and leaves the last run as it was) and its running totals, in
    /// one transaction.
    pub fn record_run(&self, job: &str, run: Option<&RunRecord>, counters: &[(&str, String, u64)]) -> Result<()> {
        self.db().store.record_run(job, run, counters)
    }

    /// The last run of `job`, if it ever ran.
    pub fn last_run(&self, job: &str) -> Result<Option<RunRecord>> {
        self.db().store.last_run(job)
    }

    /// The running totals of `job`: (name, label, value).
    pub fn counters(&self, job: &str) -> Result<Vec<(String, String, u64)>> {
        self.db().store.counters(job)
    }

    /// Files `job` delivered (outcome `done`) after `after` (exclusive) up to `until` (inclusive).
    pub fn delivered_between(&self, job: &str, after: Option<DateTime<Utc>>, until: DateTime<Utc>) -> Result<u64> {
        self.db().store.delivered_between(job, after, until)
    }

    /// When `job` last delivered a file.
    pub fn last_delivery(&self, job: &str) -> Result<Option<DateTime<Utc>>> {
        self.db().store.last_delivery(job)
    }

    /// Keep the verdict on one deadline of `job`; `true` when this call is the first to judge
    /// it (the one that acts on a miss), `false` when it was judged before.
    pub fn judge_deadline(&self, job: &str, v: &crate::expect::Verdict) -> Result<bool> {
        self.db().store.judge_deadline(job, v)
    }

    /// Does any row exist for this job (used to tell "nothing to forget" apart)?
    pub fn knows_job(&self, job: &str) -> Result<bool> {
        self.db().store.knows_job(job)
    }

    /// Who holds `job`'s lease now (a shared ledger only; `None` for a local one).
    pub fn lease_holder(&self, job: &str) -> Result<Option<Holder>> {
        let mut db = self.db.lock().unwrap_or_else(|e| e.into_inner());
        match db.store.shared() {
            Some(s) => s.holder(job),
            None => Ok(None),
        }
    }

    /// Claim the scheduled run of `job` due at `slot` (a shared ledger: one host per slot; a
    /// local ledger: always this process).
    pub fn claim(&self, job: &str, slot: DateTime<Utc>, next: DateTime<Utc>) -> Result<bool> {
        let mut db = self.db.lock().unwrap_or_else(|e| e.into_inner());
        match db.store.shared() {
            Some(s) => s.claim(job, slot, next),
            None => Ok(true),
        }
    }
}

#[doc(hidden)]
pub mod suite;
