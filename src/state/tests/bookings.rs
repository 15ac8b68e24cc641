//! The bookings pane: current sessions, runner requests followed to their tag, extend, release.

use super::*;

#[test]
fn bookings_show_current_sessions_sorted_by_end() {
    let s = bookings_loaded();
    // "6" is in a state unknown to runnerdeck: shown as it came, not hidden.
    assert_eq!(
        booking_keys(&s),
        vec![skey("1"), skey("6"), skey("3"), skey("4")]
    );
    assert_eq!(s.bookings.selected, Some(skey("1")));
}

#[test]
fn runner_request_form_refuses_a_bad_duration_with_the_reason() {
    let mut s = bookings_loaded();
    let fx = submit_request(&mut s, "1x");
    assert!(fx.is_empty());
    let Some(Dialog::RunnerForm(f)) = &s.dialog else {
        panic!("form stays open: {:?}", s.dialog);
    };
    assert!(
        matches!(&f.error, Some(FormError::Duration(e)) if format!("{e:?}").contains("1x")),
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
    assert_eq!(fx.len(), 1, "one POST: {fx:?}");
    let (id, Change::RequestRunner { request }) = one_change(&fx) else {
        panic!("a runner request: {fx:?}");
    };
    assert_eq!(request.assembly_ref, "HIL-BENCH-01");
    assert_eq!(request.duration, Duration::from_secs(5400));
    assert!(request.put_in_queue);
    let key = request_key(id);
    let fx = answer(
        &mut s,
        id,
        Ok(Done::RunnerRequested(job(JobState::Queued, None))),
    );
    assert_eq!(
        fx,
        vec![Effect::PollJob {
            key,
            job: JobId::from("job-1"),
            after: poll_delay(0)
        }]
    );
    assert_eq!(pending_request(&s, key).phase, RequestPhase::Following);
    let fx = polled(&mut s, key, Ok(job(JobState::Running, None)));
    let [Effect::PollJob { after, .. }] = &fx[..] else {
        panic!("poll again: {fx:?}");
    };
    assert!(*after > poll_delay(0), "backoff grows");
    let fx = polled(
        &mut s,
        key,
        Ok(job(JobState::Finished, Some("vehaas-hil-9"))),
    );
    assert!(sessions_read(&fx).is_some(), "sessions refreshed: {fx:?}");
    assert_eq!(
        note(&s),
        Some(&Note::RunnerReady {
            assembly: "HIL-BENCH-01".into(),
            tag: Some("vehaas-hil-9".into())
        })
    );
    assert!(matches!(pending_request(&s, key).phase, RequestPhase::Ready { at } if at == t0()));
    let fx = update(&mut s, Intent::Copy);
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
    let key = accepted_request(&mut s);
    let fx = polled(&mut s, key, Ok(job(JobState::Failed, None)));
    assert!(!fx.iter().any(|e| matches!(e, Effect::PollJob { .. })));
    let why = Some("HIL-BENCH-01 is on stock".to_string());
    assert_eq!(
        pending_request(&s, key).phase,
        RequestPhase::JobFailed(why.clone())
    );
    assert_eq!(
        note(&s),
        Some(&Note::JobFailed {
            assembly: "HIL-BENCH-01".into(),
            job: JobId::from("job-1"),
            why
        }),
        "the server's reason"
    );
}

#[test]
fn timed_out_request_is_never_retried_and_refreshes_the_sessions() {
    let mut s = bookings_loaded();
    let fx = submit_request(&mut s, "10m");
    let (id, _) = one_change(&fx);
    let timeout = ApiError::Timeout {
        url_path: "/api/v2.0/jobs".into(),
    };
    let fx = answer(&mut s, id, Err(failure(timeout.clone())));
    assert!(sent(&fx).is_empty(), "never retried: {fx:?}");
    assert!(sessions_read(&fx).is_some(), "{fx:?}");
    assert_eq!(
        pending_request(&s, request_key(id)).phase,
        RequestPhase::Unclear(timeout.clone())
    );
    assert_eq!(
        note(&s),
        Some(&Note::RequestUnclear {
            assembly: "HIL-BENCH-01".into(),
            error: timeout
        })
    );
}

#[test]
fn release_asks_first_and_extend_adds_to_the_end() {
    let mut s = bookings_loaded();
    assert!(update(&mut s, Intent::Delete).is_empty());
    let c = confirm(&s);
    assert!(
        matches!(&c.question, Question::Release { session } if session.id.as_str() == "1"),
        "{:?}",
        c.question
    );
    assert!(!c.yes);
    let fx = update(&mut s, Intent::Answer(true));
    assert_eq!(
        sent(&fx),
        vec![Change::ReleaseSession {
            id: SessionId::from("1")
        }]
    );

    let mut s = bookings_loaded();
    update(&mut s, Intent::Extend);
    type_text(&mut s, "30m");
    let fx = update(&mut s, Intent::Submit);
    assert_eq!(
        sent(&fx),
        vec![Change::ExtendSession {
            id: SessionId::from("1"),
            by: Duration::from_secs(30 * 60)
        }]
    );
    let (id, _) = one_change(&fx);
    let before = session("1", SessionState::Active, 20, Some("vehaas-1"));
    let after = session("1", SessionState::Active, 50, Some("vehaas-1"));
    answer(
        &mut s,
        id,
        Ok(Done::Extended {
            before,
            after: after.clone(),
        }),
    );
    assert_eq!(note(&s), Some(&Note::Extended { session: after }));
    // It now ends after 6 (30 min): the list is sorted by end again.
    assert_eq!(
        booking_keys(&s),
        vec![skey("6"), skey("1"), skey("3"), skey("4")]
    );
    assert_eq!(s.bookings.selected, Some(skey("1")));
}

#[test]
fn extend_conflict_shows_the_servers_reason() {
    let mut s = bookings_loaded();
    update(&mut s, Intent::Extend);
    type_text(&mut s, "2h");
    let fx = update(&mut s, Intent::Submit);
    let conflict = ApiError::Conflict {
        message: "HIL-1 is booked by a.novak from 14:00 UTC".into(),
    };
    answer_change(&mut s, &fx, Err(failure(conflict.clone())));
    assert_eq!(
        note(&s),
        Some(&Note::Failed {
            change: Change::ExtendSession {
                id: SessionId::from("1"),
                by: Duration::from_secs(2 * 3600)
            },
            error: conflict
        })
    );
}

#[test]
fn a_finished_request_leaves_the_pane_once_its_session_is_known_even_released() {
    let mut s = bookings_loaded();
    let key = accepted_request(&mut s);
    let req = finish_request(&mut s, key, "vehaas-hil-9");
    assert!(booking_keys(&s).contains(&BookingKey::Request(key)));
    let released = session("9", SessionState::Released, -1, None);
    sessions_loaded(&mut s, req, vec![released]);
    assert!(
        booking_keys(&s)
            .iter()
            .all(|k| !matches!(k, BookingKey::Request(_))),
        "{:?}",
        booking_keys(&s)
    );
}

#[test]
fn a_failed_request_is_dismissed_with_ctrl_d() {
    let mut s = bookings_loaded();
    let fx = submit_request(&mut s, "10m");
    let (id, _) = one_change(&fx);
    let key = request_key(id);
    let busy = ApiError::Conflict {
        message: "busy".into(),
    };
    answer(&mut s, id, Err(failure(busy.clone())));
    assert_eq!(pending_request(&s, key).phase, RequestPhase::Refused(busy));
    assert_eq!(s.bookings.selected, Some(BookingKey::Request(key)));
    assert!(update(&mut s, Intent::Delete).is_empty());
    assert!(s.bookings.requests.is_empty());
    assert!(s.dialog.is_none(), "a local row needs no question");
    assert_eq!(
        note(&s),
        Some(&Note::RequestDismissed {
            assembly: "HIL-BENCH-01".into()
        })
    );
}

#[test]
fn an_older_sessions_answer_is_dropped_latest_wins() {
    let mut s = bookings_loaded();
    let fx = update(&mut s, Intent::Refresh);
    let old = sessions_read(&fx).expect("sessions load");
    // A release goes through meanwhile: the sessions are read again, and that read wins.
    update(&mut s, Intent::Delete);
    let fx = update(&mut s, Intent::Answer(true));
    let before = session("1", SessionState::Active, 20, Some("vehaas-1"));
    let fx = answer_change(&mut s, &fx, Ok(Done::Released { before }));
    let new = sessions_read(&fx).expect("sessions read again after a release");
    assert_ne!(old, new);
    let stale = vec![session("77", SessionState::Active, 30, None)];
    sessions_loaded(&mut s, old, stale);
    assert!(!booking_keys(&s).contains(&skey("77")), "dropped");
    assert!(
        !booking_keys(&s).contains(&skey("1")),
        "the released one is gone at once"
    );
    let fresh = vec![session("88", SessionState::Active, 30, None)];
    sessions_loaded(&mut s, new, fresh);
    assert_eq!(booking_keys(&s), vec![skey("88")]);
}

#[test]
fn the_forms_keep_the_configured_duration_limits() {
    let two_hours = crate::duration::Limits {
        max: Duration::from_secs(2 * 3600),
        ..crate::duration::Limits::default()
    };
    let mut s = bookings_loaded();
    s.settings.durations = two_hours;
    assert!(submit_request(&mut s, "3h").is_empty(), "over max_duration");
    let Some(Dialog::RunnerForm(f)) = &s.dialog else {
        panic!("form stays open: {:?}", s.dialog);
    };
    assert!(
        matches!(&f.error, Some(FormError::Duration(e)) if e.to_string().contains("at most 2h")),
        "{:?}",
        f.error
    );
    let mut s = bookings_loaded();
    s.settings.durations = two_hours;
    update(&mut s, Intent::Extend);
    type_text(&mut s, "30s");
    assert!(update(&mut s, Intent::Submit).is_empty(), "under a minute");
    let mut s = bookings_loaded();
    s.settings.durations = two_hours;
    update(&mut s, Intent::Extend);
    type_text(&mut s, "90m");
    assert_eq!(
        sent(&update(&mut s, Intent::Submit)).len(),
        1,
        "within the limits"
    );
}
