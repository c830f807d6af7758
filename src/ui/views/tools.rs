//! `#/tools`: tool calls by tool with their errors and durations, and every call.

use super::ViewFrame;
use crate::ui::charts::Chart;
use crate::ui::table::DataTable;
use leptos::prelude::*;

#[component]
pub fn Tools() -> impl IntoView {
    view! {
        <ViewFrame name="tools" title="Tools">
            <div class="charts">
                <Chart name="tool-calls"/>
                <Chart name="tool-durations"/>
            </div>
            <h3>"Tool calls"</h3>
            <DataTable dataset="tool_calls.csv" id="tool-calls" label="Tool calls"/>
            <h3>"Routing (model, effort, sandbox, approval, cwd)"</h3>
            <DataTable dataset="routing_context.csv" id="routing" label="Routing"/>
        </ViewFrame>
    }
}
