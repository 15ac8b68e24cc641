//! `runnerdeck rc ...`: runner controllers, their tokens and scopes, mirroring
//! `glab runner-controller`. Reads go to the client; changes go through `ops`.

use secrecy::ExposeSecret;
use serde_json::{Value, json};

use super::confirm::allow;
use super::output::{
    CONTROLLER_HEADER, Doc, SCOPE_HEADER, TOKEN_HEADER, controller_json, controller_row,
    scope_rows, scopes_json, token_json, token_row,
};
use super::{fail, op_failed, usage, writable};
use crate::api::GitLab;
use crate::cli::{Output, RcCommand, ScopeCommand, ScopeTarget, TokenCommand, YesArg};
use crate::domain::{
    ControllerId, ControllerState, ControllerUpdate, NewToken, RunnerController, Scopes,
};
use crate::ops::{Change, Done, Ops, ScopeChange};
use crate::setup::Setup;

pub(super) async fn run(setup: &Setup, ops: &Ops, cmd: RcCommand) -> u8 {
    let gl = ops.gitlab();
    match cmd {
        RcCommand::List { out } => list(gl, out.output).await,
        RcCommand::Get { id, out } => match gl.get_controller(id).await {
            Ok(c) => controller_doc(&c).emit(out.output),
            Err(e) => fail(&e),
        },
        RcCommand::Create {
            description,
            state,
            out,
        } => {
            let change = Change::CreateController {
                description,
                state: state.map_or(ControllerState::Disabled, Into::into),
            };
            change_and_print(setup, ops, change, YesArg::default(), out.output).await
        }
        RcCommand::Update {
            id,
            description,
            clear_description,
            state,
            yes,
            out,
        } => {
            let update = ControllerUpdate {
                description: if clear_description {
                    Some(None)
                } else {
                    description.map(Some)
                },
                state: state.map(Into::into),
            };
            let change = Change::UpdateController {
                id,
                update,
                based_on: None,
            };
            change_and_print(setup, ops, change, yes, out.output).await
        }
        RcCommand::Delete { id, yes, out } => {
            let change = Change::DeleteController { id, based_on: None };
            change_and_print(setup, ops, change, yes, out.output).await
        }
        RcCommand::Token(cmd) => token(setup, ops, cmd).await,
        RcCommand::Scope(cmd) => scope(setup, ops, cmd).await,
    }
}

/// What a change does, for the question (or the `--yes` it needs).
fn what(change: &Change) -> String {
    match change {
        Change::CreateController { .. } => {
            "creating a runner controller already enabled enforces its decisions as soon as it has a scope".into()
        }
        Change::UpdateController { id, update, .. } => match &update.state {
            Some(ControllerState::Enabled) => format!(
                "enabling runner controller {id} enforces its admit/reject decisions on the jobs it sees"
            ),
            _ => format!("this turns enforcement off for runner controller {id}"),
        },
        Change::DeleteController { id, .. } => format!(
            "deleting runner controller {id} also deletes its tokens and scopes and cannot be undone"
        ),
        Change::RotateToken { token, .. } => {
            format!("rotating token {token} stops the old secret at once")
        }
        Change::RevokeToken { id, token } => {
            format!("revoking token {token} of runner controller {id} cannot be undone")
        }
        Change::Scope { id, change } => match change {
            ScopeChange::AddInstance => format!(
                "runner controller {id} is enabled (or its state unknown): the instance scope makes it judge every job on the instance"
            ),
            ScopeChange::AddRunner(r) => format!(
                "runner controller {id} is enabled: scoping runner {r} enforces its decisions on that runner's jobs"
            ),
            ScopeChange::RemoveInstance => format!(
                "removing the instance scope of runner controller {id} stops it judging the instance's jobs"
            ),
            ScopeChange::RemoveRunner(r) => format!(
                "unscoping runner {r} from runner controller {id} stops it judging that runner's jobs"
            ),
        },
        other => crate::ui::words::sending(other),
    }
}

/// Asks (or checks `--yes`), makes the change, prints what came back.
async fn change_and_print(
    setup: &Setup,
    ops: &Ops,
    change: Change,
    yes: YesArg,
    output: Output,
) -> u8 {
    if let Err(code) = writable(setup) {
        return code;
    }
    if let Err(code) = allow(ops, &change, yes.yes, &what(&change)).await {
        return code;
    }
    match ops.run(change).await {
        Ok(done) => print_done(done, output),
        Err(e) => op_failed(&e),
    }
}

fn print_done(done: Done, output: Output) -> u8 {
    match done {
        Done::Created(c) | Done::Updated { after: c, .. } => controller_doc(&c).emit(output),
        Done::Unchanged(c) => controller_doc(&c)
            .note(format!(
                "Runner controller {} already is as asked: nothing was sent.",
                c.id
            ))
            .emit(output),
        Done::Deleted { before } => Doc::message(
            json!({"deleted": true, "id": before.id}),
            format!("Deleted runner controller {}.", before.id),
        )
        .emit(output),
        Done::TokenIssued { token, .. } => new_token_doc(&token).emit(output),
        Done::TokenRevoked => {
            Doc::message(json!({"revoked": true}), "Revoked.".into()).emit(output)
        }
        Done::ScopeChanged { after: Some(s), .. } => scopes_doc(&s).emit(output),
        Done::ScopeChanged { after: None, .. } => Doc::message(
            json!({"changed": true}),
            "Changed the scope (reading the scopes back failed).".into(),
        )
        .emit(output),
        Done::RunnerRequested(_) | Done::Extended { .. } | Done::Released { .. } => super::EXIT_OK,
    }
}

fn controller_doc(c: &RunnerController) -> Doc<'static> {
    Doc::new(
        controller_json(c),
        &CONTROLLER_HEADER,
        vec![controller_row(c)],
    )
}

async fn list(gl: &GitLab, output: Output) -> u8 {
    match gl.list_controllers().await {
        // Written as it is made: 10,000 rows as one JSON tree would cost 11 MB.
        Ok(list) if output == Output::Json => {
            super::output::emit_json_seq(list.iter().map(controller_json))
        }
        Ok(list) => {
            let rows = list
                .iter()
                .map(|c| {
                    vec![
                        c.id.to_string(),
                        c.state.to_string(),
                        c.description.clone().unwrap_or_default(),
                        c.updated_at
                            .as_ref()
                            .map(|t| t.to_string())
                            .unwrap_or_default(),
                    ]
                })
                .collect();
            Doc::new(
                Value::Null,
                &["ID", "STATE", "DESCRIPTION", "UPDATED"],
                rows,
            )
            .emit(output)
        }
        Err(e) => fail(&e),
    }
}

/// Token create/rotate: the token without its secret, then the secret, once.
fn new_token_doc(t: &NewToken) -> Doc<'static> {
    let secret = t.secret.expose_secret();
    let mut json = token_json(&t.token);
    if let Value::Object(map) = &mut json {
        map.insert("token".into(), Value::from(secret));
    }
    Doc::new(json, &TOKEN_HEADER, vec![token_row(&t.token)]).note(format!(
        "Token secret (shown once, it cannot be shown again): {secret}"
    ))
}

async fn token(setup: &Setup, ops: &Ops, cmd: TokenCommand) -> u8 {
    let (change, yes, output) = match cmd {
        TokenCommand::List { id, out } => {
            return match ops.gitlab().list_tokens(id).await {
                Ok(list) => Doc::new(
                    Value::Array(list.iter().map(token_json).collect()),
                    &TOKEN_HEADER,
                    list.iter().map(token_row).collect(),
                )
                .emit(out.output),
                Err(e) => fail(&e),
            };
        }
        TokenCommand::Create {
            id,
            description,
            out,
        } => (
            Change::CreateToken { id, description },
            YesArg::default(),
            out.output,
        ),
        TokenCommand::Rotate {
            id,
            token_id,
            yes,
            out,
        } => (
            Change::RotateToken {
                id,
                token: token_id,
            },
            yes,
            out.output,
        ),
        TokenCommand::Revoke {
            id,
            token_id,
            yes,
            out,
        } => {
            let change = Change::RevokeToken {
                id,
                token: token_id,
            };
            if let Err(code) = writable(setup) {
                return code;
            }
            if let Err(code) = allow(ops, &change, yes.yes, &what(&change)).await {
                return code;
            }
            return match ops.run(change).await {
                Ok(_) => Doc::message(
                    json!({"revoked": true, "id": token_id, "runner_controller_id": id}),
                    format!("Revoked token {token_id} of runner controller {id}."),
                )
                .emit(out.output),
                Err(e) => op_failed(&e),
            };
        }
    };
    change_and_print(setup, ops, change, yes, output).await
}

fn scopes_doc(s: &Scopes) -> Doc<'static> {
    Doc::new(scopes_json(s), &SCOPE_HEADER, scope_rows(s))
}

fn scope_change(id: ControllerId, target: ScopeTarget, add: bool) -> Result<Change, u8> {
    let change = match (target.runner, target.instance, add) {
        (Some(r), _, true) => ScopeChange::AddRunner(r),
        (Some(r), _, false) => ScopeChange::RemoveRunner(r),
        (None, true, true) => ScopeChange::AddInstance,
        (None, true, false) => ScopeChange::RemoveInstance,
        (None, false, _) => return Err(usage("pass --instance or --runner RUNNER_ID")),
    };
    Ok(Change::Scope { id, change })
}

async fn scope(setup: &Setup, ops: &Ops, cmd: ScopeCommand) -> u8 {
    let (id, target, add, yes, output) = match cmd {
        ScopeCommand::List { id, out } => {
            return match ops.gitlab().scopes(id).await {
                Ok(s) => scopes_doc(&s).emit(out.output),
                Err(e) => fail(&e),
            };
        }
        ScopeCommand::Add {
            id,
            target,
            yes,
            out,
        } => (id, target, true, yes, out.output),
        ScopeCommand::Remove {
            id,
            target,
            yes,
            out,
        } => (id, target, false, yes, out.output),
    };
    match scope_change(id, target, add) {
        Ok(change) => change_and_print(setup, ops, change, yes, output).await,
        Err(code) => code,
    }
}
