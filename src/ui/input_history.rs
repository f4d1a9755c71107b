//! The weights W and biases b of a small LIF network over the run, as the
//! engine used them. A change (a key, the parameter panel, a journal)
//! holds from the instant it is made: a spike fired before it was delivered
//! under the W before, and the input before it had the b before. The
//! weights view's sum over time reads them, so that its past z_i(t) is the
//! engine's input at t, not the sum redone with W and b as they are now
//! (after `+` on y1 of network-populations, y1's whole past z rose by 0.1).
//! A change of the filter h is noted too: the engine's filters carry their
//! state into the new h (or restart at 0 for a new order), which a sum of
//! h over the spikes does not redo, so the view says where its past uses
//! the h of now.

use crate::model::AnyModel;
use crate::model::network::Connections;
use crate::model::synapse::PscFilter;
use crate::sim::Simulation;

/// Networks up to this many neurons keep their history (the sum over time
/// is drawn for at most eight senders and eight receivers).
pub const MOST_NEURONS: usize = 64;
/// Changes kept: past these, the oldest go, and the earliest kept stands
/// for the time before it too.
const MOST_ERAS: usize = 1024;

/// W and b from one instant on.
#[derive(Debug, Clone, PartialEq)]
struct Era {
    /// When it began (s); the first era has no beginning (−∞).
    from_s: f64,
    connections: Connections,
    bias: Vec<f64>,
    filter: PscFilter,
}

/// W and b over the run, in eras, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct InputHistory {
    eras: Vec<Era>,
}

/// A LIF network's W, b and filter, if it is one small enough to keep.
fn weights_and_bias(sim: &Simulation) -> Option<(&Connections, &[f64], PscFilter)> {
    match &sim.model {
        AnyModel::Network(net) if net.len() <= MOST_NEURONS => {
            Some((net.connections(), net.bias(), net.params().filter))
        }
        _ => None,
    }
}

impl InputHistory {
    /// The history of a run starting now with the W and b it has: those
    /// stand for all of the past (a run restarted keeps what was changed).
    pub fn of(sim: &Simulation) -> Option<Self> {
        let (connections, bias, filter) = weights_and_bias(sim)?;
        Some(Self {
            eras: vec![Era {
                from_s: f64::NEG_INFINITY,
                connections: connections.clone(),
                bias: bias.to_vec(),
                filter,
            }],
        })
    }

    /// Notes W and b where they changed since last noted, as holding from
    /// now. Returns false where the model no longer has this history's
    /// neurons (another model took over): then start another.
    pub fn note(&mut self, sim: &Simulation) -> bool {
        let Some((connections, bias, filter)) = weights_and_bias(sim) else {
            return false;
        };
        let last = self.eras.last().expect("a history has an era");
        if last.bias.len() != bias.len() {
            return false;
        }
        if last.connections == *connections && last.bias == bias && last.filter == filter {
            return true;
        }
        let era = Era {
            from_s: sim.time_s(),
            connections: connections.clone(),
            bias: bias.to_vec(),
            filter,
        };
        // Changes made at one instant (keys pressed while paused) are one.
        match self.eras.last_mut() {
            Some(last) if last.from_s == era.from_s => *last = era,
            _ => self.eras.push(era),
        }
        if self.eras.len() > MOST_ERAS {
            self.eras.remove(0);
            self.eras[0].from_s = f64::NEG_INFINITY;
        }
        true
    }

    /// The spans of spike times each W held for, oldest first: a spike at
    /// t_p with `after < t_p <= upto` was delivered under era k's W
    /// (`weight`). A spike at the instant of a change was fired in the
    /// step before it.
    pub fn spans(&self) -> impl Iterator<Item = (f64, f64)> + '_ {
        self.eras.iter().enumerate().map(move |(k, era)| {
            let upto = self.eras.get(k + 1).map_or(f64::INFINITY, |e| e.from_s);
            (era.from_s, upto)
        })
    }

    /// w_ij in era k (`spans`).
    pub fn weight(&self, k: usize, i: usize, j: usize) -> f64 {
        self.eras[k].connections.weight(i, j)
    }

    /// b_i at t: from a change's instant on, the new one; with `before`,
    /// its value just before t (where it jumps at a change).
    pub fn bias(&self, i: usize, t_s: f64, before: bool) -> f64 {
        let held = |e: &&Era| {
            if before {
                e.from_s < t_s
            } else {
                e.from_s <= t_s
            }
        };
        let era = self.eras.iter().rev().find(held).unwrap_or(&self.eras[0]);
        era.bias[i]
    }

    /// When the filter h last changed, if it did.
    pub fn filter_changed_at(&self) -> Option<f64> {
        self.eras
            .windows(2)
            .rev()
            .find(|pair| pair[0].filter != pair[1].filter)
            .map(|pair| pair[1].from_s)
    }

    /// The instants within [t0, t1] at which W or b changed.
    pub fn changes_within(&self, t0: f64, t1: f64) -> impl Iterator<Item = f64> + '_ {
        self.eras
            .iter()
            .map(|e| e.from_s)
            .filter(move |&t| t >= t0 && t <= t1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::preset;

    fn sim(name: &str) -> Simulation {
        preset::load(name, &[]).unwrap().into_simulation().1
    }

    /// A bias changed at t_c holds from t_c; before it the old one; the
    /// left limit at t_c is the old one.
    #[test]
    fn a_bias_holds_from_the_instant_it_is_changed() {
        let mut s = sim("network-abc");
        let mut h = InputHistory::of(&s).unwrap();
        for _ in 0..100 {
            s.step().unwrap();
        }
        let t_c = s.time_s();
        let AnyModel::Network(net) = &mut s.model else {
            unreachable!()
        };
        net.bias_mut()[2] = 1.5;
        assert!(h.note(&s));
        assert_eq!(h.bias(2, t_c - 1e-9, false), 1.0);
        assert_eq!(h.bias(2, t_c, true), 1.0);
        assert_eq!(h.bias(2, t_c, false), 1.5);
        assert_eq!(h.bias(2, t_c + 1.0, false), 1.5);
        assert_eq!(h.bias(2, -1.0, false), 1.0);
        assert_eq!(h.changes_within(0.0, 1.0).collect::<Vec<_>>(), [t_c]);
        // Noting again with nothing changed adds nothing.
        assert!(h.note(&s));
        assert_eq!(h.eras.len(), 2);
    }

    /// Changes at one instant are one era, and past `MOST_ERAS` the
    /// oldest go, the earliest kept standing for all before it.
    #[test]
    fn changes_at_one_instant_are_one_and_the_history_is_bounded() {
        let mut s = sim("network-abc");
        let mut h = InputHistory::of(&s).unwrap();
        for k in 0..MOST_ERAS + 10 {
            s.step().unwrap();
            for b in [0.5, 2.0 + k as f64] {
                let AnyModel::Network(net) = &mut s.model else {
                    unreachable!()
                };
                net.bias_mut()[0] = b;
                h.note(&s);
            }
        }
        assert_eq!(h.eras.len(), MOST_ERAS);
        assert_eq!(h.eras[0].from_s, f64::NEG_INFINITY);
        assert_eq!(h.bias(0, -1.0, false), 12.0);
        assert_eq!(h.bias(0, s.time_s(), false), 2.0 + (MOST_ERAS + 9) as f64);
    }

    /// Only small LIF networks keep a history.
    #[test]
    fn only_small_networks_keep_one() {
        assert!(InputHistory::of(&sim("network-wta")).is_some());
        assert!(InputHistory::of(&sim("hh-rest")).is_none());
        assert!(InputHistory::of(&sim("rate-softmax")).is_none());
        assert!(InputHistory::of(&sim("network-benchmark")).is_none());
    }
}
