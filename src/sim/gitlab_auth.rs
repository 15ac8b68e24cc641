//! Authentication and authorisation of the GitLab simulator, in GitLab's order: 401 (no valid
//! token) -> 403 (scope, admin, Admin Mode) -> 404 (unlicensed). Also `GET /api/v4/user`.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::gitlab::{
    ADMIN_TOKEN, EXPIRED_TOKEN, GitlabSim, NO_ADMIN_MODE_TOKEN, READ_TOKEN, USER_TOKEN,
};
use super::gitlab_params::{Reject, error, message, not_found};

/// Whether a call reads or writes (writes need the `api` scope).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    Read,
    Write,
}

struct Identity {
    user_id: i64,
    username: &'static str,
    name: &'static str,
    admin: bool,
    api: bool,
    admin_mode_scope: bool,
}

const EXPIRED_DESCRIPTION: &str =
    "Token is expired. You can either do re-authorization or token refresh.";

fn lookup(token: &str) -> Option<Identity> {
    let root = |api, admin_mode_scope| Identity {
        user_id: 1,
        username: "root",
        name: "Administrator",
        admin: true,
        api,
        admin_mode_scope,
    };
    match token {
        ADMIN_TOKEN => Some(root(true, true)),
        READ_TOKEN => Some(root(false, false)),
        NO_ADMIN_MODE_TOKEN => Some(root(true, false)),
        USER_TOKEN => Some(Identity {
            user_id: 2,
            username: "dev",
            name: "Dana Developer",
            admin: false,
            api: true,
            admin_mode_scope: false,
        }),
        _ => None,
    }
}

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

/// 401 / insufficient scope only: what every authenticated endpoint checks.
fn authenticate(headers: &HeaderMap, access: Access) -> Result<Identity, Reject> {
    let token = presented_token(headers).ok_or_else(unauthorized)?;
    if token == EXPIRED_TOKEN {
        return Err(Reject::from(expired()));
    }
    let who = lookup(token).ok_or_else(unauthorized)?;
    if access == Access::Write && !who.api {
        return Err(Reject::from(insufficient_scope()));
    }
    Ok(who)
}

/// The full check of a runner controllers endpoint, up to and including the licence.
pub(crate) fn authorize(
    sim: &GitlabSim,
    headers: &HeaderMap,
    access: Access,
) -> Result<(), Reject> {
    let who = authenticate(headers, access)?;
    if !who.admin || (sim.admin_mode && !who.admin_mode_scope) {
        return Err(Reject::from(message(
            StatusCode::FORBIDDEN,
            "403 Forbidden",
        )));
    }
    if sim.unlicensed {
        return Err(Reject::from(not_found()));
    }
    Ok(())
}

/// `GET /api/v4/user`: any valid token; not subject to the licence (the feature is, the user
/// endpoint is not).
pub(crate) async fn get_user(headers: HeaderMap) -> Response {
    match authenticate(&headers, Access::Read) {
        Ok(who) => Json(json!({
            "id": who.user_id,
            "username": who.username,
            "name": who.name,
            "state": "active",
            "is_admin": who.admin,
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
