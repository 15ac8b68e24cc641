//! The runner controllers pane: its keys (move, `t`, `s`, `n`, `e`, `ctrl-d`, `z`, marks), its
//! listings, and what a controller change's outcome does to the list, the detail and `z`.

use super::changes::{Pending, Plan, Purpose, Step};
use super::confirm::{self, Question};
use super::controller_form::{ControllerForm, FormMode};
use super::dialog::{Dialog, StatePicker};
use super::notes::{Irreversible, Note};
use super::undo::{self, LastChange};
use super::{State, bulk, detail, unreachable};
use crate::api::ApiError;
use crate::domain::{ControllerId, ControllerState, ControllerUpdate, RunnerController};
use crate::effect::{Effect, Load, ReqId};
use crate::msg::{Intent, Outcome};
use crate::ops::{Change, Done, OpError};

pub const DESCRIPTION_MAX: usize = 1024;

pub(super) fn intent(state: &mut State, intent: Intent, fx: &mut Vec<Effect>) {
    if state.controllers.detail.is_some() && detail::intent(state, &intent, fx) {
        return;
    }
    let c = &mut state.controllers;
    match intent {
        Intent::Up => c.move_by(-1),
        Intent::Down => c.move_by(1),
        Intent::PageUp => c.move_by(-10),
        Intent::PageDown => c.move_by(10),
        Intent::Top => c.select_index(0),
        Intent::Bottom => c.select_index(usize::MAX),
        Intent::OpenDetail => {
            state.back_to = None;
            detail::open(state, fx);
        }
        Intent::Sort(column) => {
            let sort = super::sort::Sort::toggle(c.sort, column);
            c.set_sort(Some(sort));
        }
        Intent::Copy => {
            if let Some(id) = c.selected {
                fx.push(Effect::Copy {
                    text: id.to_string(),
                });
                state.flash(Note::CopiedId(id));
            }
        }
        _ if state.context.read_only => {}
        Intent::New => {
            state.dialog = Some(Dialog::ControllerForm(ControllerForm::new(
                FormMode::Create,
            )));
        }
        Intent::Undo => undo::undo(state, fx),
        Intent::EditDescription => edit(state),
        Intent::PickState => pick_state(state),
        Intent::Mark => bulk::toggle_mark(state),
        Intent::ToggleDryRun => toggle(state, fx),
        Intent::Delete if !state.controllers.marked.is_empty() => bulk::propose_delete(state, fx),
        Intent::Delete => delete(state, fx),
        _ => {}
    }
}

/// The selected controller, unless a change of it is still on its way (then said).
fn selected_free(state: &mut State) -> Option<RunnerController> {
    let c = state.controllers.selected_controller()?.clone();
    if state.controllers.busy.contains(&c.id) {
        state.flash(Note::Busy(c.id));
        return None;
    }
    Some(c)
}

fn edit(state: &mut State) {
    if let Some(c) = selected_free(state) {
        let form = ControllerForm::new(FormMode::Edit { based_on: c });
        state.dialog = Some(Dialog::ControllerForm(form));
    }
}

fn pick_state(state: &mut State) {
    let bulk = state.controllers.marked_ids();
    let Some(c) = state.controllers.selected_controller().cloned() else {
        return;
    };
    if bulk.is_empty() && state.controllers.busy.contains(&c.id) {
        state.flash(Note::Busy(c.id));
        return;
    }
    state.dialog = Some(Dialog::StatePicker(StatePicker::new(c, bulk)));
}

/// A state change of `target`, based on the version shown.
pub(super) fn set_state_step(target: &RunnerController, to: ControllerState) -> Step {
    let change = Change::UpdateController {
        id: target.id,
        update: ControllerUpdate {
            description: None,
            state: Some(to),
        },
        based_on: Some(target.updated_at.clone()),
    };
    Step::shown(change, target.clone())
}

/// `t`: disabled <-> dry_run at once; enabled -> dry_run asks first (it turns enforcement off).
fn toggle(state: &mut State, fx: &mut Vec<Effect>) {
    let Some(c) = selected_free(state) else {
        return;
    };
    let to = match &c.state {
        ControllerState::Disabled | ControllerState::Enabled => ControllerState::DryRun,
        ControllerState::DryRun => ControllerState::Disabled,
        ControllerState::Other(s) => {
            let state_name = s.clone();
            state.flash(Note::UnknownState {
                id: c.id,
                state: state_name,
            });
            return;
        }
    };
    propose_state(state, &c, to, fx);
}

/// A state change for one controller: anything ending in `enabled`, or leaving it, asks.
pub(super) fn propose_state(
    state: &mut State,
    c: &RunnerController,
    to: ControllerState,
    fx: &mut Vec<Effect>,
) {
    let plan = Plan::one(set_state_step(c, to.clone()));
    let question = Question::SetState {
        target: c.clone(),
        to,
    };
    confirm::propose(state, question, plan, fx);
}

fn delete(state: &mut State, fx: &mut Vec<Effect>) {
    let Some(c) = selected_free(state) else {
        return;
    };
    let change = Change::DeleteController {
        id: c.id,
        based_on: Some(c.updated_at.clone()),
    };
    let plan = Plan::one(Step::shown(change, c.clone()));
    confirm::propose(state, Question::Delete { target: c }, plan, fx);
}

/// Reads the scopes of `id` (a fresh read: latest wins for the cache); returns the request.
pub(super) fn load_scopes(state: &mut State, id: ControllerId, fx: &mut Vec<Effect>) -> ReqId {
    let req = state.next_id();
    state.controllers.scope_latest.insert(id, req);
    if let Some(d) = state.controllers.detail.as_mut().filter(|d| d.id == id) {
        d.scopes.start(req);
    }
    fx.push(Effect::Load(Load::Scopes { req, id }));
    req
}

/// Loads the scopes of the selected controller in the background, one read at a time, so the
/// toggle hint and the confirmations can say what a change will do.
pub(super) fn preview_scopes(state: &mut State, fx: &mut Vec<Effect>) {
    let c = &state.controllers;
    let Some(id) = c.selected else {
        return;
    };
    if c.scope_req.is_some()
        || c.scopes.contains_key(&id)
        || c.scopes_unavailable.contains(&id)
        || c.remote.data.is_none()
    {
        return;
    }
    let req = load_scopes(state, id, fx);
    state.controllers.scope_req = Some((req, id));
}

pub(super) fn outcome(state: &mut State, o: Outcome, fx: &mut Vec<Effect>) {
    match o {
        Outcome::ControllersLoaded { req, result } => loaded(state, req, result),
        Outcome::ControllersFirstPage { req, rows } => first_page(state, req, rows),
        Outcome::ScopesLoaded { req, id, result } => {
            let latest = state.controllers.scope_latest.get(&id) == Some(&req);
            if latest {
                match &result {
                    Ok(s) => {
                        state.controllers.scopes.insert(id, s.clone());
                        state.controllers.scopes_unavailable.remove(&id);
                    }
                    Err(_) => {
                        state.controllers.scopes.remove(&id);
                        state.controllers.scopes_unavailable.insert(id);
                    }
                }
            }
            if state.controllers.scope_req.is_some_and(|(r, _)| r == req) {
                state.controllers.scope_req = None;
            }
            super::vitals::scopes_read(state, id, req, &result);
            detail::scopes_loaded(state, req, id, result);
            confirm::scopes_arrived(state, id, req, fx);
        }
        o => detail::outcome(state, o),
    }
}

/// The first page of the first listing: on screen now, the title still loading. A refresh
/// keeps the rows it has until the whole list is in (no list that shrinks and grows back).
fn first_page(state: &mut State, req: ReqId, rows: Vec<RunnerController>) {
    let remote = &mut state.controllers.remote;
    if !remote.is_latest(req) || remote.data.is_some() {
        return;
    }
    remote.data = Some(Vec::new());
    state.controllers.set_rows(rows);
    state.controllers.partial = true;
}

fn loaded(state: &mut State, req: ReqId, result: Result<Vec<RunnerController>, ApiError>) {
    let now = state.now;
    let remote = &mut state.controllers.remote;
    if !remote.is_latest(req) {
        return;
    }
    let before = remote.error.as_ref().map(|e| e.message.clone());
    state.controllers.partial = false;
    match result {
        Ok(rows) => {
            remote.finish(req, Ok::<_, ApiError>(Vec::new()), now, false);
            state.controllers.set_rows(rows);
            // Scopes change behind our back too: read them again (the selected row's first).
            state.controllers.scopes.clear();
            state.controllers.scopes_unavailable.clear();
            super::vitals::list_loaded(state);
            state.clear_flash_if(|n| matches!(n, Note::ControllersFailed(_)));
        }
        Err(e) => {
            let down = unreachable(&e);
            let text = e.to_string();
            remote.finish(req, Err(e.clone()), now, down);
            // Said once per run of the same failure; the pane title keeps saying it.
            if before.as_deref() != Some(text.as_str()) {
                state.flash(Note::ControllersFailed(e));
            }
        }
    }
}

/// A listing already on its way was read before this change: ask again, so that the older
/// answer (dropped as not the latest) cannot put the old row back on screen.
fn reload_if_stale(state: &mut State, fx: &mut Vec<Effect>) {
    if state.controllers.remote.is_loading() {
        state.load_controllers(fx);
    }
}

/// The outcome of a controller create, update or delete.
pub(super) fn changed(
    state: &mut State,
    pending: Pending,
    result: Result<Done, OpError>,
    fx: &mut Vec<Effect>,
) {
    let step = pending.step;
    match result {
        Ok(Done::Created(c)) => {
            state.flash(Note::Created(c.clone()));
            let id = c.id;
            state.controllers.upsert(c);
            state.controllers.select_id(id);
            reload_if_stale(state, fx);
        }
        Ok(Done::Updated { before, after }) => {
            state.flash(Note::Updated {
                after: after.clone(),
                state_changed: before.state != after.state,
            });
            if pending.purpose == Purpose::Undo {
                undo::undone(&mut state.controllers.undo_stack, &after);
            } else {
                state.controllers.remember(LastChange::Revertible {
                    before,
                    after: after.clone(),
                });
            }
            detail::controller_changed(state, &after);
            state.controllers.upsert(after);
            reload_if_stale(state, fx);
        }
        Ok(Done::Unchanged(server)) => {
            state.flash(Note::AlreadySo(server.clone()));
            // An undo the server already had (someone reverted it first) is done too.
            if pending.purpose == Purpose::Undo {
                undo::undone(&mut state.controllers.undo_stack, &server);
            }
            state.controllers.upsert(server);
        }
        Ok(Done::Deleted { before }) => {
            let id = before.id;
            state.controllers.remove(id);
            if state
                .controllers
                .detail
                .as_ref()
                .is_some_and(|d| d.id == id)
            {
                state.controllers.detail = None;
            }
            state
                .controllers
                .remember(LastChange::Irreversible(Irreversible::Delete(id)));
            state.flash(Note::Deleted(id));
            reload_if_stale(state, fx);
        }
        Err(OpError::ChangedElsewhere { server }) => {
            changed_elsewhere(state, step, pending.purpose, *server, fx)
        }
        Err(OpError::Refused(r)) => state.flash(Note::Refused(r)),
        Err(OpError::Api(f)) => {
            state.flash(Note::Failed {
                change: step.change,
                error: f.error,
            });
            // Show the row as the server has it.
            state.load_controllers(fx);
        }
        Ok(_) => {}
    }
}

/// Someone changed the controller since the change was built: nothing was sent. Both
/// versions are shown (the one the change was based on, and the server's) and asked again.
fn changed_elsewhere(
    state: &mut State,
    step: Step,
    purpose: Purpose,
    server: crate::domain::RunnerController,
    fx: &mut Vec<Effect>,
) {
    let rebased = match step.change.clone() {
        Change::UpdateController { id, update, .. } => Change::UpdateController {
            id,
            update,
            based_on: Some(server.updated_at.clone()),
        },
        Change::DeleteController { id, .. } => Change::DeleteController {
            id,
            based_on: Some(server.updated_at.clone()),
        },
        other => other,
    };
    let question = Question::ChangedElsewhere {
        shown: step.shown,
        server: server.clone(),
        change: step.change,
    };
    state.controllers.upsert(server.clone());
    // An undo asked again is still an undo: its success takes the change off the stack.
    let plan = Plan {
        purpose,
        ..Plan::one(Step::shown(rebased, server))
    };
    let c = confirm::ask(state, question, plan, fx);
    state.open_dialog(Dialog::Confirm(c));
}

/// The edit form's submit: nothing is sent when nothing changed.
pub(super) fn save_description(
    state: &mut State,
    based_on: RunnerController,
    description: Option<String>,
    fx: &mut Vec<Effect>,
) {
    let text = |d: &Option<String>| d.clone().unwrap_or_default();
    if text(&description) == text(&based_on.description) {
        state.flash(Note::NothingChanged(based_on.id));
        return;
    }
    let change = Change::UpdateController {
        id: based_on.id,
        update: ControllerUpdate {
            description: Some(description),
            state: None,
        },
        based_on: Some(based_on.updated_at.clone()),
    };
    super::changes::run(state, Plan::one(Step::shown(change, based_on)), fx);
}

/// The create form's submit: creating it already enabled asks first.
pub(super) fn create(
    state: &mut State,
    description: Option<String>,
    to: ControllerState,
    fx: &mut Vec<Effect>,
) {
    let change = Change::CreateController {
        description: description.clone(),
        state: to.clone(),
    };
    let question = Question::Create {
        description,
        state: to,
    };
    confirm::propose(state, question, Plan::one(Step::new(change)), fx);
}
