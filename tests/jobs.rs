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
    // An unknown key no longer hides the errors after it: both lines, each at its key or value.
    s.write(
        "two.yaml",
        b"version: 1\njobs:\n  a:\n    push: ./x\n    to: ./y\n    paralel: 4\n    upload: {temp_name: '{name}.tmp', bogus: 1}\n    retry_delay: 2 fortnights\n",
    );
    for cmd in ["validate", "plan", "run"] {
        let r = s.run(&[cmd, "two.yaml"]).expect(2);
        let lines: Vec<&str> = r.stderr.lines().collect();
        assert_eq!(lines.len(), 3, "{cmd}: {}", r.stderr);
        assert!(lines[0].contains("two.yaml:6:5: unknown key `paralel` (did you mean `parallel`?)"), "{}", r.stderr);
        assert!(lines[1].contains("two.yaml:7:39: unknown key `bogus`"), "{}", r.stderr);
        assert!(lines[2].contains("two.yaml:8:18:") && lines[2].contains("2 fortnights"), "{}", r.stderr);
    }
    s.write("notyaml.yaml", b"version: 1\njobs: [unclosed\n");
    s.run(&["validate", "notyaml.yaml"]).expect(2);
}

#[test]
fn a_push_job_stages_uploads_and_resumes_from_the_staged_partial() {
    let s = Sandbox::new();
    let data: Vec<u8> = (0..300_000u32).map(|i| (i.wrapping_mul(2654435761) >> 7) as u8).collect();
    s.write("src/a.edi", &data);
    std::fs::create_dir_all(s.path("stage")).unwrap();
    // The first 100,000 bytes, left in the staging directory by an interrupted run.
    let mtime = std::fs::metadata(s.path("src/a.edi")).unwrap().modified().unwrap();
    let rel = ferry::model::RelPath::parse("a.edi").unwrap();
    let fp = ferry::plan::fingerprint(&rel, data.len() as u64, Some(chrono::DateTime::<chrono::Utc>::from(mtime)));
    s.write(&format!("stage/a.edi.{fp}.part"), &data[..100_000]);
    s.write("staging.yaml", b"version: 1\njobs:\n  a:\n    push: ./src\n    to: ./dst\n    upload: { staging_dir: ./stage }\n");
    let plan = s.run(&["plan", "staging.yaml"]).expect(0);
    assert!(plan.stdout.contains("resume   a.edi"), "{}", plan.stdout);
    let j = s.run(&["run", "staging.yaml", "--json"]).expect(0).json();
    assert_eq!(j["jobs"][0]["report"]["summary"]["bytes"], 200_000, "{j}");
    assert!(s.read("dst/a.edi") == data);
    assert_eq!(files_under(&s.path("stage")), Vec::<String>::new());
    // A staging directory that cannot work is a job-file or plan error, exit 2, nothing moved.
    s.write("inside.yaml", b"version: 1\njobs:\n  a:\n    push: ./src\n    to: ./dst2\n    upload: { staging_dir: ./dst2/.stage }\n");
    let r = s.run(&["run", "inside.yaml"]).expect(2);
    assert!(r.stderr.contains("inside the target directory"), "{}", r.stderr);
    s.write(
        "both.yaml",
        b"version: 1\njobs:\n  a:\n    push: ./src\n    to: ./dst3\n    upload: { staging_dir: ./stage, inplace: true }\n",
    );
    s.run(&["validate", "both.yaml"]).expect(2);
    assert!(!s.exists("dst2") && !s.exists("dst3"));
    s.write("remote.yaml", b"version: 1\nremotes:\n  pp:\n    url: ftps://u@127.0.0.1:1/\njobs:\n  a:\n    pull: pp:/out\n    to: ./dst\n");
    // FTPS is built: an unreachable partner is a connection failure (exit 3), nothing written.
    let r = s.run(&["run", "remote.yaml"]).expect(3);
    assert!(r.stderr.contains("cannot connect") || r.stderr.contains("implicit TLS"), "{}", r.stderr);
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

    // Several hosts: a Deployment of three daemons and a per-host unit, both on a shared
    // ledger whose URL comes from the environment.
    let docs: Vec<serde_json::Value> = std::fs::read_to_string(dir.join("deployment-shared.yaml"))
        .unwrap()
        .split("\n---\n")
        .map(|d| serde_saphyr::from_str(d).expect("deployment-shared.yaml parses"))
        .collect();
    let secret = docs.iter().find(|d| d["kind"] == "Secret").expect("a Secret for the ledger");
    let url = secret["stringData"]["url"].as_str().unwrap();
    assert!(matches!(ferry::ledger::Location::parse(url), Ok(ferry::ledger::Location::Postgres { .. })), "{url}");
    let dep = docs.iter().find(|d| d["kind"] == "Deployment").expect("a Deployment");
    assert_eq!(dep["spec"]["replicas"], 3);
    let c = &dep["spec"]["template"]["spec"]["containers"][0];
    let env: Vec<&str> = c["env"].as_array().unwrap().iter().map(|e| e["name"].as_str().unwrap()).collect();
    assert!(env.contains(&"FERRY_LEDGER") && env.contains(&"PGPASSWORD"), "{env:?}");
    let args: Vec<String> =
        c["args"].as_array().unwrap().iter().map(|a| a.as_str().unwrap().replace("$(FERRY_LEDGER)", url)).collect();
    let mut check: Vec<&str> = args.iter().map(String::as_str).collect();
    check.push("--help");
    s.run(&check).expect(0);
    let unit = std::fs::read_to_string(dir.join("ferry-daemon@.service")).unwrap();
    let exec = unit.lines().find(|l| l.starts_with("ExecStart=")).unwrap().replace("${FERRY_LEDGER}", url);
    let mut check: Vec<&str> = exec.split_whitespace().skip(1).collect();
    assert!(check.contains(&"daemon"));
    check.push("--help");
    s.run(&check).expect(0);
}

/// The shipped partner-exchange example, run end to end with only its addresses, credentials and
/// local paths pointed at test servers: ACME is `ferry serve sftp` (key login, pinned host key),
/// the bank and the docs mirror are real vsftpd with explicit FTPS and `require_ssl_reuse=YES`.
#[test]
fn partner_exchange_example_runs_end_to_end_against_real_servers() {
    use crate::support::serve::Served;
    use crate::support::vsftpd::{self, Vsftpd};
    let s = Sandbox::new();
    let ten_min_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(600);
    for i in 1..=2 {
        let body = format!("UNB+UNOC:3+ACME+US+{i}'");
        s.write(&format!("acme/outbound/INV-{i}.edi"), body.as_bytes());
        s.write(
            &format!("acme/outbound/INV-{i}.edi.sha256"),
            format!("{}  INV-{i}.edi\n", crate::support::sha256_hex(body.as_bytes())).as_bytes(),
        );
        let f = std::fs::File::options().write(true).open(s.path(&format!("acme/outbound/INV-{i}.edi"))).unwrap();
        f.set_modified(ten_min_ago).unwrap();
    }
    s.write("acme/outbound/partial.edi.tmp", b"still uploading");
    s.write("outbox/bank/PAY-1.xml", b"<pay>1</pay>");
    let acme = Served::start(&s.path("acme"), None);
    let bank = Vsftpd::start(vsftpd::Options { tls: true, ..Default::default() });
    std::fs::create_dir_all(bank.data().join("incoming")).unwrap();
    std::fs::create_dir_all(bank.data().join("pub/docs")).unwrap();
    std::fs::write(bank.data().join("pub/docs/index.html"), b"<h1>docs</h1>").unwrap();
    vsftpd::chown_ftp(&bank.data());
    let ca = bank.flags()[1].clone();

    let yaml = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("jobs-examples/partners.yaml")).unwrap();
    let ftps = format!("ftpes://127.0.0.1:{}/data", bank.port);
    let yaml = yaml
        .replace("sftp://edi@sftp.acme.example/", &format!("sftp://tester@127.0.0.1:{}/", acme.port))
        .replace("~/.ssh/acme_ed25519", acme.key().to_str().unwrap())
        .replace("SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8", &acme.fingerprint)
        .replace("ftpes://batch@ftp.bank.example/", &format!("{ftps}/"))
        .replace("/etc/ferry/bank-ca.pem", &ca)
        .replace("ftp://mirror.example/pub/docs", &format!("{ftps}/pub/docs"))
        .replace("to: ./docs", &format!("to: {}", s.p("docs")))
        .replace("/var/edi/", &format!("{}/", s.p("")))
        // The test server's writable area is below the remote's URL path (`/data`), so the
        // bank's absolute `/incoming` becomes relative to it.
        .replace("to: bank:/incoming", "to: bank:incoming")
        // The docs mirror reaches the same test server through the bank remote (for its CA).
        .replace(&format!("      from: {ftps}/pub/docs"), "      from: bank:pub/docs");
    s.write("partners.yaml", yaml.as_bytes());
    let r = s.run_env(&["run", "partners.yaml", "--json"], EXAMPLE_ENV).expect(0);
    let jobs = r.json()["jobs"].clone();
    assert_eq!(jobs.as_array().unwrap().len(), 3, "{jobs}");
    // ACME: both invoices delivered (checked against their sidecars), archived at the source.
    assert_eq!(files_under(&s.path("inbox/acme")), ["INV-1.edi", "INV-2.edi"]);
    let month = chrono::Local::now().format("%Y/%m").to_string();
    let archived = files_under(&s.path(&format!("acme/archive/{month}")));
    assert!(archived.contains(&"INV-1.edi".to_string()) && archived.contains(&"INV-2.edi".to_string()), "{archived:?}");
    assert_eq!(files_under(&s.path("acme/outbound")), ["INV-1.edi.sha256", "INV-2.edi.sha256", "partial.edi.tmp"]);
    // Bank: the payment file is on the server under its final name, the local copy moved to sent.
    assert_eq!(std::fs::read(bank.data().join("incoming/PAY-1.xml")).unwrap(), b"<pay>1</pay>");
    assert!(files_under(&bank.data().join("incoming")) == ["PAY-1.xml"], "no temp name left");
    let day = chrono::Local::now().format("%Y-%m-%d").to_string();
    assert_eq!(files_under(&s.path(&format!("sent/{day}"))), ["PAY-1.xml"]);
    // Docs mirror.
    assert_eq!(s.read("docs/index.html"), b"<h1>docs</h1>");
    // A second run has nothing to do.
    let r = s.run_env(&["run", "partners.yaml", "--json"], EXAMPLE_ENV).expect(0);
    for j in r.json()["jobs"].as_array().unwrap() {
        assert_eq!(j["report"]["summary"]["files"], 0, "{j}");
    }
}
