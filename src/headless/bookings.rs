//! `runnerdeck bookings ...`: veHaaS sessions and runner requests. `POST /jobs` is sent exactly
//! once (a retry could book twice) and is audited as soon as it is answered, so a `--wait`
//! interrupted with ctrl-c still says which job exists.

use std::time::Duration;

use serde_json::{Value, json};

use super::confirm::allow;
use super::output::{
    Doc, JOB_HEADER, SESSION_HEADER, job_json, job_row, session_json, session_row,
};
use super::{EXIT_API, fail, op_failed, usage, writable};
use crate::api::Vehaas;
use crate::cli::{BookingsCommand, Output};
use crate::domain::{Job, JobState, RunnerRequest, Session, Timestamp};
use crate::duration::format_short;
use crate::ops::{Change, Done, OpError, Ops};
use crate::setup::Setup;

/// `--wait` polls after 1 s, then ever less often, up to every 10 s, for at most 15 minutes.
const FIRST_POLL: Duration = Duration::from_secs(1);
const MAX_POLL: Duration = Duration::from_secs(10);
const MAX_WAIT: Duration = Duration::from_secs(15 * 60);

/// Exit code of a run interrupted by ctrl-c.
const EXIT_INTERRUPTED: u8 = 130;

pub(super) async fn run(setup: &Setup, ops: &Ops, cmd: BookingsCommand) -> u8 {
    let Some(vehaas) = ops.vehaas() else {
        return usage("veHaaS is not configured: add a [vehaas] table to the config");
    };
    match cmd {
        BookingsCommand::List { out, all } => list(vehaas, all, out.output).await,
        BookingsCommand::Request {
            assembly,
            duration,
            provider_url,
            no_queue,
            wait,
            out,
        } => {
            let assembly = assembly.trim().to_string();
            if assembly.is_empty() {
                return usage("--assembly needs an assembly reference, e.g. HIL-BENCH-01");
            }
            let provider_url = provider_url
                .map(|u| u.trim().to_string())
                .unwrap_or_else(|| setup.context.gitlab_url.clone());
            if !(provider_url.starts_with("https://") || provider_url.starts_with("http://")) {
                return usage(&format!(
                    "--provider-url must start with https:// (or http://), got {provider_url:?}"
                ));
            }
            if let Err(code) = writable(setup) {
                return code;
            }
            let request = RunnerRequest {
                assembly_ref: assembly,
                duration,
                provider_url,
                put_in_queue: !no_queue,
            };
            send_request(ops, vehaas, request, wait, out.output).await
        }
        BookingsCommand::Status { job_id, out } => match vehaas.get_job(&job_id).await {
            Ok(job) => job_doc(&job).emit(out.output),
            Err(e) => fail(&e),
        },
        BookingsCommand::Extend {
            session_id,
            by,
            out,
        } => {
            if let Err(code) = writable(setup) {
                return code;
            }
            let change = Change::ExtendSession { id: session_id, by };
            match ops.run(change).await {
                Ok(Done::Extended { after, .. }) => session_doc(&after).emit(out.output),
                Ok(_) => EXIT_API,
                Err(e) => op_failed(&e),
            }
        }
        BookingsCommand::Release {
            session_id,
            yes,
            out,
        } => {
            if let Err(code) = writable(setup) {
                return code;
            }
            let change = Change::ReleaseSession {
                id: session_id.clone(),
            };
            let what = format!("releasing session {session_id} ends it now and deletes its runner");
            if let Err(code) = allow(ops, &change, yes.yes, &what).await {
                return code;
            }
            match ops.run(change).await {
                Ok(_) => Doc::message(
                    json!({"released": true, "id": session_id}),
                    format!("Released session {session_id}; its runner is deleted."),
                )
                .emit(out.output),
                Err(e) => op_failed(&e),
            }
        }
    }
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

async fn list(vehaas: &Vehaas, all: bool, output: Output) -> u8 {
    match vehaas.list_sessions().await {
        Ok(mut list) => {
            let now = Timestamp::now();
            list.retain(|s| all || s.is_current(now));
            list.sort_by_key(|s| s.end.as_ref().map(|e| e.at()));
            Doc::new(
                Value::Array(list.iter().map(session_json).collect()),
                &SESSION_HEADER,
                list.iter().map(session_row).collect(),
            )
            .emit(output)
        }
        Err(e) => fail(&e),
    }
}

/// Sends the request; ctrl-c before its answer says the booking may exist, after it names
/// the job (it is audited either way).
async fn send_request(
    ops: &Ops,
    vehaas: &Vehaas,
    req: RunnerRequest,
    wait: bool,
    output: Output,
) -> u8 {
    let assembly = req.assembly_ref.clone();
    let sent = tokio::select! {
        r = ops.run(Change::RequestRunner { request: req }) => r,
        _ = tokio::signal::ctrl_c() => {
            eprintln!(
                "runnerdeck: interrupted: the request for {assembly} was sent; the booking may or may not exist: check `runnerdeck bookings list`"
            );
            return EXIT_INTERRUPTED;
        }
    };
    let job = match sent {
        Ok(Done::RunnerRequested(job)) => job,
        Ok(_) => return EXIT_API,
        Err(e) => {
            let code = op_failed(&e);
            if let OpError::Api(f) = &e
                && f.error.outcome_unknown()
            {
                eprintln!(
                    "runnerdeck: the booking may or may not exist: check `runnerdeck bookings list` before asking again"
                );
            }
            return code;
        }
    };
    if !wait {
        return job_doc(&job).emit(output);
    }
    eprintln!(
        "runnerdeck: job {} {}; waiting for the runner (up to {})",
        job.job_id,
        job.state,
        format_short(MAX_WAIT)
    );
    let job_id = job.job_id.clone();
    tokio::select! {
        code = follow(vehaas, job, output) => code,
        _ = tokio::signal::ctrl_c() => {
            eprintln!(
                "runnerdeck: interrupted: job {job_id} exists, so the booking of {assembly} does or will: follow it with `runnerdeck bookings status {job_id}`"
            );
            EXIT_INTERRUPTED
        }
    }
}

/// Follows the job until it is finished or failed, polling less and less often.
async fn follow(vehaas: &Vehaas, mut job: Job, output: Output) -> u8 {
    let started = tokio::time::Instant::now();
    let mut delay = FIRST_POLL;
    while !job.state.is_terminal() {
        if started.elapsed() + delay > MAX_WAIT {
            eprintln!(
                "runnerdeck: job {} is still {} after {}; it may still finish: check `runnerdeck bookings status {}`",
                job.job_id,
                job.state,
                format_short(MAX_WAIT),
                job.job_id
            );
            return EXIT_API;
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
            Err(e) => return fail(&e),
        }
    }
    if job.state == JobState::Failed {
        let why = job.error.clone().unwrap_or_else(|| {
            let asm = job.assembly_ref.as_deref().unwrap_or("the assembly");
            format!("veHaaS could not book {asm}")
        });
        eprintln!(
            "runnerdeck: job {} failed: {why} (see `runnerdeck bookings status {}`)",
            job.job_id, job.job_id
        );
        return EXIT_API;
    }
    job_doc(&job).emit(output)
}
