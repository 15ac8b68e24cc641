//! Marked rows (`space`) and the bulk state change or delete they allow. A bulk change always
//! asks, lists what it touches, and asks for the count to be typed when an instance-scoped
//! controller is among them.

use super::controllers::{execute, label};
use super::dialog::{Confirm, Dialog, Op};
use super::{Level, State, preview};
use crate::domain::ControllerState;
use crate::effect::Effect;

/// How many rows a confirmation lists before "and N more".
const LISTED: usize = 8;

/// `space`: marks or unmarks the selected controller and moves down, like k9s.
pub(super) fn toggle_mark(state: &mut State) {
    let Some(id) = state.controllers.selected else {
        return;
    };
    let marked = &mut state.controllers.marked;
    if !marked.remove(&id) {
        marked.insert(id);
    }
    state.controllers.move_down();
}

/// How many of `ids` the filter hides: said in the question, never acted on silently.
fn hidden_note(state: &State, ids: &[i64]) -> Option<String> {
    let hidden = ids
        .iter()
        .filter(|id| !state.controllers.is_visible(**id))
        .count();
    match hidden {
        0 => None,
        1 => Some("1 of them is hidden by the filter.".into()),
        n => Some(format!("{n} of them are hidden by the filter.")),
    }
}

fn listed<T>(items: &[T], line: impl Fn(&T) -> String) -> Vec<String> {
    let mut out: Vec<String> = items.iter().take(LISTED).map(line).collect();
    if items.len() > LISTED {
        out.push(format!("… and {} more", items.len() - LISTED));
    }
    out
}

fn any_grave(state: &State, ids: &[i64]) -> bool {
    // Unknown scopes count: marked rows rarely had theirs read.
    ids.iter().any(|id| {
        super::controllers::grave(state, *id) || !state.controllers.scopes.contains_key(id)
    })
}

/// The marked controllers that still exist, in id order.
pub(super) fn marked(state: &State) -> Vec<i64> {
    state
        .controllers
        .marked
        .iter()
        .copied()
        .filter(|id| {
            state
                .controllers
                .rows()
                .binary_search_by_key(id, |c| c.id)
                .is_ok()
        })
        .collect()
}

/// The picker's choice for the marked controllers: always a confirmation.
/// Controllers already in the target state are left out; `None` when none is left.
pub(super) fn propose_state(
    state: &mut State,
    ids: Vec<i64>,
    to: ControllerState,
) -> Option<Dialog> {
    let already = ids
        .iter()
        .filter(|id| state.controllers.get(**id).is_some_and(|c| c.state == to))
        .count();
    let rows: Vec<_> = ids
        .iter()
        .filter_map(|id| state.controllers.get(*id).cloned())
        .filter(|c| c.state != to)
        .collect();
    if rows.is_empty() {
        state.flash(
            Level::Info,
            format!("The marked controllers are already {to}"),
        );
        return None;
    }
    let ids: Vec<i64> = rows.iter().map(|c| c.id).collect();
    let hidden = hidden_note(state, &ids);
    let mut details = listed(&rows, |c| {
        format!("{}: {}", label(c), preview::change(&c.state, &to))
    });
    details.extend(hidden);
    if already > 0 {
        details.push(format!("{already} marked already {to}: left out."));
    }
    if to == ControllerState::Enabled {
        details.push(
            "Their admit/reject decisions will be enforced: rejected jobs fail with job_router_failure."
                .into(),
        );
    }
    let grave = to == ControllerState::Enabled && any_grave(state, &ids);
    if grave {
        details.push(format!(
            "Some may have the instance scope (or theirs are not known). Type \"{}\" to confirm.",
            typed_words("enable", ids.len())
        ));
    }
    let mut confirm = Confirm::new(
        "Bulk state change",
        format!("Set {} runner controllers to {to}?", ids.len()),
        Op::BulkState {
            targets: rows
                .iter()
                .map(|c| (c.id, c.state.clone(), c.updated_at))
                .collect(),
            to,
        },
    )
    .with_details(details);
    if grave {
        confirm = confirm.require_typed(typed_words("enable", ids.len()));
    }
    Some(Dialog::Confirm(confirm))
}

/// `ctrl-d` with marks: one confirmation for all of them.
pub(super) fn propose_delete(state: &mut State, ids: Vec<i64>) {
    let rows: Vec<_> = ids
        .iter()
        .filter_map(|id| state.controllers.get(*id).cloned())
        .collect();
    let hidden = hidden_note(state, &ids);
    let mut details = listed(&rows, label);
    details.extend(hidden);
    details.push("Their tokens and scopes are deleted with them. This cannot be undone.".into());
    let grave = any_grave(state, &ids);
    if grave {
        details.push(format!(
            "Some may have the instance scope (or theirs are not known). Type \"{}\" to confirm.",
            typed_words("delete", ids.len())
        ));
    }
    let targets = rows.iter().map(|c| (c.id, c.updated_at)).collect();
    let mut confirm = Confirm::new(
        "Bulk delete",
        format!("Delete {} runner controllers?", rows.len()),
        Op::BulkDelete { targets },
    )
    .with_details(details);
    if grave {
        confirm = confirm.require_typed(typed_words("delete", ids.len()));
    }
    state.dialog = Some(Dialog::Confirm(confirm));
}

/// Sends one change per controller; the marks are spent.
pub(super) fn execute_bulk(state: &mut State, op: Op, fx: &mut Vec<Effect>) {
    match op {
        Op::BulkState { targets, to } => {
            let n = targets.len();
            for (id, from, expected) in targets {
                execute(
                    state,
                    Op::SetState {
                        id,
                        from,
                        to: to.clone(),
                        expected,
                    },
                    fx,
                );
            }
            state.flash(
                Level::Info,
                format!("Setting {n} runner controllers to {to}…"),
            );
        }
        Op::BulkDelete { targets } => {
            let n = targets.len();
            for (id, updated_at) in targets {
                execute(state, Op::Delete { id, updated_at }, fx);
            }
            state.flash(Level::Info, format!("Deleting {n} runner controllers…"));
        }
        _ => return,
    }
    state.controllers.marked.clear();
}

/// What to type for a grave bulk change: a verb and a count, never mistaken for an id.
fn typed_words(verb: &str, n: usize) -> String {
    format!("{verb} {n}")
}
