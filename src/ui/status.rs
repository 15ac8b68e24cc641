//! The status bar: the flash line (info / warn / error) and key hints generated from the keymap.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{fmt, theme};
use crate::keymap;
use crate::state::{Dialog, Level, State};

pub fn render(state: &State, frame: &mut Frame, area: Rect) {
    let [flash, hints] = Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(area);
    if let Some(f) = &state.flash {
        let icon = match f.level {
            Level::Info => "✓",
            Level::Warn => "!",
            Level::Error => "✗",
        };
        let text = fmt::truncate(&format!(" {icon} {}", f.text), area.width as usize);
        frame.render_widget(Paragraph::new(Span::styled(text, theme::level(f.level))), flash);
    }
    frame.render_widget(Paragraph::new(hint_line(state, area.width as usize)), hints);
}

fn hint_line(state: &State, width: usize) -> Line<'static> {
    let key_style = Style::new().fg(theme::ACCENT).add_modifier(Modifier::BOLD);
    if let Some(d) = &state.dialog {
        let pairs: &[(&str, &str)] = match d {
            Dialog::Help => &[("esc", "close")],
            Dialog::Confirm(_) => &[("y", "yes"), ("n", "no"), ("tab", "switch"), ("enter", "answer highlighted"), ("esc", "cancel")],
            Dialog::StatePicker(_) => &[("j/k", "choose"), ("enter", "apply"), ("esc", "cancel")],
            _ => &[("tab", "next field"), ("enter", "submit"), ("esc", "cancel")],
        };
        let mut spans = vec![Span::raw(" ")];
        for (k, h) in pairs {
            spans.push(Span::styled(*k, key_style));
            spans.push(Span::styled(format!(" {h}  "), theme::dim()));
        }
        return Line::from(spans);
    }
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    for b in keymap::active(state.focus, state.context.read_only) {
        let (Some(hint), Some(key)) = (b.hint, b.keys.first()) else {
            continue;
        };
        let key = keymap::key_label(*key);
        let cost = key.chars().count() + hint.chars().count() + 3;
        if used + cost > width {
            break;
        }
        used += cost;
        spans.push(Span::styled(key, key_style));
        spans.push(Span::styled(format!(" {hint}  "), theme::dim()));
    }
    Line::from(spans)
}
