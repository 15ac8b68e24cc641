//! Deterministic demo data for the GitLab simulator: the controllers of `seed_rows.rs` with their
//! tokens and scopes, then the history of `seed_history.rs`. Only the timestamps move (they are
//! relative to now).

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};

use super::gitlab::{Controller, GitlabState};
use super::gitlab_tokens::issue;
use super::seed_rows::{ROWS, Row, Scope};

pub(crate) fn ms(t: Timestamp) -> Timestamp {
    Timestamp::from_millisecond(t.as_millisecond()).unwrap_or(t)
}

/// Fills an empty state. Offsets add a few deterministic minutes and milliseconds so the
/// times do not look machine-made.
pub(crate) fn seed(s: &mut GitlabState, now: Timestamp) {
    for (i, Row(description, state, created_h, updated_h, tokens, scope)) in ROWS.iter().enumerate()
    {
        let i = i as i64;
        let jitter = SignedDuration::from_millis(i * 7_919 % 3_600_000);
        let created_at = ms(now - SignedDuration::from_hours(*created_h) - jitter);
        let updated_at =
            ms((now - SignedDuration::from_hours(*updated_h) - jitter / 2).max(created_at));
        let id = s.next_controller_id;
        s.next_controller_id += 1;
        let (instance_scope, runner_scopes) = match scope {
            Scope::None => (None, BTreeMap::new()),
            Scope::Instance => (Some(s.new_scoping(updated_at)), BTreeMap::new()),
            Scope::Runners(ids) => {
                let scoped = ids.iter().map(|r| (*r, s.new_scoping(updated_at)));
                (None, scoped.collect())
            }
        };
        s.controllers.insert(
            id,
            Controller {
                id,
                description: description.map(str::to_string),
                state: (*state).to_string(),
                created_at,
                updated_at,
                instance_scope,
                runner_scopes,
            },
        );
        for (n, last_used_min) in tokens.iter().enumerate() {
            let description = Some(format!("controller {id} token {}", n + 1));
            let (tid, _secret) = issue(s, id, description, created_at);
            if let Some(t) = s.tokens.get_mut(&tid) {
                t.last_used_at =
                    last_used_min.map(|m| ms(now - SignedDuration::from_mins(m) - jitter / 60));
            }
        }
    }
    super::seed_history::seed_history(s, now);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_has_every_state_and_shape() {
        let mut s = GitlabState::new_for_tests();
        seed(&mut s, Timestamp::now());
        assert!(s.controllers.len() >= 34);
        for st in ["disabled", "enabled", "dry_run"] {
            assert!(s.controllers.values().any(|c| c.state == st));
        }
        assert!(s.controllers.values().any(|c| c.description.is_none()));
        assert!(s.controllers.values().any(|c| c.instance_scope.is_some()));
        assert!(s.controllers.values().any(|c| !c.runner_scopes.is_empty()));
        assert!(s.controllers.values().all(|c| c.created_at <= c.updated_at));
        assert!(
            s.controllers
                .values()
                .all(|c| c.instance_scope.is_none() || c.runner_scopes.is_empty())
        );
        assert!(s.tokens.values().any(|t| t.revoked));
        assert_eq!(s.controllers.len(), ROWS.len());
    }
}
