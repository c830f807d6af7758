//! The views, one per URL hash (DESIGN.md section 5), each a thin component over the engine's
//! answers. Each view's root carries `data-view="<name>"`.

mod api_calls;
mod audit;
mod files;
mod machines;
mod overview;
mod prices;
mod search;
mod session;
mod sessions;
mod sql;
mod tool_audit;
mod tokens;
mod tools;

use super::router::Route;
use leptos::prelude::*;

/// The view the route names.
pub fn show(route: &Route) -> AnyView {
    match route.view.as_str() {
        "sessions" => view! { <sessions::Sessions/> }.into_any(),
        "session" => view! { <session::Session id=route.arg.clone()/> }.into_any(),
        "tokens" => view! { <tokens::Tokens/> }.into_any(),
        "tools" => view! { <tools::Tools/> }.into_any(),
        "tool-audit" => view! { <tool_audit::ToolAudit/> }.into_any(),
        "api-calls" => view! { <api_calls::ApiCalls/> }.into_any(),
        "audit" => view! { <audit::Audit/> }.into_any(),
        "files" => view! { <files::Files/> }.into_any(),
        "prices" => view! { <prices::Prices/> }.into_any(),
        "search" => view! { <search::Search/> }.into_any(),
        "sql" => view! { <sql::Sql/> }.into_any(),
        _ => view! { <overview::Overview/> }.into_any(),
    }
}

/// A view's frame: its root with `data-view`, a heading, and a note while nothing is loaded.
#[component]
pub fn ViewFrame(name: &'static str, title: &'static str, children: Children) -> impl IntoView {
    let state = super::state::use_state();
    view! {
        <section class="view" data-view=name aria-labelledby="view-title">
            <h2 id="view-title">{title}</h2>
            <Show when=move || state.overview.with(Option::is_none)>
                <p class="empty-note">"Nothing loaded yet: pick log files or a folder above, drop them anywhere on the page, or load the sample."</p>
            </Show>
            {children()}
        </section>
    }
}
