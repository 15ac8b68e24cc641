//! The runner controllers pane: the table (only visible rows are built), or the detail of one
//! controller; the title carries count, spinner, data age and failures.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Cell, Paragraph, Row, Table, TableState, Wrap};

use super::{View, fmt, focused, scroll, theme};
use crate::domain::RunnerController;
pub use crate::state::meaning;
use crate::state::{Detail, Health, Pane, Remote, State};

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/// The pane title: name, count, spinner, "updated 12s ago", or the failure.
pub fn title<T>(
    state: &State,
    name: &str,
    count: Option<String>,
    remote: &Remote<T>,
) -> Line<'static> {
    let mut spans = vec![Span::styled(format!(" {name}"), theme::title())];
    if let Some(n) = count {
        spans.push(Span::styled(format!(" ({n})"), theme::title()));
    }
    if remote.is_loading() {
        spans.push(Span::styled(
            format!(" {}", SPINNER[state.spinner % SPINNER.len()]),
            Style::new().fg(theme::ACCENT),
        ));
    }
    match remote.health() {
        Health::Disconnected => {
            let since = remote
                .error
                .as_ref()
                .map(|e| fmt::clock(e.since, &state.context.tz))
                .unwrap_or_default();
            spans.push(Span::styled(
                format!(" · disconnected since {since}"),
                theme::health(Health::Disconnected),
            ));
        }
        Health::Failing => {
            let age = remote
                .loaded_at
                .map(|t| format!(" · data {} old", fmt::ago(state.now, t)))
                .unwrap_or_default();
            spans.push(Span::styled(
                format!(" · refresh failed{age}"),
                theme::health(Health::Failing),
            ));
        }
        Health::Fresh => {
            if let Some(t) = remote.loaded_at {
                spans.push(Span::styled(
                    format!(" · updated {} ago", fmt::ago(state.now, t)),
                    theme::dim(),
                ));
            }
        }
        Health::NotLoaded => {
            if remote.is_loading() {
                spans.push(Span::styled(" · loading", theme::dim()));
            }
        }
    }
    spans.push(Span::raw(" "));
    Line::from(spans)
}

pub fn block(title: Line<'static>, focused: bool) -> Block<'static> {
    Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(theme::border(focused))
        .title(title)
}

pub fn render(state: &State, view: &mut View, frame: &mut Frame, area: Rect) {
    let c = &state.controllers;
    let focus = focused(state, Pane::Controllers);
    if let Some(d) = &c.detail {
        render_detail(state, d, frame, area, focus);
        return;
    }
    let total = c.remote.data.as_ref().map(Vec::len);
    let shown = c.visible_len();
    let count = total.map(|t| match &c.filter {
        Some(_) => format!("{shown}/{t}"),
        None => t.to_string(),
    });
    let count = match (count, c.marked.len()) {
        (Some(n), 0) => Some(n),
        (Some(n), m) => Some(format!("{n}, {m} marked")),
        (None, _) => None,
    };
    let title = title(state, "Runner controllers", count, &c.remote);
    let mut title = title;
    if let Some(f) = &c.filter {
        title.spans.insert(
            1,
            Span::styled(format!(" /{}", f.text), Style::new().fg(theme::ACCENT)),
        );
    }
    let block = block(title, focus);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if shown == 0 && c.filter.is_some() && total.is_some() {
        let msg = Span::styled(" Nothing matches the filter (esc clears it).", theme::dim());
        frame.render_widget(Paragraph::new(msg), inner);
        return;
    }
    if shown == 0 {
        let msg = match (&c.remote.data, &c.remote.error) {
            (_, Some(e)) => Span::styled(format!(" {}", e.message), theme::health(Health::Failing)),
            (None, None) => Span::styled(" Loading runner controllers…", theme::dim()),
            (Some(_), None) => {
                Span::styled(" No runner controllers yet: n creates one.", theme::dim())
            }
        };
        frame.render_widget(Paragraph::new(msg).wrap(Wrap { trim: true }), inner);
        return;
    }
    let hint = toggle_hint(state);
    let [inner, hint_area] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(u16::from(hint.is_some())),
    ])
    .areas(inner);
    if let Some(h) = hint {
        frame.render_widget(Paragraph::new(h), hint_area);
    }
    let body_h = inner.height.saturating_sub(1) as usize;
    let selected = c.selected_index();
    view.controllers_offset = scroll(view.controllers_offset, selected, body_h, shown);
    let off = view.controllers_offset;
    let visible: Vec<&RunnerController> = (off..(off + body_h).min(shown))
        .filter_map(|i| c.visible(i))
        .collect();
    let id_w = c.rows().last().map_or(2, |r| r.id.to_string().len()).max(2) as u16;
    let table_rows = visible
        .into_iter()
        .map(|r| row(state, r, usize::from(id_w)));
    let widths = [
        Constraint::Length(id_w + if c.marked.is_empty() { 0 } else { 2 }),
        Constraint::Length(9),
        Constraint::Fill(1),
        Constraint::Length(8),
    ];
    let header = Row::new(["ID", "STATE", "DESCRIPTION", "UPDATED"]).style(theme::header_cell());
    let table = Table::new(table_rows, widths)
        .header(header)
        .column_spacing(1)
        .row_highlight_style(theme::selected(focus));
    let mut ts = TableState::default().with_selected(selected.map(|s| s - off));
    frame.render_stateful_widget(table, inner, &mut ts);
}

/// What `t` would do to the selected controller, before anything is sent.
fn toggle_hint(state: &State) -> Option<Line<'static>> {
    use crate::domain::ControllerState as S;
    let c = state.controllers.selected_controller()?;
    let to = match c.state {
        S::Disabled => S::DryRun,
        S::DryRun => S::Disabled,
        S::Enabled => S::DryRun,
        S::Other(_) => return None,
    };
    if state.context.read_only {
        return None;
    }
    let ask = if c.state == S::Enabled {
        " (asks first)"
    } else {
        ""
    };
    let impact = crate::state::preview::impact(&to, state.controllers.scopes.get(&c.id));
    Some(Line::from(vec![
        Span::styled(
            " t",
            Style::new().fg(theme::ACCENT).add_modifier(Modifier::BOLD),
        ),
        Span::styled(
            format!(" {}{ask}: ", crate::state::preview::change(&c.state, &to)),
            theme::dim(),
        ),
        Span::styled(impact, theme::dim()),
    ]))
}

fn row<'a>(state: &State, r: &'a RunnerController, id_w: usize) -> Row<'a> {
    let busy = state.controllers.busy.contains(&r.id);
    let st = if busy {
        format!("{}…", r.state)
    } else {
        r.state.to_string()
    };
    let desc = match r.description.as_deref() {
        Some("") => Span::styled("(empty)", theme::dim()),
        Some(d) => Span::raw(d),
        None => Span::styled("—", theme::dim()),
    };
    let updated = r
        .updated_at
        .map(|t| fmt::ago(state.now, t))
        .unwrap_or_default();
    Row::new([
        // With marks on screen every id gets a two-column gutter, so the ids stay aligned.
        Cell::from(
            match (
                state.controllers.marked.is_empty(),
                state.controllers.marked.contains(&r.id),
            ) {
                (true, _) => Line::from(format!("{:>id_w$}", r.id)),
                (false, true) => Line::from(vec![
                    Span::styled("● ", Style::new().fg(theme::ACCENT)),
                    Span::raw(format!("{:>id_w$}", r.id)),
                ]),
                (false, false) => Line::from(format!("  {:>id_w$}", r.id)),
            },
        ),
        Cell::from(Span::styled(st, theme::controller_state(&r.state))),
        Cell::from(desc),
        Cell::from(Span::styled(updated, theme::dim())),
    ])
}

fn render_detail(state: &State, d: &Detail, frame: &mut Frame, area: Rect, focus: bool) {
    let c = d.remote.data.as_ref();
    let name = format!("Runner controller {}", d.id);
    let block = block(title(state, &name, None, &d.remote), focus);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(c) = c else {
        frame.render_widget(
            Paragraph::new(Span::styled(" Loading…", theme::dim())),
            inner,
        );
        return;
    };
    let tz = &state.context.tz;
    let key = |k: &str| Span::styled(format!(" {k:<12}"), theme::header_cell());
    let time = |t: Option<jiff::Timestamp>| {
        t.map(|t| format!("{} ({} ago)", fmt::date_time(t, tz), fmt::ago(state.now, t)))
            .unwrap_or_else(|| "—".into())
    };
    let connected = match c.connected {
        Some(true) => Span::styled(
            "yes (a token was used in the last hour)",
            Style::new().fg(ratatui::style::Color::Green),
        ),
        Some(false) => Span::raw("no (no token used in the last hour)"),
        None if d.remote.error.is_some() => {
            Span::styled("unknown (could not refresh)", theme::dim())
        }
        None => Span::styled("not reported (GitLab 18.10+ reports it)", theme::dim()),
    };
    let lines = vec![
        Line::from(vec![key("ID"), Span::raw(c.id.to_string())]),
        Line::from(vec![
            key("Description"),
            Span::raw(c.description.clone().unwrap_or_else(|| "—".into())),
        ]),
        Line::from(vec![
            key("State"),
            Span::styled(
                c.state.to_string(),
                theme::controller_state(&c.state).add_modifier(Modifier::BOLD),
            ),
            Span::styled(format!("  {}", meaning(&c.state)), theme::dim()),
        ]),
        Line::from(vec![key("Connected"), connected]),
        Line::from(vec![key("Created"), Span::raw(time(c.created_at))]),
        Line::from(vec![key("Updated"), Span::raw(time(c.updated_at))]),
    ];
    let mut lines = lines;
    let sel = theme::selected(focus);
    let cursor = d.cursor;
    let mut row = 0usize;
    let mark = |spans: Vec<Span<'static>>, row: &mut usize| {
        let line = Line::from(spans);
        let line = if *row == cursor {
            line.style(sel)
        } else {
            line
        };
        *row += 1;
        line
    };
    lines.push(Line::raw(""));
    let section = |name: &str, extra: String| {
        Line::from(vec![
            Span::styled(format!(" {name}"), theme::title()),
            Span::styled(extra, theme::dim()),
        ])
    };
    match (&d.scopes.data, &d.scopes.error) {
        (Some(s), _) => {
            lines.push(section("Scopes", String::new()));
            if s.instance.is_none() && s.runners.is_empty() {
                lines.push(Line::from(Span::styled(
                    "   none: it receives no admission requests (i adds the instance scope, a a runner)",
                    Style::new().fg(theme::AMBER),
                )));
            }
            if let Some(i) = &s.instance {
                let since = i
                    .created_at
                    .map(|t| format!("  since {}", fmt::date(t, tz)))
                    .unwrap_or_default();
                lines.push(mark(
                    vec![
                        Span::raw("   instance: every job on the instance".to_string()),
                        Span::styled(since, theme::dim()),
                    ],
                    &mut row,
                ));
            }
            for r in &s.runners {
                let since = r
                    .created_at
                    .map(|t| format!("  since {}", fmt::date(t, tz)))
                    .unwrap_or_default();
                lines.push(mark(
                    vec![
                        Span::raw(format!("   runner #{}", r.runner_id)),
                        Span::styled(since, theme::dim()),
                    ],
                    &mut row,
                ));
            }
        }
        (None, Some(e)) => {
            lines.push(section("Scopes", String::new()));
            lines.push(Line::from(Span::styled(
                format!("   {}", e.message),
                theme::health(Health::Failing),
            )));
        }
        (None, None) => lines.push(section("Scopes", " loading…".into())),
    }
    lines.push(Line::raw(""));
    match (&d.tokens.data, &d.tokens.error) {
        (Some(tokens), _) => {
            lines.push(section("Tokens", format!(" ({})", tokens.len())));
            if tokens.is_empty() {
                lines.push(Line::from(Span::styled(
                    "   none (n creates one)",
                    theme::dim(),
                )));
            }
            for t in tokens {
                let used = t
                    .last_used_at
                    .map(|u| format!("used {} ago", fmt::ago(state.now, u)))
                    .unwrap_or_else(|| "never used".into());
                let created = t
                    .created_at
                    .map(|c| format!("created {}", fmt::date(c, tz)))
                    .unwrap_or_default();
                lines.push(mark(
                    vec![
                        Span::raw(format!("   #{:<5} ", t.id)),
                        Span::raw(format!(
                            "{:<20} ",
                            fmt::truncate(t.description.as_deref().unwrap_or("—"), 20)
                        )),
                        Span::styled(format!("{created}  {used}"), theme::dim()),
                    ],
                    &mut row,
                ));
            }
        }
        (None, Some(e)) => {
            lines.push(section("Tokens", String::new()));
            lines.push(Line::from(Span::styled(
                format!("   {}", e.message),
                theme::health(Health::Failing),
            )));
        }
        (None, None) => lines.push(section("Tokens", " loading…".into())),
    }
    let hints: Vec<Line> = if state.context.read_only {
        vec![Line::from(Span::styled(
            " j/k select · y raw JSON · esc back",
            theme::dim(),
        ))]
    } else {
        vec![
            Line::from(Span::styled(
                " j/k select · n new token · r rotate · ctrl-d revoke/unscope",
                theme::dim(),
            )),
            Line::from(Span::styled(
                " i instance scope · a runner scope · t/s state · esc back",
                theme::dim(),
            )),
        ]
    };
    // The hints stay at the bottom; the rest scrolls to keep the selected row in sight.
    let hint_h = (hints.len() as u16).min(inner.height.saturating_sub(3));
    let [body, foot] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(hint_h)]).areas(inner);
    let cursor_line = lines.iter().position(|l| l.style == sel);
    let room = body.height as usize;
    let offset = match cursor_line {
        Some(at) if at >= room => at + 2 - room.min(at + 2),
        _ => 0,
    };
    frame.render_widget(Paragraph::new(lines).scroll((offset as u16, 0)), body);
    frame.render_widget(Paragraph::new(hints), foot);
}
