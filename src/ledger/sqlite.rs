//! The local ledger: an embedded SQLite database (WAL mode, schema versioned by
//! `user_version`). One host; job locks are file locks (`lock.rs`).

use super::{Fence, Hashes, Pending, Record, RunRecord, Settled, Store, Version, to_seconds};
use crate::error::{Error, ErrorKind, Result};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

pub struct Sqlite {
    sql: Connection,
    path: PathBuf,
}

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

fn time(s: String) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(&s).map(|t| t.with_timezone(&Utc)).unwrap_or_default()
}

impl Sqlite {
    /// Open (creating and migrating as needed) the ledger file at `path`.
    pub fn open(path: &Path) -> Result<Sqlite> {
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
        Ok(Sqlite { sql: conn, path: path.to_path_buf() })
    }

    fn err(&self, e: rusqlite::Error) -> Error {
        db_err(&self.path, e)
    }
}

impl Store for Sqlite {
    /// Fences are never set on a local ledger (its runs hold file locks), so they are not read.
    fn write(&mut self, settled: &[Settled], batch: &[Record], _fences: &[Fence]) -> Result<Vec<i64>> {
        let path = self.path.clone();
        let e = |e| db_err(&path, e);
        let tx = self.sql.unchecked_transaction().map_err(e)?;
        {
            let mut up = tx
                .prepare_cached(
                    "UPDATE transfers SET outcome = ?2, finished_at = ?3, started_at = COALESCE(?4, started_at),
                     sha256 = COALESCE(?5, sha256), bytes = COALESCE(?6, bytes) WHERE id = ?1",
                )
                .map_err(e)?;
            let mut drop = tx.prepare_cached("DELETE FROM transfers WHERE id = ?1 AND outcome = 'pending'").map_err(e)?;
            for s in settled {
                match &s.outcome {
                    Some(o) => up.execute(params![
                        s.id,
                        o,
                        s.at.to_rfc3339(),
                        s.started_at.map(|t| t.to_rfc3339()),
                        s.sha256,
                        s.bytes.map(|b| b as i64)
                    ]),
                    None => drop.execute(params![s.id]),
                }
                .map_err(e)?;
            }
        }
        let mut ids = Vec::with_capacity(batch.len());
        for r in batch {
            if r.outcome == "pending" {
                // An earlier attempt at this very version that never became visible is superseded.
                tx.prepare_cached(
                    "DELETE FROM transfers WHERE job = ?1 AND source = ?2 AND path = ?3 AND size = ?4 AND mtime_ns IS ?5 AND outcome = 'pending'",
                )
                .and_then(|mut st| st.execute(params![r.job, r.source, r.path, r.size as i64, r.mtime_ns]))
                .map_err(e)?;
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
            .map_err(e)?;
            ids.push(tx.last_insert_rowid());
        }
        tx.commit().map_err(e)?;
        Ok(ids)
    }

    fn pending(&mut self, job: &str, source: &str) -> Result<Pending> {
        let mut st = self
            .sql
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

    fn known_hashes(&mut self, job: &str, source: &str, target: &str) -> Result<Hashes> {
        let one = |sql: &str, side: &str| -> Result<HashMap<Version, String>> {
            let mut st = self.sql.prepare_cached(sql).map_err(|e| db_err(&self.path, e))?;
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

    fn delivered(&mut self, job: &str, source: &str) -> Result<HashSet<Version>> {
        let mut st = self
            .sql
            .prepare_cached("SELECT path, size, mtime_ns FROM transfers WHERE job = ?1 AND source = ?2 AND outcome = 'done'")
            .map_err(|e| db_err(&self.path, e))?;
        let rows = st
            .query_map(params![job, source], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64, r.get::<_, Option<i64>>(2)?)))
            .map_err(|e| db_err(&self.path, e))?;
        rows.collect::<rusqlite::Result<HashSet<_>>>().map_err(|e| db_err(&self.path, e))
    }

    fn history(&mut self, job: Option<&str>, since: Option<DateTime<Utc>>) -> Result<Vec<Record>> {
        let mut st = self
            .sql
            .prepare(
                "SELECT job, direction, source, path, size, mtime_ns, sha256, target, target_path, started_at, finished_at, bytes, outcome
                 FROM transfers WHERE (?1 IS NULL OR job = ?1) AND (?2 IS NULL OR finished_at >= ?2) ORDER BY id",
            )
            .map_err(|e| db_err(&self.path, e))?;
        let since = since.map(|t| t.to_rfc3339());
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

    fn forget(&mut self, job: &str, path: Option<&str>) -> Result<usize> {
        self.sql
            .execute("DELETE FROM transfers WHERE job = ?1 AND (?2 IS NULL OR path = ?2)", params![job, path])
            .map_err(|e| db_err(&self.path, e))
    }

    fn record_run(&mut self, job: &str, run: Option<&RunRecord>, counters: &[(&str, String, u64)]) -> Result<()> {
        let path = self.path.clone();
        let e = |e| db_err(&path, e);
        let tx = self.sql.unchecked_transaction().map_err(e)?;
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
            .map_err(e)?;
        }
        for (name, label, by) in counters.iter().filter(|c| c.2 > 0) {
            tx.execute(
                "INSERT INTO job_counters (job, name, label, value) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (job, name, label) DO UPDATE SET value = value + excluded.value",
                params![job, name, label, *by as i64],
            )
            .map_err(e)?;
        }
        tx.commit().map_err(e)
    }

    fn last_run(&mut self, job: &str) -> Result<Option<RunRecord>> {
        self.sql
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
            .map_err(|e| self.err(e))
    }

    fn counters(&mut self, job: &str) -> Result<Vec<(String, String, u64)>> {
        let mut st = self
            .sql
            .prepare_cached("SELECT name, label, value FROM job_counters WHERE job = ?1 ORDER BY name, label")
            .map_err(|e| db_err(&self.path, e))?;
        let rows =
            st.query_map(params![job], |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? as u64))).map_err(|e| db_err(&self.path, e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(|e| db_err(&self.path, e))
    }

    fn delivered_between(&mut self, job: &str, after: Option<DateTime<Utc>>, until: DateTime<Utc>) -> Result<u64> {
        self.sql
            .query_row(
                "SELECT COUNT(*) FROM transfers WHERE job = ?1 AND outcome = 'done'
                 AND (?2 IS NULL OR finished_at > ?2) AND finished_at <= ?3",
                params![job, after.map(|t| t.to_rfc3339()), until.to_rfc3339()],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n as u64)
            .map_err(|e| self.err(e))
    }

    fn last_delivery(&mut self, job: &str) -> Result<Option<DateTime<Utc>>> {
        let t: Option<String> = self
            .sql
            .query_row("SELECT MAX(finished_at) FROM transfers WHERE job = ?1 AND outcome = 'done'", params![job], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        Ok(t.and_then(|s| DateTime::parse_from_rfc3339(&s).ok()).map(|t| t.with_timezone(&Utc)))
    }

    fn judge_deadline(&mut self, job: &str, v: &crate::expect::Verdict) -> Result<bool> {
        self.sql
            .execute(
                "INSERT OR IGNORE INTO deadlines (job, deadline, delivered, met, judged_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![job, v.deadline.to_rfc3339(), v.delivered as i64, v.met, Utc::now().to_rfc3339()],
            )
            .map(|n| n == 1)
            .map_err(|e| self.err(e))
    }

    fn knows_job(&mut self, job: &str) -> Result<bool> {
        self.sql
            .query_row("SELECT 1 FROM transfers WHERE job = ?1 LIMIT 1", params![job], |_| Ok(()))
            .optional()
            .map(|o| o.is_some())
            .map_err(|e| self.err(e))
    }

    fn shared(&mut self) -> Option<&mut dyn super::Shared> {
        None
    }
}

/// A ledger file at schema version 1, as an old ferry left it.
#[cfg(test)]
pub(super) fn tests_make_v1(path: &Path) {
    let c = Connection::open(path).unwrap();
    c.execute_batch(&format!("BEGIN; {SCHEMA_V1} PRAGMA user_version = 1; COMMIT;")).unwrap();
}

#[cfg(test)]
pub(super) fn tests_user_version(path: &Path) -> i64 {
    Connection::open(path).unwrap().pragma_query_value(None, "user_version", |r| r.get(0)).unwrap()
}
