//! The engine's Web Worker (wasm32 only): it reads and parses the files, holds the tables and
//! answers the page's questions (DESIGN.md section 8), so the page's main thread only draws.
//!
//! Messages in: `{id, cmd: <Command JSON>, files?: File[]}`. Messages out: `{id, res: <JSON>,
//! bytes?: ArrayBuffer}` answering `id` (export bytes are transferred, not copied), and
//! `{progress: <Progress JSON>}` while loading, `{download: <DownloadProgress JSON>}` while the
//! zip is built (`download`).

pub mod command;
#[cfg(target_arch = "wasm32")]
mod deflate_client;
#[cfg(target_arch = "wasm32")]
mod deflate_server;
#[cfg(target_arch = "wasm32")]
mod download;
pub mod names;
#[cfg(target_arch = "wasm32")]
mod host;
#[cfg(target_arch = "wasm32")]
/// Also the SQL worker's way of answering (`crate::sql`).
pub(crate) mod io;
#[cfg(target_arch = "wasm32")]
mod load;
#[cfg(target_arch = "wasm32")]
mod parse;
#[cfg(target_arch = "wasm32")]
mod parts;
#[cfg(target_arch = "wasm32")]
mod pool;
#[cfg(target_arch = "wasm32")]
mod pooled;
#[cfg(target_arch = "wasm32")]
mod raw;
#[cfg(target_arch = "wasm32")]
mod remember;
#[cfg(target_arch = "wasm32")]
mod run;
#[cfg(target_arch = "wasm32")]
mod spill;
#[cfg(target_arch = "wasm32")]
mod store;
#[cfg(target_arch = "wasm32")]
mod zip_blob;

#[cfg(target_arch = "wasm32")]
pub use host::start;

/// This worker's wasm memory in bytes: it only grows, so it is also its peak. The benchmarks
/// read it in each worker (`wasm_bindgen.wasm_memory_bytes()`) to say which holds what.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn wasm_memory_bytes() -> f64 {
    (core::arch::wasm32::memory_size(0) * 65536) as f64
}
