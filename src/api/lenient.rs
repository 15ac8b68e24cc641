//! Lenient field decoders shared by the GitLab and veHaaS DTOs: ids as numbers or strings,
//! times and durations in any common form, lists bare or wrapped. A field that cannot be read
//! becomes `None` rather than failing the whole answer; nothing here knows an endpoint.

use std::time::Duration;

use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::time;
use crate::domain::Stamp;

fn value<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Option::<Value>::deserialize(d)
}

/// A string from a string, number or bool; from an object, its `name`/`username`/… field.
pub(crate) fn string_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Object(map) => ["name", "username", "display_name", "email", "id"]
            .iter()
            .find_map(|k| map.get(*k).and_then(string_of)),
        Value::Null | Value::Array(_) => None,
    }
}

pub(crate) fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(value(d)?.as_ref().and_then(string_of))
}

/// An int64 id, as a JSON number or a numeric string.
pub(crate) fn i64_id<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    let v = value(d)?;
    let n = match &v {
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    };
    n.ok_or_else(|| {
        serde::de::Error::custom(format!(
            "expected an integer id, found {}",
            kind(v.as_ref())
        ))
    })
}

pub(crate) fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(match value(d)? {
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    })
}

pub(crate) fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(match value(d)? {
        Some(Value::Bool(b)) => Some(b),
        Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => Some(true),
            "false" | "0" | "no" => Some(false),
            _ => None,
        },
        Some(Value::Number(n)) => n.as_i64().map(|n| n != 0),
        _ => None,
    })
}

/// RFC 3339 with or without offset or fraction (naive = UTC), or epoch seconds; the
/// server's text is kept for printing.
pub(crate) fn opt_stamp<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Stamp>, D::Error> {
    Ok(match value(d)? {
        Some(Value::String(s)) => time::parse_lenient(&s).map(|t| Stamp::new(t, &s)),
        Some(Value::Number(n)) => n
            .as_f64()
            .and_then(time::from_epoch_seconds)
            .map(Stamp::from),
        _ => None,
    })
}

/// Any ISO 8601 duration, `HH:MM:SS`, or seconds as a number or numeric string.
pub(crate) fn opt_duration<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
    Ok(match value(d)? {
        Some(Value::String(s)) => crate::duration::parse_lenient(&s).ok(),
        Some(Value::Number(n)) => n
            .as_f64()
            .filter(|s| s.is_finite() && *s >= 0.0)
            .and_then(|s| Duration::try_from_secs_f64(s).ok()),
        _ => None,
    })
}

/// The elements of a list answer: a bare array, or one wrapped in `items`, `results` or `data`.
pub(crate) fn list(v: Value) -> Result<Vec<Value>, String> {
    match v {
        Value::Array(items) => Ok(items),
        Value::Object(mut map) => {
            for key in ["items", "results", "data"] {
                if let Some(Value::Array(items)) = map.remove(key) {
                    return Ok(items);
                }
            }
            Err("expected a list (or an object with items, results or data)".to_string())
        }
        other => Err(format!("expected a list, found {}", kind(Some(&other)))),
    }
}

fn kind(v: Option<&Value>) -> &'static str {
    match v {
        None | Some(Value::Null) => "nothing",
        Some(Value::Bool(_)) => "a boolean",
        Some(Value::Number(_)) => "a number",
        Some(Value::String(_)) => "a string",
        Some(Value::Array(_)) => "a list",
        Some(Value::Object(_)) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::Timestamp;
    use serde_json::json;

    #[derive(Deserialize, Debug, Default)]
    #[serde(default)]
    struct Probe {
        #[serde(deserialize_with = "opt_string")]
        s: Option<String>,
        #[serde(deserialize_with = "opt_i64")]
        n: Option<i64>,
        #[serde(deserialize_with = "opt_bool")]
        b: Option<bool>,
        #[serde(deserialize_with = "opt_stamp")]
        t: Option<Stamp>,
        #[serde(deserialize_with = "opt_duration")]
        d: Option<Duration>,
    }

    fn probe(v: Value) -> Probe {
        serde_json::from_value(v).expect("probe decodes")
    }

    #[test]
    fn fields_in_any_shape() {
        assert_eq!(probe(json!({"s": "x"})).s.as_deref(), Some("x"));
        assert_eq!(probe(json!({"s": 12})).s.as_deref(), Some("12"));
        assert_eq!(
            probe(json!({"s": {"username": "ann"}})).s.as_deref(),
            Some("ann")
        );
        assert_eq!(probe(json!({"s": null})).s, None);
        assert_eq!(probe(json!({"n": "42"})).n, Some(42));
        assert_eq!(probe(json!({"n": 42})).n, Some(42));
        assert_eq!(probe(json!({"b": "true"})).b, Some(true));
        assert_eq!(probe(json!({"b": false})).b, Some(false));
        assert_eq!(probe(json!({"b": "maybe"})).b, None);
        let t = probe(json!({"t": "2026-01-05T10:20:30"})).t.map(|s| s.at());
        assert_eq!(t, "2026-01-05T10:20:30Z".parse().ok());
        let naive = probe(json!({"t": "2026-01-05T10:20:30"})).t.expect("time");
        assert_eq!(
            naive.as_str(),
            "2026-01-05T10:20:30Z",
            "a naive time prints in RFC 3339"
        );
        assert_eq!(
            probe(json!({"t": 0})).t.map(|s| s.at()),
            Some(Timestamp::UNIX_EPOCH)
        );
        assert_eq!(probe(json!({"t": "garbage"})).t, None);
        assert_eq!(probe(json!({"d": 600})).d, Some(Duration::from_secs(600)));
        assert_eq!(
            probe(json!({"d": 1.5})).d,
            Some(Duration::from_millis(1500))
        );
        assert_eq!(probe(json!({"d": "600"})).d, Some(Duration::from_secs(600)));
        assert_eq!(
            probe(json!({"d": "PT10M"})).d,
            Some(Duration::from_secs(600))
        );
        assert_eq!(
            probe(json!({"d": "00:10:00"})).d,
            Some(Duration::from_secs(600))
        );
        assert_eq!(probe(json!({"d": -5})).d, None);
        let empty = probe(json!({"unknown": [1, 2]}));
        assert!(empty.s.is_none() && empty.n.is_none() && empty.t.is_none() && empty.d.is_none());
    }

    #[test]
    fn lists_bare_or_wrapped() {
        for v in [
            json!([1, 2]),
            json!({"items": [1, 2]}),
            json!({"results": [1, 2], "count": 2}),
            json!({"data": [1, 2], "meta": {}}),
        ] {
            assert_eq!(list(v.clone()), Ok(vec![json!(1), json!(2)]), "{v}");
        }
        assert!(list(json!({"rows": []})).is_err());
        assert!(list(json!("x")).is_err());
    }
}
