//! `agent-ledger-export.zip`: every other export in one archive (DESIGN.md section 4).
//!
//! Rules: deflate compression, entries in the order given (the CSVs, `summary.json`,
//! `audit.json`, `catalog.json`, `report.md`, `redaction.json`), flat names, no directories. The entries'
//! modification time is the export's generation time in UTC when known (ZIP times have a 2-second
//! resolution and start in 1980), else 1980-01-01 00:00, so the same input gives the same bytes.

use super::ExportFile;
use crate::model::Millis;
use std::io::Write;
use zip::write::SimpleFileOptions;

/// Zip every file of `files` except a zip itself.
pub fn zip(files: &[ExportFile], generated_at_ms: Option<Millis>) -> Vec<u8> {
    let mut options =
        SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    options = options.last_modified_time(dos_time(generated_at_ms));
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for file in files.iter().filter(|f| f.name != super::ZIP) {
        // In-memory writes only fail on a zip-format limit (over 4 GiB without zip64); such an
        // entry is left out rather than panicking.
        if writer.start_file(file.name, options).is_ok() {
            let _ = writer.write_all(&file.bytes);
        }
    }
    writer.finish().map(|c| c.into_inner()).unwrap_or_default()
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
