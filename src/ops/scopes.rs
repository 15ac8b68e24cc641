//! Scope changes: the scopes are read before (for the audit log, and to refuse what GitLab
//! would only answer 409 to) and after (for the audit log and the caller's screen).

use reqwest::Method;

use super::audit::{Record, Service};
use super::controllers::controller_path;
use super::{Done, OpError, Ops, Refusal, ScopeChange};
use crate::domain::{ControllerId, Scopes};
use crate::json::scopes_json;

/// What GitLab would refuse with 409, said before anything is sent.
pub fn refusal(before: &Scopes, change: ScopeChange) -> Option<Refusal> {
    match change {
        ScopeChange::AddInstance if before.instance.is_some() => {
            Some(Refusal::AlreadyInstanceScoped)
        }
        ScopeChange::AddInstance if !before.runners.is_empty() => Some(Refusal::HasRunnerScopes),
        ScopeChange::AddRunner(_) if before.instance.is_some() => Some(Refusal::HasInstanceScope),
        ScopeChange::AddRunner(r) if before.runners.iter().any(|s| s.runner_id == r) => {
            Some(Refusal::AlreadyScoped(r))
        }
        _ => None,
    }
}

/// The method and path of a scope change.
pub(super) fn request(id: ControllerId, change: ScopeChange) -> (Method, String) {
    let base = format!("{}/scopes", controller_path(id));
    match change {
        ScopeChange::AddInstance => (Method::POST, format!("{base}/instance")),
        ScopeChange::RemoveInstance => (Method::DELETE, format!("{base}/instance")),
        ScopeChange::AddRunner(r) => (Method::POST, format!("{base}/runners/{r}")),
        ScopeChange::RemoveRunner(r) => (Method::DELETE, format!("{base}/runners/{r}")),
    }
}

/// The method of a scope change, as the audit log and a dry run write it.
pub(super) fn method_name(method: &Method) -> &'static str {
    if *method == Method::POST {
        "POST"
    } else {
        "DELETE"
    }
}

impl Ops {
    pub(super) async fn change_scope(
        &self,
        id: ControllerId,
        change: ScopeChange,
    ) -> Result<Done, OpError> {
        let gl = &self.gitlab;
        let before = gl.scopes(id).await?;
        if let Some(r) = refusal(&before, change) {
            return Err(OpError::Refused(r));
        }
        let (method, path) = request(id, change);
        let record = Record {
            service: Service::GitLab,
            url: gl.base_url().to_string(),
            method: method_name(&method),
            path,
            before: Some(scopes_json(&before)),
            after: None,
        };
        let armed = self.audit.arm(record).await;
        let res = match change {
            ScopeChange::AddInstance | ScopeChange::RemoveInstance => {
                gl.instance_scope(method, id).await
            }
            ScopeChange::AddRunner(r) | ScopeChange::RemoveRunner(r) => {
                gl.runner_scope(method, id, r).await
            }
        };
        let after = match &res {
            Ok(_) => gl.scopes(id).await.ok(),
            Err(_) => None,
        };
        armed
            .finish(
                res.as_ref().map(|(_, m)| m),
                after.as_ref().map(scopes_json),
            )
            .await;
        res?;
        Ok(Done::ScopeChanged { before, after })
    }
}
