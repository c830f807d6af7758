//! A chart's series: the numbers behind one chart, with its axes and unit.

use serde::{Deserialize, Serialize};

/// How a chart draws its series.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    /// One bar per category, each stacked from the lines' values.
    #[default]
    StackedBars,
    /// Horizontal bars, one per category (first line only).
    Bars,
    /// Categories × lines as a grid of shaded cells.
    Heatmap,
    /// Points (x, y) per line.
    Scatter,
    /// Lines over x.
    Lines,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Series {
    pub name: String,
    pub title: String,
    pub shape: Shape,
    pub x_label: String,
    pub y_label: String,
    pub categories: Vec<String>,
    pub lines: Vec<Line>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Line {
    pub name: String,
    /// One value per category (bars, heatmap), or empty for scatter and lines.
    pub values: Vec<f64>,
    /// (x, y) points for scatter and lines.
    pub points: Vec<(f64, f64)>,
}
