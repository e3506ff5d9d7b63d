//! The storage abstraction every command goes through: a small async `Backend` trait rooted at
//! one directory of one endpoint, with optional abilities described as data in `Capabilities`.
//! Backends map their protocol's errors to `ErrorKind`s; they never retry, sleep or decide what
//! to sync.

pub mod ftp;
pub mod hash;
pub mod local;
pub mod netrc;
pub mod profile;
pub mod retry;
pub mod sftp;
pub mod subdir;

use crate::endpoint::{Endpoint, Protocol, Scheme};
use crate::error::{Error, ErrorKind, Result};
use crate::model::{Entry, Kind, Precision, RelPath};
use crate::paths::Standing;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use std::sync::Arc;

/// What a backend can do; the planner and executor read this instead of probing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Capabilities {
    /// Storage on this machine (reading it back is cheap).
    pub local: bool,
    /// `set_mtime` works.
    pub set_mtime: bool,
    /// Precision of the mtimes `list_dir` and `stat` report.
    pub precision: Precision,
    /// `hash` can produce a SHA-256 without downloading through ferry.
    pub hash_sha256: bool,
    /// `rename` atomically replaces an existing target.
    pub rename_replaces: bool,
    /// `write` with `WriteMode::Append` works (resume of uploads).
    pub append: bool,
}

/// One raw listing item: the name exactly as the storage reported it, not yet trusted.
#[derive(Debug, Clone)]
pub struct RawEntry {
    /// The name, or why the item cannot be used (a name that is not valid UTF-8, a listing line
    /// that cannot be read): such an item is refused on its own, the rest of the listing stands.
    pub name: std::result::Result<String, Unusable>,
    pub kind: Kind,
    pub size: u64,
    pub mtime: Option<DateTime<Utc>>,
    pub precision: Precision,
}

/// A listing item ferry cannot use: what to show for it (escaped and bounded) and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Unusable {
    pub shown: String,
    pub reason: String,
}

impl Unusable {
    /// A name that is not valid UTF-8 (nor in the server's `--encoding`).
    pub fn not_utf8(lossy: &str) -> Self {
        Unusable { shown: crate::model::quote(lossy), reason: "name is not valid UTF-8".into() }
    }
}

/// How `write` opens its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteMode {
    /// Create or truncate.
    Truncate,
    /// Continue a file of exactly `offset` bytes (resume). Storage that can cut a longer file
    /// back to `offset` does so; storage that cannot (FTP) refuses it with `Unsupported`.
    Append(u64),
}

/// A stream of a file's bytes from some offset.
#[async_trait]
pub trait ReadStream: Send {
    /// Fill `buf[..buf.len()]` as far as the data goes and return the count; `Ok(0)` means end
    /// of file. The buffer is passed as a `Vec` so an implementation can hand it to a blocking
    /// thread or a network task without copying; it comes back with the same length.
    async fn read(&mut self, buf: &mut Vec<u8>) -> Result<usize>;
}

/// A file being written. Exactly one of `finish` or `abort` ends it; dropping it is a bug.
#[async_trait]
pub trait WriteSink: Send {
    async fn write_all(&mut self, buf: &[u8]) -> Result<()>;
    /// Flush and close, setting the file's mtime on the way where the storage can do that on an
    /// open file; returns whether it did. Errors from the close are reported, not swallowed.
    async fn finish(self: Box<Self>, mtime: Option<DateTime<Utc>>) -> Result<bool>;
    /// Stop writing and keep what was written, for a later resume.
    async fn abort(self: Box<Self>);
}

/// Storage rooted at one directory; every path is relative to that root.
#[async_trait]
pub trait Backend: Send + Sync {
    fn capabilities(&self) -> Capabilities;
    /// Operations retried on this backend so far (the retry layer counts them; a backend
    /// without one retries nothing).
    fn retries(&self) -> u64 {
        0
    }
    /// A human label for the root (URL without secrets, or local path), for messages.
    fn describe(&self) -> String;
    /// The entries of a directory, unsorted, without `.` and `..`; symlinks are reported, not followed.
    async fn list_dir(&self, dir: &RelPath) -> Result<Vec<RawEntry>>;
    /// One path's entry (symlinks not followed); the root is always a directory if it exists.
    async fn stat(&self, path: &RelPath) -> Result<Entry>;
    /// Read a file from `offset` to its end. `size_hint` is the size the caller expects (from a
    /// listing); a backend may use it to size its requests but must still report the real end.
    async fn read(&self, path: &RelPath, offset: u64, size_hint: Option<u64>) -> Result<Box<dyn ReadStream>>;
    /// Open a file for writing; missing parents are an error (call `mkdir_all` first).
    async fn write(&self, path: &RelPath, mode: WriteMode) -> Result<Box<dyn WriteSink>>;
    /// Create a directory and its missing parents; an existing directory is success.
    async fn mkdir_all(&self, path: &RelPath) -> Result<()>;
    /// Remove one file (or symlink); a directory is an error.
    async fn remove_file(&self, path: &RelPath) -> Result<()>;
    /// Remove one empty directory.
    async fn remove_dir(&self, path: &RelPath) -> Result<()>;
    /// Rename within this backend, replacing an existing file at `to` where the storage allows.
    async fn rename(&self, from: &RelPath, to: &RelPath) -> Result<()>;
    /// Set a file's modification time.
    async fn set_mtime(&self, path: &RelPath, mtime: DateTime<Utc>) -> Result<()>;
    /// The file's SHA-256 as lower-case hex, computed where the data lives.
    async fn hash_sha256(&self, path: &RelPath) -> Result<String>;
    /// Where `path` stands against the login directory (locally: the working directory), after
    /// every `.`, `..` and — locally — symlink in the root and its parents is resolved. Guards of
    /// `rm`, `mv` and `--delete` read this before they act.
    fn standing(&self, path: &RelPath) -> Result<Standing>;
    /// Move a file below the root into `dir` — a directory on the same storage, given as in a URL
    /// (relative to the login or working directory, absolute with a leading `/`) — creating
    /// `dir` as needed. An existing file of that name is kept: the moved file gets a dated
    /// suffix instead. Returns where the file went.
    async fn move_into(&self, from: &RelPath, dir: &str) -> Result<String>;
    /// Whether `move_into(from, dir)` has already happened: the source is gone and `dir` holds
    /// a file of its name. Lets a move retried after a lost reply count as done.
    async fn moved_into(&self, from: &RelPath, dir: &str) -> Option<String>;
}

/// `mkdir -p` of a server path in as few round trips as the usual case allows: one `mkdir`
/// when the parent exists (a mirror asks only for missing directories), walking up only past
/// missing parents. Pure steps; the backend runs each: `mkdir next()`, then `made()` or, after
/// a failure, `failed(what a stat found)` (a directory there means it existed or another
/// worker made it).
pub struct MkdirP {
    todo: Vec<String>,
    /// Set once a directory is known to exist: the next one down then has its parent.
    parent_ready: bool,
}

/// What is at a path whose `mkdir` failed.
pub enum Found {
    Dir,
    Other,
    Nothing,
}

impl MkdirP {
    pub fn new(full: &str) -> MkdirP {
        let full = full.trim_end_matches('/');
        MkdirP { todo: if full.is_empty() { vec![] } else { vec![full.to_string()] }, parent_ready: false }
    }

    /// The directory to create now; `None` when done.
    pub fn next(&self) -> Option<String> {
        self.todo.last().cloned()
    }

    pub fn made(&mut self) {
        self.todo.pop();
        self.parent_ready = true;
    }

    /// After a failed `mkdir` of `next()`: `Ok` to go on, `Err(None)` to report the mkdir's own
    /// error, `Err(Some(e))` for a file in the way.
    pub fn failed(&mut self, found: Found) -> std::result::Result<(), Option<Error>> {
        let dir = self.todo.last().cloned().unwrap_or_default();
        match found {
            Found::Dir => {
                self.made();
                Ok(())
            }
            Found::Other => Err(Some(Error::new(ErrorKind::AlreadyExists, "exists and is not a directory").at("mkdir", &dir))),
            Found::Nothing => match dir.rfind('/').map(|i| &dir[..i]).filter(|p| !p.is_empty()) {
                Some(parent) if !self.parent_ready => {
                    self.todo.push(parent.to_string());
                    Ok(())
                }
                _ => Err(None),
            },
        }
    }
}

/// `NAME.YYYYmmddTHHMMSS`: the name a moved file gets when its archive name is taken.
pub fn dated_name(name: &str) -> String {
    format!("{name}.{}", chrono::Utc::now().format("%Y%m%dT%H%M%S"))
}

/// Connection settings that come from flags or a job's remote (credentials held as secrets).
#[derive(Debug, Clone, Default)]
pub struct ConnectOptions {
    pub user: Option<String>,
    pub password: Option<crate::secret::Secret>,
    /// A file holding the password, read when connecting.
    pub password_file: Option<String>,
    pub key_file: Option<String>,
    pub key_passphrase: Option<crate::secret::Secret>,
    pub known_hosts: Option<String>,
    pub host_key: Option<String>,
    pub connections: Option<usize>,
    /// SFTP: a command that prints a file's SHA-256 first on its output (`sha256sum`).
    pub remote_hash_command: Option<String>,
    /// FTP: `explicit` or `implicit` TLS for an `ftp://` URL.
    pub tls: Option<String>,
    /// FTPS: extra trusted roots (PEM).
    pub ca_file: Option<String>,
    /// FTPS: accept any certificate (warned about on every run).
    pub insecure: bool,
    /// FTPS: trust exactly the certificate with this SHA-256 (`SHA256:` + hex).
    pub tls_fingerprint: Option<String>,
    /// FTP: active mode (EPRT/PORT) instead of passive.
    pub active: bool,
    /// FTP: use the address in a 227 reply (default: the control connection's peer).
    pub trust_pasv: bool,
    /// FTP: TYPE A with line-ending conversion instead of TYPE I.
    pub ascii: bool,
    /// FTP: the server's name encoding when it is not UTF-8.
    pub encoding: Option<String>,
    /// FTP: the UTC offset of LIST times.
    pub timezone: Option<String>,
    /// Time limits and the retry budget every operation on this server gets.
    pub faults: Faults,
}

impl ConnectOptions {
    /// These options with the run's retry budget (`--retries`, `--retry-delay`, `retries:`).
    pub fn with_retries(mut self, retries: u32, delay: std::time::Duration) -> Self {
        self.faults.retries = retries;
        self.faults.retry_delay = delay;
        self
    }
}

/// How long to wait and how often to try again: one budget for every operation of a server.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Faults {
    /// TCP connect, TLS or SSH handshake, greeting and login, together.
    pub connect_timeout: std::time::Duration,
    /// No progress (no reply, no data) for this long is a stalled connection.
    pub timeout: std::time::Duration,
    /// Extra attempts after the first, for retryable errors only.
    pub retries: u32,
    /// The first retry's delay; it doubles for each further one (±50 % jitter).
    pub retry_delay: std::time::Duration,
}

impl Default for Faults {
    fn default() -> Self {
        Faults {
            connect_timeout: std::time::Duration::from_secs(30),
            timeout: std::time::Duration::from_secs(60),
            retries: 3,
            retry_delay: std::time::Duration::from_secs(1),
        }
    }
}

impl Faults {
    /// The wait before retry number `attempt` (1-based): `retry_delay * 2^(attempt-1)`, capped at
    /// five minutes, with ±50 % jitter so many workers retrying together do not hammer a server
    /// in lockstep.
    pub fn backoff(&self, attempt: u32) -> std::time::Duration {
        let exp = self.retry_delay.saturating_mul(1u32 << attempt.saturating_sub(1).min(16)).min(std::time::Duration::from_secs(300));
        exp.mul_f64(0.5 + fastrand::f64())
    }
}

/// Open the backend for an endpoint; the root is the endpoint's path. A server's backend comes
/// behind the retry layer, the one place where its operations are retried and reconnected.
pub async fn open(ep: &Endpoint, opts: &ConnectOptions) -> Result<Arc<dyn Backend>> {
    if ep.scheme == Scheme::Local {
        return Ok(Arc::new(local::Local::new(&ep.path)?));
    }
    if opts.ascii && ep.scheme == Scheme::Sftp {
        return Err(Error::usage(format!("{ep}: --ascii applies to FTP servers only (SFTP always transfers bytes unchanged)")));
    }
    let opts = resolve_password(ep, opts)?;
    retry::Retrying::open(ep, &opts, std::sync::Arc::new(connect_once)).await
}

/// One connect attempt to a server, by its protocol.
fn connect_once(ep: Endpoint, opts: ConnectOptions) -> retry::Connecting {
    Box::pin(async move {
        let b: Arc<dyn Backend> = match ep.scheme.protocol() {
            Protocol::Sftp => Arc::new(sftp::Sftp::connect(&ep, &opts).await?),
            Protocol::Ftp => Arc::new(ftp::Ftp::connect(&ep, &opts).await?),
            Protocol::Local => Arc::new(local::Local::new(&ep.path)?),
        };
        Ok(b)
    })
}

/// The options with the password filled in: flag or job setting, then a password file, then
/// the URL, then ~/.netrc.
pub fn resolve_password(ep: &Endpoint, opts: &ConnectOptions) -> Result<ConnectOptions> {
    let mut opts = opts.clone();
    if opts.password.is_none() {
        opts.password = match &opts.password_file {
            Some(f) => Some(crate::secret::secret_from_file(f, "password_file")?),
            None => ep.password.clone(),
        };
    }
    if opts.password.is_none() {
        let user = opts.user.clone().or_else(|| ep.user.clone());
        opts.password = netrc::lookup(&ep.host, user.as_deref());
    }
    Ok(opts)
}

/// Remove a tree depth-first (files, then directories bottom-up); used by `rm -r`.
pub async fn remove_tree(b: &dyn Backend, path: &RelPath) -> Result<u64> {
    let mut removed = 0;
    let mut stack = vec![(path.clone(), false)];
    while let Some((dir, visited)) = stack.pop() {
        if visited {
            b.remove_dir(&dir).await?;
            continue;
        }
        stack.push((dir.clone(), true));
        for raw in b.list_dir(&dir).await? {
            let name = raw
                .name
                .map_err(|u| Error::new(ErrorKind::UnsafeName, format!("refusing {}: {}", u.shown, u.reason)).at("remove", &dir))?;
            let child = dir.join(&name).map_err(|e| e.at("remove", &dir))?;
            match raw.kind {
                Kind::Dir => stack.push((child, false)),
                _ => {
                    b.remove_file(&child).await?;
                    removed += 1;
                }
            }
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod mkdir_tests {
    use super::*;

    /// Runs MkdirP against a set of existing directories; returns the mkdirs tried.
    fn run(full: &str, existing: &[&str]) -> (Vec<String>, bool) {
        let mut dirs: Vec<String> = existing.iter().map(|s| s.to_string()).collect();
        let mut tried = vec![];
        let mut m = MkdirP::new(full);
        while let Some(d) = m.next() {
            tried.push(d.clone());
            let parent_ok = d.rfind('/').map_or(true, |i| i == 0 || dirs.iter().any(|x| x == &d[..i]));
            if parent_ok && !dirs.contains(&d) {
                dirs.push(d);
                m.made();
            } else if m.failed(if dirs.contains(&d) { Found::Dir } else { Found::Nothing }).is_err() {
                return (tried, false);
            }
        }
        (tried, true)
    }

    #[test]
    fn one_mkdir_when_the_parent_exists_and_a_walk_up_only_past_missing_ones() {
        assert_eq!(run("/a/b/c", &["/a", "/a/b"]), (vec!["/a/b/c".to_string()], true));
        let (tried, ok) = run("/a/b/c", &["/a"]);
        assert!(ok);
        assert_eq!(tried, ["/a/b/c", "/a/b", "/a/b/c"]);
        assert_eq!(run("/a/b", &["/a", "/a/b"]), (vec!["/a/b".to_string()], true), "existing: mkdir fails, found a dir");
        assert!(run("rel/x", &[]).1, "login-relative paths walk up to the login directory");
        let mut m = MkdirP::new("/a/f");
        assert!(matches!(m.failed(Found::Other), Err(Some(e)) if e.kind == ErrorKind::AlreadyExists), "a file in the way");
    }
}
