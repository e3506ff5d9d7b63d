//! `--staging-dir` / `upload: { staging_dir }`: files are written into a staging directory on
//! the target's server and renamed into the target directory when complete, for partners whose
//! pickup scripts take every name in the watched directory. The server is opened once at the
//! deepest directory above both, so the rename that delivers is one rename on one connection.

use crate::backend::subdir::Subdir;
use crate::backend::{self, Backend, ConnectOptions};
use crate::endpoint::Endpoint;
use crate::error::{Error, Result};
use crate::model::RelPath;
use std::sync::Arc;

/// Where staged files go, as seen from the backend opened above target and staging.
pub struct Staging {
    /// The server, opened at the common ancestor.
    pub base: Arc<dyn Backend>,
    /// The staging directory below `base`.
    pub dir: RelPath,
    /// The target directory below `base`.
    pub target: RelPath,
}

impl Staging {
    /// The partials of these source versions (source entry, target path) left in the staging
    /// directory by an interrupted run, placed where the planner looks for a partial: beside
    /// the target path, under the temp name. One listing of the staging directory.
    pub async fn partials<'a>(
        &self,
        template: &str,
        files: impl Iterator<Item = (&'a crate::model::Entry, &'a RelPath)>,
    ) -> Result<Vec<crate::model::Entry>> {
        let staged: std::collections::HashMap<String, u64> = match self.base.list_dir(&self.dir).await {
            Ok(v) => v.into_iter().filter(|e| e.kind == crate::model::Kind::File).filter_map(|e| Some((e.name.ok()?, e.size))).collect(),
            Err(e) if e.kind == crate::error::ErrorKind::NotFound => Default::default(),
            Err(e) => return Err(e),
        };
        let mut out = vec![];
        for (src, dst) in files {
            let name = crate::plan::temp_name(template, dst.name(), &crate::plan::fingerprint(&src.path, src.size, src.mtime));
            if let (Some(size), Ok(path)) = (staged.get(&name), dst.with_name(&name)) {
                out.push(crate::model::Entry {
                    path,
                    kind: crate::model::Kind::File,
                    size: *size,
                    mtime: None,
                    precision: src.precision,
                    sha256: None,
                });
            }
        }
        Ok(out)
    }
}

/// Check a `--staging-dir` value as written (before any target is known).
pub fn check(dir: &str) -> Result<()> {
    if dir.trim().is_empty() {
        return Err(Error::usage("the staging directory is empty"));
    }
    if dir.contains(['\r', '\n', '\0']) {
        return Err(Error::usage("CR, LF and NUL are not allowed in the staging directory"));
    }
    Ok(())
}

/// Split the target and the staging directory (a path as in the target's URL: `/stage` beside
/// `/in`, `//abs/stage` absolute on the server; locally a path) into their deepest common
/// ancestor and each one's path below it. Pure: nothing is asked of the server.
pub fn layout(target: &Endpoint, dir: &str) -> Result<(Endpoint, RelPath, RelPath)> {
    check(dir)?;
    let (t, s) = if target.is_local() {
        let abs = |p: &str| {
            std::path::absolute(p).map(|a| a.to_string_lossy().into_owned()).map_err(|e| Error::usage(format!("cannot resolve {p}: {e}")))
        };
        (crate::paths::resolve_dots(&abs(&target.path)?), crate::paths::resolve_dots(&abs(dir)?))
    } else {
        let Some(url_path) = dir.strip_prefix('/') else {
            return Err(Error::usage(format!(
                "staging directory {dir:?} must be a path as in the target's URL, starting with / (e.g. /staging beside /inbox)"
            )));
        };
        (target.path.clone(), crate::paths::resolve_dots(url_path))
    };
    if t.starts_with('/') != s.starts_with('/') {
        return Err(Error::usage(format!(
            "give the staging directory {dir:?} the way the target gives its path: both relative to the login directory (/dir) or both absolute (//dir)"
        )));
    }
    let segs = |p: &str| -> Vec<String> { p.split('/').filter(|x| !x.is_empty()).map(str::to_string).collect() };
    let (ts, ss) = (segs(&t), segs(&s));
    if ts.iter().chain(&ss).any(|x| x == "..") {
        return Err(Error::usage(format!("staging directory {dir:?}: paths above the login directory are not supported")));
    }
    let common = ts.iter().zip(&ss).take_while(|(a, b)| a == b).count();
    if common == ss.len() {
        return Err(Error::usage(format!("staging directory {dir:?} is the target directory or above it; give a separate directory")));
    }
    if common == ts.len() {
        return Err(Error::usage(format!(
            "staging directory {dir:?} is inside the target directory, where a partner (and --delete) would see staged files"
        )));
    }
    let lead = if t.starts_with('/') { "/" } else { "" };
    let ancestor = format!("{lead}{}", ts[..common].join("/"));
    let ancestor = if target.is_local() && ancestor.is_empty() { "/".to_string() } else { ancestor };
    let rel = |v: &[String]| RelPath::parse(&v.join("/")).map_err(|e| Error::usage(format!("staging directory {dir:?}: {}", e.message)));
    Ok((target.clone().with_path(&ancestor), rel(&ts[common..])?, rel(&ss[common..])?))
}

/// Open the target's server for a staged transfer: the target as a backend of its own, and the
/// staging layout. The staging directory must exist (exit 2 otherwise), and locally be on the
/// target's filesystem, since a rename cannot cross filesystems. With `probe` (a run that will
/// write), the server must also rename a file written there into another directory: a server
/// that cannot is exit 2 before anything moves.
pub async fn open(target: &Endpoint, conn: &ConnectOptions, dir: &str, probe: bool) -> Result<(Arc<dyn Backend>, Staging)> {
    let (ancestor, t, s) = layout(target, dir)?;
    let base = backend::open(&ancestor, conn).await?;
    match base.stat(&s).await {
        Ok(e) if e.is_dir() => {}
        Ok(_) => return Err(Error::usage(format!("staging directory {dir} is not a directory"))),
        Err(e) => return Err(Error::usage(format!("staging directory {dir} is not usable: {} (create it first)", e.message))),
    }
    if target.is_local() {
        same_filesystem(&target.path, dir)?;
    }
    let dst: Arc<dyn Backend> = Arc::new(Subdir::new(base.clone(), t.clone()));
    let st = Staging { base, dir: s, target: t };
    if probe && let Err(e) = probe_rename(&st).await {
        // A lost connection stays a connection failure; a refusal is the layout's fault.
        if matches!(e.kind, crate::error::ErrorKind::Connect | crate::error::ErrorKind::Timeout) {
            return Err(e);
        }
        return Err(Error::usage(format!(
            "staging directory {dir}: the server does not rename a file written there into another directory ({}); nothing was moved",
            e.message
        )));
    }
    Ok((dst, st))
}

/// Write a probe file in the staging directory, rename it into a new directory beside it and
/// remove both: the rename a staged delivery makes, without touching the target directory (a
/// partner never sees a probe). A handful of round trips.
pub async fn probe_rename(st: &Staging) -> Result<()> {
    let name = format!(".ferry-probe-{}", std::process::id());
    let (file, sub) = (st.dir.join(&name)?, st.dir.join(&format!("{name}.d"))?);
    let moved = sub.join(&name)?;
    let b = &*st.base;
    let tried: Result<()> = async {
        let mut w = b.write(&file, backend::WriteMode::Truncate).await?;
        w.write_all(b"ferry staging probe\n").await?;
        w.finish(None).await?;
        b.mkdir_all(&sub).await?;
        b.rename(&file, &moved).await
    }
    .await;
    // Clean up whatever exists, whichever step failed.
    let _ = b.remove_file(&moved).await;
    let _ = b.remove_file(&file).await;
    let _ = b.remove_dir(&sub).await;
    tried
}

/// A local staging directory must share the target's filesystem (the target's nearest existing
/// directory stands in for one a mirror is about to create).
fn same_filesystem(target: &str, dir: &str) -> Result<()> {
    use std::os::unix::fs::MetadataExt;
    let mut t = std::path::absolute(target).map_err(|e| Error::usage(format!("cannot resolve {target}: {e}")))?;
    let tdev = loop {
        match std::fs::metadata(&t) {
            Ok(m) => break m.dev(),
            Err(_) if t.pop() => continue,
            Err(e) => return Err(Error::usage(format!("cannot stat {target}: {e}"))),
        }
    };
    let sdev = std::fs::metadata(dir).map_err(|e| Error::usage(format!("cannot stat staging directory {dir}: {e}")))?.dev();
    if tdev != sdev {
        return Err(Error::usage(format!(
            "staging directory {dir} is on another filesystem than {target}: a rename cannot move files across"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoint::Remotes;

    fn lay(url: &str, dir: &str) -> Result<(String, String, String)> {
        let ep = Endpoint::parse(url, &Remotes::new()).unwrap();
        layout(&ep, dir).map(|(a, t, s)| (a.path, t.to_string(), s.to_string()))
    }

    #[test]
    fn staging_and_target_meet_at_their_deepest_common_directory() {
        assert_eq!(lay("sftp://h/out/in", "/out/staging").unwrap(), ("out".into(), "in".into(), "staging".into()));
        assert_eq!(lay("ftp://h/in/", "/staging").unwrap(), ("".into(), "in".into(), "staging".into()));
        assert_eq!(lay("sftp://h//srv/x/in", "//srv/tmp").unwrap(), ("/srv".into(), "x/in".into(), "tmp".into()));
        assert_eq!(lay("sftp://h/a/../in", "/st").unwrap().1, "in");
    }

    #[test]
    fn staging_layouts_that_cannot_work_are_refused() {
        for (url, dir, why) in [
            ("sftp://h/in", "staging", "starting with /"),
            ("sftp://h/in", "//abs/st", "both relative"),
            ("sftp://h/in", "/in/.stage", "inside the target"),
            ("sftp://h/in/sub", "/in", "or above it"),
            ("sftp://h/in", "/in", "or above it"),
            ("sftp://h/in", "/../up", "above the login"),
            ("sftp://h/in", " ", "empty"),
        ] {
            let e = lay(url, dir).unwrap_err();
            assert!(e.message.contains(why), "{url} {dir}: {}", e.message);
            assert_eq!(e.exit(), crate::exit::Exit::Usage);
        }
    }
}
