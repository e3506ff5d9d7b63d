//! Ledger benchmark harness (run by `bench/ledger.sh` in release mode): records N transfers one
//! by one, exactly as the executor does, then answers `once` for an N-file listing.

use ferry::ledger::{Ledger, Record};
use std::time::Instant;

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let dir = std::env::temp_dir().join(format!("ferry-ledger-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let l = Ledger::open(&dir.join("ledger.db")).expect("open");
    let now = chrono::Utc::now();
    let t0 = Instant::now();
    for i in 0..n {
        l.record(&Record {
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
            outcome: "done".into(),
        })
        .expect("record");
    }
    let record = t0.elapsed();
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
        "records={n} record_s={:.3} lookup_s={:.3} total_s={:.3}",
        record.as_secs_f64(),
        lookup.as_secs_f64(),
        (record + lookup).as_secs_f64()
    );
    let _ = std::fs::remove_dir_all(&dir);
}
