//! `runnerdeck rc scope list|add|remove` (glab: `create|delete`): the instance scope, or runner
//! scopes, several in one call (`--runner 1,2,3`): one change each, in order, stopping at the
//! first failure and saying which were done.

use serde_json::{Value, json};

use super::change::{Applied, apply, plan_doc};
use super::output::{Doc, SCOPE_HEADER, scope_rows, scopes_json};
use super::rc::what;
use super::{CliError, Outcome};
use crate::cli::{ChangeArgs, ScopeCommand, ScopeTarget};
use crate::domain::{ControllerId, RunnerId, Scopes};
use crate::ops::{Change, Done, Ops, PlannedRequest, ScopeChange};
use crate::setup::Services;

fn scopes_doc(s: &Scopes) -> Doc<'static> {
    Doc::new(scopes_json(s), &SCOPE_HEADER, scope_rows(s))
}

/// The scopes after a change, as read back (`None`: the read failed).
pub(super) fn after_doc(after: Option<&Scopes>) -> Doc<'static> {
    match after {
        Some(s) => scopes_doc(s),
        None => Doc::message(
            json!({"changed": true}),
            "Changed the scope (reading the scopes back failed).".into(),
        ),
    }
}

/// The changes a target asks for, in order.
fn changes(target: &ScopeTarget, add: bool) -> Result<Vec<ScopeChange>, CliError> {
    if target.instance {
        return Ok(vec![if add {
            ScopeChange::AddInstance
        } else {
            ScopeChange::RemoveInstance
        }]);
    }
    if target.runner.is_empty() {
        return Err(CliError::usage("pass --instance or --runner RUNNER_ID"));
    }
    Ok(target
        .runner
        .iter()
        .map(|r| {
            if add {
                ScopeChange::AddRunner(*r)
            } else {
                ScopeChange::RemoveRunner(*r)
            }
        })
        .collect())
}

fn runner_of(c: ScopeChange) -> Option<RunnerId> {
    match c {
        ScopeChange::AddRunner(r) | ScopeChange::RemoveRunner(r) => Some(r),
        ScopeChange::AddInstance | ScopeChange::RemoveInstance => None,
    }
}

fn list(ids: &[RunnerId]) -> String {
    if ids.is_empty() {
        return "none".into();
    }
    ids.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) async fn scope(services: &Services, ops: &Ops, cmd: ScopeCommand) -> Outcome {
    let (id, target, change, add) = match cmd {
        ScopeCommand::List { id, .. } => return Ok(scopes_doc(&ops.gitlab().scopes(id).await?)),
        ScopeCommand::Add {
            id, target, change, ..
        } => (id, target, change, true),
        ScopeCommand::Remove {
            id, target, change, ..
        } => (id, target, change, false),
    };
    let steps = changes(&target, add)?;
    let mut planned: Vec<PlannedRequest> = Vec::new();
    let mut after: Option<Scopes> = None;
    let mut done: Vec<RunnerId> = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        match one(services, ops, id, *step, change).await {
            Ok(Applied::Planned(p)) => planned.extend(p),
            Ok(Applied::Done(d)) => {
                if let Done::ScopeChanged { after: a, .. } = *d {
                    after = a;
                }
            }
            Err(e) if steps.len() > 1 => return Err(partial(e, &done, &steps[i..])),
            Err(e) => return Err(e),
        }
        done.extend(runner_of(*step));
    }
    if change.dry.dry_run {
        return Ok(plan_doc(&planned));
    }
    Ok(after_doc(after.as_ref()))
}

async fn one(
    services: &Services,
    ops: &Ops,
    id: ControllerId,
    change: ScopeChange,
    args: ChangeArgs,
) -> Result<Applied, CliError> {
    let c = Change::Scope { id, change };
    let question = what(&c);
    apply(services, ops, c, args, &question).await
}

/// A failure in the middle of several runners: which one, which were done, which not tried.
fn partial(e: CliError, done: &[RunnerId], left: &[ScopeChange]) -> CliError {
    let failed = left.first().copied().and_then(runner_of);
    let untried: Vec<RunnerId> = left.iter().skip(1).copied().filter_map(runner_of).collect();
    let message = format!(
        "runner {}: {}; done before it: {}; not tried: {}",
        failed.map(|r| r.to_string()).unwrap_or_default(),
        e.message,
        list(done),
        list(&untried)
    );
    let done = Value::Array(done.iter().map(|r| json!(r)).collect());
    CliError { message, ..e }.with_done(done)
}
