//! Every file of the export built in steps, with a pause between two (issue #18.4): between the
//! zip's entries, between the datasets, the database's tables, and pieces of a long CSV or of a
//! long entry's compressed stream. The page's worker returns to its event loop at each pause, so
//! that it answers the views meanwhile and a Cancel stops the zip there (`crate::worker`);
//! natively nothing pauses ([`Straight`], [`run_now`], in [`super::pace`] for the archive's use too) and this is the one code path of
//! [`super::build_all`] and [`super::zip_file`], so the files and their order cannot drift
//! apart. A pause changes no byte: each piece continues the same writer.

use super::bundle::Bundle;
use super::csv_cell::{self, Shape};
use super::{ALL_NAMES, CSV_NAMES, CATALOG_JSON, ExportFile, ExportInput, MIME_SQLITE, SQLITE, SUMMARY_JSON};
use super::{AUDIT_JSON, REDACTION_JSON, ZIP, MIME_ZIP};
use super::parquet_out::{ParquetOut, Written};
use super::{PARQUET_NAMES, Redacted, catalog, datasets, parquet, redacted, sqlite, typed};
pub use super::pace::{Pace, Straight, run_now};

/// The zip's entries: every download but the zip itself.
pub const ENTRIES: usize = ALL_NAMES.len() - 1;

/// How much work goes between two pauses inside one entry.
#[derive(Debug, Clone, Copy)]
pub struct Pieces {
    /// Rows of a CSV written at once.
    pub rows: usize,
    /// Bytes of an entry compressed into the archive at once.
    pub bytes: usize,
}

impl Pieces {
    /// Everything at once (nothing pauses anyway).
    pub const WHOLE: Pieces = Pieces { rows: usize::MAX, bytes: usize::MAX };
    /// The page's: in wasm, on the real-world profile, about a tenth of a second each
    /// (20,000 rows of `usage_tokens.csv` are about 9 MB; zlib-rs at level 1 deflates 16 MiB
    /// in well under that).
    pub const PAGE: Pieces = Pieces { rows: 20_000, bytes: 16 << 20 };
}

/// `agent-ledger-export.zip` built with pauses; `None` when `pace` stopped it (everything built
/// so far is dropped). Its bytes are [`super::build_all`]'s zip whatever `pieces` is.
pub async fn zip<P: Pace>(input: &ExportInput<'_>, pace: &mut P, pieces: Pieces) -> Option<ExportFile> {
    let parts = zip_parts(input, pace, pieces).await?;
    Some(ExportFile { name: ZIP, mime: MIME_ZIP, bytes: parts.concat() })
}

/// [`zip`]'s bytes in the chunks the archive was written in ([`Bundle::finish_parts`]): the
/// page's worker copies them to the browser one by one, never joining them in its own memory.
pub async fn zip_parts<P: Pace>(input: &ExportInput<'_>, pace: &mut P, pieces: Pieces) -> Option<Vec<Vec<u8>>> {
    let mut bundle = Bundle::new(input.meta.generated_at_ms);
    zip_into(input, pace, pieces, &mut bundle).await?;
    Some(bundle.finish_parts())
}

/// Every entry of the zip into `bundle` (the page's worker makes one that hands each entry over
/// as it ends, [`Bundle::handing`]), with pauses. `None` when `pace` stopped it.
pub async fn zip_into<P: Pace>(input: &ExportInput<'_>, pace: &mut P, pieces: Pieces, bundle: &mut Bundle) -> Option<()> {
    each_file(input, &mut Out::Zip(bundle), pace, pieces).await
}

/// One download with pauses, with [`super::build_file`]'s bytes: the zip entry by entry, the
/// database table by table, a CSV dataset piece by piece, any other file at once (they take a
/// moment). `None` when `pace` stopped it, or `name` is no download.
pub async fn one_file<P: Pace>(input: &ExportInput<'_>, name: &str, pace: &mut P, pieces: Pieces) -> Option<ExportFile> {
    if name == ZIP {
        return zip(input, pace, pieces).await;
    }
    if name == SQLITE {
        return database(input, &redacted(input), pace, 0).await;
    }
    if CSV_NAMES.contains(&name) {
        return csv_in_pieces(input, &redacted(input), name, pace, 0, pieces).await.map(|(file, _)| file);
    }
    super::build_file(input, name)
}

/// Where the finished files go: a list (`build_all`) or straight into an archive, each dropped
/// once it is in (the page's zip: it never holds every file beside the archive).
pub enum Out<'b> {
    Files(&'b mut Vec<ExportFile>),
    Zip(&'b mut Bundle),
}

/// Every file but the zip, in [`ALL_NAMES`] order, into `out`. Each dataset's cells are built
/// a row group at a time ([`parquet::ROW_GROUP_ROWS`] rows) and each piece serves the dataset's
/// three files: its CSV (into the archive as it is written, never whole), its table in the
/// database being built ([`sqlite::TableWriter`]) and its Parquet file (one row group a piece),
/// kept until its turn after the database (issue #18.1: building the cells again for each file
/// took two fifths of the zip; holding a whole dataset's cells, 201 MB for `usage_tokens` on
/// the real-world profile, was most of its peak). Into an archive, the database is compressed
/// as its tables are written, its first block last ([`super::packer`]): never held whole
/// (346 MB). The catalog and the typed files' metadata read only the datasets' counts
/// ([`Shape`]). `None` when `pace` stopped it.
pub async fn each_file<P: Pace>(input: &ExportInput<'_>, out: &mut Out<'_>, pace: &mut P, pieces: Pieces) -> Option<()> {
    let mut done = 0;
    let red = redacted(input);
    stop_unless(pace.pause(done).await)?;
    let mut shapes = Vec::with_capacity(CSV_NAMES.len());
    let mut sizes = Vec::with_capacity(CSV_NAMES.len());
    let mut database = Database { builder: sqlite::Builder::new(), entry: None };
    if let Out::Zip(bundle) = out {
        database.entry = Some(bundle.begin(SQLITE));
    }
    let mut parquet = Vec::with_capacity(CSV_NAMES.len());
    for name in CSV_NAMES {
        let Some((shape, len, file)) = dataset_into(input, &red, name, out, &mut database, pace, done, pieces).await? else { continue };
        sizes.push((shape.name, len as u64));
        shapes.push(shape);
        parquet.push(file);
        done += 1;
        stop_unless(pace.pause(done).await)?;
    }
    let bytes_of = |name: &str| sizes.iter().find(|(n, _)| *n == name).map_or(0, |(_, len)| *len);
    put(out, super::json_file(SUMMARY_JSON, super::summary_json(&red)), pace, &mut done, pieces).await?;
    put(out, super::json_file(AUDIT_JSON, super::audit_json(&red.audit)), pace, &mut done, pieces).await?;
    let catalog = catalog::build_sized(&shapes, &bytes_of, &input.meta.machine);
    put(out, super::json_file(CATALOG_JSON, catalog), pace, &mut done, pieces).await?;
    put(out, super::md_file(super::report_md::build(input, &red)), pace, &mut done, pieces).await?;
    put(out, super::json_file(REDACTION_JSON, super::redaction_json(input, &red)), pace, &mut done, pieces).await?;
    let file = database.builder.finish_blocks(&typed::meta(input, &shapes));
    match (&mut *out, database.entry) {
        // The blocks not taken yet, then the first block, page 1 now written.
        (Out::Zip(bundle), Some(mut entry)) => {
            let parts = file.parts();
            let (head, rest) = parts.split_first().map_or((&[][..], &[][..]), |(h, r)| (*h, r));
            for part in rest {
                stop_unless(Bundle::feed_after_head(&mut entry, part, pace, done, pieces.bytes).await)?;
            }
            bundle.end_database(entry, head);
        }
        (Out::Files(files), _) => files.push(ExportFile { name: SQLITE, mime: MIME_SQLITE, bytes: file.into_vec() }),
        (Out::Zip(_), None) => unreachable!("an archive has its database entry"),
    }
    done += 1;
    stop_unless(pace.pause(done).await)?;
    for file in parquet {
        match file.place() {
            Some(file) => put(out, file, pace, &mut done, pieces).await?,
            // Placed where the entries are relayed to.
            None => {
                done += 1;
                stop_unless(pace.pause(done).await)?;
            }
        }
    }
    put(out, super::schema_file(input.tables), pace, &mut done, pieces).await
}

/// The database being built beside the CSVs, and its entry in the archive when there is one.
struct Database {
    builder: sqlite::Builder,
    entry: Option<super::bundle::Entry>,
}

impl Database {
    /// Compress the blocks written for good into the archive's entry (none without one).
    async fn compress_written<P: Pace>(&mut self, pace: &mut P, done: usize, pieces: Pieces) -> Option<()> {
        let Some(entry) = self.entry.as_mut() else { return Some(()) };
        for block in self.builder.take_written() {
            stop_unless(Bundle::feed_after_head(entry, &block, pace, done, pieces.bytes).await)?;
        }
        Some(())
    }
}

/// One dataset, a row group of cells at a time: its CSV into `out`, its table into the
/// database, and its Parquet file, returned with the dataset's shape and the CSV's length.
/// `Some(None)` when `name` is no dataset, `None` when `pace` stopped it.
#[allow(clippy::too_many_arguments)]
async fn dataset_into<P: Pace>(
    input: &ExportInput<'_>,
    red: &Redacted<'_>,
    name: &str,
    out: &mut Out<'_>,
    database: &mut Database,
    pace: &mut P,
    done: usize,
    pieces: Pieces,
) -> Option<Option<(Shape, usize, Written)>> {
    let Some(mut groups) = RowGroups::new(input, red, name) else { return Some(None) };
    let shape = groups.shape;
    let Some(parquet_name) = CSV_NAMES.iter().position(|n| *n == shape.name).map(|at| PARQUET_NAMES[at]) else { return Some(None) };
    let mut entry = match out {
        Out::Zip(bundle) => Some(bundle.begin(shape.name)),
        Out::Files(_) => None,
    };
    let mut csv = Vec::new();
    let mut len = 0;
    let mut table = database.builder.start_table(&shape);
    let relay = match out {
        Out::Zip(bundle) => bundle.relay(),
        Out::Files(_) => None,
    };
    let mut parquet = ParquetOut::start(relay, parquet_name, shape.columns, &typed::meta(input, &[shape]));
    let mut header = true;
    while let Some(cells) = groups.next() {
        // The CSV's rows, `pieces.rows` at a time with a pause after each.
        let mut from: usize = 0;
        loop {
            let to = from.saturating_add(pieces.rows.max(1)).min(cells.rows.len());
            let bytes = cells.piece(from..to, std::mem::take(&mut header));
            len += bytes.len();
            match entry.as_mut() {
                Some(entry) => stop_unless(Bundle::feed(entry, &bytes, pace, done, pieces.bytes).await)?,
                None => csv.extend_from_slice(&bytes),
            }
            stop_unless(pace.pause(done).await)?;
            if to >= cells.rows.len() {
                break;
            }
            from = to;
        }
        database.builder.table_rows(&mut table, &cells);
        database.compress_written(pace, done, pieces).await?;
        stop_unless(pace.pause(done).await)?;
        parquet.rows(&cells.rows);
        drop(cells);
        stop_unless(pace.pause(done).await)?;
    }
    database.builder.end_table(table);
    database.compress_written(pace, done, pieces).await?;
    match (&mut *out, entry) {
        (Out::Zip(bundle), Some(entry)) => {
            bundle.end(entry);
        }
        (Out::Files(files), _) => files.push(super::csv_file(shape.name, csv)),
        (Out::Zip(_), None) => unreachable!("an archive has the CSV's entry"),
    }
    Some(Some((shape, len, parquet.finish())))
}

/// One dataset's CSV file and its counts, written in pieces of at most `pieces.rows` rows: each
/// piece's cells are built, written and dropped before the next ([`datasets::build_piece`]),
/// with a pause after each. The bytes are [`csv_cell::CsvTable::to_bytes`]'s of the whole table
/// (`tests/zip_entries.rs`). `None` when `pace` stopped it or `name` is not a dataset.
pub async fn csv_in_pieces<P: Pace>(
    input: &ExportInput<'_>,
    red: &Redacted<'_>,
    name: &str,
    pace: &mut P,
    done: usize,
    pieces: Pieces,
) -> Option<(ExportFile, Shape)> {
    let mut writer = None;
    let mut at: usize = 0;
    loop {
        let end = at.saturating_add(pieces.rows.max(1));
        let piece = datasets::build_piece(input, red, name, at..end)?;
        let into = writer.get_or_insert_with(|| piece.writer());
        piece.write_rows(into, 0..piece.rows.len());
        // The first piece counted every row of the dataset: its shape is the whole one's.
        let shape = piece.shape();
        drop(piece);
        stop_unless(pace.pause(done).await)?;
        if end >= shape.rows {
            return Some((super::csv_file(shape.name, csv_cell::finish(writer?)), shape));
        }
        at = end;
    }
}

/// `agent-ledger.sqlite`, built dataset by dataset with a pause after each table; each dataset's
/// cells are built for its table and dropped after it. `None` when `pace` stopped it.
pub async fn database<P: Pace>(input: &ExportInput<'_>, red: &Redacted<'_>, pace: &mut P, done: usize) -> Option<ExportFile> {
    let blocks = database_blocks(input, red, pace, done, None).await?;
    Some(ExportFile { name: SQLITE, mime: MIME_SQLITE, bytes: blocks.into_vec() })
}

/// [`database`]'s bytes as the pager's blocks, never joined into one copy: each block after the
/// first is handed to `keep` as soon as it is written for good (the page's worker copies it into a
/// Blob there and then, so that it never holds the file whole: 346 MB on the real-world profile),
/// and the file is [`Kept::head`], then what `keep` made of each block, in order, then
/// [`Kept::rest`].
pub async fn database_kept<P: Pace, K>(input: &ExportInput<'_>, pace: &mut P, mut keep: impl FnMut(Box<[u8]>) -> K) -> Option<Kept<K>> {
    let mut kept = Vec::new();
    let mut spill = |block: Box<[u8]>| kept.push(keep(block));
    let blocks = database_blocks(input, &redacted(input), pace, 0, Some(&mut spill)).await?;
    let mut parts = blocks.into_parts().into_iter();
    let head = parts.next().unwrap_or_default();
    Some(Kept { head, kept, rest: parts.collect() })
}

/// A database as [`database_kept`] hands it over.
pub struct Kept<K> {
    /// The file's first block (page 1 is written last).
    pub head: Vec<u8>,
    /// What was made of each block written for good, in order.
    pub kept: Vec<K>,
    /// The blocks after those.
    pub rest: Vec<Vec<u8>>,
}

/// The database, its blocks written for good handed to `spill` as they come when there is one.
async fn database_blocks<P: Pace>(
    input: &ExportInput<'_>,
    red: &Redacted<'_>,
    pace: &mut P,
    done: usize,
    mut spill: Option<&mut dyn FnMut(Box<[u8]>)>,
) -> Option<sqlite::FileBlocks> {
    let mut builder = sqlite::Builder::new();
    let mut shapes = Vec::with_capacity(CSV_NAMES.len());
    // Each table from its dataset's cells a row group at a time, as in the zip ([`each_file`]).
    for name in CSV_NAMES {
        let Some(mut groups) = RowGroups::new(input, red, name) else { continue };
        let shape = groups.shape;
        let mut table = builder.start_table(&shape);
        while let Some(cells) = groups.next() {
            builder.table_rows(&mut table, &cells);
            drop(cells);
            if let Some(spill) = spill.as_deref_mut() {
                builder.take_written().into_iter().for_each(&mut *spill);
            }
            stop_unless(pace.pause(done).await)?;
        }
        builder.end_table(table);
        if let Some(spill) = spill.as_deref_mut() {
            builder.take_written().into_iter().for_each(&mut *spill);
        }
        shapes.push(shape);
        stop_unless(pace.pause(done).await)?;
    }
    Some(builder.finish_blocks(&typed::meta(input, &shapes)))
}

/// A dataset's cells a row group ([`parquet::ROW_GROUP_ROWS`] rows) at a time, in order, each
/// built when asked for (so that the one before is dropped first): the pieces the zip and the
/// SQLite download build each file from, a row group of the Parquet file each.
struct RowGroups<'i, 'r> {
    input: &'i ExportInput<'i>,
    red: &'r Redacted<'r>,
    name: &'i str,
    /// The whole dataset's (the first piece counts every row).
    shape: Shape,
    first: Option<csv_cell::CsvTable<'r>>,
    /// The first row of the next piece.
    at: usize,
}

impl<'i, 'r> RowGroups<'i, 'r> {
    /// `None` when `name` is not a dataset.
    fn new(input: &'i ExportInput<'i>, red: &'r Redacted<'r>, name: &'i str) -> Option<Self> {
        let first = datasets::build_piece(input, red, name, 0..parquet::ROW_GROUP_ROWS)?;
        Some(RowGroups { input, red, name, shape: first.shape(), first: Some(first), at: 0 })
    }
}

impl<'r> Iterator for RowGroups<'_, 'r> {
    type Item = csv_cell::CsvTable<'r>;

    fn next(&mut self) -> Option<Self::Item> {
        let at = self.at;
        // The first piece is always given, even empty: a dataset without rows has its header.
        if at > 0 && at >= self.shape.rows {
            return None;
        }
        self.at = at + parquet::ROW_GROUP_ROWS;
        self.first.take().or_else(|| datasets::build_piece(self.input, self.red, self.name, at..self.at))
    }
}

/// Hand a finished file to `out`, count it and pause.
async fn put<P: Pace>(out: &mut Out<'_>, file: ExportFile, pace: &mut P, done: &mut usize, pieces: Pieces) -> Option<()> {
    match out {
        Out::Files(files) => files.push(file),
        Out::Zip(bundle) => stop_unless(bundle.add_owned(file, pace, *done, pieces.bytes).await)?,
    }
    *done += 1;
    stop_unless(pace.pause(*done).await)
}

fn stop_unless(go_on: bool) -> Option<()> {
    go_on.then_some(())
}
