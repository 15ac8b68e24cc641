//! The runner controllers pane: the list (selection pinned by id), the detail, and every state,
//! description, create and delete change, with the confirmations the safety rules ask for.

use std::collections::BTreeMap;

use tui_input::Input;

pub(super) use super::changes::{LastChange, execute, grave, propose_state, send_update};
use super::changes::{changed_elsewhere, toggle, undo};
use super::detail::{self, Detail};
use super::dialog::{self, Confirm, ControllerForm, Dialog, FormMode, Op, StatePicker};
use super::filter::Filter;
use super::{Level, Remote, State, unreachable};
use crate::action::Action;
use crate::api::ApiError;
use crate::domain::{ControllerState, RunnerController, Scopes};
use crate::effect::{Effect, ReqId};

pub const DESCRIPTION_MAX: usize = 1024;

/// What a state means, in plain words.
pub fn meaning(s: &ControllerState) -> &'static str {
    match s {
        ControllerState::Disabled => "receives no admission requests",
        ControllerState::Enabled => "admit/reject decisions are enforced",
        ControllerState::DryRun => "rejections are only logged by the job router, never enforced",
        ControllerState::Other(_) => "a state this version of runnerdeck does not know",
    }
}

#[derive(Debug, Clone, Default)]
pub struct Controllers {
    pub remote: Remote<Vec<RunnerController>>,
    pub requested_at: Option<crate::domain::Timestamp>,
    /// The selected controller, by id: a refresh never moves it.
    pub selected: Option<i64>,
    pub detail: Option<Detail>,
    /// Scopes known per controller (from the detail or the background preview fetch).
    pub scopes: BTreeMap<i64, Scopes>,
    /// The background scopes request in flight, if any: (request, controller).
    pub scope_req: Option<(ReqId, i64)>,
    /// The latest scopes request per controller: older answers never reach the cache.
    pub scope_latest: BTreeMap<i64, ReqId>,
    /// Controllers whose scopes could not be read (not asked again in the background).
    pub scopes_unavailable: std::collections::BTreeSet<i64>,
    /// Changes made in this run, newest last, for `z` (bounded).
    pub undo_stack: Vec<LastChange>,
    /// Controllers whose pending change is an undo: its answer pops the stack.
    pub undoing: std::collections::BTreeSet<i64>,
    /// Controllers with a change on the way (shown with an ellipsis).
    pub busy: Vec<i64>,
    pub filter: Option<Filter>,
    /// The controller the user chose; `selected` falls back elsewhere while it is hidden.
    pinned: Option<i64>,
    /// Rows marked with `space` for a bulk change.
    pub marked: std::collections::BTreeSet<i64>,
    /// Indices into `rows()` that pass the filter (ascending); `None` when unfiltered.
    /// Kept up to date by the reducer so a frame never scans every row.
    view: Option<Vec<usize>>,
}

impl Controllers {
    /// Every controller, in id order.
    pub fn rows(&self) -> &[RunnerController] {
        self.remote.data.as_deref().unwrap_or(&[])
    }

    /// The controller with this id, if the list has it.
    pub fn get(&self, id: i64) -> Option<&RunnerController> {
        let rows = self.rows();
        rows.binary_search_by_key(&id, |c| c.id)
            .ok()
            .map(|i| &rows[i])
    }

    /// How many rows pass the filter.
    pub fn visible_len(&self) -> usize {
        self.view.as_ref().map_or(self.rows().len(), Vec::len)
    }

    /// The `i`-th visible row.
    pub fn visible(&self, i: usize) -> Option<&RunnerController> {
        match &self.view {
            None => self.rows().get(i),
            Some(v) => v.get(i).and_then(|r| self.rows().get(*r)),
        }
    }

    /// Records a change for `z`; the oldest fall off past 50.
    pub(super) fn remember(&mut self, change: LastChange) {
        self.undo_stack.push(change);
        if self.undo_stack.len() > 50 {
            self.undo_stack.remove(0);
        }
    }

    /// Whether the filter lets controller `id` show.
    pub fn is_visible(&self, id: i64) -> bool {
        let Ok(at) = self.rows().binary_search_by_key(&id, |c| c.id) else {
            return false;
        };
        self.view
            .as_ref()
            .is_none_or(|v| v.binary_search(&at).is_ok())
    }

    /// Position of the selected controller among the visible rows.
    pub fn selected_index(&self) -> Option<usize> {
        let id = self.selected?;
        let at = self.rows().binary_search_by_key(&id, |c| c.id).ok()?;
        match &self.view {
            None => Some(at),
            Some(v) => v.binary_search(&at).ok(),
        }
    }

    pub fn selected_controller(&self) -> Option<&RunnerController> {
        self.selected_index().and_then(|i| self.visible(i))
    }

    /// Selects the `i`-th visible row (clamped) because the user moved there.
    fn select_index(&mut self, i: usize) {
        let n = self.visible_len();
        self.selected = if n == 0 {
            None
        } else {
            self.visible(i.min(n - 1)).map(|c| c.id)
        };
        self.pinned = self.selected;
    }

    /// Selects a controller by id, as the user's choice.
    pub fn select_id(&mut self, id: i64) {
        self.pinned = Some(id);
        self.reselect(None);
    }

    /// Puts the selection back on the user's choice when it shows, else on the visible row
    /// nearest to `near` (a position among the visible rows), else on the first. The choice
    /// itself is kept, so clearing a filter brings it back.
    fn reselect(&mut self, near: Option<usize>) {
        let wanted = self.pinned.or(self.selected);
        let visible_pos = |s: &Self, id: i64| {
            let at = s.rows().binary_search_by_key(&id, |c| c.id).ok()?;
            match &s.view {
                None => Some(at),
                Some(v) => v.binary_search(&at).ok(),
            }
        };
        let n = self.visible_len();
        self.selected = match wanted.and_then(|id| visible_pos(self, id)) {
            Some(i) => self.visible(i).map(|c| c.id),
            None if n == 0 => None,
            None => self.visible(near.unwrap_or(0).min(n - 1)).map(|c| c.id),
        };
    }

    /// Sets the filter (empty clears it); the selection follows the rule of `reselect`.
    /// Clearing the filter keeps the row it had found selected.
    pub(super) fn set_filter(&mut self, text: Option<&str>) {
        if text.is_none() {
            self.adopt_selection();
        }
        self.filter = text.map(Filter::new).filter(|f| !f.text.is_empty());
        self.refilter(None);
    }

    /// The row now selected becomes the user's choice (a committed filter found it).
    pub(super) fn adopt_selection(&mut self) {
        if self.selected.is_some() {
            self.pinned = self.selected;
        }
    }

    fn refilter(&mut self, near: Option<usize>) {
        self.view = match &self.filter {
            Some(f) if !f.is_empty() => Some(
                self.rows()
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| f.keeps(&haystack(c)))
                    .map(|(i, _)| i)
                    .collect(),
            ),
            _ => None,
        };
        self.reselect(near);
        // Marks only make sense on controllers that exist.
        let rows = self.remote.data.as_deref().unwrap_or(&[]);
        self.marked
            .retain(|id| rows.binary_search_by_key(id, |c| c.id).is_ok());
    }

    pub(super) fn move_down(&mut self) {
        self.move_by(1);
    }

    fn move_by(&mut self, delta: isize) {
        let n = self.visible_len();
        if n == 0 {
            return;
        }
        let cur = self.selected_index().unwrap_or(0) as isize;
        let next = (cur + delta).clamp(0, n as isize - 1);
        self.select_index(next as usize);
    }

    /// Replaces the list, keeping the selection on the same id, or on the row that took the
    /// place of a vanished one.
    fn set_rows(&mut self, mut rows: Vec<RunnerController>) {
        let old_index = self.selected_index();
        rows.sort_by_key(|c| c.id);
        self.remote.data = Some(rows);
        self.refilter(old_index);
    }

    pub(super) fn upsert(&mut self, c: RunnerController) {
        let old_index = self.selected_index();
        let rows = self.remote.data.get_or_insert_with(Vec::new);
        match rows.binary_search_by_key(&c.id, |r| r.id) {
            Ok(i) => {
                // The list endpoint never sends `connected`; keep what the detail knew.
                rows[i] = c;
            }
            Err(i) => rows.insert(i, c),
        }
        self.refilter(old_index);
    }

    fn remove(&mut self, id: i64) {
        let old_index = self.selected_index();
        if let Some(rows) = self.remote.data.as_mut() {
            rows.retain(|c| c.id != id);
        }
        if self.pinned == Some(id) {
            self.pinned = None;
        }
        self.refilter(old_index);
    }

    pub(super) fn set_busy(&mut self, id: i64, on: bool) {
        self.busy.retain(|b| *b != id);
        if on {
            self.busy.push(id);
        }
    }
}

/// What the filter searches: id, state and description, in lower case.
fn haystack(c: &RunnerController) -> String {
    format!(
        "{} {} {}",
        c.id,
        c.state,
        c.description.as_deref().unwrap_or_default()
    )
    .to_lowercase()
}

pub fn label(c: &RunnerController) -> String {
    match c.description.as_deref() {
        Some(d) if !d.is_empty() => format!("{} \"{d}\"", c.id),
        _ => c.id.to_string(),
    }
}

fn loaded(state: &mut State, req: ReqId, result: Result<Vec<RunnerController>, ApiError>) {
    let now = state.now;
    let down = result.as_ref().err().is_some_and(unreachable);
    let err = result.as_ref().err().cloned();
    let remote = &mut state.controllers.remote;
    if !remote.is_latest(req) {
        return;
    }
    let before = remote.error.as_ref().map(|e| e.message.clone());
    match result {
        Ok(rows) => {
            remote.finish(req, Ok::<_, ApiError>(Vec::new()), now, false);
            state.controllers.set_rows(rows);
            // Scopes change behind our back too: read them again (the selected row's first).
            state.controllers.scopes.clear();
            state.controllers.scopes_unavailable.clear();
            state.clear_flash_starting("Refreshing runner controllers failed");
        }
        Err(e) => {
            remote.finish(req, Err(e), now, down);
        }
    }
    // Said once per run of the same failure; the pane title keeps saying it.
    if let Some(e) = err.filter(|e| before.as_deref() != Some(e.to_string().as_str())) {
        state.flash_error("Refreshing runner controllers failed", &e);
    }
}

pub(super) fn update(state: &mut State, action: Action, fx: &mut Vec<Effect>) {
    if detail::result(state, &action, fx) {
        return;
    }
    if state.controllers.detail.is_some()
        && state.dialog.is_none()
        && detail::intent(state, &action, fx)
    {
        return;
    }
    let read_only = state.context.read_only;
    match action {
        Action::ControllersLoaded { req, result } => loaded(state, req, result),
        Action::ControllerLoaded { req, result } => {
            let now = state.now;
            let Some(d) = state.controllers.detail.as_mut() else {
                return;
            };
            if !d.remote.is_latest(req) {
                return;
            }
            let down = result.as_ref().err().is_some_and(unreachable);
            if let Ok(c) = &result {
                state.controllers.upsert(c.clone());
            }
            if let Some(d) = state.controllers.detail.as_mut() {
                d.remote.finish(req, result, now, down);
            }
        }
        Action::ControllerCreated { result } => match result {
            Ok(c) => {
                state.flash(
                    Level::Info,
                    format!("Created runner controller {} ({})", label(&c), c.state),
                );
                let id = c.id;
                state.controllers.upsert(c);
                state.controllers.select_id(id);
                reload_if_stale(state, fx);
            }
            Err(e) => state.flash_error("Creating a runner controller failed", &e),
        },
        Action::ControllerUpdated { id, result } => {
            state.controllers.set_busy(id, false);
            match result {
                Ok(c) => {
                    let before = state.controllers.get(id).cloned();
                    let text = match &before {
                        Some(b) if b.state == c.state => {
                            format!("Saved runner controller {} ({})", label(&c), c.state)
                        }
                        _ => format!("Runner controller {} is now {}", label(&c), c.state),
                    };
                    state.flash(Level::Info, text);
                    if state.controllers.undoing.remove(&id) {
                        state.controllers.undo_stack.pop();
                    } else if let Some(before) = before {
                        state.controllers.remember(LastChange::Revertible {
                            before,
                            after: c.clone(),
                        });
                    }
                    update_detail(state, &c);
                    state.controllers.upsert(c);
                    reload_if_stale(state, fx);
                }
                Err(e) => {
                    state.controllers.undoing.remove(&id);
                    state.flash_error(&format!("Changing runner controller {id} failed"), &e);
                    // Show the row as the server has it.
                    state.load_controllers(fx);
                }
            }
        }
        Action::ControllerChangedElsewhere { id, update, server } => {
            changed_elsewhere(state, id, update, server, fx)
        }
        Action::ControllerDeleted { id, result } => {
            state.controllers.set_busy(id, false);
            match result {
                Ok(()) => {
                    state.controllers.remove(id);
                    if state
                        .controllers
                        .detail
                        .as_ref()
                        .is_some_and(|d| d.id == id)
                    {
                        state.controllers.detail = None;
                    }
                    state.controllers.scopes.remove(&id);
                    state.controllers.remember(LastChange::Irreversible(format!(
                        "Deleting runner controller {id} cannot be undone"
                    )));
                    state.flash(Level::Info, format!("Deleted runner controller {id}"));
                    reload_if_stale(state, fx);
                }
                Err(e) => {
                    state.flash_error(&format!("Deleting runner controller {id} failed"), &e);
                    state.load_controllers(fx);
                }
            }
        }
        Action::Up => state.controllers.move_by(-1),
        Action::Down => state.controllers.move_by(1),
        Action::PageUp => state.controllers.move_by(-10),
        Action::PageDown => state.controllers.move_by(10),
        Action::Top => state.controllers.select_index(0),
        Action::Bottom => state.controllers.select_index(usize::MAX),
        Action::OpenDetail => detail::open(state, fx),
        Action::Copy => {
            if let Some(id) = state.controllers.selected {
                fx.push(Effect::Copy {
                    text: id.to_string(),
                });
                state.flash(Level::Info, format!("Copied runner controller id {id}"));
            }
        }
        _ if read_only => {}
        Action::New => dialog::open_new(state),
        Action::Undo => undo(state, fx),
        Action::EditDescription => {
            if let Some(c) = state.controllers.selected_controller() {
                let form = ControllerForm {
                    mode: FormMode::EditDescription { id: c.id },
                    description: Input::new(c.description.clone().unwrap_or_default()),
                    state: 0,
                    field: 0,
                    error: None,
                };
                state.dialog = Some(Dialog::ControllerForm(form));
            }
        }
        Action::PickState => {
            let bulk = super::bulk::marked(state);
            if let Some(c) = state.controllers.selected_controller() {
                let cursor = ControllerState::KNOWN
                    .iter()
                    .position(|s| *s == c.state)
                    .unwrap_or(0);
                state.dialog = Some(Dialog::StatePicker(StatePicker {
                    id: c.id,
                    current: c.state.clone(),
                    cursor,
                    bulk,
                }));
            }
        }
        Action::Mark => super::bulk::toggle_mark(state),
        Action::ToggleDryRun => toggle(state, fx),
        Action::Delete if !state.controllers.marked.is_empty() => {
            let ids = super::bulk::marked(state);
            super::bulk::propose_delete(state, ids);
        }
        Action::Delete => {
            if let Some(c) = state.controllers.selected_controller().cloned() {
                let confirm = Confirm::new(
                    "Delete",
                    format!("Delete runner controller {}?", label(&c)),
                    Op::Delete {
                        id: c.id,
                        updated_at: c.updated_at,
                    },
                )
                .with_details(vec![
                    "Its tokens and scopes are deleted with it. This cannot be undone.".into(),
                ]);
                let confirm = super::changes::guard(state, confirm, c.id, fx);
                state.dialog = Some(Dialog::Confirm(confirm));
            }
        }
        _ => {}
    }
}

/// A list answer already on its way was read before this change: ask again, so that the older
/// answer (dropped as not the latest) cannot put the old row back on screen.
pub(super) fn reload_if_stale(state: &mut State, fx: &mut Vec<Effect>) {
    if state.controllers.remote.is_loading() {
        state.load_controllers(fx);
    }
}

fn update_detail(state: &mut State, c: &RunnerController) {
    if let Some(d) = state.controllers.detail.as_mut().filter(|d| d.id == c.id) {
        let connected = d.remote.data.as_ref().and_then(|old| old.connected);
        let mut fresh = c.clone();
        fresh.connected = fresh.connected.or(connected);
        d.remote.data = Some(fresh);
    }
}
