//! End-to-end tests of the TUI: the real binary in a pseudo-terminal against the in-process
//! simulator. Every step waits for a condition on screen or in the simulator, never a fixed time.

mod common;

use std::time::Duration;

use common::{LIST_PATH, TestEnv, Tui, wait_until};
use runnerdeck::sim::Fault;

const CTRL_D: &str = "\x04";
const CTRL_R: &str = "\x12";
const ENTER: &str = "\r";

/// Starts the TUI at 120x40 and waits until both panes are loaded.
fn start(env: &TestEnv) -> Tui {
    let mut tui = env.tui(120, 40, &[]);
    let n = env.sim.gitlab().controller_ids().len();
    tui.wait_text(&format!("Runner controllers ({n})"));
    env.wait_health_read();
    tui.wait_text("veHaaS bookings (");
    tui
}

/// The first controller (ascending id) in `state` with a non-empty description, and its row index.
fn find(env: &TestEnv, state: &str) -> (usize, i64, String) {
    let g = env.sim.gitlab();
    g.controller_ids()
        .into_iter()
        .enumerate()
        .find_map(|(i, id)| {
            let desc = g
                .controller_description(id)
                .flatten()
                .filter(|d| !d.is_empty())?;
            (g.controller_state(id).as_deref() == Some(state)).then_some((i, id, desc))
        })
        .unwrap_or_else(|| panic!("the seed has a described controller in state {state}"))
}

/// Moves the selection to row `index` (rows are sorted by id, like `controller_ids()`).
fn select(tui: &mut Tui, index: usize) {
    let keys = format!("g{}", "j".repeat(index));
    tui.send(&keys);
}

fn state_of(env: &TestEnv, id: i64) -> Option<String> {
    env.sim.gitlab().controller_state(id)
}

/// Creates a controller through the form; returns its id once the simulator has it.
fn create(env: &TestEnv, tui: &mut Tui, description: &str) -> i64 {
    tui.send("n");
    tui.wait_text("New runner controller");
    tui.send(description);
    tui.wait_text(description);
    tui.send(ENTER);
    let g = env.sim.gitlab();
    let mut found = None;
    wait_until(
        || {
            found = g
                .controller_ids()
                .into_iter()
                .find(|id| g.controller_description(*id).flatten().as_deref() == Some(description));
            found.is_some()
        },
        "the simulator has the new controller",
    );
    found.expect("found")
}

#[test]
fn controllers_of_every_page_and_bookings_appear() {
    let env = TestEnv::start();
    // The client asks for 100 per page: make sure the list spans more than one page.
    env.sim.gitlab().add_controllers(100);
    let ids = env.sim.gitlab().controller_ids();
    assert!(ids.len() > 100, "{} controllers", ids.len());
    let mut tui = start(&env);
    let screen = tui.screen_text();
    assert!(
        screen.contains(&format!("Runner controllers ({})", ids.len())),
        "{screen}"
    );
    let pages: Vec<_> = env
        .requests()
        .into_iter()
        .filter(|r| r.method == "GET" && r.path == LIST_PATH)
        .filter_map(|r| r.query)
        .collect();
    assert!(
        pages.iter().any(|q| q.split('&').any(|kv| kv == "page=2")),
        "no second page requested: {pages:?}"
    );

    // Bookings: the count of current sessions, and a seeded assembly.
    let v = env.sim.vehaas();
    let now = jiff::Timestamp::now();
    let current = v
        .session_ids()
        .iter()
        .filter(|id| {
            matches!(v.session_state(id).as_deref(), Some("active" | "scheduled"))
                && v.session_end(id).is_some_and(|e| e > now)
        })
        .count();
    tui.wait_text(&format!("veHaaS bookings ({current})"));
    let screen = tui.wait_text("HIL-BENCH-02");
    assert!(screen.contains("VT-SYSTEM-07"), "{screen}");

    // The last controller is on the second page, below the fold until G.
    let last = *ids.last().expect("ids");
    let last_desc = env
        .sim
        .gitlab()
        .controller_description(last)
        .flatten()
        .expect("bulk controllers have descriptions");
    assert!(!screen.contains(&last_desc), "{screen}");
    tui.send("G");
    let screen = tui.wait_text(&last_desc);
    assert!(
        screen
            .lines()
            .any(|l| l.contains(&format!("{last} disabled")) && l.contains(&last_desc)),
        "{screen}"
    );
}

#[test]
fn t_flips_a_disabled_controller_to_dry_run_and_back() {
    let env = TestEnv::start();
    let (index, id, _) = find(&env, "disabled");
    let mut tui = start(&env);
    select(&mut tui, index);
    tui.send("t");
    wait_until(
        || state_of(&env, id).as_deref() == Some("dry_run"),
        "the simulator reports dry_run",
    );
    let flash = format!("Runner controller {id} ");
    tui.wait_for(
        |s| {
            s.lines()
                .any(|l| l.contains(&flash) && l.contains("is now dry_run"))
        },
        "the flash saying it is now dry_run",
    );

    tui.send("t");
    wait_until(
        || state_of(&env, id).as_deref() == Some("disabled"),
        "the simulator reports disabled again",
    );
    tui.wait_text("is now disabled");
    assert_eq!(env.count("PUT", &format!("{LIST_PATH}/{id}")), 2);
}

#[test]
fn t_on_an_enabled_controller_asks_first_and_no_is_the_default() {
    let env = TestEnv::start();
    let (index, id, _) = find(&env, "enabled");
    let put = format!("{LIST_PATH}/{id}");
    let mut tui = start(&env);
    select(&mut tui, index);
    tui.send("t");
    let question = format!("Set runner controller {id} ");
    let screen = tui.wait_text(&question);
    assert!(screen.contains("enabled -> dry_run"), "{screen}");
    assert!(screen.contains("[ n No ]"), "{screen}");
    assert_eq!(env.count("PUT", &put), 0, "a PUT before any answer");

    // Enter answers the highlighted button, which is No.
    tui.send(ENTER);
    let screen = tui.wait_gone(&question);
    assert!(!screen.contains("Setting runner controller"), "{screen}");
    assert_eq!(state_of(&env, id).as_deref(), Some("enabled"));
    assert_eq!(env.count("PUT", &put), 0, "Enter (No) sent a change");

    tui.send("t");
    tui.wait_text(&question);
    tui.send("y");
    wait_until(
        || state_of(&env, id).as_deref() == Some("dry_run"),
        "the simulator reports dry_run after y",
    );
    tui.wait_text("is now dry_run");
    assert_eq!(
        env.count("PUT", &put),
        1,
        "exactly the confirmed change was sent"
    );
}

#[test]
fn s_picks_enabled_after_a_confirmation() {
    let env = TestEnv::start();
    let (index, id, _) = find(&env, "dry_run");
    let mut tui = start(&env);
    select(&mut tui, index);
    tui.send("s");
    tui.wait_text(&format!("Runner controller {id}: dry_run -> dry_run"));
    // The cursor starts on the current state; enabled is the one above dry_run.
    tui.send("k");
    tui.wait_text(&format!("Runner controller {id}: dry_run -> enabled"));
    tui.send(ENTER);
    let screen = tui.wait_text(&format!("Enable runner controller {id} "));
    assert!(screen.contains("[ n No ]"), "{screen}");
    assert_eq!(
        state_of(&env, id).as_deref(),
        Some("dry_run"),
        "changed before y"
    );
    tui.send("y");
    wait_until(
        || state_of(&env, id).as_deref() == Some("enabled"),
        "the simulator reports enabled",
    );
    tui.wait_text("is now enabled");
}

#[test]
fn n_creates_a_disabled_controller() {
    let env = TestEnv::start();
    let before = env.sim.gitlab().controller_ids().len();
    let mut tui = start(&env);
    let desc = "e2e created by the test";
    let id = create(&env, &mut tui, desc);
    assert_eq!(state_of(&env, id).as_deref(), Some("disabled"));
    assert_eq!(env.sim.gitlab().controller_ids().len(), before + 1);
    let screen = tui.wait_text(&format!("Created runner controller {id}"));
    assert!(
        screen
            .lines()
            .any(|l| l.contains(&format!("{id} disabled")) && l.contains(desc)),
        "the new row is not on screen:\n{screen}"
    );
}

#[test]
fn ctrl_d_deletes_only_after_yes() {
    let env = TestEnv::start();
    let mut tui = start(&env);
    let desc = "e2e doomed controller";
    let id = create(&env, &mut tui, desc);
    tui.wait_text(&format!("Created runner controller {id}"));
    let path = format!("{LIST_PATH}/{id}");

    // The new controller is selected.
    tui.send(CTRL_D);
    let question = format!("Delete runner controller {id} \"{desc}\"?");
    let screen = tui.wait_text(&question);
    assert!(screen.contains("[ n No ]"), "{screen}");
    tui.send("n");
    tui.wait_gone(&question);
    assert_eq!(
        state_of(&env, id).as_deref(),
        Some("disabled"),
        "n deleted it"
    );
    assert_eq!(env.count("DELETE", &path), 0);

    tui.send(CTRL_D);
    tui.wait_text(&question);
    tui.send("y");
    wait_until(|| state_of(&env, id).is_none(), "the simulator deleted it");
    let screen = tui.wait_text(&format!("Deleted runner controller {id}"));
    assert!(
        !screen.contains(desc),
        "the deleted row is still shown:\n{screen}"
    );
    assert_eq!(env.count("DELETE", &path), 1);
}

#[test]
fn a_slow_server_never_freezes_the_screen() {
    let env = TestEnv::start();
    let mut tui = start(&env);
    let before = env.list_requests();
    assert!(before >= 1);
    env.sim.faults().set_delay(Duration::from_secs(3));
    tui.send(CTRL_R);
    tui.send("j");
    tui.send("?");
    let screen = tui.wait_text("Keys:");
    // requests() records on response: the refresh has not been answered yet.
    assert_eq!(
        env.list_requests(),
        before,
        "the help only showed after the slow refresh answered:\n{screen}"
    );
    tui.send("q");
    tui.wait_gone("Keys:");
    // The refresh did go out, and the program is still alive once it lands.
    wait_until(|| env.list_requests() > before, "the refresh is answered");
    env.sim.faults().clear();
    let n = env.sim.gitlab().controller_ids().len();
    tui.wait_for(
        |s| s.contains(&format!("Runner controllers ({n}) · updated")),
        "the refreshed pane",
    );
}

#[test]
fn a_failed_refresh_keeps_the_rows() {
    let env = TestEnv::start();
    let mut tui = start(&env);
    let (_, _, some_desc) = find(&env, "enabled");
    assert!(tui.screen_text().contains(&some_desc));
    // The scopes of the selected controller load in the background (for the change preview);
    // let that happen first so the armed fault meets the refresh, not that request.
    wait_until(
        || {
            env.sim
                .requests()
                .iter()
                .any(|r| r.path.starts_with(LIST_PATH) && r.path.ends_with("/scopes"))
        },
        "the background scopes request",
    );
    // A read is retried 3 times: all 4 attempts fail.
    env.sim
        .faults()
        .fail_next_matching(LIST_PATH, 4, Fault::Status(500));
    tui.send(CTRL_R);
    let screen = tui.wait_text("refresh failed");
    let screen = if screen.contains("500") {
        screen
    } else {
        tui.wait_text("500")
    };
    let flash = common::lines_with(&screen, "Refreshing runner controllers failed");
    assert_eq!(flash.len(), 1, "{screen}");
    assert!(flash[0].contains("500 Internal Server Error"), "{screen}");
    assert!(!flash[0].contains('{'), "raw JSON in the flash:\n{screen}");
    assert!(screen.contains(&some_desc), "the rows are gone:\n{screen}");
    let n = env.sim.gitlab().controller_ids().len();
    assert!(
        screen.contains(&format!("Runner controllers ({n}) · refresh failed")),
        "{screen}"
    );
}

#[test]
fn q_exits_zero_and_restores_the_terminal() {
    let env = TestEnv::start();
    let mut tui = start(&env);
    tui.send("q");
    let status = tui.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    tui.wait_raw(b"\x1b[?1049h", "the alternate screen was entered");
    tui.wait_raw(b"\x1b[?1049l", "the alternate screen is left on exit");
    // The token is never on the terminal, nor in the log.
    let raw = tui.raw_output();
    let token = env.gitlab_token.as_bytes();
    assert!(!raw.windows(token.len()).any(|w| w == token));
    for entry in std::fs::read_dir(env.state_dir()).expect("state dir") {
        let path = entry.expect("entry").path();
        if path.is_file() {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(
                !text.contains(&env.gitlab_token),
                "token in {}",
                path.display()
            );
            assert!(
                !text.contains(env.sim.vehaas_token()),
                "token in {}",
                path.display()
            );
        }
    }
}

#[test]
fn a_small_terminal_stacks_the_panes_and_keeps_the_hints() {
    let env = TestEnv::start();
    let mut tui = Tui::demo(&env, 80, 24);
    let screen = tui.wait_for(
        |s| s.contains("Runner controllers (") && s.contains("veHaaS bookings ("),
        "both panes",
    );
    let screen = if screen.contains("HIL-BENCH") {
        screen
    } else {
        tui.wait_text("HIL-BENCH")
    };
    let lines: Vec<&str> = screen.lines().collect();
    let row_of = |needle: &str| {
        lines
            .iter()
            .position(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("{needle:?} not on screen:\n{screen}"))
    };
    let controllers = row_of("Runner controllers (");
    let bookings = row_of("veHaaS bookings (");
    assert!(controllers < bookings, "not stacked:\n{screen}");
    assert!(
        !lines[controllers].contains("veHaaS bookings"),
        "side by side:\n{screen}"
    );
    // The hint bar is the last line, below both panes.
    let hints = row_of("? help");
    assert!(hints > bookings, "{screen}");
    assert_eq!(hints, lines.len() - 1, "{screen}");
    assert!(lines[hints].contains("q quit"), "{screen}");
    assert!(lines[hints].contains("t dry_run"), "{screen}");
    assert_eq!(lines.len(), 24, "{screen}");
    tui.send("q");
    assert!(tui.wait_exit().success());
}

/// The core issue's promise: the same change from the TUI and from `runnerdeck rc ...` leaves
/// audit lines that differ only in time and source (and in what the server stamps anew: its
/// request id and `updated_at`).
#[test]
fn the_same_change_from_the_tui_and_the_cli_audits_alike() {
    let env = TestEnv::start();
    let (index, id, _) = find(&env, "disabled");
    let ids = id.to_string();
    let mut tui = start(&env);
    select(&mut tui, index);
    tui.send("t");
    tui.wait_text("is now dry_run");
    tui.send("q");
    assert!(tui.wait_exit().success());
    // Back to disabled, then the TUI's change again, from the CLI.
    for state in ["disabled", "dry_run"] {
        let (out, _, stderr) = common::run(env.command(&["rc", "update", &ids, "--state", state]));
        assert!(out.status.success(), "{stderr}");
    }
    let text = std::fs::read_to_string(env.state_dir().join("audit.jsonl")).expect("audit log");
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), 3, "{text}");
    let stable = |v: &serde_json::Value| {
        let mut v = v.clone();
        let o = v.as_object_mut().expect("an object");
        for k in ["time", "source", "request_id"] {
            o.remove(k);
        }
        for side in ["before", "after"] {
            if let Some(s) = o.get_mut(side).and_then(|s| s.as_object_mut()) {
                s.remove("updated_at");
            }
        }
        v
    };
    assert_eq!(lines[0]["source"], "tui");
    assert_eq!(lines[2]["source"], "cli");
    assert_eq!(stable(&lines[0]), stable(&lines[2]), "{text}");
    assert_eq!(lines[0]["after"]["state"], "dry_run");
}
