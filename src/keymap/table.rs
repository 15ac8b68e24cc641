//! The default bindings, one line each: name (for `[keys]` overrides), keys, intent, where it
//! applies, the hint-bar word, the help text, and whether it changes something on a server.

use crossterm::event::KeyCode;

use super::Mode::{self, *};
use super::{Binding, Key};
use crate::msg::{Edit, Intent};
use crate::state::Pane;

const MAIN: &[Mode] = &[Rc, Bookings, Timeline, Detail];
const LISTS: &[Mode] = &[Rc, Bookings, Timeline, Detail, Picker, Raw, Log, Help];
const VIEWS: &[Mode] = &[Rc, Bookings, Timeline, Detail, Raw, Log, Help];
const TYPING: &[Mode] = &[Form, Text, Typed];
const DIALOGS: &[Mode] = &[
    Confirm, Typed, Picker, Form, Text, Secret, Raw, Log, Quit, Help,
];
const ASKING: &[Mode] = &[
    Rc, Bookings, Timeline, Detail, Confirm, Picker, Secret, Raw, Log, Quit,
];

fn b(
    name: &'static str,
    keys: &[Key],
    intent: Intent,
    modes: &'static [Mode],
    hint: Option<&'static str>,
    description: &'static str,
    mutating: bool,
) -> Binding {
    Binding {
        name,
        keys: keys.to_vec(),
        intent,
        modes,
        hint,
        description,
        mutating,
    }
}

fn k(c: KeyCode) -> Key {
    Key::code(c)
}

#[rustfmt::skip]
pub(super) fn defaults() -> Vec<Binding> {
    use Intent as I;
    let ch = Key::ch;
    vec![
        // Anywhere: ctrl-c quits (asking first when a change is on its way).
        b("quit", &[ch('q'), Key::ctrl('c')], I::Quit, MAIN, Some("quit"), "quit (asks while a change is on its way)", false),
        b("force_quit", &[Key::ctrl('c')], I::Quit, DIALOGS, None, "quit", false),
        b("suspend", &[Key::ctrl('z')], I::Suspend, &[Rc, Bookings, Timeline, Detail, Confirm, Typed, Picker, Form, Text, Secret, Raw, Log, Quit, Help], None, "suspend (back with fg)", false),
        // Dialogs first, so their keys win over the lists'.
        b("yes", &[ch('y'), ch('Y')], I::Answer(true), &[Confirm], Some("yes"), "yes", false),
        b("no", &[ch('n'), ch('N'), ch('q')], I::Answer(false), &[Confirm], Some("no"), "no (the default)", false),
        b("switch_button", &[k(KeyCode::Tab), k(KeyCode::BackTab), k(KeyCode::Left), k(KeyCode::Right), ch('h'), ch('l')], I::NextField, &[Confirm], Some("switch"), "move between Yes and No", false),
        b("wait", &[ch('w'), k(KeyCode::Enter)], I::QuitWhenDone, &[Quit], Some("wait, then quit"), "wait for the answers, then quit", false),
        b("quit_anyway", &[ch('q')], I::QuitAnyway, &[Quit], Some("quit anyway"), "quit now, without waiting for the answers", false),
        b("copy_secret", &[ch('c')], I::Copy, &[Secret], Some("copy"), "copy the secret (OSC 52)", false),
        b("close", &[k(KeyCode::Esc), ch('q'), k(KeyCode::Enter)], I::Back, &[Raw, Log, Help], Some("close"), "close", false),
        b("close_raw", &[ch('y')], I::Back, &[Raw], None, "close", false),
        // Enter does not close it: a habit must not throw a secret away uncopied.
        b("close_secret", &[k(KeyCode::Esc), ch('q')], I::Back, &[Secret], Some("close (the secret is gone)"), "close: the secret is wiped from memory and screen", false),
        b("close_help", &[ch('?')], I::Back, &[Help], None, "close", false),
        b("choose_down", &[k(KeyCode::Tab)], I::Down, &[Picker], None, "next state", false),
        b("choose_up", &[k(KeyCode::BackTab)], I::Up, &[Picker], None, "previous state", false),
        b("submit", &[k(KeyCode::Enter)], I::Submit, &[Confirm], Some("answer highlighted"), "answer the highlighted button (No at first)", false),
        b("submit", &[k(KeyCode::Enter)], I::Submit, &[Typed], Some("confirm"), "confirm once what is typed matches", false),
        b("submit", &[k(KeyCode::Enter)], I::Submit, &[Picker], Some("apply"), "apply the chosen state (asks where it must)", false),
        b("submit", &[k(KeyCode::Enter)], I::Submit, &[Form, Text], Some("submit"), "submit", false),
        b("back", &[k(KeyCode::Esc)], I::Back, MAIN, None, "back: leave the detail; clear marks, filter, flash", false),
        b("cancel", &[k(KeyCode::Esc)], I::Back, &[Confirm, Typed, Picker, Form, Text, Quit], Some("cancel"), "cancel (sends nothing)", false),
        b("cancel_picker", &[ch('q')], I::Back, &[Picker], None, "cancel", false),
        b("next_field", &[k(KeyCode::Tab), k(KeyCode::Down)], I::NextField, &[Form], Some("next field"), "next field", false),
        b("prev_field", &[k(KeyCode::BackTab), k(KeyCode::Up)], I::PrevField, &[Form], None, "previous field", false),
        b("complete", &[k(KeyCode::Tab)], I::Complete, &[Text], None, "the : line: complete the command or context name", false),
        b("history_back", &[k(KeyCode::Up)], I::HistoryBack, &[Text], None, "the : line: the command before", false),
        b("history_forward", &[k(KeyCode::Down)], I::HistoryForward, &[Text], None, "the : line: the command after", false),
        b("backspace", &[k(KeyCode::Backspace)], I::Edit(Edit::Backspace), TYPING, None, "delete the character before the cursor", false),
        b("delete_char", &[k(KeyCode::Delete)], I::Edit(Edit::Delete), &[Form, Text], None, "delete the character under the cursor", false),
        b("cursor_left", &[k(KeyCode::Left)], I::Edit(Edit::Left), &[Form, Text], None, "cursor left (a choice: previous)", false),
        b("cursor_right", &[k(KeyCode::Right)], I::Edit(Edit::Right), &[Form, Text], None, "cursor right (a choice: next)", false),
        b("line_start", &[k(KeyCode::Home)], I::Edit(Edit::Home), &[Form, Text], None, "start of the line", false),
        b("line_end", &[k(KeyCode::End)], I::Edit(Edit::End), &[Form, Text], None, "end of the line", false),
        b("clear_line", &[Key::ctrl('u')], I::Edit(Edit::Clear), TYPING, None, "clear the field", false),
        b("help", &[ch('?')], I::Help, ASKING, Some("help"), "the keys of what is on screen", false),
        b("help_anywhere", &[k(KeyCode::F(1))], I::Help, &[Confirm, Typed, Picker, Form, Text, Secret, Raw, Log, Quit, Rc, Bookings, Timeline, Detail], None, "the keys of what is on screen (also in forms)", false),
        // Moving.
        b("move_down", &[ch('j'), k(KeyCode::Down)], I::Down, LISTS, None, "move down", false),
        b("move_up", &[ch('k'), k(KeyCode::Up)], I::Up, LISTS, None, "move up", false),
        b("first_row", &[ch('g'), k(KeyCode::Home)], I::Top, LISTS, None, "first row", false),
        b("last_row", &[ch('G'), k(KeyCode::End)], I::Bottom, &[Rc, Bookings, Timeline, Detail, Picker, Raw, Log], None, "last row", false),
        b("page_up", &[k(KeyCode::PageUp)], I::PageUp, VIEWS, None, "page up", false),
        b("page_down", &[k(KeyCode::PageDown)], I::PageDown, VIEWS, None, "page down", false),
        b("controllers_pane", &[ch('1')], I::Focus(Pane::Controllers), MAIN, None, "runner controllers pane", false),
        b("bookings_pane", &[ch('2')], I::Focus(Pane::Bookings), MAIN, None, "veHaaS bookings pane", false),
        // Runner controllers.
        b("open_detail", &[k(KeyCode::Enter)], I::OpenDetail, &[Rc], Some("detail"), "open the controller's detail", false),
        b("toggle_dry_run", &[ch('t')], I::ToggleDryRun, &[Rc, Detail], Some("dry_run"), "toggle dry_run (disabled <-> dry_run; enabled asks)", true),
        b("pick_state", &[ch('s')], I::PickState, &[Rc, Detail], Some("state"), "pick a state: disabled / enabled / dry_run", true),
        b("new_token", &[ch('n')], I::New, &[Detail], Some("new token"), "create a token", true),
        b("rotate", &[ch('r')], I::Rotate, &[Detail], Some("rotate"), "rotate the selected token (asks first)", true),
        b("revoke", &[Key::ctrl('d')], I::Delete, &[Detail], Some("revoke/unscope"), "revoke the token / remove the scope selected (asks)", true),
        b("instance_scope", &[ch('i')], I::AddInstanceScope, &[Detail], Some("instance scope"), "add the instance scope", true),
        b("runner_scope", &[ch('a')], I::AddRunnerScope, &[Detail], Some("runner scope"), "scope a runner by id", true),
        b("new", &[ch('n')], I::New, &[Rc], Some("new"), "new runner controller", true),
        b("edit", &[ch('e')], I::EditDescription, &[Rc, Detail], Some("edit"), "edit the description", true),
        b("delete", &[Key::ctrl('d')], I::Delete, &[Rc], Some("delete"), "delete the controller or the marked ones (asks)", true),
        b("mark", &[ch(' ')], I::Mark, &[Rc], Some("mark"), "mark for a bulk change or delete (esc unmarks)", true),
        b("undo", &[ch('z')], I::Undo, &[Rc, Detail], None, "undo the last state or description change (asks first)", true),
        // Bookings (the table, and its timeline).
        b("request_runner", &[ch('n')], I::New, &[Bookings, Timeline], Some("request runner"), "request a GitLab Runner on an assembly", true),
        b("extend", &[ch('+')], I::Extend, &[Bookings], Some("extend"), "extend the booking", true),
        b("extend_booking", &[ch('e')], I::Extend, &[Bookings, Timeline], None, "extend the booking (also + in the table)", true),
        b("timeline", &[ch('v')], I::ToggleTimeline, &[Bookings, Timeline], Some("timeline"), "the bookings as a table or a timeline", false),
        b("zoom_in", &[ch('+'), ch('=')], I::ZoomIn, &[Timeline], Some("zoom"), "zoom in: fewer hours across", false),
        b("zoom_out", &[ch('-')], I::ZoomOut, &[Timeline], None, "zoom out: more hours across", false),
        b("release", &[Key::ctrl('d')], I::Delete, &[Bookings, Timeline], Some("release"), "release the booking (asks); dismiss a done request", true),
        // Both panes.
        b("switch_pane", &[k(KeyCode::Tab), k(KeyCode::BackTab)], I::FocusNext, MAIN, Some("switch pane"), "switch pane", false),
        b("filter", &[ch('/')], I::Filter, &[Rc, Bookings, Timeline], Some("filter"), "filter (substring, any case; ! inverts; esc clears)", false),
        b("raw", &[ch('y')], I::Raw, MAIN, None, "raw JSON of the selected object (c copies it)", false),
        b("command", &[ch(':')], I::CommandLine, MAIN, None, ":log (audit) :rc :bookings :ctx NAME :readonly :q", false),
        b("copy", &[ch('c')], I::Copy, &[Rc, Bookings, Timeline, Detail, Raw], None, "copy the controller id, the runner tag, the JSON", false),
        b("refresh", &[Key::ctrl('r')], I::Refresh, MAIN, Some("refresh"), "refresh now", false),
        b("mouse", &[ch('m')], I::ToggleMouse, MAIN, None, "mouse on / off (off: the terminal selects text)", false),
        b("pause", &[ch('p')], I::TogglePause, MAIN, None, "pause / resume auto-refresh", false),
    ]
}
