//! Every change to GitLab or veHaaS, written once for the TUI's executor and the scripting
//! verbs: the calls in order (the stale-change read, `If-Unmodified-Since`, the scopes read
//! before and after) and the audit record built from typed values. Knows no terminal and no
//! reducer; the only difference between the two callers is the audit record's `source`.

mod audit;
mod bookings;
mod controllers;
mod plan;
mod scopes;
mod tokens;

use std::sync::Arc;
use std::time::Duration;

pub use audit::{Auditor, Source};
pub use bookings::{VehaasOps, session_path};
pub use controllers::changes_nothing;
pub use plan::{PlannedRequest, plan};
pub use scopes::refusal as scope_refusal;

use crate::api::{ApiError, Failure, GitLab, Vehaas};
use crate::domain::{
    ControllerId, ControllerState, ControllerUpdate, Job, NewToken, RunnerController, RunnerId,
    RunnerRequest, Scopes, Session, SessionId, SessionState, Stamp, TokenId,
};

/// Adding or removing a scope of a controller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeChange {
    AddInstance,
    RemoveInstance,
    AddRunner(RunnerId),
    RemoveRunner(RunnerId),
}

/// The version a change was built from: the `updated_at` the user saw. `None` means the
/// caller saw nothing (a script): the change goes ahead on whatever the server has.
pub type Basis = Option<Option<Stamp>>;

/// One change, as data: what the TUI confirms and the CLI parses into.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    CreateController {
        description: Option<String>,
        state: ControllerState,
    },
    UpdateController {
        id: ControllerId,
        update: ControllerUpdate,
        based_on: Basis,
    },
    DeleteController {
        id: ControllerId,
        based_on: Basis,
    },
    CreateToken {
        id: ControllerId,
        description: Option<String>,
    },
    RotateToken {
        id: ControllerId,
        token: TokenId,
    },
    RevokeToken {
        id: ControllerId,
        token: TokenId,
    },
    Scope {
        id: ControllerId,
        change: ScopeChange,
    },
    RequestRunner {
        request: RunnerRequest,
    },
    ExtendSession {
        id: SessionId,
        by: Duration,
    },
    ReleaseSession {
        id: SessionId,
    },
}

impl Change {
    /// The controller it is about, if any.
    pub fn controller(&self) -> Option<ControllerId> {
        match self {
            Self::UpdateController { id, .. }
            | Self::DeleteController { id, .. }
            | Self::CreateToken { id, .. }
            | Self::RotateToken { id, .. }
            | Self::RevokeToken { id, .. }
            | Self::Scope { id, .. } => Some(*id),
            _ => None,
        }
    }
}

/// What a change did, with what the caller shows.
#[derive(Debug, Clone)]
pub enum Done {
    Created(RunnerController),
    /// `before` is the server's version read just before the change.
    Updated {
        before: RunnerController,
        after: RunnerController,
    },
    /// The server already has what the change asked for: nothing was sent.
    Unchanged(RunnerController),
    Deleted {
        before: RunnerController,
    },
    /// A token created, or rotated (`rotated`: the old token's id).
    TokenIssued {
        token: Arc<NewToken>,
        rotated: Option<TokenId>,
    },
    TokenRevoked,
    /// `after` is `None` when the scopes could not be read back.
    ScopeChanged {
        before: Scopes,
        after: Option<Scopes>,
    },
    RunnerRequested(Job),
    Extended {
        before: Session,
        after: Session,
    },
    Released {
        before: Session,
    },
}

/// Why nothing (or not all) happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpError {
    /// The server refused or failed (or could not be reached).
    Api(Failure),
    /// The controller changed on the server since the change was built: nothing was sent.
    ChangedElsewhere { server: Box<RunnerController> },
    /// A rule of ours said no before anything was sent.
    Refused(Refusal),
}

impl From<Failure> for OpError {
    fn from(f: Failure) -> Self {
        Self::Api(f)
    }
}

impl From<ApiError> for OpError {
    fn from(e: ApiError) -> Self {
        Self::Api(Failure::local(e))
    }
}

impl OpError {
    /// The server's error, when there is one.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Self::Api(f) => Some(&f.error),
            _ => None,
        }
    }
}

/// Rules that stop a change before it is sent: each would only get an error from the server,
/// or worse, do something nobody meant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    NoVehaas,
    AlreadyInstanceScoped,
    /// Runner scopes must go before the instance scope can be added.
    HasRunnerScopes,
    /// The instance scope must go before runners can be scoped.
    HasInstanceScope,
    AlreadyScoped(RunnerId),
    SessionNotListed(SessionId),
    /// Extending or releasing a session that is over.
    SessionOver {
        id: SessionId,
        state: SessionState,
    },
    NoEnd(SessionId),
    TooLong,
}

/// The clients of one instance and the audit log of this run.
#[derive(Clone)]
pub struct Ops {
    gitlab: Arc<GitLab>,
    vehaas: Option<Arc<Vehaas>>,
    audit: Auditor,
}

impl Ops {
    pub fn new(gitlab: Arc<GitLab>, vehaas: Option<Arc<Vehaas>>, audit: Auditor) -> Self {
        Self {
            gitlab,
            vehaas,
            audit,
        }
    }

    pub fn gitlab(&self) -> &Arc<GitLab> {
        &self.gitlab
    }

    pub fn vehaas(&self) -> Option<&Arc<Vehaas>> {
        self.vehaas.as_ref()
    }

    pub fn auditor(&self) -> &Auditor {
        &self.audit
    }

    /// The veHaaS half: request, extend and release.
    pub fn vehaas_ops(&self) -> VehaasOps {
        VehaasOps::new(self.vehaas.clone(), self.audit.clone())
    }

    /// Makes the change: every call in order, each answer audited as it arrives.
    pub async fn run(&self, change: Change) -> Result<Done, OpError> {
        match change {
            Change::CreateController { description, state } => {
                self.create_controller(description, state).await
            }
            Change::UpdateController {
                id,
                update,
                based_on,
            } => self.update_controller(id, update, based_on).await,
            Change::DeleteController { id, based_on } => self.delete_controller(id, based_on).await,
            Change::CreateToken { id, description } => self.create_token(id, description).await,
            Change::RotateToken { id, token } => self.rotate_token(id, token).await,
            Change::RevokeToken { id, token } => self.revoke_token(id, token).await,
            Change::Scope { id, change } => self.change_scope(id, change).await,
            c @ (Change::RequestRunner { .. }
            | Change::ExtendSession { .. }
            | Change::ReleaseSession { .. }) => self.vehaas_ops().run(c).await,
        }
    }
}
