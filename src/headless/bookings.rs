//! `runnerdeck bookings ...`: veHaaS sessions and runner requests, on `VehaasOps` (no GitLab
//! needed). `POST /jobs` is sent exactly once (a retry could book twice) and is audited as soon
//! as it is answered, so a `--wait` interrupted with ctrl-c still says which job exists.

use std::time::Duration;

use serde_json::{Value, json};

use super::change::{Applied, apply, plan_doc};
use super::output::{
    Doc, JOB_HEADER, SESSION_HEADER, job_json, job_row, session_json, session_row,
};
use super::{CliError, Kind, Outcome, writable};
use crate::api::Vehaas;
use crate::cli::{BookingsCommand, ChangeArgs, DryRunArg, DurationArg};
use crate::domain::{Job, JobState, RunnerRequest, Session, Timestamp};
use crate::duration::format_short;
use crate::ops::{Change, Done, OpError, VehaasOps};
use crate::setup::Services;

/// `--wait` polls after 1 s, then ever less often, up to every 10 s, for at most 15 minutes.
const FIRST_POLL: Duration = Duration::from_secs(1);
const MAX_POLL: Duration = Duration::from_secs(10);
const MAX_WAIT: Duration = Duration::from_secs(15 * 60);

pub(super) async fn run(services: &Services, ops: &VehaasOps, cmd: BookingsCommand) -> Outcome {
    let Some(vehaas) = ops.vehaas() else {
        return Err(CliError::config(
            "veHaaS is not configured: add a [vehaas] table to the config",
        ));
    };
    let within = |d: &DurationArg| {
        d.within(&services.settings.durations)
            .map_err(|e| CliError::usage(e.to_string()))
    };
    match cmd {
        BookingsCommand::List { all, .. } => list(vehaas, all).await,
        BookingsCommand::Request {
            assembly,
            duration,
            provider_url,
            no_queue,
            wait,
            dry,
            ..
        } => {
            let request = RunnerRequest {
                assembly_ref: assembly.trim().to_string(),
                duration: within(&duration)?,
                provider_url: provider(services, provider_url)?,
                put_in_queue: !no_queue,
            };
            if request.assembly_ref.is_empty() {
                return Err(CliError::usage(
                    "--assembly needs an assembly reference, e.g. HIL-BENCH-01",
                ));
            }
            request_runner(services, ops, request, wait, dry).await
        }
        BookingsCommand::Status { job_id, .. } => Ok(job_doc(&vehaas.get_job(&job_id).await?)),
        BookingsCommand::Extend {
            session_id,
            by,
            dry,
            ..
        } => {
            let change = Change::ExtendSession {
                id: session_id,
                by: within(&by)?,
            };
            let args = ChangeArgs { yes: false, dry };
            match apply(services, ops, change, args, "").await? {
                Applied::Planned(plan) => Ok(plan_doc(&plan)),
                Applied::Done(done) => match *done {
                    Done::Extended { after, .. } => Ok(session_doc(&after)),
                    _ => Err(CliError::new(Kind::Server, "unexpected answer")),
                },
            }
        }
        BookingsCommand::Release {
            session_id, change, ..
        } => {
            let what = format!("releasing session {session_id} ends it now and deletes its runner");
            let c = Change::ReleaseSession {
                id: session_id.clone(),
            };
            match apply(services, ops, c, change, &what).await? {
                Applied::Planned(plan) => Ok(plan_doc(&plan)),
                Applied::Done(_) => Ok(Doc::message(
                    json!({"released": true, "id": session_id}),
                    format!("Released session {session_id}; its runner is deleted."),
                )),
            }
        }
    }
}

/// `--provider-url`, else the configured GitLab's address.
fn provider(services: &Services, given: Option<String>) -> Result<String, CliError> {
    let url = given.unwrap_or_else(|| services.context.gitlab_url.clone());
    crate::domain::provider_url(&url).ok_or_else(|| {
        CliError::usage(format!(
            "--provider-url must start with https:// (or http://), got {:?}",
            url.trim()
        ))
    })
}

fn session_doc(s: &Session) -> Doc<'static> {
    Doc::new(session_json(s), &SESSION_HEADER, vec![session_row(s)])
}

fn job_doc(j: &Job) -> Doc<'static> {
    let doc = Doc::new(job_json(j), &JOB_HEADER, vec![job_row(j)]);
    match &j.gitlab_runner_tag {
        Some(tag) => doc.note(format!("GitLab runner tag: {tag}")),
        None => doc,
    }
}

async fn list(vehaas: &Vehaas, all: bool) -> Outcome {
    let mut list = vehaas.list_sessions().await?;
    let now = Timestamp::now();
    list.retain(|s| all || s.is_current(now));
    list.sort_by_key(|s| s.end.as_ref().map(|e| e.at()));
    Ok(Doc::new(
        Value::Array(list.iter().map(session_json).collect()),
        &SESSION_HEADER,
        list.iter().map(session_row).collect(),
    ))
}

/// Sends the request (or plans it); ctrl-c before its answer says the booking may exist,
/// after it names the job (it is audited either way). A request never asks first.
async fn request_runner(
    services: &Services,
    ops: &VehaasOps,
    req: RunnerRequest,
    wait: bool,
    dry: DryRunArg,
) -> Outcome {
    let assembly = req.assembly_ref.clone();
    let change = Change::RequestRunner { request: req };
    if dry.dry_run {
        return Ok(plan_doc(&ops.plan(&change).await?));
    }
    writable(services)?;
    let sent = tokio::select! {
        r = ops.run(change) => r,
        _ = tokio::signal::ctrl_c() => {
            return Err(CliError::new(Kind::Interrupted, format!(
                "interrupted: the request for {assembly} was sent; the booking may or may not exist: check `runnerdeck bookings list`"
            )));
        }
    };
    let job = match sent {
        Ok(Done::RunnerRequested(job)) => job,
        Ok(_) => return Err(CliError::new(Kind::Server, "unexpected answer")),
        Err(e) => return Err(request_failed(&e)),
    };
    if !wait {
        return Ok(job_doc(&job));
    }
    eprintln!(
        "runnerdeck: job {} {}; waiting for the runner (up to {})",
        job.job_id,
        job.state,
        format_short(MAX_WAIT)
    );
    let job_id = job.job_id.clone();
    let Some(vehaas) = ops.vehaas() else {
        return Ok(job_doc(&job));
    };
    tokio::select! {
        done = follow(vehaas, job) => done,
        _ = tokio::signal::ctrl_c() => Err(CliError::new(Kind::Interrupted, format!(
            "interrupted: job {job_id} exists, so the booking of {assembly} does or will: follow it with `runnerdeck bookings status {job_id}`"
        ))),
    }
}

/// A failed `POST /jobs`; when the booking may exist all the same (a timeout, a 5xx), it
/// says so.
fn request_failed(e: &OpError) -> CliError {
    let mut err = CliError::op(e);
    if matches!(e, OpError::Api(f) if f.error.outcome_unknown()) {
        err.message.push_str(
            "; the booking may or may not exist: check `runnerdeck bookings list` before asking again",
        );
    }
    err
}

/// Follows the job until it is finished or failed, polling less and less often.
async fn follow(vehaas: &Vehaas, mut job: Job) -> Outcome {
    let started = tokio::time::Instant::now();
    let mut delay = FIRST_POLL;
    while !job.state.is_terminal() {
        if started.elapsed() + delay > MAX_WAIT {
            return Err(CliError::new(
                Kind::Server,
                format!(
                    "job {} is still {} after {}; it may still finish: check `runnerdeck bookings status {}`",
                    job.job_id,
                    job.state,
                    format_short(MAX_WAIT),
                    job.job_id
                ),
            ));
        }
        tokio::time::sleep(delay).await;
        delay = delay.mul_f64(1.5).min(MAX_POLL);
        match vehaas.get_job(&job.job_id).await {
            Ok(next) => {
                // A failure is said once, with its reason, below.
                if next.state != job.state && next.state != JobState::Failed {
                    eprintln!("runnerdeck: job {} {}", next.job_id, next.state);
                }
                job = next;
            }
            Err(e) if e.is_transient() => {
                eprintln!("runnerdeck: warning: {e}; asking again");
            }
            Err(e) => return Err(e.into()),
        }
    }
    if job.state == JobState::Failed {
        let why = job.error.clone().unwrap_or_else(|| {
            let asm = job.assembly_ref.as_deref().unwrap_or("the assembly");
            format!("veHaaS could not book {asm}")
        });
        // veHaaS said no to this booking.
        return Err(CliError::new(
            Kind::Refused,
            format!(
                "job {} failed: {why} (see `runnerdeck bookings status {}`)",
                job.job_id, job.job_id
            ),
        ));
    }
    Ok(job_doc(&job))
}
