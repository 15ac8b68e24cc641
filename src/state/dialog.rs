//! Dialogs on top of the panes: help, confirmations (default No), the state picker and the
//! forms. Input goes to the top dialog first; results of effects pass through untouched.

use tui_input::{Input, InputRequest};

use super::{Level, Pane, State, bookings, controllers};
use crate::action::{Action, Edit};
use crate::domain::{ControllerState, Timestamp};
use crate::effect::Effect;

/// A change waiting for the administrator's yes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    SetState {
        id: i64,
        from: ControllerState,
        to: ControllerState,
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
}

impl Confirm {
    pub fn new(title: impl Into<String>, question: impl Into<String>, op: Op) -> Self {
        Self {
            title: title.into(),
            question: question.into(),
            details: Vec::new(),
            op,
            yes: false,
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

/// A one-line form: how much longer a booking should last.
#[derive(Debug, Clone)]
pub struct TextForm {
    pub title: String,
    pub label: String,
    pub placeholder: String,
    pub input: Input,
    /// The object it is about (a session id).
    pub target: String,
    pub error: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Dialog {
    Help,
    Confirm(Confirm),
    StatePicker(StatePicker),
    ControllerForm(ControllerForm),
    RunnerForm(RunnerForm),
    Extend(TextForm),
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
    )
}

/// Runs a confirmed operation.
pub(super) fn execute(state: &mut State, op: Op, fx: &mut Vec<Effect>) {
    match op {
        Op::Release { id } => bookings::release(state, id, fx),
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
        if matches!(state.dialog, Some(Dialog::Help)) {
            state.dialog = None;
            return true;
        }
        return false;
    }
    let Some(dialog) = state.dialog.take() else {
        return false;
    };
    if matches!(action, Action::Back) {
        return true; // closed: Esc cancels any dialog
    }
    state.dialog = match dialog {
        Dialog::Help => match action {
            Action::Help | Action::Submit => None,
            _ => Some(Dialog::Help),
        },
        Dialog::Confirm(c) => confirm(state, c, action, fx),
        Dialog::StatePicker(p) => picker(state, p, action, fx),
        Dialog::ControllerForm(f) => controllers::form(state, f, action, fx),
        Dialog::RunnerForm(f) => bookings::runner_form(state, f, action, fx),
        Dialog::Extend(f) => bookings::extend_form(state, f, action, fx),
    };
    true
}

fn confirm(
    state: &mut State,
    mut c: Confirm,
    action: &Action,
    fx: &mut Vec<Effect>,
) -> Option<Dialog> {
    match action {
        Action::Answer(true) => {
            execute(state, c.op, fx);
            None
        }
        Action::Answer(false) => None,
        Action::Submit if c.yes => {
            execute(state, c.op, fx);
            None
        }
        Action::Submit => None,
        Action::NextField | Action::PrevField | Action::Edit(Edit::Left | Edit::Right) => {
            c.yes = !c.yes;
            Some(Dialog::Confirm(c))
        }
        _ => Some(Dialog::Confirm(c)),
    }
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
