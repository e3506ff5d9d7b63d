//! Command implementations. Each command resolves its arguments, goes through the `Backend`
//! trait (so every backend gets it for free) and returns an exit code.

pub mod daemon;
pub mod doctor;
pub mod fsops;
pub mod jobs;
pub mod monitor;
pub mod serve;
pub mod transfer;

use crate::backend::ConnectOptions;
use crate::cli::{ConnArgs, GlobalArgs, OnExistsArg, ProgressMode, TransferArgs};
use crate::error::Result;
use crate::exec::cancel::Cancel;
use crate::plan::OnExists;
use crate::settings::RawSettings;
use std::io::IsTerminal;

/// What every command gets: global flags and the run's cancel token.
#[derive(Clone)]
pub struct Ctx {
    pub global: GlobalArgs,
    pub cancel: Cancel,
}

impl Ctx {
    /// Print a line for people on stderr unless -q.
    pub fn note(&self, msg: impl std::fmt::Display) {
        if !self.global.quiet {
            eprintln!("ferry: {msg}");
        }
    }

    /// What the sync pipeline gets from this command: the cancel token and the progress choice.
    pub fn pipeline(&self) -> crate::sync::Run {
        crate::sync::Run { cancel: self.cancel.clone(), progress: self.progress(), started: std::time::Instant::now() }
    }

    /// Progress bars only on a terminal (or when forced), never with -q.
    pub fn progress(&self) -> bool {
        !self.global.quiet
            && match self.global.progress {
                ProgressMode::Always => true,
                ProgressMode::Never => false,
                ProgressMode::Auto => std::io::stderr().is_terminal(),
            }
    }
}

pub use crate::secret::{secret_from_env, secret_from_file};

/// Resolve connection flags, reading secrets now so a missing one fails before any work.
pub fn conn_options(c: &ConnArgs) -> Result<ConnectOptions> {
    let password = match (&c.password_env, &c.password_file) {
        (Some(v), _) => Some(secret_from_env(v, "--password-env")?),
        (None, Some(f)) => Some(secret_from_file(f, "--password-file")?),
        _ => None,
    };
    let key_passphrase = match &c.key_passphrase_env {
        Some(v) => Some(secret_from_env(v, "--key-passphrase-env")?),
        None => None,
    };
    if let Some(h) = &c.host_key {
        crate::job::check_host_key(h)?;
    }
    Ok(ConnectOptions {
        user: c.user.clone(),
        password,
        password_file: None,
        key_file: c.key_file.clone(),
        key_passphrase,
        known_hosts: c.known_hosts.clone(),
        host_key: c.host_key.clone(),
        connections: c.connections.map(usize::from),
        remote_hash_command: c.remote_hash_command.clone(),
        tls: c.tls.clone(),
        ca_file: c.ca_file.clone(),
        insecure: c.insecure,
        tls_fingerprint: c.tls_fingerprint.as_deref().map(crate::backend::ftp::tls::parse_fingerprint).transpose()?,
        active: c.active,
        trust_pasv: false,
        ascii: false,
        encoding: c.encoding.clone(),
        timezone: c.timezone.clone(),
        faults: faults(c)?,
    })
}

/// The time limits of `--connect-timeout` and `--timeout` over the defaults (retries are set by
/// the transfer flags).
fn faults(c: &ConnArgs) -> Result<crate::backend::Faults> {
    let mut f = crate::backend::Faults::default();
    if let Some(d) = &c.connect_timeout {
        f.connect_timeout = positive(d, "--connect-timeout")?;
    }
    if let Some(d) = &c.timeout {
        f.timeout = positive(d, "--timeout")?;
    }
    Ok(f)
}

pub use crate::units::positive;

/// Transfer flags in the shared raw form.
pub fn raw_settings(t: &TransferArgs) -> RawSettings {
    let compare = if t.checksum {
        Some("checksum".to_string())
    } else if t.size_only {
        Some("size".to_string())
    } else {
        t.compare.clone()
    };
    RawSettings {
        include: t.include.clone(),
        exclude: t.exclude.clone(),
        filter_from: t.filter_from.clone(),
        min_age: t.min_age.clone(),
        max_age: t.max_age.clone(),
        min_size: t.min_size.clone(),
        max_size: t.max_size.clone(),
        compare,
        update: t.update,
        ignore_existing: t.ignore_existing,
        on_exists: t.on_exists.map(|o| match o {
            OnExistsArg::Overwrite => OnExists::Overwrite,
            OnExistsArg::Skip => OnExists::Skip,
            OnExistsArg::Fail => OnExists::Fail,
            OnExistsArg::RenameExisting => OnExists::RenameExisting,
        }),
        delete: t.delete,
        max_delete: t.max_delete,
        delete_empty_source: t.delete_empty_source,
        resume: t.resume.then_some(true),
        parallel: t.parallel.map(usize::from),
        bwlimit: t.bwlimit.clone(),
        retries: Some(t.retries),
        retry_delay: Some(t.retry_delay.clone()),
        inplace: t.inplace,
        temp_name: t.temp_name.clone(),
        verify: t.verify,
        stable_for: t.stable_for.clone(),
    }
}
