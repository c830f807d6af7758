//! `#/prices`: the models seen, each with the price in force (USD per million tokens) and where
//! it comes from; a person can set their own and reset it. Edits are kept in this browser and
//! used in every view and export.

use super::ViewFrame;
use crate::pricing::{ModelPrice, PriceBook};
use crate::query::protocol::PriceLine;
use crate::query::{Request, Response};
use crate::ui::client::ask;
use crate::ui::state::{AppState, use_state};
use leptos::prelude::*;

/// `None` when the text is not a non-negative number.
fn parse_rate(s: &str) -> Option<f64> {
    s.trim().parse::<f64>().ok().filter(|x| x.is_finite() && *x >= 0.0)
}

fn edit(state: AppState, change: impl FnOnce(&mut PriceBook) -> bool) {
    let mut book = PriceBook::builtin();
    let saved = state.settings.get_untracked().price_overrides;
    if !saved.is_empty() {
        let _ = book.load_overrides_json(&saved);
    }
    if change(&mut book) {
        let json = book.overrides_json();
        state.configure(move |s| s.price_overrides = json);
    }
}

#[component]
fn PriceRowEditor(line: PriceLine) -> impl IntoView {
    let state = use_state();
    let model = line.model.clone();
    let show = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    let fields = [
        ("input", "Input", show(line.input)),
        ("cached", "Cached input", show(line.cache_read)),
        ("write", "Cache write", show(line.cache_write_5m)),
        ("write-1h", "1-hour cache write", show(line.cache_write_1h)),
        ("output", "Output", show(line.output)),
    ];
    let sigs: Vec<RwSignal<String>> = fields.iter().map(|f| RwSignal::new(f.2.clone())).collect();
    let save = {
        let model = model.clone();
        let sigs = sigs.clone();
        move |_| {
            let v: Vec<Option<f64>> = sigs.iter().map(|s| parse_rate(&s.get_untracked())).collect();
            let (Some(input), Some(output)) = (v[0], v[4]) else { return };
            let price = ModelPrice { input, output, cache_read: v[1], cache_write_5m: v[2], cache_write_1h: v[3], ..ModelPrice::default() };
            let model = model.clone();
            edit(state, move |b| b.set_override(&model, price).is_ok());
        }
    };
    let reset = {
        let model = model.clone();
        move |_| {
            let model = model.clone();
            edit(state, move |b| b.remove_override(&model));
        }
    };
    view! {
        <tr data-model=model.clone()>
            <th scope="row">{model.clone()}</th>
            {fields.iter().zip(sigs).map(|((_, label, _), sig)| {
                let aria = format!("{label} price of {model}, USD per million tokens");
                view! { <td><input class="rate" type="text" inputmode="decimal" aria-label=aria prop:value=move || sig.get() on:input=move |ev| sig.set(event_target_value(&ev))/></td> }
            }).collect_view()}
            <td>{line.origin.clone()}</td>
            <td class="actions"><button class="save-price" on:click=save>"Set"</button>" "<button on:click=reset>"Reset"</button></td>
        </tr>
    }
}

#[component]
pub fn Prices() -> impl IntoView {
    let state = use_state();
    let lines: RwSignal<Option<(Vec<PriceLine>, String)>> = RwSignal::new(None);
    Effect::new(move |_| {
        state.version.track();
        leptos::task::spawn_local(async move {
            if let Response::Prices { rows, source } = ask(Request::Prices).await {
                lines.set(Some((rows, source)));
            }
        });
    });
    view! {
        <ViewFrame name="prices" title="Prices">
            <p class="hint">{move || lines.with(|l| l.as_ref().map(|(_, s)| format!("Prices: {s}, USD per million tokens. Your edits are kept in this browser and used in every export.")))}</p>
            <div class="table-scroll" tabindex="0" role="region" aria-label="Prices" id="prices" hidden=move || lines.with(Option::is_none)>
                <table>
                    <thead><tr><th>"Model"</th><th>"Input"</th><th>"Cached input"</th><th>"Cache write"</th><th>"1-hour cache write"</th><th>"Output"</th><th>"From"</th><th>"Edit"</th></tr></thead>
                    <tbody>{move || lines.get().map(|(rows, _)| rows.into_iter().map(|line| view! { <PriceRowEditor line=line/> }).collect_view())}</tbody>
                </table>
            </div>
        </ViewFrame>
    }
}
