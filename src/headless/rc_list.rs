//! `runnerdeck rc list`: every page (or one with `--page`), then filtered by `--state` and
//! `--search` and ordered by `--sort`, all here: GitLab's list has no such parameters.

use serde_json::Value;

use super::Outcome;
use super::output::{Doc, controller_json};
use crate::api::GitLab;
use crate::cli::{ListArgs, Output, SortArg};
use crate::domain::{ControllerState, RunnerController};

/// GitLab's page size when none is asked for.
const DEFAULT_PER_PAGE: u64 = 20;

const HEADER: [&str; 4] = ["ID", "STATE", "DESCRIPTION", "UPDATED"];

pub(super) async fn list(gl: &GitLab, args: &ListArgs) -> Outcome {
    let one_page = args.page.or(args.per_page.map(|_| 1));
    let (mut rows, page_note) = match one_page {
        Some(page) => {
            let per_page = args.per_page.unwrap_or(DEFAULT_PER_PAGE);
            let p = gl.list_controllers_page(page, per_page).await?;
            let of = p
                .total_pages
                .map(|n| format!(" of {n}"))
                .unwrap_or_default();
            let next = match p.next {
                Some(n) => format!("next: --page {n}"),
                None => "the last one".into(),
            };
            (p.items, Some(format!("Page {page}{of} ({next}).")))
        }
        None => (gl.list_controllers().await?, None),
    };
    rows.retain(|c| keep(c, args));
    sort(&mut rows, args.sort);
    let doc = match args.out.output {
        Output::Json => Doc::streamed(rows, controller_json),
        Output::Table => Doc::new(Value::Null, &HEADER, rows.iter().map(row).collect()),
    };
    Ok(match page_note {
        Some(n) => doc.note(n),
        None => doc,
    })
}

fn row(c: &RunnerController) -> Vec<String> {
    vec![
        c.id.to_string(),
        c.state.to_string(),
        c.description.clone().unwrap_or_default(),
        c.updated_at
            .as_ref()
            .map(|t| t.to_string())
            .unwrap_or_default(),
    ]
}

/// `--state` (any of them) and `--search` (id or description, ignoring case).
fn keep(c: &RunnerController, args: &ListArgs) -> bool {
    let state_ok = args.states.is_empty()
        || args
            .states
            .iter()
            .any(|s| ControllerState::from(*s) == c.state);
    let search_ok = args.search.as_deref().is_none_or(|text| {
        let needle = text.to_lowercase();
        c.id.to_string().contains(&needle)
            || c.description
                .as_deref()
                .is_some_and(|d| d.to_lowercase().contains(&needle))
    });
    state_ok && search_ok
}

fn sort(rows: &mut [RunnerController], by: Option<SortArg>) {
    match by {
        None | Some(SortArg::Id) => rows.sort_by_key(|c| c.id),
        Some(SortArg::State) => {
            rows.sort_by(|a, b| (a.state.as_str(), a.id).cmp(&(b.state.as_str(), b.id)));
        }
        Some(SortArg::Updated) => rows.sort_by(|a, b| {
            let at = |c: &RunnerController| c.updated_at.as_ref().map(|t| t.at());
            // Newest first; a row without a time last.
            at(b).cmp(&at(a)).then(a.id.cmp(&b.id))
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Output, OutputArg, StateArg};
    use crate::domain::ControllerId;

    fn c(id: i64, state: ControllerState, description: &str, updated: &str) -> RunnerController {
        RunnerController {
            id: ControllerId(id),
            description: Some(description.into()),
            state,
            created_at: None,
            updated_at: updated
                .parse::<jiff::Timestamp>()
                .ok()
                .map(|t| crate::domain::Stamp::new(t, updated)),
            connected: None,
        }
    }

    fn args(states: Vec<StateArg>, search: Option<&str>) -> ListArgs {
        ListArgs {
            with: Vec::new(),
            states,
            search: search.map(str::to_string),
            sort: None,
            page: None,
            per_page: None,
            out: OutputArg {
                output: Output::Json,
            },
        }
    }

    #[test]
    fn filters_and_orders_as_asked() {
        use ControllerState::*;
        let mut rows = vec![
            c(3, Enabled, "KAS prod", "2026-01-02T00:00:00Z"),
            c(1, DryRun, "kas staging", "2026-01-03T00:00:00Z"),
            c(2, Disabled, "fleet", "2026-01-01T00:00:00Z"),
        ];
        let kept = |a: &ListArgs, rows: &[RunnerController]| -> Vec<i64> {
            rows.iter().filter(|c| keep(c, a)).map(|c| c.id.0).collect()
        };
        assert_eq!(kept(&args(vec![], Some("kas")), &rows), [3, 1]);
        assert_eq!(
            kept(&args(vec![StateArg::Enabled], Some("kas")), &rows),
            [3]
        );
        let both = args(vec![StateArg::Enabled, StateArg::Disabled], None);
        assert_eq!(kept(&both, &rows), [3, 2]);
        assert_eq!(kept(&args(vec![], Some("2")), &rows), [2]);
        sort(&mut rows, Some(SortArg::Updated));
        assert_eq!(rows.iter().map(|c| c.id.0).collect::<Vec<_>>(), [1, 3, 2]);
        sort(&mut rows, Some(SortArg::State));
        assert_eq!(rows.iter().map(|c| c.id.0).collect::<Vec<_>>(), [2, 1, 3]);
        sort(&mut rows, None);
        assert_eq!(rows.iter().map(|c| c.id.0).collect::<Vec<_>>(), [1, 2, 3]);
    }
}
