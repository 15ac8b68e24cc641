//! `runnerdeck doctor`: the checklist an administrator runs when something is off. One line per
//! check (`ok|info|warn|fail  CHECK  DETAIL`) or one JSON array of `{check, status, detail}`.
//! Reads only: it never changes anything, and never prints a token (not even its length).
//!
//! Exit codes: 0 no check failed, 1 a check failed, 2 the config (or a token source) is broken,
//! in which case the checks that need it are not run.

use std::io::Write;

use serde_json::{Value, json};

use super::{EXIT_API, EXIT_OK, EXIT_USAGE, deprecation_text};
use crate::api::{ApiError, Insecurity, RetryObserver, TlsOptions};
use crate::cli::{Cli, Output};
use crate::config::{self, ConfigError};
use crate::setup::{self, Setup, SetupError};

/// The proxy variables reqwest honours; only their names are ever shown (values may hold
/// credentials).
pub const PROXY_VARS: &[&str] = &[
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
];

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

#[derive(Default)]
struct Checklist {
    checks: Vec<Check>,
}

impl Checklist {
    fn push(&mut self, status: Status, check: &str, detail: impl Into<String>) {
        self.checks.push(Check {
            check: check.to_string(),
            status,
            detail: one_line(&detail.into()),
        });
    }

    fn failed(&self) -> bool {
        self.checks.iter().any(|c| c.status == Status::Fail)
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
    let code = gather(cli, &mut list).await;
    let written = match output {
        Output::Json => write_json(&list.checks, &mut std::io::stdout().lock()),
        Output::Table => write_table(&list.checks, &mut std::io::stdout().lock()),
    };
    match written {
        Ok(()) => code,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => code,
        Err(e) => {
            eprintln!("runnerdeck: cannot write output: {e}");
            code.max(EXIT_API)
        }
    }
}

/// Where the veHaaS token comes from, when the config says (`None` without veHaaS), and the
/// TLS settings of the context's services (empty for `--demo`).
struct Sources {
    vehaas: Option<String>,
    gitlab_tls: TlsOptions,
    vehaas_tls: TlsOptions,
}

async fn gather(cli: &Cli, list: &mut Checklist) -> u8 {
    let sources = match check_config(cli, list) {
        Some(s) => s,
        None => return EXIT_USAGE,
    };
    let (mut setup, _warnings) = match setup::setup(cli).await {
        Ok(s) => s,
        Err(e) => {
            setup_failed(&e, list);
            return EXIT_USAGE;
        }
    };
    // Waits are said on stderr, so the checklist on stdout stays clean.
    let say: RetryObserver = std::sync::Arc::new(|n| eprintln!("runnerdeck: {}: {n}", n.endpoint));
    setup.gitlab.set_retry_observer(say.clone());
    if let Some(v) = &setup.vehaas {
        v.set_retry_observer(say);
    }
    list.push(
        Status::Ok,
        "gitlab token",
        format!("resolved from {}", setup.context.credential),
    );
    let user_answered = check_user(&setup, list).await;
    if user_answered {
        check_controllers(&setup, list).await;
    } else {
        list.push(
            Status::Info,
            "runner controllers",
            "not checked: GitLab did not answer GET /user",
        );
    }
    check_write_scope(&setup, list);
    check_vehaas(&setup, sources.vehaas.as_deref(), list).await;
    check_notices(&mut setup, list);
    let gitlab = (setup.gitlab.base_url(), setup.gitlab.insecurity());
    check_tls("gitlab tls", gitlab, &sources.gitlab_tls, list);
    if let Some(v) = &setup.vehaas {
        let vehaas = (v.base_url(), v.insecurity());
        check_tls("vehaas tls", vehaas, &sources.vehaas_tls, list);
    }
    check_proxy(list);
    if list.failed() { EXIT_API } else { EXIT_OK }
}

/// Check 1: Which config is used and its warnings; `None` (after a fail line) when it is unusable.
fn check_config(cli: &Cli, list: &mut Checklist) -> Option<Sources> {
    if cli.demo {
        list.push(
            Status::Ok,
            "config",
            "--demo: the embedded simulator, no config file",
        );
        return Some(Sources {
            vehaas: Some("simulator".into()),
            gitlab_tls: TlsOptions::default(),
            vehaas_tls: TlsOptions::default(),
        });
    }
    let loaded = config::locate(cli.config.as_deref()).and_then(|p| {
        let (cfg, warnings) = config::load(&p)?;
        Ok((p, cfg, warnings))
    });
    match loaded {
        Ok((path, cfg, warnings)) => {
            list.push(Status::Ok, "config", path.display().to_string());
            for w in warnings {
                list.push(Status::Warn, "config", w);
            }
            // An unknown context fails in set-up, with its own line.
            let ctx = cfg.context(cli.context.as_deref()).ok();
            let vehaas = ctx.as_ref().and_then(|c| c.vehaas.as_ref());
            Some(Sources {
                vehaas: cfg.vehaas.as_ref().map(|v| v.token.label()),
                gitlab_tls: ctx
                    .as_ref()
                    .map(|c| c.gitlab.tls.clone())
                    .unwrap_or_default(),
                vehaas_tls: vehaas.map(|v| v.tls.clone()).unwrap_or_default(),
            })
        }
        Err(e) => {
            list.push(Status::Fail, "config", e.to_string());
            None
        }
    }
}

/// Check 2: A token that cannot be read (or a client that cannot be built) ends the checks.
fn setup_failed(e: &SetupError, list: &mut Checklist) {
    match e {
        SetupError::Config(ConfigError::Token { service, message }) => {
            if *service != "GitLab" {
                // GitLab's token is resolved first: it was fine.
                list.push(Status::Ok, "gitlab token", "resolved");
            }
            let check = format!("{} token", service.to_lowercase());
            list.push(Status::Fail, &check, message.clone());
        }
        SetupError::Config(e) => list.push(Status::Fail, "config", e.to_string()),
        SetupError::Context(m) => list.push(Status::Fail, "context", m.clone()),
        SetupError::Client(e) => list.push(Status::Fail, "config", e.to_string()),
        SetupError::Simulator(_) => list.push(Status::Fail, "demo", e.to_string()),
    }
}

/// Check 3: `GET /user`: reachable, who, and whether an administrator. False when GitLab gave no
/// usable answer (the controllers check would only repeat the failure).
async fn check_user(setup: &Setup, list: &mut Checklist) -> bool {
    let url = setup.gitlab.base_url();
    match setup.gitlab.current_user().await {
        Ok(u) => {
            let who = if u.username.is_empty() {
                format!("user {}", u.id)
            } else {
                u.username.clone()
            };
            match u.is_admin {
                Some(true) => list.push(
                    Status::Ok,
                    "gitlab user",
                    format!("{url}: signed in as {who} (administrator)"),
                ),
                Some(false) => list.push(
                    Status::Fail,
                    "gitlab user",
                    format!(
                        "{url}: signed in as {who}, not an administrator: runner controllers need an administrator"
                    ),
                ),
                // GitLab shows `is_admin` to administrators only.
                None => list.push(
                    Status::Warn,
                    "gitlab user",
                    format!(
                        "{url}: signed in as {who}, GitLab did not say is_admin (it only tells administrators): runner controllers need an administrator"
                    ),
                ),
            }
            true
        }
        Err(e) => {
            list.push(Status::Fail, "gitlab user", format!("{url}: {e}"));
            false
        }
    }
}

/// Check 4: The runner controllers list (every page; its length is the count).
async fn check_controllers(setup: &Setup, list: &mut Checklist) {
    const CHECK: &str = "runner controllers";
    match setup.gitlab.list_controllers().await {
        Ok(cs) => {
            let n = cs.len();
            let s = if n == 1 { "" } else { "s" };
            list.push(Status::Ok, CHECK, format!("API available, {n} controller{s}"));
        }
        Err(ApiError::NotLicensed) => list.push(
            Status::Fail,
            CHECK,
            "404: needs GitLab Ultimate 18.9+ and an administrator",
        ),
        Err(ApiError::Forbidden { message }) if !message.starts_with("insufficient_scope") => list
            .push(
                Status::Fail,
                CHECK,
                "403 Forbidden: needs an administrator's token; with Admin Mode on, the token also needs the admin_mode scope",
            ),
        Err(e) => list.push(Status::Fail, CHECK, e.to_string()),
    }
}

/// Check 5: Whether the token may write cannot be known without writing: not checked.
fn check_write_scope(setup: &Setup, list: &mut Checklist) {
    let mut detail =
        "not checked: only a change would tell, and doctor changes nothing (changes need the api scope)"
            .to_string();
    if setup.context.read_only {
        detail.push_str("; read-only mode is on");
    }
    list.push(Status::Info, "write scope", detail);
}

/// Check 6: veHaaS: the token source, reachable, how many sessions.
async fn check_vehaas(setup: &Setup, source: Option<&str>, list: &mut Checklist) {
    let Some(vehaas) = &setup.vehaas else {
        list.push(
            Status::Info,
            "vehaas",
            "not configured (no [vehaas] in the config)",
        );
        return;
    };
    list.push(
        Status::Ok,
        "vehaas token",
        format!("resolved from {}", source.unwrap_or("the config")),
    );
    let url = vehaas.base_url();
    match vehaas.list_sessions().await {
        Ok(sessions) => {
            let now = jiff::Timestamp::now();
            let current = sessions.iter().filter(|s| s.is_current(now)).count();
            list.push(
                Status::Ok,
                "vehaas",
                format!(
                    "{url}: {} sessions listed, {current} active or scheduled",
                    sessions.len()
                ),
            );
        }
        Err(e) => list.push(Status::Fail, "vehaas", format!("{url}: {e}")),
    }
}

/// Deprecation notices the servers sent during the checks, once each, with their sunset.
fn check_notices(setup: &mut Setup, list: &mut Checklist) {
    let mut seen = Vec::new();
    while let Ok(d) = setup.notices.try_recv() {
        if seen.contains(&d) {
            continue;
        }
        let check = format!("{} deprecation", d.api.to_lowercase());
        list.push(Status::Warn, &check, deprecation_text(&d));
        seen.push(d);
    }
}

/// Check 7: How the token travels: a warning for each escape hatch, else the CA in use.
fn check_tls(
    check: &str,
    (url, insecurity): (&str, Option<Insecurity>),
    tls: &TlsOptions,
    list: &mut Checklist,
) {
    let table = tls
        .table
        .as_deref()
        .unwrap_or(check.trim_end_matches(" tls"));
    match insecurity {
        Some(Insecurity::PlainHttp) => list.push(
            Status::Warn,
            check,
            format!(
                "INSECURE: {url} is plain HTTP, the token travels unencrypted (allow_insecure_http = true in [{table}]): use https://"
            ),
        ),
        Some(Insecurity::SkipVerify) => list.push(
            Status::Warn,
            check,
            format!(
                "INSECURE: certificates are not verified, anyone on the way can read the token (insecure_skip_verify = true in [{table}]): set ca_cert instead"
            ),
        ),
        None if url.starts_with("http://") => list.push(
            Status::Info,
            check,
            format!("{url}: plain HTTP to this machine; the token does not leave it"),
        ),
        None => {
            let ca = match &tls.ca_cert {
                Some(p) => format!("CA: ca_cert {} and the system roots", p.display()),
                None => "CA: the system roots".to_string(),
            };
            let client = tls
                .client_cert
                .as_ref()
                .map(|c| format!("; client certificate {}", c.display()))
                .unwrap_or_default();
            list.push(Status::Ok, check, format!("{ca}{client}"));
        }
    }
}

/// Check 8: Which proxy variables are set (names only).
fn check_proxy(list: &mut Checklist) {
    let set: Vec<&str> = PROXY_VARS
        .iter()
        .copied()
        .filter(|v| std::env::var_os(v).is_some_and(|x| !x.is_empty()))
        .collect();
    let detail = if set.is_empty() {
        "no proxy variables set (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY)".to_string()
    } else {
        format!(
            "set: {}; honoured, except for loopback addresses, which never use a proxy",
            set.join(", ")
        )
    };
    list.push(Status::Info, "proxy", detail);
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
    fn multi_line_messages_become_one_line() {
        assert_eq!(
            one_line("no file.\n  Copy it there,\n  or not"),
            "no file. Copy it there, or not"
        );
    }
}
