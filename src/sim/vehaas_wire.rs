//! veHaaS simulator wire format: its own serde structs, time and duration text in both the
//! normal (FastAPI-like) and the lenient shapes, and the server-side duration/time parsing.
//! Shares nothing with the client's decoding code on purpose.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::Serialize;
use serde_json::{Map, Value};

pub(super) const MICROS_PER_SEC: i64 = 1_000_000;

/// An id that is a string in normal mode and a JSON number in lenient mode.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub(super) enum WireId {
    Str(String),
    Num(u64),
}

impl WireId {
    /// Numeric-like ids become numbers in lenient mode; anything else stays a string.
    pub(super) fn new(id: &str, lenient: bool) -> Self {
        match id.parse::<u64>() {
            Ok(n) if lenient => Self::Num(n),
            _ => Self::Str(id.to_string()),
        }
    }
}

#[derive(Debug, Serialize)]
pub(super) struct WireJobCreated {
    pub job_id: WireId,
    pub state: String,
}

#[derive(Debug, Serialize)]
pub(super) struct WireJob {
    pub job_id: WireId,
    pub state: String,
    pub assembly_ref: String,
    pub session_id: Option<WireId>,
    pub gitlab_runner_tag: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Serialize)]
pub(super) struct WireSession {
    pub id: WireId,
    pub assembly_ref: String,
    pub owner: String,
    pub state: String,
    pub start: String,
    pub end: String,
    pub duration: String,
    pub gitlab_runner_tag: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Serialize)]
pub(super) struct WireAssembly {
    pub assembly_ref: String,
    pub name: String,
    pub location: String,
    pub status: String,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Lenient lists come wrapped, the way some deployments page their answers.
#[derive(Debug, Serialize)]
pub(super) struct WireWrapped<T: Serialize> {
    pub items: Vec<T>,
    pub total: usize,
}

#[derive(Debug, Serialize)]
pub(super) struct WireDetail {
    pub detail: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub(super) struct WireValidationItem {
    pub loc: Vec<Value>,
    pub msg: String,
    #[serde(rename = "type")]
    pub kind: String,
}

#[derive(Debug, Serialize)]
pub(super) struct WireValidation {
    pub detail: Vec<WireValidationItem>,
}

impl WireValidationItem {
    pub(super) fn body(path: &[&str], msg: impl Into<String>, kind: &str) -> Self {
        let mut loc = vec![Value::from("body")];
        loc.extend(path.iter().map(|p| Value::from(*p)));
        Self {
            loc,
            msg: msg.into(),
            kind: kind.to_string(),
        }
    }
}

/// States are lower-case normally and UPPER-CASE in lenient mode.
pub(super) fn state_text(state: &str, lenient: bool) -> String {
    if lenient {
        state.to_ascii_uppercase()
    } else {
        state.to_string()
    }
}

/// `2026-11-22T10:00:00.000000Z` normally, `2026-11-22T10:00:00` (naive, UTC) in lenient mode.
pub(super) fn format_time(ts: Timestamp, lenient: bool) -> String {
    let dt = TimeZone::UTC.to_datetime(ts);
    let base = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    );
    if lenient {
        base
    } else {
        format!("{base}.{:06}Z", dt.subsec_nanosecond() / 1000)
    }
}

/// `HH:MM UTC`, with the date in front when it is not the day of `reference`.
pub(super) fn format_clock(ts: Timestamp, reference: Timestamp) -> String {
    let dt = TimeZone::UTC.to_datetime(ts);
    let day_ref = TimeZone::UTC.to_datetime(reference).date();
    if dt.date() == day_ref {
        format!("{:02}:{:02} UTC", dt.hour(), dt.minute())
    } else {
        format!(
            "{:04}-{:02}-{:02} {:02}:{:02} UTC",
            dt.year(),
            dt.month(),
            dt.day(),
            dt.hour(),
            dt.minute()
        )
    }
}

/// The documented shape `P{d}DT{h}H{m}M{s}.{micros:06}S`, or the compact `PT1H30M` in lenient mode.
pub(super) fn format_duration(micros: i64, lenient: bool) -> String {
    let micros = micros.max(0);
    let total_secs = micros / MICROS_PER_SEC;
    let frac = micros % MICROS_PER_SEC;
    let days = total_secs / 86_400;
    let hours = (total_secs % 86_400) / 3600;
    let minutes = (total_secs % 3600) / 60;
    let secs = total_secs % 60;
    if !lenient {
        return format!("P{days}DT{hours}H{minutes}M{secs}.{frac:06}S");
    }
    let mut out = String::from("P");
    if days > 0 {
        out.push_str(&format!("{days}D"));
    }
    let mut time = String::new();
    if hours > 0 {
        time.push_str(&format!("{hours}H"));
    }
    if minutes > 0 {
        time.push_str(&format!("{minutes}M"));
    }
    if secs > 0 || frac > 0 {
        if frac > 0 {
            let f = format!("{frac:06}");
            time.push_str(&format!("{secs}.{}S", f.trim_end_matches('0')));
        } else {
            time.push_str(&format!("{secs}S"));
        }
    }
    if !time.is_empty() {
        out.push('T');
        out.push_str(&time);
    } else if days == 0 {
        out.push_str("T0S");
    }
    out
}

/// Parses a decimal number like `10`, `0.5`, `4.000005` into millionths, exactly.
fn parse_decimal_micros(text: &str) -> Option<i128> {
    let text = text.replace(',', ".");
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i, f),
        None => (text.as_str(), ""),
    };
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    if !int.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let int_val: i128 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let mut frac_digits: String = frac.chars().take(6).collect();
    while frac_digits.len() < 6 {
        frac_digits.push('0');
    }
    let frac_val: i128 = frac_digits.parse().ok()?;
    int_val.checked_mul(1_000_000)?.checked_add(frac_val)
}

/// ISO 8601 `P[nW][nD][T[nH][nM][nS]]`, any component with a fraction, into microseconds.
fn parse_iso_duration(text: &str) -> Option<i64> {
    let rest = text.strip_prefix(['P', 'p'])?;
    if rest.is_empty() {
        return None;
    }
    let mut total: i128 = 0;
    let mut in_time = false;
    let mut number = String::new();
    let mut seen_unit = false;
    for c in rest.chars() {
        match c.to_ascii_uppercase() {
            'T' if !in_time && number.is_empty() => in_time = true,
            d if d.is_ascii_digit() || d == '.' || d == ',' => number.push(d),
            unit => {
                let scale: i128 = match (unit, in_time) {
                    ('W', false) => 7 * 86_400,
                    ('D', false) => 86_400,
                    ('H', true) => 3600,
                    ('M', true) => 60,
                    ('S', true) => 1,
                    _ => return None,
                };
                let value = parse_decimal_micros(&number)?;
                total = total.checked_add(value.checked_mul(scale)?)?;
                number.clear();
                seen_unit = true;
            }
        }
    }
    if !number.is_empty() || !seen_unit {
        return None;
    }
    i64::try_from(total).ok()
}

/// `[HH:]MM:SS[.ffffff]` (pydantic's other timedelta text) into microseconds.
fn parse_clock_duration(text: &str) -> Option<i64> {
    let parts: Vec<&str> = text.split(':').collect();
    if parts.len() < 2 || parts.len() > 3 {
        return None;
    }
    let mut total: i128 = 0;
    for (i, part) in parts.iter().enumerate() {
        let value = if i + 1 == parts.len() {
            parse_decimal_micros(part)?
        } else {
            if part.is_empty() || !part.chars().all(|c| c.is_ascii_digit()) {
                return None;
            }
            part.parse::<i128>().ok()?.checked_mul(1_000_000)?
        };
        // Each later part is sixty of the one before: ((H * 60) + M) * 60 + S.
        total = total.checked_mul(if i == 0 { 1 } else { 60 })?;
        total = total.checked_add(value)?;
    }
    i64::try_from(total).ok()
}

/// Parses a duration the way a lenient FastAPI server would: an ISO 8601 string, `HH:MM:SS`,
/// or a JSON number of seconds. Returns microseconds; sign is not accepted.
pub(super) fn parse_duration_value(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => {
            let secs = n.as_f64()?;
            if !secs.is_finite() || !(0.0..=1e12).contains(&secs) {
                return None;
            }
            Some((secs * 1e6).round() as i64)
        }
        Value::String(s) => parse_duration_text(s.trim()),
        _ => None,
    }
}

pub(super) fn parse_duration_text(text: &str) -> Option<i64> {
    if text.starts_with(['P', 'p']) {
        parse_iso_duration(text)
    } else if text.contains(':') {
        parse_clock_duration(text)
    } else {
        let micros = parse_decimal_micros(text)?;
        i64::try_from(micros).ok()
    }
}

/// RFC 3339 with `Z` or an offset; a naive time is read as UTC.
pub(super) fn parse_time(text: &str) -> Option<Timestamp> {
    let text = text.trim();
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Some(ts);
    }
    let dt = text.parse::<jiff::civil::DateTime>().ok()?;
    dt.to_zoned(TimeZone::UTC).ok().map(|z| z.timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: i64 = 60 * MICROS_PER_SEC;

    #[test]
    fn documented_duration_shape() {
        assert_eq!(format_duration(10 * MIN, false), "P0DT0H10M0.000000S");
        assert_eq!(format_duration(90 * MIN, false), "P0DT1H30M0.000000S");
        assert_eq!(
            format_duration(26 * 60 * MIN + 3 * MIN + 4 * MICROS_PER_SEC + 5, false),
            "P1DT2H3M4.000005S"
        );
    }

    #[test]
    fn lenient_duration_shape() {
        assert_eq!(format_duration(10 * MIN, true), "PT10M");
        assert_eq!(format_duration(90 * MIN, true), "PT1H30M");
        assert_eq!(format_duration(24 * 60 * MIN, true), "P1D");
        assert_eq!(format_duration(0, true), "PT0S");
        assert_eq!(format_duration(1_500_000, true), "PT1.5S");
    }

    #[test]
    fn parses_iso_durations() {
        assert_eq!(parse_duration_text("P0DT0H10M0.000000S"), Some(10 * MIN));
        assert_eq!(parse_duration_text("PT10M"), Some(10 * MIN));
        assert_eq!(parse_duration_text("PT1H30M"), Some(90 * MIN));
        assert_eq!(
            parse_duration_text("P1DT2H3M4.000005S"),
            Some(26 * 60 * MIN + 3 * MIN + 4 * MICROS_PER_SEC + 5)
        );
        assert_eq!(parse_duration_text("PT0.5H"), Some(30 * MIN));
        assert_eq!(parse_duration_text("P1W"), Some(7 * 24 * 60 * MIN));
        assert_eq!(parse_duration_text("pt10m"), Some(10 * MIN));
    }

    #[test]
    fn rejects_bad_durations() {
        for bad in [
            "",
            "P",
            "PT",
            "10 minutes",
            "PT10",
            "P10M",
            "PT-5M",
            "PTXM",
            "1:2:3:4",
        ] {
            assert_eq!(parse_duration_text(bad), None, "{bad:?}");
        }
        assert_eq!(parse_duration_value(&Value::Bool(true)), None);
        assert_eq!(parse_duration_value(&serde_json::json!(-3)), None);
    }

    #[test]
    fn parses_other_duration_forms() {
        assert_eq!(parse_duration_text("00:10:00"), Some(10 * MIN));
        assert_eq!(parse_duration_text("01:30:00.5"), Some(90 * MIN + 500_000));
        assert_eq!(parse_duration_text("10:00"), Some(10 * MIN));
        assert_eq!(parse_duration_text("600"), Some(10 * MIN));
        assert_eq!(
            parse_duration_value(&serde_json::json!(600)),
            Some(10 * MIN)
        );
        assert_eq!(
            parse_duration_value(&serde_json::json!(0.25)),
            Some(250_000)
        );
    }

    #[test]
    fn time_shapes() {
        let ts: Timestamp = "2026-11-22T10:00:00.000123Z".parse().expect("ts");
        assert_eq!(format_time(ts, false), "2026-11-22T10:00:00.000123Z");
        assert_eq!(format_time(ts, true), "2026-11-22T10:00:00");
        assert_eq!(parse_time("2026-11-22T10:00:00.000123Z"), Some(ts));
        assert_eq!(parse_time("2026-11-22T11:00:00.000123+01:00"), Some(ts));
        assert_eq!(parse_time("2026-11-22T10:00:00.000123"), Some(ts));
        assert_eq!(parse_time("yesterday"), None);
    }

    #[test]
    fn clock_text() {
        let now: Timestamp = "2026-11-22T10:00:00Z".parse().expect("ts");
        let later: Timestamp = "2026-11-22T14:05:00Z".parse().expect("ts");
        let tomorrow: Timestamp = "2026-11-23T01:00:00Z".parse().expect("ts");
        assert_eq!(format_clock(later, now), "14:05 UTC");
        assert_eq!(format_clock(tomorrow, now), "2026-11-23 01:00 UTC");
    }

    #[test]
    fn ids_by_mode() {
        let v = serde_json::to_value(WireId::new("1042", true)).expect("json");
        assert_eq!(v, serde_json::json!(1042));
        let v = serde_json::to_value(WireId::new("1042", false)).expect("json");
        assert_eq!(v, serde_json::json!("1042"));
        let v = serde_json::to_value(WireId::new("6f1c-1", true)).expect("json");
        assert_eq!(v, serde_json::json!("6f1c-1"));
    }
}
