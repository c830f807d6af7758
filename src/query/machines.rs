//! The team view's per-machine totals: what each machine's rows add up to under the current
//! filters, so that the lines sum to the overview's totals (every row is on exactly one machine,
//! its file's: `Tables::machine_of`).

use super::analysis::Analysis;
use super::protocol::overview::MachineLine;
use crate::ingest::IngestReport;
use crate::model::{Format, Tables};
use std::collections::{BTreeMap, HashSet};

/// One line per machine with rows in the analysed tables, in name order.
pub fn lines(a: &Analysis) -> Vec<MachineLine> {
    let t = a.tables();
    let local = a.filter.local_machine.as_str();
    let mut by: BTreeMap<&str, MachineLine> = BTreeMap::new();
    let on = |file| t.machine_of(file, local);
    // Distinct sessions per machine, as the overview counts them (a sub-agent's file repeats
    // its session's id).
    let mut seen: HashSet<(&str, &str)> = HashSet::new();
    for s in &t.sessions {
        let fresh = seen.insert((t.machine_of(s.source.file, local), s.session_id.as_str()));
        entry(&mut by, on(s.source.file)).sessions += u64::from(fresh);
    }
    for (i, u) in t.usage.iter().enumerate() {
        let l = entry(&mut by, on(u.source.file));
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
        entry(&mut by, on(q.source.file)).queries += 1;
    }
    for c in t.tool_calls.iter().filter(|c| !c.is_output_without_call()) {
        entry(&mut by, on(c.source.file)).tool_calls += 1;
    }
    by.into_values().collect()
}

fn entry<'t, 'm>(by: &'m mut BTreeMap<&'t str, MachineLine>, machine: &'t str) -> &'m mut MachineLine {
    by.entry(machine).or_insert_with(|| MachineLine { machine: machine.to_string(), ..MachineLine::default() })
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
