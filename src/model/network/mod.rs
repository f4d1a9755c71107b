//! The full LIF network (notes 1.3.5, SPEC section 4).
//!
//! ```text
//! tau_m dv_i/dt = s_i + b_i + x_i(t) - v_i      while not refractory (else v_i = 0)
//! s_i = output of neuron i's PSC filter h (order n, tau_s; see synapse.rs)
//! spike of j at t_j:  stage 0 of i's filter += w_ij / tau_s
//! ```
//!
//! W is stored by presynaptic neuron (row i = post, column j = pre in the
//! notes; here the list of (i, w_ij) for each j), so a spike touches only its
//! targets.
//!
//! Between events the system (v, s_0..s_n) is linear with constant input, so it
//! is propagated exactly over any interval Δ:
//!
//! ```text
//! v(Δ) = e^(-Δ/tau_m) v + (1 - e^(-Δ/tau_m)) I + Σ_k s_k g_{n-k}(Δ)
//! g_j(Δ) = e^(-Δ/tau_s) (Δ/tau_m) (Δ/tau_s)^j φ_{j+1}(Δ/tau_s - Δ/tau_m)
//! ```
//!
//! (φ_k as in exponential integrators; no division by tau_s - tau_m, so equal
//! time constants need no special case). The step is event-exact: a refractory
//! period that ends inside a step starts the integration there, a threshold
//! crossing is located by safeguarded Newton on the closed form (including a
//! crossing and return inside one step), and a spike emitted at offset τ in the
//! step reaches its targets at τ: their filters and voltages receive its
//! exact effect over the rest of the step. Crossings are first located
//! without the step's own inputs; where an input lands before a crossing in
//! the same step, or makes a neuron cross, the neuron is solved again with
//! its inputs in time order and moved spikes are delivered again
//! (`resolve_in_step_crossings`), so the spike times do not depend on dt.
//! Networks of `EXACT_IN_STEP_BELOW` neurons or more skip that: there the
//! input's effect on v by the crossing, (w/tau_s) g_0(Δ) with g_0(Δ) ≈
//! Δ/tau_m, is missed (below (|w|/tau_s) dt/tau_m; in time, that over v's
//! slope at the crossing) and a crossing an input causes is recorded at the
//! step's end (README "Networks" gives measured figures).
//!
//! All of that is the default, `SpikeTiming::Exact`; `SpikeTiming::Grid`
//! takes Brian2's clock-driven step instead (`grid.rs`).

use std::sync::Arc;
use std::thread;

use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;

mod first_order;
mod grid;

use super::Spike;
use super::helper::Helper;
use super::synapse::{MAX_PSC_ORDER, PscFilter, phi_functions};
use first_order::{FirstOrderStep, Part, deliver_first_order};

/// Largest network accepted, checked before anything is allocated.
pub const MAX_NEURONS: usize = 100_000;
/// Largest number of synapses (non-zero weights) accepted.
pub const MAX_SYNAPSES: usize = 20_000_000;

const MAX_STAGES: usize = MAX_PSC_ORDER + 1;

/// Networks from this size share the first-order step with a helper thread:
/// below it, handing work over costs about as much as it saves, and a busy
/// second core makes it slower (measured with `examples/net_speed`).
const PARALLEL_NEURONS: usize = 4096;
/// The delivery of a step is shared from this many synapses.
const PARALLEL_SYNAPSES: usize = 2048;

/// Networks below this size re-solve, within each step, every crossing an
/// input of the same step caused or moved (`resolve_in_step_crossings`),
/// which makes their spike times exact. A larger network does not: there
/// an input lands before a crossing in the same step for a third of the
/// spikes (0.8 inputs a neuron a step in the benchmark at N = 10,000), and
/// re-delivering the moved spikes would cost more than the step's two
/// threads gain. The same size as `PARALLEL_NEURONS`, so that the results
/// never depend on the number of threads.
const EXACT_IN_STEP_BELOW: usize = PARALLEL_NEURONS;

/// A bound on the rounds of re-solving a step (each round re-solves the
/// targets of the neurons whose spikes moved in the last).
const MAX_RESOLVE_ROUNDS: usize = 64;

/// Parameters shared by every neuron of the network (seconds).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NetworkParams {
    pub tau_m_s: f64,
    pub tau_ref_s: f64,
    pub filter: PscFilter,
    pub spike_timing: SpikeTiming,
}

/// Where a network's spikes fall in time (preset key `network.spike_timing`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SpikeTiming {
    /// Event-exact: a crossing is located inside its step and its input
    /// reaches the targets at that time (the module's doc); spike times do
    /// not depend on dt.
    #[default]
    Exact,
    /// Grid-constrained (clock-driven), as Brian2 with `method='exact'` and
    /// NEST's grid models: each step is propagated exactly without its
    /// inputs, the threshold is tested at the step's end, a spike is stamped
    /// at the step's start and reaches its targets at the step's end
    /// (`grid.rs`). Cheaper, and an O(dt) error in every spike time.
    Grid,
}

/// Propagator coefficients of one neuron over one interval Δ.
#[derive(Debug, Clone, Copy)]
struct Coefficients {
    /// e^(-Δ/tau_m)
    e_m: f64,
    /// e^(-x) x^d / d!, x = Δ/tau_s: stage k - d into stage k.
    stage: [f64; MAX_STAGES],
    /// g_{n-k}(Δ): stage k into v.
    v_from_stage: [f64; MAX_STAGES],
}

impl NetworkParams {
    fn stages(&self) -> usize {
        self.filter.order + 1
    }

    fn coefficients(&self, delta: f64) -> Coefficients {
        let n = self.filter.order;
        let tau_s = self.filter.tau_s_s;
        let x = delta / tau_s;
        let y = delta / self.tau_m_s;
        let e_s = (-x).exp();
        let mut stage = [0.0; MAX_STAGES];
        stage[0] = e_s;
        for d in 1..=n {
            stage[d] = stage[d - 1] * x / d as f64;
        }
        let mut v_from_stage = [0.0; MAX_STAGES];
        let z = x - y;
        if n == 0 {
            // g_0 = e_s y φ_1(z).
            let phi1 = phi1(z);
            v_from_stage[0] = e_s * y * phi1;
        } else {
            let mut phis = [0.0; MAX_STAGES + 1];
            phi_functions(z, n + 2, &mut phis);
            let base = e_s * y;
            let mut x_pow = 1.0;
            for j in 0..=n {
                // g_j = e_s (Δ/tau_m) x^j φ_{j+1}: multiplies stage n - j.
                v_from_stage[n - j] = base * x_pow * phis[j + 1];
                x_pow *= x;
            }
        }
        Coefficients {
            e_m: (-y).exp(),
            stage,
            v_from_stage,
        }
    }
}

/// One neuron's linear state over a segment: v and its filter stages.
#[derive(Debug, Clone, Copy)]
struct Segment {
    v: f64,
    stages: [f64; MAX_STAGES],
}

impl Segment {
    fn load(v: f64, stages: &[f64]) -> Self {
        let mut s = [0.0; MAX_STAGES];
        s[..stages.len()].copy_from_slice(stages);
        Self { v, stages: s }
    }

    fn propagate(&self, c: &Coefficients, ns: usize, drive: f64) -> Segment {
        let mut v = c.e_m * self.v + (1.0 - c.e_m) * drive;
        for (g, s) in c.v_from_stage.iter().zip(&self.stages).take(ns) {
            v += g * s;
        }
        let mut stages = [0.0; MAX_STAGES];
        for (k, out) in stages.iter_mut().enumerate().take(ns) {
            *out = (0..=k).map(|d| c.stage[d] * self.stages[k - d]).sum();
        }
        Segment { v, stages }
    }

    /// dv/dt = (s_n + I - v) / tau_m.
    fn dvdt(&self, p: &NetworkParams, drive: f64) -> f64 {
        (self.stages[p.filter.order] + drive - self.v) / p.tau_m_s
    }

    /// d²v/dt² from ds_n/dt = (s_{n-1} - s_n)/tau_s (s_{-1} = 0).
    fn d2vdt2(&self, p: &NetworkParams, drive: f64) -> f64 {
        let n = p.filter.order;
        let below = if n == 0 { 0.0 } else { self.stages[n - 1] };
        let dsn = (below - self.stages[n]) / p.filter.tau_s_s;
        (dsn - self.dvdt(p, drive)) / p.tau_m_s
    }
}

/// Connections stored by presynaptic neuron (compressed rows).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Connections {
    n: usize,
    /// `start[j]..start[j + 1]` indexes the targets of neuron j, in
    /// increasing order.
    start: Vec<usize>,
    synapses: Vec<Synapse>,
}

/// One connection, its target i and weight w_ij side by side: a spike's
/// list is then one stream from memory.
#[derive(Debug, Clone, Copy, PartialEq)]
#[repr(C, packed(4))]
struct Synapse {
    target: u32,
    weight: f64,
}

/// How to draw random numbers for a random network.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Uniform {
    pub low: f64,
    pub high: f64,
}

impl Uniform {
    fn sample(&self, rng: &mut Pcg64) -> f64 {
        self.low + (self.high - self.low) * rng.random::<f64>()
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
            #[allow(clippy::needless_range_loop)] // j indexes columns, not w
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
        Self { n, start, synapses }
    }

    /// Each ordered pair (j -> i, self-connections included, as Brian2's
    /// `connect(p=...)`) is connected with probability `p`, weight drawn from
    /// `weight`. Gaps between connections are drawn geometrically, so the cost
    /// is the number of synapses, not N².
    pub fn random(n: usize, p: f64, weight: impl Fn(usize) -> Uniform, rng: &mut Pcg64) -> Self {
        let mut start = Vec::with_capacity(n + 1);
        let expected = (n as f64 * n as f64 * p * 1.05) as usize + 16;
        let mut synapses = Vec::with_capacity(expected.min(MAX_SYNAPSES));
        let ln_q = (1.0 - p).ln();
        for j in 0..n {
            let weight = weight(j);
            start.push(synapses.len());
            if p <= 0.0 {
                continue;
            }
            let mut i: f64 = -1.0;
            loop {
                // Geometric gap: floor(ln U / ln(1 - p)) non-connections.
                let gap = if p >= 1.0 {
                    0.0
                } else {
                    let u: f64 = 1.0 - rng.random::<f64>();
                    (u.ln() / ln_q).floor()
                };
                i += gap + 1.0;
                if i >= n as f64 {
                    break;
                }
                synapses.push(Synapse {
                    target: i as u32,
                    weight: weight.sample(rng),
                });
            }
        }
        start.push(synapses.len());
        Self { n, start, synapses }
    }

    pub fn len(&self) -> usize {
        self.synapses.len()
    }

    pub fn is_empty(&self) -> bool {
        self.synapses.is_empty()
    }

    /// The targets of presynaptic neuron j, as (post i, w_ij).
    pub fn targets(&self, j: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        self.synapses[self.start[j]..self.start[j + 1]]
            .iter()
            .map(|s| (s.target as usize, s.weight))
    }

    /// The dense N x N matrix (row i = post). Meant for small networks.
    pub fn to_dense(&self) -> Vec<Vec<f64>> {
        let mut w = vec![vec![0.0; self.n]; self.n];
        for j in 0..self.n {
            for (i, x) in self.targets(j) {
                let row: &mut Vec<f64> = &mut w[i];
                row[j] += x;
            }
        }
        w
    }
}

/// A network of LIF neurons joined by PSC filters.
#[derive(Debug, Clone)]
pub struct LifNetwork {
    pub params: NetworkParams,
    pub names: Vec<String>,
    /// Constant drive b_i of each neuron.
    pub bias: Vec<f64>,
    pub connections: Connections,
    /// Membrane potentials v_i.
    pub v: Vec<f64>,
    /// Filter stages, neuron-major: neuron i's are `stages[i*(n+1)..(i+1)*(n+1)]`.
    stages: Vec<f64>,
    /// A refractory neuron rests (v = 0) through every step before
    /// `wake_step[i]` and is still refractory for `refractory_s[i]` at the
    /// start of that step; both change only in a step with an event, so the
    /// steps in between cost nothing. Steps count from 1, so 0 never wakes.
    wake_step: Vec<u64>,
    refractory_s: Vec<f64>,
    /// The index of the last step taken.
    step_index: u64,
    /// Offset in the current step from which each neuron integrates without
    /// interruption to the step's end (dt when refractory at the end);
    /// changed only in a step with an event.
    active_from: Vec<f64>,
    dt_s: f64,
    step_coef: Coefficients,
    /// Spikes of the current step as (neuron, offset in the step).
    step_spikes: Vec<(usize, f64)>,
    /// Whether every v and s stayed finite in the last step.
    state_finite: bool,
    /// Scratch of the step: each neuron's drive b_i + x_i, and whether it
    /// has an event (its refractory period ends, a crossing) in the step.
    drive: Vec<f64>,
    /// All ones where marked: a whole-word mask, so the vectorized pass
    /// stores its compare result as it is.
    event: Vec<u64>,
    /// The first pass writes the new v and s here and swaps them in: whole
    /// stores into another array, where a select into the same array would
    /// compile to masked stores, slow on some CPUs.
    v_next: Vec<f64>,
    s_next: Vec<f64>,
    /// The indices of the neurons marked in `event` (room for all N): each
    /// part's from its first neuron, the first `event_counts[part]` of them
    /// from the last step.
    event_index: Vec<u32>,
    event_counts: [usize; 2],
    /// Where the second part started in the last step (N: no second part),
    /// and where each neuron's targets in it start in `connections`.
    last_split: usize,
    second_part_targets: Vec<usize>,
    /// The second part's spikes of the step, before they join `step_spikes`.
    spikes_second: Vec<(usize, f64)>,
    /// The step in which each neuron last went through an event path (its
    /// own, or a re-solve), its refractory time at that step's start, and
    /// the offset of its last spike in that step (-inf: none).
    event_step: Vec<u64>,
    start_refractory: Vec<f64>,
    last_spike_s: Vec<f64>,
    /// Whether the step re-solves in-step crossings (below
    /// `EXACT_IN_STEP_BELOW` neurons); the neurons whose crossing an input
    /// of the step may have caused or moved, the neurons re-solved in the
    /// step, and the scratch of a re-solve (see `resolve_in_step_crossings`).
    exact_in_step: bool,
    suspects: Vec<u32>,
    resolved: Vec<u32>,
    /// The spikes a round of re-solving moved: (neuron, offset, whether it
    /// is the new one) for the old and the new spikes of each neuron.
    moves: Vec<(usize, f64, bool)>,
    inputs: Vec<(f64, f64)>,
    new_spikes: Vec<f64>,
    /// How many threads the step may use (1 or 2), and the helper thread
    /// once a step has used two.
    threads: usize,
    helper: Option<Arc<Helper>>,
}

impl LifNetwork {
    /// A network with the given biases, weights and initial potentials;
    /// filters start empty and no neuron is refractory.
    pub fn new(
        params: NetworkParams,
        names: Vec<String>,
        bias: Vec<f64>,
        connections: Connections,
        v_init: Vec<f64>,
        dt_s: f64,
    ) -> Self {
        let n = bias.len();
        let ns = params.stages();
        let mut net = Self {
            params,
            names,
            bias,
            connections,
            v: v_init,
            stages: vec![0.0; n * ns],
            wake_step: vec![0; n],
            refractory_s: vec![0.0; n],
            step_index: 0,
            active_from: vec![0.0; n],
            dt_s,
            step_coef: params.coefficients(dt_s),
            step_spikes: Vec::new(),
            state_finite: true,
            drive: vec![0.0; n],
            event: vec![0; n],
            v_next: vec![0.0; n],
            s_next: Vec::new(),
            event_index: vec![0; n + 1],
            event_counts: [0; 2],
            last_split: n,
            second_part_targets: Vec::new(),
            spikes_second: Vec::new(),
            event_step: vec![0; n],
            start_refractory: vec![0.0; n],
            last_spike_s: vec![f64::NEG_INFINITY; n],
            exact_in_step: n < EXACT_IN_STEP_BELOW,
            suspects: Vec::new(),
            resolved: Vec::new(),
            moves: Vec::new(),
            inputs: Vec::new(),
            new_spikes: Vec::new(),
            threads: thread::available_parallelism().map_or(1, |t| t.get().min(2)),
            helper: None,
        };
        net.s_next = vec![0.0; net.stages.len()];
        net.prepare(dt_s);
        net
    }

    pub fn len(&self) -> usize {
        self.bias.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bias.is_empty()
    }

    /// Precomputes the step propagator for `dt_s` (after dt or a time
    /// constant changed), and gives the spike lists room for a spike of
    /// every neuron, so that a step never allocates (a clone has none).
    pub fn prepare(&mut self, dt_s: f64) {
        let n = self.len();
        self.step_spikes.reserve(n);
        self.spikes_second.reserve(n);
        for list in [&mut self.suspects, &mut self.resolved] {
            list.reserve(n);
        }
        self.inputs.reserve(n + 64);
        self.moves.reserve(n + 64);
        self.new_spikes.reserve(64);
        if dt_s != self.dt_s && self.params.spike_timing == SpikeTiming::Grid {
            // The rest left, in whole steps of the new dt that cover it (a
            // multiple of dt not lost to rounding, as `grid_rest_steps`).
            let next = self.step_index + 1;
            for wake in &mut self.wake_step {
                if *wake > next {
                    let left = (*wake - next) as f64 * self.dt_s;
                    *wake = next + (left / dt_s - 1e-3).ceil() as u64;
                }
            }
        } else if dt_s != self.dt_s {
            // Resting counted in steps of the old dt: back to time left.
            let next = self.step_index + 1;
            for i in 0..self.len() {
                if self.wake_step[i] > next {
                    let left = self.refractory_s[i] + (self.wake_step[i] - next) as f64 * self.dt_s;
                    self.wake_step[i] = next;
                    self.refractory_s[i] = left;
                }
            }
            for i in 0..self.len() {
                if self.wake_step[i] == next {
                    (self.wake_step[i], self.refractory_s[i]) =
                        rest_from(next, self.refractory_s[i], dt_s);
                }
            }
        }
        self.dt_s = dt_s;
        self.step_coef = self.params.coefficients(dt_s);
    }

    /// The synaptic current s_i = s_n of neuron i's filter.
    pub fn synaptic_current(&self, i: usize) -> f64 {
        let ns = self.params.stages();
        self.stages[i * ns + ns - 1]
    }

    /// The augmented weight matrix [W | b] (notes 1.3.4): row i holds w_i1..w_iN
    /// then b_i, so that [W | b] [x; 1] = W x + b.
    pub fn augmented_matrix(&self) -> Vec<Vec<f64>> {
        super::weights::augmented(&self.connections.to_dense(), &self.bias)
    }

    /// The block of W with post-synaptic rows `rows` and pre-synaptic
    /// columns `cols` (dense, row i - rows.start), read from the columns'
    /// own connection lists: a screen's worth of a large network costs only
    /// the synapses of its columns.
    pub fn weight_block(
        &self,
        rows: std::ops::Range<usize>,
        cols: std::ops::Range<usize>,
    ) -> Vec<Vec<f64>> {
        let mut w = vec![vec![0.0; cols.len()]; rows.len()];
        for j in cols.clone() {
            for (i, x) in self.connections.targets(j) {
                if rows.contains(&i) {
                    w[i - rows.start][j - cols.start] += x;
                }
            }
        }
        w
    }

    /// Advances one step of the prepared dt from `t0_s`. `stimulus[i]` is the
    /// external input x_i held over the step (shorter than N: the rest get
    /// none). Spikes are appended sorted by time, then neuron.
    pub fn step(&mut self, t0_s: f64, stimulus: &[f64], spikes: &mut Vec<Spike>) {
        self.step_with_arrivals(t0_s, stimulus, &[], spikes);
    }

    /// A step with spikes of input trains arriving inside it: each reaches
    /// its target's filter at its exact offset, as a network spike does.
    pub fn step_with_arrivals(
        &mut self,
        t0_s: f64,
        stimulus: &[f64],
        arrivals: &[super::Arrival],
        spikes: &mut Vec<Spike>,
    ) {
        self.step_spikes.clear();
        self.step_index += 1;
        // Last step's re-solved neurons that woke inside it integrate from
        // the start of this one.
        for &i in &self.resolved {
            let from = &mut self.active_from[i as usize];
            if *from < self.dt_s {
                *from = 0.0;
            }
        }
        self.resolved.clear();
        self.suspects.clear();
        // The filter order picks a loop compiled for it, outside the loop.
        // Without input the drive is the bias: swapped in, not copied.
        let no_input = stimulus.is_empty();
        if no_input {
            std::mem::swap(&mut self.drive, &mut self.bias);
        } else if stimulus.len() >= self.drive.len() {
            for ((d, b), x) in self.drive.iter_mut().zip(&self.bias).zip(stimulus) {
                *d = b + x;
            }
        } else {
            self.drive.copy_from_slice(&self.bias);
            for (d, x) in self.drive.iter_mut().zip(stimulus) {
                *d += x;
            }
        }
        if self.params.spike_timing == SpikeTiming::Grid {
            self.step_grid(arrivals);
            if no_input {
                std::mem::swap(&mut self.drive, &mut self.bias);
            }
            spikes.extend(self.step_spikes.iter().map(|&(neuron, _)| Spike {
                neuron,
                time_s: t0_s,
            }));
            return;
        }
        if self.exact_in_step && self.params.stages() > 1 {
            // The state at the step's start, for a re-solve (the first-order
            // step leaves it there by its double buffer).
            self.v_next.copy_from_slice(&self.v);
            self.s_next.copy_from_slice(&self.stages);
        }
        match self.params.stages() {
            1 => self.step_first_order(),
            2 => {
                self.integrate::<2>();
                self.sort_step_spikes();
                self.deliver::<2>();
            }
            3 => {
                self.integrate::<3>();
                self.sort_step_spikes();
                self.deliver::<3>();
            }
            4 => {
                self.integrate::<4>();
                self.sort_step_spikes();
                self.deliver::<4>();
            }
            _ => {
                self.integrate_any_order();
                self.sort_step_spikes();
                self.deliver_any_order();
            }
        }
        for a in arrivals {
            let at_end = self.impulse_response(self.dt_s - a.offset_s);
            match a.target {
                Some(i) if i < self.len() => self.deliver_to(i, a.weight, a.offset_s, &at_end),
                Some(_) => {}
                None => {
                    for i in 0..self.len() {
                        self.deliver_to(i, a.weight, a.offset_s, &at_end);
                    }
                }
            }
        }
        self.resolve_in_step_crossings(arrivals);
        if no_input {
            std::mem::swap(&mut self.drive, &mut self.bias);
        }
        // The step's spikes are in time order here: sorted before their
        // delivery, and again after a re-solve moved any.
        spikes.extend(self.step_spikes.iter().map(|&(neuron, offset)| Spike {
            neuron,
            time_s: t0_s + offset,
        }));
    }

    /// Whether every v and s stayed finite in the last step (checked as the
    /// step goes, so the instability check needs no pass of its own).
    pub fn state_finite(&self) -> bool {
        self.state_finite
    }

    /// Neuron i's refractory time at the start of the current step: None
    /// when it rests through the whole step.
    fn refractory_at_start(&self, i: usize) -> Option<f64> {
        refractory_at_start(self.wake_step[i], self.refractory_s[i], self.step_index)
    }

    /// Records the end of an event step of neuron i (see `end_event_step`).
    fn end_event_step(&mut self, i: usize, refractory: f64, offset: f64) {
        end_event_step(
            self.step_index,
            self.dt_s,
            refractory,
            offset,
            (
                &mut self.wake_step[i],
                &mut self.refractory_s[i],
                &mut self.active_from[i],
            ),
        );
    }

    /// How many threads the step may use: 1, or 2 (a helper thread takes
    /// the second half of the neurons in a large network). The results are
    /// the same to the last bit either way.
    pub fn set_threads(&mut self, threads: usize) {
        self.threads = threads.clamp(1, 2);
        if self.threads == 1 {
            self.helper = None;
        }
    }

    /// Where the second part of a first-order step starts: N (one part)
    /// below `PARALLEL_NEURONS` neurons or on one thread, else half way, on
    /// a whole cache line of every array, with the helper thread started.
    /// On a change it finds where each neuron's targets in the second part
    /// start, and the exact step's event lists, kept per part, start afresh
    /// (see `Part::integrate`).
    fn split_parts(&mut self) -> usize {
        let n = self.len();
        if self.threads > 1 && n >= PARALLEL_NEURONS && self.helper.is_none() {
            self.helper = Helper::start().map(Arc::new);
            if self.helper.is_none() {
                self.threads = 1;
            }
        }
        let split = if self.helper.is_some() && n >= PARALLEL_NEURONS {
            (n / 2) & !7
        } else {
            n
        };
        if split != self.last_split {
            for from in &mut self.active_from {
                if *from < self.dt_s {
                    *from = 0.0;
                }
            }
            self.event_counts = [0; 2];
            self.last_split = split;
            let c = &self.connections;
            self.second_part_targets = (0..n)
                .map(|j| {
                    let t = &c.synapses[c.start[j]..c.start[j + 1]];
                    c.start[j] + t.partition_point(|s| (s.target as usize) < split)
                })
                .collect();
        }
        split
    }

    /// The step for the first-order filter (n = 0): each part integrates
    /// its neurons (`Part::integrate`), then each delivers all the step's
    /// spikes to its own neurons. In a network of at least
    /// `PARALLEL_NEURONS` the second half is a second part, on the helper
    /// thread; the spikes are delivered in the same order to every target
    /// either way, so the sums, and the results, are the same.
    fn step_first_order(&mut self) {
        let split = self.split_parts();
        let helper = self.helper.as_deref().filter(|_| split < self.len());
        let c = self.first_order_step();
        let finite = {
            let (v, v2) = self.v.split_at(split);
            let (s, s2) = self.stages.split_at(split);
            let (v_next, v_next2) = self.v_next.split_at_mut(split);
            let (s_next, s_next2) = self.s_next.split_at_mut(split);
            let (drive, drive2) = self.drive.split_at(split);
            let (wake_step, wake_step2) = self.wake_step.split_at_mut(split);
            let (refractory_s, refractory_s2) = self.refractory_s.split_at_mut(split);
            let (active_from, active_from2) = self.active_from.split_at_mut(split);
            let (event_step, event_step2) = self.event_step.split_at_mut(split);
            let (start_refractory, start_refractory2) = self.start_refractory.split_at_mut(split);
            let (last_spike_s, last_spike_s2) = self.last_spike_s.split_at_mut(split);
            let (event, event2) = self.event.split_at_mut(split);
            let (event_index, event_index2) = self.event_index.split_at_mut(split);
            let [event_count, event_count2] = &mut self.event_counts;
            self.spikes_second.clear();
            let mut first = Part {
                first: 0,
                v,
                s,
                v_next,
                s_next,
                drive,
                wake_step,
                refractory_s,
                active_from,
                event_step,
                start_refractory,
                last_spike_s,
                event,
                event_index,
                event_count,
                spikes: &mut self.step_spikes,
            };
            match helper {
                None => first.integrate(&c),
                Some(helper) => {
                    let mut second = Part {
                        first: split,
                        v: v2,
                        s: s2,
                        v_next: v_next2,
                        s_next: s_next2,
                        drive: drive2,
                        wake_step: wake_step2,
                        refractory_s: refractory_s2,
                        active_from: active_from2,
                        event_step: event_step2,
                        start_refractory: start_refractory2,
                        last_spike_s: last_spike_s2,
                        event: event2,
                        event_index: event_index2,
                        event_count: event_count2,
                        spikes: &mut self.spikes_second,
                    };
                    let (mut finite, mut finite2) = (true, true);
                    helper.join(
                        || finite = first.integrate(&c),
                        || finite2 = second.integrate(&c),
                    );
                    finite && finite2
                }
            }
        };
        self.step_spikes.extend_from_slice(&self.spikes_second);
        // In time order: see `sort_step_spikes`.
        self.step_spikes
            .sort_unstable_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        std::mem::swap(&mut self.v, &mut self.v_next);
        std::mem::swap(&mut self.stages, &mut self.s_next);
        self.state_finite = finite;
        // Delivery: split only when there is enough of it to share.
        let start = &self.connections.start;
        let synapses: usize = self
            .step_spikes
            .iter()
            .map(|&(j, _)| start[j + 1] - start[j])
            .sum();
        let connections = &self.connections;
        let spikes = &self.step_spikes[..];
        let mid = &self.second_part_targets;
        match helper {
            Some(helper) if synapses >= PARALLEL_SYNAPSES => {
                let (s, s2) = self.stages.split_at_mut(split);
                let (v, v2) = self.v.split_at_mut(split);
                let (active_from, active_from2) = self.active_from.split_at(split);
                // Never exact in step (EXACT_IN_STEP_BELOW): no suspects.
                let (mut none, mut none2) = (Vec::new(), Vec::new());
                helper.join(
                    || {
                        let targets = |j: usize| start[j]..mid[j];
                        let state = (s, v, active_from);
                        let suspects = (&[][..], &[][..], &[][..], &mut none);
                        deliver_first_order::<false>(
                            &c,
                            connections,
                            (spikes, 1.0),
                            targets,
                            0,
                            state,
                            suspects,
                        );
                    },
                    || {
                        let targets = |j: usize| mid[j]..start[j + 1];
                        let state = (s2, v2, active_from2);
                        let suspects = (&[][..], &[][..], &[][..], &mut none2);
                        deliver_first_order::<false>(
                            &c,
                            connections,
                            (spikes, 1.0),
                            targets,
                            split,
                            state,
                            suspects,
                        );
                    },
                );
            }
            _ => {
                let targets = |j: usize| start[j]..start[j + 1];
                let state = (&mut self.stages[..], &mut self.v[..], &self.active_from[..]);
                let suspects = (
                    &self.event_step[..],
                    &self.last_spike_s[..],
                    &self.drive[..],
                    &mut self.suspects,
                );
                if self.exact_in_step {
                    deliver_first_order::<true>(
                        &c,
                        connections,
                        (spikes, 1.0),
                        targets,
                        0,
                        state,
                        suspects,
                    );
                } else {
                    deliver_first_order::<false>(
                        &c,
                        connections,
                        (spikes, 1.0),
                        targets,
                        0,
                        state,
                        suspects,
                    );
                }
            }
        }
    }

    /// The step's spikes in time order (then by neuron): delivered in that
    /// order, each target's state after a delivery is its state at the end
    /// of the step had no later input come, so a neuron an input made cross
    /// is seen above the threshold even if a later one brings it back.
    fn sort_step_spikes(&mut self) {
        self.step_spikes
            .sort_unstable_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    }

    /// What the first-order step of every neuron shares.
    fn first_order_step(&self) -> FirstOrderStep {
        FirstOrderStep {
            params: self.params,
            dt: self.dt_s,
            step: self.step_index,
            e_m: self.step_coef.e_m,
            e_s: self.step_coef.stage[0],
            g: self.step_coef.v_from_stage[0],
            rate_m: 1.0 / self.params.tau_m_s,
            rate_s: 1.0 / self.params.filter.tau_s_s,
        }
    }

    /// The step of every neuron for a filter of NS = n + 1 stages: the common
    /// cases (integrating, or refractory, through the whole step with no
    /// crossing) inline; anything with an event inside the step goes to
    /// `step_neuron_with_events`.
    fn integrate<const NS: usize>(&mut self) {
        let n = self.len();
        let dt = self.dt_s;
        let c = self.step_coef;
        let (e_m, one_minus_e_m) = (c.e_m, 1.0 - c.e_m);
        let v_from: [f64; NS] = std::array::from_fn(|k| c.v_from_stage[k]);
        let cascade: [f64; NS] = std::array::from_fn(|d| c.stage[d]);
        let mut sum = 0.0;
        for i in 0..n {
            let drive = self.drive[i];
            let refractory = self.refractory_at_start(i);
            let st: &mut [f64; NS] = (&mut self.stages[i * NS..(i + 1) * NS])
                .try_into()
                .expect("NS stages per neuron");
            let old = *st;
            for k in (0..NS).rev() {
                let mut acc = 0.0;
                for d in 0..=k {
                    acc += cascade[d] * old[k - d];
                }
                st[k] = acc;
            }
            let v = self.v[i];
            if refractory.is_none() {
                self.active_from[i] = dt;
                sum += st[NS - 1];
                continue;
            }
            if refractory == Some(0.0) && v <= 1.0 {
                let mut v_end = e_m * v + one_minus_e_m * drive;
                for k in 0..NS {
                    v_end += v_from[k] * old[k];
                }
                // Rising at the start and falling at the end may hide a
                // crossing and return inside the step: checked exactly there.
                let d0 = old[NS - 1] + drive - v;
                let d1 = st[NS - 1] + drive - v_end;
                let may_peak = d0 > 0.0
                    && d1 < 0.0
                    && v.max(v_end) + d0.max(-d1) * dt / self.params.tau_m_s >= 1.0;
                if v_end <= 1.0 && !may_peak {
                    self.v[i] = v_end;
                    self.active_from[i] = 0.0;
                    sum += v_end + st[NS - 1];
                    continue;
                }
            }
            *st = old;
            self.step_neuron_with_events(i, drive);
            sum += self.v[i] + self.stages[i * NS + NS - 1];
        }
        self.state_finite = sum.is_finite();
    }

    /// The step of every neuron for any filter order, through the general
    /// event path (orders above 3 are for exploring h, not for speed).
    fn integrate_any_order(&mut self) {
        let ns = self.params.stages();
        let mut sum = 0.0;
        for i in 0..self.len() {
            let drive = self.drive[i];
            self.step_neuron_with_events(i, drive);
            sum += self.v[i] + self.stages[i * ns + ns - 1];
        }
        self.state_finite = sum.is_finite();
    }

    /// The general step of neuron i: refractory ends, crossings (possibly
    /// several), each located exactly.
    fn step_neuron_with_events(&mut self, i: usize, drive: f64) {
        let p = self.params;
        let ns = p.stages();
        let dt = self.dt_s;
        let mut seg = Segment::load(self.v[i], &self.stages[i * ns..(i + 1) * ns]);
        let Some(mut refractory) = self.refractory_at_start(i) else {
            seg = seg.propagate(&self.step_coef, ns, 0.0);
            self.stages[i * ns..(i + 1) * ns].copy_from_slice(&seg.stages[..ns]);
            self.active_from[i] = dt;
            return;
        };
        self.event_step[i] = self.step_index;
        self.start_refractory[i] = refractory;
        self.last_spike_s[i] = f64::NEG_INFINITY;
        let mut offset = 0.0;
        // A late delivery in the previous step pushed v over the threshold:
        // the crossing happened at that step's end.
        if refractory == 0.0 && seg.v > 1.0 {
            self.step_spikes.push((i, 0.0));
            self.last_spike_s[i] = 0.0;
            seg.v = 0.0;
            refractory = p.tau_ref_s;
        }
        // Each pass either ends the step or emits a spike and moves on; a spike
        // advances time by at least tau_ref, and a zero tau_ref still needs a
        // rise time, so the loop is bounded; the cap guards degenerate input.
        for _ in 0..10_000 {
            let left = dt - offset;
            if refractory >= left {
                seg = seg.propagate(&self.coef_for(left), ns, 0.0);
                refractory -= left;
                seg.v = 0.0;
                offset = dt;
                break;
            }
            if refractory > 0.0 {
                seg = seg.propagate(&p.coefficients(refractory), ns, 0.0);
                seg.v = 0.0;
                offset += refractory;
                refractory = 0.0;
            }
            let span = dt - offset;
            let (crossing, end) = first_crossing(&p, &seg, drive, span, &self.coef_for(span));
            match crossing {
                None => {
                    seg = end;
                    break;
                }
                Some(t_cross) => {
                    seg = seg.propagate(&p.coefficients(t_cross), ns, drive);
                    offset += t_cross;
                    self.step_spikes.push((i, offset));
                    self.last_spike_s[i] = offset;
                    seg.v = 0.0;
                    refractory = p.tau_ref_s;
                }
            }
        }
        self.v[i] = seg.v;
        self.stages[i * ns..(i + 1) * ns].copy_from_slice(&seg.stages[..ns]);
        self.end_event_step(i, refractory, offset);
    }

    fn coef_for(&self, delta: f64) -> Coefficients {
        if delta == self.dt_s {
            self.step_coef
        } else {
            self.params.coefficients(delta)
        }
    }

    /// Delivers this step's spikes to their targets at their exact offsets:
    /// the impulse w/tau_s into stage 0 at offset τ, propagated to the step's
    /// end, and its effect on v over the part of (τ, dt] in which the target
    /// integrated. The propagated impulse depends only on τ, so it is computed
    /// once per spike; each target then costs NS + 1 multiply-adds.
    fn deliver<const NS: usize>(&mut self) {
        let dt = self.dt_s;
        for s in 0..self.step_spikes.len() {
            let (j, offset) = self.step_spikes[s];
            let at_end = self.impulse_response(dt - offset);
            let stage_gain: [f64; NS] = std::array::from_fn(|k| at_end.stages[k]);
            let r = self.connections.start[j]..self.connections.start[j + 1];
            for idx in r {
                let Synapse { target, weight: w } = self.connections.synapses[idx];
                let i = target as usize;
                let st: &mut [f64; NS] = (&mut self.stages[i * NS..(i + 1) * NS])
                    .try_into()
                    .expect("NS stages per neuron");
                for k in 0..NS {
                    st[k] += w * stage_gain[k];
                }
                self.add_to_v(i, w, offset, at_end.v);
            }
        }
    }

    fn deliver_any_order(&mut self) {
        let dt = self.dt_s;
        for s in 0..self.step_spikes.len() {
            let (j, offset) = self.step_spikes[s];
            let at_end = self.impulse_response(dt - offset);
            let r = self.connections.start[j]..self.connections.start[j + 1];
            for idx in r {
                let Synapse { target, weight: w } = self.connections.synapses[idx];
                let i = target as usize;
                self.deliver_to(i, w, offset, &at_end);
            }
        }
    }

    /// One spike of weight w at `offset` into neuron i, given the impulse
    /// response over the rest of the step.
    fn deliver_to(&mut self, i: usize, w: f64, offset: f64, at_end: &Segment) {
        let ns = self.params.stages();
        for k in 0..ns {
            self.stages[i * ns + k] += w * at_end.stages[k];
        }
        self.add_to_v(i, w, offset, at_end.v);
    }

    /// A spike's effect on neuron i's v at the step's end (`gain` per unit
    /// weight when the neuron integrates from before the spike), and whether
    /// the neuron must be re-solved (`resolve_in_step_crossings`).
    fn add_to_v(&mut self, i: usize, w: f64, offset: f64, gain: f64) {
        let from = self.active_from[i];
        let (ns, dt) = (self.params.stages(), self.dt_s);
        // v falling at the end below the threshold after an excitatory
        // input may have peaked above it (first order: see `may_peak` in
        // first_order.rs; here, with any filter order, any such fall).
        let falling = |v: f64| w > 0.0 && self.stages[i * ns + ns - 1] + self.drive[i] < v;
        let suspect = if from <= offset {
            self.v[i] += w * gain;
            self.v[i] > 1.0 || falling(self.v[i])
        } else {
            if from < dt {
                self.v[i] += w * self.late_start_gain(offset, from);
            }
            self.v[i] > 1.0
                || (from < dt && falling(self.v[i]))
                || (self.event_step[i] == self.step_index && offset < self.last_spike_s[i])
        };
        if self.exact_in_step && suspect {
            self.suspects.push(i as u32);
        }
    }

    /// The state a unit impulse 1/tau_s into stage 0 reaches after `rest`,
    /// v starting at 0 with no drive.
    fn impulse_response(&self, rest: f64) -> Segment {
        let mut st = [0.0; MAX_STAGES];
        st[0] = 1.0 / self.params.filter.tau_s_s;
        Segment { v: 0.0, stages: st }.propagate(&self.coef_for(rest), self.params.stages(), 0.0)
    }

    /// The effect on v at the step's end of a unit impulse at `offset` on a
    /// target whose refractory period ended later, at `from`: the filter runs
    /// from the impulse, v only from `from`.
    fn late_start_gain(&self, offset: f64, from: f64) -> f64 {
        late_start_gain(&self.params, self.dt_s, offset, from)
    }

    /// Re-solves, from the step's start and with every input of the step in
    /// time order, each neuron an input may have made cross or whose crossing
    /// it may have moved. The first pass and the event paths locate
    /// crossings without the step's own inputs, and the delivery adds those
    /// at the step's end: exact unless an input lands before a crossing in
    /// the same step. The delivery, in time order, lists such neurons: one
    /// integrating at the input whose trajectory with the inputs so far ends
    /// above the threshold or, after an excitatory input, may peak above it
    /// inside the step (the input made it cross), or one refractory at the
    /// input with a spike later in the step (after it woke). Where a
    /// neuron's spikes move, its targets' inputs moved too:
    /// the old spikes' effects are taken back and the new ones' added, and
    /// the targets this lists are re-solved in the next round, until no
    /// spike moves (rounds as long as the chain of spikes that cause one
    /// another inside the step: a few, 13 at most measured at N = 4,000 and
    /// dt = 1 ms).
    fn resolve_in_step_crossings(&mut self, arrivals: &[super::Arrival]) {
        if self.suspects.is_empty() {
            return;
        }
        let step = self.step_index;
        let ns = self.params.stages();
        let c = self.first_order_step();
        let mut moved_any = false;
        for _ in 0..MAX_RESOLVE_ROUNDS {
            if self.suspects.is_empty() {
                break;
            }
            self.suspects.sort_unstable();
            self.suspects.dedup();
            // Every suspect is re-solved against the spikes the round began
            // with; the moves are delivered after, so that each target's
            // state holds each input once.
            self.moves.clear();
            for k in 0..self.suspects.len() {
                let i = self.suspects[k] as usize;
                let refractory = if self.event_step[i] == step {
                    self.start_refractory[i]
                } else {
                    match refractory_at_start(self.wake_step[i], self.refractory_s[i], step) {
                        Some(r) => r,
                        None => continue,
                    }
                };
                self.gather_inputs(i, arrivals);
                let self_weight = self.weight(i, i);
                // The state at the step's start: the first-order step's double
                // buffer, or the copy the other orders make.
                let (refractory_left, from) = if ns == 1 {
                    let to_jump = 1.0 / self.params.filter.tau_s_s;
                    for input in &mut self.inputs {
                        input.1 *= to_jump;
                    }
                    let start = (self.v_next[i], self.s_next[i], refractory);
                    let (v, s, left, from) = first_order::resolve_first_order(
                        &c,
                        (self.drive[i], self_weight * to_jump),
                        start,
                        &self.inputs,
                        &mut self.new_spikes,
                    );
                    (self.v[i], self.stages[i]) = (v, s);
                    (left, from)
                } else {
                    let start = Segment::load(self.v_next[i], &self.s_next[i * ns..(i + 1) * ns]);
                    let drive = (self.drive[i], self_weight);
                    let (end, left, from) = self.resolve_neuron(start, refractory, drive);
                    self.v[i] = end.v;
                    self.stages[i * ns..(i + 1) * ns].copy_from_slice(&end.stages[..ns]);
                    (left, from)
                };
                self.end_event_step(i, refractory_left, from);
                self.event_step[i] = step;
                self.start_refractory[i] = refractory;
                self.last_spike_s[i] = self.new_spikes.last().copied().unwrap_or(f64::NEG_INFINITY);
                self.resolved.push(i as u32);
                self.state_finite &= self.v[i].is_finite()
                    && self.stages[i * ns..(i + 1) * ns]
                        .iter()
                        .all(|x| x.is_finite());
                // Did the spikes move (beyond rounding: the paths differ in
                // their last bits)?
                let old = self.step_spikes.iter().filter(|s| s.0 == i).map(|s| s.1);
                let tolerance = 1e-12 * self.dt_s;
                let moved = old.clone().count() != self.new_spikes.len()
                    || old
                        .zip(&self.new_spikes)
                        .any(|(a, b)| (a - b).abs() > tolerance);
                if moved {
                    let old = self.step_spikes.iter().filter(|s| s.0 == i);
                    self.moves
                        .extend(old.map(|&(_, offset)| (i, offset, false)));
                    let new = self.new_spikes.iter().map(|&offset| (i, offset, true));
                    self.moves.extend(new);
                }
            }
            // The moved spikes: in the list, then their effect on each target
            // changed from the old offset to the new; targets this may make
            // cross, or whose crossing it may move, are the next round's.
            self.suspects.clear();
            moved_any |= !self.moves.is_empty();
            self.step_spikes
                .retain(|s| !self.moves.iter().any(|m| m.0 == s.0));
            for k in 0..self.moves.len() {
                let (j, offset, new) = self.moves[k];
                if new {
                    self.step_spikes.push((j, offset));
                }
                // Its own re-solve placed a spike's effect on the neuron
                // itself (a connection to itself): the targets before and
                // after it.
                let sign = if new { 1.0 } else { -1.0 };
                let all = self.connections.start[j]..self.connections.start[j + 1];
                let list = &self.connections.synapses[all.clone()];
                let own = all.start + list.partition_point(|s| (s.target as usize) < j)
                    ..all.start + list.partition_point(|s| (s.target as usize) <= j);
                if ns == 1 {
                    let connections = &self.connections;
                    for part in [all.start..own.start, own.end..all.end] {
                        let state = (&mut self.stages[..], &mut self.v[..], &self.active_from[..]);
                        let suspects = (
                            &self.event_step[..],
                            &self.last_spike_s[..],
                            &self.drive[..],
                            &mut self.suspects,
                        );
                        let spike = ([(j, offset)], sign);
                        deliver_first_order::<true>(
                            &c,
                            connections,
                            (&spike.0, spike.1),
                            |_| part.clone(),
                            0,
                            state,
                            suspects,
                        );
                    }
                } else {
                    let at_end = self.impulse_response(self.dt_s - offset);
                    for idx in (all.start..own.start).chain(own.end..all.end) {
                        let Synapse { target, weight } = self.connections.synapses[idx];
                        self.deliver_to(target as usize, sign * weight, offset, &at_end);
                    }
                }
            }
        }
        if moved_any {
            self.sort_step_spikes();
        }
    }

    /// The weight w_ij of neuron j's connection to neuron i (0: none).
    fn weight(&self, i: usize, j: usize) -> f64 {
        let list =
            &self.connections.synapses[self.connections.start[j]..self.connections.start[j + 1]];
        let first = list.partition_point(|s| (s.target as usize) < i);
        list[first..]
            .iter()
            .take_while(|s| s.target as usize == i)
            .map(|s| s.weight)
            .sum()
    }

    /// Neuron i's inputs in the step, as (offset, weight), in time order:
    /// the step's spikes of its presynaptic neurons (each target list is
    /// sorted, so found by bisection) and the arriving spikes of input
    /// trains. Its own spikes are not among them: a connection to itself
    /// acts at each of its spikes, which the re-solve places itself.
    fn gather_inputs(&mut self, i: usize, arrivals: &[super::Arrival]) {
        self.inputs.clear();
        for k in 0..self.step_spikes.len() {
            let (j, offset) = self.step_spikes[k];
            if j != i {
                let w = self.weight(i, j);
                if w != 0.0 {
                    self.inputs.push((offset, w));
                }
            }
        }
        for a in arrivals {
            if a.target.is_none_or(|t| t == i) {
                self.inputs.push((a.offset_s, a.weight));
            }
        }
        self.inputs.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    }

    /// One neuron's step from `start` (refractory for `refractory` at its
    /// start, drive I, the weight of its connection to itself) with the
    /// inputs in `self.inputs`, on closed forms between them: each input,
    /// and each of its own spikes through that weight, adds w/tau_s to stage
    /// 0 at its offset, refractory
    /// ends and crossings are located as in `step_neuron_with_events`. The
    /// spikes' offsets go to `self.new_spikes`. Returns the state at the
    /// step's end, the refractory time left then, and where its last
    /// uninterrupted integration began.
    fn resolve_neuron(
        &mut self,
        start: Segment,
        refractory: f64,
        (drive, self_weight): (f64, f64),
    ) -> (Segment, f64, f64) {
        let p = self.params;
        let ns = p.stages();
        let dt = self.dt_s;
        let self_jump = self_weight / p.filter.tau_s_s;
        self.new_spikes.clear();
        let (mut seg, mut refractory, mut t, mut from) = (start, refractory, 0.0, 0.0);
        if refractory == 0.0 && seg.v > 1.0 {
            self.new_spikes.push(0.0);
            seg.v = 0.0;
            seg.stages[0] += self_jump;
            refractory = p.tau_ref_s;
        }
        let mut next = 0;
        loop {
            let until = self.inputs.get(next).map_or(dt, |&(at, _)| at.clamp(t, dt));
            // Each pass reaches `until` or emits a spike and moves on (as in
            // `step_neuron_with_events`).
            for _ in 0..10_000 {
                let left = until - t;
                if left <= 0.0 {
                    break;
                }
                if refractory >= left {
                    seg = seg.propagate(&p.coefficients(left), ns, 0.0);
                    seg.v = 0.0;
                    refractory -= left;
                    t = until;
                    break;
                }
                if refractory > 0.0 {
                    seg = seg.propagate(&p.coefficients(refractory), ns, 0.0);
                    seg.v = 0.0;
                    t += refractory;
                    refractory = 0.0;
                    from = t;
                }
                let span = until - t;
                let (crossing, end) = first_crossing(&p, &seg, drive, span, &p.coefficients(span));
                match crossing {
                    None => {
                        seg = end;
                        t = until;
                        break;
                    }
                    Some(t_cross) => {
                        seg = seg.propagate(&p.coefficients(t_cross), ns, drive);
                        t += t_cross;
                        self.new_spikes.push(t);
                        seg.v = 0.0;
                        seg.stages[0] += self_jump;
                        refractory = p.tau_ref_s;
                    }
                }
            }
            let Some(&(_, w)) = self.inputs.get(next) else {
                break;
            };
            seg.stages[0] += w / p.filter.tau_s_s;
            next += 1;
        }
        (seg, refractory, if refractory > 0.0 { dt } else { from })
    }
}

/// Neuron's refractory time at the start of step `step`, given the step it
/// wakes in and the time it has left then: None when it rests through the
/// whole step.
fn refractory_at_start(wake_step: u64, refractory_s: f64, step: u64) -> Option<f64> {
    match wake_step.cmp(&step) {
        std::cmp::Ordering::Greater => None,
        std::cmp::Ordering::Equal => Some(refractory_s.max(0.0)),
        std::cmp::Ordering::Less => Some(0.0),
    }
}

/// A neuron refractory for `left` from the start of step `from_step` rests
/// through m = floor(left/dt) whole steps and wakes in the next, with
/// left - m dt in [0, dt) still to rest: (that step, the time left then).
fn rest_from(from_step: u64, left: f64, dt: f64) -> (u64, f64) {
    if left < dt {
        return (from_step, left);
    }
    let whole = (left / dt).floor();
    let (mut m, mut rest) = (whole as u64, left - whole * dt);
    // The quotient is rounded: one step back or on puts rest in [0, dt).
    if rest < 0.0 {
        m -= 1;
        rest += dt;
    } else if rest >= dt {
        m += 1;
        rest -= dt;
    }
    (from_step + m, rest)
}

/// Records the end of a neuron's event step (its wake step, refractory time
/// and `active_from`): refractory for `refractory` after the step, else
/// integrating from `offset`.
fn end_event_step(
    step: u64,
    dt: f64,
    refractory: f64,
    offset: f64,
    (wake_step, refractory_s, active_from): (&mut u64, &mut f64, &mut f64),
) {
    if refractory > 0.0 {
        (*wake_step, *refractory_s) = rest_from(step + 1, refractory, dt);
        *active_from = dt;
    } else {
        // Awake from this step on (a re-solve may undo a rest that an event
        // path had begun).
        *wake_step = (*wake_step).min(step);
        *refractory_s = 0.0;
        *active_from = offset;
    }
}

/// The effect on v at the step's end of a unit impulse at `offset` on a
/// target whose refractory period ended later, at `from`: the filter runs
/// from the impulse, v only from `from`.
fn late_start_gain(p: &NetworkParams, dt: f64, offset: f64, from: f64) -> f64 {
    let ns = p.stages();
    let mut st = [0.0; MAX_STAGES];
    st[0] = 1.0 / p.filter.tau_s_s;
    let mut at_from =
        Segment { v: 0.0, stages: st }.propagate(&p.coefficients(from - offset), ns, 0.0);
    at_from.v = 0.0;
    at_from.propagate(&p.coefficients(dt - from), ns, 0.0).v
}

/// φ_1(z) = (e^z - 1)/z. Between events z = Δ/tau_s - Δ/tau_m is small
/// (Δ <= dt), where the Taylor series to z^6 is exact to rounding
/// (the first omitted term, z^7/8!, is below 2^-53 for |z| <= 0.02) and
/// costs a few multiply-adds instead of a call of expm1.
#[inline]
fn phi1(z: f64) -> f64 {
    if z.abs() <= 0.02 {
        1.0 + z
            * (1.0 / 2.0
                + z * (1.0 / 6.0
                    + z * (1.0 / 24.0 + z * (1.0 / 120.0 + z * (1.0 / 720.0 + z / 5040.0)))))
    } else {
        super::hh::exprel(z)
    }
}

/// The first threshold crossing within `span` of a segment from `seg` with
/// constant drive (`c`: the propagator over the span), if any, and the state
/// at the span's end: where v ends above 1, by safeguarded Newton; where it
/// may rise above 1 and fall back, at its peak.
fn first_crossing(
    p: &NetworkParams,
    seg: &Segment,
    drive: f64,
    span: f64,
    c: &Coefficients,
) -> (Option<f64>, Segment) {
    let end = seg.propagate(c, p.stages(), drive);
    let crossing = if end.v > 1.0 {
        Some(find_crossing(p, seg, drive, 0.0, span))
    } else if may_peak_above_threshold(p, seg, &end, drive, span) {
        peak_crossing(p, seg, drive, span)
    } else {
        None
    };
    (crossing, end)
}

/// Whether v may rise above 1 and fall back inside a span that starts at
/// `seg` and ends at `end`: v rising at the start, falling at the end, and the
/// largest possible excursion reaching the threshold.
#[inline]
fn may_peak_above_threshold(
    p: &NetworkParams,
    seg: &Segment,
    end: &Segment,
    drive: f64,
    span: f64,
) -> bool {
    let d0 = seg.dvdt(p, drive);
    if d0 <= 0.0 {
        return false;
    }
    let d1 = end.dvdt(p, drive);
    d1 < 0.0 && seg.v.max(end.v) + d0.max(-d1) * span >= 1.0
}

/// v as a function of the time τ into a segment.
fn eval_at(p: &NetworkParams, seg: &Segment, drive: f64, tau: f64) -> Segment {
    seg.propagate(&p.coefficients(tau), p.stages(), drive)
}

/// The first τ in [lo, hi] with v(τ) = 1, given v(lo) < 1 <= v(hi) and v
/// increasing through the crossing: safeguarded Newton on the closed form.
fn find_crossing(p: &NetworkParams, seg: &Segment, drive: f64, lo: f64, hi: f64) -> f64 {
    let (mut a, mut b) = (lo, hi);
    let va = eval_at(p, seg, drive, a).v;
    let vb = eval_at(p, seg, drive, b).v;
    let mut tau = a + (b - a) * ((1.0 - va) / (vb - va)).clamp(0.0, 1.0);
    for _ in 0..100 {
        let at = eval_at(p, seg, drive, tau);
        let f = at.v - 1.0;
        if f < 0.0 {
            a = tau;
        } else {
            b = tau;
        }
        let slope = at.dvdt(p, drive);
        let newton = tau - f / slope;
        let next = if slope > 0.0 && newton > a && newton < b {
            newton
        } else {
            0.5 * (a + b)
        };
        if (next - tau).abs() <= 1e-16 + 1e-14 * tau.abs() || b - a <= 1e-15 * hi.max(1e-300) {
            return next;
        }
        tau = next;
    }
    tau
}

/// The crossing inside a span where v rises then falls: locate the peak
/// (dv/dt = 0, safeguarded Newton with d²v/dt²); if v there reaches 1, the
/// crossing lies between the start and the peak.
fn peak_crossing(p: &NetworkParams, seg: &Segment, drive: f64, span: f64) -> Option<f64> {
    let (mut a, mut b) = (0.0, span);
    let mut tau = 0.5 * span;
    for _ in 0..100 {
        let at = eval_at(p, seg, drive, tau);
        let d = at.dvdt(p, drive);
        if d > 0.0 {
            a = tau;
        } else {
            b = tau;
        }
        let dd = at.d2vdt2(p, drive);
        let newton = tau - d / dd;
        let next = if dd < 0.0 && newton > a && newton < b {
            newton
        } else {
            0.5 * (a + b)
        };
        if (next - tau).abs() <= 1e-16 + 1e-14 * tau.abs() {
            tau = next;
            break;
        }
        tau = next;
    }
    (eval_at(p, seg, drive, tau).v > 1.0).then(|| find_crossing(p, seg, drive, 0.0, tau))
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

impl RandomNetwork {
    /// Draws biases, initial potentials, then connections, all from one seeded
    /// PCG stream: the same recipe always gives the same network.
    pub fn build(&self, params: NetworkParams, dt_s: f64) -> LifNetwork {
        let mut rng = Pcg64::seed_from_u64(self.seed);
        let bias: Vec<f64> = (0..self.n).map(|_| self.bias.sample(&mut rng)).collect();
        let v_init: Vec<f64> = (0..self.n).map(|_| self.v_init.sample(&mut rng)).collect();
        let n_exc = self.excitatory.unwrap_or(self.n);
        let (w_exc, w_inh) = (self.weight, self.weight_inhibitory);
        let connections = Connections::random(
            self.n,
            self.p,
            |j| if j < n_exc { w_exc } else { w_inh },
            &mut rng,
        );
        let names = (0..self.n).map(|i| i.to_string()).collect();
        LifNetwork::new(params, names, bias, connections, v_init, dt_s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(order: usize, tau_s: f64) -> NetworkParams {
        NetworkParams {
            tau_m_s: 0.02,
            tau_ref_s: 0.002,
            filter: PscFilter::new(order, tau_s),
            spike_timing: SpikeTiming::Exact,
        }
    }

    /// In one step of 1 ms, E's spike makes T cross and I's, later, brings
    /// T's end state back below the threshold (I has the lower index, so
    /// out of time order its delivery would come first and T would never be
    /// seen above it). T's spike at 5.1026 ms must be found at dt = 1 ms as
    /// at 0.01 ms, for filters of order 0 and 1.
    #[test]
    fn a_crossing_undone_by_a_later_input_of_its_step_is_found() {
        for order in [0, 1] {
            let w = vec![
                vec![0.0, 0.0, 0.0],
                vec![0.0, 0.0, 0.0],
                vec![-0.03, 0.01, 0.0],
            ];
            let run = |dt: f64| {
                let mut net = LifNetwork::new(
                    params(order, 0.001),
                    vec!["I".into(), "E".into(), "T".into()],
                    vec![2.0, 2.0, 0.999],
                    Connections::from_dense(&w),
                    vec![0.6835, 0.7095, 0.999],
                    dt,
                );
                let mut spikes = Vec::new();
                let steps = (0.02 / dt).round() as usize;
                for k in 0..steps {
                    net.step(k as f64 * dt, &[], &mut spikes);
                }
                spikes
            };
            let (fine, coarse) = (run(1e-5), run(1e-3));
            let t_of = |list: &[Spike]| list.iter().find(|s| s.neuron == 2).map(|s| s.time_s);
            let t = t_of(&fine).expect("T fires");
            assert!((t - 0.0051).abs() < 1e-4, "order {order}: T at {t} s");
            assert_eq!(coarse.len(), fine.len(), "order {order}");
            for (c, f) in coarse.iter().zip(&fine) {
                assert_eq!(c.neuron, f.neuron, "order {order}");
                assert!(
                    (c.time_s - f.time_s).abs() < 1e-12,
                    "order {order}: {c:?} {f:?}"
                );
            }
        }
    }

    /// The benchmark network stepped by one thread and by two: the same
    /// spikes and the same state to the last bit, through a switch between
    /// the two in mid-run.
    #[test]
    fn two_threads_give_the_same_bits_as_one() {
        // The peers' recipe, w ~ U(-1, 1) 0.005 sqrt(20/K), at K = 0.05 N
        // = 205 inputs: steps with few spikes deliver on one thread, those
        // with more than PARALLEL_SYNAPSES / K on two.
        let (n, p) = (PARALLEL_NEURONS, 0.05);
        let k = p * n as f64;
        let recipe = RandomNetwork {
            n,
            p,
            weight: Uniform {
                low: -0.005 * (20.0 / k).sqrt(),
                high: 0.005 * (20.0 / k).sqrt(),
            },
            excitatory: None,
            weight_inhibitory: Uniform {
                low: 0.0,
                high: 0.0,
            },
            bias: Uniform {
                low: 1.0,
                high: 2.0,
            },
            v_init: Uniform {
                low: 0.0,
                high: 1.0,
            },
            seed: 7,
        };
        for spike_timing in [SpikeTiming::Exact, SpikeTiming::Grid] {
            let params = NetworkParams {
                spike_timing,
                ..params(0, 0.01)
            };
            let (mut one, mut two) = (recipe.build(params, 1e-4), recipe.build(params, 1e-4));
            one.set_threads(1);
            two.set_threads(2);
            let (mut a, mut b) = (Vec::new(), Vec::new());
            for k in 0..1500 {
                if k == 1000 {
                    two.set_threads(1);
                }
                if k == 1250 {
                    two.set_threads(2);
                }
                let t0 = k as f64 * 1e-4;
                one.step(t0, &[], &mut a);
                two.step(t0, &[], &mut b);
                assert!(
                    a == b,
                    "{spike_timing:?}, step {k}: {} vs {} spikes",
                    a.len(),
                    b.len()
                );
                assert!(
                    one.v
                        .iter()
                        .zip(&two.v)
                        .all(|(x, y)| x.to_bits() == y.to_bits())
                );
                assert!(
                    one.stages
                        .iter()
                        .zip(&two.stages)
                        .all(|(x, y)| x.to_bits() == y.to_bits())
                );
            }
            assert!(a.len() > 4000, "{spike_timing:?}: {} spikes", a.len());
        }
    }

    /// A lone neuron with constant drive b fires every tau_ref +
    /// tau_m ln(b/(b - 1)); changing dt while it is refractory keeps the time
    /// it has left, whatever the filter order's path.
    #[test]
    fn refractory_time_survives_a_change_of_dt() {
        for order in [0, 1] {
            let b = 1.5;
            let mut net = LifNetwork::new(
                params(order, 0.005),
                vec!["A".into()],
                vec![b],
                Connections::from_dense(&[vec![0.0]]),
                vec![0.0],
                1e-4,
            );
            let period = 0.002 + 0.02 * (b / (b - 1.0)).ln();
            let mut spikes = Vec::new();
            let mut t = 0.0;
            while spikes.is_empty() {
                net.step(t, &[], &mut spikes);
                t += 1e-4;
            }
            // Mid-refractory: 2 ms after a spike falls in no step boundary.
            net.step(t, &[], &mut spikes);
            t += 1e-4;
            net.prepare(0.7e-4);
            while spikes.len() < 3 {
                net.step(t, &[], &mut spikes);
                t += 0.7e-4;
            }
            for pair in spikes.windows(2) {
                let gap = pair[1].time_s - pair[0].time_s;
                assert!(
                    (gap - period).abs() < 1e-12,
                    "order {order}: {gap} vs {period}"
                );
            }
        }
    }

    /// The step notices a v or s that is no longer finite, whichever path
    /// the neuron takes.
    #[test]
    fn a_state_that_is_not_finite_is_noticed() {
        let make = || {
            let mut net = LifNetwork::new(
                params(0, 0.005),
                vec!["A".into(), "B".into()],
                vec![1.5, 0.5],
                Connections::from_dense(&[vec![0.0, 0.0], vec![0.0, 0.0]]),
                vec![0.2, 0.3],
                1e-4,
            );
            net.step(0.0, &[], &mut Vec::new());
            assert!(net.state_finite());
            net
        };
        for (v, s) in [
            (f64::NAN, 0.0),
            (f64::INFINITY, 0.0),
            (0.3, f64::INFINITY),
            (0.3, f64::NEG_INFINITY),
        ] {
            let mut net = make();
            net.v[1] = v;
            net.stages[1] = s;
            net.step(1e-4, &[], &mut Vec::new());
            assert!(!net.state_finite(), "v {v} s {s}");
        }
    }

    #[test]
    fn rest_is_whole_steps_and_a_remainder_below_dt() {
        for dt in [1e-4, 0.7e-4, 0.1e-3 / 3.0, 0.02] {
            for k in 0..4000 {
                let left = k as f64 * 1.37e-6;
                let (wake, rest) = rest_from(10, left, dt);
                assert!((0.0..dt).contains(&rest), "dt {dt} left {left}: {rest}");
                let whole = (wake - 10) as f64 * dt;
                assert!((whole + rest - left).abs() <= 1e-15, "dt {dt} left {left}");
            }
        }
        assert_eq!(rest_from(3, 2e-3, 1e-3), (5, 0.0));
    }

    #[test]
    fn phi1_series_agrees_with_expm1() {
        for k in -2000..=2000 {
            let z = k as f64 * 1e-5 + 3.7e-9;
            let exact = super::super::hh::exprel(z);
            assert!((phi1(z) - exact).abs() <= 2.5e-16 * exact, "z = {z}");
        }
        assert_eq!(phi1(0.0), 1.0);
    }

    #[test]
    fn coefficients_compose_over_two_half_steps() {
        for (order, tau_s) in [(0, 0.005), (1, 0.02), (3, 0.1), (2, 0.0199999)] {
            let p = params(order, tau_s);
            let ns = order + 1;
            let mut seg = Segment::load(0.3, &vec![1.7; ns]);
            seg.stages[0] = 2.5;
            let whole = seg.propagate(&p.coefficients(1e-3), ns, 1.2);
            let half = p.coefficients(5e-4);
            let twice = seg.propagate(&half, ns, 1.2).propagate(&half, ns, 1.2);
            assert!((whole.v - twice.v).abs() < 1e-14, "{order}");
            for k in 0..ns {
                assert!((whole.stages[k] - twice.stages[k]).abs() < 1e-13);
            }
        }
    }

    /// The first-order fast path and the general path give the same run.
    #[test]
    fn first_order_fast_path_equals_the_general_path() {
        let p = params(0, 0.005);
        let w = vec![
            vec![0.0, -0.01, 0.0],
            vec![0.03, 0.0, 0.0],
            vec![0.02, -0.005, 0.0],
        ];
        let make = || {
            LifNetwork::new(
                p,
                vec!["A".into(), "B".into(), "C".into()],
                vec![1.5, 1.2, 1.0],
                Connections::from_dense(&w),
                vec![0.0, 0.3, 0.9],
                1e-4,
            )
        };
        let (mut fast, mut general) = (make(), make());
        let (mut a, mut b) = (Vec::new(), Vec::new());
        for k in 0..5000 {
            let t0 = k as f64 * 1e-4;
            fast.step(t0, &[], &mut a);
            general.step_spikes.clear();
            general.step_index += 1;
            general.drive.copy_from_slice(&general.bias);
            general.integrate_any_order();
            general.deliver_any_order();
            general
                .step_spikes
                .sort_by(|x, y| x.1.total_cmp(&y.1).then(x.0.cmp(&y.0)));
            b.extend(general.step_spikes.iter().map(|&(neuron, o)| Spike {
                neuron,
                time_s: t0 + o,
            }));
            for i in 0..3 {
                assert!(
                    (fast.v[i] - general.v[i]).abs() < 1e-12,
                    "step {k} v[{i}]: {} vs {} refr {} {} af {} {}",
                    fast.v[i],
                    general.v[i],
                    fast.refractory_s[i],
                    general.refractory_s[i],
                    fast.active_from[i],
                    general.active_from[i]
                );
                assert!((fast.synaptic_current(i) - general.synaptic_current(i)).abs() < 1e-9);
            }
        }
        assert!(a.len() > 30, "{} spikes", a.len());
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x.neuron, y.neuron);
            assert!((x.time_s - y.time_s).abs() < 1e-13);
        }
    }

    #[test]
    fn filter_coupling_matches_closed_form_for_order_zero() {
        // g_0 = tau_s/(tau_s - tau_m) (e^-Δ/tau_s - e^-Δ/tau_m)
        let p = params(0, 0.005);
        let d = 1e-3;
        let c = p.coefficients(d);
        let want = 0.005 / (0.005 - 0.02) * ((-d / 0.005f64).exp() - (-d / 0.02f64).exp());
        assert!((c.v_from_stage[0] - want).abs() < 1e-16);
    }
}
