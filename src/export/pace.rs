//! What a build in steps pauses on ([`super::paced`]; the archive pauses inside a long entry,
//! [`super::bundle::Bundle::add_paced`]), and how a build that never pauses runs natively.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

/// Where a build may stop.
pub trait Pace {
    /// Called between two pieces of work with the entries finished so far (of [`super::paced::ENTRIES`]);
    /// resolves to `false` to abandon the build.
    fn pause(&mut self, done: usize) -> impl Future<Output = bool>;
}

/// Never pauses and never stops.
pub struct Straight;

impl Pace for Straight {
    fn pause(&mut self, _done: usize) -> impl Future<Output = bool> {
        std::future::ready(true)
    }
}

/// Drive a future whose every await is ready (built with [`Straight`]) to its end, here.
pub fn run_now<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        // With `Straight` the first poll is the last: nothing here ever waits.
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
    }
}

