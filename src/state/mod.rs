//! The one `State` of the program and the pure reducer `update(&mut State, Action) -> Vec<Effect>`.
//! No I/O, no clock, no channels here: time arrives as `Action::Tick`, work leaves as `Effect`s.

mod bookings;
mod bulk;
mod changes;
mod controller_form;
pub(crate) mod controllers;
mod detail;
mod dialog;
mod filter;
mod forms;
pub mod preview;
mod remote;
mod runner_form;

use std::time::Duration;

pub use bookings::{Bookings, PendingRequest, RequestPhase, Row as BookingRow, poll_delay};
pub use controllers::{Controllers, meaning};
pub use detail::{Detail, DetailRow};
pub use dialog::{
    Confirm, ControllerForm, Dialog, FormMode, Op, RunnerForm, StatePicker, TextForm, TextPurpose,
};
pub use filter::Filter;
pub use remote::{Health, Remote, RemoteError};

use crate::action::Action;
use crate::api::ApiError;
use crate::domain::{Deprecation, Timestamp};
use crate::effect::{Effect, ReqId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Pane {
    Controllers,
    Bookings,
}

/// What the header shows about where we are connected; fixed for a run.
#[derive(Debug, Clone)]
pub struct Context {
    pub instance_name: String,
    pub gitlab_url: String,
    /// `env GITLAB_TOKEN`, `command`, `file`: where the token came from, never the token.
    pub credential: String,
    pub color: Option<String>,
    pub read_only: bool,
    pub vehaas_url: Option<String>,
    pub demo: bool,
    /// Zone for clock times on screen (the system zone in the app, UTC in tests).
    pub tz: jiff::tz::TimeZone,
    /// The configured context in use, and every context there is (for `:ctx`).
    pub context_name: String,
    pub contexts: Vec<String>,
}

impl Default for Context {
    fn default() -> Self {
        Self {
            instance_name: String::new(),
            gitlab_url: String::new(),
            credential: String::new(),
            color: None,
            read_only: false,
            vehaas_url: None,
            demo: false,
            tz: jiff::tz::TimeZone::UTC,
            context_name: crate::config::DEFAULT_CONTEXT.to_string(),
            contexts: vec![crate::config::DEFAULT_CONTEXT.to_string()],
        }
    }
}

#[derive(Debug, Clone)]
pub struct Settings {
    /// `None`: no auto-refresh.
    pub refresh_every: Option<Duration>,
    pub flash_for: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            refresh_every: Some(Duration::from_secs(15)),
            flash_for: Duration::from_secs(6),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Info,
    Warn,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flash {
    pub level: Level,
    pub text: String,
    pub expires: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    /// Increasing number of the entry in this run (the app logs each one once).
    pub seq: u64,
    pub at: Timestamp,
    pub level: Level,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct State {
    pub now: Timestamp,
    pub context: Context,
    pub settings: Settings,
    pub focus: Pane,
    pub controllers: Controllers,
    pub bookings: Bookings,
    pub dialog: Option<Dialog>,
    /// Dialogs opened by results while another was open (a new secret never replaces a
    /// half-answered question, and is never lost); shown in turn.
    pub queued: std::collections::VecDeque<Dialog>,
    pub flash: Option<Flash>,
    /// Every flash, newest last (bounded), for the error history.
    pub history: Vec<HistoryEntry>,
    /// A server said something is deprecated: shown in the header for the rest of the run.
    pub banner: Option<String>,
    pub paused: bool,
    pub quit: bool,
    /// Something visible changed since the last draw.
    pub dirty: bool,
    /// Spinner frame, advanced by ticks while anything loads.
    pub spinner: usize,
    next_id: u64,
}

const HISTORY_MAX: usize = 200;

impl State {
    pub fn new(now: Timestamp, context: Context, settings: Settings) -> Self {
        let vehaas = context.vehaas_url.is_some();
        Self {
            now,
            context,
            settings,
            focus: Pane::Controllers,
            controllers: Controllers::default(),
            bookings: Bookings::new(vehaas),
            dialog: None,
            queued: std::collections::VecDeque::new(),
            flash: None,
            history: Vec::new(),
            banner: None,
            paused: false,
            quit: false,
            dirty: true,
            spinner: 0,
            next_id: 1,
        }
    }

    /// The effects to run at start: load both panes.
    pub fn init(&mut self) -> Vec<Effect> {
        let mut fx = Vec::new();
        self.load_controllers(&mut fx);
        self.load_sessions(&mut fx);
        fx
    }

    pub fn next_id(&mut self) -> ReqId {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    pub fn is_loading(&self) -> bool {
        self.controllers.remote.is_loading()
            || self.bookings.remote.is_loading()
            || self
                .controllers
                .detail
                .as_ref()
                .is_some_and(|d| d.remote.is_loading())
            || self.bookings.requests.iter().any(|r| !r.is_done())
    }

    /// A recovered pane takes back its own failure message.
    pub fn clear_flash_starting(&mut self, prefix: &str) {
        if self
            .flash
            .as_ref()
            .is_some_and(|f| f.text.starts_with(prefix))
        {
            self.flash = None;
        }
    }

    /// Opens a dialog on behalf of a result: queued if one is already open.
    pub fn open_dialog(&mut self, d: Dialog) {
        if self.dialog.is_some() {
            self.queued.push_back(d);
        } else {
            self.dialog = Some(d);
        }
    }

    pub fn flash(&mut self, level: Level, text: impl Into<String>) {
        let text = text.into();
        let seq = self.history.last().map_or(1, |h| h.seq + 1);
        self.history.push(HistoryEntry {
            seq,
            at: self.now,
            level,
            text: text.clone(),
        });
        if self.history.len() > HISTORY_MAX {
            self.history.remove(0);
        }
        let expires = self
            .now
            .checked_add(self.settings.flash_for)
            .unwrap_or(self.now);
        self.flash = Some(Flash {
            level,
            text,
            expires,
        });
    }

    pub fn flash_error(&mut self, what: &str, e: &ApiError) {
        self.flash(Level::Error, format!("{what}: {e}"));
    }

    fn load_controllers(&mut self, fx: &mut Vec<Effect>) {
        let req = self.next_id();
        self.controllers.remote.start(req);
        self.controllers.requested_at = Some(self.now);
        fx.push(Effect::LoadControllers { req });
    }

    fn load_sessions(&mut self, fx: &mut Vec<Effect>) {
        if !self.bookings.configured {
            return;
        }
        let req = self.next_id();
        self.bookings.remote.start(req);
        self.bookings.requested_at = Some(self.now);
        fx.push(Effect::LoadSessions { req });
    }

    fn refresh_focused(&mut self, fx: &mut Vec<Effect>) {
        match self.focus {
            Pane::Controllers => {
                self.load_controllers(fx);
                detail::reload(self, fx);
            }
            Pane::Bookings => self.load_sessions(fx),
        }
    }

    /// Loads the scopes of the selected controller in the background, one request at a time,
    /// so the toggle hint and the confirmations can say what a change will do.
    fn preview_scopes(&mut self, fx: &mut Vec<Effect>) {
        let Some(id) = self.controllers.selected else {
            return;
        };
        if self.controllers.scope_req.is_some()
            || self.controllers.scopes.contains_key(&id)
            || self.controllers.scopes_unavailable.contains(&id)
            || self.controllers.remote.data.is_none()
        {
            return;
        }
        detail::load_scopes(self, id, fx);
    }

    fn tick(&mut self, now: Timestamp) -> Vec<Effect> {
        let before = self.now;
        self.now = now;
        let mut fx = Vec::new();
        if self.is_loading() {
            self.spinner = self.spinner.wrapping_add(1);
            self.dirty = true;
        }
        if before.as_second() != now.as_second() {
            // "updated 12 s ago" and the booking countdowns change once a second.
            self.dirty = true;
        }
        if self.flash.as_ref().is_some_and(|f| f.expires <= now) {
            self.flash = None;
            self.dirty = true;
        }
        self.preview_scopes(&mut fx);
        if let (Some(every), false) = (self.settings.refresh_every, self.paused) {
            let due = |at: Option<Timestamp>| {
                at.is_none_or(|t| now.duration_since(t).unsigned_abs() >= every)
            };
            if !self.controllers.remote.is_loading() && due(self.controllers.requested_at) {
                self.load_controllers(&mut fx);
                // The open detail (connected, tokens, scopes) goes stale as fast as the list.
                detail::reload(self, &mut fx);
            }
            if self.bookings.configured
                && !self.bookings.remote.is_loading()
                && due(self.bookings.requested_at)
            {
                self.load_sessions(&mut fx);
            }
        }
        fx
    }
}

/// The reducer. Pure: the same state and action always give the same state and effects.
pub fn update(state: &mut State, action: Action) -> Vec<Effect> {
    let fx = reduce(state, action);
    while state.dialog.is_none() {
        let Some(next) = state.queued.pop_front() else {
            break;
        };
        state.dirty = true;
        state.dialog = still_relevant(state, next);
    }
    fx
}

/// A queued question is asked only if it still makes sense: not in read-only mode, and not
/// about a controller that is gone. A secret is always shown (it exists only there).
fn still_relevant(state: &mut State, d: Dialog) -> Option<Dialog> {
    let Dialog::Confirm(c) = &d else {
        return Some(d);
    };
    if state.context.read_only {
        state.flash(Level::Info, "Read-only: a pending question was dropped");
        return None;
    }
    let about = match &c.op {
        Op::Update { id, .. }
        | Op::Undo { id, .. }
        | Op::SetState { id, .. }
        | Op::Delete { id, .. } => Some(*id),
        _ => None,
    };
    if let Some(id) = about
        && !state.controllers.rows().iter().any(|r| r.id == id)
    {
        state.flash(
            Level::Info,
            format!("Runner controller {id} is gone: its pending question was dropped"),
        );
        return None;
    }
    Some(d)
}

fn reduce(state: &mut State, action: Action) -> Vec<Effect> {
    if let Action::Tick { now } = action {
        return state.tick(now);
    }
    state.dirty = true;
    let mut fx = Vec::new();
    if state.dialog.is_some() && dialog::handle(state, &action, &mut fx) {
        return fx;
    }
    match action {
        Action::Tick { .. } | Action::Resize => {}
        Action::Quit => state.quit = true,
        Action::Help => state.dialog = Some(Dialog::Help { offset: 0 }),
        Action::FocusNext | Action::FocusPrev => {
            state.focus = match state.focus {
                Pane::Controllers => Pane::Bookings,
                Pane::Bookings => Pane::Controllers,
            }
        }
        Action::Focus(p) => state.focus = p,
        Action::Refresh => {
            state.refresh_focused(&mut fx);
            if state.focus == Pane::Controllers {
                // The other pane is cheap to keep in step, too.
                if !state.bookings.remote.is_loading() {
                    state.load_sessions(&mut fx);
                }
            }
        }
        Action::TogglePause => {
            state.paused = !state.paused;
            let text = if state.paused {
                "Auto-refresh paused (p to resume)"
            } else {
                "Auto-refresh resumed"
            };
            state.flash(Level::Info, text);
        }
        Action::Back => {
            let filtered = match state.focus {
                Pane::Controllers => state.controllers.filter.is_some(),
                Pane::Bookings => state.bookings.filter.is_some(),
            };
            if state.focus == Pane::Controllers && state.controllers.detail.is_some() {
                state.controllers.detail = None;
            } else if state.focus == Pane::Controllers && !state.controllers.marked.is_empty() {
                state.controllers.marked.clear();
            } else if filtered {
                forms::set_filter(state, None);
            } else {
                state.flash = None;
            }
        }
        Action::Deprecated(d) => deprecated(state, d),
        a @ (Action::ControllersLoaded { .. }
        | Action::ControllerLoaded { .. }
        | Action::ControllerCreated { .. }
        | Action::ControllerUpdated { .. }
        | Action::ControllerDeleted { .. }
        | Action::ControllerChangedElsewhere { .. }
        | Action::TokensLoaded { .. }
        | Action::ScopesLoaded { .. }
        | Action::TokenIssued { .. }
        | Action::TokenRevoked { .. }
        | Action::ScopeChanged { .. }) => controllers::update(state, a, &mut fx),
        Action::AuditLoaded { result } => {
            if let Some(Dialog::Log { entries, .. }) = state.dialog.as_mut() {
                *entries = Some(result);
            }
        }
        Action::CommandLine => forms::open_command(state),
        Action::ReadOnly => state.flash(
            Level::Warn,
            "Read-only: nothing is changed (started with --read-only or read_only = true)",
        ),
        Action::Filter => forms::open_filter(state),
        Action::Raw => forms::open_raw(state, &mut fx),
        Action::RawLoaded { result } => {
            if let Some(Dialog::Raw { text, .. }) = state.dialog.as_mut() {
                *text = Some(
                    result
                        .map_err(|e| e.to_string())
                        .and_then(|v| serde_json::to_string_pretty(&v).map_err(|e| e.to_string())),
                );
            }
        }
        a @ (Action::SessionsLoaded { .. }
        | Action::RunnerRequested { .. }
        | Action::JobPolled { .. }
        | Action::SessionExtended { .. }
        | Action::SessionReleased { .. }) => bookings::update(state, a, &mut fx),
        other => match state.focus {
            Pane::Controllers => controllers::update(state, other, &mut fx),
            Pane::Bookings => bookings::update(state, other, &mut fx),
        },
    }
    fx
}

fn deprecated(state: &mut State, d: Deprecation) {
    let text = d.describe();
    // Once per API and run: the first notice says it; later endpoints of the same API only
    // reach the log (the app logs every notice).
    if state
        .banner
        .as_deref()
        .is_some_and(|b| b.starts_with(&d.api))
    {
        return;
    }
    state.banner = Some(text.clone());
    state.flash(Level::Warn, text);
}

/// Whether an error means the server could not be reached at all.
pub fn unreachable(e: &ApiError) -> bool {
    matches!(e, ApiError::Timeout { .. } | ApiError::Connect { .. })
}

#[cfg(test)]
pub(crate) mod tests;
