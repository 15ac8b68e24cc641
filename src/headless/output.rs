//! What the scripting verbs print: JSON shapes of the domain types and aligned tables. One JSON
//! document or one table per call, on stdout; a closed pipe is not an error.

use std::borrow::Cow;
use std::cell::RefCell;
use std::io::Write;

use serde::Serialize;
use serde_json::Value;

use super::EXIT_API;
use crate::cli::Output;
use crate::display;
use crate::domain::{ControllerToken, Job, RunnerController, Scopes, Session};
pub use crate::json::{controller_json, job_json, scopes_json, session_json, token_json};

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

pub const CONTROLLER_HEADER: [&str; 6] = [
    "ID",
    "STATE",
    "CONNECTED",
    "DESCRIPTION",
    "CREATED",
    "UPDATED",
];

pub fn controller_row(c: &RunnerController) -> Vec<String> {
    vec![
        c.id.to_string(),
        c.state.to_string(),
        match c.connected {
            Some(true) => "yes".into(),
            Some(false) => "no".into(),
            None => "-".into(),
        },
        c.description.clone().unwrap_or_default(),
        opt(c.created_at.as_ref()),
        opt(c.updated_at.as_ref()),
    ]
}

pub const TOKEN_HEADER: [&str; 4] = ["ID", "DESCRIPTION", "CREATED", "LAST USED"];

pub fn token_row(t: &ControllerToken) -> Vec<String> {
    vec![
        t.id.to_string(),
        t.description.clone().unwrap_or_default(),
        opt(t.created_at.as_ref()),
        t.last_used_at
            .as_ref()
            .map(|x| x.to_string())
            .unwrap_or_else(|| "never".into()),
    ]
}

pub const SCOPE_HEADER: [&str; 3] = ["SCOPE", "RUNNER", "CREATED"];

pub fn scope_rows(s: &Scopes) -> Vec<Vec<String>> {
    let instance = s
        .instance
        .iter()
        .map(|i| vec!["instance".into(), "-".into(), opt(i.created_at.as_ref())]);
    let runners = s.runners.iter().map(|r| {
        vec![
            "runner".into(),
            r.runner_id.to_string(),
            opt(r.created_at.as_ref()),
        ]
    });
    instance.chain(runners).collect()
}

pub const JOB_HEADER: [&str; 5] = ["JOB", "STATE", "ASSEMBLY", "SESSION", "RUNNER TAG"];

pub fn job_row(j: &Job) -> Vec<String> {
    vec![
        j.job_id.to_string(),
        j.state.to_string(),
        j.assembly_ref.clone().unwrap_or_default(),
        j.session_id
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
        j.gitlab_runner_tag.clone().unwrap_or_default(),
    ]
}

pub const SESSION_HEADER: [&str; 7] = [
    "ID",
    "ASSEMBLY",
    "OWNER",
    "STATE",
    "START",
    "END",
    "RUNNER TAG",
];

pub fn session_row(s: &Session) -> Vec<String> {
    vec![
        s.id.to_string(),
        s.assembly_ref.clone(),
        s.owner.clone().unwrap_or_default(),
        s.state.to_string(),
        opt(s.start.as_ref()),
        opt(s.end.as_ref()),
        s.gitlab_runner_tag.clone().unwrap_or_default(),
    ]
}

/// Prints rows as aligned columns. Every cell is escaped (a server's `\e[31m`, U+202E or
/// newline cannot reach the terminal or split a row) and padded by display width, so CJK and
/// emoji keep the columns in line. JSON output never comes through here: it keeps raw values.
pub fn print_table(
    out: &mut impl Write,
    header: &[&str],
    rows: &[Vec<String>],
) -> std::io::Result<()> {
    let escaped: Vec<Vec<Cow<'_, str>>> = std::iter::once(header.to_vec())
        .chain(rows.iter().map(|r| r.iter().map(String::as_str).collect()))
        .map(|r| r.into_iter().map(display::escape).collect())
        .collect();
    let mut widths: Vec<usize> = Vec::new();
    for r in &escaped {
        widths.resize(widths.len().max(r.len()), 0);
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(display::width(cell));
        }
    }
    for r in &escaped {
        let mut line = String::new();
        for (i, cell) in r.iter().enumerate() {
            if i + 1 == r.len() {
                line.push_str(cell);
            } else {
                line.push_str(&display::pad(cell, widths[i]));
                line.push_str("  ");
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// Writes a JSON array, making each item as it goes.
pub type JsonSeq = Box<dyn Fn(&mut dyn Write) -> std::io::Result<()> + Send>;

/// One result: the JSON document, or the table followed by `notes` (one per line, after a
/// blank line).
pub struct Doc<'a> {
    pub json: Value,
    /// When set, the JSON document in place of `json`: an array made item by item as it is
    /// written (see `Doc::streamed`).
    pub json_seq: Option<JsonSeq>,
    pub header: &'a [&'a str],
    pub rows: Vec<Vec<String>>,
    pub notes: Vec<String>,
    /// The exit code once printed: 0, or what the result itself means (`rc lint`'s 6).
    pub exit: u8,
}

impl<'a> Doc<'a> {
    pub fn new(json: Value, header: &'a [&'a str], rows: Vec<Vec<String>>) -> Self {
        Self {
            json,
            json_seq: None,
            header,
            rows,
            notes: Vec::new(),
            exit: 0,
        }
    }

    /// A result that is only a sentence in table mode.
    pub fn message(json: Value, text: String) -> Self {
        Self {
            json,
            json_seq: None,
            header: &[],
            rows: Vec::new(),
            notes: vec![text],
            exit: 0,
        }
    }

    /// A JSON array of `to_json` of each item, made as it is written: 10,000 rows as one JSON
    /// tree and its text would cost 13 MB. Nothing in table mode.
    pub fn streamed<T: Send + 'static>(items: Vec<T>, to_json: fn(&T) -> Value) -> Self {
        let mut doc = Self::new(Value::Null, &[], Vec::new());
        doc.json_seq = Some(Box::new(move |out| {
            write_json_seq(out, items.iter().map(to_json))
        }));
        doc
    }

    pub fn note(mut self, text: String) -> Self {
        self.notes.push(text);
        self
    }

    /// Printed, the run exits with `code` (a result that is also a verdict).
    pub fn exit_with(mut self, code: u8) -> Self {
        self.exit = code;
        self
    }

    fn write(&self, output: Output, out: &mut impl Write) -> std::io::Result<()> {
        match output {
            Output::Json => match &self.json_seq {
                Some(seq) => seq(out)?,
                None => write_json(out, &self.json)?,
            },
            Output::Table => {
                if !self.header.is_empty() {
                    print_table(out, self.header, &self.rows)?;
                    if !self.notes.is_empty() {
                        writeln!(out)?;
                    }
                }
                for n in &self.notes {
                    writeln!(out, "{n}")?;
                }
            }
        }
        out.flush()
    }

    /// Prints to stdout; the exit code (0, or 1 when stdout cannot be written).
    pub fn emit(&self, output: Output) -> u8 {
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        match report(self.write(output, &mut out)) {
            0 => self.exit,
            failed => failed,
        }
    }
}

/// One JSON array of `items`, each made and written in turn (never the whole tree nor the
/// whole text in memory); the same bytes as `write_json` of the array.
fn write_json_seq<W, I>(out: &mut W, items: I) -> std::io::Result<()>
where
    W: Write + ?Sized,
    I: Iterator,
    I::Item: Serialize,
{
    struct Seq<I>(RefCell<Option<I>>);
    impl<I> Serialize for Seq<I>
    where
        I: Iterator,
        I::Item: Serialize,
    {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_seq(self.0.borrow_mut().take().into_iter().flatten())
        }
    }
    write_json(out, &Seq(RefCell::new(Some(items))))
}

/// Pretty JSON and a newline, written as it is made.
fn write_json<W: Write + ?Sized>(out: &mut W, value: &impl Serialize) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(std::io::Error::from)?;
    writeln!(out)
}

fn report(r: std::io::Result<()>) -> u8 {
    match r {
        Ok(()) => 0,
        // A closed pipe (`| head`) is not a failure of ours.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            eprintln!("runnerdeck: cannot write output: {e}");
            EXIT_API
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_streamed_array_is_the_same_bytes_as_a_doc_of_it() {
        for items in [
            vec![],
            vec![json!({"a": 1, "b": null}), json!({"c": [1, 2], "d": "é"})],
        ] {
            let doc = Doc::new(Value::Array(items.clone()), &[], Vec::new());
            let mut want = Vec::new();
            doc.write(Output::Json, &mut want).expect("doc");
            let streamed = Doc::streamed(items, Value::clone);
            let mut got = Vec::new();
            streamed.write(Output::Json, &mut got).expect("seq");
            assert_eq!(String::from_utf8(got), String::from_utf8(want));
        }
    }

    #[test]
    fn tables_align_and_notes_follow() {
        let doc = Doc::new(
            json!({}),
            &["ID", "NAME"],
            vec![vec!["1".into(), "a".into()], vec!["100".into(), "".into()]],
        )
        .note("done".into());
        let mut out = Vec::new();
        doc.write(Output::Table, &mut out).expect("write");
        assert_eq!(
            String::from_utf8(out).expect("utf-8"),
            "ID   NAME\n1    a\n100\n\ndone\n"
        );
        let mut out = Vec::new();
        Doc::message(json!({"ok": true}), "fine".into())
            .write(Output::Json, &mut out)
            .expect("write");
        let v: Value = serde_json::from_slice(&out).expect("json");
        assert_eq!(v, json!({"ok": true}));
    }

    fn table(header: &[&str], rows: &[&[&str]]) -> String {
        let rows: Vec<Vec<String>> = rows
            .iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect();
        let mut out = Vec::new();
        print_table(&mut out, header, &rows).expect("write");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn cells_are_escaped_and_padded_by_display_width() {
        let got = table(
            &["ID", "DESCRIPTION", "UPDATED"],
            &[
                &["1", "漢字", "t1"],
                &["2", "🚀 go", "t2"],
                &["3", "\x1b[31mred\nline\u{202e}", "t3"],
                &["4", "tab\there", "t4"],
            ],
        );
        assert_eq!(
            got,
            "ID  DESCRIPTION                  UPDATED\n\
             1   漢字                         t1\n\
             2   🚀 go                        t2\n\
             3   \\u{1b}[31mred\\nline\\u{202e}  t3\n\
             4   tab\\there                    t4\n"
        );
        let unsafe_char = |c: char| c != '\n' && display::needs_escape(c);
        assert!(!got.contains(unsafe_char), "{got:?}");
        assert_eq!(got.lines().count(), 5);
    }

    #[test]
    fn a_short_row_and_an_unsafe_last_cell_are_fine() {
        assert_eq!(
            table(&["A", "B"], &[&["x"], &["y", "\u{200b}z\r"]]),
            "A  B\nx\ny  \\u{200b}z\\r\n"
        );
    }
}
