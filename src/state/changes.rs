//! State changes of a runner controller: the `t` toggle, the picker's proposal, the typed-id
//! rule, the stale-change check and its second question, and `z` undo. Pure like the rest of
//! the reducer: it only decides, the runner sends.

use super::controllers::label;
use super::dialog::{Confirm, Dialog, Op};
use super::{Level, State, preview};
use crate::domain::{ControllerState, ControllerUpdate, RunnerController, Timestamp};
use crate::effect::Effect;

/// The last change of this run, for `z`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LastChange {
    /// A state or description change: `before` is the row as it was shown.
    Revertible {
        before: RunnerController,
        after: RunnerController,
    },
    /// Deletes and token changes: why `z` cannot help.
    Irreversible(String),
}

pub(super) fn describe_update(u: &ControllerUpdate) -> String {
    let mut parts = Vec::new();
    if let Some(s) = &u.state {
        parts.push(format!("state {s}"));
    }
    match &u.description {
        Some(Some(d)) => parts.push(format!("description \"{d}\"")),
        Some(None) => parts.push("clear the description".into()),
        None => {}
    }
    parts.join(", ")
}

/// `z`: reverts the last state or description change of this run, through a confirmation.
pub(super) fn undo(state: &mut State, fx: &mut Vec<Effect>) {
    let Some(change) = state.controllers.undo_stack.last().cloned() else {
        state.flash(Level::Info, "Nothing (more) to undo in this run");
        return;
    };
    let (before, after) = match change {
        LastChange::Irreversible(why) => {
            // Said once; the next z reaches the change before it.
            state.controllers.undo_stack.pop();
            state.flash(Level::Warn, format!("{why} (z again goes further back)"));
            return;
        }
        LastChange::Revertible { before, after } => (before, after),
    };
    if state.controllers.get(before.id).is_none() {
        state.controllers.undo_stack.pop();
        state.flash(
            Level::Warn,
            format!(
                "Runner controller {} is gone: nothing to undo there (z again goes further back)",
                before.id
            ),
        );
        return;
    }
    let id = before.id;
    let now = state.controllers.get(id).cloned().unwrap_or(after);
    let mut update = ControllerUpdate::default();
    let mut details = Vec::new();
    if before.state != now.state {
        details.push(preview::change(&now.state, &before.state));
        details.push(preview::impact(
            &before.state,
            state.controllers.scopes.get(&id),
        ));
        update.state = Some(before.state.clone());
    }
    if before.description != now.description {
        details.push(format!(
            "description back to {}",
            before
                .description
                .as_deref()
                .map_or("(none)".to_string(), |d| format!("\"{d}\""))
        ));
        update.description = Some(before.description.clone());
    }
    if details.is_empty() {
        state.flash(
            Level::Info,
            format!("Runner controller {id} already looks as before"),
        );
        return;
    }
    let enables = update.state == Some(ControllerState::Enabled);
    let mut confirm = Confirm::new(
        "Undo",
        format!("Undo the last change of runner controller {}?", label(&now)),
        Op::Undo {
            id,
            update,
            expected: now.updated_at,
        },
    )
    .with_details(details);
    if enables {
        confirm = guard(state, confirm, id, fx);
    }
    state.dialog = Some(Dialog::Confirm(confirm));
}

/// `t`: disabled <-> dry_run at once; enabled -> dry_run asks first (it turns enforcement off).
pub(super) fn toggle(state: &mut State, fx: &mut Vec<Effect>) {
    let Some(c) = state.controllers.selected_controller().cloned() else {
        return;
    };
    match &c.state {
        ControllerState::Disabled => set_state(state, c.id, ControllerState::DryRun, fx),
        ControllerState::DryRun => set_state(state, c.id, ControllerState::Disabled, fx),
        ControllerState::Enabled => {
            let to = ControllerState::DryRun;
            let confirm = Confirm::new(
                "Turn enforcement off",
                format!("Set runner controller {} to dry_run?", label(&c)),
                Op::SetState {
                    id: c.id,
                    from: c.state.clone(),
                    to: to.clone(),
                    expected: c.updated_at,
                },
            )
            .with_details(vec![
                preview::change(&c.state, &to),
                preview::impact(&to, state.controllers.scopes.get(&c.id)),
            ]);
            state.dialog = Some(Dialog::Confirm(confirm));
        }
        ControllerState::Other(s) => state.flash(
            Level::Warn,
            format!(
                "Runner controller {} is in state {s:?}, unknown to runnerdeck: use s to pick one",
                c.id
            ),
        ),
    }
}

/// A state change chosen in the picker: anything ending in `enabled` asks first, and enabling
/// a controller with the instance scope asks for its id to be typed.
pub(super) fn propose_state(
    state: &mut State,
    id: i64,
    to: ControllerState,
    fx: &mut Vec<Effect>,
) -> Option<Dialog> {
    let c = state.controllers.get(id).cloned()?;
    if to == ControllerState::Enabled {
        let scopes = state.controllers.scopes.get(&id);
        let details = vec![preview::change(&c.state, &to), preview::impact(&to, scopes)];
        let confirm = Confirm::new(
            "Enforce admission",
            format!("Enable runner controller {}?", label(&c)),
            Op::SetState {
                id,
                from: c.state.clone(),
                to,
                expected: c.updated_at,
            },
        )
        .with_details(details);
        let confirm = guard(state, confirm, id, fx);
        return Some(Dialog::Confirm(confirm));
    }
    if c.state == ControllerState::Enabled {
        // Leaving `enabled` turns enforcement off: ask, as `t` does.
        let scopes = state.controllers.scopes.get(&id);
        let confirm = Confirm::new(
            "Turn enforcement off",
            format!("Set runner controller {} to {to}?", label(&c)),
            Op::SetState {
                id,
                from: c.state.clone(),
                to: to.clone(),
                expected: c.updated_at,
            },
        )
        .with_details(vec![
            preview::change(&c.state, &to),
            preview::impact(&to, scopes),
        ]);
        return Some(Dialog::Confirm(confirm));
    }
    set_state(state, id, to, fx);
    None
}

/// Why the id must be typed.
pub(super) fn typed_reason(state: &State, id: i64) -> String {
    if state.controllers.scopes_unavailable.contains(&id) {
        "Its scopes could not be read, so it may judge every job. Type its id to confirm.".into()
    } else {
        "It has the instance scope. Type its id to confirm.".into()
    }
}

/// Whether a change to this controller is grave enough to type its id: it has the instance
/// scope, or its scopes could not be read (so it might).
pub(super) fn grave(state: &State, id: i64) -> bool {
    preview::needs_typed_id(state.controllers.scopes.get(&id))
        || state.controllers.scopes_unavailable.contains(&id)
}

pub(super) fn set_state(state: &mut State, id: i64, to: ControllerState, fx: &mut Vec<Effect>) {
    let update = ControllerUpdate {
        description: None,
        state: Some(to.clone()),
    };
    state.flash(
        Level::Info,
        format!("Setting runner controller {id} to {to}…"),
    );
    send_update(state, id, update, fx);
}

/// Sends a change, asking the runner to check first that nobody else changed the controller
/// since the screen loaded it.
pub(super) fn send_update(
    state: &mut State,
    id: i64,
    update: ControllerUpdate,
    fx: &mut Vec<Effect>,
) {
    let expected = state.controllers.get(id).and_then(|c| c.updated_at);
    send_update_expecting(state, id, update, expected, fx);
}

pub(super) fn send_update_expecting(
    state: &mut State,
    id: i64,
    update: ControllerUpdate,
    expected: Option<Timestamp>,
    fx: &mut Vec<Effect>,
) {
    state.controllers.set_busy(id, true);
    fx.push(Effect::UpdateController {
        id,
        update,
        expected,
    });
}

pub(super) fn execute(state: &mut State, op: Op, fx: &mut Vec<Effect>) {
    match op {
        Op::SetState {
            id, to, expected, ..
        } => {
            state.flash(
                Level::Info,
                format!("Setting runner controller {id} to {to}…"),
            );
            let update = ControllerUpdate {
                description: None,
                state: Some(to),
            };
            send_update_expecting(state, id, update, expected, fx);
        }
        Op::Update {
            id,
            update,
            expected,
        } => {
            state.flash(Level::Info, format!("Changing runner controller {id}…"));
            send_update_expecting(state, id, update, expected, fx);
        }
        Op::Undo {
            id,
            update,
            expected,
        } => {
            state.flash(
                Level::Info,
                format!("Undoing the change of runner controller {id}…"),
            );
            state.controllers.undoing.insert(id);
            send_update_expecting(state, id, update, expected, fx);
        }
        Op::Create {
            description,
            state: s,
        } => {
            state.flash(Level::Info, "Creating runner controller…");
            fx.push(Effect::CreateController {
                description,
                state: s,
            });
        }
        Op::Delete { id, updated_at } => {
            state.controllers.set_busy(id, true);
            state.flash(Level::Info, format!("Deleting runner controller {id}…"));
            fx.push(Effect::DeleteController {
                id,
                if_unmodified_since: updated_at,
            });
        }
        Op::Release { .. }
        | Op::RotateToken { .. }
        | Op::RevokeToken { .. }
        | Op::Scope { .. }
        | Op::BulkState { .. }
        | Op::BulkDelete { .. } => {}
    }
}

/// Someone changed the controller since the screen loaded it: nothing was sent; show both
/// versions and ask again (an ending in `enabled` keeps the typed-id rule).
pub(super) fn changed_elsewhere(
    state: &mut State,
    id: i64,
    update: ControllerUpdate,
    server: RunnerController,
    fx: &mut Vec<Effect>,
) {
    state.controllers.set_busy(id, false);
    let shown = state.controllers.get(id).cloned();
    let tz = state.context.tz.clone();
    let describe = |c: &RunnerController| {
        format!(
            "state {}, description {}, updated {}",
            c.state,
            c.description
                .as_deref()
                .map_or("(none)".to_string(), |d| format!("\"{d}\"")),
            c.updated_at
                .map(|t| t
                    .to_zoned(tz.clone())
                    .strftime("%Y-%m-%d %H:%M:%S")
                    .to_string())
                .unwrap_or_default()
        )
    };
    let mut details = Vec::new();
    if let Some(s) = &shown {
        details.push(format!("On your screen: {}", describe(s)));
    }
    details.push(format!("On the server:  {}", describe(&server)));
    details.push(format!("Your change:    {}", describe_update(&update)));
    let enables = update.state == Some(ControllerState::Enabled);
    let mut confirm = Confirm::new(
        "Changed by someone else",
        format!("Runner controller {id} changed on the server since you loaded it. Apply your change anyway?"),
        Op::Update {
            id,
            update,
            expected: server.updated_at,
        },
    )
    .with_details(details);
    state.controllers.upsert(server);
    if enables {
        confirm = guard(state, confirm, id, fx);
    }
    state.open_dialog(Dialog::Confirm(confirm));
}

/// Guards a confirmation about controller `id` with the typed-id rule. When its scopes are not
/// known yet they are read first; `scopes_arrived` then settles the question.
pub(super) fn guard(
    state: &mut State,
    mut confirm: Confirm,
    id: i64,
    fx: &mut Vec<Effect>,
) -> Confirm {
    if grave(state, id) {
        confirm.details.push(typed_reason(state, id));
        return confirm.require_typed(id.to_string());
    }
    // What is cached may be old (another admin may have added the instance scope): a yes
    // always waits for a fresh read.
    confirm.awaiting_scopes = Some(id);
    confirm.details.push(CHECKING.into());
    super::detail::load_scopes(state, id, fx);
    confirm
}

const CHECKING: &str = "Checking its scopes…";

/// The scopes of `id` are known (or unreadable): an open confirmation waiting for them now
/// either asks for the id or, if the user already said yes, goes ahead.
pub(super) fn scopes_arrived(state: &mut State, id: i64, fx: &mut Vec<Effect>) {
    let Some(Dialog::Confirm(c)) = state.dialog.as_ref() else {
        return;
    };
    if c.awaiting_scopes != Some(id) {
        return;
    }
    let Some(Dialog::Confirm(mut c)) = state.dialog.take() else {
        return;
    };
    c.awaiting_scopes = None;
    c.details.retain(|d| d != CHECKING);
    if let Some(to) = target_state(&c.op) {
        let impact = preview::impact(&to, state.controllers.scopes.get(&id));
        for d in c
            .details
            .iter_mut()
            .filter(|d| d.starts_with("Scopes not loaded yet"))
        {
            *d = impact.clone();
        }
    }
    if grave(state, id) {
        c.details.push(typed_reason(state, id));
        c = c.require_typed(id.to_string());
        if c.yes_pending {
            state.flash(
                Level::Warn,
                "It has the instance scope: type its id to confirm",
            );
        }
        c.yes_pending = false;
        state.dialog = Some(Dialog::Confirm(c));
    } else if c.yes_pending && !state.context.read_only {
        execute(state, c.op, fx);
    } else {
        state.dialog = Some(Dialog::Confirm(c));
    }
}

fn target_state(op: &Op) -> Option<ControllerState> {
    match op {
        Op::SetState { to, .. } => Some(to.clone()),
        Op::Update { update, .. } | Op::Undo { update, .. } => update.state.clone(),
        _ => None,
    }
}
