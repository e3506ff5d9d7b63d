//! Several hosts, one exchange: the shared PostgreSQL ledger, job leases with fencing, and
//! several `ferry daemon`s sharing one job file — against a real PostgreSQL, sshd and vsftpd.
//! Each daemon has its own state directory, as on its own host.

use crate::support::postgres::{self, Pg};
use crate::support::sshd::Sshd;
use crate::support::vsftpd::{self, Vsftpd};
use crate::support::{Sandbox, files_under, sha256_hex};
use std::collections::HashMap;
use std::os::unix::fs::MetadataExt;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

fn location(url: &str) -> ferry::ledger::Location {
    ferry::ledger::Location::parse(url).unwrap()
}

#[test]
fn postgresql_passes_the_ledger_set_and_the_lease_checks() {
    let pg = postgres::shared();
    ferry::ledger::suite::all(&|| location(&pg.db()));
    ferry::ledger::suite::leases(&|| location(&pg.db()));
}

#[test]
fn unsupported_ledger_schemes_are_refused_never_taken_for_a_file() {
    let s = Sandbox::new();
    s.write("outbox/a.edi", b"a");
    s.write("jobs.yaml", b"version: 1\nledger: mysql://ferry:pw@db/ferry\njobs:\n  j:\n    pull: ./outbox\n    to: ./inbox\n");
    for cmd in [&["run", "jobs.yaml"][..], &["validate", "jobs.yaml"], &["status", "jobs.yaml"]] {
        let r = s.run(cmd).expect(2);
        assert!(r.stderr.contains("jobs.yaml:2:") && r.stderr.contains("unsupported ledger URL scheme \"mysql\""), "{}", r.stderr);
        assert!(!r.stderr.contains("pw@"), "the password is never shown: {}", r.stderr);
    }
    s.write("ok.yaml", b"version: 1\njobs:\n  j:\n    pull: ./outbox\n    to: ./inbox\n");
    let r = s.run(&["--ledger", "sqlite:///tmp/x.db", "run", "ok.yaml"]).expect(2);
    assert!(r.stderr.contains("unsupported ledger URL scheme \"sqlite\""), "{}", r.stderr);
    let r = s.run(&["--ledger", "redis://h/0", "history"]).expect(2);
    assert!(r.stderr.contains("redis://h/0"), "{}", r.stderr);
    assert!(!s.exists("inbox") && files_under(s.dir.path()).iter().all(|f| !f.contains("mysql") && !f.contains("redis")), "nothing ran, no file made");
}

#[test]
fn a_job_on_a_postgresql_ledger_fetches_once_records_history_and_forgets() {
    let pg = postgres::shared();
    let url = pg.db();
    let s = Sandbox::new();
    s.write("outbox/a.edi", b"UNA:+.? 'A");
    s.write("outbox/b.edi", b"UNA:+.? 'B");
    s.write("jobs.yaml", format!("version: 1\nledger: {url}\njobs:\n  in:\n    pull: ./outbox\n    to: ./inbox\n    once: true\n").as_bytes());
    s.run(&["run", "jobs.yaml"]).expect(0);
    std::fs::remove_dir_all(s.path("inbox")).unwrap();
    let r = s.run(&["run", "jobs.yaml", "--json"]).expect(0);
    assert_eq!(r.json()["jobs"][0]["report"]["summary"]["files"], 0, "once: consumed files are not fetched again");
    let r = s.run(&["--ledger", &url, "history", "--json"]).expect(0);
    assert_eq!(r.json().as_array().unwrap().iter().filter(|x| x["outcome"] == "done").count(), 2);
    // Another host (another state directory) sees the same ledger.
    let r = s.run_env(&["status", "jobs.yaml", "--json"], &[("XDG_STATE_HOME", &s.p("other-host"))]).expect(0);
    assert_eq!(r.json()[0]["last_run"]["files"], 0);
    s.run(&["--ledger", &url, "history", "forget", "--job", "in", "a.edi"]).expect(0);
    s.run(&["run", "jobs.yaml"]).expect(0);
    assert_eq!(files_under(&s.path("inbox")), ["a.edi"], "forgotten: fetched again");
}

#[test]
fn ledger_passwords_come_from_the_environment_or_pgpass_and_never_show() {
    let pg = postgres::shared();
    let db = Pg::name_of(&pg.db()).to_string();
    let url = format!("postgresql://{}@127.0.0.1:{}/{db}", postgres::PW_USER, pg.port);
    let s = Sandbox::new();
    s.write("outbox/a.edi", b"a");
    let job = |extra: &str| format!("version: 1\nledger: {url}\n{extra}jobs:\n  in:\n    pull: ./outbox\n    to: ./inbox\n");
    // No password anywhere: the server refuses, exit 3, one line naming the ledger.
    s.write("jobs.yaml", job("").as_bytes());
    let r = s.run_env(&["run", "jobs.yaml"], &[("PGPASSFILE", "/nonexistent")]).expect(3);
    assert!(r.stderr.contains(&format!("ledger postgresql://{}@127.0.0.1", postgres::PW_USER)), "{}", r.stderr);
    // ledger_password_env.
    s.write("jobs.yaml", job("ledger_password_env: LEDGER_PW\n").as_bytes());
    let r = s.run_env(&["run", "jobs.yaml"], &[("LEDGER_PW", postgres::PW), ("PGPASSFILE", "/nonexistent")]).expect(0);
    assert!(!r.stderr.contains(postgres::PW));
    let r = s.run_env(&["run", "jobs.yaml"], &[("LEDGER_PW", "wrong"), ("PGPASSFILE", "/nonexistent")]).expect(3);
    assert!(r.stderr.contains("password authentication failed") && !r.stderr.contains("wrong"), "{}", r.stderr);
    // PGPASSWORD, and ~/.pgpass (PGPASSFILE), for the --ledger flag too.
    s.write("plain.yaml", b"version: 1\njobs:\n  in:\n    pull: ./outbox\n    to: ./inbox\n");
    s.run_env(&["--ledger", &url, "run", "plain.yaml"], &[("PGPASSWORD", postgres::PW), ("PGPASSFILE", "/nonexistent")]).expect(0);
    s.write("pgpass", format!("127.0.0.1:{}:{db}:{}:{}\n", pg.port, postgres::PW_USER, postgres::PW).as_bytes());
    let r = s.run_env(&["--ledger", &url, "history", "--json"], &[("PGPASSFILE", &s.p("pgpass"))]).expect(0);
    assert!(!r.json().as_array().unwrap().is_empty());
    // A password written into the URL works and is never shown.
    let inline = format!("postgresql://{}:{}@127.0.0.1:{}/{db}", postgres::PW_USER, postgres::PW, pg.port);
    let r = s.run_env(&["-v", "--ledger", &inline, "run", "plain.yaml"], &[("PGPASSFILE", "/nonexistent")]).expect(0);
    assert!(!r.stderr.contains(postgres::PW));
}

/// The leases table: job → (pid, epoch), unexpired ones only.
fn holders(pg: &Pg, db: &str) -> HashMap<String, (u32, i64)> {
    pg.sql(db, "SELECT job, pid, epoch FROM leases WHERE expires_at > now()")
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split('|').collect();
            Some((f.first()?.to_string(), (f.get(1)?.parse().ok()?, f.get(2)?.parse().ok()?)))
        })
        .collect()
}

fn done_rows(pg: &Pg, db: &str) -> Vec<(String, String)> {
    pg.sql(db, "SELECT job, path FROM transfers WHERE outcome = 'done' ORDER BY job, path")
        .lines()
        .map(|l| {
            let (a, b) = l.split_once('|').unwrap();
            (a.to_string(), b.to_string())
        })
        .collect()
}

/// The source paths of the done rows, and how many distinct ones there are.
fn done_paths(pg: &Pg, db: &str) -> (Vec<String>, usize) {
    let done: Vec<String> = done_rows(pg, db).into_iter().map(|r| r.1).collect();
    let mut unique = done.clone();
    unique.dedup();
    let n = unique.len();
    (done, n)
}

fn wait_until(what: &str, limit: Duration, mut f: impl FnMut() -> bool) -> Duration {
    let t0 = Instant::now();
    while !f() {
        assert!(t0.elapsed() < limit, "{what}: not within {limit:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
    t0.elapsed()
}

/// A file's content: its name, then filler to `size`.
fn content(name: &str, size: usize) -> Vec<u8> {
    let mut d = format!("{name}\n").into_bytes();
    d.resize(size, b'.');
    d
}

/// Watches the inbox as a partner's consumer would: every file under a final name must be whole
/// and must appear once (a second delivery would make a new inode).
struct Consumer {
    seen: HashMap<String, u64>,
    problems: Vec<String>,
}

impl Consumer {
    fn poll(&mut self, dir: &std::path::Path, want: &HashMap<String, String>) {
        for f in files_under(dir).into_iter().filter(|f| f.ends_with(".edi")) {
            let p = dir.join(&f);
            let Ok(meta) = std::fs::metadata(&p) else { continue };
            let Ok(data) = std::fs::read(&p) else { continue };
            if want.get(&f).map(String::as_str) != Some(sha256_hex(&data).as_str()) {
                self.problems.push(format!("{f}: not whole or not ours ({} bytes)", data.len()));
            }
            match self.seen.insert(f.clone(), meta.ino()) {
                Some(old) if old != meta.ino() => self.problems.push(format!("{f}: delivered twice")),
                _ => {}
            }
        }
    }
}

fn daemon(s: &Sandbox, host: &str) -> Child {
    s.cmd(&["daemon", "jobs.yaml"])
        .env("XDG_STATE_HOME", s.path(host))
        .env("FERRY_LOG", "ferry=info")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(s.path(&format!("{host}.log"))).unwrap())
        .spawn()
        .unwrap()
}

fn signal(c: &Child, sig: i32) {
    unsafe {
        libc::kill(c.id() as i32, sig);
    }
}

#[test]
fn three_daemons_share_the_work_survive_two_kill_9s_and_deliver_each_file_once() {
    let pg = postgres::shared();
    let url = pg.db();
    let db = Pg::name_of(&url).to_string();
    let s = Sandbox::new();
    let d = Sshd::start();
    let v = Vsftpd::start(vsftpd::Options::default());
    let n = 24;
    let size = 200 * 1024;
    let mut want = HashMap::new();
    let sftp_out = s.path("sftp-server/out");
    std::fs::create_dir_all(s.path("sftp-server/archive")).unwrap();
    std::fs::create_dir_all(v.data().join("out")).unwrap();
    std::fs::create_dir_all(v.data().join("archive")).unwrap();
    for i in 0..n {
        let (a, b) = (format!("s{i:03}.edi"), format!("f{i:03}.edi"));
        std::fs::create_dir_all(&sftp_out).unwrap();
        std::fs::write(sftp_out.join(&a), content(&a, size)).unwrap();
        std::fs::write(v.data().join("out").join(&b), content(&b, size)).unwrap();
        want.insert(format!("sftp/{a}"), sha256_hex(&content(&a, size)));
        want.insert(format!("ftp/{b}"), sha256_hex(&content(&b, size)));
    }
    vsftpd::chown_ftp(&v.data());
    let ttl = 3;
    let root = s.path("sftp-server");
    let yaml = format!(
        "version: 1\nledger: {url}\nlease_ttl: {ttl}s\nremotes:\n  sftp-partner:\n    url: sftp://{}@127.0.0.1:{}/\n    key_file: {}\n    known_hosts: {}\n  ftp-partner:\n    url: ftp://127.0.0.1:{}/\n\
         jobs:\n  from-sftp:\n    pull: \"sftp-partner:{}/out\"\n    to: ./inbox/sftp\n    once: true\n    after: {{ source: move, move_to: \"{}/archive/\" }}\n    parallel: 2\n    bwlimit: 1MiB\n    schedule: \"* * * * * *\"\n\
         \x20 from-ftp:\n    pull: \"ftp-partner:/data/out\"\n    to: ./inbox/ftp\n    once: true\n    after: {{ source: move, move_to: /data/archive/ }}\n    parallel: 2\n    bwlimit: 1MiB\n    schedule: \"* * * * * *\"\n",
        d.user,
        d.port,
        d.path("id_ed25519").display(),
        d.path("known_hosts").display(),
        v.port,
        root.display(),
        root.display(),
    );
    s.write("jobs.yaml", yaml.as_bytes());
    s.run(&["validate", "jobs.yaml"]).expect(0);
    let mut daemons: Vec<Option<Child>> = (0..3).map(|i| Some(daemon(&s, &format!("host{i}")))).collect();
    let mut consumer = Consumer { seen: HashMap::new(), problems: vec![] };
    let inbox = s.path("inbox");
    let mut takeovers = vec![];
    // Twice: once some files of a job have arrived, kill -9 the daemon holding it, and time
    // how long until another daemon holds it.
    for (job, at) in [("from-sftp", 6), ("from-ftp", 6)] {
        let prefix = if job == "from-sftp" { "sftp/" } else { "ftp/" };
        wait_until(&format!("{job}: {at} files arrive"), Duration::from_secs(60), || {
            consumer.poll(&inbox, &want);
            consumer.seen.keys().filter(|k| k.starts_with(prefix)).count() >= at
        });
        let (pid, epoch) = holders(pg, &db)[job];
        let i = daemons.iter().position(|c| c.as_ref().is_some_and(|c| c.id() == pid)).expect("the holder is one of ours");
        let mut victim = daemons[i].take().unwrap();
        signal(&victim, libc::SIGKILL);
        let killed = std::time::SystemTime::now();
        let _ = victim.wait();
        // The next holder's lease may be short (a run with little left to do), so it is read
        // from the lease row whether or not it is still held: when the next epoch was taken.
        let mut taken = 0.0;
        wait_until(&format!("{job} taken over"), Duration::from_secs(30), || {
            consumer.poll(&inbox, &want);
            let row = pg.sql(&db, &format!("SELECT pid, epoch, extract(epoch FROM since) FROM leases WHERE job = '{job}'"));
            let f: Vec<&str> = row.trim().split('|').collect();
            let next = f.len() == 3 && f[0].parse::<u32>().ok() != Some(pid) && f[1].parse::<i64>().is_ok_and(|e| e > epoch);
            if next {
                taken = f[2].parse::<f64>().unwrap();
            }
            next
        });
        let killed = killed.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs_f64();
        takeovers.push(Duration::from_secs_f64((taken - killed).max(0.0)));
    }
    wait_until("every file delivered", Duration::from_secs(120), || {
        consumer.poll(&inbox, &want);
        consumer.seen.len() == 2 * n && files_under(&sftp_out).is_empty() && files_under(&v.data().join("out")).is_empty()
    });
    // A few more ticks: nothing is fetched again.
    std::thread::sleep(Duration::from_secs(2));
    consumer.poll(&inbox, &want);
    for c in daemons.iter_mut().flatten() {
        signal(c, libc::SIGTERM);
        let _ = c.wait();
    }
    assert!(consumer.problems.is_empty(), "{:?}", consumer.problems);
    assert_eq!(consumer.seen.len(), 2 * n);
    assert_eq!(files_under(&inbox).len(), 2 * n, "no partial or temp file left in the inbox: {:?}", files_under(&inbox));
    assert_eq!(files_under(&s.path("sftp-server/archive")).len(), n, "each sftp source archived exactly once");
    assert_eq!(files_under(&v.data().join("archive")).len(), n, "each ftp source archived exactly once");
    let rows = done_rows(pg, &db);
    assert_eq!(rows.len(), 2 * n, "one done row per file: {rows:?}");
    for t in &takeovers {
        let logs: String = (0..3).map(|i| std::fs::read_to_string(s.path(&format!("host{i}.log"))).unwrap_or_default()).collect();
        let tail: String = logs.lines().filter(|l| !l.contains(" transferred ") && !l.contains("source moved")).collect::<Vec<_>>().join("\n");
        assert!(*t <= Duration::from_secs(ttl + 2), "takeover took {t:?}: more than the lease ttl and a tick\n{tail}");
    }
    eprintln!("takeover after kill -9: {takeovers:?} (lease ttl {ttl}s)");
    // Status, from another host, names no holder now and shows each job's last run.
    let st = s.run_env(&["status", "jobs.yaml", "--json"], &[("XDG_STATE_HOME", &s.p("host9"))]).expect(0).json();
    assert!(st.as_array().unwrap().iter().all(|j| j["last_run"]["outcome"].is_string()), "{st}");
}

#[test]
fn a_paused_holder_writes_and_archives_nothing_after_it_wakes() {
    let pg = postgres::shared();
    let url = pg.db();
    let db = Pg::name_of(&url).to_string();
    let s = Sandbox::new();
    let n = 12;
    for i in 0..n {
        let name = format!("p{i:02}.edi");
        s.write(&format!("outbox/{name}"), &content(&name, 128 * 1024));
    }
    s.write(
        "jobs.yaml",
        format!(
            "version: 1\nledger: {url}\nlease_ttl: 2s\njobs:\n  pay:\n    pull: ./outbox\n    to: ./inbox\n    once: true\n    after: {{ source: move, move_to: ./archive/ }}\n    parallel: 1\n    bwlimit: 256KiB\n"
        )
        .as_bytes(),
    );
    // Host A starts, delivers a file or two, and is paused past its lease.
    let mut a = s
        .cmd(&["run", "jobs.yaml"])
        .env("XDG_STATE_HOME", s.path("hostA"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_until("A delivers a file", Duration::from_secs(20), || files_under(&s.path("archive")).len() >= 1);
    // While A holds the job, a run on another host exits 5 at once naming A, and status shows A.
    let t = Instant::now();
    let r = s.run_env(&["run", "jobs.yaml"], &[("XDG_STATE_HOME", &s.p("hostC"))]).expect(5);
    assert!(t.elapsed() < Duration::from_secs(2), "refused at once, not after waiting");
    assert!(r.stderr.contains(&format!("pid {}", a.id())) && r.stderr.contains("already running (host "), "{}", r.stderr);
    let st = s.run_env(&["status", "jobs.yaml", "--json"], &[("XDG_STATE_HOME", &s.p("hostC"))]).expect(0).json();
    assert!(st[0]["running"].as_str().is_some_and(|h| h.contains(&format!("pid {}", a.id()))), "{st}");
    signal(&a, libc::SIGSTOP);
    let (pid_a, epoch_a) = holders(pg, &db)["pay"];
    assert_eq!(pid_a, a.id());
    std::thread::sleep(Duration::from_millis(2500));
    // Host B takes the job over and finishes it.
    let b = s.run_env(&["run", "jobs.yaml"], &[("XDG_STATE_HOME", &s.p("hostB"))]).expect(0);
    drop(b);
    let epoch_b: i64 = pg.sql(&db, "SELECT epoch FROM leases WHERE job = 'pay'").trim().parse().unwrap();
    assert_eq!(epoch_b, epoch_a + 1);
    let snapshot = || {
        let inbox: Vec<(String, u64)> =
            files_under(&s.path("inbox")).into_iter().filter(|f| f.ends_with(".edi")).map(|f| (f.clone(), s.inode(&format!("inbox/{f}")))).collect();
        (inbox, files_under(&s.path("archive")), files_under(&s.path("outbox")), pg.sql(&db, "SELECT id, outcome FROM transfers ORDER BY id"))
    };
    let before = snapshot();
    assert_eq!(before.1.len(), n, "B archived everything: {:?}", before.1);
    // A wakes: it must notice, stop and exit 5, having renamed, recorded and archived nothing.
    signal(&a, libc::SIGCONT);
    let status = a.wait().unwrap();
    let mut err = String::new();
    std::io::Read::read_to_string(&mut a.stderr.take().unwrap(), &mut err).unwrap();
    assert_eq!(status.code(), Some(5), "{err}");
    assert!(err.contains("lease"), "{err}");
    assert_eq!(snapshot(), before, "the paused holder changed something after waking\n{err}");
    let (done, unique) = done_paths(pg, &db);
    assert_eq!((done.len(), unique), (n, n), "each file recorded once: {done:?}");
}

#[test]
fn postgresql_stopped_mid_run_fences_every_daemon_and_runs_resume_when_it_returns() {
    let pg = Pg::start();
    let url = pg.db();
    let db = Pg::name_of(&url).to_string();
    let s = Sandbox::new();
    let n = 16;
    for i in 0..n {
        let name = format!("q{i:02}.edi");
        s.write(&format!("outbox/{name}"), &content(&name, 128 * 1024));
    }
    s.write(
        "jobs.yaml",
        format!(
            "version: 1\nledger: {url}\nlease_ttl: 2s\njobs:\n  q:\n    pull: ./outbox\n    to: ./inbox\n    once: true\n    after: {{ source: move, move_to: ./archive/ }}\n    parallel: 1\n    bwlimit: 512KiB\n    schedule: \"* * * * * *\"\n"
        )
        .as_bytes(),
    );
    let mut ds = vec![daemon(&s, "h1"), daemon(&s, "h2")];
    wait_until("a few files archived", Duration::from_secs(30), || files_under(&s.path("archive")).len() >= 3);
    pg.stop();
    let stopped_with = files_under(&s.path("archive")).len();
    // Down for longer than the lease: whoever held the job fences itself.
    std::thread::sleep(Duration::from_secs(4));
    let archived_while_down = files_under(&s.path("archive")).len();
    assert!(archived_while_down <= stopped_with + 1, "archiving went on without the ledger: {stopped_with} → {archived_while_down}");
    let frozen = files_under(&s.path("archive"));
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(files_under(&s.path("archive")), frozen, "nothing is archived while the ledger is down");
    pg.start_again();
    wait_until("every file delivered after the ledger returns", Duration::from_secs(60), || {
        files_under(&s.path("outbox")).is_empty() && files_under(&s.path("archive")).len() == n
    });
    std::thread::sleep(Duration::from_millis(1500));
    for c in &mut ds {
        signal(c, libc::SIGTERM);
        let _ = c.wait();
    }
    let logs = std::fs::read_to_string(s.path("h1.log")).unwrap() + &std::fs::read_to_string(s.path("h2.log")).unwrap();
    assert!(logs.contains("scheduled runs are paused until it answers"), "{logs}");
    assert!(logs.contains("the ledger answers again: scheduled runs resume"), "{logs}");
    // Every archived file has its ledger row: nothing was archived without one.
    let (done, unique) = done_paths(&pg, &db);
    let table = pg.sql(&db, "SELECT id, path, outcome, started_at, finished_at FROM transfers ORDER BY path, id");
    assert_eq!(unique, n, "{table}\n{logs}");
    assert_eq!(done.len(), n, "recorded once each: {table}");
    assert_eq!(files_under(&s.path("inbox")).iter().filter(|f| f.ends_with(".edi")).count(), n);
}

#[test]
fn a_database_that_stops_answering_ends_the_run_within_the_call_timeout_and_archives_nothing_unrecorded() {
    let pg = Pg::start();
    let url = pg.db();
    let db = Pg::name_of(&url).to_string();
    let s = Sandbox::new();
    let n = 10;
    for i in 0..n {
        let name = format!("h{i:02}.edi");
        s.write(&format!("outbox/{name}"), &content(&name, 128 * 1024));
    }
    s.write(
        "jobs.yaml",
        format!(
            "version: 1\nledger: {url}\nlease_ttl: 2s\njobs:\n  hang:\n    pull: ./outbox\n    to: ./inbox\n    once: true\n    after: {{ source: move, move_to: ./archive/ }}\n    parallel: 1\n    bwlimit: 256KiB\n"
        )
        .as_bytes(),
    );
    let mut run = s.cmd(&["run", "jobs.yaml"]).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();
    wait_until("a file archived", Duration::from_secs(20), || !files_under(&s.path("archive")).is_empty());
    pg.signal_all(libc::SIGSTOP);
    let frozen = Instant::now();
    let at_freeze = files_under(&s.path("archive")).len();
    let status = run.wait().unwrap();
    let waited = frozen.elapsed();
    let mut err = String::new();
    std::io::Read::read_to_string(&mut run.stderr.take().unwrap(), &mut err).unwrap();
    assert!(waited < Duration::from_secs(25), "the run hung on a silent database for {waited:?}\n{err}");
    assert!(matches!(status.code(), Some(3) | Some(5)), "{status:?}\n{err}");
    assert!(err.contains("no answer in 10s") || err.contains("lost its job lease"), "{err}");
    let archived = files_under(&s.path("archive")).len();
    assert!(archived <= at_freeze + 1, "archived on without the ledger: {at_freeze} → {archived}\n{err}");
    pg.signal_all(libc::SIGCONT);
    // Once it answers again, the next run reconciles and finishes; each file is recorded once.
    std::thread::sleep(Duration::from_secs(2));
    s.run(&["run", "jobs.yaml"]).expect(0);
    assert_eq!(files_under(&s.path("archive")).len(), n);
    let (done, unique) = done_paths(&pg, &db);
    assert_eq!((done.len(), unique), (n, n), "{done:?}");
    eprintln!("run ended {waited:?} after the database froze");
}
