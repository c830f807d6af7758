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
    /// Where each category's rows are: absent for charts whose categories no table filter names
    /// (hours, weekdays, points).
    #[serde(default)]
    pub drill: Option<Drill>,
}

/// The rows behind each category of a chart: those of `dataset` whose `column` equals the
/// category's key (a [`super::PageQuery::equals`] pair; a column ending in `@day`, `@hour` or
/// `@weekday` compares that part of a time in the chosen zone).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Drill {
    pub dataset: String,
    pub column: String,
    /// One key per category (the category's label may add words, such as "(unpriced)").
    pub keys: Vec<String>,
    /// Where the lines are keys too (a stacked bar's layers, a heatmap's rows): a segment or cell
    /// opens the rows whose `line_column` also equals its line's key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line_column: Option<String>,
    /// One per line; `None` for a line no exact value names (the "other" models), whose segment
    /// opens its whole category.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub line_keys: Vec<Option<String>>,
}

impl Drill {
    /// The (column, value) pairs behind category `i`, and line `line` within it when given.
    pub fn pairs(&self, i: usize, line: Option<usize>) -> Option<Vec<(String, String)>> {
        let mut out = vec![(self.column.clone(), self.keys.get(i)?.clone())];
        if let (Some(column), Some(Some(key))) = (&self.line_column, line.and_then(|l| self.line_keys.get(l))) {
            out.push((column.clone(), key.clone()));
        }
        Some(out)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Line {
    pub name: String,
    /// One value per category (bars, heatmap), or empty for scatter and lines.
    pub values: Vec<f64>,
    /// (x, y) points for scatter and lines.
    pub points: Vec<(f64, f64)>,
}
