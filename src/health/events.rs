//! GitLab's instance audit events of runner controllers, as facts: who did what to which
//! controller, when. The event is named by `event_name` (newer servers, at the top or inside
//! `details`), else recognised by its `custom_message`; token and scope events name the token
//! or the scoping as target, so they are tied to a controller only where the target says so.

use crate::domain::{ControllerId, ControllerState, RunnerId, Stamp, TokenId};

/// What a token event did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenAction {
    Created,
    Rotated,
    Revoked,
}

/// What happened, as far as the event says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Created {
        state: Option<ControllerState>,
    },
    /// `state` is `(from, to)` when the state changed.
    Updated {
        state: Option<(ControllerState, ControllerState)>,
    },
    Deleted,
    Token(TokenAction),
    InstanceScope {
        added: bool,
    },
    RunnerScope {
        added: bool,
        runner: Option<RunnerId>,
    },
    /// Another runner controller event (a newer GitLab): its name as it came.
    Other(String),
}

impl Action {
    /// GitLab's name of the event (`runner_controller_updated`), for scripts.
    pub fn event_name(&self) -> &str {
        match self {
            Action::Created { .. } => "runner_controller_created",
            Action::Updated { .. } => "runner_controller_updated",
            Action::Deleted => "runner_controller_deleted",
            Action::Token(TokenAction::Created) => "runner_controller_token_created",
            Action::Token(TokenAction::Rotated) => "runner_controller_token_rotated",
            Action::Token(TokenAction::Revoked) => "runner_controller_token_revoked",
            Action::InstanceScope { added: true } => "runner_controller_instance_scope_added",
            Action::InstanceScope { added: false } => "runner_controller_instance_scope_removed",
            Action::RunnerScope { added: true, .. } => "runner_controller_runner_scope_added",
            Action::RunnerScope { added: false, .. } => "runner_controller_runner_scope_removed",
            Action::Other(name) => name,
        }
    }
}

/// One runner controller event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerEvent {
    pub id: i64,
    pub at: Option<Stamp>,
    /// `details.author_name`, else `None` (the author's id is kept apart).
    pub author: Option<String>,
    pub author_id: Option<i64>,
    pub action: Action,
    pub target_type: Option<String>,
    pub target_id: Option<i64>,
    /// The server's own sentence (`custom_message`).
    pub message: Option<String>,
}

/// What an event carries, decoded leniently by the API client.
#[derive(Debug, Clone, Default)]
pub struct EventParts {
    pub event_name: Option<String>,
    pub custom_message: Option<String>,
    pub target_type: Option<String>,
    /// `details.state` of a creation.
    pub state: Option<String>,
    /// `details.state_changed.from` / `.to` of an update.
    pub state_from: Option<String>,
    pub state_to: Option<String>,
}

const CONTROLLER_TARGET: &str = "Ci::RunnerController";
const TOKEN_TARGET: &str = "Ci::RunnerControllerToken";

impl ServerEvent {
    /// The controller the event is about: its target when that is a controller; for a token
    /// event, the owner of the token if `token_owner` knows it. Scope events name a scoping
    /// the API never shows, so they stay instance-wide.
    pub fn controller(
        &self,
        token_owner: impl Fn(TokenId) -> Option<ControllerId>,
    ) -> Option<ControllerId> {
        let target = self.target_id?;
        match (&self.action, self.target_type.as_deref()) {
            (Action::Token(_), _) | (_, Some(TOKEN_TARGET)) => token_owner(TokenId(target)),
            (Action::InstanceScope { .. } | Action::RunnerScope { .. }, _) => None,
            (_, Some(CONTROLLER_TARGET) | None) => Some(ControllerId(target)),
            (_, Some(_)) => None,
        }
    }
}

/// Whether the event is a runner controller event at all.
pub fn is_runner_controller(p: &EventParts) -> bool {
    p.event_name
        .as_deref()
        .is_some_and(|n| n.starts_with("runner_controller"))
        || p.target_type
            .as_deref()
            .is_some_and(|t| t.starts_with(CONTROLLER_TARGET))
        || p.event_name.is_none()
            && p.custom_message
                .as_deref()
                .is_some_and(|m| m.contains("runner controller"))
}

fn state_of(s: Option<&str>) -> Option<ControllerState> {
    s.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(ControllerState::parse)
}

/// The action of an event, by its name, else by its message.
pub fn action(p: &EventParts) -> Action {
    let name = p
        .event_name
        .clone()
        .or_else(|| p.custom_message.as_deref().and_then(name_from_message));
    let message = p.custom_message.as_deref().unwrap_or_default();
    let runner = message
        .split_once("runner #")
        .and_then(|(_, rest)| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .map(RunnerId);
    let Some(name) = name else {
        return Action::Other(String::new());
    };
    match name.as_str() {
        "runner_controller_created" => Action::Created {
            state: state_of(p.state.as_deref())
                .or_else(|| state_of(message.rsplit_once("with state ").map(|x| x.1))),
        },
        "runner_controller_updated" => {
            let from_to = match (
                state_of(p.state_from.as_deref()),
                state_of(p.state_to.as_deref()),
            ) {
                (Some(a), Some(b)) => Some((a, b)),
                _ => state_change_in(message),
            };
            Action::Updated { state: from_to }
        }
        "runner_controller_deleted" => Action::Deleted,
        "runner_controller_token_created" => Action::Token(TokenAction::Created),
        "runner_controller_token_rotated" => Action::Token(TokenAction::Rotated),
        "runner_controller_token_revoked" => Action::Token(TokenAction::Revoked),
        "runner_controller_instance_scope_added" => Action::InstanceScope { added: true },
        "runner_controller_instance_scope_removed" => Action::InstanceScope { added: false },
        "runner_controller_runner_scope_added" => Action::RunnerScope {
            added: true,
            runner,
        },
        "runner_controller_runner_scope_removed" => Action::RunnerScope {
            added: false,
            runner,
        },
        _ => Action::Other(name),
    }
}

/// `Updated runner controller state from A to B`.
fn state_change_in(message: &str) -> Option<(ControllerState, ControllerState)> {
    let (_, rest) = message.split_once("state from ")?;
    let (from, to) = rest.split_once(" to ")?;
    Some((
        state_of(Some(from))?,
        state_of(to.split_whitespace().next())?,
    ))
}

/// An older server's event without a name, recognised by GitLab's own sentences.
fn name_from_message(m: &str) -> Option<String> {
    let name = if m.contains("runner controller token") {
        if m.starts_with("Created") {
            "runner_controller_token_created"
        } else if m.starts_with("Rotated") {
            "runner_controller_token_rotated"
        } else if m.starts_with("Revoked") {
            "runner_controller_token_revoked"
        } else {
            return None;
        }
    } else if m.contains("instance-level scope") {
        if m.starts_with("Added") {
            "runner_controller_instance_scope_added"
        } else {
            "runner_controller_instance_scope_removed"
        }
    } else if m.contains("runner scope") {
        if m.starts_with("Added") {
            "runner_controller_runner_scope_added"
        } else {
            "runner_controller_runner_scope_removed"
        }
    } else if m.starts_with("Created runner controller") {
        "runner_controller_created"
    } else if m.starts_with("Updated runner controller") {
        "runner_controller_updated"
    } else if m.starts_with("Deleted runner controller") {
        "runner_controller_deleted"
    } else {
        return None;
    };
    Some(name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(name: Option<&str>, message: &str) -> EventParts {
        EventParts {
            event_name: name.map(str::to_string),
            custom_message: Some(message.to_string()),
            ..EventParts::default()
        }
    }

    #[test]
    fn named_events_and_their_extras() {
        let mut p = parts(
            Some("runner_controller_updated"),
            "Updated runner controller",
        );
        assert_eq!(action(&p), Action::Updated { state: None });
        p.state_from = Some("dry_run".into());
        p.state_to = Some("enabled".into());
        assert_eq!(
            action(&p),
            Action::Updated {
                state: Some((ControllerState::DryRun, ControllerState::Enabled))
            }
        );
        let p = parts(
            Some("runner_controller_runner_scope_added"),
            "Added runner scope for runner #4 to runner controller",
        );
        assert_eq!(
            action(&p),
            Action::RunnerScope {
                added: true,
                runner: Some(RunnerId(4))
            }
        );
        let p = parts(Some("runner_controller_paused"), "");
        assert_eq!(action(&p), Action::Other("runner_controller_paused".into()));
    }

    #[test]
    fn unnamed_events_are_recognised_by_their_message() {
        for (m, want) in [
            (
                "Updated runner controller state from enabled to dry_run",
                Action::Updated {
                    state: Some((ControllerState::Enabled, ControllerState::DryRun)),
                },
            ),
            (
                "Created runner controller with state disabled",
                Action::Created {
                    state: Some(ControllerState::Disabled),
                },
            ),
            ("Deleted runner controller", Action::Deleted),
            (
                "Rotated runner controller token",
                Action::Token(TokenAction::Rotated),
            ),
            (
                "Removed instance-level scope from runner controller",
                Action::InstanceScope { added: false },
            ),
        ] {
            let p = parts(None, m);
            assert!(is_runner_controller(&p), "{m}");
            assert_eq!(action(&p), want, "{m}");
        }
        assert!(!is_runner_controller(&parts(
            None,
            "Created personal access token with id 201"
        )));
    }

    #[test]
    fn token_and_scope_events_are_tied_only_where_the_target_says_so() {
        let event = |action, target_type: &str| ServerEvent {
            id: 1,
            at: None,
            author: None,
            author_id: None,
            action,
            target_type: Some(target_type.into()),
            target_id: Some(7),
            message: None,
        };
        let owner = |t: TokenId| (t == TokenId(7)).then_some(ControllerId(3));
        let e = event(Action::Deleted, CONTROLLER_TARGET);
        assert_eq!(e.controller(owner), Some(ControllerId(7)));
        let e = event(Action::Token(TokenAction::Created), TOKEN_TARGET);
        assert_eq!(e.controller(owner), Some(ControllerId(3)));
        assert_eq!(e.controller(|_| None), None, "an unknown token");
        let e = event(
            Action::InstanceScope { added: true },
            "Ci::RunnerControllerInstanceLevelScoping",
        );
        assert_eq!(e.controller(owner), None);
    }
}
