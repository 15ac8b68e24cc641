//! The one-line forms' submits and the dialogs opened by a command: the `:` command line,
//! the `/` filter (applied as it is typed), `y` raw JSON, and scoping a runner by id.

use tui_input::Input;

use super::dialog::{Confirm, Dialog, Op, TextForm, TextPurpose, edit_input};
use super::{Level, Pane, State, bookings, controllers};
use crate::action::Action;
use crate::domain::ControllerState;
use crate::effect::{Effect, ScopeChange};

pub(super) fn text_form(
    state: &mut State,
    mut f: TextForm,
    action: &Action,
    fx: &mut Vec<Effect>,
) -> Option<Dialog> {
    match action {
        Action::Edit(e) => {
            edit_input(&mut f.input, *e);
            f.error = None;
            if f.purpose == TextPurpose::Filter {
                set_filter(state, Some(f.input.value()));
            }
            Some(Dialog::Text(f))
        }
        Action::Submit => {
            let value = f.input.value().trim().to_string();
            let result = match &f.purpose {
                TextPurpose::Extend { session } => {
                    bookings::extend(state, session.clone(), &value, fx)
                }
                TextPurpose::NewToken { id } => {
                    if value.chars().count() > controllers::DESCRIPTION_MAX {
                        Err("A token description takes at most 1024 characters".to_string())
                    } else {
                        state.flash(Level::Info, format!("Creating a token for {id}…"));
                        fx.push(Effect::CreateToken {
                            id: *id,
                            description: Some(value).filter(|v| !v.is_empty()),
                        });
                        Ok(())
                    }
                }
                TextPurpose::RunnerScope { id } => match value.parse::<i64>() {
                    Ok(runner_id) if runner_id > 0 => {
                        scope_runner(state, *id, runner_id, fx);
                        Ok(())
                    }
                    _ => Err(format!("{value:?} is not a runner id (a positive number)")),
                },
                TextPurpose::Command => command(state, &value, fx),
                TextPurpose::Filter => {
                    if state.focus == Pane::Controllers {
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
        _ => Some(Dialog::Text(f)),
    }
}

/// Scopes a runner; on an enabled controller that starts enforcing on its jobs, so it asks.
fn scope_runner(state: &mut State, id: i64, runner_id: i64, fx: &mut Vec<Effect>) {
    let change = ScopeChange::AddRunner(runner_id);
    let enabled = state
        .controllers
        .rows()
        .iter()
        .any(|c| c.id == id && c.state == ControllerState::Enabled);
    if enabled {
        let with = crate::domain::Scopes {
            instance: None,
            runners: vec![crate::domain::RunnerScope {
                runner_id,
                created_at: None,
            }],
        };
        let confirm = Confirm::new(
            "Scope a runner",
            format!("Scope runner #{runner_id} to runner controller {id} (enabled)?"),
            Op::Scope { id, change },
        )
        .with_details(vec![super::preview::impact(
            &ControllerState::Enabled,
            Some(&with),
        )]);
        state.dialog = Some(Dialog::Confirm(confirm));
        return;
    }
    state.flash(Level::Info, format!("Scoping runner #{runner_id}…"));
    fx.push(Effect::ChangeScope { id, change });
}

/// The `:` command line.
fn command(state: &mut State, line: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    match line.trim_start_matches(':').trim() {
        "log" | "audit" => {
            state.dialog = Some(Dialog::Log {
                entries: None,
                offset: 0,
            });
            fx.push(Effect::LoadAudit);
        }
        "rc" | "controllers" => state.focus = Pane::Controllers,
        "bookings" | "vehaas" => state.focus = Pane::Bookings,
        "readonly" | "read-only" => {
            state.context.read_only = true;
            state.flash(Level::Info, "Read-only for the rest of this run");
        }
        "q" | "quit" => state.quit = true,
        "ctx" | "context" => {
            let list: Vec<String> = state
                .context
                .contexts
                .iter()
                .map(|c| {
                    if *c == state.context.context_name {
                        format!("{c} (current)")
                    } else {
                        c.clone()
                    }
                })
                .collect();
            state.flash(
                Level::Info,
                format!("Contexts: {}. :ctx NAME switches", list.join(", ")),
            );
        }
        other => {
            if let Some(name) = other
                .strip_prefix("ctx ")
                .or_else(|| other.strip_prefix("context "))
                .map(str::trim)
            {
                return switch_context(state, name, fx);
            }
            return Err(format!(
                "Unknown command {other:?}: try log, rc, bookings, ctx, readonly, q"
            ));
        }
    }
    Ok(())
}

fn switch_context(state: &mut State, name: &str, fx: &mut Vec<Effect>) -> Result<(), String> {
    if name == state.context.context_name {
        state.flash(Level::Info, format!("Already on context {name}"));
        return Ok(());
    }
    if !state.context.contexts.iter().any(|c| c == name) {
        return Err(format!(
            "No context {name:?}: there are {}",
            state.context.contexts.join(", ")
        ));
    }
    state.flash(Level::Info, format!("Switching to context {name}…"));
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
            state.bookings.filter = text.map(super::Filter::new).filter(|f| !f.is_empty());
            state.bookings.keep_selection_valid(state.now);
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
    let what = match state.focus {
        Pane::Controllers => "id, state or description",
        Pane::Bookings => "assembly, owner, state or runner tag",
    };
    state.dialog = Some(Dialog::Text(TextForm {
        title: "Filter".into(),
        label: format!("Substring of {what}; a leading ! inverts; esc clears"),
        field: "/".into(),
        placeholder: "e.g. kas or !disabled".into(),
        input: Input::new(current),
        purpose: TextPurpose::Filter,
        error: None,
    }));
}

/// `y`: the raw JSON of the selected controller (as GitLab serves it) or booking (as
/// runnerdeck read it).
pub(super) fn open_raw(state: &mut State, fx: &mut Vec<Effect>) {
    match state.focus {
        Pane::Controllers => {
            let Some(id) = state.controllers.selected else {
                return;
            };
            state.dialog = Some(Dialog::Raw {
                title: format!("GET /api/v4/runner_controllers/{id}"),
                text: None,
                offset: 0,
            });
            fx.push(Effect::LoadRaw { id });
        }
        Pane::Bookings => {
            let now = state.now;
            let rows = state.bookings.rows(now);
            let Some(row) = state.bookings.selected_index(&rows).map(|i| rows[i]) else {
                return;
            };
            let (title, value) = match row {
                super::BookingRow::Session(s) => (
                    format!("Session {} (as read)", s.id),
                    crate::headless::session_json(s),
                ),
                super::BookingRow::Request(r) => (
                    format!("Runner request on {}", r.request.assembly_ref),
                    serde_json::json!({
                        "assembly_ref": r.request.assembly_ref,
                        "duration": crate::duration::format_iso(r.request.duration),
                        "provider_url": r.request.provider_url,
                        "put_in_queue": r.request.put_in_queue,
                        "job": r.job.as_ref().map(|j| serde_json::json!({
                            "job_id": j.job_id,
                            "state": j.state.as_str(),
                            "session_id": j.session_id,
                            "gitlab_runner_tag": j.gitlab_runner_tag,
                            "error": j.error,
                        })),
                    }),
                ),
            };
            let text = serde_json::to_string_pretty(&value).map_err(|e| e.to_string());
            state.dialog = Some(Dialog::Raw {
                title,
                text: Some(text),
                offset: 0,
            });
        }
    }
}

/// Opens the `:` command line.
pub(super) fn open_command(state: &mut State) {
    state.dialog = Some(Dialog::Text(TextForm {
        title: "Command".into(),
        label: "log (audit log) · rc · bookings · ctx [NAME] · readonly · q".into(),
        field: ":".into(),
        placeholder: "log".into(),
        input: Input::default(),
        purpose: TextPurpose::Command,
        error: None,
    }));
}
