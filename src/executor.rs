//! Runs the reducer's effects: reads through the API clients, changes through `ops` (the same
//! code the scripting verbs call), each on a tokio task whose result comes back as an
//! `Outcome`. A read superseded by a newer one of the same slot is cancelled. Owns the clients;
//! never touches `State`, shares no lock with the UI. Clipboard and context switches are the
//! app's business.

use std::collections::HashMap;

use tokio::sync::mpsc::UnboundedSender;
use tokio::task::AbortHandle;

use crate::api::ApiError;
use crate::effect::{Effect, Load, Slot, VitalRead};
use crate::msg::{Outcome, VitalAnswer};
use crate::ops::Ops;

pub struct Executor {
    ops: Ops,
    tx: UnboundedSender<Outcome>,
    running: HashMap<Slot, AbortHandle>,
}

fn no_vehaas() -> ApiError {
    ApiError::Http {
        status: 0,
        message: "veHaaS is not configured".into(),
    }
}

impl Executor {
    pub fn new(ops: Ops, tx: UnboundedSender<Outcome>) -> Self {
        Self {
            ops,
            tx,
            running: HashMap::new(),
        }
    }

    /// Asks who the token belongs to once, early, so the first change is not slowed by it.
    pub fn warm_up(&self) {
        if self.ops.auditor().log().is_some() {
            let auditor = self.ops.auditor().clone();
            tokio::spawn(async move {
                auditor.user().await;
            });
        }
    }

    /// Starts the effect; its outcome arrives later on the channel.
    pub fn run(&mut self, effect: Effect) {
        let ops = self.ops.clone();
        let tx = self.tx.clone();
        match effect {
            Effect::Load(load) => {
                let slot = load.slot();
                let task = tokio::spawn(async move {
                    // The app may have quit; then nobody needs the answer.
                    let _ = tx.send(read(&ops, load, &tx).await);
                });
                if let Some(slot) = slot
                    && let Some(old) = self.running.insert(slot, task.abort_handle())
                {
                    old.abort();
                }
            }
            Effect::Change { id, change } => {
                tokio::spawn(async move {
                    let result = ops.run(change).await;
                    let _ = tx.send(Outcome::Changed { id, result });
                });
            }
            Effect::PollJob { key, job, after } => {
                tokio::spawn(async move {
                    tokio::time::sleep(after).await;
                    let result = match ops.vehaas() {
                        Some(v) => v.get_job(&job).await,
                        None => Err(no_vehaas()),
                    };
                    let _ = tx.send(Outcome::JobPolled { key, result });
                });
            }
            Effect::Copy { .. }
            | Effect::CopySecret { .. }
            | Effect::SwitchContext { .. }
            | Effect::MouseCapture(_) => {}
        }
    }
}

/// One read; a listing also sends its first page on `tx` as soon as it has it.
async fn read(ops: &Ops, load: Load, tx: &UnboundedSender<Outcome>) -> Outcome {
    let gl = ops.gitlab();
    match load {
        Load::Controllers { req } => Outcome::ControllersLoaded {
            req,
            result: gl
                .list_controllers_then(|rows| {
                    let _ = tx.send(Outcome::ControllersFirstPage { req, rows });
                })
                .await,
        },
        Load::Controller { req, id } => Outcome::ControllerLoaded {
            req,
            result: gl.get_controller(id).await,
        },
        Load::Tokens { req, id } => Outcome::TokensLoaded {
            req,
            id,
            result: gl.list_tokens(id).await,
        },
        Load::Scopes { req, id } => Outcome::ScopesLoaded {
            req,
            id,
            result: gl.scopes(id).await,
        },
        Load::Raw { req, id } => Outcome::RawLoaded {
            req,
            result: gl.get_controller_raw(id).await,
        },
        Load::Sessions { req } => Outcome::SessionsLoaded {
            req,
            result: match ops.vehaas() {
                Some(v) => v.list_sessions().await,
                None => Err(no_vehaas()),
            },
        },
        Load::Audit => Outcome::AuditLoaded {
            result: local_audit(ops).await,
        },
        Load::LocalAudit { req } => Outcome::LocalAuditLoaded {
            req,
            result: local_audit(ops).await,
        },
        Load::Vital { req, read } => Outcome::VitalLoaded {
            req,
            answer: vital(gl, read).await,
        },
        Load::Events { req, since, until } => Outcome::EventsLoaded {
            req,
            result: gl.runner_controller_events(since, until).await,
        },
    }
}

/// The local audit log, newest first, read off the event loop.
async fn local_audit(ops: &Ops) -> Result<Vec<crate::audit::AuditEntry>, String> {
    let log = ops.auditor().log().cloned();
    tokio::task::spawn_blocking(move || match log {
        Some(log) => log
            .read_newest_first(500)
            .map_err(|e| format!("cannot read {}: {e}", log.path().display())),
        None => Err("no audit log: there is no state directory".to_string()),
    })
    .await
    .unwrap_or_else(|e| Err(e.to_string()))
}

/// One background health read: one request.
async fn vital(gl: &crate::api::GitLab, read: VitalRead) -> VitalAnswer {
    match read {
        VitalRead::Controller(id) => VitalAnswer::Controller {
            id,
            result: gl.get_controller(id).await,
        },
        VitalRead::Scopes(id) => VitalAnswer::Scopes {
            id,
            result: gl.scopes(id).await,
        },
        VitalRead::Tokens(id) => VitalAnswer::Tokens {
            id,
            result: gl.list_tokens(id).await,
        },
        VitalRead::Runner(id) => VitalAnswer::Runner {
            id,
            result: gl.get_runner(id).await,
        },
    }
}
