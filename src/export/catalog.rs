//! `catalog.json`: what each CSV holds (DESIGN.md section 4).
//!
//! Shape: `{["machine",] "datasets": [{"name", "columns", "rows", "bytes", "truncated"[, "rows_before_cap"]}]}`,
//! one entry per CSV in [`CSV_NAMES`](super::CSV_NAMES) order. `rows` counts data rows (the header
//! excluded) as written; `bytes` is the written file's length. `truncated` is always present:
//! `true` when the row cap cut the dataset, and then `rows_before_cap` says how many rows there
//! were. `machine` (the team view's label of the exporting machine) is there only when the user
//! named the machine, so an unnamed export's catalog is byte for byte what it always was.

use super::ExportFile;
use super::csv_cell::Shape;
use serde::Serialize;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Catalog {
    /// The machine the export was made on (the team view reads it back); absent when unnamed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub machine: Option<String>,
    pub datasets: Vec<CatalogEntry>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CatalogEntry {
    pub name: &'static str,
    pub columns: Vec<&'static str>,
    pub rows: u64,
    pub bytes: u64,
    pub truncated: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rows_before_cap: Option<u64>,
}

/// The catalog of the written CSVs (their counts); `files` holds their bytes under the same
/// names.
pub fn catalog(csvs: &[Shape], files: &[ExportFile], machine: &str) -> Catalog {
    catalog_sized(csvs, &|name| files.iter().find(|f| f.name == name).map_or(0, |f| f.bytes.len() as u64), machine)
}

/// The catalog of the written CSVs, given each one's length in bytes by name (for a caller that
/// dropped the files once written, like the zip's).
pub fn catalog_sized(csvs: &[Shape], bytes_of: &dyn Fn(&str) -> u64, machine: &str) -> Catalog {
    let datasets = csvs
        .iter()
        .map(|csv| CatalogEntry {
            name: csv.name,
            columns: csv.columns.to_vec(),
            rows: csv.rows as u64,
            bytes: bytes_of(csv.name),
            truncated: csv.truncated(),
            rows_before_cap: csv.truncated().then_some(csv.rows_before_cap as u64),
        })
        .collect();
    let machine = (!machine.is_empty()).then(|| machine.to_string());
    Catalog { machine, datasets }
}

/// `catalog.json`, pretty-printed.
pub fn build(csvs: &[Shape], files: &[ExportFile], machine: &str) -> Vec<u8> {
    pretty(&catalog(csvs, files, machine))
}

/// `catalog.json` from the CSVs' lengths ([`catalog_sized`]).
pub fn build_sized(csvs: &[Shape], bytes_of: &dyn Fn(&str) -> u64, machine: &str) -> Vec<u8> {
    pretty(&catalog_sized(csvs, bytes_of, machine))
}

fn pretty(catalog: &Catalog) -> Vec<u8> {
    serde_json::to_vec_pretty(catalog).unwrap_or_else(|_| b"{}".to_vec())
}
