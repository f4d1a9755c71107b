//! The network's own tests: the event-exact step against finer steps and
//! against its general path, two threads against one, a change of dt, a
//! state that is no longer finite, the propagator's coefficients. The
//! closed forms checked against come from the platform's `exp` and `ln`, an
//! independent computation.
#![allow(clippy::disallowed_methods)]

use super::propagator::Segment;
use super::*;
use crate::model::{Arrival, Spike};

/// The networks' parameters here: tau_m 20 ms, tau_ref 2 ms, exact timing.
pub(super) fn params(order: usize, tau_s: f64) -> NetworkParams {
    NetworkParams {
        tau_m_s: 0.02,
        tau_ref_s: 0.002,
        filter: PscFilter::new(order, tau_s),
        spike_timing: SpikeTiming::Exact,
    }
}

/// In one step of 1 ms, E's spike makes T cross and I's, later, brings
/// T's end state back below the threshold (I has the lower index, so
/// out of time order its delivery would come first and T would never be
/// seen above it). T's spike at 5.1026 ms must be found at dt = 1 ms as
/// at 0.01 ms, for filters of order 0 and 1.
#[test]
fn a_crossing_undone_by_a_later_input_of_its_step_is_found() {
    for order in [0, 1] {
        let w = vec![
            vec![0.0, 0.0, 0.0],
            vec![0.0, 0.0, 0.0],
            vec![-0.03, 0.01, 0.0],
        ];
        let run = |dt: f64| {
            let mut net = LifNetwork::new(
                params(order, 0.001),
                vec!["I".into(), "E".into(), "T".into()],
                vec![2.0, 2.0, 0.999],
                Connections::from_dense(&w),
                vec![0.6835, 0.7095, 0.999],
                dt,
            );
            let mut spikes = Vec::new();
            let steps = (0.02 / dt).round() as usize;
            for k in 0..steps {
                net.step(k as f64 * dt, &[], &mut spikes);
            }
            spikes
        };
        let (fine, coarse) = (run(1e-5), run(1e-3));
        let t_of = |list: &[Spike]| list.iter().find(|s| s.neuron == 2).map(|s| s.time_s);
        let t = t_of(&fine).expect("T fires");
        assert!((t - 0.0051).abs() < 1e-4, "order {order}: T at {t} s");
        assert_eq!(coarse.len(), fine.len(), "order {order}");
        for (c, f) in coarse.iter().zip(&fine) {
            assert_eq!(c.neuron, f.neuron, "order {order}");
            assert!(
                (c.time_s - f.time_s).abs() < 1e-12,
                "order {order}: {c:?} {f:?}"
            );
        }
    }
}

/// A network of two neurons (I or E, then T) at `dt` for `duration_s`, with
/// input trains' spikes (time, weight, target) delivered at their offsets.
fn run_with_trains(
    params: NetworkParams,
    (bias, w, v0): ([f64; 2], [[f64; 2]; 2], [f64; 2]),
    trains: &[(f64, f64, usize)],
    duration_s: f64,
    dt: f64,
) -> Vec<Spike> {
    let mut net = LifNetwork::new(
        params,
        vec!["I".into(), "T".into()],
        bias.to_vec(),
        Connections::from_dense(&w.map(|row| row.to_vec())),
        v0.to_vec(),
        dt,
    );
    let trains: Vec<_> = (trains.iter()).map(|&(t, w, i)| (t, w, Some(i))).collect();
    let mut spikes = Vec::new();
    for k in 0..(duration_s / dt).round() as usize {
        let t0 = k as f64 * dt;
        let arrivals = arrivals_in_step(&trains, t0, dt);
        net.step_with_arrivals(t0, &[], &arrivals, &mut spikes);
    }
    spikes
}

/// The trains' spikes (time, weight, target; None: every neuron) in the
/// step from `t0`, at their offsets in it.
pub(super) fn arrivals_in_step(
    trains: &[(f64, f64, Option<usize>)],
    t0: f64,
    dt: f64,
) -> Vec<Arrival> {
    (trains.iter())
        .filter(|&&(t, _, _)| t0 < t && t <= t0 + dt)
        .map(|&(t, weight, target)| Arrival {
            target,
            weight,
            offset_s: t - t0,
            time_s: t,
        })
        .collect()
}

/// The same spikes, each to 1e-12 s.
fn assert_same_spikes(coarse: &[Spike], fine: &[Spike], case: &str) {
    assert_eq!(coarse.len(), fine.len(), "{case}: {coarse:?}");
    for (c, f) in coarse.iter().zip(fine) {
        assert!(
            c.neuron == f.neuron && (c.time_s - f.time_s).abs() < 1e-12,
            "{case}: {c:?} {f:?}"
        );
    }
}

/// With tau_ref = 0 a neuron never rests, so the rest cannot say it spiked
/// after an input. T (bias 2, v from 0.9965) crosses on its own at 70 µs,
/// but an inhibitory input at 20 µs, I's spike or an input train's, undoes
/// that crossing. In a step of 0.1 ms (= tau_s) the event path fires T at
/// 70 µs; the input, delivered after, must send T back to be solved again
/// (it was not: T fired there). Filters of order 0 and 1, both inputs; the
/// spikes at dt = 0.1 ms and 10 µs are those at 0.1 µs to 1e-12 s, and T
/// does not fire in the first millisecond.
#[test]
fn an_input_before_a_crossing_without_a_rest_is_solved_again() {
    for order in [0, 1] {
        for from_train in [false, true] {
            let (w, trains): ([[f64; 2]; 2], &[_]) = if from_train {
                ([[0.0; 2]; 2], &[(2e-5, -0.005, 1)])
            } else {
                ([[0.0, 0.0], [-0.005, 0.0]], &[])
            };
            let params = NetworkParams {
                tau_ref_s: 0.0,
                ..params(order, 1e-4)
            };
            let network = ([2.0, 2.0], w, [0.999, 0.9965]);
            let run = |dt: f64| run_with_trains(params, network, trains, 0.03, dt);
            let case = format!("order {order}, from a train: {from_train}");
            let fine = run(1e-7);
            let t_first = fine.iter().find(|s| s.neuron == 1).map(|s| s.time_s);
            assert!(
                t_first.is_some_and(|t| t > 0.001),
                "{case}: T at {t_first:?} s"
            );
            for dt in [1e-4, 1e-5] {
                assert_same_spikes(&run(dt), &fine, &format!("{case}, dt = {dt}"));
            }
        }
    }
}

/// A re-solve moves a spike after the step's other inputs are delivered,
/// so the moved spike can land before an input a target's state holds
/// already. In one step of 0.1 ms: E (bias 2) crosses on its own at 90 µs,
/// and a train's spike at 5 µs moves that to about 20 µs; E's spike then
/// makes T (at rest just below the threshold) cross at about 71 µs, before
/// a train's inhibitory spike at 80 µs. T's state at the step's end is
/// below the threshold and falling, and showed nothing: it must be solved
/// again (it was not, and at dt = 0.1 ms T's spike was lost). The filter
/// of order 0 (the property test `exact_spikes_do_not_depend_on_dt` draws
/// orders up to 2); the spikes at dt = 0.1 ms are those at 0.1 µs to 1e-12 s.
#[test]
fn a_moved_spike_before_an_input_delivered_already_is_solved_again() {
    let trains = [(5e-6, 0.000_5, 0), (8e-5, -0.005, 1)];
    let network = ([2.0, 1.0], [[0.0, 0.0], [0.000_5, 0.0]], [0.9955, 0.99]);
    let run = |dt: f64| run_with_trains(params(0, 1e-4), network, &trains, 0.001, dt);
    let (fine, coarse) = (run(1e-7), run(1e-4));
    let t_of = |i: usize| fine.iter().find(|s| s.neuron == i).map(|s| s.time_s);
    let (t_e, t_t) = (t_of(0).unwrap_or(1.0), t_of(1).unwrap_or(1.0));
    assert!(t_e < 3e-5 && t_t > t_e && t_t < 8e-5, "{fine:?}");
    assert_same_spikes(&coarse, &fine, "dt = 0.1 ms");
}

/// The benchmark network stepped by one thread and by two: the same
/// spikes and the same state to the last bit, through a switch between
/// the two in mid-run.
#[test]
fn two_threads_give_the_same_bits_as_one() {
    // The peers' recipe, w ~ U(-1, 1) 0.005 sqrt(20/K), at K = 0.05 N
    // = 205 inputs.
    let (n, p) = (parallel::PARALLEL_NEURONS, 0.05);
    let k = p * n as f64;
    let recipe = RandomNetwork {
        n,
        p,
        weight: Uniform {
            low: -0.005 * (20.0 / k).sqrt(),
            high: 0.005 * (20.0 / k).sqrt(),
        },
        excitatory: None,
        weight_inhibitory: Uniform {
            low: 0.0,
            high: 0.0,
        },
        bias: Uniform {
            low: 1.0,
            high: 2.0,
        },
        v_init: Uniform {
            low: 0.0,
            high: 1.0,
        },
        seed: 7,
    };
    for spike_timing in [SpikeTiming::Exact, SpikeTiming::Grid] {
        let params = NetworkParams {
            spike_timing,
            ..params(0, 0.01)
        };
        let build = || recipe.build(params, 1e-4).expect("nothing stops it");
        let (mut one, mut two) = (build(), build());
        one.set_threads(1).unwrap();
        two.set_threads(2).unwrap();
        let (mut a, mut b) = (Vec::new(), Vec::new());
        for k in 0..1500 {
            if k == 1000 {
                two.set_threads(1).unwrap();
            }
            if k == 1250 {
                two.set_threads(2).unwrap();
            }
            let t0 = k as f64 * 1e-4;
            one.step(t0, &[], &mut a);
            two.step(t0, &[], &mut b);
            assert!(
                a == b,
                "{spike_timing:?}, step {k}: {} vs {} spikes",
                a.len(),
                b.len()
            );
            assert!(
                one.state
                    .v
                    .iter()
                    .zip(two.state.v.iter())
                    .all(|(x, y)| x.to_bits() == y.to_bits())
            );
            assert!(
                one.state
                    .stages
                    .iter()
                    .zip(two.state.stages.iter())
                    .all(|(x, y)| x.to_bits() == y.to_bits())
            );
        }
        assert!(a.len() > 4000, "{spike_timing:?}: {} spikes", a.len());
    }
}

/// A lone neuron with constant drive b fires every tau_ref +
/// tau_m ln(b/(b - 1)); changing dt while it is refractory keeps the time
/// it has left, whatever the filter order's path.
#[test]
fn refractory_time_survives_a_change_of_dt() {
    for order in [0, 1] {
        let b = 1.5;
        let mut net = LifNetwork::new(
            params(order, 0.005),
            vec!["A".into()],
            vec![b],
            Connections::from_dense(&[vec![0.0]]),
            vec![0.0],
            1e-4,
        );
        let period = 0.002 + 0.02 * (b / (b - 1.0)).ln();
        let mut spikes = Vec::new();
        let mut t = 0.0;
        while spikes.is_empty() {
            net.step(t, &[], &mut spikes);
            t += 1e-4;
        }
        // Mid-refractory: 2 ms after a spike falls in no step boundary.
        net.step(t, &[], &mut spikes);
        t += 1e-4;
        net.prepare(0.7e-4);
        while spikes.len() < 3 {
            net.step(t, &[], &mut spikes);
            t += 0.7e-4;
        }
        for pair in spikes.windows(2) {
            let gap = pair[1].time_s - pair[0].time_s;
            assert!(
                (gap - period).abs() < 1e-12,
                "order {order}: {gap} vs {period}"
            );
        }
    }
}

/// The step notices a v or s that is no longer finite, whichever path
/// the neuron takes.
#[test]
fn a_state_that_is_not_finite_is_noticed() {
    let make = || {
        let mut net = LifNetwork::new(
            params(0, 0.005),
            vec!["A".into(), "B".into()],
            vec![1.5, 0.5],
            Connections::from_dense(&[vec![0.0, 0.0], vec![0.0, 0.0]]),
            vec![0.2, 0.3],
            1e-4,
        );
        net.step(0.0, &[], &mut Vec::new());
        assert!(net.state_finite());
        net
    };
    for (v, s) in [
        (f64::NAN, 0.0),
        (f64::INFINITY, 0.0),
        (0.3, f64::INFINITY),
        (0.3, f64::NEG_INFINITY),
    ] {
        let mut net = make();
        net.state.v[1] = v;
        net.state.stages[1] = s;
        net.step(1e-4, &[], &mut Vec::new());
        assert!(!net.state_finite(), "v {v} s {s}");
    }
}

#[test]
fn coefficients_compose_over_two_half_steps() {
    for (order, tau_s) in [(0, 0.005), (1, 0.02), (3, 0.1), (2, 0.0199999)] {
        let p = params(order, tau_s);
        let ns = order + 1;
        let mut seg = Segment::load(0.3, &vec![1.7; ns]);
        seg.stages[0] = 2.5;
        let whole = seg.propagate(&p.coefficients(1e-3), ns, 1.2);
        let half = p.coefficients(5e-4);
        let twice = seg.propagate(&half, ns, 1.2).propagate(&half, ns, 1.2);
        assert!((whole.v - twice.v).abs() < 1e-14, "{order}");
        for k in 0..ns {
            assert!((whole.stages[k] - twice.stages[k]).abs() < 1e-13);
        }
    }
}

/// The first-order fast path and the general path give the same run.
#[test]
fn first_order_fast_path_equals_the_general_path() {
    let p = params(0, 0.005);
    let w = vec![
        vec![0.0, -0.01, 0.0],
        vec![0.03, 0.0, 0.0],
        vec![0.02, -0.005, 0.0],
    ];
    let make = || {
        LifNetwork::new(
            p,
            vec!["A".into(), "B".into(), "C".into()],
            vec![1.5, 1.2, 1.0],
            Connections::from_dense(&w),
            vec![0.0, 0.3, 0.9],
            1e-4,
        )
    };
    let (mut fast, mut general) = (make(), make());
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for k in 0..5000 {
        let t0 = k as f64 * 1e-4;
        fast.step(t0, &[], &mut a);
        general.scratch.spikes.clear();
        general.state.step_index += 1;
        let mut step = Step {
            p: &general.params,
            prop: &general.prop,
            connections: &general.connections,
            drive: &general.bias,
            state: &mut general.state,
            scratch: &mut general.scratch,
            resolve: &mut general.resolve,
        };
        step.exact_any_order();
        b.extend(general.scratch.spikes.iter().map(|s| Spike {
            neuron: s.neuron,
            time_s: t0 + s.offset_s,
        }));
        for i in 0..3 {
            assert!(
                (fast.state.v[i] - general.state.v[i]).abs() < 1e-12,
                "step {k} v[{i}]: {} vs {}",
                fast.state.v[i],
                general.state.v[i],
            );
            assert!((fast.synaptic_current(i) - general.synaptic_current(i)).abs() < 1e-9);
        }
    }
    assert!(a.len() > 30, "{} spikes", a.len());
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.neuron, y.neuron);
        assert!((x.time_s - y.time_s).abs() < 1e-13);
    }
}

#[test]
fn filter_coupling_matches_closed_form_for_order_zero() {
    // g_0 = tau_s/(tau_s - tau_m) (e^-Δ/tau_s - e^-Δ/tau_m)
    let p = params(0, 0.005);
    let d = 1e-3;
    let c = p.coefficients(d);
    let want = 0.005 / (0.005 - 0.02) * ((-d / 0.005f64).exp() - (-d / 0.02f64).exp());
    assert!((c.v_from_stage[0] - want).abs() < 1e-16);
}

/// Exact spike times do not depend on dt, even when dt changes while
/// neurons rest or have just woken, and a resting neuron's v stays 0:
/// A and B excite each other, so that inputs often reach a neuron while it
/// rests or in the steps after it woke. Changing dt every few steps
/// between 0.1 ms and 0.37 ms gives the spikes of a fixed 0.1 ms to 1e-12
/// s. (A neuron that woke late in a long step once stayed deaf to inputs
/// early in the short steps after it; a rest begun in a short step let an
/// input late in a longer one reach v, shown on the screen until it woke.)
#[test]
fn spike_times_do_not_depend_on_changes_of_dt() {
    // (w_AB, bias_A, bias_B): both driven, or A driven only by B's spikes.
    for ((w_ab, bias_a, bias_b), order) in [(0.2, 6.0, 2.5), (1.5, 0.5, 1.5)]
        .into_iter()
        .flat_map(|case| [(case, 0), (case, 1)])
    {
        let run = |toggle: bool| {
            let w = vec![vec![0.0, w_ab], vec![0.3, 0.0]];
            let mut net = LifNetwork::new(
                params(order, 0.002),
                vec!["A".into(), "B".into()],
                vec![bias_a, bias_b],
                Connections::from_dense(&w),
                vec![0.0, 0.5],
                1e-4,
            );
            let (mut spikes, mut t, mut dt) = (Vec::new(), 0.0, 1e-4);
            let mut last = [f64::NEG_INFINITY; 2];
            for k in 0.. {
                if toggle && k % 3 == 1 {
                    dt = if dt == 1e-4 { 3.7e-4 } else { 1e-4 };
                    net.prepare(dt);
                }
                if t > 0.2 {
                    break;
                }
                let from = spikes.len();
                net.step(t, &[], &mut spikes);
                t += dt;
                for s in &spikes[from..] {
                    last[s.neuron] = s.time_s;
                }
                for (i, &v) in net.v().iter().enumerate() {
                    if t < last[i] + 0.002 - 1e-12 {
                        assert_eq!(
                            v, 0.0,
                            "order {order}: w_AB {w_ab}: neuron {i} at rest at {t} s"
                        );
                    }
                }
            }
            // The same span of time, whichever steps ended it.
            spikes.retain(|s| s.time_s < 0.2);
            spikes
        };
        let (fixed, toggled) = (run(false), run(true));
        assert!(fixed.len() > 60, "order {order}: {} spikes", fixed.len());
        assert_eq!(toggled.len(), fixed.len(), "order {order}");
        for (a, b) in toggled.iter().zip(&fixed) {
            assert_eq!(
                a.neuron, b.neuron,
                "order {order}, w_AB {w_ab}: {a:?} {b:?}"
            );
            assert!(
                (a.time_s - b.time_s).abs() < 1e-12,
                "order {order}, w_AB {w_ab}: {a:?} {b:?}"
            );
        }
    }
}

/// Every array a pass loads or stores starts on a page, in a network of any
/// size and after a reset, so that neuron i lies at the same offset modulo
/// 4096 in all of them (state.rs, `Aligned`: 4K aliasing).
#[test]
fn the_passes_arrays_start_on_a_page() {
    let timings = [SpikeTiming::Exact, SpikeTiming::Grid];
    for (n, spike_timing) in [1, 3, 1000]
        .into_iter()
        .flat_map(|n| timings.map(|t| (n, t)))
    {
        let mut net = LifNetwork::new(
            NetworkParams {
                spike_timing,
                ..params(0, 0.01)
            },
            (0..n).map(|i| i.to_string()).collect(),
            vec![1.5; n],
            Connections::from_dense(&vec![vec![0.0; n]; n]),
            vec![0.0; n],
            1e-4,
        );
        net.restore(&net.state());
        let starts = [
            net.state.v.as_ptr() as usize,
            net.state.stages.as_ptr() as usize,
            net.state.rest.wake_step.as_ptr() as usize,
            net.scratch.next_v.as_ptr() as usize,
            net.scratch.next_s.as_ptr() as usize,
            net.scratch.event.as_ptr() as usize,
            net.drive.as_ptr() as usize,
            net.bias.as_ptr() as usize,
            net.scratch.grid_drive.as_ptr() as usize,
        ];
        assert!(
            starts.iter().all(|a| a % 4096 == 0),
            "N = {n}, {spike_timing:?}: {starts:x?}"
        );
    }
}

/// The grid step's drive term, kept from step to step while no input comes
/// (mod.rs, `grid_drive`), follows a change of the biases and of dt: after
/// either, the network steps as one made with the new bias or dt from the
/// same state, to the last bit; and an input for some steps is taken back
/// out of it when the input stops.
#[test]
fn the_grid_drive_follows_bias_dt_and_input() {
    let grid = NetworkParams {
        spike_timing: SpikeTiming::Grid,
        ..params(0, 0.01)
    };
    let n = 3;
    let make = |bias: f64, dt: f64| {
        LifNetwork::new(
            grid,
            (0..n).map(|i| i.to_string()).collect(),
            vec![bias; n],
            Connections::from_dense(&vec![vec![0.0; n]; n]),
            vec![0.1, 0.2, 0.3],
            dt,
        )
    };
    let run = |net: &mut LifNetwork, steps: usize, stimulus: &[f64]| {
        let mut spikes = Vec::new();
        for _ in 0..steps {
            net.step(0.0, stimulus, &mut spikes);
        }
        net.v().iter().map(|v| v.to_bits()).collect::<Vec<_>>()
    };
    // A new bias.
    let mut changed = make(1.5, 1e-4);
    run(&mut changed, 10, &[]);
    changed.bias_mut().fill(3.0);
    let mut fresh = make(3.0, 1e-4);
    fresh.restore(&changed.state());
    assert_eq!(run(&mut changed, 10, &[]), run(&mut fresh, 10, &[]));
    // A new dt (no neuron has spiked, so none rests).
    let mut changed = make(1.5, 1e-4);
    run(&mut changed, 10, &[]);
    changed.prepare(2e-4);
    let mut fresh = make(1.5, 2e-4);
    fresh.restore(&changed.state());
    assert_eq!(run(&mut changed, 10, &[]), run(&mut fresh, 10, &[]));
    // An input for a while, then none.
    let mut driven = make(1.5, 1e-4);
    run(&mut driven, 10, &[]);
    run(&mut driven, 5, &[0.5, 0.5, 0.5]);
    let mut fresh = make(1.5, 1e-4);
    fresh.restore(&driven.state());
    assert_eq!(run(&mut driven, 10, &[]), run(&mut fresh, 10, &[]));
}
