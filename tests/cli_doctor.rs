//! `runnerdeck doctor` as a plain child process against the in-process simulator: the checklist,
//! its exit codes, its JSON shape, and that it never prints a token nor changes anything.

mod common;

use std::process::Output;

use common::{GITLAB_TOKEN_ENV, TestEnv, VEHAAS_TOKEN_ENV, run};
use runnerdeck::sim::{SimOptions, gitlab};
use serde_json::Value;

/// Every token the simulator knows; none may ever be printed or logged.
const TOKENS: &[&str] = common::SIM_TOKENS;

/// Runs the command, checks that no token shows in what it printed and that nothing but reads
/// reached the simulator.
fn run_checked(env: &TestEnv, cmd: std::process::Command) -> (Output, String, String) {
    let (out, stdout, stderr) = run(cmd);
    let mut tokens: Vec<&str> = TOKENS.to_vec();
    tokens.push(&env.gitlab_token);
    for t in tokens {
        assert!(!stdout.contains(t), "token {t:?} on stdout:\n{stdout}");
        assert!(!stderr.contains(t), "token {t:?} on stderr:\n{stderr}");
    }
    for r in env.requests() {
        assert_eq!(r.method, "GET", "doctor changed something: {r:?}");
    }
    (out, stdout, stderr)
}

fn code(out: &Output) -> i32 {
    out.status.code().expect("exited normally")
}

/// A table line: (status, check, detail).
fn parse_line(line: &str) -> (String, String, String) {
    let mut parts = line.splitn(2, "  ");
    let status = parts.next().unwrap_or_default().trim().to_string();
    let rest = parts.next().unwrap_or_default().trim_start();
    let mut parts = rest.splitn(2, "  ");
    let check = parts.next().unwrap_or_default().trim().to_string();
    let detail = parts.next().unwrap_or_default().trim().to_string();
    (status, check, detail)
}

fn lines(stdout: &str) -> Vec<(String, String, String)> {
    let all: Vec<_> = stdout.lines().map(parse_line).collect();
    for (status, check, _) in &all {
        assert!(
            matches!(status.as_str(), "ok" | "info" | "warn" | "fail"),
            "bad status {status:?} ({check}):\n{stdout}"
        );
        assert!(!check.is_empty(), "{stdout}");
    }
    all
}

/// The lines of one check.
fn check<'a>(all: &'a [(String, String, String)], name: &str) -> Vec<&'a (String, String, String)> {
    all.iter().filter(|(_, c, _)| c == name).collect()
}

fn status_of(all: &[(String, String, String)], name: &str) -> String {
    let found = check(all, name);
    assert!(!found.is_empty(), "no {name:?} line in {all:?}");
    found[0].0.clone()
}

#[test]
fn everything_is_ok_with_the_admin_token() {
    let env = TestEnv::start();
    let (out, stdout, stderr) = run_checked(&env, env.command(&["doctor"]));
    assert_eq!(code(&out), 0, "{stdout}\n{stderr}");
    let all = lines(&stdout);
    for (status, check, detail) in &all {
        assert!(
            matches!(status.as_str(), "ok" | "info"),
            "{status} {check} {detail}\n{stdout}"
        );
    }
    let config = check(&all, "config");
    assert!(
        config[0].2.contains(&env.config.display().to_string()),
        "{stdout}"
    );
    let token = check(&all, "gitlab token");
    assert!(token[0].2.contains(GITLAB_TOKEN_ENV), "{stdout}");
    let user = check(&all, "gitlab user");
    assert!(user[0].2.contains("root"), "{stdout}");
    assert!(user[0].2.contains("administrator"), "{stdout}");
    let n = env.sim.gitlab().controller_ids().len();
    let rc = check(&all, "runner controllers");
    assert!(rc[0].2.contains(&format!("{n} controller")), "{stdout}");
    assert_eq!(status_of(&all, "write scope"), "info", "{stdout}");
    let vehaas = check(&all, "vehaas");
    let sessions = env.sim.vehaas().session_ids().len();
    assert!(
        vehaas[0].2.contains(&format!("{sessions} sessions")),
        "{stdout}"
    );
    assert_eq!(status_of(&all, "vehaas token"), "ok", "{stdout}");
    let version = check(&all, "gitlab version");
    assert_eq!(version[0].0, "ok", "{stdout}");
    assert!(
        version[0].2.contains("18.10.1-ee (Enterprise Edition)"),
        "{stdout}"
    );
    let scopes = check(&all, "gitlab token scopes");
    assert!(scopes[0].2.contains("scopes api, admin_mode"), "{stdout}");
    assert!(scopes[0].2.contains("expires on"), "{stdout}");
    assert_eq!(status_of(&all, "admin mode"), "ok", "{stdout}");
    assert!(rc[0].2.contains("18.9+ Ultimate"), "{stdout}");
    assert_eq!(status_of(&all, "deprecations"), "ok", "{stdout}");
    // The harness sets NO_PROXY for loopback: its name is shown, never a value.
    let proxy = check(&all, "proxy");
    assert!(proxy[0].2.contains("NO_PROXY"), "{stdout}");
    assert!(!stdout.contains("127.0.0.1,localhost"), "{stdout}");
}

#[test]
fn a_non_admin_token_fails_naming_the_administrator() {
    let mut env = TestEnv::start();
    env.gitlab_token = gitlab::USER_TOKEN.to_string();
    let (out, stdout, stderr) = run_checked(&env, env.command(&["doctor"]));
    assert_eq!(code(&out), 3, "{stdout}\n{stderr}");
    let all = lines(&stdout);
    let user = check(&all, "gitlab user");
    assert_ne!(user[0].0, "ok", "{stdout}");
    assert!(
        all.iter()
            .any(|(s, _, d)| s == "fail" && d.contains("administrator")),
        "{stdout}"
    );
    assert_eq!(status_of(&all, "runner controllers"), "fail", "{stdout}");
}

#[test]
fn an_unlicensed_instance_fails_mentioning_ultimate() {
    let env = TestEnv::with_options(SimOptions {
        unlicensed: true,
        ..SimOptions::default()
    });
    let (out, stdout, stderr) = run_checked(&env, env.command(&["doctor"]));
    assert_eq!(code(&out), 3, "{stdout}\n{stderr}");
    let all = lines(&stdout);
    assert_eq!(status_of(&all, "gitlab user"), "ok", "{stdout}");
    let rc = check(&all, "runner controllers");
    assert_eq!(rc[0].0, "fail", "{stdout}");
    assert!(rc[0].2.contains("Ultimate"), "{stdout}");
}

#[test]
fn admin_mode_without_the_scope_gets_the_admin_mode_hint() {
    let mut env = TestEnv::with_options(SimOptions {
        admin_mode: true,
        ..SimOptions::default()
    });
    env.gitlab_token = gitlab::NO_ADMIN_MODE_TOKEN.to_string();
    let (out, stdout, stderr) = run_checked(&env, env.command(&["doctor"]));
    assert_eq!(code(&out), 3, "{stdout}\n{stderr}");
    let all = lines(&stdout);
    let rc = check(&all, "runner controllers");
    assert_eq!(rc[0].0, "fail", "{stdout}");
    assert!(rc[0].2.contains("Admin Mode"), "{stdout}");
    let admin_mode = check(&all, "admin mode");
    assert_eq!(admin_mode[0].0, "fail", "{stdout}");
    assert!(admin_mode[0].2.contains("Admin Mode is on"), "{stdout}");
    assert!(
        check(&all, "gitlab token scopes")[0]
            .2
            .contains("scopes api;"),
        "{stdout}"
    );
}

#[test]
fn an_expired_token_fails_and_skips_the_controllers() {
    let mut env = TestEnv::start();
    env.gitlab_token = gitlab::EXPIRED_TOKEN.to_string();
    let (out, stdout, stderr) = run_checked(&env, env.command(&["doctor"]));
    assert_eq!(code(&out), 3, "{stdout}\n{stderr}");
    let all = lines(&stdout);
    let user = check(&all, "gitlab user");
    assert_eq!(user[0].0, "fail", "{stdout}");
    assert!(user[0].2.contains("401"), "{stdout}");
    assert_eq!(status_of(&all, "runner controllers"), "info", "{stdout}");
    assert_eq!(env.count("GET", common::LIST_PATH), 0);
}

#[test]
fn json_is_one_array_of_check_status_detail() {
    let env = TestEnv::start();
    let (out, stdout, stderr) = run_checked(&env, env.command(&["doctor", "-o", "json"]));
    assert_eq!(code(&out), 0, "{stdout}\n{stderr}");
    let v: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}):\n{stdout}"));
    let items = v.as_array().expect("an array");
    assert!(items.len() >= 7, "{stdout}");
    for item in items {
        let obj = item.as_object().expect("objects");
        let mut keys: Vec<&str> = obj.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["check", "detail", "status"], "{item}");
        assert!(
            obj["check"].is_string() && obj["detail"].is_string(),
            "{item}"
        );
        assert!(
            matches!(
                obj["status"].as_str(),
                Some("ok" | "info" | "warn" | "fail")
            ),
            "{item}"
        );
    }
    let names: Vec<&str> = items.iter().filter_map(|i| i["check"].as_str()).collect();
    for expected in [
        "config",
        "gitlab token",
        "gitlab user",
        "runner controllers",
        "write scope",
        "vehaas",
        "proxy",
        "gitlab version",
        "gitlab token scopes",
        "admin mode",
        "deprecations",
    ] {
        assert!(names.contains(&expected), "no {expected}: {names:?}");
    }
}

#[test]
fn demo_doctor_needs_no_config() {
    let env = TestEnv::start();
    let mut cmd = std::process::Command::new(common::bin());
    cmd.args(["--demo", "doctor"]);
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
    assert_eq!(code(&out), 0, "{stdout}\n{stderr}");
    let all = lines(&stdout);
    assert!(check(&all, "config")[0].2.contains("--demo"), "{stdout}");
    assert_eq!(status_of(&all, "runner controllers"), "ok", "{stdout}");
    assert_eq!(status_of(&all, "vehaas"), "ok", "{stdout}");
}

#[test]
fn an_unset_token_variable_is_a_fail_line_and_exit_1_and_vehaas_is_still_checked() {
    let env = TestEnv::start();
    let mut cmd = env.command(&["doctor", "-o", "json"]);
    cmd.env_remove(GITLAB_TOKEN_ENV);
    let (out, stdout, stderr) = run_checked(&env, cmd);
    assert_eq!(code(&out), 1, "{stdout}\n{stderr}");
    let v: Value = serde_json::from_str(&stdout).expect("one JSON document");
    let items = v.as_array().expect("array");
    let token = items
        .iter()
        .find(|i| i["check"] == "gitlab token")
        .unwrap_or_else(|| panic!("no gitlab token check: {stdout}"));
    assert_eq!(token["status"], "fail", "{stdout}");
    let detail = token["detail"].as_str().expect("detail");
    assert!(detail.contains("is not set"), "{detail}");
    assert!(detail.contains(GITLAB_TOKEN_ENV), "{detail}");
    assert!(
        env.requests()
            .iter()
            .all(|r| !r.path.starts_with("/api/v4")),
        "no GitLab request without its token"
    );
    let vehaas = items
        .iter()
        .find(|i| i["check"] == "vehaas")
        .unwrap_or_else(|| panic!("no vehaas check: {stdout}"));
    assert_eq!(vehaas["status"], "ok", "{stdout}");
}

#[test]
fn a_missing_config_is_a_fail_line_and_exit_1() {
    let env = TestEnv::start();
    std::fs::remove_file(&env.config).expect("remove config");
    let (out, stdout, stderr) = run_checked(&env, env.command(&["doctor"]));
    assert_eq!(code(&out), 1, "{stdout}\n{stderr}");
    let all = lines(&stdout);
    assert_eq!(all.len(), 1, "{stdout}");
    assert_eq!(all[0].0, "fail", "{stdout}");
    assert_eq!(all[0].1, "config", "{stdout}");
    assert!(all[0].2.contains("--demo"), "{stdout}");
}

#[test]
fn an_unknown_key_is_a_warning_line() {
    let env = TestEnv::start();
    env.write_config("refresh_secs = 3\n");
    let (out, stdout, stderr) = run_checked(&env, env.command(&["doctor"]));
    assert_eq!(code(&out), 0, "{stdout}\n{stderr}");
    let all = lines(&stdout);
    assert!(
        check(&all, "config")
            .iter()
            .any(|(s, _, d)| s == "warn" && d.contains("ui.refresh_secs")),
        "{stdout}"
    );
}

#[test]
fn proxy_variables_are_named_never_shown() {
    let env = TestEnv::start();
    let mut cmd = env.command(&["doctor"]);
    cmd.env(
        "HTTPS_PROXY",
        "http://alice:proxy-secret@proxy.invalid:3128",
    );
    let (out, stdout, stderr) = run_checked(&env, cmd);
    assert_eq!(code(&out), 0, "{stdout}\n{stderr}");
    let all = lines(&stdout);
    let proxy = check(&all, "proxy");
    assert_eq!(proxy[0].0, "info", "{stdout}");
    assert!(proxy[0].2.contains("HTTPS_PROXY"), "{stdout}");
    assert!(!stdout.contains("proxy-secret"), "{stdout}");
    assert!(!stdout.contains("proxy.invalid"), "{stdout}");
}

#[test]
fn without_vehaas_it_is_only_noted() {
    let env = TestEnv::start();
    let text = format!(
        "[gitlab]\nurl = \"{}\"\ntoken_env = \"{GITLAB_TOKEN_ENV}\"\n",
        env.url()
    );
    std::fs::write(&env.config, text).expect("write config");
    let (out, stdout, stderr) = run_checked(&env, env.command(&["doctor"]));
    assert_eq!(code(&out), 0, "{stdout}\n{stderr}");
    let all = lines(&stdout);
    let vehaas = check(&all, "vehaas");
    assert_eq!(vehaas[0].0, "info", "{stdout}");
    assert!(vehaas[0].2.contains("not configured"), "{stdout}");
    assert!(check(&all, "vehaas token").is_empty(), "{stdout}");
}

#[test]
fn a_token_that_expires_soon_is_a_warning_naming_the_date() {
    let mut env = TestEnv::start();
    env.gitlab_token = gitlab::EXPIRING_TOKEN.to_string();
    let (out, stdout, stderr) = run_checked(&env, env.command(&["doctor"]));
    assert_eq!(code(&out), 0, "a warning is no failure: {stdout}\n{stderr}");
    let all = lines(&stdout);
    let scopes = check(&all, "gitlab token scopes");
    assert_eq!(scopes[0].0, "warn", "{stdout}");
    assert!(
        scopes[0].2.contains("in 5 days") || scopes[0].2.contains("in 4 days"),
        "{stdout}"
    );
    assert!(scopes[0].2.contains("renew"), "{stdout}");
}

#[test]
fn an_old_or_community_gitlab_fails_the_feature_in_plain_words() {
    for (version, says) in [
        ("18.8.2-ee", "this is 18.8.2-ee"),
        ("18.10.1-ce", "Community Edition"),
    ] {
        let env = TestEnv::with_options(SimOptions {
            gitlab_version: version.into(),
            ..SimOptions::default()
        });
        let (out, stdout, stderr) = run_checked(&env, env.command(&["doctor", "-o", "json"]));
        assert_eq!(code(&out), 3, "{stdout}\n{stderr}");
        let v: Value = serde_json::from_str(&stdout).expect("one JSON document");
        let rc = v
            .as_array()
            .expect("array")
            .iter()
            .find(|i| i["check"] == "runner controllers")
            .cloned()
            .unwrap_or_else(|| panic!("{stdout}"));
        assert_eq!(rc["status"], "fail", "{stdout}");
        let detail = rc["detail"].as_str().expect("detail");
        assert!(
            detail.contains("18.9 or later, Ultimate") && detail.contains(says),
            "{detail}"
        );
    }
}

#[test]
fn a_missing_vehaas_token_fails_only_the_vehaas_lines() {
    let env = TestEnv::start();
    let mut cmd = env.command(&["doctor"]);
    cmd.env_remove(VEHAAS_TOKEN_ENV);
    let (out, stdout, stderr) = run_checked(&env, cmd);
    assert_eq!(code(&out), 1, "{stdout}\n{stderr}");
    let all = lines(&stdout);
    assert_eq!(status_of(&all, "vehaas token"), "fail", "{stdout}");
    assert!(
        check(&all, "vehaas token")[0].2.contains(VEHAAS_TOKEN_ENV),
        "{stdout}"
    );
    assert_eq!(status_of(&all, "gitlab user"), "ok", "{stdout}");
    assert_eq!(status_of(&all, "runner controllers"), "ok", "{stdout}");
}
