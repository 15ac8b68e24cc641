//! What the reducer asks the world to do, as plain data. `runner.rs` turns each effect into an
//! API call whose result comes back as an `Action`; nothing here performs I/O.

use std::sync::Arc;
use std::time::Duration;

use crate::domain::{ControllerState, ControllerUpdate, NewToken, RunnerRequest, Timestamp};

/// Identifies one request so that the reducer can drop answers that are no longer the latest.
pub type ReqId = u64;

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    LoadControllers {
        req: ReqId,
    },
    LoadController {
        req: ReqId,
        id: i64,
    },
    CreateController {
        description: Option<String>,
        state: ControllerState,
    },
    /// With `expected`, the runner first GETs the controller and, if its `updated_at` differs,
    /// answers `ControllerChangedElsewhere` instead of changing it.
    UpdateController {
        id: i64,
        update: ControllerUpdate,
        expected: Option<Timestamp>,
    },
    DeleteController {
        id: i64,
        if_unmodified_since: Option<Timestamp>,
    },
    LoadTokens {
        req: ReqId,
        id: i64,
    },
    LoadScopes {
        req: ReqId,
        id: i64,
    },
    CreateToken {
        id: i64,
        description: Option<String>,
    },
    RotateToken {
        id: i64,
        token_id: i64,
    },
    RevokeToken {
        id: i64,
        token_id: i64,
    },
    ChangeScope {
        id: i64,
        change: ScopeChange,
    },
    /// Read the audit log (newest first) for `:log`.
    LoadAudit,
    /// The controller exactly as GitLab serves it, for `y`.
    LoadRaw {
        id: i64,
    },
    LoadSessions {
        req: ReqId,
    },
    /// `POST /jobs`: sent once, never retried.
    RequestRunner {
        local_id: u64,
        request: RunnerRequest,
    },
    /// Poll a job after `after` (backoff is decided by the reducer).
    PollJob {
        local_id: u64,
        job_id: String,
        after: Duration,
    },
    ExtendSession {
        id: String,
        new_end: Timestamp,
    },
    ReleaseSession {
        id: String,
    },
    /// Put text on the clipboard of the terminal (OSC 52).
    Copy {
        text: String,
    },
    /// `:ctx NAME`: the app opens the other instance's clients and starts a fresh state.
    SwitchContext {
        name: String,
    },
    /// Put a new token's secret on the clipboard; it is wiped right after.
    CopySecret {
        token: SharedToken,
    },
}

/// A new token shared between the dialog and a copy effect; equal when it is the same token.
#[derive(Debug, Clone)]
pub struct SharedToken(pub Arc<NewToken>);

impl PartialEq for SharedToken {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// Adding or removing a scope of a controller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScopeChange {
    AddInstance,
    RemoveInstance,
    AddRunner(i64),
    RemoveRunner(i64),
}

impl ScopeChange {
    pub fn describe(&self) -> String {
        match self {
            Self::AddInstance => "add the instance scope".into(),
            Self::RemoveInstance => "remove the instance scope".into(),
            Self::AddRunner(r) => format!("scope runner #{r}"),
            Self::RemoveRunner(r) => format!("unscope runner #{r}"),
        }
    }
}
