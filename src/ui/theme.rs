//! Colours and styles in one place, so every region speaks the same visual language. The
//! colours come from a `Palette` (dark, light, or either with `[theme]` overrides) that
//! `ui::render` puts in force for the frame; `mono` (NO_COLOR) draws no colour at all and marks
//! what a background colour marked (the selection, badges) with reversed video instead.

use std::cell::Cell;
use std::str::FromStr;

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier, Style};

use crate::domain::{ControllerState, JobState, SessionState};
use crate::state::{Health, Level};

/// The colour of each role an element can play.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    /// Focus, keys, links, the selection marker.
    pub accent: Color,
    /// dry_run, warnings, "experimental", "copy it now".
    pub warn: Color,
    /// Errors, danger dialogs, INSECURE.
    pub danger: Color,
    /// enabled, active, finished, a typed id that matches.
    pub ok: Color,
    /// Secondary text: borders out of focus, ended bookings, placeholders.
    pub dim: Color,
    /// Column headers, disabled, buttons not chosen.
    pub muted: Color,
    /// Text that must stand out (a new token's secret).
    pub strong: Color,
    /// A state the program does not know.
    pub unknown: Color,
    pub selection_bg: Color,
    pub selection_fg: Color,
    /// The selection in a pane out of focus.
    pub selection_idle: Color,
    pub input_bg: Color,
    /// The DEMO badge.
    pub demo: Color,
    /// Text on a coloured badge.
    pub on_badge: Color,
}

impl Palette {
    pub const DARK: Self = Self {
        accent: Color::Cyan,
        warn: Color::Yellow,
        danger: Color::Red,
        ok: Color::Green,
        dim: Color::DarkGray,
        muted: Color::Gray,
        strong: Color::White,
        unknown: Color::Magenta,
        selection_bg: Color::Blue,
        selection_fg: Color::White,
        selection_idle: Color::DarkGray,
        input_bg: Color::Rgb(40, 40, 48),
        demo: Color::Magenta,
        on_badge: Color::Black,
    };

    /// For a light background: no yellow or light grey text, darker accents.
    pub const LIGHT: Self = Self {
        accent: Color::Blue,
        warn: Color::Indexed(130),
        danger: Color::Red,
        ok: Color::Indexed(28),
        dim: Color::Indexed(245),
        muted: Color::Indexed(240),
        strong: Color::Black,
        unknown: Color::Magenta,
        selection_bg: Color::Blue,
        selection_fg: Color::White,
        selection_idle: Color::Indexed(252),
        input_bg: Color::Indexed(254),
        demo: Color::Magenta,
        on_badge: Color::White,
    };

    /// The element names `[theme]` accepts, in the order of the fields.
    pub const ELEMENTS: [&'static str; 14] = [
        "accent",
        "warn",
        "danger",
        "ok",
        "dim",
        "muted",
        "strong",
        "unknown",
        "selection_bg",
        "selection_fg",
        "selection_idle",
        "input_bg",
        "demo",
        "on_badge",
    ];

    /// A palette by name (`dark`, `light`).
    pub fn named(name: &str) -> Option<Self> {
        match name.to_ascii_lowercase().as_str() {
            "dark" => Some(Self::DARK),
            "light" => Some(Self::LIGHT),
            _ => None,
        }
    }

    fn slot(&mut self, element: &str) -> Option<&mut Color> {
        Some(match element {
            "accent" => &mut self.accent,
            "warn" => &mut self.warn,
            "danger" => &mut self.danger,
            "ok" => &mut self.ok,
            "dim" => &mut self.dim,
            "muted" => &mut self.muted,
            "strong" => &mut self.strong,
            "unknown" => &mut self.unknown,
            "selection_bg" => &mut self.selection_bg,
            "selection_fg" => &mut self.selection_fg,
            "selection_idle" => &mut self.selection_idle,
            "input_bg" => &mut self.input_bg,
            "demo" => &mut self.demo,
            "on_badge" => &mut self.on_badge,
            _ => return None,
        })
    }

    /// Sets one element from config text (`"magenta"`, `"#d08700"`, `"130"`); the error says
    /// what was wrong and the palette keeps its colour.
    pub fn set(&mut self, element: &str, colour: &str) -> Result<(), String> {
        let Some(slot) = self.slot(element) else {
            return Err(format!(
                "[theme] {element}: no such element (known: {})",
                Self::ELEMENTS.join(", ")
            ));
        };
        *slot = Color::from_str(colour.trim()).map_err(|_| {
            format!("[theme] {element} = {colour:?}: not a colour (a name, \"#rrggbb\" or 0-255)")
        })?;
        Ok(())
    }
}

impl Default for Palette {
    fn default() -> Self {
        Self::DARK
    }
}

/// What the frame is drawn with: a palette, or no colour at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Theme {
    pub palette: Palette,
    /// NO_COLOR: no colours; reversed video where a background marked something.
    pub mono: bool,
}

thread_local! {
    static CURRENT: Cell<Palette> = const { Cell::new(Palette::DARK) };
}

/// Puts a palette in force for the drawing on this thread.
pub fn use_palette(p: Palette) {
    CURRENT.with(|c| c.set(p));
}

/// The palette in force.
pub fn palette() -> Palette {
    CURRENT.with(Cell::get)
}

/// Takes the colour out of a drawn frame: every cell keeps its text and modifiers, loses its
/// colours, and a cell that had a background (the selection, a badge, an input field) is
/// drawn reversed so it still stands out.
pub fn strip_colours(buf: &mut Buffer) {
    for cell in &mut buf.content {
        if cell.bg != Color::Reset {
            cell.modifier.insert(Modifier::REVERSED);
        }
        cell.fg = Color::Reset;
        cell.bg = Color::Reset;
        cell.underline_color = Color::Reset;
    }
}

pub fn accent() -> Style {
    Style::new().fg(palette().accent)
}

pub fn warn() -> Style {
    Style::new().fg(palette().warn)
}

pub fn danger() -> Style {
    Style::new().fg(palette().danger)
}

pub fn ok() -> Style {
    Style::new().fg(palette().ok)
}

pub fn strong() -> Style {
    Style::new()
        .fg(palette().strong)
        .add_modifier(Modifier::BOLD)
}

pub fn muted() -> Style {
    Style::new().fg(palette().muted)
}

pub fn input() -> Style {
    Style::new().bg(palette().input_bg)
}

/// A badge in the header: `bg` behind text in the badge colour.
pub fn badge(bg: Color) -> Style {
    Style::new().bg(bg).fg(palette().on_badge)
}

pub fn title() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

pub fn border(focused: bool) -> Style {
    if focused { accent() } else { dim() }
}

pub fn header_cell() -> Style {
    muted().add_modifier(Modifier::BOLD)
}

pub fn selected(focused: bool) -> Style {
    let p = palette();
    if focused {
        Style::new()
            .bg(p.selection_bg)
            .fg(p.selection_fg)
            .add_modifier(Modifier::BOLD)
    } else {
        Style::new().bg(p.selection_idle)
    }
}

pub fn dim() -> Style {
    Style::new().fg(palette().dim)
}

pub fn controller_state(s: &ControllerState) -> Style {
    match s {
        ControllerState::Enabled => ok().add_modifier(Modifier::BOLD),
        ControllerState::DryRun => warn(),
        ControllerState::Disabled => muted(),
        ControllerState::Other(_) => Style::new().fg(palette().unknown),
    }
}

pub fn session_state(s: &SessionState) -> Style {
    match s {
        SessionState::Active => ok(),
        SessionState::Scheduled => accent(),
        SessionState::Ended | SessionState::Released => dim(),
        SessionState::Other(_) => Style::new().fg(palette().unknown),
    }
}

pub fn job_state(s: &JobState) -> Style {
    match s {
        JobState::Finished => ok(),
        JobState::Failed => danger(),
        _ => warn(),
    }
}

pub fn level(l: Level) -> Style {
    match l {
        Level::Info => ok(),
        Level::Progress => accent(),
        Level::Warn => warn(),
        Level::Error => danger().add_modifier(Modifier::BOLD),
    }
}

pub fn health(h: Health) -> Style {
    match h {
        Health::Failing => warn(),
        Health::Disconnected => danger().add_modifier(Modifier::BOLD),
        Health::Fresh | Health::NotLoaded => dim(),
    }
}

/// The header colour of an instance (`color = "red"` in the config).
pub fn instance(color: Option<&str>) -> Style {
    let bg = match color.map(str::to_ascii_lowercase).as_deref() {
        Some("red") => Color::Red,
        Some("yellow") => Color::Yellow,
        Some("green") => Color::Green,
        Some("blue") => Color::Blue,
        Some("magenta") => Color::Magenta,
        Some("cyan") => Color::Cyan,
        _ => return accent().add_modifier(Modifier::BOLD),
    };
    Style::new()
        .bg(bg)
        .fg(Color::Black)
        .add_modifier(Modifier::BOLD)
}
