//! Reducer tests: a message in (an intent, an outcome or a tick), the state and the effects out.
//! No I/O, no clock: time only arrives as `Msg::Tick`, and the executor is played by hand (a
//! change's effect is taken out of the effects and answered with an `Outcome::Changed`).

use std::sync::Arc;
use std::time::Duration;

use super::*;
use crate::api::Failure;
use crate::domain::{
    ControllerId, ControllerState as S, ControllerToken, ControllerUpdate, Job, JobId, JobState,
    NewToken, RequestKey, RunnerController, RunnerId, RunnerScope, ScopeInfo, Scopes, Session,
    SessionId, SessionState, Stamp, TokenId,
};
use crate::msg::Edit;
use crate::ops::{Change, Done, OpError};

mod bookings;
mod bulk;
mod controllers;
mod detail;
mod filter;
mod properties;
mod regressions;
mod reported_changes;
mod reported_requests;
mod reported_safety;

pub fn t0() -> Timestamp {
    "2026-11-22T10:00:00Z".parse().expect("time")
}

/// `secs` after `t0`.
pub fn at(secs: u64) -> Timestamp {
    t0() + Duration::from_secs(secs)
}

/// A server's `updated_at`, `secs` after `t0`.
pub fn stamp(secs: u64) -> Stamp {
    Stamp::from(at(secs))
}

pub fn cid(id: i64) -> ControllerId {
    ControllerId(id)
}

pub fn controller(id: i64, state: S, description: &str) -> RunnerController {
    RunnerController {
        id: ControllerId(id),
        description: Some(description.to_string()),
        state,
        created_at: Some(stamp(0)),
        updated_at: Some(stamp(0)),
        connected: None,
    }
}

/// `c` as the server has it after a change made `secs` after `t0`.
pub fn version(mut c: RunnerController, secs: u64) -> RunnerController {
    c.updated_at = Some(stamp(secs));
    c
}

pub fn fixture() -> Vec<RunnerController> {
    vec![
        controller(1, S::Enabled, "kas admission prod"),
        controller(2, S::Disabled, "fleet: arm64"),
        controller(3, S::DryRun, "GPU quota guard"),
        controller(4, S::Other("paused".into()), "from the future"),
    ]
}

/// Row `id` of the fixture.
pub fn row(id: i64) -> RunnerController {
    fixture()
        .into_iter()
        .find(|c| c.id == ControllerId(id))
        .expect("a fixture row")
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

/// A state with `rows` loaded and controller `id` selected.
pub fn loaded_with(rows: Vec<RunnerController>, id: i64) -> State {
    let mut s = state();
    let fx = s.init();
    let Effect::Load(Load::Controllers { req }) = fx[0] else {
        panic!("first effect loads controllers: {fx:?}");
    };
    list_loaded(&mut s, req, rows);
    s.controllers.select_id(ControllerId(id));
    s
}

/// A state with the fixture loaded and controller `id` selected.
pub fn loaded(id: i64) -> State {
    loaded_with(fixture(), id)
}

/// The controllers list `req` answers with `rows`.
pub fn list_loaded(s: &mut State, req: ReqId, rows: Vec<RunnerController>) -> Vec<Effect> {
    update(
        s,
        Outcome::ControllersLoaded {
            req,
            result: Ok(rows),
        },
    )
}

/// The change that sets `id` to `to`, based on the fixture's version.
pub fn set_state_change(id: i64, to: S) -> Change {
    Change::UpdateController {
        id: ControllerId(id),
        update: ControllerUpdate {
            description: None,
            state: Some(to),
        },
        based_on: Some(Some(stamp(0))),
    }
}

/// The changes among `fx`, in order.
pub fn changes(fx: &[Effect]) -> Vec<(ChangeId, Change)> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Change { id, change } => Some((*id, change.clone())),
            _ => None,
        })
        .collect()
}

/// What the changes among `fx` ask for, without their ids.
pub fn sent(fx: &[Effect]) -> Vec<Change> {
    changes(fx).into_iter().map(|(_, c)| c).collect()
}

/// The one change among `fx`.
pub fn one_change(fx: &[Effect]) -> (ChangeId, Change) {
    match &changes(fx)[..] {
        [one] => one.clone(),
        other => panic!("expected one change, got {other:?} in {fx:?}"),
    }
}

/// The executor's answer to change `id`.
pub fn answer(s: &mut State, id: ChangeId, result: Result<Done, OpError>) -> Vec<Effect> {
    update(s, Outcome::Changed { id, result })
}

/// Answers the one change among `fx` with `result`.
pub fn answer_change(s: &mut State, fx: &[Effect], result: Result<Done, OpError>) -> Vec<Effect> {
    let (id, _) = one_change(fx);
    answer(s, id, result)
}

/// The one controller update among `fx` went through: the server had `before`, now `after`.
pub fn updated(
    s: &mut State,
    fx: &[Effect],
    before: RunnerController,
    after: RunnerController,
) -> Vec<Effect> {
    answer_change(s, fx, Ok(Done::Updated { before, after }))
}

/// The server (or the network) said no, with a request id.
pub fn failure(error: ApiError) -> OpError {
    OpError::Api(Failure {
        error,
        request_id: Some("req-7f3a".into()),
    })
}

/// The executor's stale check: the server has `server`, newer than what the change was based on.
pub fn elsewhere(server: RunnerController) -> OpError {
    OpError::ChangedElsewhere {
        server: Box::new(server),
    }
}

pub fn err500() -> ApiError {
    ApiError::Server {
        status: 500,
        message: "500 Internal Server Error".into(),
    }
}

pub fn no_scopes() -> Scopes {
    Scopes::default()
}

pub fn instance_scope() -> Scopes {
    Scopes {
        instance: Some(ScopeInfo::default()),
        runners: vec![],
    }
}

pub fn runner_scope(runner: i64) -> Scopes {
    Scopes {
        instance: None,
        runners: vec![RunnerScope {
            runner_id: RunnerId(runner),
            created_at: None,
        }],
    }
}

/// The scope reads among `fx`: (request, controller).
pub fn scope_reads(fx: &[Effect]) -> Vec<(ReqId, ControllerId)> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Load(Load::Scopes { req, id }) => Some((*req, *id)),
            _ => None,
        })
        .collect()
}

/// The scopes read `req` of `id` answers.
pub fn scopes_loaded(
    s: &mut State,
    req: ReqId,
    id: ControllerId,
    result: Result<Scopes, ApiError>,
) -> Vec<Effect> {
    update(s, Outcome::ScopesLoaded { req, id, result })
}

/// Answers the first scopes read found in `fx` and returns what follows.
pub fn answer_scopes(s: &mut State, fx: &[Effect], scopes: Scopes) -> Vec<Effect> {
    let Some((req, id)) = scope_reads(fx).first().copied() else {
        panic!("no scopes read in {fx:?}");
    };
    scopes_loaded(s, req, id, Ok(scopes))
}

/// Answers the scopes read of controller `id` found in `fx`.
pub fn answer_scopes_of(
    s: &mut State,
    fx: &[Effect],
    id: i64,
    result: Result<Scopes, ApiError>,
) -> Vec<Effect> {
    let Some((req, id)) = scope_reads(fx)
        .into_iter()
        .find(|(_, c)| *c == ControllerId(id))
    else {
        panic!("no scopes read of {id} in {fx:?}");
    };
    scopes_loaded(s, req, id, result)
}

/// The controllers read among `fx`.
pub fn list_read(fx: &[Effect]) -> Option<ReqId> {
    fx.iter().find_map(|e| match e {
        Effect::Load(Load::Controllers { req }) => Some(*req),
        _ => None,
    })
}

/// The sessions read among `fx`.
pub fn sessions_read(fx: &[Effect]) -> Option<ReqId> {
    fx.iter().find_map(|e| match e {
        Effect::Load(Load::Sessions { req }) => Some(*req),
        _ => None,
    })
}

/// Presses ctrl-r and returns the id of the controllers request it sent.
pub fn refresh(s: &mut State) -> ReqId {
    let fx = update(s, Intent::Refresh);
    list_read(&fx).expect("a refresh loads the controllers")
}

pub fn tick(s: &mut State, now: Timestamp) -> Vec<Effect> {
    update(s, Msg::Tick { now })
}

/// What the flash says now.
pub fn note(s: &State) -> Option<&Note> {
    s.flash.as_ref().map(|f| &f.note)
}

/// The open confirmation.
pub fn confirm(s: &State) -> &Confirm {
    match &s.dialog {
        Some(Dialog::Confirm(c)) => c,
        other => panic!("expected a confirmation, got {other:?}"),
    }
}

pub fn type_text(s: &mut State, text: &str) {
    for c in text.chars() {
        update(s, Intent::Edit(Edit::Char(c)));
    }
}

/// Opens the state picker on the selection and moves to `to` (from the top: disabled,
/// enabled, dry_run), then applies it.
pub fn pick(s: &mut State, to: S) -> Vec<Effect> {
    update(s, Intent::PickState);
    update(s, Intent::Top);
    let at = S::KNOWN
        .iter()
        .position(|k| *k == to)
        .expect("a known state");
    for _ in 0..at {
        update(s, Intent::Down);
    }
    update(s, Intent::Submit)
}

/// Deletes the selected controller: asked, yes, the fresh scopes read says none, sent, and
/// the server answers that it is gone.
pub fn delete_selected(s: &mut State) {
    let target = s
        .controllers
        .selected_controller()
        .cloned()
        .expect("selected");
    let asked = update(s, Intent::Delete);
    update(s, Intent::Answer(true));
    let fx = answer_scopes(s, &asked, no_scopes());
    answer_change(s, &fx, Ok(Done::Deleted { before: target }));
}

pub fn session(id: &str, state: SessionState, end_in_min: i64, tag: Option<&str>) -> Session {
    let end = t0() + jiff::SignedDuration::from_mins(end_in_min);
    Session {
        id: id.into(),
        assembly_ref: format!("HIL-{id}"),
        owner: Some("m.keller".into()),
        state,
        start: Some((t0() - jiff::SignedDuration::from_hours(1)).into()),
        end: Some(end.into()),
        duration: None,
        gitlab_runner_tag: tag.map(str::to_string),
    }
}

pub fn skey(id: &str) -> BookingKey {
    BookingKey::Session(SessionId::from(id))
}

/// The keys of the visible bookings rows.
pub fn booking_keys(s: &State) -> Vec<BookingKey> {
    s.bookings.rows().map(|r| r.key()).collect()
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
        Outcome::SessionsLoaded {
            req,
            result: Ok(sessions),
        },
    );
    s
}

pub fn sessions_loaded(s: &mut State, req: ReqId, sessions: Vec<Session>) -> Vec<Effect> {
    update(
        s,
        Outcome::SessionsLoaded {
            req,
            result: Ok(sessions),
        },
    )
}

/// Fills in the runner request form for HIL-BENCH-01 and submits it.
pub fn submit_request(s: &mut State, duration: &str) -> Vec<Effect> {
    update(s, Intent::New);
    type_text(s, "HIL-BENCH-01");
    update(s, Intent::NextField);
    type_text(s, duration);
    update(s, Intent::Submit)
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

/// The request a runner request's change follows.
pub fn request_key(id: ChangeId) -> RequestKey {
    RequestKey(id.0)
}

/// The runner request `key`, as the pane has it.
pub fn pending_request(s: &State, key: RequestKey) -> &PendingRequest {
    s.bookings
        .requests
        .iter()
        .find(|r| r.key == key)
        .expect("the request is listed")
}

/// Requests a runner for 10 minutes and has veHaaS accept it; returns the request's key.
pub fn accepted_request(s: &mut State) -> RequestKey {
    let fx = submit_request(s, "10m");
    let (id, change) = one_change(&fx);
    assert!(matches!(change, Change::RequestRunner { .. }), "{change:?}");
    answer(
        s,
        id,
        Ok(Done::RunnerRequested(job(JobState::Queued, None))),
    );
    request_key(id)
}

pub fn polled(s: &mut State, key: RequestKey, result: Result<Job, ApiError>) -> Vec<Effect> {
    update(s, Outcome::JobPolled { key, result })
}

/// The job finishes with `tag`; returns the sessions request that follows.
pub fn finish_request(s: &mut State, key: RequestKey, tag: &str) -> ReqId {
    let fx = polled(s, key, Ok(job(JobState::Finished, Some(tag))));
    sessions_read(&fx).expect("sessions refreshed")
}

pub fn token(id: i64) -> ControllerToken {
    ControllerToken {
        id: TokenId(id),
        runner_controller_id: ControllerId(2),
        description: Some("kas agent".into()),
        last_used_at: None,
        created_at: Some(stamp(0)),
        updated_at: Some(stamp(0)),
    }
}

/// A new token's secret, as the executor hands it over once.
pub fn new_token(id: i64) -> Arc<NewToken> {
    Arc::new(NewToken {
        token: token(id),
        secret: secrecy::SecretString::from(format!("glrct-FAKEFAKE{id}")),
    })
}

/// Opens the detail of controller `id` and answers its reads: the controller as listed,
/// tokens 10 and 11, and `scopes`.
pub fn detail_with(id: i64, scopes: Scopes) -> State {
    let mut s = loaded(id);
    let fx = update(&mut s, Intent::OpenDetail);
    for e in fx {
        let Effect::Load(load) = e else { continue };
        match load {
            Load::Controller { req, .. } => {
                let c = s
                    .controllers
                    .get(ControllerId(id))
                    .cloned()
                    .expect("listed");
                update(&mut s, Outcome::ControllerLoaded { req, result: Ok(c) });
            }
            Load::Tokens { req, id } => {
                update(
                    &mut s,
                    Outcome::TokensLoaded {
                        req,
                        id,
                        result: Ok(vec![token(10), token(11)]),
                    },
                );
            }
            Load::Scopes { req, id } => {
                scopes_loaded(&mut s, req, id, Ok(scopes.clone()));
            }
            _ => {}
        }
    }
    s
}

/// The detail of controller 2 (disabled): runner #3 scoped, tokens 10 and 11.
pub fn detail_of_2() -> State {
    detail_with(2, runner_scope(3))
}

pub fn type_filter(s: &mut State, text: &str) {
    update(s, Intent::Filter);
    type_text(s, text);
}
