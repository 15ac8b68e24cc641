//! The HTTP plumbing both clients share: building the reqwest client (TLS, timeouts, proxies,
//! redirects that stay on the server), sending a request with the token (reads retried, bodies
//! capped) and surfacing deprecation headers. Knows no endpoint; never logs or shows a token.

use std::collections::HashSet;
use std::net::IpAddr;
use std::sync::{Mutex, Once};
use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::{Method, Url};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use tokio::sync::mpsc::UnboundedSender;

use super::error::{self, Api, ApiError};
use super::retry::{self, RetryNotice, RetryObserver, RetryPolicy};
use super::tls::{self, Insecurity, TlsOptions};
use super::{failure, pagination, time};
use crate::domain::Deprecation;

/// How one client talks to its server. `Default` is one attempt per call and no TLS extras;
/// the program's settings come from the config (`HttpConfig::options_for`), which retries reads.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    pub connect_timeout: Duration,
    /// Per attempt.
    pub request_timeout: Duration,
    /// A larger answer is `ApiError::TooLarge`.
    pub max_body_bytes: u64,
    pub retry: RetryPolicy,
    pub tls: TlsOptions,
}

impl Default for HttpOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(20),
            max_body_bytes: 32 * 1024 * 1024,
            retry: RetryPolicy::none(),
            tls: TlsOptions::default(),
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
    retry: RetryPolicy,
    /// Told before each retry; set after the client is shared, so behind a lock (read rarely).
    observer: std::sync::Mutex<Option<RetryObserver>>,
    max_body_bytes: u64,
    tls: TlsOptions,
    insecurity: Option<Insecurity>,
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
        token_value(&token)?;
        tls::check_plain_http(base, &opts.tls, api)?;
        let mut builder = reqwest::Client::builder()
            .user_agent(concat!("runnerdeck/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(opts.connect_timeout)
            .timeout(opts.request_timeout)
            .redirect(same_server_only());
        if is_loopback(base) {
            builder = builder.no_proxy();
            if base.scheme() == "http" {
                // Plain HTTP on this machine never makes a TLS connection (redirects keep the
                // scheme, no proxy): loading the system's ~150 roots (2 ms a client) is waste.
                builder = builder.tls_certs_only(std::iter::empty());
            }
        }
        builder = tls::configure(builder, &opts.tls, api)?;
        let client = builder.build().map_err(|e| ApiError::Config {
            message: format!(
                "cannot set up the HTTP client for [{}]: {}",
                opts.tls.table(api),
                failure::innermost(&e)
            ),
        })?;
        Ok(Self {
            client,
            token_header,
            token,
            api,
            notices,
            notified: Mutex::new(HashSet::new()),
            retry: opts.retry.clone(),
            observer: std::sync::Mutex::new(None),
            max_body_bytes: opts.max_body_bytes,
            tls: opts.tls.clone(),
            insecurity: tls::insecurity(base, &opts.tls),
        })
    }

    pub fn set_notices(&mut self, notices: Option<UnboundedSender<Deprecation>>) {
        self.notices = notices;
    }

    pub fn set_retry_observer(&self, observer: RetryObserver) {
        *self.observer.lock().unwrap_or_else(|e| e.into_inner()) = Some(observer);
    }

    /// What makes this connection readable by others, if anything.
    pub fn insecurity(&self) -> Option<Insecurity> {
        self.insecurity
    }

    /// Send one request and read the whole answer; a GET is asked again on overload or network
    /// trouble (see `retry`), anything else goes exactly once. `endpoint` names it for notices
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
        let started = Instant::now();
        let mut done = 0;
        loop {
            let outcome = self
                .send_once(method.clone(), &url, endpoint, body, extra)
                .await;
            if method != Method::GET {
                return outcome;
            }
            let (status, error) = match &outcome {
                Ok(r) => (Some(r.status), None),
                Err(e) => (None, Some(e)),
            };
            let Some(reason) = retry::reason(status, error) else {
                return outcome;
            };
            let server = outcome
                .as_ref()
                .ok()
                .and_then(|r| retry::server_wait(&r.headers, jiff::Timestamp::now()));
            let next = retry::next_wait(
                &self.retry,
                done,
                started.elapsed(),
                server,
                retry::jitter(),
            );
            let Some(wait) = next else {
                return outcome;
            };
            done += 1;
            tracing::info!("{endpoint}: retry {done} in {wait:?} ({reason})");
            let observer = self
                .observer
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .clone();
            if let Some(observe) = observer {
                observe(RetryNotice {
                    endpoint: endpoint.to_string(),
                    attempt: done,
                    wait,
                    reason,
                });
            }
            tokio::time::sleep(wait).await;
        }
    }

    async fn send_once(
        &self,
        method: Method,
        url: &Url,
        endpoint: &str,
        body: Option<&serde_json::Value>,
        extra: &[(&'static str, String)],
    ) -> Result<Reply, ApiError> {
        let mut req = self
            .client
            .request(method, url.clone())
            .header(self.token_header, token_value(&self.token)?)
            .header(reqwest::header::ACCEPT, "application/json");
        for (name, value) in extra {
            req = req.header(*name, value.as_str());
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        let failed = |e: reqwest::Error| failure::transport_error(&e, url, &self.tls, self.api);
        let mut resp = req.send().await.map_err(failed)?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        self.notice(endpoint, &headers);
        let too_large = || ApiError::TooLarge {
            status,
            limit_mib: self.max_body_bytes.div_ceil(1024 * 1024),
        };
        // Read as it comes, so a huge answer costs at most the limit in memory.
        if resp
            .content_length()
            .is_some_and(|n| n > self.max_body_bytes)
        {
            return Err(too_large());
        }
        let mut body = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(failed)? {
            if (body.len() + chunk.len()) as u64 > self.max_body_bytes {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
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

/// The token as a header value reqwest keeps out of its debug output.
fn token_value(token: &SecretString) -> Result<HeaderValue, ApiError> {
    let mut v = HeaderValue::from_str(token.expose_secret()).map_err(|_| ApiError::Config {
        message: "the token contains characters that cannot be sent in an HTTP header".into(),
    })?;
    v.set_sensitive(true);
    Ok(v)
}

/// Follow a redirect only to the same scheme, host and port: the token header is our own
/// (`PRIVATE-TOKEN`), which reqwest would carry to any host. Anything else comes back as the
/// 3xx answer itself (`ApiError::Redirect`).
fn same_server_only() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same = attempt
            .previous()
            .first()
            .is_some_and(|first| first.origin() == attempt.url().origin());
        if attempt.previous().len() > 10 {
            attempt.error("more than 10 redirects")
        } else if same {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
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
