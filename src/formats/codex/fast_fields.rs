//! Fast readers for the JSON values inside Codex payload fields that every usage row and every
//! JSON-string tool output needs: `info` ([`Info`]), `rate_limits` ([`RateLimits`]) and the
//! `metadata` of a 0.4x shell output. Each reads exactly what the serde structs of `wire.rs` (or
//! `tools.rs`) would, or bails, and the caller then asks serde.
//!
//! Serde's typed fields are strict, so these are too: a token count must be an integer (a float,
//! a string or null fails the whole value in serde: bail), a known key twice fails (bail), a
//! struct written as a list is read by position (bail). Integers are read exactly when plain and
//! at most 18 digits long; other numbers go to serde's own number parser, so that every float
//! is rounded as serde rounds it.

use super::wire::{Info, RateLimits, Usage, Window};
use crate::scan::{Bail, Scan, Scanner, Seen};

/// `Option<T>` of a typed serde field: null reads as `None`, anything else through `read`.
fn optional<'a, T>(sc: &mut Scanner<'a>, read: impl FnOnce(&mut Scanner<'a>) -> Scan<T>) -> Scan<Option<T>> {
    if sc.null()? { Ok(None) } else { read(sc).map(Some) }
}

/// An `i64` field: a plain integer, else bail.
fn integer(sc: &mut Scanner) -> Scan<i64> {
    sc.small_int()
}

/// An `f64` field: integers exactly, other numbers by serde's parser; anything else bails.
fn float(sc: &mut Scanner) -> Scan<f64> {
    if !matches!(sc.peek()?, b'-' | b'0'..=b'9') {
        return Err(Bail);
    }
    if let Some(n) = sc.plain_int()? {
        return Ok(n as f64);
    }
    let raw = sc.raw()?;
    serde_json::from_str::<f64>(raw).map_err(|_| Bail)
}

/// `decode::<Info>(raw)`, read by the scanner: `Ok(None)` when absent.
pub fn info(raw: Option<&str>) -> Scan<Option<Info>> {
    let Some(raw) = raw else { return Ok(None) };
    let mut sc = Scanner::of_str(raw);
    let info = info_at(&mut sc)?;
    sc.end()?;
    Ok(Some(info))
}

/// An [`Info`] object at the scanner's position (the line scanner reads it in passing).
pub fn info_at(sc: &mut Scanner) -> Scan<Info> {
    let mut info = Info::default();
    let mut seen = Seen::default();
    sc.object(|sc, key| {
        match key {
            b"total_token_usage" => info.total_token_usage = seen.once(0).and_then(|_| optional(sc, usage))?,
            b"last_token_usage" => info.last_token_usage = seen.once(1).and_then(|_| optional(sc, usage))?,
            b"model_context_window" => info.model_context_window = seen.once(2).and_then(|_| optional(sc, integer))?,
            _ => sc.skip()?,
        }
        Ok(())
    })?;
    Ok(info)
}

fn usage(sc: &mut Scanner) -> Scan<Usage> {
    let mut u = Usage::default();
    let mut seen = Seen::default();
    sc.object(|sc, key| {
        match key {
            b"input_tokens" => u.input_tokens = seen.once(0).and_then(|_| integer(sc))?,
            b"cached_input_tokens" => u.cached_input_tokens = seen.once(1).and_then(|_| integer(sc))?,
            b"output_tokens" => u.output_tokens = seen.once(2).and_then(|_| integer(sc))?,
            b"reasoning_output_tokens" => u.reasoning_output_tokens = seen.once(3).and_then(|_| integer(sc))?,
            b"total_tokens" => u.total_tokens = seen.once(4).and_then(|_| integer(sc))?,
            b"cache_write_input_tokens" => u.cache_write_input_tokens = seen.once(5).and_then(|_| integer(sc))?,
            _ => sc.skip()?,
        }
        Ok(())
    })?;
    Ok(u)
}

/// `decode::<RateLimits>(raw)`, read by the scanner: `Ok(None)` when absent.
pub fn rate_limits(raw: Option<&str>) -> Scan<Option<RateLimits>> {
    let Some(raw) = raw else { return Ok(None) };
    let mut sc = Scanner::of_str(raw);
    let limits = rate_limits_at(&mut sc)?;
    sc.end()?;
    Ok(Some(limits))
}

/// A [`RateLimits`] object at the scanner's position.
pub fn rate_limits_at(sc: &mut Scanner) -> Scan<RateLimits> {
    let mut limits = RateLimits::default();
    let mut seen = Seen::default();
    sc.object(|sc, key| {
        match key {
            b"primary" => limits.primary = seen.once(0).and_then(|_| optional(sc, window))?,
            b"secondary" => limits.secondary = seen.once(1).and_then(|_| optional(sc, window))?,
            b"primary_used_percent" => limits.primary_used_percent = seen.once(2).and_then(|_| optional(sc, float))?,
            b"secondary_used_percent" => {
                limits.secondary_used_percent = seen.once(3).and_then(|_| optional(sc, float))?;
            }
            _ => sc.skip()?,
        }
        Ok(())
    })?;
    Ok(limits)
}

fn window(sc: &mut Scanner) -> Scan<Window> {
    let mut w = Window::default();
    let mut seen = Seen::default();
    sc.object(|sc, key| {
        match key {
            b"used_percent" => w.used_percent = seen.once(0).and_then(|_| optional(sc, float))?,
            _ => sc.skip()?,
        }
        Ok(())
    })?;
    Ok(w)
}

/// [`shell_metadata`] read by serde: what the fast reader must agree with, and what reads the
/// outputs it bails on. `None` when the document is not such an object or has no metadata.
pub fn shell_metadata_by_serde(doc: &str) -> Option<(Option<i64>, Option<f64>)> {
    #[derive(serde::Deserialize)]
    struct Meta {
        exit_code: Option<i64>,
        duration_seconds: Option<f64>,
    }
    #[derive(serde::Deserialize)]
    struct Shell {
        #[serde(default)]
        metadata: Option<Meta>,
    }
    match serde_json::from_str::<Shell>(doc) {
        Ok(Shell { metadata: Some(m) }) => Some((m.exit_code, m.duration_seconds)),
        _ => None,
    }
}

/// The `metadata` of a JSON-string shell output (`{"output": …, "metadata": {"exit_code": 0,
/// "duration_seconds": 1.2}}`): its exit code and duration when present and an object,
/// `Ok(None)` when absent or null.
pub fn shell_metadata(doc: &str) -> Scan<Option<(Option<i64>, Option<f64>)>> {
    let mut sc = Scanner::of_str(doc);
    let mut meta = None;
    let mut seen = Seen::default();
    sc.object(|sc, key| {
        match key {
            b"metadata" => {
                seen.once(0)?;
                meta = optional(sc, |sc| {
                    let (mut code, mut secs) = (None, None);
                    let mut seen = Seen::default();
                    sc.object(|sc, key| {
                        match key {
                            b"exit_code" => code = seen.once(0).and_then(|_| optional(sc, integer))?,
                            b"duration_seconds" => secs = seen.once(1).and_then(|_| optional(sc, float))?,
                            _ => sc.skip()?,
                        }
                        Ok(())
                    })?;
                    Ok((code, secs))
                })?;
            }
            _ => sc.skip()?,
        }
        Ok(())
    })?;
    sc.end()?;
    Ok(meta)
}

#[cfg(test)]
mod tests {
    use super::super::wire::decode;
    use super::*;

    fn show_info(i: &Option<Info>) -> String {
        i.as_ref().map_or("none".into(), |i| format!("{:?} {:?} {:?}", i.total_token_usage, i.last_token_usage, i.model_context_window))
    }

    fn show_limits(l: &Option<RateLimits>) -> String {
        let w = |w: &Option<Window>| w.as_ref().map(|w| w.used_percent);
        l.as_ref().map_or("none".into(), |l| {
            format!("{:?} {:?} {:?} {:?}", w(&l.primary), w(&l.secondary), l.primary_used_percent, l.secondary_used_percent)
        })
    }

    #[test]
    fn info_reads_like_serde_or_bails() {
        // (raw, whether the scanner reads it)
        let table: &[(&str, bool)] = &[
            (r#"{"total_token_usage":{"input_tokens":10,"cached_input_tokens":2,"output_tokens":3,"reasoning_output_tokens":1,"total_tokens":13},"last_token_usage":null,"model_context_window":272000}"#, true),
            (r#"{"total_token_usage":{"input_tokens":-5,"extra":[1.5,"x"]},"other":{}}"#, true),
            (r#"{}"#, true),
            (r#"{"total_token_usage":{"input_tokens":1.5}}"#, false),
            (r#"{"total_token_usage":{"input_tokens":"5"}}"#, false),
            (r#"{"total_token_usage":{"input_tokens":null}}"#, false),
            (r#"{"total_token_usage":{"input_tokens":1,"input_tokens":2}}"#, false),
            (r#"{"total_token_usage":[1,2,3,4,5]}"#, false),
            (r#"{"model_context_window":99999999999999999999}"#, false),
            (r#"[{"input_tokens":1}]"#, false),
        ];
        for (raw, fast) in table {
            let got = info(Some(raw));
            assert_eq!(got.is_ok(), *fast, "{raw}");
            if let Ok(got) = got {
                assert_eq!(show_info(&got), show_info(&decode::<Info>(Some(raw))), "{raw}");
            }
        }
        assert!(matches!(info(None), Ok(None)));
    }

    #[test]
    fn rate_limits_read_like_serde_or_bail() {
        let table: &[(&str, bool)] = &[
            (r#"{"primary":{"used_percent":12.5,"window_minutes":300},"secondary":{"used_percent":3},"plan_type":null}"#, true),
            (r#"{"primary_used_percent":0.1,"secondary_used_percent":99.99999999999999999}"#, true),
            (r#"{"primary":null,"secondary":{"used_percent":null}}"#, true),
            (r#"{"primary":{"used_percent":"12"}}"#, false),
            (r#"{"primary":{"used_percent":1},"primary":null}"#, false),
        ];
        for (raw, fast) in table {
            let got = rate_limits(Some(raw));
            assert_eq!(got.is_ok(), *fast, "{raw}");
            if let Ok(got) = got {
                assert_eq!(show_limits(&got), show_limits(&decode::<RateLimits>(Some(raw))), "{raw}");
            }
        }
    }

    #[test]
    fn shell_metadata_reads_like_serde_or_bails() {
        let table: &[(&str, bool)] = &[
            (r#"{"output":"ok\n","metadata":{"exit_code":0,"duration_seconds":1.25}}"#, true),
            (r#"{"metadata":{"exit_code":2}}"#, true),
            (r#"{"metadata":null,"output":"x"}"#, true),
            (r#"{"output":"no metadata"}"#, true),
            (r#"{"metadata":{"exit_code":1.5}}"#, false),
            (r#"{"metadata":{},"metadata":{}}"#, false),
            (r#"{"output":"x"} trailing"#, false),
            (r#"{"output":"cut"#, false),
        ];
        for (doc, fast) in table {
            let got = shell_metadata(doc);
            assert_eq!(got.is_ok(), *fast, "{doc}");
            if let Ok(got) = got {
                assert_eq!(got, shell_metadata_by_serde(doc), "{doc}");
            }
        }
    }
}
