//! When a read is worth asking again and how long to wait first: exponential backoff with
//! jitter, the server's `Retry-After` / `RateLimit-Reset` honoured, all within a budget.
//! Pure decisions (no clock of its own, no I/O); `Transport` does the waiting, for GET only.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;
use reqwest::header::HeaderMap;

use super::error::{ApiError, header_str};

/// How reads are retried. Changes (POST, PUT, DELETE, PATCH) never are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0: none).
    pub max_retries: u32,
    /// The first wait; each further one doubles, then jitter takes up to half of it away.
    pub base_delay: Duration,
    /// Time from the first attempt past which no retry starts (a longer `Retry-After` ends it).
    pub budget: Duration,
}

impl RetryPolicy {
    /// One attempt, as a library caller (and a test) expects by default.
    pub const fn none() -> Self {
        Self {
            max_retries: 0,
            base_delay: Duration::ZERO,
            budget: Duration::ZERO,
        }
    }

    /// The program's: 3 retries, from 0.5 s, within 30 s.
    pub const fn standard() -> Self {
        Self {
            max_retries: 3,
            base_delay: Duration::from_millis(500),
            budget: Duration::from_secs(30),
        }
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self::none()
    }
}

/// What made a read worth asking again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryReason {
    /// 429, 500, 502, 503 or 504.
    Status(u16),
    Timeout,
    /// Refused, reset or broken before the answer was complete.
    Connection,
}

impl fmt::Display for RetryReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Status(s) => write!(f, "{s}"),
            Self::Timeout => f.write_str("timeout"),
            Self::Connection => f.write_str("connection"),
        }
    }
}

/// Told to the observer before each wait: "retrying in 2 s (429)".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryNotice {
    /// `GET /api/v4/runner_controllers`.
    pub endpoint: String,
    /// Which retry this is: 1 for the first.
    pub attempt: u32,
    pub wait: Duration,
    pub reason: RetryReason,
}

impl fmt::Display for RetryNotice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tenths = (self.wait.as_secs_f64() * 10.0).round();
        if tenths % 10.0 == 0.0 || tenths >= 100.0 {
            write!(f, "retrying in {:.0} s ({})", tenths / 10.0, self.reason)
        } else {
            write!(f, "retrying in {:.1} s ({})", tenths / 10.0, self.reason)
        }
    }
}

/// Called before each wait; cheap and non-blocking (it runs on the request's task).
pub type RetryObserver = Arc<dyn Fn(RetryNotice) + Send + Sync>;

/// Whether this outcome of a read is worth another attempt.
pub(crate) fn reason(status: Option<u16>, error: Option<&ApiError>) -> Option<RetryReason> {
    if let Some(e) = error {
        return match e {
            ApiError::Timeout { .. } => Some(RetryReason::Timeout),
            ApiError::Connect { .. } | ApiError::Interrupted { .. } => {
                Some(RetryReason::Connection)
            }
            _ => None,
        };
    }
    status
        .filter(|s| matches!(s, 429 | 500 | 502 | 503 | 504))
        .map(RetryReason::Status)
}

/// How long the server asks us to wait: `Retry-After` (seconds or an HTTP date), else
/// `RateLimit-Reset` (epoch seconds; GitLab's). A time in the past is no wait.
pub(crate) fn server_wait(headers: &HeaderMap, now: Timestamp) -> Option<Duration> {
    let until = |t: Timestamp| {
        let d = t.duration_since(now);
        Duration::try_from(d).unwrap_or(Duration::ZERO)
    };
    if let Some(v) = header_str(headers, "retry-after") {
        let v = v.trim();
        if let Ok(secs) = v.parse::<u64>() {
            return Some(Duration::from_secs(secs));
        }
        if let Ok(z) = jiff::fmt::rfc2822::parse(v) {
            return Some(until(z.timestamp()));
        }
    }
    let reset = header_str(headers, "ratelimit-reset")?;
    let at = Timestamp::from_second(reset.trim().parse::<i64>().ok()?).ok()?;
    Some(until(at))
}

/// The wait before retry number `done + 1`, or `None` when the retrying ends here: retries
/// used up, or the wait would end past the budget (the caller then keeps the last answer).
pub(crate) fn next_wait(
    policy: &RetryPolicy,
    done: u32,
    elapsed: Duration,
    server: Option<Duration>,
    jitter: f64,
) -> Option<Duration> {
    if done >= policy.max_retries {
        return None;
    }
    let wait = server.unwrap_or_else(|| backoff(policy.base_delay, done, jitter));
    (elapsed.saturating_add(wait) <= policy.budget).then_some(wait)
}

/// `base * 2^done`, of which jitter (0..1) takes up to half: waits of many clients spread out.
fn backoff(base: Duration, done: u32, jitter: f64) -> Duration {
    let full = base.saturating_mul(1u32 << done.min(16));
    full.mul_f64(1.0 - 0.5 * jitter.clamp(0.0, 1.0))
}

/// A number in 0..1 that differs from call to call (std's randomly keyed hasher; no crate).
pub(crate) fn jitter() -> f64 {
    use std::hash::BuildHasher;
    let h = std::collections::hash_map::RandomState::new().hash_one(std::time::Instant::now());
    (h >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).expect("header"));
        }
        h
    }

    #[test]
    fn the_server_says_how_long_in_seconds_a_date_or_a_reset_time() {
        let now: Timestamp = "2026-03-01T10:00:00Z".parse().expect("ts");
        let w = |pairs: &[(&'static str, &str)]| server_wait(&headers(pairs), now);
        assert_eq!(w(&[("retry-after", "7")]), Some(Duration::from_secs(7)));
        assert_eq!(
            w(&[("retry-after", "Sun, 01 Mar 2026 10:00:12 GMT")]),
            Some(Duration::from_secs(12))
        );
        assert_eq!(
            w(&[("retry-after", "Sun, 01 Mar 2026 09:00:00 GMT")]),
            Some(Duration::ZERO)
        );
        let reset = (now.as_second() + 4).to_string();
        assert_eq!(
            w(&[("ratelimit-reset", &reset)]),
            Some(Duration::from_secs(4))
        );
        // Retry-After wins over RateLimit-Reset; junk is no advice.
        assert_eq!(
            w(&[("retry-after", "2"), ("ratelimit-reset", &reset)]),
            Some(Duration::from_secs(2))
        );
        assert_eq!(w(&[("retry-after", "soon")]), None);
        assert_eq!(w(&[]), None);
    }

    #[test]
    fn waits_double_with_jitter_and_stop_at_the_budget() {
        let p = RetryPolicy::standard();
        let ms = Duration::from_millis;
        assert_eq!(next_wait(&p, 0, ms(0), None, 0.0), Some(ms(500)));
        assert_eq!(next_wait(&p, 1, ms(0), None, 0.0), Some(ms(1000)));
        assert_eq!(next_wait(&p, 2, ms(0), None, 1.0), Some(ms(1000)));
        assert_eq!(
            next_wait(&p, 3, ms(0), None, 0.0),
            None,
            "3 retries at most"
        );
        let server = Some(Duration::from_secs(20));
        assert_eq!(next_wait(&p, 0, ms(0), server, 0.5), server);
        assert_eq!(
            next_wait(&p, 0, Duration::from_secs(11), server, 0.5),
            None,
            "past the budget: the server's answer stands"
        );
        assert_eq!(next_wait(&RetryPolicy::none(), 0, ms(0), None, 0.0), None);
        let j = jitter();
        assert!((0.0..1.0).contains(&j), "{j}");
    }

    #[test]
    fn only_overload_and_network_trouble_is_retried() {
        for s in [429, 500, 502, 503, 504] {
            assert_eq!(reason(Some(s), None), Some(RetryReason::Status(s)));
        }
        for s in [200, 400, 401, 403, 404, 409, 412, 501] {
            assert_eq!(reason(Some(s), None), None, "{s}");
        }
        let timeout = ApiError::Timeout {
            url_path: "/x".into(),
        };
        assert_eq!(reason(None, Some(&timeout)), Some(RetryReason::Timeout));
        let refused = ApiError::Connect {
            host: "h".into(),
            message: "refused".into(),
        };
        assert_eq!(reason(None, Some(&refused)), Some(RetryReason::Connection));
        let tls = ApiError::Tls {
            host: "h".into(),
            message: "untrusted".into(),
        };
        assert_eq!(
            reason(None, Some(&tls)),
            None,
            "a certificate does not heal"
        );
        let notice = RetryNotice {
            endpoint: "GET /api/v4/user".into(),
            attempt: 1,
            wait: Duration::from_secs(2),
            reason: RetryReason::Status(429),
        };
        assert_eq!(notice.to_string(), "retrying in 2 s (429)");
        let soon = RetryNotice {
            wait: Duration::from_millis(450),
            reason: RetryReason::Connection,
            ..notice
        };
        assert_eq!(soon.to_string(), "retrying in 0.5 s (connection)");
    }
}
