//! What a load is doing while its files are parsed, shared by both ways of parsing them (here,
//! [`super::load`], or in the pool, [`super::pooled`]): the files, the parts joined so far, the
//! results being kept, and the progress posted to the page.

use super::command::{LoadTimings, Progress};
use super::io::post_progress;
use super::parts::Join;
use super::remember::Writes;
use web_sys::File;

/// Progress is posted at most this often (ms), so the page is not flooded.
const PROGRESS_EVERY_MS: f64 = 100.0;

pub fn now() -> f64 {
    js_sys::Date::now()
}

/// What a load is doing, shared by both ways of parsing.
pub struct Run<'a> {
    pub files: &'a [(String, File)],
    pub sizes: &'a [u64],
    pub join: Join,
    pub writes: Writes,
    pub meter: Meter,
    pub superseded: &'a dyn Fn() -> bool,
    pub timings: LoadTimings,
}

/// `work()`, its time added to `total` (milliseconds).
pub fn timed<T>(total: &mut f64, work: impl FnOnce() -> T) -> T {
    let start = now();
    let out = work();
    *total += now() - start;
    out
}

/// Progress, posted at most every [`PROGRESS_EVERY_MS`].
#[derive(Default)]
pub struct Meter {
    pub files_done: u64,
    pub files_total: u64,
    pub bytes_done: u64,
    pub bytes_total: u64,
    started: f64,
    last_post: f64,
}

impl Meter {
    /// Progress of `files_total` files of `bytes_total` bytes in all, started now.
    pub fn new(files_total: u64, bytes_total: u64) -> Self {
        Meter { files_total, bytes_total, started: now(), ..Meter::default() }
    }

    pub fn post(&mut self, force: bool) {
        let t = now();
        if force || t - self.last_post >= PROGRESS_EVERY_MS {
            self.last_post = t;
            let (files_done, files_total, bytes_done, bytes_total) = (self.files_done, self.files_total, self.bytes_done, self.bytes_total);
            post_progress(&Progress { files_done, files_total, bytes_done, bytes_total, elapsed_ms: t - self.started });
        }
    }
}
