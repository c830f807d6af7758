//! The engine: the loaded ledger, the settings and the analysis, answering [`Request`]s. On the
//! page it lives in a Web Worker (`crate::worker`); natively, tests and the CLI call it directly.

use super::analysis::{self, Analysis};
use super::pages::{self, PageCache};
use super::protocol::overview::Overview;
use super::protocol::{PriceLine, Request, Response, Settings};
use super::{locate, overview, search, series, session};
use crate::export::{self, ExportFile, ReportMeta};
use crate::ingest::Ledger;
use crate::pricing::PriceBook;
use crate::query::raw::{RawLine, pretty_json};
use crate::redact::Field;
use std::sync::Arc;

/// At most this many search hits in one answer.
pub const MAX_HITS: usize = 500;

pub struct Engine {
    ledger: Arc<Ledger>,
    settings: Settings,
    prices: PriceBook,
    /// Shared with a download being built from it ([`Engine::snapshot`]): a change of settings
    /// meanwhile computes a new analysis beside it instead of changing it under the download.
    analysis: Arc<Analysis>,
    /// The analysis before the last change of rows, and its settings: a change back (a filter
    /// switched off again, a redaction rule undone) takes it up again instead of recomputing.
    /// Its rows are shared with the ledger, so keeping it costs its audit and rollups, not a copy
    /// of the tables.
    previous: Option<(Settings, Arc<Analysis>, Option<Arc<Overview>>)>,
    /// The overview of `analysis`, once asked for: every change of settings asks for it, and a
    /// change back finds it with the analysis it was built from.
    overview: Option<Arc<Overview>>,
    /// What the overview offers to filter by: the ledger's, made at the first overview.
    choices: std::sync::OnceLock<overview::Choices>,
    pages: PageCache,
    /// The analysis (with its settings and overview) that a change pushed out of `previous`,
    /// dropped by [`Engine::tidy`]: freeing a big load's filtered tables takes tens of
    /// milliseconds, which the page's worker spends when idle rather than while a person waits
    /// for the change (issue #18.2). At most one is held: a change before the last was tidied
    /// drops it then.
    retired: Option<(Settings, Arc<Analysis>, Option<Arc<Overview>>)>,
}

impl Engine {
    pub fn new(ledger: Ledger, settings: Settings) -> Self {
        let ledger = Arc::new(ledger);
        let prices = analysis::price_book(&settings);
        let analysis = Arc::new(analysis::analyze(ledger.clone(), &settings, &prices));
        Engine { ledger, settings, prices, analysis, previous: None, overview: None, choices: Default::default(), pages: PageCache::default(), retired: None }
    }

    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    pub fn analysis(&self) -> &Analysis {
        &self.analysis
    }

    /// New settings: recompute only when they differ.
    pub fn configure(&mut self, settings: Settings) {
        if settings == self.settings {
            return;
        }
        if settings.price_overrides != self.settings.price_overrides {
            self.prices = analysis::price_book(&settings);
        }
        let change = analysis::change(&self.settings, &settings);
        let before = std::mem::replace(&mut self.settings, settings);
        if change == analysis::Change::Rows {
            self.change_rows(before);
        } else {
            self.bring_up_to_date(change);
            self.overview = None;
        }
        self.pages = match change {
            // The rows and their cells are the same: sorted orders still hold; matches by a
            // time's day or hour (in the zone) may not.
            analysis::Change::Zone => self.pages.for_new_zone(),
            _ => PageCache::default(),
        };
    }

    /// The rows changed: take up the analysis before when it has the same rows, else analyse
    /// afresh (reusing the redaction's row masks, and the costs under the same prices); either
    /// way the one replaced is kept, with its overview.
    fn change_rows(&mut self, before: Settings) {
        let back = self.previous.as_ref().map(|(s, _, _)| analysis::change(s, &self.settings));
        if let Some(back) = back.filter(|c| *c != analysis::Change::Rows)
            && let Some((kept_settings, kept, kept_overview)) = self.previous.take()
        {
            let overview = std::mem::replace(&mut self.overview, kept_overview);
            self.previous = Some((before, std::mem::replace(&mut self.analysis, kept), overview));
            if !analysis::serves(&kept_settings, &self.settings) {
                self.bring_up_to_date(back);
                self.overview = None;
            }
            return;
        }
        let same_prices = before.price_overrides == self.settings.price_overrides;
        let reuse = Arc::get_mut(&mut self.analysis).map(Analysis::take_reuse).unwrap_or_default();
        let reuse = if same_prices { reuse } else { reuse.other_prices() };
        // The analysis before may hold what the current one never worked out: a filter switched
        // off takes up the unfiltered analysis, which has no row masks, while the filtered one it
        // replaced has them (running the rules over every text again cost a new filter after
        // that about 0.2 s natively). The one before is dropped below, so its are taken.
        let before_reuse = self.previous.as_mut().and_then(|(_, a, _)| Arc::get_mut(a)).map(Analysis::take_reuse);
        let reuse = match before_reuse {
            Some(older) => reuse.or_masks_of(older),
            None => reuse,
        };
        // Only the redaction changed: the audit and roll-ups may hold (`Reuse::earlier`).
        let earlier = analysis::only_redaction_differs(&before, &self.settings).then(|| self.analysis.clone());
        let reuse = analysis::Reuse { earlier, ..reuse };
        let fresh = analysis::analyze_with(self.ledger.clone(), &self.settings, &self.prices, reuse);
        // The overview reads the rows kept, their costs, the audit and the roll-ups: when the
        // new analysis shares the last two with the one it replaces (only the redaction changed,
        // and nothing they read), the overview is the same too.
        let same_overview = Arc::ptr_eq(&fresh.audit, &self.analysis.audit) && Arc::ptr_eq(&fresh.summary, &self.analysis.summary);
        let overview = self.overview.take();
        self.overview = overview.clone().filter(|_| same_overview);
        let replaced = self.previous.replace((before, std::mem::replace(&mut self.analysis, Arc::new(fresh)), overview));
        self.retired = replaced;
    }

    /// Drop what the last change of rows pushed out (see `retired`). Changes no answer.
    pub fn tidy(&mut self) {
        self.retired = None;
    }

    /// Recompute what a change of zone or prices moves.
    fn bring_up_to_date(&mut self, change: analysis::Change) {
        match Arc::get_mut(&mut self.analysis) {
            Some(a) => analysis::reanalyze(a, &self.settings, &self.prices, change),
            // A download holds the analysis: it keeps it, the views get a fresh one (what
            // `reanalyze` would give: tests/query_incremental.rs).
            None => self.analysis = Arc::new(analysis::analyze(self.ledger.clone(), &self.settings, &self.prices)),
        }
    }

    /// A raw line read back from its file, masked by the current redaction like the tables made
    /// from it (a secret hidden in the views must not reappear in the raw line).
    pub fn mask_raw(&self, mut raw: RawLine) -> RawLine {
        raw.text = self.analysis.redactor.mask_str(Field::RawLine, &raw.text);
        raw.pretty = pretty_json(&raw.text);
        raw
    }

    /// One download, built from the current analysis.
    pub fn export(&self, name: &str, generated_at_ms: i64) -> Option<ExportFile> {
        export::build_file(&self.analysis.export_input(&self.export_meta(generated_at_ms)), name)
    }

    /// What a download made now says about how it was made.
    pub fn export_meta(&self, generated_at_ms: i64) -> ReportMeta {
        ReportMeta {
            generated_at_ms: Some(generated_at_ms),
            price_snapshot: self.analysis.price_label.clone(),
            machine: self.settings.machine_name.trim().to_string(),
        }
    }

    /// Work the first filter would do, done ahead (the page's worker calls it while idle after a
    /// load; see [`Analysis::prepare_keys`]). Changes no answer.
    pub fn prepare_filters(&self) {
        self.analysis.prepare_keys();
    }

    /// The analysis as it is now, to build a download from over many turns of the page's event
    /// loop while the engine answers (and changes its settings) meanwhile.
    pub fn snapshot(&self) -> Arc<Analysis> {
        self.analysis.clone()
    }

    /// The file a request asks for, if it asks for one: a download or a table's rows as CSV.
    pub fn file(&mut self, request: &Request) -> Option<Result<ExportFile, String>> {
        match request {
            Request::Export { name, generated_at_ms } => {
                Some(self.export(name, *generated_at_ms).ok_or_else(|| format!("no download named {name:?}")))
            }
            Request::PageCsv(q) => Some(pages::page_csv(&self.analysis, &mut self.pages, q)),
            Request::Tables => {
                let meta = ReportMeta { generated_at_ms: None, price_snapshot: self.analysis.price_label.clone(), machine: String::new() };
                Some(Ok(export::tables::file(&self.analysis.export_input(&meta))))
            }
            _ => None,
        }
    }

    /// Drop the sorted orders and matches kept for the tables, so that the next question of a
    /// page is answered anew (benchmarks time each question's first answer, several times).
    pub fn forget_pages(&mut self) {
        self.pages = PageCache::default();
    }

    /// Answer a request. Exports answer with their size; the caller fetches the bytes with
    /// [`Engine::export`] (the worker transfers them beside the answer).
    pub fn answer(&mut self, request: Request) -> Response {
        let error = |message: String| Response::Error { message };
        match request {
            Request::Configure { settings } => {
                self.configure(settings);
                Response::Configured
            }
            Request::Overview => {
                let (analysis, ledger) = (&self.analysis, &self.ledger);
                let choices = self.choices.get_or_init(|| overview::Choices::of(&ledger.tables));
                let o = self.overview.get_or_insert_with(|| Arc::new(overview::build(analysis, choices)));
                Response::Overview(Box::new(Overview::clone(o)))
            }
            Request::Page(q) => match pages::page(&self.analysis, &mut self.pages, &q) {
                Ok(page) => Response::Page(page),
                Err(e) => error(e),
            },
            Request::Chart { name } => match series::build(&self.analysis, &name) {
                Some(s) => Response::Chart(s),
                None => error(format!("no chart named {name:?}")),
            },
            Request::Session { id } => match session::build(&self.analysis, &id) {
                Some(s) => Response::Session(Box::new(s)),
                None => error(format!("no session {id:?} under the current filters")),
            },
            Request::Search { text, limit } => {
                let (hits, more) = search::search(&self.analysis, &text, limit.min(MAX_HITS));
                Response::Search { hits, more }
            }
            Request::Export { .. } | Request::PageCsv(_) | Request::Tables => match self.file(&request) {
                Some(Ok(f)) => Response::Export { name: f.name.to_string(), mime: f.mime.to_string(), bytes: f.bytes.len() },
                Some(Err(e)) => error(e),
                None => error("no file".into()),
            },
            Request::Prices => Response::Prices { rows: self.price_lines(), source: self.analysis.price_label.clone() },
            Request::Redaction => Response::Redaction(Box::new(
                self.analysis.redaction_report.clone().unwrap_or_else(|| crate::redact::Report::for_redaction(&self.analysis.redaction)),
            )),
            Request::Locate { dataset, row, column, text } => match locate::locate(&self.analysis, &dataset, row, &column, &text) {
                Ok(l) => Response::Located(l),
                Err(e) => error(e),
            },
        }
    }

    /// The models seen in the load, each with the price in force and where it comes from.
    fn price_lines(&self) -> Vec<PriceLine> {
        self.analysis
            .summary
            .by_model
            .iter()
            .map(|g| {
                let model = g.key.label();
                let p = self.prices.price(&model);
                PriceLine {
                    input: p.as_ref().map(|p| p.input),
                    cache_read: p.as_ref().and_then(|p| p.cache_read),
                    cache_write_5m: p.as_ref().and_then(|p| p.cache_write_5m),
                    cache_write_1h: p.as_ref().and_then(|p| p.cache_write_1h),
                    output: p.as_ref().map(|p| p.output),
                    origin: p.as_ref().map_or_else(|| "unpriced".to_string(), |p| p.origin.label()),
                    model,
                }
            })
            .collect()
    }
}
