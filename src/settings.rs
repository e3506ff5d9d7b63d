//! Transfer settings as the front ends resolve them (`Keys`, from flags or job-file keys, each
//! value parsed once) and their compiled form (filter, plan policy, executor options). Both
//! front ends go through `compile`; nothing changes the result afterwards.

use crate::error::{Error, Result};
use crate::exec::{After, ExecOptions, Sidecar};
use crate::filter::Filter;
use crate::plan::{Compare, DEFAULT_TEMP_NAME, OnExists, Policy};
use std::time::Duration;

/// Transfer settings as a front end resolved them — flags (`cmd::transfer_keys`) or job keys
/// (`job::load`) — with every value parsed exactly once, where its origin is known.
#[derive(Debug, Clone, Default)]
pub struct Keys {
    /// Globs, filter-file rules, and age and size limits, compiled.
    pub filter: Filter,
    pub compare: Compare,
    pub update: bool,
    pub on_exists: OnExists,
    pub delete: bool,
    pub max_delete: Option<u64>,
    pub delete_empty_source: bool,
    /// `-c` / `continue:`; unset means the command's default.
    pub resume: Option<bool>,
    pub parallel: Option<usize>,
    /// Bytes per second.
    pub bwlimit: Option<u64>,
    pub retries: Option<u32>,
    pub retry_delay: Option<Duration>,
    /// `--inplace`: write under the final name.
    pub inplace: bool,
    /// A temp-name template that passed `check_temp_name`; unset means the default.
    pub temp_name: Option<String>,
    pub verify: bool,
    pub stable_for: Option<Duration>,
    /// `check --download`: hash by reading, even where a server could hash.
    pub hash_by_reading: bool,
    /// `--staging-dir` / `upload: { staging_dir }`, checked by `staging::check`.
    pub staging_dir: Option<String>,
}

/// What a front end resolved besides the keys, that the compiled settings carry.
#[derive(Debug, Clone, Default)]
pub struct Resolved {
    /// Resume is on by default for mirror and jobs, off for get and put.
    pub default_resume: bool,
    /// What happens to a source file after its delivery.
    pub after: Option<std::sync::Arc<After>>,
    /// Checksum sidecars: checked on pulls (and then kept out of the data), written on pushes.
    pub sidecar: Option<Sidecar>,
    /// FTP `--ascii`: line endings change in flight.
    pub text_mode: bool,
    /// The output shows each file's checksum (`--json`, `-v`, a log file).
    pub show_hash: bool,
}

/// Settings ready to use.
#[derive(Debug, Clone)]
pub struct Settings {
    pub filter: Filter,
    pub policy: Policy,
    pub exec: ExecOptions,
    /// Stability gate: list the source again after this long and take only unchanged files.
    pub stable_for: Option<Duration>,
    /// `-P` / `parallel:` as given; without it the transfer fits `exec.parallel` to the link
    /// when it runs (`sync::fitted`).
    pub parallel: Option<usize>,
    /// Staged writes: the directory as given; resolved against the target when it is opened.
    pub staging_dir: Option<String>,
    /// `check --download`: hash both sides by reading them, even where a server could hash.
    pub hash_by_reading: bool,
}

/// Parse a `--compare` / `compare:` value.
pub fn parse_compare(s: &str) -> Result<Compare> {
    match s.trim().to_ascii_lowercase().replace(' ', "").as_str() {
        "size,mtime" | "mtime,size" | "default" => Ok(Compare::SizeMtime),
        "checksum" | "sha256" => Ok(Compare::Checksum),
        "size" | "size-only" | "size_only" => Ok(Compare::SizeOnly),
        _ => Err(Error::usage(format!("invalid compare mode {s:?} (expected size,mtime, size or checksum)"))),
    }
}

/// Check a temp-name template: it must differ from the final name and stay a single name.
pub fn check_temp_name(t: &str) -> Result<()> {
    if !t.contains("{name}") && !t.contains("{stem}") {
        return Err(Error::usage(format!("invalid temp name {t:?}: it must contain {{name}} or {{stem}}")));
    }
    if t == "{name}" || t.contains('/') || t.contains('\\') {
        return Err(Error::usage(format!("invalid temp name {t:?}: it must be a different name in the same directory")));
    }
    Ok(())
}

/// Compile keys and what the front end resolved into the settings a run uses. Every choice
/// that depends on another is made here once: `settle` follows the after-action, a checked
/// sidecar leaves the data, and the temp name defaults.
pub fn compile(k: Keys, r: Resolved) -> Result<Settings> {
    let mut filter = k.filter;
    if let Some(Sidecar::Check(template)) = &r.sidecar {
        // The partner's sidecars are not data: skip them unless an include names them.
        let glob = template.replace("{name}", "*").replace("{stem}", "*").replace("{ext}", "*");
        filter.exclude_unless_included(&glob)?;
    }
    let temp_name = if k.inplace { None } else { Some(k.temp_name.unwrap_or_else(|| DEFAULT_TEMP_NAME.to_string())) };
    let policy = Policy {
        compare: k.compare,
        update: k.update,
        on_exists: k.on_exists,
        delete: k.delete,
        max_delete: k.max_delete,
        delete_empty_source: k.delete_empty_source,
        resume: k.resume.unwrap_or(r.default_resume),
        temp_name,
        settle: r.after.is_some(),
    };
    let exec = ExecOptions {
        parallel: k.parallel.unwrap_or(crate::sync::LOCAL_PARALLEL).max(1),
        retries: k.retries.unwrap_or(3),
        retry_delay: k.retry_delay.unwrap_or(Duration::from_secs(1)),
        verify: k.verify,
        bwlimit: k.bwlimit,
        progress: false,
        recorder: None,
        after: r.after,
        sidecar: r.sidecar.map(std::sync::Arc::new),
        text_mode: r.text_mode,
        hash: r.show_hash,
    };
    Ok(Settings {
        filter,
        policy,
        exec,
        stable_for: k.stable_for,
        parallel: k.parallel.map(|p| p.max(1)),
        hash_by_reading: k.hash_by_reading,
        staging_dir: k.staging_dir,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_what_follows_from_the_resolved_values() {
        let s = compile(Keys::default(), Resolved { default_resume: true, ..Default::default() }).unwrap();
        assert_eq!(s.policy.compare, Compare::SizeMtime);
        assert!(s.policy.resume && !s.policy.settle);
        assert_eq!(s.exec.parallel, 4);
        assert_eq!(s.policy.temp_name.as_deref(), Some(DEFAULT_TEMP_NAME));
        let inplace = compile(Keys { inplace: true, resume: Some(false), ..Default::default() }, Resolved::default()).unwrap();
        assert!(inplace.policy.temp_name.is_none() && !inplace.policy.resume);
        let after = Resolved { after: Some(std::sync::Arc::new(After::Delete)), ..Default::default() };
        assert!(compile(Keys::default(), after).unwrap().policy.settle, "an after-action settles complete files");
        let checked = Resolved { sidecar: Some(Sidecar::Check("{name}.sha256".into())), ..Default::default() };
        let s = compile(Keys::default(), checked).unwrap();
        let p = |x: &str| crate::model::RelPath::parse(x).unwrap();
        assert!(!s.filter.path_selected(&p("a.edi.sha256")) && s.filter.path_selected(&p("a.edi")), "sidecars are not data");
    }
}
