//! `diff`: two sorted listings and a policy in, an ordered plan out. Pure: no I/O, no clock.
//! Order: mkdirs parent-first, copies, mtime fix-ups, failures, deletes deepest-first.

use super::compare::{Verdict, compare};
use super::{Action, History, OnExists, Plan, Policy, Reason, Skip, SkipReason, fingerprint, temp_name, template_is_versioned};
use crate::backend::Capabilities;
use crate::model::{Entry, Kind, Listing, RelPath};
use std::collections::BTreeSet;

/// Plan making the target tree look like the source tree (paths are the same on both sides),
/// given what earlier runs left (`history`) and what the target can do (`caps`).
pub fn diff(source: &Listing, target: &Listing, history: &History, caps: &Capabilities, policy: &Policy) -> Plan {
    let mut plan = Plan::default();
    let mut mkdirs = Vec::new();
    let mut copies = Vec::new();
    let mut fixes = Vec::new();
    let mut fails = Vec::new();
    let mut consumed: BTreeSet<RelPath> = BTreeSet::new();

    for (path, s) in &source.entries {
        match s.kind {
            Kind::Dir => match target.get(path) {
                Some(d) if d.is_dir() => {}
                Some(_) => {
                    fails.push(Action::Fail { path: path.clone(), reason: "the source has a directory where the target has a file".into() })
                }
                None => mkdirs.push(Action::Mkdir { path: path.clone() }),
            },
            Kind::Symlink => plan.skips.push(Skip { path: path.clone(), reason: SkipReason::Symlink }),
            Kind::File => {
                // A crash between the rename and the ledger's `done`: if the target holds the
                // file whole, it was delivered — confirm it, never copy it twice. "Whole" is the
                // size and, where the target keeps mtimes (set before the rename), the mtime too:
                // an older version of the same size must not pass for this one.
                let recovered = history.pending.as_ref().and_then(|p| p.get(&super::version_key(s))).and_then(|(id, tp)| {
                    let tp = RelPath::parse(tp).ok()?;
                    let same_time = |t: &crate::model::Entry| match (s.mtime, t.mtime) {
                        (Some(a), Some(b)) if caps.set_mtime => (a - b).abs() < s.precision.max(t.precision).window(),
                        _ => true,
                    };
                    target.get(&tp).filter(|t| t.is_file() && t.size == s.size && same_time(t)).map(|_| *id)
                });
                if let Some(ledger_id) = recovered {
                    fixes.push(Action::Confirm { path: path.clone(), ledger_id });
                    if policy.settle {
                        fixes.push(Action::Settle { path: path.clone() });
                    }
                    plan.skips.push(Skip { path: path.clone(), reason: SkipReason::AlreadyDelivered });
                    continue;
                }
                let step = decide(s, path, target, history, caps, policy);
                if let Some(p) = step.consumed_partial {
                    consumed.insert(p);
                }
                match step.outcome {
                    Outcome::Skip(r) => {
                        if policy.settle && matches!(r, SkipReason::Identical | SkipReason::SameChecksum | SkipReason::AlreadyDelivered) {
                            fixes.push(Action::Settle { path: path.clone() });
                        }
                        plan.skips.push(Skip { path: path.clone(), reason: r })
                    }
                    Outcome::Act(a @ Action::SetMtime { .. }) => fixes.push(a),
                    Outcome::Act(a @ Action::Fail { .. }) => fails.push(a),
                    Outcome::Act(a) => copies.push(a),
                }
            }
        }
    }

    let mut deletes: Vec<Action> = Vec::new();
    if policy.delete {
        for (path, d) in &target.entries {
            if source.get(path).is_none() && !consumed.contains(path) {
                deletes.push(Action::Delete { path: path.clone(), kind: d.kind });
            }
        }
        // Deepest first, so a directory is empty by the time it is removed.
        deletes.sort_by(|a, b| {
            let (Action::Delete { path: pa, .. }, Action::Delete { path: pb, .. }) = (a, b) else { unreachable!() };
            pb.depth().cmp(&pa.depth()).then_with(|| pb.cmp(pa))
        });
        let file_deletes = deletes.iter().filter(|a| matches!(a, Action::Delete { kind, .. } if *kind != Kind::Dir)).count() as u64;
        if !deletes.is_empty() && source.files().next().is_none() && !policy.delete_empty_source {
            plan.stop = Some(format!(
                "the source listing is empty; refusing to delete {} entries on the target (use --delete-empty-source if this is intended)",
                deletes.len()
            ));
        } else if let Some(max) = policy.max_delete
            && file_deletes > max
        {
            plan.stop = Some(format!("the plan would delete {file_deletes} files, more than --max-delete {max}; nothing was changed"));
        }
    }

    plan.actions.extend(mkdirs);
    plan.actions.extend(copies);
    plan.actions.extend(fixes);
    plan.actions.extend(fails);
    plan.actions.extend(deletes);
    plan
}

/// Plan one file copied to `dst_path` (which may differ from its source name); `target` holds
/// whatever exists at `dst_path` and at its partial name.
pub fn plan_file(src: &Entry, dst_path: &RelPath, target: &Listing, caps: &Capabilities, policy: &Policy) -> Plan {
    let mut plan = Plan::default();
    if src.kind == Kind::Symlink {
        plan.skips.push(Skip { path: src.path.clone(), reason: SkipReason::Symlink });
        return plan;
    }
    match decide(src, dst_path, target, &History::default(), caps, policy).outcome {
        Outcome::Skip(r) => plan.skips.push(Skip { path: dst_path.clone(), reason: r }),
        Outcome::Act(a) => plan.actions.push(a),
    }
    plan
}

enum Outcome {
    Skip(SkipReason),
    Act(Action),
}

struct Step {
    outcome: Outcome,
    consumed_partial: Option<RelPath>,
}

fn decide(s: &Entry, dst_path: &RelPath, target: &Listing, history: &History, caps: &Capabilities, policy: &Policy) -> Step {
    if history.delivered.as_ref().is_some_and(|d| d.contains(&super::version_key(s))) {
        return Step { outcome: Outcome::Skip(SkipReason::AlreadyDelivered), consumed_partial: None };
    }
    let copy_from = |reason: Reason, resume_from: u64, existing: bool| {
        Outcome::Act(Action::Copy {
            src: s.path.clone(),
            dst: dst_path.clone(),
            size: s.size,
            mtime: s.mtime,
            reason,
            resume_from,
            existing,
        })
    };
    let copy = |reason: Reason, resume_from: u64| copy_from(reason, resume_from, false);
    let fail = |reason: &str| Outcome::Act(Action::Fail { path: dst_path.clone(), reason: reason.to_string() });
    // A partial of this very source version, left by an interrupted run.
    let partial = policy.temp_name.as_deref().filter(|t| template_is_versioned(t)).and_then(|t| {
        let name = temp_name(t, dst_path.name(), &fingerprint(&s.path, s.size, s.mtime));
        let p = dst_path.with_name(&name).ok()?;
        target.get(&p).filter(|e| e.is_file()).map(|e| (p, e.size))
    });
    // Continued only where the target can append: the plan says what the executor will do.
    let resume_from = match &partial {
        Some((_, size)) if policy.resume && caps.append && *size < s.size => *size,
        _ => 0,
    };
    // Without a partial, a shorter file under the final name (left by curl, wget, a browser or
    // an in-place write) is continued as curl -C - and wget -c do: its bytes are trusted as a
    // prefix (the executor checks the bytes before the resume point first). Only where the copy
    // goes through a versioned temp name, so the final name never grows in place.
    let existing_prefix = |d: &Entry| {
        partial.is_none()
            && policy.resume
            && caps.append
            && policy.on_exists == OnExists::Overwrite
            && policy.temp_name.as_deref().is_some_and(template_is_versioned)
            && d.kind == Kind::File
            && d.size > 0
            && d.size < s.size
    };
    let consumed_partial = partial.as_ref().map(|(p, _)| p.clone());
    let outcome = match target.get(dst_path) {
        None => copy(Reason::New, resume_from),
        Some(d) if d.is_dir() => fail("the target is a directory"),
        Some(_) if policy.on_exists == OnExists::Skip => Outcome::Skip(SkipReason::Exists),
        Some(d) if d.kind == Kind::Symlink => copy(Reason::ReplacesSymlink, 0),
        Some(d) => match compare(s, d, policy, caps.set_mtime) {
            Verdict::Same(r) => Outcome::Skip(r),
            Verdict::FixMtime => match s.mtime {
                Some(mtime) => Outcome::Act(Action::SetMtime { path: dst_path.clone(), mtime }),
                None => Outcome::Skip(SkipReason::SameChecksum),
            },
            Verdict::Differs(_) if policy.on_exists == OnExists::Fail => fail("the target exists and differs (--on-exists fail)"),
            Verdict::Differs(r) if existing_prefix(d) => copy_from(r, d.size, true),
            Verdict::Differs(r) => copy(r, resume_from),
        },
    };
    Step { outcome, consumed_partial }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Precision;
    use crate::plan::{Compare, DEFAULT_TEMP_NAME};
    use chrono::{TimeZone, Utc};

    /// `f:path:size:mtime` is a file, `d:path` a directory, `l:path` a symlink.
    fn listing(spec: &[&str]) -> Listing {
        spec.iter()
            .map(|s| {
                let parts: Vec<&str> = s.split(':').collect();
                let kind = match parts[0] {
                    "f" => Kind::File,
                    "d" => Kind::Dir,
                    _ => Kind::Symlink,
                };
                Entry {
                    path: RelPath::parse(parts[1]).unwrap(),
                    kind,
                    size: parts.get(2).map_or(0, |x| x.parse().unwrap()),
                    mtime: Some(Utc.timestamp_opt(parts.get(3).map_or(0, |x| x.parse().unwrap()), 0).unwrap()),
                    precision: Precision::Seconds,
                    sha256: None,
                }
            })
            .collect()
    }

    /// One line per action, e.g. `copy a new`, `mkdir d`, `delete x`, `skip b identical`.
    fn summarize(p: &Plan) -> Vec<String> {
        let mut v: Vec<String> = p
            .actions
            .iter()
            .map(|a| match a {
                Action::Mkdir { path } => format!("mkdir {path}"),
                Action::Copy { dst, reason, resume_from: 0, .. } => format!("copy {dst} {reason:?}"),
                Action::Copy { dst, resume_from, existing: true, .. } => format!("resume-existing {dst} {resume_from}"),
                Action::Copy { dst, resume_from, .. } => format!("resume {dst} {resume_from}"),
                Action::SetMtime { path, .. } => format!("mtime {path}"),
                Action::Delete { path, .. } => format!("delete {path}"),
                Action::Fail { path, .. } => format!("fail {path}"),
                Action::Settle { path } => format!("settle {path}"),
                Action::Confirm { path, .. } => format!("confirm {path}"),
            })
            .collect();
        v.extend(p.skips.iter().map(|s| format!("skip {} {:?}", s.path, s.reason)));
        if let Some(s) = &p.stop {
            v.push(format!("STOP {}", s.split(';').next().unwrap().split(',').next().unwrap()));
        }
        v
    }

    fn base() -> Policy {
        Policy { temp_name: Some(DEFAULT_TEMP_NAME.into()), resume: true, ..Default::default() }
    }

    /// A target that sets mtimes and appends, like a local directory or an SFTP server.
    const CAPS: Capabilities = Capabilities {
        local: false,
        set_mtime: true,
        precision: Precision::Seconds,
        hash_sha256: false,
        rename_replaces: true,
        append: true,
    };

    fn plan(source: &Listing, target: &Listing, policy: &Policy) -> Plan {
        diff(source, target, &History::default(), &CAPS, policy)
    }

    macro_rules! plan_table {
        ($($name:ident: [$($src:expr),*] -> [$($dst:expr),*], $policy:expr => [$($want:expr),* $(,)?];)*) => {$(
            #[test]
            fn $name() {
                let p = plan(&listing(&[$($src),*]), &listing(&[$($dst),*]), &$policy);
                let want: Vec<&str> = vec![$($want),*];
                assert_eq!(summarize(&p), want);
            }
        )*};
    }

    plan_table! {
        new_tree: ["d:a", "d:a/b", "f:a/b/x:3:10", "f:top:1:10"] -> [], base()
            => ["mkdir a", "mkdir a/b", "copy a/b/x New", "copy top New"];
        identical_is_skipped: ["f:x:3:10"] -> ["f:x:3:10"], base() => ["skip x Identical"];
        size_change: ["f:x:3:10"] -> ["f:x:4:10"], base() => ["copy x SizeDiffers"];
        mtime_change: ["f:x:3:20"] -> ["f:x:3:10"], base() => ["copy x MtimeDiffers"];
        size_only_ignores_mtime: ["f:x:3:20"] -> ["f:x:3:10"], Policy { compare: Compare::SizeOnly, ..base() } => ["skip x SameSize"];
        ignore_existing: ["f:x:4:20"] -> ["f:x:3:10"], Policy { on_exists: OnExists::Skip, ..base() } => ["skip x Exists"];
        on_exists_fail: ["f:x:4:20"] -> ["f:x:3:10"], Policy { on_exists: OnExists::Fail, ..base() } => ["fail x"];
        update_keeps_newer_target: ["f:x:4:10"] -> ["f:x:3:20"], Policy { update: true, ..base() } => ["skip x TargetNewer"];
        symlinks_are_not_followed: ["l:ln"] -> [], base() => ["skip ln Symlink"];
        dir_over_file_fails: ["d:x"] -> ["f:x:1:1"], base() => ["fail x"];
        file_over_dir_fails: ["f:x:1:1"] -> ["d:x"], base() => ["fail x"];
        no_delete_without_flag: ["f:x:1:1"] -> ["f:x:1:1", "f:y:1:1"], base() => ["skip x Identical"];
        delete_deepest_first: ["f:x:1:1"] -> ["f:x:1:1", "d:old", "d:old/sub", "f:old/sub/f:1:1", "f:y:1:1"], Policy { delete: true, ..base() }
            => ["delete old/sub/f", "delete old/sub", "delete y", "delete old", "skip x Identical"];
        max_delete_stops: ["f:x:1:1"] -> ["f:a:1:1", "f:b:1:1", "f:c:1:1"], Policy { delete: true, max_delete: Some(2), ..base() }
            => ["copy x New", "delete c", "delete b", "delete a", "STOP the plan would delete 3 files"];
        max_delete_within_limit: ["f:x:1:1"] -> ["f:a:1:1"], Policy { delete: true, max_delete: Some(1), ..base() }
            => ["copy x New", "delete a"];
        empty_source_stops_delete: [] -> ["f:a:1:1"], Policy { delete: true, ..base() }
            => ["delete a", "STOP the source listing is empty"];
        empty_source_allowed_when_asked: [] -> ["f:a:1:1"], Policy { delete: true, delete_empty_source: true, ..base() }
            => ["delete a"];
        empty_dirs_only_source_still_stops: ["d:empty"] -> ["d:empty", "f:empty/a:1:1"], Policy { delete: true, ..base() }
            => ["delete empty/a", "STOP the source listing is empty"];
    }

    #[test]
    fn continues_a_shorter_file_under_the_final_name_only_where_safe() {
        let src = listing(&["f:big:100:10"]);
        let p = plan(&src, &listing(&["f:big:40:99"]), &base());
        assert_eq!(summarize(&p), ["resume-existing big 40"]);
        // Longer than the source, empty, or a directory: not a prefix.
        assert_eq!(summarize(&plan(&src, &listing(&["f:big:140:99"]), &base())), ["copy big SizeDiffers"]);
        assert_eq!(summarize(&plan(&src, &listing(&["f:big:0:99"]), &base())), ["copy big SizeDiffers"]);
        // Without -c, in place (the final name would grow), without append, or when the
        // existing file is to be kept or refused: copied from zero as before.
        assert_eq!(summarize(&plan(&src, &listing(&["f:big:40:99"]), &Policy { resume: false, ..base() })), ["copy big SizeDiffers"]);
        assert_eq!(summarize(&plan(&src, &listing(&["f:big:40:99"]), &Policy { temp_name: None, ..base() })), ["copy big SizeDiffers"]);
        let no_append = Capabilities { append: false, ..CAPS };
        assert_eq!(summarize(&diff(&src, &listing(&["f:big:40:99"]), &History::default(), &no_append, &base())), ["copy big SizeDiffers"]);
        for on_exists in [OnExists::RenameExisting, OnExists::Fail] {
            let p = plan(&src, &listing(&["f:big:40:99"]), &Policy { on_exists, ..base() });
            assert!(!summarize(&p)[0].starts_with("resume"), "{on_exists:?}: {:?}", summarize(&p));
        }
        // A partial of this version wins over the file under the final name.
        let fp = fingerprint(&RelPath::parse("big").unwrap(), 100, Some(Utc.timestamp_opt(10, 0).unwrap()));
        let part = format!("f:big.{fp}.part:60:99");
        assert_eq!(summarize(&plan(&src, &listing(&["f:big:40:99", &part]), &base())), ["resume big 60"]);
    }

    #[test]
    fn resumes_only_a_partial_of_the_same_version() {
        let src = listing(&["f:big:100:10"]);
        let fp = fingerprint(&RelPath::parse("big").unwrap(), 100, Some(Utc.timestamp_opt(10, 0).unwrap()));
        let part = format!("f:big.{fp}.part:40:99");
        let p = plan(&src, &listing(&[&part]), &Policy { delete: true, ..base() });
        assert_eq!(summarize(&p), ["resume big 40"], "the partial is consumed, not deleted");
        let p = plan(&src, &listing(&[&part]), &Policy { resume: false, ..base() });
        assert_eq!(summarize(&p), ["copy big New"]);
        // A target that cannot append (FTP in ASCII mode) copies from zero, and the plan says so.
        let p = diff(&src, &listing(&[&part]), &History::default(), &Capabilities { append: false, ..CAPS }, &base());
        assert_eq!(summarize(&p), ["copy big New"]);
        // A partial from another version (different fingerprint) is never spliced.
        let p = plan(&src, &listing(&["f:big.deadbeef.part:40:99"]), &base());
        assert_eq!(summarize(&p), ["copy big New"]);
    }

    #[test]
    fn once_skips_delivered_versions_even_when_the_target_lost_them() {
        let src = listing(&["f:a:3:10", "f:b:3:10"]);
        let delivered: std::collections::HashSet<_> = src.files().take(1).map(crate::plan::version_key).collect();
        let h = History { delivered: Some(std::sync::Arc::new(delivered)), ..Default::default() };
        let p = diff(&src, &Listing::default(), &h, &CAPS, &base());
        assert_eq!(summarize(&p), ["copy b New", "skip a AlreadyDelivered"]);
        // A new mtime is a new version: copied again.
        let touched = listing(&["f:a:3:11"]);
        let delivered: std::collections::HashSet<_> = src.files().map(crate::plan::version_key).collect();
        let h = History { delivered: Some(std::sync::Arc::new(delivered)), ..Default::default() };
        let p = diff(&touched, &Listing::default(), &h, &CAPS, &base());
        assert_eq!(summarize(&p), ["copy a New"]);
    }

    #[test]
    fn a_crash_after_the_rename_is_confirmed_not_copied_again() {
        let src = listing(&["f:a:3:10", "f:b:3:10"]);
        let pending: std::collections::HashMap<_, _> =
            src.files().map(|e| (crate::plan::version_key(e), (7i64, e.path.as_str().to_string()))).collect();
        // a reached the target whole (its mtime set before the rename); b's run died before its
        // rename, and the target still holds b's older version of the same size.
        let pending = std::sync::Arc::new(pending);
        let h = History { pending: Some(pending), ..Default::default() };
        let p = diff(&src, &listing(&["f:a:3:10", "f:b:3:5"]), &h, &CAPS, &base());
        assert_eq!(summarize(&p), ["copy b MtimeDiffers", "confirm a", "skip a AlreadyDelivered"]);
        // A target that cannot keep mtimes is judged by size alone.
        let p = diff(&src, &listing(&["f:a:3:99"]), &h, &Capabilities { set_mtime: false, ..CAPS }, &base());
        assert_eq!(summarize(&p), ["copy b New", "confirm a", "skip a AlreadyDelivered"]);
    }

    #[test]
    fn after_actions_settle_files_already_complete() {
        let p = plan(&listing(&["f:a:3:10", "f:b:4:10"]), &listing(&["f:a:3:10"]), &Policy { settle: true, ..base() });
        assert_eq!(summarize(&p), ["copy b New", "settle a", "skip a Identical"]);
    }

    #[test]
    fn checksum_fixes_mtime_instead_of_copying() {
        let mut s = listing(&["f:x:3:20"]);
        let mut d = listing(&["f:x:3:10"]);
        for l in [&mut s, &mut d] {
            l.entries.values_mut().for_each(|e| e.sha256 = Some("ab".into()));
        }
        let p = plan(&s, &d, &Policy { compare: Compare::Checksum, ..base() });
        assert_eq!(summarize(&p), ["mtime x"]);
    }

    #[test]
    fn single_file_to_a_new_name() {
        let src = &listing(&["f:a.txt:5:10"]).entries.values().next().unwrap().clone();
        let dst = RelPath::parse("b.txt").unwrap();
        let p = plan_file(src, &dst, &Listing::default(), &CAPS, &base());
        assert_eq!(summarize(&p), ["copy b.txt New"]);
        let p = plan_file(src, &dst, &listing(&["f:b.txt:5:10"]), &CAPS, &base());
        assert_eq!(summarize(&p), ["skip b.txt Identical"]);
    }
}
