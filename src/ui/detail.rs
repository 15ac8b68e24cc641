//! The detail of one runner controller: its fields, its scopes and tokens (the selected one
//! highlighted and kept in sight), and the detail's key hints from the keymap at the bottom.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::controllers::{block, title};
use super::{fmt, preview, status, theme};
use crate::display;
use crate::domain::{ControllerToken, RunnerController, Scopes, Stamp};
use crate::state::{Detail, Health, RemoteError, State};

pub fn render(state: &State, d: &Detail, frame: &mut Frame, area: Rect, focus: bool) {
    let name = format!("Runner controller {}", d.id);
    let block = block(title(state, &name, None, &d.remote), focus);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(c) = d.remote.data.as_ref() else {
        frame.render_widget(
            Paragraph::new(Span::styled(" Loading…", theme::dim())),
            inner,
        );
        return;
    };
    let mut lines = fields(state, d, c);
    let sel = theme::selected(focus);
    let mut rows = Rows {
        cursor: d.cursor,
        row: 0,
        style: sel,
    };
    lines.push(Line::raw(""));
    scopes(state, d, &mut rows, &mut lines);
    lines.push(Line::raw(""));
    tokens(state, d, &mut rows, &mut lines);
    let hints = hints(state, inner.width as usize);
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

fn key(k: &str) -> Span<'static> {
    Span::styled(format!(" {k:<12}"), theme::header_cell())
}

fn fields(state: &State, d: &Detail, c: &RunnerController) -> Vec<Line<'static>> {
    let tz = &state.context.tz;
    let time = |t: Option<&Stamp>| {
        t.map(|t| {
            format!(
                "{} ({} ago)",
                fmt::date_time(t.at(), tz),
                fmt::ago(state.now, t.at())
            )
        })
        .unwrap_or_else(|| "—".into())
    };
    let connected = match c.connected {
        Some(true) => Span::styled("yes (a token was used in the last hour)", theme::ok()),
        Some(false) => Span::raw("no (no token used in the last hour)"),
        None if d.remote.error.is_some() => {
            Span::styled("unknown (could not refresh)", theme::dim())
        }
        None => Span::styled("not reported (GitLab 18.10+ reports it)", theme::dim()),
    };
    vec![
        Line::from(vec![key("ID"), Span::raw(c.id.to_string())]),
        Line::from(vec![
            key("Description"),
            Span::raw(display::escape(c.description.as_deref().unwrap_or("—")).into_owned()),
        ]),
        Line::from(vec![
            key("State"),
            Span::styled(
                c.state.to_string(),
                theme::controller_state(&c.state).add_modifier(Modifier::BOLD),
            ),
            Span::styled(format!("  {}", preview::meaning(&c.state)), theme::dim()),
        ]),
        Line::from(vec![key("Connected"), connected]),
        Line::from(vec![key("Created"), Span::raw(time(c.created_at.as_ref()))]),
        Line::from(vec![key("Updated"), Span::raw(time(c.updated_at.as_ref()))]),
    ]
}

/// Counts the selectable lines as they are added, highlighting the cursor's.
struct Rows {
    cursor: usize,
    row: usize,
    style: Style,
}

impl Rows {
    fn line(&mut self, spans: Vec<Span<'static>>) -> Line<'static> {
        let line = Line::from(spans);
        let line = if self.row == self.cursor {
            line.style(self.style)
        } else {
            line
        };
        self.row += 1;
        line
    }
}

fn section(name: &str, extra: String) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!(" {name}"), theme::title()),
        Span::styled(extra, theme::dim()),
    ])
}

fn failed(e: &RemoteError) -> Line<'static> {
    Line::from(Span::styled(
        format!("   {}", display::escape(&e.message)),
        theme::health(Health::Failing),
    ))
}

fn scopes(state: &State, d: &Detail, rows: &mut Rows, lines: &mut Vec<Line<'static>>) {
    match (&d.scopes.data, &d.scopes.error) {
        (Some(s), _) => {
            lines.push(section("Scopes", String::new()));
            scope_lines(state, s, rows, lines);
        }
        (None, Some(e)) => {
            lines.push(section("Scopes", String::new()));
            lines.push(failed(e));
        }
        (None, None) => lines.push(section("Scopes", " loading…".into())),
    }
}

fn scope_lines(state: &State, s: &Scopes, rows: &mut Rows, lines: &mut Vec<Line<'static>>) {
    let tz = &state.context.tz;
    let since = |t: Option<&Stamp>| {
        t.map(|t| format!("  since {}", fmt::date(t.at(), tz)))
            .unwrap_or_default()
    };
    if s.instance.is_none() && s.runners.is_empty() {
        lines.push(Line::from(Span::styled(
            "   none: it receives no admission requests (i adds the instance scope, a a runner)",
            theme::warn(),
        )));
    }
    if let Some(i) = &s.instance {
        lines.push(rows.line(vec![
            Span::raw("   instance: every job on the instance".to_string()),
            Span::styled(since(i.created_at.as_ref()), theme::dim()),
        ]));
    }
    for r in &s.runners {
        lines.push(rows.line(vec![
            Span::raw(format!("   runner #{}", r.runner_id)),
            Span::styled(since(r.created_at.as_ref()), theme::dim()),
        ]));
    }
}

fn tokens(state: &State, d: &Detail, rows: &mut Rows, lines: &mut Vec<Line<'static>>) {
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
                lines.push(rows.line(token(state, t)));
            }
        }
        (None, Some(e)) => {
            lines.push(section("Tokens", String::new()));
            lines.push(failed(e));
        }
        (None, None) => lines.push(section("Tokens", " loading…".into())),
    }
}

fn token(state: &State, t: &ControllerToken) -> Vec<Span<'static>> {
    let used = t
        .last_used_at
        .as_ref()
        .map(|u| format!("used {} ago", fmt::ago(state.now, u.at())))
        .unwrap_or_else(|| "never used".into());
    let created = t
        .created_at
        .as_ref()
        .map(|c| format!("created {}", fmt::date(c.at(), &state.context.tz)))
        .unwrap_or_default();
    vec![
        Span::raw(format!("   #{:<5} ", t.id)),
        Span::raw(format!(
            "{} ",
            display::fit(t.description.as_deref().unwrap_or("—"), 20)
        )),
        Span::styled(format!("{created}  {used}"), theme::dim()),
    ]
}

/// The detail's own keys, from the keymap, in as many lines as the width needs (at most two).
fn hints(state: &State, width: usize) -> Vec<Line<'static>> {
    let mut lines: Vec<Vec<Span<'static>>> = Vec::new();
    let mut used = 0usize;
    for pair in status::detail_hints(state) {
        let w: usize = pair.iter().map(Span::width).sum();
        if lines.is_empty() || (used + w > width.saturating_sub(1) && used > 1) {
            if lines.len() == 2 {
                break;
            }
            lines.push(vec![Span::raw(" ")]);
            used = 1;
        }
        if let Some(line) = lines.last_mut() {
            line.extend(pair);
        }
        used += w;
    }
    lines.into_iter().map(Line::from).collect()
}
