//! A network firing beyond its step: the report of a rate beyond the step
//! (a runaway), and the re-solve's index that makes a runaway's steps
//! cheap enough to reach it.

use super::tests::params;
use super::*;
use crate::model::AnyModel;

/// A rate beyond the step is reported, as for one LIF neuron: a neuron
/// that fires `MAX_SPIKES_PER_STEP` times in a step (its segment ends
/// there), and a network whose neurons fire `MAX_MEAN_SPIKES_PER_STEP`
/// times each on average (a runaway); the neuron that fired most is named.
/// Five spikes each a step (tau_ref = 0, bias 1000) are a rate, not a fault.
#[test]
fn a_rate_beyond_the_step_is_reported() {
    use crate::model::{MAX_MEAN_SPIKES_PER_STEP, MAX_SPIKES_PER_STEP};
    let stepped = |bias: Vec<f64>, tau_ref_s: f64| {
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
        (
            AnyModel::Network(net).check_step_spikes(1e-4, &spikes),
            counts,
        )
    };
    // One neuron far above threshold among 200 quiet ones.
    let mut bias = vec![0.5; 200];
    bias[7] = 9e12;
    let (checked, counts) = stepped(bias, 2e-12);
    assert_eq!(counts[7], MAX_SPIKES_PER_STEP);
    let e = checked.unwrap_err();
    assert_eq!((e.neuron, e.value), (7, MAX_SPIKES_PER_STEP as f64));
    assert_eq!(e.variable, "spikes in one step (a rate beyond the step)");
    // Every neuron about 15 times a step, the last most.
    let (checked, counts) = stepped(vec![3000.0, 3000.0, 3000.0, 3200.0], 0.0);
    assert!(
        counts.iter().all(|&c| c >= MAX_MEAN_SPIKES_PER_STEP),
        "{counts:?}"
    );
    let e = checked.unwrap_err();
    assert_eq!((e.neuron, e.value), (3, counts[3] as f64));
    assert!(
        e.variable.contains(&format!(
            "the network's neurons fired {MAX_MEAN_SPIKES_PER_STEP} or more each on average"
        )),
        "{}",
        e.variable
    );
    // About five times a step.
    let (checked, counts) = stepped(vec![1000.0; 4], 0.0);
    assert!(
        counts
            .iter()
            .all(|&c| (3..MAX_MEAN_SPIKES_PER_STEP).contains(&c)),
        "{counts:?}"
    );
    assert!(checked.is_ok());
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
