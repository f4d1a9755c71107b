//! A second thread for a network's step: `ForkJoin::join(a, b)` runs `a` on
//! the calling thread and `b` on a helper thread kept for the purpose, and
//! returns when both are done, so `b` may borrow from the caller's stack as
//! with `std::thread::scope`. `ForkJoin::join_phased` does the same for a
//! job in two phases whose sides meet in between (a step's integration,
//! then its delivery), with one hand-over for both.
//!
//! A network step is tens of microseconds, so a thread spawned per step, or
//! woken through the kernel per step, would cost as much as it saves: the
//! helper waits for work by spinning on an atomic for a short while after
//! each job, then sleeps (`thread::park`), so a paused simulation costs
//! nothing. If the helper has not taken `b` by the time `a` is done (its core
//! is busy), the caller takes `b` back and runs it itself. A helper taken
//! off its core in the middle of `b` makes the caller wait, though, for a
//! slice of the scheduler's time: where another process keeps that core
//! busy, the network's steps run alone (`join_phased`'s pace, pace.rs).

use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU8, Ordering};
use std::sync::{Arc, Mutex, TryLockError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use super::idle_work::work_while_waiting;
use super::pace::Pace;

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
/// A phased job's first half is done on the helper (`join_phased`).
const HALF: u8 = 6;

/// Where the caller's first half of a phased job stands, for the helper.
const FIRST_HALF_RUNNING: u8 = 0;
const FIRST_HALF_DONE: u8 = 1;
const FIRST_HALF_PANICKED: u8 = 2;

/// A posted job: `b` of a `join`, type-erased. It lives on the stack of the
/// `join` that posted it, which does not return while the helper may use it.
struct Job {
    run: &'static mut (dyn FnMut() + Send),
    panicked: bool,
}

/// What both threads read and write, spinning on it: alone on its cache
/// lines (two, as a line's neighbour is fetched with it), or the caller's
/// writes to what lay beside it (the pace's, every join) took the line from
/// the spinning helper: at N = 10,000 in grid timing the loop took 1.06 of
/// its time so.
#[repr(align(128))]
struct Shared {
    state: AtomicU8,
    job: AtomicPtr<Job>,
    sleeping: AtomicBool,
    /// The caller's first half of a phased job (`FIRST_HALF_*`).
    first_half: AtomicU8,
}

/// The helper thread; dropped, it is told to stop and joined.
pub struct ForkJoin {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
    /// Whether phased joins use the helper, from their times.
    pace: Mutex<Pace>,
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
            first_half: AtomicU8::new(FIRST_HALF_RUNNING),
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
            pace: Mutex::new(Pace::default()),
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
        if !self.claim() {
            // Another join is using the helper (a clone of the model stepped
            // on another thread): run both here.
            a();
            run_b();
            return;
        }
        // SAFETY: `run_b` outlives the job: see `post`.
        let mut job = unsafe { Job::of(&mut run_b) };
        self.post(&mut job);
        let a_result = panic::catch_unwind(AssertUnwindSafe(a));
        let b_panicked = if self.take_back() {
            panic::catch_unwind(AssertUnwindSafe(&mut *job.run)).is_err()
        } else {
            self.finish(&job)
        };
        if let Err(p) = a_result {
            panic::resume_unwind(p);
        }
        if b_panicked {
            panic!("the helper thread's half of the step panicked");
        }
    }

    /// A join in two phases with one hand-over: `a1` here and `b1` on the
    /// helper; once both are done, `a2` here and `b2` on the helper, each
    /// given its own side's private result of the first phase and both
    /// sides' shared ones. Between the phases each side waits only for the
    /// other's first half, so the step's two halves meet without returning
    /// to the caller (two `join`s hand work over twice, and leave the helper
    /// idle while the caller works alone in between). If the helper has not
    /// taken its side by the time `a1` is done, its side runs here, then
    /// `a2`; the two sides of each phase must not depend on which runs
    /// first. A panic in any part is resumed here once no part runs.
    ///
    /// Whether the helper takes its side at all is the pace's (pace.rs):
    /// where it has made the steps slower than the caller alone (its core
    /// busy with another process), both sides run here, `a1` and `b1` then
    /// `a2` and `b2`.
    pub fn join_phased<SA, PA, SB, PB>(
        &self,
        (a1, a2): (impl FnOnce() -> (SA, PA), impl FnOnce(PA, &SA, &SB)),
        (b1, b2): (
            impl FnOnce() -> (SB, PB) + Send,
            impl FnOnce(PB, &SA, &SB) + Send,
        ),
    ) where
        SA: Send + Sync,
        SB: Send + Sync,
    {
        // Another join holds the pace (a clone of the model stepped on
        // another thread): this one runs alone, untimed.
        let mut pace = match self.pace.try_lock() {
            Ok(pace) => Some(pace),
            Err(TryLockError::Poisoned(pace)) => Some(pace.into_inner()),
            Err(TryLockError::WouldBlock) => None,
        };
        let started = Instant::now();
        let with_helper = pace.as_ref().is_some_and(|p| p.use_helper());
        let taken = if with_helper && self.claim() {
            self.phased_on_helper((a1, a2), (b1, b2))
        } else {
            let ((sa, pa), (sb, pb)) = (a1(), b1());
            a2(pa, &sa, &sb);
            b2(pb, &sa, &sb);
            if with_helper {
                // The helper was held by an outer join: not the way timed.
                return;
            }
            false
        };
        if let Some(pace) = &mut pace {
            pace.record(started.elapsed(), taken);
        }
    }

    /// How many phased joins the helper took part in, of how many.
    pub fn helper_share(&self) -> (u64, u64) {
        match self.pace.lock() {
            Ok(pace) => pace.helper_share(),
            Err(poisoned) => poisoned.into_inner().helper_share(),
        }
    }

    /// `join_phased` with the helper claimed: whether the helper took its
    /// side (not taken back, to run here, as a sleeping helper's first is).
    fn phased_on_helper<SA, PA, SB, PB>(
        &self,
        (a1, a2): (impl FnOnce() -> (SA, PA), impl FnOnce(PA, &SA, &SB)),
        (b1, b2): (
            impl FnOnce() -> (SB, PB) + Send,
            impl FnOnce(PB, &SA, &SB) + Send,
        ),
    ) -> bool
    where
        SA: Send + Sync,
        SB: Send + Sync,
    {
        let s = &*self.shared;
        let (first_a, first_b) = (Slot::empty(), Slot::empty());
        let taken_back = AtomicBool::new(false);
        let mut halves_b = Some((b1, b2));
        let mut run_b = || {
            let Some((b1, b2)) = halves_b.take() else {
                return;
            };
            let (sb, pb) = b1();
            // SAFETY: only this side writes `first_b`, before it says HALF;
            // the caller reads it only after seeing HALF (or DONE).
            unsafe { first_b.fill(sb) };
            if !taken_back.load(Ordering::Relaxed) {
                s.state.store(HALF, Ordering::Release);
                spin_until(|| s.first_half.load(Ordering::Acquire) != FIRST_HALF_RUNNING);
                if s.first_half.load(Ordering::Acquire) == FIRST_HALF_PANICKED {
                    return;
                }
            }
            // SAFETY: both slots are filled and only read from here on.
            let (sa, sb) = unsafe { (first_a.get(), first_b.get()) };
            if let (Some(sa), Some(sb)) = (sa, sb) {
                b2(pb, sa, sb);
            }
        };
        s.first_half.store(FIRST_HALF_RUNNING, Ordering::Relaxed);
        // SAFETY: `run_b`, and the slots it borrows, outlive the job: see
        // `post`.
        let mut job = unsafe { Job::of(&mut run_b) };
        self.post(&mut job);
        let (sa, pa) = match panic::catch_unwind(AssertUnwindSafe(a1)) {
            Ok(first) => first,
            Err(p) => {
                if !self.take_back() {
                    s.first_half.store(FIRST_HALF_PANICKED, Ordering::Release);
                    self.finish(&job);
                }
                panic::resume_unwind(p);
            }
        };
        // SAFETY: only this side writes `first_a`, before it says so; the
        // helper reads it only after that.
        unsafe { first_a.fill(sa) };
        let run_a2 = |pa| {
            // SAFETY: both halves are done: the slots are only read now.
            match unsafe { (first_a.get(), first_b.get()) } {
                (Some(sa), Some(sb)) => panic::catch_unwind(AssertUnwindSafe(|| a2(pa, sa, sb))),
                // The other side's first half panicked: nothing to meet.
                _ => Ok(()),
            }
        };
        let taken = !self.take_back();
        let (a_result, b_panicked) = if !taken {
            taken_back.store(true, Ordering::Relaxed);
            let b_panicked = panic::catch_unwind(AssertUnwindSafe(&mut *job.run)).is_err();
            (run_a2(pa), b_panicked)
        } else {
            s.first_half.store(FIRST_HALF_DONE, Ordering::Release);
            spin_until(|| matches!(s.state.load(Ordering::Acquire), HALF | DONE));
            let a_result = run_a2(pa);
            (a_result, self.finish(&job))
        };
        if let Err(p) = a_result {
            panic::resume_unwind(p);
        }
        if b_panicked {
            panic!("the helper thread's half of the step panicked");
        }
        taken
    }

    /// Claims the helper for a join: false if another join holds it.
    fn claim(&self) -> bool {
        self.shared
            .state
            .compare_exchange(IDLE, CLAIMED, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
    }

    /// Hands `job` to the helper, waking it if it sleeps. The caller must
    /// not return, nor unwind, before it has either taken the job back
    /// (`take_back`) or seen it done (`finish`): the helper uses the job,
    /// and what it borrows, only between taking it and marking it DONE.
    fn post(&self, job: &mut Job) {
        let s = &*self.shared;
        s.job.store(job, Ordering::Release);
        s.state.store(POSTED, Ordering::SeqCst);
        if s.sleeping.load(Ordering::SeqCst)
            && let Some(t) = &self.thread
        {
            t.thread().unpark();
        }
    }

    /// Takes the posted job back if the helper has not taken it: then it
    /// never will, and the caller runs it.
    fn take_back(&self) -> bool {
        let s = &*self.shared;
        let back = s
            .state
            .compare_exchange(POSTED, IDLE, Ordering::AcqRel, Ordering::Acquire)
            .is_ok();
        if back {
            s.job.store(std::ptr::null_mut(), Ordering::Relaxed);
        }
        back
    }

    /// Waits for the helper to finish the job it took, frees the helper,
    /// and returns whether the job panicked.
    fn finish(&self, job: &Job) -> bool {
        let s = &*self.shared;
        spin_until(|| s.state.load(Ordering::Acquire) == DONE);
        s.job.store(std::ptr::null_mut(), Ordering::Relaxed);
        let panicked = job.panicked;
        s.state.store(IDLE, Ordering::Release);
        panicked
    }
}

impl Job {
    /// The job of running `run`, its lifetime erased to be stored.
    ///
    /// # Safety
    /// `run` must outlive every use of the job: `post` says how.
    unsafe fn of(run: &mut (dyn FnMut() + Send)) -> Self {
        // SAFETY: the caller keeps `run` alive; the lifetime is erased only
        // to store the pointer.
        let run: &'static mut (dyn FnMut() + Send) = unsafe { std::mem::transmute(run) };
        Self {
            run,
            panicked: false,
        }
    }
}

/// A phased job's first result on one side, written once by that side
/// and then read by both (`join_phased`).
struct Slot<T>(std::cell::UnsafeCell<Option<T>>);

// SAFETY: a slot is written by one thread before an atomic store (Release)
// that the other loads (Acquire) before reading it; after that both only
// read it. T itself crosses threads and is read from both.
unsafe impl<T: Send + Sync> Sync for Slot<T> {}

impl<T> Slot<T> {
    fn empty() -> Self {
        Self(std::cell::UnsafeCell::new(None))
    }

    /// # Safety
    /// No other access to the slot while it is filled.
    unsafe fn fill(&self, value: T) {
        // SAFETY: by the caller.
        unsafe { *self.0.get() = Some(value) };
    }

    /// # Safety
    /// No write to the slot while the reference lives.
    unsafe fn get(&self) -> Option<&T> {
        // SAFETY: by the caller.
        unsafe { (*self.0.get()).as_ref() }
    }
}

/// Spins until `ready`, yielding the core after a while (the other side
/// descheduled).
fn spin_until(mut ready: impl FnMut() -> bool) {
    let mut spins = 0u32;
    while !ready() {
        if work_while_waiting() {
            continue;
        }
        spins += 1;
        if spins < 1 << 16 {
            std::hint::spin_loop();
        } else {
            thread::yield_now();
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

    /// `join_phased` on halves of an array: each side's first phase sums
    /// its half; each second phase adds both sums to its own half, so
    /// every element ends up with the round's total of both halves.
    fn phased_round(helper: &ForkJoin, data: &mut [u64], slow_first_half: bool) {
        let (lo, hi) = data.split_at_mut(data.len() / 2);
        helper.join_phased(
            (
                || {
                    if slow_first_half {
                        thread::sleep(Duration::from_micros(300));
                    }
                    (lo.iter().sum::<u64>(), lo)
                },
                |lo: &mut [u64], a: &u64, b: &u64| lo.iter_mut().for_each(|x| *x += a + b),
            ),
            (
                || (hi.iter().sum::<u64>(), hi),
                |hi: &mut [u64], a: &u64, b: &u64| hi.iter_mut().for_each(|x| *x += a + b),
            ),
        );
    }

    #[test]
    fn both_phases_of_both_sides_run_and_meet() {
        let helper = ForkJoin::start().expect("a thread");
        let serial = |data: &mut [u64]| {
            let total: u64 = data.iter().sum();
            data.iter_mut().for_each(|x| *x += total);
        };
        let (mut data, mut expected) = (vec![1u64; 64], vec![1u64; 64]);
        data[63] = 5;
        expected[63] = 5;
        for round in 0..2000 {
            // Now and then the helper sleeps before the job (it may be
            // taken back and run here), or the caller's half is slow.
            if round % 500 == 0 {
                thread::sleep(SPIN * 5);
            }
            phased_round(&helper, &mut data, round % 250 == 1);
            serial(&mut expected);
            assert_eq!(data, expected, "round {round}");
            data.iter_mut().for_each(|x| *x %= 1000);
            expected.iter_mut().for_each(|x| *x %= 1000);
        }
    }

    #[test]
    fn a_phased_join_inside_a_join_runs_on_the_caller() {
        let helper = ForkJoin::start().expect("a thread");
        let mut data = vec![3u64; 10];
        helper.join(|| phased_round(&helper, &mut data, false), || {});
        assert_eq!(data, vec![33; 10]);
    }

    #[test]
    fn a_panic_in_any_part_of_a_phased_join_reaches_the_caller() {
        let helper = ForkJoin::start().expect("a thread");
        let phases = |panics_in: usize| {
            let p = |k: usize| {
                if k == panics_in {
                    panic!("in part {k}");
                }
            };
            helper.join_phased(
                (|| (p(0), ()), |(), _: &(), _: &()| p(2)),
                (|| (p(1), ()), |(), _: &(), _: &()| p(3)),
            );
        };
        for panics_in in 0..4 {
            let r = panic::catch_unwind(AssertUnwindSafe(|| phases(panics_in)));
            assert!(r.is_err(), "part {panics_in}");
            // The helper is free again and both phases run.
            let mut data = vec![1u64; 4];
            phased_round(&helper, &mut data, false);
            assert_eq!(data, vec![5; 4], "after part {panics_in}");
        }
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
