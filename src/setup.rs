//! Start-up: from the command line and the config (or the embedded simulator for `--demo`) to
//! ready API clients and the header context. Errors at start end the program before the TUI
//! opens; the same code opens another context for `:ctx`, where errors become a flash.

use std::sync::Arc;

use secrecy::SecretString;

use crate::api::{ApiError, GitLab, Vehaas, VehaasPaths};
use crate::cli::Cli;
use crate::config::{self, Config, ConfigError};
use crate::domain::Deprecation;
use crate::sim::{SimOptions, Simulator};
use crate::state::{Context, Settings};

pub struct Setup {
    pub gitlab: Arc<GitLab>,
    pub vehaas: Option<Arc<Vehaas>>,
    pub context: Context,
    pub settings: Settings,
    /// Keeps the embedded simulator alive for `--demo`.
    pub simulator: Option<Simulator>,
    pub notices: tokio::sync::mpsc::UnboundedReceiver<Deprecation>,
    /// The configuration it came from, to switch contexts later (`None` for `--demo`).
    pub config: Option<Config>,
}

#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("{0}")]
    Config(#[from] ConfigError),
    #[error("{0}")]
    Client(#[from] ApiError),
    #[error("{0}")]
    Context(String),
    #[error("cannot start the embedded simulator: {0}")]
    Simulator(std::io::Error),
}

pub async fn setup(cli: &Cli) -> Result<(Setup, Vec<String>), SetupError> {
    let (tx, notices) = tokio::sync::mpsc::unbounded_channel();
    if cli.demo {
        let sim = Simulator::start(SimOptions::default())
            .await
            .map_err(SetupError::Simulator)?;
        let opts = config::HttpConfig::default().options();
        let url = sim.url();
        let gitlab = GitLab::new(
            &url,
            SecretString::from(sim.gitlab_token().to_string()),
            &opts,
        )?
        .with_notices(tx.clone());
        let vehaas = Vehaas::new(
            &url,
            SecretString::from(sim.vehaas_token().to_string()),
            VehaasPaths::default(),
            &opts,
            Some(tx),
        )?;
        let context = Context {
            instance_name: "demo".into(),
            gitlab_url: url.clone(),
            credential: "simulator".into(),
            color: Some("magenta".into()),
            read_only: cli.read_only,
            vehaas_url: Some(url),
            demo: true,
            tz: jiff::tz::TimeZone::system(),
            context_name: config::DEFAULT_CONTEXT.to_string(),
            contexts: vec![config::DEFAULT_CONTEXT.to_string()],
        };
        let setup = Setup {
            gitlab: Arc::new(gitlab),
            vehaas: Some(Arc::new(vehaas)),
            context,
            settings: Settings::default(),
            simulator: Some(sim),
            notices,
            config: None,
        };
        return Ok((setup, Vec::new()));
    }
    drop((tx, notices));
    let path = config::locate(cli.config.as_deref())?;
    let (cfg, mut warnings) = config::load(&path)?;
    let name = cli
        .context
        .clone()
        .unwrap_or_else(|| config::DEFAULT_CONTEXT.to_string());
    match for_context(&cfg, &name, cli.read_only) {
        Ok((setup, more)) => {
            warnings.extend(more);
            Ok((setup, warnings))
        }
        Err(e) => {
            // The caller never sees these when set-up fails; they may well explain why.
            for w in &warnings {
                eprintln!("runnerdeck: warning: {w}");
            }
            Err(e)
        }
    }
}

/// Clients and header for one configured context (at start, and by `:ctx NAME` on a blocking
/// task: a `token_command` may take its time). Returns what is worth a warning.
pub fn for_context(
    cfg: &Config,
    name: &str,
    read_only: bool,
) -> Result<(Setup, Vec<String>), SetupError> {
    let (tx, notices) = tokio::sync::mpsc::unbounded_channel();
    let ctx = cfg.context(Some(name)).map_err(SetupError::Context)?;
    let opts = cfg.http.options_for(&ctx.gitlab.tls);
    let token = ctx.gitlab.token.resolve("GitLab")?.logged();
    let gitlab = GitLab::new(&ctx.gitlab.url, token, &opts)?.with_notices(tx.clone());
    let vehaas = match &ctx.vehaas {
        Some(v) => {
            let token = v.token.resolve("veHaaS")?.logged();
            Some(Vehaas::new(
                &v.url,
                token,
                v.paths.clone(),
                &cfg.http.options_for(&v.tls),
                Some(tx),
            )?)
        }
        None => None,
    };
    let context = Context {
        instance_name: ctx.gitlab.display_name(),
        gitlab_url: ctx.gitlab.url.clone(),
        credential: ctx.gitlab.token.label(),
        color: ctx.gitlab.color.clone(),
        read_only: read_only || ctx.gitlab.read_only,
        vehaas_url: ctx.vehaas.as_ref().map(|v| v.url.clone()),
        demo: false,
        tz: jiff::tz::TimeZone::system(),
        context_name: name.to_string(),
        contexts: cfg.context_names(),
    };
    let settings = Settings {
        refresh_every: (cfg.ui.refresh_seconds > 0)
            .then(|| std::time::Duration::from_secs(cfg.ui.refresh_seconds)),
        flash_for: std::time::Duration::from_secs(cfg.ui.flash_seconds.max(1)),
        health: cfg.health,
        ..Settings::default()
    };
    let setup = Setup {
        gitlab: Arc::new(gitlab),
        vehaas: vehaas.map(Arc::new),
        context,
        settings,
        simulator: None,
        notices,
        config: Some(cfg.clone()),
    };
    Ok((setup, Vec::new()))
}
