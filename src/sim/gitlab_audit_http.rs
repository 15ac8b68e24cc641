//! `GET /api/v4/audit_events`, the instance audit events API (Premium/Ultimate, admins): filters,
//! the 30-day window of one query, newest first, offset pagination or keyset pagination with a
//! `Link: rel="next"` cursor.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use super::gitlab::GitlabSim;
use super::gitlab_audit::AuditEvent;
use super::gitlab_auth::{Access, authorize};
use super::gitlab_params::{Answer, Param, ParamErrors, Params, Reject, done, error, message};
use super::pagination::{LinkBase, PageRequest, respond};

/// GitLab answers one query for at most this long a period.
const MAX_WINDOW: SignedDuration = SignedDuration::from_hours(30 * 24);

const ENTITY_TYPES: &[&str] = &["User", "Group", "Project", "Gitlab::Audit::InstanceScope"];

/// `YYYY-MM-DDTHH:MM:SSZ` (any RFC 3339 time), a time without offset (UTC), or a date.
fn parse_time(raw: &str) -> Option<Timestamp> {
    if let Ok(t) = raw.parse::<Timestamp>() {
        return Some(t);
    }
    if let Ok(dt) = raw.parse::<jiff::civil::DateTime>() {
        return dt
            .to_zoned(jiff::tz::TimeZone::UTC)
            .ok()
            .map(|z| z.timestamp());
    }
    let date = raw.parse::<jiff::civil::Date>().ok()?;
    date.to_zoned(jiff::tz::TimeZone::UTC)
        .ok()
        .map(|z| z.timestamp())
}

fn time_param(params: &Params, name: &str, errors: &mut ParamErrors) -> Option<Timestamp> {
    match params.get(name)? {
        Param::Null => None,
        Param::Text(s) if s.is_empty() => None,
        Param::Text(s) => parse_time(s).or_else(|| {
            errors.push(format!("{name} is invalid"));
            None
        }),
        Param::Invalid => {
            errors.push(format!("{name} is invalid"));
            None
        }
    }
}

fn text_param<'a>(params: &'a Params, name: &str) -> Option<&'a str> {
    match params.get(name)? {
        Param::Text(s) => Some(s.as_str()),
        Param::Null | Param::Invalid => None,
    }
}

/// The keyset cursor GitLab sends: URL-safe base64 of `{"id":"N","_kd":"n"}`.
fn encode_cursor(id: i64) -> String {
    let raw = json!({"id": id.to_string(), "_kd": "n"}).to_string();
    URL_SAFE.encode(raw).replace('=', "%3D")
}

fn decode_cursor(raw: &str) -> Option<i64> {
    let trimmed = raw.trim_end_matches('=');
    let bytes = URL_SAFE_NO_PAD
        .decode(trimmed)
        .or_else(|_| URL_SAFE.decode(raw))
        .ok()?;
    let v: Value = serde_json::from_slice(&bytes).ok()?;
    match &v["id"] {
        Value::String(s) => s.parse().ok(),
        Value::Number(n) => n.as_i64(),
        _ => None,
    }
}

struct Query {
    after: Timestamp,
    before: Timestamp,
    entity_type: Option<String>,
    entity_id: Option<i64>,
    keyset: bool,
    cursor: Option<i64>,
    page: PageRequest,
}

fn parse_query(params: &Params) -> Result<Query, Reject> {
    let mut errors = ParamErrors::default();
    let after = time_param(params, "created_after", &mut errors);
    let before = time_param(params, "created_before", &mut errors);
    let entity_type = text_param(params, "entity_type").map(str::to_string);
    if entity_type
        .as_deref()
        .is_some_and(|t| !ENTITY_TYPES.contains(&t))
    {
        errors.push("entity_type does not have a valid value".into());
    }
    let entity_id = text_param(params, "entity_id").and_then(|s| errors.int("entity_id", s));
    let keyset = match text_param(params, "pagination") {
        None | Some("offset") => false,
        Some("keyset") => true,
        Some(_) => {
            errors.push("pagination does not have a valid value".into());
            false
        }
    };
    let page = PageRequest::parse(params, &mut errors);
    errors.finish()?;
    let cursor = match text_param(params, "cursor").filter(|_| keyset) {
        Some(raw) => Some(
            decode_cursor(raw)
                .ok_or_else(|| error(StatusCode::BAD_REQUEST, "cursor is invalid"))?,
        ),
        None => None,
    };
    let before = before.unwrap_or_else(Timestamp::now);
    let after = after.unwrap_or(before - MAX_WINDOW);
    if before.duration_since(after) > MAX_WINDOW {
        return Err(Reject::from(message(
            StatusCode::BAD_REQUEST,
            "400 Bad request - Date range cannot exceed 30 days",
        )));
    }
    Ok(Query {
        after,
        before,
        entity_type,
        entity_id,
        keyset,
        cursor,
        page,
    })
}

impl Query {
    fn matches(&self, e: &AuditEvent) -> bool {
        e.created_at >= self.after
            && e.created_at <= self.before
            && self
                .entity_type
                .as_deref()
                .is_none_or(|t| t == e.entity_type)
            && self.entity_id.is_none_or(|id| id == e.entity_id)
    }
}

pub(crate) async fn list(State(sim): State<GitlabSim>, headers: HeaderMap, uri: Uri) -> Response {
    done((|| -> Answer {
        authorize(&sim, &headers, Access::Read)?;
        let params = Params::parse(&headers, uri.query(), &Bytes::new())?;
        let q = parse_query(&params)?;
        let s = sim.lock();
        let mut events: Vec<&AuditEvent> = s.audit.iter().filter(|e| q.matches(e)).collect();
        // Newest first.
        events.sort_by_key(|e| std::cmp::Reverse((e.created_at, e.id)));
        let base = LinkBase::new(&headers, uri.path(), uri.query());
        let shape = |e: &AuditEvent| e.json(sim.audit_name_in_details_only);
        if !q.keyset {
            let rows: Vec<Value> = events.into_iter().map(shape).collect();
            return Ok(respond(rows, q.page, &base, s.count_limit));
        }
        let per_page = usize::try_from(q.page.per_page).unwrap_or(1);
        let mut rest = events
            .into_iter()
            .filter(|e| q.cursor.is_none_or(|c| e.id < c));
        let page: Vec<&AuditEvent> = rest.by_ref().take(per_page).collect();
        let more = rest.next().is_some();
        let rows: Vec<Value> = page.iter().map(|e| shape(e)).collect();
        let mut resp = Json(rows).into_response();
        if let (true, Some(last)) = (more, page.last()) {
            let href = base.href_cursor(&encode_cursor(last.id), q.page.per_page);
            if let Ok(v) = HeaderValue::from_str(&format!("<{href}>; rel=\"next\"")) {
                resp.headers_mut().insert("link", v.clone());
                // GitLab still sends the older, misspelt header too.
                resp.headers_mut().insert("links", v);
            }
        }
        Ok(resp)
    })())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip() {
        let c = encode_cursor(42);
        let raw = c.replace("%3D", "=");
        assert_eq!(decode_cursor(&raw), Some(42));
        assert_eq!(decode_cursor("not a cursor"), None);
    }

    #[test]
    fn times_in_the_forms_gitlab_takes() {
        let t: Timestamp = "2026-01-05T00:00:00Z".parse().expect("time");
        assert_eq!(parse_time("2026-01-05T00:00:00Z"), Some(t));
        assert_eq!(parse_time("2026-01-05T00:00:00"), Some(t));
        assert_eq!(parse_time("2026-01-05"), Some(t));
        assert_eq!(parse_time("yesterday"), None);
    }
}
