//! The shared filters (DESIGN.md section 5 keeps their ids): model, workspace, machine (the team
//! view: this machine and each imported export's), from, to, time zone,
//! and the redaction rules. They apply to every view and download, and are kept in this
//! browser.

use super::state::use_state;
use leptos::prelude::*;

#[component]
pub fn FilterBar() -> impl IntoView {
    let state = use_state();
    let options = move |pick: fn(&crate::query::overview::Overview) -> Vec<String>| {
        state.overview.with(|o| o.as_ref().map(|o| pick(o)).unwrap_or_default())
    };
    let s = move || state.settings.get();
    view! {
        <section class="filters" aria-label="Filters">
            <label>"Model "
                <select id="filter-model" on:change=move |ev| { let v = event_target_value(&ev); state.configure(|s| s.model = v) }>
                    <option value="">"All models"</option>
                    {move || options(|o| o.models.clone()).into_iter().map(|m| { let sel = s().model == m; view! { <option value=m.clone() selected=sel>{m.clone()}</option> } }).collect_view()}
                </select>
            </label>
            <label>"Workspace "
                <select id="filter-workspace" on:change=move |ev| { let v = event_target_value(&ev); state.configure(|s| s.workspace = v) }>
                    <option value="">"All workspaces"</option>
                    {move || options(|o| o.workspaces.clone()).into_iter().map(|w| { let sel = s().workspace == w; view! { <option value=w.clone() selected=sel>{w.clone()}</option> } }).collect_view()}
                </select>
            </label>
            <label>"Machine "
                <select id="filter-machine" on:change=move |ev| { let v = event_target_value(&ev); state.configure(|s| s.machine = v) }>
                    <option value="">"All machines"</option>
                    {move || options(|o| o.machines.clone()).into_iter().map(|m| { let sel = s().machine == m; view! { <option value=m.clone() selected=sel>{m.clone()}</option> } }).collect_view()}
                </select>
            </label>
            <label>"From (UTC day) "
                <input id="filter-from" type="date" prop:value=move || s().from on:change=move |ev| { let v = event_target_value(&ev); state.configure(|s| s.from = v) }/>
            </label>
            <label>"To (UTC day) "
                <input id="filter-to" type="date" prop:value=move || s().to on:change=move |ev| { let v = event_target_value(&ev); state.configure(|s| s.to = v) }/>
            </label>
            <label>"Time zone "
                <input id="time-zone" type="text" list="zones" placeholder="UTC" prop:value=move || s().zone
                    on:change=move |ev| { let v = event_target_value(&ev); state.configure(|s| s.zone = v) }/>
                <datalist id="zones">
                    {["UTC", "Europe/Berlin", "Europe/London", "America/New_York", "America/Los_Angeles", "Asia/Tokyo"].map(|z| view! { <option value=z/> }).collect_view()}
                </datalist>
            </label>
            <super::redaction::RedactionPanel/>
        </section>
    }
}
