//! What a flash says, as facts: `ui/words` turns each note into a sentence. A note never holds a
//! token secret (a new token is known here only by its id).

use crate::api::ApiError;
use crate::domain::{
    ControllerId, ControllerState, Deprecation, JobId, RunnerController, RunnerId, Session,
    SessionId, TokenId,
};
use crate::ops::{Change, Refusal, ScopeChange};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Info,
    /// Under way: not a success yet.
    Progress,
    Warn,
    Error,
}

/// Why `z` cannot go back over a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Irreversible {
    Delete(ControllerId),
    TokenChange,
    TokenRevoke,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Note {
    // Listings.
    ControllersFailed(ApiError),
    SessionsFailed(ApiError),
    // A change on its way, and its end.
    Sending(Change),
    Undoing(ControllerId),
    SendingMany {
        n: usize,
        change: ManyKind,
    },
    /// Some marked controllers were left out: a change of theirs is still on its way.
    SkippedBusy(usize),
    Failed {
        change: Change,
        error: ApiError,
    },
    Refused(Refusal),
    Created(RunnerController),
    /// `state_changed`: whether the state moved (else only the description).
    Updated {
        after: RunnerController,
        state_changed: bool,
    },
    /// The server already had it: nothing was sent.
    AlreadySo(RunnerController),
    Deleted(ControllerId),
    TokenIssued {
        id: ControllerId,
        token: TokenId,
        rotated: Option<TokenId>,
    },
    TokenRevoked {
        id: ControllerId,
        token: TokenId,
    },
    ScopeChanged {
        id: ControllerId,
        change: ScopeChange,
    },
    RunnerRequested {
        assembly: String,
        job: JobId,
    },
    RequestUnclear {
        assembly: String,
        error: ApiError,
    },
    RunnerReady {
        assembly: String,
        tag: Option<String>,
    },
    JobFailed {
        assembly: String,
        job: JobId,
        why: Option<String>,
    },
    FollowRetrying {
        assembly: String,
        error: ApiError,
    },
    FollowFailed {
        assembly: String,
        error: ApiError,
    },
    Extended {
        session: Session,
    },
    Released(SessionId),
    // Refused or pointless before anything was sent.
    Busy(ControllerId),
    NothingChanged(ControllerId),
    UnknownState {
        id: ControllerId,
        state: String,
    },
    AlreadyInState {
        id: ControllerId,
        state: ControllerState,
    },
    MarkedAlready(ControllerState),
    AlreadyInstanceScoped(ControllerId),
    HasRunnerScopes(ControllerId),
    HasInstanceScope(ControllerId),
    AlreadyScoped {
        id: ControllerId,
        runner: RunnerId,
    },
    SelectToken,
    SelectTokenOrScope,
    NoTagYet,
    SessionGone(SessionId),
    RequestDismissed {
        assembly: String,
    },
    RequestStillFollowed,
    VehaasNotConfigured,
    // Undo.
    NothingToUndo,
    CannotUndo(Irreversible),
    UndoGone(ControllerId),
    AlreadyAsBefore(ControllerId),
    // Confirmations.
    TypeToConfirm {
        words: Option<String>,
    },
    CheckingScopes,
    InstanceScopeTypeId,
    QuestionDropped(ControllerId),
    ReadOnlyQuestionDropped,
    ReadOnlyKey,
    ReadOnlyNothing,
    ReadOnlyNow,
    QuitWaiting(usize),
    // Copies.
    CopiedId(ControllerId),
    CopiedSecret,
    CopiedJson,
    CopiedTag(String),
    // The run.
    Paused(bool),
    /// Whether the mouse is now captured.
    Mouse(bool),
    Deprecated(Deprecation),
    Contexts {
        current: String,
        all: Vec<String>,
    },
    AlreadyOnContext(String),
    SwitchingContext(String),
    NowOnContext(String),
    ContextFailed {
        name: String,
        error: String,
    },
    ConfigWarning(String),
}

/// What a bulk change does to each marked controller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ManyKind {
    SetState(ControllerState),
    Delete,
}

impl Note {
    pub fn level(&self) -> Level {
        use Note::*;
        match self {
            ControllersFailed(_)
            | SessionsFailed(_)
            | Failed { .. }
            | JobFailed { .. }
            | FollowFailed { .. }
            | ContextFailed { .. } => Level::Error,
            Sending(_)
            | Undoing(_)
            | SendingMany { .. }
            | SwitchingContext(_)
            | CheckingScopes
            | QuitWaiting(_) => Level::Progress,
            Refused(_)
            | SkippedBusy(_)
            | RequestUnclear { .. }
            | FollowRetrying { .. }
            | Busy(_)
            | UnknownState { .. }
            | AlreadyInstanceScoped(_)
            | HasRunnerScopes(_)
            | HasInstanceScope(_)
            | AlreadyScoped { .. }
            | SelectToken
            | SelectTokenOrScope
            | NoTagYet
            | SessionGone(_)
            | RequestStillFollowed
            | VehaasNotConfigured
            | CannotUndo(_)
            | UndoGone(_)
            | TypeToConfirm { .. }
            | InstanceScopeTypeId
            | ReadOnlyKey
            | ReadOnlyNothing
            | Deprecated(_)
            | ConfigWarning(_) => Level::Warn,
            _ => Level::Info,
        }
    }
}
