//! Unattended batch runs: exactly-once through the ledger, per-job locks, history.

use crate::support::sshd::Sshd;
use crate::support::vsftpd::{self, Vsftpd};
use crate::support::{Sandbox, files_under};
use std::time::Duration;

fn pull_job(s: &Sandbox, remotes: &str, source: &str, extra: &str) {
    let yaml = format!(
        "version: 1\n{remotes}jobs:\n  invoices-in:\n    pull: \"{source}\"\n    to: ./inbox\n    include: [\"*.edi\"]\n    once: true\n{extra}"
    );
    s.write("jobs.yaml", yaml.as_bytes());
}

fn transferred(r: &crate::support::Run) -> u64 {
    r.json()["jobs"][0]["report"]["summary"]["files"].as_u64().unwrap()
}

/// The exactly-once scenario against any source: run twice (nothing the second time), consume
/// the local copies (still nothing), touch one source file (exactly that one again).
fn exactly_once(s: &Sandbox, source_dir: &std::path::Path) {
    let run = |args: &[&str]| s.run(args);
    let ledger = s.p("ledger.db");
    let r = run(&["--ledger", &ledger, "run", "jobs.yaml", "--json"]).expect(0);
    assert_eq!(transferred(&r), 3);
    let r = run(&["--ledger", &ledger, "run", "jobs.yaml", "--json"]).expect(0);
    assert_eq!(transferred(&r), 0, "second run transfers nothing");
    // The back office consumes the inbox.
    for f in files_under(&s.path("inbox")) {
        std::fs::remove_file(s.path("inbox").join(f)).unwrap();
    }
    let r = run(&["--ledger", &ledger, "run", "jobs.yaml", "--json"]).expect(0);
    assert_eq!(transferred(&r), 0, "consumed files are not fetched again");
    let skips = r.json()["jobs"][0]["plan"]["skips"].clone();
    assert!(skips.as_array().unwrap().iter().all(|k| k["reason"] == "already_delivered"), "{skips}");
    // The partner re-sends one file (new mtime): exactly that one comes again.
    let f = source_dir.join("inv-2.edi");
    let later = std::time::SystemTime::now() + Duration::from_secs(120);
    std::fs::File::options().write(true).open(&f).unwrap().set_modified(later).unwrap();
    let r = run(&["--ledger", &ledger, "run", "jobs.yaml", "--json"]).expect(0);
    assert_eq!(transferred(&r), 1);
    assert_eq!(files_under(&s.path("inbox")), ["inv-2.edi"]);
    // History shows four deliveries; forgetting re-arms.
    let r = run(&["--ledger", &ledger, "history", "--json", "--job", "invoices-in"]).expect(0);
    let rows = r.json();
    assert_eq!(rows.as_array().unwrap().len(), 4);
    assert!(rows[0]["sha256"].as_str().unwrap().len() == 64);
    run(&["--ledger", &ledger, "history", "forget", "--job", "invoices-in", "inv-1.edi"]).expect(0);
    let r = run(&["--ledger", &ledger, "run", "jobs.yaml", "--json"]).expect(0);
    assert_eq!(transferred(&r), 1);
    assert_eq!(files_under(&s.path("inbox")), ["inv-1.edi", "inv-2.edi"]);
    run(&["--ledger", &ledger, "history", "forget", "--job", "nope"]).expect(2);
}

#[test]
fn exactly_once_from_a_local_outbox() {
    let s = Sandbox::new();
    for i in 1..=3 {
        s.write(&format!("outbox/inv-{i}.edi"), format!("UNH+{i}'").as_bytes());
    }
    s.write("outbox/notes.txt", b"not an invoice");
    pull_job(&s, "", "./outbox", "");
    exactly_once(&s, &s.path("outbox"));
}

#[test]
fn exactly_once_from_an_sftp_server() {
    let s = Sandbox::new();
    let d = Sshd::start();
    for i in 1..=3 {
        s.write(&format!("remote/outbox/inv-{i}.edi"), format!("UNH+{i}'").as_bytes());
    }
    let remotes = format!(
        "remotes:\n  partner:\n    url: sftp://{}@127.0.0.1:{}/\n    key_file: {}\n    known_hosts: {}\n",
        d.user,
        d.port,
        d.path("id_ed25519").display(),
        d.path("known_hosts").display()
    );
    pull_job(&s, &remotes, &format!("partner:{}", s.path("remote/outbox").display()), "");
    exactly_once(&s, &s.path("remote/outbox"));
}

#[test]
fn a_second_run_of_the_same_job_exits_5() {
    let s = Sandbox::new();
    s.write("outbox/big.edi", &vec![b'x'; 3 * 1024 * 1024]);
    pull_job(&s, "", "./outbox", "    bwlimit: 1MiB/s\n");
    let mut first = s.cmd(&["run", "jobs.yaml"]).spawn().unwrap();
    // Wait until the first run holds the lock (its partial file appears).
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while files_under(&s.path("inbox")).is_empty() {
        assert!(std::time::Instant::now() < deadline, "first run never started");
        std::thread::sleep(Duration::from_millis(50));
    }
    let r = s.run(&["run", "jobs.yaml"]).expect(5);
    assert!(r.stderr.contains("already running") && r.stderr.contains("pid"), "{}", r.stderr);
    assert!(first.wait().unwrap().success());
    // Once the first run is over (or dead), the lock is free again.
    s.run(&["run", "jobs.yaml"]).expect(0);
}

#[test]
fn sftp_pickup_archives_at_the_source_after_delivery() {
    let s = Sandbox::new();
    let d = Sshd::start();
    for i in 1..=3 {
        s.write(&format!("remote/outbound/inv-{i}.edi"), format!("UNH+{i}'").as_bytes());
    }
    let remotes = format!(
        "remotes:\n  partner:\n    url: sftp://{}@127.0.0.1:{}/{}\n    key_file: {}\n    known_hosts: {}\n",
        d.user,
        d.port,
        s.path("remote").display(),
        d.path("id_ed25519").display(),
        d.path("known_hosts").display()
    );
    // A relative move_to joins the remote's URL path (here the absolute `remote/` dir).
    pull_job(&s, &remotes, "partner:outbound", "    after: { source: move, move_to: \"archive/{yyyy}/{job}/\" }\n");
    let r = s.run(&["run", "jobs.yaml", "--json"]).expect(0);
    assert_eq!(transferred(&r), 3);
    let year = chrono::Local::now().format("%Y").to_string();
    assert_eq!(files_under(&s.path("inbox")), ["inv-1.edi", "inv-2.edi", "inv-3.edi"]);
    assert_eq!(files_under(&s.path(&format!("remote/archive/{year}/invoices-in"))), ["inv-1.edi", "inv-2.edi", "inv-3.edi"]);
    assert!(files_under(&s.path("remote/outbound")).is_empty(), "moved only after delivery");
    let r = s.run(&["run", "jobs.yaml", "--json"]).expect(0);
    assert_eq!(transferred(&r), 0);
}

#[test]
fn exactly_once_from_an_ftp_server() {
    let s = Sandbox::new();
    let v = Vsftpd::start(vsftpd::Options::default());
    for i in 1..=3 {
        let p = v.data().join(format!("outbox/inv-{i}.edi"));
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, format!("UNH+{i}'")).unwrap();
    }
    let remotes = format!("remotes:\n  partner:\n    url: {}\n", v.url(false));
    pull_job(&s, &remotes, "partner:outbox", "");
    exactly_once(&s, &v.data().join("outbox"));
}

#[test]
fn ftp_pickup_archives_at_the_source_after_delivery() {
    let s = Sandbox::new();
    let v = Vsftpd::start(vsftpd::Options { tls: true, ..Default::default() });
    for i in 1..=3 {
        let p = v.data().join(format!("outbound/inv-{i}.edi"));
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, format!("UNH+{i}'")).unwrap();
    }
    // The session user must be able to move the partner's files.
    vsftpd::chown_ftp(&v.data());
    let remotes = format!("remotes:\n  partner:\n    url: {}\n    tls: {{ ca_file: {} }}\n", v.url(true), v.flags()[1]);
    pull_job(&s, &remotes, "partner:outbound", "    after: { source: move, move_to: \"archive/{yyyy-mm-dd}/{job}/\" }\n");
    let r = s.run(&["run", "jobs.yaml", "--json"]).expect(0);
    assert_eq!(transferred(&r), 3);
    let day = chrono::Local::now().format("%Y-%m-%d").to_string();
    assert_eq!(files_under(&s.path("inbox")), ["inv-1.edi", "inv-2.edi", "inv-3.edi"]);
    assert_eq!(files_under(&v.data().join(format!("archive/{day}/invoices-in"))), ["inv-1.edi", "inv-2.edi", "inv-3.edi"]);
    assert!(files_under(&v.data().join("outbound")).is_empty(), "moved only after delivery");
    let r = s.run(&["run", "jobs.yaml", "--json"]).expect(0);
    assert_eq!(transferred(&r), 0);
}

#[test]
fn a_failed_after_action_is_retried_without_a_second_transfer() {
    let s = Sandbox::new();
    s.write("outbox/a.edi", b"A");
    s.write("outbox/b.edi", b"B");
    // `sent` is a file, so the archive directory cannot be created: the move fails.
    s.write("sent", b"in the way");
    pull_job(&s, "", "./outbox", "    after: { source: move, move_to: sent/ }\n");
    let r = s.run(&["run", "jobs.yaml", "--json"]).expect(1);
    assert_eq!(transferred(&r), 0, "counted as failed: delivered but not settled");
    assert!(r.stderr.contains("after-action failed"), "{}", r.stderr);
    assert_eq!(files_under(&s.path("inbox")), ["a.edi", "b.edi"], "the copies are complete");
    assert_eq!(files_under(&s.path("outbox")), ["a.edi", "b.edi"], "sources untouched");
    std::fs::remove_file(s.path("sent")).unwrap();
    let r = s.run(&["run", "jobs.yaml", "--json"]).expect(0);
    assert_eq!(transferred(&r), 0, "no second transfer");
    let actions = r.json()["jobs"][0]["plan"]["actions"].clone();
    assert_eq!(actions.as_array().unwrap().iter().filter(|a| a["action"] == "settle").count(), 2, "{actions}");
    assert_eq!(files_under(&s.path("sent")), ["a.edi", "b.edi"]);
    assert!(files_under(&s.path("outbox")).is_empty());
}

#[test]
fn push_with_delete_after_removes_only_delivered_sources() {
    let s = Sandbox::new();
    s.write("out/pay-1.xml", b"1");
    s.write("out/pay-2.xml", b"2");
    s.write("out/skip.tmp", b"not selected");
    s.write(
        "jobs.yaml",
        b"version: 1\njobs:\n  pay:\n    push: ./out\n    to: ./bank\n    exclude: [\"*.tmp\"]\n    after: { source: delete }\n",
    );
    s.run(&["run", "jobs.yaml"]).expect(0);
    assert_eq!(files_under(&s.path("bank")), ["pay-1.xml", "pay-2.xml"]);
    assert_eq!(files_under(&s.path("out")), ["skip.tmp"]);
}

#[test]
fn apply_executes_exactly_the_saved_plan_and_refuses_changed_sources() {
    let s = Sandbox::new();
    s.write("outbox/a.edi", b"A");
    s.write("outbox/b.edi", b"B");
    s.write("jobs.yaml", b"version: 1\njobs:\n  out:\n    push: ./outbox\n    to: ./partner\n");
    s.run(&["plan", "jobs.yaml", "--out", "plan.json"]).expect(0);
    assert!(!s.exists("partner"));
    // Between plan and apply: b changes, c appears.
    s.write("outbox/b.edi", b"B, revised");
    s.write("outbox/c.edi", b"C");
    let r = s.run(&["apply", "plan.json"]).expect(1);
    assert!(r.stderr.contains("b.edi") && r.stderr.contains("changed since the plan"), "{}", r.stderr);
    assert_eq!(files_under(&s.path("partner")), ["a.edi"], "only what was planned and unchanged");
    s.run(&["apply", "missing.json"]).expect(2);
}

#[test]
fn daemon_runs_jobs_on_their_schedule_and_survives_a_bad_reload() {
    let s = Sandbox::new();
    std::fs::create_dir_all(s.path("outbox")).unwrap();
    s.write("jobs.yaml", b"version: 1\njobs:\n  tick:\n    push: ./outbox\n    to: ./inbox\n    schedule: \"* * * * * *\"\n  manual:\n    push: ./outbox\n    to: ./elsewhere\n");
    let mut child = s.cmd(&["-v", "daemon", "jobs.yaml"]).stderr(std::process::Stdio::piped()).spawn().unwrap();
    let wait_for = |rel: &str| {
        let deadline = std::time::Instant::now() + Duration::from_secs(15);
        while !s.exists(rel) {
            assert!(std::time::Instant::now() < deadline, "{rel} never arrived");
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    s.write("outbox/one.edi", b"1");
    wait_for("inbox/one.edi");
    // A broken edit of the job file, then SIGHUP: reported, the old jobs keep running.
    s.write("jobs.yaml", b"version: 1\njobs:\n  tick:\n    push: ./outbox\n    to: ./inbox\n    schedule: \"never\"\n");
    unsafe {
        libc::kill(child.id() as i32, libc::SIGHUP);
    }
    std::thread::sleep(Duration::from_millis(300));
    s.write("outbox/two.edi", b"2");
    wait_for("inbox/two.edi");
    unsafe {
        libc::kill(child.id() as i32, libc::SIGTERM);
    }
    let status = child.wait().unwrap();
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert_eq!(status.code(), Some(0), "{err}");
    assert!(err.contains("job manual has no schedule"), "{err}");
    assert!(err.contains("reload failed, keeping the previous job file"), "{err}");
    assert!(!s.exists("elsewhere"), "unscheduled jobs never run");
}

#[test]
fn checksum_sidecars_check_pulls_and_follow_pushes() {
    let s = Sandbox::new();
    let good = b"UNB+UNOC:3+GOOD'";
    s.write("partner/good.edi", good);
    s.write("partner/good.edi.sha256", format!("{}  good.edi\n", crate::support::sha256_hex(good)).as_bytes());
    s.write("partner/bad.edi", b"UNB+UNOC:3+TAMPERED'");
    s.write("partner/bad.edi.sha256", format!("{}  bad.edi\n", crate::support::sha256_hex(b"the original")).as_bytes());
    s.write("jobs.yaml", b"version: 1\njobs:\n  in:\n    pull: ./partner\n    to: ./inbox\n    verify: { sidecar: \"{name}.sha256\" }\n    after: { source: delete }\n");
    let r = s.run(&["run", "jobs.yaml"]).expect(7);
    assert!(r.stderr.contains("does not match the sidecar"), "{}", r.stderr);
    assert_eq!(files_under(&s.path("inbox")), ["good.edi"], "the mismatch was not renamed into place; sidecars are not data");
    assert!(s.exists("partner/bad.edi"), "a failed verification leaves the source untouched");
    assert!(!s.exists("partner/good.edi"), "the verified one was settled");

    // Push: a sidecar is written next to each delivered file (after it, by construction).
    s.write("outbox/pay.xml", b"<pay/>");
    s.write("push.yaml", b"version: 1\njobs:\n  out:\n    push: ./outbox\n    to: ./bank\n    verify: { sidecar: \"{name}.sha256\" }\n");
    s.run(&["run", "push.yaml"]).expect(0);
    assert_eq!(files_under(&s.path("bank")), ["pay.xml", "pay.xml.sha256"]);
    let side = String::from_utf8(s.read("bank/pay.xml.sha256")).unwrap();
    assert_eq!(side, format!("{}  pay.xml\n", crate::support::sha256_hex(b"<pay/>")));
}

#[test]
fn kill_9_at_any_point_never_loses_duplicates_or_exposes_a_partial() {
    let s = Sandbox::new();
    kill_9_loop(&s, &s.p("ledger.db"), "");
}

#[test]
fn kill_9_at_any_point_with_a_postgresql_ledger() {
    let s = Sandbox::new();
    // A killed run's lease outlives it by up to its ttl; the next run waits that out.
    kill_9_loop(&s, &crate::support::postgres::shared().db(), "lease_ttl: 1s\n");
}

/// Kill a pulling, archiving job with SIGKILL at many moments, then let it finish: every file
/// is delivered whole and recorded and archived exactly once, whatever the ledger.
fn kill_9_loop(s: &Sandbox, ledger: &str, top: &str) {
    let n = 40;
    for i in 0..n {
        let mut data = format!("file {i:03}\n").into_bytes();
        data.resize(64 * 1024 + i * 997, b'x');
        s.write(&format!("outbox/f{i:03}.edi"), &data);
    }
    s.write(
        "jobs.yaml",
        format!("version: 1\n{top}jobs:\n  crashy:\n    pull: ./outbox\n    to: ./inbox\n    once: true\n    after: {{ source: move, move_to: ./archive/ }}\n    parallel: 4\n").as_bytes(),
    );
    let shared = ledger.starts_with("postgresql://");
    // Kill the run at many different moments: mid-transfer, between rename, ledger write and
    // the after-action.
    for round in 0..12u64 {
        let mut child = s.cmd(&["--ledger", ledger, "run", "jobs.yaml"]).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(3 + round * 7));
        unsafe {
            libc::kill(child.id() as i32, libc::SIGKILL);
        }
        let _ = child.wait();
        if shared {
            std::thread::sleep(Duration::from_millis(1100));
        }
        // Whatever is under a final name in the inbox is complete.
        for f in files_under(&s.path("inbox")) {
            if f.ends_with(".edi") {
                let i: usize = f[1..4].parse().unwrap();
                assert_eq!(s.read(&format!("inbox/{f}")).len(), 64 * 1024 + i * 997, "partial under a final name: {f}");
            }
        }
    }
    // Then let it finish.
    s.run(&["--ledger", ledger, "run", "jobs.yaml"]).expect(0);
    s.run(&["--ledger", ledger, "run", "jobs.yaml"]).expect(0);
    let delivered: Vec<String> = files_under(&s.path("inbox")).into_iter().filter(|f| f.ends_with(".edi")).collect();
    assert_eq!(delivered.len(), n, "every file delivered, none lost: {delivered:?}");
    assert!(files_under(&s.path("inbox")).iter().all(|f| f.ends_with(".edi")), "no partial left behind after the final run");
    assert!(files_under(&s.path("outbox")).is_empty(), "every source settled");
    assert_eq!(files_under(&s.path("archive")).len(), n, "each source archived exactly once");
    // The ledger shows every file delivered exactly once — including those whose run was
    // killed between the rename and the ledger's `done` (confirmed from the target later).
    let r = s.run(&["--ledger", ledger, "history", "--json", "--job", "crashy"]).expect(0);
    let rows = r.json();
    let mut done: Vec<String> = rows
        .as_array()
        .unwrap()
        .iter()
        .filter(|row| row["outcome"] == "done")
        .map(|row| row["path"].as_str().unwrap().to_string())
        .collect();
    done.sort();
    let total = done.len();
    done.dedup();
    assert_eq!(done.len(), total, "a file recorded as delivered twice");
    assert_eq!(total, n, "every delivery recorded");
}

#[test]
fn remote_hashes_the_ledger_knows_are_not_computed_again() {
    let s = Sandbox::new();
    let d = Sshd::start();
    for i in 0..5 {
        s.write(&format!("outbox/f{i}.dat"), format!("payload {i}").as_bytes());
    }
    // A remote hash command that logs each call, so the test can count them.
    let log = s.path("hash-calls.log");
    s.write("hash.sh", format!("#!/bin/sh\necho \"$1\" >> {}\nexec sha256sum \"$1\"\n", log.display()).as_bytes());
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(s.path("hash.sh"), std::fs::Permissions::from_mode(0o755)).unwrap();
    let yaml = format!(
        "version: 1\nremotes:\n  partner:\n    url: sftp://{}@127.0.0.1:{}/\n    key_file: {}\n    known_hosts: {}\n    remote_hash_command: {}\njobs:\n  out:\n    push: ./outbox\n    to: \"partner:{}\"\n    compare: checksum\n",
        d.user,
        d.port,
        d.path("id_ed25519").display(),
        d.path("known_hosts").display(),
        s.path("hash.sh").display(),
        s.path("remote/in").display()
    );
    s.write("jobs.yaml", yaml.as_bytes());
    s.run(&["run", "jobs.yaml"]).expect(0);
    let calls = |s: &Sandbox| std::fs::read_to_string(s.path("hash-calls.log")).map(|t| t.lines().count()).unwrap_or(0);
    assert_eq!(calls(&s), 0, "nothing to compare on the first run");
    let r = s.run(&["run", "jobs.yaml", "--json"]).expect(0);
    assert_eq!(r.json()["jobs"][0]["report"]["summary"]["files"], 0);
    assert_eq!(calls(&s), 0, "all five remote hashes came from the ledger");
    // A file changed on the server (new mtime): exactly that one is hashed remotely.
    let f = s.path("remote/in/f3.dat");
    std::fs::write(&f, b"payload X").unwrap();
    let later = std::time::SystemTime::now() + Duration::from_secs(3600);
    std::fs::File::options().write(true).open(&f).unwrap().set_modified(later).unwrap();
    let r = s.run(&["run", "jobs.yaml", "--json"]).expect(0);
    assert_eq!(calls(&s), 1);
    assert_eq!(r.json()["jobs"][0]["report"]["summary"]["files"], 1, "the checksum found the difference");
}
