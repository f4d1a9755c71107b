//! Bounds on the excitatory input a neuron's s can gain in a step, for
//! `Step::may_reach_threshold` (exact.rs), which decides whether an input
//! delivered out of time order sends a target to be solved again: what all
//! its excitatory senders could send, the step's excitatory arrivals of
//! input trains, and what the network's spikes the target may hold now
//! send.

use super::connections::Connections;
use super::solve::{Move, StepSpike};
use crate::model::Arrival;

/// The bounds, each kept for as long as what it sums holds.
#[derive(Debug, Clone, Default)]
pub(super) struct ExcitationBounds {
    /// The most each neuron's s gains in a step from the network's
    /// excitatory spikes, and the connections, dt, tau_ref and tau_s (bits)
    /// it is of.
    reach: Vec<f64>,
    reach_of: Option<(u64, u64, u64, u64)>,
    /// The step's excitatory arrivals for each neuron (weights summed in
    /// their order), and whether they are summed for this step.
    excitatory_arrivals: Vec<f64>,
    excitatory_arrivals_summed: bool,
    /// The excitatory weights into each neuron of the network's spikes its
    /// state may hold (`held_excitation`), each entry valid where its stamp
    /// is `held_round`; and whether they are summed for this round.
    held_excitation: Vec<f64>,
    held_stamp: Vec<u64>,
    held_round: u64,
    held_summed: bool,
}

impl ExcitationBounds {
    /// A new step: its arrivals and its spikes are summed anew (a state
    /// restored from earlier steps them again, perhaps with other inputs).
    pub(super) fn new_step(&mut self) {
        self.excitatory_arrivals_summed = false;
        self.held_summed = false;
    }

    /// A new round of the re-solve: the spikes a state may hold changed.
    pub(super) fn new_round(&mut self) {
        self.held_summed = false;
    }

    /// The most each neuron's s can gain in one step from the network's
    /// excitatory spikes (for `may_reach_threshold`): its excitatory weights
    /// in, summed, times the most spikes a source fires in a step, 1 +
    /// floor(dt/tau_ref), over tau_s; worked out again where the connections
    /// (`Connections::id`), dt, tau_ref or tau_s change. Whether there is
    /// one: with tau_ref = 0 a source's spikes in a step have no bound.
    pub(super) fn reach(
        &mut self,
        n: usize,
        connections: &Connections,
        (dt, tau_ref, tau_s): (f64, f64, f64),
    ) -> bool {
        if tau_ref <= 0.0 {
            return false;
        }
        let key = (
            connections.id(),
            dt.to_bits(),
            tau_ref.to_bits(),
            tau_s.to_bits(),
        );
        if self.reach_of != Some(key) || self.reach.len() != n {
            // At most one spike and then one a tau_ref (the quotient's
            // rounding can only take a whole number down: the margin keeps
            // it whole).
            let spikes_per_source = 1.0 + (dt / tau_ref * (1.0 + 1e-12)).floor();
            self.reach = vec![0.0; n];
            for syn in connections.synapses() {
                self.reach[syn.target as usize] += syn.weight.max(0.0);
            }
            for x in &mut self.reach {
                *x *= spikes_per_source / tau_s;
            }
            self.reach_of = Some(key);
        }
        true
    }

    /// The weights of the step's excitatory arrivals (of input trains) for
    /// each of `n` neurons, summed in the arrivals' order (for
    /// `may_reach_threshold`), once a step (`begin_step` forgets them):
    /// each target asked summed them all, a look at every arrival of the
    /// step for each. Whether there is any.
    pub(super) fn excitatory_arrivals(&mut self, arrivals: &[Arrival], n: usize) -> bool {
        if arrivals.is_empty() {
            return false;
        }
        if !self.excitatory_arrivals_summed || self.excitatory_arrivals.len() != n {
            self.excitatory_arrivals.clear();
            self.excitatory_arrivals.resize(n, 0.0);
            for a in arrivals.iter().filter(|a| a.weight > 0.0) {
                match a.target {
                    Some(i) if i < n => self.excitatory_arrivals[i] += a.weight,
                    Some(_) => {}
                    None => self
                        .excitatory_arrivals
                        .iter_mut()
                        .for_each(|x| *x += a.weight),
                }
            }
            self.excitatory_arrivals_summed = true;
        }
        true
    }

    /// `excitatory_arrivals` of neuron i, once summed.
    pub(super) fn excitatory_arrivals_of(&self, i: usize) -> f64 {
        self.excitatory_arrivals[i]
    }

    /// `reach` of neuron i, once worked out.
    pub(super) fn reach_of(&self, i: usize) -> f64 {
        self.reach[i]
    }

    /// The network's excitatory input each neuron's state may hold now: for
    /// every spike of the step's list and of the round's moves (old and
    /// new: a superset of what any state holds while the round takes the
    /// old back and places the new), its positive weights into each target,
    /// summed, over tau_s (for `may_reach_threshold`). Once a round
    /// (`new_round`, as a round's spikes change), in time
    /// proportional to those spikes' targets; a neuron none of them reaches
    /// holds none. With every neuron sending to every other (p = 1) and
    /// twenty spikes a step, the bound from every excitatory weight in
    /// (`reach`) passed nearly every target of a moved spike, and
    /// each round re-solved the whole network: 1 s simulated took 111 s.
    pub(super) fn sum_held_excitation(
        &mut self,
        (spikes, moves): (&[StepSpike], &[Move]),
        connections: &Connections,
        (n, tau_s): (usize, f64),
    ) {
        if self.held_summed && self.held_stamp.len() == n {
            return;
        }
        if self.held_stamp.len() != n {
            self.held_excitation = vec![0.0; n];
            self.held_stamp = vec![0; n];
        }
        self.held_round += 1;
        let round = self.held_round;
        let synapses = connections.synapses();
        let senders = (spikes.iter().map(|s| s.neuron)).chain(moves.iter().map(|m| m.neuron));
        for j in senders {
            for syn in &synapses[connections.range(j)] {
                let i = syn.target as usize;
                if self.held_stamp[i] != round {
                    self.held_stamp[i] = round;
                    self.held_excitation[i] = 0.0;
                }
                self.held_excitation[i] += syn.weight.max(0.0) / tau_s;
            }
        }
        self.held_summed = true;
    }

    /// `sum_held_excitation` of neuron i, once summed.
    pub(super) fn held_excitation_of(&self, i: usize) -> f64 {
        if self.held_stamp.get(i) == Some(&self.held_round) {
            self.held_excitation[i]
        } else {
            0.0
        }
    }
}
