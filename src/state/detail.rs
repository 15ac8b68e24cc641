//! The detail of one runner controller: its fields (with `connected`), scopes and tokens, and the
//! token and scope changes made from there (create, rotate, revoke; add or remove a scope).

use std::sync::Arc;

use tui_input::Input;

use super::dialog::{Confirm, Dialog, Op, TextForm, TextPurpose};
use super::{Level, Remote, State, preview, unreachable};
use crate::action::Action;
use crate::domain::{ControllerState, ControllerToken, RunnerController, Scopes};
use crate::effect::{Effect, ScopeChange};

#[derive(Debug, Clone, Default)]
pub struct Detail {
    pub id: i64,
    /// The fresh `GET /runner_controllers/:id` (it carries `connected`).
    pub remote: Remote<RunnerController>,
    pub tokens: Remote<Vec<ControllerToken>>,
    pub scopes: Remote<Scopes>,
    /// Index into `rows()`, kept on the same row by `key` when the lists change.
    pub cursor: usize,
    key: Option<RowKey>,
}

/// What the cursor is on, so a reload never slides it to another token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RowKey {
    Instance,
    Runner(i64),
    Token(i64),
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

/// A selectable line of the detail: a scope or a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DetailRow<'a> {
    Instance,
    Runner(i64),
    Token(&'a ControllerToken),
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
    let (a, b, c) = (state.next_id(), state.next_id(), state.next_id());
    d.remote.start(a);
    d.tokens.start(b);
    d.scopes.start(c);
    state.controllers.scope_latest.insert(id, c);
    state.controllers.detail = Some(d);
    fx.push(Effect::LoadController { req: a, id });
    fx.push(Effect::LoadTokens { req: b, id });
    fx.push(Effect::LoadScopes { req: c, id });
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
    fx.push(Effect::LoadController { req, id });
    reload_tokens(state, id, fx);
    load_scopes(state, id, fx);
}

fn reload_tokens(state: &mut State, id: i64, fx: &mut Vec<Effect>) {
    let req = state.next_id();
    if let Some(d) = state.controllers.detail.as_mut().filter(|d| d.id == id) {
        d.tokens.start(req);
        fx.push(Effect::LoadTokens { req, id });
    }
}

pub(super) fn load_scopes(state: &mut State, id: i64, fx: &mut Vec<Effect>) {
    let req = state.next_id();
    state.controllers.scope_req = Some((req, id));
    state.controllers.scope_latest.insert(id, req);
    if let Some(d) = state.controllers.detail.as_mut().filter(|d| d.id == id) {
        d.scopes.start(req);
    }
    fx.push(Effect::LoadScopes { req, id });
}

/// Results about tokens and scopes. Returns false when the action is not one of them.
pub(super) fn result(state: &mut State, action: &Action, fx: &mut Vec<Effect>) -> bool {
    let now = state.now;
    match action {
        Action::TokensLoaded { req, id, result } => {
            if let Some(d) = state.controllers.detail.as_mut().filter(|d| d.id == *id) {
                let down = result.as_ref().err().is_some_and(unreachable);
                d.tokens.finish(*req, result.clone(), now, down);
                d.clamp();
            }
        }
        Action::ScopesLoaded { req, id, result } => {
            let latest = state.controllers.scope_latest.get(id) == Some(req);
            match result {
                Ok(s) if latest => {
                    state.controllers.scopes.insert(*id, s.clone());
                    state.controllers.scopes_unavailable.remove(id);
                }
                Err(_) if latest => {
                    state.controllers.scopes_unavailable.insert(*id);
                }
                _ => {}
            }
            if latest {
                super::changes::scopes_arrived(state, *id, fx);
            }
            if state.controllers.scope_req.is_some_and(|(r, _)| r == *req) {
                state.controllers.scope_req = None;
            }
            if let Some(d) = state.controllers.detail.as_mut().filter(|d| d.id == *id) {
                let down = result.as_ref().err().is_some_and(unreachable);
                d.scopes.finish(*req, result.clone(), now, down);
                d.clamp();
            }
        }
        Action::TokenIssued {
            id,
            rotated,
            result,
        } => {
            state
                .controllers
                .remember(super::controllers::LastChange::Irreversible(
                    "Token changes cannot be undone".into(),
                ));
            match result {
                Ok(token) => {
                    let what = match rotated {
                        Some(old) => format!(
                            "Rotated token {old} of runner controller {id}: the new token is {} and the old one no longer works",
                            token.token.id
                        ),
                        None => format!(
                            "Created token {} for runner controller {id}",
                            token.token.id
                        ),
                    };
                    state.flash(Level::Info, what);
                    // The cursor follows the token to its new id.
                    let new_id = token.token.id;
                    if let Some(d) = state.controllers.detail.as_mut().filter(|d| d.id == *id) {
                        d.key = Some(RowKey::Token(new_id));
                    }
                    state.open_dialog(Dialog::Secret {
                        token: Arc::clone(token),
                        rotated: *rotated,
                    });
                }
                Err(e) => {
                    state.flash_error(&format!("Token change on runner controller {id} failed"), e)
                }
            }
            reload_tokens(state, *id, fx);
        }
        Action::TokenRevoked {
            id,
            token_id,
            result,
        } => {
            state
                .controllers
                .remember(super::controllers::LastChange::Irreversible(
                    "Revoking a token cannot be undone".into(),
                ));
            match result {
                Ok(()) => state.flash(
                    Level::Info,
                    format!("Revoked token {token_id} of runner controller {id}"),
                ),
                Err(e) => state.flash_error(&format!("Revoking token {token_id} failed"), e),
            }
            reload_tokens(state, *id, fx);
        }
        Action::ScopeChanged { id, change, result } => {
            match result {
                Ok(()) => state.flash(
                    Level::Info,
                    format!("Runner controller {id}: {}", past(change)),
                ),
                Err(e) => state.flash_error(
                    &format!("Could not {} on runner controller {id}", change.describe()),
                    e,
                ),
            }
            state.controllers.scopes.remove(id);
            load_scopes(state, *id, fx);
        }
        _ => return false,
    }
    true
}

fn past(c: &ScopeChange) -> String {
    match c {
        ScopeChange::AddInstance => "added the instance scope".into(),
        ScopeChange::RemoveInstance => "removed the instance scope".into(),
        ScopeChange::AddRunner(r) => format!("scoped runner #{r}"),
        ScopeChange::RemoveRunner(r) => format!("unscoped runner #{r}"),
    }
}

/// Keys inside the detail. Returns false for the ones that act on the controller itself.
pub(super) fn intent(state: &mut State, action: &Action, fx: &mut Vec<Effect>) -> bool {
    let read_only = state.context.read_only;
    let Some(d) = state.controllers.detail.as_mut() else {
        return false;
    };
    let id = d.id;
    let n = d.rows().len();
    match action {
        Action::Up => d.move_to(d.cursor.saturating_sub(1)),
        Action::Down => d.move_to(d.cursor + 1),
        Action::Top => d.move_to(0),
        Action::Bottom => d.move_to(n.saturating_sub(1)),
        _ if read_only => return false,
        Action::New => {
            state.dialog = Some(Dialog::Text(TextForm {
                title: "New token".into(),
                label: format!("A new token for runner controller {id}"),
                field: "Description".into(),
                placeholder: "optional, e.g. kas-agent prod".into(),
                input: Input::default(),
                purpose: TextPurpose::NewToken { id },
                error: None,
            }));
        }
        Action::Rotate => {
            if let Some(DetailRow::Token(t)) = d.selected() {
                let confirm = Confirm::new(
                    "Rotate token",
                    format!("Rotate token {} {}of runner controller {id}?", t.id, quoted(t.description.as_deref())),
                    Op::RotateToken { id, token_id: t.id },
                )
                .with_details(vec![
                    "The old secret stops working at once; GitLab issues a new token with a new id.".into(),
                    "The new secret is shown once.".into(),
                ]);
                state.dialog = Some(Dialog::Confirm(confirm));
            } else {
                state.flash(Level::Warn, "Select a token to rotate (j/k)");
            }
        }
        Action::Delete => match d.selected() {
            Some(DetailRow::Token(t)) => {
                let confirm = Confirm::new(
                    "Revoke token",
                    format!(
                        "Revoke token {} {}of runner controller {id}?",
                        t.id,
                        quoted(t.description.as_deref())
                    ),
                    Op::RevokeToken { id, token_id: t.id },
                )
                .with_details(vec![
                    "Whatever uses it loses access at once. This cannot be undone.".into(),
                ]);
                state.dialog = Some(Dialog::Confirm(confirm));
            }
            Some(DetailRow::Instance) => {
                let confirm = Confirm::new(
                    "Remove scope",
                    format!("Remove the instance scope of runner controller {id}?"),
                    Op::Scope {
                        id,
                        change: ScopeChange::RemoveInstance,
                    },
                )
                .with_details(vec![
                    "Without a scope it receives no admission requests.".into(),
                ]);
                state.dialog = Some(Dialog::Confirm(confirm));
            }
            Some(DetailRow::Runner(r)) => {
                let confirm = Confirm::new(
                    "Remove scope",
                    format!("Unscope runner #{r} from runner controller {id}?"),
                    Op::Scope {
                        id,
                        change: ScopeChange::RemoveRunner(r),
                    },
                );
                state.dialog = Some(Dialog::Confirm(confirm));
            }
            None => state.flash(
                Level::Warn,
                "Select a token or a scope to remove (j/k); esc leaves the detail",
            ),
        },
        Action::AddInstanceScope => {
            // The detail's own read, else the list's row; unknown counts as enabled (ask).
            let known = d.remote.data.clone().map(|c| c.state).or_else(|| {
                let rows = state.controllers.rows();
                rows.iter().find(|c| c.id == id).map(|c| c.state.clone())
            });
            let change = ScopeChange::AddInstance;
            match known {
                Some(ControllerState::Enabled) | Some(ControllerState::Other(_)) | None => {
                    let with = Scopes {
                        instance: Some(Default::default()),
                        runners: vec![],
                    };
                    let confirm = Confirm::new(
                        "Add the instance scope",
                        format!("Give runner controller {id} the instance scope?"),
                        Op::Scope { id, change },
                    )
                    .with_details(vec![
                        preview::impact(&ControllerState::Enabled, Some(&with)),
                        "As grave as enabling it with that scope: type its id to confirm.".into(),
                    ])
                    .require_typed(id.to_string());
                    state.dialog = Some(Dialog::Confirm(confirm));
                }
                _ => {
                    state.flash(Level::Info, format!("Adding the instance scope to {id}…"));
                    fx.push(Effect::ChangeScope { id, change });
                }
            }
        }
        Action::AddRunnerScope => {
            state.dialog = Some(Dialog::Text(TextForm {
                title: "Scope a runner".into(),
                label: format!("Only jobs of this instance-type runner reach controller {id}"),
                field: "Runner id".into(),
                placeholder: "e.g. 3".into(),
                input: Input::default(),
                purpose: TextPurpose::RunnerScope { id },
                error: None,
            }));
        }
        _ => return false,
    }
    true
}

fn quoted(d: Option<&str>) -> String {
    match d {
        Some(d) if !d.is_empty() => format!("\"{d}\" "),
        _ => String::new(),
    }
}
