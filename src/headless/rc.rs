//! `runnerdeck rc ...`: runner controllers, their tokens and scopes, mirroring
//! `glab runner-controller`.

use secrecy::ExposeSecret;
use serde_json::{Value, json};

use super::output::{
    CONTROLLER_HEADER, Doc, SCOPE_HEADER, TOKEN_HEADER, controller_json, controller_row,
    scope_rows, scopes_json, token_json, token_row,
};
use super::{Auditor, Change, EXIT_API, fail, usage, writable};
use crate::api::{ApiError, GitLab, Meta};
use crate::audit;
use crate::cli::{Output, RcCommand, ScopeCommand, ScopeTarget, TokenCommand};
use crate::domain::{ControllerUpdate, NewToken, RunnerController, Scopes};
use crate::setup::Setup;

const API: &str = "/api/v4/runner_controllers";

fn controller_path(id: i64) -> String {
    format!("{API}/{id}")
}

pub(super) async fn run(setup: &Setup, cmd: RcCommand) -> u8 {
    let gl = &setup.gitlab;
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
            if let Err(code) = writable(setup) {
                return code;
            }
            let state = state.map(Into::into);
            let res = gl
                .create_controller_meta(description.as_deref(), state.as_ref())
                .await;
            let change = Change {
                url: gl.base_url().to_string(),
                method: "POST",
                path: API.to_string(),
                before: None,
                after: res.as_ref().ok().map(|(c, _)| controller_json(c)),
            };
            Auditor::new(setup).record(change, meta(&res)).await;
            match res {
                Ok((c, _)) => controller_doc(&c).emit(out.output),
                Err(e) => fail(&e),
            }
        }
        RcCommand::Update {
            id,
            description,
            clear_description,
            state,
            yes,
            out,
        } => {
            if let Err(code) = writable(setup) {
                return code;
            }
            if matches!(state, Some(crate::cli::StateArg::Enabled)) && !yes.yes {
                return usage(&format!(
                    "enabling runner controller {id} enforces its admit/reject decisions on the jobs it sees: pass --yes to confirm"
                ));
            }
            let update = ControllerUpdate {
                description: if clear_description {
                    Some(None)
                } else {
                    description.map(Some)
                },
                state: state.map(Into::into),
            };
            update_controller(setup, id, &update, out.output).await
        }
        RcCommand::Delete { id, yes, out } => {
            if !yes.yes {
                return usage(&format!(
                    "deleting runner controller {id} also deletes its tokens and scopes and cannot be undone: pass --yes to confirm"
                ));
            }
            if let Err(code) = writable(setup) {
                return code;
            }
            delete_controller(setup, id, out.output).await
        }
        RcCommand::Token(cmd) => token(setup, cmd).await,
        RcCommand::Scope(cmd) => scope(setup, cmd).await,
    }
}

fn meta<T>(res: &Result<(T, Meta), ApiError>) -> Result<&Meta, &ApiError> {
    res.as_ref().map(|(_, m)| m)
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
            Doc::new(json, &["ID", "STATE", "DESCRIPTION", "UPDATED"], rows).emit(output)
        }
        Err(e) => fail(&e),
    }
}

async fn update_controller(
    setup: &Setup,
    id: i64,
    update: &ControllerUpdate,
    output: Output,
) -> u8 {
    let gl = &setup.gitlab;
    let before = match gl.get_controller(id).await {
        Ok(c) => c,
        Err(e) => return fail(&e),
    };
    let res = gl.update_controller_meta(id, update).await;
    let change = Change {
        url: gl.base_url().to_string(),
        method: "PUT",
        path: controller_path(id),
        before: Some(controller_json(&before)),
        after: res.as_ref().ok().map(|(c, _)| controller_json(c)),
    };
    Auditor::new(setup).record(change, meta(&res)).await;
    match res {
        Ok((c, _)) => controller_doc(&c).emit(output),
        Err(e) => fail(&e),
    }
}

async fn delete_controller(setup: &Setup, id: i64, output: Output) -> u8 {
    let gl = &setup.gitlab;
    let before = match gl.get_controller(id).await {
        Ok(c) => c,
        Err(e) => return fail(&e),
    };
    // Refused with 412 if someone changed it since this GET.
    let res = gl.delete_controller_meta(id, before.updated_at).await;
    let change = Change {
        url: gl.base_url().to_string(),
        method: "DELETE",
        path: controller_path(id),
        before: Some(controller_json(&before)),
        after: None,
    };
    Auditor::new(setup).record(change, res.as_ref()).await;
    match res {
        Ok(_) => Doc::message(
            json!({"deleted": true, "id": id}),
            format!("Deleted runner controller {id}."),
        )
        .emit(output),
        Err(ApiError::PreconditionFailed { .. }) => {
            eprintln!(
                "runnerdeck: runner controller {id} changed while it was being deleted; nothing was deleted: look at it again (`runnerdeck rc get {id}`) and retry"
            );
            EXIT_API
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

async fn token(setup: &Setup, cmd: TokenCommand) -> u8 {
    let gl = &setup.gitlab;
    let url = gl.base_url().to_string();
    match cmd {
        TokenCommand::List { id, out } => match gl.list_tokens(id).await {
            Ok(list) => Doc::new(
                Value::Array(list.iter().map(token_json).collect()),
                &TOKEN_HEADER,
                list.iter().map(token_row).collect(),
            )
            .emit(out.output),
            Err(e) => fail(&e),
        },
        TokenCommand::Create {
            id,
            description,
            out,
        } => {
            if let Err(code) = writable(setup) {
                return code;
            }
            let res = gl.create_token_meta(id, description.as_deref()).await;
            let change = Change {
                url,
                method: "POST",
                path: format!("{API}/{id}/tokens"),
                before: None,
                after: res.as_ref().ok().map(|(t, _)| audit::new_token_value(t)),
            };
            Auditor::new(setup).record(change, meta(&res)).await;
            match res {
                Ok((t, _)) => new_token_doc(&t).emit(out.output),
                Err(e) => fail(&e),
            }
        }
        TokenCommand::Rotate {
            id,
            token_id,
            yes,
            out,
        } => {
            if let Err(code) = writable(setup) {
                return code;
            }
            if !yes.yes {
                return usage(&format!(
                    "rotating token {token_id} stops the old secret at once: pass --yes to confirm"
                ));
            }
            let res = gl.rotate_token_meta(id, token_id).await;
            let change = Change {
                url,
                method: "POST",
                path: format!("{API}/{id}/tokens/{token_id}/rotate"),
                before: Some(json!({"id": token_id, "runner_controller_id": id})),
                after: res.as_ref().ok().map(|(t, _)| audit::new_token_value(t)),
            };
            Auditor::new(setup).record(change, meta(&res)).await;
            match res {
                Ok((t, _)) => new_token_doc(&t).emit(out.output),
                Err(e) => fail(&e),
            }
        }
        TokenCommand::Revoke {
            id,
            token_id,
            yes,
            out,
        } => {
            if !yes.yes {
                return usage(&format!(
                    "revoking token {token_id} of runner controller {id} cannot be undone: pass --yes to confirm"
                ));
            }
            if let Err(code) = writable(setup) {
                return code;
            }
            let res = gl.revoke_token_meta(id, token_id).await;
            let change = Change {
                url,
                method: "DELETE",
                path: format!("{API}/{id}/tokens/{token_id}"),
                before: Some(json!({"id": token_id, "runner_controller_id": id})),
                after: None,
            };
            Auditor::new(setup).record(change, res.as_ref()).await;
            match res {
                Ok(_) => Doc::message(
                    json!({"revoked": true, "id": token_id, "runner_controller_id": id}),
                    format!("Revoked token {token_id} of runner controller {id}."),
                )
                .emit(out.output),
                Err(e) => fail(&e),
            }
        }
    }
}

fn scopes_doc(s: &Scopes) -> Doc<'static> {
    Doc::new(scopes_json(s), &SCOPE_HEADER, scope_rows(s))
}

async fn scope(setup: &Setup, cmd: ScopeCommand) -> u8 {
    let gl = &setup.gitlab;
    let (id, target, add, output) = match cmd {
        ScopeCommand::List { id, out } => {
            return match gl.scopes(id).await {
                Ok(s) => scopes_doc(&s).emit(out.output),
                Err(e) => fail(&e),
            };
        }
        ScopeCommand::Add { id, target, out } => (id, target, true, out.output),
        ScopeCommand::Remove { id, target, out } => (id, target, false, out.output),
    };
    if let Err(code) = writable(setup) {
        return code;
    }
    let path = match target {
        ScopeTarget {
            runner: Some(r), ..
        } => format!("{API}/{id}/scopes/runners/{r}"),
        ScopeTarget { instance: true, .. } => format!("{API}/{id}/scopes/instance"),
        ScopeTarget { .. } => return usage("pass --instance or --runner RUNNER_ID"),
    };
    let before = match gl.scopes(id).await {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    let res = match (target.runner, add) {
        (Some(r), true) => gl.add_runner_scope_meta(id, r).await,
        (Some(r), false) => gl.remove_runner_scope_meta(id, r).await,
        (None, true) => gl.add_instance_scope_meta(id).await,
        (None, false) => gl.remove_instance_scope_meta(id).await,
    };
    // The scopes as they are now, for the audit log and the output.
    let after = match &res {
        Ok(_) => gl.scopes(id).await.ok(),
        Err(_) => None,
    };
    let change = Change {
        url: gl.base_url().to_string(),
        method: if add { "POST" } else { "DELETE" },
        path,
        before: Some(scopes_json(&before)),
        after: after.as_ref().map(scopes_json),
    };
    Auditor::new(setup).record(change, res.as_ref()).await;
    match (res, after) {
        (Ok(_), Some(s)) => scopes_doc(&s).emit(output),
        (Ok(_), None) => {
            let done = if add { "Added" } else { "Removed" };
            Doc::message(
                json!({"id": id, "changed": true}),
                format!("{done} the scope of runner controller {id}."),
            )
            .emit(output)
        }
        (Err(e), _) => fail(&e),
    }
}
