//! Pages of datasets: any of the nine CSV datasets, sorted by any column, narrowed by text or by
//! exact column values, a window at a time. The cells are the CSV download's own cells, so what
//! a table shows is what its download holds.
//!
//! Only what a page needs is built: the sort column (once per dataset and column, then cached as
//! a permutation), the matching rows' indices (cached per question), and the rows of the window.

mod order;

use super::analysis::Analysis;
use super::protocol::{Page, PageQuery, PageRow};
use crate::export::csv_cell::{Cell, CsvTable, Rows, Shows};
use crate::export::typed::{self, Kind};
use crate::export::{ExportFile, ExportInput, Redacted, ReportMeta, datasets};
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

/// At most this many rows in one page.
pub const MAX_LIMIT: usize = 2_000;

/// A question's filters: the dataset, the text (lower case) and the exact values.
type Filters = (String, String, Vec<(String, String)>);

/// Sort permutations and match lists of the current analysis; emptied when settings change.
#[derive(Default)]
pub struct PageCache {
    sorted: HashMap<(String, usize, bool), Arc<Vec<u32>>>,
    matched: HashMap<Filters, Arc<Vec<u32>>>,
    /// The matching rows of a question sorted by a column (by its place, and which way), for a
    /// sort asked within a filter before the whole column was sorted: only the kept rows' cells
    /// are made and sorted (a new text within a new sort of a million rows sorted every row).
    sorted_matches: HashMap<(Filters, usize, bool), Arc<Vec<u32>>>,
    numeric: HashMap<String, Arc<Vec<bool>>>,
}

impl PageCache {
    /// What stays true when only the time zone changed: the datasets' cells are in UTC, so
    /// sorted orders and numeric columns hold; matches of `@day`, `@hour` or `@weekday` may not.
    pub fn for_new_zone(&mut self) -> PageCache {
        let mut kept = std::mem::take(self);
        let zoneless = |equals: &[(String, String)]| equals.iter().all(|(column, _)| time_part(column).1.is_none());
        kept.matched.retain(|(_, _, equals), _| zoneless(equals));
        kept.sorted_matches.retain(|((_, _, equals), _, _), _| zoneless(equals));
        kept
    }
}

/// At most this many answers to filtered questions are kept (each up to 4 bytes a row, 4 MB for
/// a million rows): a person trying one search after another must not fill the worker's memory.
/// The sorted orders of whole columns are few (two per column) and kept all.
const KEPT_FILTERED: usize = 16;

/// Keep `value` for `key`, forgetting every other answer first when the map is full.
fn remember<K: std::hash::Hash + Eq>(map: &mut HashMap<K, Arc<Vec<u32>>>, key: K, value: Arc<Vec<u32>>) {
    if map.len() >= KEPT_FILTERED {
        map.clear();
    }
    map.insert(key, value);
}

/// Rows looked at to tell which columns hold numbers (once per dataset): enough to meet a value
/// in every column that has any, without building a big table whole.
const NUMERIC_PROBE_ROWS: usize = 5_000;

/// The text a page shows for a cell: the CSV's value without the formula guard (the page
/// renders text nodes, never HTML or formulas).
pub fn display(cell: &Cell) -> String {
    shown(cell).into_owned()
}

/// [`display`], borrowed where it can be: sorting compares cells many times over.
fn shown<'c>(cell: &'c Cell) -> Cow<'c, str> {
    match cell {
        Cell::Text(s) => Cow::Borrowed(s),
        Cell::Time(iso) => Cow::Borrowed(Cell::time_text(iso)),
        other => other.render(),
    }
}

fn numeric(cell: &Cell) -> bool {
    matches!(cell, Cell::Int(_) | Cell::UInt(_) | Cell::Float(_) | Cell::Usd(_))
}

/// What the page's tables read from: the analysis's tables (already filtered and redacted) with
/// the report and audit redacted like the downloads.
struct Source<'a> {
    input: ExportInput<'a>,
    red: Redacted<'a>,
}

impl Source<'_> {
    fn build(&self, name: &str, rows: Rows) -> Option<CsvTable<'_>> {
        datasets::build_selected(&self.input, &self.red, name, rows)
    }
}

/// Every row a table shows (sorted and narrowed as asked, `offset` and `limit` ignored) as a CSV
/// file, written by the same rules as the downloads (formulas neutralised).
pub fn page_csv(a: &Analysis, cache: &mut PageCache, q: &PageQuery) -> Result<ExportFile, String> {
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    let mut offset = 0;
    let mut columns_written = false;
    loop {
        let page = page_within(a, cache, &PageQuery { offset, limit: usize::MAX, ..q.clone() }, usize::MAX, csv_text)?;
        if !columns_written {
            writer.write_record(&page.columns).map_err(|e| e.to_string())?;
            columns_written = true;
        }
        for row in &page.rows {
            writer.write_record(&row.cells).map_err(|e| e.to_string())?;
        }
        offset += page.rows.len();
        if page.rows.is_empty() || offset >= page.matched {
            break;
        }
    }
    let bytes = writer.into_inner().map_err(|e| e.to_string())?;
    let name: &'static str = match datasets::columns(&q.dataset) {
        Some(_) => crate::export::CSV_NAMES.iter().find(|n| **n == q.dataset).copied().unwrap_or("rows.csv"),
        None => "rows.csv",
    };
    Ok(ExportFile { name, mime: crate::export::MIME_CSV, bytes })
}

pub fn page(a: &Analysis, cache: &mut PageCache, q: &PageQuery) -> Result<Page, String> {
    page_within(a, cache, q, MAX_LIMIT, display)
}

/// Suffixes of an exact-value filter's column that compare a part of a time column, in the
/// analysis's zone, instead of the cell itself: `ts_utc@day` = `2025-09-01`, `ts_utc@hour` =
/// `09`, `ts_utc@weekday` = `Mon` (as the per-day, per-hour and heatmap charts count them).
pub const DAY_SUFFIX: &str = "@day";
pub const HOUR_SUFFIX: &str = "@hour";
pub const WEEKDAY_SUFFIX: &str = "@weekday";

#[derive(Clone, Copy)]
enum TimePart {
    Day,
    Hour,
    Weekday,
}

/// `column` without its time suffix, and which part of the time it compares (None: the cell).
fn time_part(column: &str) -> (&str, Option<TimePart>) {
    [(DAY_SUFFIX, TimePart::Day), (HOUR_SUFFIX, TimePart::Hour), (WEEKDAY_SUFFIX, TimePart::Weekday)]
        .into_iter()
        .find_map(|(suffix, part)| Some((column.strip_suffix(suffix)?, Some(part))))
        .unwrap_or((column, None))
}

/// That part of an ISO time in the analysis's zone; "(no time)" for none, as the charts say.
fn part_of(a: &Analysis, iso: &str, part: TimePart) -> String {
    let day_hour = crate::timefmt::parse_iso(iso).and_then(|ms| a.zone.day_hour(ms));
    let text = day_hour.and_then(|(day, hour)| match part {
        TimePart::Day => Some(day),
        TimePart::Hour => Some(format!("{hour:02}")),
        TimePart::Weekday => {
            let date = day.parse::<jiff::civil::Date>().ok()?;
            Some(super::series::WEEKDAYS[date.weekday().to_monday_zero_offset() as usize].to_string())
        }
    });
    text.unwrap_or_else(|| super::series::NO_TIME.to_string())
}

/// What a column's cells can be, by its type (the typed downloads' own, which the tests hold
/// every cell to): the text search skips the columns that cannot show its needle.
fn shows(column: &str) -> Shows {
    match typed::kind(column) {
        Kind::Text => Shows::Text,
        Kind::Time => Shows::Times,
        Kind::Int | Kind::Real => Shows::Numbers,
        Kind::Bool => Shows::Flags,
    }
}

/// A cell as the CSV downloads write it (formulas neutralised, numbers as numbers).
fn csv_text(cell: &Cell) -> String {
    cell.render().into_owned()
}

/// The rows of a page in a sorted order.
enum Order {
    /// Every row of the dataset, in order.
    Every(Arc<Vec<u32>>),
    /// The rows a filter kept, and only those, in order.
    Kept(Arc<Vec<u32>>),
}

fn page_within(
    a: &Analysis,
    cache: &mut PageCache,
    q: &PageQuery,
    max_limit: usize,
    shown: fn(&Cell) -> String,
) -> Result<Page, String> {
    let merged = datasets::merged(a.tables());
    let columns = datasets::columns_of(&q.dataset, merged).ok_or_else(|| format!("no dataset named {:?}", q.dataset))?;
    let meta = ReportMeta::default();
    let src = Source {
        input: a.export_input(&meta),
        red: Redacted {
            tables: Cow::Borrowed(a.tables()),
            ingest: Cow::Borrowed(&a.redacted_report),
            audit: Cow::Borrowed(&a.redacted_audit),
            summary: Cow::Borrowed(&a.summary),
            report: Default::default(),
            redactor: a.redactor.clone(),
        },
    };
    let column_index = |name: &str| columns.iter().position(|c| *c == name).ok_or_else(|| format!("{} has no column {name:?}", q.dataset));
    let nothing = || Rows { only: Some(Vec::new()), ..Rows::default() };
    let total = src.build(&q.dataset, nothing()).map_or(0, |t| t.rows_before_cap);

    // The rows kept by the text and the exact values, in dataset order (None: all).
    let needle = q.text.trim().to_lowercase();
    let filters: Filters = (q.dataset.clone(), needle.clone(), q.equals.clone());
    let matched: Option<Arc<Vec<u32>>> = if needle.is_empty() && q.equals.is_empty() {
        None
    } else {
        let key = filters.clone();
        if let Some(hit) = cache.matched.get(&key) {
            Some(hit.clone())
        } else {
            let mut mask = vec![true; total];
            for (column, value) in &q.equals {
                // `<time column>@day` (or `@hour`, `@weekday`): that part of the time in the
                // chosen zone, as the charts count it, so a bar opens exactly its rows.
                let (name, part) = time_part(column);
                let c = column_index(name)?;
                let values = src.build(&q.dataset, Rows { column: Some(c), ..Rows::default() }).map(|t| t.column).unwrap_or_default();
                for (keep, cell) in mask.iter_mut().zip(&values) {
                    let text = display(cell);
                    let text = match part {
                        Some(part) => part_of(a, &text, part),
                        None => text,
                    };
                    *keep &= match value.strip_suffix('*') {
                        Some(prefix) => text.starts_with(prefix),
                        None => text == *value,
                    };
                }
            }
            let kept: Vec<u32> = if needle.is_empty() {
                (0..total as u32).filter(|&i| mask[i as usize]).collect()
            } else {
                let only = Some(mask);
                let shows = Some(columns.iter().map(|c| shows(c)).collect());
                let t = src.build(&q.dataset, Rows { only, matching: Some(needle), shows, indices_only: true, ..Rows::default() });
                t.map(|t| t.picked.iter().map(|&i| i as u32).collect()).unwrap_or_default()
            };
            let kept = Arc::new(kept);
            remember(&mut cache.matched, key, kept.clone());
            Some(kept)
        }
    };

    // The order: the dataset's, a permutation of every row by the sort column (cached), or,
    // within a filter when the column was not sorted whole yet, of the matching rows alone.
    let order: Option<Order> = match &q.sort {
        None => None,
        Some(sort) => {
            let c = column_index(&sort.column)?;
            let whole = (q.dataset.clone(), c, sort.descending);
            let column_of = |only: Option<Vec<bool>>| src.build(&q.dataset, Rows { only, column: Some(c), ..Rows::default() }).map(|t| t.column).unwrap_or_default();
            Some(match (cache.sorted.get(&whole), &matched) {
                (Some(p), _) => Order::Every(p.clone()),
                (None, Some(m)) => {
                    let key = (filters, c, sort.descending);
                    let kept = match cache.sorted_matches.get(&key) {
                        Some(p) => p.clone(),
                        None => {
                            let mut only = vec![false; total];
                            for &i in m.iter() {
                                only[i as usize] = true;
                            }
                            // The kept rows' cells in dataset order, as `m` lists them; ties
                            // stay in that order, as in the whole column's permutation.
                            let values = column_of(Some(only));
                            if values.len() != m.len() {
                                return Err(format!("{}: the filtered rows changed while they were sorted", q.dataset));
                            }
                            let perm: Vec<u32> = order::sort_order(&values, sort.descending).into_iter().map(|j| m[j as usize]).collect();
                            let perm = Arc::new(perm);
                            remember(&mut cache.sorted_matches, key, perm.clone());
                            perm
                        }
                    };
                    Order::Kept(kept)
                }
                (None, None) => {
                    let perm = Arc::new(order::sort_order(&column_of(None), sort.descending));
                    cache.sorted.insert(whole, perm.clone());
                    Order::Every(perm)
                }
            })
        }
    };

    let limit = q.limit.min(max_limit);
    let (window, matched_count): (Vec<u32>, usize) = match (&order, &matched) {
        (None, None) => ((q.offset.min(total)..q.offset.saturating_add(limit).min(total)).map(|i| i as u32).collect(), total),
        (None, Some(m)) => (m.iter().skip(q.offset).take(limit).copied().collect(), m.len()),
        (Some(Order::Every(p)), None) => (p.iter().skip(q.offset).take(limit).copied().collect(), total),
        (Some(Order::Kept(p)), _) => (p.iter().skip(q.offset).take(limit).copied().collect(), p.len()),
        (Some(Order::Every(p)), Some(m)) => {
            let mut keep = vec![false; total];
            for &i in m.iter() {
                keep[i as usize] = true;
            }
            (p.iter().filter(|&&i| keep[i as usize]).skip(q.offset).take(limit).copied().collect(), m.len())
        }
    };
    let mut mask = vec![false; total];
    for &i in &window {
        mask[i as usize] = true;
    }
    let built = src.build(&q.dataset, Rows { only: Some(mask), ..Rows::default() }).ok_or("dataset vanished")?;
    let by_index: HashMap<usize, &Vec<Cell>> = built.picked.iter().copied().zip(built.rows.iter()).collect();
    let numeric_cols = match cache.numeric.get(&q.dataset) {
        Some(n) => n.clone(),
        None => {
            let probe = (0..total).map(|i| i < NUMERIC_PROBE_ROWS).collect();
            let rows = src.build(&q.dataset, Rows { only: Some(probe), ..Rows::default() }).map(|t| t.rows).unwrap_or_default();
            let n = Arc::new((0..columns.len()).map(|c| rows.iter().any(|r| r.get(c).is_some_and(numeric))).collect::<Vec<bool>>());
            cache.numeric.insert(q.dataset.clone(), n.clone());
            n
        }
    };
    let rows = window
        .iter()
        .filter_map(|&i| by_index.get(&(i as usize)).map(|cells| PageRow { index: i as usize, cells: cells.iter().map(shown).collect() }))
        .collect();
    Ok(Page {
        dataset: q.dataset.clone(),
        columns: columns.iter().map(|c| c.to_string()).collect(),
        numeric: numeric_cols.to_vec(),
        rows,
        matched: matched_count,
        total,
        offset: q.offset,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filtered_answers_kept_are_bounded_and_the_newest_is_kept() {
        let mut map = HashMap::new();
        for i in 0..40u32 {
            remember(&mut map, i, Arc::new(vec![i]));
            assert!(map.len() <= KEPT_FILTERED, "{} kept after {i}", map.len());
            assert_eq!(map.get(&i).map(|v| v[0]), Some(i));
        }
    }
}
