//! From a ledger to the export files, the way the page does it: the query engine's own analysis
//! (`query::analysis::analyze`: built-in prices, the page's filters, audit, rollups) with the
//! settings the command line gives, then every download of `export::build_all` (built on every
//! core by [`super::build`]). The page's defaults are the CLI's: no price edits, the built-in
//! redaction rules (secret rules on) unless `--redaction-rules FILE` gives others, default export
//! settings.

use super::timings;
use crate::audit::{AuditReport, CheckStatus};
use crate::export::{ExportFile, ReportMeta};
use crate::ingest::Ledger;
use crate::model::Millis;
use crate::query::analysis::{self, Analysis};
use crate::query;
use crate::rollup::Summary;
use std::sync::Arc;

/// The settings the command line gives, and what it needs.
pub struct Settings {
    /// First and last UTC day kept (`YYYY-MM-DD`, the last inclusive), as the page's filters.
    pub since: Option<String>,
    pub until: Option<String>,
    /// IANA time zone of the day and hour rollups; `None` = UTC.
    pub tz: Option<String>,
    /// A redaction rule file (`Redaction::to_json`), already checked; empty = built-in defaults.
    pub redaction_rules: String,
    pub generated_at_ms: Millis,
    /// This machine's name for the team view (`--machine`), written into the exports; empty =
    /// unnamed.
    pub machine: String,
    /// Build the export files (`--out`).
    pub files: bool,
}

/// The export files and the analysis they came from (the totals and checks the CLI reports).
pub struct Outcome {
    pub files: Vec<ExportFile>,
    pub analysis: Analysis,
}

impl Outcome {
    pub fn summary(&self) -> &Summary {
        &self.analysis.summary
    }

    pub fn audit(&self) -> &AuditReport {
        &self.analysis.audit
    }

    /// Ids of the checks that failed.
    pub fn failed_checks(&self) -> Vec<&str> {
        self.audit().checks.iter().filter(|c| c.status == CheckStatus::Fail).map(|c| c.id.as_str()).collect()
    }
}

/// The analysis of `ledger` under `settings`, and every export file in `export::ALL_NAMES` order
/// when asked for (`--json` alone needs none).
pub fn export(ledger: Ledger, settings: Settings) -> Outcome {
    let page = query::Settings {
        zone: settings.tz.unwrap_or_default(),
        from: settings.since.unwrap_or_default(),
        to: settings.until.unwrap_or_default(),
        redaction_rules: settings.redaction_rules,
        machine_name: settings.machine.clone(),
        // "Now" for retention, which the CLI does not offer; the page passes its clock too.
        now_ms: settings.generated_at_ms,
        ..query::Settings::default()
    };
    let prices = analysis::price_book(&page);
    let a = analysis::analyze(Arc::new(ledger), &page, &prices);
    timings::mark("audit and rollups");
    let files = if settings.files {
        let meta = ReportMeta {
            generated_at_ms: Some(settings.generated_at_ms),
            price_snapshot: a.price_label.clone(),
            machine: settings.machine,
        };
        super::build::build_all(&a.export_input(&meta))
    } else {
        Vec::new()
    };
    Outcome { files, analysis: a }
}
