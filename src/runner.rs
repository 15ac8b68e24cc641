//! Turns `Effect`s into API calls on tokio tasks and sends each result back as an `Action`.
//! Owns the clients and the audit log; never touches `State`, shares no lock with the UI.

use std::sync::Arc;

use serde_json::{Value, json};
use tokio::sync::{OnceCell, mpsc::UnboundedSender};

use crate::action::Action;
use crate::api::{ApiError, GitLab, Meta, Vehaas};
use crate::audit::{self, AuditEntry, AuditLog, Change};
use crate::domain::RunnerController;
use crate::effect::{Effect, ScopeChange};
use crate::headless::controller_json;

#[derive(Clone)]
pub struct Runner {
    gitlab: Arc<GitLab>,
    vehaas: Option<Arc<Vehaas>>,
    audit: Option<AuditLog>,
    /// The acting user for the audit log, asked once per run.
    user: Arc<OnceCell<Option<String>>>,
    tx: UnboundedSender<Action>,
}

fn no_vehaas() -> ApiError {
    ApiError::Http {
        status: 0,
        message: "veHaaS is not configured".into(),
    }
}

impl Runner {
    pub fn new(
        gitlab: GitLab,
        vehaas: Option<Vehaas>,
        audit: Option<AuditLog>,
        tx: UnboundedSender<Action>,
    ) -> Self {
        Self {
            gitlab: Arc::new(gitlab),
            vehaas: vehaas.map(Arc::new),
            audit,
            user: Arc::new(OnceCell::new()),
            tx,
        }
    }

    async fn user(&self) -> Option<String> {
        self.user
            .get_or_init(|| audit::acting_user(&self.gitlab))
            .await
            .clone()
    }

    /// Appends one line to the audit log off the async threads; a failure to write is
    /// logged, never fatal.
    async fn audit<T>(&self, base: &str, mut change: Change, result: &Result<(T, Meta), ApiError>) {
        let Some(log) = self.audit.clone() else {
            return;
        };
        change.url = base.to_string();
        let entry = AuditEntry::of(
            change,
            self.user().await,
            "tui",
            result.as_ref().map(|(_, m)| m),
        );
        let written =
            tokio::task::spawn_blocking(move || log.append(&entry).map_err(|e| (log, e))).await;
        if let Ok(Err((log, e))) = written {
            tracing::error!("cannot write the audit log {}: {e}", log.path().display());
        }
    }

    /// Asks who the token belongs to once, early, so the first change is not slowed by it.
    pub fn warm_up(&self) {
        if self.audit.is_some() {
            let this = self.clone();
            tokio::spawn(async move {
                this.user().await;
            });
        }
    }

    /// Starts the effect; its result arrives later as an action. `Copy` is the app's business.
    pub fn run(&self, effect: Effect) {
        let this = self.clone();
        tokio::spawn(async move {
            if let Some(action) = this.perform(effect).await {
                // The app may have quit; then nobody needs the answer.
                let _ = this.tx.send(action);
            }
        });
    }

    async fn perform(&self, effect: Effect) -> Option<Action> {
        let gl = &self.gitlab;
        let base = gl.base_url().to_string();
        let ctl = |id: i64| format!("/api/v4/runner_controllers/{id}");
        Some(match effect {
            Effect::Copy { .. } | Effect::CopySecret { .. } | Effect::SwitchContext { .. } => {
                return None;
            }
            Effect::LoadControllers { req } => Action::ControllersLoaded {
                req,
                result: gl.list_controllers().await,
            },
            Effect::LoadController { req, id } => Action::ControllerLoaded {
                req,
                result: gl.get_controller(id).await,
            },
            Effect::CreateController { description, state } => {
                let result = gl
                    .create_controller_meta(description.as_deref(), Some(&state))
                    .await;
                let after = result.as_ref().ok().map(|(c, _)| controller_json(c));
                let rec = Change {
                    url: String::new(),
                    method: "POST",
                    path: "/api/v4/runner_controllers".into(),
                    before: None,
                    after,
                };
                self.audit(&base, rec, &result).await;
                Action::ControllerCreated {
                    result: result.map(|(c, _)| c),
                }
            }
            Effect::UpdateController {
                id,
                update,
                expected,
            } => {
                let mut before: Option<RunnerController> = None;
                if let Some(expected) = expected {
                    match gl.get_controller(id).await {
                        Ok(server) if server.updated_at != Some(expected) => {
                            return Some(Action::ControllerChangedElsewhere { id, update, server });
                        }
                        Ok(server) => before = Some(server),
                        Err(e) => return Some(Action::ControllerUpdated { id, result: Err(e) }),
                    }
                }
                let result = gl.update_controller_meta(id, &update).await;
                let rec = Change {
                    url: String::new(),
                    method: "PUT",
                    path: ctl(id),
                    before: before.as_ref().map(controller_json),
                    after: result.as_ref().ok().map(|(c, _)| controller_json(c)),
                };
                self.audit(&base, rec, &result).await;
                Action::ControllerUpdated {
                    id,
                    result: result.map(|(c, _)| c),
                }
            }
            Effect::DeleteController {
                id,
                if_unmodified_since,
            } => {
                let before = gl
                    .get_controller(id)
                    .await
                    .ok()
                    .map(|c| controller_json(&c));
                let result = gl
                    .delete_controller_meta(id, if_unmodified_since)
                    .await
                    .map(|m| ((), m));
                let rec = Change {
                    url: String::new(),
                    method: "DELETE",
                    path: ctl(id),
                    before,
                    after: None,
                };
                self.audit(&base, rec, &result).await;
                Action::ControllerDeleted {
                    id,
                    result: result.map(|_| ()),
                }
            }
            Effect::LoadTokens { req, id } => Action::TokensLoaded {
                req,
                id,
                result: gl.list_tokens(id).await,
            },
            Effect::LoadScopes { req, id } => Action::ScopesLoaded {
                req,
                id,
                result: gl.scopes(id).await,
            },
            Effect::CreateToken { id, description } => {
                let result = gl.create_token_meta(id, description.as_deref()).await;
                let rec = Change {
                    url: String::new(),
                    method: "POST",
                    path: format!("{}/tokens", ctl(id)),
                    before: None,
                    after: result.as_ref().ok().map(|(t, _)| audit::new_token_value(t)),
                };
                self.audit(&base, rec, &result).await;
                Action::TokenIssued {
                    id,
                    rotated: None,
                    result: result.map(|(t, _)| Arc::new(t)),
                }
            }
            Effect::RotateToken { id, token_id } => {
                let result = gl.rotate_token_meta(id, token_id).await;
                let rec = Change {
                    url: String::new(),
                    method: "POST",
                    path: format!("{}/tokens/{token_id}/rotate", ctl(id)),
                    before: Some(json!({ "id": token_id })),
                    after: result.as_ref().ok().map(|(t, _)| audit::new_token_value(t)),
                };
                self.audit(&base, rec, &result).await;
                Action::TokenIssued {
                    id,
                    rotated: Some(token_id),
                    result: result.map(|(t, _)| Arc::new(t)),
                }
            }
            Effect::RevokeToken { id, token_id } => {
                let result = gl.revoke_token_meta(id, token_id).await.map(|m| ((), m));
                let rec = Change {
                    url: String::new(),
                    method: "DELETE",
                    path: format!("{}/tokens/{token_id}", ctl(id)),
                    before: Some(json!({ "id": token_id })),
                    after: None,
                };
                self.audit(&base, rec, &result).await;
                Action::TokenRevoked {
                    id,
                    token_id,
                    result: result.map(|_| ()),
                }
            }
            Effect::ChangeScope { id, change } => {
                let before = gl.scopes(id).await.ok().map(|s| scopes_json(&s));
                let (method, path, result) = match &change {
                    ScopeChange::AddInstance => (
                        "POST",
                        format!("{}/scopes/instance", ctl(id)),
                        gl.add_instance_scope_meta(id).await,
                    ),
                    ScopeChange::RemoveInstance => (
                        "DELETE",
                        format!("{}/scopes/instance", ctl(id)),
                        gl.remove_instance_scope_meta(id).await,
                    ),
                    ScopeChange::AddRunner(r) => (
                        "POST",
                        format!("{}/scopes/runners/{r}", ctl(id)),
                        gl.add_runner_scope_meta(id, *r).await,
                    ),
                    ScopeChange::RemoveRunner(r) => (
                        "DELETE",
                        format!("{}/scopes/runners/{r}", ctl(id)),
                        gl.remove_runner_scope_meta(id, *r).await,
                    ),
                };
                let result = result.map(|m| ((), m));
                let after = match &result {
                    Ok(_) => gl.scopes(id).await.ok().map(|s| scopes_json(&s)),
                    Err(_) => None,
                };
                let rec = Change {
                    url: String::new(),
                    method,
                    path,
                    before,
                    after,
                };
                self.audit(&base, rec, &result).await;
                Action::ScopeChanged {
                    id,
                    change,
                    result: result.map(|_| ()),
                }
            }
            Effect::LoadRaw { id } => Action::RawLoaded {
                result: gl.get_controller_raw(id).await,
            },
            Effect::LoadAudit => {
                let log = self.audit.clone();
                let result = tokio::task::spawn_blocking(move || match log {
                    Some(log) => log
                        .read_newest_first(500)
                        .map_err(|e| format!("cannot read {}: {e}", log.path().display())),
                    None => Err("no audit log: there is no state directory".to_string()),
                })
                .await
                .unwrap_or_else(|e| Err(e.to_string()));
                Action::AuditLoaded { result }
            }
            Effect::LoadSessions { req } => Action::SessionsLoaded {
                req,
                result: match &self.vehaas {
                    Some(v) => v.list_sessions().await,
                    None => Err(no_vehaas()),
                },
            },
            Effect::RequestRunner { local_id, request } => {
                let Some(v) = &self.vehaas else {
                    return Some(Action::RunnerRequested {
                        local_id,
                        result: Err(no_vehaas()),
                    });
                };
                let result = v.request_runner_meta(&request).await;
                let rec = Change {
                    url: String::new(),
                    method: "POST",
                    path: v.paths().jobs.clone(),
                    before: None,
                    after: Some(json!({
                        "assembly_ref": request.assembly_ref,
                        "duration": crate::duration::format_iso(request.duration),
                        "provider_url": request.provider_url,
                        "put_in_queue": request.put_in_queue,
                        "job_id": result.as_ref().ok().map(|(j, _)| j.job_id.clone()),
                    })),
                };
                self.audit(v.base_url(), rec, &result).await;
                Action::RunnerRequested {
                    local_id,
                    result: result.map(|(j, _)| j),
                }
            }
            Effect::PollJob {
                local_id,
                job_id,
                after,
            } => {
                tokio::time::sleep(after).await;
                Action::JobPolled {
                    local_id,
                    result: match &self.vehaas {
                        Some(v) => v.get_job(&job_id).await,
                        None => Err(no_vehaas()),
                    },
                }
            }
            Effect::ExtendSession { id, new_end } => {
                let Some(v) = &self.vehaas else {
                    return Some(Action::SessionExtended {
                        id,
                        result: Err(no_vehaas()),
                    });
                };
                let result = v.extend_session_meta(&id, new_end).await;
                let rec = Change {
                    url: String::new(),
                    method: "PATCH",
                    path: audit::session_path(&v.paths().session, &id),
                    before: None,
                    after: Some(json!({ "id": id, "end": new_end.to_string() })),
                };
                self.audit(v.base_url(), rec, &result).await;
                Action::SessionExtended {
                    result: result.map(|(s, _)| s),
                    id,
                }
            }
            Effect::ReleaseSession { id } => {
                let Some(v) = &self.vehaas else {
                    return Some(Action::SessionReleased {
                        id,
                        result: Err(no_vehaas()),
                    });
                };
                let result = v.release_session_meta(&id).await.map(|m| ((), m));
                let rec = Change {
                    url: String::new(),
                    method: "POST",
                    path: audit::session_path(&v.paths().release, &id),
                    before: Some(json!({ "id": id })),
                    after: None,
                };
                self.audit(v.base_url(), rec, &result).await;
                Action::SessionReleased {
                    result: result.map(|_| ()),
                    id,
                }
            }
        })
    }
}

/// Scopes as the audit log records them.
fn scopes_json(s: &crate::domain::Scopes) -> Value {
    json!({
        "instance": s.instance.is_some(),
        "runners": s.runners.iter().map(|r| r.runner_id).collect::<Vec<_>>(),
    })
}
