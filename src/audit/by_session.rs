//! Usage rows walked in line order with state per (file, session id), the shape A5 and A6 share.
//!
//! Rows of one session are nearly always consecutive, so the current session's state is kept out
//! of the map: most rows cost a key comparison, not a hash. The table is sorted by (file, line)
//! only when it is not in that order already (the ingest engine writes it in order).

use crate::model::{FileId, Rows, Tables, UsageRow};
// FxHash: keyed by session ids once per row, where SipHash cost more than the rest of the work.
use rustc_hash::FxHashMap as HashMap;

/// A session as A5 and A6 see it: the file it is in and its id.
pub type SessionKey<'t> = (FileId, &'t str);

pub fn key(row: &UsageRow) -> SessionKey<'_> {
    (row.source.file, &*row.session_id)
}

/// Every usage row, in (file, line) order.
pub fn usage_in_line_order(tables: &Tables) -> Vec<&UsageRow> {
    let mut rows: Vec<&UsageRow> = tables.usage.rows().collect();
    if !rows.is_sorted_by_key(|u| u.source) {
        rows.sort_by_key(|u| u.source);
    }
    rows
}

/// State of type `S` per session.
pub struct PerSession<'t, S> {
    parked: HashMap<SessionKey<'t>, S>,
    current: Option<(SessionKey<'t>, S)>,
}

impl<S> Default for PerSession<'_, S> {
    fn default() -> Self {
        PerSession { parked: HashMap::default(), current: None }
    }
}

impl<'t, S: Default> PerSession<'t, S> {
    /// The state of `key`'s session (its default the first time).
    pub fn get(&mut self, key: SessionKey<'t>) -> &mut S {
        if self.current.as_ref().is_some_and(|(k, _)| *k != key)
            && let Some((k, state)) = self.current.take()
        {
            self.parked.insert(k, state);
        }
        let parked = &mut self.parked;
        let (_, state) = self.current.get_or_insert_with(|| (key, parked.remove(&key).unwrap_or_default()));
        state
    }

    /// Every session's final state.
    pub fn into_map(mut self) -> HashMap<SessionKey<'t>, S> {
        if let Some((k, state)) = self.current.take() {
            self.parked.insert(k, state);
        }
        self.parked
    }
}
