//! `ApiError`: what went wrong talking to GitLab or veHaaS, worded for the user in `Display`,
//! and how an HTTP answer (status, headers, body of any shape) becomes one.
//! Never holds a token; never matches on 404 texts.

use std::fmt;

use reqwest::header::{CONTENT_TYPE, HeaderMap, RETRY_AFTER};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    Unauthorized { message: String },
    Forbidden { message: String },
    /// A 404 on the controllers list: the instance is not licensed (or the version is too old).
    NotLicensed,
    NotFound { what: String, message: String },
    BadRequest { message: String },
    Conflict { message: String },
    Unprocessable { message: String },
    PreconditionFailed { message: String },
    RateLimited { retry_after: Option<u64>, message: String },
    Server { status: u16, message: String },
    NotJson { status: u16, content_type: String, snippet: String },
    Decode { message: String },
    Timeout { url_path: String },
    Connect { host: String, message: String },
    Http { status: u16, message: String },
    /// The client could not even be set up (bad URL, a token that cannot go in a header).
    Config { message: String },
}

impl ApiError {
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Unauthorized { .. } => Some(401),
            Self::Forbidden { .. } => Some(403),
            Self::NotLicensed | Self::NotFound { .. } => Some(404),
            Self::BadRequest { .. } => Some(400),
            Self::Conflict { .. } => Some(409),
            Self::Unprocessable { .. } => Some(422),
            Self::PreconditionFailed { .. } => Some(412),
            Self::RateLimited { .. } => Some(429),
            Self::Server { status, .. }
            | Self::NotJson { status, .. }
            | Self::Http { status, .. } => Some(*status),
            Self::Decode { .. }
            | Self::Timeout { .. }
            | Self::Connect { .. }
            | Self::Config { .. } => None,
        }
    }
}

fn reason(status: u16) -> &'static str {
    reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("")
}

/// The server's message, unless it only repeats the status line (`{"message":"401 Unauthorized"}`).
fn detail(status: u16, message: &str) -> Option<&str> {
    let m = message.trim();
    let line = format!("{status} {}", reason(status));
    (!m.is_empty() && !m.eq_ignore_ascii_case(&line) && m != status.to_string()).then_some(m)
}

fn paren(status: u16, message: &str) -> String {
    detail(status, message).map(|d| format!(" ({d})")).unwrap_or_default()
}

fn colon(status: u16, message: &str) -> String {
    detail(status, message).map(|d| format!(": {d}")).unwrap_or_default()
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unauthorized { message } => write!(
                f,
                "401 Unauthorized: the token was refused{}. Check the token: it may be wrong, expired or revoked",
                paren(401, message)
            ),
            Self::Forbidden { message } if message.starts_with("insufficient_scope") => {
                let desc = message.trim_start_matches("insufficient_scope").trim_start_matches([':', ' ']);
                write!(f, "403 Forbidden: the token lacks the api scope needed for changes{}", paren(403, desc))
            }
            Self::Forbidden { message } => write!(
                f,
                "403 Forbidden{}: this needs an administrator's token, and with Admin Mode on the token also needs the admin_mode scope",
                paren(403, message)
            ),
            Self::NotLicensed => f.write_str(
                "runner controllers need GitLab Ultimate 18.9+ and an administrator token (the server answered 404)",
            ),
            Self::NotFound { what, message } => {
                write!(f, "404 Not Found: {what} was not found{}", paren(404, message))
            }
            Self::BadRequest { message } => write!(f, "400 Bad Request{}", colon(400, message)),
            Self::Conflict { message } => write!(f, "409 Conflict{}", colon(409, message)),
            Self::Unprocessable { message } => {
                write!(f, "422 Unprocessable Entity{}", colon(422, message))
            }
            Self::PreconditionFailed { .. } => f.write_str(
                "412 Precondition Failed: it changed on the server since you loaded it; reload and try again",
            ),
            Self::RateLimited { retry_after, message } => {
                write!(f, "429 Too Many Requests{}; ", colon(429, message))?;
                match retry_after {
                    Some(s) => write!(f, "the server asks to retry in {s} s"),
                    None => f.write_str("try again later"),
                }
            }
            Self::Server { status, message } => {
                write!(f, "{status} {}", reason(*status))?;
                match detail(*status, message) {
                    Some(d) if d.starts_with("from ") => write!(f, " {d}"),
                    Some(d) => write!(f, ": {d}"),
                    None => f.write_str(": the server failed; try again later"),
                }
            }
            Self::NotJson { status, content_type, snippet } => write!(
                f,
                "the server answered {status} with something that is not JSON ({content_type}): {snippet}"
            ),
            Self::Decode { message } => {
                write!(f, "the server's answer has an unexpected shape: {message}")
            }
            Self::Timeout { url_path } => write!(
                f,
                "no answer in time from {url_path}: the server is slow or unreachable"
            ),
            Self::Connect { host, message } => write!(f, "cannot connect to {host}: {message}"),
            Self::Http { status, message } => {
                write!(f, "{status} {}{}", reason(*status), colon(*status, message))
            }
            Self::Config { message } => f.write_str(message),
        }
    }
}

impl std::error::Error for ApiError {}

/// Which API answered: 403 means different things in each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Api {
    GitLab,
    Vehaas,
}

/// How to word a failed answer: the thing asked for, and whether a 404 means "not licensed".
pub(crate) struct Context<'a> {
    pub api: Api,
    pub what: &'a str,
    pub unlicensed_on_404: bool,
}

/// A failed answer (status >= 400, or anything not 2xx) as an `ApiError`.
pub(crate) fn from_response(status: u16, headers: &HeaderMap, body: &[u8], cx: &Context<'_>) -> ApiError {
    let content_type = header_str(headers, CONTENT_TYPE.as_str());
    let message = body_message(status, content_type.as_deref(), body);
    match status {
        400 => ApiError::BadRequest { message },
        401 => ApiError::Unauthorized { message },
        403 if cx.api == Api::GitLab => ApiError::Forbidden { message },
        404 if cx.unlicensed_on_404 => ApiError::NotLicensed,
        404 => ApiError::NotFound { what: cx.what.to_string(), message },
        409 => ApiError::Conflict { message },
        412 => ApiError::PreconditionFailed { message },
        422 => ApiError::Unprocessable { message },
        429 => ApiError::RateLimited {
            retry_after: header_str(headers, RETRY_AFTER.as_str()).and_then(|v| v.trim().parse().ok()),
            message,
        },
        500..=599 => ApiError::Server { status, message },
        _ => ApiError::Http { status, message },
    }
}

pub(crate) fn header_str(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string)
}

/// A successful answer that does not parse: `NotJson` when it is not JSON at all, `Decode` when it
/// is JSON of the wrong shape.
pub(crate) fn undecodable(status: u16, headers: &HeaderMap, body: &[u8], err: &serde_json::Error) -> ApiError {
    if serde_json::from_slice::<serde::de::IgnoredAny>(body).is_ok() {
        return ApiError::Decode { message: err.to_string() };
    }
    let content_type = header_str(headers, CONTENT_TYPE.as_str())
        .map(|c| c.split(';').next().unwrap_or("").trim().to_string())
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| "no content type".to_string());
    let snippet = if looks_like_html(Some(&content_type), body) {
        html_summary(body)
    } else {
        sanitize(&String::from_utf8_lossy(body))
    };
    let snippet = if snippet.is_empty() { "(empty body)".to_string() } else { snippet };
    ApiError::NotJson { status, content_type, snippet }
}

/// The text a user should read from an error body of any shape.
pub(crate) fn body_message(status: u16, content_type: Option<&str>, body: &[u8]) -> String {
    if let Ok(v) = serde_json::from_slice::<Value>(body) {
        return json_message(&v).unwrap_or_else(|| sanitize(&v.to_string()));
    }
    if looks_like_html(content_type, body) {
        let title = html_summary(body);
        let title = if title.is_empty() { String::new() } else { format!(" (\"{title}\")") };
        return if status >= 500 {
            format!("from a proxy in front of the server{title}")
        } else {
            format!("an HTML page{title}, likely from a proxy in front of the server")
        };
    }
    sanitize(&String::from_utf8_lossy(body))
}

/// GitLab `{"message": string|object}`, `{"error", "error_description"}`; FastAPI
/// `{"detail": text}` or `{"detail": [{"loc", "msg", "type"}]}`; a bare JSON string.
pub(crate) fn json_message(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(sanitize(s)),
        Value::Object(map) => {
            if let Some(m) = map.get("message").and_then(flatten).filter(|m| !m.is_empty()) {
                return Some(m);
            }
            if let Some(e) = map.get("error").and_then(flatten).filter(|m| !m.is_empty()) {
                return Some(match map.get("error_description").and_then(flatten) {
                    Some(d) if !d.is_empty() => format!("{e}: {d}"),
                    _ => e,
                });
            }
            match map.get("detail")? {
                Value::Array(items) => {
                    let parts: Vec<String> = items.iter().filter_map(fastapi_item).collect();
                    (!parts.is_empty()).then(|| parts.join("; "))
                }
                other => flatten(other),
            }
        }
        _ => None,
    }
}

fn fastapi_item(item: &Value) -> Option<String> {
    let msg = item.get("msg").and_then(flatten).or_else(|| flatten(item))?;
    let loc: Vec<String> = item
        .get("loc")
        .and_then(Value::as_array)
        .map(|l| l.iter().filter_map(flatten).collect())
        .unwrap_or_default();
    Some(if loc.is_empty() { msg } else { format!("{}: {msg}", loc.join(".")) })
}

/// Any JSON value as one line: `{"description": ["is too long"]}` -> `description is too long`.
fn flatten(v: &Value) -> Option<String> {
    let s = match v {
        Value::Null => return None,
        Value::String(s) => sanitize(s),
        Value::Bool(_) | Value::Number(_) => v.to_string(),
        Value::Array(items) => items.iter().filter_map(flatten).collect::<Vec<_>>().join(", "),
        Value::Object(map) if map.len() == 1 && map.contains_key("error") => {
            return map.get("error").and_then(flatten);
        }
        Value::Object(map) => map
            .iter()
            .filter_map(|(k, v)| flatten(v).map(|v| format!("{k} {v}")))
            .collect::<Vec<_>>()
            .join("; "),
    };
    Some(s)
}

fn looks_like_html(content_type: Option<&str>, body: &[u8]) -> bool {
    content_type.is_some_and(|c| c.to_ascii_lowercase().contains("html"))
        || String::from_utf8_lossy(&body[..body.len().min(64)])
            .trim_start()
            .starts_with('<')
}

/// The `<title>` (or the first `<h1>`) of an HTML page, else its text, short.
fn html_summary(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let lower = text.to_ascii_lowercase();
    for tag in ["title", "h1"] {
        if let Some(start) = lower.find(&format!("<{tag}")) {
            let after = lower[start..].find('>').map(|i| start + i + 1);
            let end = lower[start..].find(&format!("</{tag}")).map(|i| start + i);
            if let (Some(a), Some(e)) = (after, end)
                && a <= e
            {
                let t = sanitize(&text[a..e]);
                if !t.is_empty() {
                    return t;
                }
            }
        }
    }
    sanitize(&strip_tags(&text))
}

fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// One short line: control characters and runs of whitespace become one space, at most 120 chars.
pub(crate) fn sanitize(s: &str) -> String {
    const MAX: usize = 120;
    let collapsed = s
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if collapsed.chars().count() > MAX {
        let cut: String = collapsed.chars().take(MAX).collect();
        format!("{cut}…")
    } else {
        collapsed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    const GL: Context<'static> = Context { api: Api::GitLab, what: "runner controller 7", unlicensed_on_404: false };
    const GL_LIST: Context<'static> = Context { api: Api::GitLab, what: "runner controllers", unlicensed_on_404: true };
    const VH: Context<'static> = Context { api: Api::Vehaas, what: "session s-1", unlicensed_on_404: false };

    fn err(status: u16, headers: &[(&'static str, &'static str)], body: &str, cx: &Context<'_>) -> ApiError {
        let mut h = HeaderMap::new();
        for (k, v) in headers {
            h.insert(*k, HeaderValue::from_static(v));
        }
        from_response(status, &h, body.as_bytes(), cx)
    }

    const JSON: (&str, &str) = ("content-type", "application/json");

    #[test]
    fn every_error_body_shape_reads_plainly() {
        let cases: Vec<(u16, Vec<(&'static str, &'static str)>, &str, &Context<'_>, &str)> = vec![
            (401, vec![JSON], r#"{"message":"401 Unauthorized"}"#, &GL,
             "401 Unauthorized: the token was refused. Check the token: it may be wrong, expired or revoked"),
            (401, vec![JSON], r#"{"error":"invalid_token","error_description":"Token is expired."}"#, &GL,
             "401 Unauthorized: the token was refused (invalid_token: Token is expired.). Check the token: it may be wrong, expired or revoked"),
            (403, vec![JSON], r#"{"message":"403 Forbidden"}"#, &GL,
             "403 Forbidden: this needs an administrator's token, and with Admin Mode on the token also needs the admin_mode scope"),
            (403, vec![JSON], r#"{"error":"insufficient_scope","error_description":"The request requires higher privileges."}"#, &GL,
             "403 Forbidden: the token lacks the api scope needed for changes (The request requires higher privileges.)"),
            (403, vec![JSON], r#"{"detail":"Not allowed"}"#, &VH, "403 Forbidden: Not allowed"),
            (404, vec![JSON], r#"{"message":"404 Not found"}"#, &GL_LIST,
             "runner controllers need GitLab Ultimate 18.9+ and an administrator token (the server answered 404)"),
            (404, vec![JSON], r#"{"message":"404 Not Found"}"#, &GL, "404 Not Found: runner controller 7 was not found"),
            (404, vec![JSON], r#"{"message":"404 Runner Controller Not Found"}"#, &GL,
             "404 Not Found: runner controller 7 was not found (404 Runner Controller Not Found)"),
            (404, vec![JSON], r#"{"detail":"Session not found"}"#, &VH, "404 Not Found: session s-1 was not found (Session not found)"),
            (400, vec![JSON], r#"{"error":"state does not have a valid value"}"#, &GL, "400 Bad Request: state does not have a valid value"),
            (400, vec![JSON], r#"{"message":"Description is too long (maximum is 1024 characters)"}"#, &GL,
             "400 Bad Request: Description is too long (maximum is 1024 characters)"),
            (400, vec![JSON], r#"{"message":{"description":["is too long (maximum is 1024 characters)"]}}"#, &GL,
             "400 Bad Request: description is too long (maximum is 1024 characters)"),
            (409, vec![JSON], r#"{"message":"Instance-level scope already exists for this runner controller"}"#, &GL,
             "409 Conflict: Instance-level scope already exists for this runner controller"),
            (409, vec![JSON], r#"{"detail":"A later booking clashes"}"#, &VH, "409 Conflict: A later booking clashes"),
            (412, vec![JSON], r#"{"message":"412 Precondition Failed"}"#, &GL,
             "412 Precondition Failed: it changed on the server since you loaded it; reload and try again"),
            (422, vec![JSON], r#"{"message":"Only instance-type runners can be scoped"}"#, &GL,
             "422 Unprocessable Entity: Only instance-type runners can be scoped"),
            (422, vec![JSON], r#"{"detail":[{"loc":["body","end"],"msg":"field required","type":"value_error.missing"},{"loc":["body","duration",0],"msg":"invalid","type":"x"}]}"#, &VH,
             "422 Unprocessable Entity: body.end: field required; body.duration.0: invalid"),
            (429, vec![("content-type", "text/plain"), ("retry-after", "60"), ("ratelimit-reset", "1767225600")], "Retry later\n", &GL,
             "429 Too Many Requests: Retry later; the server asks to retry in 60 s"),
            (429, vec![JSON], r#"{"message":{"error":"This endpoint has been requested too many times. Try again later."}}"#, &GL,
             "429 Too Many Requests: This endpoint has been requested too many times. Try again later.; try again later"),
            (500, vec![JSON], r#"{"message":"500 Internal Server Error"}"#, &GL, "500 Internal Server Error: the server failed; try again later"),
            (502, vec![("content-type", "text/html")], "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>", &GL,
             "502 Bad Gateway from a proxy in front of the server (\"502 Bad Gateway\")"),
            (503, vec![], "<!DOCTYPE html>\n<html><body>\n<h1>Service   Unavailable</h1></body></html>", &VH,
             "503 Service Unavailable from a proxy in front of the server (\"Service Unavailable\")"),
            (504, vec![], "", &GL, "504 Gateway Timeout: the server failed; try again later"),
            (403, vec![("content-type", "text/html")], "<html><title>Access denied</title></html>", &GL,
             "403 Forbidden (an HTML page (\"Access denied\"), likely from a proxy in front of the server): this needs an administrator's token, and with Admin Mode on the token also needs the admin_mode scope"),
            (418, vec![("content-type", "text/plain")], "short and stout", &GL, "418 I'm a teapot: short and stout"),
            (400, vec![JSON], r#""just a string""#, &GL, "400 Bad Request: just a string"),
            (400, vec![JSON], r#"{"unexpected":true}"#, &GL, r#"400 Bad Request: {"unexpected":true}"#),
        ];
        for (status, headers, body, cx, want) in cases {
            let e = err(status, &headers, body, cx);
            assert_eq!(e.to_string(), want, "{status} {body}");
            assert_eq!(e.status(), Some(status), "{status} {body}");
        }
    }

    #[test]
    fn variants_carry_the_details() {
        let e = err(429, &[("retry-after", "12")], "Retry later", &GL);
        assert_eq!(e, ApiError::RateLimited { retry_after: Some(12), message: "Retry later".into() });
        let e = err(429, &[("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT")], "", &GL);
        assert!(matches!(e, ApiError::RateLimited { retry_after: None, .. }));
        assert_eq!(err(404, &[], "{}", &GL_LIST), ApiError::NotLicensed);
        assert!(matches!(err(403, &[], "{}", &VH), ApiError::Http { status: 403, .. }));
        assert!(matches!(err(502, &[], "<html/>", &GL), ApiError::Server { status: 502, .. }));
    }

    #[test]
    fn garbage_success_bodies() {
        let bad = serde_json::from_slice::<Vec<u8>>(b"x").expect_err("not json");
        let mut h = HeaderMap::new();
        h.insert("content-type", HeaderValue::from_static("text/html; charset=utf-8"));
        let e = undecodable(200, &h, b"<html><title>Sign in \xE2\x80\x94 proxy</title></html>", &bad);
        assert_eq!(
            e.to_string(),
            "the server answered 200 with something that is not JSON (text/html): Sign in \u{2014} proxy"
        );
        let e = undecodable(200, &HeaderMap::new(), b"\x00\x01garbage\x1b[31m\n\nmore", &bad);
        let ApiError::NotJson { content_type, snippet, .. } = &e else {
            panic!("expected NotJson, got {e:?}");
        };
        assert_eq!(content_type, "no content type");
        assert!(!snippet.chars().any(char::is_control), "{snippet:?}");
        let long = "x".repeat(5000);
        let e = undecodable(200, &HeaderMap::new(), long.as_bytes(), &bad);
        assert!(e.to_string().chars().count() < 250);
        let wrong_shape = serde_json::from_str::<Vec<u8>>(r#"{"a":1}"#).expect_err("shape");
        let e = undecodable(200, &HeaderMap::new(), br#"{"a":1}"#, &wrong_shape);
        assert!(matches!(e, ApiError::Decode { .. }), "{e:?}");
        assert_eq!(e.status(), None);
    }
}
