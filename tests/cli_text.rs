//! Hostile text from the server in scripting output, end to end: controllers whose descriptions
//! hold escape sequences, bidi overrides, zero-width characters, tabs, newlines, CJK and emoji,
//! listed by the real binary against the in-process simulator. The table must not pass a single
//! unsafe character to the terminal nor bend a column; JSON must keep every byte as it came.

mod common;

use common::{TestEnv, run};
use runnerdeck::display::needs_escape;
use serde_json::Value;
use unicode_width::UnicodeWidthStr;

const HOSTILE: &[&str] = &[
    "\x1b[31mred\x1b[0m \x1b]0;pwned\x07",
    "evil\u{202e}gnp.exe",
    "zero\u{200d}width\u{200b}join\u{feff}",
    "tab\there",
    "two\nlines\r\nthree",
    "漢字の説明です",
    "🚀 rocket 🔥",
    "\u{2066}isolate\u{2069} \u{200f}rlm \u{85}c1",
];

fn rd(env: &TestEnv, args: &[&str]) -> String {
    let (out, stdout, stderr) = run(env.command(args));
    assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
    stdout
}

/// Creates one controller per hostile description; returns (id, description).
fn create_all(env: &TestEnv) -> Vec<(i64, &'static str)> {
    HOSTILE
        .iter()
        .map(|d| {
            let stdout = rd(env, &["rc", "create", "--description", d, "-o", "json"]);
            let v: Value = serde_json::from_str(&stdout).expect("json");
            (v["id"].as_i64().expect("id"), *d)
        })
        .collect()
}

/// The display column where the last cell of `line` starts (cells never hold a space here).
fn last_column(line: &str) -> usize {
    let start = line.rfind(' ').map_or(0, |i| i + 1);
    line[..start].width()
}

#[test]
fn a_table_of_hostile_descriptions_stays_a_table() {
    let env = TestEnv::start();
    let created = create_all(&env);
    let table = rd(&env, &["rc", "list", "-o", "table"]);

    let unsafe_chars: Vec<char> = table
        .chars()
        .filter(|&c| c != '\n' && needs_escape(c))
        .collect();
    assert!(unsafe_chars.is_empty(), "{unsafe_chars:?} in\n{table}");
    assert!(
        !table.as_bytes().contains(&0x1b),
        "ESC reached stdout:\n{table}"
    );
    assert!(!table.contains('\u{202e}'));

    let listed: Vec<Value> =
        serde_json::from_str(&rd(&env, &["rc", "list", "-o", "json"])).expect("one JSON document");
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), listed.len() + 1, "one line a row:\n{table}");
    for (id, _) in &created {
        assert!(
            lines.iter().any(|l| l.starts_with(&format!("{id} "))),
            "controller {id} listed:\n{table}"
        );
    }

    let header = lines[0];
    let updated = header[..header.find("UPDATED").expect("UPDATED column")].width();
    for line in &lines[1..] {
        assert_eq!(
            last_column(line),
            updated,
            "UPDATED moved in {line:?}\n{table}"
        );
    }
    assert!(
        table.contains(r"\u{1b}[31mred"),
        "escapes stay readable:\n{table}"
    );
    assert!(table.contains(r"two\nlines\r\nthree"));
    assert!(table.contains("漢字の説明です"));
}

#[test]
fn json_keeps_the_raw_description() {
    let env = TestEnv::start();
    let created = create_all(&env);
    let listed: Vec<Value> =
        serde_json::from_str(&rd(&env, &["rc", "list", "-o", "json"])).expect("one JSON document");
    for (id, description) in created {
        let c = listed
            .iter()
            .find(|c| c["id"] == id)
            .unwrap_or_else(|| panic!("controller {id} listed"));
        assert_eq!(c["description"], *description, "controller {id}");
        assert_eq!(
            env.sim.gitlab().controller_description(id),
            Some(Some(description.to_string()))
        );
    }
}
