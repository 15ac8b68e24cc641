//! One table from keys to actions, with a description and a "mutating" flag per binding; the
//! help screen and the hint bar are generated from it, and read-only mode simply skips the
//! mutating ones. `map` is pure: (State, key) -> Action.

use std::sync::LazyLock;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::action::{Action, Edit};
use crate::state::{Dialog, Pane, State};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Global,
    Pane(Pane),
    /// Only in a runner controller's detail.
    Detail,
}

#[derive(Debug, Clone)]
pub struct Binding {
    pub keys: Vec<(KeyCode, KeyModifiers)>,
    pub action: Action,
    /// Shown in the hint bar (short) when `hint` is set.
    pub hint: Option<&'static str>,
    pub description: &'static str,
    /// Changes something on a server: never bound in read-only mode.
    pub mutating: bool,
    pub scope: Scope,
}

impl Binding {
    fn action_is_open_detail(&self) -> bool {
        matches!(self.action, Action::OpenDetail)
    }
}

const NONE: KeyModifiers = KeyModifiers::NONE;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;

fn ch(c: char) -> (KeyCode, KeyModifiers) {
    (KeyCode::Char(c), NONE)
}

fn b(
    keys: Vec<(KeyCode, KeyModifiers)>,
    action: Action,
    hint: Option<&'static str>,
    description: &'static str,
    mutating: bool,
    scope: Scope,
) -> Binding {
    Binding {
        keys,
        action,
        hint,
        description,
        mutating,
        scope,
    }
}

#[rustfmt::skip]
static BINDINGS: LazyLock<Vec<Binding>> = LazyLock::new(|| {
    use Scope::Global as G;
    let rc = Scope::Pane(Pane::Controllers);
    let bk = Scope::Pane(Pane::Bookings);
    vec![
        b(vec![ch('j'), (KeyCode::Down, NONE)], Action::Down, None, "move down", false, G),
        b(vec![ch('k'), (KeyCode::Up, NONE)], Action::Up, None, "move up", false, G),
        b(vec![ch('g'), (KeyCode::Home, NONE)], Action::Top, None, "first row", false, G),
        b(vec![ch('G'), (KeyCode::End, NONE)], Action::Bottom, None, "last row", false, G),
        b(vec![(KeyCode::PageUp, NONE)], Action::PageUp, None, "page up", false, G),
        b(vec![(KeyCode::PageDown, NONE)], Action::PageDown, None, "page down", false, G),
        b(vec![ch('1')], Action::Focus(Pane::Controllers), None, "runner controllers pane", false, G),
        b(vec![ch('2')], Action::Focus(Pane::Bookings), None, "veHaaS bookings pane", false, G),
        b(vec![(KeyCode::Enter, NONE)], Action::OpenDetail, Some("detail"), "open the controller's detail", false, rc),
        b(vec![(KeyCode::Esc, NONE)], Action::Back, None, "back, close", false, G),
        b(vec![ch('t')], Action::ToggleDryRun, Some("dry_run"), "toggle dry_run (disabled <-> dry_run; enabled asks first)", true, rc),
        b(vec![ch('s')], Action::PickState, Some("state"), "pick a state: disabled / enabled / dry_run", true, rc),
        b(vec![ch('n')], Action::New, Some("new"), "new runner controller", true, rc),
        b(vec![ch('e')], Action::EditDescription, Some("edit"), "edit the description", true, rc),
        b(vec![(KeyCode::Char('d'), CTRL)], Action::Delete, Some("delete"), "delete the controller (asks first)", true, rc),
        b(vec![ch('n')], Action::New, Some("request runner"), "request a GitLab Runner on an assembly", true, bk),
        b(vec![ch('+')], Action::Extend, Some("extend"), "extend the booking", true, bk),
        b(vec![(KeyCode::Char('d'), CTRL)], Action::Delete, Some("release"), "release the booking (asks first)", true, bk),
        b(vec![(KeyCode::Tab, NONE), (KeyCode::BackTab, KeyModifiers::SHIFT)], Action::FocusNext, Some("switch pane"), "switch pane", false, G),
        b(vec![ch('n')], Action::New, Some("new token"), "create a token (detail)", true, Scope::Detail),
        b(vec![ch('r')], Action::Rotate, Some("rotate"), "rotate the selected token (detail)", true, Scope::Detail),
        b(vec![(KeyCode::Char('d'), CTRL)], Action::Delete, Some("revoke/unscope"), "revoke the selected token or remove the selected scope (detail)", true, Scope::Detail),
        b(vec![ch('i')], Action::AddInstanceScope, Some("instance scope"), "add the instance scope (detail)", true, Scope::Detail),
        b(vec![ch('a')], Action::AddRunnerScope, Some("runner scope"), "scope a runner by id (detail)", true, Scope::Detail),
        b(vec![ch('y')], Action::Raw, None, "raw JSON of the selected object (c copies it)", false, G),
        b(vec![ch(' ')], Action::Mark, Some("mark"), "mark for a bulk state change or delete (esc unmarks)", true, rc),
        b(vec![ch('/')], Action::Filter, Some("filter"), "filter (substring, any case; ! inverts; esc clears)", false, G),
        b(vec![ch('z')], Action::Undo, None, "undo the last state or description change (asks first)", true, rc),
        b(vec![ch(':')], Action::CommandLine, None, "command line: log (audit log), rc, bookings, ctx NAME, readonly, q", false, G),
        b(vec![ch('c')], Action::Copy, None, "copy the id (controllers) or the runner tag (bookings)", false, G),
        b(vec![(KeyCode::Char('r'), CTRL)], Action::Refresh, Some("refresh"), "refresh now", false, G),
        b(vec![ch('p')], Action::TogglePause, None, "pause / resume auto-refresh", false, G),
        b(vec![ch('?')], Action::Help, Some("help"), "help", false, G),
        b(vec![ch('q'), (KeyCode::Char('c'), CTRL)], Action::Quit, Some("quit"), "quit", false, G),
    ]
});

pub fn bindings() -> &'static [Binding] {
    &BINDINGS
}

/// The bindings in force for a pane (read-only drops the mutating ones). In a controller's
/// detail its own bindings come first and shadow the pane's for the same key.
pub fn active(
    focus: Pane,
    detail: bool,
    read_only: bool,
) -> impl Iterator<Item = &'static Binding> {
    let in_detail = detail && focus == Pane::Controllers;
    let detail_first = bindings()
        .iter()
        .filter(move |b| in_detail && b.scope == Scope::Detail);
    let rest = bindings().iter().filter(move |b| {
        let shadowed = in_detail
            && bindings()
                .iter()
                .any(|d| d.scope == Scope::Detail && d.keys.iter().any(|k| b.keys.contains(k)));
        // Enter opens the detail; inside it there is nothing more to open.
        let pointless = in_detail && b.action_is_open_detail();
        (b.scope == Scope::Global || b.scope == Scope::Pane(focus)) && !shadowed && !pointless
    });
    detail_first
        .chain(rest)
        .filter(move |b| !(read_only && b.mutating))
}

/// The bindings in force in this state.
pub fn active_for(state: &State) -> impl Iterator<Item = &'static Binding> {
    active(
        state.focus,
        state.controllers.detail.is_some(),
        state.context.read_only,
    )
}

pub fn key_label((code, mods): (KeyCode, KeyModifiers)) -> String {
    let base = match code {
        KeyCode::Char(' ') => "space".into(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Down => "↓".into(),
        KeyCode::Up => "↑".into(),
        KeyCode::Enter => "enter".into(),
        KeyCode::Esc => "esc".into(),
        KeyCode::Tab => "tab".into(),
        KeyCode::BackTab => "shift-tab".into(),
        KeyCode::Home => "home".into(),
        KeyCode::End => "end".into(),
        KeyCode::PageUp => "pgup".into(),
        KeyCode::PageDown => "pgdn".into(),
        other => format!("{other:?}").to_lowercase(),
    };
    if mods.contains(KeyModifiers::CONTROL) {
        format!("ctrl-{base}")
    } else {
        base
    }
}

fn matches(key: &KeyEvent, (code, mods): (KeyCode, KeyModifiers)) -> bool {
    if key.code != code {
        return false;
    }
    // Terminals report shifted characters with or without SHIFT; ignore it for chars.
    let relevant = key.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT);
    match code {
        KeyCode::BackTab => true,
        _ => relevant == (mods & (KeyModifiers::CONTROL | KeyModifiers::ALT)),
    }
}

/// The action for a key press in the current state, if any.
pub fn map(state: &State, key: KeyEvent) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
        return Some(Action::Quit);
    }
    if let Some(d) = &state.dialog {
        return map_dialog(d, key);
    }
    let hit = |read_only| {
        active(state.focus, state.controllers.detail.is_some(), read_only)
            .find(|b| b.keys.iter().any(|k| matches(&key, *k)))
    };
    match hit(state.context.read_only) {
        Some(b) => Some(b.action.clone()),
        // A key that would change something: say why nothing happens.
        None if state.context.read_only => hit(false).map(|_| Action::ReadOnly),
        None => None,
    }
}

fn map_dialog(dialog: &Dialog, key: KeyEvent) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match dialog {
        Dialog::Help { .. } => match key.code {
            KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q' | '?') => Some(Action::Back),
            KeyCode::Char('j') | KeyCode::Down => Some(Action::Down),
            KeyCode::Char('k') | KeyCode::Up => Some(Action::Up),
            KeyCode::PageDown => Some(Action::PageDown),
            KeyCode::PageUp => Some(Action::PageUp),
            KeyCode::Char('g') | KeyCode::Home => Some(Action::Top),
            _ => None,
        },
        Dialog::Confirm(c) if c.typed.is_none() => match key.code {
            KeyCode::Char('y' | 'Y') => Some(Action::Answer(true)),
            KeyCode::Char('n' | 'N' | 'q') => Some(Action::Answer(false)),
            KeyCode::Enter => Some(Action::Submit),
            KeyCode::Esc => Some(Action::Back),
            KeyCode::Tab
            | KeyCode::BackTab
            | KeyCode::Left
            | KeyCode::Right
            | KeyCode::Char('h' | 'l') => Some(Action::NextField),
            _ => None,
        },
        Dialog::StatePicker(_) => match key.code {
            KeyCode::Char('j') | KeyCode::Down | KeyCode::Tab => Some(Action::Down),
            KeyCode::Char('k') | KeyCode::Up | KeyCode::BackTab => Some(Action::Up),
            KeyCode::Enter => Some(Action::Submit),
            KeyCode::Esc | KeyCode::Char('q') => Some(Action::Back),
            _ => None,
        },
        // Enter does not close it: a habit must not throw a secret away uncopied.
        Dialog::Secret { .. } => match key.code {
            KeyCode::Char('c') => Some(Action::Copy),
            KeyCode::Esc | KeyCode::Char('q') => Some(Action::Back),
            _ => None,
        },
        Dialog::Raw { .. } => match key.code {
            KeyCode::Char('j') | KeyCode::Down => Some(Action::Down),
            KeyCode::Char('k') | KeyCode::Up => Some(Action::Up),
            KeyCode::PageDown => Some(Action::PageDown),
            KeyCode::PageUp => Some(Action::PageUp),
            KeyCode::Char('g') | KeyCode::Home => Some(Action::Top),
            KeyCode::Char('c') => Some(Action::Copy),
            KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q' | 'y') => Some(Action::Back),
            _ => None,
        },
        Dialog::Log { .. } => match key.code {
            KeyCode::Char('j') | KeyCode::Down => Some(Action::Down),
            KeyCode::Char('k') | KeyCode::Up => Some(Action::Up),
            KeyCode::PageDown => Some(Action::PageDown),
            KeyCode::PageUp => Some(Action::PageUp),
            KeyCode::Char('g') | KeyCode::Home => Some(Action::Top),
            KeyCode::Char('G') | KeyCode::End => Some(Action::Bottom),
            KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q') => Some(Action::Back),
            _ => None,
        },
        Dialog::Confirm(_) => match key.code {
            KeyCode::Enter => Some(Action::Submit),
            KeyCode::Esc => Some(Action::Back),
            KeyCode::Backspace => Some(Action::Edit(Edit::Backspace)),
            KeyCode::Char(ch) if !ctrl => Some(Action::Edit(Edit::Char(ch))),
            _ => None,
        },
        Dialog::ControllerForm(_) | Dialog::RunnerForm(_) | Dialog::Text(_) => match key.code {
            KeyCode::Enter => Some(Action::Submit),
            KeyCode::Esc => Some(Action::Back),
            KeyCode::Tab | KeyCode::Down => Some(Action::NextField),
            KeyCode::BackTab | KeyCode::Up => Some(Action::PrevField),
            KeyCode::Backspace => Some(Action::Edit(Edit::Backspace)),
            KeyCode::Delete => Some(Action::Edit(Edit::Delete)),
            KeyCode::Left => Some(Action::Edit(Edit::Left)),
            KeyCode::Right => Some(Action::Edit(Edit::Right)),
            KeyCode::Home => Some(Action::Edit(Edit::Home)),
            KeyCode::End => Some(Action::Edit(Edit::End)),
            KeyCode::Char('u') if ctrl => Some(Action::Edit(Edit::Clear)),
            KeyCode::Char(c) if !ctrl => Some(Action::Edit(Edit::Char(c))),
            _ => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{Context, Settings};

    fn state(read_only: bool) -> State {
        let ctx = Context {
            read_only,
            vehaas_url: Some("http://v".into()),
            ..Default::default()
        };
        State::new(jiff::Timestamp::UNIX_EPOCH, ctx, Settings::default())
    }

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn t_toggles_dry_run_in_the_controllers_pane() {
        let s = state(false);
        assert!(matches!(
            map(&s, key(KeyCode::Char('t'))),
            Some(Action::ToggleDryRun)
        ));
    }

    #[test]
    fn read_only_never_binds_a_mutating_key() {
        let s = state(true);
        // A mutating key only says "read-only".
        for c in ['t', 's', 'n', 'e', 'z', ' '] {
            assert!(
                matches!(map(&s, key(KeyCode::Char(c))), Some(Action::ReadOnly)),
                "{c} is bound in read-only"
            );
        }
        let ctrl_d = KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL);
        assert!(matches!(map(&s, ctrl_d), Some(Action::ReadOnly)));
        // Keys that mean nothing stay unbound.
        assert!(map(&s, key(KeyCode::Char('x'))).is_none());
        assert!(active(Pane::Controllers, false, true).all(|b| !b.mutating));
        // Moving still works.
        assert!(matches!(
            map(&s, key(KeyCode::Char('j'))),
            Some(Action::Down)
        ));
    }

    #[test]
    fn ctrl_d_deletes_and_plain_d_does_nothing() {
        let s = state(false);
        let ctrl_d = KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL);
        assert!(matches!(map(&s, ctrl_d), Some(Action::Delete)));
        assert!(map(&s, key(KeyCode::Char('d'))).is_none());
    }

    #[test]
    fn shifted_g_reaches_bottom_with_or_without_the_shift_flag() {
        let s = state(false);
        assert!(matches!(
            map(&s, key(KeyCode::Char('G'))),
            Some(Action::Bottom)
        ));
        let shifted = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert!(matches!(map(&s, shifted), Some(Action::Bottom)));
    }

    #[test]
    fn letters_type_into_a_form_instead_of_acting() {
        let mut s = state(false);
        crate::state::update(&mut s, Action::New);
        assert!(matches!(
            map(&s, key(KeyCode::Char('q'))),
            Some(Action::Edit(Edit::Char('q')))
        ));
        assert!(matches!(
            map(&s, key(KeyCode::Char('t'))),
            Some(Action::Edit(Edit::Char('t')))
        ));
    }

    #[test]
    fn n_means_a_runner_request_in_the_bookings_pane() {
        let mut s = state(false);
        s.focus = Pane::Bookings;
        let b = active(Pane::Bookings, false, false)
            .find(|b| b.keys.contains(&ch('n')))
            .expect("n bound");
        assert_eq!(b.description, "request a GitLab Runner on an assembly");
        assert!(matches!(
            map(&s, key(KeyCode::Char('+'))),
            Some(Action::Extend)
        ));
    }

    #[test]
    fn the_detail_binds_token_keys_and_ctrl_d_revokes_there() {
        let mut s = state(false);
        s.controllers.detail = Some(crate::state::Detail::default());
        let b = active_for(&s)
            .find(|b| b.keys.contains(&(KeyCode::Char('d'), CTRL)))
            .expect("ctrl-d bound");
        assert_eq!(b.scope, Scope::Detail);
        assert!(matches!(
            map(&s, key(KeyCode::Char('r'))),
            Some(Action::Rotate)
        ));
        assert!(matches!(
            map(&s, key(KeyCode::Char('i'))),
            Some(Action::AddInstanceScope)
        ));
        // Outside the detail, r means nothing.
        s.controllers.detail = None;
        assert!(map(&s, key(KeyCode::Char('r'))).is_none());
        assert!(matches!(
            map(&s, key(KeyCode::Char(':'))),
            Some(Action::CommandLine)
        ));
    }

    #[test]
    fn ctrl_c_quits_even_inside_a_form() {
        let mut s = state(false);
        crate::state::update(&mut s, Action::New);
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert!(matches!(map(&s, ctrl_c), Some(Action::Quit)));
    }
}
