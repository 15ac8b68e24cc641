//! Issue 12.1, 12.2, 12.3, 12.6 and 12.8, reported against the old design: a change carries the
//! version it was built from, one change per controller is on its way at a time, `z` holds the
//! server's answers, and quitting waits for what is on its way. Then what pinning those found
//! in `z`.

use super::*;

// 12.1: a change carries the version it was built from.

#[test]
fn an_edit_is_based_on_the_version_it_started_from_even_after_a_refresh() {
    let mut s = loaded(2);
    let list = refresh(&mut s);
    update(&mut s, Intent::EditDescription);
    update(&mut s, Intent::Edit(Edit::Clear));
    type_text(&mut s, "fleet: arm64 + x86");
    // While typing, the refresh brings another admin's newer version of the row.
    let theirs = version(controller(2, S::Disabled, "renamed by b.admin"), 60);
    let rows = fixture()
        .into_iter()
        .map(|c| if c.id == cid(2) { theirs.clone() } else { c })
        .collect();
    list_loaded(&mut s, list, rows);
    let fx = update(&mut s, Intent::Submit);
    let edit = Change::UpdateController {
        id: cid(2),
        update: ControllerUpdate {
            description: Some(Some("fleet: arm64 + x86".into())),
            state: None,
        },
        based_on: Some(Some(stamp(0))),
    };
    assert_eq!(
        sent(&fx),
        vec![edit.clone()],
        "based on what the edit started from"
    );
    // So the executor's stale check fires, and both versions are shown.
    answer_change(&mut s, &fx, Err(elsewhere(theirs.clone())));
    assert_eq!(
        confirm(&s).question,
        Question::ChangedElsewhere {
            shown: Some(row(2)),
            server: theirs,
            change: edit
        }
    );
}

#[test]
fn z_after_a_refresh_is_based_on_the_version_this_run_produced() {
    let mut s = loaded(2);
    let fx = update(&mut s, Intent::ToggleDryRun);
    let ours = version(controller(2, S::DryRun, "fleet: arm64"), 5);
    updated(&mut s, &fx, row(2), ours.clone());
    let list = refresh(&mut s);
    let theirs = version(controller(2, S::DryRun, "renamed by b.admin"), 60);
    let rows = fixture()
        .into_iter()
        .map(|c| if c.id == cid(2) { theirs.clone() } else { c })
        .collect();
    list_loaded(&mut s, list, rows);
    update(&mut s, Intent::Undo);
    assert!(matches!(&confirm(&s).question, Question::Undo { target, .. } if *target == ours));
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
        }],
        "not the refreshed row's version (the stale check then asks)"
    );
}

// 12.3: one change per controller at a time; undo holds the server's answer.

#[test]
fn a_second_toggle_before_the_answer_sends_nothing_and_undo_holds_the_servers_answer() {
    let mut s = loaded(2);
    let first = update(&mut s, Intent::ToggleDryRun);
    assert_eq!(sent(&first), vec![set_state_change(2, S::DryRun)]);
    let second = update(&mut s, Intent::ToggleDryRun);
    assert!(second.is_empty(), "{second:?}");
    assert_eq!(note(&s), Some(&Note::Busy(cid(2))));
    assert_eq!(s.changes.len(), 1);
    // Other changes of the same controller wait too.
    update(&mut s, Intent::EditDescription);
    assert!(s.dialog.is_none());
    assert!(update(&mut s, Intent::Delete).is_empty());
    assert!(s.dialog.is_none());
    assert_eq!(note(&s), Some(&Note::Busy(cid(2))));
    // The server's answer: another admin had renamed it just before.
    let before = version(controller(2, S::Disabled, "renamed by b.admin"), 30);
    let after = version(controller(2, S::DryRun, "renamed by b.admin"), 31);
    updated(&mut s, &first, before.clone(), after.clone());
    assert!(s.controllers.busy.is_empty());
    assert_eq!(
        s.controllers.undo_stack.last(),
        Some(&LastChange::Revertible {
            before,
            after: after.clone()
        })
    );
    update(&mut s, Intent::Undo);
    assert_eq!(
        confirm(&s).question,
        Question::Undo {
            target: after,
            restore: ControllerUpdate {
                description: None,
                state: Some(S::Disabled)
            }
        },
        "the rename is theirs: z leaves it"
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
            based_on: Some(Some(stamp(31))),
        }]
    );
}

// 12.6: the question after a stale change shows what the change was based on.

#[test]
fn changed_elsewhere_shows_the_version_the_change_was_based_on_even_after_a_refresh() {
    let mut s = loaded(2);
    let fx = update(&mut s, Intent::ToggleDryRun);
    let list = refresh(&mut s);
    let server = version(controller(2, S::Enabled, "enabled by b.admin"), 60);
    let rows = fixture()
        .into_iter()
        .map(|c| if c.id == cid(2) { server.clone() } else { c })
        .collect();
    list_loaded(&mut s, list, rows);
    assert_eq!(
        s.controllers.get(cid(2)),
        Some(&server),
        "the row was replaced"
    );
    answer_change(&mut s, &fx, Err(elsewhere(server.clone())));
    assert_eq!(
        confirm(&s).question,
        Question::ChangedElsewhere {
            shown: Some(row(2)),
            server,
            change: set_state_change(2, S::DryRun)
        }
    );
    // Asked again, and a yes is based on the server's version.
    let fx = update(&mut s, Intent::Answer(true));
    assert!(matches!(
        &sent(&fx)[..],
        [Change::UpdateController { based_on, .. }] if *based_on == Some(Some(stamp(60)))
    ));
}

// 12.8

#[test]
fn enter_in_an_unchanged_edit_sends_nothing() {
    let mut s = loaded(2);
    update(&mut s, Intent::EditDescription);
    let fx = update(&mut s, Intent::Submit);
    assert!(fx.is_empty(), "{fx:?}");
    assert!(s.dialog.is_none());
    assert_eq!(note(&s), Some(&Note::NothingChanged(cid(2))));
    // Retyped as it was: still nothing.
    update(&mut s, Intent::EditDescription);
    update(&mut s, Intent::Edit(Edit::Clear));
    type_text(&mut s, "fleet: arm64");
    assert!(update(&mut s, Intent::Submit).is_empty());
    assert!(s.changes.is_empty() && s.controllers.busy.is_empty());
}

// 12.2 (the reducer's side): quitting with a change on its way.

#[test]
fn quit_with_a_change_on_its_way_asks_and_waits_or_quits_anyway() {
    let mut s = loaded(2);
    update(&mut s, Intent::Quit);
    assert!(s.quit, "nothing on its way: quits at once");

    let mut s = loaded(2);
    let fx = update(&mut s, Intent::ToggleDryRun);
    update(&mut s, Intent::Quit);
    assert!(matches!(s.dialog, Some(Dialog::Quit)));
    assert!(!s.quit);
    update(&mut s, Intent::QuitWhenDone);
    assert!(s.dialog.is_none());
    assert!(s.quit_when_done && !s.quit);
    assert_eq!(note(&s), Some(&Note::QuitWaiting(1)));
    let after = version(controller(2, S::DryRun, "fleet: arm64"), 5);
    updated(&mut s, &fx, row(2), after);
    assert!(s.quit, "quits once the answer is in");

    let mut s = loaded(2);
    update(&mut s, Intent::ToggleDryRun);
    update(&mut s, Intent::Quit);
    update(&mut s, Intent::QuitAnyway);
    assert!(s.quit);
    assert_eq!(s.changes.len(), 1, "not waited for");
}

#[test]
fn ctrl_c_in_a_question_with_a_change_on_its_way_asks_and_the_question_waits() {
    let mut s = loaded(2);
    let fx = update(&mut s, Intent::ToggleDryRun);
    update(&mut s, Intent::Down);
    update(&mut s, Intent::Delete); // a question about 3
    update(&mut s, Intent::Quit);
    assert!(matches!(s.dialog, Some(Dialog::Quit)));
    update(&mut s, Intent::QuitWhenDone);
    assert!(
        matches!(&s.dialog, Some(Dialog::Confirm(c)) if c.question == Question::Delete { target: row(3) }),
        "{:?}",
        s.dialog
    );
    updated(
        &mut s,
        &fx,
        row(2),
        version(controller(2, S::DryRun, "fleet: arm64"), 5),
    );
    assert!(s.quit);
}

// Found while pinning the above.

#[test]
fn a_second_z_is_based_on_the_version_the_first_undo_produced() {
    let mut s = loaded(1);
    let v1 = version(controller(1, S::DryRun, "kas admission prod"), 1);
    let v2 = version(controller(1, S::Disabled, "kas admission prod"), 2);
    let v3 = version(controller(1, S::DryRun, "kas admission prod"), 3);
    update(&mut s, Intent::ToggleDryRun);
    let fx = update(&mut s, Intent::Answer(true));
    updated(&mut s, &fx, row(1), v1.clone());
    let fx = update(&mut s, Intent::ToggleDryRun);
    updated(&mut s, &fx, v1, v2.clone());
    update(&mut s, Intent::Undo);
    let fx = update(&mut s, Intent::Answer(true));
    updated(&mut s, &fx, v2, v3.clone());
    // The server has v3 (this run's undo): the next z must not look stale to the executor.
    let asked = update(&mut s, Intent::Undo);
    assert!(
        matches!(&confirm(&s).question, Question::Undo { target, .. } if *target == v3),
        "{:?}",
        confirm(&s).question
    );
    update(&mut s, Intent::Answer(true));
    let fx = answer_scopes(&mut s, &asked, no_scopes());
    assert_eq!(
        sent(&fx),
        vec![Change::UpdateController {
            id: cid(1),
            update: ControllerUpdate {
                description: None,
                state: Some(S::Enabled)
            },
            based_on: Some(Some(stamp(3))),
        }]
    );
}

#[test]
fn an_undo_answered_after_another_change_takes_its_own_change_off_the_stack() {
    let mut s = loaded(2);
    let fx = update(&mut s, Intent::ToggleDryRun);
    let two = version(controller(2, S::DryRun, "fleet: arm64"), 5);
    updated(&mut s, &fx, row(2), two.clone());
    // 3 is toggled; its answer is not back yet when 2's change is undone.
    update(&mut s, Intent::Down);
    let toggle_3 = update(&mut s, Intent::ToggleDryRun);
    update(&mut s, Intent::Up);
    update(&mut s, Intent::Undo);
    let undo_2 = update(&mut s, Intent::Answer(true));
    let three = version(controller(3, S::Disabled, "GPU quota guard"), 6);
    updated(&mut s, &toggle_3, row(3), three.clone());
    updated(
        &mut s,
        &undo_2,
        two,
        version(controller(2, S::Disabled, "fleet: arm64"), 7),
    );
    assert_eq!(
        s.controllers.undo_stack,
        vec![LastChange::Revertible {
            before: row(3),
            after: three.clone()
        }],
        "the undone change went, 3's stays"
    );
    update(&mut s, Intent::Undo);
    assert!(matches!(&confirm(&s).question, Question::Undo { target, .. } if *target == three));
}

#[test]
fn an_undo_asked_again_after_a_change_elsewhere_is_still_an_undo() {
    let mut s = loaded(2);
    let fx = update(&mut s, Intent::ToggleDryRun);
    let ours = version(controller(2, S::DryRun, "fleet: arm64"), 5);
    updated(&mut s, &fx, row(2), ours);
    update(&mut s, Intent::Undo);
    let fx = update(&mut s, Intent::Answer(true));
    let theirs = version(controller(2, S::DryRun, "renamed by b.admin"), 60);
    answer_change(&mut s, &fx, Err(elsewhere(theirs.clone())));
    assert!(matches!(
        confirm(&s).question,
        Question::ChangedElsewhere { .. }
    ));
    let fx = update(&mut s, Intent::Answer(true));
    let back = version(controller(2, S::Disabled, "renamed by b.admin"), 61);
    updated(&mut s, &fx, theirs, back);
    assert!(
        s.controllers.undo_stack.is_empty(),
        "the change it undid is off the stack, and the undo is not a new change: {:?}",
        s.controllers.undo_stack
    );
}

#[test]
fn a_second_z_after_someone_elses_change_in_between_is_still_checked() {
    let mut s = loaded(2);
    let v1 = version(controller(2, S::DryRun, "fleet: arm64"), 1);
    let fx = update(&mut s, Intent::ToggleDryRun);
    updated(&mut s, &fx, row(2), v1);
    // Another admin renames it; this run then disables it and undoes that.
    let renamed = version(controller(2, S::DryRun, "renamed by b.admin"), 2);
    let list = refresh(&mut s);
    let rows = fixture()
        .into_iter()
        .map(|c| if c.id == cid(2) { renamed.clone() } else { c })
        .collect();
    list_loaded(&mut s, list, rows);
    let fx = update(&mut s, Intent::ToggleDryRun);
    let v2 = version(controller(2, S::Disabled, "renamed by b.admin"), 3);
    updated(&mut s, &fx, renamed, v2.clone());
    update(&mut s, Intent::Undo);
    let fx = update(&mut s, Intent::Answer(true));
    updated(
        &mut s,
        &fx,
        v2,
        version(controller(2, S::DryRun, "renamed by b.admin"), 4),
    );
    // The first change is not rebased over the rename: its undo stays based on what this
    // run produced, so the executor's stale check shows the rename before anything reverts.
    update(&mut s, Intent::Undo);
    let fx = update(&mut s, Intent::Answer(true));
    assert!(
        matches!(&sent(&fx)[..], [Change::UpdateController { based_on, .. }]
            if *based_on == Some(Some(stamp(1)))),
        "{fx:?}"
    );
}

#[test]
fn an_undo_someone_else_already_made_is_done_too() {
    let mut s = loaded(2);
    let fx = update(&mut s, Intent::ToggleDryRun);
    let ours = version(controller(2, S::DryRun, "fleet: arm64"), 5);
    updated(&mut s, &fx, row(2), ours);
    update(&mut s, Intent::Undo);
    let fx = update(&mut s, Intent::Answer(true));
    // Another admin disabled it again first: asked again, and the server already has it.
    let theirs = version(controller(2, S::Disabled, "fleet: arm64"), 60);
    answer_change(&mut s, &fx, Err(elsewhere(theirs.clone())));
    let fx = update(&mut s, Intent::Answer(true));
    answer_change(&mut s, &fx, Ok(Done::Unchanged(theirs.clone())));
    assert_eq!(note(&s), Some(&Note::AlreadySo(theirs)));
    assert!(s.controllers.undo_stack.is_empty());
    update(&mut s, Intent::Undo);
    assert_eq!(note(&s), Some(&Note::NothingToUndo), "z goes further back");
}
