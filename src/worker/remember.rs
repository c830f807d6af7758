//! "Keep parsed results on this device": before a load, the results kept for files that did not
//! change are taken back from the load's pack (those files are not read); during it, a new pack
//! is written: the kept results first, then each newly parsed file's result as it comes. A load
//! that parses nothing and finds every result, and no other, in its pack writes nothing.
//! Encoding and its guards: `ingest::codec`; where and in what form: [`super::store`].

use super::store::{Pack, PackWriter, Store, key};
use crate::ingest::{Part, codec};
use web_sys::File;

/// Fill `slots[i]` with the stored result of `files[i]` where the load's pack has one kept for
/// exactly this path, size and modification time by this build's codec; the other slots stay
/// empty (to be parsed). Answers the pack read, for [`Writes::start`].
pub async fn take_stored(store: &Store, files: &[(String, File)], slots: &mut [Option<Part>]) -> Option<Pack> {
    let pack = store.read().await?;
    for ((name, file), slot) in files.iter().zip(slots.iter_mut()) {
        if let Some(bytes) = pack.result(name) {
            *slot = codec::decode(&key(name, file), &bytes);
        }
    }
    Some(pack)
}

/// The pack being written, when results are kept and anything changed.
pub struct Writes {
    pack: Option<PackWriter>,
}

impl Writes {
    /// Start the load's new pack with the results taken from `old` (the filled `slots`), unless
    /// nothing would change (every file's result taken from it, and it holds no other) or there
    /// is nothing to keep (the sample alone).
    pub async fn start(store: Option<&Store>, old: Option<&Pack>, files: &[(String, File)], slots: &[Option<Part>]) -> Self {
        let Some(store) = store.filter(|_| !files.is_empty()) else { return Writes { pack: None } };
        let kept = slots.iter().filter(|s| s.is_some()).count();
        if kept == files.len() && old.is_some_and(|old| old.len() == kept) {
            return Writes { pack: None };
        }
        let Ok(mut pack) = store.write().await else { return Writes { pack: None } };
        if let Some(old) = old {
            for ((name, _), slot) in files.iter().zip(slots) {
                if slot.is_some() {
                    pack.kept(old, name);
                }
            }
        }
        Writes { pack: Some(pack) }
    }

    /// Add a newly parsed file's result. A file the browser stopped handing over is not kept:
    /// its part is not that file's result.
    pub fn keep(&mut self, (name, file): &(String, File), part: &Part) {
        if self.pack.is_none() || part.read_failed() {
            return;
        }
        self.keep_encoded(name, part, codec::encode(&key(name, file), part));
    }

    /// [`Self::keep`] for a part already encoded (by a parse worker), as `bytes`.
    pub fn keep_encoded(&mut self, name: &str, part: &Part, bytes: Vec<u8>) {
        if let Some(pack) = &mut self.pack
            && !part.read_failed()
        {
            pack.result(name, &bytes);
        }
    }

    /// Wait until the new pack is written and has replaced the old one.
    pub async fn finish(self) {
        if let Some(pack) = self.pack {
            pack.finish().await;
        }
    }
}
