//! The runners of the simulated instance (the ones controllers are scoped to) and
//! `GET /api/v4/runners/:id`, an admin read outside the licensed feature. Status is computed
//! from the last contact the way GitLab does (online within 2 hours, stale after 7 days).

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use jiff::{SignedDuration, Timestamp};
use serde_json::json;

use super::gitlab::{GitlabSim, rails_time};
use super::gitlab_auth::{Access, authorize_admin};
use super::gitlab_params::{Answer, done, message, path_int};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RunnerType {
    Instance,
    Group,
    Project,
}

impl RunnerType {
    fn wire(self) -> &'static str {
        match self {
            RunnerType::Instance => "instance_type",
            RunnerType::Group => "group_type",
            RunnerType::Project => "project_type",
        }
    }
}

/// When the runner last asked for jobs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Contact {
    /// Polls all the time: contacted a few seconds before any read.
    Live,
    At(Timestamp),
    Never,
}

#[derive(Debug, Clone)]
pub(crate) struct Runner {
    pub(crate) id: i64,
    pub(crate) description: &'static str,
    pub(crate) runner_type: RunnerType,
    pub(crate) paused: bool,
    pub(crate) ip_address: Option<String>,
    pub(crate) contact: Contact,
    pub(crate) created_at: Timestamp,
}

/// GitLab: `ONLINE_CONTACT_TIMEOUT` and `STALE_TIMEOUT`.
const ONLINE_FOR: SignedDuration = SignedDuration::from_hours(2);
const STALE_AFTER: SignedDuration = SignedDuration::from_hours(7 * 24);

impl Runner {
    fn contacted_at(&self, now: Timestamp) -> Option<Timestamp> {
        match self.contact {
            Contact::Live => Some(now - SignedDuration::from_secs(7)),
            Contact::At(t) => Some(t),
            Contact::Never => None,
        }
    }

    /// `online`, `offline`, `stale` or `never_contacted`.
    pub(crate) fn status(&self, now: Timestamp) -> &'static str {
        match self.contacted_at(now) {
            Some(t) if now.duration_since(t) < ONLINE_FOR => "online",
            Some(t) if now.duration_since(t) < STALE_AFTER => "offline",
            Some(_) => "stale",
            None if now.duration_since(self.created_at) >= STALE_AFTER => "stale",
            None => "never_contacted",
        }
    }

    fn json(&self, now: Timestamp) -> serde_json::Value {
        let status = self.status(now);
        json!({
            "id": self.id,
            "description": self.description,
            "ip_address": self.ip_address,
            "active": !self.paused,
            "paused": self.paused,
            "is_shared": self.runner_type == RunnerType::Instance,
            "runner_type": self.runner_type.wire(),
            "name": "gitlab-runner",
            "online": status == "online",
            "status": status,
            "contacted_at": self.contacted_at(now).map(rails_time),
            "created_at": rails_time(self.created_at),
            "maintenance_note": null,
            "tag_list": [],
            "run_untagged": true,
            "locked": self.runner_type == RunnerType::Project,
            "access_level": "not_protected",
            "maximum_timeout": null,
            "version": "18.10.0",
            "revision": "4d7093e1",
            "platform": "linux",
            "architecture": if self.description.contains("arm64") { "arm64" } else { "amd64" },
            "projects": [],
            "groups": [],
        })
    }
}

/// The instance's runners, relative to `now`: healthy ones (1-5), a project and a group
/// runner (6, 7), and one of each trouble a health view looks for: paused (8), offline (9),
/// stale (10), never contacted (11).
pub(crate) fn fleet(now: Timestamp) -> BTreeMap<i64, Runner> {
    use Contact::{At, Live, Never};
    use RunnerType::{Group, Instance, Project};
    let ago = |hours: i64| now - SignedDuration::from_hours(hours);
    let rows = [
        (1, "shared-docker-01", Instance, false, Live, 9_000),
        (2, "shared-docker-02", Instance, false, Live, 9_000),
        (3, "arm64-graviton-01", Instance, false, Live, 6_000),
        (4, "x86-spot-pool", Instance, false, Live, 5_000),
        (5, "release-runner-01", Instance, false, Live, 4_500),
        (6, "payments project runner", Project, false, Live, 3_000),
        (7, "platform group runner", Group, false, Live, 3_000),
        (8, "gpu-a100-01", Instance, true, Live, 2_000),
        (9, "macos-m2-builder-03", Instance, false, At(ago(6)), 2_500),
        (10, "baremetal-07", Instance, false, At(ago(12 * 24)), 8_000),
        (11, "arm64-pool-new-01", Instance, false, Never, 48),
    ];
    rows.into_iter()
        .map(
            |(id, description, runner_type, paused, contact, created_h)| {
                let ip_address = (contact != Never).then(|| format!("10.0.{id}.{}", 10 + id));
                let runner = Runner {
                    id,
                    description,
                    runner_type,
                    paused,
                    ip_address,
                    contact,
                    created_at: ago(created_h),
                };
                (id, runner)
            },
        )
        .collect()
}

pub(crate) fn runner_not_found() -> Response {
    message(StatusCode::NOT_FOUND, "404 Runner Not Found")
}

/// `GET /api/v4/runners/:id`: 401 -> 403 (admins only) -> 400 -> 404.
pub(crate) async fn get_one(
    State(sim): State<GitlabSim>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    done((|| -> Answer {
        authorize_admin(&sim, &headers, Access::Read)?;
        let id = path_int("id", &id)?;
        let s = sim.lock();
        let runner = id
            .and_then(|id| s.runners.get(&id))
            .ok_or_else(runner_not_found)?;
        Ok(Json(runner.json(Timestamp::now())).into_response())
    })())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fleet_has_every_status() {
        let now = Timestamp::now();
        let f = fleet(now);
        let status = |id: i64| f.get(&id).map(|r| r.status(now));
        assert_eq!(status(1), Some("online"));
        assert_eq!(status(9), Some("offline"));
        assert_eq!(status(10), Some("stale"));
        assert_eq!(status(11), Some("never_contacted"));
        assert!(f.get(&8).is_some_and(|r| r.paused));
        assert!(!f.contains_key(&12));
    }
}
