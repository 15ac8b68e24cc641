//! One change from the command line, for every verb: `--dry-run` prints the plan and sends
//! nothing; otherwise read-only mode, the safety rule (`confirm.rs`), then `ops` makes it.

use serde_json::json;

use super::confirm::allow;
use super::output::Doc;
use super::{CliError, writable};
use crate::api::GitLab;
use crate::cli::ChangeArgs;
use crate::ops::{self, Change, Done, OpError, Ops, PlannedRequest, VehaasOps};
use crate::setup::Services;

/// What a change came to.
pub(super) enum Applied {
    /// `--dry-run`: what would have been sent.
    Planned(Vec<PlannedRequest>),
    Done(Box<Done>),
}

/// `Ops` (GitLab and veHaaS) or `VehaasOps` (a bookings verb, which needs no GitLab).
pub(super) trait Changes {
    /// The GitLab the safety rule reads the controller from, if any.
    fn gitlab(&self) -> Option<&GitLab>;
    async fn plan(&self, change: &Change) -> Result<Vec<PlannedRequest>, OpError>;
    async fn run(&self, change: Change) -> Result<Done, OpError>;
}

impl Changes for Ops {
    fn gitlab(&self) -> Option<&GitLab> {
        Some(Ops::gitlab(self))
    }

    async fn plan(&self, change: &Change) -> Result<Vec<PlannedRequest>, OpError> {
        ops::plan(self, change).await
    }

    async fn run(&self, change: Change) -> Result<Done, OpError> {
        Ops::run(self, change).await
    }
}

impl Changes for VehaasOps {
    fn gitlab(&self) -> Option<&GitLab> {
        None
    }

    async fn plan(&self, change: &Change) -> Result<Vec<PlannedRequest>, OpError> {
        VehaasOps::plan(self, change).await
    }

    async fn run(&self, change: Change) -> Result<Done, OpError> {
        VehaasOps::run(self, change).await
    }
}

/// Plans (`--dry-run`) or makes the change; `what` is the question's text.
pub(super) async fn apply(
    services: &Services,
    ops: &impl Changes,
    change: Change,
    args: ChangeArgs,
    what: &str,
) -> Result<Applied, CliError> {
    if args.dry.dry_run {
        return Ok(Applied::Planned(ops.plan(&change).await?));
    }
    writable(services)?;
    allow(ops.gitlab(), &change, args.yes, what).await?;
    Ok(Applied::Done(Box::new(ops.run(change).await?)))
}

/// A dry run's result: `{"dry_run": true, "requests": [{method, url, body}]}`, or the
/// requests one per line.
pub(super) fn plan_doc(plan: &[PlannedRequest]) -> Doc<'static> {
    let requests: Vec<_> = plan.iter().map(PlannedRequest::json).collect();
    let mut notes = vec!["Dry run: nothing was sent.".to_string()];
    if plan.is_empty() {
        notes.push("It would send nothing: the server already has what was asked.".into());
    } else {
        notes.push("It would send:".into());
        for r in plan {
            notes.push(format!("  {} {}", r.method, r.url));
            if let Some(body) = &r.body {
                notes.push(format!("  {body}"));
            }
        }
    }
    Doc {
        json: json!({"dry_run": true, "requests": requests}),
        json_seq: None,
        header: &[],
        rows: Vec::new(),
        notes,
        exit: 0,
    }
}
