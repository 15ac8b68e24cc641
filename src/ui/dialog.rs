//! Dialogs drawn over the panes: help (from the keymap), confirmations with No highlighted by
//! default, the state picker with each state's meaning, and the forms.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Wrap};
use tui_input::Input;

use super::hits::Target;
use super::preview::meaning;
use super::{View, theme, words};
use crate::audit::AuditEntry;
use crate::display;
use crate::domain::{ControllerState, NewToken, TokenId};
use crate::keymap;
use crate::state::{
    Confirm, ControllerField, ControllerForm, Dialog, FormError, FormMode, RawTitle, RunnerField,
    RunnerForm, State, StatePicker, TextForm, TextPurpose,
};

pub fn render(state: &State, view: &mut View, frame: &mut Frame, area: Rect) {
    if state.dialog.is_some() || state.help.is_some() {
        view.hits.push(area, Target::Modal);
    }
    if let Some(d) = &state.dialog {
        match d {
            Dialog::Confirm(c) => confirm(state, c, view, frame, area),
            Dialog::StatePicker(p) => picker(state, p, frame, area),
            Dialog::ControllerForm(f) => controller_form(f, frame, area),
            Dialog::RunnerForm(f) => runner_form(f, frame, area),
            Dialog::Text(f) => text_form(f, frame, area),
            Dialog::Secret { token, rotated } => secret(token, *rotated, frame, area),
            Dialog::Log { entries, offset } => log(state, entries.as_ref(), *offset, frame, area),
            Dialog::Raw {
                title,
                text,
                offset,
                ..
            } => raw(title, text.as_ref(), *offset, frame, area),
            Dialog::Quit => quit(state, frame, area),
        }
    }
    if let Some(h) = &state.help {
        help(state, h.offset, frame, area);
    }
}

fn quit(state: &State, frame: &mut Frame, area: Rect) {
    let n = state.changes.len();
    let lines = vec![
        Line::from(Span::styled(
            format!(
                " {n} change{} on {} way: quit now?",
                if n == 1 { " is" } else { "s are" },
                if n == 1 { "its" } else { "their" }
            ),
            theme::title(),
        )),
        Line::raw(""),
        Line::raw(" The server makes a sent change whether runnerdeck waits or not; quitting now"),
        Line::raw(" only stops waiting for the answer (the audit log then says none came)."),
        Line::raw(""),
        Line::from(Span::styled(
            " w / enter wait for the answers, then quit · q quit now · esc stay",
            theme::dim(),
        )),
    ];
    let (width, height) = fit(&lines, 84, area);
    let inner = popup(frame, area, width, height, "Changes on their way", true);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

/// Width and height (borders included) a popup needs for `lines` wrapped at its width.
fn fit(lines: &[Line], max_width: u16, area: Rect) -> (u16, u16) {
    let width = max_width.min(area.width.saturating_sub(2)).max(10);
    let inner = usize::from(width.saturating_sub(2)).max(1);
    let rows: usize = lines.iter().map(|l| l.width().div_ceil(inner).max(1)).sum();
    (width, rows as u16 + 2)
}

fn popup(
    frame: &mut Frame,
    area: Rect,
    width: u16,
    height: u16,
    title: &str,
    danger: bool,
) -> Rect {
    let w = width.min(area.width.saturating_sub(2)).max(10);
    let h = height.min(area.height.saturating_sub(2)).max(3);
    let [v] = Layout::vertical([Constraint::Length(h)])
        .flex(Flex::Center)
        .areas(area);
    let [r] = Layout::horizontal([Constraint::Length(w)])
        .flex(Flex::Center)
        .areas(v);
    frame.render_widget(Clear, r);
    let p = theme::palette();
    let color = if danger { p.danger } else { p.accent };
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(Style::new().fg(color))
        .title(Span::styled(format!(" {title} "), theme::title()));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    inner
}

fn help(state: &State, offset: usize, frame: &mut Frame, area: Rect) {
    let mut lines = Vec::new();
    let key_style = theme::accent().add_modifier(Modifier::BOLD);
    let mode = keymap::base_mode(state);
    let entries = state.settings.keys.help(mode, state.context.read_only);
    let col = entries
        .iter()
        .map(|(k, _)| k.chars().count() + 2)
        .max()
        .unwrap_or(0)
        .clamp(12, 30);
    for (keys, description) in entries {
        lines.push(Line::from(vec![
            Span::styled(format!(" {keys:<col$}"), key_style),
            Span::raw(description),
        ]));
    }
    if state.context.read_only {
        lines.push(Line::raw(""));
        lines.push(Line::from(Span::styled(
            " Read-only: keys that change anything are not bound.",
            theme::dim(),
        )));
    }
    lines.push(Line::raw(""));
    lines.push(Line::from(Span::styled(
        format!(
            " Times are shown in {}.",
            super::fmt::zone_name(&state.context.tz)
        ),
        theme::dim(),
    )));
    let h = lines.len() as u16 + 2;
    let inner = popup(
        frame,
        area,
        96,
        h,
        &format!("Keys: {}", mode_name(mode)),
        false,
    );
    let room = inner.height as usize;
    if lines.len() > room {
        // Scrolls with j/k; the last line says there is more.
        let offset = offset.min(lines.len() - room + 1);
        let mut shown: Vec<Line> = lines.into_iter().skip(offset).collect();
        let more = shown.len() > room;
        shown.truncate(room.saturating_sub(1));
        shown.push(Line::from(Span::styled(
            if more {
                " ↓ more: j / k scroll"
            } else {
                " ↑ j / k scroll"
            },
            theme::dim(),
        )));
        frame.render_widget(Paragraph::new(shown), inner);
    } else {
        frame.render_widget(Paragraph::new(lines), inner);
    }
}

fn mode_name(mode: keymap::Mode) -> &'static str {
    use keymap::Mode::*;
    match mode {
        Rc => "runner controllers",
        Bookings => "veHaaS bookings",
        Timeline => "veHaaS bookings timeline",
        Detail => "runner controller detail",
        Confirm | Typed => "confirmation",
        Picker => "state picker",
        Form | Text => "form",
        Secret => "new token",
        Raw => "raw JSON",
        Log => "audit log",
        Quit => "quitting",
        Help => "help",
    }
}

fn buttons(yes: bool) -> Line<'static> {
    let on = theme::selected(true);
    let off = theme::muted();
    Line::from(vec![
        Span::styled("  [ y Yes ]", if yes { on } else { off }),
        Span::raw("   "),
        Span::styled("[ n No ]", if yes { off } else { on }),
    ])
}

fn confirm(state: &State, c: &Confirm, view: &mut View, frame: &mut Frame, area: Rect) {
    let w = words::question(state, c);
    let mut lines = vec![
        Line::from(Span::styled(
            format!(" {}", display::escape(&w.question)),
            theme::title(),
        )),
        Line::raw(""),
    ];
    for d in &w.details {
        lines.push(Line::raw(format!(" {}", display::escape(d))));
    }
    lines.push(Line::raw(""));
    if let Some(t) = &c.typed {
        let ok = c.armed();
        let style = if ok { theme::ok() } else { theme::warn() };
        lines.push(Line::from(vec![
            Span::raw(format!(" Type {} to confirm: ", t.expected)),
            Span::styled(
                format!("{}▏", t.input.value()),
                style.add_modifier(Modifier::BOLD),
            ),
        ]));
        lines.push(Line::from(Span::styled(
            " enter confirms once it matches · esc cancels",
            theme::dim(),
        )));
    } else {
        lines.push(buttons(c.yes));
    }
    let (width, height) = fit(&lines, 76, area);
    let inner = popup(frame, area, width, height, &w.title, true);
    if c.typed.is_some() {
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
        return;
    }
    // The buttons on the last line, where the mouse can find them.
    let buttons = lines.pop().unwrap_or_default();
    let [text, row] = Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(inner);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), text);
    frame.render_widget(Paragraph::new(buttons), row);
    let at = |x: u16, w: u16| Rect::new(row.x + x, row.y, w.min(row.width.saturating_sub(x)), 1);
    view.hits.push(at(2, 9), Target::Answer(true));
    view.hits.push(at(14, 8), Target::Answer(false));
}

fn picker(state: &State, p: &StatePicker, frame: &mut Frame, area: Rect) {
    let mut lines = vec![
        Line::from(Span::styled(
            if p.bulk.is_empty() {
                format!(
                    " Runner controller {}: {} -> {}",
                    p.target.id,
                    p.target.state,
                    p.choice()
                )
            } else {
                format!(
                    " {} marked runner controllers -> {}",
                    p.bulk.len(),
                    p.choice()
                )
            },
            theme::title(),
        )),
        Line::raw(""),
    ];
    for (i, s) in ControllerState::KNOWN.iter().enumerate() {
        let marker = if i == p.cursor { "▶" } else { " " };
        let current = if *s == p.target.state {
            " (current)"
        } else {
            ""
        };
        let style = if i == p.cursor {
            theme::controller_state(s).add_modifier(Modifier::REVERSED)
        } else {
            theme::controller_state(s)
        };
        lines.push(Line::from(vec![
            Span::raw(format!(" {marker} ")),
            Span::styled(format!("{:<9}", s.as_str()), style),
            Span::styled(format!("{current} {}", meaning(s)), theme::dim()),
        ]));
    }
    lines.push(Line::raw(""));
    let impact = words::picker_impact(state, p);
    lines.push(Line::from(Span::raw(format!(" {impact}"))));
    let (width, height) = fit(&lines, 84, area);
    let inner = popup(frame, area, width, height, "Set state", false);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

/// Draws `label: [value]` and places the cursor when the field is focused.
fn field(
    frame: &mut Frame,
    area: Rect,
    label: &str,
    input: &Input,
    placeholder: &str,
    active: bool,
) {
    let label_w = 16u16;
    let [l, v] = Layout::horizontal([Constraint::Length(label_w), Constraint::Fill(1)]).areas(area);
    let ls = if active {
        theme::accent().add_modifier(Modifier::BOLD)
    } else {
        Style::new()
    };
    frame.render_widget(Paragraph::new(Span::styled(format!(" {label}"), ls)), l);
    let width = v.width.max(1) as usize;
    let scroll = input.visual_scroll(width.saturating_sub(1));
    let bg = theme::input();
    let text = if input.value().is_empty() {
        Span::styled(placeholder.to_string(), bg.fg(theme::palette().dim))
    } else {
        Span::styled(input.value().to_string(), bg)
    };
    frame.render_widget(Paragraph::new(text).style(bg).scroll((0, scroll as u16)), v);
    if active {
        let x = (input.visual_cursor().max(scroll) - scroll) as u16;
        frame.set_cursor_position(Position::new(v.x + x.min(v.width.saturating_sub(1)), v.y));
    }
}

fn choice_line(label: &str, value: Line<'static>, active: bool) -> Line<'static> {
    let ls = if active {
        theme::accent().add_modifier(Modifier::BOLD)
    } else {
        Style::new()
    };
    let mut spans = vec![Span::styled(format!(" {label:<15}"), ls)];
    spans.extend(value.spans);
    Line::from(spans)
}

fn error_line(error: &Option<FormError>) -> Line<'static> {
    match error {
        Some(e) => Line::from(Span::styled(
            format!(" ✗ {}", words::form_error(e)),
            theme::level(crate::state::Level::Error),
        )),
        None => Line::raw(""),
    }
}

fn controller_form(f: &ControllerForm, frame: &mut Frame, area: Rect) {
    let (title, h) = match &f.mode {
        FormMode::Create => ("New runner controller".to_string(), 7),
        FormMode::Edit { based_on } => (format!("Edit description of {}", based_on.id), 5),
    };
    let inner = popup(frame, area, 76, h, &title, false);
    let rows = Layout::vertical([Constraint::Length(1); 5]).split(inner);
    field(
        frame,
        rows[0],
        "Description",
        &f.description,
        "optional, up to 1024 characters",
        f.field == ControllerField::Description,
    );
    let mut next = 1;
    if f.mode == FormMode::Create {
        let st: &ControllerState = &f.state;
        let value = Line::from(vec![
            Span::styled(format!("◀ {} ▶", st.as_str()), theme::controller_state(st)),
            Span::styled(format!("  {}", meaning(st)), theme::dim()),
        ]);
        frame.render_widget(
            Paragraph::new(choice_line(
                "State",
                value,
                f.field == ControllerField::State,
            )),
            rows[1],
        );
        next = 3;
    }
    if let Some(r) = rows.get(next) {
        frame.render_widget(Paragraph::new(error_line(&f.error)), *r);
    }
}

fn runner_form(f: &RunnerForm, frame: &mut Frame, area: Rect) {
    let inner = popup(frame, area, 78, 9, "Request a GitLab Runner", false);
    let rows = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(2),
    ])
    .split(inner);
    field(
        frame,
        rows[0],
        "Assembly",
        &f.assembly,
        "e.g. HIL-BENCH-01",
        f.field == RunnerField::Assembly,
    );
    field(
        frame,
        rows[1],
        "Duration",
        &f.duration,
        "10m, 1h30m, 2h or PT45M",
        f.field == RunnerField::Duration,
    );
    field(
        frame,
        rows[2],
        "Provider URL",
        &f.provider_url,
        "https://gitlab.example.com",
        f.field == RunnerField::ProviderUrl,
    );
    let q = if f.put_in_queue {
        "[x] wait in queue if the assembly is busy"
    } else {
        "[ ] fail if the assembly is busy"
    };
    frame.render_widget(
        Paragraph::new(choice_line(
            "Put in queue",
            Line::raw(q),
            f.field == RunnerField::Queue,
        )),
        rows[3],
    );
    frame.render_widget(
        Paragraph::new(error_line(&f.error)).wrap(Wrap { trim: false }),
        rows[5],
    );
}

/// Title, label, field name and placeholder of a one-line form.
fn text_words(p: &TextPurpose) -> (String, String, &'static str, &'static str) {
    match p {
        TextPurpose::Extend { session, assembly } => (
            "Extend booking".into(),
            format!("Extend {session} on {assembly} by"),
            "By",
            "30m, 1h30m, 2h or PT45M",
        ),
        TextPurpose::NewToken { id } => (
            "New token".into(),
            format!("A new token for runner controller {id}"),
            "Description",
            "optional, e.g. kas-agent prod",
        ),
        TextPurpose::RunnerScope { id } => (
            "Scope a runner".into(),
            format!("Only jobs of this instance-type runner reach controller {id}"),
            "Runner id",
            "e.g. 3",
        ),
        TextPurpose::Command => (
            "Command".into(),
            "log  rc  bookings  ctx NAME  readonly  q  · tab completes · ↑ history".into(),
            ":",
            "log",
        ),
        TextPurpose::Filter { pane } => (
            "Filter".into(),
            format!(
                "Part of {}; a leading ! inverts; esc clears",
                match pane {
                    crate::state::Pane::Controllers => "id, state or description",
                    crate::state::Pane::Bookings => "assembly, owner, state or tag",
                }
            ),
            "/",
            "e.g. kas or !disabled",
        ),
    }
}

fn text_form(f: &TextForm, frame: &mut Frame, area: Rect) {
    let (title, label, name, placeholder) = text_words(&f.purpose);
    let inner = popup(frame, area, 70, 5, &title, false);
    let rows = Layout::vertical([Constraint::Length(1); 3]).split(inner);
    frame.render_widget(
        Paragraph::new(Span::styled(format!(" {label}"), theme::dim())),
        rows[0],
    );
    field(frame, rows[1], name, &f.input, placeholder, true);
    let below = match (&f.error, &f.hint) {
        (None, Some(hint)) => Line::from(Span::styled(format!(" {hint}"), theme::dim())),
        _ => error_line(&f.error),
    };
    frame.render_widget(Paragraph::new(below), rows[2]);
}

/// A new token's secret, shown this once.
fn secret(token: &NewToken, rotated: Option<TokenId>, frame: &mut Frame, area: Rect) {
    use secrecy::ExposeSecret;
    let title = match rotated {
        Some(old) => format!("Token {old} rotated: new token {}", token.token.id),
        None => format!("New token {}", token.token.id),
    };
    let lines = vec![
        Line::from(Span::styled(
            " Copy it now: it cannot be shown again.",
            theme::warn().add_modifier(Modifier::BOLD),
        )),
        Line::raw(""),
        // Borrowed, never copied into a String that would outlive the frame unwiped.
        Line::from(vec![
            Span::raw(" "),
            Span::styled(token.secret.expose_secret(), theme::strong()),
        ]),
        Line::raw(""),
        Line::from(Span::styled(
            " c copy (OSC 52) · esc close: the secret is wiped from memory and screen",
            theme::dim(),
        )),
    ];
    let inner = popup(frame, area, 78, lines.len() as u16 + 2, &title, true);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

fn log(
    state: &State,
    entries: Option<&Result<Vec<AuditEntry>, String>>,
    offset: usize,
    frame: &mut Frame,
    area: Rect,
) {
    let w = area.width.saturating_sub(4);
    let h = area.height.saturating_sub(2);
    let inner = popup(frame, area, w, h, "Audit log (newest first)", false);
    let lines: Vec<Line> = match entries {
        None => vec![Line::from(Span::styled(" Loading…", theme::dim()))],
        Some(Err(e)) => vec![Line::from(Span::styled(
            format!(" {e}"),
            theme::level(crate::state::Level::Error),
        ))],
        Some(Ok(list)) if list.is_empty() => vec![Line::from(Span::styled(
            " No changes recorded yet.",
            theme::dim(),
        ))],
        Some(Ok(list)) => list
            .iter()
            .skip(offset)
            .take((inner.height as usize).div_ceil(2))
            .flat_map(|e| log_entry(state, e))
            .collect(),
    };
    frame.render_widget(Paragraph::new(lines), inner);
}

/// One audit entry on two lines: when, status, what; then what changed, who, why it failed.
fn log_entry(state: &State, e: &AuditEntry) -> [Line<'static>; 2] {
    let ok = (200..300).contains(&e.status);
    let status = Span::styled(
        format!(" {:>3} ", e.status),
        if ok {
            theme::ok()
        } else {
            theme::level(crate::state::Level::Error)
        },
    );
    let when = e
        .time
        .parse::<jiff::Timestamp>()
        .map(|t| super::fmt::seconds(t, &state.context.tz))
        .unwrap_or_else(|_| e.time.clone());
    let who = e.user.as_deref().unwrap_or("?");
    let first = Line::from(vec![
        Span::styled(format!(" {when}"), theme::dim()),
        status,
        Span::styled(format!("{:<6} ", e.method), theme::title()),
        Span::raw(display::escape(&e.path).into_owned()),
    ]);
    let mut second = vec![
        Span::raw("      "),
        Span::styled(change_summary(e), theme::accent()),
        Span::styled(
            format!("  {} · by {who} ({})", e.service, e.source),
            theme::dim(),
        ),
    ];
    if let Some(err) = &e.error {
        second.push(Span::styled(
            format!("  {}", display::escape(err)),
            theme::level(crate::state::Level::Error),
        ));
    }
    [first, Line::from(second)]
}

fn raw(
    title: &RawTitle,
    text: Option<&Result<String, String>>,
    offset: usize,
    frame: &mut Frame,
    area: Rect,
) {
    let w = area.width.saturating_sub(6).min(100);
    let h = area.height.saturating_sub(2);
    let title = match title {
        RawTitle::Controller(id) => format!("GET /api/v4/runner_controllers/{id}"),
        RawTitle::Session(id) => format!("Session {id} (as read)"),
        RawTitle::Request { assembly } => format!("Runner request on {assembly}"),
    };
    let inner = popup(frame, area, w, h, &title, false);
    let lines: Vec<Line> = match text {
        None => vec![Line::from(Span::styled(" Loading…", theme::dim()))],
        Some(Err(e)) => vec![Line::from(Span::styled(
            format!(" {e}"),
            theme::level(crate::state::Level::Error),
        ))],
        Some(Ok(t)) => t
            .lines()
            .skip(offset)
            .take(inner.height as usize)
            .map(|l| Line::raw(format!(" {}", display::escape(l))))
            .collect(),
    };
    frame.render_widget(Paragraph::new(lines), inner);
}

/// What an audit entry changed, in a few words: `dry_run -> enabled`, a new description.
fn change_summary(e: &AuditEntry) -> String {
    let field = |v: &Option<serde_json::Value>, k: &str| {
        v.as_ref()
            .and_then(|v| v.get(k))
            .cloned()
            .filter(|x| !x.is_null())
    };
    let mut parts = Vec::new();
    let (b, a) = (field(&e.before, "state"), field(&e.after, "state"));
    if let (Some(b), Some(a)) = (&b, &a)
        && b != a
    {
        parts.push(format!(
            "{} -> {}",
            b.as_str().unwrap_or_default(),
            a.as_str().unwrap_or_default()
        ));
    }
    // Descriptions are compared on controller objects only (they carry a state).
    if b.is_some()
        && a.is_some()
        && field(&e.before, "description") != field(&e.after, "description")
    {
        parts.push("description changed".into());
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("  {}", parts.join(", "))
    }
}
