//! Regression guard of the simulation's step that does not depend on
//! wall-clock time: in steady running a step allocates nothing (every buffer
//! is sized when the simulation is made), on one thread or two. A program of
//! its own (`harness = false`), so that the count is the simulation's: under
//! libtest the harness's main thread, delayed on a loaded machine, made 4
//! allocations inside the counted steps in about one run in ten while
//! another test run loaded the machine.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use spikescope::model::AnyModel;
use spikescope::preset;

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is passed on to the system allocator unchanged.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn main() {
    steady_steps_allocate_nothing();
    println!("steady steps allocate nothing: ok");
}

fn steady_steps_allocate_nothing() {
    for (preset_name, sets, threads) in [
        ("hh-repetitive", vec![], 1),
        ("network-abc", vec![], 1),
        (
            "network-benchmark",
            vec!["network.random.n=4096".to_string()],
            1,
        ),
        (
            "network-benchmark",
            vec!["network.random.n=4096".to_string()],
            2,
        ),
        (
            "network-benchmark",
            vec![
                "network.random.n=4096".to_string(),
                "network.spike_timing=grid".to_string(),
            ],
            2,
        ),
    ] {
        let (_, mut sim) = preset::load(preset_name, &sets)
            .expect("bundled")
            .into_simulation();
        if let AnyModel::Network(net) = &mut sim.model {
            net.set_threads(threads)
                .expect("the default re-solve allows two threads");
        }
        // The first step may start the helper thread.
        for _ in 0..10 {
            sim.step().expect("stable");
        }
        let before = ALLOCATIONS.load(Ordering::Relaxed);
        let mut spikes = 0;
        for _ in 0..2000 {
            spikes += sim.step().expect("stable").len();
        }
        let allocations = ALLOCATIONS.load(Ordering::Relaxed) - before;
        assert!(spikes >= 5, "{preset_name}: {spikes} spikes");
        assert_eq!(allocations, 0, "{preset_name} on {threads} thread(s)");
    }
}
