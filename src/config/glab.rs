//! glab's own config (`$XDG_CONFIG_HOME/glab-cli/config.yml`, else
//! `~/.config/glab-cli/config.yml`), read and never written: its default `host` and, per
//! host, `token`, `api_protocol`, `api_host` and `ca_cert`. A file that others may read is
//! refused, as glab's docs advise for a file holding tokens.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use secrecy::SecretString;
use serde::Deserialize;

use super::token::read_private;

/// What runnerdeck reads of glab's config.
#[derive(Debug, Deserialize)]
pub(super) struct GlabConfig {
    /// The default host (`host: gitlab.example.com`).
    #[serde(default)]
    pub host: Option<String>,
    #[serde(default)]
    pub hosts: BTreeMap<String, GlabHost>,
}

/// One host's table.
#[derive(Debug, Default, Deserialize)]
pub(super) struct GlabHost {
    #[serde(default, deserialize_with = "super::raw::secret")]
    pub token: Option<SecretString>,
    #[serde(default)]
    pub api_protocol: Option<String>,
    #[serde(default)]
    pub api_host: Option<String>,
    #[serde(default)]
    pub ca_cert: Option<PathBuf>,
}

/// `https://Gitlab.Example.com/` and `gitlab.example.com` name the same host.
pub(super) fn host_key(host: &str) -> String {
    let h = host.trim();
    let h = h
        .strip_prefix("https://")
        .or_else(|| h.strip_prefix("http://"))
        .unwrap_or(h);
    h.trim_end_matches('/').to_ascii_lowercase()
}

impl GlabConfig {
    /// The table of `host`, however it is spelled.
    pub fn host(&self, host: &str) -> Option<&GlabHost> {
        let want = host_key(host);
        self.hosts
            .iter()
            .find(|(k, _)| host_key(k) == want)
            .map(|(_, v)| v)
    }
}

/// Where glab keeps its config.
pub(super) fn path() -> Option<PathBuf> {
    let xdg = std::env::var_os("XDG_CONFIG_HOME").filter(|d| !d.is_empty());
    let base = match xdg {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(std::env::var_os("HOME").filter(|d| !d.is_empty())?).join(".config"),
    };
    Some(base.join("glab-cli").join("config.yml"))
}

/// glab's config, `None` when there is none; `Err` (a sentence) when it is open to others or
/// cannot be read.
pub(super) fn load(path: &Path) -> Result<Option<GlabConfig>, String> {
    let Some(text) = read_private(path, "glab's config")? else {
        return Ok(None);
    };
    if text.trim().is_empty() {
        return Ok(None);
    }
    // Only where: serde's own message may quote a value, and a value may be a token.
    serde_yaml_ng::from_str(&text).map(Some).map_err(|e| {
        let at = e
            .location()
            .map(|l| format!(" (line {}, column {})", l.line(), l.column()))
            .unwrap_or_default();
        format!(
            "cannot read glab's config {}: it is not YAML of glab's shape{at}",
            path.display()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn glabs_own_layout_is_read() {
        let text = r#"
# What protocol to use when performing git operations.
git_protocol: ssh
host: gitlab.example.com
hosts:
    gitlab.com:
        token: glpat-COM
        api_protocol: https
    Gitlab.Example.com:
        token: glpat-EXAMPLE
        api_host: api.gitlab.example.com
        git_protocol: ssh
        api_protocol: http
        ca_cert: /etc/ssl/corp.pem
        user: root
    keyring.example.com:
        token:
        use_keyring: true
"#;
        let c: GlabConfig = serde_yaml_ng::from_str(text).expect("parses");
        assert_eq!(c.host.as_deref(), Some("gitlab.example.com"));
        let h = c.host("https://gitlab.example.com/").expect("host");
        assert_eq!(
            h.token.as_ref().map(|t| t.expose_secret()),
            Some("glpat-EXAMPLE")
        );
        assert_eq!(h.api_protocol.as_deref(), Some("http"));
        assert_eq!(h.api_host.as_deref(), Some("api.gitlab.example.com"));
        assert_eq!(h.ca_cert.as_deref(), Some(Path::new("/etc/ssl/corp.pem")));
        assert!(
            c.host("keyring.example.com")
                .is_some_and(|h| h.token.is_none())
        );
        assert!(c.host("other.example.com").is_none());
    }

    #[cfg(unix)]
    #[test]
    fn a_file_others_can_read_is_refused_and_never_quoted() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("config.yml");
        std::fs::write(&file, "hosts:\n  x:\n    token: glpat-OPEN\n").expect("write");
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let msg = load(&file).expect_err("refused");
        assert!(msg.contains("chmod 600") && msg.contains("0644"), "{msg}");
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        assert!(load(&file).expect("private").is_some());
        std::fs::write(&file, "hosts: [\n  token: glpat-BROKEN").expect("write");
        let msg = load(&file).expect_err("broken");
        assert!(!msg.contains("glpat-BROKEN"), "{msg}");
        assert!(
            load(&dir.path().join("none.yml"))
                .expect("absent")
                .is_none()
        );
    }
}
