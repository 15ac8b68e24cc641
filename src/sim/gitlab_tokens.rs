//! Handlers of `/api/v4/runner_controllers/:id/tokens[...]`: list (active only), get, create,
//! rotate, revoke. Secrets are shown once and kept only as a digest; they are never logged.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use super::gitlab::{GitlabSim, GitlabState, Token, TokenJson};
use super::gitlab_audit::{Change, TokenAction, record};
use super::gitlab_auth::{Access, authorize};
use super::gitlab_controllers::{Answer, done};
use super::gitlab_identity::User;
use super::gitlab_params::{
    ParamErrors, Params, Reject, check_description, message, no_content, not_found, now_ms,
};
use super::pagination::{LinkBase, PageRequest, respond};

pub(crate) const TOKEN_PREFIX: &str = "glrct-";
const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// A fresh secret (`glrct-` and 20 alphanumerics), deterministic per simulator run.
pub(crate) fn new_secret(s: &mut GitlabState) -> String {
    s.secret_counter += 1;
    let mut x = splitmix(s.secret_counter ^ 0x5EED_0000_C0FF_EE00);
    let mut out = String::from(TOKEN_PREFIX);
    for _ in 0..20 {
        x = splitmix(x);
        out.push(char::from(ALPHABET[(x % ALPHABET.len() as u64) as usize]));
    }
    out
}

pub(crate) fn digest(secret: &str) -> u64 {
    let mut h = DefaultHasher::new();
    secret.hash(&mut h);
    h.finish()
}

/// Makes and stores a token; returns its id and the secret (the only time it exists in clear).
pub(crate) fn issue(
    s: &mut GitlabState,
    controller_id: i64,
    description: Option<String>,
    now: jiff::Timestamp,
) -> (i64, String) {
    let secret = new_secret(s);
    let id = s.next_token_id;
    s.next_token_id += 1;
    s.tokens.insert(
        id,
        Token {
            id,
            controller_id,
            description,
            digest: digest(&secret),
            revoked: false,
            last_used_at: None,
            created_at: now,
            updated_at: now,
        },
    );
    (id, secret)
}

/// Issues a token by `user`, records `action` for it, and answers it with its secret.
fn issue_recorded(
    s: &mut GitlabState,
    user: &'static User,
    action: TokenAction,
    controller_id: i64,
    description: Option<String>,
) -> Result<TokenJson, Reject> {
    let now = now_ms();
    let (token_id, secret) = issue(s, controller_id, description.clone(), now);
    let t = s.tokens.get(&token_id).ok_or_else(token_not_found)?;
    let json = TokenJson::new(t, Some(secret));
    let change = Change::Token {
        action,
        token_id,
        description,
    };
    record(s, user, now, change);
    Ok(json)
}

fn token_not_found() -> Response {
    message(StatusCode::NOT_FOUND, "404 Not found")
}

/// Checks ids, then that the controller exists and the token is active and its own.
fn find_token(s: &GitlabState, id: Option<i64>, token_id: Option<i64>) -> Result<i64, Reject> {
    let id = id
        .filter(|id| s.controllers.contains_key(id))
        .ok_or_else(not_found)?;
    token_id
        .and_then(|t| s.tokens.get(&t))
        .filter(|t| t.controller_id == id && !t.revoked)
        .map(|t| t.id)
        .ok_or_else(|| token_not_found().into())
}

pub(crate) async fn list(
    State(sim): State<GitlabSim>,
    Path(id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    done((|| -> Answer {
        authorize(&sim, &headers, Access::Read)?;
        let params = Params::parse(&headers, uri.query(), &Bytes::new())?;
        let mut errors = ParamErrors::default();
        let id = errors.int("id", &id);
        let page = PageRequest::parse(&params, &mut errors);
        errors.finish()?;
        let s = sim.lock();
        let id = id
            .filter(|id| s.controllers.contains_key(id))
            .ok_or_else(not_found)?;
        let rows: Vec<TokenJson> = s
            .active_tokens(id)
            .map(|t| TokenJson::new(t, None))
            .collect();
        let limit = s.count_limit;
        drop(s);
        let base = LinkBase::new(&headers, uri.path(), uri.query());
        Ok(respond(rows, page, &base, limit))
    })())
}

pub(crate) async fn get_one(
    State(sim): State<GitlabSim>,
    Path((id, token_id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    done((|| -> Answer {
        authorize(&sim, &headers, Access::Read)?;
        let mut errors = ParamErrors::default();
        let id = errors.int("id", &id);
        let token_id = errors.int("token_id", &token_id);
        errors.finish()?;
        let s = sim.lock();
        let tid = find_token(&s, id, token_id)?;
        let t = s.tokens.get(&tid).ok_or_else(token_not_found)?;
        Ok(Json(TokenJson::new(t, None)).into_response())
    })())
}

pub(crate) async fn create(
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
        errors.finish()?;
        let mut s = sim.lock();
        let id = id
            .filter(|id| s.controllers.contains_key(id))
            .ok_or_else(not_found)?;
        check_description(&description)?;
        let json = issue_recorded(
            &mut s,
            user,
            TokenAction::Created,
            id,
            description.flatten(),
        );
        Ok((StatusCode::CREATED, Json(json?)).into_response())
    })())
}

pub(crate) async fn rotate(
    State(sim): State<GitlabSim>,
    Path((id, token_id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    done((|| -> Answer {
        let user = authorize(&sim, &headers, Access::Write)?;
        let mut errors = ParamErrors::default();
        let id = errors.int("id", &id);
        let token_id = errors.int("token_id", &token_id);
        errors.finish()?;
        let mut s = sim.lock();
        let old_id = find_token(&s, id, token_id)?;
        let old = s.tokens.get_mut(&old_id).ok_or_else(token_not_found)?;
        old.revoked = true;
        old.updated_at = now_ms();
        let (controller_id, description) = (old.controller_id, old.description.clone());
        let json = issue_recorded(
            &mut s,
            user,
            TokenAction::Rotated,
            controller_id,
            description,
        );
        Ok(Json(json?).into_response())
    })())
}

pub(crate) async fn revoke(
    State(sim): State<GitlabSim>,
    Path((id, token_id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    done((|| -> Answer {
        let user = authorize(&sim, &headers, Access::Write)?;
        let mut errors = ParamErrors::default();
        let id = errors.int("id", &id);
        let token_id = errors.int("token_id", &token_id);
        errors.finish()?;
        let mut s = sim.lock();
        let tid = find_token(&s, id, token_id)?;
        let now = now_ms();
        let t = s.tokens.get_mut(&tid).ok_or_else(token_not_found)?;
        t.revoked = true;
        t.updated_at = now;
        let change = Change::Token {
            action: TokenAction::Revoked,
            token_id: tid,
            description: t.description.clone(),
        };
        record(&mut s, user, now, change);
        Ok(no_content())
    })())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_look_like_gitlab_and_differ() {
        let mut s = GitlabState::new_for_tests();
        let a = new_secret(&mut s);
        let b = new_secret(&mut s);
        assert_ne!(a, b);
        assert!(a.starts_with("glrct-"));
        let rest = &a[TOKEN_PREFIX.len()..];
        assert_eq!(rest.len(), 20);
        assert!(rest.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(digest(&a), digest(&b));
    }
}
