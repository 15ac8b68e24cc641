//! The bookings timeline: an hour scale in local time, one line per assembly with each session a
//! bar from start to end, and a now line, over a window of a few hours around now. A pure widget:
//! it draws what it is given; the only thing it keeps is the scroll offset its caller holds.

mod axis;

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{StatefulWidget, Widget};

use super::theme;
use crate::display;
use crate::domain::{Session, SessionState};
pub use axis::Zoom;
use axis::{LABEL_WIDTH, Place, Window, keep_visible, ticks};

/// Bar glyphs: the state reads from the shape alone, without colour.
pub const ACTIVE: char = '█';
pub const SCHEDULED: char = '░';
pub const OTHER: char = '▒';
pub const ENDED: char = '·';
/// The now line, and its head on the scale.
pub const NOW: char = '│';
pub const NOW_HEAD: char = '▼';
/// Sessions outside the window, at its edges.
pub const EARLIER: char = '«';
pub const LATER: char = '»';
/// In front of the selected assembly.
pub const MARKER: char = '▸';

/// The first visible assembly line; keep it between frames so the view does not jump.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct TimelineState {
    pub offset: usize,
}

/// Sessions of several assemblies on one time axis (see the module doc). Give it the sessions
/// to show (the current ones), in any order: lanes are sorted by assembly.
#[derive(Debug, Clone)]
pub struct Timeline<'a> {
    sessions: &'a [Session],
    selected: Option<&'a str>,
    now: Timestamp,
    tz: &'a TimeZone,
    zoom: Zoom,
}

impl<'a> Timeline<'a> {
    pub fn new(sessions: &'a [Session], now: Timestamp, tz: &'a TimeZone) -> Self {
        Self {
            sessions,
            selected: None,
            now,
            tz,
            zoom: Zoom::default(),
        }
    }

    /// The session to highlight, by id.
    pub fn selected(mut self, id: Option<&'a str>) -> Self {
        self.selected = id;
        self
    }

    pub fn zoom(mut self, zoom: Zoom) -> Self {
        self.zoom = zoom;
        self
    }
}

impl Widget for Timeline<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        StatefulWidget::render(self, area, buf, &mut TimelineState::default());
    }
}

impl StatefulWidget for Timeline<'_> {
    type State = TimelineState;

    fn render(self, area: Rect, buf: &mut Buffer, state: &mut TimelineState) {
        if area.width < 8 || area.height == 0 {
            return;
        }
        let lanes = lanes(self.sessions);
        let label_w = lanes
            .keys()
            .map(|a| display::width(a))
            .max()
            .unwrap_or(0)
            .clamp(4, 16)
            .min(usize::from(area.width) / 4);
        // Marker, label, one space, then the bars.
        let bars_x = area.x + u16::try_from(label_w + 2).unwrap_or(area.width);
        let bars = Rect::new(bars_x, area.y, area.right().saturating_sub(bars_x), 1);
        let window = Window::new(self.now, self.zoom, bars.width);
        let selected = self.selected.and_then(|id| {
            lanes
                .values()
                .enumerate()
                .find_map(|(i, ss)| ss.iter().find(|s| s.id == id).map(|s| (i, *s)))
        });
        let beside = selected
            .and_then(|(lane, s)| place_beside(&window, s, &occupied(&lanes, lane, s, &window)));

        let mut lines: Vec<Row<'_>> = Vec::new();
        let mut focus = None;
        for (i, (assembly, sessions)) in lanes.iter().enumerate() {
            let chosen = selected.filter(|(l, _)| *l == i).map(|(_, s)| s);
            let at = lines.len();
            lines.push(Row::Lane {
                assembly,
                sessions,
                chosen,
            });
            if let Some(s) = chosen {
                focus = Some((at, at));
                if beside.is_none() {
                    lines.push(Row::Detail(s));
                    focus = Some((at, at + 1));
                }
            }
        }
        let height = usize::from(area.height - 1);
        state.offset = keep_visible(state.offset, focus, height, lines.len());
        let off = state.offset;
        let hidden = (off > 0, off + height < lines.len());
        scale(buf, area, bars, &window, self.tz, self.zoom, hidden);
        if lines.is_empty() && area.height > 1 {
            let msg = Span::styled("No bookings to show", theme::dim());
            buf.set_span(area.x + 1, area.y + 1, &msg, area.width - 1);
        }
        let now_col = window.col(self.now);
        for (i, row) in lines.iter().skip(off).take(height).enumerate() {
            let y = area.y + 1 + u16::try_from(i).unwrap_or(0);
            let row_bars = Rect { y, ..bars };
            match row {
                Row::Lane {
                    assembly,
                    sessions,
                    chosen,
                } => {
                    let label = Rect::new(area.x, y, bars_x - area.x, 1);
                    draw_label(buf, label, assembly, chosen.is_some());
                    // Behind the bars: a booking one column wide at now must still show.
                    draw_now(buf, row_bars, now_col);
                    for s in sessions.iter().filter(|s| Some(**s) != *chosen) {
                        draw_bar(buf, row_bars, &window, s, false);
                    }
                    if let Some(s) = chosen {
                        draw_bar(buf, row_bars, &window, s, true);
                    }
                    if let (Some(s), Some(x)) = (chosen, beside) {
                        draw_owner_tag(buf, row_bars, x, s);
                    }
                }
                Row::Detail(s) => {
                    draw_now(buf, row_bars, now_col);
                    let need = u16::try_from(owner_tag(s, usize::MAX).width()).unwrap_or(u16::MAX);
                    let x = window
                        .place(s)
                        .first()
                        .min(row_bars.width.saturating_sub(need));
                    draw_owner_tag(buf, row_bars, x, s);
                }
            }
        }
    }
}

/// One line of the timeline below the scale.
enum Row<'a> {
    Lane {
        assembly: &'a str,
        sessions: &'a [&'a Session],
        chosen: Option<&'a Session>,
    },
    /// The owner and runner tag of the selected session, when they do not fit beside its bar.
    Detail(&'a Session),
}

/// Sessions by assembly, in the assemblies' order (stable across refreshes).
fn lanes(sessions: &[Session]) -> BTreeMap<&str, Vec<&Session>> {
    let mut lanes: BTreeMap<&str, Vec<&Session>> = BTreeMap::new();
    for s in sessions {
        lanes.entry(s.assembly_ref.as_str()).or_default().push(s);
    }
    lanes
}

/// Hour labels (local clock, never overlapping, never over the now head), the zoom and the
/// scroll hints.
fn scale(
    buf: &mut Buffer,
    area: Rect,
    bars: Rect,
    window: &Window,
    tz: &TimeZone,
    zoom: Zoom,
    (above, below): (bool, bool),
) {
    let mut hint = zoom.label().to_string();
    if above || below {
        hint.push(' ');
        hint.push(if above { '↑' } else { ' ' });
        hint.push(if below { '↓' } else { ' ' });
    }
    let hint_w = usize::from(bars.x - area.x).saturating_sub(1);
    buf.set_stringn(area.x, area.y, hint, hint_w, theme::dim());
    let now_col = window.col(window.now);
    if let Some(c) = now_col {
        set(buf, bars.x + c, bars.y, NOW_HEAD, now_style());
    }
    let mut free_from = 0u16;
    for (col, label) in ticks(window, tz) {
        let clashes_now = now_col.is_some_and(|n| n + 1 >= col && n <= col + LABEL_WIDTH);
        if col < free_from || col + LABEL_WIDTH > bars.width || clashes_now {
            continue;
        }
        buf.set_stringn(
            bars.x + col,
            bars.y,
            label,
            usize::from(LABEL_WIDTH),
            theme::dim(),
        );
        free_from = col + LABEL_WIDTH + 1;
    }
}

fn now_style() -> Style {
    theme::warn().add_modifier(Modifier::BOLD)
}

fn set(buf: &mut Buffer, x: u16, y: u16, c: char, style: Style) {
    if let Some(cell) = buf.cell_mut((x, y)) {
        cell.set_char(c).set_style(style);
    }
}

fn draw_now(buf: &mut Buffer, bars: Rect, col: Option<u16>) {
    if let Some(c) = col {
        set(buf, bars.x + c, bars.y, NOW, now_style());
    }
}

/// The assembly, escaped and cut to its column, behind a marker when it holds the selection.
fn draw_label(buf: &mut Buffer, area: Rect, assembly: &str, selected: bool) {
    let style = if selected {
        Style::new().add_modifier(Modifier::BOLD)
    } else {
        Style::new()
    };
    if selected {
        set(buf, area.x, area.y, MARKER, theme::accent());
    }
    let w = area.width.saturating_sub(2);
    let line = display::line(assembly, style, usize::from(w));
    buf.set_line(area.x + 1, area.y, &line, w);
}

fn glyph(state: &SessionState) -> (char, Style) {
    let style = theme::session_state(state);
    match state {
        SessionState::Active => (ACTIVE, style),
        SessionState::Scheduled => (SCHEDULED, style.add_modifier(Modifier::DIM)),
        SessionState::Ended | SessionState::Released => (ENDED, style),
        SessionState::Other(_) => (OTHER, style),
    }
}

fn draw_bar(buf: &mut Buffer, bars: Rect, window: &Window, s: &Session, selected: bool) {
    let (c, style) = glyph(&s.state);
    let style = if selected {
        style
            .remove_modifier(Modifier::DIM)
            .patch(theme::selected(true))
    } else {
        style
    };
    match window.place(s) {
        Place::Before => set(buf, bars.x, bars.y, EARLIER, style),
        Place::After(col) => set(buf, bars.x + col, bars.y, LATER, style),
        Place::Cols(a, b) => {
            for col in a..=b {
                set(buf, bars.x + col, bars.y, c, style);
            }
        }
    }
}

/// Columns of this lane taken by the other sessions' bars.
fn occupied(
    lanes: &BTreeMap<&str, Vec<&Session>>,
    lane: usize,
    chosen: &Session,
    window: &Window,
) -> Vec<bool> {
    let mut taken = vec![false; usize::from(window.cols)];
    let others = lanes.values().nth(lane).into_iter().flatten();
    for s in others.filter(|s| s.id != chosen.id) {
        let p = window.place(s);
        for c in p.first()..=p.last() {
            if let Some(t) = taken.get_mut(usize::from(c)) {
                *t = true;
            }
        }
    }
    taken
}

/// The column where the owner and tag start beside the bar (after it, else before it), if
/// they fit there whole without covering another bar.
fn place_beside(window: &Window, s: &Session, taken: &[bool]) -> Option<u16> {
    let p = window.place(s);
    let need = owner_tag(s, usize::MAX).width();
    let free =
        |from: usize| from + need <= taken.len() && taken[from..from + need].iter().all(|t| !t);
    let after = usize::from(p.last()) + 2;
    if !matches!(p, Place::After(_)) && free(after) {
        return u16::try_from(after).ok();
    }
    let before = usize::from(p.first()).checked_sub(need + 1)?;
    if matches!(p, Place::Before) || !free(before) {
        return None;
    }
    u16::try_from(before).ok()
}

/// `owner · tag` in at most `room` cells; when cut, the tag keeps up to half the room.
fn owner_tag(s: &Session, room: usize) -> Line<'_> {
    let owner = s.owner.as_deref().unwrap_or("unknown owner");
    let tag = s.gitlab_runner_tag.as_deref().unwrap_or("no runner");
    const SEP: &str = " · ";
    let sep_w = display::width(SEP);
    let full = display::width(owner) + sep_w + display::width(tag);
    let (owner_w, tag_w) = if full <= room {
        (usize::MAX, usize::MAX)
    } else {
        let tag_w = display::width(tag).min(room / 2);
        (room.saturating_sub(tag_w + sep_w), tag_w)
    };
    let mut spans = display::spans(owner, Style::new().add_modifier(Modifier::BOLD), owner_w);
    spans.push(Span::styled(SEP, theme::dim()));
    spans.extend(display::spans(tag, theme::accent(), tag_w));
    Line::from(spans)
}

/// The owner and tag from column `x` of the bars, cut at the right edge.
fn draw_owner_tag(buf: &mut Buffer, bars: Rect, x: u16, s: &Session) {
    let room = bars.width.saturating_sub(x);
    buf.set_line(bars.x + x, bars.y, &owner_tag(s, usize::from(room)), room);
}

#[cfg(test)]
mod tests;
