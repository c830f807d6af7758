//! Reading on every core: each file is read in [`SLICE_BYTES`] slices, gunzipped, split and parsed
//! by an `Ingest` of its own on a rayon thread; the parts are joined in file order and the
//! cross-file rules run once ([`crate::ingest::Part`] says why the result is exactly that of one
//! `Ingest` fed the same files one after another, as the page does).
//!
//! Memory: one slice buffer per thread, plus the tables (which are the result). No file is held
//! whole, and the corpus never is.

use super::progress::Counters;
use super::walk::{Input, plain};
use crate::ingest::{Ingest, Ledger, Part, SLICE_BYTES};
use rayon::prelude::*;
use std::cell::RefCell;
use std::io::Read;

/// Ingest `inputs` in their order, on the current rayon pool.
pub fn ingest(inputs: &[Input], counters: &Counters) -> Ledger {
    let parts: Vec<Part> = inputs.par_iter().map(|f| read_one(f, counters)).collect();
    super::timings::mark("read and parse");
    let ledger = Part::concat(parts).finish();
    super::timings::mark("join, cross-file rules");
    ledger
}

thread_local! {
    /// The slice buffer of this thread, reused from file to file.
    static SLICE: RefCell<Vec<u8>> = RefCell::new(vec![0; SLICE_BYTES]);
}

/// One file through an `Ingest` of its own. A file that cannot be opened or read to the end is
/// still in the report, with the reason (as the page does for a file the browser refuses).
fn read_one(input: &Input, counters: &Counters) -> Part {
    let mut ingest = Ingest::new();
    let id = ingest.begin_file(input.name.clone(), input.bytes);
    match std::fs::File::open(&input.path) {
        Err(e) => ingest.abandon_file(id, &plain(&e)),
        Ok(file) => {
            // Exactly the size the walk saw, as the page reads `File.size` bytes: a log that is
            // being appended to is read up to the same point by both.
            let mut file = file.take(input.bytes);
            SLICE.with_borrow_mut(|buf| loop {
                match read_slice(&mut file, buf) {
                    Ok(0) => break ingest.end_file(id),
                    Ok(n) => {
                        ingest.feed(id, &buf[..n]);
                        counters.add_bytes(n as u64);
                    }
                    Err(e) => break ingest.abandon_file(id, &plain(&e)),
                }
            });
        }
    }
    counters.file_done();
    ingest.into_part()
}

/// Fill `buf` as far as the file allows (a short read is not the end of the file).
fn read_slice(file: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}
