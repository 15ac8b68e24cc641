//! The GitLab runner controllers client: controllers (list with every page, get, create, update,
//! delete) and the current user. Tokens and scopes are in `gitlab_tokens.rs`. Returns domain
//! types only; never retries a change; never logs or shows the token.

use std::fmt;

use jiff::Timestamp;
use reqwest::{Method, Url};
use secrecy::SecretString;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use tokio::sync::mpsc::UnboundedSender;

use super::error::{Api, ApiError, Context};
use super::gitlab_dto::{ControllerDto, UserDto};
use super::http::{self, HttpOptions, Reply, Transport};
use super::page_fetch::{self, Page};
use super::sent::{self, Failure, Sent};
use super::{pagination, time};
use crate::domain::{
    ControllerId, ControllerState, ControllerUpdate, CurrentUser, Deprecation, RunnerController,
};

/// The endpoint name of the controllers listing (retry notices and deprecations say it).
pub const LIST_ENDPOINT: &str = "GET /api/v4/runner_controllers";

pub struct GitLab {
    base_url: String,
    api: Url,
    pub(super) http: Transport,
}

impl fmt::Debug for GitLab {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GitLab")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl GitLab {
    /// `base_url` is the instance address (`https://gitlab.example.com`, maybe with a path
    /// prefix); every call goes below `{base_url}/api/v4`.
    pub fn new(base_url: &str, token: SecretString, opts: &HttpOptions) -> Result<Self, ApiError> {
        let base = http::parse_base(base_url)?;
        let mut api = base.clone();
        api.set_query(None);
        api.set_fragment(None);
        api.path_segments_mut()
            .map_err(|()| ApiError::Config {
                message: "invalid GitLab address".into(),
            })?
            .pop_if_empty()
            .extend(["api", "v4"]);
        let http = Transport::new(&base, token, "PRIVATE-TOKEN", Api::GitLab, opts, None)?;
        Ok(Self {
            base_url: base_url.trim().trim_end_matches('/').to_string(),
            api,
            http,
        })
    }

    /// Send deprecation notices found in GitLab's answers to `notices` (once per endpoint).
    pub fn with_notices(mut self, notices: UnboundedSender<Deprecation>) -> Self {
        self.http.set_notices(Some(notices));
        self
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Told before each retry of a read ("retrying in 2 s (429)"), also once shared.
    pub fn set_retry_observer(&self, observer: super::RetryObserver) {
        self.http.set_retry_observer(observer);
    }

    /// What makes this connection readable by others (a red INSECURE badge), if anything.
    pub fn insecurity(&self) -> Option<super::Insecurity> {
        self.http.insecurity()
    }

    pub(super) fn url(&self, segments: &[&str]) -> Result<Url, ApiError> {
        let mut url = self.api.clone();
        url.path_segments_mut()
            .map_err(|()| ApiError::Config {
                message: "invalid GitLab address".into(),
            })?
            .extend(segments);
        Ok(url)
    }

    /// One read; `what` names the object for a 404 ("runner controller 7").
    pub(super) async fn read(
        &self,
        segments: &[&str],
        endpoint: &str,
        what: &str,
    ) -> Result<Reply, ApiError> {
        let url = self.url(segments)?;
        let cx = Context {
            api: Api::GitLab,
            what,
            unlicensed_on_404: false,
        };
        self.http
            .call(Method::GET, url, endpoint, None, &[], &cx)
            .await
    }

    /// Every page of a list, in order, up to `page_fetch::IN_FLIGHT` pages at once (see
    /// `page_fetch::fetch_all`); each page read is retried as itself.
    pub(super) async fn get_all<T: DeserializeOwned>(
        &self,
        segments: &[&str],
        endpoint: &str,
        cx: &Context<'_>,
    ) -> Result<Vec<T>, ApiError> {
        let base = self.url(segments)?;
        page_fetch::fetch_all(&base, |page| self.get_page(&base, page, endpoint, cx)).await
    }

    /// Page `page` (of `per_page` 100) of the list at `base`.
    async fn get_page<T: DeserializeOwned>(
        &self,
        base: &Url,
        page: u64,
        endpoint: &str,
        cx: &Context<'_>,
    ) -> Result<Page<T>, ApiError> {
        let mut url = base.clone();
        url.query_pairs_mut()
            .append_pair("page", &page.to_string())
            .append_pair("per_page", &pagination::PER_PAGE.to_string());
        let reply = self
            .http
            .call(Method::GET, url, endpoint, None, &[], cx)
            .await?;
        Ok(Page {
            rows: reply.decode()?,
            headers: reply.headers,
        })
    }

    /// Every runner controller (the CLI: no first page wanted early).
    pub async fn list_controllers(&self) -> Result<Vec<RunnerController>, ApiError> {
        let dtos: Vec<ControllerDto> = self
            .get_all(&["runner_controllers"], LIST_ENDPOINT, &CONTROLLERS)
            .await?;
        Ok(dtos.into_iter().map(Into::into).collect())
    }

    /// Every runner controller; `first_page` gets page 1 as soon as it is read when more
    /// pages follow (the TUI draws it while the rest come).
    pub async fn list_controllers_then(
        &self,
        first_page: impl FnOnce(Vec<RunnerController>),
    ) -> Result<Vec<RunnerController>, ApiError> {
        let base = self.url(&["runner_controllers"])?;
        let fetch = |page| self.get_page::<ControllerDto>(&base, page, LIST_ENDPOINT, &CONTROLLERS);
        let first = |rows: &[ControllerDto]| {
            first_page(rows.iter().cloned().map(Into::into).collect());
        };
        let dtos = page_fetch::fetch_all_then(&base, fetch, first).await?;
        Ok(dtos.into_iter().map(Into::into).collect())
    }

    pub async fn get_controller(&self, id: ControllerId) -> Result<RunnerController, ApiError> {
        let reply = self.get_controller_reply(id).await?;
        Ok(reply.decode::<ControllerDto>()?.into())
    }

    /// The controller exactly as the server sent it, for a "raw JSON" view.
    pub async fn get_controller_raw(&self, id: ControllerId) -> Result<Value, ApiError> {
        self.get_controller_reply(id).await?.decode()
    }

    async fn get_controller_reply(&self, id: ControllerId) -> Result<Reply, ApiError> {
        let id_s = id.to_string();
        let what = format!("runner controller {id}");
        let endpoint = "GET /api/v4/runner_controllers/:id";
        self.read(&["runner_controllers", &id_s], endpoint, &what)
            .await
    }

    /// One change: the reply on success, else a `Failure` with the server's request id.
    pub(super) async fn change(
        &self,
        method: Method,
        segments: &[&str],
        body: Option<&Value>,
        what: &str,
        extra: &[(&'static str, String)],
    ) -> Result<Reply, Failure> {
        let url = self.url(segments)?;
        let endpoint = format!("{method} {}", endpoint_of(segments));
        let cx = Context {
            api: Api::GitLab,
            what,
            unlicensed_on_404: false,
        };
        let reply = self.http.send(method, url, &endpoint, body, extra).await?;
        sent::judge(reply, &cx)
    }

    pub async fn create_controller(
        &self,
        description: Option<&str>,
        state: Option<&ControllerState>,
    ) -> Sent<RunnerController> {
        let body = Value::Object(create_body(description, state));
        let reply = self
            .change(
                Method::POST,
                &["runner_controllers"],
                Some(&body),
                "runner controllers",
                &[],
            )
            .await?;
        controller_of(&reply)
    }

    /// Sends only the fields set; `description: Some(None)` sends `null`, which clears it.
    pub async fn update_controller(
        &self,
        id: ControllerId,
        update: &ControllerUpdate,
    ) -> Sent<RunnerController> {
        let body = Value::Object(update_body(update));
        let id_s = id.to_string();
        let what = format!("runner controller {id}");
        let reply = self
            .change(
                Method::PUT,
                &["runner_controllers", &id_s],
                Some(&body),
                &what,
                &[],
            )
            .await?;
        controller_of(&reply)
    }

    /// With `if_unmodified_since` (the `updated_at` the change was based on), the server
    /// refuses with 412 if the controller changed after it.
    pub async fn delete_controller(
        &self,
        id: ControllerId,
        if_unmodified_since: Option<Timestamp>,
    ) -> Sent<()> {
        let mut extra = Vec::new();
        if let Some(ts) = if_unmodified_since {
            let date = time::http_date_ceil(ts).ok_or_else(|| ApiError::Config {
                message: format!("{ts} cannot be written as an HTTP date"),
            })?;
            extra.push(("if-unmodified-since", date));
        }
        let id_s = id.to_string();
        let what = format!("runner controller {id}");
        let reply = self
            .change(
                Method::DELETE,
                &["runner_controllers", &id_s],
                None,
                &what,
                &extra,
            )
            .await?;
        Ok(((), reply.meta()))
    }

    pub async fn current_user(&self) -> Result<CurrentUser, ApiError> {
        let reply = self
            .read(&["user"], "GET /api/v4/user", "the current user")
            .await?;
        Ok(reply.decode::<UserDto>()?.into())
    }
}

/// The controller a change answered with.
fn controller_of(reply: &Reply) -> Sent<RunnerController> {
    let c = reply
        .decode::<ControllerDto>()
        .map_err(|e| sent::unreadable(reply, e))?;
    Ok((c.into(), reply.meta()))
}

/// `/api/v4/runner_controllers/:id/...` for deprecation notices: numbers become their names.
fn endpoint_of(segments: &[&str]) -> String {
    let mut out = String::from("/api/v4");
    let mut prev = "";
    for seg in segments {
        out.push('/');
        if seg.parse::<i64>().is_ok() {
            out.push_str(match prev {
                "runner_controllers" => ":id",
                "tokens" => ":token_id",
                "runners" => ":runner_id",
                _ => ":id",
            });
        } else {
            out.push_str(seg);
        }
        prev = seg;
    }
    out
}

pub(crate) fn create_body(
    description: Option<&str>,
    state: Option<&ControllerState>,
) -> Map<String, Value> {
    let mut body = Map::new();
    if let Some(d) = description {
        body.insert("description".into(), Value::from(d));
    }
    if let Some(s) = state {
        body.insert("state".into(), Value::from(s.as_str()));
    }
    body
}

pub(crate) fn update_body(update: &ControllerUpdate) -> Map<String, Value> {
    let mut body = Map::new();
    if let Some(d) = &update.description {
        body.insert(
            "description".into(),
            d.as_deref().map_or(Value::Null, Value::from),
        );
    }
    if let Some(s) = &update.state {
        body.insert("state".into(), Value::from(s.as_str()));
    }
    body
}

/// How the listing's failures are worded.
const CONTROLLERS: Context<'static> = Context {
    api: Api::GitLab,
    what: "runner controllers",
    unlicensed_on_404: true,
};

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn update_sends_only_fields_set() {
        let cases = [
            (ControllerUpdate::default(), json!({})),
            (
                ControllerUpdate {
                    description: Some(None),
                    state: None,
                },
                json!({"description": null}),
            ),
            (
                ControllerUpdate {
                    description: Some(Some("x".into())),
                    state: Some(ControllerState::DryRun),
                },
                json!({"description": "x", "state": "dry_run"}),
            ),
            (
                ControllerUpdate {
                    description: None,
                    state: Some(ControllerState::Enabled),
                },
                json!({"state": "enabled"}),
            ),
        ];
        for (update, want) in cases {
            assert_eq!(Value::Object(update_body(&update)), want, "{update:?}");
        }
    }

    #[test]
    fn urls_keep_a_path_prefix() {
        let opts = HttpOptions::default();
        for (base, want) in [
            (
                "https://gitlab.example.com",
                "https://gitlab.example.com/api/v4/runner_controllers/5",
            ),
            (
                "https://gitlab.example.com/",
                "https://gitlab.example.com/api/v4/runner_controllers/5",
            ),
            (
                "https://example.com/gitlab/",
                "https://example.com/gitlab/api/v4/runner_controllers/5",
            ),
            (
                "http://127.0.0.1:8080",
                "http://127.0.0.1:8080/api/v4/runner_controllers/5",
            ),
        ] {
            let gl = GitLab::new(base, SecretString::from("t"), &opts).expect("client");
            let url = gl.url(&["runner_controllers", "5"]).expect("url");
            assert_eq!(url.as_str(), want);
            assert_eq!(
                endpoint_of(&["runner_controllers", "5", "tokens", "7", "rotate"]),
                "/api/v4/runner_controllers/:id/tokens/:token_id/rotate"
            );
        }
        for bad in [
            "gitlab.example.com",
            "ftp://x",
            "",
            "https://user:pw@x.example",
        ] {
            assert!(
                matches!(
                    GitLab::new(bad, SecretString::from("t"), &opts),
                    Err(ApiError::Config { .. })
                ),
                "{bad}"
            );
        }
        assert!(GitLab::new("https://x.example", SecretString::from("a\nb"), &opts).is_err());
    }
}
