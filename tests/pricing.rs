//! Prices and costs (docs/formats.md section 5; what-users-ask.md items 8–13).
//!
//! Every expected cost below is worked out by hand in the comment next to it, in $/MTok:
//! `tokens × rate`, summed, then ÷ 1e6. Rates come from docs/formats.md 5.3 or, for models that
//! table does not list, from the line of src/pricing/prices.json named in the comment.

use agent_ledger::model::{ApiCall, RawUsage, UsageRow, Vendor};
use agent_ledger::pricing::{ModelPrice, PriceBook, PriceOrigin};

/// Equal to within 1e-12 of the larger of 1 and |expected| (float sums of exact cents).
fn assert_usd(actual: Option<f64>, expected: f64, what: &str) {
    let a = actual.unwrap_or_else(|| panic!("{what}: unpriced, expected ${expected}"));
    assert!((a - expected).abs() <= 1e-12 * expected.abs().max(1.0), "{what}: ${a} != ${expected}");
}

/// A Codex row in the normalized (OpenAI) convention: total = input + output.
fn openai_row(model: &str, input: i64, cached: i64, output: i64, reasoning: i64) -> UsageRow {
    UsageRow {
        model: model.into(),
        vendor: Some(Vendor::OpenAi),
        input_tokens: input,
        cached_input_tokens: cached,
        output_tokens: output,
        reasoning_output_tokens: reasoning,
        total_tokens: input.saturating_add(output),
        raw: RawUsage {
            input_tokens: input,
            cached_input_tokens: cached,
            output_tokens: output,
            reasoning_output_tokens: reasoning,
            total_tokens: input.saturating_add(output),
            ..RawUsage::default()
        },
        ..UsageRow::default()
    }
}

/// A Claude Code row: raw as logged (input excludes the cache), normalized fields derived.
fn claude_row(model: &str, input: i64, created: i64, five_min: i64, one_hour: i64, read: i64, output: i64) -> UsageRow {
    let prompt = input.saturating_add(created).saturating_add(read);
    UsageRow {
        model: model.into(),
        vendor: Some(Vendor::Anthropic),
        input_tokens: prompt,
        cached_input_tokens: read,
        cache_creation_input_tokens: created,
        output_tokens: output,
        total_tokens: prompt.saturating_add(output),
        raw: RawUsage {
            input_tokens: input,
            output_tokens: output,
            cache_creation_input_tokens: created,
            cache_read_input_tokens: read,
            cache_creation_5m_tokens: five_min,
            cache_creation_1h_tokens: one_hour,
            ..RawUsage::default()
        },
        ..UsageRow::default()
    }
}

fn api_call(backend: &str, model: &str, input: i64, output: i64, thinking: i64) -> ApiCall {
    ApiCall {
        backend: backend.into(),
        model: model.into(),
        status: "success".into(),
        input_tokens: input,
        output_tokens: output,
        thinking_tokens: thinking,
        ..ApiCall::default()
    }
}

// ---------------------------------------------------------------------------------------------
// The snapshot agrees with docs/formats.md 5.3.

#[test]
fn snapshot_agrees_with_formats_md_5_3() {
    let book = PriceBook::builtin();
    // (model, input, cache read, 5m write, 1h write, output), $/MTok, copied from 5.3.
    type Line = (&'static str, f64, f64, Option<f64>, Option<f64>, f64);
    let table: &[Line] = &[
        ("gpt-5", 1.25, 0.125, None, None, 10.0),
        ("gpt-5-codex", 1.25, 0.125, None, None, 10.0),
        ("gpt-5.1", 1.25, 0.125, None, None, 10.0),
        ("gpt-5.1-codex-max", 1.25, 0.125, None, None, 10.0),
        ("gpt-5-mini", 0.25, 0.025, None, None, 2.0),
        ("gpt-5.1-codex-mini", 0.25, 0.025, None, None, 2.0),
        ("gpt-5.2", 1.75, 0.175, None, None, 14.0),
        ("gpt-5.2-codex", 1.75, 0.175, None, None, 14.0),
        ("gpt-5.3-codex", 1.75, 0.175, None, None, 14.0),
        ("gpt-5.4", 2.50, 0.25, None, None, 15.0),
        ("gpt-5.5", 5.00, 0.50, None, None, 30.0),
        ("o3", 2.00, 0.50, None, None, 8.0),
        ("o4-mini", 1.10, 0.275, None, None, 4.40),
        ("gpt-4.1", 2.00, 0.50, None, None, 8.0),
        ("gpt-4.1-mini", 0.40, 0.10, None, None, 1.60),
        ("claude-sonnet-4-5", 3.0, 0.30, Some(3.75), Some(6.0), 15.0),
        ("claude-sonnet-4-6", 3.0, 0.30, Some(3.75), Some(6.0), 15.0),
        ("claude-opus-4-5", 5.0, 0.50, Some(6.25), Some(10.0), 25.0),
        ("claude-opus-4-6", 5.0, 0.50, Some(6.25), Some(10.0), 25.0),
        ("claude-opus-4-7", 5.0, 0.50, Some(6.25), Some(10.0), 25.0),
        ("claude-opus-4-8", 5.0, 0.50, Some(6.25), Some(10.0), 25.0),
        ("claude-haiku-4-5", 1.0, 0.10, Some(1.25), Some(2.0), 5.0),
    ];
    for &(model, input, read, w5, w1, output) in table {
        let p = book.price(model).unwrap_or_else(|| panic!("{model} unpriced"));
        assert_eq!(p.origin, PriceOrigin::Snapshot, "{model}");
        assert_eq!(
            (p.input, p.cache_read, p.cache_write_5m, p.cache_write_1h, p.output),
            (input, Some(read), w5, w1, output),
            "{model}"
        );
    }
    // "ctx 272k/400k"; Sonnet 4.5 ">200k: 6 in / 0.60 read / 7.50 write / 22.50 out".
    assert_eq!(book.price("gpt-5").and_then(|p| p.context_window), Some(272_000));
    assert_eq!(book.price("gpt-5.1-codex-max").and_then(|p| p.context_window), Some(400_000));
    let lc = book.price("claude-sonnet-4-5").and_then(|p| p.long_context).unwrap();
    assert_eq!(
        (lc.threshold_tokens, lc.input, lc.cache_read, lc.cache_write_5m, lc.output),
        (200_000, 6.0, Some(0.60), Some(7.50), 22.50)
    );
    // "LiteLLM lists deprecation_dates (gpt-5-codex 2026-07-23, o3 2026-12-11, claude-sonnet-4-5 2026-11-30)".
    for (model, date) in [("gpt-5-codex", "2026-07-23"), ("o3", "2026-12-11"), ("claude-sonnet-4-5", "2026-11-30")] {
        assert_eq!(book.price(model).and_then(|p| p.deprecation_date).as_deref(), Some(date), "{model}");
    }
}

#[test]
fn snapshot_header_is_the_pinned_litellm_file() {
    let info = PriceBook::builtin().snapshot_info();
    assert_eq!(info.source, "litellm 1.109.1 (MIT) model_prices_and_context_window_backup.json");
    // sha256 of the JSON inside litellm-1.109.1-cp310-abi3-manylinux_2_28_x86_64.whl, as printed by
    // `python3 -c "import zipfile,hashlib; ..."` while writing scripts/update_prices.py.
    assert_eq!(info.sha256_of_source, "8f8060d8ce7a40c91b995c74d6a27657543d49e3c1c53430dabd556f244392c6");
    let date: jiff::civil::Date = info.snapshot_date.parse().expect("snapshot_date is YYYY-MM-DD");
    assert!(date >= jiff::civil::date(2026, 1, 1), "snapshot_date {date}");
    // 81 models written by scripts/update_prices.py, plus the 3 retired ones of the fallback.
    assert_eq!((info.models, info.fallback_models), (81, 3));
    let text = include_str!("../src/pricing/prices.json");
    assert!(text.len() < 64 * 1024, "prices.json must stay small: {} bytes", text.len());
}

// ---------------------------------------------------------------------------------------------
// OpenAI / Codex (what-users-ask.md 8 and 9).

#[test]
fn openai_cached_input_is_billed_once() {
    let book = PriceBook::builtin();
    // gpt-5: 1.25 in, 0.125 cached, 10 out. 100k input of which 80k cached, 2k output.
    // (100000 − 80000)·1.25 + 80000·0.125 + 2000·10 = 25000 + 10000 + 20000 = 55000 → $0.055.
    // (Billing cached on top of input would give 125000 + 10000 + 20000 → $0.155.)
    let row = openai_row("gpt-5", 100_000, 80_000, 2_000, 1_500);
    assert_usd(book.usage_cost(&row), 0.055, "gpt-5 cached");
    let b = book.usage_cost_breakdown(&row).unwrap();
    assert_usd(Some(b.input_usd), 0.025, "uncached part");
    assert_usd(Some(b.cache_read_usd), 0.010, "cached part");
    assert_usd(Some(b.output_usd), 0.020, "output part");
}

#[test]
fn openai_reasoning_is_billed_once() {
    let book = PriceBook::builtin();
    // Same tokens as above; reasoning is inside output, so 0, 1,500 or all 2,000 reasoning
    // tokens cost the same $0.055 (adding 1500·10 = 15000 would give $0.070).
    for reasoning in [0, 1_500, 2_000] {
        assert_usd(book.usage_cost(&openai_row("gpt-5", 100_000, 80_000, 2_000, reasoning)), 0.055, "reasoning");
    }
}

#[test]
fn openai_cache_writes_and_missing_cache_price() {
    let book = PriceBook::builtin();
    // gpt-5.6-sol (prices.json): 4 in, 0.4 cached, 5 cache write, 20 out.
    // 10k input = 5k uncached + 4k cached + 1k written; 500 output.
    // 5000·4 + 4000·0.4 + 1000·5 + 500·20 = 20000 + 1600 + 5000 + 10000 = 36600 → $0.0366.
    let mut row = openai_row("gpt-5.6-sol", 10_000, 4_000, 500, 100);
    row.cache_creation_input_tokens = 1_000;
    assert_usd(book.usage_cost(&row), 0.0366, "gpt-5.6-sol cache write");
    // gpt-5-pro lists no cached price (prices.json: 15 in, 120 out) → cached at the input rate:
    // 600·15 + 400·15 + 10·120 = 9000 + 6000 + 1200 = 16200 → $0.0162.
    assert_usd(book.usage_cost(&openai_row("gpt-5-pro", 1_000, 400, 10, 0)), 0.0162, "gpt-5-pro");
}

// ---------------------------------------------------------------------------------------------
// Anthropic (what-users-ask.md 10 and 11).

#[test]
fn anthropic_five_minute_and_one_hour_writes() {
    let book = PriceBook::builtin();
    // claude-sonnet-4-5: 3 in, 0.30 read, 3.75 5m write, 6 1h write, 15 out.
    // 10 input, 3000 created (1000 for 5 min, 2000 for 1 h), 20000 read, 500 output:
    // 10·3 + 1000·3.75 + 2000·6 + 20000·0.30 + 500·15 = 30 + 3750 + 12000 + 6000 + 7500 = 29280.
    let row = claude_row("claude-sonnet-4-5-20250929", 10, 3_000, 1_000, 2_000, 20_000, 500);
    assert_usd(book.usage_cost(&row), 0.02928, "5m + 1h");
    // Without the breakdown all 3000 are 5-minute writes:
    // 30 + 3000·3.75 + 6000 + 7500 = 30 + 11250 + 6000 + 7500 = 24780.
    let row = claude_row("claude-sonnet-4-5-20250929", 10, 3_000, 0, 0, 20_000, 500);
    assert_usd(book.usage_cost(&row), 0.02478, "no breakdown");
    // Pricing all 2000 1-hour tokens at the 5m rate (the bug users report) would give $0.02478
    // too; the 1h rate adds 2000·(6 − 3.75) = 4500 → the $0.02928 above.
}

#[test]
fn anthropic_row_from_normalized_fields_only() {
    let book = PriceBook::builtin();
    // A row without raw numbers: input 23010 = 10 uncached + 3000 created + 20000 read.
    // Same as the no-breakdown case above: $0.02478.
    let mut row = claude_row("claude-sonnet-4-5", 10, 3_000, 0, 0, 20_000, 500);
    row.raw = RawUsage::default();
    assert_usd(book.usage_cost(&row), 0.02478, "normalized only");
}

#[test]
fn above_200k_prompt_switches_every_category() {
    let book = PriceBook::builtin();
    // claude-sonnet-4-5 >200k: 6 in, 0.60 read, 7.50 5m write, 22.50 out.
    // Prompt 1000 + 10000 + 190000 = 201000 > 200000:
    // 1000·6 + 10000·7.5 + 190000·0.6 + 1000·22.5 = 6000 + 75000 + 114000 + 22500 = 217500.
    let row = claude_row("claude-sonnet-4-5", 1_000, 10_000, 10_000, 0, 190_000, 1_000);
    assert_usd(book.usage_cost(&row), 0.2175, "201k prompt");
    assert!(book.usage_cost_breakdown(&row).unwrap().long_context);
    // Prompt exactly 200000 stays at base rates:
    // 1000·3 + 10000·3.75 + 189000·0.3 + 1000·15 = 3000 + 37500 + 56700 + 15000 = 112200.
    let row = claude_row("claude-sonnet-4-5", 1_000, 10_000, 10_000, 0, 189_000, 1_000);
    assert_usd(book.usage_cost(&row), 0.1122, "200k prompt");
    // gpt-5.5 above 272k (prices.json): 10 in, 1.0 cached, 45 out. 300k input, 200k cached, 1k out:
    // 100000·10 + 200000·1 + 1000·45 = 1000000 + 200000 + 45000 = 1245000 → $1.245.
    assert_usd(book.usage_cost(&openai_row("gpt-5.5", 300_000, 200_000, 1_000, 0)), 1.245, "gpt-5.5 >272k");
    // Retired Sonnet 4 from the fallback, 1-hour write above 200k derived 2 × 6 = 12:
    // 0·6 + 201000 1h-written·12 + 0 + 100·22.5 = 2412000 + 2250 = 2414250 → $2.41425.
    let row = claude_row("claude-sonnet-4-20250514", 0, 201_000, 0, 201_000, 0, 100);
    assert_usd(book.usage_cost(&row), 2.41425, "sonnet-4 1h >200k");
}

// ---------------------------------------------------------------------------------------------
// Gemini.

#[test]
fn gemini_cached_inside_input_thoughts_inside_output() {
    let book = PriceBook::builtin();
    // gemini-3-flash-preview (prices.json): 0.5 in, 0.05 cached, 3 out. Normalized row: 10000
    // input of which 4000 cached, 1200 output (1000 text + 200 thoughts, already summed):
    // 6000·0.5 + 4000·0.05 + 1200·3 = 3000 + 200 + 3600 = 6800 → $0.0068.
    let mut row = openai_row("gemini-3-flash-preview", 10_000, 4_000, 1_200, 0);
    row.vendor = Some(Vendor::Google);
    let (input_tokens, cached_input_tokens) = (10_000, 4_000);
    let (output_tokens, thoughts_tokens) = (1_000, 200);
    row.raw = RawUsage { input_tokens, cached_input_tokens, output_tokens, thoughts_tokens, ..RawUsage::default() };
    assert_usd(book.usage_cost(&row), 0.0068, "gemini");
    // gemini-2.5-pro above 200k: 2.5 in, 0.25 cached, 15 out. 250k input, 50k cached, 2k out:
    // 200000·2.5 + 50000·0.25 + 2000·15 = 500000 + 12500 + 30000 = 542500 → $0.5425.
    let mut row = openai_row("gemini-2.5-pro", 250_000, 50_000, 2_000, 0);
    row.vendor = Some(Vendor::Google);
    assert_usd(book.usage_cost(&row), 0.5425, "gemini-2.5-pro >200k");
}

// ---------------------------------------------------------------------------------------------
// Fast mode.

#[test]
fn fast_multiplier() {
    let book = PriceBook::builtin();
    // claude-opus-4-8 (LiteLLM fast 2.0): 5 in, 0.50 read, 25 out. 100 in, 1000 read, 100 out:
    // standard 100·5 + 1000·0.5 + 100·25 = 500 + 500 + 2500 = 3500 → $0.0035; fast ×2 → $0.007.
    let mut row = claude_row("claude-opus-4-8", 100, 0, 0, 0, 1_000, 100);
    assert_usd(book.usage_cost(&row), 0.0035, "opus standard");
    row.fast = true;
    assert_usd(book.usage_cost(&row), 0.007, "opus fast");
    // The `-fast` name alone means fast too.
    let row = claude_row("claude-opus-4-8-fast", 100, 0, 0, 0, 1_000, 100);
    assert_eq!(book.price(&row.model).map(|p| p.origin), Some(PriceOrigin::Alias("claude-opus-4-8".into())));
    assert_usd(book.usage_cost(&row), 0.007, "opus -fast name");
    // gpt-5-codex lists no multiplier → Codex default 2×: (1000·1.25 + 100·10)·2 = 2250·2 = 4500.
    let mut row = openai_row("gpt-5-codex", 1_000, 0, 100, 0);
    row.fast = true;
    assert_usd(book.usage_cost(&row), 0.0045, "codex default 2x");
    // gpt-5.5: priority tier 2.5× the standard (prices.json): (1000·5 + 100·30)·2.5 = 8000·2.5 = 20000.
    let mut row = openai_row("gpt-5.5", 1_000, 0, 100, 0);
    row.fast = true;
    assert_usd(book.usage_cost(&row), 0.02, "gpt-5.5 priority 2.5x");
}

// ---------------------------------------------------------------------------------------------
// Lookup: aliases, codex-auto-review, retired models, unknown models, overrides.

#[test]
fn aliases_resolve_to_snapshot_keys() {
    let book = PriceBook::builtin();
    let table = [
        // (as logged, the snapshot key it resolves to)
        ("claude-haiku-4-5-20251001", "claude-haiku-4-5"),
        ("claude-sonnet-4-5-20250929", "claude-sonnet-4-5"),
        ("gpt-5-2025-08-07", "gpt-5"),
        ("openai/gpt-5.1-codex", "gpt-5.1-codex"),
        ("anthropic/claude-opus-4-5-20251101", "claude-opus-4-5"),
        ("us.anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4-5"),
        ("models/gemini-2.5-pro", "gemini-2.5-pro"),
    ];
    for (logged, key) in table {
        let p = book.price(logged).unwrap_or_else(|| panic!("{logged} unpriced"));
        assert_eq!(p.origin, PriceOrigin::Alias(key.into()), "{logged}");
        assert_eq!(Some(p), book.price(key).map(|k| ModelPrice { origin: PriceOrigin::Alias(key.into()), ..k }));
    }
    // claude-haiku-4-5-20251001 costs what claude-haiku-4-5 costs: 1 in, 5 out.
    // 1000·1 + 1000·5 = 6000 → $0.006.
    let row = claude_row("claude-haiku-4-5-20251001", 1_000, 0, 0, 0, 0, 1_000);
    assert_usd(book.usage_cost(&row), 0.006, "haiku dated");
}

#[test]
fn codex_auto_review_is_priced_as_gpt_5_codex() {
    let book = PriceBook::builtin();
    let p = book.price("codex-auto-review").expect("priced");
    assert_eq!(p.origin, PriceOrigin::Alias("gpt-5-codex".into()));
    // gpt-5-codex: 1.25 in, 0.125 cached, 10 out. 20000 input, 15000 cached, 300 output:
    // 5000·1.25 + 15000·0.125 + 300·10 = 6250 + 1875 + 3000 = 11125 → $0.011125.
    assert_usd(book.usage_cost(&openai_row("codex-auto-review", 20_000, 15_000, 300, 200)), 0.011125, "auto-review");
}

#[test]
fn retired_models_come_from_the_fallback() {
    let book = PriceBook::builtin();
    let retired = ["claude-sonnet-4-20250514", "claude-opus-4-20250514", "claude-opus-4-1-20250805"];
    for model in retired.into_iter().chain(["anthropic/claude-opus-4-1", "claude-opus-4-0"]) {
        assert_eq!(book.price(model).map(|p| p.origin), Some(PriceOrigin::Fallback), "{model}");
    }
    // claude-opus-4-1-20250805: 15 in, 1.50 read, 18.75 5m, 30 1h (2 × 15), 75 out.
    // 10 in, 1000 created for 1 h, 5000 read, 200 out:
    // 10·15 + 1000·30 + 5000·1.5 + 200·75 = 150 + 30000 + 7500 + 15000 = 52650 → $0.05265.
    let row = claude_row("claude-opus-4-1-20250805", 10, 1_000, 0, 1_000, 5_000, 200);
    assert_usd(book.usage_cost(&row), 0.05265, "opus 4.1");
}

#[test]
fn unknown_models_are_unpriced_not_free() {
    let book = PriceBook::builtin();
    for model in ["fixture-model", "unknown", "<synthetic>", "", "deepseek-v4", "claude-sonnet-9-9", "gpt-7"] {
        assert_eq!(book.price(model), None, "{model}");
        assert_eq!(book.usage_cost(&openai_row(model, 1_000, 0, 10, 0)), None, "{model}");
        assert_eq!(book.api_call_cost(&api_call("openai", model, 1_000, 10, 0)), None, "{model}");
    }
    // Zero tokens of a priced model are $0, a real price, not "unpriced".
    assert_eq!(book.usage_cost(&openai_row("gpt-5", 0, 0, 0, 0)), Some(0.0));
}

#[test]
fn an_override_wins_and_survives_a_json_round_trip() {
    let mut book = PriceBook::builtin();
    let mine = ModelPrice { input: 2.0, output: 20.0, cache_read: Some(0.2), ..ModelPrice::default() };
    book.set_override("gpt-5", mine.clone()).unwrap();
    assert_eq!(book.price("gpt-5").map(|p| (p.origin, p.input)), Some((PriceOrigin::Override, 2.0)));
    // The override covers the aliases too.
    assert_eq!(book.price("openai/gpt-5-2025-08-07").map(|p| p.origin), Some(PriceOrigin::Override));
    // 1000 input, 500 cached, 100 output: 500·2 + 500·0.2 + 100·20 = 1000 + 100 + 2000 = 3100.
    let row = openai_row("gpt-5", 1_000, 500, 100, 0);
    assert_usd(book.usage_cost(&row), 0.0031, "override");

    let json = book.overrides_json();
    let mut restored = PriceBook::builtin();
    restored.load_overrides_json(&json).unwrap();
    assert_eq!(restored.price("gpt-5"), book.price("gpt-5"));
    assert_usd(restored.usage_cost(&row), 0.0031, "override after round trip");
    assert_eq!(restored.overrides_json(), json);

    // A bad load changes nothing; removing the override brings the snapshot back.
    let bad_loads = [
        "{",                                        // not JSON
        r#"{"gpt-5":{"input":-1,"output":1}}"#,     // a negative rate
        r#"{"gpt-5":{"input":1}}"#,                 // no output rate
        r#"{" ":{"input":1,"output":1}}"#,          // no model name
    ];
    for bad in bad_loads {
        assert!(restored.load_overrides_json(bad).is_err(), "{bad}");
        assert_eq!(restored.overrides_json(), json, "{bad}");
    }
    assert!(restored.set_override("gpt-5", ModelPrice { input: f64::NAN, ..mine }).is_err());
    assert!(restored.remove_override("gpt-5"));
    assert_eq!(restored.price("gpt-5").map(|p| (p.origin, p.input)), Some((PriceOrigin::Snapshot, 1.25)));
    // An override prices a model no list knows.
    restored.set_override("deepseek-v4", ModelPrice { input: 0.5, output: 1.0, ..ModelPrice::default() }).unwrap();
    // 1000·0.5 + 1000·1 = 1500 → $0.0015.
    assert_usd(restored.usage_cost(&openai_row("deepseek-v4", 1_000, 0, 1_000, 0)), 0.0015, "new model");
}

// ---------------------------------------------------------------------------------------------
// API / relay calls.

#[test]
fn api_calls_add_thinking_only_for_google() {
    let book = PriceBook::builtin();
    // claude-sonnet-4-5 on Anthropic: thinking is inside output. 1000·3 + 500·15 = 3000 + 7500 = 10500.
    assert_usd(book.api_call_cost(&api_call("anthropic", "claude-sonnet-4-5", 1_000, 500, 300)), 0.0105, "anthropic");
    // Claude served by Vertex is still Anthropic's convention: same $0.0105.
    let on_vertex = api_call("vertex", "claude-sonnet-4-5", 1_000, 500, 300);
    assert_usd(book.api_call_cost(&on_vertex), 0.0105, "claude on vertex");
    // gpt-5 on OpenAI: 1000·1.25 + 500·10 = 1250 + 5000 = 6250.
    assert_usd(book.api_call_cost(&api_call("openai", "gpt-5", 1_000, 500, 300)), 0.00625, "openai");
    // gemini-2.5-pro on Google: thinking outside output. 1000·1.25 + (500 + 300)·10 = 1250 + 8000 = 9250.
    assert_usd(book.api_call_cost(&api_call("google", "gemini-2.5-pro", 1_000, 500, 300)), 0.00925, "google");
}

// ---------------------------------------------------------------------------------------------
// The price list.

#[test]
fn rows_list_every_price_once_with_its_origin() {
    let mut book = PriceBook::builtin();
    book.set_override("gpt-5", ModelPrice { input: 2.0, output: 20.0, ..ModelPrice::default() }).unwrap();
    let rows = book.rows();
    assert_eq!(rows.len(), 81 + 3, "snapshot + fallback, the override replacing gpt-5");
    let names: Vec<&str> = rows.iter().map(|r| r.model.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted);
    let find = |m: &str| rows.iter().find(|r| r.model == m).unwrap();
    let (gpt5, opus4, o3) = (find("gpt-5"), find("claude-opus-4-20250514"), find("o3"));
    assert_eq!((gpt5.input_per_mtok, gpt5.origin.as_str()), (2.0, "override"));
    assert_eq!((opus4.cache_write_1h_per_mtok, opus4.origin.as_str()), (Some(30.0), "fallback"));
    assert_eq!((o3.output_per_mtok, o3.origin.as_str()), (8.0, "snapshot"));
}

// ---------------------------------------------------------------------------------------------
// Hostile numbers.

#[test]
fn negative_and_huge_counts_do_not_panic_or_go_negative() {
    let book = PriceBook::builtin();
    let rows = [
        openai_row("gpt-5", -5, -1, -3, -2),
        openai_row("gpt-5", 10, 50, 5, 9), // cached > input: cached capped at input
        openai_row("gpt-5", i64::MAX, i64::MAX, i64::MAX, i64::MAX),
        claude_row("claude-sonnet-4-5", i64::MIN, i64::MAX, i64::MAX, i64::MAX, -1, i64::MIN),
    ];
    for row in &rows {
        let cost = book.usage_cost(row).unwrap();
        assert!(cost >= 0.0 && cost.is_finite(), "{cost}");
    }
    // cached > input: 10 input all cached: 10·0.125 + 5·10 = 1.25 + 50 = 51.25 → $0.00005125.
    assert_usd(book.usage_cost(&rows[1]), 0.000_051_25, "cached capped");
}

// ---------------------------------------------------------------------------------------------
// The real corpus: every model it names is priced, except the names that are no model.

#[test]
fn real_corpus_models_are_priced() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/real");
    if !std::path::Path::new(dir).is_dir() {
        println!("SKIPPED: ../shared/corpus/real is absent");
        return;
    }
    let mut names = std::collections::BTreeSet::new();
    for sub in ["codex-rollout", "claude-code", "gemini-cli"] {
        for entry in std::fs::read_dir(format!("{dir}/{sub}")).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            for piece in text.split("\"model\":\"").skip(1) {
                names.insert(piece.split('"').next().unwrap_or("").to_string());
            }
        }
    }
    let book = PriceBook::builtin();
    // (name, the origin label it must get; "unpriced" for names that are no billable model).
    let expected = [
        ("<synthetic>", "unpriced"),
        ("claude-fable-5", "snapshot"),
        ("claude-opus-4-8", "snapshot"),
        ("claude-opus-5", "snapshot"),
        ("claude-sonnet-4-5-20250929", "alias of claude-sonnet-4-5"),
        ("claude-sonnet-5", "snapshot"),
        ("codex-auto-review", "alias of gpt-5-codex"),
        ("fixture-model", "unpriced"),
        ("gemini-3-flash-preview", "snapshot"),
        ("gpt-5-codex", "snapshot"),
        ("gpt-5.1", "snapshot"),
        ("gpt-5.2", "snapshot"),
        ("gpt-5.2-codex", "snapshot"),
        ("gpt-5.3-codex", "snapshot"),
        ("gpt-5.4", "snapshot"),
        ("gpt-5.5", "snapshot"),
        ("gpt-5.6-luna", "snapshot"),
        ("gpt-5.6-sol", "snapshot"),
    ];
    let got: Vec<(String, String)> = names
        .iter()
        .map(|n| (n.clone(), book.price(n).map_or("unpriced".to_string(), |p| p.origin.label())))
        .collect();
    let want: Vec<(String, String)> = expected.iter().map(|(n, o)| (n.to_string(), o.to_string())).collect();
    assert_eq!(got, want);
}

#[test]
fn costs_of_a_whole_table_equal_the_costs_row_by_row() {
    // The generated sample holds every kind of model name: snapshot keys, dated and prefixed
    // aliases, retired models, fast mode, unpriced ones; an override changes one model's price.
    let files = agent_ledger::synth::sample_files();
    let ledger = agent_ledger::ingest::ingest_all(files.iter().map(|(n, b)| (n.as_str(), b.as_slice())));
    let rows = &ledger.tables.usage;
    let mut book = PriceBook::builtin();
    for round in 0..2 {
        let one_by_one: Vec<Option<f64>> = rows.iter().map(|r| book.usage_cost(r)).collect();
        assert_eq!(book.usage_costs(rows), one_by_one, "round {round}");
        assert!(one_by_one.iter().any(Option::is_some) && one_by_one.iter().any(Option::is_none), "priced and unpriced rows");
        let model = rows.iter().find(|r| book.usage_cost(r).is_some()).unwrap().model.clone();
        book.set_override(&model, ModelPrice { input: 1.0, output: 2.0, ..ModelPrice::default() }).unwrap();
    }
}
