//! Marked rows (`space`) and the bulk state change or delete they allow. A bulk change always
//! asks, lists what it touches, reads the scopes of every controller it would enable or delete
//! before a yes counts, and asks for a count to be typed when one of them has (or may have) the
//! instance scope.

use super::changes::{Plan, Purpose, Step};
use super::confirm::{self, Question};
use super::notes::{ManyKind, Note};
use super::{State, rc};
use crate::domain::{ControllerId, ControllerState, RunnerController};
use crate::effect::Effect;
use crate::ops::Change;

/// `space`: marks or unmarks the selected controller and moves down, like k9s.
pub(super) fn toggle_mark(state: &mut State) {
    let Some(id) = state.controllers.selected else {
        return;
    };
    let marked = &mut state.controllers.marked;
    if !marked.remove(&id) {
        marked.insert(id);
    }
    state.controllers.move_by(1);
}

/// How many of `ids` the filter hides: said in the question, never acted on silently.
fn hidden(state: &State, ids: &[ControllerId]) -> usize {
    ids.iter()
        .filter(|id| !state.controllers.is_visible(**id))
        .count()
}

fn rows(state: &State, ids: &[ControllerId]) -> Vec<RunnerController> {
    ids.iter()
        .filter_map(|id| state.controllers.get(*id).cloned())
        .collect()
}

/// The picker's choice for the marked controllers: always a question. Controllers already in
/// the target state are left out; nothing is asked when none is left.
pub(super) fn propose_state(
    state: &mut State,
    ids: Vec<ControllerId>,
    to: ControllerState,
    fx: &mut Vec<Effect>,
) {
    let all = rows(state, &ids);
    let already = all.iter().filter(|c| c.state == to).count();
    let targets: Vec<RunnerController> = all.into_iter().filter(|c| c.state != to).collect();
    if targets.is_empty() {
        state.flash(Note::MarkedAlready(to));
        return;
    }
    let ids: Vec<ControllerId> = targets.iter().map(|c| c.id).collect();
    let plan = Plan {
        steps: targets
            .iter()
            .map(|c| rc::set_state_step(c, to.clone()))
            .collect(),
        purpose: Purpose::Normal,
        bulk: Some(ManyKind::SetState(to.clone())),
    };
    let question = Question::BulkState {
        hidden: hidden(state, &ids),
        targets,
        to,
        already,
    };
    confirm::propose(state, question, plan, fx);
}

/// `ctrl-d` with marks: one question for all of them.
pub(super) fn propose_delete(state: &mut State, fx: &mut Vec<Effect>) {
    let ids = state.controllers.marked_ids();
    let targets = rows(state, &ids);
    let plan = Plan {
        steps: targets
            .iter()
            .map(|c| {
                let change = Change::DeleteController {
                    id: c.id,
                    based_on: Some(c.updated_at.clone()),
                };
                Step::shown(change, c.clone())
            })
            .collect(),
        purpose: Purpose::Normal,
        bulk: Some(ManyKind::Delete),
    };
    let question = Question::BulkDelete {
        hidden: hidden(state, &ids),
        targets,
    };
    confirm::propose(state, question, plan, fx);
}
