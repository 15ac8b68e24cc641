//! Confirmations: a question (facts about exactly what it touches) and the plan a yes runs.
//! The one safety rule decides whether a change asks, and whether its id must be typed; every
//! grave yes (enable, delete, any bulk change that enables or deletes) waits for a fresh read
//! of the scopes of every controller involved. A yes pressed early is kept, and honoured or
//! turned into the typed-id question when the reads arrive.

use std::collections::BTreeMap;

use tui_input::Input;

use super::changes::{self, Plan};
use super::dialog::{Dialog, edit_input};
use super::notes::Note;
use super::{State, rc};
use crate::domain::{
    ControllerId, ControllerState, ControllerToken, ControllerUpdate, RunnerController,
    RunnerRequest, Session,
};
use crate::effect::{Effect, ReqId};
use crate::msg::{Edit, Intent};
use crate::ops::{Change, ScopeChange};
use crate::safety::{self, Gravity};

/// What is asked, as facts; `ui/` words it and says what each change will do.
#[derive(Debug, Clone, PartialEq)]
pub enum Question {
    SetState {
        target: RunnerController,
        to: ControllerState,
    },
    Create {
        description: Option<String>,
        state: ControllerState,
    },
    Delete {
        target: RunnerController,
    },
    Undo {
        target: RunnerController,
        restore: ControllerUpdate,
    },
    /// The controller changed on the server since the change was built: both versions.
    ChangedElsewhere {
        shown: Option<RunnerController>,
        server: RunnerController,
        change: Change,
    },
    RotateToken {
        id: ControllerId,
        token: ControllerToken,
    },
    RevokeToken {
        id: ControllerId,
        token: ControllerToken,
    },
    Scope {
        id: ControllerId,
        change: ScopeChange,
        /// The controller's state when asked (adding a scope to an enabled one enforces).
        state: Option<ControllerState>,
    },
    Release {
        session: Session,
    },
    BulkState {
        targets: Vec<RunnerController>,
        to: ControllerState,
        /// Marked but already in that state: left out.
        already: usize,
        /// Marked but hidden by the filter.
        hidden: usize,
    },
    BulkDelete {
        targets: Vec<RunnerController>,
        hidden: usize,
    },
    /// A runner request for an assembly that has one on its way already.
    AnotherRequest {
        request: RunnerRequest,
        on_its_way: usize,
    },
}

#[derive(Debug, Clone)]
pub struct TypedId {
    pub expected: String,
    /// Words (`enable 3`, for several controllers) rather than one controller's id.
    pub words: bool,
    pub input: Input,
}

#[derive(Debug, Clone)]
pub struct Confirm {
    pub question: Question,
    pub plan: Plan,
    /// Which button is highlighted; starts on No.
    pub yes: bool,
    /// Fresh scope reads a yes waits for: controller -> the read asked for.
    pub awaiting: BTreeMap<ControllerId, ReqId>,
    /// The user said yes while the scopes were being read.
    pub yes_pending: bool,
    /// For the gravest changes: what must be typed before a yes counts.
    pub typed: Option<TypedId>,
}

impl Confirm {
    /// Whether a yes would be accepted now.
    pub fn armed(&self) -> bool {
        self.typed
            .as_ref()
            .is_none_or(|t| t.input.value().trim() == t.expected)
    }

    /// The controllers the plan touches.
    pub fn controllers(&self) -> impl Iterator<Item = ControllerId> + '_ {
        self.plan.steps.iter().filter_map(|s| s.change.controller())
    }
}

/// How grave the plan is, from what is known now.
fn gravity(state: &State, plan: &Plan) -> Gravity {
    plan.steps
        .iter()
        .map(|s| {
            let id = s.change.controller();
            let now = id
                .and_then(|id| state.controllers.get(id))
                .map(|c| &c.state);
            let seen = id.map_or(safety::ScopesSeen::Unknown, |id| {
                state.controllers.scopes_seen(id)
            });
            safety::gravity(&s.change, now, seen)
        })
        .max()
        .unwrap_or(Gravity::Plain)
}

/// Runs `plan` at once when it needs no question, else asks `question` (in turn, behind any
/// open dialog, when `queue`).
pub(super) fn propose(state: &mut State, question: Question, plan: Plan, fx: &mut Vec<Effect>) {
    let fresh = plan
        .steps
        .iter()
        .any(|s| safety::needs_fresh_scopes(&s.change));
    if !fresh && plan.bulk.is_none() && gravity(state, &plan) == Gravity::Plain {
        changes::run(state, plan, fx);
        return;
    }
    let c = ask(state, question, plan, fx);
    state.open_dialog(Dialog::Confirm(c));
}

/// Builds the confirmation, sending the fresh scope reads its yes must wait for.
pub(super) fn ask(
    state: &mut State,
    question: Question,
    plan: Plan,
    fx: &mut Vec<Effect>,
) -> Confirm {
    let mut c = Confirm {
        question,
        plan,
        yes: false,
        awaiting: BTreeMap::new(),
        yes_pending: false,
        typed: None,
    };
    read_scopes(state, &mut c, fx);
    c
}

/// (Re)sends the scope reads a yes waits for; settles at once when there are none.
pub(super) fn read_scopes(state: &mut State, c: &mut Confirm, fx: &mut Vec<Effect>) {
    c.awaiting.clear();
    let grave: Vec<ControllerId> = c
        .plan
        .steps
        .iter()
        .filter(|s| safety::needs_fresh_scopes(&s.change))
        .filter_map(|s| s.change.controller())
        .collect();
    for id in grave {
        let req = rc::load_scopes(state, id, fx);
        c.awaiting.insert(id, req);
    }
    if c.awaiting.is_empty() {
        settle(state, c);
    }
}

/// Every read is in: the question asks for typing when the rule says so.
fn settle(state: &State, c: &mut Confirm) {
    if gravity(state, &c.plan) != Gravity::TypeId || c.typed.is_some() {
        return;
    }
    let (expected, words) = match (&c.question, c.plan.steps.as_slice()) {
        (Question::BulkState { targets, .. }, _) => (format!("enable {}", targets.len()), true),
        (Question::BulkDelete { targets, .. }, _) => (format!("delete {}", targets.len()), true),
        (_, [one]) => (
            one.change
                .controller()
                .map(|id| id.to_string())
                .unwrap_or_default(),
            false,
        ),
        (_, steps) => (format!("{} controllers", steps.len()), true),
    };
    c.typed = Some(TypedId {
        expected,
        words,
        input: Input::default(),
    });
}

/// A fresh scopes read arrived: a confirmation waiting for it may now ask for typing, or go.
pub(super) fn scopes_arrived(
    state: &mut State,
    id: ControllerId,
    req: ReqId,
    fx: &mut Vec<Effect>,
) {
    let Some(Dialog::Confirm(c)) = state.dialog.as_mut() else {
        return;
    };
    if c.awaiting.get(&id).is_none_or(|asked| req < *asked) {
        return;
    }
    // A newer read of the same scopes is on its way (the detail reloaded): this answer did
    // not reach the cache the rule reads, so the newer one decides.
    if let Some(&latest) = state.controllers.scope_latest.get(&id)
        && latest != req
    {
        c.awaiting.insert(id, latest);
        return;
    }
    c.awaiting.remove(&id);
    if !c.awaiting.is_empty() {
        return;
    }
    let Some(Dialog::Confirm(mut c)) = state.dialog.take() else {
        return;
    };
    settle(state, &mut c);
    let pending = std::mem::take(&mut c.yes_pending);
    if c.typed.is_some() {
        if pending {
            state.flash(Note::InstanceScopeTypeId);
        }
        state.dialog = Some(Dialog::Confirm(c));
    } else if pending {
        yes(state, c, fx);
    } else {
        state.dialog = Some(Dialog::Confirm(c));
    }
}

/// A key in the confirmation; `None` closes it.
pub(super) fn answer(
    state: &mut State,
    mut c: Confirm,
    intent: Intent,
    fx: &mut Vec<Effect>,
) -> Option<Dialog> {
    let said_yes = match intent {
        Intent::Answer(true) => true,
        Intent::Answer(false) => return None,
        Intent::Submit => c.yes || c.typed.is_some(),
        Intent::Edit(e) if c.typed.is_some() => {
            if let Some(t) = c.typed.as_mut() {
                edit_input(&mut t.input, e);
            }
            return Some(Dialog::Confirm(c));
        }
        Intent::Paste(text) if c.typed.is_some() => {
            if let Some(t) = c.typed.as_mut() {
                text.chars()
                    .filter(|ch| !ch.is_control())
                    .for_each(|ch| edit_input(&mut t.input, Edit::Char(ch)));
            }
            return Some(Dialog::Confirm(c));
        }
        Intent::NextField | Intent::PrevField | Intent::Edit(Edit::Left | Edit::Right) => {
            c.yes = !c.yes;
            return Some(Dialog::Confirm(c));
        }
        _ => return Some(Dialog::Confirm(c)),
    };
    if !said_yes {
        return None;
    }
    if !c.awaiting.is_empty() {
        c.yes_pending = true;
        state.flash(Note::CheckingScopes);
        return Some(Dialog::Confirm(c));
    }
    if !c.armed() {
        let words = c
            .typed
            .as_ref()
            .filter(|t| t.words)
            .map(|t| t.expected.clone());
        state.flash(Note::TypeToConfirm { words });
        return Some(Dialog::Confirm(c));
    }
    yes(state, c, fx);
    None
}

fn yes(state: &mut State, c: Confirm, fx: &mut Vec<Effect>) {
    if state.context.read_only {
        state.flash(Note::ReadOnlyNothing);
        return;
    }
    changes::run(state, c.plan, fx);
}
