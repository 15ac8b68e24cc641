//! Escaping, widths and cuts, as properties over arbitrary text and as cells of a rendered table.

use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Constraint;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Row, Table};

use super::*;

/// Descriptions a hostile or careless server could send.
const HOSTILE: &[&str] = &[
    "evil\u{202e}txt.exe",
    "a\u{200d}b\u{200b}c\u{feff}d\u{ad}e",
    "\x1b[31mred\x1b[0m and \x1b]0;title\x07",
    "tab\there",
    "two\nlines\r\nand more",
    "漢字のテスト説明文です",
    "emoji 🚀🔥 ok",
    "\u{2066}isolate\u{2069} \u{200e}lrm\u{200f} \u{61c}",
    "c1 \u{85}\u{9b}31m",
    "",
];

#[test]
fn each_kind_of_unsafe_character_is_shown_as_an_escape() {
    let cases = [
        ("a\u{202e}b", r"a\u{202e}b"),
        (
            "\u{202a}\u{202b}\u{202c}\u{202d}",
            r"\u{202a}\u{202b}\u{202c}\u{202d}",
        ),
        (
            "\u{2066}\u{2067}\u{2068}\u{2069}",
            r"\u{2066}\u{2067}\u{2068}\u{2069}",
        ),
        ("\u{200e}\u{200f}\u{61c}", r"\u{200e}\u{200f}\u{61c}"),
        (
            "\u{200b}\u{200c}\u{200d}\u{2060}\u{feff}\u{ad}",
            r"\u{200b}\u{200c}\u{200d}\u{2060}\u{feff}\u{ad}",
        ),
        ("\x1b[31m", r"\u{1b}[31m"),
        ("\0\x07\x7f\u{80}\u{9f}", r"\u{0}\u{7}\u{7f}\u{80}\u{9f}"),
        ("a\tb\nc\rd", r"a\tb\nc\rd"),
        ("\u{2028}\u{2029}", r"\u{2028}\u{2029}"),
        ("tag\u{e0041}", r"tag\u{e0041}"),
    ];
    for (input, want) in cases {
        assert_eq!(escape(input), want, "{input:?}");
    }
}

#[test]
fn safe_text_is_borrowed_unchanged() {
    for s in [
        "kas admission prod",
        "漢字",
        "🚀",
        "café",
        r"C:\path\u{41}",
        "…",
    ] {
        assert!(matches!(escape(s), Cow::Borrowed(b) if b == s), "{s:?}");
    }
}

#[test]
fn pieces_split_text_from_escapes() {
    let got: Vec<Piece<'_>> = pieces("ab\tc\u{202e}").collect();
    assert_eq!(
        got,
        [
            Piece::Text("ab"),
            Piece::Escape('\t'),
            Piece::Text("c"),
            Piece::Escape('\u{202e}')
        ]
    );
    assert_eq!(got[3].to_string(), r"\u{202e}");
    assert_eq!(got[3].width(), 8);
}

#[test]
fn widths_are_terminal_cells() {
    assert_eq!(width("abc"), 3);
    assert_eq!(width("漢字"), 4);
    assert_eq!(width("🚀x"), 3);
    assert_eq!(width("e\u{301}"), 1, "a combining accent takes no cell");
    assert_eq!(width("a\tb"), 4, r"\t is two cells");
    assert_eq!(width("\u{202e}"), 8);
}

#[test]
fn truncation_cuts_on_cell_boundaries() {
    let cases = [
        ("abcdef", 6, "abcdef"),
        ("abcdef", 4, "abc…"),
        ("abcdef", 1, "…"),
        ("abcdef", 0, ""),
        ("漢字漢字", 4, "漢… "),
        ("漢字漢字", 5, "漢字…"),
        ("ab漢字", 4, "ab… "),
        ("🚀🚀🚀", 4, "🚀… "),
        ("漢", 1, "…"),
        ("a\u{202e}b", 5, r"a\u{…"),
        ("e\u{301}e\u{301}e\u{301}", 2, "e\u{301}…"),
    ];
    for (input, max, want) in cases {
        assert_eq!(truncate(input, max), want, "{input:?} in {max}");
        assert!(width(&truncate(input, max)) <= max);
    }
}

#[test]
fn padding_and_fitting_count_cells() {
    assert_eq!(pad("漢", 4), "漢  ");
    assert_eq!(pad("abcdef", 3), "abcdef", "padding never cuts");
    assert_eq!(pad("\t", 3), r"\t ");
    assert_eq!(fit("漢字漢字", 5), "漢字…");
    assert_eq!(fit("ab", 4), "ab  ");
    for s in HOSTILE {
        for n in 0..14 {
            assert_eq!(width(&fit(s, n)), n, "{s:?} in {n}");
        }
    }
}

#[test]
fn escapes_are_dim_and_text_keeps_its_style() {
    let base = Style::new().fg(ratatui::style::Color::Green);
    let got = spans("a\u{202e}b", base, 40);
    let shapes: Vec<(&str, Style)> = got.iter().map(|s| (s.content.as_ref(), s.style)).collect();
    assert_eq!(
        shapes,
        [
            ("a", base),
            (r"\u{202e}", base.add_modifier(Modifier::DIM)),
            ("b", base)
        ]
    );
    assert_eq!(line("abcdef", base, 4).width(), 4);
}

/// Cells `xs` of row `y` as a terminal shows them: a wide character hides the cell after it.
pub(crate) fn shown(buf: &ratatui::buffer::Buffer, y: u16, xs: std::ops::Range<u16>) -> String {
    let mut out = String::new();
    let mut x = xs.start;
    while x < xs.end {
        let sym = buf[(x, y)].symbol();
        out.push_str(sym);
        x += u16::try_from(width(sym).max(1)).expect("small");
    }
    out
}

/// Renders a table of (id, description, updated) rows with the descriptions in 16 cells.
fn render_table(descriptions: &[&str]) -> ratatui::buffer::Buffer {
    let ids: Vec<String> = (0..descriptions.len()).map(|i| i.to_string()).collect();
    let rows = descriptions.iter().zip(&ids).map(|(d, id)| {
        Row::new(vec![
            line(id, Style::new(), 3),
            line(d, Style::new(), 16),
            line("2026-11-22", Style::new(), 10),
        ])
    });
    let widths = [
        Constraint::Length(3),
        Constraint::Length(16),
        Constraint::Length(10),
    ];
    let table = Table::new(rows, widths).column_spacing(1);
    let mut terminal = Terminal::new(TestBackend::new(34, HOSTILE.len() as u16)).expect("terminal");
    terminal
        .draw(|f| f.render_widget(table, f.area()))
        .expect("draw");
    terminal.backend().buffer().clone()
}

#[test]
fn hostile_descriptions_keep_the_next_column_in_place() {
    let buf = render_table(HOSTILE);
    for y in 0..HOSTILE.len() as u16 {
        let row: String = (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect();
        // The UPDATED column starts at x = 3 + 1 + 16 + 1 on every row.
        let updated: String = (21..31).map(|x| buf[(x, y)].symbol()).collect();
        assert_eq!(updated, "2026-11-22", "row {y}: {row:?}");
        assert_eq!(buf[(20, y)].symbol(), " ", "row {y}: {row:?}");
        for x in 0..buf.area.width {
            let sym = buf[(x, y)].symbol();
            assert!(
                !sym.contains(needs_escape),
                "cell ({x}, {y}) holds {sym:?}: {row:?}"
            );
        }
    }
    let row = |y: u16| shown(&buf, y, 4..20);
    assert_eq!(row(0), r"evil\u{202e}txt…");
    assert_eq!(row(3), r"tab\there       ");
    assert_eq!(row(5), "漢字のテスト説… ");
}

/// Text mixing every kind of trouble: controls, bidi, zero-width, CJK, emoji, combining marks.
fn hostile_text() -> impl Strategy<Value = String> {
    let ch = prop_oneof![
        4 => proptest::char::range(' ', '~'),
        1 => proptest::char::range('\0', '\u{9f}'),
        1 => prop::sample::select(vec![
            '\u{202a}', '\u{202e}', '\u{2066}', '\u{2069}', '\u{200b}', '\u{200d}', '\u{feff}',
            '\u{ad}', '\u{61c}', '\u{200e}', '\u{301}', '\u{fe0f}', '\u{1f3fd}', '\u{2028}',
        ]),
        1 => prop::sample::select(vec!['漢', '字', '🚀', '👩', '❤', 'é', 'ﾞ', '\u{1100}']),
        1 => any::<char>(),
    ];
    prop::collection::vec(ch, 0..40).prop_map(|v| v.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn never_too_wide_and_never_unsafe(s in hostile_text(), max in 0usize..30) {
        let cut = truncate(&s, max);
        prop_assert!(width(&cut) <= max, "{s:?} in {max}: {cut:?}");
        prop_assert!(!cut.contains(needs_escape), "{cut:?}");
        prop_assert_eq!(width(&fit(&s, max)), max);
        let drawn = spans(&s, Style::new(), max);
        prop_assert!(drawn.iter().map(|s| width(&s.content)).sum::<usize>() <= max);
        prop_assert!(drawn.iter().all(|s| !s.content.contains(needs_escape)));
    }

    #[test]
    fn escaping_is_safe_and_stable(s in any::<String>()) {
        let once = escape(&s).into_owned();
        prop_assert!(!once.contains(needs_escape));
        prop_assert_eq!(escape(&once), once.as_str());
        prop_assert_eq!(width(&s), width(&once));
        let _ = truncate(&s, 7);
    }

    #[test]
    fn plain_ascii_is_unchanged(s in "[ -~]{0,60}") {
        prop_assert_eq!(escape(&s), s.as_str());
        prop_assert_eq!(width(&s), s.len());
        prop_assert_eq!(truncate(&s, 60), s.as_str());
    }
}
