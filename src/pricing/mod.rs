//! Prices and costs: which price a model has, where it came from, and what a request cost.
//!
//! Rules (docs/formats.md section 5; DESIGN.md section 2, last paragraph; what-users-ask.md 8–13):
//! - **Unit**: every price in this module is **USD per million tokens** ($/MTok), as price lists
//!   and people write them; the snapshot's per-token numbers are converted once ([`snapshot`]).
//! - **Lookup order** ([`PriceBook::price`]): a user override → the snapshot key exactly as
//!   logged → the snapshot key of a normalized alias ([`alias`]: provider prefix, Bedrock/Vertex
//!   spelling, `[1m]`, `-fast`, date suffix, `codex-auto-review`) → the table of retired models
//!   ([`fallback`]) → **unpriced**. Overrides are matched against every alias too, so an override
//!   of `gpt-5` also prices `openai/gpt-5-2025-08-07`.
//! - **Unpriced is a state, never $0**: [`PriceBook::usage_cost`] returns `None` for a model
//!   without a price, and callers show and sum it as unpriced (what-users-ask.md 12).
//! - **Offline**: the snapshot is embedded in the binary; nothing is fetched (item 13).
//! - **Formulas** ([`formula`]): by the row's vendor, cached input billed once, reasoning never
//!   added, 5-minute vs 1-hour cache writes, long-context tiers, fast multiplier.
//! - **Overrides** persist as JSON (the page keeps them in localStorage): an object from model
//!   name to [`ModelPrice`] ($/MTok), sorted by name; a load replaces all overrides or, on any
//!   error, changes nothing.

pub mod alias;
pub mod fallback;
pub mod formula;
pub mod snapshot;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use rustc_hash::FxHashMap;
use crate::model::{ApiCall, Row, UsageRow};
pub use formula::CostBreakdown;

/// The price of one model, USD per million tokens. `None` = not listed: the formula derives it
/// (see [`formula`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ModelPrice {
    pub input: f64,
    pub output: f64,
    pub cache_read: Option<f64>,
    /// Anthropic's 5-minute cache write; OpenAI's cache write.
    pub cache_write_5m: Option<f64>,
    /// Anthropic's 1-hour cache write (2× input when absent).
    pub cache_write_1h: Option<f64>,
    /// The long-context tier (`*_above_200k_tokens`, OpenAI's `*_above_272k_tokens`).
    pub long_context: Option<LongContextPrice>,
    /// Fast-mode multiplier of the whole cost (see [`formula`] for the default).
    pub fast_multiplier: Option<f64>,
    /// Context window in tokens (LiteLLM's `max_input_tokens`).
    pub context_window: Option<i64>,
    /// LiteLLM's `litellm_provider` (`openai`, `anthropic`, `vertex_ai-language-models`…).
    pub provider: Option<String>,
    pub deprecation_date: Option<String>,
    /// Where this price came from; set by the price book, ignored in overrides JSON.
    #[serde(default)]
    pub origin: PriceOrigin,
}

/// Rates that replace *all* base rates when a prompt is above `threshold_tokens` ($/MTok).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct LongContextPrice {
    pub threshold_tokens: i64,
    pub input: f64,
    pub output: f64,
    pub cache_read: Option<f64>,
    pub cache_write_5m: Option<f64>,
    pub cache_write_1h: Option<f64>,
}

/// Where a price came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum PriceOrigin {
    /// Set by the user.
    #[default]
    Override,
    /// The snapshot lists the model under the name logged.
    Snapshot,
    /// The snapshot lists the model under this normalized name.
    Alias(String),
    /// The built-in table of retired models.
    Fallback,
}

impl PriceOrigin {
    /// `override`, `snapshot`, `alias of gpt-5`, `fallback`.
    pub fn label(&self) -> String {
        match self {
            PriceOrigin::Override => "override".into(),
            PriceOrigin::Snapshot => "snapshot".into(),
            PriceOrigin::Alias(of) => format!("alias of {of}"),
            PriceOrigin::Fallback => "fallback".into(),
        }
    }
}

/// Which price list is built in, for the page and the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SnapshotInfo {
    pub source: String,
    pub snapshot_date: String,
    pub sha256_of_source: String,
    /// Models priced by the snapshot.
    pub models: usize,
    /// Retired models priced by the built-in fallback table.
    pub fallback_models: usize,
}

/// One line of the price list (display and export): the stored rates in $/MTok, `None`
/// where the list gives none and the formula derives it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PriceRow {
    pub model: String,
    pub input_per_mtok: f64,
    pub output_per_mtok: f64,
    pub cache_read_per_mtok: Option<f64>,
    pub cache_write_5m_per_mtok: Option<f64>,
    pub cache_write_1h_per_mtok: Option<f64>,
    pub long_context_threshold_tokens: Option<i64>,
    pub long_context_input_per_mtok: Option<f64>,
    pub long_context_output_per_mtok: Option<f64>,
    pub fast_multiplier: Option<f64>,
    pub context_window: Option<i64>,
    pub deprecation_date: Option<String>,
    /// [`PriceOrigin::label`].
    pub origin: String,
}

/// The prices in force: the built-in snapshot and fallback table, plus the user's overrides.
#[derive(Debug, Clone)]
pub struct PriceBook {
    snapshot: &'static snapshot::Snapshot,
    overrides: BTreeMap<String, ModelPrice>,
}

impl Default for PriceBook {
    fn default() -> Self {
        PriceBook::builtin()
    }
}

impl PriceBook {
    /// The embedded snapshot plus the retired-model table, no overrides.
    pub fn builtin() -> PriceBook {
        PriceBook {
            snapshot: snapshot::builtin(),
            overrides: BTreeMap::new(),
        }
    }

    /// The price of `model` and where it came from; `None` = unpriced.
    pub fn price(&self, model: &str) -> Option<ModelPrice> {
        self.resolve(model).map(|(p, origin)| ModelPrice {
            origin,
            ..p.clone()
        })
    }

    /// What a usage row cost in USD; `None` when its model is unpriced (never 0 for unknown).
    pub fn usage_cost(&self, row: &UsageRow) -> Option<f64> {
        self.usage_cost_breakdown(row).map(|c| c.total_usd)
    }

    /// [`PriceBook::usage_cost`] of every row, each model's price looked up once (a load holds
    /// hundreds of thousands of rows and a handful of models; a lookup may build aliases).
    pub fn usage_costs(&self, rows: &[Row<UsageRow>]) -> Vec<Option<f64>> {
        let mut models: FxHashMap<&str, Option<(&ModelPrice, bool)>> = FxHashMap::default();
        rows.iter()
            .map(|row| {
                let model = *models.entry(&*row.model).or_insert_with(|| {
                    let fast = alias::names_fast_mode(&row.model);
                    self.resolve(&row.model).map(|(p, _)| (p, fast))
                });
                model.map(|(p, fast)| formula::usage_cost_of_model(row, p, fast).total_usd)
            })
            .collect()
    }

    /// [`PriceBook::usage_cost`] by category, with the multiplier and tier applied.
    pub fn usage_cost_breakdown(&self, row: &UsageRow) -> Option<CostBreakdown> {
        self.resolve(&row.model)
            .map(|(p, _)| formula::usage_cost(row, p))
    }

    /// What an API / relay call cost by its tokens in USD; `None` when its model is unpriced.
    pub fn api_call_cost(&self, call: &ApiCall) -> Option<f64> {
        self.resolve(&call.model)
            .map(|(p, _)| formula::api_call_cost(call, p))
    }

    /// The lookup of the module doc, borrowing the price.
    fn resolve(&self, model: &str) -> Option<(&ModelPrice, PriceOrigin)> {
        // Most logged names are snapshot keys: skip building aliases when nothing can override.
        if self.overrides.is_empty()
            && let Some(p) = self.snapshot.models.get(model)
        {
            return Some((p, PriceOrigin::Snapshot));
        }
        let names = alias::candidates(model);
        if let Some(p) = names.iter().find_map(|n| self.overrides.get(n)) {
            return Some((p, PriceOrigin::Override));
        }
        if let Some(p) = names.first().and_then(|n| self.snapshot.models.get(n)) {
            return Some((p, PriceOrigin::Snapshot));
        }
        let aliased = names.iter().skip(1).find_map(|n| {
            let p = self.snapshot.models.get(n)?;
            Some((p, PriceOrigin::Alias(n.clone())))
        });
        aliased.or_else(|| {
            let (_, p) = names.iter().find_map(|n| fallback::lookup(n))?;
            Some((p, PriceOrigin::Fallback))
        })
    }

    /// Price `model` (as written, after trimming) with `price`, above every built-in price.
    /// Refused when the name is empty or a rate is negative or not a number.
    pub fn set_override(&mut self, model: &str, price: ModelPrice) -> Result<(), String> {
        let name = model.trim();
        if name.is_empty() {
            return Err("an override needs a model name".into());
        }
        validate(name, &price)?;
        self.overrides.insert(
            name.to_string(),
            ModelPrice {
                origin: PriceOrigin::Override,
                ..price
            },
        );
        Ok(())
    }

    /// Drop the override of `model`; true when there was one.
    pub fn remove_override(&mut self, model: &str) -> bool {
        self.overrides.remove(model.trim()).is_some()
    }

    /// The overrides as JSON, `{"model": {price}, …}` sorted by model.
    pub fn overrides_json(&self) -> String {
        serde_json::to_string(&self.overrides).unwrap_or_else(|_| "{}".into())
    }

    /// Replace all overrides by those of `s` (as [`PriceBook::overrides_json`] writes them).
    /// On any error nothing changes.
    pub fn load_overrides_json(&mut self, s: &str) -> Result<(), String> {
        let parsed: BTreeMap<String, ModelPrice> =
            serde_json::from_str(s).map_err(|e| format!("price overrides: {e}"))?;
        let mut loaded = BTreeMap::new();
        for (model, price) in parsed {
            let name = model.trim();
            if name.is_empty() {
                return Err("price overrides: an override needs a model name".into());
            }
            validate(name, &price)?;
            loaded.insert(
                name.to_string(),
                ModelPrice {
                    origin: PriceOrigin::Override,
                    ..price
                },
            );
        }
        self.overrides = loaded;
        Ok(())
    }

    /// Which snapshot is built in.
    pub fn snapshot_info(&self) -> SnapshotInfo {
        SnapshotInfo {
            source: self.snapshot.source.clone(),
            snapshot_date: self.snapshot.snapshot_date.clone(),
            sha256_of_source: self.snapshot.sha256_of_source.clone(),
            models: self.snapshot.models.len(),
            fallback_models: fallback::ids().count(),
        }
    }

    /// Every priced model once, sorted by name: snapshot, fallback, then overrides on top.
    pub fn rows(&self) -> Vec<PriceRow> {
        let mut all: BTreeMap<String, ModelPrice> = self.snapshot.models.clone();
        for id in fallback::ids() {
            if let Some((_, p)) = fallback::lookup(id) {
                all.entry(id.to_string()).or_insert_with(|| p.clone());
            }
        }
        for (name, p) in &self.overrides {
            all.insert(name.clone(), p.clone());
        }
        all.into_iter()
            .map(|(model, p)| price_row(model, &p))
            .collect()
    }
}

fn price_row(model: String, p: &ModelPrice) -> PriceRow {
    let lc = p.long_context.as_ref();
    PriceRow {
        model,
        input_per_mtok: p.input,
        output_per_mtok: p.output,
        cache_read_per_mtok: p.cache_read,
        cache_write_5m_per_mtok: p.cache_write_5m,
        cache_write_1h_per_mtok: p.cache_write_1h,
        long_context_threshold_tokens: lc.map(|l| l.threshold_tokens),
        long_context_input_per_mtok: lc.map(|l| l.input),
        long_context_output_per_mtok: lc.map(|l| l.output),
        fast_multiplier: p.fast_multiplier,
        context_window: p.context_window,
        deprecation_date: p.deprecation_date.clone(),
        origin: p.origin.label(),
    }
}

/// Every rate finite and ≥ 0, the multiplier > 0, the threshold > 0.
fn validate(model: &str, p: &ModelPrice) -> Result<(), String> {
    let ok = |x: f64| x.is_finite() && x >= 0.0;
    let opt = |x: Option<f64>| x.is_none_or(ok);
    let mut fine = ok(p.input)
        && ok(p.output)
        && opt(p.cache_read)
        && opt(p.cache_write_5m)
        && opt(p.cache_write_1h);
    fine &= p.fast_multiplier.is_none_or(|m| m.is_finite() && m > 0.0);
    if let Some(lc) = &p.long_context {
        fine &= lc.threshold_tokens > 0 && ok(lc.input) && ok(lc.output);
        fine &= opt(lc.cache_read) && opt(lc.cache_write_5m) && opt(lc.cache_write_1h);
    }
    if fine {
        Ok(())
    } else {
        Err(format!(
            "price override for {model}: rates must be numbers ≥ 0"
        ))
    }
}
