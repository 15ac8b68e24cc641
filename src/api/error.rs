//! `ApiError`: what went wrong talking to GitLab or veHaaS, worded for the user in `Display`,
//! and how an HTTP answer (status, headers, body of any shape) becomes one.
//! Never holds a token; never matches on 404 texts.

use std::fmt;

use reqwest::header::{CONTENT_TYPE, HeaderMap, RETRY_AFTER};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    Unauthorized {
        message: String,
    },
    Forbidden {
        message: String,
    },
    /// A 404 on the controllers list: the instance is not licensed (or the version is too old).
    NotLicensed,
    NotFound {
        what: String,
        message: String,
    },
    BadRequest {
        message: String,
    },
    Conflict {
        message: String,
    },
    Unprocessable {
        message: String,
    },
    PreconditionFailed {
        message: String,
    },
    RateLimited {
        retry_after: Option<u64>,
        message: String,
    },
    Server {
        status: u16,
        message: String,
    },
    NotJson {
        status: u16,
        content_type: String,
        snippet: String,
    },
    Decode {
        message: String,
    },
    Timeout {
        url_path: String,
    },
    Connect {
        host: String,
        message: String,
    },
    /// The connection broke after the request went out: the server may have acted on it.
    Interrupted {
        host: String,
        message: String,
    },
    Http {
        status: u16,
        message: String,
    },
    /// The client could not even be set up (bad URL, a token that cannot go in a header).
    Config {
        message: String,
    },
    /// TLS failed (untrusted, expired or misnamed certificate, client certificate missing or
    /// refused); `message` is the whole sentence, with the fix.
    Tls {
        host: String,
        message: String,
    },
    /// The answer was larger than `[http] max_body_mib`; it was not read further.
    TooLarge {
        status: u16,
        limit_mib: u64,
    },
    /// A redirect that was not followed: it leads to another server, and the token would go
    /// along. `location` has no query (it may hold anything).
    Redirect {
        status: u16,
        location: String,
    },
}

impl ApiError {
    /// After a `POST` that creates something (a veHaaS booking): whether the server may have
    /// done it anyway. A timeout, a 5xx, or a success whose body could not be read all leave it
    /// open; retrying blindly could book twice.
    pub fn outcome_unknown(&self) -> bool {
        match self {
            Self::Timeout { .. } | Self::Decode { .. } | Self::Interrupted { .. } => true,
            Self::NotJson { status, .. } | Self::TooLarge { status, .. } => {
                *status < 300 || *status >= 500
            }
            other => other.status().is_some_and(|s| s >= 500),
        }
    }

    /// A failure worth asking again for a read (polling a job): the server or the network
    /// hiccuped, the thing itself is fine.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            Self::Timeout { .. }
                | Self::Connect { .. }
                | Self::Interrupted { .. }
                | Self::RateLimited { .. }
        ) || self.status().is_some_and(|s| s >= 500)
    }

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
            | Self::Http { status, .. }
            | Self::TooLarge { status, .. }
            | Self::Redirect { status, .. } => Some(*status),
            Self::Decode { .. }
            | Self::Timeout { .. }
            | Self::Connect { .. }
            | Self::Interrupted { .. }
            | Self::Config { .. }
            | Self::Tls { .. } => None,
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
    detail(status, message)
        .map(|d| format!(" ({d})"))
        .unwrap_or_default()
}

fn colon(status: u16, message: &str) -> String {
    detail(status, message)
        .map(|d| format!(": {d}"))
        .unwrap_or_default()
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
            Self::Interrupted { host, message } => write!(
                f,
                "the connection to {host} broke after the request was sent ({message})"
            ),
            Self::Http { status, message } => {
                write!(f, "{status} {}{}", reason(*status), colon(*status, message))
            }
            Self::Config { message } | Self::Tls { message, .. } => f.write_str(message),
            Self::TooLarge { limit_mib, .. } => write!(
                f,
                "the server's answer is larger than {limit_mib} MiB, so it was not read: raise max_body_mib in [http] if that is expected"
            ),
            Self::Redirect { status, location } => write!(
                f,
                "the server answered {status} with a redirect to {location}: runnerdeck follows redirects only within the same server, so that the token goes nowhere else; if the server moved, put its new address in the url of the config"
            ),
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
pub(crate) fn from_response(
    status: u16,
    headers: &HeaderMap,
    body: &[u8],
    cx: &Context<'_>,
) -> ApiError {
    let content_type = header_str(headers, CONTENT_TYPE.as_str());
    let message = body_message(status, content_type.as_deref(), body);
    match status {
        400 => ApiError::BadRequest { message },
        401 => ApiError::Unauthorized { message },
        403 if cx.api == Api::GitLab => ApiError::Forbidden { message },
        404 if cx.unlicensed_on_404 => ApiError::NotLicensed,
        404 => ApiError::NotFound {
            what: cx.what.to_string(),
            message,
        },
        409 => ApiError::Conflict { message },
        412 => ApiError::PreconditionFailed { message },
        422 => ApiError::Unprocessable { message },
        429 => ApiError::RateLimited {
            retry_after: header_str(headers, RETRY_AFTER.as_str())
                .and_then(|v| v.trim().parse().ok()),
            message,
        },
        500..=599 => ApiError::Server { status, message },
        300..=399 => match header_str(headers, "location") {
            Some(to) => ApiError::Redirect {
                status,
                location: redirect_target(&to),
            },
            None => ApiError::Http { status, message },
        },
        _ => ApiError::Http { status, message },
    }
}

/// A `Location` to show: no query or fragment, no credentials, one short line.
fn redirect_target(location: &str) -> String {
    match reqwest::Url::parse(location.trim()) {
        Ok(mut url) => {
            url.set_query(None);
            url.set_fragment(None);
            sanitize(&super::http::redact_userinfo(url.as_str()))
        }
        Err(_) => sanitize(location.split(['?', '#']).next().unwrap_or_default()),
    }
}

pub(crate) fn header_str(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// A successful answer that does not parse: `NotJson` when it is not JSON at all, `Decode` when it
/// is JSON of the wrong shape.
pub(crate) fn undecodable(
    status: u16,
    headers: &HeaderMap,
    body: &[u8],
    err: &serde_json::Error,
) -> ApiError {
    if serde_json::from_slice::<serde::de::IgnoredAny>(body).is_ok() {
        return ApiError::Decode {
            message: err.to_string(),
        };
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
    let snippet = if snippet.is_empty() {
        "(empty body)".to_string()
    } else {
        snippet
    };
    ApiError::NotJson {
        status,
        content_type,
        snippet,
    }
}

/// The text a user should read from an error body of any shape.
pub(crate) fn body_message(status: u16, content_type: Option<&str>, body: &[u8]) -> String {
    if let Ok(v) = serde_json::from_slice::<Value>(body) {
        return json_message(&v).unwrap_or_else(|| sanitize(&v.to_string()));
    }
    if looks_like_html(content_type, body) {
        let title = html_summary(body);
        let title = if title.is_empty() {
            String::new()
        } else {
            format!(" (\"{title}\")")
        };
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
            if let Some(m) = map
                .get("message")
                .and_then(flatten)
                .filter(|m| !m.is_empty())
            {
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
    let msg = item
        .get("msg")
        .and_then(flatten)
        .or_else(|| flatten(item))?;
    let loc: Vec<String> = item
        .get("loc")
        .and_then(Value::as_array)
        .map(|l| l.iter().filter_map(flatten).collect())
        .unwrap_or_default();
    Some(if loc.is_empty() {
        msg
    } else {
        format!("{}: {msg}", loc.join("."))
    })
}

/// Any JSON value as one line: `{"description": ["is too long"]}` -> `description is too long`.
fn flatten(v: &Value) -> Option<String> {
    let s = match v {
        Value::Null => return None,
        Value::String(s) => sanitize(s),
        Value::Bool(_) | Value::Number(_) => v.to_string(),
        Value::Array(items) => items
            .iter()
            .filter_map(flatten)
            .collect::<Vec<_>>()
            .join(", "),
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
