//! The full LIF network (notes 1.3.5, SPEC section 4).
//!
//! ```text
//! tau_m dv_i/dt = s_i + b_i + x_i(t) - v_i      while not refractory (else v_i = 0)
//! s_i = output of neuron i's PSC filter h (order n, tau_s; see synapse.rs)
//! spike of j at t_j:  stage 0 of i's filter += w_ij / tau_s
//! ```
//!
//! Between events each neuron is propagated exactly (propagator.rs). The
//! default step is event-exact (`SpikeTiming::Exact`): a refractory period
//! that ends inside a step starts the integration there, a threshold
//! crossing is located on the closed form (solve.rs, including a crossing
//! and return inside one step), and a spike at offset τ reaches its targets
//! at τ. Crossings are first located without the step's own inputs; where
//! an input lands before a crossing in the same step, or makes a neuron
//! cross, the neuron is solved again with its inputs in time order
//! (resolve.rs), so the spike times do not depend on dt; a step that holds
//! many spikes is taken in substeps (substeps.rs), where that work, which
//! grows as the square of the step's spikes, stays small. Networks of
//! `EXACT_IN_STEP_BELOW` neurons or more skip that re-solve unless asked
//! (`InStepResolve`; README "LIF network" gives what it costs and what it
//! changes).
//! `SpikeTiming::Grid` takes Brian2's clock-driven step instead (grid.rs).
//!
//! ```text
//! LifNetwork
//!   params, names, bias, connections (connections.rs)   what the network is
//!   state: NeuronArrays (state.rs)                       v, s, rest, last events
//!   prop: Propagator (propagator.rs)                     the step's coefficients
//!   scratch: StepScratch                                 the step's spikes and marks
//!   resolve: ResolveScratch (resolve.rs)                 the in-step re-solve
//!   exec: Exec (parallel.rs)                             threads
//! step: in substeps where it holds many spikes (substeps.rs); each
//!       first order (first_order.rs, on scalars, vectorized), orders 1-3
//!       (exact.rs, compiled per order), any order (exact.rs), grid (grid.rs)
//! ```

mod connections;
#[cfg(test)]
mod connections_tests;
mod delivery;
mod exact;
mod excitation;
mod first_order;
mod first_order_pass;
mod fork_join;
mod gaps;
mod grid;
mod grid_pass;
mod idle_work;
mod kernel;
mod later_inputs;
mod pace;
mod parallel;
mod propagator;
mod resolve;
mod resolve_index;
#[cfg(test)]
mod runaway_tests;
mod solve;
mod state;
mod substeps;
#[cfg(test)]
mod tests;
mod timing;

pub use connections::{Connections, RandomNetwork, Uniform};
#[doc(hidden)]
pub use fork_join::ForkJoin;
pub use idle_work::while_waiting;
pub use timing::{InStepResolve, SpikeTiming};

use super::synapse::{MAX_PSC_ORDER, PscFilter};
use super::{Carry, Spike, runaway_spikes};
use parallel::Exec;
use propagator::Propagator;
use resolve::ResolveScratch;
use solve::StepSpike;
use state::{Aligned, NeuronArrays, aligned, aligned_of};
use substeps::SubstepArrivals;

/// Largest network accepted: a synapse's target is a u32. Below that the
/// memory a network needs decides (`peak_bytes` against
/// `sysmem::available_bytes`), checked before anything is allocated.
pub const MAX_NEURONS: usize = u32::MAX as usize;
/// Largest number of neurons accepted where the machine's available memory
/// cannot be read.
pub const MAX_NEURONS_UNMEASURED: usize = 100_000;
/// Largest number of synapses (non-zero weights) accepted there.
pub const MAX_SYNAPSES: usize = 20_000_000;
/// Bytes a synapse takes (its target as u32 and its weight as f64, packed;
/// connections.rs) and the build's reserve above the expected count.
pub const SYNAPSE_BYTES: f64 = 12.0;
const SYNAPSE_RESERVE: f64 = 1.05;
/// Bytes a neuron takes beside its synapses, at most: potentials, filter
/// stages, rest and last-event records, bias and drive, the spike lists'
/// room, the connection index.
pub const NEURON_BYTES: f64 = 512.0;
/// Share of the available memory a network may take: the rest is the
/// recording, the screen and the system's.
pub const MEMORY_SHARE: f64 = 0.8;

/// Memory a network of `n` neurons with `synapses` expected takes at its
/// peak (bytes): one copy of the connections, built in place.
pub fn peak_bytes(n: usize, synapses: f64) -> f64 {
    synapses * SYNAPSE_RESERVE * SYNAPSE_BYTES + n as f64 * NEURON_BYTES
}

const MAX_STAGES: usize = MAX_PSC_ORDER + 1;

/// Networks below this size re-solve by default (`InStepResolve::Auto`),
/// within each step, every crossing an input of the same step caused or
/// moved (resolve.rs), which makes their spike times exact. A larger
/// network does not unless asked: there an input lands before
/// a crossing in the same step for a third of the spikes (0.8 inputs a
/// neuron a step in the benchmark at N = 10,000), and re-delivering the
/// moved spikes would cost more than the step's two threads gain. The same
/// size as `parallel::PARALLEL_NEURONS`, so that the results never depend
/// on the number of threads.
const EXACT_IN_STEP_BELOW: usize = parallel::PARALLEL_NEURONS;

/// Parameters shared by every neuron of the network (seconds).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NetworkParams {
    pub tau_m_s: f64,
    pub tau_ref_s: f64,
    pub filter: PscFilter,
    pub spike_timing: SpikeTiming,
}

/// What one step works in, beside the neurons' state.
#[derive(Debug, Clone)]
pub(super) struct StepScratch {
    /// The spikes of the step, in time order once it is done.
    spikes: Vec<StepSpike>,
    /// The second part's spikes (two threads), before they join `spikes`;
    /// the two parts' spikes merged in time order, by each part for itself.
    spikes_second: Vec<StepSpike>,
    spikes_merged: Vec<StepSpike>,
    spikes_second_merged: Vec<StepSpike>,
    /// v and the stages at the step's start (other orders, for a re-solve),
    /// or at its end (first order: the pass writes them here and they are
    /// swapped in, whole stores into another array where a select into the
    /// same array would compile to masked stores, slow on some CPUs).
    next_v: Aligned<f64>,
    next_s: Aligned<f64>,
    /// Whether each neuron has an event in the step (all ones where marked:
    /// a whole-word mask, so the vectorized pass stores its compare result
    /// as it is), the marked neurons' indices (room for all N: each part's
    /// from its first neuron) and how many each part marked in the last
    /// step.
    event: Aligned<u64>,
    event_index: Vec<u32>,
    event_counts: [usize; 2],
    /// Whether every v and s stayed finite in the last step.
    finite: bool,
    /// The first-order grid step's drive term (1 - e^(-dt/tau_m)) I_i
    /// (grid.rs; empty in other networks), made where the drive is; and
    /// whether it is the bias's for the bias and dt of now, to be used
    /// again while no input comes.
    grid_drive: Aligned<f64>,
    grid_drive_of_bias: bool,
}

/// The neurons' state at one instant (v, filters, rest, last events),
/// without the connections: what a reset returns to.
#[derive(Debug, Clone)]
pub struct NetworkState(NeuronArrays);

/// A network of LIF neurons joined by PSC filters.
#[derive(Debug, Clone)]
pub struct LifNetwork {
    params: NetworkParams,
    names: Vec<String>,
    /// Constant drive b_i of each neuron.
    bias: Aligned<f64>,
    connections: Connections,
    state: NeuronArrays,
    /// The step's length as prepared, and the propagator for the state's
    /// substeps of it (substeps.rs).
    step_dt_s: f64,
    prop: Propagator,
    /// b_i + x_i of a step with external input (without, the step reads
    /// `bias`).
    drive: Aligned<f64>,
    scratch: StepScratch,
    resolve: ResolveScratch,
    substep_arrivals: SubstepArrivals,
    exec: Exec,
}

/// The parts one step works on, borrowed at once.
pub(super) struct Step<'a> {
    p: &'a NetworkParams,
    prop: &'a Propagator,
    connections: &'a Connections,
    drive: &'a [f64],
    state: &'a mut NeuronArrays,
    scratch: &'a mut StepScratch,
    resolve: &'a mut ResolveScratch,
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
        let state = NeuronArrays::new(&v_init, params.stages());
        let grid_pass = params.spike_timing == SpikeTiming::Grid && params.stages() == 1;
        let mut net = Self {
            scratch: StepScratch {
                spikes: Vec::new(),
                spikes_second: Vec::new(),
                spikes_merged: Vec::new(),
                spikes_second_merged: Vec::new(),
                next_v: aligned_of(0.0, n),
                next_s: aligned_of(0.0, state.stages.len()),
                event: aligned_of(0, n),
                event_index: vec![0; n + 1],
                event_counts: [0; 2],
                finite: true,
                grid_drive: aligned_of(0.0, if grid_pass { n } else { 0 }),
                grid_drive_of_bias: false,
            },
            state,
            step_dt_s: dt_s,
            prop: Propagator::new(&params, dt_s),
            drive: aligned_of(0.0, n),
            resolve: ResolveScratch::new(n < EXACT_IN_STEP_BELOW),
            substep_arrivals: SubstepArrivals::default(),
            exec: Exec::new(n),
            params,
            names,
            bias: aligned(&bias),
            connections,
        };
        net.prepare(dt_s);
        net
    }

    pub fn len(&self) -> usize {
        self.bias.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bias.is_empty()
    }

    pub fn params(&self) -> &NetworkParams {
        &self.params
    }

    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The biases b_i.
    pub fn bias(&self) -> &[f64] {
        &self.bias
    }

    /// The biases, to change (the keyboard's + and -).
    pub fn bias_mut(&mut self) -> &mut [f64] {
        self.scratch.grid_drive_of_bias = false;
        &mut self.bias
    }

    pub fn connections(&self) -> &Connections {
        &self.connections
    }

    /// The membrane potentials v_i.
    pub fn v(&self) -> &[f64] {
        &self.state.v
    }

    /// The neurons' state now.
    pub fn state(&self) -> NetworkState {
        NetworkState(self.state.clone())
    }

    /// Back to a state taken from this network (or one like it). The
    /// step's scratch holds from one step to the next its spike lists,
    /// emptied here, and the last step's event and re-solved neurons, whose
    /// wake-ups inside it the next step's start turns into integrating from
    /// its start: done here for every neuron of the state, those lists
    /// being another state's.
    pub fn restore(&mut self, s: &NetworkState) {
        self.state.clone_from(&s.0);
        // The state counts its rest in its own substeps' steps.
        let dt_s = self.step_dt_s / f64::from(self.state.substeps);
        if dt_s != self.prop.dt_s {
            self.prop = Propagator::new(&self.params, dt_s);
        }
        self.state.rest.awake_from_start(dt_s);
        self.scratch.event_counts = [0; 2];
        self.resolve.forget_last_step();
        self.scratch.spikes.clear();
        self.scratch.spikes_second.clear();
        self.scratch.finite = true;
    }

    /// Goes on from `earlier`'s state (same neurons; other parameters): the
    /// potentials, filters and refractory times, on the same clock. Filters
    /// of another order start again at 0 when `carry` allows it.
    pub fn carry_state_from(&mut self, earlier: &LifNetwork, carry: Carry) -> Result<(), String> {
        let restart = carry == Carry::RestartingFilters && self.len() == earlier.len();
        if restart && self.params.stages() != earlier.params.stages() {
            let fresh = std::mem::replace(&mut self.state.stages, aligned_of(0.0, 0));
            self.restore(&earlier.state());
            self.state.stages = fresh;
            return Ok(());
        }
        if self.len() != earlier.len() {
            return Err(format!(
                "a network of {} cannot go on from one of {}",
                crate::text::plural(self.len() as u64, "neuron", "neurons"),
                earlier.len()
            ));
        }
        if self.params.stages() != earlier.params.stages() {
            return Err(format!(
                "a network of {} with PSC order {} cannot go on from one of {} with order {}",
                crate::text::plural(self.len() as u64, "neuron", "neurons"),
                self.params.stages() - 1,
                earlier.len(),
                earlier.params.stages() - 1
            ));
        }
        self.restore(&earlier.state());
        Ok(())
    }

    /// The synaptic current s_i = s_n of neuron i's filter.
    pub fn synaptic_current(&self, i: usize) -> f64 {
        let ns = self.params.stages();
        self.state.stages[i * ns + ns - 1]
    }

    /// Precomputes the step propagator for `dt_s` (after dt or a time
    /// constant changed), and gives the spike lists room for a spike of
    /// every neuron, so that a step never allocates (a clone has none).
    pub fn prepare(&mut self, dt_s: f64) {
        let n = self.len();
        self.scratch.spikes.reserve(n);
        self.scratch.spikes_second.reserve(n);
        self.scratch.spikes_merged.reserve(n);
        self.scratch.spikes_second_merged.reserve(n);
        self.resolve.reserve(n);
        self.step_dt_s = dt_s;
        // The state's substeps of the new step (substeps.rs).
        let dt_s = dt_s / f64::from(self.state.substeps);
        self.restate_dt(dt_s);
        self.prop = Propagator::new(&self.params, dt_s);
        self.scratch.grid_drive_of_bias = false;
    }

    /// The rest, counted in steps of the propagator's dt, restated in
    /// steps of `dt_s`.
    fn restate_dt(&mut self, dt_s: f64) {
        if dt_s != self.prop.dt_s {
            let old = self.prop.dt_s;
            let rest = &mut self.state.rest;
            let next = self.state.step_index + 1;
            match self.params.spike_timing {
                SpikeTiming::Grid => grid::change_dt(rest, next, old, dt_s),
                SpikeTiming::Exact => exact::change_dt(rest, next, old, dt_s),
            }
        }
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
    /// An exact step that held many spikes may be taken in substeps
    /// (substeps.rs).
    pub fn step_with_arrivals(
        &mut self,
        t0_s: f64,
        stimulus: &[f64],
        arrivals: &[super::Arrival],
        spikes: &mut Vec<Spike>,
    ) {
        let first = spikes.len();
        self.choose_substeps();
        // Without input the drive is the bias itself.
        let drive: &[f64] = if stimulus.is_empty() {
            &self.bias
        } else {
            if stimulus.len() >= self.drive.len() {
                for ((d, b), x) in self.drive.iter_mut().zip(self.bias.iter()).zip(stimulus) {
                    *d = b + x;
                }
            } else {
                self.drive.copy_from_slice(&self.bias);
                for (d, x) in self.drive.iter_mut().zip(stimulus) {
                    *d += x;
                }
            }
            &self.drive
        };
        // The first-order grid pass takes (1 - e_m) I as it is, computed
        // here once for a drive that holds rather than in every step: one
        // multiplication fewer a neuron a step in the pass (a grid run at
        // N = 1,000 in 0.96-0.97 of its time), the same product bit for bit.
        if !self.scratch.grid_drive.is_empty() {
            let of_bias = stimulus.is_empty();
            if !(of_bias && self.scratch.grid_drive_of_bias) {
                let a = 1.0 - self.prop.step.e_m;
                for (term, d) in self.scratch.grid_drive.iter_mut().zip(drive) {
                    *term = a * d;
                }
            }
            self.scratch.grid_drive_of_bias = of_bias;
        }
        let mut step = Step {
            p: &self.params,
            prop: &self.prop,
            connections: &self.connections,
            drive,
            state: &mut self.state,
            scratch: &mut self.scratch,
            resolve: &mut self.resolve,
        };
        if self.params.spike_timing == SpikeTiming::Grid {
            step.begin();
            step.step_grid(&mut self.exec, arrivals);
            spikes.extend(step.scratch.spikes.iter().map(|s| Spike {
                neuron: s.neuron,
                time_s: t0_s,
            }));
        } else if step.state.substeps == 1 {
            step.exact(&mut self.exec, arrivals);
            // The step's spikes are in time order here: sorted before their
            // delivery, and again after a re-solve moved any.
            spikes.extend(step.scratch.spikes.iter().map(|s| Spike {
                neuron: s.neuron,
                time_s: t0_s + s.offset_s,
            }));
        } else {
            let arrivals = (arrivals, &mut self.substep_arrivals);
            step.exact_in_substeps(&mut self.exec, t0_s, arrivals, spikes);
        }
        self.note_step_spikes(spikes.len() - first, self.step_dt_s);
    }

    /// Whether every v and s stayed finite in the last step (checked as the
    /// step goes, so the instability check needs no pass of its own).
    pub fn state_finite(&self) -> bool {
        self.scratch.finite
    }

    /// How many threads the step may use: 1, or 2 (a helper thread takes
    /// the second half of the neurons in a large network). The results are
    /// the same to the last bit either way. A network that re-solves
    /// in-step crossings from `PARALLEL_NEURONS` neurons on
    /// (`InStepResolve::Always`) steps on one: the two-thread delivery does
    /// not look for the neurons to solve again.
    pub fn set_threads(&mut self, threads: usize) -> Result<(), String> {
        if threads > 1 && self.resolves_on_one_thread() {
            return Err(format!(
                "network.in_step_resolve = \"always\" steps a network of {} neurons on one \
                 thread (the two-thread step does not re-solve)",
                self.len()
            ));
        }
        self.exec.set_threads(threads);
        Ok(())
    }

    /// How many of the steps taken in two parts the helper thread took part
    /// in, of how many (None where no step has had two parts): where
    /// another process kept its core busy, the parts ran here (pace.rs).
    pub fn helper_share(&self) -> Option<(u64, u64)> {
        self.exec.helper_share()
    }

    /// Sets when exact timing re-solves a crossing that an input of the
    /// same step moved.
    pub fn set_in_step_resolve(&mut self, policy: InStepResolve) {
        let enabled = match policy {
            InStepResolve::Auto => self.len() < EXACT_IN_STEP_BELOW,
            InStepResolve::Always => true,
            InStepResolve::Never => false,
        };
        self.resolve = ResolveScratch::new(enabled);
        if self.resolves_on_one_thread() {
            self.exec.set_threads(1);
        }
    }

    /// Whether the network re-solves in-step crossings at a size where its
    /// steps would otherwise take two threads.
    fn resolves_on_one_thread(&self) -> bool {
        self.resolve.enabled()
            && self.params.spike_timing == SpikeTiming::Exact
            && self.len() >= parallel::PARALLEL_NEURONS
    }

    /// How many threads each step uses: 2 for a first-order network of
    /// `PARALLEL_NEURONS` or more when two may be used, else 1.
    pub fn step_threads(&self) -> usize {
        if self.params.stages() == 1 {
            self.exec.threads_for(self.len())
        } else {
            1
        }
    }
}

impl Step<'_> {
    /// A new step: no spikes yet, the clock on by one.
    fn begin(&mut self) {
        self.scratch.spikes.clear();
        self.state.step_index += 1;
        self.resolve
            .begin_step(&mut self.state.rest, self.prop.dt_s);
    }

    /// One exact step of the propagator's dt, with `arrivals` in it.
    fn exact(&mut self, exec: &mut Exec, arrivals: &[super::Arrival]) {
        self.begin();
        // The filter order picks a loop compiled for it, outside the loop.
        match self.p.stages() {
            1 => first_order::step(self, exec),
            2 => self.exact_order::<2>(),
            3 => self.exact_order::<3>(),
            4 => self.exact_order::<4>(),
            _ => self.exact_any_order(),
        }
        // A runaway's step is reported as it stands (`runaway_spikes`): its
        // inputs inside the step are neither delivered nor re-solved.
        if !self.runaway() {
            self.deliver_arrivals(arrivals);
            self.resolve_in_step_crossings(arrivals);
        }
    }

    /// Whether the step's spikes so far make it a runaway
    /// (`runaway_spikes`), when its events are no longer worked out.
    fn runaway(&self) -> bool {
        self.scratch.spikes.len() >= runaway_spikes(self.state.v.len())
    }

    /// The step's spikes in time order (then by neuron): delivered in that
    /// order, each target's state after a delivery is its state at the end
    /// of the step had no later input come, so a neuron an input made cross
    /// is seen above the threshold even if a later one brings it back.
    fn sort_spikes(&mut self) {
        self.scratch.spikes.sort_unstable_by(StepSpike::order);
    }
}
