//! The scripting verbs (`runnerdeck rc ...`, `runnerdeck bookings ...`): one JSON document or
//! one table per call on stdout, the server's reason on stderr and a non-zero exit on failure.
//! Every change is written to the audit log (also when it fails); a token secret is printed once,
//! on stdout, by token create/rotate, and nowhere else.

mod bookings;
pub mod doctor;
pub mod output;
mod rc;

use tokio::sync::OnceCell;

pub use output::{controller_json, print_table, session_json};

use crate::api::{ApiError, GitLab, Meta};
pub(crate) use crate::audit::Change;
use crate::audit::{AuditEntry, AuditLog};
use crate::cli::{BookingsCommand, RcCommand};
use crate::domain::Deprecation;
use crate::setup::Setup;

/// Exit codes: 0 success, 1 the server refused or failed, 2 usage or configuration.
pub const EXIT_OK: u8 = 0;
pub const EXIT_API: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

pub async fn rc(setup: &Setup, cmd: RcCommand) -> u8 {
    rc::run(setup, cmd).await
}

pub async fn bookings(setup: &Setup, cmd: BookingsCommand) -> u8 {
    bookings::run(setup, cmd).await
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

/// Writes audit entries for this run (source "cli"); the acting user is asked once.
struct Auditor<'a> {
    log: Option<AuditLog>,
    gitlab: &'a GitLab,
    user: OnceCell<Option<String>>,
}

impl<'a> Auditor<'a> {
    /// The log of this run (`--demo` keeps its own, away from real changes).
    fn new(setup: &'a Setup) -> Self {
        let log = AuditLog::for_run(setup.context.demo);
        if log.is_none() {
            eprintln!(
                "runnerdeck: warning: no state directory: this change is not audited (set RUNNERDECK_STATE_DIR)"
            );
        }
        Self {
            log,
            gitlab: &setup.gitlab,
            user: OnceCell::new(),
        }
    }

    async fn user(&self) -> Option<String> {
        self.user
            .get_or_init(|| crate::audit::acting_user(self.gitlab))
            .await
            .clone()
    }

    /// Appends one entry for `change` with the outcome; a log that cannot be written is a
    /// warning, not a failure of the change.
    async fn record(&self, change: Change, outcome: Result<&Meta, &ApiError>) {
        let Some(log) = &self.log else {
            return;
        };
        let entry = AuditEntry::of(change, self.user().await, "cli", outcome);
        if let Err(e) = log.append(&entry) {
            eprintln!(
                "runnerdeck: warning: cannot write the audit log {}: {e}",
                log.path().display()
            );
        }
    }
}
