//! The fast path of the Claude adapter: one pass of [`crate::scan`] over a transcript
//! line fills the same [`Line`] that serde would (docs/formats.md §2.2–2.4), or bails.
//!
//! It mirrors the lenient readers of `lenient.rs` where the line is ordinary and bails where
//! serde's behaviour is subtle: a known key given twice (serde rejects duplicate fields), a
//! string with a surrogate escape or a number other than a plain small integer wherever serde
//! reads the value with `deserialize_any` (it decodes the one and parses the other, and either
//! may fail the line), a line that is not an object. Token counts and durations that are not
//! plain integers are read by the lenient readers themselves, from the value's span.
//!
//! Tool results are not decoded: their size and whether they hold the denial text are measured
//! while scanning ([`Measured`]). A raw occurrence of the denial text is a decoded one (it holds
//! no backslash and starts with a letter that is no escape and no hex digit), and only a `\u`
//! escape can spell one of its letters, so only results with `\u` escapes are decoded to look.

use super::lenient::{self, Obj};
use super::wire::{
    Block, CacheCreation, Content, DENIAL_TEXT, Line, Measured, Message, OutputDetails, RawText, ResultText, Text,
    ToolTiming, Usage,
};
use crate::scan::{Bail, JsonStr, Scan, Scanner, Seen};
use serde::de::IgnoredAny;
use std::borrow::Cow;

/// Read a transcript line the way `serde_json::from_slice::<Line>` would, or bail.
#[cfg(any(test, fuzzing))]
pub fn scan_line(line: &[u8]) -> Scan<Line<'_>> {
    let mut l = Line::default();
    scan_line_into(line, &mut l)?;
    Ok(l)
}

/// [`scan_line`] into a [`Line`] the caller holds, filled in place. After a bail `l` holds part
/// of the line.
pub fn scan_line_into<'a>(line: &'a [u8], l: &mut Line<'a>) -> Scan<()> {
    let mut sc = Scanner::new(line)?;
    let mut seen = Seen::default();
    sc.object(|sc, key| {
        match key {
            b"type" => l.kind = seen.once(0).and_then(|_| text(sc))?,
            b"sessionId" => l.session_id = seen.once(1).and_then(|_| text(sc))?,
            b"timestamp" => l.timestamp = seen.once(2).and_then(|_| text(sc))?,
            b"cwd" => l.cwd = seen.once(3).and_then(|_| text(sc))?,
            b"version" => l.version = seen.once(4).and_then(|_| text(sc))?,
            b"gitBranch" => l.git_branch = seen.once(5).and_then(|_| text(sc))?,
            b"entrypoint" => l.entrypoint = seen.once(6).and_then(|_| text(sc))?,
            b"agentId" => l.agent_id = seen.once(7).and_then(|_| text(sc))?,
            b"isSidechain" => l.is_sidechain = seen.once(8).and_then(|_| flag(sc))?,
            b"isMeta" => l.is_meta = seen.once(9).and_then(|_| flag(sc))?,
            b"isCompactSummary" => l.is_compact_summary = seen.once(10).and_then(|_| flag(sc))?,
            b"requestId" => l.request_id = seen.once(11).and_then(|_| text(sc))?,
            b"permissionMode" => l.permission_mode = seen.once(12).and_then(|_| text(sc))?,
            b"effort" => l.effort = seen.once(13).and_then(|_| text(sc))?,
            b"toolDenialKind" => l.tool_denial_kind = seen.once(14).and_then(|_| ignored(sc))?,
            b"message" => {
                seen.once(15)?;
                l.message = if sc.null()? { None } else { Some(object(sc, message)?) };
            }
            b"toolUseResult" => l.tool_use_result = seen.once(16).and_then(|_| object(sc, timing))?,
            _ => sc.skip()?,
        }
        Ok(())
    })?;
    sc.end()
}

/// `lenient::string`: a string, decoded; any other value reads as absent.
fn text<'a>(sc: &mut Scanner<'a>) -> Scan<Option<Cow<'a, str>>> {
    match sc.peek()? {
        b'"' => sc.string()?.cow().map(Some),
        _ => sc.skip_any().map(|_| None),
    }
}

/// `lenient::string` as a [`Text`], left undecoded.
fn lazy_text<'a>(sc: &mut Scanner<'a>) -> Scan<Option<Text<'a>>> {
    if sc.peek()? != b'"' {
        return sc.skip_any().map(|_| None);
    }
    let s = sc.string()?;
    if s.surrogate {
        return Err(Bail);
    }
    Ok(Some(if s.escaped { Text::Escaped(s.raw) } else { Text::Decoded(Cow::Borrowed(s.raw)) }))
}

/// `lenient::flag`: `true` only for JSON `true`.
fn flag(sc: &mut Scanner) -> Scan<bool> {
    let yes = sc.peek()? == b't';
    sc.skip_any()?;
    Ok(yes)
}

/// `Option<IgnoredAny>`: present unless null; the value is skipped unread.
fn ignored(sc: &mut Scanner) -> Scan<Option<IgnoredAny>> {
    if sc.null()? {
        return Ok(None);
    }
    sc.skip().map(|_| Some(IgnoredAny))
}

/// `lenient::count`: a plain integer here, anything else through the lenient reader itself.
fn tokens(sc: &mut Scanner) -> Scan<i64> {
    if let Some(n) = sc.plain_int()? {
        return Ok(n);
    }
    let raw = sc.raw()?;
    lenient::count(&mut serde_json::Deserializer::from_str(raw)).map_err(|_| Bail)
}

/// `lenient::number`, the same way.
fn seconds_or_millis(sc: &mut Scanner) -> Scan<Option<f64>> {
    if let Some(n) = sc.plain_int()? {
        return Ok(Some(n as f64));
    }
    let raw = sc.raw()?;
    lenient::number(&mut serde_json::Deserializer::from_str(raw)).map_err(|_| Bail)
}

/// [`Obj`]: an object read by `read`, or `Other` for any other value.
fn object<'a, T>(sc: &mut Scanner<'a>, read: impl FnOnce(&mut Scanner<'a>) -> Scan<T>) -> Scan<Obj<T>> {
    if sc.peek()? == b'{' {
        return read(sc).map(Obj::Object);
    }
    sc.skip_any().map(|_| Obj::Other)
}

fn message<'a>(sc: &mut Scanner<'a>) -> Scan<Message<'a>> {
    let mut m = Message { id: None, model: None, stop_reason: None, usage: Obj::Other, content: Content::Empty };
    let mut seen = Seen::default();
    sc.object(|sc, key| {
        match key {
            b"id" => m.id = seen.once(0).and_then(|_| text(sc))?,
            b"model" => m.model = seen.once(1).and_then(|_| text(sc))?,
            b"stop_reason" => m.stop_reason = seen.once(2).and_then(|_| ignored(sc))?,
            b"usage" => m.usage = seen.once(3).and_then(|_| object(sc, usage))?,
            b"content" => m.content = seen.once(4).and_then(|_| content(sc))?,
            _ => sc.skip()?,
        }
        Ok(())
    })?;
    Ok(m)
}

fn usage<'a>(sc: &mut Scanner<'a>) -> Scan<Usage<'a>> {
    let mut u = Usage {
        input_tokens: 0,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        output_tokens: 0,
        cache_creation: Obj::Other,
        output_tokens_details: Obj::Other,
        speed: None,
    };
    let mut seen = Seen::default();
    sc.object(|sc, key| {
        match key {
            b"input_tokens" => u.input_tokens = seen.once(0).and_then(|_| tokens(sc))?,
            b"cache_creation_input_tokens" => u.cache_creation_input_tokens = seen.once(1).and_then(|_| tokens(sc))?,
            b"cache_read_input_tokens" => u.cache_read_input_tokens = seen.once(2).and_then(|_| tokens(sc))?,
            b"output_tokens" => u.output_tokens = seen.once(3).and_then(|_| tokens(sc))?,
            b"cache_creation" => u.cache_creation = seen.once(4).and_then(|_| object(sc, cache_creation))?,
            b"output_tokens_details" => {
                u.output_tokens_details = seen.once(5).and_then(|_| object(sc, output_details))?;
            }
            b"speed" => u.speed = seen.once(6).and_then(|_| text(sc))?,
            _ => sc.skip()?,
        }
        Ok(())
    })?;
    Ok(u)
}

fn cache_creation(sc: &mut Scanner) -> Scan<CacheCreation> {
    let mut c = CacheCreation::ZERO;
    let mut seen = Seen::default();
    sc.object(|sc, key| {
        match key {
            b"ephemeral_5m_input_tokens" => c.ephemeral_5m_input_tokens = seen.once(0).and_then(|_| tokens(sc))?,
            b"ephemeral_1h_input_tokens" => c.ephemeral_1h_input_tokens = seen.once(1).and_then(|_| tokens(sc))?,
            _ => sc.skip()?,
        }
        Ok(())
    })?;
    Ok(c)
}

fn output_details(sc: &mut Scanner) -> Scan<OutputDetails> {
    let mut d = OutputDetails::ZERO;
    let mut seen = Seen::default();
    sc.object(|sc, key| {
        match key {
            b"thinking_tokens" => d.thinking_tokens = seen.once(0).and_then(|_| tokens(sc))?,
            _ => sc.skip()?,
        }
        Ok(())
    })?;
    Ok(d)
}

fn timing(sc: &mut Scanner) -> Scan<ToolTiming> {
    let mut t = ToolTiming { duration_ms: None, duration_seconds: None };
    let mut seen = Seen::default();
    sc.object(|sc, key| {
        match key {
            b"durationMs" => t.duration_ms = seen.once(0).and_then(|_| seconds_or_millis(sc))?,
            b"durationSeconds" => t.duration_seconds = seen.once(1).and_then(|_| seconds_or_millis(sc))?,
            _ => sc.skip()?,
        }
        Ok(())
    })?;
    Ok(t)
}

/// [`Content`]: a string, a list whose objects are blocks, or nothing.
fn content<'a>(sc: &mut Scanner<'a>) -> Scan<Content<'a>> {
    match sc.peek()? {
        b'"' => sc.string()?.cow().map(Content::Text),
        b'[' => {
            let mut blocks = Vec::new();
            sc.array(|sc| {
                if sc.peek()? == b'{' {
                    blocks.push(block(sc)?);
                    Ok(())
                } else {
                    sc.skip_any()
                }
            })?;
            Ok(Content::Blocks(blocks))
        }
        // An object is drained unread.
        b'{' => sc.skip().map(|_| Content::Empty),
        _ => sc.skip_any().map(|_| Content::Empty),
    }
}

fn block<'a>(sc: &mut Scanner<'a>) -> Scan<Block<'a>> {
    let mut b = Block {
        kind: None,
        text: None,
        id: None,
        name: None,
        input: None,
        tool_use_id: None,
        content: ResultText::default(),
        is_error: false,
    };
    let mut seen = Seen::default();
    sc.object(|sc, key| {
        match key {
            b"type" => b.kind = seen.once(0).and_then(|_| text(sc))?,
            b"text" => b.text = seen.once(1).and_then(|_| lazy_text(sc))?,
            b"id" => b.id = seen.once(2).and_then(|_| text(sc))?,
            b"name" => b.name = seen.once(3).and_then(|_| text(sc))?,
            b"input" => {
                seen.once(4)?;
                b.input = if sc.null()? { None } else { Some(RawText(sc.raw()?)) };
            }
            b"tool_use_id" => b.tool_use_id = seen.once(5).and_then(|_| text(sc))?,
            b"content" => b.content = seen.once(6).and_then(|_| result_text(sc))?,
            b"is_error" => b.is_error = seen.once(7).and_then(|_| flag(sc))?,
            _ => sc.skip()?,
        }
        Ok(())
    })?;
    Ok(b)
}

/// [`ResultText`], measured instead of kept: a string, or the `text` of each object of a list.
fn result_text<'a>(sc: &mut Scanner<'a>) -> Scan<ResultText<'a>> {
    let measured = match sc.peek()? {
        b'"' => measure(sc.string()?)?,
        b'[' => {
            let mut all = Measured::default();
            sc.array(|sc| {
                if sc.peek()? != b'{' {
                    return sc.skip_any();
                }
                let mut seen = Seen::default();
                sc.object(|sc, key| match key {
                    b"text" => {
                        seen.once(0)?;
                        if sc.peek()? == b'"' {
                            let one = measure(sc.string()?)?;
                            all.bytes += one.bytes;
                            all.denial |= one.denial;
                            Ok(())
                        } else {
                            sc.skip_any()
                        }
                    }
                    _ => sc.skip(),
                })
            })?;
            all
        }
        b'{' => {
            sc.skip()?;
            Measured::default()
        }
        _ => {
            sc.skip_any()?;
            Measured::default()
        }
    };
    Ok(ResultText(Vec::new(), Some(measured)))
}

/// The size of a result text and whether it holds the denial text (see the module doc).
fn measure(s: JsonStr) -> Scan<Measured> {
    if s.surrogate {
        return Err(Bail);
    }
    let denial = s.raw.contains(DENIAL_TEXT) || (s.unicode && s.cow()?.contains(DENIAL_TEXT));
    Ok(Measured { bytes: s.decoded_len as u64, denial })
}

/// The differential check of the fast path against serde, shared by the unit tests and the
/// fuzz targets (cargo-fuzz builds with `--cfg fuzzing`; see docs/fuzzing.md).
#[cfg(any(test, fuzzing))]
pub mod differential {
    use super::*;

    fn obj<T>(o: &Obj<T>, show: impl Fn(&T) -> String) -> String {
        match o {
            Obj::Object(t) => format!("{{{}}}", show(t)),
            Obj::Other => "other".into(),
        }
    }

    /// Everything the adapter can read of a line, to compare both readers.
    fn describe(l: &Line) -> String {
        let message = |m: &Message| {
            let usage = obj(&m.usage, |u| {
                let cache = obj(&u.cache_creation, |c| format!("{} {}", c.ephemeral_5m_input_tokens, c.ephemeral_1h_input_tokens));
                let details = obj(&u.output_tokens_details, |d| d.thinking_tokens.to_string());
                let counts = [u.input_tokens, u.cache_creation_input_tokens, u.cache_read_input_tokens, u.output_tokens];
                format!("{counts:?} {cache} {details} {:?}", u.speed)
            });
            let content = match &m.content {
                Content::Text(t) => format!("text {t:?}"),
                Content::Empty => "empty".into(),
                Content::Blocks(blocks) => blocks
                    .iter()
                    .map(|b| {
                        format!(
                            "[{:?} {:?} {:?} {:?} {:?} {:?} {:?} {}]",
                            b.kind,
                            b.text.as_ref().map(|t| t.get()),
                            b.id,
                            b.name,
                            b.input,
                            b.tool_use_id,
                            b.content.measured(),
                            b.is_error
                        )
                    })
                    .collect(),
            };
            format!("{:?} {:?} {} {usage} {content}", m.id, m.model, m.stop_reason.is_some())
        };
        let strings = [
            &l.kind, &l.session_id, &l.timestamp, &l.cwd, &l.version, &l.git_branch, &l.entrypoint, &l.agent_id, &l.request_id,
            &l.permission_mode, &l.effort,
        ];
        let flags = [l.is_sidechain, l.is_meta, l.is_compact_summary, l.tool_denial_kind.is_some()];
        let msg = l.message.as_ref().map(|m| obj(m, message));
        let timing = obj(&l.tool_use_result, |t| format!("{:?} {:?}", t.duration_ms, t.duration_seconds));
        format!("{strings:?} {flags:?} {msg:?} {timing}")
    }

    /// Whatever the scanner accepts, serde accepts with the same fields.
    pub fn agrees(line: &[u8]) -> bool {
        let fast = scan_line(line);
        let slow = serde_json::from_slice::<Line>(line);
        let shown = String::from_utf8_lossy(line);
        match (&fast, &slow) {
            (Ok(f), Ok(s)) => assert_eq!(describe(f), describe(s), "{shown}"),
            (Ok(_), Err(e)) => panic!("fast path accepted a line serde rejects ({e}): {shown}"),
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
    fn fast_lines_read_like_serde() {
        // (line, whether the fast path takes it)
        let table: &[(&str, bool)] = &[
            (r#"{"type":"assistant","sessionId":"s","message":{"id":"m","model":"claude","usage":{"input_tokens":3,"output_tokens":"7","cache_creation":{"ephemeral_1h_input_tokens":2.9}},"content":[{"type":"tool_use","id":"t","name":"Bash","input":{"command":"ls"}},"junk",7]},"requestId":"r"}"#, true),
            (r#"{"type":"user","message":{"content":[{"type":"tool_result","tool_use_id":"t","content":"The user doesn't want to proceed\n"}]},"toolUseResult":{"durationMs":250}}"#, true),
            (r#"{"type":"user","message":{"content":[{"type":"tool_result","content":[{"type":"text","text":"The user doesn\u0027t want to proceed"},{"text":5},"x"]}]}}"#, true),
            (r#"{"type":"user","message":{"content":"plain \"quoted\""},"isMeta":1,"isSidechain":"true","toolUseResult":{"durationSeconds":1.25}}"#, true),
            (r#"{"type":"assistant","message":{"usage":[1,2],"content":{"a":1},"stop_reason":null},"toolDenialKind":{"k":1}}"#, true),
            (r#"{"type":7,"message":"text","cwd":["a"],"version":{"v":1}}"#, true),
            // Bails: serde decides.
            (r#"{"type":"user","type":"user"}"#, false),
            (r#"{"type":"assistant","message":{"usage":{"output_tokens":1,"output_tokens":2}}}"#, false),
            (r#"{"type":"user","message":{"content":[{"type":"text","text":"\ud800"}]}}"#, false),
            (r#"{"type":"user","cwd":1e999}"#, false),
            (r#"{"type":"user","isMeta":-0}"#, false),
            (r#"[{"type":"user"}]"#, false),
            (r#""just a string""#, false),
        ];
        for (line, fast) in table {
            assert_eq!(agrees(line.as_bytes()), *fast, "{line}");
        }
    }

    #[test]
    fn real_lines_and_their_mutations_read_like_serde() {
        let lines = crate::scan::mutate::sample_lines("claude", "claude-code");
        assert!(lines.len() > 20, "fixtures missing");
        let taken = lines.iter().filter(|l| agrees(l)).count();
        let object = |l: &[u8]| l.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
        let valid = lines.iter().filter(|l| object(l) && serde_json::from_slice::<Line>(l).is_ok()).count();
        // The fast path reads every valid line of these files itself (serde would also read a
        // list as a line; the adapter calls that malformed before asking it).
        assert_eq!(taken, valid);
        let mut mutated = 0;
        let mut fast = 0;
        for (i, line) in lines.iter().enumerate() {
            for v in crate::scan::mutate::variants(line, i as u64, 60) {
                mutated += 1;
                fast += usize::from(agrees(&v));
            }
        }
        assert!(fast > mutated / 20, "{fast} of {mutated}");
    }
}
