//! What the reducer asks the world to do, as plain data. `runner.rs` turns each effect into an
//! API call whose result comes back as an `Action`; nothing here performs I/O.

use std::time::Duration;

use crate::domain::{ControllerState, ControllerUpdate, RunnerRequest, Timestamp};

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
    UpdateController {
        id: i64,
        update: ControllerUpdate,
    },
    DeleteController {
        id: i64,
        if_unmodified_since: Option<Timestamp>,
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
}
