//! Authentication and authorisation of the GitLab simulator, in GitLab's order: 401 (no valid
//! token) -> 403 (scope, admin, Admin Mode) -> 404 (unlicensed). Also `GET /api/v4/user`.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::SignedDuration;
use serde_json::json;

use super::gitlab::GitlabSim;
use super::gitlab_identity::{self as identity, Pat, User};
use super::gitlab_params::{Reject, error, message, not_found, now_ms};

/// Whether a call reads or writes (writes need the `api` scope).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    Read,
    Write,
}

const EXPIRED_DESCRIPTION: &str =
    "Token is expired. You can either do re-authorization or token refresh.";

/// GitLab writes a token's `last_used_at` at most this often.
const LAST_USED_EVERY: SignedDuration = SignedDuration::from_mins(10);

/// The token from `PRIVATE-TOKEN`, else from `Authorization: Bearer`.
fn presented_token(headers: &HeaderMap) -> Option<&str> {
    if let Some(v) = headers.get("private-token").and_then(|v| v.to_str().ok()) {
        return Some(v.trim());
    }
    let auth = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, rest) = auth.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then_some(rest.trim())
}

fn unauthorized() -> Response {
    message(StatusCode::UNAUTHORIZED, "401 Unauthorized")
}

fn expired() -> Response {
    let mut resp = (
        StatusCode::UNAUTHORIZED,
        Json(json!({ "error": "invalid_token", "error_description": EXPIRED_DESCRIPTION })),
    )
        .into_response();
    let challenge = format!(
        "Bearer realm=\"\", error=\"invalid_token\", error_description=\"{EXPIRED_DESCRIPTION}\""
    );
    if let Ok(v) = HeaderValue::from_str(&challenge) {
        resp.headers_mut().insert(header::WWW_AUTHENTICATE, v);
    }
    resp
}

fn insufficient_scope() -> Response {
    (
        StatusCode::FORBIDDEN,
        Json(json!({
            "error": "insufficient_scope",
            "error_description":
                "The request requires higher privileges than provided by the access token.",
        })),
    )
        .into_response()
}

/// 401 / insufficient scope only: what every authenticated endpoint checks. A token that
/// passes is marked used, as GitLab does.
pub(crate) fn authenticate(
    sim: &GitlabSim,
    headers: &HeaderMap,
    access: Access,
) -> Result<&'static Pat, Reject> {
    let token = presented_token(headers).ok_or_else(unauthorized)?;
    let pat = identity::find(token).ok_or_else(unauthorized)?;
    if pat.expired() {
        return Err(Reject::from(expired()));
    }
    let api = pat.has_scope("api");
    if !api && !pat.has_scope("read_api") {
        return Err(Reject::from(insufficient_scope()));
    }
    if access == Access::Write && !api {
        return Err(Reject::from(insufficient_scope()));
    }
    let now = now_ms();
    let mut s = sim.lock();
    let last = s.pat_last_used.entry(pat.id).or_insert(now);
    if now.duration_since(*last) >= LAST_USED_EVERY {
        *last = now;
    }
    Ok(pat)
}

/// 401 -> 403: a valid token of an administrator (with `admin_mode` when Admin Mode is on).
/// Returns the acting user.
pub(crate) fn authorize_admin(
    sim: &GitlabSim,
    headers: &HeaderMap,
    access: Access,
) -> Result<&'static User, Reject> {
    let pat = authenticate(sim, headers, access)?;
    if !pat.user.admin || (sim.admin_mode && !pat.has_scope("admin_mode")) {
        return Err(Reject::from(message(
            StatusCode::FORBIDDEN,
            "403 Forbidden",
        )));
    }
    Ok(pat.user)
}

/// The full check of a licensed endpoint (runner controllers, audit events), up to and
/// including the licence. Returns the acting user.
pub(crate) fn authorize(
    sim: &GitlabSim,
    headers: &HeaderMap,
    access: Access,
) -> Result<&'static User, Reject> {
    let user = authorize_admin(sim, headers, access)?;
    if sim.unlicensed {
        return Err(Reject::from(not_found()));
    }
    Ok(user)
}

/// `GET /api/v4/user`: any valid token; not subject to the licence (the feature is, the user
/// endpoint is not).
pub(crate) async fn get_user(State(sim): State<GitlabSim>, headers: HeaderMap) -> Response {
    match authenticate(&sim, &headers, Access::Read) {
        Ok(pat) => Json(json!({
            "id": pat.user.id,
            "username": pat.user.username,
            "name": pat.user.name,
            "state": "active",
            "is_admin": pat.user.admin,
        }))
        .into_response(),
        Err(resp) => resp.into_response(),
    }
}

/// Grape's answer for a path it has no route for.
pub(crate) async fn route_not_found(State(_): State<GitlabSim>) -> Response {
    error(StatusCode::NOT_FOUND, "404 Not Found")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(name: &'static str, value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(name, HeaderValue::from_str(value).expect("header"));
        h
    }

    #[test]
    fn both_token_headers() {
        assert_eq!(
            presented_token(&headers("private-token", "abc")),
            Some("abc")
        );
        assert_eq!(
            presented_token(&headers("authorization", "Bearer abc")),
            Some("abc")
        );
        assert_eq!(
            presented_token(&headers("authorization", "Basic abc")),
            None
        );
    }
}
