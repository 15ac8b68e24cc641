//! Asking veHaaS for a GitLab Runner: the form (assembly, duration, provider URL, queue), its
//! validation, and the one `POST /jobs` it sends; a second request for an assembly that has one
//! on its way asks first. The job is then followed in `requests.rs`.

use tui_input::Input;

use super::State;
use super::changes::{self, Plan, Step};
use super::confirm::{self, Question};
use super::dialog::{Dialog, edit_input, paste};
use super::requests;
use super::text_form::FormError;
use crate::domain::RunnerRequest;
use crate::duration;
use crate::effect::Effect;
use crate::msg::{Edit, Intent};
use crate::ops::Change;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunnerField {
    Assembly,
    Duration,
    ProviderUrl,
    Queue,
}

impl RunnerField {
    const ORDER: [RunnerField; 4] = [
        RunnerField::Assembly,
        RunnerField::Duration,
        RunnerField::ProviderUrl,
        RunnerField::Queue,
    ];

    fn step(self, by: isize) -> Self {
        let at = Self::ORDER.iter().position(|f| *f == self).unwrap_or(0) as isize;
        Self::ORDER[(at + by).rem_euclid(Self::ORDER.len() as isize) as usize]
    }
}

/// The runner request form (bookings pane).
#[derive(Debug, Clone)]
pub struct RunnerForm {
    pub assembly: Input,
    pub duration: Input,
    pub provider_url: Input,
    pub put_in_queue: bool,
    pub field: RunnerField,
    pub error: Option<FormError>,
}

impl RunnerForm {
    pub fn new(provider_url: String) -> Self {
        Self {
            assembly: Input::default(),
            duration: Input::default(),
            provider_url: Input::new(provider_url),
            put_in_queue: true,
            field: RunnerField::Assembly,
            error: None,
        }
    }

    fn input(&mut self) -> Option<&mut Input> {
        match self.field {
            RunnerField::Assembly => Some(&mut self.assembly),
            RunnerField::Duration => Some(&mut self.duration),
            RunnerField::ProviderUrl => Some(&mut self.provider_url),
            RunnerField::Queue => None,
        }
    }
}

pub(super) fn form(
    state: &mut State,
    mut f: RunnerForm,
    intent: Intent,
    fx: &mut Vec<Effect>,
) -> Option<Dialog> {
    match intent {
        Intent::NextField => f.field = f.field.step(1),
        Intent::PrevField => f.field = f.field.step(-1),
        Intent::Edit(Edit::Char(' ') | Edit::Left | Edit::Right)
            if f.field == RunnerField::Queue =>
        {
            f.put_in_queue = !f.put_in_queue;
        }
        Intent::Edit(e) => {
            if let Some(input) = f.input() {
                edit_input(input, e);
                f.error = None;
            }
        }
        Intent::Paste(text) => {
            if let Some(input) = f.input() {
                paste(input, &text);
                f.error = None;
            }
        }
        Intent::Submit => match validate(&f, &state.settings.durations) {
            Ok(request) => {
                submit(state, request, fx);
                return state.dialog.take();
            }
            Err(e) => f.error = Some(e),
        },
        _ => {}
    }
    Some(Dialog::RunnerForm(f))
}

fn validate(f: &RunnerForm, limits: &duration::Limits) -> Result<RunnerRequest, FormError> {
    let assembly = f.assembly.value().trim();
    if assembly.is_empty() {
        return Err(FormError::NoAssembly);
    }
    let duration = limits
        .parse(f.duration.value())
        .map_err(FormError::Duration)?;
    let provider_url =
        crate::domain::provider_url(f.provider_url.value()).ok_or(FormError::ProviderUrl)?;
    Ok(RunnerRequest {
        assembly_ref: assembly.to_string(),
        duration,
        provider_url,
        put_in_queue: f.put_in_queue,
    })
}

/// Sends the request, or asks first when one for the same assembly is on its way.
fn submit(state: &mut State, request: RunnerRequest, fx: &mut Vec<Effect>) {
    let on_its_way = requests::on_its_way(&state.bookings, &request.assembly_ref);
    let plan = Plan::one(Step::new(Change::RequestRunner {
        request: request.clone(),
    }));
    if on_its_way == 0 {
        changes::run(state, plan, fx);
        return;
    }
    let question = Question::AnotherRequest {
        request,
        on_its_way,
    };
    let c = confirm::ask(state, question, plan, fx);
    state.dialog = Some(Dialog::Confirm(c));
}
