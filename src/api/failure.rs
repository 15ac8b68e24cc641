//! A request that got no answer, as an `ApiError` in plain words: timeouts, refused or broken
//! connections, unresolvable names, TLS failures. Never echoes a URL's credentials (reqwest
//! puts the URL in its own messages, so only the innermost cause is used).

use reqwest::Url;

use super::error::{self, Api, ApiError};
use super::tls::{self, TlsOptions};

/// A request that got no (complete) answer. A TLS failure is told with its fix, whatever
/// stage it broke at (a refused client certificate shows up only when the answer is read).
pub(crate) fn transport_error(
    e: &reqwest::Error,
    url: &Url,
    tls: &TlsOptions,
    api: Api,
) -> ApiError {
    let host = match (url.host_str(), url.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_string(),
        _ => "the server".to_string(),
    };
    if let Some(message) = tls::explain(e, url.host_str().unwrap_or("the server"), tls, api) {
        return ApiError::Tls { host, message };
    }
    if e.is_timeout() || chain_has_timeout(e) {
        return ApiError::Timeout {
            url_path: url.path().to_string(),
        };
    }
    if e.is_connect() {
        ApiError::Connect {
            host,
            message: innermost(e),
        }
    } else {
        // Sent, then the connection broke (reset, closed mid-answer).
        ApiError::Interrupted {
            host,
            message: innermost(e),
        }
    }
}

fn chain_has_timeout(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut cur = Some(e);
    while let Some(err) = cur {
        if let Some(io) = err.downcast_ref::<std::io::Error>()
            && io.kind() == std::io::ErrorKind::TimedOut
        {
            return true;
        }
        cur = err.source();
    }
    false
}

/// The most specific cause in plain words; never the URL (reqwest puts it in its own message).
pub(crate) fn innermost(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cur: &(dyn std::error::Error + 'static) = e;
    loop {
        if let Some(io) = cur.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind as K;
            let plain = match io.kind() {
                K::ConnectionRefused => {
                    "connection refused (is the server running, and the port right?)"
                }
                K::ConnectionReset => "the connection was reset",
                K::ConnectionAborted => "the connection was aborted",
                K::TimedOut => "the connection timed out",
                K::NotConnected | K::AddrNotAvailable => "the address is not reachable",
                _ => "",
            };
            if !plain.is_empty() {
                return plain.to_string();
            }
        }
        match cur.source() {
            Some(next) => cur = next,
            None => break,
        }
    }
    let text = error::sanitize(&cur.to_string());
    if text.contains("dns error") || text.contains("failed to lookup") {
        format!("the host name could not be resolved ({text})")
    } else {
        text
    }
}
