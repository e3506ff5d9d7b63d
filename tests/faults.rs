//! The fault matrix (README "Faults and time limits"): real servers behind a fault proxy that
//! cuts, stalls or delays connections, and the scripted FTP server for faults only a server
//! makes. Every row ends in correct bytes (and the proxy proves the fault happened) or in the
//! documented exit code within the time limits — never a partial file under a final name, a
//! source after-action for an unfinished file, or a ledger row for an undelivered one.

use crate::support::fakeftp::{FakeFtp, Script};
use crate::support::faultproxy::{Dir, Fault, FaultProxy};
use crate::support::serve::Served;
use crate::support::sshd::Sshd;
use crate::support::vsftpd::Vsftpd;
use crate::support::{Sandbox, files_under, sha256_hex};
use std::time::{Duration, Instant};

/// Deterministic bytes that differ from offset to offset (a misplaced resume shows).
fn data(n: usize) -> Vec<u8> {
    (0..n as u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect()
}

/// Flags that log in to sshd through a proxy on another port: the host key is pinned, since
/// known_hosts names the real port.
fn sshd_flags(d: &Sshd) -> Vec<String> {
    vec!["--key-file".into(), d.path("id_ed25519").display().to_string(), "--host-key".into(), d.fingerprint()]
}

/// Quick retries, and a timeout that bounds any request lost with a cut connection.
fn fast_retries() -> Vec<String> {
    ["--retries", "5", "--retry-delay", "100ms", "--timeout", "5s"].map(String::from).to_vec()
}

fn no_partials(dir: &std::path::Path) -> bool {
    files_under(dir).iter().all(|f| !f.contains(".part"))
}

#[test]
fn sftp_get_survives_two_cut_connections_and_resumes() {
    let s = Sandbox::new();
    let d = Sshd::start();
    let body = data(12 << 20);
    s.write("remote/big.bin", &body);
    let p = FaultProxy::start(d.port, Fault::Cut { after: 4 << 20, dir: Dir::Down, times: 2 });
    let url = format!("sftp://{}@127.0.0.1:{}/{}", d.user, p.port, s.path("remote/big.bin").display());
    let mut flags = sshd_flags(&d);
    flags.extend(fast_retries());
    s.run_with(&["get", &url, "big.bin"], &flags, &[]).expect(0);
    assert_eq!(p.faults(), 2, "the proxy cut two connections");
    assert!(p.connections.load(std::sync::atomic::Ordering::SeqCst) >= 3, "a new session was opened for the retries");
    assert_eq!(sha256_hex(&s.read("big.bin")), sha256_hex(&body));
    assert!(no_partials(s.dir.path()));
}

#[test]
fn sftp_put_survives_a_cut_connection() {
    let s = Sandbox::new();
    let d = Sshd::start();
    let body = data(6 << 20);
    s.write("big.bin", &body);
    std::fs::create_dir_all(s.path("remote")).unwrap();
    let p = FaultProxy::start(d.port, Fault::Cut { after: 3 << 20, dir: Dir::Up, times: 1 });
    let url = format!("sftp://{}@127.0.0.1:{}/{}/", d.user, p.port, s.path("remote").display());
    let mut flags = sshd_flags(&d);
    flags.extend(fast_retries());
    // Upload requests are pipelined: a cut must not leave a hole below the partial's size
    // (chunks sent out of order once did, and the resume then delivered zeros).
    s.run_with(&["put", "big.bin", &url], &flags, &[]).expect(0);
    assert_eq!(p.faults(), 1);
    assert_eq!(sha256_hex(&s.read("remote/big.bin")), sha256_hex(&body));
    assert_eq!(files_under(&s.path("remote")), ["big.bin"], "no partial left on the server");
}

#[test]
fn sftp_staged_put_survives_a_cut_and_resumes_from_the_staged_partial() {
    let s = Sandbox::new();
    let d = Sshd::start();
    let body = data(6 << 20);
    s.write("big.bin", &body);
    for dir in ["remote/inbox", "remote/stage"] {
        std::fs::create_dir_all(s.path(dir)).unwrap();
    }
    let p = FaultProxy::start(d.port, Fault::Cut { after: 3 << 20, dir: Dir::Up, times: 1 });
    let url = format!("sftp://{}@127.0.0.1:{}/{}/", d.user, p.port, s.path("remote/inbox").display());
    let stage = format!("/{}", s.path("remote/stage").display());
    let mut flags = sshd_flags(&d);
    flags.extend(fast_retries());
    let r = s.run_with(&["put", "-v", "big.bin", &url, "--staging-dir", &stage], &flags, &[]).expect(0);
    assert_eq!(p.faults(), 1, "the proxy cut the upload");
    assert!(r.stderr.contains("resuming partial transfer"), "the retry continued the staged partial: {}", r.stderr);
    assert!(s.read("remote/inbox/big.bin") == body);
    assert_eq!(files_under(&s.path("remote/inbox")), ["big.bin"], "only the complete file in the target");
    assert_eq!(files_under(&s.path("remote/stage")), Vec::<String>::new(), "nothing left staged");
}

#[test]
fn sftp_mirror_pull_and_push_survive_a_cut_against_served_sftp() {
    let s = Sandbox::new();
    let root = s.path("remote");
    for i in 0..40 {
        s.write(&format!("remote/out/d{}/f{i:02}.edi", i % 4), &data(40_000 + i));
        s.write(&format!("local/up/d{}/g{i:02}.edi", i % 4), &data(30_000 + i));
    }
    let srv = Served::start(&root, None);
    let mut flags = srv.flags();
    flags.extend(fast_retries());
    let p = FaultProxy::start(srv.port, Fault::Cut { after: 600_000, dir: Dir::Down, times: 1 });
    let base = format!("sftp://tester@127.0.0.1:{}/", p.port);
    let r = s.run_with(&["mirror", &format!("{base}out"), "in"], &flags, &[]).expect(0);
    assert_eq!(p.faults(), 1, "{}", r.stderr);
    assert_eq!(files_under(&s.path("in")), files_under(&root.join("out")));
    for f in files_under(&root.join("out")) {
        assert_eq!(s.read(&format!("in/{f}")), std::fs::read(root.join("out").join(&f)).unwrap(), "{f}");
    }
    let p = FaultProxy::start(srv.port, Fault::Cut { after: 500_000, dir: Dir::Up, times: 1 });
    let base = format!("sftp://tester@127.0.0.1:{}/", p.port);
    s.run_with(&["mirror", "local/up", &format!("{base}up")], &flags, &[]).expect(0);
    assert_eq!(p.faults(), 1);
    assert_eq!(files_under(&root.join("up")), files_under(&s.path("local/up")), "every file, no partials");
}

#[test]
fn sftp_stall_ends_at_the_timeout_with_nothing_under_the_final_name() {
    let s = Sandbox::new();
    let d = Sshd::start();
    s.write("remote/big.bin", &data(8 << 20));
    let p = FaultProxy::start(d.port, Fault::Stall { after: 2 << 20, dir: Dir::Down, times: 100 });
    let url = format!("sftp://{}@127.0.0.1:{}/{}", d.user, p.port, s.path("remote/big.bin").display());
    let mut flags = sshd_flags(&d);
    flags.extend(["--timeout", "2s", "--retries", "1", "--retry-delay", "100ms"].map(String::from));
    let t = Instant::now();
    let r = s.run_with(&["get", &url, "big.bin"], &flags, &[]).expect(1);
    assert!(t.elapsed() < Duration::from_secs(20), "took {:?}", t.elapsed());
    assert!(r.stderr.contains("--timeout"), "{}", r.stderr);
    assert!(p.faults() >= 1);
    assert!(!s.exists("big.bin"), "nothing under the final name");
}

#[test]
fn max_time_stops_a_stalled_job_with_exit_8_and_releases_its_lock() {
    let s = Sandbox::new();
    let d = Sshd::start();
    s.write("remote/outbox/a.edi", &data(4 << 20));
    let p = FaultProxy::start(d.port, Fault::Stall { after: 1 << 20, dir: Dir::Down, times: 100 });
    let yaml = |extra: &str| {
        format!(
            "version: 1\nremotes:\n  partner:\n    url: sftp://{}@127.0.0.1:{}/\n    key_file: {}\n    host_key: \"{}\"\n    timeout: 30s\njobs:\n  in:\n    pull: \"partner:{}\"\n    to: ./inbox\n    once: true\n    after: {{ source: move, move_to: {} }}\n{extra}",
            d.user,
            p.port,
            d.path("id_ed25519").display(),
            d.fingerprint(),
            s.path("remote/outbox").display(),
            s.path("remote/archive").display(),
        )
    };
    // `--max-time` for the whole command, then the job's own `max_duration`; each later run
    // would exit 5 if an earlier one had left its lock behind.
    for (args, extra) in [(&["--max-time", "3s", "run", "jobs.yaml"][..], ""), (&["run", "jobs.yaml"][..], "    max_duration: 3s\n")] {
        s.write("jobs.yaml", yaml(extra).as_bytes());
        for _ in 0..2 {
            let t = Instant::now();
            let r = s.run(args).expect(8);
            assert!(t.elapsed() < Duration::from_secs(12), "took {:?}", t.elapsed());
            assert!(r.stderr.contains("time limit"), "{}", r.stderr);
        }
    }
    assert!(files_under(&s.path("inbox")).iter().all(|f| f.contains(".part")), "nothing under a final name");
    assert!(s.exists("remote/outbox/a.edi") && !s.exists("remote/archive"), "no after-action for an unfinished file");
    let r = s.run(&["history", "--json", "--job", "in"]).expect(0);
    assert_eq!(r.json().as_array().map_or(0, |a| a.len()), 0, "no ledger row for an undelivered file");
}

#[test]
fn a_job_with_once_and_move_survives_cuts_and_settles_each_file_once() {
    let s = Sandbox::new();
    let root = s.path("remote");
    for i in 0..5 {
        s.write(&format!("remote/outbox/inv-{i}.edi"), &data(900_000 + i));
    }
    let srv = Served::start(&root, None);
    let p = FaultProxy::start(srv.port, Fault::Cut { after: 1_500_000, dir: Dir::Down, times: 2 });
    let yaml = format!(
        "version: 1\nremotes:\n  partner:\n    url: sftp://tester@127.0.0.1:{}/\n    key_file: {}\n    host_key: \"{}\"\njobs:\n  in:\n    pull: partner:outbox\n    to: ./inbox\n    once: true\n    retries: 5\n    retry_delay: 100ms\n    after: {{ source: move, move_to: archive/ }}\n",
        p.port,
        srv.key().display(),
        srv.fingerprint,
    );
    s.write("jobs.yaml", yaml.as_bytes());
    s.run(&["run", "jobs.yaml"]).expect(0);
    assert!(p.faults() >= 1, "the proxy cut the session");
    assert_eq!(files_under(&s.path("inbox")).len(), 5);
    assert_eq!(files_under(&root.join("archive")).len(), 5, "each source moved once, after delivery");
    let r = s.run(&["history", "--json", "--job", "in"]).expect(0);
    assert_eq!(r.json().as_array().unwrap().len(), 5);
}

/// A mirror pull of 30 files through a proxy that cuts the control connection mid-reply:
/// `base` is the server's URL with `{port}` for the proxy's port.
fn ftp_control_cut(s: &Sandbox, root: &std::path::Path, port: u16, base: &str, flags: Vec<String>, cut_after: usize) {
    for i in 0..30 {
        let p = root.join(format!("pub/f{i:02}.txt"));
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, format!("file {i}")).unwrap();
    }
    let p = FaultProxy::start(port, Fault::Cut { after: cut_after, dir: Dir::Down, times: 1 });
    let url = base.replace("{port}", &p.port.to_string());
    let mut flags = flags;
    flags.extend(fast_retries());
    // Four connections: each carries enough of the 30 files' replies to reach the cut.
    flags.extend(["-P".to_string(), "4".to_string()]);
    s.run_with(&["mirror", &format!("{url}pub"), "in"], &flags, &[]).expect(0);
    assert!(p.faults() >= 1, "the proxy cut a control connection");
    assert_eq!(files_under(&s.path("in")).len(), 30);
    assert!(no_partials(&s.path("in")));
}

#[test]
fn ftp_control_connection_cut_is_retried_on_a_new_connection() {
    let s = Sandbox::new();
    let v = Vsftpd::start(Default::default());
    ftp_control_cut(&s, &v.data(), v.port, "ftp://127.0.0.1:{port}/data/", v.flags(), 1000);
}

#[test]
fn ftps_control_connection_cut_is_retried_with_session_reuse_required() {
    let s = Sandbox::new();
    let v = Vsftpd::start(crate::support::vsftpd::Options { tls: true, ..Default::default() });
    // TLS records: cut well inside the session, after the handshake.
    ftp_control_cut(&s, &v.data(), v.port, "ftpes://127.0.0.1:{port}/data/", v.flags(), 3500);
}

#[test]
fn served_ftp_control_connection_cut_is_retried() {
    let s = Sandbox::new();
    let root = s.path("remote");
    std::fs::create_dir_all(&root).unwrap();
    let srv = crate::support::serve::ServedFtp::start(&root, false);
    ftp_control_cut(&s, &root, srv.port, "ftp://tester@127.0.0.1:{port}/", srv.flags(), 1000);
}

#[test]
fn ftp_server_that_never_greets_fails_with_exit_3_within_the_connect_timeout() {
    let s = Sandbox::new();
    let f = FakeFtp::start(Script { silent: true, ..Default::default() });
    let t = Instant::now();
    let r = s.run_with(
        &["get", &f.url("x.txt"), "x.txt", "--connect-timeout", "1s", "--retries", "1", "--retry-delay", "100ms"],
        &f.flags(),
        PW,
    );
    let r = r.expect(3);
    assert!(t.elapsed() < Duration::from_secs(8), "took {:?}", t.elapsed());
    assert!(r.stderr.contains("no greeting") && r.stderr.contains("--connect-timeout"), "{}", r.stderr);
}

/// The scripted server takes any password; its flags read it from this variable.
const PW: &[(&str, &str)] = &[("FAKE_FTP_PW", "pw")];

fn ftp_file_script() -> Script {
    let mut sc = Script { feat: vec!["EPSV".into(), "SIZE".into(), "MDTM".into()], ..Default::default() };
    sc.files.insert("/x.bin".into(), data(100_000));
    sc.listings.insert(String::new(), vec![b"-rw-r--r-- 1 u g 100000 Jan  1  2026 x.bin".to_vec()]);
    sc
}

#[test]
fn ftp_short_download_with_226_exits_7_and_is_never_renamed() {
    let s = Sandbox::new();
    let f = FakeFtp::start(Script { short_retr: true, ..ftp_file_script() });
    let r = s.run_with(&["get", &f.url("x.bin"), "x.bin", "--retries", "1", "--retry-delay", "100ms"], &f.flags(), PW).expect(7);
    assert!(r.stderr.contains("size mismatch"), "{}", r.stderr);
    assert!(!s.exists("x.bin"));
    let retrs = f.log.lock().unwrap().iter().filter(|l| l.starts_with("RETR")).count();
    assert_eq!(retrs, 2, "retried once, then persistent");
}

#[test]
fn ftp_stalled_download_ends_at_the_timeout() {
    let s = Sandbox::new();
    let f = FakeFtp::start(Script { stall_retr: true, ..ftp_file_script() });
    let t = Instant::now();
    let r = s.run_with(&["get", &f.url("x.bin"), "x.bin", "--timeout", "1s", "--retries", "0"], &f.flags(), PW).expect(1);
    assert!(t.elapsed() < Duration::from_secs(8), "took {:?}", t.elapsed());
    assert!(r.stderr.contains("--timeout"), "{}", r.stderr);
    assert!(!s.exists("x.bin"));
}

#[test]
fn ftp_stalled_listing_ends_at_the_timeout() {
    let s = Sandbox::new();
    let f = FakeFtp::start(Script { stall_list: true, ..ftp_file_script() });
    let t = Instant::now();
    let r = s.run_with(&["mirror", &f.url(""), "in", "--timeout", "1s", "--retries", "1", "--retry-delay", "100ms"], &f.flags(), PW);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(t.elapsed() < Duration::from_secs(10), "took {:?}", t.elapsed());
    assert!(r.stderr.contains("--timeout"), "{}", r.stderr);
}

#[test]
fn ftp_stor_425_is_retried_and_452_is_not() {
    let s = Sandbox::new();
    s.write("up.txt", b"payload");
    let f = FakeFtp::start(Script { fail_stor: (1, "425 Unable to build data connection"), ..ftp_file_script() });
    s.run_with(&["put", "up.txt", &f.url("/"), "--retries", "2", "--retry-delay", "100ms"], &f.flags(), PW).expect(0);
    assert_eq!(f.uploads.lock().unwrap().get("/up.txt").map(Vec::as_slice), Some(&b"payload"[..]));
    let f = FakeFtp::start(Script { fail_stor: (100, "452 Insufficient storage space"), ..ftp_file_script() });
    let r = s.run_with(&["put", "up.txt", &f.url("/"), "--retries", "2", "--retry-delay", "100ms"], &f.flags(), PW).expect(1);
    assert!(r.stderr.contains("452"), "{}", r.stderr);
    let stors = f.log.lock().unwrap().iter().filter(|l| l.starts_with("STOR")).count();
    assert_eq!(stors, 1, "a full disk is not retried");
}

#[test]
fn time_limit_keys_are_validated_with_their_lines() {
    let s = Sandbox::new();
    s.write(
        "jobs.yaml",
        b"version: 1\nremotes:\n  pa:\n    url: sftp://u@127.0.0.1/\n    timeout: 0s\n    connect_timeout: soon\njobs:\n  in:\n    pull: pa:out\n    to: ./in\n    max_duration: forever\n",
    );
    let r = s.run(&["validate", "jobs.yaml"]).expect(2);
    for (line, key) in [(5, "timeout"), (6, "connect_timeout"), (11, "max_duration")] {
        assert!(r.stderr.contains(&format!("jobs.yaml:{line}:")) && r.stderr.contains(key), "{key}: {}", r.stderr);
    }
    let r = s.run(&["ls", ".", "--timeout", "0s"]).expect(2);
    assert!(r.stderr.contains("--timeout"), "{}", r.stderr);
    let r = s.run(&["--max-time", "never", "ls", "."]).expect(2);
    assert!(r.stderr.contains("--max-time"), "{}", r.stderr);
}

/// `put -` reads standard input once: a cut upload cannot be replayed, so it fails (exit 3, the
/// connection was lost) and leaves nothing behind under any name; an unbroken one with
/// `--verify` is checked.
#[test]
fn put_from_stdin_through_a_cut_fails_cleanly_and_verifies_when_whole() {
    use std::io::Write;
    let s = Sandbox::new();
    let root = s.path("remote");
    std::fs::create_dir_all(root.join("in")).unwrap();
    let srv = Served::start(&root, None);
    let body = data(3 << 20);
    let put = |port: u16, extra: &[&str]| {
        let url = format!("sftp://tester@127.0.0.1:{port}/in/stream.bin");
        let mut c = s.cmd(&["put", "-", &url, "--retries", "1", "--retry-delay", "100ms", "--timeout", "5s"]);
        c.args(srv.flags()).args(extra).stdin(std::process::Stdio::piped()).stderr(std::process::Stdio::piped());
        let mut child = c.spawn().unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let _ = stdin.write_all(&body);
        drop(stdin);
        child.wait_with_output().unwrap()
    };
    let p = FaultProxy::start(srv.port, Fault::Cut { after: 1 << 20, dir: Dir::Up, times: 1 });
    let out = put(p.port, &[]);
    assert_eq!(out.status.code(), Some(3), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(p.faults(), 1);
    assert!(files_under(&root.join("in")).is_empty(), "nothing under the final name, no partial left");
    let out = put(srv.port, &["--verify"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(sha256_hex(&std::fs::read(root.join("in/stream.bin")).unwrap()), sha256_hex(&body));
}
