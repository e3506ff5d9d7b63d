//! The local filesystem backend. Writes never follow a symlink out of the root: the real parent
//! directory must lie inside the real root, and the final component is opened with `O_NOFOLLOW`.

use super::{Backend, Capabilities, RawEntry, ReadStream, WriteMode, WriteSink};
use crate::error::{Error, ErrorKind, Result};
use crate::model::{Entry, Kind, Precision, RelPath};
use crate::paths::Standing;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::fs;
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::fd::IntoRawFd;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// A directory tree on this machine.
pub struct Local {
    root: PathBuf,
    guard: Arc<Guard>,
}

/// Run blocking filesystem work off the async threads.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(f).await.unwrap_or_else(|e| Err(Error::new(ErrorKind::Io, format!("filesystem task failed: {e}"))))
}

/// Operations on at most this many bytes run inline on the async worker: a page-cache open,
/// stat, rename or small read takes microseconds, far less than handing the call to the blocking
/// pool and back (measured: ~40 futex calls per small file when every call was offloaded).
/// Bulk reads and writes, listings and hashing still go to the blocking pool.
const INLINE_BYTES: usize = 64 * 1024;

/// Run `f` inline when it is small, else on the blocking pool.
async fn small_or_blocking<T: Send + 'static>(inline: bool, f: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    if inline {
        Ok(f())
    } else {
        tokio::task::spawn_blocking(f).await.map_err(|e| Error::new(ErrorKind::Io, format!("filesystem task failed: {e}")))
    }
}

/// Metadata-only operations (stat, rename, mtime, mkdir, remove) always run inline.
async fn inline<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    f()
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
        let guard = Arc::new(Guard { root: root.clone(), real_root: Default::default(), proven: Default::default() });
        Ok(Local { root, guard })
    }

    fn full(&self, p: &RelPath) -> PathBuf {
        if p.is_root() { self.root.clone() } else { self.root.join(p.as_str()) }
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

/// Reads with std's blocking calls on the blocking pool, opening lazily so that opening and
/// reading a small file cost one hop, and noting end of file so the final empty read is free.
struct LocalRead {
    file: Option<fs::File>,
    path: PathBuf,
    offset: u64,
    eof: bool,
}

#[async_trait]
impl ReadStream for LocalRead {
    async fn read(&mut self, buf: &mut Vec<u8>) -> Result<usize> {
        if self.eof {
            return Ok(0);
        }
        let mut data = std::mem::take(buf);
        let file = self.file.take();
        let (path, offset) = (self.path.clone(), self.offset);
        let small = data.len() <= INLINE_BYTES;
        let (file, data, r) = small_or_blocking(small, move || {
            let mut file = match file {
                Some(f) => f,
                None => match open_read(&path, offset) {
                    Ok(f) => f,
                    Err(e) => return (None, data, Err(e)),
                },
            };
            let mut filled = 0;
            let mut eof = false;
            while filled < data.len() {
                match file.read(&mut data[filled..]) {
                    Ok(0) => {
                        eof = true;
                        break;
                    }
                    Ok(n) => filled += n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => return (Some(file), data, Err(Error::io("read", path.display(), e))),
                }
            }
            (Some(file), data, Ok((filled, eof)))
        })
        .await?;
        *buf = data;
        self.file = file;
        let (n, eof) = r?;
        self.eof = eof;
        Ok(n)
    }
}

fn open_read(path: &Path, offset: u64) -> Result<fs::File> {
    let mut f =
        fs::OpenOptions::new().read(true).custom_flags(libc::O_NOFOLLOW).open(path).map_err(|e| Error::io("open", path.display(), e))?;
    if offset > 0 {
        f.seek(SeekFrom::Start(offset)).map_err(|e| Error::io("seek", path.display(), e))?;
    }
    Ok(f)
}

/// Buffers writes and flushes them a chunk at a time on the blocking pool. The file is opened
/// (with the containment check) on the first flush, so a small file is opened, written, given
/// its mtime and closed in one hop by `finish`.
struct LocalSink {
    file: Option<fs::File>,
    guard: Arc<Guard>,
    path: PathBuf,
    rel: RelPath,
    mode: WriteMode,
    buf: Vec<u8>,
}

const SINK_CHUNK: usize = 1024 * 1024;

impl LocalSink {
    /// Write out the buffer (opening the file if needed); with `close`, also set the mtime and
    /// close, reporting close errors.
    async fn flush(&mut self, close: bool, mtime: Option<DateTime<Utc>>) -> Result<()> {
        let data = std::mem::take(&mut self.buf);
        let file = self.file.take();
        let (guard, path, rel, mode) = (self.guard.clone(), self.path.clone(), self.rel.clone(), self.mode);
        let small = data.len() <= INLINE_BYTES;
        let (file, data, r) = small_or_blocking(small, move || {
            let mut file = match file {
                Some(f) => f,
                None => match open_write(&guard, &path, &rel, mode) {
                    Ok(f) => f,
                    Err(e) => return (None, data, Err(e)),
                },
            };
            if let Err(e) = file.write_all(&data) {
                return (Some(file), data, Err(Error::io("write", path.display(), e)));
            }
            if close {
                if let Some(m) = mtime
                    && let Err(e) = file.set_modified(m.into())
                {
                    return (Some(file), data, Err(Error::io("set mtime", path.display(), e)));
                }
                // Close explicitly so that a delayed write error (NFS, quota) is not lost.
                let fd = file.into_raw_fd();
                if unsafe { libc::close(fd) } != 0 {
                    return (None, data, Err(Error::io("close", path.display(), std::io::Error::last_os_error())));
                }
                return (None, data, Ok(()));
            }
            (Some(file), data, Ok(()))
        })
        .await?;
        self.file = file;
        self.buf = data;
        self.buf.clear();
        r
    }
}

fn open_write(guard: &Guard, path: &Path, rel: &RelPath, mode: WriteMode) -> Result<fs::File> {
    guard.check(path, rel)?;
    let mut oo = fs::OpenOptions::new();
    oo.write(true).create(true).custom_flags(libc::O_NOFOLLOW);
    if mode == WriteMode::Truncate {
        oo.truncate(true);
    }
    let mut f = oo.open(path).map_err(|e| Error::io("create", path.display(), e))?;
    if let WriteMode::Append(off) = mode {
        f.set_len(off).map_err(|e| Error::io("truncate", path.display(), e))?;
        f.seek(SeekFrom::Start(off)).map_err(|e| Error::io("seek", path.display(), e))?;
    }
    Ok(f)
}

#[async_trait]
impl WriteSink for LocalSink {
    async fn write_all(&mut self, buf: &[u8]) -> Result<()> {
        self.buf.extend_from_slice(buf);
        if self.buf.len() >= SINK_CHUNK { self.flush(false, None).await } else { Ok(()) }
    }
    async fn finish(mut self: Box<Self>, mtime: Option<DateTime<Utc>>) -> Result<bool> {
        self.flush(true, mtime).await.map(|_| mtime.is_some())
    }
    async fn abort(mut self: Box<Self>) {
        // Keep what was written: the partial is what a later `-c` resumes from.
        let _ = self.flush(true, None).await;
    }
}

/// Keeps writes inside the root: the real path of every parent directory written into must lie
/// inside the real root. Directories already proven are remembered for the run, so the check
/// costs one `realpath` per directory, not per file.
struct Guard {
    root: PathBuf,
    real_root: std::sync::OnceLock<PathBuf>,
    proven: Mutex<HashSet<PathBuf>>,
}

impl Guard {
    fn check(&self, full: &Path, shown: &RelPath) -> Result<()> {
        let parent = full.parent().unwrap_or(&self.root).to_path_buf();
        if self.proven.lock().unwrap_or_else(|e| e.into_inner()).contains(&parent) {
            return Ok(());
        }
        let real_root = match self.real_root.get() {
            Some(r) => r.clone(),
            None => {
                let r = fs::canonicalize(&self.root).map_err(|e| Error::io("resolve", self.root.display(), e))?;
                self.real_root.get_or_init(|| r).clone()
            }
        };
        let real_parent = fs::canonicalize(&parent).map_err(|e| Error::io("resolve", parent.display(), e))?;
        if !real_parent.starts_with(&real_root) {
            return Err(Error::new(
                ErrorKind::Escape,
                format!("refusing to write through a symlink that leads outside the target root ({})", real_parent.display()),
            )
            .at("write", shown));
        }
        self.proven.lock().unwrap_or_else(|e| e.into_inner()).insert(parent);
        Ok(())
    }
}

#[async_trait]
impl Backend for Local {
    fn capabilities(&self) -> Capabilities {
        Capabilities { local: true, set_mtime: true, precision: Precision::Nanos, hash_sha256: true, rename_replaces: true, append: true }
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
                let name = os.to_str().map(str::to_string).ok_or_else(|| super::Unusable::not_utf8(&os.to_string_lossy()));
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
        inline(move || {
            let m = fs::symlink_metadata(&full).map_err(|e| Error::io("stat", full.display(), e))?;
            Ok(entry_from_meta(p, &m))
        })
        .await
    }

    async fn read(&self, path: &RelPath, offset: u64, _size_hint: Option<u64>) -> Result<Box<dyn ReadStream>> {
        Ok(Box::new(LocalRead { file: None, path: self.full(path), offset, eof: false }))
    }

    async fn write(&self, path: &RelPath, mode: WriteMode) -> Result<Box<dyn WriteSink>> {
        Ok(Box::new(LocalSink { file: None, guard: self.guard.clone(), path: self.full(path), rel: path.clone(), mode, buf: Vec::new() }))
    }

    async fn mkdir_all(&self, path: &RelPath) -> Result<()> {
        let root = self.root.clone();
        let rel = path.clone();
        let guard = self.guard.clone();
        inline(move || {
            fs::create_dir_all(&root).map_err(|e| Error::io("mkdir", root.display(), e))?;
            let mut cur = root.clone();
            for c in rel.components() {
                cur.push(c);
                match fs::symlink_metadata(&cur) {
                    Ok(m) if m.is_dir() => {}
                    Ok(m) if m.file_type().is_symlink() => {
                        // A symlinked directory is fine only while it stays inside the root.
                        guard.check(&cur.join("x"), &rel)?;
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
        inline(move || fs::remove_file(&full).map_err(|e| Error::io("remove", full.display(), e))).await
    }

    async fn remove_dir(&self, path: &RelPath) -> Result<()> {
        let full = self.full(path);
        inline(move || fs::remove_dir(&full).map_err(|e| Error::io("rmdir", full.display(), e))).await
    }

    async fn rename(&self, from: &RelPath, to: &RelPath) -> Result<()> {
        let (f, t) = (self.full(from), self.full(to));
        let guard = self.guard.clone();
        let rel = to.clone();
        inline(move || {
            guard.check(&t, &rel)?;
            fs::rename(&f, &t).map_err(|e| Error::io("rename", format!("{} -> {}", f.display(), t.display()), e))
        })
        .await
    }

    async fn set_mtime(&self, path: &RelPath, mtime: DateTime<Utc>) -> Result<()> {
        let full = self.full(path);
        inline(move || {
            let f = fs::OpenOptions::new()
                .read(true)
                .custom_flags(libc::O_NOFOLLOW)
                .open(&full)
                .map_err(|e| Error::io("set mtime", full.display(), e))?;
            f.set_modified(mtime.into()).map_err(|e| Error::io("set mtime", full.display(), e))
        })
        .await
    }

    fn standing(&self, path: &RelPath) -> Result<Standing> {
        let cwd = std::env::current_dir().and_then(fs::canonicalize).map_err(|e| Error::io("resolve", "the working directory", e))?;
        let full = self.full(path);
        // The last name is not followed (removing a symlink removes the link); everything before
        // it is resolved by the kernel, as the removal itself would resolve it.
        let (dir, name) = match (path.is_root(), full.file_name()) {
            (false, Some(n)) => (full.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from(".")), Some(n.to_owned())),
            _ => (full.clone(), None),
        };
        let dir = if dir.as_os_str().is_empty() { PathBuf::from(".") } else { dir };
        let real = match fs::canonicalize(&dir) {
            Ok(r) => r,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                std::path::absolute(&dir).map_err(|e| Error::io("resolve", dir.display(), e))?
            }
            Err(e) => return Err(Error::io("resolve", dir.display(), e)),
        };
        let real = match name {
            Some(n) if n != "." && n != ".." => real.join(n),
            Some(_) => fs::canonicalize(&full).map_err(|e| Error::io("resolve", full.display(), e))?,
            None => real,
        };
        Ok(Standing::of(&real.to_string_lossy(), &cwd.to_string_lossy()))
    }

    async fn move_into(&self, from: &RelPath, dir: &str) -> Result<String> {
        let src = self.full(from);
        let dir = PathBuf::from(dir);
        let name = from.name().to_string();
        inline(move || {
            fs::create_dir_all(&dir).map_err(|e| Error::io("mkdir", dir.display(), e))?;
            let mut to = dir.join(&name);
            if to.symlink_metadata().is_ok() {
                to = dir.join(super::dated_name(&name));
            }
            fs::rename(&src, &to).map_err(|e| Error::io("move", format!("{} -> {}", src.display(), to.display()), e))?;
            Ok(to.display().to_string())
        })
        .await
    }

    async fn moved_into(&self, from: &RelPath, dir: &str) -> Option<String> {
        let to = PathBuf::from(dir).join(from.name());
        let gone = matches!(self.full(from).symlink_metadata(), Err(e) if e.kind() == std::io::ErrorKind::NotFound);
        (gone && to.symlink_metadata().is_ok()).then(|| to.display().to_string())
    }

    async fn hash_sha256(&self, path: &RelPath) -> Result<String> {
        let full = self.full(path);
        blocking(move || sha256_file(&full).map_err(|e| Error::io("hash", full.display(), e))).await
    }
}
