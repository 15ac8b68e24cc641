//! Changes on their way: a `Plan` (built when a question is asked, or at once for a change that
//! needs none) is run by one function for one row or fifty, and each outcome finds what its
//! change was about. A controller with a change on its way gets no second one until the first
//! has its answer.

use super::notes::{ManyKind, Note};
use super::{State, bookings, detail, rc, requests};
use crate::domain::RunnerController;
use crate::effect::{ChangeId, Effect};
use crate::ops::{Change, Done, OpError};

/// What a change is for, beyond the change itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Recorded for `z` when it succeeds.
    Normal,
    /// `z` itself: its success takes the change it reverted off the stack.
    Undo,
}

/// One change and the version of the controller it was built from (what the user saw).
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub change: Change,
    pub shown: Option<RunnerController>,
}

impl Step {
    pub fn new(change: Change) -> Self {
        Self {
            change,
            shown: None,
        }
    }

    pub fn shown(change: Change, shown: RunnerController) -> Self {
        Self {
            change,
            shown: Some(shown),
        }
    }
}

/// Everything a yes sends.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub steps: Vec<Step>,
    pub purpose: Purpose,
    /// A bulk change: said as one note, and the marks are spent.
    pub bulk: Option<ManyKind>,
}

impl Plan {
    pub fn one(step: Step) -> Self {
        Self {
            steps: vec![step],
            purpose: Purpose::Normal,
            bulk: None,
        }
    }
}

/// A change on its way.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    pub step: Step,
    pub purpose: Purpose,
}

/// Sends every step of `plan` whose controller has no change on its way.
pub(super) fn run(state: &mut State, plan: Plan, fx: &mut Vec<Effect>) {
    let mut sent = 0;
    let mut skipped = 0;
    let single = plan.steps.len() == 1 && plan.bulk.is_none();
    for step in plan.steps {
        if let Some(id) = step.change.controller()
            && state.controllers.busy.contains(&id)
        {
            if single {
                state.flash(Note::Busy(id));
                return;
            }
            skipped += 1;
            continue;
        }
        if single {
            state.flash(match (&step.change, plan.purpose) {
                (Change::UpdateController { id, .. }, Purpose::Undo) => Note::Undoing(*id),
                (c, _) => Note::Sending(c.clone()),
            });
        }
        send(state, step, plan.purpose, fx);
        sent += 1;
    }
    if let Some(kind) = plan.bulk {
        state.controllers.marked.clear();
        if sent > 0 {
            state.flash(Note::SendingMany {
                n: sent,
                change: kind,
            });
        }
        if skipped > 0 {
            state.flash(Note::SkippedBusy(skipped));
        }
    }
}

fn send(state: &mut State, step: Step, purpose: Purpose, fx: &mut Vec<Effect>) {
    let id = ChangeId(state.next_id());
    if let Some(c) = step.change.controller() {
        state.controllers.busy.insert(c);
    }
    if let Change::RequestRunner { request } = &step.change {
        requests::sending(state, id, request.clone());
    }
    fx.push(Effect::Change {
        id,
        change: step.change.clone(),
    });
    state.changes.insert(id, Pending { step, purpose });
}

/// A change's outcome: the controller is free again, and what it was about learns how it went.
pub(super) fn finished(
    state: &mut State,
    id: ChangeId,
    result: Result<Done, OpError>,
    fx: &mut Vec<Effect>,
) {
    let Some(pending) = state.changes.remove(&id) else {
        return;
    };
    if let Some(c) = pending.step.change.controller() {
        state.controllers.busy.remove(&c);
    }
    match pending.step.change {
        Change::RequestRunner { .. } => requests::requested(state, id, result, fx),
        Change::ExtendSession { .. } | Change::ReleaseSession { .. } => {
            bookings::changed(state, &pending.step.change, result, fx)
        }
        Change::CreateToken { .. }
        | Change::RotateToken { .. }
        | Change::RevokeToken { .. }
        | Change::Scope { .. } => detail::changed(state, &pending.step.change, result, fx),
        _ => rc::changed(state, pending, result, fx),
    }
}
