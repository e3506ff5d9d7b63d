//! One set of ledger checks that every `Store` must pass: run against SQLite by the unit tests
//! and against a real PostgreSQL by the integration tests. Each check takes `fresh`, which
//! returns the location of a new, empty ledger; a failed check panics with what differed.

use super::*;

fn rec(path: &str, size: u64, mtime: i64) -> Record {
    Record {
        job: "j".into(),
        direction: "pull".into(),
        source: "sftp://h/out".into(),
        path: path.into(),
        size,
        mtime_ns: Some(mtime),
        sha256: None,
        target: "/in".into(),
        target_path: path.into(),
        started_at: Utc::now(),
        finished_at: Utc::now(),
        bytes: size,
        outcome: "done".into(),
    }
}

/// Every check of the set, in order.
pub fn all(fresh: &dyn Fn() -> Location) {
    records_answer_once_and_history_and_forget(fresh);
    pending_rows_are_superseded_and_confirmed(fresh);
    settled_outcomes_are_deferred_but_never_lost_to_readers_or_reopeners(fresh);
    hashes_are_cached_by_version(fresh);
    runs_counters_deliveries_and_deadlines_for_monitoring(fresh);
    concurrent_records_share_commits_and_each_gets_its_own_id(fresh);
}

pub fn records_answer_once_and_history_and_forget(fresh: &dyn Fn() -> Location) {
    let at = fresh();
    let l = Ledger::open(&at).unwrap();
    l.record(&rec("a.edi", 10, 1)).unwrap();
    l.record(&rec("b.edi", 20, 2)).unwrap();
    let done = l.delivered("j", "sftp://h/out").unwrap();
    assert!(done.contains(&("a.edi".into(), 10, Some(1))));
    assert!(!done.contains(&("a.edi".into(), 10, Some(5))), "a new mtime is a new version");
    assert!(l.delivered("other", "sftp://h/out").unwrap().is_empty());
    assert_eq!(l.history(Some("j"), None).unwrap().len(), 2);
    assert_eq!(l.history(Some("j"), Some(Utc::now() + chrono::Duration::hours(1))).unwrap().len(), 0, "since filters");
    assert!(l.knows_job("j").unwrap() && !l.knows_job("k").unwrap());
    assert_eq!(l.forget("j", Some("a.edi")).unwrap(), 1);
    assert_eq!(l.history(None, None).unwrap().len(), 1);
    drop(l);
    // Reopening keeps the data and the schema version.
    let l = Ledger::open(&at).unwrap();
    let h = l.history(None, None).unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!((h[0].path.as_str(), h[0].size, h[0].mtime_ns), ("b.edi", 20, Some(2)));
    assert_eq!(l.forget("j", None).unwrap(), 1);
}

pub fn pending_rows_are_superseded_and_confirmed(fresh: &dyn Fn() -> Location) {
    let l = Ledger::open(&fresh()).unwrap();
    let p = Record { outcome: "pending".into(), ..rec("a.edi", 10, 1) };
    l.record(&p).unwrap();
    let id = l.record(&p).unwrap();
    let pending = l.pending("j", "sftp://h/out").unwrap();
    assert_eq!(pending.len(), 1, "a second attempt at one version supersedes the first: {pending:?}");
    assert_eq!(pending[&("a.edi".to_string(), 10, Some(1))], (id, "a.edi".to_string()));
    // A version without an mtime is one version too.
    let n = Record { mtime_ns: None, ..p.clone() };
    l.record(&n).unwrap();
    l.record(&n).unwrap();
    assert_eq!(l.pending("j", "sftp://h/out").unwrap().len(), 2);
    l.set_outcome(id, "done").unwrap();
    assert_eq!(l.pending("j", "sftp://h/out").unwrap().len(), 1);
    assert!(l.delivered("j", "sftp://h/out").unwrap().contains(&("a.edi".into(), 10, Some(1))));
}

pub fn settled_outcomes_are_deferred_but_never_lost_to_readers_or_reopeners(fresh: &dyn Fn() -> Location) {
    let at = fresh();
    let l = Ledger::open(&at).unwrap();
    let mut r = rec("a.edi", 10, 1);
    r.outcome = "pending".into();
    let id = l.record(&r).unwrap();
    l.set_outcome(id, "done").unwrap();
    // Another process (a fresh connection) still sees the row pending until the write...
    let other = Ledger::open(&at).unwrap();
    assert!(other.delivered("j", "sftp://h/out").unwrap().is_empty());
    // ...which a read through this ledger, a flush or the next record performs.
    assert!(l.delivered("j", "sftp://h/out").unwrap().contains(&("a.edi".into(), 10, Some(1))));
    assert!(other.delivered("j", "sftp://h/out").unwrap().contains(&("a.edi".into(), 10, Some(1))));
    let id = l.record(&Record { path: "b.edi".into(), ..r.clone() }).unwrap();
    l.set_outcome(id, "done").unwrap();
    drop(l);
    // Dropping flushes too.
    assert_eq!(other.delivered("j", "sftp://h/out").unwrap().len(), 2);
}

pub fn hashes_are_cached_by_version(fresh: &dyn Fn() -> Location) {
    let l = Ledger::open(&fresh()).unwrap();
    let h = "ab".repeat(32);
    l.record(&Record { sha256: Some(h.clone()), mtime_ns: Some(1_500_000_000), ..rec("a.edi", 10, 0) }).unwrap();
    l.record(&Record { sha256: None, ..rec("b.edi", 10, 0) }).unwrap();
    let (src, dst) = l.known_hashes("j", "sftp://h/out", "/in").unwrap();
    assert_eq!(src.get(&("a.edi".to_string(), 10, Some(1_000_000_000))), Some(&h), "kept at whole seconds: {src:?}");
    assert_eq!(dst.len(), 1);
    assert!(l.known_hashes("j", "elsewhere", "/other").unwrap().0.is_empty());
}

pub fn runs_counters_deliveries_and_deadlines_for_monitoring(fresh: &dyn Fn() -> Location) {
    let l = Ledger::open(&fresh()).unwrap();
    let t0 = Utc::now();
    let id = l.record(&Record { outcome: "pending".into(), ..rec("a.edi", 3, 1) }).unwrap();
    assert_eq!(l.delivered_between("j", None, Utc::now()).unwrap(), 0, "pending is not delivered");
    l.set_outcome(id, "done").unwrap();
    let t1 = Utc::now();
    assert_eq!(l.delivered_between("j", None, t1).unwrap(), 1);
    assert_eq!(l.delivered_between("j", Some(t1), Utc::now()).unwrap(), 0, "the window's start is exclusive");
    assert_eq!(l.delivered_between("other", None, t1).unwrap(), 0);
    assert!(l.last_delivery("j").unwrap().is_some_and(|t| t >= t0 && t <= t1), "delivered when it settled");
    assert_eq!(l.last_delivery("other").unwrap(), None);

    let run = RunRecord {
        started_at: t0,
        finished_at: t1,
        exit_code: 1,
        outcome: "partial".into(),
        files: 1,
        bytes: 3,
        failed: 1,
        host: "h".into(),
        pid: 7,
        last_success: None,
        failed_runs: 0,
    };
    l.record_run("j", Some(&run), &[("runs", "partial".into(), 1), ("files", String::new(), 1), ("failures", "io".into(), 1)]).unwrap();
    l.record_run("j", None, &[("runs", "locked".into(), 1), ("files", String::new(), 0)]).unwrap();
    l.record_run("j", None, &[("runs", "partial".into(), 1)]).unwrap();
    assert_eq!(l.last_run("j").unwrap().as_ref().map(|r| (r.exit_code, r.pid)), Some((1, 7)), "a locked-out run is not the last run");
    assert_eq!(l.last_run("j").unwrap().unwrap().last_success, None, "no run succeeded yet");
    assert_eq!(l.last_run("j").unwrap().unwrap().failed_runs, 1);
    let ok = RunRecord { exit_code: 0, outcome: "ok".into(), ..run.clone() };
    l.record_run("j", Some(&ok), &[]).unwrap();
    l.record_run("j", Some(&run), &[]).unwrap();
    let last = l.last_run("j").unwrap().unwrap();
    assert_eq!(last.failed_runs, 1, "a success resets the count");
    assert_eq!(
        (last.exit_code, last.last_success.map(|t| t.timestamp_millis())),
        (1, Some(t1.timestamp_millis())),
        "a failure keeps the last success"
    );
    assert!(l.last_run("other").unwrap().is_none());
    let c = l.counters("j").unwrap();
    assert_eq!(
        c,
        [
            ("failures".to_string(), "io".to_string(), 1),
            ("files".into(), "".into(), 1),
            ("runs".into(), "locked".into(), 1),
            ("runs".into(), "partial".into(), 2)
        ]
    );

    let v = crate::expect::Verdict { deadline: t1, delivered: 0, met: false };
    assert!(l.judge_deadline("j", &v).unwrap(), "the first judge acts");
    assert!(!l.judge_deadline("j", &crate::expect::Verdict { met: true, ..v }).unwrap(), "a second judge of one deadline does not");
    assert!(l.judge_deadline("other", &v).unwrap(), "deadlines are per job");
}

pub fn concurrent_records_share_commits_and_each_gets_its_own_id(fresh: &dyn Fn() -> Location) {
    let l = std::sync::Arc::new(Ledger::open(&fresh()).unwrap());
    let ids: Vec<i64> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..8)
            .map(|t| {
                let l = l.clone();
                s.spawn(move || (0..25).map(|i| l.record(&rec(&format!("f{t}-{i}"), i, 1)).unwrap()).collect::<Vec<_>>())
            })
            .collect();
        hs.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    let unique: HashSet<i64> = ids.iter().copied().collect();
    assert_eq!(unique.len(), 200, "every row has its own id");
    let h = l.history(Some("j"), None).unwrap();
    assert_eq!(h.len(), 200);
    for t in 0..8 {
        let mine: Vec<u64> = h.iter().filter(|r| r.path.starts_with(&format!("f{t}-"))).map(|r| r.size).collect();
        assert_eq!(mine, (0..25).collect::<Vec<u64>>(), "one thread's rows keep their order and content");
    }
}

/// The checks of leases and claims (a shared store only).
pub fn leases(fresh: &dyn Fn() -> Location) {
    let at = fresh();
    let a = Ledger::open(&at).unwrap();
    let b = Ledger::open(&at).unwrap();
    assert!(a.is_shared());
    let ttl = std::time::Duration::from_millis(1500);
    let e1 = a.with_shared(|s| s.take("j", "A", ttl)).unwrap().expect("a free lease is taken");
    let held = b.with_shared(|s| s.take("j", "B", ttl)).unwrap().expect_err("a held lease is refused");
    assert_eq!((held.pid, held.epoch), (std::process::id(), e1), "the refusal names the holder");
    assert_eq!(b.lease_holder("j").unwrap().map(|h| h.epoch), Some(e1));
    let fa = Fence { job: "j".into(), holder: "A".into(), epoch: e1 };
    assert!(a.with_shared(|s| s.renew(&fa, ttl)).unwrap());
    assert!(a.with_shared(|s| s.confirm(&fa, std::time::Duration::from_millis(500))).unwrap());
    assert!(!a.with_shared(|s| s.confirm(&fa, std::time::Duration::from_secs(60))).unwrap(), "less left than asked");
    // A fenced write passes while the lease is A's.
    a.set_fence("j", Some(fa.clone())).unwrap();
    let id = a.record(&Record { outcome: "pending".into(), ..rec("a.edi", 1, 1) }).unwrap();
    // Expired: B takes it at the next epoch, and A can renew, confirm and write nothing more.
    std::thread::sleep(ttl + std::time::Duration::from_millis(200));
    assert_eq!(b.lease_holder("j").unwrap(), None, "expired by the database's clock");
    let e2 = b.with_shared(|s| s.take("j", "B", ttl)).unwrap().expect("an expired lease is taken over");
    assert_eq!(e2, e1 + 1);
    assert!(!a.with_shared(|s| s.renew(&fa, ttl)).unwrap(), "the old holder cannot renew");
    assert!(!a.with_shared(|s| s.confirm(&fa, std::time::Duration::ZERO)).unwrap());
    a.set_outcome(id, "done").unwrap();
    let e = a.flush().unwrap_err();
    assert_eq!(e.exit().code(), 5, "{e}");
    let e = a.record(&rec("b.edi", 1, 1)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Locked);
    assert!(b.delivered("j", "sftp://h/out").unwrap().is_empty(), "nothing the old holder wrote after losing the lease counts");
    assert_eq!(b.pending("j", "sftp://h/out").unwrap().len(), 1, "its pending row is the new holder's to reconcile");
    // Release lets it go at once; another job's lease is separate.
    let fb = Fence { job: "j".into(), holder: "B".into(), epoch: e2 };
    assert!(a.with_shared(|s| s.take("k", "A", ttl)).unwrap().is_ok());
    b.with_shared(|s| s.release(&fb)).unwrap();
    assert!(a.with_shared(|s| s.take("j", "A", ttl)).unwrap().is_ok_and(|e| e == e2 + 1));

    // Claims: exactly one caller per slot; a later slot is claimable again.
    let t = Utc::now();
    let next = t + chrono::Duration::seconds(1);
    assert!(a.claim("j", t, next).unwrap());
    assert!(!b.claim("j", t, next).unwrap(), "one slot, one host");
    assert!(b.claim("j", next, next + chrono::Duration::seconds(1)).unwrap());
    assert!(!a.claim("j", next, next + chrono::Duration::seconds(1)).unwrap());
    let claims: usize = std::thread::scope(|s| {
        let hs: Vec<_> = (0..6)
            .map(|_| {
                let at = at.clone();
                s.spawn(move || {
                    let l = Ledger::open(&at).unwrap();
                    let slot = t + chrono::Duration::seconds(10);
                    usize::from(l.claim("j", slot, slot + chrono::Duration::seconds(1)).unwrap())
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).sum()
    });
    assert_eq!(claims, 1, "six hosts racing for one slot: one wins");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_passes_the_shared_set() {
        let d = tempfile::tempdir().unwrap();
        let n = std::sync::atomic::AtomicUsize::new(0);
        all(&|| Location::File(d.path().join(format!("sub/l{}.db", n.fetch_add(1, std::sync::atomic::Ordering::SeqCst)))));
    }

    #[test]
    fn ledger_locations_and_unsupported_schemes() {
        assert_eq!(Location::parse("/var/lib/ferry/l.db").unwrap(), Location::File("/var/lib/ferry/l.db".into()));
        assert_eq!(Location::parse("rel/l.db").unwrap(), Location::File("rel/l.db".into()));
        assert!(matches!(Location::parse("postgresql://ferry@127.0.0.1:5432/ferry").unwrap(), Location::Postgres { .. }));
        assert!(matches!(Location::parse("postgres://ferry@db/ferry").unwrap(), Location::Postgres { .. }));
        for bad in ["mysql://u:pw@db/ferry", "sqlite:///tmp/x.db", "file:///tmp/x.db", "redis://h"] {
            let e = Location::parse(bad).unwrap_err();
            assert_eq!(e.exit().code(), 2, "{bad}");
            assert!(e.message.contains("unsupported ledger URL scheme") && !e.message.contains("pw@"), "{}", e.message);
        }
        assert_eq!(Location::parse("postgresql://u:pw@db/x").unwrap().to_string(), "postgresql://u@db/x");
    }

    #[test]
    fn a_version_1_sqlite_ledger_is_migrated_in_place_and_keeps_its_rows() {
        let d = tempfile::tempdir().unwrap();
        let path = d.path().join("old.db");
        super::super::sqlite::tests_make_v1(&path);
        {
            let l = Ledger::open(&Location::File(path.clone())).unwrap();
            let id = l.record(&rec("a.edi", 3, 1)).unwrap();
            l.set_outcome(id, "done").unwrap();
        }
        let l = Ledger::open(&Location::File(path.clone())).unwrap();
        assert_eq!(super::super::sqlite::tests_user_version(&path), 2);
        assert_eq!(l.history(None, None).unwrap().len(), 1);
        assert!(l.last_run("j").unwrap().is_none());
        assert!(!l.is_shared());
        assert!(l.claim("j", Utc::now(), Utc::now()).unwrap(), "a local ledger's daemon claims every slot");
    }
}
