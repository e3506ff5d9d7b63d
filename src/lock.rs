//! One lock per job: a second run of the same job exits 5 at once, naming the holder. The lock
//! is an OS file lock, so a crashed run's lock is released with its process and never blocks.

use crate::error::{Error, ErrorKind, Result};
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::PathBuf;

/// Held for as long as the value lives.
pub struct JobLock {
    _file: File,
    pub path: PathBuf,
}

/// Take the lock of `job` in `dir`, or fail with `ErrorKind::Locked` naming the holder.
pub fn acquire(dir: &std::path::Path, job: &str) -> Result<JobLock> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io("create", dir.display(), e))?;
    let path = dir.join(format!("{job}.lock"));
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| Error::io("open", path.display(), e))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            let mut holder = String::new();
            let _ = file.read_to_string(&mut holder);
            let holder = holder.trim();
            let who = if holder.is_empty() { "another process".to_string() } else { holder.to_string() };
            return Err(Error::new(ErrorKind::Locked, format!("job {job:?} is already running ({who}); this run did nothing")));
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(Error::io("lock", path.display(), e)),
    }
    let _ = file.set_len(0);
    let _ = file.seek(SeekFrom::Start(0));
    let _ = write!(
        file,
        "host {} pid {} since {}",
        crate::metrics::hostname(),
        std::process::id(),
        chrono::Local::now().format("%Y-%m-%d %H:%M:%S %z")
    );
    let _ = file.flush();
    Ok(JobLock { _file: file, path })
}

/// Who holds the lock of `job` right now (`host H pid P since T`), without touching the lock:
/// taking it even briefly could turn a run starting at that moment away. The kernel's table of
/// held locks (`/proc/locks`) is matched against the lock file's device and inode; where that
/// table does not exist the answer is `None`.
pub fn holder(dir: &std::path::Path, job: &str) -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let path = dir.join(format!("{job}.lock"));
    let meta = std::fs::metadata(&path).ok()?;
    let (major, minor) = (libc::major(meta.dev()), libc::minor(meta.dev()));
    let table = read_locks_table()?;
    // `1: FLOCK  ADVISORY  WRITE 4711 08:01:1234567 0 EOF`: the device in hex, the inode in decimal.
    let held = table.lines().any(|l| {
        let f: Vec<&str> = l.split_whitespace().collect();
        f.len() >= 6 && f[1] == "FLOCK" && {
            let id: Vec<&str> = f[5].split(':').collect();
            id.len() == 3
                && u32::from_str_radix(id[0], 16).ok() == Some(major)
                && u32::from_str_radix(id[1], 16).ok() == Some(minor)
                && id[2].parse::<u64>().ok() == Some(meta.ino())
        }
    });
    if !held {
        return None;
    }
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    Some(if text.trim().is_empty() { "another process".into() } else { text.trim().to_string() })
}

/// `/proc/locks` in as few reads as possible. The kernel renders it a page at a time and takes
/// its lock list afresh for each read, so a table read in small pieces (as `read_to_string`
/// starts with) can skip a line while other locks come and go — a held lock would then look
/// free. One large read gives a consistent page; a table longer than that is read on.
fn read_locks_table() -> Option<String> {
    use std::io::Read;
    let mut f = std::fs::File::open("/proc/locks").ok()?;
    let mut buf = vec![0u8; 1 << 20];
    let mut len = 0;
    loop {
        let n = f.read(&mut buf[len..]).ok()?;
        if n == 0 {
            break;
        }
        len += n;
        if len == buf.len() {
            buf.resize(buf.len() * 2, 0);
        }
    }
    buf.truncate(len);
    String::from_utf8(buf).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_holder_is_refused_and_release_frees() {
        let d = tempfile::tempdir().unwrap();
        let a = acquire(d.path(), "job").unwrap();
        let e = acquire(d.path(), "job").err().unwrap();
        assert_eq!(e.exit().code(), 5);
        assert!(e.message.contains(&format!("pid {}", std::process::id())), "{}", e.message);
        assert!(acquire(d.path(), "other").is_ok());
        let shown = holder(d.path(), "job").expect("a held lock has a holder");
        assert!(shown.contains(&format!("pid {}", std::process::id())) && shown.starts_with("host "), "{shown}");
        drop(a);
        assert_eq!(holder(d.path(), "job"), None, "released");
        assert!(acquire(d.path(), "job").is_ok());
    }
}
