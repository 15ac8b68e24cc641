//! The detail: tokens, scopes, changes made elsewhere, undo, the command line.

use super::*;

#[test]
fn rotating_a_token_asks_then_shows_the_secret_once() {
    let mut s = detail_of_2();
    let d = s.controllers.detail.as_ref().expect("detail");
    assert_eq!(d.rows().len(), 3, "one runner scope and two tokens");
    // The cursor went to the first token when the tokens arrived and stayed on it when the
    // scope row appeared above it.
    assert_eq!(s.controllers.detail.as_ref().map(|d| d.cursor), Some(1));
    assert!(update(&mut s, Action::Rotate).is_empty());
    let fx = update(&mut s, Action::Answer(true));
    assert_eq!(
        fx,
        vec![Effect::RotateToken {
            id: 2,
            token_id: 10
        }]
    );
    let secret = std::sync::Arc::new(crate::domain::NewToken {
        token: token(12),
        secret: secrecy::SecretString::from("glrct-FAKEFAKEFAKE".to_string()),
    });
    let fx = update(
        &mut s,
        Action::TokenIssued {
            id: 2,
            rotated: Some(10),
            result: Ok(secret.clone()),
        },
    );
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::LoadTokens { id: 2, .. })),
        "tokens reloaded"
    );
    assert!(matches!(
        s.dialog,
        Some(Dialog::Secret {
            rotated: Some(10),
            ..
        })
    ));
    assert!(
        s.flash
            .as_ref()
            .is_some_and(|f| f.text.contains("new token is 12"))
    );
    assert!(
        !s.history.iter().any(|h| h.text.contains("glrct-")),
        "the secret is never in a flash"
    );
    let fx = update(&mut s, Action::Copy);
    assert!(matches!(fx[..], [Effect::CopySecret { .. }]));
    drop(fx);
    update(&mut s, Action::Back);
    assert!(s.dialog.is_none());
    assert_eq!(
        std::sync::Arc::strong_count(&secret),
        1,
        "the state no longer holds the secret"
    );
}

#[test]
fn revoking_a_token_and_removing_a_scope_ask_first() {
    let mut s = detail_of_2();
    update(&mut s, Action::Top); // the runner scope
    update(&mut s, Action::Delete);
    let Some(Dialog::Confirm(c)) = &s.dialog else {
        panic!("confirm");
    };
    assert_eq!(c.question, "Unscope runner #3 from runner controller 2?");
    let fx = update(&mut s, Action::Answer(true));
    assert_eq!(
        fx,
        vec![Effect::ChangeScope {
            id: 2,
            change: crate::effect::ScopeChange::RemoveRunner(3)
        }]
    );
    update(&mut s, Action::Bottom); // token 11
    update(&mut s, Action::Delete);
    let fx = update(&mut s, Action::Answer(true));
    assert_eq!(
        fx,
        vec![Effect::RevokeToken {
            id: 2,
            token_id: 11
        }]
    );
}

#[test]
fn scope_conflicts_are_shown_in_gitlabs_words() {
    let mut s = detail_of_2();
    let msg = "Runner controller already has runner-level scopes. Remove them before adding instance-level scope.";
    let fx = update(
        &mut s,
        Action::ScopeChanged {
            id: 2,
            change: crate::effect::ScopeChange::AddInstance,
            result: Err(ApiError::Conflict {
                message: msg.into(),
            }),
        },
    );
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::LoadScopes { id: 2, .. }))
    );
    assert!(
        s.flash.as_ref().is_some_and(|f| f.text.contains(msg)),
        "{:?}",
        s.flash
    );
}

#[test]
fn a_change_made_elsewhere_is_shown_and_asked_again() {
    let mut s = loaded(2);
    update(&mut s, Action::ToggleDryRun);
    let mut server = controller(2, S::Enabled, "changed by someone");
    server.updated_at = Some(t0() + Duration::from_secs(90));
    let update_sent = ControllerUpdate {
        description: None,
        state: Some(S::DryRun),
    };
    update(
        &mut s,
        Action::ControllerChangedElsewhere {
            id: 2,
            update: update_sent.clone(),
            server,
        },
    );
    let Some(Dialog::Confirm(c)) = &s.dialog else {
        panic!("asked again");
    };
    assert!(
        c.details
            .iter()
            .any(|d| d.contains("On your screen: state disabled")),
        "{:?}",
        c.details
    );
    assert!(
        c.details
            .iter()
            .any(|d| d.contains("On the server:  state enabled")),
        "{:?}",
        c.details
    );
    assert_eq!(
        s.controllers.rows()[1].state,
        S::Enabled,
        "the row shows the server's truth"
    );
    let fx = update(&mut s, Action::Answer(true));
    assert_eq!(
        fx,
        vec![Effect::UpdateController {
            id: 2,
            update: update_sent,
            expected: Some(t0() + Duration::from_secs(90)),
        }]
    );
}

#[test]
fn undo_reverts_the_last_state_change_through_a_confirmation() {
    let mut s = loaded(2);
    update(&mut s, Action::Undo);
    assert!(
        s.flash
            .as_ref()
            .is_some_and(|f| f.text.contains("Nothing (more) to undo"))
    );
    update(&mut s, Action::ToggleDryRun);
    let mut after = controller(2, S::DryRun, "fleet: arm64");
    after.updated_at = Some(t0() + Duration::from_secs(5));
    update(
        &mut s,
        Action::ControllerUpdated {
            id: 2,
            result: Ok(after),
        },
    );
    assert!(update(&mut s, Action::Undo).is_empty());
    let Some(Dialog::Confirm(c)) = &s.dialog else {
        panic!("undo asks");
    };
    assert_eq!(c.details[0], "dry_run -> disabled");
    let fx = update(&mut s, Action::Answer(true));
    assert_eq!(
        fx,
        vec![Effect::UpdateController {
            id: 2,
            update: ControllerUpdate {
                description: None,
                state: Some(S::Disabled)
            },
            expected: Some(t0() + Duration::from_secs(5)),
        }]
    );
}

#[test]
fn deletes_and_token_changes_cannot_be_undone() {
    let mut s = loaded(2);
    update(
        &mut s,
        Action::ControllerDeleted {
            id: 2,
            result: Ok(()),
        },
    );
    update(&mut s, Action::Undo);
    assert!(s.dialog.is_none());
    assert!(
        s.flash
            .as_ref()
            .is_some_and(|f| f.text.contains("cannot be undone"))
    );
}

#[test]
fn command_line_opens_the_audit_log() {
    let mut s = loaded(1);
    update(&mut s, Action::CommandLine);
    for c in "log".chars() {
        update(&mut s, Action::Edit(Edit::Char(c)));
    }
    let fx = update(&mut s, Action::Submit);
    assert_eq!(fx, vec![Effect::LoadAudit]);
    assert!(matches!(s.dialog, Some(Dialog::Log { entries: None, .. })));
    update(&mut s, Action::AuditLoaded { result: Ok(vec![]) });
    assert!(matches!(
        s.dialog,
        Some(Dialog::Log {
            entries: Some(Ok(_)),
            ..
        })
    ));
}

#[test]
fn undo_walks_back_through_the_changes_of_the_run() {
    let mut s = loaded(1);
    // enabled -> dry_run (asked), then dry_run -> disabled.
    update(&mut s, Action::ToggleDryRun);
    update(&mut s, Action::Answer(true));
    update(
        &mut s,
        Action::ControllerUpdated {
            id: 1,
            result: Ok(controller(1, S::DryRun, "kas admission prod")),
        },
    );
    update(&mut s, Action::ToggleDryRun);
    update(
        &mut s,
        Action::ControllerUpdated {
            id: 1,
            result: Ok(controller(1, S::Disabled, "kas admission prod")),
        },
    );
    // z: back to dry_run; the answer pops the stack instead of adding to it.
    update(&mut s, Action::Undo);
    let fx = update(&mut s, Action::Answer(true));
    assert!(
        matches!(&fx[..], [Effect::UpdateController { update, .. }] if update.state == Some(S::DryRun))
    );
    update(
        &mut s,
        Action::ControllerUpdated {
            id: 1,
            result: Ok(controller(1, S::DryRun, "kas admission prod")),
        },
    );
    // z again: back to enabled, not forth to disabled.
    update(&mut s, Action::Undo);
    let Some(Dialog::Confirm(c)) = &s.dialog else {
        panic!("asks");
    };
    assert_eq!(c.details[0], "dry_run -> enabled");
}

#[test]
fn ctx_lists_the_contexts_and_switches_by_name() {
    let mut s = loaded(1);
    s.context.contexts = vec!["default".into(), "staging".into()];
    let run = |s: &mut State, line: &str| {
        update(s, Action::CommandLine);
        for c in line.chars() {
            update(s, Action::Edit(Edit::Char(c)));
        }
        update(s, Action::Submit)
    };
    assert!(run(&mut s, "ctx").is_empty());
    assert!(
        s.flash
            .as_ref()
            .is_some_and(|f| f.text.contains("default (current), staging"))
    );
    let fx = run(&mut s, "ctx staging");
    assert_eq!(
        fx,
        vec![Effect::SwitchContext {
            name: "staging".into()
        }]
    );
    let fx = run(&mut s, "ctx prod");
    assert!(fx.is_empty());
    assert!(
        matches!(&s.dialog, Some(Dialog::Text(f)) if f.error.as_deref().is_some_and(|e| e.contains("No context")))
    );
}
