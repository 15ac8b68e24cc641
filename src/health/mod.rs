//! The findings linter of admission control, pure: from what is known of a controller (its
//! row, `connected`, scopes, active tokens, the runners it is scoped to) to findings, each a
//! fact with a level. `ui::words::health` words each one with its fix; nothing here does I/O
//! or reads a clock (the caller passes `now`). Rules only judge what is known.

pub mod events;
mod facts;
#[cfg(test)]
mod tests;

use jiff::{SignedDuration, Timestamp};
use serde::Deserialize;

pub use facts::{Facts, Runner, RunnerSeen, RunnerStatus};

use crate::domain::{ControllerId, ControllerState, RunnerId, TokenId};

/// `[health]` in the config: when a finding starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Thresholds {
    /// A controller in `dry_run` for longer than this (days since its last change) is
    /// reported: enable or disable it.
    pub dry_run_days: u32,
    /// An active token unused for longer than this (or never used and older than this) is a
    /// warning.
    pub token_unused_days: u32,
}

impl Default for Thresholds {
    fn default() -> Self {
        Self {
            dry_run_days: 14,
            token_unused_days: 30,
        }
    }
}

/// How bad a finding is; `Warn` sorts first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Admission control does not do what the state says, or a credential lies around:
    /// `rc lint` fails.
    Warn,
    /// Worth a look, nothing is broken.
    Info,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Warn => "warn",
            Self::Info => "info",
        }
    }
}

/// Why a runner scope is of no use right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Trouble {
    /// 404: the runner was deleted, its scope stayed.
    Gone,
    /// No contact for more than a week.
    Stale,
    NeverContacted,
    /// No contact for more than two hours.
    Offline,
    Paused,
}

/// What is wrong, as facts; in the order the rules run.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// Enabled (`enforcing`) or dry_run with no scope: it receives nothing.
    NoScope { enforcing: bool },
    /// Enabled, but no active token was used in the last hour.
    NotConnected,
    /// Enabled or dry_run, and no active token at all.
    NoActiveToken,
    /// In dry_run for `days` days (since its last change).
    LongDryRun { days: i64 },
    /// An active token never used; `age_days` since it was created, when known.
    TokenNeverUsed {
        token: TokenId,
        age_days: Option<i64>,
    },
    /// An active token last used `days` days ago.
    TokenUnused { token: TokenId, days: i64 },
    /// More than one active token.
    SeveralTokens { count: usize },
    /// A runner scope on a runner that cannot run jobs.
    Runner { runner: RunnerId, trouble: Trouble },
}

impl Kind {
    /// The rule's stable name, for JSON and scripts.
    pub fn rule(&self) -> &'static str {
        match self {
            Self::NoScope { .. } => "no_scope",
            Self::NotConnected => "not_connected",
            Self::NoActiveToken => "no_active_token",
            Self::LongDryRun { .. } => "long_dry_run",
            Self::TokenNeverUsed { .. } => "token_never_used",
            Self::TokenUnused { .. } => "token_unused",
            Self::SeveralTokens { .. } => "several_tokens",
            Self::Runner { trouble, .. } => match trouble {
                Trouble::Gone => "runner_gone",
                Trouble::Stale => "runner_stale",
                Trouble::NeverContacted => "runner_never_contacted",
                Trouble::Offline => "runner_offline",
                Trouble::Paused => "runner_paused",
            },
        }
    }
}

/// One finding on one controller.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Finding {
    pub level: Level,
    pub controller: ControllerId,
    pub kind: Kind,
}

/// Worst first: warnings, then by controller, then in rule order.
pub fn sort(findings: &mut [Finding]) {
    findings.sort();
}

/// The worst level among `findings`.
pub fn worst(findings: &[Finding]) -> Option<Level> {
    findings.iter().map(|f| f.level).min()
}

fn days(now: Timestamp, then: Timestamp) -> i64 {
    now.duration_since(then).as_hours() / 24
}

fn older_than(now: Timestamp, then: Timestamp, limit_days: u32) -> bool {
    now.duration_since(then) > SignedDuration::from_hours(24 * i64::from(limit_days))
}

/// Every finding on one controller, worst first.
pub fn lint(f: &Facts<'_>, now: Timestamp, t: &Thresholds) -> Vec<Finding> {
    let c = f.controller;
    let mut out = Vec::new();
    let mut add = |level, kind| {
        out.push(Finding {
            level,
            controller: c.id,
            kind,
        })
    };
    let live = matches!(c.state, ControllerState::Enabled | ControllerState::DryRun);
    if let Some(s) = f.scopes
        && live
        && s.instance.is_none()
        && s.runners.is_empty()
    {
        add(
            Level::Warn,
            Kind::NoScope {
                enforcing: c.state == ControllerState::Enabled,
            },
        );
    }
    if c.state == ControllerState::Enabled && f.connected == Some(false) {
        add(Level::Warn, Kind::NotConnected);
    }
    if live && f.tokens.is_some_and(<[_]>::is_empty) {
        add(Level::Warn, Kind::NoActiveToken);
    }
    if c.state == ControllerState::DryRun
        && let Some(at) = &c.updated_at
        && older_than(now, at.at(), t.dry_run_days)
    {
        add(
            Level::Info,
            Kind::LongDryRun {
                days: days(now, at.at()),
            },
        );
    }
    for kind in token_findings(f, now, t) {
        add(kind.0, kind.1);
    }
    for kind in runner_findings(f) {
        add(kind.0, kind.1);
    }
    sort(&mut out);
    out
}

fn token_findings(f: &Facts<'_>, now: Timestamp, t: &Thresholds) -> Vec<(Level, Kind)> {
    let Some(tokens) = f.tokens else {
        return Vec::new();
    };
    let mut out = Vec::new();
    // A server that does not report `connected` (older than 18.10) does not send
    // `last_used_at` either: its missing times say nothing about use.
    if f.connected.is_some() {
        for tok in tokens {
            match &tok.last_used_at {
                None => {
                    let created = tok.created_at.as_ref().map(|c| c.at());
                    let old = created.is_some_and(|c| older_than(now, c, t.token_unused_days));
                    let level = if old { Level::Warn } else { Level::Info };
                    let age_days = created.map(|c| days(now, c));
                    out.push((
                        level,
                        Kind::TokenNeverUsed {
                            token: tok.id,
                            age_days,
                        },
                    ));
                }
                Some(used) if older_than(now, used.at(), t.token_unused_days) => {
                    out.push((
                        Level::Warn,
                        Kind::TokenUnused {
                            token: tok.id,
                            days: days(now, used.at()),
                        },
                    ));
                }
                Some(_) => {}
            }
        }
    }
    if tokens.len() > 1 {
        out.push((
            Level::Info,
            Kind::SeveralTokens {
                count: tokens.len(),
            },
        ));
    }
    out
}

fn runner_findings(f: &Facts<'_>) -> Vec<(Level, Kind)> {
    let Some(s) = f.scopes else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for scope in &s.runners {
        let runner = scope.runner_id;
        let mut add = |level, trouble| out.push((level, Kind::Runner { runner, trouble }));
        match (f.runner)(runner) {
            None => {}
            Some(RunnerSeen::Gone) => add(Level::Warn, Trouble::Gone),
            Some(RunnerSeen::Found(r)) => {
                match r.status {
                    RunnerStatus::Stale => add(Level::Warn, Trouble::Stale),
                    RunnerStatus::NeverContacted => add(Level::Info, Trouble::NeverContacted),
                    RunnerStatus::Offline => add(Level::Info, Trouble::Offline),
                    RunnerStatus::Online | RunnerStatus::Other(_) => {}
                }
                if r.paused {
                    add(Level::Info, Trouble::Paused);
                }
            }
        }
    }
    out
}
