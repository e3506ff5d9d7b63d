//! One FTP control connection: connect (plain, explicit or implicit TLS), log in, read FEAT,
//! select TYPE and the data-connection mode; plus the reply-code → `ErrorKind` mapping.
//! Everything that sends a line checks it for CR/LF first, so no value can smuggle a command.

use crate::error::{Error, ErrorKind, Result};
use crate::secret::Secret;
use std::time::{Duration, Instant};
use suppaftp::tokio::{AsyncRustlsConnector, AsyncRustlsFtpStream};
use suppaftp::types::{FileType, FormatControl};
use suppaftp::{FtpError, Mode, Status};
use tokio::net::TcpStream;

/// How the control connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsMode {
    None,
    /// `AUTH TLS` after the greeting; refusal is an error, never a fallback to clear text.
    Explicit,
    /// TLS from the first byte (port 990).
    Implicit,
}

/// Everything needed to open one more connection to the same server.
pub struct Target {
    pub host: String,
    pub port: u16,
    pub user: String,
    pub password: Secret,
    pub tls: TlsMode,
    pub tls_factory: Option<super::tls::TlsFactory>,
    pub active: bool,
    /// Connect to the address a 227 reply names instead of the control connection's peer.
    pub trust_pasv: bool,
    pub ascii: bool,
    pub encoding: Option<&'static encoding_rs::Encoding>,
    pub label: String,
    /// `scheme://host:port`, for metrics.
    pub server: String,
    /// TCP connect, TLS, greeting and login together.
    pub connect_timeout: Duration,
    /// The longest wait for a reply or for data before a connection counts as stalled.
    pub timeout: Duration,
}

/// Names and commands in a non-UTF-8 server encoding (`--encoding`).
#[derive(Debug)]
pub struct NameEncoding(pub &'static encoding_rs::Encoding);

impl suppaftp::Encoding for NameEncoding {
    fn decode(&self, bytes: &[u8]) -> String {
        self.0.decode_without_bom_handling(bytes).0.into_owned()
    }
    fn encode(&self, text: &str) -> std::io::Result<Vec<u8>> {
        let (bytes, _, unmappable) = self.0.encode(text);
        if unmappable {
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, format!("{text:?} cannot be written in {}", self.0.name())));
        }
        Ok(bytes.into_owned())
    }
}

/// A logged-in control connection.
pub struct Conn {
    pub ftp: AsyncRustlsFtpStream,
    /// EPSV works here (else PASV, with the control connection's address).
    pub epsv: bool,
    /// Set when the connection is out of step or dead: it is closed instead of reused.
    pub broken: bool,
    pub last_used: Instant,
    /// The wait for one reply (`Target::timeout`).
    pub limit: Duration,
    /// Counts this connection in the server's open sessions while it lives.
    pub _session: crate::metrics::Session,
}

/// What the first connection learned about the server.
#[derive(Debug, Clone, Default)]
pub struct Greeting {
    /// FEAT lines, upper-cased feature name → parameters.
    pub feat: std::collections::BTreeMap<String, String>,
    pub syst: String,
    pub pwd: String,
    pub connect_ms: u64,
    pub login_ms: u64,
}

/// Refuse a value that would end the command line early. A path is an unsafe name (exit 1, the
/// rest of the run goes on); a user name or password is bad input (exit 2).
pub fn check_line(what: &str, value: &str) -> Result<()> {
    if value.contains(['\r', '\n']) {
        let kind = if what == "path" { ErrorKind::UnsafeName } else { ErrorKind::Usage };
        let shown = if what == "password" { "***".to_string() } else { format!("{value:?}") };
        return Err(Error::new(kind, format!("refusing to send a {what} containing CR or LF to an FTP server: {shown}")));
    }
    Ok(())
}

/// The reply code of an FTP error, if the server sent one.
pub fn code(e: &FtpError) -> Option<u32> {
    match e {
        // From the reply itself: suppaftp reports codes it has no name for (522, 534…) as 0.
        FtpError::UnexpectedResponse(r) => std::str::from_utf8(r.body.get(..3)?).ok()?.parse().ok().or(Some(r.status.code())),
        _ => None,
    }
}

/// Whether the control connection can no longer be trusted after `e`: anything but a 4xx/5xx
/// refusal — a dead, silent or garbled connection, or a positive reply where another was
/// expected (a cut can leave half a reply, "229 E", to be read as a whole one).
pub fn out_of_step(e: &FtpError) -> bool {
    !matches!(e, FtpError::UnexpectedResponse(_)) || !matches!(code(e), Some(400..=599))
}

/// Map a suppaftp error to a ferry error for `op` on `path`.
pub fn map_err(op: &'static str, path: &str, e: FtpError) -> Error {
    let (kind, retry) = match &e {
        FtpError::ConnectionError(io) if io.kind() == std::io::ErrorKind::TimedOut => (ErrorKind::Timeout, true),
        FtpError::ConnectionError(io) if io.kind() == std::io::ErrorKind::InvalidInput => (ErrorKind::UnsafeName, false),
        FtpError::ConnectionError(_) => (ErrorKind::Io, true),
        // A garbled handshake (a server switching to TLS a moment late) or a TLS stream that
        // ended without close_notify may work on a new connection; a certificate failure never
        // does. suppaftp hands TLS errors over as text only, so the text is all there is to read.
        FtpError::SecureError(m) => (ErrorKind::Connect, !m.contains("certificate")),
        FtpError::UnexpectedResponse(_) => match code(&e).unwrap_or(0) {
            421 => (ErrorKind::Connect, true),
            425 | 426 | 450 | 451 => (ErrorKind::Io, true),
            452 | 552 => (ErrorKind::NoSpace, false),
            530 | 532 => (ErrorKind::Auth, false),
            550 if reply_text(&e).to_ascii_lowercase().contains("permission") => (ErrorKind::PermissionDenied, false),
            550 => (ErrorKind::NotFound, false),
            553 => (ErrorKind::PermissionDenied, false),
            500..=504 => (ErrorKind::Unsupported, false),
            // A positive or unreadable reply out of turn: the connection is out of step and is
            // retired; a new one may well work.
            c if !(400..=599).contains(&c) => (ErrorKind::Protocol, true),
            _ => (ErrorKind::Protocol, false),
        },
        // A reply that cannot be parsed: out of step (or cut mid-line); a new connection may work.
        FtpError::BadResponse => (ErrorKind::Protocol, true),
        _ => (ErrorKind::Protocol, false),
    };
    Error::new(kind, describe(&e)).retryable(retry).with_code(code(&e)).caused_by(e).at(op, path)
}

/// The server's reply text, for messages (one line, control characters escaped).
pub fn reply_text(e: &FtpError) -> String {
    match e {
        FtpError::UnexpectedResponse(r) => {
            let t = String::from_utf8_lossy(&r.body);
            t.trim().escape_debug().to_string()
        }
        other => other.to_string(),
    }
}

fn describe(e: &FtpError) -> String {
    match e {
        FtpError::UnexpectedResponse(_) => format!("server replied {}", reply_text(e)),
        FtpError::ConnectionError(io) => format!("connection failed: {io}"),
        FtpError::SecureError(s) if s.contains("--tls-fingerprint") => format!("TLS failed: {s}"),
        FtpError::SecureError(s) if s.contains("certificate") => {
            format!("TLS failed: {s} (trust the server's CA with --ca-file, or skip verification with --insecure)")
        }
        FtpError::SecureError(s) => format!("TLS failed: {s}"),
        other => other.to_string(),
    }
}

fn connect_err(t: &Target, what: &str, e: FtpError) -> Error {
    let mut err = map_err("connect", &t.label, e);
    if matches!(err.kind, ErrorKind::Io | ErrorKind::Protocol | ErrorKind::Unsupported) {
        err.kind = ErrorKind::Connect;
    }
    err.message = format!("{what}: {}", err.message);
    err
}

/// TCP connect with TCP_NODELAY (each command is a small write awaiting a reply; Nagle's
/// algorithm would hold it back for a delayed ACK). `connect` bounds the time.
async fn tcp(host: &str, port: u16) -> std::io::Result<TcpStream> {
    let s = TcpStream::connect((host, port)).await?;
    s.set_nodelay(true)?;
    Ok(s)
}

/// Open, secure and log in one control connection within the connect timeout. No retries
/// here: the retry layer above the backend owns them.
pub async fn connect(t: &Target) -> Result<(Conn, Greeting)> {
    tokio::time::timeout(t.connect_timeout, connect_once(t)).await.unwrap_or_else(|_| {
        Err(Error::new(
            ErrorKind::Connect,
            format!("no greeting or login within {} (--connect-timeout)", humantime::format_duration(t.connect_timeout)),
        )
        .retryable(true)
        .at("connect", &t.label))
    })
}

async fn connect_once(t: &Target) -> Result<(Conn, Greeting)> {
    check_line("user name", &t.user)?;
    check_line("password", t.password.expose())?;
    let started = Instant::now();
    // One configuration for this control connection and all of its data connections.
    let tls_config = t.tls_factory.as_ref().map(|f| f.config());
    let tls_connector = || {
        let cfg = tls_config.clone().expect("a TLS mode implies a TLS configuration");
        AsyncRustlsConnector::from(tokio_rustls::TlsConnector::from(cfg))
    };
    let server_name = t.host.trim_start_matches('[').trim_end_matches(']').to_string();
    let ftp = match t.tls {
        TlsMode::Implicit => {
            let addr = tokio::net::lookup_host((t.host.as_str(), t.port))
                .await
                .ok()
                .and_then(|mut a| a.next())
                .ok_or_else(|| Error::new(ErrorKind::Connect, format!("{}: cannot resolve host", t.label)))?;
            let f = AsyncRustlsFtpStream::connect_secure_implicit(addr, tls_connector(), &server_name)
                .await
                .map_err(|e| connect_err(t, "implicit TLS connection failed", e))?;
            let _ = f.get_ref().await.set_nodelay(true);
            f
        }
        _ => {
            let s = tcp(&t.host, t.port).await.map_err(|e| {
                Error::new(ErrorKind::Connect, format!("cannot connect: {e}")).retryable(true).caused_by(e).at("connect", &t.label)
            })?;
            AsyncRustlsFtpStream::connect_with_stream(s).await.map_err(|e| connect_err(t, "server refused the connection", e))?
        }
    };
    let connect_ms = started.elapsed().as_millis() as u64;
    // Data connections too: the last small segment of a file (or a TLS close_notify) must not
    // wait for a delayed ACK.
    let timeout = t.connect_timeout;
    let mut ftp = ftp.passive_stream_builder(move |addr| {
        Box::pin(async move {
            let s = tokio::time::timeout(timeout, TcpStream::connect(addr))
                .await
                .map_err(|_| FtpError::ConnectionError(std::io::Error::new(std::io::ErrorKind::TimedOut, "data connection timed out")))?
                .map_err(FtpError::ConnectionError)?;
            s.set_nodelay(true).map_err(FtpError::ConnectionError)?;
            Ok(s)
        })
    });
    if t.tls == TlsMode::Explicit {
        ftp = ftp.into_secure(tls_connector(), &server_name).await.map_err(|e| connect_err(t, "AUTH TLS failed (TLS is required)", e))?;
    }
    if let Some(enc) = t.encoding {
        ftp.set_encoding(NameEncoding(enc)).await;
    }
    let login_started = Instant::now();
    ftp.login(t.user.as_str(), t.password.expose()).await.map_err(|e| {
        let mut err = connect_err(t, &format!("login as {} failed", t.user), e);
        if err.kind == ErrorKind::Connect && err.code != Some(421) {
            err.kind = ErrorKind::Auth;
        }
        err
    })?;
    let login_ms = login_started.elapsed().as_millis() as u64;
    let mut g = Greeting { connect_ms, login_ms, ..Default::default() };
    if let Ok(f) = ftp.feat().await {
        g.feat = f.into_iter().map(|(k, v)| (k.to_ascii_uppercase(), v.unwrap_or_default())).collect();
    }
    if g.feat.contains_key("UTF8") && t.encoding.is_none() {
        let _ = ftp.custom_command("OPTS UTF8 ON", &[Status::CommandOk, Status::System]).await;
    }
    let ty = if t.ascii { FileType::Ascii(FormatControl::Default) } else { FileType::Binary };
    ftp.transfer_type(ty).await.map_err(|e| connect_err(t, "the server refused TYPE (binary transfers are required)", e))?;
    if let Ok(r) = ftp.custom_command("SYST", &[Status::Name]).await {
        g.syst = String::from_utf8_lossy(&r.body).trim().chars().skip(4).collect();
    }
    g.pwd = ftp.pwd().await.map_err(|e| connect_err(t, "PWD failed", e))?;
    let epsv = !t.active && (g.feat.contains_key("EPSV") || g.feat.is_empty());
    let session = crate::metrics::Session::connected(&t.server, started.elapsed());
    let mut conn = Conn { ftp, epsv, broken: false, last_used: Instant::now(), limit: t.timeout, _session: session };
    conn.apply_mode(t);
    Ok((conn, g))
}

/// The error a silent server gets: a timed-out connection, which callers treat as dead.
pub fn stalled(limit: Duration) -> FtpError {
    FtpError::ConnectionError(std::io::Error::new(
        std::io::ErrorKind::TimedOut,
        format!("no reply or data within {} (--timeout)", humantime::format_duration(limit)),
    ))
}

trait IntoIo {
    fn into_io(self) -> std::io::Error;
}

impl IntoIo for FtpError {
    /// The I/O error inside a connection error (tests build stalls from it).
    fn into_io(self) -> std::io::Error {
        match self {
            FtpError::ConnectionError(e) => e,
            other => std::io::Error::other(other.to_string()),
        }
    }
}

/// `f`, or a stalled-connection error once `limit` passes without an answer.
pub async fn within<T>(limit: Duration, f: impl std::future::Future<Output = Result<T, FtpError>>) -> Result<T, FtpError> {
    tokio::time::timeout(limit, f).await.unwrap_or_else(|_| Err(stalled(limit)))
}

/// A data-connection read or write, or a timed-out I/O error once `limit` passes without progress.
pub async fn within_io<T>(limit: Duration, f: impl std::future::Future<Output = std::io::Result<T>>) -> std::io::Result<T> {
    tokio::time::timeout(limit, f).await.unwrap_or_else(|_| Err(stalled(limit).into_io()))
}

impl Conn {
    /// One exchange with the server, waiting at most `limit`. Anything but a reply — a dead,
    /// garbled or silent connection — marks the connection broken, so it is never reused.
    pub async fn run<T>(&mut self, f: impl AsyncFnOnce(&mut AsyncRustlsFtpStream) -> Result<T, FtpError>) -> Result<T, FtpError> {
        let limit = self.limit;
        let r = within(limit, f(&mut self.ftp)).await;
        if matches!(&r, Err(e) if out_of_step(e)) {
            self.broken = true;
        }
        r
    }

    /// Set the data-connection mode: EPRT/PORT when asked, else EPSV, else PASV with the
    /// control connection's address (a 227 reply naming another host is ignored).
    pub fn apply_mode(&mut self, t: &Target) {
        if t.active {
            self.ftp.set_mode(Mode::Active);
        } else {
            self.ftp.set_mode(if self.epsv { Mode::ExtendedPassive } else { Mode::Passive });
            self.ftp.set_passive_nat_workaround(!t.trust_pasv);
        }
    }

    /// After an EPSV refusal, switch this connection to PASV for good.
    pub fn epsv_refused(&mut self, e: &FtpError, t: &Target) -> bool {
        if self.epsv && matches!(code(e), Some(500..=504)) {
            self.epsv = false;
            self.apply_mode(t);
            return true;
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use suppaftp::types::Response;

    fn reply(code: u32, text: &str) -> FtpError {
        FtpError::UnexpectedResponse(Response { status: Status::from(code), body: format!("{code} {text}").into_bytes() })
    }

    fn io(kind: std::io::ErrorKind) -> FtpError {
        FtpError::ConnectionError(std::io::Error::new(kind, "x"))
    }

    /// Every class of failure an FTP session can see: its kind, whether a retry may help,
    /// whether the connection is retired, and the reply code kept.
    #[test]
    fn ftp_error_map() {
        use ErrorKind as K;
        let table: Vec<(FtpError, K, bool, bool, Option<u32>)> = vec![
            (reply(421, "Timeout."), K::Connect, true, false, Some(421)),
            (reply(425, "Can't open data connection."), K::Io, true, false, Some(425)),
            (reply(426, "Connection closed; transfer aborted."), K::Io, true, false, Some(426)),
            (reply(450, "File unavailable."), K::Io, true, false, Some(450)),
            (reply(451, "Local error."), K::Io, true, false, Some(451)),
            (reply(452, "Insufficient storage."), K::NoSpace, false, false, Some(452)),
            (reply(530, "Login incorrect."), K::Auth, false, false, Some(530)),
            (reply(550, "No such file or directory."), K::NotFound, false, false, Some(550)),
            (reply(550, "Permission denied."), K::PermissionDenied, false, false, Some(550)),
            (reply(552, "Exceeded storage allocation."), K::NoSpace, false, false, Some(552)),
            (reply(553, "Could not create file."), K::PermissionDenied, false, false, Some(553)),
            (reply(502, "Command not implemented."), K::Unsupported, false, false, Some(502)),
            // Half a reply after a cut ("229 E" read as a whole one): out of step.
            (reply(229, "E"), K::Protocol, true, true, Some(229)),
            (FtpError::BadResponse, K::Protocol, true, true, None),
            (io(std::io::ErrorKind::ConnectionReset), K::Io, true, true, None),
            (io(std::io::ErrorKind::UnexpectedEof), K::Io, true, true, None),
            (FtpError::ConnectionError(stalled(Duration::from_secs(1)).into_io()), K::Timeout, true, true, None),
            (FtpError::SecureError("received corrupt message of type InvalidContentType".into()), K::Connect, true, true, None),
            (FtpError::SecureError("peer closed connection without sending TLS close_notify".into()), K::Connect, true, true, None),
            (FtpError::SecureError("invalid peer certificate: UnknownIssuer".into()), K::Connect, false, true, None),
        ];
        for (e, kind, retry, retire, code) in table {
            let shown = e.to_string();
            assert_eq!(out_of_step(&e), retire, "{shown}");
            let m = map_err("op", "/p", e);
            assert_eq!((m.kind, m.retryable, m.code), (kind, retry, code), "{shown}");
            assert!(m.source.is_some(), "{shown}: the suppaftp error is kept as source");
        }
    }
}
