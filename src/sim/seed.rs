//! Deterministic demo data for the GitLab simulator: controllers in every state, some with a
//! null description, tokens and scopes. Only the timestamps move (they are relative to now).

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};

use super::gitlab::{Controller, GitlabState, Scoping};
use super::gitlab_tokens::issue;

#[derive(Clone, Copy)]
enum Scope {
    None,
    Instance,
    Runners(&'static [i64]),
}

/// One seeded controller: description, state, created (hours ago), updated (hours ago),
/// tokens (each: minutes since last use, or never), scope.
struct Row(
    Option<&'static str>,
    &'static str,
    i64,
    i64,
    &'static [Option<i64>],
    Scope,
);

const ROWS: &[Row] = &[
    Row(
        Some("kas admission prod"),
        "enabled",
        4_300,
        30,
        &[Some(2), None],
        Scope::Instance,
    ),
    Row(
        Some("kas admission staging"),
        "dry_run",
        4_200,
        50,
        &[Some(15)],
        Scope::Runners(&[1, 2]),
    ),
    Row(
        Some("fleet: arm64 runners"),
        "enabled",
        4_000,
        400,
        &[Some(40)],
        Scope::Runners(&[3]),
    ),
    Row(
        Some("fleet: x86_64 spot runners"),
        "dry_run",
        3_900,
        700,
        &[None],
        Scope::Runners(&[4, 5]),
    ),
    Row(
        Some("compliance gate (SOX)"),
        "enabled",
        3_800,
        12,
        &[Some(1)],
        Scope::Runners(&[1]),
    ),
    Row(
        Some("GPU quota guard"),
        "dry_run",
        3_600,
        96,
        &[Some(300)],
        Scope::Runners(&[2]),
    ),
    Row(None, "disabled", 3_500, 3_500, &[], Scope::None),
    Row(
        Some("license scanner policy"),
        "disabled",
        3_300,
        1_200,
        &[],
        Scope::None,
    ),
    Row(
        Some("fork pipeline blocker"),
        "enabled",
        3_100,
        200,
        &[Some(5)],
        Scope::Instance,
    ),
    Row(
        Some("night-freeze window (prod deploys)"),
        "dry_run",
        3_000,
        24,
        &[Some(20), Some(600)],
        Scope::Runners(&[5]),
    ),
    Row(
        Some("cost center tagging"),
        "disabled",
        2_900,
        2_000,
        &[None],
        Scope::None,
    ),
    Row(
        Some("secrets detection pre-check"),
        "dry_run",
        2_800,
        10,
        &[Some(59)],
        Scope::Runners(&[1, 3]),
    ),
    Row(Some(""), "disabled", 2_700, 2_700, &[], Scope::None),
    Row(
        Some("SBOM attestation required"),
        "enabled",
        2_600,
        150,
        &[Some(3)],
        Scope::Runners(&[2, 4]),
    ),
    Row(
        Some("legacy shell executor sunset"),
        "disabled",
        2_500,
        900,
        &[],
        Scope::None,
    ),
    Row(
        Some("mac mini pool fair share"),
        "dry_run",
        2_400,
        70,
        &[None, None],
        Scope::Runners(&[4]),
    ),
    Row(None, "dry_run", 2_300, 60, &[Some(90)], Scope::None),
    Row(
        Some("protected branch only: release runners"),
        "enabled",
        2_200,
        330,
        &[Some(12)],
        Scope::Runners(&[5]),
    ),
    Row(
        Some("FinOps budget cap (team quotas)"),
        "disabled",
        2_100,
        1_500,
        &[],
        Scope::None,
    ),
    Row(
        Some("image allowlist (registry.internal only)"),
        "dry_run",
        2_000,
        5,
        &[Some(8)],
        Scope::Runners(&[3]),
    ),
    Row(
        Some("EU data residency"),
        "enabled",
        1_900,
        480,
        &[Some(30)],
        Scope::Runners(&[1]),
    ),
    Row(
        Some("ci-minutes abuse detector"),
        "dry_run",
        1_800,
        240,
        &[None],
        Scope::None,
    ),
    Row(
        Some("kas admission canary"),
        "disabled",
        1_700,
        1_700,
        &[],
        Scope::None,
    ),
    Row(
        None,
        "enabled",
        1_600,
        100,
        &[Some(45)],
        Scope::Runners(&[2]),
    ),
    Row(
        Some("dependency proxy enforcement"),
        "disabled",
        1_500,
        800,
        &[],
        Scope::None,
    ),
    Row(
        Some("hardware-in-the-loop booking gate (veHaaS)"),
        "enabled",
        1_400,
        2,
        &[Some(1), None],
        Scope::Runners(&[4, 5]),
    ),
    Row(
        Some("maintenance window: runner upgrades"),
        "dry_run",
        1_200,
        36,
        &[],
        Scope::None,
    ),
    Row(
        Some("untrusted MR pipelines → sandbox only"),
        "dry_run",
        1_000,
        20,
        &[Some(25)],
        Scope::Runners(&[3]),
    ),
    Row(
        Some("Windows runners: signed builds"),
        "disabled",
        800,
        600,
        &[None],
        Scope::None,
    ),
    Row(
        Some("job timeout ceiling 3h"),
        "enabled",
        600,
        48,
        &[Some(120)],
        Scope::Runners(&[1, 2, 3]),
    ),
    Row(
        Some("security team audit (read-only)"),
        "dry_run",
        400,
        8,
        &[Some(10)],
        Scope::None,
    ),
    Row(None, "disabled", 300, 300, &[], Scope::None),
    Row(
        Some("loadtest: ignore"),
        "disabled",
        200,
        150,
        &[],
        Scope::None,
    ),
    Row(
        Some("Ünïcode-heavy description ✓ 検査"),
        "dry_run",
        100,
        4,
        &[None],
        Scope::None,
    ),
    Row(
        Some("new policy draft — review with platform team before enabling; see runbook RB-142"),
        "disabled",
        30,
        1,
        &[],
        Scope::None,
    ),
    Row(
        Some("arm64 canary (Graviton)"),
        "enabled",
        10,
        1,
        &[Some(4)],
        Scope::Runners(&[3]),
    ),
];

fn ms(t: Timestamp) -> Timestamp {
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
        let scoping = Scoping {
            created_at: updated_at,
            updated_at,
        };
        let (instance_scope, runner_scopes) = match scope {
            Scope::None => (None, BTreeMap::new()),
            Scope::Instance => (Some(scoping), BTreeMap::new()),
            Scope::Runners(ids) => (None, ids.iter().map(|r| (*r, scoping.clone())).collect()),
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
    // A rotated token leaves a revoked one behind, never served.
    let first = s.tokens.keys().next().copied();
    if let Some(tid) = first
        && let Some(t) = s.tokens.get_mut(&tid)
    {
        let (cid, desc, at) = (t.controller_id, t.description.clone(), t.created_at);
        t.revoked = true;
        let (new_id, _secret) = issue(s, cid, desc, at);
        if let Some(n) = s.tokens.get_mut(&new_id) {
            n.last_used_at = Some(ms(now - SignedDuration::from_mins(2)));
        }
    }
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
    }
}
