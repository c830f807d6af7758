//! Codex rollout lines (and forks across files) through the Codex adapter; on every line, the
//! fast path must read what serde reads or bail (`fast_path_agrees` panics otherwise).
#![no_main]
use agent_ledger::formats::codex;
use agent_ledger::model::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    agent_ledger_fuzz::run_adapter(Format::CodexRollout, data, |line| {
        codex::fast_path_agrees(line);
    });
});
