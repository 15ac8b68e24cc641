//! What the reducer consumes: `Intent`s (what the user asks for, from the keymap) and
//! `Outcome`s (what came back from the world, from the executor), kept apart so a dialog, which
//! only ever sees intents, can never swallow an answer. Plain data, no behaviour.

use std::sync::Arc;

use crate::api::ApiError;
use crate::audit::AuditEntry;
use crate::domain::{
    ControllerId, ControllerToken, Deprecation, Job, RequestKey, RunnerController, RunnerId,
    Scopes, Session, Timestamp,
};
use crate::effect::{ChangeId, ReqId};
use crate::health::RunnerSeen;
use crate::health::events::ServerEvent;
use crate::ops::{Done, OpError};
use crate::state::{Pane, SortColumn};

/// Everything that reaches the reducer.
#[derive(Debug, Clone)]
// One value at a time, moved rarely: boxing the big variant would only add indirection.
#[allow(clippy::large_enum_variant)]
pub enum Msg {
    /// The slow clock; the only way time enters the reducer.
    Tick {
        now: Timestamp,
    },
    /// The terminal changed size: redraw.
    Resize,
    Intent(Intent),
    Outcome(Outcome),
}

impl From<Intent> for Msg {
    fn from(i: Intent) -> Self {
        Self::Intent(i)
    }
}

impl From<Outcome> for Msg {
    fn from(o: Outcome) -> Self {
        Self::Outcome(o)
    }
}

/// A key press inside a text field, already decoded by the keymap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    Char(char),
    Backspace,
    Delete,
    Left,
    Right,
    Home,
    End,
    Clear,
}

/// What the user asks for. Names in the keymap (`toggle_dry_run`) map onto these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Intent {
    /// `q` / `ctrl-c`: quit (asks first when a change is on its way).
    Quit,
    /// In the quit question: stop waiting for the changes on their way.
    QuitAnyway,
    /// In the quit question: quit once every change on its way has its answer.
    QuitWhenDone,
    Help,
    Up,
    Down,
    Top,
    Bottom,
    PageUp,
    PageDown,
    FocusNext,
    FocusPrev,
    Focus(Pane),
    OpenDetail,
    /// Esc: close the top dialog, the detail, the marks, the filter, or the flash.
    Back,
    Refresh,
    TogglePause,
    /// `n`: a new controller, token or runner request, by where the user is.
    New,
    EditDescription,
    PickState,
    ToggleDryRun,
    /// `ctrl-d`: delete a controller, revoke a token, remove a scope, release a booking.
    Delete,
    Extend,
    Copy,
    Rotate,
    AddInstanceScope,
    AddRunnerScope,
    Undo,
    CommandLine,
    Filter,
    Raw,
    Mark,
    /// Sort the controllers by a column; the same column again reverses it.
    Sort(SortColumn),
    /// A key bound to a change, pressed in read-only mode.
    ReadOnly,
    /// `ctrl-z`: give the terminal back to the shell until `fg`.
    Suspend,
    /// `m`: capture the mouse, or give it back to the terminal (its text selection).
    ToggleMouse,
    /// A click on a pane, and on the `row`-th row of its list when it hit one.
    Click {
        pane: Pane,
        row: Option<usize>,
    },
    /// The wheel over a pane: the selection moves.
    Wheel {
        pane: Pane,
        down: bool,
    },
    /// `v` in the bookings pane: the table or the timeline.
    ToggleTimeline,
    /// `+` / `-` on the timeline: fewer or more hours across.
    ZoomIn,
    ZoomOut,
    // Inside dialogs.
    Edit(Edit),
    /// Text pasted at once (bracketed paste).
    Paste(String),
    NextField,
    PrevField,
    /// The `:` line: tab completes.
    Complete,
    /// The `:` line: up / down through the commands run before.
    HistoryBack,
    HistoryForward,
    Submit,
    Answer(bool),
}

/// What came back. Each read carries the request id it answers (latest wins); each change the
/// id the reducer gave it.
#[derive(Debug, Clone)]
pub enum Outcome {
    ControllersLoaded {
        req: ReqId,
        result: Result<Vec<RunnerController>, ApiError>,
    },
    /// Page 1 of a listing with more pages on their way: drawn at once on a first load.
    ControllersFirstPage {
        req: ReqId,
        rows: Vec<RunnerController>,
    },
    ControllerLoaded {
        req: ReqId,
        result: Result<RunnerController, ApiError>,
    },
    TokensLoaded {
        req: ReqId,
        id: ControllerId,
        result: Result<Vec<ControllerToken>, ApiError>,
    },
    ScopesLoaded {
        req: ReqId,
        id: ControllerId,
        result: Result<Scopes, ApiError>,
    },
    RawLoaded {
        req: ReqId,
        result: Result<serde_json::Value, ApiError>,
    },
    AuditLoaded {
        result: Result<Vec<AuditEntry>, String>,
    },
    SessionsLoaded {
        req: ReqId,
        result: Result<Vec<Session>, ApiError>,
    },
    JobPolled {
        key: RequestKey,
        result: Result<Job, ApiError>,
    },
    /// A change finished, one way or the other.
    Changed {
        id: ChangeId,
        result: Result<Done, OpError>,
    },
    Deprecated(Deprecation),
    /// A pane's listing failed and is asked again after `wait` (reads only).
    Retrying {
        pane: Pane,
        wait: std::time::Duration,
        reason: crate::api::RetryReason,
    },
    /// `:ctx NAME` opened the other instance (the app swapped the state); its warnings.
    ContextSwitched {
        name: String,
        warnings: Arc<Vec<String>>,
    },
    ContextFailed {
        name: String,
        error: String,
    },
    /// A background health read came back.
    VitalLoaded {
        req: ReqId,
        answer: VitalAnswer,
    },
    EventsLoaded {
        req: ReqId,
        result: Result<Vec<ServerEvent>, ApiError>,
    },
    LocalAuditLoaded {
        req: ReqId,
        result: Result<Vec<AuditEntry>, String>,
    },
}

/// The answer of one background health read, by what it read.
#[derive(Debug, Clone)]
pub enum VitalAnswer {
    Controller {
        id: ControllerId,
        result: Result<RunnerController, ApiError>,
    },
    Scopes {
        id: ControllerId,
        result: Result<Scopes, ApiError>,
    },
    Tokens {
        id: ControllerId,
        result: Result<Vec<ControllerToken>, ApiError>,
    },
    Runner {
        id: RunnerId,
        result: Result<RunnerSeen, ApiError>,
    },
}
