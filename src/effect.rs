//! What the reducer asks the world to do, as plain data. The executor turns each effect into
//! reads or an `ops` change whose result comes back as an `Outcome`; nothing here does I/O.

use std::sync::Arc;
use std::time::Duration;

use crate::domain::{ControllerId, JobId, NewToken, RequestKey};
use crate::ops::Change;

/// Identifies one read so that the reducer can drop answers that are no longer the latest.
pub type ReqId = u64;

/// Identifies one change on its way, so its outcome finds what it was about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ChangeId(pub u64);

/// A read. Reads of the same `slot` supersede each other: the executor cancels the older one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Load {
    Controllers {
        req: ReqId,
    },
    Controller {
        req: ReqId,
        id: ControllerId,
    },
    Tokens {
        req: ReqId,
        id: ControllerId,
    },
    Scopes {
        req: ReqId,
        id: ControllerId,
    },
    /// The controller exactly as GitLab serves it, for `y`.
    Raw {
        req: ReqId,
        id: ControllerId,
    },
    /// The audit log (newest first), for `:log`.
    Audit,
    Sessions {
        req: ReqId,
    },
}

/// Where a read's answer goes; a newer read of the same slot makes an older one pointless.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Slot {
    Controllers,
    Sessions,
    Detail,
    Tokens,
    Raw,
}

impl Load {
    /// The slot of a read that a newer one supersedes (scopes are per controller and kept).
    pub fn slot(&self) -> Option<Slot> {
        match self {
            Self::Controllers { .. } => Some(Slot::Controllers),
            Self::Sessions { .. } => Some(Slot::Sessions),
            Self::Controller { .. } => Some(Slot::Detail),
            Self::Tokens { .. } => Some(Slot::Tokens),
            Self::Raw { .. } => Some(Slot::Raw),
            Self::Scopes { .. } | Self::Audit => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Load(Load),
    /// A change through `ops`; its outcome is `Outcome::Changed { id, .. }`.
    Change {
        id: ChangeId,
        change: Change,
    },
    /// Poll a job after `after` (the backoff is the reducer's).
    PollJob {
        key: RequestKey,
        job: JobId,
        after: Duration,
    },
    /// Put text on the clipboard of the terminal (OSC 52).
    Copy {
        text: String,
    },
    /// Put a new token's secret on the clipboard; it is wiped right after.
    CopySecret {
        token: SharedToken,
    },
    /// Capture the mouse (click, wheel) or give it back to the terminal.
    MouseCapture(bool),
    /// `:ctx NAME`: the app opens the other instance's clients off the event loop.
    SwitchContext {
        name: String,
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
