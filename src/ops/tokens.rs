//! Token changes: create, rotate (a new token with a new id; the old one stops at once) and
//! revoke. The secret of a new token is handed back once and never reaches the audit log.

use std::sync::Arc;

use serde_json::json;

use super::audit::{Record, Service};
use super::controllers::controller_path;
use super::{Done, OpError, Ops};
use crate::domain::{ControllerId, TokenId};
use crate::json::token_json;

/// `/api/v4/runner_controllers/:id/tokens`.
pub(super) fn tokens_path(id: ControllerId) -> String {
    format!("{}/tokens", controller_path(id))
}

/// `.../tokens/:token_id`, where a revoke goes.
pub(super) fn token_path(id: ControllerId, token: TokenId) -> String {
    format!("{}/{token}", tokens_path(id))
}

/// `.../tokens/:token_id/rotate`.
pub(super) fn rotate_path(id: ControllerId, token: TokenId) -> String {
    format!("{}/rotate", token_path(id, token))
}

impl Ops {
    fn token_record(
        &self,
        method: &'static str,
        path: String,
        before: Option<TokenId>,
        id: ControllerId,
    ) -> Record {
        Record {
            service: Service::GitLab,
            url: self.gitlab.base_url().to_string(),
            method,
            path,
            before: before.map(|t| json!({"id": t, "runner_controller_id": id})),
            after: None,
        }
    }

    pub(super) async fn create_token(
        &self,
        id: ControllerId,
        description: Option<String>,
    ) -> Result<Done, OpError> {
        let path = tokens_path(id);
        let armed = self
            .audit
            .arm(self.token_record("POST", path, None, id))
            .await;
        let res = self.gitlab.create_token(id, description.as_deref()).await;
        let after = res.as_ref().ok().map(|(t, _)| token_json(&t.token));
        armed.finish(res.as_ref().map(|(_, m)| m), after).await;
        Ok(Done::TokenIssued {
            token: Arc::new(res?.0),
            rotated: None,
        })
    }

    pub(super) async fn rotate_token(
        &self,
        id: ControllerId,
        token: TokenId,
    ) -> Result<Done, OpError> {
        let path = rotate_path(id, token);
        let armed = self
            .audit
            .arm(self.token_record("POST", path, Some(token), id))
            .await;
        let res = self.gitlab.rotate_token(id, token).await;
        let after = res.as_ref().ok().map(|(t, _)| token_json(&t.token));
        armed.finish(res.as_ref().map(|(_, m)| m), after).await;
        Ok(Done::TokenIssued {
            token: Arc::new(res?.0),
            rotated: Some(token),
        })
    }

    pub(super) async fn revoke_token(
        &self,
        id: ControllerId,
        token: TokenId,
    ) -> Result<Done, OpError> {
        let path = token_path(id, token);
        let armed = self
            .audit
            .arm(self.token_record("DELETE", path, Some(token), id))
            .await;
        let res = self.gitlab.revoke_token(id, token).await;
        armed.finish(res.as_ref().map(|(_, m)| m), None).await;
        res?;
        Ok(Done::TokenRevoked)
    }
}
