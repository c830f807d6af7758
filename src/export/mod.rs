//! Every download of DESIGN.md section 4: nine CSV datasets, `summary.json`, `audit.json`,
//! `catalog.json`, `report.md`, `redaction.json`, the typed twins of the datasets
//! (`agent-ledger.sqlite` in [`sqlite`], one `.parquet` each in [`parquet`], `schema.sql` in
//! [`schema_sql`], typed by [`typed`]) and `agent-ledger-export.zip` holding all of them.
//!
//! The pipeline (DESIGN.md section 6: data flows one way):
//! 1. [`prepare`] applies the active [`Filter`] (and retention), then the [`Redaction`]
//!    ([`crate::redact`]) to the tables, and returns the redaction's [`redact::Report`]; the
//!    caller then computes the audit and the rollups on the prepared tables, so that `audit.json`
//!    and `summary.json` honour the filters and the redaction like the datasets do.
//! 2. [`build_all`] (or [`build_file`] for one download) writes the files from an
//!    [`ExportInput`]. It redacts what does not come from the prepared tables (the ingest report)
//!    and, defensively, what was derived from them (findings, summary keys); see [`redacting`].
//!
//! File rules: CSV in [`csv_cell`] (RFC 4180, CRLF, formulas neutralised, numbers typed) and
//! [`datasets`] (the nine datasets and their columns); `catalog.json` in [`catalog`]; the zip in
//! [`bundle`]; the Markdown report in [`report_md`] with its escaping in [`markdown`]. JSON is
//! pretty-printed (`serde_json::to_string_pretty`), UTF-8. Nothing here reads a clock: the time
//! of generation comes in [`ReportMeta`].

pub mod archive;
pub mod bundle;
pub mod catalog;
pub mod csv_cell;
pub mod datasets;
pub use crate::filter;
pub mod markdown;
pub mod pace;
pub mod paced;
pub mod packer;
pub mod parquet;
pub mod parquet_out;
pub mod redacting;
pub mod relay;
pub mod replay;
pub mod report_md;
pub mod schema_sql;
pub mod sqlite;
pub mod stats;
pub mod tables;
pub mod typed;

use crate::audit::AuditReport;
use crate::ingest::IngestReport;
use crate::model::{Millis, Tables};
use crate::rollup::Summary;
pub use crate::redact;
pub use filter::{Filter, Filtered};
pub use redact::Redaction;
pub use redacting::{Redacted, redacted, redacted_with, redactor};

pub const SESSIONS_CSV: &str = "sessions.csv";
pub const ROUTING_CSV: &str = "routing_context.csv";
pub const QUERIES_CSV: &str = "query_messages.csv";
pub const USAGE_CSV: &str = "usage_tokens.csv";
pub const TOOL_CALLS_CSV: &str = "tool_calls.csv";
pub const TOOL_AUDIT_CSV: &str = "tool_audit.csv";
pub const API_CALLS_CSV: &str = "api_calls.csv";
pub const FINDINGS_CSV: &str = "audit_findings.csv";
pub const INGEST_CSV: &str = "ingest_report.csv";
pub const SUMMARY_JSON: &str = "summary.json";
pub const AUDIT_JSON: &str = "audit.json";
pub const CATALOG_JSON: &str = "catalog.json";
pub const REPORT_MD: &str = "report.md";
pub const REDACTION_JSON: &str = "redaction.json";
pub const ZIP: &str = "agent-ledger-export.zip";
pub const SQLITE: &str = "agent-ledger.sqlite";
pub const SCHEMA_SQL: &str = "schema.sql";

/// One Parquet file per dataset, in [`CSV_NAMES`] order ([`parquet::file_name`] of each).
pub const PARQUET_NAMES: [&str; 9] = [
    "sessions.parquet",
    "routing_context.parquet",
    "query_messages.parquet",
    "usage_tokens.parquet",
    "tool_calls.parquet",
    "tool_audit.parquet",
    "api_calls.parquet",
    "audit_findings.parquet",
    "ingest_report.parquet",
];

/// The nine datasets, in catalog and zip order.
pub const CSV_NAMES: [&str; 9] = [
    SESSIONS_CSV,
    ROUTING_CSV,
    QUERIES_CSV,
    USAGE_CSV,
    TOOL_CALLS_CSV,
    TOOL_AUDIT_CSV,
    API_CALLS_CSV,
    FINDINGS_CSV,
    INGEST_CSV,
];

/// Every file [`build_all`] returns, in its order; the zip holds all but itself.
pub const ALL_NAMES: [&str; 26] = [
    SESSIONS_CSV,
    ROUTING_CSV,
    QUERIES_CSV,
    USAGE_CSV,
    TOOL_CALLS_CSV,
    TOOL_AUDIT_CSV,
    API_CALLS_CSV,
    FINDINGS_CSV,
    INGEST_CSV,
    SUMMARY_JSON,
    AUDIT_JSON,
    CATALOG_JSON,
    REPORT_MD,
    REDACTION_JSON,
    SQLITE,
    PARQUET_NAMES[0],
    PARQUET_NAMES[1],
    PARQUET_NAMES[2],
    PARQUET_NAMES[3],
    PARQUET_NAMES[4],
    PARQUET_NAMES[5],
    PARQUET_NAMES[6],
    PARQUET_NAMES[7],
    PARQUET_NAMES[8],
    SCHEMA_SQL,
    ZIP,
];

pub const MIME_CSV: &str = "text/csv; charset=utf-8";
pub const MIME_JSON: &str = "application/json";
pub const MIME_MD: &str = "text/markdown; charset=utf-8";
pub const MIME_ZIP: &str = "application/zip";
pub const MIME_SQLITE: &str = "application/vnd.sqlite3";
pub const MIME_PARQUET: &str = "application/vnd.apache.parquet";
pub const MIME_SQL: &str = "application/sql";

/// One download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportFile {
    pub name: &'static str,
    pub mime: &'static str,
    pub bytes: Vec<u8>,
}

/// Export settings the page offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportSettings {
    /// At most this many data rows per CSV (`None` = all); `catalog.json` marks a cut dataset
    /// with `"truncated": true`.
    pub row_cap: Option<usize>,
    /// The report lists at most this many tool calls under one prompt, then says how many more.
    pub report_tool_calls_per_prompt: usize,
}

impl Default for ExportSettings {
    fn default() -> Self {
        ExportSettings {
            row_cap: None,
            report_tool_calls_per_prompt: 50,
        }
    }
}

/// What the report's header says about how the export was made.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportMeta {
    /// When the export was made (the caller's clock); also the zip entries' modification time.
    pub generated_at_ms: Option<Millis>,
    /// The price snapshot the costs come from (`PriceBook::label()` or similar).
    pub price_snapshot: String,
    /// The name of the machine the export is made on (the team view's label, chosen by the
    /// user); empty = unnamed, and then no file mentions it, so the bytes stay as before.
    pub machine: String,
}

/// Everything an export is written from. `tables`, `usage_costs`, `audit` and `summary` are the
/// prepared (filtered, redacted) ones; `filter` is only described in the report.
#[derive(Debug, Clone, Copy)]
pub struct ExportInput<'a> {
    pub tables: &'a Tables,
    /// `usage_costs[i]` is the cost of `tables.usage[i]`; `None` (or missing) = unpriced.
    pub usage_costs: &'a [Option<f64>],
    pub ingest: &'a IngestReport,
    pub audit: &'a AuditReport,
    pub summary: &'a Summary,
    pub filter: &'a Filter,
    pub redaction: &'a Redaction,
    /// `Some` (the report [`prepare`] returned) when `tables` went through [`prepare`] with this
    /// `redaction`; `None` when they are as logged, and the export redacts them itself.
    pub redaction_report: Option<&'a redact::Report>,
    pub settings: &'a ExportSettings,
    pub meta: &'a ReportMeta,
}

/// The tables after filtering and redaction ([`prepare`]).
#[derive(Debug, Clone, Default)]
pub struct Prepared {
    pub tables: Tables,
    /// `usage_costs` re-aligned with `tables.usage`.
    pub usage_costs: Vec<Option<f64>>,
    /// For each kept usage row, its index in the input tables.
    pub kept_usage: Vec<usize>,
    /// For each kept API call, its index in the input tables.
    pub kept_api_calls: Vec<usize>,
    /// What the redaction masked: pass it on in [`ExportInput::redaction_report`].
    pub redaction: redact::Report,
}

/// Step 1 of the pipeline: filter (with retention), then redact. Redaction changes text only,
/// never a number or a key, so the costs stay aligned with the rows.
pub fn prepare(
    tables: &Tables,
    usage_costs: &[Option<f64>],
    filter: &Filter,
    redaction: &Redaction,
) -> Prepared {
    prepare_with(tables, usage_costs, filter, redaction, None, None)
}

/// [`prepare`], with the masks of `tables`' rows kept between calls (the page's engine keeps
/// them while only the filters change): each kept row is redacted by lookup.
pub fn prepare_with(
    all: &Tables,
    usage_costs: &[Option<f64>],
    filter: &Filter,
    redaction: &Redaction,
    masks: Option<&mut redact::RowMasks>,
    keys: Option<&filter::Keys>,
) -> Prepared {
    let Filtered { mut tables, usage_costs, kept_usage, kept_api_calls } = filter::apply_with(all, usage_costs, filter, keys);
    // `{users}` stands for the users of the rows kept, as `Redaction::redactor_for` has it.
    let users = if redaction.needs_users() { redact::users(&tables, []) } else { Vec::new() };
    let redactor = redact::Redactor::new(redaction, &users);
    let known = masks.map(|m| {
        m.refresh(std::ptr::from_ref(all) as usize, all, redaction, &users, &redactor);
        &*m
    });
    // Unfiltered, the tables are the ledger's rows in order: only the masked ones are visited.
    let report = redact::tables_with(&mut tables, &redactor, known, filter.is_empty());
    Prepared { tables, usage_costs, kept_usage, kept_api_calls, redaction: report }
}

/// Every file the page offers, in [`ALL_NAMES`] order.
pub fn build_all(input: &ExportInput) -> Vec<ExportFile> {
    let mut files = Vec::with_capacity(ALL_NAMES.len());
    let built = paced::run_now(paced::each_file(input, &mut paced::Out::Files(&mut files), &mut paced::Straight, paced::Pieces::WHOLE));
    debug_assert!(built.is_some(), "nothing stops a straight build");
    let zip = bundle::zip(&files, input.meta.generated_at_ms);
    files.push(ExportFile {
        name: ZIP,
        mime: MIME_ZIP,
        bytes: zip,
    });
    files
}

/// `agent-ledger-export.zip` alone, with the same bytes as [`build_all`]'s: each entry goes into
/// the archive as soon as it is built and is dropped there, so the page's worker never holds
/// every file beside the archive (issue #18.1: that cost it 1.5 GB on the real-world profile).
/// The page's worker builds it with pauses ([`paced::zip`]).
pub fn zip_file(input: &ExportInput) -> ExportFile {
    let zip = paced::run_now(paced::zip(input, &mut paced::Straight, paced::Pieces::WHOLE));
    zip.unwrap_or(ExportFile { name: ZIP, mime: MIME_ZIP, bytes: Vec::new() })
}

/// One download by its name (one of [`ALL_NAMES`]); `None` for any other name. Builds only what
/// that file needs (the catalog needs the CSVs; the zip needs everything).
pub fn build_file(input: &ExportInput, name: &str) -> Option<ExportFile> {
    if name == ZIP {
        return Some(zip_file(input));
    }
    let red = redacted(input);
    if name == CATALOG_JSON {
        // The CSVs are written (piece by piece) only for their lengths.
        let (files, shapes): (Vec<_>, Vec<_>) = CSV_NAMES.iter().filter_map(|name| csv_in_pieces(input, &red, name)).unzip();
        return Some(json_file(CATALOG_JSON, catalog::build(&shapes, &files, &input.meta.machine)));
    }
    if name == SQLITE {
        return paced::run_now(paced::database(input, &red, &mut paced::Straight, 0));
    }
    if name == SCHEMA_SQL {
        return Some(schema_file(input.tables));
    }
    if let Some(at) = PARQUET_NAMES.iter().position(|p| *p == name) {
        return parquet_of(input, &red, CSV_NAMES[at]);
    }
    if let Some((file, _)) = csv_in_pieces(input, &red, name) {
        return Some(file);
    }
    match name {
        SUMMARY_JSON => Some(json_file(SUMMARY_JSON, summary_json(&red))),
        AUDIT_JSON => Some(json_file(AUDIT_JSON, audit_json(&red.audit))),
        REPORT_MD => Some(md_file(report_md::build(input, &red))),
        REDACTION_JSON => Some(json_file(REDACTION_JSON, redaction_json(input, &red))),
        _ => None,
    }
}

/// One dataset's CSV file and its counts, written in pieces of [`paced::Pieces::PAGE`] rows
/// (never a whole table of cells; [`paced::csv_in_pieces`] without pauses). `None` for a name
/// that is not a dataset.
pub fn csv_in_pieces(input: &ExportInput, red: &Redacted, name: &str) -> Option<(ExportFile, csv_cell::Shape)> {
    datasets::columns(name)?;
    paced::run_now(paced::csv_in_pieces(input, red, name, &mut paced::Straight, 0, paced::Pieces::PAGE))
}

/// `agent-ledger.sqlite` of the datasets `csvs`, built already (the export itself builds
/// them one by one: [`paced::database`]).
pub fn sqlite_file(input: &ExportInput, csvs: &[csv_cell::CsvTable]) -> ExportFile {
    let shapes: Vec<_> = csvs.iter().map(csv_cell::CsvTable::shape).collect();
    ExportFile {
        name: SQLITE,
        mime: MIME_SQLITE,
        bytes: sqlite::build(csvs, &typed::meta(input, &shapes)),
    }
}

/// `schema.sql`: the same for every export of this machine's logs alone; a merged export's
/// tables have the `machine` column too.
pub fn schema_file(tables: &Tables) -> ExportFile {
    ExportFile {
        name: SCHEMA_SQL,
        mime: MIME_SQL,
        bytes: schema_sql::build(datasets::merged(tables)).into_bytes(),
    }
}

/// `<dataset>.parquet` of one dataset (`None` for a table that is not one of [`CSV_NAMES`]). Its
/// metadata describes that dataset alone, so a single build equals the full one.
pub fn parquet_file(input: &ExportInput, csv: &csv_cell::CsvTable) -> Option<ExportFile> {
    let at = CSV_NAMES.iter().position(|n| *n == csv.name)?;
    let meta = typed::meta(input, &[csv.shape()]);
    Some(ExportFile {
        name: PARQUET_NAMES[at],
        mime: MIME_PARQUET,
        bytes: parquet::build(csv, &meta),
    })
}

/// `<dataset>.parquet` of the dataset `name`, built for it and dropped once the file is made.
pub fn parquet_of(input: &ExportInput, red: &Redacted, name: &str) -> Option<ExportFile> {
    parquet_file(input, &datasets::build_one(input, red, name)?)
}

fn csv_file(name: &'static str, bytes: Vec<u8>) -> ExportFile {
    ExportFile {
        name,
        mime: MIME_CSV,
        bytes,
    }
}

fn json_file(name: &'static str, bytes: Vec<u8>) -> ExportFile {
    ExportFile {
        name,
        mime: MIME_JSON,
        bytes,
    }
}

fn md_file(text: String) -> ExportFile {
    ExportFile {
        name: REPORT_MD,
        mime: MIME_MD,
        bytes: text.into_bytes(),
    }
}

/// `summary.json`: the rollups, pretty-printed (workspaces and users redacted like the tables).
pub fn summary_json(red: &Redacted) -> Vec<u8> {
    pretty(red.summary.as_ref())
}

/// `redaction.json`: each rule with its switch and count, each manual redaction with its
/// provenance; never a masked value ([`redact::report::transparency`]).
pub fn redaction_json(input: &ExportInput, red: &Redacted) -> Vec<u8> {
    pretty(&redact::report::transparency(input.redaction, &red.report, &|name| red.file_name(name)))
}

/// `audit.json`: the checks and the reconciliation, pretty-printed.
pub fn audit_json(audit: &AuditReport) -> Vec<u8> {
    pretty(audit)
}

fn pretty<T: serde::Serialize + ?Sized>(value: &T) -> Vec<u8> {
    serde_json::to_vec_pretty(value).unwrap_or_else(|_| b"{}".to_vec())
}
