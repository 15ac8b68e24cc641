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
    // The background reads fill the columns in: 17 watches nothing (no scope), 30 enforces with
    // no token used lately, 1 judges the whole instance.
    let line = |s: &str, id: &str| s.lines().find(|l| l.contains(id)).unwrap_or("").to_string();
    let filled = |s: &str| {
        let (r1, r17, r30) = (
            line(s, "  1 enabled"),
            line(s, " 17 dry_run"),
            line(s, " 30 enabled"),
        );
        r1.contains("instance")
            && r1.contains("● yes")
            && r17.contains("none")
            && r17.contains("│!")
            && r30.contains("○ no")
            && r30.contains("│!")
    };
    tui.wait_for(
        filled,
        "scope, connected and the markers of rows 1, 17 and 30",
    );

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
