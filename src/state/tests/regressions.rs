//! Behaviour found wrong in review, pinned so it stays right.

use super::*;

#[test]
fn a_finished_request_hands_the_selection_to_its_session() {
    let mut s = bookings_loaded();
    let local_id = accepted_request(&mut s);
    let req = finish_request(&mut s, local_id, "vehaas-hil-9");
    let mut sessions = vec![session("1", SessionState::Active, 20, Some("vehaas-1"))];
    sessions.push(session("9", SessionState::Active, 10, Some("vehaas-hil-9")));
    update(
        &mut s,
        Action::SessionsLoaded {
            req,
            result: Ok(sessions),
        },
    );
    assert_eq!(
        s.bookings.selected.as_deref(),
        Some("9"),
        "not the first row"
    );
    let fx = update(&mut s, Action::Copy);
    assert_eq!(
        fx,
        vec![Effect::Copy {
            text: "vehaas-hil-9".into()
        }]
    );
}

#[test]
fn a_result_never_replaces_an_open_dialog_it_waits_its_turn() {
    let mut s = detail_of_2();
    update(&mut s, Action::Delete); // a question is open
    let secret = std::sync::Arc::new(crate::domain::NewToken {
        token: token(12),
        secret: secrecy::SecretString::from("glrct-FAKE".to_string()),
    });
    update(
        &mut s,
        Action::TokenIssued {
            id: 2,
            rotated: None,
            result: Ok(secret),
        },
    );
    assert!(
        matches!(s.dialog, Some(Dialog::Confirm(_))),
        "the question stays"
    );
    update(&mut s, Action::Answer(false));
    assert!(
        matches!(s.dialog, Some(Dialog::Secret { .. })),
        "then the secret shows"
    );
}

#[test]
fn a_change_during_a_list_load_asks_for_the_list_again() {
    let mut s = loaded(2);
    update(&mut s, Action::Refresh);
    let old = s.controllers.remote.pending.expect("loading");
    let fx = update(
        &mut s,
        Action::ControllerUpdated {
            id: 2,
            result: Ok(controller(2, S::DryRun, "fleet: arm64")),
        },
    );
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::LoadControllers { .. }))
    );
    // The answer read before the change is dropped.
    update(
        &mut s,
        Action::ControllersLoaded {
            req: old,
            result: Ok(fixture()),
        },
    );
    assert_eq!(s.controllers.rows()[1].state, S::DryRun);
}

#[test]
fn an_older_scopes_answer_never_reaches_the_cache() {
    let mut s = loaded(2);
    let fx = update(&mut s, Action::Tick { now: t0() });
    let Some(Effect::LoadScopes { req: old, .. }) = fx
        .iter()
        .find(|e| matches!(e, Effect::LoadScopes { .. }))
        .cloned()
    else {
        panic!("background scopes");
    };
    let fx = update(&mut s, Action::OpenDetail);
    let Some(Effect::LoadScopes { req: new, .. }) = fx
        .iter()
        .find(|e| matches!(e, Effect::LoadScopes { .. }))
        .cloned()
    else {
        panic!("detail scopes");
    };
    let instance = crate::domain::Scopes {
        instance: Some(Default::default()),
        runners: vec![],
    };
    update(
        &mut s,
        Action::ScopesLoaded {
            req: new,
            id: 2,
            result: Ok(instance),
        },
    );
    update(
        &mut s,
        Action::ScopesLoaded {
            req: old,
            id: 2,
            result: Ok(crate::domain::Scopes::default()),
        },
    );
    assert!(
        s.controllers
            .scopes
            .get(&2)
            .is_some_and(|sc| sc.instance.is_some())
    );
}

#[test]
fn unreadable_scopes_make_deleting_ask_for_the_id() {
    let mut s = loaded(2);
    let fx = update(&mut s, Action::Tick { now: t0() });
    let Some(Effect::LoadScopes { req, .. }) = fx
        .iter()
        .find(|e| matches!(e, Effect::LoadScopes { .. }))
        .cloned()
    else {
        panic!("background scopes");
    };
    update(
        &mut s,
        Action::ScopesLoaded {
            req,
            id: 2,
            result: Err(err500()),
        },
    );
    update(&mut s, Action::Delete);
    assert!(matches!(&s.dialog, Some(Dialog::Confirm(c)) if c.typed.is_some()));
}

#[test]
fn leaving_enabled_from_the_picker_asks_first() {
    let mut s = loaded(1);
    update(&mut s, Action::PickState);
    update(&mut s, Action::Top); // disabled
    assert!(update(&mut s, Action::Submit).is_empty());
    assert!(matches!(&s.dialog, Some(Dialog::Confirm(c)) if c.details[0] == "enabled -> disabled"));
}

#[test]
fn ctrl_d_in_an_empty_detail_never_offers_to_delete_the_controller() {
    let mut s = loaded(2);
    update(&mut s, Action::OpenDetail);
    update(&mut s, Action::Delete);
    assert!(s.dialog.is_none());
    assert!(
        s.flash
            .as_ref()
            .is_some_and(|f| f.text.contains("Select a token or a scope"))
    );
}

#[test]
fn the_same_failure_is_flashed_once_while_the_title_keeps_saying_it() {
    let mut s = loaded(1);
    for _ in 0..3 {
        let req = refresh(&mut s);
        update(
            &mut s,
            Action::ControllersLoaded {
                req,
                result: Err(err500()),
            },
        );
    }
    let flashed = s
        .history
        .iter()
        .filter(|h| h.text.contains("Refreshing runner controllers failed"))
        .count();
    assert_eq!(flashed, 1);
    assert_eq!(s.controllers.remote.health(), Health::Failing);
}

#[test]
fn a_yes_given_before_the_scopes_arrive_turns_into_a_typed_id_if_they_show_the_instance() {
    let mut s = loaded(2);
    let asked = update(&mut s, Action::PickState);
    assert!(asked.is_empty());
    update(&mut s, Action::Top);
    update(&mut s, Action::Down); // enabled
    let asked = update(&mut s, Action::Submit);
    assert!(
        update(&mut s, Action::Answer(true)).is_empty(),
        "nothing sent yet"
    );
    let instance = crate::domain::Scopes {
        instance: Some(Default::default()),
        runners: vec![],
    };
    let fx = answer_scopes(&mut s, &asked, instance);
    assert!(fx.is_empty(), "the yes did not count");
    let Some(Dialog::Confirm(c)) = &s.dialog else {
        panic!("still asking");
    };
    assert!(c.typed.is_some());
    assert!(
        c.details
            .iter()
            .any(|d| d.contains("every job on the whole instance")),
        "{:?}",
        c.details
    );
}

#[test]
fn a_queued_question_about_a_deleted_controller_is_dropped() {
    let mut s = loaded(2);
    update(&mut s, Action::Help);
    let server = controller(2, S::Enabled, "x");
    let change = ControllerUpdate {
        description: None,
        state: Some(S::DryRun),
    };
    update(
        &mut s,
        Action::ControllerChangedElsewhere {
            id: 2,
            update: change,
            server,
        },
    );
    update(
        &mut s,
        Action::ControllerDeleted {
            id: 2,
            result: Ok(()),
        },
    );
    update(&mut s, Action::Back);
    assert!(s.dialog.is_none(), "{:?}", s.dialog);
}

#[test]
fn a_bulk_question_says_how_many_marks_the_filter_hides() {
    let mut s = loaded(1);
    update(&mut s, Action::Mark); // 1
    type_filter(&mut s, "gpu");
    update(&mut s, Action::Submit);
    update(&mut s, Action::Mark); // 3
    update(&mut s, Action::Delete);
    let Some(Dialog::Confirm(c)) = &s.dialog else {
        panic!("confirm");
    };
    assert!(
        c.details
            .iter()
            .any(|d| d == "1 of them is hidden by the filter."),
        "{:?}",
        c.details
    );
}

#[test]
fn a_cached_no_scope_is_read_again_before_enabling() {
    let mut s = loaded(2);
    let fx = update(&mut s, Action::Tick { now: t0() });
    // The background read says: no scope.
    answer_scopes(&mut s, &fx, crate::domain::Scopes::default());
    update(&mut s, Action::PickState);
    update(&mut s, Action::Top);
    update(&mut s, Action::Down); // enabled
    let asked = update(&mut s, Action::Submit);
    assert!(
        update(&mut s, Action::Answer(true)).is_empty(),
        "waits for a fresh read"
    );
    // Meanwhile another admin added the instance scope.
    let instance = crate::domain::Scopes {
        instance: Some(Default::default()),
        runners: vec![],
    };
    assert!(answer_scopes(&mut s, &asked, instance).is_empty());
    assert!(matches!(&s.dialog, Some(Dialog::Confirm(c)) if c.typed.is_some()));
}

#[test]
fn undo_passes_over_controllers_that_are_gone() {
    let mut s = loaded(2);
    update(&mut s, Action::ToggleDryRun);
    update(
        &mut s,
        Action::ControllerUpdated {
            id: 2,
            result: Ok(controller(2, S::DryRun, "fleet: arm64")),
        },
    );
    update(
        &mut s,
        Action::ControllerDeleted {
            id: 2,
            result: Ok(()),
        },
    );
    update(&mut s, Action::Undo); // "deleting cannot be undone"
    update(&mut s, Action::Undo); // the change of 2: gone, passed over
    assert!(s.dialog.is_none());
    assert!(s.flash.as_ref().is_some_and(|f| f.text.contains("is gone")));
    update(&mut s, Action::Undo);
    assert!(
        s.flash
            .as_ref()
            .is_some_and(|f| f.text.contains("Nothing (more) to undo"))
    );
}

#[test]
fn after_a_rotation_the_cursor_is_on_the_new_token() {
    let mut s = detail_of_2(); // cursor on token 10
    update(&mut s, Action::Rotate);
    update(&mut s, Action::Answer(true));
    let secret = std::sync::Arc::new(crate::domain::NewToken {
        token: token(12),
        secret: secrecy::SecretString::from("glrct-FAKE".to_string()),
    });
    let fx = update(
        &mut s,
        Action::TokenIssued {
            id: 2,
            rotated: Some(10),
            result: Ok(secret),
        },
    );
    let Some(Effect::LoadTokens { req, .. }) = fx
        .iter()
        .find(|e| matches!(e, Effect::LoadTokens { .. }))
        .cloned()
    else {
        panic!("tokens reloaded");
    };
    update(
        &mut s,
        Action::TokensLoaded {
            req,
            id: 2,
            result: Ok(vec![token(11), token(12)]),
        },
    );
    let d = s.controllers.detail.as_ref().expect("detail");
    assert!(matches!(d.selected(), Some(DetailRow::Token(t)) if t.id == 12));
}
