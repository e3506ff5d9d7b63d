//! Path resolution before anything acts on a path. Server paths lose their `.`, `..` and empty
//! segments lexically, as RFC 3986 removes dot segments from a URL, so the path ferry checks is
//! the path it sends; `Standing` is what the guards of destructive operations read.

/// Remove `.`, empty and `..` segments. An absolute path stays absolute (`..` at `/` stays at
/// `/`); a relative path keeps the leading `..` segments that climb above its start. The result
/// ends in `/` when the input did or when its last segment was `.` or `..` (it names a directory).
pub fn resolve_dots(p: &str) -> String {
    let absolute = p.starts_with('/');
    let mut out: Vec<&str> = Vec::new();
    let mut dir = p.ends_with('/');
    for seg in p.split('/') {
        dir = false;
        match seg {
            "" | "." => dir = seg == ".",
            ".." => {
                dir = true;
                match out.last() {
                    Some(&last) if last != ".." => {
                        out.pop();
                    }
                    _ if absolute => {}
                    _ => out.push(".."),
                }
            }
            s => out.push(s),
        }
    }
    dir |= p.ends_with('/');
    let mut s = out.join("/");
    if absolute {
        s.insert(0, '/');
    }
    if dir && !s.is_empty() && !s.ends_with('/') {
        s.push('/');
    }
    s
}

/// The absolute, resolved server path of `path` given as in a URL: relative to `home` (an
/// absolute directory) unless it starts with `/`. No trailing slash except for `/` itself.
pub fn absolute(home: &str, path: &str) -> String {
    let joined = if path.starts_with('/') { path.to_string() } else { format!("/{}/{path}", home.trim_matches('/')) };
    match resolve_dots(&joined).trim_end_matches('/') {
        "" => "/".to_string(),
        t => t.to_string(),
    }
}

/// Whether a resolved server path (as in a URL) is protected whatever the login directory is:
/// the login directory itself (empty), the server's `/`, or only `..` segments above the login
/// directory. Lets `rm` refuse before it connects.
pub fn names_home_or_above(resolved: &str) -> bool {
    resolved.split('/').all(|s| s.is_empty() || s == "..")
}

/// Where a resolved path stands against the login (or, locally, working) directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Neither the top of the storage, the login directory nor one of its ancestors.
    Ordinary,
    /// The login directory itself (locally: the working directory).
    Home,
    /// The storage's `/`, or a directory the login directory lies inside.
    Above,
}

impl Standing {
    /// Place the absolute `target` against the absolute `home` (both resolved, no trailing `/`).
    pub fn of(target: &str, home: &str) -> Standing {
        let (t, h) = (target.trim_end_matches('/'), home.trim_end_matches('/'));
        if t == h {
            Standing::Home
        } else if t.is_empty() || h.starts_with(&format!("{t}/")) {
            Standing::Above
        } else {
            Standing::Ordinary
        }
    }

    /// Whether `rm` and `mv` must leave a path of this standing alone.
    pub fn is_protected(self) -> bool {
        self != Standing::Ordinary
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_segments_resolve_like_a_url() {
        let table = [
            ("", ""),
            (".", ""),
            ("./.", ""),
            ("./", ""),
            ("upload/..", ""),
            ("upload/u/../..", ""),
            ("a/b/../c", "a/c"),
            ("a//b/", "a/b/"),
            ("a/b/..", "a/"),
            ("a/./b", "a/b"),
            ("..", "../"),
            ("../x", "../x"),
            ("a/../../x", "../x"),
            ("/", "/"),
            ("/..", "/"),
            ("/./", "/"),
            ("/a/../..", "/"),
            ("/var/edi/../out", "/var/out"),
            ("x/y/..", "x/"),
        ];
        for (input, want) in table {
            assert_eq!(resolve_dots(input), want, "{input:?}");
        }
    }

    #[test]
    fn absolute_joins_onto_home() {
        assert_eq!(absolute("/home/u", ""), "/home/u");
        assert_eq!(absolute("/home/u", "upload/.."), "/home/u");
        assert_eq!(absolute("/home/u", ".."), "/home");
        assert_eq!(absolute("/home/u", "../../.."), "/");
        assert_eq!(absolute("/home/u", "/etc/./x"), "/etc/x");
        assert_eq!(absolute("/", "in"), "/in");
        assert_eq!(absolute("", "in/"), "/in");
    }

    #[test]
    fn home_or_above_without_a_server() {
        for p in ["", "/", "../", "../..", "//"] {
            assert!(names_home_or_above(p), "{p:?}");
        }
        for p in ["in", "../x", "/etc", "a/"] {
            assert!(!names_home_or_above(p), "{p:?}");
        }
    }

    #[test]
    fn standing_against_home() {
        assert_eq!(Standing::of("/home/u", "/home/u"), Standing::Home);
        assert_eq!(Standing::of("/home", "/home/u"), Standing::Above);
        assert_eq!(Standing::of("/", "/home/u"), Standing::Above);
        assert_eq!(Standing::of("/", "/"), Standing::Home);
        assert_eq!(Standing::of("/home/u/in", "/home/u"), Standing::Ordinary);
        assert_eq!(Standing::of("/home/uu", "/home/u"), Standing::Ordinary);
        assert_eq!(Standing::of("/home/other", "/home/u"), Standing::Ordinary);
    }
}
