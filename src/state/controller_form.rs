//! The create / edit-description form of a runner controller: typing, the state choice, the
//! 1024-character limit, and what submitting sends (or asks first).

use super::controllers::{DESCRIPTION_MAX, execute, send_update};
use super::dialog::{self, Confirm, ControllerForm, Dialog, FormMode, Op};
use super::{Level, State};
use crate::action::{Action, Edit};
use crate::domain::{ControllerState, ControllerUpdate};
use crate::effect::Effect;

/// The create / edit-description form.
pub(super) fn form(
    state: &mut State,
    mut f: ControllerForm,
    action: &Action,
    fx: &mut Vec<Effect>,
) -> Option<Dialog> {
    let n_states = ControllerState::KNOWN.len();
    match action {
        Action::NextField => f.field = (f.field + 1) % f.fields(),
        Action::PrevField => f.field = (f.field + f.fields() - 1) % f.fields(),
        Action::Edit(e) if f.field == 0 => {
            dialog::edit_input(&mut f.description, *e);
            f.error = None;
        }
        Action::Edit(Edit::Left) => f.state = (f.state + n_states - 1) % n_states,
        Action::Edit(Edit::Right | Edit::Char(' ')) => f.state = (f.state + 1) % n_states,
        Action::Submit => {
            let text = f.description.value().to_string();
            let len = text.chars().count();
            if len > DESCRIPTION_MAX {
                f.error = Some(format!(
                    "The description is {len} characters long; GitLab takes at most {DESCRIPTION_MAX}"
                ));
                return Some(Dialog::ControllerForm(f));
            }
            let description = Some(text).filter(|t| !t.is_empty());
            match f.mode {
                FormMode::Create => {
                    let to = ControllerState::KNOWN[f.state % n_states].clone();
                    let op = Op::Create {
                        description: description.clone(),
                        state: to.clone(),
                    };
                    if to == ControllerState::Enabled {
                        let name = description.as_deref().unwrap_or("(no description)");
                        let confirm = Confirm::new(
                            "Enforce admission",
                            format!("Create runner controller \"{name}\" already enabled?"),
                            op,
                        )
                        .with_details(vec![
                            "Its admit/reject decisions will be enforced as soon as it has a scope."
                                .into(),
                        ]);
                        return Some(Dialog::Confirm(confirm));
                    }
                    execute(state, op, fx);
                }
                FormMode::EditDescription { id } => {
                    state.flash(Level::Info, format!("Saving the description of {id}…"));
                    let update = ControllerUpdate {
                        description: Some(description),
                        state: None,
                    };
                    send_update(state, id, update, fx);
                }
            }
            return None;
        }
        _ => {}
    }
    Some(Dialog::ControllerForm(f))
}
