//! What the page's main thread asks its worker, beside the core's query protocol: loading files
//! (whose `File` handles travel beside the JSON), the sample, cancelling, and raw lines (read
//! back from the files the worker holds). Plain data, shared by both sides.

use crate::query::{Request, Settings};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Command {
    /// Read the `File`s posted beside this command, named `names` (same order), into a fresh
    /// load that replaces the current one; `keep` adds them to the loaded files instead.
    /// `remember`: take unchanged files' results from this device and keep the new ones there.
    LoadFiles {
        names: Vec<String>,
        settings: Settings,
        keep: bool,
        #[serde(default)]
        remember: bool,
        /// Parse in a pool of workers (`worker::pool`), where two or more files are to be
        /// parsed. The page asks for it unless its URL says `?pool=off`: on 2 cores the pool is
        /// as fast as the engine worker parsing alone, and with more cores it uses them
        /// (docs/remember.md).
        #[serde(default)]
        pool: bool,
    },
    LoadSample { settings: Settings },
    /// Stop the load in progress (the previous data stays).
    Cancel,
    /// Stop the download being built (its request is answered with `Response::Cancelled`).
    CancelDownload,
    /// Forget everything loaded.
    Clear,
    /// Delete every result kept on this device; answered with [`Forgotten`].
    Forget,
    Query { request: Request },
    RawLine { file: String, line: u32 },
}

/// Posted by the worker while it loads.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub files_done: u64,
    pub files_total: u64,
    pub bytes_done: u64,
    pub bytes_total: u64,
    /// Milliseconds since the load began.
    pub elapsed_ms: f64,
}

/// Posted by the worker while it builds a download in steps (the zip): its files done.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DownloadProgress {
    pub name: String,
    pub done: usize,
    pub total: usize,
}

/// The answer to a load: how it ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Loaded {
    /// `parsed` of the `files` were read and parsed; the rest came from this device.
    Done {
        files: u64,
        #[serde(default)]
        parsed: u64,
        /// Parse workers the load started (0: parsed in the engine worker itself).
        #[serde(default)]
        workers: u64,
        /// Where the engine worker's time went.
        #[serde(default)]
        timings: LoadTimings,
    },
    Cancelled,
    Failed { message: String },
}

/// Where the engine worker's time went in a load, in milliseconds, and its memory at the end:
/// `#status[data-load-timings]`, printed by the in-browser benchmark (`tests/browser/bench.mjs`)
/// to say what a load's time is made of.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LoadTimings {
    /// The whole load in the worker, from the files handed over to the engine made.
    pub total_ms: f64,
    /// Taking back the results kept on this device (read and decoded), with "Keep parsed results".
    pub kept_ms: f64,
    /// Asking the browser for reads (`worker::io::read_slice`): a read costs the asking thread
    /// about the same whatever its size, so many small files cost more than their bytes.
    pub asking_ms: f64,
    /// Waiting for the browser to hand over what it was asked to read.
    pub waiting_ms: f64,
    /// Copying what was read into the worker's wasm memory.
    pub copying_ms: f64,
    /// Parsing it (line by line, into each file's part).
    pub parsing_ms: f64,
    /// Ending each file's part and joining it to the others (and keeping it on this device).
    pub joining_ms: f64,
    /// The rules across files: Claude's deduplication, Codex forks (`ingest::Part::finish`).
    pub cross_file_ms: f64,
    /// The engine's first analysis: prices, redaction, audit and roll-ups (`query::Engine::new`).
    pub analysis_ms: f64,
    /// The worker's wasm memory after the load, in MB: wasm memory never shrinks, so its peak.
    pub wasm_mb: f64,
}

impl LoadTimings {
    /// `total 4929 kept 0 asking 484 waiting 1464 …`: each field in order, a name and a whole
    /// number, for the status's attribute.
    pub fn words(&self) -> String {
        let t = self;
        let steps = [
            ("total", t.total_ms),
            ("kept", t.kept_ms),
            ("asking", t.asking_ms),
            ("waiting", t.waiting_ms),
            ("copying", t.copying_ms),
            ("parsing", t.parsing_ms),
            ("joining", t.joining_ms),
            ("cross-file", t.cross_file_ms),
            ("analysis", t.analysis_ms),
            ("wasm-mb", t.wasm_mb),
        ];
        steps.iter().map(|(name, v)| format!("{name} {v:.0}")).collect::<Vec<_>>().join(" ")
    }
}

/// What forgetting the stored results freed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Forgotten {
    pub files: u64,
    pub bytes: u64,
    /// Bytes of the files finished downloads were written to (`worker::spill`), removed too.
    #[serde(default)]
    pub downloads: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn load_timings_in_words() {
        let t = LoadTimings { total_ms: 4929.4, asking_ms: 484.0, waiting_ms: 1463.6, wasm_mb: 336.2, ..LoadTimings::default() };
        assert_eq!(
            t.words(),
            "total 4929 kept 0 asking 484 waiting 1464 copying 0 parsing 0 joining 0 cross-file 0 analysis 0 wasm-mb 336"
        );
    }
}
