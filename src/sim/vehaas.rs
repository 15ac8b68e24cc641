//! veHaaS simulator: an in-memory booking calendar (assemblies, sessions, runner jobs) that follows
//! docs/vehaas-api.md, served by `vehaas_http`. Job progress is derived from elapsed time on every
//! read; it must never use the client's decoding code or `crate::domain` types.

#[path = "vehaas_http.rs"]
mod http;
#[path = "vehaas_jobs.rs"]
mod jobs;
#[path = "vehaas_seed.rs"]
mod seed;
#[path = "vehaas_sessions.rs"]
mod sessions;
#[path = "vehaas_wire.rs"]
mod wire;

use std::sync::{Arc, Mutex, MutexGuard};

pub use http::router;
use jiff::Timestamp;
use sessions::render_session;
use wire::WireValidationItem;

/// The access token the simulator accepts (`private-token` header, or `Authorization: Bearer`).
pub const VEHAAS_TOKEN: &str = "sim-vehaas-token";

/// Who the simulator's token belongs to: a group token acts as a technical user.
const CALLER: &str = "ci-bot (group token)";

/// Longest booking a job may ask for.
const MAX_DURATION_MICROS: i64 = 31 * 86_400 * wire::MICROS_PER_SEC;

/// Handle on the simulated veHaaS instance; clones share one calendar.
#[derive(Clone)]
pub struct VehaasSim {
    model: Arc<Mutex<Model>>,
}

struct Model {
    lenient: bool,
    job_step_micros: i64,
    assemblies: Vec<Assembly>,
    sessions: Vec<Session>,
    jobs: Vec<Job>,
    next_session: u64,
    next_job: u64,
}

struct Assembly {
    reference: String,
    name: String,
    location: String,
    on_stock: bool,
}

struct Session {
    id: String,
    assembly_ref: String,
    owner: String,
    start: Timestamp,
    end: Timestamp,
    tag: Option<String>,
    released: bool,
    /// A state outside the documented set, shown only in lenient mode while the session is current.
    odd_state: Option<&'static str>,
}

enum Phase {
    Queued,
    Running,
    Finished,
    Failed(String),
}

struct Job {
    uuid: String,
    number: u64,
    assembly_ref: String,
    put_in_queue: bool,
    duration_micros: i64,
    created_at: Timestamp,
    updated_at: Timestamp,
    phase: Phase,
    session_id: Option<String>,
    tag: Option<String>,
}

/// A validated `POST /jobs` body.
struct NewJob {
    put_in_queue: bool,
    duration_micros: i64,
    assembly_ref: String,
}

/// Why an operation was refused; `vehaas_http` turns it into a FastAPI-shaped answer.
enum Refusal {
    NotFound(&'static str),
    Conflict(String),
    Invalid(Vec<WireValidationItem>),
}

impl VehaasSim {
    pub fn new(opts: &super::SimOptions) -> Self {
        let now = now();
        let mut model = Model {
            lenient: opts.vehaas_lenient,
            job_step_micros: i64::try_from(opts.job_step.as_micros()).unwrap_or(i64::MAX),
            assemblies: seed::assemblies(),
            sessions: Vec::new(),
            jobs: Vec::new(),
            next_session: 1050,
            next_job: 5001,
        };
        if opts.seed {
            model.sessions = seed::sessions(now);
        }
        Self {
            model: Arc::new(Mutex::new(model)),
        }
    }

    pub fn session_ids(&self) -> Vec<String> {
        self.with(|m, _| m.sessions.iter().map(|s| s.id.clone()).collect())
    }

    /// The session's documented state (`scheduled`, `active`, `ended`, `released`), lower-case.
    pub fn session_state(&self, id: &str) -> Option<String> {
        self.with(|m, now| m.session(id).map(|s| s.state(now).to_string()))
    }

    pub fn session_end(&self, id: &str) -> Option<Timestamp> {
        self.with(|m, _| m.session(id).map(|s| s.end))
    }

    /// How many `POST /jobs` were accepted (201), whatever became of them.
    pub fn jobs_created(&self) -> usize {
        self.with(|m, _| m.jobs.len())
    }

    pub fn set_lenient(&self, on: bool) {
        self.lock().lenient = on;
    }

    fn lock(&self) -> MutexGuard<'_, Model> {
        self.model
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs `f` on the calendar after bringing every job up to date with the clock.
    fn with<R>(&self, f: impl FnOnce(&mut Model, Timestamp) -> R) -> R {
        let now = now();
        let mut model = self.lock();
        model.advance_jobs(now);
        f(&mut model, now)
    }
}

/// Now, truncated to the microsecond precision of the wire format.
fn now() -> Timestamp {
    let ts = Timestamp::now();
    Timestamp::from_microsecond(ts.as_microsecond()).unwrap_or(ts)
}

fn add_micros(ts: Timestamp, micros: i64) -> Timestamp {
    Timestamp::from_microsecond(ts.as_microsecond().saturating_add(micros)).unwrap_or(ts)
}

fn micros_between(start: Timestamp, end: Timestamp) -> i64 {
    end.as_microsecond().saturating_sub(start.as_microsecond())
}

impl Session {
    fn state(&self, now: Timestamp) -> &'static str {
        session_state(self.released, self.start, self.end, now)
    }

    /// The runner lives only as long as the session.
    fn live_tag(&self, now: Timestamp) -> Option<String> {
        match self.state(now) {
            "scheduled" | "active" => self.tag.clone(),
            _ => None,
        }
    }

    fn overlaps(&self, start: Timestamp, end: Timestamp) -> bool {
        !self.released && self.start < end && self.end > start
    }
}

/// State derived from time unless the session was released.
fn session_state(released: bool, start: Timestamp, end: Timestamp, now: Timestamp) -> &'static str {
    if released {
        "released"
    } else if now < start {
        "scheduled"
    } else if now < end {
        "active"
    } else {
        "ended"
    }
}

impl Model {
    fn session(&self, id: &str) -> Option<&Session> {
        self.sessions.iter().find(|s| s.id == id)
    }

    fn job(&self, id: &str) -> Option<&Job> {
        self.jobs
            .iter()
            .find(|j| j.uuid == id || j.number.to_string() == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("timestamp")
    }

    #[test]
    fn state_follows_time() {
        let start = ts("2026-11-22T10:00:00Z");
        let end = ts("2026-11-22T11:00:00Z");
        let at = |s| session_state(false, start, end, ts(s));
        assert_eq!(at("2026-11-22T09:59:59Z"), "scheduled");
        assert_eq!(at("2026-11-22T10:00:00Z"), "active");
        assert_eq!(at("2026-11-22T10:59:59Z"), "active");
        assert_eq!(at("2026-11-22T11:00:00Z"), "ended");
        assert_eq!(session_state(true, start, end, start), "released");
    }
}
