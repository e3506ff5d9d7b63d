//! get, put, mirror and check: resolve endpoints, list both sides concurrently, plan, then print
//! the plan (dry run) or execute it, and report.

use super::{Ctx, conn_options, raw_settings};
use crate::backend::{self, Backend, ConnectOptions};
use crate::cli::{ConnArgs, TransferArgs};
use crate::endpoint::{Endpoint, Remotes, Scheme};
use crate::error::{Error, ErrorKind, Result};
use crate::exec::{self, Report};
use crate::exit::Exit;
use crate::model::{Entry, Kind, Listing, RelPath};
use crate::plan::{self, Action, Plan, fingerprint, render, temp_name};
use crate::scan::{self, Refusal, Scan};
use crate::settings::{Settings, compile};
use chrono::Utc;
use std::sync::Arc;

/// What to copy: a whole tree onto a tree, or one file onto one name.
#[derive(Debug, Clone)]
pub enum Shape {
    Tree,
    File,
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

async fn scan_target(b: Arc<dyn Backend>, s: &Settings) -> Result<Scan> {
    match b.stat(&RelPath::root()).await {
        Ok(e) if e.is_dir() => scan::walk(b, &s.filter, Utc::now(), 8).await,
        Ok(_) => Err(Error::new(ErrorKind::Usage, "the target exists and is not a directory").at("", b.describe())),
        Err(e) if e.kind == ErrorKind::NotFound => Ok(Scan::default()),
        Err(e) => Err(e),
    }
}

fn source_missing(ep: &Endpoint, e: Error) -> Error {
    if e.kind == ErrorKind::NotFound { Error::new(ErrorKind::SourceMissing, "source does not exist").at("", ep) } else { e }
}

/// Plan a transfer and, unless `dry_run`, execute it.
pub async fn run(t: &Transfer, ctx: &Ctx, dry_run: bool) -> Result<Done> {
    let header = format!("{} -> {}", t.src, t.dst);
    let mut settings = t.settings.clone();
    settings.exec.progress = ctx.progress() && !dry_run;
    match t.shape {
        Shape::Tree => {
            let src = backend::open(&t.src, &t.src_conn).await?;
            let dst = backend::open(&t.dst, &t.dst_conn).await?;
            match src.stat(&RelPath::root()).await {
                Ok(e) if e.is_dir() => {}
                Ok(_) => return Err(Error::usage(format!("{}: not a directory (a tree copy needs a directory source)", t.src))),
                Err(e) => return Err(source_missing(&t.src, e)),
            }
            let (s, d) = tokio::join!(scan::walk(src.clone(), &settings.filter, Utc::now(), 8), scan_target(dst.clone(), &settings));
            let (mut s, mut d) = (s?, d?);
            let unstable = match settings.stable_for {
                Some(wait) => stability_gate(src.clone(), &settings, &mut s, &mut d, wait, ctx).await?,
                None => vec![],
            };
            settings.policy.target_sets_mtime = dst.capabilities().set_mtime;
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
                let (src_todo, dst_todo) = match settings.known_hashes.as_deref() {
                    Some((sk, dk)) => (
                        reuse_hashes(&mut s.listing, common.clone(), sk, !src.capabilities().local),
                        reuse_hashes(&mut d.listing, common, dk, !dst.capabilities().local),
                    ),
                    None => (common.clone(), common),
                };
                let (a, b) = tokio::join!(
                    scan::fill_hashes(src.clone(), &mut s.listing, src_todo, p),
                    scan::fill_hashes(dst.clone(), &mut d.listing, dst_todo, p)
                );
                a?;
                b?;
            }
            let mut plan = plan::diff(&s.listing, &d.listing, &settings.policy);
            plan.skips.extend(unstable.into_iter().map(|path| plan::Skip { path, reason: plan::SkipReason::StillChanging }));
            let mut refused = s.refused;
            refused.extend(d.refused);
            finish(header, plan, refused, src, dst, settings, ctx, dry_run).await
        }
        Shape::File => {
            let (src_parent, src_name) = t.src.split_last().ok_or_else(|| Error::usage(format!("{}: names no file", t.src)))?;
            let (dst_parent, dst_name) = t.dst.split_last().ok_or_else(|| Error::usage(format!("{}: names no file", t.dst)))?;
            let src = backend::open(&src_parent, &t.src_conn).await?;
            let dst = backend::open(&dst_parent, &t.dst_conn).await?;
            let src_rel = RelPath::parse(&src_name).map_err(|e| Error::usage(e.message))?;
            let dst_rel = RelPath::parse(&dst_name).map_err(|e| Error::usage(e.message))?;
            let entry = src.stat(&src_rel).await.map_err(|e| source_missing(&t.src, e))?;
            match entry.kind {
                Kind::Dir => return Err(Error::usage(format!("{}: is a directory (use -r)", t.src))),
                Kind::Symlink => {}
                Kind::File => {}
            }
            settings.policy.target_sets_mtime = dst.capabilities().set_mtime;
            let target = target_entries(&*dst, &entry, &dst_rel, &settings).await?;
            let mut entry = entry;
            if settings.policy.compare == plan::Compare::Checksum
                && let Some(d) = target.get(&dst_rel).filter(|d| d.is_file() && d.size == entry.size)
            {
                let _ = d;
                entry.sha256 = Some(src.hash_sha256(&src_rel).await?);
            }
            let mut target = target;
            if let (Some(_), Some(d)) = (&entry.sha256, target.entries.get_mut(&dst_rel)) {
                d.sha256 = Some(dst.hash_sha256(&dst_rel).await?);
            }
            let plan = plan::plan_file(&entry, &dst_rel, &target, &settings.policy);
            finish(header, plan, vec![], src, dst, settings, ctx, dry_run).await
        }
    }
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
    ctx: &Ctx,
) -> Result<Vec<RelPath>> {
    tracing::info!(seconds = wait.as_secs_f64(), "stability gate: listing the source again after the wait");
    let deadline = tokio::time::Instant::now() + wait;
    while tokio::time::Instant::now() < deadline {
        if let Some(e) = ctx.cancel.error() {
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
pub async fn apply(t: &Transfer, plan: Plan, ctx: &Ctx) -> Result<Done> {
    let header = format!("{} -> {}", t.src, t.dst);
    let mut settings = t.settings.clone();
    settings.exec.progress = ctx.progress();
    let src = backend::open(&t.src, &t.src_conn).await?;
    let dst = backend::open(&t.dst, &t.dst_conn).await?;
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
    finish(header, kept, refused, src, dst, settings, ctx, false).await
}

/// What exists at the target name and at this source version's partial name.
async fn target_entries(dst: &dyn Backend, src: &Entry, dst_rel: &RelPath, s: &Settings) -> Result<Listing> {
    let mut l = Listing::default();
    match dst.stat(dst_rel).await {
        Ok(e) => l.insert(e),
        Err(e) if e.kind == ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    if let Some(t) = &s.policy.temp_name {
        let name = temp_name(t, dst_rel.name(), &fingerprint(&src.path, src.size, src.mtime));
        if let Ok(p) = dst_rel.with_name(&name)
            && let Ok(e) = dst.stat(&p).await
        {
            l.insert(e);
        }
    }
    Ok(l)
}

#[allow(clippy::too_many_arguments)]
async fn finish(
    header: String,
    plan: Plan,
    refused: Vec<Refusal>,
    src: Arc<dyn Backend>,
    dst: Arc<dyn Backend>,
    settings: Settings,
    ctx: &Ctx,
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
    let report = exec::execute(&plan, src, dst, settings.exec, ctx.cancel.clone(), refused.len() as u64).await;
    Ok(Done { header, plan, refused, report: Some(report) })
}

/// Print a finished transfer for people (stderr) or programs (`--json` on stdout).
pub fn print(done: &Done, ctx: &Ctx, json: bool, dry_run: bool) {
    for r in &done.refused {
        eprintln!("ferry: refused entry {}: {}", r.entry, r.reason);
    }
    if let Some(r) = &done.report {
        for o in r.outcomes.iter().filter(|o| o.status == exec::Status::Failed) {
            eprintln!("ferry: {}", o.error.as_deref().unwrap_or("failed"));
        }
    }
    if json {
        let v = match &done.report {
            Some(r) => {
                serde_json::json!({ "source_target": done.header, "plan": render::json(&done.plan), "report": r, "refused": done.refused })
            }
            None => {
                serde_json::json!({ "source_target": done.header, "plan": render::json(&done.plan), "refused": done.refused, "exit_code": done.exit().code() })
            }
        };
        println!("{v}");
    } else if dry_run {
        print!("{}", render::text(&done.plan, &done.header, ctx.global.verbose > 0));
    }
    if let Some(stop) = &done.plan.stop {
        eprintln!("ferry: safety stop: {stop}");
    }
    if let Some(r) = &done.report
        && r.stop.is_none()
    {
        ctx.note(r.summary.line());
    }
}

fn finalize(done: &Done, error_on_no_transfer: bool, dry_run: bool) -> Exit {
    let e = done.exit();
    if e == Exit::Ok && error_on_no_transfer && !dry_run && done.transferred() == 0 {
        return Exit::NoTransfer;
    }
    e
}

fn is_local_dir(ep: &Endpoint) -> bool {
    ep.is_local() && std::path::Path::new(&ep.path).is_dir()
}

/// Where a source named `name` lands under destination `dst`: inside it when it names a
/// directory (trailing `/`, or an existing local directory, as with cp and scp), else at it.
fn destination(dst: &Endpoint, name: &str, force_dir: bool) -> Endpoint {
    if (force_dir || dst.trailing_slash || is_local_dir(dst)) && !name.is_empty() { dst.with_subpath(name, None) } else { dst.clone() }
}

/// `ferry get URL [LOCAL]`
pub async fn get(ctx: &Ctx, url: &str, local: Option<&str>, recursive: bool, t: &TransferArgs, conn: &ConnArgs) -> Result<Exit> {
    let remotes = Remotes::new();
    let src = Endpoint::parse(url, &remotes)?;
    let dst_base = match local {
        Some(l) => Endpoint::parse(l, &remotes)?,
        None => Endpoint::local("./"),
    };
    let name = src.basename().to_string();
    let dst = destination(&dst_base, &name, false);
    let conn = conn_options(conn)?;
    if dst.is_local() && !recursive && super::fsops::is_special_target(&dst.path) {
        if t.dry_run {
            println!("plan: {src} -> {dst}\n  write    {src} into {dst}  (a device or FIFO: written into, never replaced)");
            return Ok(Exit::Ok);
        }
        return super::fsops::get_into_special(ctx, &src, &dst.path, &conn).await;
    }
    one(ctx, src, dst, recursive, t, conn.clone(), conn, false).await
}

/// `ferry put LOCAL... URL`
pub async fn put(ctx: &Ctx, paths: &[String], recursive: bool, t: &TransferArgs, conn: &ConnArgs) -> Result<Exit> {
    let remotes = Remotes::new();
    let (dst_arg, sources) = paths.split_last().expect("clap requires two paths");
    let dst_base = Endpoint::parse(dst_arg, &remotes)?;
    let conn = conn_options(conn)?;
    if sources.iter().any(|s| s == "-") {
        if sources.len() != 1 {
            return Err(Error::usage("`put -` uploads standard input to one URL; give no other sources"));
        }
        return put_stdin(ctx, &dst_base, &conn, t).await;
    }
    let many = sources.len() > 1;
    let mut exit = Exit::Ok;
    for s in sources {
        let src = Endpoint::parse(s, &remotes)?;
        let name = src.basename().to_string();
        let dst = destination(&dst_base, &name, many);
        exit = exit.worst(one(ctx, src, dst, recursive, t, conn.clone(), conn.clone(), false).await?);
    }
    Ok(exit)
}

/// `ferry mirror SRC DST` (always recursive, resume on by default).
pub async fn mirror(ctx: &Ctx, src: &str, dst: &str, t: &TransferArgs, conn: &ConnArgs) -> Result<Exit> {
    let remotes = Remotes::new();
    let src = Endpoint::parse(src, &remotes)?;
    let dst = Endpoint::parse(dst, &remotes)?;
    let conn = conn_options(conn)?;
    one(ctx, src, dst, true, t, conn.clone(), conn, true).await
}

#[allow(clippy::too_many_arguments)]
async fn one(
    ctx: &Ctx,
    src: Endpoint,
    dst: Endpoint,
    recursive: bool,
    t: &TransferArgs,
    src_conn: ConnectOptions,
    dst_conn: ConnectOptions,
    mirror: bool,
) -> Result<Exit> {
    let raw = raw_settings(t);
    if raw.delete && !mirror {
        return Err(Error::usage("--delete is for `ferry mirror` (get and put never delete)"));
    }
    let mut settings = compile(&raw, mirror)?;
    let (mut src_conn, mut dst_conn) = (src_conn, dst_conn);
    if t.ascii {
        let ftp = |e: &Endpoint| matches!(e.scheme, Scheme::Ftp | Scheme::Ftpes | Scheme::Ftps);
        if !ftp(&src) && !ftp(&dst) {
            return Err(Error::usage("--ascii applies to FTP servers only"));
        }
        src_conn.ascii = true;
        dst_conn.ascii = true;
        settings.exec.text_mode = true;
        settings.exec.resume = false;
    }
    settings.exec.after = match (&t.move_to, t.remove_source_files) {
        (Some(dir), _) => {
            crate::job::check_template(dir, crate::job::TEMPLATE_VARS)?;
            // Like a job's move_to: a URL-style path on the source's server, or a local path.
            let base = if src.is_local() { Endpoint::local("") } else { src.clone().with_path("") };
            Some(std::sync::Arc::new(crate::exec::After::Move { base, template: dir.clone(), job: String::new() }))
        }
        (None, true) => Some(std::sync::Arc::new(crate::exec::After::Delete)),
        (None, false) => None,
    };
    settings.policy.settle = settings.exec.after.is_some();
    // The checksum shows only in --json output and in logs; verify/sidecars/ledger force it.
    settings.exec.hash = t.json || ctx.global.verbose > 0 || ctx.global.log_file.is_some();
    let (r, d) = (settings.exec.retries, settings.exec.retry_delay);
    let (src_conn, dst_conn) = (src_conn.with_retries(r, d), dst_conn.with_retries(r, d));
    let shape = if recursive { tree_or_file(&src, &src_conn).await? } else { Shape::File };
    let tr = Transfer { src, dst, src_conn, dst_conn, shape, settings };
    let done = run(&tr, ctx, t.dry_run).await?;
    print(&done, ctx, t.json, t.dry_run);
    Ok(finalize(&done, t.error_on_no_transfer, t.dry_run))
}

/// With -r, a directory is copied as a tree and a file as a file.
async fn tree_or_file(src: &Endpoint, conn: &ConnectOptions) -> Result<Shape> {
    let b = backend::open(src, conn).await?;
    match b.stat(&RelPath::root()).await {
        Ok(e) if e.is_dir() => Ok(Shape::Tree),
        Ok(_) => Ok(Shape::File),
        Err(e) => Err(source_missing(src, e)),
    }
}

/// `put - URL`: stream stdin to a temporary name, then rename it into place.
async fn put_stdin(ctx: &Ctx, dst: &Endpoint, conn: &ConnectOptions, t: &TransferArgs) -> Result<Exit> {
    use tokio::io::AsyncReadExt;
    let (parent, name) = dst
        .split_last()
        .filter(|_| !dst.trailing_slash)
        .ok_or_else(|| Error::usage(format!("{dst}: `put -` needs a URL that names a file")))?;
    let settings = compile(&raw_settings(t), false)?;
    let b = backend::open(&parent, conn).await?;
    let final_rel = RelPath::parse(&name).map_err(|e| Error::usage(e.message))?;
    let tmp = match &settings.exec.temp_name {
        Some(tpl) => final_rel.with_name(&temp_name(tpl, &name, &format!("{:08x}", std::process::id())))?,
        None => final_rel.clone(),
    };
    if t.dry_run {
        println!("plan: - -> {dst}\n  copy     - -> {name}  (standard input)");
        return Ok(Exit::Ok);
    }
    let started = std::time::Instant::now();
    b.mkdir_all(&RelPath::root()).await?;
    let mut sink = b.write(&tmp, backend::WriteMode::Truncate).await?;
    let mut stdin = tokio::io::stdin();
    let mut buf = vec![0u8; 256 * 1024];
    let mut total = 0u64;
    loop {
        if let Some(e) = ctx.cancel.error() {
            sink.abort().await;
            return Err(e);
        }
        let n = match stdin.read(&mut buf).await {
            Ok(n) => n,
            Err(e) => {
                sink.abort().await;
                let _ = b.remove_file(&tmp).await;
                return Err(Error::io("read", "standard input", e));
            }
        };
        if n == 0 {
            break;
        }
        sink.write_all(&buf[..n]).await?;
        total += n as u64;
    }
    sink.finish(None).await?;
    if tmp != final_rel {
        b.rename(&tmp, &final_rel).await?;
    }
    let summary = exec::Summary { files: 1, bytes: total, elapsed_ms: started.elapsed().as_millis() as u64, ..Default::default() };
    if t.json {
        println!("{}", serde_json::json!({ "report": { "summary": summary } }));
    }
    ctx.note(summary.line());
    Ok(Exit::Ok)
}

/// `ferry check SRC DST`: compare only; exit 0 when identical, 1 with a report otherwise.
pub async fn check(ctx: &Ctx, src: &str, dst: &str, t: &TransferArgs, conn: &ConnArgs) -> Result<Exit> {
    let remotes = Remotes::new();
    let src = Endpoint::parse(src, &remotes)?;
    let dst = Endpoint::parse(dst, &remotes)?;
    let conn = conn_options(conn)?;
    let mut raw = raw_settings(t);
    raw.delete = true;
    raw.delete_empty_source = true;
    raw.max_delete = None;
    raw.temp_name = None;
    raw.inplace = true;
    let settings = compile(&raw, false)?;
    let tr = Transfer { src, dst, src_conn: conn.clone(), dst_conn: conn, shape: Shape::Tree, settings };
    let done = run(&tr, ctx, true).await?;
    let mut diffs = Vec::new();
    for a in &done.plan.actions {
        match a {
            Action::Copy { dst, reason: plan::Reason::New, .. } => diffs.push(("missing", dst.to_string(), "only in source".to_string())),
            Action::Copy { dst, reason, .. } => diffs.push(("differs", dst.to_string(), reason.describe().to_string())),
            Action::Mkdir { path } => diffs.push(("missing", format!("{path}/"), "directory only in source".to_string())),
            Action::Delete { path, kind } => {
                let p = if *kind == Kind::Dir { format!("{path}/") } else { path.to_string() };
                diffs.push(("extra", p, "only in target".to_string()))
            }
            Action::SetMtime { path, .. } => diffs.push(("differs", path.to_string(), "same content, mtime differs".to_string())),
            Action::Fail { path, reason } => diffs.push(("differs", path.to_string(), reason.clone())),
            Action::Settle { .. } | Action::Confirm { .. } => {}
        }
    }
    for r in &done.refused {
        eprintln!("ferry: refused entry {}: {}", r.entry, r.reason);
    }
    if t.json {
        let items: Vec<_> = diffs.iter().map(|(k, p, why)| serde_json::json!({"status": k, "path": p, "detail": why})).collect();
        println!(
            "{}",
            serde_json::json!({ "identical": diffs.is_empty() && done.refused.is_empty(), "differences": items, "matched": done.plan.skips.len() })
        );
    } else {
        for (k, p, why) in &diffs {
            println!("{k:8} {p}  ({why})");
        }
    }
    ctx.note(format!("{} identical, {} differences", done.plan.skips.len(), diffs.len()));
    Ok(if diffs.is_empty() && done.refused.is_empty() { Exit::Ok } else { Exit::Partial })
}
