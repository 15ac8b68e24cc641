//! The views over both panes: `:health` (every finding across controllers, worst first) and
//! `:events` (every runner controller event of the last 30 days, newest first). Each keeps its
//! rows as a list the reducer rebuilds when the data changes; `Enter` jumps to the controller
//! (its detail, its row selected underneath), `esc` goes back.

use super::{Pane, State, detail, history, quit};
use crate::domain::ControllerId;
use crate::effect::Effect;
use crate::health::Finding;
use crate::msg::Intent;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HealthSheet {
    /// Every finding, worst first.
    pub rows: Vec<Finding>,
    pub cursor: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EventsSheet {
    pub cursor: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sheet {
    Health(HealthSheet),
    Events(EventsSheet),
}

impl Sheet {
    fn len(&self, state: &State) -> usize {
        match self {
            Sheet::Health(h) => h.rows.len(),
            Sheet::Events(_) => state
                .controllers
                .history
                .server
                .data
                .as_ref()
                .map_or(0, Vec::len),
        }
    }

    pub fn cursor(&self) -> usize {
        match self {
            Sheet::Health(h) => h.cursor,
            Sheet::Events(e) => e.cursor,
        }
    }

    fn cursor_mut(&mut self) -> &mut usize {
        match self {
            Sheet::Health(h) => &mut h.cursor,
            Sheet::Events(e) => &mut e.cursor,
        }
    }
}

fn all_findings(state: &State) -> Vec<Finding> {
    let mut rows: Vec<Finding> = state.controllers.vitals.findings().cloned().collect();
    crate::health::sort(&mut rows);
    rows
}

pub(super) fn open_health(state: &mut State) {
    let rows = all_findings(state);
    state.sheet = Some(Sheet::Health(HealthSheet { rows, cursor: 0 }));
}

pub(super) fn open_events(state: &mut State, fx: &mut Vec<Effect>) {
    state.sheet = Some(Sheet::Events(EventsSheet::default()));
    history::refresh_if_shown(state, fx);
    if state.controllers.history.server.data.is_none() {
        history::load(state, fx);
    }
}

/// The findings changed: the open `:health` keeps its cursor on the same finding.
pub(super) fn findings_changed(state: &mut State) {
    let rows = all_findings(state);
    if let Some(Sheet::Health(h)) = state.sheet.as_mut() {
        let at = h.rows.get(h.cursor).cloned();
        let cursor = at
            .and_then(|f| rows.iter().position(|r| *r == f))
            .unwrap_or(h.cursor);
        h.cursor = cursor.min(rows.len().saturating_sub(1));
        h.rows = rows;
    }
}

/// The controller the row under the cursor is about.
fn target(state: &State, sheet: &Sheet) -> Option<ControllerId> {
    match sheet {
        Sheet::Health(h) => h.rows.get(h.cursor).map(|f| f.controller),
        Sheet::Events(e) => {
            let events = state.controllers.history.server.data.as_ref()?;
            let v = &state.controllers.vitals;
            events.get(e.cursor)?.controller(|t| v.token_owner(t))
        }
    }
}

/// Closes the sheet and opens the controller's detail, its row selected underneath.
fn jump(state: &mut State, id: ControllerId, fx: &mut Vec<Effect>) {
    state.sheet = None;
    state.focus = Pane::Controllers;
    if state.controllers.get(id).is_none() {
        state.flash(super::Note::NotListed(id));
        return;
    }
    if !state.controllers.is_visible(id) {
        state.controllers.set_filter(None);
    }
    state.controllers.select_id(id);
    state.controllers.detail = None;
    detail::open(state, fx);
}

/// Keys while a sheet is open; the ones it does not use work as in the lists.
pub(super) fn intent(state: &mut State, i: Intent, fx: &mut Vec<Effect>) {
    let Some(mut sheet) = state.sheet.take() else {
        return;
    };
    let n = sheet.len(state);
    let last = n.saturating_sub(1);
    let c = sheet.cursor();
    let moved = match i {
        Intent::Up => Some(c.saturating_sub(1)),
        Intent::Down => Some((c + 1).min(last)),
        Intent::PageUp => Some(c.saturating_sub(10)),
        Intent::PageDown => Some((c + 10).min(last)),
        Intent::Top => Some(0),
        Intent::Bottom => Some(last),
        _ => None,
    };
    if let Some(m) = moved {
        *sheet.cursor_mut() = m;
        state.sheet = Some(sheet);
        return;
    }
    match i {
        Intent::Back => {}
        Intent::OpenDetail => match target(state, &sheet) {
            Some(id) => {
                jump(state, id, fx);
                // Esc in that detail comes back here.
                state.back_to = Some(sheet);
            }
            None => state.sheet = Some(sheet),
        },
        Intent::Quit => {
            state.sheet = Some(sheet);
            quit(state);
        }
        Intent::Help => {
            state.sheet = Some(sheet);
            state.help = Some(super::Help::default());
        }
        Intent::CommandLine => {
            state.sheet = Some(sheet);
            super::command::open(state);
        }
        Intent::Refresh => {
            let events = matches!(sheet, Sheet::Events(_));
            state.sheet = Some(sheet);
            state.refresh(fx);
            if events {
                history::load(state, fx);
            }
        }
        _ => state.sheet = Some(sheet),
    }
}
