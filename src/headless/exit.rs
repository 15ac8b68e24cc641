//! How a scripting verb ends: the exit codes (one per class of failure), the `kind` word of each
//! class, and the error a verb fails with, written on stderr as a sentence (table output) or as
//! one JSON object on one line (`-o json`): `{"error": {"kind", "status", "message"}}`.

use serde_json::{Value, json};

use crate::api::ApiError;
use crate::cli::Output;
use crate::ops::{OpError, Refusal};

pub const EXIT_OK: u8 = 0;
/// A command line or a configuration that cannot work (also: a change not confirmed).
pub const EXIT_USAGE: u8 = 1;
/// The server failed, answered something unreadable, or could not be reached.
pub const EXIT_API: u8 = 2;
/// 401 or 403, or an instance without the licence: the token may not do this here.
pub const EXIT_AUTH: u8 = 3;
pub const EXIT_NOT_FOUND: u8 = 4;
/// Refused by the server (400, 409, 412, 422) or by a rule of ours before anything was sent.
pub const EXIT_REFUSED: u8 = 5;
/// `rc lint` found something (its findings are the output, not an error).
pub const EXIT_FINDINGS: u8 = 6;
/// Stopped by ctrl-c.
pub const EXIT_INTERRUPTED: u8 = 130;

/// The class of a failure; `as_str` is the `kind` of the JSON error object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Usage,
    Config,
    Network,
    Server,
    Unauthorized,
    Forbidden,
    NotLicensed,
    NotFound,
    Refused,
    Findings,
    Interrupted,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Usage => "usage",
            Self::Config => "config",
            Self::Network => "network",
            Self::Server => "server",
            Self::Unauthorized => "unauthorized",
            Self::Forbidden => "forbidden",
            Self::NotLicensed => "not_licensed",
            Self::NotFound => "not_found",
            Self::Refused => "refused",
            Self::Findings => "findings",
            Self::Interrupted => "interrupted",
        }
    }

    pub fn exit_code(self) -> u8 {
        match self {
            Self::Usage | Self::Config => EXIT_USAGE,
            Self::Network | Self::Server => EXIT_API,
            Self::Unauthorized | Self::Forbidden | Self::NotLicensed => EXIT_AUTH,
            Self::NotFound => EXIT_NOT_FOUND,
            Self::Refused => EXIT_REFUSED,
            Self::Findings => EXIT_FINDINGS,
            Self::Interrupted => EXIT_INTERRUPTED,
        }
    }

    /// The class of an HTTP status that `ApiError` keeps only as a number.
    fn of_status(status: u16) -> Self {
        match status {
            401 => Self::Unauthorized,
            403 => Self::Forbidden,
            404 => Self::NotFound,
            400 | 409 | 412 | 422 => Self::Refused,
            _ => Self::Server,
        }
    }

    pub fn of_api(e: &ApiError) -> Self {
        match e {
            ApiError::Unauthorized { .. } => Self::Unauthorized,
            ApiError::Forbidden { .. } => Self::Forbidden,
            ApiError::NotLicensed => Self::NotLicensed,
            ApiError::NotFound { .. } => Self::NotFound,
            ApiError::BadRequest { .. }
            | ApiError::Conflict { .. }
            | ApiError::Unprocessable { .. }
            | ApiError::PreconditionFailed { .. } => Self::Refused,
            ApiError::Timeout { .. }
            | ApiError::Connect { .. }
            | ApiError::Interrupted { .. }
            | ApiError::Tls { .. } => Self::Network,
            ApiError::Config { .. } => Self::Config,
            ApiError::Http { status, .. } => Self::of_status(*status),
            ApiError::RateLimited { .. }
            | ApiError::Server { .. }
            | ApiError::NotJson { .. }
            | ApiError::Decode { .. }
            | ApiError::TooLarge { .. }
            | ApiError::Redirect { .. } => Self::Server,
        }
    }
}

/// Why a verb failed: what the user reads, and what a script reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError {
    pub kind: Kind,
    /// The server's HTTP status, when it answered one.
    pub status: Option<u16>,
    pub message: String,
    /// What was done before the failure, when a verb makes several changes (`--runner 1,2,3`).
    pub done: Option<Value>,
}

impl CliError {
    pub fn new(kind: Kind, message: impl Into<String>) -> Self {
        Self {
            kind,
            status: None,
            message: message.into(),
            done: None,
        }
    }

    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(Kind::Usage, message)
    }

    pub fn config(message: impl Into<String>) -> Self {
        Self::new(Kind::Config, message)
    }

    pub fn api(e: &ApiError) -> Self {
        Self {
            status: e.status(),
            ..Self::new(Kind::of_api(e), e.to_string())
        }
    }

    pub fn op(e: &OpError) -> Self {
        match e {
            OpError::Api(f) => Self::api(&f.error),
            OpError::Refused(r) => {
                let kind = match r {
                    Refusal::NoVehaas => Kind::Config,
                    // The session is not there to change: as good as a 404.
                    Refusal::SessionNotListed(_) => Kind::NotFound,
                    _ => Kind::Refused,
                };
                Self::new(kind, crate::ui::words::refusal(r))
            }
            OpError::ChangedElsewhere { server } => Self::new(
                Kind::Refused,
                format!(
                    "runner controller {} changed on the server meanwhile; nothing was sent: look at it again (`runnerdeck rc get {}`)",
                    server.id, server.id
                ),
            ),
        }
    }

    pub fn with_done(mut self, done: Value) -> Self {
        self.done = Some(done);
        self
    }

    pub fn exit_code(&self) -> u8 {
        self.kind.exit_code()
    }

    /// The object written on stderr with `-o json`.
    pub fn json(&self) -> Value {
        let mut error = json!({
            "kind": self.kind.as_str(),
            "status": self.status,
            "message": self.message,
        });
        if let (Some(done), Some(map)) = (&self.done, error.as_object_mut()) {
            map.insert("done".into(), done.clone());
        }
        json!({ "error": error })
    }

    /// Says it on stderr (a sentence, or the JSON object on one line); the exit code.
    pub fn report(&self, output: Output) -> u8 {
        match output {
            Output::Json => eprintln!("{}", self.json()),
            Output::Table => eprintln!("runnerdeck: {}", self.message),
        }
        self.exit_code()
    }
}

impl From<&ApiError> for CliError {
    fn from(e: &ApiError) -> Self {
        Self::api(e)
    }
}

impl From<ApiError> for CliError {
    fn from(e: ApiError) -> Self {
        Self::api(&e)
    }
}

impl From<OpError> for CliError {
    fn from(e: OpError) -> Self {
        Self::op(&e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_class_has_its_code_and_kind() {
        let cases = [
            (
                ApiError::Unauthorized {
                    message: String::new(),
                },
                3,
                "unauthorized",
            ),
            (
                ApiError::Forbidden {
                    message: String::new(),
                },
                3,
                "forbidden",
            ),
            (ApiError::NotLicensed, 3, "not_licensed"),
            (
                ApiError::NotFound {
                    what: "x".into(),
                    message: String::new(),
                },
                4,
                "not_found",
            ),
            (
                ApiError::Conflict {
                    message: String::new(),
                },
                5,
                "refused",
            ),
            (
                ApiError::PreconditionFailed {
                    message: String::new(),
                },
                5,
                "refused",
            ),
            (
                ApiError::Timeout {
                    url_path: "/".into(),
                },
                2,
                "network",
            ),
            (
                ApiError::Server {
                    status: 502,
                    message: String::new(),
                },
                2,
                "server",
            ),
            (
                ApiError::Http {
                    status: 403,
                    message: String::new(),
                },
                3,
                "forbidden",
            ),
            (
                ApiError::Config {
                    message: String::new(),
                },
                1,
                "config",
            ),
        ];
        for (e, code, kind) in cases {
            let c = CliError::api(&e);
            assert_eq!((c.exit_code(), c.kind.as_str()), (code, kind), "{e:?}");
            assert_eq!(c.status, e.status());
        }
        let refused = CliError::op(&OpError::Refused(Refusal::HasInstanceScope));
        assert_eq!((refused.exit_code(), refused.status), (5, None));
    }

    #[test]
    fn the_json_object_has_kind_status_message() {
        let e = CliError::api(&ApiError::NotFound {
            what: "runner controller 9".into(),
            message: String::new(),
        });
        let v = e.json();
        assert_eq!(v["error"]["kind"], "not_found");
        assert_eq!(v["error"]["status"], 404);
        assert!(
            v["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("controller 9"))
        );
        assert!(v["error"].get("done").is_none());
        let partial = CliError::usage("x").with_done(json!([1, 2]));
        assert_eq!(partial.json()["error"]["done"], json!([1, 2]));
        assert_eq!(partial.json()["error"]["status"], Value::Null);
    }
}
