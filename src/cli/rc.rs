//! `runnerdeck rc ...`: runner controllers, their tokens and scopes, mirroring
//! `glab runner-controller` (and glab's habits: `scope create|delete`, `--force`, `-F`).

use clap::{ArgGroup, Subcommand, ValueEnum};

use super::{ChangeArgs, DryRunArg, Output, OutputArg, StateArg};
use crate::domain::{ControllerId, RunnerId, TokenId};

#[derive(Debug, Subcommand)]
pub enum RcCommand {
    /// List runner controllers (every page, or one with --page), filtered and sorted here.
    List(ListArgs),
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
        /// Needed with `--state enabled` (the TUI would ask).
        #[command(flatten)]
        change: ChangeArgs,
        #[command(flatten)]
        out: OutputArg,
    },
    /// Change the description and/or the state of a runner controller.
    #[command(group(
        ArgGroup::new("fields")
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
        change: ChangeArgs,
        #[command(flatten)]
        out: OutputArg,
    },
    /// Delete a runner controller with its tokens and scopes (needs --yes).
    Delete {
        id: ControllerId,
        #[command(flatten)]
        change: ChangeArgs,
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

impl RcCommand {
    pub fn output(&self) -> Output {
        match self {
            Self::List(a) => a.out.output,
            Self::Get { out, .. }
            | Self::Create { out, .. }
            | Self::Update { out, .. }
            | Self::Delete { out, .. } => out.output,
            Self::Token(t) => t.output(),
            Self::Scope(s) => s.output(),
        }
    }
}

/// How `rc list` orders its rows.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum SortArg {
    /// Ascending id (the server's order).
    Id,
    /// By state name, then id.
    State,
    /// Most recently updated first.
    Updated,
}

#[derive(Debug, Clone, clap::Args)]
pub struct ListArgs {
    /// Only controllers in this state (repeatable, or comma-separated).
    #[arg(
        long = "state",
        value_enum,
        value_name = "STATE",
        value_delimiter = ','
    )]
    pub states: Vec<StateArg>,
    /// Only controllers whose description or id contains TEXT, ignoring case. Filtered here,
    /// after the listing: GitLab has no such search.
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
    /// Order of the rows (default: id).
    #[arg(long, value_enum, value_name = "KEY")]
    pub sort: Option<SortArg>,
    /// One page of GitLab's listing instead of every page (1 is the first).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub page: Option<u64>,
    /// Rows per page with --page (GitLab allows 1 to 100; default 20).
    #[arg(long, value_name = "M", value_parser = clap::value_parser!(u64).range(1..=100))]
    pub per_page: Option<u64>,
    #[command(flatten)]
    pub out: OutputArg,
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
        dry: DryRunArg,
        #[command(flatten)]
        out: OutputArg,
    },
    /// Rotate a token: a new one (new id) replaces it at once (needs --yes).
    Rotate {
        id: ControllerId,
        token_id: TokenId,
        #[command(flatten)]
        change: ChangeArgs,
        #[command(flatten)]
        out: OutputArg,
    },
    /// Revoke a token (needs --yes).
    Revoke {
        id: ControllerId,
        token_id: TokenId,
        #[command(flatten)]
        change: ChangeArgs,
        #[command(flatten)]
        out: OutputArg,
    },
}

impl TokenCommand {
    pub fn output(&self) -> Output {
        match self {
            Self::List { out, .. }
            | Self::Create { out, .. }
            | Self::Rotate { out, .. }
            | Self::Revoke { out, .. } => out.output,
        }
    }
}

/// Exactly one of `--instance` and `--runner RUNNER_ID[,RUNNER_ID...]`.
#[derive(Debug, Clone, clap::Args)]
#[group(required = true, multiple = false)]
pub struct ScopeTarget {
    /// The instance scope: the controller sees every job on the instance.
    #[arg(long)]
    pub instance: bool,
    /// Runner scopes: the controller sees jobs of these instance-type runners (GitLab 18.10+).
    /// Several (`--runner 1,2,3`, or repeated) are changed one by one, in order, stopping at
    /// the first failure.
    #[arg(long, value_name = "RUNNER_ID", value_delimiter = ',')]
    pub runner: Vec<RunnerId>,
}

#[derive(Debug, Subcommand)]
pub enum ScopeCommand {
    /// Show the scopes of a controller.
    List {
        id: ControllerId,
        #[command(flatten)]
        out: OutputArg,
    },
    /// Add the instance scope or runner scopes (glab: `create`).
    #[command(visible_alias = "create")]
    Add {
        id: ControllerId,
        #[command(flatten)]
        target: ScopeTarget,
        /// Needed when the change asks in the TUI (a scope on an enabled controller).
        #[command(flatten)]
        change: ChangeArgs,
        #[command(flatten)]
        out: OutputArg,
    },
    /// Remove the instance scope or runner scopes (glab: `delete`; needs --yes).
    #[command(visible_alias = "delete")]
    Remove {
        id: ControllerId,
        #[command(flatten)]
        target: ScopeTarget,
        #[command(flatten)]
        change: ChangeArgs,
        #[command(flatten)]
        out: OutputArg,
    },
}

impl ScopeCommand {
    pub fn output(&self) -> Output {
        match self {
            Self::List { out, .. } | Self::Add { out, .. } | Self::Remove { out, .. } => out.output,
        }
    }
}
