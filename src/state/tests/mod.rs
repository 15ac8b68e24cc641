//! Reducer tests: an action in, the state and the effects out. No I/O, no clock.

use std::time::Duration;

use super::*;
use crate::action::Edit;
use crate::domain::{
    ControllerState as S, ControllerUpdate, Job, JobState, RunnerController, Session, SessionState,
};

mod bookings;
mod bulk;
mod controllers;
mod detail;
mod filter;
mod regressions;

pub fn t0() -> Timestamp {
    "2026-11-22T10:00:00Z".parse().expect("time")
}

pub fn controller(id: i64, state: S, description: &str) -> RunnerController {
    RunnerController {
        id,
        description: Some(description.to_string()),
        state,
        created_at: Some(t0()),
        updated_at: Some(t0()),
        connected: None,
    }
}

pub fn fixture() -> Vec<RunnerController> {
    vec![
        controller(1, S::Enabled, "kas admission prod"),
        controller(2, S::Disabled, "fleet: arm64"),
        controller(3, S::DryRun, "GPU quota guard"),
        controller(4, S::Other("paused".into()), "from the future"),
    ]
}

pub fn state() -> State {
    let ctx = Context {
        instance_name: "prod".into(),
        gitlab_url: "https://gitlab.example.com".into(),
        credential: "env GITLAB_TOKEN".into(),
        vehaas_url: Some("https://vehaas.example.com".into()),
        ..Default::default()
    };
    State::new(t0(), ctx, Settings::default())
}

/// A state with the fixture loaded and controller `id` selected.
pub fn loaded(id: i64) -> State {
    let mut s = state();
    let fx = s.init();
    let Effect::LoadControllers { req } = fx[0] else {
        panic!("first effect loads controllers: {fx:?}");
    };
    update(
        &mut s,
        Action::ControllersLoaded {
            req,
            result: Ok(fixture()),
        },
    );
    s.controllers.select_id(id);
    s
}

pub fn set_state_effect(id: i64, to: S) -> Effect {
    Effect::UpdateController {
        id,
        update: ControllerUpdate {
            description: None,
            state: Some(to),
        },
        expected: Some(t0()),
    }
}

pub fn err500() -> ApiError {
    ApiError::Server {
        status: 500,
        message: "500 Internal Server Error".into(),
    }
}

pub fn session(id: &str, state: SessionState, end_in_min: i64, tag: Option<&str>) -> Session {
    let end = t0() + jiff::SignedDuration::from_mins(end_in_min);
    Session {
        id: id.into(),
        assembly_ref: format!("HIL-{id}"),
        owner: Some("m.keller".into()),
        state,
        start: Some(t0() - jiff::SignedDuration::from_hours(1)),
        end: Some(end),
        duration: None,
        gitlab_runner_tag: tag.map(str::to_string),
    }
}

pub fn bookings_loaded() -> State {
    let mut s = state();
    s.init();
    s.focus = Pane::Bookings;
    let req = s.bookings.remote.pending.expect("pending");
    let sessions = vec![
        session("3", SessionState::Active, 90, Some("vehaas-3")),
        session("1", SessionState::Active, 20, Some("vehaas-1")),
        session("2", SessionState::Ended, -60, None),
        session("4", SessionState::Scheduled, 240, None),
        session("5", SessionState::Released, 30, None),
        session("6", SessionState::Other("MAINTENANCE".into()), 30, None),
    ];
    update(
        &mut s,
        Action::SessionsLoaded {
            req,
            result: Ok(sessions),
        },
    );
    s
}

pub fn submit_request(s: &mut State, duration: &str) -> Vec<Effect> {
    update(s, Action::New);
    for c in "HIL-BENCH-01".chars() {
        update(s, Action::Edit(Edit::Char(c)));
    }
    update(s, Action::NextField);
    for c in duration.chars() {
        update(s, Action::Edit(Edit::Char(c)));
    }
    update(s, Action::Submit)
}

pub fn job(state: JobState, tag: Option<&str>) -> Job {
    let failed = state == JobState::Failed;
    Job {
        job_id: "job-1".into(),
        state,
        assembly_ref: Some("HIL-BENCH-01".into()),
        session_id: Some("9".into()),
        gitlab_runner_tag: tag.map(str::to_string),
        created_at: None,
        updated_at: None,
        error: failed.then(|| "HIL-BENCH-01 is on stock".to_string()),
    }
}

pub fn token(id: i64) -> crate::domain::ControllerToken {
    crate::domain::ControllerToken {
        id,
        runner_controller_id: 2,
        description: Some("kas agent".into()),
        last_used_at: None,
        created_at: Some(t0()),
        updated_at: Some(t0()),
    }
}

pub fn detail_of_2() -> State {
    let mut s = loaded(2);
    let fx = update(&mut s, Action::OpenDetail);
    for e in fx {
        match e {
            Effect::LoadTokens { req, id } => {
                update(
                    &mut s,
                    Action::TokensLoaded {
                        req,
                        id,
                        result: Ok(vec![token(10), token(11)]),
                    },
                );
            }
            Effect::LoadScopes { req, id } => {
                let scopes = crate::domain::Scopes {
                    instance: None,
                    runners: vec![crate::domain::RunnerScope {
                        runner_id: 3,
                        created_at: None,
                    }],
                };
                update(
                    &mut s,
                    Action::ScopesLoaded {
                        req,
                        id,
                        result: Ok(scopes),
                    },
                );
            }
            _ => {}
        }
    }
    s
}

pub fn type_filter(s: &mut State, text: &str) {
    update(s, Action::Filter);
    for c in text.chars() {
        update(s, Action::Edit(Edit::Char(c)));
    }
}

/// Answers the scopes request found in `fx` (as the runner would) and returns what follows.
pub fn answer_scopes(s: &mut State, fx: &[Effect], scopes: crate::domain::Scopes) -> Vec<Effect> {
    let Some(Effect::LoadScopes { req, id }) = fx
        .iter()
        .find(|e| matches!(e, Effect::LoadScopes { .. }))
        .cloned()
    else {
        panic!("no scopes request in {fx:?}");
    };
    update(
        s,
        Action::ScopesLoaded {
            req,
            id,
            result: Ok(scopes),
        },
    )
}

/// Presses ctrl-r and returns the id of the controllers request it sent.
pub fn refresh(s: &mut State) -> crate::effect::ReqId {
    let fx = update(s, Action::Refresh);
    fx.iter()
        .find_map(|e| match e {
            Effect::LoadControllers { req } => Some(*req),
            _ => None,
        })
        .expect("a refresh loads the controllers")
}

/// Requests a runner for 10 minutes and has veHaaS accept it; returns the request's local id.
pub fn accepted_request(s: &mut State) -> u64 {
    let fx = submit_request(s, "10m");
    let [Effect::RequestRunner { local_id, .. }] = &fx[..] else {
        panic!("one POST: {fx:?}");
    };
    let local_id = *local_id;
    update(
        s,
        Action::RunnerRequested {
            local_id,
            result: Ok(job(JobState::Queued, None)),
        },
    );
    local_id
}

/// The job finishes with `tag`; returns the sessions request that follows.
pub fn finish_request(s: &mut State, local_id: u64, tag: &str) -> crate::effect::ReqId {
    let fx = update(
        s,
        Action::JobPolled {
            local_id,
            result: Ok(job(JobState::Finished, Some(tag))),
        },
    );
    fx.iter()
        .find_map(|e| match e {
            Effect::LoadSessions { req } => Some(*req),
            _ => None,
        })
        .expect("sessions refreshed")
}
