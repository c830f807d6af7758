//! Native benchmark of what a person does after a load (issues #14.3 and #18.2), answered by the
//! query engine as the page's worker answers it: a model filter on and off, a time-zone change, a
//! redaction switch, three downloads (with the peak memory each adds), a sort and a text filter
//! of the largest dataset. The browser's own figures
//! (worker messages and drawing included) come from `scripts/bench-actions.sh`; this one says
//! where the engine's time goes, with no browser in the way.
//!
//! ```text
//! cargo bench --bench actions -- [--profile real-world|small] [--seed N] [--dir DIR]
//! ```
//! Baseline, measured in the same run: sorting as many random `u64` as the dataset has rows
//! (`sort_unstable`), the least a sort of that many rows can cost. Each action is reported in
//! milliseconds and as a ratio to it.

#[path = "shared/page_questions.rs"]
mod page_questions;

use agent_ledger::export::{self, paced::{self, Pieces, Straight, run_now}};
use agent_ledger::ingest::Ingest;
use agent_ledger::query::{Engine, PageQuery, Request, Response, Settings, Sort};
use agent_ledger::synth::{self, Profile};
use std::path::{Path, PathBuf};
use std::time::Instant;

fn main() {
    // On one thread, as the page's engine worker: natively the core splits some work over every
    // core (`agent_ledger::par`), which the page cannot. Everything runs inside the one-thread
    // pool, so that work handed to the pool runs on the thread that made the data and the
    // regexes (as in the page), not on another one.
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("a pool of one thread");
    pool.install(run);
}

fn run() {
    let Args { profile, seed, dir, usage_rows: grow_to } = args();
    let t = Instant::now();
    let mut ingest = Ingest::new();
    let mut bytes = 0u64;
    let mut add = |name: String, data: &[u8]| {
        bytes += data.len() as u64;
        ingest.add_file(name, data);
    };
    match &dir {
        Some(dir) => {
            let mut files = Vec::new();
            walk(dir, &mut files);
            files.sort();
            for path in files {
                if let Ok(data) = std::fs::read(&path) {
                    add(path.strip_prefix(dir).unwrap_or(&path).display().to_string(), &data);
                }
            }
        }
        None => synth::generate(&profile, seed, |f| add(f.name, &f.bytes)),
    }
    let mut ledger = ingest.finish();
    if let Some(rows) = grow_to {
        agent_ledger::synth::grow::grow_usage(&mut ledger.tables, rows);
    }
    let usage_rows = ledger.tables.usage.len();
    eprintln!("loaded {:.0} MB, {usage_rows} usage rows, in {:.1} s", bytes as f64 / 1e6, t.elapsed().as_secs_f64());

    let base = Settings::default();
    // `ACTIONS_PROFILE=engine`: only the engine made over the loaded ledger (what the page's
    // worker does at the end of every load: pricing, audit, roll-ups), to record with `perf`.
    if std::env::var("ACTIONS_PROFILE").as_deref() == Ok("engine") {
        for round in 0..5 {
            let ledger = ledger.clone();
            let t = Instant::now();
            let engine = Engine::new(ledger, base.clone());
            eprintln!("engine {round}: {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
            std::mem::forget(engine);
        }
        return;
    }
    let t = Instant::now();
    let mut engine = Engine::new(ledger, base.clone());
    let first = t.elapsed().as_secs_f64() * 1e3;
    // The two models with the most usage rows: the first filter, then another one (a filter
    // after the first reuses what the first worked out once per load).
    let (top_model, second_model) = match engine.answer(Request::Overview) {
        Response::Overview(o) => {
            let mut m: Vec<_> = o.by_model.iter().map(|g| (g.usage_rows, g.key.clone())).collect();
            m.sort_by(|a, b| b.cmp(a));
            let name = |i: usize| m.get(i).map(|(_, k)| k.clone()).unwrap_or_default();
            (name(0), name(1))
        }
        _ => (String::new(), String::new()),
    };

    // `ACTIONS_PROFILE=filter`: only new model filters, over and over (the three biggest models
    // in turn, so that none is the kept earlier analysis), to record with `perf`.
    if std::env::var("ACTIONS_PROFILE").as_deref() == Ok("filter") {
        let models: Vec<String> = match engine.answer(Request::Overview) {
            Response::Overview(o) => {
                let mut m: Vec<_> = o.by_model.iter().map(|g| (g.usage_rows, g.key.clone())).collect();
                m.sort_by(|a, b| b.cmp(a));
                m.into_iter().take(3).map(|(_, k)| k).collect()
            }
            _ => Vec::new(),
        };
        for round in 0..30 {
            let model = models[round % models.len()].clone();
            let t = Instant::now();
            engine.answer(Request::Configure { settings: Settings { model, ..base.clone() } });
            engine.answer(Request::Overview);
            eprintln!("filter {round}: {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
            engine.tidy();
        }
        return;
    }

    // `ACTIONS_PROFILE=redaction`: only one more rule switched on, over and over, to record
    // with `perf` (three rules in turn, so that the kept earlier analysis never answers).
    if std::env::var("ACTIONS_PROFILE").as_deref() == Ok("redaction") {
        for round in 0..21 {
            let rule = ["email", "ipv4", "ipv6"][round % 3];
            let t = Instant::now();
            engine.answer(Request::Configure { settings: rule_on(&base, rule) });
            engine.answer(Request::Overview);
            eprintln!("redaction {round}: {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
            engine.tidy();
        }
        return;
    }

    // `ACTIONS_PROFILE=pages`: the first sorts and text filters of the usage table
    // (`shared/page_questions.rs`), to record with `perf`; `PAGES_ONLY=word` asks only the
    // questions whose name holds it.
    if std::env::var("ACTIONS_PROFILE").as_deref() == Ok("pages") {
        let only = std::env::var("PAGES_ONLY").unwrap_or_default();
        for (name, question) in page_questions::questions().into_iter().filter(|(name, _)| name.contains(&only)) {
            let t = Instant::now();
            if let Response::Error { message } = engine.answer(Request::Page(question)) {
                eprintln!("{name}: {message}");
            }
            eprintln!("{name}: {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
        }
        return;
    }

    // `ACTIONS_PROFILE=file ACTIONS_FILE=report.md`: one download built five times, to record
    // with `perf` (the zip's per-entry figures below say which ones are worth it).
    if std::env::var("ACTIONS_PROFILE").as_deref() == Ok("file") {
        let name = std::env::var("ACTIONS_FILE").unwrap_or_else(|_| "report.md".into());
        let analysis = engine.snapshot();
        let meta = engine.export_meta(0);
        let input = analysis.export_input(&meta);
        for round in 0..5 {
            let t = Instant::now();
            let len = export::build_file(&input, &name).map_or(0, |f| f.bytes.len());
            eprintln!("{name} {round}: {:.0} ms, {len} bytes", t.elapsed().as_secs_f64() * 1e3);
        }
        return;
    }

    // `ACTIONS_PROFILE=zip`: only the page's zip, three times, to record with `perf`.
    if std::env::var("ACTIONS_PROFILE").as_deref() == Ok("zip") {
        let analysis = engine.snapshot();
        let meta = engine.export_meta(0);
        let input = analysis.export_input(&meta);
        for round in 0..3 {
            let t = Instant::now();
            let parts = run_now(paced::zip_parts(&input, &mut Straight, Pieces::PAGE));
            eprintln!("zip {round}: {:.0} ms, {} bytes", t.elapsed().as_secs_f64() * 1e3, parts.iter().flatten().map(Vec::len).sum::<usize>());
        }
        // The engine's share when a second worker compresses (the page's way): the entries'
        // bytes built and sent to a relay that only counts them. The time between two ops is
        // the building of the later op's bytes: summed by the entry it goes to, it says where
        // the share goes (the last round's, printed after it).
        let mut by_entry = Vec::new();
        for round in 0..3 {
            let sent = std::rc::Rc::new(std::cell::Cell::new(0usize));
            let spent = std::rc::Rc::new(std::cell::RefCell::new(EntryTimes::default()));
            let relay: agent_ledger::export::relay::Relay = {
                let (sent, spent) = (sent.clone(), spent.clone());
                std::rc::Rc::new(std::cell::RefCell::new(move |op: agent_ledger::export::relay::Op<'_>| {
                    use agent_ledger::export::relay::Op;
                    if let Op::Write { bytes, .. } | Op::AfterHead { bytes, .. } | Op::EndDatabase { head: bytes, .. } | Op::ParquetBegin { head: bytes, .. } | Op::ParquetRows { bytes, .. } = op {
                        sent.set(sent.get() + bytes.len());
                    }
                    spent.borrow_mut().op(&op);
                }))
            };
            let mut bundle = agent_ledger::export::bundle::Bundle::relaying(relay);
            let t = Instant::now();
            spent.borrow_mut().last = t;
            run_now(paced::zip_into(&input, &mut Straight, Pieces::PAGE, &mut bundle));
            eprintln!("entries built, not compressed {round}: {:.0} ms, {} bytes", t.elapsed().as_secs_f64() * 1e3, sent.get());
            by_entry = std::mem::take(&mut spent.borrow_mut().by_name);
        }
        by_entry.sort_by(|a, b| b.1.total_cmp(&a.1));
        for (name, ms) in by_entry {
            eprintln!("  {name}: {ms:.0} ms");
        }
        return;
    }

    let baseline = {
        let mut keys = page_questions::random_keys(usage_rows);
        let t = Instant::now();
        keys.sort_unstable();
        std::hint::black_box(&keys);
        t.elapsed().as_secs_f64() * 1e3
    };

    let mut rows: Vec<(String, f64)> = vec![("first analysis (default settings)".into(), first)];
    // A change as the page makes it: the new settings, then the overview; each part is printed
    // on a line of its own too.
    let mut configure = |name: &str, settings: Settings, engine: &mut Engine| {
        let t = Instant::now();
        engine.answer(Request::Configure { settings });
        let configured = t.elapsed().as_secs_f64() * 1e3;
        engine.answer(Request::Overview);
        let both = t.elapsed().as_secs_f64() * 1e3;
        rows.push((name.into(), both));
        rows.push(("  of which the settings".into(), configured));
        rows.push(("  of which the overview".into(), both - configured));
        // As the page's worker does once idle after a change: not part of the change's time.
        engine.tidy();
    };
    configure(&format!("model filter on ({top_model})"), Settings { model: top_model.clone(), ..base.clone() }, &mut engine);
    configure("model filter off", base.clone(), &mut engine);
    configure(&format!("another model filter on ({second_model})"), Settings { model: second_model.clone(), ..base.clone() }, &mut engine);
    configure("model filter off again", base.clone(), &mut engine);
    configure("time zone Europe/Berlin", Settings { zone: "Europe/Berlin".into(), ..base.clone() }, &mut engine);
    configure("time zone back to UTC", base.clone(), &mut engine);
    // The e-mail rule first, as the page's benchmark switches it: from the load's masks.
    configure("redaction: e-mail rule on", rule_on(&base, "email"), &mut engine);
    configure("redaction: e-mail rule off", base.clone(), &mut engine);
    configure("redaction: whole prompts", Settings { redact_prompts: true, ..base.clone() }, &mut engine);
    configure("redaction: back", base.clone(), &mut engine);

    // Downloads as the page's worker builds them (`worker::download`: the same functions, run
    // without its pauses; the zip and the database come in parts), with how far each raised
    // the process's peak memory above what it held before.
    let analysis = engine.snapshot();
    let meta = engine.export_meta(0);
    let input = analysis.export_input(&meta);
    for name in [export::USAGE_CSV, export::SQLITE, export::ZIP] {
        let before = memory::reset_peak();
        let t = Instant::now();
        // The page's worker copies each block of the database written for good into a Blob
        // and drops it: here each is dropped, counted.
        let bytes: usize = match name {
            export::ZIP => run_now(paced::zip_parts(&input, &mut Straight, Pieces::PAGE)).iter().flatten().map(Vec::len).sum(),
            export::SQLITE => run_now(paced::database_kept(&input, &mut Straight, |block| block.len()))
                .map_or(0, |kept| kept.head.len() + kept.kept.iter().sum::<usize>() + kept.rest.iter().map(Vec::len).sum::<usize>()),
            _ => run_now(paced::one_file(&input, name, &mut Straight, Pieces::PAGE)).map_or(0, |f| f.bytes.len()),
        };
        let ms = t.elapsed().as_secs_f64() * 1e3;
        let peak = memory::peak().saturating_sub(before);
        rows.push((format!("download {name} ({:.0} MB, peak +{:.0} MB)", bytes as f64 / 1e6, peak as f64 / 1e6), ms));
    }

    let page = |sort: Option<Sort>, text: &str| Request::Page(PageQuery { dataset: "usage_tokens.csv".into(), sort, text: text.into(), equals: vec![], offset: 0, limit: 100 });
    let sort = Some(Sort { column: "total_tokens".into(), descending: true });
    for (name, request) in [
        ("usage_tokens: first page", page(None, "")),
        ("usage_tokens: sort by total_tokens", page(sort.clone(), "")),
        ("usage_tokens: same sort, next look", page(sort, "")),
        ("usage_tokens: text filter \"cached\"", page(None, "cached")),
    ] {
        let t = Instant::now();
        let answer = engine.answer(request);
        let ms = t.elapsed().as_secs_f64() * 1e3;
        if let Response::Error { message } = answer {
            eprintln!("{name}: {message}");
        }
        rows.push((name.into(), ms));
    }

    println!("baseline: sort_unstable of {usage_rows} random u64: {baseline:.1} ms");
    println!("{:<60} {:>10} {:>10}", "action", "ms", "x base");
    for (name, ms) in rows {
        println!("{name:<60} {ms:>10.1} {:>10.1}", ms / baseline.max(1e-3));
    }
}

/// `base` with one more built-in rule switched on, as the page's rule list sends it.
fn rule_on(base: &Settings, rule: &str) -> Settings {
    let mut redaction = agent_ledger::query::analysis::redaction_of(base);
    redaction.set_enabled(rule, true);
    Settings { redaction_rules: redaction.to_json(), ..base.clone() }
}

struct Args {
    profile: Profile,
    seed: u64,
    dir: Option<PathBuf>,
    /// `--usage-rows N`: the usage table grown to N rows after the load (`synth::grow`).
    usage_rows: Option<usize>,
}

fn args() -> Args {
    let (mut profile, mut seed, mut dir, mut usage_rows) = (Profile::real_world(), 7, None, None);
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        match flag.as_str() {
            "--profile" => profile = it.next().and_then(|n| Profile::by_name(&n)).unwrap_or_else(|| exit("--profile takes real-world, small or sample")),
            "--seed" => seed = it.next().and_then(|s| s.parse().ok()).unwrap_or_else(|| exit("--seed takes a number")),
            "--dir" => dir = Some(it.next().map(PathBuf::from).unwrap_or_else(|| exit("--dir takes a folder"))),
            "--usage-rows" => usage_rows = Some(it.next().and_then(|s| s.parse().ok()).unwrap_or_else(|| exit("--usage-rows takes a number"))),
            // `cargo bench` passes `--bench`; ignore what we do not know.
            _ => {}
        }
    }
    Args { profile, seed, dir, usage_rows }
}

fn exit(msg: &str) -> ! {
    eprintln!("error: {msg}");
    std::process::exit(2)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// The process's memory on Linux (`/proc/self`): the resident set now, and its peak since the
/// last reset (0 where `/proc` is missing: the figure is then left out, not made up).
mod memory {
    fn status_kb(field: &str) -> u64 {
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let line = status.lines().find(|l| l.starts_with(field)).unwrap_or("");
        line.split_whitespace().nth(1).and_then(|n| n.parse().ok()).unwrap_or(0)
    }

    /// Reset the peak to the resident set now (`clear_refs` 5, Linux 4.0+) and return it, in bytes.
    pub fn reset_peak() -> u64 {
        let _ = std::fs::write("/proc/self/clear_refs", "5");
        status_kb("VmRSS:") * 1024
    }

    /// The peak resident set since [`reset_peak`], in bytes.
    pub fn peak() -> u64 {
        status_kb("VmHWM:") * 1024
    }
}

/// Where the engine's share of the zip goes (`ACTIONS_PROFILE=zip`): the time before each op,
/// summed by the file it gives bytes to.
struct EntryTimes {
    last: Instant,
    names: std::collections::HashMap<u32, &'static str>,
    by_name: Vec<(String, f64)>,
}

impl Default for EntryTimes {
    fn default() -> Self {
        EntryTimes { last: Instant::now(), names: Default::default(), by_name: Vec::new() }
    }
}

impl EntryTimes {
    fn op(&mut self, op: &agent_ledger::export::relay::Op<'_>) {
        use agent_ledger::export::relay::Op;
        let now = Instant::now();
        let ms = (now - self.last).as_secs_f64() * 1e3;
        self.last = now;
        let name = match *op {
            Op::Begin { entry, name } => {
                self.names.insert(entry, name);
                name.to_string()
            }
            Op::Write { entry, .. } | Op::AfterHead { entry, .. } | Op::EndDatabase { entry, .. } | Op::End { entry } => {
                self.names.get(&entry).map_or_else(|| format!("entry {entry}"), |n| n.to_string())
            }
            Op::ParquetBegin { file, .. } | Op::ParquetRows { file, .. } | Op::ParquetEnd { file } | Op::ParquetEntry { file } => {
                agent_ledger::export::PARQUET_NAMES.get(file as usize).map_or_else(|| format!("parquet {file}"), |n| n.to_string())
            }
        };
        match self.by_name.iter_mut().find(|(n, _)| *n == name) {
            Some((_, total)) => *total += ms,
            None => self.by_name.push((name, ms)),
        }
    }
}
