//! The zip as a Blob: each entry's compressed chunks copied into a Blob of its own as soon as it
//! ends and dropped, then the archive's Blob made of the container's bytes and those Blobs (the
//! finished entries, 177 MB on the real-world profile, are never held beside the rest). Made by
//! the engine worker when it compresses the entries itself, or by the second worker that
//! compresses them for it (`super::deflate_server`).

use super::io::{Piece, blob_of};
use crate::export::archive::Part;
use crate::export::bundle::Bundle;
use crate::model::Millis;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsValue;
use web_sys::Blob;

/// An entry's compressed length and the Blob its chunks went into.
type Handed = (usize, Result<Blob, JsValue>);

/// The Blobs of a bundle's entries, made as they end ([`Self::handing`]).
pub struct Blobs {
    handed: Rc<RefCell<Vec<Handed>>>,
}

impl Blobs {
    /// A bundle whose entries go into Blobs as they end, and those Blobs.
    pub fn handing(generated_at_ms: Option<Millis>) -> (Bundle, Self) {
        let handed: Rc<RefCell<Vec<Handed>>> = Rc::default();
        let bundle = {
            let handed = handed.clone();
            Bundle::handing(generated_at_ms, move |n, chunks| {
                let len = chunks.iter().map(Vec::len).sum();
                let pieces: Vec<Piece> = chunks.iter().map(|c| Piece::Bytes(c)).collect();
                let blob = blob_of(&pieces, crate::export::MIME_ZIP);
                debug_assert_eq!(n, handed.borrow().len(), "entries are handed over in order");
                handed.borrow_mut().push((len, blob));
            })
        };
        (bundle, Blobs { handed })
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
