//! The fast path of the Codex adapter: one pass of [`crate::scan`] over a rollout line
//! fills the same [`Line`] and [`Payload`] that serde would (docs/formats.md §1.3), or bails.
//!
//! It mirrors what the serde derive accepts, and bails on everything else: a line that is not an
//! object, `timestamp`/`type` (top level or payload) that are neither a string nor null, a
//! `payload` that is not an object or null, a known key given twice (serde rejects duplicate
//! fields, even after a null), a string to decode with a surrogate escape. Unknown keys are
//! skipped after validation, as serde skips them. Payload fields are raw JSON spans, exactly
//! the text serde's `RawValue` would hold (null reads as absent in both).

use super::fast_fields;
use super::wire::{Line, Payload};
use crate::scan::{Bail, Scan, Scanner};
use std::borrow::Cow;

/// Read a rollout line the way `serde_json::from_slice::<Line>` would, or bail.
#[cfg(any(test, fuzzing))]
pub fn scan_line(line: &[u8]) -> Scan<Line<'_>> {
    let mut out = Line { timestamp: None, kind: None, payload: None };
    scan_line_into(line, &mut out)?;
    Ok(out)
}

/// [`scan_line`] into a [`Line`] the caller holds (the payload is a few hundred bytes of spans:
/// filled in place, not moved). After a bail `out` holds part of the line.
pub fn scan_line_into<'a>(line: &'a [u8], out: &mut Line<'a>) -> Scan<()> {
    let mut sc = Scanner::new(line)?;
    let mut seen = 0u8;
    sc.object(|sc, key| {
        let bit = match key {
            b"timestamp" => 1,
            b"type" => 2,
            b"payload" => 4,
            _ => return sc.skip(),
        };
        once(&mut seen, bit)?;
        match bit {
            1 => out.timestamp = text_or_null(sc)?,
            2 => out.kind = text_or_null(sc)?,
            _ => {
                out.payload = None;
                if !sc.null()? {
                    scan_payload(sc, out.payload.insert(Payload::default()))?;
                }
            }
        }
        Ok(())
    })?;
    sc.end()
}

/// Mark a known field as seen; a second sighting bails (serde's "duplicate field").
#[inline]
fn once<T: Copy + std::ops::BitAnd<Output = T> + std::ops::BitOrAssign + PartialEq + Default>(seen: &mut T, bit: T) -> Scan<()> {
    if *seen & bit != T::default() {
        return Err(Bail);
    }
    *seen |= bit;
    Ok(())
}

/// `Option<Cow<str>>`: a string (decoded) or null.
fn text_or_null<'a>(sc: &mut Scanner<'a>) -> Scan<Option<Cow<'a, str>>> {
    sc.string_or_null()?.map(|s| s.cow()).transpose()
}

/// Every payload field but `type` is raw JSON; the field list is the one of [`Payload`].
fn scan_payload<'a>(sc: &mut Scanner<'a>, p: &mut Payload<'a>) -> Scan<()> {
    let mut seen = 0u64;
    sc.object(|sc, key| {
        let (bit, slot): (u64, &mut Option<&'a str>) = match key {
            b"type" => {
                once(&mut seen, 1)?;
                p.kind = text_or_null(sc)?;
                return Ok(());
            }
            b"id" => (1 << 1, &mut p.id),
            b"timestamp" => (1 << 2, &mut p.timestamp),
            b"cwd" => (1 << 3, &mut p.cwd),
            b"originator" => (1 << 4, &mut p.originator),
            b"cli_version" => (1 << 5, &mut p.cli_version),
            b"source" => (1 << 6, &mut p.source),
            b"git" => (1 << 7, &mut p.git),
            b"forked_from_id" => (1 << 8, &mut p.forked_from_id),
            b"parent_thread_id" => (1 << 9, &mut p.parent_thread_id),
            b"model_provider" => (1 << 10, &mut p.model_provider),
            b"model" => (1 << 11, &mut p.model),
            b"effort" => (1 << 12, &mut p.effort),
            b"approval_policy" => (1 << 13, &mut p.approval_policy),
            b"sandbox_policy" => (1 << 14, &mut p.sandbox_policy),
            b"turn_id" => (1 << 15, &mut p.turn_id),
            b"info" => {
                // Read in passing: token counts are what the adapter reads most.
                once(&mut seen, 1 << 16)?;
                if !sc.null()? {
                    let (raw, read) = sc.raw_read(fast_fields::info_at)?;
                    (p.info, p.info_read) = (Some(raw), read);
                }
                return Ok(());
            }
            b"rate_limits" => {
                once(&mut seen, 1 << 17)?;
                if !sc.null()? {
                    let (raw, read) = sc.raw_read(fast_fields::rate_limits_at)?;
                    (p.rate_limits, p.rate_limits_read) = (Some(raw), read);
                }
                return Ok(());
            }
            b"message" => (1 << 18, &mut p.message),
            b"name" => (1 << 19, &mut p.name),
            b"namespace" => (1 << 20, &mut p.namespace),
            b"arguments" => (1 << 21, &mut p.arguments),
            b"input" => (1 << 22, &mut p.input),
            b"call_id" => (1 << 23, &mut p.call_id),
            b"output" => {
                once(&mut seen, 1 << 24)?;
                if !sc.null()? {
                    let (raw, len) = sc.raw_measured()?;
                    p.output = Some(raw);
                    p.output_len = len.map(|n| n as u64);
                }
                return Ok(());
            }
            b"status" => (1 << 25, &mut p.status),
            b"action" => (1 << 26, &mut p.action),
            b"duration" => (1 << 27, &mut p.duration),
            b"exit_code" => (1 << 28, &mut p.exit_code),
            b"success" => (1 << 29, &mut p.success),
            b"result" => (1 << 30, &mut p.result),
            b"item" => (1 << 31, &mut p.item),
            b"role" => (1 << 32, &mut p.role),
            b"content" => (1 << 33, &mut p.content),
            _ => return sc.skip(),
        };
        once(&mut seen, bit)?;
        *slot = if sc.null()? { None } else { Some(sc.raw()?) };
        Ok(())
    })
}

/// The differential check of the fast path against serde, shared by the unit tests and the
/// fuzz targets (cargo-fuzz builds with `--cfg fuzzing`; see docs/fuzzing.md).
#[cfg(any(test, fuzzing))]
pub mod differential {
    use super::*;

    /// The payload's raw spans, in order.
    type Raws<'l> = [Option<&'l str>; 33];

    /// The fields of a line (`timestamp`, `type`, then the payload's `type` and raw spans), to
    /// compare both readers: compared as they are, not as formatted text (formatting every field
    /// of every line twice was a third of the codex fuzz target's time).
    fn fields<'l>(l: &'l Line) -> (Option<&'l str>, Option<&'l str>, Option<(Option<&'l str>, Raws<'l>)>) {
        let payload = l.payload.as_ref().map(|p| {
            let raws = [
                p.id, p.timestamp, p.cwd, p.originator, p.cli_version, p.source, p.git, p.forked_from_id, p.parent_thread_id,
                p.model_provider, p.model, p.effort, p.approval_policy, p.sandbox_policy, p.turn_id, p.info, p.rate_limits,
                p.message, p.name, p.namespace, p.arguments, p.input, p.call_id, p.output, p.status, p.action, p.duration,
                p.exit_code, p.success, p.result, p.item, p.role, p.content,
            ];
            (p.kind.as_deref(), raws)
        });
        (l.timestamp.as_deref(), l.kind.as_deref(), payload)
    }

    /// Whatever the scanner accepts, serde accepts with the same fields.
    pub fn agrees(line: &[u8]) -> bool {
        let fast = scan_line(line);
        let slow = serde_json::from_slice::<Line>(line);
        // The line as text, for a failure's message only.
        let shown = || String::from_utf8_lossy(line);
        match (&fast, &slow) {
            (Ok(f), Ok(s)) => {
                assert_eq!(fields(f), fields(s), "{}", shown());
                // What the scanner read in passing is what serde reads from the span.
                if let Some(p) = &f.payload {
                    if let Some(read) = &p.info_read {
                        let serde = super::super::wire::decode::<super::super::wire::Info>(p.info);
                        assert_eq!(format!("{:?}", Some(read)), format!("{serde:?}"), "{}", shown());
                    }
                    if let Some(read) = &p.rate_limits_read {
                        let serde = super::super::wire::decode::<super::super::wire::RateLimits>(p.rate_limits);
                        assert_eq!(format!("{:?}", Some(read)), format!("{serde:?}"), "{}", shown());
                    }
                }
                // The measured output length is the decoded one.
                if let Some(len) = f.payload.as_ref().and_then(|p| p.output_len) {
                    let decoded = super::super::wire::text(f.payload.as_ref().and_then(|p| p.output));
                    assert_eq!(decoded.map(|t| t.len() as u64), Some(len), "{}", shown());
                }
            }
            (Ok(_), Err(e)) => panic!("fast path accepted a line serde rejects ({e}): {}", shown()),
            _ => {}
        }
        fast.is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use differential::agrees;

    #[test]
    fn real_lines_and_their_mutations_read_like_serde() {
        let lines = crate::scan::mutate::sample_lines("codex", "codex-rollout");
        assert!(lines.len() > 50, "fixtures missing");
        let taken = lines.iter().filter(|l| agrees(l)).count();
        let valid = lines.iter().filter(|l| serde_json::from_slice::<Line>(l).is_ok()).count();
        // The fast path reads every valid line of these files itself.
        assert_eq!(taken, valid);
        let mut mutated = 0;
        let mut fast = 0;
        for (i, line) in lines.iter().enumerate() {
            for v in crate::scan::mutate::variants(line, i as u64, 40) {
                mutated += 1;
                fast += usize::from(agrees(&v));
            }
        }
        // Many mutations stay valid JSON, and some of those the fast path still reads.
        assert!(fast > mutated / 20, "{fast} of {mutated}");
    }

    #[test]
    fn fast_lines_read_like_serde() {
        // (line, whether the fast path takes it)
        let table: &[(&str, bool)] = &[
            (r#"{"timestamp":"2025-09-25T01:22:20.084Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":5}},"rate_limits":null}}"#, true),
            (r#"{ "type" : "response_item" , "payload" : { "type" : "function_call_output" , "call_id" : "c1" , "output" : "a\nb" } }"#, true),
            (r#"{"type":"turn_context","payload":{"model":"gpt-5","sandbox_policy":{"mode":"read-only"},"x":[1,{"y":null}]}}"#, true),
            (r#"{"type":"x","payload":null,"extra":{"deep":[[[]]]}}"#, true),
            (r#"{"type":"a\u00e9","timestamp":null}"#, true),
            (r#"{}"#, true),
            // Bails: serde decides.
            (r#"{"type":"x","type":"y"}"#, false),
            (r#"{"type":"x","payload":{"output":null,"output":"again"}}"#, false),
            (r#"{"type":5}"#, false),
            (r#"{"timestamp":["x"]}"#, false),
            (r#"{"type":"x","payload":"text"}"#, false),
            (r#"{"type":"x","payload":["event_msg"]}"#, false),
            (r#"["2025-09-25","event_msg",{}]"#, false),
            (r#"{"type":"x","payload":{"type":7}}"#, false),
            (r#"{"ty\u0070e":"x"}"#, false),
            (r#"{"type":"\ud83d\ude00"}"#, false),
            (r#"{"type":"x"} trailing"#, false),
            (r#"{"type":"x","#, false),
            ("{\"type\":\"x\",\"payload\":{\"output\":\"\u{1}\"}}", false),
        ];
        for (line, fast) in table {
            assert_eq!(agrees(line.as_bytes()), *fast, "{line}");
        }
    }

    #[test]
    fn invalid_utf8_is_left_to_serde() {
        let line = b"{\"type\":\"x\",\"junk\":\"\xff\"}";
        assert_eq!(scan_line(line).err(), Some(Bail));
        // serde skips the unknown field without checking its UTF-8.
        assert!(serde_json::from_slice::<Line>(line).is_ok());
    }
}
