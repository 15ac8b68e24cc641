//! The command line (clap derive): the global flags, the verbs and the arguments they share.
//! Tokens are never accepted here: they come from the config's token source (or glab's
//! variables and config) only. The verbs' own arguments are in `cli/rc.rs` and
//! `cli/bookings.rs`.

mod bookings;
mod rc;
#[cfg(test)]
mod tests;

use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};

pub use bookings::BookingsCommand;
pub use rc::{ListArgs, ListWith, RcCommand, ScopeCommand, ScopeTarget, SortArg, TokenCommand};

use crate::domain::ControllerState;
use crate::duration::{self, DurationError};

/// The exit codes, as `--help` shows them (the README has the same table).
pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0    ok (also a --dry-run)
  1    usage or configuration
  2    API or network failure
  3    not authenticated or not permitted (401, 403, an unlicensed instance)
  4    not found
  5    refused: by the server (400, 409, 412, 422) or by a rule of runnerdeck's before sending
  6    findings (rc lint)
  130  interrupted (ctrl-c)
With -o json a failure also writes {\"error\": {\"kind\", \"status\", \"message\"}} as the last line
of stderr.";

#[derive(Debug, Parser)]
#[command(
    name = "runnerdeck",
    version,
    about = "GitLab runner controllers and veHaaS bookings, in a terminal",
    after_help = EXIT_CODES_HELP
)]
pub struct Cli {
    /// Configuration file (default: $RUNNERDECK_CONFIG, then ~/.config/runnerdeck/config.toml;
    /// without one, GITLAB_HOST / GITLAB_TOKEN and glab's config).
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Run against the embedded simulator: no GitLab or veHaaS needed.
    #[arg(long, global = true)]
    pub demo: bool,
    /// Never change anything: mutating keys are not bound.
    #[arg(long, global = true)]
    pub read_only: bool,
    /// Which configured instance to use (`[contexts.NAME]`; default: the top-level one).
    #[arg(long, global = true, value_name = "NAME")]
    pub context: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the simulator of both APIs on 127.0.0.1 until ctrl-c.
    Simulate(SimulateArgs),
    /// Runner controllers, for scripts.
    #[command(subcommand)]
    Rc(RcCommand),
    /// veHaaS bookings, for scripts.
    #[command(subcommand)]
    Bookings(BookingsCommand),
    /// Check the config, tokens, GitLab and veHaaS access (read-only), for when something is off.
    Doctor(OutputArg),
    /// Print a shell completion script on stdout (see the README for where it goes).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) on stdout: `runnerdeck man | man -l -`.
    Man,
}

impl Command {
    /// The output format the verb was asked for (`table` for verbs without `-o`).
    pub fn output(&self) -> Output {
        match self {
            Self::Rc(c) => c.output(),
            Self::Bookings(c) => c.output(),
            Self::Doctor(o) => o.output,
            Self::Simulate(_) | Self::Completions { .. } | Self::Man => Output::Table,
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct SimulateArgs {
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Delay added to every answer, in milliseconds.
    #[arg(long, default_value_t = 0)]
    pub latency_ms: u64,
    /// veHaaS answers in the alternative shapes (wrapped lists, upper-case states, naive times).
    #[arg(long)]
    pub lenient: bool,
    /// At least this many runner controllers: generated ones are added after the demo data.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub controllers: usize,
    /// Leave `X-Total` and `X-Total-Pages` out of every list, as GitLab does past 10,000 rows.
    #[arg(long)]
    pub no_totals: bool,
}

#[derive(Debug, Clone, Copy, Default, ValueEnum, PartialEq, Eq)]
pub enum Output {
    #[default]
    Table,
    Json,
}

/// Whether raw arguments ask for JSON output (`-o json`, `-F json`, `--output=json`): for the
/// error of a command line clap refused, before anything is parsed.
pub fn wants_json<S: AsRef<str>>(args: &[S]) -> bool {
    let args: Vec<&str> = args.iter().map(AsRef::as_ref).collect();
    args.iter().enumerate().any(|(i, a)| {
        let next_is_json = || args.get(i + 1).is_some_and(|n| *n == "json");
        match *a {
            "-o" | "-F" | "--output" => next_is_json(),
            other => matches!(other, "-ojson" | "-Fjson" | "--output=json" | "-o=json"),
        }
    })
}

/// A duration as typed (`30m`, `1h30m`, `PT2H`): its form is checked here (negative, zero,
/// under a minute, not a duration: refused with the reason); how long it may be depends on the
/// config (`[vehaas] max_duration`), so the verb checks that once the config is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DurationArg {
    pub text: String,
}

impl DurationArg {
    /// The duration within `limits`, or why not.
    pub fn within(&self, limits: &duration::Limits) -> Result<Duration, DurationError> {
        limits.parse(&self.text)
    }
}

fn duration_arg(s: &str) -> Result<DurationArg, DurationError> {
    let any_length = duration::Limits {
        max: Duration::MAX,
        ..duration::Limits::default()
    };
    match any_length.parse(s) {
        Ok(_) | Err(DurationError::OverLimit { .. }) => Ok(DurationArg {
            text: s.trim().to_string(),
        }),
        Err(e) => Err(e),
    }
}

/// A controller state on the command line.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum StateArg {
    Disabled,
    Enabled,
    #[value(name = "dry_run", alias = "dry-run")]
    DryRun,
}

impl From<StateArg> for ControllerState {
    fn from(s: StateArg) -> Self {
        match s {
            StateArg::Disabled => ControllerState::Disabled,
            StateArg::Enabled => ControllerState::Enabled,
            StateArg::DryRun => ControllerState::DryRun,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, clap::Args)]
pub struct OutputArg {
    /// Output format: an aligned table, or one JSON document (`-F` as in glab).
    #[arg(short = 'o', short_alias = 'F', long, value_enum, default_value_t)]
    pub output: Output,
}

/// `--yes` (glab: `--force`) and `--dry-run`, on every verb that may ask.
#[derive(Debug, Clone, Copy, Default, clap::Args)]
pub struct ChangeArgs {
    /// Confirm a change the TUI would ask about (needed when stdin is not a terminal).
    #[arg(short = 'y', long, visible_alias = "force")]
    pub yes: bool,
    #[command(flatten)]
    pub dry: DryRunArg,
}

/// `--dry-run` alone, on the verbs that change something without asking.
#[derive(Debug, Clone, Copy, Default, clap::Args)]
pub struct DryRunArg {
    /// Print the requests it would send (method, URL, JSON body) and send none of them.
    #[arg(long)]
    pub dry_run: bool,
}
