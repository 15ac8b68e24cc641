//! The veHaaS bookings pane: runner requests of this run, then the current sessions by end. The
//! visible rows are a list the reducer keeps (rebuilt when the data, the filter or the clock
//! changes what is current), so a frame never filters; the selection is kept by key and moves
//! to the next row when its booking ends.

use super::changes::{Plan, Step};
use super::confirm::{self, Question};
use super::dialog::Dialog;
use super::filter::Filter;
use super::notes::Note;
use super::requests::{self, PendingRequest};
use super::runner_form::RunnerForm;
use super::text_form::{FormError, TextForm, TextPurpose};
use super::{Remote, State, unreachable};
use crate::api::ApiError;
use crate::domain::{RequestKey, Session, SessionId, Timestamp};
use crate::effect::Effect;
use crate::msg::{Intent, Outcome};
use crate::ops::{Change, Done, OpError};

/// What a row is, by key: a selection survives every reload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowKey {
    Request(RequestKey),
    Session(SessionId),
}

/// One row of the pane: a runner request still worth showing, or a session.
#[derive(Debug, Clone, Copy)]
pub enum Row<'a> {
    Request(&'a PendingRequest),
    Session(&'a Session),
}

impl Row<'_> {
    pub fn key(&self) -> RowKey {
        match self {
            Row::Request(r) => RowKey::Request(r.key),
            Row::Session(s) => RowKey::Session(s.id.clone()),
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RowRef {
    Request(usize),
    Session(usize),
}

#[derive(Debug, Clone)]
pub struct Bookings {
    pub configured: bool,
    /// All sessions as served, sorted by end.
    pub remote: Remote<Vec<Session>>,
    pub requested_at: Option<Timestamp>,
    pub selected: Option<RowKey>,
    pub requests: Vec<PendingRequest>,
    pub filter: Option<Filter>,
    /// `v`: the timeline instead of the table, at this zoom.
    pub timeline: bool,
    pub zoom: crate::ui::timeline::Zoom,
    view: Vec<RowRef>,
    /// The keys of `view` when it was built.
    keys: Vec<RowKey>,
    /// How many sessions are current (whatever the filter).
    current: usize,
    /// The earliest end among the current sessions: the view changes when it passes.
    next_end: Option<Timestamp>,
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
            timeline: false,
            zoom: crate::ui::timeline::Zoom::default(),
            view: Vec::new(),
            keys: Vec::new(),
            current: 0,
            next_end: None,
        }
    }

    fn sessions(&self) -> &[Session] {
        self.remote.data.as_deref().unwrap_or(&[])
    }

    fn resolve(&self, r: RowRef) -> Option<Row<'_>> {
        match r {
            RowRef::Request(i) => self.requests.get(i).map(Row::Request),
            RowRef::Session(i) => self.sessions().get(i).map(Row::Session),
        }
    }

    /// The visible rows, in order.
    pub fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        self.view.iter().filter_map(|r| self.resolve(*r))
    }

    pub fn len(&self) -> usize {
        self.view.len()
    }

    pub fn is_empty(&self) -> bool {
        self.view.is_empty()
    }

    pub fn row(&self, i: usize) -> Option<Row<'_>> {
        self.view.get(i).and_then(|r| self.resolve(*r))
    }

    /// How many current sessions there are, and how many of the visible rows are requests.
    pub fn counts(&self) -> (usize, usize, usize) {
        let requests = self
            .view
            .iter()
            .filter(|r| matches!(r, RowRef::Request(_)))
            .count();
        (self.current, self.view.len() - requests, requests)
    }

    pub fn selected_index(&self) -> Option<usize> {
        let key = self.selected.as_ref()?;
        self.rows().position(|r| r.key() == *key)
    }

    pub fn selected_row(&self) -> Option<Row<'_>> {
        self.selected_index().and_then(|i| self.row(i))
    }

    pub fn selected_session(&self) -> Option<&Session> {
        match self.selected_row()? {
            Row::Session(s) => Some(s),
            Row::Request(_) => None,
        }
    }

    fn move_by(&mut self, delta: isize) {
        if self.view.is_empty() {
            return;
        }
        let cur = self.selected_index().unwrap_or(0) as isize;
        let next = (cur + delta).clamp(0, self.view.len() as isize - 1) as usize;
        self.select_at(next);
    }

    pub(super) fn select_at(&mut self, index: usize) {
        let i = index.min(self.view.len().saturating_sub(1));
        self.selected = self.row(i).map(|r| r.key());
    }

    pub(super) fn set_filter(&mut self, text: Option<&str>, now: Timestamp) {
        self.filter = text.map(Filter::new).filter(|f| !f.is_empty());
        self.refresh_view(now);
    }

    /// Rebuilds the visible rows; the selection stays on its key, a finished request hands it
    /// to its session, and a row that left hands it to the one now in its place.
    pub(super) fn refresh_view(&mut self, now: Timestamp) {
        // Where the selection was, by the keys of the view as last built: the data may have
        // changed under the view already. If its row leaves, a finished request hands it to
        // its session, else the next row that stays takes it.
        let old_keys = std::mem::take(&mut self.keys);
        let old_index = self
            .selected
            .as_ref()
            .and_then(|k| old_keys.iter().position(|x| x == k));
        let handed = match &self.selected {
            Some(RowKey::Request(k)) => self
                .requests
                .iter()
                .find(|r| r.key == *k)
                .and_then(|r| r.job.as_ref()?.session_id.clone()),
            _ => None,
        };
        requests::prune(self, now);
        let sessions = self.sessions();
        let current: Vec<usize> = (0..sessions.len())
            .filter(|i| sessions[*i].is_current(now))
            .collect();
        let next_end = current
            .iter()
            .filter_map(|i| sessions[*i].end.as_ref().map(|e| e.at()))
            .min();
        self.current = current.len();
        self.next_end = next_end;
        let keeps = |row: Row<'_>| {
            self.filter
                .as_ref()
                .is_none_or(|f| f.keeps(&row.haystack()))
        };
        let view: Vec<RowRef> = (0..self.requests.len())
            .map(RowRef::Request)
            .chain(current.into_iter().map(RowRef::Session))
            .filter(|r| self.resolve(*r).is_some_and(keeps))
            .collect();
        self.view = view;
        self.keys = self.rows().map(|r| r.key()).collect();
        if self.selected_index().is_some() {
            return;
        }
        let shown = |k: &RowKey| self.keys.contains(k);
        let next = old_index.map_or(&[][..], |i| &old_keys[i + 1..]);
        let to = handed
            .map(RowKey::Session)
            .filter(|k| shown(k))
            .or_else(|| next.iter().find(|k| shown(k)).cloned());
        match to {
            Some(k) => self.selected = Some(k),
            None => self.select_at(old_index.unwrap_or(0)),
        }
    }
}

/// A session ended (its end passed): the view no longer shows it.
pub(super) fn tick(state: &mut State) {
    let now = state.now;
    let b = &mut state.bookings;
    let ended = b.next_end.is_some_and(|e| e <= now);
    let expired = requests::any_expired(b, now);
    if ended || expired {
        b.refresh_view(now);
        state.dirty = true;
    }
}

pub(super) fn intent(state: &mut State, intent: Intent, fx: &mut Vec<Effect>) {
    let b = &mut state.bookings;
    match intent {
        Intent::Up => b.move_by(-1),
        Intent::Down => b.move_by(1),
        Intent::PageUp => b.move_by(-10),
        Intent::PageDown => b.move_by(10),
        Intent::Top => b.select_at(0),
        Intent::Bottom => b.select_at(usize::MAX),
        Intent::ToggleTimeline => b.timeline = !b.timeline,
        Intent::ZoomIn => b.zoom = b.zoom.zoom_in(),
        Intent::ZoomOut => b.zoom = b.zoom.zoom_out(),
        Intent::Copy => match b.selected_row().and_then(|r| r.tag().map(str::to_string)) {
            Some(text) => {
                state.flash(Note::CopiedTag(text.clone()));
                fx.push(Effect::Copy { text });
            }
            None => state.flash(Note::NoTagYet),
        },
        _ if state.context.read_only => {}
        Intent::New => {
            if !b.configured {
                state.flash(Note::VehaasNotConfigured);
                return;
            }
            let url = state.context.gitlab_url.clone();
            state.dialog = Some(Dialog::RunnerForm(RunnerForm::new(url)));
        }
        Intent::Extend => {
            if let Some(s) = b.selected_session() {
                let purpose = TextPurpose::Extend {
                    session: s.id.clone(),
                    assembly: s.assembly_ref.clone(),
                };
                state.dialog = Some(Dialog::Text(TextForm::new(purpose)));
            }
        }
        Intent::Delete => delete(state, fx),
        _ => {}
    }
}

/// `ctrl-d`: releases the selected booking (asks first); on a request row it only dismisses
/// the request from this list, and says so.
fn delete(state: &mut State, fx: &mut Vec<Effect>) {
    let now = state.now;
    match state.bookings.selected_row() {
        Some(Row::Request(r)) if r.is_done() => {
            let (key, assembly) = (r.key, r.request.assembly_ref.clone());
            state.bookings.requests.retain(|r| r.key != key);
            state.bookings.refresh_view(now);
            state.flash(Note::RequestDismissed { assembly });
        }
        Some(Row::Request(_)) => state.flash(Note::RequestStillFollowed),
        Some(Row::Session(s)) => {
            let session = s.clone();
            let change = Change::ReleaseSession {
                id: session.id.clone(),
            };
            confirm::propose(
                state,
                Question::Release { session },
                Plan::one(Step::new(change)),
                fx,
            );
        }
        None => {}
    }
}

/// The extend form's submit: how much longer (veHaaS computes nothing: the new end is the
/// session's end as read just before, plus this).
pub(super) fn extend(
    state: &mut State,
    session: SessionId,
    value: &str,
    fx: &mut Vec<Effect>,
) -> Result<(), FormError> {
    let by = state
        .settings
        .durations
        .parse(value)
        .map_err(FormError::Duration)?;
    let listed = state.bookings.sessions().iter().any(|s| s.id == session);
    if !listed {
        state.flash(Note::SessionGone(session));
        return Ok(());
    }
    let change = Change::ExtendSession { id: session, by };
    super::changes::run(state, Plan::one(Step::new(change)), fx);
    Ok(())
}

pub(super) fn outcome(state: &mut State, o: Outcome, fx: &mut Vec<Effect>) {
    match o {
        Outcome::SessionsLoaded { req, result } => sessions_loaded(state, req, result),
        Outcome::JobPolled { key, result } => requests::polled(state, key, result, fx),
        _ => {}
    }
}

fn sessions_loaded(state: &mut State, req: u64, result: Result<Vec<Session>, ApiError>) {
    let now = state.now;
    let err = result.as_ref().err().cloned();
    let down = err.as_ref().is_some_and(unreachable);
    let result = result.map(|mut v| {
        v.sort_by_key(|s| s.end.as_ref().map(|e| e.at()));
        v
    });
    let b = &mut state.bookings;
    let before = b.remote.error.as_ref().map(|e| e.message.clone());
    if !b.remote.finish(req, result, now, down) {
        return;
    }
    b.refresh_view(now);
    match err {
        Some(e) if before.as_deref() != Some(e.to_string().as_str()) => {
            state.flash(Note::SessionsFailed(e));
        }
        Some(_) => {}
        None => state.clear_flash_if(|n| matches!(n, Note::SessionsFailed(_))),
    }
}

/// The outcome of an extend or a release.
pub(super) fn changed(
    state: &mut State,
    change: &Change,
    result: Result<Done, OpError>,
    fx: &mut Vec<Effect>,
) {
    let now = state.now;
    match result {
        Ok(Done::Extended { after, .. }) => {
            state.flash(Note::Extended {
                session: after.clone(),
            });
            if let Some(list) = state.bookings.remote.data.as_mut() {
                if let Some(slot) = list.iter_mut().find(|x| x.id == after.id) {
                    *slot = after;
                }
                list.sort_by_key(|s| s.end.as_ref().map(|e| e.at()));
            }
            state.bookings.refresh_view(now);
        }
        Ok(Done::Released { before }) => {
            state.flash(Note::Released(before.id.clone()));
            if let Some(s) = state
                .bookings
                .remote
                .data
                .iter_mut()
                .flatten()
                .find(|s| s.id == before.id)
            {
                s.state = crate::domain::SessionState::Released;
                s.gitlab_runner_tag = None;
            }
            state.bookings.refresh_view(now);
            state.load_sessions(fx);
        }
        Ok(_) => {}
        Err(OpError::Refused(r)) => {
            state.flash(Note::Refused(r));
            state.load_sessions(fx);
        }
        Err(OpError::ChangedElsewhere { .. }) => {}
        Err(OpError::Api(f)) => state.flash(Note::Failed {
            change: change.clone(),
            error: f.error,
        }),
    }
}
