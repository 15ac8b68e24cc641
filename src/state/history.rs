//! The server's history of the runner controllers: GitLab's instance audit events of the last
//! 30 days (every administrator's changes, through runnerdeck or not), read for the detail's
//! History section and `:events`, again with each list while one of them shows. Where the
//! server cannot tell (no licence, not an admin, an older GitLab) the local audit log is read
//! instead, and both the reason and the log are kept as facts.

use jiff::SignedDuration;

use super::{Remote, State, unreachable};
use crate::api::ApiError;
use crate::audit::AuditEntry;
use crate::domain::ControllerId;
use crate::effect::{Effect, Load, ReqId};
use crate::health::events::ServerEvent;

/// How far back the TUI asks (one query).
pub const PERIOD: SignedDuration = SignedDuration::from_hours(30 * 24);

/// Why the server's history is not there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unavailable {
    /// 404: no Premium/Ultimate licence, or a GitLab without the API.
    Unlicensed,
    /// 403: the token's user is not an administrator.
    Forbidden,
    /// Anything else (the error is in `server.error`).
    Failed,
}

#[derive(Debug, Clone, Default)]
pub struct History {
    pub server: Remote<Vec<ServerEvent>>,
    /// Why the server's events are missing, once it said so.
    pub unavailable: Option<Unavailable>,
    /// This machine's audit log, read when the server cannot tell.
    pub local: Remote<Vec<AuditEntry>>,
    /// The list generation of the last read.
    generation: Option<u64>,
}

impl History {
    /// The server's events about controller `id` (tied by target, or by a token's owner).
    pub fn of(
        &self,
        id: ControllerId,
        owner: impl Fn(crate::domain::TokenId) -> Option<ControllerId> + Copy,
    ) -> Vec<&ServerEvent> {
        self.server
            .data
            .iter()
            .flatten()
            .filter(|e| e.controller(owner) == Some(id))
            .collect()
    }
}

/// Whether something on screen shows the history: the detail or `:events`.
fn shown(state: &State) -> bool {
    state.controllers.detail.is_some() || matches!(state.sheet, Some(super::Sheet::Events(_)))
}

/// Reads the events of the last 30 days (unless a read is on its way).
pub(super) fn load(state: &mut State, fx: &mut Vec<Effect>) {
    if state.controllers.history.server.is_loading() {
        return;
    }
    let req = state.next_id();
    let h = &mut state.controllers.history;
    h.server.start(req);
    h.generation = Some(state.controllers.vitals.generation);
    let until = state.now;
    let since = until.checked_sub(PERIOD).unwrap_or(until);
    fx.push(Effect::Load(Load::Events { req, since, until }));
}

/// Reads them again if something shows them and the list was read since.
pub(super) fn refresh_if_shown(state: &mut State, fx: &mut Vec<Effect>) {
    let stale = state.controllers.history.generation != Some(state.controllers.vitals.generation);
    if shown(state) && stale {
        load(state, fx);
    }
}

pub(super) fn events_loaded(
    state: &mut State,
    req: ReqId,
    result: Result<Vec<ServerEvent>, ApiError>,
    fx: &mut Vec<Effect>,
) {
    let why = match &result {
        Ok(_) => None,
        Err(ApiError::NotLicensed | ApiError::NotFound { .. }) => Some(Unavailable::Unlicensed),
        Err(ApiError::Forbidden { .. }) => Some(Unavailable::Forbidden),
        Err(_) => Some(Unavailable::Failed),
    };
    let down = result.as_ref().err().is_some_and(unreachable);
    let now = state.now;
    let h = &mut state.controllers.history;
    if !h.server.finish(req, result, now, down) {
        return;
    }
    h.unavailable = why;
    if why.is_some() && !h.local.is_loading() {
        let req = state.next_id();
        state.controllers.history.local.start(req);
        fx.push(Effect::Load(Load::LocalAudit { req }));
    }
}

pub(super) fn local_loaded(state: &mut State, req: ReqId, result: Result<Vec<AuditEntry>, String>) {
    let now = state.now;
    state
        .controllers
        .history
        .local
        .finish(req, result, now, false);
}
