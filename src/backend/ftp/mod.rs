//! FTP and FTPS (explicit and implicit TLS) on suppaftp: a pool of control connections (every
//! suppaftp call takes `&mut self`, so parallelism means more connections), MLSD or parsed LIST
//! listings, REST/APPE resume, MFMT / 2-argument MDTM / SITE UTIME for mtimes, HASH/XSHA256
//! checksums, and byte counts checked against the listed size.

pub mod conn;
pub mod listing;
pub mod probe;
mod sessions;
pub mod tls;

use super::{Backend, Capabilities, ConnectOptions, RawEntry, ReadStream, Unusable, WriteMode, WriteSink, profile};
use crate::endpoint::{Endpoint, Scheme};
use crate::error::{Error, ErrorKind, Result};
use crate::model::{Entry, Kind, Precision, RelPath, clip, quote};
use crate::paths::Standing;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use conn::{Conn, Greeting, Target, TlsMode, check_line, map_err};
use listing::{Line, ListClock, Zone};
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use suppaftp::Status;
use suppaftp::tokio::{AsyncRustlsStream, TransferStream};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

type Xfer = TransferStream<AsyncRustlsStream>;

/// Idle connections older than this get a NOOP before reuse (servers drop idle sessions).
const IDLE_CHECK: Duration = Duration::from_secs(15);

/// Control connections to one server: at most `size` open, fewer after a 421.
struct Pool {
    target: Target,
    idle: Mutex<Vec<Conn>>,
    permits: Arc<Semaphore>,
    size: AtomicUsize,
    open: AtomicUsize,
}

/// A connection checked out of the pool; it goes back on drop unless marked broken.
struct Lease {
    pool: Arc<Pool>,
    conn: Option<Conn>,
    _permit: OwnedSemaphorePermit,
}

impl Lease {
    fn c(&mut self) -> &mut Conn {
        self.conn.as_mut().expect("a lease holds its connection until dropped")
    }
    fn broken(&mut self) {
        self.c().broken = true;
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        if let Some(mut c) = self.conn.take() {
            if c.broken {
                self.pool.open.fetch_sub(1, Ordering::Relaxed);
            } else {
                c.last_used = Instant::now();
                self.pool.idle.lock().expect("pool lock").push(c);
            }
        }
    }
}

/// A 421 at connect: the server allows no more sessions.
fn too_many(e: &Error) -> bool {
    e.code == Some(421)
}

impl Pool {
    async fn get(self: &Arc<Self>) -> Result<Lease> {
        loop {
            let permit = self.permits.clone().acquire_owned().await.expect("the pool's semaphore is never closed");
            let reuse = self.idle.lock().expect("pool lock").pop();
            if let Some(mut c) = reuse {
                if c.last_used.elapsed() < IDLE_CHECK || c.run(async |s| s.noop().await).await.is_ok() {
                    return Ok(Lease { pool: self.clone(), conn: Some(c), _permit: permit });
                }
                // The server closed it while idle: open a fresh one below.
                self.open.fetch_sub(1, Ordering::Relaxed);
            }
            match conn::connect(&self.target).await {
                Ok((c, _)) => {
                    self.open.fetch_add(1, Ordering::Relaxed);
                    return Ok(Lease { pool: self.clone(), conn: Some(c), _permit: permit });
                }
                Err(e) if too_many(&e) && self.open.load(Ordering::Relaxed) > 0 => {
                    // The server allows fewer sessions than asked: shrink and carry on.
                    permit.forget();
                    crate::metrics::server(&self.target.server, |s| s.replies_421 += 1);
                    let now = self.size.fetch_sub(1, Ordering::Relaxed) - 1;
                    tracing::warn!(server = %self.target.label, connections = now, "server refused another connection (421); continuing with fewer");
                }
                Err(e) => return Err(e),
            }
        }
    }
}

/// How this server sets modification times (learned on first use).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum MtimeMethod {
    Unknown = 0,
    Mfmt = 1,
    Mdtm = 2,
    SiteUtime = 3,
    None = 4,
}

impl MtimeMethod {
    fn from_u8(v: u8) -> Self {
        match v {
            1 => Self::Mfmt,
            2 => Self::Mdtm,
            3 => Self::SiteUtime,
            4 => Self::None,
            _ => Self::Unknown,
        }
    }
    /// The command's name (`MDTM` means its two-argument, setting form).
    pub fn command(self) -> &'static str {
        match self {
            Self::Mfmt => "MFMT",
            Self::Mdtm => "MDTM",
            Self::SiteUtime => "SITE UTIME",
            Self::None => "none",
            Self::Unknown => "unknown",
        }
    }
    fn from_name(s: &str) -> Self {
        [Self::Mfmt, Self::Mdtm, Self::SiteUtime, Self::None].into_iter().find(|m| m.command() == s).unwrap_or(Self::Unknown)
    }
}

/// Server quirks shared by the backend and its open streams.
struct Quirks {
    mtime: AtomicU8,
    feat: std::collections::BTreeMap<String, String>,
    /// RNFR and RNTO go back to back (one round trip); off for good once the server mishandled
    /// a pair (see `pipeline_failed`).
    pipeline: AtomicBool,
}

impl Quirks {
    /// A pair sent back to back went wrong: some servers drop or reorder commands that arrive
    /// before they have answered the one before (lftp's `ftp:sync-mode` exists for them). From
    /// now on each command waits for its reply; the server profile keeps that. Returns `true`
    /// when this is news (pipelining was on).
    fn pipeline_failed(&self) -> bool {
        let was = self.pipeline.swap(false, Ordering::Relaxed);
        if was {
            tracing::info!("the server mishandled RNFR and RNTO sent back to back; sending one at a time from now on");
        }
        was
    }

    /// Set `path`'s mtime on `c` with the first command that works here; `Ok(false)` when none does.
    async fn set_mtime(&self, c: &mut Conn, path: &str, t: DateTime<Utc>) -> Result<bool> {
        let stamp = t.format("%Y%m%d%H%M%S").to_string();
        let known = MtimeMethod::from_u8(self.mtime.load(Ordering::Relaxed));
        let candidates: Vec<MtimeMethod> = match known {
            MtimeMethod::None => return Ok(false),
            MtimeMethod::Unknown => {
                let mut v = Vec::new();
                if self.feat.contains_key("MFMT") {
                    v.push(MtimeMethod::Mfmt);
                }
                if self.feat.contains_key("MDTM") {
                    v.push(MtimeMethod::Mdtm);
                }
                v.push(MtimeMethod::SiteUtime);
                v
            }
            m => vec![m],
        };
        for m in candidates {
            let (cmd, ok) = match m {
                MtimeMethod::Mfmt => (format!("MFMT {stamp} {path}"), vec![Status::File]),
                MtimeMethod::Mdtm => (format!("MDTM {stamp} {path}"), vec![Status::File]),
                _ => (format!("SITE UTIME {stamp} {path}"), vec![Status::CommandOk, Status::File]),
            };
            match c.run(async |s| s.custom_command(cmd, &ok).await).await {
                Ok(_) => {
                    self.mtime.store(m as u8, Ordering::Relaxed);
                    return Ok(true);
                }
                Err(e) if known == m => return Err(map_err("set mtime", path, e)),
                Err(suppaftp::FtpError::UnexpectedResponse(_)) => continue,
                Err(e) => {
                    c.broken = true;
                    return Err(map_err("set mtime", path, e));
                }
            }
        }
        if self.mtime.swap(MtimeMethod::None as u8, Ordering::Relaxed) != MtimeMethod::None as u8 {
            tracing::warn!(
                "cannot set modification times on this server (it accepts none of MFMT, MDTM with a time, SITE UTIME); later runs compare by size"
            );
        }
        Ok(false)
    }
}

/// How a rename sent as a pipelined pair went.
enum Pipelined {
    Done,
    /// The connection failed: the caller reports it.
    Failed(suppaftp::FtpError),
    /// A reply was a refusal: settle, then try one command at a time.
    Refused {
        rnfr_ok: bool,
    },
}

/// Which checksum command yields a SHA-256 here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HashCmd {
    /// RFC draft `HASH` after `OPTS HASH SHA-256`.
    Hash,
    Xsha256,
}

/// A command that opens a data connection.
#[derive(Debug, Clone, Copy)]
enum DataCmd<'a> {
    /// RETR, after `REST offset` when the offset is not 0.
    Retr {
        offset: u64,
    },
    Stor,
    Appe,
    /// A listing command line (MLSD path, LIST -a).
    Raw(&'a str),
}

/// An FTP server rooted at one directory.
pub struct Ftp {
    pool: Arc<Pool>,
    quirks: Arc<Quirks>,
    greeting: Greeting,
    /// Absolute root on the server, without a trailing slash ("" for `/`).
    root: String,
    home: String,
    label: String,
    mlsd: bool,
    list_cmd: &'static str,
    hash: Option<HashCmd>,
    ascii: bool,
    /// `--timezone`: LIST times are read in this zone.
    zone: Option<Zone>,
    /// Otherwise: the UTC offset of LIST times in seconds, measured from MDTM on first use.
    tz: tokio::sync::OnceCell<i64>,
    made_dirs: Mutex<std::collections::HashSet<String>>,
    /// The stored profile as loaded; written back on drop when this session learned more.
    profile: profile::Profile,
    /// Connections asked for (the pool may shrink below it).
    asked: usize,
}

impl Drop for Ftp {
    fn drop(&mut self) {
        let now = self.learned();
        if now != self.profile {
            profile::save(profile::Kind::Ftp, &self.pool.target.host, self.pool.target.port, &now);
        }
    }
}

fn encoding_of(name: &str) -> Result<Option<&'static encoding_rs::Encoding>> {
    let lower = name.to_ascii_lowercase();
    if lower == "utf-8" || lower == "utf8" {
        return Ok(None);
    }
    encoding_rs::Encoding::for_label(lower.as_bytes())
        .map(Some)
        .ok_or_else(|| Error::usage(format!("unknown encoding {name:?} (expected utf-8, latin1, iso-8859-15 or cp1252)")))
}

/// `UTC`, `Z`, a fixed offset like `+02:00`, or a zone name like `Europe/Berlin`.
pub fn parse_timezone(tz: &str) -> Result<Zone> {
    let t = tz.trim();
    if t.eq_ignore_ascii_case("utc") || t == "Z" {
        return Ok(Zone::UTC);
    }
    if let Ok(o) = t.parse::<chrono::FixedOffset>() {
        return Ok(Zone::Fixed(o));
    }
    t.parse::<chrono_tz::Tz>().map(Zone::Named).map_err(|_| {
        Error::usage(format!("unknown time zone {tz:?} (expected UTC, an offset such as +02:00, or a name such as Europe/Berlin)"))
    })
}

impl Ftp {
    /// Connect, secure, log in and learn the server's features.
    pub async fn connect(ep: &Endpoint, opts: &ConnectOptions) -> Result<Ftp> {
        let label = ep.to_string();
        let tls = match (ep.scheme, opts.tls.as_deref()) {
            (Scheme::Ftps, _) | (_, Some("implicit")) => TlsMode::Implicit,
            (Scheme::Ftpes, _) | (_, Some("explicit")) => TlsMode::Explicit,
            (_, Some(other)) if other != "none" => return Err(Error::usage(format!("--tls {other:?}: expected explicit or implicit"))),
            (Scheme::Ftp, _) => TlsMode::None,
            (Scheme::Local | Scheme::Sftp, _) => unreachable!("the FTP backend is opened for ftp, ftpes and ftps URLs only"),
        };
        let port = ep.port.unwrap_or(if tls == TlsMode::Implicit { 990 } else { 21 });
        let tls_factory = if tls == TlsMode::None {
            None
        } else {
            if opts.insecure {
                tracing::warn!(server = %label, "TLS certificate verification is OFF (--insecure): the server's identity is not checked");
            }
            Some(tls::TlsFactory::new(&tls::TlsOptions {
                ca_file: opts.ca_file.clone(),
                insecure: opts.insecure,
                fingerprint: opts.tls_fingerprint.clone(),
            })?)
        };
        let user = opts.user.clone().or_else(|| ep.user.clone()).unwrap_or_else(|| "anonymous".into());
        let password = opts.password.clone().unwrap_or_else(|| crate::secret::Secret::new("ferry@"));
        let encoding = match &opts.encoding {
            Some(e) => encoding_of(e)?,
            None => None,
        };
        let tz = opts.timezone.as_deref().map(parse_timezone).transpose()?;
        let target = Target {
            host: ep.host.clone(),
            port,
            user,
            password,
            tls,
            tls_factory,
            active: opts.active,
            trust_pasv: opts.trust_pasv,
            ascii: opts.ascii,
            encoding,
            label: label.clone(),
            server: ep.server_label(),
            connect_timeout: opts.faults.connect_timeout,
            timeout: opts.faults.timeout,
        };
        let stored = profile::load(profile::Kind::Ftp, &target.host, target.port);
        let (first, greeting) = conn::connect(&target).await?;
        let asked = opts.connections.unwrap_or(4).max(1);
        // A server that said 421 beyond N sessions before gets N (unless fewer were asked for).
        let size = stored.max_connections.map_or(asked, |m| asked.min(m.max(1)));
        let pool = Arc::new(Pool {
            target,
            idle: Mutex::new(vec![first]),
            permits: Arc::new(Semaphore::new(size)),
            size: AtomicUsize::new(size),
            open: AtomicUsize::new(1),
        });
        let feat = &greeting.feat;
        let mlsd = feat.contains_key("MLST");
        let hash = if feat.get("HASH").is_some_and(|p| p.to_ascii_uppercase().contains("SHA-256")) {
            Some(HashCmd::Hash)
        } else if feat.contains_key("XSHA256") {
            Some(HashCmd::Xsha256)
        } else {
            None
        };
        // `-a` shows dot files on Unix servers (vsftpd hides them otherwise); other systems may
        // take it for a file name.
        let list_cmd = if greeting.syst.to_ascii_uppercase().starts_with("UNIX") { "LIST -a" } else { "LIST" };
        let home = greeting.pwd.trim_end_matches('/').to_string();
        let root = crate::paths::absolute(&home, &ep.path).trim_end_matches('/').to_string();
        check_line("path", &root)?;
        tracing::debug!(server = %label, root = %root, mlsd, syst = %greeting.syst, features = ?feat.keys().collect::<Vec<_>>(), "ftp session ready");
        let known = stored.mtime.as_deref().map_or(MtimeMethod::Unknown, MtimeMethod::from_name);
        let quirks = Arc::new(Quirks {
            mtime: AtomicU8::new(known as u8),
            feat: feat.clone(),
            pipeline: AtomicBool::new(stored.pipelining != Some(false)),
        });
        // Without --timezone the LIST offset is measured afresh each session (never stored): a
        // server on local time changes it twice a year.
        let tzcell = tokio::sync::OnceCell::new();
        Ok(Ftp {
            pool,
            quirks,
            root,
            home: if home.is_empty() { String::new() } else { home },
            label,
            mlsd,
            list_cmd,
            hash,
            ascii: opts.ascii,
            zone: tz,
            tz: tzcell,
            made_dirs: Mutex::new(Default::default()),
            greeting,
            profile: stored,
            asked,
        })
    }

    /// Stop pipelining on this server, and store that at once: a retry after a lost command
    /// reconnects, and the new session reads the profile.
    fn no_pipelining(&self) {
        if self.quirks.pipeline_failed() {
            profile::save(profile::Kind::Ftp, &self.pool.target.host, self.pool.target.port, &self.learned());
        }
    }

    /// `RNFR from` and `RNTO to` in one write, then both replies.
    async fn rename_pipelined(&self, c: &mut Conn, from: &str, to: &str) -> Pipelined {
        let (rnfr, rnto) = (format!("RNFR {from}"), format!("RNTO {to}"));
        let cmds: [(&str, &[Status]); 2] =
            [(&rnfr, &[Status::RequestFilePending]), (&rnto, &[Status::RequestedFileActionOk, Status::CommandOk])];
        let replies = match c.run(async |s| s.custom_commands(&cmds).await).await {
            Ok(r) => r,
            Err(e) => {
                // Silence after a pair: the server may have dropped the second command.
                if matches!(&e, suppaftp::FtpError::ConnectionError(io) if io.kind() == std::io::ErrorKind::TimedOut) {
                    self.no_pipelining();
                }
                return Pipelined::Failed(e);
            }
        };
        match (&replies[0], &replies[1]) {
            (Ok(_), Ok(_)) => Pipelined::Done,
            // A real refusal (no such file; an existing target on a server that does not
            // replace) or a server that took RNTO before it had handled RNFR (ferry's own
            // `serve ftp` does): the same rename one command at a time tells the two apart.
            (r, _) => Pipelined::Refused { rnfr_ok: r.is_ok() },
        }
    }

    /// The profile as this session knows it now.
    fn learned(&self) -> profile::Profile {
        let mut p = self.profile.clone();
        let m = self.mtime_method();
        if m != MtimeMethod::Unknown {
            p.mtime = Some(m.command().to_string());
        }
        if !self.quirks.pipeline.load(Ordering::Relaxed) {
            p.pipelining = Some(false);
        }
        let size = self.pool_size();
        if size < self.asked && p.max_connections.is_none_or(|m| size < m) {
            p.max_connections = Some(size);
        }
        p
    }

    /// What the first connection learned (for `doctor`).
    pub fn greeting(&self) -> &Greeting {
        &self.greeting
    }

    /// The mtime-setting command in use so far.
    pub fn mtime_method(&self) -> MtimeMethod {
        MtimeMethod::from_u8(self.quirks.mtime.load(Ordering::Relaxed))
    }

    /// Open connections right now (shrinks after a 421).
    pub fn pool_size(&self) -> usize {
        self.pool.size.load(Ordering::Relaxed)
    }

    fn full(&self, p: &RelPath) -> String {
        if p.is_root() {
            if self.root.is_empty() { "/".into() } else { self.root.clone() }
        } else {
            format!("{}/{}", self.root, p.as_str())
        }
    }

    fn abs_dir(&self, dir: &str) -> String {
        crate::paths::absolute(&self.home, dir).trim_end_matches('/').to_string()
    }

    /// Run a command on a pooled connection; connection-level failures retire the connection.
    async fn simple(&self, op: &'static str, path: &str, cmd: String, ok: &[Status]) -> Result<suppaftp::types::Response> {
        check_line("path", path)?;
        let mut lease = self.pool.get().await?;
        let r = lease.c().run(async |s| s.custom_command(cmd, ok).await).await;
        r.map_err(|e| {
            if conn::out_of_step(&e) {
                lease.broken();
            }
            map_err(op, path, e)
        })
    }

    /// Open a data connection for `cmd` on `lease` (EPSV, falling back to PASV for good on this
    /// connection when the server refuses EPSV). A failure that leaves the control connection
    /// out of step retires it.
    async fn open_data(&self, lease: &mut Lease, op: &'static str, path: &str, cmd: DataCmd<'_>) -> Result<Xfer> {
        let t = &self.pool.target;
        loop {
            let c = lease.c();
            let r = match cmd {
                DataCmd::Retr { offset } => {
                    if offset > 0 {
                        let _ = c.run(async |s| s.resume_transfer(offset as usize).await).await;
                    }
                    c.run(async |s| s.retr_as_stream(path).await).await
                }
                DataCmd::Stor => c.run(async |s| s.put_with_stream(path).await).await,
                DataCmd::Appe => c.run(async |s| s.append_with_stream(path).await).await,
                DataCmd::Raw(line) => {
                    c.run(async |s| s.custom_data_command(line, &[Status::AboutToSend, Status::AlreadyOpen]).await).await.map(|(_, x)| x)
                }
            };
            match r {
                Ok(x) => return Ok(x),
                Err(e) if c.epsv_refused(&e, t) => continue,
                Err(e) => {
                    if conn::out_of_step(&e) {
                        lease.broken();
                    }
                    return Err(map_err(op, path, e));
                }
            }
        }
    }

    /// A whole data-connection reply (listings) as bytes.
    async fn data_bytes(&self, lease: &mut Lease, cmd: &str, path: &str) -> Result<Vec<u8>> {
        let mut x = self.open_data(lease, "list", path, DataCmd::Raw(cmd)).await?;
        let mut buf = Vec::new();
        let limit = lease.c().limit;
        if let Err(e) = conn::within_io(limit, x.read_to_end(&mut buf)).await {
            drop(x);
            lease.broken();
            return Err(io_err("list", path, e));
        }
        if let Err(e) = conn::within(limit, x.finish()).await {
            lease.broken();
            return Err(map_err("list", path, e));
        }
        Ok(buf)
    }

    fn decode(&self, name: &[u8]) -> std::result::Result<String, Unusable> {
        let bad = || Unusable::not_utf8(&lossy(name));
        match self.pool.target.encoding {
            Some(enc) => enc.decode_without_bom_handling_and_without_replacement(name).map(|s| s.into_owned()).ok_or_else(bad),
            None => String::from_utf8(name.to_vec()).map_err(|_| bad()),
        }
    }

    /// The LIST time-zone offset: given, else MDTM of one listed file compared with its LIST
    /// time (rounded to 15 minutes), else UTC.
    async fn list_offset(&self, dir: &str, sample: Option<(&[u8], DateTime<Utc>)>) -> i64 {
        if let Some(o) = self.tz.get() {
            return *o;
        }
        let Some((name, listed)) = sample else { return 0 };
        if !self.quirks.feat.contains_key("MDTM") {
            let _ = self.tz.set(0);
            return 0;
        }
        let Ok(name) = std::str::from_utf8(name) else { return 0 };
        let path = format!("{}/{}", dir.trim_end_matches('/'), name);
        let off = match self.mdtm(&path).await {
            Ok(real) => {
                let diff = (listed - real).num_seconds();
                let q = 15 * 60;
                let rounded = ((diff as f64) / q as f64).round() as i64 * q;
                if rounded.abs() <= 14 * 3600 { rounded } else { 0 }
            }
            Err(_) => 0,
        };
        if off != 0 {
            tracing::info!(server = %self.label, offset_minutes = off / 60, "LIST times are not UTC; detected the server's offset from MDTM");
        }
        *self.tz.get_or_init(|| async move { off }).await
    }

    async fn mdtm(&self, path: &str) -> Result<DateTime<Utc>> {
        let r = self.simple("mdtm", path, format!("MDTM {path}"), &[Status::File]).await?;
        let text = String::from_utf8_lossy(&r.body);
        let stamp = text.trim().get(4..).unwrap_or("").trim();
        listing::parse_mlsd_time(stamp)
            .map(|(t, _)| t)
            .ok_or_else(|| Error::new(ErrorKind::Protocol, format!("unreadable MDTM reply {:?}", text.trim())).at("mdtm", path))
    }

    async fn exists(&self, path: &str) -> bool {
        self.stat_abs(path, false).await.is_ok()
    }

    async fn stat_abs(&self, full: &str, is_root: bool) -> Result<(Kind, u64, Option<DateTime<Utc>>, Precision)> {
        check_line("path", full)?;
        if is_root {
            let mut lease = self.pool.get().await?;
            return match lease.c().run(async |s| s.cwd(full).await).await {
                Ok(()) => Ok((Kind::Dir, 0, None, Precision::Seconds)),
                Err(e) => Err(map_err("stat", full, e)),
            };
        }
        if self.mlsd {
            let r = self.simple("stat", full, format!("MLST {full}"), &[Status::RequestedFileActionOk]).await?;
            let text = r.body;
            for line in text.split(|&b| b == b'\n').skip(1) {
                let line = line.strip_suffix(b"\r").unwrap_or(line);
                let Some(l) = line.strip_prefix(b" ") else { continue };
                if let Ok(Line::Entry(p)) = listing::parse_mlsd(l) {
                    return Ok((p.kind, p.size, p.mtime, p.precision));
                }
            }
            return Err(Error::new(ErrorKind::Protocol, "unreadable MLST reply").at("stat", full));
        }
        let mut lease = self.pool.get().await?;
        let size = lease.c().run(async |s| s.custom_command(format!("SIZE {full}"), &[Status::File]).await).await;
        match size {
            Ok(r) => {
                let text = String::from_utf8_lossy(&r.body);
                let size = text.trim().get(4..).and_then(|s| s.trim().parse::<u64>().ok()).unwrap_or(0);
                drop(lease);
                let mtime = self.mdtm(full).await.ok();
                Ok((Kind::File, size, mtime, Precision::Seconds))
            }
            Err(suppaftp::FtpError::UnexpectedResponse(_)) => match lease.c().run(async |s| s.cwd(full).await).await {
                Ok(()) => Ok((Kind::Dir, 0, None, Precision::Seconds)),
                // Neither SIZE nor CWD works on it: the server's CWD reply says why.
                Err(e) => Err(map_err("stat", full, e)),
            },
            Err(e) => {
                lease.broken();
                Err(map_err("stat", full, e))
            }
        }
    }

    async fn mkdir_abs(&self, full: &str) -> Result<()> {
        check_line("path", full)?;
        if self.made_dirs.lock().expect("dir cache").contains(full) {
            return Ok(());
        }
        let mut lease = self.pool.get().await?;
        let c = lease.c();
        // MKD first: a mirror asks only for directories it did not find. CWD tells a directory
        // from a file where MKD failed (no FTP reply code says "exists").
        let mut m = crate::backend::MkdirP::new(full);
        while let Some(d) = m.next() {
            let Err(e) = c.run(async |s| s.mkdir(&d).await).await else {
                m.made();
                continue;
            };
            // CWD tells a directory; SIZE then tells a file in the way from nothing at all.
            let found = if c.run(async |s| s.cwd(&d).await).await.is_ok() {
                crate::backend::Found::Dir
            } else if c.run(async |s| s.custom_command(format!("SIZE {d}"), &[Status::File]).await).await.is_ok() {
                crate::backend::Found::Other
            } else {
                crate::backend::Found::Nothing
            };
            m.failed(found).map_err(|other| other.unwrap_or_else(|| map_err("mkdir", &d, e)))?;
        }
        self.made_dirs.lock().expect("dir cache").insert(full.to_string());
        Ok(())
    }
}

/// The longest listing line read as an entry (64 KiB); a longer one is refused on its own.
const MAX_LISTING_LINE: usize = 64 * 1024;

fn lossy(name: &[u8]) -> String {
    String::from_utf8_lossy(name).into_owned()
}

/// A data-connection failure: retryable; a stall is a timeout.
fn io_err(op: &'static str, path: &str, e: std::io::Error) -> Error {
    let kind = if e.kind() == std::io::ErrorKind::TimedOut { ErrorKind::Timeout } else { ErrorKind::Io };
    Error::new(kind, format!("data connection failed: {e}")).retryable(true).caused_by(e).at(op, path)
}

/// A download: RETR on one pooled connection, checked against the listed size.
struct FtpRead {
    lease: Lease,
    xfer: Option<Xfer>,
    path: String,
    got: u64,
    expect: Option<u64>,
    ascii: bool,
    /// ASCII mode: a CR ended the previous chunk; it is dropped if a LF follows.
    held_cr: bool,
}

#[async_trait]
impl ReadStream for FtpRead {
    async fn read(&mut self, buf: &mut Vec<u8>) -> Result<usize> {
        loop {
            let Some(x) = self.xfer.as_mut() else { return Ok(0) };
            let room = if self.held_cr { buf.len() - 1 } else { buf.len() };
            let start = buf.len() - room;
            let n = match conn::within_io(self.lease.c().limit, x.read(&mut buf[start..])).await {
                Ok(n) => n,
                Err(e) => {
                    self.lease.broken();
                    return Err(io_err("read", &self.path, e));
                }
            };
            if n == 0 {
                let x = self.xfer.take().expect("checked above");
                if let Err(e) = conn::within(self.lease.c().limit, x.finish()).await {
                    self.lease.broken();
                    return Err(map_err("read", &self.path, e));
                }
                if let Some(e) = self.expect.filter(|e| !self.ascii && self.got < *e) {
                    // A size mismatch after the transfer (exit 7); a new attempt may get it all.
                    return Err(Error::new(
                        ErrorKind::Verify,
                        format!("size mismatch: the server ended the transfer after {} of {e} bytes but reported success", self.got),
                    )
                    .retryable(true)
                    .at("read", &self.path));
                }
                if self.held_cr {
                    self.held_cr = false;
                    buf[0] = b'\r';
                    return Ok(1);
                }
                return Ok(0);
            }
            self.got += n as u64;
            if let Some(e) = self.expect.filter(|e| !self.ascii && self.got > *e) {
                self.lease.broken();
                self.xfer = None;
                return Err(Error::new(ErrorKind::Verify, format!("size mismatch: the server sent more than the {e} bytes it listed"))
                    .at("read", &self.path));
            }
            if !self.ascii {
                return Ok(n);
            }
            // TYPE A: CRLF → LF.
            let mut data: Vec<u8> = Vec::with_capacity(n + 1);
            if self.held_cr {
                data.push(b'\r');
                self.held_cr = false;
            }
            data.extend_from_slice(&buf[start..start + n]);
            if data.last() == Some(&b'\r') {
                data.pop();
                self.held_cr = true;
            }
            let mut out = 0;
            let mut i = 0;
            while i < data.len() {
                if data[i] == b'\r' && data.get(i + 1) == Some(&b'\n') {
                    i += 1;
                    continue;
                }
                buf[out] = data[i];
                out += 1;
                i += 1;
            }
            if out > 0 {
                return Ok(out);
            }
        }
    }
}

impl Drop for FtpRead {
    fn drop(&mut self) {
        // Stopped before the end: the server is still sending; do not reuse this connection.
        if self.xfer.is_some() {
            self.lease.broken();
        }
    }
}

/// An upload: STOR (or APPE to resume) on one pooled connection.
struct FtpSink {
    lease: Lease,
    xfer: Option<Xfer>,
    path: String,
    ascii: bool,
    last_cr: bool,
    quirks: Arc<Quirks>,
}

#[async_trait]
impl WriteSink for FtpSink {
    async fn write_all(&mut self, buf: &[u8]) -> Result<()> {
        let x = self.xfer.as_mut().expect("write after finish");
        let r = if self.ascii {
            // TYPE A: a bare LF becomes CRLF.
            let mut out = Vec::with_capacity(buf.len() + buf.len() / 32);
            for &b in buf {
                if b == b'\n' && !self.last_cr {
                    out.push(b'\r');
                }
                out.push(b);
                self.last_cr = b == b'\r';
            }
            conn::within_io(self.lease.c().limit, x.write_all(&out)).await
        } else {
            conn::within_io(self.lease.c().limit, x.write_all(buf)).await
        };
        r.map_err(|e| {
            self.lease.broken();
            io_err("write", &self.path, e)
        })
    }

    async fn finish(mut self: Box<Self>, mtime: Option<DateTime<Utc>>) -> Result<bool> {
        let x = self.xfer.take().expect("finish once");
        if let Err(e) = conn::within(self.lease.c().limit, x.finish()).await {
            self.lease.broken();
            return Err(map_err("write", &self.path, e));
        }
        match mtime {
            Some(t) => {
                let path = self.path.clone();
                let quirks = self.quirks.clone();
                quirks.set_mtime(self.lease.c(), &path, t).await
            }
            None => Ok(false),
        }
    }

    async fn abort(mut self: Box<Self>) {
        self.xfer = None;
        self.lease.broken();
    }
}

impl Drop for FtpSink {
    fn drop(&mut self) {
        if self.xfer.is_some() {
            self.lease.broken();
        }
    }
}

#[async_trait]
impl Backend for Ftp {
    fn capabilities(&self) -> Capabilities {
        let mtime = self.mtime_method();
        Capabilities {
            local: false,
            set_mtime: mtime != MtimeMethod::None
                && (self.quirks.feat.contains_key("MFMT") || self.quirks.feat.contains_key("MDTM") || mtime != MtimeMethod::Unknown),
            precision: if self.mlsd { Precision::Seconds } else { Precision::Minutes },
            hash_sha256: self.hash.is_some(),
            rename_replaces: false,
            // Resume needs byte-exact sizes, which TYPE A does not keep.
            append: !self.ascii,
        }
    }

    fn describe(&self) -> String {
        self.label.clone()
    }

    async fn list_dir(&self, dir: &RelPath) -> Result<Vec<RawEntry>> {
        let path = self.full(dir);
        check_line("path", &path)?;
        let mut lease = self.pool.get().await?;
        let raw = if self.mlsd {
            self.data_bytes(&mut lease, &format!("MLSD {path}"), &path).await?
        } else {
            // CWD first: LIST's argument is a glob on many servers ("[", "*" in names).
            lease.c().run(async |s| s.cwd(&path).await).await.map_err(|e| map_err("list", &path, e))?;
            self.data_bytes(&mut lease, self.list_cmd, &path).await?
        };
        drop(lease);
        let clock = ListClock { zone: self.zone.unwrap_or(Zone::UTC), now: Utc::now() };
        let mut parsed = Vec::new();
        // A line that cannot be read (a name with a line feed splits one in two) is refused on
        // its own: one odd name never costs the rest of the directory.
        let mut unreadable = Vec::new();
        // Lines end in CRLF, LF or a bare CR: a CR inside a line can only be a line end, since a
        // name holding a control character is refused anyway.
        for line in raw.split(|&b| b == b'\n' || b == b'\r') {
            if line.is_empty() {
                continue;
            }
            if line.len() > MAX_LISTING_LINE {
                let why = format!("unreadable listing line ({} bytes, more than {MAX_LISTING_LINE})", line.len());
                unreadable.push(Unusable { shown: quote(&lossy(line)), reason: why });
                continue;
            }
            let r = if self.mlsd { listing::parse_mlsd(line) } else { listing::parse_list(line, &clock) };
            match r {
                Ok(Line::Entry(p)) => parsed.push(p),
                Ok(Line::Skip) => {}
                Err(why) => unreadable
                    .push(Unusable { shown: quote(&lossy(line)), reason: format!("unreadable listing line ({})", clip(&why, 120)) }),
            }
        }
        if !self.mlsd && self.zone.is_none() {
            let sample = parsed.iter().find(|p| p.kind == Kind::File && p.precision == Precision::Minutes);
            let off = self.list_offset(&path, sample.map(|p| (p.name.as_slice(), p.mtime.expect("LIST entries carry a time")))).await;
            if off != 0 {
                for p in &mut parsed {
                    p.mtime = p.mtime.map(|t| t - chrono::Duration::seconds(off));
                }
            }
        }
        let refused = unreadable.into_iter().map(|u| RawEntry {
            name: Err(u),
            kind: Kind::File,
            size: 0,
            mtime: None,
            precision: Precision::Seconds,
        });
        Ok(parsed
            .into_iter()
            .map(|p| RawEntry { name: self.decode(&p.name), kind: p.kind, size: p.size, mtime: p.mtime, precision: p.precision })
            .chain(refused)
            .collect())
    }

    async fn stat(&self, path: &RelPath) -> Result<Entry> {
        let full = self.full(path);
        let (kind, size, mtime, precision) = self.stat_abs(&full, path.is_root()).await?;
        Ok(Entry { path: path.clone(), kind, size, mtime, precision, sha256: None })
    }

    async fn read(&self, path: &RelPath, offset: u64, size_hint: Option<u64>) -> Result<Box<dyn ReadStream>> {
        let full = self.full(path);
        check_line("path", &full)?;
        let mut lease = self.pool.get().await?;
        let xfer = self.open_data(&mut lease, "read", &full, DataCmd::Retr { offset }).await?;
        Ok(Box::new(FtpRead { lease, xfer: Some(xfer), path: full, got: offset, expect: size_hint, ascii: self.ascii, held_cr: false }))
    }

    async fn write(&self, path: &RelPath, mode: WriteMode) -> Result<Box<dyn WriteSink>> {
        let full = self.full(path);
        check_line("path", &full)?;
        if let WriteMode::Append(off) = mode {
            // APPE writes at the end of what is there, and FTP cannot cut a file back: continue
            // only a partial that is exactly `off` bytes long.
            let (_, size, _, _) = self.stat_abs(&full, false).await?;
            if size != off {
                return Err(Error::new(
                    ErrorKind::Unsupported,
                    format!("the partial holds {size} bytes, not the {off} to continue from, and FTP cannot cut a file back"),
                )
                .at("append", &full));
            }
        }
        let mut lease = self.pool.get().await?;
        let cmd = if matches!(mode, WriteMode::Append(_)) { DataCmd::Appe } else { DataCmd::Stor };
        let xfer = self.open_data(&mut lease, "create", &full, cmd).await?;
        Ok(Box::new(FtpSink { lease, xfer: Some(xfer), path: full, ascii: self.ascii, last_cr: false, quirks: self.quirks.clone() }))
    }

    async fn mkdir_all(&self, path: &RelPath) -> Result<()> {
        self.mkdir_abs(&self.full(path)).await
    }

    async fn remove_file(&self, path: &RelPath) -> Result<()> {
        let full = self.full(path);
        self.simple("remove", &full, format!("DELE {full}"), &[Status::RequestedFileActionOk, Status::CommandOk]).await.map(|_| ())
    }

    async fn remove_dir(&self, path: &RelPath) -> Result<()> {
        let full = self.full(path);
        self.made_dirs.lock().expect("dir cache").remove(&full);
        let r = self.simple("rmdir", &full, format!("RMD {full}"), &[Status::RequestedFileActionOk, Status::CommandOk]).await;
        let Err(e) = r else { return Ok(()) };
        // 550 says nothing about why: a directory that lists entries is not empty.
        if e.kind == ErrorKind::NotFound
            && (e.message.to_ascii_lowercase().contains("empty") || self.list_dir(path).await.is_ok_and(|l| !l.is_empty()))
        {
            return Err(Error { kind: ErrorKind::NotEmpty, ..e });
        }
        Err(e)
    }

    async fn rename(&self, from: &RelPath, to: &RelPath) -> Result<()> {
        let (f, t) = (self.full(from), self.full(to));
        check_line("path", &f)?;
        check_line("path", &t)?;
        let shown = format!("{f} -> {t}");
        let mut lease = self.pool.get().await?;
        let mut pipelined = false;
        if self.quirks.pipeline.load(Ordering::Relaxed) {
            match self.rename_pipelined(lease.c(), &f, &t).await {
                Pipelined::Done => return Ok(()),
                Pipelined::Failed(e) => {
                    lease.broken();
                    return Err(map_err("rename", &shown, e));
                }
                Pipelined::Refused { rnfr_ok } => {
                    // A server that took RNFR but reported the RNTO as failed may still have
                    // renamed (one that handles commands out of turn): then it is done.
                    drop(lease);
                    if rnfr_ok && !self.exists(&f).await && self.exists(&t).await {
                        self.no_pipelining();
                        return Ok(());
                    }
                    pipelined = true;
                    lease = self.pool.get().await?;
                }
            }
        }
        let c = lease.c();
        match c.run(async |s| s.rename(&f, &t).await).await {
            Ok(()) => {
                // Refused as a pair, done one by one: the server cannot take the pair.
                if pipelined {
                    self.no_pipelining();
                }
                Ok(())
            }
            Err(suppaftp::FtpError::UnexpectedResponse(r)) => {
                // Servers that refuse to rename over an existing file: delete, then rename
                // (the documented fallback; the final name is briefly absent).
                drop(lease);
                if self.exists(&t).await {
                    self.simple("rename", &shown, format!("DELE {t}"), &[Status::RequestedFileActionOk, Status::CommandOk]).await?;
                    let mut lease = self.pool.get().await?;
                    lease.c().run(async |s| s.rename(&f, &t).await).await.map_err(|e| map_err("rename", &shown, e))
                } else {
                    Err(map_err("rename", &shown, suppaftp::FtpError::UnexpectedResponse(r)))
                }
            }
            Err(e) => {
                lease.broken();
                Err(map_err("rename", &shown, e))
            }
        }
    }

    async fn set_mtime(&self, path: &RelPath, mtime: DateTime<Utc>) -> Result<()> {
        let full = self.full(path);
        check_line("path", &full)?;
        let mut lease = self.pool.get().await?;
        if self.quirks.set_mtime(lease.c(), &full, mtime).await? {
            Ok(())
        } else {
            Err(Error::new(ErrorKind::Unsupported, "the server accepts none of MFMT, MDTM with a time, SITE UTIME").at("set mtime", &full))
        }
    }

    async fn hash_sha256(&self, path: &RelPath) -> Result<String> {
        let full = self.full(path);
        check_line("path", &full)?;
        let Some(h) = self.hash else {
            return Err(Error::new(ErrorKind::Unsupported, "the server offers no SHA-256 command (HASH, XSHA256)").at("hash", &full));
        };
        let mut lease = self.pool.get().await?;
        let c = lease.c();
        let r = match h {
            HashCmd::Hash => {
                c.run(async |s| s.custom_command("OPTS HASH SHA-256", &[Status::CommandOk]).await)
                    .await
                    .map_err(|e| map_err("hash", &full, e))?;
                c.run(async |s| s.custom_command(format!("HASH {full}"), &[Status::File]).await).await
            }
            HashCmd::Xsha256 => {
                c.run(async |s| s.custom_command(format!("XSHA256 {full}"), &[Status::File, Status::RequestedFileActionOk]).await).await
            }
        }
        .map_err(|e| map_err("hash", &full, e))?;
        let text = String::from_utf8_lossy(&r.body).to_string();
        text.split_whitespace()
            .find(|w| w.len() == 64 && w.bytes().all(|b| b.is_ascii_hexdigit()))
            .map(|h| h.to_ascii_lowercase())
            .ok_or_else(|| Error::new(ErrorKind::Protocol, format!("unreadable hash reply {:?}", text.trim())).at("hash", &full))
    }

    fn standing(&self, path: &RelPath) -> Result<Standing> {
        Ok(Standing::of(&self.full(path), &self.home))
    }

    async fn move_into(&self, from: &RelPath, dir: &str) -> Result<String> {
        let dir = self.abs_dir(dir);
        self.mkdir_abs(&dir).await?;
        let src = self.full(from);
        let mut to = format!("{dir}/{}", from.name());
        if self.exists(&to).await {
            to = format!("{dir}/{}", super::dated_name(from.name()));
        }
        check_line("path", &to)?;
        let shown = format!("{src} -> {to}");
        let mut lease = self.pool.get().await?;
        lease.c().run(async |s| s.rename(&src, &to).await).await.map_err(|e| map_err("move", &shown, e))?;
        Ok(to)
    }

    async fn moved_into(&self, from: &RelPath, dir: &str) -> Option<String> {
        let to = format!("{}/{}", self.abs_dir(dir), from.name());
        let gone = matches!(self.stat_abs(&self.full(from), false).await, Err(e) if e.kind == ErrorKind::NotFound);
        (gone && self.exists(&to).await).then_some(to)
    }
}
