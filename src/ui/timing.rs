//! Performance marks (`performance.mark`) at the steps of a load, for the in-browser benchmark
//! (tests/browser/bench.mjs) and anyone profiling the page in DevTools. Named `agent-ledger:*`.

/// Mark that a step of a load has just finished.
pub fn mark(step: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(&format!("agent-ledger:{step}"));
    }
}
