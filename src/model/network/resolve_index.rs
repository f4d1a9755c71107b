//! The re-solve's index of one round (resolve.rs) where the round has many
//! suspects and the step many spikes: a runaway's thousands of each, where
//! searching the step's spikes for each suspect (its inputs by bisection in
//! each sender's targets, its own spikes by a scan, the moved ones by
//! another) took seconds a step at 4,000 neurons. Indexed once a round, in
//! time linear in the spikes' connections, each suspect's inputs and own
//! spikes are what the searches find, in the same order, so the solutions
//! are the same to the last bit.

use super::connections::Connections;
use super::solve::{Input, Move, StepSpike};

/// Not a suspect of the round.
const NONE: u32 = u32::MAX;

/// Past this many (suspect, spike) pairs a round is indexed rather than
/// searched: the index costs a pass over the spikes' connections and each
/// suspect's place, the searches a few operations a pair (the benchmark
/// network's rounds, a suspect or two against a few spikes, stay searched).
pub(super) const INDEXED_FROM_PAIRS: usize = 1 << 14;

/// The suspects' inputs and own spikes, suspect by suspect.
#[derive(Debug, Clone, Default)]
pub(super) struct RoundIndex {
    /// Each neuron's place among the round's suspects (`NONE`: not one).
    slot: Vec<u32>,
    /// The inputs from the step's spikes, in the spikes' order, and where
    /// each suspect's begin (one more entry than suspects).
    inputs: Vec<Input>,
    inputs_start: Vec<usize>,
    /// The suspects' own spikes (their places in the step's list), likewise.
    own: Vec<u32>,
    own_start: Vec<usize>,
    /// Where the next of each suspect's entries goes while filling.
    fill: Vec<usize>,
    /// The entries before they are laid out, (suspect's place, entry), in
    /// their order: found once, then counted and laid out.
    input_items: Vec<(u32, Input)>,
    own_items: Vec<(u32, u32)>,
    /// Whether each suspect's spikes moved.
    moved: Vec<bool>,
    built: bool,
}

impl RoundIndex {
    pub(super) fn built(&self) -> bool {
        self.built
    }

    /// Indexes the round of `suspects` (sorted, distinct) against the
    /// step's `spikes`, in a network of `n` neurons. An input is a spike of
    /// another neuron with the sum of its synapses to the suspect (from +0,
    /// in their stored order, as `Connections::weight` sums them) when that
    /// sum is not 0. The first round indexed makes the room it needs (a
    /// runaway's; the rounds searched never allocate).
    pub(super) fn build(
        &mut self,
        n: usize,
        suspects: &[u32],
        spikes: &[StepSpike],
        c: &Connections,
    ) {
        if self.slot.len() != n {
            self.slot = vec![NONE; n];
        }
        let m = suspects.len();
        for (k, &i) in suspects.iter().enumerate() {
            self.slot[i as usize] = k as u32;
        }
        // Each spike's inputs to suspects: (suspect's place, input), each
        // run of synapses to one target summed, in a plain loop: found twice
        // through a flat map of `chunk_by` runs, a round's index at dt = 10
        // ms took 1.5 million instructions, now 0.6 million (callgrind).
        let (slot, synapses) = (&self.slot, c.synapses());
        self.input_items.clear();
        for s in spikes {
            let targets = &synapses[c.range(s.neuron)];
            let mut x = 0;
            while x < targets.len() {
                let target = targets[x].target;
                let mut weight = 0.0;
                while x < targets.len() && targets[x].target == target {
                    weight += targets[x].weight;
                    x += 1;
                }
                let k = slot[target as usize];
                if k != NONE && target as usize != s.neuron && weight != 0.0 {
                    let offset_s = s.offset_s;
                    self.input_items.push((k, Input { offset_s, weight }));
                }
            }
        }
        fill_by_place(
            m,
            &self.input_items,
            (&mut self.inputs, &mut self.inputs_start, &mut self.fill),
        );
        let own = spikes.iter().enumerate().filter_map(|(x, s)| {
            let k = slot[s.neuron];
            (k != NONE).then_some((k, x as u32))
        });
        self.own_items.clear();
        self.own_items.extend(own);
        let own = (&mut self.own, &mut self.own_start, &mut self.fill);
        fill_by_place(m, &self.own_items, own);
        self.moved.clear();
        self.moved.resize(m, false);
        self.built = true;
    }

    /// The inputs of the `k`th suspect from the step's spikes.
    pub(super) fn inputs_of(&self, k: usize) -> &[Input] {
        &self.inputs[self.inputs_start[k]..self.inputs_start[k + 1]]
    }

    /// The places of the `k`th suspect's own spikes in the step's list.
    pub(super) fn own_spikes_of(&self, k: usize) -> &[u32] {
        &self.own[self.own_start[k]..self.own_start[k + 1]]
    }

    /// Notes the neurons whose spikes `moves` moves (each a suspect).
    pub(super) fn note_moved(&mut self, moves: &[Move]) {
        for m in moves {
            self.moved[self.slot[m.neuron] as usize] = true;
        }
    }

    /// Whether neuron i's spikes moved in the round.
    pub(super) fn moved(&self, i: usize) -> bool {
        let k = self.slot[i];
        k != NONE && self.moved[k as usize]
    }

    /// The round is over: no neuron is a suspect of it.
    pub(super) fn clear(&mut self, suspects: &[u32]) {
        for &i in suspects {
            self.slot[i as usize] = NONE;
        }
        self.built = false;
    }
}

/// Lays `items` (place, item), in their order, out by place: `out` holds
/// place 0's, then place 1's, ..., each beginning at `start[place]`.
fn fill_by_place<T: Copy + Default>(
    places: usize,
    items: &[(u32, T)],
    (out, start, fill): (&mut Vec<T>, &mut Vec<usize>, &mut Vec<usize>),
) {
    start.clear();
    start.resize(places + 1, 0);
    for &(k, _) in items {
        start[k as usize + 1] += 1;
    }
    for k in 0..places {
        start[k + 1] += start[k];
    }
    out.clear();
    out.resize(start[places], T::default());
    fill.clear();
    fill.extend_from_slice(&start[..places]);
    for &(k, item) in items {
        let k = k as usize;
        out[fill[k]] = item;
        fill[k] += 1;
    }
}
