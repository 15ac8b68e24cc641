//! The simulator's instance audit log: every change it serves is recorded here the way GitLab's
//! runner controller services record it (event name, target, custom message, extras). Serving
//! the log over HTTP is `gitlab_audit_http.rs`.

use jiff::Timestamp;
use serde_json::{Map, Value, json};

use super::gitlab::{GitlabState, rails_time};
use super::gitlab_identity::User;

pub(crate) const INSTANCE_SCOPE: &str = "Gitlab::Audit::InstanceScope";
/// `Gitlab::Audit::InstanceScope`'s id and path.
const INSTANCE_SCOPE_ID: i64 = 1;
const INSTANCE_SCOPE_PATH: &str = "gitlab_instance";
/// Every request reaches the simulator over loopback.
const IP_ADDRESS: &str = "127.0.0.1";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenAction {
    Created,
    Rotated,
    Revoked,
}

/// One change worth an audit event.
#[derive(Debug, Clone)]
pub(crate) enum Change {
    ControllerCreated {
        id: i64,
        description: Option<String>,
        state: String,
    },
    /// `state` is `Some((from, to))` when the state changed.
    ControllerUpdated {
        id: i64,
        description: Option<String>,
        state: Option<(String, String)>,
    },
    ControllerDeleted {
        id: i64,
        description: Option<String>,
    },
    Token {
        action: TokenAction,
        token_id: i64,
        description: Option<String>,
    },
    InstanceScope {
        added: bool,
        scoping_id: i64,
    },
    RunnerScope {
        added: bool,
        scoping_id: i64,
        runner_id: i64,
    },
    /// Not a runner controller event: a user's own token (entity `User`), as an instance has
    /// other events in its log too.
    PersonalAccessTokenCreated {
        pat_id: i64,
    },
}

#[derive(Debug, Clone)]
pub(crate) struct AuditEvent {
    pub(crate) id: i64,
    pub(crate) author: &'static User,
    pub(crate) created_at: Timestamp,
    pub(crate) entity_type: &'static str,
    pub(crate) entity_id: i64,
    pub(crate) event_name: &'static str,
    pub(crate) target_type: &'static str,
    pub(crate) target_id: i64,
    pub(crate) target_details: String,
    pub(crate) custom_message: String,
    pub(crate) extras: Map<String, Value>,
}

/// What the target of a controller or token event is called: its description, else its id.
fn named(id: i64, description: &Option<String>) -> String {
    match description.as_deref() {
        Some(d) if !d.is_empty() => d.to_string(),
        _ => id.to_string(),
    }
}

impl Change {
    /// Event name, target type, target id, target details, custom message, extras.
    fn describe(
        &self,
    ) -> (
        &'static str,
        &'static str,
        i64,
        String,
        String,
        Map<String, Value>,
    ) {
        const CONTROLLER: &str = "Ci::RunnerController";
        let mut extras = Map::new();
        let (name, ttype, tid, details, msg) = match self {
            Change::ControllerCreated {
                id,
                description,
                state,
            } => {
                extras.insert("state".into(), json!(state));
                let msg = format!("Created runner controller with state {state}");
                let d = named(*id, description);
                ("runner_controller_created", CONTROLLER, *id, d, msg)
            }
            Change::ControllerUpdated {
                id,
                description,
                state,
            } => {
                let msg = match state {
                    Some((from, to)) => {
                        extras.insert("state_changed".into(), json!({"from": from, "to": to}));
                        format!("Updated runner controller state from {from} to {to}")
                    }
                    None => "Updated runner controller".to_string(),
                };
                let d = named(*id, description);
                ("runner_controller_updated", CONTROLLER, *id, d, msg)
            }
            Change::ControllerDeleted { id, description } => {
                let (d, msg) = (named(*id, description), "Deleted runner controller".into());
                ("runner_controller_deleted", CONTROLLER, *id, d, msg)
            }
            Change::Token {
                action,
                token_id,
                description,
            } => {
                let (name, verb) = match action {
                    TokenAction::Created => ("runner_controller_token_created", "Created"),
                    TokenAction::Rotated => ("runner_controller_token_rotated", "Rotated"),
                    TokenAction::Revoked => ("runner_controller_token_revoked", "Revoked"),
                };
                let msg = format!("{verb} runner controller token");
                let d = named(*token_id, description);
                (name, "Ci::RunnerControllerToken", *token_id, d, msg)
            }
            Change::InstanceScope { added, scoping_id } => {
                let (name, msg) = if *added {
                    (
                        "runner_controller_instance_scope_added",
                        "Added instance-level scope to runner controller",
                    )
                } else {
                    (
                        "runner_controller_instance_scope_removed",
                        "Removed instance-level scope from runner controller",
                    )
                };
                let ttype = "Ci::RunnerControllerInstanceLevelScoping";
                (name, ttype, *scoping_id, scoping_id.to_string(), msg.into())
            }
            Change::RunnerScope {
                added,
                scoping_id,
                runner_id,
            } => {
                let (name, msg) = if *added {
                    let msg =
                        format!("Added runner scope for runner #{runner_id} to runner controller");
                    ("runner_controller_runner_scope_added", msg)
                } else {
                    let msg = format!(
                        "Removed runner scope for runner #{runner_id} from runner controller"
                    );
                    ("runner_controller_runner_scope_removed", msg)
                };
                let ttype = "Ci::RunnerControllerRunnerLevelScoping";
                (name, ttype, *scoping_id, scoping_id.to_string(), msg)
            }
            Change::PersonalAccessTokenCreated { pat_id } => {
                let msg = format!("Created personal access token with id {pat_id}");
                let name = "personal_access_token_created";
                (
                    name,
                    "PersonalAccessToken",
                    *pat_id,
                    pat_id.to_string(),
                    msg,
                )
            }
        };
        (name, ttype, tid, details, msg, extras)
    }
}

/// Appends the event of `change`, made by `author` at `at`.
pub(crate) fn record(s: &mut GitlabState, author: &'static User, at: Timestamp, change: Change) {
    let (event_name, target_type, target_id, target_details, custom_message, extras) =
        change.describe();
    let (entity_type, entity_id) = match change {
        Change::PersonalAccessTokenCreated { .. } => ("User", author.id),
        _ => (INSTANCE_SCOPE, INSTANCE_SCOPE_ID),
    };
    let id = s.next_audit_id;
    s.next_audit_id += 1;
    s.audit.push(AuditEvent {
        id,
        author,
        created_at: at,
        entity_type,
        entity_id,
        event_name,
        target_type,
        target_id,
        target_details,
        custom_message,
        extras,
    });
}

impl AuditEvent {
    /// The wire shape; older servers carry `event_name` only inside `details`.
    pub(crate) fn json(&self, name_in_details_only: bool) -> Value {
        let mut details = Map::new();
        details.insert("event_name".into(), json!(self.event_name));
        details.insert("custom_message".into(), json!(self.custom_message));
        details.insert("author_name".into(), json!(self.author.name));
        details.insert("author_email".into(), json!(self.author.email));
        details.insert("author_class".into(), json!("User"));
        details.insert("target_id".into(), json!(self.target_id));
        details.insert("target_type".into(), json!(self.target_type));
        details.insert("target_details".into(), json!(self.target_details));
        details.insert("ip_address".into(), json!(IP_ADDRESS));
        let path = match self.entity_type {
            INSTANCE_SCOPE => INSTANCE_SCOPE_PATH,
            _ => self.author.username,
        };
        details.insert("entity_path".into(), json!(path));
        details.extend(self.extras.clone());
        let mut v = Map::new();
        v.insert("id".into(), json!(self.id));
        v.insert("author_id".into(), json!(self.author.id));
        v.insert("entity_id".into(), json!(self.entity_id));
        v.insert("entity_type".into(), json!(self.entity_type));
        if !name_in_details_only {
            v.insert("event_name".into(), json!(self.event_name));
        }
        v.insert("details".into(), Value::Object(details));
        v.insert("created_at".into(), json!(rails_time(self.created_at)));
        Value::Object(v)
    }
}
