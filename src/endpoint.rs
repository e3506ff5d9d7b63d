//! Endpoints: local paths, `file://`, `sftp://`, `ftp://`, `ftpes://`, `ftps://` URLs and
//! `NAME:path` remote references. Display never includes a password.

use crate::error::{Error, Result};
use crate::secret::Secret;
use percent_encoding::percent_decode_str;
use std::collections::BTreeMap;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scheme {
    Local,
    Sftp,
    Ftp,
    Ftpes,
    Ftps,
}

impl Scheme {
    pub fn name(self) -> &'static str {
        match self {
            Scheme::Local => "local",
            Scheme::Sftp => "sftp",
            Scheme::Ftp => "ftp",
            Scheme::Ftpes => "ftpes",
            Scheme::Ftps => "ftps",
        }
    }

    pub fn default_port(self) -> u16 {
        match self {
            Scheme::Sftp => 22,
            Scheme::Ftps => 990,
            Scheme::Ftp | Scheme::Ftpes => 21,
            Scheme::Local => 0,
        }
    }

    /// The protocol behind the scheme: what every per-protocol decision matches on.
    pub fn protocol(self) -> Protocol {
        match self {
            Scheme::Local => Protocol::Local,
            Scheme::Sftp => Protocol::Sftp,
            Scheme::Ftp | Scheme::Ftpes | Scheme::Ftps => Protocol::Ftp,
        }
    }
}

/// The three storage protocols; FTP's TLS variants share one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    Local,
    Sftp,
    Ftp,
}

/// A parsed endpoint. For servers, `path` is relative to the login directory unless it starts
/// with `/`; for local endpoints it is a filesystem path.
#[derive(Debug, Clone, PartialEq)]
pub struct Endpoint {
    pub scheme: Scheme,
    pub user: Option<String>,
    /// A password given inline in the URL (works, but is never printed).
    pub password: Option<Secret>,
    pub host: String,
    pub port: Option<u16>,
    pub path: String,
    /// The text ended in `/`: the endpoint names a directory.
    pub trailing_slash: bool,
    /// The remote name this endpoint came from (`acme:` in `acme:outbound`).
    pub remote: Option<String>,
}

/// Remote definitions (from a job file or the config file) that `NAME:path` refers to.
pub type Remotes = BTreeMap<String, Endpoint>;

fn decode(s: &str, what: &str) -> Result<String> {
    percent_decode_str(s)
        .decode_utf8()
        .map(|c| c.into_owned())
        .map_err(|_| Error::usage(format!("{what} {s:?} is not valid UTF-8 after percent-decoding")))
}

/// Is `s` shaped like `NAME:path` (a remote reference) rather than a local path or URL?
pub fn remote_ref(s: &str) -> Option<(&str, &str)> {
    let (name, rest) = s.split_once(':')?;
    // One-letter names are Windows drive letters; `//` after the colon is a URL.
    if name.len() < 2 || rest.starts_with("//") {
        return None;
    }
    name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-').then_some((name, rest))
}

impl Endpoint {
    pub fn local(path: &str) -> Self {
        Endpoint {
            scheme: Scheme::Local,
            user: None,
            password: None,
            host: String::new(),
            port: None,
            path: path.to_string(),
            trailing_slash: path.ends_with('/'),
            remote: None,
        }
    }

    /// Parse a command-line or job-file endpoint; `NAME:path` is looked up in `remotes`.
    pub fn parse(s: &str, remotes: &Remotes) -> Result<Self> {
        if s.is_empty() {
            return Err(Error::usage("empty path or URL"));
        }
        if s.contains(['\r', '\n', '\0']) {
            return Err(Error::usage(format!("{s:?}: CR, LF and NUL are not allowed in a path or URL")));
        }
        if let Some(rest) = s.strip_prefix("file://") {
            if !rest.starts_with('/') {
                return Err(Error::usage(format!("{s:?}: a file:// URL needs an absolute path (file:///dir)")));
            }
            return Ok(Endpoint::local(&decode(rest, "path")?));
        }
        if let Some((scheme, rest)) = s.split_once("://") {
            let scheme = match scheme.to_ascii_lowercase().as_str() {
                "sftp" => Scheme::Sftp,
                "ftp" => Scheme::Ftp,
                "ftpes" => Scheme::Ftpes,
                "ftps" => Scheme::Ftps,
                other => return Err(Error::usage(format!("unsupported URL scheme {other:?} in {}", redact(s)))),
            };
            return Self::parse_url(scheme, rest, s);
        }
        if let Some((name, path)) = remote_ref(s) {
            let Some(base) = remotes.get(name) else {
                return Err(Error::usage(format!(
                    "unknown remote {name:?} in {s:?} (define it under `remotes:` in the job file or the config file)"
                )));
            };
            return Ok(base.with_subpath(path, Some(name)));
        }
        Ok(Endpoint::local(s))
    }

    fn parse_url(scheme: Scheme, rest: &str, whole: &str) -> Result<Self> {
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        let (userinfo, hostport) = match authority.rfind('@') {
            Some(i) => (Some(&authority[..i]), &authority[i + 1..]),
            None => (None, authority),
        };
        let (user, password) = match userinfo {
            Some(ui) => match ui.split_once(':') {
                Some((u, p)) => (Some(decode(u, "user")?), Some(Secret::new(decode(p, "password")?))),
                None => (Some(decode(ui, "user")?), None),
            },
            None => (None, None),
        };
        let (host, port) = if let Some(h) = hostport.strip_prefix('[') {
            // [IPv6]:port
            let (h, after) = h.split_once(']').ok_or_else(|| Error::usage(format!("bad IPv6 host in {}", redact(whole))))?;
            let port = match after.strip_prefix(':') {
                Some(p) => Some(parse_port(p, whole)?),
                None => None,
            };
            (h.to_string(), port)
        } else {
            match hostport.rsplit_once(':') {
                Some((h, p)) => (h.to_string(), Some(parse_port(p, whole)?)),
                None => (hostport.to_string(), None),
            }
        };
        if host.is_empty() {
            return Err(Error::usage(format!("missing host in {}", redact(whole))));
        }
        // A name or an IPv4 address (letters, digits, `-`, `.`, `_`), or an IPv6 address in
        // brackets: anything else (a space, a stray `@` or `[`) could never connect.
        let ipv6 = hostport.starts_with('[');
        let ok = |c: char| c.is_alphanumeric() || matches!(c, '-' | '.' | '_') || (ipv6 && matches!(c, ':' | '%'));
        if !host.chars().all(ok) {
            return Err(Error::usage(format!("bad host {} in {}", crate::model::quote(&host), redact(whole))));
        }
        // The path is relative to the login directory; a second slash makes it absolute.
        // Percent-decoding comes first and dot segments are resolved after it, so `%2e%2e` is
        // a `..` like any other and what the guards check is what the server is sent.
        let path = decode(path.strip_prefix('/').unwrap_or(path), "path")?;
        if path.contains(['\r', '\n', '\0']) {
            return Err(Error::usage(format!("CR, LF and NUL are not allowed in the path of {}", redact(whole))));
        }
        let path = crate::paths::resolve_dots(&path);
        Ok(Endpoint { scheme, user, password, host, port, trailing_slash: path.ends_with('/') || path.is_empty(), path, remote: None })
    }

    /// This endpoint with `sub` joined onto its path (a leading `/` makes `sub` absolute on the
    /// same server), as `NAME:path` and `move_to` resolve.
    pub fn with_subpath(&self, sub: &str, remote: Option<&str>) -> Endpoint {
        let mut e = self.clone();
        e.remote = remote.map(str::to_string).or(e.remote);
        if sub.starts_with('/') {
            e.path = sub.to_string();
        } else if !sub.is_empty() {
            e.path = if e.path.is_empty() || e.path.ends_with('/') { format!("{}{}", e.path, sub) } else { format!("{}/{}", e.path, sub) };
        }
        if !e.is_local() {
            e.path = crate::paths::resolve_dots(&e.path);
        }
        e.trailing_slash = e.path.ends_with('/') || (e.path.is_empty() && e.scheme != Scheme::Local);
        e
    }

    /// The same server with another path (as in a URL: relative to the login directory).
    pub fn with_path(mut self, path: &str) -> Endpoint {
        self.path = if self.is_local() { path.to_string() } else { crate::paths::resolve_dots(path) };
        self.trailing_slash = path.ends_with('/') || path.is_empty();
        self
    }

    pub fn is_local(&self) -> bool {
        self.scheme == Scheme::Local
    }

    /// The last path component (for "append the source's name" rules); empty for a root.
    pub fn basename(&self) -> &str {
        self.path.trim_end_matches('/').rsplit('/').next().unwrap_or("")
    }

    /// Split into (parent endpoint, last name); `None` when the path has no last name.
    pub fn split_last(&self) -> Option<(Endpoint, String)> {
        let trimmed = self.path.trim_end_matches('/');
        let name = trimmed.rsplit('/').next().unwrap_or("");
        if name.is_empty() || name == "." || name == ".." {
            return None;
        }
        let mut parent = self.clone();
        parent.path = trimmed[..trimmed.len() - name.len()].to_string();
        if parent.is_local() && parent.path.is_empty() {
            parent.path = ".".to_string();
        }
        parent.trailing_slash = true;
        Some((parent, name.to_string()))
    }
}

fn parse_port(p: &str, whole: &str) -> Result<u16> {
    p.parse::<u16>().ok().filter(|p| *p > 0).ok_or_else(|| Error::usage(format!("bad port {p:?} in {}", redact(whole))))
}

/// A URL with any inline password replaced by `***`, for messages.
pub fn redact(s: &str) -> String {
    if let Some((scheme, rest)) = s.split_once("://") {
        let auth_end = rest.find('/').unwrap_or(rest.len());
        let auth = &rest[..auth_end];
        if let Some(at) = auth.rfind('@')
            && let Some((u, _)) = auth[..at].split_once(':')
        {
            return format!("{scheme}://{u}:***@{}", &rest[at + 1..]);
        }
    }
    s.to_string()
}

impl Endpoint {
    /// `scheme://host:port`: the server, for metrics labels (no user, password or path).
    pub fn server_label(&self) -> String {
        let host = if self.host.contains(':') { format!("[{}]", self.host) } else { self.host.clone() };
        format!("{}://{host}:{}", self.scheme.name(), self.port.unwrap_or(self.scheme.default_port()))
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.scheme == Scheme::Local {
            return f.write_str(&self.path);
        }
        write!(f, "{}://", self.scheme.name())?;
        if let Some(u) = &self.user {
            write!(f, "{u}@")?;
        }
        if self.host.contains(':') {
            write!(f, "[{}]", self.host)?;
        } else {
            f.write_str(&self.host)?;
        }
        if let Some(p) = self.port {
            write!(f, ":{p}")?;
        }
        write!(f, "/{}", self.path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Endpoint {
        Endpoint::parse(s, &Remotes::new()).unwrap()
    }

    #[test]
    fn urls() {
        let e = p("sftp://edi@host.example:2222/outbound/x%20y.edi");
        assert_eq!((e.scheme, e.user.as_deref(), e.host.as_str(), e.port), (Scheme::Sftp, Some("edi"), "host.example", Some(2222)));
        assert_eq!(e.path, "outbound/x y.edi");
        assert_eq!(p("sftp://host//var/edi/out").path, "/var/edi/out");
        assert_eq!(p("ftps://h").path, "");
        assert_eq!(p("ftp://[::1]:21/a").host, "::1");
        assert!(p("ftp://h/dir/").trailing_slash);
    }

    #[test]
    fn inline_password_is_kept_secret() {
        let e = p("ftp://bob:s3cr%40t@h/x");
        assert_eq!(e.password.as_ref().unwrap().expose(), "s3cr@t");
        let shown = format!("{e} {e:?}");
        assert!(!shown.contains("s3cr"), "{shown}");
        assert_eq!(redact("ftp://bob:pw@h/x"), "ftp://bob:***@h/x");
    }

    #[test]
    fn local_and_remote_refs() {
        assert_eq!(p("./dir").scheme, Scheme::Local);
        assert_eq!(p("file:///abs/x").path, "/abs/x");
        assert_eq!(p("C:dir").scheme, Scheme::Local);
        let mut remotes = Remotes::new();
        remotes.insert("acme".into(), p("sftp://edi@acme.example/home"));
        assert_eq!(Endpoint::parse("acme:outbound", &remotes).unwrap().path, "home/outbound");
        assert_eq!(Endpoint::parse("acme:/outbound", &remotes).unwrap().path, "/outbound");
        let err = Endpoint::parse("nope:x", &remotes).unwrap_err();
        assert!(err.message.contains("unknown remote \"nope\""));
    }

    #[test]
    fn bad_urls_are_usage_errors() {
        for s in [
            "gopher://h/x",
            "sftp:///x",
            "ftp://h:99999/",
            "ftp://h:0/",
            "ftp://h/a%0d%0aDELE x",
            "file://rel",
            "sftp://edi@bad host/",
            "ftp://[::1/x",
            "ftp://h[x]/",
        ] {
            let e = Endpoint::parse(s, &Remotes::new()).unwrap_err();
            assert_eq!(e.exit(), crate::exit::Exit::Usage, "{s}");
        }
    }

    #[test]
    fn server_paths_are_resolved_after_decoding() {
        assert_eq!(p("sftp://h/upload/..").path, "");
        assert_eq!(p("sftp://h/upload/%2e%2e").path, "");
        assert_eq!(p("ftp://h/./.").path, "");
        assert_eq!(p("ftp://h/a/b/../c").path, "a/c");
        assert_eq!(p("ftp://h//").path, "/");
        assert_eq!(p("ftp://h//x/../..").path, "/");
        assert_eq!(p("ftp://h/in/x/..").path, "in/");
        assert!(p("ftp://h/in/x/..").trailing_slash);
        let mut remotes = Remotes::new();
        remotes.insert("acme".into(), p("sftp://edi@acme.example/home"));
        assert_eq!(Endpoint::parse("acme:../..", &remotes).unwrap().path, "../");
        // Local paths are left to the kernel, which follows symlinks before `..`.
        assert_eq!(p("sub/..").path, "sub/..");
    }

    #[test]
    fn split_last() {
        let (parent, name) = p("sftp://h/a/b.txt").split_last().unwrap();
        assert_eq!((parent.path.as_str(), name.as_str()), ("a/", "b.txt"));
        let (parent, name) = p("file.txt").split_last().unwrap();
        assert_eq!((parent.path.as_str(), name.as_str()), (".", "file.txt"));
    }
}
