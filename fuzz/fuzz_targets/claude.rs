//! Claude Code transcript lines (and the dedup across files) through the Claude adapter; on
//! every line, the fast path must read what serde reads or bail (`fast_path_agrees` panics
//! otherwise).
#![no_main]
use agent_ledger::formats::claude;
use agent_ledger::model::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    agent_ledger_fuzz::run_adapter(Format::ClaudeCode, data, |line| {
        claude::fast_path_agrees(line);
    });
});
