//! GitLab's instance audit events (`GET /api/v4/audit_events`, Premium/Ultimate, admins) on the
//! GitLab client: the runner controller events of a period, newest first. GitLab answers at
//! most 30 days a query, so a longer period is asked window by window; every page is followed
//! (`X-Next-Page`, else `Link: rel="next"`). Decoded leniently: `event_name` at the top or in
//! `details`, ids as numbers or strings, an event that cannot be read is skipped.

use std::collections::HashSet;

use jiff::{SignedDuration, Timestamp};
use reqwest::Method;
use serde_json::Value;

use super::error::{Api, ApiError, Context};
use super::gitlab::GitLab;
use super::{lenient, pagination, time};
use crate::health::events::{self, EventParts, ServerEvent};

/// One query covers at most this much (GitLab: 30 days), with a margin for clock rounding.
const WINDOW: SignedDuration = SignedDuration::from_secs(30 * 24 * 3600 - 60);

const ENDPOINT: &str = "GET /api/v4/audit_events";

/// The periods to ask for, newest first, each within one window.
fn windows(since: Timestamp, until: Timestamp) -> Vec<(Timestamp, Timestamp)> {
    let mut out = Vec::new();
    let mut before = until;
    while before > since {
        let after = before.checked_sub(WINDOW).unwrap_or(since).max(since);
        out.push((after, before));
        before = after;
    }
    out
}

fn iso(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

impl GitLab {
    /// The runner controller events from `since` to `until`, newest first. Without the
    /// licence GitLab answers 404 (`NotLicensed`); a non-admin gets 403 (`Forbidden`).
    pub async fn runner_controller_events(
        &self,
        since: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<ServerEvent>, ApiError> {
        let mut out: Vec<ServerEvent> = Vec::new();
        let mut seen = HashSet::new();
        for (after, before) in windows(since, until) {
            for v in self.audit_window(after, before).await? {
                if let Some(e) = event(&v).filter(|e| seen.insert(e.id)) {
                    out.push(e);
                }
            }
        }
        out.sort_by(|a, b| b.at.cmp(&a.at).then(b.id.cmp(&a.id)));
        Ok(out)
    }

    /// Every page of one window.
    async fn audit_window(
        &self,
        after: Timestamp,
        before: Timestamp,
    ) -> Result<Vec<Value>, ApiError> {
        let cx = Context {
            api: Api::GitLab,
            what: "instance audit events",
            unlicensed_on_404: true,
        };
        let mut out = Vec::new();
        let mut page = 1u64;
        let mut pages = HashSet::new();
        loop {
            if !pages.insert(page) || pages.len() > pagination::MAX_PAGES {
                return Err(ApiError::Decode {
                    message: format!("the server's pagination loops (page {page} again)"),
                });
            }
            let mut url = self.url(&["audit_events"])?;
            url.query_pairs_mut()
                .append_pair("entity_type", "Gitlab::Audit::InstanceScope")
                .append_pair("created_after", &iso(after))
                // Whole seconds: the end is rounded up so this second's events are in.
                .append_pair(
                    "created_before",
                    &iso(before + SignedDuration::from_secs(1)),
                )
                .append_pair("page", &page.to_string())
                .append_pair("per_page", &pagination::PER_PAGE.to_string());
            let reply = self
                .http
                .call(Method::GET, url.clone(), ENDPOINT, None, &[], &cx)
                .await?;
            let items =
                lenient::list(reply.decode()?).map_err(|message| ApiError::Decode { message })?;
            out.extend(items);
            match pagination::next_page(&reply.headers, &url) {
                Some(next) => page = next,
                None => return Ok(out),
            }
        }
    }
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(lenient::string_of)
}

fn int(v: &Value, key: &str) -> Option<i64> {
    match v.get(key)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// One event, if it reads as a runner controller event.
fn event(v: &Value) -> Option<ServerEvent> {
    let id = int(v, "id")?;
    let empty = Value::Null;
    let details = v.get("details").unwrap_or(&empty);
    let changed = details.get("state_changed").unwrap_or(&empty);
    let parts = EventParts {
        event_name: text(v, "event_name").or_else(|| text(details, "event_name")),
        custom_message: text(details, "custom_message"),
        target_type: text(details, "target_type"),
        state: text(details, "state"),
        state_from: text(changed, "from"),
        state_to: text(changed, "to"),
    };
    if !events::is_runner_controller(&parts) {
        return None;
    }
    let at = text(v, "created_at")
        .and_then(|s| time::parse_lenient(&s).map(|t| crate::domain::Stamp::new(t, &s)));
    Some(ServerEvent {
        id,
        at,
        author: text(details, "author_name"),
        author_id: int(v, "author_id"),
        action: events::action(&parts),
        target_type: parts.target_type.clone(),
        target_id: int(details, "target_id"),
        message: parts.custom_message.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::health::events::Action;
    use serde_json::json;

    #[test]
    fn long_periods_are_asked_window_by_window() {
        let until: Timestamp = "2026-11-22T10:00:00Z".parse().expect("time");
        let w = windows(until - SignedDuration::from_hours(24 * 7), until);
        assert_eq!(w.len(), 1);
        let w = windows(until - SignedDuration::from_hours(24 * 75), until);
        assert_eq!(w.len(), 3);
        assert!(w.iter().all(|(a, b)| b.duration_since(*a) <= WINDOW));
        assert_eq!(w[0].1, until, "newest first");
        assert!(w.windows(2).all(|p| p[0].0 == p[1].1), "no gap");
    }

    #[test]
    fn events_in_either_shape_and_others_skipped() {
        let newer = json!({"id": 5, "author_id": 3, "event_name": "runner_controller_updated",
            "created_at": "2026-11-20T10:00:00.123Z",
            "details": {"author_name": "Alice Admin", "target_id": 2, "target_type": "Ci::RunnerController",
                "custom_message": "Updated runner controller state from enabled to dry_run",
                "state_changed": {"from": "enabled", "to": "dry_run"}}});
        let e = event(&newer).expect("an event");
        assert_eq!(e.author.as_deref(), Some("Alice Admin"));
        assert!(matches!(e.action, Action::Updated { state: Some(_) }));
        assert_eq!(
            e.at.as_ref().map(|t| t.as_str()),
            Some("2026-11-20T10:00:00.123Z")
        );
        let older = json!({"id": "6", "details": {"event_name": "runner_controller_deleted", "target_id": "4"}});
        let e = event(&older).expect("an event");
        assert_eq!((e.action, e.target_id), (Action::Deleted, Some(4)));
        let other = json!({"id": 7, "event_name": "personal_access_token_created", "details": {}});
        assert!(event(&other).is_none());
        assert!(
            event(&json!({"event_name": "runner_controller_deleted"})).is_none(),
            "no id"
        );
    }
}
