//! The order of the background health reads: the runners of a scope just read, then the rows
//! around the selection (nearest first, a screen's worth), then every row never read, then
//! every stale one; at most `MAX_IN_FLIGHT` on their way.

use super::{MAX_IN_FLIGHT, SCREEN};
use crate::domain::ControllerId;
use crate::effect::{Effect, Load, VitalRead};
use crate::state::State;

/// The `k`-th position nearest to `anchor` among `n`: anchor, +1, -1, +2, -2, ...
fn nearest(anchor: usize, n: usize, k: usize) -> Option<usize> {
    if k >= n || anchor >= n {
        return None;
    }
    if k == 0 {
        return Some(anchor);
    }
    let (above, below) = (anchor, n - 1 - anchor);
    let both = above.min(below);
    if k <= 2 * both {
        let j = k.div_ceil(2);
        return Some(if k % 2 == 1 { anchor + j } else { anchor - j });
    }
    let rest = k - 2 * both;
    Some(if below > above {
        anchor + both + rest
    } else {
        anchor - both - rest
    })
}

/// The next part of `id` to read, if any is due.
fn due_part(state: &State, id: ControllerId, unread_only: bool) -> Option<VitalRead> {
    let c = &state.controllers;
    let v = &c.vitals;
    let current = v.generation;
    let Some(e) = v.entries.get(&id) else {
        return Some(VitalRead::Scopes(id));
    };
    let preview = c.scope_req.is_some_and(|(_, p)| p == id);
    if e.scopes.due(current, unread_only) && !preview {
        return Some(VitalRead::Scopes(id));
    }
    if e.tokens.due(current, unread_only) {
        return Some(VitalRead::Tokens(id));
    }
    if e.connected.due(current, unread_only) {
        return Some(VitalRead::Controller(id));
    }
    let runners = e
        .scopes
        .data
        .as_ref()
        .map(|s| &s.runners[..])
        .unwrap_or(&[]);
    runners
        .iter()
        .find(|r| {
            v.runners
                .get(&r.runner_id)
                .is_none_or(|p| p.due(current, unread_only))
        })
        .map(|r| VitalRead::Runner(r.runner_id))
}

/// The next read of the sweep, moving its cursors past what has nothing due.
fn next_read(state: &mut State) -> Option<VitalRead> {
    while let Some(r) = state.controllers.vitals.follow_ups.pop_front() {
        let current = state.controllers.vitals.generation;
        let runners = &state.controllers.vitals.runners;
        if runners.get(&r).is_none_or(|p| p.due(current, false)) {
            return Some(VitalRead::Runner(r));
        }
    }
    let here = state
        .controllers
        .selected_index()
        .map(|i| (i, state.controllers.view_stamp()));
    if state.controllers.vitals.sweep.anchor != here {
        let s = &mut state.controllers.vitals.sweep;
        s.anchor = here;
        s.screen_k = 0;
    }
    let shown = state.controllers.visible_len();
    let anchor = here.map_or(0, |(i, _)| i);
    while state.controllers.vitals.sweep.screen_k < SCREEN.min(shown) {
        let k = state.controllers.vitals.sweep.screen_k;
        let id = nearest(anchor, shown, k)
            .and_then(|i| state.controllers.visible(i))
            .map(|c| c.id);
        if let Some(read) = id.and_then(|id| due_part(state, id, false)) {
            return Some(read);
        }
        state.controllers.vitals.sweep.screen_k += 1;
    }
    while state.controllers.vitals.sweep.pass < 2 {
        let s = &state.controllers.vitals.sweep;
        let (pass, cursor) = (s.pass, s.cursor);
        let Some(id) = state.controllers.rows().get(cursor).map(|c| c.id) else {
            let s = &mut state.controllers.vitals.sweep;
            s.pass += 1;
            s.cursor = 0;
            continue;
        };
        if let Some(read) = due_part(state, id, pass == 0) {
            return Some(read);
        }
        state.controllers.vitals.sweep.cursor += 1;
    }
    None
}

/// Starts background reads until `MAX_IN_FLIGHT` are on their way or nothing is due.
pub(in crate::state) fn schedule(state: &mut State, fx: &mut Vec<Effect>) {
    if state.controllers.remote.data.is_none() {
        return;
    }
    while state.controllers.vitals.in_flight.len() < MAX_IN_FLIGHT {
        let Some(read) = next_read(state) else {
            break;
        };
        let req = state.next_id();
        let v = &mut state.controllers.vitals;
        v.in_flight.insert(req, read);
        match read {
            VitalRead::Scopes(id) => v.entry(id).scopes.asked = Some(req),
            VitalRead::Tokens(id) => v.entry(id).tokens.asked = Some(req),
            VitalRead::Controller(id) => v.entry(id).connected.asked = Some(req),
            VitalRead::Runner(id) => v.runners.entry(id).or_default().asked = Some(req),
        }
        fx.push(Effect::Load(Load::Vital { req, read }));
    }
}

#[cfg(test)]
mod tests {
    use super::nearest;

    #[test]
    fn nearest_first_covers_every_row_once() {
        for (anchor, n) in [(0, 5), (4, 5), (2, 5), (1, 6), (0, 1)] {
            let mut got: Vec<usize> = (0..n).filter_map(|k| nearest(anchor, n, k)).collect();
            assert_eq!(got[0], anchor);
            got.sort();
            assert_eq!(got, (0..n).collect::<Vec<_>>(), "{anchor} of {n}");
        }
        assert_eq!(
            (0..5).filter_map(|k| nearest(2, 5, k)).collect::<Vec<_>>(),
            [2, 3, 1, 4, 0]
        );
        assert_eq!(nearest(0, 0, 0), None);
    }
}
