//! `:health` and `:events`, drawn over both panes: every finding with its fix, worst first;
//! every runner controller event of the last 30 days, newest first (or, where GitLab cannot
//! tell, why, and this machine's audit log). Server text goes through `display`.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState, Wrap};

use super::controllers::{block, title};
use super::history::local_line;
use super::{fmt, theme, words::health as words};
use crate::display;
use crate::health::Level;
use crate::state::{EventsSheet, HealthSheet, Sheet, State};

pub fn render(state: &State, sheet: &Sheet, frame: &mut Frame, area: Rect) {
    let focus = state.dialog.is_none() && state.help.is_none();
    match sheet {
        Sheet::Health(h) => health(state, h, frame, area, focus),
        Sheet::Events(e) => events(state, e, frame, area, focus),
    }
}

/// The first line to show so that line `at` (of `len`) is in a window of `room`.
fn offset(at: usize, room: usize) -> usize {
    (at + 1).saturating_sub(room.max(1))
}

/// `12 "kas admission prod"`, escaped and cut.
fn controller_label(state: &State, id: crate::domain::ControllerId, max: usize) -> String {
    let text = match state
        .controllers
        .get(id)
        .and_then(|c| c.description.as_deref())
    {
        Some(d) if !d.is_empty() => format!("{id} {d}"),
        _ => id.to_string(),
    };
    display::truncate(&text, max)
}

fn health(state: &State, h: &HealthSheet, frame: &mut Frame, area: Rect, focus: bool) {
    let v = &state.controllers.vitals;
    let total = state.controllers.rows().len();
    let warns = h.rows.iter().filter(|f| f.level == Level::Warn).count();
    let read = v.read_count().min(total);
    let mut name = format!("Health: {} findings, {warns} warnings", h.rows.len());
    if read < total {
        name.push_str(&format!(" · read {read} of {total} controllers…"));
    }
    let block = block(title(state, &name, None, &state.controllers.remote), focus);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if h.rows.is_empty() {
        let text = if read < total {
            " Reading the controllers' health… (findings appear as they are read)"
        } else {
            " No findings: every controller looks healthy."
        };
        let p = Paragraph::new(Span::styled(text, theme::dim())).wrap(Wrap { trim: true });
        frame.render_widget(p, inner);
        return;
    }
    let sel = theme::selected(focus);
    // Two lines a finding: what is wrong, then the fix.
    let room = (inner.height as usize / 2).max(1);
    let off = offset(h.cursor, room).min(h.rows.len().saturating_sub(room));
    let mut lines = Vec::new();
    for (i, f) in h.rows.iter().enumerate().skip(off).take(room) {
        let label = controller_label(state, f.controller, 28);
        let what = Line::from(vec![
            Span::raw(" "),
            super::history::marker(f.level),
            Span::styled(format!(" {label}"), theme::title()),
            Span::raw(format!(" · {}", words::finding(f))),
        ]);
        let fix = Line::from(Span::styled(
            format!("     -> {}", words::fix(f)),
            theme::dim(),
        ));
        for line in [what, fix] {
            lines.push(if i == h.cursor { line.style(sel) } else { line });
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn events(state: &State, e: &EventsSheet, frame: &mut Frame, area: Rect, focus: bool) {
    let hist = &state.controllers.history;
    let n = hist.server.data.as_ref().map_or(0, Vec::len);
    if let Some(why) = hist.unavailable {
        let name = "Runner controller events: this machine's audit log";
        let block = block(title(state, name, None, &hist.local), focus);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let error = hist.server.error.as_ref().map(|e| e.message.clone());
        let mut texts = vec![
            format!(" {}", words::unavailable(why, error.as_deref())),
            format!(" {}", words::LOCAL_INSTEAD),
        ];
        match (&hist.local.data, &hist.local.error) {
            (Some(entries), _) if entries.is_empty() => {
                texts.push("   no change made from this machine".into())
            }
            (Some(entries), _) => texts.extend(
                entries
                    .iter()
                    .map(|x| format!("   {}", local_line(x, state.now))),
            ),
            (None, Some(err)) => texts.push(format!("   {}", err.message)),
            (None, None) => texts.push("   reading…".into()),
        }
        let mut lines: Vec<Line> = texts
            .iter()
            .map(|t| display::line(t, Style::new(), usize::MAX))
            .collect();
        if let Some(first) = lines.first_mut() {
            *first = first.clone().style(theme::warn());
        }
        let p = Paragraph::new(lines).wrap(Wrap { trim: false });
        frame.render_widget(p, inner);
        return;
    }
    let name = format!("Runner controller events, last 30 days ({n})");
    let block = block(title(state, &name, None, &hist.server), focus);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(list) = &hist.server.data else {
        let text = Span::styled(" Reading GitLab's audit events…", theme::dim());
        frame.render_widget(Paragraph::new(text), inner);
        return;
    };
    if list.is_empty() {
        let text = " No runner controller event in the last 30 days.";
        frame.render_widget(Paragraph::new(Span::styled(text, theme::dim())), inner);
        return;
    }
    let room = inner.height.saturating_sub(1) as usize;
    let off = offset(e.cursor, room);
    let v = &state.controllers.vitals;
    // What is left for MESSAGE after the other columns and their gaps.
    let rest = (inner.width as usize).saturating_sub(5 + 18 + 5 + 22 + 4);
    let rows = list.iter().skip(off).take(room).map(|ev| {
        let when = ev
            .at
            .as_ref()
            .map(|t| fmt::ago(state.now, t.at()))
            .unwrap_or_default();
        let who = display::truncate(&words::author(ev), 18);
        let of = ev
            .controller(|t| v.token_owner(t))
            .map_or("—".to_string(), |id| id.to_string());
        let what = display::truncate(&words::action(&ev.action), 22);
        let message = display::truncate(ev.message.as_deref().unwrap_or_default(), rest);
        Row::new([
            Cell::from(Span::styled(when, theme::dim())),
            Cell::from(who),
            Cell::from(of),
            Cell::from(what),
            Cell::from(Span::styled(message, theme::dim())),
        ])
    });
    let header = Row::new(["WHEN", "WHO", "RC", "WHAT", "MESSAGE"]).style(theme::header_cell());
    let widths = [
        Constraint::Length(5),
        Constraint::Length(18),
        Constraint::Length(5),
        Constraint::Length(22),
        Constraint::Fill(1),
    ];
    let table = Table::new(rows, widths)
        .header(header)
        .column_spacing(1)
        .row_highlight_style(theme::selected(focus));
    let mut ts = TableState::default().with_selected(Some(e.cursor - off));
    frame.render_stateful_widget(table, inner, &mut ts);
}
