//! HTTP clients for GitLab runner controllers and veHaaS: they speak each server's JSON and
//! hand back domain types and a typed `ApiError`. They never touch UI state, never import
//! ratatui, and never log or show a token.

#[cfg(test)]
mod decode_props;
pub mod error;
#[cfg(test)]
mod error_tests;
mod failure;
pub mod gitlab;
mod gitlab_audit;
mod gitlab_dto;
pub mod gitlab_instance;
mod gitlab_runners;
mod gitlab_tokens;
pub mod http;
mod lenient;
mod page_fetch;
pub(crate) mod pagination;
pub mod retry;
pub mod sent;
pub mod time;
pub mod tls;
pub mod vehaas;
mod vehaas_dto;

pub use error::ApiError;
pub use gitlab::GitLab;
pub(crate) use gitlab_tokens::token_body;
pub use http::{HttpOptions, Meta};
pub use retry::{RetryNotice, RetryObserver, RetryPolicy, RetryReason};
pub use sent::{Failure, Sent};
pub use tls::{Insecurity, TlsOptions};
pub use vehaas::{Vehaas, VehaasPaths};
pub(crate) use vehaas_dto::runner_request_body;
