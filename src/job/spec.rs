//! The job-file schema as written (YAML), with source locations kept for error messages.
//! Unknown keys are collected and reported with every other error (see `unknown.rs`); only
//! `verify: {…}`, read through an untagged enum, rejects them itself.

use indexmap::IndexMap;
use serde::Deserialize;
use serde_saphyr::Spanned;

pub type S<T> = Spanned<T>;

#[derive(Debug, Clone, Deserialize)]
pub struct JobFile {
    pub version: S<u32>,
    #[serde(default)]
    pub ledger: Option<S<String>>,
    /// The environment variable holding a `postgresql://` ledger's password.
    #[serde(default)]
    pub ledger_password_env: Option<S<String>>,
    /// How long a job's lease on a shared ledger lasts unrenewed (a dead host's job is taken
    /// over after at most this).
    #[serde(default)]
    pub lease_ttl: Option<S<String>>,
    #[serde(default)]
    pub remotes: IndexMap<String, S<RemoteSpec>>,
    #[serde(default)]
    pub defaults: Option<S<Settings>>,
    /// Jobs run in the order the file lists them.
    pub jobs: S<IndexMap<String, S<JobSpec>>>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RemoteSpec {
    pub url: S<String>,
    pub user: Option<S<String>>,
    pub password_env: Option<S<String>>,
    pub password_file: Option<S<String>>,
    pub key_file: Option<S<String>>,
    pub key_passphrase_env: Option<S<String>>,
    pub host_key: Option<S<String>>,
    pub known_hosts: Option<S<String>>,
    pub connections: Option<S<u32>>,
    pub remote_hash_command: Option<S<String>>,
    pub connect_timeout: Option<S<String>>,
    pub timeout: Option<S<String>>,
    pub tls: Option<TlsSpec>,
    pub ftp: Option<FtpSpec>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct TlsSpec {
    pub ca_file: Option<S<String>>,
    #[serde(default)]
    pub insecure: bool,
    pub fingerprint: Option<S<String>>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct FtpSpec {
    pub passive: Option<bool>,
    pub trust_pasv_address: Option<bool>,
    pub encoding: Option<S<String>>,
    pub timezone: Option<S<String>>,
}

/// A list of glob patterns.
pub type Globs = Vec<S<String>>;

/// Declares `Settings` (the transfer keys shared by `defaults:` and each job) and `JobSpec`
/// (a job's own keys plus the same transfer keys) from one field list. Spelled out rather than
/// `#[serde(flatten)]`, which loses span capture.
macro_rules! declare_specs {
    (
        settings { $($(#[$fm:meta])* $f:ident : $t:ty,)* }
        job { $($(#[$jm:meta])* $j:ident : $jt:ty,)* }
    ) => {
        /// `defaults:`: settings every job inherits unless it sets them itself.
        #[derive(Debug, Clone, Deserialize, Default)]
        pub struct Settings { $($(#[$fm])* pub $f: $t,)* }

        impl Settings {
            /// Each key from `self`, or else from `defaults`.
            pub fn or(self, defaults: Settings) -> Settings {
                Settings { $($f: self.$f.or(defaults.$f),)* }
            }
        }

        /// One job: a pull, push or mirror, its settings, schedule and hooks.
        #[derive(Debug, Clone, Deserialize, Default)]
        pub struct JobSpec {
            $($(#[$jm])* pub $j: $jt,)*
            $($(#[$fm])* pub $f: $t,)*
        }

        impl JobSpec {
            /// Move the transfer keys out into a `Settings`.
            pub fn take_settings(&mut self) -> Settings {
                Settings { $($f: self.$f.take(),)* }
            }
        }
    };
}

declare_specs! {
    settings {
        include: Option<Globs>,
        exclude: Option<Globs>,
        filter_from: Option<S<String>>,
        min_age: Option<S<String>>,
        max_age: Option<S<String>>,
        min_size: Option<S<String>>,
        max_size: Option<S<String>>,
        compare: Option<S<String>>,
        update: Option<bool>,
        ignore_existing: Option<bool>,
        on_exists: Option<S<String>>,
        delete: Option<S<bool>>,
        max_delete: Option<u64>,
        delete_empty_source: Option<bool>,
        #[serde(rename = "continue")]
        resume: Option<bool>,
        parallel: Option<S<u32>>,
        bwlimit: Option<S<String>>,
        retries: Option<u32>,
        retry_delay: Option<S<String>>,
        verify: Option<S<Verify>>,
        upload: Option<S<Upload>>,
        stable_for: Option<S<String>>,
        error_on_no_transfer: Option<bool>,
    }
    job {
        pull: Option<S<String>>,
        push: Option<S<String>>,
        mirror: Option<S<MirrorSpec>>,
        to: Option<S<String>>,
        once: Option<S<bool>>,
        after: Option<S<After>>,
        schedule: Option<S<String>>,
        on_success: Option<Hook>,
        on_failure: Option<Hook>,
        on_no_files: Option<Hook>,
        report: Option<S<String>>,
        max_duration: Option<S<String>>,
        expect: Option<S<ExpectSpec>>,
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Verify {
    On(bool),
    With(VerifySpec),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerifySpec {
    pub sidecar: Option<S<String>>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Upload {
    pub temp_name: Option<S<String>>,
    #[serde(default)]
    pub inplace: bool,
    pub staging_dir: Option<S<String>>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct MirrorSpec {
    pub from: S<String>,
    pub to: S<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct After {
    pub source: S<String>,
    pub move_to: Option<S<String>>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Hook {
    pub exec: S<String>,
}

/// `expect:`: when the job's files must have arrived.
#[derive(Debug, Clone, Deserialize)]
pub struct ExpectSpec {
    pub by: S<String>,
    pub timezone: Option<S<String>>,
    pub days: Option<S<String>>,
    pub min_files: Option<S<u64>>,
    pub on_late: Option<Hook>,
}
