//! Running a plan: mkdirs, then copies on `parallel` workers (streaming in constant memory,
//! hashing on the fly, writing to a temporary name, verifying, renaming, setting mtime), then
//! mtime fix-ups, then deletes — the deletes only when every earlier step succeeded.
//! The executor never re-plans.

pub mod cancel;
pub mod limit;
#[cfg(test)]
mod tests;
pub mod transfer;

use crate::backend::Backend;
use crate::error::{Error, ErrorKind};
use crate::exit::Exit;
use crate::model::{Kind, RelPath};
use crate::plan::{Action, OnExists, Plan, Policy};
use cancel::Cancel;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use limit::RateLimit;
use serde::Serialize;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

/// How to run a plan.
#[derive(Debug, Clone)]
pub struct ExecOptions {
    pub parallel: usize,
    /// Extra attempts after the first, for retryable errors only.
    pub retries: u32,
    pub retry_delay: Duration,
    pub verify: bool,
    pub bwlimit: Option<u64>,
    pub progress: bool,
    /// Jobs record every completed transfer in the ledger, in the step that makes it visible.
    pub recorder: Option<Arc<Recorder>>,
    /// What happens to a source file once its copy is complete, verified and recorded.
    pub after: Option<Arc<After>>,
    /// Checksum sidecar files (`{name}.sha256`).
    pub sidecar: Option<Arc<Sidecar>>,
    /// FTP text mode (`--ascii`): line endings change in flight, so byte counts are not checked.
    pub text_mode: bool,
    /// Compute each file's SHA-256 in flight for the report and logs. Verification, sidecars and
    /// the ledger need it regardless; a plain `get`/`put` whose output shows no checksum skips
    /// it (hashing is a third of the CPU of a big download).
    pub hash: bool,
}

impl ExecOptions {
    /// Whether transfers compute a SHA-256 on the fly.
    pub fn wants_hash(&self) -> bool {
        self.hash || self.verify || self.sidecar.is_some() || self.recorder.is_some()
    }
}

/// Checksum sidecars: a pull checks each file against the partner's sidecar before it is
/// renamed into place; a push writes one next to each file, after the file.
#[derive(Debug, Clone)]
pub enum Sidecar {
    Check(String),
    Write(String),
}

/// A source after-action.
#[derive(Debug, Clone)]
pub enum After {
    Delete,
    /// Move into a directory: a template (`{yyyy}`, `{name}`, …) resolved like a URL path on
    /// the source's side — joined onto `base` (the remote's URL, or the working directory).
    Move {
        base: crate::endpoint::Endpoint,
        template: String,
        job: String,
    },
}

/// What the ledger needs to know about the run, besides each file.
pub struct Recorder {
    pub ledger: Arc<crate::ledger::Ledger>,
    pub job: String,
    pub direction: String,
    pub source: String,
    pub target: String,
    /// The run's lease on a shared ledger: checked before each rename and after-action.
    pub lease: Option<Arc<crate::ledger::Lease>>,
}

impl std::fmt::Debug for Recorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Recorder({} {})", self.job, self.ledger.location)
    }
}

impl Default for ExecOptions {
    fn default() -> Self {
        ExecOptions {
            parallel: 4,
            retries: 3,
            retry_delay: Duration::from_secs(1),
            verify: false,
            bwlimit: None,
            progress: false,
            recorder: None,
            after: None,
            sidecar: None,
            text_mode: false,
            hash: true,
        }
    }
}

/// The outcome of one action.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    #[serde(flatten)]
    pub action: Action,
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    pub bytes: u64,
    #[serde(skip)]
    pub error_kind: Option<ErrorKind>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Done,
    Failed,
    /// Not run: an earlier failure or a cancel stopped the run first (deletes, mostly).
    NotRun,
}

/// Totals of a run, for the one-line summary and `--json`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub files: u64,
    pub bytes: u64,
    pub skipped: u64,
    pub failed: u64,
    pub deleted: u64,
    pub dirs_created: u64,
    pub refused: u64,
    /// Operations and copies retried (connects, listings and transfers together).
    pub retries: u64,
    pub elapsed_ms: u64,
}

impl Summary {
    /// One human line: files, bytes, skipped, failed, elapsed, rate.
    pub fn line(&self) -> String {
        let secs = (self.elapsed_ms as f64 / 1000.0).max(0.001);
        let rate = crate::units::human_bytes((self.bytes as f64 / secs) as u64);
        let mut s = format!(
            "{} ({}) transferred, {} skipped, {} failed",
            crate::units::count(self.files, "file", "files"),
            crate::units::human_bytes(self.bytes),
            self.skipped,
            self.failed + self.refused
        );
        if self.deleted > 0 {
            s.push_str(&format!(", {} deleted", self.deleted));
        }
        s.push_str(&format!(" in {:.2}s ({rate}/s)", secs));
        s
    }
}

/// Everything a run produced.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub summary: Summary,
    pub outcomes: Vec<Outcome>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stop: Option<String>,
    pub exit_code: u8,
    #[serde(skip)]
    pub exit: Exit,
}

/// Shared state of the copy workers.
pub(crate) struct Ctx {
    pub src: Arc<dyn Backend>,
    pub dst: Arc<dyn Backend>,
    /// `--staging-dir`: temp files go there, on the same server, instead of beside the target.
    pub staging: Option<Arc<crate::staging::Staging>>,
    /// From the plan's policy: the temp-name template (`None`: in place) and what happens to
    /// an existing target.
    pub temp_name: Option<String>,
    pub on_exists: OnExists,
    pub opts: ExecOptions,
    pub cancel: Cancel,
    pub limit: Option<RateLimit>,
    pub bar: Option<ProgressBar>,
    pub mtime_warned: std::sync::atomic::AtomicBool,
    /// Copies restarted after a failure.
    pub retried: std::sync::atomic::AtomicU64,
    /// Ledger rows written ahead of the copies: source path → row id (see `write_ahead`).
    pub ahead: std::collections::HashMap<String, i64>,
    /// Rows whose copy reached its delivering rename; the other rows written ahead are removed
    /// when the copies end.
    pub reached: std::sync::Mutex<std::collections::HashSet<i64>>,
}

/// Write the `pending` rows of every planned copy in a few transactions before the copies
/// start, instead of one per file before each rename: a pending row only has to exist before
/// its rename. Only where the target keeps mtimes: a crash leaves these rows pending, and the
/// next run confirms one only from a target file with the source's size and mtime, which a
/// stale file of the same size does not have. Elsewhere (and if the write fails) each copy
/// records its own row just before its rename.
async fn write_ahead(plan: &Plan, opts: &ExecOptions, dst: &dyn Backend) -> std::collections::HashMap<String, i64> {
    let Some(rec) = opts.recorder.clone() else { return Default::default() };
    if !dst.capabilities().set_mtime {
        return Default::default();
    }
    let now = chrono::Utc::now();
    let (keys, rows): (Vec<String>, Vec<crate::ledger::Record>) = plan
        .copies()
        .filter_map(|a| match a {
            Action::Copy { src, dst, size, mtime, .. } => Some((src.as_str().to_string(), rec.row(src, dst, *size, *mtime, None, now, 0))),
            _ => None,
        })
        .unzip();
    if rows.is_empty() {
        return Default::default();
    }
    let ledger = rec.ledger.clone();
    match tokio::task::spawn_blocking(move || ledger.record_many(&rows)).await {
        Ok(Ok(ids)) => keys.into_iter().zip(ids).collect(),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "cannot write the run's ledger rows ahead; each copy records its own");
            Default::default()
        }
        Err(e) => {
            tracing::warn!(error = %e, "ledger task failed; each copy records its own row");
            Default::default()
        }
    }
}

/// On drop, removes the rows written ahead for copies that never reached their rename: they
/// stood for nothing. (A killed process leaves them pending; the next run re-checks them.)
struct Unreached(Arc<Ctx>);

impl Drop for Unreached {
    fn drop(&mut self) {
        let Some(rec) = &self.0.opts.recorder else { return };
        let reached = self.0.reached.lock().unwrap_or_else(|e| e.into_inner()).clone();
        for id in self.0.ahead.values().filter(|id| !reached.contains(id)) {
            let s = crate::ledger::Settled { id: *id, outcome: None, at: chrono::Utc::now(), started_at: None, sha256: None, bytes: None };
            if let Err(e) = rec.ledger.settle(s) {
                tracing::warn!(error = %e, "cannot remove the ledger rows of copies that did not run; the next run checks them");
                break;
            }
        }
    }
}

impl Recorder {
    /// The `pending` row of one copy.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn row(
        &self,
        src: &RelPath,
        dst: &RelPath,
        size: u64,
        mtime: Option<chrono::DateTime<chrono::Utc>>,
        sha256: Option<String>,
        started: chrono::DateTime<chrono::Utc>,
        bytes: u64,
    ) -> crate::ledger::Record {
        crate::ledger::Record {
            job: self.job.clone(),
            direction: self.direction.clone(),
            source: self.source.clone(),
            path: src.as_str().to_string(),
            size,
            mtime_ns: mtime.and_then(|t| t.timestamp_nanos_opt()),
            sha256,
            target: self.target.clone(),
            target_path: dst.as_str().to_string(),
            started_at: started,
            finished_at: chrono::Utc::now(),
            bytes,
            outcome: "pending".into(),
        }
    }
}

fn outcome(action: Action, r: Result<(u64, Option<String>), Error>) -> Outcome {
    match r {
        Ok((bytes, sha256)) => Outcome { action, status: Status::Done, error: None, sha256, bytes, error_kind: None },
        Err(e) => Outcome { action, status: Status::Failed, error: Some(e.to_string()), sha256: None, bytes: 0, error_kind: Some(e.kind) },
    }
}

fn progress_bar(total: u64, enabled: bool) -> Option<ProgressBar> {
    if !enabled || total == 0 {
        return None;
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{spinner} {bytes}/{total_bytes} {bar:30} {bytes_per_sec} eta {eta} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    Some(bar)
}

/// Run `plan` from `src` to `dst`. `skipped` and `refused` count entries the plan left out.
/// Execute `plan`: its copies write as `policy` says (temp names, what to do with an existing
/// target), with `opts` deciding how (parallelism, retries, verification, after-actions).
pub async fn execute(
    plan: &Plan,
    src: Arc<dyn Backend>,
    dst: Arc<dyn Backend>,
    staging: Option<Arc<crate::staging::Staging>>,
    policy: &Policy,
    opts: ExecOptions,
    cancel: Cancel,
    refused: u64,
) -> Report {
    let started = Instant::now();
    let mut summary = Summary { skipped: plan.skips.len() as u64, refused, ..Default::default() };
    if let Some(stop) = &plan.stop {
        tracing::error!(reason = %stop, "safety stop: nothing was changed");
        summary.elapsed_ms = started.elapsed().as_millis() as u64;
        return Report { summary, outcomes: vec![], stop: Some(stop.clone()), exit_code: Exit::SafetyStop.code(), exit: Exit::SafetyStop };
    }
    let ctx = Arc::new(Ctx {
        src,
        dst: dst.clone(),
        staging,
        temp_name: policy.temp_name.clone(),
        on_exists: policy.on_exists,
        limit: opts.bwlimit.map(RateLimit::new),
        bar: progress_bar(plan.copy_bytes(), opts.progress),
        cancel: cancel.clone(),
        mtime_warned: Default::default(),
        retried: Default::default(),
        ahead: write_ahead(plan, &opts, &*dst).await,
        reached: Default::default(),
        opts,
    });
    let mut outcomes: Vec<Outcome> = Vec::with_capacity(plan.actions.len());

    // 1. Directories, parents first: one depth at a time, `parallel` at once within a depth (at
    // a partner 50 ms away, 20 directories one after another cost a second).
    let mut dirs: Vec<&RelPath> =
        plan.actions.iter().filter_map(|a| if let Action::Mkdir { path } = a { Some(path) } else { None }).collect();
    dirs.sort_by_key(|p| p.depth());
    for level in dirs.chunk_by(|a, b| a.depth() == b.depth()) {
        let sem = Arc::new(Semaphore::new(ctx.opts.parallel.max(1)));
        let mut made: JoinSet<(RelPath, crate::error::Result<()>)> = JoinSet::new();
        for path in level {
            let (dst, sem, path) = (dst.clone(), sem.clone(), (*path).clone());
            made.spawn(async move {
                let _permit = sem.acquire_owned().await;
                let r = dst.mkdir_all(&path).await;
                (path, r)
            });
        }
        while let Some(j) = made.join_next().await {
            let (path, r) = j.unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()));
            if r.is_ok() {
                summary.dirs_created += 1;
                tracing::debug!(path = %path, "mkdir");
            }
            outcomes.push(outcome(Action::Mkdir { path }, r.map(|_| (0, None))));
        }
    }

    // 2. Copies, `parallel` at a time. The rows written ahead for copies that never reach their
    // rename are removed when the copies end, or when this run is dropped at its time limit.
    let unreached = Unreached(ctx.clone());
    let sem = Arc::new(Semaphore::new(ctx.opts.parallel.max(1)));
    let mut tasks: JoinSet<(usize, Outcome)> = JoinSet::new();
    let copies: Vec<&Action> = plan.actions.iter().filter(|a| matches!(a, Action::Copy { .. })).collect();
    let mut copy_outcomes: Vec<Option<Outcome>> = vec![None; copies.len()];
    for (i, a) in copies.iter().enumerate() {
        let permit = sem.clone().acquire_owned().await.expect("semaphore never closes");
        if cancel.is_cancelled() {
            break;
        }
        let ctx = ctx.clone();
        let a = (*a).clone();
        tasks.spawn(async move {
            let _permit = permit;
            let r = transfer::with_retries(&ctx, &a).await;
            (i, outcome(a, r))
        });
        while let Some(done) = tasks.try_join_next() {
            if let Ok((i, o)) = done {
                copy_outcomes[i] = Some(o);
            }
        }
    }
    while let Some(done) = tasks.join_next().await {
        if let Ok((i, o)) = done {
            copy_outcomes[i] = Some(o);
        }
    }
    drop(unreached);
    for (i, o) in copy_outcomes.into_iter().enumerate() {
        let o =
            o.unwrap_or_else(|| outcome(copies[i].clone(), Err(cancel.error().unwrap_or_else(|| Error::new(ErrorKind::Io, "not run")))));
        if o.status == Status::Done {
            summary.files += 1;
            summary.bytes += o.bytes;
        }
        outcomes.push(o);
    }
    if let Some(bar) = &ctx.bar {
        bar.finish_and_clear();
    }

    // 3. Mtime fix-ups and refusals.
    for a in &plan.actions {
        match a {
            Action::SetMtime { path, mtime } => {
                let r = dst.set_mtime(path, *mtime).await.map(|_| (0, None));
                outcomes.push(outcome(a.clone(), r));
            }
            Action::Confirm { path, ledger_id } => {
                let r = match &ctx.opts.recorder {
                    Some(rec) => rec.ledger.set_outcome(*ledger_id, "done").map(|_| (0, None)).map_err(|e| e.at("record", path)),
                    None => Ok((0, None)),
                };
                outcomes.push(outcome(a.clone(), r));
            }
            Action::Settle { path } => {
                let r = transfer::after_source(&ctx, path).await.map(|_| (0, None));
                outcomes.push(outcome(a.clone(), r));
            }
            Action::Fail { path, reason } => {
                tracing::error!(path = %path, "{reason}");
                outcomes.push(outcome(a.clone(), Err(Error::new(ErrorKind::Io, reason.clone()).at("", path))));
            }
            _ => {}
        }
    }

    // 4. Deletes, deepest first, only when everything so far succeeded.
    let failed_so_far = outcomes.iter().any(|o| o.status == Status::Failed) || refused > 0;
    for a in plan.actions.iter().filter(|a| matches!(a, Action::Delete { .. })) {
        let Action::Delete { path, kind } = a else { unreachable!() };
        if failed_so_far || cancel.is_cancelled() {
            outcomes.push(Outcome { action: a.clone(), status: Status::NotRun, error: None, sha256: None, bytes: 0, error_kind: None });
            continue;
        }
        let r = delete(&*dst, path, *kind).await;
        if matches!(r, Ok(true)) {
            summary.deleted += 1;
        }
        outcomes.push(outcome(a.clone(), r.map(|_| (0, None))));
    }
    if failed_so_far && plan.actions.iter().any(|a| matches!(a, Action::Delete { .. })) {
        tracing::warn!("deletes skipped because some transfers failed or entries were refused");
    }

    // Exit code: the most severe failure decides.
    let mut exit = if refused > 0 { Exit::Partial } else { Exit::Ok };
    for o in &outcomes {
        if o.status == Status::Failed {
            summary.failed += 1;
            let kind = o.error_kind.unwrap_or(ErrorKind::Io);
            exit = exit.worst(Error::new(kind, "").exit());
        }
    }
    if let Some(e) = cancel.error() {
        exit = exit.worst(e.exit());
    }
    summary.elapsed_ms = started.elapsed().as_millis() as u64;
    summary.retries = ctx.retried.load(std::sync::atomic::Ordering::Relaxed) + ctx.src.retries() + ctx.dst.retries();
    Report { summary, outcomes, stop: None, exit_code: exit.code(), exit }
}

/// Delete one entry; a directory that still holds (excluded) entries is left in place.
async fn delete(dst: &dyn Backend, path: &RelPath, kind: Kind) -> Result<bool, Error> {
    let r = if kind == Kind::Dir { dst.remove_dir(path).await } else { dst.remove_file(path).await };
    match r {
        Ok(()) => {
            tracing::info!(path = %path, "deleted");
            Ok(true)
        }
        Err(e) if e.kind == ErrorKind::NotEmpty => {
            tracing::info!(path = %path, "directory kept: it still holds excluded entries");
            Ok(false)
        }
        Err(e) if e.kind == ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}
