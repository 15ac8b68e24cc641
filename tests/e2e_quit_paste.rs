//! End-to-end (the real binary in a pseudo-terminal): quitting with a change on its way asks and
//! the change is audited when its answer arrives; a burst of typed or pasted text is shown
//! without another key. Every step waits for a condition, never a fixed time.

mod common;

use std::time::Duration;

use common::{LIST_PATH, TestEnv, Tui, wait_until};
use runnerdeck::audit::AuditLog;
use runnerdeck::sim::Fault;

const ENTER: &str = "\r";

fn start(env: &TestEnv) -> Tui {
    let mut tui = env.tui(120, 40, &[]);
    let n = env.sim.gitlab().controller_ids().len();
    tui.wait_text(&format!("Runner controllers ({n})"));
    env.wait_health_read();
    tui
}

/// The row index and id of the first disabled controller.
fn first_disabled(env: &TestEnv) -> (usize, i64) {
    let g = env.sim.gitlab();
    g.controller_ids()
        .into_iter()
        .enumerate()
        .find(|(_, id)| g.controller_state(*id).as_deref() == Some("disabled"))
        .expect("the seed has a disabled controller")
}

#[test]
fn quitting_with_a_change_on_its_way_asks_and_waits_for_the_answer() {
    let env = TestEnv::start();
    let mut tui = start(&env);
    let (row, id) = first_disabled(&env);
    tui.send(&format!("g{}", "j".repeat(row)));
    env.sim.faults().set_delay(Duration::from_secs(2));
    tui.send("t");
    tui.send("q");
    let screen = tui.wait_text("1 change is on its way");
    assert!(screen.contains("w / enter wait"), "{screen}");
    tui.send("w");
    let status = tui.wait_exit();
    assert!(status.success(), "{status:?}");
    assert_eq!(
        env.sim.gitlab().controller_state(id).as_deref(),
        Some("dry_run"),
        "the change went through"
    );
    let log = AuditLog::at(env.state_dir().join("audit.jsonl"));
    let entries = log.read_newest_first(10).expect("audit log");
    let path = format!("/api/v4/runner_controllers/{id}");
    let put = entries
        .iter()
        .find(|e| e.method == "PUT" && e.path == path)
        .expect("the answered change is audited");
    assert_eq!(put.status, 200, "{put:?}");
    assert_eq!(put.source, "tui");
}

#[test]
fn quitting_anyway_records_that_no_answer_came() {
    let env = TestEnv::start();
    let mut tui = start(&env);
    tui.send("n");
    tui.wait_text("New runner controller");
    tui.send("never answered");
    tui.wait_text("never answered");
    // The POST that creates it is the next request below the list path: it is held.
    env.sim
        .faults()
        .fail_next_matching(LIST_PATH, 1, Fault::Hang);
    tui.send(ENTER);
    wait_until(
        || {
            env.requests()
                .iter()
                .any(|r| r.method == "POST" && r.path == LIST_PATH)
        },
        "the POST reached the simulator",
    );
    tui.send("q");
    tui.wait_text("1 change is on its way");
    tui.send("q");
    let status = tui.wait_exit();
    assert!(status.success(), "{status:?}");
    let log = AuditLog::at(env.state_dir().join("audit.jsonl"));
    let entries = log.read_newest_first(10).expect("audit log");
    let post = entries
        .iter()
        .find(|e| e.method == "POST" && e.path == LIST_PATH)
        .expect("the sent change is audited although its answer never came");
    assert_eq!(post.status, 0, "{post:?}");
    assert!(
        post.error
            .as_deref()
            .is_some_and(|e| e.contains("may or may not")),
        "{post:?}"
    );
}

#[test]
fn four_kilobytes_typed_at_once_show_without_another_key() {
    let env = TestEnv::start();
    let mut tui = start(&env);
    tui.send("n");
    tui.wait_text("New runner controller");
    let burst = format!("{}ZQ", "a".repeat(4094));
    tui.send(&burst);
    tui.wait_text("aaaZQ");
    // The 1024-character limit says so on Enter; nothing else is needed to see the text.
    tui.send(ENTER);
    tui.wait_text("at most 1024");
}

#[test]
fn a_bracketed_paste_lands_in_the_field_whole() {
    let env = TestEnv::start();
    let mut tui = start(&env);
    tui.send("n");
    tui.wait_text("New runner controller");
    let text = format!("{}é🙂END", "b".repeat(1500));
    tui.send(&format!("\x1b[200~{text}\x1b[201~"));
    tui.wait_text("🙂END");
}
