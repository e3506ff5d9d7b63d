//! A backend seen from one of its subdirectories: every path is joined onto `prefix` and passed
//! to the inner backend, which keeps its connections. A staged transfer opens the server at a
//! directory above both the target and the staging directory and sees the target through this,
//! so a rename can move a staged file into the target on one connection.

use super::{Backend, Capabilities, RawEntry, ReadStream, WriteMode, WriteSink};
use crate::error::Result;
use crate::model::{Entry, RelPath};
use crate::paths::Standing;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use std::sync::Arc;

pub struct Subdir {
    inner: Arc<dyn Backend>,
    prefix: RelPath,
    label: String,
}

impl Subdir {
    /// `inner` seen from `prefix` (the root itself when `prefix` is the root).
    pub fn new(inner: Arc<dyn Backend>, prefix: RelPath) -> Subdir {
        let base = inner.describe();
        let label = if prefix.is_root() { base } else { format!("{}/{}", base.trim_end_matches('/'), prefix) };
        Subdir { inner, prefix, label }
    }

    fn at(&self, p: &RelPath) -> RelPath {
        self.prefix.join_rel(p)
    }
}

#[async_trait]
impl Backend for Subdir {
    fn capabilities(&self) -> Capabilities {
        self.inner.capabilities()
    }
    fn retries(&self) -> u64 {
        self.inner.retries()
    }
    fn describe(&self) -> String {
        self.label.clone()
    }
    async fn list_dir(&self, dir: &RelPath) -> Result<Vec<RawEntry>> {
        self.inner.list_dir(&self.at(dir)).await
    }
    async fn stat(&self, path: &RelPath) -> Result<Entry> {
        // Entries name paths below this root, not the inner one.
        self.inner.stat(&self.at(path)).await.map(|e| Entry { path: path.clone(), ..e })
    }
    async fn read(&self, path: &RelPath, offset: u64, size_hint: Option<u64>) -> Result<Box<dyn ReadStream>> {
        self.inner.read(&self.at(path), offset, size_hint).await
    }
    async fn write(&self, path: &RelPath, mode: WriteMode) -> Result<Box<dyn WriteSink>> {
        self.inner.write(&self.at(path), mode).await
    }
    async fn mkdir_all(&self, path: &RelPath) -> Result<()> {
        self.inner.mkdir_all(&self.at(path)).await
    }
    async fn remove_file(&self, path: &RelPath) -> Result<()> {
        self.inner.remove_file(&self.at(path)).await
    }
    async fn remove_dir(&self, path: &RelPath) -> Result<()> {
        self.inner.remove_dir(&self.at(path)).await
    }
    async fn rename(&self, from: &RelPath, to: &RelPath) -> Result<()> {
        self.inner.rename(&self.at(from), &self.at(to)).await
    }
    async fn set_mtime(&self, path: &RelPath, mtime: DateTime<Utc>) -> Result<()> {
        self.inner.set_mtime(&self.at(path), mtime).await
    }
    async fn hash_sha256(&self, path: &RelPath) -> Result<String> {
        self.inner.hash_sha256(&self.at(path)).await
    }
    fn standing(&self, path: &RelPath) -> Result<Standing> {
        self.inner.standing(&self.at(path))
    }
    async fn move_into(&self, from: &RelPath, dir: &str) -> Result<String> {
        self.inner.move_into(&self.at(from), dir).await
    }
    async fn moved_into(&self, from: &RelPath, dir: &str) -> Option<String> {
        self.inner.moved_into(&self.at(from), dir).await
    }
}
