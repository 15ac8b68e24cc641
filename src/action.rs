//! Everything the reducer consumes: user intents (imperative: `Refresh`, `ToggleDryRun`) and
//! results of effects (past tense: `ControllersLoaded`). Plain data, no behaviour.

use std::sync::Arc;

use crate::api::ApiError;
use crate::audit::AuditEntry;
use crate::domain::{
    ControllerToken, ControllerUpdate, Deprecation, Job, NewToken, RunnerController, Scopes,
    Session, Timestamp,
};
use crate::effect::{ReqId, ScopeChange};
use crate::state::Pane;

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

#[derive(Debug, Clone)]
pub enum Action {
    /// The slow clock; the only way time enters the reducer.
    Tick {
        now: Timestamp,
    },
    /// The terminal changed size: redraw.
    Resize,
    Quit,
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
    /// Esc: close the top dialog, the detail, or clear the flash.
    Back,
    Refresh,
    TogglePause,
    /// `n`: a new controller or a runner request, by focused pane.
    New,
    EditDescription,
    PickState,
    ToggleDryRun,
    /// `ctrl-d`: delete a controller / release a booking (always asks).
    Delete,
    /// `+`: extend the selected booking.
    Extend,
    Copy,
    /// `r` in the detail: rotate the selected token.
    Rotate,
    /// `i` in the detail: add the instance scope.
    AddInstanceScope,
    /// `a` in the detail: scope a runner by id.
    AddRunnerScope,
    /// `z`: undo the last state or description change of this run.
    Undo,
    /// `:`: the command line.
    CommandLine,
    /// `/`: filter the focused pane.
    Filter,
    /// `y`: the raw JSON of the selected object.
    Raw,
    /// `space`: mark the selected controller for a bulk change.
    Mark,
    /// A key that would change something, pressed in read-only mode.
    ReadOnly,

    // Inside dialogs.
    Edit(Edit),
    NextField,
    PrevField,
    Submit,
    Answer(bool),

    // Results.
    ControllersLoaded {
        req: ReqId,
        result: Result<Vec<RunnerController>, ApiError>,
    },
    ControllerLoaded {
        req: ReqId,
        result: Result<RunnerController, ApiError>,
    },
    ControllerCreated {
        result: Result<RunnerController, ApiError>,
    },
    ControllerUpdated {
        id: i64,
        result: Result<RunnerController, ApiError>,
    },
    ControllerDeleted {
        id: i64,
        result: Result<(), ApiError>,
    },
    /// The controller changed on the server since the screen loaded it; nothing was sent.
    ControllerChangedElsewhere {
        id: i64,
        update: ControllerUpdate,
        server: RunnerController,
    },
    TokensLoaded {
        req: ReqId,
        id: i64,
        result: Result<Vec<ControllerToken>, ApiError>,
    },
    ScopesLoaded {
        req: ReqId,
        id: i64,
        result: Result<Scopes, ApiError>,
    },
    /// A token was created (`rotated: Some(old id)` when it replaced one).
    TokenIssued {
        id: i64,
        rotated: Option<i64>,
        result: Result<Arc<NewToken>, ApiError>,
    },
    TokenRevoked {
        id: i64,
        token_id: i64,
        result: Result<(), ApiError>,
    },
    ScopeChanged {
        id: i64,
        change: ScopeChange,
        result: Result<(), ApiError>,
    },
    AuditLoaded {
        result: Result<Vec<AuditEntry>, String>,
    },
    RawLoaded {
        result: Result<serde_json::Value, ApiError>,
    },
    SessionsLoaded {
        req: ReqId,
        result: Result<Vec<Session>, ApiError>,
    },
    RunnerRequested {
        local_id: u64,
        result: Result<Job, ApiError>,
    },
    JobPolled {
        local_id: u64,
        result: Result<Job, ApiError>,
    },
    SessionExtended {
        id: String,
        result: Result<Session, ApiError>,
    },
    SessionReleased {
        id: String,
        result: Result<(), ApiError>,
    },
    Deprecated(Deprecation),
}
