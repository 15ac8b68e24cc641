//! The words of every flash.

use jiff::tz::TimeZone;

use super::{failed, label, refusal, scope_changed, sending};
use crate::state::Note;
use crate::state::{Irreversible, ManyKind};

pub fn note(n: &Note, tz: &TimeZone) -> String {
    change(n)
        .or_else(|| booking(n, tz))
        .or_else(|| run(n))
        .unwrap_or_default()
}

/// Notes about controller changes, their refusals and undo.
fn change(n: &Note) -> Option<String> {
    use Note::*;
    Some(match n {
        Sending(c) => sending(c),
        Undoing(id) => format!("Undoing the change of runner controller {id}…"),
        SendingMany { n, change } => match change {
            ManyKind::SetState(to) => format!("Setting {n} runner controllers to {to}…"),
            ManyKind::Delete => format!("Deleting {n} runner controllers…"),
        },
        SkippedBusy(n) => format!(
            "{n} marked controller{} left out: a change of {} is still on its way",
            if *n == 1 { " was" } else { "s were" },
            if *n == 1 { "it" } else { "theirs" }
        ),
        Failed { change, error } => format!("{}: {error}", failed(change)),
        Refused(r) => refusal(r),
        Created(c) => format!("Created runner controller {} ({})", label(c), c.state),
        Updated {
            after,
            state_changed: true,
        } => format!("Runner controller {} is now {}", label(after), after.state),
        Updated { after, .. } => {
            format!("Saved runner controller {} ({})", label(after), after.state)
        }
        AlreadySo(c) => format!(
            "Runner controller {} already is as asked: nothing was sent",
            label(c)
        ),
        Deleted(id) => format!("Deleted runner controller {id}"),
        TokenIssued {
            id,
            token,
            rotated: Some(old),
        } => format!(
            "Rotated token {old} of runner controller {id}: the new token is {token} and the old one no longer works"
        ),
        TokenIssued { id, token, .. } => {
            format!("Created token {token} for runner controller {id}")
        }
        TokenRevoked { id, token } => format!("Revoked token {token} of runner controller {id}"),
        ScopeChanged { id, change } => format!("Runner controller {id}: {}", scope_changed(change)),
        Busy(id) => {
            format!("A change of runner controller {id} is still on its way: wait for its answer")
        }
        NothingChanged(id) => format!("Runner controller {id}: nothing changed, nothing was sent"),
        UnknownState { id, state } => format!(
            "Runner controller {id} is in state {state:?}, unknown to runnerdeck: use s to pick one"
        ),
        AlreadyInState { id, state } => format!("Runner controller {id} is already {state}"),
        MarkedAlready(s) => format!("The marked controllers are already {s}"),
        AlreadyInstanceScoped(id) => {
            format!("Runner controller {id} already has the instance scope")
        }
        HasRunnerScopes(id) => format!(
            "Runner controller {id} has runner scopes: remove them (ctrl-d on each) before adding the instance scope"
        ),
        HasInstanceScope(id) => format!(
            "Runner controller {id} has the instance scope: remove it (ctrl-d) before scoping runners"
        ),
        AlreadyScoped { id, runner } => {
            format!("Runner #{runner} is already scoped to runner controller {id}")
        }
        SelectToken => "Select a token to rotate (j/k)".into(),
        SelectTokenOrScope => {
            "Select a token or a scope to remove (j/k); esc leaves the detail".into()
        }
        NothingToUndo => "Nothing (more) to undo in this run".into(),
        CannotUndo(why) => format!(
            "{} (z again goes further back)",
            match why {
                Irreversible::Delete(id) =>
                    format!("Deleting runner controller {id} cannot be undone"),
                Irreversible::TokenChange => "Token changes cannot be undone".into(),
                Irreversible::TokenRevoke => "Revoking a token cannot be undone".into(),
            }
        ),
        UndoGone(id) => format!(
            "Runner controller {id} is gone: nothing to undo there (z again goes further back)"
        ),
        AlreadyAsBefore(id) => format!("Runner controller {id} already looks as before"),
        _ => return None,
    })
}

/// Notes about veHaaS bookings and runner requests.
fn booking(n: &Note, tz: &TimeZone) -> Option<String> {
    use Note::*;
    Some(match n {
        SessionsFailed(e) => format!("Refreshing veHaaS bookings failed: {e}"),
        RunnerRequested { assembly, job } => format!("Runner requested on {assembly}: job {job}"),
        RequestUnclear { assembly, error } => format!(
            "The runner request for {assembly} got no clear answer ({error}): the booking may or may not exist. Not retrying; refreshing the sessions to check."
        ),
        RunnerReady { assembly, tag } => format!(
            "Runner ready on {assembly}: tag {} (c copies it)",
            tag.as_deref().unwrap_or("(none)")
        ),
        JobFailed { assembly, job, why } => format!(
            "The runner request for {assembly} failed (job {job}): {}",
            why.as_deref().unwrap_or("the job failed")
        ),
        FollowRetrying { assembly, error } => {
            format!("Following the job for {assembly}: {error}; trying again")
        }
        FollowFailed { assembly, error } => {
            format!("Following the runner request for {assembly} failed: {error}")
        }
        Extended { session } => format!(
            "Booking {} on {} now ends at {}",
            session.id,
            session.assembly_ref,
            session
                .end
                .as_ref()
                .map(|e| super::super::fmt::clock(e.at(), tz))
                .unwrap_or_default()
        ),
        Released(id) => format!("Released booking {id}; its runner is gone"),
        NoTagYet => "This booking has no runner tag yet".into(),
        SessionGone(id) => format!("Booking {id} is no longer current"),
        RequestDismissed { assembly } => format!(
            "Removed the runner request for {assembly} from this list (veHaaS was not asked anything)"
        ),
        RequestStillFollowed => {
            "This request is still being followed: it cannot be dismissed yet".into()
        }
        VehaasNotConfigured => {
            "veHaaS is not configured: add a [vehaas] table to the config".into()
        }
        _ => return None,
    })
}

/// Notes about the run: listings, questions, copies, contexts.
fn run(n: &Note) -> Option<String> {
    use Note::*;
    Some(match n {
        ControllersFailed(e) => format!("Refreshing runner controllers failed: {e}"),
        TypeToConfirm { words } => format!(
            "Type {} exactly to confirm, or Esc to cancel",
            words
                .as_deref()
                .map_or("the id".to_string(), |w| format!("\"{w}\""))
        ),
        CheckingScopes => "Checking its scopes before going ahead…".into(),
        InstanceScopeTypeId => "It has the instance scope: type its id to confirm".into(),
        QuestionDropped(id) => {
            format!("Runner controller {id} is gone: its pending question was dropped")
        }
        ReadOnlyQuestionDropped => "Read-only: a pending question was dropped".into(),
        ReadOnlyKey => {
            "Read-only: nothing is changed (started with --read-only or read_only = true)".into()
        }
        ReadOnlyNothing => "Read-only: nothing is changed".into(),
        ReadOnlyNow => "Read-only for the rest of this run".into(),
        QuitWaiting(n) => format!(
            "Quitting once {n} change{} on {} way {} answered (q again quits now)",
            if *n == 1 { "" } else { "s" },
            if *n == 1 { "its" } else { "their" },
            if *n == 1 { "is" } else { "are" }
        ),
        CopiedId(id) => format!("Copied runner controller id {id}"),
        CopiedSecret => "Copied the token secret to the clipboard".into(),
        CopiedJson => "Copied the JSON".into(),
        CopiedTag(t) => format!("Copied runner tag {t}"),
        Paused(true) => "Auto-refresh paused (p to resume)".into(),
        Paused(false) => "Auto-refresh resumed".into(),
        Mouse(true) => "Mouse on: click selects, the wheel scrolls (m gives the terminal its text selection back)".into(),
        Mouse(false) => "Mouse off: the terminal selects text again (m turns it on)".into(),
        Deprecated(d) => super::deprecation(d),
        Contexts { current, all } => {
            let list: Vec<String> = all
                .iter()
                .map(|c| {
                    if c == current {
                        format!("{c} (current)")
                    } else {
                        c.clone()
                    }
                })
                .collect();
            format!("Contexts: {}. :ctx NAME switches", list.join(", "))
        }
        AlreadyOnContext(n) => format!("Already on context {n}"),
        SwitchingContext(n) => format!("Switching to context {n}…"),
        NowOnContext(n) => format!("Now on context {n}"),
        ContextFailed { name, error } => format!("Cannot switch to {name}: {error}"),
        ConfigWarning(w) => w.clone(),
        _ => return None,
    })
}
