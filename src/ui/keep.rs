//! The controls of results kept on this device and of a folder opened to be read again:
//! `input#remember` ("Keep parsed results on this device", off by default), `button#forget`
//! (deletes every kept result and says what that freed, in `#forget-result`), and, only where the
//! browser offers folder handles, `button#open-folder` and `button#refresh` (reads the folder
//! opened last again, new sessions included, without picking it again).

use super::state::use_state;
use leptos::prelude::*;

#[component]
pub fn KeepControls() -> impl IntoView {
    let state = use_state();
    let freed = RwSignal::new(String::new());
    let folders = super::folder::supported();
    let has_folder = RwSignal::new(false);
    if folders {
        leptos::task::spawn_local(async move { has_folder.set(super::folder::has_folder().await) });
    }
    let on_remember = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        super::storage::save_remember(on);
        state.remember.set(on);
    };
    let forget = move |_| {
        freed.set("Forgetting…".into());
        leptos::task::spawn_local(async move { freed.set(super::actions::forget().await) });
    };
    let add = || {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("add-files"))
            .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(e).ok())
            .is_some_and(|i| i.checked())
    };
    // A folder from the picker or from Refresh loads like one from the folder input.
    let load = move |picked: Result<Option<Vec<super::pick::Picked>>, String>| async move {
        match picked {
            Ok(Some(files)) => {
                has_folder.set(true);
                super::actions::load(state, files, add()).await;
            }
            Ok(None) => {}
            Err(message) => state.status.set(super::state::Status::Error(message)),
        }
    };
    let open_folder = move |_| leptos::task::spawn_local(async move { load(super::folder::pick().await).await });
    let refresh = move |_| leptos::task::spawn_local(async move { load(super::folder::refresh().await.map(Some)).await });
    view! {
        <div class="keep" role="group" aria-label="Kept results">
            <Show when=move || folders>
                <button id="open-folder" on:click=open_folder title="Open a folder that Refresh can read again">"Open a folder…"</button>
                <button id="refresh" on:click=refresh disabled=move || !has_folder.get()
                    title="Read the folder opened last again, with its new sessions">"Refresh"</button>
            </Show>
            <label class="check">
                <input id="remember" type="checkbox" prop:checked=move || state.remember.get() on:change=on_remember/>
                "Keep parsed results on this device"
            </label>
            <button id="forget" on:click=forget>"Forget stored results"</button>
            <span id="forget-result" role="status" aria-live="polite">{move || freed.get()}</span>
        </div>
    }
}
