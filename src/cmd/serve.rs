//! `ferry serve sftp|ftp DIR`: resolve the options, bind, announce, serve until a signal.

use super::{Ctx, secret_from_env};
use crate::cli::ServeProtocol;
use crate::error::{Error, Result};
use crate::exit::Exit;
use crate::serve::sftp::{Logins, default_host_key_file, fingerprint, load_authorized_keys, load_or_create_host_key, serve};
use std::io::Write;
use std::path::PathBuf;

pub async fn run(ctx: &Ctx, p: ServeProtocol) -> Result<Exit> {
    let (dir, addr, user, password_env, authorized_keys, host_key_file) = match p {
        ServeProtocol::Sftp { dir, addr, user, password_env, authorized_keys, host_key_file } => {
            (dir, addr, user, password_env, authorized_keys, host_key_file)
        }
        ServeProtocol::Ftp { dir, addr, user, password_env, tls_cert, tls_key, passive_ports } => {
            return ftp(ctx, dir, addr, user, password_env, tls_cert.zip(tls_key), passive_ports).await;
        }
    };
    let dir = PathBuf::from(dir);
    if !dir.is_dir() {
        return Err(Error::usage(format!("{}: not a directory", dir.display())));
    }
    let mut logins = Logins::default();
    if let (Some(u), Some(var)) = (user, password_env) {
        logins.password = Some((u, secret_from_env(&var, "--password-env")?));
    }
    if let Some(f) = authorized_keys {
        logins.keys = load_authorized_keys(std::path::Path::new(&f))?;
    }
    if logins.password.is_none() && logins.keys.is_empty() {
        return Err(Error::usage("serve sftp needs --authorized-keys FILE and/or --user U --password-env VAR"));
    }
    let key_file = host_key_file.map(PathBuf::from).unwrap_or_else(default_host_key_file);
    if let Some(parent) = key_file.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io("mkdir", parent.display(), e))?;
    }
    let key = load_or_create_host_key(&key_file)?;
    let fp = fingerprint(&key);
    let listener = tokio::net::TcpListener::bind(&addr).await.map_err(|e| Error::usage(format!("cannot listen on {addr}: {e}")))?;
    let local = listener.local_addr().map_err(|e| Error::io("listen", &addr, e))?;
    // One machine-readable line on stdout, so scripts and tests can pick up port and key.
    println!("listening {local} host-key {fp}");
    let _ = std::io::stdout().flush();
    ctx.note(format!("serving {} over SFTP on {local} (host key {fp}); stop with Ctrl-C", dir.display()));
    serve(&dir, listener, key, logins, stop_on(ctx)).await?;
    ctx.note("server stopped");
    Ok(Exit::Ok)
}

/// Completes when the run is cancelled (SIGINT/SIGTERM).
fn stop_on(ctx: &Ctx) -> impl std::future::Future<Output = ()> + use<> {
    let cancel = ctx.cancel.clone();
    async move {
        while !cancel.is_cancelled() {
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
}

async fn ftp(
    ctx: &Ctx,
    dir: String,
    addr: String,
    user: String,
    password_env: String,
    tls: Option<(String, String)>,
    passive_ports: String,
) -> Result<Exit> {
    let dir = PathBuf::from(dir);
    if !dir.is_dir() {
        return Err(Error::usage(format!("{}: not a directory", dir.display())));
    }
    let cfg = crate::serve::ftp::FtpServe {
        dir: dir.clone(),
        user,
        password: secret_from_env(&password_env, "--password-env")?,
        tls: tls.map(|(c, k)| (PathBuf::from(c), PathBuf::from(k))),
        passive_ports: crate::serve::ftp::parse_port_range(&passive_ports)?,
    };
    let listener = tokio::net::TcpListener::bind(&addr).await.map_err(|e| Error::usage(format!("cannot listen on {addr}: {e}")))?;
    let local = listener.local_addr().map_err(|e| Error::io("listen", &addr, e))?;
    println!("listening {local}");
    let _ = std::io::stdout().flush();
    let how = if cfg.tls.is_some() { "FTP with explicit TLS" } else { "FTP" };
    ctx.note(format!("serving {} over {how} on {local}; stop with Ctrl-C", dir.display()));
    crate::serve::ftp::serve(cfg, listener, stop_on(ctx)).await?;
    ctx.note("server stopped");
    Ok(Exit::Ok)
}
