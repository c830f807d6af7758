//! Reading fields of simple JSON line formats leniently (tool audit, relay calls, Gemini, Codex
//! legacy): numbers that arrive as numeric strings, times as epoch seconds, milliseconds or
//! ISO-8601 text, and one-object-per-line parsing whose errors name what is wrong (docs/formats.md
//! section 6, item 2: "tolerate bad JSON, unknown types, missing fields, numeric strings").

use crate::model::Millis;
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;

/// An optional measure: absent or null → `None`; otherwise a number or numeric string.
pub fn field_f64(name: &str, raw: Option<&RawValue>) -> Result<Option<f64>, String> {
    match raw {
        None => Ok(None),
        Some(r) if r.get().trim() == "null" => Ok(None),
        Some(r) => loose_f64(r).map(Some).ok_or_else(|| format!("`{name}` is not a number: {}", shown(r))),
    }
}

/// A count: absent or null → 0; otherwise a whole number or a numeric string of one.
pub fn field_i64(name: &str, raw: Option<&RawValue>) -> Result<i64, String> {
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
pub fn loose_f64(raw: &RawValue) -> Option<f64> {
    numeric_text(raw)?.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// A whole number written as a JSON number (`12`, `12.0`, `1.2e3`) or a numeric string.
pub fn loose_i64(raw: &RawValue) -> Option<i64> {
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
pub fn loose_time(raw: &RawValue) -> Option<Millis> {
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
pub fn raw_text(raw: &RawValue) -> Option<String> {
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
pub fn shown(raw: &RawValue) -> String {
    crate::model::snippet(raw.get().trim(), 40)
}

/// Parse one line as a JSON object of shape `T`; the error names what is wrong, and for invalid
/// JSON serde's line and column.
pub fn parse_object<'a, T: Deserialize<'a>>(format: &str, line: &'a [u8]) -> Result<T, String> {
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
