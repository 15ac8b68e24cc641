//! The scripting verbs (`runnerdeck rc ...`, `runnerdeck bookings ...`): one JSON document or
//! one table per call on stdout, the server's reason on stderr and a non-zero exit on failure.

use std::io::Write;

use serde_json::{Value, json};

use crate::api::ApiError;
use crate::cli::{BookingsCommand, Output, RcCommand};
use crate::domain::{RunnerController, Session, Timestamp};
use crate::setup::Setup;

/// Exit codes: 0 success, 1 the server refused or failed, 2 usage or configuration.
pub const EXIT_API: u8 = 1;

pub fn controller_json(c: &RunnerController) -> Value {
    json!({
        "id": c.id,
        "description": c.description,
        "state": c.state.as_str(),
        "created_at": c.created_at.map(|t| t.to_string()),
        "updated_at": c.updated_at.map(|t| t.to_string()),
        "connected": c.connected,
    })
}

pub fn session_json(s: &Session) -> Value {
    json!({
        "id": s.id,
        "assembly_ref": s.assembly_ref,
        "owner": s.owner,
        "state": s.state.as_str(),
        "start": s.start.map(|t| t.to_string()),
        "end": s.end.map(|t| t.to_string()),
        "duration_seconds": s.duration.map(|d| d.as_secs()),
        "gitlab_runner_tag": s.gitlab_runner_tag,
    })
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

fn emit(
    output: Output,
    json: Value,
    header: &[&str],
    rows: Vec<Vec<String>>,
) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    match output {
        Output::Json => writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&json).unwrap_or_default()
        ),
        Output::Table => print_table(&mut out, header, &rows),
    }
}

fn fail(e: &ApiError) -> u8 {
    eprintln!("runnerdeck: {e}");
    EXIT_API
}

pub async fn rc(setup: &Setup, cmd: RcCommand) -> u8 {
    match cmd {
        RcCommand::List { output } => match setup.gitlab.list_controllers().await {
            Ok(list) => {
                let json = Value::Array(list.iter().map(controller_json).collect());
                let rows = list
                    .iter()
                    .map(|c| {
                        vec![
                            c.id.to_string(),
                            c.state.to_string(),
                            c.description.clone().unwrap_or_default(),
                            c.updated_at.map(|t| t.to_string()).unwrap_or_default(),
                        ]
                    })
                    .collect();
                report(emit(
                    output,
                    json,
                    &["ID", "STATE", "DESCRIPTION", "UPDATED"],
                    rows,
                ))
            }
            Err(e) => fail(&e),
        },
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

pub async fn bookings(setup: &Setup, cmd: BookingsCommand) -> u8 {
    let Some(vehaas) = &setup.vehaas else {
        eprintln!("runnerdeck: veHaaS is not configured: add a [vehaas] table to the config");
        return 2;
    };
    match cmd {
        BookingsCommand::List { output, all } => match vehaas.list_sessions().await {
            Ok(mut list) => {
                let now = Timestamp::now();
                list.retain(|s| all || s.is_current(now));
                list.sort_by_key(|s| s.end);
                let json = Value::Array(list.iter().map(session_json).collect());
                let rows = list
                    .iter()
                    .map(|s| {
                        vec![
                            s.id.clone(),
                            s.assembly_ref.clone(),
                            s.owner.clone().unwrap_or_default(),
                            s.state.to_string(),
                            s.start.map(|t| t.to_string()).unwrap_or_default(),
                            s.end.map(|t| t.to_string()).unwrap_or_default(),
                            s.gitlab_runner_tag.clone().unwrap_or_default(),
                        ]
                    })
                    .collect();
                report(emit(
                    output,
                    json,
                    &[
                        "ID",
                        "ASSEMBLY",
                        "OWNER",
                        "STATE",
                        "START",
                        "END",
                        "RUNNER TAG",
                    ],
                    rows,
                ))
            }
            Err(e) => fail(&e),
        },
    }
}
