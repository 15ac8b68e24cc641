//! The fixture's controllers with their health read and a server history, for the snapshots:
//! 1 enabled on the instance with two tokens (one never used for 40 days), 2 disabled scoped
//! to a deleted runner with alice's state change in its history, 3 in dry_run with no scope
//! and no token, 4 whose scopes could not be read.

use jiff::SignedDuration;

use super::vitals::{serve_with, vital_reads};
use super::*;
use crate::effect::VitalRead;
use crate::health::RunnerSeen;
use crate::health::events::{Action, ServerEvent, TokenAction};
use crate::msg::VitalAnswer;

fn ago(mins: i64) -> Stamp {
    Stamp::from(t0() - SignedDuration::from_mins(mins))
}

fn tok(id: i64, of: i64, used: Option<i64>, created_days: i64) -> ControllerToken {
    ControllerToken {
        id: TokenId(id),
        runner_controller_id: cid(of),
        description: Some(format!("agent {id}")),
        last_used_at: used.map(ago),
        created_at: Some(ago(created_days * 24 * 60)),
        updated_at: None,
    }
}

pub fn world(read: VitalRead) -> VitalAnswer {
    match read {
        VitalRead::Controller(id) => VitalAnswer::Controller {
            id,
            result: Ok(RunnerController {
                connected: match id.0 {
                    1 => Some(true),
                    4 => None,
                    _ => Some(false),
                },
                ..row(id.0)
            }),
        },
        VitalRead::Scopes(id) => VitalAnswer::Scopes {
            id,
            result: match id.0 {
                1 => Ok(instance_scope()),
                2 => Ok(runner_scope(3)),
                3 => Ok(no_scopes()),
                _ => Err(err500()),
            },
        },
        VitalRead::Tokens(id) => VitalAnswer::Tokens {
            id,
            result: Ok(match id.0 {
                1 => vec![tok(12, 1, Some(4), 60), tok(13, 1, None, 40)],
                2 => vec![tok(10, 2, Some(120), 10)],
                _ => vec![],
            }),
        },
        VitalRead::Runner(id) => VitalAnswer::Runner {
            id,
            result: Ok(RunnerSeen::Gone),
        },
    }
}

/// Answers every background read the effects and what follows them start.
pub fn read_all(s: &mut State, fx: Vec<Effect>) {
    serve_with(s, fx, world);
    // Everything is read: the tick finds nothing to read, the preview has its scopes.
    let fx = tick(s, t0());
    assert!(vital_reads(&fx).is_empty(), "{fx:?}");
    assert!(scope_reads(&fx).is_empty(), "{fx:?}");
}

/// The fixture loaded and every controller's health read; controller `id` selected.
pub fn health_loaded(id: i64) -> State {
    let mut s = state();
    let fx = s.init();
    s.controllers.select_id(cid(id));
    let req = list_read(&fx).expect("a list read");
    let fx = list_loaded(&mut s, req, fixture());
    read_all(&mut s, fx);
    s.flash = None;
    s
}

fn event(id: i64, mins_ago: i64, action: Action, target: (&str, i64), msg: &str) -> ServerEvent {
    ServerEvent {
        id,
        at: Some(ago(mins_ago)),
        author: Some("Alice Admin".into()),
        author_id: Some(3),
        action,
        target_type: Some(target.0.into()),
        target_id: Some(target.1),
        message: Some(msg.into()),
    }
}

/// Alice's last weeks, newest first.
pub fn events() -> Vec<ServerEvent> {
    use crate::domain::ControllerState as St;
    let rc = "Ci::RunnerController";
    vec![
        event(
            9,
            60,
            Action::Token(TokenAction::Rotated),
            ("Ci::RunnerControllerToken", 12),
            "Rotated runner controller token",
        ),
        event(
            8,
            2 * 24 * 60,
            Action::Updated {
                state: Some((St::Enabled, St::Disabled)),
            },
            (rc, 2),
            "Updated runner controller state from enabled to disabled",
        ),
        event(
            7,
            3 * 24 * 60,
            Action::RunnerScope {
                added: true,
                runner: Some(RunnerId(3)),
            },
            ("Ci::RunnerControllerRunnerLevelScoping", 41),
            "Added runner scope for runner #3 to runner controller",
        ),
        event(
            6,
            8 * 24 * 60,
            Action::Deleted,
            (rc, 99),
            "Deleted runner controller",
        ),
        event(
            5,
            9 * 24 * 60,
            Action::Created {
                state: Some(St::Disabled),
            },
            (rc, 2),
            "Created runner controller with state disabled",
        ),
    ]
}

/// The events read `fx` started (if any) answers with `result`.
pub fn answer_events(
    s: &mut State,
    fx: &[Effect],
    result: Result<Vec<ServerEvent>, crate::api::ApiError>,
) -> Vec<Effect> {
    let req = fx
        .iter()
        .find_map(|e| match e {
            Effect::Load(Load::Events { req, .. }) => Some(*req),
            _ => None,
        })
        .or(s.controllers.history.server.pending)
        .expect("an events read");
    update(s, Outcome::EventsLoaded { req, result })
}

/// Opens the detail of the selected controller and answers its reads from `world` and
/// `events()`.
pub fn open_detail(s: &mut State) {
    let fx = update(s, Intent::OpenDetail);
    answer_events(s, &fx, Ok(events()));
    for e in &fx {
        let Effect::Load(load) = e else { continue };
        let (req, answer) = match *load {
            Load::Controller { req, id } => (req, world(VitalRead::Controller(id))),
            Load::Tokens { req, id } => (req, world(VitalRead::Tokens(id))),
            Load::Scopes { req, id } => (req, world(VitalRead::Scopes(id))),
            _ => continue,
        };
        let outcome = match answer {
            VitalAnswer::Controller { result, .. } => Outcome::ControllerLoaded { req, result },
            VitalAnswer::Tokens { id, result } => Outcome::TokensLoaded { req, id, result },
            VitalAnswer::Scopes { id, result } => Outcome::ScopesLoaded { req, id, result },
            VitalAnswer::Runner { .. } => continue,
        };
        update(s, outcome);
    }
    read_all(s, Vec::new());
    s.flash = None;
}
