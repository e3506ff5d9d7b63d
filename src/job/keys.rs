//! The transfer keys of one settings block (`defaults:` or a job), each parsed once at its
//! line and column, then merged key by key (a job's own key wins over the default) into the
//! typed `Keys` that `settings::compile` takes.

use super::spec::{self, S};
use super::{TEMPLATE_VARS, V, check_template, expand_home};
use crate::error::{Error, Result};
use crate::filter::{Filter, Rule};
use crate::plan::{Compare, OnExists};
use crate::settings::{Keys, check_temp_name, parse_compare};
use crate::units::{parse_duration, parse_rate, parse_size};
use serde_saphyr::Location;
use std::time::Duration;

/// One block's keys, parsed; `None` where the block does not set the key (or it was invalid,
/// which `V` has recorded).
#[derive(Debug, Clone, Default)]
pub(super) struct Parsed {
    include: Option<Vec<Rule>>,
    exclude: Option<Vec<Rule>>,
    filter_from: Option<Vec<Rule>>,
    min_age: Option<Duration>,
    max_age: Option<Duration>,
    min_size: Option<u64>,
    max_size: Option<u64>,
    compare: Option<Compare>,
    update: Option<bool>,
    ignore_existing: Option<bool>,
    on_exists: Option<OnExists>,
    delete: Option<bool>,
    max_delete: Option<u64>,
    delete_empty_source: Option<bool>,
    resume: Option<bool>,
    parallel: Option<usize>,
    bwlimit: Option<u64>,
    retries: Option<u32>,
    retry_delay: Option<Duration>,
    verify: Option<bool>,
    /// `upload:` as a whole: (inplace, temp_name, staging_dir).
    upload: Option<(bool, Option<String>, Option<String>)>,
    stable_for: Option<Duration>,
}

/// Parse every transfer key of `s`, recording each bad one at its position.
pub(super) fn parse(s: &spec::Settings, at: Location, v: &mut V) -> Parsed {
    let globs = |v: &mut V, list: &Option<spec::Globs>, include: bool| -> Option<Vec<Rule>> {
        let list = list.as_ref()?;
        if let Some(first) = list.first()
            && list.len() > crate::filter::MAX_RULES
        {
            // Refused before compiling any: 100,000 patterns would take minutes to check.
            v.at(first.referenced, at, format!("{} glob patterns: at most {} are accepted", list.len(), crate::filter::MAX_RULES));
            return None;
        }
        Some(list.iter().filter_map(|g| v.check(g, at, |p| Rule::new(p, include))).collect())
    };
    let dur = |v: &mut V, d: &Option<S<String>>| d.as_ref().and_then(|d| v.check(d, at, parse_duration));
    let size = |v: &mut V, d: &Option<S<String>>| d.as_ref().and_then(|d| v.check(d, at, parse_size));
    let mut p = Parsed {
        include: globs(v, &s.include, true),
        exclude: globs(v, &s.exclude, false),
        filter_from: s.filter_from.as_ref().and_then(|f| {
            v.check(f, at, |f| {
                let f = expand_home(f);
                let text = std::fs::read_to_string(&f)
                    .map_err(|e| Error::usage(format!("cannot read filter file {f}: {}", Error::io("read", &f, e).message)))?;
                crate::filter::parse_filter_file(&text, &f)
            })
        }),
        min_age: dur(v, &s.min_age),
        max_age: dur(v, &s.max_age),
        min_size: size(v, &s.min_size),
        max_size: size(v, &s.max_size),
        retry_delay: dur(v, &s.retry_delay),
        stable_for: dur(v, &s.stable_for),
        compare: s.compare.as_ref().and_then(|c| v.check(c, at, parse_compare)),
        update: s.update,
        ignore_existing: s.ignore_existing,
        on_exists: s.on_exists.as_ref().and_then(|o| {
            v.check(o, at, |x| match x {
                "overwrite" => Ok(OnExists::Overwrite),
                "skip" => Ok(OnExists::Skip),
                "fail" => Ok(OnExists::Fail),
                "rename-existing" | "rename_existing" => Ok(OnExists::RenameExisting),
                _ => Err(Error::usage(format!("invalid on_exists {x:?} (expected overwrite, skip, fail or rename-existing)"))),
            })
        }),
        delete: s.delete.as_ref().map(|d| d.value),
        max_delete: s.max_delete,
        delete_empty_source: s.delete_empty_source,
        resume: s.resume,
        bwlimit: s.bwlimit.as_ref().and_then(|b| v.check(b, at, parse_rate)),
        retries: s.retries,
        ..Default::default()
    };
    if let Some(n) = &s.parallel {
        if n.value == 0 || n.value > 256 {
            v.at(n.referenced, at, format!("parallel must be between 1 and 256, not {}", n.value));
        }
        p.parallel = Some(n.value as usize);
    }
    if let Some(vf) = &s.verify {
        p.verify = Some(match &vf.value {
            spec::Verify::On(b) => *b,
            spec::Verify::With(w) => {
                if let Some(sc) = &w.sidecar {
                    v.check(sc, vf.referenced, |t| check_template(t, TEMPLATE_VARS));
                }
                true
            }
        });
    }
    if let Some(u) = &s.upload {
        let uat = u.referenced;
        let temp = u.value.temp_name.as_ref().and_then(|t| {
            v.check(t, uat, |t| {
                check_temp_name(t)?;
                check_template(t, &["name", "stem", "ext", "fp"]).map(|_| t.to_string())
            })
        });
        if u.value.inplace && u.value.temp_name.is_some() {
            v.at(uat, at, "upload: inplace and temp_name exclude each other");
        }
        let staging = u.value.staging_dir.as_ref().and_then(|d| v.check(d, uat, |d| crate::staging::check(d).map(|_| d.to_string())));
        if u.value.inplace && u.value.staging_dir.is_some() {
            v.at(uat, at, "upload: inplace and staging_dir exclude each other");
        }
        p.upload = Some((u.value.inplace, temp, staging));
    }
    p
}

impl Parsed {
    /// Each key from `self`, or else from `defaults`.
    pub(super) fn or(self, d: Parsed) -> Parsed {
        Parsed {
            include: self.include.or(d.include),
            exclude: self.exclude.or(d.exclude),
            filter_from: self.filter_from.or(d.filter_from),
            min_age: self.min_age.or(d.min_age),
            max_age: self.max_age.or(d.max_age),
            min_size: self.min_size.or(d.min_size),
            max_size: self.max_size.or(d.max_size),
            compare: self.compare.or(d.compare),
            update: self.update.or(d.update),
            ignore_existing: self.ignore_existing.or(d.ignore_existing),
            on_exists: self.on_exists.or(d.on_exists),
            delete: self.delete.or(d.delete),
            max_delete: self.max_delete.or(d.max_delete),
            delete_empty_source: self.delete_empty_source.or(d.delete_empty_source),
            resume: self.resume.or(d.resume),
            parallel: self.parallel.or(d.parallel),
            bwlimit: self.bwlimit.or(d.bwlimit),
            retries: self.retries.or(d.retries),
            retry_delay: self.retry_delay.or(d.retry_delay),
            verify: self.verify.or(d.verify),
            upload: self.upload.or(d.upload),
            stable_for: self.stable_for.or(d.stable_for),
        }
    }

    /// The typed keys (rules in order: includes, excludes, then the filter file's).
    pub(super) fn keys(self) -> Result<Keys> {
        let rules: Vec<Rule> = [self.include, self.exclude, self.filter_from].into_iter().flatten().flatten().collect();
        let mut filter = Filter::from_rules(rules)?;
        (filter.min_age, filter.max_age, filter.min_size, filter.max_size) = (self.min_age, self.max_age, self.min_size, self.max_size);
        let (inplace, temp_name, staging_dir) = self.upload.unwrap_or_default();
        Ok(Keys {
            filter,
            compare: self.compare.unwrap_or_default(),
            update: self.update.unwrap_or(false),
            on_exists: if self.ignore_existing == Some(true) { OnExists::Skip } else { self.on_exists.unwrap_or_default() },
            delete: self.delete.unwrap_or(false),
            max_delete: self.max_delete,
            delete_empty_source: self.delete_empty_source.unwrap_or(false),
            resume: self.resume,
            parallel: self.parallel,
            bwlimit: self.bwlimit,
            retries: self.retries,
            retry_delay: self.retry_delay,
            inplace,
            temp_name,
            verify: self.verify.unwrap_or(false),
            stable_for: self.stable_for,
            hash_by_reading: false,
            staging_dir,
        })
    }
}
