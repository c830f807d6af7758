//! The crate's import rules, read from its source: every `crate::…`, `super::…` and `self::…` path
//! of every file under `src/` (comments and string literals removed first), resolved to the module
//! it names. Two checks:
//! - [`RULES`]: edges that must not exist between top-level modules (the pipeline runs one way:
//!   ingest → formats → scan, with model below both; nothing of the core knows the browser UI);
//! - no import circle between sibling modules at any level (`formats` ↔ `ingest`, `synth/plan` ↔
//!   `synth/sample`), except those listed in [`KNOWN_CIRCLES`], which must shrink, never grow.
//!
//! A child using its parent (`use super::Thing` from a submodule) is not a circle: the parent
//! only declares the child. The parser is tested on hand-written snippets at the end.

mod read;

use read::{code_only, module_of, paths_named};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// What a top-level module may not import.
enum Deny {
    /// Only these other top-level modules are allowed (empty: a leaf).
    AllBut(&'static [&'static str]),
    /// These top-level modules are forbidden.
    These(&'static [&'static str]),
}

struct Rule {
    /// A top-level module under `src/`, or `*` for every one of the core (all but `ui`).
    from: &'static str,
    deny: Deny,
    why: &'static str,
}

const RULES: &[Rule] = &[
    Rule {
        from: "formats",
        deny: Deny::These(&[
            "ingest", "audit", "rollup", "pricing", "filter", "export", "synth", "ui",
        ]),
        why: "the adapters sit below the ingest engine that drives them; shared helpers live in scan or model",
    },
    Rule {
        from: "scan",
        deny: Deny::AllBut(&[]),
        why: "the JSON scanner is a leaf that anything may use",
    },
    Rule {
        from: "par",
        deny: Deny::AllBut(&[]),
        why: "splitting work over threads is a leaf that any stage may use",
    },
    Rule {
        from: "model",
        deny: Deny::These(&[
            "ingest", "formats", "scan", "audit", "rollup", "pricing", "filter", "export", "synth",
            "ui",
        ]),
        why: "the normalized tables sit below everything that fills or reads them",
    },
    Rule {
        from: "redact",
        deny: Deny::AllBut(&["model", "par"]),
        why: "redaction is a pipeline stage over the tables alone; the export calls it, never the reverse",
    },
    Rule {
        from: "*",
        deny: Deny::These(&["ui"]),
        why: "the core knows nothing of the browser (DESIGN.md section 6)",
    },
];

/// Circles that exist today, each owned by the work that removes it: `(a, b)` sibling modules.
/// When one is gone, delete its line (the test says so), so that it cannot come back.
const KNOWN_CIRCLES: &[(&str, &str)] = &[];

// ---------------------------------------------------------------------------------------------
// The checks, over `(path under src/, source)` pairs.

type Module = Vec<String>;

/// One import between two sibling modules, lifted from the files that make it, with an example.
struct Edge {
    from: Module,
    to: Module,
    file: String,
    path: String,
}

fn edges(files: &[(String, String)]) -> Vec<Edge> {
    // The crate root, the binaries and the page's entry are not modules of the library's layers.
    let layered = |rel: &str| rel != "lib.rs" && rel != "main.rs" && !rel.starts_with("bin/");
    // Every file's module and its ancestors (a folder may hold no `mod.rs` of its own here).
    let modules: BTreeSet<Module> = files
        .iter()
        .filter(|(r, _)| layered(r))
        .flat_map(|(r, _)| {
            let m = module_of(r);
            (1..=m.len()).map(move |k| m[..k].to_vec())
        })
        .collect();
    let mut out = Vec::new();
    for (rel, src) in files.iter().filter(|(r, _)| layered(r)) {
        let from = module_of(rel);
        for path in paths_named(&from, &code_only(src)) {
            let Some(to) = (1..=path.len())
                .rev()
                .map(|k| path[..k].to_vec())
                .find(|m| modules.contains(m))
            else {
                continue;
            };
            let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
            // A module using its own parent or child is not an edge between siblings.
            if common == from.len() || common == to.len() {
                continue;
            }
            out.push(Edge {
                from: from[..=common].to_vec(),
                to: to[..=common].to_vec(),
                file: rel.clone(),
                path: path.join("::"),
            });
        }
    }
    out
}

/// Every edge that breaks a rule, worded for the failure message.
fn rule_violations(edges: &[Edge]) -> Vec<String> {
    let mut out = BTreeSet::new();
    for e in edges.iter().filter(|e| e.from.len() == 1) {
        let (from, to) = (e.from[0].as_str(), e.to[0].as_str());
        for rule in RULES {
            let applies = rule.from == from || (rule.from == "*" && from != "ui");
            let denied = match rule.deny {
                Deny::AllBut(allowed) => !allowed.contains(&to),
                Deny::These(denied) => denied.contains(&to),
            };
            if applies && denied {
                out.insert(format!(
                    "{from} → {to}: src/{} names crate::{} ({})",
                    e.file, e.path, rule.why
                ));
            }
        }
    }
    out.into_iter().collect()
}

/// Pairs of sibling modules on an import circle: `a` imports `b`, and `b` leads back to `a`.
fn circles(edges: &[Edge]) -> BTreeMap<(String, String), String> {
    let mut next: BTreeMap<&Module, BTreeSet<&Module>> = BTreeMap::new();
    for e in edges {
        next.entry(&e.from).or_default().insert(&e.to);
    }
    let reaches = |from: &Module, goal: &Module| {
        let (mut seen, mut todo) = (BTreeSet::new(), vec![from]);
        while let Some(m) = todo.pop() {
            if m == goal {
                return true;
            }
            if seen.insert(m) {
                todo.extend(next.get(m).into_iter().flatten().copied());
            }
        }
        false
    };
    let mut out = BTreeMap::new();
    for e in edges {
        if reaches(&e.to, &e.from) {
            let (a, b) = (e.from.join("::"), e.to.join("::"));
            let key = if a < b { (a, b) } else { (b, a) };
            out.entry(key)
                .or_insert_with(|| format!("src/{} names crate::{}", e.file, e.path));
        }
    }
    out
}

fn read_src() -> Vec<(String, String)> {
    fn walk(dir: &Path, root: &Path, out: &mut Vec<(String, String)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .expect("src/ is readable")
            .flatten()
            .map(|e| e.path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, root, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let rel = p
                    .strip_prefix(root)
                    .expect("under src/")
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((rel, std::fs::read_to_string(&p).expect("UTF-8 source")));
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = Vec::new();
    walk(&root, &root, &mut out);
    out
}

#[test]
fn imports_follow_the_rules() {
    let files = read_src();
    assert!(files.len() > 100, "read {} files", files.len());
    let bad = rule_violations(&edges(&files));
    assert!(bad.is_empty(), "forbidden imports:\n{}", bad.join("\n"));
}

#[test]
fn no_import_circle_between_sibling_modules() {
    let found = circles(&edges(&read_src()));
    let known: BTreeSet<(String, String)> = KNOWN_CIRCLES
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    let new: Vec<String> = found
        .iter()
        .filter(|(k, _)| !known.contains(*k))
        .map(|((a, b), why)| format!("{a} ↔ {b} ({why})"))
        .collect();
    assert!(new.is_empty(), "import circles:\n{}", new.join("\n"));
    let gone: Vec<_> = known.iter().filter(|k| !found.contains_key(*k)).collect();
    assert!(
        gone.is_empty(),
        "these circles are gone: delete them from KNOWN_CIRCLES so they stay gone: {gone:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// The reader and the checks on hand-written sources.

fn named(module: &str, src: &str) -> Vec<String> {
    let m: Module = module.split("::").map(str::to_string).collect();
    paths_named(&m, &code_only(src))
        .into_iter()
        .map(|p| p.join("::"))
        .collect()
}

#[test]
fn the_reader_resolves_paths_as_rustc_would() {
    let table: &[(&str, &str, &[&str])] = &[
        (
            "ingest",
            "use crate::{formats::{self, Adapter}, model::Tables};",
            &["formats", "formats::Adapter", "model::Tables"],
        ),
        (
            "formats::claude::fast",
            "use super::super::super::ingest::Ingest;",
            &["ingest::Ingest"],
        ),
        (
            "formats::claude::fast",
            "use super::wire::Line; use self::inner::X;",
            &[
                "formats::claude::wire::Line",
                "formats::claude::fast::inner::X",
            ],
        ),
        (
            "formats::codex",
            "let t = crate::timefmt::parse_iso(s)?; let v = Vec::<u8>::new();",
            &["timefmt::parse_iso"],
        ),
        (
            "synth::plan",
            "fn a() {}\nmod tests {\n    use super::helper;\n}\nuse super::sample;",
            &["synth::plan::helper", "synth::sample"],
        ),
        (
            "formats",
            "// crate::ingest::push_row\n/* crate::ui /* nested */ crate::ui */ let s = \"crate::ingest\";",
            &[],
        ),
        (
            "formats",
            "let r = r#\"crate::ingest \" \"#; let b = br\"crate::ui\"; let c = '\"'; let d = '\\'';",
            &[],
        ),
        (
            "model",
            "fn f<'a>(x: &'a str) -> char { 'x' } use crate::timefmt::{self as t, *};",
            &["timefmt", "timefmt"],
        ),
    ];
    for (module, src, want) in table {
        assert_eq!(named(module, src), *want, "{src}");
    }
}

#[test]
fn a_reintroduced_edge_or_circle_is_caught() {
    let file = |p: &str, s: &str| (p.to_string(), s.to_string());
    let clean = vec![
        file(
            "ingest/mod.rs",
            "use crate::formats::adapter_for; use crate::model::Tables;",
        ),
        file(
            "formats/mod.rs",
            "use crate::model::push_row; use crate::scan::Scanner;",
        ),
        file("formats/claude/fast.rs", "use crate::scan::{Bail, Scan};"),
        file("scan/mod.rs", "mod find; use find::find_byte;"),
        file("model/mod.rs", "mod grow;"),
        file(
            "synth/plan.rs",
            "use super::file::codex_name; use super::sample;",
        ),
        file("synth/sample.rs", "use super::file::{codex_name, day_ms};"),
        file("synth/file.rs", ""),
        file("ui/state.rs", "use crate::ingest::Ledger;"),
    ];
    assert_eq!(rule_violations(&edges(&clean)), Vec::<String>::new());
    assert!(circles(&edges(&clean)).is_empty());

    // Each forbidden edge alone.
    let mut bad = clean.clone();
    bad[2] = file(
        "formats/claude/fast.rs",
        "use crate::{scan::Bail, ingest::push_row};",
    );
    bad[3] = file("scan/mod.rs", "use crate::model::Millis;");
    bad[4] = file(
        "model/mod.rs",
        "pub fn f() { crate::formats::sniff::sniff_line(b\"\"); }",
    );
    bad.push(file("rollup.rs", "use crate::ui::App;"));
    let got = rule_violations(&edges(&bad));
    let starts: Vec<&str> = got
        .iter()
        .map(|v| v.split(':').next().unwrap_or(""))
        .collect();
    assert_eq!(
        starts,
        [
            "formats → ingest",
            "model → formats",
            "rollup → ui",
            "scan → model"
        ],
        "{got:#?}"
    );

    // The two circles this branch removed, back again.
    let mut bad = clean.clone();
    bad[2] = file("formats/claude/fast.rs", "use crate::ingest::push_row;");
    bad[6] = file("synth/sample.rs", "use super::plan::codex_name;");
    let pairs: Vec<(String, String)> = circles(&edges(&bad)).into_keys().collect();
    let want = [("formats", "ingest"), ("synth::plan", "synth::sample")]
        .map(|(a, b)| (a.to_string(), b.to_string()));
    assert_eq!(pairs, want);
}
