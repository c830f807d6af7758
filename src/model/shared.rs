//! Text that many rows repeat (a session's id, its working directory, a model's name, a policy),
//! held once: every row that repeats it holds a pointer to the same allocation.
//!
//! Why: the routing table has a row per model request, about 227,000 on the real-world profile,
//! each repeating its session's id, working directory, model, effort and two policies. As a
//! `String` each, that was six allocations a row (about 1.4 million, with the allocator's own
//! bytes on each); shared, a file's rows hold a handful (issue #14.2: compact data).

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
}
