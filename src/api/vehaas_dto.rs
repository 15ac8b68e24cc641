//! veHaaS JSON shapes (DTOs), decoded as leniently as the real, unseen servers need: ids as
//! numbers or strings, states in any case, times and durations in any common form, lists bare or
//! wrapped, unknown fields ignored. Converts into domain types; knows no HTTP.

use std::time::Duration;

use serde::Deserialize;
use serde_json::{Value, json};

use super::lenient;
use crate::domain::{Job, JobId, JobState, RunnerRequest, Session, SessionId, SessionState, Stamp};

/// Alternative names (`session_id`, `status`, `start_time`) are separate fields, not serde
/// aliases: a server sending both would otherwise fail with "duplicate field".
#[derive(Deserialize)]
pub(crate) struct SessionDto {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    session_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    assembly_ref: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    owner: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    state: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    status: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_stamp")]
    start: Option<Stamp>,
    #[serde(default, deserialize_with = "lenient::opt_stamp")]
    start_time: Option<Stamp>,
    #[serde(default, deserialize_with = "lenient::opt_stamp")]
    end: Option<Stamp>,
    #[serde(default, deserialize_with = "lenient::opt_stamp")]
    end_time: Option<Stamp>,
    #[serde(default, deserialize_with = "lenient::opt_duration")]
    duration: Option<Duration>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    gitlab_runner_tag: Option<String>,
}

impl SessionDto {
    pub(crate) fn into_session(self) -> Result<Session, String> {
        let id = self.id.or(self.session_id).filter(|s| !s.trim().is_empty());
        let id = id.ok_or("a session without an id")?;
        let (start, end) = (self.start.or(self.start_time), self.end.or(self.end_time));
        let duration = self.duration.or_else(|| {
            let (s, e) = (start.as_ref()?, end.as_ref()?);
            Duration::try_from(e.at().duration_since(s.at())).ok()
        });
        Ok(Session {
            id: SessionId(id),
            assembly_ref: self.assembly_ref.unwrap_or_default(),
            owner: self.owner,
            state: SessionState::parse(self.state.or(self.status).as_deref().unwrap_or("unknown")),
            start,
            end,
            // Derived when the server sends the slot but not its length.
            duration,
            gitlab_runner_tag: self.gitlab_runner_tag,
        })
    }
}

#[derive(Deserialize)]
pub(crate) struct JobDto {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    job_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    state: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    status: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    assembly_ref: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    session_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    gitlab_runner_tag: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_stamp")]
    created_at: Option<Stamp>,
    #[serde(default, deserialize_with = "lenient::opt_stamp")]
    updated_at: Option<Stamp>,
    #[serde(default)]
    error: Option<Value>,
    #[serde(default)]
    detail: Option<Value>,
}

/// A reason given as text, or as FastAPI's list of `{msg}` objects.
fn reason(v: Option<Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.trim().is_empty() => Some(s),
        Value::Array(items) => {
            let msgs: Vec<String> = items
                .iter()
                .filter_map(|i| i.get("msg").and_then(Value::as_str).map(str::to_string))
                .collect();
            (!msgs.is_empty()).then(|| msgs.join("; "))
        }
        Value::Object(o) => o.get("message").and_then(Value::as_str).map(str::to_string),
        _ => None,
    }
}

impl JobDto {
    /// `assembly_ref` fills in what the answer leaves out (the `POST` answer may only carry
    /// `job_id` and `state`).
    pub(crate) fn into_job(self, assembly_ref: Option<&str>) -> Result<Job, String> {
        let job_id = self.job_id.or(self.id).filter(|s| !s.trim().is_empty());
        Ok(Job {
            job_id: JobId(job_id.ok_or("a job without a job_id")?),
            state: JobState::parse(self.state.or(self.status).as_deref().unwrap_or("queued")),
            assembly_ref: self
                .assembly_ref
                .or_else(|| assembly_ref.map(str::to_string)),
            session_id: self.session_id.map(SessionId),
            gitlab_runner_tag: self.gitlab_runner_tag,
            created_at: self.created_at,
            updated_at: self.updated_at,
            error: reason(self.error).or_else(|| reason(self.detail)),
        })
    }
}

/// The documented body of `POST /api/v2.0/jobs`, and nothing else.
pub(crate) fn runner_request_body(req: &RunnerRequest) -> Value {
    json!({
        "put_in_queue": req.put_in_queue,
        "duration": crate::duration::format_iso(req.duration),
        "request_profile": {"assembly_ref": req.assembly_ref},
        "gitlab_runner_settings": {"provider_url": req.provider_url},
    })
}

/// Sessions from a list answer of any accepted shape; a broken element names its index.
pub(crate) fn sessions(v: Value) -> Result<Vec<Session>, String> {
    lenient::list(v)?
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            serde_json::from_value::<SessionDto>(item)
                .map_err(|e| e.to_string())
                .and_then(SessionDto::into_session)
                .map_err(|e| format!("session #{}: {e}", i + 1))
        })
        .collect()
}

/// A single object, possibly wrapped in `data` (some APIs wrap everything).
pub(crate) fn unwrap_object(v: Value) -> Value {
    match v {
        Value::Object(mut map)
            if map.len() == 1 && matches!(map.get("data"), Some(Value::Object(_))) =>
        {
            map.remove("data").unwrap_or(Value::Null)
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Option<crate::domain::Stamp> {
        s.parse::<jiff::Timestamp>().ok().map(Into::into)
    }

    fn session(v: Value) -> Session {
        serde_json::from_value::<SessionDto>(v)
            .expect("session decodes")
            .into_session()
            .expect("session has an id")
    }

    #[test]
    fn request_body_is_exactly_the_documented_shape() {
        let req = RunnerRequest {
            assembly_ref: "ASSEMBLY-1".into(),
            duration: Duration::from_secs(600),
            provider_url: "https://gitlab.example.com/".into(),
            put_in_queue: true,
        };
        assert_eq!(
            runner_request_body(&req),
            json!({"put_in_queue": true, "duration": "P0DT0H10M0.000000S",
                   "request_profile": {"assembly_ref": "ASSEMBLY-1"},
                   "gitlab_runner_settings": {"provider_url": "https://gitlab.example.com/"}})
        );
    }

    #[test]
    fn sessions_decode_in_every_accepted_form() {
        let s = session(json!({
            "id": 17, "assembly_ref": "ASM-1", "owner": "ann", "state": "ACTIVE",
            "start": "2026-01-05T10:00:00", "end": "2026-01-05T11:00:00+00:00",
            "duration": "P0DT1H0M0.000000S", "gitlab_runner_tag": "vehaas-17", "color": "blue"
        }));
        assert_eq!(s.id, "17");
        assert_eq!(s.state, SessionState::Active);
        assert_eq!(s.start, ts("2026-01-05T10:00:00Z"));
        assert_eq!(s.end, ts("2026-01-05T11:00:00Z"));
        assert_eq!(s.duration, Some(Duration::from_secs(3600)));

        let cases = [
            (json!({"id": "a", "duration": "PT10M"}), Some(600)),
            (json!({"id": "a", "duration": 600}), Some(600)),
            (json!({"id": "a", "duration": "600"}), Some(600)),
            (json!({"id": "a", "duration": "00:10:00"}), Some(600)),
            (
                json!({"id": "a", "duration": "P0DT0H10M0.000000S"}),
                Some(600),
            ),
            (
                json!({"id": "a", "start": "2026-01-05T10:00:00Z", "end": "2026-01-05T10:10:00Z"}),
                Some(600),
            ),
            (json!({"id": "a", "duration": "soon"}), None),
            (json!({"id": "a"}), None),
        ];
        for (v, want) in cases {
            assert_eq!(
                session(v.clone()).duration,
                want.map(Duration::from_secs),
                "{v}"
            );
        }

        for (state, want) in [
            ("scheduled", SessionState::Scheduled),
            ("Active", SessionState::Active),
            (" ENDED ", SessionState::Ended),
            ("released", SessionState::Released),
            ("On Hold", SessionState::Other("On Hold".into())),
        ] {
            assert_eq!(
                session(json!({"id": 1, "state": state})).state,
                want,
                "{state}"
            );
        }

        let minimal = session(json!({"session_id": "x-1", "status": "scheduled"}));
        assert_eq!(
            (minimal.id.as_str(), minimal.assembly_ref.as_str()),
            ("x-1", "")
        );
        assert_eq!(minimal.state, SessionState::Scheduled);
        assert_eq!(
            (minimal.owner, minimal.start, minimal.end),
            (None, None, None)
        );
        let both = session(json!({"id": 1, "session_id": 2, "state": "ended", "status": "x"}));
        assert_eq!((both.id.as_str(), both.state), ("1", SessionState::Ended));
        let no_id = serde_json::from_value::<SessionDto>(json!({"assembly_ref": "A"}));
        assert!(no_id.expect("decodes").into_session().is_err());
    }

    #[test]
    fn session_lists_bare_or_wrapped() {
        let one = json!({"id": 1, "assembly_ref": "A", "state": "active"});
        for v in [
            json!([one.clone()]),
            json!({"items": [one.clone()]}),
            json!({"results": [one.clone()], "count": 1}),
            json!({"data": [one.clone()]}),
        ] {
            let list = sessions(v.clone()).expect("list decodes");
            assert_eq!(list.len(), 1, "{v}");
            assert_eq!(list[0].id, "1");
        }
        let err = sessions(json!([one, {"assembly_ref": "B"}])).expect_err("second is broken");
        assert!(err.starts_with("session #2"), "{err}");
    }

    #[test]
    fn jobs_decode_minimal_and_full() {
        let minimal = serde_json::from_value::<JobDto>(json!({"job_id": 5, "state": "Queued"}))
            .expect("decodes")
            .into_job(Some("ASM-1"))
            .expect("has an id");
        assert_eq!(minimal.job_id, "5");
        assert_eq!(minimal.state, JobState::Queued);
        assert_eq!(minimal.assembly_ref.as_deref(), Some("ASM-1"));
        assert_eq!(
            (minimal.session_id, minimal.gitlab_runner_tag),
            (None, None)
        );

        let full = serde_json::from_value::<JobDto>(json!({
            "job_id": "j-1", "state": "FINISHED", "assembly_ref": "ASM-2", "session_id": 99,
            "gitlab_runner_tag": "tag", "created_at": "2026-01-05T10:00:00.123456",
            "updated_at": "2026-01-05T10:00:01Z", "extra": true
        }))
        .expect("decodes")
        .into_job(Some("ignored"))
        .expect("has an id");
        assert_eq!(full.state, JobState::Finished);
        assert_eq!(full.assembly_ref.as_deref(), Some("ASM-2"));
        assert_eq!(full.session_id.as_ref().map(|s| s.as_str()), Some("99"));
        assert_eq!(full.created_at, ts("2026-01-05T10:00:00.123456Z"));

        let odd = serde_json::from_value::<JobDto>(json!({"id": "j", "status": "provisioning"}))
            .expect("decodes")
            .into_job(None)
            .expect("has an id");
        assert_eq!(odd.state, JobState::Other("provisioning".into()));
        let both = serde_json::from_value::<JobDto>(json!({"id": 1, "job_id": "j-2"}))
            .expect("decodes")
            .into_job(None)
            .expect("has an id");
        assert_eq!(both.job_id, "j-2");
        let none = serde_json::from_value::<JobDto>(json!({"state": "queued"})).expect("decodes");
        assert!(none.into_job(None).is_err());
    }

    #[test]
    fn objects_may_be_wrapped_in_data() {
        assert_eq!(unwrap_object(json!({"data": {"id": 1}})), json!({"id": 1}));
        assert_eq!(unwrap_object(json!({"id": 1})), json!({"id": 1}));
        assert_eq!(unwrap_object(json!({"data": [1]})), json!({"data": [1]}));
    }
}
