//! API / relay call NDJSON (`relay-calls.ndjson` and its rotations) → [`ApiCall`] rows.
//!
//! Shape (DESIGN.md section 1; docs/formats.md section 4 (b)): one object a line,
//! `{ts (ms epoch), install_id, tier, pipeline, backend, model, status: success|error|refused,
//! credit_charged, duration_ms, input_tokens, output_tokens, thinking_tokens, cost_usd, job_id, error}`.
//!
//! Rules:
//! - Every object with a usable `ts` is one row, `Parsed`. `status` is kept as logged, even when it
//!   is none of the three known values: the audit flags it, the row is not lost.
//! - `ts` may be epoch milliseconds, epoch seconds (below 1e11), a numeric string of either, or an
//!   ISO-8601 text. Missing, null or unreadable `ts` → `Malformed` with the reason.
//! - Numbers may arrive as numeric strings (`"1200"`, `" 0.5 "`): accepted (docs/formats.md
//!   section 6, item 2). Missing or null numbers are 0 for token counts and absent (`None`) for
//!   the optional measures (credit, duration, cost). A value that is no number at all (`"abc"`,
//!   an object, 12.5 tokens) makes the line `Malformed`, naming the field, rather than being
//!   counted silently as 0. `credit_charged` also accepts `true`/`false` (1/0).
//! - `job_id` and `error` keep strings as text; other JSON values (an error object) keep their
//!   raw JSON text; null is absent.
//! - Not valid JSON or not a JSON object → `Malformed` with serde's reason (it names the column).

use crate::model::push_row;
use super::fields::{field_f64, field_i64, loose_time, parse_object, raw_text, shown};
use super::{Bucket, LineParser};
use crate::model::{ApiCall, Source, Tables};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;

#[derive(Default)]
pub struct RelayParser;

/// One relay line as logged; numbers stay raw until [`loose_f64`] reads them.
#[derive(Deserialize)]
struct RelayLine<'a> {
    #[serde(borrow)]
    ts: Option<&'a RawValue>,
    #[serde(borrow)]
    install_id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    tier: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pipeline: Option<Cow<'a, str>>,
    #[serde(borrow)]
    backend: Option<Cow<'a, str>>,
    #[serde(borrow)]
    model: Option<Cow<'a, str>>,
    #[serde(borrow)]
    status: Option<Cow<'a, str>>,
    #[serde(borrow)]
    credit_charged: Option<&'a RawValue>,
    #[serde(borrow)]
    duration_ms: Option<&'a RawValue>,
    #[serde(borrow)]
    input_tokens: Option<&'a RawValue>,
    #[serde(borrow)]
    output_tokens: Option<&'a RawValue>,
    #[serde(borrow)]
    thinking_tokens: Option<&'a RawValue>,
    #[serde(borrow)]
    cost_usd: Option<&'a RawValue>,
    #[serde(borrow)]
    job_id: Option<&'a RawValue>,
    #[serde(borrow)]
    error: Option<&'a RawValue>,
}

impl LineParser for RelayParser {
    fn line(&mut self, line: &[u8], src: Source, out: &mut Tables) -> Bucket {
        let parsed: RelayLine = match parse_object("relay", line) {
            Ok(l) => l,
            Err(reason) => return Bucket::Malformed(reason),
        };
        match api_call(&parsed, src) {
            Ok(call) => {
                push_row(&mut out.api_calls, call);
                Bucket::Parsed
            }
            Err(reason) => Bucket::Malformed(reason),
        }
    }

    fn finish(&mut self, _out: &mut Tables) {}
}

fn api_call(l: &RelayLine, source: Source) -> Result<ApiCall, String> {
    let ts = l.ts.ok_or("relay line without `ts`")?;
    let ts_ms = loose_time(ts).ok_or_else(|| format!("`ts` is not a time: {}", shown(ts)))?;
    let text = |v: &Option<Cow<str>>| v.as_deref().unwrap_or_default().to_string();
    Ok(ApiCall {
        source,
        ts_ms: Some(ts_ms),
        install_id: text(&l.install_id),
        tier: text(&l.tier),
        pipeline: text(&l.pipeline),
        backend: text(&l.backend),
        model: text(&l.model),
        status: text(&l.status),
        credit_charged: credit(l.credit_charged)?,
        duration_ms: field_f64("duration_ms", l.duration_ms)?,
        input_tokens: field_i64("input_tokens", l.input_tokens)?,
        output_tokens: field_i64("output_tokens", l.output_tokens)?,
        thinking_tokens: field_i64("thinking_tokens", l.thinking_tokens)?,
        cost_usd: field_f64("cost_usd", l.cost_usd)?,
        job_id: l.job_id.and_then(raw_text),
        error: l.error.and_then(raw_text),
    })
}

fn credit(raw: Option<&RawValue>) -> Result<Option<f64>, String> {
    match raw.map(|r| r.get().trim()) {
        Some("true") => Ok(Some(1.0)),
        Some("false") => Ok(Some(0.0)),
        _ => field_f64("credit_charged", raw),
    }
}
