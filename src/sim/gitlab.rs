//! The GitLab runner controllers simulator: its state, its wire shapes (own serde structs,
//! never the client's DTOs) and its routes under `/api/v4`. Handlers live in `gitlab_*.rs`.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;
use axum::routing::{any, get, post};
use jiff::Timestamp;
use serde::Serialize;

use super::SimOptions;
use super::gitlab_audit::AuditEvent;
use super::gitlab_runners::{self as runners, Runner};
use super::{gitlab_about as about, gitlab_audit_http as audit, gitlab_auth};
use super::{gitlab_controllers as ctl, gitlab_scopes as sc, gitlab_tokens as tk};

/// Admin, scopes `api` and `admin_mode`.
pub const ADMIN_TOKEN: &str = "sim-admin-token";
/// Admin, scope `read_api` only.
pub const READ_TOKEN: &str = "sim-read-token";
/// Not an admin.
pub const USER_TOKEN: &str = "sim-user-token";
/// Expired.
pub const EXPIRED_TOKEN: &str = "sim-expired-token";
/// Admin, scope `api` without `admin_mode`.
pub const NO_ADMIN_MODE_TOKEN: &str = "sim-admin-noadminmode-token";
/// Admin, scopes `api` and `admin_mode`, like `ADMIN_TOKEN`, but it expires in 5 days.
pub const EXPIRING_TOKEN: &str = "sim-expiring-token";

/// Past this many rows GitLab leaves out `X-Total`, `X-Total-Pages` and `rel="last"`.
pub const COUNT_LIMIT: usize = 10_000;

#[derive(Debug, Clone)]
pub(crate) struct Scoping {
    /// Never served; audit events name the scoping by it.
    pub(crate) id: i64,
    pub(crate) created_at: Timestamp,
    pub(crate) updated_at: Timestamp,
}

#[derive(Debug, Clone)]
pub(crate) struct Controller {
    pub(crate) id: i64,
    pub(crate) description: Option<String>,
    pub(crate) state: String,
    pub(crate) created_at: Timestamp,
    pub(crate) updated_at: Timestamp,
    pub(crate) instance_scope: Option<Scoping>,
    pub(crate) runner_scopes: BTreeMap<i64, Scoping>,
}

#[derive(Debug, Clone)]
pub(crate) struct Token {
    pub(crate) id: i64,
    pub(crate) controller_id: i64,
    pub(crate) description: Option<String>,
    /// Only a digest of the secret is kept, as GitLab does.
    pub(crate) digest: u64,
    pub(crate) revoked: bool,
    pub(crate) last_used_at: Option<Timestamp>,
    pub(crate) created_at: Timestamp,
    pub(crate) updated_at: Timestamp,
}

#[derive(Debug)]
pub(crate) struct GitlabState {
    pub(crate) controllers: BTreeMap<i64, Controller>,
    /// All tokens ever made, revoked ones included (they are never served).
    pub(crate) tokens: BTreeMap<i64, Token>,
    pub(crate) runners: BTreeMap<i64, Runner>,
    /// The instance audit log, oldest first.
    pub(crate) audit: Vec<AuditEvent>,
    /// When each personal access token (by id) was last used.
    pub(crate) pat_last_used: BTreeMap<i64, Timestamp>,
    pub(crate) next_controller_id: i64,
    pub(crate) next_token_id: i64,
    pub(crate) next_scoping_id: i64,
    pub(crate) next_audit_id: i64,
    pub(crate) secret_counter: u64,
    pub(crate) count_limit: usize,
}

impl GitlabState {
    fn new(now: Timestamp) -> Self {
        Self {
            controllers: BTreeMap::new(),
            tokens: BTreeMap::new(),
            runners: runners::fleet(now),
            audit: Vec::new(),
            pat_last_used: BTreeMap::new(),
            next_controller_id: 1,
            next_token_id: 1,
            next_scoping_id: 1,
            next_audit_id: 1,
            secret_counter: 0,
            count_limit: COUNT_LIMIT,
        }
    }

    #[cfg(test)]
    pub(crate) fn new_for_tests() -> Self {
        Self::new(Timestamp::now())
    }

    /// A new scoping made at `at`, with a fresh id.
    pub(crate) fn new_scoping(&mut self, at: Timestamp) -> Scoping {
        let id = self.next_scoping_id;
        self.next_scoping_id += 1;
        Scoping {
            id,
            created_at: at,
            updated_at: at,
        }
    }

    pub(crate) fn active_tokens(&self, controller_id: i64) -> impl Iterator<Item = &Token> {
        self.tokens
            .values()
            .filter(move |t| t.controller_id == controller_id && !t.revoked)
    }
}

/// The GitLab side of the simulator; a cheap cloneable handle.
#[derive(Debug, Clone)]
pub struct GitlabSim {
    pub(crate) state: Arc<Mutex<GitlabState>>,
    pub(crate) unlicensed: bool,
    pub(crate) admin_mode: bool,
    pub(crate) version: String,
    pub(crate) audit_name_in_details_only: bool,
    /// The simulator's start: token expiry dates count from it.
    pub(crate) started: Timestamp,
}

impl GitlabSim {
    pub fn new(opts: &SimOptions) -> Self {
        let now = super::gitlab_params::now_ms();
        let mut state = GitlabState::new(now);
        if opts.seed {
            super::seed::seed(&mut state, now);
        }
        state.count_limit = opts.count_limit;
        let sim = Self {
            state: Arc::new(Mutex::new(state)),
            unlicensed: opts.unlicensed,
            admin_mode: opts.admin_mode,
            version: opts.gitlab_version.clone(),
            audit_name_in_details_only: opts.audit_event_name_in_details_only,
            started: now,
        };
        let have = sim.lock().controllers.len();
        sim.add_controllers(opts.controllers.saturating_sub(have));
        sim
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, GitlabState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// `None` if there is no such controller.
    pub fn controller_state(&self, id: i64) -> Option<String> {
        self.lock().controllers.get(&id).map(|c| c.state.clone())
    }

    /// `None` if there is no such controller, `Some(None)` if its description is null.
    pub fn controller_description(&self, id: i64) -> Option<Option<String>> {
        self.lock()
            .controllers
            .get(&id)
            .map(|c| c.description.clone())
    }

    /// Ids of all controllers, ascending.
    pub fn controller_ids(&self) -> Vec<i64> {
        self.lock().controllers.keys().copied().collect()
    }

    /// Ids of the active (not revoked) tokens of a controller, ascending.
    pub fn token_ids(&self, controller_id: i64) -> Vec<i64> {
        self.lock()
            .active_tokens(controller_id)
            .map(|t| t.id)
            .collect()
    }

    /// The id of the active token whose secret this is (checked against the stored digest).
    pub fn verify_token(&self, secret: &str) -> Option<i64> {
        let d = super::gitlab_tokens::digest(secret);
        self.lock()
            .tokens
            .values()
            .find(|t| !t.revoked && t.digest == d)
            .map(|t| t.id)
    }

    /// Runner ids the controller is scoped to, and whether it has the instance scope.
    pub fn scopes(&self, controller_id: i64) -> Option<(bool, Vec<i64>)> {
        self.lock().controllers.get(&controller_id).map(|c| {
            (
                c.instance_scope.is_some(),
                c.runner_scopes.keys().copied().collect(),
            )
        })
    }

    /// Lowers the row count past which totals are left out (GitLab: 10,000), so tests can
    /// see that behaviour without 10,000 rows.
    #[doc(hidden)]
    pub fn set_count_limit(&self, limit: usize) {
        self.lock().count_limit = limit;
    }

    /// Adds `n` controllers with a generated description (for benchmarks and big lists).
    pub fn add_controllers(&self, n: usize) {
        let now = super::gitlab_params::now_ms();
        let mut s = self.lock();
        for i in 0..n {
            let id = s.next_controller_id;
            s.next_controller_id += 1;
            s.controllers.insert(
                id,
                Controller {
                    id,
                    description: Some(format!("bulk controller {i}")),
                    state: "disabled".into(),
                    created_at: now,
                    updated_at: now,
                    instance_scope: None,
                    runner_scopes: BTreeMap::new(),
                },
            );
        }
    }
}

/// Rails' JSON time: milliseconds and `Z`.
pub(crate) fn rails_time(t: Timestamp) -> String {
    format!("{t:.3}")
}

#[derive(Serialize)]
pub(crate) struct ControllerJson {
    id: i64,
    description: Option<String>,
    state: String,
    created_at: String,
    updated_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    connected: Option<bool>,
}

impl ControllerJson {
    pub(crate) fn new(c: &Controller, connected: Option<bool>) -> Self {
        Self {
            id: c.id,
            description: c.description.clone(),
            state: c.state.clone(),
            created_at: rails_time(c.created_at),
            updated_at: rails_time(c.updated_at),
            connected,
        }
    }
}

#[derive(Serialize)]
pub(crate) struct TokenJson {
    id: i64,
    runner_controller_id: i64,
    description: Option<String>,
    last_used_at: Option<String>,
    created_at: String,
    updated_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    token: Option<String>,
}

impl TokenJson {
    pub(crate) fn new(t: &Token, secret: Option<String>) -> Self {
        Self {
            id: t.id,
            runner_controller_id: t.controller_id,
            description: t.description.clone(),
            last_used_at: t.last_used_at.map(rails_time),
            created_at: rails_time(t.created_at),
            updated_at: rails_time(t.updated_at),
            token: secret,
        }
    }
}

/// Every route under `/api/v4` this simulator knows; anything else is GitLab's routing 404.
pub fn router(sim: GitlabSim) -> Router {
    Router::new()
        .route("/api/v4/user", get(gitlab_auth::get_user))
        .route("/api/v4/version", get(about::version))
        .route("/api/v4/metadata", get(about::version))
        .route(
            "/api/v4/personal_access_tokens/self",
            get(about::token_self),
        )
        .route("/api/v4/runners/{id}", get(runners::get_one))
        .route("/api/v4/audit_events", get(audit::list))
        .route(
            "/api/v4/runner_controllers",
            get(ctl::list).post(ctl::create),
        )
        .route(
            "/api/v4/runner_controllers/{id}",
            get(ctl::get_one).put(ctl::update).delete(ctl::destroy),
        )
        .route(
            "/api/v4/runner_controllers/{id}/tokens",
            get(tk::list).post(tk::create),
        )
        .route(
            "/api/v4/runner_controllers/{id}/tokens/{token_id}",
            get(tk::get_one).delete(tk::revoke),
        )
        .route(
            "/api/v4/runner_controllers/{id}/tokens/{token_id}/rotate",
            post(tk::rotate),
        )
        .route("/api/v4/runner_controllers/{id}/scopes", get(sc::list))
        .route(
            "/api/v4/runner_controllers/{id}/scopes/instance",
            post(sc::add_instance).delete(sc::remove_instance),
        )
        .route(
            "/api/v4/runner_controllers/{id}/scopes/runners/{runner_id}",
            post(sc::add_runner).delete(sc::remove_runner),
        )
        .route("/api/v4", any(gitlab_auth::route_not_found))
        .route("/api/v4/{*rest}", any(gitlab_auth::route_not_found))
        .with_state(sim)
        .layer(axum::middleware::map_response(request_id))
}

/// GitLab answers every API request, errors included, with an `X-Request-Id` (the id its
/// logs are searched by); here a counter in the same shape.
async fn request_id(mut res: axum::response::Response) -> axum::response::Response {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    if let Ok(v) = axum::http::HeaderValue::from_str(&format!("01JSIM{n:020}")) {
        res.headers_mut().insert("x-request-id", v);
    }
    res
}
