//! glab's conventions and each service on its own, end to end: without a config file the real
//! binary works from GITLAB_HOST / GITLAB_TOKEN or glab's own config (refused when others may
//! read it), names the source in `doctor` and the TUI header; a veHaaS token that is missing
//! is said in the bookings pane; `[vehaas] max_duration` bounds the scripts.

mod common;

use std::process::Command;

use common::{GITLAB_TOKEN_ENV, TestEnv, Tui, VEHAAS_TOKEN_ENV, bin, path_str, run, run_clean};
use serde_json::Value;

/// `runnerdeck <args>` with no `--config` and nothing of the developer's environment: a temp
/// home (no config file there) and `vars`.
fn bare(env: &TestEnv, args: &[&str], vars: &[(&str, String)]) -> (i32, String, String) {
    let mut cmd = Command::new(bin());
    cmd.args(args).env_clear();
    for (k, v) in bare_env(env) {
        cmd.env(k, v);
    }
    for (k, v) in vars {
        cmd.env(k, v);
    }
    cmd.current_dir(env.dir.path());
    run_clean(cmd)
}

fn bare_env(env: &TestEnv) -> Vec<(String, String)> {
    env.child_env()
        .into_iter()
        .filter(|(k, _)| k != GITLAB_TOKEN_ENV && k != VEHAAS_TOKEN_ENV)
        .collect()
}

fn host_port(env: &TestEnv) -> String {
    env.url().trim_start_matches("http://").to_string()
}

/// Writes glab's config for the simulator's host with `mode`.
fn glab_config(env: &TestEnv, mode: u32) {
    let dir = env.dir.path().join("xdg").join("glab-cli");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let file = dir.join("config.yml");
    let host = host_port(env);
    let text = format!(
        "git_protocol: ssh\nhost: {host}\nhosts:\n    {host}:\n        token: {}\n        api_protocol: http\n        user: root\n",
        env.sim.gitlab_token()
    );
    std::fs::write(&file, text).expect("write glab config");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(mode)).expect("chmod");
    }
}

fn doctor_line<'a>(stdout: &'a str, check: &str) -> &'a str {
    stdout
        .lines()
        .find(|l| l.split("  ").map(str::trim).any(|part| part == check))
        .unwrap_or_else(|| panic!("no {check:?} line:\n{stdout}"))
}

fn count(stdout: &str) -> usize {
    let v: Value = serde_json::from_str(stdout).expect("one JSON document");
    v.as_array().expect("array").len()
}

#[test]
fn gitlab_host_and_gitlab_token_stand_in_for_a_config_file() {
    let env = TestEnv::start();
    let n = env.sim.gitlab().controller_ids().len();
    let vars = [
        ("GITLAB_HOST", env.url()),
        ("GITLAB_TOKEN", env.sim.gitlab_token().to_string()),
    ];
    let (code, stdout, stderr) = bare(&env, &["rc", "list", "-o", "json"], &vars);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(count(&stdout), n);

    let (code, stdout, stderr) = bare(&env, &["doctor"], &vars);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let config = doctor_line(&stdout, "config");
    assert!(
        config.contains("no config file: GitLab from GITLAB_HOST, its token from GITLAB_TOKEN"),
        "{config}"
    );
    assert!(
        doctor_line(&stdout, "gitlab token").contains("env GITLAB_TOKEN"),
        "{stdout}"
    );
    assert!(
        doctor_line(&stdout, "vehaas").contains("VEHAAS_URL"),
        "{stdout}"
    );

    let (code, _, stderr) = bare(&env, &["bookings", "list"], &vars);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("veHaaS is not configured"), "{stderr}");
    let mut with_vehaas = vars.to_vec();
    with_vehaas.push(("VEHAAS_URL", env.url()));
    with_vehaas.push(("VEHAAS_TOKEN", env.sim.vehaas_token().to_string()));
    let (code, _, stderr) = bare(&env, &["bookings", "list", "-o", "json"], &with_vehaas);
    assert_eq!(code, 0, "{stderr}");

    // CI's own name for the address works too; without any, the hint names them.
    let ci = [
        ("CI_SERVER_URL", env.url()),
        ("GITLAB_TOKEN", env.sim.gitlab_token().to_string()),
    ];
    let (code, stdout, stderr) = bare(&env, &["rc", "list", "-o", "json"], &ci);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(count(&stdout), n);
    let (code, _, stderr) = bare(&env, &["rc", "list"], &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("GITLAB_HOST and GITLAB_TOKEN"), "{stderr}");
}

#[test]
fn glabs_config_gives_the_host_its_token_and_protocol() {
    let env = TestEnv::start();
    glab_config(&env, 0o600);
    let (code, stdout, stderr) = bare(&env, &["rc", "list", "-o", "json"], &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(count(&stdout), env.sim.gitlab().controller_ids().len());
    // A bare host name takes glab's api_protocol for that host.
    let vars = [("GITLAB_HOST", host_port(&env))];
    let (code, stdout, stderr) = bare(&env, &["doctor"], &vars);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(
        doctor_line(&stdout, "gitlab token").contains("glab config"),
        "{stdout}"
    );
    let config = doctor_line(&stdout, "config");
    assert!(config.contains("its token from glab's config"), "{config}");
    assert!(config.contains("glab-cli/config.yml"), "{config}");
    for r in env.requests() {
        assert_eq!(r.method, "GET", "{r:?}");
    }

    let args: Vec<String> = Vec::new();
    let mut tui = Tui::spawn(&args, &bare_env(&env), env.dir.path(), 140, 30);
    tui.wait_text("token: glab config");
    tui.send("q");
    assert!(tui.wait_exit().success());
}

#[test]
fn a_glab_config_others_may_read_is_refused() {
    let env = TestEnv::start();
    glab_config(&env, 0o644);
    let (code, stdout, stderr) = bare(&env, &["rc", "list", "-o", "json"], &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("chmod 600"), "{stderr}");
    assert!(stderr.contains("0644"), "{stderr}");
    assert!(env.requests().is_empty());
    // Not needed when the variables say everything: only a warning.
    let vars = [
        ("GITLAB_HOST", env.url()),
        ("GITLAB_TOKEN", env.sim.gitlab_token().to_string()),
    ];
    let (code, _, stderr) = bare(&env, &["rc", "list", "-o", "json"], &vars);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("warning") && stderr.contains("chmod 600"),
        "{stderr}"
    );
}

#[test]
fn a_vehaas_that_cannot_be_set_up_is_said_in_the_bookings_pane() {
    let env = TestEnv::start();
    let vars: Vec<(String, String)> = env
        .child_env()
        .into_iter()
        .filter(|(k, _)| k != VEHAAS_TOKEN_ENV)
        .collect();
    let args = vec!["--config".to_string(), path_str(&env.config)];
    let mut tui = Tui::spawn(&args, &vars, env.dir.path(), 160, 30);
    tui.wait_text("Runner controllers");
    let screen = tui.wait_text("is not set");
    assert!(screen.contains("veHaaS token"), "{screen}");
    tui.send("q");
    assert!(tui.wait_exit().success());
}

#[test]
fn max_duration_in_the_config_bounds_the_scripts() {
    let env = TestEnv::start();
    let with_max = |max: &str| {
        let text = env.config_text("").replace(
            &format!("token_env = \"{VEHAAS_TOKEN_ENV}\""),
            &format!("token_env = \"{VEHAAS_TOKEN_ENV}\"\nmax_duration = \"{max}\""),
        );
        std::fs::write(&env.config, text).expect("write config");
    };
    with_max("2h");
    let (out, stdout, stderr) = run(env.command(&["bookings", "extend", "1044", "--by", "3h"]));
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("at most 2h"), "{stderr}");
    assert!(env.requests().is_empty(), "refused before any request");

    with_max("14d");
    let args = ["bookings", "extend", "1044", "--by", "10d", "--dry-run"];
    let (out, stdout, stderr) = run(env.command(&args));
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stdout.contains("PATCH"), "{stdout}");
    let (out, _, stderr) = run(env.command(&["bookings", "extend", "1044", "--by", "15d"]));
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("at most 14d"), "{stderr}");

    with_max("soon");
    let (out, _, stderr) = run(env.command(&["bookings", "list"]));
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("vehaas.max_duration"), "{stderr}");
}
