//! Monitoring in the Prometheus text format. Job metrics are read from the ledger at render
//! time, so they survive restarts and read the same from `ferry daemon --metrics` and from
//! `ferry run --metrics-file` under cron; server metrics (connects, sessions, 421s, retries)
//! describe this process. Labels carry job names and `scheme://host:port` only — never a user,
//! password or path.

use crate::error::{Error, ErrorKind, Result};
use crate::job::JobSet;
use crate::ledger::Ledger;
use chrono::{DateTime, Utc};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;
use std::collections::BTreeMap;
use std::sync::atomic::AtomicU64;
use std::sync::{Mutex, OnceLock};

/// What this process saw of one server.
#[derive(Debug, Clone, Default)]
pub struct ServerStats {
    pub connects: u64,
    pub connect_seconds: f64,
    pub last_connect_seconds: f64,
    pub sessions_open: i64,
    pub replies_421: u64,
    pub retries: u64,
}

fn servers() -> &'static Mutex<BTreeMap<String, ServerStats>> {
    static SERVERS: OnceLock<Mutex<BTreeMap<String, ServerStats>>> = OnceLock::new();
    SERVERS.get_or_init(Default::default)
}

/// Update the stats of `server` (a `scheme://host:port` label).
pub fn server(server: &str, f: impl FnOnce(&mut ServerStats)) {
    let mut all = servers().lock().unwrap_or_else(|e| e.into_inner());
    f(all.entry(server.to_string()).or_default());
}

/// One open session (FTP control connection or SSH connection), counted while it lives.
#[derive(Debug)]
pub struct Session(String);

impl Session {
    /// A session that has just connected (and logged in) after `took`.
    pub fn connected(label: &str, took: std::time::Duration) -> Session {
        let secs = took.as_secs_f64();
        server(label, |s| {
            s.connects += 1;
            s.connect_seconds += secs;
            s.last_connect_seconds = secs;
            s.sessions_open += 1;
        });
        Session(label.to_string())
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        server(&self.0, |s| s.sessions_open -= 1);
    }
}

type Labels = Vec<(String, String)>;

/// The snake_case name a value serializes to (`Exit::NoTransfer` → `no_transfer`).
pub fn label_of<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// This machine's name, as the job lock and the last-run row name their holder.
pub fn hostname() -> String {
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is valid for its length; gethostname NUL-terminates within it or
    // truncates, and the slice below stops at the first NUL.
    let ok = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) } == 0;
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    if ok { String::from_utf8_lossy(&buf[..end]).to_string() } else { "localhost".into() }
}

fn job(name: &str) -> Labels {
    vec![("job".into(), name.into())]
}

fn seconds(t: DateTime<Utc>) -> f64 {
    t.timestamp_millis() as f64 / 1000.0
}

/// A family of counters or gauges registered under one name.
struct Families {
    reg: Registry,
}

impl Families {
    fn counter(&mut self, name: &str, help: &str) -> Family<Labels, Counter> {
        let f = Family::<Labels, Counter>::default();
        self.reg.register(name, help, f.clone());
        f
    }

    fn gauge(&mut self, name: &str, help: &str) -> Family<Labels, Gauge<f64, AtomicU64>> {
        let f = Family::<Labels, Gauge<f64, AtomicU64>>::default();
        self.reg.register(name, help, f.clone());
        f
    }
}

/// The metrics of every job in `set` (from `ledger`, when there is one yet) and of every
/// server this process talked to, as Prometheus text (OpenMetrics, ending in `# EOF`).
pub fn render(set: &JobSet, ledger: Option<&Ledger>, now: DateTime<Utc>) -> Result<String> {
    let mut m = Families { reg: Registry::default() };
    let runs = m.counter("ferry_job_runs", "Runs of the job, by outcome (the exit code's name)");
    let files = m.counter("ferry_job_files", "Files the job transferred");
    let bytes = m.counter("ferry_job_bytes", "Bytes the job transferred");
    let failures = m.counter("ferry_job_failures", "Files that failed to transfer, by error kind");
    let retries = m.counter("ferry_job_retries", "Operations and transfers retried during the job's runs");
    let start = m.gauge("ferry_job_last_run_start_timestamp_seconds", "When the job's last run started (Unix time)");
    let end = m.gauge("ferry_job_last_run_end_timestamp_seconds", "When the job's last run ended (Unix time)");
    let exit = m.gauge("ferry_job_last_run_exit_code", "The exit code of the job's last run");
    let failed_runs = m.gauge("ferry_job_failed_runs", "Runs in a row that failed (0 after a success)");
    let success = m.gauge("ferry_job_last_success_timestamp_seconds", "When the job's last successful run ended (Unix time)");
    let delivery = m.gauge("ferry_job_last_delivery_timestamp_seconds", "When the job last delivered a file (Unix time)");
    let next_run = m.gauge("ferry_job_next_run_timestamp_seconds", "The job's next scheduled run (Unix time)");
    let next_deadline = m.gauge("ferry_job_next_deadline_timestamp_seconds", "The job's next arrival deadline (Unix time)");
    let met = m.gauge("ferry_job_last_deadline_met", "1 when enough files arrived by the job's most recent deadline, else 0");
    let delivered = m.gauge("ferry_job_last_deadline_delivered_files", "Files delivered in the window of the most recent deadline");
    for j in &set.jobs {
        let l = job(&j.name);
        // Every job shows up, even before its first run, so an alert on a missing series
        // is never needed.
        files.get_or_create(&l).inc_by(0);
        bytes.get_or_create(&l).inc_by(0);
        if let Some((_, s)) = &j.schedule
            && let Some(t) = s.after(&now).next()
        {
            next_run.get_or_create(&l).set(seconds(t));
        }
        if let Some(e) = &j.expect
            && let Some(t) = e.next(now)
        {
            next_deadline.get_or_create(&l).set(seconds(t));
        }
        let Some(ledger) = ledger else { continue };
        for (name, label, value) in ledger.counters(&j.name)? {
            let mut labels = l.clone();
            let family = match name.as_str() {
                "runs" => {
                    labels.push(("outcome".into(), label));
                    &runs
                }
                "failures" => {
                    labels.push(("kind".into(), label));
                    &failures
                }
                "files" => &files,
                "bytes" => &bytes,
                "retries" => &retries,
                _ => continue,
            };
            family.get_or_create(&labels).inc_by(value);
        }
        if let Some(r) = ledger.last_run(&j.name)? {
            start.get_or_create(&l).set(seconds(r.started_at));
            end.get_or_create(&l).set(seconds(r.finished_at));
            exit.get_or_create(&l).set(r.exit_code as f64);
            failed_runs.get_or_create(&l).set(r.failed_runs as f64);
            if let Some(t) = r.last_success {
                success.get_or_create(&l).set(seconds(t));
            }
        }
        if let Some(t) = ledger.last_delivery(&j.name)? {
            delivery.get_or_create(&l).set(seconds(t));
        }
        if let Some(e) = &j.expect
            && let Some(v) = verdict(e, &j.name, ledger, now)?
        {
            met.get_or_create(&l).set(if v.met { 1.0 } else { 0.0 });
            delivered.get_or_create(&l).set(v.delivered as f64);
        }
    }
    let connects = m.counter("ferry_server_connects", "Successful connects (login included) by this process");
    let connect_secs = m.counter("ferry_server_connect_milliseconds", "Time those connects took, in total");
    let last_connect = m.gauge("ferry_server_last_connect_seconds", "How long the last connect took");
    let sessions = m.gauge("ferry_server_sessions_open", "Sessions (FTP control or SSH connections) open now");
    let r421 = m.counter("ferry_server_421_replies", "421 replies (too many sessions, or closing) seen.");
    let sretries = m.counter("ferry_server_retries", "Operations on the server retried");
    let all = servers().lock().unwrap_or_else(|e| e.into_inner()).clone();
    for (name, s) in all {
        let l: Labels = vec![("server".into(), name)];
        connects.get_or_create(&l).inc_by(s.connects);
        connect_secs.get_or_create(&l).inc_by((s.connect_seconds * 1000.0).round() as u64);
        last_connect.get_or_create(&l).set(s.last_connect_seconds);
        sessions.get_or_create(&l).set(s.sessions_open as f64);
        r421.get_or_create(&l).inc_by(s.replies_421);
        sretries.get_or_create(&l).inc_by(s.retries);
    }
    let mut out = String::new();
    prometheus_client::encoding::text::encode(&mut out, &m.reg).map_err(|_| Error::new(ErrorKind::Io, "cannot render the metrics"))?;
    Ok(out)
}

/// The verdict on the most recent deadline of a job, judged from the ledger now.
pub fn verdict(e: &crate::expect::Expect, job: &str, ledger: &Ledger, now: DateTime<Utc>) -> Result<Option<crate::expect::Verdict>> {
    let Some(d) = e.last(now) else { return Ok(None) };
    let (from, until) = e.window(d);
    Ok(Some(e.judge(d, ledger.delivered_between(job, from, until)?)))
}

/// Replace `path` with `text` atomically (a temporary file in the same directory, then a
/// rename), so a reader such as node_exporter's textfile collector never sees half of it.
pub fn write_file(path: &str, text: &str) -> Result<()> {
    let p = std::path::Path::new(path);
    let dir = p.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    let name = p.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "metrics".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, text).map_err(|e| Error::io("write", tmp.display(), e))?;
    std::fs::rename(&tmp, p).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io("replace", p.display(), e)
    })
}

/// Serve `GET /metrics` on `listener` until the process ends; `render` makes each response.
/// One request per connection (HTTP/1.1 with `Connection: close`), which is what Prometheus
/// and curl need; anything else gets 404 or 405.
pub async fn serve(listener: tokio::net::TcpListener, render: std::sync::Arc<dyn Fn() -> Result<String> + Send + Sync>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    loop {
        let Ok((mut sock, _)) = listener.accept().await else { continue };
        let render = render.clone();
        tokio::spawn(async move {
            let mut req = Vec::with_capacity(1024);
            let mut buf = [0u8; 1024];
            // Read the request head (bounded: a scraper's request is a few hundred bytes).
            while !req.windows(4).any(|w| w == b"\r\n\r\n") && req.len() < 16 * 1024 {
                match tokio::time::timeout(std::time::Duration::from_secs(10), sock.read(&mut buf)).await {
                    Ok(Ok(n)) if n > 0 => req.extend_from_slice(&buf[..n]),
                    _ => return,
                }
            }
            let head = String::from_utf8_lossy(&req);
            let mut parts = head.split_whitespace();
            let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
            let path = target.split('?').next().unwrap_or("");
            let (status, ctype, body) = match (method, path) {
                ("GET" | "HEAD", "/metrics") => match render() {
                    Ok(text) => ("200 OK", "application/openmetrics-text; version=1.0.0; charset=utf-8", text),
                    Err(e) => ("500 Internal Server Error", "text/plain; charset=utf-8", format!("{e}\n")),
                },
                (_, "/metrics") => ("405 Method Not Allowed", "text/plain; charset=utf-8", "use GET\n".to_string()),
                _ => ("404 Not Found", "text/plain; charset=utf-8", "ferry serves /metrics only\n".to_string()),
            };
            let mut resp =
                format!("HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
            if method != "HEAD" {
                resp.push_str(&body);
            }
            let _ = sock.write_all(resp.as_bytes()).await;
            let _ = sock.shutdown().await;
        });
    }
}

/// Parse `--metrics ADDR`: `host:port`; a bare port listens on 127.0.0.1. An address that is
/// not loopback must be asked for explicitly (it is, by being written out).
pub fn parse_listen(s: &str) -> Result<std::net::SocketAddr> {
    let t = s.trim();
    if let Ok(port) = t.parse::<u16>() {
        return Ok(std::net::SocketAddr::from(([127, 0, 0, 1], port)));
    }
    t.parse::<std::net::SocketAddr>()
        .map_err(|_| Error::usage(format!("invalid --metrics address {s:?} (expected HOST:PORT such as 127.0.0.1:9464, or a port)")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listen_addresses_default_to_loopback() {
        assert_eq!(parse_listen("9464").unwrap().to_string(), "127.0.0.1:9464");
        assert_eq!(parse_listen("0.0.0.0:9464").unwrap().to_string(), "0.0.0.0:9464");
        assert!(parse_listen("localhost").unwrap_err().message.contains("invalid --metrics address \"localhost\""));
    }

    #[test]
    fn sessions_count_while_they_live_and_labels_are_escaped() {
        let label = "sftp://\"odd\\host\":22";
        let a = Session::connected(label, std::time::Duration::from_millis(30));
        let b = Session::connected(label, std::time::Duration::from_millis(10));
        drop(a);
        server(label, |s| s.replies_421 += 2);
        let set = JobSet { file: "j.yaml".into(), ledger: None, lease_ttl: crate::job::LEASE_TTL, jobs: vec![] };
        let text = render(&set, None, Utc::now()).unwrap();
        assert!(text.contains(r#"ferry_server_sessions_open{server="sftp://\"odd\\host\":22"} 1"#), "{text}");
        assert!(text.contains(r#"ferry_server_421_replies_total{server="sftp://\"odd\\host\":22"} 2"#), "{text}");
        assert!(text.contains(r#"ferry_server_connects_total{server="sftp://\"odd\\host\":22"} 2"#), "{text}");
        assert!(text.contains(r#"ferry_server_connect_milliseconds_total{server="sftp://\"odd\\host\":22"} 40"#), "{text}");
        assert!(text.ends_with("# EOF\n"));
        drop(b);
    }
}
