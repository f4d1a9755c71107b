//! A network firing beyond its step: the report of a rate beyond the step
//! (a runaway), the limits that end such a step early, and the re-solve's
//! index that makes a runaway's steps cheap enough to reach it.

use super::tests::params;
use super::*;
use crate::model::{AnyModel, Unstable};

/// One step from v = 0 of unconnected neurons, one for each bias: the
/// check's outcome, each neuron's spikes, and v at the step's end.
fn stepped(
    bias: Vec<f64>,
    tau_ref_s: f64,
) -> (Result<(), crate::model::Instability>, Vec<usize>, Vec<f64>) {
    let n = bias.len();
    let mut net = LifNetwork::new(
        NetworkParams {
            tau_ref_s,
            ..params(0, 0.005)
        },
        (0..n).map(|i| format!("#{i}")).collect(),
        bias,
        Connections::from_dense(&vec![vec![0.0; n]; n]),
        vec![0.0; n],
        1e-4,
    );
    let mut spikes = Vec::new();
    net.step(0.0, &[], &mut spikes);
    let counts: Vec<usize> = (0..n)
        .map(|i| spikes.iter().filter(|s| s.neuron == i).count())
        .collect();
    let v = net.v().to_vec();
    (
        AnyModel::Network(net).check_step_spikes(1e-4, &spikes),
        counts,
        v,
    )
}

/// A rate beyond the step is reported, as for one LIF neuron: a neuron
/// that fires `MAX_SPIKES_PER_STEP` times in a step (its step ends
/// there), and a network whose neurons fire `MAX_MEAN_SPIKES_PER_STEP`
/// times each on average (a runaway); the neuron that fired most is named.
/// Five spikes each a step (tau_ref = 0, bias 1000) are a rate, not a fault.
#[test]
fn a_rate_beyond_the_step_is_reported() {
    use crate::model::{MAX_MEAN_SPIKES_PER_STEP, MAX_SPIKES_PER_STEP};
    // One neuron far above threshold among 200 quiet ones.
    let mut bias = vec![0.5; 200];
    bias[7] = 9e12;
    let (checked, counts, _) = stepped(bias, 2e-12);
    assert_eq!(counts[7], MAX_SPIKES_PER_STEP);
    let e = checked.unwrap_err();
    assert_eq!(e.neuron, 7);
    assert_eq!(
        e.cause,
        Unstable::RateBeyondStep {
            spikes: MAX_SPIKES_PER_STEP
        }
    );
    // Told with what changes it: not dt, which a rate beyond the step does
    // not depend on.
    assert_eq!(
        e.to_string(),
        "a rate beyond the step at t = 0.100000 ms: neuron 7 fired 10000 times in one step \
         (the most a step holds); a drive far above the threshold with tau_ref near 0 fires \
         without bound: raise tau_ref or lower the drive"
    );
    // Every neuron about 15 times a step, the third most.
    let (checked, counts, v) = stepped(vec![3000.0, 3000.0, 3200.0, 3000.0], 0.0);
    assert!(
        counts[..3].iter().all(|&c| c > MAX_MEAN_SPIKES_PER_STEP),
        "{counts:?}"
    );
    assert!(counts[2] > counts[0], "{counts:?}");
    // The fourth is not worked out: the three reached the runaway's
    // `runaway_spikes` (4 x 10): it is kept as it began, not propagated
    // past the threshold with no spike.
    assert_eq!(counts[3], 0);
    assert_eq!(v[3], 0.0);
    let e = checked.unwrap_err();
    assert_eq!(e.neuron, 2);
    let spikes = counts.iter().sum();
    assert!(spikes >= 4 * MAX_MEAN_SPIKES_PER_STEP);
    assert_eq!(
        e.cause,
        Unstable::Runaway {
            spikes,
            neurons: 4,
            most: counts[2]
        }
    );
    let told = e.to_string();
    assert!(
        told.starts_with(&format!(
            "a runaway at t = 0.100000 ms: 4 neurons fired {spikes} times or more in one step \
             (neuron 2 most, {}), 10 each on average, a step's most: ",
            counts[2]
        )) && told.ends_with("raise tau_ref, weaken them, or shorten dt if the rate is steady"),
        "{told}"
    );
    // About five times a step.
    let (checked, counts, _) = stepped(vec![1000.0; 4], 0.0);
    assert!(
        counts
            .iter()
            .all(|&c| (3..MAX_MEAN_SPIKES_PER_STEP).contains(&c)),
        "{counts:?}"
    );
    assert!(checked.is_ok());
}

/// A runaway's step stops where its outcome is certain. A neuron's step
/// ends at `MAX_SPIKES_PER_STEP` spikes over the whole step, not in each
/// span between two inputs (a re-solve's thousands of inputs made that
/// millions: a network of 1,000 neurons with tau_ref = 0 and a bias of 1e9
/// ran out of an 8 GB limit after 73 s, inside its first step). A network's step
/// stops working out events once its spikes reach `runaway_spikes`: 50
/// such neurons made 500,000 spikes in their first step, now the first
/// neuron's 10,000.
#[test]
fn a_runaway_step_stops_at_its_limits() {
    use super::solve::{Input, StepRule, Trajectory, solve_step};
    use crate::model::MAX_SPIKES_PER_STEP;
    /// Crosses 1e-12 s after every start, as a huge drive does.
    struct AlwaysCrossing;
    impl Trajectory for AlwaysCrossing {
        fn v(&self) -> f64 {
            0.0
        }
        fn rest(&mut self, _at: f64, _span: f64) {}
        fn integrate(&mut self, _at: f64, span: f64) -> Option<f64> {
            Some(span.min(1e-12))
        }
        fn reset(&mut self) {}
        fn kick(&mut self, _weight: f64) {}
    }
    let inputs: Vec<Input> = (1..100)
        .map(|k| Input {
            offset_s: k as f64 * 1e-6,
            weight: 1.0,
        })
        .collect();
    let rule = StepRule {
        dt: 1e-4,
        tau_ref: 0.0,
        refractory: 0.0,
        inputs: &inputs,
        self_weight: None,
    };
    let mut emitted = 0;
    solve_step(&mut AlwaysCrossing, &rule, |_| emitted += 1);
    assert_eq!(emitted, MAX_SPIKES_PER_STEP);
    let (checked, counts, _) = stepped(vec![1e9; 50], 0.0);
    assert_eq!(counts[0], MAX_SPIKES_PER_STEP);
    assert!(counts[1..].iter().all(|&c| c == 0), "{counts:?}");
    assert_eq!(checked.unwrap_err().neuron, 0);
}

/// The re-solve's rounds, indexed (resolve_index.rs) or searched, give the
/// same bits: a runaway's steps of hundreds of suspects and spikes (the
/// recipe of `tests/fuzz/network-runaway-without-refractory.toml` at 300
/// neurons), and the benchmark network's steps of a few, each run with
/// every round indexed and with none.
#[test]
fn indexed_and_searched_rounds_give_the_same_bits() {
    let recipe = |n: usize, tau_ref: &str, weight_ref: f64| {
        format!(
            "model = \"network\"\ndt = \"0.1 ms\"\n[network]\ntau_m = \"20 ms\"\n\
             tau_ref = \"{tau_ref}\"\ntau_s = \"10 ms\"\npsc_order = 0\n[network.random]\n\
             n = {n}\np = {}\nseed = 1\nweight = {{ low = -0.005, high = 0.005 }}\n\
             weight_ref_inputs = {weight_ref}\nbias = {{ low = 1.0, high = 2.0 }}\n\
             v_init = {{ low = 0.0, high = 1.0 }}\n",
            20.0 / n as f64
        )
    };
    let run = |text: &str, steps: usize, pairs: usize| {
        let (_, mut sim) = crate::preset::load_text("t.toml", text, &[])
            .unwrap()
            .into_simulation();
        let AnyModel::Network(net) = &mut sim.model else {
            panic!("a network")
        };
        net.resolve.index_from_pairs(pairs);
        let mut spikes = Vec::new();
        for _ in 0..steps {
            spikes.extend(
                sim.step()
                    .unwrap()
                    .iter()
                    .map(|s| (s.neuron, s.time_s.to_bits())),
            );
        }
        let AnyModel::Network(net) = &sim.model else {
            unreachable!()
        };
        let v: Vec<u64> = net.v().iter().map(|x| x.to_bits()).collect();
        let s: Vec<u64> = (0..net.len())
            .map(|i| net.synaptic_current(i).to_bits())
            .collect();
        (spikes, v, s)
    };
    for (text, steps, least) in [
        (recipe(300, "0 s", 2e4), 50, 5_000),
        (recipe(1000, "2 ms", 20.0), 1000, 3_000),
    ] {
        let searched = run(&text, steps, usize::MAX);
        let indexed = run(&text, steps, 0);
        assert!(searched.0.len() >= least, "{} spikes", searched.0.len());
        assert!(searched == indexed, "{text}");
    }
}
