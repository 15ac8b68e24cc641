//! What the linter reads about one controller: the row, what `GET /runner_controllers/:id`
//! says of `connected`, its scopes, its active tokens and the runners it is scoped to. Each
//! is `None` while not known; a rule only judges what is known.

use crate::domain::{ControllerToken, RunnerController, RunnerId, Scopes};

/// `status` of `GET /api/v4/runners/:id`; an unknown value is kept as it came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunnerStatus {
    Online,
    Offline,
    Stale,
    NeverContacted,
    Other(String),
}

impl RunnerStatus {
    pub fn parse(s: &str) -> Self {
        match s.trim().to_ascii_lowercase().as_str() {
            "online" => Self::Online,
            "offline" => Self::Offline,
            "stale" => Self::Stale,
            "never_contacted" | "not_connected" => Self::NeverContacted,
            other => Self::Other(other.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Self::Online => "online",
            Self::Offline => "offline",
            Self::Stale => "stale",
            Self::NeverContacted => "never_contacted",
            Self::Other(s) => s,
        }
    }
}

/// A runner as GitLab serves it (the fields the findings need).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Runner {
    pub id: RunnerId,
    pub description: Option<String>,
    /// `instance_type`, `group_type`, `project_type`.
    pub runner_type: Option<String>,
    pub status: RunnerStatus,
    /// `paused`, or on older servers `!active`.
    pub paused: bool,
}

/// What reading a runner found: the runner, or a 404 (it was deleted; its scope stays).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunnerSeen {
    Found(Runner),
    Gone,
}

/// Everything known of one controller, borrowed from wherever it is cached.
pub struct Facts<'a> {
    pub controller: &'a RunnerController,
    /// From `GET /runner_controllers/:id` (the list does not carry it); `None`: not known,
    /// or a server older than 18.10 that does not report it.
    pub connected: Option<bool>,
    pub scopes: Option<&'a Scopes>,
    /// The active tokens.
    pub tokens: Option<&'a [ControllerToken]>,
    /// The runner of a runner scope, when it has been read.
    pub runner: &'a dyn Fn(RunnerId) -> Option<&'a RunnerSeen>,
}

impl<'a> Facts<'a> {
    /// Facts with nothing known but the row.
    pub fn row(controller: &'a RunnerController) -> Self {
        Self {
            controller,
            connected: controller.connected,
            scopes: None,
            tokens: None,
            runner: &|_| None,
        }
    }
}
