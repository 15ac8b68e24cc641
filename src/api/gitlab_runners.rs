//! `GET /api/v4/runners/:id` on the GitLab client: the runners a controller is scoped to, for
//! the findings. A 404 is an answer ("gone": the runner was deleted, its scope stayed), not an
//! error. Decoded leniently: older servers say `active` instead of `paused`.

use serde::Deserialize;

use super::error::ApiError;
use super::gitlab::GitLab;
use super::lenient;
use crate::domain::RunnerId;
use crate::health::{Runner, RunnerSeen, RunnerStatus};

#[derive(Deserialize)]
struct RunnerDto {
    #[serde(deserialize_with = "lenient::i64_id")]
    id: i64,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    description: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    runner_type: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    status: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    paused: Option<bool>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    active: Option<bool>,
}

impl From<RunnerDto> for Runner {
    fn from(d: RunnerDto) -> Self {
        Runner {
            id: RunnerId(d.id),
            description: d.description,
            runner_type: d.runner_type,
            status: RunnerStatus::parse(d.status.as_deref().unwrap_or("unknown")),
            paused: d.paused.or(d.active.map(|a| !a)).unwrap_or(false),
        }
    }
}

impl GitLab {
    /// The runner, or `Gone` when GitLab answers 404.
    pub async fn get_runner(&self, id: RunnerId) -> Result<RunnerSeen, ApiError> {
        let id_s = id.to_string();
        let what = format!("runner {id}");
        match self
            .read(&["runners", &id_s], "GET /api/v4/runners/:id", &what)
            .await
        {
            Ok(reply) => Ok(RunnerSeen::Found(reply.decode::<RunnerDto>()?.into())),
            Err(ApiError::NotFound { .. }) => Ok(RunnerSeen::Gone),
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn runner(v: serde_json::Value) -> Runner {
        serde_json::from_value::<RunnerDto>(v)
            .expect("decodes")
            .into()
    }

    #[test]
    fn paused_or_not_active_and_any_status() {
        let r = runner(json!({"id": 8, "status": "online", "paused": true, "active": false}));
        assert!(r.paused);
        assert_eq!(r.status, RunnerStatus::Online);
        let r = runner(json!({"id": "9", "status": "OFFLINE", "active": false}));
        assert!(r.paused, "older servers: active = not paused");
        assert_eq!(r.status, RunnerStatus::Offline);
        let r = runner(json!({"id": 10, "status": "resting"}));
        assert!(!r.paused);
        assert_eq!(r.status, RunnerStatus::Other("resting".into()));
    }
}
