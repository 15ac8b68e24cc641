//! What a state change will do, in plain words, given the controller's scopes: shown before
//! anything is sent (picker, toggle hint, confirmations, undo).

use crate::domain::{ControllerState, RunnerId, Scopes};

/// What a state means, in plain words.
pub fn meaning(s: &ControllerState) -> &'static str {
    match s {
        ControllerState::Disabled => "receives no admission requests",
        ControllerState::Enabled => "admit/reject decisions are enforced",
        ControllerState::DryRun => "rejections are only logged by the job router, never enforced",
        ControllerState::Other(_) => "a state this version of runnerdeck does not know",
    }
}

pub fn runner_list(ids: &[RunnerId]) -> String {
    let shown: Vec<String> = ids.iter().take(6).map(|i| format!("#{i}")).collect();
    let more = ids.len().saturating_sub(6);
    let mut s = shown.join(", ");
    if more > 0 {
        s.push_str(&format!(" and {more} more"));
    }
    let noun = if ids.len() == 1 { "runner" } else { "runners" };
    format!("{noun} {s}")
}

/// The change as `from -> to`.
pub fn change(from: &ControllerState, to: &ControllerState) -> String {
    format!("{from} -> {to}")
}

/// What ending in `to` means for a controller with these scopes (`None`: not known yet).
pub fn impact(to: &ControllerState, scopes: Option<&Scopes>) -> String {
    let Some(scopes) = scopes else {
        return format!("Scopes not loaded yet: {}.", meaning(to));
    };
    let runners: Vec<RunnerId> = scopes.runners.iter().map(|r| r.runner_id).collect();
    let target = if scopes.instance.is_some() {
        Some("every job on the whole instance".to_string())
    } else if !runners.is_empty() {
        Some(format!("jobs of {}", runner_list(&runners)))
    } else {
        None
    };
    match (to, target) {
        (ControllerState::Disabled, Some(t)) => {
            format!("It stops receiving admission requests and no longer judges {t}.")
        }
        (_, None) => "It has no scope: it receives no admission requests and has no effect until a scope is added.".into(),
        (ControllerState::Enabled, Some(t)) => format!(
            "It will admit or reject {t}; rejected jobs fail with job_router_failure."
        ),
        (ControllerState::DryRun, Some(t)) => format!(
            "It will judge {t}, but rejections are only logged by the job router, never enforced."
        ),
        (ControllerState::Other(s), Some(t)) => {
            format!("State {s:?} is unknown to runnerdeck; it applies to {t}.")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{RunnerScope, ScopeInfo};

    fn r(id: i64) -> RunnerId {
        RunnerId(id)
    }

    fn instance() -> Scopes {
        Scopes {
            instance: Some(ScopeInfo::default()),
            runners: vec![],
        }
    }

    fn runners(ids: &[i64]) -> Scopes {
        Scopes {
            instance: None,
            runners: ids
                .iter()
                .map(|id| RunnerScope {
                    runner_id: r(*id),
                    created_at: None,
                })
                .collect(),
        }
    }

    #[test]
    fn every_preview_text() {
        use ControllerState::*;
        let none = Scopes::default();
        let cases: Vec<(ControllerState, Option<Scopes>, &str)> = vec![
            (
                Enabled,
                Some(instance()),
                "It will admit or reject every job on the whole instance; rejected jobs fail with job_router_failure.",
            ),
            (
                DryRun,
                Some(instance()),
                "It will judge every job on the whole instance, but rejections are only logged by the job router, never enforced.",
            ),
            (
                Disabled,
                Some(instance()),
                "It stops receiving admission requests and no longer judges every job on the whole instance.",
            ),
            (
                Enabled,
                Some(runners(&[3])),
                "It will admit or reject jobs of runner #3; rejected jobs fail with job_router_failure.",
            ),
            (
                DryRun,
                Some(runners(&[1, 2])),
                "It will judge jobs of runners #1, #2, but rejections are only logged by the job router, never enforced.",
            ),
            (
                Enabled,
                Some(none.clone()),
                "It has no scope: it receives no admission requests and has no effect until a scope is added.",
            ),
            (
                DryRun,
                Some(none),
                "It has no scope: it receives no admission requests and has no effect until a scope is added.",
            ),
            (
                Enabled,
                None,
                "Scopes not loaded yet: admit/reject decisions are enforced.",
            ),
        ];
        for (to, scopes, want) in cases {
            assert_eq!(impact(&to, scopes.as_ref()), want, "{to} with {scopes:?}");
        }
    }

    #[test]
    fn long_runner_lists_are_shortened() {
        let s = runners(&[1, 2, 3, 4, 5, 6, 7, 8]);
        assert!(impact(&ControllerState::Enabled, Some(&s)).contains("#6 and 2 more"));
    }
}
