//! The create / edit-description form of a runner controller: typing, the state choice, the
//! 1024-character limit, and what submitting sends (or asks first).

use tui_input::Input;

use super::State;
use super::dialog::{Dialog, edit_input, paste};
use super::rc::{self, DESCRIPTION_MAX};
use super::text_form::FormError;
use crate::domain::{ControllerState, RunnerController};
use crate::effect::Effect;
use crate::msg::{Edit, Intent};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormMode {
    Create,
    /// Editing starts from the version on screen, and the change is based on it.
    Edit {
        based_on: RunnerController,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ControllerField {
    Description,
    /// Create only.
    State,
}

#[derive(Debug, Clone)]
pub struct ControllerForm {
    pub mode: FormMode,
    pub description: Input,
    /// The state to create it in (create only).
    pub state: ControllerState,
    pub field: ControllerField,
    pub error: Option<FormError>,
}

impl ControllerForm {
    pub fn new(mode: FormMode) -> Self {
        let description = match &mode {
            FormMode::Create => Input::default(),
            FormMode::Edit { based_on } => {
                Input::new(based_on.description.clone().unwrap_or_default())
            }
        };
        Self {
            mode,
            description,
            state: ControllerState::Disabled,
            field: ControllerField::Description,
            error: None,
        }
    }

    fn next_field(&mut self) {
        self.field = match (&self.mode, self.field) {
            (FormMode::Create, ControllerField::Description) => ControllerField::State,
            _ => ControllerField::Description,
        };
    }

    /// Cycles the state choice by `step` (1 or -1).
    fn cycle_state(&mut self, step: isize) {
        let known = &ControllerState::KNOWN;
        let at = known.iter().position(|s| *s == self.state).unwrap_or(0) as isize;
        let n = known.len() as isize;
        self.state = known[(at + step).rem_euclid(n) as usize].clone();
    }
}

pub(super) fn form(
    state: &mut State,
    mut f: ControllerForm,
    intent: Intent,
    fx: &mut Vec<Effect>,
) -> Option<Dialog> {
    match intent {
        Intent::NextField | Intent::PrevField => f.next_field(),
        Intent::Edit(e) if f.field == ControllerField::Description => {
            edit_input(&mut f.description, e);
            f.error = None;
        }
        Intent::Paste(text) if f.field == ControllerField::Description => {
            paste(&mut f.description, &text);
            f.error = None;
        }
        Intent::Edit(Edit::Left) => f.cycle_state(-1),
        Intent::Edit(Edit::Right | Edit::Char(' ')) => f.cycle_state(1),
        Intent::Submit => return submit(state, f, fx),
        _ => {}
    }
    Some(Dialog::ControllerForm(f))
}

fn submit(state: &mut State, mut f: ControllerForm, fx: &mut Vec<Effect>) -> Option<Dialog> {
    let text = f.description.value().to_string();
    let len = text.chars().count();
    if len > DESCRIPTION_MAX {
        f.error = Some(FormError::TooLong {
            len,
            max: DESCRIPTION_MAX,
        });
        return Some(Dialog::ControllerForm(f));
    }
    let description = Some(text).filter(|t| !t.is_empty());
    match f.mode {
        FormMode::Create => rc::create(state, description, f.state, fx),
        FormMode::Edit { based_on } => rc::save_description(state, based_on, description, fx),
    }
    state.dialog.take()
}
