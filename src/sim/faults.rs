//! Runtime fault injection for the simulator: latency, delays and canned failures, applied by
//! one middleware in front of both APIs, plus the unauthenticated `/-/sim/faults` control
//! endpoint. It never blocks a thread: waiting is always `tokio::time::sleep`. The canned
//! answers themselves are in `faults_responses.rs`.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Json;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use serde_json::json;
use tokio::sync::watch;

use super::concurrency::Concurrency;
use super::{RecordedRequest, Recorder};

/// Prefix of the control endpoints; requests below it are neither faulted nor recorded.
pub const CONTROL_PREFIX: &str = "/-/sim/";

/// A canned failure, answered instead of the real handler.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// That status with a GitLab-style JSON body, e.g. 500 `{"message":"500 Internal Server Error"}`.
    Status(u16),
    /// That status with an HTML page from a proxy (nginx), e.g. 502 Bad Gateway.
    Html(u16),
    /// 200 with bytes that are not JSON (but labelled as JSON).
    Garbage,
    /// 429 `Retry later` in plain text with `Retry-After: 30` and `RateLimit-*` headers.
    RateLimited,
    /// The same 429, but `Retry-After` (and `RateLimit-Reset`) say this many seconds: what a
    /// retry test wants, so that honouring it costs little.
    RateLimitedFor(u64),
    /// Never answers (until the simulator shuts down).
    Hang,
}

#[derive(Debug, Clone)]
struct Rule {
    prefix: Option<String>,
    /// The path must be `prefix` itself, not just start with it.
    exact: bool,
    remaining: usize,
    fault: Fault,
}

#[derive(Debug, Default)]
struct FaultState {
    latency: Duration,
    delay: Duration,
    rules: VecDeque<Rule>,
}

/// Cloneable handle on the simulator's faults. The response delay is `latency` (from
/// `SimOptions::latency`, changed by `set_latency`, kept by `clear`) plus `delay` (from
/// `set_delay`, reset by `clear`).
#[derive(Debug, Clone, Default)]
pub struct Faults {
    inner: Arc<Mutex<FaultState>>,
}

impl Faults {
    pub fn new(latency: Duration) -> Self {
        let f = Self::default();
        f.lock().latency = latency;
        f
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, FaultState> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Base latency added to every response (survives `clear`).
    pub fn set_latency(&self, d: Duration) {
        self.lock().latency = d;
    }

    /// Extra delay added to every response (until `clear`).
    pub fn set_delay(&self, d: Duration) {
        self.lock().delay = d;
    }

    /// The next `n` requests answer with `fault`.
    pub fn fail_next(&self, n: usize, fault: Fault) {
        self.push(None, n, fault);
    }

    /// The next `n` requests whose path and query (`/api/v4/x?page=3&per_page=100`) start with
    /// `prefix` answer with `fault`.
    pub fn fail_next_matching(&self, prefix: &str, n: usize, fault: Fault) {
        self.push(Some(prefix.to_string()), n, fault);
    }

    /// The next requests answer with these faults, one each and in this order, then normally
    /// (after failures armed earlier, which come first).
    pub fn fail_sequence(&self, faults: &[Fault]) {
        for f in faults {
            self.push(None, 1, f.clone());
        }
    }

    /// `fail_sequence` for the requests whose path starts with `prefix` only.
    pub fn fail_sequence_matching(&self, prefix: &str, faults: &[Fault]) {
        for f in faults {
            self.push(Some(prefix.to_string()), 1, f.clone());
        }
    }

    /// `fail_sequence` for the requests to exactly `path` (a listing, not what is below it).
    pub fn fail_sequence_exact(&self, path: &str, faults: &[Fault]) {
        for f in faults {
            self.lock().rules.push_back(Rule {
                prefix: Some(path.to_string()),
                exact: true,
                remaining: 1,
                fault: f.clone(),
            });
        }
    }

    fn push(&self, prefix: Option<String>, n: usize, fault: Fault) {
        if n > 0 {
            self.lock().rules.push_back(Rule {
                prefix,
                exact: false,
                remaining: n,
                fault,
            });
        }
    }

    /// Removes armed failures and the extra delay; the base latency stays.
    pub fn clear(&self) {
        let mut s = self.lock();
        s.delay = Duration::ZERO;
        s.rules.clear();
    }

    /// The total delay applied to each response now.
    pub fn current_delay(&self) -> Duration {
        let s = self.lock();
        s.latency + s.delay
    }

    /// Consumes one armed failure matching `path` (with its query, if any), oldest rule first.
    fn take(&self, path: &str) -> Option<Fault> {
        let mut s = self.lock();
        let idx = s.rules.iter().position(|r| {
            r.remaining > 0
                && r.prefix.as_deref().is_none_or(|p| {
                    if r.exact {
                        // `path` may carry the query: exact is about the path alone.
                        path.split('?').next() == Some(p)
                    } else {
                        path.starts_with(p)
                    }
                })
        })?;
        let rule = s.rules.get_mut(idx)?;
        rule.remaining -= 1;
        let fault = rule.fault.clone();
        if rule.remaining == 0 {
            s.rules.remove(idx);
        }
        Some(fault)
    }

    fn describe(&self) -> serde_json::Value {
        let s = self.lock();
        let rules: Vec<_> = s
            .rules
            .iter()
            .map(|r| {
                json!({
                    "fault": format!("{:?}", r.fault),
                    "remaining": r.remaining,
                    "path_prefix": r.prefix,
                })
            })
            .collect();
        json!({
            "latency_ms": s.latency.as_millis() as u64,
            "delay_ms": s.delay.as_millis() as u64,
            "armed": rules,
        })
    }
}

/// What the middleware needs: the faults, where to record, and the shutdown signal that
/// releases hung requests.
#[derive(Clone)]
pub(crate) struct MiddlewareCtx {
    pub(crate) faults: Faults,
    pub(crate) recorder: Recorder,
    pub(crate) concurrency: Concurrency,
    pub(crate) shutdown: watch::Receiver<bool>,
}

pub(crate) async fn middleware(
    State(ctx): State<MiddlewareCtx>,
    req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path().to_string();
    if path.starts_with(CONTROL_PREFIX) {
        return next.run(req).await;
    }
    let method = req.method().to_string();
    let query = req.uri().query().map(str::to_string);
    let record = |status: u16| {
        ctx.recorder.push(RecordedRequest {
            method: method.clone(),
            path: path.clone(),
            query: query.clone(),
            status,
        })
    };

    let _in_flight = ctx.concurrency.enter();
    let target = match &query {
        Some(q) => format!("{path}?{q}"),
        None => path.clone(),
    };
    if let Some(mut open) = ctx.concurrency.gate(&target) {
        let mut shutdown = ctx.shutdown.clone();
        tokio::select! {
            _ = shutdown.wait_for(|stop| *stop) => {}
            _ = open.wait_for(|open| *open) => {}
        }
    }
    let fault = ctx.faults.take(&target);
    let response = match fault {
        Some(Fault::Hang) => {
            record(0);
            let mut shutdown = ctx.shutdown.clone();
            tokio::select! {
                _ = shutdown.wait_for(|stop| *stop) => {}
                _ = tokio::time::sleep(Duration::from_secs(365 * 24 * 3600)) => {}
            }
            return Fault::Hang.response();
        }
        Some(f) => f.response(),
        None => next.run(req).await,
    };
    let delay = ctx.faults.current_delay();
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    record(response.status().as_u16());
    response
}

/// Body of `POST /-/sim/faults`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ControlBody {
    delay_ms: Option<u64>,
    latency_ms: Option<u64>,
    fail_next: Option<usize>,
    fault: Option<String>,
    status: Option<u16>,
    path_prefix: Option<String>,
    /// Fault names, one request each; a `429` here says `Retry-After: 1`.
    sequence: Option<Vec<String>>,
}

/// The `429` of a sequence: a retry test should not wait long.
const SEQUENCE_RETRY_AFTER: u64 = 1;

fn parse_fault(name: &str, status: Option<u16>) -> Option<Fault> {
    match name {
        "html" => Some(Fault::Html(status.unwrap_or(502))),
        "garbage" => Some(Fault::Garbage),
        "429" | "rate_limited" => Some(Fault::RateLimited),
        "hang" => Some(Fault::Hang),
        "status" => status.map(Fault::Status),
        other => other
            .parse::<u16>()
            .ok()
            .filter(|c| (100..=599).contains(c))
            .map(Fault::Status),
    }
}

fn bad_request(msg: &str) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({ "error": msg }))).into_response()
}

async fn post_faults(State(faults): State<Faults>, body: Bytes) -> Response {
    let parsed: ControlBody = match serde_json::from_slice(&body) {
        Ok(b) => b,
        Err(e) => return bad_request(&format!("invalid body: {e}")),
    };
    let fault = match (&parsed.fault, parsed.fail_next) {
        (Some(name), n) => match parse_fault(name, parsed.status) {
            Some(f) => Some((n.unwrap_or(1), f)),
            None => {
                return bad_request(
                    "fault must be a status like \"500\", \"html\", \"garbage\", \"429\" or \"hang\"",
                );
            }
        },
        (None, Some(_)) => return bad_request("fail_next needs a fault"),
        (None, None) => None,
    };
    let mut sequence = Vec::new();
    for name in parsed.sequence.iter().flatten() {
        match parse_fault(name, None) {
            Some(Fault::RateLimited) => sequence.push(Fault::RateLimitedFor(SEQUENCE_RETRY_AFTER)),
            Some(f) => sequence.push(f),
            None => return bad_request(&format!("unknown fault {name:?} in sequence")),
        }
    }
    if let Some(ms) = parsed.latency_ms {
        faults.set_latency(Duration::from_millis(ms));
    }
    if let Some(ms) = parsed.delay_ms {
        faults.set_delay(Duration::from_millis(ms));
    }
    if let Some((n, f)) = fault {
        match parsed.path_prefix.as_deref() {
            Some(p) => faults.fail_next_matching(p, n, f),
            None => faults.fail_next(n, f),
        }
    }
    match parsed.path_prefix.as_deref() {
        Some(p) => faults.fail_sequence_matching(p, &sequence),
        None => faults.fail_sequence(&sequence),
    }
    Json(faults.describe()).into_response()
}

async fn get_faults(State(faults): State<Faults>) -> Response {
    Json(faults.describe()).into_response()
}

async fn delete_faults(State(faults): State<Faults>) -> Response {
    faults.clear();
    (StatusCode::NO_CONTENT, Body::empty()).into_response()
}

/// `GET|POST|DELETE /-/sim/faults`, no authentication.
pub(crate) fn control_router(faults: Faults) -> Router {
    Router::new()
        .route(
            "/-/sim/faults",
            get(get_faults).post(post_faults).delete(delete_faults),
        )
        .with_state(faults)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_are_consumed_in_order_and_by_prefix() {
        let f = Faults::default();
        f.fail_next_matching("/api/v2.0", 1, Fault::Garbage);
        f.fail_next(2, Fault::Status(500));
        assert_eq!(f.take("/api/v4/x"), Some(Fault::Status(500)));
        assert_eq!(f.take("/api/v2.0/jobs"), Some(Fault::Garbage));
        assert_eq!(f.take("/api/v2.0/jobs"), Some(Fault::Status(500)));
        assert_eq!(f.take("/api/v4/x"), None);
    }

    #[test]
    fn prefixes_see_the_query_and_exact_paths_ignore_it() {
        let f = Faults::default();
        f.fail_next_matching("/api/v4/x?page=3&", 1, Fault::Garbage);
        f.fail_sequence_exact("/api/v4/x", &[Fault::Status(500)]);
        assert_eq!(f.take("/api/v4/x/1"), None);
        assert_eq!(
            f.take("/api/v4/x?page=2&per_page=100"),
            Some(Fault::Status(500))
        );
        assert_eq!(f.take("/api/v4/x?page=2&per_page=100"), None);
        assert_eq!(
            f.take("/api/v4/x?page=3&per_page=100"),
            Some(Fault::Garbage)
        );
    }

    #[test]
    fn a_sequence_answers_in_order_then_stops() {
        let f = Faults::default();
        f.fail_sequence(&[
            Fault::RateLimitedFor(1),
            Fault::Html(502),
            Fault::Status(500),
        ]);
        assert_eq!(f.take("/a"), Some(Fault::RateLimitedFor(1)));
        assert_eq!(f.take("/b"), Some(Fault::Html(502)));
        assert_eq!(f.take("/c"), Some(Fault::Status(500)));
        assert_eq!(f.take("/d"), None);
    }

    #[test]
    fn clear_keeps_latency() {
        let f = Faults::new(Duration::from_millis(5));
        f.set_delay(Duration::from_millis(10));
        assert_eq!(f.current_delay(), Duration::from_millis(15));
        f.clear();
        assert_eq!(f.current_delay(), Duration::from_millis(5));
    }

    #[test]
    fn control_fault_names() {
        assert_eq!(parse_fault("500", None), Some(Fault::Status(500)));
        assert_eq!(parse_fault("html", None), Some(Fault::Html(502)));
        assert_eq!(parse_fault("html", Some(504)), Some(Fault::Html(504)));
        assert_eq!(parse_fault("429", None), Some(Fault::RateLimited));
        assert_eq!(parse_fault("nope", None), None);
    }
}
