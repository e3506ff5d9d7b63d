//! The SFTP backend against OpenSSH's real sshd on 127.0.0.1: the conformance cases, mirrors of
//! a 2,000-file tree, host-key policies, resume.

use crate::conformance::{Remote, conformance};
use crate::support::serve::Served;
use crate::support::sshd::Sshd;
use crate::support::{Run, Sandbox, files_under, sha256_hex};

fn ferry(s: &Sandbox, d: &Sshd, args: &[&str]) -> Run {
    s.run_with(args, &d.flags(), &[])
}

#[test]
fn sftp_conformance_against_openssh_sshd() {
    let s = Sandbox::new();
    let r = Remote::sshd(&s);
    conformance(&s, &r);
    r.run(&s, &["rm", "-r", &r.base.split("//").take(2).collect::<Vec<_>>().join("//")]).expect(6);
}

#[test]
fn sftp_conformance_against_ferry_serve() {
    let s = Sandbox::new();
    let r = Remote::served(&s);
    conformance(&s, &r);
    r.run(&s, &["rm", "-r", &r.base]).expect(6);
}

#[test]
fn sftp_conformance_against_asyncssh() {
    let s = Sandbox::new();
    let r = Remote::asyncssh(&s);
    conformance(&s, &r);
}

/// asyncssh's handles are four-byte counters: from the 129th open file on they hold a byte
/// ≥ 0x80, which once came back to the server mangled ("Invalid file handle" for files 129+).
#[test]
fn sftp_handles_past_0x80_round_trip_against_asyncssh() {
    let s = Sandbox::new();
    let r = Remote::asyncssh(&s);
    let files = s.tree("local/tree", 300, 6, 64);
    r.run(&s, &["mirror", "local/tree", &r.url("dst"), "-P", "1"]).expect(0);
    assert_eq!(files_under(&r.root.join("dst")).len(), 300, "every file, no partial left");
    r.run(&s, &["mirror", &r.url("dst"), "back", "-P", "4"]).expect(0);
    for f in &files {
        let rel = f.strip_prefix("local/tree/").unwrap();
        assert_eq!(s.read(&format!("back/{rel}")), s.read(f), "{rel}");
    }
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

#[test]
fn openssh_sftp_client_against_ferry_serve() {
    let s = Sandbox::new();
    let root = s.path("served");
    std::fs::create_dir_all(root.join("in")).unwrap();
    std::fs::write(root.join("in/hello.txt"), b"hello from ferry").unwrap();
    let srv = Served::start(&root, None);
    s.write("upload.txt", b"uploaded by openssh");
    let batch = format!(
        "ls -l /in\nget /in/hello.txt {got}\nput {up} /in/\nrename /in/upload.txt /in/renamed.txt\nmkdir /new\nls /\n",
        got = s.p("got.txt"),
        up = s.p("upload.txt")
    );
    s.write("batch", batch.as_bytes());
    let out = std::process::Command::new("sftp")
        .args(["-q", "-b"])
        .arg(s.path("batch"))
        .arg("-i")
        .arg(srv.key())
        .arg("-o")
        .arg(format!("UserKnownHostsFile={}", srv.known_hosts().display()))
        .args(["-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes", "-P", &srv.port.to_string(), "tester@127.0.0.1"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("hello.txt"), "{stdout}");
    assert_eq!(s.read("got.txt"), b"hello from ferry");
    assert_eq!(std::fs::read(root.join("in/renamed.txt")).unwrap(), b"uploaded by openssh");
    assert!(root.join("new").is_dir());
}

#[test]
fn ferry_serve_is_confined_and_checks_passwords() {
    let s = Sandbox::new();
    let root = s.path("served");
    std::fs::create_dir_all(&root).unwrap();
    s.write("outside/secret.txt", b"secret");
    std::os::unix::fs::symlink(s.path("outside"), root.join("escape")).unwrap();
    std::fs::write(root.join("ok.txt"), b"ok").unwrap();
    let srv = Served::start(&root, Some(("alice", "correct horse")));
    let base = format!("sftp://alice@127.0.0.1:{}/", srv.port);
    let pin = ["--host-key", srv.fingerprint.as_str()];
    // `..` stops at the served directory.
    let r = s.run_env(&["ls", &format!("{base}../../"), "--password-env", "PW", pin[0], pin[1]], &[("PW", "correct horse")]).expect(0);
    assert!(r.stdout.contains("ok.txt"), "{}", r.stdout);
    // A symlink that leads outside is refused, and nothing outside is read or written.
    let r = s.run_env(
        &["get", &format!("{base}escape/secret.txt"), "stolen.txt", "--password-env", "PW", pin[0], pin[1]],
        &[("PW", "correct horse")],
    );
    assert_ne!(r.code, 0);
    assert!(!s.exists("stolen.txt"));
    s.write("x.txt", b"x");
    let r = s.run_env(&["put", "x.txt", &format!("{base}escape/"), "--password-env", "PW", pin[0], pin[1]], &[("PW", "correct horse")]);
    assert_ne!(r.code, 0);
    assert_eq!(files_under(&s.path("outside")), ["secret.txt"]);
    // Wrong password: exit 3, and the password is not echoed.
    let r = s.run_env(&["ls", &base, "--password-env", "PW", pin[0], pin[1]], &[("PW", "wrong-battery-staple")]).expect(3);
    assert!(!r.stderr.contains("wrong-battery-staple"));
    assert!(r.stderr.contains("authentication failed"), "{}", r.stderr);
}

#[test]
fn hostile_names_from_a_server_are_refused_one_by_one() {
    let s = Sandbox::new();
    let root = s.path("served");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(root.join("good.edi"), b"good").unwrap();
    std::fs::write(root.join("esc\x1b[2Jclear.edi"), b"bad").unwrap();
    std::fs::write(root.join("new\nline.edi"), b"bad").unwrap();
    let srv = Served::start(&root, None);
    let base = format!("sftp://tester@127.0.0.1:{}/", srv.port);
    let mut args = vec!["mirror".to_string(), base, s.p("got")];
    args.extend(srv.flags());
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let r = s.run(&refs).expect(1);
    assert_eq!(files_under(&s.path("got")), ["good.edi"]);
    assert_eq!(r.stderr.matches("refused entry").count(), 2, "{}", r.stderr);
    assert!(!r.stderr.contains('\x1b'), "escape sequences never reach the terminal");
}

#[test]
fn ssh_config_host_aliases_are_honoured() {
    let s = Sandbox::new();
    let d = Sshd::start();
    s.write("remote/alias.txt", b"via alias");
    let home = s.path("home");
    std::fs::create_dir_all(home.join(".ssh")).unwrap();
    std::fs::write(
        home.join(".ssh/config"),
        format!(
            "Host partner\n  HostName 127.0.0.1\n  Port {}\n  User {}\n  IdentityFile {}\n  UserKnownHostsFile {}\n",
            d.port,
            d.user,
            d.path("id_ed25519").display(),
            d.path("known_hosts").display()
        ),
    )
    .unwrap();
    let url = format!("sftp://partner/{}", s.path("remote/alias.txt").display());
    let r = s.run_env(&["cat", &url], &[("HOME", home.to_str().unwrap())]).expect(0);
    assert_eq!(r.stdout, "via alias");
}

#[test]
fn sftp_connections_pool_and_remote_hash_command() {
    let s = Sandbox::new();
    let d = Sshd::start();
    s.tree("remote/out", 40, 4, 1000);
    let src = d.url(&s.path("remote/out"));
    let r = ferry(&s, &d, &["mirror", &src, "pulled", "--connections", "3", "-P", "8", "--json"]).expect(0);
    assert_eq!(r.json()["report"]["summary"]["files"], 40);
    assert_eq!(files_under(&s.path("pulled")), files_under(&s.path("remote/out")));
    // With a remote hash command, --verify compares the server's SHA-256 of each upload, and
    // --checksum compares content without downloading it.
    let dst = d.url(&s.path("remote/in"));
    ferry(&s, &d, &["mirror", "pulled", &dst, "--verify", "--remote-hash-command", "sha256sum"]).expect(0);
    s.write("remote/in/d01/f00001.dat", &{
        let mut v = s.read("pulled/d01/f00001.dat");
        v[0] ^= 1;
        v
    });
    let when = std::fs::metadata(s.path("pulled/d01/f00001.dat")).unwrap().modified().unwrap();
    std::fs::File::options().write(true).open(s.path("remote/in/d01/f00001.dat")).unwrap().set_modified(when).unwrap();
    let r = ferry(&s, &d, &["check", "pulled", &dst, "--checksum", "--remote-hash-command", "sha256sum"]).expect(1);
    assert!(r.stdout.contains("d01/f00001.dat"), "{}", r.stdout);
    let r = ferry(&s, &d, &["check", "pulled", &dst]).expect(0);
    assert!(r.stdout.is_empty(), "size+mtime cannot see it: {}", r.stdout);
}

#[test]
fn netrc_password_and_hashed_known_hosts() {
    let s = Sandbox::new();
    let root = s.path("served");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(root.join("f.txt"), b"netrc ok").unwrap();
    let srv = Served::start(&root, Some(("carol", "from-netrc")));
    s.write("netrc", b"machine 127.0.0.1\n  login carol\n  password from-netrc\n");
    // A hashed known_hosts entry (ssh-keygen -H), as many distributions write them.
    let kh = srv.known_hosts();
    let out = std::process::Command::new("ssh-keygen").arg("-H").arg("-f").arg(&kh).output().unwrap();
    assert!(out.status.success());
    assert!(std::fs::read_to_string(&kh).unwrap().starts_with("|1|"), "hashed");
    let url = format!("sftp://carol@127.0.0.1:{}/f.txt", srv.port);
    let r = s.run_env(&["cat", &url, "--known-hosts", kh.to_str().unwrap()], &[("NETRC", s.p("netrc").as_str())]).expect(0);
    assert_eq!(r.stdout, "netrc ok");
    s.write("netrc", b"machine 127.0.0.1 login carol password wrong\n");
    s.run_env(&["cat", &url, "--known-hosts", kh.to_str().unwrap()], &[("NETRC", s.p("netrc").as_str())]).expect(3);
}

#[test]
fn names_no_real_server_sends_are_refused_and_nothing_escapes() {
    let s = Sandbox::new();
    let srv = crate::support::hostile::HostileServer::start();
    let url = format!("sftp://anyone@127.0.0.1:{}/out", srv.port);
    let mut args = vec!["mirror".to_string(), url, s.p("got/inbox")];
    args.extend(srv.flags());
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let r = s.run(&refs).expect(1);
    assert_eq!(files_under(&s.path("got")), ["inbox/good.edi"], "only the safe name arrived");
    assert_eq!(s.read("got/inbox/good.edi"), b"GOOD");
    // `.` and `..` are skipped silently; each other hostile name is refused by name.
    let refused: Vec<&str> = r.stderr.lines().filter(|l| l.contains("refused entry")).collect();
    assert_eq!(refused.len(), crate::support::hostile::HOSTILE.len() - 2, "{}", r.stderr);
    assert!(!r.stderr.contains('\x1b') && !r.stderr.contains('\r') && !r.stderr.contains('\x07'), "escaped in messages");
    assert!(!s.exists("escape.edi") && !s.exists("got/escape.edi") && !s.exists("got/evil.edi"));
    assert_eq!(files_under(s.dir.path()).iter().filter(|f| !f.starts_with(".state")).count(), 1, "nothing else written anywhere");
}

#[test]
fn doctor_lists_sftp_extensions_and_health() {
    let s = Sandbox::new();
    let d = Sshd::start();
    let out = ferry(&s, &d, &["doctor", "--json", &d.url(&s.path(""))]).expect(0);
    let j = out.json();
    assert_eq!(j["reachable"], true);
    assert!(j["noop_ms"].is_number() && j["connect_ms"].is_u64(), "{j}");
    let ext: Vec<String> = j["sftp_extensions"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect();
    assert!(ext.iter().any(|e| e.starts_with("posix-rename@openssh.com")), "{ext:?}");
}

/// Deterministic bytes that differ from offset to offset (a misplaced resume shows).
fn pattern(n: usize) -> Vec<u8> {
    (0..n as u32).map(|i| (i.wrapping_mul(2654435761) >> 11) as u8).collect()
}

#[test]
fn sftp_continues_a_half_file_left_under_the_final_name_both_ways() {
    use crate::support::faultproxy::{Dir, FaultProxy};
    const MIB: usize = 1 << 20;
    let s = Sandbox::new();
    let d = Sshd::start();
    let data = pattern(6 * MIB);
    s.write("remote/big.bin", &data);
    std::fs::create_dir_all(s.path("remote/up")).unwrap();
    // Every byte goes through a counting proxy; the host key is pinned since known_hosts names
    // the real port.
    let p = FaultProxy::counting(d.port);
    let url = |rel: &str| format!("sftp://{}@127.0.0.1:{}/{}", d.user, p.port, s.path(rel).display());
    let flags = vec!["--key-file".into(), d.path("id_ed25519").display().to_string(), "--host-key".into(), d.fingerprint()];
    // The first half, as an interrupted curl -o or wget leaves it under the final name.
    s.write("dl/big.bin", &data[..3 * MIB]);
    let plan = s.run_with(&["get", "-c", &url("remote/big.bin"), "dl/big.bin", "--dry-run"], &flags, &[]).expect(0);
    assert!(plan.stdout.contains("resume from 3145728 (existing file"), "{}", plan.stdout);
    let before = p.bytes(Dir::Down);
    let j = s.run_with(&["get", "-c", &url("remote/big.bin"), "dl/big.bin", "--verify", "--json"], &flags, &[]).expect(0).json();
    let down = p.bytes(Dir::Down) - before;
    assert!(down < 6 * MIB * 7 / 10, "{down} bytes came down for the second half of {}", 6 * MIB);
    assert_eq!(j["report"]["summary"]["bytes"], 3 * MIB);
    assert!(s.read("dl/big.bin") == data, "the continued file is the source");
    assert_eq!(files_under(&s.path("dl")), ["big.bin"], "no partial left");

    // Upload: the server holds the first half under the final name.
    s.write("dl/up.bin", &data);
    s.write("remote/up/up.bin", &data[..2 * MIB]);
    let before = p.bytes(Dir::Up);
    s.run_with(&["put", "-c", "dl/up.bin", &url("remote/up/"), "--verify"], &flags, &[]).expect(0);
    let up = p.bytes(Dir::Up) - before;
    assert!(up < 6 * MIB * 7 / 10, "{up} bytes went up for the last two thirds");
    assert!(s.read("remote/up/up.bin") == data, "the continued upload is the source");
    assert_eq!(files_under(&s.path("remote/up")), ["up.bin"]);

    // Longer than the source, or not a prefix of it: replaced from zero, and the plan says so.
    let mut longer = data.clone();
    longer.extend_from_slice(b"trailing bytes");
    s.write("dl2/big.bin", &longer);
    let plan = s.run_with(&["get", "-c", &url("remote/big.bin"), "dl2/big.bin", "--dry-run"], &flags, &[]).expect(0);
    assert!(plan.stdout.contains("copy     ") && !plan.stdout.contains("resume"), "{}", plan.stdout);
    s.run_with(&["get", "-c", &url("remote/big.bin"), "dl2/big.bin"], &flags, &[]).expect(0);
    assert!(s.read("dl2/big.bin") == data);
    let mut other = pattern(3 * MIB);
    other.iter_mut().for_each(|b| *b ^= 0x5a);
    s.write("dl3/big.bin", &other);
    let j = s.run_with(&["get", "-c", &url("remote/big.bin"), "dl3/big.bin", "--json"], &flags, &[]).expect(0).json();
    assert_eq!(j["report"]["summary"]["bytes"], 6 * MIB, "a different prefix is not spliced");
    assert!(s.read("dl3/big.bin") == data);
    // A prefix whose last 64 KiB match but an earlier byte does not: --verify (the server's
    // sha256sum of the source against the local file) finds it and it is sent again from zero.
    let mut bad = data[..3 * MIB].to_vec();
    bad[1000] ^= 0xff;
    s.write("dl5/big.bin", &bad);
    let r = s.run_with(&["get", "-c", &url("remote/big.bin"), "dl5/big.bin", "--verify", "--json"], &flags, &[]).expect(0);
    assert!(r.stderr.contains("failed verification; transferring it again from zero"), "{}", r.stderr);
    assert_eq!(r.json()["report"]["summary"]["bytes"], 6 * MIB);
    assert!(s.read("dl5/big.bin") == data);
    // Without -c a one-off get copies from zero, as before.
    s.write("dl4/big.bin", &data[..3 * MIB]);
    let j = s.run_with(&["get", &url("remote/big.bin"), "dl4/big.bin", "--json"], &flags, &[]).expect(0).json();
    assert_eq!(j["report"]["summary"]["bytes"], 6 * MIB);
}

#[test]
fn sftp_check_checksum_detects_the_servers_sha256_command_and_finds_a_same_size_change() {
    let s = Sandbox::new();
    let d = Sshd::start();
    for i in 0..5 {
        s.write(&format!("remote/t/f{i}.dat"), format!("file {i} {}", "x".repeat(5000)).as_bytes());
    }
    ferry(&s, &d, &["get", "-r", &d.url(&s.path("remote/t")), "copy"]).expect(0);
    // One byte changed in place: same size, mtime put back, so only a checksum can tell.
    let p = s.path("copy/f3.dat");
    let mtime = std::fs::metadata(&p).unwrap().modified().unwrap();
    let mut body = std::fs::read(&p).unwrap();
    body[100] ^= 1;
    std::fs::write(&p, &body).unwrap();
    std::fs::File::options().write(true).open(&p).unwrap().set_modified(mtime).unwrap();
    ferry(&s, &d, &["check", &d.url(&s.path("remote/t")), "copy"]).expect(0);
    let r = ferry(&s, &d, &["-v", "check", "--checksum", &d.url(&s.path("remote/t")), "copy"]).expect(1);
    assert_eq!(r.stdout.lines().collect::<Vec<_>>(), ["differs  f3.dat  (changed (checksum))"], "{}", r.stdout);
    assert!(r.stderr.contains("remote SHA-256 command detected") && r.stderr.contains("command=\"sha256sum\""), "{}", r.stderr);
    assert!(!r.stderr.contains("reading them through"), "the server hashed: {}", r.stderr);
    // Kept in the server profile: the next session does not ask again; doctor shows it.
    let r = ferry(&s, &d, &["-v", "check", "--checksum", &d.url(&s.path("remote/t")), "copy"]).expect(1);
    assert!(!r.stderr.contains("detected"), "{}", r.stderr);
    let doc = ferry(&s, &d, &["doctor", "--json", &d.url(&s.path("remote"))]).expect(0).json();
    assert_eq!(doc["sha256_command"], "sha256sum");
    // --download reads both sides through; the answer is the same.
    let r = ferry(&s, &d, &["check", "--download", &d.url(&s.path("remote/t")), "copy"]).expect(1);
    assert!(r.stdout.contains("f3.dat") && r.stderr.contains("reading them through the connection (--download)"), "{}", r.stderr);
    // `remote_hash_command: none` turns the server's hash off: read through, said once.
    let r = ferry(&s, &d, &["check", "--checksum", "--remote-hash-command", "none", &d.url(&s.path("remote/t")), "copy"]).expect(1);
    assert_eq!(r.stderr.matches("reading them through the connection").count(), 1, "{}", r.stderr);
    assert!(r.stdout.contains("f3.dat"));
    // Errors are not differences: a missing side exits 4, an unreachable server 3.
    ferry(&s, &d, &["check", "--checksum", &d.url(&s.path("remote/nope")), "copy"]).expect(4);
    s.run(&["check", "--checksum", "sftp://u@127.0.0.1:1/x", "copy", "--retries", "0"]).expect(3);
}

#[test]
fn sftp_staged_upload_shows_only_complete_files_against_sshd() {
    let s = Sandbox::new();
    let r = Remote::sshd(&s);
    crate::conformance::staged_upload(&s, &r);
}
