//! The command line (clap derive). Tokens are never accepted here: they come from the config's
//! token source only.

use std::path::PathBuf;
use std::time::Duration;

use clap::{ArgGroup, Parser, Subcommand, ValueEnum};

use crate::domain::{ControllerId, ControllerState, JobId, RunnerId, SessionId, TokenId};
use crate::duration::{self, DurationError};

#[derive(Debug, Parser)]
#[command(
    name = "runnerdeck",
    version,
    about = "GitLab runner controllers and veHaaS bookings, in a terminal"
)]
pub struct Cli {
    /// Configuration file (default: $RUNNERDECK_CONFIG, then ~/.config/runnerdeck/config.toml).
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

/// A duration as a user types it (`30m`, `1h30m`, `PT2H`) within the default booking limits;
/// refused with the reason (negative, zero, under a minute, over a week, not a duration).
fn human_duration(s: &str) -> Result<Duration, DurationError> {
    duration::Limits::default().parse(s)
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
    /// Output format: an aligned table, or one JSON document.
    #[arg(short = 'o', long, value_enum, default_value_t)]
    pub output: Output,
}

#[derive(Debug, Clone, Copy, Default, clap::Args)]
pub struct YesArg {
    /// Confirm a change that cannot be undone (the TUI would ask).
    #[arg(short = 'y', long)]
    pub yes: bool,
}

#[derive(Debug, Subcommand)]
pub enum RcCommand {
    /// List every runner controller (all pages).
    List {
        #[command(flatten)]
        out: OutputArg,
    },
    /// Show one runner controller (with `connected` on GitLab 18.10+).
    Get {
        id: ControllerId,
        #[command(flatten)]
        out: OutputArg,
    },
    /// Create a runner controller (GitLab makes it `disabled` unless --state says otherwise).
    Create {
        #[arg(long, value_name = "TEXT")]
        description: Option<String>,
        #[arg(long, value_enum)]
        state: Option<StateArg>,
        #[command(flatten)]
        out: OutputArg,
    },
    /// Change the description and/or the state of a runner controller.
    #[command(group(
        ArgGroup::new("change")
            .required(true)
            .multiple(true)
            .args(["description", "clear_description", "state"])
    ))]
    Update {
        id: ControllerId,
        #[arg(long, value_name = "TEXT", conflicts_with = "clear_description")]
        description: Option<String>,
        /// Remove the description (sends `null`).
        #[arg(long)]
        clear_description: bool,
        #[arg(long, value_enum)]
        state: Option<StateArg>,
        /// Needed with `--state enabled`: enforcement starts (the TUI would ask).
        #[command(flatten)]
        yes: YesArg,
        #[command(flatten)]
        out: OutputArg,
    },
    /// Delete a runner controller with its tokens and scopes (needs --yes).
    Delete {
        id: ControllerId,
        #[command(flatten)]
        yes: YesArg,
        #[command(flatten)]
        out: OutputArg,
    },
    /// Tokens of a runner controller.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Scopes of a runner controller (the instance, or instance-type runners).
    #[command(subcommand)]
    Scope(ScopeCommand),
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// List the active tokens of a controller.
    List {
        id: ControllerId,
        #[command(flatten)]
        out: OutputArg,
    },
    /// Create a token; its secret is printed once and can never be shown again.
    Create {
        id: ControllerId,
        #[arg(long, value_name = "TEXT")]
        description: Option<String>,
        #[command(flatten)]
        out: OutputArg,
    },
    /// Rotate a token: the old one is revoked, the new one (new id) is printed once.
    /// Rotate a token: a new one (new id) replaces it at once (needs --yes).
    Rotate {
        id: ControllerId,
        token_id: TokenId,
        #[command(flatten)]
        yes: YesArg,
        #[command(flatten)]
        out: OutputArg,
    },
    /// Revoke a token (needs --yes).
    Revoke {
        id: ControllerId,
        token_id: TokenId,
        #[command(flatten)]
        yes: YesArg,
        #[command(flatten)]
        out: OutputArg,
    },
}

/// Exactly one of `--instance` and `--runner RUNNER_ID`.
#[derive(Debug, Clone, Copy, clap::Args)]
#[group(required = true, multiple = false)]
pub struct ScopeTarget {
    /// The instance scope: the controller sees every job on the instance.
    #[arg(long)]
    pub instance: bool,
    /// A runner scope: the controller sees jobs of this instance-type runner (GitLab 18.10+).
    #[arg(long, value_name = "RUNNER_ID")]
    pub runner: Option<RunnerId>,
}

#[derive(Debug, Subcommand)]
pub enum ScopeCommand {
    /// Show the scopes of a controller.
    List {
        id: ControllerId,
        #[command(flatten)]
        out: OutputArg,
    },
    /// Add the instance scope or a runner scope.
    Add {
        id: ControllerId,
        #[command(flatten)]
        target: ScopeTarget,
        /// Needed when the change asks in the TUI (the instance scope on an enabled controller).
        #[command(flatten)]
        yes: YesArg,
        #[command(flatten)]
        out: OutputArg,
    },
    /// Remove the instance scope or a runner scope.
    Remove {
        id: ControllerId,
        #[command(flatten)]
        target: ScopeTarget,
        /// Confirm the removal (the TUI would ask).
        #[command(flatten)]
        yes: YesArg,
        #[command(flatten)]
        out: OutputArg,
    },
}

#[derive(Debug, Subcommand)]
pub enum BookingsCommand {
    /// List active and scheduled sessions (`--all` adds ended and released ones).
    List {
        #[command(flatten)]
        out: OutputArg,
        #[arg(long)]
        all: bool,
    },
    /// Book an assembly and request a GitLab Runner on it (`POST /jobs`, sent exactly once).
    Request {
        /// The assembly to book, e.g. HIL-BENCH-01.
        #[arg(long, value_name = "REF")]
        assembly: String,
        /// How long: 30m, 1h30m, 2h, or ISO 8601 (PT1H30M).
        #[arg(
            long,
            value_name = "DURATION",
            value_parser = human_duration,
            allow_hyphen_values = true
        )]
        duration: Duration,
        /// The GitLab the runner registers with (default: the configured GitLab URL).
        #[arg(long, value_name = "URL")]
        provider_url: Option<String>,
        /// Fail if the assembly is busy instead of queueing behind the booking.
        #[arg(long)]
        no_queue: bool,
        /// Follow the job until the runner is there and print its tag.
        #[arg(long)]
        wait: bool,
        #[command(flatten)]
        out: OutputArg,
    },
    /// Show a runner request (job) and, once finished, its runner tag.
    Status {
        job_id: JobId,
        #[command(flatten)]
        out: OutputArg,
    },
    /// Move the end of a session later by --by.
    Extend {
        session_id: SessionId,
        /// How much longer: 30m, 1h, PT15M.
        #[arg(
            long,
            value_name = "DURATION",
            value_parser = human_duration,
            allow_hyphen_values = true
        )]
        by: Duration,
        #[command(flatten)]
        out: OutputArg,
    },
    /// End a session now; its runner is deleted (needs --yes).
    Release {
        session_id: SessionId,
        #[command(flatten)]
        yes: YesArg,
        #[command(flatten)]
        out: OutputArg,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("runnerdeck").chain(args.iter().copied()))
    }

    #[test]
    fn scope_target_is_exactly_one() {
        assert!(parse(&["rc", "scope", "add", "1", "--instance"]).is_ok());
        assert!(parse(&["rc", "scope", "add", "1", "--runner", "5"]).is_ok());
        assert!(parse(&["rc", "scope", "add", "1"]).is_err());
        assert!(parse(&["rc", "scope", "remove", "1", "--instance", "--runner", "5"]).is_err());
    }

    #[test]
    fn update_needs_a_change_and_no_contradiction() {
        assert!(parse(&["rc", "update", "1"]).is_err());
        assert!(parse(&["rc", "update", "1", "--state", "dry_run"]).is_ok());
        assert!(parse(&["rc", "update", "1", "--state", "dry-run"]).is_ok());
        assert!(parse(&["rc", "update", "1", "--clear-description"]).is_ok());
        assert!(
            parse(&[
                "rc",
                "update",
                "1",
                "--description",
                "x",
                "--clear-description"
            ])
            .is_err()
        );
    }

    #[test]
    fn bad_durations_are_refused_with_the_reason() {
        let err = parse(&["bookings", "extend", "1", "--by", "0m"]).expect_err("zero");
        assert_eq!(err.exit_code(), 2);
        assert!(err.to_string().contains("is zero"), "{err}");
        let err = parse(&[
            "bookings",
            "request",
            "--assembly",
            "A",
            "--duration",
            "soon",
        ])
        .expect_err("not a duration");
        assert!(err.to_string().contains("1h30m"), "{err}");
        let ok = parse(&[
            "bookings",
            "request",
            "--assembly",
            "A",
            "--duration",
            "1h30m",
        ])
        .expect("parses");
        match ok.command {
            Some(Command::Bookings(BookingsCommand::Request { duration, .. })) => {
                assert_eq!(duration, Duration::from_secs(5400));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_leading_minus_reaches_the_duration_check() {
        for (args, reason) in [
            (
                &["bookings", "extend", "1", "--by", "-5m"][..],
                "a duration cannot be negative",
            ),
            (
                &[
                    "bookings",
                    "request",
                    "--assembly",
                    "A",
                    "--duration",
                    "-1h",
                ][..],
                "a duration cannot be negative",
            ),
            (
                &["bookings", "extend", "1", "--by", "30s"][..],
                "use at least 1m",
            ),
            (
                &["bookings", "extend", "1", "--by", "99999999999h"][..],
                "at most 7d",
            ),
        ] {
            let err = parse(args).expect_err(reason);
            assert_eq!(err.exit_code(), 2, "{err}");
            assert!(err.to_string().contains(reason), "{err}");
        }
    }
}
