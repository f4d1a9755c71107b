//! Speed of the simulation core (`cargo bench`):
//! - HH: one neuron at the default dt (50 µs), J = 10 µA/cm², 20 ms of
//!   simulated time per iteration; throughput in steps, so simulated seconds
//!   per wall second = steps/s × 50e-6.
//! - LIF network: the peers' benchmark network (presets/network-benchmark.toml,
//!   refdata gen/timing/t_brian2_lif.py) at N = 1,000 on one thread and
//!   10,000 on one and two, 0.1 s of simulated time per iteration;
//!   throughput in neuron-updates. Event-exact (the default), and on grid
//!   timing (`_grid`: Brian2's own clock-driven step).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use spikescope::model::AnyModel;
use spikescope::model::hh::{HhMethod, HhNeuron, HhParams};
use spikescope::preset;

fn hh(c: &mut Criterion) {
    let dt_ms = 0.05;
    let steps = 400u64;
    let mut g = c.benchmark_group("hh");
    g.throughput(Throughput::Elements(steps));
    g.bench_function("rk4_default_dt_20ms", |b| {
        let mut n = HhNeuron::new(HhParams::default(), None, HhMethod::Rk4);
        let mut spikes = Vec::with_capacity(64);
        let mut t = 0.0;
        b.iter(|| {
            for _ in 0..steps {
                n.step_ms(t, dt_ms, 10.0, &mut spikes);
                t += dt_ms;
            }
            spikes.clear();
        });
    });
    g.finish();
}

fn network(c: &mut Criterion) {
    let mut g = c.benchmark_group("lif_network");
    g.sample_size(10);
    // Threads: the default (two from 4,096 neurons where there are two
    // cores), and one, the peers' single-thread condition.
    let exact = "";
    let grid = "_grid";
    for (n, threads, timing) in [
        (1_000usize, 1usize, exact),
        (10_000, 1, exact),
        (10_000, 2, exact),
        (1_000, 1, grid),
        (10_000, 1, grid),
        (10_000, 2, grid),
    ] {
        let mut sets = vec![format!("network.random.n={n}")];
        if timing == grid {
            sets.push("network.spike_timing=\"grid\"".to_string());
        }
        let scenario =
            preset::load("network-benchmark", &sets).expect("the benchmark preset loads");
        let steps = 1000u64;
        g.throughput(Throughput::Elements(steps * n as u64));
        g.bench_function(format!("n{n}_100ms_{threads}_thread{timing}"), |b| {
            let (_, mut sim) = scenario.clone().into_simulation();
            if let AnyModel::Network(net) = &mut sim.model {
                net.set_threads(threads)
                    .expect("the default re-solve allows two threads");
            }
            b.iter(|| {
                for _ in 0..steps {
                    sim.step().expect("stable");
                }
            });
        });
    }
    // Steps where the re-solve's rounds and their out-of-order tests
    // (later_inputs.rs, `Step::may_reach_threshold`) are most of the time:
    // long steps, some 400 spikes a step and chains of them inside it; and
    // every neuron sending to every other at some 200 Hz, twenty spikes a
    // step, each moved spike reaching the whole network (1 s simulated
    // took 111 s before the threshold's bound counted the spikes a target
    // may hold rather than every excitatory sender).
    let cases = [
        ("n1000_100ms_1_thread_dt_10ms", vec!["dt=10ms"], 10u64),
        (
            "n1000_10ms_1_thread_all_to_all_tau_m_2ms",
            vec!["network.random.p=1", "network.tau_m=\"2 ms\""],
            100,
        ),
    ];
    for (name, sets, steps) in cases {
        let sets: Vec<String> = sets.into_iter().map(String::from).collect();
        let scenario =
            preset::load("network-benchmark", &sets).expect("the benchmark preset loads");
        g.throughput(Throughput::Elements(steps * 1000));
        g.bench_function(name, |b| {
            let (_, mut sim) = scenario.clone().into_simulation();
            b.iter(|| {
                for _ in 0..steps {
                    sim.step().expect("stable");
                }
            });
        });
    }
    g.finish();
}

criterion_group!(benches, hh, network, render);
criterion_main!(benches);

/// One frame of the oscilloscope at 200x50 with the ring buffers full (the
/// longest history): the bar is 2 ms. rate-relu opens on the activation
/// view, the plot with the most names to place (five functions, each by
/// any of its points).
fn render(c: &mut Criterion) {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use spikescope::ui::app::App;
    use spikescope::ui::theme::Theme;
    use spikescope::ui::traces::PROBE_CAPACITY;
    let mut g = c.benchmark_group("render");
    for name in ["hh-repetitive", "network-abc", "rate-relu"] {
        let mut app = App::new(preset::load(name, &[]).expect("bundled"));
        app.advance(PROBE_CAPACITY as u64 * app.traces.probes.sample_every + 10);
        app.run = spikescope::ui::app::RunState::Paused;
        let mut term = Terminal::new(TestBackend::new(200, 50)).expect("terminal");
        let theme = Theme::default();
        g.bench_function(format!("{name}_200x50_full_history"), |b| {
            b.iter(|| {
                term.draw(|f| spikescope::ui::render::render(f, &app, &theme))
                    .expect("draws");
            });
        });
    }
    g.finish();
}
