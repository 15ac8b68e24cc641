//! One test per rule: it fires on the facts it names, stays quiet on the healthy case and on
//! what is not known, and has the level the rule gives it.

use jiff::{SignedDuration, Timestamp};

use super::*;
use crate::domain::{ControllerToken, RunnerController, Scopes, Stamp};

fn now() -> Timestamp {
    "2026-11-22T10:00:00Z".parse().expect("time")
}

fn days_ago(d: i64) -> Stamp {
    Stamp::from(now() - SignedDuration::from_hours(24 * d))
}

fn controller(state: ControllerState) -> RunnerController {
    RunnerController {
        id: ControllerId(7),
        description: None,
        state,
        created_at: Some(days_ago(60)),
        updated_at: Some(days_ago(1)),
        connected: None,
    }
}

fn token(id: i64, used: Option<i64>, created: i64) -> ControllerToken {
    ControllerToken {
        id: TokenId(id),
        runner_controller_id: ControllerId(7),
        description: None,
        last_used_at: used.map(|m| Stamp::from(now() - SignedDuration::from_mins(m))),
        created_at: Some(days_ago(created)),
        updated_at: None,
    }
}

fn instance() -> Scopes {
    crate::state::tests::instance_scope()
}

fn runners(ids: &[i64]) -> Scopes {
    let each = ids
        .iter()
        .flat_map(|r| crate::state::tests::runner_scope(*r).runners);
    Scopes {
        instance: None,
        runners: each.collect(),
    }
}

fn runner(id: i64, status: RunnerStatus, paused: bool) -> RunnerSeen {
    RunnerSeen::Found(Runner {
        id: RunnerId(id),
        description: None,
        runner_type: Some("instance_type".into()),
        status,
        paused,
    })
}

/// A healthy picture of `c`: instance scope, connected, one token used a minute ago.
fn kinds(
    c: &RunnerController,
    connected: Option<bool>,
    scopes: Option<&Scopes>,
    tokens: Option<&[ControllerToken]>,
    seen: &[(i64, RunnerSeen)],
) -> Vec<(Level, Kind)> {
    let lookup = |r: RunnerId| seen.iter().find(|(id, _)| *id == r.0).map(|(_, s)| s);
    let f = Facts {
        controller: c,
        connected,
        scopes,
        tokens,
        runner: &lookup,
    };
    lint(&f, now(), &Thresholds::default())
        .into_iter()
        .map(|f| (f.level, f.kind))
        .collect()
}

fn healthy(c: &RunnerController) -> Vec<(Level, Kind)> {
    let tokens = [token(1, Some(1), 10)];
    kinds(c, Some(true), Some(&instance()), Some(&tokens), &[])
}

#[test]
fn a_healthy_controller_has_no_finding_and_nothing_known_says_nothing() {
    for s in [
        ControllerState::Enabled,
        ControllerState::DryRun,
        ControllerState::Disabled,
    ] {
        assert_eq!(healthy(&controller(s.clone())), vec![], "{s}");
        let c = controller(s);
        assert_eq!(lint(&Facts::row(&c), now(), &Thresholds::default()), vec![]);
    }
}

#[test]
fn enabled_or_dry_run_with_no_scope_receives_nothing() {
    let tokens = [token(1, Some(1), 10)];
    let none = Scopes::default();
    for (s, enforcing) in [
        (ControllerState::Enabled, true),
        (ControllerState::DryRun, false),
    ] {
        let got = kinds(&controller(s), Some(true), Some(&none), Some(&tokens), &[]);
        assert_eq!(got, vec![(Level::Warn, Kind::NoScope { enforcing })]);
    }
    let c = controller(ControllerState::Disabled);
    assert_eq!(
        kinds(&c, Some(true), Some(&none), Some(&tokens), &[]),
        vec![]
    );
    let c = controller(ControllerState::Enabled);
    assert_eq!(
        kinds(&c, Some(true), Some(&runners(&[1])), Some(&tokens), &[]),
        vec![],
        "a runner scope is a scope"
    );
}

#[test]
fn enabled_but_not_connected() {
    let tokens = [token(1, Some(90), 10)];
    let c = controller(ControllerState::Enabled);
    let got = kinds(&c, Some(false), Some(&instance()), Some(&tokens), &[]);
    assert_eq!(got, vec![(Level::Warn, Kind::NotConnected)]);
    let c = controller(ControllerState::DryRun);
    assert_eq!(
        kinds(&c, Some(false), Some(&instance()), Some(&tokens), &[]),
        vec![]
    );
    let c = controller(ControllerState::Enabled);
    assert_eq!(
        kinds(&c, None, Some(&instance()), Some(&tokens), &[]),
        vec![],
        "a server that does not report it"
    );
}

#[test]
fn dry_run_for_more_than_the_threshold() {
    let tokens = [token(1, Some(1), 10)];
    let mut c = controller(ControllerState::DryRun);
    c.updated_at = Some(days_ago(20));
    let got = kinds(&c, Some(true), Some(&instance()), Some(&tokens), &[]);
    assert_eq!(got, vec![(Level::Info, Kind::LongDryRun { days: 20 })]);
    c.updated_at = Some(days_ago(13));
    assert_eq!(
        kinds(&c, Some(true), Some(&instance()), Some(&tokens), &[]),
        vec![]
    );
    let t = Thresholds {
        dry_run_days: 7,
        ..Thresholds::default()
    };
    let f = Facts {
        scopes: Some(&instance()),
        connected: Some(true),
        tokens: Some(&tokens),
        ..Facts::row(&c)
    };
    assert_eq!(
        lint(&f, now(), &t).len(),
        1,
        "the threshold is the config's"
    );
}

#[test]
fn no_active_token() {
    let c = controller(ControllerState::Enabled);
    let got = kinds(&c, Some(false), Some(&instance()), Some(&[]), &[]);
    assert!(got.contains(&(Level::Warn, Kind::NoActiveToken)), "{got:?}");
    let c = controller(ControllerState::Disabled);
    assert_eq!(
        kinds(&c, Some(false), Some(&instance()), Some(&[]), &[]),
        vec![]
    );
}

#[test]
fn a_token_never_used_or_unused_for_long() {
    let c = controller(ControllerState::Enabled);
    let fresh = [token(1, Some(1), 10), token(2, None, 3)];
    let got = kinds(&c, Some(true), Some(&instance()), Some(&fresh), &[]);
    assert!(got.contains(&(
        Level::Info,
        Kind::TokenNeverUsed {
            token: TokenId(2),
            age_days: Some(3)
        }
    )));
    let old = [token(1, Some(1), 10), token(2, None, 45)];
    let got = kinds(&c, Some(true), Some(&instance()), Some(&old), &[]);
    assert_eq!(got[0].0, Level::Warn, "never used and 45 days old: {got:?}");
    let unused = [token(3, Some(60 * 24 * 31), 40)];
    let got = kinds(&c, Some(true), Some(&instance()), Some(&unused), &[]);
    assert_eq!(
        got,
        vec![(
            Level::Warn,
            Kind::TokenUnused {
                token: TokenId(3),
                days: 31
            }
        )]
    );
    let got = kinds(&c, None, Some(&instance()), Some(&old[1..]), &[]);
    assert_eq!(got, vec![], "18.9 sends no last_used_at: {got:?}");
}

#[test]
fn more_than_one_active_token() {
    let c = controller(ControllerState::Disabled);
    let two = [token(1, Some(1), 10), token(2, Some(5), 10)];
    let got = kinds(&c, Some(true), Some(&instance()), Some(&two), &[]);
    assert_eq!(got, vec![(Level::Info, Kind::SeveralTokens { count: 2 })]);
}

#[test]
fn a_runner_scope_on_a_runner_that_cannot_run_jobs() {
    let c = controller(ControllerState::Enabled);
    let tokens = [token(1, Some(1), 10)];
    let scopes = runners(&[1, 8, 9, 10, 11, 12]);
    let seen = [
        (1, runner(1, RunnerStatus::Online, false)),
        (8, runner(8, RunnerStatus::Online, true)),
        (9, runner(9, RunnerStatus::Offline, false)),
        (10, runner(10, RunnerStatus::Stale, false)),
        (11, runner(11, RunnerStatus::NeverContacted, false)),
        (12, RunnerSeen::Gone),
    ];
    let got = kinds(&c, Some(true), Some(&scopes), Some(&tokens), &seen);
    let r = |id, trouble| Kind::Runner {
        runner: RunnerId(id),
        trouble,
    };
    assert_eq!(
        got,
        vec![
            (Level::Warn, r(10, Trouble::Stale)),
            (Level::Warn, r(12, Trouble::Gone)),
            (Level::Info, r(8, Trouble::Paused)),
            (Level::Info, r(9, Trouble::Offline)),
            (Level::Info, r(11, Trouble::NeverContacted)),
        ]
    );
    let got = kinds(&c, Some(true), Some(&scopes), Some(&tokens), &[]);
    assert_eq!(got, vec![], "runners not read yet");
}

#[test]
fn worst_first_and_rule_names_are_stable() {
    let c = controller(ControllerState::Enabled);
    let got = kinds(&c, Some(false), Some(&Scopes::default()), Some(&[]), &[]);
    let names: Vec<&str> = got.iter().map(|(_, k)| k.rule()).collect();
    assert_eq!(names, ["no_scope", "not_connected", "no_active_token"]);
    let mut all = vec![
        Finding {
            level: Level::Info,
            controller: ControllerId(1),
            kind: Kind::SeveralTokens { count: 2 },
        },
        Finding {
            level: Level::Warn,
            controller: ControllerId(9),
            kind: Kind::NotConnected,
        },
    ];
    sort(&mut all);
    assert_eq!(all[0].controller, ControllerId(9));
    assert_eq!(worst(&all), Some(Level::Warn));
    assert_eq!(worst(&[]), None);
}

#[test]
fn thresholds_come_from_the_health_table_of_the_config() {
    let base = "[gitlab]\nurl = \"https://gitlab.example.com\"\ntoken_env = \"T\"\n";
    let path = std::path::Path::new("config.toml");
    let (c, warnings) = crate::config::parse(base, path).expect("parses");
    assert_eq!(c.health, Thresholds::default());
    assert!(warnings.is_empty());
    let text = format!("{base}[health]\ndry_run_days = 3\ntoken_unused_days = 90\nstale = 1\n");
    let (c, warnings) = crate::config::parse(&text, path).expect("parses");
    assert_eq!(
        c.health,
        Thresholds {
            dry_run_days: 3,
            token_unused_days: 90
        }
    );
    assert!(warnings[0].contains("health.stale"), "{warnings:?}");
}
