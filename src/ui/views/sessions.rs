//! `#/sessions`: every session, sortable; each opens its own view.

use super::ViewFrame;
use crate::ui::table::DataTable;
use leptos::prelude::*;

#[component]
pub fn Sessions() -> impl IntoView {
    view! {
        <ViewFrame name="sessions" title="Sessions">
            <p class="hint">"Click a column to sort; a session id opens the session, a line number its raw log line."</p>
            <DataTable dataset="sessions.csv" id="sessions-table" label="Sessions"/>
            <h3>"Queries"</h3>
            <DataTable dataset="query_messages.csv" id="queries-table" label="Queries"/>
        </ViewFrame>
    }
}
