//! Monitoring commands: `ferry expect` (was the last deadline met?), `ferry status` (one line
//! per job), the daemon's deadline judge with its `on_late` hook, and the metrics file. All of
//! it reads the ledger and the job file; none of it transfers anything.

use super::Ctx;
use crate::error::{Error, Result};
use crate::exit::Exit;
use crate::expect::Verdict;
use crate::job::{self, Job, JobSet};
use crate::ledger::{Ledger, RunRecord};
use chrono::{DateTime, Utc};
use std::path::Path;

/// The ledger of a job file when it exists; monitoring never creates one.
pub fn open_ledger(ctx: &Ctx, set: &JobSet) -> Result<Option<Ledger>> {
    let at = super::jobs::ledger_location(ctx, Some(set))?;
    if at.exists() { Ledger::open(&at).map(Some) } else { Ok(None) }
}

fn when(t: DateTime<Utc>) -> String {
    t.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M:%S").to_string()
}

/// The verdict on the most recent deadline of `j`, from the ledger (none yet: nothing delivered).
fn judge_last(j: &Job, ledger: Option<&Ledger>, now: DateTime<Utc>) -> Result<Option<Verdict>> {
    let Some(e) = &j.expect else { return Ok(None) };
    match ledger {
        Some(l) => crate::metrics::verdict(e, &j.name, l, now),
        None => Ok(e.last(now).map(|d| e.judge(d, 0))),
    }
}

/// `ferry expect JOBFILE [JOB...]`: judge the most recent deadline of each job that has
/// `expect:` (of the named ones, or all); exit 10 when any was missed, 0 otherwise. It only
/// reads: the daemon is what runs `on_late`.
pub fn expect(ctx: &Ctx, path: &str, names: &[String], json: bool) -> Result<Exit> {
    let set = job::load(path)?;
    let jobs = super::jobs::select(&set, names)?;
    if let Some(j) = jobs.iter().find(|j| j.expect.is_none() && !names.is_empty()) {
        return Err(Error::usage(format!("{path}: job {:?} has no `expect:`; there is no deadline to check", j.name)));
    }
    let jobs: Vec<&Job> = jobs.into_iter().filter(|j| j.expect.is_some()).collect();
    if jobs.is_empty() {
        return Err(Error::usage(format!("{path}: no job has `expect:`; there is no deadline to check")));
    }
    let ledger = open_ledger(ctx, &set)?;
    let now = Utc::now();
    let mut exit = Exit::Ok;
    let mut docs = vec![];
    for j in jobs {
        let e = j.expect.as_ref().expect("filtered");
        let v = judge_last(j, ledger.as_ref(), now)?;
        if v.is_some_and(|v| !v.met) {
            exit = Exit::Late;
        }
        if json {
            docs.push(serde_json::json!({
                "job": j.name, "by": e.by_text, "timezone": e.tz.name(), "min_files": e.min_files,
                "deadline": v.map(|v| v.deadline), "delivered": v.map(|v| v.delivered), "met": v.map(|v| v.met),
                "next_deadline": e.next(now),
            }));
            continue;
        }
        match v {
            Some(v) => println!(
                "{}: deadline {} ({} {}): {} delivered, at least {} expected: {}",
                j.name,
                when(v.deadline),
                e.by_text,
                e.tz.name(),
                crate::units::count(v.delivered, "file", "files"),
                e.min_files,
                if v.met { "met" } else { "LATE" }
            ),
            None => println!("{}: no deadline has passed yet (next: {})", j.name, e.next(now).map(when).unwrap_or_else(|| "none".into())),
        }
    }
    if json {
        println!("{}", serde_json::json!({ "file": path, "jobs": docs, "exit_code": exit.code() }));
    }
    Ok(exit)
}

/// One job's state, as `ferry status` shows it.
#[derive(Debug, serde::Serialize)]
struct Status {
    job: String,
    last_run: Option<RunRecord>,
    last_delivery: Option<DateTime<Utc>>,
    next_run: Option<DateTime<Utc>>,
    next_deadline: Option<DateTime<Utc>>,
    last_deadline: Option<Verdict>,
    /// Who runs the job right now (host, PID, since), from its lock or its lease on a shared ledger.
    running: Option<String>,
}

/// `ferry status JOBFILE [JOB...]`: one line per job — last run, last delivery, next run, next
/// deadline and whether the last one was met, and who is running it now.
pub fn status(ctx: &Ctx, path: &str, names: &[String], json: bool) -> Result<Exit> {
    let set = job::load(path)?;
    let jobs = super::jobs::select(&set, names)?;
    let ledger = open_ledger(ctx, &set)?;
    let now = Utc::now();
    let locks = crate::ledger::state_dir().join("locks");
    let mut rows = vec![];
    for j in jobs {
        let l = ledger.as_ref();
        rows.push(Status {
            job: j.name.clone(),
            last_run: l.map(|l| l.last_run(&j.name)).transpose()?.flatten(),
            last_delivery: l.map(|l| l.last_delivery(&j.name)).transpose()?.flatten(),
            next_run: j.schedule.as_ref().and_then(|(_, s)| s.after(&now).next()),
            next_deadline: j.expect.as_ref().and_then(|e| e.next(now)),
            last_deadline: judge_last(j, l, now)?,
            running: match l {
                Some(l) if l.is_shared() => l.lease_holder(&j.name)?.map(|h| h.to_string()),
                _ => crate::lock::holder(&locks, &j.name),
            },
        });
    }
    if json {
        println!("{}", serde_json::to_string(&rows).expect("json"));
        return Ok(Exit::Ok);
    }
    let dash = || "-".to_string();
    let mut table = vec![
        ["JOB", "LAST RUN", "OUTCOME", "FILES", "LAST DELIVERY", "NEXT RUN", "NEXT DEADLINE", "LAST DEADLINE", "RUNNING"]
            .map(str::to_string),
    ];
    for r in &rows {
        table.push([
            r.job.clone(),
            r.last_run.as_ref().map(|x| when(x.started_at)).unwrap_or_else(dash),
            r.last_run.as_ref().map(|x| x.outcome.clone()).unwrap_or_else(dash),
            r.last_run.as_ref().map(|x| x.files.to_string()).unwrap_or_else(dash),
            r.last_delivery.map(when).unwrap_or_else(dash),
            r.next_run.map(when).unwrap_or_else(dash),
            r.next_deadline.map(when).unwrap_or_else(dash),
            r.last_deadline.map(|v| format!("{} ({})", if v.met { "met" } else { "LATE" }, v.delivered)).unwrap_or_else(dash),
            r.running.clone().unwrap_or_else(dash),
        ]);
    }
    let widths: Vec<usize> = (0..9).map(|c| table.iter().map(|row| row[c].chars().count()).max().unwrap_or(0)).collect();
    for row in &table {
        let line: Vec<String> = row.iter().zip(&widths).map(|(cell, w)| format!("{cell:<w$}")).collect();
        println!("{}", line.join("  ").trim_end());
    }
    Ok(Exit::Ok)
}

/// Judge every deadline of `set` that passed in `(after, until]`. The first process to judge
/// a deadline records it in the ledger; on a miss that process — and only it — logs the late
/// delivery and runs the job's `on_late`, so a restart or a second daemon never pages twice.
pub async fn judge_due(ctx: &Ctx, set: &JobSet, after: DateTime<Utc>, until: DateTime<Utc>) {
    for j in &set.jobs {
        let Some(e) = &j.expect else { continue };
        let mut t = after;
        while let Some(d) = e.next(t).filter(|d| *d <= until) {
            t = d;
            let ledger = match super::jobs::ledger_location(ctx, Some(set)).and_then(|at| Ledger::open(&at)) {
                Ok(l) => l,
                Err(err) => {
                    tracing::error!(job = %j.name, error = %err, "cannot judge the deadline: the ledger cannot be read");
                    continue;
                }
            };
            let (from, to) = e.window(d);
            let v = match ledger.delivered_between(&j.name, from, to).and_then(|n| {
                let v = e.judge(d, n);
                ledger.judge_deadline(&j.name, &v).map(|first| (v, first))
            }) {
                Ok(x) => x,
                Err(err) => {
                    tracing::error!(job = %j.name, error = %err, "cannot judge the deadline");
                    continue;
                }
            };
            match v {
                (v, true) if !v.met => {
                    tracing::warn!(job = %j.name, deadline = %v.deadline.to_rfc3339(), delivered = v.delivered, min_files = e.min_files, "expected delivery is late");
                    ctx.note(format!(
                        "job {}: expected delivery is late: {} by {}, {} expected",
                        j.name,
                        crate::units::count(v.delivered, "file", "files"),
                        when(v.deadline),
                        e.min_files
                    ));
                    if let Some(cmd) = &e.on_late {
                        run_late_hook(&j.name, cmd, &v).await;
                    }
                }
                (v, true) => tracing::info!(job = %j.name, deadline = %v.deadline.to_rfc3339(), delivered = v.delivered, "deadline met"),
                (_, false) => tracing::debug!(job = %j.name, "deadline already judged"),
            }
        }
    }
}

/// Run `on_late` through `sh -c` with `FERRY_JOB`, `FERRY_DEADLINE` (RFC 3339) and
/// `FERRY_DELIVERED` set; a failing hook is logged.
async fn run_late_hook(job: &str, cmd: &str, v: &Verdict) {
    let deadline = v.deadline.to_rfc3339();
    let cmd = cmd.replace("{job}", job).replace("{deadline}", &deadline).replace("{delivered}", &v.delivered.to_string());
    let env = [("FERRY_JOB", job.to_string()), ("FERRY_DEADLINE", deadline), ("FERRY_DELIVERED", v.delivered.to_string())];
    super::jobs::shell_hook(job, "on_late hook", &cmd, &env).await;
}

/// Write the metrics of `set` to `path` (atomically); a failure is logged, never fatal.
pub fn write_metrics(ctx: &Ctx, set: &JobSet, path: &str) {
    let r = open_ledger(ctx, set).and_then(|l| crate::metrics::render(set, l.as_ref(), Utc::now()));
    match r.and_then(|text| crate::metrics::write_file(path, &text)) {
        Ok(()) => tracing::debug!(path, "metrics written"),
        Err(e) => {
            tracing::error!(path, error = %e, "cannot write the metrics file");
            ctx.note(format!("cannot write the metrics file: {e}"));
        }
    }
}

/// Check that a `--metrics-file` can be written where it is asked for, before any work.
pub fn check_metrics_file(path: &str) -> Result<()> {
    let p = Path::new(path);
    let dir = p.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if !dir.is_dir() {
        return Err(Error::usage(format!("--metrics-file {path}: the directory {} does not exist", dir.display())));
    }
    if p.is_dir() {
        return Err(Error::usage(format!("--metrics-file {path} is a directory")));
    }
    Ok(())
}
