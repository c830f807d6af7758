//! How a [`Shared`] text serializes: as its text, or, inside [`writing_table`] and
//! [`reading_table`], as its number in a table of the texts written beside the rows.
//!
//! Why: a result kept on this device (`ingest::codec`) repeats a session's id, its model and its
//! working directory on every row. Written as text, each row's copy was decoded into an `Arc`
//! of its own and then shared again: two thirds of the decoding's time on the real-world
//! profile went to those allocations (`perf` of `examples/codec_figures.rs`). As a number, a row
//! reads a varint and clones the table's `Arc`. Outside the two functions (JSON, the page's
//! protocol) a `Shared` is its text, as before.
//!
//! Rows' `Shared` fields name this module with `#[serde(with = "shared_serde")]` (and
//! [`opt`] for an `Option<Shared>`).

use super::Shared;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cell::RefCell;

enum Table {
    /// Texts numbered in the order first met.
    Writing { numbers: FxHashMap<Shared, u32>, texts: Vec<Shared> },
    Reading(Vec<Shared>),
}

thread_local! {
    static TABLE: RefCell<Option<Table>> = const { RefCell::new(None) };
}

/// Puts back the table that was in place (none, outside the codec) when dropped, also when the
/// serializing panics or fails half way.
struct Restore(Option<Table>);

impl Drop for Restore {
    fn drop(&mut self) {
        TABLE.with(|t| *t.borrow_mut() = self.0.take());
    }
}

/// Run `serialize` with every `Shared` written as its number; answer its result and the texts,
/// in the order of their numbers.
pub fn writing_table<R>(serialize: impl FnOnce() -> R) -> (R, Vec<Shared>) {
    let before = TABLE.with(|t| t.borrow_mut().replace(Table::Writing { numbers: FxHashMap::default(), texts: Vec::new() }));
    let restore = Restore(before);
    let out = serialize();
    let texts = TABLE.with(|t| match t.borrow_mut().take() {
        Some(Table::Writing { texts, .. }) => texts,
        _ => Vec::new(),
    });
    drop(restore);
    (out, texts)
}

/// Run `deserialize` with every `Shared` read as a number into `texts`; a number past their end
/// is an error of the deserializer.
pub fn reading_table<R>(texts: Vec<Shared>, deserialize: impl FnOnce() -> R) -> R {
    let before = TABLE.with(|t| t.borrow_mut().replace(Table::Reading(texts)));
    let _restore = Restore(before);
    deserialize()
}

pub fn serialize<S: Serializer>(text: &Shared, s: S) -> Result<S::Ok, S::Error> {
    let number = TABLE.with(|t| match &mut *t.borrow_mut() {
        Some(Table::Writing { numbers, texts }) => Some(*numbers.entry(text.clone()).or_insert_with(|| {
            texts.push(text.clone());
            (texts.len() - 1) as u32
        })),
        _ => None,
    });
    match number {
        Some(n) => s.serialize_u32(n),
        None => s.serialize_str(text),
    }
}

pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Shared, D::Error> {
    let reading = TABLE.with(|t| matches!(&*t.borrow(), Some(Table::Reading(_))));
    if !reading {
        return Box::<str>::deserialize(d).map(Shared::from);
    }
    let n = u32::deserialize(d)? as usize;
    TABLE.with(|t| match &*t.borrow() {
        Some(Table::Reading(texts)) => texts.get(n).cloned(),
        _ => None,
    })
    .ok_or_else(|| serde::de::Error::custom(format!("text number {n} is not in the table")))
}

/// The same for an `Option<Shared>`.
pub mod opt {
    use super::*;

    pub fn serialize<S: Serializer>(text: &Option<Shared>, s: S) -> Result<S::Ok, S::Error> {
        struct Text<'a>(&'a Shared);
        impl Serialize for Text<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                super::serialize(self.0, s)
            }
        }
        match text {
            Some(t) => s.serialize_some(&Text(t)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Shared>, D::Error> {
        struct Text(Shared);
        impl<'de> Deserialize<'de> for Text {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                super::deserialize(d).map(Text)
            }
        }
        Option::<Text>::deserialize(d).map(|t| t.map(|t| t.0))
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{RoutingRow, Shared};
    use std::sync::Arc;

    #[test]
    fn a_text_is_its_text_outside_the_table_and_its_number_inside() {
        let row = RoutingRow { session_id: "s-1".into(), model: "gpt-5".into(), cwd: Some("/r".into()), effort: None, ..Default::default() };
        let json = serde_json::to_string(&row).unwrap();
        assert!(json.contains(r#""session_id":"s-1""#) && json.contains(r#""cwd":"/r""#) && json.contains(r#""effort":null"#), "{json}");
        let back: RoutingRow = serde_json::from_str(&json).unwrap();
        assert_eq!((&*back.session_id, back.cwd.as_deref(), back.effort.as_deref()), ("s-1", Some("/r"), None));

        let rows = [row.clone(), RoutingRow { model: "gpt-5".into(), ..row.clone() }];
        let (bytes, texts) = super::writing_table(|| postcard::to_allocvec(&rows).unwrap());
        assert_eq!(texts.iter().map(|t| &**t).collect::<Vec<_>>(), ["s-1", "gpt-5", "/r"], "each text once, in order");
        assert_eq!(postcard::to_allocvec(&rows).unwrap().len() > bytes.len(), true, "numbers are shorter than the texts");
        let back: [RoutingRow; 2] = super::reading_table(texts.clone(), || postcard::from_bytes(&bytes)).unwrap();
        assert!(Arc::ptr_eq(&back[0].model, &back[1].model) && Arc::ptr_eq(&back[0].model, &texts[1]), "one allocation");
        assert_eq!((&*back[1].session_id, back[1].cwd.as_deref()), ("s-1", Some("/r")));

        // A number past the table is an error, not a panic; the table is gone afterwards.
        let short: Vec<Shared> = texts[..1].to_vec();
        assert!(super::reading_table(short, || postcard::from_bytes::<[RoutingRow; 2]>(&bytes)).is_err());
        assert_eq!(postcard::from_bytes::<[RoutingRow; 2]>(&postcard::to_allocvec(&rows).unwrap()).unwrap()[1].model.as_ref(), "gpt-5");
    }
}
