//! Times as the servers write them and as HTTP headers want them: lenient parsing of RFC 3339
//! (with or without offset or fraction), HTTP-date printing, and `Deprecation` dates.
//! Pure conversions: no clock, no I/O.

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;

/// RFC 3339 with `Z` or an offset, or a naive date-time read as UTC; fractions optional.
/// A bare date (`2026-01-05`) is midnight UTC.
pub fn parse_lenient(s: &str) -> Option<Timestamp> {
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    if let Ok(ts) = t.parse::<Timestamp>() {
        return Some(ts);
    }
    // Some servers write a lowercase `z`, or `+0000` without a colon; jiff accepts both above,
    // so what remains is a time without any offset: read it as UTC.
    let dt = t.parse::<DateTime>().ok()?;
    dt.to_zoned(TimeZone::UTC).ok().map(|z| z.timestamp())
}

/// Seconds since the epoch, as some APIs send times as numbers.
pub fn from_epoch_seconds(secs: f64) -> Option<Timestamp> {
    if !secs.is_finite() {
        return None;
    }
    let whole = secs.floor();
    let nanos = ((secs - whole) * 1e9).round();
    // `as` saturates on overflow; from_second then rejects an out-of-range value.
    let ts = Timestamp::from_second(whole as i64).ok()?;
    ts.checked_add(jiff::SignedDuration::from_nanos(nanos as i64))
        .ok()
}

/// `Sun, 06 Nov 1994 08:49:37 GMT`, rounded UP to the whole second: HTTP dates have no
/// fractions, and a truncated `updated_at` would look older than the server's own value and
/// make `If-Unmodified-Since` fail although nothing changed.
pub fn http_date_ceil(ts: Timestamp) -> Option<String> {
    let whole = Timestamp::from_second(ts.as_second()).ok()?;
    let rounded = if ts.subsec_nanosecond() > 0 {
        Timestamp::from_second(ts.as_second().checked_add(1)?).ok()?
    } else {
        whole
    };
    jiff::fmt::rfc2822::DateTimePrinter::new()
        .timestamp_to_rfc9110_string(&rounded)
        .ok()
}

/// A `Deprecation` header value for people: RFC 9745's `@1767225600` becomes `2026-01-01`
/// (UTC); anything else (an older draft's HTTP date, `true`) is kept as it came.
pub fn deprecation_date(value: &str) -> String {
    let v = value.trim();
    if let Some(secs) = v.strip_prefix('@').and_then(|n| n.parse::<i64>().ok())
        && let Ok(ts) = Timestamp::from_second(secs)
    {
        return ts.strftime("%Y-%m-%d").to_string();
    }
    v.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("test timestamp")
    }

    #[test]
    fn lenient_times() {
        let cases = [
            ("2026-01-05T10:20:30.123Z", "2026-01-05T10:20:30.123Z"),
            ("2026-01-05T10:20:30Z", "2026-01-05T10:20:30Z"),
            ("2026-01-05T10:20:30z", "2026-01-05T10:20:30Z"),
            ("2026-01-05T11:20:30+01:00", "2026-01-05T10:20:30Z"),
            ("2026-01-05T11:20:30.5+01:00", "2026-01-05T10:20:30.5Z"),
            ("2026-01-05T05:20:30-05:00", "2026-01-05T10:20:30Z"),
            ("2026-01-05T10:20:30", "2026-01-05T10:20:30Z"),
            ("2026-01-05T10:20:30.123456", "2026-01-05T10:20:30.123456Z"),
            ("2026-01-05 10:20:30", "2026-01-05T10:20:30Z"),
            (" 2026-01-05T10:20:30Z ", "2026-01-05T10:20:30Z"),
            ("2026-01-05", "2026-01-05T00:00:00Z"),
        ];
        for (input, want) in cases {
            assert_eq!(parse_lenient(input), Some(ts(want)), "{input}");
        }
        for bad in ["", "yesterday", "2026-13-01T00:00:00Z", "10:20:30"] {
            assert_eq!(parse_lenient(bad), None, "{bad}");
        }
    }

    #[test]
    fn epoch_seconds() {
        assert_eq!(from_epoch_seconds(0.0), Some(ts("1970-01-01T00:00:00Z")));
        assert_eq!(
            from_epoch_seconds(1_767_225_600.5),
            Some(ts("2026-01-01T00:00:00.5Z"))
        );
        assert_eq!(from_epoch_seconds(f64::NAN), None);
        assert_eq!(from_epoch_seconds(1e30), None);
    }

    #[test]
    fn http_dates_round_up() {
        assert_eq!(
            http_date_ceil(ts("2026-01-05T10:20:30Z")).as_deref(),
            Some("Mon, 05 Jan 2026 10:20:30 GMT")
        );
        assert_eq!(
            http_date_ceil(ts("2026-01-05T10:20:30.123Z")).as_deref(),
            Some("Mon, 05 Jan 2026 10:20:31 GMT")
        );
    }

    #[test]
    fn deprecation_dates() {
        assert_eq!(deprecation_date("@1767225600"), "2026-01-01");
        assert_eq!(deprecation_date(" @1767225600 "), "2026-01-01");
        assert_eq!(
            deprecation_date("Thu, 01 Jan 2026 00:00:00 GMT"),
            "Thu, 01 Jan 2026 00:00:00 GMT"
        );
        assert_eq!(deprecation_date("true"), "true");
        assert_eq!(deprecation_date("@abc"), "@abc");
    }
}
