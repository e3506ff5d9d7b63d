//! Monitoring through the binary: arrival deadlines judged by `ferry daemon` and `ferry expect`,
//! Prometheus metrics served by a running daemon and written to a file, and `ferry status`.

use crate::support::sshd::Sshd;
use crate::support::{Sandbox, files_under};
use std::io::{Read, Write};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// A daemon whose stderr goes to `daemon.log` in the sandbox (a pipe could fill and block it).
fn daemon(s: &Sandbox, args: &[&str]) -> Child {
    let log = std::fs::File::create(s.path("daemon.log")).unwrap();
    let mut all = vec!["-v", "daemon", "jobs.yaml"];
    all.extend(args);
    s.cmd(&all).stdout(Stdio::null()).stderr(log).spawn().unwrap()
}

fn stop(mut child: Child) {
    unsafe {
        libc::kill(child.id() as i32, libc::SIGTERM);
    }
    assert_eq!(child.wait().unwrap().code(), Some(0), "the daemon stops cleanly");
}

fn log(s: &Sandbox) -> String {
    std::fs::read_to_string(s.path("daemon.log")).unwrap_or_default()
}

/// Wait until `f` holds, up to `secs` seconds.
fn wait_until(what: &str, secs: u64, mut f: impl FnMut() -> bool) {
    let end = Instant::now() + Duration::from_secs(secs);
    while !f() {
        assert!(Instant::now() < end, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A UTC time of day `secs` from now, as `expect: { by: }` takes it.
fn in_secs(secs: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::seconds(secs)).format("%H:%M:%S").to_string()
}

/// `GET /metrics` over plain HTTP.
fn scrape(addr: &str) -> String {
    let mut c = std::net::TcpStream::connect(addr).unwrap();
    c.write_all(b"GET /metrics HTTP/1.1\r\nHost: ferry\r\n\r\n").unwrap();
    let mut resp = String::new();
    c.read_to_string(&mut resp).unwrap();
    let (head, body) = resp.split_once("\r\n\r\n").expect("an HTTP response");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(head.contains("Content-Type: application/openmetrics-text"), "{head}");
    body.to_string()
}

/// Every sample of an exposition, parsed by the Prometheus project's OpenMetrics parser:
/// (name, labels, value). A text it cannot parse fails the test.
fn parse(text: &str) -> Vec<(String, serde_json::Value, f64)> {
    let script = "import sys, json\n\
        from prometheus_client.openmetrics.parser import text_string_to_metric_families as parse\n\
        out = [[s.name, s.labels, s.value] for f in parse(sys.stdin.read()) for s in f.samples]\n\
        print(json.dumps(out))\n";
    let mut p = std::process::Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 with prometheus_client (scripts/test.sh installs it)");
    p.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    let out = p.wait_with_output().unwrap();
    assert!(out.status.success(), "the Prometheus parser refused the metrics: {}\n{text}", String::from_utf8_lossy(&out.stderr));
    let v: Vec<(String, serde_json::Value, f64)> = serde_json::from_slice(&out.stdout).unwrap();
    v
}

fn sample(samples: &[(String, serde_json::Value, f64)], name: &str, job: &str) -> Option<f64> {
    samples.iter().find(|(n, l, _)| n == name && l["job"] == job).map(|s| s.2)
}

#[test]
fn a_missed_deadline_pages_once_and_a_met_one_never() {
    let s = Sandbox::new();
    std::fs::create_dir_all(s.path("empty")).unwrap();
    s.write("bank/pay.xml", b"<pay/>");
    let by = in_secs(3);
    let late_hook = "echo \"$FERRY_JOB $FERRY_DEADLINE $FERRY_DELIVERED {job}\" >> late.log";
    s.write(
        "jobs.yaml",
        format!(
            "version: 1\njobs:\n  quiet:\n    pull: ./empty\n    to: ./in-quiet\n    schedule: \"* * * * * *\"\n    \
             expect: {{ by: \"{by}\", on_late: {{ exec: '{late_hook}' }} }}\n  \
             bank:\n    pull: ./bank\n    to: ./in-bank\n    schedule: \"* * * * * *\"\n    once: true\n    \
             expect: {{ by: \"{by}\", on_late: {{ exec: '{late_hook}' }} }}\n"
        )
        .as_bytes(),
    );
    let child = daemon(&s, &[]);
    wait_until("the bank file", 10, || s.exists("in-bank/pay.xml"));
    wait_until("the deadline to be judged", 15, || log(&s).contains("expected delivery is late"));
    // Runs go on past the deadline; the miss is not judged again.
    std::thread::sleep(Duration::from_millis(2500));
    stop(child);
    let pages = std::fs::read_to_string(s.path("late.log")).unwrap_or_default();
    let lines: Vec<&str> = pages.lines().collect();
    assert_eq!(lines.len(), 1, "exactly one page, for the job that received nothing:\n{pages}\n{}", log(&s));
    let f: Vec<&str> = lines[0].split(' ').collect();
    assert_eq!((f[0], f[2], f[3]), ("quiet", "0", "quiet"), "{pages}");
    assert!(f[1].ends_with(&format!("T{by}+00:00")), "FERRY_DEADLINE is the deadline: {pages}");

    // A second daemon judges only deadlines that pass while it runs: no second page.
    let child = daemon(&s, &[]);
    std::thread::sleep(Duration::from_millis(1500));
    stop(child);
    assert_eq!(std::fs::read_to_string(s.path("late.log")).unwrap().lines().count(), 1);

    // For cron users: the same verdicts from `ferry expect`.
    let r = s.run(&["expect", "jobs.yaml"]).expect(10);
    assert!(r.stdout.contains("quiet: deadline") && r.stdout.contains("0 files delivered") && r.stdout.contains("LATE"), "{}", r.stdout);
    assert!(r.stdout.contains("bank: deadline") && r.stdout.contains("1 file delivered") && r.stdout.contains(": met"), "{}", r.stdout);
    s.run(&["expect", "jobs.yaml", "bank"]).expect(0);
    let r = s.run(&["expect", "jobs.yaml", "quiet", "--json"]).expect(10);
    let v = r.json();
    assert_eq!((v["jobs"][0]["met"].as_bool(), v["jobs"][0]["delivered"].as_u64()), (Some(false), Some(0)), "{v}");

    // The status view shows both from the same ledger.
    let r = s.run(&["status", "jobs.yaml"]).expect(0);
    let quiet = r.stdout.lines().find(|l| l.starts_with("quiet ")).unwrap_or_else(|| panic!("{}", r.stdout));
    let bank = r.stdout.lines().find(|l| l.starts_with("bank ")).unwrap_or_else(|| panic!("{}", r.stdout));
    assert!(quiet.contains("LATE (0)") && quiet.contains(" ok "), "{quiet}");
    assert!(bank.contains("met (1)"), "{bank}");
    let rows = s.run(&["status", "jobs.yaml", "--json"]).expect(0).json();
    assert_eq!(rows[1]["job"], "bank");
    assert!(rows[1]["last_delivery"].is_string() && rows[1]["next_deadline"].is_string(), "{rows}");
    assert_eq!(rows[1]["last_run"]["outcome"], "ok", "{rows}");
}

#[test]
fn a_running_daemon_serves_metrics_that_match_the_ledger_and_hide_secrets() {
    let sshd = Sshd::start();
    let s = Sandbox::new();
    let names: Vec<String> = (0..5).map(|i| format!("inv{i}.edi")).collect();
    for (i, n) in names.iter().enumerate() {
        s.write(&format!("partner/{n}"), &vec![b'a' + i as u8; 1000 + i * 10]);
    }
    let secret = "hunter2-metrics-secret";
    s.write(
        "jobs.yaml",
        format!(
            "version: 1\nremotes:\n  partner:\n    url: sftp://{user}@127.0.0.1:{port}/\n    password_env: FERRY_TEST_METRICS_PW\n    \
             key_file: {key}\n    known_hosts: {kh}\njobs:\n  \"in\":\n    pull: partner:{dir}\n    to: ./inbox\n    once: true\n    \
             schedule: \"* * * * * *\"\n    expect: {{ by: \"06:00\", timezone: Europe/Berlin, days: mon-fri }}\n",
            user = sshd.user,
            port = sshd.port,
            key = sshd.path("id_ed25519").display(),
            kh = sshd.path("known_hosts").display(),
            dir = s.path("partner").display(),
        )
        .as_bytes(),
    );
    let log_file = std::fs::File::create(s.path("daemon.log")).unwrap();
    let child = s
        .cmd(&["-v", "daemon", "jobs.yaml", "--metrics", "127.0.0.1:0"])
        .env("FERRY_TEST_METRICS_PW", secret)
        .stdout(Stdio::null())
        .stderr(log_file)
        .spawn()
        .unwrap();
    wait_until("the pull", 15, || files_under(&s.path("inbox")).len() == names.len());
    wait_until("the metrics address", 5, || log(&s).contains("metrics at http://"));
    let addr = log(&s).split("metrics at http://").nth(1).unwrap().split('/').next().unwrap().to_string();
    // One more run after the pull, so the run that delivered is recorded.
    std::thread::sleep(Duration::from_millis(1500));
    let text = scrape(&addr);
    let history = s.run(&["history", "--json", "--job", "in"]).expect(0).json();
    stop(child);

    assert!(!text.contains(secret) && !log(&s).contains(secret), "no secret in metrics or logs:\n{text}");
    assert!(!text.contains('@'), "server labels carry no user name:\n{text}");
    let samples = parse(&text);
    let rows = history.as_array().unwrap();
    let done: Vec<&serde_json::Value> = rows.iter().filter(|r| r["outcome"] == "done").collect();
    assert_eq!(done.len(), names.len());
    let bytes: u64 = done.iter().map(|r| r["bytes"].as_u64().unwrap()).sum();
    assert_eq!(sample(&samples, "ferry_job_files_total", "in"), Some(done.len() as f64), "{text}");
    assert_eq!(sample(&samples, "ferry_job_bytes_total", "in"), Some(bytes as f64), "{text}");
    let ok_runs = samples.iter().find(|(n, l, _)| n == "ferry_job_runs_total" && l["outcome"] == "ok").map(|s| s.2);
    assert!(ok_runs.is_some_and(|n| n >= 2.0), "{text}");
    assert_eq!(sample(&samples, "ferry_job_last_run_exit_code", "in"), Some(0.0));
    assert!(sample(&samples, "ferry_job_last_success_timestamp_seconds", "in").is_some(), "{text}");
    let last = sample(&samples, "ferry_job_last_delivery_timestamp_seconds", "in").unwrap();
    assert!((chrono::Utc::now().timestamp() as f64 - last).abs() < 60.0, "last delivery is recent: {last}");
    let next = sample(&samples, "ferry_job_next_deadline_timestamp_seconds", "in").unwrap();
    assert!(next > chrono::Utc::now().timestamp() as f64, "the next deadline is ahead");
    assert!(sample(&samples, "ferry_job_last_deadline_met", "in").is_some(), "{text}");
    let server = format!("sftp://127.0.0.1:{}", sshd.port);
    let connects = samples.iter().find(|(n, l, _)| n == "ferry_server_connects_total" && l["server"] == server.as_str());
    assert!(connects.is_some_and(|c| c.2 >= 2.0), "one connect per run at least:\n{text}");
    let open = samples.iter().find(|(n, l, _)| n == "ferry_server_sessions_open" && l["server"] == server.as_str()).map(|s| s.2);
    assert!(open.is_some_and(|n| n <= 1.0), "sessions close after each run: {open:?}");
}

#[test]
fn the_metrics_file_is_replaced_atomically_and_bad_metrics_flags_are_refused() {
    let s = Sandbox::new();
    std::fs::create_dir_all(s.path("m")).unwrap();
    s.write("jobs.yaml", b"version: 1\njobs:\n  out:\n    push: ./outbox\n    to: ./inbox\n    schedule: \"* * * * * *\"\n");
    std::fs::create_dir_all(s.path("outbox")).unwrap();
    let child = daemon(&s, &["--metrics-file", "m/ferry.prom"]);
    wait_until("the first metrics file", 10, || s.exists("m/ferry.prom"));
    let first_inode = s.inode("m/ferry.prom");
    // Files keep arriving, so every run rewrites the file with new counts; a reader polling it
    // must only ever see a whole exposition.
    let (mut reads, mut seen_files) = (0, 0.0f64);
    let end = Instant::now() + Duration::from_secs(4);
    let mut i = 0;
    while Instant::now() < end {
        if reads % 50 == 0 {
            s.write(&format!("outbox/f{i}.edi"), b"EDI");
            i += 1;
        }
        let text = std::fs::read_to_string(s.path("m/ferry.prom")).unwrap();
        assert!(text.ends_with("# EOF\n"), "a half-written metrics file:\n{text}");
        if let Some(line) = text.lines().find(|l| l.starts_with("ferry_job_files_total{job=\"out\"}")) {
            seen_files = seen_files.max(line.rsplit(' ').next().unwrap().parse().unwrap());
        }
        reads += 1;
    }
    stop(child);
    assert!(reads > 100 && seen_files >= 2.0, "{reads} reads, up to {seen_files} files counted");
    assert_ne!(s.inode("m/ferry.prom"), first_inode, "each write replaces the file (rename), never rewrites it in place");
    let leftovers: Vec<String> = files_under(&s.path("m")).into_iter().filter(|f| f != "ferry.prom").collect();
    assert!(leftovers.is_empty(), "no temporary files left: {leftovers:?}");
    parse(&std::fs::read_to_string(s.path("m/ferry.prom")).unwrap());

    // `ferry run --metrics-file` writes the same for cron users.
    s.run(&["run", "jobs.yaml", "--metrics-file", "cron.prom"]).expect(0);
    assert!(std::fs::read_to_string(s.path("cron.prom")).unwrap().contains("ferry_job_runs_total{job=\"out\",outcome=\"ok\"}"));

    // Bad flags: one line naming the value, exit 2, nothing run.
    let r = s.run(&["daemon", "jobs.yaml", "--metrics", "localhost"]).expect(2);
    assert!(r.stderr.contains("invalid --metrics address \"localhost\""), "{}", r.stderr);
    let r = s.run(&["run", "jobs.yaml", "--metrics-file", "no/such/dir/m.prom"]).expect(2);
    assert!(r.stderr.contains("no/such/dir") && r.stderr.contains("does not exist"), "{}", r.stderr);
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let r = s.run(&["daemon", "jobs.yaml", "--metrics", &addr]).expect(2);
    assert!(r.stderr.contains(&format!("--metrics {addr}: cannot listen")), "{}", r.stderr);
}

#[test]
fn expect_keys_are_validated_and_expect_needs_a_deadline() {
    let s = Sandbox::new();
    s.write(
        "bad.yaml",
        b"version: 1\njobs:\n  a:\n    pull: ./x\n    to: ./y\n    expect:\n      by: \"25:00\"\n      timezone: Mars/Olympus\n      days: mon-funday\n      min_files: 0\n      on_late: { exec: \"page {who}\" }\n",
    );
    let r = s.run(&["validate", "bad.yaml"]).expect(2);
    let lines: Vec<&str> = r.stderr.lines().collect();
    let want = [
        ("bad.yaml:7:", "invalid time of day \"25:00\""),
        ("bad.yaml:8:", "unknown time zone \"Mars/Olympus\""),
        ("bad.yaml:9:", "\"funday\" is not a weekday"),
        ("bad.yaml:10:", "min_files must be at least 1"),
        ("bad.yaml:11:", "unknown placeholder {who}"),
    ];
    for (at, what) in want {
        assert!(lines.iter().any(|l| l.contains(at) && l.contains(what)), "{at} {what} missing in:\n{}", r.stderr);
    }
    s.write("plain.yaml", b"version: 1\njobs:\n  a:\n    pull: ./x\n    to: ./y\n");
    let r = s.run(&["expect", "plain.yaml"]).expect(2);
    assert!(r.stderr.contains("no job has `expect:`"), "{}", r.stderr);
    s.write(
        "one.yaml",
        b"version: 1\njobs:\n  a:\n    pull: ./x\n    to: ./y\n  b:\n    pull: ./x\n    to: ./z\n    expect: { by: \"06:00\" }\n",
    );
    let r = s.run(&["expect", "one.yaml", "a"]).expect(2);
    assert!(r.stderr.contains("job \"a\" has no `expect:`"), "{}", r.stderr);
    // No ledger yet: nothing was delivered, so the last deadline was missed.
    s.run(&["expect", "one.yaml", "b"]).expect(10);
    assert!(!s.exists(".state/ferry/ledger.db"), "expect never creates a ledger");
}

#[test]
fn a_421_from_vsftpd_shows_in_the_server_metrics_of_a_cron_run() {
    use crate::support::vsftpd::{self, Vsftpd};
    let s = Sandbox::new();
    let v = Vsftpd::start(vsftpd::Options { max_per_ip: Some(2), ..Default::default() });
    for i in 0..30 {
        let p = v.data().join(format!("out/f{i:02}.edi"));
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, vec![b'x'; 2000]).unwrap();
    }
    s.write(
        "jobs.yaml",
        format!(
            "version: 1\nremotes:\n  partner:\n    url: {}\n    connections: 6\njobs:\n  pull:\n    pull: partner:out\n    to: ./inbox\n    parallel: 6\n",
            v.url(false)
        )
        .as_bytes(),
    );
    s.run(&["run", "jobs.yaml", "--metrics-file", "ferry.prom"]).expect(0);
    let samples = parse(&std::fs::read_to_string(s.path("ferry.prom")).unwrap());
    let server = format!("ftp://127.0.0.1:{}", v.port);
    let of = |name: &str| samples.iter().find(|(n, l, _)| n == name && l["server"] == server.as_str()).map(|s| s.2);
    assert!(of("ferry_server_421_replies_total").is_some_and(|n| n >= 1.0), "{samples:?}");
    assert!(of("ferry_server_connects_total").is_some_and(|n| n >= 2.0), "{samples:?}");
    assert_eq!(of("ferry_server_sessions_open"), Some(0.0), "written after the run: every session closed");
    assert!(of("ferry_server_last_connect_seconds").is_some_and(|t| t > 0.0 && t < 10.0));
    assert_eq!(sample(&samples, "ferry_job_files_total", "pull"), Some(30.0));
}

#[test]
fn hooks_count_failed_runs_in_a_row_and_a_success_resets_them() {
    let s = Sandbox::new();
    s.write(
        "jobs.yaml",
        b"version: 1\njobs:\n  j:\n    pull: ./partner\n    to: ./inbox\n    on_failure: { exec: 'echo \"fail $FERRY_FAILED_RUNS\" >> hooks.log' }\n    on_success: { exec: 'echo \"ok $FERRY_FAILED_RUNS\" >> hooks.log' }\n",
    );
    // No source directory: exit 4, three times; then it appears.
    for _ in 0..3 {
        s.run(&["run", "jobs.yaml"]).expect(4);
    }
    s.write("partner/a.edi", b"A");
    s.run(&["run", "jobs.yaml", "--metrics-file", "m.prom"]).expect(0);
    std::fs::remove_dir_all(s.path("partner")).unwrap();
    s.run(&["run", "jobs.yaml", "--metrics-file", "m.prom"]).expect(4);
    assert_eq!(String::from_utf8(s.read("hooks.log")).unwrap(), "fail 1\nfail 2\nfail 3\nok 0\nfail 1\n");
    let samples = parse(&std::fs::read_to_string(s.path("m.prom")).unwrap());
    assert_eq!(sample(&samples, "ferry_job_failed_runs", "j"), Some(1.0));
    assert_eq!(sample(&samples, "ferry_job_last_run_exit_code", "j"), Some(4.0));
    let missing = samples.iter().find(|(n, l, _)| n == "ferry_job_runs_total" && l["outcome"] == "source_missing").map(|s| s.2);
    assert_eq!(missing, Some(4.0));
}
