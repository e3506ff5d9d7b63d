//! `ferry serve ftp`: libunftp with its filesystem storage, confined to one directory, one
//! password login, optional FTPS. ferry accepts the control connections itself (so an ephemeral
//! port can be announced, and TCP_NODELAY set: without it each reply waits for a delayed ACK,
//! about 40 ms per file) and hands each to its own libunftp session.

use crate::error::{Error, ErrorKind, Result};
use crate::secret::Secret;
use async_trait::async_trait;
use libunftp::ServerBuilder;
use libunftp::options::{Reply, ReplyCode, SiteCommandContext, SiteCommandHandler};
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use unftp_core::auth::{AuthenticationError, Authenticator, Credentials, Principal};
use unftp_sbe_fs::Filesystem;

/// The one login `serve ftp` accepts.
#[derive(Debug)]
struct OneLogin {
    user: String,
    password: Secret,
}

#[async_trait]
impl Authenticator for OneLogin {
    async fn authenticate(&self, username: &str, creds: &Credentials) -> std::result::Result<Principal, AuthenticationError> {
        if username != self.user {
            return Err(AuthenticationError::BadUser);
        }
        match &creds.password {
            Some(p) if p.as_bytes() == self.password.expose().as_bytes() => Ok(Principal { username: username.to_string() }),
            _ => Err(AuthenticationError::BadPassword),
        }
    }
}

/// `SITE UTIME YYYYMMDDhhmmss /path` (ProFTPD's form, UTC): libunftp has no MFMT, and without
/// a way to set mtimes every mirror onto this server would re-send every file.
#[derive(Debug)]
struct SiteUtime {
    jail: Arc<super::jail::Jail>,
}

#[async_trait]
impl<S, U> SiteCommandHandler<S, U> for SiteUtime
where
    S: unftp_core::storage::StorageBackend<U> + 'static,
    S::Metadata: unftp_core::storage::Metadata,
    U: unftp_core::auth::UserDetail + 'static,
{
    async fn handle(&self, ctx: &SiteCommandContext<S, U>) -> Reply {
        let Some((stamp, path)) = ctx.arguments.split_once(' ') else {
            return Reply::new(ReplyCode::ParameterSyntaxError, "usage: SITE UTIME YYYYMMDDhhmmss /path");
        };
        let Some((t, _)) = crate::backend::ftp::listing::parse_mlsd_time(stamp) else {
            return Reply::new(ReplyCode::ParameterSyntaxError, "bad time; expected YYYYMMDDhhmmss (UTC)");
        };
        if !path.starts_with('/') {
            return Reply::new(ReplyCode::FileError, "give an absolute path");
        }
        let Ok(real) = self.jail.resolve(path, false) else {
            return Reply::new(ReplyCode::FileError, "no such file");
        };
        let when = std::time::SystemTime::from(t);
        let r = std::fs::File::options().write(true).open(&real).and_then(|f| f.set_modified(when));
        match r {
            Ok(()) => Reply::new(ReplyCode::CommandOkay, "modification time set"),
            Err(_) => Reply::new(ReplyCode::FileError, "cannot set the modification time"),
        }
    }
}

/// Server settings.
pub struct FtpServe {
    pub dir: PathBuf,
    pub user: String,
    pub password: Secret,
    /// PEM certificate chain and key: FTPS (explicit, AUTH TLS) offered when set.
    pub tls: Option<(PathBuf, PathBuf)>,
    pub passive_ports: RangeInclusive<u16>,
}

/// Parse `LOW-HIGH`.
pub fn parse_port_range(s: &str) -> Result<RangeInclusive<u16>> {
    let bad = || Error::usage(format!("--passive-ports {s:?}: expected LOW-HIGH, e.g. 50000-50100"));
    let (a, b) = s.split_once('-').ok_or_else(bad)?;
    let (a, b): (u16, u16) = (a.trim().parse().map_err(|_| bad())?, b.trim().parse().map_err(|_| bad())?);
    if a == 0 || a > b {
        return Err(bad());
    }
    Ok(a..=b)
}

fn check_readable(p: &Path, what: &str) -> Result<()> {
    std::fs::File::open(p).map(|_| ()).map_err(|e| Error::new(ErrorKind::Usage, format!("cannot read {what} {}: {e}", p.display())))
}

/// Serve until `stop` completes.
pub async fn serve(cfg: FtpServe, listener: tokio::net::TcpListener, stop: impl std::future::Future<Output = ()>) -> Result<()> {
    if let Some((cert, key)) = &cfg.tls {
        check_readable(cert, "TLS certificate")?;
        check_readable(key, "TLS key")?;
    }
    let root = Arc::new(std::fs::canonicalize(&cfg.dir).map_err(|e| Error::io("serve", cfg.dir.display(), e))?);
    let jail = Arc::new(super::jail::Jail::new(&root).map_err(|e| Error::io("serve", root.display(), e))?);
    let auth = Arc::new(OneLogin { user: cfg.user.clone(), password: cfg.password.clone() });
    let cfg = Arc::new(cfg);
    tokio::pin!(stop);
    loop {
        let (stream, peer) = tokio::select! {
            r = listener.accept() => match r {
                Ok(x) => x,
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    continue;
                }
            },
            _ = &mut stop => return Ok(()),
        };
        let _ = stream.set_nodelay(true);
        let root = root.clone();
        let mut b = ServerBuilder::with_authenticator(
            Box::new(move || super::ftpfs::BigChunkFs(Filesystem::new(root.as_path()).expect("the served directory was checked at start"))),
            auth.clone(),
        )
        .greeting("ferry serve ftp")
        .site_command("UTIME", SiteUtime { jail: jail.clone() })
        .passive_ports(cfg.passive_ports.clone())
        .idle_session_timeout(600);
        if let Some((cert, key)) = &cfg.tls {
            b = b.ftps(cert.clone(), key.clone());
        }
        let server = b.build().map_err(|e| Error::usage(format!("cannot start the FTP server: {e}")))?;
        tokio::spawn(async move {
            if let Err(e) = server.service(stream).await {
                tracing::debug!(peer = %peer, error = ?e, "ftp session ended with an error");
            }
        });
    }
}
