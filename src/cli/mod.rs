//! The command-line twin of the page (DESIGN.md section 4, issue 17 item 5): the same core, no
//! browser. `agent-ledger --out DIR PATH...` writes the files the page's downloads make.
//!
//! One concept a file: [`args`] (the command line), [`walk`] (which files, under which names),
//! [`read`] (ingest on every core), [`analyze`] (filters, audit, rollups, exports as the page
//! does them), [`build`] (the exports on every core, the same bytes), [`output`] (files and
//! `--json`), [`progress`] and [`timings`] (stderr).

pub mod analyze;
pub mod args;
pub mod build;
pub mod output;
pub mod progress;
pub mod read;
pub mod timings;
pub mod walk;

use args::{Command, Options};
use std::process::ExitCode;
use std::time::Instant;

/// Exit status when an audit check failed and `--fail-on-findings` was given.
const EXIT_FINDINGS: u8 = 1;
/// Exit status for bad arguments, no input, or outputs that could not be written.
const EXIT_USAGE: u8 = 2;

/// The native `agent-ledger` binary.
pub fn main() -> ExitCode {
    let options = match args::parse(std::env::args_os().skip(1)) {
        Ok(Command::Run(o)) => *o,
        Ok(Command::Help) => {
            println!("{}", args::USAGE);
            return ExitCode::SUCCESS;
        }
        Ok(Command::Version) => {
            println!("agent-ledger {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("agent-ledger: {e}\nTry `agent-ledger --help`.");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    match run(options) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("agent-ledger: {e}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

fn run(o: Options) -> Result<ExitCode, String> {
    if o.timings {
        timings::enable();
    }
    if let Some(n) = o.threads {
        // Every parallel step (reading, the analysis, the exports) runs on the global pool.
        rayon::ThreadPoolBuilder::new().num_threads(n).build_global().map_err(|e| format!("--threads {n}: {e}"))?;
    }
    // Read and checked before any log: a rule file that does not load must stop the run, not
    // leave the user believing the exports are redacted as the file says.
    let redaction_rules = match &o.redaction_rules {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| format!("--redaction-rules {}: {e}", path.display()))?;
            crate::redact::Redaction::from_json(&text).map_err(|e| format!("--redaction-rules {}: {e}", path.display()))?;
            text
        }
        None => String::new(),
    };
    let paths = if o.paths.is_empty() {
        let found = walk::default_folders();
        if found.is_empty() {
            return Err("no PATH given and none of the agents' log folders exists (see --help); give a PATH".into());
        }
        found
    } else {
        o.paths.clone()
    };
    let (inputs, problems) = walk::walk(&paths)?;
    timings::mark("walk");
    for p in &problems {
        eprintln!("agent-ledger: warning: {p} (skipped)");
    }
    if inputs.is_empty() {
        let list: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        return Err(format!("no files to read under {}", list.join(", ")));
    }

    let chatty = progress::Progress::wanted(o.quiet);
    let total_bytes: u64 = inputs.iter().map(|f| f.bytes).sum();
    let started = Instant::now();
    let progress = progress::Progress::start(chatty, inputs.len() as u64, total_bytes);
    let ledger = read::ingest(&inputs, progress.counters());
    progress.stop();
    let read_time = started.elapsed();

    let generated_at_ms = o.generated_at_ms.unwrap_or_else(now_ms);
    let settings = analyze::Settings {
        since: o.since.clone(),
        until: o.until.clone(),
        tz: o.tz.clone(),
        redaction_rules,
        generated_at_ms,
        machine: o.machine.clone().unwrap_or_default(),
        files: o.out.is_some(),
    };
    if chatty && o.out.is_some() {
        // Building and deflating the exports takes a while on a big corpus: say so.
        eprint!("building the exports…");
    }
    let outcome = analyze::export(ledger, settings);
    if let Some(dir) = &o.out {
        output::write_all(dir, &outcome.files)?;
        timings::mark("write");
    }
    if o.json {
        println!("{}", output::totals_json(outcome.summary()));
    }
    if chatty {
        eprint!("\r\x1b[K");
        let where_to = o.out.as_ref().map(|d| format!("; wrote {} files to {}", outcome.files.len(), d.display()));
        eprintln!(
            "read {} files, {:.1} MiB in {:.2} s ({} MiB/s){}; done in {:.2} s",
            inputs.len(),
            total_bytes as f64 / (1u64 << 20) as f64,
            read_time.as_secs_f64(),
            progress::rate(total_bytes, read_time),
            where_to.unwrap_or_default(),
            started.elapsed().as_secs_f64()
        );
    }
    timings::report();
    let failed = outcome.failed_checks();
    let code = if o.fail_on_findings && !failed.is_empty() {
        eprintln!("agent-ledger: audit checks failed: {} (see audit.json)", failed.join(", "));
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    };
    // The process ends now: freeing the tables and exports one allocation at a time took about
    // 0.4 s of CPU on the real-world profile (13% of a `--json` run, measured with perf), for
    // memory the system takes back at once.
    std::mem::forget(outcome);
    Ok(code)
}

fn now_ms() -> crate::model::Millis {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
