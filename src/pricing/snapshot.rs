//! The built-in price snapshot, `prices.json`, embedded at build time and parsed once.
//!
//! Rules (docs/formats.md 5.1; what-users-ask.md item 13, offline that really works offline):
//! - the file is written by `scripts/update_prices.py` from LiteLLM 1.109.1's
//!   `model_prices_and_context_window_backup.json` (MIT): a header (`source`, `snapshot_date`,
//!   `sha256_of_source`) and `models`, keyed by model id, holding LiteLLM's own field names in
//!   USD per token;
//! - it is embedded with `include_str!`, so the page never fetches prices;
//! - it is parsed lazily, once per process, into a `std::sync::OnceLock`; a file that does not
//!   parse (impossible after the tests pass) yields an empty snapshot, never a panic;
//! - here the per-token numbers become USD per million tokens ([`super::ModelPrice`]'s unit),
//!   rounded to 1e-9 $/MTok so that `1.25e-06` shows as `1.25`, not `1.2499999999999998`;
//! - an entry lacking an input or an output price is not a price: it is left out (unpriced).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::{LongContextPrice, ModelPrice, PriceOrigin};

/// The snapshot file, as shipped.
pub const PRICES_JSON: &str = include_str!("prices.json");

/// The parsed snapshot: its header and its prices in USD per million tokens.
#[derive(Debug, Default)]
pub struct Snapshot {
    pub source: String,
    pub snapshot_date: String,
    pub sha256_of_source: String,
    pub models: BTreeMap<String, ModelPrice>,
}

/// The embedded snapshot, parsed on first use.
pub fn builtin() -> &'static Snapshot {
    static SNAPSHOT: OnceLock<Snapshot> = OnceLock::new();
    SNAPSHOT.get_or_init(|| parse(PRICES_JSON).unwrap_or_default())
}

/// Parse a snapshot file (the format `scripts/update_prices.py` writes).
pub fn parse(text: &str) -> Result<Snapshot, String> {
    let file: SnapshotFile = serde_json::from_str(text).map_err(|e| format!("prices.json: {e}"))?;
    let models = file
        .models
        .into_iter()
        .filter_map(|(name, entry)| entry.to_price().map(|price| (name, price)))
        .collect();
    Ok(Snapshot {
        source: file.source,
        snapshot_date: file.snapshot_date,
        sha256_of_source: file.sha256_of_source,
        models,
    })
}

#[derive(Deserialize)]
struct SnapshotFile {
    source: String,
    snapshot_date: String,
    sha256_of_source: String,
    models: BTreeMap<String, Entry>,
}

/// One model as the snapshot stores it: LiteLLM's field names, USD per token.
#[derive(Deserialize, Default)]
struct Entry {
    input_cost_per_token: Option<f64>,
    output_cost_per_token: Option<f64>,
    cache_read_input_token_cost: Option<f64>,
    cache_creation_input_token_cost: Option<f64>,
    cache_creation_input_token_cost_above_1hr: Option<f64>,
    #[serde(flatten)]
    above_200k: Tier200k,
    #[serde(flatten)]
    above_272k: Tier272k,
    max_input_tokens: Option<i64>,
    litellm_provider: Option<String>,
    deprecation_date: Option<String>,
    fast_multiplier: Option<f64>,
}

/// LiteLLM's `*_above_200k_tokens` fields (Anthropic Sonnet 4/4.5, Gemini Pro).
#[derive(Deserialize, Default)]
struct Tier200k {
    input_cost_per_token_above_200k_tokens: Option<f64>,
    output_cost_per_token_above_200k_tokens: Option<f64>,
    cache_read_input_token_cost_above_200k_tokens: Option<f64>,
    cache_creation_input_token_cost_above_200k_tokens: Option<f64>,
    cache_creation_input_token_cost_above_1hr_above_200k_tokens: Option<f64>,
}

/// LiteLLM's `*_above_272k_tokens` fields (OpenAI's 1M-context models, gpt-5.4 and later).
#[derive(Deserialize, Default)]
struct Tier272k {
    input_cost_per_token_above_272k_tokens: Option<f64>,
    output_cost_per_token_above_272k_tokens: Option<f64>,
    cache_read_input_token_cost_above_272k_tokens: Option<f64>,
    cache_creation_input_token_cost_above_272k_tokens: Option<f64>,
    cache_creation_input_token_cost_above_1hr_above_272k_tokens: Option<f64>,
}

impl Entry {
    fn to_price(&self) -> Option<ModelPrice> {
        Some(ModelPrice {
            input: per_million(self.input_cost_per_token?)?,
            output: per_million(self.output_cost_per_token?)?,
            cache_read: self.cache_read_input_token_cost.and_then(per_million),
            cache_write_5m: self.cache_creation_input_token_cost.and_then(per_million),
            cache_write_1h: self
                .cache_creation_input_token_cost_above_1hr
                .and_then(per_million),
            long_context: self.long_context(),
            fast_multiplier: self.fast_multiplier.filter(|m| m.is_finite() && *m > 0.0),
            context_window: self.max_input_tokens.filter(|n| *n > 0),
            provider: self.litellm_provider.clone(),
            deprecation_date: self.deprecation_date.clone(),
            origin: PriceOrigin::Snapshot,
        })
    }

    /// The lowest tier that has both an input and an output rate.
    fn long_context(&self) -> Option<LongContextPrice> {
        let t = &self.above_200k;
        let low = tier(
            200_000,
            [
                t.input_cost_per_token_above_200k_tokens,
                t.output_cost_per_token_above_200k_tokens,
                t.cache_read_input_token_cost_above_200k_tokens,
                t.cache_creation_input_token_cost_above_200k_tokens,
                t.cache_creation_input_token_cost_above_1hr_above_200k_tokens,
            ],
        );
        let t = &self.above_272k;
        low.or_else(|| {
            tier(
                272_000,
                [
                    t.input_cost_per_token_above_272k_tokens,
                    t.output_cost_per_token_above_272k_tokens,
                    t.cache_read_input_token_cost_above_272k_tokens,
                    t.cache_creation_input_token_cost_above_272k_tokens,
                    t.cache_creation_input_token_cost_above_1hr_above_272k_tokens,
                ],
            )
        })
    }
}

/// `[input, output, cache_read, cache_write_5m, cache_write_1h]`, USD per token.
fn tier(threshold_tokens: i64, rates: [Option<f64>; 5]) -> Option<LongContextPrice> {
    let [input, output, cache_read, write_5m, write_1h] = rates;
    Some(LongContextPrice {
        threshold_tokens,
        input: per_million(input?)?,
        output: per_million(output?)?,
        cache_read: cache_read.and_then(per_million),
        cache_write_5m: write_5m.and_then(per_million),
        cache_write_1h: write_1h.and_then(per_million),
    })
}

/// USD per token → USD per million tokens, rounded to 1e-9; negative or non-finite → None.
pub(crate) fn per_million(per_token: f64) -> Option<f64> {
    let v = (per_token * 1e6 * 1e9).round() / 1e9;
    (v.is_finite() && v >= 0.0).then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_token_becomes_a_clean_per_million_rate() {
        // 1.25e-06 $/token is 1.25 $/MTok; the rounding hides the binary residue.
        assert_eq!(per_million(1.25e-06), Some(1.25));
        assert_eq!(per_million(1.75e-07), Some(0.175));
        assert_eq!(per_million(-1e-06), None);
        assert_eq!(per_million(f64::NAN), None);
    }

    #[test]
    fn an_entry_without_an_output_price_is_left_out() {
        let text = r#"{"source":"s","snapshot_date":"2026-01-02","sha256_of_source":"ab",
            "models":{"a":{"input_cost_per_token":1e-06},
                      "b":{"input_cost_per_token":1e-06,"output_cost_per_token":2e-06,"future_field":[1]}}}"#;
        let snap = parse(text).unwrap();
        assert_eq!(snap.models.keys().collect::<Vec<_>>(), ["b"]);
        assert_eq!(snap.models["b"].output, 2.0);
    }

    #[test]
    fn the_lowest_complete_tier_wins() {
        let text = r#"{"source":"s","snapshot_date":"d","sha256_of_source":"h","models":{"m":{
            "input_cost_per_token":1e-06,"output_cost_per_token":2e-06,
            "input_cost_per_token_above_200k_tokens":3e-06,
            "input_cost_per_token_above_272k_tokens":4e-06,"output_cost_per_token_above_272k_tokens":5e-06}}}"#;
        let lc = parse(text).unwrap().models["m"]
            .long_context
            .clone()
            .unwrap();
        // The 200k tier lacks an output rate, so the complete 272k tier is the one used.
        assert_eq!(
            (lc.threshold_tokens, lc.input, lc.output),
            (272_000, 4.0, 5.0)
        );
    }

    #[test]
    fn a_broken_file_is_an_error_not_a_panic() {
        assert!(parse("{").is_err());
        assert!(parse(r#"{"models":{}}"#).is_err());
    }
}
