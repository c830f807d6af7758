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
use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// Deflate level of the text and database entries (see the module's measurements).
const LEVEL: i64 = 1;

/// A zip being written in memory, one entry at a time.
pub struct Bundle {
    writer: ZipWriter<Cursor<Vec<u8>>>,
    time: zip::DateTime,
}

impl Bundle {
    /// An empty archive whose entries will carry the time `generated_at_ms`.
    pub fn new(generated_at_ms: Option<Millis>) -> Self {
        Bundle { writer: ZipWriter::new(Cursor::new(Vec::new())), time: dos_time(generated_at_ms) }
    }

    /// Append `file` (a zip itself is left out: the archive never holds one).
    pub fn add(&mut self, file: &ExportFile) {
        // In-memory writes only fail on a zip-format limit; such an entry is left out rather
        // than panicking.
        if self.start(file) {
            let _ = self.writer.write_all(&file.bytes);
        }
    }

    /// [`Self::add`] with a pause of `pace` after about every `chunk` bytes (the page's worker
    /// answers its messages there: deflating the 346 MB database is seconds of work).
    /// The archive's bytes are those of [`Self::add`]: this is `write_all`'s own loop (one
    /// `write` after another on what is left, each taking what the compressor takes), only
    /// pausing between two. Cutting the input into pieces instead changed the deflate stream
    /// (zlib-rs at level 1 ends its work differently when a call runs out of input).
    /// `false` when the pace stopped the build (the archive is then unfinished: drop it).
    pub async fn add_paced<P: Pace>(&mut self, file: &ExportFile, pace: &mut P, done: usize, chunk: usize) -> bool {
        if !self.start(file) {
            return true;
        }
        let (mut rest, mut since) = (&file.bytes[..], 0);
        while !rest.is_empty() {
            match self.writer.write(rest) {
                Ok(0) => break,
                Ok(n) => (rest, since) = (&rest[n..], since + n),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => break,
            }
            if since >= chunk && !rest.is_empty() {
                since = 0;
                if !pace.pause(done).await {
                    return false;
                }
            }
        }
        true
    }

    /// Start `file`'s entry; `false` when it is left out (a zip, or a zip-format limit).
    fn start(&mut self, file: &ExportFile) -> bool {
        if file.name == super::ZIP {
            return false;
        }
        let options = SimpleFileOptions::default()
            .last_modified_time(self.time)
            .large_file(file.bytes.len() as u64 >= u64::from(u32::MAX));
        let options = if stored(file.name) {
            options.compression_method(CompressionMethod::Stored)
        } else {
            options.compression_method(CompressionMethod::Deflated).compression_level(Some(LEVEL))
        };
        self.writer.start_file(file.name, options).is_ok()
    }

    /// The archive's bytes (empty if the central directory could not be written).
    pub fn finish(self) -> Vec<u8> {
        self.writer.finish().map(Cursor::into_inner).unwrap_or_default()
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
