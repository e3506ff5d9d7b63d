//! What ferry has learned about one server, kept between runs in the state directory
//! (`servers/ftp-HOST-PORT.json`, `servers/sftp-HOST-PORT.json`): written by `ferry doctor` and
//! by any run that discovers a quirk, read when connecting, so jobs do not rediscover quirks
//! file by file.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    /// The mtime-setting command that works: `MFMT`, `MDTM`, `SITE UTIME`, or `none`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mtime: Option<String>,
    /// Sessions the server allows at once (a 421 came after this many).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_connections: Option<usize>,
    /// `false`: the server lost commands sent before it had answered the previous one, so
    /// ferry waits for each reply (unset: commands that do not depend on each other go back to back).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pipelining: Option<bool>,
    /// SFTP: the shell command that prints a file's SHA-256 (`sha256sum`, `shasum -a 256`), or
    /// `none` when the server has neither (or no shell).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256_command: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<DateTime<Utc>>,
}

/// Which protocol's profile: FTP servers and SSH servers on the same host are kept apart.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Ftp,
    Sftp,
}

/// The profile file of `host:port`.
pub fn path(kind: Kind, host: &str, port: u16) -> PathBuf {
    let safe: String = host.chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' { c } else { '_' }).collect();
    let prefix = match kind {
        Kind::Ftp => "ftp",
        Kind::Sftp => "sftp",
    };
    crate::ledger::state_dir().join("servers").join(format!("{prefix}-{safe}-{port}.json"))
}

/// The stored profile, or an empty one (a missing or unreadable file is not an error: the
/// profile is only a cache).
pub fn load(kind: Kind, host: &str, port: u16) -> Profile {
    std::fs::read(path(kind, host, port)).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default()
}

/// Store the profile (best effort: a read-only state directory only costs rediscovery).
pub fn save(kind: Kind, host: &str, port: u16, p: &Profile) {
    let file = path(kind, host, port);
    let mut p = p.clone();
    p.updated = Some(Utc::now());
    let write = || -> std::io::Result<()> {
        std::fs::create_dir_all(file.parent().expect("profile files live in a directory"))?;
        let tmp = file.with_extension("json.tmp");
        std::fs::write(&tmp, serde_json::to_vec_pretty(&p).expect("a profile serializes"))?;
        std::fs::rename(tmp, &file)
    };
    if let Err(e) = write() {
        tracing::debug!(file = %file.display(), error = %e, "cannot store the server profile");
    }
}
