//! `ferry doctor` for FTP servers: what the server advertises, what actually works (probed with
//! a small scratch file in the URL's directory, removed afterwards), how many sessions it allows,
//! and health figures. What it learns goes into the server's stored profile.

use super::conn::{self, Target};
use super::{Ftp, MtimeMethod};
use crate::backend::profile;
use crate::backend::{Backend, ConnectOptions, WriteMode};
use crate::endpoint::Endpoint;
use crate::error::{ErrorKind, Result};
use crate::model::RelPath;
use serde::Serialize;
use std::time::Instant;

/// The FTP part of a doctor report.
#[derive(Debug, Serialize)]
pub struct FtpReport {
    pub system: String,
    pub features: Vec<String>,
    pub mlsd: bool,
    pub utf8: bool,
    pub rest_stream: bool,
    /// Checksum commands the server advertises (HASH algorithms, XSHA256, XSHA1, XMD5, XCRC).
    pub hash_commands: Vec<String>,
    /// The command that set a scratch file's mtime, checked by reading it back, or why not.
    pub mtime_set: String,
    /// Whether RNFR/RNTO replaces an existing file.
    pub rename_over_existing: Option<bool>,
    /// FTPS only: whether a data connection that does not resume the control session is refused.
    pub tls_session_reuse_required: Option<bool>,
    /// FTPS only: the server certificate's fingerprint, as `--tls-fingerprint` takes it.
    pub tls_fingerprint: Option<String>,
    /// LIST times minus MDTM times, in minutes (0 = UTC), when it could be measured.
    pub list_offset_minutes: Option<i64>,
    /// Sessions open at once before a 421 (`None`: no refusal up to the probe's limit).
    pub max_connections: Option<usize>,
    pub probe_limit: usize,
    /// Why the write probes were skipped, if they were.
    pub write_probes: String,
}

/// Health figures shared by FTP and SFTP reports.
#[derive(Debug, Default, Serialize)]
pub struct Health {
    pub connect_ms: u64,
    pub login_ms: u64,
    pub noop_ms: f64,
}

const PROBE_LIMIT: usize = 8;

/// Median of three NOOP round trips, in ms.
async fn noop_ms(ftp: &Ftp) -> Result<f64> {
    let mut lease = ftp.pool.get().await?;
    let mut v = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        lease.c().run(async |s| s.noop().await).await.map_err(|e| conn::map_err("noop", &ftp.label, e))?;
        v.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    v.sort_by(f64::total_cmp);
    Ok((v[1] * 100.0).round() / 100.0)
}

/// Probe the server at `ep`.
pub async fn probe(ep: &Endpoint, opts: &ConnectOptions) -> Result<(Health, FtpReport)> {
    let mut opts = crate::backend::resolve_password(ep, opts)?;
    opts.connections = Some(PROBE_LIMIT);
    let ftp = Ftp::connect(ep, &opts).await?;
    let g = ftp.greeting().clone();
    let health = Health { connect_ms: g.connect_ms, login_ms: g.login_ms, noop_ms: noop_ms(&ftp).await? };
    let feat = &g.feat;
    let mut hash_commands = Vec::new();
    if let Some(p) = feat.get("HASH") {
        hash_commands.push(format!("HASH {p}"));
    }
    for c in ["XSHA256", "XSHA1", "XMD5", "XCRC"] {
        if feat.contains_key(c) {
            hash_commands.push(c.to_string());
        }
    }
    let mut report = FtpReport {
        system: g.syst.clone(),
        features: feat.iter().map(|(k, v)| if v.is_empty() { k.clone() } else { format!("{k} {v}") }).collect(),
        mlsd: ftp.mlsd,
        utf8: feat.contains_key("UTF8"),
        rest_stream: feat.get("REST").is_some_and(|p| p.to_ascii_uppercase().contains("STREAM")),
        hash_commands,
        mtime_set: "not probed".into(),
        rename_over_existing: None,
        tls_session_reuse_required: None,
        tls_fingerprint: ftp.pool.target.tls_factory.as_ref().and_then(|f| f.seen_fingerprint()),
        list_offset_minutes: None,
        max_connections: None,
        probe_limit: PROBE_LIMIT,
        write_probes: "done".into(),
    };
    // Start from scratch: doctor measures instead of trusting the stored profile.
    ftp.quirks.mtime.store(MtimeMethod::Unknown as u8, std::sync::atomic::Ordering::Relaxed);
    if let Err(e) = write_probes(&ftp, &mut report).await {
        report.write_probes = format!("skipped: {e}");
    }
    if ftp.pool.target.tls != conn::TlsMode::None {
        report.tls_session_reuse_required = reuse_required(&ftp.pool.target, &ftp.full(&RelPath::root())).await;
    }
    report.max_connections = max_sessions(&ftp).await;
    let mut p = ftp.learned();
    p.max_connections = report.max_connections;
    let (host, port) = (ftp.pool.target.host.clone(), ftp.pool.target.port);
    // After the session's own write-back on drop, so doctor's fuller profile is the one kept.
    drop(ftp);
    profile::save(profile::Kind::Ftp, &host, port, &p);
    Ok((health, report))
}

/// Upload two scratch files, set an mtime and read it back, rename one over the other, list.
async fn write_probes(ftp: &Ftp, r: &mut FtpReport) -> Result<()> {
    let a = RelPath::parse(&format!(".ferry-doctor-{}-a", std::process::id()))?;
    let b = RelPath::parse(&format!(".ferry-doctor-{}-b", std::process::id()))?;
    let when = chrono::DateTime::parse_from_rfc3339("2020-02-02T02:02:02Z").expect("fixed time").with_timezone(&chrono::Utc);
    let result = async {
        let mut w = ftp.write(&a, WriteMode::Truncate).await?;
        w.write_all(b"ferry").await?;
        let set = w.finish(Some(when)).await?;
        r.mtime_set = if set {
            let method = ftp.mtime_method().command();
            match ftp.stat(&a).await?.mtime {
                Some(t) if t == when => format!("{method} (verified)"),
                Some(t) => format!("{method} (accepted, but reads back {} — off by {} min)", t.to_rfc3339(), (t - when).num_minutes()),
                None => format!("{method} (accepted; no MDTM to check)"),
            }
        } else {
            "none (MFMT, MDTM with a time and SITE UTIME all refused); mirrors compare by size".into()
        };
        // A file written just now is listed with the server's time of day: its LIST time
        // against this clock is the offset, measured, whatever MDTM says (some servers give
        // MDTM in local time too, which hides the offset from the MDTM comparison).
        let written = chrono::Utc::now();
        let mut w = ftp.write(&b, WriteMode::Truncate).await?;
        w.write_all(b"other").await?;
        w.finish(None).await?;
        if !ftp.mlsd {
            let entries = ftp.list_dir(&RelPath::root()).await?;
            // list_dir already took off the offset it detected; add it back.
            let applied = ftp.tz.get().copied().unwrap_or(0);
            let listed = entries.iter().find(|e| e.name.as_deref().ok() == Some(b.as_str())).and_then(|e| e.mtime);
            r.list_offset_minutes = match listed {
                Some(t) => {
                    let q = 15 * 60;
                    let secs = applied + (t - written).num_seconds();
                    Some(((secs as f64) / q as f64).round() as i64 * q / 60)
                }
                None => ftp.tz.get().map(|s| s / 60),
            };
        }
        let (fa, fb) = (ftp.full(&a), ftp.full(&b));
        let mut lease = ftp.pool.get().await?;
        r.rename_over_existing = Some(lease.c().run(async |s| s.rename(&fa, &fb).await).await.is_ok());
        Ok(())
    }
    .await;
    let _ = ftp.remove_file(&a).await;
    let _ = ftp.remove_file(&b).await;
    result
}

/// Whether a data connection without TLS session resumption is refused.
async fn reuse_required(t: &Target, dir: &str) -> Option<bool> {
    let factory = t.tls_factory.as_ref()?.without_resumption();
    let fresh = Target {
        host: t.host.clone(),
        port: t.port,
        user: t.user.clone(),
        password: t.password.clone(),
        tls: t.tls,
        tls_factory: Some(factory),
        active: t.active,
        trust_pasv: t.trust_pasv,
        ascii: t.ascii,
        encoding: t.encoding,
        label: t.label.clone(),
        server: t.server.clone(),
        connect_timeout: t.connect_timeout,
        timeout: t.timeout,
    };
    let (mut c, _) = conn::connect(&fresh).await.ok()?;
    c.run(async |s| s.cwd(dir).await).await.ok()?;
    let r = c.run(async |s| s.list(None).await).await;
    tracing::debug!(result = ?r.as_ref().map(|l| l.len()), "listing without TLS session resumption");
    Some(matches!(r, Err(e) if conn::code(&e).is_some_and(|c| c == 522 || c == 425 || c == 450)))
}

/// Open sessions until the server refuses one or the probe limit is reached.
async fn max_sessions(ftp: &Ftp) -> Option<usize> {
    let _first = ftp.pool.get().await.ok()?;
    let mut held = Vec::new();
    while held.len() + 1 < PROBE_LIMIT {
        match conn::connect(&ftp.pool.target).await {
            Ok((c, _)) => held.push(c),
            Err(e) if e.code == Some(421) || e.kind == ErrorKind::Connect => return Some(held.len() + 1),
            Err(_) => return None,
        }
    }
    None
}
