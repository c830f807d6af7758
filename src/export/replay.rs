//! The receiving end of a relaying bundle (`super::relay`): its [`Op`]s applied, in order, to
//! an ordinary [`Bundle`] (in the page, by the second worker that compresses the zip).

use super::PARQUET_NAMES;
use super::bundle::{Bundle, Entry, Part};
use super::parquet::{self, columns};
use super::parquet_out;
use super::relay::{Op, parquet_entry};

/// An op that does not fit the ones before it: the sender and the receiver disagree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplayError {
    /// An op for an entry that has not begun or has ended.
    NoSuchEntry(u32),
    /// An entry begun twice.
    Reopened(u32),
    /// A Parquet file's op that does not fit: not begun, begun twice, or bytes that are not
    /// its head or its columns.
    Parquet(u32),
}

impl std::fmt::Display for ReplayError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReplayError::NoSuchEntry(n) => write!(f, "the archive's entry {n} is not open"),
            ReplayError::Reopened(n) => write!(f, "the archive's entry {n} was begun twice"),
            ReplayError::Parquet(n) => write!(f, "Parquet file {n} of the archive was sent out of order or garbled"),
        }
    }
}

/// The receiving end: [`Op`]s applied to a bundle.
pub struct Replay {
    bundle: Bundle,
    /// The entries begun and not ended, by number (a CSV's, the database's, and the Parquet
    /// files' from their first row group until their turn).
    open: Vec<(u32, Entry)>,
    /// The Parquet files being written, by their place in [`super::PARQUET_NAMES`].
    parquet: Vec<(u32, parquet::Writer)>,
}

impl Replay {
    pub fn new(bundle: Bundle) -> Self {
        Replay { bundle, open: Vec::new(), parquet: Vec::new() }
    }

    /// Apply the next op.
    pub fn apply(&mut self, op: Op<'_>) -> Result<(), ReplayError> {
        match op {
            Op::Begin { entry, name } => {
                if self.at(entry).is_some() {
                    return Err(ReplayError::Reopened(entry));
                }
                let begun = self.bundle.begin(name);
                self.open.push((entry, begun));
            }
            Op::Write { entry, bytes } => self.entry(entry)?.write(bytes, Part::Body),
            Op::AfterHead { entry, bytes } => self.entry(entry)?.write(bytes, Part::AfterHead),
            Op::EndDatabase { entry, head } => {
                let ended = self.take(entry)?;
                self.bundle.end_database(ended, head);
            }
            Op::End { entry } => {
                let ended = self.take(entry)?;
                self.bundle.end(ended);
            }
            Op::ParquetBegin { file, head } => {
                let (columns, meta) = parquet_out::read_head(head).ok_or(ReplayError::Parquet(file))?;
                if self.writer(file).is_some() || PARQUET_NAMES.get(file as usize).is_none() {
                    return Err(ReplayError::Parquet(file));
                }
                let columns: Vec<&str> = columns.iter().map(String::as_str).collect();
                let meta: Vec<(&str, Option<String>)> = meta.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
                let entry = parquet_entry(file);
                if self.at(entry).is_some() {
                    return Err(ReplayError::Parquet(file));
                }
                self.parquet.push((file, parquet::Writer::new(&columns, &meta)));
                // The file's entry is open from its first row group (it ends at its turn,
                // `ParquetEntry`): its bytes go in as they are written, never held whole here.
                let begun = self.bundle.begin(PARQUET_NAMES[file as usize]);
                self.open.push((entry, begun));
            }
            Op::ParquetRows { file, bytes } => {
                let at = self.writer(file).ok_or(ReplayError::Parquet(file))?;
                let writer = &mut self.parquet[at].1;
                let columns = columns::decode(bytes).filter(|c| c.len() == writer.kinds().len()).ok_or(ReplayError::Parquet(file))?;
                writer.row_group(columns);
                let written = writer.take_written();
                self.entry(parquet_entry(file)).map_err(|_| ReplayError::Parquet(file))?.write(&written, Part::Body);
            }
            Op::ParquetEnd { file } => {
                let at = self.writer(file).ok_or(ReplayError::Parquet(file))?;
                let (_, writer) = self.parquet.remove(at);
                let rest = writer.finish();
                self.entry(parquet_entry(file)).map_err(|_| ReplayError::Parquet(file))?.write(&rest, Part::Body);
            }
            Op::ParquetEntry { file } => {
                let ended = self.take(parquet_entry(file)).map_err(|_| ReplayError::Parquet(file))?;
                self.bundle.end(ended);
            }
        }
        Ok(())
    }

    fn writer(&self, file: u32) -> Option<usize> {
        self.parquet.iter().position(|(n, _)| *n == file)
    }

    /// The compressed chunks of open entry `entry` that are full so far ([`Bundle::take_full`]).
    pub fn take_full(&mut self, entry: u32) -> Vec<Vec<u8>> {
        self.entry(entry).map(Bundle::take_full).unwrap_or_default()
    }

    /// The bundle, every op applied (entries still open are dropped).
    pub fn into_bundle(self) -> Bundle {
        self.bundle
    }

    fn at(&self, entry: u32) -> Option<usize> {
        self.open.iter().position(|(n, _)| *n == entry)
    }

    fn entry(&mut self, entry: u32) -> Result<&mut Entry, ReplayError> {
        let at = self.at(entry).ok_or(ReplayError::NoSuchEntry(entry))?;
        Ok(&mut self.open[at].1)
    }

    fn take(&mut self, entry: u32) -> Result<Entry, ReplayError> {
        let at = self.at(entry).ok_or(ReplayError::NoSuchEntry(entry))?;
        Ok(self.open.remove(at).1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::ExportFile;
    use crate::export::csv_cell::Cell;
    use crate::export::parquet_out::ParquetOut;
    use crate::export::relay::{OwnedOp, Relay, file_name};
    use std::cell::RefCell;
    use std::rc::Rc;
    use crate::export::pace::{Straight, run_now};

    /// Ops recorded from a relaying bundle and replayed into an ordinary one make the archive
    /// the same entries make fed directly: CSV-like text cut anyhow, the database's head given
    /// last with its pages interleaved with another entry's, a stored Parquet file, the zip
    /// itself left out.
    #[test]
    fn replayed_ops_make_the_archive_of_the_entries_fed_directly() {
        let text = |seed: u64, len: usize| {
            let mut x = seed;
            let mut out = Vec::new();
            while out.len() < len {
                x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                out.extend_from_slice(format!("s-{},{},{}\r\n", x >> 52, x % 977, (x >> 20) % 100_000).as_bytes());
            }
            out.truncate(len);
            out
        };
        let at = Some(1_767_323_045_000);
        let (csv, pages, head) = (text(1, 3 * super::super::packer::FEED + 77), text(2, 2_500_000), text(3, 1 << 20));
        let parquet = ExportFile { name: super::super::PARQUET_NAMES[0], mime: "application/vnd.apache.parquet", bytes: text(4, 9_999) };
        let build = |bundle: &mut Bundle| {
            let mut database = bundle.begin(super::super::SQLITE);
            let mut sessions = bundle.begin(super::super::SESSIONS_CSV);
            let skipped = bundle.begin(super::super::ZIP);
            for (k, piece) in csv.chunks(700_001).enumerate() {
                assert!(run_now(Bundle::feed(&mut sessions, piece, &mut Straight, 0, 65_536)));
                let pages = &pages[(k * 600_000).min(pages.len())..((k + 1) * 600_000).min(pages.len())];
                assert!(run_now(Bundle::feed_after_head(&mut database, pages, &mut Straight, 0, 65_536)));
            }
            assert_eq!(bundle.end(skipped), 0);
            assert_eq!(bundle.end(sessions), csv.len());
            assert_eq!(bundle.end_database(database, &head), pages.len() + head.len());
            assert!(run_now(bundle.add_owned(ExportFile { bytes: parquet.bytes.clone(), ..parquet }, &mut Straight, 0, usize::MAX)));
            // A Parquet file written from its rows' columns: where the ops are replayed, when
            // they are (more than a chunk of it, so that it is taken while it waits its turn).
            let columns = ["session_id", "input_tokens"];
            let mut out = ParquetOut::start(bundle.relay(), super::super::PARQUET_NAMES[3], &columns, &[("generated_at", None)]);
            let rows: Vec<Vec<Cell>> = (0..70_000u64).map(|k| vec![Cell::owned(format!("s-{:x}", k.wrapping_mul(0x9e37_79b9_7f4a_7c15))), Cell::UInt(k)]).collect();
            out.rows(&rows);
            if let Some(file) = out.finish().place() {
                assert!(run_now(bundle.add_owned(file, &mut Straight, 0, usize::MAX)));
            }
        };
        let mut direct = Bundle::new(at);
        build(&mut direct);
        let direct = direct.finish();

        let ops: Rc<RefCell<Vec<OwnedOp>>> = Rc::default();
        let relay: Relay = {
            let ops = ops.clone();
            Rc::new(RefCell::new(move |op: Op<'_>| ops.borrow_mut().push(OwnedOp::of(op))))
        };
        let mut relaying = Bundle::relaying(relay);
        build(&mut relaying);
        let ops = ops.take();
        let begun: Vec<_> = ops.iter().filter_map(|op| if let OwnedOp::Begin { name, .. } = op { Some(*name) } else { None }).collect();
        assert_eq!(begun, [super::super::SQLITE, super::super::SESSIONS_CSV, super::super::PARQUET_NAMES[0]], "the zip is never sent");
        assert!(ops.iter().any(|op| matches!(op, OwnedOp::ParquetRows { .. })), "the Parquet file's columns are sent");
        let mut replay = Replay::new(Bundle::new(at));
        for op in &ops {
            replay.apply(op.as_op()).expect("ops in order");
        }
        assert!(replay.into_bundle().finish() == direct, "the replayed archive differs");

        // As the page's second worker replays them: each open entry's full chunks taken out
        // after every write, and put back where the entry, once ended, says they belong.
        let taken: Rc<RefCell<Vec<(u32, Vec<u8>)>>> = Rc::default();
        let ending = Rc::new(std::cell::Cell::new(0u32));
        let ended: Rc<RefCell<Vec<Vec<u8>>>> = Rc::default();
        let handing = {
            let (taken, ending, ended) = (taken.clone(), ending.clone(), ended.clone());
            Bundle::handing(at, move |n, chunks, taken_at| {
                assert_eq!(n, ended.borrow().len());
                let mut bytes = chunks[..taken_at].concat();
                taken.borrow().iter().filter(|(e, _)| *e == ending.get()).for_each(|(_, c)| bytes.extend_from_slice(c));
                bytes.extend(chunks[taken_at..].concat());
                ended.borrow_mut().push(bytes);
            })
        };
        let mut replay = Replay::new(handing);
        for op in &ops {
            if let Some(entry) = op.as_op().ends() {
                ending.set(entry);
            }
            replay.apply(op.as_op()).expect("ops in order");
            if let Some(entry) = op.as_op().fills() {
                let full = replay.take_full(entry);
                taken.borrow_mut().extend(full.into_iter().map(|c| (entry, c)));
            }
        }
        let from = |entry: u32| taken.borrow().iter().filter(|(e, _)| *e == entry).count();
        assert!(from(0) > 0 && from(1) > 0, "chunks were taken from the database and the CSV");
        assert!(from(crate::export::relay::parquet_entry(3)) > 0, "and from the Parquet file waiting its turn");
        let mut bytes = Vec::new();
        for part in replay.into_bundle().finish_layout() {
            match part {
                super::super::archive::Part::Bytes(b) => bytes.extend(b),
                super::super::archive::Part::Data(n) => bytes.extend_from_slice(&ended.borrow()[n]),
            }
        }
        assert!(bytes == direct, "the archive with chunks taken out early differs");
        // Out of order, they are refused, not guessed at.
        let mut replay = Replay::new(Bundle::new(at));
        assert_eq!(replay.apply(Op::Write { entry: 0, bytes: b"x" }), Err(ReplayError::NoSuchEntry(0)));
        replay.apply(Op::Begin { entry: 0, name: super::super::SESSIONS_CSV }).unwrap();
        assert_eq!(replay.apply(Op::Begin { entry: 0, name: super::super::SESSIONS_CSV }), Err(ReplayError::Reopened(0)));
        replay.apply(Op::End { entry: 0 }).unwrap();
        assert_eq!(replay.apply(Op::End { entry: 0 }), Err(ReplayError::NoSuchEntry(0)));
        assert_eq!(file_name("usage_tokens.csv"), Some(super::super::USAGE_CSV));
        assert_eq!(file_name("../etc/passwd"), None);
    }
}
