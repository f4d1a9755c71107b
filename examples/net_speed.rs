//! The peers' LIF network benchmark (presets/network-benchmark.toml) for 1 s
//! of simulated time at N neurons: neuron-updates per second and the mean
//! rate. A plain program to profile; `cargo bench` measures the same loop.
//!
//! Usage: cargo run --release --example net_speed [N] [THREADS] [KEY=VALUE...]
//! (THREADS: 1 or 2; by default 2 where the machine has two cores).

use std::time::Instant;

use spikescope::model::AnyModel;
use spikescope::preset;

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1000);
    let threads: Option<usize> = args.next().and_then(|s| s.parse().ok());
    let mut sets = vec![format!("network.random.n={n}")];
    sets.extend(args);
    let scenario = preset::load("network-benchmark", &sets).expect("loads");
    let (meta, mut sim) = scenario.into_simulation();
    if let (AnyModel::Network(net), Some(t)) = (&mut sim.model, threads) {
        net.set_threads(t)
            .expect("the default re-solve allows two threads");
    }
    let steps = (1.0 / meta.dt_s).round() as u64;
    let started = Instant::now();
    let mut spikes = 0usize;
    for _ in 0..steps {
        spikes += sim.step().expect("stable").len();
    }
    let wall = started.elapsed().as_secs_f64();
    println!(
        "N = {n}: 1 s in {wall:.3} s, {:.3e} neuron-updates/s, mean rate {:.2} Hz",
        (n as u64 * steps) as f64 / wall,
        spikes as f64 / n as f64
    );
}
