//! Downloads: every export is a button with `data-download="<file name>"` (DESIGN.md section 5).
//! The engine's worker builds the file where the data lives and transfers the bytes; the main
//! thread only wraps them in a Blob and hands them to the browser. Nothing leaves the tab.

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

/// Ask the worker for a file: its name, type and bytes, or what went wrong in words.
async fn fetch(request: Request) -> Result<(String, String, js_sys::ArrayBuffer), String> {
    let answer = send(&Command::Query { request }, None).await?;
    match serde_json::from_str::<Response>(&answer.json) {
        Ok(Response::Export { name, mime, .. }) => Ok((name, mime, answer.bytes.ok_or("the file came without its bytes")?)),
        Ok(Response::Error { message }) => Err(message),
        _ => Err("unexpected answer".into()),
    }
}

/// Ask the worker for a file and save it.
async fn fetch_and_save(request: Request) -> Result<(), String> {
    let (name, mime, bytes) = fetch(request).await?;
    save_buffer(&name, &mime, &bytes);
    Ok(())
}

/// A table's rows, as it shows them, as CSV.
pub async fn save_page(q: PageQuery) {
    let _ = fetch_and_save(Request::PageCsv(q)).await;
}

/// Every download of DESIGN.md section 4. One is prepared at a time, in the engine's worker; the
/// page stays usable meanwhile. Cancel stops waiting for it at once: nothing is saved, the buttons
/// come back, and the worker drops the file when it is done with it.
/// The download being prepared, kept by the app (not the view), so that leaving the overview while
/// a file is prepared neither loses it nor leaves the buttons disabled.
#[derive(Clone, Copy)]
pub struct Tracker {
    busy: RwSignal<Option<&'static str>>,
    /// Which click is current: a cancelled one's answer finds a newer number here and is dropped.
    ticket: RwSignal<u32>,
    message: RwSignal<String>,
}

impl Default for Tracker {
    fn default() -> Self {
        Tracker { busy: RwSignal::new(None), ticket: RwSignal::new(0), message: RwSignal::new(String::new()) }
    }
}

#[component]
pub fn Downloads() -> impl IntoView {
    let state = use_state();
    let Tracker { busy, ticket, message } = expect_context::<Tracker>();
    let disabled = move || state.overview.with(|o| o.is_none()) || busy.get().is_some();
    let click = move |name: &'static str| {
        busy.set(Some(name));
        let mine = ticket.get_untracked() + 1;
        ticket.set(mine);
        message.set(format!("Preparing {name}…"));
        leptos::task::spawn_local(async move {
            let request = Request::Export { name: name.to_string(), generated_at_ms: js_sys::Date::now() as i64 };
            let result = fetch(request).await;
            if ticket.get_untracked() != mine {
                return;
            }
            match result {
                Ok((name, mime, bytes)) => {
                    save_buffer(&name, &mime, &bytes);
                    message.set(String::new());
                }
                Err(e) => message.set(format!("{name}: {e}")),
            }
            busy.set(None);
        });
    };
    let cancel = move |_| {
        if let Some(name) = busy.get_untracked() {
            ticket.update(|t| *t += 1);
            busy.set(None);
            message.set(format!("Cancelled {name}: nothing was saved."));
        }
    };
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
            <p class="hint download-status" role="status">
                {move || message.get()}" "
                <button id="cancel-download" hidden=move || busy.with(Option::is_none) on:click=cancel>"Cancel"</button>
            </p>
        </section>
    }
}
