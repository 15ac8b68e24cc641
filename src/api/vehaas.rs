//! The veHaaS client: sessions (list, extend, release) and runner jobs (request, poll), on
//! configurable paths. `POST /jobs` is never retried (a retry can book twice); the token is
//! never logged or shown.

use std::fmt;

use jiff::Timestamp;
use reqwest::{Method, Url};
use secrecy::SecretString;
use serde_json::{Value, json};
use tokio::sync::mpsc::UnboundedSender;

use super::error::{Api, ApiError, Context};
use super::http::{self, HttpOptions, Reply, Transport};
use super::sent::{self, Failure, Sent};
use super::vehaas_dto::{self, JobDto, SessionDto};
use crate::domain::{Deprecation, Job, JobId, RunnerRequest, Session, SessionId};

/// Where each call lives below the base URL; `{job_id}` and `{id}` are replaced by the
/// percent-encoded id. Configurable because the real servers cannot be checked from here.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct VehaasPaths {
    pub jobs: String,
    pub job: String,
    pub sessions: String,
    pub session: String,
    pub release: String,
}

impl Default for VehaasPaths {
    fn default() -> Self {
        Self {
            jobs: "/api/v2.0/jobs".into(),
            job: "/api/v2.0/jobs/{job_id}".into(),
            sessions: "/api/v2.0/assembly-sessions".into(),
            session: "/api/v2.0/assembly-sessions/{id}".into(),
            release: "/api/v2.0/assembly-sessions/{id}/release".into(),
        }
    }
}

pub struct Vehaas {
    base: String,
    paths: VehaasPaths,
    http: Transport,
}

impl fmt::Debug for Vehaas {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Vehaas")
            .field("base", &self.base)
            .field("paths", &self.paths)
            .finish_non_exhaustive()
    }
}

/// Percent-encode everything but RFC 3986 unreserved characters.
fn encode(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn decode_err(message: String) -> ApiError {
    ApiError::Decode { message }
}

impl Vehaas {
    pub fn new(
        base_url: &str,
        token: SecretString,
        paths: VehaasPaths,
        opts: &HttpOptions,
        notices: Option<UnboundedSender<Deprecation>>,
    ) -> Result<Self, ApiError> {
        let url = http::parse_base(base_url)?;
        let http = Transport::new(&url, token, "private-token", Api::Vehaas, opts, notices)?;
        let mut base = url;
        base.set_query(None);
        base.set_fragment(None);
        let base = base.as_str().trim_end_matches('/').to_string();
        Ok(Self { base, paths, http })
    }

    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// Told before each retry of a read ("retrying in 2 s (429)"), also once shared.
    pub fn set_retry_observer(&self, observer: super::RetryObserver) {
        self.http.set_retry_observer(observer);
    }

    /// What makes this connection readable by others (a red INSECURE badge), if anything.
    pub fn insecurity(&self) -> Option<super::Insecurity> {
        self.http.insecurity()
    }

    pub fn paths(&self) -> &VehaasPaths {
        &self.paths
    }

    /// The URL for a path template, with `{job_id}` / `{id}` replaced by `id`.
    pub(crate) fn url(&self, template: &str, id: Option<&str>) -> Result<Url, ApiError> {
        let mut path = template.trim().to_string();
        if let Some(id) = id {
            let enc = encode(id);
            path = path.replace("{job_id}", &enc).replace("{id}", &enc);
        }
        if !path.starts_with('/') {
            path.insert(0, '/');
        }
        Url::parse(&format!("{}{path}", self.base)).map_err(|e| ApiError::Config {
            message: format!("invalid veHaaS path \"{template}\": {e}"),
        })
    }

    fn context<'a>(what: &'a str) -> Context<'a> {
        Context {
            api: Api::Vehaas,
            what,
            unlicensed_on_404: false,
        }
    }

    async fn read(&self, template: &str, id: Option<&str>, what: &str) -> Result<Reply, ApiError> {
        let url = self.url(template, id)?;
        let endpoint = format!("GET {template}");
        self.http
            .call(Method::GET, url, &endpoint, None, &[], &Self::context(what))
            .await
    }

    /// One change: the reply on success, else a `Failure` with the server's request id.
    async fn change(
        &self,
        method: Method,
        template: &str,
        id: Option<&str>,
        body: Option<&Value>,
        what: &str,
    ) -> Result<Reply, Failure> {
        let url = self.url(template, id)?;
        let endpoint = format!("{method} {template}");
        let reply = self.http.send(method, url, &endpoint, body, &[]).await?;
        sent::judge(reply, &Self::context(what))
    }

    /// Every session as the server serves it (the caller filters, e.g. `Session::is_current`).
    pub async fn list_sessions(&self) -> Result<Vec<Session>, ApiError> {
        let reply = self
            .read(&self.paths.sessions, None, "the session list")
            .await?;
        vehaas_dto::sessions(reply.decode()?).map_err(decode_err)
    }

    /// `POST /jobs`, sent exactly once: on a timeout the booking may or may not exist, so the
    /// caller should look at the sessions before asking again.
    pub async fn request_runner(&self, req: &RunnerRequest) -> Sent<Job> {
        let body = vehaas_dto::runner_request_body(req);
        let reply = self
            .change(
                Method::POST,
                &self.paths.jobs,
                None,
                Some(&body),
                "the jobs endpoint",
            )
            .await?;
        let job =
            decode_job(&reply, Some(&req.assembly_ref)).map_err(|e| sent::unreadable(&reply, e))?;
        Ok((job, reply.meta()))
    }

    pub async fn get_job(&self, job_id: &JobId) -> Result<Job, ApiError> {
        let what = format!("job {job_id}");
        let reply = self
            .read(&self.paths.job, Some(job_id.as_str()), &what)
            .await?;
        decode_job(&reply, None)
    }

    /// `PATCH {"end": <RFC 3339>}`; 409 when a later booking clashes.
    pub async fn extend_session(&self, id: &SessionId, new_end: Timestamp) -> Sent<Session> {
        let what = format!("session {id}");
        let body = extend_body(new_end);
        let reply = self
            .change(
                Method::PATCH,
                &self.paths.session,
                Some(id.as_str()),
                Some(&body),
                &what,
            )
            .await?;
        let meta = reply.meta();
        if reply.body.iter().all(u8::is_ascii_whitespace) {
            // An empty success (204): read the session back.
            let listed = self
                .list_sessions()
                .await
                .map_err(|e| sent::unreadable(&reply, e))?;
            let session = listed.into_iter().find(|s| s.id == *id);
            let session = session.ok_or_else(|| {
                sent::unreadable(
                    &reply,
                    ApiError::NotFound {
                        what,
                        message: "not in the list after extending it".into(),
                    },
                )
            })?;
            return Ok((session, meta));
        }
        let session = decode_session(&reply).map_err(|e| sent::unreadable(&reply, e))?;
        Ok((session, meta))
    }

    /// Ends the session now; its runner is deleted.
    pub async fn release_session(&self, id: &SessionId) -> Sent<()> {
        let what = format!("session {id}");
        let reply = self
            .change(
                Method::POST,
                &self.paths.release,
                Some(id.as_str()),
                None,
                &what,
            )
            .await?;
        Ok(((), reply.meta()))
    }
}

/// The body of an extension: the new end, RFC 3339.
pub(crate) fn extend_body(new_end: Timestamp) -> Value {
    json!({ "end": new_end.to_string() })
}

fn decode_job(reply: &Reply, assembly_ref: Option<&str>) -> Result<Job, ApiError> {
    let dto: JobDto = serde_json::from_value(vehaas_dto::unwrap_object(reply.decode()?))
        .map_err(|e| decode_err(e.to_string()))?;
    dto.into_job(assembly_ref).map_err(decode_err)
}

fn decode_session(reply: &Reply) -> Result<Session, ApiError> {
    let dto: SessionDto = serde_json::from_value(vehaas_dto::unwrap_object(reply.decode()?))
        .map_err(|e| decode_err(e.to_string()))?;
    dto.into_session().map_err(decode_err)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(base: &str) -> Vehaas {
        Vehaas::new(
            base,
            SecretString::from("t"),
            VehaasPaths::default(),
            &HttpOptions::default(),
            None,
        )
        .expect("client")
    }

    #[test]
    fn paths_substitute_encoded_ids() {
        let v = client("https://vehaas.example.com/");
        let cases = [
            (
                &v.paths.job,
                Some("abc-1"),
                "https://vehaas.example.com/api/v2.0/jobs/abc-1",
            ),
            (
                &v.paths.job,
                Some("a/b c"),
                "https://vehaas.example.com/api/v2.0/jobs/a%2Fb%20c",
            ),
            (
                &v.paths.release,
                Some("42"),
                "https://vehaas.example.com/api/v2.0/assembly-sessions/42/release",
            ),
            (
                &v.paths.sessions,
                None,
                "https://vehaas.example.com/api/v2.0/assembly-sessions",
            ),
        ];
        for (template, id, want) in cases {
            assert_eq!(v.url(template, id).expect("url").as_str(), want);
        }
        let prefixed = client("https://x.example/vehaas");
        assert_eq!(
            prefixed.url("api/v2.0/jobs", None).expect("url").as_str(),
            "https://x.example/vehaas/api/v2.0/jobs"
        );
    }

    #[test]
    fn paths_config_fills_missing_fields() {
        let p: VehaasPaths =
            serde_json::from_value(json!({"jobs": "/v3/jobs"})).expect("partial config");
        assert_eq!(p.jobs, "/v3/jobs");
        assert_eq!(p.session, VehaasPaths::default().session);
    }
}
