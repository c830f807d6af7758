//! `#/tokens`: token use over days and hours, rate limits, and every model request.

use super::ViewFrame;
use crate::ui::charts::Chart;
use crate::ui::table::DataTable;
use leptos::prelude::*;

#[component]
pub fn Tokens() -> impl IntoView {
    view! {
        <ViewFrame name="tokens" title="Tokens">
            <div class="charts">
                <Chart name="tokens-per-day"/>
                <Chart name="tokens-per-hour"/>
                <Chart name="rate-limits"/>
            </div>
            <h3>"Model requests"</h3>
            <DataTable dataset="usage_tokens.csv" id="usage" label="Model requests"/>
        </ViewFrame>
    }
}
