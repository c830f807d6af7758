//! The ingest engine: bytes of many files, in slices, to normalized tables and a per-file report.
//!
//! Files are fed slice by slice (the page reads 4 MB at a time; the benchmark does the same),
//! inflated on the fly in small pieces when they start with the gzip or zstd magic ([`inflate`],
//! which also stops decompression bombs), split into lines that may span slices ([`lines`],
//! which drops a line past [`MAX_LINE_BYTES`]), sniffed from their first non-blank line and
//! handed line by line to their format's adapter. No file is ever held whole as one string,
//! except formats that are a single JSON document (Codex G0, Gemini JSON), which are small by
//! nature and held up to [`MAX_DOCUMENT_BYTES`], and another machine's export zip ([`import`]),
//! held up to [`import::MAX_ZIP_BYTES`] and merged after the cross-file rules. Every line (and
//! every CSV row of an export) lands in one bucket.

pub mod codec;
mod document;
pub mod import;
pub mod inflate;
pub mod lines;
pub mod part;
pub mod report;

use crate::formats::sniff::{self, Sniffed};
use crate::formats::{self, Adapter, Bucket, LineParser};
use crate::model::{FileId, Format, Source, SourceFile, Tables};
use inflate::{Codec, Inflate};
pub use lines::MAX_LINE_BYTES;
use lines::{Line, LineSplitter};
pub use part::Part;
pub use report::{FileReport, IngestReport, LineIssue, READ_FAILED};

/// The slice size the page and the benchmark read files in.
pub const SLICE_BYTES: usize = 4 << 20;

/// The largest single JSON document held for a whole-document format (Codex G0, Gemini JSON):
/// such files are a few MB; a larger one is not read (every line malformed, or skipped when its
/// format was not known yet), so a hostile one cannot take the memory.
pub const MAX_DOCUMENT_BYTES: usize = 64 << 20;

/// What ingest produces: the normalized tables and what became of every line.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    pub tables: Tables,
    pub report: IngestReport,
}

/// Streaming ingest of any number of files, interleaved or one after another.
#[derive(Default)]
pub struct Ingest {
    tables: Tables,
    report: IngestReport,
    open: Vec<Option<FileState>>,
    /// Exports of other machines, by the id of their zip, merged by [`Part::finish`].
    imports: Vec<(FileId, import::Imported)>,
}

enum Stage {
    /// No non-blank line seen yet.
    Sniffing,
    Lines(Box<dyn LineParser>),
    /// A multi-line JSON document, parsed when the file ends.
    Document {
        buf: Vec<u8>,
        lines: u64,
    },
    /// A document past [`MAX_DOCUMENT_BYTES`]: its lines are only counted.
    DocumentTooLarge {
        lines: u64,
    },
    /// Not a log: lines are counted as skipped.
    NotALog,
}

struct FileState {
    splitter: LineSplitter,
    /// Bytes held until the compression magic can be checked.
    head: Vec<u8>,
    decided: bool,
    inflate: Option<Inflate>,
    stage: Stage,
    line_no: u32,
    fed: u64,
    /// A corrupt or stopped compressed stream: later bytes are ignored.
    dead: bool,
    /// A zip (an export of another machine, maybe): its bytes, read whole when the file ends.
    zip: Option<Vec<u8>>,
}

impl Ingest {
    pub fn new() -> Self {
        Self::default()
    }

    /// Announce a file; `bytes` is its size on disk (0 when unknown: the bytes fed are counted).
    pub fn begin_file(&mut self, name: impl Into<String>, bytes: u64) -> FileId {
        let name = name.into();
        let id = self.tables.files.len() as FileId;
        self.tables.files.push(SourceFile {
            name: name.clone(),
            bytes,
            gzip: false,
            machine: None,
        });
        self.report.files.push(FileReport {
            file: name,
            bytes,
            ..Default::default()
        });
        self.open.push(Some(FileState {
            splitter: LineSplitter::default(),
            head: Vec::new(),
            decided: false,
            inflate: None,
            stage: Stage::Sniffing,
            line_no: 0,
            fed: 0,
            dead: false,
            zip: None,
        }));
        id
    }

    /// Feed the next slice of a file's bytes.
    pub fn feed(&mut self, id: FileId, chunk: &[u8]) {
        let Some(Some(mut st)) = self.open.get_mut(id as usize).map(Option::take) else {
            return;
        };
        st.fed += chunk.len() as u64;
        if st.decided {
            self.push_bytes(id, &mut st, chunk);
        } else if st.head.is_empty() && chunk.len() >= Codec::MAGIC_BYTES {
            // The usual case: the first slice shows the magic by itself, no copy needed.
            self.decide_compression(id, &mut st, chunk);
            self.push_bytes(id, &mut st, chunk);
        } else {
            st.head.extend_from_slice(chunk);
            if st.head.len() >= Codec::MAGIC_BYTES {
                let head = std::mem::take(&mut st.head);
                self.decide_compression(id, &mut st, &head);
                self.push_bytes(id, &mut st, &head);
            }
        }
        self.open[id as usize] = Some(st);
    }

    /// The file has no more bytes.
    pub fn end_file(&mut self, id: FileId) {
        let Some(Some(mut st)) = self.open.get_mut(id as usize).map(Option::take) else {
            return;
        };
        if !st.decided {
            let head = std::mem::take(&mut st.head);
            self.decide_compression(id, &mut st, &head);
            self.push_bytes(id, &mut st, &head);
        }
        if let Some(mut inflate) = st.inflate.take()
            && let Err(note) = inflate.finish(&mut |piece| self.split(id, &mut st, piece))
        {
            self.report.files[id as usize].add_note(&note);
        }
        let mut splitter = std::mem::take(&mut st.splitter);
        splitter.finish(|line| self.on_line(id, &mut st, line));
        self.close(id, st);
    }

    /// The rest of the file could not be read (the browser refused a slice, say): the lines read so
    /// far stay counted, the file is closed there, and its report says why it stopped.
    pub fn abandon_file(&mut self, id: FileId, reason: &str) {
        if let Some(report) = self.report.files.get_mut(id as usize) {
            report.add_note(&format!("{}: {reason}", report::READ_FAILED));
        }
        self.end_file(id);
    }

    /// Convenience for whole files in memory (tests, samples): fed in [`SLICE_BYTES`] slices.
    pub fn add_file(&mut self, name: impl Into<String>, bytes: &[u8]) -> FileId {
        let id = self.begin_file(name, bytes.len() as u64);
        for chunk in bytes.chunks(SLICE_BYTES) {
            self.feed(id, chunk);
        }
        self.end_file(id);
        id
    }

    /// Run the cross-file rules and hand back the tables and the report (see [`Part`] for the
    /// same in parts, on many threads).
    pub fn finish(self) -> Ledger {
        self.into_part().finish()
    }

    fn decide_compression(&mut self, id: FileId, st: &mut FileState, head: &[u8]) {
        st.decided = true;
        if import::is_zip(head) {
            st.zip = Some(Vec::new());
            return;
        }
        if let Some(codec) = Codec::sniff(head) {
            st.inflate = Some(Inflate::new(codec));
            // `SourceFile::gzip` predates zstd; nothing reads which codec a file had.
            self.tables.files[id as usize].gzip = codec == Codec::Gzip;
        }
    }

    fn push_bytes(&mut self, id: FileId, st: &mut FileState, bytes: &[u8]) {
        if st.dead {
            return;
        }
        if let Some(buf) = st.zip.as_mut() {
            if buf.len() + bytes.len() > import::MAX_ZIP_BYTES {
                let note = format!("a zip larger than {} MiB; not read", import::MAX_ZIP_BYTES >> 20);
                let report = &mut self.report.files[id as usize];
                report.add_note(&note);
                report.format = Some(Format::Unknown);
                (st.zip, st.dead, st.stage) = (None, true, Stage::NotALog);
            } else {
                buf.extend_from_slice(bytes);
            }
            return;
        }
        match st.inflate.take() {
            None => self.split(id, st, bytes),
            Some(mut inflate) => {
                match inflate.push(bytes, &mut |piece| self.split(id, st, piece)) {
                    Ok(()) => st.inflate = Some(inflate),
                    Err(note) => {
                        // Stop decoding; what was decoded so far stays counted.
                        self.report.files[id as usize].add_note(&note);
                        st.dead = true;
                    }
                }
            }
        }
    }

    fn split(&mut self, id: FileId, st: &mut FileState, bytes: &[u8]) {
        let mut splitter = std::mem::take(&mut st.splitter);
        splitter.push(bytes, |line| self.on_line(id, st, line));
        st.splitter = splitter;
    }

    fn on_line(&mut self, id: FileId, st: &mut FileState, line: Line) {
        // Saturating: 4 G lines fit in 8 GiB of line ends; line numbers stop at u32::MAX, counts go on.
        st.line_no = st.line_no.saturating_add(1);
        let raw = match line {
            Line::Text(raw) => raw,
            Line::TooLong(_) => return self.on_long_line(id, st),
        };
        let mut line = raw;
        if st.line_no == 1 {
            line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
        }
        line = line.strip_suffix(b"\r").unwrap_or(line);
        let src = Source {
            file: id,
            line: st.line_no,
        };
        let report = &mut self.report.files[id as usize];

        if let Stage::Document { .. } | Stage::DocumentTooLarge { .. } = st.stage {
            document::add_line(&mut st.stage, line);
            return;
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            report.count(src.line, Bucket::Skipped);
            return;
        }
        if let Stage::Sniffing = st.stage {
            // A file the content leaves undecided may be named by its path (a Copilot log): its
            // lines then go to that adapter, which says why each one cannot be read.
            let sniffed = match sniff::sniff_line(line) {
                Sniffed::Unknown(reason) => sniff::format_by_path(&report.file).map_or(Sniffed::Unknown(reason), Sniffed::Format),
                other => other,
            };
            st.stage = match sniffed {
                Sniffed::Format(f) if sniff::is_document_format(f) => {
                    report.format = Some(f);
                    Stage::Document {
                        buf: Vec::new(),
                        lines: 0,
                    }
                }
                Sniffed::Format(f) => {
                    report.format = Some(f);
                    match formats::adapter_for(f) {
                        Some(Adapter::Lines(p)) => Stage::Lines(p),
                        _ => Stage::NotALog,
                    }
                }
                Sniffed::Document => Stage::Document {
                    buf: Vec::new(),
                    lines: 0,
                },
                Sniffed::Unknown(reason) => {
                    report.format = Some(Format::Unknown);
                    report.add_note(&reason);
                    Stage::NotALog
                }
            };
            if let Stage::Document { lines, .. } = &mut st.stage {
                // Blank lines before the document start belong to it too.
                *lines = u64::from(st.line_no) - 1 - report.lines;
                document::add_line(&mut st.stage, line);
                return;
            }
        }
        let bucket = match &mut st.stage {
            Stage::Lines(p) => p.line(line, src, &mut self.tables),
            _ => Bucket::Skipped,
        };
        report.count(src.line, bucket);
    }

    /// A line past [`MAX_LINE_BYTES`]: malformed, or part of a document now too large to read.
    fn on_long_line(&mut self, id: FileId, st: &mut FileState) {
        match &mut st.stage {
            Stage::Document { lines, .. } => {
                st.stage = Stage::DocumentTooLarge { lines: *lines + 1 }
            }
            Stage::DocumentTooLarge { lines } => *lines += 1,
            _ => {
                let reason = format!("line longer than {} MiB", MAX_LINE_BYTES >> 20);
                self.report.files[id as usize].count(st.line_no, Bucket::Malformed(reason));
            }
        }
    }

    fn close(&mut self, id: FileId, mut st: FileState) {
        let report = &mut self.report.files[id as usize];
        if let Some(zip) = st.zip.take() {
            report.bytes = report.bytes.max(st.fed);
            if let Some(imported) = import::read(&zip, report) {
                self.imports.push((id, imported));
            }
            return;
        }

        if report.bytes == 0 {
            report.bytes = st.fed;
            self.tables.files[id as usize].bytes = st.fed;
        }
        match st.stage {
            Stage::Sniffing => {
                report.format = Some(Format::Unknown);
                if report.malformed > 0 {
                    report.add_note(&format!(
                        "no line shorter than {} MiB to tell its format by",
                        MAX_LINE_BYTES >> 20
                    ));
                } else {
                    report.add_note("empty file");
                }
            }
            Stage::Lines(mut p) => p.finish(&mut self.tables),
            Stage::NotALog => {}
            Stage::Document { buf, lines } => self.parse_document(id, &buf, lines),
            Stage::DocumentTooLarge { lines } => self.document_too_large(id, lines),
        }
    }
}

/// Ingest whole in-memory files at once: `(name, bytes)` pairs.
pub fn ingest_all<'a>(files: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> Ledger {
    let mut ingest = Ingest::new();
    for (name, bytes) in files {
        ingest.add_file(name, bytes);
    }
    ingest.finish()
}
