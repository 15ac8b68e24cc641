//! Dialogs over the panes: confirmations (default No), the state picker, the forms, a new
//! token's secret, raw JSON, the audit log, the quit question, and the help overlay. A dialog
//! only ever receives intents; outcomes go to the panes, and open a dialog in turn.

use std::sync::Arc;

use tui_input::{Input, InputRequest};

use super::confirm::{self, Confirm};
use super::controller_form::{self, ControllerForm};
use super::notes::Note;
use super::runner_form::{self, RunnerForm};
use super::text_form::{self, TextForm, TextPurpose};
use super::{State, bulk, command, rc};
use crate::api::ApiError;
use crate::audit::AuditEntry;
use crate::domain::{
    ControllerId, ControllerState, NewToken, RunnerController, SessionId, TokenId,
};
use crate::effect::{Effect, ReqId, SharedToken};
use crate::msg::{Edit, Intent};

/// The keys of what is on screen, scrolled by `offset` lines when they do not fit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Help {
    pub offset: usize,
}

#[derive(Debug, Clone)]
pub struct StatePicker {
    pub target: RunnerController,
    pub cursor: usize,
    /// The marked controllers when it applies to several (empty: just `target`).
    pub bulk: Vec<ControllerId>,
}

impl StatePicker {
    pub fn new(target: RunnerController, bulk: Vec<ControllerId>) -> Self {
        let cursor = ControllerState::KNOWN
            .iter()
            .position(|s| *s == target.state)
            .unwrap_or(0);
        Self {
            target,
            cursor,
            bulk,
        }
    }

    pub fn choice(&self) -> ControllerState {
        ControllerState::KNOWN[self.cursor.min(ControllerState::KNOWN.len() - 1)].clone()
    }
}

/// What a raw JSON view shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RawTitle {
    /// `GET /api/v4/runner_controllers/:id`, as GitLab serves it.
    Controller(ControllerId),
    /// A session as runnerdeck read it.
    Session(SessionId),
    /// A runner request of this run.
    Request { assembly: String },
}

#[derive(Debug, Clone)]
// One value at a time, moved rarely: boxing the big variant would only add indirection.
#[allow(clippy::large_enum_variant)]
pub enum Dialog {
    Confirm(Confirm),
    StatePicker(StatePicker),
    ControllerForm(ControllerForm),
    RunnerForm(RunnerForm),
    Text(TextForm),
    /// A new token's secret, shown once; dropping the dialog wipes it.
    Secret {
        token: Arc<NewToken>,
        rotated: Option<TokenId>,
    },
    /// Raw JSON of an object (`y`), pretty-printed; `text` is `None` while loading.
    Raw {
        title: RawTitle,
        req: Option<ReqId>,
        text: Option<Result<String, String>>,
        offset: usize,
    },
    /// The audit log, newest first (`None` while loading).
    Log {
        entries: Option<Result<Vec<AuditEntry>, String>>,
        offset: usize,
    },
    /// Quitting with changes on their way: wait for them, or quit anyway.
    Quit,
}

pub(super) fn edit_input(input: &mut Input, e: Edit) {
    let req = match e {
        Edit::Char(c) => InputRequest::InsertChar(c),
        Edit::Backspace => InputRequest::DeletePrevChar,
        Edit::Delete => InputRequest::DeleteNextChar,
        Edit::Left => InputRequest::GoToPrevChar,
        Edit::Right => InputRequest::GoToNextChar,
        Edit::Home => InputRequest::GoToStart,
        Edit::End => InputRequest::GoToEnd,
        Edit::Clear => InputRequest::DeleteLine,
    };
    input.handle(req);
}

/// Pasted text goes in as typed, one line: newlines and other controls become spaces.
pub(super) fn paste(input: &mut Input, text: &str) {
    for c in text.chars() {
        let c = if c.is_control() { ' ' } else { c };
        input.handle(InputRequest::InsertChar(c));
    }
}

/// `?` is open: it scrolls, and any key that is not scrolling closes it.
pub(super) fn help(state: &mut State, intent: &Intent) {
    let Some(h) = state.help.as_mut() else {
        return;
    };
    match intent {
        // The view clamps it to what there is to show.
        Intent::Down => h.offset = (h.offset + 1).min(200),
        Intent::PageDown => h.offset = (h.offset + 10).min(200),
        Intent::Up => h.offset = h.offset.saturating_sub(1),
        Intent::PageUp => h.offset = h.offset.saturating_sub(10),
        Intent::Top => h.offset = 0,
        Intent::Quit => {
            state.help = None;
            super::quit(state);
        }
        _ => state.help = None,
    }
}

/// A queued dialog comes up: only if it still makes sense (not a question in read-only mode,
/// nor one about a controller that is gone), and a question reads its scopes afresh.
pub(super) fn promote(state: &mut State, d: Dialog, fx: &mut Vec<Effect>) {
    let Dialog::Confirm(mut c) = d else {
        state.dialog = Some(d);
        return;
    };
    if state.context.read_only {
        state.flash(Note::ReadOnlyQuestionDropped);
        return;
    }
    let gone = c
        .controllers()
        .find(|id| state.controllers.get(*id).is_none());
    if let Some(id) = gone {
        state.flash(Note::QuestionDropped(id));
        return;
    }
    if !c.awaiting.is_empty() {
        confirm::read_scopes(state, &mut c, fx);
    }
    state.dialog = Some(Dialog::Confirm(c));
}

/// Gives the intent to the open dialog.
pub(super) fn handle(state: &mut State, intent: Intent, fx: &mut Vec<Effect>) {
    let Some(dialog) = state.dialog.take() else {
        return;
    };
    if intent == Intent::Help {
        state.dialog = Some(dialog);
        state.help = Some(Help::default());
        return;
    }
    if intent == Intent::Back {
        if matches!(&dialog, Dialog::Text(f) if matches!(f.purpose, TextPurpose::Filter { .. })) {
            command::set_filter(state, None);
        }
        return; // closed: Esc cancels any dialog
    }
    if intent == Intent::Quit && !matches!(dialog, Dialog::Quit) {
        // ctrl-c quits from anywhere; a half-typed form is not a change on its way.
        super::quit(state);
        if state.dialog.is_some() {
            state.queued.push_front(dialog);
        } else if !state.quit {
            state.dialog = Some(dialog);
        }
        return;
    }
    let next = match dialog {
        Dialog::Confirm(c) => confirm::answer(state, c, intent, fx),
        Dialog::StatePicker(p) => picker(state, p, intent, fx),
        Dialog::ControllerForm(f) => controller_form::form(state, f, intent, fx),
        Dialog::RunnerForm(f) => runner_form::form(state, f, intent, fx),
        Dialog::Text(f) => text_form::form(state, f, intent, fx),
        Dialog::Secret { token, rotated } => match intent {
            Intent::Copy => {
                fx.push(Effect::CopySecret {
                    token: SharedToken(Arc::clone(&token)),
                });
                state.flash(Note::CopiedSecret);
                Some(Dialog::Secret { token, rotated })
            }
            _ => Some(Dialog::Secret { token, rotated }),
        },
        Dialog::Raw {
            title,
            req,
            text,
            offset,
        } => {
            if intent == Intent::Copy
                && let Some(Ok(t)) = &text
            {
                fx.push(Effect::Copy { text: t.clone() });
                state.flash(Note::CopiedJson);
            }
            // End goes to the last line, so up comes back at once.
            let lines = match &text {
                Some(Ok(t)) => t.lines().count(),
                _ => 0,
            };
            scroll(&intent, offset, lines.saturating_sub(1)).map(|offset| Dialog::Raw {
                title,
                req,
                text,
                offset,
            })
        }
        Dialog::Log { entries, offset } => {
            let n = entries
                .as_ref()
                .and_then(|e| e.as_ref().ok())
                .map_or(0, Vec::len);
            scroll(&intent, offset, n.saturating_sub(1))
                .map(|offset| Dialog::Log { entries, offset })
        }
        Dialog::Quit => match intent {
            Intent::QuitAnyway | Intent::Quit => {
                state.quit = true;
                None
            }
            Intent::QuitWhenDone => {
                state.quit_when_done = true;
                state.flash(Note::QuitWaiting(state.changes.len()));
                None
            }
            _ => Some(Dialog::Quit),
        },
    };
    if state.dialog.is_none() {
        state.dialog = next;
    } else if let Some(next) = next {
        // The handler opened a dialog of its own (a question after a form): it comes next.
        state.queued.push_front(next);
    }
}

/// Scrolling a read-only view; `None` (closed) for Enter.
fn scroll(intent: &Intent, offset: usize, max: usize) -> Option<usize> {
    Some(match intent {
        Intent::Down => offset.saturating_add(1).min(max),
        Intent::Up => offset.saturating_sub(1),
        Intent::PageDown => offset.saturating_add(10).min(max),
        Intent::PageUp => offset.saturating_sub(10),
        Intent::Top => 0,
        Intent::Bottom => max,
        Intent::Submit => return None,
        _ => offset,
    })
}

fn picker(
    state: &mut State,
    mut p: StatePicker,
    intent: Intent,
    fx: &mut Vec<Effect>,
) -> Option<Dialog> {
    let n = ControllerState::KNOWN.len();
    match intent {
        Intent::Up | Intent::PrevField => p.cursor = (p.cursor + n - 1) % n,
        Intent::Down | Intent::NextField => p.cursor = (p.cursor + 1) % n,
        Intent::Top => p.cursor = 0,
        Intent::Bottom => p.cursor = n - 1,
        Intent::Submit if !p.bulk.is_empty() => {
            let to = p.choice();
            bulk::propose_state(state, p.bulk, to, fx);
            return None;
        }
        Intent::Submit => {
            let to = p.choice();
            if to == p.target.state {
                state.flash(Note::AlreadyInState {
                    id: p.target.id,
                    state: to,
                });
                return None;
            }
            rc::propose_state(state, &p.target, to, fx);
            return None;
        }
        _ => {}
    }
    Some(Dialog::StatePicker(p))
}

/// `y`'s answer, for the raw view that asked for it.
pub(super) fn raw_loaded(
    state: &mut State,
    req: ReqId,
    result: Result<serde_json::Value, ApiError>,
) {
    if let Some(Dialog::Raw {
        req: asked, text, ..
    }) = state.dialog.as_mut()
        && *asked == Some(req)
    {
        *text = Some(
            result
                .map_err(|e| e.to_string())
                .and_then(|v| serde_json::to_string_pretty(&v).map_err(|e| e.to_string())),
        );
    }
}
