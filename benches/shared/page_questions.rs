//! The questions a person asks of the biggest table (issue #14.3: a sort or a text filter of a
//! million rows answered within 200 ms), each one no cache has answered yet. Shared by the native
//! bench (`benches/actions.rs`, `ACTIONS_PROFILE=pages`) and the same engine compiled to wasm
//! (`src/bin/engine_bench.rs`, `scripts/bench-engine-wasm.sh`), so that both time the same.

use agent_ledger::query::{PageQuery, Sort};

/// The dataset asked: `usage_tokens.csv`, a row per billed request.
const DATASET: &str = "usage_tokens.csv";

/// Columns of every kind: texts shared by many rows (sessions, models, vendors, files), a text
/// per row (the request key), times, numbers and costs.
const SORTED_BY: [&str; 8] = ["session_id", "ts_utc", "model", "vendor", "total_tokens", "cost_usd", "request_key", "file"];

/// Words, a model's name, a date's start (digits and `-`), and text that is nowhere.
const FOUND: [&str; 6] = ["cached", "gpt", "claude", "2025-", "sess", "zzz"];

/// Each question with its name, in the order asked: every sort ascending, then descending, then
/// every text, then a new text within a new sort.
pub fn questions() -> Vec<(String, PageQuery)> {
    let ask = |sort: Option<Sort>, text: &str| PageQuery { dataset: DATASET.into(), sort, text: text.into(), equals: vec![], offset: 0, limit: 100 };
    let by = |column: &str, descending: bool| Some(Sort { column: column.into(), descending });
    let mut out = Vec::new();
    for descending in [false, true] {
        for column in SORTED_BY {
            let name = format!("sort by {column}{}", if descending { ", descending" } else { "" });
            out.push((name, ask(by(column, descending), "")));
        }
    }
    for text in FOUND {
        out.push((format!("text {text:?}"), ask(None, text)));
    }
    out.push(("text \"gpt-5\" sorted by input_tokens".into(), ask(by("input_tokens", false), "gpt-5")));
    out
}

/// `n` pseudo-random `u64` (xorshift, the same every run): sorted with `sort_unstable`, the
/// benches' baseline, the least a sort of that many rows can cost.
pub fn random_keys(n: usize) -> Vec<u64> {
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        })
        .collect()
}
