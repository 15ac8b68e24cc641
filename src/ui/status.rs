//! The status bar: the flash line (info / under way / warn / error) and key hints generated
//! from the keymap for what is on screen, list or dialog alike.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{theme, words};
use crate::display;
use crate::keymap::{self, Mode};
use crate::state::{Level, State};

pub fn render(state: &State, frame: &mut Frame, area: Rect) {
    let [flash, hints] =
        Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(area);
    if let Some(f) = &state.flash {
        let level = f.note.level();
        let icon = match level {
            Level::Progress => "…",
            Level::Info => "✓",
            Level::Warn => "!",
            Level::Error => "✗",
        };
        let text = words::note(&f.note, &state.context.tz);
        let text = display::truncate(&format!(" {icon} {text}"), area.width as usize);
        frame.render_widget(
            Paragraph::new(Span::styled(text, theme::level(level))),
            flash,
        );
    }
    frame.render_widget(Paragraph::new(hint_line(state, area.width as usize)), hints);
}

/// Hints that fit `width`: help, quit and cancel always, the others in table order.
fn hint_spans(hints: Vec<(String, &'static str)>, width: usize) -> Vec<Span<'static>> {
    let key_style = theme::accent().add_modifier(Modifier::BOLD);
    let cost = |(k, h): &(String, &str)| k.chars().count() + h.chars().count() + 3;
    let essential = |h: &str| h == "help" || h == "quit" || h == "cancel";
    let fixed: usize = hints.iter().filter(|x| essential(x.1)).map(cost).sum();
    let mut budget = width.saturating_sub(1).saturating_sub(fixed);
    let mut chosen: Vec<&(String, &str)> = Vec::new();
    for h in hints.iter().filter(|x| !essential(x.1)) {
        if cost(h) > budget {
            break;
        }
        budget -= cost(h);
        chosen.push(h);
    }
    for last in ["cancel", "help", "quit"] {
        chosen.extend(hints.iter().filter(|x| x.1 == last));
    }
    let mut spans = vec![Span::raw(" ")];
    for (key, hint) in chosen {
        spans.push(Span::styled(key.clone(), key_style));
        spans.push(Span::styled(format!(" {hint}  "), theme::dim()));
    }
    spans
}

fn hint_line(state: &State, width: usize) -> Line<'static> {
    let mode = keymap::mode(state);
    let keys = &state.settings.keys;
    let read_only = state.context.read_only;
    // The detail shows its own keys in the pane; the bar keeps the ones the list has too.
    let hints = if mode == Mode::Detail {
        keys.hints_where(mode, read_only, |b| b.modes.contains(&Mode::Rc))
    } else {
        keys.hints(mode, read_only)
    };
    Line::from(hint_spans(hints, width))
}

/// The keys only the detail has, as `key hint` pairs, for the detail's own lines.
pub fn detail_hints(state: &State) -> Vec<[Span<'static>; 2]> {
    let key_style = theme::accent().add_modifier(Modifier::BOLD);
    state
        .settings
        .keys
        .hints_where(Mode::Detail, state.context.read_only, |b| {
            !b.modes.contains(&Mode::Rc)
        })
        .into_iter()
        .map(|(k, h)| {
            [
                Span::styled(k, key_style),
                Span::styled(format!(" {h}  "), theme::dim()),
            ]
        })
        .collect()
}
