//! A16: one session, one file. The same session id in several files means a log was loaded
//! twice (a copy in `sessions/` and in `archived_sessions/`, a file dropped twice under two
//! names…) and its usage is counted twice.
//!
//! Sessions are grouped by id; the file with the lowest index (the first one loaded) holds the
//! original, and each further file holding the id is one violation, flagged at that session's
//! first line. Several sessions with one id inside one file count once. Claude sub-agent and
//! sidechain transcripts (`session_source` `subagent` or `sidechain`) carry their parent's
//! `sessionId` by design and are not counted as copies. Every session is a checked row.

use super::CheckResult;
use super::check::Check;
use crate::model::{FileId, Rows, Session, Tables};
// FxHash: keyed by session ids once per row, where SipHash cost more than the rest of the work.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

pub fn one_file_per_session(tables: &Tables) -> CheckResult {
    let mut check = Check::new(
        tables,
        "A16",
        "Session in one file only",
        "No session id appears in more than one file (sub-agent and sidechain transcripts, which \
         share their parent's id, excepted); a copy would count its usage twice.",
    );
    let mut first_file: HashMap<&str, FileId> = HashMap::default();
    for session in &tables.sessions {
        check.checked();
        if !shares_parent_id(session) {
            let first = first_file.entry(session.session_id.as_str()).or_insert(session.source.file);
            *first = (*first).min(session.source.file);
        }
    }
    // (session id, file) pairs already flagged, so a file is one violation however many times.
    let mut flagged: HashSet<(&str, FileId)> = HashSet::default();
    let mut copies: Vec<&Session> = tables
        .sessions
        .rows()
        .filter(|s| !shares_parent_id(s))
        .filter(|s| first_file.get(s.session_id.as_str()).is_some_and(|&f| f != s.source.file))
        .filter(|s| flagged.insert((s.session_id.as_str(), s.source.file)))
        .collect();
    copies.sort_by_key(|s| s.source);
    for session in copies {
        let original = first_file.get(session.session_id.as_str()).copied().unwrap_or_default();
        check.flag(session.source, Some(&session.session_id), || {
            format!("session {} is also in {}", session.session_id, tables.file_name(original))
        });
    }
    check.finish()
}

fn shares_parent_id(session: &Session) -> bool {
    matches!(session.session_source.as_deref(), Some("subagent" | "sidechain"))
}
