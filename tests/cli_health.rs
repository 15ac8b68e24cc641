//! `runnerdeck rc lint`, `rc events` and `rc list --with health` as a cron job would run them,
//! against the in-process simulator: exit 6 while something is wrong and 0 once it is fixed,
//! the seeded findings where the simulator put them, another admin's change in the history,
//! and the local audit log where GitLab keeps no events.

mod common;

use common::{TestEnv, run};
use runnerdeck::sim::SimOptions;
use serde_json::Value;

fn rd(env: &TestEnv, args: &[&str]) -> (i32, String, String) {
    let (out, stdout, stderr) = run(env.command(args));
    (out.status.code().unwrap_or(-1), stdout, stderr)
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

fn empty() -> TestEnv {
    TestEnv::with_options(SimOptions {
        seed: false,
        ..SimOptions::default()
    })
}

/// (controller, rule) of every finding `rc lint -o json` printed.
fn rules(v: &Value) -> Vec<(i64, String)> {
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["controller_id"].as_i64().expect("id"),
                f["rule"].as_str().expect("rule").to_string(),
            )
        })
        .collect()
}

#[test]
fn lint_fails_a_cron_job_until_the_controller_is_fixed() {
    let env = empty();
    let (code, out, _) = rd(&env, &["rc", "lint"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("No findings on 0 runner controllers."),
        "{out}"
    );

    let (code, out, err) = rd(&env, &["rc", "create", "-o", "json"]);
    assert_eq!(code, 0, "{out}{err}");
    let id = json(&out)["id"].as_i64().expect("id");
    let ids = id.to_string();
    let (code, out, _) = rd(&env, &["rc", "lint"]);
    assert_eq!(code, 0, "a disabled controller with nothing: {out}");
    let (code, _, err) = rd(&env, &["rc", "update", &ids, "--state", "enabled", "--yes"]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = rd(&env, &["rc", "lint", "-o", "json"]);
    assert_eq!(code, 6, "a warning: {out}{err}");
    let v = json(&out);
    let found = rules(&v);
    assert!(found.contains(&(id, "no_scope".into())), "{found:?}");
    assert!(found.contains(&(id, "no_active_token".into())), "{found:?}");
    assert_eq!(v["warnings"], found.len());
    assert!(
        v["findings"][0]["fix"]
            .as_str()
            .is_some_and(|f| f.contains("add a scope"))
    );

    let (code, _, err) = rd(&env, &["rc", "scope", "add", &ids, "--instance", "--yes"]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = rd(&env, &["rc", "token", "create", &ids]);
    assert_eq!(code, 0, "{err}");
    let (code, out, _) = rd(&env, &["rc", "lint"]);
    assert_eq!(code, 6, "enforcing, but the token was never used: {out}");
    assert!(out.contains("no token was used in the last hour"), "{out}");

    // The controller starts and uses its token.
    let g = env.sim.gitlab();
    let token = g.token_ids(id)[0];
    assert!(g.set_token_last_used(token, Some(jiff::Timestamp::now())));
    let (code, out, err) = rd(&env, &["rc", "lint"]);
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn lint_finds_the_seeded_trouble_where_the_simulator_put_it() {
    let env = TestEnv::start();
    let (code, out, err) = rd(&env, &["rc", "lint", "-o", "json"]);
    assert_eq!(code, 6, "{err}");
    let found = rules(&json(&out));
    for (id, rule) in [
        (17, "no_scope"),
        (43, "no_scope"),
        (30, "not_connected"),
        (44, "no_active_token"),
        (4, "long_dry_run"),
        (42, "token_unused"),
        (42, "several_tokens"),
        (37, "runner_paused"),
        (38, "runner_offline"),
        (39, "runner_stale"),
        (40, "runner_never_contacted"),
        (41, "runner_gone"),
    ] {
        assert!(
            found.contains(&(id, rule.to_string())),
            "{id} {rule}: {found:?}"
        );
    }
    assert!(
        found
            .iter()
            .all(|(id, r)| !r.starts_with("runner_") || *id > 36),
        "healthy rows point at healthy runners: {found:?}"
    );
}

#[test]
fn list_with_health_adds_scope_connected_tokens_and_findings() {
    let env = TestEnv::start();
    let (code, out, err) = rd(&env, &["rc", "list", "--with", "health", "-o", "json"]);
    assert_eq!(code, 0, "{err}");
    let v = json(&out);
    let rows = v.as_array().expect("an array");
    let by_id = |id: i64| rows.iter().find(|r| r["id"] == id).expect("listed");
    assert_eq!(by_id(1)["scope"]["kind"], "instance");
    assert_eq!(by_id(43)["scope"]["kind"], "none");
    assert_eq!(by_id(1)["connected"], true);
    assert_eq!(by_id(30)["connected"], false);
    assert_eq!(by_id(42)["tokens"]["active"], 2);
    assert!(
        by_id(43)["findings"]
            .as_array()
            .is_some_and(|f| !f.is_empty())
    );
    let (code, out, _) = rd(&env, &["rc", "list", "--with", "health"]);
    assert_eq!(code, 0);
    assert!(
        out.lines()
            .next()
            .is_some_and(|h| h.contains("SCOPE") && h.contains("CONNECTED"))
    );
}

#[test]
fn events_show_another_admins_change_and_ours() {
    let env = TestEnv::start();
    let (code, out, err) = rd(&env, &["rc", "events", "2", "-o", "json"]);
    assert_eq!(code, 0, "{err}");
    let v = json(&out);
    assert_eq!(v["source"], "gitlab");
    let events = v["events"].as_array().expect("events");
    let alice = events
        .iter()
        .find(|e| e["event_name"] == "runner_controller_updated")
        .expect("alice's change of 2");
    assert_eq!(alice["author"], "Alice Admin");
    assert_eq!(
        (&alice["state_from"], &alice["state_to"]),
        (&"enabled".into(), &"dry_run".into())
    );
    assert!(events.iter().all(|e| e["controller_id"] == 2), "{events:?}");

    let (code, _, err) = rd(&env, &["rc", "update", "7", "--state", "dry_run"]);
    assert_eq!(code, 0, "{err}");
    let (code, out, _) = rd(&env, &["rc", "events", "7", "--since", "1h"]);
    assert_eq!(code, 0);
    assert!(out.contains("disabled -> dry_run"), "{out}");
    // Instance-wide, the rotation of controller 1's token by alice is there too.
    let (_, out, _) = rd(&env, &["rc", "events"]);
    assert!(out.contains("token rotated"), "{out}");
    let (code, _, err) = rd(&env, &["rc", "events", "--since", "2y"]);
    assert_eq!(code, 1, "a usage error: {err}");
}

#[test]
fn events_read_the_older_shape_too() {
    let env = TestEnv::with_options(SimOptions {
        audit_event_name_in_details_only: true,
        ..SimOptions::default()
    });
    let (code, out, err) = rd(&env, &["rc", "events", "2"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("enabled -> dry_run"), "{out}");
}

#[test]
fn without_the_licence_events_say_so_and_show_the_local_log() {
    let env = TestEnv::with_options(SimOptions {
        unlicensed: true,
        ..SimOptions::default()
    });
    let (code, out, err) = rd(&env, &["rc", "events", "-o", "json"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.contains("404"), "{err}");
    let v = json(&out);
    assert_eq!(v["source"], "local");
    assert!(v["entries"].is_array());
}
