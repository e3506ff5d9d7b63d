//! Mapping a client's path onto a directory it may not leave: `/` is the served directory,
//! `..` stops at it, and a symlink that resolves outside it is refused.

use std::path::{Path, PathBuf};

/// The served directory (canonical).
#[derive(Debug, Clone)]
pub struct Jail {
    root: PathBuf,
}

/// Why a path was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// It resolves (through a symlink) outside the served directory.
    Escape,
    /// It contains a NUL byte.
    Invalid,
}

impl Jail {
    pub fn new(root: &Path) -> std::io::Result<Jail> {
        Ok(Jail { root: std::fs::canonicalize(root)? })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The client-visible absolute form of `path` (`/`-rooted, `.` and `..` resolved lexically).
    pub fn virtual_path(path: &str) -> String {
        let mut parts: Vec<&str> = Vec::new();
        for c in path.split('/') {
            match c {
                "" | "." => {}
                ".." => {
                    parts.pop();
                }
                c => parts.push(c),
            }
        }
        format!("/{}", parts.join("/"))
    }

    /// The real path for a client path. With `follow`, the final component may be a symlink
    /// only if its target stays inside; without, only the parent is resolved (lstat, remove,
    /// rename, readlink act on the link itself).
    pub fn resolve(&self, path: &str, follow: bool) -> Result<PathBuf, Refused> {
        if path.contains('\0') {
            return Err(Refused::Invalid);
        }
        let v = Self::virtual_path(path);
        let real = self.root.join(v.trim_start_matches('/'));
        if real == self.root {
            return Ok(real);
        }
        let parent = real.parent().unwrap_or(&self.root);
        self.check_inside(parent)?;
        if follow && real.symlink_metadata().is_ok_and(|m| m.file_type().is_symlink()) {
            self.check_inside(&real)?;
        }
        Ok(real)
    }

    /// The deepest existing ancestor of `p`, resolved, must lie inside the root.
    fn check_inside(&self, p: &Path) -> Result<(), Refused> {
        let mut cur = p.to_path_buf();
        loop {
            match std::fs::canonicalize(&cur) {
                Ok(real) => return if real.starts_with(&self.root) { Ok(()) } else { Err(Refused::Escape) },
                Err(_) => {
                    if !cur.pop() {
                        return Err(Refused::Escape);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir(d.path().join("in")).unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), d.path().join("out")).unwrap();
        std::os::unix::fs::symlink(d.path().join("in"), d.path().join("inlink")).unwrap();
        let j = Jail::new(d.path()).unwrap();
        assert_eq!(Jail::virtual_path("../../etc/passwd"), "/etc/passwd");
        assert_eq!(j.resolve("/../../x", false).unwrap(), j.root().join("x"));
        assert_eq!(j.resolve(".", false).unwrap(), j.root());
        assert_eq!(j.resolve("/out/secret", false), Err(Refused::Escape));
        assert_eq!(j.resolve("/out", true), Err(Refused::Escape));
        assert!(j.resolve("/out", false).is_ok(), "the link itself may be listed or removed");
        assert!(j.resolve("/inlink/f", true).is_ok());
        assert_eq!(j.resolve("a\0b", false), Err(Refused::Invalid));
    }
}
