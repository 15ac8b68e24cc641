//! The TOML configuration: where it is found, what it holds, and the start-up errors that say
//! what to do; without a file, glab's conventions (`env.rs`, `glab.rs`). Reads files and
//! environment variables; never opens the terminal or the network.

mod env;
mod glab;
mod raw;
#[cfg(test)]
mod tests;
mod token;

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use zeroize::Zeroizing;

pub use env::{HOST_VARS, TOKEN_VARS, VEHAAS_TOKEN_VAR, VEHAAS_URL_VAR};
pub use token::{Resolved, TokenSource};

use crate::api::VehaasPaths;
use crate::api::retry::RetryPolicy;
use crate::api::tls::TlsOptions;

pub const ENV_CONFIG: &str = "RUNNERDECK_CONFIG";

#[derive(Debug, Clone)]
pub struct Config {
    pub gitlab: GitlabConfig,
    pub vehaas: Option<VehaasConfig>,
    pub ui: UiConfig,
    pub http: HttpConfig,
    /// Other instances by name (`[contexts.staging.gitlab]` ...), switched to with `:ctx NAME`
    /// or `--context NAME`; the top-level `[gitlab]` / `[vehaas]` are the context "default".
    pub contexts: std::collections::BTreeMap<String, ContextConfig>,
    /// `[keys]`: an action's keys by its name (`toggle_dry_run = "x"`, or a list).
    pub keys: std::collections::BTreeMap<String, Vec<String>>,
    /// `[theme]`: a colour per element (`accent = "magenta"`), over `[ui] theme`.
    pub theme: std::collections::BTreeMap<String, String>,
    /// Where it came from: a file, or the environment and glab's config.
    pub origin: Origin,
}

/// Where a configuration came from, as `doctor` names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    File(PathBuf),
    /// No config file: what was read instead, in words (`GITLAB_HOST, token from glab's config
    /// ~/.config/glab-cli/config.yml`).
    Environment(String),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::File(p) => write!(f, "{}", p.display()),
            Self::Environment(what) => write!(f, "no config file: {what}"),
        }
    }
}

/// One more instance: its GitLab and, optionally, its veHaaS.
#[derive(Debug, Clone)]
pub struct ContextConfig {
    pub gitlab: GitlabConfig,
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

    /// Every service table: its name (`gitlab`, `contexts.qa.vehaas`), token source and TLS.
    fn services(&self) -> Vec<(&TokenSource, &TlsOptions)> {
        let contexts = self.contexts.values().map(|c| (&c.gitlab, &c.vehaas));
        std::iter::once((&self.gitlab, &self.vehaas))
            .chain(contexts)
            .flat_map(|(g, v)| {
                std::iter::once((&g.token, &g.tls)).chain(v.iter().map(|v| (&v.token, &v.tls)))
            })
            .collect()
    }
}

#[derive(Debug, Clone)]
pub struct GitlabConfig {
    pub url: String,
    pub token: TokenSource,
    /// `ca_cert`, `client_cert`/`client_key`, `insecure_skip_verify`, `allow_insecure_http`.
    pub tls: TlsOptions,
    /// Shown in the header; defaults to the URL's host.
    pub name: Option<String>,
    /// Header colour of this instance (e.g. "red" for production).
    pub color: Option<String>,
    pub read_only: bool,
}

#[derive(Debug, Clone)]
pub struct VehaasConfig {
    pub url: String,
    pub token: TokenSource,
    pub tls: TlsOptions,
    pub paths: VehaasPaths,
    /// `max_duration = "7d"`: the longest booking or extension asked for (default 7 days).
    pub max_duration: Option<Duration>,
}

impl VehaasConfig {
    /// How short and how long a booking or an extension may be here.
    pub fn limits(&self) -> crate::duration::Limits {
        let default = crate::duration::Limits::default();
        crate::duration::Limits {
            max: self.max_duration.unwrap_or(default.max),
            ..default
        }
    }
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default)]
pub struct UiConfig {
    /// Seconds between automatic refreshes; 0 turns auto-refresh off.
    pub refresh_seconds: u64,
    /// Seconds a flash message stays on screen.
    pub flash_seconds: u64,
    /// `dark` or `light`: the colours for the terminal's background.
    pub theme: ThemeName,
    /// Capture the mouse at start (click, wheel); off keeps the terminal's text selection.
    pub mouse: bool,
}

#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ThemeName {
    #[default]
    Dark,
    Light,
}

impl Default for UiConfig {
    fn default() -> Self {
        Self {
            refresh_seconds: 15,
            flash_seconds: 6,
            theme: ThemeName::Dark,
            mouse: false,
        }
    }
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default)]
pub struct HttpConfig {
    pub connect_timeout_seconds: f64,
    pub request_timeout_seconds: f64,
    /// An answer larger than this many MiB is refused (read as it comes, never whole).
    pub max_body_mib: u64,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            connect_timeout_seconds: 5.0,
            request_timeout_seconds: 20.0,
            max_body_mib: 32,
        }
    }
}

impl HttpConfig {
    /// The program's HTTP behaviour: these timeouts and limits, and reads retried.
    pub fn options(&self) -> crate::api::HttpOptions {
        self.options_for(&TlsOptions::default())
    }

    /// `options()` with one service's TLS settings.
    pub fn options_for(&self, tls: &TlsOptions) -> crate::api::HttpOptions {
        crate::api::HttpOptions {
            connect_timeout: Duration::from_secs_f64(self.connect_timeout_seconds.max(0.1)),
            request_timeout: Duration::from_secs_f64(self.request_timeout_seconds.max(0.1)),
            max_body_bytes: self.max_body_mib.max(1).saturating_mul(1024 * 1024),
            retry: RetryPolicy::standard(),
            tls: tls.clone(),
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
                "no configuration file at {}.\n  Copy config.example.toml there (or pass --config PATH, or set {ENV_CONFIG}),\n  or set GITLAB_HOST and GITLAB_TOKEN as for glab (or log in with glab),\n  or try runnerdeck without a GitLab: runnerdeck --demo",
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

/// The configuration of this run: the file `locate` names; when there is none at the default
/// place (no `--config`, no `$RUNNERDECK_CONFIG`), glab's variables and config, read-only.
pub fn find(cli: Option<&Path>) -> Result<(Config, Vec<String>), ConfigError> {
    let explicit = cli.is_some() || std::env::var_os(ENV_CONFIG).is_some_and(|p| !p.is_empty());
    let missing = match locate(cli) {
        Ok(path) => match load(&path) {
            Err(ConfigError::Missing { path }) if !explicit => ConfigError::Missing { path },
            other => return other,
        },
        // No home directory: only the environment is left.
        Err(e) => e,
    };
    match env::from_environment()? {
        Some(found) => Ok(found),
        None => Err(missing),
    }
}

/// Loads a config file; unknown keys are warnings (returned), everything else an error. A
/// `token = "..."` is only accepted from a file no one else may read.
pub fn load(path: &Path) -> Result<(Config, Vec<String>), ConfigError> {
    let unreadable = |e: std::io::Error| ConfigError::Unreadable {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    let mut file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(ConfigError::Missing {
                path: path.to_path_buf(),
            });
        }
        Err(e) => return Err(unreadable(e)),
    };
    let shared = token::shared_with_others(&file.metadata().map_err(unreadable)?);
    // It may hold a token: wiped when dropped.
    let mut text = Zeroizing::new(String::new());
    std::io::Read::read_to_string(&mut file, &mut text).map_err(unreadable)?;
    let (config, warnings) = parse(&text, path)?;
    if let Some(problem) = shared {
        let inline = config
            .services()
            .into_iter()
            .find(|(t, _)| matches!(t, TokenSource::Inline(_)));
        if let Some((_, tls)) = inline {
            return Err(ConfigError::Invalid {
                path: path.to_path_buf(),
                message: format!(
                    "[{}] has the token itself (token = \"...\"), but this file {problem}, so it is refused: chmod 600 {}\n  (or move the token out: token_env, token_command or token_file)",
                    tls.table.as_deref().unwrap_or("gitlab"),
                    token::shell_quote(path)
                ),
            });
        }
    }
    Ok((config, warnings))
}

/// Parses a config's text (`path` only names it in messages). Does not check the file's
/// permissions: `load` does.
pub fn parse(text: &str, path: &Path) -> Result<(Config, Vec<String>), ConfigError> {
    // Syntax first, so a broken file is reported by line and column.
    let de = toml::de::Deserializer::parse(text).map_err(|e| located(text, path, &e))?;
    let mut unknown = Vec::new();
    let raw: raw::RawConfig = serde_ignored::deserialize(de, |p| unknown.push(raw::dotted(&p)))
        .map_err(|e| located(text, path, &e))?;
    let config = raw
        .into_config(path)
        .map_err(|message| ConfigError::Invalid {
            path: path.to_path_buf(),
            message,
        })?;
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

/// A TOML error at a place in the file (`Syntax`, by line: a bad value, the table missing a
/// key), or about the whole file (`Invalid`, e.g. no `[gitlab]`).
fn located(text: &str, path: &Path, e: &toml::de::Error) -> ConfigError {
    let message = e.message().trim().to_string();
    // The document itself comes as 0..0 (or all of it).
    let whole = |s: &std::ops::Range<usize>| s.start == 0 && (s.end == 0 || s.end >= text.len());
    match e.span().filter(|s| !whole(s)) {
        Some(span) => {
            let (line, column) = line_col(text, span.start);
            ConfigError::Syntax {
                path: path.to_path_buf(),
                line,
                column,
                message,
            }
        }
        None => ConfigError::Invalid {
            path: path.to_path_buf(),
            message,
        },
    }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
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
