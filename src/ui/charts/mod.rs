//! Charts: each a `<figure data-chart="<name>">` with a caption, the chart drawn by plotters as
//! SVG from the engine's series, a table of the same numbers as its text alternative, SVG and PNG
//! downloads, and, where the series has a drill, every bar (and every row of its table) opening
//! the rows behind it.

mod draw;
mod save;

pub use draw::svg;
use draw::{H, W, category_at, draw};
use save::{save_png, save_svg, themed};

use super::client::ask;
use super::fmt;
use super::state::use_state;
use crate::query::series::{Series, Shape};
use crate::query::{Request, Response};
use leptos::prelude::*;

/// The link to the rows behind category `i` of a series (and behind line `line`'s segment of it,
/// where the lines narrow too), if it has a drill.
fn rows_link(s: &Series, i: usize, line: Option<usize>, settings: &crate::query::Settings) -> Option<String> {
    let d = s.drill.as_ref()?;
    super::router::rows_href(&d.dataset, &d.pairs(i, line)?, settings)
}

/// The numbers of a series as a table: its text alternative. With a drill, each category opens
/// its rows, and each number its segment's where the lines narrow too (the keyboard's way to
/// what a click on a bar, a segment or a cell does).
fn table(s: &Series, settings: &crate::query::Settings) -> impl IntoView + use<> {
    let pointwise = matches!(s.shape, Shape::Scatter | Shape::Lines);
    let head: Vec<String> = if pointwise {
        vec!["series".into(), s.x_label.clone(), s.y_label.clone()]
    } else {
        std::iter::once(s.x_label.clone()).chain(s.lines.iter().map(|l| l.name.clone())).collect()
    };
    // Only numbers that count something lead anywhere (a link to no rows is noise).
    let value = |i: usize, k: usize| s.lines.get(k).and_then(|l| l.values.get(i)).copied().unwrap_or(0.0);
    let links: Vec<Option<String>> = (0..s.categories.len())
        .map(|i| (0..s.lines.len()).any(|k| value(i, k) != 0.0).then(|| rows_link(s, i, None, settings)).flatten())
        .collect();
    let line_links = |i: usize, k: usize| {
        let d = s.drill.as_ref()?;
        d.line_keys.get(k)?.as_ref()?;
        if value(i, k) == 0.0 {
            return None;
        }
        rows_link(s, i, Some(k), settings)
    };
    let cell_links: Vec<Vec<Option<String>>> = if pointwise { vec![] } else { (0..s.categories.len()).map(|i| (0..s.lines.len()).map(|k| line_links(i, k)).collect()).collect() };
    let rows: Vec<Vec<String>> = if pointwise {
        s.lines.iter().flat_map(|l| l.points.iter().take(200).map(|(x, y)| vec![l.name.clone(), if s.shape == Shape::Lines { crate::timefmt::format_iso(*x as i64) } else { fmt::short(*x) }, fmt::short(*y)])).collect()
    } else {
        s.categories.iter().enumerate().map(|(i, c)| std::iter::once(c.clone()).chain(s.lines.iter().map(|l| fmt::short(l.values.get(i).copied().unwrap_or(0.0)))).collect()).collect()
    };
    view! {
        <div class="table-scroll small" tabindex="0" role="region" aria-label=format!("{} as a table", s.title)>
            <table>
                <thead><tr>{head.into_iter().map(|h| view! { <th>{h}</th> }).collect_view()}</tr></thead>
                <tbody>{rows.into_iter().enumerate().map(|(i, r)| {
                    let link = links.get(i).cloned().flatten();
                    let cells = cell_links.get(i).cloned().unwrap_or_default();
                    view! { <tr>{r.into_iter().enumerate().map(|(k, c)| match (k, &link, k.checked_sub(1).and_then(|l| cells.get(l).cloned().flatten())) {
                        (0, Some(href), _) => view! { <td><a href=href.clone() title="Open the rows behind this bar">{c}</a></td> }.into_any(),
                        (_, _, Some(href)) => view! { <td><a href=href title="Open the rows behind this part of the bar">{c}</a></td> }.into_any(),
                        _ => view! { <td>{c}</td> }.into_any(),
                    }).collect_view()}</tr> }
                }).collect_view()}</tbody>
            </table>
        </div>
    }
}

/// One chart, asked of the engine by name, redrawn when the data or settings change.
#[component]
pub fn Chart(name: &'static str) -> impl IntoView {
    let state = use_state();
    let series: RwSignal<Option<Series>> = RwSignal::new(None);
    Effect::new(move |_| {
        state.version.track();
        leptos::task::spawn_local(async move {
            if let Response::Chart(s) = ask(Request::Chart { name: name.to_string() }).await {
                series.set(Some(s));
            }
        });
    });
    let picture = Memo::new(move |_| series.with(|s| s.as_ref().map(draw)));
    let drawn = Memo::new(move |_| picture.with(|p| p.as_ref().map(|p| p.0.clone())));
    let drills = move || series.with(|s| s.as_ref().is_some_and(|s| s.drill.is_some()));
    // A click on a bar opens its rows: the click's place in the SVG's own pixels, then the band.
    let open_bar = move |ev: leptos::ev::MouseEvent| {
        let div: web_sys::Element = event_target::<web_sys::Element>(&ev).closest(".chart-svg").ok().flatten().unwrap_or_else(|| event_target(&ev));
        let Some(svg_el) = div.query_selector("svg").ok().flatten() else { return };
        let r = svg_el.get_bounding_client_rect();
        if r.width() <= 0.0 || r.height() <= 0.0 {
            return;
        }
        let x = (f64::from(ev.client_x()) - r.left()) * f64::from(W) / r.width();
        let y = (f64::from(ev.client_y()) - r.top()) * f64::from(H) / r.height();
        let Some((i, line)) = picture.with_untracked(|p| p.as_ref().and_then(|p| category_at(&p.1, x, y))) else { return };
        let href = series.with_untracked(|s| s.as_ref().and_then(|s| state.settings.with_untracked(|st| rows_link(s, i, line, st))));
        if let (Some(href), Some(w)) = (href, web_sys::window()) {
            let _ = w.location().set_hash(href.trim_start_matches('#'));
        }
    };
    let caption = move || series.with(|s| s.as_ref().map(|s| format!("{} ({} against {})", s.title, s.y_label, s.x_label)).unwrap_or_default());
    // Hidden until the engine's first answer: on an empty page (and during a first load) there is
    // nothing to draw, and an empty frame with download buttons that save nothing, around an
    // image without a name (axe-core "role-img-alt"), helps no one.
    let nothing_yet = move || series.with(Option::is_none);
    view! {
        <figure class="chart" data-chart=name hidden=nothing_yet>
            <figcaption>{caption}</figcaption>
            <div class="chart-svg" class:drills=drills role="img" aria-label=caption on:click=open_bar
                title=move || match series.with(|s| s.as_ref().filter(|s| s.drill.is_some()).map(|s| s.shape)) {
                    Some(Shape::Heatmap) => "Click a cell to open the rows behind it",
                    Some(_) => "Click a bar (or a part of it) to open the rows behind it",
                    None => "",
                }
                inner_html=move || drawn.get().unwrap_or_default()></div>
            <details>
                <summary>"The numbers"</summary>
                {move || series.with(|s| s.as_ref().map(|s| state.settings.with(|st| table(s, st))))}
            </details>
            <div class="chart-actions">
                <button class="chart-svg-download" on:click=move |_| if let Some(s) = drawn.get_untracked() { save_svg(name, &s) }>"Download SVG"</button>
                <button class="chart-png-download" on:click=move |_| if let Some(s) = drawn.get_untracked() { save_png(name, &themed(&s)) }>"Download PNG"</button>
            </div>
        </figure>
    }
}
