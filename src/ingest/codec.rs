//! A compact binary form of one file's [`Part`] (its rows and its report), for results kept on
//! the device and read back instead of parsing the file again.
//!
//! Layout: `MAGIC`, one version byte, the layout fingerprint (u64 LE), then postcard of
//! `(key, texts)` and postcard of the part, in which every [`Shared`] text (a session's id, a
//! model, a working directory: repeated on every row) is its number in `texts`
//! ([`shared_serde`]). postcard writes integers as varints and strings as length + bytes, with
//! no field names: a Part is about a tenth of the log it came from, and decodes at hundreds of
//! MB/s (figures in docs/remember.md). Because postcard has no field names, a result written by
//! another build could be misread rather than rejected if the rows changed shape, so two guards
//! come first:
//! - [`VERSION`], bumped by hand whenever parsing changes what a file yields (an adapter fix);
//! - the fingerprint of the row layout (every field name of every table and of the report, from
//!   serde itself), which changes by itself when a field is added, removed, renamed or moved.
//!
//! No field of a row may be skipped conditionally (`skip_serializing_if`): with no field names,
//! a field left out shifts every byte after it.
//!
//! A stored result whose tag differs, whose key is not the one asked for, or whose bytes do not
//! decode exactly to the end is ignored ([`decode`] gives `None`) and the file is parsed again.

use super::Part;
use super::report::{FileReport, LineIssue};
use crate::model::*;
use std::sync::OnceLock;

const MAGIC: &[u8; 3] = b"ALP";

/// Bump when the parsing of any format changes what it yields for the same bytes, or when this
/// module's own layout changes (2: texts numbered, `shared_serde`).
pub const VERSION: u8 = 2;

/// Encode a file's part under `key` (what it was stored for: path, size, modification time).
pub fn encode(key: &str, part: &Part) -> Vec<u8> {
    let (rows, texts) = shared_serde::writing_table(|| postcard::to_allocvec(part).expect("a Part always serializes"));
    let texts: Vec<&str> = texts.iter().map(|t| &**t).collect();
    let mut out = Vec::with_capacity(rows.len() + 64);
    out.extend_from_slice(MAGIC);
    out.push(VERSION);
    out.extend_from_slice(&fingerprint().to_le_bytes());
    let mut out = postcard::to_extend(&(key, texts), out).expect("a key and texts always serialize");
    out.extend_from_slice(&rows);
    out
}

/// The part stored under exactly `key` by this build's layout, or `None`.
pub fn decode(key: &str, bytes: &[u8]) -> Option<Part> {
    let body = bytes.strip_prefix(MAGIC.as_slice())?.strip_prefix(&[VERSION])?;
    let (tag, body) = body.split_first_chunk::<8>()?;
    if u64::from_le_bytes(*tag) != fingerprint() {
        return None;
    }
    let ((stored_key, texts), rows): ((&str, Vec<&str>), &[u8]) = postcard::take_from_bytes(body).ok()?;
    if stored_key != key {
        return None;
    }
    // Each text once, as the parse held them: every row's `Shared` is a clone of one of these.
    let texts: Vec<Shared> = texts.into_iter().map(Shared::from).collect();
    let (part, rest): (Part, &[u8]) = shared_serde::reading_table(texts, || postcard::take_from_bytes(rows)).ok()?;
    rest.is_empty().then_some(part)
}

/// FNV-1a over the JSON of a part that has one row of every kind with every optional nested
/// struct present: the JSON lists every field name in order, so any change of layout changes it.
fn fingerprint() -> u64 {
    static PRINT: OnceLock<u64> = OnceLock::new();
    *PRINT.get_or_init(|| {
        let counts = Some(TokenCounts::default());
        let tables = Tables {
            files: vec![SourceFile::default()],
            sessions: crate::model::rows_of([Session { final_cumulative: counts, replayed_prefix: counts, ..Default::default() }]),
            routing: crate::model::rows_of([RoutingRow::default()]),
            queries: crate::model::rows_of([Query::default()]),
            replies: crate::model::rows_of([Reply::default()]),
            usage: crate::model::rows_of([UsageRow { cumulative: counts, ..Default::default() }]),
            tool_calls: crate::model::rows_of([ToolCall { output_source: Some(Source::default()), ..Default::default() }]),
            tool_audit: crate::model::rows_of([ToolAuditRow::default()]),
            api_calls: crate::model::rows_of([ApiCall::default()]),
        };
        let report = super::IngestReport {
            files: vec![FileReport { issues: vec![LineIssue { line: 0, reason: String::new() }], ..Default::default() }],
        };
        let imports = vec![(0, super::import::Imported::default())];
        let json = serde_json::to_vec(&Part { tables, report, imports }).expect("serializes");
        json.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Ingest;

    fn part_of(name: &str, bytes: &[u8]) -> Part {
        let mut one = Ingest::new();
        one.add_file(name, bytes);
        one.into_part()
    }

    #[test]
    fn a_part_comes_back_whole_and_only_under_its_key_and_tag() {
        let line = r#"{"timestamp":"2026-01-01T00:00:01Z","type":"session_meta","payload":{"id":"s1","cwd":"/w"}}"#;
        let part = part_of("a.jsonl", line.as_bytes());
        let bytes = encode("a.jsonl\n90\n1", &part);
        let back = decode("a.jsonl\n90\n1", &bytes).expect("decodes");
        assert_eq!(serde_json::to_string(&back).unwrap(), serde_json::to_string(&part).unwrap());
        // Another key (the file changed size or time), another version, another layout, a cut
        // or a longer buffer: ignored, not misread.
        assert!(decode("a.jsonl\n91\n1", &bytes).is_none());
        let mut other_version = bytes.clone();
        other_version[3] = VERSION + 1;
        assert!(decode("a.jsonl\n90\n1", &other_version).is_none());
        let mut other_layout = bytes.clone();
        other_layout[4] ^= 1;
        assert!(decode("a.jsonl\n90\n1", &other_layout).is_none());
        assert!(decode("a.jsonl\n90\n1", &bytes[..bytes.len() - 1]).is_none());
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(decode("a.jsonl\n90\n1", &longer).is_none());
        assert!(decode("a.jsonl\n90\n1", b"").is_none());
    }
}
