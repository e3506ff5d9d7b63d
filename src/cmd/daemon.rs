//! `ferry daemon JOBFILE`: run each job on its `schedule:` until SIGTERM/SIGINT. A job never
//! overlaps itself (a still-running job skips its next slot, and the per-job lock also guards
//! against other processes); SIGHUP reloads the job file, keeping the old one if the new one is
//! invalid.

use super::Ctx;
use super::jobs::run_set;
use crate::error::Result;
use crate::exit::Exit;
use crate::job::{self, JobSet};
use crate::schedule::next_batch;
use chrono::Utc;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};

fn schedules(set: &JobSet) -> Vec<(String, cron::Schedule)> {
    set.jobs.iter().filter_map(|j| j.schedule.as_ref().map(|(_, s)| (j.name.clone(), s.clone()))).collect()
}

fn announce(ctx: &Ctx, set: &JobSet) {
    for j in &set.jobs {
        match &j.schedule {
            Some((expr, _)) => tracing::info!(job = %j.name, schedule = %expr, "scheduled"),
            None => ctx.note(format!("job {} has no schedule: the daemon never runs it", j.name)),
        }
    }
}

pub async fn run(ctx: &Ctx, path: &str) -> Result<Exit> {
    let mut set = Arc::new(job::load(path)?);
    announce(ctx, &set);
    let running: Arc<Mutex<HashSet<String>>> = Default::default();
    let mut hup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())
        .map_err(|e| crate::error::Error::new(crate::error::ErrorKind::Io, format!("cannot watch SIGHUP: {e}")))?;
    ctx.note(format!("daemon started with {} ({} scheduled job(s))", path, schedules(&set).len()));
    let mut tasks = tokio::task::JoinSet::new();
    loop {
        let Some((when, due)) = next_batch(&schedules(&set), Utc::now()) else {
            ctx.note("no job has a schedule; nothing to do");
            break;
        };
        let wait = (when - Utc::now()).to_std().unwrap_or_default();
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = hup.recv() => {
                match job::load(path) {
                    Ok(new) => {
                        ctx.note(format!("reloaded {path}"));
                        set = Arc::new(new);
                        announce(ctx, &set);
                    }
                    Err(e) => ctx.note(format!("reload failed, keeping the previous job file: {e}")),
                }
                continue;
            }
            _ = wait_cancel(ctx) => break,
        }
        for name in due {
            if !running.lock().unwrap().insert(name.clone()) {
                tracing::warn!(job = %name, "previous run still going; skipping this slot");
                continue;
            }
            let (ctx2, set2, running2) = (ctx.clone(), set.clone(), running.clone());
            tasks.spawn(async move {
                tracing::info!(job = %name, "scheduled run");
                let code = match run_set(&ctx2, &set2, std::slice::from_ref(&name), false, false, false, None).await {
                    Ok(c) => c,
                    Err(e) => {
                        eprintln!("ferry: job {name}: {e}");
                        e.exit()
                    }
                };
                tracing::info!(job = %name, exit_code = code.code(), "scheduled run finished");
                running2.lock().unwrap().remove(&name);
            });
        }
        while tasks.try_join_next().is_some() {}
    }
    // Stop: in-flight runs see the cancel and stop their transfers cleanly, keeping partials.
    while tasks.join_next().await.is_some() {}
    ctx.note("daemon stopped");
    Ok(Exit::Ok)
}

async fn wait_cancel(ctx: &Ctx) {
    while !ctx.cancel.is_cancelled() {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
