//! `runnerdeck bookings ...`: veHaaS sessions and runner requests. `POST /jobs` is sent exactly
//! once: a retry could book twice.

use std::time::Duration;

use serde_json::{Value, json};

use super::output::{
    Doc, JOB_HEADER, SESSION_HEADER, job_json, job_row, session_json, session_row,
};
use super::{Auditor, Change, EXIT_API, EXIT_USAGE, fail, usage, writable};
use crate::api::{ApiError, Vehaas};
use crate::audit::session_path;
use crate::cli::{BookingsCommand, Output};
use crate::domain::{Job, JobState, RunnerRequest, Session, Timestamp};
use crate::duration::format_short;
use crate::setup::Setup;

/// `--wait` polls after 1 s, then ever less often, up to every 10 s, for at most 15 minutes.
const FIRST_POLL: Duration = Duration::from_secs(1);
const MAX_POLL: Duration = Duration::from_secs(10);
const MAX_WAIT: Duration = Duration::from_secs(15 * 60);

/// What `request` needs besides the clients.
struct RequestArgs {
    req: RunnerRequest,
    wait: bool,
    output: Output,
}

pub(super) async fn run(setup: &Setup, cmd: BookingsCommand) -> u8 {
    let Some(vehaas) = &setup.vehaas else {
        eprintln!("runnerdeck: veHaaS is not configured: add a [vehaas] table to the config");
        return EXIT_USAGE;
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
            let args = RequestArgs {
                req: RunnerRequest {
                    assembly_ref: assembly,
                    duration,
                    provider_url,
                    put_in_queue: !no_queue,
                },
                wait,
                output: out.output,
            };
            request(setup, vehaas, args).await
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
            extend(setup, vehaas, &session_id, by, out.output).await
        }
        BookingsCommand::Release {
            session_id,
            yes,
            out,
        } => {
            if !yes.yes {
                return usage(&format!(
                    "releasing session {session_id} ends it now and deletes its runner: pass --yes to confirm"
                ));
            }
            if let Err(code) = writable(setup) {
                return code;
            }
            release(setup, vehaas, &session_id, out.output).await
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
            list.sort_by_key(|s| s.end);
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

async fn request(setup: &Setup, vehaas: &Vehaas, args: RequestArgs) -> u8 {
    let res = vehaas.request_runner_meta(&args.req).await;
    let change = Change {
        url: vehaas.base_url().to_string(),
        method: "POST",
        path: vehaas.paths().jobs.clone(),
        before: None,
        after: Some(match &res {
            Ok((job, _)) => job_json(job),
            // What was asked for, so the log says what may have been booked.
            Err(_) => json!({
                "assembly_ref": args.req.assembly_ref,
                "duration_seconds": args.req.duration.as_secs(),
                "put_in_queue": args.req.put_in_queue,
                "provider_url": args.req.provider_url,
            }),
        }),
    };
    Auditor::new(setup)
        .record(change, res.as_ref().map(|(_, m)| m))
        .await;
    let job = match res {
        Ok((job, _)) => job,
        Err(e) => {
            let code = fail(&e);
            if e.outcome_unknown() {
                eprintln!(
                    "runnerdeck: the booking may or may not exist: check `runnerdeck bookings list` before asking again"
                );
            }
            return code;
        }
    };
    if !args.wait {
        return job_doc(&job).emit(args.output);
    }
    eprintln!(
        "runnerdeck: job {} {}; waiting for the runner (up to {})",
        job.job_id,
        job.state,
        format_short(MAX_WAIT)
    );
    wait(vehaas, job, args.output).await
}

/// Follows the job until it is finished or failed, polling less and less often.
async fn wait(vehaas: &Vehaas, mut job: Job, output: Output) -> u8 {
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

async fn find_session(vehaas: &Vehaas, id: &str) -> Result<Option<Session>, ApiError> {
    Ok(vehaas
        .list_sessions()
        .await?
        .into_iter()
        .find(|s| s.id == id))
}

async fn extend(setup: &Setup, vehaas: &Vehaas, id: &str, by: Duration, output: Output) -> u8 {
    let before = match find_session(vehaas, id).await {
        Ok(Some(s)) => s,
        Ok(None) => {
            eprintln!(
                "runnerdeck: session {id} is not in your session list (`runnerdeck bookings list --all`)"
            );
            return EXIT_API;
        }
        Err(e) => return fail(&e),
    };
    let Some(end) = before.end else {
        eprintln!("runnerdeck: session {id} has no end time to extend");
        return EXIT_API;
    };
    let new_end = jiff::SignedDuration::try_from(by)
        .ok()
        .and_then(|d| end.checked_add(d).ok());
    let Some(new_end) = new_end else {
        return usage(&format!(
            "cannot extend session {id} by {}",
            format_short(by)
        ));
    };
    let res = vehaas.extend_session_meta(id, new_end).await;
    let change = Change {
        url: vehaas.base_url().to_string(),
        method: "PATCH",
        path: session_path(&vehaas.paths().session, id),
        before: Some(session_json(&before)),
        after: Some(match &res {
            Ok((s, _)) => session_json(s),
            Err(_) => json!({"id": id, "end": new_end.to_string()}),
        }),
    };
    Auditor::new(setup)
        .record(change, res.as_ref().map(|(_, m)| m))
        .await;
    match res {
        Ok((s, _)) => session_doc(&s).emit(output),
        Err(e) => fail(&e),
    }
}

async fn release(setup: &Setup, vehaas: &Vehaas, id: &str, output: Output) -> u8 {
    // Only for the log: the server decides whether the session can be released.
    let before = find_session(vehaas, id).await.ok().flatten();
    let res = vehaas.release_session_meta(id).await;
    let change = Change {
        url: vehaas.base_url().to_string(),
        method: "POST",
        path: session_path(&vehaas.paths().release, id),
        before: before.as_ref().map(session_json),
        after: None,
    };
    Auditor::new(setup).record(change, res.as_ref()).await;
    match res {
        Ok(_) => Doc::message(
            json!({"released": true, "id": id}),
            format!("Released session {id}; its runner is deleted."),
        )
        .emit(output),
        Err(e) => fail(&e),
    }
}
