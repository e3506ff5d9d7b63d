//! ls, cat, stat, mkdir, rm, mv: single operations through the `Backend` trait.

use super::{Ctx, conn_options};
use crate::backend::{self, Backend, remove_tree};
use crate::cli::ConnArgs;
use crate::endpoint::{Endpoint, Remotes, Scheme};
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
    let opts = conn_options(conn)?;
    match ep.split_last() {
        Some((parent, name)) => {
            let rel = RelPath::parse(&name).map_err(|e| Error::usage(e.message))?;
            Ok((backend::open(&parent, &opts).await?, rel))
        }
        None => Ok((backend::open(ep, &opts).await?, RelPath::root())),
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
                Err(lossy) => refused.push(crate::scan::Refusal { entry: format!("{lossy:?}"), reason: "name is not valid UTF-8".into() }),
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
        eprintln!("ferry: refused entry {}: {}", r.entry, r.reason);
    }
    Ok(if refused.is_empty() { Exit::Ok } else { Exit::Partial })
}

/// `ferry cat URL`
pub async fn cat(ctx: &Ctx, url: &str, conn: &ConnArgs) -> Result<Exit> {
    use tokio::io::AsyncWriteExt;
    let ep = Endpoint::parse(url, &Remotes::new())?;
    let (b, rel) = open_parent(&ep, conn).await?;
    let e = b.stat(&rel).await.map_err(|e| missing(&ep, e))?;
    if e.is_dir() {
        return Err(Error::new(ErrorKind::Usage, "is a directory").at("cat", &ep));
    }
    let mut r = b.read(&rel, 0, Some(e.size)).await?;
    let mut out = tokio::io::stdout();
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        if let Some(e) = ctx.cancel.error() {
            return Err(e);
        }
        buf.resize(256 * 1024, 0);
        let n = r.read(&mut buf).await?;
        if n == 0 {
            break;
        }
        if let Err(e) = out.write_all(&buf[..n]).await {
            // A closed pipe (`ferry cat … | head`) is the reader's choice, not a failure.
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                return Ok(Exit::Ok);
            }
            return Err(Error::io("write", "standard output", e));
        }
    }
    let _ = out.flush().await;
    Ok(Exit::Ok)
}

/// `ferry stat URL [--json] [--checksum]`
pub async fn stat(_ctx: &Ctx, url: &str, json: bool, checksum: bool, conn: &ConnArgs) -> Result<Exit> {
    let ep = Endpoint::parse(url, &Remotes::new())?;
    let (b, rel) = open_parent(&ep, conn).await?;
    let mut e = b.stat(&rel).await.map_err(|e| missing(&ep, e))?;
    if checksum && e.is_file() {
        e.sha256 = Some(b.hash_sha256(&rel).await?);
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

/// Is this the login directory or `/` itself (which `rm` refuses)?
fn is_root_path(ep: &Endpoint) -> bool {
    let p = ep.path.trim_matches('/');
    if ep.scheme == Scheme::Local {
        let p = ep.path.trim_end_matches('/');
        return p.is_empty() || p == "." || p == "/" || p == "./" || p == "~";
    }
    p.is_empty() || p == "."
}

/// `ferry rm [-r] URL...`
pub async fn rm(ctx: &Ctx, urls: &[String], recursive: bool, conn: &ConnArgs) -> Result<Exit> {
    let remotes = Remotes::new();
    let eps: Vec<Endpoint> = urls.iter().map(|u| Endpoint::parse(u, &remotes)).collect::<Result<_>>()?;
    if let Some(root) = eps.iter().find(|e| is_root_path(e)) {
        return Err(Error::new(ErrorKind::Safety, "refusing to remove a root or login directory; nothing was removed").at("rm", root));
    }
    let mut exit = Exit::Ok;
    for ep in &eps {
        let r = async {
            let (b, rel) = open_parent(ep, conn).await?;
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
            eprintln!("ferry: {e}");
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
