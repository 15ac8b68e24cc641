//! The health at a glance as a new user meets it in `runnerdeck --demo`, in a pseudo-terminal:
//! without opening anything the table says which controllers do nothing, which judge the whole
//! instance and which look disconnected; `:health` lists the findings with their fixes; the
//! detail says who changed the controller (another admin, through the API). Every step waits
//! for the screen, never a fixed time.

mod common;

use common::{TestEnv, Tui};

#[test]
fn the_demo_shows_health_columns_findings_and_history() {
    let env = TestEnv::start();
    // Wide enough for every health column (narrower panes drop TOKENS first, see the README).
    let mut tui = Tui::demo(&env, 170, 40);
    let screen = tui.wait_text("CONNECTED");
    assert!(
        screen.contains("SCOPE") && screen.contains("TOKENS"),
        "{screen}"
    );
    // The background reads fill the columns in.
    let screen = tui.wait_for(
        |s| {
            s.contains("instance")
                && s.contains(" none ")
                && s.contains("● yes")
                && s.contains("○ no")
        },
        "scopes and connected read for the visible rows",
    );
    let row = |id: &str| {
        screen
            .lines()
            .find(|l| l.contains(id))
            .unwrap_or_else(|| panic!("{id}: {screen}"))
    };
    // 17 watches nothing (no scope), 30 enforces with no token used lately, 1 judges all.
    let r17 = row(" 17 dry_run");
    assert!(r17.contains("none") && r17.contains("│!"), "{r17}");
    let r30 = row(" 30 enabled");
    assert!(r30.contains("○ no") && r30.contains("│!"), "{r30}");
    assert!(row("  1 enabled").contains("instance"));

    tui.send(":health\r");
    let screen = tui.wait_text("Health:");
    assert!(screen.contains("-> add a scope, or disable it"), "{screen}");
    tui.send("\x1b");
    tui.wait_gone("Health:");

    // Controller 2: alice changed its state through the API.
    tui.send("gj\r");
    let screen = tui.wait_text("Alice Admin");
    assert!(screen.contains("Runner controller 2"), "{screen}");
    assert!(screen.contains("enabled -> dry_run"), "{screen}");
    assert!(screen.contains("Findings"), "{screen}");
    tui.send("q");
    assert!(tui.wait_exit().success());
}
