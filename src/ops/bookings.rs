//! veHaaS changes: the runner request (`POST /jobs`, sent exactly once: a retry could book
//! twice), and extend and release after reading the session, refused locally when it is over.
//! They live on `VehaasOps`, the veHaaS half of `Ops`, so the bookings verbs need no GitLab.

use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;

use super::audit::{Auditor, Record, Service};
use super::{Change, Done, OpError, Refusal};
use crate::api::{ApiError, Vehaas};
use crate::domain::{RunnerRequest, Session, SessionId, SessionState};
use crate::json::{request_json, session_json};

/// The path a session call goes to (its configured template filled in).
pub fn session_path(template: &str, id: &SessionId) -> String {
    template
        .replace("{id}", id.as_str())
        .replace("{job_id}", id.as_str())
}

/// Whether a session can still be extended or released: not ended or released, and its end
/// not passed (a server may be slow to say "ended").
fn still_on(s: &Session) -> Result<(), Refusal> {
    let over = |state: SessionState| Refusal::SessionOver {
        id: s.id.clone(),
        state,
    };
    match s.state {
        SessionState::Ended | SessionState::Released => Err(over(s.state.clone())),
        _ if !s.is_current(jiff::Timestamp::now()) => Err(over(SessionState::Ended)),
        _ => Ok(()),
    }
}

/// The end an extension asks for: the session's end as read, plus `by`.
pub(super) fn new_end(before: &Session, by: Duration) -> Result<Timestamp, OpError> {
    let end = before
        .end
        .as_ref()
        .ok_or_else(|| OpError::Refused(Refusal::NoEnd(before.id.clone())))?;
    jiff::SignedDuration::try_from(by)
        .ok()
        .and_then(|d| end.at().checked_add(d).ok())
        .ok_or(OpError::Refused(Refusal::TooLong))
}

/// A GitLab change handed to `VehaasOps` (which has no GitLab): never a caller's intent.
pub(super) fn not_vehaas() -> OpError {
    OpError::from(ApiError::Config {
        message: "this change is made on GitLab, which this run has not set up".into(),
    })
}

/// The veHaaS client of an instance (if configured) and the audit log of this run.
#[derive(Clone)]
pub struct VehaasOps {
    vehaas: Option<Arc<Vehaas>>,
    audit: Auditor,
}

impl VehaasOps {
    pub fn new(vehaas: Option<Arc<Vehaas>>, audit: Auditor) -> Self {
        Self { vehaas, audit }
    }

    pub fn vehaas(&self) -> Option<&Arc<Vehaas>> {
        self.vehaas.as_ref()
    }

    pub(super) fn need(&self) -> Result<&Vehaas, OpError> {
        self.vehaas
            .as_deref()
            .ok_or(OpError::Refused(Refusal::NoVehaas))
    }

    /// Makes a veHaaS change (request, extend, release); a GitLab change needs `Ops`.
    pub async fn run(&self, change: Change) -> Result<Done, OpError> {
        match change {
            Change::RequestRunner { request } => self.request_runner(request).await,
            Change::ExtendSession { id, by } => self.extend_session(id, by).await,
            Change::ReleaseSession { id } => self.release_session(id).await,
            _ => Err(not_vehaas()),
        }
    }

    fn record(
        &self,
        method: &'static str,
        path: String,
        before: Option<&Session>,
    ) -> Result<Record, OpError> {
        let v = self.need()?;
        Ok(Record {
            service: Service::Vehaas,
            url: v.base_url().to_string(),
            method,
            path,
            before: before.map(session_json),
            after: None,
        })
    }

    async fn request_runner(&self, request: RunnerRequest) -> Result<Done, OpError> {
        let v = self.need()?;
        let mut record = self.record("POST", v.paths().jobs.clone(), None)?;
        // What was asked for, so the log says what may have been booked if no answer comes.
        record.after = Some(request_json(&request));
        let armed = self.audit.arm(record).await;
        let res = v.request_runner(&request).await;
        let after = res.as_ref().ok().map(|(job, _)| {
            let mut asked = request_json(&request);
            if let Some(map) = asked.as_object_mut() {
                map.insert("job_id".into(), serde_json::json!(job.job_id));
                map.insert("state".into(), serde_json::json!(job.state.as_str()));
            }
            asked
        });
        armed.finish(res.as_ref().map(|(_, m)| m), after).await;
        Ok(Done::RunnerRequested(res?.0))
    }

    /// The session as veHaaS lists it now, if it can still be changed.
    pub(super) async fn current(&self, id: &SessionId) -> Result<Session, OpError> {
        let v = self.need()?;
        let listed = v.list_sessions().await?;
        let session = listed
            .into_iter()
            .find(|s| s.id == *id)
            .ok_or_else(|| OpError::Refused(Refusal::SessionNotListed(id.clone())))?;
        still_on(&session).map_err(OpError::Refused)?;
        Ok(session)
    }

    async fn extend_session(&self, id: SessionId, by: Duration) -> Result<Done, OpError> {
        let v = self.need()?;
        let before = self.current(&id).await?;
        let new_end = new_end(&before, by)?;
        let path = session_path(&v.paths().session, &id);
        let mut record = self.record("PATCH", path, Some(&before))?;
        record.after = Some(serde_json::json!({"id": id, "end": new_end.to_string()}));
        let armed = self.audit.arm(record).await;
        let res = v.extend_session(&id, new_end).await;
        let after = res.as_ref().ok().map(|(s, _)| session_json(s));
        armed.finish(res.as_ref().map(|(_, m)| m), after).await;
        let (after, _) = res?;
        Ok(Done::Extended { before, after })
    }

    async fn release_session(&self, id: SessionId) -> Result<Done, OpError> {
        let v = self.need()?;
        let before = self.current(&id).await?;
        let path = session_path(&v.paths().release, &id);
        let armed = self
            .audit
            .arm(self.record("POST", path, Some(&before))?)
            .await;
        let res = v.release_session(&id).await;
        armed.finish(res.as_ref().map(|(_, m)| m), None).await;
        res?;
        Ok(Done::Released { before })
    }
}
