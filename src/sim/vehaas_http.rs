//! veHaaS simulator HTTP layer: routes under `/api/v2.0`, token check, FastAPI-shaped errors
//! (`{"detail": ...}`, 422 lists) and the deprecation headers of the v2 jobs API.
//! Body validation lives here; the calendar rules live in `vehaas.rs`.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Serialize;
use serde_json::Value;

use super::wire::{
    WireDetail, WireValidation, WireValidationItem, WireWrapped, parse_duration_value, parse_time,
};
use super::{MAX_DURATION_MICROS, NewJob, Refusal, VEHAAS_TOKEN, VehaasSim};

/// RFC 9745 `Deprecation` of the v2 jobs API: 2026-01-01T00:00:00Z.
const DEPRECATION: &str = "@1767225600";
const SUNSET: &str = "Wed, 30 Jun 2027 00:00:00 GMT";
const DEPRECATION_LINK: &str = "<https://vehaas.example.com/docs/api/v3>; rel=\"deprecation\"";

/// Every veHaaS route, behind the token check.
pub fn router(sim: VehaasSim) -> Router {
    Router::new()
        .route("/api/v2.0/assemblies", get(list_assemblies))
        .route("/api/v2.0/jobs", post(create_job))
        .route("/api/v2.0/jobs/{job_id}", get(get_job))
        .route("/api/v2.0/assembly-sessions", get(list_sessions))
        .route(
            "/api/v2.0/assembly-sessions/{id}",
            get(get_session).patch(extend_session),
        )
        .route(
            "/api/v2.0/assembly-sessions/{id}/release",
            post(release_session),
        )
        .route_layer(middleware::from_fn(require_token))
        .with_state(sim)
}

fn detail(status: StatusCode, text: impl Into<String>) -> Response {
    (
        status,
        axum::Json(WireDetail {
            detail: text.into(),
        }),
    )
        .into_response()
}

fn invalid(items: Vec<WireValidationItem>) -> Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        axum::Json(WireValidation { detail: items }),
    )
        .into_response()
}

fn refused(r: Refusal) -> Response {
    match r {
        Refusal::NotFound(text) => detail(StatusCode::NOT_FOUND, text),
        Refusal::Conflict(text) => detail(StatusCode::CONFLICT, text),
        Refusal::Invalid(items) => invalid(items),
    }
}

/// `private-token` (scripts) or `Authorization: Bearer` (web UI); header names are
/// case-insensitive by construction of `HeaderMap`.
async fn require_token(req: Request, next: Next) -> Response {
    let headers = req.headers();
    let presented = if let Some(v) = headers.get("private-token") {
        Some(v.to_str().unwrap_or_default().trim().to_string())
    } else if let Some(v) = headers.get(header::AUTHORIZATION) {
        let text = v.to_str().unwrap_or_default().trim();
        let token = match text.split_once(' ') {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => rest.trim(),
            _ => "",
        };
        Some(token.to_string())
    } else {
        None
    };
    match presented {
        None => unauthorized("Not authenticated"),
        Some(t) if t == VEHAAS_TOKEN => next.run(req).await,
        Some(_) => unauthorized("Invalid access token"),
    }
}

fn unauthorized(text: &str) -> Response {
    let mut resp = detail(StatusCode::UNAUTHORIZED, text);
    resp.headers_mut()
        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    resp
}

fn deprecation_headers() -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert("deprecation", HeaderValue::from_static(DEPRECATION));
    h.insert("sunset", HeaderValue::from_static(SUNSET));
    h.insert(header::LINK, HeaderValue::from_static(DEPRECATION_LINK));
    h
}

fn json_ok<T: Serialize>(status: StatusCode, body: T) -> Response {
    (status, axum::Json(body)).into_response()
}

/// A bare array normally; `{"items": [...], "total": n}` in lenient mode.
fn list<T: Serialize>(items: Vec<T>, lenient: bool) -> Response {
    if lenient {
        let total = items.len();
        json_ok(StatusCode::OK, WireWrapped { items, total })
    } else {
        json_ok(StatusCode::OK, items)
    }
}

async fn list_assemblies(State(sim): State<VehaasSim>) -> Response {
    sim.with(|m, now| list(m.render_assemblies(now), m.lenient))
}

async fn list_sessions(State(sim): State<VehaasSim>) -> Response {
    sim.with(|m, now| list(m.render_sessions(now), m.lenient))
}

async fn get_session(State(sim): State<VehaasSim>, Path(id): Path<String>) -> Response {
    sim.with(|m, now| match m.session(&id) {
        Some(s) => json_ok(StatusCode::OK, super::render_session(s, now, m.lenient)),
        None => detail(StatusCode::NOT_FOUND, "Session not found"),
    })
}

async fn get_job(State(sim): State<VehaasSim>, Path(job_id): Path<String>) -> Response {
    let resp = sim.with(|m, _| match m.job(&job_id) {
        Some(job) => json_ok(StatusCode::OK, m.render_job(job)),
        None => detail(StatusCode::NOT_FOUND, "Job not found"),
    });
    (deprecation_headers(), resp).into_response()
}

async fn create_job(State(sim): State<VehaasSim>, body: Bytes) -> Response {
    let req = match parse_object(&body).and_then(|obj| validate_job(&obj)) {
        Ok(req) => req,
        Err(items) => return (deprecation_headers(), invalid(items)).into_response(),
    };
    let created = sim.with(|m, now| m.create_job(req, now));
    (deprecation_headers(), json_ok(StatusCode::CREATED, created)).into_response()
}

async fn extend_session(
    State(sim): State<VehaasSim>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let end = match parse_object(&body).and_then(|obj| validate_end(&obj)) {
        Ok(end) => end,
        Err(items) => return invalid(items),
    };
    sim.with(|m, now| match m.extend(&id, end, now) {
        Ok(session) => json_ok(StatusCode::OK, session),
        Err(r) => refused(r),
    })
}

async fn release_session(State(sim): State<VehaasSim>, Path(id): Path<String>) -> Response {
    sim.with(|m, now| match m.release(&id, now) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(r) => refused(r),
    })
}

type Object = serde_json::Map<String, Value>;

fn parse_object(body: &[u8]) -> Result<Object, Vec<WireValidationItem>> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(obj)) => Ok(obj),
        Ok(_) => Err(vec![WireValidationItem::body(
            &[],
            "Input should be a valid dictionary or object to extract fields from",
            "model_attributes_type",
        )]),
        Err(e) => Err(vec![WireValidationItem {
            loc: vec![Value::from("body"), Value::from(e.column())],
            msg: "JSON decode error".to_string(),
            kind: "json_invalid".to_string(),
        }]),
    }
}

fn missing(path: &[&str]) -> WireValidationItem {
    WireValidationItem::body(path, "Field required", "missing")
}

/// A required non-empty string at `obj[outer][inner]`.
fn nested_string(
    obj: &Object,
    outer: &str,
    inner: &str,
    errors: &mut Vec<WireValidationItem>,
) -> Option<String> {
    match obj.get(outer) {
        None | Some(Value::Null) => errors.push(missing(&[outer])),
        Some(Value::Object(o)) => match o.get(inner) {
            None | Some(Value::Null) => errors.push(missing(&[outer, inner])),
            Some(Value::String(s)) if !s.trim().is_empty() => return Some(s.trim().to_string()),
            Some(Value::String(_)) => errors.push(WireValidationItem::body(
                &[outer, inner],
                "String should have at least 1 character",
                "string_too_short",
            )),
            Some(_) => errors.push(WireValidationItem::body(
                &[outer, inner],
                "Input should be a valid string",
                "string_type",
            )),
        },
        Some(_) => errors.push(WireValidationItem::body(
            &[outer],
            "Input should be a valid dictionary",
            "dict_type",
        )),
    }
    None
}

fn validate_job(obj: &Object) -> Result<NewJob, Vec<WireValidationItem>> {
    let mut errors = Vec::new();
    let put_in_queue = match obj.get("put_in_queue") {
        None | Some(Value::Null) => {
            errors.push(missing(&["put_in_queue"]));
            false
        }
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            errors.push(WireValidationItem::body(
                &["put_in_queue"],
                "Input should be a valid boolean",
                "bool_type",
            ));
            false
        }
    };
    let duration = match obj.get("duration") {
        None | Some(Value::Null) => {
            errors.push(missing(&["duration"]));
            None
        }
        Some(v) => match parse_duration_value(v) {
            None => {
                errors.push(WireValidationItem::body(
                    &["duration"],
                    format!("Value error, invalid duration {v}: expected ISO 8601 like P0DT0H10M0.000000S"),
                    "value_error",
                ));
                None
            }
            Some(0) => {
                errors.push(WireValidationItem::body(
                    &["duration"],
                    "Value error, duration must be greater than zero",
                    "value_error",
                ));
                None
            }
            Some(micros) if micros > MAX_DURATION_MICROS => {
                errors.push(WireValidationItem::body(
                    &["duration"],
                    "Value error, duration must be at most 31 days",
                    "value_error",
                ));
                None
            }
            Some(micros) => Some(micros),
        },
    };
    let assembly_ref = nested_string(obj, "request_profile", "assembly_ref", &mut errors);
    let provider = nested_string(obj, "gitlab_runner_settings", "provider_url", &mut errors);
    match (duration, assembly_ref, provider) {
        (Some(duration_micros), Some(assembly_ref), Some(_)) if errors.is_empty() => Ok(NewJob {
            put_in_queue,
            duration_micros,
            assembly_ref,
        }),
        _ => Err(errors),
    }
}

fn validate_end(obj: &Object) -> Result<jiff::Timestamp, Vec<WireValidationItem>> {
    match obj.get("end") {
        None | Some(Value::Null) => Err(vec![missing(&["end"])]),
        Some(Value::String(s)) => parse_time(s).ok_or_else(|| {
            vec![WireValidationItem::body(
                &["end"],
                format!("Input should be a valid datetime, unable to parse {s:?}"),
                "datetime_parsing",
            )]
        }),
        Some(_) => Err(vec![WireValidationItem::body(
            &["end"],
            "Input should be a valid datetime",
            "datetime_type",
        )]),
    }
}
