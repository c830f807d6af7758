//! The zip as a Blob: each entry's compressed chunks kept as soon as it ends and dropped (on disk
//! or in a Blob, `super::spill`), then the archive's Blob made of the container's bytes and what
//! was kept (the finished entries, 177 MB on the real-world profile, are never held beside the
//! rest). Made by the engine worker when it compresses the entries itself, or by the second
//! worker that compresses them for it (`super::deflate_server`).

use super::spill::{Keeper, Kept, Part as Whole};
use crate::export::archive::Part;
use crate::export::bundle::Bundle;
use crate::model::Millis;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::JsValue;
use web_sys::Blob;

/// An entry's compressed length and its bytes as kept, in order (or why they could not be).
type Handed = (usize, Result<Vec<Kept>, JsValue>);

/// What a bundle's entries were kept as, as they ended ([`Self::handing`]), and the chunks
/// taken from entries still open ([`Self::take`]).
pub struct Blobs {
    keeper: Rc<Keeper>,
    handed: Rc<RefCell<Vec<Handed>>>,
    /// Per open entry (by its number in the ops), the chunks taken from it so far, as kept.
    taken: Rc<RefCell<Vec<(u32, Handed)>>>,
    /// The entry about to end ([`Self::ending`]), whose taken chunks its own bytes begin with.
    ending: Rc<Cell<Option<u32>>>,
}

impl Blobs {
    /// A bundle whose entries are kept by `keeper` as they end, and what they were kept as.
    pub fn handing(generated_at_ms: Option<Millis>, keeper: Keeper) -> (Bundle, Self) {
        let blobs = Blobs { keeper: Rc::new(keeper), handed: Rc::default(), taken: Rc::default(), ending: Rc::default() };
        let bundle = {
            let (keeper, handed, taken, ending) = (blobs.keeper.clone(), blobs.handed.clone(), blobs.taken.clone(), blobs.ending.clone());
            Bundle::handing(generated_at_ms, move |n, chunks, taken_at| {
                let early: Vec<Handed> = match ending.take() {
                    Some(entry) => {
                        let mut all = taken.borrow_mut();
                        let (mine, others) = std::mem::take(&mut *all).into_iter().partition(|(e, _)| *e == entry);
                        *all = others;
                        mine.into_iter().map(|(_, kept)| kept).collect()
                    }
                    None => Vec::new(),
                };
                let mut len: usize = chunks.iter().map(Vec::len).sum();
                let mut kept = Ok(vec![]);
                let mut add = |more: Result<Vec<Kept>, JsValue>| match (&mut kept, more) {
                    (Ok(all), Ok(more)) => all.extend(more),
                    (Ok(_), Err(e)) => kept = Err(e),
                    (Err(_), _) => {}
                };
                add(keeper.keep(&slices(&chunks[..taken_at])).map(|k| vec![k]));
                for (size, early) in early {
                    len += size;
                    add(early);
                }
                add(keeper.keep(&slices(&chunks[taken_at..])).map(|k| vec![k]));
                debug_assert_eq!(n, handed.borrow().len(), "entries are handed over in order");
                handed.borrow_mut().push((len, kept));
            })
        };
        (bundle, blobs)
    }

    /// Chunks taken from open entry `entry` ([`crate::export::replay::Replay::take_full`]), kept
    /// at once and dropped.
    pub fn take(&self, entry: u32, chunks: Vec<Vec<u8>>) {
        if chunks.is_empty() {
            return;
        }
        let len = chunks.iter().map(Vec::len).sum();
        self.taken.borrow_mut().push((entry, (len, self.keeper.keep(&slices(&chunks)).map(|k| vec![k]))));
    }

    /// Entry `entry` of the ops is about to end: the chunks taken from it go before its own.
    pub fn ending(&self, entry: u32) {
        self.ending.set(Some(entry));
    }

    /// The archive of `bundle` (the one made with these Blobs): its length and Blob.
    pub async fn finish(self, bundle: Bundle) -> (usize, Result<Blob, JsValue>) {
        let layout = bundle.finish_layout();
        let handed = std::mem::take(&mut *self.handed.borrow_mut());
        let mut len = 0;
        let mut parts = Vec::with_capacity(layout.len());
        for part in &layout {
            match part {
                Part::Bytes(bytes) => {
                    len += bytes.len();
                    parts.push(Whole::Bytes(bytes));
                }
                Part::Data(n) => match handed.get(*n) {
                    Some((size, Ok(kept))) => {
                        len += size;
                        parts.extend(kept.iter().map(Whole::Kept));
                    }
                    Some((_, Err(e))) => return (0, Err(e.clone())),
                    None => return (0, Err(JsValue::from_str("an entry of the zip was not handed over"))),
                },
            }
        }
        // The bundle, and with it the handing closure's hold on the keeper, is gone.
        drop(self.taken);
        let Ok(keeper) = Rc::try_unwrap(self.keeper) else {
            return (0, Err(JsValue::from_str("the zip's entries are still being kept")));
        };
        (len, keeper.finish(&parts).await)
    }
}

fn slices(chunks: &[Vec<u8>]) -> Vec<&[u8]> {
    chunks.iter().map(Vec::as_slice).collect()
}
