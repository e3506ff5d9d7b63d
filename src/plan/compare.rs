//! Deciding whether a source file and its target are "already the same".

use super::{Policy, Reason, SkipReason};
use crate::model::Entry;
use serde::{Deserialize, Serialize};

/// How two files are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Compare {
    /// Size and mtime within the coarser precision of the two sides (default).
    #[default]
    SizeMtime,
    /// SHA-256 of both sides (falls back to size when a side has no hash).
    Checksum,
    /// Size alone.
    SizeOnly,
}

/// The outcome of comparing one pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Same(SkipReason),
    /// Same content, but the target's mtime should be fixed.
    FixMtime,
    Differs(Reason),
}

/// Compare a source file with the existing target file under `policy`; `sets_mtime` is the
/// target's capability (mtimes only mean something when the target keeps the ones ferry sets).
pub fn compare(src: &Entry, dst: &Entry, policy: &Policy, sets_mtime: bool) -> Verdict {
    let window = src.precision.max(dst.precision).window();
    let mtimes = match (src.mtime, dst.mtime) {
        (Some(s), Some(d)) if sets_mtime => Some((s, d)),
        _ => None,
    };
    let same_time = mtimes.map(|(s, d)| (s - d).abs() < window);
    if policy.update
        && let Some((s, d)) = mtimes
    {
        if d - s >= window {
            return Verdict::Same(SkipReason::TargetNewer);
        }
        if s - d >= window {
            return Verdict::Differs(Reason::SourceNewer);
        }
    }
    if src.size != dst.size {
        return Verdict::Differs(Reason::SizeDiffers);
    }
    match policy.compare {
        Compare::SizeOnly => Verdict::Same(SkipReason::SameSize),
        Compare::Checksum => match (&src.sha256, &dst.sha256) {
            (Some(a), Some(b)) if a != b => Verdict::Differs(Reason::ChecksumDiffers),
            (Some(_), Some(_)) if same_time == Some(false) => Verdict::FixMtime,
            (Some(_), Some(_)) => Verdict::Same(SkipReason::SameChecksum),
            _ => Verdict::Same(SkipReason::SameSize),
        },
        Compare::SizeMtime => match same_time {
            Some(false) => Verdict::Differs(Reason::MtimeDiffers),
            Some(true) => Verdict::Same(SkipReason::Identical),
            None => Verdict::Same(SkipReason::SameSize),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, Precision, RelPath};
    use chrono::{Duration, TimeZone, Utc};

    fn e(size: u64, secs: i64, nanos: u32, prec: Precision, hash: Option<&str>) -> Entry {
        Entry {
            path: RelPath::parse("f").unwrap(),
            kind: Kind::File,
            size,
            mtime: Some(Utc.timestamp_opt(secs, nanos).unwrap()),
            precision: prec,
            sha256: hash.map(str::to_string),
        }
    }

    fn pol(compare: Compare, update: bool) -> Policy {
        Policy { compare, update, ..Default::default() }
    }

    #[test]
    fn windows_follow_the_coarser_precision() {
        use Precision::*;
        let p = pol(Compare::SizeMtime, false);
        let table = [
            // (src, dst, verdict)
            (e(1, 100, 0, Nanos, None), e(1, 100, 0, Nanos, None), Verdict::Same(SkipReason::Identical)),
            (e(1, 100, 5, Nanos, None), e(1, 100, 0, Nanos, None), Verdict::Differs(Reason::MtimeDiffers)),
            (e(1, 100, 500_000_000, Nanos, None), e(1, 100, 0, Seconds, None), Verdict::Same(SkipReason::Identical)),
            (e(1, 101, 0, Nanos, None), e(1, 100, 0, Seconds, None), Verdict::Differs(Reason::MtimeDiffers)),
            (e(1, 130, 0, Nanos, None), e(1, 100, 0, Minutes, None), Verdict::Same(SkipReason::Identical)),
            (e(1, 100, 0, Nanos, None), e(2, 100, 0, Nanos, None), Verdict::Differs(Reason::SizeDiffers)),
        ];
        for (i, (s, d, want)) in table.into_iter().enumerate() {
            assert_eq!(compare(&s, &d, &p, true), want, "row {i}");
        }
    }

    #[test]
    fn policies() {
        let old = e(1, 100, 0, Precision::Seconds, Some("aa"));
        let new = e(1, 200, 0, Precision::Seconds, Some("aa"));
        let other = e(1, 200, 0, Precision::Seconds, Some("bb"));
        assert_eq!(compare(&old, &new, &pol(Compare::SizeMtime, true), true), Verdict::Same(SkipReason::TargetNewer));
        assert_eq!(compare(&new, &old, &pol(Compare::SizeMtime, true), true), Verdict::Differs(Reason::SourceNewer));
        assert_eq!(compare(&new, &old, &pol(Compare::SizeOnly, false), true), Verdict::Same(SkipReason::SameSize));
        assert_eq!(compare(&new, &old, &pol(Compare::Checksum, false), true), Verdict::FixMtime);
        assert_eq!(compare(&new, &new, &pol(Compare::Checksum, false), true), Verdict::Same(SkipReason::SameChecksum));
        assert_eq!(compare(&other, &new, &pol(Compare::Checksum, false), true), Verdict::Differs(Reason::ChecksumDiffers));
        // A target that cannot keep mtimes is compared by size.
        let p = pol(Compare::SizeMtime, false);
        assert_eq!(compare(&new, &old, &p, false), Verdict::Same(SkipReason::SameSize));
        let _ = Duration::seconds(1);
    }
}
