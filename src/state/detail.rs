//! The detail of one runner controller: its fields (with `connected`), scopes and tokens, and the
//! token and scope changes made from there (create, rotate, revoke; add or remove a scope).

use std::sync::Arc;

use super::changes::{Plan, Step};
use super::confirm::{self, Question};
use super::dialog::Dialog;
use super::notes::{Irreversible, Note};
use super::text_form::{TextForm, TextPurpose};
use super::undo::LastChange;
use super::{Remote, State, rc, unreachable};
use crate::api::ApiError;
use crate::domain::{ControllerId, ControllerToken, RunnerController, RunnerId, Scopes, TokenId};
use crate::effect::{Effect, Load, ReqId};
use crate::msg::{Intent, Outcome};
use crate::ops::{Change, Done, OpError, Refusal, ScopeChange};

#[derive(Debug, Clone, Default)]
pub struct Detail {
    pub id: ControllerId,
    /// The fresh `GET /runner_controllers/:id` (it carries `connected`).
    pub remote: Remote<RunnerController>,
    pub tokens: Remote<Vec<ControllerToken>>,
    pub scopes: Remote<Scopes>,
    /// Index into `rows()`, kept on the same row by `key` when the lists change.
    pub cursor: usize,
    /// Lines scrolled down with PgDn (to the findings and history below); j/k resets it.
    pub scroll: usize,
    key: Option<RowKey>,
}

/// What the cursor is on, so a reload never slides it to another token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RowKey {
    Instance,
    Runner(RunnerId),
    Token(TokenId),
}

/// A selectable line of the detail: a scope or a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DetailRow<'a> {
    Instance,
    Runner(RunnerId),
    Token(&'a ControllerToken),
}

impl DetailRow<'_> {
    fn key(&self) -> RowKey {
        match self {
            DetailRow::Instance => RowKey::Instance,
            DetailRow::Runner(r) => RowKey::Runner(*r),
            DetailRow::Token(t) => RowKey::Token(t.id),
        }
    }
}

impl Detail {
    pub fn rows(&self) -> Vec<DetailRow<'_>> {
        let mut rows = Vec::new();
        if let Some(s) = &self.scopes.data {
            if s.instance.is_some() {
                rows.push(DetailRow::Instance);
            }
            rows.extend(s.runners.iter().map(|r| DetailRow::Runner(r.runner_id)));
        }
        if let Some(t) = &self.tokens.data {
            rows.extend(t.iter().map(DetailRow::Token));
        }
        rows
    }

    pub fn selected(&self) -> Option<DetailRow<'_>> {
        self.rows().get(self.cursor).copied()
    }

    /// After the rows changed: back on the same row if it is still there, else the nearest.
    fn clamp(&mut self) {
        let rows = self.rows();
        let found = self
            .key
            .and_then(|k| rows.iter().position(|r| r.key() == k));
        let cursor = found.unwrap_or(self.cursor.min(rows.len().saturating_sub(1)));
        let key = rows.get(cursor).map(DetailRow::key);
        self.cursor = cursor;
        self.key = key;
    }

    fn move_to(&mut self, cursor: usize) {
        let rows = self.rows();
        let cursor = cursor.min(rows.len().saturating_sub(1));
        let key = rows.get(cursor).map(DetailRow::key);
        self.cursor = cursor;
        self.key = key;
    }
}

/// Opens the detail and loads the controller, its tokens and its scopes.
pub(super) fn open(state: &mut State, fx: &mut Vec<Effect>) {
    let Some(id) = state.controllers.selected else {
        return;
    };
    let mut d = Detail {
        id,
        remote: Remote {
            data: state.controllers.selected_controller().cloned(),
            ..Remote::default()
        },
        ..Detail::default()
    };
    if let Some(s) = state.controllers.scopes.get(&id) {
        d.scopes.data = Some(s.clone());
    }
    state.controllers.detail = Some(d);
    reload(state, fx);
    super::history::refresh_if_shown(state, fx);
    if state.controllers.history.server.data.is_none() {
        super::history::load(state, fx);
    }
}

/// Reloads the open detail: the controller (with `connected`), its tokens and its scopes.
pub(super) fn reload(state: &mut State, fx: &mut Vec<Effect>) {
    let Some(id) = state.controllers.detail.as_ref().map(|d| d.id) else {
        return;
    };
    let req = state.next_id();
    if let Some(d) = state.controllers.detail.as_mut() {
        d.remote.start(req);
    }
    fx.push(Effect::Load(Load::Controller { req, id }));
    reload_tokens(state, id, fx);
    rc::load_scopes(state, id, fx);
}

fn reload_tokens(state: &mut State, id: ControllerId, fx: &mut Vec<Effect>) {
    let req = state.next_id();
    if let Some(d) = state.controllers.detail.as_mut().filter(|d| d.id == id) {
        d.tokens.start(req);
        fx.push(Effect::Load(Load::Tokens { req, id }));
    }
}

/// The detail's own reads: the controller and its tokens.
pub(super) fn outcome(state: &mut State, o: Outcome) {
    let now = state.now;
    match o {
        Outcome::ControllerLoaded { req, result } => {
            if !state
                .controllers
                .detail
                .as_ref()
                .is_some_and(|d| d.remote.is_latest(req))
            {
                return;
            }
            if let Ok(c) = &result {
                state.controllers.upsert(c.clone());
            }
            if let Some(id) = state.controllers.detail.as_ref().map(|d| d.id) {
                super::vitals::controller_read(state, id, req, &result);
            }
            if let Some(d) = state.controllers.detail.as_mut() {
                let down = result.as_ref().err().is_some_and(unreachable);
                d.remote.finish(req, result, now, down);
            }
        }
        Outcome::TokensLoaded { req, id, result } => {
            super::vitals::tokens_read(state, id, req, &result);
            if let Some(d) = state.controllers.detail.as_mut().filter(|d| d.id == id) {
                let down = result.as_ref().err().is_some_and(unreachable);
                d.tokens.finish(req, result, now, down);
                d.clamp();
            }
        }
        _ => {}
    }
}

pub(super) fn scopes_loaded(
    state: &mut State,
    req: ReqId,
    id: ControllerId,
    result: Result<Scopes, ApiError>,
) {
    let now = state.now;
    if let Some(d) = state.controllers.detail.as_mut().filter(|d| d.id == id) {
        let down = result.as_ref().err().is_some_and(unreachable);
        d.scopes.finish(req, result, now, down);
        d.clamp();
    }
}

/// A state or description change went through: the detail shows it, keeping `connected`
/// (the change's answer does not carry it).
pub(super) fn controller_changed(state: &mut State, c: &RunnerController) {
    if let Some(d) = state.controllers.detail.as_mut().filter(|d| d.id == c.id) {
        let connected = d.remote.data.as_ref().and_then(|old| old.connected);
        let mut fresh = c.clone();
        fresh.connected = fresh.connected.or(connected);
        d.remote.data = Some(fresh);
    }
}

/// The outcome of a token or scope change.
pub(super) fn changed(
    state: &mut State,
    change: &Change,
    result: Result<Done, OpError>,
    fx: &mut Vec<Effect>,
) {
    let id = change.controller().unwrap_or_default();
    let ok = result.is_ok();
    match result {
        Ok(Done::TokenIssued { token, rotated }) => {
            state.flash(Note::TokenIssued {
                id,
                token: token.token.id,
                rotated,
            });
            // The cursor follows the token to its new id.
            if let Some(d) = state.controllers.detail.as_mut().filter(|d| d.id == id) {
                d.key = Some(RowKey::Token(token.token.id));
            }
            state.open_dialog(Dialog::Secret {
                token: Arc::clone(&token),
                rotated,
            });
        }
        Ok(Done::TokenRevoked) => {
            if let Change::RevokeToken { token, .. } = change {
                state.flash(Note::TokenRevoked { id, token: *token });
            }
        }
        Ok(Done::ScopeChanged { after, .. }) => {
            if let Change::Scope { change, .. } = change {
                state.flash(Note::ScopeChanged {
                    id,
                    change: *change,
                });
            }
            match after {
                Some(s) => {
                    state.controllers.scopes.insert(id, s);
                }
                None => {
                    state.controllers.scopes.remove(&id);
                }
            }
        }
        Ok(_) => {}
        Err(OpError::Refused(r)) => state.flash(Note::Refused(r)),
        Err(OpError::ChangedElsewhere { .. }) => {}
        Err(OpError::Api(f)) => state.flash(Note::Failed {
            change: change.clone(),
            error: f.error,
        }),
    }
    match change {
        Change::Scope { .. } => {
            rc::load_scopes(state, id, fx);
        }
        _ => {
            if ok {
                let why = match change {
                    Change::RevokeToken { .. } => Irreversible::TokenRevoke,
                    _ => Irreversible::TokenChange,
                };
                state.controllers.remember(LastChange::Irreversible(why));
            }
            reload_tokens(state, id, fx);
        }
    }
}

/// Keys inside the detail. Returns false for the ones that act on the controller itself.
pub(super) fn intent(state: &mut State, intent: &Intent, fx: &mut Vec<Effect>) -> bool {
    let read_only = state.context.read_only;
    let Some(d) = state.controllers.detail.as_mut() else {
        return false;
    };
    let id = d.id;
    let n = d.rows().len();
    if !matches!(intent, Intent::PageDown | Intent::PageUp) {
        d.scroll = 0;
    }
    match intent {
        Intent::Up => d.move_to(d.cursor.saturating_sub(1)),
        Intent::Down => d.move_to(d.cursor + 1),
        Intent::PageDown => d.scroll = d.scroll.saturating_add(10).min(1000),
        Intent::PageUp => d.scroll = d.scroll.saturating_sub(10),
        Intent::Top => d.move_to(0),
        Intent::Bottom => d.move_to(n.saturating_sub(1)),
        Intent::OpenDetail => {}
        _ if read_only => return false,
        Intent::New => {
            state.dialog = Some(Dialog::Text(TextForm::new(TextPurpose::NewToken { id })));
        }
        Intent::Rotate => match d.selected() {
            Some(DetailRow::Token(t)) => {
                let token = t.clone();
                let plan = Plan::one(Step::new(Change::RotateToken {
                    id,
                    token: token.id,
                }));
                confirm::propose(state, Question::RotateToken { id, token }, plan, fx);
            }
            _ => state.flash(Note::SelectToken),
        },
        Intent::Delete => remove(state, id, fx),
        Intent::AddInstanceScope => add_instance(state, id, fx),
        Intent::AddRunnerScope => {
            if let Some(r) = refusal(state, id, ScopeChange::AddRunner(RunnerId(0))) {
                state.flash(r);
            } else {
                state.dialog = Some(Dialog::Text(TextForm::new(TextPurpose::RunnerScope { id })));
            }
        }
        _ => return false,
    }
    true
}

/// `ctrl-d` in the detail: revoke the selected token, or remove the selected scope.
fn remove(state: &mut State, id: ControllerId, fx: &mut Vec<Effect>) {
    let Some(d) = state.controllers.detail.as_ref() else {
        return;
    };
    let (question, change) = match d.selected() {
        Some(DetailRow::Token(t)) => (
            Question::RevokeToken {
                id,
                token: t.clone(),
            },
            Change::RevokeToken { id, token: t.id },
        ),
        Some(DetailRow::Instance) => scope_question(state, id, ScopeChange::RemoveInstance),
        Some(DetailRow::Runner(r)) => scope_question(state, id, ScopeChange::RemoveRunner(r)),
        None => {
            state.flash(Note::SelectTokenOrScope);
            return;
        }
    };
    confirm::propose(state, question, Plan::one(Step::new(change)), fx);
}

fn scope_question(state: &State, id: ControllerId, change: ScopeChange) -> (Question, Change) {
    let known = state
        .controllers
        .detail
        .as_ref()
        .and_then(|d| d.remote.data.as_ref())
        .or_else(|| state.controllers.get(id))
        .map(|c| c.state.clone());
    (
        Question::Scope {
            id,
            change,
            state: known,
        },
        Change::Scope { id, change },
    )
}

/// What the detail's scopes already say against a scope change: said before asking.
fn refusal(state: &State, id: ControllerId, change: ScopeChange) -> Option<Note> {
    // The cache is emptied when the list reloads; the detail still shows the last read.
    let shown = state.controllers.detail.as_ref().filter(|d| d.id == id);
    let scopes = state
        .controllers
        .scopes
        .get(&id)
        .or_else(|| shown.and_then(|d| d.scopes.data.as_ref()))?;
    let r = crate::ops::scope_refusal(scopes, change)?;
    Some(match r {
        Refusal::AlreadyInstanceScoped => Note::AlreadyInstanceScoped(id),
        Refusal::HasRunnerScopes => Note::HasRunnerScopes(id),
        Refusal::HasInstanceScope => Note::HasInstanceScope(id),
        Refusal::AlreadyScoped(runner) => Note::AlreadyScoped { id, runner },
        other => Note::Refused(other),
    })
}

fn add_instance(state: &mut State, id: ControllerId, fx: &mut Vec<Effect>) {
    if let Some(r) = refusal(state, id, ScopeChange::AddInstance) {
        state.flash(r);
        return;
    }
    let (question, change) = scope_question(state, id, ScopeChange::AddInstance);
    confirm::propose(state, question, Plan::one(Step::new(change)), fx);
}

/// The runner-scope form's submit.
pub(super) fn scope_runner(
    state: &mut State,
    id: ControllerId,
    runner: RunnerId,
    fx: &mut Vec<Effect>,
) {
    if let Some(r) = refusal(state, id, ScopeChange::AddRunner(runner)) {
        state.flash(r);
        return;
    }
    let (question, change) = scope_question(state, id, ScopeChange::AddRunner(runner));
    confirm::propose(state, question, Plan::one(Step::new(change)), fx);
}

/// The new-token form's submit.
pub(super) fn create_token(
    state: &mut State,
    id: ControllerId,
    description: Option<String>,
    fx: &mut Vec<Effect>,
) {
    let change = Change::CreateToken { id, description };
    super::changes::run(state, Plan::one(Step::new(change)), fx);
}
