//! The zip's entries compressed somewhere else (issue #18.1): the page's engine worker builds
//! the entries' bytes and sends them on, and a second worker compresses them and makes the
//! archive, so that deflating (about two fifths of the zip in wasm) runs beside building the
//! next rows rather than after them.
//!
//! A [`Bundle::relaying`](super::bundle::Bundle::relaying) turns every entry it is given into
//! [`Op`]s, in order; a [`Replay`](super::replay::Replay) applies them to an ordinary bundle,
//! whose archive is then byte for byte the one the same entries fed to it directly make (each entry's compressed bytes depend only on its bytes,
//! [`super::packer`], and the entries take their places in the order they end, which the ops
//! keep).

use std::cell::RefCell;
use std::rc::Rc;

/// One step of building an archive, as a relaying bundle sends it. Entries are numbered from 0
/// in the order they begin; more than one may be open (the database's, beside the CSVs').
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op<'a> {
    /// Entry `entry`, a file of [`super::ALL_NAMES`], begins.
    Begin { entry: u32, name: &'static str },
    /// Its next bytes.
    Write { entry: u32, bytes: &'a [u8] },
    /// The database's pages after its first block (`Bundle::feed_after_head`).
    AfterHead { entry: u32, bytes: &'a [u8] },
    /// The database's entry ends with its first block (`Bundle::end_database`).
    EndDatabase { entry: u32, head: &'a [u8] },
    /// The entry ends and takes its place after those ended before it.
    End { entry: u32 },
    /// Parquet file `file` (its place in [`super::PARQUET_NAMES`]) begins: `head` is its columns
    /// and key-value metadata ([`super::parquet_out::head`]). Its bytes are written where the
    /// ops are replayed, from its row groups' columns, into an entry (stored) opened now under
    /// the number [`parquet_entry`] gives it.
    ParquetBegin { file: u32, head: &'a [u8] },
    /// A row group of it, its columns as bytes ([`super::parquet::columns::encode`]).
    ParquetRows { file: u32, bytes: &'a [u8] },
    /// The file is complete (its dataset is): its footer goes into its entry, which stays open
    /// until its place comes.
    ParquetEnd { file: u32 },
    /// The file takes its place as the next entry.
    ParquetEntry { file: u32 },
}

impl Op<'_> {
    /// The entry this op ends, if any: chunks taken from it before ([`Op::fills`]) belong in it.
    pub fn ends(&self) -> Option<u32> {
        match *self {
            Op::End { entry } | Op::EndDatabase { entry, .. } => Some(entry),
            Op::ParquetEntry { file } => Some(parquet_entry(file)),
            _ => None,
        }
    }

    /// The open entry this op gave bytes to, if any: its full compressed chunks may be taken
    /// after it (`Replay::take_full`), so that an entry long open is not held whole.
    pub fn fills(&self) -> Option<u32> {
        match *self {
            Op::Write { entry, .. } | Op::AfterHead { entry, .. } => Some(entry),
            Op::ParquetRows { file, .. } | Op::ParquetEnd { file } => Some(parquet_entry(file)),
            _ => None,
        }
    }
}

/// The entry number a Parquet file is written into (from [`Op::ParquetBegin`] to
/// [`Op::ParquetEntry`]): counted down from the top, apart from the entries the sender numbers
/// from 0.
pub fn parquet_entry(file: u32) -> u32 {
    u32::MAX - file
}

/// Where a relaying bundle sends its ops.
pub type Relay = Rc<RefCell<dyn FnMut(Op<'_>)>>;

/// The file of [`super::ALL_NAMES`] called `name` (an op's name crosses to the other worker as
/// text and comes back as the export's own).
pub fn file_name(name: &str) -> Option<&'static str> {
    super::ALL_NAMES.iter().copied().find(|n| *n == name)
}

/// An op with its bytes owned, to keep or send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OwnedOp {
    Begin { entry: u32, name: &'static str },
    Write { entry: u32, bytes: Vec<u8> },
    AfterHead { entry: u32, bytes: Vec<u8> },
    EndDatabase { entry: u32, head: Vec<u8> },
    End { entry: u32 },
    ParquetBegin { file: u32, head: Vec<u8> },
    ParquetRows { file: u32, bytes: Vec<u8> },
    ParquetEnd { file: u32 },
    ParquetEntry { file: u32 },
}

impl OwnedOp {
    pub fn of(op: Op<'_>) -> Self {
        match op {
            Op::Begin { entry, name } => OwnedOp::Begin { entry, name },
            Op::Write { entry, bytes } => OwnedOp::Write { entry, bytes: bytes.to_vec() },
            Op::AfterHead { entry, bytes } => OwnedOp::AfterHead { entry, bytes: bytes.to_vec() },
            Op::EndDatabase { entry, head } => OwnedOp::EndDatabase { entry, head: head.to_vec() },
            Op::End { entry } => OwnedOp::End { entry },
            Op::ParquetBegin { file, head } => OwnedOp::ParquetBegin { file, head: head.to_vec() },
            Op::ParquetRows { file, bytes } => OwnedOp::ParquetRows { file, bytes: bytes.to_vec() },
            Op::ParquetEnd { file } => OwnedOp::ParquetEnd { file },
            Op::ParquetEntry { file } => OwnedOp::ParquetEntry { file },
        }
    }

    pub fn as_op(&self) -> Op<'_> {
        match self {
            OwnedOp::Begin { entry, name } => Op::Begin { entry: *entry, name },
            OwnedOp::Write { entry, bytes } => Op::Write { entry: *entry, bytes },
            OwnedOp::AfterHead { entry, bytes } => Op::AfterHead { entry: *entry, bytes },
            OwnedOp::EndDatabase { entry, head } => Op::EndDatabase { entry: *entry, head },
            OwnedOp::End { entry } => Op::End { entry: *entry },
            OwnedOp::ParquetBegin { file, head } => Op::ParquetBegin { file: *file, head },
            OwnedOp::ParquetRows { file, bytes } => Op::ParquetRows { file: *file, bytes },
            OwnedOp::ParquetEnd { file } => Op::ParquetEnd { file: *file },
            OwnedOp::ParquetEntry { file } => Op::ParquetEntry { file: *file },
        }
    }
}

