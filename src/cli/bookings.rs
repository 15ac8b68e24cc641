//! `runnerdeck bookings ...`: veHaaS sessions and runner requests.

use clap::Subcommand;

use super::{ChangeArgs, DryRunArg, DurationArg, Output, OutputArg, duration_arg};
use crate::domain::{JobId, SessionId};

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
        /// How long: 30m, 1h30m, 2h, or ISO 8601 (PT1H30M); at most `[vehaas] max_duration`.
        #[arg(
            long,
            value_name = "DURATION",
            value_parser = duration_arg,
            allow_hyphen_values = true
        )]
        duration: DurationArg,
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
        dry: DryRunArg,
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
        /// How much longer: 30m, 1h, PT15M; at most `[vehaas] max_duration`.
        #[arg(
            long,
            value_name = "DURATION",
            value_parser = duration_arg,
            allow_hyphen_values = true
        )]
        by: DurationArg,
        #[command(flatten)]
        dry: DryRunArg,
        #[command(flatten)]
        out: OutputArg,
    },
    /// End a session now; its runner is deleted (needs --yes).
    Release {
        session_id: SessionId,
        #[command(flatten)]
        change: ChangeArgs,
        #[command(flatten)]
        out: OutputArg,
    },
}

impl BookingsCommand {
    pub fn output(&self) -> Output {
        match self {
            Self::List { out, .. }
            | Self::Request { out, .. }
            | Self::Status { out, .. }
            | Self::Extend { out, .. }
            | Self::Release { out, .. } => out.output,
        }
    }
}
