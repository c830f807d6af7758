//! `#/api-calls`: the relay log by tier, pipeline, backend, model, install and hour, errors, and cost
//! against duration per model.

use super::ViewFrame;
use crate::query::overview::CountLine;
use crate::ui::charts::Chart;
use crate::ui::fmt;
use crate::ui::state::use_state;
use crate::ui::table::DataTable;
use leptos::prelude::*;

fn rollup(title: &'static str, lines: Vec<CountLine>) -> impl IntoView {
    view! {
        <div class="rollup">
            <h3>{title}</h3>
            <div class="table-scroll small" tabindex="0" role="region" aria-label=title>
                <table>
                    <thead><tr><th>"key"</th><th>"calls"</th><th>"errors"</th><th>"error share"</th><th>"refused"</th><th>"cost"</th></tr></thead>
                    <tbody>
                        {lines.into_iter().map(|l| {
                            let share = if l.rows > 0 { format!("{:.1}%", l.errors as f64 * 100.0 / l.rows as f64) } else { "–".into() };
                            view! { <tr><td>{l.key}</td><td class="num">{fmt::int(l.rows as i64)}</td><td class="num">{fmt::int(l.errors as i64)}</td><td class="num">{share}</td><td class="num">{fmt::int(l.denied as i64)}</td><td class="num">{fmt::usd(l.cost_usd)}</td></tr> }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </div>
    }
}

#[component]
pub fn ApiCalls() -> impl IntoView {
    let state = use_state();
    let rollups = move || {
        state.overview.with(|o| {
            o.as_ref().map(|o| {
                view! {
                    <div class="rollups">
                        {rollup("By tier", o.api_by_tier.clone())}
                        {rollup("By pipeline", o.api_by_pipeline.clone())}
                        {rollup("By backend", o.api_by_backend.clone())}
                        {rollup("By model", o.api_by_model.clone())}
                        {rollup("Top installs", o.api_by_install.clone())}
                        {rollup("By hour of day", o.api_by_hour.clone())}
                    </div>
                }
            })
        })
    };
    view! {
        <ViewFrame name="api-calls" title="API calls">
            {rollups}
            <div class="charts"><Chart name="api-cost-duration"/></div>
            <h3>"Every call"</h3>
            <DataTable dataset="api_calls.csv" id="api-calls-table" label="API calls"/>
        </ViewFrame>
    }
}
