//! A deterministic generator of realistic agent logs, with the oracle of what ingest must report.
//!
//! Every kind the ingest reads (DESIGN.md section 1; docs/formats.md §1 Codex G2+, §2 Claude Code,
//! §3 Gemini CLI, §4 tool-call audit and relay calls) is written with the shapes of the real
//! samples in `shared/corpus/real/` (shapes only, no content). Each writer counts, as it writes,
//! what each line must become (the buckets of `src/formats/mod.rs`) and the usage rows and token
//! sums the rules of DESIGN.md section 2 give (normalized as in `src/model/`): the oracle is
//! derived from what was written, independently of the parsers.
//!
//! Seeded by a `u64` ([`rng::Rng`], SplitMix64): the same seed gives the same bytes everywhere,
//! natively and in wasm (no clock, no threads, no file system). [`generate`] streams files to a
//! sink one by one, so the 1.2 GiB real-world profile never sits in memory at once.

pub mod claude;
pub mod codex;
pub mod copilot;
pub mod corners;
pub mod expect;
pub mod file;
pub mod gemini;
pub mod grow;
pub mod json;
pub mod plan;
pub mod profile;
pub mod relay;
pub mod rng;
pub mod sample;
pub mod text;
pub mod tool_audit;

pub use expect::{ApiSums, Buckets, Counts, Expectation, Oracle, Outcome, TokenSums};
pub use profile::{Mix, Profile};
pub use sample::{sample, sample_files};

/// One generated file: its path (with folders), its bytes, and what ingest must make of it.
#[derive(Debug, Clone)]
pub struct GeneratedFile {
    pub name: String,
    pub bytes: Vec<u8>,
    pub expect: Expectation,
}

/// Generate the corpus of `profile` from `seed`, handing each file to `sink` as soon as it is
/// written. A fork child always comes after its parent (the cross-file rules see both).
pub fn generate(profile: &Profile, seed: u64, sink: impl FnMut(GeneratedFile)) {
    plan::run(profile, seed, sink);
}

/// The whole corpus in memory (small profiles and tests).
pub fn generate_all(profile: &Profile, seed: u64) -> Vec<GeneratedFile> {
    let mut files = Vec::new();
    generate(profile, seed, |f| files.push(f));
    files
}

/// The oracle of a set of generated files, as `expect.json` holds it.
pub fn oracle_of<'a>(files: impl IntoIterator<Item = &'a GeneratedFile>) -> Oracle {
    let mut o = Oracle::default();
    for f in files {
        o.add(&f.name, f.bytes.len() as u64, &f.expect);
    }
    o
}
