//! The zip as a Blob: each entry's compressed chunks copied into a Blob of its own as soon as it
//! ends and dropped, then the archive's Blob made of the container's bytes and those Blobs (the
//! finished entries, 177 MB on the real-world profile, are never held beside the rest). Made by
//! the engine worker when it compresses the entries itself, or by the second worker that
//! compresses them for it (`super::deflate_server`).

use super::io::{Piece, blob_of};
use crate::export::archive::Part;
use crate::export::bundle::Bundle;
use crate::model::Millis;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::JsValue;
use web_sys::Blob;

/// An entry's compressed length and the Blob its chunks went into.
type Handed = (usize, Result<Blob, JsValue>);

/// The Blobs of a bundle's entries, made as they end ([`Self::handing`]), and of the chunks
/// taken from entries still open ([`Self::take`]).
pub struct Blobs {
    handed: Rc<RefCell<Vec<Handed>>>,
    /// Per open entry (by its number in the ops), the Blobs of the chunks taken from it so far.
    taken: Rc<RefCell<Vec<(u32, Handed)>>>,
    /// The entry about to end ([`Self::ending`]), whose taken Blobs its own Blob begins with.
    ending: Rc<Cell<Option<u32>>>,
}

impl Blobs {
    /// A bundle whose entries go into Blobs as they end, and those Blobs.
    pub fn handing(generated_at_ms: Option<Millis>) -> (Bundle, Self) {
        let blobs = Blobs { handed: Rc::default(), taken: Rc::default(), ending: Rc::default() };
        let bundle = {
            let (handed, taken, ending) = (blobs.handed.clone(), blobs.taken.clone(), blobs.ending.clone());
            Bundle::handing(generated_at_ms, move |n, chunks, taken_at| {
                let early: Vec<Handed> = match ending.take() {
                    Some(entry) => {
                        let mut all = taken.borrow_mut();
                        let (mine, others) = std::mem::take(&mut *all).into_iter().partition(|(e, _)| *e == entry);
                        *all = others;
                        mine.into_iter().map(|(_, blob)| blob).collect()
                    }
                    None => Vec::new(),
                };
                let mut len: usize = chunks.iter().map(Vec::len).sum();
                let mut pieces: Vec<Piece> = chunks[..taken_at].iter().map(|c| Piece::Bytes(c)).collect();
                let mut failed = None;
                for (size, blob) in &early {
                    len += size;
                    match blob {
                        Ok(blob) => pieces.push(Piece::Blob(blob)),
                        Err(e) => failed = Some(e.clone()),
                    }
                }
                pieces.extend(chunks[taken_at..].iter().map(|c| Piece::Bytes(c)));
                let blob = match failed {
                    Some(e) => Err(e),
                    None => blob_of(&pieces, crate::export::MIME_ZIP),
                };
                debug_assert_eq!(n, handed.borrow().len(), "entries are handed over in order");
                handed.borrow_mut().push((len, blob));
            })
        };
        (bundle, blobs)
    }

    /// Chunks taken from open entry `entry` ([`crate::export::replay::Replay::take_full`]), copied
    /// into a Blob at once and dropped.
    pub fn take(&self, entry: u32, chunks: Vec<Vec<u8>>) {
        if chunks.is_empty() {
            return;
        }
        let len = chunks.iter().map(Vec::len).sum();
        let pieces: Vec<Piece> = chunks.iter().map(|c| Piece::Bytes(c)).collect();
        self.taken.borrow_mut().push((entry, (len, blob_of(&pieces, crate::export::MIME_ZIP))));
    }

    /// Entry `entry` of the ops is about to end: the Blobs taken from it go into its own.
    pub fn ending(&self, entry: u32) {
        self.ending.set(Some(entry));
    }

    /// The archive of `bundle` (the one made with these Blobs): its length and Blob.
    pub fn finish(self, bundle: Bundle) -> (usize, Result<Blob, JsValue>) {
        let layout = bundle.finish_layout();
        let handed = std::mem::take(&mut *self.handed.borrow_mut());
        let mut len = 0;
        let mut pieces = Vec::with_capacity(layout.len());
        for part in &layout {
            match part {
                Part::Bytes(bytes) => {
                    len += bytes.len();
                    pieces.push(Piece::Bytes(bytes));
                }
                Part::Data(n) => match handed.get(*n) {
                    Some((size, Ok(blob))) => {
                        len += size;
                        pieces.push(Piece::Blob(blob));
                    }
                    Some((_, Err(e))) => return (0, Err(e.clone())),
                    None => return (0, Err(JsValue::from_str("an entry of the zip was not handed over"))),
                },
            }
        }
        (len, blob_of(&pieces, crate::export::MIME_ZIP))
    }
}
