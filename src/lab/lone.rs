//! A network neuron that no weight reaches, its inputs constant, on exact
//! timing: tau_m dv/dt = s + b + x - v with s = 0 for good, so the notes'
//! LIF neuron (1.2, threshold 1, reset 0) at v_in = b + x, whose rate and
//! threshold have closed forms (`sweep`, `threshold`).

use crate::model::AnyModel;
use crate::model::lif::LifParams;
use crate::model::network::SpikeTiming;
use crate::sim::Simulation;
use crate::sim::stimulus::Shape;

/// Neuron i of a network as a lone LIF neuron.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LoneNeuron {
    /// tau_m and tau_ref the network's, threshold 1 and reset 0.
    pub params: LifParams,
    pub bias: f64,
    /// The sum of the constant inputs that reach it (offset and amplitude).
    pub input: f64,
    /// Whether the main (first) input reaches it.
    pub main_input: bool,
    /// v at the start.
    pub v0: f64,
}

impl LoneNeuron {
    /// Neuron `i` of `sim`'s network, where no weight reaches it, every
    /// input that reaches it is constant and spikes are exact; None else.
    pub fn of(sim: &Simulation, i: usize) -> Option<Self> {
        let AnyModel::Network(net) = &sim.model else {
            return None;
        };
        let p = net.params();
        let unreached = i < net.len() && net.connections().sources(i).next().is_none();
        if p.spike_timing != SpikeTiming::Exact || !unreached {
            return None;
        }
        let reaches = |n: &Option<Vec<usize>>| n.as_ref().is_none_or(|n| n.contains(&i));
        let mut input = 0.0;
        for t in sim.stimuli.iter().filter(|t| reaches(&t.neurons)) {
            if t.stimulus.shape != Shape::Constant {
                return None;
            }
            input += t.stimulus.offset + t.stimulus.amplitude;
        }
        Some(Self {
            params: LifParams {
                tau_m_s: p.tau_m_s,
                tau_ref_s: p.tau_ref_s,
                ..LifParams::default()
            },
            bias: net.bias()[i],
            input,
            main_input: sim.stimuli.first().is_some_and(|t| reaches(&t.neurons)),
            v0: net.v()[i],
        })
    }

    /// v_in = b + x.
    pub fn v_in(&self) -> f64 {
        self.bias + self.input
    }
}
