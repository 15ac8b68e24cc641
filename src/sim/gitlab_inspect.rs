//! What tests may read or arrange on the GitLab simulator directly, besides HTTP: the audit log
//! as recorded, the runners, and when a controller token was last used.

use jiff::Timestamp;

use super::gitlab::GitlabSim;

/// One recorded audit event, as the simulator keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    pub id: i64,
    pub author_id: i64,
    pub author_username: String,
    pub event_name: String,
    pub target_type: String,
    pub target_id: i64,
    pub custom_message: String,
    pub created_at: Timestamp,
}

impl GitlabSim {
    /// The audit log, oldest first (the API serves it newest first).
    pub fn audit_events(&self) -> Vec<AuditRecord> {
        self.lock()
            .audit
            .iter()
            .map(|e| AuditRecord {
                id: e.id,
                author_id: e.author.id,
                author_username: e.author.username.to_string(),
                event_name: e.event_name.to_string(),
                target_type: e.target_type.to_string(),
                target_id: e.target_id,
                custom_message: e.custom_message.clone(),
                created_at: e.created_at,
            })
            .collect()
    }

    /// Ids of the runners that exist, ascending.
    pub fn runner_ids(&self) -> Vec<i64> {
        self.lock().runners.keys().copied().collect()
    }

    /// Deletes a runner the way an admin would elsewhere in GitLab: scopes pointing at it stay
    /// behind. `false` if there was no such runner.
    pub fn delete_runner(&self, id: i64) -> bool {
        self.lock().runners.remove(&id).is_some()
    }

    /// Sets when a controller token was last used (`None`: never), e.g. to make a controller
    /// connected or not. `false` if there is no such token.
    pub fn set_token_last_used(&self, token_id: i64, at: Option<Timestamp>) -> bool {
        let mut s = self.lock();
        match s.tokens.get_mut(&token_id) {
            Some(t) => {
                t.last_used_at = at;
                true
            }
            None => false,
        }
    }
}
