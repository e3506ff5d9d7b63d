//! The data every layer shares: validated relative paths, directory entries and sorted listings.
//! Names from servers are untrusted; a `RelPath` can only hold safe names.

use crate::error::{Error, ErrorKind, Result};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// A path relative to an endpoint's root: `/`-separated names, each non-empty and free of
/// `.`/`..`, `/`, `\`, NUL and control characters. The empty path is the root itself.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
#[serde(transparent)]
pub struct RelPath(String);

/// Check one name from a listing or an argument; the error names the entry.
pub fn check_name(name: &str) -> Result<()> {
    let why = if name.is_empty() {
        Some("empty name")
    } else if name == "." || name == ".." {
        Some("dot entry")
    } else if name.contains('/') {
        Some("name contains '/'")
    } else if name.contains('\\') {
        Some("name contains '\\'")
    } else if name.contains('\0') {
        Some("name contains NUL")
    } else if name.chars().any(char::is_control) {
        Some("name contains a control character")
    } else {
        None
    };
    match why {
        Some(why) => Err(Error::new(ErrorKind::UnsafeName, format!("refusing unsafe name {}: {why}", quote(name)))),
        None => Ok(()),
    }
}

/// The most characters of a name a message shows; the rest is summarised by its length.
const QUOTE_MAX: usize = 200;

/// At most `max` characters of a message part, with a note of how much was left out.
pub fn clip(text: &str, max: usize) -> String {
    let n = text.chars().count();
    if n <= max {
        return text.to_string();
    }
    format!("{}… ({n} characters)", text.chars().take(max).collect::<String>())
}

/// Render a possibly hostile name for a message: control characters escaped, never raw, and
/// bounded — a multi-megabyte "name" from a broken listing prints as its first characters.
pub fn quote(name: &str) -> String {
    let n = name.chars().count();
    if n <= QUOTE_MAX {
        return format!("{name:?}");
    }
    let head: String = name.chars().take(QUOTE_MAX).collect();
    format!("{head:?}… ({n} characters)")
}

impl RelPath {
    /// The root of an endpoint.
    pub fn root() -> Self {
        RelPath(String::new())
    }

    /// Parse a `/`-separated relative path, validating every component.
    /// Absolute paths and `..` are refused; `.` components and repeated slashes are not allowed.
    pub fn parse(s: &str) -> Result<Self> {
        if s.is_empty() {
            return Ok(Self::root());
        }
        if s.starts_with('/') {
            return Err(Error::new(ErrorKind::UnsafeName, format!("refusing absolute path {}", quote(s))));
        }
        for c in s.split('/') {
            check_name(c)?;
        }
        Ok(RelPath(s.to_string()))
    }

    /// Parse a path typed by a user: leading `./`, `.` components and repeated or trailing
    /// slashes are tolerated; `..` is still refused.
    pub fn parse_lenient(s: &str) -> Result<Self> {
        let parts: Vec<&str> = s.split('/').filter(|c| !c.is_empty() && *c != ".").collect();
        for c in &parts {
            check_name(c)?;
        }
        Ok(RelPath(parts.join("/")))
    }

    /// This path with one more (validated) name appended.
    pub fn join(&self, name: &str) -> Result<Self> {
        check_name(name)?;
        Ok(self.join_unchecked(name))
    }

    fn join_unchecked(&self, name: &str) -> Self {
        if self.0.is_empty() { RelPath(name.to_string()) } else { RelPath(format!("{}/{}", self.0, name)) }
    }

    /// Append a whole (already valid) relative path.
    pub fn join_rel(&self, other: &RelPath) -> Self {
        if other.is_root() { self.clone() } else { self.join_unchecked(&other.0) }
    }

    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The last name, or "" for the root.
    pub fn name(&self) -> &str {
        self.0.rsplit('/').next().unwrap_or("")
    }

    /// The parent path; the root's parent is the root.
    pub fn parent(&self) -> RelPath {
        match self.0.rfind('/') {
            Some(i) => RelPath(self.0[..i].to_string()),
            None => RelPath::root(),
        }
    }

    /// Number of names in the path (0 for the root).
    pub fn depth(&self) -> usize {
        if self.0.is_empty() { 0 } else { self.0.split('/').count() }
    }

    pub fn components(&self) -> impl Iterator<Item = &str> {
        self.0.split('/').filter(|c| !c.is_empty())
    }

    /// A sibling: same parent, another (validated) name.
    pub fn with_name(&self, name: &str) -> Result<RelPath> {
        self.parent().join(name)
    }
}

impl<'de> Deserialize<'de> for RelPath {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        RelPath::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl fmt::Display for RelPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() { f.write_str(".") } else { f.write_str(&self.0) }
    }
}

impl fmt::Debug for RelPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.0)
    }
}

/// What a listing entry is. Symlinks are reported, never followed by a listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    File,
    Dir,
    Symlink,
}

/// How precise an entry's mtime is; two mtimes are "the same" within the coarser of two precisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    #[default]
    Nanos,
    Micros,
    Millis,
    Seconds,
    /// FTP LIST times without seconds.
    Minutes,
    /// FTP LIST times with a year and no time of day.
    Days,
}

impl Precision {
    /// The comparison window this precision implies.
    pub fn window(self) -> chrono::Duration {
        match self {
            Precision::Nanos => chrono::Duration::nanoseconds(1),
            Precision::Micros => chrono::Duration::microseconds(1),
            Precision::Millis => chrono::Duration::milliseconds(1),
            Precision::Seconds => chrono::Duration::seconds(1),
            Precision::Minutes => chrono::Duration::minutes(1),
            Precision::Days => chrono::Duration::days(1),
        }
    }
}

/// One entry of a listing: its path under the root, kind, size, mtime and (when known) SHA-256.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub path: RelPath,
    pub kind: Kind,
    pub size: u64,
    pub mtime: Option<DateTime<Utc>>,
    #[serde(default)]
    pub precision: Precision,
    /// Lower-case hex SHA-256, when a listing or a hash pass provided it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

impl Entry {
    pub fn is_dir(&self) -> bool {
        self.kind == Kind::Dir
    }
    pub fn is_file(&self) -> bool {
        self.kind == Kind::File
    }
}

/// A sorted listing of a tree, keyed by relative path (parents sort before their children).
#[derive(Debug, Clone, Default)]
pub struct Listing {
    pub entries: BTreeMap<RelPath, Entry>,
}

impl Listing {
    pub fn insert(&mut self, e: Entry) {
        self.entries.insert(e.path.clone(), e);
    }
    pub fn get(&self, p: &RelPath) -> Option<&Entry> {
        self.entries.get(p)
    }
    pub fn files(&self) -> impl Iterator<Item = &Entry> {
        self.entries.values().filter(|e| e.is_file())
    }
    pub fn len(&self) -> usize {
        self.entries.len()
    }
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl FromIterator<Entry> for Listing {
    fn from_iter<I: IntoIterator<Item = Entry>>(iter: I) -> Self {
        let mut l = Listing::default();
        for e in iter {
            l.insert(e);
        }
        l
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_names_are_refused() {
        let hostile = [
            "",
            ".",
            "..",
            "a/b",
            "/etc/passwd",
            "a\\b",
            "..\\..\\x",
            "nul\0byte",
            "esc\x1b[31m",
            "cr\rname",
            "lf\nname",
            "tab\tname",
            "del\x7f",
            "c1\u{85}",
        ];
        for name in hostile {
            let err = check_name(name).unwrap_err();
            assert_eq!(err.kind, ErrorKind::UnsafeName, "{name:?}");
            assert!(!err.message.contains('\r') && !err.message.contains('\n'), "message must be one line");
        }
    }

    #[test]
    fn ordinary_names_pass() {
        for name in ["a", "invoice 01.edi", ".hidden", "...", "ünïcode", "%2e%2e", "a:b", "\u{202e}txt.exe"] {
            check_name(name).unwrap();
        }
    }

    #[test]
    fn parse_rejects_escapes() {
        for p in ["../x", "a/../b", "/abs", "a//b", "a/./b", "a/"] {
            assert!(RelPath::parse(p).is_err(), "{p}");
        }
        assert_eq!(RelPath::parse("a/b/c").unwrap().depth(), 3);
        assert!(RelPath::parse("").unwrap().is_root());
    }

    #[test]
    fn lenient_parse_tolerates_user_spelling_but_not_dotdot() {
        assert_eq!(RelPath::parse_lenient("./a//b/").unwrap().as_str(), "a/b");
        assert!(RelPath::parse_lenient("a/../b").is_err());
    }

    #[test]
    fn parents_sort_before_children() {
        let mut v = [RelPath::parse("a/b").unwrap(), RelPath::parse("a").unwrap(), RelPath::parse("a.txt").unwrap()];
        v.sort();
        let a = v.iter().position(|p| p.as_str() == "a").unwrap();
        let ab = v.iter().position(|p| p.as_str() == "a/b").unwrap();
        assert!(a < ab);
    }

    #[test]
    fn name_parent_join() {
        let p = RelPath::parse("x/y/z.edi").unwrap();
        assert_eq!(p.name(), "z.edi");
        assert_eq!(p.parent().as_str(), "x/y");
        assert_eq!(RelPath::root().join("a").unwrap().as_str(), "a");
        assert!(p.join("..").is_err());
    }
}
