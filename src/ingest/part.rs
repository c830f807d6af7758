//! Ingest in parts: files read by separate [`Ingest`]s (one per thread, or one per file), joined
//! in file order, then the cross-file rules run once over the whole.
//!
//! Why this is exact, not an approximation: until the cross-file rules, what a file yields
//! depends on that file alone. Each file gets a fresh adapter (`formats::adapter_for`), the
//! adapters keep no state between files, and the only parts of the tables they read are the rows
//! they pushed for that same file (Codex notes the table lengths when its file starts and patches
//! session ids from there) and the file's own name. So a file fed to its own `Ingest` yields the
//! same rows, in the same order, as it would have in a shared one, but for the `FileId` in every
//! [`Source`]. [`Part::append`] renumbers those and concatenates the tables, which gives exactly
//! the tables a single `Ingest` holds after being fed the same files one after another; and
//! [`Part::finish`] is the same cross-file step as `Ingest::finish`, which is defined through it.

use super::{Ingest, IngestReport, Ledger};
use crate::formats;
use crate::model::{FileId, Tables, extend_rows};
use serde::{Deserialize, Serialize};

/// Files read and closed, the cross-file rules (Claude dedup, Codex fork prefixes) not yet run.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Part {
    pub(super) tables: Tables,
    pub(super) report: IngestReport,
    /// Other machines' exports, by the id of their zip: merged after the cross-file rules.
    pub(super) imports: Vec<(FileId, super::import::Imported)>,
}

impl Ingest {
    /// Close every file still open and hand back what was read, for [`Part::append`].
    pub fn into_part(mut self) -> Part {
        for id in 0..self.open.len() {
            if self.open[id].is_some() {
                self.end_file(id as FileId);
            }
        }
        Part { tables: self.tables, report: self.report, imports: self.imports }
    }
}

impl Part {
    /// Its rows, before the cross-file rules.
    pub fn tables(&self) -> &Tables {
        &self.tables
    }

    /// How many files this part holds.
    pub fn file_count(&self) -> usize {
        self.tables.files.len()
    }

    /// Some file of this part was not read to the end (the browser stopped handing it over): what
    /// it holds is not that file's result, so it is not kept for later.
    pub fn read_failed(&self) -> bool {
        self.report.files.iter().any(|f| f.read_failed())
    }

    /// Put `later`'s files after this part's, as if they had been fed to the same `Ingest` after
    /// this part's files.
    pub fn append(&mut self, later: Part) {
        let offset = self.tables.files.len() as FileId;
        let Part { tables: mut t, report, imports } = later;
        if offset > 0 {
            t.shift_files(offset);
        }
        self.imports.extend(imports.into_iter().map(|(zip, i)| (zip + offset, i)));
        // Grown as the tables grow during a load (by a quarter, `push_row`), not doubled: the
        // page appends one file's part at a time, and a doubled table may stand half empty.
        let own = &mut self.tables;
        extend_rows(&mut own.files, t.files.into_iter());
        extend_rows(&mut own.sessions, t.sessions.into_iter());
        extend_rows(&mut own.routing, t.routing.into_iter());
        extend_rows(&mut own.queries, t.queries.into_iter());
        extend_rows(&mut own.replies, t.replies.into_iter());
        extend_rows(&mut own.usage, t.usage.into_iter());
        extend_rows(&mut own.tool_calls, t.tool_calls.into_iter());
        extend_rows(&mut own.tool_audit, t.tool_audit.into_iter());
        extend_rows(&mut own.api_calls, t.api_calls.into_iter());
        self.report.files.extend(report.files);
    }

    /// Join parts in order, reserving each table once (the parts are consumed one by one, so the
    /// rows are moved once and the memory of each part is given back as soon as it is moved).
    pub fn concat(parts: Vec<Part>) -> Part {
        let mut whole = Part::default();
        let sum = |f: fn(&Tables) -> usize| parts.iter().map(|p| f(&p.tables)).sum::<usize>();
        let t = &mut whole.tables;
        t.files.reserve_exact(sum(|t| t.files.len()));
        t.sessions.reserve_exact(sum(|t| t.sessions.len()));
        t.routing.reserve_exact(sum(|t| t.routing.len()));
        t.queries.reserve_exact(sum(|t| t.queries.len()));
        t.replies.reserve_exact(sum(|t| t.replies.len()));
        t.usage.reserve_exact(sum(|t| t.usage.len()));
        t.tool_calls.reserve_exact(sum(|t| t.tool_calls.len()));
        t.tool_audit.reserve_exact(sum(|t| t.tool_audit.len()));
        t.api_calls.reserve_exact(sum(|t| t.api_calls.len()));
        whole.report.files.reserve_exact(parts.iter().map(|p| p.report.files.len()).sum());
        for part in parts {
            whole.append(part);
        }
        whole
    }

    /// Run the cross-file rules and hand back the tables and the report.
    pub fn finish(mut self) -> Ledger {
        let mut moved = Vec::new();
        formats::reconcile(&mut self.tables, &mut moved);
        for src in moved {
            if let Some(f) = self.report.files.get_mut(src.file as usize) {
                f.parsed_to_duplicate();
            }
        }
        // After the logs' own rules: the exports were deduplicated on their machines already.
        super::import::merge::merge(&mut self.tables, &mut self.report, self.imports);
        self.tables.shrink_to_fit();
        Ledger { tables: self.tables, report: self.report }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::ingest_all;
    use crate::model::Source;

    /// Two Claude files with the same (message.id, requestId): the cross-file dedup must see
    /// both after the join, and the second file's rows must point at file 1.
    #[test]
    fn joined_parts_keep_file_numbers_and_cross_file_rules() {
        let line = |sid: &str, out: u32| {
            format!(
                r#"{{"type":"assistant","sessionId":"{sid}","uuid":"u-{sid}","timestamp":"2025-10-01T10:00:00Z","requestId":"req1","message":{{"id":"msg1","model":"claude-sonnet-4-5","role":"assistant","stop_reason":"end_turn","content":[{{"type":"text","text":"hi"}}],"usage":{{"input_tokens":10,"output_tokens":{out}}}}}}}"#
            )
        };
        let (a, b) = (line("s1", 5), line("s2", 5));
        let whole = ingest_all([("a.jsonl", a.as_bytes()), ("b.jsonl", b.as_bytes())]);

        let mut joined = Part::default();
        for (name, bytes) in [("a.jsonl", &a), ("b.jsonl", &b)] {
            let mut one = Ingest::new();
            one.add_file(name, bytes.as_bytes());
            joined.append(one.into_part());
        }
        let joined = joined.finish();
        // Worked out by hand: one request logged twice, kept once (in the first file); the second
        // file's copy is a duplicate. Row sources point at the joined file numbers.
        assert_eq!(joined.tables.usage.len(), 1);
        assert_eq!(joined.tables.usage[0].source, Source { file: 0, line: 1 });
        assert_eq!(joined.report.files[1].duplicates, 1);
        assert_eq!(joined.report.files[1].parsed, 0);
        let files: Vec<u32> = joined.tables.sessions.iter().map(|s| s.source.file).collect();
        assert_eq!(files, [0, 1]);
        assert_eq!(serde_json::to_string(&joined.tables).unwrap(), serde_json::to_string(&whole.tables).unwrap());
    }
}
