//! `#status`: what the page is doing, as text and as `data-state` (empty, loading, ready, error).

use super::state::{Status, use_state};
use leptos::prelude::*;

#[component]
pub fn StatusBar() -> impl IntoView {
    let state = use_state();
    let text = move || match state.status.get() {
        Status::Empty => "Drop session logs or a whole log folder anywhere on the page.".to_string(),
        Status::Loading { files_done, files_total, bytes_done } => format!(
            "Read {} of {} files ({})…",
            super::fmt::int(files_done as i64),
            super::fmt::int(files_total as i64),
            super::fmt::bytes(bytes_done)
        ),
        Status::Ready => state.analysis.with(|a| match a {
            Some(a) => {
                let files = &a.ledger.report.files;
                let t = a.ledger.report.totals();
                let int = |n: u64| super::fmt::int(n as i64);
                let unreadable = files.iter().filter(|f| f.read_failed()).count();
                let cut_short = match unreadable {
                    0 => String::new(),
                    1 => " 1 file could not be read to the end (see Files read).".to_string(),
                    n => format!(" {n} files could not be read to the end (see Files read)."),
                };
                format!(
                    "Read {} files, {} lines: {} parsed, {} skipped, {} duplicates, {} malformed.{cut_short}",
                    int(files.len() as u64),
                    int(t.lines),
                    int(t.parsed),
                    int(t.skipped),
                    int(t.duplicates),
                    int(t.malformed)
                )
            }
            None => "Ready.".to_string(),
        }),
    };
    let fraction = move || match state.status.get() {
        Status::Loading { files_done, files_total, .. } if files_total > 0 => files_done as f64 / files_total as f64,
        Status::Ready => 1.0,
        _ => 0.0,
    };
    view! {
        <div id="status" role="status" aria-live="polite" data-state=move || state.status.get().state()>
            <span class="status-text">{text}</span>
            <progress max="1" value=fraction></progress>
        </div>
    }
}
