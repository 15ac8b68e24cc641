//! The detail's Findings and History sections: what the linter says of this controller (with
//! each fix), and who changed it, from GitLab's audit events (every administrator, through
//! runnerdeck or not), or this machine's audit log where the server cannot tell.

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::{fmt, theme, words::health as words};
use crate::audit::AuditEntry;
use crate::display;
use crate::domain::ControllerId;
use crate::health::{Finding, Level};
use crate::state::State;

/// Events shown in the detail at most (newest first).
const HISTORY_MAX: usize = 8;

fn section(name: &str, extra: String) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!(" {name}"), theme::title()),
        Span::styled(extra, theme::dim()),
    ])
}

/// `!` for a warning, `i` for a note, in colour and readable without.
pub fn marker(level: Level) -> Span<'static> {
    match level {
        Level::Warn => Span::styled("!", theme::danger().add_modifier(Modifier::BOLD)),
        Level::Info => Span::styled("i", theme::warn()),
    }
}

/// One finding: marker, what is wrong, the fix.
pub fn finding_spans(f: &Finding) -> Vec<Span<'static>> {
    vec![
        marker(f.level),
        Span::raw(format!(" {}", words::finding(f))),
        Span::styled(format!(": {}", words::fix(f)), theme::dim()),
    ]
}

pub fn findings(state: &State, id: ControllerId, lines: &mut Vec<Line<'static>>) {
    let v = &state.controllers.vitals;
    let Some(e) = v.of(id).filter(|e| e.is_read() || !e.findings.is_empty()) else {
        lines.push(section("Findings", " reading…".into()));
        return;
    };
    lines.push(section("Findings", format!(" ({})", e.findings.len())));
    if e.findings.is_empty() {
        lines.push(Line::from(Span::styled("   none", theme::dim())));
    }
    for f in &e.findings {
        let mut spans = vec![Span::raw("   ")];
        spans.extend(finding_spans(f));
        lines.push(Line::from(spans));
    }
}

pub fn history(state: &State, id: ControllerId, lines: &mut Vec<Line<'static>>, width: usize) {
    let h = &state.controllers.history;
    let max = width.saturating_sub(4);
    if let Some(why) = h.unavailable {
        lines.push(section("History", " (this machine's audit log)".into()));
        let error = h.server.error.as_ref().map(|e| e.message.as_str());
        lines.push(dim_line(&words::unavailable(why, error), max));
        lines.push(dim_line(words::LOCAL_INSTEAD, max));
        local(state, id, lines, max);
        return;
    }
    let Some(events) = &h.server.data else {
        lines.push(section("History", " reading GitLab's audit events…".into()));
        return;
    };
    let v = &state.controllers.vitals;
    let mine = h.of(id, |t| v.token_owner(t));
    lines.push(section(
        "History",
        format!(" ({} in 30 days, GitLab's audit events)", mine.len()),
    ));
    if mine.is_empty() {
        let none = if events.is_empty() {
            "   no runner controller event in the last 30 days"
        } else {
            "   no event names this controller in the last 30 days (:events lists them all)"
        };
        lines.push(Line::from(Span::styled(none, theme::dim())));
    }
    for e in mine.into_iter().take(HISTORY_MAX) {
        let text = format!("   {}", words::event_line(e, state.now));
        lines.push(display::line(&text, Style::new(), max).into_owned_line());
    }
}

fn dim_line(text: &str, max: usize) -> Line<'static> {
    display::line(&format!("   {text}"), theme::dim(), max).into_owned_line()
}

/// Whether a local audit entry is about controller `id`.
fn about(e: &AuditEntry, id: ControllerId) -> bool {
    let prefix = format!("/api/v4/runner_controllers/{id}");
    e.path == prefix || e.path.starts_with(&format!("{prefix}/"))
}

/// `root · disabled -> dry_run · 200 · 5m ago`.
pub fn local_line(e: &AuditEntry, now: jiff::Timestamp) -> String {
    let state = |v: &Option<serde_json::Value>| {
        v.as_ref()
            .and_then(|v| v.get("state"))
            .and_then(|s| s.as_str())
            .map(str::to_string)
    };
    let what = match (state(&e.before), state(&e.after)) {
        (Some(a), Some(b)) if a != b => format!("{a} -> {b}"),
        _ => format!("{} {}", e.method, e.path),
    };
    let when = e
        .time
        .parse::<jiff::Timestamp>()
        .map(|t| format!(" · {} ago", fmt::ago(now, t)))
        .unwrap_or_default();
    format!(
        "{} · {what} · {}{when}",
        e.user.as_deref().unwrap_or("?"),
        e.status
    )
}

fn local(state: &State, id: ControllerId, lines: &mut Vec<Line<'static>>, max: usize) {
    let log = &state.controllers.history.local;
    match (&log.data, &log.error) {
        (Some(entries), _) => {
            let mine: Vec<&AuditEntry> = entries.iter().filter(|e| about(e, id)).collect();
            if mine.is_empty() {
                lines.push(dim_line("no change of it made from this machine", max));
            }
            for e in mine.into_iter().take(HISTORY_MAX) {
                let text = format!("   {}", local_line(e, state.now));
                lines.push(display::line(&text, Style::new(), max).into_owned_line());
            }
        }
        (None, Some(e)) => lines.push(dim_line(&e.message, max)),
        (None, None) => lines.push(dim_line("reading…", max)),
    }
}

/// A borrowed line made `'static`.
trait Owned {
    fn into_owned_line(self) -> Line<'static>;
}

impl Owned for Line<'_> {
    fn into_owned_line(self) -> Line<'static> {
        Line::from(
            self.spans
                .into_iter()
                .map(|s| Span::styled(s.content.into_owned(), s.style))
                .collect::<Vec<_>>(),
        )
    }
}
