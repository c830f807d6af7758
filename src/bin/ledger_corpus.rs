//! Writes a synthetic corpus and its oracle to a folder:
//!
//! ```text
//! cargo run --release --bin ledger-corpus -- --profile real-world|small|sample --seed 7 --out DIR
//! ```
//!
//! The files keep their folders (`sessions/2026/11/20/rollout-….jsonl`, `projects/…/….jsonl`…);
//! `DIR/expect.json` holds, per file and per format, what ingest must report (see
//! `agent_ledger::synth`). Prints the file count, total bytes and size percentiles.

use agent_ledger::synth::{self, Oracle, Profile};
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

struct Args {
    profile: Profile,
    /// Default: 7, or the page's own seed for the sample.
    seed: Option<u64>,
    out: PathBuf,
}

fn parse_args() -> Result<Args, String> {
    let mut profile = Profile::real_world();
    let mut seed = None;
    let mut out = None;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--profile" => {
                let name = value()?;
                profile = Profile::by_name(&name).ok_or_else(|| format!("unknown profile {name:?} (real-world, small, sample)"))?;
            }
            "--seed" => seed = Some(value()?.parse().map_err(|e| format!("--seed: {e}"))?),
            "--out" => out = Some(PathBuf::from(value()?)),
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    let out = out.ok_or("--out DIR is required")?;
    Ok(Args { profile, seed, out })
}

/// A generated name joined under `root`, refusing anything that would leave it.
fn target(root: &Path, name: &str) -> Result<PathBuf, String> {
    let rel = Path::new(name);
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return Err(format!("refusing to write {name:?} outside the output folder"));
    }
    Ok(root.join(rel))
}

fn percentile(sorted: &[u64], p: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn run(args: Args) -> Result<(), String> {
    // Files left from another run would contradict expect.json.
    if std::fs::read_dir(&args.out).is_ok_and(|mut d| d.next().is_some()) {
        return Err(format!("{} is not empty: choose a new or empty folder", args.out.display()));
    }
    std::fs::create_dir_all(&args.out).map_err(|e| format!("{}: {e}", args.out.display()))?;
    let mut oracle = Oracle::default();
    let mut sizes = Vec::new();
    let mut failure = None;
    let default_seed = if args.profile.name == "sample" { synth::sample::SAMPLE_SEED } else { 7 };
    let seed = args.seed.unwrap_or(default_seed);
    synth::generate(&args.profile, seed, |f| {
        if failure.is_some() {
            return;
        }
        let written = target(&args.out, &f.name).and_then(|path| {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            }
            std::fs::write(&path, &f.bytes).map_err(|e| format!("{}: {e}", path.display()))
        });
        match written {
            Ok(()) => {
                sizes.push(f.bytes.len() as u64);
                oracle.add(&f.name, f.bytes.len() as u64, &f.expect);
            }
            Err(e) => failure = Some(e),
        }
    });
    if let Some(e) = failure {
        return Err(e);
    }
    let expect = args.out.join("expect.json");
    let json = serde_json::to_vec_pretty(&oracle).map_err(|e| e.to_string())?;
    std::fs::write(&expect, json).map_err(|e| format!("{}: {e}", expect.display()))?;

    sizes.sort_unstable();
    let total: u64 = sizes.iter().sum();
    println!("profile {} seed {seed} -> {}", args.profile.name, args.out.display());
    println!("files {}  bytes {} ({:.2} GiB)", sizes.len(), total, total as f64 / (1u64 << 30) as f64);
    println!(
        "sizes  p50 {}  p90 {}  p99 {}  max {}",
        percentile(&sizes, 0.5),
        percentile(&sizes, 0.9),
        percentile(&sizes, 0.99),
        sizes.last().copied().unwrap_or(0)
    );
    for (format, f) in &oracle.by_format {
        println!(
            "  {format:<13} files {:>5}  bytes {:>11}  lines {:>9}  usage rows {:>8}  duplicates {:>8}",
            f.files, f.bytes, f.counts.buckets.lines, f.counts.usage.rows, f.counts.buckets.duplicates
        );
    }
    println!("oracle {}", expect.display());
    Ok(())
}

fn main() -> ExitCode {
    match parse_args().and_then(run) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("error: {e}");
            }
            eprintln!("usage: ledger-corpus --profile real-world|small|sample [--seed N] --out DIR");
            ExitCode::FAILURE
        }
    }
}
