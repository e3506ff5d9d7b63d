//! `ferry daemon JOBFILE`: run each job on its `schedule:` until SIGTERM/SIGINT. A job never
//! overlaps itself (a still-running job skips its next slot, and the per-job lock or lease also
//! guards against other processes); SIGHUP reloads the job file, keeping the old one if the new
//! one is invalid. With a shared ledger, several daemons run one job file: each due run is
//! claimed in the database by exactly one of them, and while the database does not answer no
//! daemon starts a run. Deadlines (`expect:`) that pass while it runs are judged as they pass; metrics are
//! served on `--metrics` and written to `--metrics-file` after each run.

use super::Ctx;
use super::jobs::run_set;
use super::monitor;
use crate::error::Result;
use crate::exit::Exit;
use crate::job::{self, JobSet};
use crate::schedule::next_batch;
use crate::ledger::{Ledger, Location};
use chrono::{DateTime, Utc};
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

/// The earliest deadline of any job after `t`.
fn next_deadline(set: &JobSet, t: chrono::DateTime<Utc>) -> Option<chrono::DateTime<Utc>> {
    set.jobs.iter().filter_map(|j| j.expect.as_ref()?.next(t)).min()
}

pub async fn run(ctx: &Ctx, path: &str, metrics: Option<&str>, metrics_file: Option<&str>) -> Result<Exit> {
    let mut set = Arc::new(job::load(path)?);
    if let Some(p) = metrics_file {
        monitor::check_metrics_file(p)?;
    }
    // The job file the metrics describe: replaced on reload.
    let current: Arc<Mutex<Arc<JobSet>>> = Arc::new(Mutex::new(set.clone()));
    if let Some(addr) = metrics {
        let addr = crate::metrics::parse_listen(addr)?;
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| crate::error::Error::usage(format!("--metrics {addr}: cannot listen: {e}")))?;
        let addr = listener.local_addr().unwrap_or(addr);
        let (ctx2, current2) = (ctx.clone(), current.clone());
        let render = Arc::new(move || {
            let set = current2.lock().unwrap().clone();
            let ledger = monitor::open_ledger(&ctx2, &set)?;
            crate::metrics::render(&set, ledger.as_ref(), Utc::now())
        });
        tokio::spawn(crate::metrics::serve(listener, render));
        ctx.note(format!("metrics at http://{addr}/metrics"));
    }
    announce(ctx, &set);
    let running: Arc<Mutex<HashSet<String>>> = Default::default();
    let mut hup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())
        .map_err(|e| crate::error::Error::new(crate::error::ErrorKind::Io, format!("cannot watch SIGHUP: {e}")))?;
    ctx.note(format!("daemon started with {} ({} scheduled job(s))", path, schedules(&set).len()));
    let mut tasks = tokio::task::JoinSet::new();
    if let Some(p) = metrics_file {
        monitor::write_metrics(ctx, &set, p);
    }
    // Deadlines up to here are judged; the ones that pass from now on are the daemon's.
    let mut judged = Utc::now();
    let mut claims = Claims { at: None, ledger: None, paused: false };
    loop {
        let now = Utc::now();
        let batch = next_batch(&schedules(&set), now);
        let deadline = next_deadline(&set, judged);
        let when = match (batch.as_ref().map(|b| b.0), deadline) {
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) | (None, Some(a)) => a,
            (None, None) => {
                ctx.note("no job has a schedule or a deadline; nothing to do");
                break;
            }
        };
        let wait = (when - now).to_std().unwrap_or_default();
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = hup.recv() => {
                match job::load(path) {
                    Ok(new) => {
                        ctx.note(format!("reloaded {path}"));
                        set = Arc::new(new);
                        *current.lock().unwrap() = set.clone();
                        announce(ctx, &set);
                    }
                    Err(e) => ctx.note(format!("reload failed, keeping the previous job file: {e}")),
                }
                continue;
            }
            _ = wait_cancel(ctx) => break,
        }
        if deadline.is_some_and(|d| d <= Utc::now()) {
            let until = Utc::now();
            monitor::judge_due(ctx, &set, judged, until).await;
            judged = until;
        }
        let (slot, due) = match batch {
            Some((t, due)) if t <= Utc::now() => (t, due),
            _ => continue,
        };
        for name in due {
            if running.lock().unwrap().contains(&name) {
                tracing::warn!(job = %name, "previous run still going; skipping this slot");
                continue;
            }
            let next = schedules(&set)
                .iter()
                .find(|(n, _)| *n == name)
                .and_then(|(_, s)| s.after(&slot).next())
                .unwrap_or(slot + chrono::Duration::days(3650));
            if !claims.claim(ctx, &set, &name, slot, next).await {
                continue;
            }
            running.lock().unwrap().insert(name.clone());
            let (ctx2, set2, running2) = (ctx.clone(), set.clone(), running.clone());
            let metrics_file = metrics_file.map(str::to_string);
            tasks.spawn(async move {
                tracing::info!(job = %name, "scheduled run");
                let code = match run_set(&ctx2, &set2, std::slice::from_ref(&name), false, false, false, None).await {
                    Ok(c) => c,
                    Err(e) => {
                        crate::logging::error(Some(&name), &e);
                        e.exit()
                    }
                };
                tracing::info!(job = %name, exit_code = code.code(), "scheduled run finished");
                running2.lock().unwrap().remove(&name);
                if let Some(p) = &metrics_file {
                    monitor::write_metrics(&ctx2, &set2, p);
                }
            });
        }
        while tasks.try_join_next().is_some() {}
    }
    // Stop: in-flight runs see the cancel and stop their transfers cleanly, keeping partials.
    while tasks.join_next().await.is_some() {}
    ctx.note("daemon stopped");
    Ok(Exit::Ok)
}

/// The daemon's connection to its ledger for claiming scheduled runs; reopened after a failure.
struct Claims {
    at: Option<Location>,
    ledger: Option<Arc<Ledger>>,
    /// The database did not answer the last claim: runs are paused until it does.
    paused: bool,
}

impl Claims {
    /// Is this daemon the one to run `job`'s slot at `slot`? Always, on a local ledger; on a
    /// shared one, for exactly one daemon, or for none while the database does not answer.
    async fn claim(&mut self, ctx: &Ctx, set: &JobSet, job: &str, slot: DateTime<Utc>, next: DateTime<Utc>) -> bool {
        let at = match super::jobs::ledger_location(ctx, Some(set)) {
            Ok(at @ Location::Postgres { .. }) => at,
            _ => return true,
        };
        if self.at.as_ref() != Some(&at) {
            (self.at, self.ledger) = (Some(at.clone()), None);
        }
        let ledger = self.ledger.clone();
        let job2 = job.to_string();
        let r = tokio::task::spawn_blocking(move || {
            let l = match ledger {
                Some(l) => l,
                None => Arc::new(Ledger::open(&at)?),
            };
            l.claim(&job2, slot, next).map(|won| (l, won))
        })
        .await
        .unwrap_or_else(|e| Err(crate::error::Error::new(crate::error::ErrorKind::Io, format!("ledger task failed: {e}"))));
        match r {
            Ok((l, won)) => {
                if self.paused {
                    ctx.note("the ledger answers again: scheduled runs resume");
                    self.paused = false;
                }
                self.ledger = Some(l);
                if !won {
                    tracing::debug!(job, slot = %slot, "run claimed by another host");
                }
                won
            }
            Err(e) => {
                if !self.paused {
                    let e = crate::error::Error::new(e.kind, format!("{}; scheduled runs are paused until it answers", e.message));
                    crate::logging::error(Some(job), &e);
                    self.paused = true;
                }
                self.ledger = None;
                false
            }
        }
    }
}

async fn wait_cancel(ctx: &Ctx) {
    while !ctx.cancel.is_cancelled() {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
