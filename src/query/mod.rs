//! The query side of the core: one typed protocol ([`protocol`]) between the views and the data,
//! answered by the [`Engine`] that holds the loaded ledger. The page runs the engine in a Web
//! Worker and posts requests to it; no view holds a whole table.
//!
//! Data flows one way: ingest → [`Engine`] (analysis: filters, redaction, audit, rollups) →
//! answers: an [`overview`], a page of a dataset ([`pages`]), a chart [`series`], a [`session`],
//! [`search`] hits, or a download.

pub mod analysis;
pub mod locate;
pub mod machines;
mod engine;
pub mod overview;
pub mod pages;
pub mod protocol;
pub mod raw;
pub mod search;
pub mod series;
pub mod session;

pub use engine::{Engine, MAX_HITS};
pub use protocol::{Page, PageQuery, Request, Response, Settings, Sort};
