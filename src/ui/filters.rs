//! The shared filters (DESIGN.md section 5 keeps their ids): model, workspace, from, to, time zone,
//! and the redaction rules. They apply to every view and download, and are kept in this
//! browser.

use super::state::use_state;
use crate::redact::{Kind, Redaction};
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
            <RedactionRules/>
        </section>
    }
}

/// The redaction rules in force: the saved rule file, else the built-in defaults.
fn rules_of(settings: &crate::query::Settings) -> Redaction {
    match settings.redaction_rules.trim() {
        "" => Redaction::default(),
        text => Redaction::from_json(text).unwrap_or_default(),
    }
}

/// One switch per redaction rule (`input[data-rule="<id>"]`): secret rules on by default,
/// personal-data rules offered but off. The rule file is kept with the settings.
#[component]
fn RedactionRules() -> impl IntoView {
    let state = use_state();
    let rules = move || rules_of(&state.settings.get()).rules;
    let summary = move || {
        let r = rules();
        format!("Redaction: {} of {} rules on", r.iter().filter(|r| r.enabled).count(), r.len())
    };
    let switch = move |id: String, on: bool| {
        let mut r = rules_of(&state.settings.get_untracked());
        r.set_enabled(&id, on);
        let json = r.to_json();
        state.configure(move |s| s.redaction_rules = json);
    };
    view! {
        <details class="redaction">
            <summary>{summary}</summary>
            <p class="hint">"Masks what matches in every view and download; redaction.json says what was masked and why."</p>
            <fieldset>
                <legend>"Rules"</legend>
                {move || rules().into_iter().map(|rule| {
                    let id = rule.id.clone();
                    let kind = match rule.kind { Kind::Secret => "secret", Kind::Personal => "personal", Kind::Custom => "custom" };
                    view! {
                        <label class="rule">
                            <input type="checkbox" data-rule=rule.id.clone() prop:checked=rule.enabled
                                on:change=move |ev| switch(id.clone(), event_target_checked(&ev))/>
                            {rule.title.clone()}" "<span class="kind">{kind}</span>
                        </label>
                    }
                }).collect_view()}
            </fieldset>
        </details>
    }
}
