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

/// A source file version: path, size, mtime (ns).
pub type Version = (String, u64, Option<i64>);

/// A version with its mtime cut to whole seconds: hash caches compare at the precision every
/// server offers (a pushed file's target mtime is the source's, truncated by SFTP).
pub fn to_seconds(v: Version) -> Version {
    (v.0, v.1, v.2.map(|ns| ns.div_euclid(1_000_000_000) * 1_000_000_000))
}

pub struct Ledger {
    conn: Mutex<Connection>,
    pub path: PathBuf,
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
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(|e| db_err(path, e))?;
        match version {
            0 => {
                conn.execute_batch(&format!("BEGIN; {SCHEMA_V1} PRAGMA user_version = 1; COMMIT;")).map_err(|e| db_err(path, e))?;
            }
            1 => {}
            v => {
                return Err(Error::usage(format!(
                    "ledger {} has schema version {v}, newer than this ferry understands (1)",
                    path.display()
                )));
            }
        }
        Ok(Ledger { conn: Mutex::new(conn), path: path.to_path_buf() })
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Record one transfer; returns its row id. A run writes `pending` before the rename that
    /// makes the file visible and `done` right after it (`set_outcome`), so a crash in between
    /// leaves a row the next run can check against the target instead of guessing.
    pub fn record(&self, r: &Record) -> Result<i64> {
        let conn = self.conn();
        if r.outcome == "pending" {
            // An earlier attempt at this very version that never became visible is superseded.
            conn.prepare_cached(
                "DELETE FROM transfers WHERE job = ?1 AND source = ?2 AND path = ?3 AND size = ?4 AND mtime_ns IS ?5 AND outcome = 'pending'",
            )
            .and_then(|mut st| st.execute(params![r.job, r.source, r.path, r.size as i64, r.mtime_ns]))
            .map_err(|e| db_err(&self.path, e))?;
        }
        let mut st = conn
            .prepare_cached(
                "INSERT INTO transfers (job, direction, source, path, size, mtime_ns, sha256, target, target_path,
                 started_at, finished_at, bytes, outcome) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            )
            .map_err(|e| db_err(&self.path, e))?;
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
        .map_err(|e| db_err(&self.path, e))?;
        Ok(conn.last_insert_rowid())
    }

    /// Settle a row's outcome (`done` once the file is visible under its final name).
    pub fn set_outcome(&self, id: i64, outcome: &str) -> Result<()> {
        self.conn()
            .prepare_cached("UPDATE transfers SET outcome = ?2, finished_at = ?3 WHERE id = ?1")
            .and_then(|mut st| st.execute(params![id, outcome, Utc::now().to_rfc3339()]))
            .map(|_| ())
            .map_err(|e| db_err(&self.path, e))
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
}
