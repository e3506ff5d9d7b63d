//! `ferry serve sftp DIR`: an SSH server (russh) whose only service is the SFTP subsystem over
//! DIR. Logins by public key (`--authorized-keys`) and/or one user and password. The host key
//! persists in a file, generated on first use, so clients can pin it.

use super::jail::Jail;
use super::sftpfs::SftpFs;
use crate::error::{Error, ErrorKind, Result};
use crate::secret::Secret;
use russh::keys::{PrivateKey, PublicKey};
use russh::server::{Auth, Msg, Server as _, Session, VerifiedPublicKey};
use russh::{Channel, ChannelId};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Who may log in.
#[derive(Clone, Default)]
pub struct Logins {
    /// (user, password) for password logins.
    pub password: Option<(String, Secret)>,
    /// Keys allowed for any user name.
    pub keys: Vec<PublicKey>,
}

/// Load the host key, or create an Ed25519 key there (mode 0600) when the file does not exist.
pub fn load_or_create_host_key(path: &Path) -> Result<PrivateKey> {
    if path.exists() {
        return russh::keys::load_secret_key(path, None).map_err(|e| Error::usage(format!("cannot load host key {}: {e}", path.display())));
    }
    let mut seed = [0u8; 32];
    use std::io::Read;
    std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut seed)).map_err(|e| Error::io("read", "/dev/urandom", e))?;
    let key = PrivateKey::from(russh::keys::ssh_key::private::Ed25519Keypair::from_seed(&seed));
    let text = key
        .to_openssh(russh::keys::ssh_key::LineEnding::LF)
        .map_err(|e| Error::new(ErrorKind::Io, format!("cannot encode host key: {e}")))?;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| Error::io("create", path.display(), e))?;
    use std::io::Write;
    f.write_all(text.as_bytes()).map_err(|e| Error::io("write", path.display(), e))?;
    Ok(key)
}

/// Read an OpenSSH `authorized_keys` file (options before the key type are not supported).
pub fn load_authorized_keys(path: &Path) -> Result<Vec<PublicKey>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::usage(format!("cannot read {}: {e}", path.display())))?;
    let mut keys = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let l = line.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        let mut parts = l.split_whitespace();
        let (_, Some(b64)) = (parts.next(), parts.next()) else {
            return Err(Error::usage(format!("{}:{}: expected `TYPE BASE64 [COMMENT]`", path.display(), i + 1)));
        };
        let key = russh::keys::parse_public_key_base64(b64).map_err(|e| Error::usage(format!("{}:{}: {e}", path.display(), i + 1)))?;
        keys.push(key);
    }
    Ok(keys)
}

/// The SHA-256 fingerprint clients pin (`--host-key SHA256:…`).
pub fn fingerprint(key: &PrivateKey) -> String {
    key.public_key().fingerprint(russh::keys::HashAlg::Sha256).to_string()
}

/// Makes the SFTP request handler for each session.
pub type HandlerFactory<H> = Arc<dyn Fn() -> H + Send + Sync>;

struct Server<H> {
    make: HandlerFactory<H>,
    logins: Arc<Logins>,
}

impl<H: russh_sftp::server::Handler + Send + 'static> russh::server::Server for Server<H> {
    type Handler = Conn<H>;
    fn new_client(&mut self, peer: Option<std::net::SocketAddr>) -> Conn<H> {
        tracing::info!(peer = ?peer, "sftp client connected");
        Conn { make: self.make.clone(), logins: self.logins.clone(), channels: HashMap::new() }
    }
}

struct Conn<H> {
    make: HandlerFactory<H>,
    logins: Arc<Logins>,
    channels: HashMap<ChannelId, Channel<Msg>>,
}

/// Compare secrets in time independent of where they differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl<H: russh_sftp::server::Handler + Send + 'static> russh::server::Handler for Conn<H> {
    type Error = russh::Error;

    async fn auth_password(&mut self, user: &str, password: &str) -> std::result::Result<Auth, Self::Error> {
        match &self.logins.password {
            Some((u, p)) if u == user && same(p.expose().as_bytes(), password.as_bytes()) => Ok(Auth::Accept),
            _ => {
                tracing::warn!(user, "password login refused");
                Ok(Auth::reject())
            }
        }
    }

    async fn auth_publickey(&mut self, user: &str, key: VerifiedPublicKey<'_>) -> std::result::Result<Auth, Self::Error> {
        if self.logins.keys.iter().any(|k| k.key_data() == key.public_key.key_data()) {
            Ok(Auth::Accept)
        } else {
            tracing::warn!(user, "public key login refused");
            Ok(Auth::reject())
        }
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: russh::server::ChannelOpenHandle,
        _session: &mut Session,
    ) -> std::result::Result<(), Self::Error> {
        self.channels.insert(channel.id(), channel);
        reply.accept().await;
        Ok(())
    }

    async fn channel_eof(&mut self, channel: ChannelId, session: &mut Session) -> std::result::Result<(), Self::Error> {
        session.close(channel)?;
        Ok(())
    }

    /// No shell and no commands: refused at once, so a client probing for `sha256sum` learns
    /// "none" instead of waiting.
    async fn exec_request(&mut self, id: ChannelId, _data: &[u8], session: &mut Session) -> std::result::Result<(), Self::Error> {
        session.channel_failure(id)?;
        Ok(())
    }

    async fn subsystem_request(&mut self, id: ChannelId, name: &str, session: &mut Session) -> std::result::Result<(), Self::Error> {
        match (name, self.channels.remove(&id)) {
            ("sftp", Some(channel)) => {
                session.channel_success(id)?;
                russh_sftp::server::run(channel.into_stream(), (self.make)()).await;
            }
            _ => session.channel_failure(id)?,
        }
        Ok(())
    }
}

/// Serve `dir` on an already bound listener until `stop` resolves.
pub async fn serve(
    dir: &Path,
    listener: tokio::net::TcpListener,
    host_key: PrivateKey,
    logins: Logins,
    stop: impl std::future::Future<Output = ()>,
) -> Result<()> {
    let jail = Jail::new(dir).map_err(|e| Error::io("open", dir.display(), e))?;
    serve_with(Arc::new(move || SftpFs::new(jail.clone())), listener, host_key, logins, stop).await
}

/// Serve SFTP sessions handled by `make()`'s handlers (the served directory's, or another
/// implementation of the SFTP request handler) until `stop` resolves.
pub async fn serve_with<H: russh_sftp::server::Handler + Send + 'static>(
    make: HandlerFactory<H>,
    listener: tokio::net::TcpListener,
    host_key: PrivateKey,
    logins: Logins,
    stop: impl std::future::Future<Output = ()>,
) -> Result<()> {
    let mut methods = russh::MethodSet::empty();
    if logins.password.is_some() {
        methods.push(russh::MethodKind::Password);
    }
    if !logins.keys.is_empty() {
        methods.push(russh::MethodKind::PublicKey);
    }
    let config = russh::server::Config {
        methods,
        keys: vec![host_key],
        auth_rejection_time: std::time::Duration::from_millis(300),
        auth_rejection_time_initial: Some(std::time::Duration::ZERO),
        inactivity_timeout: Some(std::time::Duration::from_secs(600)),
        nodelay: true,
        window_size: 16 * 1024 * 1024,
        maximum_packet_size: 65535,
        ..Default::default()
    };
    let mut server = Server { make, logins: Arc::new(logins) };
    let running = server.run_on_socket(Arc::new(config), &listener);
    tokio::select! {
        r = running => r.map_err(|e| Error::new(ErrorKind::Io, format!("server stopped: {e}"))),
        _ = stop => Ok(()),
    }
}

/// Default host-key file: `$XDG_STATE_HOME/ferry/serve_sftp_ed25519` (or `~/.local/state/…`).
pub fn default_host_key_file() -> PathBuf {
    let base = std::env::var_os("XDG_STATE_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".local/state"));
    base.join("ferry").join("serve_sftp_ed25519")
}
