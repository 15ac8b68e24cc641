//! The status bar: the flash line (info / warn / error) and key hints generated from the keymap.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{fmt, theme};
use crate::keymap;
use crate::state::{Dialog, Level, State, TextPurpose};

pub fn render(state: &State, frame: &mut Frame, area: Rect) {
    let [flash, hints] =
        Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(area);
    if let Some(f) = &state.flash {
        let icon = match f.level {
            // Something under way is not a success yet.
            Level::Info if f.text.ends_with('…') => "…",
            Level::Info => "✓",
            Level::Warn => "!",
            Level::Error => "✗",
        };
        let text = fmt::truncate(&format!(" {icon} {}", f.text), area.width as usize);
        frame.render_widget(
            Paragraph::new(Span::styled(text, theme::level(f.level))),
            flash,
        );
    }
    frame.render_widget(Paragraph::new(hint_line(state, area.width as usize)), hints);
}

fn hint_line(state: &State, width: usize) -> Line<'static> {
    let key_style = Style::new().fg(theme::ACCENT).add_modifier(Modifier::BOLD);
    if let Some(d) = &state.dialog {
        let pairs: &[(&str, &str)] = match d {
            Dialog::Help { .. } => &[("j/k", "scroll"), ("esc", "close")],
            Dialog::Confirm(c) if c.typed.is_some() => &[
                ("type", "what it asks"),
                ("enter", "confirm"),
                ("esc", "cancel"),
            ],
            Dialog::Secret { .. } => &[("c", "copy"), ("esc", "close (the secret is gone)")],
            Dialog::Raw { .. } => &[("j/k", "scroll"), ("c", "copy"), ("esc", "close")],
            Dialog::Log { .. } => &[("j/k", "scroll"), ("esc", "close")],
            Dialog::Text(f) if f.purpose == TextPurpose::Filter => {
                &[("enter", "keep the filter"), ("esc", "clear it")]
            }
            Dialog::Text(_) => &[("enter", "submit"), ("esc", "cancel")],
            Dialog::Confirm(_) => &[
                ("y", "yes"),
                ("n", "no"),
                ("tab", "switch"),
                ("enter", "answer highlighted"),
                ("esc", "cancel"),
            ],
            Dialog::StatePicker(_) => &[("j/k", "choose"), ("enter", "apply"), ("esc", "cancel")],
            _ => &[
                ("tab", "next field"),
                ("enter", "submit"),
                ("esc", "cancel"),
            ],
        };
        let mut spans = vec![Span::raw(" ")];
        for (k, h) in pairs {
            spans.push(Span::styled(*k, key_style));
            spans.push(Span::styled(format!(" {h}  "), theme::dim()));
        }
        return Line::from(spans);
    }
    // Help and quit always fit; the others fill what is left, in keymap order.
    let hints: Vec<(String, &str)> = keymap::active_for(state)
        .filter_map(|b| Some((keymap::key_label(*b.keys.first()?), b.hint?)))
        .collect();
    let cost = |(k, h): &(String, &str)| k.chars().count() + h.chars().count() + 3;
    let essential = |h: &str| h == "help" || h == "quit";
    let mut budget = width.saturating_sub(1)
        - hints
            .iter()
            .filter(|x| essential(x.1))
            .map(cost)
            .sum::<usize>()
            .min(width.saturating_sub(1));
    let mut chosen: Vec<&(String, &str)> = Vec::new();
    for h in hints.iter().filter(|x| !essential(x.1)) {
        if cost(h) > budget {
            break;
        }
        budget -= cost(h);
        chosen.push(h);
    }
    chosen.extend(hints.iter().filter(|x| essential(x.1)));
    let mut spans = vec![Span::raw(" ")];
    for (key, hint) in chosen {
        spans.push(Span::styled(key.clone(), key_style));
        spans.push(Span::styled(format!(" {hint}  "), theme::dim()));
    }
    Line::from(spans)
}
