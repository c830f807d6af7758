//! `export::build_all` on every core, with the same bytes.
//!
//! The page builds its downloads one at a time; deflating the zip took 60% of a run on the
//! real-world profile (measured with `perf`) until it moved to zlib-rs at level 1 with the
//! Parquet files stored (`export::bundle`: 18.5 → 2.0 s of CPU). Here the independent pieces
//! run side by side: the nine CSVs (each written in pieces, never a whole table of cells),
//! `summary.json`, `audit.json` and `report.md` (then `redaction.json`, which is small), each
//! with the export module's own public functions, then the database, the nine Parquet files and
//! `schema.sql`, each building its datasets again one at a time, then each zip
//! entry is deflated on its own thread by `export::bundle::pack`, as the page's archive
//! compresses each entry on its own, and the container put around them by
//! `export::bundle::zip_packed`. The composition
//! follows `build_all` step by step; when `export::ALL_NAMES` lists a file this module does not
//! make (the export grew), it falls back to `build_all` itself, and the unit test below fails
//! so that this module is brought up to date. `tests/cli.rs` compares every byte with
//! `build_all`.

use crate::export::paced::{self, run_now};
use crate::export::{self, ExportFile, ExportInput, bundle, catalog, report_md};
use crate::model::Millis;
use rayon::prelude::*;

/// The files this module makes, in order: the CSVs, then the JSON files, the report,
/// `redaction.json`, the typed files, the zip.
const MADE: [&str; 26] = [
    export::SESSIONS_CSV,
    export::ROUTING_CSV,
    export::QUERIES_CSV,
    export::USAGE_CSV,
    export::TOOL_CALLS_CSV,
    export::TOOL_AUDIT_CSV,
    export::API_CALLS_CSV,
    export::FINDINGS_CSV,
    export::INGEST_CSV,
    export::SUMMARY_JSON,
    export::AUDIT_JSON,
    export::CATALOG_JSON,
    export::REPORT_MD,
    export::REDACTION_JSON,
    export::SQLITE,
    export::PARQUET_NAMES[0],
    export::PARQUET_NAMES[1],
    export::PARQUET_NAMES[2],
    export::PARQUET_NAMES[3],
    export::PARQUET_NAMES[4],
    export::PARQUET_NAMES[5],
    export::PARQUET_NAMES[6],
    export::PARQUET_NAMES[7],
    export::PARQUET_NAMES[8],
    export::SCHEMA_SQL,
    export::ZIP,
];

/// Every file of [`export::build_all`], in its order, with its bytes.
pub fn build_all(input: &ExportInput) -> Vec<ExportFile> {
    if MADE[..] != export::ALL_NAMES[..] || export::CSV_NAMES[..] != MADE[..9] {
        return export::build_all(input);
    }
    let red = export::redacted(input);
    let (csvs, (summary, (audit, report))) = rayon::join(
        || export::CSV_NAMES.par_iter().filter_map(|name| export::csv_in_pieces(input, &red, name)).collect::<Vec<_>>(),
        || {
            rayon::join(
                || export::summary_json(&red),
                || rayon::join(|| export::audit_json(&red.audit), || report_md::build(input, &red)),
            )
        },
    );
    let (mut files, shapes): (Vec<_>, Vec<_>) = csvs.into_iter().unzip();
    let catalog = catalog::build(&shapes, &files, &input.meta.machine);
    files.push(ExportFile { name: export::SUMMARY_JSON, mime: export::MIME_JSON, bytes: summary });
    files.push(ExportFile { name: export::AUDIT_JSON, mime: export::MIME_JSON, bytes: audit });
    files.push(ExportFile { name: export::CATALOG_JSON, mime: export::MIME_JSON, bytes: catalog });
    files.push(ExportFile { name: export::REPORT_MD, mime: export::MIME_MD, bytes: report.into_bytes() });
    files.push(ExportFile { name: export::REDACTION_JSON, mime: export::MIME_JSON, bytes: export::redaction_json(input, &red) });
    super::timings::mark("CSV, JSON, Markdown");
    // Each dataset's cells are built again for the database and for its Parquet file, never
    // all nine kept at once (issue #18.1).
    let (sqlite, parquet) = rayon::join(
        || run_now(paced::database(input, &red, &mut paced::Straight, 0)),
        || export::CSV_NAMES.par_iter().filter_map(|name| export::parquet_of(input, &red, name)).collect::<Vec<_>>(),
    );
    files.extend(sqlite);
    files.extend(parquet);
    files.push(export::schema_file(input.tables));
    super::timings::mark("SQLite, Parquet");
    let zip = parallel_zip(&files, input.meta.generated_at_ms);
    files.push(ExportFile { name: export::ZIP, mime: export::MIME_ZIP, bytes: zip });
    super::timings::mark("zip");
    files
}

/// [`bundle::zip`] with each entry deflated on its own thread.
pub fn parallel_zip(files: &[ExportFile], generated_at_ms: Option<Millis>) -> Vec<u8> {
    let entries: Vec<_> = files.par_iter().filter_map(bundle::pack).collect();
    bundle::zip_packed(entries, generated_at_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn makes_every_file_the_export_lists() {
        assert_eq!(MADE, export::ALL_NAMES, "the export grew: make its new files here too");
        assert_eq!(MADE[..9], export::CSV_NAMES);
    }

    #[test]
    fn the_zip_equals_the_pages() {
        let file = |name, text: &str| ExportFile { name, mime: export::MIME_CSV, bytes: text.repeat(5000).into_bytes() };
        let files = [
            file(export::SESSIONS_CSV, "a,b\r\n1,2\r\n"),
            file(export::USAGE_CSV, "model,tokens\r\ngpt-5,12\r\n"),
            file(export::REPORT_MD, "# Report\n\nÄ – ünïcode\n"),
            file(export::ZIP, "not itself"),
        ];
        for at in [None, Some(1_767_323_045_000)] {
            assert!(parallel_zip(&files, at) == bundle::zip(&files, at));
        }
        assert!(parallel_zip(&[], None) == bundle::zip(&[], None));
    }
}
