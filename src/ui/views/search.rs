//! `#/search`: hits of the header's search box across prompts, replies, tool arguments and outputs,
//! routing and findings; each hit (`data-hit`) opens its session, or its raw line.

use super::ViewFrame;
use crate::query::search::Hit;
use crate::query::{Request, Response};
use crate::ui::client::ask;
use crate::ui::raw::use_raw;
use crate::ui::router::{Route, event_href};
use crate::ui::state::use_state;
use leptos::prelude::*;

#[component]
pub fn Search() -> impl IntoView {
    let state = use_state();
    let route = expect_context::<ReadSignal<Route>>();
    let hits: RwSignal<Option<(Vec<Hit>, bool)>> = RwSignal::new(None);
    let raw = use_raw();
    Effect::new(move |_| {
        state.version.track();
        let text = route.with(|r| r.param("q").unwrap_or("").to_string());
        leptos::task::spawn_local(async move {
            if let Response::Search { hits: h, more } = ask(Request::Search { text, limit: 200 }).await {
                hits.set(Some((h, more)));
            }
        });
    });
    let list = move || {
        hits.get().map(|(h, more)| {
            let count = format!("{} hit{}{}", h.len(), if h.len() == 1 { "" } else { "s" }, if more { " (the first 200; narrow the search for the rest)" } else { "" });
            view! {
                <p class="hint" role="status">{count}</p>
                <ol class="hits">
                    {h.into_iter().map(|hit| {
                        let (file, line) = (hit.file.clone(), hit.line);
                        let open = (!hit.session_id.is_empty()).then(|| view! { <a href=event_href(&hit.session_id, &hit.file, hit.line)>"Open in its session"</a> });
                        view! {
                            <li data-hit=hit.kind.clone()>
                                <span class="kind">{hit.kind.clone()}</span>" "
                                <span class="preview">{crate::ui::fmt::shown(&hit.preview).into_owned()}</span>" "
                                {open}" "
                                <button class="link" on:click=move |_| raw.set(Some((file.clone(), line)))>{format!("{}:{}", hit.file, hit.line)}</button>
                            </li>
                        }
                    }).collect_view()}
                </ol>
            }
        })
    };
    view! { <ViewFrame name="search" title="Search">{list}</ViewFrame> }
}
