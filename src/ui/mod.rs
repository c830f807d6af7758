//! The page: Leptos components only. The data lives in the engine's Web Worker ([`client`]); the
//! root state ([`state::AppState`]) holds the settings and the overview; each view at its URL
//! hash ([`router`], [`views`]) asks the engine for what it shows. Automation hooks (DESIGN.md
//! section 5): `input#file-input`, `input#folder-input`, drop anywhere, `#status[data-state]`,
//! `[data-download]`, `button#load-sample`, `[data-view]`, `input#search`, `button#theme`,
//! `input#remember`, `button#forget`, `button#refresh` ([`keep`]).

mod actions;
mod charts;
mod client;
mod download;
mod filters;
mod fmt;
mod folder;
mod keep;
pub mod panic;
mod pick;
mod raw;
mod redaction;
mod router;
mod state;
mod status;
mod storage;
mod table;
mod timing;
mod views;

use leptos::prelude::*;
use state::{AppState, Status, use_state};
use web_sys::HtmlInputElement;

#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new();
    provide_context(state);
    provide_context(raw::RawTarget(RwSignal::new(None)));
    let (route, set_route) = router::route_signal();
    provide_context(route);
    router::sync_filters(route, set_route, state);
    // The view is drawn anew only when it changes (or its session does): a new query in the hash
    // (filters, a table's narrowing, a search) is read by the view that is already there, which
    // keeps its scroll position, its open details and any download it is preparing.
    let shown = Memo::new(move |_| route.with(|r| router::Route { query: Vec::new(), ..r.clone() }));
    provide_context(download::Tracker::new());
    if let Err(e) = client::start(move |p| state.status.set(Status::Loading(p))) {
        state.status.set(Status::Error(format!("the engine could not start: {e}")));
    }
    // The worker keeps the settings of the page from the start.
    leptos::task::spawn_local(async move {
        let settings = state.settings.get_untracked();
        client::ask(crate::query::Request::Configure { settings }).await;
    });
    install_drop_anywhere(state);
    Effect::new(move |_| {
        let theme = state.theme.get();
        if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
            let _ = root.set_attribute("data-theme", &theme);
        }
    });
    view! {
        <header class="top">
            <div class="brand">
                <h1><a href="#/overview">"Agent Ledger"</a></h1>
                <p class="tagline">"Audit what your coding agents did and what it cost. Everything stays in this tab: nothing is uploaded."</p>
            </div>
            <SearchBox/>
            <ThemeToggle/>
        </header>
        <Pickers/>
        <status::StatusBar/>
        <Nav/>
        <filters::FilterBar/>
        <main id="main">{move || views::show(&shown.get())}</main>
        <raw::RawPanel/>
        <redaction::RedactSelection/>
    }
}

#[component]
fn Nav() -> impl IntoView {
    let route = expect_context::<ReadSignal<router::Route>>();
    let state = use_state();
    view! {
        <nav class="views" aria-label="Views">
            {router::VIEWS.iter().map(|&(name, label)| {
                let current = move || {
                    let v = route.with(|r| r.view.clone());
                    (v == name || (v == "session" && name == "sessions")).then_some("page")
                };
                let href = move || state.settings.with(|s| router::href(name, s));
                view! { <a href=href aria-current=current>{label}</a> }
            }).collect_view()}
        </nav>
    }
}

#[component]
fn SearchBox() -> impl IntoView {
    let go = move |ev: leptos::ev::Event| {
        let q = event_target_value(&ev);
        if let Some(w) = web_sys::window() {
            let _ = w.location().set_hash(&format!("/search?q={}", router::encode(&q)));
        }
    };
    view! {
        <form class="search" role="search" on:submit=|ev| ev.prevent_default()>
            <label for="search" class="visually-hidden">"Search prompts, tool calls and findings"</label>
            <input id="search" type="search" placeholder="Search prompts, tools, findings…" on:change=go/>
        </form>
    }
}

#[component]
fn ThemeToggle() -> impl IntoView {
    let state = use_state();
    let toggle = move |_| {
        let next = if state.theme.get_untracked() == "dark" { "light" } else { "dark" };
        storage::save_theme(next);
        state.theme.set(next.to_string());
    };
    let label = move || if state.theme.get() == "dark" { "Light theme" } else { "Dark theme" };
    view! { <button id="theme" on:click=toggle aria-pressed=move || (state.theme.get() == "dark").to_string()>{label}</button> }
}

/// The file and folder inputs, the sample, add and clear.
#[component]
fn Pickers() -> impl IntoView {
    let state = use_state();
    let add = RwSignal::new(false);
    let on_files = move |ev: leptos::ev::Event| {
        timing::mark("listed");
        let input: HtmlInputElement = event_target(&ev);
        let picked = pick::from_file_list(input.files());
        input.set_value("");
        leptos::task::spawn_local(actions::load(state, picked, add.get_untracked()));
    };
    view! {
        <section class="pickers" id="dropzone" aria-label="Open logs">
            <label class="picker">"Log files"
                <input id="file-input" type="file" multiple on:change=on_files/>
            </label>
            <label class="picker">"A log folder (e.g. ~/.codex/sessions)"
                <input id="folder-input" type="file" multiple prop:webkitdirectory=true on:change=on_files/>
            </label>
            <label class="check"><input id="add-files" type="checkbox" on:change=move |ev| add.set(event_target_checked(&ev))/>"Add to what is loaded"</label>
            <button id="load-sample" on:click=move |_| leptos::task::spawn_local(actions::load_sample(state))>"Load sample logs"</button>
            <button id="clear" on:click=move |_| leptos::task::spawn_local(actions::clear(state)) disabled=move || state.overview.with(Option::is_none)>"Clear"</button>
            <keep::KeepControls/>
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
        let add = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("add-files"))
            .and_then(|e| wasm_bindgen::JsCast::dyn_into::<HtmlInputElement>(e).ok())
            .is_some_and(|i| i.checked());
        leptos::task::spawn_local(async move {
            let mut picked = files;
            picked.extend(pick::walk_entries(entries).await);
            actions::load(state, picked, add).await;
        });
    });
    // The page lives as long as the app: the listeners are never removed.
    std::mem::forget((over, drop));
}
