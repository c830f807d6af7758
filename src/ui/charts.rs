//! Charts: each a `<figure data-chart="<name>">` with a caption, the chart drawn by plotters as
//! SVG from the engine's series, a table of the same numbers as its text alternative, and an SVG
//! download. Colours come from the stylesheet (CSS variables), so both themes read well; labels
//! come from logs, so they are reduced to harmless characters before plotters writes them.

use super::client::ask;
use super::fmt;
use super::state::use_state;
use crate::query::series::{Series, Shape};
use crate::query::{Request, Response};
use leptos::prelude::*;
use plotters::coord::Shift;
use plotters::prelude::*;

const W: u32 = 640;
const H: u32 = 280;

/// Series colours, distinguishable in both themes (Okabe–Ito).
const PALETTE: [RGBColor; 7] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(213, 94, 0),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(153, 153, 153),
];

/// Keep letters, digits and a little punctuation; drop anything markup could use.
pub fn safe_label(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric() || " .-_:/()+%".contains(*c)).take(28).collect()
}

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

pub fn svg(s: &Series) -> String {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (W, H)).into_drawing_area();
        let drawn = match s.shape {
            Shape::StackedBars => stacked(&root, s),
            Shape::Bars => bars(&root, s),
            Shape::Heatmap => heatmap(&root, s),
            Shape::Scatter | Shape::Lines => points(&root, s),
        };
        if drawn.is_err() {
            let _ = root.draw_text("(no data to draw)", &("sans-serif", 12).into_font().color(&BLACK), (20, 20));
        }
        let _ = root.present();
    }
    out
}

fn err<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

fn segment_label(v: &SegmentValue<usize>, labels: &[String]) -> String {
    match v {
        SegmentValue::CenterOf(i) => labels.get(*i).cloned().unwrap_or_default(),
        _ => String::new(),
    }
}

fn stacked(root: &Area, s: &Series) -> Result<(), String> {
    let n = s.categories.len();
    if n == 0 {
        return Err("empty".into());
    }
    let sums: Vec<f64> = (0..n).map(|i| s.lines.iter().map(|l| l.values.get(i).copied().unwrap_or(0.0)).sum()).collect();
    let max = sums.iter().copied().fold(0.0, f64::max).max(1e-9);
    let labels: Vec<String> = s.categories.iter().map(|c| safe_label(c)).collect();
    let mut chart = ChartBuilder::on(root)
        .margin(10)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d((0..n).into_segmented(), 0.0..max * 1.1)
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(n.min(10))
        .x_desc(safe_label(&s.x_label))
        .y_desc(safe_label(&s.y_label))
        .y_label_formatter(&|v| fmt::short(*v))
        .x_label_formatter(&|v| segment_label(v, &labels))
        .draw()
        .map_err(err)?;
    let mut base = vec![0.0; n];
    for (k, line) in s.lines.iter().enumerate() {
        let color = PALETTE[k % PALETTE.len()];
        let bars: Vec<_> = (0..n)
            .map(|i| {
                let v = line.values.get(i).copied().unwrap_or(0.0);
                let r = Rectangle::new([(SegmentValue::Exact(i), base[i]), (SegmentValue::Exact(i + 1), base[i] + v)], color.filled());
                base[i] += v;
                r
            })
            .collect();
        chart
            .draw_series(bars)
            .map_err(err)?
            .label(safe_label(&line.name))
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 10, y + 5)], color.filled()));
    }
    chart.configure_series_labels().position(SeriesLabelPosition::UpperLeft).draw().map_err(err)
}

fn bars(root: &Area, s: &Series) -> Result<(), String> {
    let n = s.categories.len().min(12);
    if n == 0 {
        return Err("empty".into());
    }
    let max = s.lines.iter().flat_map(|l| l.values.iter().take(n)).copied().fold(0.0, f64::max).max(1e-9);
    let labels: Vec<String> = s.categories.iter().take(n).map(|c| safe_label(c)).collect();
    let mut chart = ChartBuilder::on(root)
        .margin(10)
        .x_label_area_size(40)
        .y_label_area_size(190)
        .build_cartesian_2d(0.0..max * 1.1, (0..n).into_segmented())
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(n)
        .x_desc(safe_label(&s.x_label))
        .x_label_formatter(&|v| fmt::short(*v))
        .y_label_formatter(&|v| segment_label(v, &labels))
        .draw()
        .map_err(err)?;
    // Later lines are drawn first and lighter (a p90 behind its median).
    for (k, line) in s.lines.iter().enumerate().rev() {
        let color = PALETTE[k % PALETTE.len()];
        let rects: Vec<_> = (0..n)
            .map(|i| Rectangle::new([(0.0, SegmentValue::Exact(i)), (line.values.get(i).copied().unwrap_or(0.0), SegmentValue::Exact(i + 1))], color.filled()))
            .collect();
        chart
            .draw_series(rects)
            .map_err(err)?
            .label(safe_label(&line.name))
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 10, y + 5)], color.filled()));
    }
    if s.lines.len() > 1 {
        chart.configure_series_labels().position(SeriesLabelPosition::LowerRight).draw().map_err(err)?;
    }
    Ok(())
}

fn heatmap(root: &Area, s: &Series) -> Result<(), String> {
    let cols = s.categories.len();
    let rows = s.lines.len();
    let max = s.lines.iter().flat_map(|l| &l.values).copied().fold(0.0, f64::max);
    if cols == 0 || rows == 0 || max <= 0.0 {
        return Err("empty".into());
    }
    let names: Vec<String> = s.lines.iter().map(|l| safe_label(&l.name)).collect();
    let mut chart = ChartBuilder::on(root)
        .margin(10)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d(0..cols, (0..rows).into_segmented())
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(12)
        .x_desc(safe_label(&s.x_label))
        .y_labels(rows)
        .y_label_formatter(&|v| segment_label(v, &names))
        .draw()
        .map_err(err)?;
    let base = PALETTE[0];
    let cells = s.lines.iter().enumerate().flat_map(|(r, l)| {
        l.values.iter().enumerate().map(move |(c, v)| {
            let alpha = if *v > 0.0 { 0.12 + 0.88 * (v / max) } else { 0.03 };
            Rectangle::new([(c, SegmentValue::Exact(r)), (c + 1, SegmentValue::Exact(r + 1))], base.mix(alpha).filled())
        })
    });
    chart.draw_series(cells).map_err(err)?;
    Ok(())
}

fn points(root: &Area, s: &Series) -> Result<(), String> {
    let all = s.lines.iter().flat_map(|l| &l.points);
    let (mut x0, mut x1, mut y1) = (f64::MAX, f64::MIN, 0.0f64);
    for (x, y) in all {
        x0 = x0.min(*x);
        x1 = x1.max(*x);
        y1 = y1.max(*y);
    }
    if x0 > x1 {
        return Err("empty".into());
    }
    let time = s.shape == Shape::Lines;
    let span = (x1 - x0).max(1e-9);
    let mut chart = ChartBuilder::on(root)
        .margin(10)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(x0..x0 + span * 1.02, 0.0..(y1 * 1.1).max(1e-9))
        .map_err(err)?;
    let x_fmt = |v: &f64| if time { crate::timefmt::format_iso(*v as i64).get(..10).unwrap_or("").to_string() } else { fmt::short(*v) };
    chart
        .configure_mesh()
        .x_labels(6)
        .x_desc(safe_label(&s.x_label))
        .y_desc(safe_label(&s.y_label))
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&|v| fmt::short(*v))
        .draw()
        .map_err(err)?;
    for (k, line) in s.lines.iter().enumerate() {
        let color = PALETTE[k % PALETTE.len()];
        let drawn = if time {
            chart.draw_series(LineSeries::new(line.points.iter().copied(), color.stroke_width(2))).map_err(err)?
        } else {
            chart.draw_series(line.points.iter().map(|p| Circle::new(*p, 3, color.filled()))).map_err(err)?
        };
        drawn.label(safe_label(&line.name)).legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 10, y + 5)], color.filled()));
    }
    chart.configure_series_labels().position(SeriesLabelPosition::UpperLeft).draw().map_err(err)
}

/// The numbers of a series as a table: its text alternative.
fn table(s: &Series) -> impl IntoView + use<> {
    let pointwise = matches!(s.shape, Shape::Scatter | Shape::Lines);
    let head: Vec<String> = if pointwise {
        vec!["series".into(), s.x_label.clone(), s.y_label.clone()]
    } else {
        std::iter::once(s.x_label.clone()).chain(s.lines.iter().map(|l| l.name.clone())).collect()
    };
    let rows: Vec<Vec<String>> = if pointwise {
        s.lines.iter().flat_map(|l| l.points.iter().take(200).map(|(x, y)| vec![l.name.clone(), if s.shape == Shape::Lines { crate::timefmt::format_iso(*x as i64) } else { fmt::short(*x) }, fmt::short(*y)])).collect()
    } else {
        s.categories.iter().enumerate().map(|(i, c)| std::iter::once(c.clone()).chain(s.lines.iter().map(|l| fmt::short(l.values.get(i).copied().unwrap_or(0.0)))).collect()).collect()
    };
    view! {
        <div class="table-scroll small" tabindex="0" role="region" aria-label=format!("{} as a table", s.title)>
            <table>
                <thead><tr>{head.into_iter().map(|h| view! { <th>{h}</th> }).collect_view()}</tr></thead>
                <tbody>{rows.into_iter().map(|r| view! { <tr>{r.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}</tr> }).collect_view()}</tbody>
            </table>
        </div>
    }
}

/// The SVG with the page's text colour written in, so a PNG made from it (outside the page's
/// stylesheet) keeps its labels legible in the dark theme too.
fn themed(svg: &str) -> String {
    let fg = web_sys::window()
        .and_then(|w| {
            let root = w.document()?.document_element()?;
            w.get_computed_style(&root).ok().flatten()
        })
        .and_then(|style| style.get_property_value("--fg").ok())
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "#000000".into());
    let style = format!("<style>text{{fill:{fg}}}</style>");
    match svg.find('>') {
        Some(i) => format!("{}{style}{}", &svg[..=i], &svg[i + 1..]),
        None => svg.to_string(),
    }
}

fn save_svg(name: &str, svg: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(svg));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("image/svg+xml");
    if let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        && let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob)
        && let Some(doc) = web_sys::window().and_then(|w| w.document())
        && let Ok(a) = doc.create_element("a")
    {
        use wasm_bindgen::JsCast;
        let a: web_sys::HtmlAnchorElement = a.unchecked_into();
        a.set_href(&url);
        a.set_download(&format!("{name}.svg"));
        a.click();
        leptos::prelude::set_timeout(move || { let _ = web_sys::Url::revoke_object_url(&url); }, std::time::Duration::from_secs(30));
    }
}

/// The chart as a PNG (twice its size, for sharp text), drawn from its SVG on a canvas, on the
/// chart's background colour so the picture reads outside the page too.
fn save_png(name: &'static str, svg: &str) {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(svg));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("image/svg+xml");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    let Ok(image) = web_sys::HtmlImageElement::new() else { return };
    let background = doc
        .document_element()
        .and_then(|root| web_sys::window()?.get_computed_style(&root).ok().flatten())
        .and_then(|style| style.get_property_value("--panel").ok())
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "#ffffff".into());
    let img = image.clone();
    let src = url.clone();
    let onload = Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
        let Ok(canvas) = doc.create_element("canvas") else { return };
        let canvas: web_sys::HtmlCanvasElement = canvas.unchecked_into();
        canvas.set_width(W * 2);
        canvas.set_height(H * 2);
        let Ok(Some(ctx)) = canvas.get_context("2d") else { return };
        let ctx: web_sys::CanvasRenderingContext2d = ctx.unchecked_into();
        ctx.set_fill_style_str(&background);
        ctx.fill_rect(0.0, 0.0, f64::from(W * 2), f64::from(H * 2));
        let _ = ctx.draw_image_with_html_image_element_and_dw_and_dh(&img, 0.0, 0.0, f64::from(W * 2), f64::from(H * 2));
        if let Ok(data) = canvas.to_data_url_with_type("image/png")
            && let Ok(a) = doc.create_element("a")
        {
            let a: web_sys::HtmlAnchorElement = a.unchecked_into();
            a.set_href(&data);
            a.set_download(&format!("{name}.png"));
            a.click();
        }
    });
    image.set_onload(Some(onload.unchecked_ref()));
    image.set_src(&src);
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
    let drawn = Memo::new(move |_| series.with(|s| s.as_ref().map(svg)));
    let caption = move || series.with(|s| s.as_ref().map(|s| format!("{} ({} against {})", s.title, s.y_label, s.x_label)).unwrap_or_default());
    view! {
        <figure class="chart" data-chart=name>
            <figcaption>{caption}</figcaption>
            <div class="chart-svg" role="img" aria-label=caption inner_html=move || drawn.get().unwrap_or_default()></div>
            <details>
                <summary>"The numbers"</summary>
                {move || series.with(|s| s.as_ref().map(table))}
            </details>
            <div class="chart-actions">
                <button class="chart-svg-download" on:click=move |_| if let Some(s) = drawn.get_untracked() { save_svg(name, &s) }>"Download SVG"</button>
                <button class="chart-png-download" on:click=move |_| if let Some(s) = drawn.get_untracked() { save_png(name, &themed(&s)) }>"Download PNG"</button>
            </div>
        </figure>
    }
}
