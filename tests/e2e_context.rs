//! End-to-end: switching between configured instances with `:ctx`, and `--context` for scripts.

mod common;

use common::TestEnv;
use runnerdeck::sim::{SimOptions, Simulator};

fn two_instances() -> (TestEnv, Simulator) {
    let env = TestEnv::start();
    let other = env
        .block_on(Simulator::start(SimOptions {
            seed: false,
            ..SimOptions::default()
        }))
        .expect("second simulator");
    let extra = format!(
        "\n[contexts.staging.gitlab]\nurl = \"{}\"\ntoken_env = \"{}\"\nname = \"staging-e2e\"\ncolor = \"green\"\n",
        other.url(),
        common::GITLAB_TOKEN_ENV
    );
    env.write_config(&extra);
    (env, other)
}

#[test]
fn ctx_switches_the_tui_to_another_instance() {
    let (env, other) = two_instances();
    let mut tui = env.tui(120, 30, &[]);
    let n = env.sim.gitlab().controller_ids().len();
    tui.wait_text(&format!("Runner controllers ({n})"));
    tui.send(":");
    tui.wait_text("ctx NAME");
    tui.send("ctx staging\r");
    let screen = tui.wait_text("staging-e2e");
    assert!(screen.contains("ctx staging"), "{screen}");
    tui.wait_text("Runner controllers (0)");
    assert!(
        other.requests().iter().any(|r| r.path == common::LIST_PATH),
        "the other instance was asked"
    );
    // An unknown context is refused in the command line itself.
    tui.send(":");
    tui.wait_text("ctx NAME");
    tui.send("ctx prod\r");
    tui.wait_text("No context \"prod\"");
    tui.send("\x1b");
    tui.wait_gone("No context \"prod\"");
    tui.send("q");
    assert!(tui.wait_exit().success());
}

#[test]
fn context_flag_picks_the_instance_for_scripts() {
    let (env, _other) = two_instances();
    let (out, stdout, stderr) =
        common::run(env.command(&["--context", "staging", "rc", "list", "-o", "json"]));
    assert!(out.status.success(), "{stderr}");
    assert_eq!(stdout.trim(), "[]");
    let (out, _, stderr) = common::run(env.command(&["--context", "nope", "rc", "list"]));
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("default, staging"), "{stderr}");
}
