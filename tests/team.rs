//! The team view (issue #17 item 6): exports made on other machines, merged without counting
//! anything twice, with a machine filter and per-machine totals.
//!
//! The sample is split between machines along the lines a real team splits it: "alpha" ran the
//! Codex and Claude sessions, "beta" the rest (Gemini, Copilot, tool audit, relay calls), and
//! "gamma" exported a part that overlaps both (one Claude project with its sub-agent, and the
//! relay log). The expected totals are those of the log parsers over the union of the logs,
//! read once: worked out from the logs, never from the importer.

mod common;

use agent_ledger::export::{self, ReportMeta};
use agent_ledger::ingest::Ledger;
use agent_ledger::model::Format;
use agent_ledger::query::{Settings, analysis};
use agent_ledger::rollup::Totals;
use std::sync::Arc;

const AT_MS: i64 = 1_767_323_045_000;

type Files = Vec<(String, Vec<u8>)>;

fn sample() -> Files {
    agent_ledger::synth::sample_files()
}

fn on_alpha(name: &str) -> bool {
    ["sessions/", "archived_sessions/", "projects/"].iter().any(|p| name.starts_with(p))
}

fn on_gamma(name: &str) -> bool {
    name.starts_with("projects/-home-ann-shop/") || name == "relay-calls.ndjson"
}

fn pick(keep: fn(&str) -> bool) -> Files {
    sample().into_iter().filter(|(n, _)| keep(n)).collect()
}

fn analyze(ledger: Ledger, settings: &Settings) -> analysis::Analysis {
    analysis::analyze(Arc::new(ledger), settings, &analysis::price_book(settings))
}

/// `agent-ledger-export.zip` of these logs, made on `machine` (empty = unnamed).
fn export_zip(files: &Files, machine: &str) -> Vec<u8> {
    let settings = Settings { machine_name: machine.into(), ..Settings::default() };
    let a = analyze(common::ingest(files), &settings);
    let meta = ReportMeta { generated_at_ms: Some(AT_MS), price_snapshot: a.price_label.clone(), machine: machine.into() };
    export::build_file(&a.export_input(&meta), export::ZIP).expect("the zip").bytes
}

fn totals(ledger: Ledger, machine: &str) -> Totals {
    analyze(ledger, &Settings { machine: machine.into(), ..Settings::default() }).summary.totals.clone()
}

/// Totals as comparable numbers: the counts exact, the cost apart ([`same`]), since sums in
/// another order may differ in the last bits.
#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    counts: [i64; 12],
    cost: f64,
}

fn same(got: Sums, want: Sums, what: &str) {
    assert_eq!(got.counts, want.counts, "{what}");
    assert!((got.cost - want.cost).abs() <= 1e-9 * want.cost.abs().max(1.0), "{what}: cost {} vs {}", got.cost, want.cost);
}

fn key(t: &Totals) -> Sums {
    let u = &t.usage;
    let counts = [
        t.sessions as i64,
        t.queries as i64,
        t.tool_calls as i64,
        u.usage_rows as i64,
        u.input_tokens,
        u.cached_input_tokens,
        u.cache_creation_input_tokens,
        u.output_tokens,
        u.reasoning_output_tokens,
        u.total_tokens,
        t.api_calls as i64,
        t.tool_audit_rows as i64,
    ];
    Sums { counts, cost: u.cost_usd }
}

enum Input {
    /// Logs read on this machine.
    Logs(fn(&str) -> bool),
    /// The export of the logs `keep` picks, made on `machine`.
    Zip(&'static str, fn(&str) -> bool),
}

fn load(inputs: &[Input]) -> Ledger {
    let mut files = Files::new();
    for (i, input) in inputs.iter().enumerate() {
        match input {
            Input::Logs(keep) => files.extend(pick(*keep)),
            Input::Zip(machine, keep) => files.push((format!("{machine}-{i}/agent-ledger-export.zip"), export_zip(&pick(*keep), machine))),
        }
    }
    common::ingest(&files)
}

#[test]
fn merged_exports_count_every_record_once() {
    let all = |_: &str| true;
    let not_alpha = |n: &str| !on_alpha(n);
    let union = key(&totals(common::ingest(&sample()), ""));
    let alpha_only = key(&totals(common::ingest(&pick(on_alpha)), ""));
    assert!(union.counts[3] > alpha_only.counts[3] && alpha_only.counts[3] > 0, "the split leaves usage on both sides");
    // The union itself against the generator's oracle (what its writers wrote, not a parser).
    let oracle = agent_ledger::synth::oracle_of(&agent_ledger::synth::sample());
    let mut u = agent_ledger::synth::TokenSums::default();
    oracle.by_format.values().for_each(|f| u.add(&f.counts.usage));
    let tokens = [u.rows as i64, u.input_tokens, u.cached_input_tokens, u.cache_creation_input_tokens, u.output_tokens, u.reasoning_output_tokens, u.total_tokens];
    assert_eq!(union.counts[3..10], tokens);
    let cases: Vec<(&str, Vec<Input>, Sums)> = vec![
        ("two machines", vec![Input::Zip("alpha", on_alpha), Input::Zip("beta", not_alpha)], union),
        ("two machines and an overlap", vec![Input::Zip("alpha", on_alpha), Input::Zip("beta", not_alpha), Input::Zip("gamma", on_gamma)], union),
        ("the overlap first", vec![Input::Zip("gamma", on_gamma), Input::Zip("alpha", on_alpha), Input::Zip("beta", not_alpha)], union),
        ("local logs and a zip", vec![Input::Logs(on_alpha), Input::Zip("beta", not_alpha)], union),
        ("a zip of the logs already read", vec![Input::Logs(on_alpha), Input::Zip("alpha", on_alpha)], alpha_only),
        ("everything twice", vec![Input::Logs(all), Input::Zip("alpha", all), Input::Zip("beta", all)], union),
    ];
    for (name, inputs, want) in cases {
        let ledger = load(&inputs);
        for f in &ledger.report.files {
            assert!(f.balanced(), "{name}: {} does not add up: {f:?}", f.file);
            assert_eq!(f.malformed, 0, "{name}: {}: {:?}", f.file, f.issues);
        }
        if name == "two machines and an overlap" {
            // Every row of gamma's tables was in already: counted once, as duplicates on its zip.
            let zip = ledger.report.files.iter().find(|f| f.file.starts_with("gamma")).unwrap();
            let files = ledger.tables.files.iter().filter(|f| f.machine.as_deref() == Some("gamma")).count() as u64;
            assert!(zip.duplicates > 0 && zip.parsed == files, "{zip:?}");
            assert_eq!(zip.lines, zip.parsed + zip.skipped + zip.duplicates);
        }
        same(key(&totals(ledger, "")), want, name);
    }
}

#[test]
fn per_machine_totals_sum_to_the_whole() {
    let not_alpha = |n: &str| !on_alpha(n);
    let inputs = [Input::Logs(on_gamma), Input::Zip("alpha", on_alpha), Input::Zip("beta", not_alpha)];
    let whole = key(&totals(load(&inputs), ""));
    let mut sum = Sums::default();
    for machine in ["this machine", "alpha", "beta"] {
        let part = key(&totals(load(&inputs), machine));
        assert!(part.counts[0] > 0, "{machine} has sessions");
        sum.counts.iter_mut().zip(part.counts).for_each(|(s, p)| *s += p);
        sum.cost += part.cost;
    }
    same(sum, whole, "the machines' sum");
    // The overview's per-machine lines, as the page shows them, sum to its totals too.
    let a = analyze(load(&inputs), &Settings::default());
    let choices = agent_ledger::query::overview::Choices::of(&a.ledger.tables);
    let o = agent_ledger::query::overview::build(&a, &choices);
    assert_eq!(o.machines, ["alpha", "beta", "this machine"]);
    let names: Vec<&str> = o.by_machine.iter().map(|l| l.machine.as_str()).collect();
    assert_eq!(names, o.machines);
    let (rows, tokens) = o.by_machine.iter().fold((0, 0), |(r, t), l| (r + l.usage_rows, t + l.total_tokens));
    assert_eq!((rows, tokens), (o.totals.usage_rows, o.totals.total_tokens));
    assert_eq!(o.by_machine.iter().map(|l| l.sessions).sum::<u64>(), o.sessions);
    let cost: f64 = o.by_machine.iter().map(|l| l.cost_usd).sum();
    assert!((cost - o.totals.cost_usd).abs() < 1e-9, "{cost} vs {}", o.totals.cost_usd);
    // Named here, the local logs answer to this machine's name, not to "this machine".
    let named = Settings { machine: "desk".into(), machine_name: "desk".into(), ..Settings::default() };
    let local = key(&analyze(load(&inputs), &named).summary.totals);
    same(local, key(&totals(common::ingest(&pick(on_gamma)), "")), "the named local machine");
}

#[test]
fn a_merged_view_exported_again_keeps_each_rows_machine() {
    // "desk" merges alpha's and beta's exports with its own logs (gamma's part, whose relay log
    // has the same file name as one in beta's export) and exports the merged view; a fourth
    // page reads that one zip. Every row keeps the machine it came from.
    let not_alpha = |n: &str| !on_alpha(n);
    let inputs = [Input::Logs(on_gamma), Input::Zip("alpha", on_alpha), Input::Zip("beta", not_alpha)];
    let desk = Settings { machine_name: "desk".into(), ..Settings::default() };
    let merged = analyze(load(&inputs), &desk);
    let meta = ReportMeta { generated_at_ms: Some(AT_MS), price_snapshot: merged.price_label.clone(), machine: "desk".into() };
    let zip = export::build_file(&merged.export_input(&meta), export::ZIP).expect("the zip").bytes;
    let again = || common::ingest(&[("desk.zip".into(), zip.clone())]);
    for machine in ["alpha", "beta", "desk"] {
        let there = key(&analyze(load(&inputs), &Settings { machine: machine.into(), ..desk.clone() }).summary.totals);
        assert!(there.counts[0] > 0, "{machine} has sessions");
        same(key(&totals(again(), machine)), there, machine);
    }
    same(key(&totals(again(), "")), key(&merged.summary.totals), "the whole");
    // The merged export's datasets end with `machine` (empty for desk's own rows); schema.sql
    // says so too. An export of one machine's logs has no such column (see below).
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let mut entry = |name: &str| {
        let mut out = String::new();
        std::io::Read::read_to_string(&mut z.by_name(name).unwrap(), &mut out).unwrap();
        out
    };
    let usage = entry("usage_tokens.csv");
    assert!(usage.lines().next().unwrap().ends_with(",file,line,machine"), "{}", usage.lines().next().unwrap());
    assert!(usage.lines().any(|l| l.ends_with(",alpha")) && usage.lines().any(|l| l.ends_with(",")), "rows of alpha and of desk");
    assert!(entry("ingest_report.csv").lines().next().unwrap().ends_with(",note,machine"));
    assert!(entry("schema.sql").contains("  \"machine\" TEXT\n);"), "{}", entry("schema.sql"));
}

#[test]
fn the_machine_name_is_written_only_when_given() {
    let files = pick(on_gamma);
    let entry = |zip: &[u8], name: &str| {
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(zip.to_vec())).unwrap();
        let mut out = String::new();
        std::io::Read::read_to_string(&mut z.by_name(name).unwrap(), &mut out).unwrap();
        out
    };
    let (named, unnamed) = (export_zip(&files, "alpha"), export_zip(&files, ""));
    let catalog: serde_json::Value = serde_json::from_str(&entry(&named, "catalog.json")).unwrap();
    assert_eq!(catalog["machine"], "alpha");
    assert!(!entry(&unnamed, "catalog.json").contains("\"machine\""));
    // Only catalog.json and the typed files' metadata change; every CSV is the same, with no
    // `machine` column (only a merged view's export has one).
    for csv in export::CSV_NAMES {
        assert_eq!(entry(&named, csv), entry(&unnamed, csv), "{csv}");
        assert!(!entry(&named, csv).lines().next().unwrap().contains("machine"), "{csv}");
    }
    // A hostile name stays text, its controls made visible, at most 64 characters long.
    let hostile = format!("<img src=x onerror=alert(1)>\u{1b}[31m\u{202e}{}", "x".repeat(100));
    let zip = rewrite(&named, |name, text| if name == "catalog.json" { text.replacen("\"alpha\"", &serde_json::to_string(&hostile).unwrap(), 1) } else { text.to_string() });
    let ledger = common::ingest(&[("hostile.zip".into(), zip)]);
    let label = ledger.tables.files[1].machine.clone().unwrap();
    assert!(label.starts_with("<img src=x onerror=alert(1)>\u{241b}[31m⟦U+202E⟧xxx") && label.chars().count() == 64, "{label:?}");
    // An unnamed export is labelled by its file name.
    let ledger = common::ingest(&[("laptop.zip".into(), unnamed)]);
    assert!(ledger.tables.files.iter().skip(1).all(|f| f.machine.as_deref() == Some("laptop.zip")));
}

#[test]
fn bad_zips_and_rows_are_reported_and_the_rest_loads() {
    let good = export_zip(&pick(on_gamma), "gamma");
    // Damage one usage row and one session row: each is malformed with its dataset and line.
    let damaged = rewrite(&good, |name, text| match name {
        "usage_tokens.csv" => text.replacen("\r\n", "\r\nnot,a,row\r\n", 1),
        "sessions.csv" => text.replacen(",true,", ",maybe,", 1),
        _ => text.to_string(),
    });
    let mut files = pick(|n| n.starts_with("tool_audit/"));
    files.push(("damaged.zip".into(), damaged));
    files.push(("truncated.zip".into(), good[..good.len() / 2].to_vec()));
    files.push(("other.zip".into(), plain_zip()));
    let ledger = common::ingest(&files);
    let report = |name: &str| ledger.report.files.iter().find(|f| f.file == name).unwrap().clone();
    let d = report("damaged.zip");
    assert_eq!(d.format, Some(Format::LedgerExport));
    assert_eq!(d.malformed, 2, "{:?}", d.issues);
    assert!(d.issues.iter().any(|i| i.reason.starts_with("usage_tokens.csv row 1: ")), "{:?}", d.issues);
    assert!(d.issues.iter().any(|i| i.reason.contains("usage_available is \"maybe\"")), "{:?}", d.issues);
    assert!(d.balanced());
    for bad in ["truncated.zip", "other.zip"] {
        let r = report(bad);
        assert_eq!((r.format, r.lines), (Some(Format::Unknown), 0), "{bad}: {r:?}");
        assert!(r.note.contains("zip archive"), "{bad}: {}", r.note);
    }
    // The logs and the damaged zip's good rows still load.
    let gamma = common::ingest(&pick(on_gamma));
    let on_gamma_rows = ledger.tables.sessions.iter().filter(|s| ledger.tables.machine_of(s.source.file, "") == "gamma").count();
    assert_eq!(on_gamma_rows, gamma.tables.sessions.len() - 1, "the damaged session row is left out");
    assert_eq!(key(&totals(ledger, "gamma")).counts[3], key(&totals(gamma, "")).counts[3], "the usage rows all load");
}

/// A zip of the same entries, each rewritten by `edit`.
fn rewrite(zip: &[u8], edit: impl Fn(&str, &str) -> String) -> Vec<u8> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(zip.to_vec())).unwrap();
    let mut files = Vec::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut bytes).unwrap();
        let bytes = match String::from_utf8(bytes) {
            Ok(text) => edit(&name, &text).into_bytes(),
            Err(e) => e.into_bytes(),
        };
        files.push((name, bytes));
    }
    write_zip(&files)
}

/// A zip that is not an export.
fn plain_zip() -> Vec<u8> {
    write_zip(&[("notes.txt".into(), b"hello".to_vec())])
}

fn write_zip(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in files {
        w.start_file(name.as_str(), zip::write::SimpleFileOptions::default()).unwrap();
        std::io::Write::write_all(&mut w, bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// The command-line twin: `agent-ledger --out DIR --machine NAME logs/` labels its export, and
/// `agent-ledger --out DIR a.zip b.zip logs/` merges, with the totals of the union read once.
#[test]
fn the_cli_exports_under_a_name_and_merges_zips_with_logs() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("team-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let write = |folder: &str, keep: fn(&str) -> bool| {
        for (name, bytes) in pick(keep) {
            let path = dir.join(folder).join(&name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
        dir.join(folder)
    };
    let (alpha, beta, gamma) = (write("alpha", on_alpha), write("beta", |n| !on_alpha(n)), write("gamma", on_gamma));
    let run = |args: &[&std::ffi::OsStr]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_agent-ledger")).args(args).arg("-q").output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    };
    let export = |machine: &str, logs: &std::path::Path| {
        let out = dir.join(format!("out-{machine}"));
        run(&["--out".as_ref(), out.as_os_str(), "--machine".as_ref(), machine.as_ref(), logs.as_os_str()]);
        let catalog: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("catalog.json")).unwrap()).unwrap();
        assert_eq!(catalog["machine"], machine);
        out.join("agent-ledger-export.zip")
    };
    let (za, zb) = (export("alpha", &alpha), export("beta", &beta));
    let union = key(&totals(common::ingest(&sample()), ""));
    let cases: [(&str, Vec<&std::path::Path>); 2] = [("two zips", vec![&za, &zb]), ("two zips and overlapping logs", vec![&za, &zb, &gamma])];
    for (name, inputs) in cases {
        let out = dir.join("merged");
        let mut args: Vec<&std::ffi::OsStr> = vec!["--out".as_ref(), out.as_os_str()];
        args.extend(inputs.iter().map(|p| p.as_os_str()));
        run(&args);
        let summary: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
        let t = &summary["totals"];
        let got = ["sessions", "queries", "tool_calls", "usage_rows", "input_tokens", "cached_input_tokens"].map(|k| t[k].as_i64().unwrap());
        assert_eq!(got[..], union.counts[..6], "{name}");
        assert_eq!(t["total_tokens"].as_i64().unwrap(), union.counts[9], "{name}");
        let cost = t["cost_usd"].as_f64().unwrap();
        assert!((cost - union.cost).abs() < 1e-9, "{name}: cost {cost} vs {}", union.cost);
        // The ingest report says what became of each zip's rows, and they add up.
        let report = std::fs::read_to_string(out.join("ingest_report.csv")).unwrap();
        let zips: Vec<&str> = report.lines().filter(|l| l.contains("agent-ledger-export.zip,ledger-export,")).collect();
        assert_eq!(zips.len(), 2, "{report}");
    }
}

/// A log read here up to a point, then exported in full by another machine (it grew there): each
/// request counts once, the session on the machine of its first record, the new rows on alpha's.
#[test]
fn a_log_that_grew_after_it_was_read_counts_each_request_once() {
    let (name, bytes) = sample().into_iter().find(|(n, _)| n.starts_with("sessions/") && n.ends_with(".jsonl")).unwrap();
    let text = String::from_utf8(bytes.clone()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let prefix = lines[..lines.len() / 2].join("\n") + "\n";
    let full: Files = vec![(name.clone(), bytes)];
    let files: Files = vec![(name, prefix.into_bytes()), ("alpha.zip".into(), export_zip(&full, "alpha"))];
    let whole = key(&totals(common::ingest(&files), ""));
    same(whole, key(&totals(common::ingest(&full), "")), "the part read here and the full export");
    let here = key(&totals(common::ingest(&files), "this machine"));
    let alpha = key(&totals(common::ingest(&files), "alpha"));
    assert_eq!((here.counts[0], alpha.counts[0]), (1, 0), "the session is this machine's");
    assert!(here.counts[3] > 0 && alpha.counts[3] > 0, "requests on both machines");
    for i in [1, 2, 3, 9] {
        assert_eq!(here.counts[i] + alpha.counts[i], whole.counts[i], "column {i}");
    }
}

/// Damaged exports never stop a load: bytes flipped anywhere in a zip, and cells of its CSVs
/// replaced by junk, each give a report row that adds up, and the logs beside them still load.
#[test]
fn damaged_exports_never_panic_and_always_add_up() {
    let good = export_zip(&pick(on_gamma), "gamma");
    let logs = pick(|n| n.starts_with("tool_audit/"));
    let want = key(&totals(common::ingest(&logs), "")).counts[11];
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let (mut malformed, mut unreadable) = (0, 0);
    for round in 0..40 {
        let damaged = if round % 2 == 0 {
            let mut z = good.clone();
            for _ in 0..1 + round / 8 {
                let at = (next() as usize) % z.len();
                z[at] ^= 1 << (next() % 8);
            }
            z
        } else {
            let junk = ["", "x", "-1", "'=1+1", "\"", "1e309", "true", "2025-13-01T00:00:00Z", "NaN"];
            let (pick_col, pick_junk) = (next() as usize, junk[(next() as usize) % junk.len()]);
            rewrite(&good, |name, text| {
                if !name.ends_with(".csv") {
                    return text.to_string();
                }
                // Replace one cell of every third row.
                text.split("\r\n")
                    .enumerate()
                    .map(|(i, line)| {
                        if i == 0 || i % 3 != 0 {
                            return line.to_string();
                        }
                        let mut cells: Vec<&str> = line.split(',').collect();
                        let at = pick_col % cells.len();
                        cells[at] = pick_junk;
                        cells.join(",")
                    })
                    .collect::<Vec<_>>()
                    .join("\r\n")
            })
        };
        let mut files = logs.clone();
        files.push((format!("round-{round}.zip"), damaged));
        let ledger = common::ingest(&files);
        for f in &ledger.report.files {
            assert!(f.balanced(), "round {round}: {f:?}");
        }
        let zip = ledger.report.files.iter().find(|f| f.file.starts_with("round-")).unwrap();
        malformed += zip.malformed;
        // A flipped bit in a deflated entry fails its checksum: that entry is named in the note.
        unreadable += u64::from(zip.lines == 0 || zip.note.contains(".csv: ") || zip.note.contains(".json: "));
        assert_eq!(key(&totals(ledger, "this machine")).counts[11], want, "round {round}: the logs still load");
    }
    assert!(malformed > 0 && unreadable > 0, "the damage was seen: {malformed} malformed rows, {unreadable} zips with an unreadable entry");
}
