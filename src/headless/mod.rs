//! The scripting verbs (`runnerdeck rc ...`, `runnerdeck bookings ...`): one JSON document or
//! one table per call on stdout, the server's reason on stderr and a non-zero exit on failure.
//! Every change goes through `ops` (the same code as the TUI, audited the same way); the same
//! safety rule asks on a terminal and needs `--yes` without one. A token secret is printed
//! once, on stdout, by token create/rotate, and nowhere else.

mod bookings;
mod confirm;
pub mod doctor;
mod health;
pub mod output;
mod rc;

use std::sync::Arc;

pub use output::{controller_json, print_table, session_json};

use crate::api::ApiError;
use crate::audit::AuditLog;
use crate::cli::{BookingsCommand, RcCommand};
use crate::domain::Deprecation;
use crate::ops::{Auditor, OpError, Ops, Source};
use crate::setup::Setup;

/// Exit codes: 0 success, 1 the server refused or failed, 2 usage or configuration.
pub const EXIT_OK: u8 = 0;
pub const EXIT_API: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

/// The clients of the run, with an audit log written as source `cli`.
fn ops(setup: &Setup) -> Ops {
    let log = AuditLog::for_run(setup.context.demo);
    if log.is_none() {
        eprintln!(
            "runnerdeck: warning: no state directory: changes are not audited (set RUNNERDECK_STATE_DIR)"
        );
    }
    let auditor = Auditor::new(log, Source::Cli, Arc::clone(&setup.gitlab), |e| {
        eprintln!("runnerdeck: warning: {e}");
    });
    Ops::new(Arc::clone(&setup.gitlab), setup.vehaas.clone(), auditor)
}

pub async fn rc(setup: &Setup, cmd: RcCommand) -> u8 {
    rc::run(setup, &ops(setup), cmd).await
}

pub async fn bookings(setup: &Setup, cmd: BookingsCommand) -> u8 {
    if setup.vehaas.is_none() {
        eprintln!("runnerdeck: veHaaS is not configured: add a [vehaas] table to the config");
        return EXIT_USAGE;
    }
    bookings::run(setup, &ops(setup), cmd).await
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

/// The server's reason on stderr; exit 1.
fn fail(e: &ApiError) -> u8 {
    eprintln!("runnerdeck: {e}");
    EXIT_API
}

/// A change that did not go through: why, on stderr.
fn op_failed(e: &OpError) -> u8 {
    match e {
        OpError::Api(f) => fail(&f.error),
        OpError::Refused(r) => {
            eprintln!("runnerdeck: {}", crate::ui::words::refusal(r));
            EXIT_API
        }
        OpError::ChangedElsewhere { server } => {
            eprintln!(
                "runnerdeck: runner controller {} changed on the server meanwhile; nothing was sent: look at it again (`runnerdeck rc get {}`)",
                server.id, server.id
            );
            EXIT_API
        }
    }
}

/// A usage mistake found after parsing; exit 2.
fn usage(msg: &str) -> u8 {
    eprintln!("runnerdeck: {msg}");
    EXIT_USAGE
}

/// Refuses changes in read-only mode (`--read-only` or the config's `read_only`).
fn writable(setup: &Setup) -> Result<(), u8> {
    if setup.context.read_only {
        return Err(usage(
            "read-only mode: changes are disabled (drop --read-only or the config's read_only)",
        ));
    }
    Ok(())
}
