//! The weights W of a network, stored by presynaptic neuron (compressed
//! rows: neuron j's targets (i, w_ij) in one run, sorted by target), so a
//! spike touches only its own targets and reads them as one stream from
//! memory; and the recipe of the peers' random benchmark network.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};

use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;

use super::gaps::GeometricGaps;
use super::{LifNetwork, NetworkParams};
use crate::model::elementary::{ln, ln_1p};
use crate::model::stop::{StopFlag, Stopped};
use crate::sysmem;

/// Connections stored by presynaptic neuron (compressed rows). Weights are
/// never changed in place, only made anew, so a clone shares them: the
/// network a live parameter change or a sweep's next value builds takes the
/// running one's connections where its recipe draws the same
/// (`RandomNetwork::build`).
#[derive(Clone, Default)]
pub struct Connections {
    /// The shared `start`, copied (8 bytes a neuron): each spike's delivery
    /// reads it without going through the share (through it, a grid run
    /// at N = 1,000 took 1.04 of its loop's time).
    start: Vec<usize>,
    shared: Arc<Store>,
}

/// What connections share.
#[derive(Default)]
struct Store {
    n: usize,
    /// `start[j]..start[j + 1]` indexes the targets of neuron j, in
    /// increasing order.
    start: Vec<usize>,
    synapses: Vec<Synapse>,
    /// Which weights these are: no other `Connections` made in this process
    /// has this number (a clone keeps it: the same weights). A view keeps
    /// what it read from them by this number.
    id: u64,
}

/// Equal weights, wherever they were made.
impl PartialEq for Connections {
    fn eq(&self, other: &Self) -> bool {
        let (a, b) = (&*self.shared, &*other.shared);
        Arc::ptr_eq(&self.shared, &other.shared)
            || (a.n == b.n && a.start == b.start && a.synapses == b.synapses)
    }
}

/// The weights, without the number of where they were made (two runs
/// that made the same weights print the same).
impl std::fmt::Debug for Connections {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connections")
            .field("n", &self.shared.n)
            .field("start", &self.start)
            .field("synapses", &self.shared.synapses)
            .finish_non_exhaustive()
    }
}

/// The number of the next `Connections` made.
fn next_id() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// One connection, its target i and weight w_ij side by side: a spike's
/// list is then one stream from memory. Packed to 12 bytes, so its fields
/// must only ever be copied, never borrowed.
#[derive(Debug, Clone, Copy, PartialEq)]
#[repr(C, packed(4))]
pub(super) struct Synapse {
    pub(super) target: u32,
    pub(super) weight: f64,
}

impl LifNetwork {
    /// Gives the connections up (their memory, unless another network
    /// shares them), leaving none: for a network about to be replaced by
    /// one that draws others, so that the two are never held at once (a
    /// `sweep` of a random network's seed held both, twice the memory).
    /// Its state stays, for the next to go on from.
    pub fn release_connections(&mut self) {
        self.connections = Connections::none(self.len());
    }
}

/// How to draw random numbers for a random network.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Uniform {
    pub low: f64,
    pub high: f64,
}

impl Uniform {
    fn sample(&self, rng: &mut Pcg64) -> f64 {
        self.at(rng.random::<f64>())
    }

    /// The value a draw u in [0, 1) gives.
    fn at(&self, u: f64) -> f64 {
        self.low + (self.high - self.low) * u
    }
}

impl Connections {
    /// From a dense N x N matrix, row i = post, column j = pre; zero weights
    /// are not stored.
    pub fn from_dense(w: &[Vec<f64>]) -> Self {
        let n = w.len();
        let mut start = Vec::with_capacity(n + 1);
        let mut synapses = Vec::new();
        for j in 0..n {
            start.push(synapses.len());
            for (i, row) in w.iter().enumerate() {
                if row[j] != 0.0 {
                    synapses.push(Synapse {
                        target: i as u32,
                        weight: row[j],
                    });
                }
            }
        }
        start.push(synapses.len());
        Self::of(n, start, synapses)
    }

    /// Each ordered pair (j -> i, self-connections included, as Brian2's
    /// `connect(p=...)`) is connected with probability `p`, weight drawn from
    /// `weight`. Gaps between connections are drawn geometrically, so the cost
    /// is the number of synapses, not N². Ends early, with `Stopped`, when
    /// the build it is part of is stopped (stop.rs), which it asks before
    /// each neuron's connections.
    pub fn random(
        n: usize,
        p: f64,
        weight: impl Fn(usize) -> Uniform,
        rng: &mut Pcg64,
    ) -> Result<Self, Stopped> {
        let stop = StopFlag::current();
        let mut start = Vec::with_capacity(n + 1);
        let expected = (n as f64 * n as f64 * p * 1.05) as usize + 16;
        // The count was checked against the memory before (preset
        // validation): what is reserved here fits.
        let mut synapses = Vec::with_capacity(expected);
        // ln(1 - p) < 0 for every p in (0, 1): below about 1.1e-16, 1 - p
        // rounds to 1 and its log to 0, which would make every gap -inf and
        // the loop endless, so such a p takes ln_1p (the same value, exact).
        // Larger ones keep the plain log, so that a seed draws the network
        // it always drew.
        let ln_q = if 1.0 - p < 1.0 {
            ln(1.0 - p)
        } else {
            ln_1p(-p)
        };
        let draw = |synapses: &mut Vec<Synapse>| {
            let mut gaps = (0.0 < p && p < 1.0).then(|| GeometricGaps::new(rng, ln_q));
            for j in 0..n {
                if stop.requested() {
                    return Err(Stopped);
                }
                let weight = weight(j);
                start.push(synapses.len());
                if let Some(gaps) = &mut gaps {
                    gaps.row(n, |target, u| {
                        synapses.push(Synapse {
                            target,
                            weight: weight.at(u),
                        });
                    });
                } else if p >= 1.0 {
                    // Every candidate, with no gaps drawn.
                    synapses.extend((0..n).map(|i| Synapse {
                        target: i as u32,
                        weight: weight.sample(rng),
                    }));
                }
            }
            if let Some(gaps) = gaps {
                gaps.finish(rng);
            }
            Ok(())
        };
        // The pages of the synapses drawn (of the expected count, not the
        // margin) are mapped on another core as they are drawn.
        let mean_count = (n as f64 * n as f64 * p) as usize;
        sysmem::fill_with_pages_mapped(&mut synapses, mean_count, draw)?;
        start.push(synapses.len());
        Ok(Self::of(n, start, synapses))
    }

    /// None between n neurons.
    fn none(n: usize) -> Self {
        Self::of(n, vec![0; n + 1], Vec::new())
    }

    fn of(n: usize, start: Vec<usize>, synapses: Vec<Synapse>) -> Self {
        Self::sharing(Arc::new(Store {
            n,
            start,
            synapses,
            id: next_id(),
        }))
    }

    fn sharing(shared: Arc<Store>) -> Self {
        Self {
            start: shared.start.clone(),
            shared,
        }
    }

    /// Which weights these are (see `id`).
    pub fn id(&self) -> u64 {
        self.shared.id
    }

    pub fn len(&self) -> usize {
        self.shared.synapses.len()
    }

    pub fn is_empty(&self) -> bool {
        self.shared.synapses.is_empty()
    }

    /// The targets of presynaptic neuron j, as (post i, w_ij).
    pub fn targets(&self, j: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        self.shared.synapses[self.range(j)]
            .iter()
            .map(|s| (s.target as usize, s.weight))
    }

    /// The dense N x N matrix (row i = post). Meant for small networks.
    pub fn to_dense(&self) -> Vec<Vec<f64>> {
        let mut w = vec![vec![0.0; self.shared.n]; self.shared.n];
        for j in 0..self.shared.n {
            for (i, x) in self.targets(j) {
                let row: &mut Vec<f64> = &mut w[i];
                row[j] += x;
            }
        }
        w
    }

    /// Where neuron j's targets are in `synapses()`.
    #[inline]
    pub(super) fn range(&self, j: usize) -> std::ops::Range<usize> {
        self.start[j]..self.start[j + 1]
    }

    pub(super) fn synapses(&self) -> &[Synapse] {
        &self.shared.synapses
    }

    /// Where neuron j's targets from `first` on begin (the targets are
    /// sorted, so found by bisection).
    pub(super) fn first_target_from(&self, j: usize, first: usize) -> usize {
        let r = self.range(j);
        r.start + self.shared.synapses[r].partition_point(|s| (s.target as usize) < first)
    }

    /// Where each neuron's targets from `first` on begin. Random targets
    /// lie about evenly over 0..N, so each search starts where `first`
    /// would be if they were evenly spread, and goes out from there in
    /// doubling steps to bracket it, then bisects the bracket: for 200
    /// targets drawn at random it reads one or two cache lines where a
    /// bisection of the whole run reads eight, on memory the drawing has
    /// long left (the split of N = 10,000 between two threads: 1.1 ms,
    /// 2.5 as bisections). For targets not spread evenly it costs at most
    /// about twice a bisection.
    pub(super) fn first_targets_from(&self, first: usize) -> Vec<usize> {
        (0..self.shared.n)
            .map(|j| {
                let r = self.range(j);
                let targets = &self.shared.synapses[r.clone()];
                let below = |s: &Synapse| (s.target as usize) < first;
                let len = targets.len();
                // Any guess finds the place; this one is near it.
                let guess = ((len as f64 * first as f64 / self.shared.n as f64) as usize).min(len);
                // The place p (targets[..p] below `first`, the rest not)
                // lies in lo..=hi.
                let (lo, hi) = if guess < len && below(&targets[guess]) {
                    let (mut lo, mut step) = (guess + 1, 1);
                    loop {
                        let probe = lo + step - 1;
                        if probe >= len {
                            break (lo, len);
                        }
                        if !below(&targets[probe]) {
                            break (lo, probe);
                        }
                        (lo, step) = (probe + 1, step * 2);
                    }
                } else {
                    let (mut hi, mut step) = (guess, 1);
                    loop {
                        if hi < step {
                            break (0, hi);
                        }
                        let probe = hi - step;
                        if below(&targets[probe]) {
                            break (probe + 1, hi);
                        }
                        (hi, step) = (probe, step * 2);
                    }
                };
                r.start + lo + targets[lo..hi].partition_point(below)
            })
            .collect()
    }

    /// The weight w_ij of neuron j's connection to neuron i (0: none).
    pub fn weight(&self, i: usize, j: usize) -> f64 {
        // From +0 (an empty `sum` of floats is -0).
        self.stored(i, j).fold(0.0, |sum, s| sum + s.weight)
    }

    /// Row i of W: each neuron j that sends to neuron i, with w_ij (the
    /// weights that are not 0), in the order of j. The storage is by
    /// sender, so this is one bisection in each sender's sorted targets:
    /// N log(fan-out) for a screen's row, not the whole matrix.
    pub fn sources(&self, i: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        (0..self.shared.n)
            .map(move |j| (j, self.weight(i, j)))
            .filter(|&(_, w)| w != 0.0)
    }

    /// What is stored of neuron j's connections to neuron i (from the
    /// first of its targets at i or after).
    fn stored(&self, i: usize, j: usize) -> impl Iterator<Item = Synapse> + '_ {
        self.shared.synapses[self.first_target_from(j, i)..self.range(j).end]
            .iter()
            .copied()
            .take_while(move |s| s.target as usize == i)
    }
}

/// The recipe of a random network (the benchmark network of the peers):
/// connection probability, uniform weights, biases and initial potentials.
/// With `excitatory = Some(k)`, neurons 0..k draw their outgoing weights from
/// `weight` and the others from `weight_inhibitory` (Dale's law).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RandomNetwork {
    pub n: usize,
    pub p: f64,
    pub weight: Uniform,
    pub excitatory: Option<usize>,
    pub weight_inhibitory: Uniform,
    pub bias: Uniform,
    pub v_init: Uniform,
    pub seed: u64,
}

/// What fixes a random network's connections. The biases and initial
/// potentials come first from the same stream, one number each whatever
/// their ranges, so the connections depend on these alone. Floats by their
/// bits: equal keys draw the same numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct DrawKey {
    n: usize,
    p: u64,
    seed: u64,
    weight: [u64; 2],
    /// How many neurons excite, and the others' weights (none where all do).
    excitatory: usize,
    weight_inhibitory: Option<[u64; 2]>,
}

/// The connections drawn in this process that something still holds (a
/// running network), by what drew them.
static DRAWN: Mutex<Vec<(DrawKey, Weak<Store>)>> = Mutex::new(Vec::new());

fn drawn() -> std::sync::MutexGuard<'static, Vec<(DrawKey, Weak<Store>)>> {
    // The list is whole whatever a panic interrupted: entries are pushed
    // and pruned whole.
    DRAWN
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl RandomNetwork {
    /// Draws biases, initial potentials, then connections, all from one seeded
    /// PCG stream: the same recipe always gives the same network. Where a
    /// network alive in this process holds the connections this recipe
    /// draws, it shares them instead (`connections_held`): a live change of
    /// tau_m or a sweep's next value at N = 100,000 would otherwise draw 2e8
    /// synapses again, for seconds, beside the 2.4 GB of the same ones.
    /// `Stopped` where the build is stopped (stop.rs) before its connections
    /// are all drawn.
    pub fn build(&self, params: NetworkParams, dt_s: f64) -> Result<LifNetwork, Stopped> {
        let mut rng = Pcg64::seed_from_u64(self.seed);
        let bias: Vec<f64> = (0..self.n).map(|_| self.bias.sample(&mut rng)).collect();
        let v_init: Vec<f64> = (0..self.n).map(|_| self.v_init.sample(&mut rng)).collect();
        let key = self.draw_key();
        let connections = match Self::held(key) {
            Some(shared) => shared,
            None => {
                let (n_exc, w_exc, w_inh) = (key.excitatory, self.weight, self.weight_inhibitory);
                let drawn_now = Connections::random(
                    self.n,
                    self.p,
                    |j| if j < n_exc { w_exc } else { w_inh },
                    &mut rng,
                )?;
                let mut list = drawn();
                list.retain(|(_, w)| w.strong_count() > 0);
                list.push((key, Arc::downgrade(&drawn_now.shared)));
                drawn_now
            }
        };
        let names = (0..self.n).map(|i| i.to_string()).collect();
        Ok(LifNetwork::new(
            params,
            names,
            bias,
            connections,
            v_init,
            dt_s,
        ))
    }

    /// Whether a network alive in this process holds the connections this
    /// recipe draws, so that a build shares them: they need no memory and
    /// no time (preset validation counts the memory of the others only).
    pub fn connections_held(&self) -> bool {
        Self::held(self.draw_key()).is_some()
    }

    fn held(key: DrawKey) -> Option<Connections> {
        drawn()
            .iter()
            .filter(|(k, _)| *k == key)
            .find_map(|(_, w)| w.upgrade())
            .map(Connections::sharing)
    }

    fn draw_key(&self) -> DrawKey {
        let bits = |u: Uniform| [u.low.to_bits(), u.high.to_bits()];
        let excitatory = self.excitatory.unwrap_or(self.n).min(self.n);
        DrawKey {
            n: self.n,
            p: self.p.to_bits(),
            seed: self.seed,
            weight: bits(self.weight),
            excitatory,
            weight_inhibitory: (excitatory < self.n).then(|| bits(self.weight_inhibitory)),
        }
    }
}
