//! One file: stream source to a temporary name on the target while hashing, check the byte
//! count, verify, rename onto the final name, set the mtime. A copy whose stream broke midway
//! (the only failure the backend's retry layer cannot retry by itself) is started again with
//! the same budget and backoff, resuming from the bytes already written.

use super::Ctx;
use crate::backend::{Backend, ReadStream, WriteMode, WriteSink, hash};
use crate::error::{Error, ErrorKind, Result};
use crate::model::RelPath;
use crate::plan::{Action, OnExists, fingerprint, temp_name, template_is_versioned};
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use std::sync::atomic::Ordering;

const CHUNK: usize = 1024 * 1024;

/// Run a `Copy` action, retrying retryable failures; returns (bytes moved, SHA-256).
pub(crate) async fn with_retries(ctx: &Ctx, a: &Action) -> Result<(u64, Option<String>)> {
    let Action::Copy { src, dst, size, mtime, resume_from, existing, .. } = a else {
        return Err(Error::new(ErrorKind::Io, "not a copy action"));
    };
    let mut start = if *existing { Start::Existing(*resume_from) } else { Start::Partial(*resume_from) };
    let mut attempt = 0;
    loop {
        let continued_existing = matches!(start, Start::Existing(n) if n > 0);
        match copy_once(ctx, src, dst, *size, *mtime, start).await {
            Ok(r) => return Ok(r),
            // Bytes trusted as a prefix that fail verification are sent again, all of them.
            Err(e) if e.kind == ErrorKind::Verify && continued_existing && !ctx.cancel.is_cancelled() => {
                tracing::warn!(path = %dst, error = %e, "the continued existing file failed verification; transferring it again from zero");
                start = Start::Partial(0);
            }
            Err(e) if e.retryable && attempt < ctx.opts.retries && !ctx.cancel.is_cancelled() => {
                attempt += 1;
                ctx.retried.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let budget = crate::backend::Faults { retries: ctx.opts.retries, retry_delay: ctx.opts.retry_delay, ..Default::default() };
                let delay = budget.backoff(attempt);
                tracing::warn!(path = %dst, attempt, error = %e, "transfer failed, retrying in {:.1}s", delay.as_secs_f64());
                tokio::time::sleep(delay).await;
                start = Start::Partial(resumable_size(ctx, src, dst, *size, *mtime).await);
            }
            Err(e) => {
                tracing::error!(path = %dst, error = %e, "transfer failed");
                return Err(e);
            }
        }
    }
}

/// Where a copy starts.
#[derive(Debug, Clone, Copy)]
enum Start {
    /// After this many bytes of this version's partial (0: from the beginning).
    Partial(u64),
    /// After the bytes of the shorter file under the final name, moved to the temp name first.
    Existing(u64),
}

/// How many bytes before the resume point of an existing file must match the source.
const PREFIX_CHECK: u64 = 64 * 1024;

/// Whether the last bytes before `offset` are the same on both sides: a cheap guard against
/// splicing a different version's prefix (an append-only file passes; a rewritten one rarely).
async fn prefix_tail_matches(ctx: &Ctx, src: &RelPath, dst: &RelPath, offset: u64) -> Result<bool> {
    let from = offset.saturating_sub(PREFIX_CHECK);
    let len = (offset - from) as usize;
    let a = read_exact_at(&*ctx.src, src, from, len).await?;
    let b = read_exact_at(&*ctx.dst, dst, from, len).await?;
    Ok(a.is_some() && a == b)
}

/// `len` bytes at `from`, or `None` if the file ends first.
/// The size hint ends at the range, so a pipelining backend asks for no more than it.
async fn read_exact_at(b: &dyn Backend, path: &RelPath, from: u64, len: usize) -> Result<Option<Vec<u8>>> {
    let mut r = b.read(path, from, Some(from + len as u64)).await?;
    let (mut out, mut buf) = (Vec::with_capacity(len), Vec::new());
    while out.len() < len {
        buf.resize(len - out.len(), 0);
        let n = r.read(&mut buf).await?;
        if n == 0 {
            return Ok(None);
        }
        out.extend_from_slice(&buf[..n]);
    }
    Ok(Some(out))
}

/// Where a copy's bytes are written before the rename that delivers them.
struct Temp<'a> {
    /// The backend both the temp file and the final name are addressed on.
    b: &'a dyn Backend,
    path: RelPath,
    /// The final name, as `b` addresses it.
    final_path: RelPath,
}

/// The temp file for this source version — beside the target, or in the staging directory
/// (flat: the name carries the version's fingerprint) — or `None` for in-place writes.
fn temp_at<'a>(ctx: &'a Ctx, src: &RelPath, dst: &RelPath, size: u64, mtime: Option<DateTime<Utc>>) -> Result<Option<Temp<'a>>> {
    let Some(t) = &ctx.temp_name else { return Ok(None) };
    let name = temp_name(t, dst.name(), &fingerprint(src, size, mtime));
    let temp = match &ctx.staging {
        None => Temp { b: &*ctx.dst, path: dst.with_name(&name).map_err(|e| e.at("temp name", dst))?, final_path: dst.clone() },
        Some(s) => Temp { b: &*s.base, path: s.dir.join(&name).map_err(|e| e.at("temp name", dst))?, final_path: s.target.join_rel(dst) },
    };
    Ok(Some(temp))
}

/// How much of a versioned partial exists, for a retry: its name carries the source version's
/// fingerprint, so the bytes belong to this very version (with or without `-c`). 0 when there
/// is none or the target cannot append.
async fn resumable_size(ctx: &Ctx, src: &RelPath, dst: &RelPath, size: u64, mtime: Option<DateTime<Utc>>) -> u64 {
    if !ctx.temp_name.as_deref().is_some_and(template_is_versioned) || !ctx.dst.capabilities().append {
        return 0;
    }
    let Ok(Some(tmp)) = temp_at(ctx, src, dst, size, mtime) else { return 0 };
    match tmp.b.stat(&tmp.path).await {
        Ok(e) if e.is_file() && e.size < size => e.size,
        _ => 0,
    }
}

/// Whether a resumed checksum is seeded from the target's prefix (cheap to read back) rather
/// than the source's.
fn seeds_from_target(ctx: &Ctx) -> bool {
    ctx.dst.capabilities().local || !ctx.src.capabilities().local
}

/// Hash the first `len` bytes of a file into `h` (to continue a resumed transfer's checksum).
async fn hash_prefix(b: &dyn Backend, path: &RelPath, len: u64, h: &mut Sha256) -> Result<()> {
    let mut r = b.read(path, 0, Some(len)).await?;
    let mut buf = Vec::new();
    let mut left = len;
    while left > 0 {
        buf.resize((left as usize).min(CHUNK), 0);
        let n = r.read(&mut buf).await?;
        if n == 0 {
            return Err(Error::new(ErrorKind::SourceChanged, "file is shorter than the partial being resumed").at("resume", path));
        }
        h.update(&buf[..n]);
        left -= n as u64;
    }
    Ok(())
}

async fn copy_once(
    ctx: &Ctx,
    src: &RelPath,
    dst: &RelPath,
    size: u64,
    mtime: Option<DateTime<Utc>>,
    start: Start,
) -> Result<(u64, Option<String>)> {
    let started = Utc::now();
    let tmp = temp_at(ctx, src, dst, size, mtime)?;
    // `wb` and `write_to`: where the bytes go (the temp file, or the final name in place).
    let (wb, write_to): (&dyn Backend, RelPath) = match &tmp {
        Some(t) => (t.b, t.path.clone()),
        None => (&*ctx.dst, dst.clone()),
    };
    // The plan (or, on a retry, `resumable_size`) resumes only a versioned partial or an
    // existing file on a target that can append; the executor does what it says, except that
    // an existing file whose last bytes differ from the source is not a prefix of it.
    let offset = match start {
        Start::Partial(n) => n.min(size),
        Start::Existing(n) => {
            let n = n.min(size);
            match &tmp {
                Some(t) if n > 0 && prefix_tail_matches(ctx, src, dst, n).await? => {
                    // The final name never grows in place: continue it under the temp name.
                    t.b.rename(&t.final_path, &t.path).await?;
                    tracing::info!(path = %dst, offset = n, "continuing the existing file");
                    n
                }
                _ => {
                    tracing::info!(path = %dst, offset = n, "the existing file is not a prefix of the source; transferring from zero");
                    0
                }
            }
        }
    };
    // A continued existing file's bytes came from elsewhere: verification must hash the source
    // independently (the running checksum is seeded from the target when that side is cheap).
    let trusted_prefix = matches!(start, Start::Existing(_)) && offset > 0;

    let mut hasher = ctx.opts.wants_hash().then(Sha256::new);
    if offset > 0 {
        // Seed the checksum from whichever side is cheap to read back.
        if let Some(h) = hasher.as_mut() {
            if seeds_from_target(ctx) {
                hash_prefix(wb, &write_to, offset, h).await?;
            } else {
                hash_prefix(&*ctx.src, src, offset, h).await?;
            }
        }
        tracing::info!(path = %dst, offset, "resuming partial transfer");
    }

    let reader = ctx.src.read(src, offset, Some(size)).await?;
    let mode = if offset > 0 { WriteMode::Append(offset) } else { WriteMode::Truncate };
    let sink = wb.write(&write_to, mode).await?;

    let flow = Flow { ctx, dst, reader, sink, hasher, size, offset, mtime };
    let streamed = if size - offset > CHUNK as u64 { pipelined(flow).await? } else { sequential(flow).await? };
    let Streamed { total, sha256, mtime_set } = streamed;

    if total != size && !ctx.opts.text_mode {
        // The source changed under us: this partial belongs to no version; drop it.
        if tmp.is_some() {
            let _ = wb.remove_file(&write_to).await;
        }
        // Exit 7 like every size mismatch after a transfer; the next run lists the file afresh.
        return Err(Error::new(
            ErrorKind::Verify,
            format!("size mismatch after transfer: expected {size} bytes, read {total} (the source changed or the server cut it short); not delivered"),
        )
        .at("transfer", src));
    }

    // `wants_hash` holds whenever a sidecar, verification or the ledger needs the checksum.
    let need = || sha256.as_deref().expect("the checksum is computed when something uses it");
    if let Some(super::Sidecar::Check(t)) = ctx.opts.sidecar.as_deref()
        && let Err(e) = check_sidecar(ctx, src, t, need()).await
    {
        if tmp.is_some() {
            let _ = wb.remove_file(&write_to).await;
        }
        return Err(e.at("sidecar", src));
    }
    if ctx.opts.verify
        && let Err(e) = verify(ctx, wb, src, &write_to, size, need(), trusted_prefix).await
    {
        if tmp.is_some() {
            let _ = wb.remove_file(&write_to).await;
        }
        return Err(e.at("verify", dst));
    }

    // The ledger row goes in as `pending` before the rename and becomes `done` after it: a crash
    // in between leaves a row the next run checks against the target (see the planner).
    let pending_row = match (&ctx.opts.recorder, ctx.ahead.get(src.as_str())) {
        // Written ahead of the copies (see `write_ahead`).
        (Some(_), Some(id)) => Some(*id),
        (Some(rec), None) => {
            let r = rec.row(src, dst, size, mtime, sha256.clone(), started, total - offset);
            // On a blocking thread: concurrent transfers wait there together and share a commit.
            let ledger = rec.ledger.clone();
            let id = tokio::task::spawn_blocking(move || ledger.record(&r))
                .await
                .map_err(|e| Error::new(ErrorKind::Io, format!("ledger task failed: {e}")))
                .and_then(|r| r)
                .map_err(|e| Error::new(e.kind, format!("not delivered: the ledger cannot record it: {}", e.message)).at("record", dst))?;
            Some(id)
        }
        (None, _) => None,
    };
    // A run that may have lost its job lease delivers nothing more: the new holder decides.
    if let Some(lease) = ctx.opts.recorder.as_ref().and_then(|r| r.lease.as_ref()) {
        lease.check().map_err(|e| e.at("rename", dst))?;
    }
    if let Some(id) = pending_row {
        // From here the file may be visible: its row stays, pending until settled.
        ctx.reached.lock().unwrap_or_else(|e| e.into_inner()).insert(id);
    }
    if let Some(t) = &tmp {
        if ctx.on_exists == OnExists::RenameExisting {
            keep_existing(ctx, dst).await?;
        }
        t.b.rename(&t.path, &t.final_path).await?;
    }
    if let Some(m) = mtime.filter(|_| !mtime_set)
        && ctx.dst.capabilities().set_mtime
        && let Err(e) = ctx.dst.set_mtime(dst, m).await
        && !ctx.mtime_warned.swap(true, Ordering::Relaxed)
    {
        tracing::warn!(error = %e, "cannot set modification times on the target; later runs compare by size");
    }
    if let Some(super::Sidecar::Write(t)) = ctx.opts.sidecar.as_deref() {
        // After the data file, so a partner never sees a sidecar for a partial file.
        write_sidecar(ctx, dst, t, need()).await.map_err(|e| e.at("sidecar", dst))?;
    }
    if let Some(id) = pending_row {
        // The file is visible under its final name: settle the ledger row.
        let rec = ctx.opts.recorder.as_ref().expect("a pending row implies a recorder");
        rec.ledger
            .settle(crate::ledger::Settled {
                id,
                outcome: Some("done".into()),
                at: Utc::now(),
                started_at: Some(started),
                sha256: sha256.clone(),
                bytes: Some(total - offset),
            })
            .map_err(|e| Error::new(e.kind, format!("delivered, but not recorded in the ledger: {}", e.message)).at("record", dst))?;
    }
    tracing::info!(path = %dst, bytes = total - offset, sha256 = sha256.as_deref().unwrap_or("not computed"), "transferred");
    // Only now — copied, verified, renamed into place and recorded — may the source go.
    after_source(ctx, src).await.map_err(|e| {
        Error::new(e.kind, format!("delivered, but the source after-action failed (retried next run): {}", e.message))
            .at("after", src)
            .retryable(false)
    })?;
    Ok((total - offset, sha256))
}

fn sidecar_name(template: &str, of: &RelPath) -> Result<RelPath> {
    of.with_name(&crate::plan::expand_template(template, of.name(), "", chrono::Local::now().date_naive()))
}

/// Compare the transferred bytes' SHA-256 with the source's sidecar file.
async fn check_sidecar(ctx: &Ctx, src: &RelPath, template: &str, sha256: &str) -> Result<()> {
    let side = sidecar_name(template, src)?;
    let mut r = ctx.src.read(&side, 0, None).await?;
    let mut buf = vec![0u8; 4096];
    let n = r.read(&mut buf).await.map_err(|e| Error::new(e.kind, format!("checksum sidecar {side} unreadable: {}", e.message)))?;
    let text = String::from_utf8_lossy(&buf[..n]);
    let want = text.split_whitespace().next().unwrap_or("").to_ascii_lowercase();
    if want.len() != 64 || !want.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Error::new(ErrorKind::Verify, format!("checksum sidecar {side} holds no SHA-256")));
    }
    if want != sha256 {
        return Err(Error::new(ErrorKind::Verify, format!("SHA-256 {sha256} does not match the sidecar {side} ({want}); not delivered")));
    }
    Ok(())
}

/// Write `SHA256  NAME` next to a delivered file (temp name, then rename).
async fn write_sidecar(ctx: &Ctx, dst: &RelPath, template: &str, sha256: &str) -> Result<()> {
    let side = sidecar_name(template, dst)?;
    let part = format!("{}.part", side.name());
    // Staged like the data file, so the target directory only ever shows complete files.
    let (b, tmp, to): (&dyn Backend, RelPath, RelPath) = match &ctx.staging {
        None => (&*ctx.dst, side.with_name(&part)?, side.clone()),
        Some(s) => (&*s.base, s.dir.join(&part)?, s.target.join_rel(&side)),
    };
    let mut w = b.write(&tmp, WriteMode::Truncate).await?;
    w.write_all(format!("{sha256}  {}\n", dst.name()).as_bytes()).await?;
    w.finish(None).await?;
    b.rename(&tmp, &to).await
}

/// Apply the job's source after-action (if any) to a file whose copy is complete.
pub(crate) async fn after_source(ctx: &Ctx, src: &RelPath) -> Result<()> {
    if ctx.opts.after.is_none() {
        return Ok(());
    }
    // The ledger's `done` must be on disk before the source goes: a row left `pending` is
    // confirmed by the next run from the source's listing, which will no longer show it. On a
    // shared ledger the write passes the run's lease, which the database then confirms.
    if let Some(rec) = &ctx.opts.recorder {
        let (ledger, lease) = (rec.ledger.clone(), rec.lease.clone());
        tokio::task::spawn_blocking(move || match lease {
            Some(l) => l.confirm(),
            None => ledger.flush(),
        })
        .await
        .map_err(|e| Error::new(ErrorKind::Io, format!("ledger task failed: {e}")))
        .and_then(|r| r)?;
    }
    match ctx.opts.after.as_deref() {
        None => Ok(()),
        Some(super::After::Delete) => {
            ctx.src.remove_file(src).await?;
            tracing::info!(path = %src, "source deleted after delivery");
            Ok(())
        }
        Some(super::After::Move { base, template, job }) => {
            let rel = crate::plan::expand_template(template, src.name(), job, chrono::Local::now().date_naive());
            let dir = base.with_subpath(&rel, None).path;
            let to = ctx.src.move_into(src, &dir).await?;
            tracing::info!(path = %src, moved_to = %to, "source moved after delivery");
            Ok(())
        }
    }
}

/// What streaming one file produced.
struct Streamed {
    /// Bytes in the target file (including a resumed prefix).
    total: u64,
    /// `None` when nothing uses the checksum (see `ExecOptions::wants_hash`).
    sha256: Option<String>,
    /// The sink set the mtime while closing.
    mtime_set: bool,
}

/// One file's bytes on their way: source stream, target sink and the running checksum.
struct Flow<'a> {
    ctx: &'a Ctx,
    dst: &'a RelPath,
    reader: Box<dyn ReadStream>,
    sink: Box<dyn WriteSink>,
    hasher: Option<Sha256>,
    size: u64,
    offset: u64,
    mtime: Option<DateTime<Utc>>,
}

/// Close the sink (setting the mtime only when the byte count is right) and finish the hash.
async fn close(sink: Box<dyn WriteSink>, hasher: Option<Sha256>, total: u64, size: u64, mtime: Option<DateTime<Utc>>) -> Result<Streamed> {
    let mtime_set = sink.finish(mtime.filter(|_| total == size)).await?;
    Ok(Streamed { total, sha256: hasher.map(|h| hex::encode(h.finalize())), mtime_set })
}

/// Small files: read and write in turn on this task (one chunk, no pipeline overhead).
async fn sequential(f: Flow<'_>) -> Result<Streamed> {
    let Flow { ctx, dst, mut reader, mut sink, mut hasher, size, offset, mtime } = f;
    // One byte more than expected, so a grown source shows up as a size mismatch.
    let mut buf = vec![0u8; (size - offset) as usize + 1];
    let mut total = offset;
    loop {
        if let Some(e) = ctx.cancel.error() {
            sink.abort().await;
            return Err(e.at("transfer", dst));
        }
        let n = match reader.read(&mut buf).await {
            Ok(n) => n,
            Err(e) => {
                sink.abort().await;
                return Err(e);
            }
        };
        if n == 0 {
            break;
        }
        if let Some(l) = &ctx.limit {
            l.take(n).await;
        }
        if let Some(h) = hasher.as_mut() {
            h.update(&buf[..n]);
        }
        if let Err(e) = sink.write_all(&buf[..n]).await {
            sink.abort().await;
            return Err(e);
        }
        total += n as u64;
        if let Some(bar) = &ctx.bar {
            bar.inc(n as u64);
        }
        if total > size {
            break;
        }
    }
    close(sink, hasher, total, size, mtime).await
}

/// Big files: a reader task reads ahead while this task hashes each chunk during the sink's
/// write of it, so reading, hashing and writing overlap. Buffers circulate between the two (at
/// most `DEPTH` chunks in flight), so memory stays constant whatever the file size.
async fn pipelined(f: Flow<'_>) -> Result<Streamed> {
    let Flow { ctx, dst, mut reader, mut sink, mut hasher, size, offset, mtime } = f;
    const DEPTH: usize = 4;
    let (full_tx, mut full_rx) = tokio::sync::mpsc::channel::<(Vec<u8>, usize)>(DEPTH);
    let (free_tx, mut free_rx) = tokio::sync::mpsc::channel::<Vec<u8>>(DEPTH);
    for _ in 0..DEPTH {
        let _ = free_tx.try_send(vec![0u8; CHUNK]);
    }
    let cancel = ctx.cancel.clone();
    let read_task = tokio::spawn(async move {
        let mut total = offset;
        while let Some(mut buf) = free_rx.recv().await {
            if cancel.is_cancelled() {
                break;
            }
            buf.resize(CHUNK, 0);
            let n = reader.read(&mut buf).await?;
            if n == 0 {
                break;
            }
            total += n as u64;
            if full_tx.send((buf, n)).await.is_err() || total > size {
                break;
            }
        }
        Ok::<_, Error>(total)
    });

    let mut write_err = None;
    while let Some((buf, n)) = full_rx.recv().await {
        if let Some(e) = ctx.cancel.error() {
            write_err = Some(e.at("transfer", dst));
            break;
        }
        if let Some(l) = &ctx.limit {
            l.take(n).await;
        }
        // Hash this chunk while the sink's write of it is in flight on another thread.
        let (written, ()) = tokio::join!(sink.write_all(&buf[..n]), async {
            if let Some(h) = hasher.as_mut() {
                h.update(&buf[..n])
            }
        });
        if let Err(e) = written {
            write_err = Some(e);
            break;
        }
        if let Some(bar) = &ctx.bar {
            bar.inc(n as u64);
        }
        let _ = free_tx.send(buf).await;
    }
    drop(full_rx);
    drop(free_tx);
    let read = read_task.await.map_err(|e| Error::new(ErrorKind::Io, format!("reader task failed: {e}")))?;
    if let Some(e) = write_err.or_else(|| ctx.cancel.error().map(|e| e.at("transfer", dst))) {
        sink.abort().await;
        return Err(e);
    }
    let total = match read {
        Ok(r) => r,
        Err(e) => {
            sink.abort().await;
            return Err(e);
        }
    };
    close(sink, hasher, total, size, mtime).await
}

/// Confirm the written file's size and, where the target can hash, its SHA-256.
/// `wb` and `path`: the written file, before its rename.
async fn verify(ctx: &Ctx, wb: &dyn Backend, src: &RelPath, path: &RelPath, size: u64, sha256: &str, trusted_prefix: bool) -> Result<()> {
    let st = wb.stat(path).await?;
    if st.size != size && !ctx.opts.text_mode {
        return Err(Error::new(ErrorKind::Verify, format!("size mismatch after transfer: expected {size}, target has {}", st.size)));
    }
    if trusted_prefix
        && seeds_from_target(ctx)
        && let Some(want) = hash::on_server(&*ctx.src, src).await?
    {
        // `sha256` hashes the target's bytes; the source's own hash checks the trusted prefix.
        if want != sha256 {
            return Err(Error::new(
                ErrorKind::Verify,
                format!("SHA-256 mismatch after continuing the existing file: source has {want}, target has {sha256}"),
            ));
        }
        return Ok(());
    }
    if let Some(got) = hash::on_server(wb, path).await? {
        if got != sha256 {
            return Err(Error::new(ErrorKind::Verify, format!("SHA-256 mismatch after transfer: sent {sha256}, target has {got}")));
        }
    }
    Ok(())
}

/// `--on-exists rename-existing`: move the current target aside to `NAME.YYYYmmddTHHMMSS`.
async fn keep_existing(ctx: &Ctx, dst: &RelPath) -> Result<()> {
    match ctx.dst.stat(dst).await {
        Ok(e) if e.is_file() => {
            let aside = dst.with_name(&format!("{}.{}", dst.name(), Utc::now().format("%Y%m%dT%H%M%S")))?;
            ctx.dst.rename(dst, &aside).await?;
            tracing::info!(path = %dst, kept_as = %aside, "existing target kept");
            Ok(())
        }
        _ => Ok(()),
    }
}
