//! Colours and styles in one place, so every region speaks the same visual language.

use ratatui::style::{Color, Modifier, Style};

use crate::domain::{ControllerState, JobState, SessionState};
use crate::state::{Health, Level};

pub const ACCENT: Color = Color::Cyan;
pub const AMBER: Color = Color::Yellow;
pub const DIM: Color = Color::DarkGray;

pub fn title() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

pub fn border(focused: bool) -> Style {
    if focused {
        Style::new().fg(ACCENT)
    } else {
        Style::new().fg(DIM)
    }
}

pub fn header_cell() -> Style {
    Style::new().fg(Color::Gray).add_modifier(Modifier::BOLD)
}

pub fn selected(focused: bool) -> Style {
    if focused {
        Style::new()
            .bg(Color::Blue)
            .fg(Color::White)
            .add_modifier(Modifier::BOLD)
    } else {
        Style::new().bg(Color::DarkGray)
    }
}

pub fn dim() -> Style {
    Style::new().fg(DIM)
}

pub fn controller_state(s: &ControllerState) -> Style {
    match s {
        ControllerState::Enabled => Style::new().fg(Color::Green).add_modifier(Modifier::BOLD),
        ControllerState::DryRun => Style::new().fg(AMBER),
        ControllerState::Disabled => Style::new().fg(Color::Gray),
        ControllerState::Other(_) => Style::new().fg(Color::Magenta),
    }
}

pub fn session_state(s: &SessionState) -> Style {
    match s {
        SessionState::Active => Style::new().fg(Color::Green),
        SessionState::Scheduled => Style::new().fg(ACCENT),
        SessionState::Ended | SessionState::Released => Style::new().fg(DIM),
        SessionState::Other(_) => Style::new().fg(Color::Magenta),
    }
}

pub fn job_state(s: &JobState) -> Style {
    match s {
        JobState::Finished => Style::new().fg(Color::Green),
        JobState::Failed => Style::new().fg(Color::Red),
        _ => Style::new().fg(AMBER),
    }
}

pub fn level(l: Level) -> Style {
    match l {
        Level::Info => Style::new().fg(Color::Green),
        Level::Progress => Style::new().fg(ACCENT),
        Level::Warn => Style::new().fg(AMBER),
        Level::Error => Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
    }
}

pub fn health(h: Health) -> Style {
    match h {
        Health::Failing => Style::new().fg(AMBER),
        Health::Disconnected => Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
        Health::Fresh | Health::NotLoaded => Style::new().fg(DIM),
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
        _ => return Style::new().fg(ACCENT).add_modifier(Modifier::BOLD),
    };
    Style::new()
        .bg(bg)
        .fg(Color::Black)
        .add_modifier(Modifier::BOLD)
}
