//! The safety rule on the command line: the same `safety::gravity` as the TUI, judged on a
//! fresh read of the controller and its scopes. A change that would ask in the TUI asks on a
//! terminal (default No; the id typed where the TUI wants it typed) and needs `--yes` when
//! standard input is not a terminal; refused, nothing is sent.

use std::io::{BufRead, IsTerminal, Write};

use super::CliError;
use crate::api::GitLab;
use crate::domain::{ControllerState, Scopes};
use crate::ops::{Change, ScopeChange};
use crate::safety::{self, Gravity, ScopesSeen};

/// The gravity of `change`, judged on a fresh read of what it depends on.
async fn gravity(gitlab: Option<&GitLab>, change: &Change) -> Result<Gravity, CliError> {
    let needs_state = match change {
        Change::UpdateController { update, .. } => update.state.is_some(),
        Change::DeleteController { .. } => true,
        Change::Scope { change, .. } => {
            matches!(change, ScopeChange::AddInstance | ScopeChange::AddRunner(_))
        }
        _ => false,
    };
    let (Some(id), Some(gl)) = (change.controller().filter(|_| needs_state), gitlab) else {
        return Ok(safety::gravity(change, None, ScopesSeen::Unknown));
    };
    let controller = gl.get_controller(id).await?;
    let scopes = if safety::needs_fresh_scopes(change) {
        Some(gl.scopes(id).await)
    } else {
        None
    };
    let seen = match &scopes {
        Some(Ok(s)) => ScopesSeen::Known(s),
        Some(Err(_)) => ScopesSeen::Unreadable,
        None => ScopesSeen::Unknown,
    };
    Ok(safety::gravity(change, Some(&controller.state), seen))
}

/// Whether the change may go: `Err` (nothing sent) when it is refused or not confirmed. Reads
/// are made only when they can change the answer.
pub(super) async fn allow(
    gitlab: Option<&GitLab>,
    change: &Change,
    yes: bool,
    what: &str,
) -> Result<(), CliError> {
    if yes {
        return Ok(());
    }
    let calm = Scopes::default();
    let least = safety::gravity(
        change,
        Some(&ControllerState::Disabled),
        ScopesSeen::Known(&calm),
    );
    let tty = std::io::stdin().is_terminal();
    let g = if least > Gravity::Plain && !tty {
        least
    } else {
        gravity(gitlab, change).await?
    };
    if g == Gravity::Plain {
        return Ok(());
    }
    if !tty {
        return Err(CliError::usage(format!(
            "{what}: pass --yes to confirm (nothing was sent)"
        )));
    }
    let typed = change.controller().map(|id| id.to_string());
    let asked = match (g, typed) {
        (Gravity::TypeId, Some(id)) => {
            ask(&format!("{what}. Type {id} to confirm: ")).is_some_and(|a| a.trim() == id)
        }
        _ => ask(&format!("{what}. Go ahead? [y/N] "))
            .is_some_and(|a| matches!(a.trim(), "y" | "Y" | "yes")),
    };
    if asked {
        Ok(())
    } else {
        Err(CliError::usage("not confirmed: nothing was sent"))
    }
}

fn ask(prompt: &str) -> Option<String> {
    let mut err = std::io::stderr();
    let _ = write!(err, "{prompt}");
    let _ = err.flush();
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).ok()?;
    Some(line)
}
