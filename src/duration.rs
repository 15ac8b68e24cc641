//! Durations: parsing what users type and what veHaaS sends, formatting what veHaaS expects, and
//! the bounds a booking must keep. Pure string <-> `std::time::Duration`; no I/O, no clock, no
//! JSON. jiff reads ISO 8601 and the friendly `1h30m`; only veHaaS's own output shape and
//! `HH:MM:SS` are written by hand here.

use std::fmt;
use std::time::Duration;

use jiff::{SignedDuration, Span, SpanRelativeTo, SpanRound, Unit};

const NANOS_PER_SEC: u128 = 1_000_000_000;
const MINUTE: u128 = 60 * NANOS_PER_SEC;
const HOUR: u128 = 60 * MINUTE;
const DAY: u128 = 24 * HOUR;

/// Why a text is not a duration, worded for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DurationError {
    Empty,
    Zero(String),
    Invalid(String),
    TooLong(String),
    Negative(String),
    /// Under [`Limits::min`].
    TooShort {
        text: String,
        min: Duration,
    },
    /// Over [`Limits::max`], including values too large to compute with.
    OverLimit {
        text: String,
        max: Duration,
    },
}

impl fmt::Display for DurationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const HINT: &str = "use 10m, 1h30m, 2h or an ISO 8601 duration like PT1H30M";
        match self {
            Self::Empty => write!(f, "no duration given: {HINT}"),
            Self::Zero(s) => write!(f, "\"{s}\" is zero: a duration must be longer than that"),
            Self::Invalid(s) => write!(f, "\"{s}\" is not a duration: {HINT}"),
            Self::TooLong(s) => write!(f, "\"{s}\" is too long a duration"),
            Self::Negative(s) => write!(f, "\"{s}\": a duration cannot be negative"),
            Self::TooShort { text, min } => {
                write!(f, "\"{text}\" is too short: use at least {}", compact(*min))
            }
            Self::OverLimit { text, max } => {
                write!(
                    f,
                    "\"{text}\" is too long: at most {} is allowed",
                    compact(*max)
                )
            }
        }
    }
}

impl std::error::Error for DurationError {}

/// How short and how long a booking (or an extension) may be. The defaults are what veHaaS
/// instances are set up for; a config key may change them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub min: Duration,
    pub max: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            min: Duration::from_secs(60),
            max: Duration::from_secs(7 * 86_400),
        }
    }
}

impl Limits {
    /// [`parse_human`], then the bounds: refuses negative, zero, too short and too long values,
    /// each with its reason. Never panics, however large the number.
    pub fn parse(&self, s: &str) -> Result<Duration, DurationError> {
        let t = s.trim();
        let over = |text: String| DurationError::OverLimit {
            text,
            max: self.max,
        };
        let (negative, d) = read_human(t).map_err(|e| match e {
            DurationError::TooLong(text) => over(text),
            e => e,
        })?;
        if d.is_zero() {
            Err(DurationError::Zero(t.to_string()))
        } else if negative {
            Err(DurationError::Negative(t.to_string()))
        } else if d < self.min {
            Err(DurationError::TooShort {
                text: t.to_string(),
                min: self.min,
            })
        } else if d > self.max {
            Err(over(t.to_string()))
        } else {
            Ok(d)
        }
    }
}

/// The exact shape veHaaS documents: `P{days}DT{h}H{m}M{s}.{micros:06}S`.
pub fn format_iso(d: Duration) -> String {
    let secs = d.as_secs();
    let days = secs / 86_400;
    let h = (secs % 86_400) / 3_600;
    let m = (secs % 3_600) / 60;
    let s = secs % 60;
    let micros = d.subsec_micros();
    format!("P{days}DT{h}H{m}M{s}.{micros:06}S")
}

/// Anything a server may send: ISO 8601 (days to seconds, with fractions), a plain number of
/// seconds, `HH:MM:SS`, or Python's `1 day, 2:03:04`.
pub fn parse_lenient(s: &str) -> Result<Duration, DurationError> {
    let t = s.trim();
    if t.is_empty() {
        return Err(DurationError::Empty);
    }
    let invalid = || DurationError::Invalid(t.to_string());
    if t.starts_with(['P', 'p']) {
        // A leading `P` leaves no room for a sign: jiff's answer is never negative here.
        return read_jiff(t).map(|d| d.unsigned_abs()).ok_or_else(invalid);
    }
    let nanos = if t.contains(':') {
        parse_clock(t)
    } else {
        parse_decimal(t, NANOS_PER_SEC)
    };
    to_duration(nanos.ok_or_else(invalid)?, t)
}

/// What a user types: `10m`, `1h30m`, `1h 30m`, `2h`, `90s`, `1d`, `1.5h`, `HH:MM:SS` or ISO.
/// Zero, empty, negative and bare numbers (which unit?) are refused.
pub fn parse_human(s: &str) -> Result<Duration, DurationError> {
    let t = s.trim();
    match read_human(t)? {
        (_, d) if d.is_zero() => Err(DurationError::Zero(t.to_string())),
        (true, _) => Err(DurationError::Invalid(t.to_string())),
        (false, d) => Ok(d),
    }
}

/// Compact, for a table cell: `45s`, `12m`, `1h 05m`, `2d 3h`.
pub fn format_short(d: Duration) -> String {
    let secs = d.as_secs();
    if secs < 60 {
        format!("{secs}s")
    } else if secs < 3_600 {
        format!("{}m", secs / 60)
    } else if secs < 86_400 {
        format!("{}h {:02}m", secs / 3_600, (secs % 3_600) / 60)
    } else {
        format!("{}d {}h", secs / 86_400, (secs % 86_400) / 3_600)
    }
}

/// As jiff's friendly format writes it, largest unit days: `1m`, `1h 30m`, `7d`.
fn compact(d: Duration) -> String {
    SignedDuration::try_from(d)
        .ok()
        .and_then(|sd| Span::try_from(sd).ok())
        .and_then(|span| {
            span.round(SpanRound::new().largest(Unit::Day).days_are_24_hours())
                .ok()
        })
        .map_or_else(|| format_short(d), |span| format!("{span:#}"))
}

/// A user's text and whether it was negative (`-5m`, `5m ago`).
fn read_human(t: &str) -> Result<(bool, Duration), DurationError> {
    if t.is_empty() {
        return Err(DurationError::Empty);
    }
    if t.starts_with(['P', 'p']) || t.contains(':') {
        return parse_lenient(t).map(|d| (false, d));
    }
    let d = read_jiff(t).ok_or_else(|| DurationError::Invalid(t.to_string()))?;
    Ok((d.is_negative(), d.unsigned_abs()))
}

/// ISO 8601 or jiff's friendly format (designators in any case), days and weeks of 24 hours;
/// years and months are refused because their length depends on the date.
fn read_jiff(t: &str) -> Option<SignedDuration> {
    let lower = t.to_ascii_lowercase();
    match lower.parse::<Span>() {
        Ok(span) => span.to_duration(SpanRelativeTo::days_are_24_hours()).ok(),
        // A span holds each unit in a bounded range; hours, minutes and seconds beyond it are
        // still read exactly as a `SignedDuration`, so a huge value is refused as too long
        // rather than as unreadable.
        Err(_) => lower.parse::<SignedDuration>().ok(),
    }
}

fn to_duration(nanos: u128, original: &str) -> Result<Duration, DurationError> {
    let secs = u64::try_from(nanos / NANOS_PER_SEC)
        .map_err(|_| DurationError::TooLong(original.to_string()))?;
    // The remainder is below one second, so it fits in u32.
    let sub = u32::try_from(nanos % NANOS_PER_SEC).unwrap_or(0);
    Ok(Duration::new(secs, sub))
}

/// `12`, `12.5`, `.5` times `unit` nanoseconds; fractions beyond nanoseconds are dropped.
fn parse_decimal(s: &str, unit: u128) -> Option<u128> {
    let (int, frac) = match s.split_once(['.', ',']) {
        Some((i, f)) => (i, f),
        None => (s, ""),
    };
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    if !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole: u128 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let mut total = whole.checked_mul(unit)?;
    let digits = &frac[..frac.len().min(18)];
    if !digits.is_empty() {
        let value: u128 = digits.parse().ok()?;
        let scale = 10u128.checked_pow(u32::try_from(digits.len()).ok()?)?;
        total = total.checked_add(value.checked_mul(unit)? / scale)?;
    }
    Some(total)
}

/// `HH:MM:SS[.fff]`, optionally preceded by `N day(s), ` as Python prints a timedelta.
fn parse_clock(s: &str) -> Option<u128> {
    let (days, clock) = match s.split_once(',') {
        Some((d, c)) => {
            let d = d.trim();
            let n = d
                .strip_suffix("days")
                .or_else(|| d.strip_suffix("day"))?
                .trim();
            (parse_decimal(n, DAY)?, c.trim())
        }
        None => (0, s),
    };
    let parts: Vec<&str> = clock.split(':').collect();
    let [h, m, sec] = parts.as_slice() else {
        return None;
    };
    if h.is_empty() || m.is_empty() || sec.is_empty() || h.contains('.') || m.contains('.') {
        return None;
    }
    let h = parse_decimal(h, HOUR)?;
    let m = parse_decimal(m, MINUTE)?;
    let sec = parse_decimal(sec, NANOS_PER_SEC)?;
    days.checked_add(h)?.checked_add(m)?.checked_add(sec)
}

#[cfg(test)]
#[path = "duration_tests.rs"]
mod tests;
