//! Job files: validate, run, plan, errors with line:column, shipped examples.

use crate::support::{Sandbox, files_under};
use std::path::Path;

/// Environment the shipped examples refer to.
const EXAMPLE_ENV: &[(&str, &str)] = &[
    ("BANK_PW", "example"),
    ("VENDOR_FTP_PW", "example"),
    ("CI_DEPLOY_KEY_FILE", "/nonexistent/key"),
    ("RELEASE", "1.4.2"),
    ("FERRY_DEMO", "/tmp/ferry-demo"),
    ("FERRY_DEMO_PORT", "2222"),
    ("FERRY_DEMO_PW", "example"),
    ("FERRY_DEMO_HOSTKEY", "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU"),
];

#[test]
fn every_shipped_example_validates() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("jobs-examples");
    let s = Sandbox::new();
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "yaml" || x == "yml") {
            let r = s.run_env(&["validate", p.to_str().unwrap()], EXAMPLE_ENV);
            assert_eq!(r.code, 0, "{}: {}", p.display(), r.stderr);
            assert!(r.stderr.contains("OK"), "{}", r.stderr);
            n += 1;
        }
    }
    assert!(n >= 4, "at least four examples, found {n}");
}

#[test]
fn demo_job_runs_end_to_end_against_ferry_serve() {
    let s = Sandbox::new();
    s.write("partner/outbound/inv-001.edi", b"UNB+UNOC:3+ACME+US'");
    s.write("partner/outbound/inv-002.edi", b"UNB+UNOC:3+ACME+US'2");
    s.write("partner/outbound/readme.txt", b"not delivered");
    let srv = crate::support::serve::Served::start(&s.path("partner"), Some(("demo", "demo-password")));
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("jobs-examples/demo.yaml");
    let port = srv.port.to_string();
    let env = [
        ("FERRY_DEMO", s.dir.path().to_str().unwrap()),
        ("FERRY_DEMO_PORT", port.as_str()),
        ("FERRY_DEMO_PW", "demo-password"),
        ("FERRY_DEMO_HOSTKEY", srv.fingerprint.as_str()),
    ];
    let r = s.run_env(&["plan", demo.to_str().unwrap(), "pickup-invoices"], &env).expect(0);
    assert!(r.stdout.contains("job pickup-invoices") && r.stdout.contains("inv-001.edi"), "{}", r.stdout);
    assert!(!r.stdout.contains("demo-password"));
    assert!(!s.exists("inbox"), "plan changes nothing");
    let r = s.run_env(&["run", demo.to_str().unwrap(), "pickup-invoices", "--json"], &env).expect(0);
    assert_eq!(r.json()["jobs"][0]["report"]["summary"]["files"], 2);
    assert_eq!(files_under(&s.path("inbox")), ["inv-001.edi", "inv-002.edi"]);
    // Archived on the partner's side after delivery; the readme (not selected) stays.
    let day = chrono::Local::now().format("%Y-%m-%d").to_string();
    assert_eq!(files_under(&s.path(&format!("partner/archive/{day}"))), ["inv-001.edi", "inv-002.edi"]);
    assert_eq!(files_under(&s.path("partner/outbound")), ["readme.txt"]);
    s.run_env(&["run", demo.to_str().unwrap()], &env).expect(0);
    assert_eq!(files_under(&s.path("archive")), ["inv-001.edi", "inv-002.edi"]);
    // Nothing new: --error-on-no-transfer gives 9.
    s.run_env(&["run", demo.to_str().unwrap(), "--error-on-no-transfer"], &env).expect(9);
    s.run_env(&["run", demo.to_str().unwrap(), "no-such-job"], &env).expect(2);
}

#[test]
fn broken_job_files_report_every_error_with_line_and_column() {
    let s = Sandbox::new();
    s.write(
        "bad.yaml",
        b"version: 1\njobs:\n  a:\n    push: ./x\n    to: partner:/in\n    min_age: 5 moons\n    schedule: \"61 * * * * *\"\n",
    );
    let r = s.run(&["validate", "bad.yaml"]).expect(2);
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert!(lines.iter().any(|l| l.contains("bad.yaml:5:") && l.contains("unknown remote \"partner\"")), "{}", r.stderr);
    assert!(lines.iter().any(|l| l.contains("bad.yaml:6:") && l.contains("5 moons")), "{}", r.stderr);
    assert!(lines.iter().any(|l| l.contains("bad.yaml:7:") && l.contains("cron")), "{}", r.stderr);
    s.write("typo.yaml", b"version: 1\njobs:\n  a:\n    push: ./x\n    to: ./y\n    exlude: [\"*.tmp\"]\n");
    let r = s.run(&["run", "typo.yaml"]).expect(2);
    assert!(r.stderr.contains("typo.yaml:6:5") && r.stderr.contains("exlude"), "{}", r.stderr);
    s.write("notyaml.yaml", b"version: 1\njobs: [unclosed\n");
    s.run(&["validate", "notyaml.yaml"]).expect(2);
}

#[test]
fn jobs_needing_unbuilt_features_are_refused_before_running() {
    let s = Sandbox::new();
    s.write("src/a.edi", b"a");
    s.write("staging.yaml", b"version: 1\njobs:\n  a:\n    push: ./src\n    to: ./dst\n    upload: { staging_dir: /staging }\n");
    let r = s.run(&["run", "staging.yaml"]).expect(2);
    assert!(r.stderr.contains("staging_dir"), "{}", r.stderr);
    assert!(!s.exists("dst"));
    s.write("remote.yaml", b"version: 1\nremotes:\n  pp:\n    url: ftps://u@127.0.0.1:1/\njobs:\n  a:\n    pull: pp:/out\n    to: ./dst\n");
    // FTPS is built: an unreachable partner is a connection failure (exit 3), nothing written.
    let r = s.run(&["run", "remote.yaml"]).expect(3);
    assert!(r.stderr.contains("cannot connect") || r.stderr.contains("implicit TLS"), "{}", r.stderr);
    assert!(!s.exists("dst"));
}

#[test]
fn hooks_reports_and_plan_out() {
    let s = Sandbox::new();
    s.write("src/a.edi", b"a");
    let yaml = format!(
        "version: 1\njobs:\n  j:\n    push: ./src\n    to: ./dst\n    report: {}/reports/{{job}}.json\n    on_success: {{ exec: \"echo ok-{{job}}-{{exit_code}} > {}/hook.txt; cp $FERRY_REPORT {}/seen.json\" }}\n",
        s.p(""),
        s.p(""),
        s.p("")
    );
    s.write("j.yaml", yaml.as_bytes());
    s.run(&["plan", "j.yaml", "--out", "plan.json"]).expect(0);
    let plan: serde_json::Value = serde_json::from_slice(&s.read("plan.json")).unwrap();
    assert_eq!(plan["jobs"][0]["plan"]["actions"][0]["action"], "copy");
    assert!(!s.exists("dst"));
    s.run(&["run", "j.yaml"]).expect(0);
    assert_eq!(String::from_utf8(s.read("hook.txt")).unwrap().trim(), "ok-j-0");
    let report: serde_json::Value = serde_json::from_slice(&s.read("reports/j.json")).unwrap();
    assert_eq!(report["report"]["summary"]["files"], 1);
    assert_eq!(s.read("seen.json"), s.read("reports/j.json"), "the hook got the report path in FERRY_REPORT");
}

#[test]
fn deployment_examples_are_well_formed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("jobs-examples/deploy");
    let cronjob = std::fs::read_to_string(dir.join("cronjob.yaml")).unwrap();
    let v: serde_json::Value = serde_saphyr::from_str(&cronjob).expect("cronjob.yaml parses");
    assert_eq!(v["kind"], "CronJob");
    assert_eq!(v["spec"]["concurrencyPolicy"], "Forbid");
    let args = &v["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]["args"];
    assert!(args.as_array().unwrap().iter().any(|a| a == "run"));
    // The crontab line and the systemd unit call commands ferry has, with flags it accepts.
    let s = Sandbox::new();
    let crontab = std::fs::read_to_string(dir.join("crontab")).unwrap();
    let line = crontab.lines().find(|l| l.contains("/usr/local/bin/ferry")).unwrap();
    let args: Vec<&str> = line.split("/usr/local/bin/ferry").nth(1).unwrap().split_whitespace().collect();
    let mut check: Vec<&str> = args.clone();
    check.push("--help");
    s.run(&check).expect(0);
    let unit = std::fs::read_to_string(dir.join("ferry-partners.service")).unwrap();
    let exec = unit.lines().find(|l| l.starts_with("ExecStart=")).unwrap();
    let mut check: Vec<&str> = exec.split_whitespace().skip(1).collect();
    check.push("--help");
    s.run(&check).expect(0);
    assert!(std::fs::read_to_string(dir.join("ferry-partners.timer")).unwrap().contains("OnCalendar="));
}
