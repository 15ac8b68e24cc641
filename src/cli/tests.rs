//! The command line's shape: what parses, what is refused and why.

use super::*;
use clap::CommandFactory;

use crate::domain::RunnerId;

#[test]
fn the_command_line_is_consistent() {
    Cli::command().debug_assert();
}

fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
    Cli::try_parse_from(std::iter::once("runnerdeck").chain(args.iter().copied()))
}

fn rc(args: &[&str]) -> RcCommand {
    match parse(args).expect("parses").command {
        Some(Command::Rc(c)) => c,
        other => panic!("{other:?}"),
    }
}

#[test]
fn scope_target_is_exactly_one() {
    assert!(parse(&["rc", "scope", "add", "1", "--instance"]).is_ok());
    assert!(parse(&["rc", "scope", "add", "1", "--runner", "5"]).is_ok());
    assert!(parse(&["rc", "scope", "add", "1"]).is_err());
    assert!(parse(&["rc", "scope", "remove", "1", "--instance", "--runner", "5"]).is_err());
}

#[test]
fn glab_spellings_work_too() {
    let RcCommand::Scope(ScopeCommand::Add {
        target,
        change,
        out,
        ..
    }) = rc(&[
        "rc", "scope", "create", "1", "--runner", "1,2,3", "--force", "-F", "json",
    ])
    else {
        panic!("scope create is scope add");
    };
    assert_eq!(target.runner, [RunnerId(1), RunnerId(2), RunnerId(3)]);
    assert!(change.yes, "--force is --yes");
    assert_eq!(out.output, Output::Json);
    let RcCommand::Scope(ScopeCommand::Remove { target, .. }) = rc(&[
        "rc", "scope", "delete", "1", "--runner", "4", "--runner", "5",
    ]) else {
        panic!("scope delete is scope remove");
    };
    assert_eq!(target.runner, [RunnerId(4), RunnerId(5)]);
    let RcCommand::List(list) = rc(&[
        "rc",
        "list",
        "--state",
        "enabled,dry_run",
        "--state",
        "disabled",
        "--page",
        "2",
        "--per-page",
        "5",
        "--sort",
        "updated",
        "--output",
        "json",
    ]) else {
        panic!("list");
    };
    assert_eq!(list.states.len(), 3);
    assert_eq!((list.page, list.per_page), (Some(2), Some(5)));
    assert_eq!(list.sort, Some(SortArg::Updated));
    assert_eq!(list.out.output, Output::Json);
    assert!(parse(&["rc", "list", "--per-page", "101"]).is_err());
    assert!(parse(&["rc", "list", "--page", "0"]).is_err());
}

#[test]
fn every_changing_verb_has_dry_run() {
    for args in [
        &["rc", "create", "--dry-run"][..],
        &["rc", "update", "1", "--state", "enabled", "--dry-run"],
        &["rc", "delete", "1", "--dry-run"],
        &["rc", "token", "create", "1", "--dry-run"],
        &["rc", "token", "rotate", "1", "2", "--dry-run"],
        &["rc", "token", "revoke", "1", "2", "--dry-run"],
        &["rc", "scope", "add", "1", "--instance", "--dry-run"],
        &["rc", "scope", "remove", "1", "--instance", "--dry-run"],
        &[
            "bookings",
            "request",
            "--assembly",
            "A",
            "--duration",
            "1h",
            "--dry-run",
        ],
        &["bookings", "extend", "1", "--by", "1h", "--dry-run"],
        &["bookings", "release", "1", "--dry-run"],
    ] {
        assert!(parse(args).is_ok(), "{args:?}");
    }
    assert!(
        parse(&["rc", "list", "--dry-run"]).is_err(),
        "reads have none"
    );
}

#[test]
fn json_is_seen_in_raw_arguments() {
    for yes in [
        &["rc", "get", "x", "-o", "json"][..],
        &["rc", "get", "x", "-F", "json"],
        &["rc", "get", "x", "--output=json"],
        &["rc", "get", "-ojson"],
    ] {
        assert!(wants_json(yes), "{yes:?}");
    }
    assert!(!wants_json(&["rc", "get", "x", "-o", "table"]));
    assert!(!wants_json(&["rc", "get", "json"]));
}

#[test]
fn update_needs_a_change_and_no_contradiction() {
    assert!(parse(&["rc", "update", "1"]).is_err());
    assert!(parse(&["rc", "update", "1", "--state", "dry_run"]).is_ok());
    assert!(parse(&["rc", "update", "1", "--state", "dry-run"]).is_ok());
    assert!(parse(&["rc", "update", "1", "--clear-description"]).is_ok());
    assert!(
        parse(&[
            "rc",
            "update",
            "1",
            "--description",
            "x",
            "--clear-description"
        ])
        .is_err()
    );
}

#[test]
fn bad_durations_are_refused_with_the_reason() {
    let err = parse(&["bookings", "extend", "1", "--by", "0m"]).expect_err("zero");
    assert!(err.to_string().contains("is zero"), "{err}");
    let err = parse(&[
        "bookings",
        "request",
        "--assembly",
        "A",
        "--duration",
        "soon",
    ])
    .expect_err("not a duration");
    assert!(err.to_string().contains("1h30m"), "{err}");
    let ok = parse(&[
        "bookings",
        "request",
        "--assembly",
        "A",
        "--duration",
        "1h30m",
    ])
    .expect("parses");
    match ok.command {
        Some(Command::Bookings(BookingsCommand::Request { duration, .. })) => {
            let limits = duration::Limits::default();
            assert_eq!(duration.within(&limits), Ok(Duration::from_secs(5400)));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_leading_minus_reaches_the_duration_check() {
    for (args, reason) in [
        (
            &["bookings", "extend", "1", "--by", "-5m"][..],
            "a duration cannot be negative",
        ),
        (
            &[
                "bookings",
                "request",
                "--assembly",
                "A",
                "--duration",
                "-1h",
            ][..],
            "a duration cannot be negative",
        ),
        (
            &["bookings", "extend", "1", "--by", "30s"][..],
            "use at least 1m",
        ),
    ] {
        let err = parse(args).expect_err(reason);
        assert!(err.to_string().contains(reason), "{err}");
    }
}

#[test]
fn how_long_is_judged_by_the_limits_in_force() {
    let Some(Command::Bookings(BookingsCommand::Extend { by, .. })) =
        parse(&["bookings", "extend", "1", "--by", "99999999999h"])
            .expect("any length parses")
            .command
    else {
        panic!("extend");
    };
    let err = by
        .within(&duration::Limits::default())
        .expect_err("too long");
    assert!(err.to_string().contains("at most 7d"), "{err}");
    let two_weeks = duration::Limits {
        max: Duration::from_secs(14 * 86_400),
        ..duration::Limits::default()
    };
    let ten_days = DurationArg { text: "10d".into() };
    assert!(ten_days.within(&duration::Limits::default()).is_err());
    assert_eq!(
        ten_days.within(&two_weeks),
        Ok(Duration::from_secs(864_000))
    );
}

#[test]
fn help_names_the_exit_codes() {
    let help = Cli::command().render_help().to_string();
    for line in ["0    ok", "3    not authenticated", "130  interrupted"] {
        assert!(help.contains(line), "{line:?} not in\n{help}");
    }
}
