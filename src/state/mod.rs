//! The one `State` of the program and the pure reducer `update(&mut State, Msg) -> Vec<Effect>`.
//! No I/O, no clock, no channels here: time arrives as `Msg::Tick`, work leaves as `Effect`s.
//! The state holds facts (typed ids, notes, questions), never finished sentences: `ui/` words
//! them, and nothing here compares text it wrote itself.

mod bookings;
mod bulk;
mod changes;
mod command;
mod command_line;
mod confirm;
mod controller_form;
mod controllers;
mod detail;
mod dialog;
mod filter;
mod history;
mod notes;
mod rc;
mod remote;
mod requests;
mod runner_form;
mod saved;
mod sheet;
mod sort;
mod text_form;
mod undo;
mod vitals;

use std::collections::{BTreeMap, VecDeque};
use std::time::Duration;

pub use bookings::{Bookings, Row as BookingRow, RowKey as BookingKey};
pub use changes::{Pending, Plan, Purpose, Step};
pub use command_line::CommandHistory;
pub use confirm::{Confirm, Question, TypedId};
pub use controller_form::{ControllerField, ControllerForm, FormMode};
pub use controllers::Controllers;
pub use detail::{Detail, DetailRow};
pub use dialog::{Dialog, Help, RawTitle, StatePicker};
pub use filter::Filter;
pub use history::{History, Unavailable};
pub use notes::{Irreversible, Level, ManyKind, Note};
pub use remote::{Health, Remote, RemoteError, Retrying};
pub use requests::{PendingRequest, RequestPhase, poll_delay};
pub use runner_form::{RunnerField, RunnerForm};
pub use saved::{Saved, SavedView};
pub use sheet::{EventsSheet, HealthSheet, Sheet};
pub use sort::{Column as SortColumn, Sort};
pub use text_form::{FormError, TextForm, TextPurpose};
pub use undo::LastChange;
pub use vitals::{Entry as VitalsEntry, MAX_IN_FLIGHT, Part, Vitals};

use crate::api::ApiError;
use crate::domain::{Deprecation, Timestamp};
use crate::effect::{ChangeId, Effect, Load, ReqId};
use crate::msg::{Intent, Msg, Outcome};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Pane {
    Controllers,
    Bookings,
}

/// What the header shows about where we are connected; fixed for a run (but `:readonly`).
#[derive(Debug, Clone)]
pub struct Context {
    pub instance_name: String,
    pub gitlab_url: String,
    /// `env GITLAB_TOKEN`, `command`, `file`: where the token came from, never the token.
    pub credential: String,
    pub color: Option<String>,
    pub read_only: bool,
    pub vehaas_url: Option<String>,
    /// Why veHaaS could not be set up (its token, its address), for the bookings pane.
    pub vehaas_error: Option<String>,
    pub demo: bool,
    /// Zone for clock times on screen (the system zone in the app, UTC in tests).
    pub tz: jiff::tz::TimeZone,
    /// The configured context in use, and every context there is (for `:ctx`).
    pub context_name: String,
    pub contexts: Vec<String>,
    /// What makes a connection readable or forgeable by others (a red INSECURE badge).
    pub insecure: Vec<(Service, crate::api::Insecurity)>,
}

/// Which server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    GitLab,
    Vehaas,
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
            vehaas_error: None,
            demo: false,
            tz: jiff::tz::TimeZone::UTC,
            context_name: crate::config::DEFAULT_CONTEXT.to_string(),
            contexts: vec![crate::config::DEFAULT_CONTEXT.to_string()],
            insecure: Vec::new(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Settings {
    /// `None`: no auto-refresh.
    pub refresh_every: Option<Duration>,
    pub flash_for: Duration,
    /// The keys in force (defaults and `[keys]` overrides); the view reads it for hints.
    pub keys: std::sync::Arc<crate::keymap::Keymap>,
    /// The colours (`[ui] theme`, `[theme]`, NO_COLOR).
    pub theme: crate::ui::theme::Theme,
    /// Whether the mouse is captured (`[ui] mouse`, `m`).
    pub mouse: bool,
    /// How short and how long a booking or an extension may be (`[vehaas] max_duration`).
    pub durations: crate::duration::Limits,
    /// `[health]`: when a finding starts.
    pub health: crate::health::Thresholds,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            refresh_every: Some(Duration::from_secs(15)),
            flash_for: Duration::from_secs(6),
            keys: std::sync::Arc::default(),
            theme: crate::ui::theme::Theme::default(),
            mouse: false,
            durations: crate::duration::Limits::default(),
            health: crate::health::Thresholds::default(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Flash {
    pub note: Note,
    pub expires: Timestamp,
}

#[derive(Debug, Clone)]
pub struct HistoryEntry {
    /// Increasing number of the entry in this run (the app logs each one once); it keeps
    /// counting across `:ctx` switches.
    pub seq: u64,
    pub at: Timestamp,
    pub note: Note,
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
    /// Dialogs opened by outcomes while another was open (a new secret never replaces a
    /// half-answered question, and is never lost); shown in turn.
    pub queued: VecDeque<Dialog>,
    /// The keys of what is on screen, over everything else (`?`).
    pub help: Option<Help>,
    /// `:health` or `:events`, over both panes.
    pub sheet: Option<Sheet>,
    /// The view a detail was opened from (`:health`, `:events`): esc there goes back to it.
    pub back_to: Option<Sheet>,
    pub flash: Option<Flash>,
    /// Every flash, newest last (bounded), for the error history and the log file.
    pub history: VecDeque<HistoryEntry>,
    /// The commands run on the `:` line (restored at start from the state dir).
    pub command_history: command_line::CommandHistory,
    /// A server said something is deprecated: shown in the header for the rest of the run.
    pub banner: Option<Deprecation>,
    /// Changes on their way, by id: what each was, for its outcome and for quitting.
    pub changes: BTreeMap<ChangeId, Pending>,
    pub paused: bool,
    /// Quit once `changes` is empty.
    pub quit_when_done: bool,
    /// `ctrl-z` was pressed: the app gives the terminal back, then redraws.
    pub suspend: bool,
    pub quit: bool,
    /// Something visible changed since the last draw.
    pub dirty: bool,
    /// Spinner frame, advanced by ticks while anything loads.
    pub spinner: usize,
    next_id: u64,
    next_seq: u64,
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
            queued: VecDeque::new(),
            help: None,
            sheet: None,
            back_to: None,
            flash: None,
            history: VecDeque::new(),
            command_history: command_line::CommandHistory::default(),
            banner: None,
            changes: BTreeMap::new(),
            paused: false,
            quit_when_done: false,
            suspend: false,
            quit: false,
            dirty: true,
            spinner: 0,
            next_id: 1,
            next_seq: 1,
        }
    }

    /// A fresh state for another context that keeps counting where this one was: ids,
    /// the flash history and its numbering.
    pub fn successor(&self, context: Context, settings: Settings) -> Self {
        let mut next = Self::new(self.now, context, settings);
        next.next_id = self.next_id;
        next.next_seq = self.next_seq;
        next.history = self.history.clone();
        next.command_history = self.command_history.clone();
        next
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
            || self.controllers.history.server.is_loading()
            || self.bookings.requests.iter().any(|r| !r.is_done())
            || !self.changes.is_empty()
    }

    /// Opens a dialog on behalf of an outcome: queued if one is already open.
    pub fn open_dialog(&mut self, d: Dialog) {
        if self.dialog.is_some() {
            self.queued.push_back(d);
        } else {
            self.dialog = Some(d);
        }
    }

    pub fn flash(&mut self, note: Note) {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.history.push_back(HistoryEntry {
            seq,
            at: self.now,
            note: note.clone(),
        });
        if self.history.len() > HISTORY_MAX {
            self.history.pop_front();
        }
        let expires = self
            .now
            .checked_add(self.settings.flash_for)
            .unwrap_or(self.now);
        self.flash = Some(Flash { note, expires });
    }

    /// A recovered listing takes back its own failure note.
    fn clear_flash_if(&mut self, f: impl Fn(&Note) -> bool) {
        if self.flash.as_ref().is_some_and(|fl| f(&fl.note)) {
            self.flash = None;
        }
    }

    pub(crate) fn load_controllers(&mut self, fx: &mut Vec<Effect>) {
        let req = self.next_id();
        self.controllers.remote.start(req);
        self.controllers.requested_at = Some(self.now);
        fx.push(Effect::Load(Load::Controllers { req }));
    }

    pub(crate) fn load_sessions(&mut self, fx: &mut Vec<Effect>) {
        if !self.bookings.configured {
            return;
        }
        let req = self.next_id();
        self.bookings.remote.start(req);
        self.bookings.requested_at = Some(self.now);
        fx.push(Effect::Load(Load::Sessions { req }));
    }

    /// `ctrl-r`: a listing already on its way is not asked for twice.
    fn refresh(&mut self, fx: &mut Vec<Effect>) {
        if !self.controllers.remote.is_loading() {
            self.load_controllers(fx);
        }
        if self.focus == Pane::Controllers {
            detail::reload(self, fx);
        }
        if self.controllers.detail.is_some() {
            history::load(self, fx);
        }
        if !self.bookings.remote.is_loading() {
            self.load_sessions(fx);
        }
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
        bookings::tick(self);
        rc::preview_scopes(self, &mut fx);
        vitals::schedule(self, &mut fx);
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

/// The reducer. Pure: the same state and message always give the same state and effects.
pub fn update(state: &mut State, msg: impl Into<Msg>) -> Vec<Effect> {
    let mut fx = match msg.into() {
        Msg::Tick { now } => state.tick(now),
        Msg::Resize => {
            state.dirty = true;
            Vec::new()
        }
        Msg::Intent(i) => {
            state.dirty = true;
            intent(state, i)
        }
        Msg::Outcome(o) => {
            // A background health read redraws only what it changes on screen.
            state.dirty |= !matches!(o, Outcome::VitalLoaded { .. });
            let mut fx = Vec::new();
            outcome(state, o, &mut fx);
            fx
        }
    };
    vitals::settle(state);
    if state.controllers.vitals.take_changed() {
        sheet::findings_changed(state);
        state.dirty |= state.sheet.is_some();
    }
    while state.dialog.is_none() {
        let Some(next) = state.queued.pop_front() else {
            break;
        };
        state.dirty = true;
        dialog::promote(state, next, &mut fx);
    }
    if state.quit_when_done && state.changes.is_empty() {
        state.quit = true;
    }
    fx
}

fn intent(state: &mut State, i: Intent) -> Vec<Effect> {
    let mut fx = Vec::new();
    if i == Intent::Suspend {
        state.suspend = true;
        return fx;
    }
    if state.help.is_some() {
        dialog::help(state, &i);
        return fx;
    }
    if state.dialog.is_some() {
        dialog::handle(state, i, &mut fx);
        return fx;
    }
    if state.sheet.is_some() {
        sheet::intent(state, i, &mut fx);
        return fx;
    }
    match i {
        Intent::Quit => quit(state),
        Intent::Help => state.help = Some(Help::default()),
        Intent::FocusNext | Intent::FocusPrev => {
            state.focus = match state.focus {
                Pane::Controllers => Pane::Bookings,
                Pane::Bookings => Pane::Controllers,
            }
        }
        Intent::Focus(p) => state.focus = p,
        Intent::Refresh => state.refresh(&mut fx),
        Intent::TogglePause => {
            state.paused = !state.paused;
            state.flash(Note::Paused(state.paused));
        }
        Intent::ToggleMouse => {
            state.settings.mouse = !state.settings.mouse;
            state.flash(Note::Mouse(state.settings.mouse));
            fx.push(Effect::MouseCapture(state.settings.mouse));
        }
        Intent::Click { pane, row } => click(state, pane, row),
        Intent::Wheel { pane, down } => {
            state.focus = pane;
            let step = if down { Intent::Down } else { Intent::Up };
            match pane {
                Pane::Controllers => rc::intent(state, step, &mut fx),
                Pane::Bookings => bookings::intent(state, step, &mut fx),
            }
        }
        Intent::Back => back(state),
        Intent::CommandLine => command::open(state),
        Intent::ReadOnly => state.flash(Note::ReadOnlyKey),
        Intent::Filter => command::open_filter(state),
        Intent::Raw => command::open_raw(state, &mut fx),
        other => match state.focus {
            Pane::Controllers => rc::intent(state, other, &mut fx),
            Pane::Bookings => bookings::intent(state, other, &mut fx),
        },
    }
    fx
}

/// `q` / `ctrl-c`: with changes on their way, ask (wait for them, or quit anyway).
pub(crate) fn quit(state: &mut State) {
    if state.changes.is_empty() || state.quit_when_done {
        state.quit = true;
    } else {
        state.dialog = Some(Dialog::Quit);
    }
}

/// A click focuses its pane and selects the row under it.
fn click(state: &mut State, pane: Pane, row: Option<usize>) {
    state.focus = pane;
    match (pane, row) {
        (Pane::Controllers, Some(i)) if state.controllers.detail.is_none() => {
            state.controllers.select_index(i);
        }
        (Pane::Bookings, Some(i)) => state.bookings.select_at(i),
        _ => {}
    }
}

fn back(state: &mut State) {
    let filtered = match state.focus {
        Pane::Controllers => state.controllers.filter.is_some(),
        Pane::Bookings => state.bookings.filter.is_some(),
    };
    if state.focus == Pane::Controllers && state.controllers.detail.is_some() {
        state.controllers.detail = None;
        state.sheet = state.back_to.take();
    } else if state.focus == Pane::Controllers && !state.controllers.marked.is_empty() {
        state.controllers.marked.clear();
    } else if filtered {
        command::set_filter(state, None);
    } else {
        state.flash = None;
    }
}

fn outcome(state: &mut State, o: Outcome, fx: &mut Vec<Effect>) {
    match o {
        Outcome::Changed { id, result } => changes::finished(state, id, result, fx),
        Outcome::Deprecated(d) => deprecated(state, d),
        Outcome::Retrying { pane, wait, reason } => {
            let at = state.now.checked_add(wait).unwrap_or(state.now);
            let retrying = Some(remote::Retrying { at, reason });
            match pane {
                Pane::Controllers if state.controllers.remote.is_loading() => {
                    state.controllers.remote.retrying = retrying;
                }
                Pane::Bookings if state.bookings.remote.is_loading() => {
                    state.bookings.remote.retrying = retrying;
                }
                _ => {}
            }
        }
        Outcome::AuditLoaded { result } => {
            let log = state.dialog.as_mut().or(state.queued.back_mut());
            if let Some(Dialog::Log { entries, .. }) = log {
                *entries = Some(result);
            }
        }
        Outcome::RawLoaded { req, result } => dialog::raw_loaded(state, req, result),
        Outcome::ContextSwitched { name, warnings } => {
            state.flash(Note::NowOnContext(name));
            for w in warnings.iter() {
                state.flash(Note::ConfigWarning(w.clone()));
            }
        }
        Outcome::ContextFailed { name, error } => {
            state.flash(Note::ContextFailed { name, error });
        }
        o @ (Outcome::SessionsLoaded { .. } | Outcome::JobPolled { .. }) => {
            bookings::outcome(state, o, fx)
        }
        o @ (Outcome::ControllersLoaded { .. }
        | Outcome::ControllersFirstPage { .. }
        | Outcome::ControllerLoaded { .. }
        | Outcome::TokensLoaded { .. }
        | Outcome::ScopesLoaded { .. }) => {
            let list = matches!(o, Outcome::ControllersLoaded { .. });
            rc::outcome(state, o, fx);
            if list {
                vitals::schedule(state, fx);
                history::refresh_if_shown(state, fx);
            }
        }
        Outcome::VitalLoaded { req, answer } => vitals::outcome(state, req, answer, fx),
        Outcome::EventsLoaded { req, result } => history::events_loaded(state, req, result, fx),
        Outcome::LocalAuditLoaded { req, result } => history::local_loaded(state, req, result),
    }
}

fn deprecated(state: &mut State, d: Deprecation) {
    // Once per API and run: the first notice says it; later endpoints of the same API only
    // reach the log (the app logs every notice).
    if state.banner.as_ref().is_some_and(|b| b.api == d.api) {
        return;
    }
    state.banner = Some(d.clone());
    state.flash(Note::Deprecated(d));
}

/// Whether an error means the server could not be reached at all.
pub fn unreachable(e: &ApiError) -> bool {
    matches!(e, ApiError::Timeout { .. } | ApiError::Connect { .. })
}

#[cfg(test)]
pub(crate) mod tests;
