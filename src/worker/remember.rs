//! "Keep parsed results on this device": before a load, the results kept for files that did not
//! change are taken back (those files are not read); during it, each newly parsed file's result is
//! written while the next files are read. Encoding and its guards: `ingest::codec`; where and
//! under what name: [`super::store`].

use super::store::{Store, key};
use crate::ingest::{Part, codec};
use js_sys::{Promise, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{JsFuture, future_to_promise};
use web_sys::File;

/// Stored results read at once: enough to hide each read's latency, few enough that what waits
/// in memory stays small.
const LOOKUPS_IN_FLIGHT: usize = 32;

/// Fill `slots[i]` with the stored result of `files[i]` where one was kept for exactly this path,
/// size and modification time by this build's codec; the other slots stay empty (to be parsed).
pub async fn take_stored(store: &Store, files: &[(String, File)], slots: &mut [Option<Part>]) {
    for (start, window) in files.chunks(LOOKUPS_IN_FLIGHT).enumerate().map(|(w, c)| (w * LOOKUPS_IN_FLIGHT, c)) {
        let lookups: Vec<Promise> = window
            .iter()
            .map(|(name, _)| {
                let (store, name) = (store.clone(), name.clone());
                future_to_promise(async move {
                    Ok(store.get(&name).await.map_or(JsValue::NULL, JsValue::from))
                })
            })
            .collect();
        for (i, lookup) in lookups.into_iter().enumerate() {
            let Ok(found) = JsFuture::from(lookup).await else { continue };
            if found.is_null() {
                continue;
            }
            let (name, file) = &files[start + i];
            slots[start + i] = codec::decode(&key(name, file), &found.unchecked_into::<Uint8Array>().to_vec());
        }
    }
}

/// The results being written, when results are kept.
pub struct Writes {
    store: Option<Store>,
    pending: Vec<Promise>,
}

impl Writes {
    pub fn new(store: Option<Store>) -> Self {
        Writes { store, pending: Vec::new() }
    }

    /// Start writing a newly parsed file's result. A file the browser stopped handing over is
    /// not kept: its part is not that file's result.
    pub fn keep(&mut self, (name, file): &(String, File), part: &Part) {
        if self.store.is_none() || part.read_failed() {
            return;
        }
        self.keep_encoded(name, part, codec::encode(&key(name, file), part));
    }

    /// [`Self::keep`] for a part already encoded (by a parse worker), as `bytes`.
    pub fn keep_encoded(&mut self, name: &str, part: &Part, bytes: Vec<u8>) {
        let Some(store) = self.store.clone() else { return };
        if part.read_failed() {
            return;
        }
        let name = name.to_string();
        self.pending.push(future_to_promise(async move {
            // A failed write (quota, private window) only means this file is parsed next time.
            let _ = store.put(&name, bytes).await;
            Ok(JsValue::UNDEFINED)
        }));
    }

    /// Wait for every write started.
    pub async fn finish(self) {
        for write in self.pending {
            let _ = JsFuture::from(write).await;
        }
    }
}
