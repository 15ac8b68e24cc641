//! `runnerdeck doctor`: the checklist an administrator runs when something is off. One line per
//! check (`ok|info|warn|fail  CHECK  DETAIL`) or one JSON array of `{check, status, detail}`.
//! Each service is checked on its own: a veHaaS that cannot be set up does not stop the GitLab
//! checks, nor the other way round. Reads only: it never changes anything, and never prints a
//! token (not even its length).
//!
//! Exit codes: 0 when no check failed, else the code of the first failed check's class (1 the
//! config or a token source, 2 a server or the network, 3 not permitted, ...).

use std::io::Write;

use serde_json::{Value, json};

use super::exit::{EXIT_API, EXIT_OK};
use super::{deprecation_text, doctor_gitlab, doctor_net, say_retries, setup_failed};
use crate::cli::{Cli, Output};
use crate::config::ConfigError;
use crate::setup::{self, Services, SetupError};

pub use doctor_net::PROXY_VARS;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Ok,
    /// Worth knowing, neither good nor bad (proxy settings, what was not checked).
    Info,
    Warn,
    Fail,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Info => "info",
            Self::Warn => "warn",
            Self::Fail => "fail",
        }
    }
}

/// One line of the checklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub check: String,
    pub status: Status,
    pub detail: String,
}

impl Check {
    fn json(&self) -> Value {
        json!({
            "check": self.check,
            "status": self.status.as_str(),
            "detail": self.detail,
        })
    }
}

/// The lines so far, and the exit code of the first that failed.
#[derive(Default)]
pub(super) struct Checklist {
    checks: Vec<Check>,
    code: u8,
}

impl Checklist {
    pub(super) fn push(&mut self, status: Status, check: &str, detail: impl Into<String>) {
        self.checks.push(Check {
            check: check.to_string(),
            status,
            detail: one_line(&detail.into()),
        });
    }

    /// A failed check; `code` is its class's exit code.
    pub(super) fn fail(&mut self, check: &str, detail: impl Into<String>, code: u8) {
        self.push(Status::Fail, check, detail);
        if self.code == EXIT_OK {
            self.code = code;
        }
    }
}

/// Multi-line start-up messages (`...\n  Copy config.example.toml there`) as one line.
fn one_line(s: &str) -> String {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Runs every check and prints the list; the exit code.
pub async fn run(cli: &Cli, output: Output) -> u8 {
    let mut list = Checklist::default();
    gather(cli, &mut list).await;
    let written = match output {
        Output::Json => write_json(&list.checks, &mut std::io::stdout().lock()),
        Output::Table => write_table(&list.checks, &mut std::io::stdout().lock()),
    };
    match written {
        Ok(()) => list.code,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => list.code,
        Err(e) => {
            eprintln!("runnerdeck: cannot write output: {e}");
            list.code.max(EXIT_API)
        }
    }
}

async fn gather(cli: &Cli, list: &mut Checklist) {
    let (mut services, warnings) = match setup::services(cli).await {
        Ok(s) => s,
        Err(e) => {
            let check = match &e {
                SetupError::Context(_) => "context",
                SetupError::Simulator(_) => "demo",
                _ => "config",
            };
            list.fail(check, e.to_string(), setup_failed(&e).exit_code());
            return;
        }
    };
    let origin = match &services.config {
        Some(c) => c.origin.to_string(),
        None => "--demo: the embedded simulator, no config file".into(),
    };
    list.push(Status::Ok, "config", origin);
    for w in warnings {
        list.push(Status::Warn, "config", w);
    }
    // Waits are said on stderr, so the checklist on stdout stays clean.
    say_retries(&services);
    match &services.gitlab {
        Ok(gl) => {
            let credential = &services.context.credential;
            list.push(
                Status::Ok,
                "gitlab token",
                format!("resolved from {credential}"),
            );
            doctor_gitlab::checks(gl, list).await;
        }
        Err(e) => service_failed("gitlab", e, list),
    }
    write_scope(&services, list);
    doctor_net::vehaas(&services, list).await;
    notices(&mut services, list);
    doctor_net::tls(&services, cli, list);
    doctor_net::proxy(list);
}

/// A service that could not be set up: its token (or its address) fails, the rest goes on.
pub(super) fn service_failed(service: &str, e: &SetupError, list: &mut Checklist) {
    let check = match e {
        SetupError::Config(ConfigError::Token { .. }) => format!("{service} token"),
        _ => service.to_string(),
    };
    let message = match e {
        SetupError::Config(ConfigError::Token { message, .. }) => message.clone(),
        other => other.to_string(),
    };
    list.fail(&check, message, setup_failed(e).exit_code());
}

/// Whether the token may write cannot be known without writing: not checked.
fn write_scope(services: &Services, list: &mut Checklist) {
    let mut detail =
        "not checked: only a change would tell, and doctor changes nothing (changes need the api scope)"
            .to_string();
    if services.context.read_only {
        detail.push_str("; read-only mode is on");
    }
    list.push(Status::Info, "write scope", detail);
}

/// Deprecation notices the servers sent during the checks, once each, with their sunset.
fn notices(services: &mut Services, list: &mut Checklist) {
    let mut seen = Vec::new();
    while let Ok(d) = services.notices.try_recv() {
        if seen.contains(&d) {
            continue;
        }
        let check = format!("{} deprecation", d.api.to_lowercase());
        list.push(Status::Warn, &check, deprecation_text(&d));
        seen.push(d);
    }
    if seen.is_empty() {
        list.push(
            Status::Ok,
            "deprecations",
            "no deprecation notice in the answers seen",
        );
    }
}

fn write_json(checks: &[Check], out: &mut impl Write) -> std::io::Result<()> {
    let doc = Value::Array(checks.iter().map(Check::json).collect());
    let text = serde_json::to_string_pretty(&doc).map_err(std::io::Error::other)?;
    writeln!(out, "{text}")?;
    out.flush()
}

fn write_table(checks: &[Check], out: &mut impl Write) -> std::io::Result<()> {
    let sw = checks
        .iter()
        .map(|c| c.status.as_str().len())
        .max()
        .unwrap_or(0);
    let cw = checks
        .iter()
        .map(|c| c.check.chars().count())
        .max()
        .unwrap_or(0);
    for c in checks {
        let line = format!("{:<sw$}  {:<cw$}  {}", c.status.as_str(), c.check, c.detail);
        writeln!(out, "{}", line.trim_end())?;
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_lines_are_aligned_status_check_detail() {
        let checks = vec![
            Check {
                check: "config".into(),
                status: Status::Ok,
                detail: "/etc/x.toml".into(),
            },
            Check {
                check: "runner controllers".into(),
                status: Status::Fail,
                detail: "404".into(),
            },
        ];
        let mut out = Vec::new();
        write_table(&checks, &mut out).expect("write");
        let text = String::from_utf8(out).expect("utf-8");
        assert_eq!(
            text,
            "ok    config              /etc/x.toml\nfail  runner controllers  404\n"
        );
    }

    #[test]
    fn the_first_failure_sets_the_exit_code() {
        let mut list = Checklist::default();
        list.push(Status::Warn, "a", "x");
        assert_eq!(list.code, EXIT_OK);
        list.fail("b", "y", 3);
        list.fail("c", "z", 2);
        assert_eq!(list.code, 3);
    }

    #[test]
    fn multi_line_messages_become_one_line() {
        assert_eq!(
            one_line("no file.\n  Copy it there,\n  or not"),
            "no file. Copy it there, or not"
        );
    }
}
