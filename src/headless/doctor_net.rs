//! Doctor's checks of the way there: veHaaS (its token, reachable, the token accepted), how
//! each token travels (TLS: the CA in use, or the escape hatch that makes it readable) and the
//! proxy variables (names only: values may hold credentials).

use super::doctor::{Checklist, Status, service_failed};
use super::exit::Kind;
use crate::api::{Insecurity, TlsOptions};
use crate::cli::Cli;
use crate::setup::Services;

/// The proxy variables reqwest honours; only their names are ever shown.
pub const PROXY_VARS: &[&str] = &[
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
];

/// veHaaS: the token source, reachable, the token accepted, how many sessions.
pub(super) async fn vehaas(services: &Services, list: &mut Checklist) {
    let vehaas = match &services.vehaas {
        None => {
            list.push(
                Status::Info,
                "vehaas",
                "not configured (no [vehaas] in the config, no VEHAAS_URL)",
            );
            return;
        }
        Some(Err(e)) => return service_failed("vehaas", e, list),
        Some(Ok(v)) => v,
    };
    let source = services
        .vehaas_credential
        .as_deref()
        .unwrap_or("the config");
    list.push(
        Status::Ok,
        "vehaas token",
        format!("resolved from {source}"),
    );
    let url = vehaas.base_url();
    match vehaas.list_sessions().await {
        Ok(sessions) => {
            let now = jiff::Timestamp::now();
            let current = sessions.iter().filter(|s| s.is_current(now)).count();
            list.push(
                Status::Ok,
                "vehaas",
                format!(
                    "{url}: token accepted, {} sessions listed, {current} active or scheduled",
                    sessions.len()
                ),
            );
        }
        Err(e) => list.fail(
            "vehaas",
            format!("{url}: {e}"),
            Kind::of_api(&e).exit_code(),
        ),
    }
}

/// How each token travels: a warning for each escape hatch, else the CA in use.
pub(super) fn tls(services: &Services, cli: &Cli, list: &mut Checklist) {
    let ctx = services
        .config
        .as_ref()
        .and_then(|c| c.context(cli.context.as_deref()).ok());
    if let Ok(gl) = &services.gitlab {
        let options = ctx
            .as_ref()
            .map(|c| c.gitlab.tls.clone())
            .unwrap_or_default();
        one_tls(
            "gitlab tls",
            (gl.base_url(), gl.insecurity()),
            &options,
            list,
        );
    }
    if let Some(Ok(v)) = &services.vehaas {
        let options = ctx
            .as_ref()
            .and_then(|c| c.vehaas.as_ref())
            .map(|v| v.tls.clone())
            .unwrap_or_default();
        one_tls("vehaas tls", (v.base_url(), v.insecurity()), &options, list);
    }
}

fn one_tls(
    check: &str,
    (url, insecurity): (&str, Option<Insecurity>),
    tls: &TlsOptions,
    list: &mut Checklist,
) {
    let table = tls
        .table
        .as_deref()
        .unwrap_or(check.trim_end_matches(" tls"));
    match insecurity {
        Some(Insecurity::PlainHttp) => list.push(
            Status::Warn,
            check,
            format!(
                "INSECURE: {url} is plain HTTP, the token travels unencrypted (allow_insecure_http = true in [{table}]): use https://"
            ),
        ),
        Some(Insecurity::SkipVerify) => list.push(
            Status::Warn,
            check,
            format!(
                "INSECURE: certificates are not verified, anyone on the way can read the token (insecure_skip_verify = true in [{table}]): set ca_cert instead"
            ),
        ),
        None if url.starts_with("http://") => list.push(
            Status::Info,
            check,
            format!("{url}: plain HTTP to this machine; the token does not leave it"),
        ),
        None => {
            let ca = match &tls.ca_cert {
                Some(p) => format!("CA: ca_cert {} and the system roots", p.display()),
                None => "CA: the system roots".to_string(),
            };
            let client = tls
                .client_cert
                .as_ref()
                .map(|c| format!("; client certificate {}", c.display()))
                .unwrap_or_default();
            list.push(Status::Ok, check, format!("{ca}{client}"));
        }
    }
}

/// Which proxy variables are set (names only).
pub(super) fn proxy(list: &mut Checklist) {
    let set: Vec<&str> = PROXY_VARS
        .iter()
        .copied()
        .filter(|v| std::env::var_os(v).is_some_and(|x| !x.is_empty()))
        .collect();
    let detail = if set.is_empty() {
        "no proxy variables set (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY)".to_string()
    } else {
        format!(
            "set: {}; honoured, except for loopback addresses, which never use a proxy",
            set.join(", ")
        )
    };
    list.push(Status::Info, "proxy", detail);
}
