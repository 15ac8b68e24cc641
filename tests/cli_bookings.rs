//! `runnerdeck bookings request|status|extend|release` as a plain child process against the
//! in-process simulator (jobs step every 100 ms): what veHaaS ends up holding, the JSON shapes,
//! `--yes`, durations refused before any request, exit codes with the server's reason, a single
//! `POST /jobs`, and the audit log.

mod common;

use std::time::Duration;

use common::{TestEnv, run};
use runnerdeck::audit::{AuditEntry, AuditLog};
use runnerdeck::sim::{Fault, SimOptions};
use serde_json::Value;

/// Every token the simulator knows; none may ever be printed or logged.
const ACCESS_TOKENS: &[&str] = common::SIM_TOKENS;

const JOBS: &str = "/api/v2.0/jobs";

fn env() -> TestEnv {
    TestEnv::with_options(SimOptions {
        job_step: Duration::from_millis(100),
        ..SimOptions::default()
    })
}

/// Runs `runnerdeck --config CFG <args>`; no access token is ever printed.
fn rd(env: &TestEnv, args: &[&str]) -> (i32, String, String) {
    let (out, stdout, stderr) = run(env.command(args));
    for t in ACCESS_TOKENS {
        assert!(
            !stdout.contains(t),
            "access token {t:?} on stdout:\n{stdout}"
        );
        assert!(
            !stderr.contains(t),
            "access token {t:?} on stderr:\n{stderr}"
        );
    }
    (out.status.code().expect("exited normally"), stdout, stderr)
}

fn json(stdout: &str) -> Value {
    serde_json::from_str(stdout)
        .unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}):\n{stdout}"))
}

/// The audit log, oldest first, checked for tokens on the way.
fn audit(env: &TestEnv) -> Vec<AuditEntry> {
    let path = env.state_dir().join("audit.jsonl");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    for t in ACCESS_TOKENS {
        assert!(
            !text.contains(t),
            "access token {t:?} in the audit log:\n{text}"
        );
    }
    assert!(!text.contains("glrct-"), "{text}");
    let mut entries = AuditLog::at(path)
        .read_newest_first(usize::MAX)
        .expect("read audit log");
    assert_eq!(entries.len(), text.lines().count(), "{text}");
    entries.reverse();
    for e in &entries {
        assert_eq!(e.source, "cli", "{e:?}");
        assert_eq!(e.url, env.url().trim_end_matches('/'), "{e:?}");
    }
    entries
}

fn vehaas_requests(env: &TestEnv) -> usize {
    env.requests()
        .iter()
        .filter(|r| r.path.starts_with("/api/v2.0/"))
        .count()
}

#[test]
fn request_wait_prints_the_runner_tag_of_a_new_session() {
    let env = env();
    let (code, stdout, stderr) = rd(
        &env,
        &[
            "bookings",
            "request",
            "--assembly",
            "HIL-BENCH-03",
            "--duration",
            "30m",
            "--wait",
            "-o",
            "json",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let job = json(&stdout);
    assert_eq!(job["state"], "finished", "{job}");
    let tag = job["gitlab_runner_tag"].as_str().expect("a runner tag");
    assert!(tag.starts_with("vehaas-hil-bench-03-"), "{tag}");
    let session = job["session_id"].as_str().expect("a session id");
    assert!(
        matches!(
            env.sim.vehaas().session_state(session).as_deref(),
            Some("active" | "scheduled")
        ),
        "{job}"
    );
    assert_eq!(env.sim.vehaas().jobs_created(), 1);
    assert_eq!(env.count("POST", JOBS), 1, "POST /jobs exactly once");
    // The deprecated endpoint is said so, on stderr.
    assert!(stderr.contains("deprecated"), "{stderr}");

    // Table mode says the tag in plain words.
    let (code, stdout, stderr) = rd(
        &env,
        &[
            "bookings",
            "request",
            "--assembly",
            "VT-SYSTEM-12",
            "--duration",
            "PT10M",
            "--wait",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("JOB"), "{stdout}");
    assert!(
        stdout.contains("GitLab runner tag: vehaas-vt-system-12-"),
        "{stdout}"
    );

    let entries = audit(&env);
    assert_eq!(entries.len(), 2);
    for e in &entries {
        assert_eq!(
            (e.method.as_str(), e.path.as_str(), e.status),
            ("POST", JOBS, 201)
        );
        assert!(
            e.after.as_ref().expect("after")["job_id"].is_string(),
            "{e:?}"
        );
    }
}

#[test]
fn request_without_wait_returns_the_queued_job_and_status_follows_it() {
    let env = env();
    let provider = "https://gitlab.example.com/";
    let (code, stdout, stderr) = rd(
        &env,
        &[
            "bookings",
            "request",
            "--assembly",
            "HIL-BENCH-03",
            "--duration",
            "1h30m",
            "--provider-url",
            provider,
            "-o",
            "json",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let job = json(&stdout);
    let job_id = job["job_id"].as_str().expect("job id").to_string();
    assert_eq!(job["state"], "queued");
    assert_eq!(job["assembly_ref"], "HIL-BENCH-03");
    assert_eq!(env.sim.vehaas().jobs_created(), 1);

    let (code, stdout, stderr) = rd(&env, &["bookings", "status", &job_id, "-o", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let status = json(&stdout);
    assert_eq!(status["job_id"], job_id.as_str());
    assert!(status.get("gitlab_runner_tag").is_some(), "{status}");

    let (code, stdout, stderr) = rd(&env, &["bookings", "status", "no-such-job"]);
    assert_eq!(code, 4, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("404"), "{stderr}");
    assert_eq!(env.sim.vehaas().jobs_created(), 1, "status books nothing");
    assert_eq!(audit(&env).len(), 1);
}

#[test]
fn a_failed_job_is_refused_with_5() {
    let env = env();
    // HIL-BENCH-01 is booked now (session 1041), and --no-queue forbids waiting behind it.
    let (code, _, stderr) = rd(
        &env,
        &[
            "bookings",
            "request",
            "--assembly",
            "HIL-BENCH-01",
            "--duration",
            "10m",
            "--no-queue",
            "--wait",
            "-o",
            "json",
        ],
    );
    assert_eq!(code, 5, "{stderr}");
    assert!(stderr.contains("failed"), "{stderr}");
    assert_eq!(env.count("POST", JOBS), 1);
}

#[test]
fn bad_durations_are_refused_before_any_request() {
    let env = env();
    for (args, reason) in [
        (
            vec!["bookings", "request", "--assembly", "A", "--duration", "0m"],
            "is zero",
        ),
        (
            vec!["bookings", "request", "--assembly", "A", "--duration", "90"],
            "is not a duration",
        ),
        (vec!["bookings", "extend", "1041", "--by", "soon"], "1h30m"),
    ] {
        let (code, stdout, stderr) = rd(&env, &args);
        assert_eq!(code, 1, "{args:?}: {stderr}");
        assert!(stdout.is_empty(), "{stdout}");
        assert!(stderr.contains(reason), "{args:?}: {stderr}");
    }
    assert!(env.requests().is_empty(), "{:?}", env.requests());
    assert!(!env.state_dir().join("audit.jsonl").exists());
}

#[test]
fn extend_moves_the_end_or_says_why_not() {
    let env = env();
    let v = env.sim.vehaas();
    let end = v.session_end("1044").expect("seeded session 1044");
    let (code, stdout, stderr) = rd(
        &env,
        &["bookings", "extend", "1044", "--by", "30m", "-o", "json"],
    );
    assert_eq!(code, 0, "{stderr}");
    let want = end
        .checked_add(jiff::SignedDuration::from_mins(30))
        .expect("time");
    assert_eq!(v.session_end("1044"), Some(want));
    let s = json(&stdout);
    assert_eq!(s["id"], "1044");
    let printed: jiff::Timestamp = s["end"].as_str().expect("end").parse().expect("time");
    assert_eq!(printed, want);

    // 1046 is booked on the same bench two hours from now.
    let end_1041 = v.session_end("1041");
    let (code, stdout, stderr) = rd(&env, &["bookings", "extend", "1041", "--by", "3h"]);
    assert_eq!(code, 5, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("409"), "{stderr}");
    assert!(stderr.contains("Cannot extend"), "{stderr}");
    assert_eq!(v.session_end("1041"), end_1041);

    let (code, _, stderr) = rd(&env, &["bookings", "extend", "9999", "--by", "30m"]);
    assert_eq!(code, 4, "{stderr}");
    assert!(stderr.contains("9999"), "{stderr}");

    let entries = audit(&env);
    let summary: Vec<(&str, &str, u16)> = entries
        .iter()
        .map(|e| (e.method.as_str(), e.path.as_str(), e.status))
        .collect();
    assert_eq!(
        summary,
        [
            ("PATCH", "/api/v2.0/assembly-sessions/1044", 200),
            ("PATCH", "/api/v2.0/assembly-sessions/1041", 409),
        ]
    );
    assert_eq!(entries[0].before.as_ref().expect("before")["id"], "1044");
    assert!(
        entries[1]
            .error
            .as_deref()
            .is_some_and(|e| e.contains("Cannot extend"))
    );
}

#[test]
fn release_needs_yes() {
    let env = env();
    let v = env.sim.vehaas();
    let (code, _, stderr) = rd(&env, &["bookings", "release", "1044"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("--yes"), "{stderr}");
    assert_eq!(vehaas_requests(&env), 0);
    assert_eq!(v.session_state("1044").as_deref(), Some("active"));

    let (code, stdout, stderr) = rd(
        &env,
        &["bookings", "release", "1044", "--yes", "-o", "json"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(json(&stdout)["released"], true);
    assert_eq!(v.session_state("1044").as_deref(), Some("released"));

    // Released already: refused before anything is sent (12.12).
    let (code, _, stderr) = rd(&env, &["bookings", "release", "1044", "--yes"]);
    assert_eq!(code, 5, "{stderr}");
    assert!(stderr.contains("already released"), "{stderr}");
    assert!(stderr.contains("nothing was sent"), "{stderr}");
    let posts = env
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/1044/release"))
        .count();
    assert_eq!(posts, 1, "the second release never reached veHaaS");

    let entries = audit(&env);
    let path = "/api/v2.0/assembly-sessions/1044/release";
    let summary: Vec<(&str, &str, u16)> = entries
        .iter()
        .map(|e| (e.method.as_str(), e.path.as_str(), e.status))
        .collect();
    assert_eq!(summary, [("POST", path, 204)]);
    assert_eq!(
        entries[0].before.as_ref().expect("before")["state"],
        "active"
    );
}

#[test]
fn a_timed_out_request_may_have_booked() {
    let env = env();
    env.write_config("\n[http]\nrequest_timeout_seconds = 1\n");
    env.sim.faults().fail_next_matching(JOBS, 1, Fault::Hang);
    let (code, stdout, stderr) = rd(
        &env,
        &[
            "bookings",
            "request",
            "--assembly",
            "HIL-BENCH-03",
            "--duration",
            "10m",
        ],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("may or may not exist"), "{stderr}");
    assert!(stderr.contains("bookings list"), "{stderr}");
    assert_eq!(env.count("POST", JOBS), 1, "never retried");

    let entries = audit(&env);
    assert_eq!(entries.len(), 1);
    let e = &entries[0];
    assert_eq!(
        (e.method.as_str(), e.path.as_str(), e.status),
        ("POST", JOBS, 0)
    );
    assert!(e.error.is_some(), "{e:?}");
    assert_eq!(
        e.after.as_ref().expect("what was asked")["assembly_ref"],
        "HIL-BENCH-03"
    );
}

/// 12.12: a session that is over is neither extended nor released, and nothing is sent.
#[test]
fn an_ended_session_is_not_extended_or_released() {
    let env = env();
    let v = env.sim.vehaas();
    assert_eq!(v.session_state("1047").as_deref(), Some("ended"));
    let end = v.session_end("1047");
    let (code, _, stderr) = rd(&env, &["bookings", "extend", "1047", "--by", "10m"]);
    assert_eq!(code, 5, "{stderr}");
    assert!(stderr.contains("already over"), "{stderr}");
    let (code, _, stderr) = rd(&env, &["bookings", "release", "1047", "--yes"]);
    assert_eq!(code, 5, "{stderr}");
    assert!(stderr.contains("already over"), "{stderr}");
    let changes = env
        .requests()
        .iter()
        .filter(|r| r.method != "GET" && r.path.contains("/1047"))
        .count();
    assert_eq!(changes, 0, "nothing reached veHaaS");
    assert_eq!(v.session_end("1047"), end);
    assert_eq!(v.session_state("1047").as_deref(), Some("ended"));
}

/// Ctrl-c while `--wait` follows a job: the job was sent and keeps going on veHaaS; the run
/// says so and exits 130 (the shell's code for SIGINT), the job id on stderr to find it again.
#[test]
fn ctrl_c_while_waiting_exits_130_and_names_the_job() {
    // Jobs that never finish while the test looks.
    let env = TestEnv::with_options(SimOptions {
        job_step: Duration::from_secs(3600),
        ..SimOptions::default()
    });
    let mut cmd = env.command(&[
        "bookings",
        "request",
        "--assembly",
        "HIL-BENCH-03",
        "--duration",
        "30m",
        "--wait",
    ]);
    cmd.stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let child = cmd.spawn().expect("spawn");
    let v = env.sim.vehaas();
    common::wait_until(|| v.jobs_created() == 1, "the job was sent");
    // A poll after the job: the run is waiting now.
    common::wait_until(
        || {
            env.requests()
                .iter()
                .any(|r| r.method == "GET" && r.path.starts_with("/api/v2.0/jobs/"))
        },
        "the job is being followed",
    );
    let sent = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(sent.success(), "SIGINT sent");
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(stderr.to_lowercase().contains("job"), "{stderr}");
    assert_eq!(v.jobs_created(), 1, "never sent twice");
}
