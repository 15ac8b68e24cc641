//! A change as the requests it would send, for `--dry-run`: the same paths as the audit
//! record and the same body builders as the clients, after the same reads and refusals as
//! `Ops::run` (the fresh controller, the scopes, the session), and nothing sent that changes
//! anything. Never holds a token: URL and body carry none.

use serde_json::{Value, json};

use super::bookings::{VehaasOps, new_end, not_vehaas};
use super::controllers::{API, controller_path};
use super::tokens::{rotate_path, token_path, tokens_path};
use super::{Change, OpError, Ops, changes_nothing, scope_refusal, scopes};
use crate::api::gitlab::{create_body, update_body};
use crate::api::vehaas::extend_body;
use crate::api::{runner_request_body, token_body};

/// One request a change would send.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedRequest {
    pub method: &'static str,
    pub url: String,
    pub body: Option<Value>,
}

impl PlannedRequest {
    pub fn json(&self) -> Value {
        json!({"method": self.method, "url": self.url, "body": self.body})
    }
}

/// The requests `ops.run(change)` would send, in order; empty when it would send none (an
/// update that changes nothing). Refused as `run` would refuse it.
pub async fn plan(ops: &Ops, change: &Change) -> Result<Vec<PlannedRequest>, OpError> {
    let gl = ops.gitlab();
    let at = |method: &'static str, path: String, body: Option<Value>| PlannedRequest {
        method,
        url: format!("{}{path}", gl.base_url()),
        body,
    };
    let one = match change {
        Change::CreateController { description, state } => at(
            "POST",
            API.to_string(),
            Some(Value::Object(create_body(
                description.as_deref(),
                Some(state),
            ))),
        ),
        Change::UpdateController {
            id,
            update,
            based_on,
        } => {
            if changes_nothing(&ops.fresh(*id, based_on).await?, update) {
                return Ok(Vec::new());
            }
            at(
                "PUT",
                controller_path(*id),
                Some(Value::Object(update_body(update))),
            )
        }
        Change::DeleteController { id, based_on } => {
            ops.fresh(*id, based_on).await?;
            at("DELETE", controller_path(*id), None)
        }
        Change::CreateToken { id, description } => at(
            "POST",
            tokens_path(*id),
            Some(token_body(description.as_deref())),
        ),
        Change::RotateToken { id, token } => at("POST", rotate_path(*id, *token), None),
        Change::RevokeToken { id, token } => at("DELETE", token_path(*id, *token), None),
        Change::Scope { id, change } => {
            if let Some(r) = scope_refusal(&gl.scopes(*id).await?, *change) {
                return Err(OpError::Refused(r));
            }
            let (method, path) = scopes::request(*id, *change);
            at(scopes::method_name(&method), path, None)
        }
        other => return ops.vehaas_ops().plan(other).await,
    };
    Ok(vec![one])
}

impl VehaasOps {
    /// The requests a veHaaS change would send (`plan` for a bookings verb without GitLab).
    pub async fn plan(&self, change: &Change) -> Result<Vec<PlannedRequest>, OpError> {
        let v = self.need()?;
        let url = |template: &str, id: Option<&str>| v.url(template, id).map(|u| u.to_string());
        let (method, url, body) = match change {
            Change::RequestRunner { request } => (
                "POST",
                url(&v.paths().jobs, None)?,
                Some(runner_request_body(request)),
            ),
            Change::ExtendSession { id, by } => {
                let end = new_end(&self.current(id).await?, *by)?;
                let url = url(&v.paths().session, Some(id.as_str()))?;
                ("PATCH", url, Some(extend_body(end)))
            }
            Change::ReleaseSession { id } => {
                self.current(id).await?;
                ("POST", url(&v.paths().release, Some(id.as_str()))?, None)
            }
            _ => return Err(not_vehaas()),
        };
        Ok(vec![PlannedRequest { method, url, body }])
    }
}
