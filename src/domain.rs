//! Domain types shared by the reducer, the UI and the API clients.
//! API DTOs are converted into these at the boundary (`api/`); nothing here knows about JSON
//! shapes of a particular server, HTTP or the terminal.

use std::fmt;
use std::time::Duration;

pub use jiff::Timestamp;
use secrecy::SecretString;

pub use crate::ids::{ControllerId, JobId, RequestKey, RunnerId, SessionId, TokenId};

/// A time as a server wrote it: compared and computed with as a `Timestamp`, printed (and
/// written to JSON) as the server's own text, so `2026-01-05T10:20:30.960Z` never becomes
/// `…30.96Z` and sorting the output as strings keeps working.
#[derive(Debug, Clone)]
pub struct Stamp {
    at: Timestamp,
    text: Box<str>,
}

impl Stamp {
    /// `text` is the server's, already parsed into `at`. A text that is not RFC 3339 with an
    /// offset (a naive veHaaS time, a number) is replaced by `at` in RFC 3339.
    pub fn new(at: Timestamp, text: &str) -> Self {
        let text = text.trim();
        let faithful = text.parse::<Timestamp>().is_ok_and(|t| t == at);
        Self {
            at,
            text: if faithful {
                text.into()
            } else {
                at.to_string().into()
            },
        }
    }

    pub fn at(&self) -> Timestamp {
        self.at
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl From<Timestamp> for Stamp {
    fn from(at: Timestamp) -> Self {
        Self {
            at,
            text: at.to_string().into(),
        }
    }
}

impl std::ops::Deref for Stamp {
    type Target = Timestamp;
    fn deref(&self) -> &Timestamp {
        &self.at
    }
}

impl PartialEq for Stamp {
    fn eq(&self, other: &Self) -> bool {
        self.at == other.at
    }
}

impl Eq for Stamp {}

impl PartialOrd for Stamp {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Stamp {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.at.cmp(&other.at)
    }
}

impl fmt::Display for Stamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl serde::Serialize for Stamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

/// The admission state of a runner controller. Unknown values from a newer GitLab are kept
/// as they came so they can be shown, never dropped.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ControllerState {
    Disabled,
    Enabled,
    DryRun,
    Other(String),
}

impl ControllerState {
    pub const KNOWN: [ControllerState; 3] = [
        ControllerState::Disabled,
        ControllerState::Enabled,
        ControllerState::DryRun,
    ];

    pub fn parse(s: &str) -> Self {
        match s {
            "disabled" => Self::Disabled,
            "enabled" => Self::Enabled,
            "dry_run" => Self::DryRun,
            other => Self::Other(other.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Self::Disabled => "disabled",
            Self::Enabled => "enabled",
            Self::DryRun => "dry_run",
            Self::Other(s) => s,
        }
    }
}

impl fmt::Display for ControllerState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunnerController {
    pub id: ControllerId,
    pub description: Option<String>,
    pub state: ControllerState,
    pub created_at: Option<Stamp>,
    pub updated_at: Option<Stamp>,
    /// Only sent by `GET /runner_controllers/:id` on GitLab 18.10+.
    pub connected: Option<bool>,
}

/// What a `PUT /runner_controllers/:id` should change; `None` leaves a field alone and
/// `Some(None)` clears the description.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ControllerUpdate {
    pub description: Option<Option<String>>,
    pub state: Option<ControllerState>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ControllerToken {
    pub id: TokenId,
    pub runner_controller_id: ControllerId,
    pub description: Option<String>,
    pub last_used_at: Option<Stamp>,
    pub created_at: Option<Stamp>,
    pub updated_at: Option<Stamp>,
}

/// A token just created or rotated, with its secret. The secret is shown once and then dropped;
/// `SecretString` zeroizes it on drop and never prints it in `Debug`.
#[derive(Debug)]
pub struct NewToken {
    pub token: ControllerToken,
    pub secret: SecretString,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Scopes {
    /// `Some` when the controller has the instance scope (it sees every job on the instance).
    pub instance: Option<ScopeInfo>,
    pub runners: Vec<RunnerScope>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ScopeInfo {
    pub created_at: Option<Stamp>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunnerScope {
    pub runner_id: RunnerId,
    pub created_at: Option<Stamp>,
}

/// The veHaaS session (booking) state, matched case-insensitively; anything else is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionState {
    Scheduled,
    Active,
    Ended,
    Released,
    Other(String),
}

impl SessionState {
    pub fn parse(s: &str) -> Self {
        match s.trim().to_ascii_lowercase().as_str() {
            "scheduled" => Self::Scheduled,
            "active" => Self::Active,
            "ended" => Self::Ended,
            "released" => Self::Released,
            _ => Self::Other(s.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Self::Scheduled => "scheduled",
            Self::Active => "active",
            Self::Ended => "ended",
            Self::Released => "released",
            Self::Other(s) => s,
        }
    }
}

impl fmt::Display for SessionState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id: SessionId,
    pub assembly_ref: String,
    pub owner: Option<String>,
    pub state: SessionState,
    pub start: Option<Stamp>,
    pub end: Option<Stamp>,
    pub duration: Option<Duration>,
    pub gitlab_runner_tag: Option<String>,
}

impl Session {
    /// "Active bookings": active or scheduled, and ending after `now`. A state unknown to
    /// runnerdeck counts too: hiding a booking the server still runs would be worse than
    /// showing a state we cannot name.
    pub fn is_current(&self, now: Timestamp) -> bool {
        !matches!(self.state, SessionState::Ended | SessionState::Released)
            && self.end.as_ref().is_none_or(|end| end.at() > now)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobState {
    Queued,
    Running,
    Finished,
    Failed,
    Other(String),
}

impl JobState {
    pub fn parse(s: &str) -> Self {
        match s.trim().to_ascii_lowercase().as_str() {
            "queued" => Self::Queued,
            "running" => Self::Running,
            "finished" => Self::Finished,
            "failed" => Self::Failed,
            _ => Self::Other(s.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Self::Queued => "queued",
            Self::Running => "running",
            Self::Finished => "finished",
            Self::Failed => "failed",
            Self::Other(s) => s,
        }
    }

    pub fn is_terminal(&self) -> bool {
        matches!(self, Self::Finished | Self::Failed)
    }
}

impl fmt::Display for JobState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub job_id: JobId,
    pub state: JobState,
    pub assembly_ref: Option<String>,
    pub session_id: Option<SessionId>,
    pub gitlab_runner_tag: Option<String>,
    pub created_at: Option<Stamp>,
    pub updated_at: Option<Stamp>,
    /// Why a failed job failed, as the server said it (`error` or `detail`).
    pub error: Option<String>,
}

/// The GitLab a veHaaS runner registers with, as typed (trimmed), when it is a web address:
/// `https://` or `http://` with a host. One check for the form and `--provider-url`.
pub fn provider_url(text: &str) -> Option<String> {
    let text = text.trim();
    let url = reqwest::Url::parse(text).ok()?;
    (matches!(url.scheme(), "https" | "http") && url.has_host()).then(|| text.to_string())
}

/// A request for a GitLab Runner on a booked assembly (`POST /api/v2.0/jobs`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunnerRequest {
    pub assembly_ref: String,
    pub duration: Duration,
    pub provider_url: String,
    pub put_in_queue: bool,
}

/// Deprecation notice a server attached to a response (`Deprecation`, `Sunset`, `Warning`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Deprecation {
    /// Which API: "veHaaS" or "GitLab".
    pub api: String,
    /// The request path that carried it, e.g. `POST /api/v2.0/jobs`.
    pub endpoint: String,
    /// When it was deprecated, as the server said it (`@1767225600` is rendered as a date).
    pub since: Option<String>,
    /// `Sunset` header: when it stops working.
    pub sunset: Option<String>,
    pub warning: Option<String>,
    pub link: Option<String>,
}

impl Deprecation {
    /// In plain words: what, since when, until when.
    pub fn describe(&self) -> String {
        let mut s = format!("{} {} is deprecated", self.api, self.endpoint);
        if let Some(since) = &self.since {
            s.push_str(&format!(" since {since}"));
        }
        if let Some(sunset) = &self.sunset {
            s.push_str(&format!(" and stops working after {sunset}"));
        }
        if let Some(w) = &self.warning {
            s.push_str(&format!(" ({w})"));
        }
        s
    }
}

/// The GitLab user behind the token (`GET /user`), for the audit log and the header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentUser {
    pub id: i64,
    pub username: String,
    pub is_admin: Option<bool>,
}
