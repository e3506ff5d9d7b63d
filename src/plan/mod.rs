//! The plan: what a run will do, as data. `diff` builds it from two listings and a policy —
//! pure and synchronous, no I/O, no clock — and `render` prints it for `--dry-run`/`--json`.

pub mod compare;
pub mod diff;
pub mod render;

use crate::model::{Kind, RelPath};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use compare::{Compare, Verdict};
pub use diff::{diff, plan_file};

/// Why a file is copied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// Not on the target yet.
    New,
    SizeDiffers,
    MtimeDiffers,
    /// `--update`: the source is newer.
    SourceNewer,
    ChecksumDiffers,
    /// The target is a symlink; the copy replaces the link itself, never what it points to.
    ReplacesSymlink,
    /// Same content, only the mtime differs (`--checksum`).
    SameContent,
}

impl Reason {
    pub fn describe(self) -> &'static str {
        match self {
            Reason::New => "new",
            Reason::SizeDiffers => "changed (size)",
            Reason::MtimeDiffers => "changed (mtime)",
            Reason::SourceNewer => "source is newer",
            Reason::ChecksumDiffers => "changed (checksum)",
            Reason::ReplacesSymlink => "replaces a symlink",
            Reason::SameContent => "same content, mtime differs",
        }
    }
}

/// Why an entry is left alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// Same size and mtime (within the comparison window).
    Identical,
    SameSize,
    SameChecksum,
    /// `--ignore-existing` / `--on-exists skip`.
    Exists,
    /// `--update`: the target is newer than the source.
    TargetNewer,
    /// Symlinks in a source tree are not followed.
    Symlink,
    /// `once: true`: the ledger shows this exact version (path, size, mtime) was delivered.
    AlreadyDelivered,
    /// `stable_for`: its size or mtime changed while ferry watched; left for the next run.
    StillChanging,
}

impl SkipReason {
    pub fn describe(self) -> &'static str {
        match self {
            SkipReason::Identical => "identical (size, mtime)",
            SkipReason::SameSize => "same size (--size-only)",
            SkipReason::SameChecksum => "identical (checksum)",
            SkipReason::Exists => "exists on target",
            SkipReason::TargetNewer => "target is newer (--update)",
            SkipReason::Symlink => "symlink, not followed",
            SkipReason::AlreadyDelivered => "already delivered (once: true)",
            SkipReason::StillChanging => "still changing (stable_for)",
        }
    }
}

/// One step of a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    Mkdir {
        path: RelPath,
    },
    /// Copy `src` (source side) to `dst` (target side); `resume_from` > 0 continues a partial,
    /// or with `existing` the shorter file under the final name (moved to the temp name first).
    Copy {
        src: RelPath,
        dst: RelPath,
        size: u64,
        mtime: Option<DateTime<Utc>>,
        reason: Reason,
        resume_from: u64,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        existing: bool,
    },
    SetMtime {
        path: RelPath,
        mtime: DateTime<Utc>,
    },
    Delete {
        path: RelPath,
        kind: Kind,
    },
    /// A transfer a crash interrupted after its file became visible: the target holds it, so
    /// the ledger row is confirmed instead of copying again.
    Confirm {
        path: RelPath,
        ledger_id: i64,
    },
    /// Apply the source after-action (delete/move) to a file whose copy is already complete
    /// (identical at the target, or delivered per the ledger): retries a failed after-action
    /// without a second transfer.
    Settle {
        path: RelPath,
    },
    /// An entry the run cannot handle safely; reported as a failure.
    Fail {
        path: RelPath,
        reason: String,
    },
}

/// An entry the plan leaves alone, with the reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Skip {
    pub path: RelPath,
    pub reason: SkipReason,
}

/// What a run will do. When `stop` is set, the run does nothing at all and exits 6.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub actions: Vec<Action>,
    pub skips: Vec<Skip>,
    pub stop: Option<String>,
}

impl Plan {
    pub fn copies(&self) -> impl Iterator<Item = &Action> {
        self.actions.iter().filter(|a| matches!(a, Action::Copy { .. }))
    }
    pub fn copy_bytes(&self) -> u64 {
        self.actions
            .iter()
            .map(|a| match a {
                Action::Copy { size, resume_from, .. } => size.saturating_sub(*resume_from),
                _ => 0,
            })
            .sum()
    }
    pub fn count(&self, f: impl Fn(&Action) -> bool) -> usize {
        self.actions.iter().filter(|a| f(a)).count()
    }
}

/// What the compare step considers "the same".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnExists {
    /// Replace the target when it differs (default).
    #[default]
    Overwrite,
    /// Never touch an existing target.
    Skip,
    /// An existing target that differs is a failure.
    Fail,
    /// Keep the old target under a dated name, then write the new one.
    RenameExisting,
}

/// Everything `diff` needs to decide, besides the listings.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    pub compare: Compare,
    /// `--update`: never replace a newer target.
    pub update: bool,
    pub on_exists: OnExists,
    pub delete: bool,
    pub max_delete: Option<u64>,
    pub delete_empty_source: bool,
    /// `-c`: continue a partial left by an earlier run of the same source version.
    pub resume: bool,
    /// Temp-name template for atomic writes; `None` writes in place.
    pub temp_name: Option<String>,
    /// The job has a source after-action: files already complete at the target get a `Settle`.
    pub settle: bool,
}

/// What earlier runs of the job left in the ledger, as the planner (and the checksum pass)
/// read it. Empty for one-off commands, which keep no ledger.
#[derive(Debug, Clone, Default)]
pub struct History {
    /// `once: true`: source versions already delivered; they are never copied again, whatever
    /// the target holds.
    pub delivered: Option<std::sync::Arc<std::collections::HashSet<crate::ledger::Version>>>,
    /// Rows left `pending` by a crash: version → (row id, target path).
    pub pending: Option<std::sync::Arc<std::collections::HashMap<crate::ledger::Version, (i64, String)>>>,
    /// SHA-256s recorded by earlier runs: (source side, target side), by version.
    pub hashes: Option<std::sync::Arc<KnownHashes>>,
}

/// Hashes recorded by earlier runs: (source side, target side), by (path, size, mtime).
pub type KnownHashes =
    (std::collections::HashMap<crate::ledger::Version, String>, std::collections::HashMap<crate::ledger::Version, String>);

/// The ledger's key for a source version.
pub fn version_key(e: &crate::model::Entry) -> crate::ledger::Version {
    (e.path.as_str().to_string(), e.size, e.mtime.and_then(|t| t.timestamp_nanos_opt()))
}

/// The default temp name: the final name plus the source fingerprint, ending in `.part`.
pub const DEFAULT_TEMP_NAME: &str = "{name}.{fp}.part";

/// A short fingerprint of a source version (path, size, mtime): a partial written for one
/// version is never resumed for another.
pub fn fingerprint(path: &RelPath, size: u64, mtime: Option<DateTime<Utc>>) -> String {
    let mut h = Sha256::new();
    h.update(path.as_str().as_bytes());
    h.update([0]);
    h.update(size.to_le_bytes());
    h.update([0]);
    h.update(mtime.and_then(|t| t.timestamp_nanos_opt()).unwrap_or(i64::MIN).to_le_bytes());
    hex::encode(&h.finalize()[..4])
}

/// Expand a temp-name template: `{name}`, `{stem}`, `{ext}`, `{fp}` (source fingerprint).
pub fn temp_name(template: &str, name: &str, fp: &str) -> String {
    let (stem, ext) = split_ext(name);
    template.replace("{name}", name).replace("{stem}", stem).replace("{ext}", ext).replace("{fp}", fp)
}

/// Split `a.tar.gz` into (`a.tar`, `gz`); a leading dot does not start an extension.
pub fn split_ext(name: &str) -> (&str, &str) {
    match name.rfind('.') {
        Some(i) if i > 0 => (&name[..i], &name[i + 1..]),
        _ => (name, ""),
    }
}

/// Expand a path template of job files: `{name}`, `{stem}`, `{ext}` (of `name`), `{job}`,
/// `{yyyy}`, `{mm}`, `{dd}`, `{yyyy-mm-dd}` (of `now`, the caller's clock).
pub fn expand_template(t: &str, name: &str, job: &str, now: chrono::NaiveDate) -> String {
    let (stem, ext) = split_ext(name);
    t.replace("{yyyy-mm-dd}", &now.format("%Y-%m-%d").to_string())
        .replace("{yyyy}", &now.format("%Y").to_string())
        .replace("{mm}", &now.format("%m").to_string())
        .replace("{dd}", &now.format("%d").to_string())
        .replace("{job}", job)
        .replace("{name}", name)
        .replace("{stem}", stem)
        .replace("{ext}", ext)
}

/// Does a template name the source version, so that resuming onto its partial is safe?
pub fn template_is_versioned(template: &str) -> bool {
    template.contains("{fp}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temp_names_and_fingerprints() {
        let p = RelPath::parse("a/inv.edi").unwrap();
        let t = Utc::now();
        let fp = fingerprint(&p, 10, Some(t));
        assert_eq!(fp.len(), 8);
        assert_ne!(fp, fingerprint(&p, 11, Some(t)));
        assert_ne!(fp, fingerprint(&p, 10, Some(t + chrono::Duration::seconds(1))));
        assert_eq!(temp_name(DEFAULT_TEMP_NAME, "inv.edi", "abcd1234"), "inv.edi.abcd1234.part");
        assert_eq!(temp_name("{stem}.tmp.{ext}", "inv.edi", "x"), "inv.tmp.edi");
        assert_eq!(split_ext(".hidden"), (".hidden", ""));
    }
}
