//! Corpora and independent expectations for the query engine's tests: the loads (built-in
//! sample, real corpus), the downloads built by `export::build_all` from a pipeline put together
//! here (not the engine's analysis), and those downloads read back with the `csv` crate.
#![allow(dead_code)]

use agent_ledger::export::{self, ExportFile, ExportInput, ExportSettings, Filter, Redaction, ReportMeta};
use agent_ledger::pricing::PriceBook;
use agent_ledger::query::{Engine, PageQuery, Request, Response, Settings};
use agent_ledger::rollup::{self, Zone};
use std::collections::HashMap;
use std::path::Path;

pub type Files = Vec<(String, Vec<u8>)>;

/// A fixed generation time for downloads: 2026-01-02T03:04:05Z.
pub const AT_MS: i64 = 1_767_323_045_000;

pub fn sample() -> Files {
    agent_ledger::synth::sample_files()
}

/// Every file under `../shared/corpus/real` but its notes, by path relative to it, sorted.
/// Absent: a note and `None`, or a failure when `CI` is set.
pub fn real() -> Option<Files> {
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/real"));
    if !root.is_dir() {
        assert!(std::env::var_os("CI").is_none(), "CI: the real corpus {} is missing", root.display());
        eprintln!("NOTE: skipped, the real corpus {} is absent", root.display());
        return None;
    }
    fn walk(root: &Path, dir: &Path, out: &mut Files) {
        for entry in std::fs::read_dir(dir).expect("readable corpus folder").flatten() {
            let p = entry.path();
            if p.is_dir() {
                walk(root, &p, out);
            } else if p.extension().is_none_or(|x| x != "md") {
                let name = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                out.push((name, std::fs::read(&p).unwrap()));
            }
        }
    }
    let mut files = Vec::new();
    walk(root, root, &mut files);
    files.sort();
    assert!(files.len() >= 10, "the real corpus has its files");
    Some(files)
}

/// The loads every table-driven test runs on.
/// Logs with formula-like text (`=1+1, …` prompt, `-r` tool arguments) beside the sample.
pub fn guarded() -> Files {
    let mut files = sample();
    for path in ["export/rollout-2026-11-20T09-00-00-export-s1.jsonl", "tool_audit/2026-01-05.jsonl"] {
        let full = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/").to_string() + path;
        files.push((path.to_string(), std::fs::read(&full).unwrap()));
    }
    files
}

pub fn corpora() -> Vec<(&'static str, Files)> {
    let mut v = vec![("sample", sample()), ("guarded", guarded())];
    if let Some(r) = real() {
        v.push(("real", r));
    }
    v
}

pub fn ingest(files: &Files) -> agent_ledger::ingest::Ledger {
    agent_ledger::ingest::ingest_all(files.iter().map(|(n, b)| (n.as_str(), b.as_slice())))
}

pub fn engine(files: &Files) -> Engine {
    Engine::new(ingest(files), Settings::default())
}

/// Every download of an unfiltered load.
pub fn downloads(files: &Files, price_snapshot: &str) -> HashMap<&'static str, ExportFile> {
    downloads_with(files, price_snapshot, &Filter::default(), &Redaction::default())
}

/// Every download, built by `export::build_all` from its own ingest, prices, filter and
/// redaction (`export::prepare`), audit and UTC rollup of what is left.
pub fn downloads_with(files: &Files, price_snapshot: &str, filter: &Filter, redaction: &Redaction) -> HashMap<&'static str, ExportFile> {
    downloads_of(&ingest(files), price_snapshot, filter, redaction)
}

/// [`downloads_with`] of a ledger however it was made.
pub fn downloads_of(
    ledger: &agent_ledger::ingest::Ledger,
    price_snapshot: &str,
    filter: &Filter,
    redaction: &Redaction,
) -> HashMap<&'static str, ExportFile> {
    let prices = PriceBook::builtin();
    let all_costs: Vec<Option<f64>> = ledger.tables.usage.iter().map(|u| prices.usage_cost(u)).collect();
    let view = export::prepare(&ledger.tables, &all_costs, filter, redaction);
    let (t, costs) = (&view.tables, &view.usage_costs);
    let audit = agent_ledger::audit::run(t, &prices);
    let summary = rollup::summarize(t, costs, &Zone::utc());
    let meta = ReportMeta { generated_at_ms: Some(AT_MS), price_snapshot: price_snapshot.to_string(), machine: String::new() };
    let input = ExportInput {
        tables: t,
        usage_costs: costs,
        ingest: &ledger.report,
        audit: &audit,
        summary: &summary,
        filter,
        redaction,
        redaction_report: Some(&view.redaction),
        settings: &ExportSettings::default(),
        meta: &meta,
    };
    export::build_all(&input).into_iter().map(|f| (f.name, f)).collect()
}

/// A CSV download read back: the header and the records, each cell as the page shows it (the
/// formula guard `'` taken off again).
pub struct Csv {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Csv {
    pub fn parse(bytes: &[u8]) -> Csv {
        let mut r = csv::ReaderBuilder::new().has_headers(true).from_reader(bytes);
        let header = r.headers().unwrap().iter().map(String::from).collect();
        let unguard = |s: &str| match s.strip_prefix('\'') {
            Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest.to_string(),
            _ => s.to_string(),
        };
        let rows = r.records().map(|rec| rec.unwrap().iter().map(unguard).collect()).collect();
        Csv { header, rows }
    }

    pub fn col(&self, name: &str) -> usize {
        self.header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"))
    }

    /// The rows whose column `name` equals `value`.
    pub fn rows_with<'a>(&'a self, name: &str, value: &'a str) -> impl Iterator<Item = &'a Vec<String>> + 'a {
        let c = self.col(name);
        self.rows.iter().filter(move |r| r[c] == value)
    }
}

pub fn csvs(downloads: &HashMap<&'static str, ExportFile>) -> HashMap<&'static str, Csv> {
    export::CSV_NAMES.iter().map(|n| (*n, Csv::parse(&downloads[n].bytes))).collect()
}

/// One page, or a panic with the engine's words.
pub fn page(e: &mut Engine, q: PageQuery) -> agent_ledger::query::Page {
    match e.answer(Request::Page(q.clone())) {
        Response::Page(p) => p,
        other => panic!("{q:?}: {other:?}"),
    }
}

/// Every page of a question, `limit` rows at a time: (index, cells) in the order shown, with
/// the `matched` and `total` of every page (all equal).
pub fn all_pages(e: &mut Engine, q: &PageQuery, limit: usize) -> (Vec<(usize, Vec<String>)>, usize, usize) {
    let mut rows = Vec::new();
    let mut seen = None;
    loop {
        let p = page(e, PageQuery { offset: rows.len(), limit, ..q.clone() });
        assert_eq!(p.offset, rows.len());
        let counts = (p.matched, p.total);
        assert_eq!(*seen.get_or_insert(counts), counts, "{q:?}: counts change between pages");
        let n = p.rows.len();
        assert!(n <= limit);
        rows.extend(p.rows.into_iter().map(|r| (r.index, r.cells)));
        if n < limit {
            assert_eq!(rows.len(), counts.0, "{q:?}: a short page before the end");
            return (rows, counts.0, counts.1);
        }
    }
}
