//! The veHaaS bookings pane: runner requests in flight, then current sessions sorted by end, with
//! a live "ends in" countdown computed from the tick (no extra requests).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState, Wrap};

use super::controllers::{block, title};
use super::{View, fmt, focused, scroll, theme};
use crate::domain::Session;
use crate::duration;
use crate::state::BookingRow as BRow;
use crate::state::{Health, Pane, PendingRequest, RequestPhase, State};

pub fn render(state: &State, view: &mut View, frame: &mut Frame, area: Rect) {
    let b = &state.bookings;
    let focus = focused(state, Pane::Bookings);
    let rows = b.rows(state.now);
    let total = b.remote.data.as_ref().map(|_| b.current(state.now).count());
    let count = total.map(|t| match &b.filter {
        Some(_) => format!(
            "{}/{t}",
            rows.iter()
                .filter(|r| matches!(r, BRow::Session(_)))
                .count()
        ),
        None => t.to_string(),
    });
    let requests = rows
        .iter()
        .filter(|r| matches!(r, BRow::Request(_)))
        .count();
    let count = match (count, requests) {
        (Some(c), 0) => Some(c),
        (Some(c), 1) => Some(format!("{c} + 1 request")),
        (Some(c), n) => Some(format!("{c} + {n} requests")),
        (None, _) => None,
    };
    let mut title = title(state, "veHaaS bookings", count, &b.remote);
    if let Some(f) = &b.filter {
        title.spans.insert(
            1,
            Span::styled(
                format!(" /{}", f.text),
                ratatui::style::Style::new().fg(theme::ACCENT),
            ),
        );
    }
    let block = block(title, focus);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if !b.configured {
        let msg = Span::styled(
            " veHaaS is not configured: add a [vehaas] table to the config.",
            theme::dim(),
        );
        frame.render_widget(Paragraph::new(msg).wrap(Wrap { trim: true }), inner);
        return;
    }
    if rows.is_empty() {
        let msg = match (&b.remote.data, &b.remote.error) {
            (_, Some(e)) => Span::styled(format!(" {}", e.message), theme::health(Health::Failing)),
            (None, None) => Span::styled(" Loading bookings…", theme::dim()),
            (Some(_), None) => {
                Span::styled(" No active bookings: n requests a runner.", theme::dim())
            }
        };
        frame.render_widget(Paragraph::new(msg).wrap(Wrap { trim: true }), inner);
        return;
    }
    let footer = selected_line(state, &rows);
    let [inner, footer_area] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(u16::from(footer.is_some())),
    ])
    .areas(inner);
    if let Some(line) = footer {
        frame.render_widget(Paragraph::new(line), footer_area);
    }
    let wide = inner.width >= 90;
    let compact = inner.width < 64;
    let assembly_w = rows
        .iter()
        .map(|r| match r {
            BRow::Request(p) => p.request.assembly_ref.chars().count(),
            BRow::Session(s) => s.assembly_ref.chars().count(),
        })
        .max()
        .unwrap_or(8)
        .clamp(8, 24) as u16;
    // The runner tag matters more than the owner: the owner gets what it needs up to 12.
    let owner_w = rows
        .iter()
        .map(|r| match r {
            BRow::Request(_) => "(request)".len(),
            BRow::Session(s) => s.owner.as_deref().map_or(1, |o| o.chars().count()),
        })
        .max()
        .unwrap_or(5)
        .clamp(5, if wide { 24 } else { 12 }) as u16;
    let body_h = inner.height.saturating_sub(1) as usize;
    let selected = b.selected_index(&rows);
    view.bookings_offset = scroll(view.bookings_offset, selected, body_h, rows.len());
    let off = view.bookings_offset;
    let visible = &rows[off..(off + body_h).min(rows.len())];
    let table_rows = visible.iter().map(|r| match r {
        BRow::Request(p) => request_row(p, wide, compact),
        BRow::Session(s) => session_row(state, s, wide, compact),
    });
    let (header, widths): (Vec<&str>, Vec<Constraint>) = if compact {
        (
            vec!["ASSEMBLY", "STATE", "ENDS IN", "RUNNER TAG"],
            vec![
                Constraint::Length(assembly_w),
                Constraint::Length(11),
                Constraint::Length(7),
                Constraint::Fill(1),
            ],
        )
    } else if wide {
        (
            vec![
                "ASSEMBLY",
                "OWNER",
                "STATE",
                "START",
                "END",
                "ENDS IN",
                "RUNNER TAG",
            ],
            vec![
                Constraint::Length(assembly_w),
                Constraint::Length(owner_w),
                Constraint::Length(11),
                Constraint::Length(5),
                Constraint::Length(5),
                Constraint::Length(8),
                Constraint::Fill(1),
            ],
        )
    } else {
        (
            vec!["ASSEMBLY", "OWNER", "STATE", "ENDS IN", "RUNNER TAG"],
            vec![
                Constraint::Length(assembly_w),
                Constraint::Length(owner_w),
                Constraint::Length(11),
                Constraint::Length(7),
                Constraint::Fill(1),
            ],
        )
    };
    let table = Table::new(table_rows, widths)
        .header(Row::new(header).style(theme::header_cell()))
        .column_spacing(1)
        .row_highlight_style(theme::selected(focus));
    let mut ts = TableState::default().with_selected(selected.map(|s| s - off));
    frame.render_stateful_widget(table, inner, &mut ts);
}

fn session_row<'a>(state: &State, s: &'a Session, wide: bool, compact: bool) -> Row<'a> {
    let tz = &state.context.tz;
    let ends = s
        .end
        .map(|end| fmt::until(state.now, end))
        .unwrap_or_else(|| "—".into());
    let tag = match s.gitlab_runner_tag.as_deref() {
        Some(t) => Span::raw(t),
        None => Span::styled("—", theme::dim()),
    };
    let mut cells = vec![Cell::from(s.assembly_ref.as_str())];
    if !compact {
        cells.push(Cell::from(s.owner.as_deref().unwrap_or("—")));
    }
    cells.push(Cell::from(Span::styled(
        s.state.to_string(),
        theme::session_state(&s.state),
    )));
    if wide {
        let clock = |t: Option<jiff::Timestamp>| t.map(|t| fmt::clock(t, tz)).unwrap_or_default();
        cells.push(Cell::from(clock(s.start)));
        cells.push(Cell::from(clock(s.end)));
    }
    cells.push(Cell::from(ends));
    cells.push(Cell::from(tag));
    Row::new(cells)
}

fn request_row(p: &PendingRequest, wide: bool, compact: bool) -> Row<'static> {
    let (text, style) = match &p.phase {
        RequestPhase::Submitting => (
            "sending".to_string(),
            theme::job_state(&crate::domain::JobState::Queued),
        ),
        RequestPhase::Polling => {
            let st = p
                .job
                .as_ref()
                .map(|j| j.state.clone())
                .unwrap_or(crate::domain::JobState::Queued);
            (st.to_string(), theme::job_state(&st))
        }
        RequestPhase::Finished => (
            "ready".to_string(),
            theme::job_state(&crate::domain::JobState::Finished),
        ),
        RequestPhase::Failed(_) => (
            "failed".to_string(),
            theme::job_state(&crate::domain::JobState::Failed),
        ),
        RequestPhase::Unknown => ("unknown".to_string(), theme::health(Health::Failing)),
    };
    let tag = match (&p.phase, p.tag()) {
        (_, Some(t)) => Span::raw(t.to_string()),
        (RequestPhase::Failed(why), None) => {
            Span::styled(why.clone(), theme::health(Health::Disconnected))
        }
        (RequestPhase::Unknown, None) => Span::styled(
            "timed out: may or may not be booked",
            theme::health(Health::Failing),
        ),
        _ => Span::styled("…", theme::dim()),
    };
    let mut cells = vec![Cell::from(p.request.assembly_ref.clone())];
    if !compact {
        cells.push(Cell::from(Span::styled("(request)", theme::dim())));
    }
    cells.push(Cell::from(Line::from(Span::styled(text, style))));
    if wide {
        cells.push(Cell::from(""));
        cells.push(Cell::from(""));
    }
    // How long it would last, while that still means something.
    let length = match p.phase {
        RequestPhase::Failed(_) | RequestPhase::Unknown => "—".to_string(),
        _ => duration::format_short(p.request.duration),
    };
    cells.push(Cell::from(length));
    cells.push(Cell::from(tag));
    Row::new(cells)
}

/// Everything about the selected row on one line: who, when (start -> end), the tag.
fn selected_line(state: &State, rows: &[BRow<'_>]) -> Option<Line<'static>> {
    let b = &state.bookings;
    let row = rows.get(b.selected_index(rows)?)?;
    let tz = &state.context.tz;
    let text = match row {
        BRow::Session(s) => {
            let when = match (s.start, s.end) {
                (Some(a), Some(e)) => format!("{} -> {}", fmt::date_time(a, tz), fmt::clock(e, tz)),
                (None, Some(e)) => format!("until {}", fmt::date_time(e, tz)),
                _ => "no end given".into(),
            };
            let tag = s.gitlab_runner_tag.as_deref().unwrap_or("no runner");
            format!(
                " {} · {} · {when} · {tag}",
                s.id,
                s.owner.as_deref().unwrap_or("unknown owner")
            )
        }
        BRow::Request(p) => {
            let job = p
                .job
                .as_ref()
                .map(|j| format!("job {} {}", j.job_id, j.state))
                .unwrap_or_else(|| "not sent yet".into());
            let queue = if p.request.put_in_queue {
                "queued if busy"
            } else {
                "fails if busy"
            };
            format!(
                " request · {} for {} · {job} · {queue}",
                p.request.assembly_ref,
                duration::format_short(p.request.duration)
            )
        }
    };
    Some(Line::from(Span::styled(text, theme::dim())))
}
