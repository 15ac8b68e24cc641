//! The scripting contract, end to end against the in-process simulator: exit codes by class,
//! the JSON error object on stderr, clap's usage errors, `--dry-run` (the plan printed, nothing
//! changed: the simulator's request log holds reads only), several runners in one call, the
//! list's filters and pages, retries said on stderr, completions and the man page.

mod common;

use common::{TestEnv, Tui, path_str, run_clean};
use runnerdeck::sim::Fault;
use serde_json::{Value, json};

fn env() -> TestEnv {
    TestEnv::fast_jobs()
}

/// Runs `runnerdeck --config CFG <args>`: (exit code, stdout, stderr); no token printed.
fn rd(env: &TestEnv, args: &[&str]) -> (i32, String, String) {
    run_clean(env.command(args))
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not one JSON document ({e}):\n{text}"))
}

/// The error object: the last line of stderr.
fn error_of(stderr: &str) -> Value {
    let last = stderr.lines().last().unwrap_or_default();
    let v = json(last);
    let mut keys: Vec<&str> = v["error"]
        .as_object()
        .unwrap_or_else(|| panic!("no error object: {stderr}"))
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert!(
        keys == ["kind", "message", "status"] || keys == ["done", "kind", "message", "status"],
        "{keys:?}"
    );
    v["error"].clone()
}

#[test]
fn failures_exit_by_class_with_one_json_object_on_stderr() {
    let env = env();
    let (code, stdout, stderr) = rd(&env, &["rc", "get", "999999", "-o", "json"]);
    assert_eq!(code, 4, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    let e = error_of(&stderr);
    assert_eq!(
        (e["kind"].as_str(), e["status"].as_i64()),
        (Some("not_found"), Some(404))
    );
    assert!(
        e["message"].as_str().is_some_and(|m| m.contains("999999")),
        "{e}"
    );

    let (code, _, stderr) = rd(&env, &["bookings", "status", "no-such-job", "-F", "json"]);
    assert_eq!(code, 4, "{stderr}");
    assert_eq!(error_of(&stderr)["kind"], "not_found");

    let id = env.sim.gitlab().controller_ids()[0].to_string();
    let (code, _, stderr) = rd(&env, &["rc", "delete", &id, "--output", "json"]);
    assert_eq!(code, 1, "{stderr}");
    let e = error_of(&stderr);
    assert_eq!(
        (e["kind"].as_str(), &e["status"]),
        (Some("usage"), &Value::Null)
    );
    assert!(
        e["message"].as_str().is_some_and(|m| m.contains("--yes")),
        "{e}"
    );

    let (code, _, stderr) = rd(
        &env,
        &["bookings", "release", "1047", "--yes", "-o", "json"],
    );
    assert_eq!(code, 5, "{stderr}");
    assert_eq!(error_of(&stderr)["kind"], "refused");
    assert_eq!(
        env.sim.gitlab().controller_ids()[0].to_string(),
        id,
        "nothing deleted"
    );
}

#[test]
fn clap_usage_errors_exit_1_and_help_names_the_exit_codes() {
    let env = env();
    let (code, stdout, stderr) = rd(&env, &["rc", "get", "not-a-number", "-o", "json"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    let e = error_of(&stderr);
    assert_eq!(e["kind"], "usage");
    assert!(
        e["message"]
            .as_str()
            .is_some_and(|m| m.contains("not-a-number")),
        "{e}"
    );
    let (code, _, stderr) = rd(&env, &["rc", "frobnicate"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("frobnicate"), "{stderr}");
    let (code, _, stderr) = rd(&env, &["bookings", "extend", "1044", "--by", "-5m"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("cannot be negative"), "{stderr}");
    let (code, stdout, _) = rd(&env, &["--help"]);
    assert_eq!(code, 0);
    for line in [
        "Exit codes:",
        "4    not found",
        "5    refused",
        "130  interrupted",
    ] {
        assert!(stdout.contains(line), "{line:?} not in --help:\n{stdout}");
    }
    assert!(env.requests().is_empty(), "{:?}", env.requests());
}

/// A controller that is not enabled and has no scope.
fn calm_controller(env: &TestEnv) -> i64 {
    let gl = env.sim.gitlab();
    gl.controller_ids()
        .into_iter()
        .find(|id| {
            gl.scopes(*id) == Some((false, Vec::new()))
                && gl.controller_state(*id).as_deref() != Some("enabled")
        })
        .expect("a calm controller")
}

/// `--dry-run -o json`: exit 0 and the requests it would send.
fn planned(env: &TestEnv, args: &[&str]) -> Vec<Value> {
    let mut all = args.to_vec();
    all.extend(["--dry-run", "-o", "json"]);
    let (code, stdout, stderr) = rd(env, &all);
    assert_eq!(code, 0, "{args:?}: {stderr}");
    let v = json(&stdout);
    assert_eq!(v["dry_run"], true, "{v}");
    v["requests"].as_array().expect("requests").clone()
}

fn req(method: &str, url: String, body: Value) -> Value {
    json!({"method": method, "url": url, "body": body})
}

#[test]
fn dry_run_prints_what_it_would_send_and_sends_no_change() {
    let env = env();
    let (gl, v) = (env.sim.gitlab(), env.sim.vehaas());
    let id = calm_controller(&env);
    let ids = id.to_string();
    let state = gl.controller_state(id);
    let api = format!("{}/api/v4/runner_controllers", env.url());
    let c = format!("{api}/{id}");
    let cases: Vec<(Vec<&str>, Vec<Value>)> = vec![
        (
            vec!["rc", "create", "--description", "x", "--state", "enabled"],
            vec![req(
                "POST",
                api.clone(),
                json!({"description": "x", "state": "enabled"}),
            )],
        ),
        (
            vec!["rc", "update", &ids, "--state", "enabled"],
            vec![req("PUT", c.clone(), json!({"state": "enabled"}))],
        ),
        (
            vec!["rc", "delete", &ids],
            vec![req("DELETE", c.clone(), Value::Null)],
        ),
        (
            vec!["rc", "token", "create", &ids, "--description", "ci"],
            vec![req(
                "POST",
                format!("{c}/tokens"),
                json!({"description": "ci"}),
            )],
        ),
        (
            vec!["rc", "token", "rotate", &ids, "7"],
            vec![req("POST", format!("{c}/tokens/7/rotate"), Value::Null)],
        ),
        (
            vec!["rc", "token", "revoke", &ids, "7"],
            vec![req("DELETE", format!("{c}/tokens/7"), Value::Null)],
        ),
        (
            vec!["rc", "scope", "add", &ids, "--runner", "1,2"],
            vec![
                req("POST", format!("{c}/scopes/runners/1"), Value::Null),
                req("POST", format!("{c}/scopes/runners/2"), Value::Null),
            ],
        ),
        (
            vec!["rc", "scope", "remove", &ids, "--instance"],
            vec![req("DELETE", format!("{c}/scopes/instance"), Value::Null)],
        ),
        (
            vec!["bookings", "release", "1044"],
            vec![req(
                "POST",
                format!("{}/api/v2.0/assembly-sessions/1044/release", env.url()),
                Value::Null,
            )],
        ),
    ];
    for (args, want) in cases {
        assert_eq!(planned(&env, &args), want, "{args:?}");
    }
    let request = planned(
        &env,
        &[
            "bookings",
            "request",
            "--assembly",
            "HIL-BENCH-03",
            "--duration",
            "30m",
        ],
    );
    assert_eq!(request.len(), 1);
    assert_eq!(request[0]["url"], format!("{}/api/v2.0/jobs", env.url()));
    assert_eq!(request[0]["body"]["duration"], "P0DT0H30M0.000000S");
    assert_eq!(
        request[0]["body"]["request_profile"]["assembly_ref"],
        "HIL-BENCH-03"
    );
    let end = v.session_end("1044").expect("seeded");
    let extend = planned(&env, &["bookings", "extend", "1044", "--by", "30m"]);
    assert_eq!(extend[0]["method"], "PATCH");
    let asked: jiff::Timestamp = extend[0]["body"]["end"]
        .as_str()
        .expect("end")
        .parse()
        .expect("ts");
    assert_eq!(
        asked,
        end.checked_add(jiff::SignedDuration::from_mins(30))
            .expect("ts")
    );

    // Table mode says it in words; refusals are refused as a real run would.
    let (code, stdout, stderr) = rd(&env, &["rc", "delete", &ids, "--dry-run"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("Dry run: nothing was sent."), "{stdout}");
    assert!(stdout.contains(&format!("DELETE {c}")), "{stdout}");
    let (code, _, stderr) = rd(&env, &["bookings", "release", "1047", "--dry-run"]);
    assert_eq!(code, 5, "{stderr}");

    for r in env.requests() {
        assert_eq!(r.method, "GET", "--dry-run sent a change: {r:?}");
    }
    assert_eq!(gl.controller_state(id), state);
    assert_eq!(gl.scopes(id), Some((false, Vec::new())));
    assert_eq!(v.session_end("1044"), Some(end));
    assert_eq!(v.jobs_created(), 0);
    assert!(
        !env.state_dir().join("audit.jsonl").exists(),
        "nothing to audit"
    );
}

#[test]
fn several_runners_go_one_by_one_and_stop_at_the_first_failure() {
    let env = env();
    let gl = env.sim.gitlab();
    let id = calm_controller(&env);
    let ids = id.to_string();
    // Runner 6 is a project runner: GitLab answers 422.
    let (code, stdout, stderr) = rd(
        &env,
        &[
            "rc", "scope", "add", &ids, "--runner", "1,6,2", "-o", "json",
        ],
    );
    assert_eq!(code, 5, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    let e = error_of(&stderr);
    assert_eq!(
        (e["kind"].as_str(), e["status"].as_i64()),
        (Some("refused"), Some(422))
    );
    assert_eq!(e["done"], json!([1]));
    let message = e["message"].as_str().expect("message");
    assert!(message.starts_with("runner 6: 422"), "{message}");
    assert!(
        message.contains("done before it: 1; not tried: 2"),
        "{message}"
    );
    assert_eq!(gl.scopes(id), Some((false, vec![1])));

    let (code, stdout, stderr) = rd(
        &env,
        &[
            "rc", "scope", "create", &ids, "--runner", "2", "--runner", "3", "-o", "json",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let runners: Vec<i64> = json(&stdout)["runners"]
        .as_array()
        .expect("runners")
        .iter()
        .map(|r| r["runner_id"].as_i64().expect("id"))
        .collect();
    assert_eq!(runners, [1, 2, 3]);
    let (code, _, stderr) = rd(&env, &["rc", "scope", "delete", &ids, "--runner", "1,3"]);
    assert_eq!(code, 1, "removing asks: {stderr}");
    assert_eq!(gl.scopes(id), Some((false, vec![1, 2, 3])), "nothing sent");
    let (code, _, stderr) = rd(
        &env,
        &["rc", "scope", "delete", &ids, "--runner", "1,3", "--force"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(gl.scopes(id), Some((false, vec![2])));
}

fn listed(env: &TestEnv, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["rc", "list", "-o", "json"];
    all.extend(args);
    let (code, stdout, stderr) = rd(env, &all);
    assert_eq!(code, 0, "{args:?}: {stderr}");
    json(&stdout).as_array().expect("array").clone()
}

#[test]
fn rc_list_filters_sorts_and_pages_for_scripts() {
    let env = env();
    let gl = env.sim.gitlab();
    let enabled: Vec<i64> = gl
        .controller_ids()
        .into_iter()
        .filter(|id| gl.controller_state(*id).as_deref() == Some("enabled"))
        .collect();
    let got: Vec<i64> = listed(&env, &["--state", "enabled"])
        .iter()
        .map(|c| c["id"].as_i64().expect("id"))
        .collect();
    assert_eq!(got, enabled);
    let two = listed(&env, &["--state", "enabled", "--state", "dry_run"]);
    assert!(
        two.iter()
            .all(|c| matches!(c["state"].as_str(), Some("enabled" | "dry_run")))
    );
    assert!(two.len() > enabled.len());

    let kas = listed(&env, &["--search", "KAS"]);
    assert!(!kas.is_empty());
    for c in &kas {
        let d = c["description"].as_str().unwrap_or_default().to_lowercase();
        assert!(d.contains("kas"), "{c}");
    }

    let by_update = listed(&env, &["--sort", "updated"]);
    let times: Vec<jiff::Timestamp> = by_update
        .iter()
        .map(|c| {
            c["updated_at"]
                .as_str()
                .expect("updated_at")
                .parse()
                .expect("ts")
        })
        .collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first");

    let page = listed(&env, &["--page", "2", "--per-page", "5"]);
    let all = gl.controller_ids();
    let ids: Vec<i64> = page.iter().map(|c| c["id"].as_i64().expect("id")).collect();
    assert_eq!(ids, all[5..10]);
    let queries: Vec<String> = env
        .requests()
        .into_iter()
        .filter_map(|r| r.query)
        .filter(|q| q.contains("per_page=5"))
        .collect();
    assert_eq!(queries.len(), 1, "one page, one request: {queries:?}");
    let (code, stdout, _) = rd(&env, &["rc", "list", "--page", "1", "--per-page", "5"]);
    assert_eq!(code, 0);
    let pages = all.len().div_ceil(5);
    assert!(
        stdout.contains(&format!("Page 1 of {pages} (next: --page 2).")),
        "{stdout}"
    );
}

#[test]
fn retried_reads_are_said_on_stderr() {
    let env = env();
    env.sim
        .faults()
        .fail_next_matching(common::LIST_PATH, 1, Fault::Status(500));
    let (code, stdout, stderr) = rd(&env, &["rc", "list", "-o", "json"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        json(&stdout).as_array().map(Vec::len),
        Some(env.sim.gitlab().controller_ids().len())
    );
    assert!(
        stderr.contains("runnerdeck: GET /api/v4/runner_controllers: retrying in"),
        "{stderr}"
    );
    assert!(stderr.contains("(500)"), "{stderr}");
    env.sim
        .faults()
        .fail_next_matching("/api/v2.0/assembly-sessions", 1, Fault::Status(502));
    let (code, _, stderr) = rd(&env, &["bookings", "list"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("assembly-sessions: retrying in"),
        "{stderr}"
    );
    assert!(stderr.contains("(502)"), "{stderr}");
}

#[test]
fn completions_and_the_man_page_name_the_verbs() {
    let env = env();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let (code, stdout, stderr) = rd(&env, &["completions", shell]);
        assert_eq!(code, 0, "{shell}: {stderr}");
        for verb in ["bookings", "doctor", "scope", "rotate", "dry-run"] {
            assert!(stdout.contains(verb), "{shell} completion lacks {verb}");
        }
    }
    let (code, _, _) = rd(&env, &["completions", "tcsh"]);
    assert_eq!(code, 1);
    let (code, stdout, stderr) = rd(&env, &["man"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with(".ie") || stdout.contains(".TH"),
        "not roff"
    );
    for verb in [
        "runnerdeck rc list",
        "runnerdeck rc scope add",
        "runnerdeck bookings release",
        "runnerdeck doctor",
        "runnerdeck completions",
    ] {
        assert!(stdout.contains(verb), "man page lacks {verb}");
    }
    assert!(
        stdout.contains("Exit codes"),
        "man page lacks the exit codes"
    );
}

#[test]
fn on_a_terminal_a_grave_change_asks_and_no_is_the_default() {
    let env = env();
    let gl = env.sim.gitlab();
    let id = calm_controller(&env);
    let args: Vec<String> = [
        "--config",
        &path_str(&env.config),
        "rc",
        "delete",
        &id.to_string(),
    ]
    .iter()
    .map(|a| a.to_string())
    .collect();
    let mut tui = Tui::spawn(&args, &env.child_env(), env.dir.path(), 160, 10);
    tui.wait_text("Go ahead? [y/N]");
    tui.send("\r");
    assert_eq!(tui.wait_exit().exit_code(), 1, "Enter is No");
    tui.wait_raw(b"not confirmed: nothing was sent", "the refusal");
    assert!(gl.controller_state(id).is_some(), "not deleted");
    assert_eq!(
        env.count("DELETE", &format!("{}/{id}", common::LIST_PATH)),
        0
    );

    let mut tui = Tui::spawn(&args, &env.child_env(), env.dir.path(), 160, 10);
    tui.wait_text("Go ahead? [y/N]");
    tui.send("y\r");
    assert_eq!(tui.wait_exit().exit_code(), 0);
    assert_eq!(gl.controller_state(id), None, "deleted after yes");
}
