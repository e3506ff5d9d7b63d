//! The exactly-once sequence of one copy, against local directories with one storage call made
//! to fail: what is visible, what the ledger says and whether the source was touched.

use super::*;
use crate::backend::local::Local;
use crate::backend::{Capabilities, RawEntry, ReadStream, WriteMode, WriteSink};
use crate::error::{Error, ErrorKind, Result};
use crate::model::{Entry, RelPath};
use crate::paths::Standing;
use crate::plan::{Policy, Reason};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// A local target whose `rename` fails (a server that refuses the delivering rename).
struct RenameFails(Local);

#[async_trait]
impl Backend for RenameFails {
    fn capabilities(&self) -> Capabilities {
        self.0.capabilities()
    }
    fn describe(&self) -> String {
        self.0.describe()
    }
    async fn list_dir(&self, d: &RelPath) -> Result<Vec<RawEntry>> {
        self.0.list_dir(d).await
    }
    async fn stat(&self, p: &RelPath) -> Result<Entry> {
        self.0.stat(p).await
    }
    async fn read(&self, p: &RelPath, o: u64, h: Option<u64>) -> Result<Box<dyn ReadStream>> {
        self.0.read(p, o, h).await
    }
    async fn write(&self, p: &RelPath, m: WriteMode) -> Result<Box<dyn WriteSink>> {
        self.0.write(p, m).await
    }
    async fn mkdir_all(&self, p: &RelPath) -> Result<()> {
        self.0.mkdir_all(p).await
    }
    async fn remove_file(&self, p: &RelPath) -> Result<()> {
        self.0.remove_file(p).await
    }
    async fn remove_dir(&self, p: &RelPath) -> Result<()> {
        self.0.remove_dir(p).await
    }
    async fn rename(&self, _: &RelPath, _: &RelPath) -> Result<()> {
        Err(Error::new(ErrorKind::PermissionDenied, "rename refused"))
    }
    async fn set_mtime(&self, p: &RelPath, m: DateTime<Utc>) -> Result<()> {
        self.0.set_mtime(p, m).await
    }
    async fn hash_sha256(&self, p: &RelPath) -> Result<String> {
        self.0.hash_sha256(p).await
    }
    fn standing(&self, p: &RelPath) -> Result<Standing> {
        self.0.standing(p)
    }
    async fn move_into(&self, f: &RelPath, d: &str) -> Result<String> {
        self.0.move_into(f, d).await
    }
    async fn moved_into(&self, f: &RelPath, d: &str) -> Option<String> {
        self.0.moved_into(f, d).await
    }
}

struct World {
    _dir: tempfile::TempDir,
    src: std::path::PathBuf,
    dst: std::path::PathBuf,
    ledger: Arc<crate::ledger::Ledger>,
}

fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let (src, dst) = (dir.path().join("src"), dir.path().join("dst"));
    std::fs::create_dir_all(&src).unwrap();
    std::fs::create_dir_all(&dst).unwrap();
    std::fs::write(src.join("inv.edi"), b"an invoice").unwrap();
    let ledger = Arc::new(crate::ledger::Ledger::open(&crate::ledger::Location::File(dir.path().join("ledger.db"))).unwrap());
    World { _dir: dir, src, dst, ledger }
}

/// Copy `inv.edi` with a ledger and `after: delete`, as a pull job does.
async fn pull(w: &World, dst: Arc<dyn Backend>) -> Report {
    let src: Arc<dyn Backend> = Arc::new(Local::new(w.src.to_str().unwrap()).unwrap());
    let e = src.stat(&RelPath::parse("inv.edi").unwrap()).await.unwrap();
    let plan = Plan {
        actions: vec![Action::Copy {
            src: e.path.clone(),
            dst: e.path.clone(),
            size: e.size,
            mtime: e.mtime,
            reason: Reason::New,
            resume_from: 0,
            existing: false,
        }],
        skips: vec![],
        stop: None,
    };
    let policy = Policy { temp_name: Some(crate::plan::DEFAULT_TEMP_NAME.into()), ..Default::default() };
    let rec = Recorder { ledger: w.ledger.clone(), job: "j".into(), direction: "pull".into(), source: "src".into(), target: "dst".into(), lease: None };
    let opts = ExecOptions { retries: 0, recorder: Some(Arc::new(rec)), after: Some(Arc::new(After::Delete)), ..Default::default() };
    execute(&plan, src, dst, None, &policy, opts, Cancel::new(), 0).await
}

#[tokio::test]
async fn a_refused_rename_delivers_nothing_records_pending_and_keeps_the_source() {
    let w = world();
    let dst: Arc<dyn Backend> = Arc::new(RenameFails(Local::new(w.dst.to_str().unwrap()).unwrap()));
    let report = pull(&w, dst).await;
    assert_eq!(report.summary.failed, 1);
    assert!(!w.dst.join("inv.edi").exists(), "never visible under the final name");
    assert!(w.src.join("inv.edi").exists(), "no after-action without a delivery");
    let pending = w.ledger.pending("j", "src").unwrap();
    assert_eq!(pending.len(), 1, "the row written before the rename stays pending for the next run to check");
    let parts: Vec<_> = std::fs::read_dir(&w.dst).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    assert!(parts.len() == 1 && parts[0].ends_with(".part"), "the complete temp file is kept: {parts:?}");
}

#[tokio::test]
async fn a_delivery_is_visible_then_recorded_done_then_the_source_goes() {
    let w = world();
    let dst: Arc<dyn Backend> = Arc::new(Local::new(w.dst.to_str().unwrap()).unwrap());
    let report = pull(&w, dst).await;
    assert_eq!((report.summary.files, report.summary.failed), (1, 0));
    assert_eq!(std::fs::read(w.dst.join("inv.edi")).unwrap(), b"an invoice");
    assert!(!w.src.join("inv.edi").exists(), "deleted after delivery");
    assert!(w.ledger.pending("j", "src").unwrap().is_empty());
    let done = w.ledger.history(Some("j"), None).unwrap();
    assert_eq!(done.len(), 1);
    assert_eq!((done[0].outcome.as_str(), done[0].path.as_str()), ("done", "inv.edi"));
    assert_eq!(std::fs::read_dir(&w.dst).unwrap().count(), 1, "no temp file left");
}
