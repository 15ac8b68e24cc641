//! The veHaaS bookings pane: runner requests in flight, then current sessions sorted by end, with
//! a live "ends in" countdown computed from the tick (no extra requests).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState, Wrap};

use super::controllers::{block, title};
use super::{View, fmt, focused, scroll, theme};
use crate::display;
use crate::domain::{JobState, Session};
use crate::duration;
use crate::state::BookingRow as BRow;
use crate::state::{Health, Pane, PendingRequest, RequestPhase, State};

/// The pane title: the count (of how many, with requests), the filter, the listing's health.
fn pane_title(state: &State) -> Line<'static> {
    let b = &state.bookings;
    let (current, shown, requests) = b.counts();
    let total = b.remote.data.as_ref().map(|_| current);
    let count = total.map(|t| match &b.filter {
        Some(_) => format!("{shown}/{t}"),
        None => t.to_string(),
    });
    let count = match (count, requests) {
        (Some(c), 0) => Some(c),
        (Some(c), 1) => Some(format!("{c} + 1 request")),
        (Some(c), n) => Some(format!("{c} + {n} requests")),
        (None, _) => None,
    };
    let name = if b.timeline {
        format!("veHaaS bookings · timeline {}", b.zoom.label())
    } else {
        "veHaaS bookings".to_string()
    };
    let mut title = title(state, &name, count, &b.remote);
    if let Some(f) = &b.filter {
        title
            .spans
            .insert(1, Span::styled(format!(" /{}", f.text), theme::accent()));
    }
    title
}

pub fn render(state: &State, view: &mut View, frame: &mut Frame, area: Rect) {
    let b = &state.bookings;
    let focus = focused(state, Pane::Bookings);
    let title = pane_title(state);
    let block = block(title, focus);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if !b.configured {
        let msg = Span::styled(
            match &state.context.vehaas_error {
                Some(e) => format!(" {e}"),
                None => " veHaaS is not configured: add a [vehaas] table to the config.".into(),
            },
            theme::dim(),
        );
        frame.render_widget(Paragraph::new(msg).wrap(Wrap { trim: true }), inner);
        return;
    }
    if b.is_empty() {
        let words = (
            " Loading bookings…",
            " No active bookings: n requests a runner.",
        );
        super::controllers::empty(&b.remote, words, frame, inner);
        return;
    }
    let footer = selected_line(state);
    let [inner, footer_area] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(u16::from(footer.is_some())),
    ])
    .areas(inner);
    if let Some(line) = footer {
        frame.render_widget(Paragraph::new(line), footer_area);
    }
    if b.timeline {
        timeline(state, view, frame, inner);
        return;
    }
    let wide = inner.width >= 90;
    let compact = inner.width < 64;
    let assembly_w = b
        .rows()
        .map(|r| match r {
            BRow::Request(p) => display::width(&p.request.assembly_ref),
            BRow::Session(s) => display::width(&s.assembly_ref),
        })
        .max()
        .unwrap_or(8)
        .clamp(8, 24) as u16;
    // The runner tag matters more than the owner: the owner gets what it needs up to 12.
    let owner_w = b
        .rows()
        .map(|r| match r {
            BRow::Request(_) => "(request)".len(),
            BRow::Session(s) => s.owner.as_deref().map_or(1, display::width),
        })
        .max()
        .unwrap_or(5)
        .clamp(5, if wide { 24 } else { 12 }) as u16;
    let body_h = inner.height.saturating_sub(1) as usize;
    let selected = b.selected_index();
    view.bookings_offset = scroll(view.bookings_offset, selected, body_h, b.len());
    let off = view.bookings_offset;
    let table_rows = (off..(off + body_h).min(b.len()))
        .filter_map(|i| b.row(i))
        .map(|r| match r {
            BRow::Request(p) => request_row(p, wide, compact),
            BRow::Session(s) => session_row(state, s, wide, compact),
        });
    let (header, widths) = columns(compact, wide, assembly_w, owner_w);
    let table = Table::new(table_rows, widths)
        .header(Row::new(header).style(theme::header_cell()))
        .column_spacing(1)
        .row_highlight_style(theme::selected(focus));
    let mut ts = TableState::default().with_selected(selected.map(|s| s - off));
    frame.render_stateful_widget(table, inner, &mut ts);
    let body = Rect {
        y: inner.y + 1,
        height: inner.height.saturating_sub(1),
        ..inner
    };
    view.hits.rows(Pane::Bookings, body, off, b.len() - off);
}

/// `v`: the current sessions on a time axis, the selected one highlighted.
fn timeline(state: &State, view: &mut View, frame: &mut Frame, area: Rect) {
    let b = &state.bookings;
    let sessions: Vec<Session> = b
        .rows()
        .filter_map(|r| match r {
            BRow::Session(s) => Some(s.clone()),
            BRow::Request(_) => None,
        })
        .collect();
    let selected = b.selected_session().map(|s| s.id.as_str());
    let widget = super::timeline::Timeline::new(&sessions, state.now, &state.context.tz)
        .selected(selected)
        .zoom(b.zoom);
    frame.render_stateful_widget(widget, area, &mut view.timeline);
}

/// The columns for the width: compact drops the owner, wide adds start and end.
fn columns(
    compact: bool,
    wide: bool,
    assembly_w: u16,
    owner_w: u16,
) -> (Vec<&'static str>, Vec<Constraint>) {
    if compact {
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
    }
}

fn session_row<'a>(state: &State, s: &'a Session, wide: bool, compact: bool) -> Row<'a> {
    let tz = &state.context.tz;
    let ends = s
        .end
        .as_ref()
        .map(|end| fmt::until(state.now, end.at()))
        .unwrap_or_else(|| "—".into());
    let plain = ratatui::style::Style::new();
    let tag = match s.gitlab_runner_tag.as_deref() {
        Some(t) => display::line(t, plain, usize::MAX),
        None => Line::from(Span::styled("—", theme::dim())),
    };
    let mut cells = vec![Cell::from(display::line(
        &s.assembly_ref,
        plain,
        usize::MAX,
    ))];
    if !compact {
        let owner = s.owner.as_deref().unwrap_or("—");
        cells.push(Cell::from(display::line(owner, plain, usize::MAX)));
    }
    cells.push(Cell::from(Span::styled(
        s.state.to_string(),
        theme::session_state(&s.state),
    )));
    if wide {
        let clock = |t: Option<&crate::domain::Stamp>| {
            t.map(|t| fmt::clock(t.at(), tz)).unwrap_or_default()
        };
        cells.push(Cell::from(clock(s.start.as_ref())));
        cells.push(Cell::from(clock(s.end.as_ref())));
    }
    cells.push(Cell::from(ends));
    cells.push(Cell::from(tag));
    Row::new(cells)
}

/// The request's status word and style: one phase, one truth, for the row and the detail.
fn status(p: &PendingRequest) -> (String, ratatui::style::Style) {
    match &p.phase {
        RequestPhase::Sending => ("sent".into(), theme::job_state(&JobState::Queued)),
        RequestPhase::Following => {
            let st = p.job.as_ref().map_or(JobState::Queued, |j| j.state.clone());
            (st.to_string(), theme::job_state(&st))
        }
        RequestPhase::Ready { .. } => ("ready".into(), theme::job_state(&JobState::Finished)),
        RequestPhase::Refused(_) | RequestPhase::JobFailed(_) | RequestPhase::LostTrack(_) => {
            ("failed".into(), theme::job_state(&JobState::Failed))
        }
        RequestPhase::Unclear(_) => ("unclear".into(), theme::health(Health::Failing)),
    }
}

/// What the phase says beyond its word: why it failed, or what is awaited.
fn phase_text(p: &PendingRequest) -> String {
    match &p.phase {
        RequestPhase::Sending => "sent, waiting for the answer".into(),
        RequestPhase::Following => match &p.job {
            Some(j) => format!("job {} {}", j.job_id, j.state),
            None => "following the job".into(),
        },
        RequestPhase::Ready { .. } => match &p.job {
            Some(j) => format!("job {} finished", j.job_id),
            None => "finished".into(),
        },
        RequestPhase::Refused(e) => format!("refused: {e}"),
        RequestPhase::JobFailed(why) => match (&p.job, why) {
            (Some(j), Some(w)) => format!("job {} failed: {w}", j.job_id),
            (Some(j), None) => format!("job {} failed", j.job_id),
            (None, _) => "the job failed".into(),
        },
        RequestPhase::LostTrack(e) => format!("lost track of the job: {e}"),
        RequestPhase::Unclear(_) => "no clear answer: may or may not be booked".into(),
    }
}

fn request_row(p: &PendingRequest, wide: bool, compact: bool) -> Row<'static> {
    let (text, style) = status(p);
    let tag = match (&p.phase, p.tag()) {
        (_, Some(t)) => Span::raw(display::escape(t).into_owned()),
        (
            RequestPhase::Refused(_) | RequestPhase::JobFailed(_) | RequestPhase::LostTrack(_),
            None,
        ) => Span::styled(phase_text(p), theme::health(Health::Disconnected)),
        (RequestPhase::Unclear(_), None) => {
            Span::styled(phase_text(p), theme::health(Health::Failing))
        }
        _ => Span::styled("…", theme::dim()),
    };
    let mut cells = vec![Cell::from(
        display::escape(&p.request.assembly_ref).into_owned(),
    )];
    if !compact {
        cells.push(Cell::from(Span::styled("(request)", theme::dim())));
    }
    cells.push(Cell::from(Line::from(Span::styled(text, style))));
    if wide {
        cells.push(Cell::from(""));
        cells.push(Cell::from(""));
    }
    // How long it would last, while that still means something.
    let length = if p.is_done() && !matches!(p.phase, RequestPhase::Ready { .. }) {
        "—".to_string()
    } else {
        duration::format_short(p.request.duration)
    };
    cells.push(Cell::from(length));
    cells.push(Cell::from(tag));
    Row::new(cells)
}

/// `start -> end`, with the end's date when it falls on another day.
fn span(start: jiff::Timestamp, end: jiff::Timestamp, tz: &jiff::tz::TimeZone) -> String {
    let same_day = fmt::date(start, tz) == fmt::date(end, tz);
    let end = if same_day {
        fmt::clock(end, tz)
    } else {
        fmt::date_time(end, tz)
    };
    format!("{} -> {end}", fmt::date_time(start, tz))
}

/// Everything about the selected row on one line: who, when (start -> end), the tag.
fn selected_line(state: &State) -> Option<Line<'static>> {
    let row = state.bookings.selected_row()?;
    let tz = &state.context.tz;
    let text = match row {
        BRow::Session(s) => {
            let when = match (s.start.as_ref(), s.end.as_ref()) {
                (Some(a), Some(e)) => span(a.at(), e.at(), tz),
                (None, Some(e)) => format!("until {}", fmt::date_time(e.at(), tz)),
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
            let queue = if p.request.put_in_queue {
                "queued if busy"
            } else {
                "fails if busy"
            };
            format!(
                " request · {} for {} · {} · {queue}",
                p.request.assembly_ref,
                duration::format_short(p.request.duration),
                phase_text(p)
            )
        }
    };
    Some(Line::from(Span::styled(
        display::escape(&text).into_owned(),
        theme::dim(),
    )))
}

#[cfg(test)]
mod tests {
    use super::span;
    use jiff::Timestamp;
    use jiff::tz::TimeZone;

    fn at(s: &str) -> Timestamp {
        s.parse().expect("a time")
    }

    /// 12.11: a booking over midnight or a day long names the end's date.
    #[test]
    fn the_end_names_its_date_when_it_is_another_day() {
        let utc = TimeZone::UTC;
        assert_eq!(
            span(at("2026-12-01T18:43:00Z"), at("2026-12-01T19:43:00Z"), &utc),
            "2026-12-01 18:43 -> 19:43"
        );
        assert_eq!(
            span(at("2026-12-01T18:43:00Z"), at("2026-12-02T18:43:00Z"), &utc),
            "2026-12-01 18:43 -> 2026-12-02 18:43"
        );
        assert_eq!(
            span(at("2026-12-01T18:43:00Z"), at("2026-12-02T09:43:00Z"), &utc),
            "2026-12-01 18:43 -> 2026-12-02 09:43"
        );
    }
}
