//! Durations: parsing what users type and what veHaaS sends, formatting what veHaaS expects.
//! Pure string <-> `std::time::Duration` conversions; no I/O, no clock, no JSON.

use std::fmt;
use std::time::Duration;

const NANOS_PER_SEC: u128 = 1_000_000_000;
const MINUTE: u128 = 60 * NANOS_PER_SEC;
const HOUR: u128 = 60 * MINUTE;
const DAY: u128 = 24 * HOUR;
const WEEK: u128 = 7 * DAY;

/// Why a text is not a duration, worded for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DurationError {
    Empty,
    Zero(String),
    Invalid(String),
    TooLong(String),
}

impl fmt::Display for DurationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const HINT: &str = "use 10m, 1h30m, 2h or an ISO 8601 duration like PT1H30M";
        match self {
            Self::Empty => write!(f, "no duration given: {HINT}"),
            Self::Zero(s) => write!(f, "\"{s}\" is zero: a duration must be longer than that"),
            Self::Invalid(s) => write!(f, "\"{s}\" is not a duration: {HINT}"),
            Self::TooLong(s) => write!(f, "\"{s}\" is too long a duration"),
        }
    }
}

impl std::error::Error for DurationError {}

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
    let nanos = if t.starts_with(['P', 'p']) {
        parse_iso(t)
    } else if t.contains(':') {
        parse_clock(t)
    } else {
        parse_decimal(t, NANOS_PER_SEC)
    };
    to_duration(nanos.ok_or_else(invalid)?, t)
}

/// What a user types: `10m`, `1h30m`, `1h 30m`, `2h`, `90s`, `1d`, `1.5h`, `HH:MM:SS` or ISO.
/// Zero, empty and bare numbers (which unit?) are refused.
pub fn parse_human(s: &str) -> Result<Duration, DurationError> {
    let t = s.trim();
    if t.is_empty() {
        return Err(DurationError::Empty);
    }
    let d = if t.starts_with(['P', 'p']) || t.contains(':') {
        parse_lenient(t)?
    } else {
        let n = parse_units(t).ok_or_else(|| DurationError::Invalid(t.to_string()))?;
        to_duration(n, t)?
    };
    if d.is_zero() {
        return Err(DurationError::Zero(t.to_string()));
    }
    Ok(d)
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

/// ISO 8601 `PnWnDTnHnMnS` (any component optional, fractions allowed); years and months are
/// refused because their length is ambiguous.
fn parse_iso(s: &str) -> Option<u128> {
    let upper = s.to_ascii_uppercase();
    let rest = upper.strip_prefix('P')?;
    let (date, time) = match rest.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (rest, None),
    };
    let mut total = 0u128;
    let mut any = false;
    for (part, units) in [
        (date, &[('W', WEEK), ('D', DAY)][..]),
        (
            time.unwrap_or(""),
            &[('H', HOUR), ('M', MINUTE), ('S', NANOS_PER_SEC)][..],
        ),
    ] {
        let mut rest = part;
        let mut next_unit = 0;
        while !rest.is_empty() {
            let end = rest.find(|c: char| c.is_ascii_alphabetic())?;
            let letter = rest[end..].chars().next()?;
            let pos = units[next_unit..].iter().position(|(u, _)| *u == letter)?;
            let unit = units[next_unit + pos].1;
            next_unit += pos + 1;
            total = total.checked_add(parse_decimal(&rest[..end], unit)?)?;
            any = true;
            rest = &rest[end + 1..];
        }
    }
    if time == Some("") || !any {
        return None;
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

/// `1h30m`, `1h 30m`, `90s`, `1.5h`, `2 hours`, `10 min`.
fn parse_units(s: &str) -> Option<u128> {
    let lower = s.to_ascii_lowercase();
    let mut rest = lower.trim();
    let mut total = 0u128;
    let mut any = false;
    while !rest.is_empty() {
        let num_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
            .unwrap_or(rest.len());
        let number = &rest[..num_end];
        rest = rest[num_end..].trim_start();
        let unit_end = rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        let unit = match &rest[..unit_end] {
            "d" | "day" | "days" => DAY,
            "h" | "hr" | "hrs" | "hour" | "hours" => HOUR,
            "m" | "min" | "mins" | "minute" | "minutes" => MINUTE,
            "s" | "sec" | "secs" | "second" | "seconds" => NANOS_PER_SEC,
            _ => return None,
        };
        total = total.checked_add(parse_decimal(number, unit)?)?;
        any = true;
        rest = rest[unit_end..].trim_start();
    }
    any.then_some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(secs: u64) -> Duration {
        Duration::from_secs(secs)
    }

    #[test]
    fn format_iso_exact_shape() {
        let cases = [
            (d(600), "P0DT0H10M0.000000S"),
            (d(5400), "P0DT1H30M0.000000S"),
            (d(26 * 3600), "P1DT2H0M0.000000S"),
            (d(0), "P0DT0H0M0.000000S"),
            (Duration::new(93_784, 5_000), "P1DT2H3M4.000005S"),
            (Duration::new(1, 999_999_999), "P0DT0H0M1.999999S"),
        ];
        for (input, want) in cases {
            assert_eq!(format_iso(input), want, "{input:?}");
        }
    }

    #[test]
    fn parse_lenient_accepts_every_server_form() {
        let cases = [
            ("PT10M", d(600)),
            ("pt10m", d(600)),
            ("P0DT0H10M0.000000S", d(600)),
            ("P1DT2H3M4.000005S", Duration::new(93_784, 5_000)),
            ("P1D", d(86_400)),
            ("P1W", d(7 * 86_400)),
            ("PT1.5H", d(5_400)),
            ("PT0.5S", Duration::from_millis(500)),
            ("PT4,5S", Duration::from_millis(4_500)),
            ("600", d(600)),
            (" 600 ", d(600)),
            ("600.25", Duration::from_millis(600_250)),
            ("00:10:00", d(600)),
            ("1:30:00", d(5_400)),
            ("26:00:00", d(26 * 3600)),
            ("00:00:01.5", Duration::from_millis(1_500)),
            ("1 day, 2:03:04", d(93_784)),
            ("2 days, 0:00:00", d(2 * 86_400)),
            ("0", d(0)),
        ];
        for (input, want) in cases {
            assert_eq!(parse_lenient(input), Ok(want), "{input}");
        }
    }

    #[test]
    fn parse_lenient_refuses_nonsense() {
        for input in [
            "", "P", "PT", "P1Y", "P1M", "PT1H2X", "PT10M1H", "abc", "-5", "1:2", "1:2:3:4", "10m",
            "P1DT", "1.2.3",
        ] {
            assert!(parse_lenient(input).is_err(), "{input}");
        }
    }

    #[test]
    fn parse_human_accepts_what_users_type() {
        let cases = [
            ("10m", d(600)),
            ("1h30m", d(5_400)),
            ("1h 30m", d(5_400)),
            ("2h", d(7_200)),
            ("90s", d(90)),
            ("1d", d(86_400)),
            ("1.5h", d(5_400)),
            ("2 hours", d(7_200)),
            ("10 min", d(600)),
            ("1H30M", d(5_400)),
            ("PT1H30M", d(5_400)),
            ("P0DT0H10M0.000000S", d(600)),
            ("01:30:00", d(5_400)),
        ];
        for (input, want) in cases {
            assert_eq!(parse_human(input), Ok(want), "{input}");
        }
    }

    #[test]
    fn parse_human_refuses_with_plain_reasons() {
        let cases = [
            (
                "1x",
                "\"1x\" is not a duration: use 10m, 1h30m, 2h or an ISO 8601 duration like PT1H30M",
            ),
            (
                "",
                "no duration given: use 10m, 1h30m, 2h or an ISO 8601 duration like PT1H30M",
            ),
            (
                "   ",
                "no duration given: use 10m, 1h30m, 2h or an ISO 8601 duration like PT1H30M",
            ),
            ("0m", "\"0m\" is zero: a duration must be longer than that"),
            (
                "PT0S",
                "\"PT0S\" is zero: a duration must be longer than that",
            ),
            (
                "10",
                "\"10\" is not a duration: use 10m, 1h30m, 2h or an ISO 8601 duration like PT1H30M",
            ),
            (
                "h",
                "\"h\" is not a duration: use 10m, 1h30m, 2h or an ISO 8601 duration like PT1H30M",
            ),
            (
                "-1h",
                "\"-1h\" is not a duration: use 10m, 1h30m, 2h or an ISO 8601 duration like PT1H30M",
            ),
        ];
        for (input, want) in cases {
            let err = parse_human(input).expect_err(input);
            assert_eq!(err.to_string(), want, "{input}");
        }
        assert!(matches!(
            parse_human("99999999999999999999999d"),
            Err(DurationError::TooLong(_) | DurationError::Invalid(_))
        ));
    }

    #[test]
    fn format_short_for_cells() {
        let cases = [
            (d(0), "0s"),
            (d(45), "45s"),
            (d(60), "1m"),
            (d(12 * 60 + 30), "12m"),
            (d(3_900), "1h 05m"),
            (d(2 * 86_400 + 3 * 3_600 + 59), "2d 3h"),
        ];
        for (input, want) in cases {
            assert_eq!(format_short(input), want, "{input:?}");
        }
    }

    #[test]
    fn iso_round_trips() {
        for secs in [1, 59, 600, 5_400, 93_784, 1_000_000] {
            let dur = Duration::new(secs, 123_000);
            assert_eq!(parse_lenient(&format_iso(dur)), Ok(dur));
        }
    }
}
