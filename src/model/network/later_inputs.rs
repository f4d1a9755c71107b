//! Which targets of a spike delivered out of time order hold an input later
//! in the step. The delivery's tests of a target read its state at the
//! step's end, which is the end of its trajectory with the inputs so far only
//! where those came in time order (delivery.rs); a spike a re-solve moved is
//! delivered after every other input of the step, so a target it excites
//! may cross and a later input bring it back, or hide the peak, with nothing
//! to see at the end; so may an input train's spike, delivered after the
//! network's spikes (`Step::deliver_arrivals`).
//!
//! The targets of a moved spike are asked in increasing order (those within
//! reach of the threshold). With few later senders (a short step: about
//! four spikes a step in the benchmark network at dt = 0.1 ms) each later
//! sender's sorted targets are walked on beside them, at most once in all; a
//! search of the step's spikes for each target asked (a bisection in each
//! later sender's targets) was slower (benches/HISTORY.md, 2026-12-06).
//! With many (a long step: some 400 spikes a step in the benchmark network
//! at dt = 10 ms) every target asked would look at every later sender, for
//! each of hundreds of moved spikes a round (6.8 s for the network's 1 s,
//! three quarters of it here): instead the round keeps each neuron's latest
//! spike that the targets' states hold, and each target asked looks at its
//! own senders (the connections by target, made the first time a step needs
//! them). Either way the same answer. The input trains' latest spike for
//! each neuron is kept for the round either way.

use std::ops::Range;

use super::MAX_SYNAPSES;
use super::connections::{Connections, Synapse};
use super::solve::{Move, StepSpike};
use crate::model::Arrival;
use crate::sysmem;

/// Later senders walked beside the targets asked up to this many; from more
/// on, each target asked looks at its own senders. A walk costs each target
/// asked a look at every later sender, a target's own senders as many as
/// its inputs (20 in the benchmark network).
const WALK_UP_TO: usize = 16;

/// The inputs of a step later than an offset, through a round: of moves
/// (resolve.rs), or of the input trains' spikes delivered one by one
/// (`Step::deliver_arrivals`). With few senders, by sender, found again for
/// each spike asked about (`gather`): where each later sender's targets are
/// walked up to. With many, the latest spike of each neuron the targets'
/// states hold, kept through the round. The input trains' latest spike for
/// each neuron, for the round.
#[derive(Debug, Clone)]
pub(super) struct LaterInputs {
    walks: Vec<Range<usize>>,
    /// Whether the round keeps each sender's latest spike held (rather than
    /// walking the later senders).
    many: bool,
    /// The offset of the last `gather`.
    offset: f64,
    /// What the round keeps is what is marked with `round` (one more each
    /// round: nothing is cleared).
    round: u64,
    held_latest: Vec<f64>,
    held_mark: Vec<u64>,
    /// The latest of them (not lowered as old spikes are taken back: a
    /// `gather` may say there may be a later input where there is none).
    held_max: f64,
    train_latest: Vec<f64>,
    train_mark: Vec<u64>,
    /// The latest train spike for every neuron, and for any.
    every_latest: f64,
    any_train_latest: f64,
    senders_of: SendersOf,
    walk_up_to: usize,
}

impl Default for LaterInputs {
    fn default() -> Self {
        Self {
            walks: Vec::new(),
            many: false,
            offset: 0.0,
            round: 0,
            held_latest: Vec::new(),
            held_mark: Vec::new(),
            held_max: f64::NEG_INFINITY,
            train_latest: Vec::new(),
            train_mark: Vec::new(),
            every_latest: f64::NEG_INFINITY,
            any_train_latest: f64::NEG_INFINITY,
            senders_of: SendersOf::default(),
            walk_up_to: WALK_UP_TO,
        }
    }
}

/// The connections by target: the senders of neuron i are
/// `senders[start[i]..start[i + 1]]`, for the connections `of` (their id).
/// 4 bytes a synapse beside the connections' 12, made only for a network
/// that re-solves and has a step of many spikes.
#[derive(Debug, Clone, Default)]
struct SendersOf {
    of: Option<u64>,
    /// The connections they were not made for (too little memory): not
    /// asked again.
    refused: Option<u64>,
    start: Vec<usize>,
    senders: Vec<u32>,
}

impl SendersOf {
    /// Makes them for `connections` of `n` neurons unless they are;
    /// whether they are (false: not enough memory for them). The network
    /// was checked against the machine's memory before it was built
    /// (`peak_bytes`), without them: they are made only where they take at
    /// most half of what is available now (where that cannot be read, for
    /// at most `MAX_SYNAPSES`), as an allocation the system grants but
    /// cannot back ends the process when its pages are written.
    fn make(&mut self, connections: &Connections, n: usize) -> bool {
        if self.of == Some(connections.id()) && self.start.len() == n + 1 {
            return true;
        }
        if self.refused == Some(connections.id()) {
            return false;
        }
        self.of = None;
        let synapses = connections.synapses();
        let bytes = (synapses.len() * size_of::<u32>() + 2 * (n + 1) * size_of::<usize>()) as f64;
        let fits = bytes <= sysmem::NOT_WORTH_ASKING_BYTES
            || match sysmem::available_bytes() {
                Some(available) => bytes <= 0.5 * available,
                None => synapses.len() <= MAX_SYNAPSES,
            };
        if !fits {
            self.refused = Some(connections.id());
            return false;
        }
        let (mut start, mut senders) = (Vec::new(), Vec::new());
        if start.try_reserve_exact(n + 1).is_err()
            || senders.try_reserve_exact(synapses.len()).is_err()
        {
            self.refused = Some(connections.id());
            return false;
        }
        // Counted by target, summed into where each target's senders begin,
        // then filled sender by sender (so each target's are in order).
        start.resize(n + 1, 0);
        for s in synapses {
            start[s.target as usize + 1] += 1;
        }
        for i in 0..n {
            start[i + 1] += start[i];
        }
        senders.resize(synapses.len(), 0);
        let mut next = start.clone();
        for j in 0..n {
            for idx in connections.range(j) {
                let i = synapses[idx].target as usize;
                senders[next[i]] = j as u32;
                next[i] += 1;
            }
        }
        (self.start, self.senders) = (start, senders);
        self.of = Some(connections.id());
        true
    }

    fn of(&self, i: usize) -> &[u32] {
        &self.senders[self.start[i]..self.start[i + 1]]
    }
}

/// `latest[i]` raised to `offset`, where `mark[i]` is `round` (else set).
fn raise(latest: &mut [f64], mark: &mut [u64], round: u64, i: usize, offset: f64) {
    if mark[i] != round {
        (mark[i], latest[i]) = (round, offset);
    } else if offset > latest[i] {
        latest[i] = offset;
    }
}

impl LaterInputs {
    /// One that walks up to `senders` later senders (tests compare the
    /// walk with the latest spikes kept).
    #[cfg(test)]
    fn walking_up_to(senders: usize) -> Self {
        Self {
            walk_up_to: senders,
            ..Self::default()
        }
    }

    /// A round begins. Of moves, its old spikes about to be taken back: the
    /// inputs the targets' states may hold are the step's spikes (those of
    /// the moved neurons already out of the list), the round's old spikes
    /// (while they are taken back, those already taken back count too: a
    /// target asked more than it needs is only solved again), and the
    /// arrivals, in a network of `n` neurons. Of the trains' spikes, the
    /// step's spikes alone, each train's spike added as it is `delivered`.
    pub(super) fn begin_round(
        &mut self,
        (spikes, moves, arrivals): (&[StepSpike], &[Move], &[Arrival]),
        connections: &Connections,
        n: usize,
    ) {
        self.round += 1;
        let round = self.round;
        if self.held_mark.len() != n {
            (self.held_latest, self.train_latest) = (vec![0.0; n], vec![0.0; n]);
            (self.held_mark, self.train_mark) = (vec![0; n], vec![0; n]);
        }
        (self.every_latest, self.any_train_latest) = (f64::NEG_INFINITY, f64::NEG_INFINITY);
        for a in arrivals {
            self.delivered(a, n);
        }
        let old = moves.iter().filter(|m| !m.new);
        self.many = spikes.len() + old.clone().count() > self.walk_up_to
            && self.senders_of.make(connections, n);
        self.held_max = f64::NEG_INFINITY;
        if self.many {
            let held = (spikes.iter().map(|s| (s.neuron, s.offset_s)))
                .chain(old.map(|m| (m.neuron, m.offset_s)));
            for (j, offset) in held {
                self.hold(round, j, offset);
            }
        }
    }

    /// Neuron j's spike at `offset` is held.
    fn hold(&mut self, round: u64, j: usize, offset: f64) {
        raise(&mut self.held_latest, &mut self.held_mark, round, j, offset);
        self.held_max = self.held_max.max(offset);
    }

    /// The round's old spikes are all taken back (`moves` holds them still):
    /// their neurons hold no spike until new ones are `placed`.
    pub(super) fn placing(&mut self, moves: &[Move]) {
        if self.many {
            for m in moves.iter().filter(|m| !m.new) {
                self.held_mark[m.neuron] = self.round;
                self.held_latest[m.neuron] = f64::NEG_INFINITY;
            }
        }
    }

    /// An input train's spike is delivered (its targets hold it from now
    /// on), in a network of `n` neurons.
    pub(super) fn delivered(&mut self, a: &Arrival, n: usize) {
        self.any_train_latest = self.any_train_latest.max(a.offset_s);
        let (latest, mark) = (&mut self.train_latest, &mut self.train_mark);
        match a.target {
            Some(i) if i < n => raise(latest, mark, self.round, i, a.offset_s),
            Some(_) => {}
            None => self.every_latest = self.every_latest.max(a.offset_s),
        }
    }

    /// A new spike of neuron j at `offset` is placed in the step's list.
    pub(super) fn placed(&mut self, j: usize, offset: f64) {
        if self.many {
            self.hold(self.round, j, offset);
        }
    }

    /// The inputs later than `offset` among what the round's targets hold
    /// (`begin_round`): with few senders, from the step's list and the
    /// round's old spikes as they stand. Whether there may be any.
    pub(super) fn gather(
        &mut self,
        offset: f64,
        (spikes, moves): (&[StepSpike], &[Move]),
        connections: &Connections,
    ) -> bool {
        self.offset = offset;
        if self.many {
            return self.held_max > offset || self.any_train_latest > offset;
        }
        self.walks.clear();
        let old = moves
            .iter()
            .filter(|m| !m.new)
            .map(|m| (m.neuron, m.offset_s));
        let senders = spikes.iter().map(|s| (s.neuron, s.offset_s)).chain(old);
        for (j, at) in senders {
            if at > offset {
                self.walks.push(connections.range(j));
            }
        }
        !self.walks.is_empty() || self.any_train_latest > offset
    }

    /// Whether target i holds an input later than the last `gather`'s
    /// offset; targets asked in increasing order after `gather` (not
    /// necessarily every one: the walks go on from where the last target
    /// asked left them).
    pub(super) fn holds(&mut self, i: usize, synapses: &[Synapse]) -> bool {
        let (offset, round) = (self.offset, self.round);
        if self.every_latest > offset
            || (self.train_mark[i] == round && self.train_latest[i] > offset)
        {
            return true;
        }
        if self.many {
            let (mark, latest) = (&self.held_mark, &self.held_latest);
            let later = |&j: &u32| mark[j as usize] == round && latest[j as usize] > offset;
            return self.senders_of.of(i).iter().any(later);
        }
        let mut holds = false;
        for later in &mut self.walks {
            while later.start < later.end && (synapses[later.start].target as usize) < i {
                later.start += 1;
            }
            holds |= later.start < later.end && synapses[later.start].target as usize == i;
        }
        holds
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Spikes of the step from (neuron, offset) pairs.
    fn step_spikes(pairs: impl IntoIterator<Item = (usize, f64)>) -> Vec<StepSpike> {
        let spike = |(neuron, offset_s)| StepSpike { neuron, offset_s };
        pairs.into_iter().map(spike).collect()
    }

    /// Train spikes of weight 0.1 from (target, offset) pairs.
    fn train_spikes(pairs: Vec<(Option<usize>, f64)>) -> Vec<Arrival> {
        let arrival = |(target, offset_s)| Arrival {
            target,
            weight: 0.1,
            offset_s,
            time_s: offset_s,
        };
        pairs.into_iter().map(arrival).collect()
    }

    /// The later inputs of target i, as defined: a spike of the list or an
    /// old one of `moves` later than `offset` from a neuron that sends to
    /// it, or a train's later spike for it (or for every neuron).
    fn defined(
        w: &[Vec<f64>],
        (spikes, moves, arrivals): (&[StepSpike], &[Move], &[Arrival]),
        offset: f64,
        i: usize,
    ) -> bool {
        let old = moves.iter().filter(|m| !m.new);
        let senders = (spikes.iter().map(|s| (s.neuron, s.offset_s)))
            .chain(old.map(|m| (m.neuron, m.offset_s)));
        senders
            .filter(|&(_, at)| at > offset)
            .any(|(j, _)| w[i][j] != 0.0)
            || (arrivals.iter()).any(|a| a.offset_s > offset && a.target.is_none_or(|t| t == i))
    }

    proptest! {
        /// Through rounds of moves as the re-solve makes them (the moved
        /// neurons' spikes out of the list, every old spike taken back, then
        /// every new one placed in the list), the walk and the latest spikes
        /// kept answer as the definition does for each moved spike's
        /// targets asked (in increasing order, some skipped); for any number
        /// of senders (kept from 0 on, walked up to all), on the same
        /// connections round after round.
        #[test]
        fn the_walk_and_the_latest_spikes_answer_as_the_definition(
            w in prop::collection::vec(
                prop::collection::vec(prop_oneof![3 => Just(0.0), 1 => -1.0..1.0f64], 12),
                12,
            ),
            rounds in prop::collection::vec(
                (
                    prop::collection::vec((0usize..12, 0.0..1.0f64), 0..30),
                    prop::collection::vec((0usize..12, 0.0..1.0f64, any::<bool>()), 0..8),
                    prop::collection::vec((prop::option::of(0usize..14), 0.0..1.0f64), 0..4),
                    prop::collection::vec(any::<bool>(), 12),
                ),
                1..4,
            ),
        ) {
            let connections = Connections::from_dense(&w);
            let synapses = connections.synapses();
            let mut kinds = [LaterInputs::walking_up_to(usize::MAX), LaterInputs::walking_up_to(0)];
            for (spikes, moves, trains, asked) in rounds {
                let mut moves: Vec<Move> = moves
                    .into_iter()
                    .map(|(neuron, offset_s, new)| Move { neuron, offset_s, new })
                    .collect();
                // The moved neurons' spikes are out of the list.
                let mut spikes =
                    step_spikes(spikes.into_iter().filter(|&(j, _)| !moves.iter().any(|m| m.neuron == j)));
                let arrivals = train_spikes(trains);
                for kind in &mut kinds {
                    kind.begin_round((&spikes, &moves, &arrivals), &connections, 12);
                }
                // Each old spike taken back, then each new one placed.
                let ask = |kinds: &mut [LaterInputs; 2], spikes: &[StepSpike], moves: &[Move], offset: f64| {
                    let inputs = (spikes, moves, &arrivals[..]);
                    let any = (0..12).any(|i| defined(&w, inputs, offset, i));
                    for kind in kinds.iter_mut() {
                        let gathered = kind.gather(offset, (spikes, moves), &connections);
                        prop_assert!(gathered || !any, "{:?} {:?} at {}", spikes, moves, offset);
                        for i in (0..12).filter(|&i| asked[i]) {
                            let expected = defined(&w, inputs, offset, i);
                            let many = kind.many;
                            prop_assert_eq!(gathered && kind.holds(i, synapses), expected, "target {}, many {}", i, many);
                        }
                    }
                    Ok(())
                };
                for m in moves.clone().iter().filter(|m| !m.new) {
                    ask(&mut kinds, &spikes, &moves, m.offset_s)?;
                }
                for kind in &mut kinds {
                    kind.placing(&moves);
                }
                moves.retain(|m| m.new);
                for m in moves.clone() {
                    spikes.push(StepSpike { neuron: m.neuron, offset_s: m.offset_s });
                    for kind in &mut kinds {
                        kind.placed(m.neuron, m.offset_s);
                    }
                    ask(&mut kinds, &spikes, &moves, m.offset_s)?;
                }
            }
        }

        /// As the input trains' spikes are delivered after the network's
        /// (`Step::deliver_arrivals`), each train's spike's targets asked
        /// hold a later input as the definition says, the held inputs being
        /// the step's spikes and the trains' spikes delivered before it;
        /// both ways.
        #[test]
        fn trains_delivered_one_by_one_answer_as_the_definition(
            w in prop::collection::vec(
                prop::collection::vec(prop_oneof![3 => Just(0.0), 1 => -1.0..1.0f64], 12),
                12,
            ),
            spikes in prop::collection::vec((0usize..12, 0.0..1.0f64), 0..30),
            trains in prop::collection::vec((prop::option::of(0usize..14), 0.0..1.0f64), 1..12),
            asked in prop::collection::vec(any::<bool>(), 12),
        ) {
            let connections = Connections::from_dense(&w);
            let synapses = connections.synapses();
            let (spikes, arrivals) = (step_spikes(spikes), train_spikes(trains));
            let mut kinds = [LaterInputs::walking_up_to(usize::MAX), LaterInputs::walking_up_to(0)];
            for kind in &mut kinds {
                kind.begin_round((&spikes, &[], &[]), &connections, 12);
            }
            for (k, a) in arrivals.iter().enumerate() {
                let inputs = (&spikes[..], &[][..], &arrivals[..k]);
                let any = (0..12).any(|i| defined(&w, inputs, a.offset_s, i));
                for kind in &mut kinds {
                    let gathered = kind.gather(a.offset_s, (&spikes, &[]), &connections);
                    prop_assert!(gathered || !any);
                    for i in (0..12).filter(|&i| asked[i]) {
                        let expected = defined(&w, inputs, a.offset_s, i);
                        prop_assert_eq!(gathered && kind.holds(i, synapses), expected, "target {}", i);
                    }
                    kind.delivered(a, 12);
                }
            }
        }
    }

    /// A network whose long steps hold many spikes (some 40 a step at
    /// dt = 5 ms, 60 neurons firing at 100 Hz and more), with input trains
    /// to single neurons and to every one, steps to the same spikes, bit
    /// for bit, whether its rounds walk the later senders or keep their
    /// latest spikes, for filters of order 0 and 1.
    #[test]
    fn a_network_steps_the_same_whether_it_walks_or_keeps_the_latest_spikes() {
        use super::super::tests::{arrivals_in_step, params};
        use super::super::{Connections, LifNetwork};
        use crate::model::Spike;
        let n = 60;
        // A fixed draw (a linear congruential generator): half the pairs
        // connected, weights from -0.02 to 0.04, biases from 1.2 to 2.
        let mut x = 12345u64;
        let mut draw = move || {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 11) as f64 / (1u64 << 53) as f64
        };
        let w: Vec<Vec<f64>> = (0..n)
            .map(|_| {
                (0..n)
                    .map(|_| {
                        if draw() < 0.5 {
                            -0.02 + 0.06 * draw()
                        } else {
                            0.0
                        }
                    })
                    .collect()
            })
            .collect();
        let bias: Vec<f64> = (0..n).map(|_| 1.2 + 0.8 * draw()).collect();
        let v0: Vec<f64> = (0..n).map(|_| draw()).collect();
        let trains: Vec<(f64, f64, Option<usize>)> = (0..200)
            .map(|k| {
                let target = (k % 7 != 0).then(|| (draw() * n as f64) as usize);
                (0.1 * draw(), 0.05 * draw() - 0.01, target)
            })
            .collect();
        let dt = 0.005;
        for order in [0, 1] {
            let run = |walk_up_to: usize| {
                let mut net = LifNetwork::new(
                    params(order, 0.005),
                    (0..n).map(|i| format!("n{i}")).collect(),
                    bias.clone(),
                    Connections::from_dense(&w),
                    v0.clone(),
                    dt,
                );
                net.resolve.later = LaterInputs::walking_up_to(walk_up_to);
                let (mut spikes, mut most) = (Vec::<Spike>::new(), 0);
                for k in 0..20 {
                    let t0 = k as f64 * dt;
                    let arrivals = arrivals_in_step(&trains, t0, dt);
                    let before = spikes.len();
                    net.step_with_arrivals(t0, &[], &arrivals, &mut spikes);
                    most = most.max(spikes.len() - before);
                }
                (spikes, most)
            };
            let ((walked, most), (kept, _)) = (run(usize::MAX), run(0));
            assert!(
                most > 2 * WALK_UP_TO,
                "order {order}: {most} spikes at most in a step"
            );
            let same = |(a, b): (&Spike, &Spike)| {
                a.neuron == b.neuron && a.time_s.to_bits() == b.time_s.to_bits()
            };
            let first_apart = walked.iter().zip(&kept).position(|pair| !same(pair));
            assert!(
                walked.len() == kept.len() && first_apart.is_none(),
                "order {order}: {} and {} spikes, apart from {first_apart:?}",
                walked.len(),
                kept.len()
            );
        }
    }
}
