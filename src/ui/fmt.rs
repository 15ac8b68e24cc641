//! Text for times and durations on screen: relative ages, countdowns, clock times.

use std::time::Duration;

use jiff::Timestamp;
use jiff::tz::TimeZone;

/// "12s", "5m", "3h", "4d": how long ago, compact.
pub fn ago(now: Timestamp, then: Timestamp) -> String {
    let secs = now.duration_since(then).as_secs().max(0);
    compact(secs as u64)
}

fn compact(secs: u64) -> String {
    match secs {
        0..60 => format!("{secs}s"),
        60..3600 => format!("{}m", secs / 60),
        3600..86_400 => format!("{}h", secs / 3600),
        _ => format!("{}d", secs / 86_400),
    }
}

/// A countdown: "45s", "12m 30s", "1h 05m", "2d 3h".
pub fn countdown(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m {:02}s", s / 60, s % 60),
        3600..86_400 => format!("{}h {:02}m", s / 3600, (s % 3600) / 60),
        _ => format!("{}d {}h", s / 86_400, (s % 86_400) / 3600),
    }
}

/// Wall-clock time in the display zone: "10:42".
pub fn clock(t: Timestamp, tz: &TimeZone) -> String {
    t.to_zoned(tz.clone()).strftime("%H:%M").to_string()
}

/// Date and time in the display zone: "2026-11-22 10:42".
pub fn date_time(t: Timestamp, tz: &TimeZone) -> String {
    t.to_zoned(tz.clone())
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

/// Date and time to the second in the display zone: "2026-11-22 10:42:07".
pub fn seconds(t: Timestamp, tz: &TimeZone) -> String {
    t.to_zoned(tz.clone())
        .strftime("%Y-%m-%d %H:%M:%S")
        .to_string()
}

/// The display zone's name for people: `Europe/Berlin`, `UTC`.
pub fn zone_name(tz: &TimeZone) -> String {
    tz.iana_name().map_or_else(
        || {
            let now = Timestamp::now().to_zoned(tz.clone());
            now.strftime("UTC%:z").to_string()
        },
        str::to_string,
    )
}

/// A date in the display zone: "2026-11-22".
pub fn date(t: Timestamp, tz: &TimeZone) -> String {
    t.to_zoned(tz.clone()).strftime("%Y-%m-%d").to_string()
}

/// Until `end`, or "ended" once it is past.
pub fn until(now: Timestamp, end: Timestamp) -> String {
    let secs = end.duration_since(now).as_secs();
    if secs <= 0 {
        "ended".into()
    } else {
        countdown(Duration::from_secs(secs as u64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countdowns_read_naturally() {
        assert_eq!(countdown(Duration::from_secs(45)), "45s");
        assert_eq!(countdown(Duration::from_secs(750)), "12m 30s");
        assert_eq!(countdown(Duration::from_secs(3900)), "1h 05m");
        assert_eq!(
            countdown(Duration::from_secs(2 * 86_400 + 3 * 3600)),
            "2d 3h"
        );
    }
}
