//! The engine's Web Worker: reads and parses the files and answers the page's questions.
//! Built by Trunk beside the page (`data-type="worker"` in index.html).

#[cfg(target_arch = "wasm32")]
fn main() {
    agent_ledger::worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("agent-ledger-worker runs inside the page (a Web Worker); build the page with ./scripts/serve.sh.");
}
