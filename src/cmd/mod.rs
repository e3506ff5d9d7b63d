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
use crate::error::Error;
use crate::error::Result;
use crate::exec::cancel::Cancel;
use crate::filter::{Filter, parse_filter_file};
use crate::plan::Compare;
use crate::plan::OnExists;
use crate::settings::Keys;
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
            crate::logging::Line::new(crate::logging::Level::Info, "note", msg).emit();
        }
    }

    /// What the sync pipeline gets from this command: the cancel token and the progress choice.
    pub fn pipeline(&self) -> crate::sync::Run {
        crate::sync::Run { cancel: self.cancel.clone(), progress: self.progress(), started: std::time::Instant::now() }
    }

    /// Progress bars only on a terminal (or when forced), never with -q or JSON logs.
    pub fn progress(&self) -> bool {
        !self.global.quiet
            && !crate::logging::json()
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

/// Transfer flags as typed keys: each value parsed here, once; a bad one is exit 2 naming it.
pub fn transfer_keys(t: &TransferArgs) -> Result<Keys> {
    use crate::units::{parse_duration, parse_rate, parse_size};
    let compare = if t.checksum {
        Compare::Checksum
    } else if t.size_only {
        Compare::SizeOnly
    } else {
        t.compare.as_deref().map(crate::settings::parse_compare).transpose()?.unwrap_or_default()
    };
    let rules = match &t.filter_from {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| Error::usage(format!("cannot read filter file {path}: {e}")))?;
            parse_filter_file(&text, path)?
        }
        None => vec![],
    };
    let mut filter = Filter::new(&t.include, &t.exclude, &rules)?;
    filter.min_age = t.min_age.as_deref().map(parse_duration).transpose()?;
    filter.max_age = t.max_age.as_deref().map(parse_duration).transpose()?;
    filter.min_size = t.min_size.as_deref().map(parse_size).transpose()?;
    filter.max_size = t.max_size.as_deref().map(parse_size).transpose()?;
    if let Some(tpl) = &t.temp_name {
        crate::settings::check_temp_name(tpl)?;
    }
    let on_exists = match t.on_exists {
        _ if t.ignore_existing => OnExists::Skip,
        Some(OnExistsArg::Overwrite) | None => OnExists::Overwrite,
        Some(OnExistsArg::Skip) => OnExists::Skip,
        Some(OnExistsArg::Fail) => OnExists::Fail,
        Some(OnExistsArg::RenameExisting) => OnExists::RenameExisting,
    };
    Ok(Keys {
        filter,
        compare,
        update: t.update,
        on_exists,
        delete: t.delete,
        max_delete: t.max_delete,
        delete_empty_source: t.delete_empty_source,
        resume: t.resume.then_some(true),
        parallel: t.parallel.map(usize::from),
        bwlimit: t.bwlimit.as_deref().map(parse_rate).transpose()?,
        retries: Some(t.retries),
        retry_delay: Some(parse_duration(&t.retry_delay)?),
        inplace: t.inplace,
        temp_name: t.temp_name.clone(),
        verify: t.verify,
        stable_for: t.stable_for.as_deref().map(parse_duration).transpose()?,
        hash_by_reading: false,
        staging_dir: t.staging_dir.as_deref().map(|d| crate::staging::check(d).map(|_| d.to_string())).transpose()?,
    })
}
