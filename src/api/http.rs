//! The HTTP plumbing both clients share: building the reqwest client (TLS provider, timeouts,
//! proxies), sending one request with the token, mapping transport failures to `ApiError`, and
//! surfacing deprecation headers. Knows no endpoint; never logs or shows a token; never retries.

use std::collections::HashSet;
use std::net::IpAddr;
use std::sync::{Mutex, Once};
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::{Method, Url};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use tokio::sync::mpsc::UnboundedSender;

use super::error::{self, Api, ApiError};
use super::pagination;
use super::time;
use crate::domain::Deprecation;

#[derive(Debug, Clone)]
pub struct HttpOptions {
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
}

impl Default for HttpOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(20),
        }
    }
}

/// What an audit log wants to know about a successful change besides its result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta {
    pub status: u16,
    /// The server's `X-Request-Id` (GitLab sets it; it ties an action to the server's logs).
    pub request_id: Option<String>,
}

/// One answer, whatever its status, read to the end.
pub(crate) struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn meta(&self) -> Meta {
        Meta {
            status: self.status,
            request_id: error::header_str(&self.headers, "x-request-id"),
        }
    }

    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The body as `T`; a body that is not JSON at all is `NotJson`, wrong JSON is `Decode`.
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        serde_json::from_slice(&self.body)
            .map_err(|e| error::undecodable(self.status, &self.headers, &self.body, &e))
    }
}

static RUSTLS_PROVIDER: Once = Once::new();

fn install_crypto_provider() {
    RUSTLS_PROVIDER.call_once(|| {
        // Err means another part of the program installed one first, which is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// `https://user:secret@host/x` -> `https://***@host/x`: an address is echoed in errors, a
/// credential pasted into it never is.
pub(crate) fn redact_userinfo(url: &str) -> String {
    let Some(start) = url.find("://").map(|i| i + 3) else {
        return url.to_string();
    };
    let rest = &url[start..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{}***{}", &url[..start], &rest[at..]),
        None => url.to_string(),
    }
}

/// Parse and check a server address given by the user.
pub(crate) fn parse_base(base_url: &str) -> Result<Url, ApiError> {
    let trimmed = base_url.trim();
    let bad = |why: &str| ApiError::Config {
        message: format!(
            "invalid server address \"{}\": {why}",
            error::sanitize(&redact_userinfo(trimmed))
        ),
    };
    let url = Url::parse(trimmed).map_err(|e| bad(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("it must start with https:// or http://"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(bad("it has no host name"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad(
            "put the token in the configuration, not in the address",
        ));
    }
    Ok(url)
}

/// 127.0.0.0/8, ::1 and localhost: the simulator and tunnels, never reached through a proxy.
pub(crate) fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = host.parse::<IpAddr>() {
        return ip.is_loopback();
    }
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    host == "localhost" || host.ends_with(".localhost")
}

/// A client and a token for one server.
pub(crate) struct Transport {
    client: reqwest::Client,
    token_header: &'static str,
    token: SecretString,
    api: Api,
    notices: Option<UnboundedSender<Deprecation>>,
    notified: Mutex<HashSet<String>>,
}

impl Transport {
    pub fn new(
        base: &Url,
        token: SecretString,
        token_header: &'static str,
        api: Api,
        opts: &HttpOptions,
        notices: Option<UnboundedSender<Deprecation>>,
    ) -> Result<Self, ApiError> {
        install_crypto_provider();
        // Fail now, not on the first request, when the token cannot go in a header.
        HeaderValue::from_str(token.expose_secret()).map_err(|_| ApiError::Config {
            message: "the token contains characters that cannot be sent in an HTTP header".into(),
        })?;
        let mut builder = reqwest::Client::builder()
            .user_agent(concat!("runnerdeck/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(opts.connect_timeout)
            .timeout(opts.request_timeout);
        if is_loopback(base) {
            builder = builder.no_proxy();
        }
        let client = builder.build().map_err(|e| ApiError::Config {
            message: format!("cannot set up the HTTP client: {}", innermost(&e)),
        })?;
        Ok(Self {
            client,
            token_header,
            token,
            api,
            notices,
            notified: Mutex::new(HashSet::new()),
        })
    }

    pub fn set_notices(&mut self, notices: Option<UnboundedSender<Deprecation>>) {
        self.notices = notices;
    }

    /// Send one request and read the whole answer. `endpoint` names it for deprecation notices
    /// (`POST /api/v2.0/jobs`). Only transport failures are errors here; statuses are the
    /// caller's to judge.
    pub async fn send(
        &self,
        method: Method,
        url: Url,
        endpoint: &str,
        body: Option<&serde_json::Value>,
        extra: &[(&'static str, String)],
    ) -> Result<Reply, ApiError> {
        let mut token =
            HeaderValue::from_str(self.token.expose_secret()).map_err(|_| ApiError::Config {
                message: "the token contains characters that cannot be sent in an HTTP header"
                    .into(),
            })?;
        token.set_sensitive(true);
        let mut req = self
            .client
            .request(method, url.clone())
            .header(self.token_header, token)
            .header(reqwest::header::ACCEPT, "application/json");
        for (name, value) in extra {
            req = req.header(*name, value.as_str());
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        let resp = req.send().await.map_err(|e| transport_error(&e, &url))?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let body = resp
            .bytes()
            .await
            .map_err(|e| transport_error(&e, &url))?
            .to_vec();
        self.notice(endpoint, &headers);
        Ok(Reply {
            status,
            headers,
            body,
        })
    }

    /// Send, then turn a failed status into an `ApiError` worded with `cx`.
    pub async fn call(
        &self,
        method: Method,
        url: Url,
        endpoint: &str,
        body: Option<&serde_json::Value>,
        extra: &[(&'static str, String)],
        cx: &error::Context<'_>,
    ) -> Result<Reply, ApiError> {
        let reply = self.send(method, url, endpoint, body, extra).await?;
        if reply.is_success() {
            Ok(reply)
        } else {
            Err(error::from_response(
                reply.status,
                &reply.headers,
                &reply.body,
                cx,
            ))
        }
    }

    fn notice(&self, endpoint: &str, headers: &HeaderMap) {
        let Some(tx) = &self.notices else { return };
        let Some(notice) = deprecation(self.api, endpoint, headers) else {
            return;
        };
        let first = self
            .notified
            .lock()
            .map(|mut seen| seen.insert(endpoint.to_string()))
            .unwrap_or(true);
        if first {
            // A closed channel only means nobody listens any more.
            let _ = tx.send(notice);
        }
    }
}

/// A `Deprecation` notice when any of `Deprecation`, `Sunset` or `Warning` is present.
pub(crate) fn deprecation(api: Api, endpoint: &str, headers: &HeaderMap) -> Option<Deprecation> {
    let since = error::header_str(headers, "deprecation").map(|v| time::deprecation_date(&v));
    let sunset = error::header_str(headers, "sunset").map(|v| v.trim().to_string());
    let warning = error::header_str(headers, "warning").map(|v| warning_text(&v));
    if since.is_none() && sunset.is_none() && warning.is_none() {
        return None;
    }
    let link = pagination::link_rel(headers, "deprecation");
    Some(Deprecation {
        api: match api {
            Api::GitLab => "GitLab",
            Api::Vehaas => "veHaaS",
        }
        .to_string(),
        endpoint: endpoint.to_string(),
        since,
        sunset,
        warning,
        link,
    })
}

/// `299 - "Deprecated API"` -> `Deprecated API`; anything else as it came.
fn warning_text(v: &str) -> String {
    match (v.find('"'), v.rfind('"')) {
        (Some(a), Some(b)) if b > a + 1 => error::sanitize(&v[a + 1..b]),
        _ => error::sanitize(v),
    }
}

fn transport_error(e: &reqwest::Error, url: &Url) -> ApiError {
    if e.is_timeout() || chain_has_timeout(e) {
        return ApiError::Timeout {
            url_path: url.path().to_string(),
        };
    }
    let host = match (url.host_str(), url.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_string(),
        _ => "the server".to_string(),
    };
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
fn innermost(e: &(dyn std::error::Error + 'static)) -> String {
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

#[cfg(test)]
mod tests {
    #[test]
    fn a_credential_in_an_address_is_never_echoed() {
        let e = super::parse_base("https://oauth2:glpat-SECRET123@gitlab.example.com")
            .expect_err("refused");
        let text = e.to_string();
        assert!(!text.contains("SECRET123"), "{text}");
        assert!(!text.contains("oauth2"), "{text}");
        assert!(text.contains("https://***@gitlab.example.com"), "{text}");
        assert_eq!(super::redact_userinfo("https://h/x@y"), "https://h/x@y");
        assert_eq!(super::redact_userinfo("not a url"), "not a url");
    }

    use super::*;

    #[test]
    fn loopback_hosts_skip_the_proxy() {
        for (url, want) in [
            ("http://127.0.0.1:8080", true),
            ("http://127.1.2.3", true),
            ("http://[::1]:9000/", true),
            ("http://localhost:3000", true),
            ("http://LOCALHOST.", true),
            ("http://app.localhost", true),
            ("https://gitlab.example.com", false),
            ("https://10.0.0.1", false),
            ("https://[::2]", false),
        ] {
            let u = Url::parse(url).expect("url");
            assert_eq!(is_loopback(&u), want, "{url}");
        }
    }

    #[test]
    fn deprecation_headers_become_a_notice() {
        let mut h = HeaderMap::new();
        assert_eq!(deprecation(Api::Vehaas, "POST /api/v2.0/jobs", &h), None);
        h.insert("deprecation", HeaderValue::from_static("@1767225600"));
        h.insert(
            "sunset",
            HeaderValue::from_static("Wed, 30 Jun 2027 00:00:00 GMT"),
        );
        h.insert(
            "warning",
            HeaderValue::from_static("299 - \"Use the v3 API\""),
        );
        h.insert(
            "link",
            HeaderValue::from_static("<https://v.example/docs>; rel=\"deprecation\""),
        );
        let n = deprecation(Api::Vehaas, "POST /api/v2.0/jobs", &h).expect("notice");
        assert_eq!(
            n,
            Deprecation {
                api: "veHaaS".into(),
                endpoint: "POST /api/v2.0/jobs".into(),
                since: Some("2026-01-01".into()),
                sunset: Some("Wed, 30 Jun 2027 00:00:00 GMT".into()),
                warning: Some("Use the v3 API".into()),
                link: Some("https://v.example/docs".into()),
            }
        );
        let mut only_warning = HeaderMap::new();
        only_warning.insert("warning", HeaderValue::from_static("deprecated soon"));
        let n = deprecation(Api::GitLab, "GET /api/v4/user", &only_warning).expect("notice");
        assert_eq!(
            (n.api.as_str(), n.warning.as_deref()),
            ("GitLab", Some("deprecated soon"))
        );
    }
}
