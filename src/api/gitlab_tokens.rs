//! Tokens and scopes of a runner controller on the GitLab client. A new token's secret goes
//! straight into a `SecretString`: never logged, never in an error.

use reqwest::Method;
use secrecy::SecretString;

use super::error::{Api, ApiError, Context};
use super::gitlab::GitLab;
use super::gitlab_dto::{ScopesDto, TokenDto};
use super::http::{Meta, Reply};
use crate::domain::{ControllerToken, NewToken, Scopes};

fn controller(id: i64) -> String {
    format!("runner controller {id}")
}

fn new_token(reply: &Reply, controller_id: i64) -> Result<NewToken, ApiError> {
    // The body holds a secret: a decoding error must not quote it.
    let dto = reply.decode::<TokenDto>().map_err(|_| ApiError::Decode {
        message: "the token answer could not be read (the token may have been created: check the token list)".into(),
    })?;
    let (token, secret) = dto.into_parts(controller_id);
    let secret: SecretString = secret.ok_or_else(|| ApiError::Decode {
        message: "the answer carries no token secret".into(),
    })?;
    Ok(NewToken { token, secret })
}

impl GitLab {
    /// Active tokens of a controller, every page.
    pub async fn list_tokens(&self, controller_id: i64) -> Result<Vec<ControllerToken>, ApiError> {
        let what = controller(controller_id);
        let cx = Context {
            api: Api::GitLab,
            what: &what,
            unlicensed_on_404: false,
        };
        let id = controller_id.to_string();
        let endpoint = "GET /api/v4/runner_controllers/:id/tokens";
        let dtos: Vec<TokenDto> = self
            .get_all(&["runner_controllers", &id, "tokens"], endpoint, &cx)
            .await?;
        Ok(dtos
            .into_iter()
            .map(|d| d.into_parts(controller_id).0)
            .collect())
    }

    pub async fn create_token(
        &self,
        controller_id: i64,
        description: Option<&str>,
    ) -> Result<NewToken, ApiError> {
        Ok(self.create_token_meta(controller_id, description).await?.0)
    }

    pub async fn create_token_meta(
        &self,
        controller_id: i64,
        description: Option<&str>,
    ) -> Result<(NewToken, Meta), ApiError> {
        let mut body = serde_json::Map::new();
        if let Some(d) = description {
            body.insert("description".into(), d.into());
        }
        let body = serde_json::Value::Object(body);
        let id = controller_id.to_string();
        let endpoint = "POST /api/v4/runner_controllers/:id/tokens";
        let reply = self
            .call(
                Method::POST,
                &["runner_controllers", &id, "tokens"],
                endpoint,
                Some(&body),
                &controller(controller_id),
            )
            .await?;
        Ok((new_token(&reply, controller_id)?, reply.meta()))
    }

    /// The old token is revoked; the new one has a new id.
    pub async fn rotate_token(
        &self,
        controller_id: i64,
        token_id: i64,
    ) -> Result<NewToken, ApiError> {
        Ok(self.rotate_token_meta(controller_id, token_id).await?.0)
    }

    pub async fn rotate_token_meta(
        &self,
        controller_id: i64,
        token_id: i64,
    ) -> Result<(NewToken, Meta), ApiError> {
        let (id, tid) = (controller_id.to_string(), token_id.to_string());
        let what = format!("token {token_id} of runner controller {controller_id}");
        let endpoint = "POST /api/v4/runner_controllers/:id/tokens/:token_id/rotate";
        let reply = self
            .call(
                Method::POST,
                &["runner_controllers", &id, "tokens", &tid, "rotate"],
                endpoint,
                None,
                &what,
            )
            .await?;
        Ok((new_token(&reply, controller_id)?, reply.meta()))
    }

    pub async fn revoke_token(&self, controller_id: i64, token_id: i64) -> Result<(), ApiError> {
        self.revoke_token_meta(controller_id, token_id)
            .await
            .map(|_| ())
    }

    pub async fn revoke_token_meta(
        &self,
        controller_id: i64,
        token_id: i64,
    ) -> Result<Meta, ApiError> {
        let (id, tid) = (controller_id.to_string(), token_id.to_string());
        let what = format!("token {token_id} of runner controller {controller_id}");
        let endpoint = "DELETE /api/v4/runner_controllers/:id/tokens/:token_id";
        let reply = self
            .call(
                Method::DELETE,
                &["runner_controllers", &id, "tokens", &tid],
                endpoint,
                None,
                &what,
            )
            .await?;
        Ok(reply.meta())
    }

    /// `runner_level_scopings` is missing on 18.9; that reads as "no runner scopes".
    pub async fn scopes(&self, controller_id: i64) -> Result<Scopes, ApiError> {
        let id = controller_id.to_string();
        let endpoint = "GET /api/v4/runner_controllers/:id/scopes";
        let reply = self
            .call(
                Method::GET,
                &["runner_controllers", &id, "scopes"],
                endpoint,
                None,
                &controller(controller_id),
            )
            .await?;
        Ok(reply.decode::<ScopesDto>()?.into())
    }

    pub async fn add_instance_scope(&self, controller_id: i64) -> Result<(), ApiError> {
        self.add_instance_scope_meta(controller_id)
            .await
            .map(|_| ())
    }

    pub async fn add_instance_scope_meta(&self, controller_id: i64) -> Result<Meta, ApiError> {
        self.instance_scope(Method::POST, controller_id).await
    }

    /// Succeeds also when there was no instance scope.
    pub async fn remove_instance_scope(&self, controller_id: i64) -> Result<(), ApiError> {
        self.remove_instance_scope_meta(controller_id)
            .await
            .map(|_| ())
    }

    pub async fn remove_instance_scope_meta(&self, controller_id: i64) -> Result<Meta, ApiError> {
        self.instance_scope(Method::DELETE, controller_id).await
    }

    async fn instance_scope(&self, method: Method, controller_id: i64) -> Result<Meta, ApiError> {
        let id = controller_id.to_string();
        let endpoint = format!("{method} /api/v4/runner_controllers/:id/scopes/instance");
        let reply = self
            .call(
                method,
                &["runner_controllers", &id, "scopes", "instance"],
                &endpoint,
                None,
                &controller(controller_id),
            )
            .await?;
        Ok(reply.meta())
    }

    /// GitLab 18.10+; only instance-type runners can be scoped (else 422).
    pub async fn add_runner_scope(
        &self,
        controller_id: i64,
        runner_id: i64,
    ) -> Result<(), ApiError> {
        self.add_runner_scope_meta(controller_id, runner_id)
            .await
            .map(|_| ())
    }

    pub async fn add_runner_scope_meta(
        &self,
        controller_id: i64,
        runner_id: i64,
    ) -> Result<Meta, ApiError> {
        self.runner_scope(Method::POST, controller_id, runner_id)
            .await
    }

    /// Succeeds also when the runner was not scoped.
    pub async fn remove_runner_scope(
        &self,
        controller_id: i64,
        runner_id: i64,
    ) -> Result<(), ApiError> {
        self.remove_runner_scope_meta(controller_id, runner_id)
            .await
            .map(|_| ())
    }

    pub async fn remove_runner_scope_meta(
        &self,
        controller_id: i64,
        runner_id: i64,
    ) -> Result<Meta, ApiError> {
        self.runner_scope(Method::DELETE, controller_id, runner_id)
            .await
    }

    async fn runner_scope(
        &self,
        method: Method,
        controller_id: i64,
        runner_id: i64,
    ) -> Result<Meta, ApiError> {
        let (id, rid) = (controller_id.to_string(), runner_id.to_string());
        let endpoint = format!("{method} /api/v4/runner_controllers/:id/scopes/runners/:runner_id");
        let what = format!("runner controller {controller_id} or runner {runner_id}");
        let reply = self
            .call(
                method,
                &["runner_controllers", &id, "scopes", "runners", &rid],
                &endpoint,
                None,
                &what,
            )
            .await?;
        Ok(reply.meta())
    }
}
