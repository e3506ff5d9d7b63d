//! The one retry layer. Every operation on a remote backend — connect, list, stat, mkdir,
//! rename, delete, hash, set-mtime, move, opening a read or a write — is retried here and only
//! here: retryable errors only, one budget (`Faults`), exponential backoff with jitter. An
//! error that loses the session (a dead or stalled connection) reopens the backend before the
//! next attempt. When the budget runs out the error is marked persistent, so no caller retries
//! it again. Streams already open are not retried here: the executor restarts the copy, which
//! resumes from the bytes already written.

use super::{Backend, Capabilities, ConnectOptions, RawEntry, ReadStream, WriteMode, WriteSink};
use crate::endpoint::Endpoint;
use crate::error::{Error, ErrorKind, Result};
use crate::model::{Entry, RelPath};
use crate::paths::Standing;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use std::future::Future;
use std::sync::{Arc, RwLock};

/// A connect in progress.
pub type Connecting = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Arc<dyn Backend>>> + Send>>;

/// Opens a backend anew: the protocol's own connect, which does not retry.
pub type Connector = Arc<dyn Fn(Endpoint, ConnectOptions) -> Connecting + Send + Sync>;

/// A remote backend behind the retry layer.
pub struct Retrying {
    ep: Endpoint,
    opts: ConnectOptions,
    connect: Connector,
    label: String,
    /// The backend in use and its generation (how many times it was reopened).
    current: RwLock<(u64, Arc<dyn Backend>)>,
    /// One reopen at a time; the others wait and then use its result.
    reopening: tokio::sync::Mutex<()>,
    /// Retries so far (connect included), for the run's report; `server` labels the metrics.
    retried: std::sync::atomic::AtomicU64,
    server: String,
}

impl Retrying {
    /// Connect through `connect`, retrying retryable failures within the budget.
    pub async fn open(ep: &Endpoint, opts: &ConnectOptions, connect: Connector) -> Result<Arc<dyn Backend>> {
        let label = ep.to_string();
        let faults = opts.faults;
        let mut attempt = 0;
        let first = loop {
            match connect(ep.clone(), opts.clone()).await {
                Ok(b) => break b,
                Err(e) if e.retryable && attempt < faults.retries => {
                    attempt += 1;
                    crate::metrics::server(&ep.server_label(), |s| s.retries += 1);
                    let delay = faults.backoff(attempt);
                    tracing::warn!(server = %label, attempt, error = %e, "connect failed, retrying in {:.1}s", delay.as_secs_f64());
                    tokio::time::sleep(delay).await;
                }
                Err(e) => return Err(persistent(e, attempt)),
            }
        };
        Ok(Arc::new(Retrying {
            ep: ep.clone(),
            opts: opts.clone(),
            connect,
            label,
            current: RwLock::new((0, first)),
            reopening: tokio::sync::Mutex::new(()),
            retried: std::sync::atomic::AtomicU64::new(attempt as u64),
            server: ep.server_label(),
        }))
    }

    fn current(&self) -> (u64, Arc<dyn Backend>) {
        let g = self.current.read().unwrap_or_else(|e| e.into_inner());
        (g.0, g.1.clone())
    }

    /// Replace generation `seen` with a new connection, unless another caller already did.
    async fn reopen(&self, seen: u64) {
        let _one = self.reopening.lock().await;
        if self.current().0 != seen {
            return;
        }
        match (self.connect)(self.ep.clone(), self.opts.clone()).await {
            Ok(b) => {
                tracing::info!(server = %self.label, "reconnected");
                *self.current.write().unwrap_or_else(|e| e.into_inner()) = (seen + 1, b);
            }
            // The next attempt goes to the old session, fails the same way and counts.
            Err(e) => tracing::warn!(server = %self.label, error = %e, "reconnect failed"),
        }
    }

    /// Run `f` on the current backend, retrying as the module says.
    async fn call<T, Fut: Future<Output = Result<T>>>(&self, op: &'static str, f: impl Fn(Arc<dyn Backend>) -> Fut) -> Result<T> {
        self.attempts(op, f).await.0
    }

    /// `call`, also telling how many retries it took.
    async fn attempts<T, Fut: Future<Output = Result<T>>>(
        &self,
        op: &'static str,
        f: impl Fn(Arc<dyn Backend>) -> Fut,
    ) -> (Result<T>, u32) {
        let faults = self.opts.faults;
        let mut attempt = 0;
        loop {
            let (generation, b) = self.current();
            match f(b).await {
                Ok(v) => return (Ok(v), attempt),
                Err(e) if e.retryable && attempt < faults.retries => {
                    attempt += 1;
                    self.retried.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    crate::metrics::server(&self.server, |s| s.retries += 1);
                    let delay = faults.backoff(attempt);
                    tracing::warn!(server = %self.label, op, attempt, error = %e, "retrying in {:.1}s", delay.as_secs_f64());
                    tokio::time::sleep(delay).await;
                    if e.kind.loses_session() {
                        self.reopen(generation).await;
                    }
                }
                Err(e) => return (Err(persistent(e, attempt)), attempt),
            }
        }
    }

    /// A removal or rename retried after a lost reply may find its work already done: a
    /// not-found on a retry is success when `done` confirms it.
    async fn settled<Fut: Future<Output = bool>>(
        &self,
        op: &'static str,
        r: (Result<()>, u32),
        done: impl FnOnce(Arc<dyn Backend>) -> Fut,
    ) -> Result<()> {
        match r {
            (Err(e), retries) if retries > 0 && e.kind == ErrorKind::NotFound => {
                if done(self.current().1).await {
                    tracing::info!(server = %self.label, op, "already done by an attempt whose reply was lost");
                    Ok(())
                } else {
                    Err(e)
                }
            }
            (r, _) => r,
        }
    }
}

/// An error that has had its retries: nobody above retries it again.
fn persistent(mut e: Error, attempts: u32) -> Error {
    if e.retryable && attempts > 0 {
        e.message = format!("{} (after {attempts} retries)", e.message);
    }
    e.retryable = false;
    e
}

#[async_trait]
impl Backend for Retrying {
    fn retries(&self) -> u64 {
        self.retried.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn capabilities(&self) -> Capabilities {
        self.current().1.capabilities()
    }
    fn describe(&self) -> String {
        self.current().1.describe()
    }
    fn standing(&self, path: &RelPath) -> Result<Standing> {
        self.current().1.standing(path)
    }
    async fn list_dir(&self, dir: &RelPath) -> Result<Vec<RawEntry>> {
        self.call("list", move |b| async move { b.list_dir(dir).await }).await
    }
    async fn stat(&self, path: &RelPath) -> Result<Entry> {
        self.call("stat", move |b| async move { b.stat(path).await }).await
    }
    async fn read(&self, path: &RelPath, offset: u64, size_hint: Option<u64>) -> Result<Box<dyn ReadStream>> {
        self.call("read", move |b| async move { b.read(path, offset, size_hint).await }).await
    }
    async fn write(&self, path: &RelPath, mode: WriteMode) -> Result<Box<dyn WriteSink>> {
        self.call("write", move |b| async move { b.write(path, mode).await }).await
    }
    async fn mkdir_all(&self, path: &RelPath) -> Result<()> {
        self.call("mkdir", move |b| async move { b.mkdir_all(path).await }).await
    }
    async fn remove_file(&self, path: &RelPath) -> Result<()> {
        let r = self.attempts("remove", move |b| async move { b.remove_file(path).await }).await;
        self.settled("remove", r, |_| async { true }).await
    }
    async fn remove_dir(&self, path: &RelPath) -> Result<()> {
        let r = self.attempts("rmdir", move |b| async move { b.remove_dir(path).await }).await;
        self.settled("rmdir", r, |_| async { true }).await
    }
    async fn rename(&self, from: &RelPath, to: &RelPath) -> Result<()> {
        let r = self.attempts("rename", move |b| async move { b.rename(from, to).await }).await;
        self.settled("rename", r, move |b| async move {
            matches!(b.stat(from).await, Err(e) if e.kind == ErrorKind::NotFound) && b.stat(to).await.is_ok()
        })
        .await
    }
    async fn set_mtime(&self, path: &RelPath, mtime: DateTime<Utc>) -> Result<()> {
        self.call("set mtime", move |b| async move { b.set_mtime(path, mtime).await }).await
    }
    async fn hash_sha256(&self, path: &RelPath) -> Result<String> {
        self.call("hash", move |b| async move { b.hash_sha256(path).await }).await
    }
    async fn move_into(&self, from: &RelPath, dir: &str) -> Result<String> {
        match self.attempts("move", move |b| async move { b.move_into(from, dir).await }).await {
            (Err(e), retries) if retries > 0 && e.kind == ErrorKind::NotFound => match self.current().1.moved_into(from, dir).await {
                Some(to) => {
                    tracing::info!(server = %self.label, op = "move", "already done by an attempt whose reply was lost");
                    Ok(to)
                }
                None => Err(e),
            },
            (r, _) => r,
        }
    }
    async fn moved_into(&self, from: &RelPath, dir: &str) -> Option<String> {
        self.current().1.moved_into(from, dir).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::Faults;
    use crate::error::ErrorKind;
    use std::sync::atomic::{AtomicU32, Ordering};

    /// A backend whose `stat` fails with `fail` for the first `times` calls (over all
    /// connections), counting connects and calls.
    struct Scripted {
        fail: ErrorKind,
        retryable: bool,
        times: u32,
        calls: Arc<AtomicU32>,
    }

    #[async_trait]
    impl Backend for Scripted {
        fn capabilities(&self) -> Capabilities {
            crate::backend::local::Local::new(".").unwrap().capabilities()
        }
        fn describe(&self) -> String {
            "scripted".into()
        }
        fn standing(&self, _: &RelPath) -> Result<Standing> {
            Ok(Standing::Ordinary)
        }
        async fn list_dir(&self, _: &RelPath) -> Result<Vec<RawEntry>> {
            Ok(vec![])
        }
        async fn stat(&self, p: &RelPath) -> Result<Entry> {
            let n = self.calls.fetch_add(1, Ordering::SeqCst);
            if n < self.times {
                return Err(Error::new(self.fail, "scripted failure").retryable(self.retryable).at("stat", p));
            }
            Ok(Entry {
                path: p.clone(),
                kind: crate::model::Kind::File,
                size: 1,
                mtime: None,
                precision: crate::model::Precision::Seconds,
                sha256: None,
            })
        }
        async fn read(&self, _: &RelPath, _: u64, _: Option<u64>) -> Result<Box<dyn ReadStream>> {
            unimplemented!("not scripted")
        }
        async fn write(&self, _: &RelPath, _: WriteMode) -> Result<Box<dyn WriteSink>> {
            unimplemented!("not scripted")
        }
        async fn mkdir_all(&self, _: &RelPath) -> Result<()> {
            Ok(())
        }
        async fn remove_file(&self, _: &RelPath) -> Result<()> {
            Ok(())
        }
        async fn remove_dir(&self, _: &RelPath) -> Result<()> {
            Ok(())
        }
        async fn rename(&self, _: &RelPath, _: &RelPath) -> Result<()> {
            Ok(())
        }
        async fn set_mtime(&self, _: &RelPath, _: DateTime<Utc>) -> Result<()> {
            Ok(())
        }
        async fn hash_sha256(&self, _: &RelPath) -> Result<String> {
            Ok(String::new())
        }
        /// Fails `times` times with `fail` (the reply lost, the move done), then finds no source.
        async fn move_into(&self, p: &RelPath, _: &str) -> Result<String> {
            let n = self.calls.fetch_add(1, Ordering::SeqCst);
            let kind = if n < self.times { self.fail } else { ErrorKind::NotFound };
            Err(Error::new(kind, "scripted failure").retryable(n < self.times && self.retryable).at("move", p))
        }
        async fn moved_into(&self, from: &RelPath, dir: &str) -> Option<String> {
            Some(format!("{dir}/{}", from.name()))
        }
    }

    /// Open a scripted backend behind the retry layer; returns it with (connects, calls).
    async fn scripted(fail: ErrorKind, retryable: bool, times: u32, retries: u32) -> (Arc<dyn Backend>, Arc<AtomicU32>, Arc<AtomicU32>) {
        let (connects, calls) = (Arc::new(AtomicU32::new(0)), Arc::new(AtomicU32::new(0)));
        let (c2, k2) = (connects.clone(), calls.clone());
        let connect: Connector = Arc::new(move |_, _| {
            c2.fetch_add(1, Ordering::SeqCst);
            let b: Arc<dyn Backend> = Arc::new(Scripted { fail, retryable, times, calls: k2.clone() });
            Box::pin(async move { Ok(b) })
        });
        let opts = ConnectOptions {
            faults: Faults { retries, retry_delay: std::time::Duration::from_millis(1), ..Faults::default() },
            ..Default::default()
        };
        let ep = Endpoint::parse("sftp://u@h/x", &Default::default()).unwrap();
        (Retrying::open(&ep, &opts, connect).await.unwrap(), connects, calls)
    }

    #[tokio::test]
    async fn a_lost_session_is_reopened_and_retried() {
        let (b, connects, calls) = scripted(ErrorKind::Connect, true, 2, 3).await;
        assert!(b.stat(&RelPath::root()).await.is_ok());
        assert_eq!(calls.load(Ordering::SeqCst), 3, "two failures, then success");
        assert_eq!(connects.load(Ordering::SeqCst), 3, "the first connect and one per lost session");
    }

    #[tokio::test]
    async fn a_retryable_io_error_is_retried_on_the_same_session() {
        let (b, connects, calls) = scripted(ErrorKind::Io, true, 1, 3).await;
        assert!(b.stat(&RelPath::root()).await.is_ok());
        assert_eq!((calls.load(Ordering::SeqCst), connects.load(Ordering::SeqCst)), (2, 1));
    }

    #[tokio::test]
    async fn the_budget_is_honoured_and_the_error_becomes_persistent() {
        let (b, _, calls) = scripted(ErrorKind::Timeout, true, 100, 2).await;
        let e = b.stat(&RelPath::root()).await.unwrap_err();
        assert_eq!(calls.load(Ordering::SeqCst), 3, "one attempt and two retries");
        assert!(!e.retryable, "nobody retries it again");
        assert!(e.message.contains("after 2 retries"), "{}", e.message);
    }

    #[tokio::test]
    async fn a_move_whose_reply_was_lost_is_settled_by_finding_it_done() {
        let (b, connects, calls) = scripted(ErrorKind::Connect, true, 1, 3).await;
        let to = b.move_into(&RelPath::parse("in/a.edi").unwrap(), "archive").await.unwrap();
        assert_eq!(to, "archive/a.edi");
        assert_eq!((calls.load(Ordering::SeqCst), connects.load(Ordering::SeqCst)), (2, 2));
        // Without an earlier attempt a missing source is an error, whatever the archive holds.
        let (b, _, _) = scripted(ErrorKind::Connect, true, 0, 3).await;
        let e = b.move_into(&RelPath::parse("in/a.edi").unwrap(), "archive").await.unwrap_err();
        assert_eq!(e.kind, ErrorKind::NotFound);
    }

    #[tokio::test]
    async fn errors_that_cannot_improve_are_never_retried() {
        for kind in [ErrorKind::PermissionDenied, ErrorKind::NotFound, ErrorKind::NoSpace, ErrorKind::Auth, ErrorKind::Verify] {
            let (b, connects, calls) = scripted(kind, false, 100, 5).await;
            let e = b.stat(&RelPath::root()).await.unwrap_err();
            assert_eq!(e.kind, kind);
            assert_eq!((calls.load(Ordering::SeqCst), connects.load(Ordering::SeqCst)), (1, 1), "{kind:?}");
        }
    }
}
