//! From a ledger to the export files, the way the page does it (`ui::state::analyze` and
//! `ui::download::build`, which are wasm-only): price every usage row with the built-in price
//! book, apply the filters, audit and roll up what is left, then `export::build_all` (on every
//! core: [`super::build`]). The page's
//! defaults are the CLI's: no saved price overrides, no redaction, default export settings.

use crate::audit::{self, AuditReport, CheckStatus};
use crate::export::{self, ExportFile, ExportInput, ExportSettings, Filter, Redaction, ReportMeta};
use crate::ingest::Ledger;
use crate::model::Millis;
use crate::pricing::PriceBook;
use crate::rollup::{self, Summary, Zone};
use super::timings;

/// The settings the command line gives, and what it needs.
pub struct Settings {
    pub filter: Filter,
    pub zone: Zone,
    pub generated_at_ms: Millis,
    /// Build the export files (`--out`).
    pub files: bool,
    /// Run the audit even without files (`--fail-on-findings`).
    pub audit: bool,
}

/// What the CLI reports besides the files.
pub struct Outcome {
    pub files: Vec<ExportFile>,
    pub summary: Summary,
    /// `None` when neither the files nor `--fail-on-findings` needed it.
    pub audit: Option<AuditReport>,
}

impl Outcome {
    /// Ids of the checks that failed.
    pub fn failed_checks(&self) -> Vec<&str> {
        let checks = self.audit.iter().flat_map(|a| &a.checks);
        checks.filter(|c| c.status == CheckStatus::Fail).map(|c| c.id.as_str()).collect()
    }
}

/// The rollups of `ledger` under `settings`, its audit and every export file in
/// `export::ALL_NAMES` order when asked for (`--json` alone needs neither).
pub fn export(ledger: &Ledger, settings: Settings) -> Outcome {
    let prices = PriceBook::builtin();
    let redaction = Redaction::default();
    let mut filter = settings.filter;
    // "Now" for retention, which the CLI does not offer; the page sets it the same way.
    filter.now_ms = settings.generated_at_ms;
    let all_costs = prices.usage_costs(&ledger.tables.usage);
    // Filtered copies only when something is filtered, as the page does.
    let (filtered, usage_costs) = if filter.is_empty() && redaction.is_empty() {
        (None, all_costs)
    } else {
        let view = export::prepare(&ledger.tables, &all_costs, &filter, &redaction);
        (Some(view.tables), view.usage_costs)
    };
    let tables = filtered.as_ref().unwrap_or(&ledger.tables);
    let audit_too = settings.files || settings.audit;
    let (audit, summary) = rayon::join(
        || audit_too.then(|| audit::run(tables, &prices)),
        || rollup::summarize(tables, &usage_costs, &settings.zone),
    );
    timings::mark("audit and rollups");
    let Some(audit) = audit else { return Outcome { files: Vec::new(), summary, audit: None } };
    if !settings.files {
        return Outcome { files: Vec::new(), summary, audit: Some(audit) };
    }
    let info = prices.snapshot_info();
    let meta = ReportMeta {
        generated_at_ms: Some(settings.generated_at_ms),
        price_snapshot: format!("{} (snapshot {})", info.source, info.snapshot_date),
    };
    let export_settings = ExportSettings::default();
    let input = ExportInput {
        tables,
        usage_costs: &usage_costs,
        ingest: &ledger.report,
        audit: &audit,
        summary: &summary,
        filter: &filter,
        redaction: &redaction,
        settings: &export_settings,
        meta: &meta,
    };
    let files = super::build::build_all(&input);
    Outcome { files, summary, audit: Some(audit) }
}
