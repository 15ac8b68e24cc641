//! Render snapshots of the whole screen (TestBackend + insta) and colour checks, from the same
//! fixtures as the reducer tests, at 80x24 and 140x40.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;

use super::{View, render};
use crate::domain::ControllerId;
use crate::effect::{Effect, Load};
use crate::msg::{Intent, Outcome};
use crate::state::tests::{bookings_loaded, loaded};
use crate::state::{Pane, State, update};

fn draw(state: &State, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    let mut view = View::default();
    terminal
        .draw(|f| render(state, &mut view, f))
        .expect("draw");
    terminal
}

fn both() -> State {
    let mut s = bookings_loaded();
    let req = s.next_id();
    s.controllers.remote.start(req);
    update(
        &mut s,
        Outcome::ControllersLoaded {
            req,
            result: Ok(crate::state::tests::fixture()),
        },
    );
    s.focus = Pane::Controllers;
    s.flash = None;
    s
}

#[test]
fn whole_screen_80x24() {
    insta::assert_snapshot!(draw(&both(), 80, 24).backend());
}

#[test]
fn whole_screen_140x40() {
    insta::assert_snapshot!(draw(&both(), 140, 40).backend());
}

#[test]
fn confirmation_names_the_object_and_highlights_no() {
    let mut s = loaded(1);
    s.flash = None;
    update(&mut s, Intent::ToggleDryRun);
    let t = draw(&s, 80, 24);
    insta::assert_snapshot!(t.backend());
}

#[test]
fn loading_and_failed_states_are_visible() {
    let mut s = crate::state::tests::state();
    s.init();
    let t = draw(&s, 80, 24);
    let text = format!("{}", t.backend());
    assert!(text.contains("Loading runner controllers"), "{text}");

    let mut s = both();
    let fx = update(&mut s, Intent::Refresh);
    let Some(Effect::Load(Load::Controllers { req })) = fx.first().cloned() else {
        panic!("refresh");
    };
    update(
        &mut s,
        Outcome::ControllersLoaded {
            req,
            result: Err(crate::api::ApiError::Server {
                status: 502,
                message: "502 Bad Gateway from a proxy".into(),
            }),
        },
    );
    let text = format!("{}", draw(&s, 80, 24).backend());
    assert!(text.contains("refresh failed"), "{text}");
    assert!(
        text.contains("kas admission prod"),
        "last good data stays: {text}"
    );
    assert!(text.contains("502"), "flash shows the status: {text}");
}

#[test]
fn state_colours_tell_enforcement_apart() {
    let mut s = both();
    s.controllers.select_id(ControllerId(4));
    let t = draw(&s, 140, 40);
    let buf = t.backend().buffer();
    let find = |needle: &str| {
        let area = buf.area;
        for y in 0..area.height {
            let line: String = (0..area.width)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect();
            if let Some(col) = line.find(needle) {
                let x = line[..col].chars().count() as u16;
                return buf[(x, y)].fg;
            }
        }
        panic!("{needle} not on screen");
    };
    assert_eq!(find("enabled "), Color::Green);
    assert_eq!(find("dry_run "), Color::Yellow);
}

#[test]
fn read_only_header_and_no_mutating_hints() {
    let mut s = both();
    s.context.read_only = true;
    let text = format!("{}", draw(&s, 140, 40).backend());
    assert!(text.contains("READ-ONLY"));
    assert!(!text.contains("dry_run  s"), "no t hint: {text}");
    assert!(!text.contains("ctrl-d"), "{text}");
}

#[test]
fn a_frame_builds_only_the_visible_rows() {
    let mut s = both();
    let many: Vec<_> = (1..=100_000)
        .map(|i| crate::state::tests::controller(i, crate::domain::ControllerState::Disabled, "x"))
        .collect();
    s.controllers.remote.data = Some(many);
    s.controllers.select_id(ControllerId(99_999));
    let text = format!("{}", draw(&s, 80, 24).backend());
    assert!(
        text.contains("99999"),
        "the selection is scrolled into view: {text}"
    );
    assert!(text.contains("(100000)"));
}

#[test]
fn hostile_descriptions_never_move_a_column_or_reach_the_terminal() {
    use crate::domain::ControllerState as S;
    use crate::state::tests::controller;
    let hostile = [
        "\u{202e}evil reversed",
        "zero\u{200b}width\u{2066}isolate",
        "\x1b[31mred\x1b[0m",
        "tab\there\nnewline\rreturn",
        "漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字",
        "🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂",
        "plain",
    ];
    let rows = hostile
        .iter()
        .enumerate()
        .map(|(i, d)| controller(i as i64 + 1, S::Disabled, d))
        .collect();
    let mut s = crate::state::tests::loaded_with(rows, 1);
    s.flash = None;
    // Stacked, and side by side wide enough for every column (UPDATED goes first when narrow).
    for (w, h) in [(80u16, 24u16), (200, 40)] {
        let t = draw(&s, w, h);
        let buf = t.backend().buffer();
        let row_text = |y: u16| -> String {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect()
        };
        let header_y = (0..buf.area.height)
            .find(|y| row_text(*y).contains("UPDATED"))
            .expect("the table header");
        // The column (in cells) where UPDATED starts; every row's age must start there.
        let updated_x = (0..buf.area.width)
            .find(|x| {
                (0..7u16).all(|k| {
                    buf[(x + k, header_y)].symbol() == &"UPDATED"[k as usize..k as usize + 1]
                })
            })
            .expect("UPDATED in the header");
        for (i, _) in hostile.iter().enumerate() {
            let y = header_y + 1 + i as u16;
            let at = buf[(updated_x, y)].symbol().to_string();
            assert_eq!(at, "0", "row {} at {w}x{h}: {}", i + 1, row_text(y));
            for x in 0..buf.area.width {
                let sym = buf[(x, y)].symbol();
                assert!(
                    !sym.chars().any(crate::display::needs_escape),
                    "row {} cell {x} holds {sym:?} at {w}x{h}",
                    i + 1
                );
            }
        }
    }
}

#[test]
fn a_long_description_ends_in_an_ellipsis_at_its_columns_edge() {
    use crate::domain::ControllerState as S;
    use crate::state::tests::controller;
    let long = "a description far too long for the column it is given on any screen at all";
    let mut s = crate::state::tests::loaded_with(vec![controller(1, S::Disabled, long)], 1);
    s.flash = None;
    let t = draw(&s, 80, 24);
    let buf = t.backend().buffer();
    let row: String = (0..80u16)
        .map(|x| buf[(x, 3)].symbol().to_string())
        .collect();
    assert!(row.contains("a description far"), "{row}");
    assert!(row.contains('…'), "cut with an ellipsis: {row}");
}
