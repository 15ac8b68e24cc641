//! The seeded past of the instance: what another administrator, alice, did over the last weeks,
//! as audit events consistent with the seeded rows (controller 2's state change, the rotation of
//! controller 1's first token, controller 36 set up from scratch, a throwaway controller).

use jiff::{SignedDuration, Timestamp};

use super::gitlab::GitlabState;
use super::gitlab_audit::{Change, TokenAction, record};
use super::gitlab_identity::ALICE;
use super::gitlab_tokens::issue;
use super::seed::ms;

/// Alice's throwaway controller: created and deleted, so its id is never served.
const THROWAWAY: &str = "load test: throwaway";
/// Her own personal access token (another entity: `User`).
const ALICE_PAT_ID: i64 = 201;

fn hours_ago(now: Timestamp, h: i64) -> Timestamp {
    ms(now - SignedDuration::from_hours(h))
}

/// Appends alice's events, oldest first, so that ids grow with time as on a real instance.
/// Needs the seeded rows in place.
pub(crate) fn seed_history(s: &mut GitlabState, now: Timestamp) {
    let mut events: Vec<(Timestamp, Change)> = Vec::new();

    // Controller 29 was hers, 33 days ago: outside the default 30-day window.
    if let Some(c) = s.controllers.get(&29) {
        events.push((c.created_at, created(c.id, &c.description, "disabled")));
    }

    let id = s.next_controller_id;
    s.next_controller_id += 1;
    let throwaway = Some(THROWAWAY.to_string());
    events.push((hours_ago(now, 9 * 24), created(id, &throwaway, "disabled")));
    let deleted = Change::ControllerDeleted {
        id,
        description: throwaway,
    };
    events.push((hours_ago(now, 8 * 24), deleted));

    events.extend(rotate_first_token(s, hours_ago(now, 72), now));

    if let Some(c) = s.controllers.get(&2) {
        let change = Change::ControllerUpdated {
            id: c.id,
            description: c.description.clone(),
            state: Some(("enabled".into(), c.state.clone())),
        };
        events.push((c.updated_at, change));
    }

    let pat = Change::PersonalAccessTokenCreated {
        pat_id: ALICE_PAT_ID,
    };
    events.push((hours_ago(now, 24), pat));

    events.extend(set_up_controller_36(s));

    events.sort_by_key(|(at, _)| *at);
    for (at, change) in events {
        record(s, &ALICE, at, change);
    }
}

fn created(id: i64, description: &Option<String>, state: &str) -> Change {
    Change::ControllerCreated {
        id,
        description: description.clone(),
        state: state.to_string(),
    }
}

/// Controller 1's first token was rotated at `at`: it stays behind revoked (never served) and
/// its successor, used two minutes ago, has a new id.
fn rotate_first_token(
    s: &mut GitlabState,
    at: Timestamp,
    now: Timestamp,
) -> Option<(Timestamp, Change)> {
    let old = s.tokens.values_mut().find(|t| t.controller_id == 1)?;
    old.revoked = true;
    old.updated_at = at;
    let description = old.description.clone();
    let (new_id, _secret) = issue(s, 1, description.clone(), at);
    if let Some(n) = s.tokens.get_mut(&new_id) {
        n.last_used_at = Some(ms(now - SignedDuration::from_mins(2)));
    }
    let change = Change::Token {
        action: TokenAction::Rotated,
        token_id: new_id,
        description,
    };
    Some((at, change))
}

/// Controller 36 (created 10 hours ago, enabled 1 hour ago): created disabled, given a token,
/// scoped to runner 3, then enabled.
fn set_up_controller_36(s: &GitlabState) -> Vec<(Timestamp, Change)> {
    let Some(c) = s.controllers.get(&36) else {
        return Vec::new();
    };
    let mut out = vec![(c.created_at, created(c.id, &c.description, "disabled"))];
    for t in s.tokens.values().filter(|t| t.controller_id == c.id) {
        let change = Change::Token {
            action: TokenAction::Created,
            token_id: t.id,
            description: t.description.clone(),
        };
        out.push((t.created_at, change));
    }
    for (runner_id, scoping) in &c.runner_scopes {
        let change = Change::RunnerScope {
            added: true,
            scoping_id: scoping.id,
            runner_id: *runner_id,
        };
        out.push((scoping.created_at, change));
    }
    let enabled = Change::ControllerUpdated {
        id: c.id,
        description: c.description.clone(),
        state: Some(("disabled".into(), c.state.clone())),
    };
    // Enabled last: the sort keeps this order for equal times.
    out.push((c.updated_at, enabled));
    out
}

#[cfg(test)]
mod tests {
    use super::super::seed::seed;
    use super::*;

    #[test]
    fn ids_grow_with_time_and_alice_made_them_all() {
        let mut s = GitlabState::new_for_tests();
        let now = Timestamp::now();
        seed(&mut s, now);
        assert!(s.audit.len() >= 8);
        assert!(
            s.audit
                .windows(2)
                .all(|w| w[0].created_at <= w[1].created_at)
        );
        assert!(s.audit.windows(2).all(|w| w[0].id < w[1].id));
        assert!(s.audit.iter().all(|e| e.author.username == "alice"));
        assert!(s.audit.iter().all(|e| e.created_at <= now));
        let rotated = s
            .audit
            .iter()
            .find(|e| e.event_name == "runner_controller_token_rotated");
        let new_token = rotated.map(|e| e.target_id);
        assert!(new_token.is_some_and(|t| s.tokens.get(&t).is_some_and(|t| !t.revoked)));
        assert!(!s.controllers.contains_key(&(s.next_controller_id - 1)));
    }
}
