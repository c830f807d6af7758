//! API / relay call logs (DESIGN.md section 1; docs/formats.md §4b): `relay-calls.ndjson` and its
//! rotations, one line per call: `{ts (ms epoch), install_id, tier, pipeline, backend, model,
//! status: success|error|refused, credit_charged, duration_ms, input_tokens, output_tokens,
//! thinking_tokens, cost_usd, job_id, error}`.
//!
//! Oracle: every JSON line is a parsed API call, its tokens summed as logged; a line cut short by
//! a crash (invalid JSON, then the log goes on) is malformed. A call whose status and error
//! disagree (`success` with an error) is still a parsed row: the audit flags it.

use super::expect::{ApiSums, Outcome};
use super::file::{FileWriter, Style};
use super::rng::Rng;
use super::GeneratedFile;
use crate::model::Format;

#[derive(Debug, Clone, Default)]
pub struct RelayQuirks {
    /// One `success` call that also logs an error.
    pub status_error_disagree: bool,
    /// One line cut short mid-JSON in the middle of the file.
    pub cut_line: bool,
}

#[derive(Debug, Clone)]
pub struct RelaySpec {
    pub name: String,
    pub start_ms: i64,
    pub target_bytes: usize,
    pub style: Style,
    pub quirks: RelayQuirks,
}

/// `(backend, model, USD per Mtok input, output)`.
const MODELS: &[(&str, &str, f64, f64)] = &[
    ("anthropic", "claude-sonnet-4-5-20250929", 3.0, 15.0),
    ("anthropic", "claude-haiku-4-5", 1.0, 5.0),
    ("openai", "gpt-5", 1.25, 10.0),
    ("openai", "gpt-5-mini", 0.25, 2.0),
    ("google", "gemini-2.5-pro", 1.25, 10.0),
];

pub fn write(spec: &RelaySpec, rng: &mut Rng) -> GeneratedFile {
    let mut w = FileWriter::new(Format::RelayCalls, spec.style);
    let installs: Vec<String> = (0..rng.range(2, 6)).map(|_| format!("inst_{}", rng.hex(12))).collect();
    let mut now = spec.start_ms;
    let mut n = 0u32;
    while w.len() < spec.target_bytes || n < 4 {
        now += rng.range(200, 90_000);
        let disagree = spec.quirks.status_error_disagree && n == 2;
        let (body, tokens) = call_line(rng, &installs, now, disagree, spec.style.spaced);
        if spec.quirks.cut_line && n == 3 {
            let cut = body.len() / 2;
            w.raw_line(&body[..cut], Outcome::Malformed);
            w.note("a line cut short mid-JSON");
        } else {
            w.raw_line(&body, Outcome::Parsed);
            w.expect.counts.api.add(&tokens);
        }
        n += 1;
    }
    if spec.quirks.status_error_disagree {
        w.note("a success call that logs an error");
    }
    w.finish(spec.name.clone())
}

/// One call rendered as JSON, and what it adds to the API sums when written whole.
fn call_line(rng: &mut Rng, installs: &[String], now: i64, disagree: bool, spaced: bool) -> (Vec<u8>, ApiSums) {
    let (backend, model, p_in, p_out) = rng.pick(MODELS);
    let status = match rng.f64() {
        _ if disagree => "success",
        x if x < 0.9 => "success",
        x if x < 0.97 => "error",
        _ => "refused",
    };
    let input = rng.log_range(200, 120_000);
    let output = if status == "success" { rng.log_range(10, 8_000) } else { 0 };
    let thinking = if status == "success" && rng.chance(0.4) { rng.range(0, output) } else { 0 };
    let cost = (input as f64 * p_in + output as f64 * p_out) / 1e6;
    let error = match status {
        "error" => Some("upstream 529 overloaded"),
        "refused" => Some("content policy"),
        _ if disagree => Some("upstream timeout after 60s"),
        _ => None,
    };
    let mut body = Vec::new();
    super::json::object(&mut body, spaced, |o| {
        o.int("ts", now).str("install_id", rng.pick_ref(installs).as_str()).str("tier", rng.pick(&["free", "pro", "team"]));
        o.str("pipeline", rng.pick(&["chat", "summarize", "agent"])).str("backend", backend).str("model", model);
        o.str("status", status).float("credit_charged", if status == "success" { 1.0 } else { 0.0 });
        o.int("duration_ms", rng.log_range(150, 90_000));
        o.int("input_tokens", input).int("output_tokens", output).int("thinking_tokens", thinking);
        o.float("cost_usd", (cost * 1e6).round() / 1e6).str("job_id", &format!("job_{}", rng.hex(10)));
        o.opt_str("error", error);
    });
    (body, ApiSums { calls: 1, input_tokens: input, output_tokens: output, thinking_tokens: thinking })
}
