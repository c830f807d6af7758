//! Prices the user can edit. Edits persist in the browser (localStorage) and show in the exports.

use crate::pricing::PriceBook;

const STORAGE_KEY: &str = "agent-ledger.price-overrides";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The built-in price book with the user's saved edits applied.
pub fn load_saved_prices() -> PriceBook {
    let mut book = PriceBook::builtin();
    if let Some(saved) = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten()) {
        let _ = book.load_overrides_json(&saved);
    }
    book
}

/// Remember the user's edits for the next visit.
pub fn save_prices(book: &PriceBook) {
    if let Some(s) = storage() {
        let _ = s.set_item(STORAGE_KEY, &book.overrides_json());
    }
}

use super::fmt;
use super::state::{Shared, use_state};
use crate::pricing::ModelPrice;
use leptos::prelude::*;
use std::sync::Arc;

/// One editable price: `None` when the text is not a non-negative number.
fn parse_rate(s: &str) -> Option<f64> {
    s.trim().parse::<f64>().ok().filter(|x| x.is_finite() && *x >= 0.0)
}

/// The models seen in the loaded logs, each with the price in force (USD per million tokens) and
/// where it comes from; the user can set their own and reset it.
#[component]
pub fn PriceEditor() -> impl IntoView {
    let state = use_state();
    let models = move || {
        state.analysis.with(|a| a.as_ref().map(|a| a.summary.by_model.iter().map(|g| g.key.label()).collect::<Vec<_>>()))
    };
    let info = move || {
        let i = state.prices.with(|p| p.snapshot_info());
        format!("Prices: {} (snapshot {}), USD per million tokens. Your edits are kept in this browser and used in every export.", i.source, i.snapshot_date)
    };
    view! {
        <section id="prices">
            <h2>"Prices"</h2>
            <p class="hint">{info}</p>
            <table>
                <thead><tr><th>"Model"</th><th>"Input"</th><th>"Cached input"</th><th>"Cache write"</th><th>"1-hour cache write"</th><th>"Output"</th><th>"From"</th><th></th></tr></thead>
                <tbody>
                    {move || models().unwrap_or_default().into_iter().map(|m| view! { <PriceRowEditor model=m/> }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

#[component]
fn PriceRowEditor(model: String) -> impl IntoView {
    let state = use_state();
    let current = {
        let model = model.clone();
        move || state.prices.with(|p| p.price(&model))
    };
    let rate = {
        let current = current.clone();
        move |f: fn(&ModelPrice) -> Option<f64>| {
            let current = current.clone();
            move || current().and_then(|p| f(&p)).map(|x| format!("{x}")).unwrap_or_default()
        }
    };
    let field = || RwSignal::new(String::new());
    let (input, cached, write, write_1h, output) = (field(), field(), field(), field(), field());
    let origin = {
        let current = current.clone();
        move || current().map(|p| p.origin.label()).unwrap_or_else(|| "unpriced".into())
    };
    let save = {
        let model = model.clone();
        let current = current.clone();
        move |_| {
            let base = current().unwrap_or_default();
            let pick = |sig: RwSignal<String>, old: Option<f64>| {
                let text = sig.get_untracked();
                if text.trim().is_empty() { old } else { parse_rate(&text).or(old) }
            };
            let price = ModelPrice {
                input: pick(input, Some(base.input)).unwrap_or(0.0),
                cache_read: pick(cached, base.cache_read),
                cache_write_5m: pick(write, base.cache_write_5m),
                cache_write_1h: pick(write_1h, base.cache_write_1h),
                output: pick(output, Some(base.output)).unwrap_or(0.0),
                ..base
            };
            let mut book = state.prices.get_untracked().0.as_ref().clone();
            if book.set_override(&model, price).is_ok() {
                save_prices(&book);
                state.prices.set(Shared(Arc::new(book)));
            }
        }
    };
    let reset = {
        let model = model.clone();
        move |_| {
            let mut book = state.prices.get_untracked().0.as_ref().clone();
            if book.remove_override(&model) {
                save_prices(&book);
                state.prices.set(Shared(Arc::new(book)));
            }
        }
    };
    let cell = move |sig: RwSignal<String>, placeholder: Box<dyn Fn() -> String + Send + Sync>| {
        view! { <td><input class="rate" type="text" inputmode="decimal" placeholder=placeholder prop:value=move || sig.get() on:input=move |ev| sig.set(event_target_value(&ev))/></td> }
    };
    view! {
        <tr data-model=model.clone()>
            <td>{model.clone()}</td>
            {cell(input, Box::new(rate(|p| Some(p.input))))}
            {cell(cached, Box::new(rate(|p| p.cache_read)))}
            {cell(write, Box::new(rate(|p| p.cache_write_5m)))}
            {cell(write_1h, Box::new(rate(|p| p.cache_write_1h)))}
            {cell(output, Box::new(rate(|p| Some(p.output))))}
            <td>{origin}</td>
            <td class="actions"><button class="save-price" on:click=save>"Set"</button>" "<button on:click=reset>"Reset"</button></td>
        </tr>
    }
}

/// Filters, retention, row cap, redaction: what the views and every export honour.
#[component]
pub fn Settings() -> impl IntoView {
    let state = use_state();
    let models = move || state.ledger.with(|l| {
        let mut m: Vec<String> = l.as_ref().map(|l| l.tables.usage.iter().map(|u| u.model.clone()).collect()).unwrap_or_default();
        m.sort();
        m.dedup();
        m
    });
    let workspaces = move || state.ledger.with(|l| {
        let mut w: Vec<String> = l.as_ref().map(|l| l.tables.sessions.iter().filter_map(|s| s.workspace.clone()).collect()).unwrap_or_default();
        w.sort();
        w.dedup();
        w
    });
    let day_ms = |s: &str| crate::timefmt::parse_iso(&format!("{s}T00:00:00Z"));
    let number = |s: String| s.trim().parse::<u32>().ok().filter(|n| *n > 0);
    view! {
        <section id="settings">
            <h2>"Filters and export settings"</h2>
            <div class="settings-grid">
                <label>"Model"
                    <select id="filter-model" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        state.filter.update(|f| f.models = if v.is_empty() { vec![] } else { vec![v] });
                    }>
                        <option value="">"All models"</option>
                        {move || models().into_iter().map(|m| view! { <option value=m.clone()>{m.clone()}</option> }).collect_view()}
                    </select>
                </label>
                <label>"Workspace"
                    <select id="filter-workspace" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        state.filter.update(|f| f.workspaces = if v.is_empty() { vec![] } else { vec![v] });
                    }>
                        <option value="">"All workspaces"</option>
                        {move || workspaces().into_iter().map(|w| view! { <option value=w.clone()>{w.clone()}</option> }).collect_view()}
                    </select>
                </label>
                <label>"From (UTC day)"
                    <input id="filter-from" type="date" on:change=move |ev| state.filter.update(|f| f.from_ms = day_ms(&event_target_value(&ev)))/>
                </label>
                <label>"To (UTC day, inclusive)"
                    <input id="filter-to" type="date" on:change=move |ev| state.filter.update(|f| f.to_ms = day_ms(&event_target_value(&ev)).map(|t| t + 86_400_000))/>
                </label>
                <label>"Keep the last N days (empty: all)"
                    <input id="retention-days" type="number" min="1" on:change=move |ev| state.filter.update(|f| f.retention_days = number(event_target_value(&ev)))/>
                </label>
                <label>"Row cap per CSV (empty: none)"
                    <input id="row-cap" type="number" min="1" on:change=move |ev| state.settings.update(|s| s.row_cap = number(event_target_value(&ev)).map(|n| n as usize))/>
                </label>
                <fieldset>
                    <legend>"Redact in views and exports"</legend>
                    <label><input id="redact-prompts" type="checkbox" on:change=move |ev| state.redaction.update(|r| r.prompts = event_target_checked(&ev))/>"prompts"</label>
                    <label><input id="redact-args" type="checkbox" on:change=move |ev| state.redaction.update(|r| r.tool_args = event_target_checked(&ev))/>"tool arguments"</label>
                    <label><input id="redact-results" type="checkbox" on:change=move |ev| state.redaction.update(|r| r.tool_results = event_target_checked(&ev))/>"tool results"</label>
                    <label><input id="redact-paths" type="checkbox" on:change=move |ev| state.redaction.update(|r| r.paths = event_target_checked(&ev))/>"paths"</label>
                </fieldset>
            </div>
            <p class="hint">{move || state.analysis.with(|a| a.as_ref().map(|a| format!("{} usage rows after filters; costs {}.", fmt::int(a.summary.totals.usage.usage_rows as i64), fmt::usd(a.summary.totals.usage.cost_usd))))}</p>
        </section>
    }
}
