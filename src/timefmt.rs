//! Timestamps: parsing what logs write, formatting what exports show.

use crate::model::Millis;

/// Parse an RFC 3339 / ISO-8601 instant (`2025-09-25T01:22:20.084Z`, `…+02:00`).
pub fn parse_iso(s: &str) -> Option<Millis> {
    let ts: jiff::Timestamp = s.trim().parse().ok()?;
    Some(ts.as_millisecond())
}

/// Parse a JSON timestamp that may be ISO text, epoch seconds or epoch milliseconds.
pub fn parse_loose(v: &serde_json::Value) -> Option<Millis> {
    match v {
        serde_json::Value::String(s) => parse_iso(s),
        serde_json::Value::Number(n) => {
            let x = n.as_f64()?;
            // Epoch seconds stay below 1e11 until the year 5138; milliseconds are above it.
            Some(if x.abs() < 1e11 { (x * 1000.0) as i64 } else { x as i64 })
        }
        _ => None,
    }
}

/// `2025-09-25T01:22:20.084Z`: the UTC form every export uses.
pub fn format_iso(ms: Millis) -> String {
    match jiff::Timestamp::from_millisecond(ms) {
        Ok(ts) => format!("{:.3}", ts),
        Err(_) => String::new(),
    }
}

pub fn format_opt(ms: Option<Millis>) -> String {
    ms.map(format_iso).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_formats_round_trip() {
        let cases = [
            ("2025-09-25T01:22:20.084Z", 1_758_763_340_084),
            ("2030-01-01T15:00:00Z", 1_893_510_000_000),
            ("2025-09-25T03:22:20.084+02:00", 1_758_763_340_084),
        ];
        for (text, ms) in cases {
            assert_eq!(parse_iso(text), Some(ms), "{text}");
        }
        assert_eq!(format_iso(1_758_763_340_084), "2025-09-25T01:22:20.084Z");
        assert_eq!(parse_iso("yesterday"), None);
        assert_eq!(parse_loose(&serde_json::json!(1_758_763_340)), Some(1_758_763_340_000));
        assert_eq!(parse_loose(&serde_json::json!(1_758_763_340_084i64)), Some(1_758_763_340_084));
    }
}
