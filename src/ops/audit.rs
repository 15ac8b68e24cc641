//! The audit side of a change: the acting user (asked once per run), the entry built from
//! typed values before the change is sent, and a guard that writes it when the answer comes,
//! or, if the program stops first, with "no answer seen" so a sent change is never unrecorded.

use std::sync::Arc;

use serde_json::Value;
use tokio::sync::OnceCell;

use crate::api::{Failure, GitLab, Meta};
use crate::audit::{AuditEntry, AuditLog};

/// Who made the change: the TUI or a scripting verb.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Tui,
    Cli,
}

impl Source {
    fn as_str(self) -> &'static str {
        match self {
            Self::Tui => "tui",
            Self::Cli => "cli",
        }
    }
}

/// Which server a change went to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Service {
    GitLab,
    Vehaas,
}

/// A change as known before its answer.
pub(super) struct Record {
    pub service: Service,
    pub url: String,
    pub method: &'static str,
    pub path: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// Writes this run's audit entries. Cheap to clone; a failure to write is reported through
/// `on_error` (stderr for the CLI, the log file for the TUI), never fatal.
#[derive(Clone)]
pub struct Auditor {
    inner: Arc<Inner>,
}

struct Inner {
    log: Option<AuditLog>,
    source: Source,
    /// `None` for a run without GitLab (a bookings verb): no user is named.
    gitlab: Option<Arc<GitLab>>,
    user: OnceCell<Option<String>>,
    on_error: Box<dyn Fn(String) + Send + Sync>,
}

impl Auditor {
    pub fn new(
        log: Option<AuditLog>,
        source: Source,
        gitlab: Arc<GitLab>,
        on_error: impl Fn(String) + Send + Sync + 'static,
    ) -> Self {
        Self::with(log, source, Some(gitlab), on_error)
    }

    /// For a run that has no GitLab client (a bookings verb without a GitLab token): veHaaS
    /// entries name no user anyway.
    pub fn without_gitlab(
        log: Option<AuditLog>,
        source: Source,
        on_error: impl Fn(String) + Send + Sync + 'static,
    ) -> Self {
        Self::with(log, source, None, on_error)
    }

    fn with(
        log: Option<AuditLog>,
        source: Source,
        gitlab: Option<Arc<GitLab>>,
        on_error: impl Fn(String) + Send + Sync + 'static,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                log,
                source,
                gitlab,
                user: OnceCell::new(),
                on_error: Box::new(on_error),
            }),
        }
    }

    pub fn log(&self) -> Option<&AuditLog> {
        self.inner.log.as_ref()
    }

    /// Who the GitLab token belongs to, asked once per run.
    pub async fn user(&self) -> Option<String> {
        self.inner
            .user
            .get_or_init(|| async {
                let gitlab = self.inner.gitlab.as_ref()?;
                gitlab
                    .current_user()
                    .await
                    .ok()
                    .map(|u| u.username)
                    .filter(|u| !u.is_empty())
            })
            .await
            .clone()
    }

    /// The entry for `record`, armed: it is written by `finish`, or by the guard's drop if
    /// the answer never arrives.
    pub(super) async fn arm(&self, record: Record) -> Armed {
        let user = match record.service {
            Service::GitLab => self.user().await,
            // veHaaS does not say who its token belongs to; the GitLab user would be a guess.
            Service::Vehaas => None,
        };
        let entry = AuditEntry {
            time: AuditEntry::now(),
            service: match record.service {
                Service::GitLab => "gitlab",
                Service::Vehaas => "vehaas",
            }
            .into(),
            url: record.url,
            user,
            method: record.method.into(),
            path: record.path,
            before: record.before,
            after: record.after,
            status: 0,
            request_id: None,
            source: self.inner.source.as_str().into(),
            error: None,
        };
        Armed {
            auditor: self.clone(),
            entry: Some(entry),
        }
    }

    fn write(&self, entry: &AuditEntry) {
        let Some(log) = &self.inner.log else {
            return;
        };
        if let Err(e) = log.append(entry) {
            (self.inner.on_error)(format!(
                "cannot write the audit log {}: {e}",
                log.path().display()
            ));
        }
    }
}

/// An audit entry waiting for its answer.
pub(super) struct Armed {
    auditor: Auditor,
    entry: Option<AuditEntry>,
}

impl Armed {
    /// Writes the entry with the answer: `after` replaces the asked-for value on success.
    pub async fn finish(mut self, outcome: Result<&Meta, &Failure>, after: Option<Value>) {
        let Some(mut entry) = self.entry.take() else {
            return;
        };
        entry.time = AuditEntry::now();
        match outcome {
            Ok(meta) => {
                entry.status = meta.status;
                entry.request_id = meta.request_id.clone();
                if after.is_some() {
                    entry.after = after;
                }
            }
            Err(f) => {
                entry.status = f.error.status().unwrap_or(0);
                entry.request_id = f.request_id.clone();
                entry.error = Some(f.error.to_string());
            }
        }
        let auditor = self.auditor.clone();
        // A small append; off the async threads all the same.
        let written = tokio::task::spawn_blocking(move || auditor.write(&entry)).await;
        if written.is_err() {
            (self.auditor.inner.on_error)("the audit log writer stopped".into());
        }
    }
}

impl Drop for Armed {
    fn drop(&mut self) {
        if let Some(mut entry) = self.entry.take() {
            entry.time = AuditEntry::now();
            entry.error = Some(
                "runnerdeck stopped before the answer arrived: the change may or may not have been made"
                    .into(),
            );
            self.auditor.write(&entry);
        }
    }
}
