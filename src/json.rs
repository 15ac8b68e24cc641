//! JSON shapes of the domain types, with the API's own field names, lists as arrays and times
//! as the server wrote them (RFC 3339). Shared by the scripting output, the audit log and the
//! raw view; a token's secret is never part of any of them.

use serde_json::{Value, json};

use crate::domain::{ControllerToken, Job, RunnerController, RunnerRequest, Scopes, Session};

pub fn controller_json(c: &RunnerController) -> Value {
    json!({
        "id": c.id,
        "description": c.description,
        "state": c.state.as_str(),
        "created_at": c.created_at.as_ref().map(|t| t.to_string()),
        "updated_at": c.updated_at.as_ref().map(|t| t.to_string()),
        "connected": c.connected,
    })
}

pub fn session_json(s: &Session) -> Value {
    json!({
        "id": s.id,
        "assembly_ref": s.assembly_ref,
        "owner": s.owner,
        "state": s.state.as_str(),
        "start": s.start.as_ref().map(|t| t.to_string()),
        "end": s.end.as_ref().map(|t| t.to_string()),
        "duration_seconds": s.duration.map(|d| d.as_secs()),
        "gitlab_runner_tag": s.gitlab_runner_tag,
    })
}

/// A token without its secret (the secret is only ever added by token create/rotate output).
pub fn token_json(t: &ControllerToken) -> Value {
    json!({
        "id": t.id,
        "runner_controller_id": t.runner_controller_id,
        "description": t.description,
        "last_used_at": t.last_used_at.as_ref().map(|t| t.to_string()),
        "created_at": t.created_at.as_ref().map(|t| t.to_string()),
        "updated_at": t.updated_at.as_ref().map(|t| t.to_string()),
    })
}

pub fn scopes_json(s: &Scopes) -> Value {
    json!({
        "instance": s.instance.as_ref().map(|i| json!({
            "created_at": i.created_at.as_ref().map(|t| t.to_string()),
        })),
        "runners": s.runners.iter().map(|r| json!({
            "runner_id": r.runner_id,
            "created_at": r.created_at.as_ref().map(|t| t.to_string()),
        })).collect::<Vec<_>>(),
    })
}

pub fn job_json(j: &Job) -> Value {
    json!({
        "job_id": j.job_id,
        "state": j.state.as_str(),
        "assembly_ref": j.assembly_ref,
        "session_id": j.session_id,
        "gitlab_runner_tag": j.gitlab_runner_tag,
        "created_at": j.created_at.as_ref().map(|t| t.to_string()),
        "updated_at": j.updated_at.as_ref().map(|t| t.to_string()),
    })
}

/// What a runner request asked for (the body's facts, in the API's words).
pub fn request_json(r: &RunnerRequest) -> Value {
    json!({
        "assembly_ref": r.assembly_ref,
        "duration": crate::duration::format_iso(r.duration),
        "provider_url": r.provider_url,
        "put_in_queue": r.put_in_queue,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ControllerId, ControllerState, Stamp};

    #[test]
    fn times_keep_the_servers_text() {
        let text = "2026-01-05T10:20:30.960Z";
        let at: jiff::Timestamp = text.parse().expect("time");
        let c = RunnerController {
            id: ControllerId(7),
            description: None,
            state: ControllerState::Enabled,
            created_at: Some(Stamp::new(at, text)),
            updated_at: Some(Stamp::new(at, "2026-01-05T10:20:30.000Z")),
            connected: None,
        };
        let v = controller_json(&c);
        assert_eq!(v["created_at"], text, "never .96Z");
        // A text that does not say the same instant is not trusted.
        assert_eq!(v["updated_at"], "2026-01-05T10:20:30.96Z");
        assert_eq!(v["id"], 7);
    }
}
