//! `#status`: what the page is doing, as text and as `data-state` (empty, loading, ready, error).

use super::state::{Status, use_state};
use leptos::prelude::*;

#[component]
pub fn StatusBar() -> impl IntoView {
    let state = use_state();
    let text = move || match state.status.get() {
        Status::Empty => "Drop session logs or a whole log folder anywhere on the page.".to_string(),
        Status::Loading { files_done, files_total, bytes_done, bytes_total } => format!(
            "Reading {files_done} of {files_total} files, {} of {}…",
            super::fmt::bytes(bytes_done),
            super::fmt::bytes(bytes_total)
        ),
        Status::Ready => state.analysis.with(|a| match a {
            Some(a) => {
                let t = a.ledger.report.totals();
                format!(
                    "Read {} files, {} lines: {} parsed, {} skipped, {} duplicates, {} malformed.",
                    a.ledger.report.files.len(),
                    t.lines,
                    t.parsed,
                    t.skipped,
                    t.duplicates,
                    t.malformed
                )
            }
            None => "Ready.".to_string(),
        }),
        Status::Error(e) => format!("Error: {e}"),
    };
    let fraction = move || match state.status.get() {
        Status::Loading { bytes_done, bytes_total, .. } if bytes_total > 0 => bytes_done as f64 / bytes_total as f64,
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
