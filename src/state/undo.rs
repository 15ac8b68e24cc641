//! `z`: walks back through this run's changes. Each revertible entry holds what the server
//! answered (the version read just before the change, and the one it produced), so an undo is
//! based on the version this run made: if another administrator changed the controller since,
//! the stale-change read asks again instead of reverting their change.

use super::State;
use super::changes::{Plan, Purpose, Step};
use super::confirm::{self, Question};
use super::notes::{Irreversible, Note};
use crate::domain::{ControllerUpdate, RunnerController};
use crate::effect::Effect;
use crate::ops::Change;

#[derive(Debug, Clone, PartialEq, Eq)]
// One value at a time, moved rarely: boxing the big variant would only add indirection.
#[allow(clippy::large_enum_variant)]
pub enum LastChange {
    /// A state or description change, as the server had it before and after.
    Revertible {
        before: RunnerController,
        after: RunnerController,
    },
    /// Deletes and token changes: why `z` cannot help.
    Irreversible(Irreversible),
}

/// The update that puts `before`'s fields back over `after`'s.
fn restore(before: &RunnerController, after: &RunnerController) -> ControllerUpdate {
    ControllerUpdate {
        state: (before.state != after.state).then(|| before.state.clone()),
        description: (before.description != after.description).then(|| before.description.clone()),
    }
}

/// An undo of controller `after.id` went through (`after`: the server's answer). It takes its
/// own change off the stack (the newest of that controller: another's answer may have come in
/// since), and the change before it, which now stands again, is based on the undo's version:
/// the next `z` must not look like a change made elsewhere.
pub(super) fn undone(stack: &mut Vec<LastChange>, after: &RunnerController) {
    let of =
        |e: &LastChange| matches!(e, LastChange::Revertible { after: a, .. } if a.id == after.id);
    if let Some(i) = stack.iter().rposition(of) {
        stack.remove(i);
    }
    if let Some(LastChange::Revertible { after: prev, .. }) = stack.iter_mut().rev().find(|e| of(e))
        && prev.state == after.state
        && prev.description == after.description
    {
        *prev = after.clone();
    }
}

pub(super) fn undo(state: &mut State, fx: &mut Vec<Effect>) {
    let Some(change) = state.controllers.undo_stack.last().cloned() else {
        state.flash(Note::NothingToUndo);
        return;
    };
    let (before, after) = match change {
        LastChange::Irreversible(why) => {
            // Said once; the next z reaches the change before it.
            state.controllers.undo_stack.pop();
            state.flash(Note::CannotUndo(why));
            return;
        }
        LastChange::Revertible { before, after } => (before, after),
    };
    let id = after.id;
    if state.controllers.get(id).is_none() {
        state.controllers.undo_stack.pop();
        state.flash(Note::UndoGone(id));
        return;
    }
    if state.controllers.busy.contains(&id) {
        state.flash(Note::Busy(id));
        return;
    }
    let update = restore(&before, &after);
    if update == ControllerUpdate::default() {
        state.controllers.undo_stack.pop();
        state.flash(Note::AlreadyAsBefore(id));
        return;
    }
    let change = Change::UpdateController {
        id,
        update: update.clone(),
        based_on: Some(after.updated_at.clone()),
    };
    let plan = Plan {
        steps: vec![Step::shown(change, after.clone())],
        purpose: Purpose::Undo,
        bulk: None,
    };
    let question = Question::Undo {
        target: after,
        restore: update,
    };
    let c = confirm::ask(state, question, plan, fx);
    state.dialog = Some(super::Dialog::Confirm(c));
}
