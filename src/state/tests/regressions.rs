//! Behaviour found wrong in review, pinned so it stays right.

use super::*;

#[test]
fn a_finished_request_hands_the_selection_to_its_session() {
    let mut s = bookings_loaded();
    let key = accepted_request(&mut s);
    let req = finish_request(&mut s, key, "vehaas-hil-9");
    let sessions = vec![
        session("1", SessionState::Active, 20, Some("vehaas-1")),
        session("9", SessionState::Active, 10, Some("vehaas-hil-9")),
    ];
    sessions_loaded(&mut s, req, sessions);
    assert_eq!(s.bookings.selected, Some(skey("9")), "not the first row");
    let fx = update(&mut s, Intent::Copy);
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
    // A new token is on its way...
    update(&mut s, Intent::New);
    let created = update(&mut s, Intent::Submit);
    assert_eq!(
        sent(&created),
        vec![Change::CreateToken {
            id: cid(2),
            description: None
        }]
    );
    // ...while a question is open.
    update(&mut s, Intent::Delete);
    assert!(matches!(confirm(&s).question, Question::RevokeToken { .. }));
    answer_change(
        &mut s,
        &created,
        Ok(Done::TokenIssued {
            token: new_token(12),
            rotated: None,
        }),
    );
    assert!(
        matches!(s.dialog, Some(Dialog::Confirm(_))),
        "the question stays"
    );
    update(&mut s, Intent::Answer(false));
    assert!(
        matches!(s.dialog, Some(Dialog::Secret { rotated: None, .. })),
        "then the secret shows: {:?}",
        s.dialog
    );
}

#[test]
fn a_change_during_a_list_load_asks_for_the_list_again() {
    let mut s = loaded(2);
    let old = refresh(&mut s);
    let fx = update(&mut s, Intent::ToggleDryRun);
    let after = version(controller(2, S::DryRun, "fleet: arm64"), 5);
    let fx = updated(&mut s, &fx, row(2), after);
    let new = list_read(&fx).expect("the list is read again");
    assert_ne!(old, new);
    // The answer read before the change is dropped.
    list_loaded(&mut s, old, fixture());
    assert_eq!(s.controllers.rows()[1].state, S::DryRun);
}

#[test]
fn an_older_scopes_answer_never_reaches_the_cache() {
    let mut s = loaded(2);
    let fx = tick(&mut s, t0());
    let [(old, _)] = scope_reads(&fx)[..] else {
        panic!("background scopes: {fx:?}");
    };
    let fx = update(&mut s, Intent::OpenDetail);
    let [(new, _)] = scope_reads(&fx)[..] else {
        panic!("detail scopes: {fx:?}");
    };
    scopes_loaded(&mut s, new, cid(2), Ok(instance_scope()));
    scopes_loaded(&mut s, old, cid(2), Ok(no_scopes()));
    assert_eq!(s.controllers.scopes.get(&cid(2)), Some(&instance_scope()));
}

#[test]
fn unreadable_scopes_make_deleting_ask_for_the_id() {
    let mut s = loaded(2);
    let asked = update(&mut s, Intent::Delete);
    assert!(confirm(&s).typed.is_none(), "not before the read");
    answer_scopes_of(&mut s, &asked, 2, Err(err500()));
    let typed = confirm(&s).typed.as_ref().map(|t| t.expected.clone());
    assert_eq!(typed.as_deref(), Some("2"));
    assert!(
        sent(&update(&mut s, Intent::Answer(true))).is_empty(),
        "yes alone is not enough"
    );
}

#[test]
fn leaving_enabled_from_the_picker_asks_first() {
    let mut s = loaded(1);
    let fx = pick(&mut s, S::Disabled);
    assert!(sent(&fx).is_empty(), "{fx:?}");
    assert_eq!(
        confirm(&s).question,
        Question::SetState {
            target: row(1),
            to: S::Disabled
        }
    );
}

#[test]
fn ctrl_d_in_an_empty_detail_never_offers_to_delete_the_controller() {
    let mut s = loaded(2);
    update(&mut s, Intent::OpenDetail);
    let fx = update(&mut s, Intent::Delete);
    assert!(fx.is_empty());
    assert!(s.dialog.is_none());
    assert_eq!(note(&s), Some(&Note::SelectTokenOrScope));
}

#[test]
fn the_same_failure_is_flashed_once_while_the_title_keeps_saying_it() {
    let mut s = loaded(1);
    for _ in 0..3 {
        let req = refresh(&mut s);
        update(
            &mut s,
            Outcome::ControllersLoaded {
                req,
                result: Err(err500()),
            },
        );
    }
    let flashed = s
        .history
        .iter()
        .filter(|h| matches!(h.note, Note::ControllersFailed(_)))
        .count();
    assert_eq!(flashed, 1);
    assert_eq!(s.controllers.remote.health(), Health::Failing);
}

#[test]
fn a_yes_given_before_the_scopes_arrive_turns_into_a_typed_id_if_they_show_the_instance() {
    let mut s = loaded(2);
    let asked = pick(&mut s, S::Enabled);
    assert!(sent(&asked).is_empty());
    assert!(
        update(&mut s, Intent::Answer(true)).is_empty(),
        "nothing sent yet"
    );
    assert!(confirm(&s).yes_pending);
    assert_eq!(note(&s), Some(&Note::CheckingScopes));
    let fx = answer_scopes(&mut s, &asked, instance_scope());
    assert!(fx.is_empty(), "the yes did not count: {fx:?}");
    let c = confirm(&s);
    assert_eq!(
        c.typed.as_ref().map(|t| t.expected.as_str()),
        Some("2"),
        "the id must be typed"
    );
    assert!(!c.yes_pending);
    assert_eq!(note(&s), Some(&Note::InstanceScopeTypeId));
}

#[test]
fn a_queued_question_about_a_deleted_controller_is_dropped() {
    let mut s = loaded(2);
    let list = refresh(&mut s);
    let fx = update(&mut s, Intent::ToggleDryRun);
    // Another dialog is open when the change's answer asks again.
    update(&mut s, Intent::Raw);
    let server = version(controller(2, S::Enabled, "x"), 90);
    answer_change(&mut s, &fx, Err(elsewhere(server)));
    assert!(matches!(s.dialog, Some(Dialog::Raw { .. })));
    assert_eq!(s.queued.len(), 1, "the question waits its turn");
    // Meanwhile controller 2 was deleted by someone else.
    let rows = fixture().into_iter().filter(|c| c.id != cid(2)).collect();
    list_loaded(&mut s, list, rows);
    update(&mut s, Intent::Back);
    assert!(s.dialog.is_none(), "{:?}", s.dialog);
    assert!(s.queued.is_empty());
    assert_eq!(note(&s), Some(&Note::QuestionDropped(cid(2))));
}

#[test]
fn a_bulk_question_says_how_many_marks_the_filter_hides() {
    let mut s = loaded(1);
    update(&mut s, Intent::Mark); // 1
    type_filter(&mut s, "gpu");
    update(&mut s, Intent::Submit);
    update(&mut s, Intent::Mark); // 3
    update(&mut s, Intent::Delete);
    assert_eq!(
        confirm(&s).question,
        Question::BulkDelete {
            targets: vec![row(1), row(3)],
            hidden: 1
        }
    );
}

#[test]
fn a_cached_no_scope_is_read_again_before_enabling() {
    let mut s = loaded(2);
    let fx = tick(&mut s, t0());
    // The background read says: no scope.
    answer_scopes(&mut s, &fx, no_scopes());
    assert_eq!(s.controllers.scopes.get(&cid(2)), Some(&no_scopes()));
    let asked = pick(&mut s, S::Enabled);
    assert_eq!(scope_reads(&asked).len(), 1, "read fresh: {asked:?}");
    assert!(
        update(&mut s, Intent::Answer(true)).is_empty(),
        "waits for a fresh read"
    );
    // Meanwhile another admin added the instance scope.
    assert!(answer_scopes(&mut s, &asked, instance_scope()).is_empty());
    assert!(confirm(&s).typed.is_some());
}

#[test]
fn undo_passes_over_controllers_that_are_gone() {
    let mut s = loaded(2);
    let fx = update(&mut s, Intent::ToggleDryRun);
    let after = version(controller(2, S::DryRun, "fleet: arm64"), 5);
    updated(&mut s, &fx, row(2), after);
    delete_selected(&mut s);
    update(&mut s, Intent::Undo);
    assert_eq!(
        note(&s),
        Some(&Note::CannotUndo(Irreversible::Delete(cid(2))))
    );
    update(&mut s, Intent::Undo); // the change of 2: gone, passed over
    assert!(s.dialog.is_none());
    assert_eq!(note(&s), Some(&Note::UndoGone(cid(2))));
    update(&mut s, Intent::Undo);
    assert_eq!(note(&s), Some(&Note::NothingToUndo));
}

#[test]
fn after_a_rotation_the_cursor_is_on_the_new_token() {
    let mut s = detail_of_2(); // cursor on token 10
    update(&mut s, Intent::Rotate);
    let fx = update(&mut s, Intent::Answer(true));
    let fx = answer_change(
        &mut s,
        &fx,
        Ok(Done::TokenIssued {
            token: new_token(12),
            rotated: Some(TokenId(10)),
        }),
    );
    let Some(Effect::Load(Load::Tokens { req, .. })) = fx
        .iter()
        .find(|e| matches!(e, Effect::Load(Load::Tokens { .. })))
        .cloned()
    else {
        panic!("tokens reloaded: {fx:?}");
    };
    update(
        &mut s,
        Outcome::TokensLoaded {
            req,
            id: cid(2),
            result: Ok(vec![token(11), token(12)]),
        },
    );
    let d = s.controllers.detail.as_ref().expect("detail");
    assert!(
        matches!(d.selected(), Some(DetailRow::Token(t)) if t.id == TokenId(12)),
        "{:?}",
        d.selected()
    );
}
