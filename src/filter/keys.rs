//! Each row's session and model as a small number, worked out once per ledger and kept for every
//! filter after the first (issue #18.2).
//!
//! A filter change used to compare every row's session id and model, as text, with the last
//! session looked up and the chosen models: two reads of scattered heap text per row, about a
//! quarter of a new model filter's time on the real-world profile (`perf`, `benches/actions.rs`).
//! With the numbers, a row's session and model are an index into a few small arrays.
//!
//! Numbers follow first sight in a fixed order of the tables, so the same tables always get the
//! same numbers. [`Keys::fits`] tells whether keys were made from these very tables (the address and
//! length of each table's row vector: rows are shared and never move while the ledger lives).

use crate::model::{Row, Tables};
use rustc_hash::FxHashMap;

/// A row with no model (a query, a tool call that names none).
pub(super) const NO_MODEL: u32 = u32::MAX;

/// Session and model numbers of the rows of the session tables.
#[derive(Debug)]
pub struct Keys {
    /// The tables the numbers are for.
    of: Fingerprint,
    /// How many distinct session ids there are (numbers `0..session_count`).
    pub(super) session_count: usize,
    /// The distinct models, by number.
    pub(super) models: Vec<String>,
    /// Per row of each table, its session's number (and its model's, or [`NO_MODEL`]).
    pub(super) sessions: Vec<u32>,
    pub(super) routing: Vec<(u32, u32)>,
    pub(super) queries: Vec<u32>,
    pub(super) replies: Vec<u32>,
    pub(super) tool_calls: Vec<(u32, u32)>,
    pub(super) usage: Vec<(u32, u32)>,
}

type Fingerprint = [(usize, usize); 6];

fn fingerprint(t: &Tables) -> Fingerprint {
    fn of<T>(rows: &[Row<T>]) -> (usize, usize) {
        (rows.as_ptr() as usize, rows.len())
    }
    [of(&t.sessions), of(&t.routing), of(&t.queries), of(&t.replies), of(&t.tool_calls), of(&t.usage)]
}

/// Numbers for texts, in order of first sight.
#[derive(Default)]
struct Numbering<'t> {
    seen: FxHashMap<&'t str, u32>,
    /// The last text numbered: rows stand in runs of one session (a file's lines).
    last: Option<(&'t str, u32)>,
}

impl<'t> Numbering<'t> {
    fn number(&mut self, text: &'t str) -> u32 {
        if let Some((last, n)) = self.last
            && last == text
        {
            return n;
        }
        let next = self.seen.len() as u32;
        let n = *self.seen.entry(text).or_insert(next);
        self.last = Some((text, n));
        n
    }
}

impl Keys {
    /// Number every row of `t`.
    pub fn of(t: &Tables) -> Keys {
        let (mut session, mut model) = (Numbering::default(), Numbering::default());
        let sessions = t.sessions.iter().map(|s| session.number(&s.session_id)).collect();
        let routing = t.routing.iter().map(|r| (session.number(&r.session_id), model.number(&r.model))).collect();
        let queries = t.queries.iter().map(|q| session.number(&q.session_id)).collect();
        let replies = t.replies.iter().map(|r| session.number(&r.session_id)).collect();
        let tool_calls = t
            .tool_calls
            .iter()
            .map(|c| (session.number(&c.session_id), c.model.as_deref().map_or(NO_MODEL, |m| model.number(m))))
            .collect();
        let usage = t.usage.iter().map(|u| (session.number(&u.session_id), model.number(&u.model))).collect();
        let mut models = vec![String::new(); model.seen.len()];
        for (name, n) in model.seen {
            models[n as usize] = name.to_string();
        }
        Keys {
            of: fingerprint(t),
            session_count: session.seen.len(),
            models,
            sessions,
            routing,
            queries,
            replies,
            tool_calls,
            usage,
        }
    }

    /// Whether these keys were made from `t` itself.
    pub fn fits(&self, t: &Tables) -> bool {
        self.of == fingerprint(t)
    }
}
