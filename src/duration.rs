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

    #[test]
    fn jiff_reads_iso_and_friendly_forms() {
        let cases = [
            ("P1DT2H", d(26 * 3_600)),
            ("PT1H30M", d(5_400)),
            ("90m", d(5_400)),
            ("1d", d(86_400)),
            ("1d2h", d(26 * 3_600)),
            ("1w", d(7 * 86_400)),
            ("1 hour 30 minutes", d(5_400)),
            ("0.0001s", Duration::from_micros(100)),
        ];
        for (input, want) in cases {
            assert_eq!(parse_human(input), Ok(want), "{input}");
        }
        for input in ["1y", "1mo", "P1Y", "-PT5M", "5m ago", "1h30", "1.5d"] {
            assert!(parse_human(input).is_err(), "{input}");
        }
    }

    fn refusal(input: &str) -> String {
        Limits::default().parse(input).expect_err(input).to_string()
    }

    #[test]
    fn limits_default_to_a_minute_and_a_week() {
        let l = Limits::default();
        assert_eq!((l.min, l.max), (d(60), d(7 * 86_400)));
        for (input, want) in [("1m", d(60)), ("7d", d(7 * 86_400)), ("1h30m", d(5_400))] {
            assert_eq!(l.parse(input), Ok(want), "{input}");
        }
    }

    #[test]
    fn limits_refuse_with_the_reason() {
        let cases = [
            ("0.0001s", "\"0.0001s\" is too short: use at least 1m"),
            ("30s", "\"30s\" is too short: use at least 1m"),
            ("59.999s", "\"59.999s\" is too short: use at least 1m"),
            ("0m", "\"0m\" is zero: a duration must be longer than that"),
            (
                "PT0S",
                "\"PT0S\" is zero: a duration must be longer than that",
            ),
            ("-5m", "\"-5m\": a duration cannot be negative"),
            ("-PT5M", "\"-PT5M\": a duration cannot be negative"),
            ("5m ago", "\"5m ago\": a duration cannot be negative"),
            ("99999h", "\"99999h\" is too long: at most 7d is allowed"),
            ("7d 1s", "\"7d 1s\" is too long: at most 7d is allowed"),
            // Beyond what a span holds, still read exactly and refused as too long.
            (
                "99999999999h",
                "\"99999999999h\" is too long: at most 7d is allowed",
            ),
            (
                "-99999999999h",
                "\"-99999999999h\": a duration cannot be negative",
            ),
            (
                "PT99999999999H",
                "\"PT99999999999H\" is too long: at most 7d is allowed",
            ),
            (
                "99999999999999999999:00:00",
                "\"99999999999999999999:00:00\" is too long: at most 7d is allowed",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(refusal(input), want, "{input}");
        }
        assert!(refusal("soon").contains("is not a duration"));
        assert!(refusal("  ").starts_with("no duration given"));
        // Too big for any integer: refused, whichever reason, and no panic.
        assert!(Limits::default().parse("99999999999999999999999d").is_err());
    }

    #[test]
    fn other_limits_are_named_in_the_reason() {
        let l = Limits {
            min: d(600),
            max: d(5_400),
        };
        assert_eq!(
            l.parse("5m").expect_err("short").to_string(),
            "\"5m\" is too short: use at least 10m"
        );
        assert_eq!(
            l.parse("2h").expect_err("long").to_string(),
            "\"2h\" is too long: at most 1h 30m is allowed"
        );
        assert_eq!(l.parse("90m"), Ok(d(5_400)));
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(256))]

            #[test]
            fn parsers_never_panic(s in any::<String>()) {
                let _ = parse_human(&s);
                let _ = parse_lenient(&s);
                let _ = Limits::default().parse(&s);
            }

            #[test]
            fn duration_like_text_never_panics_and_stays_in_bounds(
                s in "[-+ ]?[0-9]{0,25}([.,][0-9]{0,12})? ?(ns|us|ms|s|m|h|d|w|y|mo|PT|P|:)?[0-9HMSDTW: ]{0,12}"
            ) {
                let limits = Limits::default();
                if let Ok(d) = limits.parse(&s) {
                    prop_assert!(limits.min <= d && d <= limits.max, "{s:?} -> {d:?}");
                }
                let _ = parse_lenient(&s);
            }

            #[test]
            fn the_documented_shape_reads_back(secs in 0u64..10_000_000_000, micros in 0u32..1_000_000) {
                let dur = Duration::new(secs, micros * 1_000);
                prop_assert_eq!(parse_lenient(&format_iso(dur)), Ok(dur));
            }
        }
    }
}
