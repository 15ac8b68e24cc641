//! What comes back at the next start, per context: the pane in focus, each pane's filter, the
//! sort, the bookings view; and the `:` line's history. Plain data, read from and written to a
//! small file in the state dir by the app (`crate::saved_file`); here only how it is taken
//! from the state and put back.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Pane, Sort, State};

/// The view of one context as it was left.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SavedView {
    pub pane: Option<Pane>,
    pub controllers_filter: Option<String>,
    pub bookings_filter: Option<String>,
    pub timeline: bool,
    /// The controllers' sort.
    pub sort: Option<Sort>,
}

/// The whole file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Saved {
    pub history: Vec<String>,
    pub contexts: BTreeMap<String, SavedView>,
}

impl State {
    /// The view to keep for this context.
    pub fn saved_view(&self) -> SavedView {
        SavedView {
            pane: Some(self.focus),
            controllers_filter: self.controllers.filter.as_ref().map(|f| f.text.clone()),
            bookings_filter: self.bookings.filter.as_ref().map(|f| f.text.clone()),
            timeline: self.bookings.timeline,
            sort: self.controllers.sort,
        }
    }

    /// Puts a kept view back (before the first data arrives: filters apply as it does).
    pub fn restore_view(&mut self, v: &SavedView) {
        self.focus = match v.pane {
            Some(Pane::Bookings) if self.bookings.configured => Pane::Bookings,
            _ => Pane::Controllers,
        };
        self.controllers.set_filter(v.controllers_filter.as_deref());
        let now = self.now;
        self.bookings.set_filter(v.bookings_filter.as_deref(), now);
        self.bookings.timeline = v.timeline;
        self.controllers.set_sort(v.sort);
    }

    /// Everything worth keeping, merged into what the file held (other contexts stay).
    pub fn save_into(&self, saved: &mut Saved) {
        saved.history.clone_from(&self.command_history.entries);
        saved
            .contexts
            .insert(self.context.context_name.clone(), self.saved_view());
    }

    /// At start: the history, and this context's view.
    pub fn restore(&mut self, saved: &Saved) {
        self.command_history = super::CommandHistory::default();
        for line in &saved.history {
            self.command_history.push(line);
        }
        if let Some(v) = saved.contexts.get(&self.context.context_name) {
            self.restore_view(v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::msg::{Edit, Intent};
    use crate::state::tests::{bookings_loaded, loaded};
    use crate::state::update;

    #[test]
    fn a_view_left_comes_back_filters_and_all() {
        let mut s = bookings_loaded();
        update(&mut s, Intent::Filter);
        update(&mut s, Intent::Edit(Edit::Char('3')));
        update(&mut s, Intent::Submit);
        update(&mut s, Intent::ToggleTimeline);
        s.controllers.set_sort(Some(crate::state::Sort {
            column: crate::state::SortColumn::State,
            descending: true,
        }));
        let mut saved = Saved::default();
        s.save_into(&mut saved);
        let text = toml::to_string(&saved).expect("serialises");
        let back: Saved = toml::from_str(&text).expect("reads back");

        let mut fresh = loaded(1);
        assert_eq!(fresh.focus, Pane::Controllers);
        fresh.restore(&back);
        assert_eq!(fresh.focus, Pane::Bookings);
        assert_eq!(
            fresh.bookings.filter.as_ref().map(|f| f.text.as_str()),
            Some("3")
        );
        assert!(fresh.bookings.timeline);
        let sort = fresh.controllers.sort.expect("the sort came back");
        assert_eq!(sort.column, crate::state::SortColumn::State);
        assert!(sort.descending);
        assert!(text.contains("column = \"state\""), "{text}");
    }

    #[test]
    fn another_contexts_view_is_not_applied() {
        let mut saved = Saved::default();
        saved.contexts.insert(
            "staging".into(),
            SavedView {
                pane: Some(Pane::Bookings),
                controllers_filter: Some("x".into()),
                ..SavedView::default()
            },
        );
        let mut s = loaded(1);
        s.restore(&saved);
        assert_eq!(s.focus, Pane::Controllers);
        assert!(s.controllers.filter.is_none());
    }
}
