//! The SQL console's engine: GlueSQL's in-memory storage holding the datasets as typed tables,
//! the statements a person runs, and the last result, kept for paging and its CSV.
//!
//! Why GlueSQL: it is pure Rust, so it builds for wasm32 without the C compiler that SQLite's
//! wasm builds need, and it is a real SQL engine (joins, GROUP BY, aggregates, subqueries, CTE-free
//! SELECTs, string and date functions), not a parser over hand-written loops.
//!
//! Types follow `agent-ledger.sqlite` ([`crate::export::typed`]): tokens and counts `INT` (i64),
//! costs, durations and percentages `FLOAT` (f64), flags `BOOLEAN`, times ISO-8601 UTC `TEXT`
//! (so `SUBSTR(ts_utc, 1, 10)` is the day, as in SQLite), everything else `TEXT`; NULL = absent.

use super::protocol::{ResultHead, TableInfo};
use crate::export::csv_cell::{Cell, neutralise};
use crate::export::tables::{Table, Values};
use crate::export::typed::Kind;
use gluesql_core::prelude::{Glue, Payload, PayloadVariable, Value};
use gluesql_core::store::StoreMut;
use gluesql_memory_storage::MemoryStorage;

/// The name the result's CSV is saved under.
pub const RESULT_CSV: &str = "sql-result.csv";

/// The tables and the last result.
pub struct Console {
    glue: Glue<MemoryStorage>,
    tables: Vec<TableInfo>,
    columns: Vec<String>,
    rows: Vec<Vec<Value>>,
}

impl Default for Console {
    fn default() -> Self {
        Console { glue: Glue::new(MemoryStorage::default()), tables: Vec::new(), columns: Vec::new(), rows: Vec::new() }
    }
}

/// A name as a quoted SQL identifier: `user` is a keyword, so every name is quoted.
pub fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn sql_type(kind: Kind) -> &'static str {
    match kind {
        Kind::Int => "INT",
        Kind::Real => "FLOAT",
        Kind::Bool => "BOOLEAN",
        Kind::Text | Kind::Time => "TEXT",
    }
}

impl Console {
    pub fn tables(&self) -> &[TableInfo] {
        &self.tables
    }

    /// Replace every table with the datasets of `export::tables` JSON.
    pub fn load_json(&mut self, bytes: &[u8]) -> Result<&[TableInfo], String> {
        let tables: Vec<Table> = serde_json::from_slice(bytes).map_err(|e| format!("the tables could not be read: {e}"))?;
        self.load(tables)
    }

    /// Replace every table (and forget the last result).
    pub fn load(&mut self, tables: Vec<Table>) -> Result<&[TableInfo], String> {
        *self = Console::default();
        for t in tables {
            let defs: Vec<String> = t.columns.iter().map(|c| format!("{} {}", quote(&c.name), sql_type(c.values.kind()))).collect();
            self.glue.execute(format!("CREATE TABLE {} ({})", quote(&t.name), defs.join(", "))).map_err(|e| format!("table {}: {e}", t.name))?;
            let info = TableInfo {
                name: t.name.clone(),
                rows: t.rows,
                truncated: t.truncated,
                columns: t.columns.iter().map(|c| (c.name.clone(), sql_type(c.values.kind()).to_string())).collect(),
            };
            // Straight into the storage: parsing an INSERT per row would cost far more.
            let rows = transpose(t.columns, t.rows).map_err(|e| format!("table {}: {e}", t.name))?;
            self.glue.storage.append_data(&t.name, rows).map_err(|e| format!("table {}: {e}", t.name))?;
            self.tables.push(info);
        }
        Ok(&self.tables)
    }

    /// Run `sql` (one or more statements) and keep the last statement's result; answer its
    /// first `first` rows.
    pub fn run(&mut self, sql: &str, first: usize) -> Result<ResultHead, String> {
        if sql.trim().is_empty() {
            return Err("Nothing to run: write a query, e.g. SELECT * FROM sessions LIMIT 10".into());
        }
        let payloads = self.glue.execute(sql).map_err(|e| describe(&e.to_string()))?;
        let (columns, rows, note) = match payloads.into_iter().last() {
            Some(p) => shape(p),
            None => (Vec::new(), Vec::new(), "No statement to run.".to_string()),
        };
        self.columns = columns;
        self.rows = rows;
        let numeric = (0..self.columns.len()).map(|c| numeric_column(&self.rows, c)).collect();
        Ok(ResultHead { columns: self.columns.clone(), numeric, total: self.rows.len(), rows: self.page(0, first), note, elapsed_ms: 0.0 })
    }

    /// Rows `offset..offset + limit` of the last result, as shown: `None` is NULL.
    pub fn page(&self, offset: usize, limit: usize) -> Vec<Vec<Option<String>>> {
        let end = offset.saturating_add(limit).min(self.rows.len());
        let start = offset.min(end);
        self.rows[start..end].iter().map(|r| r.iter().map(show).collect()).collect()
    }

    /// The last result as CSV, written like the downloads (RFC 4180, CRLF, formula text
    /// neutralised, NULL as an empty cell).
    pub fn csv(&self) -> Vec<u8> {
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).flexible(true).from_writer(Vec::new());
        // Writing to a Vec cannot fail.
        let _ = w.write_record(self.columns.iter().map(|c| neutralise(c).into_owned()));
        for row in &self.rows {
            let _ = w.write_record(row.iter().map(csv_text));
        }
        w.into_inner().unwrap_or_default()
    }
}

/// Rows from columns: GlueSQL stores rows.
fn transpose(columns: Vec<crate::export::tables::Column>, rows: usize) -> Result<Vec<Vec<Value>>, String> {
    let mut out: Vec<Vec<Value>> = (0..rows).map(|_| Vec::with_capacity(columns.len())).collect();
    for c in columns {
        if c.values.len() != rows {
            return Err(format!("column {} has {} cells for {rows} rows", c.name, c.values.len()));
        }
        let cells: Box<dyn Iterator<Item = Value>> = match c.values {
            Values::Int(v) => Box::new(v.into_iter().map(|x| x.map_or(Value::Null, Value::I64))),
            Values::Real(v) => Box::new(v.into_iter().map(|x| x.map_or(Value::Null, Value::F64))),
            Values::Bool(v) => Box::new(v.into_iter().map(|x| x.map_or(Value::Null, Value::Bool))),
            Values::Text(v) | Values::Time(v) => Box::new(v.into_iter().map(|x| x.map_or(Value::Null, Value::Str))),
        };
        for (row, cell) in out.iter_mut().zip(cells) {
            row.push(cell);
        }
    }
    Ok(out)
}

type Shaped = (Vec<String>, Vec<Vec<Value>>, String);

/// A statement's payload as columns and rows, or a note for one without rows.
fn shape(p: Payload) -> Shaped {
    let note = |n: String| (Vec::new(), Vec::new(), n);
    match p {
        Payload::Select { labels, rows } => (labels, rows, String::new()),
        // A schemaless table's rows: the union of their keys, in order.
        Payload::SelectMap(maps) => {
            let mut keys: Vec<String> = maps.iter().flat_map(|m| m.keys().cloned()).collect();
            keys.sort();
            keys.dedup();
            let rows = maps.iter().map(|m| keys.iter().map(|k| m.get(k).cloned().unwrap_or(Value::Null)).collect()).collect();
            (keys, rows, String::new())
        }
        Payload::ShowColumns(cols) => {
            let rows = cols.into_iter().map(|(n, t)| vec![Value::Str(n), Value::Str(t.to_string())]).collect();
            (vec!["column".into(), "type".into()], rows, String::new())
        }
        Payload::ShowVariable(PayloadVariable::Tables(names) | PayloadVariable::Functions(names)) => {
            (vec!["name".into()], names.into_iter().map(|n| vec![Value::Str(n)]).collect(), String::new())
        }
        Payload::ShowVariable(PayloadVariable::Version(v)) => (vec!["version".into()], vec![vec![Value::Str(v)]], String::new()),
        Payload::Insert(n) => note(format!("{n} rows inserted (into the console's copy; reloading the data restores it).")),
        Payload::Delete(n) => note(format!("{n} rows deleted (from the console's copy; reloading the data restores it).")),
        Payload::Update(n) => note(format!("{n} rows updated (in the console's copy; reloading the data restores it).")),
        Payload::DropTable(n) => note(format!("{n} tables dropped (from the console's copy; reloading the data restores them).")),
        other => note(format!("Done: {}.", format!("{other:?}").to_lowercase())),
    }
}

/// GlueSQL's error text, without the parser's debug wrapping
/// (`ParserError("Expected: …, found: SELEC at Line: 1, Column: 1")`).
fn describe(text: &str) -> String {
    let inner = text.find("ParserError(").map(|at| &text[at + "ParserError(".len()..]);
    match inner {
        Some(rest) => {
            let rest = rest.trim_start_matches(['\n', ' ', '"']);
            let end = rest.find("\",").or_else(|| rest.rfind('"')).unwrap_or(rest.len());
            format!("SQL syntax: {}", rest[..end].replace("\\\"", "\""))
        }
        None => text.to_string(),
    }
}

fn is_number(v: &Value) -> bool {
    use Value::*;
    matches!(v, I8(_) | I16(_) | I32(_) | I64(_) | I128(_) | U8(_) | U16(_) | U32(_) | U64(_) | U128(_) | F32(_) | F64(_) | Decimal(_))
}

fn numeric_column(rows: &[Vec<Value>], c: usize) -> bool {
    let mut cells = rows.iter().filter_map(|r| r.get(c)).filter(|v| !matches!(v, Value::Null)).peekable();
    cells.peek().is_some() && cells.all(is_number)
}

/// A float as the CSV downloads write costs: at most 10 decimals (hides float noise).
fn float(f: f64) -> String {
    if f.is_finite() { Cell::Usd(f).render().into_owned() } else { f.to_string() }
}

/// A cell as shown; `None` is NULL.
pub fn show(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::Str(s) => Some(s.clone()),
        Value::F64(f) => Some(float(*f)),
        Value::F32(f) => Some(float(f64::from(*f))),
        Value::Bool(b) => Some(b.to_string()),
        other => Some(String::from(other)),
    }
}

/// A cell as the CSV writes it: numbers as shown (we render them: no formula quote in front of
/// `-5`), NULL empty, text neutralised like the downloads.
fn csv_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        v if is_number(v) || matches!(v, Value::Bool(_)) => show(v).unwrap_or_default(),
        v => neutralise(&show(v).unwrap_or_default()).into_owned(),
    }
}
