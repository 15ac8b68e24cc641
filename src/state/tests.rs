//! Reducer tests: an action in, the state and the effects out. No I/O, no clock.

use std::time::Duration;

use super::*;
use crate::action::Edit;
use crate::domain::{
    ControllerState as S, ControllerUpdate, Job, JobState, RunnerController, Session, SessionState,
};

pub fn t0() -> Timestamp {
    "2026-11-22T10:00:00Z".parse().expect("time")
}

pub fn controller(id: i64, state: S, description: &str) -> RunnerController {
    RunnerController {
        id,
        description: Some(description.to_string()),
        state,
        created_at: Some(t0()),
        updated_at: Some(t0()),
        connected: None,
    }
}

pub fn fixture() -> Vec<RunnerController> {
    vec![
        controller(1, S::Enabled, "kas admission prod"),
        controller(2, S::Disabled, "fleet: arm64"),
        controller(3, S::DryRun, "GPU quota guard"),
        controller(4, S::Other("paused".into()), "from the future"),
    ]
}

pub fn state() -> State {
    let ctx = Context {
        instance_name: "prod".into(),
        gitlab_url: "https://gitlab.example.com".into(),
        credential: "env GITLAB_TOKEN".into(),
        vehaas_url: Some("https://vehaas.example.com".into()),
        ..Default::default()
    };
    State::new(t0(), ctx, Settings::default())
}

/// A state with the fixture loaded and controller `id` selected.
pub fn loaded(id: i64) -> State {
    let mut s = state();
    let fx = s.init();
    let Effect::LoadControllers { req } = fx[0] else {
        panic!("first effect loads controllers: {fx:?}");
    };
    update(
        &mut s,
        Action::ControllersLoaded {
            req,
            result: Ok(fixture()),
        },
    );
    s.controllers.selected = Some(id);
    s
}

fn set_state_effect(id: i64, to: S) -> Effect {
    Effect::UpdateController {
        id,
        update: ControllerUpdate {
            description: None,
            state: Some(to),
        },
        expected: Some(t0()),
    }
}

fn err500() -> ApiError {
    ApiError::Server {
        status: 500,
        message: "500 Internal Server Error".into(),
    }
}

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
    let fx = update(&mut s, Action::Submit);
    assert!(fx.is_empty());
    assert!(matches!(&s.dialog, Some(Dialog::Confirm(c)) if c.details[0] == "dry_run -> enabled"));
    let fx = update(&mut s, Action::Answer(true));
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
    let fx = update(&mut s, Action::Delete);
    assert!(fx.is_empty());
    let Some(Dialog::Confirm(c)) = &s.dialog else {
        panic!("confirm");
    };
    assert_eq!(c.question, "Delete runner controller 2 \"fleet: arm64\"?");
    assert!(update(&mut s, Action::Answer(false)).is_empty());
    update(&mut s, Action::Delete);
    let fx = update(&mut s, Action::Answer(true));
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
    let fx = update(&mut s, Action::Refresh);
    let Some(Effect::LoadControllers { req }) = fx.first().cloned() else {
        panic!("load");
    };
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
    let fx = update(&mut s, Action::Refresh);
    let Some(Effect::LoadControllers { req }) = fx.first().cloned() else {
        panic!("load");
    };
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
    let fx = update(&mut s, Action::Refresh);
    let Some(Effect::LoadControllers { req }) = fx.first().cloned() else {
        panic!("load");
    };
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

// ---- bookings ----

pub fn session(id: &str, state: SessionState, end_in_min: i64, tag: Option<&str>) -> Session {
    let end = t0() + jiff::SignedDuration::from_mins(end_in_min);
    Session {
        id: id.into(),
        assembly_ref: format!("HIL-{id}"),
        owner: Some("m.keller".into()),
        state,
        start: Some(t0() - jiff::SignedDuration::from_hours(1)),
        end: Some(end),
        duration: None,
        gitlab_runner_tag: tag.map(str::to_string),
    }
}

pub fn bookings_loaded() -> State {
    let mut s = state();
    s.init();
    s.focus = Pane::Bookings;
    let req = s.bookings.remote.pending.expect("pending");
    let sessions = vec![
        session("3", SessionState::Active, 90, Some("vehaas-3")),
        session("1", SessionState::Active, 20, Some("vehaas-1")),
        session("2", SessionState::Ended, -60, None),
        session("4", SessionState::Scheduled, 240, None),
        session("5", SessionState::Released, 30, None),
        session("6", SessionState::Other("MAINTENANCE".into()), 30, None),
    ];
    update(
        &mut s,
        Action::SessionsLoaded {
            req,
            result: Ok(sessions),
        },
    );
    s
}

#[test]
fn bookings_show_current_sessions_sorted_by_end() {
    let s = bookings_loaded();
    let ids: Vec<String> = s.bookings.rows(s.now).iter().map(|r| r.key()).collect();
    // "6" is in a state unknown to runnerdeck: shown as it came, not hidden.
    assert_eq!(ids, vec!["1", "6", "3", "4"]);
    assert_eq!(s.bookings.selected.as_deref(), Some("1"));
}

fn submit_request(s: &mut State, duration: &str) -> Vec<Effect> {
    update(s, Action::New);
    for c in "HIL-BENCH-01".chars() {
        update(s, Action::Edit(Edit::Char(c)));
    }
    update(s, Action::NextField);
    for c in duration.chars() {
        update(s, Action::Edit(Edit::Char(c)));
    }
    update(s, Action::Submit)
}

#[test]
fn runner_request_form_refuses_a_bad_duration_with_the_reason() {
    let mut s = bookings_loaded();
    let fx = submit_request(&mut s, "1x");
    assert!(fx.is_empty());
    let Some(Dialog::RunnerForm(f)) = &s.dialog else {
        panic!("form stays open");
    };
    assert!(
        f.error.as_deref().is_some_and(|e| e.contains("1x")),
        "{:?}",
        f.error
    );
    assert_eq!(
        f.provider_url.value(),
        "https://gitlab.example.com",
        "prefilled"
    );
    assert!(f.put_in_queue, "queue on by default");
}

fn job(state: JobState, tag: Option<&str>) -> Job {
    let failed = state == JobState::Failed;
    Job {
        job_id: "job-1".into(),
        state,
        assembly_ref: Some("HIL-BENCH-01".into()),
        session_id: Some("9".into()),
        gitlab_runner_tag: tag.map(str::to_string),
        created_at: None,
        updated_at: None,
        error: failed.then(|| "HIL-BENCH-01 is on stock".to_string()),
    }
}

#[test]
fn runner_request_lifecycle_submitted_polled_finished() {
    let mut s = bookings_loaded();
    let fx = submit_request(&mut s, "1h30m");
    let [Effect::RequestRunner { local_id, request }] = &fx[..] else {
        panic!("one POST: {fx:?}");
    };
    assert_eq!(request.duration, Duration::from_secs(5400));
    assert!(request.put_in_queue);
    let local_id = *local_id;
    let fx = update(
        &mut s,
        Action::RunnerRequested {
            local_id,
            result: Ok(job(JobState::Queued, None)),
        },
    );
    assert_eq!(
        fx,
        vec![Effect::PollJob {
            local_id,
            job_id: "job-1".into(),
            after: poll_delay(0)
        }]
    );
    let fx = update(
        &mut s,
        Action::JobPolled {
            local_id,
            result: Ok(job(JobState::Running, None)),
        },
    );
    let [Effect::PollJob { after, .. }] = &fx[..] else {
        panic!("poll again: {fx:?}");
    };
    assert!(*after > poll_delay(0), "backoff grows");
    let fx = update(
        &mut s,
        Action::JobPolled {
            local_id,
            result: Ok(job(JobState::Finished, Some("vehaas-hil-9"))),
        },
    );
    assert!(
        fx.iter().any(|e| matches!(e, Effect::LoadSessions { .. })),
        "sessions refreshed"
    );
    assert!(
        s.flash
            .as_ref()
            .is_some_and(|f| f.text.contains("vehaas-hil-9"))
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
fn poll_backoff_grows_from_about_one_second_to_ten() {
    assert_eq!(poll_delay(0), Duration::from_secs(1));
    assert!(poll_delay(3) > poll_delay(2));
    assert_eq!(poll_delay(50), Duration::from_secs(10));
}

#[test]
fn failed_job_is_shown_failed_and_not_polled_again() {
    let mut s = bookings_loaded();
    let fx = submit_request(&mut s, "10m");
    let [Effect::RequestRunner { local_id, .. }] = &fx[..] else {
        panic!("POST");
    };
    let local_id = *local_id;
    update(
        &mut s,
        Action::RunnerRequested {
            local_id,
            result: Ok(job(JobState::Queued, None)),
        },
    );
    let fx = update(
        &mut s,
        Action::JobPolled {
            local_id,
            result: Ok(job(JobState::Failed, None)),
        },
    );
    assert!(!fx.iter().any(|e| matches!(e, Effect::PollJob { .. })));
    assert!(matches!(
        s.bookings.requests[0].phase,
        RequestPhase::Failed(_)
    ));
    let flash = s.flash.as_ref().expect("flash");
    assert!(
        flash.text.contains("HIL-BENCH-01 is on stock"),
        "the server's reason: {}",
        flash.text
    );
}

#[test]
fn timed_out_request_is_never_retried_and_refreshes_the_sessions() {
    let mut s = bookings_loaded();
    let fx = submit_request(&mut s, "10m");
    let [Effect::RequestRunner { local_id, .. }] = &fx[..] else {
        panic!("POST");
    };
    let local_id = *local_id;
    let fx = update(
        &mut s,
        Action::RunnerRequested {
            local_id,
            result: Err(ApiError::Timeout {
                url_path: "/api/v2.0/jobs".into(),
            }),
        },
    );
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::RequestRunner { .. })),
        "never retried"
    );
    assert!(fx.iter().any(|e| matches!(e, Effect::LoadSessions { .. })));
    assert_eq!(s.bookings.requests[0].phase, RequestPhase::Unknown);
    assert!(
        s.flash
            .as_ref()
            .is_some_and(|f| f.text.contains("may or may not exist"))
    );
}

#[test]
fn release_asks_first_and_extend_adds_to_the_end() {
    let mut s = bookings_loaded();
    assert!(update(&mut s, Action::Delete).is_empty());
    let Some(Dialog::Confirm(c)) = &s.dialog else {
        panic!("confirm");
    };
    assert!(c.question.contains("HIL-1"), "{}", c.question);
    assert!(!c.yes);
    let fx = update(&mut s, Action::Answer(true));
    assert_eq!(fx, vec![Effect::ReleaseSession { id: "1".into() }]);

    let mut s = bookings_loaded();
    update(&mut s, Action::Extend);
    for c in "30m".chars() {
        update(&mut s, Action::Edit(Edit::Char(c)));
    }
    let fx = update(&mut s, Action::Submit);
    let end = t0() + jiff::SignedDuration::from_mins(50);
    assert_eq!(
        fx,
        vec![Effect::ExtendSession {
            id: "1".into(),
            new_end: end
        }]
    );
}

#[test]
fn extend_conflict_shows_the_servers_reason() {
    let mut s = bookings_loaded();
    update(
        &mut s,
        Action::SessionExtended {
            id: "1".into(),
            result: Err(ApiError::Conflict {
                message: "HIL-1 is booked by a.novak from 14:00 UTC".into(),
            }),
        },
    );
    let f = s.flash.expect("flash");
    assert!(f.text.contains("booked by a.novak"), "{}", f.text);
}

// ---- detail, tokens, scopes, stale changes, undo ----

fn token(id: i64) -> crate::domain::ControllerToken {
    crate::domain::ControllerToken {
        id,
        runner_controller_id: 2,
        description: Some("kas agent".into()),
        last_used_at: None,
        created_at: Some(t0()),
        updated_at: Some(t0()),
    }
}

fn detail_of_2() -> State {
    let mut s = loaded(2);
    let fx = update(&mut s, Action::OpenDetail);
    for e in fx {
        match e {
            Effect::LoadTokens { req, id } => {
                update(
                    &mut s,
                    Action::TokensLoaded {
                        req,
                        id,
                        result: Ok(vec![token(10), token(11)]),
                    },
                );
            }
            Effect::LoadScopes { req, id } => {
                let scopes = crate::domain::Scopes {
                    instance: None,
                    runners: vec![crate::domain::RunnerScope {
                        runner_id: 3,
                        created_at: None,
                    }],
                };
                update(
                    &mut s,
                    Action::ScopesLoaded {
                        req,
                        id,
                        result: Ok(scopes),
                    },
                );
            }
            _ => {}
        }
    }
    s
}

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
            .is_some_and(|f| f.text.contains("Nothing to undo"))
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

// ---- filter ----

fn type_filter(s: &mut State, text: &str) {
    update(s, Action::Filter);
    for c in text.chars() {
        update(s, Action::Edit(Edit::Char(c)));
    }
}

#[test]
fn filter_narrows_the_list_as_typed_and_esc_clears_it() {
    let mut s = loaded(1);
    type_filter(&mut s, "GPU");
    assert_eq!(s.controllers.visible_len(), 1);
    assert_eq!(
        s.controllers.selected,
        Some(3),
        "the selection moves to what is shown"
    );
    update(&mut s, Action::Submit);
    assert!(s.dialog.is_none());
    assert_eq!(s.controllers.visible_len(), 1, "Enter keeps the filter");
    // A refresh keeps applying it.
    let fx = update(&mut s, Action::Refresh);
    let Some(Effect::LoadControllers { req }) = fx.first().cloned() else {
        panic!("load");
    };
    update(
        &mut s,
        Action::ControllersLoaded {
            req,
            result: Ok(fixture()),
        },
    );
    assert_eq!(s.controllers.visible_len(), 1);
    assert_eq!(s.controllers.selected_controller().map(|c| c.id), Some(3));
    update(&mut s, Action::Back);
    assert!(s.controllers.filter.is_none());
    assert_eq!(s.controllers.visible_len(), 4);
    assert_eq!(
        s.controllers.selected,
        Some(3),
        "clearing keeps the selection"
    );
}

#[test]
fn inverted_filter_and_navigation_stay_inside_the_visible_rows() {
    let mut s = loaded(1);
    type_filter(&mut s, "!dry_run");
    update(&mut s, Action::Submit);
    let ids: Vec<i64> = (0..s.controllers.visible_len())
        .filter_map(|i| s.controllers.visible(i).map(|c| c.id))
        .collect();
    assert_eq!(ids, vec![1, 2, 4]);
    update(&mut s, Action::Bottom);
    assert_eq!(s.controllers.selected, Some(4));
    update(&mut s, Action::Up);
    assert_eq!(s.controllers.selected, Some(2), "3 is filtered out");
}

#[test]
fn esc_in_the_filter_box_clears_the_filter() {
    let mut s = loaded(1);
    type_filter(&mut s, "kas");
    assert_eq!(s.controllers.visible_len(), 1);
    update(&mut s, Action::Back);
    assert!(s.dialog.is_none());
    assert_eq!(s.controllers.visible_len(), 4);
}

#[test]
fn bookings_filter_matches_owner_state_and_tag() {
    let mut s = bookings_loaded();
    type_filter(&mut s, "vehaas-3");
    let keys: Vec<String> = s.bookings.rows(s.now).iter().map(|r| r.key()).collect();
    assert_eq!(keys, vec!["3"]);
    assert_eq!(s.bookings.selected.as_deref(), Some("3"));
}

#[test]
fn y_shows_the_raw_json_of_the_selected_controller() {
    let mut s = loaded(3);
    let fx = update(&mut s, Action::Raw);
    assert_eq!(fx, vec![Effect::LoadRaw { id: 3 }]);
    update(
        &mut s,
        Action::RawLoaded {
            result: Ok(serde_json::json!({"id": 3, "state": "dry_run"})),
        },
    );
    let Some(Dialog::Raw {
        text: Some(Ok(t)), ..
    }) = &s.dialog
    else {
        panic!("raw dialog: {:?}", s.dialog);
    };
    assert!(t.contains("\"state\": \"dry_run\""), "{t}");
    let fx = update(&mut s, Action::Copy);
    assert!(matches!(&fx[..], [Effect::Copy { text }] if text.contains("dry_run")));
}

// ---- bulk ----

#[test]
fn space_marks_and_a_bulk_state_change_always_asks_listing_each() {
    let mut s = loaded(2);
    update(&mut s, Action::Mark); // 2, moves to 3
    update(&mut s, Action::Mark); // 3
    assert_eq!(
        s.controllers.marked.iter().copied().collect::<Vec<_>>(),
        vec![2, 3]
    );
    update(&mut s, Action::PickState);
    update(&mut s, Action::Top);
    update(&mut s, Action::Down); // enabled
    let fx = update(&mut s, Action::Submit);
    assert!(fx.is_empty(), "bulk always asks");
    let Some(Dialog::Confirm(c)) = &s.dialog else {
        panic!("confirm");
    };
    assert_eq!(c.question, "Set 2 runner controllers to enabled?");
    assert!(
        c.details
            .iter()
            .any(|d| d == "3 \"GPU quota guard\": dry_run -> enabled"),
        "{:?}",
        c.details
    );
    let fx = update(&mut s, Action::Answer(true));
    let ids: Vec<i64> = fx
        .iter()
        .filter_map(|e| match e {
            Effect::UpdateController { id, .. } => Some(*id),
            _ => None,
        })
        .collect();
    assert_eq!(ids, vec![2, 3]);
    assert!(s.controllers.marked.is_empty(), "marks are spent");
    // Controllers already in the target state are left out.
    update(&mut s, Action::Top);
    update(&mut s, Action::Down); // 2 (disabled)
    update(&mut s, Action::Mark);
    update(&mut s, Action::PickState);
    update(&mut s, Action::Top); // disabled
    assert!(update(&mut s, Action::Submit).is_empty());
    assert!(s.dialog.is_none());
    assert!(
        s.flash
            .as_ref()
            .is_some_and(|f| f.text.contains("already disabled"))
    );
}

#[test]
fn bulk_delete_asks_once_and_esc_unmarks() {
    let mut s = loaded(1);
    update(&mut s, Action::Mark);
    update(&mut s, Action::Back);
    assert!(s.controllers.marked.is_empty());
    update(&mut s, Action::Top);
    update(&mut s, Action::Mark);
    update(&mut s, Action::Mark);
    update(&mut s, Action::Delete);
    let Some(Dialog::Confirm(c)) = &s.dialog else {
        panic!("confirm");
    };
    assert_eq!(c.question, "Delete 2 runner controllers?");
    assert!(!c.yes);
    let fx = update(&mut s, Action::Answer(true));
    assert_eq!(
        fx.iter()
            .filter(|e| matches!(e, Effect::DeleteController { .. }))
            .count(),
        2
    );
}

// ---- review fixes ----

#[test]
fn a_finished_request_hands_the_selection_to_its_session() {
    let mut s = bookings_loaded();
    let fx = submit_request(&mut s, "10m");
    let [Effect::RequestRunner { local_id, .. }] = &fx[..] else {
        panic!("POST");
    };
    let local_id = *local_id;
    update(
        &mut s,
        Action::RunnerRequested {
            local_id,
            result: Ok(job(JobState::Queued, None)),
        },
    );
    let fx = update(
        &mut s,
        Action::JobPolled {
            local_id,
            result: Ok(job(JobState::Finished, Some("vehaas-hil-9"))),
        },
    );
    let Some(Effect::LoadSessions { req }) = fx
        .iter()
        .find(|e| matches!(e, Effect::LoadSessions { .. }))
        .cloned()
    else {
        panic!("sessions refreshed");
    };
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
        let fx = update(&mut s, Action::Refresh);
        let Some(Effect::LoadControllers { req }) = fx.first().cloned() else {
            panic!("load");
        };
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
