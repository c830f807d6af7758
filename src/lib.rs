//! Agent Ledger's core: the session logs of AI coding agents in, audited tables out.
//!
//! Data flows one way: files → [`ingest`] (with one adapter per format in [`formats`]) →
//! normalized [`model::Tables`] → [`filter`] and [`redact`] → [`audit`] and [`rollup`] (priced by
//! [`pricing`]) → [`export`]; the [`query`] engine answers the views from there.
//! Imports run the same way: ingest → formats → `scan` (the JSON line scanner, a leaf), with
//! [`model`] below all three; `tests/layering/` holds the rules.
//! Nothing here knows about the browser; the page in [`ui`] (wasm32 only) sits on top, and so
//! does its command-line twin in [`cli`] (native only).
//!
//! ```
//! let log = br#"{"timestamp":"2025-09-25T01:22:20.084Z","type":"turn_context","payload":{"cwd":"/p","model":"gpt-5-codex"}}"#;
//! let ledger = agent_ledger::ingest::ingest_all([("rollout.jsonl", &log[..])]);
//! assert_eq!(ledger.report.files[0].parsed, 1);
//! ```

pub mod audit;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
pub mod export;
pub mod filter;
pub mod formats;
pub mod ingest;
pub mod model;
/// Every core natively, in order in the page's worker.
pub mod par;
pub mod pricing;
pub mod query;
pub mod redact;
pub mod rollup;
pub(crate) mod scan;
/// The SQL console's engine and protocol (the engine needs the `sql` feature).
pub mod sql;
pub mod synth;
pub mod timefmt;

#[cfg(target_arch = "wasm32")]
pub mod ui;

/// The engine's Web Worker (its command types build everywhere; its message loop on wasm32).
pub mod worker;
