//! Stopping a long model build from another thread.
//!
//! The oscilloscope builds a preset it opens on a thread of its own, and Esc
//! stops waiting for it (src/ui/loading.rs). Drawing the connections of a
//! large random network takes seconds and gigabytes (N = 100,000 at
//! p = 0.02: 2e8 synapses), so a build nobody waits for should end, and give
//! its memory back, rather than run on unseen. The flag reaches the build
//! through the thread that runs it, not through every function between the
//! oscilloscope and the network's recipe (the preset's validation builds
//! the model): `stoppable` sets it for the build it runs, and the loops
//! that take long ask `StopFlag::current()`. A build run any other way (a
//! headless `run`, a test) has no flag and is never stopped.

use std::cell::RefCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

thread_local! {
    /// The flag of the build this thread runs, if it runs one that may be
    /// stopped.
    static CURRENT: RefCell<Option<Arc<AtomicBool>>> = const { RefCell::new(None) };
}

/// Runs `build` on this thread with `flag` as its stop: once another
/// thread sets the flag, the long loops of the build end early and it
/// returns an error (`Stopped`, said by the caller's own error type).
pub fn stoppable<T>(flag: Arc<AtomicBool>, build: impl FnOnce() -> T) -> T {
    CURRENT.with(|c| *c.borrow_mut() = Some(flag));
    // Taken back whatever `build` returns; a panic ends the thread, and
    // its thread-locals with it.
    let built = build();
    CURRENT.with(|c| *c.borrow_mut() = None);
    built
}

/// The stop of the build running on this thread, read once before a long
/// loop: asking it then costs one atomic load.
pub(crate) struct StopFlag(Option<Arc<AtomicBool>>);

impl StopFlag {
    pub(crate) fn current() -> Self {
        Self(CURRENT.with(|c| c.borrow().clone()))
    }

    /// Whether the build has been asked to stop.
    #[inline]
    pub(crate) fn requested(&self) -> bool {
        self.0.as_ref().is_some_and(|f| f.load(Ordering::Relaxed))
    }
}

/// A build that ended early because it was asked to (`stoppable`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stopped;

impl std::fmt::Display for Stopped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the build was stopped before it ended")
    }
}

impl std::error::Error for Stopped {}

#[cfg(test)]
mod tests {
    use super::*;

    /// The flag is seen inside `stoppable` only, and only on its thread.
    #[test]
    fn a_flag_reaches_its_own_build_only() {
        assert!(!StopFlag::current().requested());
        let flag = Arc::new(AtomicBool::new(true));
        let inside = stoppable(flag.clone(), || {
            let other = std::thread::spawn(|| StopFlag::current().requested());
            (StopFlag::current().requested(), other.join().unwrap())
        });
        assert_eq!(inside, (true, false));
        assert!(!StopFlag::current().requested());
        let unset = stoppable(Arc::new(AtomicBool::new(false)), || {
            StopFlag::current().requested()
        });
        assert!(!unset);
    }
}
