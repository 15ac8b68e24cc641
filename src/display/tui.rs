//! The ratatui form of escaped text: plain pieces in the caller's style, escapes dimmed, so a
//! control character reads as data, never as an instruction to the terminal.

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::{Kind, cut};

/// How an escape is drawn on top of `base`: dimmed, keeping colours and highlight.
pub fn escape_style(base: Style) -> Style {
    base.add_modifier(Modifier::DIM)
}

/// `s` escaped and cut to at most `max` cells (see [`super::truncate`]), as spans in `base`
/// with the escapes dimmed. `usize::MAX` means no limit.
pub fn spans(s: &str, base: Style, max: usize) -> Vec<Span<'_>> {
    cut(s, max)
        .into_iter()
        .map(|(kind, text)| match kind {
            Kind::Text => Span::styled(text, base),
            Kind::Escape => Span::styled(text, escape_style(base)),
        })
        .collect()
}

/// [`spans`] as one line.
pub fn line(s: &str, base: Style, max: usize) -> Line<'_> {
    Line::from(spans(s, base, max))
}
