//! A voltage-clamp protocol's steps and what a lab measures in each: the
//! peak of I_Na (its largest magnitude, with its sign, and when) and I_K at
//! the step's end, at every step of the run (`ClampRecorder`). With the
//! model's closed form (`HhParams::clamp_peak_sodium`) these give the I-V
//! curves.

use crate::model::{AnyModel, Spike};
use crate::sim::stimulus::{Shape, Stimulus};
use crate::sim::{Monitor, Simulation};

/// One step of a clamp protocol: V held at `v_mv` from `onset_s` for
/// `width_s`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClampStep {
    pub v_mv: f64,
    pub onset_s: f64,
    pub width_s: f64,
}

/// The hold (mV) and the steps of a clamp stimulus (a single step, or a
/// family); None for any other stimulus.
pub fn protocol(stimulus: &Stimulus) -> Option<(f64, Vec<ClampStep>)> {
    let a = stimulus.amplitude;
    match &stimulus.shape {
        Shape::Clamp {
            hold_mv,
            start_s,
            stop_s,
        } => Some((
            *hold_mv,
            vec![ClampStep {
                v_mv: a,
                onset_s: *start_s,
                width_s: stop_s - start_s,
            }],
        )),
        Shape::ClampSteps {
            hold_mv,
            levels_mv,
            start_s,
            width_s,
            period_s,
        } => Some((
            *hold_mv,
            levels_mv
                .iter()
                .enumerate()
                .map(|(k, level)| ClampStep {
                    v_mv: level + a,
                    onset_s: start_s + k as f64 * period_s,
                    width_s: *width_s,
                })
                .collect(),
        )),
        _ => None,
    }
}

/// What one completed step measured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClampMeasure {
    pub v_mv: f64,
    /// I_Na of largest magnitude in the step (µA/cm²) and its time from
    /// the onset (s).
    pub peak_i_na: f64,
    pub peak_after_s: f64,
    /// I_K at the step's end (µA/cm²).
    pub i_k_end: f64,
}

/// A step's measurement as its samples come: the level and time it began
/// at (the step's onset, or a key's move of the level during the step),
/// the I_Na of largest magnitude so far and the newest I_K (time s, value).
#[derive(Debug, Clone, Copy)]
struct Partial {
    v_mv: f64,
    onset_s: f64,
    peak_i_na: (f64, f64),
    i_k: (f64, f64),
}

impl Partial {
    /// Takes the sample at `t_s` into the step's measurement if it lies in
    /// the step.
    fn take(this: &mut Option<Self>, step: &ClampStep, onset_s: f64, sample: (f64, f64, f64)) {
        let (t_s, i_na, i_k) = sample;
        let end = step.onset_s + step.width_s;
        if t_s < step.onset_s - 1e-12 || t_s > end + 1e-12 {
            return;
        }
        let p = this.get_or_insert(Partial {
            v_mv: step.v_mv,
            onset_s,
            peak_i_na: (t_s, i_na),
            i_k: (t_s, i_k),
        });
        if i_na.abs() > p.peak_i_na.1.abs() {
            p.peak_i_na = (t_s, i_na);
        }
        p.i_k = (t_s, i_k);
    }

    /// The measurement once a sample at the step's end has come (the gates
    /// are continuous, so that sample is the step's last); of a step held
    /// to the run's end, so far, once a sample after its onset has: the
    /// sample at an onset on the step grid is of the step before it, at
    /// the hold (paused there, a step to -31.8 mV read "-31.8 mV: -0.8224
    /// at 0 ms", the hold's I_Na, with V still at -65 mV).
    fn completed(&self, step: &ClampStep) -> Option<ClampMeasure> {
        let held_and_begun = !step.width_s.is_finite() && self.i_k.0 > self.onset_s + 1e-12;
        (held_and_begun || self.ended(step)).then_some(ClampMeasure {
            v_mv: self.v_mv,
            peak_i_na: self.peak_i_na.1,
            peak_after_s: self.peak_i_na.0 - self.onset_s,
            i_k_end: self.i_k.1,
        })
    }

    /// Whether the sample at the step's end has come (never, for a step
    /// held to the run's end).
    fn ended(&self, step: &ClampStep) -> bool {
        self.i_k.0 >= step.onset_s + step.width_s - 1e-9
    }
}

/// A clamp protocol measured at every step of the run, as a lab's
/// amplifier would: not from the screen's samples, which at dt = 10 µs
/// keep one step in seven and none at a step's end, so that no step was
/// ever measured (`hh.temperature = 20`, whose dt is 10 µs).
#[derive(Debug, Clone)]
pub struct ClampRecorder {
    /// The stimulus's amplitude the steps were read at (a family's
    /// offset, a single step's level: the keys move it).
    amplitude: f64,
    steps: Vec<ClampStep>,
    partial: Vec<Option<Partial>>,
    /// When each step's measurement begins: its onset, or the start of the
    /// run's step in which a key moved its level.
    onsets: Vec<f64>,
}

impl ClampRecorder {
    /// A recorder of `sim`'s clamp protocol, its first sample taken; None
    /// where the main stimulus is no clamp.
    pub fn of(sim: &Simulation) -> Option<Self> {
        let stimulus = &sim.stimuli.first()?.stimulus;
        let (_, steps) = protocol(stimulus)?;
        let mut recorder = Self {
            amplitude: stimulus.amplitude,
            partial: vec![None; steps.len()],
            onsets: steps.iter().map(|s| s.onset_s).collect(),
            steps,
        };
        recorder.take(sim);
        Some(recorder)
    }

    /// The measurements of the steps completed, in the protocol's order (a
    /// step held to the run's end: so far).
    pub fn measured(&self) -> Vec<ClampMeasure> {
        self.steps
            .iter()
            .zip(&self.partial)
            .filter_map(|(step, p)| p.as_ref()?.completed(step))
            .collect()
    }

    /// Each step's level as the screen names it: the one it was measured
    /// at, once it has begun; the protocol's now, before.
    pub fn levels(&self) -> Vec<f64> {
        self.steps
            .iter()
            .zip(&self.partial)
            .map(|(step, p)| p.map_or(step.v_mv, |p| p.v_mv))
            .collect()
    }

    fn take(&mut self, sim: &Simulation) {
        let (AnyModel::Hh(neuron), Some(s)) = (&sim.model, sim.stimuli.first()) else {
            return;
        };
        let t_s = sim.time_s();
        // Moved by a key: the steps measured keep the level they were
        // measured at; one in progress is measured again at its new level,
        // from the start of the run's step that took it.
        if s.stimulus.amplitude != self.amplitude
            && let Some((_, steps)) = protocol(&s.stimulus)
        {
            for (k, step) in steps.iter().enumerate() {
                if self.partial[k].is_some_and(|p| p.v_mv != step.v_mv && !p.ended(step)) {
                    self.partial[k] = None;
                    self.onsets[k] = t_s - sim.dt_s();
                }
            }
            self.amplitude = s.stimulus.amplitude;
            self.steps = steps;
        }
        let c = neuron.currents();
        for ((step, p), &onset_s) in self.steps.iter().zip(&mut self.partial).zip(&self.onsets) {
            Partial::take(p, step, onset_s, (t_s, c.i_na, c.i_k));
        }
    }
}

impl Monitor for ClampRecorder {
    fn on_step(&mut self, sim: &Simulation, _spikes: &[Spike]) -> std::io::Result<()> {
        self.take(sim);
        Ok(())
    }
}
