//! The core against the reference results of NEURON, Brian2 and Nengo in
//! tests/refdata (its README says which simulator made each file and how),
//! and the network against tests/refdata/exact (our own exact event-driven
//! solver, for the filters the peers' files do not cover).

use std::path::PathBuf;

use spikescope::model::AnyModel;
use spikescope::model::hh::{Gate, HhMethod, HhNeuron, HhParams};
use spikescope::model::lif::{LifNeuron, LifParams};
use spikescope::model::network::{Connections, LifNetwork, NetworkParams, SpikeTiming};
use spikescope::model::synapse::{FilterState, PscFilter};
use spikescope::sim::Simulation;
use spikescope::sim::probe::SpikeList;
use spikescope::sim::stimulus::{Stimulus, TargetedStimulus};

fn refdata(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/refdata")
        .join(path)
}

fn json(path: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(refdata(path)).expect("refdata file");
    serde_json::from_str(&text).expect("valid JSON")
}

/// Rows of a CSV as (header, rows of raw strings).
fn csv_rows(path: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(refdata(path)).expect("refdata CSV");
    let header = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

/// Half a unit in the last printed significant digit of `text`: the
/// precision the reference file carries (it prints 9 significant digits).
fn printed_precision(text: &str) -> f64 {
    let x: f64 = text.parse().unwrap();
    if x == 0.0 {
        return 0.0;
    }
    let mantissa = text
        .trim_start_matches('-')
        .split(['e', 'E'])
        .next()
        .unwrap();
    let digits = mantissa
        .chars()
        .filter(|c| c.is_ascii_digit())
        .collect::<String>();
    let significant = digits.trim_start_matches('0').len().max(1) as i32;
    let magnitude = x.abs().log10().floor() as i32;
    0.5 * 10f64.powi(magnitude - significant + 1)
}

fn col(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("column {name}"))
}

// ---------------------------------------------------------------- HH

#[test]
fn hh_resting_potential_and_gates_at_rest() {
    let rest = json("hh/rest.json");
    let want = rest["V_rest_mV_root"].as_f64().unwrap();
    let p = HhParams::default();
    let v = p.resting_potential(0.0).unwrap();
    assert!((v - want).abs() < 0.01, "V_rest {v} vs {want}");
    // Our root is exact to rounding; NEURON's is the same root.
    assert!((v - want).abs() < 1e-8, "V_rest {v} vs {want}");
    let s = p.rest_state();
    for (name, x) in [("m", s.m), ("h", s.h), ("n", s.n)] {
        let w = rest["gates_at_rest"][name].as_f64().unwrap();
        assert!((x - w).abs() < 1e-9 * w, "{name} at rest {x} vs {w}");
    }
}

#[test]
fn hh_gate_functions_match_the_table() {
    let (header, rows) = csv_rows("hh/gates.csv");
    assert_eq!(rows.len(), 151);
    for row in &rows {
        let v: f64 = row[0].parse().unwrap();
        let mut checks = Vec::new();
        for (g, name) in [(Gate::M, "m"), (Gate::H, "h"), (Gate::N, "n")] {
            let (a, b) = g.alpha_beta(v);
            checks.push((format!("{name}_inf"), g.x_inf(v)));
            checks.push((format!("tau_{name}_ms"), g.tau_ms(v, 6.3)));
            checks.push((format!("alpha_{name}"), a));
            checks.push((format!("beta_{name}"), b));
        }
        for (name, ours) in checks {
            let text = &row[col(&header, &name)];
            let want: f64 = text.parse().unwrap();
            let tol = 1e-9 * want.abs() + printed_precision(text);
            assert!(
                (ours - want).abs() <= tol,
                "{name}({v}) = {ours}, table {want}"
            );
        }
    }
    // The notes' example and the README's check values.
    assert!((Gate::M.x_inf(-40.0) - 0.50065).abs() < 5e-6);
    assert!((Gate::H.x_inf(-40.0) - 0.05044).abs() < 5e-6);
}

fn hh_spikes(j: f64, dt_ms: f64, t_stop_ms: f64) -> Vec<f64> {
    let mut n = HhNeuron::new(HhParams::default(), None, HhMethod::Rk4);
    let mut spikes = Vec::new();
    let steps = (t_stop_ms / dt_ms).round() as u64;
    for k in 0..steps {
        n.step_ms(k as f64 * dt_ms, dt_ms, j, &mut spikes);
    }
    spikes.iter().map(|s| s.time_s * 1e3).collect()
}

#[test]
fn hh_spike_times_match_neuron_cvode_at_the_default_dt() {
    let data = json("hh/spikes_neuron.json");
    let dt = HhMethod::Rk4.default_dt_ms(&HhParams::default());
    assert_eq!(dt, 0.05);
    let mut worst: f64 = 0.0;
    for (j, run) in data["runs"].as_object().unwrap() {
        let want: Vec<f64> = run["neuron_cvode_atol1e-10"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect();
        let got = hh_spikes(j.parse().unwrap(), dt, 200.0);
        assert_eq!(got.len(), want.len(), "J = {j}: spike count");
        for (g, w) in got.iter().zip(&want) {
            assert!(
                (g - w).abs() < 0.05,
                "J = {j}: spike at {g} ms, CVODE {w} ms"
            );
            worst = worst.max((g - w).abs());
        }
    }
    // The measured figure the README quotes (2.5e-4 ms): far inside 0.05 ms.
    assert!(worst < 5e-4, "worst spike-time error {worst} ms");
}

/// At J = 63 µA/cm² the neuron fires a few spikes, then oscillates with
/// peaks just under 0 mV; the fifth peak reaches about +0.02 mV and rises
/// and falls within one 50 µs step, so neither end of the step is above 0.
/// It is a spike (NEURON's CVODE counts 5): found as the interior maximum
/// of the step's cubic Hermite interpolant, at the time a 1 µs step puts it.
#[test]
fn a_peak_inside_one_step_is_a_spike() {
    let fine = hh_spikes(63.0, 0.001, 1000.0);
    assert_eq!(fine.len(), 5, "{fine:?}");
    for dt in [0.05, 0.025, 0.01] {
        let got = hh_spikes(63.0, dt, 1000.0);
        assert_eq!(got.len(), 5, "dt {dt} ms: {got:?}");
        for (g, f) in got.iter().zip(&fine) {
            assert!(
                (g - f).abs() < 1e-3,
                "dt {dt} ms: spike at {g} ms, 1 µs step {f} ms"
            );
        }
    }
    // The step that holds the fifth peak starts and ends below 0 mV.
    let dt = 0.05;
    let mut n = HhNeuron::new(HhParams::default(), None, HhMethod::Rk4);
    let k = (fine[4] / dt).floor() as u64;
    for step in 0..k {
        n.step_ms(step as f64 * dt, dt, 63.0, &mut Vec::new());
    }
    let v0 = n.state.v_mv;
    let mut spikes = Vec::new();
    n.step_ms(k as f64 * dt, dt, 63.0, &mut spikes);
    assert!(v0 < 0.0 && n.state.v_mv < 0.0, "{v0} {}", n.state.v_mv);
    assert_eq!(spikes.len(), 1);
}

#[test]
fn hh_traces_follow_cvode() {
    for j in ["0", "5", "7", "10", "20", "50"] {
        let (_, rows) = csv_rows(&format!("hh/traces/hh_J{j}.csv"));
        let dt = 0.025;
        let mut n = HhNeuron::new(HhParams::default(), None, HhMethod::Rk4);
        let mut spikes = Vec::new();
        let mut k = 0u64;
        let mut worst: f64 = 0.0;
        for row in &rows {
            let t: f64 = row[0].parse().unwrap();
            while (k as f64) * dt < t - 1e-9 {
                n.step_ms(k as f64 * dt, dt, j.parse().unwrap(), &mut spikes);
                k += 1;
            }
            let v: f64 = row[1].parse().unwrap();
            worst = worst.max((n.state.v_mv - v).abs());
            for (x, w) in [
                (n.state.m, &row[2]),
                (n.state.h, &row[3]),
                (n.state.n, &row[4]),
            ] {
                let w: f64 = w.parse().unwrap();
                assert!((x - w).abs() < 2e-3, "J = {j}, t = {t}: gate {x} vs {w}");
            }
        }
        // V is printed to 1e-6 mV; the largest gap sits on the upstroke,
        // where V changes by hundreds of mV per ms.
        assert!(worst < 0.2, "J = {j}: V differs by up to {worst} mV");
    }
}

#[test]
fn hh_integrator_is_fourth_order() {
    // Halving dt cuts the spike-time error about 16x (against a fine run).
    let fine = hh_spikes(10.0, 0.0025, 60.0);
    let err = |dt: f64| {
        hh_spikes(10.0, dt, 60.0)
            .iter()
            .zip(&fine)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max)
    };
    let (e1, e2) = (err(0.04), err(0.02));
    assert!(e1 / e2 > 8.0, "error ratio {} (errors {e1}, {e2})", e1 / e2);
}

// ---------------------------------------------------------------- LIF

fn lif_run(v_in: f64, dt: f64, t_stop: f64) -> Vec<f64> {
    let p = LifParams::default();
    let model = AnyModel::Lif(LifNeuron::new(p, 0.0, dt));
    let stim = TargetedStimulus {
        stimulus: Stimulus::constant(v_in),
        neurons: None,
    };
    let mut sim = Simulation::new(model, vec![stim], dt);
    let mut list = SpikeList::default();
    sim.advance((t_stop / dt).round() as u64, &mut list)
        .unwrap();
    list.times_of(0)
}

#[test]
fn lif_rates_equal_g_at_any_dt() {
    let (header, rows) = csv_rows("lif/lif_rates.csv");
    let p = LifParams::default();
    for row in &rows {
        let v_in: f64 = row[0].parse().unwrap();
        let g_ref: f64 = row[col(&header, "G_analytic_Hz")].parse().unwrap();
        let g = p.firing_rate(v_in);
        assert!((g - g_ref).abs() <= 1e-9 * g_ref + printed_precision(&row[1]));
        let exact: usize = row[col(&header, "exact_count_1s_from_v0")].parse().unwrap();
        for (dt, nengo_col) in [
            (1e-3, "nengo_sim_count_1s_dt1ms"),
            (1e-4, "nengo_sim_count_1s_dt0.1ms"),
        ] {
            let times = lif_run(v_in, dt, 1.0);
            assert_eq!(times.len(), exact, "v_in = {v_in}, dt = {dt}: count");
            let nengo: usize = row[col(&header, nengo_col)].parse().unwrap();
            assert_eq!(
                times.len(),
                nengo,
                "v_in = {v_in}, dt = {dt}: Nengo's count"
            );
            if times.len() >= 2 {
                // The measured rate, 1 / ISI, equals G to 1e-9.
                let isi = times[times.len() - 1] - times[times.len() - 2];
                assert!(
                    (1.0 / isi - g).abs() <= 1e-9 * g,
                    "v_in = {v_in}, dt = {dt}: 1/ISI {} vs G {g}",
                    1.0 / isi
                );
                let t1 = p.time_to_threshold_s(v_in).unwrap();
                assert!((times[0] - t1).abs() <= 1e-12, "first spike at t*");
            }
        }
    }
}

// ---------------------------------------------------------------- synapses

const FILTERS: [(&str, usize, f64); 4] = [
    ("lowpass_0.005", 0, 0.005),
    ("lowpass_0.1", 0, 0.1),
    ("alpha_0.005", 1, 0.005),
    ("alpha_0.1", 1, 0.1),
];

/// Orders 2 and 3: Nengo's `LinearFilter` with h's transfer function
/// 1/(tau_s s + 1)^(n+1) (synapse/higher_orders.py).
const HIGHER_FILTERS: [(&str, usize, f64); 4] = [
    ("order2_0.005", 2, 0.005),
    ("order2_0.05", 2, 0.05),
    ("order3_0.005", 3, 0.005),
    ("order3_0.05", 3, 0.05),
];

/// Runs each filter over the reference input (a list of step indices holding
/// one spike each) and compares the outputs at every sample with the exact
/// `_cont` columns and, through the bin average, Nengo's ZOH output.
fn check_filtered(path: &str, filters: &[(&str, usize, f64)], spike_steps: &[u64]) {
    let (header, rows) = csv_rows(path);
    let dt = 1e-4;
    for &(name, order, tau) in filters {
        let f = PscFilter::new(order, tau);
        let mut st = FilterState::new(f, dt);
        let (c_cont, c_bin, c_nengo) = (
            col(&header, &format!("{name}_cont")),
            col(&header, &format!("{name}_binavg")),
            col(&header, &format!("{name}_nengo")),
        );
        let spike_times: Vec<f64> = spike_steps.iter().map(|&k| k as f64 * dt).collect();
        for (k, row) in rows.iter().enumerate() {
            let k = k as u64;
            if k > 0 {
                st.step(&[]);
            }
            for _ in spike_steps.iter().filter(|&&s| s == k) {
                st.add_spike(1.0);
            }
            let t = k as f64 * dt;
            let want: f64 = row[c_cont].parse().unwrap();
            let tol = 1e-9 * want.abs() + printed_precision(&row[c_cont]);
            assert!(
                (st.output() - want).abs() <= tol,
                "{name} t = {t}: {} vs _cont {want}",
                st.output()
            );
            // The closed-form convolution gives the same.
            let conv = f.convolve(&spike_times, 1.0, t);
            assert!(
                (conv - want).abs() <= tol,
                "{name} t = {t}: convolution {conv} vs {want}"
            );
            // Nengo's zero-order hold outputs the bin average of h, not h.
            let bin: f64 = spike_times
                .iter()
                .filter(|&&tp| tp <= t + 1e-12)
                .map(|&tp| f.bin_average(t - tp, dt))
                .sum();
            for c in [c_bin, c_nengo] {
                let want: f64 = row[c].parse().unwrap();
                let tol = 1e-8 * want.abs() + printed_precision(&row[c]) + 1e-10;
                assert!(
                    (bin - want).abs() <= tol,
                    "{name} t = {t}: bin average {bin} vs {} {want}",
                    header[c]
                );
            }
        }
    }
}

#[test]
fn filter_impulse_responses() {
    check_filtered("synapse/impulse.csv", &FILTERS, &[0]);
    check_filtered("synapse/higher_impulse.csv", &HIGHER_FILTERS, &[0]);
}

#[test]
fn filtered_spike_train() {
    let data = json("synapse/spike_times.json");
    let dt = data["dt_s"].as_f64().unwrap();
    let steps: Vec<u64> = data["spike_times_s"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t.as_f64().unwrap() / dt).round() as u64)
        .collect();
    check_filtered("synapse/spiketrain.csv", &FILTERS, &steps);
    check_filtered("synapse/higher_spiketrain.csv", &HIGHER_FILTERS, &steps);
}

// ---------------------------------------------------------------- network

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
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/refdata/exact/net3_tau_s0.002.json");
    let data: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
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
    let exact_file = |name: &str| -> serde_json::Value {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/refdata/exact")
            .join(name);
        serde_json::from_str(&std::fs::read_to_string(path).expect("tests/refdata/exact file"))
            .expect("valid JSON")
    };
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
