//! Invariants of the notes' functions, for arbitrary inputs (proptest).
#![allow(clippy::disallowed_methods)] // the platform's functions: an independent check

use proptest::prelude::*;
use spikescope::model::activation::{Activation, one_hot, softmax};
use spikescope::model::elementary;
use spikescope::model::lif::firing_rate;
use spikescope::model::network::Connections;
use spikescope::model::synapse::{FilterState, PscFilter};
use spikescope::model::weights::{affine, apply_augmented, augmented};

proptest! {
    /// ∫ h = 1 for every order and tau_s: by quadrature of h (Simpson over
    /// 60 tau_s, where the tail is below 1e-12) and by the closed-form
    /// integral.
    #[test]
    fn every_psc_filter_has_unit_area(order in 0usize..8, tau_s in 1e-3f64..1.0) {
        let f = PscFilter::new(order, tau_s);
        let t_end = 60.0 * tau_s;
        let n = 6000;
        let h = t_end / n as f64;
        let mut sum = f.h(0.0) + f.h(t_end);
        for k in 1..n {
            sum += if k % 2 == 1 { 4.0 } else { 2.0 } * f.h(k as f64 * h);
        }
        let area = sum * h / 3.0;
        prop_assert!((area - 1.0).abs() < 1e-6, "area {}", area);
        prop_assert!((f.integral_to(t_end) - 1.0).abs() < 1e-12);
        // The discrete cascade delivers the same charge: Σ s dt -> 1.
        let dt = tau_s / 100.0;
        let mut st = FilterState::new(f, dt);
        st.add_spike(1.0);
        let mut charge = 0.5 * st.output() * dt;
        for _ in 0..(60 * 100) {
            st.step(&[]);
            charge += st.output() * dt;
        }
        prop_assert!((charge - 1.0).abs() < 1e-3, "charge {}", charge);
    }

    /// G is 0 up to v_in = 1, increasing after it, and below 1/tau_ref.
    #[test]
    fn firing_rate_is_zero_then_increasing_and_bounded(
        v in 0.0f64..50.0,
        dv in 1e-6f64..5.0,
        tau_m in 1e-3f64..0.2,
        tau_ref in 1e-4f64..0.01,
    ) {
        let g = firing_rate(v, tau_m, tau_ref);
        if v <= 1.0 {
            prop_assert_eq!(g, 0.0);
        } else {
            prop_assert!(g > 0.0);
            prop_assert!(firing_rate(v + dv, tau_m, tau_ref) > g);
        }
        prop_assert!(g < 1.0 / tau_ref);
    }

    /// SoftMax sums to 1 and keeps the order of its inputs.
    #[test]
    fn softmax_is_a_probability_vector(z in prop::collection::vec(-500.0f64..500.0, 1..20)) {
        let mut y = vec![0.0; z.len()];
        softmax(&z, &mut y);
        let sum: f64 = y.iter().sum();
        prop_assert!((sum - 1.0).abs() < 1e-12);
        prop_assert!(y.iter().all(|&p| (0.0..=1.0).contains(&p)));
        for i in 0..z.len() {
            for j in 0..z.len() {
                if z[i] > z[j] {
                    prop_assert!(y[i] >= y[j]);
                }
            }
        }
    }

    /// One-Hot(z)_i = 1 exactly where z_i = max z (notes 1.2.3): every
    /// maximum, ties included, and 0 elsewhere.
    #[test]
    fn one_hot_is_one_at_every_maximum(z in prop::collection::vec(-3i32..3, 1..20)) {
        let z: Vec<f64> = z.into_iter().map(f64::from).collect();
        let mut y = vec![0.0; z.len()];
        one_hot(&z, &mut y);
        let max = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        for (zi, yi) in z.iter().zip(&y) {
            prop_assert_eq!(*yi, if *zi == max { 1.0 } else { 0.0 });
        }
        prop_assert!(y.contains(&1.0));
        let mut via_enum = vec![0.0; z.len()];
        Activation::OneHot.apply(&z, &mut via_enum);
        prop_assert_eq!(via_enum, y);
    }

    /// [W | b] [x; 1] = W x + b.
    #[test]
    fn augmented_matrix_equals_affine(
        (m, n) in (1usize..6, 1usize..6),
        seed in prop::collection::vec(-10.0f64..10.0, 72),
    ) {
        let w: Vec<Vec<f64>> = (0..m).map(|i| (0..n).map(|j| seed[i * 6 + j]).collect()).collect();
        let b: Vec<f64> = (0..m).map(|i| seed[36 + i]).collect();
        let x: Vec<f64> = (0..n).map(|j| seed[48 + j]).collect();
        let direct = affine(&w, &x, &b);
        let via_hat = apply_augmented(&augmented(&w, &b), &x);
        for (a, c) in direct.iter().zip(&via_hat) {
            prop_assert!((a - c).abs() <= 1e-12 * (1.0 + a.abs()));
        }
    }

    /// A row of W read from the storage by sender (each sender's sorted
    /// targets bisected) is the dense matrix's row: every weight that is
    /// not 0, each once, in the order of the senders; a weight read alone
    /// is the matrix's, +0 where there is no connection.
    #[test]
    fn a_row_of_w_is_the_dense_row(
        n in 1usize..12,
        cells in prop::collection::vec((0u8..4, -1.0f64..1.0), 144),
    ) {
        // Three cells in four hold no connection: rows with none, one and
        // several senders all occur.
        let w: Vec<Vec<f64>> = (0..n)
            .map(|i| (0..n).map(|j| match cells[i * 12 + j] { (0, x) => x, _ => 0.0 }).collect())
            .collect();
        let c = Connections::from_dense(&w);
        for (i, row) in w.iter().enumerate() {
            let dense: Vec<(usize, f64)> =
                row.iter().copied().enumerate().filter(|&(_, x)| x != 0.0).collect();
            prop_assert_eq!(c.sources(i).collect::<Vec<_>>(), dense);
            // Each weight read alone, and no connection's as +0 (an empty
            // float sum is -0, which a screen would write as "-0").
            for (j, &x) in row.iter().enumerate() {
                let read = c.weight(i, j);
                prop_assert_eq!(read, x);
                prop_assert!(x != 0.0 || read.is_sign_positive());
            }
        }
    }

    /// The single-neuron activations agree with their definitions.
    #[test]
    fn single_neuron_activations(z in -50.0f64..50.0) {
        prop_assert!((Activation::Logistic.scalar(z) - 1.0 / (1.0 + (-z).exp())).abs() < 1e-15);
        // The crate's own tanh and arctan (the same bits on every machine),
        // within rounding of the platform's.
        prop_assert_eq!(Activation::Tanh.scalar(z), elementary::tanh(z));
        prop_assert_eq!(Activation::Arctan.scalar(z), elementary::atan(z));
        prop_assert!((Activation::Tanh.scalar(z) - z.tanh()).abs() <= 4.5e-16 * z.tanh().abs());
        prop_assert!((Activation::Arctan.scalar(z) - z.atan()).abs() <= 4.5e-16 * z.atan().abs());
        prop_assert_eq!(Activation::Relu.scalar(z), z.max(0.0));
        prop_assert_eq!(Activation::Threshold.scalar(z), if z >= 0.0 { 1.0 } else { 0.0 });
    }
}

/// Networks of up to three neurons (connections of either sign, to
/// themselves too) under input trains of either sign, with any filter order
/// up to 2, any rest (none at all included: a neuron with tau_ref = 0 never
/// rests) and any v at the start: the event-exact step fires the same
/// spikes at dt as at dt/8, to 1e-11 s over 20 ms. A crossing missed or
/// added inside a long step parts the two: before 2026-12-06 an input
/// before a crossing that undid it went unseen with tau_ref = 0, and so did
/// a crossing caused by an input delivered out of time order (a train's
/// after the network's spikes, a moved spike's).
mod exact_spikes_do_not_depend_on_dt {
    use proptest::prelude::*;
    use spikescope::model::network::{Connections, LifNetwork, NetworkParams, SpikeTiming};
    use spikescope::model::synapse::PscFilter;
    use spikescope::model::{Arrival, Spike};

    /// 20 ms of the neurons at `dt`, the trains' spikes (time, weight,
    /// target) delivered at their offsets in each step; None where a step
    /// holds 10 spikes a neuron, a runaway, which the step stops working
    /// out (`spikescope run` reports it, and writes nothing).
    fn run(
        params: NetworkParams,
        w: &[Vec<f64>],
        bias: &[f64],
        v0: &[f64],
        trains: &[(f64, f64, usize)],
        dt: f64,
    ) -> Option<Vec<Spike>> {
        let n = bias.len();
        let mut net = LifNetwork::new(
            params,
            (0..n).map(|i| format!("n{i}")).collect(),
            bias.to_vec(),
            Connections::from_dense(w),
            v0.to_vec(),
            dt,
        );
        let mut spikes = Vec::new();
        for k in 0..(0.02 / dt).round() as usize {
            let t0 = k as f64 * dt;
            let arrivals: Vec<Arrival> = trains
                .iter()
                .filter(|&&(t, _, _)| t > t0 && t <= t0 + dt)
                .map(|&(t, weight, target)| Arrival {
                    target: Some(target),
                    weight,
                    offset_s: t - t0,
                    time_s: t,
                })
                .collect();
            let before = spikes.len();
            net.step_with_arrivals(t0, &[], &arrivals, &mut spikes);
            if spikes.len() - before >= 10 * n {
                return None;
            }
        }
        Some(spikes)
    }

    proptest! {
        #[test]
        fn at_dt_and_an_eighth_of_it(
            order in 0usize..3,
            tau_m in 0.005f64..0.05,
            tau_s in 2e-4f64..0.02,
            tau_ref in prop_oneof![Just(0.0), 1e-6f64..2e-4, 2e-4f64..5e-3],
            coarse_steps in 1usize..4,
            neurons in prop::collection::vec((0.5f64..2.0, -0.5f64..1.0), 1..4),
            mut trains in prop::collection::vec((0.0f64..0.02, -0.05f64..0.05, 0usize..3), 0..60),
            wflat in prop::collection::vec(prop_oneof![Just(0.0), -0.05f64..0.05], 9),
        ) {
            let params = NetworkParams {
                tau_m_s: tau_m,
                tau_ref_s: tau_ref,
                filter: PscFilter::new(order, tau_s),
                spike_timing: SpikeTiming::Exact,
            };
            // dt a third, two thirds or the whole of the shorter time
            // constant, a whole number of steps in 20 ms.
            let shortest = tau_m.min(tau_s);
            let dt = 0.02 / (0.02 / (shortest * coarse_steps as f64 / 3.0)).ceil();
            let (bias, v0): (Vec<f64>, Vec<f64>) = neurons.into_iter().unzip();
            let n = bias.len();
            let w: Vec<Vec<f64>> = (0..n).map(|i| wflat[3 * i..3 * i + n].to_vec()).collect();
            // In time order, as a run hands them over.
            trains.retain(|t| t.2 < n);
            trains.sort_by(|a, b| a.0.total_cmp(&b.0));
            let coarse = run(params, &w, &bias, &v0, &trains, dt);
            prop_assume!(coarse.is_some(), "a runaway at dt");
            let (coarse, fine) = (coarse.unwrap(), run(params, &w, &bias, &v0, &trains, dt / 8.0).unwrap());
            prop_assert_eq!(coarse.len(), fine.len(), "dt = {} s: {:?} {:?}", dt, coarse, fine);
            for (c, f) in coarse.iter().zip(&fine) {
                prop_assert_eq!(c.neuron, f.neuron);
                prop_assert!((c.time_s - f.time_s).abs() < 1e-11, "dt = {} s: {:?} {:?}", dt, c, f);
            }
        }
    }
}
