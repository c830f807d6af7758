//! Drawing a series with plotters, as SVG: stacked and plain bars, a heatmap, points and lines.
//! Colours come from the stylesheet (CSS variables) where the SVG allows, so both themes read
//! well; labels come from logs, so they are reduced to harmless characters before plotters
//! writes them. Bar charts also say where each category's bar lies, so a click can open the rows
//! behind it.

use crate::query::series::{Series, Shape};
use crate::ui::fmt;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub const W: u32 = 640;
pub const H: u32 = 280;

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
    draw(s).0
}

/// Where a category's bar lies in the SVG: a span of x (upright bars) or of y (bars lying down),
/// in the SVG's own pixels; and, across it, the span of y of each line's segment (a stacked
/// bar's layers, a heatmap's cells).
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    pub along_x: bool,
    pub from: i32,
    pub to: i32,
    pub lines: Vec<(i32, i32)>,
}

fn within(v: f64, (a, b): (i32, i32)) -> bool {
    v >= f64::from(a.min(b)) && v < f64::from(a.max(b))
}

/// The category under a point of the SVG (in its own pixels), if any, and the line whose
/// segment is under it.
pub fn category_at(bands: &[Band], x: f64, y: f64) -> Option<(usize, Option<usize>)> {
    let i = bands.iter().position(|b| within(if b.along_x { x } else { y }, (b.from, b.to)))?;
    Some((i, bands[i].lines.iter().position(|&span| within(y, span))))
}

/// The SVG, and one band per category for the charts drawn as bars.
pub fn draw(s: &Series) -> (String, Vec<Band>) {
    let mut out = String::new();
    let mut bands = Vec::new();
    {
        let root = SVGBackend::with_string(&mut out, (W, H)).into_drawing_area();
        // A legend of its own beside the plot, so it never covers a bar or a point (and stays in
        // the SVG and PNG downloads).
        let keyed = s.lines.len() > 1 && s.shape != Shape::Heatmap;
        let (plot, side) = if keyed { root.split_horizontally(W - LEGEND_W) } else { (root.clone(), root.clone()) };
        let drawn = match s.shape {
            Shape::StackedBars => stacked(&plot, s).map(|b| bands = b),
            Shape::Bars => bars(&plot, s).map(|b| bands = b),
            Shape::Heatmap => heatmap(&plot, s).map(|b| bands = b),
            Shape::Scatter | Shape::Lines => points(&plot, s),
        };
        if keyed && drawn.is_ok() {
            let _ = legend(&side, s);
        }
        if drawn.is_err() {
            let _ = root.draw_text("(no data to draw)", &("sans-serif", 12).into_font().color(&BLACK), (20, 20));
        }
        let _ = root.present();
    }
    (out, bands)
}

/// Width of the legend beside a plot of several series.
const LEGEND_W: u32 = 150;

/// One swatch and name per line, top down, in the series' colours.
fn legend(area: &Area, s: &Series) -> Result<(), String> {
    let font = ("sans-serif", 12).into_font().color(&BLACK);
    for (k, line) in s.lines.iter().enumerate().take(14) {
        let y = 16 + 17 * k as i32;
        let color = PALETTE[k % PALETTE.len()];
        area.draw(&Rectangle::new([(4, y - 5), (14, y + 5)], color.filled())).map_err(err)?;
        area.draw_text(&safe_label(&line.name), &font, (20, y - 6)).map_err(err)?;
    }
    Ok(())
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

fn stacked(root: &Area, s: &Series) -> Result<Vec<Band>, String> {
    let n = s.categories.len();
    if n == 0 {
        return Err("empty".into());
    }
    let sums: Vec<f64> = (0..n).map(|i| s.lines.iter().map(|l| l.values.get(i).copied().unwrap_or(0.0)).sum()).collect();
    let max = sums.iter().copied().fold(0.0, f64::max).max(1e-9);
    // Names too long for their bar's width (tools, say) stand upright, cut to 14 characters.
    let width = f64::from(root.dim_in_pixel().0.saturating_sub(80)) / n as f64;
    let longest = s.categories.iter().map(|c| c.chars().count()).max().unwrap_or(0);
    let upright = longest as f64 * 6.5 > width;
    let labels: Vec<String> = s.categories.iter().map(|c| safe_label(c).chars().take(if upright { 14 } else { 28 }).collect()).collect();
    let mut chart = ChartBuilder::on(root)
        .margin(10)
        .x_label_area_size(if upright { 96 } else { 40 })
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
        .x_label_formatter(&|v| if upright { String::new() } else { segment_label(v, &labels) })
        .draw()
        .map_err(err)?;
    let mut base = vec![0.0; n];
    // The y span of each line's segment, per category (for a click on a segment).
    let mut spans = vec![Vec::with_capacity(s.lines.len()); n];
    for (k, line) in s.lines.iter().enumerate() {
        let color = PALETTE[k % PALETTE.len()];
        let bars: Vec<_> = (0..n)
            .map(|i| {
                let v = line.values.get(i).copied().unwrap_or(0.0);
                let y = |at: f64| chart.backend_coord(&(SegmentValue::Exact(i), at)).1;
                spans[i].push((y(base[i]), y(base[i] + v)));
                let r = Rectangle::new([(SegmentValue::Exact(i), base[i]), (SegmentValue::Exact(i + 1), base[i] + v)], color.filled());
                base[i] += v;
                r
            })
            .collect();
        chart.draw_series(bars).map_err(err)?;
    }
    let x = |i: usize| chart.backend_coord(&(SegmentValue::Exact(i), 0.0)).0;
    if upright {
        // Plotters centres tick labels on their tick whatever their turn, so upright names are
        // drawn here: each starts just under its bar and runs down.
        let font = TextStyle::from(("sans-serif", 12).into_font().transform(FontTransform::Rotate90).color(&BLACK))
            .pos(Pos::new(HPos::Left, VPos::Center));
        let bottom = chart.backend_coord(&(SegmentValue::Exact(0), 0.0)).1 + 6;
        for (i, label) in labels.iter().enumerate() {
            root.draw_text(label, &font, ((x(i) + x(i + 1)) / 2, bottom)).map_err(err)?;
        }
    }
    Ok(spans.into_iter().enumerate().map(|(i, lines)| Band { along_x: true, from: x(i), to: x(i + 1), lines }).collect())
}

fn bars(root: &Area, s: &Series) -> Result<Vec<Band>, String> {
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
        chart.draw_series(rects).map_err(err)?;
    }
    let y = |i: usize| chart.backend_coord(&(0.0, SegmentValue::Exact(i))).1;
    Ok((0..n).map(|i| Band { along_x: false, from: y(i), to: y(i + 1), lines: vec![] }).collect())
}

fn heatmap(root: &Area, s: &Series) -> Result<Vec<Band>, String> {
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
    // A band per hour (column), each row a line: a click on a cell names both.
    let at = |c: usize, r: usize| chart.backend_coord(&(c, SegmentValue::Exact(r)));
    let lines: Vec<(i32, i32)> = (0..rows).map(|r| (at(0, r).1, at(0, r + 1).1)).collect();
    Ok((0..cols).map(|c| Band { along_x: true, from: at(c, 0).0, to: at(c + 1, 0).0, lines: lines.clone() }).collect())
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
        if time {
            chart.draw_series(LineSeries::new(line.points.iter().copied(), color.stroke_width(2))).map_err(err)?;
        } else {
            chart.draw_series(line.points.iter().map(|p| Circle::new(*p, 3, color.filled()))).map_err(err)?;
        }
    }
    Ok(())
}

