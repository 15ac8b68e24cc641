//! The one safety rule, for the TUI and the scripting verbs alike: how grave a change is, given
//! what is known of the controller it touches. Anything that ends in `enabled`, deletes, revokes,
//! rotates, releases or removes a scope asks; enabling or deleting a controller that has (or may
//! have) the instance scope, or giving an enabled controller the instance scope, asks for its id.
//! Pure: the callers read the scopes fresh before they trust a "no".

use crate::domain::{ControllerState, Scopes};
use crate::ops::{Change, ScopeChange};

/// How much confirmation a change needs, least first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Gravity {
    /// Goes at once.
    Plain,
    /// Asks yes / no, No by default (a script passes `--yes`).
    Ask,
    /// Asks for the controller's id to be typed (a script passes `--yes`).
    TypeId,
}

/// What is known of a controller's scopes.
#[derive(Debug, Clone, Copy)]
pub enum ScopesSeen<'a> {
    Known(&'a Scopes),
    /// The read failed: it may have the instance scope.
    Unreadable,
    /// Not read yet.
    Unknown,
}

impl ScopesSeen<'_> {
    /// Whether it has, or may have, the instance scope.
    pub fn may_be_instance(&self) -> bool {
        match self {
            Self::Known(s) => s.instance.is_some(),
            Self::Unreadable | Self::Unknown => true,
        }
    }
}

/// Whether a yes to `change` must wait for a fresh read of the controller's scopes: the
/// answer decides whether the id must be typed, and a cached "no scope" may be old.
pub fn needs_fresh_scopes(change: &Change) -> bool {
    match change {
        Change::UpdateController { update, .. } => update.state == Some(ControllerState::Enabled),
        Change::DeleteController { .. } => true,
        _ => false,
    }
}

/// The gravity of `change`, given the controller's state now (`None`: not known) and scopes.
pub fn gravity(
    change: &Change,
    state: Option<&ControllerState>,
    scopes: ScopesSeen<'_>,
) -> Gravity {
    let enabled_or_unknown = !matches!(
        state,
        Some(ControllerState::Disabled | ControllerState::DryRun)
    );
    let grave_if_instance = |yes: bool| {
        if yes && scopes.may_be_instance() {
            Gravity::TypeId
        } else {
            Gravity::Ask
        }
    };
    match change {
        Change::UpdateController { update, .. } => match &update.state {
            Some(ControllerState::Enabled) => grave_if_instance(true),
            // Leaving `enabled` turns enforcement off.
            Some(_) if state == Some(&ControllerState::Enabled) => Gravity::Ask,
            _ => Gravity::Plain,
        },
        Change::CreateController { state, .. } if *state == ControllerState::Enabled => {
            Gravity::Ask
        }
        Change::CreateController { .. } | Change::CreateToken { .. } => Gravity::Plain,
        Change::DeleteController { .. } => grave_if_instance(true),
        Change::RotateToken { .. } | Change::RevokeToken { .. } => Gravity::Ask,
        Change::Scope { change, .. } => match change {
            ScopeChange::RemoveInstance | ScopeChange::RemoveRunner(_) => Gravity::Ask,
            // As grave as enabling it with that scope.
            ScopeChange::AddInstance if enabled_or_unknown => Gravity::TypeId,
            ScopeChange::AddRunner(_) if enabled_or_unknown => Gravity::Ask,
            ScopeChange::AddInstance | ScopeChange::AddRunner(_) => Gravity::Plain,
        },
        Change::ReleaseSession { .. } => Gravity::Ask,
        Change::RequestRunner { .. } | Change::ExtendSession { .. } => Gravity::Plain,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ControllerId, ControllerUpdate, RunnerId, ScopeInfo, TokenId};

    fn to(state: ControllerState) -> Change {
        Change::UpdateController {
            id: ControllerId(1),
            update: ControllerUpdate {
                description: None,
                state: Some(state),
            },
            based_on: None,
        }
    }

    #[test]
    fn enabling_asks_and_the_instance_scope_or_not_knowing_asks_for_the_id() {
        use ControllerState::*;
        let instance = Scopes {
            instance: Some(ScopeInfo::default()),
            runners: vec![],
        };
        let none = Scopes::default();
        let g = |c: &Change, s: Option<&ControllerState>, seen| gravity(c, s, seen);
        assert_eq!(
            g(&to(Enabled), Some(&DryRun), ScopesSeen::Known(&none)),
            Gravity::Ask
        );
        assert_eq!(
            g(&to(Enabled), Some(&DryRun), ScopesSeen::Known(&instance)),
            Gravity::TypeId
        );
        assert_eq!(
            g(&to(Enabled), Some(&DryRun), ScopesSeen::Unknown),
            Gravity::TypeId
        );
        assert_eq!(
            g(&to(Enabled), Some(&DryRun), ScopesSeen::Unreadable),
            Gravity::TypeId
        );
        assert_eq!(
            g(&to(DryRun), Some(&Enabled), ScopesSeen::Known(&instance)),
            Gravity::Ask
        );
        assert_eq!(
            g(&to(DryRun), Some(&Disabled), ScopesSeen::Known(&instance)),
            Gravity::Plain
        );
        let delete = Change::DeleteController {
            id: ControllerId(1),
            based_on: None,
        };
        assert_eq!(g(&delete, None, ScopesSeen::Known(&none)), Gravity::Ask);
        assert_eq!(
            g(&delete, None, ScopesSeen::Known(&instance)),
            Gravity::TypeId
        );
        assert!(needs_fresh_scopes(&delete) && needs_fresh_scopes(&to(Enabled)));
        assert!(!needs_fresh_scopes(&to(DryRun)));
    }

    #[test]
    fn scopes_tokens_and_bookings() {
        use ControllerState::*;
        let id = ControllerId(1);
        let add = |change| Change::Scope { id, change };
        let seen = ScopesSeen::Unknown;
        let instance = add(ScopeChange::AddInstance);
        assert_eq!(gravity(&instance, Some(&Enabled), seen), Gravity::TypeId);
        assert_eq!(gravity(&instance, None, seen), Gravity::TypeId);
        assert_eq!(gravity(&instance, Some(&Disabled), seen), Gravity::Plain);
        let runner = add(ScopeChange::AddRunner(RunnerId(3)));
        assert_eq!(gravity(&runner, Some(&Enabled), seen), Gravity::Ask);
        assert_eq!(gravity(&runner, Some(&DryRun), seen), Gravity::Plain);
        assert_eq!(
            gravity(&add(ScopeChange::RemoveInstance), Some(&Disabled), seen),
            Gravity::Ask
        );
        let rotate = Change::RotateToken {
            id,
            token: TokenId(4),
        };
        assert_eq!(gravity(&rotate, None, seen), Gravity::Ask);
    }
}
