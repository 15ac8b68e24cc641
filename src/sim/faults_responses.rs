//! The canned answers of the simulator's faults: GitLab-style JSON errors, a proxy's HTML page,
//! bytes that are not JSON, and GitLab's plain-text rate limit with its headers.

use axum::Json;
use axum::body::Bytes;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::faults::Fault;

/// What `Fault::RateLimited` asks the client to wait.
const RATE_LIMIT_RETRY_AFTER: u64 = 30;

impl Fault {
    /// Builds the canned response.
    pub(crate) fn response(&self) -> Response {
        match self {
            Fault::Status(code) => {
                let status =
                    StatusCode::from_u16(*code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                let msg = format!(
                    "{} {}",
                    status.as_u16(),
                    status.canonical_reason().unwrap_or("Error")
                );
                (status, Json(json!({ "message": msg }))).into_response()
            }
            Fault::Html(code) => {
                let status = StatusCode::from_u16(*code).unwrap_or(StatusCode::BAD_GATEWAY);
                let title = format!(
                    "{} {}",
                    status.as_u16(),
                    status.canonical_reason().unwrap_or("Error")
                );
                let page = format!(
                    "<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
                );
                (status, [(header::CONTENT_TYPE, "text/html")], page).into_response()
            }
            Fault::Garbage => (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/json")],
                Bytes::from_static(b"\x00\xffnot json at all <html>{\"id\": 1,"),
            )
                .into_response(),
            Fault::RateLimited => rate_limited(RATE_LIMIT_RETRY_AFTER),
            Fault::RateLimitedFor(secs) => rate_limited(*secs),
            Fault::Hang => {
                (StatusCode::SERVICE_UNAVAILABLE, "simulator shutting down").into_response()
            }
        }
    }
}

/// GitLab's 429 when an admin turned rate limits on: plain text, `Retry-After` in seconds and
/// `RateLimit-Reset` in epoch seconds.
fn rate_limited(retry_after: u64) -> Response {
    let now = jiff::Timestamp::now();
    let wait = i64::try_from(retry_after).unwrap_or(i64::MAX);
    let reset = now.as_second().saturating_add(wait);
    let reset_time = jiff::fmt::rfc2822::to_string(
        &now.checked_add(jiff::SignedDuration::from_secs(wait))
            .unwrap_or(now)
            .to_zoned(jiff::tz::TimeZone::UTC),
    )
    .unwrap_or_default();
    let mut resp = (
        StatusCode::TOO_MANY_REQUESTS,
        [(header::CONTENT_TYPE, "text/plain")],
        "Retry later\n",
    )
        .into_response();
    let h = resp.headers_mut();
    h.insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
    h.insert(
        "RateLimit-Name",
        HeaderValue::from_static("throttle_authenticated_api"),
    );
    h.insert("RateLimit-Limit", HeaderValue::from_static("60"));
    h.insert("RateLimit-Observed", HeaderValue::from_static("61"));
    h.insert("RateLimit-Remaining", HeaderValue::from_static("0"));
    h.insert("RateLimit-Reset", HeaderValue::from(reset));
    if let Ok(v) = HeaderValue::from_str(&reset_time) {
        h.insert("RateLimit-ResetTime", v);
    }
    resp
}
