//! The health of every listed controller, read in the background: `connected`
//! (`GET /runner_controllers/:id`), its scopes, its active tokens, and the runners it is scoped
//! to, each cached with the time read. The reducer schedules the reads (from the tick, the list
//! outcome and each answer), at most `MAX_IN_FLIGHT` at a time: the rows around the selection
//! first (a screen's worth either way), then every row never read, then every stale one. A new
//! list makes everything stale ("refreshed with the list"); an answer older than one already
//! taken is dropped (latest wins), whichever read (this sweep, the detail, a confirmation) it
//! answers. Findings are recomputed for the controllers whose facts changed.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

mod sweep;

pub(super) use sweep::schedule;

use super::State;
use crate::api::ApiError;
use crate::domain::{ControllerId, ControllerToken, RunnerId, Scopes, Timestamp, TokenId};
use crate::effect::{Effect, ReqId, VitalRead};
use crate::health::{self, Facts, Finding, RunnerSeen};
use crate::msg::VitalAnswer;

/// Background reads on their way at most.
pub const MAX_IN_FLIGHT: usize = 4;
/// Rows around the selection (nearest first) read before the rest: more than a screen.
pub const SCREEN: usize = 100;

/// One fact, as last read.
#[derive(Debug, Clone)]
pub struct Part<T> {
    /// The last good answer.
    pub data: Option<T>,
    pub read_at: Option<Timestamp>,
    /// The last answer was a failure (`data` is older, or none).
    pub failed: bool,
    /// The list generation of the last answer (0: never answered).
    generation: u64,
    /// The sweep's own read on its way.
    asked: Option<ReqId>,
    /// The newest answer taken.
    answered: Option<ReqId>,
}

impl<T> Default for Part<T> {
    fn default() -> Self {
        Self {
            data: None,
            read_at: None,
            failed: false,
            generation: 0,
            asked: None,
            answered: None,
        }
    }
}

impl<T> Part<T> {
    /// Answered at least once (with data or a failure).
    pub fn is_answered(&self) -> bool {
        self.answered.is_some()
    }

    pub fn is_pending(&self) -> bool {
        self.asked.is_some()
    }

    fn due(&self, generation: u64, unread_only: bool) -> bool {
        self.asked.is_none()
            && self.generation < generation
            && !(unread_only && self.answered.is_some())
    }

    /// Takes an answer unless a newer one was taken already; whether it was taken.
    fn answer<E>(
        &mut self,
        req: ReqId,
        result: Result<T, E>,
        now: Timestamp,
        current: u64,
    ) -> bool {
        if self.asked == Some(req) {
            self.asked = None;
        }
        if self.answered.is_some_and(|a| a >= req) {
            return false;
        }
        self.answered = Some(req);
        self.generation = current;
        match result {
            Ok(d) => {
                self.data = Some(d);
                self.read_at = Some(now);
                self.failed = false;
            }
            Err(_) => self.failed = true,
        }
        true
    }
}

/// What is known of one controller.
#[derive(Debug, Clone, Default)]
pub struct Entry {
    /// `None` inside: the server does not report it (older than 18.10).
    pub connected: Part<Option<bool>>,
    pub scopes: Part<Scopes>,
    pub tokens: Part<Vec<ControllerToken>>,
    /// Worst first, from what is known now.
    pub findings: Vec<Finding>,
}

impl Entry {
    /// Every part answered once: its findings say all the linter can say.
    pub fn is_read(&self) -> bool {
        self.connected.is_answered() && self.scopes.is_answered() && self.tokens.is_answered()
    }
}

/// Where the sweep is.
#[derive(Debug, Clone, Default)]
struct Sweep {
    /// The selected position and the view it was in, when the screen pass started.
    anchor: Option<(usize, u64)>,
    screen_k: usize,
    /// 0: rows never read, 1: stale rows, 2: done until the next list.
    pass: u8,
    cursor: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Vitals {
    entries: BTreeMap<ControllerId, Entry>,
    runners: BTreeMap<RunnerId, Part<RunnerSeen>>,
    /// Bumped by every list answer; a part read in an older one is due again.
    pub generation: u64,
    in_flight: BTreeMap<ReqId, VitalRead>,
    /// Runners whose scope just arrived: read before the sweep goes on.
    follow_ups: VecDeque<RunnerId>,
    sweep: Sweep,
    dirty: BTreeSet<ControllerId>,
    all_dirty: bool,
    /// Findings changed since the views built from them were rebuilt.
    changed: bool,
    owners: BTreeMap<TokenId, ControllerId>,
}

impl Vitals {
    pub fn of(&self, id: ControllerId) -> Option<&Entry> {
        self.entries.get(&id)
    }

    pub fn runner(&self, id: RunnerId) -> Option<&RunnerSeen> {
        self.runners.get(&id).and_then(|p| p.data.as_ref())
    }

    /// The sweep's reads on their way.
    pub fn in_flight(&self) -> usize {
        self.in_flight.len()
    }

    /// Every finding of every controller, in controller order.
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.entries.values().flat_map(|e| e.findings.iter())
    }

    /// How many controllers have been read through, of those known.
    pub fn read_count(&self) -> usize {
        self.entries.values().filter(|e| e.is_read()).count()
    }

    /// The sweep's scopes read of `id` is on its way.
    pub fn scopes_pending(&self, id: ControllerId) -> bool {
        self.entries.get(&id).is_some_and(|e| e.scopes.is_pending())
    }

    /// A row changed (state, description): its findings are recomputed.
    pub(super) fn row_changed(&mut self, id: ControllerId) {
        self.dirty.insert(id);
    }

    /// A deleted controller: its findings go with it.
    pub(super) fn forget(&mut self, id: ControllerId) {
        if self.entries.remove(&id).is_some() {
            self.changed = true;
        }
    }

    /// The controller a token belongs to, from every token list read in this run (revoked
    /// tokens included: their events still belong to it).
    pub fn token_owner(&self, token: TokenId) -> Option<ControllerId> {
        self.owners.get(&token).copied()
    }

    fn entry(&mut self, id: ControllerId) -> &mut Entry {
        self.entries.entry(id).or_default()
    }

    /// Runners of `scopes` due in this generation go first.
    fn follow(&mut self, scopes: &Scopes) {
        for r in &scopes.runners {
            let due = self
                .runners
                .get(&r.runner_id)
                .is_none_or(|p| p.due(self.generation, false));
            if due && !self.follow_ups.contains(&r.runner_id) {
                self.follow_ups.push_back(r.runner_id);
            }
        }
    }

    /// Marks the controllers whose findings depend on `runner`.
    fn runner_changed(&mut self, runner: RunnerId) {
        for (id, e) in &self.entries {
            let uses = e
                .scopes
                .data
                .as_ref()
                .is_some_and(|s| s.runners.iter().any(|r| r.runner_id == runner));
            if uses {
                self.dirty.insert(*id);
            }
        }
    }

    /// Whether findings changed since the last call (and forgets it).
    pub(super) fn take_changed(&mut self) -> bool {
        std::mem::take(&mut self.changed)
    }
}

/// A new list: everything read before is stale, controllers gone are forgotten.
pub(super) fn list_loaded(state: &mut State) {
    let c = &mut state.controllers;
    let rows = c.remote.data.as_deref().unwrap_or(&[]);
    let v = &mut c.vitals;
    // Rows are in id order: no set of 10,000 ids to build on every refresh.
    v.entries
        .retain(|id, _| rows.binary_search_by_key(id, |r| r.id).is_ok());
    v.generation += 1;
    v.sweep = Sweep::default();
    v.follow_ups.clear();
    v.all_dirty = true;
}

/// An answer of the sweep: cached, findings marked for recomputing, the next read started.
pub(super) fn outcome(state: &mut State, req: ReqId, answer: VitalAnswer, fx: &mut Vec<Effect>) {
    state.controllers.vitals.in_flight.remove(&req);
    state.dirty |= match &answer {
        VitalAnswer::Controller { id, .. }
        | VitalAnswer::Scopes { id, .. }
        | VitalAnswer::Tokens { id, .. } => on_screen(state, *id),
        VitalAnswer::Runner { .. } => true,
    };
    match answer {
        VitalAnswer::Controller { id, result } => controller_read(state, id, req, &result),
        VitalAnswer::Scopes { id, result } => {
            shared_scopes(state, id, req, &result);
            scopes_read(state, id, req, &result);
        }
        VitalAnswer::Tokens { id, result } => tokens_read(state, id, req, &result),
        VitalAnswer::Runner { id, result } => {
            let (now, v) = (state.now, &mut state.controllers.vitals);
            let current = v.generation;
            if v.runners
                .entry(id)
                .or_default()
                .answer(req, result, now, current)
            {
                v.runner_changed(id);
            }
        }
    }
    schedule(state, fx);
}

/// Whether what is on screen may show controller `id`'s health (else no redraw is needed).
fn on_screen(state: &State, id: ControllerId) -> bool {
    let c = &state.controllers;
    if state.sheet.is_some() || c.sort.is_some_and(|s| s.column.is_health()) {
        return true;
    }
    if let Some(d) = &c.detail {
        return d.id == id;
    }
    let half = SCREEN / 2;
    match (c.selected_index(), c.visible_pos(id)) {
        (Some(sel), Some(at)) => at.abs_diff(sel) <= half,
        (None, Some(at)) => at <= half,
        _ => false,
    }
}

/// The sweep's scopes reach the cache the preview and the safety rule read, unless a newer
/// read of those scopes was asked for since.
fn shared_scopes(state: &mut State, id: ControllerId, req: ReqId, r: &Result<Scopes, ApiError>) {
    let c = &mut state.controllers;
    if c.scope_latest.get(&id).is_some_and(|l| *l > req) {
        return;
    }
    match r {
        Ok(s) => {
            c.scopes.insert(id, s.clone());
            c.scopes_unavailable.remove(&id);
        }
        Err(_) => {
            c.scopes.remove(&id);
            c.scopes_unavailable.insert(id);
        }
    }
}

/// A controller read (by the sweep or the detail): its `connected`.
pub(super) fn controller_read(
    state: &mut State,
    id: ControllerId,
    req: ReqId,
    r: &Result<crate::domain::RunnerController, ApiError>,
) {
    let (now, v) = (state.now, &mut state.controllers.vitals);
    let current = v.generation;
    let answer = r.as_ref().map(|c| c.connected).map_err(|_| ());
    if v.entry(id).connected.answer(req, answer, now, current) {
        v.dirty.insert(id);
    }
}

/// A scopes read, whoever asked: its runners are read next.
pub(super) fn scopes_read(
    state: &mut State,
    id: ControllerId,
    req: ReqId,
    r: &Result<Scopes, ApiError>,
) {
    let (now, v) = (state.now, &mut state.controllers.vitals);
    let current = v.generation;
    if v.entry(id).scopes.answer(req, r.clone(), now, current) {
        v.dirty.insert(id);
        if let Ok(s) = r {
            v.follow(s);
        }
    }
}

/// A tokens read (by the sweep or the detail).
pub(super) fn tokens_read(
    state: &mut State,
    id: ControllerId,
    req: ReqId,
    r: &Result<Vec<ControllerToken>, ApiError>,
) {
    let (now, v) = (state.now, &mut state.controllers.vitals);
    let current = v.generation;
    if let Ok(tokens) = r {
        v.owners.extend(tokens.iter().map(|t| (t.id, id)));
    }
    if v.entry(id).tokens.answer(req, r.clone(), now, current) {
        v.dirty.insert(id);
    }
}

/// After every message: the findings of what changed, then the views built on them.
pub(super) fn settle(state: &mut State) {
    let c = &mut state.controllers;
    let v = &mut c.vitals;
    if !v.all_dirty && v.dirty.is_empty() {
        return;
    }
    let ids: Vec<ControllerId> = if std::mem::take(&mut v.all_dirty) {
        v.dirty.clear();
        v.entries.keys().copied().collect()
    } else {
        std::mem::take(&mut v.dirty).into_iter().collect()
    };
    let (now, t) = (state.now, state.settings.health);
    let mut changed = false;
    for id in ids {
        let Some(row) = c.get(id) else { continue };
        let Some(e) = c.vitals.entries.get(&id) else {
            continue;
        };
        let runners = &c.vitals.runners;
        let lookup = |r: RunnerId| runners.get(&r).and_then(|p| p.data.as_ref());
        let facts = Facts {
            controller: row,
            connected: e.connected.data.flatten(),
            scopes: e.scopes.data.as_ref(),
            tokens: e.tokens.data.as_deref(),
            runner: &lookup,
        };
        let findings = health::lint(&facts, now, &t);
        if findings != e.findings {
            changed = true;
            if let Some(e) = c.vitals.entries.get_mut(&id) {
                e.findings = findings;
            }
        }
    }
    if changed {
        c.vitals.changed = true;
    }
    if c.sort.is_some_and(|s| s.column.is_health()) {
        c.resort();
    }
}
