//! The words of every confirmation: its title, the question naming the exact object, and what
//! the change will do (read from the scopes the state knows now, so a fresh read shows at once).

use jiff::tz::TimeZone;

use super::{label, quoted, update};
use crate::domain::{ControllerState, RunnerController, Scopes, SessionState};
use crate::ops::{Change, ScopeChange};
use crate::state::{Confirm, Question, State};
use crate::ui::fmt;
use crate::ui::preview::{change, impact, meaning};

/// A question in words.
pub struct Worded {
    pub title: String,
    pub question: String,
    pub details: Vec<String>,
}

/// How many rows a question lists before "and N more".
const LISTED: usize = 8;

fn listed<T>(items: &[T], line: impl Fn(&T) -> String) -> Vec<String> {
    let mut out: Vec<String> = items.iter().take(LISTED).map(line).collect();
    if items.len() > LISTED {
        out.push(format!("… and {} more", items.len() - LISTED));
    }
    out
}

fn version(c: &RunnerController, tz: &TimeZone) -> String {
    format!(
        "state {}, description {}, updated {}",
        c.state,
        quoted(c.description.as_deref()),
        c.updated_at
            .as_ref()
            .map(|t| fmt::seconds(t.at(), tz))
            .unwrap_or_default()
    )
}

fn hidden_note(n: usize) -> Option<String> {
    match n {
        0 => None,
        1 => Some("1 of them is hidden by the filter.".into()),
        n => Some(format!("{n} of them are hidden by the filter.")),
    }
}

/// Why the id (or words) must be typed, or that a yes waits for the scopes.
fn guard_lines(state: &State, c: &Confirm) -> Vec<String> {
    if !c.awaiting.is_empty() {
        return vec!["Checking its scopes…".into()];
    }
    let Some(t) = &c.typed else {
        return Vec::new();
    };
    if t.words {
        return vec![format!(
            "Some may have the instance scope (or theirs could not be read). Type \"{}\" to confirm.",
            t.expected
        )];
    }
    let unreadable = c
        .controllers()
        .any(|id| state.controllers.scopes_unavailable.contains(&id));
    let adds = c.plan.steps.iter().any(|s| {
        matches!(
            s.change,
            Change::Scope {
                change: ScopeChange::AddInstance,
                ..
            }
        )
    });
    vec![if adds {
        "As grave as enabling it with that scope: type its id to confirm.".into()
    } else if unreadable {
        "Its scopes could not be read, so it may judge every job. Type its id to confirm.".into()
    } else {
        "It has the instance scope. Type its id to confirm.".into()
    }]
}

pub fn question(state: &State, c: &Confirm) -> Worded {
    let (title, question, mut details) = about_a_controller(state, &c.question)
        .or_else(|| about_others(&c.question))
        .unwrap_or_default();
    details.extend(guard_lines(state, c));
    Worded {
        title,
        question,
        details,
    }
}

/// Questions about one controller: its state, creation, deletion, undo, a conflict, a scope.
fn about_a_controller(state: &State, q: &Question) -> Option<(String, String, Vec<String>)> {
    let scopes = |id| state.controllers.scopes.get(&id);
    let tz = &state.context.tz;
    Some(match q {
        Question::SetState { target, to } => {
            let title = if *to == ControllerState::Enabled {
                "Enforce admission"
            } else {
                "Turn enforcement off"
            };
            let q = if *to == ControllerState::Enabled {
                format!("Enable runner controller {}?", label(target))
            } else {
                format!("Set runner controller {} to {to}?", label(target))
            };
            let d = vec![change(&target.state, to), impact(to, scopes(target.id))];
            (title.into(), q, d)
        }
        Question::Create { description, .. } => (
            "Enforce admission".into(),
            format!(
                "Create runner controller \"{}\" already enabled?",
                description.as_deref().unwrap_or("(no description)")
            ),
            vec!["Its admit/reject decisions will be enforced as soon as it has a scope.".into()],
        ),
        Question::Delete { target } => (
            "Delete".into(),
            format!("Delete runner controller {}?", label(target)),
            vec!["Its tokens and scopes are deleted with it. This cannot be undone.".into()],
        ),
        Question::Undo { target, restore } => {
            let mut d = Vec::new();
            if let Some(to) = &restore.state {
                d.push(change(&target.state, to));
                d.push(impact(to, scopes(target.id)));
            }
            if let Some(desc) = &restore.description {
                d.push(format!("description back to {}", quoted(desc.as_deref())));
            }
            (
                "Undo".into(),
                format!(
                    "Undo the last change of runner controller {}?",
                    label(target)
                ),
                d,
            )
        }
        Question::ChangedElsewhere {
            shown,
            server,
            change: what,
        } => changed_elsewhere(shown.as_ref(), server, what, tz),
        Question::Scope {
            id,
            change,
            state: now,
        } => scope(*id, change, now.as_ref()),
        _ => return None,
    })
}

/// Questions about tokens, bookings, several controllers, a second runner request.
fn about_others(q: &Question) -> Option<(String, String, Vec<String>)> {
    Some(match q {
        Question::RotateToken { id, token } => (
            "Rotate token".into(),
            format!(
                "Rotate token {} {}of runner controller {id}?",
                token.id,
                described(token.description.as_deref())
            ),
            vec![
                "The old secret stops working at once; GitLab issues a new token with a new id."
                    .into(),
                "The new secret is shown once.".into(),
            ],
        ),
        Question::RevokeToken { id, token } => (
            "Revoke token".into(),
            format!(
                "Revoke token {} {}of runner controller {id}?",
                token.id,
                described(token.description.as_deref())
            ),
            vec!["Whatever uses it loses access at once. This cannot be undone.".into()],
        ),
        Question::Release { session } => (
            "Release".into(),
            format!(
                "Release booking {} of {} ({})?",
                session.id,
                session.assembly_ref,
                session.owner.as_deref().unwrap_or("unknown owner")
            ),
            vec![if session.state == SessionState::Scheduled {
                "It has not started: the booking is cancelled.".into()
            } else {
                "The session ends now and its GitLab Runner is deleted.".into()
            }],
        ),
        Question::BulkState {
            targets,
            to,
            already,
            hidden,
        } => {
            let mut d = listed(targets, |c| {
                format!("{}: {}", label(c), change(&c.state, to))
            });
            d.extend(hidden_note(*hidden));
            if *already > 0 {
                d.push(format!("{already} marked already {to}: left out."));
            }
            if *to == ControllerState::Enabled {
                d.push("Their admit/reject decisions will be enforced: rejected jobs fail with job_router_failure.".into());
            }
            (
                "Bulk state change".into(),
                format!("Set {} runner controllers to {to}?", targets.len()),
                d,
            )
        }
        Question::BulkDelete { targets, hidden } => {
            let mut d = listed(targets, label);
            d.extend(hidden_note(*hidden));
            d.push("Their tokens and scopes are deleted with them. This cannot be undone.".into());
            (
                "Bulk delete".into(),
                format!("Delete {} runner controllers?", targets.len()),
                d,
            )
        }
        Question::AnotherRequest {
            request,
            on_its_way,
        } => (
            "Request another runner".into(),
            format!(
                "A runner request for {} is already on its way. Send another?",
                request.assembly_ref
            ),
            vec![format!(
                "{on_its_way} request{} for it sent and waiting for the answer; a second one books the assembly a second time.",
                if *on_its_way == 1 { " is" } else { "s are" }
            )],
        ),
        _ => return None,
    })
}

fn described(d: Option<&str>) -> String {
    match d {
        Some(d) if !d.is_empty() => format!("\"{d}\" "),
        _ => String::new(),
    }
}

fn changed_elsewhere(
    shown: Option<&RunnerController>,
    server: &RunnerController,
    what: &Change,
    tz: &TimeZone,
) -> (String, String, Vec<String>) {
    let mut d = Vec::new();
    if let Some(s) = shown {
        d.push(format!("On your screen: {}", version(s, tz)));
    }
    d.push(format!("On the server:  {}", version(server, tz)));
    let (q, yours) = match what {
        Change::DeleteController { .. } => (
            format!(
                "Runner controller {} changed on the server since you loaded it. Delete it anyway?",
                server.id
            ),
            "delete it".to_string(),
        ),
        Change::UpdateController { update: u, .. } => (
            format!(
                "Runner controller {} changed on the server since you loaded it. Apply your change anyway?",
                server.id
            ),
            update(u),
        ),
        other => (
            format!(
                "Runner controller {} changed on the server. Go ahead?",
                server.id
            ),
            super::sending(other),
        ),
    };
    d.push(format!("Your change:    {yours}"));
    ("Changed by someone else".into(), q, d)
}

fn scope(
    id: crate::domain::ControllerId,
    change: &ScopeChange,
    now: Option<&ControllerState>,
) -> (String, String, Vec<String>) {
    match change {
        ScopeChange::AddInstance => {
            let with = Scopes {
                instance: Some(Default::default()),
                runners: vec![],
            };
            (
                "Add the instance scope".into(),
                format!("Give runner controller {id} the instance scope?"),
                vec![impact(&ControllerState::Enabled, Some(&with))],
            )
        }
        ScopeChange::AddRunner(r) => {
            let with = Scopes {
                instance: None,
                runners: vec![crate::domain::RunnerScope {
                    runner_id: *r,
                    created_at: None,
                }],
            };
            let state = now.map_or("state unknown".to_string(), ToString::to_string);
            (
                "Scope a runner".into(),
                format!("Scope runner #{r} to runner controller {id} ({state})?"),
                vec![impact(&ControllerState::Enabled, Some(&with))],
            )
        }
        ScopeChange::RemoveInstance => (
            "Remove scope".into(),
            format!("Remove the instance scope of runner controller {id}?"),
            vec!["Without a scope it receives no admission requests.".into()],
        ),
        ScopeChange::RemoveRunner(r) => (
            "Remove scope".into(),
            format!("Unscope runner #{r} from runner controller {id}?"),
            Vec::new(),
        ),
    }
}

/// What the picker shows under the choices.
pub fn picker_impact(state: &State, p: &crate::state::StatePicker) -> String {
    if p.bulk.is_empty() {
        impact(&p.choice(), state.controllers.scopes.get(&p.target.id))
    } else {
        format!(
            "Each marked controller's change is listed before anything is sent; {}.",
            meaning(&p.choice())
        )
    }
}
