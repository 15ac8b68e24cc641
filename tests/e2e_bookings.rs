//! End-to-end tests of the veHaaS bookings pane against a simulator answering in its lenient
//! shapes (numeric ids, UPPER-CASE states, naive times, extra fields): a runner request followed
//! to its tag and booked exactly once, a bad duration refused in the form, and the sessions as
//! served. Every step waits for a condition on screen or in the simulator, never a fixed time.

mod common;

use std::time::Duration;

use common::{TestEnv, Tui, wait_until};
use runnerdeck::sim::SimOptions;

const ENTER: &str = "\r";
const TAB: &str = "\t";
const BACKSPACE: &str = "\x7f";

const JOBS_PATH: &str = "/api/v2.0/jobs";

fn lenient_env() -> TestEnv {
    TestEnv::with_options(SimOptions {
        vehaas_lenient: true,
        job_step: Duration::from_millis(200),
        ..Default::default()
    })
}

/// The number in the bookings pane's title, `veHaaS bookings (N)`.
fn bookings_count(screen: &str) -> Option<usize> {
    let prefix = "veHaaS bookings (";
    let at = screen.find(prefix)? + prefix.len();
    let digits: String = screen[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// Starts the TUI at 160x40 and waits until the bookings are loaded.
fn start(env: &TestEnv) -> Tui {
    let mut tui = env.tui(160, 40, &[]);
    tui.wait_for(
        |s| bookings_count(s).is_some() && s.contains("HIL-BENCH-02"),
        "the bookings pane with its sessions",
    );
    tui
}

/// Lines of the screen inside a pane (they hold a border) that hold every one of `needles`. A
/// bookings row holds its assembly and its tag; the line under the table about the selected
/// session holds its tag but not its assembly.
fn rows_with<'a>(screen: &'a str, needles: &[&str]) -> Vec<&'a str> {
    screen
        .lines()
        .filter(|l| l.contains('│') && needles.iter().all(|n| l.contains(n)))
        .collect()
}

#[test]
fn a_runner_request_is_followed_to_its_tag_and_booked_once() {
    let env = lenient_env();
    let v = env.sim.vehaas();
    let sessions_before = v.session_ids();
    let mut tui = start(&env);
    let screen = tui.screen_text();
    let count_before = bookings_count(&screen).expect("a count");
    assert!(
        !screen.contains("vehaas-hil-bench-03"),
        "a runner on HIL-BENCH-03 before any request:\n{screen}"
    );

    tui.send(TAB);
    tui.send("n");
    tui.wait_text("Request a GitLab Runner");
    tui.send("HIL-BENCH-03");
    tui.send(TAB);
    tui.send("1x");
    tui.send(ENTER);
    // Refused in the form, with the reason; nothing is sent.
    let screen = tui.wait_text("\"1x\" is not a duration");
    assert!(screen.contains("Request a GitLab Runner"), "{screen}");
    assert_eq!(v.jobs_created(), 0, "a job for a bad duration");
    assert_eq!(
        env.count("POST", JOBS_PATH),
        0,
        "POST /jobs for a bad duration"
    );

    tui.send(&BACKSPACE.repeat(2));
    tui.send("10m");
    tui.send(ENTER);
    tui.wait_gone("Request a GitLab Runner");
    let screen = tui.wait_for(
        |s| !rows_with(s, &["HIL-BENCH-03", "vehaas-hil-bench-03-"]).is_empty(),
        "the runner tag of the request",
    );
    let mut new_sessions = Vec::new();
    wait_until(
        || {
            new_sessions = v
                .session_ids()
                .into_iter()
                .filter(|s| !sessions_before.contains(s))
                .collect();
            !new_sessions.is_empty()
        },
        "the simulator booked a session",
    );
    assert_eq!(new_sessions.len(), 1, "{new_sessions:?}");
    let tag = format!("vehaas-hil-bench-03-{}", new_sessions[0]);
    let rows = rows_with(&screen, &["HIL-BENCH-03", &tag]);
    assert_eq!(rows.len(), 1, "the tag {tag} is not on one row:\n{screen}");
    assert_eq!(v.jobs_created(), 1, "booked more than once");

    // Once the session list catches up, the request row gives way to the session row.
    let want = count_before + 1;
    let screen = tui.wait_for(
        |s| bookings_count(s) == Some(want) && rows_with(s, &["HIL-BENCH-03", &tag]).len() == 1,
        "the new session in the bookings pane",
    );
    let row = rows_with(&screen, &["HIL-BENCH-03", &tag])[0];
    assert!(row.contains("active"), "{screen}");
    assert_eq!(v.jobs_created(), 1, "booked more than once");
    assert_eq!(env.count("POST", JOBS_PATH), 1, "POST /jobs repeated");
}

/// Seeded sessions that are current (active or scheduled, ending later), by the simulator.
fn current_sessions(env: &TestEnv) -> Vec<String> {
    let v = env.sim.vehaas();
    let now = jiff::Timestamp::now();
    v.session_ids()
        .into_iter()
        .filter(|id| {
            matches!(v.session_state(id).as_deref(), Some("active" | "scheduled"))
                && v.session_end(id).is_some_and(|e| e > now)
        })
        .collect()
}

#[test]
fn lenient_sessions_show_their_assemblies_and_tags() {
    let env = lenient_env();
    let tui = start(&env);
    let screen = tui.screen_text();
    // Naive times, numeric ids and UPPER-CASE states still make rows; the seeded tags are
    // `vehaas-<assembly>-<session id>`.
    for (asm, tag) in [
        ("HIL-BENCH-01", "vehaas-hil-bench-01-1041"),
        ("VT-SYSTEM-07", "vehaas-vt-system-07-1042"),
        ("ECU-RIG-A3", "vehaas-ecu-rig-a3-1043"),
        ("HIL-BENCH-02", "vehaas-hil-bench-02-1044"),
    ] {
        let rows = rows_with(&screen, &[asm, tag]);
        assert_eq!(rows.len(), 1, "{asm} with {tag}:\n{screen}");
        assert!(rows[0].contains("active"), "{asm}:\n{screen}");
    }
    // The scheduled one has no runner yet.
    assert_eq!(
        rows_with(&screen, &["HIL-BENCH-01", "scheduled"]).len(),
        1,
        "{screen}"
    );
    // States are shown in the words runnerdeck knows, whatever their case on the wire.
    assert!(!screen.contains("ACTIVE"), "{screen}");
    assert!(!screen.contains("SCHEDULED"), "{screen}");
    // Ended and released sessions stay out of the pane.
    assert!(rows_with(&screen, &["ECU-RIG-B1"]).is_empty(), "{screen}");
    assert!(rows_with(&screen, &["HIL-BENCH-03"]).is_empty(), "{screen}");
}

#[test]
fn a_session_in_an_unknown_state_is_shown_as_it_came() {
    let env = lenient_env();
    // Session 1045 on VT-SYSTEM-12 is current by its times; the server calls it "maintenance".
    let current = current_sessions(&env);
    assert!(current.iter().any(|s| s == "1045"), "{current:?}");
    let mut tui = start(&env);
    let screen = tui.wait_for(
        |s| !rows_with(s, &["VT-SYSTEM-12"]).is_empty(),
        "the VT-SYSTEM-12 session in the bookings pane",
    );
    let row = rows_with(&screen, &["VT-SYSTEM-12"])[0];
    // The state cell may cut the word; it is the server's word, in either case.
    assert!(
        row.to_ascii_lowercase().contains("maintenan"),
        "the state is not shown as it came:\n{screen}"
    );
    // It counts among the current bookings like every other current session.
    assert_eq!(bookings_count(&screen), Some(current.len()), "{screen}");
}
