//! Charts drawn by plotters into SVG strings. Labels come from logs, so they are reduced to
//! harmless characters before plotters writes them into the SVG that the page inserts.

use super::state::use_state;
use crate::rollup::UsageGroup;
use leptos::prelude::*;
use plotters::prelude::*;

const W: u32 = 640;
const H: u32 = 260;

/// Keep letters, digits and a little punctuation; drop anything markup could use.
pub fn safe_label(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric() || " .-_:/()+".contains(*c))
        .take(28)
        .collect()
}

/// Stacked bars per day: uncached input, cached input, output (millions of tokens).
pub fn tokens_by_day_svg(days: &[UsageGroup]) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (W, H)).into_drawing_area();
        let _ = draw_days(&root, days);
        let _ = root.present();
    }
    svg
}

fn draw_days(root: &DrawingArea<SVGBackend, plotters::coord::Shift>, days: &[UsageGroup]) -> Result<(), String> {
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let m = |x: i64| x as f64 / 1e6;
    let max = days.iter().map(|d| m(d.sums.input_tokens + d.sums.output_tokens)).fold(0.0, f64::max).max(0.001);
    let n = days.len().max(1);
    let mut chart = ChartBuilder::on(root)
        .margin(10)
        .x_label_area_size(30)
        .y_label_area_size(50)
        .caption("Tokens per day (millions)", ("sans-serif", 15))
        .build_cartesian_2d((0..n).into_segmented(), 0.0..max * 1.1)
        .map_err(|e| e.to_string())?;
    // `2026-11-20` shows as `11-20` when every day is in one year, whole otherwise (so that
    // `09-25` of one year is not read as following `02-23` of the next); `(no time)` as it is.
    let full: Vec<String> = days.iter().map(|d| safe_label(&d.key.label())).collect();
    let is_date = |l: &str| l.len() == 10 && l.as_bytes()[4] == b'-';
    let mut years = full.iter().filter(|l| is_date(l)).map(|l| &l[..4]);
    let one_year = years.next().is_none_or(|first| years.all(|y| y == first));
    let labels: Vec<String> =
        full.iter().map(|l| if one_year && is_date(l) { l[5..].to_string() } else { l.clone() }).collect();
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(n.min(12))
        .x_label_formatter(&|v| segment_label(v, &labels))
        .draw()
        .map_err(|e| e.to_string())?;
    let layers = [
        (RGBColor(99, 110, 250), "uncached input"),
        (RGBColor(171, 178, 252), "cached input"),
        (RGBColor(239, 85, 59), "output"),
    ];
    for (layer, &(color, name)) in layers.iter().enumerate() {
        let bars = days.iter().enumerate().map(|(i, d)| {
            let s = &d.sums;
            let parts = [m(s.input_tokens - s.cached_input_tokens), m(s.cached_input_tokens), m(s.output_tokens)];
            let base: f64 = parts[..layer].iter().sum();
            Rectangle::new([(SegmentValue::Exact(i), base), (SegmentValue::Exact(i + 1), base + parts[layer])], color.filled())
        });
        chart
            .draw_series(bars)
            .map_err(|e| e.to_string())?
            .label(name)
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 10, y + 5)], color.filled()));
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()
        .map_err(|e| e.to_string())
}

/// Horizontal bars of cost per model; unpriced models are listed as such.
pub fn cost_by_model_svg(models: &[UsageGroup]) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (W, H)).into_drawing_area();
        let _ = draw_models(&root, models);
        let _ = root.present();
    }
    svg
}

fn draw_models(root: &DrawingArea<SVGBackend, plotters::coord::Shift>, models: &[UsageGroup]) -> Result<(), String> {
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let top: Vec<&UsageGroup> = models.iter().take(8).collect();
    let max = top.iter().map(|g| g.sums.cost_usd).fold(0.0, f64::max).max(0.01);
    let n = top.len().max(1);
    let labels: Vec<String> = top
        .iter()
        .map(|g| {
            let unpriced = g.sums.unpriced_rows == g.sums.usage_rows;
            format!("{}{}", safe_label(&g.key.label()), if unpriced { " (unpriced)" } else { "" })
        })
        .collect();
    let mut chart = ChartBuilder::on(root)
        .margin(10)
        .x_label_area_size(30)
        .y_label_area_size(200)
        .caption("Cost by model (USD)", ("sans-serif", 15))
        .build_cartesian_2d(0.0..max * 1.1, (0..n).into_segmented())
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(n)
        .y_label_formatter(&|v| segment_label(v, &labels))
        .draw()
        .map_err(|e| e.to_string())?;
    chart
        .draw_series(
            top.iter()
                .enumerate()
                .map(|(i, g)| {
                    let (lo, hi) = (SegmentValue::Exact(i), SegmentValue::Exact(i + 1));
                    Rectangle::new([(0.0, lo), (g.sums.cost_usd, hi)], RGBColor(0, 150, 136).filled())
                }),
        )
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// Labels sit at the centre of their bar's segment.
fn segment_label(v: &SegmentValue<usize>, labels: &[String]) -> String {
    match v {
        SegmentValue::CenterOf(i) => labels.get(*i).cloned().unwrap_or_default(),
        _ => String::new(),
    }
}

#[component]
pub fn Charts() -> impl IntoView {
    let state = use_state();
    let days = move || state.analysis.with(|a| a.as_ref().map(|a| tokens_by_day_svg(&a.summary.by_day)));
    let models = move || state.analysis.with(|a| a.as_ref().map(|a| cost_by_model_svg(&a.summary.by_model)));
    view! {
        <section class="charts" id="charts">
            <div class="chart" id="chart-days" inner_html=days></div>
            <div class="chart" id="chart-models" inner_html=models></div>
        </section>
    }
}
