//! `#/files`: the ingest report: every file, its format and what became of each of its lines.

use super::ViewFrame;
use crate::ui::fmt;
use crate::ui::state::use_state;
use crate::ui::table::DataTable;
use leptos::prelude::*;

#[component]
pub fn Files() -> impl IntoView {
    let state = use_state();
    let by_format = move || {
        state.overview.with(|o| {
            o.as_ref().map(|o| {
                o.files
                    .by_format
                    .iter()
                    .map(|(f, n, b)| format!("{f}: {} file{}, {}", fmt::int(*n as i64), if *n == 1 { "" } else { "s" }, fmt::bytes(*b)))
                    .collect::<Vec<_>>()
                    .join(" · ")
            })
        })
    };
    view! {
        <ViewFrame name="files" title="Files read">
            <p class="hint" id="files-by-format">{by_format}</p>
            <p class="hint">"Every line of every file is parsed, skipped, a duplicate or malformed (with its line and reason)."</p>
            <DataTable dataset="ingest_report.csv" id="ingest-report" label="Files read"/>
        </ViewFrame>
    }
}
