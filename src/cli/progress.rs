//! Progress on stderr while files are read: files and bytes done of the total, and the rate.
//!
//! The reading threads only bump two atomic counters; one thread of its own redraws a single
//! line (`\r`) a few times a second. Shown only when stderr is a terminal and `--quiet` is not
//! given, so logs of CI runs and pipes stay clean.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Shared counters: bumped by the readers, drawn by the progress thread.
#[derive(Default)]
pub struct Counters {
    files: AtomicU64,
    bytes: AtomicU64,
    done: AtomicBool,
}

impl Counters {
    pub fn add_bytes(&self, n: u64) {
        self.bytes.fetch_add(n, Ordering::Relaxed);
    }
    pub fn file_done(&self) {
        self.files.fetch_add(1, Ordering::Relaxed);
    }
}

/// The progress line, drawn until [`Progress::stop`].
pub struct Progress {
    counters: Arc<Counters>,
    drawer: Option<std::thread::JoinHandle<()>>,
}

impl Progress {
    /// Start drawing (when `visible`) for `files` files of `bytes` bytes in all.
    pub fn start(visible: bool, files: u64, bytes: u64) -> Progress {
        let counters = Arc::new(Counters::default());
        let drawer = visible.then(|| {
            let c = counters.clone();
            std::thread::spawn(move || draw_until_done(&c, files, bytes))
        });
        Progress { counters, drawer }
    }

    /// Whether progress goes to stderr: a terminal, and not `--quiet`.
    pub fn wanted(quiet: bool) -> bool {
        !quiet && std::io::stderr().is_terminal()
    }

    pub fn counters(&self) -> &Counters {
        &self.counters
    }

    /// Stop drawing and clear the line.
    pub fn stop(mut self) {
        self.counters.done.store(true, Ordering::Relaxed);
        if let Some(d) = self.drawer.take() {
            let _ = d.join();
        }
    }
}

fn draw_until_done(c: &Counters, files: u64, bytes: u64) {
    let start = Instant::now();
    let mut err = std::io::stderr();
    while !c.done.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(150));
        let line = line(c.files.load(Ordering::Relaxed), files, c.bytes.load(Ordering::Relaxed), bytes, start.elapsed());
        let _ = write!(err, "\r{line}\x1b[K");
        let _ = err.flush();
    }
    let _ = write!(err, "\r\x1b[K");
}

/// `reading 120/3100 files  240.0/1228.8 MiB  412 MiB/s`
pub fn line(files_done: u64, files: u64, bytes_done: u64, bytes: u64, elapsed: Duration) -> String {
    format!(
        "reading {files_done}/{files} files  {}/{} MiB  {} MiB/s",
        mib(bytes_done),
        mib(bytes),
        rate(bytes_done, elapsed)
    )
}

fn mib(b: u64) -> String {
    format!("{:.1}", b as f64 / (1u64 << 20) as f64)
}

/// Whole MiB per second; 0 before any time has passed.
pub fn rate(bytes: u64, elapsed: Duration) -> u64 {
    let s = elapsed.as_secs_f64();
    if s > 0.0 { (bytes as f64 / (1u64 << 20) as f64 / s) as u64 } else { 0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_shows_files_bytes_and_rate() {
        // 300 MiB of 600 MiB in 1.5 s: 200 MiB/s.
        let l = line(3, 10, 300 << 20, 600 << 20, Duration::from_millis(1500));
        assert_eq!(l, "reading 3/10 files  300.0/600.0 MiB  200 MiB/s");
        assert_eq!(rate(5, Duration::ZERO), 0);
    }
}
