//! `runnerdeck rc lint`, `rc events [ID]` and `rc list --with health`: the health of admission
//! control for cron and CI. Every controller is read fresh (`GET /runner_controllers/:id`,
//! its scopes, its tokens, then each scoped runner once), at most four requests at a time,
//! and judged by the same linter as the TUI. `rc lint` exits 6 when a finding is a warning.

use std::collections::{BTreeMap, BTreeSet};

use futures::{StreamExt, stream};
use jiff::Timestamp;
use serde_json::{Value, json};

use super::output::{Doc, controller_json};
use super::{CliError, EXIT_API, EXIT_FINDINGS, EXIT_OK, Kind, Outcome};
use crate::api::{ApiError, GitLab};
use crate::cli::RcCommand;
use crate::domain::{ControllerId, ControllerToken, RunnerController, RunnerId, Scopes, TokenId};
use crate::health::events::ServerEvent;
use crate::health::{self, Facts, Finding, Level, RunnerSeen, Thresholds};
use crate::ops::Ops;
use crate::setup::Services;
use crate::ui::words::health as words;

/// Requests on their way at most, as in the TUI.
const IN_FLIGHT: usize = 4;

pub(super) async fn run(services: &Services, ops: &Ops, cmd: RcCommand) -> Outcome {
    let gl = ops.gitlab();
    let t = services.settings.health;
    match cmd {
        RcCommand::List(_) => list(gl, &t).await,
        RcCommand::Lint { .. } => lint(gl, &t).await,
        RcCommand::Events { id, since, .. } => {
            let since = Timestamp::now()
                .checked_sub(since)
                .unwrap_or(Timestamp::UNIX_EPOCH);
            events(ops, id, since).await
        }
        _ => Err(CliError::usage("not a health verb")),
    }
}

/// One controller, read fresh.
struct Read {
    controller: RunnerController,
    scopes: Scopes,
    tokens: Vec<ControllerToken>,
}

async fn read_one(gl: &GitLab, id: ControllerId) -> Result<Read, ApiError> {
    Ok(Read {
        controller: gl.get_controller(id).await?,
        scopes: gl.scopes(id).await?,
        tokens: gl.list_tokens(id).await?,
    })
}

/// Every controller with its health, and the runners they are scoped to.
struct Survey {
    reads: Vec<(RunnerController, Result<Read, ApiError>)>,
    runners: BTreeMap<RunnerId, Result<RunnerSeen, ApiError>>,
}

impl Survey {
    fn errors(&self) -> Vec<String> {
        let controllers = self.reads.iter().filter_map(|(c, r)| {
            r.as_ref()
                .err()
                .map(|e| format!("runner controller {}: {e}", c.id))
        });
        let runners = self
            .runners
            .iter()
            .filter_map(|(id, r)| r.as_ref().err().map(|e| format!("runner {id}: {e}")));
        controllers.chain(runners).collect()
    }

    fn findings(&self, read: &Read, now: Timestamp, t: &Thresholds) -> Vec<Finding> {
        let lookup = |r: RunnerId| self.runners.get(&r).and_then(|x| x.as_ref().ok());
        let facts = Facts {
            controller: &read.controller,
            connected: read.controller.connected,
            scopes: Some(&read.scopes),
            tokens: Some(&read.tokens),
            runner: &lookup,
        };
        health::lint(&facts, now, t)
    }
}

async fn survey(gl: &GitLab) -> Result<Survey, ApiError> {
    let list = gl.list_controllers().await?;
    let reads: Vec<(RunnerController, Result<Read, ApiError>)> = stream::iter(list)
        .map(|c| async move {
            let r = read_one(gl, c.id).await;
            (c, r)
        })
        .buffered(IN_FLIGHT)
        .collect()
        .await;
    let ids: BTreeSet<RunnerId> = reads
        .iter()
        .filter_map(|(_, r)| r.as_ref().ok())
        .flat_map(|r| r.scopes.runners.iter().map(|s| s.runner_id))
        .collect();
    let runners = stream::iter(ids)
        .map(|id| async move { (id, gl.get_runner(id).await) })
        .buffered(IN_FLIGHT)
        .collect()
        .await;
    Ok(Survey { reads, runners })
}

fn finding_json(f: &Finding, c: Option<&RunnerController>) -> Value {
    json!({
        "controller_id": f.controller,
        "description": c.and_then(|c| c.description.clone()),
        "level": f.level.as_str(),
        "rule": f.kind.rule(),
        "text": words::finding(f),
        "fix": words::fix(f),
    })
}

/// The errors on stderr; exit 1 when there were any.
fn report_errors(errors: &[String]) -> bool {
    for e in errors {
        eprintln!("runnerdeck: {e}");
    }
    !errors.is_empty()
}

async fn lint(gl: &GitLab, t: &Thresholds) -> Outcome {
    let s = survey(gl).await.map_err(|e| CliError::api(&e))?;
    let now = Timestamp::now();
    let mut all: Vec<(Finding, &RunnerController)> = Vec::new();
    for (c, r) in &s.reads {
        if let Ok(read) = r {
            all.extend(s.findings(read, now, t).into_iter().map(|f| (f, c)));
        }
    }
    all.sort_by(|a, b| a.0.cmp(&b.0));
    let warnings = all.iter().filter(|(f, _)| f.level == Level::Warn).count();
    let errors = s.errors();
    let json = json!({
        "controllers": s.reads.len(),
        "warnings": warnings,
        "findings": all.iter().map(|(f, c)| finding_json(f, Some(c))).collect::<Vec<_>>(),
        "errors": errors,
    });
    let rows = all
        .iter()
        .map(|(f, c)| {
            vec![
                f.level.as_str().to_string(),
                words_label(c),
                words::finding(f),
                words::fix(f),
            ]
        })
        .collect();
    let summary = if all.is_empty() {
        format!("No findings on {} runner controllers.", s.reads.len())
    } else {
        format!(
            "{} findings ({warnings} warnings) on {} runner controllers.",
            all.len(),
            s.reads.len()
        )
    };
    let header: &[&str] = if all.is_empty() {
        &[]
    } else {
        &["LEVEL", "CONTROLLER", "FINDING", "FIX"]
    };
    let code = match (report_errors(&errors), warnings) {
        (true, _) => EXIT_API,
        (false, 0) => EXIT_OK,
        (false, _) => EXIT_FINDINGS,
    };
    Ok(Doc::new(json, header, rows).note(summary).exit_with(code))
}

fn words_label(c: &RunnerController) -> String {
    crate::ui::words::label(c)
}

async fn list(gl: &GitLab, t: &Thresholds) -> Outcome {
    let s = survey(gl).await.map_err(|e| CliError::api(&e))?;
    let now = Timestamp::now();
    let mut json = Vec::new();
    let mut rows = Vec::new();
    for (listed, r) in &s.reads {
        let read = r.as_ref().ok();
        let c = read.map_or(listed, |r| &r.controller);
        let findings = read.map(|r| s.findings(r, now, t)).unwrap_or_default();
        let mut v = controller_json(c);
        if let Value::Object(map) = &mut v {
            map.insert("scope".into(), scope_json(read.map(|r| &r.scopes)));
            map.insert("tokens".into(), tokens_json(read.map(|r| &r.tokens[..])));
            let f: Vec<Value> = findings.iter().map(|f| finding_json(f, Some(c))).collect();
            map.insert("findings".into(), Value::Array(f));
        }
        json.push(v);
        rows.push(vec![
            c.id.to_string(),
            c.state.to_string(),
            read.map_or("?".into(), |r| words::scope(&r.scopes)),
            words::connected(c.connected).to_string(),
            read.map_or("?".into(), |r| words::tokens(&r.tokens, now)),
            findings.len().to_string(),
            c.description.clone().unwrap_or_default(),
        ]);
    }
    const HEADER: &[&str] = &[
        "ID",
        "STATE",
        "SCOPE",
        "CONNECTED",
        "TOKENS",
        "FINDINGS",
        "DESCRIPTION",
    ];
    let code = if report_errors(&s.errors()) {
        EXIT_API
    } else {
        EXIT_OK
    };
    Ok(Doc::new(Value::Array(json), HEADER, rows).exit_with(code))
}

fn scope_json(s: Option<&Scopes>) -> Value {
    match s {
        None => Value::Null,
        Some(s) => {
            let kind = match (s.instance.is_some(), s.runners.is_empty()) {
                (true, _) => "instance",
                (false, true) => "none",
                (false, false) => "runners",
            };
            let runners: Vec<RunnerId> = s.runners.iter().map(|r| r.runner_id).collect();
            json!({"kind": kind, "runners": runners})
        }
    }
}

fn tokens_json(t: Option<&[ControllerToken]>) -> Value {
    match t {
        None => Value::Null,
        Some(t) => json!({
            "active": t.len(),
            "last_used_at": t.iter().filter_map(|t| t.last_used_at.as_ref()).max().map(|u| u.to_string()),
        }),
    }
}

fn event_json(e: &ServerEvent, controller: Option<ControllerId>) -> Value {
    let (from, to) = match &e.action {
        crate::health::events::Action::Updated {
            state: Some((a, b)),
        } => (Some(a.as_str().to_string()), Some(b.as_str().to_string())),
        _ => (None, None),
    };
    json!({
        "id": e.id,
        "created_at": e.at.as_ref().map(|t| t.to_string()),
        "author": e.author,
        "author_id": e.author_id,
        "event_name": e.action.event_name(),
        "controller_id": controller,
        "target_type": e.target_type,
        "target_id": e.target_id,
        "message": e.message,
        "state_from": from,
        "state_to": to,
    })
}

async fn events(ops: &Ops, id: Option<ControllerId>, since: Timestamp) -> Outcome {
    let gl = ops.gitlab();
    let now = Timestamp::now();
    let events = match gl.runner_controller_events(since, now).await {
        Ok(e) => e,
        Err(
            e @ (ApiError::NotLicensed | ApiError::NotFound { .. } | ApiError::Forbidden { .. }),
        ) => {
            return local_events(ops, id, &e);
        }
        Err(e) => return Err(CliError::api(&e)),
    };
    // Token events name the token: tie them to a controller whose tokens are known.
    let mut owners: BTreeMap<TokenId, ControllerId> = BTreeMap::new();
    if let Some(id) = id {
        match gl.list_tokens(id).await {
            Ok(tokens) => owners.extend(tokens.iter().map(|t| (t.id, id))),
            Err(e) => return Err(CliError::api(&e)),
        }
    }
    let owner = |t: TokenId| owners.get(&t).copied();
    let shown: Vec<(&ServerEvent, Option<ControllerId>)> = events
        .iter()
        .map(|e| (e, e.controller(owner)))
        .filter(|(_, c)| id.is_none() || *c == id)
        .collect();
    let json = json!({
        "source": "gitlab",
        "events": shown.iter().map(|(e, c)| event_json(e, *c)).collect::<Vec<_>>(),
    });
    let rows = shown
        .iter()
        .map(|(e, c)| {
            vec![
                e.at.as_ref().map(|t| t.to_string()).unwrap_or_default(),
                words::author(e),
                c.map(|c| c.to_string()).unwrap_or_else(|| "-".into()),
                words::action(&e.action),
                e.message.clone().unwrap_or_default(),
            ]
        })
        .collect();
    const HEADER: &[&str] = &["TIME", "AUTHOR", "CONTROLLER", "WHAT", "MESSAGE"];
    Ok(Doc::new(json, HEADER, rows))
}

/// The server cannot tell: why, in one line on stderr, and this machine's audit log.
fn local_events(ops: &Ops, id: Option<ControllerId>, why: &ApiError) -> Outcome {
    let reason = match why {
        ApiError::Forbidden { .. } => crate::state::Unavailable::Forbidden,
        _ => crate::state::Unavailable::Unlicensed,
    };
    let reason = words::unavailable(reason, None);
    eprintln!("runnerdeck: {reason}: showing this machine's audit log instead");
    let entries = match ops.auditor().log().map(|l| l.read_newest_first(10_000)) {
        Some(Ok(e)) => e,
        Some(Err(e)) => {
            return Err(CliError::new(
                Kind::Config,
                format!("cannot read the audit log: {e}"),
            ));
        }
        None => Vec::new(),
    };
    let prefix = id.map(|id| format!("/api/v4/runner_controllers/{id}"));
    let mine: Vec<_> = entries
        .into_iter()
        .filter(|e| {
            prefix
                .as_ref()
                .is_none_or(|p| e.path == *p || e.path.starts_with(&format!("{p}/")))
        })
        .collect();
    let json = json!({"source": "local", "unavailable": reason, "entries": mine});
    let rows = mine
        .iter()
        .map(|e| {
            vec![
                e.time.clone(),
                e.user.clone().unwrap_or_default(),
                e.method.clone(),
                e.path.clone(),
                e.status.to_string(),
            ]
        })
        .collect();
    const HEADER: &[&str] = &["TIME", "USER", "METHOD", "PATH", "STATUS"];
    Ok(Doc::new(json, HEADER, rows))
}
