//! The columns of the controllers table: which fit the pane, their headers (the sorted one
//! with `▲` / `▼`) and the health cells (SCOPE, CONNECTED, TOKENS, the worst finding's
//! marker) from the background reads. Narrow panes drop columns in `DROP_ORDER`; the marker,
//! ID, STATE and DESCRIPTION (at least `DESCRIPTION_MIN` wide) always stay.

use ratatui::layout::Constraint;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row};

use super::{theme, words::health as words};
use crate::domain::{ControllerState, RunnerController};
use crate::health::Level;
use crate::state::{Sort, SortColumn as Col, State, VitalsEntry};

/// The first column to go when the pane is too narrow, then the next.
pub const DROP_ORDER: [Col; 4] = [Col::Updated, Col::Tokens, Col::Connected, Col::Scope];
pub const DESCRIPTION_MIN: u16 = 22;

/// Left to right.
const ORDER: [Col; 8] = [
    Col::Findings,
    Col::Id,
    Col::State,
    Col::Scope,
    Col::Connected,
    Col::Tokens,
    Col::Description,
    Col::Updated,
];

fn name(c: Col) -> &'static str {
    match c {
        Col::Findings => "!",
        Col::Id => "ID",
        Col::State => "STATE",
        Col::Scope => "SCOPE",
        Col::Connected => "CONNECTED",
        Col::Tokens => "TOKENS",
        Col::Description => "DESCRIPTION",
        Col::Updated => "UPDATED",
    }
}

/// `STATE ▲` when sorted by it.
fn header_text(c: Col, sort: Option<Sort>) -> String {
    match sort.filter(|s| s.column == c) {
        Some(s) => format!("{} {}", name(c), if s.descending { "▼" } else { "▲" }),
        None => name(c).to_string(),
    }
}

/// The columns shown and their widths, for a table `width` cells wide.
pub fn plan(width: u16, id_w: u16, sort: Option<Sort>) -> Vec<(Col, u16)> {
    let base = |c: Col| -> u16 {
        let w = match c {
            Col::Findings => 1,
            Col::Id => id_w,
            Col::State => 9,
            Col::Scope => 10,
            Col::Connected => 9,
            Col::Tokens => 9,
            Col::Description => DESCRIPTION_MIN,
            Col::Updated => 8,
        };
        w.max(header_text(c, sort).chars().count() as u16)
    };
    let mut cols: Vec<(Col, u16)> = ORDER.iter().map(|c| (*c, base(*c))).collect();
    let need = |cols: &[(Col, u16)]| -> u16 {
        cols.iter().map(|(_, w)| *w).sum::<u16>() + cols.len().saturating_sub(1) as u16
    };
    for drop in DROP_ORDER {
        if need(&cols) <= width {
            break;
        }
        cols.retain(|(c, _)| *c != drop);
    }
    cols
}

/// The cells DESCRIPTION gets in `width` (it takes what the others leave), so a long one is
/// cut with an ellipsis rather than at the column's edge.
pub fn description_width(width: u16, plan: &[(Col, u16)]) -> usize {
    let others: u16 = plan
        .iter()
        .filter(|(c, _)| *c != Col::Description)
        .map(|(_, w)| *w)
        .sum();
    let gaps = plan.len().saturating_sub(1) as u16;
    usize::from(width.saturating_sub(others + gaps))
}

pub fn widths(plan: &[(Col, u16)]) -> Vec<Constraint> {
    plan.iter()
        .map(|(c, w)| match c {
            Col::Description => Constraint::Fill(1),
            _ => Constraint::Length(*w),
        })
        .collect()
}

pub fn header(plan: &[(Col, u16)], sort: Option<Sort>) -> Row<'static> {
    Row::new(plan.iter().map(|(c, _)| header_text(*c, sort))).style(theme::header_cell())
}

fn dim(text: &str) -> Cell<'static> {
    Cell::from(Span::styled(text.to_string(), theme::dim()))
}

/// A health cell that is not read yet, or could not be read.
fn unknown(failed: bool) -> Cell<'static> {
    dim(if failed {
        words::UNREADABLE
    } else {
        words::PENDING
    })
}

fn live(c: &RunnerController) -> bool {
    matches!(c.state, ControllerState::Enabled | ControllerState::DryRun)
}

/// The cell of a health column for row `r`.
pub fn cell(state: &State, r: &RunnerController, col: Col) -> Cell<'static> {
    let e: Option<&VitalsEntry> = state.controllers.vitals.of(r.id);
    let warn = theme::warn();
    match col {
        Col::Findings => match e.map(|e| crate::health::worst(&e.findings)) {
            Some(Some(Level::Warn)) => Cell::from(Span::styled(
                "!",
                theme::danger().add_modifier(Modifier::BOLD),
            )),
            Some(Some(Level::Info)) => Cell::from(Span::styled("i", warn)),
            _ => Cell::from(""),
        },
        Col::Scope => match e.map(|e| (&e.scopes.data, e.scopes.failed)) {
            Some((Some(s), _)) => {
                let text = words::scope(s);
                let style = if s.instance.is_some() {
                    theme::accent().add_modifier(Modifier::BOLD)
                } else if s.runners.is_empty() && live(r) {
                    warn
                } else {
                    Style::new()
                };
                Cell::from(Span::styled(text, style))
            }
            Some((None, failed)) => unknown(failed),
            None => unknown(false),
        },
        Col::Connected => {
            let known = e.and_then(|e| e.connected.data.flatten());
            let text = words::connected(known);
            let style = match known {
                Some(true) => theme::ok(),
                Some(false) if r.state == ControllerState::Enabled => warn,
                Some(false) => Style::new(),
                None => theme::dim(),
            };
            Cell::from(Span::styled(text, style))
        }
        Col::Tokens => match e.map(|e| (&e.tokens.data, e.tokens.failed)) {
            Some((Some(t), _)) => {
                let style = if t.is_empty() && live(r) {
                    warn
                } else {
                    Style::new()
                };
                Cell::from(Span::styled(words::tokens(t, state.now), style))
            }
            Some((None, failed)) => unknown(failed),
            None => unknown(false),
        },
        _ => Cell::from(Line::default()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(width: u16) -> Vec<Col> {
        plan(width, 2, None).into_iter().map(|(c, _)| c).collect()
    }

    #[test]
    fn narrow_panes_drop_columns_in_the_documented_order() {
        assert_eq!(shown(78), ORDER.to_vec(), "80 columns, stacked: all");
        let mut want = ORDER.to_vec();
        for (i, drop) in DROP_ORDER.iter().enumerate() {
            want.retain(|c| c != drop);
            let w = [70, 60, 50, 40][i];
            assert_eq!(shown(w), want, "{w} cells");
        }
        assert!(shown(10).contains(&Col::Description), "it always stays");
    }

    #[test]
    fn the_sorted_column_has_room_for_its_arrow() {
        let sort = Some(Sort {
            column: Col::Connected,
            descending: true,
        });
        let p = plan(200, 2, sort);
        assert!(p.contains(&(Col::Connected, 11)), "{p:?}");
        assert_eq!(header_text(Col::State, None), "STATE");
        assert_eq!(header_text(Col::Connected, sort), "CONNECTED ▼");
    }
}
