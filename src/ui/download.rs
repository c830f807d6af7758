//! Downloads: every export is a button with `data-download="<file name>"` (DESIGN.md section 5).
//! The engine's worker builds the file where the data lives and hands over a Blob of it (made
//! there: the main thread copies no byte); the main thread gives it to the browser. Nothing
//! leaves the tab.

use super::client::send;
use super::state::use_state;
use crate::query::{PageQuery, Request, Response};
use crate::worker::command::Command;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Hand bytes to the browser as a download.
pub(crate) fn save_buffer(name: &str, mime: &str, buffer: &js_sys::ArrayBuffer) {
    let parts = js_sys::Array::of1(buffer);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_buffer_source_sequence_and_options(&parts, &options) else { return };
    click_download(name, &blob);
}

/// Save a Blob under a name, the way a download link does.
fn click_download(name: &str, blob: &web_sys::Blob) {
    let Ok(url) = web_sys::Url::create_object_url_with_blob(blob) else { return };
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Ok(a) = document.create_element("a") else { return };
    let a: web_sys::HtmlAnchorElement = a.unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.click();
    // Revoke the URL a little later: the download must have started first.
    leptos::prelude::set_timeout(move || { let _ = web_sys::Url::revoke_object_url(&url); }, std::time::Duration::from_secs(30));
}

/// Hand text made on the main thread (a chart, a rule file: small) to the browser as a download.
pub fn save_text(name: &str, mime: &str, text: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else { return };
    click_download(name, &blob);
}

/// Why a file did not come.
enum Failed {
    /// The worker stopped building it (the Cancel button) after `done` of its `total` files.
    Cancelled { done: usize, total: usize },
    /// What went wrong, in words.
    Error(String),
}

/// Ask the worker for a file: its name and its Blob, or why not.
async fn fetch(request: Request) -> Result<(String, web_sys::Blob), Failed> {
    let answer = send(&Command::Query { request }, None).await.map_err(Failed::Error)?;
    match serde_json::from_str::<Response>(&answer.json) {
        Ok(Response::Export { name, .. }) => Ok((name, answer.blob.ok_or(Failed::Error("the file came without its bytes".into()))?)),
        Ok(Response::Cancelled { done, total, .. }) => Err(Failed::Cancelled { done, total }),
        Ok(Response::Error { message }) => Err(Failed::Error(message)),
        _ => Err(Failed::Error("unexpected answer".into())),
    }
}

/// A table's rows, as it shows them, as CSV.
pub async fn save_page(q: PageQuery) {
    if let Ok((name, blob)) = fetch(Request::PageCsv(q)).await {
        click_download(&name, &blob);
    }
}

/// The download being prepared, kept by the app (not the view), so that leaving the overview while
/// a file is prepared neither loses it nor leaves the buttons disabled.
#[derive(Clone, Copy)]
pub struct Tracker {
    busy: RwSignal<Option<&'static str>>,
    /// Which click is current: an answer finding a newer number here is dropped.
    ticket: RwSignal<u32>,
    /// Cancel was pressed: the worker is stopping the build, and whatever it answers is not saved.
    cancelling: RwSignal<bool>,
    /// Files done of total, as the worker reports them while it builds the zip.
    progress: RwSignal<Option<(usize, usize)>>,
    /// The live region's text: said at the milestones only (asked, half done, saved, cancelled).
    message: RwSignal<String>,
}

impl Tracker {
    /// The app's tracker, listening to the engine's progress of a download.
    pub fn new() -> Self {
        let t = Tracker {
            busy: RwSignal::new(None),
            ticket: RwSignal::new(0),
            cancelling: RwSignal::new(false),
            progress: RwSignal::new(None),
            message: RwSignal::new(String::new()),
        };
        super::client::on_download(move |p| {
            if t.busy.get_untracked() != Some(p.name.as_str()) || t.cancelling.get_untracked() {
                return;
            }
            let before = t.progress.get_untracked().map_or(0, |(done, _)| done);
            if p.total > 0 && before * 2 < p.total && p.done * 2 >= p.total {
                t.message.set(format!("Preparing {}: half of its files are done…", p.name));
            }
            t.progress.set(Some((p.done, p.total)));
        });
        t
    }
}

/// Every download of DESIGN.md section 4. One is prepared at a time, in the engine's worker; the
/// page stays usable meanwhile. The zip shows its files done; Cancel stops the worker's build
/// (it answers how far it got), nothing is saved and the buttons come back.
#[component]
pub fn Downloads() -> impl IntoView {
    let state = use_state();
    let Tracker { busy, ticket, cancelling, progress, message } = expect_context::<Tracker>();
    let disabled = move || state.overview.with(|o| o.is_none()) || busy.get().is_some();
    let click = move |name: &'static str| {
        busy.set(Some(name));
        cancelling.set(false);
        progress.set(None);
        let mine = ticket.get_untracked() + 1;
        ticket.set(mine);
        message.set(format!("Preparing {name}…"));
        leptos::task::spawn_local(async move {
            let request = Request::Export { name: name.to_string(), generated_at_ms: js_sys::Date::now() as i64 };
            let result = fetch(request).await;
            if ticket.get_untracked() != mine {
                return;
            }
            let text = match result {
                // Built before the worker saw the Cancel: still not saved, as asked.
                Ok(_) if cancelling.get_untracked() => format!("Cancelled {name} (it was ready first): nothing was saved."),
                Ok((name, blob)) => {
                    click_download(&name, &blob);
                    format!("Saved {name}.")
                }
                Err(Failed::Cancelled { done, total }) if total > 1 => {
                    format!("Cancelled {name} after {done} of {total} files: nothing was saved.")
                }
                Err(Failed::Cancelled { .. }) => format!("Cancelled {name}: nothing was saved."),
                Err(Failed::Error(e)) => format!("{name}: {e}"),
            };
            message.set(text);
            progress.set(None);
            cancelling.set(false);
            busy.set(None);
        });
    };
    let cancel = move |_| {
        let Some(name) = busy.get_untracked() else { return };
        if cancelling.get_untracked() {
            return;
        }
        cancelling.set(true);
        message.set(format!("Cancelling {name}…"));
        // The build's own request is answered with how far it got; this one only says "stop".
        leptos::task::spawn_local(async move {
            let _ = send(&Command::CancelDownload, None).await;
        });
    };
    let percent = move || progress.get().map_or(0.0, |(done, total)| done as f64 * 100.0 / total.max(1) as f64);
    view! {
        <section class="downloads" aria-labelledby="downloads-title">
            <h2 id="downloads-title">"Downloads"</h2>
            <p class="hint">"Built from what the views show: the filters and redaction apply."</p>
            // The team view's label: another machine's page shows this export's rows under it.
            <label class="machine-name">"Machine name (written into the exports) "
                <input id="machine-name" type="text" maxlength="64" placeholder="this machine" autocomplete="off"
                    prop:value=move || state.settings.get().machine_name
                    on:change=move |ev| { let v = event_target_value(&ev).trim().to_string(); state.configure(|s| s.machine_name = v) }/>
            </label>
            <div class="buttons">
                {crate::export::ALL_NAMES
                    .iter()
                    .map(|&name| view! { <button data-download=name disabled=disabled on:click=move |_| click(name)>{name}</button> })
                    .collect_view()}
            </div>
            <div class="download-progress" hidden=move || busy.with(Option::is_none)>
                // Without counts (a file built in one go) the bar is indeterminate: no aria-valuenow.
                <div id="download-progress" class="bar" role="progressbar" aria-valuemin="0"
                    aria-label=move || format!("Preparing {}", busy.get().unwrap_or_default())
                    aria-valuemax=move || progress.get().map(|(_, total)| total.to_string())
                    aria-valuenow=move || progress.get().map(|(done, _)| done.to_string())
                    aria-valuetext=move || progress.get().map(|(done, total)| format!("{done} of {total} files"))
                    class:indeterminate=move || progress.with(Option::is_none)>
                    <span class="fill" style:width=move || format!("{:.1}%", percent())></span>
                </div>
                <span class="count">{move || match progress.get() {
                    Some((done, total)) => format!("{done} of {total} files"),
                    None => "Preparing…".to_string(),
                }}</span>
                <button id="cancel-download" disabled=move || cancelling.get() on:click=cancel>"Cancel"</button>
            </div>
            <p class="hint download-status" role="status" aria-live="polite">{move || message.get()}</p>
        </section>
    }
}
