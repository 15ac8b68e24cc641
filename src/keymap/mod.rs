//! One keymap for every mode (the lists, the detail, each dialog, help): key -> intent, with a
//! name, a hint-bar word, a help text and a "mutating" flag per binding. The hint bar, the
//! detail's hints and `?` are generated from it; read-only mode simply never binds a mutating
//! key; `ctrl-c` quits from anywhere. `map` is pure: (State, key) -> Intent.

mod keys;
mod overrides;
mod table;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

pub use keys::Key;

use crate::msg::{Edit, Intent};
use crate::state::{Dialog, Pane, State};

/// Where the keys go: a list, the detail, or the dialog on top.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    Rc,
    Bookings,
    /// The bookings pane showing its timeline.
    Timeline,
    Detail,
    Confirm,
    /// A confirmation that asks for an id (or words) to be typed.
    Typed,
    Picker,
    /// The controller and runner request forms.
    Form,
    /// A one-line form (`:`, `/`, a token's description, ...).
    Text,
    Secret,
    Raw,
    Log,
    Quit,
    Help,
}

impl Mode {
    /// Whether printable keys type text in this mode.
    pub fn types(self) -> bool {
        matches!(self, Self::Form | Self::Text | Self::Typed)
    }
}

#[derive(Debug, Clone)]
pub struct Binding {
    /// The name a `[keys]` override uses (`toggle_dry_run = "x"`).
    pub name: &'static str,
    pub keys: Vec<Key>,
    pub intent: Intent,
    pub modes: &'static [Mode],
    /// Shown in the hint bar when set.
    pub hint: Option<&'static str>,
    pub description: &'static str,
    /// Changes something on a server: never bound in read-only mode.
    pub mutating: bool,
}

/// The bindings in force.
#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: Vec<Binding>,
}

impl Default for Keymap {
    fn default() -> Self {
        Self {
            bindings: table::defaults(),
        }
    }
}

impl Keymap {
    pub fn bindings(&self) -> &[Binding] {
        &self.bindings
    }

    /// The bindings of a mode, in table order (read-only drops the mutating ones).
    pub fn active(&self, mode: Mode, read_only: bool) -> impl Iterator<Item = &Binding> {
        self.bindings
            .iter()
            .filter(move |b| b.modes.contains(&mode) && !(read_only && b.mutating))
    }

    /// The intent for a key press in this state, if any.
    pub fn map(&self, state: &State, key: KeyEvent) -> Option<Intent> {
        if key.kind == KeyEventKind::Release {
            return None;
        }
        let mode = mode(state);
        let read_only = state.context.read_only;
        let hit = |read_only| {
            self.active(mode, read_only)
                .find(|b| b.keys.iter().any(|k| k.matches(&key)))
        };
        if let Some(b) = hit(read_only) {
            return Some(b.intent.clone());
        }
        if mode.types()
            && let KeyCode::Char(c) = key.code
            && !key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        {
            return Some(Intent::Edit(Edit::Char(c)));
        }
        // A key that would change something: say why nothing happens.
        (read_only && hit(false).is_some()).then_some(Intent::ReadOnly)
    }

    /// `(keys, hint)` pairs for the hint bar of a mode, in table order.
    pub fn hints(&self, mode: Mode, read_only: bool) -> Vec<(String, &'static str)> {
        self.hints_where(mode, read_only, |_| true)
    }

    /// The hints of the bindings of `mode` that `keep` keeps.
    pub fn hints_where(
        &self,
        mode: Mode,
        read_only: bool,
        keep: impl Fn(&Binding) -> bool,
    ) -> Vec<(String, &'static str)> {
        let mut seen: Vec<&str> = Vec::new();
        self.active(mode, read_only)
            .filter(|b| keep(b))
            .filter_map(|b| {
                let hint = b.hint?;
                if seen.contains(&hint) {
                    return None;
                }
                seen.push(hint);
                Some((b.keys.first()?.to_string(), hint))
            })
            .collect()
    }

    /// `(keys, description)` lines for `?` in a mode, one per description.
    pub fn help(&self, mode: Mode, read_only: bool) -> Vec<(String, &'static str)> {
        let mut seen: Vec<&str> = Vec::new();
        self.active(mode, read_only)
            .filter(|b| {
                let fresh = !seen.contains(&b.description);
                seen.push(b.description);
                fresh
            })
            .map(|b| {
                let keys: Vec<String> = b.keys.iter().map(Key::to_string).collect();
                (keys.join(" / "), b.description)
            })
            .collect()
    }

    /// The keys bound to `intent` in `mode`, for hints written elsewhere ("t dry_run").
    pub fn key_for(&self, mode: Mode, intent: &Intent) -> Option<Key> {
        self.bindings
            .iter()
            .find(|b| b.modes.contains(&mode) && b.intent == *intent)
            .and_then(|b| b.keys.first().copied())
    }
}

/// The mode the state is in, help aside.
pub fn base_mode(state: &State) -> Mode {
    match &state.dialog {
        Some(Dialog::Confirm(c)) if c.typed.is_some() => Mode::Typed,
        Some(Dialog::Confirm(_)) => Mode::Confirm,
        Some(Dialog::StatePicker(_)) => Mode::Picker,
        Some(Dialog::ControllerForm(_) | Dialog::RunnerForm(_)) => Mode::Form,
        Some(Dialog::Text(_)) => Mode::Text,
        Some(Dialog::Secret { .. }) => Mode::Secret,
        Some(Dialog::Raw { .. }) => Mode::Raw,
        Some(Dialog::Log { .. }) => Mode::Log,
        Some(Dialog::Quit) => Mode::Quit,
        None if state.focus == Pane::Controllers && state.controllers.detail.is_some() => {
            Mode::Detail
        }
        None => match state.focus {
            Pane::Controllers => Mode::Rc,
            Pane::Bookings if state.bookings.timeline => Mode::Timeline,
            Pane::Bookings => Mode::Bookings,
        },
    }
}

/// The mode keys go to now.
pub fn mode(state: &State) -> Mode {
    if state.help.is_some() {
        Mode::Help
    } else {
        base_mode(state)
    }
}

#[cfg(test)]
mod tests;
