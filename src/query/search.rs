//! Text search across what the tables hold of the logs' text: prompts, tool arguments, tool-audit
//! arguments and results, routing (cwd), findings and the agent's replies (their previews: the
//! tables keep no more of a reply, so words past its first 200 characters are not found). Each hit names its session and its source
//! line, so the page can open the event in its session or the raw line.

use super::analysis::Analysis;
use crate::model::Source;
pub use super::protocol::search::*;

/// Hits in table order, at most `limit`; `more` says whether there were more.
pub fn search(a: &Analysis, text: &str, limit: usize) -> (Vec<Hit>, bool) {
    let needle = text.trim().to_lowercase();
    let mut hits = Vec::new();
    if needle.is_empty() {
        return (hits, false);
    }
    let t = a.tables();
    let mut more = false;
    let mut offer = |kind: &str, session: &str, hay: &str, s: Source| {
        if more {
            return;
        }
        if let Some(pos) = find_lower(hay, &needle) {
            if hits.len() == limit {
                more = true;
                return;
            }
            hits.push(Hit {
                kind: kind.into(),
                session_id: session.into(),
                preview: preview(hay, pos, needle.len()),
                file: t.file_name(s.file).to_string(),
                line: s.line,
            });
        }
    };
    for q in &t.queries {
        offer("prompt", &q.session_id, &q.text, q.source);
    }
    for c in &t.tool_calls {
        offer("tool", &c.session_id, &c.args_snippet, c.source);
    }
    for r in &t.routing {
        if let Some(cwd) = &r.cwd {
            offer("routing", &r.session_id, cwd, r.source);
        }
    }
    for r in &t.tool_audit {
        offer("tool-audit", "", &r.args_snippet, r.source);
        offer("tool-audit", "", &r.result_snippet, r.source);
    }
    for f in a.audit.findings() {
        offer("finding", f.session_id.as_deref().unwrap_or(""), &f.message, f.source);
    }
    // Last, so the hits of the texts the downloads hold come first under a limit.
    for r in &t.replies {
        offer("reply", &r.session_id, &r.preview, r.source);
    }
    (hits, more)
}

/// The byte position of a lower-case needle in `hay`, ignoring case.
fn find_lower(hay: &str, needle: &str) -> Option<usize> {
    if hay.is_ascii() {
        let n = needle.as_bytes();
        hay.as_bytes().windows(n.len()).position(|w| w.eq_ignore_ascii_case(n))
    } else {
        // Lower-casing can change lengths; map the match back through char boundaries.
        let lower = hay.to_lowercase();
        let at = lower.find(needle)?;
        let chars_before = lower[..at].chars().count();
        Some(hay.char_indices().nth(chars_before).map_or(0, |(i, _)| i))
    }
}

fn preview(hay: &str, pos: usize, len: usize) -> String {
    let floor = |mut i: usize| {
        while !hay.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let start = floor(pos.saturating_sub(60));
    let end = floor((pos + len + 100).min(hay.len()));
    let mut s = String::new();
    if start > 0 {
        s.push('…');
    }
    s.push_str(hay[start..end].trim());
    if end < hay.len() {
        s.push('…');
    }
    s.replace(['\n', '\r', '\t'], " ")
}
