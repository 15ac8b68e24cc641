//! The runner controllers list: rows in id order, the filtered view the reducer keeps (a frame
//! never scans every row), the selection pinned by id, marks, the scopes cache and which rows
//! have a change on its way; the health read in the background and the chosen sort.

use std::collections::{BTreeMap, BTreeSet};

use super::Remote;
use super::detail::Detail;
use super::filter::Filter;
use super::sort::{self, Sort};
use super::undo::LastChange;
use crate::domain::{ControllerId, RunnerController, Scopes, Timestamp};
use crate::effect::ReqId;

#[derive(Debug, Clone, Default)]
pub struct Controllers {
    pub remote: Remote<Vec<RunnerController>>,
    /// Only the first page is in (the rest of the first listing is on its way).
    pub partial: bool,
    pub requested_at: Option<Timestamp>,
    /// The selected controller, by id: a refresh never moves it.
    pub selected: Option<ControllerId>,
    pub detail: Option<Detail>,
    /// Scopes known per controller (from the detail, a fresh read or the background preview).
    pub scopes: BTreeMap<ControllerId, Scopes>,
    /// The background scopes read in flight, if any: (request, controller).
    pub scope_req: Option<(ReqId, ControllerId)>,
    /// The latest scopes read per controller: older answers never reach the cache.
    pub scope_latest: BTreeMap<ControllerId, ReqId>,
    /// Controllers whose scopes could not be read (not asked again in the background).
    pub scopes_unavailable: BTreeSet<ControllerId>,
    /// Changes made in this run, newest last (bounded), for `z`.
    pub undo_stack: Vec<LastChange>,
    /// Controllers with a change on its way: shown with an ellipsis, and a second change
    /// waits for the first.
    pub busy: BTreeSet<ControllerId>,
    pub filter: Option<Filter>,
    /// The controller the user chose; `selected` falls back elsewhere while it is hidden.
    pinned: Option<ControllerId>,
    /// Rows marked with `space` for a bulk change.
    pub marked: BTreeSet<ControllerId>,
    /// Indices into `rows()` that pass the filter, in the sort's order; `None` when
    /// unfiltered and unsorted.
    view: Option<Vec<usize>>,
    /// The health of each controller, read in the background.
    pub vitals: super::vitals::Vitals,
    /// GitLab's audit events of the controllers (the detail's History, `:events`).
    pub history: super::history::History,
    /// The order chosen with `:sort` / shift + letter (`None`: by id).
    pub sort: Option<Sort>,
    /// Position in `view` of each row when sorted (`u32::MAX`: hidden by the filter).
    rank: Vec<u32>,
    /// Bumped whenever `view` is rebuilt.
    view_stamp: u64,
}

impl Controllers {
    /// Every controller, in id order.
    pub fn rows(&self) -> &[RunnerController] {
        self.remote.data.as_deref().unwrap_or(&[])
    }

    fn position(&self, id: ControllerId) -> Option<usize> {
        self.rows().binary_search_by_key(&id, |c| c.id).ok()
    }

    /// The controller with this id, if the list has it.
    pub fn get(&self, id: ControllerId) -> Option<&RunnerController> {
        self.position(id).map(|i| &self.rows()[i])
    }

    /// How many rows pass the filter.
    pub fn visible_len(&self) -> usize {
        self.view.as_ref().map_or(self.rows().len(), Vec::len)
    }

    /// The `i`-th visible row.
    pub fn visible(&self, i: usize) -> Option<&RunnerController> {
        match &self.view {
            None => self.rows().get(i),
            Some(v) => v.get(i).and_then(|r| self.rows().get(*r)),
        }
    }

    pub(super) fn visible_pos(&self, id: ControllerId) -> Option<usize> {
        let at = self.position(id)?;
        match &self.view {
            None => Some(at),
            Some(v) if self.sort.is_none() => v.binary_search(&at).ok(),
            Some(_) => self
                .rank
                .get(at)
                .filter(|r| **r != u32::MAX)
                .map(|r| *r as usize),
        }
    }

    /// Changes whenever the visible rows or their order change.
    pub fn view_stamp(&self) -> u64 {
        self.view_stamp
    }

    /// Sorts by a column (the selection stays on its controller).
    pub(super) fn set_sort(&mut self, sort: Option<Sort>) {
        self.sort = sort;
        self.resort();
    }

    /// Rebuilds the order after what it sorts by changed (the selection stays put).
    pub(super) fn resort(&mut self) {
        let near = self.selected_index();
        self.refilter(near);
    }

    /// Whether the filter lets controller `id` show.
    pub fn is_visible(&self, id: ControllerId) -> bool {
        self.visible_pos(id).is_some()
    }

    /// Position of the selected controller among the visible rows.
    pub fn selected_index(&self) -> Option<usize> {
        self.visible_pos(self.selected?)
    }

    pub fn selected_controller(&self) -> Option<&RunnerController> {
        self.selected_index().and_then(|i| self.visible(i))
    }

    /// Selects the `i`-th visible row (clamped) because the user moved there.
    pub(super) fn select_index(&mut self, i: usize) {
        let n = self.visible_len();
        self.selected = if n == 0 {
            None
        } else {
            self.visible(i.min(n - 1)).map(|c| c.id)
        };
        self.pinned = self.selected;
    }

    /// Selects a controller by id, as the user's choice.
    pub fn select_id(&mut self, id: ControllerId) {
        self.pinned = Some(id);
        self.reselect(None);
    }

    /// Puts the selection back on the user's choice when it shows, else on the visible row
    /// nearest to `near` (a position among the visible rows), else on the first. The choice
    /// itself is kept, so clearing a filter brings it back.
    fn reselect(&mut self, near: Option<usize>) {
        let wanted = self.pinned.or(self.selected);
        let n = self.visible_len();
        self.selected = match wanted.and_then(|id| self.visible_pos(id)) {
            Some(i) => self.visible(i).map(|c| c.id),
            None if n == 0 => None,
            None => self.visible(near.unwrap_or(0).min(n - 1)).map(|c| c.id),
        };
    }

    /// Sets the filter (empty clears it); clearing keeps the row it had found selected.
    pub(super) fn set_filter(&mut self, text: Option<&str>) {
        if text.is_none() {
            self.adopt_selection();
        }
        self.filter = text.map(Filter::new).filter(|f| !f.text.is_empty());
        self.refilter(None);
    }

    /// The row now selected becomes the user's choice (a committed filter found it).
    pub(super) fn adopt_selection(&mut self) {
        if self.selected.is_some() {
            self.pinned = self.selected;
        }
    }

    fn refilter(&mut self, near: Option<usize>) {
        self.view = sort::view(self.rows(), self.filter.as_ref(), self.sort, &self.vitals);
        self.rank.clear();
        if let (Some(v), Some(_)) = (&self.view, self.sort) {
            self.rank.resize(self.rows().len(), u32::MAX);
            for (pos, row) in v.iter().enumerate() {
                self.rank[*row] = pos as u32;
            }
        }
        self.view_stamp += 1;
        self.reselect(near);
        // Marks only make sense on controllers that exist.
        let rows = self.remote.data.as_deref().unwrap_or(&[]);
        self.marked
            .retain(|id| rows.binary_search_by_key(id, |c| c.id).is_ok());
    }

    pub(super) fn move_by(&mut self, delta: isize) {
        let n = self.visible_len();
        if n == 0 {
            return;
        }
        let cur = self.selected_index().unwrap_or(0) as isize;
        let next = (cur + delta).clamp(0, n as isize - 1);
        self.select_index(next as usize);
    }

    /// Replaces the list, keeping the selection on the same id, or on the row that took the
    /// place of a vanished one.
    pub(super) fn set_rows(&mut self, mut rows: Vec<RunnerController>) {
        let old_index = self.selected_index();
        rows.sort_by_key(|c| c.id);
        self.remote.data = Some(rows);
        self.refilter(old_index);
    }

    pub(super) fn upsert(&mut self, c: RunnerController) {
        let old_index = self.selected_index();
        self.vitals.row_changed(c.id);
        let rows = self.remote.data.get_or_insert_with(Vec::new);
        match rows.binary_search_by_key(&c.id, |r| r.id) {
            Ok(i) => rows[i] = c,
            Err(i) => rows.insert(i, c),
        }
        self.refilter(old_index);
    }

    pub(super) fn remove(&mut self, id: ControllerId) {
        let old_index = self.selected_index();
        if let Some(rows) = self.remote.data.as_mut() {
            rows.retain(|c| c.id != id);
        }
        if self.pinned == Some(id) {
            self.pinned = None;
        }
        self.scopes.remove(&id);
        self.vitals.forget(id);
        self.refilter(old_index);
    }

    /// Records a change for `z`; the oldest fall off past 50.
    pub(super) fn remember(&mut self, change: LastChange) {
        self.undo_stack.push(change);
        if self.undo_stack.len() > 50 {
            self.undo_stack.remove(0);
        }
    }

    /// The marked controllers that still exist, in id order.
    pub fn marked_ids(&self) -> Vec<ControllerId> {
        self.marked
            .iter()
            .copied()
            .filter(|id| self.position(*id).is_some())
            .collect()
    }

    /// What is known of a controller's scopes, for the safety rule.
    pub fn scopes_seen(&self, id: ControllerId) -> crate::safety::ScopesSeen<'_> {
        use crate::safety::ScopesSeen;
        match self.scopes.get(&id) {
            Some(s) => ScopesSeen::Known(s),
            None if self.scopes_unavailable.contains(&id) => ScopesSeen::Unreadable,
            None => ScopesSeen::Unknown,
        }
    }
}

/// What the filter searches: id, state and description, in lower case.
pub(super) fn haystack(c: &RunnerController) -> String {
    format!(
        "{} {} {}",
        c.id,
        c.state,
        c.description.as_deref().unwrap_or_default()
    )
    .to_lowercase()
}
