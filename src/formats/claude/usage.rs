//! Claude usage rows and their deduplication (DESIGN.md §2 "Claude Code", "Token subsets";
//! docs/formats.md §2.4–2.5).
//!
//! Normalization to the OpenAI convention of `model.rs`: `input_tokens` = input + cache creation +
//! cache read (Anthropic's logged `input_tokens` is the uncached part only), `cached_input_tokens`
//! = cache read, `cache_creation_input_tokens` = cache creation, `output_tokens` as logged (it
//! includes thinking), `reasoning_output_tokens` = `output_tokens_details.thinking_tokens` (0 when
//! absent), `total_tokens` = input + output. The vendor's numbers stay in `raw`.
//!
//! Deduplication runs once over every file ([`dedupe_across_files`]), because resumed and forked
//! sessions copy lines into new files:
//! 1. Sidechain replays: a sidechain row whose `message.id` also appears on a main-chain row is a
//!    replay of the parent's message under a new `requestId` (ccusage#913); it goes. This runs
//!    first, so a replay never wins step 2 over the main-chain row.
//! 2. Per request key (`message.id|requestId`, or `message.id` alone), the row with the largest
//!    token sum stays (ccusage `adapter/claude/daily.rs`); ties go to the earliest (file, line).
//!
//! Removed rows' sources are handed back so the engine counts their lines as duplicates.

use super::wire::{CacheCreation, Line, Message, OutputDetails, Usage};
use crate::model::{Interner, Millis, RawUsage, Row, Source, Tables, UsageRow, Vendor};
use rustc_hash::{FxBuildHasher, FxHashMap, FxHashSet};
use std::collections::hash_map::Entry;

/// The usage row of one assistant line whose `message.usage` is an object.
/// `interned` holds the texts the file's rows repeat (its session id, its model).
pub fn usage_row(line: &Line, msg: &Message, usage: &Usage, src: Source, ts: Option<Millis>, interned: &mut Interner) -> UsageRow {
    let cache = usage.cache_creation.get().unwrap_or(&CacheCreation::ZERO);
    let details = usage.output_tokens_details.get().unwrap_or(&OutputDetails::ZERO);
    let raw = RawUsage {
        input_tokens: usage.input_tokens,
        cache_creation_input_tokens: usage.cache_creation_input_tokens,
        cache_read_input_tokens: usage.cache_read_input_tokens,
        cache_creation_5m_tokens: cache.ephemeral_5m_input_tokens,
        cache_creation_1h_tokens: cache.ephemeral_1h_input_tokens,
        output_tokens: usage.output_tokens,
        ..RawUsage::default()
    };
    let input =
        raw.input_tokens.saturating_add(raw.cache_creation_input_tokens).saturating_add(raw.cache_read_input_tokens);
    UsageRow {
        session_id: interned.get(line.session_id.as_deref().unwrap_or_default()),
        source: src,
        ts_ms: ts,
        model: interned.get(model_name(msg)),
        vendor: Some(Vendor::Anthropic),
        input_tokens: input,
        cached_input_tokens: raw.cache_read_input_tokens,
        cache_creation_input_tokens: raw.cache_creation_input_tokens,
        output_tokens: raw.output_tokens,
        reasoning_output_tokens: details.thinking_tokens,
        total_tokens: input.saturating_add(raw.output_tokens),
        raw,
        possibly_partial: msg.stop_reason.is_none(),
        fast: usage.speed.as_deref() == Some("fast"),
        sidechain: line.is_sidechain,
        request_key: request_key(msg, line),
        ..UsageRow::default()
    }
}

/// `message.model`, or `unknown` when absent or empty.
pub fn model_name<'m>(msg: &'m Message) -> &'m str {
    msg.model.as_deref().filter(|m| !m.is_empty()).unwrap_or("unknown")
}

/// `message.id|requestId`, `message.id` alone without a request id, `None` without a message id.
fn request_key(msg: &Message, line: &Line) -> Option<String> {
    let id = msg.id.as_deref().filter(|s| !s.is_empty())?;
    Some(match line.request_id.as_deref().filter(|s| !s.is_empty()) {
        Some(req) => {
            // Sized exactly: one key per usage row stays in the tables.
            let mut key = String::with_capacity(id.len() + 1 + req.len());
            key.push_str(id);
            key.push('|');
            key.push_str(req);
            key
        }
        None => id.to_string(),
    })
}

/// The `message.id` part of a request key.
fn message_id(key: &str) -> &str {
    // `|` is ASCII, so the byte it sits at is a char boundary.
    memchr::memchr(b'|', key.as_bytes()).and_then(|at| key.get(..at)).unwrap_or(key)
}

/// What a duplicate is compared on: every token the request was billed for.
fn token_sum(row: &UsageRow) -> i64 {
    let r = &row.raw;
    r.input_tokens
        .saturating_add(r.cache_creation_input_tokens)
        .saturating_add(r.cache_read_input_tokens)
        .saturating_add(r.output_tokens)
}

/// Drop sidechain replays and per-block copies from `tables.usage`, over all files (see the
/// module doc); each dropped row's source is pushed to `moved`. Linear time; the remaining rows
/// keep their order.
pub fn dedupe_across_files(tables: &mut Tables, moved: &mut Vec<Source>) {
    let order = FileOrder::by_name(tables);
    let drop = rows_to_drop(&tables.usage, &order);
    if !drop.iter().any(|d| *d) {
        return;
    }
    let mut index = 0;
    tables.usage.retain(|row| {
        let keep = !drop[index];
        index += 1;
        if !keep {
            moved.push(row.source);
        }
        keep
    });
}

/// Files ranked by name, so that which copy of a tie is kept does not depend on the order the
/// files were given in (a browser lists a folder in any order).
pub(super) struct FileOrder(Vec<u32>);

impl FileOrder {
    pub(super) fn by_name(tables: &Tables) -> Self {
        let mut ids: Vec<usize> = (0..tables.files.len()).collect();
        ids.sort_by(|&a, &b| tables.files[a].name.cmp(&tables.files[b].name).then(a.cmp(&b)));
        let mut rank = vec![0u32; ids.len()];
        for (r, id) in ids.into_iter().enumerate() {
            rank[id] = r as u32;
        }
        FileOrder(rank)
    }

    /// Sort key of a row among equal copies: its file's name, then its line. (Not its time: a
    /// resumed session's copies keep the original timestamps.)
    fn key(&self, row: &UsageRow) -> (u32, u32) {
        self.at(row.source)
    }

    /// The rank of a source: its file's name, then its line.
    pub(super) fn at(&self, s: Source) -> (u32, u32) {
        (self.0.get(s.file as usize).copied().unwrap_or(u32::MAX), s.line)
    }
}

fn rows_to_drop(rows: &[Row<UsageRow>], order: &FileOrder) -> Vec<bool> {
    let mut drop = vec![false; rows.len()];
    // Maps sized up front to the keyed rows: no rehashing, no more memory than needed.
    let keyed_rows = rows.iter().filter(|r| keyed(r).is_some()).count();

    // Step 1 only when there is a sidechain row to drop.
    if rows.iter().any(|r| r.sidechain && keyed(r).is_some()) {
        let mut main_chain: FxHashSet<&str> = FxHashSet::with_capacity_and_hasher(keyed_rows, FxBuildHasher);
        main_chain.extend(rows.iter().filter(|r| !r.sidechain).filter_map(|r| keyed(r).map(message_id)));
        for (i, row) in rows.iter().enumerate() {
            if row.sidechain && keyed(row).is_some_and(|k| main_chain.contains(message_id(k))) {
                drop[i] = true;
            }
        }
    }

    let mut best: FxHashMap<&str, usize> = FxHashMap::with_capacity_and_hasher(keyed_rows, FxBuildHasher);
    for (i, row) in rows.iter().enumerate() {
        let Some(key) = keyed(row).filter(|_| !drop[i]) else { continue };
        match best.entry(key) {
            Entry::Vacant(slot) => {
                slot.insert(i);
            }
            Entry::Occupied(mut slot) => {
                let held = *slot.get();
                if beats(row, &rows[held], order) {
                    drop[held] = true;
                    slot.insert(i);
                } else {
                    drop[i] = true;
                }
            }
        }
    }
    drop
}

/// The request key of a Claude row; other vendors' rows are never deduplicated here.
fn keyed(row: &UsageRow) -> Option<&str> {
    if row.vendor == Some(Vendor::Anthropic) { row.request_key.as_deref() } else { None }
}

/// Larger token sum wins; on a tie, the earlier copy (see [`FileOrder::key`]).
fn beats(a: &UsageRow, b: &UsageRow, order: &FileOrder) -> bool {
    let (sa, sb) = (token_sum(a), token_sum(b));
    sa > sb || (sa == sb && order.key(a) < order.key(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(file: u32, line: u32, key: Option<&str>, output: i64, sidechain: bool) -> UsageRow {
        UsageRow {
            source: Source { file, line },
            vendor: Some(Vendor::Anthropic),
            request_key: key.map(str::to_string),
            raw: RawUsage { input_tokens: 10, output_tokens: output, ..RawUsage::default() },
            sidechain,
            ..UsageRow::default()
        }
    }

    /// (file, line) of the rows that stay, then of the rows moved to duplicates.
    type Outcome = (Vec<(u32, u32)>, Vec<(u32, u32)>);

    fn kept(rows: Vec<UsageRow>) -> Outcome {
        // Two files, named in the order of their ids.
        let files = ["a.jsonl", "b.jsonl"].map(|n| crate::model::SourceFile { name: n.into(), ..Default::default() });
        let mut tables = Tables { usage: crate::model::rows_of(rows), files: files.to_vec(), ..Tables::default() };
        let mut moved = Vec::new();
        dedupe_across_files(&mut tables, &mut moved);
        let at = |s: Source| (s.file, s.line);
        (tables.usage.iter().map(|r| at(r.source)).collect(), moved.into_iter().map(at).collect())
    }

    #[test]
    fn the_largest_copy_stays_and_ties_go_to_the_earliest() {
        let rows = vec![
            row(0, 1, Some("m1|r1"), 1, false),
            row(0, 2, Some("m1|r1"), 9, false),
            row(0, 3, Some("m1|r1"), 9, false),
            row(1, 1, Some("m2"), 5, false),
            row(0, 4, Some("m2"), 5, false),
            row(0, 5, None, 1, false),
            row(0, 6, None, 1, false),
        ];
        assert_eq!(kept(rows), (vec![(0, 2), (0, 4), (0, 5), (0, 6)], vec![(0, 1), (0, 3), (1, 1)]));
    }

    #[test]
    fn ties_do_not_depend_on_the_order_files_were_given_in() {
        // File 0 is "a.jsonl", file 1 "b.jsonl": the copy in a.jsonl stays whatever the ids.
        let rows = vec![row(1, 1, Some("m|r"), 5, false), row(0, 7, Some("m|r"), 5, false)];
        assert_eq!(kept(rows), (vec![(0, 7)], vec![(1, 1)]));
    }

    #[test]
    fn sidechain_replays_go_even_when_larger() {
        let rows = vec![
            row(1, 1, Some("m1|r-side"), 50, true),
            row(0, 1, Some("m1|r1"), 1, false),
            row(1, 2, Some("m9|r9"), 3, true),
            row(1, 3, Some("m9|r9"), 4, true),
        ];
        assert_eq!(kept(rows), (vec![(0, 1), (1, 3)], vec![(1, 1), (1, 2)]));
    }

    #[test]
    fn other_vendors_are_left_alone() {
        let mut other = row(0, 1, Some("m1"), 1, false);
        other.vendor = Some(Vendor::OpenAi);
        assert_eq!(kept(vec![other, row(0, 2, Some("m1"), 1, false)]), (vec![(0, 1), (0, 2)], vec![]));
    }
}
