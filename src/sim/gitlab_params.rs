//! Request parameters and error bodies of the GitLab simulator, the way Grape does them:
//! query and body (JSON or form) merged, `{"error": ...}` for parameter errors (joined with
//! ", "), `{"message": ...}` for GitLab's own errors.

use std::collections::BTreeMap;

use axum::Json;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use serde_json::{Value, json};

/// Now, truncated to milliseconds as Rails stores it.
pub(crate) fn now_ms() -> Timestamp {
    let now = Timestamp::now();
    Timestamp::from_millisecond(now.as_millisecond()).unwrap_or(now)
}

/// An early answer (an error), boxed because a `Response` is large.
#[derive(Debug)]
pub(crate) struct Reject(Box<Response>);

impl From<Response> for Reject {
    fn from(r: Response) -> Self {
        Reject(Box::new(r))
    }
}

impl IntoResponse for Reject {
    fn into_response(self) -> Response {
        *self.0
    }
}

/// What a handler body produces: the answer, or an early error answer.
pub(crate) type Answer = Result<Response, Reject>;

pub(crate) fn done(a: Answer) -> Response {
    a.unwrap_or_else(IntoResponse::into_response)
}

pub(crate) fn message(status: StatusCode, msg: &str) -> Response {
    (status, Json(json!({ "message": msg }))).into_response()
}

pub(crate) fn error(status: StatusCode, msg: &str) -> Response {
    (status, Json(json!({ "error": msg }))).into_response()
}

pub(crate) fn not_found() -> Response {
    message(StatusCode::NOT_FOUND, "404 Not Found")
}

pub(crate) fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
}

pub(crate) fn description_too_long() -> Response {
    message(
        StatusCode::BAD_REQUEST,
        "Description is too long (maximum is 1024 characters)",
    )
}

pub(crate) const MAX_DESCRIPTION_CHARS: usize = 1024;

/// Collects Grape-style parameter errors; they are reported together, in declaration order.
#[derive(Debug, Default)]
pub(crate) struct ParamErrors(Vec<String>);

impl ParamErrors {
    pub(crate) fn push(&mut self, e: String) {
        self.0.push(e);
    }

    /// Parses an integer path or query parameter; `name is invalid` otherwise. A value too large
    /// for int64 is still an integer to Grape: it maps to 0, an id that never exists.
    pub(crate) fn int(&mut self, name: &str, raw: &str) -> Option<i64> {
        let digits = raw.strip_prefix(['+', '-']).unwrap_or(raw);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            self.push(format!("{name} is invalid"));
            return None;
        }
        Some(raw.parse::<i64>().unwrap_or(0))
    }

    pub(crate) fn finish(self) -> Result<(), Reject> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(error(StatusCode::BAD_REQUEST, &self.0.join(", ")).into())
        }
    }
}

/// One integer path parameter, checked as Grape does: `{"error":"id is invalid"}` otherwise.
pub(crate) fn path_int(name: &str, raw: &str) -> Result<Option<i64>, Reject> {
    let mut errors = ParamErrors::default();
    let v = errors.int(name, raw);
    errors.finish()?;
    Ok(v)
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Param {
    Null,
    Text(String),
    /// An object or array where a scalar was expected.
    Invalid,
}

/// Query and body parameters merged, the body winning.
#[derive(Debug, Default)]
pub(crate) struct Params(BTreeMap<String, Param>);

impl Params {
    pub(crate) fn parse(
        headers: &HeaderMap,
        query: Option<&str>,
        body: &Bytes,
    ) -> Result<Params, Reject> {
        let mut map = BTreeMap::new();
        for (k, v) in decode_pairs(query.unwrap_or("")) {
            map.insert(k, Param::Text(v));
        }
        let ctype = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        let is_json = ctype.starts_with("application/json") || ctype.contains("+json");
        let trimmed = body.iter().all(u8::is_ascii_whitespace);
        if trimmed {
            return Ok(Params(map));
        }
        if is_json || (!ctype.contains("form") && body.first() == Some(&b'{')) {
            let value: Value = serde_json::from_slice(body).map_err(|_| {
                error(
                    StatusCode::BAD_REQUEST,
                    "The request body is not valid JSON",
                )
            })?;
            let Value::Object(obj) = value else {
                return Err(Reject::from(error(
                    StatusCode::BAD_REQUEST,
                    "The request body must be a JSON object",
                )));
            };
            for (k, v) in obj {
                let p = match v {
                    Value::Null => Param::Null,
                    Value::String(s) => Param::Text(s),
                    Value::Bool(b) => Param::Text(b.to_string()),
                    Value::Number(n) => Param::Text(n.to_string()),
                    Value::Array(_) | Value::Object(_) => Param::Invalid,
                };
                map.insert(k, p);
            }
        } else {
            let text = String::from_utf8_lossy(body);
            for (k, v) in decode_pairs(&text) {
                map.insert(k, Param::Text(v));
            }
        }
        Ok(Params(map))
    }

    pub(crate) fn get(&self, name: &str) -> Option<&Param> {
        self.0.get(name)
    }

    /// `None`: not sent; `Some(None)`: null; `Some(Some(s))`: a value.
    pub(crate) fn description(&self, errors: &mut ParamErrors) -> Option<Option<String>> {
        match self.get("description")? {
            Param::Null => Some(None),
            Param::Text(s) => Some(Some(s.clone())),
            Param::Invalid => {
                errors.push("description is invalid".into());
                None
            }
        }
    }

    /// A valid state, or `state does not have a valid value`. A null state counts as not sent.
    pub(crate) fn state(&self, errors: &mut ParamErrors) -> Option<String> {
        match self.get("state")? {
            Param::Null => None,
            Param::Text(s) if matches!(s.as_str(), "disabled" | "enabled" | "dry_run") => {
                Some(s.clone())
            }
            Param::Text(_) | Param::Invalid => {
                errors.push("state does not have a valid value".into());
                None
            }
        }
    }
}

/// The model validation of a description (runs after the record is found, like Rails).
pub(crate) fn check_description(d: &Option<Option<String>>) -> Result<(), Reject> {
    match d {
        Some(Some(s)) if s.chars().count() > MAX_DESCRIPTION_CHARS => {
            Err(description_too_long().into())
        }
        _ => Ok(()),
    }
}

/// Decodes `application/x-www-form-urlencoded` pairs (also query strings).
pub(crate) fn decode_pairs(s: &str) -> Vec<(String, String)> {
    s.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'+' {
            out.push(b' ');
        } else if b == b'%'
            && let Some(v) = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 2;
        } else {
            out.push(b);
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_form_pairs() {
        assert_eq!(
            decode_pairs("description=GPU+quota%20guard&state=dry_run&x"),
            vec![
                ("description".into(), "GPU quota guard".into()),
                ("state".into(), "dry_run".into()),
                ("x".into(), "".into()),
            ]
        );
        assert_eq!(decode_pairs("a=%zz%4"), vec![("a".into(), "%zz%4".into())]);
    }

    #[test]
    fn integer_params() {
        let mut e = ParamErrors::default();
        assert_eq!(e.int("id", "42"), Some(42));
        assert_eq!(e.int("id", "-1"), Some(-1));
        assert_eq!(e.int("id", "99999999999999999999"), Some(0));
        assert_eq!(e.int("id", "abc"), None);
        assert_eq!(e.int("page", "1.5"), None);
        assert_eq!(e.0, vec!["id is invalid", "page is invalid"]);
    }
}
