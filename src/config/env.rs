//! No config file: glab's conventions. The GitLab address from `GITLAB_HOST` (or `GITLAB_URI`,
//! `CI_SERVER_URL`), else glab's default host; the token from `GITLAB_TOKEN` (or
//! `GITLAB_ACCESS_TOKEN`), else that host's `token` in glab's config, whose `api_protocol`,
//! `api_host` and `ca_cert` are used too. veHaaS from `VEHAAS_URL` and `VEHAAS_TOKEN`.

use std::collections::BTreeMap;

use super::glab::{self, GlabHost};
use super::{
    Config, ConfigError, GitlabConfig, HttpConfig, Origin, TokenSource, UiConfig, VehaasConfig,
};
use crate::api::VehaasPaths;
use crate::api::tls::TlsOptions;

/// Where the GitLab address may come from, first set wins.
pub const HOST_VARS: [&str; 3] = ["GITLAB_HOST", "GITLAB_URI", "CI_SERVER_URL"];
/// Where the GitLab token may come from, first set wins (glab's names).
pub const TOKEN_VARS: [&str; 2] = ["GITLAB_TOKEN", "GITLAB_ACCESS_TOKEN"];
pub const VEHAAS_URL_VAR: &str = "VEHAAS_URL";
pub const VEHAAS_TOKEN_VAR: &str = "VEHAAS_TOKEN";

/// The first of `names` that is set (and not empty), with its value.
fn first_set(names: &[&'static str]) -> Option<(&'static str, String)> {
    names.iter().find_map(|n| {
        std::env::var(n)
            .ok()
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .map(|v| (*n, v))
    })
}

/// `https://host` from a host name (glab's `GITLAB_HOST` may be either), with the host's
/// `api_protocol` and `api_host` from glab's config.
fn url_of(host: &str, table: Option<&GlabHost>) -> String {
    let h = host.trim().trim_end_matches('/');
    if h.starts_with("https://") || h.starts_with("http://") {
        return h.to_string();
    }
    let scheme = table
        .and_then(|t| t.api_protocol.as_deref())
        .map(str::trim)
        .filter(|p| matches!(*p, "http" | "https"))
        .unwrap_or("https");
    let api_host = table
        .and_then(|t| t.api_host.as_deref())
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .unwrap_or(h);
    format!("{scheme}://{api_host}")
}

/// The configuration from the environment and glab's config; `None` when no GitLab address is
/// found there either. Warnings (a glab config not used) come along.
pub(super) fn from_environment() -> Result<Option<(Config, Vec<String>)>, ConfigError> {
    let env_host = first_set(&HOST_VARS);
    let env_token = first_set(&TOKEN_VARS);
    let glab_path = glab::path();
    let mut warnings = Vec::new();
    let glab = match glab_path.as_deref().map(glab::load) {
        None => None,
        Some(Ok(g)) => g,
        // Not needed: said, and left alone.
        Some(Err(problem)) if env_host.is_some() && env_token.is_some() => {
            warnings.push(problem);
            None
        }
        Some(Err(message)) => {
            return Err(ConfigError::Invalid {
                path: glab_path.unwrap_or_default(),
                message,
            });
        }
    };
    let host = match (&env_host, glab.as_ref().and_then(|g| g.host.clone())) {
        (Some((_, h)), _) => h.clone(),
        (None, Some(h)) => h,
        (None, None) => return Ok(None),
    };
    let table = glab.as_ref().and_then(|g| g.host(&host));
    let (token, token_from) = match (&env_token, table.and_then(|t| t.token.clone())) {
        (Some((var, _)), _) => (TokenSource::Env((*var).to_string()), (*var).to_string()),
        (None, Some(secret)) => (TokenSource::Glab(secret), "glab's config".to_string()),
        // Resolving says what to set.
        (None, None) => (TokenSource::Env(TOKEN_VARS[0].into()), "nowhere yet".into()),
    };
    let gitlab = GitlabConfig {
        url: url_of(&host, table),
        token,
        tls: TlsOptions {
            table: Some("gitlab".into()),
            ca_cert: table.and_then(|t| t.ca_cert.clone()),
            ..TlsOptions::default()
        },
        name: None,
        color: None,
        read_only: false,
    };
    let vehaas = first_set(&[VEHAAS_URL_VAR]).map(|(_, url)| VehaasConfig {
        url,
        token: TokenSource::Env(VEHAAS_TOKEN_VAR.into()),
        tls: TlsOptions {
            table: Some("vehaas".into()),
            ..TlsOptions::default()
        },
        paths: VehaasPaths::default(),
        max_duration: None,
    });
    let from_host = match &env_host {
        Some((var, _)) => (*var).to_string(),
        None => "glab's default host".into(),
    };
    let mut origin = format!("GitLab from {from_host}, its token from {token_from}");
    if let (Some(p), Some(_)) = (&glab_path, &glab) {
        origin.push_str(&format!(" (glab's config {})", p.display()));
    }
    if vehaas.is_some() {
        origin.push_str(&format!(
            "; veHaaS from {VEHAAS_URL_VAR} and {VEHAAS_TOKEN_VAR}"
        ));
    }
    let config = Config {
        gitlab,
        vehaas,
        ui: UiConfig::default(),
        http: HttpConfig::default(),
        contexts: BTreeMap::new(),
        keys: BTreeMap::new(),
        theme: BTreeMap::new(),
        origin: Origin::Environment(origin),
    };
    Ok(Some((config, warnings)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_host_gets_glabs_protocol_and_api_host() {
        assert_eq!(
            url_of("gitlab.example.com", None),
            "https://gitlab.example.com"
        );
        assert_eq!(
            url_of("https://gitlab.example.com/", None),
            "https://gitlab.example.com"
        );
        let t = GlabHost {
            api_protocol: Some("http".into()),
            api_host: Some("127.0.0.1:8080".into()),
            ..GlabHost::default()
        };
        assert_eq!(url_of("gitlab.local", Some(&t)), "http://127.0.0.1:8080");
        assert_eq!(url_of("http://x.example", Some(&t)), "http://x.example");
    }
}
