//! run, plan, validate: job files end to end.

use super::Ctx;
use super::transfer::{self, Done};
use crate::cli::HistoryAction;
use crate::error::{Error, Result};
use crate::exec::Recorder;
use crate::exit::Exit;
use crate::job::{self, Job, JobSet};
use crate::ledger::{self, Guard, Ledger, Location};
use crate::plan::render;
use std::sync::Arc;

/// `ferry validate JOBFILE`
pub fn validate(ctx: &Ctx, path: &str) -> Result<Exit> {
    let set = job::load(path)?;
    let names: Vec<&str> = set.jobs.iter().map(|j| j.name.as_str()).collect();
    ctx.note(format!("{path}: OK, {} job(s): {}", names.len(), names.join(", ")));
    Ok(Exit::Ok)
}

pub(crate) fn select<'a>(set: &'a JobSet, names: &[String]) -> Result<Vec<&'a Job>> {
    if names.is_empty() {
        return Ok(set.jobs.iter().collect());
    }
    names
        .iter()
        .map(|n| {
            set.jobs.iter().find(|j| &j.name == n).ok_or_else(|| {
                let known: Vec<&str> = set.jobs.iter().map(|j| j.name.as_str()).collect();
                Error::usage(format!("{}: no job named {n:?} (jobs: {})", set.file, known.join(", ")))
            })
        })
        .collect()
}

/// The ledger to use: `--ledger`, else the job file's `ledger:`, else the default location.
/// A `--ledger` URL of a scheme ferry does not support is refused (exit 2).
pub(crate) fn ledger_location(ctx: &Ctx, set: Option<&JobSet>) -> Result<Location> {
    match (&ctx.global.ledger, set.and_then(|s| s.ledger.as_ref())) {
        (Some(flag), _) => Location::parse(flag),
        (None, Some(from_file)) => Ok(from_file.clone()),
        (None, None) => Ok(Location::default_file()),
    }
}

/// `ferry run JOBFILE [JOB...]` and `ferry plan` (dry run).
pub async fn run(
    ctx: &Ctx,
    path: &str,
    names: &[String],
    dry_run: bool,
    json: bool,
    error_on_no_transfer: bool,
    out: Option<&str>,
) -> Result<Exit> {
    let set = job::load(path)?;
    run_set(ctx, &set, names, dry_run, json, error_on_no_transfer, out).await
}

/// Run (or plan) the named jobs of an already loaded job file.
pub async fn run_set(
    ctx: &Ctx,
    set: &JobSet,
    names: &[String],
    dry_run: bool,
    json: bool,
    error_on_no_transfer: bool,
    out: Option<&str>,
) -> Result<Exit> {
    let path = set.file.as_str();
    let jobs = select(set, names)?;
    let location = ledger_location(ctx, Some(set))?;
    // A dry run never creates the ledger; without one, nothing counts as delivered yet.
    let ledger = if dry_run && !location.exists() { None } else { Some(Arc::new(Ledger::open(&location)?)) };
    let mut exit = Exit::Ok;
    let mut docs = Vec::new();
    let mut transferred = 0;
    for j in jobs {
        if ctx.cancel.is_cancelled() {
            break;
        }
        // The job's own token: its time limit, or the loss of its lease, stops this job and
        // not the ones after it.
        let jctx = Ctx { cancel: ctx.cancel.child(), ..ctx.clone() };
        // Two runs of one job never overlap, on this host (a file lock) or on any host sharing
        // the ledger (a lease); a dry run changes nothing and takes neither.
        let guard = if dry_run {
            None
        } else {
            match Guard::take(ledger.as_ref(), &ledger::state_dir().join("locks"), &j.name, set.lease_ttl, &jctx.cancel).await {
                Ok(g) => Some(g),
                Err(e) => {
                    crate::logging::error(Some(&j.name), &e);
                    exit = exit.worst(e.exit());
                    docs.push(serde_json::json!({ "job": j.name, "error": e.to_string(), "exit_code": e.exit().code() }));
                    // Refused by the lock: counted, but the holder's run stays the last run.
                    if let Some(l) = &ledger {
                        record_run(l, &j.name, e.exit(), None, None);
                    }
                    continue;
                }
            }
        };
        let t = job_transfer(j, ledger.as_ref(), guard.as_ref().and_then(Guard::lease))?;
        let started = chrono::Utc::now();
        tracing::info!(job = %j.name, epoch = guard.as_ref().and_then(Guard::lease).map(|l| l.epoch()), "job started");
        let r = match j.max_duration {
            Some(limit) if !dry_run => jctx.cancel.bounded(limit, crate::sync::run(&t, &jctx.pipeline(), dry_run)).await,
            _ => crate::sync::run(&t, &jctx.pipeline(), dry_run).await,
        };
        drop(t);
        let (code, doc) = match &r {
            Ok(done) => {
                transferred += done.transferred();
                let mut code = done.exit();
                if code == Exit::Ok && !dry_run && (j.error_on_no_transfer || error_on_no_transfer) && done.transferred() == 0 {
                    code = Exit::NoTransfer;
                }
                if !json {
                    if dry_run {
                        print!("{}", render::text(&done.plan, &format!("job {}: {}", j.name, done.header), ctx.global.verbose > 0));
                    }
                    super::transfer::print_problems(done, ctx, Some(&j.name));
                }
                (code, job_doc(j, done, code))
            }
            Err(e) => {
                crate::logging::error(Some(&j.name), &e);
                (e.exit(), serde_json::json!({ "job": j.name, "error": e.to_string(), "exit_code": e.exit().code() }))
            }
        };
        tracing::info!(job = %j.name, exit_code = code.code(), "job finished");
        if !dry_run && let Some(l) = &ledger {
            record_run(l, &j.name, code, Some(started), r.as_ref().ok().and_then(|d| d.report.as_ref()));
        }
        if !dry_run {
            // The JSON run report goes to `report:`, or next to the ledger when a hook may want it.
            let has_hook = j.on_success.is_some() || j.on_failure.is_some() || j.on_no_files.is_some();
            let report = match &j.report {
                Some(t) => Some(expand(t, &j.name)),
                None if has_hook => Some(
                    ledger::state_dir()
                        .join("reports")
                        .join(format!("{}-{}.json", j.name, chrono::Utc::now().format("%Y%m%dT%H%M%S%.3f")))
                        .display()
                        .to_string(),
                ),
                None => None,
            };
            if let Some(path) = &report {
                write_report(path, &j.name, &doc);
            }
            // Failed runs in a row, for hooks that page only on the third (none without a ledger).
            let failed_runs = ledger.as_ref().and_then(|l| l.last_run(&j.name).ok().flatten()).map(|r| r.failed_runs);
            run_hooks(j, code, report.as_deref(), failed_runs).await;
        }
        // The job is let go only now: its run, its record and its hooks are done.
        drop(guard);
        docs.push(doc);
        exit = exit.worst(code);
    }
    if exit == Exit::Ok && error_on_no_transfer && !dry_run && transferred == 0 {
        exit = Exit::NoTransfer;
    }
    // The absolute job-file path, so that `ferry apply` finds it from any directory.
    let file = std::fs::canonicalize(path).map(|p| p.display().to_string()).unwrap_or_else(|_| path.to_string());
    let doc = serde_json::json!({ "file": file, "dry_run": dry_run, "jobs": docs, "exit_code": exit.code() });
    if json {
        println!("{doc}");
    }
    if let Some(out) = out {
        let text = serde_json::to_string_pretty(&doc).expect("json");
        std::fs::write(out, text + "\n").map_err(|e| Error::io("write", out, e))?;
        ctx.note(format!("plan written to {out}"));
    }
    Ok(exit)
}

/// The job's transfer with what its ledger adds: the history the planner reads (`once`,
/// pending rows, known hashes) and the recorder the executor writes through.
fn job_transfer(j: &Job, ledger: Option<&Arc<Ledger>>, lease: Option<&Arc<ledger::Lease>>) -> Result<transfer::Transfer> {
    let mut t = j.transfer.clone();
    if let Some(l) = ledger {
        let source = t.src.to_string();
        if j.once {
            t.history.delivered = Some(Arc::new(l.delivered(&j.name, &source)?));
        }
        t.history.pending = Some(Arc::new(l.pending(&j.name, &source)?));
        if t.settings.policy.compare == crate::plan::Compare::Checksum {
            t.history.hashes = Some(Arc::new(l.known_hashes(&j.name, &source, &t.dst.to_string())?));
        }
        t.recorder = Some(Arc::new(Recorder {
            ledger: l.clone(),
            job: j.name.clone(),
            direction: serde_json::to_value(j.direction).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default(),
            source,
            target: t.dst.to_string(),
            lease: lease.cloned(),
        }));
    }
    Ok(t)
}

/// `ferry apply PLAN.json`: execute exactly a saved plan. Each copy's source must still have the
/// size and mtime it had when planned; an entry whose source changed is refused (named on
/// stderr, exit 1) and — since a refusal blocks deletes — nothing is deleted in that job.
pub async fn apply(ctx: &Ctx, plan_path: &str) -> Result<Exit> {
    let text = std::fs::read_to_string(plan_path).map_err(|e| Error::usage(format!("cannot read plan {plan_path}: {e}")))?;
    let doc: serde_json::Value = serde_json::from_str(&text).map_err(|e| Error::usage(format!("{plan_path}: not a ferry plan: {e}")))?;
    let file = doc["file"].as_str().ok_or_else(|| Error::usage(format!("{plan_path}: not a ferry plan (no job file)")))?;
    let set = job::load(file)?;
    let ledger = Arc::new(Ledger::open(&ledger_location(ctx, Some(&set))?)?);
    let mut exit = Exit::Ok;
    for jd in doc["jobs"].as_array().into_iter().flatten() {
        let name = jd["job"].as_str().unwrap_or_default();
        let Some(j) = set.jobs.iter().find(|j| j.name == name) else {
            return Err(Error::usage(format!("{plan_path}: job {name:?} is not in {file} any more")));
        };
        let plan: crate::plan::Plan = serde_json::from_value(jd["plan"].clone())
            .map_err(|e| Error::usage(format!("{plan_path}: job {name:?}: unreadable plan: {e}")))?;
        let jctx = Ctx { cancel: ctx.cancel.child(), ..ctx.clone() };
        let guard = Guard::take(Some(&ledger), &ledger::state_dir().join("locks"), &j.name, set.lease_ttl, &jctx.cancel).await?;
        let t = job_transfer(j, Some(&ledger), guard.lease())?;
        let code = match crate::sync::apply(&t, plan, &jctx.pipeline()).await {
            Ok(done) => {
                super::transfer::print_problems(&done, ctx, Some(&j.name));
                done.exit()
            }
            Err(e) => {
                crate::logging::error(Some(name), &e);
                e.exit()
            }
        };
        exit = exit.worst(code);
    }
    Ok(exit)
}

/// Keep a finished run in the ledger for `ferry status` and the metrics: its last-run row (when
/// it ran: `started` is set) and its totals. A failure to write is logged, never fatal: the
/// transfers themselves are already recorded.
fn record_run(l: &Ledger, job: &str, code: Exit, started: Option<chrono::DateTime<chrono::Utc>>, report: Option<&crate::exec::Report>) {
    let outcome = crate::metrics::label_of(&code);
    let summary = report.map(|r| r.summary.clone()).unwrap_or_default();
    let mut counters = vec![
        ("runs", outcome.clone(), 1),
        ("files", String::new(), summary.files),
        ("bytes", String::new(), summary.bytes),
        ("retries", String::new(), summary.retries),
    ];
    let mut kinds: std::collections::BTreeMap<String, u64> = Default::default();
    for o in report.iter().flat_map(|r| &r.outcomes).filter(|o| o.status == crate::exec::Status::Failed) {
        *kinds.entry(o.error_kind.map(|k| crate::metrics::label_of(&k)).unwrap_or_else(|| "io".into())).or_default() += 1;
    }
    counters.extend(kinds.into_iter().map(|(k, n)| ("failures", k, n)));
    let run = started.map(|started_at| ledger::RunRecord {
        started_at,
        finished_at: chrono::Utc::now(),
        exit_code: code.code(),
        outcome,
        files: summary.files,
        bytes: summary.bytes,
        failed: summary.failed + summary.refused,
        host: crate::metrics::hostname(),
        pid: std::process::id(),
        last_success: None,
        failed_runs: 0,
    });
    if let Err(e) = l.record_run(job, run.as_ref(), &counters) {
        tracing::warn!(job, error = %e, "cannot record the run for status and metrics");
    }
}

fn job_doc(j: &Job, done: &Done, code: Exit) -> serde_json::Value {
    serde_json::json!({
        "job": j.name,
        "direction": j.direction,
        "source_target": done.header,
        "plan": render::json(&done.plan),
        "report": done.report,
        "refused": done.refused,
        "exit_code": code.code(),
    })
}

/// Expand `{job}` and the date placeholders in a report path.
fn expand(t: &str, job: &str) -> String {
    crate::plan::expand_template(t, "", job, chrono::Local::now().date_naive())
}

fn write_report(path: &str, job: &str, doc: &serde_json::Value) {
    let path = path.to_string();
    if let Some(parent) = std::path::Path::new(&path).parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    if let Err(e) = std::fs::write(&path, serde_json::to_string_pretty(doc).expect("json") + "\n") {
        tracing::error!(job, path = %path, error = %e, "cannot write the run report");
    }
}

/// Run `on_success` / `on_failure` / `on_no_files` through `sh -c`, with `FERRY_JOB`,
/// `FERRY_EXIT_CODE`, `FERRY_FAILED_RUNS` (failed runs in a row) and `FERRY_REPORT` (the JSON run report) in the environment. A failing hook is logged; it never changes the exit code.
async fn run_hooks(j: &Job, code: Exit, report: Option<&str>, failed_runs: Option<u64>) {
    let hook = match code {
        Exit::Ok => j.on_success.as_ref(),
        Exit::NoTransfer => j.on_no_files.as_ref().or(j.on_success.as_ref()),
        _ => j.on_failure.as_ref(),
    };
    let Some(cmd) = hook else { return };
    let cmd = expand(cmd, &j.name).replace("{exit_code}", &code.code().to_string()).replace("{report}", report.unwrap_or(""));
    let mut env = vec![("FERRY_JOB", j.name.clone()), ("FERRY_EXIT_CODE", code.code().to_string())];
    env.extend(report.map(|r| ("FERRY_REPORT", r.to_string())));
    env.extend(failed_runs.map(|n| ("FERRY_FAILED_RUNS", n.to_string())));
    shell_hook(&j.name, "hook", &cmd, &env).await;
}

/// Run a hook's command through `sh -c` with `env` added; its outcome is logged, never returned.
/// With JSON logs the hook's output is read line by line and written as `hook_output` objects
/// on stderr (its stdout too: ferry's stdout carries `--json` reports); otherwise the hook
/// writes to ferry's own stdout and stderr.
pub(crate) async fn shell_hook(job: &str, what: &str, cmd: &str, env: &[(&str, String)]) {
    let mut c = tokio::process::Command::new("sh");
    c.arg("-c").arg(cmd).envs(env.iter().map(|(k, v)| (*k, v)));
    let status = if crate::logging::json() {
        c.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped());
        match c.spawn() {
            Ok(mut child) => {
                let out = child.stdout.take().map(|o| relay_lines(o, job.to_string(), what.to_string(), "stdout"));
                let err = child.stderr.take().map(|e| relay_lines(e, job.to_string(), what.to_string(), "stderr"));
                let status = child.wait().await;
                for t in [out, err].into_iter().flatten() {
                    let _ = t.await;
                }
                status
            }
            Err(e) => Err(e),
        }
    } else {
        c.status().await
    };
    match status {
        Ok(s) if s.success() => tracing::info!(job, "{what} finished"),
        Ok(s) => tracing::error!(job, status = %s, "{what} failed"),
        Err(e) => tracing::error!(job, error = %e, "{what} could not start"),
    }
}

/// Each line a hook writes becomes one `hook_output` line of ferry's (lossy UTF-8, as a log
/// shipper would read it).
fn relay_lines(
    r: impl tokio::io::AsyncRead + Unpin + Send + 'static,
    job: String,
    hook: String,
    stream: &'static str,
) -> tokio::task::JoinHandle<()> {
    use tokio::io::AsyncBufReadExt;
    tokio::spawn(async move {
        let mut lines = tokio::io::BufReader::new(r).split(b'\n');
        while let Ok(Some(l)) = lines.next_segment().await {
            let text = String::from_utf8_lossy(&l);
            crate::logging::Line::new(crate::logging::Level::Info, "hook_output", text.trim_end_matches('\r'))
                .job(Some(&job))
                .field("hook", &hook)
                .field("stream", stream)
                .emit();
        }
    })
}

/// `ferry history [--job] [--since] [--json]` and `ferry history forget --job NAME [PATH...]`.
pub fn history(ctx: &Ctx, action: Option<HistoryAction>, job: Option<&str>, since: Option<&str>, json: bool) -> Result<Exit> {
    let path = ledger_location(ctx, None)?;
    if let Some(HistoryAction::Forget { job, paths }) = action {
        let l = Ledger::open(&path)?;
        if !l.knows_job(&job)? {
            return Err(Error::usage(format!("the ledger {path} has no transfers of job {job:?}")));
        }
        let n =
            if paths.is_empty() { l.forget(&job, None)? } else { paths.iter().map(|p| l.forget(&job, Some(p))).sum::<Result<usize>>()? };
        ctx.note(format!("forgot {n} transfer(s) of job {job}; `once` will fetch them again"));
        return Ok(Exit::Ok);
    }
    let since = since
        .map(|d| crate::units::parse_duration(d).map(|d| chrono::Utc::now() - chrono::Duration::from_std(d).unwrap_or_default()))
        .transpose()?;
    if !path.exists() {
        if json {
            println!("[]");
        }
        ctx.note(format!("no ledger at {path} yet"));
        return Ok(Exit::Ok);
    }
    let rows = Ledger::open(&path)?.history(job, since)?;
    if json {
        println!("{}", serde_json::to_string(&rows).expect("json"));
    } else {
        for r in &rows {
            println!(
                "{}  {:<16} {:<6} {:>10}  {}/{} -> {}/{}",
                r.finished_at.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M:%S"),
                r.job,
                r.direction,
                r.size,
                r.source.trim_end_matches('/'),
                r.path,
                r.target.trim_end_matches('/'),
                r.target_path
            );
        }
    }
    Ok(Exit::Ok)
}
