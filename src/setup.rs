//! Start-up: from the command line and the config (or the embedded simulator for `--demo`) to
//! API clients and the header context. Each service is set up on its own (`Services`): a
//! missing veHaaS token does not stop `rc list`, a missing GitLab token does not stop
//! `bookings list`. The TUI needs GitLab (`Services::into_setup`) and shows a veHaaS that could
//! not be set up in its bookings pane; the same code opens another context for `:ctx`.

use std::sync::Arc;

use secrecy::SecretString;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

use crate::api::{ApiError, GitLab, Vehaas, VehaasPaths};
use crate::cli::Cli;
use crate::config::{self, Config, ConfigError, GitlabConfig, HttpConfig, VehaasConfig};
use crate::domain::Deprecation;
use crate::keymap::Keymap;
use crate::sim::{SimOptions, Simulator};
use crate::state::{Context, Settings};
use crate::ui::theme::{Palette, Theme};

/// What the TUI runs on: GitLab, and veHaaS when it is configured and could be set up.
pub struct Setup {
    pub gitlab: Arc<GitLab>,
    pub vehaas: Option<Arc<Vehaas>>,
    pub context: Context,
    pub settings: Settings,
    /// Keeps the embedded simulator alive for `--demo`.
    pub simulator: Option<Simulator>,
    pub notices: UnboundedReceiver<Deprecation>,
    /// The configuration it came from, to switch contexts later (`None` for `--demo`).
    pub config: Option<Config>,
}

/// Each service's client, or why it could not be set up.
pub struct Services {
    pub gitlab: Result<Arc<GitLab>, SetupError>,
    /// `None`: veHaaS is not configured.
    pub vehaas: Option<Result<Arc<Vehaas>, SetupError>>,
    pub context: Context,
    pub settings: Settings,
    pub simulator: Option<Simulator>,
    pub notices: UnboundedReceiver<Deprecation>,
    pub config: Option<Config>,
    /// Where the veHaaS token comes from (`env VEHAAS_TOKEN`, ...), when veHaaS is configured.
    pub vehaas_credential: Option<String>,
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

impl Services {
    /// For the TUI: GitLab is needed; a veHaaS that could not be set up is named in the
    /// bookings pane instead of stopping the program.
    pub fn into_setup(self) -> Result<Setup, SetupError> {
        let gitlab = self.gitlab?;
        let mut context = self.context;
        let vehaas = match self.vehaas {
            Some(Ok(v)) => Some(v),
            Some(Err(e)) => {
                context.vehaas_error = Some(format!("veHaaS: {e}"));
                context.vehaas_url = None;
                None
            }
            None => None,
        };
        Ok(Setup {
            gitlab,
            vehaas,
            context,
            settings: self.settings,
            simulator: self.simulator,
            notices: self.notices,
            config: self.config,
        })
    }
}

/// Every service of the run, each with its own error; `Err` only when there is no usable
/// configuration at all. Returns what is worth a warning.
pub async fn services(cli: &Cli) -> Result<(Services, Vec<String>), SetupError> {
    if cli.demo {
        return demo(cli).await;
    }
    let (cfg, mut warnings) = config::find(cli.config.as_deref())?;
    let name = cli
        .context
        .clone()
        .unwrap_or_else(|| config::DEFAULT_CONTEXT.to_string());
    match context_services(&cfg, &name, cli.read_only) {
        Ok((s, look_warnings)) => {
            warnings.extend(look_warnings);
            Ok((s, warnings))
        }
        Err(e) => {
            told(&warnings);
            Err(e)
        }
    }
}

/// The keys and colours of the config (`[keys]`, `[ui] theme`, `[theme]`, NO_COLOR), and what
/// in them was not taken.
fn look(cfg: &Config) -> (Arc<Keymap>, Theme, Vec<String>) {
    let (keys, mut warnings) = Keymap::with_overrides(&cfg.keys);
    let mut palette = match cfg.ui.theme {
        config::ThemeName::Dark => Palette::DARK,
        config::ThemeName::Light => Palette::LIGHT,
    };
    for (element, colour) in &cfg.theme {
        if let Err(w) = palette.set(element, colour) {
            warnings.push(format!("{w}; the theme's colour stays"));
        }
    }
    let theme = Theme {
        palette,
        mono: no_color(),
    };
    (Arc::new(keys), theme, warnings)
}

/// NO_COLOR (<https://no-color.org>): set and not empty.
pub fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// The caller never sees these when set-up fails; they may well explain why.
fn told(warnings: &[String]) {
    for w in warnings {
        eprintln!("runnerdeck: warning: {w}");
    }
}

/// For the TUI: `services`, with GitLab required.
pub async fn setup(cli: &Cli) -> Result<(Setup, Vec<String>), SetupError> {
    let (services, warnings) = services(cli).await?;
    match services.into_setup() {
        Ok(s) => Ok((s, warnings)),
        Err(e) => {
            told(&warnings);
            Err(e)
        }
    }
}

/// Clients and header for one configured context (by `:ctx NAME` on a blocking task: a
/// `token_command` may take its time). Returns what is worth a warning.
pub fn for_context(
    cfg: &Config,
    name: &str,
    read_only: bool,
) -> Result<(Setup, Vec<String>), SetupError> {
    // The config's warnings were said at start.
    let (services, _) = context_services(cfg, name, read_only)?;
    Ok((services.into_setup()?, Vec::new()))
}

fn gitlab_client(
    g: &GitlabConfig,
    http: &HttpConfig,
    tx: UnboundedSender<Deprecation>,
) -> Result<Arc<GitLab>, SetupError> {
    let token = g.token.resolve("GitLab")?.logged();
    let client = GitLab::new(&g.url, token, &http.options_for(&g.tls))?;
    Ok(Arc::new(client.with_notices(tx)))
}

fn vehaas_client(
    v: &VehaasConfig,
    http: &HttpConfig,
    tx: UnboundedSender<Deprecation>,
) -> Result<Arc<Vehaas>, SetupError> {
    let token = v.token.resolve("veHaaS")?.logged();
    let opts = http.options_for(&v.tls);
    Ok(Arc::new(Vehaas::new(
        &v.url,
        token,
        v.paths.clone(),
        &opts,
        Some(tx),
    )?))
}

/// The services of one context, and what in the config's look (`[keys]`, `[theme]`) was not
/// taken.
fn context_services(
    cfg: &Config,
    name: &str,
    read_only: bool,
) -> Result<(Services, Vec<String>), SetupError> {
    let (tx, notices) = tokio::sync::mpsc::unbounded_channel();
    let ctx = cfg.context(Some(name)).map_err(SetupError::Context)?;
    let gitlab = gitlab_client(&ctx.gitlab, &cfg.http, tx.clone());
    let vehaas = ctx.vehaas.as_ref().map(|v| vehaas_client(v, &cfg.http, tx));
    let context = Context {
        instance_name: ctx.gitlab.display_name(),
        gitlab_url: ctx.gitlab.url.clone(),
        credential: ctx.gitlab.token.label(),
        color: ctx.gitlab.color.clone(),
        read_only: read_only || ctx.gitlab.read_only,
        vehaas_url: ctx.vehaas.as_ref().map(|v| v.url.clone()),
        tz: jiff::tz::TimeZone::system(),
        context_name: name.to_string(),
        contexts: cfg.context_names(),
        ..Context::default()
    };
    let (keys, theme, look_warnings) = look(cfg);
    let settings = Settings {
        refresh_every: (cfg.ui.refresh_seconds > 0)
            .then(|| std::time::Duration::from_secs(cfg.ui.refresh_seconds)),
        flash_for: std::time::Duration::from_secs(cfg.ui.flash_seconds.max(1)),
        keys,
        theme,
        mouse: cfg.ui.mouse,
        durations: ctx
            .vehaas
            .as_ref()
            .map(VehaasConfig::limits)
            .unwrap_or_default(),
        health: cfg.health,
    };
    let services = Services {
        gitlab,
        vehaas,
        context,
        settings,
        simulator: None,
        notices,
        config: Some(cfg.clone()),
        vehaas_credential: ctx.vehaas.as_ref().map(|v| v.token.label()),
    };
    Ok((services, look_warnings))
}

/// `--demo`: both services on the embedded simulator, no config.
/// The demo on its own simulator. Only the look of a config file is taken (`[ui]`, `[keys]`,
/// `[theme]`), so a theme or a rebinding can be tried on it; a config that does not load is
/// simply not used.
async fn demo(cli: &Cli) -> Result<(Services, Vec<String>), SetupError> {
    let file = match cli.config.as_deref() {
        Some(p) => config::load(p).ok(),
        None => config::locate(None)
            .ok()
            .and_then(|p| config::load(&p).ok()),
    };
    let (settings, warnings) = match file {
        Some((cfg, _)) => {
            let (keys, theme, warnings) = look(&cfg);
            let settings = Settings {
                keys,
                theme,
                mouse: cfg.ui.mouse,
                ..Settings::default()
            };
            (settings, warnings)
        }
        None => {
            let theme = Theme {
                mono: no_color(),
                ..Theme::default()
            };
            let settings = Settings {
                theme,
                ..Settings::default()
            };
            (settings, Vec::new())
        }
    };
    let (tx, notices) = tokio::sync::mpsc::unbounded_channel();
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
        ..Context::default()
    };
    let services = Services {
        gitlab: Ok(Arc::new(gitlab)),
        vehaas: Some(Ok(Arc::new(vehaas))),
        context,
        settings,
        simulator: Some(sim),
        notices,
        config: None,
        vehaas_credential: Some("simulator".into()),
    };
    Ok((services, warnings))
}
