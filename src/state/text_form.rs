//! One-line forms: a booking's extension, a new token's description, a runner id to scope, the
//! `:` command line and the `/` filter (applied as it is typed). Errors are facts the form
//! shows under the field.

use tui_input::Input;

use super::dialog::{Dialog, edit_input, paste};
use super::rc::DESCRIPTION_MAX;
use super::{Pane, State, bookings, command, detail};
use crate::domain::{ControllerId, RunnerId, SessionId};
use crate::duration::DurationError;
use crate::effect::Effect;
use crate::msg::Intent;

/// What a one-line form is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextPurpose {
    /// How much longer a booking should last.
    Extend {
        session: SessionId,
        assembly: String,
    },
    NewToken {
        id: ControllerId,
    },
    RunnerScope {
        id: ControllerId,
    },
    /// The `:` command line.
    Command,
    /// The `/` filter of the focused pane, applied as it is typed.
    Filter {
        pane: Pane,
    },
}

/// Why a form's value was not taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormError {
    TooLong { len: usize, max: usize },
    NotRunnerId(String),
    Duration(DurationError),
    UnknownCommand(String),
    NoContext { name: String, all: Vec<String> },
    NoAssembly,
    ProviderUrl,
}

/// A one-line form.
#[derive(Debug, Clone)]
pub struct TextForm {
    pub purpose: TextPurpose,
    pub input: Input,
    pub error: Option<FormError>,
    /// The `:` line: where in the history up / down has got to.
    pub history_at: Option<usize>,
    /// The `:` line: what tab found (the choices when there are several).
    pub hint: Option<String>,
}

impl TextForm {
    pub fn new(purpose: TextPurpose) -> Self {
        Self::with(purpose, String::new())
    }

    pub fn with(purpose: TextPurpose, value: String) -> Self {
        Self {
            purpose,
            input: Input::new(value),
            error: None,
            history_at: None,
            hint: None,
        }
    }
}

pub(super) fn form(
    state: &mut State,
    mut f: TextForm,
    intent: Intent,
    fx: &mut Vec<Effect>,
) -> Option<Dialog> {
    if f.purpose == TextPurpose::Command && super::command_line::intent(state, &mut f, &intent) {
        return Some(Dialog::Text(f));
    }
    match intent {
        Intent::Edit(e) => edit_input(&mut f.input, e),
        Intent::Paste(text) => paste(&mut f.input, &text),
        Intent::Submit => return submit(state, f, fx),
        _ => return Some(Dialog::Text(f)),
    }
    f.error = None;
    f.hint = None;
    if let TextPurpose::Filter { .. } = f.purpose {
        command::set_filter(state, Some(f.input.value()));
    }
    Some(Dialog::Text(f))
}

fn submit(state: &mut State, mut f: TextForm, fx: &mut Vec<Effect>) -> Option<Dialog> {
    let value = f.input.value().trim().to_string();
    let result = match &f.purpose {
        TextPurpose::Extend { session, .. } => bookings::extend(state, session.clone(), &value, fx),
        TextPurpose::NewToken { id } => {
            let len = value.chars().count();
            if len > DESCRIPTION_MAX {
                Err(FormError::TooLong {
                    len,
                    max: DESCRIPTION_MAX,
                })
            } else {
                let description = Some(value).filter(|v| !v.is_empty());
                detail::create_token(state, *id, description, fx);
                Ok(())
            }
        }
        TextPurpose::RunnerScope { id } => match value.parse::<RunnerId>() {
            Ok(runner) if runner.0 > 0 => {
                detail::scope_runner(state, *id, runner, fx);
                Ok(())
            }
            _ => Err(FormError::NotRunnerId(value)),
        },
        TextPurpose::Command => {
            state.command_history.push(&value);
            command::run(state, &value, fx)
        }
        TextPurpose::Filter { pane } => {
            if *pane == Pane::Controllers {
                state.controllers.adopt_selection();
            }
            Ok(())
        }
    };
    match result {
        // A command may have opened a dialog of its own.
        Ok(()) => state.dialog.take(),
        Err(e) => {
            f.error = Some(e);
            Some(Dialog::Text(f))
        }
    }
}
