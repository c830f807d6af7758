//! `#/sessions/<id>`: one session as it happened: its queries in order (`data-query`), and under
//! each its events (`data-event` = routing, tool, usage, message or finding), each down to its
//! raw line; its cost, findings and a chart of context-window use per model request.

use crate::query::session::{Event, SessionDetail};
use crate::query::{Request, Response};
use crate::ui::client::ask;
use crate::ui::fmt;
use crate::ui::raw::use_raw;
use crate::ui::state::use_state;
use leptos::prelude::*;

/// One event. Titles and details are text nodes, never HTML: a `message` event's detail is the
/// reply preview, hostile text written by a model (its whole text is behind the line button).
fn event_view(e: Event, raw: RwSignal<Option<(String, u32)>>) -> impl IntoView {
    let (file, line) = (e.file.clone(), e.line);
    let status = (!e.status.is_empty()).then(|| view! { <span class=format!("status status-{}", e.status)>{e.status.clone()}</span> });
    view! {
        <li class="event" data-event=e.kind.clone() data-file=e.file.clone() data-line=e.line tabindex="-1">
            <span class="event-kind">{e.kind.clone()}</span>
            <span class="event-title">{crate::ui::fmt::shown(&e.title).into_owned()}</span>
            {status}
            <span class="event-time">{e.ts.clone()}</span>
            <button class="link" title="Show the raw line" on:click=move |_| raw.set(Some((file.clone(), line)))>{format!("line {line}")}</button>
            <pre class="event-detail" hidden=e.detail.is_empty()>{crate::ui::fmt::shown(&e.detail).into_owned()}</pre>
        </li>
    }
}

fn context_svg(d: &SessionDetail) -> String {
    use crate::query::series::{Line, Series, Shape};
    let s = Series {
        name: "context-window".into(),
        title: "Context-window use per model request".into(),
        shape: Shape::StackedBars,
        x_label: "model request".into(),
        y_label: "% of the window".into(),
        categories: d.context.iter().map(|c| c.0.to_string()).collect(),
        lines: vec![Line { name: "context used".into(), values: d.context.iter().map(|c| c.1).collect(), points: vec![] }],
        drill: None,
    };
    crate::ui::charts::svg(&s)
}

/// Mark, scroll to and focus the event (or query) made from `file:line`.
fn mark_event(file: &str, line: &str) {
    use wasm_bindgen::JsCast;
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let Ok(found) = doc.query_selector_all(&format!("[data-view=\"session\"] [data-line=\"{}\"]", line.replace(|c: char| !c.is_ascii_digit(), ""))) else { return };
    if let Ok(old) = doc.query_selector_all("[data-view=\"session\"] .target") {
        (0..old.length()).filter_map(|i| old.item(i)?.dyn_into::<web_sys::Element>().ok()).for_each(|e| { let _ = e.class_list().remove_1("target"); });
    }
    let hit = (0..found.length())
        .filter_map(|i| found.item(i)?.dyn_into::<web_sys::HtmlElement>().ok())
        .find(|e| e.get_attribute("data-file").as_deref() == Some(file));
    if let Some(e) = hit {
        let _ = e.class_list().add_1("target");
        e.scroll_into_view();
        let _ = e.focus();
    }
}

#[component]
pub fn Session(id: String) -> impl IntoView {
    let state = use_state();
    let detail: RwSignal<Option<Result<SessionDetail, String>>> = RwSignal::new(None);
    let raw = use_raw();
    let id2 = id.clone();
    Effect::new(move |_| {
        state.version.track();
        let id = id2.clone();
        leptos::task::spawn_local(async move {
            detail.set(Some(match ask(Request::Session { id }).await {
                Response::Session(d) => Ok(*d),
                Response::Error { message } => Err(message),
                _ => Err("unexpected answer".into()),
            }));
        });
    });
    // `?file=…&line=…` names one event (a table row or a search hit led here): once the session is
    // drawn, that event is marked, scrolled to and focused.
    let route = expect_context::<ReadSignal<crate::ui::router::Route>>();
    Effect::new(move |_| {
        let loaded = detail.with(|d| matches!(d, Some(Ok(_))));
        let target = route.with(|r| Some((r.param("file")?.to_string(), r.param("line")?.to_string())));
        let (true, Some((file, line))) = (loaded, target) else { return };
        // After this render: the elements exist once the view is drawn.
        request_animation_frame(move || mark_event(&file, &line));
    });
    let body = move || {
        detail.get().map(|d| match d {
            Err(e) => view! { <p class="error">{e}</p> }.into_any(),
            Ok(d) => {
                let facts = vec![
                    ("Agent", d.agent.clone()),
                    ("Started", d.start.clone()),
                    ("Ended", d.end.clone()),
                    ("Workspace", d.workspace.clone()),
                    ("Branch", d.git_branch.clone()),
                    ("Models", d.models.join(", ")),
                    ("Model requests", fmt::int(d.usage_rows as i64)),
                    ("Tokens", format!("{} in, {} out, {} total", fmt::int(d.input_tokens), fmt::int(d.output_tokens), fmt::int(d.total_tokens))),
                    ("Cost", format!("{}{}", fmt::usd(d.cost_usd), if d.unpriced_rows > 0 { format!(" (+{} unpriced requests)", d.unpriced_rows) } else { String::new() })),
                    ("Findings", fmt::int(d.findings as i64)),
                    ("File", d.file.clone()),
                ];
                let svg = context_svg(&d);
                let has_context = !d.context.is_empty();
                view! {
                    <dl class="facts">{facts.into_iter().map(|(k, v)| view! { <div><dt>{k}</dt><dd>{v}</dd></div> }).collect_view()}</dl>
                    <figure class="chart" data-chart="context-window" hidden=!has_context>
                        <figcaption>"Context-window use per model request (% of the window against request number)"</figcaption>
                        <div class="chart-svg" role="img" aria-label="Context-window use per model request" inner_html=svg></div>
                    </figure>
                    <ol class="preamble">{d.preamble.into_iter().map(|e| event_view(e, raw)).collect_view()}</ol>
                    <ol class="queries">
                        {d.queries.into_iter().map(|q| {
                            let (file, line) = (q.file.clone(), q.line);
                            view! {
                                <li class="query" data-query=q.number data-file=q.file.clone() data-line=q.line tabindex="-1">
                                    <div class="query-head">
                                        <strong>{format!("Query {}", q.number)}</strong>" "<span class="event-time">{q.ts.clone()}</span>" "
                                        <button class="link" on:click=move |_| raw.set(Some((file.clone(), line)))>{format!("line {}", q.line)}</button>
                                    </div>
                                    <pre class="prompt">{crate::ui::fmt::shown(&q.text).into_owned()}</pre>
                                    <ol class="events">{q.events.into_iter().map(|e| event_view(e, raw)).collect_view()}</ol>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }
                .into_any()
            }
        })
    };
    view! {
        <section class="view" data-view="session" aria-labelledby="view-title">
            <p><a href="#/sessions">"← All sessions"</a></p>
            <h2 id="view-title">"Session "<code>{id.clone()}</code></h2>
            {body}
        </section>
    }
}
