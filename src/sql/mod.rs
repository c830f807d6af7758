//! The SQL console (`#/sql`): GlueSQL over the datasets, in a Web Worker of its own
//! (`agent-ledger-sql`, built from `src/bin/sql_worker.rs`) that the page starts on the first
//! visit to `#/sql`, so the engine's 4.5 MB of wasm (1.4 MB gzip) never slows the page's first load.
//!
//! The page asks the engine's worker for the datasets as typed columns
//! ([`crate::export::tables`]), hands the bytes to the SQL worker ([`SqlCommand::Load`]), then
//! runs queries there. The [`protocol`] builds everywhere (the page speaks it); the engine
//! ([`console`]) and its message loop only with the `sql` feature, which only the SQL worker's
//! build and `cargo test --features sql` turn on.

pub mod protocol;

#[cfg(feature = "sql")]
pub mod console;
#[cfg(all(feature = "sql", target_arch = "wasm32"))]
mod host;

pub use protocol::{SqlAnswer, SqlCommand};

#[cfg(all(feature = "sql", target_arch = "wasm32"))]
pub use host::start;
