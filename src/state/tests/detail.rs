//! The detail: tokens, scopes, changes made elsewhere, undo, the command line.

use super::*;
use crate::ops::ScopeChange;

#[test]
fn rotating_a_token_asks_then_shows_the_secret_once() {
    let mut s = detail_of_2();
    let d = s.controllers.detail.as_ref().expect("detail");
    assert_eq!(d.rows().len(), 3, "one runner scope and two tokens");
    // The cursor went to the first token when the tokens arrived and stayed on it when the
    // scope row appeared above it.
    assert_eq!(d.cursor, 1);
    assert!(update(&mut s, Intent::Rotate).is_empty());
    assert_eq!(
        confirm(&s).question,
        Question::RotateToken {
            id: cid(2),
            token: token(10)
        }
    );
    let fx = update(&mut s, Intent::Answer(true));
    assert_eq!(
        sent(&fx),
        vec![Change::RotateToken {
            id: cid(2),
            token: TokenId(10)
        }]
    );
    let secret = new_token(12);
    let fx = answer_change(
        &mut s,
        &fx,
        Ok(Done::TokenIssued {
            token: Arc::clone(&secret),
            rotated: Some(TokenId(10)),
        }),
    );
    assert!(
        fx.iter().any(|e| matches!(
            e,
            Effect::Load(Load::Tokens {
                id: ControllerId(2),
                ..
            })
        )),
        "tokens reloaded: {fx:?}"
    );
    assert!(matches!(
        s.dialog,
        Some(Dialog::Secret {
            rotated: Some(TokenId(10)),
            ..
        })
    ));
    assert_eq!(
        note(&s),
        Some(&Note::TokenIssued {
            id: cid(2),
            token: TokenId(12),
            rotated: Some(TokenId(10))
        })
    );
    assert!(
        !format!("{:?}", s.history).contains("glrct-"),
        "the secret is never in a flash"
    );
    let fx = update(&mut s, Intent::Copy);
    assert!(matches!(fx[..], [Effect::CopySecret { .. }]), "{fx:?}");
    assert_eq!(note(&s), Some(&Note::CopiedSecret));
    drop(fx);
    update(&mut s, Intent::Back);
    assert!(s.dialog.is_none());
    assert_eq!(
        Arc::strong_count(&secret),
        1,
        "the state no longer holds the secret"
    );
}

#[test]
fn revoking_a_token_and_removing_a_scope_ask_first() {
    let mut s = detail_of_2();
    update(&mut s, Intent::Top); // the runner scope
    assert!(update(&mut s, Intent::Delete).is_empty());
    assert_eq!(
        confirm(&s).question,
        Question::Scope {
            id: cid(2),
            change: ScopeChange::RemoveRunner(RunnerId(3)),
            state: Some(S::Disabled)
        }
    );
    let fx = update(&mut s, Intent::Answer(true));
    assert_eq!(
        sent(&fx),
        vec![Change::Scope {
            id: cid(2),
            change: ScopeChange::RemoveRunner(RunnerId(3))
        }]
    );
    let fx = answer_change(
        &mut s,
        &fx,
        Ok(Done::ScopeChanged {
            before: runner_scope(3),
            after: Some(no_scopes()),
        }),
    );
    assert_eq!(
        note(&s),
        Some(&Note::ScopeChanged {
            id: cid(2),
            change: ScopeChange::RemoveRunner(RunnerId(3))
        })
    );
    // The scopes are read back; the scope row goes.
    answer_scopes(&mut s, &fx, no_scopes());
    update(&mut s, Intent::Bottom); // token 11
    assert!(update(&mut s, Intent::Delete).is_empty());
    assert_eq!(
        confirm(&s).question,
        Question::RevokeToken {
            id: cid(2),
            token: token(11)
        }
    );
    let fx = update(&mut s, Intent::Answer(true));
    assert_eq!(
        sent(&fx),
        vec![Change::RevokeToken {
            id: cid(2),
            token: TokenId(11)
        }]
    );
}

#[test]
fn scope_conflicts_are_shown_in_gitlabs_words() {
    let mut s = detail_with(2, no_scopes());
    // Adding the instance scope to a disabled controller enforces nothing: sent at once.
    let fx = update(&mut s, Intent::AddInstanceScope);
    let add = Change::Scope {
        id: cid(2),
        change: ScopeChange::AddInstance,
    };
    assert_eq!(sent(&fx), vec![add.clone()]);
    let msg = "Runner controller already has runner-level scopes. Remove them before adding instance-level scope.";
    let conflict = ApiError::Conflict {
        message: msg.into(),
    };
    let fx = answer_change(&mut s, &fx, Err(failure(conflict.clone())));
    assert!(
        fx.iter().any(|e| matches!(
            e,
            Effect::Load(Load::Scopes {
                id: ControllerId(2),
                ..
            })
        )),
        "{fx:?}"
    );
    assert_eq!(
        note(&s),
        Some(&Note::Failed {
            change: add,
            error: conflict
        })
    );
}

#[test]
fn a_change_made_elsewhere_is_shown_and_asked_again() {
    let mut s = loaded(2);
    let fx = update(&mut s, Intent::ToggleDryRun);
    let server = version(controller(2, S::Enabled, "changed by someone"), 90);
    let fx = answer_change(&mut s, &fx, Err(elsewhere(server.clone())));
    assert!(sent(&fx).is_empty());
    assert_eq!(
        confirm(&s).question,
        Question::ChangedElsewhere {
            shown: Some(row(2)),
            server: server.clone(),
            change: set_state_change(2, S::DryRun)
        }
    );
    assert_eq!(
        s.controllers.rows()[1],
        server,
        "the row shows the server's truth"
    );
    let fx = update(&mut s, Intent::Answer(true));
    assert_eq!(
        sent(&fx),
        vec![Change::UpdateController {
            id: cid(2),
            update: ControllerUpdate {
                description: None,
                state: Some(S::DryRun)
            },
            based_on: Some(Some(stamp(90))),
        }]
    );
}

#[test]
fn undo_reverts_the_last_state_change_through_a_confirmation() {
    let mut s = loaded(2);
    update(&mut s, Intent::Undo);
    assert_eq!(note(&s), Some(&Note::NothingToUndo));
    let fx = update(&mut s, Intent::ToggleDryRun);
    let after = version(controller(2, S::DryRun, "fleet: arm64"), 5);
    updated(&mut s, &fx, row(2), after.clone());
    assert!(update(&mut s, Intent::Undo).is_empty());
    assert_eq!(
        confirm(&s).question,
        Question::Undo {
            target: after,
            restore: ControllerUpdate {
                description: None,
                state: Some(S::Disabled)
            }
        }
    );
    let fx = update(&mut s, Intent::Answer(true));
    assert_eq!(
        sent(&fx),
        vec![Change::UpdateController {
            id: cid(2),
            update: ControllerUpdate {
                description: None,
                state: Some(S::Disabled)
            },
            based_on: Some(Some(stamp(5))),
        }]
    );
    assert_eq!(note(&s), Some(&Note::Undoing(cid(2))));
}

#[test]
fn deletes_and_token_changes_cannot_be_undone() {
    let mut s = loaded(2);
    delete_selected(&mut s);
    update(&mut s, Intent::Undo);
    assert!(s.dialog.is_none());
    assert_eq!(
        note(&s),
        Some(&Note::CannotUndo(Irreversible::Delete(cid(2))))
    );

    let mut s = detail_of_2();
    update(&mut s, Intent::Bottom); // token 11
    update(&mut s, Intent::Delete);
    let fx = update(&mut s, Intent::Answer(true));
    answer_change(&mut s, &fx, Ok(Done::TokenRevoked));
    assert_eq!(
        note(&s),
        Some(&Note::TokenRevoked {
            id: cid(2),
            token: TokenId(11)
        })
    );
    update(&mut s, Intent::Undo);
    assert!(s.dialog.is_none());
    assert_eq!(note(&s), Some(&Note::CannotUndo(Irreversible::TokenRevoke)));
}

#[test]
fn command_line_opens_the_audit_log() {
    let mut s = loaded(1);
    update(&mut s, Intent::CommandLine);
    type_text(&mut s, "log");
    let fx = update(&mut s, Intent::Submit);
    assert_eq!(fx, vec![Effect::Load(Load::Audit)]);
    assert!(matches!(s.dialog, Some(Dialog::Log { entries: None, .. })));
    update(&mut s, Outcome::AuditLoaded { result: Ok(vec![]) });
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
    let v0 = row(1);
    let v1 = version(controller(1, S::DryRun, "kas admission prod"), 1);
    let v2 = version(controller(1, S::Disabled, "kas admission prod"), 2);
    let v3 = version(controller(1, S::DryRun, "kas admission prod"), 3);
    // enabled -> dry_run (asked), then dry_run -> disabled.
    update(&mut s, Intent::ToggleDryRun);
    let fx = update(&mut s, Intent::Answer(true));
    updated(&mut s, &fx, v0, v1.clone());
    let fx = update(&mut s, Intent::ToggleDryRun);
    updated(&mut s, &fx, v1.clone(), v2.clone());
    assert_eq!(s.controllers.undo_stack.len(), 2);
    // z: back to dry_run; the answer pops the stack instead of adding to it.
    update(&mut s, Intent::Undo);
    let fx = update(&mut s, Intent::Answer(true));
    let (_, change) = one_change(&fx);
    assert!(
        matches!(&change, Change::UpdateController { update, based_on, .. }
            if update.state == Some(S::DryRun) && *based_on == Some(Some(stamp(2)))),
        "{change:?}"
    );
    updated(&mut s, &fx, v2, v3);
    assert_eq!(s.controllers.undo_stack.len(), 1);
    // z again: back to enabled, not forth to disabled.
    update(&mut s, Intent::Undo);
    assert!(
        matches!(&confirm(&s).question, Question::Undo { target, restore }
            if target.state == S::DryRun
                && *restore == ControllerUpdate { description: None, state: Some(S::Enabled) }),
        "{:?}",
        confirm(&s).question
    );
}

#[test]
fn ctx_lists_the_contexts_and_switches_by_name() {
    let mut s = loaded(1);
    s.context.contexts = vec!["default".into(), "staging".into()];
    let run = |s: &mut State, line: &str| {
        update(s, Intent::CommandLine);
        type_text(s, line);
        update(s, Intent::Submit)
    };
    assert!(run(&mut s, "ctx").is_empty());
    assert_eq!(
        note(&s),
        Some(&Note::Contexts {
            current: "default".into(),
            all: vec!["default".into(), "staging".into()]
        })
    );
    let fx = run(&mut s, "ctx staging");
    assert_eq!(
        fx,
        vec![Effect::SwitchContext {
            name: "staging".into()
        }]
    );
    assert_eq!(note(&s), Some(&Note::SwitchingContext("staging".into())));
    let fx = run(&mut s, "ctx prod");
    assert!(fx.is_empty());
    assert!(
        matches!(&s.dialog, Some(Dialog::Text(f))
        if f.error == Some(FormError::NoContext {
            name: "prod".into(),
            all: vec!["default".into(), "staging".into()]
        })),
        "{:?}",
        s.dialog
    );
}
