//! Ledger benchmark harness (run by `bench/ledger.sh` in release mode): records N transfers as a
//! run does, then answers `once` for an N-file listing. Mode `ahead` (what a run does where the
//! target keeps mtimes): every planned copy's `pending` row written in batches before the
//! copies start, then P concurrent workers (a run's `-P`, default 8 here) settle their rows
//! `done`. Mode `each` (every other target): each worker commits its file's `pending` row just
//! before the rename and settles it after.
//! Usage: ledger_bench [N] [P] [LEDGER] [ahead|each] — LEDGER a file path or `postgresql://…`
//! URL (default: a new SQLite file in the temporary directory).

use ferry::ledger::{Ledger, Location, Record};
use std::sync::Arc;
use std::time::Instant;

fn record(i: usize, now: chrono::DateTime<chrono::Utc>) -> Record {
    Record {
        job: "bench".into(),
        direction: "pull".into(),
        source: "sftp://edi@partner.example/outbound".into(),
        path: format!("d{:03}/INV-{i:08}.edi", i % 1000),
        size: 4096 + i as u64,
        mtime_ns: Some(1_700_000_000_000_000_000 + i as i64),
        sha256: Some(format!("{i:064x}")),
        target: "/var/edi/inbox".into(),
        target_path: format!("d{:03}/INV-{i:08}.edi", i % 1000),
        started_at: now,
        finished_at: now,
        bytes: 4096,
        outcome: "pending".into(),
    }
}

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let p: usize = std::env::args().nth(2).and_then(|a| a.parse().ok()).unwrap_or(8).max(1);
    let dir = std::env::temp_dir().join(format!("ferry-ledger-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let at = match std::env::args().nth(3) {
        Some(url) => Location::parse(&url).expect("ledger"),
        None => Location::File(dir.join("ledger.db")),
    };
    let l = Arc::new(Ledger::open(&at).expect("open"));
    let ahead = std::env::args().nth(4).is_none_or(|m| m == "ahead");
    let now = chrono::Utc::now();
    let t0 = Instant::now();
    let ids: Option<Arc<Vec<i64>>> = ahead.then(|| {
        let rows: Vec<Record> = (0..n).map(|i| record(i, now)).collect();
        Arc::new(l.record_many(&rows).expect("record ahead"))
    });
    let workers: Vec<_> = (0..p)
        .map(|w| {
            let (l, ids) = (l.clone(), ids.clone());
            std::thread::spawn(move || {
                for i in (w..n).step_by(p) {
                    let id = match &ids {
                        Some(ids) => ids[i],
                        None => l.record(&record(i, now)).expect("record"),
                    };
                    // The rename happens here in a run; then the row is settled.
                    l.settle(ferry::ledger::Settled {
                        id,
                        outcome: Some("done".into()),
                        at: chrono::Utc::now(),
                        started_at: Some(now),
                        sha256: Some(format!("{i:064x}")),
                        bytes: Some(4096),
                    })
                    .expect("settle");
                }
            })
        })
        .collect();
    for w in workers {
        w.join().expect("worker");
    }
    l.flush().expect("flush");
    let record_time = t0.elapsed();
    let t1 = Instant::now();
    let delivered = l.delivered("bench", "sftp://edi@partner.example/outbound").expect("query");
    let hits = (0..n)
        .filter(|i| {
            delivered.contains(&(format!("d{:03}/INV-{i:08}.edi", i % 1000), 4096 + *i as u64, Some(1_700_000_000_000_000_000 + *i as i64)))
        })
        .count();
    let lookup = t1.elapsed();
    assert_eq!(hits, n);
    println!(
        "mode={} records={n} workers={p} record_s={:.3} lookup_s={:.3} total_s={:.3}",
        if ahead { "ahead" } else { "each" },
        record_time.as_secs_f64(),
        lookup.as_secs_f64(),
        (record_time + lookup).as_secs_f64()
    );
    let _ = std::fs::remove_dir_all(&dir);
}
