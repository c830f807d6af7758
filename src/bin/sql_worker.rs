//! The SQL console's Web Worker (GlueSQL over the datasets, `crate::sql`). Built by Trunk beside
//! the page with the `sql` feature (index.html), and started by the page only on the first visit
//! to `#/sql`, so its wasm is not part of the page's first load.

#[cfg(target_arch = "wasm32")]
fn main() {
    agent_ledger::sql::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("agent-ledger-sql runs inside the page (a Web Worker behind #/sql); build the page with ./scripts/serve.sh.");
}
