//! The command line (clap derive). Tokens are never accepted here: they come from the config's
//! token source only.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

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
}

#[derive(Debug, Clone, Copy, Default, ValueEnum, PartialEq, Eq)]
pub enum Output {
    #[default]
    Table,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum RcCommand {
    /// List every runner controller (all pages).
    List {
        #[arg(short = 'o', long, value_enum, default_value_t)]
        output: Output,
    },
}

#[derive(Debug, Subcommand)]
pub enum BookingsCommand {
    /// List active and scheduled sessions (`--all` adds ended and released ones).
    List {
        #[arg(short = 'o', long, value_enum, default_value_t)]
        output: Output,
        #[arg(long)]
        all: bool,
    },
}
