//! Which targets of a spike delivered out of time order hold an input later
//! in the step. The delivery's tests of a target read its state at the
//! step's end, which is the end of its trajectory with the inputs so far only
//! where those came in time order (delivery.rs); a spike a re-solve moved is
//! delivered after every other input of the step, so a target it excites
//! may cross and a later input bring it back, or hide the peak, with nothing
//! to see at the end (as for an input train's spike:
//! `Step::input_may_hide_crossing`).
//!
//! The targets of a moved spike are asked in increasing order (those within
//! reach of the threshold), so each later sender's sorted targets are walked
//! on beside them, at most once in all; a search of the step's spikes for
//! each target asked (a bisection in each later sender's targets) was
//! slower (benches/HISTORY.md, 2026-12-06).

use std::ops::Range;

use super::connections::{Connections, Synapse};
use super::solve::{Move, StepSpike};
use crate::model::Arrival;

/// The inputs of a step later than an offset, by sender: where each later
/// sender's targets are walked up to, and the input trains' later targets.
#[derive(Debug, Clone, Default)]
pub(super) struct LaterInputs {
    senders: Vec<Range<usize>>,
    /// A later input train for every neuron.
    every: bool,
    trains: Vec<usize>,
}

impl LaterInputs {
    /// The inputs later than `offset` that the targets' states may hold:
    /// the step's spikes, the round's old spikes (while they are taken back,
    /// those already taken back count too: a target asked more than it
    /// needs is only solved again), and the arrivals. Whether there is any.
    pub(super) fn gather(
        &mut self,
        offset: f64,
        (spikes, moves, arrivals): (&[StepSpike], &[Move], &[Arrival]),
        connections: &Connections,
    ) -> bool {
        self.senders.clear();
        self.trains.clear();
        self.every = false;
        let old = moves
            .iter()
            .filter(|m| !m.new)
            .map(|m| (m.neuron, m.offset_s));
        let senders = spikes.iter().map(|s| (s.neuron, s.offset_s)).chain(old);
        for (j, at) in senders {
            if at > offset {
                self.senders.push(connections.range(j));
            }
        }
        for a in arrivals.iter().filter(|a| a.offset_s > offset) {
            match a.target {
                Some(i) => self.trains.push(i),
                None => self.every = true,
            }
        }
        !self.senders.is_empty() || !self.trains.is_empty() || self.every
    }

    /// Whether target i holds a later input; targets asked in increasing
    /// order after `gather` (not necessarily every one: the walks go on
    /// from where the last target asked left them).
    pub(super) fn holds(&mut self, i: usize, synapses: &[Synapse]) -> bool {
        if self.every || self.trains.contains(&i) {
            return true;
        }
        let mut holds = false;
        for later in &mut self.senders {
            while later.start < later.end && (synapses[later.start].target as usize) < i {
                later.start += 1;
            }
            holds |= later.start < later.end && synapses[later.start].target as usize == i;
        }
        holds
    }
}
