//! The page's state: what was loaded, the settings, and the analysis derived from them.
//!
//! Data flows one way: files → [`crate::ingest`] → a [`Ledger`] held here → (filters, prices, time
//! zone) → [`Analysis`] (costs, audit, rollups) → views and downloads. Views only read.

use crate::audit::{self, AuditReport};
use crate::export::{self, ExportSettings, Filter, Redaction};
use crate::ingest::Ledger;
use crate::model::Tables;
use crate::pricing::PriceBook;
use crate::rollup::{self, Summary, Zone};
use leptos::prelude::*;
use std::sync::Arc;

/// An `Arc` compared by pointer, so memos notice a new value without deep comparisons.
#[derive(Debug)]
pub struct Shared<T>(pub Arc<T>);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(self.0.clone())
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// What `#status` shows, and its `data-state`.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    Empty,
    /// Files fed completely so far, of all picked; bytes read so far.
    Loading { files_done: usize, files_total: usize, bytes_done: u64 },
    Ready,
}

impl Status {
    pub fn state(&self) -> &'static str {
        match self {
            Status::Empty => "empty",
            Status::Loading { .. } => "loading",
            Status::Ready => "ready",
            // "error" is set by the panic hook (`ui::panic`): a bad file never makes one.
        }
    }
}

/// Everything the views and downloads show, computed from the ledger and the settings: the
/// tables after the filters and redaction, their costs, audit and rollups.
pub struct Analysis {
    pub ledger: Shared<Ledger>,
    /// The filtered or redacted copy of the ledger's tables; `None` when nothing is filtered or
    /// redacted, so that a large load is not held twice (see [`Analysis::tables`]).
    filtered: Option<Tables>,
    pub usage_costs: Vec<Option<f64>>,
    pub audit: AuditReport,
    pub summary: Summary,
    pub filter: Filter,
    pub redaction: Redaction,
    pub settings: ExportSettings,
    pub price_label: String,
}

impl Analysis {
    /// The tables the views and downloads show.
    pub fn tables(&self) -> &Tables {
        self.filtered.as_ref().unwrap_or(&self.ledger.tables)
    }
}

/// The root state, provided as context to every component.
#[derive(Clone, Copy)]
pub struct AppState {
    pub status: RwSignal<Status>,
    pub ledger: RwSignal<Option<Shared<Ledger>>>,
    pub prices: RwSignal<Shared<PriceBook>>,
    pub zone: RwSignal<String>,
    pub filter: RwSignal<Filter>,
    pub redaction: RwSignal<Redaction>,
    pub settings: RwSignal<ExportSettings>,
    pub analysis: Memo<Option<Shared<Analysis>>>,
}

impl AppState {
    pub fn new() -> Self {
        let status = RwSignal::new(Status::Empty);
        let ledger: RwSignal<Option<Shared<Ledger>>> = RwSignal::new(None);
        let prices = RwSignal::new(Shared(Arc::new(crate::ui::prices::load_saved_prices())));
        let zone = RwSignal::new("UTC".to_string());
        let filter = RwSignal::new(Filter::default());
        let redaction = RwSignal::new(Redaction::default());
        let settings = RwSignal::new(ExportSettings::default());
        let analysis = Memo::new(move |_| {
            let ledger = ledger.get()?;
            let zone = Zone::named(&zone.get()).unwrap_or_else(|_| Zone::utc());
            let mut filter = filter.get();
            filter.now_ms = js_sys::Date::now() as i64;
            let inputs = Inputs { prices: &prices.get(), zone: &zone, filter, redaction: redaction.get(), settings: settings.get() };
            let analysis = analyze(ledger, inputs);
            super::timing::mark("analyzed");
            Some(Shared(Arc::new(analysis)))
        });
        AppState { status, ledger, prices, zone, filter, redaction, settings, analysis }
    }
}

/// The settings an analysis depends on.
pub struct Inputs<'a> {
    pub prices: &'a PriceBook,
    pub zone: &'a Zone,
    pub filter: Filter,
    pub redaction: Redaction,
    pub settings: ExportSettings,
}

/// Price every row, apply the filters and redaction, then audit and roll up what is left, so the
/// views and every export agree (DESIGN.md section 4: exports honour the active filters).
pub fn analyze(ledger: Shared<Ledger>, inputs: Inputs) -> Analysis {
    let all_costs = inputs.prices.usage_costs(&ledger.tables.usage);
    let (filtered, usage_costs) = if inputs.filter.is_empty() && inputs.redaction.is_empty() {
        (None, all_costs)
    } else {
        let view = export::prepare(&ledger.tables, &all_costs, &inputs.filter, &inputs.redaction);
        (Some(view.tables), view.usage_costs)
    };
    let tables = filtered.as_ref().unwrap_or(&ledger.tables);
    let audit = audit::run(tables, inputs.prices);
    let summary = rollup::summarize(tables, &usage_costs, inputs.zone);
    let info = inputs.prices.snapshot_info();
    Analysis {
        ledger,
        filtered,
        usage_costs,
        audit,
        summary,
        filter: inputs.filter,
        redaction: inputs.redaction,
        settings: inputs.settings,
        price_label: format!("{} (snapshot {})", info.source, info.snapshot_date),
    }
}

pub fn use_state() -> AppState {
    expect_context::<AppState>()
}
