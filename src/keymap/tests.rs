//! Keymap tests: what a key means in each mode, read-only, and that hints and help come from
//! the same table.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::msg::Msg;
use crate::state::{Context, Settings, update};

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

fn map(s: &State, k: KeyEvent) -> Option<Intent> {
    Keymap::default().map(s, k)
}

fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

#[test]
fn t_toggles_dry_run_in_the_controllers_pane() {
    assert_eq!(
        map(&state(false), key(KeyCode::Char('t'))),
        Some(Intent::ToggleDryRun)
    );
}

#[test]
fn read_only_never_binds_a_mutating_key() {
    let s = state(true);
    for c in ['t', 's', 'n', 'e', 'z', ' '] {
        assert_eq!(
            map(&s, key(KeyCode::Char(c))),
            Some(Intent::ReadOnly),
            "{c}"
        );
    }
    assert_eq!(map(&s, ctrl('d')), Some(Intent::ReadOnly));
    assert_eq!(map(&s, key(KeyCode::Char('x'))), None);
    let keys = Keymap::default();
    assert!(keys.active(Mode::Rc, true).all(|b| !b.mutating));
    assert!(
        keys.hints(Mode::Rc, true)
            .iter()
            .all(|(_, h)| *h != "dry_run")
    );
    assert_eq!(map(&s, key(KeyCode::Char('j'))), Some(Intent::Down));
}

#[test]
fn ctrl_d_deletes_and_plain_d_does_nothing() {
    let s = state(false);
    assert_eq!(map(&s, ctrl('d')), Some(Intent::Delete));
    assert_eq!(map(&s, key(KeyCode::Char('d'))), None);
}

#[test]
fn shifted_g_reaches_bottom_with_or_without_the_shift_flag() {
    let s = state(false);
    assert_eq!(map(&s, key(KeyCode::Char('G'))), Some(Intent::Bottom));
    let shifted = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
    assert_eq!(map(&s, shifted), Some(Intent::Bottom));
}

#[test]
fn letters_type_into_a_form_instead_of_acting() {
    let mut s = state(false);
    update(&mut s, Intent::New);
    assert_eq!(
        map(&s, key(KeyCode::Char('q'))),
        Some(Intent::Edit(Edit::Char('q')))
    );
    assert_eq!(
        map(&s, key(KeyCode::Char('t'))),
        Some(Intent::Edit(Edit::Char('t')))
    );
    assert_eq!(
        map(&s, key(KeyCode::Char('?'))),
        Some(Intent::Edit(Edit::Char('?')))
    );
    assert_eq!(map(&s, key(KeyCode::F(1))), Some(Intent::Help));
}

#[test]
fn n_means_a_runner_request_in_the_bookings_pane() {
    let mut s = state(false);
    s.focus = Pane::Bookings;
    let keys = Keymap::default();
    let b = keys
        .active(Mode::Bookings, false)
        .find(|b| b.keys.contains(&Key::ch('n')))
        .expect("n bound");
    assert_eq!(b.description, "request a GitLab Runner on an assembly");
    assert_eq!(map(&s, key(KeyCode::Char('+'))), Some(Intent::Extend));
}

#[test]
fn the_detail_binds_token_keys_and_ctrl_d_revokes_there() {
    let mut s = state(false);
    s.controllers.detail = Some(crate::state::Detail::default());
    let keys = Keymap::default();
    let b = keys
        .active(Mode::Detail, false)
        .find(|b| b.keys.contains(&Key::ctrl('d')))
        .expect("ctrl-d bound");
    assert_eq!(b.name, "revoke");
    assert_eq!(map(&s, key(KeyCode::Char('r'))), Some(Intent::Rotate));
    assert_eq!(
        map(&s, key(KeyCode::Char('i'))),
        Some(Intent::AddInstanceScope)
    );
    assert_eq!(map(&s, key(KeyCode::Enter)), None, "nothing more to open");
    s.controllers.detail = None;
    assert_eq!(
        map(&s, key(KeyCode::Char('r'))),
        None,
        "r means nothing outside"
    );
    assert_eq!(map(&s, key(KeyCode::Char(':'))), Some(Intent::CommandLine));
}

#[test]
fn ctrl_c_quits_from_anywhere() {
    let mut s = state(false);
    update(&mut s, Intent::New);
    assert_eq!(map(&s, ctrl('c')), Some(Intent::Quit), "form");
    update(&mut s, Intent::Back);
    update(&mut s, Intent::Help);
    assert_eq!(mode(&s), Mode::Help);
    assert_eq!(map(&s, ctrl('c')), Some(Intent::Quit), "help");
    let quit = map(&s, ctrl('c')).expect("bound");
    update(&mut s, quit);
    assert!(s.quit, "ctrl-c in help quits, not only closes it");
}

#[test]
fn help_in_a_dialog_lists_that_dialogs_keys() {
    let mut s = state(false);
    update(&mut s, Intent::CommandLine);
    update(&mut s, Intent::Help);
    assert_eq!(base_mode(&s), Mode::Text, "the dialog stays under the help");
    let keys = Keymap::default();
    let lines = keys.help(Mode::Text, false);
    assert!(lines.iter().any(|(k, _)| k == "enter"), "{lines:?}");
    assert!(
        !lines.iter().any(|(_, d)| d.contains("dry_run")),
        "{lines:?}"
    );
    update(&mut s, Msg::Intent(Intent::Back));
    assert!(
        s.help.is_none() && s.dialog.is_some(),
        "esc closes help only"
    );
}

#[test]
fn every_binding_has_a_name_and_each_name_one_meaning() {
    let keys = Keymap::default();
    let mut seen: Vec<(&str, &Intent)> = Vec::new();
    for b in keys.bindings() {
        assert!(!b.name.is_empty() && !b.keys.is_empty() && !b.modes.is_empty());
        if let Some((_, i)) = seen.iter().find(|(n, _)| *n == b.name) {
            assert_eq!(*i, &b.intent, "{} means two things", b.name);
        }
        seen.push((b.name, &b.intent));
    }
}
