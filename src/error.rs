//! Errors: a kind (which decides the exit code and whether a retry may help), the operation and
//! the path it concerns, and a human message. Exit codes come from kinds, never from strings.

use crate::exit::Exit;
use std::fmt;

/// What went wrong, independent of the protocol that reported it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// Bad flags, arguments, globs or job file.
    Usage,
    NotFound,
    AlreadyExists,
    PermissionDenied,
    Auth,
    Connect,
    Timeout,
    Protocol,
    Io,
    /// A directory still holds entries.
    NotEmpty,
    /// The storage is full (ENOSPC, EDQUOT, FTP 452/552).
    NoSpace,
    Unsupported,
    /// A name from a listing or an argument is not a safe relative path.
    UnsafeName,
    /// A write would leave the target root (symlink planted in the target).
    Escape,
    /// Size or checksum mismatch after a transfer.
    Verify,
    /// The source changed while it was being read.
    SourceChanged,
    /// A safety stop: too many deletes, empty source, removing a root.
    Safety,
    /// The source root of a transfer does not exist.
    SourceMissing,
    /// The run was interrupted by SIGINT.
    Interrupted,
    /// The run was stopped by SIGTERM.
    Terminated,
    /// Another run of the job holds its lock.
    Locked,
    /// `--max-time` / `max_duration` passed: the run was stopped as on SIGTERM.
    TimeLimit,
}

impl ErrorKind {
    /// Whether the session that reported this kind is likely dead, so a retry should go
    /// through a new connection rather than the same one.
    pub fn loses_session(self) -> bool {
        matches!(self, ErrorKind::Connect | ErrorKind::Timeout)
    }
}

/// A ferry error: kind, retryability, operation, path, the protocol's own code, message and
/// the underlying error. Decisions read `kind`, `retryable` and `code`, never `message`.
#[derive(Debug, Clone)]
pub struct Error {
    pub kind: ErrorKind,
    /// Whether retrying the same operation could succeed (set by the backend's error mapping;
    /// cleared once the retries of the one retry layer ran out).
    pub retryable: bool,
    pub op: &'static str,
    pub path: Option<String>,
    pub message: String,
    /// The protocol's code: an FTP reply code or an SFTP status code.
    pub code: Option<u32>,
    /// The error this one was mapped from.
    pub source: Option<std::sync::Arc<dyn std::error::Error + Send + Sync>>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A new non-retryable error of `kind`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error { kind, retryable: false, op: "", path: None, message: message.into(), code: None, source: None }
    }

    /// Record the protocol's own code for this error.
    pub fn with_code(mut self, code: Option<u32>) -> Self {
        self.code = code;
        self
    }

    /// Keep the underlying error as `source`.
    pub fn caused_by(mut self, e: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(std::sync::Arc::new(e));
        self
    }

    pub fn usage(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Usage, message)
    }

    /// Attach the operation and path this error concerns.
    pub fn at(mut self, op: &'static str, path: impl fmt::Display) -> Self {
        self.op = op;
        self.path = Some(path.to_string());
        self
    }

    pub fn retryable(mut self, yes: bool) -> Self {
        self.retryable = yes;
        self
    }

    /// Map a local I/O error; only interruptions and timeouts are worth retrying on a local disk.
    pub fn io(op: &'static str, path: impl fmt::Display, e: std::io::Error) -> Self {
        use std::io::ErrorKind as K;
        let kind = match e.kind() {
            K::NotFound => ErrorKind::NotFound,
            K::PermissionDenied => ErrorKind::PermissionDenied,
            K::AlreadyExists => ErrorKind::AlreadyExists,
            K::TimedOut => ErrorKind::Timeout,
            K::StorageFull | K::QuotaExceeded => ErrorKind::NoSpace,
            _ => match e.raw_os_error() {
                Some(libc::ELOOP) => ErrorKind::Escape,
                Some(libc::ENOSPC) | Some(libc::EDQUOT) => ErrorKind::NoSpace,
                Some(libc::ENOTEMPTY) => ErrorKind::NotEmpty,
                _ => ErrorKind::Io,
            },
        };
        let retryable = matches!(e.kind(), K::Interrupted | K::TimedOut | K::WouldBlock);
        let message = match kind {
            ErrorKind::Escape => "refusing to follow a symlink".to_string(),
            _ => strip_os_error_suffix(&e.to_string()),
        };
        Error {
            kind,
            retryable,
            op,
            path: Some(path.to_string()),
            message,
            code: e.raw_os_error().map(|c| c as u32),
            source: Some(std::sync::Arc::new(e)),
        }
    }

    /// The exit code this error leads to when it ends a command.
    pub fn exit(&self) -> Exit {
        match self.kind {
            ErrorKind::Usage => Exit::Usage,
            ErrorKind::Auth | ErrorKind::Connect => Exit::Connect,
            ErrorKind::Verify => Exit::Verify,
            ErrorKind::Safety => Exit::SafetyStop,
            ErrorKind::Interrupted => Exit::Interrupted,
            ErrorKind::Terminated => Exit::Terminated,
            ErrorKind::SourceMissing => Exit::SourceMissing,
            ErrorKind::Locked => Exit::Locked,
            ErrorKind::TimeLimit => Exit::TimeLimit,
            _ => Exit::Partial,
        }
    }
}

/// "No such file or directory (os error 2)" reads better without the errno.
fn strip_os_error_suffix(s: &str) -> String {
    match s.rfind(" (os error ") {
        Some(i) => s[..i].to_string(),
        None => s.to_string(),
    }
}

/// The most characters of a path or message an error line shows: a server can name a file
/// with tens of kilobytes, and one line per entry must stay one readable line.
const SHOWN_MAX: usize = 1000;

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = crate::model::clip(&self.message, SHOWN_MAX);
        match (&self.path, self.op) {
            (Some(p), "") => write!(f, "{}: {message}", crate::model::clip(p, SHOWN_MAX)),
            (Some(p), op) => write!(f, "{op} {}: {message}", crate::model::clip(p, SHOWN_MAX)),
            (None, "") => write!(f, "{message}"),
            (None, op) => write!(f, "{op}: {message}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io;

    #[test]
    fn io_errors_map_to_kinds_and_exit_codes() {
        let table = [
            (io::Error::from(io::ErrorKind::NotFound), ErrorKind::NotFound, Exit::Partial, false),
            (io::Error::from(io::ErrorKind::PermissionDenied), ErrorKind::PermissionDenied, Exit::Partial, false),
            (io::Error::from_raw_os_error(libc::ENOSPC), ErrorKind::NoSpace, Exit::Partial, false),
            (io::Error::from_raw_os_error(libc::ELOOP), ErrorKind::Escape, Exit::Partial, false),
            (io::Error::from(io::ErrorKind::TimedOut), ErrorKind::Timeout, Exit::Partial, true),
            (io::Error::from(io::ErrorKind::Interrupted), ErrorKind::Io, Exit::Partial, true),
        ];
        for (e, kind, exit, retry) in table {
            let err = Error::io("read", "x", e);
            assert_eq!(err.kind, kind);
            assert_eq!(err.exit(), exit);
            assert_eq!(err.retryable, retry);
        }
    }

    #[test]
    fn kinds_map_to_documented_exit_codes() {
        let table = [
            (ErrorKind::Usage, 2),
            (ErrorKind::Auth, 3),
            (ErrorKind::Connect, 3),
            (ErrorKind::Safety, 6),
            (ErrorKind::Verify, 7),
            (ErrorKind::Locked, 5),
            (ErrorKind::Interrupted, 130),
            (ErrorKind::Terminated, 143),
            (ErrorKind::SourceMissing, 4),
            (ErrorKind::TimeLimit, 8),
            (ErrorKind::Io, 1),
        ];
        for (k, code) in table {
            assert_eq!(Error::new(k, "x").exit().code(), code, "{k:?}");
        }
    }

    #[test]
    fn display_is_bounded() {
        let long = "n".repeat(100_000);
        let e = Error::new(ErrorKind::Io, long.clone()).at("read", &long);
        assert!(e.to_string().len() < 2 * SHOWN_MAX + 100, "{}", e.to_string().len());
    }

    #[test]
    fn display_names_op_and_path() {
        let e = Error::io("open", "/tmp/x", io::Error::from_raw_os_error(libc::ENOENT));
        assert_eq!(e.to_string(), "open /tmp/x: No such file or directory");
    }
}
