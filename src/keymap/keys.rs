//! A key as the keymap knows it: parsed from a config string (`x`, `ctrl-d`, `shift-tab`,
//! `enter`, `f1`) and labelled for the hint bar and help the same way.

use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    /// Only CONTROL and ALT count; terminals report shifted characters either way.
    pub mods: KeyModifiers,
}

impl Key {
    pub const fn new(code: KeyCode, mods: KeyModifiers) -> Self {
        Self { code, mods }
    }

    pub const fn ch(c: char) -> Self {
        Self::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    pub const fn ctrl(c: char) -> Self {
        Self::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    pub const fn code(code: KeyCode) -> Self {
        Self::new(code, KeyModifiers::NONE)
    }

    /// Whether a key press is this key.
    pub fn matches(&self, ev: &KeyEvent) -> bool {
        let relevant = KeyModifiers::CONTROL | KeyModifiers::ALT;
        match (self.code, ev.code) {
            // Shift-Tab arrives as BackTab, with or without SHIFT.
            (KeyCode::BackTab, KeyCode::BackTab) => true,
            (a, b) if a == b => (ev.modifiers & relevant) == (self.mods & relevant),
            _ => false,
        }
    }

    /// `x`, `X`, `ctrl-d`, `alt-x`, `space`, `enter`, `esc`, `tab`, `shift-tab`, `up`,
    /// `pgdn`, `f1`, ...; `None` when it names no key.
    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim();
        let (mods, rest) = if let Some(r) = t.strip_prefix("ctrl-").or(t.strip_prefix("ctrl+")) {
            (KeyModifiers::CONTROL, r)
        } else if let Some(r) = t.strip_prefix("alt-").or(t.strip_prefix("alt+")) {
            (KeyModifiers::ALT, r)
        } else {
            (KeyModifiers::NONE, t)
        };
        let code = match rest.to_ascii_lowercase().as_str() {
            "space" => KeyCode::Char(' '),
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "shift-tab" | "backtab" => KeyCode::BackTab,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pgup" | "pageup" => KeyCode::PageUp,
            "pgdn" | "pagedown" => KeyCode::PageDown,
            "backspace" => KeyCode::Backspace,
            "delete" | "del" => KeyCode::Delete,
            f if f.len() > 1 && f.starts_with('f') => KeyCode::F(f[1..].parse().ok()?),
            _ => {
                let mut chars = rest.chars();
                let c = chars.next()?;
                if chars.next().is_some() {
                    return None;
                }
                KeyCode::Char(c)
            }
        };
        Some(Self::new(code, mods))
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.contains(KeyModifiers::CONTROL) {
            f.write_str("ctrl-")?;
        }
        if self.mods.contains(KeyModifiers::ALT) {
            f.write_str("alt-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::Enter => f.write_str("enter"),
            KeyCode::Esc => f.write_str("esc"),
            KeyCode::Tab => f.write_str("tab"),
            KeyCode::BackTab => f.write_str("shift-tab"),
            KeyCode::Home => f.write_str("home"),
            KeyCode::End => f.write_str("end"),
            KeyCode::PageUp => f.write_str("pgup"),
            KeyCode::PageDown => f.write_str("pgdn"),
            KeyCode::Backspace => f.write_str("backspace"),
            KeyCode::Delete => f.write_str("delete"),
            KeyCode::F(n) => write!(f, "f{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_parse_and_print_alike() {
        for text in [
            "x",
            "X",
            "ctrl-d",
            "alt-x",
            "space",
            "enter",
            "esc",
            "shift-tab",
            "f1",
            "pgdn",
            "+",
        ] {
            let k = Key::parse(text).unwrap_or_else(|| panic!("{text}"));
            let back = Key::parse(&k.to_string().replace('↓', "down")).expect("label parses");
            assert_eq!(k, back, "{text}");
        }
        assert_eq!(Key::parse("ctrl+r"), Some(Key::ctrl('r')));
        assert_eq!(Key::parse("xy"), None);
        assert_eq!(Key::parse(""), None);
        assert_eq!(Key::parse("fx"), None);
    }

    #[test]
    fn shift_is_ignored_for_characters() {
        let shifted = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert!(Key::ch('G').matches(&shifted));
        assert!(!Key::ch('g').matches(&shifted));
        let ctrl_d = KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL);
        assert!(Key::ctrl('d').matches(&ctrl_d));
        assert!(!Key::ch('d').matches(&ctrl_d));
    }
}
