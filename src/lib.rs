//! ferry: move files between local folders and FTP, FTPS and SFTP servers.
//!
//! Data flows one way: `cli`/`job` (parse, validate, resolve) → `scan` (list both sides through
//! a `backend`) → `plan` (pure diff) → `exec` (run the plan) → report and exit code.

pub mod backend;
pub mod cli;
pub mod cmd;
pub mod endpoint;
pub mod error;
pub mod exec;
pub mod exit;
pub mod expect;
pub mod filter;
pub mod job;
pub mod ledger;
pub mod lock;
pub mod logging;
pub mod metrics;
pub mod model;
pub mod paths;
pub mod plan;
#[cfg(test)]
mod proptests;
pub mod scan;
pub mod schedule;
pub mod secret;
pub mod serve;
pub mod settings;
pub mod staging;
pub mod sync;
pub mod units;

use cli::{Cli, Command};
use cmd::Ctx;
use error::Result;
use exit::Exit;

/// Run a parsed command line to its exit code (errors are printed here, once).
pub async fn run(cli: Cli) -> Exit {
    let ctx = Ctx { global: cli.global.clone(), cancel: exec::cancel::Cancel::new() };
    ctx.cancel.install_signal_handlers();
    let limit = match cli.global.max_time.as_deref().map(|d| cmd::positive(d, "--max-time")).transpose() {
        Ok(l) => l,
        Err(e) => {
            logging::error(None, &e);
            return e.exit();
        }
    };
    let work = dispatch(&ctx, cli.command);
    let result = match limit {
        None => work.await,
        Some(limit) => within_time_limit(&ctx, limit, work).await,
    };
    match result {
        Ok(e) => e,
        Err(e) => {
            logging::error(None, &e);
            e.exit()
        }
    }
}

/// Run `work` under `--max-time`: at the limit the run is stopped as on SIGTERM and exits 8;
/// work that does not wind down in time is dropped (its connections closed, its locks
/// released) and the exit is 8 all the same.
async fn within_time_limit(ctx: &Ctx, limit: std::time::Duration, work: impl std::future::Future<Output = Result<Exit>>) -> Result<Exit> {
    let r = ctx.cancel.bounded(limit, work).await;
    match (r, ctx.cancel.error()) {
        (_, Some(e)) if e.kind == error::ErrorKind::TimeLimit => {
            logging::error(None, &e);
            Ok(Exit::TimeLimit)
        }
        (r, _) => r,
    }
}

async fn dispatch(ctx: &Ctx, c: Command) -> Result<Exit> {
    match c {
        Command::Get { url, local, recursive, t, conn } => cmd::transfer::get(ctx, &url, local.as_deref(), recursive, &t, &conn).await,
        Command::Put { paths, recursive, t, conn } => cmd::transfer::put(ctx, &paths, recursive, &t, &conn).await,
        Command::Mirror { src, dst, t, conn } => cmd::transfer::mirror(ctx, &src, &dst, &t, &conn).await,
        Command::Check { src, dst, download, t, conn } => cmd::transfer::check(ctx, &src, &dst, download, &t, &conn).await,
        Command::Ls { url, long, recursive, json, conn } => cmd::fsops::ls(ctx, &url, long, recursive, json, &conn).await,
        Command::Cat { url, conn } => cmd::fsops::cat(ctx, &url, &conn).await,
        Command::Stat { url, json, checksum, conn } => cmd::fsops::stat(ctx, &url, json, checksum, &conn).await,
        Command::Doctor { url, json, staging_dir, conn } => cmd::doctor::run(ctx, &url, json, staging_dir.as_deref(), &conn).await,
        Command::Mkdir { url, parents, conn } => cmd::fsops::mkdir(ctx, &url, parents, &conn).await,
        Command::Rm { urls, recursive, conn } => cmd::fsops::rm(ctx, &urls, recursive, &conn).await,
        Command::Mv { from, to, force, conn } => cmd::fsops::mv(ctx, &from, &to, force, &conn).await,
        Command::Run { jobfile, jobs, dry_run, json, error_on_no_transfer, metrics_file } => {
            if let Some(p) = &metrics_file {
                cmd::monitor::check_metrics_file(p)?;
            }
            let set = job::load(&jobfile)?;
            let exit = cmd::jobs::run_set(ctx, &set, &jobs, dry_run, json, error_on_no_transfer, None).await?;
            if let Some(p) = &metrics_file
                && !dry_run
            {
                cmd::monitor::write_metrics(ctx, &set, p);
            }
            Ok(exit)
        }
        Command::Plan { jobfile, jobs, out, json } => cmd::jobs::run(ctx, &jobfile, &jobs, true, json, false, out.as_deref()).await,
        Command::Validate { jobfile } => cmd::jobs::validate(ctx, &jobfile),
        Command::Apply { plan } => cmd::jobs::apply(ctx, &plan).await,
        Command::Daemon { jobfile, metrics, metrics_file } => {
            cmd::daemon::run(ctx, &jobfile, metrics.as_deref(), metrics_file.as_deref()).await
        }
        Command::Expect { jobfile, jobs, json } => cmd::monitor::expect(ctx, &jobfile, &jobs, json),
        Command::Status { jobfile, jobs, json } => cmd::monitor::status(ctx, &jobfile, &jobs, json),
        Command::History { action, job, since, json } => cmd::jobs::history(ctx, action, job.as_deref(), since.as_deref(), json),
        Command::Serve { protocol } => cmd::serve::run(ctx, protocol).await,
        Command::Completions { shell } => {
            let mut cmd = cli::command();
            clap_complete::generate(shell, &mut cmd, "ferry", &mut std::io::stdout());
            Ok(Exit::Ok)
        }
    }
}
