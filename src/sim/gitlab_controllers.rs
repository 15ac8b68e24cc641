//! Handlers of `/api/v4/runner_controllers[/:id]`: list, get, create, update, delete, with
//! GitLab's check order (auth -> licence -> parameters -> unknown id -> model validation).

use std::collections::BTreeMap;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use jiff::{SignedDuration, Timestamp};

use super::gitlab::{Controller, ControllerJson, GitlabSim, GitlabState};
use super::gitlab_audit::{Change, record};
use super::gitlab_auth::{Access, authorize};
use super::gitlab_params::{
    ParamErrors, Params, Reject, check_description, message, no_content, not_found, now_ms,
    path_int,
};
use super::pagination::{LinkBase, PageRequest, respond_page};

pub(crate) use super::gitlab_params::{Answer, done};

/// An active token of the controller was used in the last hour.
fn connected(s: &GitlabState, id: i64, now: Timestamp) -> bool {
    let hour_ago = now - SignedDuration::from_hours(1);
    s.active_tokens(id)
        .any(|t| t.last_used_at.is_some_and(|u| u >= hour_ago))
}

pub(crate) async fn list(State(sim): State<GitlabSim>, headers: HeaderMap, uri: Uri) -> Response {
    done(list_inner(&sim, &headers, &uri))
}

fn list_inner(sim: &GitlabSim, headers: &HeaderMap, uri: &Uri) -> Answer {
    authorize(sim, headers, Access::Read)?;
    let params = Params::parse(headers, uri.query(), &Bytes::new())?;
    let mut errors = ParamErrors::default();
    let page = PageRequest::parse(&params, &mut errors);
    errors.finish()?;
    let s = sim.lock();
    let rows: Vec<ControllerJson> = s
        .controllers
        .values()
        .skip(page.offset())
        .take(page.limit())
        .map(|c| ControllerJson::new(c, None))
        .collect();
    let (total, limit) = (s.controllers.len(), s.count_limit);
    drop(s);
    Ok(respond_page(
        rows,
        total,
        page,
        &LinkBase::new(headers, uri.path(), uri.query()),
        limit,
    ))
}

pub(crate) async fn get_one(
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
        let json = ControllerJson::new(c, Some(connected(&s, c.id, Timestamp::now())));
        Ok(Json(json).into_response())
    })())
}

pub(crate) async fn create(
    State(sim): State<GitlabSim>,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Response {
    done((|| -> Answer {
        let user = authorize(&sim, &headers, Access::Write)?;
        let params = Params::parse(&headers, uri.query(), &body)?;
        let mut errors = ParamErrors::default();
        let description = params.description(&mut errors);
        let state = params.state(&mut errors);
        errors.finish()?;
        check_description(&description)?;
        let now = now_ms();
        let mut s = sim.lock();
        let id = s.next_controller_id;
        s.next_controller_id += 1;
        let c = Controller {
            id,
            description: description.flatten(),
            state: state.unwrap_or_else(|| "disabled".into()),
            created_at: now,
            updated_at: now,
            instance_scope: None,
            runner_scopes: BTreeMap::new(),
        };
        let json = ControllerJson::new(&c, None);
        let change = Change::ControllerCreated {
            id,
            description: c.description.clone(),
            state: c.state.clone(),
        };
        s.controllers.insert(id, c);
        record(&mut s, user, now, change);
        Ok((StatusCode::CREATED, Json(json)).into_response())
    })())
}

pub(crate) async fn update(
    State(sim): State<GitlabSim>,
    Path(id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Response {
    done((|| -> Answer {
        let user = authorize(&sim, &headers, Access::Write)?;
        let params = Params::parse(&headers, uri.query(), &body)?;
        let mut errors = ParamErrors::default();
        let id = errors.int("id", &id);
        let description = params.description(&mut errors);
        let state = params.state(&mut errors);
        errors.finish()?;
        let mut s = sim.lock();
        let c = id
            .and_then(|id| s.controllers.get_mut(&id))
            .ok_or_else(not_found)?;
        check_description(&description)?;
        let mut changed = false;
        if let Some(d) = description
            && c.description != d
        {
            c.description = d;
            changed = true;
        }
        let mut state_change = None;
        if let Some(st) = state
            && c.state != st
        {
            let from = std::mem::replace(&mut c.state, st);
            state_change = Some((from, c.state.clone()));
            changed = true;
        }
        // Like Rails, a save without changes leaves `updated_at` alone (and audits nothing).
        if changed {
            c.updated_at = now_ms().max(c.updated_at);
        }
        let json = ControllerJson::new(c, None);
        let change = changed.then(|| Change::ControllerUpdated {
            id: c.id,
            description: c.description.clone(),
            state: state_change,
        });
        let at = c.updated_at;
        if let Some(change) = change {
            record(&mut s, user, at, change);
        }
        Ok(Json(json).into_response())
    })())
}

/// `If-Unmodified-Since` as GitLab reads it (`Time.parse`): an HTTP date or an RFC 3339 time;
/// anything unparsable is ignored.
fn if_unmodified_since(headers: &HeaderMap) -> Option<Timestamp> {
    let raw = headers
        .get(header::IF_UNMODIFIED_SINCE)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(z) = jiff::fmt::rfc2822::parse(raw) {
        return Some(z.timestamp());
    }
    raw.parse::<Timestamp>().ok()
}

pub(crate) async fn destroy(
    State(sim): State<GitlabSim>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    done((|| -> Answer {
        let user = authorize(&sim, &headers, Access::Write)?;
        let id = path_int("id", &id)?;
        let mut s = sim.lock();
        let c = id
            .and_then(|id| s.controllers.get(&id))
            .ok_or_else(not_found)?;
        if let Some(since) = if_unmodified_since(&headers)
            && c.updated_at > since
        {
            return Err(Reject::from(message(
                StatusCode::PRECONDITION_FAILED,
                "412 Precondition Failed",
            )));
        }
        let change = Change::ControllerDeleted {
            id: c.id,
            description: c.description.clone(),
        };
        let id = c.id;
        s.controllers.remove(&id);
        s.tokens.retain(|_, t| t.controller_id != id);
        record(&mut s, user, now_ms(), change);
        Ok(no_content())
    })())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn reads_both_date_forms() {
        let mut h = HeaderMap::new();
        h.insert(
            header::IF_UNMODIFIED_SINCE,
            HeaderValue::from_static("Mon, 05 Jan 2026 10:20:30 GMT"),
        );
        let t: Timestamp = "2026-01-05T10:20:30Z".parse().expect("time");
        assert_eq!(if_unmodified_since(&h), Some(t));
        h.insert(
            header::IF_UNMODIFIED_SINCE,
            HeaderValue::from_static("2026-01-05T10:20:30.000Z"),
        );
        assert_eq!(if_unmodified_since(&h), Some(t));
        h.insert(
            header::IF_UNMODIFIED_SINCE,
            HeaderValue::from_static("soon"),
        );
        assert_eq!(if_unmodified_since(&h), None);
    }
}
