//! `agent-ledger-export.zip`: every other export in one archive (DESIGN.md section 4).
//!
//! Rules: entries in the order given (the CSVs, `summary.json`, `audit.json`, `catalog.json`,
//! `report.md`, `redaction.json`, the database, the Parquet files, `schema.sql`), flat names, no
//! directories. The entries' modification time is the export's generation time in UTC when known
//! (ZIP times have a 2-second resolution and start in 1980), else 1980-01-01 00:00, so the same
//! input gives the same bytes.
//!
//! Compression (issue #18.1: the zip took 39 s in the page, 134 MB from about 700 MB): text and
//! the database are deflated at level 1 by zlib-rs, the Parquet files are stored as they are.
//! Measured on the real-world profile's export in wasm (node, one thread): miniz_oxide at
//! level 6 took 24 s for 134 MB; zlib-rs at level 6 9.4 s for 144 MB, at level 2 3.5 s for
//! 155 MB, at level 1 2.0 s for 177 MB. Parquet pages are Snappy-compressed: deflating them took
//! 0.8 s of those 2.8 s to save 2 MB (1 %). The entries' bytes are unchanged; only the
//! compressed stream differs.
//!
//! [`Bundle`] takes the entries one at a time, each compressed on its own as its bytes come
//! ([`super::packer`]), so that the page can build a file, add it and drop it before building
//! the next, never holding every file and the archive at once; an entry may be compressed while
//! others are (the database's pages as its tables are written, between the CSVs), and takes its
//! place when it ends. The container goes around the compressed entries at the end
//! ([`super::archive`]), and natively each entry may be compressed on its own thread
//! ([`pack`], [`zip_packed`]) with the same bytes.

use super::ExportFile;
use super::archive::{self, Method, Packed};
use super::pace::Pace;
use super::packer::Packer;
use super::relay::{Op, Relay};
use crate::model::Millis;

pub use super::packer::FEED;

/// An entry of a [`Bundle`] being written ([`Bundle::begin`]).
pub struct Entry {
    target: Target,
    /// Bytes compressed since the last pause.
    since: usize,
    /// Bytes fed so far.
    len: usize,
}

impl Entry {
    /// The entry's next bytes, compressed or sent on at once (no pause).
    pub(super) fn write(&mut self, bytes: &[u8], part: Part) {
        match (&mut self.target, part) {
            (Target::Here(packer), Part::Body) => packer.write(bytes),
            (Target::Here(packer), Part::AfterHead) => packer.write_after_head(bytes),
            (Target::There(entry, relay), Part::Body) => (relay.borrow_mut())(Op::Write { entry: *entry, bytes }),
            (Target::There(entry, relay), Part::AfterHead) => (relay.borrow_mut())(Op::AfterHead { entry: *entry, bytes }),
            (Target::Skipped, _) => {}
        }
    }
}

/// What a [`Bundle::handing`] hands each ended entry to: its number, its compressed chunks, and
/// where in them the chunks taken out before it ended belong ([`Bundle::take_full`]).
pub type Hand = dyn FnMut(usize, Vec<Vec<u8>>, usize);

/// Where an entry's bytes go.
enum Target {
    /// Nowhere: the entry is left out (a zip: the archive never holds one).
    Skipped,
    /// Compressed here.
    Here(Packer),
    /// Sent on as [`Op`]s under this number, to be compressed elsewhere ([`Bundle::relaying`]).
    There(u32, Relay),
}

/// Which bytes of an entry a write gives.
#[derive(Clone, Copy)]
pub(super) enum Part {
    Body,
    /// The database's pages after its first block ([`Packer::write_after_head`]).
    AfterHead,
}

/// A zip being made in memory: its entries, each compressed on its own and kept in order
/// until [`Bundle::finish_parts`] puts the container around them ([`archive`]).
pub struct Bundle {
    entries: Vec<Packed>,
    time: zip::DateTime,
    /// Where each entry's compressed chunks go when it ends, if not kept here ([`Self::handing`]).
    hand: Option<Box<Hand>>,
    /// Where the entries' bytes are sent instead of being compressed here ([`Self::relaying`]),
    /// and the number the next entry gets.
    relay: Option<(Relay, std::cell::Cell<u32>)>,
}

impl Bundle {
    /// An empty archive whose entries will carry the time `generated_at_ms`.
    pub fn new(generated_at_ms: Option<Millis>) -> Self {
        Bundle { entries: Vec::new(), time: dos_time(generated_at_ms), hand: None, relay: None }
    }

    /// A bundle that compresses nothing: every entry's bytes are sent to `relay` as [`Op`]s, in
    /// order, for a [`Replay`](super::replay::Replay) elsewhere to make the archive of (the page's
    /// second worker deflates while the engine's builds the next rows). This one holds no
    /// entries and has no archive to finish.
    pub fn relaying(relay: Relay) -> Self {
        Bundle { relay: Some((relay, std::cell::Cell::new(0))), ..Self::new(None) }
    }

    /// [`Self::new`], handing each entry's compressed chunks to `hand` (with the entry's number)
    /// as soon as it ends: the page's worker copies them into a Blob there and then, so that it
    /// never holds the finished entries (177 MB on the real-world profile) beside what it is
    /// still building. The archive is then [`Self::finish_layout`]'s.
    pub fn handing(generated_at_ms: Option<Millis>, hand: impl FnMut(usize, Vec<Vec<u8>>, usize) + 'static) -> Self {
        Bundle { hand: Some(Box::new(hand)), ..Self::new(generated_at_ms) }
    }

    /// Where this bundle sends its entries, if it relays them ([`Self::relaying`]).
    pub fn relay(&self) -> Option<&Relay> {
        self.relay.as_ref().map(|(relay, _)| relay)
    }

    /// Keep an ended entry, or hand its chunks over.
    fn push(&mut self, mut packed: Packed) {
        if let Some(hand) = self.hand.as_mut() {
            hand(self.entries.len(), std::mem::take(&mut packed.data), packed.taken_at);
        }
        self.entries.push(packed);
    }

    /// Append `file` (a zip itself is left out: the archive never holds one).
    pub fn add(&mut self, file: &ExportFile) {
        super::pace::run_now(self.add_paced(file, &mut super::pace::Straight, 0, usize::MAX));
    }

    /// [`Self::add`] with a pause of `pace` after about every `chunk` bytes (the page's worker
    /// answers its messages there: deflating a big entry is seconds of work).
    /// `false` when the pace stopped the build (the archive is then unfinished: drop it).
    pub async fn add_paced<P: Pace>(&mut self, file: &ExportFile, pace: &mut P, done: usize, chunk: usize) -> bool {
        self.add_parts_paced(file.name, &[&file.bytes], pace, done, chunk).await
    }

    /// Append `file`, taking its bytes: a stored entry (a Parquet file) keeps them as they are,
    /// never copied. Pauses as [`Self::add_paced`].
    pub async fn add_owned<P: Pace>(&mut self, file: ExportFile, pace: &mut P, done: usize, chunk: usize) -> bool {
        if file.name == super::ZIP || !stored(file.name) || self.relay.is_some() {
            return self.add_paced(&file, pace, done, chunk).await;
        }
        let crc = crc32fast::hash(&file.bytes);
        let size = file.bytes.len() as u64;
        self.push(Packed { name: file.name, method: Method::Stored, crc, size, compressed: size, data: vec![file.bytes], taken_at: 0 });
        true
    }

    /// An entry `name` whose bytes are `parts` one after the other (the database's blocks, never
    /// joined into one copy: 326 MB on the real-world profile), with [`Self::add_paced`]'s pauses.
    pub async fn add_parts_paced<P: Pace>(&mut self, name: &'static str, parts: &[&[u8]], pace: &mut P, done: usize, chunk: usize) -> bool {
        let mut entry = self.begin(name);
        for part in parts {
            if !Self::feed(&mut entry, part, pace, done, chunk).await {
                return false;
            }
        }
        self.end(entry);
        true
    }

    /// Start an entry whose bytes come piece by piece ([`Self::feed`], then [`Self::end`]): a CSV
    /// written into the archive as its rows are, never whole. Entries take their places in the
    /// archive in the order they end.
    pub fn begin(&self, name: &'static str) -> Entry {
        let target = match &self.relay {
            _ if name == super::ZIP => Target::Skipped,
            Some((relay, next)) => {
                let entry = next.get();
                next.set(entry + 1);
                (relay.borrow_mut())(Op::Begin { entry, name });
                Target::There(entry, relay.clone())
            }
            None => Target::Here(Packer::new(name, if stored(name) { Method::Stored } else { Method::Deflated })),
        };
        Entry { target, since: 0, len: 0 }
    }

    /// The next `bytes` of `entry`, with a pause of `pace` after about every `chunk` bytes;
    /// `false` when the pace stopped the build (the archive is then unfinished: drop it). The
    /// bytes of the entry do not depend on how it was cut ([`super::packer`]).
    pub async fn feed<P: Pace>(entry: &mut Entry, bytes: &[u8], pace: &mut P, done: usize, chunk: usize) -> bool {
        Self::feed_with(entry, bytes, pace, done, chunk, Part::Body).await
    }

    /// The database's pages that follow its first block, as they are written; the first block
    /// comes last ([`Self::end_database`]).
    pub async fn feed_after_head<P: Pace>(entry: &mut Entry, bytes: &[u8], pace: &mut P, done: usize, chunk: usize) -> bool {
        Self::feed_with(entry, bytes, pace, done, chunk, Part::AfterHead).await
    }

    async fn feed_with<P: Pace>(entry: &mut Entry, bytes: &[u8], pace: &mut P, done: usize, chunk: usize, part: Part) -> bool {
        entry.len += bytes.len();
        // Sent on whole: one message, not one a feed; the pause after it when it was long.
        let piece = match entry.target {
            Target::Skipped => return true,
            Target::There(..) => bytes.len().max(1),
            Target::Here(_) => chunk.clamp(1, FEED),
        };
        for piece in bytes.chunks(piece) {
            entry.write(piece, part);
            entry.since += piece.len();
            if entry.since >= chunk {
                entry.since = 0;
                if !pace.pause(done).await {
                    return false;
                }
            }
        }
        true
    }

    /// The compressed chunks of `entry` that are full so far ([`Packer::take_full`]; none for an
    /// entry sent on or left out).
    pub fn take_full(entry: &mut Entry) -> Vec<Vec<u8>> {
        match &mut entry.target {
            Target::Here(packer) => packer.take_full(),
            _ => Vec::new(),
        }
    }

    /// Finish `entry`, which takes its place after the entries ended before it; its length.
    pub fn end(&mut self, entry: Entry) -> usize {
        match entry.target {
            Target::Here(packer) => self.push(packer.finish()),
            Target::There(number, relay) => (relay.borrow_mut())(Op::End { entry: number }),
            Target::Skipped => {}
        }
        entry.len
    }

    /// Finish the database's entry with its first block, `head`, given last.
    pub fn end_database(&mut self, mut entry: Entry, head: &[u8]) -> usize {
        entry.len += head.len();
        match &mut entry.target {
            Target::Here(packer) => packer.write_head(head),
            Target::There(number, relay) => {
                (relay.borrow_mut())(Op::EndDatabase { entry: *number, head });
                return entry.len;
            }
            Target::Skipped => {}
        }
        self.end(entry)
    }

    /// The archive's bytes.
    pub fn finish(self) -> Vec<u8> {
        self.finish_parts().concat()
    }

    /// [`Self::finish`] in parts (each entry's header, its compressed chunks as they are, the
    /// central directory), never joined into one copy (the page's worker hands them to the
    /// browser as they are).
    pub fn finish_parts(self) -> Vec<Vec<u8>> {
        archive::write(self.entries, self.time)
    }

    /// The archive as a layout ([`archive::layout`]) of a bundle [`Self::handing`] its entries
    /// over: [`archive::Part::Data`] `n` is the `n`th entry handed over.
    pub fn finish_layout(self) -> Vec<archive::Part> {
        archive::layout(&self.entries, self.time)
    }
}

/// Zip every file of `files` except a zip itself.
pub fn zip(files: &[ExportFile], generated_at_ms: Option<Millis>) -> Vec<u8> {
    let mut bundle = Bundle::new(generated_at_ms);
    for file in files {
        bundle.add(file);
    }
    bundle.finish()
}

/// `file` compressed as the archive takes it (`None` for a zip, which it never holds).
pub fn pack(file: &ExportFile) -> Option<Packed> {
    let mut bundle = Bundle::new(None);
    bundle.add(file);
    bundle.entries.pop()
}

/// The archive of entries compressed already ([`pack`]), in their order: [`zip`]'s bytes.
pub fn zip_packed(entries: Vec<Packed>, generated_at_ms: Option<Millis>) -> Vec<u8> {
    Bundle { entries, ..Bundle::new(generated_at_ms) }.finish()
}

/// Whether an entry is stored rather than deflated: Parquet files are Snappy-compressed already.
pub fn stored(name: &str) -> bool {
    name.ends_with(".parquet")
}

fn dos_time(ms: Option<Millis>) -> zip::DateTime {
    let civil = ms
        .and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok())
        .map(|ts| jiff::tz::TimeZone::UTC.to_datetime(ts));
    civil
        .and_then(|dt| {
            let year = u16::try_from(dt.year()).ok()?;
            let part = |v: i8| u8::try_from(v).ok();
            zip::DateTime::from_date_and_time(
                year,
                part(dt.month())?,
                part(dt.day())?,
                part(dt.hour())?,
                part(dt.minute())?,
                part(dt.second())?,
            )
            .ok()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::pace::{Straight, run_now};

    /// Entries handed over as they end (the page's worker turns them into Blobs), put back where
    /// the layout says, make the archive kept whole; a stored entry added owned too.
    #[test]
    fn entries_handed_over_as_they_end_make_the_same_archive() {
        use std::cell::RefCell;
        use std::rc::Rc;
        let file = |name, text: &str| ExportFile { name, mime: "text/csv", bytes: text.repeat(40_000).into_bytes() };
        let files = [
            file(super::super::SESSIONS_CSV, "a,b\r\n1,2\r\n"),
            file(super::super::SQLITE, "SQLite format 3 and then some pages "),
            file(super::super::ZIP, "not itself"),
            file(super::super::REPORT_MD, "# Report\n"),
        ];
        let parquet = ExportFile { name: super::super::PARQUET_NAMES[3], mime: "application/vnd.apache.parquet", bytes: b"PAR1 rows PAR1".repeat(999) };
        let at = Some(1_767_323_045_000);
        let mut whole = Bundle::new(at);
        let handed: Rc<RefCell<Vec<(usize, Vec<Vec<u8>>)>>> = Rc::default();
        let mut handing = {
            let handed = handed.clone();
            Bundle::handing(at, move |n, chunks, _| handed.borrow_mut().push((n, chunks)))
        };
        for bundle in [&mut whole, &mut handing] {
            files.iter().for_each(|f| bundle.add(f));
            assert!(run_now(bundle.add_owned(ExportFile { bytes: parquet.bytes.clone(), ..parquet }, &mut Straight, 0, usize::MAX)));
        }
        let whole = whole.finish();
        let layout = handing.finish_layout();
        let handed = handed.take();
        assert_eq!(handed.iter().map(|(n, _)| *n).collect::<Vec<_>>(), [0, 1, 2, 3], "in order, the zip left out");
        let mut bytes = Vec::new();
        for part in layout {
            match part {
                archive::Part::Bytes(b) => bytes.extend(b),
                archive::Part::Data(n) => handed[n].1.iter().for_each(|c| bytes.extend_from_slice(c)),
            }
        }
        assert!(bytes == whole);
    }

    #[test]
    fn an_entry_cut_into_parts_makes_the_bytes_of_its_single_copy() {
        // CSV-like text, a little over three feeds long. (Where the compressor's input ends can
        // change its output: the real-world profile's `api_calls.csv`, 1.7 MB, deflated to other
        // bytes of the same length in one write and in windows of a feed. This text does not
        // show it; the test holds the parts to the single copy's bytes and content.)
        let mut x = 1u64;
        let mut text = Vec::new();
        while text.len() < 3 * FEED + 12_345 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let row = format!("s-{},{},gpt-{}.{},{},{}\r\n", x >> 52, 1_700_000_000_000 + (x >> 40), x % 7, x % 3, (x >> 20) % 100_000, (x >> 8) % 977);
            text.extend_from_slice(row.as_bytes());
        }
        text.truncate(3 * FEED + 12_345);
        let file = ExportFile { name: super::super::REPORT_MD, mime: "text/markdown", bytes: text.clone() };
        let whole = zip(std::slice::from_ref(&file), Some(1_764_000_000_000));
        for cuts in [vec![10, FEED + 5, 2 * FEED], vec![FEED, 2 * FEED, 3 * FEED], vec![1, 2, 3, 3, 3 * FEED + 12_344]] {
            let mut bounds = vec![0];
            bounds.extend(&cuts);
            bounds.push(text.len());
            let parts: Vec<&[u8]> = bounds.windows(2).map(|w| &text[w[0]..w[1]]).collect();
            let mut bundle = Bundle::new(Some(1_764_000_000_000));
            // Paused after every byte the pace allows: pauses change nothing either.
            assert!(run_now(bundle.add_parts_paced(file.name, &parts, &mut Straight, 0, 1)));
            assert!(bundle.finish() == whole, "cut at {cuts:?}");
        }
        let back = zip::ZipArchive::new(std::io::Cursor::new(whole)).unwrap().by_index(0).map(|mut e| {
            let mut out = Vec::new();
            std::io::Read::read_to_end(&mut e, &mut out).map(|_| out)
        });
        assert!(back.unwrap().unwrap() == text);
    }
}
