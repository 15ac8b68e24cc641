//! Durations: every form users and servers write, the refusals with their reasons, and
//! properties (bounded cases) that no input makes a parser panic.

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
