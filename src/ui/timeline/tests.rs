//! The timeline widget: snapshots at the size of an 80x24 pane and of a wide one, and checks on
//! glyphs and cells that hold without colour (NO_COLOR) as well as with it.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};

use super::*;
use crate::domain::{Session, SessionState};

fn ts(s: &str) -> Timestamp {
    s.parse().expect("timestamp")
}

/// Central European time with its DST rules, without a time zone database.
fn cet() -> TimeZone {
    TimeZone::posix("CET-1CEST,M3.5.0,M10.5.0/3").expect("posix tz")
}

fn now() -> Timestamp {
    ts("2026-11-22T09:40:00Z")
}

fn session(id: &str, assembly: &str, state: SessionState, start: &str, end: &str) -> Session {
    Session {
        id: id.into(),
        assembly_ref: assembly.into(),
        owner: Some("m.keller".into()),
        state,
        start: Some(ts(start).into()),
        end: Some(ts(end).into()),
        duration: None,
        gitlab_runner_tag: Some(format!("vehaas-{id}")),
    }
}

/// Seven assemblies: active and scheduled on one, a bar running past both edges, a hostile
/// assembly and owner, a state runnerdeck cannot name, one tomorrow and one already over.
fn fixture() -> Vec<Session> {
    use SessionState::*;
    let mut v = vec![
        session(
            "1",
            "HIL-BENCH-01",
            Active,
            "2026-11-22T08:30:00Z",
            "2026-11-22T10:20:00Z",
        ),
        session(
            "2",
            "HIL-BENCH-01",
            Scheduled,
            "2026-11-22T11:00:00Z",
            "2026-11-22T12:30:00Z",
        ),
        session(
            "3",
            "HIL-BENCH-02",
            Active,
            "2026-11-22T07:00:00Z",
            "2026-11-22T15:00:00Z",
        ),
        session(
            "4",
            "HIL-03",
            Scheduled,
            "2026-11-22T12:00:00Z",
            "2026-11-22T18:00:00Z",
        ),
        session(
            "5",
            "EVIL\u{202e}BENCH\x1b[31m",
            Active,
            "2026-11-22T09:00:00Z",
            "2026-11-22T09:50:00Z",
        ),
        session(
            "6",
            "HIL-05",
            Other("MAINTENANCE".into()),
            "2026-11-22T09:30:00Z",
            "2026-11-22T11:00:00Z",
        ),
        session(
            "7",
            "HIL-06",
            Scheduled,
            "2026-11-23T08:00:00Z",
            "2026-11-23T09:00:00Z",
        ),
        session(
            "8",
            "HIL-07",
            Active,
            "2026-11-22T06:00:00Z",
            "2026-11-22T08:00:00Z",
        ),
    ];
    v[1].owner = Some("a.nguyen".into());
    v[1].gitlab_runner_tag = None;
    v[3].owner = Some("田中太郎".into());
    v[4].owner = Some("x\u{200d}y\nz".into());
    v[4].gitlab_runner_tag = Some("t\tg".into());
    v
}

fn draw_with(
    sessions: &[Session],
    selected: Option<&str>,
    zoom: Zoom,
    w: u16,
    h: u16,
    state: &mut TimelineState,
) -> Terminal<TestBackend> {
    let tz = cet();
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    terminal
        .draw(|f| {
            let widget = Timeline::new(sessions, now(), &tz)
                .selected(selected)
                .zoom(zoom);
            f.render_stateful_widget(widget, f.area(), state);
        })
        .expect("draw");
    terminal
}

fn draw(selected: Option<&str>, zoom: Zoom, w: u16, h: u16) -> Terminal<TestBackend> {
    draw_with(
        &fixture(),
        selected,
        zoom,
        w,
        h,
        &mut TimelineState::default(),
    )
}

/// Row `y` as a terminal shows it (a wide character hides the cell after it).
fn row(buf: &Buffer, y: u16) -> String {
    crate::display::tests::shown(buf, y, 0..buf.area.width)
}

fn rows(buf: &Buffer) -> Vec<String> {
    (0..buf.area.height).map(|y| row(buf, y)).collect()
}

/// The `y` of the line whose label column shows `assembly`.
fn lane_y(buf: &Buffer, assembly: &str) -> u16 {
    (0..buf.area.height)
        .find(|&y| {
            row(buf, y)
                .chars()
                .take(20)
                .collect::<String>()
                .contains(assembly)
        })
        .unwrap_or_else(|| panic!("{assembly} on screen:\n{}", rows(buf).join("\n")))
}

fn xs_of(buf: &Buffer, y: u16, glyph: char) -> Vec<u16> {
    (0..buf.area.width)
        .filter(|&x| buf[(x, y)].symbol() == glyph.to_string())
        .collect()
}

#[test]
fn timeline_78x8() {
    insta::assert_snapshot!(draw(Some("1"), Zoom::Hours6, 78, 8).backend());
}

#[test]
fn timeline_140x10() {
    insta::assert_snapshot!(draw(Some("4"), Zoom::Hours6, 140, 10).backend());
}

#[test]
fn timeline_78x8_zoomed_in_on_the_hostile_one() {
    insta::assert_snapshot!(draw(Some("5"), Zoom::Hours2, 78, 8).backend());
}

#[test]
fn glyphs_tell_states_apart_without_colour() {
    let t = draw(None, Zoom::Hours6, 140, 16);
    let buf = t.backend().buffer();
    let y1 = lane_y(buf, "HIL-BENCH-01");
    assert!(!xs_of(buf, y1, ACTIVE).is_empty(), "active bar");
    assert!(!xs_of(buf, y1, SCHEDULED).is_empty(), "scheduled bar");
    let active = xs_of(buf, y1, ACTIVE);
    let scheduled = xs_of(buf, y1, SCHEDULED);
    assert!(
        active.iter().max() < scheduled.iter().min(),
        "in time order"
    );
    assert!(!xs_of(buf, lane_y(buf, "HIL-05"), OTHER).is_empty());
    assert_eq!(xs_of(buf, lane_y(buf, "HIL-06"), LATER), [139]);
    assert_eq!(xs_of(buf, lane_y(buf, "HIL-07"), EARLIER), [18]);
    // Clipped at both edges: from the first bar column to the last.
    let through = xs_of(buf, lane_y(buf, "HIL-BENCH-02"), ACTIVE);
    assert_eq!(through.first(), Some(&18));
    assert_eq!(through.last(), Some(&139));
}

#[test]
fn scheduled_is_dimmer_than_active_and_the_selection_stands_out() {
    let t = draw(Some("1"), Zoom::Hours6, 140, 16);
    let buf = t.backend().buffer();
    let y = lane_y(buf, "HIL-BENCH-01");
    let a = xs_of(buf, y, ACTIVE)[0];
    let s = xs_of(buf, y, SCHEDULED)[0];
    assert_eq!(
        buf[(a, y)].bg,
        Color::Blue,
        "the selected bar is highlighted"
    );
    assert!(buf[(s, y)].modifier.contains(Modifier::DIM));
    let y2 = lane_y(buf, "HIL-BENCH-02");
    let a2 = xs_of(buf, y2, ACTIVE)[0];
    assert!(!buf[(a2, y2)].modifier.contains(Modifier::DIM));
    assert_eq!(buf[(a2, y2)].fg, Color::Green);
    assert_eq!(
        buf[(0, y)].symbol(),
        MARKER.to_string(),
        "marker without colour"
    );
}

#[test]
fn the_now_line_crosses_every_lane_at_one_column() {
    let t = draw(Some("1"), Zoom::Hours6, 78, 8);
    let buf = t.backend().buffer();
    let head = xs_of(buf, 0, NOW_HEAD);
    assert_eq!(head.len(), 1, "{:?}", rows(buf));
    for y in 1..buf.area.height {
        let line = row(buf, y);
        if line.contains("m.keller · vehaas-1") {
            continue; // the selected one's text is written over it
        }
        let at = buf[(head[0], y)].symbol();
        let bar = [ACTIVE, SCHEDULED, OTHER].map(String::from);
        assert!(
            at == NOW.to_string() || bar.iter().any(|b| b == at),
            "row {y}: {line}"
        );
        assert!(xs_of(buf, y, NOW).len() <= 1, "row {y}: {line}");
    }
    // A quarter of the window lies before now.
    let bars = 18;
    assert_eq!(head[0], bars + (78 - bars) / 4);
}

#[test]
fn hostile_text_is_escaped_and_cannot_reach_a_cell() {
    for (w, h) in [(78, 8), (140, 16), (30, 6)] {
        let t = draw(Some("5"), Zoom::Hours2, w, h);
        let buf = t.backend().buffer();
        for y in 0..h {
            for x in 0..w {
                let sym = buf[(x, y)].symbol();
                assert!(
                    !sym.contains(crate::display::needs_escape),
                    "({x},{y}) {sym:?}"
                );
            }
        }
    }
    let text = rows(draw(Some("5"), Zoom::Hours2, 140, 16).backend().buffer()).join("\n");
    assert!(text.contains(r"EVIL\u{202e}BEN…"), "{text}");
    assert!(text.contains(r"x\u{200d}y\nz · t\tg"), "{text}");
}

/// Every word of the scale row is the zoom, a scroll hint, the now head or a clock time.
fn scale_words(buf: &Buffer) -> Vec<String> {
    row(buf, 0).split_whitespace().map(str::to_string).collect()
}

fn is_clock(w: &str) -> bool {
    let b = w.as_bytes();
    b.len() == 5 && b[2] == b':' && w.chars().filter(char::is_ascii_digit).count() == 4
}

#[test]
fn scale_labels_never_overlap_at_any_size_or_zoom() {
    for zoom in Zoom::ALL {
        for w in [12u16, 20, 33, 50, 78, 79, 100, 140, 211] {
            let t = draw(Some("3"), zoom, w, 8);
            let words = scale_words(t.backend().buffer());
            let clocks: Vec<&String> = words.iter().filter(|w| is_clock(w)).collect();
            for word in &words {
                let ok = is_clock(word)
                    || word == zoom.label()
                    || ["↑", "↓", "↑↓"].contains(&word.as_str())
                    || *word == NOW_HEAD.to_string();
                assert!(ok, "{zoom:?} at {w}: {word:?} in {words:?}");
            }
            if w >= 50 {
                assert!(clocks.len() >= 2, "{zoom:?} at {w}: {words:?}");
            }
            let mut sorted = clocks.clone();
            sorted.dedup();
            assert_eq!(sorted.len(), clocks.len(), "{zoom:?} at {w}: {words:?}");
        }
    }
}

#[test]
fn labels_are_local_clock_times_across_a_dst_change() {
    let tz = cet();
    // 02:30 CEST on the night clocks go back.
    let now = ts("2026-10-25T00:30:00Z");
    let s = [session(
        "1",
        "A",
        SessionState::Active,
        "2026-10-24T23:00:00Z",
        "2026-10-25T03:00:00Z",
    )];
    let mut terminal = Terminal::new(TestBackend::new(100, 4)).expect("terminal");
    terminal
        .draw(|f| f.render_widget(Timeline::new(&s, now, &tz), f.area()))
        .expect("draw");
    let scale: Vec<char> = row(terminal.backend().buffer(), 0).chars().collect();
    let col = |label: &str| {
        (0..scale.len())
            .find(|&i| scale[i..].iter().take(5).collect::<String>() == label)
            .unwrap_or_else(|| panic!("{label} in {:?}", scale.iter().collect::<String>()))
    };
    // 02:00 comes twice (summer, then winter time); the scale labels whole hours once each,
    // at their real distance: from 02:00 summer time to 03:00 winter time is two hours.
    let (one, two, three) = (col("01:00"), col("02:00"), col("03:00"));
    let hour = two - one;
    assert!(hour > 10, "{hour}");
    // Columns are whole cells: each hour is 15 or 16 of them here.
    assert!(
        (2 * hour..=2 * hour + 2).contains(&(three - two)),
        "{one} {two} {three}"
    );
    let words = scale_words(terminal.backend().buffer());
    let clocks: Vec<&str> = words
        .iter()
        .map(String::as_str)
        .filter(|w| is_clock(w))
        .collect();
    assert!(clocks.iter().all(|c| c.ends_with(":00")), "{clocks:?}");
}

#[test]
fn the_selected_one_scrolls_into_view_and_stays_put() {
    let many: Vec<Session> = (0..30)
        .map(|i| {
            session(
                &i.to_string(),
                &format!("HIL-{i:02}"),
                SessionState::Active,
                "2026-11-22T09:00:00Z",
                "2026-11-22T10:00:00Z",
            )
        })
        .collect();
    let mut state = TimelineState::default();
    let t = draw_with(&many, Some("25"), Zoom::Hours6, 78, 8, &mut state);
    let buf = t.backend().buffer();
    let y = lane_y(buf, "HIL-25");
    assert_eq!(buf[(0, y)].symbol(), MARKER.to_string());
    assert!(row(buf, 0).contains('↑'), "{}", row(buf, 0));
    assert!(row(buf, 0).contains('↓'), "{}", row(buf, 0));
    let offset = state.offset;
    assert!(offset > 0);
    // Moving up by one inside the view does not scroll.
    draw_with(&many, Some("24"), Zoom::Hours6, 78, 8, &mut state);
    assert_eq!(state.offset, offset);
    draw_with(&many, Some("0"), Zoom::Hours6, 78, 8, &mut state);
    assert_eq!(state.offset, 0);
}

#[test]
fn owner_and_tag_go_beside_the_bar_when_there_is_room() {
    let s = [session(
        "9",
        "HIL-9",
        SessionState::Active,
        "2026-11-22T09:00:00Z",
        "2026-11-22T09:30:00Z",
    )];
    let tz = cet();
    let mut terminal = Terminal::new(TestBackend::new(78, 4)).expect("terminal");
    terminal
        .draw(|f| f.render_widget(Timeline::new(&s, now(), &tz).selected(Some("9")), f.area()))
        .expect("draw");
    let buf = terminal.backend().buffer();
    let y = lane_y(buf, "HIL-9");
    let line = row(buf, y);
    let bar_end = line.rfind(ACTIVE).expect("bar");
    let text = line.find("m.keller · vehaas-9").expect("beside");
    assert!(text > bar_end, "{line}");
    assert_eq!(row(buf, y + 1).trim(), "", "no line below");
}

#[test]
fn a_short_booking_still_shows_and_tiny_areas_do_not_panic() {
    let s = [session(
        "1",
        "A",
        SessionState::Active,
        "2026-11-22T09:41:00Z",
        "2026-11-22T09:42:00Z",
    )];
    let t = draw_with(
        &s,
        None,
        Zoom::Hours24,
        60,
        3,
        &mut TimelineState::default(),
    );
    assert_eq!(xs_of(t.backend().buffer(), 1, ACTIVE).len(), 1);
    for (w, h) in [(0, 0), (1, 1), (7, 3), (8, 1), (9, 2), (16, 3)] {
        draw(Some("1"), Zoom::Hours2, w.max(1), h.max(1));
    }
    let empty = draw_with(
        &[],
        None,
        Zoom::Hours6,
        40,
        4,
        &mut TimelineState::default(),
    );
    assert!(row(empty.backend().buffer(), 1).contains("No bookings to show"));
}

#[test]
fn zoom_steps_in_and_out_and_stops_at_the_ends() {
    assert_eq!(Zoom::default(), Zoom::Hours6);
    assert_eq!(Zoom::Hours6.zoom_in(), Zoom::Hours2);
    assert_eq!(Zoom::Hours2.zoom_in(), Zoom::Hours2);
    assert_eq!(Zoom::Hours6.zoom_out(), Zoom::Hours12);
    assert_eq!(Zoom::Hours12.zoom_out(), Zoom::Hours24);
    assert_eq!(Zoom::Hours24.zoom_out(), Zoom::Hours24);
    let hours: Vec<i64> = Zoom::ALL.iter().map(|z| z.hours()).collect();
    assert_eq!(hours, [2, 6, 12, 24]);
}
