//! Controller changes: create; update and delete after a fresh read, so a change built on an
//! older version never overwrites another administrator's, and a change that changes nothing
//! is never sent.

use super::audit::{Record, Service};
use super::{Basis, Done, OpError, Ops};
use crate::domain::{ControllerId, ControllerState, ControllerUpdate, RunnerController};
use crate::json::controller_json;

pub(super) const API: &str = "/api/v4/runner_controllers";

pub(super) fn controller_path(id: ControllerId) -> String {
    format!("{API}/{id}")
}

/// Whether `update` would leave `c` as it is.
pub fn changes_nothing(c: &RunnerController, update: &ControllerUpdate) -> bool {
    update.state.as_ref().is_none_or(|s| *s == c.state)
        && update
            .description
            .as_ref()
            .is_none_or(|d| *d == c.description)
}

impl Ops {
    fn record(
        &self,
        method: &'static str,
        path: String,
        before: Option<&RunnerController>,
    ) -> Record {
        Record {
            service: Service::GitLab,
            url: self.gitlab.base_url().to_string(),
            method,
            path,
            before: before.map(controller_json),
            after: None,
        }
    }

    pub(super) async fn create_controller(
        &self,
        description: Option<String>,
        state: ControllerState,
    ) -> Result<Done, OpError> {
        let armed = self
            .audit
            .arm(self.record("POST", API.to_string(), None))
            .await;
        let res = self
            .gitlab
            .create_controller(description.as_deref(), Some(&state))
            .await;
        let after = res.as_ref().ok().map(|(c, _)| controller_json(c));
        armed.finish(res.as_ref().map(|(_, m)| m), after).await;
        Ok(Done::Created(res?.0))
    }

    /// The server's version now, refused when it is not the one the change was built from.
    pub(super) async fn fresh(
        &self,
        id: ControllerId,
        based_on: &Basis,
    ) -> Result<RunnerController, OpError> {
        let server = self.gitlab.get_controller(id).await?;
        match based_on {
            Some(seen) if *seen != server.updated_at => Err(OpError::ChangedElsewhere {
                server: Box::new(server),
            }),
            _ => Ok(server),
        }
    }

    pub(super) async fn update_controller(
        &self,
        id: ControllerId,
        update: ControllerUpdate,
        based_on: Basis,
    ) -> Result<Done, OpError> {
        let before = self.fresh(id, &based_on).await?;
        if changes_nothing(&before, &update) {
            return Ok(Done::Unchanged(before));
        }
        let armed = self
            .audit
            .arm(self.record("PUT", controller_path(id), Some(&before)))
            .await;
        let res = self.gitlab.update_controller(id, &update).await;
        let after = res.as_ref().ok().map(|(c, _)| controller_json(c));
        armed.finish(res.as_ref().map(|(_, m)| m), after).await;
        let (after, _) = res?;
        Ok(Done::Updated { before, after })
    }

    pub(super) async fn delete_controller(
        &self,
        id: ControllerId,
        based_on: Basis,
    ) -> Result<Done, OpError> {
        let before = self.fresh(id, &based_on).await?;
        let armed = self
            .audit
            .arm(self.record("DELETE", controller_path(id), Some(&before)))
            .await;
        // The fresh read's version: refused with 412 only if it changed in between.
        let since = before.updated_at.as_ref().map(|s| s.at());
        let res = self.gitlab.delete_controller(id, since).await;
        armed.finish(res.as_ref().map(|(_, m)| m), None).await;
        res?;
        Ok(Done::Deleted { before })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_update_that_changes_nothing_is_known_as_such() {
        let c = RunnerController {
            id: ControllerId(1),
            description: Some("x".into()),
            state: ControllerState::DryRun,
            created_at: None,
            updated_at: None,
            connected: None,
        };
        let same = ControllerUpdate {
            description: Some(Some("x".into())),
            state: Some(ControllerState::DryRun),
        };
        assert!(changes_nothing(&c, &same));
        assert!(changes_nothing(&c, &ControllerUpdate::default()));
        let cleared = ControllerUpdate {
            description: Some(None),
            state: None,
        };
        assert!(!changes_nothing(&c, &cleared));
        let enabled = ControllerUpdate {
            description: None,
            state: Some(ControllerState::Enabled),
        };
        assert!(!changes_nothing(&c, &enabled));
    }
}
