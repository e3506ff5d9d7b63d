//! The SFTP backend on russh + russh-sftp's raw session: one SSH connection, requests
//! multiplexed by id, many reads and writes in flight per file. Host keys are verified before
//! any credential is sent (fail closed); authentication never prompts.

use super::{Backend, Capabilities, ConnectOptions, RawEntry, ReadStream, WriteMode, WriteSink};
use crate::endpoint::Endpoint;
use crate::error::{Error, ErrorKind, Result};
use crate::model::{Entry, Kind, Precision, RelPath};
use crate::paths::Standing;
use async_trait::async_trait;
use chrono::{DateTime, TimeZone, Utc};
use russh::client;
use russh::keys::{HashAlg, PrivateKeyWithHashAlg, PublicKey};
use russh_sftp::client::RawSftpSession;
use russh_sftp::client::error::Error as SftpError;
use russh_sftp::protocol::{FileAttributes, OpenFlags, StatusCode};
use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tokio::task::JoinHandle;

/// Bytes per read or write request: OpenSSH's sftp-server answers at most 256 KiB less a
/// header per request, so 252 KiB always comes back whole.
const REQ: usize = 252 * 1024;
/// Requests in flight per open file (252 KiB × 32 ≈ 8 MiB per transfer at most).
const DEPTH: usize = 32;
/// Bytes of reads and writes in flight per SFTP session, over all its files (in KiB permits):
/// one file gets its whole pipeline, and dozens of files at once stay within 32 MiB.
const WINDOW_KIB: usize = 32 * 1024;

/// The session's budget of bytes in flight: taken per request, returned with its reply.
type Window = Arc<tokio::sync::Semaphore>;

/// The permits a request of `len` bytes takes from the window.
fn kib(len: usize) -> u32 {
    len.div_ceil(1024).max(1) as u32
}

/// What the host-key check decided, kept for the error message.
#[derive(Debug, Clone)]
enum HostKeyVerdict {
    Trusted,
    Learned,
    Unknown(String),
    Changed(String, usize),
    Mismatch(String, String),
    Unreadable(String),
}

/// How to trust the server's key.
#[derive(Debug, Clone)]
enum HostKeyPolicy {
    KnownHosts { file: PathBuf, accept_new: bool },
    Pinned(String),
}

struct Client {
    host: String,
    port: u16,
    policy: HostKeyPolicy,
    verdict: Arc<Mutex<Option<HostKeyVerdict>>>,
}

impl client::Handler for Client {
    type Error = russh::Error;

    async fn check_server_key(&mut self, key: &russh::keys::PublicKeyOrCertificate) -> Result<bool, Self::Error> {
        let russh::keys::PublicKeyOrCertificate::PublicKey { key, .. } = key else {
            *self.verdict.lock().unwrap() = Some(HostKeyVerdict::Unreadable("host certificates are not supported".into()));
            return Ok(false);
        };
        let verdict = verify_host_key(&self.host, self.port, key, &self.policy);
        let ok = matches!(verdict, HostKeyVerdict::Trusted | HostKeyVerdict::Learned);
        *self.verdict.lock().unwrap() = Some(verdict);
        Ok(ok)
    }
}

fn fingerprint(key: &PublicKey) -> String {
    key.fingerprint(HashAlg::Sha256).to_string()
}

fn verify_host_key(host: &str, port: u16, key: &PublicKey, policy: &HostKeyPolicy) -> HostKeyVerdict {
    let fp = fingerprint(key);
    match policy {
        HostKeyPolicy::Pinned(want) => {
            if *want == fp {
                HostKeyVerdict::Trusted
            } else {
                HostKeyVerdict::Mismatch(fp, want.clone())
            }
        }
        HostKeyPolicy::KnownHosts { file, accept_new } => {
            if file.exists()
                && let Err(e) = std::fs::File::open(file)
            {
                return HostKeyVerdict::Unreadable(format!("{}: {e}", file.display()));
            }
            match russh::keys::check_known_hosts_path(host, port, key, file) {
                Ok(true) => HostKeyVerdict::Trusted,
                Ok(false) if *accept_new => match russh::keys::known_hosts::learn_known_hosts_path(host, port, key, file) {
                    Ok(()) => HostKeyVerdict::Learned,
                    Err(e) => HostKeyVerdict::Unreadable(format!("cannot record the key in {}: {e}", file.display())),
                },
                Ok(false) => HostKeyVerdict::Unknown(fp),
                Err(russh::keys::Error::KeyChanged { line }) => HostKeyVerdict::Changed(fp, line),
                Err(e) => HostKeyVerdict::Unreadable(format!("{}: {e}", file.display())),
            }
        }
    }
}

/// The `~/.ssh/config` settings for `host` (defaults when there is no such file or entry).
fn ssh_config(host: &str) -> russh_config::HostConfig {
    let path = home().join(".ssh/config");
    if !path.exists() {
        return russh_config::HostConfig::default();
    }
    match russh_config::parse_path(&path, host) {
        Ok(c) => c.host_config,
        Err(e) => {
            tracing::warn!(file = %path.display(), error = %e, "ignoring unreadable ssh config");
            russh_config::HostConfig::default()
        }
    }
}

fn home() -> PathBuf {
    std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("/"))
}

/// Map an SFTP status or transport error to a ferry error.
fn map_err(op: &'static str, path: &str, e: SftpError) -> Error {
    let (kind, retry, msg) = match &e {
        SftpError::Status(s) => {
            let kind = match s.status_code {
                StatusCode::NoSuchFile => ErrorKind::NotFound,
                StatusCode::PermissionDenied => ErrorKind::PermissionDenied,
                StatusCode::OpUnsupported => ErrorKind::Unsupported,
                StatusCode::NoConnection | StatusCode::ConnectionLost => ErrorKind::Connect,
                StatusCode::BadMessage => ErrorKind::Protocol,
                _ => ErrorKind::Io,
            };
            let text = if s.error_message.is_empty() { s.status_code.to_string() } else { s.error_message.clone() };
            (kind, matches!(kind, ErrorKind::Connect), text)
        }
        SftpError::Timeout => (ErrorKind::Timeout, true, "the server did not answer in time (--timeout)".into()),
        SftpError::IO(m) => (ErrorKind::Connect, true, format!("connection: {m}")),
        // The session's reader or writer task is gone: the SSH connection or channel closed.
        SftpError::UnexpectedBehavior(m) => (ErrorKind::Connect, true, format!("connection lost ({m})")),
        other => (ErrorKind::Protocol, false, other.to_string()),
    };
    let code = match &e {
        SftpError::Status(st) => Some(st.status_code as u32),
        _ => None,
    };
    Error::new(kind, msg).retryable(retry).with_code(code).caused_by(e).at(op, path)
}

fn is_eof(e: &SftpError) -> bool {
    matches!(e, SftpError::Status(s) if s.status_code == StatusCode::Eof)
}

fn kind_of(a: &FileAttributes) -> Kind {
    if a.is_symlink() {
        Kind::Symlink
    } else if a.is_dir() {
        Kind::Dir
    } else {
        Kind::File
    }
}

fn mtime_of(a: &FileAttributes) -> Option<DateTime<Utc>> {
    a.mtime.and_then(|t| Utc.timestamp_opt(t as i64, 0).single())
}

/// An SFTP server rooted at one directory.
pub struct Sftp {
    /// The first connection's SFTP session: listings and metadata go here.
    raw: Arc<RawSftpSession>,
    /// Every connection's session (`--connections N`); file transfers take turns over them.
    pool: Vec<Arc<RawSftpSession>>,
    turn: std::sync::atomic::AtomicUsize,
    /// Absolute path of the root on the server, without a trailing slash ("" for `/`).
    root: String,
    label: String,
    posix_rename: bool,
    /// Where a file's SHA-256 comes from: a command run over an exec channel where it lives.
    hash: HashCommand,
    /// Exec channels open at once: OpenSSH allows 10 sessions per connection (`MaxSessions`),
    /// and the SFTP subsystem holds one.
    exec_slots: tokio::sync::Semaphore,
    /// `--timeout`: how long a command over exec may stay silent.
    timeout: std::time::Duration,
    /// The login directory, for paths given relative to it.
    home: String,
    /// Keeps the SSH connections open for as long as the backend lives.
    ssh: Vec<client::Handle<Client>>,
    /// The connections, counted in the server's open sessions.
    _counted: Vec<crate::metrics::Session>,
    info: SftpInfo,
    /// Bytes per read request: `REQ` until the server answers a read with less (rclone's
    /// server gives 32 KiB), then what it gave, for every later read on this server, as
    /// OpenSSH's client shrinks its requests. Asking for more than a server sends makes every
    /// reply short and every window of requests re-sent.
    read_size: Arc<std::sync::atomic::AtomicUsize>,
    window: Window,
}

/// One SSH connection with its SFTP subsystem started.
struct Session {
    ssh: client::Handle<Client>,
    raw: Arc<RawSftpSession>,
    posix_rename: bool,
    info: SftpInfo,
    /// Counts the connection in the server's open sessions.
    counted: crate::metrics::Session,
}

/// What `doctor` reports about an SFTP server: its extensions and how long connecting took.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct SftpInfo {
    pub extensions: Vec<String>,
    /// TCP connect, key exchange and host-key check.
    pub connect_ms: u64,
    pub login_ms: u64,
}

/// Encode SSH strings (u32 length + bytes) for an extended request.
fn ssh_strings(parts: &[&str]) -> Vec<u8> {
    let mut v = Vec::new();
    for p in parts {
        v.extend_from_slice(&(p.len() as u32).to_be_bytes());
        v.extend_from_slice(p.as_bytes());
    }
    v
}

impl Sftp {
    /// Connect, verify the host key, authenticate and start the SFTP subsystem.
    pub async fn connect(ep: &Endpoint, opts: &ConnectOptions) -> Result<Sftp> {
        let label = ep.to_string();
        // `Host` aliases in ~/.ssh/config (HostName, Port, User, IdentityFile,
        // UserKnownHostsFile) apply as ssh users expect; the URL and flags win over them.
        let alias = ssh_config(&ep.host);
        let host = alias.hostname.clone().unwrap_or_else(|| ep.host.clone());
        let port = ep.port.or(alias.port).unwrap_or(22);
        let user = opts
            .user
            .clone()
            .or_else(|| ep.user.clone())
            .or_else(|| alias.user.clone())
            .or_else(|| std::env::var("USER").ok())
            .or_else(|| std::env::var("LOGNAME").ok())
            .ok_or_else(|| Error::usage(format!("{label}: no user name (give one in the URL or with --user)")))?;
        let mut opts = opts.clone();
        if opts.key_file.is_none()
            && let Some(first) = alias.identity_file.as_ref().and_then(|v| v.first())
        {
            opts.key_file = Some(first.display().to_string());
        }
        let opts = &opts;
        let known_hosts = opts
            .known_hosts
            .as_ref()
            .map(PathBuf::from)
            .or_else(|| alias.user_known_hosts_file.clone())
            .unwrap_or_else(|| home().join(".ssh/known_hosts"));
        let policy = match opts.host_key.as_deref() {
            Some(fp) if fp.starts_with("SHA256:") => HostKeyPolicy::Pinned(fp.to_string()),
            other => HostKeyPolicy::KnownHosts { file: known_hosts, accept_new: other == Some("accept-new") },
        };
        let mut preferred = russh::Preferred::DEFAULT.clone();
        // AES-GCM first: with AES-NI it is several times faster than ChaCha20-Poly1305.
        preferred.cipher = std::borrow::Cow::Owned(vec![
            russh::cipher::AES_128_GCM,
            russh::cipher::AES_256_GCM,
            russh::cipher::CHACHA20_POLY1305,
            russh::cipher::AES_256_CTR,
            russh::cipher::AES_128_CTR,
        ]);
        let config = client::Config {
            preferred,
            // Nagle's algorithm halves the small-file rate.
            nodelay: true,
            inactivity_timeout: Some(std::time::Duration::from_secs(300)),
            keepalive_interval: Some(std::time::Duration::from_secs(30)),
            window_size: 16 * 1024 * 1024,
            maximum_packet_size: 65535,
            ..Default::default()
        };
        let target = Target { host, port, user, label: label.clone(), server: ep.server_label(), config: Arc::new(config), policy };
        let first = open_session(&target, opts).await?;
        let mut pool = vec![first.raw.clone()];
        let mut ssh = vec![first.ssh];
        let mut counted = vec![first.counted];
        let extra = opts.connections.unwrap_or(1).saturating_sub(1);
        for _ in 0..extra {
            match open_session(&target, opts).await {
                Ok(sess) => {
                    pool.push(sess.raw);
                    ssh.push(sess.ssh);
                    counted.push(sess.counted);
                }
                // Fewer connections than asked still work: keep going with what we have.
                Err(e) => tracing::warn!(server = %label, error = %e, "extra connection failed; continuing with fewer"),
            }
        }
        let raw = first.raw;
        let posix_rename = first.posix_rename;
        let info = first.info;
        // The URL path is relative to the login directory unless it starts with `/`.
        let home = raw
            .realpath(".")
            .await
            .map_err(|e| map_err("realpath", &label, e))?
            .files
            .into_iter()
            .next()
            .map(|f| f.filename)
            .unwrap_or_else(|| "/".into());
        let root = crate::paths::absolute(&home, &ep.path).trim_end_matches('/').to_string();
        tracing::debug!(server = %label, root = %root, posix_rename, connections = pool.len(), "sftp session ready");
        let hash = HashCommand::new(opts.remote_hash_command.as_deref(), &ep.host, port);
        let read_size = Arc::new(std::sync::atomic::AtomicUsize::new(REQ));
        let window = Arc::new(tokio::sync::Semaphore::new(WINDOW_KIB));
        Ok(Sftp {
            raw,
            pool,
            turn: Default::default(),
            root,
            label,
            posix_rename,
            hash,
            exec_slots: tokio::sync::Semaphore::new(EXEC_SLOTS),
            timeout: opts.faults.timeout,
            home,
            ssh,
            _counted: counted,
            info,
            read_size,
            window,
        })
    }

    /// Extensions and connection timings of the first connection.
    pub fn info(&self) -> &SftpInfo {
        &self.info
    }

    /// Median of three round trips (a stat of the login directory), in ms.
    pub async fn round_trip_ms(&self) -> Result<f64> {
        let mut v = Vec::new();
        for _ in 0..3 {
            let t = std::time::Instant::now();
            self.raw.stat(self.home.clone()).await.map_err(|e| map_err("stat", &self.home, e))?;
            v.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        v.sort_by(f64::total_cmp);
        Ok((v[1] * 100.0).round() / 100.0)
    }

    /// The session for the next file transfer (round-robin over the pool).
    fn pick(&self) -> Arc<RawSftpSession> {
        let i = self.turn.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.pool[i % self.pool.len()].clone()
    }

    /// Create an absolute directory path and its missing parents; an existing one is fine.
    async fn mkdir_abs(&self, full: &str) -> Result<()> {
        let mut m = super::MkdirP::new(full);
        while let Some(d) = m.next() {
            let Err(e) = self.raw.mkdir(d.clone(), FileAttributes::empty()).await else {
                m.made();
                continue;
            };
            let found = match self.raw.stat(d.clone()).await {
                Ok(a) if a.attrs.is_dir() => super::Found::Dir,
                Ok(_) => super::Found::Other,
                Err(_) => super::Found::Nothing,
            };
            m.failed(found).map_err(|other| other.unwrap_or_else(|| map_err("mkdir", &d, e)))?;
        }
        Ok(())
    }

    fn full(&self, p: &RelPath) -> String {
        if p.is_root() {
            if self.root.is_empty() { "/".into() } else { self.root.clone() }
        } else {
            format!("{}/{}", self.root, p.as_str())
        }
    }
}

/// Where and how to connect; shared by every connection of the pool.
struct Target {
    host: String,
    port: u16,
    user: String,
    label: String,
    /// `scheme://host:port`, for metrics.
    server: String,
    config: Arc<client::Config>,
    policy: HostKeyPolicy,
}

/// Connect once — TCP, host-key check, authentication, SFTP subsystem — within the connect
/// timeout. No retries here: the retry layer above the backend owns them.
async fn open_session(t: &Target, opts: &ConnectOptions) -> Result<Session> {
    let limit = opts.faults.connect_timeout;
    tokio::time::timeout(limit, open_session_once(t, opts)).await.unwrap_or_else(|_| {
        Err(Error::new(
            ErrorKind::Connect,
            format!("no SSH greeting, key exchange or login within {} (--connect-timeout)", humantime::format_duration(limit)),
        )
        .retryable(true)
        .at("connect", &t.label))
    })
}

async fn open_session_once(t: &Target, opts: &ConnectOptions) -> Result<Session> {
    let label = &t.label;
    let verdict = Arc::new(Mutex::new(None));
    let started = std::time::Instant::now();
    let handler = Client { host: t.host.clone(), port: t.port, policy: t.policy.clone(), verdict: verdict.clone() };
    let connect = client::connect(t.config.clone(), (t.host.as_str(), t.port), handler).await;
    let mut ssh = match connect {
        Ok(h) => h,
        Err(e) => {
            let v = verdict.lock().unwrap().clone();
            // A refused, reset or closed connection may work on a new attempt; a host-key or
            // key-exchange failure never does.
            let transient = matches!(e, russh::Error::IO(_) | russh::Error::Disconnect | russh::Error::HUP);
            return Err(host_key_error(v, label, &t.host, t.port)
                .unwrap_or_else(|| Error::new(ErrorKind::Connect, connect_message(&e)).retryable(transient).at("connect", label)));
        }
    };
    if let Some(HostKeyVerdict::Learned) = *verdict.lock().unwrap() {
        tracing::warn!(host = %t.host, "new host key recorded (--host-key accept-new)");
    }
    let connect_ms = started.elapsed().as_millis() as u64;
    let login_started = std::time::Instant::now();
    authenticate(&mut ssh, &t.user, opts, label).await?;
    let login_ms = login_started.elapsed().as_millis() as u64;
    let channel = ssh.channel_open_session().await.map_err(|e| Error::new(ErrorKind::Connect, e.to_string()).at("open channel", label))?;
    channel
        .request_subsystem(true, "sftp")
        .await
        .map_err(|e| Error::new(ErrorKind::Connect, format!("the server refused the sftp subsystem: {e}")).at("connect", label))?;
    let raw = RawSftpSession::new(channel.into_stream());
    raw.set_timeout(opts.faults.timeout.as_secs().max(1));
    let version = raw.init().await.map_err(|e| map_err("sftp init", label, e))?;
    let posix_rename = version.extensions.contains_key("posix-rename@openssh.com");
    let mut extensions: Vec<String> = version.extensions.iter().map(|(k, v)| format!("{k} {v}")).collect();
    extensions.sort();
    let counted = crate::metrics::Session::connected(&t.server, started.elapsed());
    Ok(Session { ssh, raw: Arc::new(raw), posix_rename, info: SftpInfo { extensions, connect_ms, login_ms }, counted })
}

/// Quote a path for a POSIX shell.
fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

fn connect_message(e: &russh::Error) -> String {
    match e {
        russh::Error::IO(io) => io.to_string(),
        other => other.to_string(),
    }
}

/// The host-key failure, if the handshake stopped because of one.
fn host_key_error(v: Option<HostKeyVerdict>, label: &str, host: &str, port: u16) -> Option<Error> {
    let msg = match v? {
        HostKeyVerdict::Trusted | HostKeyVerdict::Learned => return None,
        HostKeyVerdict::Unknown(fp) => format!(
            "unknown host key {fp} for {host}:{port}; verify it with the server's operator, then add it to known_hosts, pin it with --host-key {fp}, or use --host-key accept-new"
        ),
        HostKeyVerdict::Changed(fp, line) => format!(
            "HOST KEY CHANGED for {host}:{port}: the server offered {fp}, which differs from known_hosts line {line}; refusing to connect (possible man-in-the-middle)"
        ),
        HostKeyVerdict::Mismatch(fp, want) => format!("host key {fp} does not match the pinned {want}; refusing to connect"),
        HostKeyVerdict::Unreadable(why) => format!("cannot verify the host key: known_hosts unusable ({why})"),
    };
    Some(Error::new(ErrorKind::Connect, msg).at("connect", label))
}

/// Try, in order: the given key file, ssh-agent identities, the default key files, then the
/// password. Never prompts.
async fn authenticate(ssh: &mut client::Handle<Client>, user: &str, opts: &ConnectOptions, label: &str) -> Result<()> {
    let auth_err = |e: russh::Error| Error::new(ErrorKind::Connect, e.to_string()).at("authenticate", label);
    let rsa_hash = ssh.best_supported_rsa_hash().await.map_err(auth_err)?.flatten();
    let passphrase = opts.key_passphrase.as_ref().map(|s| s.expose().to_string());
    let mut keys: Vec<PathBuf> = Vec::new();
    if let Some(k) = &opts.key_file {
        keys.push(PathBuf::from(k));
    }
    let explicit = !keys.is_empty();
    if !explicit {
        // ssh-agent first, as ssh does.
        if std::env::var_os("SSH_AUTH_SOCK").is_some()
            && let Ok(mut agent) = russh::keys::agent::client::AgentClient::connect_env().await
            && let Ok(ids) = agent.request_identities().await
        {
            for id in ids {
                let public = id.public_key().into_owned();
                let r = ssh.authenticate_publickey_with(user, public, rsa_hash, &mut agent).await;
                if matches!(r, Ok(ref a) if a.success()) {
                    return Ok(());
                }
            }
        }
        if opts.password.is_none() {
            for name in ["id_ed25519", "id_ecdsa", "id_rsa"] {
                let p = home().join(".ssh").join(name);
                if p.exists() {
                    keys.push(p);
                }
            }
        }
    }
    for path in &keys {
        let key = match russh::keys::load_secret_key(path, passphrase.as_deref()) {
            Ok(k) => k,
            Err(e) if explicit => {
                return Err(Error::new(ErrorKind::Auth, format!("cannot load key {}: {e}", path.display())).at("authenticate", label));
            }
            Err(_) => continue,
        };
        let r = ssh.authenticate_publickey(user, PrivateKeyWithHashAlg::new(Arc::new(key), rsa_hash)).await.map_err(auth_err)?;
        if r.success() {
            return Ok(());
        }
    }
    if let Some(pw) = &opts.password {
        let r = ssh.authenticate_password(user, pw.expose()).await.map_err(auth_err)?;
        if r.success() {
            return Ok(());
        }
    }
    Err(Error::new(ErrorKind::Auth, format!("authentication failed for user {user:?} (tried: {})", tried(opts, &keys))).at("login", label))
}

fn tried(opts: &ConnectOptions, keys: &[PathBuf]) -> String {
    let mut t: Vec<String> = keys.iter().map(|k| format!("key {}", k.display())).collect();
    if std::env::var_os("SSH_AUTH_SOCK").is_some() && opts.key_file.is_none() {
        t.insert(0, "ssh-agent".into());
    }
    if opts.password.is_some() {
        t.push("password".into());
    }
    if t.is_empty() { "no key, agent or password available".into() } else { t.join(", ") }
}

/// A read request on its way: resolves to the bytes the server sent.
type PendingRead = JoinHandle<std::result::Result<Vec<u8>, SftpError>>;
type Permit = tokio::sync::OwnedSemaphorePermit;

/// Reads a file with up to `DEPTH` requests in flight. With a size hint, requests cover exactly
/// the expected bytes plus a one-byte probe at the end (which must come back as end of file),
/// so a small file costs one round trip instead of a window of wasted reads.
struct SftpRead {
    raw: Arc<RawSftpSession>,
    handle: String,
    path: String,
    /// Offset of the next request to send.
    next: u64,
    /// Expected end of file, if known.
    end: Option<u64>,
    /// Each request holds its bytes' permits until its data is taken.
    inflight: VecDeque<(u64, u32, PendingRead, Permit)>,
    eof: bool,
    /// Bytes received but not yet handed out.
    pending: Vec<u8>,
    /// The server's read size as learned so far (shared by the backend's reads).
    read_size: Arc<std::sync::atomic::AtomicUsize>,
    window: Window,
}

impl SftpRead {
    /// Send requests up to the depth and the session's window. A file with nothing in flight
    /// waits for room; one with requests out never does (so no file waits holding permits).
    async fn fill(&mut self) {
        let req = self.read_size.load(std::sync::atomic::Ordering::Relaxed) as u64;
        // Smaller requests, more of them: keep about the same bytes in flight (up to 4×DEPTH).
        let depth = (REQ * DEPTH / req as usize).clamp(DEPTH, 4 * DEPTH);
        while !self.eof && self.inflight.len() < depth {
            let len = match self.end {
                // Past the expected end only the probe goes out, once.
                Some(end) if self.next >= end => {
                    if self.inflight.iter().any(|(o, _, _, _)| *o >= end) {
                        break;
                    }
                    1
                }
                Some(end) => (end - self.next).min(req) as u32,
                None => req as u32,
            };
            let permit = if self.inflight.is_empty() {
                self.window.clone().acquire_many_owned(kib(len as usize)).await.map_err(|_| ())
            } else {
                self.window.clone().try_acquire_many_owned(kib(len as usize)).map_err(|_| ())
            };
            let Ok(permit) = permit else { break };
            let (raw, handle, off) = (self.raw.clone(), self.handle.clone(), self.next);
            let task = tokio::spawn(async move { raw.read(handle, off, len).await.map(|d| d.data) });
            self.inflight.push_back((off, len, task, permit));
            self.next += len as u64;
        }
    }

    fn restart_at(&mut self, off: u64) {
        for (_, _, t, _) in self.inflight.drain(..) {
            t.abort();
        }
        self.next = off;
    }
}

#[async_trait]
impl ReadStream for SftpRead {
    async fn read(&mut self, buf: &mut Vec<u8>) -> Result<usize> {
        let mut filled = 0;
        while filled < buf.len() {
            if !self.pending.is_empty() {
                let n = self.pending.len().min(buf.len() - filled);
                buf[filled..filled + n].copy_from_slice(&self.pending[..n]);
                self.pending.drain(..n);
                filled += n;
                continue;
            }
            if self.eof && self.inflight.is_empty() {
                break;
            }
            self.fill().await;
            let Some((off, len, task, _permit)) = self.inflight.pop_front() else { break };
            let r = task.await.map_err(|e| Error::new(ErrorKind::Io, format!("read task failed: {e}")))?;
            match r {
                Ok(data) => {
                    let got = data.len();
                    self.pending = data;
                    if got == 0 {
                        self.eof = true;
                        self.restart_at(off);
                    } else if got < len as usize {
                        // A short answer: re-request from where it stopped, so nothing is
                        // skipped. Short before the expected end means the server's limit is
                        // `got`: ask for that from now on (a short answer at the end is EOF).
                        if self.end.is_none_or(|end| off + (got as u64) < end) && got >= 512 {
                            self.read_size.fetch_min(got, std::sync::atomic::Ordering::Relaxed);
                        }
                        self.restart_at(off + got as u64);
                    }
                }
                Err(e) if is_eof(&e) => {
                    self.eof = true;
                    self.restart_at(off);
                }
                Err(e) => return Err(map_err("read", &self.path, e)),
            }
        }
        Ok(filled)
    }
}

impl Drop for SftpRead {
    fn drop(&mut self) {
        for (_, _, t, _) in self.inflight.drain(..) {
            t.abort();
        }
        let (raw, handle) = (self.raw.clone(), std::mem::take(&mut self.handle));
        if !handle.is_empty() {
            tokio::spawn(async move {
                let _ = raw.close(handle).await;
            });
        }
    }
}

/// Writes a file with up to `DEPTH` write requests in flight; `finish` waits for every
/// acknowledgement, sets the mtime on the handle and closes it, checking each status.
struct SftpSink {
    raw: Arc<RawSftpSession>,
    handle: String,
    path: String,
    offset: u64,
    inflight: VecDeque<JoinHandle<std::result::Result<(), SftpError>>>,
    buf: Vec<u8>,
    window: Window,
}

impl SftpSink {
    async fn send(&mut self, data: Vec<u8>) -> Result<()> {
        while self.inflight.len() >= DEPTH {
            self.wait_one().await?;
        }
        // Room in the session's window: wait on our own replies first, so a sink never waits
        // for permits while holding some.
        let need = kib(data.len());
        let permit = loop {
            match self.window.clone().try_acquire_many_owned(need) {
                Ok(p) => break p,
                Err(_) if !self.inflight.is_empty() => self.wait_one().await?,
                Err(_) => {
                    break self
                        .window
                        .clone()
                        .acquire_many_owned(need)
                        .await
                        .map_err(|_| Error::new(ErrorKind::Io, "sftp window closed"))?;
                }
            }
        };
        let (raw, handle, off) = (self.raw.clone(), self.handle.clone(), self.offset);
        self.offset += data.len() as u64;
        let mut request = Box::pin(async move {
            let r = raw.write(handle, off, data).await.map(|_| ());
            drop(permit);
            r
        });
        // Queue the request now, in offset order, and only then let a task wait for its reply.
        // A task that queued it when it first ran could send chunks out of order; a connection
        // cut would then leave a hole of zeros below the partial's size, and a resume from
        // that size would deliver a corrupt file.
        let queued = std::future::poll_fn(|cx| std::task::Poll::Ready(request.as_mut().poll(cx))).await;
        self.inflight.push_back(match queued {
            std::task::Poll::Ready(r) => tokio::spawn(std::future::ready(r)),
            std::task::Poll::Pending => tokio::spawn(request),
        });
        Ok(())
    }

    async fn wait_one(&mut self) -> Result<()> {
        if let Some(t) = self.inflight.pop_front() {
            t.await
                .map_err(|e| Error::new(ErrorKind::Io, format!("write task failed: {e}")))?
                .map_err(|e| map_err("write", &self.path, e))?;
        }
        Ok(())
    }

    async fn drain(&mut self) -> Result<()> {
        if !self.buf.is_empty() {
            let data = std::mem::take(&mut self.buf);
            self.send(data).await?;
        }
        while !self.inflight.is_empty() {
            self.wait_one().await?;
        }
        Ok(())
    }
}

#[async_trait]
impl WriteSink for SftpSink {
    async fn write_all(&mut self, mut data: &[u8]) -> Result<()> {
        while !data.is_empty() {
            let room = REQ - self.buf.len();
            let n = room.min(data.len());
            self.buf.extend_from_slice(&data[..n]);
            data = &data[n..];
            if self.buf.len() == REQ {
                let chunk = std::mem::replace(&mut self.buf, Vec::with_capacity(REQ));
                self.send(chunk).await?;
            }
        }
        Ok(())
    }

    async fn finish(mut self: Box<Self>, mtime: Option<DateTime<Utc>>) -> Result<bool> {
        // Earlier chunks went out on their own tasks: wait for all of them first, so nothing
        // can be sent after the close.
        let mut written = Ok(());
        while !self.inflight.is_empty() {
            if let Err(e) = self.wait_one().await {
                written = written.and(Err(e));
                break;
            }
        }
        // The last chunk, the mtime and the close concern one handle, which the server handles
        // in order: `join!` polls them in this order on this task, so each request is sent
        // before the next, and a small file costs one round trip here instead of three.
        let handle = std::mem::take(&mut self.handle);
        let last = std::mem::take(&mut self.buf);
        let t = mtime.map(|m| m.timestamp() as u32);
        let raw = self.raw.clone();
        let (w, set, closed) = tokio::join!(
            async {
                if last.is_empty() || written.is_err() { Ok(()) } else { raw.write(handle.clone(), self.offset, last).await.map(|_| ()) }
            },
            async {
                match t {
                    Some(t) if written.is_ok() => {
                        let attrs = FileAttributes { atime: Some(t), mtime: Some(t), ..FileAttributes::empty() };
                        raw.fsetstat(handle.clone(), attrs).await.is_ok()
                    }
                    _ => false,
                }
            },
            raw.close(handle.clone()),
        );
        written?;
        w.map_err(|e| map_err("write", &self.path, e))?;
        closed.map_err(|e| map_err("close", &self.path, e))?;
        Ok(set)
    }

    async fn abort(mut self: Box<Self>) {
        let _ = self.drain().await;
        let handle = std::mem::take(&mut self.handle);
        let _ = self.raw.close(handle).await;
    }
}

impl Drop for SftpSink {
    fn drop(&mut self) {
        let (raw, handle) = (self.raw.clone(), std::mem::take(&mut self.handle));
        if !handle.is_empty() {
            tokio::spawn(async move {
                let _ = raw.close(handle).await;
            });
        }
    }
}

#[async_trait]
impl Backend for Sftp {
    fn capabilities(&self) -> Capabilities {
        Capabilities {
            local: false,
            set_mtime: true,
            precision: Precision::Seconds,
            hash_sha256: self.hash.may_hash(),
            rename_replaces: self.posix_rename,
            append: true,
        }
    }

    fn describe(&self) -> String {
        self.label.clone()
    }

    async fn list_dir(&self, dir: &RelPath) -> Result<Vec<RawEntry>> {
        let path = self.full(dir);
        let handle = self.raw.opendir(path.clone()).await.map_err(|e| map_err("list", &path, e))?.handle;
        let mut out = Vec::new();
        let result = loop {
            match self.raw.readdir(handle.clone()).await {
                Ok(name) => {
                    for f in name.files {
                        if f.filename == "." || f.filename == ".." {
                            continue;
                        }
                        let kind = kind_of(&f.attrs);
                        out.push(RawEntry {
                            name: Ok(f.filename),
                            kind,
                            size: if kind == Kind::File { f.attrs.size.unwrap_or(0) } else { 0 },
                            mtime: mtime_of(&f.attrs),
                            precision: Precision::Seconds,
                        });
                    }
                }
                Err(e) if is_eof(&e) => break Ok(()),
                Err(e) => break Err(map_err("list", &path, e)),
            }
        };
        let _ = self.raw.close(handle).await;
        result.map(|_| out)
    }

    async fn stat(&self, path: &RelPath) -> Result<Entry> {
        let full = self.full(path);
        // The root may be a symlink to a directory (a common home-directory layout): follow it.
        let attrs = if path.is_root() { self.raw.stat(full.clone()).await } else { self.raw.lstat(full.clone()).await }
            .map_err(|e| map_err("stat", &full, e))?
            .attrs;
        let kind = kind_of(&attrs);
        Ok(Entry {
            path: path.clone(),
            kind,
            size: if kind == Kind::File { attrs.size.unwrap_or(0) } else { 0 },
            mtime: mtime_of(&attrs),
            precision: Precision::Seconds,
            sha256: None,
        })
    }

    async fn read(&self, path: &RelPath, offset: u64, size_hint: Option<u64>) -> Result<Box<dyn ReadStream>> {
        let full = self.full(path);
        let raw = self.pick();
        let handle = raw.open(full.clone(), OpenFlags::READ, FileAttributes::empty()).await.map_err(|e| map_err("open", &full, e))?.handle;
        Ok(Box::new(SftpRead {
            raw,
            handle,
            path: full,
            next: offset,
            end: size_hint.filter(|s| *s >= offset),
            inflight: VecDeque::new(),
            eof: false,
            pending: Vec::new(),
            read_size: self.read_size.clone(),
            window: self.window.clone(),
        }))
    }

    async fn write(&self, path: &RelPath, mode: WriteMode) -> Result<Box<dyn WriteSink>> {
        let full = self.full(path);
        let (flags, offset) = match mode {
            WriteMode::Truncate => (OpenFlags::WRITE | OpenFlags::CREATE | OpenFlags::TRUNCATE, 0),
            WriteMode::Append(off) => (OpenFlags::WRITE | OpenFlags::CREATE, off),
        };
        let raw = self.pick();
        let handle = raw.open(full.clone(), flags, FileAttributes::empty()).await.map_err(|e| map_err("create", &full, e))?.handle;
        if let WriteMode::Append(off) = mode {
            // Drop anything past the resume point, so a longer stale tail cannot survive.
            let attrs = FileAttributes { size: Some(off), ..FileAttributes::empty() };
            if let Err(e) = raw.fsetstat(handle.clone(), attrs).await {
                let _ = raw.close(handle).await;
                return Err(map_err("truncate", &full, e));
            }
        }
        Ok(Box::new(SftpSink {
            raw,
            handle,
            path: full,
            offset,
            inflight: VecDeque::new(),
            buf: Vec::with_capacity(REQ),
            window: self.window.clone(),
        }))
    }

    async fn mkdir_all(&self, path: &RelPath) -> Result<()> {
        self.mkdir_abs(&self.full(path)).await
    }

    fn standing(&self, path: &RelPath) -> Result<Standing> {
        Ok(Standing::of(&self.full(path), &self.home))
    }

    async fn move_into(&self, from: &RelPath, dir: &str) -> Result<String> {
        let dir = crate::paths::absolute(&self.home, dir).trim_end_matches('/').to_string();
        let src = self.full(from);
        let mut to = format!("{dir}/{}", from.name());
        if self.raw.lstat(to.clone()).await.is_ok() {
            to = format!("{dir}/{}", super::dated_name(from.name()));
        }
        // A plain rename: it refuses to replace, which is what an archive wants. The archive
        // directory usually exists, so it is made only when the rename says it is missing
        // (two round trips per move instead of four).
        let shown = || format!("{src} -> {to}");
        match self.raw.rename(src.clone(), to.clone()).await {
            Ok(_) => {}
            Err(SftpError::Status(s)) if s.status_code == StatusCode::NoSuchFile => {
                self.mkdir_abs(&dir).await?;
                self.raw.rename(src.clone(), to.clone()).await.map_err(|e| map_err("move", &shown(), e))?;
            }
            Err(e) => return Err(map_err("move", &shown(), e)),
        }
        Ok(to)
    }

    async fn moved_into(&self, from: &RelPath, dir: &str) -> Option<String> {
        let to = format!("{}/{}", crate::paths::absolute(&self.home, dir).trim_end_matches('/'), from.name());
        let gone = matches!(self.raw.lstat(self.full(from)).await, Err(SftpError::Status(s)) if s.status_code == StatusCode::NoSuchFile);
        (gone && self.raw.lstat(to.clone()).await.is_ok()).then_some(to)
    }

    async fn remove_file(&self, path: &RelPath) -> Result<()> {
        let full = self.full(path);
        self.raw.remove(full.clone()).await.map(|_| ()).map_err(|e| map_err("remove", &full, e))
    }

    async fn remove_dir(&self, path: &RelPath) -> Result<()> {
        let full = self.full(path);
        self.raw.rmdir(full.clone()).await.map(|_| ()).map_err(|e| {
            let err = map_err("rmdir", &full, e);
            // SFTP v3 reports a non-empty directory as a plain failure.
            if err.kind == ErrorKind::Io { Error { kind: ErrorKind::NotEmpty, ..err } } else { err }
        })
    }

    async fn rename(&self, from: &RelPath, to: &RelPath) -> Result<()> {
        let (f, t) = (self.full(from), self.full(to));
        let shown = format!("{f} -> {t}");
        if self.posix_rename {
            // Atomically replaces an existing target, like rename(2).
            return match self.raw.extended("posix-rename@openssh.com", ssh_strings(&[&f, &t])).await {
                Ok(russh_sftp::protocol::Packet::Status(s)) if s.status_code == StatusCode::Ok => Ok(()),
                Ok(russh_sftp::protocol::Packet::Status(s)) => Err(map_err("rename", &shown, SftpError::Status(s))),
                Ok(_) => Err(Error::new(ErrorKind::Protocol, "unexpected reply to posix-rename").at("rename", &shown)),
                Err(e) => Err(map_err("rename", &shown, e)),
            };
        }
        match self.raw.rename(f.clone(), t.clone()).await {
            Ok(_) => Ok(()),
            Err(e) => {
                // Plain SFTP v3 rename refuses an existing target: remove it, then rename
                // (the documented fallback; the final name is briefly absent).
                if self.raw.lstat(t.clone()).await.is_ok() {
                    self.raw.remove(t.clone()).await.map_err(|e| map_err("rename", &shown, e))?;
                    self.raw.rename(f, t).await.map(|_| ()).map_err(|e| map_err("rename", &shown, e))
                } else {
                    Err(map_err("rename", &shown, e))
                }
            }
        }
    }

    async fn set_mtime(&self, path: &RelPath, mtime: DateTime<Utc>) -> Result<()> {
        let full = self.full(path);
        let attrs =
            FileAttributes { atime: Some(mtime.timestamp() as u32), mtime: Some(mtime.timestamp() as u32), ..FileAttributes::empty() };
        self.raw.setstat(full.clone(), attrs).await.map(|_| ()).map_err(|e| map_err("set mtime", &full, e))
    }

    async fn hash_sha256(&self, path: &RelPath) -> Result<String> {
        let full = self.full(path);
        let Some(cmd) = self.sha256_command().await? else {
            let why = match self.hash {
                HashCommand::Off => "remote_hash_command is none",
                _ => "the server runs neither sha256sum nor shasum -a 256; set remote_hash_command",
            };
            return Err(Error::new(ErrorKind::Unsupported, format!("no remote SHA-256 ({why})")).at("hash", &full));
        };
        let (status, out) = self.exec(&format!("{cmd} {}", shell_quote(&full))).await.map_err(|e| e.at("hash", &full))?;
        match (status, sha256_in(&out)) {
            (Some(0), Some(h)) => Ok(h),
            _ => {
                let how = match status {
                    Some(0) => "printed no SHA-256".to_string(),
                    Some(code) => format!("exited {code}"),
                    None => "ended without an exit status".to_string(),
                };
                Err(Error::new(ErrorKind::Unsupported, format!("remote hash command {cmd:?} {how}")).at("hash", &full))
            }
        }
    }
}

/// Where an SFTP server's SHA-256 of a file comes from.
enum HashCommand {
    /// `remote_hash_command: CMD`.
    Given(String),
    /// `remote_hash_command: none`.
    Off,
    /// Found on first use (`sha256sum`, then `shasum -a 256`) and kept in the server profile, so
    /// the next session knows without asking.
    Detect { found: tokio::sync::OnceCell<Option<String>>, host: String, port: u16 },
}

/// Exec channels per session at once (below OpenSSH's default `MaxSessions` of 10).
const EXEC_SLOTS: usize = 6;

/// The probes, in order: each must print the SHA-256 of empty input.
const SHA256_COMMANDS: &[&str] = &["sha256sum", "shasum -a 256"];
const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

impl HashCommand {
    fn new(given: Option<&str>, host: &str, port: u16) -> HashCommand {
        match given {
            Some("none") => HashCommand::Off,
            Some(c) => HashCommand::Given(c.to_string()),
            None => {
                let known = super::profile::load(super::profile::Kind::Sftp, host, port).sha256_command;
                let found = match known.as_deref() {
                    Some("none") => tokio::sync::OnceCell::new_with(Some(None)),
                    Some(c) => tokio::sync::OnceCell::new_with(Some(Some(c.to_string()))),
                    None => tokio::sync::OnceCell::new(),
                };
                HashCommand::Detect { found, host: host.to_string(), port }
            }
        }
    }

    /// False only when it is known that no command works (a capability the planner may read
    /// before anything is asked of the server).
    fn may_hash(&self) -> bool {
        match self {
            HashCommand::Given(_) => true,
            HashCommand::Off => false,
            HashCommand::Detect { found, .. } => found.get().is_none_or(|f| f.is_some()),
        }
    }
}

/// The first word of a hash command's output, if it is a SHA-256 in hex.
fn sha256_in(out: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(out);
    let h = text.split_whitespace().next()?;
    (h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit())).then(|| h.to_ascii_lowercase())
}

impl Sftp {
    /// The command that hashes a file on this server, detecting it once if not configured.
    pub async fn sha256_command(&self) -> Result<Option<String>> {
        match &self.hash {
            HashCommand::Given(c) => Ok(Some(c.clone())),
            HashCommand::Off => Ok(None),
            HashCommand::Detect { found, host, port } => {
                let r = found
                    .get_or_try_init(|| async {
                        let mut hit = None;
                        for c in SHA256_COMMANDS {
                            // A server without a shell (internal-sftp only) refuses the exec.
                            if let Ok((Some(0), out)) = self.exec(&format!("{c} </dev/null")).await
                                && sha256_in(&out).as_deref() == Some(EMPTY_SHA256)
                            {
                                hit = Some(c.to_string());
                                break;
                            }
                        }
                        tracing::info!(server = %self.label, command = hit.as_deref().unwrap_or("none"), "remote SHA-256 command detected");
                        let mut p = super::profile::load(super::profile::Kind::Sftp, host, *port);
                        p.sha256_command = Some(hit.clone().unwrap_or_else(|| "none".into()));
                        super::profile::save(super::profile::Kind::Sftp, host, *port, &p);
                        Ok::<_, Error>(hit)
                    })
                    .await?;
                Ok(r.clone())
            }
        }
    }

    /// Forget what the server profile says about the SHA-256 command, so the next use detects it
    /// again (doctor measures rather than trusting the profile).
    pub fn redetect_sha256_command(&mut self) {
        if let HashCommand::Detect { found, .. } = &mut self.hash {
            found.take();
        }
    }

    /// Run a shell command over an exec channel of the first connection: (exit status, stdout).
    /// A server that refuses the request (no shell) gives no status; one that stays silent for
    /// `--timeout` is an error.
    async fn exec(&self, cmd: &str) -> Result<(Option<u32>, Vec<u8>)> {
        let _slot = self.exec_slots.acquire().await.map_err(|_| Error::new(ErrorKind::Io, "session closed"))?;
        let run = async {
            let ssh = &self.ssh[0];
            let mut ch = ssh.channel_open_session().await.map_err(|e| Error::new(ErrorKind::Connect, e.to_string()))?;
            ch.exec(true, cmd).await.map_err(|e| Error::new(ErrorKind::Protocol, e.to_string()))?;
            let mut out = Vec::new();
            let mut status = None;
            while let Some(msg) = ch.wait().await {
                match msg {
                    russh::ChannelMsg::Data { data } => out.extend_from_slice(&data),
                    russh::ChannelMsg::ExitStatus { exit_status } => status = Some(exit_status),
                    // Refused: there will be no output and no status.
                    russh::ChannelMsg::Failure => break,
                    _ => {}
                }
            }
            let _ = ch.close().await;
            Ok((status, out))
        };
        tokio::time::timeout(self.timeout, run).await.unwrap_or_else(|_| {
            Err(Error::new(
                ErrorKind::Timeout,
                format!("remote command {cmd:?} did not finish within {} (--timeout)", humantime::format_duration(self.timeout)),
            ))
        })
    }
}

#[cfg(test)]
mod error_map_tests {
    use super::*;
    use russh_sftp::protocol::Status;

    fn status(code: StatusCode) -> SftpError {
        SftpError::Status(Status { id: 1, status_code: code, error_message: String::new(), language_tag: "en".into() })
    }

    /// Every class of failure an SFTP session can see: its kind, whether a retry may help, and
    /// the status code kept.
    #[test]
    fn sftp_error_map() {
        use ErrorKind as K;
        let table = [
            (status(StatusCode::NoSuchFile), K::NotFound, false, Some(2)),
            (status(StatusCode::PermissionDenied), K::PermissionDenied, false, Some(3)),
            (status(StatusCode::Failure), K::Io, false, Some(4)),
            (status(StatusCode::BadMessage), K::Protocol, false, Some(5)),
            (status(StatusCode::NoConnection), K::Connect, true, Some(6)),
            (status(StatusCode::ConnectionLost), K::Connect, true, Some(7)),
            (status(StatusCode::OpUnsupported), K::Unsupported, false, Some(8)),
            (SftpError::Timeout, K::Timeout, true, None),
            (SftpError::IO("broken pipe".into()), K::Connect, true, None),
            // The session's tasks are gone: the channel or the SSH connection closed.
            (SftpError::UnexpectedBehavior("sender dropped".into()), K::Connect, true, None),
            (SftpError::UnexpectedBehavior("session closed".into()), K::Connect, true, None),
            (SftpError::UnexpectedPacket, K::Protocol, false, None),
        ];
        for (e, kind, retry, code) in table {
            let shown = e.to_string();
            let m = map_err("op", "/p", e);
            assert_eq!((m.kind, m.retryable, m.code), (kind, retry, code), "{shown}");
            assert!(m.source.is_some(), "{shown}");
        }
    }
}
