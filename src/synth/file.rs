//! Writing one generated file: lines in a chosen layout, each counted in the oracle's bucket as
//! it is written, so the expected counts can never drift from the bytes.

use super::expect::{Expectation, Outcome};
use super::json::{self, Obj};
use super::GeneratedFile;
use crate::model::Format;

/// The byte layout of a file's lines.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Style {
    /// `{"a": 1, "b": 2}` instead of `{"a":1,"b":2}`.
    pub spaced: bool,
    /// `\r\n` line ends.
    pub crlf: bool,
    /// A UTF-8 byte-order mark before the first line.
    pub bom: bool,
}

/// A file being written: its bytes and its oracle.
pub struct FileWriter {
    pub bytes: Vec<u8>,
    pub expect: Expectation,
    pub style: Style,
    /// Set once a torn last line was written: nothing may follow it.
    torn: bool,
}

impl FileWriter {
    pub fn new(format: Format, style: Style) -> Self {
        let mut bytes = Vec::new();
        if style.bom {
            bytes.extend_from_slice(b"\xEF\xBB\xBF");
        }
        Self { bytes, expect: Expectation::new(format), style, torn: false }
    }

    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// One JSON object line.
    pub fn line(&mut self, outcome: Outcome, body: impl FnOnce(&mut Obj)) {
        debug_assert!(!self.torn, "a line after the torn last line");
        json::object(&mut self.bytes, self.style.spaced, body);
        self.end_line(outcome);
    }

    /// A line of arbitrary bytes (must not contain `\n`).
    pub fn raw_line(&mut self, bytes: &[u8], outcome: Outcome) {
        debug_assert!(!bytes.contains(&b'\n'));
        self.bytes.extend_from_slice(bytes);
        self.end_line(outcome);
    }

    /// An empty or whitespace-only line: skipped by the engine.
    pub fn blank(&mut self, spaces: &str) {
        self.raw_line(spaces.as_bytes(), Outcome::Skipped);
    }

    /// A last line cut off mid-JSON with no line end (a file still being written):
    /// `keep` of the object's bytes survive, at least 1 and always fewer than all.
    pub fn torn_line(&mut self, keep: usize, body: impl FnOnce(&mut Obj)) {
        let mut line = Vec::new();
        json::object(&mut line, self.style.spaced, body);
        let cut = keep.clamp(1, line.len().saturating_sub(2).max(1));
        self.bytes.extend_from_slice(&line[..cut]);
        self.expect.counts.buckets.count(Outcome::Malformed);
        self.torn = true;
    }

    fn end_line(&mut self, outcome: Outcome) {
        self.bytes.extend_from_slice(if self.style.crlf { b"\r\n" } else { b"\n" });
        self.expect.counts.buckets.count(outcome);
    }

    pub fn note(&mut self, note: &str) {
        if !self.expect.note.is_empty() {
            self.expect.note.push_str("; ");
        }
        self.expect.note.push_str(note);
    }

    pub fn finish(self, name: String) -> GeneratedFile {
        GeneratedFile { name, bytes: self.bytes, expect: self.expect }
    }
}

/// When to stop adding turns so that file sizes centre on their targets: turn sizes are
/// heavy-tailed, so the turn that crosses a threshold is larger than the mean turn (size-biased,
/// ≈ 2× the mean for an exponential tail); stopping one mean turn short of the target balances it.
#[derive(Default)]
pub struct TurnSizes {
    pub count: u32,
    bytes: usize,
}

impl TurnSizes {
    pub fn add(&mut self, bytes: usize) {
        self.count += 1;
        self.bytes += bytes;
    }

    pub fn enough(&self, len: usize, target: usize) -> bool {
        let mean = self.bytes / self.count.max(1) as usize;
        len + mean >= target
    }
}

/// `2025-09-25T01:22:20.084Z` for milliseconds since the epoch (UTC), as the agents write it.
pub fn iso(ms: i64) -> String {
    let (days, rem) = (ms.div_euclid(86_400_000), ms.rem_euclid(86_400_000));
    let (y, m, d) = civil_from_days(days);
    let (h, min, s, milli) = (rem / 3_600_000, rem / 60_000 % 60, rem / 1000 % 60, rem % 1000);
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:{s:02}.{milli:03}Z")
}

/// `2026-11-20T09-12-03`: the local-time stamp in Codex file names (we use UTC).
pub fn file_stamp(ms: i64) -> String {
    let t = iso(ms);
    format!("{}T{}-{}-{}", &t[0..10], &t[11..13], &t[14..16], &t[17..19])
}

/// `(year, month, day)` of a day count since 1970-01-01 (H. Hinnant's algorithm).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Milliseconds at midnight UTC of a calendar day.
pub fn day_ms(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe - 719_468) * 86_400_000
}

/// Where Codex writes a rollout: `sessions/YYYY/MM/DD/` by its start, or `archived_sessions/`.
pub fn codex_name(start_ms: i64, id: &str, archived: bool) -> String {
    let stamp = file_stamp(start_ms);
    if archived {
        format!("archived_sessions/rollout-{stamp}-{id}.jsonl")
    } else {
        format!("sessions/{}/{}/{}/rollout-{stamp}-{id}.jsonl", &stamp[0..4], &stamp[5..7], &stamp[8..10])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_match_the_calendar() {
        // Worked out with Python: datetime(2026,11,20,9,12,3,120000, tzinfo=utc).timestamp()*1000
        assert_eq!(iso(1_795_165_923_120), "2026-11-20T09:12:03.120Z");
        assert_eq!(iso(1_758_763_340_084), "2025-09-25T01:22:20.084Z");
        assert_eq!(iso(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(day_ms(2026, 11, 20), 1_795_132_800_000);
        assert_eq!(day_ms(2024, 2, 29) + 86_400_000, day_ms(2024, 3, 1));
        assert_eq!(file_stamp(1_795_165_923_120), "2026-11-20T09-12-03");
        for d in [-1000i64, 0, 1, 20_000, 20_777] {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(day_ms(y, m, dd), d * 86_400_000);
        }
    }

    #[test]
    fn lines_are_counted_in_their_buckets() {
        let mut w = FileWriter::new(Format::CodexRollout, Style { crlf: true, bom: true, spaced: false });
        w.line(Outcome::Parsed, |o| {
            o.str("type", "x");
        });
        w.blank("");
        w.torn_line(5, |o| {
            o.str("type", "token_count");
        });
        assert_eq!(w.bytes, b"\xEF\xBB\xBF{\"type\":\"x\"}\r\n\r\n{\"typ");
        let b = w.expect.counts.buckets;
        assert_eq!((b.lines, b.parsed, b.skipped, b.malformed), (3, 1, 1, 1));
    }
}
