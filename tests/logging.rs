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
