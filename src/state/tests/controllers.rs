//! The controllers list: toggling, confirmations, refresh, latest wins, failures, ticks.

use super::*;

#[test]
fn init_loads_both_panes() {
    let mut s = state();
    let fx = s.init();
    assert!(matches!(
        fx[..],
        [Effect::LoadControllers { .. }, Effect::LoadSessions { .. }]
    ));
    assert!(s.controllers.remote.is_loading());
    assert!(s.is_loading());
}

#[test]
fn loaded_list_selects_the_first_row() {
    let mut s = state();
    s.init();
    let req = s.controllers.remote.pending.expect("pending");
    update(
        &mut s,
        Action::ControllersLoaded {
            req,
            result: Ok(fixture()),
        },
    );
    assert_eq!(s.controllers.selected, Some(1));
    assert_eq!(s.controllers.rows().len(), 4);
    assert_eq!(s.controllers.remote.loaded_at, Some(t0()));
}

#[test]
fn toggle_on_disabled_sets_dry_run_at_once() {
    let mut s = loaded(2);
    let fx = update(&mut s, Action::ToggleDryRun);
    assert_eq!(fx, vec![set_state_effect(2, S::DryRun)]);
    assert!(s.dialog.is_none());
    assert!(s.controllers.busy.contains(&2));
}

#[test]
fn toggle_on_dry_run_disables_at_once() {
    let mut s = loaded(3);
    let fx = update(&mut s, Action::ToggleDryRun);
    assert_eq!(fx, vec![set_state_effect(3, S::Disabled)]);
}

#[test]
fn toggle_on_enabled_asks_first_and_no_is_the_default() {
    let mut s = loaded(1);
    let fx = update(&mut s, Action::ToggleDryRun);
    assert!(fx.is_empty(), "nothing is sent before the answer");
    let Some(Dialog::Confirm(c)) = &s.dialog else {
        panic!("expected a confirmation, got {:?}", s.dialog);
    };
    assert!(c.question.contains("kas admission prod"), "{}", c.question);
    assert!(c.details.iter().any(|d| d.contains("enabled -> dry_run")));
    assert!(!c.yes, "No is highlighted");
    // Enter answers the highlighted button: No.
    let fx = update(&mut s, Action::Submit);
    assert!(fx.is_empty());
    assert!(s.dialog.is_none());
}

#[test]
fn toggle_on_enabled_confirmed_with_y_sets_dry_run() {
    let mut s = loaded(1);
    update(&mut s, Action::ToggleDryRun);
    let fx = update(&mut s, Action::Answer(true));
    assert_eq!(fx, vec![set_state_effect(1, S::DryRun)]);
    assert!(s.dialog.is_none());
}

#[test]
fn toggle_on_unknown_state_only_warns() {
    let mut s = loaded(4);
    let fx = update(&mut s, Action::ToggleDryRun);
    assert!(fx.is_empty());
    let flash = s.flash.expect("flash");
    assert_eq!(flash.level, Level::Warn);
    assert!(flash.text.contains("paused"));
}

#[test]
fn state_picker_to_enabled_asks_and_to_disabled_does_not() {
    let mut s = loaded(3);
    update(&mut s, Action::PickState);
    // KNOWN is disabled, enabled, dry_run: the cursor starts on the current (dry_run).
    let Some(Dialog::StatePicker(p)) = &s.dialog else {
        panic!("picker");
    };
    assert_eq!(p.choice(), S::DryRun);
    update(&mut s, Action::Up);
    let asked = update(&mut s, Action::Submit);
    assert!(
        !asked
            .iter()
            .any(|e| matches!(e, Effect::UpdateController { .. }))
    );
    assert!(matches!(&s.dialog, Some(Dialog::Confirm(c)) if c.details[0] == "dry_run -> enabled"));
    // Yes waits for the scopes, which decide whether its id must be typed.
    assert!(update(&mut s, Action::Answer(true)).is_empty());
    let fx = answer_scopes(&mut s, &asked, crate::domain::Scopes::default());
    assert_eq!(fx, vec![set_state_effect(3, S::Enabled)]);

    let mut s = loaded(3);
    update(&mut s, Action::PickState);
    update(&mut s, Action::Top);
    let fx = update(&mut s, Action::Submit);
    assert_eq!(fx, vec![set_state_effect(3, S::Disabled)]);
}

#[test]
fn delete_asks_naming_the_controller_and_sends_if_unmodified_since() {
    let mut s = loaded(2);
    let asked = update(&mut s, Action::Delete);
    assert!(
        !asked
            .iter()
            .any(|e| matches!(e, Effect::DeleteController { .. }))
    );
    let Some(Dialog::Confirm(c)) = &s.dialog else {
        panic!("confirm");
    };
    assert_eq!(c.question, "Delete runner controller 2 \"fleet: arm64\"?");
    assert!(update(&mut s, Action::Answer(false)).is_empty());
    // Asked again: the scopes are read again (the answer to the first read is now old).
    let asked = update(&mut s, Action::Delete);
    assert!(
        update(&mut s, Action::Answer(true)).is_empty(),
        "waits for the scopes"
    );
    let fx = answer_scopes(&mut s, &asked, crate::domain::Scopes::default());
    assert_eq!(
        fx,
        vec![Effect::DeleteController {
            id: 2,
            if_unmodified_since: Some(t0())
        }]
    );
    update(
        &mut s,
        Action::ControllerDeleted {
            id: 2,
            result: Ok(()),
        },
    );
    assert!(s.controllers.rows().iter().all(|c| c.id != 2));
    assert_eq!(
        s.controllers.selected,
        Some(3),
        "the next row takes the place"
    );
}

#[test]
fn create_form_sends_description_and_state() {
    let mut s = loaded(1);
    update(&mut s, Action::New);
    for c in "new gate".chars() {
        update(&mut s, Action::Edit(Edit::Char(c)));
    }
    update(&mut s, Action::NextField);
    update(&mut s, Action::Edit(Edit::Right)); // disabled -> enabled
    update(&mut s, Action::Edit(Edit::Right)); // enabled -> dry_run
    let fx = update(&mut s, Action::Submit);
    assert_eq!(
        fx,
        vec![Effect::CreateController {
            description: Some("new gate".into()),
            state: S::DryRun
        }]
    );
    let created = controller(9, S::DryRun, "new gate");
    update(
        &mut s,
        Action::ControllerCreated {
            result: Ok(created),
        },
    );
    assert_eq!(s.controllers.selected, Some(9));
    assert_eq!(s.controllers.rows().last().map(|c| c.id), Some(9));
}

#[test]
fn create_enabled_asks_first() {
    let mut s = loaded(1);
    update(&mut s, Action::New);
    update(&mut s, Action::NextField);
    update(&mut s, Action::Edit(Edit::Right));
    let fx = update(&mut s, Action::Submit);
    assert!(fx.is_empty());
    assert!(matches!(s.dialog, Some(Dialog::Confirm(_))));
}

#[test]
fn too_long_description_is_refused_in_the_form() {
    let mut s = loaded(1);
    update(&mut s, Action::EditDescription);
    update(&mut s, Action::Edit(Edit::Clear));
    for _ in 0..1025 {
        update(&mut s, Action::Edit(Edit::Char('é')));
    }
    let fx = update(&mut s, Action::Submit);
    assert!(fx.is_empty());
    let Some(Dialog::ControllerForm(f)) = &s.dialog else {
        panic!("form stays open");
    };
    assert!(f.error.as_deref().is_some_and(|e| e.contains("1025")));
}

#[test]
fn refresh_keeps_the_selection_on_the_same_id() {
    let mut s = loaded(3);
    let fx = update(&mut s, Action::Refresh);
    let req = fx
        .iter()
        .find_map(|e| match e {
            Effect::LoadControllers { req } => Some(*req),
            _ => None,
        })
        .expect("refresh loads");
    let mut rows = fixture();
    rows.insert(0, controller(0, S::Disabled, "new first row"));
    update(
        &mut s,
        Action::ControllersLoaded {
            req,
            result: Ok(rows),
        },
    );
    assert_eq!(s.controllers.selected, Some(3));
}

#[test]
fn refresh_never_closes_a_dialog() {
    let mut s = loaded(1);
    update(&mut s, Action::ToggleDryRun);
    let req = s.next_id();
    s.controllers.remote.start(req);
    update(
        &mut s,
        Action::ControllersLoaded {
            req,
            result: Ok(fixture()),
        },
    );
    assert!(matches!(s.dialog, Some(Dialog::Confirm(_))));
}

#[test]
fn stale_results_are_dropped_latest_wins() {
    let mut s = loaded(1);
    let first = update(&mut s, Action::Refresh);
    let second = update(&mut s, Action::Refresh);
    let req_of = |fx: &[Effect]| {
        fx.iter()
            .find_map(|e| match e {
                Effect::LoadControllers { req } => Some(*req),
                _ => None,
            })
            .expect("load")
    };
    let (old, new) = (req_of(&first), req_of(&second));
    assert_ne!(old, new);
    update(
        &mut s,
        Action::ControllersLoaded {
            req: old,
            result: Ok(vec![controller(77, S::Enabled, "stale")]),
        },
    );
    assert!(
        s.controllers.rows().iter().all(|c| c.id != 77),
        "the stale answer is dropped"
    );
    assert!(
        s.controllers.remote.is_loading(),
        "still waiting for the latest"
    );
    update(
        &mut s,
        Action::ControllersLoaded {
            req: new,
            result: Ok(vec![controller(88, S::Enabled, "fresh")]),
        },
    );
    assert_eq!(s.controllers.rows()[0].id, 88);
    assert!(!s.controllers.remote.is_loading());
}

#[test]
fn failed_refresh_keeps_the_last_good_data_and_says_so() {
    let mut s = loaded(2);
    let req = refresh(&mut s);
    update(
        &mut s,
        Action::ControllersLoaded {
            req,
            result: Err(err500()),
        },
    );
    assert_eq!(s.controllers.rows().len(), 4, "data kept");
    assert_eq!(s.controllers.selected, Some(2));
    assert_eq!(s.controllers.remote.health(), Health::Failing);
    let flash = s.flash.clone().expect("flash");
    assert_eq!(flash.level, Level::Error);
    assert!(flash.text.contains("500"), "{}", flash.text);
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
        Action::ControllersLoaded {
            req,
            result: Err(down()),
        },
    );
    let since = s.controllers.remote.error.as_ref().map(|e| e.since);
    update(
        &mut s,
        Action::Tick {
            now: t0() + Duration::from_secs(60),
        },
    );
    let req = refresh(&mut s);
    update(
        &mut s,
        Action::ControllersLoaded {
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
    update(&mut s, Action::ToggleDryRun);
    let fx = update(
        &mut s,
        Action::ControllerUpdated {
            id: 2,
            result: Err(err500()),
        },
    );
    assert!(matches!(fx[..], [Effect::LoadControllers { .. }]));
    assert!(!s.controllers.busy.contains(&2));
    assert_eq!(s.controllers.rows()[1].state, S::Disabled);
}

#[test]
fn successful_update_replaces_the_row() {
    let mut s = loaded(2);
    update(&mut s, Action::ToggleDryRun);
    let fx = update(
        &mut s,
        Action::ControllerUpdated {
            id: 2,
            result: Ok(controller(2, S::DryRun, "fleet: arm64")),
        },
    );
    assert!(fx.is_empty());
    assert_eq!(s.controllers.rows()[1].state, S::DryRun);
    assert!(s.flash.expect("flash").text.contains("dry_run"));
}

#[test]
fn tick_refreshes_when_due_and_only_then() {
    let loads = |fx: &[Effect]| {
        fx.iter()
            .filter(|e| {
                matches!(
                    e,
                    Effect::LoadControllers { .. } | Effect::LoadSessions { .. }
                )
            })
            .count()
    };
    let mut s = loaded(1);
    let every = s.settings.refresh_every.expect("auto-refresh on");
    let soon = t0() + Duration::from_secs(1);
    assert_eq!(loads(&update(&mut s, Action::Tick { now: soon })), 0);
    // Bookings were never answered in this fixture, so only controllers are due.
    let fx = update(&mut s, Action::Tick { now: t0() + every });
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::LoadControllers { .. }))
    );
    // Paused: nothing.
    let mut s = loaded(1);
    update(&mut s, Action::TogglePause);
    let later = t0() + every * 3;
    assert_eq!(loads(&update(&mut s, Action::Tick { now: later })), 0);
}

#[test]
fn the_selected_controllers_scopes_load_in_the_background_once() {
    let mut s = loaded(2);
    let fx = update(&mut s, Action::Tick { now: t0() });
    let Some(Effect::LoadScopes { req, id: 2 }) = fx
        .iter()
        .find(|e| matches!(e, Effect::LoadScopes { .. }))
        .cloned()
    else {
        panic!("scopes of the selected controller: {fx:?}");
    };
    // One at a time.
    let fx = update(&mut s, Action::Tick { now: t0() });
    assert!(!fx.iter().any(|e| matches!(e, Effect::LoadScopes { .. })));
    let scopes = crate::domain::Scopes {
        instance: Some(Default::default()),
        runners: vec![],
    };
    update(
        &mut s,
        Action::ScopesLoaded {
            req,
            id: 2,
            result: Ok(scopes),
        },
    );
    let fx = update(&mut s, Action::Tick { now: t0() });
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::LoadScopes { .. })),
        "cached"
    );
    // The preview now knows: enabling asks for the id to be typed.
    update(&mut s, Action::PickState);
    update(&mut s, Action::Top);
    update(&mut s, Action::Down); // enabled
    update(&mut s, Action::Submit);
    let Some(Dialog::Confirm(c)) = &s.dialog else {
        panic!("confirm");
    };
    assert!(
        c.details
            .iter()
            .any(|d| d.contains("every job on the whole instance")),
        "{:?}",
        c.details
    );
    assert!(c.typed.is_some());
    assert!(
        update(&mut s, Action::Answer(true)).is_empty(),
        "yes alone is not enough"
    );
    update(&mut s, Action::Edit(Edit::Char('2')));
    let fx = update(&mut s, Action::Submit);
    assert_eq!(fx, vec![set_state_effect(2, S::Enabled)]);
}

#[test]
fn flash_expires_with_the_clock_and_idle_ticks_do_not_redraw() {
    let mut s = loaded(1);
    let req = s.bookings.remote.pending.expect("pending");
    update(
        &mut s,
        Action::SessionsLoaded {
            req,
            result: Ok(vec![]),
        },
    );
    s.flash(Level::Info, "hello");
    s.dirty = false;
    update(
        &mut s,
        Action::Tick {
            now: t0() + Duration::from_millis(250),
        },
    );
    assert!(
        !s.dirty,
        "nothing visible changed within the same second while idle"
    );
    let later = t0() + s.settings.flash_for;
    update(&mut s, Action::Tick { now: later });
    assert!(s.flash.is_none());
    assert!(s.dirty);
}

#[test]
fn read_only_ignores_mutating_intents() {
    let mut s = loaded(2);
    s.context.read_only = true;
    assert!(update(&mut s, Action::ToggleDryRun).is_empty());
    update(&mut s, Action::Delete);
    update(&mut s, Action::New);
    assert!(s.dialog.is_none());
}

#[test]
fn esc_closes_the_detail_and_enter_loads_it() {
    let mut s = loaded(3);
    let fx = update(&mut s, Action::OpenDetail);
    assert!(matches!(
        fx[..],
        [
            Effect::LoadController { id: 3, .. },
            Effect::LoadTokens { id: 3, .. },
            Effect::LoadScopes { id: 3, .. }
        ]
    ));
    assert_eq!(s.controllers.detail.as_ref().map(|d| d.id), Some(3));
    update(&mut s, Action::Back);
    assert!(s.controllers.detail.is_none());
}

#[test]
fn navigation_clamps_at_both_ends() {
    let mut s = loaded(1);
    update(&mut s, Action::Up);
    assert_eq!(s.controllers.selected, Some(1));
    update(&mut s, Action::Bottom);
    assert_eq!(s.controllers.selected, Some(4));
    update(&mut s, Action::Down);
    assert_eq!(s.controllers.selected, Some(4));
    update(&mut s, Action::PageUp);
    assert_eq!(s.controllers.selected, Some(1));
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
    update(&mut s, Action::Deprecated(d.clone()));
    let banner = s.banner.clone().expect("banner");
    assert!(
        banner.contains("POST /api/v2.0/jobs is deprecated since 2026-01-01"),
        "{banner}"
    );
    assert!(banner.contains("30 Jun 2027"), "{banner}");
    let before = s.history.len();
    update(&mut s, Action::Deprecated(d.clone()));
    assert_eq!(s.history.len(), before, "not flashed twice");
    let other_endpoint = Deprecation {
        endpoint: "GET /api/v2.0/jobs/{job_id}".into(),
        ..d
    };
    update(&mut s, Action::Deprecated(other_endpoint));
    assert_eq!(s.history.len(), before, "once per API, not per endpoint");
    assert_eq!(s.banner.as_deref(), Some(banner.as_str()));
}

#[test]
fn help_scrolls_and_closes() {
    let mut s = loaded(1);
    update(&mut s, Action::Help);
    update(&mut s, Action::Down);
    update(&mut s, Action::Down);
    assert!(matches!(s.dialog, Some(Dialog::Help { offset: 2 })));
    update(&mut s, Action::Back);
    assert!(s.dialog.is_none());
}
