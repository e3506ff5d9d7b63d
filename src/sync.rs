//! The sync pipeline as a library: open both sides, scan them concurrently, gate unstable
//! files, plan, execute, and return what happened as data. It prints nothing; `cmd/` turns the
//! result into output and an exit code, and `ferry run`, `ferry daemon` and the one-off commands
//! all go through it.

use crate::backend::{self, Backend, ConnectOptions};
use crate::endpoint::{Endpoint, Protocol};
use crate::error::{Error, ErrorKind, Result};
use crate::exec::cancel::Cancel;
use crate::exec::{self, Report};
use crate::exit::Exit;
use crate::model::{Entry, Kind, Listing, RelPath};
use crate::plan::{self, Action, Plan, fingerprint, temp_name};
use crate::scan::{self, Refusal, Scan};
use crate::settings::Settings;
use crate::staging::Staging;
use chrono::Utc;
use std::sync::Arc;

/// What a run of the pipeline is given besides the transfer: its cancel token (signals, time
/// limits) and whether progress bars may be drawn.
#[derive(Clone)]
pub struct Run {
    pub cancel: Cancel,
    pub progress: bool,
    /// When the run began: the summary's elapsed time counts connecting and scanning too.
    pub started: std::time::Instant,
}

/// What to copy: a whole tree onto a tree, or one file onto one name.
#[derive(Debug, Clone)]
pub enum Shape {
    Tree,
    File,
    /// `-r`: a tree when the source is a directory, else one file (decided on the connection
    /// the run uses anyway).
    Either,
}

/// Transfers at once when `-P` is not given, by the slower side of the transfer: measured at
/// 0, 20 and 80 ms round trips (BENCHMARKS.md), small files gain up to these and no further
/// than a server is likely to allow.
/// SFTP multiplexes every file over one session (bytes in flight are capped per session).
pub const SFTP_PARALLEL: usize = 64;
/// FTP needs a connection (a login) per transfer: a server that answers 421 beyond N gets N,
/// remembered in its profile.
pub const FTP_PARALLEL: usize = 16;
/// Local to local: the disk decides, not round trips.
pub const LOCAL_PARALLEL: usize = 4;

/// The default parallelism for a transfer between `a` and `b`.
pub fn default_parallel(a: &Endpoint, b: &Endpoint) -> usize {
    let of = |e: &Endpoint| match e.scheme.protocol() {
        Protocol::Local => usize::MAX,
        Protocol::Sftp => SFTP_PARALLEL,
        Protocol::Ftp => FTP_PARALLEL,
    };
    match of(a).min(of(b)) {
        usize::MAX => LOCAL_PARALLEL,
        n => n,
    }
}

/// `t` with its parallelism fitted to the link unless `-P` was given, and each FTP side's pool
/// as large as that unless `--connections` was given.
pub fn fitted(t: &Transfer) -> Transfer {
    let mut t = t.clone();
    let p = t.settings.parallel.unwrap_or_else(|| default_parallel(&t.src, &t.dst));
    t.settings.exec.parallel = p;
    for (ep, conn) in [(&t.src, &mut t.src_conn), (&t.dst, &mut t.dst_conn)] {
        if ep.scheme.protocol() == Protocol::Ftp {
            conn.connections.get_or_insert(p);
        }
    }
    t
}

/// A fully resolved transfer: endpoints, credentials, shape and settings.
#[derive(Debug, Clone)]
pub struct Transfer {
    pub src: Endpoint,
    pub dst: Endpoint,
    pub src_conn: ConnectOptions,
    pub dst_conn: ConnectOptions,
    pub shape: Shape,
    pub settings: Settings,
    /// What earlier runs of the job left in the ledger (empty for one-off commands).
    pub history: plan::History,
    /// Where a job records each delivery (none for one-off commands).
    pub recorder: Option<Arc<exec::Recorder>>,
}

/// The result of planning (and, unless dry run, executing) one transfer.
pub struct Done {
    pub header: String,
    pub plan: Plan,
    pub refused: Vec<Refusal>,
    pub report: Option<Report>,
}

impl Done {
    /// The exit code: refusals and failures give 1, a safety stop 6, and so on.
    pub fn exit(&self) -> Exit {
        let mut e = match &self.report {
            Some(r) => r.exit,
            None if self.plan.stop.is_some() => Exit::SafetyStop,
            None => Exit::Ok,
        };
        if !self.refused.is_empty() {
            e = e.worst(Exit::Partial);
        }
        e
    }

    pub fn transferred(&self) -> u64 {
        self.report.as_ref().map_or(0, |r| r.summary.files)
    }
}

/// `SRC -> DST`, and where the files are staged.
fn header(t: &Transfer) -> String {
    match &t.settings.staging_dir {
        Some(d) => format!("{} -> {} (staged in {d})", t.src, t.dst),
        None => format!("{} -> {}", t.src, t.dst),
    }
}

async fn scan_target(b: Arc<dyn Backend>, s: &Settings) -> Result<Scan> {
    match b.stat(&RelPath::root()).await {
        Ok(e) if e.is_dir() => scan::walk(b, &s.filter, Utc::now(), 8).await,
        Ok(_) => Err(Error::new(ErrorKind::Usage, "the target exists and is not a directory").at("", b.describe())),
        Err(e) if e.kind == ErrorKind::NotFound => Ok(Scan::default()),
        Err(e) => Err(e),
    }
}

/// A not-found at the source root is exit 4 ("source does not exist").
pub fn source_missing(ep: &Endpoint, e: Error) -> Error {
    if e.kind == ErrorKind::NotFound { Error::new(ErrorKind::SourceMissing, "source does not exist").at("", ep) } else { e }
}

/// Plan a transfer and, unless `dry_run`, execute it.
pub async fn run(t: &Transfer, run: &Run, dry_run: bool) -> Result<Done> {
    let t = &fitted(t);
    let header = header(t);
    let mut settings = t.settings.clone();
    // The run's own inputs join the executor's options here: progress bars and the ledger.
    settings.exec.progress = run.progress && !dry_run;
    settings.exec.recorder = t.recorder.clone();
    match t.shape {
        Shape::Tree | Shape::Either => {
            // Both sides connect at once: at a partner 50 ms away each connect is several round
            // trips.
            let (src, dst) = tokio::join!(backend::open(&t.src, &t.src_conn), open_target(&t.dst, &t.dst_conn, &settings, !dry_run));
            let src = src?;
            match src.stat(&RelPath::root()).await {
                Ok(e) if e.is_dir() => {}
                // `-r` on a file copies the file; the connection made here is not needed twice.
                Ok(_) if matches!(t.shape, Shape::Either) => return run_file(t, run, dry_run, header, settings).await,
                Ok(_) => return Err(Error::usage(format!("{}: not a directory (a tree copy needs a directory source)", t.src))),
                Err(e) => return Err(source_missing(&t.src, e)),
            }
            let (dst, staging) = dst?;
            let (s, d) = tokio::join!(scan::walk(src.clone(), &settings.filter, Utc::now(), 8), scan_target(dst.clone(), &settings));
            let (mut s, mut d) = (s?, d?);
            // Partials of an interrupted staged run wait in the staging directory.
            if let (Some(st), Some(tmpl)) = (&staging, &settings.policy.temp_name) {
                for e in st.partials(tmpl, s.listing.files().map(|e| (e, &e.path))).await? {
                    d.listing.insert(e);
                }
            }
            let unstable = match settings.stable_for {
                Some(wait) => stability_gate(src.clone(), &settings, &mut s, &mut d, wait, &run.cancel).await?,
                None => vec![],
            };
            if settings.policy.compare == plan::Compare::Checksum {
                let common: Vec<RelPath> = s
                    .listing
                    .files()
                    .filter(|e| d.listing.get(&e.path).is_some_and(|x| x.is_file() && x.size == e.size))
                    .map(|e| e.path.clone())
                    .collect();
                let p = settings.exec.parallel;
                // A remote file whose size and mtime match a hash the ledger recorded is not
                // hashed again.
                let (src_todo, dst_todo) = match t.history.hashes.as_deref() {
                    Some((sk, dk)) => (
                        reuse_hashes(&mut s.listing, common.clone(), sk, !src.capabilities().local),
                        reuse_hashes(&mut d.listing, common, dk, !dst.capabilities().local),
                    ),
                    None => (common.clone(), common),
                };
                let (a, b) = tokio::join!(
                    scan::fill_hashes(src.clone(), &mut s.listing, src_todo, p, settings.hash_by_reading),
                    scan::fill_hashes(dst.clone(), &mut d.listing, dst_todo, p, settings.hash_by_reading)
                );
                a?;
                b?;
            }
            let mut plan = plan::diff(&s.listing, &d.listing, &t.history, &dst.capabilities(), &settings.policy);
            plan.skips.extend(unstable.into_iter().map(|path| plan::Skip { path, reason: plan::SkipReason::StillChanging }));
            let mut refused = s.refused;
            refused.extend(d.refused);
            finish(header, plan, refused, src, (dst, staging), settings, run, dry_run).await
        }
        Shape::File => run_file(t, run, dry_run, header, settings).await,
    }
}

/// One file onto one name: both sides opened at their parents.
async fn run_file(t: &Transfer, run: &Run, dry_run: bool, header: String, settings: Settings) -> Result<Done> {
    let (src_parent, src_name) = t.src.split_last().ok_or_else(|| Error::usage(format!("{}: names no file", t.src)))?;
    let (dst_parent, dst_name) = t.dst.split_last().ok_or_else(|| Error::usage(format!("{}: names no file", t.dst)))?;
    let src = backend::open(&src_parent, &t.src_conn).await?;
    let (dst, staging) = open_target(&dst_parent, &t.dst_conn, &settings, !dry_run).await?;
    let src_rel = RelPath::parse(&src_name).map_err(|e| Error::usage(e.message))?;
    let dst_rel = RelPath::parse(&dst_name).map_err(|e| Error::usage(e.message))?;
    let entry = src.stat(&src_rel).await.map_err(|e| source_missing(&t.src, e))?;
    match entry.kind {
        Kind::Dir => return Err(Error::usage(format!("{}: is a directory (use -r)", t.src))),
        Kind::Symlink => {}
        Kind::File => {}
    }
    let target = target_entries(&*dst, staging.as_deref(), &entry, &dst_rel, &settings).await?;
    let mut entry = entry;
    if settings.policy.compare == plan::Compare::Checksum
        && let Some(d) = target.get(&dst_rel).filter(|d| d.is_file() && d.size == entry.size)
    {
        let _ = d;
        entry.sha256 = Some(backend::hash::sha256(&*src, &src_rel, settings.hash_by_reading).await?.0);
    }
    let mut target = target;
    if let (Some(_), Some(d)) = (&entry.sha256, target.entries.get_mut(&dst_rel)) {
        d.sha256 = Some(backend::hash::sha256(&*dst, &dst_rel, settings.hash_by_reading).await?.0);
    }
    let plan = plan::plan_file(&entry, &dst_rel, &target, &dst.capabilities(), &settings.policy);
    finish(header, plan, vec![], src, (dst, staging), settings, run, dry_run).await
}

/// `stable_for`: wait, list the source again, and set aside every file whose size or mtime
/// changed (or that vanished or appeared). Set-aside files leave both listings, so they are
/// neither copied nor — with `--delete` — deleted at the target this run.
async fn stability_gate(
    src: Arc<dyn Backend>,
    settings: &Settings,
    first: &mut Scan,
    target: &mut Scan,
    wait: std::time::Duration,
    cancel: &Cancel,
) -> Result<Vec<RelPath>> {
    tracing::info!(seconds = wait.as_secs_f64(), "stability gate: listing the source again after the wait");
    let deadline = tokio::time::Instant::now() + wait;
    while tokio::time::Instant::now() < deadline {
        if let Some(e) = cancel.error() {
            return Err(e);
        }
        tokio::time::sleep((deadline - tokio::time::Instant::now()).min(std::time::Duration::from_millis(200))).await;
    }
    let second = scan::walk(src, &settings.filter, Utc::now(), 8).await?;
    let changed: Vec<RelPath> = first
        .listing
        .files()
        .filter(|e| second.listing.get(&e.path).is_none_or(|n| n.size != e.size || n.mtime != e.mtime))
        .map(|e| e.path.clone())
        .chain(second.listing.files().filter(|n| first.listing.get(&n.path).is_none()).map(|n| n.path.clone()))
        .collect();
    for p in &changed {
        first.listing.entries.remove(p);
        target.listing.entries.remove(p);
        tracing::info!(path = %p, "still changing; left for the next run");
    }
    Ok(changed)
}

/// Fill in hashes the ledger knows (remote sides only); returns the paths still to hash.
fn reuse_hashes(
    listing: &mut Listing,
    paths: Vec<RelPath>,
    known: &std::collections::HashMap<crate::ledger::Version, String>,
    remote: bool,
) -> Vec<RelPath> {
    if !remote {
        return paths;
    }
    paths
        .into_iter()
        .filter(|p| {
            let Some(e) = listing.entries.get_mut(p) else { return true };
            match known.get(&crate::ledger::to_seconds(plan::version_key(e))) {
                Some(h) => {
                    e.sha256 = Some(h.clone());
                    false
                }
                None => true,
            }
        })
        .collect()
}

/// Execute a saved plan of a tree transfer, refusing every copy whose source no longer has the
/// planned size and mtime.
pub async fn apply(t: &Transfer, plan: Plan, run: &Run) -> Result<Done> {
    let t = &fitted(t);
    let header = header(t);
    let mut settings = t.settings.clone();
    settings.exec.progress = run.progress;
    settings.exec.recorder = t.recorder.clone();
    let src = backend::open(&t.src, &t.src_conn).await?;
    let (dst, staging) = open_target(&t.dst, &t.dst_conn, &settings, true).await?;
    let mut kept = Plan { actions: Vec::with_capacity(plan.actions.len()), skips: plan.skips, stop: plan.stop };
    let mut refused = Vec::new();
    for a in plan.actions {
        if let Action::Copy { src: p, size, mtime, .. } = &a {
            let now = src.stat(p).await;
            let same = matches!(&now, Ok(e) if e.is_file() && e.size == *size && e.mtime == *mtime);
            if !same {
                refused.push(Refusal { entry: p.to_string(), reason: "the source changed since the plan was made; not copied".into() });
                continue;
            }
        }
        kept.actions.push(a);
    }
    finish(header, kept, refused, src, (dst, staging), settings, run, false).await
}

/// What exists at the target name and at this source version's partial name.
async fn target_entries(dst: &dyn Backend, staging: Option<&Staging>, src: &Entry, dst_rel: &RelPath, s: &Settings) -> Result<Listing> {
    let mut l = Listing::default();
    match dst.stat(dst_rel).await {
        Ok(e) => l.insert(e),
        Err(e) if e.kind == ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    if let (Some(t), Some(st)) = (&s.policy.temp_name, staging) {
        for e in st.partials(t, std::iter::once((src, dst_rel))).await? {
            l.insert(e);
        }
    } else if let Some(t) = &s.policy.temp_name {
        let name = temp_name(t, dst_rel.name(), &fingerprint(&src.path, src.size, src.mtime));
        if let Ok(p) = dst_rel.with_name(&name)
            && let Ok(e) = dst.stat(&p).await
        {
            l.insert(e);
        }
    }
    Ok(l)
}

/// The target's backend, and with `--staging-dir` the staging layout on the same server.
/// `writes`: the run will write (not a dry run), so the staged rename is probed first.
async fn open_target(ep: &Endpoint, conn: &ConnectOptions, s: &Settings, writes: bool) -> Result<(Arc<dyn Backend>, Option<Arc<Staging>>)> {
    match &s.staging_dir {
        None => Ok((backend::open(ep, conn).await?, None)),
        Some(dir) => {
            let (dst, staging) = crate::staging::open(ep, conn, dir, writes).await?;
            Ok((dst, Some(Arc::new(staging))))
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn finish(
    header: String,
    plan: Plan,
    refused: Vec<Refusal>,
    src: Arc<dyn Backend>,
    (dst, staging): (Arc<dyn Backend>, Option<Arc<Staging>>),
    settings: Settings,
    run: &Run,
    dry_run: bool,
) -> Result<Done> {
    let mut plan = plan;
    if plan.stop.is_none()
        && plan.actions.iter().any(|a| matches!(a, Action::Delete { .. }))
        && dst.standing(&RelPath::root())? == crate::paths::Standing::Above
    {
        plan.stop = Some(format!(
            "the target {} is the top of the storage or a parent of the login or working directory; refusing to delete there",
            dst.describe()
        ));
    }
    for r in &refused {
        tracing::error!(entry = %r.entry, "{}", r.reason);
    }
    tracing::info!(
        copies = plan.count(|a| matches!(a, Action::Copy { .. })),
        deletes = plan.count(|a| matches!(a, Action::Delete { .. })),
        skips = plan.skips.len(),
        "planned {header}"
    );
    for a in &plan.actions {
        tracing::debug!(action = ?a, "plan step");
    }
    if dry_run {
        return Ok(Done { header, plan, refused, report: None });
    }
    if plan.stop.is_none() && plan.actions.iter().any(|a| matches!(a, Action::Copy { .. } | Action::Mkdir { .. })) {
        // The target root may not exist yet (a new mirror, a file into a new directory).
        dst.mkdir_all(&RelPath::root()).await?;
    }
    let mut report =
        exec::execute(&plan, src, dst, staging, &settings.policy, settings.exec, run.cancel.clone(), refused.len() as u64).await;
    report.summary.elapsed_ms = run.started.elapsed().as_millis() as u64;
    Ok(Done { header, plan, refused, report: Some(report) })
}
