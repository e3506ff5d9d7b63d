//! Safety promises: nothing written outside the target root, hostile names refused one by one,
//! secrets never printed, roots never removed.

use crate::conformance::Remote;
use crate::support::{Sandbox, files_under};
use std::os::unix::fs::symlink;

#[test]
fn symlink_planted_in_target_is_not_followed_out() {
    let s = Sandbox::new();
    s.write("src/sub/evil.txt", b"payload");
    s.write("src/ok.txt", b"fine");
    std::fs::create_dir_all(s.path("outside")).unwrap();
    std::fs::create_dir_all(s.path("dst")).unwrap();
    // dst/sub -> ../outside: a write through it would land outside the target root.
    symlink(s.path("outside"), s.path("dst/sub")).unwrap();
    let r = s.run(&["mirror", "src", "dst"]).expect(1);
    assert!(r.stderr.contains("sub"), "the error names the entry: {}", r.stderr);
    assert!(files_under(&s.path("outside")).is_empty(), "nothing written outside the target root");
    assert_eq!(s.read("dst/ok.txt"), b"fine", "other entries still transfer");

    // The final component planted as a symlink to a file outside: replaced, never written through.
    s.write("victim.txt", b"do not touch");
    std::fs::remove_file(s.path("dst/sub")).unwrap();
    std::fs::create_dir_all(s.path("dst/sub")).unwrap();
    symlink(s.path("victim.txt"), s.path("dst/sub/evil.txt")).unwrap();
    s.run(&["mirror", "src", "dst"]).expect(0);
    assert_eq!(s.read("victim.txt"), b"do not touch");
    assert_eq!(s.read("dst/sub/evil.txt"), b"payload");
    assert!(!s.path("dst/sub/evil.txt").symlink_metadata().unwrap().file_type().is_symlink());
}

#[test]
fn hostile_local_names_are_refused_one_by_one() {
    let s = Sandbox::new();
    s.write("src/good.txt", b"good");
    s.write("src/esc\x1b[31mred.txt", b"bad");
    s.write("src/cr\rname.txt", b"bad");
    let r = s.run(&["mirror", "src", "dst"]).expect(1);
    assert_eq!(files_under(&s.path("dst")), ["good.txt"]);
    let refused: Vec<&str> = r.stderr.lines().filter(|l| l.contains("refused entry")).collect();
    assert_eq!(refused.len(), 2, "{}", r.stderr);
    assert!(!r.stderr.contains('\x1b') && !r.stderr.contains('\r'), "control characters are escaped in messages");
}

#[test]
fn password_from_env_never_appears_in_any_output() {
    let s = Sandbox::new();
    let secret = "Sup3r-S3cret-Passw0rd";
    s.tree("src", 3, 1, 10);
    let log = s.p("log.json");
    let env = [("FERRY_TEST_PW", secret)];
    let outputs = [
        s.run_env(
            &["-vv", "--log-format", "json", "--log-file", &log, "mirror", "src", "dst", "--password-env", "FERRY_TEST_PW", "--json"],
            &env,
        ),
        s.run_env(&["-vv", "mirror", "src", "dst2", "--password-env", "FERRY_TEST_PW", "-n", "--json"], &env),
        s.run_env(&["-vv", "ls", "-l", "dst", "--password-env", "FERRY_TEST_PW"], &env),
        s.run_env(&["-vv", "get", "sftp://bob@127.0.0.1:1/x", "--password-env", "FERRY_TEST_PW"], &env),
        s.run_env(&["-vv", "get", &format!("sftp://bob:{secret}@127.0.0.1:1/x")], &env),
    ];
    for o in &outputs {
        assert!(!o.stdout.contains(secret) && !o.stderr.contains(secret), "secret leaked:\n{}\n{}", o.stdout, o.stderr);
    }
    assert!(outputs[0].code == 0 && outputs[1].code == 0 && outputs[2].code == 0);
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(!logged.is_empty() && !logged.contains(secret));
    // An unset variable is a usage error that names the variable, not a value.
    let r = s.run(&["mirror", "src", "dst", "--password-env", "FERRY_TEST_NOT_SET"]).expect(2);
    assert!(r.stderr.contains("FERRY_TEST_NOT_SET"), "{}", r.stderr);
}

#[test]
fn rm_refuses_roots() {
    let s = Sandbox::new();
    s.write("keep/a.txt", b"a");
    for root in ["/", ".", "./", "sftp://h/", "sftp://h//", "ftp://h"] {
        let r = s.run(&["rm", "-r", root]).expect(6);
        assert!(r.stderr.contains("refusing"), "{root}: {}", r.stderr);
    }
    // One root among several arguments: nothing at all is removed.
    s.run(&["rm", "-r", "keep", "."]).expect(6);
    assert!(s.exists("keep/a.txt"));
}

#[test]
fn unreadable_inputs_are_usage_errors_naming_the_file() {
    let s = Sandbox::new();
    s.write("src/a.txt", b"a");
    let r = s.run(&["mirror", "src", "dst", "--filter-from", "missing-rules.txt"]).expect(2);
    assert!(r.stderr.contains("missing-rules.txt"), "{}", r.stderr);
    let r = s.run(&["run", "missing-jobs.yaml"]).expect(2);
    assert!(r.stderr.contains("missing-jobs.yaml"), "{}", r.stderr);
    let r = s.run(&["mirror", "src", "dst", "--password-file", "no-such-secret"]).expect(2);
    assert!(r.stderr.contains("no-such-secret"), "{}", r.stderr);
    assert!(!s.exists("dst"), "nothing ran");
}

#[test]
fn target_that_is_a_file_is_a_usage_error() {
    let s = Sandbox::new();
    s.write("src/a.txt", b"a");
    s.write("dst", b"i am a file");
    let r = s.run(&["mirror", "src", "dst"]).expect(2);
    assert!(r.stderr.contains("not a directory"), "{}", r.stderr);
    assert_eq!(s.read("dst"), b"i am a file");
}

/// The base of a server URL (`scheme://user@host:port`), without any path.
fn server_of(base: &str) -> String {
    let (scheme, rest) = base.split_once("://").unwrap();
    format!("{scheme}://{}", rest.split('/').next().unwrap())
}

/// `rm -r` of every spelling that climbs to or above a directory is refused with exit 6 and
/// removes nothing; a `..` in the middle resolves, and removes exactly what it names.
/// `server_roots` adds `//` and `/./` (the server's `/` and the login directory) where the
/// server is jailed, so a broken guard could never reach this machine's own `/` or a home.
fn rm_guard_cases(s: &Sandbox, r: &Remote, server_roots: bool) {
    for f in ["X/Y/a.txt", "X/Z/b.txt", "keep.txt"] {
        let p = r.root.join(f);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, b"x").unwrap();
    }
    // vsftpd's anonymous sessions run as `ftp`: let them remove what this test (root) made.
    use std::os::unix::fs::PermissionsExt;
    for d in ["X", "X/Y", "X/Z"] {
        std::fs::set_permissions(r.root.join(d), std::fs::Permissions::from_mode(0o777)).unwrap();
    }
    let before = files_under(&r.root);
    let url_spellings = r.base.contains("://");
    let mut cases: Vec<String> = ["X/..", "X/%2e%2e", "./.", "X/Y/../..", "X/Y/%2E%2E/", "X/Y/../../"]
        .iter()
        .filter(|c| url_spellings || !c.contains('%'))
        .map(|c| r.url(c))
        .collect();
    if server_roots {
        let server = server_of(&r.base);
        cases.extend([format!("{server}//"), format!("{server}/./"), format!("{server}/"), format!("{server}/X/../")]);
    }
    for url in &cases {
        let out = r.run(s, &["rm", "-r", url]).expect(6);
        assert!(out.stderr.contains("refusing"), "{url}: {}", out.stderr);
        assert_eq!(files_under(&r.root), before, "{url} removed something");
    }
    r.run(s, &["rm", "-r", &r.url("X/Y/../Z")]).expect(0);
    assert_eq!(files_under(&r.root), ["X/Y/a.txt", "keep.txt"], "exactly X/Z went");
    // mv of a dot spelling is refused the same way.
    r.run(s, &["mv", &r.url("X/Y/.."), &r.url("moved")]).expect(6);
    assert!(r.root.join("X/Y/a.txt").exists());
}

#[test]
fn rm_resolves_dot_segments_before_the_guard_locally() {
    let s = Sandbox::new();
    let root = s.path("tree");
    let r = Remote { base: s.p("tree"), root: root.clone(), flags: vec![], _server: Box::new(()) };
    rm_guard_cases(&s, &r, false);
    // file:// URLs are percent-decoded: `%2e%2e` is `..` there too.
    let url = format!("file://{}/X/%2e%2e", root.display());
    s.run(&["rm", "-r", &url]).expect(6);
    // Run from inside the tree: the working directory and its parents are protected.
    for p in [".", "..", "../..", "/", "./", "X/.."] {
        let mut c = s.cmd(&["rm", "-r", p]);
        let out = c.current_dir(root.join("X")).output().unwrap();
        assert_eq!(out.status.code(), Some(6), "{p}: {}", String::from_utf8_lossy(&out.stderr));
    }
    let out = s.cmd(&["rm", "-r", &root.display().to_string()]).current_dir(root.join("X/Y")).output().unwrap();
    assert_eq!(out.status.code(), Some(6), "an ancestor of the working directory is protected");
    assert!(root.join("X/Y/a.txt").exists());
}

#[test]
fn rm_resolves_dot_segments_before_the_guard_on_served_sftp() {
    let s = Sandbox::new();
    let r = Remote::served(&s);
    rm_guard_cases(&s, &r, true);
}

#[test]
fn rm_resolves_dot_segments_before_the_guard_on_served_ftp() {
    let s = Sandbox::new();
    let r = Remote::served_ftp(&s, false);
    rm_guard_cases(&s, &r, true);
}

#[test]
fn rm_resolves_dot_segments_before_the_guard_on_vsftpd() {
    let s = Sandbox::new();
    let r = Remote::vsftpd(Default::default());
    rm_guard_cases(&s, &r, true);
}

#[test]
fn rm_resolves_dot_segments_before_the_guard_on_sshd() {
    let s = Sandbox::new();
    let r = Remote::sshd(&s);
    rm_guard_cases(&s, &r, false);
}

#[test]
fn mirror_delete_refuses_a_target_above_the_working_directory() {
    let s = Sandbox::new();
    s.write("work/src/a.txt", b"a");
    s.write("other.txt", b"keep me");
    let before = files_under(s.dir.path());
    let out = s.cmd(&["mirror", "--delete", "src", ".."]).current_dir(s.path("work")).output().unwrap();
    assert_eq!(out.status.code(), Some(6), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("refusing to delete"));
    assert_eq!(files_under(s.dir.path()), before, "nothing deleted or copied");
}

/// `get` onto a FIFO, a device node or a symlink to a device writes into it, as `cp` and
/// `curl -o` do, and never replaces it with a regular file; a full device is a clear failure.
#[test]
fn get_writes_into_fifos_and_devices_without_replacing_them() {
    use std::os::unix::fs::FileTypeExt;
    let s = Sandbox::new();
    let r = Remote::served(&s);
    std::fs::write(r.root.join("inv.edi"), b"UNB+UNOC:3'").unwrap();
    let url = r.url("inv.edi");

    // A FIFO: the reader gets the bytes, the FIFO stays a FIFO.
    let fifo = s.path("pipe");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(fifo).unwrap())
    };
    r.run(&s, &["get", &url, &s.p("pipe")]).expect(0);
    assert_eq!(reader.join().unwrap(), b"UNB+UNOC:3'");
    assert!(fifo.symlink_metadata().unwrap().file_type().is_fifo());

    // A copy of /dev/null (a character device made here, never the system's) and a symlink
    // to it: written into, both left as they were.
    let dev = s.path("null-copy");
    assert!(std::process::Command::new("mknod").arg(&dev).args(["c", "1", "3"]).status().unwrap().success());
    symlink(&dev, s.path("null-link")).unwrap();
    r.run(&s, &["get", &url, &s.p("null-copy")]).expect(0);
    r.run(&s, &["get", &url, &s.p("null-link")]).expect(0);
    assert!(dev.symlink_metadata().unwrap().file_type().is_char_device());
    assert!(s.path("null-link").symlink_metadata().unwrap().file_type().is_symlink());
    assert_eq!(files_under(s.dir.path()).iter().filter(|f| f.contains(".part")).count(), 0, "no temporary files");

    // A copy of /dev/full: no space left, exit 1, the device untouched.
    let full = s.path("full-copy");
    assert!(std::process::Command::new("mknod").arg(&full).args(["c", "1", "7"]).status().unwrap().success());
    let out = r.run(&s, &["get", &url, &s.p("full-copy")]).expect(1);
    assert!(out.stderr.contains("full-copy") && out.stderr.contains("No space"), "{}", out.stderr);
    assert!(full.symlink_metadata().unwrap().file_type().is_char_device());
}

/// One unreadable subdirectory is refused by name (exit 1); the rest of the tree transfers and
/// no delete runs. Run as an unprivileged user, since root reads every directory.
#[test]
fn an_unreadable_subdirectory_is_refused_and_the_rest_transfers() {
    use std::os::unix::fs::PermissionsExt;
    let s = Sandbox::new();
    s.write("src/ok/a.txt", b"a");
    s.write("src/locked/secret.txt", b"s");
    s.write("src/top.txt", b"t");
    s.write("dst/stale.txt", b"old");
    std::fs::set_permissions(s.dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    for d in ["src", "src/ok", "dst"] {
        std::fs::set_permissions(s.path(d), std::fs::Permissions::from_mode(0o777)).unwrap();
    }
    std::fs::set_permissions(s.path("src/locked"), std::fs::Permissions::from_mode(0o000)).unwrap();
    let as_nobody = |args: &[&str]| {
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"]).arg(crate::support::bin()).args(args);
        c.current_dir(s.dir.path()).env("XDG_STATE_HOME", s.path(".state-nobody")).stdin(std::process::Stdio::null());
        let o = c.output().unwrap();
        (o.status.code(), String::from_utf8_lossy(&o.stderr).into_owned())
    };
    let (code, err) = as_nobody(&["mirror", "--delete", "src", "dst"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("refused entry locked/") && err.contains("cannot list"), "{err}");
    assert_eq!(files_under(&s.path("dst")), ["ok/a.txt", "stale.txt", "top.txt"], "the rest copied, nothing deleted");
    let (code, err) = as_nobody(&["put", "-r", "src", "dst2"]);
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(files_under(&s.path("dst2")), ["ok/a.txt", "top.txt"]);
    std::fs::set_permissions(s.path("src/locked"), std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn an_unreadable_remote_subdirectory_is_refused_and_the_rest_transfers() {
    use std::os::unix::fs::PermissionsExt;
    let s = Sandbox::new();
    let r = Remote::vsftpd(Default::default());
    for (f, d) in [("ok/a.txt", b"a"), ("locked/secret.txt", b"s"), ("top.txt", b"t")] {
        let p = r.root.join("pub").join(f);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, d).unwrap();
    }
    // vsftpd's anonymous sessions run as `ftp`, which cannot enter a mode-000 directory.
    std::fs::set_permissions(r.root.join("pub/locked"), std::fs::Permissions::from_mode(0o000)).unwrap();
    s.write("in/stale.txt", b"old");
    let out = r.run(&s, &["mirror", "--delete", &r.url("pub"), "in"]).expect(1);
    assert!(out.stderr.contains("refused entry locked/"), "{}", out.stderr);
    assert_eq!(files_under(&s.path("in")), ["ok/a.txt", "stale.txt", "top.txt"], "the rest copied, nothing deleted");
}
