//! The local filesystem backend. Writes never follow a symlink out of the root: the real parent
//! directory must lie inside the real root, and the final component is opened with `O_NOFOLLOW`.

use super::{Backend, Capabilities, RawEntry, ReadStream, WriteMode, WriteSink};
use crate::error::{Error, ErrorKind, Result};
use crate::model::{Entry, Kind, Precision, RelPath};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use std::fs;
use std::io::{Read, Seek, SeekFrom};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A directory tree on this machine.
pub struct Local {
    root: PathBuf,
}

/// Run blocking filesystem work off the async threads.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .unwrap_or_else(|e| Err(Error::new(ErrorKind::Io, format!("filesystem task failed: {e}"))))
}

pub(crate) fn to_utc(t: std::time::SystemTime) -> DateTime<Utc> {
    DateTime::<Utc>::from(t)
}

fn kind_of(ft: fs::FileType) -> Kind {
    if ft.is_symlink() {
        Kind::Symlink
    } else if ft.is_dir() {
        Kind::Dir
    } else {
        Kind::File
    }
}

impl Local {
    pub fn new(root: &str) -> Result<Self> {
        let root = if root.is_empty() { PathBuf::from(".") } else { PathBuf::from(root) };
        Ok(Local { root })
    }

    fn full(&self, p: &RelPath) -> PathBuf {
        if p.is_root() { self.root.clone() } else { self.root.join(p.as_str()) }
    }

    /// Fail unless the real (symlink-resolved) parent of `p` lies inside the real root.
    fn check_contained(root: &Path, full: &Path, shown: &RelPath) -> Result<()> {
        let real_root = fs::canonicalize(root).map_err(|e| Error::io("resolve", root.display(), e))?;
        let parent = full.parent().unwrap_or(root);
        let real_parent = fs::canonicalize(parent).map_err(|e| Error::io("resolve", parent.display(), e))?;
        if !real_parent.starts_with(&real_root) {
            return Err(Error::new(
                ErrorKind::Escape,
                format!("refusing to write through a symlink that leads outside the target root ({})", real_parent.display()),
            )
            .at("write", shown));
        }
        Ok(())
    }
}

pub(crate) fn entry_from_meta(path: RelPath, m: &fs::Metadata) -> Entry {
    let kind = kind_of(m.file_type());
    Entry {
        path,
        kind,
        size: if kind == Kind::File { m.len() } else { 0 },
        mtime: m.modified().ok().map(to_utc),
        precision: Precision::Nanos,
        sha256: None,
    }
}

/// SHA-256 of a local file, streamed in constant memory.
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut f = fs::File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(hex::encode(h.finalize()))
}

struct LocalRead {
    file: tokio::fs::File,
    shown: String,
}

#[async_trait]
impl ReadStream for LocalRead {
    async fn read(&mut self, buf: &mut [u8]) -> Result<usize> {
        self.file.read(buf).await.map_err(|e| Error::io("read", &self.shown, e))
    }
}

struct LocalSink {
    file: tokio::fs::File,
    shown: String,
}

#[async_trait]
impl WriteSink for LocalSink {
    async fn write_all(&mut self, buf: &[u8]) -> Result<()> {
        self.file.write_all(buf).await.map_err(|e| Error::io("write", &self.shown, e))
    }
    async fn finish(mut self: Box<Self>) -> Result<()> {
        self.file.flush().await.map_err(|e| Error::io("write", &self.shown, e))
    }
    async fn abort(mut self: Box<Self>) {
        // Keep what reached the file: the partial is what a later `-c` resumes from.
        let _ = self.file.flush().await;
    }
}

#[async_trait]
impl Backend for Local {
    fn capabilities(&self) -> Capabilities {
        Capabilities {
            local: true,
            set_mtime: true,
            precision: Precision::Nanos,
            hash_sha256: true,
            rename_replaces: true,
            append: true,
        }
    }

    fn describe(&self) -> String {
        self.root.display().to_string()
    }

    async fn list_dir(&self, dir: &RelPath) -> Result<Vec<RawEntry>> {
        let full = self.full(dir);
        let shown = dir.clone();
        blocking(move || {
            let rd = fs::read_dir(&full).map_err(|e| Error::io("list", full.display(), e))?;
            let mut out = Vec::new();
            for de in rd {
                let de = de.map_err(|e| Error::io("list", full.display(), e))?;
                let m = match de.metadata() {
                    Ok(m) => m,
                    // Vanished between readdir and stat: not part of this listing.
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                    Err(e) => return Err(Error::io("stat", shown.join_rel(&RelPath::root()), e)),
                };
                let os = de.file_name();
                let name = os.to_str().map(str::to_string).ok_or_else(|| os.to_string_lossy().into_owned());
                let kind = kind_of(m.file_type());
                out.push(RawEntry {
                    name,
                    kind,
                    size: if kind == Kind::File { m.len() } else { 0 },
                    mtime: m.modified().ok().map(to_utc),
                    precision: Precision::Nanos,
                });
            }
            Ok(out)
        })
        .await
    }

    async fn stat(&self, path: &RelPath) -> Result<Entry> {
        let full = self.full(path);
        let p = path.clone();
        blocking(move || {
            let m = fs::symlink_metadata(&full).map_err(|e| Error::io("stat", full.display(), e))?;
            Ok(entry_from_meta(p, &m))
        })
        .await
    }

    async fn read(&self, path: &RelPath, offset: u64) -> Result<Box<dyn ReadStream>> {
        let full = self.full(path);
        let shown = full.display().to_string();
        let s2 = shown.clone();
        let file = blocking(move || {
            let mut f = fs::OpenOptions::new()
                .read(true)
                .custom_flags(libc::O_NOFOLLOW)
                .open(&full)
                .map_err(|e| Error::io("open", &s2, e))?;
            if offset > 0 {
                f.seek(SeekFrom::Start(offset)).map_err(|e| Error::io("seek", &s2, e))?;
            }
            Ok(f)
        })
        .await?;
        Ok(Box::new(LocalRead { file: tokio::fs::File::from_std(file), shown }))
    }

    async fn write(&self, path: &RelPath, mode: WriteMode) -> Result<Box<dyn WriteSink>> {
        let full = self.full(path);
        let root = self.root.clone();
        let rel = path.clone();
        let shown = full.display().to_string();
        let s2 = shown.clone();
        let file = blocking(move || {
            Local::check_contained(&root, &full, &rel)?;
            let mut oo = fs::OpenOptions::new();
            oo.write(true).create(true).custom_flags(libc::O_NOFOLLOW);
            if mode == WriteMode::Truncate {
                oo.truncate(true);
            }
            let mut f = oo.open(&full).map_err(|e| Error::io("create", &s2, e))?;
            if let WriteMode::Append(off) = mode {
                f.set_len(off).map_err(|e| Error::io("truncate", &s2, e))?;
                f.seek(SeekFrom::Start(off)).map_err(|e| Error::io("seek", &s2, e))?;
            }
            Ok(f)
        })
        .await?;
        Ok(Box::new(LocalSink { file: tokio::fs::File::from_std(file), shown }))
    }

    async fn mkdir_all(&self, path: &RelPath) -> Result<()> {
        let root = self.root.clone();
        let rel = path.clone();
        blocking(move || {
            fs::create_dir_all(&root).map_err(|e| Error::io("mkdir", root.display(), e))?;
            let mut cur = root.clone();
            for c in rel.components() {
                cur.push(c);
                match fs::symlink_metadata(&cur) {
                    Ok(m) if m.is_dir() => {}
                    Ok(m) if m.file_type().is_symlink() => {
                        // A symlinked directory is fine only while it stays inside the root.
                        Local::check_contained(&root, &cur.join("x"), &rel)?;
                        if !cur.is_dir() {
                            return Err(Error::new(ErrorKind::AlreadyExists, "exists and is not a directory").at("mkdir", cur.display()));
                        }
                    }
                    Ok(_) => {
                        return Err(Error::new(ErrorKind::AlreadyExists, "exists and is not a directory").at("mkdir", cur.display()));
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => match fs::create_dir(&cur) {
                        Ok(()) => {}
                        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && cur.is_dir() => {}
                        Err(e) => return Err(Error::io("mkdir", cur.display(), e)),
                    },
                    Err(e) => return Err(Error::io("mkdir", cur.display(), e)),
                }
            }
            Ok(())
        })
        .await
    }

    async fn remove_file(&self, path: &RelPath) -> Result<()> {
        let full = self.full(path);
        blocking(move || fs::remove_file(&full).map_err(|e| Error::io("remove", full.display(), e))).await
    }

    async fn remove_dir(&self, path: &RelPath) -> Result<()> {
        let full = self.full(path);
        blocking(move || fs::remove_dir(&full).map_err(|e| Error::io("rmdir", full.display(), e))).await
    }

    async fn rename(&self, from: &RelPath, to: &RelPath) -> Result<()> {
        let (f, t) = (self.full(from), self.full(to));
        let root = self.root.clone();
        let rel = to.clone();
        blocking(move || {
            Local::check_contained(&root, &t, &rel)?;
            fs::rename(&f, &t).map_err(|e| Error::io("rename", format!("{} -> {}", f.display(), t.display()), e))
        })
        .await
    }

    async fn set_mtime(&self, path: &RelPath, mtime: DateTime<Utc>) -> Result<()> {
        let full = self.full(path);
        blocking(move || {
            let f = fs::OpenOptions::new()
                .read(true)
                .custom_flags(libc::O_NOFOLLOW)
                .open(&full)
                .map_err(|e| Error::io("set mtime", full.display(), e))?;
            f.set_modified(mtime.into()).map_err(|e| Error::io("set mtime", full.display(), e))
        })
        .await
    }

    async fn hash_sha256(&self, path: &RelPath) -> Result<String> {
        let full = self.full(path);
        blocking(move || sha256_file(&full).map_err(|e| Error::io("hash", full.display(), e))).await
    }
}
