//! What the scripting verbs print: JSON shapes of the domain types and aligned tables. One JSON
//! document or one table per call, on stdout; a closed pipe is not an error.

use std::io::Write;

use serde_json::Value;

use super::EXIT_API;
use crate::cli::Output;
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

/// Prints rows as aligned columns.
pub fn print_table(
    out: &mut impl Write,
    header: &[&str],
    rows: &[Vec<String>],
) -> std::io::Result<()> {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut s = String::new();
        for (i, (c, w)) in cells.iter().zip(&widths).enumerate() {
            if i + 1 == cells.len() {
                s.push_str(c);
            } else {
                s.push_str(&format!("{c:<w$}  "));
            }
        }
        s.trim_end().to_string()
    };
    writeln!(out, "{}", line(header.to_vec()))?;
    for r in rows {
        writeln!(out, "{}", line(r.iter().map(String::as_str).collect()))?;
    }
    Ok(())
}

/// One result: the JSON document, or the table followed by `notes` (one per line, after a
/// blank line).
pub struct Doc<'a> {
    pub json: Value,
    pub header: &'a [&'a str],
    pub rows: Vec<Vec<String>>,
    pub notes: Vec<String>,
}

impl<'a> Doc<'a> {
    pub fn new(json: Value, header: &'a [&'a str], rows: Vec<Vec<String>>) -> Self {
        Self {
            json,
            header,
            rows,
            notes: Vec::new(),
        }
    }

    /// A result that is only a sentence in table mode.
    pub fn message(json: Value, text: String) -> Self {
        Self {
            json,
            header: &[],
            rows: Vec::new(),
            notes: vec![text],
        }
    }

    pub fn note(mut self, text: String) -> Self {
        self.notes.push(text);
        self
    }

    fn write(&self, output: Output, out: &mut impl Write) -> std::io::Result<()> {
        match output {
            Output::Json => {
                let text =
                    serde_json::to_string_pretty(&self.json).map_err(std::io::Error::other)?;
                writeln!(out, "{text}")?;
            }
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
        report(self.write(output, &mut std::io::stdout().lock()))
    }
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
}
