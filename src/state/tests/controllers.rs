//! The controllers list: toggling, confirmations, refresh, latest wins, failures, ticks.

use super::*;

#[test]
fn init_loads_both_panes() {
    let mut s = state();
    let fx = s.init();
    assert!(matches!(
        fx[..],
        [
            Effect::Load(Load::Controllers { .. }),
            Effect::Load(Load::Sessions { .. })
        ]
    ));
    assert!(s.controllers.remote.is_loading());
    assert!(s.is_loading());
}

#[test]
fn the_first_page_is_shown_while_the_rest_come_but_never_over_rows_on_screen() {
    let mut s = state();
    s.init();
    let req = s.controllers.remote.pending.expect("pending");
    let page1 = fixture()[..2].to_vec();
    update(
        &mut s,
        Outcome::ControllersFirstPage {
            req: req + 1,
            rows: page1.clone(),
        },
    );
    assert!(
        s.controllers.rows().is_empty(),
        "not the latest request: dropped"
    );
    update(
        &mut s,
        Outcome::ControllersFirstPage {
            req,
            rows: page1.clone(),
        },
    );
    assert_eq!(s.controllers.rows().len(), 2, "page 1 on screen");
    assert_eq!(s.controllers.selected, Some(cid(1)));
    assert!(
        s.controllers.remote.is_loading(),
        "the title still says loading"
    );
    list_loaded(&mut s, req, fixture());
    assert_eq!(s.controllers.rows().len(), 4);
    assert!(!s.controllers.remote.is_loading());
    // A refresh keeps the whole list until the whole new one is in.
    s.refresh(&mut Vec::new());
    let req = s.controllers.remote.pending.expect("pending");
    update(&mut s, Outcome::ControllersFirstPage { req, rows: page1 });
    assert_eq!(s.controllers.rows().len(), 4);
}

#[test]
fn loaded_list_selects_the_first_row() {
    let mut s = state();
    s.init();
    let req = s.controllers.remote.pending.expect("pending");
    list_loaded(&mut s, req, fixture());
    assert_eq!(s.controllers.selected, Some(cid(1)));
    assert_eq!(s.controllers.rows().len(), 4);
    assert_eq!(s.controllers.remote.loaded_at, Some(t0()));
}

#[test]
fn toggle_on_disabled_sets_dry_run_at_once() {
    let mut s = loaded(2);
    let fx = update(&mut s, Intent::ToggleDryRun);
    assert_eq!(fx.len(), 1, "{fx:?}");
    assert_eq!(sent(&fx), vec![set_state_change(2, S::DryRun)]);
    assert!(s.dialog.is_none());
    assert!(s.controllers.busy.contains(&cid(2)));
    assert_eq!(
        note(&s),
        Some(&Note::Sending(set_state_change(2, S::DryRun)))
    );
}

#[test]
fn toggle_on_dry_run_disables_at_once() {
    let mut s = loaded(3);
    let fx = update(&mut s, Intent::ToggleDryRun);
    assert_eq!(fx.len(), 1, "{fx:?}");
    assert_eq!(sent(&fx), vec![set_state_change(3, S::Disabled)]);
}

#[test]
fn toggle_on_enabled_asks_first_and_no_is_the_default() {
    let mut s = loaded(1);
    let fx = update(&mut s, Intent::ToggleDryRun);
    assert!(fx.is_empty(), "nothing is sent before the answer: {fx:?}");
    let c = confirm(&s);
    assert_eq!(
        c.question,
        Question::SetState {
            target: row(1),
            to: S::DryRun
        }
    );
    assert!(!c.yes, "No is highlighted");
    assert!(c.typed.is_none() && c.awaiting.is_empty());
    // Enter answers the highlighted button: No.
    let fx = update(&mut s, Intent::Submit);
    assert!(fx.is_empty());
    assert!(s.dialog.is_none());
    assert!(s.controllers.busy.is_empty());
}

#[test]
fn toggle_on_enabled_confirmed_with_y_sets_dry_run() {
    let mut s = loaded(1);
    update(&mut s, Intent::ToggleDryRun);
    let fx = update(&mut s, Intent::Answer(true));
    assert_eq!(fx.len(), 1, "{fx:?}");
    assert_eq!(sent(&fx), vec![set_state_change(1, S::DryRun)]);
    assert!(s.dialog.is_none());
}

#[test]
fn toggle_on_unknown_state_only_warns() {
    let mut s = loaded(4);
    let fx = update(&mut s, Intent::ToggleDryRun);
    assert!(fx.is_empty());
    let n = note(&s).expect("flash");
    assert_eq!(
        *n,
        Note::UnknownState {
            id: cid(4),
            state: "paused".into()
        }
    );
    assert_eq!(n.level(), Level::Warn);
}

#[test]
fn state_picker_to_enabled_asks_and_to_disabled_does_not() {
    let mut s = loaded(3);
    update(&mut s, Intent::PickState);
    // KNOWN is disabled, enabled, dry_run: the cursor starts on the current (dry_run).
    let Some(Dialog::StatePicker(p)) = &s.dialog else {
        panic!("picker: {:?}", s.dialog);
    };
    assert_eq!(p.choice(), S::DryRun);
    update(&mut s, Intent::Up);
    let asked = update(&mut s, Intent::Submit);
    assert!(sent(&asked).is_empty(), "{asked:?}");
    let c = confirm(&s);
    assert_eq!(
        c.question,
        Question::SetState {
            target: row(3),
            to: S::Enabled
        }
    );
    assert!(c.awaiting.contains_key(&cid(3)));
    // Yes waits for the scopes, which decide whether its id must be typed.
    assert!(update(&mut s, Intent::Answer(true)).is_empty());
    let fx = answer_scopes(&mut s, &asked, no_scopes());
    assert_eq!(sent(&fx), vec![set_state_change(3, S::Enabled)]);
    assert!(s.dialog.is_none());

    let mut s = loaded(3);
    update(&mut s, Intent::PickState);
    update(&mut s, Intent::Top);
    let fx = update(&mut s, Intent::Submit);
    assert_eq!(sent(&fx), vec![set_state_change(3, S::Disabled)]);
    assert!(s.dialog.is_none());
}

#[test]
fn delete_asks_naming_the_controller_and_sends_if_unmodified_since() {
    let mut s = loaded(2);
    let first = update(&mut s, Intent::Delete);
    assert!(sent(&first).is_empty());
    assert_eq!(confirm(&s).question, Question::Delete { target: row(2) });
    assert!(update(&mut s, Intent::Answer(false)).is_empty());
    assert!(s.dialog.is_none());
    // Asked again: the scopes are read again (the answer to the first read is now old).
    let asked = update(&mut s, Intent::Delete);
    let (old, new) = (scope_reads(&first), scope_reads(&asked));
    assert_eq!(new.len(), 1);
    assert!(new[0].0 > old[0].0 && new[0].1 == cid(2), "{old:?} {new:?}");
    assert!(
        update(&mut s, Intent::Answer(true)).is_empty(),
        "waits for the scopes"
    );
    let fx = answer_scopes(&mut s, &asked, no_scopes());
    assert_eq!(
        sent(&fx),
        vec![Change::DeleteController {
            id: cid(2),
            based_on: Some(Some(stamp(0)))
        }]
    );
    answer_change(&mut s, &fx, Ok(Done::Deleted { before: row(2) }));
    assert!(s.controllers.rows().iter().all(|c| c.id != cid(2)));
    assert_eq!(
        s.controllers.selected,
        Some(cid(3)),
        "the next row takes the place"
    );
    assert_eq!(note(&s), Some(&Note::Deleted(cid(2))));
}

#[test]
fn create_form_sends_description_and_state() {
    let mut s = loaded(1);
    update(&mut s, Intent::New);
    type_text(&mut s, "new gate");
    update(&mut s, Intent::NextField);
    update(&mut s, Intent::Edit(Edit::Right)); // disabled -> enabled
    update(&mut s, Intent::Edit(Edit::Right)); // enabled -> dry_run
    let fx = update(&mut s, Intent::Submit);
    assert_eq!(
        sent(&fx),
        vec![Change::CreateController {
            description: Some("new gate".into()),
            state: S::DryRun
        }]
    );
    let created = controller(9, S::DryRun, "new gate");
    answer_change(&mut s, &fx, Ok(Done::Created(created.clone())));
    assert_eq!(s.controllers.selected, Some(cid(9)));
    assert_eq!(s.controllers.rows().last().map(|c| c.id), Some(cid(9)));
    assert_eq!(note(&s), Some(&Note::Created(created)));
}

#[test]
fn create_enabled_asks_first() {
    let mut s = loaded(1);
    update(&mut s, Intent::New);
    update(&mut s, Intent::NextField);
    update(&mut s, Intent::Edit(Edit::Right));
    let fx = update(&mut s, Intent::Submit);
    assert!(sent(&fx).is_empty(), "{fx:?}");
    assert_eq!(
        confirm(&s).question,
        Question::Create {
            description: None,
            state: S::Enabled
        }
    );
}

#[test]
fn too_long_description_is_refused_in_the_form() {
    let mut s = loaded(1);
    update(&mut s, Intent::EditDescription);
    update(&mut s, Intent::Edit(Edit::Clear));
    for _ in 0..1025 {
        update(&mut s, Intent::Edit(Edit::Char('é')));
    }
    let fx = update(&mut s, Intent::Submit);
    assert!(fx.is_empty());
    let Some(Dialog::ControllerForm(f)) = &s.dialog else {
        panic!("form stays open: {:?}", s.dialog);
    };
    assert_eq!(
        f.error,
        Some(FormError::TooLong {
            len: 1025,
            max: 1024
        })
    );
}

#[test]
fn refresh_keeps_the_selection_on_the_same_id() {
    let mut s = loaded(3);
    let req = refresh(&mut s);
    let mut rows = fixture();
    rows.insert(0, controller(0, S::Disabled, "new first row"));
    list_loaded(&mut s, req, rows);
    assert_eq!(s.controllers.selected, Some(cid(3)));
}

#[test]
fn refresh_never_closes_a_dialog() {
    let mut s = loaded(1);
    let req = refresh(&mut s);
    update(&mut s, Intent::ToggleDryRun);
    list_loaded(&mut s, req, fixture());
    assert!(matches!(s.dialog, Some(Dialog::Confirm(_))));
}

#[test]
fn stale_results_are_dropped_latest_wins() {
    let mut s = loaded(2);
    let old = refresh(&mut s);
    // A listing already on its way is not asked for twice.
    let again = update(&mut s, Intent::Refresh);
    assert_eq!(list_read(&again), None, "{again:?}");
    // A failed change reads the list again: the first read is no longer the latest.
    let fx = update(&mut s, Intent::ToggleDryRun);
    let fx = answer_change(&mut s, &fx, Err(failure(err500())));
    let new = list_read(&fx).expect("the list is read again");
    assert_ne!(old, new);
    list_loaded(&mut s, old, vec![controller(77, S::Enabled, "stale")]);
    assert!(
        s.controllers.rows().iter().all(|c| c.id != cid(77)),
        "the stale answer is dropped"
    );
    assert!(
        s.controllers.remote.is_loading(),
        "still waiting for the latest"
    );
    list_loaded(&mut s, new, vec![controller(88, S::Enabled, "fresh")]);
    assert_eq!(s.controllers.rows()[0].id, cid(88));
    assert!(!s.controllers.remote.is_loading());
}

#[test]
fn failed_refresh_keeps_the_last_good_data_and_says_so() {
    let mut s = loaded(2);
    let req = refresh(&mut s);
    update(
        &mut s,
        Outcome::ControllersLoaded {
            req,
            result: Err(err500()),
        },
    );
    assert_eq!(s.controllers.rows().len(), 4, "data kept");
    assert_eq!(s.controllers.selected, Some(cid(2)));
    assert_eq!(s.controllers.remote.health(), Health::Failing);
    let n = note(&s).expect("flash");
    assert_eq!(*n, Note::ControllersFailed(err500()));
    assert_eq!(n.level(), Level::Error);
    assert_eq!(s.history.len(), 1);
}

#[test]
fn unreachable_server_turns_the_pane_disconnected_since_the_first_failure() {
    let mut s = loaded(1);
    let down = || ApiError::Connect {
        host: "gitlab.example.com".into(),
        message: "connection refused".into(),
    };
    let req = refresh(&mut s);
    update(
        &mut s,
        Outcome::ControllersLoaded {
            req,
            result: Err(down()),
        },
    );
    let since = s.controllers.remote.error.as_ref().map(|e| e.since);
    assert_eq!(since, Some(t0()));
    // A minute later the auto-refresh fails the same way.
    let fx = tick(&mut s, at(60));
    let req = list_read(&fx).expect("auto-refresh");
    update(
        &mut s,
        Outcome::ControllersLoaded {
            req,
            result: Err(down()),
        },
    );
    assert_eq!(s.controllers.remote.health(), Health::Disconnected);
    assert_eq!(s.controllers.remote.error.as_ref().map(|e| e.since), since);
}

#[test]
fn failed_mutation_reloads_the_row_as_the_server_has_it() {
    let mut s = loaded(2);
    let fx = update(&mut s, Intent::ToggleDryRun);
    let fx = answer_change(&mut s, &fx, Err(failure(err500())));
    assert!(
        matches!(fx[..], [Effect::Load(Load::Controllers { .. })]),
        "{fx:?}"
    );
    assert!(!s.controllers.busy.contains(&cid(2)));
    assert_eq!(s.controllers.rows()[1].state, S::Disabled);
    assert_eq!(
        note(&s),
        Some(&Note::Failed {
            change: set_state_change(2, S::DryRun),
            error: err500()
        })
    );
}

#[test]
fn successful_update_replaces_the_row() {
    let mut s = loaded(2);
    let fx = update(&mut s, Intent::ToggleDryRun);
    let after = version(controller(2, S::DryRun, "fleet: arm64"), 5);
    let fx = updated(&mut s, &fx, row(2), after.clone());
    assert!(fx.is_empty(), "{fx:?}");
    assert_eq!(s.controllers.rows()[1], after);
    assert!(s.controllers.busy.is_empty());
    assert_eq!(
        note(&s),
        Some(&Note::Updated {
            after,
            state_changed: true
        })
    );
}

#[test]
fn tick_refreshes_when_due_and_only_then() {
    let loads = |fx: &[Effect]| {
        fx.iter()
            .filter(|e| {
                matches!(
                    e,
                    Effect::Load(Load::Controllers { .. } | Load::Sessions { .. })
                )
            })
            .count()
    };
    let mut s = loaded(1);
    let every = s.settings.refresh_every.expect("auto-refresh on");
    assert_eq!(loads(&tick(&mut s, at(1))), 0);
    // Bookings were never answered in this fixture, so only controllers are due.
    let fx = tick(&mut s, t0() + every);
    assert!(list_read(&fx).is_some(), "{fx:?}");
    assert_eq!(loads(&fx), 1);
    // Paused: nothing.
    let mut s = loaded(1);
    update(&mut s, Intent::TogglePause);
    assert_eq!(note(&s), Some(&Note::Paused(true)));
    assert_eq!(loads(&tick(&mut s, t0() + every * 3)), 0);
}

#[test]
fn the_selected_controllers_scopes_load_in_the_background_once() {
    let mut s = loaded(2);
    let fx = tick(&mut s, t0());
    let [(req, id)] = scope_reads(&fx)[..] else {
        panic!("scopes of the selected controller: {fx:?}");
    };
    assert_eq!(id, cid(2));
    // One at a time.
    assert!(scope_reads(&tick(&mut s, t0())).is_empty());
    scopes_loaded(&mut s, req, id, Ok(instance_scope()));
    assert!(scope_reads(&tick(&mut s, t0())).is_empty(), "cached");
    assert!(matches!(
        s.controllers.scopes_seen(cid(2)),
        crate::safety::ScopesSeen::Known(sc) if sc.instance.is_some()
    ));
    // Enabling still reads them fresh; they show the instance scope: the id must be typed.
    let asked = pick(&mut s, S::Enabled);
    assert_eq!(scope_reads(&asked).len(), 1);
    answer_scopes(&mut s, &asked, instance_scope());
    let typed = confirm(&s).typed.as_ref().map(|t| t.expected.clone());
    assert_eq!(typed.as_deref(), Some("2"));
    assert!(
        update(&mut s, Intent::Answer(true)).is_empty(),
        "yes alone is not enough"
    );
    assert_eq!(note(&s), Some(&Note::TypeToConfirm { words: None }));
    update(&mut s, Intent::Edit(Edit::Char('2')));
    let fx = update(&mut s, Intent::Submit);
    assert_eq!(sent(&fx), vec![set_state_change(2, S::Enabled)]);
}

#[test]
fn flash_expires_with_the_clock_and_idle_ticks_do_not_redraw() {
    let mut s = loaded(1);
    let req = s.bookings.remote.pending.expect("pending");
    sessions_loaded(&mut s, req, vec![]);
    s.flash(Note::NothingToUndo);
    s.dirty = false;
    tick(&mut s, t0() + Duration::from_millis(250));
    assert!(
        !s.dirty,
        "nothing visible changed within the same second while idle"
    );
    assert!(s.flash.is_some());
    let later = t0() + s.settings.flash_for;
    tick(&mut s, later);
    assert!(s.flash.is_none());
    assert!(s.dirty);
}

#[test]
fn read_only_ignores_mutating_intents() {
    let mut s = loaded(2);
    s.context.read_only = true;
    assert!(update(&mut s, Intent::ToggleDryRun).is_empty());
    assert!(update(&mut s, Intent::Delete).is_empty());
    update(&mut s, Intent::New);
    assert!(s.dialog.is_none());
    assert!(s.controllers.busy.is_empty());
    update(&mut s, Intent::ReadOnly);
    assert_eq!(note(&s), Some(&Note::ReadOnlyKey));
}

#[test]
fn esc_closes_the_detail_and_enter_loads_it() {
    let mut s = loaded(3);
    let fx = update(&mut s, Intent::OpenDetail);
    assert!(
        matches!(
            fx[..],
            [
                Effect::Load(Load::Controller {
                    id: ControllerId(3),
                    ..
                }),
                Effect::Load(Load::Tokens {
                    id: ControllerId(3),
                    ..
                }),
                Effect::Load(Load::Scopes {
                    id: ControllerId(3),
                    ..
                }),
                // The server's history, for the detail's History section.
                Effect::Load(Load::Events { .. })
            ]
        ),
        "{fx:?}"
    );
    assert_eq!(s.controllers.detail.as_ref().map(|d| d.id), Some(cid(3)));
    update(&mut s, Intent::Back);
    assert!(s.controllers.detail.is_none());
}

#[test]
fn navigation_clamps_at_both_ends() {
    let mut s = loaded(1);
    update(&mut s, Intent::Up);
    assert_eq!(s.controllers.selected, Some(cid(1)));
    update(&mut s, Intent::Bottom);
    assert_eq!(s.controllers.selected, Some(cid(4)));
    update(&mut s, Intent::Down);
    assert_eq!(s.controllers.selected, Some(cid(4)));
    update(&mut s, Intent::PageUp);
    assert_eq!(s.controllers.selected, Some(cid(1)));
}

#[test]
fn deprecation_is_shown_once() {
    let mut s = loaded(1);
    let d = Deprecation {
        api: "veHaaS".into(),
        endpoint: "POST /api/v2.0/jobs".into(),
        since: Some("2026-01-01".into()),
        sunset: Some("Wed, 30 Jun 2027 00:00:00 GMT".into()),
        ..Default::default()
    };
    update(&mut s, Outcome::Deprecated(d.clone()));
    assert_eq!(s.banner.as_ref(), Some(&d));
    assert_eq!(note(&s), Some(&Note::Deprecated(d.clone())));
    let before = s.history.len();
    update(&mut s, Outcome::Deprecated(d.clone()));
    assert_eq!(s.history.len(), before, "not flashed twice");
    let other_endpoint = Deprecation {
        endpoint: "GET /api/v2.0/jobs/{job_id}".into(),
        ..d.clone()
    };
    update(&mut s, Outcome::Deprecated(other_endpoint));
    assert_eq!(s.history.len(), before, "once per API, not per endpoint");
    assert_eq!(s.banner.as_ref(), Some(&d));
}

#[test]
fn help_scrolls_and_closes() {
    let mut s = loaded(1);
    update(&mut s, Intent::Help);
    update(&mut s, Intent::Down);
    update(&mut s, Intent::Down);
    assert_eq!(s.help, Some(Help { offset: 2 }));
    assert_eq!(
        s.controllers.selected,
        Some(cid(1)),
        "the list did not move"
    );
    update(&mut s, Intent::Back);
    assert!(s.help.is_none());
    assert!(s.dialog.is_none());
}
