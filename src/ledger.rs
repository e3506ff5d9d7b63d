//! The transfer ledger: an embedded SQLite database (WAL mode, schema versioned by
//! `user_version`) with one row per completed transfer of a job. It powers `once: true` (a
//! source file — path, size, mtime — is fetched exactly once, even after the local copy is
//! consumed), `ferry history` and audits. It knows nothing about protocols.

use crate::error::{Error, ErrorKind, Result};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// One completed transfer.
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

/// A version with its mtime cut to whole seconds: hash caches compare at the precision every
/// server offers (a pushed file's target mtime is the source's, truncated by SFTP).
pub fn to_seconds(v: Version) -> Version {
    (v.0, v.1, v.2.map(|ns| ns.div_euclid(1_000_000_000) * 1_000_000_000))
}

pub struct Ledger {
    conn: Mutex<Db>,
    pub path: PathBuf,
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

/// The connection and the outcomes waiting to be written with the next transaction.
struct Db {
    sql: Connection,
    /// `(row id, outcome, when)` settled since the last write. Deferring them is safe: until written,
    /// a row reads `pending`, and the planner confirms a pending delivery from the target.
    settled: Vec<(i64, String, String)>,
}

impl std::ops::Deref for Db {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        &self.sql
    }
}

/// Settled outcomes are written at the latest when this many are waiting.
const SETTLE_BATCH: usize = 512;

const SCHEMA_V1: &str = "
CREATE TABLE transfers (
    id          INTEGER PRIMARY KEY,
    job         TEXT NOT NULL,
    direction   TEXT NOT NULL,
    source      TEXT NOT NULL,
    path        TEXT NOT NULL,
    size        INTEGER NOT NULL,
    mtime_ns    INTEGER,
    sha256      TEXT,
    target      TEXT NOT NULL,
    target_path TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    bytes       INTEGER NOT NULL,
    outcome     TEXT NOT NULL
);
CREATE INDEX transfers_once ON transfers (job, source, path, size, mtime_ns);
CREATE INDEX transfers_time ON transfers (finished_at);
";

/// Version 2: what monitoring reads — each job's last run, its running totals, and the
/// deadlines already judged (so a missed one pages once, whichever process judged it).
const SCHEMA_V2: &str = "
CREATE TABLE job_runs (
    job         TEXT PRIMARY KEY,
    started_at  TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    exit_code   INTEGER NOT NULL,
    outcome     TEXT NOT NULL,
    files       INTEGER NOT NULL,
    bytes       INTEGER NOT NULL,
    failed      INTEGER NOT NULL,
    host        TEXT NOT NULL,
    pid         INTEGER NOT NULL,
    -- The end of the last run that succeeded (exit 0, or 9: nothing to fetch).
    last_success TEXT,
    -- Runs in a row that failed (reset by a success).
    failed_runs  INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE job_counters (
    job   TEXT NOT NULL,
    name  TEXT NOT NULL,
    label TEXT NOT NULL,
    value INTEGER NOT NULL,
    PRIMARY KEY (job, name, label)
);
CREATE TABLE deadlines (
    job          TEXT NOT NULL,
    deadline     TEXT NOT NULL,
    delivered    INTEGER NOT NULL,
    met          INTEGER NOT NULL,
    judged_at    TEXT NOT NULL,
    PRIMARY KEY (job, deadline)
);
CREATE INDEX transfers_job_time ON transfers (job, outcome, finished_at);
";

/// The schema version this ferry writes.
const SCHEMA_VERSION: i64 = 2;

fn db_err(path: &Path, e: rusqlite::Error) -> Error {
    Error::new(ErrorKind::Io, format!("ledger {}: {e}", path.display()))
}

/// `$XDG_STATE_HOME/ferry` (or `~/.local/state/ferry`): the ledger, locks and server keys.
pub fn state_dir() -> PathBuf {
    std::env::var_os("XDG_STATE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".local/state"))
        .join("ferry")
}

impl Drop for Ledger {
    fn drop(&mut self) {
        if let Err(e) = self.flush() {
            tracing::warn!(error = %e, "ledger: settled outcomes not written; the next run confirms them from the targets");
        }
    }
}

impl Ledger {
    /// The default location: `state_dir()/ledger.db`.
    pub fn default_path() -> PathBuf {
        state_dir().join("ledger.db")
    }

    /// Open (creating and migrating as needed) the ledger at `path`.
    pub fn open(path: &Path) -> Result<Ledger> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| Error::io("create", dir.display(), e))?;
        }
        let conn = Connection::open(path).map_err(|e| db_err(path, e))?;
        conn.busy_timeout(std::time::Duration::from_secs(30)).map_err(|e| db_err(path, e))?;
        // WAL: readers (history) never block the writer; NORMAL sync is durable across process
        // crashes, which is what "never fetched twice" needs.
        conn.pragma_update(None, "journal_mode", "WAL").map_err(|e| db_err(path, e))?;
        conn.pragma_update(None, "synchronous", "NORMAL").map_err(|e| db_err(path, e))?;
        // Checkpoints are where WAL mode syncs to disk; at the default 1,000 pages a busy run
        // checkpoints (two fsyncs) every few hundred files. 16,384 pages (64 MiB) of WAL make
        // that rare; the WAL file is cut back to 64 MiB after each checkpoint.
        conn.pragma_update(None, "wal_autocheckpoint", 16384).map_err(|e| db_err(path, e))?;
        conn.pragma_update(None, "journal_size_limit", 64 * 1024 * 1024).map_err(|e| db_err(path, e))?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(|e| db_err(path, e))?;
        // Migrations run in order, each in its own transaction, from the version found.
        if version > SCHEMA_VERSION {
            return Err(Error::usage(format!(
                "ledger {} has schema version {version}, newer than this ferry understands ({SCHEMA_VERSION})",
                path.display()
            )));
        }
        for (v, sql) in [(1, SCHEMA_V1), (2, SCHEMA_V2)] {
            if version < v {
                conn.execute_batch(&format!("BEGIN; {sql} PRAGMA user_version = {v}; COMMIT;")).map_err(|e| db_err(path, e))?;
            }
        }
        Ok(Ledger {
            conn: Mutex::new(Db { sql: conn, settled: Vec::new() }),
            path: path.to_path_buf(),
            group: Mutex::new(Group::default()),
            written: std::sync::Condvar::new(),
        })
    }

    /// The connection, with every deferred outcome written (reads see settled rows).
    fn conn(&self) -> std::sync::MutexGuard<'_, Db> {
        let mut db = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        if !db.settled.is_empty()
            && let Err(e) = self.write_settled(&mut db)
        {
            tracing::warn!(error = %e, "ledger: cannot write settled outcomes yet");
        }
        db
    }

    /// Write the deferred outcomes in one transaction.
    fn write_settled(&self, db: &mut Db) -> Result<()> {
        let tx = db.sql.unchecked_transaction().map_err(|e| db_err(&self.path, e))?;
        self.apply_settled(&tx, &db.settled)?;
        tx.commit().map_err(|e| db_err(&self.path, e))?;
        db.settled.clear();
        Ok(())
    }

    /// The deferred outcome updates, inside the caller's transaction.
    fn apply_settled(&self, tx: &rusqlite::Transaction<'_>, settled: &[(i64, String, String)]) -> Result<()> {
        if settled.is_empty() {
            return Ok(());
        }
        let mut st =
            tx.prepare_cached("UPDATE transfers SET outcome = ?2, finished_at = ?3 WHERE id = ?1").map_err(|e| db_err(&self.path, e))?;
        for (id, outcome, when) in settled {
            st.execute(params![id, outcome, when]).map_err(|e| db_err(&self.path, e))?;
        }
        Ok(())
    }

    /// Write every deferred outcome now (end of a run).
    pub fn flush(&self) -> Result<()> {
        let mut db = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        if db.settled.is_empty() { Ok(()) } else { self.write_settled(&mut db) }
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
            let outcome = self.write_batch(&batch);
            g = self.group.lock().unwrap_or_else(|e| e.into_inner());
            match outcome {
                Ok(ids) => g.results.extend(batch.iter().map(|(t, _)| *t).zip(ids.into_iter().map(Ok))),
                Err(e) => g.results.extend(batch.iter().map(|(t, _)| (*t, Err(e.clone())))),
            }
            g.writing = false;
            self.written.notify_all();
        }
    }

    /// Write queued rows (and the outcomes settled since the last write) in one transaction.
    fn write_batch(&self, batch: &[(u64, Record)]) -> Result<Vec<i64>> {
        let mut db = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        let tx = db.sql.unchecked_transaction().map_err(|e| db_err(&self.path, e))?;
        self.apply_settled(&tx, &db.settled)?;
        let mut ids = Vec::with_capacity(batch.len());
        for (_, r) in batch {
            if r.outcome == "pending" {
                // An earlier attempt at this very version that never became visible is superseded.
                tx.prepare_cached(
                    "DELETE FROM transfers WHERE job = ?1 AND source = ?2 AND path = ?3 AND size = ?4 AND mtime_ns IS ?5 AND outcome = 'pending'",
                )
                .and_then(|mut st| st.execute(params![r.job, r.source, r.path, r.size as i64, r.mtime_ns]))
                .map_err(|e| db_err(&self.path, e))?;
            }
            tx.prepare_cached(
                "INSERT INTO transfers (job, direction, source, path, size, mtime_ns, sha256, target, target_path,
                 started_at, finished_at, bytes, outcome) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            )
            .and_then(|mut st| {
                st.execute(params![
                    r.job,
                    r.direction,
                    r.source,
                    r.path,
                    r.size as i64,
                    r.mtime_ns,
                    r.sha256,
                    r.target,
                    r.target_path,
                    r.started_at.to_rfc3339(),
                    r.finished_at.to_rfc3339(),
                    r.bytes as i64,
                    r.outcome
                ])
            })
            .map_err(|e| db_err(&self.path, e))?;
            ids.push(tx.last_insert_rowid());
        }
        tx.commit().map_err(|e| db_err(&self.path, e))?;
        db.settled.clear();
        Ok(ids)
    }

    /// Settle a row's outcome (`done` once the file is visible under its final name). The write
    /// is deferred and batched with the next `record` (or `flush`, or any read): until then the
    /// row reads `pending`, which a crash leaves for the next run to confirm from the target.
    pub fn set_outcome(&self, id: i64, outcome: &str) -> Result<()> {
        let mut db = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        // The time it settled, not the time it is written: deadlines count deliveries by it.
        db.settled.push((id, outcome.to_string(), Utc::now().to_rfc3339()));
        if db.settled.len() >= SETTLE_BATCH { self.write_settled(&mut db) } else { Ok(()) }
    }

    /// Transfers of this job that a crash interrupted between `pending` and `done`:
    /// version → (row id, target path).
    pub fn pending(&self, job: &str, source: &str) -> Result<std::collections::HashMap<Version, (i64, String)>> {
        let conn = self.conn();
        let mut st = conn
            .prepare_cached(
                "SELECT path, size, mtime_ns, id, target_path FROM transfers WHERE job = ?1 AND source = ?2 AND outcome = 'pending'",
            )
            .map_err(|e| db_err(&self.path, e))?;
        let rows = st
            .query_map(params![job, source], |r| {
                Ok((
                    (r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64, r.get::<_, Option<i64>>(2)?),
                    (r.get::<_, i64>(3)?, r.get::<_, String>(4)?),
                ))
            })
            .map_err(|e| db_err(&self.path, e))?;
        rows.collect::<rusqlite::Result<_>>().map_err(|e| db_err(&self.path, e))
    }

    /// SHA-256s this job recorded, keyed by file version: (on the source side, on the target
    /// side). A remote file whose size and mtime still match needs no hashing again.
    pub fn known_hashes(&self, job: &str, source: &str, target: &str) -> Result<(HashMap<Version, String>, HashMap<Version, String>)> {
        let conn = self.conn();
        let one = |sql: &str, side: &str| -> Result<HashMap<Version, String>> {
            let mut st = conn.prepare_cached(sql).map_err(|e| db_err(&self.path, e))?;
            let rows = st
                .query_map(params![job, side], |r| {
                    Ok((
                        to_seconds((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64, r.get::<_, Option<i64>>(2)?)),
                        r.get::<_, String>(3)?,
                    ))
                })
                .map_err(|e| db_err(&self.path, e))?;
            rows.collect::<rusqlite::Result<_>>().map_err(|e| db_err(&self.path, e))
        };
        let src = one(
            "SELECT path, size, mtime_ns, sha256 FROM transfers WHERE job = ?1 AND source = ?2 AND outcome = 'done' AND sha256 IS NOT NULL",
            source,
        )?;
        let dst = one(
            "SELECT target_path, size, mtime_ns, sha256 FROM transfers WHERE job = ?1 AND target = ?2 AND outcome = 'done' AND sha256 IS NOT NULL",
            target,
        )?;
        Ok((src, dst))
    }

    /// Every source version this job already delivered from `source` (for `once: true`).
    pub fn delivered(&self, job: &str, source: &str) -> Result<HashSet<Version>> {
        let conn = self.conn();
        let mut st = conn
            .prepare_cached("SELECT path, size, mtime_ns FROM transfers WHERE job = ?1 AND source = ?2 AND outcome = 'done'")
            .map_err(|e| db_err(&self.path, e))?;
        let rows = st
            .query_map(params![job, source], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64, r.get::<_, Option<i64>>(2)?)))
            .map_err(|e| db_err(&self.path, e))?;
        rows.collect::<rusqlite::Result<HashSet<_>>>().map_err(|e| db_err(&self.path, e))
    }

    /// Transfers, newest last, optionally of one job and since a time.
    pub fn history(&self, job: Option<&str>, since: Option<DateTime<Utc>>) -> Result<Vec<Record>> {
        let conn = self.conn();
        let mut st = conn
            .prepare(
                "SELECT job, direction, source, path, size, mtime_ns, sha256, target, target_path, started_at, finished_at, bytes, outcome
                 FROM transfers WHERE (?1 IS NULL OR job = ?1) AND (?2 IS NULL OR finished_at >= ?2) ORDER BY id",
            )
            .map_err(|e| db_err(&self.path, e))?;
        let since = since.map(|t| t.to_rfc3339());
        let time = |s: String| DateTime::parse_from_rfc3339(&s).map(|t| t.with_timezone(&Utc)).unwrap_or_default();
        let rows = st
            .query_map(params![job, since], |r| {
                Ok(Record {
                    job: r.get(0)?,
                    direction: r.get(1)?,
                    source: r.get(2)?,
                    path: r.get(3)?,
                    size: r.get::<_, i64>(4)? as u64,
                    mtime_ns: r.get(5)?,
                    sha256: r.get(6)?,
                    target: r.get(7)?,
                    target_path: r.get(8)?,
                    started_at: time(r.get(9)?),
                    finished_at: time(r.get(10)?),
                    bytes: r.get::<_, i64>(11)? as u64,
                    outcome: r.get(12)?,
                })
            })
            .map_err(|e| db_err(&self.path, e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(|e| db_err(&self.path, e))
    }

    /// Re-arm files of a job (all, or those whose path matches): they will be fetched again.
    pub fn forget(&self, job: &str, path: Option<&str>) -> Result<usize> {
        self.conn()
            .execute("DELETE FROM transfers WHERE job = ?1 AND (?2 IS NULL OR path = ?2)", params![job, path])
            .map_err(|e| db_err(&self.path, e))
    }

    /// Record a finished run of `job`: its last-run row (when `run` is given: a run refused by
    /// the job lock did not run and leaves the last run as it was) and its running totals, in
    /// one transaction.
    pub fn record_run(&self, job: &str, run: Option<&RunRecord>, counters: &[(&str, String, u64)]) -> Result<()> {
        let conn = self.conn();
        let tx = conn.unchecked_transaction().map_err(|e| db_err(&self.path, e))?;
        if let Some(r) = run {
            tx.execute(
                "INSERT OR REPLACE INTO job_runs (job, started_at, finished_at, exit_code, outcome, files, bytes, failed, host, pid, last_success, failed_runs)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,
                         CASE WHEN ?4 IN (0, 9) THEN ?3 ELSE (SELECT last_success FROM job_runs WHERE job = ?1) END,
                         CASE WHEN ?4 IN (0, 9) THEN 0 ELSE COALESCE((SELECT failed_runs FROM job_runs WHERE job = ?1), 0) + 1 END)",
                params![
                    job,
                    r.started_at.to_rfc3339(),
                    r.finished_at.to_rfc3339(),
                    r.exit_code,
                    r.outcome,
                    r.files as i64,
                    r.bytes as i64,
                    r.failed as i64,
                    r.host,
                    r.pid
                ],
            )
            .map_err(|e| db_err(&self.path, e))?;
        }
        for (name, label, by) in counters.iter().filter(|c| c.2 > 0) {
            tx.execute(
                "INSERT INTO job_counters (job, name, label, value) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (job, name, label) DO UPDATE SET value = value + excluded.value",
                params![job, name, label, *by as i64],
            )
            .map_err(|e| db_err(&self.path, e))?;
        }
        tx.commit().map_err(|e| db_err(&self.path, e))
    }

    /// The last run of `job`, if it ever ran.
    pub fn last_run(&self, job: &str) -> Result<Option<RunRecord>> {
        let time = |s: String| DateTime::parse_from_rfc3339(&s).map(|t| t.with_timezone(&Utc)).unwrap_or_default();
        self.conn()
            .query_row(
"SELECT started_at, finished_at, exit_code, outcome, files, bytes, failed, host, pid, last_success, failed_runs FROM job_runs WHERE job = ?1",
                params![job],
                |r| {
                    Ok(RunRecord {
                        started_at: time(r.get(0)?),
                        finished_at: time(r.get(1)?),
                        exit_code: r.get(2)?,
                        outcome: r.get(3)?,
                        files: r.get::<_, i64>(4)? as u64,
                        bytes: r.get::<_, i64>(5)? as u64,
                        failed: r.get::<_, i64>(6)? as u64,
                        host: r.get(7)?,
                        pid: r.get(8)?,
                        last_success: r.get::<_, Option<String>>(9)?.map(time),
                        failed_runs: r.get::<_, i64>(10)? as u64,
                    })
                },
            )
            .optional()
            .map_err(|e| db_err(&self.path, e))
    }

    /// The running totals of `job`: (name, label, value).
    pub fn counters(&self, job: &str) -> Result<Vec<(String, String, u64)>> {
        let conn = self.conn();
        let mut st = conn
            .prepare_cached("SELECT name, label, value FROM job_counters WHERE job = ?1 ORDER BY name, label")
            .map_err(|e| db_err(&self.path, e))?;
        let rows =
            st.query_map(params![job], |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? as u64))).map_err(|e| db_err(&self.path, e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(|e| db_err(&self.path, e))
    }

    /// Files `job` delivered (outcome `done`) after `after` (exclusive) up to `until` (inclusive).
    pub fn delivered_between(&self, job: &str, after: Option<DateTime<Utc>>, until: DateTime<Utc>) -> Result<u64> {
        self.conn()
            .query_row(
                "SELECT COUNT(*) FROM transfers WHERE job = ?1 AND outcome = 'done'
                 AND (?2 IS NULL OR finished_at > ?2) AND finished_at <= ?3",
                params![job, after.map(|t| t.to_rfc3339()), until.to_rfc3339()],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n as u64)
            .map_err(|e| db_err(&self.path, e))
    }

    /// When `job` last delivered a file.
    pub fn last_delivery(&self, job: &str) -> Result<Option<DateTime<Utc>>> {
        let t: Option<String> = self
            .conn()
            .query_row("SELECT MAX(finished_at) FROM transfers WHERE job = ?1 AND outcome = 'done'", params![job], |r| r.get(0))
            .map_err(|e| db_err(&self.path, e))?;
        Ok(t.and_then(|s| DateTime::parse_from_rfc3339(&s).ok()).map(|t| t.with_timezone(&Utc)))
    }

    /// Keep the verdict on one deadline of `job`; `true` when this call is the first to judge
    /// it (the one that acts on a miss), `false` when it was judged before.
    pub fn judge_deadline(&self, job: &str, v: &crate::expect::Verdict) -> Result<bool> {
        self.conn()
            .execute(
                "INSERT OR IGNORE INTO deadlines (job, deadline, delivered, met, judged_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![job, v.deadline.to_rfc3339(), v.delivered as i64, v.met, Utc::now().to_rfc3339()],
            )
            .map(|n| n == 1)
            .map_err(|e| db_err(&self.path, e))
    }

    /// Does any row exist for this job (used to tell "nothing to forget" apart)?
    pub fn knows_job(&self, job: &str) -> Result<bool> {
        self.conn()
            .query_row("SELECT 1 FROM transfers WHERE job = ?1 LIMIT 1", params![job], |_| Ok(()))
            .optional()
            .map(|o| o.is_some())
            .map_err(|e| db_err(&self.path, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(path: &str, size: u64, mtime: i64) -> Record {
        Record {
            job: "j".into(),
            direction: "pull".into(),
            source: "sftp://h/out".into(),
            path: path.into(),
            size,
            mtime_ns: Some(mtime),
            sha256: None,
            target: "/in".into(),
            target_path: path.into(),
            started_at: Utc::now(),
            finished_at: Utc::now(),
            bytes: size,
            outcome: "done".into(),
        }
    }

    #[test]
    fn records_answer_once_and_history_and_forget() {
        let d = tempfile::tempdir().unwrap();
        let l = Ledger::open(&d.path().join("sub/ledger.db")).unwrap();
        l.record(&rec("a.edi", 10, 1)).unwrap();
        l.record(&rec("b.edi", 20, 2)).unwrap();
        let done = l.delivered("j", "sftp://h/out").unwrap();
        assert!(done.contains(&("a.edi".into(), 10, Some(1))));
        assert!(!done.contains(&("a.edi".into(), 10, Some(5))), "a new mtime is a new version");
        assert!(l.delivered("other", "sftp://h/out").unwrap().is_empty());
        assert_eq!(l.history(Some("j"), None).unwrap().len(), 2);
        assert_eq!(l.forget("j", Some("a.edi")).unwrap(), 1);
        assert_eq!(l.history(None, None).unwrap().len(), 1);
        drop(l);
        // Reopening keeps the data and the schema version.
        let l = Ledger::open(&d.path().join("sub/ledger.db")).unwrap();
        assert_eq!(l.history(None, None).unwrap().len(), 1);
    }

    #[test]
    fn settled_outcomes_are_deferred_but_never_lost_to_readers_or_reopeners() {
        let d = tempfile::tempdir().unwrap();
        let path = d.path().join("ledger.db");
        let l = Ledger::open(&path).unwrap();
        let mut r = rec("a.edi", 10, 1);
        r.outcome = "pending".into();
        let id = l.record(&r).unwrap();
        l.set_outcome(id, "done").unwrap();
        // Another process (a fresh connection) still sees the row pending until the write...
        let other = Ledger::open(&path).unwrap();
        assert!(other.delivered("j", "sftp://h/out").unwrap().is_empty());
        // ...which a read through this ledger, a flush or the next record performs.
        assert!(l.delivered("j", "sftp://h/out").unwrap().contains(&("a.edi".into(), 10, Some(1))));
        assert!(other.delivered("j", "sftp://h/out").unwrap().contains(&("a.edi".into(), 10, Some(1))));
        let id = l.record(&Record { path: "b.edi".into(), ..r.clone() }).unwrap();
        l.set_outcome(id, "done").unwrap();
        drop(l);
        // Dropping flushes too.
        assert_eq!(other.delivered("j", "sftp://h/out").unwrap().len(), 2);
    }

    #[test]
    fn a_version_1_ledger_is_migrated_in_place_and_keeps_its_rows() {
        let d = tempfile::tempdir().unwrap();
        let path = d.path().join("old.db");
        {
            let c = Connection::open(&path).unwrap();
            c.execute_batch(&format!("BEGIN; {SCHEMA_V1} PRAGMA user_version = 1; COMMIT;")).unwrap();
        }
        {
            let l = Ledger::open(&path).unwrap();
            let id = l.record(&rec("a.edi", 3, 1)).unwrap();
            l.set_outcome(id, "done").unwrap();
        }
        let l = Ledger::open(&path).unwrap();
        let v: i64 = l.conn().pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        assert_eq!(v, SCHEMA_VERSION);
        assert_eq!(l.history(None, None).unwrap().len(), 1);
        assert!(l.last_run("j").unwrap().is_none());
    }

    #[test]
    fn runs_counters_deliveries_and_deadlines_for_monitoring() {
        let d = tempfile::tempdir().unwrap();
        let l = Ledger::open(&d.path().join("l.db")).unwrap();
        let t0 = Utc::now();
        let id = l.record(&Record { outcome: "pending".into(), ..rec("a.edi", 3, 1) }).unwrap();
        assert_eq!(l.delivered_between("j", None, Utc::now()).unwrap(), 0, "pending is not delivered");
        l.set_outcome(id, "done").unwrap();
        let t1 = Utc::now();
        assert_eq!(l.delivered_between("j", None, t1).unwrap(), 1);
        assert_eq!(l.delivered_between("j", Some(t1), Utc::now()).unwrap(), 0, "the window's start is exclusive");
        assert_eq!(l.delivered_between("other", None, t1).unwrap(), 0);
        assert!(l.last_delivery("j").unwrap().is_some_and(|t| t >= t0 && t <= t1), "delivered when it settled");

        let run = RunRecord {
            started_at: t0,
            finished_at: t1,
            exit_code: 1,
            outcome: "partial".into(),
            files: 1,
            bytes: 3,
            failed: 1,
            host: "h".into(),
            pid: 7,
            last_success: None,
            failed_runs: 0,
        };
        l.record_run("j", Some(&run), &[("runs", "partial".into(), 1), ("files", String::new(), 1), ("failures", "io".into(), 1)]).unwrap();
        l.record_run("j", None, &[("runs", "locked".into(), 1), ("files", String::new(), 0)]).unwrap();
        l.record_run("j", None, &[("runs", "partial".into(), 1)]).unwrap();
        assert_eq!(l.last_run("j").unwrap().as_ref().map(|r| (r.exit_code, r.pid)), Some((1, 7)), "a locked-out run is not the last run");
        assert_eq!(l.last_run("j").unwrap().unwrap().last_success, None, "no run succeeded yet");
        assert_eq!(l.last_run("j").unwrap().unwrap().failed_runs, 1);
        let ok = RunRecord { exit_code: 0, outcome: "ok".into(), ..run.clone() };
        l.record_run("j", Some(&ok), &[]).unwrap();
        l.record_run("j", Some(&run), &[]).unwrap();
        let last = l.last_run("j").unwrap().unwrap();
        assert_eq!(last.failed_runs, 1, "a success resets the count");
        assert_eq!(
            (last.exit_code, last.last_success.map(|t| t.timestamp_millis())),
            (1, Some(t1.timestamp_millis())),
            "a failure keeps the last success"
        );
        let c = l.counters("j").unwrap();
        assert_eq!(
            c,
            [
                ("failures".to_string(), "io".to_string(), 1),
                ("files".into(), "".into(), 1),
                ("runs".into(), "locked".into(), 1),
                ("runs".into(), "partial".into(), 2)
            ]
        );

        let v = crate::expect::Verdict { deadline: t1, delivered: 0, met: false };
        assert!(l.judge_deadline("j", &v).unwrap(), "the first judge acts");
        assert!(!l.judge_deadline("j", &crate::expect::Verdict { met: true, ..v }).unwrap(), "a second judge of one deadline does not");
        let met: bool = l.conn().query_row("SELECT met FROM deadlines WHERE job = 'j'", [], |r| r.get(0)).unwrap();
        assert!(!met, "the first verdict stands");
    }
}
