//! The words of admission-control health: each finding and its fix, the new table cells
//! (SCOPE, CONNECTED, TOKENS), and the server's audit events. Shared by the TUI and the
//! scripting verbs (`rc lint`, `rc events`, `rc list --with health`).

use jiff::Timestamp;

use crate::domain::{ControllerToken, Scopes};
use crate::health::events::{Action, ServerEvent, TokenAction};
use crate::health::{Finding, Kind, Trouble};
use crate::state::Unavailable;
use crate::ui::fmt;

/// What is wrong, in plain words (the controller is named by the caller).
pub fn finding(f: &Finding) -> String {
    match &f.kind {
        Kind::NoScope { enforcing: true } => "enabled with no scope: it receives nothing".into(),
        Kind::NoScope { enforcing: false } => {
            "in dry_run with no scope: it receives nothing".into()
        }
        Kind::NotConnected => "enforcing, but no token was used in the last hour".into(),
        Kind::NoActiveToken => "no active token: the controller cannot connect".into(),
        Kind::LongDryRun { days } => format!("has been watching (dry_run) for {days} days"),
        Kind::TokenNeverUsed {
            token,
            age_days: Some(d),
        } => format!("token #{token} was never used (created {d} days ago)"),
        Kind::TokenNeverUsed { token, .. } => format!("token #{token} was never used"),
        Kind::TokenUnused { token, days } => format!("token #{token} unused for {days} days"),
        Kind::SeveralTokens { count } => format!("{count} active tokens"),
        Kind::Runner { runner, trouble } => format!(
            "scoped runner #{runner} {}",
            match trouble {
                Trouble::Gone => "no longer exists",
                Trouble::Stale => "is stale (no contact for over a week)",
                Trouble::NeverContacted => "has never contacted GitLab",
                Trouble::Offline => "is offline (no contact for two hours)",
                Trouble::Paused => "is paused",
            }
        ),
    }
}

/// The fix.
pub fn fix(f: &Finding) -> String {
    match &f.kind {
        Kind::NoScope { .. } => "add a scope, or disable it".into(),
        Kind::NotConnected => "is the controller running? check its service and its token".into(),
        Kind::NoActiveToken => {
            "create a token (n in the detail) and give it to the controller".into()
        }
        Kind::LongDryRun { .. } => "enable or disable it".into(),
        Kind::TokenNeverUsed { .. } => "give it to the controller, or revoke it".into(),
        Kind::TokenUnused { .. } => "revoke it if nothing uses it any more".into(),
        Kind::SeveralTokens { .. } => {
            "a rotation left the old one active? revoke the one no longer used".into()
        }
        Kind::Runner {
            trouble: Trouble::Gone,
            ..
        } => "remove the scope".into(),
        Kind::Runner {
            trouble: Trouble::Paused,
            ..
        } => "unpause the runner, or remove the scope".into(),
        Kind::Runner { .. } => "check the runner, or remove the scope".into(),
    }
}

/// SCOPE: `instance`, `3 runners`, `none`.
pub fn scope(s: &Scopes) -> String {
    match (s.instance.is_some(), s.runners.len()) {
        (true, _) => "instance".into(),
        (false, 0) => "none".into(),
        (false, 1) => "1 runner".into(),
        (false, n) => format!("{n} runners"),
    }
}

/// CONNECTED, a symbol and a word (it reads without colour).
pub fn connected(c: Option<bool>) -> &'static str {
    match c {
        Some(true) => "● yes",
        Some(false) => "○ no",
        None => "? unknown",
    }
}

/// TOKENS: the active count and the newest use, `2 · 4m`, `1 · never`, `0`.
pub fn tokens(t: &[ControllerToken], now: Timestamp) -> String {
    if t.is_empty() {
        return "0".into();
    }
    let newest = t.iter().filter_map(|t| t.last_used_at.as_ref()).max();
    match newest {
        Some(u) => format!("{} · {}", t.len(), fmt::ago(now, u.at())),
        None => format!("{} · never", t.len()),
    }
}

/// Not read yet.
pub const PENDING: &str = "…";
/// The read failed.
pub const UNREADABLE: &str = "?";

/// What an event did, short: `dry_run -> enabled`, `token rotated`, `+ runner #3`.
pub fn action(a: &Action) -> String {
    match a {
        Action::Created { state: Some(s) } => format!("created ({s})"),
        Action::Created { state: None } => "created".into(),
        Action::Updated {
            state: Some((from, to)),
        } => format!("{from} -> {to}"),
        Action::Updated { state: None } => "updated".into(),
        Action::Deleted => "deleted".into(),
        Action::Token(TokenAction::Created) => "token created".into(),
        Action::Token(TokenAction::Rotated) => "token rotated".into(),
        Action::Token(TokenAction::Revoked) => "token revoked".into(),
        Action::InstanceScope { added: true } => "+ instance scope".into(),
        Action::InstanceScope { added: false } => "- instance scope".into(),
        Action::RunnerScope { added, runner } => format!(
            "{} runner scope{}",
            if *added { "+" } else { "-" },
            runner.map(|r| format!(" #{r}")).unwrap_or_default()
        ),
        Action::Other(name) if name.is_empty() => "event".into(),
        Action::Other(name) => name.clone(),
    }
}

/// Who: the author's name, else `user N`.
pub fn author(e: &ServerEvent) -> String {
    match (&e.author, e.author_id) {
        (Some(a), _) => a.clone(),
        (None, Some(id)) => format!("user {id}"),
        (None, None) => "someone".into(),
    }
}

/// One line: `Alice Admin · enabled -> dry_run · 2d ago`.
pub fn event_line(e: &ServerEvent, now: Timestamp) -> String {
    let when =
        e.at.as_ref()
            .map(|t| format!(" · {} ago", fmt::ago(now, t.at())))
            .unwrap_or_default();
    format!("{} · {}{when}", author(e), action(&e.action))
}

/// Why the server's history is not shown, in one short line.
pub fn unavailable(u: Unavailable, error: Option<&str>) -> String {
    match u {
        Unavailable::Unlicensed => {
            "GitLab has no audit events here (404: no Premium/Ultimate, or too old)".into()
        }
        Unavailable::Forbidden => "GitLab shows audit events to administrators only (403)".into(),
        Unavailable::Failed => format!(
            "GitLab's audit events could not be read: {}",
            error.unwrap_or("no answer")
        ),
    }
}

/// Above the local audit log shown instead.
pub const LOCAL_INSTEAD: &str = "This machine's audit log instead:";
