//! Turns `Effect`s into API calls on tokio tasks and sends each result back as an `Action`.
//! Owns the clients; never touches `State`, shares no lock with the UI.

use std::sync::Arc;

use tokio::sync::mpsc::UnboundedSender;

use crate::action::Action;
use crate::api::{ApiError, GitLab, Vehaas};
use crate::effect::Effect;

#[derive(Clone)]
pub struct Runner {
    gitlab: Arc<GitLab>,
    vehaas: Option<Arc<Vehaas>>,
    tx: UnboundedSender<Action>,
}

fn no_vehaas() -> ApiError {
    ApiError::Http {
        status: 0,
        message: "veHaaS is not configured".into(),
    }
}

impl Runner {
    pub fn new(gitlab: GitLab, vehaas: Option<Vehaas>, tx: UnboundedSender<Action>) -> Self {
        Self {
            gitlab: Arc::new(gitlab),
            vehaas: vehaas.map(Arc::new),
            tx,
        }
    }

    /// Starts the effect; its result arrives later as an action. `Copy` is the app's business.
    pub fn run(&self, effect: Effect) {
        let gl = self.gitlab.clone();
        let vh = self.vehaas.clone();
        let tx = self.tx.clone();
        tokio::spawn(async move {
            let action = match effect {
                Effect::Copy { .. } => return,
                Effect::LoadControllers { req } => Action::ControllersLoaded {
                    req,
                    result: gl.list_controllers().await,
                },
                Effect::LoadController { req, id } => Action::ControllerLoaded {
                    req,
                    result: gl.get_controller(id).await,
                },
                Effect::CreateController { description, state } => Action::ControllerCreated {
                    result: gl
                        .create_controller(description.as_deref(), Some(&state))
                        .await,
                },
                Effect::UpdateController { id, update } => Action::ControllerUpdated {
                    id,
                    result: gl.update_controller(id, &update).await,
                },
                Effect::DeleteController {
                    id,
                    if_unmodified_since,
                } => Action::ControllerDeleted {
                    id,
                    result: gl.delete_controller(id, if_unmodified_since).await,
                },
                Effect::LoadSessions { req } => Action::SessionsLoaded {
                    req,
                    result: match &vh {
                        Some(v) => v.list_sessions().await,
                        None => Err(no_vehaas()),
                    },
                },
                Effect::RequestRunner { local_id, request } => Action::RunnerRequested {
                    local_id,
                    result: match &vh {
                        Some(v) => v.request_runner(&request).await,
                        None => Err(no_vehaas()),
                    },
                },
                Effect::PollJob {
                    local_id,
                    job_id,
                    after,
                } => {
                    tokio::time::sleep(after).await;
                    Action::JobPolled {
                        local_id,
                        result: match &vh {
                            Some(v) => v.get_job(&job_id).await,
                            None => Err(no_vehaas()),
                        },
                    }
                }
                Effect::ExtendSession { id, new_end } => Action::SessionExtended {
                    result: match &vh {
                        Some(v) => v.extend_session(&id, new_end).await,
                        None => Err(no_vehaas()),
                    },
                    id,
                },
                Effect::ReleaseSession { id } => Action::SessionReleased {
                    result: match &vh {
                        Some(v) => v.release_session(&id).await,
                        None => Err(no_vehaas()),
                    },
                    id,
                },
            };
            // The app may have quit; then nobody needs the answer.
            let _ = tx.send(action);
        });
    }
}
