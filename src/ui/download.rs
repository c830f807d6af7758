//! Downloads: every export is a button with `data-download="<file name>"` (DESIGN.md section 5).
//! The file is built when clicked, from the current analysis, and handed to the browser as a
//! Blob URL; nothing leaves the tab.

use super::state::{Analysis, use_state};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The files the page offers, in the order the buttons show.
pub const FILES: &[&str] = &crate::export::ALL_NAMES;

/// Build one export file from the current analysis: its MIME type and bytes.
pub fn build(name: &str, a: &Analysis) -> Option<(&'static str, Vec<u8>)> {
    let meta = crate::export::ReportMeta {
        generated_at_ms: Some(js_sys::Date::now() as i64),
        price_snapshot: a.price_label.clone(),
    };
    let input = crate::export::ExportInput {
        tables: a.tables(),
        usage_costs: &a.usage_costs,
        ingest: &a.ledger.report,
        audit: &a.audit,
        summary: &a.summary,
        filter: &a.filter,
        redaction: &a.redaction,
        settings: &a.settings,
        meta: &meta,
    };
    crate::export::build_file(&input, name).map(|f| (f.mime, f.bytes))
}

/// Hand bytes to the browser as a download.
pub fn save(name: &str, mime: &str, bytes: Vec<u8>) {
    let blob = gloo_file::Blob::new_with_options(bytes.as_slice(), Some(mime));
    let url = gloo_file::ObjectUrl::from(blob);
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Ok(a) = document.create_element("a") else { return };
    let a: web_sys::HtmlAnchorElement = a.unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.click();
    // Revoke the URL a little later: the download must have started first.
    let keep = std::cell::RefCell::new(Some(url));
    leptos::prelude::set_timeout(move || drop(keep.take()), std::time::Duration::from_secs(30));
}

#[component]
pub fn Downloads() -> impl IntoView {
    let state = use_state();
    let disabled = move || state.analysis.with(|a| a.is_none());
    let click = move |name: &'static str| {
        if let Some(a) = state.analysis.get_untracked()
            && let Some((mime, bytes)) = build(name, &a)
        {
            save(name, mime, bytes);
        }
    };
    view! {
        <section class="downloads" aria-label="Downloads">
            <h2>"Downloads"</h2>
            <div class="buttons">
                {FILES
                    .iter()
                    .map(|&name| {
                        view! {
                            <button data-download=name disabled=disabled on:click=move |_| click(name)>
                                {name}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
        </section>
    }
}
