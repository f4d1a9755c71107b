//! The LIF network against the reference results in tests/refdata: Brian2's
//! clock-driven runs (spike for spike on the grid, and with filters of every
//! order) and tests/refdata/exact, our own exact event-driven solver, for
//! the filters the peers' files do not cover. The single neurons and the
//! filters: refdata.rs.

mod common;

use common::refdata::json;
use spikescope::model::AnyModel;
use spikescope::model::network::{Connections, LifNetwork, NetworkParams, SpikeTiming};
use spikescope::model::synapse::PscFilter;
use spikescope::sim::Simulation;
use spikescope::sim::probe::SpikeList;

/// A JSON array of numbers.
fn numbers(v: &serde_json::Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

/// The spike times of each neuron of a network file over 1 s,
/// with its filter of order `order`, at step dt, event-exact.
fn network_spike_times(data: &serde_json::Value, order: usize, dt: f64) -> Vec<Vec<f64>> {
    network_spike_times_timed(data, order, dt, SpikeTiming::Exact)
}

fn network_spike_times_timed(
    data: &serde_json::Value,
    order: usize,
    dt: f64,
    spike_timing: SpikeTiming,
) -> Vec<Vec<f64>> {
    let w: Vec<Vec<f64>> = data["W"].as_array().unwrap().iter().map(numbers).collect();
    let params = NetworkParams {
        tau_m_s: data["tau_m"].as_f64().unwrap(),
        tau_ref_s: data["tau_ref"].as_f64().unwrap(),
        filter: PscFilter::new(order, data["tau_s"].as_f64().unwrap()),
        spike_timing,
    };
    let n = w.len();
    let net = LifNetwork::new(
        params,
        (0..n).map(|i| format!("#{i}")).collect(),
        numbers(&data["b"]),
        Connections::from_dense(&w),
        vec![0.0; n],
        dt,
    );
    let mut sim = Simulation::new(AnyModel::Network(net), vec![], dt);
    let mut list = SpikeList::default();
    sim.advance((1.0 / dt).round() as u64, &mut list).unwrap();
    (0..n).map(|i| list.times_of(i)).collect()
}

/// The three-neuron network of `data` (W, b, tau_m, tau_ref, tau_s) run for
/// 1 s at `dt`: asserts every neuron's spike count equals `exact`'s, returns
/// the largest spike-time error.
fn network_worst_error(data: &serde_json::Value, exact: &serde_json::Value, dt: f64) -> f64 {
    let times = network_spike_times(data, 0, dt);
    let mut worst: f64 = 0.0;
    for (i, got) in times.iter().enumerate() {
        let want = numbers(&exact[i]);
        assert_eq!(got.len(), want.len(), "dt = {dt}, neuron {i}: count");
        for (g, w) in got.iter().zip(&want) {
            worst = worst.max((g - w).abs());
        }
    }
    worst
}

/// Filters of order 1 and 2 (no exact solver of ours covers them): the step
/// is event-exact, so the spike times must not depend on dt. The fast-filter
/// network at dt = 0.1, 0.33 and 1 ms against dt = 0.01 ms: counts equal,
/// times within 1e-12 s. Inputs land in the step of a crossing before it
/// there (the in-step re-solve), and crossings follow refractory ends inside
/// steps.
#[test]
fn higher_order_network_spike_times_do_not_depend_on_dt() {
    let data = json("exact/net3_tau_s0.002.json");
    for order in [1, 2] {
        let fine = network_spike_times(&data, order, 1e-5);
        assert!(fine.iter().all(|t| t.len() > 10), "order {order}: {fine:?}");
        for dt in [1e-4, 3.3e-4, 1e-3] {
            let coarse = network_spike_times(&data, order, dt);
            let mut worst: f64 = 0.0;
            for (i, (c, f)) in coarse.iter().zip(&fine).enumerate() {
                assert_eq!(
                    c.len(),
                    f.len(),
                    "order {order}, dt = {dt}, neuron {i}: count"
                );
                for (a, b) in c.iter().zip(f) {
                    worst = worst.max((a - b).abs());
                }
            }
            eprintln!("order {order}, dt = {dt}: worst {worst:e} s");
            assert!(worst < 1e-12, "order {order}, dt = {dt}: worst {worst} s");
        }
    }
}

/// Grid timing is Brian2's clock-driven step: at dt = 0.01 ms it gives
/// Brian2's spike trains of the reference network spike for spike (every
/// spike in the same step, stamped at that step's start), and Brian2's
/// counts at dt = 0.1 ms and 1 µs.
#[test]
fn grid_network_reproduces_brian2_spike_for_spike() {
    let data = json("net/net3_tau_s0.005.json");
    for (key, dt) in [("brian2_dt0.0001", 1e-4), ("brian2_dt1e-06", 1e-6)] {
        let counts: Vec<usize> = network_spike_times_timed(&data, 0, dt, SpikeTiming::Grid)
            .iter()
            .map(Vec::len)
            .collect();
        let want: Vec<usize> = numbers(&data["counts"][key])
            .iter()
            .map(|&c| c as usize)
            .collect();
        assert_eq!(counts, want, "dt = {dt}");
    }
    let brian2 = &data["spikes"]["brian2_dt1e-05"];
    let dt = 1e-5;
    let got = network_spike_times_timed(&data, 0, dt, SpikeTiming::Grid);
    for (i, got) in got.iter().enumerate() {
        let want = numbers(&brian2[i]);
        assert_eq!(got.len(), want.len(), "neuron {i}: count");
        for (k, (g, w)) in got.iter().zip(&want).enumerate() {
            assert!(
                (g - w).abs() < 1e-3 * dt,
                "neuron {i}, spike {k}: {g} s, Brian2 {w} s"
            );
        }
    }
}

/// Filters of order 0, 1 and 2 in a recurrent network (five neurons, loops
/// through excitation and inhibition) against Brian2
/// (net/net5_orders_brian2.json), where no exact solver of ours reaches
/// orders 1 and 2. Grid timing is Brian2's step: at dt = 0.1 ms every spike
/// in Brian2's step, stamped at its start. Exact timing is the limit
/// Brian2's clock-driven step converges to as dt shrinks: the same counts as
/// Brian2 at dt = 1 µs, and Brian2's distance from it first order in dt
/// (it stamps each spike at its step's start and delivers it there, and the
/// lag adds up along a train: measured 1.3e-3 s at 10 µs and 1.4e-4 s at 1
/// µs, for every order). A wrong stage gain or a misplaced input inside a
/// step would leave a distance that does not shrink with Brian2's dt.
#[test]
fn filters_of_every_order_match_brian2_in_a_recurrent_network() {
    let data = json("net/net5_orders_brian2.json");
    // The largest difference of the k-th spikes; with `same_counts`, each
    // neuron's count must agree (at 10 µs Brian2's lag can push a last
    // spike past the second's end).
    let distance = |a: &[Vec<f64>], b: &[Vec<f64>], same_counts: bool, what: &str| -> f64 {
        let mut worst: f64 = 0.0;
        for (i, (a, b)) in a.iter().zip(b).enumerate() {
            if same_counts {
                assert_eq!(a.len(), b.len(), "{what}, neuron {i}: count");
            }
            for (x, y) in a.iter().zip(b) {
                worst = worst.max((x - y).abs());
            }
        }
        worst
    };
    for order in [0, 1, 2] {
        let brian2 = |dt: &str| -> Vec<Vec<f64>> {
            data["spikes"][format!("order{order}_dt{dt}")]
                .as_array()
                .unwrap()
                .iter()
                .map(numbers)
                .collect()
        };
        let grid = network_spike_times_timed(&data, order, 1e-4, SpikeTiming::Grid);
        let worst = distance(
            &grid,
            &brian2("0.0001"),
            true,
            &format!("grid, order {order}"),
        );
        assert!(worst < 1e-12, "grid, order {order}: {worst} s from Brian2");
        let exact = network_spike_times(&data, order, 1e-4);
        let coarse = distance(
            &exact,
            &brian2("1e-05"),
            false,
            &format!("order {order}, 10 µs"),
        );
        let fine = distance(
            &exact,
            &brian2("1e-06"),
            true,
            &format!("order {order}, 1 µs"),
        );
        eprintln!("order {order}: Brian2 at 10 µs {coarse:e} s, at 1 µs {fine:e} s away");
        assert!(
            fine < 2e-4 && fine < coarse / 5.0,
            "order {order}: Brian2 at 10 µs {coarse} s, at 1 µs {fine} s away"
        );
    }
}

#[test]
fn network_spike_times_match_the_exact_event_driven_solution() {
    let data = json("net/net3_tau_s0.005.json");
    let exact = &data["spikes"]["exact_event_driven"];
    for dt in [1e-4, 1e-3 / 3.0, 1e-5] {
        let worst = network_worst_error(&data, exact, dt);
        // The issue asks for 0.1 ms at dt = 0.1 ms (Brian2: 0.4 ms); the
        // event-exact step is within 1e-13 s over the whole second (measured
        // 5e-14 to 9e-14; the reference's own grid check is 5.5e-13).
        assert!(worst < 1e-12, "dt = {dt}: worst spike-time error {worst} s");
    }
}

/// The same network with a fast filter (tau_s = 2 ms) and with tau_s =
/// tau_m (20 ms), against tests/refdata/exact (our own exact solver, 40 digits,
/// independent of this code), at steps from 0.01 to 1 ms: within 1e-12 s
/// (measured 1e-15 to 4e-14). With the fast filter B's inhibitory spike
/// lands in the step in which C crosses, before the crossing: without the
/// in-step re-solve C's spike there was 29 us early at dt = 0.1 ms and up to
/// 0.3 ms at dt = 1 ms.
#[test]
fn network_spike_times_match_an_exact_solver_for_fast_and_equal_filters() {
    let exact_file = |name: &str| json(&format!("exact/{name}"));
    for name in ["net3_tau_s0.002.json", "net3_tau_s0.02.json"] {
        let data = exact_file(name);
        for dt in [1e-5, 1e-4, 3.3e-4, 1e-3] {
            let worst = network_worst_error(&data, &data["spikes"], dt);
            eprintln!("{name}, dt = {dt}: worst spike-time error {worst:e} s");
            assert!(
                worst < 1e-12,
                "{name}, dt = {dt}: worst spike-time error {worst} s"
            );
        }
    }
}
