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
//! [`Bundle`] takes the entries one at a time, so that the page can build a file, add it and
//! drop it before building the next, never holding every file and the archive at once.

use super::ExportFile;
use super::pace::Pace;
use crate::model::Millis;
use super::chunked::Chunked;
use std::io::Write;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// Deflate level of the text and database entries (see the module's measurements).
const LEVEL: i64 = 1;

/// Bytes handed to the compressor at once ([`Bundle::add_parts_paced`]): a divisor of the
/// database's 1 MiB blocks.
pub const FEED: usize = 1 << 20;

/// An entry of a [`Bundle`] being written ([`Bundle::begin`]).
pub struct Entry {
    /// `false` when the entry is left out (a zip, or a zip-format limit).
    open: bool,
    /// The start of the next window, when the last piece ended inside one.
    staged: Vec<u8>,
    /// Bytes compressed since the last pause.
    since: usize,
    /// Bytes fed so far.
    len: usize,
}

/// A zip being written in memory, one entry at a time.
pub struct Bundle {
    writer: ZipWriter<Chunked>,
    time: zip::DateTime,
}

impl Bundle {
    /// An empty archive whose entries will carry the time `generated_at_ms`.
    pub fn new(generated_at_ms: Option<Millis>) -> Self {
        Bundle { writer: ZipWriter::new(Chunked::default()), time: dos_time(generated_at_ms) }
    }

    /// Append `file` (a zip itself is left out: the archive never holds one).
    pub fn add(&mut self, file: &ExportFile) {
        super::pace::run_now(self.add_paced(file, &mut super::pace::Straight, 0, usize::MAX));
    }

    /// [`Self::add`] with a pause of `pace` after about every `chunk` bytes (the page's worker
    /// answers its messages there: deflating the 326 MB database is seconds of work).
    /// `false` when the pace stopped the build (the archive is then unfinished: drop it).
    pub async fn add_paced<P: Pace>(&mut self, file: &ExportFile, pace: &mut P, done: usize, chunk: usize) -> bool {
        self.add_parts_paced(file.name, &[&file.bytes], pace, done, chunk).await
    }

    /// An entry `name` whose bytes are `parts` one after the other (the database's blocks, never
    /// joined into one copy: 326 MB on the real-world profile), with [`Self::add_paced`]'s pauses.
    pub async fn add_parts_paced<P: Pace>(&mut self, name: &'static str, parts: &[&[u8]], pace: &mut P, done: usize, chunk: usize) -> bool {
        let mut entry = self.begin(name, parts.iter().map(|p| p.len()).sum());
        for part in parts {
            if !self.feed(&mut entry, part, pace, done, chunk).await {
                return false;
            }
        }
        self.end(entry);
        true
    }

    /// Start an entry whose bytes come piece by piece ([`Self::feed`], then [`Self::end`]): a CSV
    /// written into the archive as its rows are, never whole. `len` is its length when known
    /// (the zip format wants to know of an entry past 4 GiB; a CSV the page holds is far below).
    pub fn begin(&mut self, name: &'static str, len: usize) -> Entry {
        Entry { open: self.start(name, len), staged: Vec::new(), since: 0, len: 0 }
    }

    /// The next `bytes` of `entry`, with a pause of `pace` after about every `chunk` bytes;
    /// `false` when the pace stopped the build (the archive is then unfinished: drop it).
    ///
    /// The compressor is fed [`FEED`] bytes at a time whatever the pieces are, so the archive's
    /// bytes do not depend on how an entry was cut (zlib-rs at level 1 ends its work differently
    /// when a call runs out of input): an entry fed in pieces gives the bytes of its single copy.
    /// Only a window that straddles two pieces is copied (into `entry`) first; the database's
    /// 1 MiB blocks never are.
    pub async fn feed<P: Pace>(&mut self, entry: &mut Entry, mut bytes: &[u8], pace: &mut P, done: usize, chunk: usize) -> bool {
        if !entry.open {
            return true;
        }
        entry.len += bytes.len();
        if !entry.staged.is_empty() {
            let take = (FEED - entry.staged.len()).min(bytes.len());
            entry.staged.extend_from_slice(&bytes[..take]);
            bytes = &bytes[take..];
            if entry.staged.len() == FEED {
                let window = std::mem::take(&mut entry.staged);
                if !self.write(entry, &window, pace, done, chunk).await {
                    return false;
                }
            }
        }
        while bytes.len() >= FEED && entry.open {
            let (window, rest) = bytes.split_at(FEED);
            if !self.write(entry, window, pace, done, chunk).await {
                return false;
            }
            bytes = rest;
        }
        entry.staged.extend_from_slice(bytes);
        true
    }

    /// Finish `entry` (its last window, shorter than [`FEED`]); its length.
    pub fn end(&mut self, entry: Entry) -> usize {
        if entry.open && !entry.staged.is_empty() {
            let _ = self.writer.write_all(&entry.staged);
        }
        entry.len
    }

    /// One window into the compressor, then a pause when `chunk` bytes went in since the last.
    async fn write<P: Pace>(&mut self, entry: &mut Entry, window: &[u8], pace: &mut P, done: usize, chunk: usize) -> bool {
        // In-memory writes only fail on a zip-format limit; the rest of such an entry is left
        // out rather than panicking.
        if self.writer.write_all(window).is_err() {
            entry.open = false;
            return true;
        }
        entry.since += window.len();
        if entry.since >= chunk {
            entry.since = 0;
            return pace.pause(done).await;
        }
        true
    }

    /// Start entry `name` of `len` bytes; `false` when it is left out (a zip, or a zip-format limit).
    fn start(&mut self, name: &'static str, len: usize) -> bool {
        if name == super::ZIP {
            return false;
        }
        let options = SimpleFileOptions::default()
            .last_modified_time(self.time)
            .large_file(len as u64 >= u64::from(u32::MAX));
        let options = if stored(name) {
            options.compression_method(CompressionMethod::Stored)
        } else {
            options.compression_method(CompressionMethod::Deflated).compression_level(Some(LEVEL))
        };
        self.writer.start_file(name, options).is_ok()
    }

    /// The archive's bytes (empty if the central directory could not be written).
    pub fn finish(self) -> Vec<u8> {
        self.finish_parts().concat()
    }

    /// [`Self::finish`] in the chunks it was written in ([`Chunked`]), never joined into one
    /// copy (the page's worker hands them to the browser as they are).
    pub fn finish_parts(self) -> Vec<Vec<u8>> {
        self.writer.finish().map(Chunked::into_parts).unwrap_or_default()
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
