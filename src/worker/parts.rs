//! One `Ingest` per file, joined in file order: what makes a file's result something that can be
//! kept and taken back later (`ingest::Part` says why the join is exactly one `Ingest` fed every
//! file one after another).

use crate::ingest::{Ingest, Part};
use web_sys::File;

/// The parts joined in file order as they become ready: a file's part waits in its slot until
/// every file before it has been joined, and is then moved into the whole (so at most the parts
/// of files read out of order are held twice, never the whole load).
pub struct Join {
    pub whole: Part,
    pub slots: Vec<Option<Part>>,
    next: usize,
}

impl Join {
    pub fn new(files: usize) -> Self {
        Join { whole: Part::default(), slots: (0..files).map(|_| None).collect(), next: 0 }
    }

    pub fn put(&mut self, file: usize, part: Part) {
        self.slots[file] = Some(part);
        self.drain();
    }

    /// Join every part that is ready and next in order.
    pub fn drain(&mut self) {
        while let Some(part) = self.slots.get_mut(self.next).and_then(Option::take) {
            self.whole.append(part);
            self.next += 1;
        }
    }
}

/// The file being parsed, in an `Ingest` of its own (its only file: id 0).
pub struct Open {
    pub file: usize,
    pub ingest: Ingest,
    pub abandoned: bool,
}

/// The files to parse, in order, and the one being read.
pub struct Reading<'a> {
    fresh: &'a [usize],
    next: usize,
    pub open: Option<Open>,
}

impl<'a> Reading<'a> {
    pub fn new(fresh: &'a [usize]) -> Self {
        Reading { fresh, next: 0, open: None }
    }

    /// Make `file` the open one (`None`: close them all), closing the files before it: files are
    /// read in order, so a file is complete once a slice of a later one arrives (empty files have
    /// no slices). Hands back the parts of the files closed.
    pub fn open_through(&mut self, file: Option<usize>, files: &[(String, File)], sizes: &[u64]) -> Vec<(usize, Part)> {
        let file = file.unwrap_or(usize::MAX);
        let mut closed = Vec::new();
        loop {
            if self.open.as_ref().is_some_and(|o| o.file == file) {
                return closed;
            }
            if let Some(open) = self.open.take() {
                closed.push((open.file, open.ingest.into_part()));
            }
            let Some(&next) = self.fresh.get(self.next).filter(|&&n| n <= file) else { return closed };
            self.next += 1;
            let mut ingest = Ingest::new();
            ingest.begin_file(files[next].0.clone(), sizes[next]);
            self.open = Some(Open { file: next, ingest, abandoned: false });
        }
    }
}
