//! Asking veHaaS for a GitLab Runner: the form (assembly, duration, provider URL, queue),
//! its validation, and the one `POST /jobs` it sends; then the job is followed in `bookings.rs`.

use super::bookings::{PendingRequest, RequestPhase};
use super::dialog::{self, Dialog, RunnerForm};
use super::{Level, State};
use crate::action::{Action, Edit};
use crate::domain::RunnerRequest;
use crate::duration;
use crate::effect::Effect;

pub(super) fn runner_form(
    state: &mut State,
    mut f: RunnerForm,
    action: &Action,
    fx: &mut Vec<Effect>,
) -> Option<Dialog> {
    match action {
        Action::NextField => f.field = (f.field + 1) % RunnerForm::FIELDS,
        Action::PrevField => f.field = (f.field + RunnerForm::FIELDS - 1) % RunnerForm::FIELDS,
        Action::Edit(Edit::Char(' ') | Edit::Left | Edit::Right) if f.field == 3 => {
            f.put_in_queue = !f.put_in_queue;
        }
        Action::Edit(e) => {
            let input = match f.field {
                0 => &mut f.assembly,
                1 => &mut f.duration,
                2 => &mut f.provider_url,
                _ => return Some(Dialog::RunnerForm(f)),
            };
            dialog::edit_input(input, *e);
            f.error = None;
        }
        Action::Submit => match validate(&f) {
            Ok(request) => {
                submit(state, request, fx);
                return None;
            }
            Err(e) => f.error = Some(e),
        },
        _ => {}
    }
    Some(Dialog::RunnerForm(f))
}

fn validate(f: &RunnerForm) -> Result<RunnerRequest, String> {
    let assembly = f.assembly.value().trim();
    if assembly.is_empty() {
        return Err("Which assembly? Type its reference, e.g. HIL-BENCH-01".into());
    }
    let duration = duration::parse_human(f.duration.value()).map_err(|e| e.to_string())?;
    let provider = f.provider_url.value().trim();
    if !(provider.starts_with("https://") || provider.starts_with("http://")) {
        return Err(
            "The provider URL must start with https:// (the GitLab the runner joins)".into(),
        );
    }
    Ok(RunnerRequest {
        assembly_ref: assembly.to_string(),
        duration,
        provider_url: provider.to_string(),
        put_in_queue: f.put_in_queue,
    })
}

fn submit(state: &mut State, request: RunnerRequest, fx: &mut Vec<Effect>) {
    let local_id = state.next_id();
    state.flash(
        Level::Info,
        format!(
            "Requesting a runner on {} for {}…",
            request.assembly_ref,
            duration::format_short(request.duration)
        ),
    );
    state.bookings.requests.push(PendingRequest {
        local_id,
        request: request.clone(),
        phase: RequestPhase::Submitting,
        job: None,
        polls: 0,
    });
    state.bookings.selected = Some(format!("request:{local_id}"));
    fx.push(Effect::RequestRunner { local_id, request });
}
