//! `#/overview`: totals, cost, findings and the main charts; every card leads to its view.

use super::ViewFrame;
use crate::ui::charts::Chart;
use crate::ui::download::Downloads;
use crate::ui::fmt;
use crate::ui::state::use_state;
use leptos::prelude::*;

#[component]
pub fn Overview() -> impl IntoView {
    let state = use_state();
    let cards = move || {
        state.overview.with(|o| {
            o.as_ref().map(|o| {
                let t = &o.totals;
                let failed = o.checks.iter().filter(|c| !c.pass).count();
                let cards = vec![
                    ("Sessions", fmt::int(o.sessions as i64), "#/sessions"),
                    ("Queries", fmt::int(o.queries as i64), "#/sessions"),
                    ("Tool calls", fmt::int(o.tool_calls as i64), "#/tools"),
                    ("Model requests", fmt::int(t.usage_rows as i64), "#/tokens"),
                    ("Input tokens", fmt::int(t.input_tokens), "#/tokens"),
                    ("Cached input", fmt::int(t.cached_input_tokens), "#/tokens"),
                    ("Output tokens", fmt::int(t.output_tokens), "#/tokens"),
                    ("Total tokens", fmt::int(t.total_tokens), "#/tokens"),
                    ("Cost", fmt::usd(t.cost_usd), "#/prices"),
                    ("Unpriced requests", fmt::int(t.unpriced_rows as i64), "#/prices"),
                    ("Checks failing", format!("{failed} of {}", o.checks.len()), "#/audit"),
                    ("API calls", fmt::int(o.api_calls as i64), "#/api-calls"),
                    ("Tool-audit rows", fmt::int(o.tool_audit_rows as i64), "#/tool-audit"),
                ];
                cards
                    .into_iter()
                    .map(|(label, value, href)| view! { <a class="card" href=href data-total=label><span class="label">{label}</span><span class="value">{value}</span></a> })
                    .collect_view()
            })
        })
    };
    view! {
        <ViewFrame name="overview" title="Overview">
            <div class="totals" id="totals">{cards}</div>
            <super::machines::MachineTotals/>
            <div class="charts">
                <Chart name="tokens-per-day"/>
                <Chart name="cost-per-day"/>
                <Chart name="cost-by-model"/>
                <Chart name="activity-heatmap"/>
            </div>
            <Downloads/>
        </ViewFrame>
    }
}
