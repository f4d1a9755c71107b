//! A second thread for a network's step: `ForkJoin::join(a, b)` runs `a` on
//! the calling thread and `b` on a helper thread kept for the purpose, and
//! returns when both are done, so `b` may borrow from the caller's stack as
//! with `std::thread::scope`.
//!
//! A network step is tens of microseconds, so a thread spawned per step, or
//! woken through the kernel per step, would cost as much as it saves: the
//! helper waits for work by spinning on an atomic for a short while after
//! each job, then sleeps (`thread::park`), so a paused simulation costs
//! nothing. If the helper has not taken `b` by the time `a` is done (its core
//! is busy), the caller takes `b` back and runs it itself: a busy machine
//! gets the serial speed, never a wait on a descheduled thread.

use std::panic::{self, AssertUnwindSafe};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU8, Ordering};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// How long the helper spins for the next job before it sleeps: longer than
/// the gap between two steps, far shorter than a frame of the oscilloscope.
const SPIN: Duration = Duration::from_micros(200);

const IDLE: u8 = 0;
/// A `join` holds the helper and is writing its job.
const CLAIMED: u8 = 5;
const POSTED: u8 = 1;
const TAKEN: u8 = 2;
const DONE: u8 = 3;
const EXIT: u8 = 4;

/// A posted job: `b` of a `join`, type-erased. It lives on the stack of the
/// `join` that posted it, which does not return while the helper may use it.
struct Job {
    run: &'static mut (dyn FnMut() + Send),
    panicked: bool,
}

struct Shared {
    state: AtomicU8,
    job: AtomicPtr<Job>,
    sleeping: AtomicBool,
}

/// The helper thread; dropped, it is told to stop and joined.
pub struct ForkJoin {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for ForkJoin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ForkJoin")
    }
}

impl ForkJoin {
    /// Starts the helper thread; None if the system cannot start one.
    pub fn start() -> Option<Self> {
        let shared = Arc::new(Shared {
            state: AtomicU8::new(IDLE),
            job: AtomicPtr::new(std::ptr::null_mut()),
            sleeping: AtomicBool::new(false),
        });
        let theirs = Arc::clone(&shared);
        let (ready, started) = std::sync::mpsc::channel();
        let thread = thread::Builder::new()
            .name("spikescope-helper".into())
            .spawn(move || {
                let _ = ready.send(());
                work(&theirs)
            })
            .ok()?;
        // The thread has set itself up (and made its allocations) before
        // the first step is handed to it.
        started.recv().ok()?;
        Some(Self {
            shared,
            thread: Some(thread),
        })
    }

    /// Runs `a` here and `b` on the helper (or here, after `a`, if the
    /// helper is not free to take it), and returns when both have run. A
    /// panic in either is resumed here once neither runs any more.
    pub fn join<A: FnOnce(), B: FnOnce() + Send>(&self, a: A, b: B) {
        let mut b = Some(b);
        let mut run_b = || {
            if let Some(b) = b.take() {
                b();
            }
        };
        let s = &*self.shared;
        if s.state
            .compare_exchange(IDLE, CLAIMED, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            // Another join is using the helper (a clone of the model stepped
            // on another thread): run both here.
            a();
            run_b();
            return;
        }
        let erased: &mut (dyn FnMut() + Send) = &mut run_b;
        // SAFETY: the helper uses `job` (and so `run_b` and what `b`
        // borrows) only between taking it (POSTED -> TAKEN) and marking it
        // DONE; this function does not return, nor unwind, before it has
        // either taken the job back (POSTED -> IDLE) or seen DONE, so the
        // borrow outlives every use. The lifetime is erased only to store
        // the pointer.
        let run: &'static mut (dyn FnMut() + Send) = unsafe { std::mem::transmute(erased) };
        let mut job = Job {
            run,
            panicked: false,
        };
        s.job.store(&mut job, Ordering::Release);
        s.state.store(POSTED, Ordering::SeqCst);
        if s.sleeping.load(Ordering::SeqCst)
            && let Some(t) = &self.thread
        {
            t.thread().unpark();
        }
        let a_result = panic::catch_unwind(AssertUnwindSafe(a));
        let b_panicked = if s
            .state
            .compare_exchange(POSTED, IDLE, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
        {
            s.job.store(std::ptr::null_mut(), Ordering::Relaxed);
            // Taken back: the helper never saw it.
            panic::catch_unwind(AssertUnwindSafe(&mut *job.run)).is_err()
        } else {
            let mut spins = 0u32;
            while s.state.load(Ordering::Acquire) != DONE {
                spins += 1;
                if spins < 1 << 16 {
                    std::hint::spin_loop();
                } else {
                    thread::yield_now();
                }
            }
            s.job.store(std::ptr::null_mut(), Ordering::Relaxed);
            let panicked = job.panicked;
            s.state.store(IDLE, Ordering::Release);
            panicked
        };
        if let Err(p) = a_result {
            panic::resume_unwind(p);
        }
        if b_panicked {
            panic!("the helper thread's half of the step panicked");
        }
    }
}

impl Drop for ForkJoin {
    fn drop(&mut self) {
        self.shared.state.store(EXIT, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            t.thread().unpark();
            let _ = t.join();
        }
    }
}

/// The helper's loop: take a posted job and run it, spin a while for the
/// next, then sleep until woken.
fn work(s: &Shared) {
    let mut idle_since = Instant::now();
    let mut spins = 0u32;
    loop {
        match s.state.load(Ordering::Acquire) {
            EXIT => return,
            POSTED => {
                if s.state
                    .compare_exchange(POSTED, TAKEN, Ordering::AcqRel, Ordering::Acquire)
                    .is_ok()
                {
                    let job = s.job.load(Ordering::Acquire);
                    // SAFETY: taken from POSTED, the job stays alive and
                    // unused by the poster until DONE (see `join`).
                    let job = unsafe { &mut *job };
                    job.panicked = panic::catch_unwind(AssertUnwindSafe(&mut *job.run)).is_err();
                    s.state.store(DONE, Ordering::Release);
                    idle_since = Instant::now();
                }
            }
            // The clock is read once in 64 turns: it costs more than a turn.
            _ if {
                spins = spins.wrapping_add(1);
                !spins.is_multiple_of(64) || idle_since.elapsed() < SPIN
            } =>
            {
                std::hint::spin_loop()
            }
            _ => {
                s.sleeping.store(true, Ordering::SeqCst);
                // Checked again after saying so: a job posted in between is
                // seen here, or its poster sees `sleeping` and unparks.
                if !matches!(s.state.load(Ordering::SeqCst), POSTED | EXIT) {
                    thread::park();
                }
                s.sleeping.store(false, Ordering::SeqCst);
                idle_since = Instant::now();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_halves_run_and_may_borrow() {
        let helper = ForkJoin::start().expect("a thread");
        let mut data = vec![0u64; 1000];
        for round in 0..2000u64 {
            let (lo, hi) = data.split_at_mut(500);
            helper.join(
                || lo.iter_mut().for_each(|x| *x += round),
                || hi.iter_mut().for_each(|x| *x += 2 * round),
            );
        }
        let total: u64 = (0..2000).sum();
        assert!(data[..500].iter().all(|&x| x == total));
        assert!(data[500..].iter().all(|&x| x == 2 * total));
    }

    #[test]
    fn a_sleeping_helper_is_woken() {
        let helper = ForkJoin::start().expect("a thread");
        thread::sleep(SPIN * 5);
        let mut b_ran = false;
        helper.join(|| {}, || b_ran = true);
        assert!(b_ran);
    }

    #[test]
    fn a_panic_in_either_half_reaches_the_caller_and_the_helper_survives() {
        let helper = ForkJoin::start().expect("a thread");
        let r = panic::catch_unwind(AssertUnwindSafe(|| helper.join(|| {}, || panic!("in b"))));
        assert!(r.is_err());
        let r = panic::catch_unwind(AssertUnwindSafe(|| helper.join(|| panic!("in a"), || {})));
        assert!(r.is_err());
        let mut b_ran = false;
        helper.join(|| {}, || b_ran = true);
        assert!(b_ran);
    }
}
