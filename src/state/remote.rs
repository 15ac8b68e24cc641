//! `Remote<T>`: a collection fetched from a server, with its loading state, the time of the last
//! good answer and the last error. Latest wins: answers to any but the pending request are dropped.

use crate::domain::Timestamp;
use crate::effect::ReqId;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteError {
    pub message: String,
    /// First failure of the current run of failures.
    pub since: Timestamp,
    /// The server could not be reached at all (refused, timed out), not just answered badly.
    pub unreachable: bool,
}

/// The pending read failed and is asked again at `at` (the HTTP layer retries reads).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retrying {
    pub at: Timestamp,
    pub reason: crate::api::RetryReason,
}

#[derive(Debug, Clone)]
pub struct Remote<T> {
    pub data: Option<T>,
    pub loaded_at: Option<Timestamp>,
    pub pending: Option<ReqId>,
    pub error: Option<RemoteError>,
    /// While the pending read waits to be asked again.
    pub retrying: Option<Retrying>,
}

impl<T> Default for Remote<T> {
    fn default() -> Self {
        Self {
            data: None,
            loaded_at: None,
            pending: None,
            error: None,
            retrying: None,
        }
    }
}

/// What the pane title shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Health {
    NotLoaded,
    Fresh,
    /// Refreshes fail but the server answers: amber.
    Failing,
    /// The server cannot be reached: red, "disconnected since".
    Disconnected,
}

impl<T> Remote<T> {
    pub fn is_loading(&self) -> bool {
        self.pending.is_some()
    }

    pub fn start(&mut self, req: ReqId) {
        self.pending = Some(req);
    }

    /// Whether an answer to `req` is the one we wait for.
    pub fn is_latest(&self, req: ReqId) -> bool {
        self.pending == Some(req)
    }

    /// Applies an answer; returns false (and changes nothing) when it is stale.
    /// A failure keeps the last good data.
    pub fn finish<E: std::fmt::Display>(
        &mut self,
        req: ReqId,
        result: Result<T, E>,
        now: Timestamp,
        unreachable: bool,
    ) -> bool {
        if !self.is_latest(req) {
            return false;
        }
        self.pending = None;
        self.retrying = None;
        match result {
            Ok(data) => {
                self.data = Some(data);
                self.loaded_at = Some(now);
                self.error = None;
            }
            Err(e) => {
                let since = self.error.as_ref().map_or(now, |prev| prev.since);
                self.error = Some(RemoteError {
                    message: e.to_string(),
                    since,
                    unreachable,
                });
            }
        }
        true
    }

    pub fn health(&self) -> Health {
        match (&self.error, &self.data) {
            (Some(e), _) if e.unreachable => Health::Disconnected,
            (Some(_), _) => Health::Failing,
            (None, Some(_)) => Health::Fresh,
            (None, None) => Health::NotLoaded,
        }
    }
}
