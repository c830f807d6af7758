//! `#status`: what the page is doing, as text and as `data-state` (empty, loading, ready, error),
//! with a progress bar by bytes, the rate and the time left, and Cancel while loading. The live
//! region speaks at milestones (start, end), not on every progress message.

use super::fmt;
use super::state::{Status, use_state};
use leptos::prelude::*;

#[component]
pub fn StatusBar() -> impl IntoView {
    let state = use_state();
    let text = move || match state.status.get() {
        Status::Empty => "Drop session logs or a whole log folder anywhere on the page, or pick them above.".to_string(),
        Status::Loading(p) if p.bytes_total == 0 => format!("Reading {} files…", fmt::int(p.files_total as i64)),
        Status::Loading(p) => {
            let secs = p.elapsed_ms / 1000.0;
            let rate = if secs > 0.0 { p.bytes_done as f64 / secs } else { 0.0 };
            let left = if rate > 0.0 { (p.bytes_total.saturating_sub(p.bytes_done)) as f64 / rate } else { 0.0 };
            format!(
                "Read {} of {} files, {} of {} ({}/s, about {:.0} s left)…",
                fmt::int(p.files_done as i64),
                fmt::int(p.files_total as i64),
                fmt::bytes(p.bytes_done),
                fmt::bytes(p.bytes_total),
                fmt::bytes(rate as u64),
                left
            )
        }
        Status::Ready => state.overview.with(|o| match o {
            Some(o) => {
                let f = &o.files;
                let int = |n: u64| fmt::int(n as i64);
                let cut_short = match f.unreadable {
                    0 => String::new(),
                    1 => " 1 file could not be read to the end (see Files).".to_string(),
                    n => format!(" {n} files could not be read to the end (see Files)."),
                };
                // With results kept on this device: how many files were parsed this time.
                let kept = match state.parsed.get() {
                    Some((files, parsed)) if state.remember.get() || parsed < files => {
                        format!(" Parsed {} of the files; {} came from this device.", int(parsed), int(files - parsed))
                    }
                    _ => String::new(),
                };
                format!(
                    "Read {} files, {} lines: {} parsed, {} skipped, {} duplicates, {} malformed.{cut_short}{kept}",
                    int(f.files),
                    int(f.lines),
                    int(f.parsed),
                    int(f.skipped),
                    int(f.duplicates),
                    int(f.malformed)
                )
            }
            None => "Ready.".to_string(),
        }),
        Status::Error(message) => format!("Something went wrong: {message}"),
    };
    let fraction = move || match state.status.get() {
        Status::Loading(p) if p.bytes_total > 0 => p.bytes_done as f64 / p.bytes_total as f64,
        Status::Ready => 1.0,
        _ => 0.0,
    };
    let loading = move || matches!(state.status.get(), Status::Loading(_));
    // Spoken once per state change, not per progress message.
    let announce = Memo::new(move |_| match state.status.get() {
        Status::Loading(_) => "Loading logs.".to_string(),
        Status::Ready => "Logs loaded.".to_string(),
        Status::Error(_) => "Loading failed.".to_string(),
        Status::Empty => String::new(),
    });
    view! {
        <span class="visually-hidden" role="status" aria-live="polite">{move || announce.get()}</span>
        // data-version moves each time the views' answers may have changed (a load, a filter, a
        // redaction or time-zone change): automation waits on it (DESIGN.md section 5).
        // A landmark of its own (a labelled section), so that screen-reader users reach it by
        // landmark like the pickers and filters (axe-core's "region").
        <section id="status" aria-label="Load status" data-state=move || state.status.get().state() data-version=move || state.version.get().to_string()
            data-parsed-files=move || state.parsed.get().map(|(_, parsed)| parsed.to_string())
            data-parse-workers=move || state.workers.get().map(|n| n.to_string())
            data-load-timings=move || state.load_timings.get()>
            <span class="status-text">{text}</span>
            <progress max="1" value=fraction aria-label="Loading progress" hidden=move || matches!(state.status.get(), Status::Empty)></progress>
            <Show when=loading>
                <button id="cancel-load" on:click=move |_| leptos::task::spawn_local(super::actions::cancel(state))>"Cancel"</button>
            </Show>
        </section>
    }
}
