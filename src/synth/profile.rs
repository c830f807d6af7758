//! Corpus profiles: how many files, how big, of which kinds, with which cross-file cases.
//!
//! The real-world profile is DESIGN.md section 7's reference workload (the one the best peer
//! benchmarks against; docs/what-users-ask.md): about 3,100 files, 1.2 GiB, median file ≈100 KB,
//! p90 ≈650 KB, the largest ≈87 MB, Codex and Claude Code mixed with a few files of the other kinds.

/// The share of files of each kind (normalized when drawn).
#[derive(Debug, Clone, Copy)]
pub struct Mix {
    pub codex: f64,
    pub claude: f64,
    pub gemini: f64,
    pub tool_audit: f64,
    pub relay: f64,
}

/// How the files of a profile are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// File sizes drawn from a log-normal body with a heavy tail, kinds drawn from the mix.
    Scaled,
    /// The page's hand-planned sample (see [`super::sample`]).
    Sample,
}

#[derive(Debug, Clone)]
pub struct Profile {
    pub name: &'static str,
    pub layout: Layout,
    /// Files drawn from the size distribution (corner-case files come on top).
    pub files: usize,
    pub total_bytes: u64,
    pub median_bytes: u64,
    pub p90_bytes: u64,
    pub largest_bytes: u64,
    pub mix: Mix,
    /// Share of Codex files that are a fork child of the previous Codex session.
    pub fork_rate: f64,
    /// Share of Claude files that are a sub-agent (sidechain) file of the previous session.
    pub subagent_rate: f64,
    /// Share of Claude files that resume the previous session, copying some of its lines.
    pub resume_rate: f64,
    /// Share of Codex sessions under `archived_sessions/`.
    pub archived_rate: f64,
    /// Add one file per corner case (spaced JSON, CRLF, BOM, torn line, NULs, gzip, not a log…).
    pub corners: bool,
    /// First day of the corpus (UTC) and how many days it spans.
    pub first_day: (i64, u32, u32),
    pub days: u32,
}

impl Profile {
    /// The reference workload: ≈3,100 files, 1.2 GiB.
    pub fn real_world() -> Self {
        Profile {
            name: "real-world",
            layout: Layout::Scaled,
            files: 3_100,
            total_bytes: 1_288_490_189,
            median_bytes: 100_000,
            p90_bytes: 650_000,
            largest_bytes: 87_000_000,
            mix: Mix { codex: 0.55, claude: 0.42, gemini: 0.015, tool_audit: 0.01, relay: 0.005 },
            fork_rate: 0.03,
            subagent_rate: 0.12,
            resume_rate: 0.03,
            archived_rate: 0.2,
            corners: false,
            first_day: (2026, 8, 24),
            days: 90,
        }
    }

    /// Small and varied, for tests: every kind, every cross-file case, every corner case.
    pub fn small() -> Self {
        Profile {
            name: "small",
            layout: Layout::Scaled,
            files: 40,
            total_bytes: 2_500_000,
            median_bytes: 35_000,
            p90_bytes: 130_000,
            largest_bytes: 350_000,
            mix: Mix { codex: 0.45, claude: 0.35, gemini: 0.08, tool_audit: 0.06, relay: 0.06 },
            fork_rate: 0.25,
            subagent_rate: 0.3,
            resume_rate: 0.2,
            archived_rate: 0.2,
            corners: true,
            first_day: (2026, 11, 16),
            days: 5,
        }
    }

    /// The page's built-in sample ([`super::sample_files`]).
    pub fn sample() -> Self {
        Profile {
            name: "sample",
            layout: Layout::Sample,
            files: 0,
            total_bytes: 0,
            median_bytes: 0,
            p90_bytes: 0,
            largest_bytes: 0,
            mix: Mix { codex: 0.0, claude: 0.0, gemini: 0.0, tool_audit: 0.0, relay: 0.0 },
            fork_rate: 0.0,
            subagent_rate: 0.0,
            resume_rate: 0.0,
            archived_rate: 0.0,
            corners: false,
            first_day: (2026, 11, 17),
            days: 5,
        }
    }

    pub fn by_name(name: &str) -> Option<Self> {
        match name {
            "real-world" | "real_world" | "realworld" => Some(Self::real_world()),
            "small" => Some(Self::small()),
            "sample" => Some(Self::sample()),
            _ => None,
        }
    }
}
