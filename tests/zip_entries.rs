//! `agent-ledger-export.zip` as the page builds it (`export::build_file`, which streams each
//! entry into the archive and drops it) read back entry by entry: each entry equals the same
//! file downloaded alone, byte for byte, in `ALL_NAMES` order, and the whole archive equals
//! `export::build_all`'s (which the CLI's zip equals, `tests/cli.rs`). On the small generated
//! profile (every format, gzip, forks, corner cases), with and without a filter, and on the real
//! sample corpus when it is there. The same archive built with the page's pauses, in small
//! pieces, and stopped at any of them (`export::paced`).

mod common;

use agent_ledger::export::paced::{self, Pace, Pieces};
use agent_ledger::export::{self, ExportSettings, Filter, Redaction, ReportMeta};
use agent_ledger::model::Millis;
use agent_ledger::pricing::PriceBook;
use agent_ledger::rollup::{self, Zone};
use agent_ledger::synth::{self, Profile};
use std::io::Read;

const GENERATED_AT_MS: Millis = 1_767_323_045_000;

/// Load `files` as the page does, then check the zip against every download built alone.
fn assert_zip_entries_equal_single_downloads(files: &[(String, Vec<u8>)], filter: &Filter) {
    let ledger = common::ingest(files);
    let prices = PriceBook::builtin();
    let costs = prices.usage_costs(&ledger.tables.usage);
    let redaction = Redaction::default();
    let view = export::prepare(&ledger.tables, &costs, filter, &redaction);
    let audit = agent_ledger::audit::run(&view.tables, &prices);
    let summary = rollup::summarize(&view.tables, &view.usage_costs, &Zone::utc());
    let meta = ReportMeta { generated_at_ms: Some(GENERATED_AT_MS), price_snapshot: "test prices".into(), machine: String::new() };
    let input = export::ExportInput {
        tables: &view.tables,
        usage_costs: &view.usage_costs,
        ingest: &ledger.report,
        audit: &audit,
        summary: &summary,
        filter,
        redaction: &redaction,
        redaction_report: Some(&view.redaction),
        settings: &ExportSettings::default(),
        meta: &meta,
    };

    let zip = export::build_file(&input, export::ZIP).expect("the zip");
    assert_eq!((zip.name, zip.mime), (export::ZIP, export::MIME_ZIP));
    let all = export::build_all(&input);
    assert!(all.last().is_some_and(|f| f.name == export::ZIP && f.bytes == zip.bytes), "build_all's zip differs");
    assert_paced_zip_equal_and_stoppable(&input, &zip.bytes);
    assert_relayed_zip_equal(&input, &zip.bytes);
    assert_each_paced_download_equal_and_stoppable(&input);

    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&zip.bytes)).expect("a valid zip");
    let entries = &export::ALL_NAMES[..export::ALL_NAMES.len() - 1];
    assert_eq!(archive.len(), entries.len());
    for (at, name) in entries.iter().enumerate() {
        let alone = export::build_file(&input, name).unwrap_or_else(|| panic!("{name} alone"));
        let mut entry = archive.by_index(at).expect("an entry");
        assert_eq!(entry.name().expect("a UTF-8 name"), *name, "entry {at}");
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).expect("the entry reads back (its CRC checks)");
        assert!(bytes == alone.bytes, "{name}: {} bytes in the zip, {} alone", bytes.len(), alone.bytes.len());
        assert!(!bytes.is_empty(), "{name} is empty");
    }
}

/// The page's worker builds the zip with pauses (`export::paced`), returning to its event loop at
/// each: in pieces far smaller than the page's (3 rows of a CSV, 1,000 bytes of an entry), the
/// archive is still byte for byte the one built in one go, the files done count up to every
/// entry, and a build told to stop at any pause stops there and gives nothing.
fn assert_paced_zip_equal_and_stoppable(input: &export::ExportInput, whole: &[u8]) {
    struct Record(Vec<usize>, Option<usize>);
    impl Pace for Record {
        async fn pause(&mut self, done: usize) -> bool {
            self.0.push(done);
            self.1.is_none_or(|stop| self.0.len() < stop)
        }
    }
    let small = Pieces { rows: 3, bytes: 1000 };
    let mut seen = Record(Vec::new(), None);
    let paced = paced::run_now(paced::zip(input, &mut seen, small)).expect("nothing stopped it");
    assert!(paced.bytes == whole, "paced zip: {} bytes, {} built in one go", paced.bytes.len(), whole.len());
    let pauses = seen.0;
    assert!(pauses.windows(2).all(|w| w[0] <= w[1]), "files done only count up");
    assert_eq!((pauses.first(), pauses.last()), (Some(&0), Some(&paced::ENTRIES)));
    assert_eq!(paced::ENTRIES, export::ALL_NAMES.len() - 1);
    assert!(pauses.len() > 2 * paced::ENTRIES, "it pauses inside entries too ({} pauses)", pauses.len());
    for stop in [1, 2, pauses.len() / 2, pauses.len() - 1, pauses.len()] {
        let mut stopped = Record(Vec::new(), Some(stop));
        assert!(paced::run_now(paced::zip(input, &mut stopped, small)).is_none(), "told to stop at pause {stop}");
        assert_eq!(stopped.0.len(), stop, "no pause after the one that said stop");
        assert_eq!(stopped.0, pauses[..stop], "the same steps up to the stop");
    }
}

/// The page's engine worker sends the zip's entries to a second worker, which compresses them,
/// writes the Parquet files from their columns and makes the archive (`export::relay`): every
/// entry's ops, replayed there in order, make the archive built in one go, in the page's pieces
/// and in pieces far smaller.
fn assert_relayed_zip_equal(input: &export::ExportInput, whole: &[u8]) {
    use agent_ledger::export::bundle::Bundle;
    use agent_ledger::export::relay::{Op, OwnedOp, Relay};
    use agent_ledger::export::replay::Replay;
    use std::cell::RefCell;
    use std::rc::Rc;
    for pieces in [Pieces::PAGE, Pieces { rows: 3, bytes: 1000 }] {
        let ops: Rc<RefCell<Vec<OwnedOp>>> = Rc::default();
        let relay: Relay = {
            let ops = ops.clone();
            Rc::new(RefCell::new(move |op: Op<'_>| ops.borrow_mut().push(OwnedOp::of(op))))
        };
        let mut relaying = Bundle::relaying(relay);
        paced::run_now(paced::zip_into(input, &mut paced::Straight, pieces, &mut relaying)).expect("nothing stopped it");
        let ops = ops.take();
        let ends = ops.iter().filter(|op| matches!(op, OwnedOp::End { .. } | OwnedOp::EndDatabase { .. } | OwnedOp::ParquetEntry { .. })).count();
        assert_eq!(ends, paced::ENTRIES, "every entry but the zip is sent and ended");
        // The Parquet files are written on the other side, from their columns.
        let parquet = ops.iter().filter(|op| matches!(op, OwnedOp::ParquetEntry { .. })).count();
        assert_eq!(parquet, export::PARQUET_NAMES.len());
        let mut replay = Replay::new(Bundle::new(input.meta.generated_at_ms));
        for op in &ops {
            replay.apply(op.as_op()).expect("the ops are in order");
        }
        let bytes = replay.into_bundle().finish();
        assert!(bytes == whole, "relayed zip in {pieces:?}: {} bytes, {} built in one go", bytes.len(), whole.len());
        let bytes = replayed_as_the_second_worker_does(&ops, input.meta.generated_at_ms);
        assert!(bytes == whole, "relayed zip in {pieces:?}, chunks taken early: {} bytes, {} built in one go", bytes.len(), whole.len());
    }
}

/// The ops replayed as the page's second worker replays them (`worker::deflate_server`): each
/// ended entry handed over, and the full chunks of an open entry taken out after every op that
/// fills it (a Parquet file waits open for its turn), then put back where the entry, once ended,
/// says they belong.
fn replayed_as_the_second_worker_does(ops: &[agent_ledger::export::relay::OwnedOp], at: Option<agent_ledger::model::Millis>) -> Vec<u8> {
    use agent_ledger::export::archive::Part;
    use agent_ledger::export::bundle::Bundle;
    use agent_ledger::export::replay::Replay;
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;
    let taken: Rc<RefCell<Vec<(u32, Vec<u8>)>>> = Rc::default();
    let ending = Rc::new(Cell::new(0u32));
    let ended: Rc<RefCell<Vec<Vec<u8>>>> = Rc::default();
    let handing = {
        let (taken, ending, ended) = (taken.clone(), ending.clone(), ended.clone());
        Bundle::handing(at, move |_, chunks, taken_at| {
            let mut bytes = chunks[..taken_at].concat();
            taken.borrow().iter().filter(|(e, _)| *e == ending.get()).for_each(|(_, c)| bytes.extend_from_slice(c));
            bytes.extend(chunks[taken_at..].concat());
            ended.borrow_mut().push(bytes);
        })
    };
    let mut replay = Replay::new(handing);
    let mut took = 0;
    for op in ops {
        let op = op.as_op();
        if let Some(entry) = op.ends() {
            ending.set(entry);
        }
        replay.apply(op).expect("the ops are in order");
        if let Some(entry) = op.fills() {
            let full = replay.take_full(entry);
            took += full.len();
            taken.borrow_mut().extend(full.into_iter().map(|c| (entry, c)));
        }
    }
    // On these small corpora no entry fills a chunk before it ends; `export::replay`'s own test
    // takes chunks from every kind of open entry.
    let _ = took;
    let mut bytes = Vec::new();
    for part in replay.into_bundle().finish_layout() {
        match part {
            Part::Bytes(b) => bytes.extend(b),
            Part::Data(n) => bytes.extend_from_slice(&ended.borrow()[n]),
        }
    }
    bytes
}

/// The page's worker builds the database and each CSV with pauses too (`paced::one_file`), so
/// that Cancel stops them: each is its single download's bytes, whatever the pieces, and stops
/// at its first pause when told to.
fn assert_each_paced_download_equal_and_stoppable(input: &export::ExportInput) {
    struct StopAt(usize, Option<usize>);
    impl Pace for StopAt {
        async fn pause(&mut self, _: usize) -> bool {
            self.0 += 1;
            self.1.is_none_or(|stop| self.0 < stop)
        }
    }
    for name in export::ALL_NAMES {
        let alone = export::build_file(input, name).unwrap_or_else(|| panic!("{name} alone"));
        let mut seen = StopAt(0, None);
        let paced = paced::run_now(paced::one_file(input, name, &mut seen, Pieces { rows: 3, bytes: 1000 }));
        assert!(paced.is_some_and(|f| f.bytes == alone.bytes && f.name == alone.name), "{name} built with pauses");
        let long = name == export::SQLITE || export::CSV_NAMES.contains(&name) || name == export::ZIP;
        assert_eq!(seen.0 > 0, long, "{name}: pauses only in the long ones");
        if long {
            let mut stopped = StopAt(0, Some(1));
            assert!(paced::run_now(paced::one_file(input, name, &mut stopped, Pieces::PAGE)).is_none(), "{name} stops");
            assert_eq!(stopped.0, 1, "{name}: no pause after the one that said stop");
        }
    }
    assert!(paced::run_now(paced::one_file(input, "nothing.csv", &mut paced::Straight, Pieces::PAGE)).is_none());
}

#[test]
fn generated_profile_zip_entries_equal_each_download() {
    let files: Vec<(String, Vec<u8>)> = synth::generate_all(&Profile::small(), 7)
        .into_iter()
        .map(|f| (format!("mixed/{}", f.name), f.bytes))
        .collect();
    assert_zip_entries_equal_single_downloads(&files, &Filter::default());
    // The small profile spans 2026-11-16 to 2026-11-20: keep 2026-11-17 and 2026-11-18.
    let from = agent_ledger::timefmt::parse_iso("2026-11-17T00:00:00Z").expect("a time");
    let filter = Filter { from_ms: Some(from), to_ms: Some(from + 2 * 86_400_000), ..Default::default() };
    assert_zip_entries_equal_single_downloads(&files, &filter);
}

#[test]
fn real_sample_zip_entries_equal_each_download() {
    let Some(dir) = common::real_corpus("") else { return };
    let mut files = Vec::new();
    let mut stack = vec![dir.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().map(Result::unwrap) {
            let path = e.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let name = path.strip_prefix(&dir).unwrap().to_string_lossy().into_owned();
                files.push((name, std::fs::read(&path).unwrap()));
            }
        }
    }
    files.sort();
    assert_zip_entries_equal_single_downloads(&files, &Filter::default());
}
