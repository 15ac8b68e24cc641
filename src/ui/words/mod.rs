//! All the program's wording: notes (flashes), questions, form errors, refusals and the
//! deprecation banner, from the facts the state holds. Pure: the same facts always read the
//! same; nothing here is compared by the reducer.

mod notes;
mod questions;

pub use notes::note;
pub use questions::{Worded, picker_impact, question};

use crate::domain::{ControllerUpdate, Deprecation, RunnerController, SessionState};
use crate::ops::{Change, Refusal, ScopeChange};
use crate::state::FormError;

/// `12 "kas admission prod"`, or just `12` without a description.
pub fn label(c: &RunnerController) -> String {
    match c.description.as_deref() {
        Some(d) if !d.is_empty() => format!("{} \"{d}\"", c.id),
        _ => c.id.to_string(),
    }
}

/// A description for a sentence: quoted, or `(none)`.
pub fn quoted(d: Option<&str>) -> String {
    d.map_or("(none)".to_string(), |d| format!("\"{d}\""))
}

/// What an update changes: `state enabled, description "x"`.
pub fn update(u: &ControllerUpdate) -> String {
    let mut parts = Vec::new();
    if let Some(s) = &u.state {
        parts.push(format!("state {s}"));
    }
    match &u.description {
        Some(Some(d)) => parts.push(format!("description \"{d}\"")),
        Some(None) => parts.push("clear the description".into()),
        None => {}
    }
    parts.join(", ")
}

pub fn scope_change(c: &ScopeChange) -> String {
    match c {
        ScopeChange::AddInstance => "add the instance scope".into(),
        ScopeChange::RemoveInstance => "remove the instance scope".into(),
        ScopeChange::AddRunner(r) => format!("scope runner #{r}"),
        ScopeChange::RemoveRunner(r) => format!("unscope runner #{r}"),
    }
}

pub fn scope_changed(c: &ScopeChange) -> String {
    match c {
        ScopeChange::AddInstance => "added the instance scope".into(),
        ScopeChange::RemoveInstance => "removed the instance scope".into(),
        ScopeChange::AddRunner(r) => format!("scoped runner #{r}"),
        ScopeChange::RemoveRunner(r) => format!("unscoped runner #{r}"),
    }
}

/// A change on its way: `Setting runner controller 3 to dry_run…`.
pub fn sending(c: &Change) -> String {
    match c {
        Change::CreateController { .. } => "Creating runner controller…".into(),
        Change::UpdateController { id, update, .. } => match (&update.state, &update.description) {
            (Some(s), None) => format!("Setting runner controller {id} to {s}…"),
            (None, Some(_)) => format!("Saving the description of {id}…"),
            _ => format!("Changing runner controller {id}…"),
        },
        Change::DeleteController { id, .. } => format!("Deleting runner controller {id}…"),
        Change::CreateToken { id, .. } => format!("Creating a token for {id}…"),
        Change::RotateToken { token, .. } => format!("Rotating token {token}…"),
        Change::RevokeToken { token, .. } => format!("Revoking token {token}…"),
        Change::Scope { id, change } => {
            format!("Runner controller {id}: {}…", scope_change(change))
        }
        Change::RequestRunner { request } => format!(
            "Requesting a runner on {} for {}…",
            request.assembly_ref,
            crate::duration::format_short(request.duration)
        ),
        Change::ExtendSession { id, by } => format!(
            "Extending booking {id} by {}…",
            crate::duration::format_short(*by)
        ),
        Change::ReleaseSession { id } => format!("Releasing booking {id}…"),
    }
}

/// What failed: `Changing runner controller 3 failed`.
pub fn failed(c: &Change) -> String {
    match c {
        Change::CreateController { .. } => "Creating a runner controller failed".into(),
        Change::UpdateController { id, .. } => format!("Changing runner controller {id} failed"),
        Change::DeleteController { id, .. } => format!("Deleting runner controller {id} failed"),
        Change::CreateToken { id, .. } | Change::RotateToken { id, .. } => {
            format!("Token change on runner controller {id} failed")
        }
        Change::RevokeToken { token, .. } => format!("Revoking token {token} failed"),
        Change::Scope { id, change } => {
            format!(
                "Could not {} on runner controller {id}",
                scope_change(change)
            )
        }
        Change::RequestRunner { request } => {
            format!("Requesting a runner on {} failed", request.assembly_ref)
        }
        Change::ExtendSession { id, .. } => format!("Extending booking {id} failed"),
        Change::ReleaseSession { id } => format!("Releasing booking {id} failed"),
    }
}

pub fn refusal(r: &Refusal) -> String {
    match r {
        Refusal::NoVehaas => "veHaaS is not configured: add a [vehaas] table to the config".into(),
        Refusal::AlreadyInstanceScoped => {
            "It already has the instance scope: nothing to add".into()
        }
        Refusal::HasRunnerScopes => {
            "It has runner scopes: remove them before adding the instance scope".into()
        }
        Refusal::HasInstanceScope => {
            "It has the instance scope: remove it before scoping runners".into()
        }
        Refusal::AlreadyScoped(r) => format!("Runner #{r} is already scoped: nothing to add"),
        Refusal::SessionNotListed(id) => {
            format!("Booking {id} is not in your session list: nothing was sent")
        }
        Refusal::SessionOver { id, state } => format!(
            "Booking {id} is {}: nothing was sent",
            match state {
                SessionState::Released => "already released",
                SessionState::Ended => "already over (its end has passed)",
                _ => "not current",
            }
        ),
        Refusal::NoEnd(id) => format!("Booking {id} has no end time to extend"),
        Refusal::TooLong => "That is too long".into(),
    }
}

pub fn form_error(e: &FormError) -> String {
    match e {
        FormError::TooLong { len, max } => {
            format!("It is {len} characters long; GitLab takes at most {max}")
        }
        FormError::NotRunnerId(v) => format!("{v:?} is not a runner id (a positive number)"),
        FormError::Duration(e) => e.to_string(),
        FormError::UnknownCommand(c) => {
            format!("Unknown command {c:?}: try log, rc, bookings, ctx, readonly, q")
        }
        FormError::NoContext { name, all } => {
            format!("No context {name:?}: there are {}", all.join(", "))
        }
        FormError::NoAssembly => "Which assembly? Type its reference, e.g. HIL-BENCH-01".into(),
        FormError::ProviderUrl => {
            "The provider URL must start with https:// (the GitLab the runner joins)".into()
        }
    }
}

/// `retrying in 2 s (429)`, counting down with the clock.
pub fn retrying(r: &crate::state::Retrying, now: jiff::Timestamp) -> String {
    let secs = r.at.duration_since(now).as_secs().max(0);
    let why = match r.reason {
        crate::api::RetryReason::Status(s) => s.to_string(),
        crate::api::RetryReason::Timeout => "timeout".into(),
        crate::api::RetryReason::Connection => "connection".into(),
    };
    if secs == 0 {
        format!("retrying now ({why})")
    } else {
        format!("retrying in {secs} s ({why})")
    }
}

/// In plain words: what, since when, until when.
pub fn deprecation(d: &Deprecation) -> String {
    d.describe()
}
