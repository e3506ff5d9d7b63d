//! Safety promises: nothing written outside the target root, hostile names refused one by one,
//! secrets never printed, roots never removed.

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
