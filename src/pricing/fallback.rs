//! Prices of retired models that LiteLLM no longer lists under their own names.
//!
//! Rules (docs/formats.md 5.1 "Gotcha", numbers of 5.3):
//! - LiteLLM dropped the bare keys of `claude-sonnet-4-20250514`, `claude-opus-4-20250514` and
//!   `claude-opus-4-1-20250805` (only Bedrock/Vertex copies remain), yet old logs still name them;
//! - their list prices, USD per million tokens: Sonnet 4 3 in / 0.30 read / 3.75 5-minute write /
//!   15 out, above 200k prompt tokens 6 / 0.60 / 7.50 / 22.50; Opus 4 and 4.1 15 / 1.50 / 18.75 / 75;
//! - the 1-hour write is not listed for them anywhere: it is derived as 2× input (Anthropic's
//!   rule for every model), 6 for Sonnet 4 (12 above 200k), 30 for Opus 4 / 4.1;
//! - each is also found under its undated and `-0` aliases (`claude-opus-4-1`, `claude-opus-4-0`).
//!
//! `scripts/update_prices.py` leaves these models out of the snapshot and prints LiteLLM's
//! Bedrock copies for a cross-check; this table is the only place their prices live.

use std::sync::OnceLock;

use super::{LongContextPrice, ModelPrice, PriceOrigin};

/// One retired model: its id, the aliases it answers to, and its list prices ($/MTok).
struct Retired {
    id: &'static str,
    aliases: &'static [&'static str],
    input: f64,
    cache_read: f64,
    write_5m: f64,
    output: f64,
    /// `(input, cache_read, write_5m, output)` above 200k prompt tokens.
    above_200k: Option<(f64, f64, f64, f64)>,
}

/// The 1-hour cache write: 2× input (see the module doc).
const ONE_HOUR_WRITE_FACTOR: f64 = 2.0;

const RETIRED: &[Retired] = &[
    Retired {
        id: "claude-sonnet-4-20250514",
        aliases: &["claude-sonnet-4", "claude-sonnet-4-0"],
        input: 3.0,
        cache_read: 0.30,
        write_5m: 3.75,
        output: 15.0,
        above_200k: Some((6.0, 0.60, 7.50, 22.50)),
    },
    Retired {
        id: "claude-opus-4-20250514",
        aliases: &["claude-opus-4", "claude-opus-4-0"],
        input: 15.0,
        cache_read: 1.50,
        write_5m: 18.75,
        output: 75.0,
        above_200k: None,
    },
    Retired {
        id: "claude-opus-4-1-20250805",
        aliases: &["claude-opus-4-1"],
        input: 15.0,
        cache_read: 1.50,
        write_5m: 18.75,
        output: 75.0,
        above_200k: None,
    },
];

/// The retired model answering to `name` (its id or an alias): `(id, price)`.
pub fn lookup(name: &str) -> Option<(&'static str, &'static ModelPrice)> {
    table()
        .iter()
        .find(|(r, _)| r.id == name || r.aliases.contains(&name))
        .map(|(r, p)| (r.id, p))
}

/// Every retired model's id, for the price list.
pub fn ids() -> impl Iterator<Item = &'static str> {
    RETIRED.iter().map(|r| r.id)
}

/// The table with its prices built, once.
fn table() -> &'static [(&'static Retired, ModelPrice)] {
    static TABLE: OnceLock<Vec<(&'static Retired, ModelPrice)>> = OnceLock::new();
    TABLE.get_or_init(|| RETIRED.iter().map(|r| (r, r.price())).collect())
}

impl Retired {
    fn price(&self) -> ModelPrice {
        ModelPrice {
            input: self.input,
            output: self.output,
            cache_read: Some(self.cache_read),
            cache_write_5m: Some(self.write_5m),
            cache_write_1h: Some(ONE_HOUR_WRITE_FACTOR * self.input),
            long_context: self
                .above_200k
                .map(|(input, cache_read, write_5m, output)| LongContextPrice {
                    threshold_tokens: 200_000,
                    input,
                    output,
                    cache_read: Some(cache_read),
                    cache_write_5m: Some(write_5m),
                    cache_write_1h: Some(ONE_HOUR_WRITE_FACTOR * input),
                }),
            fast_multiplier: None,
            context_window: Some(200_000),
            provider: Some("anthropic".to_string()),
            deprecation_date: None,
            origin: PriceOrigin::Fallback,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retired_prices_match_formats_md_5_3() {
        // (id, input, cache read, 5m write, 1h write, output) from docs/formats.md 5.3;
        // the 1h write of the Opus rows is marked "*derived 2×in" there: 2 × 15 = 30.
        let table = [
            ("claude-sonnet-4-20250514", 3.0, 0.30, 3.75, 6.0, 15.0),
            ("claude-opus-4-20250514", 15.0, 1.50, 18.75, 30.0, 75.0),
            ("claude-opus-4-1-20250805", 15.0, 1.50, 18.75, 30.0, 75.0),
        ];
        for (id, input, read, w5, w1, output) in table {
            let (found, p) = lookup(id).unwrap();
            assert_eq!(found, id);
            assert_eq!(
                (
                    p.input,
                    p.cache_read,
                    p.cache_write_5m,
                    p.cache_write_1h,
                    p.output
                ),
                (input, Some(read), Some(w5), Some(w1), output),
                "{id}"
            );
        }
        let lc = lookup("claude-sonnet-4-20250514")
            .unwrap()
            .1
            .long_context
            .clone()
            .unwrap();
        // ">200k: 6 in / 0.60 read / 7.50 write / 22.50 out"; 1h above 200k derived 2 × 6 = 12.
        assert_eq!(
            (
                lc.threshold_tokens,
                lc.input,
                lc.cache_read,
                lc.cache_write_5m,
                lc.cache_write_1h,
                lc.output
            ),
            (200_000, 6.0, Some(0.60), Some(7.50), Some(12.0), 22.50)
        );
    }

    #[test]
    fn aliases_find_their_model() {
        assert_eq!(
            lookup("claude-opus-4-1").map(|(id, _)| id),
            Some("claude-opus-4-1-20250805")
        );
        assert_eq!(
            lookup("claude-opus-4-0").map(|(id, _)| id),
            Some("claude-opus-4-20250514")
        );
        assert!(lookup("claude-opus-4-5").is_none());
    }
}
