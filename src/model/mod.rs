//! The neuron models of the notes, free of any terminal code.
//!
//! Each model is a plain struct of parameters and state with a `step` that
//! advances exactly one integration step with its input held over the step,
//! and the analytic helpers of the notes (x_inf, tau_x, G, h(t)). `AnyModel`
//! puts them behind one exhaustive enum for the simulation driver.

pub mod activation;
pub mod elementary;
pub mod hh;
pub mod lif;
pub mod math;
pub mod network;
pub mod rate;
pub mod recordable;
pub mod stop;
pub mod synapse;
pub mod weights;

use std::fmt;

use crate::named::Named;
use hh::HhNeuron;
use lif::LifNeuron;
use network::{LifNetwork, NetworkState};
use rate::{RateNetwork, RateState};
use synapse::FilterBank;

/// A spike of an input spike train reaching a synapse inside a step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Arrival {
    /// The neuron whose filter receives it; `None`: every neuron.
    pub target: Option<usize>,
    /// Its weight w (the charge it injects, the integral of s).
    pub weight: f64,
    /// Its time from the start of the step (s), in (0, dt].
    pub offset_s: f64,
    /// Its time (s) as the train gives it: where a report names the spike,
    /// the step's start plus the offset can miss it in the last bit (200 ms
    /// at the end of a step of 0.1 ms read 0.19999999999999998 s).
    pub time_s: f64,
}

/// A spike: the 0-based neuron index and its time in seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spike {
    pub neuron: usize,
    pub time_s: f64,
}

/// Which model a simulation runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelKind {
    Hh,
    Lif,
    Network,
    Rate,
    Synapse,
}

impl Named for ModelKind {
    const ALL: &'static [ModelKind] = &[
        ModelKind::Hh,
        ModelKind::Lif,
        ModelKind::Network,
        ModelKind::Rate,
        ModelKind::Synapse,
    ];

    fn name(self) -> &'static str {
        match self {
            ModelKind::Hh => "hh",
            ModelKind::Lif => "lif",
            ModelKind::Network => "network",
            ModelKind::Rate => "rate",
            ModelKind::Synapse => "synapse",
        }
    }
}

/// Any of the models, stepped through one interface. A simulation holds one,
/// so the variants' different sizes cost nothing.
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)]
pub enum AnyModel {
    Hh(HhNeuron),
    Lif(LifNeuron),
    Network(LifNetwork),
    Rate(RateNetwork),
    Synapse(FilterBank),
}

/// A model's state at one instant, without what does not change as it runs
/// (a network's connections, a rate network's weights): what a reset
/// returns to. The single neurons and the synapse bank are small and are
/// kept whole.
#[derive(Debug, Clone)]
pub enum ModelState {
    Hh(HhNeuron),
    Lif(LifNeuron),
    Network(NetworkState),
    Rate(RateState),
    Synapse(FilterBank),
}

/// What a model built with other parameters takes from the running one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Carry {
    /// Every state variable; refused if the filters' order differs.
    Whole,
    /// The neurons' state; filters of another order start again at 0 (a
    /// PSC order changed while running).
    RestartingFilters,
}

/// A state that is no longer a number the model can mean, or a step that
/// fired beyond what it can hold: when, in which neuron, and what.
#[derive(Debug, Clone, PartialEq)]
pub struct Instability {
    pub time_s: f64,
    pub neuron: usize,
    pub cause: Unstable,
}

/// What made a model unstable; each is told with what changes it.
#[derive(Debug, Clone, PartialEq)]
pub enum Unstable {
    /// A state variable left the finite or physical range: a step too long
    /// for the dynamics (dt), or parameters that make them diverge.
    Value { variable: &'static str, value: f64 },
    /// The neuron fired `MAX_SPIKES_PER_STEP` times in one step: with
    /// tau_ref near 0, a drive far above the threshold fires without bound,
    /// whatever dt is.
    RateBeyondStep { spikes: usize },
    /// The network's neurons fired `MAX_MEAN_SPIKES_PER_STEP` times each on
    /// average in one step (`spikes` in all, from `neurons`; the neuron named
    /// fired `most`), which needs tau_ref below a tenth of dt: excitation
    /// feeding itself, which a shorter dt does not stop, or a steady rate
    /// that high (a drive, or input trains, far above the threshold), which
    /// a shorter dt holds.
    Runaway {
        spikes: usize,
        neurons: usize,
        most: usize,
    },
}

impl fmt::Display for Instability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (t_ms, neuron) = (self.time_s * 1e3, self.neuron);
        match self.cause {
            Unstable::Value { variable, value } => write!(
                f,
                "numerical instability at t = {t_ms:.6} ms in neuron {neuron}: {variable} = {value}; reduce dt or check the parameters"
            ),
            Unstable::RateBeyondStep { spikes } => write!(
                f,
                "a rate beyond the step at t = {t_ms:.6} ms: neuron {neuron} fired {spikes} times in one step (the most a step holds); a drive far above the threshold with tau_ref near 0 fires without bound: raise tau_ref or lower the drive"
            ),
            Unstable::Runaway {
                spikes,
                neurons,
                most,
            } => write!(
                f,
                "a runaway at t = {t_ms:.6} ms: {neurons} neurons fired {spikes} times or more in one step (neuron {neuron} most, {most}), {MAX_MEAN_SPIKES_PER_STEP} each on average, a step's most: with tau_ref near 0, excitation feeds itself or inputs lie far above the threshold; raise tau_ref, weaken them, or shorten dt if the rate is steady"
            ),
        }
    }
}

impl std::error::Error for Instability {}

/// Largest |V| (mV) an HH state may reach before it is called unstable, as NEST.
pub const HH_V_LIMIT_MV: f64 = 1000.0;
/// Slack allowed on gates leaving [0, 1] through rounding.
const GATE_SLACK: f64 = 1e-9;

impl AnyModel {
    pub fn kind(&self) -> ModelKind {
        match self {
            AnyModel::Hh(_) => ModelKind::Hh,
            AnyModel::Lif(_) => ModelKind::Lif,
            AnyModel::Network(_) => ModelKind::Network,
            AnyModel::Rate(_) => ModelKind::Rate,
            AnyModel::Synapse(_) => ModelKind::Synapse,
        }
    }

    /// Gives a network's connections up (`LifNetwork::release_connections`);
    /// the other models have none.
    pub fn release_connections(&mut self) {
        if let AnyModel::Network(n) = self {
            n.release_connections();
        }
    }

    /// How many threads each step of the model uses.
    pub fn step_threads(&self) -> usize {
        match self {
            AnyModel::Network(n) => n.step_threads(),
            _ => 1,
        }
    }

    /// Number of neurons (1 for the single-neuron models).
    pub fn neuron_count(&self) -> usize {
        match self {
            AnyModel::Hh(_) | AnyModel::Lif(_) | AnyModel::Synapse(_) => 1,
            AnyModel::Network(n) => n.len(),
            AnyModel::Rate(r) => r.len(),
        }
    }

    /// The state now, to return to with `restore`.
    pub fn state(&self) -> ModelState {
        match self {
            AnyModel::Hh(n) => ModelState::Hh(n.clone()),
            AnyModel::Lif(n) => ModelState::Lif(n.clone()),
            AnyModel::Network(n) => ModelState::Network(n.state()),
            AnyModel::Rate(r) => ModelState::Rate(r.state()),
            AnyModel::Synapse(b) => ModelState::Synapse(b.clone()),
        }
    }

    /// Back to a state this model's `state` gave; the biases, which the
    /// keyboard changes, stay as they are.
    pub fn restore(&mut self, state: &ModelState) {
        match (self, state) {
            (AnyModel::Hh(n), ModelState::Hh(s)) => n.clone_from(s),
            (AnyModel::Lif(n), ModelState::Lif(s)) => n.clone_from(s),
            (AnyModel::Network(n), ModelState::Network(s)) => n.restore(s),
            (AnyModel::Rate(r), ModelState::Rate(s)) => r.restore(s),
            (AnyModel::Synapse(b), ModelState::Synapse(s)) => b.clone_from(s),
            (model, _) => unreachable!("a {} model restores its own state", model.kind().name()),
        }
    }

    /// Takes on the state of `earlier`, a model of the same kind built with
    /// other parameters (a sweep's next value, a changed parameter): the
    /// potentials, gates, refractory times and filters go on from where they
    /// were; the parameters are this model's. Refused when the two do not
    /// have the same neurons, or (unless `carry` restarts them) the same
    /// filter stages.
    pub fn carry_state_from(&mut self, earlier: &AnyModel, carry: Carry) -> Result<(), String> {
        match (self, earlier) {
            (AnyModel::Hh(n), AnyModel::Hh(e)) => n.state = e.state,
            (AnyModel::Lif(n), AnyModel::Lif(e)) => {
                n.v = e.v;
                n.refractory_s = e.refractory_s;
            }
            (AnyModel::Network(n), AnyModel::Network(e)) => n.carry_state_from(e, carry)?,
            (AnyModel::Rate(r), AnyModel::Rate(e)) if r.len() == e.len() => {
                r.restore(&e.state());
            }
            (model, earlier) => {
                return Err(format!(
                    "a {} model cannot go on from the state of a {} model{}",
                    model.kind().name(),
                    earlier.kind().name(),
                    if model.kind() == earlier.kind() {
                        " of another size"
                    } else {
                        ""
                    }
                ));
            }
        }
        Ok(())
    }

    /// Shows the input of the first step in the state at t = 0: a rate
    /// network's z = W y + b + x (the other models record the input as it
    /// is given).
    pub fn show_first_input(&mut self, input: &[f64]) {
        if let AnyModel::Rate(r) = self {
            r.set_inputs(input);
        }
    }

    /// Precomputes the propagators for `dt_s`.
    pub fn prepare(&mut self, dt_s: f64) {
        match self {
            AnyModel::Hh(_) => {}
            AnyModel::Lif(n) => n.prepare(dt_s),
            AnyModel::Network(n) => n.prepare(dt_s),
            AnyModel::Rate(r) => r.prepare(dt_s),
            AnyModel::Synapse(b) => b.prepare(dt_s),
        }
    }

    /// Advances one prepared step of `dt_s` from `t0_s`. `input[i]` is the
    /// external input of neuron i held over the step (J_in in µA/cm² for HH,
    /// or the clamp voltage in mV; v_in for LIF, x_i for networks), 0 past
    /// the slice's end;
    /// `arrivals` the spikes of input trains inside the step.
    #[inline]
    pub fn step(
        &mut self,
        t0_s: f64,
        dt_s: f64,
        input: &[f64],
        arrivals: &[Arrival],
        spikes: &mut Vec<Spike>,
    ) {
        match self {
            AnyModel::Hh(n) => n.step_ms(t0_s * 1e3, dt_s * 1e3, first(input), spikes),
            AnyModel::Lif(n) => n.step(t0_s, first(input), spikes),
            AnyModel::Network(n) => n.step_with_arrivals(t0_s, input, arrivals, spikes),
            AnyModel::Rate(r) => r.step(input),
            AnyModel::Synapse(b) => b.step(arrivals, spikes),
        }
    }

    /// Checks that the state is finite and physical (as NEST: |V| <= 1000 mV,
    /// gates in [0, 1]); `time_s` is the time of the state.
    pub fn check(&self, time_s: f64) -> Result<(), Instability> {
        let bad = |neuron, variable, value| {
            Err(Instability {
                time_s,
                neuron,
                cause: Unstable::Value { variable, value },
            })
        };
        match self {
            AnyModel::Hh(n) => {
                let s = n.state;
                if !s.v_mv.is_finite() || s.v_mv.abs() > HH_V_LIMIT_MV {
                    return bad(0, "V (mV)", s.v_mv);
                }
                for (name, x) in [("m", s.m), ("h", s.h), ("n", s.n)] {
                    if !(-GATE_SLACK..=1.0 + GATE_SLACK).contains(&x) {
                        return bad(0, name, x);
                    }
                }
            }
            AnyModel::Lif(n) => {
                if n.saturated {
                    return Err(Instability {
                        time_s,
                        neuron: 0,
                        cause: Unstable::RateBeyondStep {
                            spikes: MAX_SPIKES_PER_STEP,
                        },
                    });
                }
                if !n.v.is_finite() {
                    return bad(0, "v", n.v);
                }
            }
            AnyModel::Network(net) => {
                // The step sums the state as it goes: one test in the common
                // case, a search only when something is not finite.
                if !net.state_finite() {
                    for i in 0..net.len() {
                        if !net.v()[i].is_finite() {
                            return bad(i, "v", net.v()[i]);
                        }
                        let s = net.synaptic_current(i);
                        if !s.is_finite() {
                            return bad(i, "s", s);
                        }
                    }
                }
            }
            AnyModel::Rate(r) => {
                for (i, &y) in r.y.iter().enumerate() {
                    if !y.is_finite() {
                        return bad(i, "y", y);
                    }
                }
            }
            AnyModel::Synapse(b) => {
                for f in &b.filters {
                    if !f.output().is_finite() {
                        return bad(0, "s", f.output());
                    }
                }
            }
        }
        Ok(())
    }
}

/// Most spikes one neuron may emit in one step: beyond it (an input far
/// above threshold with tau_ref near 0) the exact solver would loop for
/// minutes over one step; the LIF neuron reports it as an instability, the
/// network's solver ends the step's segment and `check_step_spikes` reports
/// the step.
pub const MAX_SPIKES_PER_STEP: usize = 10_000;

/// Spikes per neuron in one step, on average over a network, from which the
/// network is a runaway: every interval a tenth of dt or less, which a
/// neuron can only reach with tau_ref below dt / 10, and which excitation
/// feeding itself (tau_ref = 0) reaches within milliseconds and then
/// multiplies step by step, each spike costing its delivery and a line of
/// the spikes file. Reported as `MAX_SPIKES_PER_STEP` is for one neuron.
pub const MAX_MEAN_SPIKES_PER_STEP: usize = 10;

/// The spikes in one step from which a network of `n` neurons is a runaway
/// (`MAX_MEAN_SPIKES_PER_STEP` each on average). A step that reaches them
/// is reported whatever its other neurons do, so the network's step stops
/// working them out there: a runaway's cascade inside one step (tau_ref
/// near 0, each spike making its targets fire again at once) would
/// otherwise grow until memory runs out.
pub(crate) fn runaway_spikes(n: usize) -> usize {
    MAX_MEAN_SPIKES_PER_STEP.saturating_mul(n)
}

impl AnyModel {
    /// Checks a network's step for a rate beyond the step: a neuron that
    /// emitted `MAX_SPIKES_PER_STEP` spikes in it, or a network whose
    /// neurons emitted `MAX_MEAN_SPIKES_PER_STEP` each on average (the
    /// neuron that fired most is named, with its count: in a step the
    /// network cut short at `runaway_spikes`, among the spikes worked out).
    /// `spikes` are the step's; `time_s` is the time at its end.
    pub fn check_step_spikes(&self, time_s: f64, spikes: &[Spike]) -> Result<(), Instability> {
        let AnyModel::Network(net) = self else {
            return Ok(());
        };
        let n = net.len();
        let runaway = runaway_spikes(n);
        if spikes.len() < MAX_SPIKES_PER_STEP.min(runaway) {
            return Ok(());
        }
        let mut counts = vec![0usize; n];
        for s in spikes {
            counts[s.neuron] += 1;
        }
        let (neuron, most) = counts
            .iter()
            .copied()
            .enumerate()
            .max_by_key(|&(i, c)| (c, std::cmp::Reverse(i)))
            .unwrap_or((0, 0));
        let cause = if most >= MAX_SPIKES_PER_STEP {
            Unstable::RateBeyondStep { spikes: most }
        } else if spikes.len() >= runaway {
            Unstable::Runaway {
                spikes: spikes.len(),
                neurons: n,
                most,
            }
        } else {
            return Ok(());
        };
        Err(Instability {
            time_s,
            neuron,
            cause,
        })
    }
}

/// The input of a one-neuron model: the first of `input`, 0 if none.
pub(crate) fn first(input: &[f64]) -> f64 {
    input.first().copied().unwrap_or(0.0)
}
