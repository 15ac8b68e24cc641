//! The scripting side of the binary (`rc list`, `bookings list`) and its start-up errors, run as
//! a plain child process (no terminal) against the in-process simulator.

mod common;

use std::collections::BTreeSet;
use std::process::Output;

use common::{GITLAB_TOKEN_ENV, TestEnv, VEHAAS_TOKEN_ENV, run};
use runnerdeck::sim::{GitlabSim, SimOptions};
use serde_json::Value;

/// Every token the simulator knows; none may ever be printed or logged.
const TOKENS: &[&str] = common::SIM_TOKENS;

/// Runs the command and checks that no token shows in what it printed.
fn run_checked(env: &TestEnv, cmd: std::process::Command) -> (Output, String, String) {
    let (out, stdout, stderr) = run(cmd);
    let mut tokens: Vec<&str> = TOKENS.to_vec();
    tokens.push(&env.gitlab_token);
    for t in tokens {
        assert!(!stdout.contains(t), "token {t:?} on stdout:\n{stdout}");
        assert!(!stderr.contains(t), "token {t:?} on stderr:\n{stderr}");
    }
    (out, stdout, stderr)
}

fn code(out: &Output) -> i32 {
    out.status.code().expect("exited normally")
}

fn json_array(stdout: &str) -> Vec<Value> {
    let v: Value = serde_json::from_str(stdout)
        .unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}):\n{stdout}"));
    match v {
        Value::Array(a) => a,
        other => panic!("not an array: {other}"),
    }
}

fn ids(list: &[Value]) -> Vec<i64> {
    list.iter()
        .map(|c| c["id"].as_i64().expect("numeric id"))
        .collect()
}

#[test]
fn rc_list_json_has_every_controller_of_every_page() {
    let env = TestEnv::start();
    // More than one page of 100 (the client's page size).
    env.sim.gitlab().add_controllers(120);
    let (out, stdout, stderr) = run_checked(&env, env.command(&["rc", "list", "-o", "json"]));
    assert_eq!(code(&out), 0, "{stderr}");
    let list = json_array(&stdout);
    assert_eq!(ids(&list), env.sim.gitlab().controller_ids());
    for c in &list {
        let id = c["id"].as_i64().expect("id");
        assert_eq!(
            c["state"].as_str(),
            env.sim.gitlab().controller_state(id).as_deref(),
            "{c}"
        );
    }
    let pages = env
        .requests()
        .into_iter()
        .filter(|r| r.method == "GET" && r.path == common::LIST_PATH)
        .count();
    assert!(pages >= 2, "one JSON document from {pages} pages");
}

#[test]
fn rc_list_table_has_a_header_and_a_line_per_controller() {
    let env = TestEnv::start();
    let (out, stdout, stderr) = run_checked(&env, env.command(&["rc", "list", "-o", "table"]));
    assert_eq!(code(&out), 0, "{stderr}");
    let mut lines = stdout.lines();
    let header: Vec<&str> = lines.next().expect("header").split_whitespace().collect();
    assert_eq!(&header[..3], ["ID", "STATE", "DESCRIPTION"], "{stdout}");
    let rows: Vec<&str> = lines.collect();
    let ids = env.sim.gitlab().controller_ids();
    assert_eq!(rows.len(), ids.len(), "{stdout}");
    for (row, id) in rows.iter().zip(&ids) {
        let mut cells = row.split_whitespace();
        assert_eq!(cells.next(), Some(id.to_string().as_str()), "{row}");
        assert_eq!(
            cells.next(),
            env.sim.gitlab().controller_state(*id).as_deref(),
            "{row}"
        );
    }
}

#[test]
fn demo_rc_list_needs_no_config() {
    let env = TestEnv::start();
    let mut cmd = std::process::Command::new(common::bin());
    cmd.args(["--demo", "rc", "list", "-o", "json"]);
    cmd.env_remove("RUNNERDECK_CONFIG");
    cmd.env_remove(GITLAB_TOKEN_ENV);
    cmd.env_remove(VEHAAS_TOKEN_ENV);
    for (k, v) in env.child_env() {
        if k != GITLAB_TOKEN_ENV && k != VEHAAS_TOKEN_ENV {
            cmd.env(k, v);
        }
    }
    cmd.current_dir(env.dir.path());
    let (out, stdout, stderr) = run_checked(&env, cmd);
    assert_eq!(code(&out), 0, "{stderr}");
    let expected = GitlabSim::new(&SimOptions::default()).controller_ids();
    assert_eq!(ids(&json_array(&stdout)), expected);
}

#[test]
fn bookings_list_shows_current_sessions_and_all_adds_the_rest() {
    let env = TestEnv::start();
    let v = env.sim.vehaas();
    let now = jiff::Timestamp::now();
    let all: BTreeSet<String> = v.session_ids().into_iter().collect();
    let current: BTreeSet<String> = all
        .iter()
        .filter(|id| {
            matches!(v.session_state(id).as_deref(), Some("active" | "scheduled"))
                && v.session_end(id).is_some_and(|e| e > now)
        })
        .cloned()
        .collect();
    assert!(
        !current.is_empty() && current.len() < all.len(),
        "the seed has both kinds"
    );

    let (out, stdout, stderr) = run_checked(&env, env.command(&["bookings", "list", "-o", "json"]));
    assert_eq!(code(&out), 0, "{stderr}");
    let list = json_array(&stdout);
    let got: BTreeSet<String> = list
        .iter()
        .map(|s| s["id"].as_str().expect("string id").to_string())
        .collect();
    assert_eq!(got, current);
    for s in &list {
        assert!(
            matches!(s["state"].as_str(), Some("active" | "scheduled")),
            "{s}"
        );
        let end: jiff::Timestamp = s["end"]
            .as_str()
            .expect("end")
            .parse()
            .expect("end is a timestamp");
        assert!(end > now, "{s}");
    }

    let (out, stdout, stderr) = run_checked(
        &env,
        env.command(&["bookings", "list", "-o", "json", "--all"]),
    );
    assert_eq!(code(&out), 0, "{stderr}");
    let list = json_array(&stdout);
    let got: BTreeSet<String> = list
        .iter()
        .map(|s| s["id"].as_str().expect("string id").to_string())
        .collect();
    assert_eq!(got, all);
    for state in ["ended", "released"] {
        assert!(
            list.iter().any(|s| s["state"].as_str() == Some(state)),
            "--all has no {state} session:\n{stdout}"
        );
    }
}

#[test]
fn a_missing_config_file_suggests_demo() {
    let env = TestEnv::start();
    std::fs::remove_file(&env.config).expect("remove config");
    let (out, _, stderr) = run_checked(&env, env.command(&["rc", "list"]));
    assert_eq!(code(&out), 1, "{stderr}");
    assert!(stderr.contains("GITLAB_HOST"), "{stderr}");
    assert!(stderr.contains("--demo"), "{stderr}");
}

#[test]
fn a_syntax_error_names_line_and_column() {
    let env = TestEnv::start();
    let text = format!(
        "[gitlab]\nurl = \"{}\"\ntoken_env = RD_E2E_GITLAB_TOKEN\n",
        env.url()
    );
    std::fs::write(&env.config, text).expect("write");
    let (out, _, stderr) = run_checked(&env, env.command(&["rc", "list"]));
    assert_eq!(code(&out), 1, "{stderr}");
    let prefix = format!("{}:3:", env.config.display());
    let at = stderr
        .find(&prefix)
        .unwrap_or_else(|| panic!("no {prefix}COL in:\n{stderr}"));
    let rest = &stderr[at + prefix.len()..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    assert!(!digits.is_empty(), "no column after the line:\n{stderr}");
    assert!(rest[digits.len()..].starts_with(':'), "{stderr}");
}

#[test]
fn an_unset_token_variable_is_explained() {
    let env = TestEnv::start();
    let mut cmd = env.command(&["rc", "list"]);
    cmd.env_remove(GITLAB_TOKEN_ENV);
    let (out, _, stderr) = run_checked(&env, cmd);
    assert_eq!(code(&out), 1, "{stderr}");
    assert!(stderr.contains("is not set"), "{stderr}");
    assert!(stderr.contains(GITLAB_TOKEN_ENV), "{stderr}");
}

#[test]
fn each_services_token_is_needed_only_by_what_uses_it() {
    let env = TestEnv::start();
    let mut cmd = env.command(&["rc", "list", "-o", "json"]);
    cmd.env_remove(VEHAAS_TOKEN_ENV);
    let (out, stdout, stderr) = run_checked(&env, cmd);
    assert_eq!(code(&out), 0, "rc list needs no veHaaS token: {stderr}");
    assert_eq!(ids(&json_array(&stdout)), env.sim.gitlab().controller_ids());

    let mut cmd = env.command(&["bookings", "list"]);
    cmd.env_remove(VEHAAS_TOKEN_ENV);
    let (out, stdout, stderr) = run_checked(&env, cmd);
    assert_eq!(code(&out), 1, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("veHaaS token"), "{stderr}");
    assert!(stderr.contains(VEHAAS_TOKEN_ENV), "{stderr}");
    assert!(
        !stderr.contains("GitLab") && !stderr.contains("administrator"),
        "{stderr}"
    );

    let before = env.requests().len();
    let mut cmd = env.command(&["bookings", "list", "-o", "json"]);
    cmd.env_remove(GITLAB_TOKEN_ENV);
    let (out, stdout, stderr) = run_checked(&env, cmd);
    assert_eq!(
        code(&out),
        0,
        "bookings list needs no GitLab token: {stderr}"
    );
    assert!(!json_array(&stdout).is_empty(), "{stdout}");
    let gitlab_calls = env.requests()[before..]
        .iter()
        .filter(|r| r.path.starts_with("/api/v4"))
        .count();
    assert_eq!(gitlab_calls, 0, "no GitLab request without a GitLab token");
}

#[test]
fn an_unknown_key_is_a_warning_only() {
    let env = TestEnv::start();
    env.write_config("refresh_secs = 3\n");
    let (out, stdout, stderr) = run_checked(&env, env.command(&["rc", "list", "-o", "json"]));
    assert_eq!(code(&out), 0, "{stderr}");
    assert!(stderr.contains("warning"), "{stderr}");
    assert!(stderr.contains("ui.refresh_secs"), "{stderr}");
    assert_eq!(ids(&json_array(&stdout)), env.sim.gitlab().controller_ids());
}

#[test]
fn a_non_admin_token_is_refused_with_a_hint() {
    let mut env = TestEnv::start();
    env.gitlab_token = runnerdeck::sim::gitlab::USER_TOKEN.to_string();
    let (out, stdout, stderr) = run_checked(&env, env.command(&["rc", "list", "-o", "json"]));
    assert_eq!(code(&out), 3, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("administrator"), "{stderr}");
    assert!(stderr.contains("403"), "{stderr}");
}

#[test]
fn an_unlicensed_instance_mentions_ultimate() {
    let env = TestEnv::with_options(SimOptions {
        unlicensed: true,
        ..SimOptions::default()
    });
    let (out, _, stderr) = run_checked(&env, env.command(&["rc", "list", "-o", "json"]));
    assert_eq!(code(&out), 3, "{stderr}");
    assert!(stderr.contains("Ultimate"), "{stderr}");
}

#[test]
fn the_tui_without_a_terminal_points_at_rc_list() {
    let env = TestEnv::start();
    let mut cmd = env.command(&[]);
    cmd.stdin(std::process::Stdio::null());
    let (out, _, stderr) = run_checked(&env, cmd);
    assert_eq!(code(&out), 1, "{stderr}");
    assert!(stderr.contains("rc list"), "{stderr}");
}
