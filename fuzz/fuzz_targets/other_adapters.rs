//! The smaller adapters: Gemini (JSONL and JSON), tool-audit, relay calls, Codex G1 and G0. The
//! first byte picks the adapter, the rest is its input (one or more files, see `files`).
#![no_main]
use agent_ledger::model::Format;
use libfuzzer_sys::fuzz_target;

const FORMATS: [Format; 6] = [
    Format::GeminiJsonl,
    Format::GeminiJson,
    Format::ToolAudit,
    Format::RelayCalls,
    Format::CodexG1,
    Format::CodexG0,
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let format = FORMATS[usize::from(pick) % FORMATS.len()];
    agent_ledger_fuzz::run_adapter(format, rest, |_| {});
});
