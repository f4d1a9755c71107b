//! Work a thread does while its joins wait for the helper thread
//! (fork_join.rs): where the caller's side of a step is done before the
//! helper's, the caller would spin. A run holding its spikes while the
//! step's two threads take both cores formats them there, a row at a time
//! (csv_thread.rs), rather than all after the loop: at N = 10,000 in exact
//! timing the caller waits some 15 ms of a 215 ms loop, and the spikes took
//! 8 to 11 ms to format at the end on both cores.
//!
//! The core knows nothing of what the work is: a run's driver sets it
//! around each step (`Simulation::advance`, from its monitors).

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::ptr::NonNull;

type Work = NonNull<dyn FnMut() -> bool>;

thread_local! {
    /// The work this thread does while its joins wait (`while_waiting`).
    static WHILE_WAITING: Cell<Option<Work>> = const { Cell::new(None) };
    /// A panic of that work, resumed once `body` is done.
    static PANICKED: RefCell<Option<Box<dyn Any + Send>>> = const { RefCell::new(None) };
}

/// Runs `body` with `work` to do in its joins' waits on this thread: while
/// a join waits for the helper, it calls `work` (which does a small piece
/// each time: the join looks at the helper between calls) until `work` has
/// nothing left or the helper is done. `work` returns whether it did
/// anything. Only this thread's waits call it; a panic in it is resumed
/// here once `body` is done (not in the join, whose helper may still be
/// using the caller's stack).
pub fn while_waiting<R>(work: &mut dyn FnMut() -> bool, body: impl FnOnce() -> R) -> R {
    /// Puts back the work of an outer `while_waiting` as `body` ends,
    /// returning or unwinding (then the body's panic is the one that goes
    /// on, and a panic of the work is dropped).
    struct Restore(Option<Work>);
    impl Drop for Restore {
        fn drop(&mut self) {
            WHILE_WAITING.with(|w| w.set(self.0));
            if std::thread::panicking() {
                PANICKED.with(RefCell::take);
            }
        }
    }
    let work: NonNull<dyn FnMut() -> bool + '_> = NonNull::from(work);
    // SAFETY: only the lifetime is erased. The pointer is used only while
    // `body` runs (`work_while_waiting`), and `Restore` takes it out
    // before this function returns or unwinds, while `work` is still
    // borrowed.
    let work: Work = unsafe { std::mem::transmute(work) };
    let result = {
        let _restore = Restore(WHILE_WAITING.with(|w| w.replace(Some(work))));
        body()
    };
    if let Some(p) = PANICKED.with(RefCell::take) {
        panic::resume_unwind(p);
    }
    result
}

/// One call of this thread's work while waiting, if it has some: whether
/// it did anything. The work is taken out while it runs, so that a join
/// inside it does not call it again; a panic leaves it out, and is kept
/// for `while_waiting` to resume.
pub(super) fn work_while_waiting() -> bool {
    let Some(mut work) = WHILE_WAITING.with(Cell::take) else {
        return false;
    };
    // SAFETY: set by `while_waiting`, whose `work` is borrowed while it is
    // set; taken out, no other call reaches it meanwhile.
    match panic::catch_unwind(AssertUnwindSafe(|| unsafe { work.as_mut()() })) {
        Ok(did) => {
            WHILE_WAITING.with(|w| w.set(Some(work)));
            did
        }
        Err(p) => {
            PANICKED.with(|slot| *slot.borrow_mut() = Some(p));
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fork_join::ForkJoin;
    use super::*;
    use std::thread;
    use std::time::Duration;

    /// The work runs in a join's waits for the helper's side, on the
    /// caller's thread only.
    #[test]
    fn the_callers_waits_do_its_work_while_waiting() {
        let helper = ForkJoin::start().expect("a thread");
        let caller = thread::current().id();
        for _ in 0..50 {
            let (mut calls, mut on) = (0u32, Vec::new());
            let mut work = || {
                calls += 1;
                on.push(thread::current().id());
                true
            };
            let mut b_on = None;
            while_waiting(&mut work, || {
                helper.join_phased(
                    // Time for a sleeping helper to wake and take its side.
                    (
                        || (thread::sleep(Duration::from_millis(1)), ()),
                        |(), _: &(), _: &()| {},
                    ),
                    (
                        || {
                            b_on = Some(thread::current().id());
                            thread::sleep(Duration::from_millis(3));
                            ((), ())
                        },
                        |(), _: &(), _: &()| {},
                    ),
                )
            });
            assert!(on.iter().all(|&t| t == caller));
            if b_on != Some(caller) {
                // The helper took its side: the caller waited, working.
                assert!(calls > 0);
                return;
            }
        }
        panic!("the helper never took its side in 50 joins");
    }

    #[test]
    fn the_work_is_there_only_while_the_body_runs() {
        let mut calls = 0;
        let mut work = || {
            calls += 1;
            calls < 3
        };
        assert!(!work_while_waiting());
        let seen = while_waiting(&mut work, || {
            (0..5).map(|_| work_while_waiting()).collect::<Vec<_>>()
        });
        assert_eq!(seen, [true, true, false, false, false]);
        assert_eq!(calls, 5);
        assert!(!work_while_waiting());
    }

    #[test]
    fn an_inner_body_has_its_own_work_and_the_outer_comes_back() {
        let (mut outer, mut inner) = (0, 0);
        let mut outer_work = || {
            outer += 1;
            true
        };
        while_waiting(&mut outer_work, || {
            let mut inner_work = || {
                inner += 1;
                true
            };
            while_waiting(&mut inner_work, work_while_waiting);
            work_while_waiting();
        });
        assert_eq!((outer, inner), (1, 1));
    }

    #[test]
    fn another_thread_does_not_see_the_work() {
        let mut work = || true;
        let elsewhere = while_waiting(&mut work, || {
            std::thread::scope(|s| s.spawn(work_while_waiting).join().unwrap())
        });
        assert!(!elsewhere);
    }

    #[test]
    fn a_panic_in_the_work_ends_it_and_reaches_the_caller_after_the_body() {
        let mut body_finished = false;
        let r = panic::catch_unwind(AssertUnwindSafe(|| {
            let mut work = || -> bool { panic!("in the work") };
            while_waiting(&mut work, || {
                assert!(!work_while_waiting());
                // Taken out: not called again.
                assert!(!work_while_waiting());
                body_finished = true;
            });
        }));
        assert!(r.is_err());
        assert!(body_finished);
        assert!(!work_while_waiting());
        // Nothing is left over for the next body.
        let mut quiet = || false;
        while_waiting(&mut quiet, || {});
    }

    #[test]
    fn a_panic_in_the_body_goes_on_rather_than_one_in_the_work() {
        let r = panic::catch_unwind(AssertUnwindSafe(|| {
            let mut work = || -> bool { panic!("in the work") };
            while_waiting(&mut work, || {
                work_while_waiting();
                panic!("in the body")
            })
        }));
        let message = r.unwrap_err().downcast::<&str>().unwrap();
        assert_eq!(*message, "in the body");
        assert!(PANICKED.with(|p| p.borrow().is_none()));
    }

    #[test]
    fn a_panic_in_the_body_takes_the_work_out() {
        let mut work = || true;
        let r = panic::catch_unwind(AssertUnwindSafe(|| {
            while_waiting(&mut work, || panic!("in the body"))
        }));
        assert!(r.is_err());
        assert!(!work_while_waiting());
    }
}
