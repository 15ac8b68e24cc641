//! The veHaaS bookings pane: current sessions sorted by end, runner requests followed to their
//! tag with backoff, extend and release. `POST /jobs` is never repeated by the reducer.

use std::time::Duration;

use tui_input::Input;

use super::dialog::{self, Confirm, Dialog, Op, TextForm, TextPurpose};
use super::{Level, Remote, State, unreachable};
use crate::action::Action;
use crate::api::ApiError;
use crate::domain::{Job, JobState, RunnerRequest, Session, SessionState, Timestamp};
use crate::duration;
use crate::effect::Effect;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestPhase {
    /// `POST /jobs` is on its way.
    Submitting,
    /// The job exists; polling it.
    Polling,
    Finished,
    Failed(String),
    /// The POST timed out: the booking may or may not exist.
    Unknown,
}

#[derive(Debug, Clone)]
pub struct PendingRequest {
    pub local_id: u64,
    pub request: RunnerRequest,
    pub phase: RequestPhase,
    pub job: Option<Job>,
    pub polls: u32,
}

impl PendingRequest {
    pub fn is_done(&self) -> bool {
        !matches!(self.phase, RequestPhase::Submitting | RequestPhase::Polling)
    }

    pub fn tag(&self) -> Option<&str> {
        self.job.as_ref()?.gitlab_runner_tag.as_deref()
    }

    pub fn key(&self) -> String {
        format!("request:{}", self.local_id)
    }
}

/// One row of the pane: a runner request still worth showing, or a session.
#[derive(Debug, Clone, Copy)]
pub enum Row<'a> {
    Request(&'a PendingRequest),
    Session(&'a Session),
}

impl Row<'_> {
    pub fn key(&self) -> String {
        match self {
            Row::Request(r) => r.key(),
            Row::Session(s) => s.id.clone(),
        }
    }

    pub fn tag(&self) -> Option<&str> {
        match self {
            Row::Request(r) => r.tag(),
            Row::Session(s) => s.gitlab_runner_tag.as_deref(),
        }
    }

    /// What the filter searches, in lower case.
    fn haystack(&self) -> String {
        match self {
            Row::Request(r) => format!(
                "{} request {}",
                r.request.assembly_ref,
                r.tag().unwrap_or_default()
            ),
            Row::Session(s) => format!(
                "{} {} {} {} {}",
                s.id,
                s.assembly_ref,
                s.owner.as_deref().unwrap_or_default(),
                s.state,
                s.gitlab_runner_tag.as_deref().unwrap_or_default()
            ),
        }
        .to_lowercase()
    }
}

#[derive(Debug, Clone)]
pub struct Bookings {
    pub configured: bool,
    /// All sessions as served, sorted by end.
    pub remote: Remote<Vec<Session>>,
    pub requested_at: Option<Timestamp>,
    /// Selected row key: a session id or `request:N`.
    pub selected: Option<String>,
    pub requests: Vec<PendingRequest>,
    pub filter: Option<super::Filter>,
}

/// Polls start at about 1 s and grow to 10 s.
pub fn poll_delay(polls: u32) -> Duration {
    let ms = 1000.0 * 1.5f64.powi(polls.min(10) as i32);
    Duration::from_millis(ms.min(10_000.0) as u64)
}

impl Bookings {
    pub fn new(configured: bool) -> Self {
        Self {
            configured,
            remote: Remote::default(),
            requested_at: None,
            selected: None,
            requests: Vec::new(),
            filter: None,
        }
    }

    /// Sessions that are active or scheduled and end after `now`, sorted by end.
    pub fn current(&self, now: Timestamp) -> impl Iterator<Item = &Session> {
        self.remote
            .data
            .iter()
            .flatten()
            .filter(move |s| s.is_current(now))
    }

    /// Requests not yet visible as a session: in flight, failed, or finished before the session
    /// list caught up.
    fn visible_requests(&self) -> impl Iterator<Item = &PendingRequest> {
        // Once its session is in the list (current, or since released) the session row says
        // it all.
        self.requests.iter().filter(move |r| {
            let session = r.job.as_ref().and_then(|j| j.session_id.as_deref());
            !(r.phase == RequestPhase::Finished
                && session.is_some_and(|id| self.remote.data.iter().flatten().any(|s| s.id == id)))
        })
    }

    /// Requests, then current sessions by end, that pass the filter.
    pub fn rows(&self, now: Timestamp) -> Vec<Row<'_>> {
        self.visible_requests()
            .map(Row::Request)
            .chain(self.current(now).map(Row::Session))
            .filter(|r| self.filter.as_ref().is_none_or(|f| f.keeps(&r.haystack())))
            .collect()
    }

    pub fn selected_index(&self, rows: &[Row<'_>]) -> Option<usize> {
        let key = self.selected.as_deref()?;
        rows.iter().position(|r| r.key() == key)
    }

    fn move_by(&mut self, now: Timestamp, delta: isize) {
        let rows = self.rows(now);
        if rows.is_empty() {
            return;
        }
        let cur = self.selected_index(&rows).unwrap_or(0) as isize;
        let next = (cur + delta).clamp(0, rows.len() as isize - 1) as usize;
        self.selected = Some(rows[next].key());
    }

    fn select_at(&mut self, now: Timestamp, index: usize) {
        let rows = self.rows(now);
        self.selected = rows
            .get(index.min(rows.len().saturating_sub(1)))
            .map(|r| r.key());
    }

    fn selected_session(&self, now: Timestamp) -> Option<Session> {
        let key = self.selected.as_deref()?;
        self.current(now).find(|s| s.id == key).cloned()
    }

    fn request_mut(&mut self, local_id: u64) -> Option<&mut PendingRequest> {
        self.requests.iter_mut().find(|r| r.local_id == local_id)
    }

    /// Keeps a selection that still shows; a finished request hands it to its session.
    pub(super) fn keep_selection_valid(&mut self, now: Timestamp) {
        let rows = self.rows(now);
        if self.selected_index(&rows).is_some() {
            return;
        }
        let session = self.selected.as_deref().and_then(|key| {
            let r = self.requests.iter().find(|r| r.key() == key)?;
            r.job.as_ref()?.session_id.clone()
        });
        self.selected = match session {
            Some(id) if rows.iter().any(|r| r.key() == id) => Some(id),
            _ => rows.first().map(|r| r.key()),
        };
    }
}

fn sessions_loaded(state: &mut State, req: u64, result: Result<Vec<Session>, ApiError>) {
    let now = state.now;
    let down = result.as_ref().err().is_some_and(unreachable);
    let err = result.as_ref().err().cloned();
    let result = result.map(|mut v| {
        v.sort_by_key(|s| s.end);
        v
    });
    let before = state
        .bookings
        .remote
        .error
        .as_ref()
        .map(|e| e.message.clone());
    if state.bookings.remote.finish(req, result, now, down) {
        state.bookings.keep_selection_valid(now);
        match err {
            Some(e) if before.as_deref() != Some(e.to_string().as_str()) => {
                state.flash_error("Refreshing veHaaS bookings failed", &e);
            }
            Some(_) => {}
            None => state.clear_flash_starting("Refreshing veHaaS bookings failed"),
        }
    }
}

pub(super) fn update(state: &mut State, action: Action, fx: &mut Vec<Effect>) {
    let now = state.now;
    match action {
        Action::SessionsLoaded { req, result } => sessions_loaded(state, req, result),
        Action::RunnerRequested { local_id, result } => requested(state, local_id, result, fx),
        Action::JobPolled { local_id, result } => polled(state, local_id, result, fx),
        Action::SessionExtended { id, result } => match result {
            Ok(s) => {
                let tz = state.context.tz.clone();
                let end = s
                    .end
                    .map(|e| e.to_zoned(tz).strftime("%H:%M").to_string())
                    .unwrap_or_default();
                state.flash(
                    Level::Info,
                    format!("Booking {id} on {} now ends at {end}", s.assembly_ref),
                );
                if let Some(list) = state.bookings.remote.data.as_mut() {
                    if let Some(slot) = list.iter_mut().find(|x| x.id == s.id) {
                        *slot = s;
                    }
                    list.sort_by_key(|s| s.end);
                }
            }
            Err(e) => state.flash_error(&format!("Extending booking {id} failed"), &e),
        },
        Action::SessionReleased { id, result } => match result {
            Ok(()) => {
                let old = state.bookings.selected_index(&state.bookings.rows(now));
                if let Some(s) = state
                    .bookings
                    .remote
                    .data
                    .iter_mut()
                    .flatten()
                    .find(|s| s.id == id)
                {
                    s.state = SessionState::Released;
                    s.end = Some(now);
                    s.gitlab_runner_tag = None;
                }
                state.bookings.select_at(now, old.unwrap_or(0));
                state.flash(
                    Level::Info,
                    format!("Released booking {id}; its runner is gone"),
                );
                state.load_sessions(fx);
            }
            Err(e) => state.flash_error(&format!("Releasing booking {id} failed"), &e),
        },
        Action::Up => state.bookings.move_by(now, -1),
        Action::Down => state.bookings.move_by(now, 1),
        Action::PageUp => state.bookings.move_by(now, -10),
        Action::PageDown => state.bookings.move_by(now, 10),
        Action::Top => state.bookings.select_at(now, 0),
        Action::Bottom => state.bookings.select_at(now, usize::MAX),
        Action::Copy => {
            let rows = state.bookings.rows(now);
            let tag = state
                .bookings
                .selected_index(&rows)
                .and_then(|i| rows[i].tag())
                .map(str::to_string);
            match tag {
                Some(text) => {
                    state.flash(Level::Info, format!("Copied runner tag {text}"));
                    fx.push(Effect::Copy { text });
                }
                None => state.flash(Level::Warn, "This booking has no runner tag yet"),
            }
        }
        _ if state.context.read_only => {}
        Action::New => dialog::open_new(state),
        Action::Extend => {
            if let Some(s) = state.bookings.selected_session(now) {
                state.dialog = Some(Dialog::Text(TextForm {
                    title: "Extend booking".into(),
                    label: format!("Extend {} on {} by", s.id, s.assembly_ref),
                    field: "By".into(),
                    placeholder: "30m, 1h30m, 2h or PT45M".into(),
                    input: Input::default(),
                    purpose: TextPurpose::Extend {
                        session: s.id.clone(),
                    },
                    error: None,
                }));
            }
        }
        Action::Delete => delete(state),
        _ => {}
    }
}

fn delete(state: &mut State) {
    let now = state.now;
    let key = state.bookings.selected.clone();
    if let Some(key) = key.filter(|k| k.starts_with("request:")) {
        // A request row is only local: forget it once it has its outcome.
        let done = state
            .bookings
            .requests
            .iter()
            .any(|r| r.key() == key && r.is_done());
        if done {
            state.bookings.requests.retain(|r| r.key() != key);
            state.bookings.keep_selection_valid(now);
            state.flash(Level::Info, "Dismissed the runner request");
        } else {
            state.flash(
                Level::Warn,
                "This request is still being followed: it cannot be dismissed yet",
            );
        }
        return;
    }
    if let Some(s) = state.bookings.selected_session(now) {
        let owner = s.owner.as_deref().unwrap_or("unknown owner");
        let confirm = Confirm::new(
            "Release",
            format!("Release booking {} of {} ({owner})?", s.id, s.assembly_ref),
            Op::Release { id: s.id.clone() },
        )
        .with_details(vec![if s.state == SessionState::Scheduled {
            "It has not started: the booking is cancelled.".into()
        } else {
            "The session ends now and its GitLab Runner is deleted.".into()
        }]);
        state.dialog = Some(Dialog::Confirm(confirm));
    }
}

pub(super) fn release(state: &mut State, id: String, fx: &mut Vec<Effect>) {
    state.flash(Level::Info, format!("Releasing booking {id}…"));
    fx.push(Effect::ReleaseSession { id });
}

fn requested(
    state: &mut State,
    local_id: u64,
    result: Result<Job, ApiError>,
    fx: &mut Vec<Effect>,
) {
    let Some(r) = state.bookings.request_mut(local_id) else {
        return;
    };
    match result {
        Ok(job) => {
            let job_id = job.job_id.clone();
            r.job = Some(job);
            r.phase = RequestPhase::Polling;
            let after = poll_delay(0);
            let assembly = r.request.assembly_ref.clone();
            fx.push(Effect::PollJob {
                local_id,
                job_id: job_id.clone(),
                after,
            });
            state.flash(
                Level::Info,
                format!("Runner requested on {assembly}: job {job_id}"),
            );
        }
        Err(e) if e.outcome_unknown() => {
            r.phase = RequestPhase::Unknown;
            let assembly = r.request.assembly_ref.clone();
            state.flash(
                Level::Warn,
                format!("The runner request for {assembly} got no clear answer ({e}): the booking may or may not exist. Not retrying; refreshing the sessions to check."),
            );
            state.load_sessions(fx);
        }
        Err(e) => {
            r.phase = RequestPhase::Failed(e.to_string());
            let assembly = r.request.assembly_ref.clone();
            state.flash_error(&format!("Requesting a runner on {assembly} failed"), &e);
        }
    }
}

fn polled(state: &mut State, local_id: u64, result: Result<Job, ApiError>, fx: &mut Vec<Effect>) {
    let Some(r) = state.bookings.request_mut(local_id) else {
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
            r.job = Some(job);
            match job_state {
                JobState::Finished => {
                    r.phase = RequestPhase::Finished;
                    let tag = r.tag().unwrap_or("(none)").to_string();
                    state.flash(
                        Level::Info,
                        format!("Runner ready on {assembly}: tag {tag} (c copies it)"),
                    );
                    state.bookings.selected = Some(format!("request:{local_id}"));
                    state.load_sessions(fx);
                }
                JobState::Failed => {
                    let why = r
                        .job
                        .as_ref()
                        .and_then(|j| j.error.clone())
                        .unwrap_or_else(|| "the job failed".into());
                    r.phase = RequestPhase::Failed(why.clone());
                    state.flash(
                        Level::Error,
                        format!("The runner request for {assembly} failed (job {job_id}): {why}"),
                    );
                    state.load_sessions(fx);
                }
                _ => fx.push(Effect::PollJob {
                    local_id,
                    job_id,
                    after: poll_delay(r.polls),
                }),
            }
        }
        Err(e) if e.is_transient() => {
            // Polling is a GET: safe to try again, with the same backoff.
            let job_id = r.job.as_ref().map(|j| j.job_id.clone()).unwrap_or_default();
            fx.push(Effect::PollJob {
                local_id,
                job_id,
                after: poll_delay(r.polls),
            });
            state.flash(
                Level::Warn,
                format!("Following the job for {assembly}: {e}; trying again"),
            );
        }
        Err(e) => {
            r.phase = RequestPhase::Failed(e.to_string());
            state.flash_error(
                &format!("Following the runner request for {assembly} failed"),
                &e,
            );
        }
    }
}

/// The extend form's submit: the new end is the current end plus what was typed.
pub(super) fn extend(
    state: &mut State,
    session: String,
    value: &str,
    fx: &mut Vec<Effect>,
) -> Result<(), String> {
    let by = duration::parse_human(value).map_err(|e| e.to_string())?;
    let now = state.now;
    let Some(s) = state
        .bookings
        .current(now)
        .find(|s| s.id == session)
        .cloned()
    else {
        state.flash(
            Level::Warn,
            format!("Booking {session} is no longer current"),
        );
        return Ok(());
    };
    let base = s.end.unwrap_or(now);
    let new_end = base
        .checked_add(by)
        .map_err(|_| "That is too long".to_string())?;
    state.flash(
        Level::Info,
        format!(
            "Extending booking {} by {}…",
            s.id,
            duration::format_short(by)
        ),
    );
    fx.push(Effect::ExtendSession { id: s.id, new_end });
    Ok(())
}
