//! What one usage row or one API call costs, by the vendor's own formula.
//!
//! Rules (docs/formats.md 5.2; DESIGN.md section 2, last paragraph; what-users-ask.md 8–11).
//! Rates are USD per million tokens, token counts below 0 count as 0, and every cost is
//! `tokens × rate / 1e6`.
//! - **OpenAI / Codex** (the normalized row): `(input − cached − cache_write)·in +
//!   cached·cache_read + cache_write·cache_write_price + output·out`. Cached and written tokens
//!   are *inside* input and billed once; reasoning is inside output and never added. A missing
//!   cache-read or cache-write price bills those tokens at the input rate (ccusage's rule).
//! - **Anthropic** (`row.raw`, where `input_tokens` excludes the cache): `input·in +
//!   cc5m·write_5m + cc1h·write_1h + cache_read·read + output·out`. Without the 5m/1h breakdown
//!   all cache creation is billed at the 5-minute rate; creation beyond the breakdown's sum is too.
//!   Missing prices follow Anthropic's multipliers of the input rate: read 0.1×, 5-minute write
//!   1.25×, 1-hour write 2×. A row whose raw numbers are all 0 is read from the normalized fields.
//! - **Gemini** (the normalized row, whose output already holds the thoughts, model.rs):
//!   `(input − cached)·in + cached·cache_read + output·out`.
//! - Rows of another or no vendor use the OpenAI formula, the one the normalized row follows,
//!   unless the model's provider says Anthropic or Google.
//! - **Long context**: when the prompt (all input tokens incl. cache reads and writes) is above
//!   the model's tier threshold (200k Anthropic/Gemini, 272k OpenAI), *every* category is billed
//!   at the tier's rates (what-users-ask.md 11). A category the tier does not list is its base
//!   rate scaled by tier input ÷ base input.
//! - **Fast mode** (`row.fast`, or a `-fast` model name) multiplies the whole cost by the model's
//!   fast multiplier: LiteLLM's `fast` entry, or for OpenAI its priority-tier ratio (Codex's fast
//!   tier is priority processing), else 2× for OpenAI/Codex rows (ccusage's default). Other
//!   vendors' models without a listed multiplier are billed at standard rates (a known gap:
//!   no public number to use).
//! - **API calls** carry no cache counts: `input·in + output·out`, plus `thinking·out` only when
//!   the backend or the model is Google's, whose thinking tokens are not inside output; for
//!   Anthropic and OpenAI backends thinking/reasoning is inside output (docs/formats.md 4 (b)).
//!   The long-context tier applies on `input_tokens`; there is no fast flag.

use serde::Serialize;

use super::{ModelPrice, alias};
use crate::model::{ApiCall, UsageRow, Vendor};

/// The default fast-mode multiplier for OpenAI/Codex models LiteLLM gives none for (ccusage).
pub const DEFAULT_CODEX_FAST_MULTIPLIER: f64 = 2.0;

/// A usage row's cost by category, in USD, fast multiplier already applied; parts sum to total.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct CostBreakdown {
    /// Uncached input (OpenAI/Gemini: input − cached − written; Anthropic: raw input).
    pub input_usd: f64,
    pub cache_read_usd: f64,
    pub cache_write_usd: f64,
    pub output_usd: f64,
    pub total_usd: f64,
    /// The fast multiplier applied (1 for standard requests).
    pub multiplier: f64,
    /// The prompt was above the model's long-context threshold.
    pub long_context: bool,
}

/// The per-million rates one request is billed at, after the long-context switch.
#[derive(Debug, Clone, Copy)]
struct Rates {
    input: f64,
    output: f64,
    cache_read: Option<f64>,
    write_5m: Option<f64>,
    write_1h: Option<f64>,
}

/// Token counts of one request, split the way the formulas bill them (all ≥ 0).
#[derive(Debug, Clone, Copy, Default)]
struct Split {
    uncached: f64,
    cache_read: f64,
    write_5m: f64,
    write_1h: f64,
    output: f64,
}

impl Split {
    fn prompt(&self) -> f64 {
        self.uncached + self.cache_read + self.write_5m + self.write_1h
    }
}

/// The cost of one usage row priced with `price`.
pub fn usage_cost(row: &UsageRow, price: &ModelPrice) -> CostBreakdown {
    usage_cost_of_model(row, price, alias::names_fast_mode(&row.model))
}

/// [`usage_cost`] with whether the row's model name asks for fast mode (`…-fast`) worked out
/// once per model by the caller: it builds the name's aliases.
pub fn usage_cost_of_model(row: &UsageRow, price: &ModelPrice, model_is_fast: bool) -> CostBreakdown {
    let vendor = formula_vendor(row.vendor, &row.model, price);
    let split = match vendor {
        Vendor::Anthropic => anthropic_split(row),
        Vendor::Google => gemini_split(row),
        Vendor::OpenAi | Vendor::Other => openai_split(row),
    };
    let (rates, long_context) = rates_for(price, split.prompt());
    let fast = row.fast || model_is_fast;
    let multiplier = if fast {
        fast_multiplier(price, vendor)
    } else {
        1.0
    };
    bill(
        &split,
        &with_defaults(rates, vendor),
        multiplier,
        long_context,
    )
}

/// The cost of one API / relay call priced with `price` (see the module doc).
pub fn api_call_cost(call: &ApiCall, price: &ModelPrice) -> f64 {
    let input = tokens(call.input_tokens);
    let thinking = if is_google(&call.backend, &call.model, price) {
        tokens(call.thinking_tokens)
    } else {
        0.0
    };
    let output = tokens(call.output_tokens) + thinking;
    let (rates, _) = rates_for(price, input);
    (input * rates.input + output * rates.output) / 1e6
}

fn bill(s: &Split, r: &Rates, multiplier: f64, long_context: bool) -> CostBreakdown {
    let usd = |n: f64, rate: f64| n * rate * multiplier / 1e6;
    let input_usd = usd(s.uncached, r.input);
    let cache_read_usd = usd(s.cache_read, r.cache_read.unwrap_or(r.input));
    let cache_write_usd = usd(s.write_5m, r.write_5m.unwrap_or(r.input))
        + usd(s.write_1h, r.write_1h.unwrap_or(r.input));
    let output_usd = usd(s.output, r.output);
    CostBreakdown {
        input_usd,
        cache_read_usd,
        cache_write_usd,
        output_usd,
        total_usd: input_usd + cache_read_usd + cache_write_usd + output_usd,
        multiplier,
        long_context,
    }
}

/// OpenAI: cached and written tokens are inside input; reasoning is inside output.
fn openai_split(row: &UsageRow) -> Split {
    let input = tokens(row.input_tokens);
    let cache_read = tokens(row.cached_input_tokens).min(input);
    let written = tokens(row.cache_creation_input_tokens).min(input - cache_read);
    Split {
        uncached: input - cache_read - written,
        cache_read,
        write_5m: written,
        write_1h: 0.0,
        output: tokens(row.output_tokens),
    }
}

/// Gemini: cached inside input, thoughts already inside the normalized output.
fn gemini_split(row: &UsageRow) -> Split {
    let input = tokens(row.input_tokens);
    let cache_read = tokens(row.cached_input_tokens).min(input);
    Split {
        uncached: input - cache_read,
        cache_read,
        output: tokens(row.output_tokens),
        ..Split::default()
    }
}

/// Anthropic: the raw fields, input excluding the cache; 5m/1h split of the creation.
fn anthropic_split(row: &UsageRow) -> Split {
    let raw = &row.raw;
    let raw_logged = [
        raw.input_tokens,
        raw.cache_creation_input_tokens,
        raw.cache_read_input_tokens,
        raw.output_tokens,
    ]
    .iter()
    .chain([raw.cache_creation_5m_tokens, raw.cache_creation_1h_tokens].iter())
    .any(|n| *n != 0);
    if !raw_logged {
        // Built from normalized fields only: input = uncached + creation + read.
        let written = tokens(row.cache_creation_input_tokens);
        let cache_read = tokens(row.cached_input_tokens);
        let uncached = (tokens(row.input_tokens) - written - cache_read).max(0.0);
        return Split {
            uncached,
            cache_read,
            write_5m: written,
            write_1h: 0.0,
            output: tokens(row.output_tokens),
        };
    }
    let breakdown = tokens(raw.cache_creation_5m_tokens) + tokens(raw.cache_creation_1h_tokens);
    let created = tokens(raw.cache_creation_input_tokens).max(breakdown);
    let write_1h = tokens(raw.cache_creation_1h_tokens).min(created);
    Split {
        uncached: tokens(raw.input_tokens),
        cache_read: tokens(raw.cache_read_input_tokens),
        write_5m: created - write_1h,
        write_1h,
        output: tokens(raw.output_tokens),
    }
}

/// The base rates, or every category at the long-context tier when the prompt is above it.
fn rates_for(price: &ModelPrice, prompt: f64) -> (Rates, bool) {
    let base = Rates {
        input: price.input,
        output: price.output,
        cache_read: price.cache_read,
        write_5m: price.cache_write_5m,
        write_1h: price.cache_write_1h,
    };
    let Some(lc) = price
        .long_context
        .as_ref()
        .filter(|lc| prompt > lc.threshold_tokens as f64)
    else {
        return (base, false);
    };
    let scale = if price.input > 0.0 {
        lc.input / price.input
    } else {
        1.0
    };
    let scaled = |tier: Option<f64>, base: Option<f64>| tier.or(base.map(|b| b * scale));
    let tier = Rates {
        input: lc.input,
        output: lc.output,
        cache_read: scaled(lc.cache_read, base.cache_read),
        write_5m: scaled(lc.cache_write_5m, base.write_5m),
        write_1h: scaled(lc.cache_write_1h, base.write_1h),
    };
    (tier, true)
}

/// Fill in the categories a vendor prices by rule when the list omits them.
fn with_defaults(r: Rates, vendor: Vendor) -> Rates {
    match vendor {
        Vendor::Anthropic => Rates {
            cache_read: r.cache_read.or(Some(0.1 * r.input)),
            write_5m: r.write_5m.or(Some(1.25 * r.input)),
            write_1h: r.write_1h.or(Some(2.0 * r.input)),
            ..r
        },
        // OpenAI/Gemini: a missing cache price means the input rate (applied in `bill`).
        Vendor::OpenAi | Vendor::Google | Vendor::Other => r,
    }
}

fn fast_multiplier(price: &ModelPrice, vendor: Vendor) -> f64 {
    match (price.fast_multiplier, vendor) {
        (Some(m), _) => m,
        (None, Vendor::OpenAi) => DEFAULT_CODEX_FAST_MULTIPLIER,
        (None, _) => 1.0,
    }
}

/// The row's vendor; for rows of no known vendor, the model's provider or name decides.
fn formula_vendor(row_vendor: Option<Vendor>, model: &str, price: &ModelPrice) -> Vendor {
    match row_vendor {
        Some(v @ (Vendor::OpenAi | Vendor::Anthropic | Vendor::Google)) => v,
        Some(Vendor::Other) | None => provider_vendor(model, price).unwrap_or(Vendor::Other),
    }
}

fn provider_vendor(model: &str, price: &ModelPrice) -> Option<Vendor> {
    let provider = price.provider.as_deref().unwrap_or("").to_ascii_lowercase();
    let name = alias::candidates(model).pop().unwrap_or_default();
    if provider.contains("anthropic")
        || provider.starts_with("bedrock")
        || name.starts_with("claude")
    {
        Some(Vendor::Anthropic)
    } else if provider.contains("gemini")
        || provider.starts_with("vertex_ai")
        || name.starts_with("gemini")
    {
        Some(Vendor::Google)
    } else if provider == "openai" || provider == "azure" {
        Some(Vendor::OpenAi)
    } else {
        None
    }
}

/// Whether an API call's thinking tokens are outside its output: the model's vendor decides
/// (Claude served by Vertex still counts thinking inside output), else the backend's name.
fn is_google(backend: &str, model: &str, price: &ModelPrice) -> bool {
    match provider_vendor(model, price) {
        Some(vendor) => vendor == Vendor::Google,
        None => {
            let backend = backend.to_ascii_lowercase();
            ["google", "gemini", "vertex"]
                .iter()
                .any(|k| backend.contains(k))
        }
    }
}

/// A logged token count as a non-negative float.
fn tokens(n: i64) -> f64 {
    n.max(0) as f64
}
