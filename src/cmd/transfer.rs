//! get, put, mirror and check: resolve the arguments into a `Transfer`, run it through the sync
//! pipeline (`crate::sync`), then print the plan or report and give the exit code.

use super::{Ctx, conn_options, transfer_keys};
use crate::backend::{self, ConnectOptions};
use crate::cli::{ConnArgs, TransferArgs};
use crate::endpoint::{Endpoint, Protocol, Remotes};
use crate::error::{Error, Result};
use crate::exec;
use crate::exit::Exit;
use crate::model::{Kind, RelPath};
use crate::plan::{self, Action, render, temp_name};
use crate::settings::{Resolved, compile};
pub use crate::sync::{Done, Shape, Transfer};

/// Print a finished transfer for people (stderr) or programs (`--json` on stdout).
pub fn print(done: &Done, ctx: &Ctx, json: bool, dry_run: bool) {
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
    print_problems(done, ctx, None);
}

/// The stderr lines of a finished transfer: refusals, failures, a safety stop and the summary
/// (the summary not with -q, nor after a stop, which says why nothing or not all ran).
pub fn print_problems(done: &Done, ctx: &Ctx, job: Option<&str>) {
    use crate::logging::{Level, Line};
    for r in &done.refused {
        crate::logging::refused(job, r);
    }
    if let Some(r) = &done.report {
        for o in r.outcomes.iter().filter(|o| o.status == exec::Status::Failed) {
            Line::new(Level::Error, "failure", o.error.as_deref().unwrap_or("failed"))
                .job(job)
                .fields(&o.action)
                .field("kind", o.error_kind.map(|k| crate::metrics::label_of(&k)))
                .emit();
        }
    }
    if let Some(stop) = &done.plan.stop {
        Line::new(Level::Error, "safety_stop", format!("safety stop: {stop}")).job(job).emit();
    }
    if let Some(r) = &done.report
        && r.stop.is_none()
        && !ctx.global.quiet
    {
        Line::new(Level::Info, "summary", r.summary.line()).job(job).fields(&r.summary).emit();
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
    let keys = transfer_keys(t)?;
    if keys.delete && !mirror {
        return Err(Error::usage("--delete is for `ferry mirror` (get and put never delete)"));
    }
    let (mut src_conn, mut dst_conn) = (src_conn, dst_conn);
    if t.ascii {
        let ftp = |e: &Endpoint| e.scheme.protocol() == Protocol::Ftp;
        if !ftp(&src) && !ftp(&dst) {
            return Err(Error::usage("--ascii applies to FTP servers only"));
        }
        // No resume either: the FTP backend cannot append in TYPE A, and the plan follows it.
        src_conn.ascii = true;
        dst_conn.ascii = true;
    }
    let after = match (&t.move_to, t.remove_source_files) {
        (Some(dir), _) => {
            crate::job::check_template(dir, crate::job::TEMPLATE_VARS)?;
            // Like a job's move_to: a URL-style path on the source's server, or a local path.
            let base = if src.is_local() { Endpoint::local("") } else { src.clone().with_path("") };
            Some(std::sync::Arc::new(crate::exec::After::Move { base, template: dir.clone(), job: String::new() }))
        }
        (None, true) => Some(std::sync::Arc::new(crate::exec::After::Delete)),
        (None, false) => None,
    };
    let resolved = Resolved {
        default_resume: mirror,
        after,
        sidecar: None,
        text_mode: t.ascii,
        // The checksum shows only in --json output and in logs; verify/sidecars/ledger force it.
        show_hash: t.json || ctx.global.verbose > 0 || ctx.global.log_file.is_some(),
    };
    let settings = compile(keys, resolved)?;
    let (r, d) = (settings.exec.retries, settings.exec.retry_delay);
    let (src_conn, dst_conn) = (src_conn.with_retries(r, d), dst_conn.with_retries(r, d));
    let shape = if recursive { Shape::Either } else { Shape::File };
    let tr = Transfer { src, dst, src_conn, dst_conn, shape, settings, history: Default::default(), recorder: None };
    let done = crate::sync::run(&tr, &ctx.pipeline(), t.dry_run).await?;
    print(&done, ctx, t.json, t.dry_run);
    Ok(finalize(&done, t.error_on_no_transfer, t.dry_run))
}

/// `put - URL`: stream stdin to a temporary name, then rename it into place. Every operation
/// goes through the server's retry layer; the stream itself is read once and cannot be replayed
/// (as with `curl -T -`), so a stream that breaks midway fails the upload and its temporary file
/// is removed. `--verify` checks the size and, where the server can hash, the SHA-256.
async fn put_stdin(ctx: &Ctx, dst: &Endpoint, conn: &ConnectOptions, t: &TransferArgs) -> Result<Exit> {
    use sha2::Digest;
    use tokio::io::AsyncReadExt;
    let (parent, name) = dst
        .split_last()
        .filter(|_| !dst.trailing_slash)
        .ok_or_else(|| Error::usage(format!("{dst}: `put -` needs a URL that names a file")))?;
    let settings = compile(transfer_keys(t)?, Resolved::default())?;
    let conn = conn.clone().with_retries(settings.exec.retries, settings.exec.retry_delay);
    let final_rel = RelPath::parse(&name).map_err(|e| Error::usage(e.message))?;
    let tmp = match &settings.policy.temp_name {
        Some(tpl) => final_rel.with_name(&temp_name(tpl, &name, &format!("{:08x}", std::process::id())))?,
        None => final_rel.clone(),
    };
    // Staged: the temp file goes into the staging directory and the rename crosses over.
    let (b, tmp, final_rel) = match &settings.staging_dir {
        None => (backend::open(&parent, &conn).await?, tmp, final_rel),
        Some(dir) => {
            let (_, st) = crate::staging::open(&parent, &conn, dir, !t.dry_run).await?;
            let staged = st.dir.join(tmp.name())?;
            (st.base.clone(), staged, st.target.join_rel(&final_rel))
        }
    };
    if t.dry_run {
        println!("plan: - -> {dst}\n  copy     - -> {name}  (standard input)");
        return Ok(Exit::Ok);
    }
    let started = std::time::Instant::now();
    b.mkdir_all(&final_rel.parent()).await?;
    let mut sink = b.write(&tmp, backend::WriteMode::Truncate).await?;
    let mut stdin = tokio::io::stdin();
    let mut buf = vec![0u8; 256 * 1024];
    let mut total = 0u64;
    let mut hasher = settings.exec.verify.then(sha2::Sha256::new);
    let failed = loop {
        if let Some(e) = ctx.cancel.error() {
            sink.abort().await;
            return Err(e);
        }
        let n = match stdin.read(&mut buf).await {
            Ok(0) => break None,
            Ok(n) => n,
            Err(e) => break Some(Error::io("read", "standard input", e)),
        };
        if let Some(h) = hasher.as_mut() {
            h.update(&buf[..n]);
        }
        if let Err(e) = sink.write_all(&buf[..n]).await {
            break Some(e);
        }
        total += n as u64;
    };
    let checked = match failed {
        Some(e) => {
            sink.abort().await;
            Err(e)
        }
        None => match sink.finish(None).await {
            Ok(_) => verify_upload(&*b, &tmp, total, hasher.map(|h| hex::encode(h.finalize()))).await,
            Err(e) => Err(e),
        },
    };
    if let Err(e) = checked {
        // Nothing of a failed stream stays behind under any name: it cannot be resumed.
        if tmp != final_rel {
            let _ = b.remove_file(&tmp).await;
        }
        return Err(e);
    }
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

/// With `--verify` (a checksum given): the uploaded file has `size` bytes and, where the
/// server can hash, that SHA-256 (exit 7 otherwise).
async fn verify_upload(b: &dyn crate::backend::Backend, path: &RelPath, size: u64, sha256: Option<String>) -> Result<()> {
    let Some(want) = sha256 else { return Ok(()) };
    let got = b.stat(path).await?;
    if got.size != size {
        return Err(Error::new(
            crate::error::ErrorKind::Verify,
            format!("size mismatch after upload: sent {size}, server has {}", got.size),
        )
        .at("verify", path));
    }
    if let Some(have) = crate::backend::hash::on_server(b, path).await? {
        if have != want {
            return Err(Error::new(
                crate::error::ErrorKind::Verify,
                format!("SHA-256 mismatch after upload: sent {want}, server has {have}"),
            )
            .at("verify", path));
        }
    }
    Ok(())
}

/// `ferry check SRC DST`: compare only; exit 0 when identical, 1 with differences, 11 when it
/// could not compare (a refused entry, a read or hash error), 3/4 when a side is unreachable
/// or missing.
pub async fn check(ctx: &Ctx, src: &str, dst: &str, download: bool, t: &TransferArgs, conn: &ConnArgs) -> Result<Exit> {
    match compare_trees(ctx, src, dst, download, t, conn).await {
        Err(e) if e.exit() == Exit::Partial => {
            crate::logging::error(None, &e);
            Ok(Exit::Unchecked)
        }
        r => r,
    }
}

async fn compare_trees(ctx: &Ctx, src: &str, dst: &str, download: bool, t: &TransferArgs, conn: &ConnArgs) -> Result<Exit> {
    let remotes = Remotes::new();
    let src = Endpoint::parse(src, &remotes)?;
    let dst = Endpoint::parse(dst, &remotes)?;
    let conn = conn_options(conn)?;
    // Compare as a mirror would plan it, deleting nothing (the plan is never executed).
    let keys = crate::settings::Keys {
        delete: true,
        delete_empty_source: true,
        max_delete: None,
        temp_name: None,
        inplace: true,
        ..transfer_keys(t)?
    };
    let keys =
        if download { crate::settings::Keys { compare: crate::plan::Compare::Checksum, hash_by_reading: true, ..keys } } else { keys };
    let settings = compile(keys, Resolved::default())?;
    let conn = conn.with_retries(settings.exec.retries, settings.exec.retry_delay);
    let tr = Transfer {
        src,
        dst,
        src_conn: conn.clone(),
        dst_conn: conn,
        shape: Shape::Tree,
        settings,
        history: Default::default(),
        recorder: None,
    };
    let done = crate::sync::run(&tr, &ctx.pipeline(), true).await?;
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
        crate::logging::refused(None, r);
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
    ctx.note(format!("{} identical, {}", done.plan.skips.len(), crate::units::count(diffs.len() as u64, "difference", "differences")));
    Ok(match (diffs.is_empty(), done.refused.is_empty()) {
        (true, true) => Exit::Ok,
        (false, _) => Exit::Partial,
        (true, false) => Exit::Unchecked,
    })
}
