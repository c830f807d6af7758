//! The analysis every answer is read from: the tables after the filters and redaction, their
//! costs, audit and rollups, recomputed only when the settings change.

use super::protocol::Settings;
use crate::audit::{self, AuditReport};
use crate::export::{self, ExportInput, ExportSettings, Filter, Redaction, ReportMeta};
use crate::filter::Keys;
use crate::redact::{Redactor, Report, RowMasks};
use crate::ingest::{IngestReport, Ledger};
use crate::model::Tables;
use crate::pricing::PriceBook;
use crate::rollup::{self, Summary, Zone};
use std::sync::{Arc, OnceLock};

mod reuse;
pub use reuse::Reuse;

/// Everything the views and downloads show, computed from the ledger and the settings.
pub struct Analysis {
    pub ledger: Arc<Ledger>,
    /// The filtered or redacted copy of the ledger's tables; `None` when nothing is filtered or
    /// redacted, so that a large load is not held twice (see [`Analysis::tables`]).
    filtered: Option<Tables>,
    pub usage_costs: Vec<Option<f64>>,
    /// Shared with the analysis before when only the redaction changed and it masks nothing
    /// the checks read ([`Reuse::earlier`]).
    pub audit: Arc<AuditReport>,
    /// The ingest report and audit as the downloads show them (redacted); the tables above
    /// already are.
    pub redacted_report: IngestReport,
    pub redacted_audit: AuditReport,
    /// What the redaction masked in the tables (`None` when they are the ledger's own).
    pub redaction_report: Option<Report>,
    /// The rules compiled for this load, for whatever else is shown redacted.
    pub redactor: Redactor,
    /// What the redaction masks in the ledger's rows, kept while only the filters change.
    masks: RowMasks,
    /// The cost of every usage row of the ledger (not only the kept ones) under this analysis'
    /// prices, for the next analysis under the same prices (a filter change); `None` after a
    /// price edit.
    all_costs: Option<Arc<Vec<Option<f64>>>>,
    /// The ledger rows' session and model numbers, made by the first filter (or ahead of it,
    /// [`Self::prepare_keys`]) and kept for the next.
    keys: OnceLock<Arc<Keys>>,
    /// Shared like [`Self::audit`].
    pub summary: Arc<Summary>,
    pub zone: Zone,
    pub filter: Filter,
    pub redaction: Redaction,
    pub export_settings: ExportSettings,
    pub price_label: String,
}

impl Analysis {
    /// The tables the views and downloads show.
    pub fn tables(&self) -> &Tables {
        self.filtered.as_ref().unwrap_or(&self.ledger.tables)
    }

    /// What the next analysis of the same ledger can start from (this one keeps the costs and the
    /// row numbers, and no masks).
    pub fn take_reuse(&mut self) -> Reuse {
        Reuse { masks: std::mem::take(&mut self.masks), all_costs: self.all_costs.clone(), keys: self.keys.get().cloned(), earlier: None }
    }

    /// Number the ledger rows' sessions and models now, as the first filter would: the page's
    /// worker does it while idle after a load, so that the first filter does not wait for it
    /// (about 50 ms natively on the real-world profile's 232,133 usage rows, more in wasm).
    pub fn prepare_keys(&self) {
        self.keys.get_or_init(|| Arc::new(Keys::of(&self.ledger.tables)));
    }

    /// The rows' numbers, once made.
    pub fn keys(&self) -> Option<&Arc<Keys>> {
        self.keys.get()
    }

    /// The input of every export and dataset page.
    pub fn export_input<'a>(&'a self, meta: &'a ReportMeta) -> ExportInput<'a> {
        ExportInput {
            tables: self.tables(),
            usage_costs: &self.usage_costs,
            ingest: &self.ledger.report,
            audit: &self.audit,
            summary: &self.summary,
            filter: &self.filter,
            redaction: &self.redaction,
            redaction_report: self.redaction_report.as_ref(),
            settings: &self.export_settings,
            meta,
        }
    }
}

/// The price book in force: the built-in one with the user's edits.
pub fn price_book(settings: &Settings) -> PriceBook {
    let mut book = PriceBook::builtin();
    if !settings.price_overrides.trim().is_empty() {
        // A damaged saved edit must not cost the user their load: it is ignored.
        let _ = book.load_overrides_json(&settings.price_overrides);
    }
    book
}

/// The core's filter for the page's settings. Days are UTC days; `to` is inclusive.
pub fn filter_of(settings: &Settings) -> Filter {
    let day_ms = |s: &str| crate::timefmt::parse_iso(&format!("{}T00:00:00Z", s.trim()));
    let one = |s: &str| if s.is_empty() { vec![] } else { vec![s.to_string()] };
    Filter {
        from_ms: day_ms(&settings.from),
        to_ms: day_ms(&settings.to).map(|t| t + 86_400_000),
        models: one(&settings.model),
        workspaces: one(&settings.workspace),
        machines: one(&settings.machine),
        local_machine: settings.machine_name.trim().to_string(),
        retention_days: settings.retention_days,
        now_ms: settings.now_ms,
        ..Filter::default()
    }
}

/// The saved rule file (built-in defaults when empty, or damaged: a damaged saved file must not
/// turn the secret rules off), with the four switches of round 1 as rules switched on.
pub fn redaction_of(s: &Settings) -> Redaction {
    let mut r = match s.redaction_rules.trim() {
        "" => Redaction::default(),
        text => Redaction::from_json(text).unwrap_or_default(),
    };
    let switches = [
        (s.redact_prompts, "whole-prompt"),
        (s.redact_tool_args, "whole-tool-arguments"),
        (s.redact_tool_results, "whole-tool-results"),
        (s.redact_paths, "home-directory"),
    ];
    for (on, id) in switches {
        if on {
            r.set_enabled(id, true);
        }
    }
    r
}

/// What a change of settings asks to recompute, cheapest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Only the time zone: the rollups by day and hour (and the charts read from them).
    Zone,
    /// Prices (and perhaps the zone): costs, the checks that read them, the rollups. The rows
    /// kept and their redaction stay.
    Prices,
    /// The rows kept or their redaction: everything.
    Rows,
}

/// Which [`Change`] takes `old` settings to `new` (the row cap only shapes downloads). Rows is
/// the answer for any setting not named here, so a filter added later is never skipped.
pub fn change(old: &Settings, new: &Settings) -> Change {
    // Everything but the zone, the prices, the row cap, (without a retention window) the clock
    // and the redaction, which is compared as what it does: the page writes the rule file out
    // once a rule is switched, so switching it back gives other text for the same rules.
    let rows = |s: &Settings| Settings { zone: String::new(), price_overrides: String::new(), ..beside_redaction(s) };
    if rows(old) != rows(new) || redaction_of(old) != redaction_of(new) {
        Change::Rows
    } else if old.price_overrides != new.price_overrides {
        Change::Prices
    } else {
        Change::Zone
    }
}

/// Whether `old` and `new` keep the same rows in the same zone under the same prices: only the
/// redaction (or the row cap, which shapes downloads alone) tells them apart.
pub fn only_redaction_differs(old: &Settings, new: &Settings) -> bool {
    beside_redaction(old) == beside_redaction(new)
}

/// `s` without its redaction, its row cap and (without a retention window) its clock.
fn beside_redaction(s: &Settings) -> Settings {
    Settings {
        row_cap: None,
        now_ms: if s.retention_days.is_some() { s.now_ms } else { 0 },
        redaction_rules: String::new(),
        redact_prompts: false,
        redact_tool_args: false,
        redact_tool_results: false,
        redact_paths: false,
        ..s.clone()
    }
}

/// Whether an analysis made under `old` is, as it is, the one of `new`: the same rows kept and
/// redacted alike (settings that differ only in how they are written, such as a rule file written
/// out, count as the same), the same zone, prices and row cap.
pub fn serves(old: &Settings, new: &Settings) -> bool {
    change(old, new) != Change::Rows && (&old.zone, &old.price_overrides, old.row_cap) == (&new.zone, &new.price_overrides, new.row_cap)
}

/// `a` brought to `settings` after a change of zone or prices: a time-zone change rolls up again
/// and a price edit prices again, but neither filters nor redacts the tables again. The result
/// equals [`analyze`] of the same settings (tests/query_incremental.rs). A change of rows is
/// [`analyze_with`]'s (the engine decides between the two, and may take up an earlier analysis
/// instead), so it is not accepted here.
pub fn reanalyze(a: &mut Analysis, settings: &Settings, prices: &PriceBook, change: Change) {
    debug_assert!(change != Change::Rows, "a change of rows is analysed afresh (analyze_with)");
    a.zone = Zone::named(&settings.zone).unwrap_or_else(|_| Zone::utc());
    a.export_settings = ExportSettings { row_cap: settings.row_cap, ..ExportSettings::default() };
    if change == Change::Prices {
        // A row's cost is its own (model and tokens): pricing the kept rows gives what filtering
        // the priced ledger gave.
        a.usage_costs = prices.usage_costs(&a.tables().usage);
        a.all_costs = None;
        a.audit = Arc::new(audit::run(a.tables(), prices));
        let info = prices.snapshot_info();
        a.price_label = format!("{} (snapshot {})", info.source, info.snapshot_date);
    }
    if change == Change::Zone {
        let mut summary = Arc::unwrap_or_clone(std::mem::take(&mut a.summary));
        rollup::rezone(&mut summary, a.tables(), &a.usage_costs, &a.zone);
        a.summary = Arc::new(summary);
    } else {
        a.summary = Arc::new(rollup::summarize(a.tables(), &a.usage_costs, &a.zone));
    }
    if change == Change::Prices {
        let meta = ReportMeta::default();
        let red = export::redacted_with(&a.export_input(&meta), a.redactor.clone());
        let (report, audit) = (red.ingest.into_owned(), red.audit.into_owned());
        (a.redacted_report, a.redacted_audit) = (report, audit);
    }
}

/// Price every row, apply the filters and redaction, then audit and roll up what is left, so the
/// views and every export agree (DESIGN.md section 4: exports honour the active filters).
pub fn analyze(ledger: Arc<Ledger>, settings: &Settings, prices: &PriceBook) -> Analysis {
    analyze_with(ledger, settings, prices, Reuse::default())
}

/// [`analyze`], reusing what an earlier analysis of the same ledger left: its row masks when the
/// redaction is the same (a filter change), so that the rules do not run over every text again,
/// and its costs of every row (given only under the same prices).
pub fn analyze_with(ledger: Arc<Ledger>, settings: &Settings, prices: &PriceBook, reuse: Reuse) -> Analysis {
    let Reuse { mut masks, all_costs, mut keys, earlier } = reuse;
    let zone = Zone::named(&settings.zone).unwrap_or_else(|_| Zone::utc());
    let filter = filter_of(settings);
    let redaction = redaction_of(settings);
    let all_costs = all_costs.unwrap_or_else(|| Arc::new(prices.usage_costs(&ledger.tables.usage)));
    let (filtered, usage_costs, redaction_report) = if filter.is_empty() && redaction.is_empty() {
        (None, all_costs.to_vec(), None)
    } else {
        if !filter.is_empty() && !keys.as_ref().is_some_and(|k| k.fits(&ledger.tables)) {
            keys = Some(Arc::new(Keys::of(&ledger.tables)));
        }
        let view = export::prepare_with(&ledger.tables, &all_costs, &filter, &redaction, Some(&mut masks), keys.as_deref());
        (Some(view.tables), view.usage_costs, Some(view.redaction))
    };
    let tables = filtered.as_ref().unwrap_or(&ledger.tables);
    let (audit, summary) = match earlier.filter(|e| reuse::checks_read_alike(e.tables(), tables)) {
        Some(e) => (e.audit.clone(), e.summary.clone()),
        // Independent of each other: on two cores on the command line.
        None => {
            let (audit, summary) = crate::par::join(|| audit::run(tables, prices), || rollup::summarize(tables, &usage_costs, &zone));
            (Arc::new(audit), Arc::new(summary))
        }
    };
    let info = prices.snapshot_info();
    let export_settings = ExportSettings { row_cap: settings.row_cap, ..ExportSettings::default() };
    let meta = ReportMeta::default();
    let input = ExportInput {
        tables,
        usage_costs: &usage_costs,
        ingest: &ledger.report,
        audit: &audit,
        summary: &summary,
        filter: &filter,
        redaction: &redaction,
        redaction_report: redaction_report.as_ref(),
        settings: &export_settings,
        meta: &meta,
    };
    let redactor = export::redactor(&input);
    let red = export::redacted_with(&input, redactor.clone());
    let (redacted_report, redacted_audit) = (red.ingest.into_owned(), red.audit.into_owned());
    Analysis {
        redacted_report,
        redacted_audit,
        redaction_report,
        redactor,
        masks,
        all_costs: Some(all_costs),
        keys: keys.map(OnceLock::from).unwrap_or_default(),
        ledger,
        filtered,
        usage_costs,
        audit,
        summary,
        zone,
        filter,
        redaction,
        export_settings,
        price_label: format!("{} (snapshot {})", info.source, info.snapshot_date),
    }
}
