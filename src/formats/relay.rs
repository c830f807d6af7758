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
//!
//! The small helpers below (`parse_object`, loose numbers and times, `raw_text`) are shared with
//! the other adapters of simple line formats (tool audit, Gemini, Codex legacy).

use super::{Bucket, LineParser};
use crate::model::{ApiCall, Millis, Source, Tables};
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
                out.api_calls.push(call);
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

/// An optional measure: absent or null → `None`; otherwise a number or numeric string.
pub(crate) fn field_f64(name: &str, raw: Option<&RawValue>) -> Result<Option<f64>, String> {
    match raw {
        None => Ok(None),
        Some(r) if r.get().trim() == "null" => Ok(None),
        Some(r) => loose_f64(r).map(Some).ok_or_else(|| format!("`{name}` is not a number: {}", shown(r))),
    }
}

/// A count: absent or null → 0; otherwise a whole number or a numeric string of one.
pub(crate) fn field_i64(name: &str, raw: Option<&RawValue>) -> Result<i64, String> {
    match raw {
        None => Ok(0),
        Some(r) if r.get().trim() == "null" => Ok(0),
        Some(r) => loose_i64(r).ok_or_else(|| format!("`{name}` is not a whole number: {}", shown(r))),
    }
}

/// The characters of a JSON number, or of a JSON string that holds one (no escapes).
fn numeric_text(raw: &RawValue) -> Option<&str> {
    let t = raw.get().trim();
    let inner = match t.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
        Some(s) if s.contains('\\') => return None,
        Some(s) => s.trim(),
        None => t,
    };
    // `str::parse::<f64>` also reads "inf" and "NaN", which no JSON log means as a number.
    let numeric = inner.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '+' || c == '.');
    numeric.then_some(inner)
}

/// A number written as a JSON number or as a numeric string.
pub(crate) fn loose_f64(raw: &RawValue) -> Option<f64> {
    numeric_text(raw)?.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// A whole number written as a JSON number (`12`, `12.0`, `1.2e3`) or a numeric string.
pub(crate) fn loose_i64(raw: &RawValue) -> Option<i64> {
    let text = numeric_text(raw)?;
    if let Ok(n) = text.parse::<i64>() {
        return Some(n);
    }
    let x = text.parse::<f64>().ok()?;
    // Beyond ±2^63 a float no longer names one integer; refuse rather than saturate.
    let whole = x.is_finite() && x.fract() == 0.0 && x.abs() < 9.2e18;
    whole.then_some(x as i64)
}

/// Epoch milliseconds, epoch seconds (below 1e11), a numeric string of either, or ISO-8601 text.
pub(crate) fn loose_time(raw: &RawValue) -> Option<Millis> {
    if let Some(x) = loose_f64(raw) {
        if x.abs() >= 9.2e15 {
            return None;
        }
        return Some(if x.abs() < 1e11 { (x * 1000.0) as i64 } else { x as i64 });
    }
    let text: Cow<str> = serde_json::from_str(raw.get()).ok()?;
    crate::timefmt::parse_iso(&text)
}

/// Text of a JSON value: strings unescaped, null absent, anything else its raw JSON.
pub(crate) fn raw_text(raw: &RawValue) -> Option<String> {
    let t = raw.get().trim();
    if t == "null" {
        return None;
    }
    match serde_json::from_str::<Cow<str>>(t) {
        Ok(s) => Some(s.into_owned()),
        Err(_) => Some(t.to_string()),
    }
}

/// A short, printable form of a raw value for a malformed-line reason.
pub(crate) fn shown(raw: &RawValue) -> String {
    crate::model::snippet(raw.get().trim(), 40)
}

/// Parse one line as a JSON object of shape `T`; the error names what is wrong, and for invalid
/// JSON serde's line and column.
pub(crate) fn parse_object<'a, T: Deserialize<'a>>(format: &str, line: &'a [u8]) -> Result<T, String> {
    let first = line.iter().copied().find(|b| !b.is_ascii_whitespace());
    if first != Some(b'{') {
        return Err(match serde_json::from_slice::<serde::de::IgnoredAny>(line) {
            Ok(_) => "valid JSON but not an object".to_string(),
            Err(e) => format!("not valid JSON: {e}"),
        });
    }
    serde_json::from_slice(line).map_err(|e| format!("invalid {format} line: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(s: &str) -> Box<RawValue> {
        RawValue::from_string(s.to_string()).unwrap()
    }

    #[test]
    fn numbers_may_be_numeric_strings() {
        let ints: &[(&str, Option<i64>)] = &[
            ("12", Some(12)),
            ("\"12\"", Some(12)),
            ("\" 7 \"", Some(7)),
            ("-3", Some(-3)),
            ("12.0", Some(12)),
            ("1.5e3", Some(1500)),
            ("12.5", None),
            ("\"abc\"", None),
            ("\"NaN\"", None),
            ("{}", None),
            ("1e300", None),
        ];
        for (text, want) in ints {
            assert_eq!(loose_i64(&raw(text)), *want, "{text}");
        }
        assert_eq!(loose_f64(&raw("\"0.25\"")), Some(0.25));
        assert_eq!(loose_f64(&raw("\"inf\"")), None);
        assert_eq!(loose_time(&raw("1767225600000")), Some(1_767_225_600_000));
        assert_eq!(loose_time(&raw("\"1767225600000\"")), Some(1_767_225_600_000));
        assert_eq!(loose_time(&raw("1767225600")), Some(1_767_225_600_000));
        assert_eq!(loose_time(&raw("\"2026-01-01T00:00:00Z\"")), Some(1_767_225_600_000));
        assert_eq!(loose_time(&raw("\"soon\"")), None);
        assert_eq!(loose_time(&raw("1e300")), None);
    }
}
