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

/// Table rows of the bookings pane (and the other pane beside it) holding `needle`.
fn table_rows<'a>(screen: &'a str, needle: &str) -> Vec<&'a str> {
    screen
        .lines()
        .filter(|l| l.contains('│') && l.contains(needle))
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
        |s| !table_rows(s, "vehaas-hil-bench-03-").is_empty(),
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
    let rows = table_rows(&screen, &tag);
    assert_eq!(rows.len(), 1, "the tag {tag} is not on one row:\n{screen}");
    assert!(rows[0].contains("HIL-BENCH-03"), "{screen}");
    assert_eq!(v.jobs_created(), 1, "booked more than once");

    // Once the session list catches up, the request row gives way to the session row.
    let want = count_before + 1;
    let screen = tui.wait_for(
        |s| bookings_count(s) == Some(want) && table_rows(s, &tag).len() == 1,
        "the new session in the bookings pane",
    );
    let row = table_rows(&screen, &tag)[0];
    assert!(row.contains("HIL-BENCH-03"), "{screen}");
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
    let mut tui = start(&env);
    let screen = tui.screen_text();
    // Naive times, numeric ids and UPPER-CASE states still make rows.
    for asm in ["HIL-BENCH-01", "HIL-BENCH-02", "VT-SYSTEM-07", "ECU-RIG-A3"] {
        assert!(
            !table_rows(&screen, asm).is_empty(),
            "{asm} is not on screen:\n{screen}"
        );
    }
    // Seeded tags are `vehaas-<assembly>-<session id>`.
    for tag in [
        "vehaas-hil-bench-01-1041",
        "vehaas-vt-system-07-1042",
        "vehaas-ecu-rig-a3-1043",
        "vehaas-hil-bench-02-1044",
    ] {
        assert_eq!(table_rows(&screen, tag).len(), 1, "{tag}:\n{screen}");
    }
    // States are shown in the words runnerdeck knows, whatever their case on the wire.
    assert!(
        table_rows(&screen, "HIL-BENCH-01")
            .iter()
            .any(|l| l.contains("scheduled")),
        "{screen}"
    );
    assert!(!screen.contains("ACTIVE"), "{screen}");
    // Ended and released sessions stay out of the pane.
    assert!(table_rows(&screen, "ECU-RIG-B1").is_empty(), "{screen}");
    assert!(table_rows(&screen, "HIL-BENCH-03").is_empty(), "{screen}");
    assert!(!current_sessions(&env).is_empty());
}

#[test]
fn a_session_in_an_unknown_state_is_shown_as_it_came() {
    let env = lenient_env();
    // Session 1045 on VT-SYSTEM-12 is current by its times; the server calls it "maintenance".
    let current = current_sessions(&env);
    assert!(current.iter().any(|s| s == "1045"), "{current:?}");
    let mut tui = start(&env);
    let screen = tui.wait_for(
        |s| !table_rows(s, "VT-SYSTEM-12").is_empty(),
        "the VT-SYSTEM-12 session in the bookings pane",
    );
    let row = table_rows(&screen, "VT-SYSTEM-12")[0];
    // The state cell may cut the word; it is the server's word, in either case.
    assert!(
        row.to_ascii_lowercase().contains("maintenan"),
        "the state is not shown as it came:\n{screen}"
    );
    // It counts among the current bookings like every other current session.
    assert_eq!(bookings_count(&screen), Some(current.len()), "{screen}");
}
