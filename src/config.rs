//! The TOML configuration: where it is found, what it holds, and the start-up errors that say
//! what to do. Reads files and environment variables; never opens the terminal or the network.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use secrecy::SecretString;
use serde::Deserialize;

use crate::api::VehaasPaths;

pub const ENV_CONFIG: &str = "RUNNERDECK_CONFIG";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub gitlab: GitlabConfig,
    #[serde(default)]
    pub vehaas: Option<VehaasConfig>,
    #[serde(default)]
    pub ui: UiConfig,
    #[serde(default)]
    pub http: HttpConfig,
    /// Other instances by name (`[contexts.staging.gitlab]` ...), switched to with `:ctx NAME`
    /// or `--context NAME`; the top-level `[gitlab]` / `[vehaas]` are the context "default".
    #[serde(default)]
    pub contexts: std::collections::BTreeMap<String, ContextConfig>,
}

/// One more instance: its GitLab and, optionally, its veHaaS.
#[derive(Debug, Clone, Deserialize)]
pub struct ContextConfig {
    pub gitlab: GitlabConfig,
    #[serde(default)]
    pub vehaas: Option<VehaasConfig>,
}

/// The name of the context made of the top-level `[gitlab]` and `[vehaas]`.
pub const DEFAULT_CONTEXT: &str = "default";

impl Config {
    /// Every context name, the default first.
    pub fn context_names(&self) -> Vec<String> {
        std::iter::once(DEFAULT_CONTEXT.to_string())
            .chain(self.contexts.keys().cloned())
            .collect()
    }

    /// The GitLab and veHaaS of a context (`None`: the default).
    pub fn context(&self, name: Option<&str>) -> Result<ContextConfig, String> {
        match name {
            None | Some(DEFAULT_CONTEXT) => Ok(ContextConfig {
                gitlab: self.gitlab.clone(),
                vehaas: self.vehaas.clone(),
            }),
            Some(n) => self.contexts.get(n).cloned().ok_or_else(|| {
                format!(
                    "no context {n:?} in the configuration (there are: {})",
                    self.context_names().join(", ")
                )
            }),
        }
    }
}

/// Where a secret comes from. Exactly one of the three is used; a token itself is never in the
/// file and never on the command line.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
pub struct TokenSource {
    /// Name of the environment variable holding the token.
    pub token_env: Option<String>,
    /// A command whose standard output is the token (e.g. `pass show gitlab/admin`).
    pub token_command: Option<String>,
    /// A file whose content is the token (must not be readable by others).
    pub token_file: Option<PathBuf>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct GitlabConfig {
    pub url: String,
    #[serde(flatten)]
    pub token: TokenSource,
    /// Shown in the header; defaults to the URL's host.
    pub name: Option<String>,
    /// Header colour of this instance (e.g. "red" for production).
    pub color: Option<String>,
    #[serde(default)]
    pub read_only: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct VehaasConfig {
    pub url: String,
    #[serde(flatten)]
    pub token: TokenSource,
    #[serde(default)]
    pub paths: VehaasPaths,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default)]
pub struct UiConfig {
    /// Seconds between automatic refreshes; 0 turns auto-refresh off.
    pub refresh_seconds: u64,
    /// Seconds a flash message stays on screen.
    pub flash_seconds: u64,
}

impl Default for UiConfig {
    fn default() -> Self {
        Self {
            refresh_seconds: 15,
            flash_seconds: 6,
        }
    }
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default)]
pub struct HttpConfig {
    pub connect_timeout_seconds: f64,
    pub request_timeout_seconds: f64,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            connect_timeout_seconds: 5.0,
            request_timeout_seconds: 20.0,
        }
    }
}

impl HttpConfig {
    pub fn options(&self) -> crate::api::HttpOptions {
        crate::api::HttpOptions {
            connect_timeout: Duration::from_secs_f64(self.connect_timeout_seconds.max(0.1)),
            request_timeout: Duration::from_secs_f64(self.request_timeout_seconds.max(0.1)),
        }
    }
}

/// A start-up problem, worded for the person at the terminal.
#[derive(Debug)]
pub enum ConfigError {
    Missing {
        path: PathBuf,
    },
    Unreadable {
        path: PathBuf,
        message: String,
    },
    Syntax {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    Invalid {
        path: PathBuf,
        message: String,
    },
    NoConfigDir,
    Token {
        service: &'static str,
        message: String,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Missing { path } => write!(
                f,
                "no configuration file at {}.\n  Copy config.example.toml there (or pass --config PATH, or set {ENV_CONFIG}),\n  or try runnerdeck without a GitLab: runnerdeck --demo",
                path.display()
            ),
            Self::Unreadable { path, message } => {
                write!(f, "cannot read {}: {message}", path.display())
            }
            Self::Syntax {
                path,
                line,
                column,
                message,
            } => write!(
                f,
                "{}:{line}:{column}: {message}\n  Fix line {line} of the file; config.example.toml shows every option.",
                path.display()
            ),
            Self::Invalid { path, message } => write!(
                f,
                "{}: {message}\n  config.example.toml shows every option.",
                path.display()
            ),
            Self::NoConfigDir => write!(
                f,
                "cannot find a configuration directory (no home directory?): pass --config PATH or set {ENV_CONFIG}"
            ),
            Self::Token { service, message } => write!(f, "{service} token: {message}"),
        }
    }
}

impl std::error::Error for ConfigError {}

/// Where the config is looked for: `--config`, then `$RUNNERDECK_CONFIG`, then the platform
/// config dir (`~/.config/runnerdeck/config.toml` on Linux).
pub fn locate(cli: Option<&Path>) -> Result<PathBuf, ConfigError> {
    if let Some(p) = cli {
        return Ok(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os(ENV_CONFIG).filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    crate::dirs::config_file().ok_or(ConfigError::NoConfigDir)
}

/// Loads a config file; unknown keys are warnings (returned), everything else an error.
pub fn load(path: &Path) -> Result<(Config, Vec<String>), ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(ConfigError::Missing {
                path: path.to_path_buf(),
            });
        }
        Err(e) => {
            return Err(ConfigError::Unreadable {
                path: path.to_path_buf(),
                message: e.to_string(),
            });
        }
    };
    parse(&text, path)
}

pub fn parse(text: &str, path: &Path) -> Result<(Config, Vec<String>), ConfigError> {
    // Syntax first, so a broken file is reported by line and column.
    let table: toml::Table = toml::from_str(text).map_err(|e| syntax_error(text, path, &e))?;
    let mut unknown = Vec::new();
    let lenient = strip_unknown(table, &mut unknown);
    let config: Config = lenient
        .try_into()
        .map_err(|e: toml::de::Error| ConfigError::Invalid {
            path: path.to_path_buf(),
            message: e.message().trim().to_string(),
        })?;
    validate(&config, path)?;
    let warnings = unknown
        .into_iter()
        .map(|k| {
            format!(
                "{}: unknown key `{k}` is ignored (a typo? config.example.toml lists every option)",
                path.display()
            )
        })
        .collect();
    Ok((config, warnings))
}

fn syntax_error(text: &str, path: &Path, e: &toml::de::Error) -> ConfigError {
    let (line, column) = e
        .span()
        .map(|span| line_col(text, span.start))
        .unwrap_or((1, 1));
    ConfigError::Syntax {
        path: path.to_path_buf(),
        line,
        column,
        message: e.message().trim().to_string(),
    }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// The keys each table knows; anything else is removed and reported as a warning, so a typo
/// never stops the program but is never silent either.
fn known_keys(table_path: &str) -> Option<&'static [&'static str]> {
    // `contexts.NAME.gitlab` is checked like `gitlab`, and so on.
    let path = match table_path.strip_prefix("contexts.") {
        Some(rest) => match rest.split_once('.') {
            Some((_, inner)) => inner,
            None => return Some(&["gitlab", "vehaas"]),
        },
        None => table_path,
    };
    match path {
        "contexts" => None,
        "" => Some(&["gitlab", "vehaas", "ui", "http", "contexts"]),
        "gitlab" => Some(&[
            "url",
            "token_env",
            "token_command",
            "token_file",
            "name",
            "color",
            "read_only",
        ]),
        "vehaas" => Some(&["url", "token_env", "token_command", "token_file", "paths"]),
        "vehaas.paths" => Some(&["jobs", "job", "sessions", "session", "release"]),
        "ui" => Some(&["refresh_seconds", "flash_seconds"]),
        "http" => Some(&["connect_timeout_seconds", "request_timeout_seconds"]),
        _ => None,
    }
}

fn strip_unknown(table: toml::Table, unknown: &mut Vec<String>) -> toml::Table {
    fn walk(prefix: &str, table: toml::Table, unknown: &mut Vec<String>) -> toml::Table {
        let known = known_keys(prefix);
        let mut out = toml::Table::new();
        for (k, v) in table {
            let full = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            if known.is_some_and(|ks| !ks.contains(&k.as_str())) {
                unknown.push(full);
                continue;
            }
            let v = match v {
                toml::Value::Table(t) => toml::Value::Table(walk(&full, t, unknown)),
                other => other,
            };
            out.insert(k, v);
        }
        out
    }
    walk("", table, unknown)
}

fn validate(config: &Config, path: &Path) -> Result<(), ConfigError> {
    let invalid = |message: String| ConfigError::Invalid {
        path: path.to_path_buf(),
        message,
    };
    let check = |prefix: &str, gitlab: &GitlabConfig, vehaas: &Option<VehaasConfig>| {
        check_url(&format!("{prefix}gitlab.url"), &gitlab.url)?;
        check_source(&format!("{prefix}gitlab"), &gitlab.token)?;
        if let Some(v) = vehaas {
            check_url(&format!("{prefix}vehaas.url"), &v.url)?;
            check_source(&format!("{prefix}vehaas"), &v.token)?;
        }
        Ok::<(), String>(())
    };
    check("", &config.gitlab, &config.vehaas).map_err(invalid)?;
    for (name, ctx) in &config.contexts {
        if name == DEFAULT_CONTEXT {
            return Err(invalid(format!(
                "[contexts.{DEFAULT_CONTEXT}] is taken by the top-level [gitlab]: pick another name"
            )));
        }
        check(&format!("contexts.{name}."), &ctx.gitlab, &ctx.vehaas).map_err(invalid)?;
    }
    Ok(())
}

fn check_url(key: &str, url: &str) -> Result<(), String> {
    if url.starts_with("https://") || url.starts_with("http://") {
        Ok(())
    } else {
        Err(format!(
            "`{key}` must start with https:// (or http://), got {url:?}"
        ))
    }
}

fn check_source(table: &str, s: &TokenSource) -> Result<(), String> {
    let n = [
        s.token_env.is_some(),
        s.token_command.is_some(),
        s.token_file.is_some(),
    ]
    .iter()
    .filter(|b| **b)
    .count();
    match n {
        1 => Ok(()),
        0 => Err(format!(
            "[{table}] needs token_env = \"NAME_OF_ENV_VAR\" (or token_command / token_file): tokens are never written in the config"
        )),
        _ => Err(format!(
            "[{table}] sets more than one of token_env, token_command, token_file: keep one"
        )),
    }
}

impl TokenSource {
    /// Short description for the header: `env GITLAB_TOKEN`, `command`, `file`.
    pub fn label(&self) -> String {
        if let Some(v) = &self.token_env {
            format!("env {v}")
        } else if self.token_command.is_some() {
            "command".to_string()
        } else if self.token_file.is_some() {
            "file".to_string()
        } else {
            "none".to_string()
        }
    }

    /// Reads the secret. Errors say what to do and never contain the secret.
    pub fn resolve(&self, service: &'static str) -> Result<SecretString, ConfigError> {
        let err = |message: String| ConfigError::Token { service, message };
        // Wiped when dropped: the token passes through here before it is a SecretString.
        let raw = zeroize::Zeroizing::new(if let Some(var) = &self.token_env {
            match std::env::var(var) {
                Ok(v) if !v.trim().is_empty() => v,
                _ => {
                    return Err(err(format!(
                        "the environment variable {var} is not set.\n  export {var}=... (for GitLab: a personal access token of an administrator with the api scope),\n  or change token_env in the config"
                    )));
                }
            }
        } else if let Some(cmd) = &self.token_command {
            let out = std::process::Command::new("sh")
                .arg("-c")
                .arg(cmd)
                .stderr(std::process::Stdio::inherit())
                .output()
                .map_err(|e| err(format!("cannot run token_command: {e}")))?;
            if !out.status.success() {
                return Err(err(format!("token_command failed ({})", out.status)));
            }
            String::from_utf8(out.stdout)
                .map_err(|_| err("token_command printed something that is not text".into()))?
        } else if let Some(file) = &self.token_file {
            warn_if_readable_by_others(file);
            std::fs::read_to_string(file)
                .map_err(|e| err(format!("cannot read token_file {}: {e}", file.display())))?
        } else {
            return Err(err("no token source configured".into()));
        });
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(err("the token is empty".into()));
        }
        Ok(SecretString::from(trimmed.to_string()))
    }
}

/// A token file others can read is a leak waiting to happen; say so before the TUI opens.
fn warn_if_readable_by_others(file: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(file)
            && meta.permissions().mode() & 0o077 != 0
        {
            eprintln!(
                "runnerdeck: warning: {} can be read by other users: chmod 600 it",
                file.display()
            );
        }
    }
    #[cfg(not(unix))]
    let _ = file;
}

impl GitlabConfig {
    /// The instance name shown in the header: `name`, else the URL's host.
    pub fn display_name(&self) -> String {
        self.name.clone().unwrap_or_else(|| {
            self.url
                .split("://")
                .nth(1)
                .unwrap_or(&self.url)
                .split('/')
                .next()
                .unwrap_or_default()
                .to_string()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> &'static Path {
        Path::new("config.toml")
    }

    const MINIMAL: &str = r#"
[gitlab]
url = "https://gitlab.example.com"
token_env = "GITLAB_TOKEN"        # the name of the environment variable holding the token
[vehaas]
url = "https://vehaas.example.com"
token_env = "VEHAAS_TOKEN"
"#;

    #[test]
    fn minimal_config_from_the_issue_parses() {
        let (c, warnings) = parse(MINIMAL, p()).expect("parses");
        assert!(warnings.is_empty());
        assert_eq!(c.gitlab.url, "https://gitlab.example.com");
        assert_eq!(c.gitlab.token.token_env.as_deref(), Some("GITLAB_TOKEN"));
        assert_eq!(c.gitlab.display_name(), "gitlab.example.com");
        let v = c.vehaas.expect("vehaas");
        assert_eq!(v.paths, VehaasPaths::default());
        assert_eq!(c.ui, UiConfig::default());
    }

    #[test]
    fn example_config_parses_without_warnings() {
        let text = include_str!("../config.example.toml");
        let (_, warnings) = parse(text, p()).expect("example parses");
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn syntax_error_names_line_and_column() {
        let text = "[gitlab]\nurl = \"https://x\"\ntoken_env = GITLAB_TOKEN\n";
        let e = parse(text, p()).expect_err("bad");
        let msg = e.to_string();
        assert!(matches!(e, ConfigError::Syntax { line: 3, .. }), "{msg}");
        assert!(msg.starts_with("config.toml:3:"), "{msg}");
    }

    #[test]
    fn unknown_key_is_a_warning_not_an_error() {
        let text = format!("{MINIMAL}\n[ui]\nrefresh_secs = 3\n");
        let (c, warnings) = parse(&text, p()).expect("parses");
        assert_eq!(c.ui.refresh_seconds, 15);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains("ui.refresh_secs"), "{warnings:?}");
    }

    #[test]
    fn missing_token_source_says_what_to_do() {
        let text = "[gitlab]\nurl = \"https://gitlab.example.com\"\n";
        let msg = parse(text, p()).expect_err("no token").to_string();
        assert!(msg.contains("token_env"), "{msg}");
    }

    #[test]
    fn missing_gitlab_table_is_reported() {
        let msg = parse("[ui]\nrefresh_seconds = 5\n", p())
            .expect_err("no gitlab")
            .to_string();
        assert!(msg.contains("gitlab"), "{msg}");
    }

    #[test]
    fn bad_url_is_reported() {
        let text = "[gitlab]\nurl = \"gitlab.example.com\"\ntoken_env = \"X\"\n";
        let msg = parse(text, p()).expect_err("bad url").to_string();
        assert!(msg.contains("https://"), "{msg}");
    }

    #[test]
    fn unset_token_env_says_what_to_do() {
        let src = TokenSource {
            token_env: Some("RUNNERDECK_TEST_SURELY_UNSET_VAR".into()),
            ..Default::default()
        };
        let msg = src.resolve("GitLab").expect_err("unset").to_string();
        assert!(
            msg.contains("RUNNERDECK_TEST_SURELY_UNSET_VAR is not set"),
            "{msg}"
        );
        assert!(msg.contains("export"), "{msg}");
    }

    #[test]
    fn contexts_name_other_instances_and_are_checked_like_the_default() {
        let text = format!(
            "{MINIMAL}\n[contexts.staging.gitlab]\nurl = \"https://gitlab-staging.example.com\"\ntoken_env = \"STAGING_TOKEN\"\ncolour = \"green\"\n"
        );
        let (c, warnings) = parse(&text, p()).expect("parses");
        assert_eq!(c.context_names(), vec!["default", "staging"]);
        let staging = c.context(Some("staging")).expect("staging");
        assert_eq!(staging.gitlab.url, "https://gitlab-staging.example.com");
        assert!(staging.vehaas.is_none());
        assert_eq!(
            c.context(None).expect("default").gitlab.url,
            "https://gitlab.example.com"
        );
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0].contains("contexts.staging.gitlab.colour"),
            "{warnings:?}"
        );
        assert!(
            c.context(Some("prod"))
                .expect_err("unknown")
                .contains("default, staging")
        );

        let bad = format!("{MINIMAL}\n[contexts.qa.gitlab]\nurl = \"https://qa\"\n");
        let msg = parse(&bad, p()).expect_err("no token source").to_string();
        assert!(msg.contains("[contexts.qa.gitlab]"), "{msg}");
        let taken = format!(
            "{MINIMAL}\n[contexts.default.gitlab]\nurl = \"https://x\"\ntoken_env = \"X\"\n"
        );
        assert!(
            parse(&taken, p())
                .expect_err("reserved")
                .to_string()
                .contains("taken")
        );
    }

    #[test]
    fn missing_file_suggests_demo() {
        let msg = load(Path::new("/nonexistent/runnerdeck.toml"))
            .expect_err("missing")
            .to_string();
        assert!(msg.contains("--demo"), "{msg}");
    }
}
