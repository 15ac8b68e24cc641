//! `runnerdeck rc get|create|update|delete`, `rc token ...` and `rc scope ...` as a plain child
//! process against the in-process simulator: what the simulator ends up holding, the JSON
//! shapes, `--yes`, exit codes with the server's reason, and the audit log (one line per change,
//! never a token or a token secret).

mod common;

use std::process::Output;
use std::time::Duration;

use common::{TestEnv, run};
use runnerdeck::audit::{AuditEntry, AuditLog};
use runnerdeck::sim::SimOptions;
use serde_json::Value;

/// Every token the simulator knows; none may ever be printed or logged.
const ACCESS_TOKENS: &[&str] = common::SIM_TOKENS;

fn env() -> TestEnv {
    TestEnv::with_options(SimOptions {
        job_step: Duration::from_millis(100),
        ..SimOptions::default()
    })
}

/// Runs `runnerdeck --config CFG <args>`; no access token on stdout or stderr, and no token
/// secret on stderr, ever.
fn rd(env: &TestEnv, args: &[&str]) -> (i32, String, String) {
    let (out, stdout, stderr) = run(env.command(args));
    check_output(env, &out, &stdout, &stderr);
    (code(&out), stdout, stderr)
}

/// The first controller without any scope (in `state`, when given).
fn unscoped(env: &TestEnv, state: Option<&str>) -> i64 {
    let gl = env.sim.gitlab();
    gl.controller_ids()
        .into_iter()
        .find(|id| {
            gl.scopes(*id) == Some((false, Vec::new()))
                && state.is_none_or(|s| gl.controller_state(*id).as_deref() == Some(s))
        })
        .unwrap_or_else(|| panic!("a controller without scopes (state {state:?})"))
}

fn check_output(env: &TestEnv, _out: &Output, stdout: &str, stderr: &str) {
    let mut tokens = ACCESS_TOKENS.to_vec();
    tokens.push(&env.gitlab_token);
    for t in tokens {
        assert!(
            !stdout.contains(t),
            "access token {t:?} on stdout:\n{stdout}"
        );
        assert!(
            !stderr.contains(t),
            "access token {t:?} on stderr:\n{stderr}"
        );
    }
    assert!(
        !stderr.contains("glrct-"),
        "a token secret on stderr:\n{stderr}"
    );
}

fn code(out: &Output) -> i32 {
    out.status.code().expect("exited normally")
}

fn json(stdout: &str) -> Value {
    serde_json::from_str(stdout)
        .unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}):\n{stdout}"))
}

fn audit_path(env: &TestEnv) -> std::path::PathBuf {
    env.state_dir().join("audit.jsonl")
}

/// The audit log, oldest first, checked for secrets on the way.
fn audit(env: &TestEnv) -> Vec<AuditEntry> {
    let path = audit_path(env);
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        !text.contains("glrct-"),
        "a token secret in the audit log:\n{text}"
    );
    for t in ACCESS_TOKENS {
        assert!(
            !text.contains(t),
            "access token {t:?} in the audit log:\n{text}"
        );
    }
    let mut entries = AuditLog::at(path)
        .read_newest_first(usize::MAX)
        .expect("read audit log");
    assert_eq!(
        entries.len(),
        text.lines().count(),
        "every line is an entry:\n{text}"
    );
    entries.reverse();
    for e in &entries {
        assert_eq!(e.source, "cli", "{e:?}");
        assert_eq!(e.url, env.url().trim_end_matches('/'), "{e:?}");
        assert_eq!(e.user.as_deref(), Some("root"), "{e:?}");
        assert!(e.time.parse::<jiff::Timestamp>().is_ok(), "{e:?}");
    }
    entries
}

fn summary(entries: &[AuditEntry]) -> Vec<(String, String, u16)> {
    entries
        .iter()
        .map(|e| (e.method.clone(), e.path.clone(), e.status))
        .collect()
}

fn s(method: &str, path: &str, status: u16) -> (String, String, u16) {
    (method.to_string(), path.to_string(), status)
}

#[test]
fn get_shows_one_controller_with_connected() {
    let env = env();
    let id = env.sim.gitlab().controller_ids()[0];
    let (code, stdout, stderr) = rd(&env, &["rc", "get", &id.to_string(), "-o", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let c = json(&stdout);
    assert_eq!(c["id"], id);
    assert_eq!(
        c["state"].as_str(),
        env.sim.gitlab().controller_state(id).as_deref()
    );
    assert!(c["connected"].is_boolean(), "{c}");
    for key in ["description", "created_at", "updated_at"] {
        assert!(c.get(key).is_some(), "no {key}: {c}");
    }

    let (code, stdout, stderr) = rd(&env, &["rc", "get", &id.to_string()]);
    assert_eq!(code, 0, "{stderr}");
    let header: Vec<&str> = stdout
        .lines()
        .next()
        .expect("header")
        .split_whitespace()
        .collect();
    assert_eq!(&header[..3], ["ID", "STATE", "CONNECTED"], "{stdout}");
    assert_eq!(stdout.lines().count(), 2, "{stdout}");

    let (code, stdout, stderr) = rd(&env, &["rc", "get", "999999", "-o", "json"]);
    assert_eq!(code, 4, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("404"), "{stderr}");
    assert!(stderr.contains("runner controller 999999"), "{stderr}");
    assert!(!audit_path(&env).exists(), "reads are not audited");
}

#[test]
fn create_update_delete_change_the_server_and_are_audited() {
    let env = env();
    let gl = env.sim.gitlab();
    let (code, stdout, stderr) = rd(
        &env,
        &[
            "rc",
            "create",
            "--description",
            "made by a script",
            "--state",
            "dry_run",
            "-o",
            "json",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let created = json(&stdout);
    let id = created["id"].as_i64().expect("numeric id");
    assert_eq!(created["state"], "dry_run");
    assert_eq!(created["description"], "made by a script");
    assert_eq!(gl.controller_state(id).as_deref(), Some("dry_run"));
    assert_eq!(
        gl.controller_description(id),
        Some(Some("made by a script".to_string()))
    );

    let ids = id.to_string();
    // Enabling asks, as the TUI does: without --yes nothing is sent.
    let (code, _, stderr) = rd(&env, &["rc", "update", &ids, "--state", "enabled"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("--yes"), "{stderr}");
    assert_eq!(gl.controller_state(id).as_deref(), Some("dry_run"));
    let (code, stdout, stderr) = rd(
        &env,
        &[
            "rc", "update", &ids, "--state", "enabled", "--yes", "-o", "json",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(json(&stdout)["state"], "enabled");
    assert_eq!(gl.controller_state(id).as_deref(), Some("enabled"));
    assert_eq!(
        gl.controller_description(id),
        Some(Some("made by a script".to_string())),
        "only the fields given change"
    );

    let (code, stdout, stderr) = rd(&env, &["rc", "update", &ids, "--clear-description"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("ID"), "{stdout}");
    assert_eq!(gl.controller_description(id), Some(None));

    // Nothing to change, or a contradiction: refused before any request.
    let before = env.requests().len();
    let (code, _, stderr) = rd(&env, &["rc", "update", &ids]);
    assert_eq!(code, 1, "{stderr}");
    let (code, _, stderr) = rd(
        &env,
        &[
            "rc",
            "update",
            &ids,
            "--description",
            "x",
            "--clear-description",
        ],
    );
    assert_eq!(code, 1, "{stderr}");
    let (code, _, stderr) = rd(&env, &["rc", "delete", &ids]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("--yes"), "{stderr}");
    assert_eq!(env.requests().len(), before, "refusals send nothing");
    assert!(gl.controller_state(id).is_some());

    let (code, stdout, stderr) = rd(&env, &["rc", "delete", &ids, "--yes", "-o", "json"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(json(&stdout)["deleted"], true);
    assert_eq!(gl.controller_state(id), None);

    let (code, _, stderr) = rd(&env, &["rc", "delete", &ids, "--yes"]);
    assert_eq!(code, 4, "{stderr}");
    assert!(stderr.contains("404"), "{stderr}");

    let entries = audit(&env);
    let path = format!("/api/v4/runner_controllers/{id}");
    assert_eq!(
        summary(&entries),
        [
            s("POST", "/api/v4/runner_controllers", 201),
            s("PUT", &path, 200),
            s("PUT", &path, 200),
            s("DELETE", &path, 204),
        ]
    );
    assert_eq!(entries[0].before, None);
    let after = entries[0].after.as_ref().expect("after");
    assert_eq!(after["id"], id);
    let (before, after) = (
        entries[1].before.as_ref().expect("before"),
        entries[1].after.as_ref().expect("after"),
    );
    assert_eq!(
        (&before["state"], &after["state"]),
        (&"dry_run".into(), &"enabled".into())
    );
    assert_eq!(
        entries[2].after.as_ref().expect("after")["description"],
        Value::Null
    );
    assert_eq!(entries[3].before.as_ref().expect("before")["id"], id);
    assert_eq!(entries[3].after, None);
    assert!(entries.iter().all(|e| e.error.is_none()));
}

#[test]
fn read_only_refuses_changes() {
    let env = env();
    let (code, _, stderr) = rd(&env, &["--read-only", "rc", "create", "--description", "x"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("read-only"), "{stderr}");
    assert_eq!(env.count("POST", common::LIST_PATH), 0);
}

#[test]
fn tokens_show_their_secret_once_and_never_log_it() {
    let env = env();
    let gl = env.sim.gitlab();
    let id = gl.controller_ids()[0];
    let ids = id.to_string();
    let old_ids = gl.token_ids(id);

    let (code, stdout, stderr) = rd(
        &env,
        &[
            "rc",
            "token",
            "create",
            &ids,
            "--description",
            "ci",
            "-o",
            "json",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let t = json(&stdout);
    let secret = t["token"].as_str().expect("the secret, once").to_string();
    assert!(secret.starts_with("glrct-"), "{t}");
    let new_id = t["id"].as_i64().expect("id");
    assert_eq!(t["description"], "ci");
    assert_eq!(t["runner_controller_id"], id);
    assert_eq!(
        gl.verify_token(&secret),
        Some(new_id),
        "the printed secret works"
    );
    assert!(gl.token_ids(id).contains(&new_id) && !old_ids.contains(&new_id));

    // The list never carries a secret.
    let (code, stdout, stderr) = rd(&env, &["rc", "token", "list", &ids, "-o", "json"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stdout.contains("glrct-"), "{stdout}");
    let listed: Vec<i64> = json(&stdout)
        .as_array()
        .expect("array")
        .iter()
        .map(|t| t["id"].as_i64().expect("id"))
        .collect();
    assert_eq!(listed, gl.token_ids(id));

    // Table mode: the row, then the secret in a block of its own.
    let (code, _, stderr) = rd(&env, &["rc", "token", "rotate", &ids, &new_id.to_string()]);
    assert_eq!(code, 1, "rotating asks first: {stderr}");
    let (code, stdout, stderr) = rd(
        &env,
        &["rc", "token", "rotate", &ids, &new_id.to_string(), "--yes"],
    );
    assert_eq!(code, 0, "{stderr}");
    let line = stdout
        .lines()
        .find(|l| l.starts_with("Token secret (shown once, it cannot be shown again): glrct-"))
        .unwrap_or_else(|| panic!("no secret block:\n{stdout}"));
    let rotated_secret = line.rsplit(' ').next().expect("secret");
    assert_eq!(stdout.matches("glrct-").count(), 1, "{stdout}");
    let rotated: i64 = *gl.token_ids(id).last().expect("the rotated token");
    assert_ne!(rotated, new_id, "rotation gives a new id");
    assert_eq!(
        gl.verify_token(rotated_secret),
        Some(rotated),
        "the printed secret works"
    );
    assert_eq!(gl.verify_token(&secret), None, "the old secret is revoked");
    assert!(!gl.token_ids(id).contains(&new_id));

    let (code, _, stderr) = rd(&env, &["rc", "token", "revoke", &ids, &rotated.to_string()]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("--yes"), "{stderr}");
    assert!(gl.token_ids(id).contains(&rotated));
    let (code, stdout, stderr) = rd(
        &env,
        &[
            "rc",
            "token",
            "revoke",
            &ids,
            &rotated.to_string(),
            "--yes",
            "-o",
            "json",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(json(&stdout)["revoked"], true);
    assert_eq!(gl.token_ids(id), old_ids);

    // Revoked twice: the server's 404, and an audited failure.
    let (code, _, stderr) = rd(
        &env,
        &["rc", "token", "revoke", &ids, &rotated.to_string(), "--yes"],
    );
    assert_eq!(code, 4, "{stderr}");
    assert!(stderr.contains("404"), "{stderr}");

    let entries = audit(&env);
    let base = format!("/api/v4/runner_controllers/{id}/tokens");
    assert_eq!(
        summary(&entries),
        [
            s("POST", &base, 201),
            s("POST", &format!("{base}/{new_id}/rotate"), 200),
            s("DELETE", &format!("{base}/{rotated}"), 204),
            s("DELETE", &format!("{base}/{rotated}"), 404),
        ]
    );
    let after = entries[0]
        .after
        .as_ref()
        .expect("the new token, without its secret");
    assert_eq!(after["id"], new_id);
    assert_eq!(after["description"], "ci");
    assert!(after.get("token").is_none(), "{after}");
    assert_eq!(entries[1].after.as_ref().expect("after")["id"], rotated);
    assert!(
        entries[3]
            .error
            .as_deref()
            .is_some_and(|e| e.contains("404"))
    );
    let text = std::fs::read_to_string(audit_path(&env)).expect("audit log");
    assert!(!text.contains(&secret) && !text.contains(rotated_secret));
}

#[test]
fn scopes_are_added_and_removed_with_the_servers_refusals() {
    let env = env();
    let gl = env.sim.gitlab();
    let id = unscoped(&env, None);
    let ids = id.to_string();

    let (code, stdout, stderr) = rd(
        &env,
        &["rc", "scope", "add", &ids, "--instance", "-o", "json"],
    );
    assert_eq!(code, 0, "{stderr}");
    let v = json(&stdout);
    assert!(v["instance"].is_object(), "{v}");
    assert_eq!(v["runners"], Value::Array(Vec::new()));
    assert_eq!(gl.scopes(id), Some((true, Vec::new())));

    // What GitLab would refuse with 409 is said before anything is sent.
    let posts = |env: &TestEnv| {
        env.requests()
            .iter()
            .filter(|r| r.method == "POST" && r.path.contains("/scopes/"))
            .count()
    };
    let sent = posts(&env);
    let (code, stdout, stderr) = rd(&env, &["rc", "scope", "add", &ids, "--runner", "1"]);
    assert_eq!(code, 5, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("has the instance scope"), "{stderr}");
    assert_eq!(posts(&env), sent, "nothing was sent");

    let (code, _, stderr) = rd(
        &env,
        &["rc", "scope", "remove", &ids, "--instance", "--yes"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(gl.scopes(id), Some((false, Vec::new())));

    // Runner 6 is a project runner.
    let (code, _, stderr) = rd(&env, &["rc", "scope", "add", &ids, "--runner", "6"]);
    assert_eq!(code, 5, "{stderr}");
    assert!(stderr.contains("422"), "{stderr}");
    assert!(
        stderr.contains("Only instance-type runners can be scoped"),
        "{stderr}"
    );

    let (code, stdout, stderr) = rd(&env, &["rc", "scope", "add", &ids, "--runner", "1"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(gl.scopes(id), Some((false, vec![1])));
    let mut lines = stdout.lines();
    assert!(
        lines.next().expect("header").starts_with("SCOPE"),
        "{stdout}"
    );
    assert!(lines.next().expect("row").starts_with("runner"), "{stdout}");

    let sent = posts(&env);
    let (code, _, stderr) = rd(&env, &["rc", "scope", "add", &ids, "--instance"]);
    assert_eq!(code, 5, "{stderr}");
    assert!(stderr.contains("has runner scopes"), "{stderr}");
    assert_eq!(posts(&env), sent, "nothing was sent");

    let (code, stdout, stderr) = rd(&env, &["rc", "scope", "list", &ids, "-o", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let v = json(&stdout);
    assert_eq!(v["instance"], Value::Null);
    assert_eq!(v["runners"][0]["runner_id"], 1);

    // Exactly one of --instance and --runner.
    let before = env.requests().len();
    for args in [
        vec!["rc", "scope", "add", ids.as_str()],
        vec![
            "rc",
            "scope",
            "remove",
            ids.as_str(),
            "--instance",
            "--runner",
            "1",
        ],
    ] {
        let (code, _, stderr) = rd(&env, &args);
        assert_eq!(code, 1, "{args:?}: {stderr}");
    }
    assert_eq!(env.requests().len(), before);

    let (code, _, stderr) = rd(
        &env,
        &["rc", "scope", "remove", &ids, "--runner", "1", "--yes"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(gl.scopes(id), Some((false, Vec::new())));

    let (code, _, stderr) = rd(&env, &["rc", "scope", "add", "999999", "--instance"]);
    assert_eq!(code, 4, "{stderr}");
    assert!(stderr.contains("404"), "{stderr}");

    let entries = audit(&env);
    let base = format!("/api/v4/runner_controllers/{id}/scopes");
    let (inst, r1, r6) = (
        format!("{base}/instance"),
        format!("{base}/runners/1"),
        format!("{base}/runners/6"),
    );
    assert_eq!(
        summary(&entries),
        [
            s("POST", &inst, 201),
            s("DELETE", &inst, 204),
            s("POST", &r6, 422),
            s("POST", &r1, 201),
            s("DELETE", &r1, 204),
        ]
    );
    let first = &entries[0];
    assert_eq!(
        first.before.as_ref().expect("before")["instance"],
        Value::Null
    );
    assert!(first.after.as_ref().expect("after")["instance"].is_object());
    let refused = &entries[2];
    assert_eq!(refused.after, None);
    assert!(
        refused
            .error
            .as_deref()
            .is_some_and(|e| e.contains("Only instance-type runners")),
        "{refused:?}"
    );
}

/// 12.5: the instance scope on an enabled controller judges every job at once; like the TUI's
/// typed id, the CLI asks, and with no terminal refuses without `--yes`.
#[test]
fn the_instance_scope_on_an_enabled_controller_needs_yes() {
    let env = env();
    let gl = env.sim.gitlab();
    let id = unscoped(&env, Some("enabled"));
    let ids = id.to_string();
    let (code, _, stderr) = rd(&env, &["rc", "scope", "add", &ids, "--instance"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("--yes"), "{stderr}");
    assert_eq!(
        gl.scopes(id),
        Some((false, Vec::new())),
        "nothing was added"
    );
    assert!(
        !env.requests()
            .iter()
            .any(|r| r.method == "POST" && r.path.contains("/scopes/")),
        "nothing was sent"
    );
    let (code, _, stderr) = rd(&env, &["rc", "scope", "add", &ids, "--instance", "--yes"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(gl.scopes(id), Some((true, Vec::new())));
}

/// 12.7: a change the server refused is audited with the server's `X-Request-Id`, the id
/// support asks for; a success keeps it too.
#[test]
fn a_refused_change_is_audited_with_the_servers_request_id() {
    let env = env();
    let id = unscoped(&env, None);
    let ids = id.to_string();
    // Runner 6 is not an instance runner: GitLab refuses the scope.
    let (code, _, stderr) = rd(&env, &["rc", "scope", "add", &ids, "--runner", "6"]);
    assert_eq!(code, 5, "{stderr}");
    let (code, _, stderr) = rd(&env, &["rc", "scope", "add", &ids, "--runner", "1"]);
    assert_eq!(code, 0, "{stderr}");
    let entries = audit(&env);
    assert_eq!(entries.len(), 2, "{entries:?}");
    for e in &entries {
        let rid = e.request_id.as_deref().unwrap_or_default();
        assert!(rid.starts_with("01JSIM"), "{e:?}");
    }
    assert_ne!(entries[0].request_id, entries[1].request_id);
    assert!(entries[0].status >= 400, "{:?}", entries[0]);
}
