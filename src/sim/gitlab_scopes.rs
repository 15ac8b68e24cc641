//! Handlers of `/api/v4/runner_controllers/:id/scopes[...]`: one instance scope or any number
//! of runner scopes (instance-type runners only), never both, with GitLab's 404/409/422 bodies.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::gitlab::{GitlabSim, Scoping, rails_time};
use super::gitlab_audit::{Change, record};
use super::gitlab_auth::{Access, authorize};
use super::gitlab_controllers::{Answer, done};
use super::gitlab_params::{ParamErrors, Reject, message, no_content, not_found, now_ms, path_int};
use super::gitlab_runners::{RunnerType, runner_not_found};

#[derive(Serialize)]
struct InstanceScopingJson {
    created_at: String,
    updated_at: String,
}

#[derive(Serialize)]
struct RunnerScopingJson {
    runner_id: i64,
    created_at: String,
    updated_at: String,
}

#[derive(Serialize)]
struct ScopesJson {
    instance_level_scopings: Vec<InstanceScopingJson>,
    runner_level_scopings: Vec<RunnerScopingJson>,
}

fn instance_json(s: &Scoping) -> InstanceScopingJson {
    InstanceScopingJson {
        created_at: rails_time(s.created_at),
        updated_at: rails_time(s.updated_at),
    }
}

fn runner_json(runner_id: i64, s: &Scoping) -> RunnerScopingJson {
    RunnerScopingJson {
        runner_id,
        created_at: rails_time(s.created_at),
        updated_at: rails_time(s.updated_at),
    }
}

fn conflict(msg: &str) -> Response {
    message(StatusCode::CONFLICT, msg)
}

pub(crate) async fn list(
    State(sim): State<GitlabSim>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    done((|| -> Answer {
        authorize(&sim, &headers, Access::Read)?;
        let id = path_int("id", &id)?;
        let s = sim.lock();
        let c = id
            .and_then(|id| s.controllers.get(&id))
            .ok_or_else(not_found)?;
        let body = ScopesJson {
            instance_level_scopings: c.instance_scope.iter().map(instance_json).collect(),
            runner_level_scopings: c
                .runner_scopes
                .iter()
                .map(|(r, sc)| runner_json(*r, sc))
                .collect(),
        };
        Ok(Json(body).into_response())
    })())
}

pub(crate) async fn add_instance(
    State(sim): State<GitlabSim>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    done((|| -> Answer {
        let user = authorize(&sim, &headers, Access::Write)?;
        let id = path_int("id", &id)?;
        let mut s = sim.lock();
        let c = id
            .and_then(|id| s.controllers.get_mut(&id))
            .ok_or_else(not_found)?;
        if c.instance_scope.is_some() {
            return Err(Reject::from(conflict(
                "Instance-level scope already exists for this runner controller",
            )));
        }
        if !c.runner_scopes.is_empty() {
            return Err(Reject::from(conflict(
                "Runner controller already has runner-level scopes. Remove them before adding instance-level scope.",
            )));
        }
        let id = c.id;
        let now = now_ms();
        let scoping = s.new_scoping(now);
        let body = instance_json(&scoping);
        let change = Change::InstanceScope {
            added: true,
            scoping_id: scoping.id,
        };
        if let Some(c) = s.controllers.get_mut(&id) {
            c.instance_scope = Some(scoping);
        }
        record(&mut s, user, now, change);
        Ok((StatusCode::CREATED, Json(body)).into_response())
    })())
}

pub(crate) async fn remove_instance(
    State(sim): State<GitlabSim>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    done((|| -> Answer {
        let user = authorize(&sim, &headers, Access::Write)?;
        let id = path_int("id", &id)?;
        let mut s = sim.lock();
        let c = id
            .and_then(|id| s.controllers.get_mut(&id))
            .ok_or_else(not_found)?;
        if let Some(gone) = c.instance_scope.take() {
            let change = Change::InstanceScope {
                added: false,
                scoping_id: gone.id,
            };
            record(&mut s, user, now_ms(), change);
        }
        Ok(no_content())
    })())
}

pub(crate) async fn add_runner(
    State(sim): State<GitlabSim>,
    Path((id, runner_id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    done((|| -> Answer {
        let user = authorize(&sim, &headers, Access::Write)?;
        let mut errors = ParamErrors::default();
        let id = errors.int("id", &id);
        let runner_id = errors.int("runner_id", &runner_id);
        errors.finish()?;
        let mut s = sim.lock();
        let id = id
            .filter(|id| s.controllers.contains_key(id))
            .ok_or_else(not_found)?;
        let (runner_id, kind) = runner_id
            .and_then(|r| s.runners.get(&r).map(|k| (r, k.runner_type)))
            .ok_or_else(runner_not_found)?;
        if kind != RunnerType::Instance {
            return Err(Reject::from(message(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Only instance-type runners can be scoped",
            )));
        }
        let c = s.controllers.get_mut(&id).ok_or_else(not_found)?;
        if c.instance_scope.is_some() {
            return Err(Reject::from(conflict(
                "Runner controller already has instance-level scope. Remove it before adding runner scopes.",
            )));
        }
        if c.runner_scopes.contains_key(&runner_id) {
            return Err(Reject::from(conflict(
                "Runner scope already exists for this runner controller",
            )));
        }
        let now = now_ms();
        let scoping = s.new_scoping(now);
        let body = runner_json(runner_id, &scoping);
        let change = Change::RunnerScope {
            added: true,
            scoping_id: scoping.id,
            runner_id,
        };
        if let Some(c) = s.controllers.get_mut(&id) {
            c.runner_scopes.insert(runner_id, scoping);
        }
        record(&mut s, user, now, change);
        Ok((StatusCode::CREATED, Json(body)).into_response())
    })())
}

pub(crate) async fn remove_runner(
    State(sim): State<GitlabSim>,
    Path((id, runner_id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    done((|| -> Answer {
        let user = authorize(&sim, &headers, Access::Write)?;
        let mut errors = ParamErrors::default();
        let id = errors.int("id", &id);
        let runner_id = errors.int("runner_id", &runner_id);
        errors.finish()?;
        let mut s = sim.lock();
        let id = id
            .filter(|id| s.controllers.contains_key(id))
            .ok_or_else(not_found)?;
        let runner_id = runner_id
            .filter(|r| s.runners.contains_key(r))
            .ok_or_else(runner_not_found)?;
        let gone = s
            .controllers
            .get_mut(&id)
            .and_then(|c| c.runner_scopes.remove(&runner_id));
        if let Some(gone) = gone {
            let change = Change::RunnerScope {
                added: false,
                scoping_id: gone.id,
                runner_id,
            };
            record(&mut s, user, now_ms(), change);
        }
        Ok(no_content())
    })())
}
