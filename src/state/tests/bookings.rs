//! The bookings pane: current sessions, runner requests followed to their tag, extend, release.

use super::*;

#[test]
fn bookings_show_current_sessions_sorted_by_end() {
    let s = bookings_loaded();
    let ids: Vec<String> = s.bookings.rows(s.now).iter().map(|r| r.key()).collect();
    // "6" is in a state unknown to runnerdeck: shown as it came, not hidden.
    assert_eq!(ids, vec!["1", "6", "3", "4"]);
    assert_eq!(s.bookings.selected.as_deref(), Some("1"));
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
    let local_id = accepted_request(&mut s);
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

#[test]
fn a_finished_request_leaves_the_pane_once_its_session_is_known_even_released() {
    let mut s = bookings_loaded();
    let local_id = accepted_request(&mut s);
    let req = finish_request(&mut s, local_id, "vehaas-hil-9");
    let released = session("9", SessionState::Released, -1, None);
    update(
        &mut s,
        Action::SessionsLoaded {
            req,
            result: Ok(vec![released]),
        },
    );
    assert!(
        s.bookings
            .rows(s.now)
            .iter()
            .all(|r| !r.key().starts_with("request:"))
    );
}

#[test]
fn a_failed_request_is_dismissed_with_ctrl_d() {
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
            result: Err(ApiError::Conflict {
                message: "busy".into(),
            }),
        },
    );
    assert!(
        s.bookings
            .selected
            .as_deref()
            .is_some_and(|k| k.starts_with("request:"))
    );
    assert!(update(&mut s, Action::Delete).is_empty());
    assert!(s.bookings.requests.is_empty());
    assert!(s.dialog.is_none(), "a local row needs no question");
}

#[test]
fn an_older_sessions_answer_is_dropped_latest_wins() {
    let mut s = bookings_loaded();
    s.focus = Pane::Bookings;
    let reqs: Vec<_> = [
        update(&mut s, Action::Refresh),
        update(&mut s, Action::Refresh),
    ]
    .iter()
    .map(|fx| {
        fx.iter()
            .find_map(|e| match e {
                Effect::LoadSessions { req } => Some(*req),
                _ => None,
            })
            .expect("sessions load")
    })
    .collect();
    let (old, new) = (reqs[0], reqs[1]);
    let stale = vec![session("77", SessionState::Active, 30, None)];
    update(
        &mut s,
        Action::SessionsLoaded {
            req: old,
            result: Ok(stale),
        },
    );
    assert!(
        s.bookings.rows(s.now).iter().all(|r| r.key() != "77"),
        "dropped"
    );
    let fresh = vec![session("88", SessionState::Active, 30, None)];
    update(
        &mut s,
        Action::SessionsLoaded {
            req: new,
            result: Ok(fresh),
        },
    );
    assert_eq!(
        s.bookings
            .rows(s.now)
            .iter()
            .map(|r| r.key())
            .collect::<Vec<_>>(),
        vec!["88"]
    );
}
