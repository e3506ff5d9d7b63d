//! The shared ledger: PostgreSQL through tokio-postgres, with job leases and schedule claims so
//! that several hosts can run one job file. The schema is versioned in `ferry_schema` and
//! migrated on first use under an advisory lock (several daemons may start at once).
//!
//! The `Store` calls are synchronous (the executor calls the ledger from blocking threads). A
//! dedicated thread drives the connection; a call only queues a request to it and waits, so it
//! works from any thread.

use super::{Fence, Hashes, Holder, Pending, Record, RunRecord, Settled, Shared, Store, Version, to_seconds};
use crate::error::{Error, ErrorKind, Result};
use chrono::{DateTime, Utc};
use std::collections::{HashMap, HashSet};
use std::time::Duration;
use tokio_postgres::types::ToSql;

/// Version 1 of the shared schema: the SQLite ledger's tables (with real time stamps), the
/// job leases and the schedule rows.
const SCHEMA_V1: &str = "
CREATE TABLE transfers (
    id          BIGSERIAL PRIMARY KEY,
    job         TEXT NOT NULL,
    direction   TEXT NOT NULL,
    source      TEXT NOT NULL,
    path        TEXT NOT NULL,
    size        BIGINT NOT NULL,
    mtime_ns    BIGINT,
    sha256      TEXT,
    target      TEXT NOT NULL,
    target_path TEXT NOT NULL,
    started_at  TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ NOT NULL,
    bytes       BIGINT NOT NULL,
    outcome     TEXT NOT NULL
);
CREATE INDEX transfers_once ON transfers (job, source, path, size, mtime_ns);
CREATE INDEX transfers_time ON transfers (finished_at);
-- Partial indexes, so that no plan reaches the pending rows of a job through an index of its
-- deliveries (right after a bulk insert, before statistics catch up, PostgreSQL would otherwise scan every
-- pending row of the job once per row being superseded).
CREATE INDEX transfers_job_done ON transfers (job, finished_at) WHERE outcome = 'done';
CREATE INDEX transfers_pending ON transfers (job, source, path, size) WHERE outcome = 'pending';
CREATE TABLE job_runs (
    job          TEXT PRIMARY KEY,
    started_at   TIMESTAMPTZ NOT NULL,
    finished_at  TIMESTAMPTZ NOT NULL,
    exit_code    INTEGER NOT NULL,
    outcome      TEXT NOT NULL,
    files        BIGINT NOT NULL,
    bytes        BIGINT NOT NULL,
    failed       BIGINT NOT NULL,
    host         TEXT NOT NULL,
    pid          BIGINT NOT NULL,
    last_success TIMESTAMPTZ,
    failed_runs  BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE job_counters (
    job   TEXT NOT NULL,
    name  TEXT NOT NULL,
    label TEXT NOT NULL,
    value BIGINT NOT NULL,
    PRIMARY KEY (job, name, label)
);
CREATE TABLE deadlines (
    job       TEXT NOT NULL,
    deadline  TIMESTAMPTZ NOT NULL,
    delivered BIGINT NOT NULL,
    met       BOOLEAN NOT NULL,
    judged_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (job, deadline)
);
-- One lease per job: taken only once expired (epoch + 1), expiry by the database's clock.
CREATE TABLE leases (
    job        TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    host       TEXT NOT NULL,
    pid        BIGINT NOT NULL,
    epoch      BIGINT NOT NULL,
    since      TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
-- When each scheduled job is next due; a host claims a run by moving it on.
CREATE TABLE schedules (
    job      TEXT PRIMARY KEY,
    next_due TIMESTAMPTZ NOT NULL
);
";

const SCHEMA_VERSION: i32 = 1;

/// Any key that serialises ferry's migrations across hosts (`pg_advisory_xact_lock`).
const MIGRATION_LOCK: i64 = 0x6665_7272_79;

/// How long connecting (and each migration step) may take before the ledger is unreachable.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// `url` without its password (in the user part or a `password=` parameter).
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_string() };
    let (auth, tail) = match rest.find(['/', '?']) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let auth = match auth.rsplit_once('@') {
        Some((user, host)) => format!("{}@{host}", user.split(':').next().unwrap_or_default()),
        None => auth.to_string(),
    };
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let q: Vec<String> = query
                .split('&')
                .map(|kv| if kv.to_ascii_lowercase().starts_with("password=") { "password=***".to_string() } else { kv.to_string() })
                .collect();
            format!("{path}?{}", q.join("&"))
        }
        None => tail.to_string(),
    };
    format!("{scheme}://{auth}{tail}")
}

/// The connection settings of `url` and the CA file named by its `sslrootcert=` (which the
/// client library does not read itself). libpq's `verify-ca` and `verify-full` are accepted
/// and mean `require`: ferry always verifies the server's certificate when TLS is used.
fn config(url: &str) -> Result<(tokio_postgres::Config, Option<String>)> {
    let bad = |e: String| Error::usage(format!("ledger {}: {e}", redact(url)));
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let mut ca = None;
    let mut kept = vec![];
    for kv in query.split('&').filter(|s| !s.is_empty()) {
        match kv.split_once('=') {
            Some(("sslrootcert", v)) => ca = Some(percent_encoding::percent_decode_str(v).decode_utf8_lossy().into_owned()),
            Some(("sslmode", "verify-ca" | "verify-full")) => kept.push("sslmode=require".to_string()),
            _ => kept.push(kv.to_string()),
        }
    }
    let url = if kept.is_empty() { base.to_string() } else { format!("{base}?{}", kept.join("&")) };
    let cfg: tokio_postgres::Config = url.parse().map_err(|e: tokio_postgres::Error| bad(e.to_string()))?;
    if cfg.get_hosts().is_empty() {
        return Err(bad("no host (write postgresql://USER@HOST/DB)".into()));
    }
    Ok((cfg, ca))
}

/// Refuse a `postgresql://` value ferry cannot use, before anything runs.
pub fn check_url(url: &str) -> Result<()> {
    config(url).map(|_| ())
}

/// The password from `~/.pgpass` (or `$PGPASSFILE`) for this host, port, database and user;
/// `*` matches anything, `\` escapes `:` and `\`.
fn pgpass(host: &str, port: u16, db: &str, user: &str) -> Option<String> {
    let path = std::env::var_os("PGPASSFILE")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".pgpass"));
    let text = std::fs::read_to_string(path).ok()?;
    let port = port.to_string();
    text.lines().filter(|l| !l.trim_start().starts_with('#')).find_map(|line| {
        let mut fields = vec![String::new()];
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => fields.last_mut()?.extend(chars.next()),
                ':' if fields.len() < 5 => fields.push(String::new()),
                c => fields.last_mut()?.push(c),
            }
        }
        let [h, p, d, u, pw] = <[String; 5]>::try_from(fields).ok()?;
        let m = |f: &str, v: &str| f == "*" || f == v;
        (m(&h, host) && m(&p, &port) && m(&d, db) && m(&u, user)).then_some(pw)
    })
}

/// The error text of a failed database call: the server's own message where it sent one.
fn pg_err(url: &str, e: tokio_postgres::Error) -> Error {
    let text = match e.as_db_error() {
        Some(db) => db.message().to_string(),
        None => {
            let mut s = e.to_string();
            let mut src = std::error::Error::source(&e);
            while let Some(inner) = src {
                s.push_str(&format!(": {inner}"));
                src = inner.source();
            }
            s
        }
    };
    // A refused login is exit 3 like any other; so is a server that cannot be reached, or a
    // database that does not exist or is shutting down. The rest is an error of the ledger.
    let kind = match e.as_db_error().map(|d| d.code().code()) {
        Some(c) if c.starts_with("28") => ErrorKind::Auth,
        Some(c) if c.starts_with("08") || c.starts_with("57P") || c == "3D000" => ErrorKind::Connect,
        Some(_) => ErrorKind::Io,
        None if e.is_closed() || std::error::Error::source(&e).is_some_and(|s| s.is::<std::io::Error>()) => ErrorKind::Connect,
        // The client's own "password missing": a login that cannot be made, like a refused one.
        None if text.contains("password") => ErrorKind::Auth,
        None if text.contains("connect") => ErrorKind::Connect,
        None => ErrorKind::Io,
    };
    let hint = if text.contains("password missing") { " (set ledger_password_env, PGPASSWORD or ~/.pgpass)" } else { "" };
    Error::new(kind, format!("ledger {}: {text}{hint}", redact(url)))
}

pub struct Postgres {
    client: tokio_postgres::Client,
    url: String,
    /// The connection thread's runtime: it keeps the time for `within`.
    rt: tokio::runtime::Handle,
    /// A call went unanswered: the connection is given up, and every later call fails at once
    /// (its requests would queue behind the unanswered one).
    broken: std::sync::Arc<std::sync::atomic::AtomicBool>,
    /// Dropped with the store: lets the connection thread end.
    _stop: tokio::sync::oneshot::Sender<()>,
}

/// How long one ledger call may wait for the database before the ledger counts as unreachable.
const CALL_TIMEOUT: Duration = Duration::from_secs(10);

/// What bounds a call: the timer's runtime, the broken flag, the URL for messages. Cloned out
/// of the store, so that the call itself may borrow the client mutably (a transaction).
struct Bound {
    rt: tokio::runtime::Handle,
    broken: std::sync::Arc<std::sync::atomic::AtomicBool>,
    url: String,
}

/// Run a database call to completion from any thread, within `CALL_TIMEOUT`.
fn within<F: std::future::Future>(pg: &Bound, f: F) -> Result<F::Output> {
    use std::sync::atomic::Ordering;
    let gone = |what: &str| Error::new(ErrorKind::Connect, format!("ledger {}: {what}", redact(&pg.url)));
    if pg.broken.load(Ordering::SeqCst) {
        return Err(gone("the connection was given up after a call the database did not answer"));
    }
    // The sleep is made inside the task: a timer belongs to the runtime it is created on.
    let timer = pg.rt.spawn(async { tokio::time::sleep(CALL_TIMEOUT).await });
    match futures_executor::block_on(futures_util::future::select(std::pin::pin!(f), timer)) {
        futures_util::future::Either::Left((out, timer)) => {
            timer.abort();
            Ok(out)
        }
        futures_util::future::Either::Right(_) => {
            pg.broken.store(true, Ordering::SeqCst);
            Err(gone(&format!("no answer in {}s", CALL_TIMEOUT.as_secs())))
        }
    }
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

impl Postgres {
    /// Connect (TLS per `sslmode`, verified with the system's roots and `sslrootcert=`),
    /// taking the password from the URL, `$password_env`, `PGPASSWORD` or `~/.pgpass`, and
    /// migrate the schema.
    pub fn open(url: &str, password_env: Option<&str>) -> Result<Postgres> {
        let (mut cfg, ca) = config(url)?;
        if cfg.get_user().is_none() {
            let user = std::env::var("PGUSER").or_else(|_| std::env::var("USER")).unwrap_or_else(|_| "postgres".into());
            cfg.user(&user);
        }
        if cfg.get_dbname().is_none() {
            let db = cfg.get_user().unwrap_or_default().to_string();
            cfg.dbname(&db);
        }
        if cfg.get_password().is_none() {
            let from_env = match password_env {
                Some(var) => Some(crate::secret::secret_from_env(var, "ledger password")?.expose().to_string()),
                None => std::env::var("PGPASSWORD").ok().filter(|p| !p.is_empty()),
            };
            let host = match cfg.get_hosts().first() {
                Some(tokio_postgres::config::Host::Tcp(h)) => h.clone(),
                Some(tokio_postgres::config::Host::Unix(p)) => p.display().to_string(),
                None => String::new(),
            };
            let port = cfg.get_ports().first().copied().unwrap_or(5432);
            if let Some(pw) = from_env
                .or_else(|| pgpass(&host, port, cfg.get_dbname().unwrap_or_default(), cfg.get_user().unwrap_or_default()))
            {
                cfg.password(pw);
            }
        }
        if cfg.get_connect_timeout().is_none() {
            cfg.connect_timeout(CONNECT_TIMEOUT);
        }
        // Keepalives: a dead database host is noticed, not waited on for ever.
        cfg.keepalives_idle(Duration::from_secs(15));
        let tls = crate::backend::ftp::tls::TlsFactory::new(&crate::backend::ftp::tls::TlsOptions {
            ca_file: ca,
            insecure: false,
            fingerprint: None,
        })?;
        let tls = tokio_postgres_rustls::MakeRustlsConnect::new((*tls.config()).clone());
        let (tx, rx) = std::sync::mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let shown = redact(url);
        std::thread::Builder::new()
            .name("ferry-ledger".into())
            .spawn(move || {
                let rt = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
                    Ok(rt) => rt,
                    Err(e) => {
                        let _ = tx.send(Err(Error::new(ErrorKind::Io, format!("ledger {shown}: cannot start its thread: {e}"))));
                        return;
                    }
                };
                rt.block_on(async move {
                    match tokio::time::timeout(CONNECT_TIMEOUT + Duration::from_secs(1), cfg.connect(tls)).await {
                        Err(_) => {
                            let _ = tx.send(Err(Error::new(ErrorKind::Connect, format!("ledger {shown}: no answer in {CONNECT_TIMEOUT:?}"))));
                        }
                        Ok(Err(e)) => {
                            let _ = tx.send(Err(pg_err(&shown, e)));
                        }
                        Ok(Ok((client, conn))) => {
                            let _ = tx.send(Ok((client, tokio::runtime::Handle::current())));
                            if let Err(e) = conn.await {
                                tracing::warn!(ledger = %shown, error = %e, "ledger connection lost");
                            }
                            // The runtime outlives the connection until the store goes: its
                            // timers still bound the calls that fail from now on.
                            let _ = stopped.await;
                        }
                    }
                });
            })
            .map_err(|e| Error::new(ErrorKind::Io, format!("ledger {}: cannot start its thread: {e}", redact(url))))?;
        let (client, rt) = rx.recv().map_err(|_| Error::new(ErrorKind::Io, format!("ledger {}: its thread ended", redact(url))))??;
        let mut pg = Postgres { client, url: url.to_string(), rt, broken: Default::default(), _stop: stop };
        pg.migrate()?;
        Ok(pg)
    }

    fn err(&self, e: tokio_postgres::Error) -> Error {
        pg_err(&self.url, e)
    }

    fn bound(&self) -> Bound {
        Bound { rt: self.rt.clone(), broken: self.broken.clone(), url: self.url.clone() }
    }

    fn migrate(&mut self) -> Result<()> {
        let url = self.url.clone();
        let b = self.bound();
        within(&b, async {
            let tx = self.client.transaction().await?;
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).await?;
            tx.batch_execute("CREATE TABLE IF NOT EXISTS ferry_schema (version INTEGER NOT NULL)").await?;
            let found: i32 = tx.query_one("SELECT COALESCE(MAX(version), 0) FROM ferry_schema", &[]).await?.get(0);
            if found > SCHEMA_VERSION {
                return Ok(Err(Error::usage(format!(
                    "ledger {} has schema version {found}, newer than this ferry understands ({SCHEMA_VERSION})",
                    redact(&url)
                ))));
            }
            for (v, sql) in [(1, SCHEMA_V1)] {
                if found < v {
                    tx.batch_execute(sql).await?;
                }
            }
            if found < SCHEMA_VERSION {
                tx.execute("DELETE FROM ferry_schema", &[]).await?;
                tx.execute("INSERT INTO ferry_schema (version) VALUES ($1)", &[&SCHEMA_VERSION]).await?;
            }
            tx.commit().await?;
            Ok(Ok(()))
        })?
        .map_err(|e| pg_err(&url, e))?
    }

    fn query(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<tokio_postgres::Row>> {
        within(&self.bound(), self.client.query(sql, params))?.map_err(|e| self.err(e))
    }

    fn execute(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<u64> {
        within(&self.bound(), self.client.execute(sql, params))?.map_err(|e| self.err(e))
    }
}

/// The fence check every write begins with: the lease row is locked for share, so a taker's
/// update waits for this transaction, and must still be this holder's and unexpired.
const FENCE_SQL: &str = "SELECT 1 FROM leases WHERE job = $1 AND holder = $2 AND epoch = $3 AND expires_at > now() FOR SHARE";

fn lost(f: &Fence) -> Error {
    Error::new(
        ErrorKind::Locked,
        format!("job {:?}: this run lost its lease (epoch {}) to another holder; it writes and archives nothing more", f.job, f.epoch),
    )
}

impl Store for Postgres {
    fn write(&mut self, settled: &[Settled], batch: &[Record], fences: &[Fence]) -> Result<Vec<i64>> {
        let url = self.url.clone();
        let b = self.bound();
        let r = within(&b, async {
            let tx = self.client.transaction().await?;
            for f in fences {
                if tx.query_opt(FENCE_SQL, &[&f.job, &f.holder, &f.epoch]).await?.is_none() {
                    return Ok(Err(lost(f)));
                }
            }
            let (done, dropped): (Vec<&Settled>, Vec<&Settled>) = settled.iter().partition(|s| s.outcome.is_some());
            if !done.is_empty() {
                let ids: Vec<i64> = done.iter().map(|s| s.id).collect();
                let outcomes: Vec<&str> = done.iter().map(|s| s.outcome.as_deref().unwrap_or_default()).collect();
                let whens: Vec<DateTime<Utc>> = done.iter().map(|s| s.at).collect();
                let starts: Vec<Option<DateTime<Utc>>> = done.iter().map(|s| s.started_at).collect();
                let hashes: Vec<Option<&str>> = done.iter().map(|s| s.sha256.as_deref()).collect();
                let bytes: Vec<Option<i64>> = done.iter().map(|s| s.bytes.map(|b| b as i64)).collect();
                tx.execute(
                    "UPDATE transfers t SET outcome = u.outcome, finished_at = u.at, started_at = COALESCE(u.started, t.started_at),
                       sha256 = COALESCE(u.sha256, t.sha256), bytes = COALESCE(u.bytes, t.bytes)
                     FROM unnest($1::bigint[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::text[], $6::bigint[])
                       AS u(id, outcome, at, started, sha256, bytes) WHERE t.id = u.id",
                    &[&ids, &outcomes, &whens, &starts, &hashes, &bytes],
                )
                .await?;
            }
            if !dropped.is_empty() {
                let ids: Vec<i64> = dropped.iter().map(|s| s.id).collect();
                tx.execute("DELETE FROM transfers WHERE id = ANY($1) AND outcome = 'pending'", &[&ids]).await?;
            }
            if batch.is_empty() {
                tx.commit().await?;
                return Ok(Ok(vec![]));
            }
            // Whole batches in three statements, whatever their size: the ids are drawn from the
            // sequence first (in order, so each row's id is known), earlier pending attempts at
            // the same versions are superseded, and the rows go in from arrays.
            let n = batch.len() as i64;
            let ids: Vec<i64> = tx
                .query("SELECT nextval(pg_get_serial_sequence('transfers', 'id')) FROM generate_series(1, $1::bigint)", &[&n])
                .await?
                .iter()
                .map(|r| r.get(0))
                .collect();
            let col = |f: fn(&Record) -> &str| batch.iter().map(f).collect::<Vec<&str>>();
            let (jobs, dirs, sources, paths) = (col(|r| &r.job), col(|r| &r.direction), col(|r| &r.source), col(|r| &r.path));
            let (targets, tpaths, outcomes) = (col(|r| &r.target), col(|r| &r.target_path), col(|r| &r.outcome));
            let sizes: Vec<i64> = batch.iter().map(|r| r.size as i64).collect();
            let mtimes: Vec<Option<i64>> = batch.iter().map(|r| r.mtime_ns).collect();
            let hashes: Vec<Option<&str>> = batch.iter().map(|r| r.sha256.as_deref()).collect();
            let starts: Vec<DateTime<Utc>> = batch.iter().map(|r| r.started_at).collect();
            let ends: Vec<DateTime<Utc>> = batch.iter().map(|r| r.finished_at).collect();
            let bytes: Vec<i64> = batch.iter().map(|r| r.bytes as i64).collect();
            tx.execute(
                "DELETE FROM transfers t USING unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::text[])
                   AS u(job, source, path, size, mtime_ns, outcome)
                 WHERE u.outcome = 'pending' AND t.outcome = 'pending' AND t.job = u.job AND t.source = u.source
                   AND t.path = u.path AND t.size = u.size AND t.mtime_ns IS NOT DISTINCT FROM u.mtime_ns",
                &[&jobs, &sources, &paths, &sizes, &mtimes, &outcomes],
            )
            .await?;
            tx.execute(
                "INSERT INTO transfers (id, job, direction, source, path, size, mtime_ns, sha256, target, target_path,
                   started_at, finished_at, bytes, outcome)
                 SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[],
                   $8::text[], $9::text[], $10::text[], $11::timestamptz[], $12::timestamptz[], $13::bigint[], $14::text[])",
                &[&ids, &jobs, &dirs, &sources, &paths, &sizes, &mtimes, &hashes, &targets, &tpaths, &starts, &ends, &bytes, &outcomes],
            )
            .await?;
            tx.commit().await?;
            Ok(Ok(ids))
        });
        r?.map_err(|e| pg_err(&url, e))?
    }

    fn pending(&mut self, job: &str, source: &str) -> Result<Pending> {
        let rows = self.query(
            "SELECT path, size, mtime_ns, id, target_path FROM transfers WHERE job = $1 AND source = $2 AND outcome = 'pending'",
            &[&job, &source],
        )?;
        Ok(rows.iter().map(|r| ((r.get(0), r.get::<_, i64>(1) as u64, r.get(2)), (r.get(3), r.get(4)))).collect())
    }

    fn known_hashes(&mut self, job: &str, source: &str, target: &str) -> Result<Hashes> {
        let one = |sql: &str, side: &str| -> Result<HashMap<Version, String>> {
            let rows = self.query(sql, &[&job, &side])?;
            Ok(rows.iter().map(|r| (to_seconds((r.get(0), r.get::<_, i64>(1) as u64, r.get(2))), r.get(3))).collect())
        };
        let src = one(
            "SELECT path, size, mtime_ns, sha256 FROM transfers WHERE job = $1 AND source = $2 AND outcome = 'done' AND sha256 IS NOT NULL",
            source,
        )?;
        let dst = one(
            "SELECT target_path, size, mtime_ns, sha256 FROM transfers WHERE job = $1 AND target = $2 AND outcome = 'done' AND sha256 IS NOT NULL",
            target,
        )?;
        Ok((src, dst))
    }

    fn delivered(&mut self, job: &str, source: &str) -> Result<HashSet<Version>> {
        let rows =
            self.query("SELECT path, size, mtime_ns FROM transfers WHERE job = $1 AND source = $2 AND outcome = 'done'", &[&job, &source])?;
        Ok(rows.iter().map(|r| (r.get(0), r.get::<_, i64>(1) as u64, r.get(2))).collect())
    }

    fn history(&mut self, job: Option<&str>, since: Option<DateTime<Utc>>) -> Result<Vec<Record>> {
        let rows = self.query(
            "SELECT job, direction, source, path, size, mtime_ns, sha256, target, target_path, started_at, finished_at, bytes, outcome
             FROM transfers WHERE ($1::text IS NULL OR job = $1) AND ($2::timestamptz IS NULL OR finished_at >= $2) ORDER BY id",
            &[&job, &since],
        )?;
        Ok(rows
            .iter()
            .map(|r| Record {
                job: r.get(0),
                direction: r.get(1),
                source: r.get(2),
                path: r.get(3),
                size: r.get::<_, i64>(4) as u64,
                mtime_ns: r.get(5),
                sha256: r.get(6),
                target: r.get(7),
                target_path: r.get(8),
                started_at: r.get(9),
                finished_at: r.get(10),
                bytes: r.get::<_, i64>(11) as u64,
                outcome: r.get(12),
            })
            .collect())
    }

    fn forget(&mut self, job: &str, path: Option<&str>) -> Result<usize> {
        self.execute("DELETE FROM transfers WHERE job = $1 AND ($2::text IS NULL OR path = $2)", &[&job, &path]).map(|n| n as usize)
    }

    fn record_run(&mut self, job: &str, run: Option<&RunRecord>, counters: &[(&str, String, u64)]) -> Result<()> {
        let url = self.url.clone();
        let b = self.bound();
        within(&b, async {
            let tx = self.client.transaction().await?;
            if let Some(r) = run {
                let ok = matches!(r.exit_code, 0 | 9);
                tx.execute(
                    "INSERT INTO job_runs (job, started_at, finished_at, exit_code, outcome, files, bytes, failed, host, pid, last_success, failed_runs)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, CASE WHEN $11::boolean THEN $3::timestamptz END, CASE WHEN $11::boolean THEN 0 ELSE 1 END)
                     ON CONFLICT (job) DO UPDATE SET started_at = excluded.started_at, finished_at = excluded.finished_at,
                       exit_code = excluded.exit_code, outcome = excluded.outcome, files = excluded.files, bytes = excluded.bytes,
                       failed = excluded.failed, host = excluded.host, pid = excluded.pid,
                       last_success = CASE WHEN $11 THEN excluded.finished_at ELSE job_runs.last_success END,
                       failed_runs = CASE WHEN $11 THEN 0 ELSE job_runs.failed_runs + 1 END",
                    &[
                        &job,
                        &r.started_at,
                        &r.finished_at,
                        &(r.exit_code as i32),
                        &r.outcome,
                        &(r.files as i64),
                        &(r.bytes as i64),
                        &(r.failed as i64),
                        &r.host,
                        &(r.pid as i64),
                        &ok,
                    ],
                )
                .await?;
            }
            for (name, label, by) in counters.iter().filter(|c| c.2 > 0) {
                tx.execute(
                    "INSERT INTO job_counters (job, name, label, value) VALUES ($1, $2, $3, $4)
                     ON CONFLICT (job, name, label) DO UPDATE SET value = job_counters.value + excluded.value",
                    &[&job, name, label, &(*by as i64)],
                )
                .await?;
            }
            tx.commit().await
        })?
        .map_err(|e| pg_err(&url, e))
    }

    fn last_run(&mut self, job: &str) -> Result<Option<RunRecord>> {
        let rows = self.query(
            "SELECT started_at, finished_at, exit_code, outcome, files, bytes, failed, host, pid, last_success, failed_runs
             FROM job_runs WHERE job = $1",
            &[&job],
        )?;
        Ok(rows.first().map(|r| RunRecord {
            started_at: r.get(0),
            finished_at: r.get(1),
            exit_code: r.get::<_, i32>(2) as u8,
            outcome: r.get(3),
            files: r.get::<_, i64>(4) as u64,
            bytes: r.get::<_, i64>(5) as u64,
            failed: r.get::<_, i64>(6) as u64,
            host: r.get(7),
            pid: r.get::<_, i64>(8) as u32,
            last_success: r.get(9),
            failed_runs: r.get::<_, i64>(10) as u64,
        }))
    }

    fn counters(&mut self, job: &str) -> Result<Vec<(String, String, u64)>> {
        let rows = self.query("SELECT name, label, value FROM job_counters WHERE job = $1 ORDER BY name, label", &[&job])?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1), r.get::<_, i64>(2) as u64)).collect())
    }

    fn delivered_between(&mut self, job: &str, after: Option<DateTime<Utc>>, until: DateTime<Utc>) -> Result<u64> {
        let rows = self.query(
            "SELECT COUNT(*) FROM transfers WHERE job = $1 AND outcome = 'done'
             AND ($2::timestamptz IS NULL OR finished_at > $2) AND finished_at <= $3",
            &[&job, &after, &until],
        )?;
        Ok(rows.first().map(|r| r.get::<_, i64>(0) as u64).unwrap_or(0))
    }

    fn last_delivery(&mut self, job: &str) -> Result<Option<DateTime<Utc>>> {
        let rows = self.query("SELECT MAX(finished_at) FROM transfers WHERE job = $1 AND outcome = 'done'", &[&job])?;
        Ok(rows.first().and_then(|r| r.get(0)))
    }

    fn judge_deadline(&mut self, job: &str, v: &crate::expect::Verdict) -> Result<bool> {
        self.execute(
            "INSERT INTO deadlines (job, deadline, delivered, met, judged_at) VALUES ($1, $2, $3, $4, now()) ON CONFLICT DO NOTHING",
            &[&job, &v.deadline, &(v.delivered as i64), &v.met],
        )
        .map(|n| n == 1)
    }

    fn knows_job(&mut self, job: &str) -> Result<bool> {
        Ok(!self.query("SELECT 1 FROM transfers WHERE job = $1 LIMIT 1", &[&job])?.is_empty())
    }

    fn shared(&mut self) -> Option<&mut dyn Shared> {
        Some(self)
    }
}

impl Shared for Postgres {
    fn take(&mut self, job: &str, holder: &str, ttl: Duration) -> Result<std::result::Result<i64, Holder>> {
        let host = crate::metrics::hostname();
        let pid = std::process::id() as i64;
        let rows = self.query(
            "INSERT INTO leases (job, holder, host, pid, epoch, since, expires_at)
             VALUES ($1, $2, $3, $4, 1, now(), now() + make_interval(secs => $5::float8))
             ON CONFLICT (job) DO UPDATE SET holder = excluded.holder, host = excluded.host, pid = excluded.pid,
               epoch = leases.epoch + 1, since = excluded.since, expires_at = excluded.expires_at
             WHERE leases.expires_at <= now()
             RETURNING epoch",
            &[&job, &holder, &host, &pid, &secs(ttl)],
        )?;
        if let Some(r) = rows.first() {
            return Ok(Ok(r.get(0)));
        }
        // Held: name the holder (it may have expired between the two statements; say so then).
        Ok(Err(self.holder(job)?.unwrap_or_else(|| Holder {
            host: "another host".into(),
            pid: 0,
            since: Utc::now(),
            epoch: 0,
            expires_at: Utc::now(),
        })))
    }

    fn renew(&mut self, f: &Fence, ttl: Duration) -> Result<bool> {
        self.execute(
            "UPDATE leases SET expires_at = now() + make_interval(secs => $4::float8)
             WHERE job = $1 AND holder = $2 AND epoch = $3 AND expires_at > now()",
            &[&f.job, &f.holder, &f.epoch, &secs(ttl)],
        )
        .map(|n| n == 1)
    }

    fn confirm(&mut self, f: &Fence, left: Duration) -> Result<bool> {
        self.query(
            "SELECT 1 FROM leases WHERE job = $1 AND holder = $2 AND epoch = $3 AND expires_at > now() + make_interval(secs => $4::float8)",
            &[&f.job, &f.holder, &f.epoch, &secs(left)],
        )
        .map(|r| !r.is_empty())
    }

    fn release(&mut self, f: &Fence) -> Result<()> {
        self.execute(
            "UPDATE leases SET expires_at = now() WHERE job = $1 AND holder = $2 AND epoch = $3 AND expires_at > now()",
            &[&f.job, &f.holder, &f.epoch],
        )
        .map(|_| ())
    }

    fn holder(&mut self, job: &str) -> Result<Option<Holder>> {
        let rows = self.query("SELECT host, pid, since, epoch, expires_at FROM leases WHERE job = $1 AND expires_at > now()", &[&job])?;
        Ok(rows.first().map(|r| Holder {
            host: r.get(0),
            pid: r.get::<_, i64>(1) as u32,
            since: r.get(2),
            epoch: r.get(3),
            expires_at: r.get(4),
        }))
    }

    fn claim(&mut self, job: &str, slot: DateTime<Utc>, next: DateTime<Utc>) -> Result<bool> {
        self.query(
            "INSERT INTO schedules (job, next_due) VALUES ($1, $3)
             ON CONFLICT (job) DO UPDATE SET next_due = excluded.next_due WHERE schedules.next_due <= $2
             RETURNING job",
            &[&job, &slot, &next],
        )
        .map(|r| !r.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_show() {
        assert_eq!(redact("postgresql://ferry:s3cret@db:5432/ferry"), "postgresql://ferry@db:5432/ferry");
        assert_eq!(redact("postgres://db/ferry?user=a&password=s3cret&sslmode=require"), "postgres://db/ferry?user=a&password=***&sslmode=require");
        assert_eq!(redact("postgresql://db"), "postgresql://db");
        assert_eq!(redact("postgresql://u:p@db?password=x"), "postgresql://u@db?password=***");
    }

    #[test]
    fn urls_are_checked_and_libpq_modes_understood() {
        assert!(check_url("postgresql://ferry@127.0.0.1:5432/ferry").is_ok());
        let (cfg, ca) = config("postgresql://u@h/d?sslmode=verify-full&sslrootcert=/etc/ca.pem").unwrap();
        assert_eq!(cfg.get_ssl_mode(), tokio_postgres::config::SslMode::Require);
        assert_eq!(ca.as_deref(), Some("/etc/ca.pem"));
        let e = check_url("postgresql://u:pw@h/d?bogus=1").unwrap_err();
        assert_eq!(e.exit().code(), 2);
        assert!(!e.message.contains("pw@"), "{}", e.message);
        assert!(check_url("postgresql:///d").is_err(), "no host");
    }

    #[test]
    fn pgpass_lines_match_with_wildcards_and_escapes() {
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join("pgpass");
        std::fs::write(&f, "# comment\nother:5432:*:*:no\n127.0.0.1:*:ferry:bob:a\\:b\\\\c\n*:*:*:*:fallback\n").unwrap();
        // SAFETY: this test alone reads PGPASSFILE.
        unsafe { std::env::set_var("PGPASSFILE", &f) };
        assert_eq!(pgpass("127.0.0.1", 5433, "ferry", "bob").as_deref(), Some("a:b\\c"));
        assert_eq!(pgpass("db", 1, "x", "y").as_deref(), Some("fallback"));
        unsafe { std::env::remove_var("PGPASSFILE") };
    }
}
