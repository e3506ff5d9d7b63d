//! The SFTP backend against OpenSSH's real sshd on 127.0.0.1: the conformance cases, mirrors of
//! a 2,000-file tree, host-key policies, resume.

use crate::support::sshd::Sshd;
use crate::support::{Run, Sandbox, files_under, sha256_hex};

fn ferry(s: &Sandbox, d: &Sshd, args: &[&str]) -> Run {
    let mut all: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    all.extend(d.flags());
    let refs: Vec<&str> = all.iter().map(String::as_str).collect();
    s.run(&refs)
}

#[test]
fn sftp_conformance_single_operations() {
    let s = Sandbox::new();
    let d = Sshd::start();
    let remote = s.path("remote");
    std::fs::create_dir_all(&remote).unwrap();
    let url = |p: &str| d.url(&remote.join(p));

    // put, stat, ls, cat
    s.write("local/inv.edi", b"UNB+UNOC:3'");
    ferry(&s, &d, &["put", "local/inv.edi", &url("in/")]).expect(0);
    assert_eq!(s.read("remote/in/inv.edi"), b"UNB+UNOC:3'");
    assert!(files_under(&s.path("remote/in")) == ["inv.edi"], "no partial left behind");
    let r = ferry(&s, &d, &["stat", "--json", &url("in/inv.edi")]).expect(0);
    assert_eq!(r.json()["size"], 11);
    assert_eq!(r.json()["type"], "file");
    let r = ferry(&s, &d, &["ls", &url("in")]).expect(0);
    assert_eq!(r.stdout, "inv.edi\n");
    let r = ferry(&s, &d, &["cat", &url("in/inv.edi")]).expect(0);
    assert_eq!(r.stdout, "UNB+UNOC:3'");
    // mtime kept (seconds precision)
    let lm = std::fs::metadata(s.path("local/inv.edi")).unwrap().modified().unwrap();
    let rm = std::fs::metadata(s.path("remote/in/inv.edi")).unwrap().modified().unwrap();
    assert_eq!(lm.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs(), rm.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs());

    // get, mkdir, mv (with and without --force), rm
    ferry(&s, &d, &["get", &url("in/inv.edi"), "back/"]).expect(0);
    assert_eq!(s.read("back/inv.edi"), b"UNB+UNOC:3'");
    ferry(&s, &d, &["mkdir", "-p", &url("a/b/c")]).expect(0);
    assert!(s.path("remote/a/b/c").is_dir());
    ferry(&s, &d, &["mkdir", &url("a/b/c")]).expect(1);
    s.write("remote/a/x.txt", b"x");
    s.write("remote/a/y.txt", b"y");
    ferry(&s, &d, &["mv", &url("a/x.txt"), &url("a/y.txt")]).expect(1);
    ferry(&s, &d, &["mv", "--force", &url("a/x.txt"), &url("a/y.txt")]).expect(0);
    assert_eq!(s.read("remote/a/y.txt"), b"x");
    ferry(&s, &d, &["rm", &url("a/b")]).expect(2);
    ferry(&s, &d, &["rm", "-r", &url("a")]).expect(0);
    assert!(!s.exists("remote/a"));
    ferry(&s, &d, &["stat", &url("nope")]).expect(4);
    ferry(&s, &d, &["rm", "-r", &format!("sftp://{}@127.0.0.1:{}/", d.user, d.port)]).expect(6);

    // put - from stdin
    let mut c = s.cmd(&["put", "-", &url("stdin.bin")]);
    c.args(d.flags()).stdin(std::process::Stdio::piped());
    let mut child = c.spawn().unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(&vec![42u8; 600_000]).unwrap();
    assert!(child.wait().unwrap().success());
    assert_eq!(s.read("remote/stdin.bin"), vec![42u8; 600_000]);
}

#[test]
fn sftp_mirror_pull_and_push_2000_files() {
    let s = Sandbox::new();
    let d = Sshd::start();
    s.tree("remote/out", 2000, 20, 4096);
    let src = d.url(&s.path("remote/out"));
    // Pull
    let r = ferry(&s, &d, &["mirror", &src, "pulled", "--json", "-P", "8"]).expect(0);
    assert_eq!(r.json()["report"]["summary"]["files"], 2000);
    assert_eq!(files_under(&s.path("pulled")), files_under(&s.path("remote/out")));
    // No-op re-run rewrites nothing
    let inode = s.inode("pulled/d03/f00003.dat");
    let r = ferry(&s, &d, &["mirror", &src, "pulled", "--json"]).expect(0);
    assert_eq!(r.json()["report"]["summary"]["files"], 0);
    assert_eq!(s.inode("pulled/d03/f00003.dat"), inode);
    // One changed file → one transfer
    s.write("remote/out/d05/f00005.dat", b"changed on the server");
    let r = ferry(&s, &d, &["mirror", &src, "pulled", "--json"]).expect(0);
    assert_eq!(r.json()["report"]["summary"]["files"], 1);
    assert_eq!(s.read("pulled/d05/f00005.dat"), b"changed on the server");

    // Push
    let dst = d.url(&s.path("remote/in"));
    let r = ferry(&s, &d, &["mirror", "pulled", &dst, "--json", "-P", "8"]).expect(0);
    assert_eq!(r.json()["report"]["summary"]["files"], 2000);
    assert_eq!(files_under(&s.path("remote/in")), files_under(&s.path("pulled")));
    let r = ferry(&s, &d, &["mirror", "pulled", &dst, "--json"]).expect(0);
    assert_eq!(r.json()["report"]["summary"]["files"], 0, "no-op push");
    s.write("pulled/d07/f00007.dat", b"changed locally");
    s.write("remote/in/stale.txt", b"old");
    let r = ferry(&s, &d, &["mirror", "pulled", &dst, "--json", "--delete"]).expect(0);
    assert_eq!(r.json()["report"]["summary"]["files"], 1);
    assert_eq!(r.json()["report"]["summary"]["deleted"], 1);
    assert_eq!(s.read("remote/in/d07/f00007.dat"), b"changed locally");
    assert!(!s.exists("remote/in/stale.txt"));
    // check agrees
    ferry(&s, &d, &["check", "pulled", &dst]).expect(0);
}

#[test]
fn sftp_big_file_resume_reads_only_the_rest() {
    let s = Sandbox::new();
    let d = Sshd::start();
    let data: Vec<u8> = (0..6 * 1024 * 1024u32).map(|i| (i.wrapping_mul(2654435761) >> 11) as u8).collect();
    s.write("remote/big.bin", &data);
    let url = d.url(&s.path("remote/big.bin"));
    // A partial of the same source version, half the file, as an interrupted run leaves it.
    let r = ferry(&s, &d, &["get", &url, "dl/", "--dry-run", "--json"]).expect(0);
    assert_eq!(r.json()["plan"]["actions"][0]["action"], "copy");
    let mtime = std::fs::metadata(s.path("remote/big.bin")).unwrap().modified().unwrap();
    let secs = mtime.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let rel = ferry::model::RelPath::parse("big.bin").unwrap();
    let fp = ferry::plan::fingerprint(&rel, data.len() as u64, chrono::DateTime::from_timestamp(secs, 0));
    s.write(&format!("dl/big.bin.{fp}.part"), &data[..3 * 1024 * 1024]);
    let r = ferry(&s, &d, &["get", "-c", &url, "dl/", "--json", "--verify"]).expect(0);
    let j = r.json();
    assert_eq!(j["plan"]["actions"][0]["resume_from"], 3 * 1024 * 1024);
    assert_eq!(j["report"]["summary"]["bytes"], 3 * 1024 * 1024, "only the second half crossed the wire");
    assert_eq!(sha256_hex(&s.read("dl/big.bin")), sha256_hex(&data));

    // Upload of the same file, then a changed source version is not spliced onto old bytes.
    let up = d.url(&s.path("remote/up.bin"));
    ferry(&s, &d, &["put", "dl/big.bin", &up]).expect(0);
    assert_eq!(sha256_hex(&s.read("remote/up.bin")), sha256_hex(&data));
    s.write("remote/big.bin.deadbeef.part", &vec![0u8; 1000]);
    ferry(&s, &d, &["get", "-c", &url, "dl2/"]).expect(0);
    assert_eq!(sha256_hex(&s.read("dl2/big.bin")), sha256_hex(&data));
}

#[test]
fn sftp_host_key_policies_fail_closed() {
    let s = Sandbox::new();
    let d = Sshd::start();
    s.write("remote/a.txt", b"a");
    let url = d.url(&s.path("remote"));
    let key = d.path("id_ed25519").display().to_string();
    let run = |extra: &[&str]| {
        let mut args = vec!["mirror", &url, "got", "--key-file", &key];
        args.extend_from_slice(extra);
        s.run(&args)
    };
    // Unknown host: exit 3, fingerprint printed, nothing transferred.
    let empty = s.p("empty_known_hosts");
    std::fs::write(&empty, "").unwrap();
    let r = run(&["--known-hosts", &empty]).expect(3);
    assert!(r.stderr.contains(&d.fingerprint()), "{}", r.stderr);
    assert!(!s.exists("got"));
    // Changed key: another key recorded for this host.
    let other = s.path("other");
    crate::support::sshd::keygen(&other, "ed25519");
    let other_pub = std::fs::read_to_string(s.path("other.pub")).unwrap();
    let other_pub: Vec<&str> = other_pub.split_whitespace().take(2).collect();
    let changed = s.p("changed_known_hosts");
    std::fs::write(&changed, format!("[127.0.0.1]:{} {}\n", d.port, other_pub.join(" "))).unwrap();
    let r = run(&["--known-hosts", &changed]).expect(3);
    assert!(r.stderr.contains("CHANGED"), "{}", r.stderr);
    // Corrupt known_hosts
    let corrupt = s.p("corrupt_known_hosts");
    std::fs::write(&corrupt, format!("[127.0.0.1]:{} ssh-ed25519 !!!notbase64!!!\n", d.port)).unwrap();
    run(&["--known-hosts", &corrupt]).expect(3);
    // Pinned: right and wrong
    let wrong = "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    let r = run(&["--known-hosts", &empty, "--host-key", wrong]).expect(3);
    assert!(r.stderr.contains("does not match the pinned"), "{}", r.stderr);
    assert!(!s.exists("got"));
    run(&["--known-hosts", &empty, "--host-key", &d.fingerprint()]).expect(0);
    assert_eq!(s.read("got/a.txt"), b"a");
    // accept-new records the key, then it is known; it never accepts a changed key.
    let fresh = s.p("fresh_known_hosts");
    run(&["--known-hosts", &fresh, "--host-key", "accept-new"]).expect(0);
    assert!(std::fs::read_to_string(&fresh).unwrap().contains("ssh-ed25519"));
    run(&["--known-hosts", &fresh]).expect(0);
    run(&["--known-hosts", &changed, "--host-key", "accept-new"]).expect(3);
}

#[test]
fn sftp_auth_failures_exit_3() {
    let s = Sandbox::new();
    let d = Sshd::start();
    let url = d.url(&s.path(""));
    let stranger = s.path("stranger");
    crate::support::sshd::keygen(&stranger, "ed25519");
    let kh = d.path("known_hosts").display().to_string();
    let r = s.run(&["ls", &url, "--key-file", stranger.to_str().unwrap(), "--known-hosts", &kh]).expect(3);
    assert!(r.stderr.contains("authentication failed"), "{}", r.stderr);
    let r = s.run(&["ls", &url, "--key-file", "/nonexistent/key", "--known-hosts", &kh]).expect(3);
    assert!(r.stderr.contains("/nonexistent/key"), "{}", r.stderr);
    let r = s.run(&["ls", &format!("sftp://u@127.0.0.1:{}/", crate::support::sshd::free_port())]).expect(3);
    assert!(r.stderr.contains("connect"), "{}", r.stderr);
}
