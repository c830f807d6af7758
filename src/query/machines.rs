//! The team view's per-machine totals: what each machine's rows add up to under the current
//! filters, so that the lines sum to the overview's totals (every row is on exactly one machine,
//! its file's: `Tables::machine_of`).

use super::analysis::Analysis;
use super::protocol::overview::MachineLine;
use crate::ingest::IngestReport;
use crate::model::{FileId, Format, Tables};
use rustc_hash::FxHashSet;

/// One line per machine with rows in the analysed tables, in name order.
pub fn lines(a: &Analysis) -> Vec<MachineLine> {
    let t = a.tables();
    let local = a.filter.local_machine.as_str();
    // Each file's machine looked up once: a row then finds its line by index, not by comparing
    // names (this runs on every overview, over every row).
    let mut names: Vec<&str> = Vec::new();
    let by_file: Vec<usize> = (0..t.files.len()).map(|f| slot_of(&mut names, t.machine_of(f as FileId, local))).collect();
    let unknown_file = slot_of(&mut names, t.machine_of(FileId::MAX, local));
    let slot = |file: FileId| by_file.get(file as usize).copied().unwrap_or(unknown_file);
    let mut by: Vec<Option<MachineLine>> = vec![None; names.len()];
    // Distinct sessions per machine, as the overview counts them (a sub-agent's file repeats
    // its session's id).
    let mut seen: FxHashSet<(usize, &str)> = FxHashSet::default();
    for s in &t.sessions {
        let fresh = seen.insert((slot(s.source.file), s.session_id.as_str()));
        line(&mut by, &names, slot(s.source.file)).sessions += u64::from(fresh);
    }
    for (i, u) in t.usage.iter().enumerate() {
        let l = line(&mut by, &names, slot(u.source.file));
        l.usage_rows += 1;
        l.input_tokens += u.input_tokens;
        l.output_tokens += u.output_tokens;
        l.total_tokens += u.total_tokens;
        match a.usage_costs.get(i).copied().flatten() {
            Some(c) => l.cost_usd += c,
            None => l.unpriced_rows += 1,
        }
    }
    for q in &t.queries {
        line(&mut by, &names, slot(q.source.file)).queries += 1;
    }
    for c in t.tool_calls.iter().filter(|c| !c.is_output_without_call()) {
        line(&mut by, &names, slot(c.source.file)).tool_calls += 1;
    }
    let mut lines: Vec<MachineLine> = by.into_iter().flatten().collect();
    lines.sort_by(|x, y| x.machine.cmp(&y.machine));
    lines
}

/// The line of machine `i`, started when it gets its first row.
fn line<'a>(by: &'a mut [Option<MachineLine>], names: &[&str], i: usize) -> &'a mut MachineLine {
    by[i].get_or_insert_with(|| MachineLine { machine: names[i].to_string(), ..MachineLine::default() })
}

/// The index of `machine` in `names`, added when new.
fn slot_of<'t>(names: &mut Vec<&'t str>, machine: &'t str) -> usize {
    match names.iter().position(|n| *n == machine) {
        Some(i) => i,
        None => {
            names.push(machine);
            names.len() - 1
        }
    }
}

/// Every machine of the whole load (not the filtered view), for the filter's choices: the
/// machines the exports name, and this machine when a log was read here. An export's own zip
/// is read here but holds no row of this machine, so it does not count.
pub fn choices(t: &Tables, report: &IngestReport, local: &str) -> Vec<String> {
    let mut out: Vec<String> = (0..t.files.len())
        .filter(|&i| report.files.get(i).is_none_or(|r| r.format != Some(Format::LedgerExport)))
        .map(|i| t.machine_of(i as u32, local).to_string())
        .collect();
    out.sort();
    out.dedup();
    out
}
