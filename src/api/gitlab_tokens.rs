//! Tokens and scopes of a runner controller on the GitLab client. A new token's secret goes
//! straight into a `SecretString`: never logged, never in an error.

use reqwest::Method;
use secrecy::SecretString;

use super::error::{Api, ApiError, Context};
use super::gitlab::GitLab;
use super::gitlab_dto::{ScopesDto, TokenDto};
use super::http::Reply;
use super::sent::{self, Failure, Sent};
use crate::domain::{ControllerId, ControllerToken, NewToken, RunnerId, Scopes, TokenId};

fn controller(id: ControllerId) -> String {
    format!("runner controller {id}")
}

fn new_token(reply: &Reply, controller_id: ControllerId) -> Result<NewToken, Failure> {
    // The body holds a secret: a decoding error must not quote it.
    let unreadable = |message: &str| {
        sent::unreadable(
            reply,
            ApiError::Decode {
                message: message.into(),
            },
        )
    };
    let dto = reply.decode::<TokenDto>().map_err(|_| {
        unreadable("the token answer could not be read (the token may have been created: check the token list)")
    })?;
    let (token, secret) = dto.into_parts(controller_id);
    let secret: SecretString =
        secret.ok_or_else(|| unreadable("the answer carries no token secret"))?;
    Ok(NewToken { token, secret })
}

/// The body of a token create: the description, if any.
pub(crate) fn token_body(description: Option<&str>) -> serde_json::Value {
    let mut body = serde_json::Map::new();
    if let Some(d) = description {
        body.insert("description".into(), d.into());
    }
    serde_json::Value::Object(body)
}

impl GitLab {
    /// Active tokens of a controller, every page.
    pub async fn list_tokens(
        &self,
        controller_id: ControllerId,
    ) -> Result<Vec<ControllerToken>, ApiError> {
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
        controller_id: ControllerId,
        description: Option<&str>,
    ) -> Sent<NewToken> {
        let body = token_body(description);
        let id = controller_id.to_string();
        let reply = self
            .change(
                Method::POST,
                &["runner_controllers", &id, "tokens"],
                Some(&body),
                &controller(controller_id),
                &[],
            )
            .await?;
        Ok((new_token(&reply, controller_id)?, reply.meta()))
    }

    /// The old token is revoked; the new one has a new id.
    pub async fn rotate_token(
        &self,
        controller_id: ControllerId,
        token_id: TokenId,
    ) -> Sent<NewToken> {
        let (id, tid) = (controller_id.to_string(), token_id.to_string());
        let what = format!("token {token_id} of runner controller {controller_id}");
        let reply = self
            .change(
                Method::POST,
                &["runner_controllers", &id, "tokens", &tid, "rotate"],
                None,
                &what,
                &[],
            )
            .await?;
        Ok((new_token(&reply, controller_id)?, reply.meta()))
    }

    pub async fn revoke_token(&self, controller_id: ControllerId, token_id: TokenId) -> Sent<()> {
        let (id, tid) = (controller_id.to_string(), token_id.to_string());
        let what = format!("token {token_id} of runner controller {controller_id}");
        let reply = self
            .change(
                Method::DELETE,
                &["runner_controllers", &id, "tokens", &tid],
                None,
                &what,
                &[],
            )
            .await?;
        Ok(((), reply.meta()))
    }

    /// `runner_level_scopings` is missing on 18.9; that reads as "no runner scopes".
    pub async fn scopes(&self, controller_id: ControllerId) -> Result<Scopes, ApiError> {
        let id = controller_id.to_string();
        let endpoint = "GET /api/v4/runner_controllers/:id/scopes";
        let reply = self
            .read(
                &["runner_controllers", &id, "scopes"],
                endpoint,
                &controller(controller_id),
            )
            .await?;
        Ok(reply.decode::<ScopesDto>()?.into())
    }

    /// `POST` adds the instance scope (409 when there is one, or runner scopes); `DELETE`
    /// removes it, and succeeds also when there was none.
    pub async fn instance_scope(&self, method: Method, controller_id: ControllerId) -> Sent<()> {
        let id = controller_id.to_string();
        let reply = self
            .change(
                method,
                &["runner_controllers", &id, "scopes", "instance"],
                None,
                &controller(controller_id),
                &[],
            )
            .await?;
        Ok(((), reply.meta()))
    }

    /// GitLab 18.10+. `POST` scopes an instance-type runner (else 422); `DELETE` unscopes it,
    /// and succeeds also when it was not scoped.
    pub async fn runner_scope(
        &self,
        method: Method,
        controller_id: ControllerId,
        runner_id: RunnerId,
    ) -> Sent<()> {
        let (id, rid) = (controller_id.to_string(), runner_id.to_string());
        let what = format!("runner controller {controller_id} or runner {runner_id}");
        let reply = self
            .change(
                method,
                &["runner_controllers", &id, "scopes", "runners", &rid],
                None,
                &what,
                &[],
            )
            .await?;
        Ok(((), reply.meta()))
    }
}
