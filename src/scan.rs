//! Walking a backend into a sorted `Listing`, several directories at a time. Hostile names are
//! refused one by one (the rest of the tree still lists), and so is a subdirectory that cannot
//! be read; any other listing failure fails the whole scan. Either way a missing subtree can
//! never turn into deletes: a refusal blocks them.

use crate::backend::Backend;
use crate::error::{Error, ErrorKind, Result};
use crate::filter::Filter;
use crate::model::{Entry, Kind, Listing, RelPath, check_name, quote};
use chrono::{DateTime, Utc};
use std::sync::Arc;
use tokio::task::JoinSet;

/// An entry the scan refused, with the reason (printed on stderr; the run exits 1).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Refusal {
    pub entry: String,
    pub reason: String,
}

/// The result of a walk: the selected entries and the refused ones.
#[derive(Debug, Default)]
pub struct Scan {
    pub listing: Listing,
    pub refused: Vec<Refusal>,
}

/// Walk the tree under the backend's root (which must be a directory), applying `filter`.
pub async fn walk(b: Arc<dyn Backend>, filter: &Filter, now: DateTime<Utc>, concurrency: usize) -> Result<Scan> {
    let mut scan = Scan::default();
    let mut pending = vec![RelPath::root()];
    let mut tasks: JoinSet<(RelPath, Result<Vec<crate::backend::RawEntry>>)> = JoinSet::new();
    loop {
        while tasks.len() < concurrency.max(1) {
            let Some(dir) = pending.pop() else { break };
            let b = b.clone();
            tasks.spawn(async move {
                let r = b.list_dir(&dir).await;
                (dir, r)
            });
        }
        let Some(done) = tasks.join_next().await else { break };
        let (dir, res) = done.map_err(|e| Error::new(ErrorKind::Io, format!("listing task failed: {e}")))?;
        let raws = match res {
            Ok(r) => r,
            // A subdirectory that cannot be read (or vanished) is refused like a bad name: the
            // rest of the tree goes on, and the refusal blocks every delete of the run.
            Err(e) if !dir.is_root() && matches!(e.kind, ErrorKind::PermissionDenied | ErrorKind::NotFound) => {
                scan.refused.push(Refusal { entry: format!("{}/", dir), reason: format!("cannot list the directory: {}", e.message) });
                continue;
            }
            Err(e) => return Err(e),
        };
        for raw in raws {
            let name = match raw.name {
                Ok(n) => n,
                Err(u) => {
                    let entry = if dir.is_root() { u.shown } else { format!("{dir}/{}", u.shown) };
                    scan.refused.push(Refusal { entry, reason: u.reason });
                    continue;
                }
            };
            if let Err(e) = check_name(&name) {
                if name == "." || name == ".." {
                    continue; // cdir/pdir entries are skipped silently
                }
                scan.refused.push(Refusal { entry: display_child(&dir, &name), reason: e.message });
                continue;
            }
            let path = dir.join(&name).expect("checked name");
            let e = Entry { path, kind: raw.kind, size: raw.size, mtime: raw.mtime, precision: raw.precision, sha256: None };
            match e.kind {
                Kind::Dir => {
                    if filter.descend(&e.path) {
                        pending.push(e.path.clone());
                        scan.listing.insert(e);
                    }
                }
                Kind::File => {
                    if filter.file_selected(&e, now) {
                        scan.listing.insert(e);
                    }
                }
                Kind::Symlink => {
                    if filter.path_selected(&e.path) {
                        scan.listing.insert(e);
                    }
                }
            }
        }
    }
    Ok(scan)
}

fn display_child(dir: &RelPath, name: &str) -> String {
    if dir.is_root() { quote(name) } else { format!("{}/{}", dir, quote(name)) }
}

/// Fill in SHA-256 for the given files of a listing (used by `--checksum`), `concurrency` at a
/// time: the server's hash where it has one, else (or with `read_through`) the file read through
/// the connection, which is said once on stderr.
pub async fn fill_hashes(
    b: Arc<dyn Backend>,
    listing: &mut Listing,
    paths: Vec<RelPath>,
    concurrency: usize,
    read_through: bool,
) -> Result<()> {
    let mut tasks = JoinSet::new();
    let mut it = paths.into_iter();
    let mut told = false;
    loop {
        while tasks.len() < concurrency.max(1) {
            let Some(p) = it.next() else { break };
            let b = b.clone();
            tasks.spawn(async move {
                let h = crate::backend::hash::sha256(&*b, &p, read_through).await;
                (p, h)
            });
        }
        let Some(done) = tasks.join_next().await else { break };
        let (p, h) = done.map_err(|e| Error::new(ErrorKind::Io, format!("hash task failed: {e}")))?;
        let (h, via) = h?;
        if via == crate::backend::hash::Via::Reading && !told && !b.capabilities().local {
            told = true;
            let why = if read_through { "--download" } else { "it offers no SHA-256 command" };
            crate::logging::note(format!("{}: hashing files by reading them through the connection ({why})", b.describe()));
        }
        if let Some(e) = listing.entries.get_mut(&p) {
            e.sha256 = Some(h);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::local::Local;

    #[tokio::test]
    async fn walk_prunes_and_refuses() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path();
        std::fs::create_dir_all(root.join("keep/deep")).unwrap();
        std::fs::create_dir_all(root.join("tmp")).unwrap();
        std::fs::write(root.join("keep/deep/a.edi"), b"x").unwrap();
        std::fs::write(root.join("tmp/b.edi"), b"x").unwrap();
        std::fs::write(root.join("bad\x1bname"), b"x").unwrap();
        let b: Arc<dyn Backend> = Arc::new(Local::new(root.to_str().unwrap()).unwrap());
        let f = Filter::new(&[], &["tmp".to_string()], &[]).unwrap();
        let s = walk(b, &f, Utc::now(), 4).await.unwrap();
        let paths: Vec<_> = s.listing.entries.keys().map(|p| p.as_str().to_string()).collect();
        assert_eq!(paths, ["keep", "keep/deep", "keep/deep/a.edi"]);
        assert_eq!(s.refused.len(), 1);
        assert!(s.refused[0].entry.contains("\\u{1b}"), "{:?}", s.refused);
    }
}
