//! Structured logging: text or one JSON object per line, to stderr or a file, at a level set by
//! -q / -v / -vv (or RUST_LOG). Secrets never reach here: they are held as `Secret`.

use crate::cli::{GlobalArgs, LogFormat};
use crate::error::{Error, Result};
use std::fs::OpenOptions;
use std::sync::Mutex;
use tracing_subscriber::EnvFilter;

/// Install the global subscriber. Idempotent enough for tests: a second call is ignored.
pub fn init(g: &GlobalArgs) -> Result<()> {
    let level = if g.quiet {
        "error"
    } else {
        match g.verbose {
            0 => "warn",
            1 => "info",
            _ => "debug",
        }
    };
    // suppaftp warns when a transfer stream is dropped unfinished; ferry does that on purpose
    // when a transfer is cancelled or fails, and retires that connection, so the warning
    // (seen on every Ctrl-C) says nothing a user can act on.
    let filter = EnvFilter::try_from_env("FERRY_LOG").unwrap_or_else(|_| EnvFilter::new(format!("ferry={level},suppaftp=error,warn")));
    let ansi = !g.no_color
        && std::env::var_os("NO_COLOR").is_none()
        && g.log_file.is_none()
        && std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_target(false);
    let result = match (&g.log_file, g.log_format) {
        (Some(path), fmt) => {
            let f = OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .map_err(|e| Error::usage(format!("cannot open log file {path}: {}", e)))?;
            let w = Mutex::new(f);
            match fmt {
                LogFormat::Json => builder.json().with_current_span(false).with_writer(w).try_init(),
                LogFormat::Text => builder.with_ansi(false).with_writer(w).try_init(),
            }
        }
        (None, LogFormat::Json) => builder.json().with_current_span(false).with_writer(std::io::stderr).try_init(),
        (None, LogFormat::Text) => builder.with_ansi(ansi).with_writer(std::io::stderr).try_init(),
    };
    let _ = result;
    Ok(())
}
