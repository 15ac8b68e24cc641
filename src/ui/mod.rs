//! Drawing: `render(&State, &mut View, &mut Frame)`. Reads the state and never changes it; the
//! only thing it keeps is `View`, the scroll offsets of the tables. One file per region, and
//! all the program's wording in `words`.

mod bookings;
mod controllers;
mod detail;
mod dialog;
mod fmt;
mod header;
pub mod hits;
pub mod preview;
mod status;
pub mod theme;
pub mod timeline;
pub mod words;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};

use crate::state::{Pane, State};

/// Scroll positions: what the terminal shows, not what the program knows.
#[derive(Debug, Default, Clone)]
pub struct View {
    pub controllers_offset: usize,
    pub bookings_offset: usize,
    pub timeline: timeline::TimelineState,
    /// Where the latest frame drew its panes, rows and buttons (for the mouse).
    pub hits: hits::Hits,
}

/// Keeps `selected` inside a window of `height` rows starting at `offset`; returns the offset.
pub fn scroll(offset: usize, selected: Option<usize>, height: usize, len: usize) -> usize {
    if height == 0 || len == 0 {
        return 0;
    }
    let mut off = offset.min(len.saturating_sub(height));
    if let Some(sel) = selected {
        if sel < off {
            off = sel;
        } else if sel >= off + height {
            off = sel + 1 - height;
        }
    }
    off
}

/// Width at which the panes sit side by side instead of stacked.
const SIDE_BY_SIDE: u16 = 120;

pub fn render(state: &State, view: &mut View, frame: &mut Frame) {
    let theme = state.settings.theme;
    theme::use_palette(theme.palette);
    view.hits.clear();
    let area = frame.area();
    let header_h = if state.banner.is_some() { 2 } else { 1 };
    let [header, body, status] = Layout::vertical([
        Constraint::Length(header_h),
        Constraint::Min(4),
        Constraint::Length(2),
    ])
    .areas(area);
    header::render(state, frame, header);
    let (left, right) = split_body(body);
    view.hits.push(left, hits::Target::Pane(Pane::Controllers));
    view.hits.push(right, hits::Target::Pane(Pane::Bookings));
    controllers::render(state, view, frame, left);
    bookings::render(state, view, frame, right);
    status::render(state, frame, status);
    dialog::render(state, view, frame, area);
    if theme.mono {
        theme::strip_colours(frame.buffer_mut());
    }
}

fn split_body(body: Rect) -> (Rect, Rect) {
    if body.width >= SIDE_BY_SIDE {
        let [l, r] = Layout::horizontal([Constraint::Percentage(46), Constraint::Percentage(54)])
            .areas(body);
        (l, r)
    } else {
        let [t, b] =
            Layout::vertical([Constraint::Percentage(58), Constraint::Percentage(42)]).areas(body);
        (t, b)
    }
}

/// Whether a pane has the keys (no dialog or help over it).
pub(crate) fn focused(state: &State, pane: Pane) -> bool {
    state.focus == pane && state.dialog.is_none() && state.help.is_none()
}

#[cfg(test)]
mod region_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod theme_tests;
