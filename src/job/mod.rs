//! Job files: parse (YAML; unknown keys are errors), validate every key with its line:column,
//! substitute `${VAR}`, and resolve into typed `Job`s with secrets read. All semantic errors of
//! a file are reported at once; nothing runs while any remains.

mod keys;
pub mod spec;
mod unknown;

use crate::backend::ConnectOptions;
use crate::endpoint::{Endpoint, Protocol, Remotes, Scheme};
use crate::error::{Error, Result};
use crate::settings::{Resolved, compile};
use crate::sync::{Shape, Transfer};
use serde_saphyr::Location;
use spec::S;
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// One problem in a job file, at a line and column.
#[derive(Debug, Clone, PartialEq)]
pub struct Diag {
    pub line: u64,
    pub column: u64,
    pub message: String,
}

/// All problems of one job file.
#[derive(Debug, Clone)]
pub struct Diags {
    pub file: String,
    pub items: Vec<Diag>,
}

impl fmt::Display for Diags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.items.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{}:{}:{}: {}", self.file, d.line, d.column, d.message)?;
        }
        Ok(())
    }
}

/// Which way a job moves files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Pull,
    Push,
    Mirror,
}

/// A job, validated and resolved.
#[derive(Debug, Clone)]
pub struct Job {
    pub name: String,
    pub direction: Direction,
    pub transfer: Transfer,
    pub schedule: Option<(String, cron::Schedule)>,
    pub once: bool,
    pub on_success: Option<String>,
    pub on_failure: Option<String>,
    pub on_no_files: Option<String>,
    pub report: Option<String>,
    pub error_on_no_transfer: bool,
    /// `max_duration:`: a run of this job is stopped (exit 8) after this long.
    pub max_duration: Option<std::time::Duration>,
    /// `expect:`: when this job's files must have arrived.
    pub expect: Option<crate::expect::Expect>,
}

/// A whole job file, resolved.
#[derive(Debug, Clone)]
pub struct JobSet {
    pub file: String,
    pub ledger: Option<crate::ledger::Location>,
    /// A job run's lease on a shared ledger (`lease_ttl:`, default 30 s).
    pub lease_ttl: std::time::Duration,
    pub jobs: Vec<Job>,
}

/// A job's lease lasts this long unrenewed unless `lease_ttl:` says otherwise.
pub const LEASE_TTL: std::time::Duration = std::time::Duration::from_secs(30);

/// Validate a `--host-key` / `host_key:` value.
pub fn check_host_key(s: &str) -> Result<()> {
    if s == "accept-new" || s == "known_hosts" {
        return Ok(());
    }
    if let Some(b64) = s.strip_prefix("SHA256:")
        && b64.len() == 43
        && b64.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
    {
        return Ok(());
    }
    Err(Error::usage(format!(
        "invalid host key policy {s:?} (expected accept-new, known_hosts, or a SHA256:… fingerprint of 43 base64 characters)"
    )))
}

/// Placeholders allowed in path templates (`move_to`, sidecar, report).
pub(crate) const TEMPLATE_VARS: &[&str] = &["name", "stem", "ext", "yyyy", "mm", "dd", "yyyy-mm-dd", "job"];
/// Placeholders allowed in hooks.
const HOOK_VARS: &[&str] = &["name", "stem", "ext", "yyyy", "mm", "dd", "yyyy-mm-dd", "job", "exit_code", "report"];
/// Placeholders of `expect: { on_late: }`.
pub(crate) const LATE_VARS: &[&str] = &["job", "deadline", "delivered"];

pub(crate) fn check_template(s: &str, allowed: &[&str]) -> Result<()> {
    let mut rest = s;
    while let Some(i) = rest.find('{') {
        let after = &rest[i + 1..];
        let Some(j) = after.find('}') else {
            return Err(Error::usage(format!("unclosed '{{' in template {s:?}")));
        };
        let var = &after[..j];
        if !allowed.contains(&var) {
            return Err(Error::usage(format!("unknown placeholder {{{var}}} in {s:?} (known: {})", allowed.join(", "))));
        }
        rest = &after[j + 1..];
    }
    Ok(())
}

/// Collects diagnostics while resolving.
struct V {
    items: Vec<Diag>,
}

impl V {
    fn at(&mut self, loc: Location, fallback: Location, msg: impl Into<String>) {
        let l = if loc.line() == 0 { fallback } else { loc };
        self.items.push(Diag { line: l.line(), column: l.column(), message: msg.into() });
    }

    /// `${VAR}` substitution; an unset variable is an error at the value.
    fn subst(&mut self, s: &S<String>, fb: Location) -> Option<String> {
        match substitute(&s.value) {
            Ok(v) => Some(v),
            Err(e) => {
                self.at(s.referenced, fb, e.message);
                None
            }
        }
    }

    /// Substitute and check a value; on failure record `hint`-bearing error at its location.
    fn check<T>(&mut self, s: &S<String>, fb: Location, f: impl FnOnce(&str) -> Result<T>) -> Option<T> {
        let v = self.subst(s, fb)?;
        match f(&v) {
            Ok(t) => Some(t),
            Err(e) => {
                self.at(s.referenced, fb, e.message);
                None
            }
        }
    }
}

/// Replace `${VAR}` with the environment's value; `$${` is a literal `${`.
pub fn substitute(s: &str) -> Result<String> {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("${") {
        if i > 0 && rest.as_bytes()[i - 1] == b'$' {
            out.push_str(&rest[..i - 1]);
            out.push_str("${");
            rest = &rest[i + 2..];
            continue;
        }
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let Some(j) = after.find('}') else {
            return Err(Error::usage(format!("unclosed ${{ in {s:?}")));
        };
        let var = &after[..j];
        match std::env::var(var) {
            Ok(v) => out.push_str(&v),
            Err(_) => {
                return Err(Error::usage(format!(
                    "environment variable {var} is not set (hint: export {var}=… before running, or remove ${{{var}}})"
                )));
            }
        }
        rest = &after[j + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

fn expand_home(p: &str) -> String {
    match (p.strip_prefix("~/"), std::env::var("HOME")) {
        (Some(rest), Ok(h)) => format!("{h}/{rest}"),
        _ => p.to_string(),
    }
}

/// Load, validate and resolve a job file. Errors list every problem as `file:line:col: message`.
pub fn load(path: &str) -> Result<JobSet> {
    let cannot = |e| Error::usage(format!("cannot read job file {path}: {}", crate::error::Error::io("read", path, e).message));
    let size = std::fs::metadata(path).map_err(cannot)?.len();
    if size > MAX_JOB_FILE_BYTES {
        return Err(Error::usage(format!("job file {path} is {size} bytes; at most {MAX_JOB_FILE_BYTES} are read")));
    }
    let text = std::fs::read_to_string(path).map_err(cannot)?;
    load_str(&text, path)
}

/// The biggest job file read (4 MiB): hundreds of partner jobs fit in a few hundred KiB. The
/// YAML parser's own budget bounds alias expansion and nesting inside that.
pub const MAX_JOB_FILE_BYTES: u64 = 4 << 20;

/// Parse and resolve job-file text (`path` names it in messages). Unknown keys are reported
/// beside every other error; a YAML or type error stops the typed parse, and is listed with the
/// unknown keys read before it.
pub fn load_str(text: &str, path: &str) -> Result<JobSet> {
    let tree: Option<unknown::Node> = serde_saphyr::from_str(text).ok();
    let mut ignored = vec![];
    let parsed: std::result::Result<spec::JobFile, _> =
        serde_saphyr::with_deserializer_from_str(text, |de| serde_ignored::deserialize(de, |p| ignored.push(unknown::segments(&p))));
    let mut v = V { items: unknown::diagnose(tree.as_ref(), &ignored) };
    let set = match parsed {
        Ok(file) => Some(resolve(file, path, &mut v)),
        Err(e) => {
            let (line, column) = e.location().map(|l| (l.line(), l.column())).unwrap_or((1, 1));
            v.items.push(Diag { line, column, message: first_line(&e) });
            None
        }
    };
    match set {
        Some(set) if v.items.is_empty() => Ok(set),
        _ => {
            v.items.sort_by_key(|d| (d.line, d.column));
            v.items.dedup();
            Err(Error::usage(Diags { file: path.to_string(), items: v.items }.to_string()))
        }
    }
}

/// The parser's message without its snippet rendering, with hints for the common mistakes.
fn first_line(e: &serde_saphyr::Error) -> String {
    let full = e.to_string();
    let mut msg = full.lines().next().unwrap_or("invalid YAML").trim().to_string();
    // Drop a trailing " at line X column Y" that the location already carries.
    if let Some(i) = msg.find(" at line ") {
        msg.truncate(i);
    }
    if msg.contains("unknown field") {
        msg.push_str(" (hint: check the spelling; the README lists the keys)");
    }
    msg
}

fn resolve(file: spec::JobFile, path: &str, v: &mut V) -> JobSet {
    let top = file.version.referenced;
    if file.version.value != 1 {
        v.at(file.version.referenced, top, format!("unsupported version {} (this ferry reads version: 1)", file.version.value));
    }
    let password_env = file.ledger_password_env.as_ref().map(|p| p.value.clone());
    let ledger = file.ledger.as_ref().and_then(|l| {
        v.check(l, top, |s| {
            crate::ledger::Location::parse(&expand_home(s)).map(|loc| match loc {
                crate::ledger::Location::Postgres { url, .. } => crate::ledger::Location::Postgres { url, password_env: password_env.clone() },
                file => file,
            })
        })
    });
    if let (Some(p), None | Some(crate::ledger::Location::File(_))) = (&file.ledger_password_env, &ledger) {
        v.at(p.referenced, top, "ledger_password_env is for a postgresql:// ledger");
    }
    let lease_ttl = file
        .lease_ttl
        .as_ref()
        .and_then(|t| {
            v.check(t, top, |s| {
                let d = crate::units::parse_duration(s)?;
                if d < std::time::Duration::from_secs(1) {
                    return Err(crate::error::Error::usage(format!("lease_ttl {s}: at least 1s (it is renewed every quarter of it)")));
                }
                Ok(d)
            })
        })
        .unwrap_or(LEASE_TTL);

    // Remotes first: jobs refer to them.
    let mut remotes = Remotes::new();
    let mut conns: BTreeMap<String, ConnectOptions> = BTreeMap::new();
    for (name, r) in &file.remotes {
        let at = r.referenced;
        if crate::endpoint::remote_ref(&format!("{name}:x")).is_none() {
            v.at(at, top, format!("invalid remote name {name:?} (use at least two letters, digits, '-' or '_')"));
            continue;
        }
        let r = &r.value;
        let Some(ep) = v.check(&r.url, at, |u| {
            let ep = Endpoint::parse(u, &Remotes::new())?;
            if ep.scheme == Scheme::Local {
                return Err(Error::usage(format!("remote url {u:?} must be an sftp://, ftp://, ftpes:// or ftps:// URL")));
            }
            Ok(ep)
        }) else {
            continue;
        };
        let mut c = ConnectOptions { user: r.user.as_ref().and_then(|u| v.subst(u, at)).or(ep.user.clone()), ..Default::default() };
        if let Some(pe) = &r.password_env {
            c.password = v.check(pe, at, |var| crate::secret::secret_from_env(var, "password_env"));
        }
        // A password file is read when connecting, like a key file.
        c.password_file = r.password_file.as_ref().and_then(|f| v.subst(f, at)).map(|f| expand_home(&f));
        if r.password_env.is_none() && r.password_file.is_none() {
            c.password = ep.password.clone();
        }
        // Key and CA files are read when connecting (exit 3 if unreadable), so that a job file
        // validates on a machine other than the one holding the keys.
        c.key_file = r.key_file.as_ref().and_then(|k| v.subst(k, at)).map(|k| expand_home(&k));
        if let Some(k) = &r.key_passphrase_env {
            c.key_passphrase = v.check(k, at, |var| crate::secret::secret_from_env(var, "key_passphrase_env"));
        }
        if let Some(h) = &r.host_key {
            c.host_key = v.check(h, at, |h| check_host_key(h).map(|_| h.to_string()));
            if ep.scheme != Scheme::Sftp {
                v.at(h.referenced, at, "host_key applies to sftp:// remotes only");
            }
        }
        if let Some(k) = &r.known_hosts {
            c.known_hosts = v.subst(k, at).map(|k| expand_home(&k));
        }
        if let Some(n) = &r.connections {
            if n.value == 0 {
                v.at(n.referenced, at, "connections must be at least 1");
            }
            c.connections = Some(n.value as usize);
        }
        if let Some(t) = &r.tls {
            if ep.scheme.protocol() != Protocol::Ftp {
                v.at(at, at, "tls: applies to ftp://, ftpes:// and ftps:// remotes only");
            }
            c.ca_file = t.ca_file.as_ref().and_then(|ca| v.subst(ca, at)).map(|ca| expand_home(&ca));
            c.insecure = t.insecure;
            if let Some(fp) = &t.fingerprint {
                c.tls_fingerprint = v.check(fp, at, crate::backend::ftp::tls::parse_fingerprint);
            }
        }
        if let Some(f) = &r.ftp {
            if ep.scheme.protocol() != Protocol::Ftp {
                v.at(at, at, "ftp: applies to ftp://, ftpes:// and ftps:// remotes only");
            }
            c.active = f.passive == Some(false);
            c.trust_pasv = f.trust_pasv_address == Some(true);
            if let Some(enc) = &f.encoding {
                c.encoding = Some(enc.value.clone());
                v.check(enc, at, |e| match e.to_ascii_lowercase().as_str() {
                    "utf-8" | "utf8" | "latin1" | "iso-8859-1" | "cp1252" | "windows-1252" | "iso-8859-15" | "latin9" => Ok(()),
                    _ => Err(Error::usage(format!("unknown encoding {e:?} (expected utf-8, latin1, iso-8859-15 or cp1252)"))),
                });
            }
            if let Some(tz) = &f.timezone {
                c.timezone = Some(tz.value.clone());
                v.check(tz, at, |t| crate::backend::ftp::parse_timezone(t).map(|_| ()));
            }
        }
        if let Some(cmd) = &r.remote_hash_command {
            if ep.scheme != Scheme::Sftp {
                v.at(cmd.referenced, at, "remote_hash_command applies to sftp:// remotes only");
            }
            c.remote_hash_command = v.subst(cmd, at);
        }
        if let Some(d) = &r.connect_timeout
            && let Some(d) = v.check(d, at, |d| crate::units::positive(d, "connect_timeout"))
        {
            c.faults.connect_timeout = d;
        }
        if let Some(d) = &r.timeout
            && let Some(d) = v.check(d, at, |d| crate::units::positive(d, "timeout"))
        {
            c.faults.timeout = d;
        }
        remotes.insert(name.clone(), ep);
        conns.insert(name.clone(), c);
    }

    let defaults = file.defaults.map(|d| d.value).unwrap_or_default();
    // The defaults are parsed once, so their errors are reported once, at their lines.
    let default_keys = keys::parse(&defaults, top, v);

    let mut jobs = Vec::new();
    if file.jobs.value.is_empty() {
        v.at(file.jobs.referenced, top, "no jobs defined under `jobs:`");
    }
    for (name, j) in file.jobs.value {
        let at = j.referenced;
        let mut j = j.value;
        let own = j.take_settings();
        let n_before = v.items.len();
        // The job's own keys are parsed here; inherited ones were parsed above.
        let parsed = keys::parse(&own, at, v).or(default_keys.clone());
        let merged = own.or(defaults.clone());
        if let Some(job) = resolve_job(&name, j, &merged, parsed, at, &remotes, &conns, v)
            && v.items.len() == n_before
        {
            jobs.push(job);
        }
    }
    JobSet { file: path.to_string(), ledger, lease_ttl, jobs }
}

#[allow(clippy::too_many_arguments)]
fn resolve_job(
    name: &str,
    j: spec::JobSpec,
    merged: &spec::Settings,
    parsed: keys::Parsed,
    at: Location,
    remotes: &Remotes,
    conns: &BTreeMap<String, ConnectOptions>,
    v: &mut V,
) -> Option<Job> {
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)) {
        v.at(at, at, format!("invalid job name {name:?} (letters, digits, '-', '_' and '.')"));
    }
    let endpoint = |v: &mut V, s: &S<String>| -> Option<(Endpoint, ConnectOptions)> {
        let ep = v.check(s, at, |x| Endpoint::parse(x, remotes))?;
        let conn = ep.remote.as_ref().and_then(|r| conns.get(r)).cloned().unwrap_or_default();
        Some((ep, conn))
    };
    let (direction, src, dst) = match (&j.pull, &j.push, &j.mirror) {
        (Some(p), None, None) => (Direction::Pull, endpoint(v, p), j.to.as_ref().and_then(|t| endpoint(v, t))),
        (None, Some(p), None) => (Direction::Push, endpoint(v, p), j.to.as_ref().and_then(|t| endpoint(v, t))),
        (None, None, Some(m)) => {
            if let Some(t) = &j.to {
                v.at(t.referenced, at, "a mirror job takes `mirror: { from:, to: }`, not `to:`");
            }
            (Direction::Mirror, endpoint(v, &m.value.from), endpoint(v, &m.value.to))
        }
        (None, None, None) => {
            v.at(at, at, format!("job {name:?} needs one of `pull:`, `push:` or `mirror:`"));
            return None;
        }
        _ => {
            v.at(at, at, format!("job {name:?} has more than one of `pull:`, `push:` and `mirror:`"));
            return None;
        }
    };
    if direction != Direction::Mirror && j.to.is_none() {
        v.at(at, at, format!("job {name:?} needs `to:` (where the files go)"));
    }
    if let Some(d) = &merged.delete
        && d.value
        && direction != Direction::Mirror
    {
        v.at(d.referenced, at, "delete: applies to mirror jobs only (pull and push never delete at the target)");
    }
    let schedule = j.schedule.as_ref().and_then(|s| {
        v.check(s, at, |x| {
            cron::Schedule::from_str(x).map(|c| (x.to_string(), c)).map_err(|e| {
                // The cron crate renders a caret diagram; keep its last line, the reason.
                let why = e.to_string().lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("").trim().to_string();
                Error::usage(format!(
                    "invalid cron expression {x:?}: {why} (ferry uses 6 fields with seconds, e.g. \"0 */10 * * * *\", or @hourly/@daily)"
                ))
            })
        })
    });
    // The after-action as written; it becomes an `exec::After` once the source is known.
    let after: Option<Option<S<String>>> = match &j.after {
        None => None,
        Some(a) => {
            let aat = a.referenced;
            match a.value.source.value.as_str() {
                "keep" => None,
                "delete" => Some(None),
                "move" => match &a.value.move_to {
                    Some(m) => v.check(m, aat, |t| check_template(t, TEMPLATE_VARS)).map(|_| Some(m.clone())),
                    None => {
                        v.at(aat, at, "after: { source: move } needs move_to: DIR");
                        None
                    }
                },
                other => {
                    v.at(a.value.source.referenced, aat, format!("invalid after.source {other:?} (expected keep, delete or move)"));
                    None
                }
            }
        }
    };
    let hook = |v: &mut V, h: &Option<spec::Hook>| {
        h.as_ref().and_then(|h| {
            v.check(&h.exec, at, |c| {
                if c.trim().is_empty() {
                    return Err(Error::usage("hook exec is empty"));
                }
                check_template(c, HOOK_VARS).map(|_| c.to_string())
            })
        })
    };
    let on_success = hook(v, &j.on_success);
    let on_failure = hook(v, &j.on_failure);
    let on_no_files = hook(v, &j.on_no_files);
    let report = j.report.as_ref().and_then(|r| v.check(r, at, |t| check_template(t, TEMPLATE_VARS).map(|_| expand_home(t))));
    let max_duration = j.max_duration.as_ref().and_then(|d| v.check(d, at, |d| crate::units::positive(d, "max_duration")));
    let expect = j.expect.as_ref().and_then(|e| expectation(e, v));
    let sidecar = match merged.verify.as_ref().map(|x| &x.value) {
        Some(spec::Verify::With(w)) => w.sidecar.as_ref().map(|s| s.value.clone()),
        _ => None,
    };
    let error_on_no_transfer = merged.error_on_no_transfer.unwrap_or(false);
    let once = j.once.as_ref().is_some_and(|o| o.value);

    let ((src, src_conn), (dst, dst_conn)) = (src?, dst?);
    // What a relative `move_to` is joined onto: the source remote's URL (`NAME:`), the login
    // directory of a source URL, or the working directory for a local source.
    let after = after.map(|m| match m {
        None => std::sync::Arc::new(crate::exec::After::Delete),
        Some(template) => {
            let base = match (&src.remote, src.is_local()) {
                (Some(name), _) => remotes.get(name).cloned().unwrap_or_else(|| src.clone()),
                (None, true) => Endpoint::local(""),
                (None, false) => src.clone().with_path(""),
            };
            std::sync::Arc::new(crate::exec::After::Move { base, template: template.value, job: name.to_string() })
        }
    });
    let sidecar = sidecar.map(|t| match direction {
        Direction::Push => crate::exec::Sidecar::Write(t),
        Direction::Pull | Direction::Mirror => crate::exec::Sidecar::Check(t),
    });
    let resolved = Resolved { default_resume: true, after, sidecar, text_mode: false, show_hash: true };
    let settings = match parsed.keys().and_then(|k| compile(k, resolved)) {
        Ok(s) => s,
        Err(e) => {
            v.at(at, at, e.message);
            return None;
        }
    };
    Some(Job {
        name: name.to_string(),
        direction,
        transfer: Transfer {
            src,
            dst,
            src_conn: src_conn.with_retries(settings.exec.retries, settings.exec.retry_delay),
            dst_conn: dst_conn.with_retries(settings.exec.retries, settings.exec.retry_delay),
            shape: Shape::Tree,
            settings,
            history: Default::default(),
            recorder: None,
        },
        schedule,
        once,
        on_success,
        on_failure,
        on_no_files,
        report,
        error_on_no_transfer,
        max_duration,
        expect,
    })
}

/// Validate `expect:`; every bad key is reported at its own line and column.
fn expectation(e: &S<spec::ExpectSpec>, v: &mut V) -> Option<crate::expect::Expect> {
    use crate::expect;
    let at = e.referenced;
    let e = &e.value;
    let by = v.check(&e.by, at, |b| expect::parse_by(b).map_err(Error::usage));
    let tz = match &e.timezone {
        Some(t) => v.check(t, at, |t| expect::parse_tz(t).map_err(Error::usage)),
        None => Some(chrono_tz::Tz::UTC),
    };
    let days = match &e.days {
        Some(d) => v.check(d, at, |d| expect::Days::parse(d).map_err(Error::usage)),
        None => Some(expect::Days::ALL),
    };
    let min_files = e.min_files.as_ref().map_or(1, |m| m.value);
    if let Some(m) = &e.min_files
        && m.value == 0
    {
        v.at(m.referenced, at, "min_files must be at least 1 (a deadline that needs no file can never be missed)");
    }
    let on_late = e.on_late.as_ref().and_then(|h| {
        v.check(&h.exec, at, |c| {
            if c.trim().is_empty() {
                return Err(Error::usage("on_late exec is empty"));
            }
            check_template(c, LATE_VARS).map(|_| c.to_string())
        })
    });
    if e.on_late.is_some() && on_late.is_none() {
        return None;
    }
    Some(expect::Expect { by: by?, by_text: e.by.value.clone(), tz: tz?, days: days?, min_files: min_files.max(1), on_late })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(yaml: &str) -> String {
        load_str(yaml, "jobs.yaml").unwrap_err().message
    }

    #[test]
    fn a_valid_file_resolves() {
        let set = load_str(
            "version: 1\nremotes:\n  acme:\n    url: sftp://edi@acme.example/\ndefaults:\n  retries: 5\njobs:\n  in:\n    pull: acme:/outbound\n    to: /var/edi/in\n    include: [\"*.edi\"]\n    min_age: 2m\n    schedule: \"0 */10 * * * *\"\n",
            "jobs.yaml",
        )
        .unwrap();
        let j = &set.jobs[0];
        assert_eq!(j.direction, Direction::Pull);
        assert_eq!(j.transfer.src.path, "/outbound");
        assert_eq!(j.transfer.settings.exec.retries, 5);
        assert!(j.schedule.is_some());
    }

    #[test]
    fn jobs_keep_the_file_order() {
        let set =
            load_str("version: 1\njobs:\n  zeta:\n    push: ./a\n    to: ./b\n  alpha:\n    push: ./b\n    to: ./c\n", "j.yaml").unwrap();
        let names: Vec<&str> = set.jobs.iter().map(|j| j.name.as_str()).collect();
        assert_eq!(names, ["zeta", "alpha"]);
    }

    #[test]
    fn unknown_key_has_line_and_column() {
        let e = errors("version: 1\njobs:\n  a:\n    push: ./x\n    to: ./y\n    inclde: [\"*\"]\n");
        assert!(e.starts_with("jobs.yaml:6:5: "), "{e}");
        assert!(e.contains("inclde"), "{e}");
    }

    #[test]
    fn wrong_type_has_line_and_column() {
        let e = errors("version: 1\njobs:\n  a:\n    push: ./x\n    to: ./y\n    retries: many\n");
        assert!(e.starts_with("jobs.yaml:6:"), "{e}");
    }

    #[test]
    fn every_semantic_error_is_reported_at_once() {
        let e = errors(concat!(
            "version: 1\n",
            "jobs:\n",
            "  a:\n",
            "    push: ./x\n",
            "    to: nowhere:/in\n",
            "    min_age: 2 fortnights\n",
            "    max_size: huge\n",
            "    include: [\"a[\"]\n",
            "    schedule: \"every tuesday\"\n",
            "    bwlimit: \"${FERRY_TEST_UNSET_VAR}\"\n",
            "  b:\n",
            "    mirror: { from: ./a, to: ./b }\n",
            "    compare: vibes\n",
        ));
        let lines: Vec<&str> = e.lines().collect();
        let expect = [
            ("jobs.yaml:5:", "unknown remote \"nowhere\""),
            ("jobs.yaml:6:", "invalid duration \"2 fortnights\""),
            ("jobs.yaml:7:", "invalid size \"huge\""),
            ("jobs.yaml:8:", "invalid glob \"a[\""),
            ("jobs.yaml:9:", "invalid cron expression"),
            ("jobs.yaml:10:", "FERRY_TEST_UNSET_VAR is not set"),
            ("jobs.yaml:13:", "invalid compare mode \"vibes\""),
        ];
        assert_eq!(lines.len(), expect.len(), "{e}");
        for (line, (pos, what)) in lines.iter().zip(expect) {
            assert!(line.starts_with(pos) && line.contains(what), "{line:?} should be at {pos} and mention {what}");
        }
    }

    #[test]
    fn structural_mistakes() {
        assert!(errors("version: 1\njobs:\n  a:\n    to: ./y\n").contains("needs one of `pull:`, `push:` or `mirror:`"));
        assert!(errors("version: 1\njobs:\n  a:\n    pull: ./x\n").contains("needs `to:`"));
        assert!(errors("version: 1\njobs:\n  a:\n    pull: ./x\n    to: ./y\n    delete: true\n").contains("mirror jobs only"));
        assert!(errors("version: 2\njobs:\n  a:\n    pull: ./x\n    to: ./y\n").contains("unsupported version 2"));
        assert!(errors("version: 1\njobs:\n  a:\n    pull: ./x\n    to: ./y\n    after: { source: move }\n").contains("needs move_to"));
        assert!(
            errors("version: 1\njobs:\n  a:\n    pull: ./x\n    to: ./y\n    after: { source: move, move_to: \"/a/{week}/\" }\n")
                .contains("unknown placeholder {week}")
        );
        assert!(errors("version: 1\njobs: [\n").starts_with("jobs.yaml:"));
    }

    #[test]
    fn env_substitution_and_secrets() {
        // SAFETY: test-only variable names, set before any thread reads them.
        unsafe {
            std::env::set_var("FERRY_TEST_DIR", "/data");
            std::env::set_var("FERRY_TEST_PW", "hunter2-secret");
        }
        assert_eq!(substitute("${FERRY_TEST_DIR}/in").unwrap(), "/data/in");
        assert_eq!(substitute("$${literal}").unwrap(), "${literal}");
        let set = load_str(
            "version: 1\nremotes:\n  bank:\n    url: ftpes://batch@bank.example/\n    password_env: FERRY_TEST_PW\njobs:\n  out:\n    push: ${FERRY_TEST_DIR}\n    to: bank:/incoming\n",
            "jobs.yaml",
        )
        .unwrap();
        let j = &set.jobs[0];
        assert_eq!(j.transfer.src.path, "/data");
        assert_eq!(j.transfer.dst_conn.password.as_ref().unwrap().expose(), "hunter2-secret");
        assert!(!format!("{j:?}").contains("hunter2"));
        let e = errors(
            "version: 1\nremotes:\n  bank:\n    url: ftp://h/\n    password_env: FERRY_TEST_NOPE\njobs:\n  a:\n    push: ./x\n    to: bank:/in\n",
        );
        assert!(e.starts_with("jobs.yaml:5:") && e.contains("FERRY_TEST_NOPE is not set"), "{e}");
    }
}
