//! Planning a scaled corpus: file sizes from a profile's distribution, a kind for each file, the
//! names and workspaces the agents would use, and the cross-file cases (fork children after their
//! parent, sub-agent and resumed Claude files after their session).
//!
//! Sizes: a stratified log-normal body fitted to the median and p90 (so every seed hits them), the
//! largest file set to the profile's largest, and the top 1% scaled up until the total matches
//! (real corpora have a heavier tail than a log-normal).

use super::claude::{self, ClaudeQuirks, ClaudeSpec, KeptLine, Streaming};
use super::codex::{self, CodexSpec, Era, ForkOf, Quirks};
use super::file::{Style, codex_name, day_ms, file_stamp};
use super::gemini::{self, GeminiSpec};
use super::profile::{Layout, Profile};
use super::relay::{self, RelayQuirks, RelaySpec};
use super::rng::Rng;
use super::tool_audit::{self, AuditQuirks, AuditSpec};
use super::{GeneratedFile, corners, sample};
use std::collections::HashSet;

/// Files of these kinds stay below this size (only agent transcripts grow huge).
const SMALL_KIND_MAX: usize = 2_000_000;

pub fn run(profile: &Profile, seed: u64, mut sink: impl FnMut(GeneratedFile)) {
    match profile.layout {
        Layout::Sample => sample::generate(seed, &mut sink),
        Layout::Scaled => Planner::new(profile, seed).run(&mut sink),
    }
}

/// Target sizes in bytes, shuffled.
pub fn sizes(profile: &Profile, rng: &mut Rng) -> Vec<usize> {
    let n = profile.files.max(1);
    let mu = (profile.median_bytes.max(1) as f64).ln();
    let sigma = ((profile.p90_bytes.max(1) as f64) / profile.median_bytes.max(1) as f64).ln() / 1.281_551_565_5;
    let mut s: Vec<f64> = (0..n).map(|i| (mu + sigma * inverse_normal((i as f64 + 0.5) / n as f64)).exp()).collect();
    let largest = profile.largest_bytes as f64;
    if let Some(last) = s.last_mut() {
        *last = largest;
    }
    let sum: f64 = s.iter().sum();
    let deficit = profile.total_bytes as f64 - sum;
    let top = (n / 100).max(1);
    let tail = n.saturating_sub(top + 1)..n.saturating_sub(1);
    let tail_sum: f64 = s[tail.clone()].iter().sum();
    if deficit > 0.0 && tail_sum > 0.0 {
        let factor = 1.0 + deficit / tail_sum;
        for x in &mut s[tail] {
            *x = (*x * factor).min(largest * 0.6);
        }
    } else if deficit < 0.0 {
        let factor = profile.total_bytes as f64 / sum;
        s.iter_mut().for_each(|x| *x *= factor);
    }
    let mut out: Vec<usize> = s.into_iter().map(|x| x.max(1_000.0) as usize).collect();
    for i in (1..out.len()).rev() {
        out.swap(i, rng.below(i + 1));
    }
    out
}

/// Φ⁻¹(p), Acklam's rational approximation (relative error < 1.2e-9).
pub fn inverse_normal(p: f64) -> f64 {
    const A: [f64; 6] = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
    const B: [f64; 5] = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
    const C: [f64; 6] = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
    const D: [f64; 4] = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
    let p = p.clamp(1e-12, 1.0 - 1e-12);
    let tail = |q: f64| (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0);
    if p < 0.02425 {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - 0.02425 {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

/// A person's workspace.
#[derive(Debug, Clone)]
pub struct Workspace {
    pub user: &'static str,
    pub cwd: String,
}

impl Workspace {
    pub fn pick(rng: &mut Rng) -> Workspace {
        let user = rng.pick(&["ann", "bo", "chen", "dara"]);
        let project = rng.pick(&["shop", "blog", "infra", "ml-lab", "mobile-app", "docs.site"]);
        let cwd = if rng.chance(0.7) { format!("/home/{user}/{project}") } else { format!("/Users/{user}/dev/{project}") };
        Workspace { user, cwd }
    }

    /// Claude Code's project folder: the cwd with `/` and `.` replaced by `-`.
    pub fn claude_dir(&self) -> String {
        self.cwd.replace(['/', '.'], "-")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Codex,
    Claude,
    Gemini,
    ToolAudit,
    Relay,
}

struct Planner<'a> {
    p: &'a Profile,
    rng: Rng,
    /// The last Codex session that can be forked: its id, workspace, start and token events.
    last_codex: Option<(String, Workspace, i64, Vec<codex::TokenEvent>)>,
    /// The last Claude session that can get a sub-agent or be resumed.
    last_claude: Option<(String, Workspace, i64, Vec<KeptLine>)>,
    audit_names: HashSet<String>,
    relay_files: u32,
}

impl<'a> Planner<'a> {
    fn new(p: &'a Profile, seed: u64) -> Self {
        Planner { p, rng: Rng::new(seed), last_codex: None, last_claude: None, audit_names: HashSet::new(), relay_files: 0 }
    }

    fn run(mut self, sink: &mut dyn FnMut(GeneratedFile)) {
        let sizes = sizes(self.p, &mut self.rng);
        // The largest file is a long agent session.
        let largest = sizes.iter().copied().max().unwrap_or(0);
        for (i, size) in sizes.into_iter().enumerate() {
            let kind = if size == largest { Kind::Codex } else { self.kind(size) };
            let mut rng = self.rng.fork(i as u64);
            let file = match kind {
                Kind::Codex => self.codex(size, &mut rng),
                Kind::Claude => self.claude(size, &mut rng),
                Kind::Gemini => self.gemini(size, &mut rng),
                Kind::ToolAudit => self.tool_audit(size, &mut rng),
                Kind::Relay => self.relay(size, &mut rng),
            };
            sink(file);
        }
        if self.p.corners {
            let day = self.day_start(0);
            for f in corners::all(&mut self.rng.fork(u64::MAX), day) {
                sink(f);
            }
        }
    }

    fn kind(&mut self, size: usize) -> Kind {
        let m = self.p.mix;
        let big = size > SMALL_KIND_MAX;
        let weights = [
            (Kind::Codex, m.codex),
            (Kind::Claude, m.claude),
            (Kind::Gemini, if big { 0.0 } else { m.gemini }),
            (Kind::ToolAudit, if big { 0.0 } else { m.tool_audit }),
            (Kind::Relay, if big { 0.0 } else { m.relay }),
        ];
        let total: f64 = weights.iter().map(|w| w.1).sum();
        let mut x = self.rng.f64() * total;
        for (k, w) in weights {
            if x < w {
                return k;
            }
            x -= w;
        }
        Kind::Codex
    }

    fn day_start(&self, day: u32) -> i64 {
        let (y, m, d) = self.p.first_day;
        day_ms(y, m, d) + i64::from(day) * 86_400_000
    }

    /// A session start: a random day of the profile, in working hours.
    fn start(&mut self) -> i64 {
        let day = self.rng.below(self.p.days.max(1) as usize) as u32;
        self.day_start(day) + self.rng.range(6 * 3_600_000, 22 * 3_600_000)
    }

    fn codex(&mut self, size: usize, rng: &mut Rng) -> GeneratedFile {
        let fork = if rng.chance(self.p.fork_rate) { self.last_codex.take() } else { None };
        let (ws, start, fork_of) = match fork {
            Some((parent_id, ws, parent_start, events)) if events.len() >= 2 => {
                let k = rng.range(1, events.len() as i64 - 1) as usize;
                let start = parent_start + rng.range(600_000, 7_200_000);
                (ws, start, Some(ForkOf { parent_id, replay: events[..k].to_vec() }))
            }
            _ => (Workspace::pick(rng), self.start(), None),
        };
        let id = rng.uuid_v7(start);
        let era = if size < 40_000 || rng.chance(0.2) { Era::V040 } else { Era::V2026 };
        let models = match era {
            Era::V040 => vec!["gpt-5-codex".to_string(), "gpt-5".to_string()],
            Era::V2026 => {
                let pool = ["gpt-5.2-codex", "gpt-5.1-codex-max", "gpt-5.3-codex", "gpt-5.4", "gpt-5-codex"];
                vec![rng.pick(&pool).to_string(), rng.pick(&pool).to_string()]
            }
        };
        let spec = CodexSpec {
            name: codex_name(start, &id, rng.chance(self.p.archived_rate)),
            thread_id: id.clone(),
            start_ms: start,
            cwd: ws.cwd.clone(),
            era,
            models,
            target_bytes: size,
            style: Style::default(),
            fork_of: fork_of.clone(),
            quirks: Quirks::default(),
        };
        let out = codex::write(&spec, rng);
        if fork_of.is_none() {
            self.last_codex = Some((id, ws, start, out.events));
        }
        out.file
    }

    fn claude(&mut self, size: usize, rng: &mut Rng) -> GeneratedFile {
        let x = rng.f64();
        let related = if x < self.p.subagent_rate + self.p.resume_rate { self.last_claude.clone() } else { None };
        let (ws, start, models) = match &related {
            Some((_, ws, s, _)) => (ws.clone(), *s + rng.range(60_000, 3_600_000), vec!["claude-sonnet-4-5-20250929".to_string()]),
            None => {
                let m = rng.pick(&["claude-sonnet-4-5-20250929", "claude-opus-4-5", "claude-sonnet-4-5-20250929", "claude-haiku-4-5"]);
                (Workspace::pick(rng), self.start(), vec![m.to_string(), "claude-haiku-4-5".to_string()])
            }
        };
        let mut spec = ClaudeSpec {
            name: String::new(),
            session_id: rng.uuid_v4(),
            start_ms: start,
            cwd: ws.cwd.clone(),
            version: if rng.chance(0.6) { "2.0.28" } else { "2.1.233" },
            models,
            streaming: Streaming::Growing,
            target_bytes: size,
            style: Style::default(),
            request_ids: true,
            sidechain: None,
            copies: Vec::new(),
            quirks: ClaudeQuirks { summaries: rng.chance(0.2), synthetic: rng.chance(0.05), torn_last_line: false },
        };
        spec.streaming = match (spec.version, rng.chance(0.1)) {
            (_, true) => Streaming::Partial,
            ("2.1.233", false) => Streaming::Final,
            _ => Streaming::Growing,
        };
        match related {
            Some((parent, _, _, kept)) if x < self.p.subagent_rate => {
                let agent = rng.hex(8);
                spec.name = format!("projects/{}/{parent}/subagents/agent-{agent}.jsonl", ws.claude_dir());
                spec.session_id = parent;
                spec.sidechain = Some((agent, kept.into_iter().take(2).collect()));
            }
            Some((original, _, _, kept)) => {
                // Equal copies are settled by file name (formats::claude::usage), so the resumed
                // file is named to sort after the file it copies, as the oracle assumes.
                while spec.session_id <= original {
                    spec.session_id = rng.uuid_v4();
                }
                spec.name = format!("projects/{}/{}.jsonl", ws.claude_dir(), spec.session_id);
                spec.copies = kept.into_iter().take(rng.range(1, 4) as usize).collect();
            }
            None => spec.name = format!("projects/{}/{}.jsonl", ws.claude_dir(), spec.session_id),
        }
        let out = claude::write(&spec, rng);
        if spec.sidechain.is_none() && spec.copies.is_empty() {
            self.last_claude = Some((spec.session_id.clone(), ws, start, out.kept));
        }
        out.file
    }

    fn gemini(&mut self, size: usize, rng: &mut Rng) -> GeneratedFile {
        let start = self.start();
        let (hash, id) = (rng.hex(64), rng.uuid_v4());
        let document = rng.chance(0.3);
        let stamp = &file_stamp(start)[..16];
        let ext = if document { "json" } else { "jsonl" };
        let spec = GeminiSpec {
            name: format!(".gemini/tmp/{hash}/chats/session-{stamp}-{}.{ext}", &id[..8]),
            session_id: id,
            project_hash: hash,
            start_ms: start,
            model: rng.pick(&["gemini-2.5-pro", "gemini-2.5-flash", "gemini-3-flash-preview"]).to_string(),
            target_bytes: size.min(SMALL_KIND_MAX),
            document,
        };
        gemini::write(&spec, rng)
    }

    fn tool_audit(&mut self, size: usize, rng: &mut Rng) -> GeneratedFile {
        let ws = Workspace::pick(rng);
        let mut day = self.rng.below(self.p.days.max(1) as usize) as u32;
        let mut name;
        loop {
            name = format!("tool_audit/{}/{}.jsonl", ws.user, &file_stamp(self.day_start(day))[..10]);
            if self.audit_names.insert(name.clone()) {
                break;
            }
            day += 1;
        }
        let spec = AuditSpec {
            name,
            user: ws.user.to_string(),
            day_ms: self.day_start(day),
            target_bytes: size.min(SMALL_KIND_MAX),
            style: Style::default(),
            quirks: AuditQuirks { unknown_status: rng.chance(0.3), missing_tool: false },
        };
        tool_audit::write(&spec, rng)
    }

    fn relay(&mut self, size: usize, rng: &mut Rng) -> GeneratedFile {
        self.relay_files += 1;
        let start = self.start();
        let name = if self.relay_files == 1 {
            "relay/relay-calls.ndjson".to_string()
        } else {
            format!("relay/relay-calls.{}.ndjson", self.relay_files - 1)
        };
        let spec = RelaySpec {
            name,
            start_ms: start,
            target_bytes: size.min(SMALL_KIND_MAX),
            style: Style::default(),
            quirks: RelayQuirks { status_error_disagree: rng.chance(0.3), cut_line: false },
        };
        relay::write(&spec, rng)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverse_normal_matches_known_quantiles() {
        for (p, z) in [(0.5, 0.0), (0.9, 1.281_551_565_5), (0.975, 1.959_963_985), (0.01, -2.326_347_874)] {
            assert!((inverse_normal(p) - z).abs() < 1e-6, "{p}: {}", inverse_normal(p));
        }
    }

    #[test]
    fn real_world_sizes_hit_the_profile() {
        let p = Profile::real_world();
        let mut s = sizes(&p, &mut Rng::new(7));
        s.sort_unstable();
        let total: usize = s.iter().sum();
        assert_eq!(s.len(), 3_100);
        assert!((total as f64 / p.total_bytes as f64 - 1.0).abs() < 0.01, "total {total}");
        assert!((95_000..105_000).contains(&s[s.len() / 2]), "median {}", s[s.len() / 2]);
        assert!((600_000..700_000).contains(&s[s.len() * 9 / 10]), "p90 {}", s[s.len() * 9 / 10]);
        assert_eq!(*s.last().unwrap(), 87_000_000);
    }
}
