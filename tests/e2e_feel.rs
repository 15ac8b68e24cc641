//! End-to-end feel (the real binary in a pseudo-terminal): the mouse when asked for (a click
//! selects and focuses, a click on Yes answers), `[keys]` overrides in force and in `?`, the
//! bookings timeline with its zoom, and NO_COLOR drawing without a single colour.

mod common;

use common::{TestEnv, Tui, wait_until};

/// The screen cell (0-based column, row) where `needle` starts.
fn cell_of(screen: &str, needle: &str) -> (u16, u16) {
    for (row, line) in screen.lines().enumerate() {
        if let Some(byte) = line.find(needle) {
            let col = line[..byte].chars().count();
            return (col as u16, row as u16);
        }
    }
    panic!("{needle:?} not on screen:\n{screen}");
}

/// A left click (press and release) in SGR mouse encoding, 1-based.
fn click(tui: &mut Tui, (col, row): (u16, u16)) {
    tui.send(&format!(
        "\x1b[<0;{};{}M\x1b[<0;{};{}m",
        col + 1,
        row + 1,
        col + 1,
        row + 1
    ));
}

#[test]
fn with_the_mouse_on_a_click_selects_a_row_and_a_click_on_yes_answers() {
    let env = TestEnv::start();
    env.write_config("mouse = true\n");
    let mut tui = env.tui_listed(&[]);
    tui.wait_raw(b"\x1b[?1000h", "mouse capture switched on");
    let screen = tui.wait_text("t enabled -> dry_run");
    click(&mut tui, cell_of(&screen, " 7 disabled"));
    tui.wait_text("t disabled -> dry_run");

    // A click in the bookings pane focuses it: its keys take the hint bar.
    let screen = tui.screen_text();
    click(&mut tui, cell_of(&screen, "HIL-BENCH-01"));
    tui.wait_text("n request runner");

    // Back to controller 1 (enabled): t asks, and a click on Yes answers.
    let screen = tui.screen_text();
    click(&mut tui, cell_of(&screen, " 1 enabled"));
    tui.wait_text("t enabled -> dry_run");
    tui.send("t");
    let screen = tui.wait_text("[ y Yes ]");
    assert_eq!(
        env.sim.gitlab().controller_state(1).as_deref(),
        Some("enabled")
    );
    click(&mut tui, cell_of(&screen, "[ y Yes ]"));
    wait_until(
        || env.sim.gitlab().controller_state(1).as_deref() == Some("dry_run"),
        "the click on Yes sent the change",
    );

    // m gives the mouse back to the terminal.
    tui.send("m");
    tui.wait_text("Mouse off");
    tui.wait_raw(b"\x1b[?1000l", "mouse capture switched off");
}

#[test]
fn without_mouse_in_the_config_clicks_are_the_terminals() {
    let env = TestEnv::start();
    let mut tui = env.tui_listed(&[]);
    let screen = tui.wait_text("t enabled -> dry_run");
    assert!(
        !tui.raw_output().windows(8).any(|w| w == b"\x1b[?1000h"),
        "mouse capture is off by default"
    );
    click(&mut tui, cell_of(&screen, " 7 disabled"));
    tui.send("j");
    // j moved from row 1 to row 2: the click did nothing.
    tui.wait_text("t dry_run -> disabled");
}

#[test]
fn a_key_override_is_in_force_and_in_help_and_a_bad_one_is_a_warning() {
    let env = TestEnv::start();
    env.write_config("\n[keys]\ntoggle_dry_run = \"x\"\ntoggle_dryrun = \"y\"\n");
    let mut tui = env.tui_listed(&[]);
    tui.wait_text("toggle_dryrun: no such action");
    // Controller 7 is disabled: x (no longer t) puts it in dry_run without asking.
    for _ in 0..6 {
        tui.send("j");
    }
    tui.wait_text("x disabled -> dry_run");
    tui.send("t");
    tui.send("x");
    wait_until(
        || env.sim.gitlab().controller_state(7).as_deref() == Some("dry_run"),
        "x toggled dry_run",
    );
    tui.send("?");
    let help = tui.wait_text("toggle dry_run");
    let line = help
        .lines()
        .find(|l| l.contains("toggle dry_run"))
        .expect("the line");
    assert!(line.contains(" x "), "? shows the key in force: {line}");
    assert!(!line.contains(" t "), "and not the old one: {line}");
}

#[test]
fn v_shows_the_bookings_timeline_and_plus_zooms_in() {
    let env = TestEnv::start();
    let mut tui = env.tui_listed(&[]);
    tui.send("2");
    tui.wait_text("n request runner");
    tui.send("v");
    let screen = tui.wait_text("timeline 6h");
    assert!(screen.contains('▼'), "the now marker:\n{screen}");
    assert!(screen.contains('█'), "bars:\n{screen}");
    tui.send("+");
    tui.wait_text("timeline 2h");
    tui.send("-");
    tui.send("-");
    tui.wait_text("timeline 12h");
    tui.send("v");
    tui.wait_text("ASSEMBLY");
}

/// The SGR parameters of every `ESC [ ... m` in `raw`.
fn sgr_params(raw: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(raw);
    let mut out = Vec::new();
    let mut rest = text.as_ref();
    while let Some(i) = rest.find("\x1b[") {
        rest = &rest[i + 2..];
        let end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == ';'))
            .unwrap_or(rest.len());
        if rest[end..].starts_with('m') {
            out.push(rest[..end].to_string());
        }
        rest = &rest[end..];
    }
    out
}

fn is_colour(params: &str) -> bool {
    params.split(';').any(|p| {
        matches!(
            p.parse::<u16>(),
            Ok(30..=38 | 40..=48 | 90..=97 | 100..=107)
        )
    })
}

#[test]
fn no_color_draws_no_colour_and_the_selection_is_reversed() {
    let env = TestEnv::start();
    let mut tui = env.tui_listed(&[("NO_COLOR", "1")]);
    tui.send("2");
    tui.wait_text("n request runner");
    let params = sgr_params(&tui.raw_output());
    let colours: Vec<&String> = params.iter().filter(|p| is_colour(p)).collect();
    assert!(
        colours.is_empty(),
        "colour escapes with NO_COLOR: {colours:?}"
    );
    assert!(
        params.iter().any(|p| p.split(';').any(|x| x == "7")),
        "the selection is drawn in reverse video: {params:?}"
    );
}

#[test]
fn without_no_color_there_is_colour() {
    let env = TestEnv::start();
    let tui = env.tui_listed(&[]);
    let params = sgr_params(&tui.raw_output());
    assert!(
        params.iter().any(|p| is_colour(p)),
        "the control: {params:?}"
    );
}

#[test]
fn the_pane_the_filter_and_the_command_history_come_back_at_the_next_start() {
    let env = TestEnv::start();
    let mut tui = env.tui_listed(&[]);
    tui.send(":bookings\r");
    tui.wait_text("n request runner");
    tui.send("/HIL\r");
    tui.wait_text("/HIL");
    tui.send("q");
    assert!(tui.wait_exit().success());
    let kept = std::fs::read_to_string(env.state_dir().join("view.toml")).expect("view.toml");
    assert!(kept.contains("HIL"), "{kept}");

    let mut tui = env.tui_listed(&[]);
    let screen = tui.wait_text("/HIL");
    assert!(
        screen.contains("n request runner"),
        "the bookings pane has the keys:\n{screen}"
    );
    tui.send(":");
    tui.wait_text("Command");
    tui.send("\x1b[A");
    tui.wait_for(
        |s| {
            s.lines().any(|l| {
                l.split_once(" : ")
                    .is_some_and(|(_, v)| v.trim_start().starts_with("bookings"))
            })
        },
        "the : line holding the command run last time",
    );
}

#[test]
fn an_unreadable_view_file_is_a_warning_and_a_fresh_start() {
    let env = TestEnv::start();
    std::fs::write(env.state_dir().join("view.toml"), "history = [unclosed").expect("write");
    let mut tui = env.tui_listed(&[]);
    tui.wait_text("view.toml: not read");
    tui.send("q");
    assert!(tui.wait_exit().success());
    let kept = std::fs::read_to_string(env.state_dir().join("view.toml")).expect("view.toml");
    assert!(
        kept.contains("[contexts.default]"),
        "rewritten at quit: {kept}"
    );
}

#[test]
fn the_first_page_is_on_screen_while_the_next_pages_are_on_their_way() {
    let env = TestEnv::start();
    env.sim.gitlab().add_controllers(200);
    // Page 2 never answers: whatever is on screen came from page 1 alone.
    env.sim.faults().fail_next_matching(
        &format!("{}?page=2&", common::LIST_PATH),
        1,
        runnerdeck::sim::Fault::Hang,
    );
    let vars = env.child_env();
    let args = vec!["--config".to_string(), common::path_str(&env.config)];
    let mut tui = Tui::spawn(&args, &vars, env.dir.path(), 120, 40);
    let screen = tui.wait_text("kas admission prod");
    let title = screen
        .lines()
        .find(|l| l.contains("Runner controllers"))
        .expect("the title");
    assert!(title.contains("(100+)"), "page 1, more on the way: {title}");
}

#[test]
fn the_demo_takes_the_look_of_a_config_to_try_it_on() {
    let env = TestEnv::start();
    let config = env.write_file(
        "look.toml",
        "[gitlab]\nurl = \"https://gitlab.example.com\"\ntoken_env = \"UNSET_TOKEN\"\n[ui]\ntheme = \"light\"\n[keys]\ntoggle_dry_run = \"x\"\n",
    );
    let vars = env.child_env();
    let args = vec![
        "--demo".to_string(),
        "--config".to_string(),
        common::path_str(&config),
    ];
    let mut tui = Tui::spawn(&args, &vars, env.dir.path(), 120, 40);
    tui.wait_text("x dry_run");
}
