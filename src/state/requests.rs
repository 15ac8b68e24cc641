//! Runner requests of this run: the one `POST /jobs` on its way, then the job followed with
//! backoff until it yields its runner tag. One phase per request is the only truth: the row,
//! the detail line and `y` all read it. A ready request leaves once its session is listed with
//! its tag, or has ended.

use std::time::Duration;

use serde_json::{Value, json};

use super::State;
use super::bookings::{Bookings, RowKey};
use super::notes::Note;
use crate::api::ApiError;
use crate::domain::{Job, JobState, RequestKey, RunnerRequest, Timestamp};
use crate::effect::{ChangeId, Effect};
use crate::json::{job_json, request_json};
use crate::ops::{Change, Done, OpError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestPhase {
    /// `POST /jobs` is sent; its answer has not come yet.
    Sending,
    /// The job exists; following it.
    Following,
    /// The runner is registered (the job finished) at `at`.
    Ready { at: Timestamp },
    /// veHaaS said no to the request.
    Refused(ApiError),
    /// The job failed, with veHaaS's reason when it gave one.
    JobFailed(Option<String>),
    /// Following the job failed (it is gone, or not ours); the booking may still exist.
    LostTrack(ApiError),
    /// No clear answer to the POST: the booking may or may not exist.
    Unclear(ApiError),
}

impl RequestPhase {
    /// A machine word for the phase (JSON, filter).
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Sending => "sending",
            Self::Following => "following",
            Self::Ready { .. } => "ready",
            Self::Refused(_) | Self::JobFailed(_) | Self::LostTrack(_) => "failed",
            Self::Unclear(_) => "unclear",
        }
    }
}

#[derive(Debug, Clone)]
pub struct PendingRequest {
    pub key: RequestKey,
    pub request: RunnerRequest,
    pub phase: RequestPhase,
    pub job: Option<Job>,
    pub polls: u32,
}

impl PendingRequest {
    pub fn is_done(&self) -> bool {
        !matches!(self.phase, RequestPhase::Sending | RequestPhase::Following)
    }

    pub fn tag(&self) -> Option<&str> {
        self.job.as_ref()?.gitlab_runner_tag.as_deref()
    }

    /// What `y` shows: the request, its phase, and the job as last read.
    pub fn json(&self) -> Value {
        let mut v = request_json(&self.request);
        if let Some(map) = v.as_object_mut() {
            map.insert("phase".into(), json!(self.phase.as_str()));
            map.insert(
                "job".into(),
                self.job.as_ref().map_or(Value::Null, job_json),
            );
        }
        v
    }
}

/// Polls start at about 1 s and grow to 10 s.
pub fn poll_delay(polls: u32) -> Duration {
    let ms = 1000.0 * 1.5f64.powi(polls.min(10) as i32);
    Duration::from_millis(ms.min(10_000.0) as u64)
}

/// The runner request's `POST` is about to go out: its row appears, selected.
pub(super) fn sending(state: &mut State, change: ChangeId, request: RunnerRequest) {
    let key = RequestKey(change.0);
    state.bookings.requests.push(PendingRequest {
        key,
        request,
        phase: RequestPhase::Sending,
        job: None,
        polls: 0,
    });
    state.bookings.selected = Some(RowKey::Request(key));
    let now = state.now;
    state.bookings.refresh_view(now);
}

/// How many requests for this assembly are on their way.
pub(super) fn on_its_way(b: &Bookings, assembly: &str) -> usize {
    b.requests
        .iter()
        .filter(|r| !r.is_done() && r.request.assembly_ref.eq_ignore_ascii_case(assembly))
        .count()
}

fn find(state: &mut State, key: RequestKey) -> Option<&mut PendingRequest> {
    state.bookings.requests.iter_mut().find(|r| r.key == key)
}

/// The `POST /jobs` answer.
pub(super) fn requested(
    state: &mut State,
    change: ChangeId,
    result: Result<Done, OpError>,
    fx: &mut Vec<Effect>,
) {
    let key = RequestKey(change.0);
    let Some(r) = find(state, key) else {
        return;
    };
    let assembly = r.request.assembly_ref.clone();
    match result {
        Ok(Done::RunnerRequested(job)) => {
            let job_id = job.job_id.clone();
            r.job = Some(job);
            r.phase = RequestPhase::Following;
            fx.push(Effect::PollJob {
                key,
                job: job_id.clone(),
                after: poll_delay(0),
            });
            state.flash(Note::RunnerRequested {
                assembly,
                job: job_id,
            });
        }
        Err(OpError::Api(f)) if f.error.outcome_unknown() => {
            r.phase = RequestPhase::Unclear(f.error.clone());
            state.flash(Note::RequestUnclear {
                assembly,
                error: f.error,
            });
            state.load_sessions(fx);
        }
        Err(OpError::Api(f)) => {
            r.phase = RequestPhase::Refused(f.error.clone());
            let change = Change::RequestRunner {
                request: r.request.clone(),
            };
            state.flash(Note::Failed {
                change,
                error: f.error,
            });
        }
        Err(OpError::Refused(why)) => {
            // Nothing was sent: the row goes.
            state.bookings.requests.retain(|r| r.key != key);
            state.flash(Note::Refused(why));
        }
        Err(OpError::ChangedElsewhere { .. }) => {}
        Ok(_) => {}
    }
    let now = state.now;
    state.bookings.refresh_view(now);
}

/// A poll of the job.
pub(super) fn polled(
    state: &mut State,
    key: RequestKey,
    result: Result<Job, ApiError>,
    fx: &mut Vec<Effect>,
) {
    let now = state.now;
    let Some(r) = find(state, key) else {
        return;
    };
    if r.is_done() {
        return;
    }
    r.polls += 1;
    let assembly = r.request.assembly_ref.clone();
    match result {
        Ok(job) => {
            let job_id = job.job_id.clone();
            let job_state = job.state.clone();
            let why = job.error.clone();
            r.job = Some(job);
            match job_state {
                JobState::Finished => {
                    r.phase = RequestPhase::Ready { at: now };
                    let tag = r.tag().map(str::to_string);
                    state.flash(Note::RunnerReady { assembly, tag });
                    state.bookings.selected = Some(RowKey::Request(key));
                    state.load_sessions(fx);
                }
                JobState::Failed => {
                    r.phase = RequestPhase::JobFailed(why.clone());
                    state.flash(Note::JobFailed {
                        assembly,
                        job: job_id,
                        why,
                    });
                    state.load_sessions(fx);
                }
                _ => fx.push(Effect::PollJob {
                    key,
                    job: job_id,
                    after: poll_delay(r.polls),
                }),
            }
        }
        Err(e) if e.is_transient() => {
            // Polling is a read: safe to ask again, with the same backoff.
            if let Some(job) = r.job.as_ref().map(|j| j.job_id.clone()) {
                fx.push(Effect::PollJob {
                    key,
                    job,
                    after: poll_delay(r.polls),
                });
            }
            state.flash(Note::FollowRetrying { assembly, error: e });
        }
        Err(e) => {
            r.phase = RequestPhase::LostTrack(e.clone());
            state.flash(Note::FollowFailed { assembly, error: e });
        }
    }
    state.bookings.refresh_view(now);
}

/// Ready requests whose session the list now shows with its tag (or as over), or whose
/// booking must have ended, leave: the session row says it all.
pub(super) fn prune(b: &mut Bookings, now: Timestamp) {
    let sessions = b.remote.data.as_deref().unwrap_or(&[]);
    b.requests.retain(|r| {
        let RequestPhase::Ready { at } = r.phase else {
            return true;
        };
        let session = r.job.as_ref().and_then(|j| j.session_id.as_ref());
        let listed = session.and_then(|id| sessions.iter().find(|s| s.id == *id));
        let shown = listed.is_some_and(|s| s.gitlab_runner_tag.is_some() || !s.is_current(now));
        !(shown || expired(at, r, now))
    });
}

fn expired(ready_at: Timestamp, r: &PendingRequest, now: Timestamp) -> bool {
    let Ok(d) = jiff::SignedDuration::try_from(r.request.duration) else {
        return false;
    };
    ready_at.checked_add(d).is_ok_and(|end| end <= now)
}

/// Whether a ready request's booking has run out by now.
pub(super) fn any_expired(b: &Bookings, now: Timestamp) -> bool {
    b.requests.iter().any(|r| match r.phase {
        RequestPhase::Ready { at } => expired(at, r, now),
        _ => false,
    })
}
