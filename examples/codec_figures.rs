//! Figures of the per-file result codec (`ingest::codec`) on a folder of logs: encoded bytes
//! against the source, and encode / decode speed in MB of source logs a second (one core).
//!
//! ```text
//! cargo run --profile bench --example codec_figures -- /tmp/rw
//! ```

use agent_ledger::ingest::{Ingest, Part, codec};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("a readable folder").flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else if p.file_name().is_some_and(|n| n != "expect.json") {
            out.push(p);
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::args().nth(1).expect("usage: codec_figures DIR"));
    let mut paths = Vec::new();
    walk(&root, &mut paths);
    paths.sort();
    let (mut source, mut encoded, mut parse_t, mut enc_t, mut dec_t) = (0u64, 0u64, Duration::ZERO, Duration::ZERO, Duration::ZERO);
    let mut parts = Vec::with_capacity(paths.len());
    for p in &paths {
        let bytes = std::fs::read(p).unwrap();
        let name = p.strip_prefix(&root).unwrap().to_string_lossy().into_owned();
        let key = format!("{name}\n{}\n0", bytes.len());
        let t = Instant::now();
        let mut one = Ingest::new();
        one.add_file(name.as_str(), &bytes);
        let part = one.into_part();
        parse_t += t.elapsed();
        let t = Instant::now();
        let enc = codec::encode(&key, &part);
        enc_t += t.elapsed();
        let t = Instant::now();
        let back = codec::decode(&key, &enc).expect("decodes");
        dec_t += t.elapsed();
        source += bytes.len() as u64;
        encoded += enc.len() as u64;
        parts.push(back);
        drop(part);
    }
    let t = Instant::now();
    let ledger = Part::concat(parts).finish();
    let merge_t = t.elapsed();
    let mb = source as f64 / 1e6;
    let n = paths.len() as f64;
    println!("{} files, {:.1} MB of logs, {} usage rows", paths.len(), mb, ledger.tables.usage.len());
    println!(
        "encoded: {:.1} MB ({:.2}% of the source); {:.0} B a file against {:.0} B of log a file",
        encoded as f64 / 1e6,
        100.0 * encoded as f64 / source as f64,
        encoded as f64 / n,
        source as f64 / n
    );
    let rate = |d: Duration| mb / d.as_secs_f64();
    println!("parse (per-file ingest): {:.2} s, {:.0} MB/s of logs", parse_t.as_secs_f64(), rate(parse_t));
    println!(
        "encode: {:.3} s, {:.0} MB/s of logs ({:.0} MB/s of encoded bytes)",
        enc_t.as_secs_f64(),
        rate(enc_t),
        encoded as f64 / 1e6 / enc_t.as_secs_f64()
    );
    println!(
        "decode: {:.3} s, {:.0} MB/s of logs ({:.0} MB/s of encoded bytes)",
        dec_t.as_secs_f64(),
        rate(dec_t),
        encoded as f64 / 1e6 / dec_t.as_secs_f64()
    );
    println!("merge of the decoded parts and the cross-file rules: {:.3} s", merge_t.as_secs_f64());
}
