//! Transfer settings in their raw form (from flags or job-file keys) and their compiled form
//! (filter, plan policy, executor options). Both front ends go through `compile`.

use crate::error::{Error, Result};
use crate::exec::ExecOptions;
use crate::filter::{Filter, parse_filter_file};
use crate::plan::{Compare, DEFAULT_TEMP_NAME, OnExists, Policy};
use crate::units::{parse_duration, parse_rate, parse_size};
use std::time::Duration;

/// Settings as written by a user; every string is still unparsed.
#[derive(Debug, Clone, Default)]
pub struct RawSettings {
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    pub filter_from: Option<String>,
    pub min_age: Option<String>,
    pub max_age: Option<String>,
    pub min_size: Option<String>,
    pub max_size: Option<String>,
    pub compare: Option<String>,
    pub update: bool,
    pub ignore_existing: bool,
    pub on_exists: Option<OnExists>,
    pub delete: bool,
    pub max_delete: Option<u64>,
    pub delete_empty_source: bool,
    pub resume: Option<bool>,
    pub parallel: Option<usize>,
    pub bwlimit: Option<String>,
    pub retries: Option<u32>,
    pub retry_delay: Option<String>,
    pub inplace: bool,
    pub temp_name: Option<String>,
    pub verify: bool,
    pub stable_for: Option<String>,
}

/// Settings ready to use.
#[derive(Debug, Clone)]
pub struct Settings {
    pub filter: Filter,
    pub policy: Policy,
    pub exec: ExecOptions,
    /// Stability gate: list the source again after this long and take only unchanged files.
    pub stable_for: Option<Duration>,
    /// SHA-256s the ledger already knows, per side (source, target), by file version.
    pub known_hashes: Option<std::sync::Arc<KnownHashes>>,
    /// `-P` / `parallel:` as given; without it the transfer fits `exec.parallel` to the link
    /// when it runs (`sync::fitted`).
    pub parallel: Option<usize>,
}

/// Hashes recorded by earlier runs: (source side, target side), by (path, size, mtime).
pub type KnownHashes =
    (std::collections::HashMap<crate::ledger::Version, String>, std::collections::HashMap<crate::ledger::Version, String>);

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

/// Compile raw settings; `default_resume` is on for mirror and jobs, off for get/put.
pub fn compile(raw: &RawSettings, default_resume: bool) -> Result<Settings> {
    let file_rules = match &raw.filter_from {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| Error::usage(format!("cannot read filter file {path}: {e}")))?;
            parse_filter_file(&text, path)?
        }
        None => vec![],
    };
    let mut filter = Filter::new(&raw.include, &raw.exclude, &file_rules)?;
    filter.min_age = raw.min_age.as_deref().map(parse_duration).transpose()?;
    filter.max_age = raw.max_age.as_deref().map(parse_duration).transpose()?;
    filter.min_size = raw.min_size.as_deref().map(parse_size).transpose()?;
    filter.max_size = raw.max_size.as_deref().map(parse_size).transpose()?;

    let compare = raw.compare.as_deref().map(parse_compare).transpose()?.unwrap_or_default();
    let temp_name = if raw.inplace {
        None
    } else {
        let t = raw.temp_name.clone().unwrap_or_else(|| DEFAULT_TEMP_NAME.to_string());
        check_temp_name(&t)?;
        Some(t)
    };
    let on_exists = if raw.ignore_existing { OnExists::Skip } else { raw.on_exists.unwrap_or_default() };
    let resume = raw.resume.unwrap_or(default_resume);
    let policy = Policy {
        compare,
        update: raw.update,
        on_exists,
        delete: raw.delete,
        max_delete: raw.max_delete,
        delete_empty_source: raw.delete_empty_source,
        resume,
        target_sets_mtime: true,
        temp_name: temp_name.clone(),
        delivered: None,
        pending: None,
        settle: false,
    };
    let exec = ExecOptions {
        parallel: raw.parallel.unwrap_or(crate::sync::LOCAL_PARALLEL).max(1),
        retries: raw.retries.unwrap_or(3),
        retry_delay: raw.retry_delay.as_deref().map(parse_duration).transpose()?.unwrap_or(Duration::from_secs(1)),
        verify: raw.verify,
        temp_name,
        resume,
        bwlimit: raw.bwlimit.as_deref().map(parse_rate).transpose()?,
        on_exists,
        progress: false,
        recorder: None,
        after: None,
        sidecar: None,
        text_mode: false,
        hash: true,
    };
    let stable_for = raw.stable_for.as_deref().map(parse_duration).transpose()?;
    Ok(Settings { filter, policy, exec, stable_for, known_hashes: None, parallel: raw.parallel.map(|p| p.max(1)) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_errors() {
        let s = compile(&RawSettings::default(), true).unwrap();
        assert_eq!(s.policy.compare, Compare::SizeMtime);
        assert!(s.policy.resume);
        assert_eq!(s.exec.parallel, 4);
        assert_eq!(s.exec.temp_name.as_deref(), Some(DEFAULT_TEMP_NAME));
        let bad = [
            RawSettings { min_age: Some("soon".into()), ..Default::default() },
            RawSettings { max_size: Some("big".into()), ..Default::default() },
            RawSettings { include: vec!["a[".into()], ..Default::default() },
            RawSettings { compare: Some("vibes".into()), ..Default::default() },
            RawSettings { temp_name: Some("fixed.tmp".into()), ..Default::default() },
            RawSettings { bwlimit: Some("0".into()), ..Default::default() },
            RawSettings { filter_from: Some("/nonexistent/rules".into()), ..Default::default() },
        ];
        for raw in bad {
            assert_eq!(compile(&raw, false).unwrap_err().exit(), crate::exit::Exit::Usage, "{raw:?}");
        }
    }
}
