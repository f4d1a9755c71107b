//! What handing half of a step to the helper thread costs: a fixed amount
//! of work done serially, then split in two halves with `ForkJoin::join`. The
//! difference is the hand-over (the network uses two threads only where a
//! step is long enough to gain, `PARALLEL_NEURONS`).
//!
//! Usage: cargo run --release --example join_latency [WORK]
//! (WORK: loop turns of each half, default 1000, about 1 µs here).

use std::hint::black_box;
use std::time::Instant;

use spikescope::model::network::ForkJoin;

/// A serial chain of `turns` multiply-adds.
fn work(turns: u64) -> u64 {
    let mut acc = 0u64;
    for i in 0..turns {
        acc = black_box(acc.wrapping_mul(31).wrapping_add(i));
    }
    acc
}

fn main() {
    let helper = ForkJoin::start().expect("a second thread");
    let turns: u64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    let rounds = 20_000u32;
    for _ in 0..3 {
        let t = Instant::now();
        for _ in 0..rounds {
            work(2 * turns);
        }
        let serial = t.elapsed() / rounds;
        let t = Instant::now();
        for _ in 0..rounds {
            helper.join(
                || {
                    work(turns);
                },
                || {
                    work(turns);
                },
            );
        }
        let joined = t.elapsed() / rounds;
        println!("one thread {serial:?}, two halves joined {joined:?}");
    }
}
