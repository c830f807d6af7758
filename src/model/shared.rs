//! Text that many rows repeat (a session's id, its working directory, a model's name, a policy),
//! held once: every row that repeats it holds a pointer to the same allocation.
//!
//! Why: the routing table has a row per model request, about 227,000 on the real-world profile,
//! each repeating its session's id, working directory, model, effort and two policies. As a
//! `String` each, that was six allocations a row (about 1.4 million, with the allocator's own
//! bytes on each); shared, a file's rows hold a handful (issue #14.2: compact data).

use super::{Row, Tables};
use rustc_hash::FxHashSet;
use std::sync::Arc;

/// Text held once, however many rows hold it.
pub type Shared = Arc<str>;

/// The texts of one file's rows, each held once: [`Interner::get`] answers the same allocation
/// for the same text.
#[derive(Debug, Default)]
pub struct Interner {
    held: FxHashSet<Shared>,
}

impl Interner {
    /// `text`, held once.
    pub fn get(&mut self, text: &str) -> Shared {
        if let Some(held) = self.held.get(text) {
            return held.clone();
        }
        let held: Shared = Arc::from(text);
        self.held.insert(held.clone());
        held
    }

    /// [`Self::get`] of an optional text.
    pub fn opt(&mut self, text: Option<&str>) -> Option<Shared> {
        text.map(|t| self.get(t))
    }
}

/// Make the rows of `tables` that repeat a text hold it once, as the parsers do: for tables
/// whose rows each got their own copy (decoded from a result kept on this device).
pub fn share_texts(tables: &mut Tables) {
    let mut i = Interner::default();
    let mut share = |text: &mut Shared| *text = i.get(text);
    for r in tables.routing.iter_mut().map(Row::make_mut) {
        share(&mut r.session_id);
        share(&mut r.model);
        [&mut r.effort, &mut r.approval_policy, &mut r.sandbox_policy, &mut r.cwd].into_iter().flatten().for_each(&mut share);
    }
    for u in tables.usage.iter_mut().map(Row::make_mut) {
        share(&mut u.session_id);
        share(&mut u.model);
    }
    for c in tables.tool_calls.iter_mut().map(Row::make_mut) {
        share(&mut c.session_id);
        share(&mut c.tool);
        share(&mut c.kind);
        c.model.iter_mut().for_each(&mut share);
    }
    for r in tables.replies.iter_mut().map(Row::make_mut) {
        share(&mut r.session_id);
        r.model.iter_mut().for_each(&mut share);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_text_is_one_allocation() {
        let mut i = Interner::default();
        let (a, b, c) = (i.get("/home/dev/repo"), i.get("/home/dev/repo"), i.get("/home/dev/other"));
        assert!(Arc::ptr_eq(&a, &b));
        assert!(!Arc::ptr_eq(&a, &c));
        assert_eq!((&*a, &*c), ("/home/dev/repo", "/home/dev/other"));
        assert_eq!(i.opt(None), None);
        assert!(Arc::ptr_eq(&i.opt(Some("/home/dev/other")).unwrap(), &c));
    }

    #[test]
    fn decoded_rows_share_their_texts_again() {
        use crate::model::{RoutingRow, ToolCall, UsageRow, rows_of};
        let text = |s: &str| -> Shared { Arc::from(s) };
        let mut t = Tables {
            routing: rows_of((0..3).map(|_| RoutingRow { session_id: text("s"), model: text("m"), cwd: Some(text("/r")), ..Default::default() })),
            usage: rows_of((0..2).map(|_| UsageRow { session_id: text("s"), model: text("m"), ..Default::default() })),
            tool_calls: rows_of((0..2).map(|_| ToolCall { session_id: text("s"), tool: text("Read"), kind: text("tool_use"), ..Default::default() })),
            ..Tables::default()
        };
        assert!(!Arc::ptr_eq(&t.routing[0].session_id, &t.routing[1].session_id), "each its own copy");
        share_texts(&mut t);
        let first = &t.routing[0];
        for r in &t.routing {
            assert!(Arc::ptr_eq(&r.session_id, &first.session_id) && Arc::ptr_eq(&r.model, &first.model));
            assert!(Arc::ptr_eq(r.cwd.as_ref().unwrap(), first.cwd.as_ref().unwrap()));
        }
        for u in &t.usage {
            assert!(Arc::ptr_eq(&u.session_id, &first.session_id) && Arc::ptr_eq(&u.model, &first.model));
        }
        assert!(Arc::ptr_eq(&t.tool_calls[0].tool, &t.tool_calls[1].tool));
        assert_eq!((&*t.tool_calls[1].session_id, &*t.tool_calls[1].kind), ("s", "tool_use"));
    }
}
