//! What the simulated instance says about itself and about the caller's token:
//! `GET /api/v4/version` (and its mirror `/metadata`) and `GET /api/v4/personal_access_tokens/self`.
//! Both need a valid token only: no admin, no licence.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use jiff::SignedDuration;
use serde_json::json;

use super::gitlab::{GitlabSim, rails_time};
use super::gitlab_auth::{Access, authenticate};

/// `GET /api/v4/version`: the version string from `SimOptions::gitlab_version`.
pub(crate) async fn version(State(sim): State<GitlabSim>, headers: HeaderMap) -> Response {
    if let Err(r) = authenticate(&sim, &headers, Access::Read) {
        return r.into_response();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("localhost");
    let kas_version = sim.version.split('-').next().unwrap_or_default();
    Json(json!({
        "version": sim.version,
        "revision": "6f1c0a9e2b4",
        "kas": {
            "enabled": true,
            "externalUrl": format!("ws://{host}/-/kubernetes-agent/"),
            "externalK8sProxyUrl": format!("http://{host}/-/kubernetes-agent/k8s-proxy/"),
            "version": kas_version,
        },
        "enterprise": !sim.version.ends_with("-ce"),
    }))
    .into_response()
}

/// `GET /api/v4/personal_access_tokens/self`: the token that made the request.
pub(crate) async fn token_self(State(sim): State<GitlabSim>, headers: HeaderMap) -> Response {
    let pat = match authenticate(&sim, &headers, Access::Read) {
        Ok(p) => p,
        Err(r) => return r.into_response(),
    };
    let days = |n: i64| sim.started + SignedDuration::from_hours(24 * n);
    let expires_at = days(pat.expires_in_days)
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date()
        .to_string();
    let created_at = days(-pat.age_days);
    let last_used_at = sim.lock().pat_last_used.get(&pat.id).copied();
    Json(json!({
        "id": pat.id,
        "name": pat.name,
        "revoked": false,
        "created_at": rails_time(created_at),
        "description": null,
        "scopes": pat.scopes,
        "user_id": pat.user.id,
        "last_used_at": last_used_at.map(rails_time),
        "active": true,
        "expires_at": expires_at,
    }))
    .into_response()
}
