//! Structured logging: text or one JSON object per line, to stderr or a file, at a level set by
//! -q / -v / -vv (or FERRY_LOG). Secrets never reach here: they are held as `Secret`.
//!
//! The lines ferry writes for people (summary, refusals, failures, errors, notes, hook output)
//! go through [`Line`], so under `--log-format json` every stderr line is one JSON object of the
//! same shape as the log events: `{"timestamp", "level", "fields": {"message", "event", …}}`.

use crate::cli::{GlobalArgs, LogFormat};
use crate::error::{Error, Result};
use std::fs::OpenOptions;
use std::io::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use tracing_subscriber::EnvFilter;

/// Whether `--log-format json` is in effect (set once by `init`).
static JSON: AtomicBool = AtomicBool::new(false);

/// Whether -q is in effect: notes and the summary are left out.
static QUIET: AtomicBool = AtomicBool::new(false);

/// A note for people (`ferry: …` on stderr, or a `note` object), unless -q.
pub fn note(msg: impl std::fmt::Display) {
    if !QUIET.load(Ordering::Relaxed) {
        Line::new(Level::Info, "note", msg).emit();
    }
}

/// Whether stderr lines are JSON objects.
pub fn json() -> bool {
    JSON.load(Ordering::Relaxed)
}

/// Choose the stderr line format before logging is set up (usage errors come that early).
pub fn set_format(f: LogFormat) {
    JSON.store(f == LogFormat::Json, Ordering::Relaxed);
}

/// Whether raw arguments ask for JSON logs: for errors from the argument parser itself.
pub fn json_in_args(args: impl IntoIterator<Item = std::ffi::OsString>) -> bool {
    let mut prev_flag = false;
    for a in args {
        let a = a.to_string_lossy().into_owned();
        if a == "--log-format=json" || (prev_flag && a == "json") {
            return true;
        }
        prev_flag = a == "--log-format";
    }
    false
}

/// Severity of a [`Line`], named as the log events name theirs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Error,
    Warn,
    Info,
}

/// One line for people on stderr: `ferry: [job J: ]message` as text, or one JSON object.
#[must_use = "a Line does nothing until emitted"]
pub struct Line {
    level: Level,
    event: &'static str,
    job: Option<String>,
    message: String,
    fields: serde_json::Map<String, serde_json::Value>,
}

impl Line {
    /// A line of kind `event` (summary, refused, safety_stop, failure, error, note, hook_output).
    pub fn new(level: Level, event: &'static str, message: impl std::fmt::Display) -> Line {
        Line { level, event, job: None, message: message.to_string(), fields: Default::default() }
    }

    /// The job it belongs to (text: a `job J: ` prefix).
    pub fn job(mut self, job: Option<&str>) -> Line {
        self.job = job.map(str::to_string);
        self
    }

    /// An extra JSON field (text output leaves it out).
    pub fn field(mut self, key: &str, v: impl serde::Serialize) -> Line {
        self.fields.insert(key.to_string(), serde_json::to_value(v).unwrap_or(serde_json::Value::Null));
        self
    }

    /// The line as written.
    pub fn render(&self, json: bool) -> String {
        if !json {
            return match &self.job {
                Some(j) => format!("ferry: job {j}: {}", self.message),
                None => format!("ferry: {}", self.message),
            };
        }
        let mut fields = serde_json::Map::new();
        fields.insert("message".into(), self.message.clone().into());
        fields.insert("event".into(), self.event.into());
        if let Some(j) = &self.job {
            fields.insert("job".into(), j.clone().into());
        }
        fields.extend(self.fields.clone());
        let level = match self.level {
            Level::Error => "ERROR",
            Level::Warn => "WARN",
            Level::Info => "INFO",
        };
        let ts = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string();
        serde_json::json!({ "timestamp": ts, "level": level, "fields": fields }).to_string()
    }

    /// Write it to stderr in the chosen format (one write, so concurrent lines do not mix).
    pub fn emit(self) {
        let mut s = self.render(json());
        s.push('\n');
        let _ = std::io::stderr().lock().write_all(s.as_bytes());
    }

    /// Every field of a serialized struct (e.g. a summary's totals).
    pub fn fields(mut self, v: impl serde::Serialize) -> Line {
        if let Ok(serde_json::Value::Object(m)) = serde_json::to_value(v) {
            self.fields.extend(m);
        }
        self
    }
}

/// An error line (`ferry: [job J: ]message`) with the exit code it leads to.
pub fn error(job: Option<&str>, e: &Error) {
    Line::new(Level::Error, "error", e).job(job).field("exit_code", e.exit().code()).emit();
}

/// A source entry refused by the scan (hostile name, unreadable, special file).
pub fn refused(job: Option<&str>, r: &crate::scan::Refusal) {
    Line::new(Level::Warn, "refused", format!("refused entry {}: {}", r.entry, r.reason))
        .job(job)
        .field("entry", &r.entry)
        .field("reason", &r.reason)
        .emit();
}

/// Install the global subscriber. Idempotent enough for tests: a second call is ignored.
pub fn init(g: &GlobalArgs) -> Result<()> {
    set_format(g.log_format);
    QUIET.store(g.quiet, Ordering::Relaxed);
    if g.log_format == LogFormat::Json {
        // A panic's message is a stderr line too.
        std::panic::set_hook(Box::new(|info| {
            let at = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
            let what = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panic".into());
            Line::new(Level::Error, "panic", format!("internal error: {what}{at}")).emit();
        }));
    }
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
