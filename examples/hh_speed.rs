//! One HH neuron at the default dt (50 µs), J = 10 µA/cm², for `SECONDS` of
//! simulated time (default 100): prints simulated seconds per wall second.
//! The same loop as `cargo bench` (benches/step.rs), as a plain program to
//! profile (perf record) and to compare with the peers' scripts.
//!
//! Usage: cargo run --release --example hh_speed [SECONDS]

use std::time::Instant;

use spikescope::model::hh::{HhMethod, HhNeuron, HhParams};

fn main() {
    let seconds: f64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(100.0);
    let dt_ms = 0.05;
    let steps = (seconds * 1e3 / dt_ms).round() as u64;
    let mut n = HhNeuron::new(HhParams::default(), None, HhMethod::Rk4);
    let mut spikes = Vec::with_capacity(1 << 16);
    let started = Instant::now();
    for k in 0..steps {
        n.step_ms(k as f64 * dt_ms, dt_ms, 10.0, &mut spikes);
    }
    let wall = started.elapsed().as_secs_f64();
    println!(
        "{seconds} s simulated in {wall:.3} s: {:.1} simulated s per wall s, {:.3e} steps/s, {} spikes",
        seconds / wall,
        steps as f64 / wall,
        spikes.len()
    );
}
