//! End-to-end (the real binary in a pseudo-terminal): the terminal always comes back, after a
//! panic and around `ctrl-z` / `fg`; a listing that meets 429, a proxy's 502 page and a 500
//! says "retrying" in its title and ends with the data, with no key pressed.

mod common;

use common::{LIST_PATH, TestEnv, Tui, wait_until};
use runnerdeck::sim::Fault;

const LEAVE_ALT: &[u8] = b"\x1b[?1049l";
const ENTER_ALT: &[u8] = b"\x1b[?1049h";
const SHOW_CURSOR: &[u8] = b"\x1b[?25h";

fn find(hay: &[u8], needle: &[u8]) -> Vec<usize> {
    hay.windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .map(|(i, _)| i)
        .collect()
}

#[test]
fn after_a_panic_the_terminal_is_restored_before_the_message() {
    let env = TestEnv::start();
    let mut vars = env.child_env();
    vars.push(("RUNNERDECK_TEST_PANIC".into(), "1".into()));
    let args = vec!["--config".to_string(), common::path_str(&env.config)];
    let mut tui = Tui::spawn(&args, &vars, env.dir.path(), 100, 30);
    let status = tui.wait_exit();
    assert!(!status.success(), "a panic exits non-zero: {status:?}");
    let message = b"test panic requested";
    tui.wait_raw(message, "the panic message");
    let raw = tui.raw_output();
    let entered = find(&raw, ENTER_ALT);
    let left = find(&raw, LEAVE_ALT);
    let said = find(&raw, message);
    assert!(
        !entered.is_empty() && !left.is_empty(),
        "alternate screen in and out"
    );
    assert!(
        left[left.len() - 1] < said[0],
        "restored before the message"
    );
    assert!(
        !find(&raw, SHOW_CURSOR).is_empty(),
        "the cursor is shown again"
    );
    let log = std::fs::read_to_string(env.state_dir().join("runnerdeck.log")).expect("log");
    assert!(log.contains("panic: "), "{log}");
    assert!(!log.contains(&env.gitlab_token), "no token in the log");
}

/// The process state letter from `/proc/PID/stat` (`T` when stopped).
fn proc_state(pid: u32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = stat.rsplit_once(')')?.1;
    after.trim_start().chars().next()
}

#[test]
fn ctrl_z_gives_the_terminal_back_and_fg_brings_the_screen_back() {
    let env = TestEnv::start();
    let mut tui = env.tui_listed(&[]);
    let pid = tui.pid();
    tui.send("\x1a");
    wait_until(|| proc_state(pid) == Some('T'), "the process stopped");
    let raw = tui.raw_output();
    assert!(
        !find(&raw, LEAVE_ALT).is_empty(),
        "left the alternate screen"
    );
    assert!(!find(&raw, SHOW_CURSOR).is_empty(), "the cursor is back");
    let resumed = std::process::Command::new("kill")
        .args(["-CONT", &pid.to_string()])
        .status()
        .expect("kill");
    assert!(resumed.success(), "SIGCONT sent");
    wait_until(
        || find(&tui.raw_output(), ENTER_ALT).len() >= 2,
        "the alternate screen entered again",
    );
    let n = env.sim.gitlab().controller_ids().len();
    tui.wait_text(&format!("Runner controllers ({n})"));
    // A SIGTSTP from outside is handled alike: the terminal is restored before stopping.
    let signal = |name: &str| {
        std::process::Command::new("kill")
            .args([name, &pid.to_string()])
            .status()
            .expect("kill")
            .success()
    };
    let restores = find(&tui.raw_output(), LEAVE_ALT).len();
    assert!(signal("-TSTP"));
    wait_until(|| proc_state(pid) == Some('T'), "stopped again");
    assert!(
        find(&tui.raw_output(), LEAVE_ALT).len() > restores,
        "restored first"
    );
    assert!(signal("-CONT"));
    wait_until(
        || find(&tui.raw_output(), ENTER_ALT).len() >= 3,
        "back on the alternate screen",
    );
    tui.send("q");
    assert!(tui.wait_exit().success());
}

#[test]
fn a_listing_retried_through_429_502_and_500_ends_with_the_data_and_no_key() {
    let env = TestEnv::start();
    let mut tui = env.tui_listed(&[]);
    let before = env.count("GET", LIST_PATH);
    env.sim.faults().fail_sequence_exact(
        LIST_PATH,
        &[
            Fault::RateLimitedFor(1),
            Fault::Html(502),
            Fault::Status(500),
        ],
    );
    tui.send("\x12");
    tui.wait_text("retrying in");
    wait_until(
        || env.count("GET", LIST_PATH) >= before + 4,
        "three failed attempts and one that worked",
    );
    let screen = tui.wait_for(
        |s| !s.contains("retrying") && s.contains("updated") && !s.contains("loading"),
        "the data back without a key",
    );
    assert!(!screen.contains("refresh failed"), "{screen}");
    assert!(!screen.contains("✗"), "no error flash: {screen}");
}
