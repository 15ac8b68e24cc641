//! `runnerdeck rc ...`: runner controllers and their tokens, mirroring `glab runner-controller`.
//! Reads go to the client; changes go through `change::apply` (and so `ops`). The list is in
//! `rc_list.rs`, scopes in `rc_scope.rs`.

use secrecy::ExposeSecret;
use serde_json::{Value, json};

use super::change::{Applied, apply, plan_doc};
use super::output::{
    CONTROLLER_HEADER, Doc, TOKEN_HEADER, controller_json, controller_row, token_json, token_row,
};
use super::{Outcome, rc_list, rc_scope};
use crate::cli::{ChangeArgs, RcCommand, TokenCommand};
use crate::domain::{ControllerState, ControllerUpdate, NewToken, RunnerController};
use crate::ops::{Change, Done, Ops, ScopeChange};
use crate::setup::Services;

pub(super) async fn run(services: &Services, ops: &Ops, cmd: RcCommand) -> Outcome {
    let gl = ops.gitlab();
    match cmd {
        RcCommand::List(args) => rc_list::list(gl, &args).await,
        RcCommand::Get { id, .. } => Ok(controller_doc(&gl.get_controller(id).await?)),
        RcCommand::Create {
            description,
            state,
            change,
            ..
        } => {
            let c = Change::CreateController {
                description,
                state: state.map_or(ControllerState::Disabled, Into::into),
            };
            change_doc(services, ops, c, change).await
        }
        RcCommand::Update {
            id,
            description,
            clear_description,
            state,
            change,
            ..
        } => {
            let update = ControllerUpdate {
                description: if clear_description {
                    Some(None)
                } else {
                    description.map(Some)
                },
                state: state.map(Into::into),
            };
            let c = Change::UpdateController {
                id,
                update,
                based_on: None,
            };
            change_doc(services, ops, c, change).await
        }
        RcCommand::Delete { id, change, .. } => {
            let c = Change::DeleteController { id, based_on: None };
            change_doc(services, ops, c, change).await
        }
        RcCommand::Token(cmd) => token(services, ops, cmd).await,
        RcCommand::Scope(cmd) => rc_scope::scope(services, ops, cmd).await,
    }
}

/// What a change does, for the question (or the `--yes` it needs).
pub(super) fn what(change: &Change) -> String {
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

/// Plans or makes one change; what came back as a document.
async fn change_doc(services: &Services, ops: &Ops, change: Change, args: ChangeArgs) -> Outcome {
    let asked = change.clone();
    match apply(services, ops, change, args, &what(&asked)).await? {
        Applied::Planned(plan) => Ok(plan_doc(&plan)),
        Applied::Done(done) => Ok(done_doc(*done, &asked)),
    }
}

fn done_doc(done: Done, asked: &Change) -> Doc<'static> {
    match done {
        Done::Created(c) | Done::Updated { after: c, .. } => controller_doc(&c),
        Done::Unchanged(c) => controller_doc(&c).note(format!(
            "Runner controller {} already is as asked: nothing was sent.",
            c.id
        )),
        Done::Deleted { before } => Doc::message(
            json!({"deleted": true, "id": before.id}),
            format!("Deleted runner controller {}.", before.id),
        ),
        Done::TokenIssued { token, .. } => new_token_doc(&token),
        Done::TokenRevoked => match asked {
            Change::RevokeToken { id, token } => Doc::message(
                json!({"revoked": true, "id": token, "runner_controller_id": id}),
                format!("Revoked token {token} of runner controller {id}."),
            ),
            _ => Doc::message(json!({"revoked": true}), "Revoked.".into()),
        },
        Done::ScopeChanged { after, .. } => rc_scope::after_doc(after.as_ref()),
        Done::RunnerRequested(_) | Done::Extended { .. } | Done::Released { .. } => {
            Doc::message(json!({"done": true}), "Done.".into())
        }
    }
}

fn controller_doc(c: &RunnerController) -> Doc<'static> {
    Doc::new(
        controller_json(c),
        &CONTROLLER_HEADER,
        vec![controller_row(c)],
    )
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

async fn token(services: &Services, ops: &Ops, cmd: TokenCommand) -> Outcome {
    let (change, args) = match cmd {
        TokenCommand::List { id, .. } => {
            let list = ops.gitlab().list_tokens(id).await?;
            return Ok(Doc::new(
                Value::Array(list.iter().map(token_json).collect()),
                &TOKEN_HEADER,
                list.iter().map(token_row).collect(),
            ));
        }
        TokenCommand::Create {
            id,
            description,
            dry,
            ..
        } => (
            Change::CreateToken { id, description },
            ChangeArgs { yes: false, dry },
        ),
        TokenCommand::Rotate {
            id,
            token_id,
            change,
            ..
        } => (
            Change::RotateToken {
                id,
                token: token_id,
            },
            change,
        ),
        TokenCommand::Revoke {
            id,
            token_id,
            change,
            ..
        } => (
            Change::RevokeToken {
                id,
                token: token_id,
            },
            change,
        ),
    };
    change_doc(services, ops, change, args).await
}
