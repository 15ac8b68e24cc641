//! The runner controllers pane: the table (only visible rows are built), or the detail of one
//! controller; the title carries count, spinner, data age and failures.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Cell, Paragraph, Row, Table, TableState, Wrap};

use super::{View, columns, fmt, focused, preview, scroll, theme};
use crate::display;
use crate::domain::RunnerController;
use crate::state::{Health, Pane, Remote, SortColumn, State};

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
            theme::accent(),
        ));
    }
    if let Some(r) = &remote.retrying {
        spans.push(Span::styled(
            format!(" · {}", super::words::retrying(r, state.now)),
            theme::health(Health::Failing),
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
        super::detail::render(state, d, frame, area, focus);
        return;
    }
    let total = c.remote.data.as_ref().map(Vec::len);
    let shown = c.visible_len();
    // `100+`: the first page, with more on its way.
    let more = if c.partial { "+" } else { "" };
    let count = total.map(|t| match &c.filter {
        Some(_) => format!("{shown}/{t}{more}"),
        None => format!("{t}{more}"),
    });
    let count = match (count, c.marked.len()) {
        (Some(n), 0) => Some(n),
        (Some(n), m) => Some(format!("{n}, {m} marked")),
        (None, _) => None,
    };
    let title = title(state, "Runner controllers", count, &c.remote);
    let mut title = title;
    if let Some(f) = &c.filter {
        title
            .spans
            .insert(1, Span::styled(format!(" /{}", f.text), theme::accent()));
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
        let words = (
            " Loading runner controllers…",
            " No runner controllers yet: n creates one.",
        );
        empty(&c.remote, words, frame, inner);
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
    let gutter = if c.marked.is_empty() { 0 } else { 2 };
    let plan = columns::plan(inner.width, id_w + gutter, c.sort);
    let desc_w = columns::description_width(inner.width, &plan);
    let table_rows = visible
        .into_iter()
        .map(|r| row(state, r, (usize::from(id_w), desc_w), &plan));
    let table = Table::new(table_rows, columns::widths(&plan))
        .header(columns::header(&plan, c.sort))
        .column_spacing(1)
        .row_highlight_style(theme::selected(focus));
    let mut ts = TableState::default().with_selected(selected.map(|s| s - off));
    frame.render_stateful_widget(table, inner, &mut ts);
    let body = Rect {
        y: inner.y + 1,
        height: inner.height.saturating_sub(1),
        ..inner
    };
    view.hits.rows(Pane::Controllers, body, off, shown - off);
}

/// An empty list says why: the failure, still loading, or nothing there (`words`: loading,
/// nothing).
pub(super) fn empty<T>(
    remote: &crate::state::Remote<T>,
    (loading, nothing): (&str, &str),
    frame: &mut Frame,
    area: Rect,
) {
    let msg = match (&remote.data, &remote.error) {
        (_, Some(e)) => Span::styled(
            format!(" {}", display::escape(&e.message)),
            theme::health(Health::Failing),
        ),
        (None, None) => Span::styled(loading.to_string(), theme::dim()),
        (Some(_), None) => Span::styled(nothing.to_string(), theme::dim()),
    };
    frame.render_widget(Paragraph::new(msg).wrap(Wrap { trim: true }), area);
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
    let impact = preview::impact(&to, state.controllers.scopes.get(&c.id));
    let key = state
        .settings
        .keys
        .key_for(crate::keymap::Mode::Rc, &crate::msg::Intent::ToggleDryRun)?;
    Some(Line::from(vec![
        Span::styled(
            format!(" {key}"),
            theme::accent().add_modifier(Modifier::BOLD),
        ),
        Span::styled(
            format!(" {}{ask}: ", preview::change(&c.state, &to)),
            theme::dim(),
        ),
        Span::styled(impact, theme::dim()),
    ]))
}

fn row<'a>(
    state: &State,
    r: &'a RunnerController,
    (id_w, desc_w): (usize, usize),
    plan: &[(SortColumn, u16)],
) -> Row<'a> {
    let busy = state.controllers.busy.contains(&r.id);
    let st = if busy {
        format!("{}…", r.state)
    } else {
        r.state.to_string()
    };
    let desc: Line = match r.description.as_deref() {
        Some("") => Line::from(Span::styled("(empty)", theme::dim())),
        Some(d) => display::line(d, Style::new(), desc_w),
        None => Line::from(Span::styled("—", theme::dim())),
    };
    let updated = r
        .updated_at
        .as_ref()
        .map(|t| fmt::ago(state.now, t.at()))
        .unwrap_or_default();
    // With marks on screen every id gets a two-column gutter, so the ids stay aligned.
    let id = Cell::from(
        match (
            state.controllers.marked.is_empty(),
            state.controllers.marked.contains(&r.id),
        ) {
            (true, _) => Line::from(format!("{:>id_w$}", r.id)),
            (false, true) => Line::from(vec![
                Span::styled("● ", theme::accent()),
                Span::raw(format!("{:>id_w$}", r.id)),
            ]),
            (false, false) => Line::from(format!("  {:>id_w$}", r.id)),
        },
    );
    let mut id = Some(id);
    let mut desc = Some(Cell::from(desc));
    Row::new(plan.iter().map(|(col, _)| match col {
        SortColumn::Id => id.take().unwrap_or_default(),
        SortColumn::State => {
            Cell::from(Span::styled(st.clone(), theme::controller_state(&r.state)))
        }
        SortColumn::Description => desc.take().unwrap_or_default(),
        SortColumn::Updated => Cell::from(Span::styled(updated.clone(), theme::dim())),
        health => columns::cell(state, r, *health),
    }))
}
