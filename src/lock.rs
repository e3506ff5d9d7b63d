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
    let _ = write!(file, "pid {} since {}", std::process::id(), chrono::Local::now().format("%Y-%m-%d %H:%M:%S %z"));
    let _ = file.flush();
    Ok(JobLock { _file: file, path })
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
        drop(a);
        assert!(acquire(d.path(), "job").is_ok());
    }
}
