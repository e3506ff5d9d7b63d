//! Structured logs: JSON lines parse, and -q keeps stderr quiet.

use crate::support::Sandbox;

#[test]
fn json_log_lines_all_parse() {
    let s = Sandbox::new();
    s.tree("src", 30, 3, 100);
    s.write("dst/extra.txt", b"x");
    let log = s.p("ferry.log");
    s.run(&["-vv", "--log-format", "json", "--log-file", &log, "mirror", "src", "dst", "--delete"]).expect(0);
    let text = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.len() > 30, "one event per transfer at least, got {}", lines.len());
    let mut transferred = 0;
    for l in &lines {
        let v: serde_json::Value = serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}"));
        assert!(v["level"].is_string() && v["timestamp"].is_string());
        if v["fields"]["message"] == "transferred" {
            transferred += 1;
            assert!(v["fields"]["sha256"].as_str().unwrap().len() == 64);
        }
    }
    assert_eq!(transferred, 30);
    // JSON logs on stderr are one object per line too.
    let r = s.run(&["-v", "--log-format", "json", "mirror", "src", "dst2"]).expect(0);
    let json_lines: Vec<&str> = r.stderr.lines().filter(|l| l.starts_with('{')).collect();
    assert!(!json_lines.is_empty());
    for l in json_lines {
        serde_json::from_str::<serde_json::Value>(l).unwrap();
    }
}

#[test]
fn quiet_prints_nothing_on_success() {
    let s = Sandbox::new();
    s.tree("src", 3, 1, 10);
    let r = s.run(&["-q", "mirror", "src", "dst"]).expect(0);
    assert_eq!(r.stderr, "");
    let r = s.run(&["mirror", "src", "dst2"]).expect(0);
    assert!(r.stderr.contains("3 files"), "summary line: {}", r.stderr);
}

#[test]
fn every_stderr_line_is_json_under_log_format_json() {
    let s = Sandbox::new();
    s.write("src/good.txt", b"g");
    s.write("src/esc\x1b[31mred.txt", b"b");
    s.write("src/sub/x.txt", b"x");
    s.write("dst/sub", b"a file where the source has a directory");
    s.write(
        "j.yaml",
        b"version: 1\nremotes:\n  gone:\n    url: sftp://u@127.0.0.1:1/\n    password_env: GONE_PW\njobs:\n  local:\n    push: ./src\n    to: ./dst\n    on_failure: { exec: \"echo hook says hi; echo hook err >&2\" }\n  remote:\n    pull: gone:/out\n    to: ./in\n    retries: 0\n",
    );
    let r = s.run_env(&["--log-format", "json", "run", "j.yaml"], &[("GONE_PW", "pw-not-shown")]).expect(3);
    assert_eq!(r.stdout, "", "hook output goes to stderr as JSON, not to the report stream");
    let mut events = std::collections::BTreeMap::<String, Vec<serde_json::Value>>::new();
    for l in r.stderr.lines() {
        let v: serde_json::Value = serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}"));
        assert!(v["timestamp"].is_string() && v["level"].is_string() && v["fields"]["message"].is_string(), "{l}");
        let ev = v["fields"]["event"].as_str().unwrap_or("log").to_string();
        events.entry(ev).or_default().push(v["fields"].clone());
    }
    let one = |ev: &str| events.get(ev).unwrap_or_else(|| panic!("no {ev} line in {}", r.stderr));
    assert_eq!(one("refused").len(), 1);
    assert_eq!(one("refused")[0]["job"], "local");
    assert!(one("failure").iter().any(|f| f["dst"] == "sub/x.txt" && f["kind"] == "io"), "{}", r.stderr);
    let summary = &one("summary")[0];
    assert_eq!((summary["files"].as_u64(), summary["refused"].as_u64()), (Some(1), Some(1)), "{summary}");
    let hook: Vec<(&str, &str)> =
        one("hook_output").iter().map(|h| (h["stream"].as_str().unwrap(), h["message"].as_str().unwrap())).collect();
    assert!(hook.contains(&("stdout", "hook says hi")) && hook.contains(&("stderr", "hook err")), "{hook:?}");
    let err = &one("error")[0];
    assert_eq!((err["job"].as_str(), err["exit_code"].as_u64()), (Some("remote"), Some(3)), "{err}");
    assert!(!r.stderr.contains("pw-not-shown"));
    // Errors before anything runs: the argument parser's and a broken job file's.
    for args in [&["--log-format", "json", "get", "--bogus"][..], &["--log-format=json", "validate", "nope.yaml"][..]] {
        let r = s.run(args).expect(2);
        let lines: Vec<&str> = r.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "{}", r.stderr);
        let v: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
        assert_eq!((v["fields"]["event"].as_str(), v["fields"]["exit_code"].as_u64()), (Some("error"), Some(2)));
    }
    // Text output is unchanged.
    let r = s.run(&["put", "-r", "src", "dst2"]).expect(1);
    assert!(
        r.stderr.lines().all(|l| l.starts_with("ferry: ") || l.starts_with('\u{1b}') || l.contains("WARN") || l.contains("ERROR")),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("ferry: refused entry"), "{}", r.stderr);
}
