//! Transport security of one service: extra CA certificates, a client certificate, the escape
//! hatches (`insecure_skip_verify`, `allow_insecure_http`) and what they cost, and certificate
//! failures worded as the fix. Never sends a token anywhere: it only configures and explains.

use std::fmt;
use std::path::{Path, PathBuf};

use reqwest::Url;
use rustls::{AlertDescription, CertificateError};

use super::error::{Api, ApiError, sanitize};
use super::http::is_loopback;

/// The TLS keys of one service table (`[gitlab]`, `[vehaas]`, `[contexts.NAME.gitlab]` ...).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TlsOptions {
    /// The table these came from (`contexts.staging.gitlab`), named in errors; `None` names the
    /// service's own table (`gitlab` or `vehaas`).
    pub table: Option<String>,
    /// PEM file of one or more CA certificates, trusted in addition to the system's.
    pub ca_cert: Option<PathBuf>,
    /// PEM certificate (and chain) and its private key, for servers that want mutual TLS.
    pub client_cert: Option<PathBuf>,
    pub client_key: Option<PathBuf>,
    /// Accept any certificate: anyone on the path can read the token.
    pub insecure_skip_verify: bool,
    /// Allow `http://` to a host that is not this machine: the token travels in clear text.
    pub allow_insecure_http: bool,
}

impl TlsOptions {
    /// The config table to name in a message.
    pub(crate) fn table(&self, api: Api) -> &str {
        self.table.as_deref().unwrap_or(match api {
            Api::GitLab => "gitlab",
            Api::Vehaas => "vehaas",
        })
    }
}

/// Why the token may be read by someone on the network: the UI shows a red INSECURE badge,
/// doctor a warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Insecurity {
    /// `insecure_skip_verify = true`: any certificate is accepted.
    SkipVerify,
    /// `allow_insecure_http = true` with an `http://` address off this machine.
    PlainHttp,
}

impl fmt::Display for Insecurity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::SkipVerify => "certificates are not verified (insecure_skip_verify = true)",
            Self::PlainHttp => {
                "plain HTTP: the token travels unencrypted (allow_insecure_http = true)"
            }
        })
    }
}

/// What applies to this address with these options (`None`: nothing to warn about).
pub(crate) fn insecurity(base: &Url, opts: &TlsOptions) -> Option<Insecurity> {
    match base.scheme() {
        "http" if !is_loopback(base) => Some(Insecurity::PlainHttp),
        "https" if opts.insecure_skip_verify => Some(Insecurity::SkipVerify),
        _ => None,
    }
}

/// The token never goes over plain HTTP to another machine unless the table says so.
pub(crate) fn check_plain_http(base: &Url, opts: &TlsOptions, api: Api) -> Result<(), ApiError> {
    if base.scheme() != "http" || is_loopback(base) || opts.allow_insecure_http {
        return Ok(());
    }
    let host = base.host_str().unwrap_or_default();
    Err(ApiError::Config {
        message: format!(
            "refusing to send the token in clear text to http://{host}: use https:// in the url of [{table}], or if you really must, set allow_insecure_http = true in [{table}]",
            table = opts.table(api)
        ),
    })
}

/// The reqwest builder with this table's CA certificates, client certificate and verification.
pub(crate) fn configure(
    mut builder: reqwest::ClientBuilder,
    opts: &TlsOptions,
    api: Api,
) -> Result<reqwest::ClientBuilder, ApiError> {
    let table = opts.table(api);
    let bad = |message: String| ApiError::Config { message };
    if let Some(path) = &opts.ca_cert {
        let pem = read(path, "ca_cert", table)?;
        let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
            bad(format!(
                "ca_cert {} in [{table}] is not a PEM certificate file: {}",
                path.display(),
                sanitize(&e.to_string())
            ))
        })?;
        if certs.is_empty() {
            return Err(bad(format!(
                "ca_cert {} in [{table}] holds no certificate: it must be PEM (-----BEGIN CERTIFICATE-----)",
                path.display()
            )));
        }
        builder = builder.tls_certs_merge(certs);
    }
    if let (Some(cert), Some(key)) = (&opts.client_cert, &opts.client_key) {
        let mut pem = read(cert, "client_cert", table)?;
        pem.push(b'\n');
        pem.extend(read(key, "client_key", table)?);
        let identity = reqwest::Identity::from_pem(&pem).map_err(|_| {
            bad(format!(
                "client_cert {} and client_key {} in [{table}] are not a PEM certificate and its private key",
                cert.display(),
                key.display()
            ))
        })?;
        builder = builder.identity(identity);
    }
    if opts.insecure_skip_verify {
        builder = builder.tls_danger_accept_invalid_certs(true);
    }
    Ok(builder)
}

fn read(path: &Path, key: &str, table: &str) -> Result<Vec<u8>, ApiError> {
    std::fs::read(path).map_err(|e| ApiError::Config {
        message: format!("cannot read {key} {} in [{table}]: {e}", path.display()),
    })
}

/// A TLS failure anywhere in `e`'s causes, in plain words with the fix; `None` when it is not
/// about TLS.
pub(crate) fn explain(
    e: &(dyn std::error::Error + 'static),
    host: &str,
    opts: &TlsOptions,
    api: Api,
) -> Option<String> {
    let tls = find_rustls(e)?;
    let table = opts.table(api);
    let cert = |what: &str| format!("the certificate of {host} {what}");
    Some(match tls {
        rustls::Error::InvalidCertificate(c) => match c {
            CertificateError::UnknownIssuer => match &opts.ca_cert {
                None => cert(&format!(
                    "is signed by an authority this machine does not trust: set ca_cert = \"/path/to/ca.pem\" in [{table}] (the PEM certificate of the authority that signed it)"
                )),
                Some(ca) => cert(&format!(
                    "is signed by an authority that neither this machine nor ca_cert ({}) trusts: ca_cert in [{table}] must hold the certificate of the authority that signed it",
                    ca.display()
                )),
            },
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => cert(
                "has expired: the server's administrator must renew it (or this machine's clock is wrong)",
            ),
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
                cert("is not valid yet: check this machine's clock")
            }
            CertificateError::NotValidForName => cert(&format!(
                "is for another host name: use the name the certificate is for in the url of [{table}]"
            )),
            CertificateError::NotValidForNameContext { presented, .. } => cert(&format!(
                "is for another host name ({}): use that name in the url of [{table}]",
                names(presented)
            )),
            CertificateError::Revoked => cert("has been revoked"),
            other => cert(&format!(
                "was refused ({}): ask the server's administrator",
                sanitize(&format!("{other:?}"))
            )),
        },
        rustls::Error::AlertReceived(alert) => client_cert_refused(*alert, host, opts, table),
        rustls::Error::InvalidMessage(_) | rustls::Error::InappropriateMessage { .. } => format!(
            "{host} does not answer in TLS: check the url of [{table}] (http:// or https://, and the port)"
        ),
        other => format!(
            "the TLS connection to {host} failed: {}",
            sanitize(&other.to_string())
        ),
    })
}

/// The server ended the handshake: mostly about the client certificate, missing or refused.
fn client_cert_refused(
    alert: AlertDescription,
    host: &str,
    opts: &TlsOptions,
    table: &str,
) -> String {
    let about_cert = matches!(
        alert,
        AlertDescription::CertificateRequired
            | AlertDescription::BadCertificate
            | AlertDescription::UnknownCA
            | AlertDescription::CertificateUnknown
            | AlertDescription::CertificateExpired
            | AlertDescription::CertificateRevoked
            | AlertDescription::AccessDenied
            | AlertDescription::HandshakeFailure
    );
    match (&opts.client_cert, about_cert) {
        (None, true) => format!(
            "{host} asks for a client certificate (mutual TLS): set client_cert and client_key in [{table}] (PEM files)"
        ),
        (Some(c), true) => format!(
            "{host} refused the client certificate {} ({alert:?}): check client_cert and client_key in [{table}] (signed by an authority the server trusts, not expired)",
            c.display()
        ),
        (_, false) => format!("{host} ended the TLS connection ({alert:?})"),
    }
}

/// `DnsName("a.example")`, `IpAddress(10.0.0.1)` -> `a.example, 10.0.0.1`.
fn names(presented: &[String]) -> String {
    if presented.is_empty() {
        return "no names in it".to_string();
    }
    presented
        .iter()
        .map(|n| {
            let inner = n
                .split_once('(')
                .map_or(n.as_str(), |(_, rest)| rest.trim_end_matches(')'));
            sanitize(inner.trim_matches('"'))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// rustls's error, wherever it sits: `io::Error` hides its inner error from `source()`, so
/// each one is opened with `get_ref()`.
fn find_rustls<'a>(e: &'a (dyn std::error::Error + 'static)) -> Option<&'a rustls::Error> {
    let mut cur = Some(e);
    while let Some(err) = cur {
        if let Some(t) = err.downcast_ref::<rustls::Error>() {
            return Some(t);
        }
        if let Some(inner) = err
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .and_then(|i| find_rustls(i))
        {
            return Some(inner);
        }
        cur = err.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).expect("url")
    }

    #[test]
    fn plain_http_off_this_machine_is_refused_unless_allowed() {
        let opts = TlsOptions {
            table: Some("contexts.qa.vehaas".into()),
            ..TlsOptions::default()
        };
        let e =
            check_plain_http(&url("http://vehaas.corp"), &opts, Api::Vehaas).expect_err("refused");
        let text = e.to_string();
        assert!(text.contains("use https://"), "{text}");
        assert!(
            text.contains("allow_insecure_http = true in [contexts.qa.vehaas]"),
            "{text}"
        );
        for ok in [
            "https://vehaas.corp",
            "http://127.0.0.1:9",
            "http://localhost",
        ] {
            assert!(
                check_plain_http(&url(ok), &opts, Api::Vehaas).is_ok(),
                "{ok}"
            );
            assert_eq!(insecurity(&url(ok), &opts), None, "{ok}");
        }
        let allowed = TlsOptions {
            allow_insecure_http: true,
            ..opts
        };
        assert!(check_plain_http(&url("http://vehaas.corp"), &allowed, Api::Vehaas).is_ok());
        assert_eq!(
            insecurity(&url("http://vehaas.corp"), &allowed),
            Some(Insecurity::PlainHttp)
        );
        let skip = TlsOptions {
            insecure_skip_verify: true,
            ..TlsOptions::default()
        };
        assert_eq!(
            insecurity(&url("https://gitlab.corp"), &skip),
            Some(Insecurity::SkipVerify)
        );
    }

    #[test]
    fn errors_inside_io_errors_are_found_and_named_by_table() {
        let inner = rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer);
        let io = std::io::Error::new(std::io::ErrorKind::InvalidData, inner);
        let opts = TlsOptions::default();
        let text = explain(&io, "gitlab.corp", &opts, Api::GitLab).expect("tls");
        assert_eq!(
            text,
            "the certificate of gitlab.corp is signed by an authority this machine does not trust: set ca_cert = \"/path/to/ca.pem\" in [gitlab] (the PEM certificate of the authority that signed it)"
        );
        let plain = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
        assert_eq!(explain(&plain, "h", &opts, Api::GitLab), None);
        assert_eq!(
            names(&[
                "DnsName(\"a.example\")".into(),
                "IpAddress(10.0.0.1)".into()
            ]),
            "a.example, 10.0.0.1"
        );
    }
}
