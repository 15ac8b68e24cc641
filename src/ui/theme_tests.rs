//! The themes as drawn: dark, light and NO_COLOR (mono) snapshots of the same screen (a
//! selection, a state column, a dialog), each cell run written as its colours and modifiers,
//! so a change of colour shows in review like a change of text.

use std::fmt::Write as _;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};

use super::theme::{Palette, Theme};
use super::{View, render};
use crate::msg::Intent;
use crate::state::tests::{bookings_loaded, loaded};
use crate::state::{State, update};

fn buffer(state: &State) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    let mut view = View::default();
    terminal
        .draw(|f| render(state, &mut view, f))
        .expect("draw");
    terminal.backend().buffer().clone()
}

/// Each row's text, then its runs of one style: `cols fg/bg +modifiers`.
fn styled(buf: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        let text: String = (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect();
        let _ = writeln!(out, "{}", text.trim_end());
        let mut x = 0;
        while x < buf.area.width {
            let c = &buf[(x, y)];
            let key = (c.fg, c.bg, c.modifier);
            let start = x;
            while x < buf.area.width {
                let d = &buf[(x, y)];
                if (d.fg, d.bg, d.modifier) != key {
                    break;
                }
                x += 1;
            }
            if key != (Color::Reset, Color::Reset, Modifier::empty()) {
                let _ = writeln!(
                    out,
                    "  {start}-{} {:?}/{:?} {:?}",
                    x - 1,
                    key.0,
                    key.1,
                    key.2
                );
            }
        }
    }
    out
}

/// Both panes loaded, the controllers focused, `t` asked on an enabled one.
fn screen_with(theme: Theme) -> State {
    let mut s = loaded(3);
    let b = bookings_loaded();
    s.bookings = b.bookings;
    s.flash = None;
    s.settings.theme = theme;
    update(&mut s, Intent::Top);
    update(&mut s, Intent::ToggleDryRun);
    s
}

fn colours(buf: &Buffer) -> Vec<Color> {
    buf.content.iter().flat_map(|c| [c.fg, c.bg]).collect()
}

#[test]
fn dark_is_the_default() {
    let buf = buffer(&screen_with(Theme::default()));
    assert!(colours(&buf).contains(&Color::Cyan), "the dark accent");
    insta::assert_snapshot!("theme_dark", styled(&buf));
}

#[test]
fn light_has_no_yellow_or_light_grey_text() {
    let theme = Theme {
        palette: Palette::LIGHT,
        mono: false,
    };
    let buf = buffer(&screen_with(theme));
    let fgs: Vec<Color> = buf.content.iter().map(|c| c.fg).collect();
    for bad in [Color::Yellow, Color::Gray, Color::White, Color::Cyan] {
        assert!(
            buf.content
                .iter()
                .all(|c| c.fg != bad || c.bg == Palette::LIGHT.selection_bg),
            "{bad:?} text on a light background: {fgs:?}"
        );
    }
    insta::assert_snapshot!("theme_light", styled(&buf));
}

#[test]
fn mono_has_no_colour_and_reverses_the_selection() {
    let theme = Theme {
        palette: Palette::DARK,
        mono: true,
    };
    let buf = buffer(&screen_with(theme));
    assert!(colours(&buf).iter().all(|c| *c == Color::Reset));
    let reversed_rows: Vec<u16> = (0..buf.area.height)
        .filter(|&y| buf[(3, y)].modifier.contains(Modifier::REVERSED))
        .collect();
    assert!(!reversed_rows.is_empty(), "the selected row stands out");
    let screen = styled(&buf);
    assert!(screen.contains("dry_run"), "state is a word too");
    insta::assert_snapshot!("theme_mono", screen);
}

#[test]
fn a_theme_element_is_set_by_name_and_a_bad_one_says_why() {
    let mut p = Palette::DARK;
    p.set("accent", "magenta").expect("a name");
    p.set("warn", "#d08700").expect("hex");
    p.set("dim", "244").expect("an index");
    assert_eq!(p.accent, Color::Magenta);
    assert_eq!(p.warn, Color::Rgb(0xd0, 0x87, 0x00));
    assert_eq!(p.dim, Color::Indexed(244));
    let e = p.set("acent", "red").expect_err("unknown element");
    assert!(e.contains("no such element") && e.contains("accent"), "{e}");
    let e = p.set("ok", "greenish").expect_err("not a colour");
    assert!(e.contains("not a colour"), "{e}");
    assert_eq!(p.ok, Color::Green, "the colour stays");
}
