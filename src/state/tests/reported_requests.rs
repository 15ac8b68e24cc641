//! Issue 12.10, 12.13, 12.14 and 12.15, reported against the old design: runner requests (one
//! phase per request, a second one for the same assembly asks first, finished ones leave) and
//! where the bookings selection goes when its row leaves.

use super::*;

// 12.10: a second runner request for the same assembly asks first.

#[test]
fn a_runner_request_while_one_for_the_assembly_is_on_its_way_asks_first() {
    let mut s = bookings_loaded();
    let first = submit_request(&mut s, "10m");
    let (id, _) = one_change(&first);
    let key = request_key(id);
    assert_eq!(
        pending_request(&s, key).phase,
        RequestPhase::Sending,
        "its POST is out"
    );
    assert_eq!(s.bookings.selected, Some(BookingKey::Request(key)));
    let fx = submit_request(&mut s, "20m");
    assert!(sent(&fx).is_empty(), "{fx:?}");
    assert!(
        matches!(&confirm(&s).question,
            Question::AnotherRequest { request, on_its_way: 1 }
                if request.assembly_ref == "HIL-BENCH-01"
                    && request.duration == Duration::from_secs(20 * 60)),
        "{:?}",
        confirm(&s).question
    );
    assert!(update(&mut s, Intent::Answer(false)).is_empty());
    assert_eq!(s.bookings.requests.len(), 1);
    // Followed (accepted, no tag yet) is on its way too; a yes sends the second.
    answer(
        &mut s,
        id,
        Ok(Done::RunnerRequested(job(JobState::Queued, None))),
    );
    assert_eq!(pending_request(&s, key).phase, RequestPhase::Following);
    submit_request(&mut s, "20m");
    assert!(matches!(
        confirm(&s).question,
        Question::AnotherRequest { on_its_way: 1, .. }
    ));
    let fx = update(&mut s, Intent::Answer(true));
    let (second, change) = one_change(&fx);
    assert!(matches!(change, Change::RequestRunner { .. }));
    assert_eq!(s.bookings.requests.len(), 2);
    assert_eq!(
        pending_request(&s, request_key(second)).phase,
        RequestPhase::Sending
    );
}

// 12.13: one phase per request is the only truth.

#[test]
fn a_refused_post_and_a_lost_job_say_so_in_the_requests_phase() {
    let mut s = bookings_loaded();
    let fx = submit_request(&mut s, "10m");
    let (id, change) = one_change(&fx);
    let unauthorized = ApiError::Unauthorized {
        message: "401 Unauthorized".into(),
    };
    let fx = answer(&mut s, id, Err(failure(unauthorized.clone())));
    assert!(fx.is_empty(), "never retried, nothing to follow: {fx:?}");
    let r = pending_request(&s, request_key(id));
    assert_eq!(r.phase, RequestPhase::Refused(unauthorized.clone()));
    assert!(r.is_done());
    assert_eq!(
        note(&s),
        Some(&Note::Failed {
            change,
            error: unauthorized
        })
    );

    let key = accepted_request(&mut s);
    let gone = ApiError::NotFound {
        what: "job job-1".into(),
        message: "404 Not Found".into(),
    };
    let fx = polled(&mut s, key, Err(gone.clone()));
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::PollJob { .. })),
        "{fx:?}"
    );
    assert_eq!(
        pending_request(&s, key).phase,
        RequestPhase::LostTrack(gone.clone())
    );
    assert_eq!(
        note(&s),
        Some(&Note::FollowFailed {
            assembly: "HIL-BENCH-01".into(),
            error: gone.clone()
        })
    );
    // A late poll answer changes nothing.
    assert!(polled(&mut s, key, Ok(job(JobState::Queued, None))).is_empty());
    assert_eq!(
        pending_request(&s, key).phase,
        RequestPhase::LostTrack(gone)
    );
}

// 12.14: a finished request leaves once its session says it all; ctrl-d dismisses it.

#[test]
fn a_finished_request_leaves_once_its_session_is_listed_with_its_tag() {
    let mut s = bookings_loaded();
    let key = accepted_request(&mut s);
    let req = finish_request(&mut s, key, "vehaas-hil-9");
    assert_eq!(s.bookings.selected, Some(BookingKey::Request(key)));
    // Listed, but veHaaS does not show the tag yet: the request row still has it.
    sessions_loaded(
        &mut s,
        req,
        vec![session("9", SessionState::Active, 60, None)],
    );
    assert!(booking_keys(&s).contains(&BookingKey::Request(key)));
    assert_eq!(s.bookings.selected, Some(BookingKey::Request(key)));
    let req = sessions_read(&update(&mut s, Intent::Refresh)).expect("sessions read");
    let sessions = vec![
        session("1", SessionState::Active, 20, Some("vehaas-1")),
        session("9", SessionState::Active, 60, Some("vehaas-hil-9")),
    ];
    sessions_loaded(&mut s, req, sessions);
    assert_eq!(booking_keys(&s), vec![skey("1"), skey("9")]);
    assert_eq!(
        s.bookings.selected,
        Some(skey("9")),
        "the selection goes to its session, not to the row in its place"
    );
}

#[test]
fn a_finished_request_leaves_once_its_booking_has_ended() {
    let mut s = bookings_loaded();
    let key = accepted_request(&mut s); // for 10 minutes
    let req = finish_request(&mut s, key, "vehaas-hil-9");
    sessions_loaded(&mut s, req, vec![]);
    assert!(booking_keys(&s).contains(&BookingKey::Request(key)));
    tick(&mut s, at(9 * 60));
    assert!(booking_keys(&s).contains(&BookingKey::Request(key)));
    tick(&mut s, at(10 * 60));
    assert!(s.bookings.requests.is_empty(), "{:?}", s.bookings.requests);
    assert!(s.bookings.selected.is_none(), "nothing is left to select");
}

#[test]
fn ctrl_d_on_a_finished_request_dismisses_it_and_sends_nothing() {
    let mut s = bookings_loaded();
    let key = accepted_request(&mut s);
    // Still followed: ctrl-d says so and keeps it.
    assert!(update(&mut s, Intent::Delete).is_empty());
    assert_eq!(note(&s), Some(&Note::RequestStillFollowed));
    assert_eq!(s.bookings.requests.len(), 1);
    let req = finish_request(&mut s, key, "vehaas-hil-9");
    let sessions = vec![session("1", SessionState::Active, 20, Some("vehaas-1"))];
    sessions_loaded(&mut s, req, sessions);
    assert_eq!(s.bookings.selected, Some(BookingKey::Request(key)));
    let fx = update(&mut s, Intent::Delete);
    assert!(fx.is_empty(), "{fx:?}");
    assert!(s.dialog.is_none());
    assert!(s.bookings.requests.is_empty());
    assert_eq!(
        note(&s),
        Some(&Note::RequestDismissed {
            assembly: "HIL-BENCH-01".into()
        })
    );
    assert_eq!(s.bookings.selected, Some(skey("1")), "the next row");
}

#[test]
fn dismissing_a_request_hands_the_selection_to_the_next_row() {
    let mut s = bookings_loaded();
    let refused = || {
        Err(failure(ApiError::Conflict {
            message: "busy".into(),
        }))
    };
    for _ in 0..2 {
        let fx = submit_request(&mut s, "10m");
        let (id, _) = one_change(&fx);
        answer(&mut s, id, refused());
    }
    let keys = booking_keys(&s);
    assert_eq!(keys.len(), 6, "two requests, then the sessions: {keys:?}");
    assert_eq!(
        s.bookings.selected.as_ref(),
        Some(&keys[1]),
        "the newest request"
    );
    update(&mut s, Intent::Delete);
    assert_eq!(s.bookings.requests.len(), 1);
    assert_eq!(
        s.bookings.selected,
        Some(skey("1")),
        "the row after it, not the top"
    );
}

// 12.15: the selection never falls to nothing when its session ends.

#[test]
fn when_the_selected_session_ends_the_selection_moves_to_the_next_row() {
    let mut s = bookings_loaded(); // 1 (ends in 20 min), 6 (30), 3 (90), 4 (240)
    assert_eq!(s.bookings.selected, Some(skey("1")));
    tick(&mut s, at(20 * 60 - 1));
    assert_eq!(s.bookings.selected, Some(skey("1")));
    tick(&mut s, at(20 * 60));
    assert_eq!(booking_keys(&s), vec![skey("6"), skey("3"), skey("4")]);
    assert_eq!(s.bookings.selected, Some(skey("6")));
    tick(&mut s, at(30 * 60));
    assert_eq!(s.bookings.selected, Some(skey("3")));
    tick(&mut s, at(90 * 60));
    assert_eq!(s.bookings.selected, Some(skey("4")), "the last row left");
    assert_eq!(booking_keys(&s), vec![skey("4")]);
}

#[test]
fn when_the_selected_session_ends_with_the_one_above_it_the_next_row_takes_it() {
    let mut s = bookings_loaded(); // 1 (ends in 20 min), 6 (30), 3 (90), 4 (240)
    update(&mut s, Intent::Down);
    assert_eq!(s.bookings.selected, Some(skey("6")));
    // One tick sees both 1 and 6 end (the terminal was asleep).
    tick(&mut s, at(31 * 60));
    assert_eq!(booking_keys(&s), vec![skey("3"), skey("4")]);
    assert_eq!(s.bookings.selected, Some(skey("3")), "the row after 6");
}
