//! The in-step re-solve, which makes the spike times of a network below
//! `EXACT_IN_STEP_BELOW` neurons exact (of any size, asked by
//! `InStepResolve::Always`). The first pass and the event paths
//! locate crossings without the step's own inputs, and the delivery adds
//! those at the step's end: exact unless an input lands before a crossing in
//! the same step. The delivery, in time order, lists such neurons
//! (suspects): one integrating at the input whose trajectory with the
//! inputs so far ends above the threshold or, after an excitatory input, may
//! peak above it inside the step (the input made it cross), or one
//! refractory at the input with a spike later in the step (after it woke).
//! An input delivered out of time order (an input train's, after the
//! network's spikes; a moved spike's, below) that raises a target's v lists
//! it too where its state holds a later input and it may reach the threshold
//! at all (`Step::deliver_arrivals`, later_inputs.rs).
//! Each is solved again from the step's start with every input of the step
//! in time order (`solve_step`). Where a neuron's spikes move, its targets'
//! inputs moved too: the old spikes' effects are taken back and the new
//! ones' added, and the targets this lists are re-solved in the next round,
//! until no spike moves (rounds as long as the chain of spikes that cause
//! one another inside the step: a few, 13 at most measured at N = 4,000 and
//! dt = 1 ms). A round of many suspects against many spikes (a runaway's
//! thousands of each) is indexed once (resolve_index.rs) rather than
//! searched suspect by suspect, with the same results to the last bit.

use super::connections::Synapse;
use super::delivery::over_all;
use super::exact::SegmentTrajectory;
use super::excitation::ExcitationBounds;
use super::first_order::{FirstOrderPropagator, WithInputs};
use super::later_inputs::LaterInputs;
use super::propagator::Segment;
use super::resolve_index::{INDEXED_FROM_PAIRS, RoundIndex};
use super::solve::{Input, Move, StepEnd, StepRule, StepSpike, Trajectory, solve_step};
use super::state::Rest;
use super::{Step, state};
use crate::model::{Arrival, runaway_spikes};

/// A bound on the rounds of re-solving a step (each round re-solves the
/// targets of the neurons whose spikes moved in the last).
const MAX_RESOLVE_ROUNDS: usize = 64;

/// What the re-solve works in.
#[derive(Debug, Clone)]
pub(super) struct ResolveScratch {
    /// Whether the step re-solves in-step crossings (`InStepResolve`).
    enabled: bool,
    /// The neurons whose crossing an input of the step may have caused or
    /// moved, and the neurons re-solved in the step.
    pub(super) suspects: Vec<u32>,
    /// A bit a neuron, all clear between rounds: a long round's suspects
    /// sorted and made distinct by them (`sort_distinct`).
    suspect_bits: Vec<u64>,
    resolved: Vec<u32>,
    /// The spikes a round of re-solving moved, old and new.
    pub(super) moves: Vec<Move>,
    /// A moved spike's later inputs (later_inputs.rs).
    pub(super) later: LaterInputs,
    /// Bounds on each neuron's excitatory input in a step, for
    /// `Step::may_reach_threshold` (excitation.rs).
    pub(super) excitation: ExcitationBounds,
    /// A re-solved neuron's inputs, and its new spikes' offsets.
    inputs: Vec<Input>,
    new_spikes: Vec<f64>,
    /// A re-solved neuron's spikes before, as offsets.
    old_spikes: Vec<f64>,
    /// A round of many suspects and spikes, indexed: from this many
    /// (suspect, spike) pairs on.
    index: RoundIndex,
    indexed_from_pairs: usize,
}

impl ResolveScratch {
    pub(super) fn new(enabled: bool) -> Self {
        Self {
            enabled,
            suspects: Vec::new(),
            suspect_bits: Vec::new(),
            resolved: Vec::new(),
            moves: Vec::new(),
            inputs: Vec::new(),
            new_spikes: Vec::new(),
            old_spikes: Vec::new(),
            index: RoundIndex::default(),
            indexed_from_pairs: INDEXED_FROM_PAIRS,
            excitation: ExcitationBounds::default(),
            later: LaterInputs::default(),
        }
    }

    pub(super) fn enabled(&self) -> bool {
        self.enabled
    }

    /// Room for every neuron, so that a step never allocates.
    pub(super) fn reserve(&mut self, n: usize) {
        self.suspects.reserve(n);
        self.suspect_bits.resize(n.div_ceil(64), 0);
        self.resolved.reserve(n);
        self.inputs.reserve(n + 64);
        self.moves.reserve(n + 64);
        self.new_spikes.reserve(64);
        self.old_spikes.reserve(64);
    }

    /// Rounds of `pairs` (suspect, spike) pairs or more are indexed (a test
    /// compares always with never).
    #[cfg(test)]
    pub(super) fn index_from_pairs(&mut self, pairs: usize) {
        self.indexed_from_pairs = pairs;
    }

    /// A new step: last step's re-solved neurons that woke inside it
    /// integrate from the start of this one, and its arrivals are summed
    /// anew (a state restored from earlier steps them again, perhaps with
    /// other arrivals).
    pub(super) fn begin_step(&mut self, rest: &mut Rest, dt: f64) {
        let mut rest = rest.as_mut();
        for &i in &self.resolved {
            rest.awake_from_start(i as usize, dt);
        }
        self.resolved.clear();
        self.suspects.clear();
        self.moves.clear();
        self.excitation.new_step();
    }

    /// The last step's re-solved neurons forgotten (a state restored,
    /// `LifNetwork::restore`).
    pub(super) fn forget_last_step(&mut self) {
        self.resolved.clear();
    }

    /// Neuron i must be re-solved (if this network re-solves at all).
    pub(super) fn suspect(&mut self, i: usize) {
        if self.enabled {
            self.suspects.push(i as u32);
        }
    }
}

impl Step<'_> {
    /// Re-solves, from the step's start and with every input of the step in
    /// time order, each suspect, in rounds until no spike moves (the
    /// module's doc).
    pub(super) fn resolve_in_step_crossings(&mut self, arrivals: &[Arrival]) {
        if self.resolve.suspects.is_empty() {
            return;
        }
        let c = FirstOrderPropagator::of(self);
        let mut moved_any = false;
        for _ in 0..MAX_RESOLVE_ROUNDS {
            if self.resolve.suspects.is_empty() {
                break;
            }
            let n = self.state.v.len();
            let r = &mut *self.resolve;
            sort_distinct(&mut r.suspects, &mut r.suspect_bits, n);
            let pairs = self.resolve.suspects.len() * self.scratch.spikes.len();
            if pairs >= self.resolve.indexed_from_pairs {
                let r = &mut *self.resolve;
                let n = self.state.v.len();
                r.index
                    .build(n, &r.suspects, &self.scratch.spikes, self.connections);
            }
            // Every suspect is re-solved against the spikes the round began
            // with; the moves are delivered after, so that each target's
            // state holds each input once. A round whose moves bring the
            // step's spikes to a runaway's ends there (`runaway_spikes`).
            self.resolve.moves.clear();
            let mut spikes = self.scratch.spikes.len();
            let limit = runaway_spikes(self.state.v.len());
            for k in 0..self.resolve.suspects.len() {
                let before = self.resolve.moves.len();
                self.resolve_neuron(k, arrivals, &c);
                for m in &self.resolve.moves[before..] {
                    if m.new {
                        spikes += 1;
                    } else {
                        spikes -= 1;
                    }
                }
                if spikes >= limit {
                    break;
                }
            }
            // The moved spikes: in the list, then their effect on each target
            // changed from the old offset to the new; targets this may make
            // cross, or whose crossing it may move, are the next round's.
            moved_any |= !self.resolve.moves.is_empty();
            let r = &mut *self.resolve;
            if r.index.built() {
                r.index.note_moved(&r.moves);
                let index = &r.index;
                self.scratch.spikes.retain(|s| !index.moved(s.neuron));
                r.index.clear(&r.suspects);
            } else {
                let moves = &r.moves;
                self.scratch
                    .spikes
                    .retain(|s| !moves.iter().any(|m| m.neuron == s.neuron));
            }
            r.suspects.clear();
            if spikes >= limit {
                // Reported as it stands: the new spikes placed, not delivered.
                let placed = r.moves.iter().filter(|m| m.new);
                self.scratch.spikes.extend(placed.map(|m| StepSpike {
                    neuron: m.neuron,
                    offset_s: m.offset_s,
                }));
                break;
            }
            // Every old spike taken back, then every new one placed, so that
            // a new spike's later inputs (later_inputs.rs) are ones the
            // targets' states hold: not a spike of the same neuron taken back
            // already, which would send every target of a spike moved earlier
            // to be solved again.
            let (r, n) = (&mut *self.resolve, self.state.v.len());
            let round = (&self.scratch.spikes[..], &r.moves[..], arrivals);
            r.later.begin_round(round, self.connections, n);
            r.excitation.new_round();
            for k in 0..self.resolve.moves.len() {
                if !self.resolve.moves[k].new {
                    self.redeliver(self.resolve.moves[k], &c, arrivals);
                }
            }
            self.resolve.later.placing(&self.resolve.moves);
            self.resolve.moves.retain(|m| m.new);
            for k in 0..self.resolve.moves.len() {
                self.redeliver(self.resolve.moves[k], &c, arrivals);
            }
        }
        if moved_any {
            self.sort_spikes();
        }
    }

    /// The round's `k`th suspect solved again from the step's start; its
    /// spikes that moved (beyond rounding: the paths differ in their last
    /// bits) go to `moves`.
    fn resolve_neuron(&mut self, k: usize, arrivals: &[Arrival], c: &FirstOrderPropagator) {
        let i = self.resolve.suspects[k] as usize;
        let step = self.state.step_index;
        let last = &self.state.last_event;
        let refractory = if last.step[i] == step {
            last.start_refractory[i]
        } else {
            match state::refractory_at_start(
                self.state.rest.wake_step[i],
                self.state.rest.refractory_s[i],
                step,
            ) {
                Some(r) => r,
                None => return,
            }
        };
        self.gather_inputs(k, i, arrivals);
        let StepEnd {
            refractory_left,
            from,
        } = self.solve_with_inputs(i, refractory, c);
        let dt = self.prop.dt_s;
        self.state
            .rest
            .as_mut()
            .end_event_step(i, step, dt, refractory_left, from);
        let new_spikes = &self.resolve.new_spikes;
        let last = &mut self.state.last_event;
        last.step[i] = step;
        last.start_refractory[i] = refractory;
        last.last_spike_s[i] = new_spikes.last().copied().unwrap_or(f64::NEG_INFINITY);
        self.resolve.resolved.push(i as u32);
        let ns = self.p.stages();
        self.scratch.finite &= self.state.v[i].is_finite()
            && self.state.stages[i * ns..(i + 1) * ns]
                .iter()
                .all(|x| x.is_finite());
        self.note_moves(k, i);
    }

    /// Solves neuron i's step again from its start, with its gathered inputs
    /// in time order, into its state; its spikes go to `new_spikes`. The
    /// state at the step's start is the first-order step's double buffer,
    /// or the copy the other orders make.
    #[inline]
    fn solve_with_inputs(
        &mut self,
        i: usize,
        refractory: f64,
        c: &FirstOrderPropagator,
    ) -> StepEnd {
        let ns = self.p.stages();
        let (inputs, new_spikes) = (&self.resolve.inputs, &mut self.resolve.new_spikes);
        new_spikes.clear();
        let rule = StepRule {
            dt: self.prop.dt_s,
            tau_ref: self.p.tau_ref_s,
            refractory,
            inputs,
            self_weight: Some(self.connections.weight(i, i)),
        };
        let on_spike = |offset: f64| new_spikes.push(offset);
        if ns == 1 {
            let mut neuron = WithInputs {
                c,
                drive: self.drive[i],
                v: self.scratch.next_v[i],
                s: self.scratch.next_s[i],
            };
            let end = solve_step(&mut neuron, &rule, on_spike);
            (self.state.v[i], self.state.stages[i]) = (neuron.v(), neuron.s);
            end
        } else {
            let mut neuron = SegmentTrajectory {
                seg: Segment::load(
                    self.scratch.next_v[i],
                    &self.scratch.next_s[i * ns..(i + 1) * ns],
                ),
                p: self.p,
                drive: self.drive[i],
                step: self.prop,
            };
            let end = solve_step(&mut neuron, &rule, on_spike);
            self.state.v[i] = neuron.seg.v;
            self.state.stages[i * ns..(i + 1) * ns].copy_from_slice(&neuron.seg.stages[..ns]);
            end
        }
    }

    /// If neuron i's (the round's `k`th suspect's) spikes in `new_spikes`
    /// differ from those of the step's list, the old ones are taken back and
    /// the new placed (`moves`).
    #[inline]
    fn note_moves(&mut self, k: usize, i: usize) {
        let r = &mut *self.resolve;
        let spikes = &self.scratch.spikes;
        r.old_spikes.clear();
        if r.index.built() {
            let own = r.index.own_spikes_of(k).iter();
            r.old_spikes
                .extend(own.map(|&x| spikes[x as usize].offset_s));
        } else {
            let own = spikes.iter().filter(|s| s.neuron == i);
            r.old_spikes.extend(own.map(|s| s.offset_s));
        }
        let (old, new_spikes) = (&r.old_spikes, &r.new_spikes);
        let tolerance = 1e-12 * self.prop.dt_s;
        let moved = old.len() != new_spikes.len()
            || old
                .iter()
                .zip(new_spikes)
                .any(|(a, b)| (a - b).abs() > tolerance);
        if moved {
            let taken_back = old.iter().map(|&offset_s| Move {
                neuron: i,
                offset_s,
                new: false,
            });
            r.moves.extend(taken_back);
            let placed = new_spikes.iter().map(|&offset_s| Move {
                neuron: i,
                offset_s,
                new: true,
            });
            r.moves.extend(placed);
        }
    }

    /// A moved spike: in the step's list if new, and its effect on each
    /// target added, or taken back if old. Its own re-solve placed a
    /// spike's effect on the neuron itself (a connection to itself): the
    /// targets before and after it. A target whose v it raises (a new
    /// excitatory spike, an inhibitory one taken back), that may reach the
    /// threshold in the step (`Step::may_reach_threshold`) and whose state
    /// holds a later input (later_inputs.rs) is solved again.
    fn redeliver(&mut self, m: Move, c: &FirstOrderPropagator, arrivals: &[Arrival]) {
        let Move {
            neuron: j,
            offset_s,
            new,
        } = m;
        if new {
            self.scratch.spikes.push(StepSpike {
                neuron: j,
                offset_s,
            });
            self.resolve.later.placed(j, offset_s);
        }
        let sign = if new { 1.0 } else { -1.0 };
        let all = self.connections.range(j);
        let own =
            self.connections.first_target_from(j, j)..self.connections.first_target_from(j, j + 1);
        let parts = [all.start..own.start, own.end..all.end];
        if self.p.stages() == 1 {
            let state = &mut *self.state;
            for part in parts.clone() {
                let targets = |_| part.clone();
                let suspects = &mut self.resolve.suspects;
                let (mut delivery, mut finder) =
                    over_all(c, self.connections, targets, state, self.drive, suspects);
                let spike = [StepSpike {
                    neuron: j,
                    offset_s,
                }];
                delivery.deliver::<true>(&spike, sign, &mut finder);
            }
        } else {
            let at_end = self.impulse_to_end(offset_s);
            for idx in parts.clone().into_iter().flatten() {
                let syn = self.connections.synapses()[idx];
                self.deliver_to(syn.target as usize, sign * syn.weight, offset_s, &at_end);
            }
        }
        // Delivered out of time order: a target whose v it raises, that may
        // reach the threshold in the step (`Step::may_reach_threshold`) and
        // holds a later input (later_inputs.rs), is solved again, as for an
        // input train's spike (`Step::deliver_arrivals`). The bound
        // goes first: in the benchmark network at N = 3,000 about 3% of
        // the targets asked pass it.
        let r = &mut *self.resolve;
        let inputs = (&self.scratch.spikes[..], &r.moves[..]);
        if !r.later.gather(offset_s, inputs, self.connections) {
            return;
        }
        let bound = self.threshold_bound(arrivals);
        let synapses = self.connections.synapses();
        for idx in parts.into_iter().flatten() {
            let Synapse { target, weight } = synapses[idx];
            let i = target as usize;
            if sign * weight > 0.0
                && self.may_reach_threshold(i, bound)
                && self.resolve.later.holds(i, synapses)
            {
                self.resolve.suspect(i);
            }
        }
    }

    /// Neuron i's (the round's `k`th suspect's) inputs in the step, in time
    /// order: the step's spikes of its presynaptic neurons (from the round's
    /// index, or found by bisection in each sender's sorted targets) and the
    /// arriving spikes of input trains. Its own spikes are not among them: a
    /// connection to itself acts at each of its spikes, which the re-solve
    /// places itself.
    fn gather_inputs(&mut self, k: usize, i: usize, arrivals: &[Arrival]) {
        let r = &mut *self.resolve;
        let inputs = &mut r.inputs;
        inputs.clear();
        if r.index.built() {
            inputs.extend_from_slice(r.index.inputs_of(k));
        } else {
            for s in &self.scratch.spikes {
                if s.neuron != i {
                    let weight = self.connections.weight(i, s.neuron);
                    if weight != 0.0 {
                        inputs.push(Input {
                            offset_s: s.offset_s,
                            weight,
                        });
                    }
                }
            }
        }
        for a in arrivals {
            if a.target.is_none_or(|t| t == i) {
                inputs.push(Input {
                    offset_s: a.offset_s,
                    weight: a.weight,
                });
            }
        }
        inputs.sort_unstable_by(|a, b| a.offset_s.total_cmp(&b.offset_s));
    }
}

/// From this many entries a round's suspects are made distinct by their
/// bits rather than sorted (where the bits are not many more words than
/// the entries).
const DISTINCT_BY_BITS_FROM: usize = 256;

/// `list`, neurons below `n`, sorted and each once. A long step's round
/// lists each target once for every moved spike that reaches it (some
/// 16,000 entries for 900 neurons in the benchmark network at dt = 10 ms,
/// whose sort was 13% of the run's instructions, callgrind): from
/// `DISTINCT_BY_BITS_FROM` entries each sets its neuron's bit in `bits`,
/// which are then read back in order and cleared. The same list either way.
fn sort_distinct(list: &mut Vec<u32>, bits: &mut Vec<u64>, n: usize) {
    let words = n.div_ceil(64);
    if list.len() < DISTINCT_BY_BITS_FROM || words > 4 * list.len() {
        list.sort_unstable();
        list.dedup();
        return;
    }
    if bits.len() < words {
        bits.resize(words, 0);
    }
    for &i in list.iter() {
        bits[i as usize / 64] |= 1 << (i % 64);
    }
    list.clear();
    for (w, word) in bits[..words].iter_mut().enumerate() {
        let mut set = std::mem::take(word);
        while set != 0 {
            list.push((w * 64) as u32 + set.trailing_zeros());
            set &= set - 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{DISTINCT_BY_BITS_FROM, sort_distinct};
    use proptest::prelude::*;

    proptest! {
        /// Short or long, with repeats or without, in networks from one
        /// neuron to more than the bits' words can hold at a time: the
        /// list sorted and each once, as a sort and dedup make it, and the
        /// bits left clear for the next round.
        #[test]
        fn a_rounds_suspects_are_sorted_and_distinct(
            (n, list) in (1usize..3000).prop_flat_map(|n| (
                Just(n),
                prop::collection::vec(0..n as u32, 0..4 * DISTINCT_BY_BITS_FROM),
            )),
            rounds in 1usize..3,
        ) {
            let mut expected = list.clone();
            expected.sort_unstable();
            expected.dedup();
            let mut bits = Vec::new();
            for _ in 0..rounds {
                let mut got = list.clone();
                sort_distinct(&mut got, &mut bits, n);
                prop_assert_eq!(&got, &expected);
                prop_assert!(bits.iter().all(|&w| w == 0));
            }
        }
    }
}
