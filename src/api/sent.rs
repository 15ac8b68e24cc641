//! What a change (POST, PUT, PATCH, DELETE) comes back as: the value with the answer's `Meta`,
//! or a `Failure` that keeps the server's `X-Request-Id` when it answered, because failed
//! changes are the audit entries support asks about.

use std::fmt;

use super::error::{self, ApiError, Context};
use super::http::{Meta, Reply};

/// A change that did not go through, with what the audit log needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub error: ApiError,
    /// The server's `X-Request-Id`, when it answered at all.
    pub request_id: Option<String>,
}

impl Failure {
    /// A failure before any answer (or one the client made itself).
    pub fn local(error: ApiError) -> Self {
        Self {
            error,
            request_id: None,
        }
    }
}

impl From<ApiError> for Failure {
    fn from(error: ApiError) -> Self {
        Self::local(error)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.error.fmt(f)
    }
}

/// The value of a change and the answer's status and request id.
pub type Sent<T> = Result<(T, Meta), Failure>;

/// A reply of any status to a change: a success as is, anything else as a `Failure` worded
/// with `cx` that keeps the request id.
pub(crate) fn judge(reply: Reply, cx: &Context<'_>) -> Result<Reply, Failure> {
    if reply.is_success() {
        return Ok(reply);
    }
    Err(Failure {
        error: error::from_response(reply.status, &reply.headers, &reply.body, cx),
        request_id: reply.meta().request_id,
    })
}

/// A success whose body could not be read: still answered, so the request id is kept.
pub(crate) fn unreadable(reply: &Reply, error: ApiError) -> Failure {
    Failure {
        error,
        request_id: reply.meta().request_id,
    }
}
