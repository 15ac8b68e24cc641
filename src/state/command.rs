//! The `:` command line (`log`, `rc`, `bookings`, `ctx [NAME]`, `readonly`, `q`), the `/`
//! filter of the focused pane, and `y`, the raw JSON of the selected object.

use super::dialog::{Dialog, RawTitle};
use super::notes::Note;
use super::text_form::{FormError, TextForm, TextPurpose};
use super::{BookingRow, Pane, State};
use crate::effect::{Effect, Load};
use crate::json;

/// The command words, for tab.
pub const WORDS: &[&str] = &["bookings", "ctx", "log", "q", "rc", "readonly"];

/// What tab offers after a word (`ctx` takes the context names).
pub const ARGS: &[(&str, &[&str])] = &[];

pub(super) fn open(state: &mut State) {
    state.dialog = Some(Dialog::Text(TextForm::new(TextPurpose::Command)));
}

/// The `:` command line's submit.
pub(super) fn run(state: &mut State, line: &str, fx: &mut Vec<Effect>) -> Result<(), FormError> {
    let line = line.trim_start_matches(':').trim();
    let (word, rest) = line.split_once(' ').unwrap_or((line, ""));
    match (word, rest.trim()) {
        ("log" | "audit", _) => {
            state.dialog = Some(Dialog::Log {
                entries: None,
                offset: 0,
            });
            fx.push(Effect::Load(Load::Audit));
        }
        ("rc" | "controllers", _) => state.focus = Pane::Controllers,
        ("bookings" | "vehaas", _) => state.focus = Pane::Bookings,
        ("readonly" | "read-only", _) => {
            state.context.read_only = true;
            state.flash(Note::ReadOnlyNow);
        }
        ("q" | "quit", _) => super::quit(state),
        ("ctx" | "context", "") => state.flash(Note::Contexts {
            current: state.context.context_name.clone(),
            all: state.context.contexts.clone(),
        }),
        ("ctx" | "context", name) => return switch_context(state, name, fx),
        _ => return Err(FormError::UnknownCommand(line.to_string())),
    }
    Ok(())
}

fn switch_context(state: &mut State, name: &str, fx: &mut Vec<Effect>) -> Result<(), FormError> {
    if name == state.context.context_name {
        state.flash(Note::AlreadyOnContext(name.to_string()));
        return Ok(());
    }
    if !state.context.contexts.iter().any(|c| c == name) {
        return Err(FormError::NoContext {
            name: name.to_string(),
            all: state.context.contexts.clone(),
        });
    }
    state.flash(Note::SwitchingContext(name.to_string()));
    fx.push(Effect::SwitchContext {
        name: name.to_string(),
    });
    Ok(())
}

/// Filters the focused pane (`None` clears).
pub(super) fn set_filter(state: &mut State, text: Option<&str>) {
    match state.focus {
        Pane::Controllers => state.controllers.set_filter(text),
        Pane::Bookings => {
            let now = state.now;
            state.bookings.set_filter(text, now);
        }
    }
}

/// Opens the `/` filter of the focused pane, starting from the current one.
pub(super) fn open_filter(state: &mut State) {
    let current = match state.focus {
        Pane::Controllers => state.controllers.filter.as_ref(),
        Pane::Bookings => state.bookings.filter.as_ref(),
    }
    .map(|f| f.text.clone())
    .unwrap_or_default();
    let purpose = TextPurpose::Filter { pane: state.focus };
    state.dialog = Some(Dialog::Text(TextForm::with(purpose, current)));
}

/// `y`: the raw JSON of the selected controller (as GitLab serves it) or booking (as
/// runnerdeck read it).
pub(super) fn open_raw(state: &mut State, fx: &mut Vec<Effect>) {
    match state.focus {
        Pane::Controllers => {
            let Some(id) = state.controllers.selected else {
                return;
            };
            let req = state.next_id();
            state.dialog = Some(Dialog::Raw {
                title: RawTitle::Controller(id),
                req: Some(req),
                text: None,
                offset: 0,
            });
            fx.push(Effect::Load(Load::Raw { req, id }));
        }
        Pane::Bookings => {
            let Some(row) = state.bookings.selected_row() else {
                return;
            };
            let (title, value) = match row {
                BookingRow::Session(s) => (RawTitle::Session(s.id.clone()), json::session_json(s)),
                BookingRow::Request(r) => (
                    RawTitle::Request {
                        assembly: r.request.assembly_ref.clone(),
                    },
                    r.json(),
                ),
            };
            let text = serde_json::to_string_pretty(&value).map_err(|e| e.to_string());
            state.dialog = Some(Dialog::Raw {
                title,
                req: None,
                text: Some(text),
                offset: 0,
            });
        }
    }
}
