//! `ferry doctor URL`: probe a server and print its profile as text or JSON. An unreachable
//! server (or a refused login) still prints a report, with `reachable: false`, and exits 3.

use super::{Ctx, conn_options};
use crate::backend::ftp::probe::{self, FtpReport, Health};
use crate::backend::{self, sftp::Sftp};
use crate::cli::ConnArgs;
use crate::endpoint::{Endpoint, Protocol, Remotes};
use crate::error::{Error, Result};
use crate::exit::Exit;
use serde::Serialize;

#[derive(Serialize)]
struct Report {
    server: String,
    protocol: &'static str,
    reachable: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    #[serde(flatten)]
    health: Option<Health>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ftp: Option<FtpReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sftp_extensions: Option<Vec<String>>,
    /// SFTP: the shell command that hashes a file on the server, or `none`.
    #[serde(skip_serializing_if = "Option::is_none")]
    sha256_command: Option<String>,
    /// `--staging-dir`: whether a file written there can be renamed into another directory.
    #[serde(skip_serializing_if = "Option::is_none")]
    staging: Option<StagingProbe>,
}

#[derive(Serialize)]
struct StagingProbe {
    dir: String,
    rename_across_directories: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

pub async fn run(_ctx: &Ctx, url: &str, json: bool, staging_dir: Option<&str>, conn: &ConnArgs) -> Result<Exit> {
    let ep = Endpoint::parse(url, &Remotes::new())?;
    let opts = conn_options(conn)?;
    let mut r = Report {
        server: ep.to_string(),
        protocol: ep.scheme.name(),
        reachable: false,
        error: None,
        health: None,
        ftp: None,
        sftp_extensions: None,
        sha256_command: None,
        staging: None,
    };
    if let Some(d) = staging_dir {
        crate::staging::layout(&ep, d)?;
    }
    let outcome: Result<()> = match ep.scheme.protocol() {
        Protocol::Local => return Err(Error::usage("doctor probes servers: give an ftp://, ftpes://, ftps:// or sftp:// URL")),
        Protocol::Sftp => sftp(&ep, &opts, &mut r).await,
        Protocol::Ftp => probe::probe(&ep, &opts).await.map(|(h, f)| {
            r.health = Some(h);
            r.ftp = Some(f);
        }),
    };
    let outcome = match (outcome, staging_dir) {
        (Ok(()), Some(d)) => staging_probe(&ep, &opts, d).await.map(|p| r.staging = Some(p)),
        (o, _) => o,
    };
    let exit = match outcome {
        Ok(()) if r.staging.as_ref().is_some_and(|p| !p.rename_across_directories) => {
            r.reachable = true;
            Exit::Usage
        }
        Ok(()) => {
            r.reachable = true;
            Exit::Ok
        }
        Err(e) => {
            r.error = Some(e.to_string());
            Exit::Connect
        }
    };
    if json {
        println!("{}", serde_json::to_string_pretty(&r).expect("a report serializes"));
    } else {
        print!("{}", text(&r));
    }
    Ok(exit)
}

async fn sftp(ep: &Endpoint, opts: &backend::ConnectOptions, r: &mut Report) -> Result<()> {
    let mut opts = opts.clone();
    opts.connections = Some(1);
    let mut s = Sftp::connect(ep, &backend::resolve_password(ep, &opts)?).await?;
    s.redetect_sha256_command();
    let info = s.info().clone();
    r.health = Some(Health { connect_ms: info.connect_ms, login_ms: info.login_ms, noop_ms: s.round_trip_ms().await? });
    r.sftp_extensions = Some(info.extensions);
    r.sha256_command = Some(s.sha256_command().await?.unwrap_or_else(|| "none".into()));
    Ok(())
}

/// The rename a staged delivery makes, tried inside the staging directory.
async fn staging_probe(ep: &Endpoint, opts: &backend::ConnectOptions, dir: &str) -> Result<StagingProbe> {
    let (_, st) = crate::staging::open(ep, opts, dir, false).await?;
    let tried = crate::staging::probe_rename(&st).await;
    Ok(StagingProbe { dir: dir.to_string(), rename_across_directories: tried.is_ok(), error: tried.err().map(|e| e.to_string()) })
}

fn yes_no(b: Option<bool>) -> &'static str {
    match b {
        Some(true) => "yes",
        Some(false) => "no",
        None => "unknown",
    }
}

fn text(r: &Report) -> String {
    let mut out = format!("server: {}\nprotocol: {}\nreachable: {}\n", r.server, r.protocol, if r.reachable { "yes" } else { "no" });
    if let Some(e) = &r.error {
        out += &format!("error: {e}\n");
    }
    if let Some(h) = &r.health {
        out += &format!("connect: {} ms\nlogin: {} ms\nnoop: {} ms\n", h.connect_ms, h.login_ms, h.noop_ms);
    }
    if let Some(f) = &r.ftp {
        out += &format!("system: {}\n", f.system);
        out += &format!("features: {}\n", f.features.join(", "));
        out += &format!("MLSD/MLST: {}\n", if f.mlsd { "yes" } else { "no (LIST is parsed)" });
        out += &format!("UTF8: {}\nREST STREAM: {}\n", yes_no(Some(f.utf8)), yes_no(Some(f.rest_stream)));
        let hashes = if f.hash_commands.is_empty() { "none (size verification only)".to_string() } else { f.hash_commands.join(", ") };
        out += &format!("hash commands: {hashes}\n");
        out += &format!("set mtime: {}\n", f.mtime_set);
        out += &format!("rename over an existing file: {}\n", yes_no(f.rename_over_existing));
        if let Some(fp) = &f.tls_fingerprint {
            out += &format!("TLS certificate: {fp}\n");
        }
        if f.tls_session_reuse_required.is_some() {
            out += &format!("TLS session reuse required: {}\n", yes_no(f.tls_session_reuse_required));
        }
        match f.list_offset_minutes {
            Some(m) => out += &format!("LIST time offset: {m} min\n"),
            None if f.mlsd => {}
            None => out += "LIST time offset: unknown\n",
        }
        match f.max_connections {
            Some(n) => out += &format!("max connections: {n} (421 beyond)\n"),
            None => out += &format!("max connections: at least {}\n", f.probe_limit),
        }
        if f.write_probes != "done" {
            out += &format!("write probes: {}\n", f.write_probes);
        }
    }
    if let Some(x) = &r.sftp_extensions {
        out += &format!("extensions: {}\n", if x.is_empty() { "none".to_string() } else { x.join(", ") });
    }
    if let Some(p) = &r.staging {
        out += &format!("staging {}: rename into another directory: {}\n", p.dir, if p.rename_across_directories { "yes" } else { "NO" });
        if let Some(e) = &p.error {
            out += &format!("staging error: {e}\n");
        }
    }
    if let Some(c) = &r.sha256_command {
        let c = if c == "none" { "none (check --checksum reads files through the connection)" } else { c };
        out += &format!("sha256 command: {c}\n");
    }
    out
}
