//! The page: Leptos components only. State lives at the root ([`state::AppState`]); components
//! are thin views over the core's analysis. Automation hooks (DESIGN.md section 5):
//! `input#file-input`, `input#folder-input`, drop anywhere, `#status[data-state]`,
//! `[data-download]` buttons, `button#load-sample`.

mod charts;
mod download;
mod fmt;
mod load;
mod pager;
mod pick;
pub mod panic;
pub mod prices;
mod state;
mod status;
mod tables;
mod timing;

use leptos::prelude::*;
use state::{AppState, use_state};
use web_sys::HtmlInputElement;

#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new();
    provide_context(state);
    install_drop_anywhere(state);
    view! {
        <header>
            <h1>"Agent Ledger"</h1>
            <p class="tagline">"Audit what your coding agents did and what it cost. Everything stays in this tab: nothing is uploaded."</p>
        </header>
        <main>
            <Pickers/>
            <status::StatusBar/>
            <tables::Totals/>
            <charts::Charts/>
            <download::Downloads/>
            <prices::Settings/>
            <tables::ChecksTable/>
            <tables::ModelsTable/>
            <tables::ToolsTable/>
            <tables::UsageTable/>
            <tables::IngestTable/>
            <prices::PriceEditor/>
        </main>
    }
}

/// The file and folder inputs, the sample button and the time-zone choice.
#[component]
fn Pickers() -> impl IntoView {
    let state = use_state();
    let on_files = move |ev: leptos::ev::Event| {
        timing::mark("listed");
        let input: HtmlInputElement = event_target(&ev);
        let picked = pick::from_file_list(input.files());
        input.set_value("");
        leptos::task::spawn_local(load::load_files(state, picked));
    };
    view! {
        <section class="pickers" id="dropzone">
            <label class="picker">
                "Log files"
                <input id="file-input" type="file" multiple on:change=on_files/>
            </label>
            <label class="picker">
                "A log folder (e.g. ~/.codex/sessions)"
                <input id="folder-input" type="file" multiple prop:webkitdirectory=true on:change=on_files/>
            </label>
            <button id="load-sample" on:click=move |_| load::load_sample(state)>"Load sample logs"</button>
            <label class="picker">
                "Time zone for days and hours"
                <input id="time-zone" type="text" list="zones" prop:value=move || state.zone.get()
                    on:change=move |ev| state.zone.set(event_target_value(&ev))/>
                <datalist id="zones">
                    <option value="UTC"/>
                    <option value="Europe/Berlin"/>
                    <option value="Europe/London"/>
                    <option value="America/New_York"/>
                    <option value="America/Los_Angeles"/>
                    <option value="Asia/Tokyo"/>
                </datalist>
            </label>
        </section>
    }
}

/// Dropping files or folders anywhere on the page loads them.
fn install_drop_anywhere(state: AppState) {
    let over = window_event_listener(leptos::ev::dragover, |ev| ev.prevent_default());
    let drop = window_event_listener(leptos::ev::drop, move |ev| {
        ev.prevent_default();
        let Some(dt) = ev.data_transfer() else { return };
        let (entries, files) = pick::entries_of_drop(&dt);
        leptos::task::spawn_local(async move {
            let mut picked = files;
            picked.extend(pick::walk_entries(entries).await);
            load::load_files(state, picked).await;
        });
    });
    // The page lives as long as the app: the listeners are never removed.
    std::mem::forget((over, drop));
}
