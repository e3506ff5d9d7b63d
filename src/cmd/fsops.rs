//! ls, cat, stat, mkdir, rm, mv: single operations through the `Backend` trait.

use super::{Ctx, conn_options};
use crate::backend::{self, Backend, ConnectOptions, remove_tree};
use crate::cli::ConnArgs;
use crate::endpoint::{Endpoint, Remotes};
use crate::error::{Error, ErrorKind, Result};
use crate::exit::Exit;
use crate::filter::Filter;
use crate::model::{Entry, Kind, RelPath};
use crate::units::human_bytes;
use chrono::Utc;
use std::io::Write;
use std::sync::Arc;

fn missing(ep: &Endpoint, e: Error) -> Error {
    if e.kind == ErrorKind::NotFound { Error::new(ErrorKind::SourceMissing, "no such file or directory").at("", ep) } else { e }
}

/// Open the parent of `ep` and return it with the last name, or the endpoint itself as root.
async fn open_parent(ep: &Endpoint, conn: &ConnArgs) -> Result<(Arc<dyn Backend>, RelPath)> {
    open_parent_with(ep, &conn_options(conn)?).await
}

async fn open_parent_with(ep: &Endpoint, opts: &ConnectOptions) -> Result<(Arc<dyn Backend>, RelPath)> {
    match ep.split_last() {
        Some((parent, name)) => {
            let rel = RelPath::parse(&name).map_err(|e| Error::usage(e.message))?;
            Ok((backend::open(&parent, opts).await?, rel))
        }
        None => Ok((backend::open(ep, opts).await?, RelPath::root())),
    }
}

fn json_entry(e: &Entry, base: &RelPath) -> serde_json::Value {
    let path = base.join_rel(&e.path);
    let mut v = serde_json::json!({
        "path": path.as_str(),
        "name": if e.path.is_root() { base.name() } else { e.path.name() },
        "type": e.kind,
        "size": e.size,
        "mtime": e.mtime.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)),
    });
    if let Some(h) = &e.sha256 {
        v["hash"] = serde_json::json!({ "sha256": h });
    }
    v
}

fn long_line(e: &Entry, shown: &str) -> String {
    let t = match e.kind {
        Kind::File => "-",
        Kind::Dir => "d",
        Kind::Symlink => "l",
    };
    let mtime = e.mtime.map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string()).unwrap_or_else(|| "-".into());
    format!("{t} {:>12} {mtime} {shown}", e.size)
}

/// `ferry ls URL [-l] [-R] [--json]`
pub async fn ls(_ctx: &Ctx, url: &str, long: bool, recursive: bool, json: bool, conn: &ConnArgs) -> Result<Exit> {
    let ep = Endpoint::parse(url, &Remotes::new())?;
    let b = backend::open(&ep, &conn_options(conn)?).await?;
    let root = b.stat(&RelPath::root()).await.map_err(|e| missing(&ep, e))?;
    let mut refused = Vec::new();
    let entries: Vec<Entry> = if !root.is_dir() {
        let mut e = root;
        e.path = RelPath::root();
        vec![e]
    } else if recursive {
        let s = crate::scan::walk(b.clone(), &Filter::default(), Utc::now(), 8).await?;
        refused = s.refused;
        s.listing.entries.into_values().collect()
    } else {
        let mut v = Vec::new();
        for raw in b.list_dir(&RelPath::root()).await? {
            match raw.name {
                Ok(n) if n == "." || n == ".." => {}
                Ok(n) => match RelPath::root().join(&n) {
                    Ok(path) => {
                        v.push(Entry { path, kind: raw.kind, size: raw.size, mtime: raw.mtime, precision: raw.precision, sha256: None })
                    }
                    Err(e) => refused.push(crate::scan::Refusal { entry: crate::model::quote(&n), reason: e.message }),
                },
                Err(u) => refused.push(crate::scan::Refusal { entry: u.shown, reason: u.reason }),
            }
        }
        v.sort_by(|a, b| a.path.cmp(&b.path));
        v
    };
    let base = if entries.len() == 1 && entries[0].path.is_root() {
        RelPath::parse_lenient(ep.basename()).unwrap_or_default()
    } else {
        RelPath::root()
    };
    let mut out = std::io::stdout().lock();
    if json {
        let v: Vec<_> = entries.iter().map(|e| json_entry(e, &base)).collect();
        let _ = writeln!(out, "{}", serde_json::Value::Array(v));
    } else {
        for e in &entries {
            let shown = if e.path.is_root() { ep.basename().to_string() } else { e.path.to_string() };
            let shown = if e.is_dir() && long { format!("{shown}/") } else { shown };
            let _ = if long { writeln!(out, "{}", long_line(e, &shown)) } else { writeln!(out, "{shown}") };
        }
    }
    for r in &refused {
        crate::logging::refused(None, r);
    }
    Ok(if refused.is_empty() { Exit::Ok } else { Exit::Partial })
}

/// `ferry cat URL`
pub async fn cat(ctx: &Ctx, url: &str, conn: &ConnArgs) -> Result<Exit> {
    let ep = Endpoint::parse(url, &Remotes::new())?;
    // A closed pipe (`ferry cat … | head`) is the reader's choice, not a failure.
    stream_file(ctx, &ep, &conn_options(conn)?, &mut tokio::io::stdout(), "standard output", true).await?;
    Ok(Exit::Ok)
}

/// Whether a local target is a device, FIFO or socket (a symlink to one included): `get` writes
/// into such a target as `cp` and `curl -o` do, never replacing it with a regular file.
pub fn is_special_target(path: &str) -> bool {
    use std::os::unix::fs::FileTypeExt;
    std::fs::metadata(path).is_ok_and(|m| {
        let t = m.file_type();
        t.is_char_device() || t.is_block_device() || t.is_fifo() || t.is_socket()
    })
}

/// `get URL SPECIAL`: the file's bytes written straight into an existing device or FIFO — no
/// temporary name, rename, mtime or resume, since none of them means anything there.
pub async fn get_into_special(ctx: &Ctx, src: &Endpoint, target: &str, opts: &ConnectOptions) -> Result<Exit> {
    let mut out = tokio::fs::OpenOptions::new().write(true).open(target).await.map_err(|e| Error::io("open", target, e))?;
    stream_file(ctx, src, opts, &mut out, target, false).await?;
    Ok(Exit::Ok)
}

/// Stream one file's bytes into `out` (named `shown` in errors), flushing at the end; with
/// `pipe_may_close`, a reader that went away ends the stream without an error.
async fn stream_file(
    ctx: &Ctx,
    ep: &Endpoint,
    opts: &ConnectOptions,
    out: &mut (impl tokio::io::AsyncWrite + Unpin),
    shown: &str,
    pipe_may_close: bool,
) -> Result<u64> {
    use tokio::io::AsyncWriteExt;
    let (b, rel) = open_parent_with(ep, opts).await?;
    let e = b.stat(&rel).await.map_err(|e| missing(ep, e))?;
    if e.is_dir() {
        return Err(Error::new(ErrorKind::Usage, "is a directory").at("read", ep));
    }
    let mut r = b.read(&rel, 0, Some(e.size)).await?;
    let mut buf = vec![0u8; 256 * 1024];
    let mut total = 0;
    loop {
        if let Some(e) = ctx.cancel.error() {
            return Err(e);
        }
        buf.resize(256 * 1024, 0);
        let n = r.read(&mut buf).await?;
        if n == 0 {
            break;
        }
        match out.write_all(&buf[..n]).await {
            Ok(()) => total += n as u64,
            Err(e) if pipe_may_close && e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(total),
            Err(e) => return Err(Error::io("write", shown, e)),
        }
    }
    match out.flush().await {
        Err(e) if !(pipe_may_close && e.kind() == std::io::ErrorKind::BrokenPipe) => Err(Error::io("write", shown, e)),
        _ => Ok(total),
    }
}

/// `ferry stat URL [--json] [--checksum]`
pub async fn stat(ctx: &Ctx, url: &str, json: bool, checksum: bool, conn: &ConnArgs) -> Result<Exit> {
    let ep = Endpoint::parse(url, &Remotes::new())?;
    let (b, rel) = open_parent(&ep, conn).await?;
    let mut e = b.stat(&rel).await.map_err(|e| missing(&ep, e))?;
    if checksum && e.is_file() {
        let (h, via) = crate::backend::hash::sha256(&*b, &rel, false).await?;
        if via == crate::backend::hash::Via::Reading && !b.capabilities().local {
            ctx.note(format!("{}: hashed by reading it through the connection (the server offers no SHA-256 command)", ep));
        }
        e.sha256 = Some(h);
    }
    if json {
        println!("{}", json_entry(&e, &RelPath::root()));
    } else {
        println!("path:  {}", ep);
        println!("type:  {}", serde_json::to_value(e.kind).unwrap().as_str().unwrap_or("?"));
        println!("size:  {} ({})", e.size, human_bytes(e.size));
        if let Some(m) = e.mtime {
            println!("mtime: {}", m.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true));
        }
        if let Some(h) = &e.sha256 {
            println!("sha256: {h}");
        }
    }
    Ok(Exit::Ok)
}

/// `ferry mkdir [-p] URL`
pub async fn mkdir(_ctx: &Ctx, url: &str, parents: bool, conn: &ConnArgs) -> Result<Exit> {
    let ep = Endpoint::parse(url, &Remotes::new())?;
    if parents {
        let b = backend::open(&ep, &conn_options(conn)?).await?;
        b.mkdir_all(&RelPath::root()).await?;
        return Ok(Exit::Ok);
    }
    let (b, rel) = open_parent(&ep, conn).await?;
    if rel.is_root() {
        return Err(Error::usage(format!("{ep}: names no directory to create")));
    }
    match b.stat(&rel).await {
        Ok(_) => {
            return Err(Error::new(ErrorKind::AlreadyExists, "already exists (use -p to accept an existing directory)").at("mkdir", &ep));
        }
        Err(e) if e.kind == ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    match b.stat(&RelPath::root()).await {
        Ok(p) if p.is_dir() => {}
        _ => return Err(Error::new(ErrorKind::NotFound, "parent directory does not exist (use -p)").at("mkdir", &ep)),
    }
    b.mkdir_all(&rel).await?;
    Ok(Exit::Ok)
}

/// The refusal of `rm`/`mv` on a path that is (or lies above) a root or the login directory.
fn protected(op: &'static str, ep: &Endpoint) -> Error {
    Error::new(
        ErrorKind::Safety,
        "refusing a path that ends in `.` or `..` or resolves to a root, the login or working directory, or one of its parents; nothing was changed",
    )
        .at(op, ep)
}

/// Whether the path or URL as typed ends in a `.` or `..` segment (in a URL, `%2e` spellings too).
/// `rm` and `mv` refuse those for every scheme, as GNU `rm` does: what such a name removes
/// depends on symlinks (locally) or on where the login directory is.
fn ends_in_dot_name(raw: &str) -> bool {
    // Only URLs are percent-decoded: a local file may be called `%2e%2e`.
    let decoded = if raw.contains("://") { percent_encoding::percent_decode_str(raw).decode_utf8_lossy() } else { raw.into() };
    matches!(decoded.trim_end_matches('/').rsplit('/').next(), Some("." | ".."))
}

/// Open `ep`'s parent and refuse (exit 6) when `ep` resolves to a protected directory.
async fn open_guarded(op: &'static str, ep: &Endpoint, conn: &ConnArgs) -> Result<(Arc<dyn Backend>, RelPath)> {
    let (b, rel) = open_parent(ep, conn).await?;
    if b.standing(&rel)?.is_protected() {
        return Err(protected(op, ep));
    }
    Ok((b, rel))
}

/// `ferry rm [-r] URL...`: every path is resolved and checked before anything is removed.
pub async fn rm(ctx: &Ctx, urls: &[String], recursive: bool, conn: &ConnArgs) -> Result<Exit> {
    let remotes = Remotes::new();
    let eps: Vec<Endpoint> = urls.iter().map(|u| Endpoint::parse(u, &remotes)).collect::<Result<_>>()?;
    if let Some((_, ep)) =
        urls.iter().zip(&eps).find(|(u, ep)| ends_in_dot_name(u) || (!ep.is_local() && crate::paths::names_home_or_above(&ep.path)))
    {
        return Err(protected("rm", ep));
    }
    let mut exit = Exit::Ok;
    let mut targets = Vec::new();
    for ep in &eps {
        match open_guarded("rm", ep, conn).await {
            Ok(t) => targets.push((ep, t)),
            Err(e) if e.kind == ErrorKind::Safety => return Err(e),
            Err(e) => {
                crate::logging::error(None, &e);
                exit = exit.worst(e.exit());
            }
        }
    }
    for (ep, (b, rel)) in targets {
        let r = async {
            let e = b.stat(&rel).await.map_err(|e| missing(ep, e))?;
            if e.is_dir() {
                if !recursive {
                    return Err(Error::new(ErrorKind::Usage, "is a directory (use -r)").at("rm", ep));
                }
                remove_tree(&*b, &rel).await?;
            } else {
                b.remove_file(&rel).await?;
            }
            tracing::info!(path = %ep, "removed");
            Ok(())
        }
        .await;
        if let Err(e) = r {
            crate::logging::error(None, &e);
            exit = exit.worst(e.exit());
        }
    }
    let _ = ctx;
    Ok(exit)
}

/// Lexically normalise an absolute local path (`a/./b/../c` → `a/c`).
fn normalize_local(p: &str) -> Result<String> {
    let abs = std::path::absolute(p).map_err(|e| Error::io("resolve", p, e))?;
    let mut parts: Vec<String> = Vec::new();
    for c in abs.components() {
        match c {
            std::path::Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            std::path::Component::ParentDir => {
                parts.pop();
            }
            _ => {}
        }
    }
    Ok(format!("/{}", parts.join("/")))
}

/// `ferry mv URL URL2|PATH [--force]`: rename on one server.
pub async fn mv(_ctx: &Ctx, from: &str, to: &str, force: bool, conn: &ConnArgs) -> Result<Exit> {
    let remotes = Remotes::new();
    let a = Endpoint::parse(from, &remotes)?;
    let mut b = match Endpoint::parse(to, &remotes)? {
        // A bare PATH names a place on the same server, resolved like a URL path.
        e if e.is_local() && !a.is_local() => {
            let mut x = a.clone();
            x.path = e.path.clone();
            x.trailing_slash = e.trailing_slash;
            x
        }
        e => e,
    };
    if let Some((_, ep)) = [(from, &a), (to, &b)].into_iter().find(|(raw, _)| ends_in_dot_name(raw)) {
        return Err(protected("mv", ep));
    }
    if (a.scheme, &a.host, a.port) != (b.scheme, &b.host, b.port) {
        return Err(Error::usage(format!("{a} and {b} are not on the same server; use get/put to copy between servers")));
    }
    let (mut pa, mut pb) = (a.path.clone(), b.path.clone());
    if a.is_local() {
        pa = normalize_local(&pa)?;
        pb = normalize_local(&pb)?;
    }
    if b.trailing_slash && !a.basename().is_empty() {
        pb = format!("{}/{}", pb.trim_end_matches('/'), a.basename());
        b.path = pb.clone();
    }
    // Open the backend at the deepest directory both paths share and rename below it.
    let sa: Vec<&str> = pa.split('/').collect();
    let sb: Vec<&str> = pb.split('/').collect();
    let common = sa.iter().zip(&sb).take(sa.len().min(sb.len()).saturating_sub(1)).take_while(|(x, y)| x == y).count();
    let root = sa[..common].join("/");
    let root = if root.is_empty() && pa.starts_with('/') { "/".to_string() } else { root };
    let rel_a = RelPath::parse_lenient(&sa[common..].join("/"))?;
    let rel_b = RelPath::parse_lenient(&sb[common..].join("/"))?;
    if rel_a.is_root() || rel_b.is_root() {
        return Err(Error::usage("mv: cannot move a directory into itself or onto its parent"));
    }
    let mut base = a.clone();
    base.path = root;
    let bk = backend::open(&base, &conn_options(conn)?).await?;
    for (rel, ep) in [(&rel_a, &a), (&rel_b, &b)] {
        if bk.standing(rel)?.is_protected() {
            return Err(protected("mv", ep));
        }
    }
    bk.stat(&rel_a).await.map_err(|e| missing(&a, e))?;
    match bk.stat(&rel_b).await {
        Ok(_) if !force => {
            return Err(Error::new(ErrorKind::AlreadyExists, "target exists (use --force to replace it)").at("mv", &b));
        }
        Ok(e) if e.is_dir() => {
            return Err(Error::new(ErrorKind::AlreadyExists, "target is a directory; --force replaces files only").at("mv", &b));
        }
        _ => {}
    }
    bk.rename(&rel_a, &rel_b).await?;
    tracing::info!(from = %a, to = %b, "renamed");
    Ok(Exit::Ok)
}
