//! How long redaction takes on a generated corpus (the real-world profile by default), natively:
//!
//! ```text
//! cargo run --release --example redaction_speed -- [--profile real-world|small|sample] [--seed N] [--runs N]
//! ```
//! The corpus is generated in memory file by file and ingested; then, best of `--runs`, the time
//! to compile the rules and redact a copy of the tables (`redact::tables`, what `prepare` does
//! after filtering) with: `default` = the built-in defaults (secret rules), `+ personal` = and
//! the personal-data rules (e-mail, IP addresses, home directories, user names), `all rules` =
//! every built-in rule (whole prompts, arguments and results too). Also printed: how many text
//! fields and bytes the redaction reads.

use agent_ledger::export::Redaction;
use agent_ledger::redact;
use agent_ledger::ingest::Ingest;
use agent_ledger::model::Tables;
use agent_ledger::synth::{self, Profile};
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let value = |flag: &str| args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1)).cloned();
    let profile = Profile::by_name(&value("--profile").unwrap_or_else(|| "real-world".into())).expect("a known profile");
    let seed: u64 = value("--seed").map_or(7, |s| s.parse().expect("--seed N"));
    let runs: usize = value("--runs").map_or(3, |s| s.parse().expect("--runs N"));

    let started = Instant::now();
    let mut ingest = Ingest::new();
    let mut bytes = 0u64;
    synth::generate(&profile, seed, |f| {
        bytes += f.bytes.len() as u64;
        ingest.add_file(f.name, &f.bytes);
    });
    let ledger = ingest.finish();
    let t = &ledger.tables;
    let (fields, text) = text_fields(t);
    println!(
        "{} profile, seed {seed}: {} files, {:.0} MB; generated and ingested in {:.1} s",
        profile.name, t.files.len(), bytes as f64 / 1e6, started.elapsed().as_secs_f64()
    );
    println!("text redaction reads: {fields} fields, {:.1} MB ({} prompts, {} tool calls, {} routing rows)",
        text as f64 / 1e6, t.queries.len(), t.tool_calls.len(), t.routing.len());

    let compile = (0..runs.max(1)).map(|_| { let s = Instant::now(); drop(Redaction::default().redactor_for(t, [])); s.elapsed() }).min().unwrap_or_default();
    println!("compiling the default rules alone: {:.1} ms", compile.as_secs_f64() * 1e3);
    let mut personal = Redaction::default();
    for id in ["email", "ipv4", "ipv6", "home-directory", "user-name"] {
        personal.set_enabled(id, true);
    }
    let mut all = Redaction::default();
    all.rules.iter_mut().for_each(|r| r.enabled = true);
    for (name, r) in [("default", Redaction::default()), ("+ personal", personal), ("all rules", all)] {
        // Timed: compiling the rules (with the user-name lookup) and redacting a copy of the
        // tables; the copy itself (which `prepare` makes anyway, filtering) is not timed.
        let mut took = Duration::MAX;
        let mut masked = 0;
        for _ in 0..runs {
            let mut copy = t.clone();
            let start = Instant::now();
            let report = redact::tables(&mut copy, &r.redactor_for(t, []));
            took = took.min(start.elapsed());
            masked = report.rules.iter().map(|x| x.count).sum::<u64>() + report.manual.iter().map(|x| x.count).sum::<u64>();
        }
        println!(
            "{name:<10}: {:>7.1} ms, {:>5.0} MB/s of text, {masked} masked",
            took.as_secs_f64() * 1e3, text as f64 / 1e6 / took.as_secs_f64()
        );
    }
}

/// The redacted text fields that are not empty, and their bytes.
fn text_fields(t: &Tables) -> (u64, u64) {
    let mut n = (0u64, 0u64);
    let mut add = |s: &str| if !s.is_empty() { n.0 += 1; n.1 += s.len() as u64; };
    t.files.iter().for_each(|f| add(&f.name));
    for s in &t.sessions {
        [&s.workspace, &s.git_branch, &s.git_remote].into_iter().flatten().for_each(|x| add(x));
    }
    t.routing.iter().filter_map(|r| r.cwd.as_deref()).for_each(&mut add);
    t.queries.iter().for_each(|q| add(&q.text));
    t.tool_calls.iter().for_each(|c| add(&c.args_snippet));
    t.tool_audit.iter().for_each(|a| { add(&a.user); add(&a.args_snippet); add(&a.result_snippet); });
    t.api_calls.iter().filter_map(|a| a.error.as_deref()).for_each(&mut add);
    n
}
