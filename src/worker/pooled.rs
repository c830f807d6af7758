//! A load's new files parsed by the pool ([`super::pool`]), largest first, their parts joined in
//! file order as they come back, and kept on this device as the very bytes the workers sent.

use super::run::Run;
use super::pool::{self, Outcome};
use super::store::key;
use crate::ingest::{Ingest, Part, codec};

/// `Ok(false)`: the load was cancelled or superseded; `Err`: no parse worker could be started.
pub async fn parse(run: &mut Run<'_>, fresh: &[usize]) -> Result<bool, String> {
    let mut order = fresh.to_vec();
    // Largest first: the biggest file, started last, would keep one worker busy while the others
    // wait. Ties in name order, so a load is planned the same way each time.
    order.sort_by(|&a, &b| run.sizes[b].cmp(&run.sizes[a]).then(a.cmp(&b)));
    let (files, sizes) = (run.files, run.sizes);
    let mut stopped = false;
    // Bytes of each file counted while it was parsed; the rest is counted when it ends.
    let mut counted = vec![0u64; files.len()];
    pool::run(files, &order, |file, outcome| {
        let (name, handle) = &files[file];
        let part = match outcome {
            Outcome::Read(bytes) => {
                counted[file] += bytes;
                run.meter.bytes_done += bytes;
                run.meter.post(false);
                return;
            }
            Outcome::Parsed(bytes) => match codec::decode(&key(name, handle), &bytes) {
                Some(part) => {
                    run.writes.keep_encoded(name, &part, bytes);
                    part
                }
                // Cannot happen with one build on both ends; said plainly if it does.
                None => failed(name, sizes[file], "its result did not decode"),
            },
            Outcome::Died(why) => failed(name, sizes[file], &format!("the parse worker stopped on it ({why})")),
            Outcome::Stopped => {
                stopped = true;
                return;
            }
        };
        run.join.put(file, part);
        run.meter.files_done += 1;
        run.meter.bytes_done += sizes[file].saturating_sub(counted[file]);
        run.meter.post(false);
    })
    .await?;
    Ok(!stopped && !(run.superseded)())
}

/// The part of a file that could not be parsed: listed, with why, and nothing read.
fn failed(name: &str, size: u64, why: &str) -> Part {
    let mut one = Ingest::new();
    let id = one.begin_file(name.to_string(), size);
    one.abandon_file(id, why);
    one.into_part()
}
