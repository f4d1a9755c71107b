//! The simulation driver: advances a model by whole steps of a fixed dt,
//! samples the stimuli, collects spikes and checks the state.
//!
//! ```text
//! for each step k:  t0 = k dt
//!     input_i = Σ stimuli driving i, sampled at t0 + dt/2
//!     model.step(t0, dt, input)  -> spikes (exact times inside the step)
//!     check the state (finite, physical)
//!     monitors.on_step(t0 + dt, ...)
//! ```
//!
//! Time is k·dt from a step counter, never a running sum, so it does not drift.

pub mod csv;
mod csv_thread;
pub mod probe;
pub mod sink;
pub mod stimulus;

use crate::model::{AnyModel, Arrival, Carry, Instability, ModelState, Spike};
use stimulus::{Stimulus, TargetedStimulus};

/// Receives the state after every step.
pub trait Monitor {
    fn on_step(&mut self, sim: &Simulation, spikes: &[Spike]) -> std::io::Result<()>;

    /// A small piece of the monitor's own work, done while a step waits for
    /// its other thread (`network::while_waiting`): whether there was any.
    fn while_waiting(&mut self) -> bool {
        false
    }
}

impl<M: Monitor + ?Sized> Monitor for &mut M {
    fn on_step(&mut self, sim: &Simulation, spikes: &[Spike]) -> std::io::Result<()> {
        (**self).on_step(sim, spikes)
    }

    fn while_waiting(&mut self) -> bool {
        (**self).while_waiting()
    }
}

/// A monitor that may not be there (an output not asked for).
impl<M: Monitor> Monitor for Option<M> {
    fn on_step(&mut self, sim: &Simulation, spikes: &[Spike]) -> std::io::Result<()> {
        match self {
            Some(m) => m.on_step(sim, spikes),
            None => Ok(()),
        }
    }

    fn while_waiting(&mut self) -> bool {
        self.as_mut().is_some_and(M::while_waiting)
    }
}

/// Two monitors see every step, the first first.
impl<A: Monitor, B: Monitor> Monitor for (A, B) {
    fn on_step(&mut self, sim: &Simulation, spikes: &[Spike]) -> std::io::Result<()> {
        self.0.on_step(sim, spikes)?;
        self.1.on_step(sim, spikes)
    }

    fn while_waiting(&mut self) -> bool {
        self.0.while_waiting() || self.1.while_waiting()
    }
}

/// A model, its stimuli and its clock.
#[derive(Debug, Clone)]
pub struct Simulation {
    pub model: AnyModel,
    pub stimuli: Vec<TargetedStimulus>,
    dt_s: f64,
    step_index: u64,
    input: Vec<f64>,
    arrivals: Vec<Arrival>,
    train_times: Vec<f64>,
    /// Whether `input` holds anything but zeros.
    input_dirty: bool,
    spikes: Vec<Spike>,
    /// Spikes emitted since the start.
    pub spike_count: u64,
    /// The model's state at t = 0, for `reset`.
    initial: ModelState,
}

impl Simulation {
    pub fn new(mut model: AnyModel, stimuli: Vec<TargetedStimulus>, dt_s: f64) -> Self {
        model.prepare(dt_s);
        let n = model.neuron_count();
        let mut sim = Self {
            initial: model.state(),
            model,
            stimuli,
            dt_s,
            step_index: 0,
            input: vec![0.0; n],
            arrivals: Vec::new(),
            train_times: Vec::new(),
            input_dirty: true,
            // Room for a spike of every neuron: a step never allocates.
            spikes: Vec::with_capacity(n),
            spike_count: 0,
        };
        sim.preview_inputs();
        sim
    }

    /// Sets `input` to the stimuli's levels for the first step (without a
    /// noise sample), so that the state at t = 0 shows its input.
    fn preview_inputs(&mut self) {
        let t = 0.5 * self.dt_s;
        let levels: Vec<(f64, Option<Vec<usize>>)> = self
            .stimuli
            .iter()
            .map(|s| (s.stimulus.level_at(t), s.neurons.clone()))
            .collect();
        self.input.iter_mut().for_each(|x| *x = 0.0);
        for (value, neurons) in levels {
            self.add_input(value, neurons.as_deref());
        }
        self.input_dirty = true;
        self.model.show_first_input(&self.input);
    }

    fn add_input(&mut self, value: f64, neurons: Option<&[usize]>) {
        match neurons {
            None => self.input.iter_mut().for_each(|x| *x += value),
            Some(list) => {
                for &i in list {
                    if let Some(x) = self.input.get_mut(i) {
                        *x += value;
                    }
                }
            }
        }
    }

    pub fn dt_s(&self) -> f64 {
        self.dt_s
    }

    /// Simulated time (s) of the current step boundary, from the step
    /// counter (`csv::step_time_s`): every boundary is computed one way, so
    /// the end of a step is exactly the start of the next.
    pub fn time_s(&self) -> f64 {
        csv::step_time_s(self.step_index, self.dt_s)
    }

    pub fn step_index(&self) -> u64 {
        self.step_index
    }

    /// The input each neuron received over the last step.
    pub fn input(&self) -> &[f64] {
        &self.input
    }

    /// The whole input of neuron i's membrane equation after the last
    /// step, v_in of tau_m dv/dt = v_in - v: the stimulus, and a network
    /// neuron's bias b_i and synaptic current s_i with it. Its mean over an
    /// interval is what the rate model reads (notes 1.3.5: a_i = G(sum_j
    /// w_ij a_j + b_i)).
    pub fn whole_input(&self, i: usize) -> f64 {
        let x = self.input.get(i).copied().unwrap_or(0.0);
        match &self.model {
            AnyModel::Network(net) => net.bias()[i] + x + net.synaptic_current(i),
            _ => x,
        }
    }

    /// The main stimulus (the first), which the keyboard adjusts.
    pub fn main_stimulus(&mut self) -> Option<&mut Stimulus> {
        self.stimuli.first_mut().map(|t| &mut t.stimulus)
    }

    /// Goes on with `model` (of the same kind, with other parameters) from
    /// the present state, on the same clock and at the same dt; `stimuli`,
    /// when given, replace the present ones (a stimulus key changed). A
    /// sweep's next value, a parameter changed while running. A reset goes
    /// back to t = 0 with the new parameters.
    pub fn continue_with(
        &mut self,
        mut model: AnyModel,
        stimuli: Option<Vec<TargetedStimulus>>,
        carry: Carry,
    ) -> Result<(), String> {
        model.prepare(self.dt_s);
        let initial = model.state();
        model.carry_state_from(&self.model, carry)?;
        self.model = model;
        self.initial = initial;
        if let Some(stimuli) = stimuli {
            self.stimuli = stimuli;
            self.input_dirty = true;
        }
        Ok(())
    }

    /// Back to the initial state at t = 0, keeping what the keyboard set:
    /// the stimuli's amplitudes and the network neurons' biases.
    pub fn reset(&mut self) {
        self.model.restore(&self.initial);
        self.model.prepare(self.dt_s);
        self.step_index = 0;
        self.spike_count = 0;
        for s in &mut self.stimuli {
            s.stimulus.reset();
        }
        self.preview_inputs();
    }

    fn sample_inputs(&mut self, t0: f64) {
        // Zeroed only when the last step put something in: a network with
        // no input does not pay two passes over its neurons every step.
        if self.input_dirty {
            self.input.iter_mut().for_each(|x| *x = 0.0);
            self.input_dirty = false;
        }
        self.arrivals.clear();
        for k in 0..self.stimuli.len() {
            if self.stimuli[k].stimulus.is_spike_train() {
                self.train_times.clear();
                let t1 = csv::step_time_s(self.step_index + 1, self.dt_s);
                let ts = &mut self.stimuli[k];
                ts.stimulus.spikes_in(t0, t1, &mut self.train_times);
                let w = ts.stimulus.amplitude;
                for &t in &self.train_times {
                    let offset_s = (t - t0).clamp(0.0, self.dt_s);
                    match &ts.neurons {
                        None => self.arrivals.push(Arrival {
                            target: None,
                            weight: w,
                            offset_s,
                            time_s: t,
                        }),
                        Some(list) => self.arrivals.extend(list.iter().map(|&i| Arrival {
                            target: Some(i),
                            weight: w,
                            offset_s,
                            time_s: t,
                        })),
                    }
                }
                continue;
            }
            let value = self.stimuli[k].stimulus.sample_step(t0, self.dt_s);
            if value != 0.0 {
                let neurons = self.stimuli[k].neurons.take();
                self.add_input(value, neurons.as_deref());
                self.stimuli[k].neurons = neurons;
                self.input_dirty = true;
            }
        }
    }

    /// Advances one step. Returns the spikes of the step, or where the state
    /// stopped being finite and physical (the state is then the bad one; the
    /// caller that wants to keep the last good state clones before).
    pub fn step(&mut self) -> Result<&[Spike], Instability> {
        let t0 = self.time_s();
        self.sample_inputs(t0);
        self.spikes.clear();
        // No stimulus put anything in: the model is told so (an empty
        // input) rather than scanning N zeros.
        let input = if self.input_dirty {
            &self.input[..]
        } else {
            &[]
        };
        self.model
            .step(t0, self.dt_s, input, &self.arrivals, &mut self.spikes);
        self.step_index += 1;
        self.spike_count += self.spikes.len() as u64;
        self.model.check(self.time_s())?;
        self.model.check_step_spikes(self.time_s(), &self.spikes)?;
        Ok(&self.spikes)
    }

    /// Advances `steps` steps, handing each to `monitor`.
    pub fn advance(&mut self, steps: u64, monitor: &mut dyn Monitor) -> Result<(), RunError> {
        for _ in 0..steps {
            // The monitor's work fills the step's waits for its other thread.
            crate::model::network::while_waiting(&mut || monitor.while_waiting(), || {
                self.step().map(|_| ())
            })
            .map_err(RunError::Unstable)?;
            let spikes = std::mem::take(&mut self.spikes);
            let r = monitor.on_step(self, &spikes);
            self.spikes = spikes;
            r.map_err(RunError::Io)?;
        }
        Ok(())
    }
}

/// Why a run stopped early.
#[derive(Debug)]
pub enum RunError {
    Unstable(Instability),
    Io(std::io::Error),
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The cause is the source, not repeated here.
        match self {
            RunError::Unstable(_) => write!(f, "the run stopped: the state became unstable"),
            RunError::Io(_) => write!(f, "the run stopped: its output could not be written"),
        }
    }
}

impl std::error::Error for RunError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RunError::Unstable(i) => Some(i),
            RunError::Io(e) => Some(e),
        }
    }
}
