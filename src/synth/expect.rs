//! The oracle: what ingest must report for each generated file, accumulated by the writers as
//! they write, from what they wrote and the rules of DESIGN.md section 2, never from a parser.
//!
//! Buckets follow the conventions in `src/formats/mod.rs`; token sums use the normalized
//! convention of `src/model.rs` (input = every prompt token, cached and cache writes inside input,
//! output includes reasoning, total = input + output).

use crate::model::Format;
use serde::Serialize;
use std::collections::BTreeMap;

/// What becomes of one written line (the oracle's side of [`crate::formats::Bucket`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Parsed,
    Skipped,
    Duplicate,
    Malformed,
}

/// The ingest report's line counts for one file (or a sum of files).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Buckets {
    pub lines: u64,
    pub parsed: u64,
    pub skipped: u64,
    pub duplicates: u64,
    pub malformed: u64,
}

impl Buckets {
    pub fn count(&mut self, o: Outcome) {
        self.lines += 1;
        match o {
            Outcome::Parsed => self.parsed += 1,
            Outcome::Skipped => self.skipped += 1,
            Outcome::Duplicate => self.duplicates += 1,
            Outcome::Malformed => self.malformed += 1,
        }
    }

    /// A line first counted as parsed turns out to repeat another file's record.
    pub fn parsed_to_duplicate(&mut self) {
        self.parsed -= 1;
        self.duplicates += 1;
    }

    pub fn add(&mut self, o: &Buckets) {
        self.lines += o.lines;
        self.parsed += o.parsed;
        self.skipped += o.skipped;
        self.duplicates += o.duplicates;
        self.malformed += o.malformed;
    }
}

/// One usage row in the normalized convention.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NormUsage {
    pub input_tokens: i64,
    pub cached_input_tokens: i64,
    pub cache_creation_input_tokens: i64,
    pub output_tokens: i64,
    pub reasoning_output_tokens: i64,
}

/// Usage rows counted and their token sums.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct TokenSums {
    pub rows: u64,
    pub input_tokens: i64,
    pub cached_input_tokens: i64,
    pub cache_creation_input_tokens: i64,
    pub output_tokens: i64,
    pub reasoning_output_tokens: i64,
    pub total_tokens: i64,
}

impl TokenSums {
    pub fn add_row(&mut self, u: &NormUsage) {
        self.rows += 1;
        self.input_tokens += u.input_tokens;
        self.cached_input_tokens += u.cached_input_tokens;
        self.cache_creation_input_tokens += u.cache_creation_input_tokens;
        self.output_tokens += u.output_tokens;
        self.reasoning_output_tokens += u.reasoning_output_tokens;
        self.total_tokens += u.input_tokens + u.output_tokens;
    }

    pub fn add(&mut self, o: &TokenSums) {
        self.rows += o.rows;
        self.input_tokens += o.input_tokens;
        self.cached_input_tokens += o.cached_input_tokens;
        self.cache_creation_input_tokens += o.cache_creation_input_tokens;
        self.output_tokens += o.output_tokens;
        self.reasoning_output_tokens += o.reasoning_output_tokens;
        self.total_tokens += o.total_tokens;
    }
}

/// API / relay call rows and their logged token sums.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ApiSums {
    pub calls: u64,
    pub input_tokens: i64,
    pub output_tokens: i64,
    pub thinking_tokens: i64,
}

impl ApiSums {
    pub fn add(&mut self, o: &ApiSums) {
        self.calls += o.calls;
        self.input_tokens += o.input_tokens;
        self.output_tokens += o.output_tokens;
        self.thinking_tokens += o.thinking_tokens;
    }
}

/// Everything the oracle predicts, for one file or summed over files.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub buckets: Buckets,
    pub usage: TokenSums,
    /// Usage rows per model (the model of the latest `turn_context` for Codex).
    pub usage_rows_by_model: BTreeMap<String, u64>,
    pub queries: u64,
    /// The agent's answers, each once (Codex: the assistant message item, not its
    /// `agent_message` mirror; Claude: text blocks, not a resumed or replayed copy; Gemini:
    /// messages with text).
    pub replies: u64,
    pub tool_calls: u64,
    pub tool_audit_rows: u64,
    pub api: ApiSums,
}

impl Counts {
    pub fn usage_row(&mut self, model: &str, u: &NormUsage) {
        self.usage.add_row(u);
        *self.usage_rows_by_model.entry(model.to_string()).or_default() += 1;
    }

    pub fn add(&mut self, o: &Counts) {
        self.buckets.add(&o.buckets);
        self.usage.add(&o.usage);
        for (m, n) in &o.usage_rows_by_model {
            *self.usage_rows_by_model.entry(m.clone()).or_default() += n;
        }
        self.queries += o.queries;
        self.replies += o.replies;
        self.tool_calls += o.tool_calls;
        self.tool_audit_rows += o.tool_audit_rows;
        self.api.add(&o.api);
    }
}

/// The oracle for one generated file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Expectation {
    /// The format the sniffer must find (`Unknown` for a file that is not a log).
    pub format: Format,
    pub gzip: bool,
    pub zstd: bool,
    /// What the file exercises, for failure messages ("CRLF line ends", "fork child"…).
    pub note: String,
    #[serde(flatten)]
    pub counts: Counts,
}

impl Expectation {
    pub fn new(format: Format) -> Self {
        Self { format, gzip: false, zstd: false, note: String::new(), counts: Counts::default() }
    }
}

/// The whole corpus's oracle, as `expect.json` holds it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Oracle {
    pub files: Vec<FileOracle>,
    /// Summed per format label (`codex`, `claude-code`…).
    pub by_format: BTreeMap<&'static str, FormatOracle>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FileOracle {
    pub name: String,
    pub bytes: u64,
    #[serde(flatten)]
    pub expect: Expectation,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct FormatOracle {
    pub files: u64,
    pub bytes: u64,
    #[serde(flatten)]
    pub counts: Counts,
}

impl Oracle {
    pub fn add(&mut self, name: &str, bytes: u64, e: &Expectation) {
        let f = self.by_format.entry(e.format.label()).or_default();
        f.files += 1;
        f.bytes += bytes;
        f.counts.add(&e.counts);
        self.files.push(FileOracle { name: name.to_string(), bytes, expect: e.clone() });
    }
}
