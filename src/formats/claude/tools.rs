//! Claude tool calls (docs/formats.md §2.6): every `tool_use` block of an assistant message is a
//! call; the `tool_result` block with the same `tool_use_id` on a later user line is its output.
//!
//! - Status: a denial when the line has `toolDenialKind` or the result's text says "The user
//!   doesn't want to proceed"; else an error when `is_error` is true; else ok. A call no result
//!   answers stays unknown.
//! - Duration, best first: the tool's own `toolUseResult.durationMs` / `durationSeconds`
//!   ([`DurationSource::EndEvent`]), read only when the line holds a single `tool_result` (the
//!   field belongs to the line, not to a block); else the result line's timestamp minus the call
//!   line's, when both are known and not reversed ([`DurationSource::Timestamps`]).
//! - Output size: the UTF-8 bytes of the result's text (a string, or the `text` of its blocks).
//! - A result that links to no open call of the file becomes a row of kind
//!   [`OUTPUT_WITHOUT_CALL`] at the result line (the same convention as the Codex adapter), so the
//!   audit can report it. A `tool_use` id seen twice in a file is one call.
//!
//! Calls are held until the file ends and emitted in line order.

use super::wire::{Block, Line, ToolTiming};
use crate::model::{DurationSource, Interner, Millis, SNIPPET_CHARS, Source, ToolCall, ToolStatus, snippet};
use rustc_hash::FxHashMap;

pub use crate::model::OUTPUT_WITHOUT_CALL;


#[derive(Default)]
pub struct ToolLinker {
    calls: Vec<ToolCall>,
    /// `tool_use` id → index in `calls`.
    by_id: FxHashMap<String, usize>,
    /// The texts the file's calls repeat (session id, tool, kind, model), held once.
    interned: Interner,
}

/// The call-side facts every `tool_use` block of one line shares.
pub struct CallLine<'a> {
    pub session_id: &'a str,
    pub src: Source,
    pub ts: Option<Millis>,
    pub model: &'a str,
}

impl ToolLinker {
    /// Record a `tool_use` block; `false` when its id was already recorded.
    pub fn call(&mut self, block: &Block, at: &CallLine) -> bool {
        let call_id = block.id.as_deref().filter(|id| !id.is_empty());
        if let Some(id) = call_id {
            if self.by_id.contains_key(id) {
                return false;
            }
            self.by_id.insert(id.to_string(), self.calls.len());
        }
        let args = block.input.map(|raw| raw.get()).unwrap_or("");
        let i = &mut self.interned;
        self.calls.push(ToolCall {
            session_id: i.get(at.session_id),
            source: at.src,
            ts_ms: at.ts,
            call_id: call_id.map(str::to_string),
            tool: i.get(block.name.as_deref().unwrap_or_default()),
            kind: i.get("tool_use"),
            args_bytes: args.len() as u64,
            args_snippet: snippet(args, SNIPPET_CHARS),
            model: Some(i.get(at.model)),
            ..ToolCall::default()
        });
        true
    }

    /// Link every `tool_result` block of a user line to its call.
    /// Returns how many result blocks the line held.
    pub fn results(&mut self, line: &Line, blocks: &[Block], src: Source, ts: Option<Millis>) -> usize {
        let results = || blocks.iter().filter(|b| b.is("tool_result"));
        let count = results().count();
        let timing = line.tool_use_result.get().filter(|_| count == 1);
        for block in results() {
            let index =
                self.open_call(block.tool_use_id.as_deref()).unwrap_or_else(|| self.orphan(line, block, src, ts));
            let Some(call) = self.calls.get_mut(index) else { continue };
            let texts = block.content.measured();
            call.output_source = Some(src);
            call.output_bytes = Some(texts.bytes);
            call.status = if line.tool_denial_kind.is_some() || texts.denial {
                ToolStatus::Denied
            } else if block.is_error {
                ToolStatus::Error
            } else {
                ToolStatus::Ok
            };
            set_duration(call, timing, ts);
        }
        count
    }

    /// Every call of the file, in line order.
    pub fn finish(&mut self) -> Vec<ToolCall> {
        self.by_id.clear();
        std::mem::take(&mut self.calls)
    }

    /// The recorded call with this id that has no output yet.
    fn open_call(&self, id: Option<&str>) -> Option<usize> {
        let index = *self.by_id.get(id?)?;
        self.calls.get(index).filter(|c| c.output_source.is_none()).map(|_| index)
    }

    fn orphan(&mut self, line: &Line, block: &Block, src: Source, ts: Option<Millis>) -> usize {
        self.calls.push(ToolCall {
            session_id: self.interned.get(line.session_id.as_deref().unwrap_or_default()),
            source: src,
            ts_ms: ts,
            call_id: block.tool_use_id.as_deref().map(str::to_string),
            tool: self.interned.get("(no call)"),
            kind: self.interned.get(OUTPUT_WITHOUT_CALL),
            ..ToolCall::default()
        });
        self.calls.len() - 1
    }
}

fn set_duration(call: &mut ToolCall, timing: Option<&ToolTiming>, result_ts: Option<Millis>) {
    let own = timing.and_then(|t| t.duration_ms.or(t.duration_seconds.map(|s| s * 1000.0)));
    let (ms, source) = match (own, call.ts_ms, result_ts) {
        (Some(ms), _, _) => (ms, DurationSource::EndEvent),
        (None, Some(t0), Some(t1)) if t1 >= t0 && *call.kind != *OUTPUT_WITHOUT_CALL => {
            (t1.saturating_sub(t0) as f64, DurationSource::Timestamps)
        }
        _ => return,
    };
    call.duration_ms = Some(ms);
    call.duration_source = Some(source);
}
