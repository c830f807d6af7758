//! Forked and sub-agent Codex sessions replay their parent's history, token counts included,
//! before their own work (docs/formats.md §1.9, ccusage#988/#1349). When the parent's file is
//! loaded too, the child's replayed usage rows are the parent's rows again: they are dropped from
//! the usage table and their lines become duplicates. When the parent is absent they stay, since
//! nothing else counts them.
//!
//! The replay rewrites timestamps (the CodexBar fixture: 180 of 180 differ), so rows are matched
//! on the cumulative `total_token_usage` instead: the child's replayed prefix is the longest run
//! of its first rows whose cumulative totals equal the parent's first rows', in order.

use crate::model::{Format, Rows, Source, Tables};
use rustc_hash::{FxHashMap, FxHashSet};

pub fn reconcile_forks(tables: &mut Tables, moved: &mut Vec<Source>) {
    let codex = |s: &&crate::model::Session| s.format == Some(Format::CodexRollout);
    let parents: FxHashMap<&str, u32> =
        tables.sessions.rows().filter(codex).map(|s| (s.session_id.as_str(), s.source.file)).collect();
    let forks: Vec<(usize, u32, u32)> = tables
        .sessions
        .rows()
        .enumerate()
        .filter(|(_, s)| codex(s))
        .filter_map(|(i, s)| {
            let parent_file = *parents.get(s.parent_session_id.as_deref()?)?;
            (parent_file != s.source.file).then_some((i, s.source.file, parent_file))
        })
        .collect();
    if forks.is_empty() {
        return;
    }

    let mut cumulative_by_file: FxHashMap<u32, Vec<(usize, crate::model::TokenCounts)>> = FxHashMap::default();
    for (i, row) in tables.usage.iter().enumerate() {
        if let Some(c) = row.cumulative {
            cumulative_by_file.entry(row.source.file).or_default().push((i, c));
        }
    }

    let mut drop: FxHashSet<usize> = FxHashSet::default();
    for (session_index, child_file, parent_file) in forks {
        let (Some(child), Some(parent)) = (cumulative_by_file.get(&child_file), cumulative_by_file.get(&parent_file))
        else {
            continue;
        };
        let prefix = child.iter().zip(parent).take_while(|((_, c), (_, p))| c == p).count();
        if prefix == 0 {
            continue;
        }
        drop.extend(child[..prefix].iter().map(|(i, _)| *i));
        crate::model::Row::make_mut(&mut tables.sessions[session_index]).replayed_prefix = Some(child[prefix - 1].1);
    }

    let mut index = 0;
    tables.usage.retain(|row| {
        let keep = !drop.contains(&index);
        if !keep {
            moved.push(row.source);
        }
        index += 1;
        keep
    });
}
