//! Sorting the controllers list (`:sort COLUMN`, shift + the column's first letter; the same
//! column again reverses). The reducer keeps the sorted, filtered view as a list of row
//! indices, rebuilt when rows, filter, sort or (for a health column) the health data change:
//! a frame never sorts.

use super::filter::Filter;
use super::vitals::Vitals;
use crate::domain::{ControllerState, RunnerController};
use crate::health::Level;

/// A column of the controllers table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Column {
    Id,
    State,
    Scope,
    Connected,
    Tokens,
    /// The marker of the worst finding.
    Findings,
    Description,
    Updated,
}

impl Column {
    pub const ALL: [Column; 8] = [
        Column::Id,
        Column::State,
        Column::Scope,
        Column::Connected,
        Column::Tokens,
        Column::Findings,
        Column::Description,
        Column::Updated,
    ];

    /// The column named by `:sort WORD` (its header, any case, or a prefix of it).
    pub fn parse(word: &str) -> Option<Self> {
        let w = word.trim().to_ascii_lowercase();
        if w.is_empty() {
            return None;
        }
        let names = |c: Column| -> &'static [&'static str] {
            match c {
                Column::Id => &["id"],
                Column::State => &["state"],
                Column::Scope => &["scope"],
                Column::Connected => &["connected"],
                Column::Tokens => &["tokens"],
                Column::Findings => &["findings", "health"],
                Column::Description => &["description"],
                Column::Updated => &["updated"],
            }
        };
        let exact = Self::ALL
            .into_iter()
            .find(|c| names(*c).contains(&w.as_str()));
        exact.or_else(|| {
            let mut hits = Self::ALL
                .into_iter()
                .filter(|c| names(*c).iter().any(|n| n.starts_with(&w)));
            match (hits.next(), hits.next()) {
                (Some(one), None) => Some(one),
                _ => None,
            }
        })
    }

    /// Whether the column shows health data (its order changes as the reads come in).
    pub fn is_health(self) -> bool {
        matches!(
            self,
            Self::Scope | Self::Connected | Self::Tokens | Self::Findings
        )
    }
}

/// The order chosen by the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Sort {
    pub column: Column,
    pub descending: bool,
}

impl Sort {
    /// `column` pressed while `current` is in force: the same column reverses, another one
    /// starts ascending.
    pub fn toggle(current: Option<Sort>, column: Column) -> Sort {
        match current {
            Some(s) if s.column == column => Sort {
                column,
                descending: !s.descending,
            },
            _ => Sort {
                column,
                descending: false,
            },
        }
    }
}

/// What a row sorts by, then its id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    rank: i64,
    value: i64,
    then: i64,
    text: Option<String>,
}

fn key(c: &RunnerController, column: Column, v: &Vitals) -> Key {
    let k = |rank: i64, value: i64| Key {
        rank,
        value,
        then: 0,
        text: None,
    };
    let of = v.of(c.id);
    match column {
        Column::Id => k(0, 0),
        Column::State => k(
            match c.state {
                ControllerState::Enabled => 0,
                ControllerState::DryRun => 1,
                ControllerState::Disabled => 2,
                ControllerState::Other(_) => 3,
            },
            0,
        ),
        Column::Description => Key {
            rank: i64::from(c.description.as_deref().is_none_or(str::is_empty)),
            value: 0,
            then: 0,
            text: c.description.as_deref().map(str::to_lowercase),
        },
        Column::Updated => k(0, c.updated_at.as_ref().map_or(i64::MIN, |t| t.as_second())),
        // No scope first (it does nothing), runner scopes by count, the instance, unknown.
        Column::Scope => match of.and_then(|o| o.scopes.data.as_ref()) {
            None => k(3, 0),
            Some(s) if s.instance.is_some() => k(2, 0),
            Some(s) if s.runners.is_empty() => k(0, 0),
            Some(s) => k(1, s.runners.len() as i64),
        },
        Column::Connected => match of.and_then(|o| o.connected.data.flatten()) {
            Some(false) => k(0, 0),
            Some(true) => k(1, 0),
            None => k(2, 0),
        },
        Column::Tokens => match of.and_then(|o| o.tokens.data.as_ref()) {
            None => k(1, 0),
            // By how many, then by the newest use.
            Some(t) => Key {
                then: t
                    .iter()
                    .filter_map(|t| t.last_used_at.as_ref())
                    .map(|u| u.as_second())
                    .max()
                    .unwrap_or(i64::MIN),
                ..k(0, t.len() as i64)
            },
        },
        // Worst first: warnings, then notes, then nothing found, then not read yet.
        Column::Findings => match of.filter(|o| o.is_read()) {
            None => k(3, 0),
            Some(o) => match crate::health::worst(&o.findings) {
                Some(Level::Warn) => k(0, -(o.findings.len() as i64)),
                Some(Level::Info) => k(1, -(o.findings.len() as i64)),
                None => k(2, 0),
            },
        },
    }
}

/// The visible rows, as indices into `rows`: filtered, then in the chosen order. `None`
/// means every row in id order (no filter, no sort).
pub(super) fn view(
    rows: &[RunnerController],
    filter: Option<&Filter>,
    sort: Option<Sort>,
    vitals: &Vitals,
) -> Option<Vec<usize>> {
    let filter = filter.filter(|f| !f.is_empty());
    if filter.is_none() && sort.is_none() {
        return None;
    }
    let kept = rows
        .iter()
        .enumerate()
        .filter(|(_, c)| filter.is_none_or(|f| f.keeps(&super::controllers::haystack(c))));
    let Some(sort) = sort else {
        return Some(kept.map(|(i, _)| i).collect());
    };
    let mut keyed: Vec<(Key, usize)> = kept
        .map(|(i, c)| (key(c, sort.column, vitals), i))
        .collect();
    // Rows are in id order, so the index breaks ties by id.
    keyed.sort();
    if sort.descending {
        keyed.reverse();
    }
    Some(keyed.into_iter().map(|(_, i)| i).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_by_name_or_unique_prefix() {
        assert_eq!(Column::parse("STATE"), Some(Column::State));
        assert_eq!(Column::parse("sc"), Some(Column::Scope));
        assert_eq!(Column::parse("s"), None, "state or scope");
        assert_eq!(Column::parse("health"), Some(Column::Findings));
        assert_eq!(Column::parse("u"), Some(Column::Updated));
        assert_eq!(Column::parse("nope"), None);
    }

    #[test]
    fn the_same_column_again_reverses() {
        let s = Sort::toggle(None, Column::State);
        assert!(!s.descending);
        let s = Sort::toggle(Some(s), Column::State);
        assert!(s.descending);
        let s = Sort::toggle(Some(s), Column::Id);
        assert_eq!((s.column, s.descending), (Column::Id, false));
    }
}
