//! Bad input never crashes, hangs or floods: limits with one clear line and exit 2.

use crate::support::Sandbox;
use std::time::{Duration, Instant};

fn job_with(include: &str) -> String {
    format!("version: 1\njobs:\n  in:\n    pull: ./out\n    to: ./in\n    include: {include}\n")
}

#[test]
fn a_giant_glob_is_refused_not_a_panic() {
    let s = Sandbox::new();
    let pattern = "*a".repeat(500_000);
    s.write("jobs.yaml", job_with(&format!("[\"{pattern}\"]")).as_bytes());
    let r = s.run(&["validate", "jobs.yaml"]).expect(2);
    assert!(r.stderr.contains("jobs.yaml:6:") && r.stderr.contains("longer than 4096 bytes"), "{}", &r.stderr[..r.stderr.len().min(600)]);
    assert!(r.stderr.len() < 2000, "the message is bounded ({} bytes)", r.stderr.len());
    assert!(!r.stderr.contains("panicked"));
    // The longest accepted pattern of the worst shape still compiles, on the command line too.
    s.write("out/a.txt", b"a");
    let worst = "*a".repeat(2048);
    s.run(&["mirror", "out", "in", "--include", &worst]).expect(0);
    let r = s.run(&["mirror", "out", "in", "--include", &format!("{worst}*")]).expect(2);
    assert!(r.stderr.contains("longer than 4096 bytes"), "{}", &r.stderr[..r.stderr.len().min(600)]);
}

#[test]
fn a_hundred_thousand_globs_are_refused_at_once() {
    let s = Sandbox::new();
    let list: Vec<String> = (0..100_000).map(|i| format!("\"f{i}*.edi\"")).collect();
    s.write("jobs.yaml", job_with(&format!("[{}]", list.join(", "))).as_bytes());
    let t = Instant::now();
    let r = s.run(&["validate", "jobs.yaml"]).expect(2);
    assert!(t.elapsed() < Duration::from_secs(20), "took {:?}", t.elapsed());
    assert!(r.stderr.contains("100000 glob patterns: at most 10000"), "{}", r.stderr);
}

#[test]
fn a_host_that_cannot_connect_is_a_validation_error() {
    let s = Sandbox::new();
    s.write(
        "jobs.yaml",
        b"version: 1\nremotes:\n  acme:\n    url: sftp://edi:${FERRY_TEST_SECRET}@bad host/\njobs:\n  in:\n    pull: acme:out\n    to: ./in\n",
    );
    let r = s.run_env(&["validate", "jobs.yaml"], &[("FERRY_TEST_SECRET", "hunter2-secret")]).expect(2);
    assert!(r.stderr.contains("jobs.yaml:4:") && r.stderr.contains("bad host \"bad host\""), "{}", r.stderr);
    assert!(!r.stderr.contains("hunter2-secret"), "{}", r.stderr);
    for url in ["sftp://u@bad host/x", "ftp://h:0/", "ftp://[::1/x"] {
        let r = s.run(&["ls", url]).expect(2);
        assert_eq!(r.stderr.lines().count(), 1, "{url}: {}", r.stderr);
    }
}

#[test]
fn oversized_and_exploding_job_files_are_refused_quickly() {
    let s = Sandbox::new();
    // Nine levels of aliases, each nine times the one before ("billion laughs").
    let mut y = String::from("version: 1\nx0: &a0 [\"lol\"]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 9].join(", ");
        y.push_str(&format!("x{i}: &a{i} [{refs}]\n"));
    }
    y.push_str("jobs:\n  in:\n    pull: ./out\n    to: ./in\n    include: *a9\n");
    s.write("laughs.yaml", y.as_bytes());
    let t = Instant::now();
    let r = s.run(&["validate", "laughs.yaml"]).expect(2);
    assert!(t.elapsed() < Duration::from_secs(10), "took {:?}", t.elapsed());
    assert!(r.stderr.len() < 4000 && r.stderr.contains("laughs.yaml"), "{}", r.stderr);
    s.write("big.yaml", &vec![b'#'; 5 << 20]);
    let r = s.run(&["validate", "big.yaml"]).expect(2);
    assert!(r.stderr.contains("at most 4194304"), "{}", r.stderr);
    // Deep nesting.
    let deep = format!("version: 1\njobs: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    s.write("deep.yaml", deep.as_bytes());
    let r = s.run(&["validate", "deep.yaml"]).expect(2);
    assert!(!r.stderr.contains("panicked") && r.stderr.len() < 4000, "{}", &r.stderr[..r.stderr.len().min(500)]);
}

#[test]
fn a_giant_reply_line_from_a_server_is_refused_with_a_bounded_message() {
    use crate::support::fakeftp::{FakeFtp, Script};
    let s = Sandbox::new();
    let f = FakeFtp::start(Script { giant_greeting: true, ..Default::default() });
    let t = Instant::now();
    let r = s.run_with(&["ls", &f.url("/"), "--connect-timeout", "5s"], &f.flags(), &[("FAKE_FTP_PW", "pw")]);
    assert_eq!(r.code, 3, "{}", &r.stderr[..r.stderr.len().min(600)]);
    assert!(t.elapsed() < Duration::from_secs(20), "took {:?}", t.elapsed());
    assert!(r.stderr.len() < 4000, "bounded ({} bytes)", r.stderr.len());
}
