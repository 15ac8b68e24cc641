//! Text from servers (descriptions, owners, tags, error bodies) made safe to draw: every
//! character that could move the cursor, restyle the screen, reorder or hide text is shown as a
//! visible escape, and widths are terminal cells measured as ratatui measures them. Pure: no
//! terminal, no I/O; `tui` builds ratatui spans from the same pieces.

mod tui;

use std::borrow::Cow;
use std::fmt::{self, Write as _};

use ratatui::buffer::CellWidth;
use unicode_segmentation::UnicodeSegmentation;

pub use tui::{escape_style, line, spans};

/// Shown at the end of a cut text.
pub const ELLIPSIS: &str = "…";

/// Whether `c` is drawn as an escape: C0 and C1 controls and DEL (cursor moves, colours, bells),
/// bidi embeddings, overrides, isolates and marks (they reorder what follows), zero-width and
/// other invisible characters (they hide text or glue it together), line and paragraph
/// separators, and the invisible tag characters.
pub fn needs_escape(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}'
        | '\u{7f}'..='\u{9f}'
        | '\u{ad}'
        | '\u{61c}'
        | '\u{180e}'
        | '\u{200b}'..='\u{200f}'
        | '\u{2028}'..='\u{202e}'
        | '\u{2060}'..='\u{206f}'
        | '\u{feff}'
        | '\u{fff9}'..='\u{fffb}'
        | '\u{e0000}'..='\u{e007f}')
}

/// A run of text that is safe to print as it is, or one character to show as its escape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(&'a str),
    Escape(char),
}

impl Piece<'_> {
    /// Cells on screen.
    pub fn width(&self) -> usize {
        match self {
            Piece::Text(t) => text_width(t),
            // Escapes are ASCII: one cell a byte.
            Piece::Escape(c) => escaped(*c).len(),
        }
    }
}

impl fmt::Display for Piece<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Piece::Text(t) => f.write_str(t),
            Piece::Escape(c) => f.write_str(&escaped(*c)),
        }
    }
}

/// `\t`, `\n`, `\r`, else `\u{202e}` (lower-case hex, as Rust writes it).
fn escaped(c: char) -> String {
    match c {
        '\t' => r"\t".into(),
        '\n' => r"\n".into(),
        '\r' => r"\r".into(),
        c => format!("\\u{{{:x}}}", u32::from(c)),
    }
}

/// The pieces of `s`, in order.
pub fn pieces(s: &str) -> Pieces<'_> {
    Pieces { rest: s }
}

#[derive(Debug, Clone)]
pub struct Pieces<'a> {
    rest: &'a str,
}

impl<'a> Iterator for Pieces<'a> {
    type Item = Piece<'a>;

    fn next(&mut self) -> Option<Piece<'a>> {
        let c = self.rest.chars().next()?;
        if needs_escape(c) {
            self.rest = &self.rest[c.len_utf8()..];
            return Some(Piece::Escape(c));
        }
        let end = self.rest.find(needs_escape).unwrap_or(self.rest.len());
        let (text, rest) = self.rest.split_at(end);
        self.rest = rest;
        Some(Piece::Text(text))
    }
}

/// `s` with every unsafe character escaped; borrowed when there is none, so plain text costs
/// nothing and escaping twice changes nothing.
pub fn escape(s: &str) -> Cow<'_, str> {
    if !s.contains(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for p in pieces(s) {
        // Writing to a String cannot fail.
        let _ = write!(out, "{p}");
    }
    Cow::Owned(out)
}

/// Cells that the escaped form of `s` takes.
pub fn width(s: &str) -> usize {
    pieces(s).map(|p| p.width()).sum()
}

/// Cells of text without anything to escape, grapheme by grapheme like ratatui's buffer.
fn text_width(t: &str) -> usize {
    t.graphemes(true).map(|g| usize::from(g.cell_width())).sum()
}

/// The escaped form of `s` in at most `max` cells. When it has to be cut, the kept part is
/// followed by `…` and the result takes exactly `max` cells: a wide character that would
/// straddle the edge is dropped, and a space after the ellipsis pads its place.
pub fn truncate(s: &str, max: usize) -> String {
    cut(s, max).into_iter().map(|(_, t)| t).collect()
}

/// The escaped form of `s`, padded with spaces to at least `cells` cells (never cut).
pub fn pad(s: &str, cells: usize) -> String {
    let text = escape(s);
    let w = width(&text);
    let mut out = text.into_owned();
    out.extend(std::iter::repeat_n(' ', cells.saturating_sub(w)));
    out
}

/// The escaped form of `s` in exactly `cells` cells: cut as [`truncate`] does, or padded.
pub fn fit(s: &str, cells: usize) -> String {
    pad(&truncate(s, cells), cells)
}

/// Whether a part of a cut text is an escape (drawn dim) or plain text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Text,
    Escape,
}

/// The escaped form of `s` in at most `max` cells, as parts; what every form above is built
/// from. An escape that reaches the edge is cut short (it is still plainly an escape).
pub(crate) fn cut(s: &str, max: usize) -> Vec<(Kind, Cow<'_, str>)> {
    let whole = || {
        pieces(s).map(|p| match p {
            Piece::Text(t) => (Kind::Text, Cow::Borrowed(t)),
            Piece::Escape(c) => (Kind::Escape, Cow::Owned(escaped(c))),
        })
    };
    if width(s) <= max {
        return whole().collect();
    }
    // The ellipsis takes one cell.
    let budget = max.saturating_sub(1);
    let mut used = 0;
    let mut parts = Vec::new();
    for (kind, text) in whole() {
        let mut end = 0;
        for (i, g) in text.grapheme_indices(true) {
            let w = usize::from(g.cell_width());
            if used + w > budget {
                break;
            }
            used += w;
            end = i + g.len();
        }
        let full = end == text.len();
        if end > 0 {
            parts.push((kind, slice(text, end)));
        }
        if !full {
            break;
        }
    }
    if max > 0 {
        parts.push((Kind::Text, Cow::Borrowed(ELLIPSIS)));
        used += 1;
    }
    if used < max {
        parts.push((Kind::Text, Cow::Owned(" ".repeat(max - used))));
    }
    parts
}

/// The first `end` bytes, borrowing when the text was borrowed.
fn slice(text: Cow<'_, str>, end: usize) -> Cow<'_, str> {
    match text {
        Cow::Borrowed(t) => Cow::Borrowed(&t[..end]),
        Cow::Owned(mut t) => {
            t.truncate(end);
            Cow::Owned(t)
        }
    }
}

#[cfg(test)]
pub(crate) mod tests;
