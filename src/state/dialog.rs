//! Dialogs on top of the panes: help, confirmations (default No), the state picker and the
//! forms. Input goes to the top dialog first; results of effects pass through untouched.

use std::sync::Arc;

use tui_input::{Input, InputRequest};

use super::{Level, Pane, State, bookings, controllers};
use crate::action::{Action, Edit};
use crate::audit::AuditEntry;
use crate::domain::{ControllerState, ControllerUpdate, NewToken, Timestamp};
use crate::effect::{Effect, ScopeChange};

/// A change waiting for the administrator's yes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    SetState {
        id: i64,
        from: ControllerState,
        to: ControllerState,
        /// The `updated_at` the question was built from: the stale check compares with it.
        expected: Option<Timestamp>,
    },
    Create {
        description: Option<String>,
        state: ControllerState,
    },
    Delete {
        id: i64,
        updated_at: Option<Timestamp>,
    },
    Release {
        id: String,
    },
    RotateToken {
        id: i64,
        token_id: i64,
    },
    RevokeToken {
        id: i64,
        token_id: i64,
    },
    Scope {
        id: i64,
        change: ScopeChange,
    },
    BulkState {
        /// Each controller with the state and `updated_at` the question showed.
        targets: Vec<(i64, ControllerState, Option<Timestamp>)>,
        to: ControllerState,
    },
    BulkDelete {
        targets: Vec<(i64, Option<Timestamp>)>,
    },
    /// `z`: puts back what the newest change replaced; its answer pops the undo stack.
    Undo {
        id: i64,
        update: ControllerUpdate,
        expected: Option<Timestamp>,
    },
    /// A state and/or description change sent as is ("apply anyway").
    Update {
        id: i64,
        update: ControllerUpdate,
        expected: Option<Timestamp>,
    },
}

#[derive(Debug, Clone)]
pub struct Confirm {
    pub title: String,
    /// The question, naming the exact object.
    pub question: String,
    /// What it will do, in plain words.
    pub details: Vec<String>,
    pub op: Op,
    /// Which button is highlighted; starts on No.
    pub yes: bool,
    /// For the gravest changes: the controller's id must be typed before yes counts.
    pub typed: Option<TypedId>,
    /// The scopes of this controller are being read: until they are known, a yes waits
    /// (they decide whether the id must be typed).
    pub awaiting_scopes: Option<i64>,
    /// The user said yes while the scopes were being read.
    pub yes_pending: bool,
}

#[derive(Debug, Clone)]
pub struct TypedId {
    pub expected: String,
    pub input: Input,
}

impl Confirm {
    /// Whether a yes would be accepted now.
    pub fn armed(&self) -> bool {
        self.typed
            .as_ref()
            .is_none_or(|t| t.input.value().trim() == t.expected)
    }

    pub fn require_typed(mut self, expected: impl Into<String>) -> Self {
        self.typed = Some(TypedId {
            expected: expected.into(),
            input: Input::default(),
        });
        self
    }
}

impl Confirm {
    pub fn new(title: impl Into<String>, question: impl Into<String>, op: Op) -> Self {
        Self {
            title: title.into(),
            question: question.into(),
            details: Vec::new(),
            op,
            yes: false,
            typed: None,
            awaiting_scopes: None,
            yes_pending: false,
        }
    }

    pub fn with_details(mut self, details: Vec<String>) -> Self {
        self.details = details;
        self
    }
}

#[derive(Debug, Clone)]
pub struct StatePicker {
    pub id: i64,
    pub current: ControllerState,
    pub cursor: usize,
    /// The marked controllers when it applies to several (empty: just `id`).
    pub bulk: Vec<i64>,
}

impl StatePicker {
    pub fn choice(&self) -> ControllerState {
        ControllerState::KNOWN[self.cursor.min(ControllerState::KNOWN.len() - 1)].clone()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormMode {
    Create,
    EditDescription { id: i64 },
}

#[derive(Debug, Clone)]
pub struct ControllerForm {
    pub mode: FormMode,
    pub description: Input,
    /// Index into `ControllerState::KNOWN` (create only).
    pub state: usize,
    /// 0: description, 1: state.
    pub field: usize,
    pub error: Option<String>,
}

impl ControllerForm {
    pub fn fields(&self) -> usize {
        match self.mode {
            FormMode::Create => 2,
            FormMode::EditDescription { .. } => 1,
        }
    }
}

/// The runner request form (bookings pane), fields in this order.
#[derive(Debug, Clone)]
pub struct RunnerForm {
    pub assembly: Input,
    pub duration: Input,
    pub provider_url: Input,
    pub put_in_queue: bool,
    /// 0 assembly, 1 duration, 2 provider URL, 3 put in queue.
    pub field: usize,
    pub error: Option<String>,
}

impl RunnerForm {
    pub const FIELDS: usize = 4;
}

/// What a one-line form is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextPurpose {
    /// How much longer a booking should last.
    Extend {
        session: String,
    },
    NewToken {
        id: i64,
    },
    RunnerScope {
        id: i64,
    },
    /// The `:` command line.
    Command,
    /// The `/` filter of the focused pane, applied as it is typed.
    Filter,
}

/// A one-line form.
#[derive(Debug, Clone)]
pub struct TextForm {
    pub title: String,
    pub label: String,
    pub field: String,
    pub placeholder: String,
    pub input: Input,
    pub purpose: TextPurpose,
    pub error: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Dialog {
    /// The keys, scrolled by `offset` lines when they do not fit.
    Help {
        offset: usize,
    },
    Confirm(Confirm),
    StatePicker(StatePicker),
    ControllerForm(ControllerForm),
    RunnerForm(RunnerForm),
    Text(TextForm),
    /// A new token's secret, shown once; dropping the dialog wipes it.
    Secret {
        token: Arc<NewToken>,
        rotated: Option<i64>,
    },
    /// Raw JSON of an object (`y`), pretty-printed; `None` while loading.
    Raw {
        title: String,
        text: Option<Result<String, String>>,
        offset: usize,
    },
    /// The audit log, newest first (`None` while loading).
    Log {
        entries: Option<Result<Vec<AuditEntry>, String>>,
        offset: usize,
    },
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

fn is_result(a: &Action) -> bool {
    matches!(
        a,
        Action::Tick { .. }
            | Action::Resize
            | Action::ControllersLoaded { .. }
            | Action::ControllerLoaded { .. }
            | Action::ControllerCreated { .. }
            | Action::ControllerUpdated { .. }
            | Action::ControllerDeleted { .. }
            | Action::SessionsLoaded { .. }
            | Action::RunnerRequested { .. }
            | Action::JobPolled { .. }
            | Action::SessionExtended { .. }
            | Action::SessionReleased { .. }
            | Action::Deprecated(_)
            | Action::ControllerChangedElsewhere { .. }
            | Action::TokensLoaded { .. }
            | Action::ScopesLoaded { .. }
            | Action::TokenIssued { .. }
            | Action::TokenRevoked { .. }
            | Action::ScopeChanged { .. }
            | Action::AuditLoaded { .. }
            | Action::RawLoaded { .. }
    )
}

/// Runs a confirmed operation.
pub(super) fn execute(state: &mut State, op: Op, fx: &mut Vec<Effect>) {
    match op {
        Op::Release { id } => bookings::release(state, id, fx),
        op @ (Op::BulkState { .. } | Op::BulkDelete { .. }) => {
            super::bulk::execute_bulk(state, op, fx)
        }
        Op::RotateToken { id, token_id } => {
            state.flash(Level::Info, format!("Rotating token {token_id}…"));
            fx.push(Effect::RotateToken { id, token_id });
        }
        Op::RevokeToken { id, token_id } => {
            state.flash(Level::Info, format!("Revoking token {token_id}…"));
            fx.push(Effect::RevokeToken { id, token_id });
        }
        Op::Scope { id, change } => {
            state.flash(
                Level::Info,
                format!("Runner controller {id}: {}…", change.describe()),
            );
            fx.push(Effect::ChangeScope { id, change });
        }
        op => controllers::execute(state, op, fx),
    }
}

/// Gives the action to the open dialog. Returns whether it was consumed.
pub(super) fn handle(state: &mut State, action: &Action, fx: &mut Vec<Effect>) -> bool {
    if is_result(action) {
        return false;
    }
    if matches!(action, Action::Quit) {
        // ctrl-c quits from anywhere; `q` in help only closes it.
        if matches!(state.dialog, Some(Dialog::Help { .. })) {
            state.dialog = None;
            return true;
        }
        return false;
    }
    let Some(dialog) = state.dialog.take() else {
        return false;
    };
    if matches!(action, Action::Back) {
        if matches!(&dialog, Dialog::Text(f) if f.purpose == TextPurpose::Filter) {
            super::forms::set_filter(state, None);
        }
        return true; // closed: Esc cancels any dialog
    }
    state.dialog = match dialog {
        Dialog::Help { offset } => match action {
            Action::Help | Action::Submit => None,
            // The view clamps it to what there is to show.
            Action::Down => Some(Dialog::Help {
                offset: (offset + 1).min(200),
            }),
            Action::PageDown => Some(Dialog::Help {
                offset: (offset + 10).min(200),
            }),
            Action::Up => Some(Dialog::Help {
                offset: offset.saturating_sub(1),
            }),
            Action::PageUp => Some(Dialog::Help {
                offset: offset.saturating_sub(10),
            }),
            Action::Top => Some(Dialog::Help { offset: 0 }),
            _ => Some(Dialog::Help { offset }),
        },
        Dialog::Confirm(c) => confirm(state, c, action, fx),
        Dialog::StatePicker(p) => picker(state, p, action, fx),
        Dialog::ControllerForm(f) => super::controller_form::form(state, f, action, fx),
        Dialog::RunnerForm(f) => super::runner_form::runner_form(state, f, action, fx),
        Dialog::Text(f) => super::forms::text_form(state, f, action, fx),
        Dialog::Secret { token, rotated } => match action {
            Action::Copy => {
                fx.push(Effect::CopySecret {
                    token: crate::effect::SharedToken(Arc::clone(&token)),
                });
                state.flash(Level::Info, "Copied the token secret to the clipboard");
                Some(Dialog::Secret { token, rotated })
            }
            Action::Submit => None,
            _ => Some(Dialog::Secret { token, rotated }),
        },
        Dialog::Raw {
            title,
            text,
            offset,
        } => {
            let offset = match action {
                Action::Down => offset + 1,
                Action::Up => offset.saturating_sub(1),
                Action::PageDown => offset + 10,
                Action::PageUp => offset.saturating_sub(10),
                Action::Top => 0,
                Action::Copy => {
                    if let Some(Ok(t)) = &text {
                        fx.push(Effect::Copy { text: t.clone() });
                        state.flash(Level::Info, "Copied the JSON");
                    }
                    offset
                }
                Action::Submit | Action::Raw => return true,
                _ => offset,
            };
            Some(Dialog::Raw {
                title,
                text,
                offset,
            })
        }
        Dialog::Log { entries, offset } => {
            let n = entries
                .as_ref()
                .and_then(|e| e.as_ref().ok())
                .map_or(0, Vec::len);
            let offset = match action {
                Action::Down => (offset + 1).min(n.saturating_sub(1)),
                Action::Up => offset.saturating_sub(1),
                Action::PageDown => (offset + 10).min(n.saturating_sub(1)),
                Action::PageUp => offset.saturating_sub(10),
                Action::Top => 0,
                Action::Bottom => n.saturating_sub(1),
                Action::Submit | Action::Help => return true,
                _ => offset,
            };
            Some(Dialog::Log { entries, offset })
        }
    };
    true
}

fn confirm(
    state: &mut State,
    mut c: Confirm,
    action: &Action,
    fx: &mut Vec<Effect>,
) -> Option<Dialog> {
    let yes = match action {
        Action::Answer(true) => true,
        Action::Answer(false) => return None,
        Action::Submit => c.yes || c.typed.is_some(),
        Action::Edit(e) if c.typed.is_some() => {
            if let Some(t) = c.typed.as_mut() {
                edit_input(&mut t.input, *e);
            }
            return Some(Dialog::Confirm(c));
        }
        Action::NextField | Action::PrevField | Action::Edit(Edit::Left | Edit::Right) => {
            c.yes = !c.yes;
            return Some(Dialog::Confirm(c));
        }
        _ => return Some(Dialog::Confirm(c)),
    };
    if !yes {
        return None;
    }
    if c.awaiting_scopes.is_some() {
        c.yes_pending = true;
        state.flash(Level::Info, "Checking its scopes before going ahead…");
        return Some(Dialog::Confirm(c));
    }
    if !c.armed() {
        let what = match c.typed.as_ref().map(|t| t.expected.as_str()) {
            Some(words) if words.contains(' ') => format!("\"{words}\""),
            _ => "the id".to_string(),
        };
        state.flash(
            Level::Warn,
            format!("Type {what} exactly to confirm, or Esc to cancel"),
        );
        return Some(Dialog::Confirm(c));
    }
    if state.context.read_only {
        state.flash(Level::Warn, "Read-only: nothing is changed");
        return None;
    }
    execute(state, c.op, fx);
    None
}

fn picker(
    state: &mut State,
    mut p: StatePicker,
    action: &Action,
    fx: &mut Vec<Effect>,
) -> Option<Dialog> {
    let n = ControllerState::KNOWN.len();
    match action {
        Action::Up | Action::PrevField => p.cursor = (p.cursor + n - 1) % n,
        Action::Down | Action::NextField => p.cursor = (p.cursor + 1) % n,
        Action::Top => p.cursor = 0,
        Action::Bottom => p.cursor = n - 1,
        Action::Submit if !p.bulk.is_empty() => {
            let to = p.choice();
            return super::bulk::propose_state(state, p.bulk, to);
        }
        Action::Submit => {
            let to = p.choice();
            if to == p.current {
                state.flash(
                    Level::Info,
                    format!("Runner controller {} is already {to}", p.id),
                );
                return None;
            }
            return controllers::propose_state(state, p.id, to, fx);
        }
        _ => {}
    }
    Some(Dialog::StatePicker(p))
}

/// The dialog for the focused pane's `n`.
pub(super) fn open_new(state: &mut State) {
    if state.context.read_only {
        return;
    }
    state.dialog = Some(match state.focus {
        Pane::Controllers => Dialog::ControllerForm(ControllerForm {
            mode: FormMode::Create,
            description: Input::default(),
            state: 0,
            field: 0,
            error: None,
        }),
        Pane::Bookings => {
            if !state.bookings.configured {
                state.flash(
                    Level::Warn,
                    "veHaaS is not configured: add a [vehaas] table to the config",
                );
                return;
            }
            Dialog::RunnerForm(RunnerForm {
                assembly: Input::default(),
                duration: Input::default(),
                provider_url: Input::new(state.context.gitlab_url.clone()),
                put_in_queue: true,
                field: 0,
                error: None,
            })
        }
    });
}
