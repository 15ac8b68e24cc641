//! The scripting verbs (`runnerdeck rc ...`, `runnerdeck bookings ...`): one JSON document or
//! one table per call on stdout; on failure the reason on stderr (one JSON object with
//! `-o json`) and the exit code of its class (`exit.rs`). Every change goes through `ops` (the
//! same code as the TUI, audited the same way, planned the same way for `--dry-run`); the
//! same safety rule asks on a terminal and needs `--yes` without one. A token secret is
//! printed once, on stdout, by token create/rotate, and nowhere else.

mod bookings;
mod change;
mod confirm;
pub mod doctor;
mod doctor_gitlab;
mod doctor_net;
pub mod exit;
pub mod man;
pub mod output;
mod rc;
mod rc_list;
mod rc_scope;

use std::sync::Arc;

pub use exit::{
    CliError, EXIT_API, EXIT_AUTH, EXIT_FINDINGS, EXIT_INTERRUPTED, EXIT_NOT_FOUND, EXIT_OK,
    EXIT_REFUSED, EXIT_USAGE, Kind,
};
pub use output::{controller_json, print_table, session_json};

use crate::api::{GitLab, RetryObserver};
use crate::audit::AuditLog;
use crate::cli::{BookingsCommand, Output, RcCommand};
use crate::domain::Deprecation;
use crate::ops::{Auditor, Ops, Source, VehaasOps};
use crate::setup::{Services, SetupError};

use output::Doc;

/// What a verb comes to: a result to print, or why not.
type Outcome = Result<Doc<'static>, CliError>;

/// A set-up failure as the error a verb ends with.
pub fn setup_failed(e: &SetupError) -> CliError {
    match e {
        SetupError::Client(api) => CliError::api(api),
        other => CliError::config(other.to_string()),
    }
}

/// The audit log of this run, with a warning when there is none.
fn audit_log(services: &Services) -> Option<AuditLog> {
    let log = AuditLog::for_run(services.context.demo);
    if log.is_none() {
        eprintln!(
            "runnerdeck: warning: no state directory: changes are not audited (set RUNNERDECK_STATE_DIR)"
        );
    }
    log
}

fn warn(e: String) {
    eprintln!("runnerdeck: warning: {e}");
}

/// Retry waits are said on stderr ("runnerdeck: GET ...: retrying in 2 s (429)"), so the
/// output on stdout stays clean.
pub fn say_retries(services: &Services) {
    let say: RetryObserver = Arc::new(|n| eprintln!("runnerdeck: {}: {n}", n.endpoint));
    if let Ok(g) = &services.gitlab {
        g.set_retry_observer(say.clone());
    }
    if let Some(Ok(v)) = &services.vehaas {
        v.set_retry_observer(say);
    }
}

/// Prints the deprecation notices, then the result or the error (so the error object is the
/// last line of stderr) in the format asked for; the exit code.
fn finish(outcome: Outcome, output: Output, services: &mut Services) -> u8 {
    print_notices(&mut services.notices);
    match outcome {
        Ok(doc) => doc.emit(output),
        Err(e) => e.report(output),
    }
}

/// `runnerdeck rc ...`: needs GitLab only.
pub async fn rc(services: &mut Services, cmd: RcCommand) -> u8 {
    let output = cmd.output();
    let gitlab: Arc<GitLab> = match &services.gitlab {
        Ok(g) => Arc::clone(g),
        Err(e) => return setup_failed(e).report(output),
    };
    say_retries(services);
    let auditor = Auditor::new(audit_log(services), Source::Cli, Arc::clone(&gitlab), warn);
    let vehaas = services
        .vehaas
        .as_ref()
        .and_then(|v| v.as_ref().ok())
        .cloned();
    let ops = Ops::new(gitlab, vehaas, auditor);
    let outcome = rc::run(services, &ops, cmd).await;
    finish(outcome, output, services)
}

/// `runnerdeck bookings ...`: needs veHaaS only.
pub async fn bookings(services: &mut Services, cmd: BookingsCommand) -> u8 {
    let output = cmd.output();
    let vehaas = match &services.vehaas {
        Some(Ok(v)) => Arc::clone(v),
        Some(Err(e)) => return setup_failed(e).report(output),
        None => {
            return CliError::config(
                "veHaaS is not configured: add a [vehaas] table to the config (or set VEHAAS_URL and VEHAAS_TOKEN)",
            )
            .report(output);
        }
    };
    say_retries(services);
    // veHaaS entries name no user, so no GitLab is needed to audit them.
    let auditor = Auditor::without_gitlab(audit_log(services), Source::Cli, warn);
    let ops = VehaasOps::new(Some(vehaas), auditor);
    let outcome = bookings::run(services, &ops, cmd).await;
    finish(outcome, output, services)
}

/// Prints the deprecation notices the servers sent during this run, once each, on stderr.
pub fn print_notices(notices: &mut tokio::sync::mpsc::UnboundedReceiver<Deprecation>) {
    let mut seen = Vec::new();
    while let Ok(d) = notices.try_recv() {
        if seen.contains(&d) {
            continue;
        }
        eprintln!("runnerdeck: warning: {}", deprecation_text(&d));
        seen.push(d);
    }
}

fn deprecation_text(d: &Deprecation) -> String {
    match &d.link {
        Some(link) => format!("{} (see {link})", d.describe()),
        None => d.describe(),
    }
}

/// Refuses changes in read-only mode (`--read-only` or the config's `read_only`).
fn writable(services: &Services) -> Result<(), CliError> {
    if services.context.read_only {
        return Err(CliError::usage(
            "read-only mode: changes are disabled (drop --read-only or the config's read_only)",
        ));
    }
    Ok(())
}
