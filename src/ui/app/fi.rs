//! The f-I curve builder (`F`): the running model's input swept up and then
//! down, each value from the state the last one ended in, its firing rate
//! measured (`lab::sweep`, the engine of `spikescope sweep`) and drawn point
//! by point in the rate view. The sweep works on a copy of the simulation,
//! so the live run is paused, not changed, and goes on afterwards.

use std::time::{Duration, Instant};

use super::{App, RunState};
use crate::lab::sweep::{
    DEFAULT_MEASURE_S, DEFAULT_SETTLE_S, Direction, Leg, Sweep, SweepPoint, SweepSpec,
};
use crate::model::{AnyModel, ModelKind};
use crate::view::Pane;

/// A sweep under way or done, and its points.
pub struct FiCurve {
    /// Under way; `None` once done or stopped.
    pub sweep: Option<Sweep>,
    pub points: Vec<SweepPoint>,
    /// Values in the whole sweep (both legs).
    pub total: usize,
    /// The neuron measured.
    pub neuron: usize,
    /// The live run was running when the sweep began (it resumes after).
    resume: bool,
}

impl FiCurve {
    /// The value at which a leg's rate turns from 0 to firing (up: the
    /// onset, the rheobase to within a step) or from firing to 0 (down).
    pub fn edge(&self, leg: Leg) -> Option<f64> {
        let on_leg: Vec<&SweepPoint> = self.points.iter().filter(|p| p.leg == leg).collect();
        on_leg
            .windows(2)
            .find(|w| (w[0].rate_hz > 0.0) != (w[1].rate_hz > 0.0))
            .map(|w| {
                if w[0].rate_hz > 0.0 {
                    w[0].value
                } else {
                    w[1].value
                }
            })
    }

    /// What a finished sweep without an edge on either leg found: firing at
    /// every input, or at none (a neuron driven by the rest of its network
    /// fires at every x); None where the legs disagree or an edge exists.
    pub fn without_edges(&self) -> Option<&'static str> {
        if self.edge(Leg::Up).is_some() || self.edge(Leg::Down).is_some() {
            return None;
        }
        let firing = |p: &SweepPoint| p.rate_hz > 0.0;
        if !self.points.is_empty() && self.points.iter().all(firing) {
            Some("fires at every input swept")
        } else if !self.points.iter().any(firing) {
            Some("silent at every input swept")
        } else {
            None
        }
    }
}

/// The input range a sweep covers for a model: where its f-I curve bends
/// (HH at 6.3 °C: rest to firing and its bistable range, 0 to 15 µA/cm²;
/// LIF: G from 0 through threshold 1 to 4).
fn range_for(kind: ModelKind) -> (f64, f64, f64) {
    match kind {
        ModelKind::Hh => (0.0, 15.0, 0.5),
        _ => (0.0, 4.0, 0.1),
    }
}

impl App {
    /// Starts an f-I sweep of the input, or stops the one under way.
    pub(super) fn toggle_fi(&mut self) {
        if let Some(fi) = &mut self.fi
            && fi.sweep.is_some()
        {
            fi.sweep = None;
            let resume = fi.resume;
            self.finish_fi(resume);
            self.say("f-I sweep stopped: F starts another");
            return;
        }
        let i = self.view.selected;
        if let (AnyModel::Network(_), Some(main)) = (&self.sim.model, self.sim.stimuli.first())
            && main.neurons.as_ref().is_some_and(|list| !list.contains(&i))
        {
            self.say_error(format!(
                "the main input does not reach neuron {i}: select a neuron it drives (Tab)"
            ));
            return;
        }
        let (from, to, step) = range_for(self.kind());
        let spec = SweepSpec {
            key: String::new(),
            from,
            to,
            step,
            direction: Direction::Both,
            settle_s: DEFAULT_SETTLE_S,
            measure_s: DEFAULT_MEASURE_S,
            neuron: Some(i),
        };
        match Sweep::of_input(self.sim.clone(), &spec) {
            Ok(sweep) => {
                let resume = self.running();
                if resume {
                    self.run = RunState::Paused;
                }
                self.fi = Some(FiCurve {
                    total: sweep.schedule().len(),
                    sweep: Some(sweep),
                    points: Vec::new(),
                    neuron: i,
                    resume,
                });
                self.view.pane = Pane::Rate;
                self.say(format!(
                    "f-I sweep: input {from} to {to} in steps of {step}, up then down, \
                     {} s settling and {} s measured each; F stops",
                    DEFAULT_SETTLE_S, DEFAULT_MEASURE_S
                ));
            }
            Err(e) => self.say_error(format!("no f-I sweep: {e}")),
        }
    }

    /// Whether an f-I sweep is under way.
    pub fn fi_busy(&self) -> bool {
        self.fi.as_ref().is_some_and(|f| f.sweep.is_some())
    }

    /// Advances the sweep for about `time` of real time; its new points
    /// are drawn at the next frame.
    pub fn work_fi(&mut self, time: Duration) {
        let started = Instant::now();
        let mut chunk = 1024;
        let mut outcome = None;
        if let Some(fi) = &mut self.fi
            && let Some(sweep) = &mut fi.sweep
        {
            while started.elapsed() < time && !sweep.is_done() {
                let t = Instant::now();
                match sweep.advance(chunk) {
                    Ok(points) => fi.points.extend(points),
                    Err(e) => {
                        outcome = Some(Err(e.to_string()));
                        break;
                    }
                }
                if t.elapsed() < time / 8 {
                    chunk *= 2;
                }
            }
            if outcome.is_none() && sweep.is_done() {
                outcome = Some(Ok(()));
            }
        }
        self.dirty = true;
        let Some(outcome) = outcome else { return };
        let resume = self.fi.as_ref().is_some_and(|f| f.resume);
        if let Some(fi) = &mut self.fi {
            fi.sweep = None;
        }
        self.finish_fi(resume);
        match outcome {
            Ok(()) => {
                let fi = self.fi.as_ref().expect("the sweep just ended");
                let edges = match (fi.edge(Leg::Up), fi.edge(Leg::Down)) {
                    (Some(up), Some(down)) if up != down => {
                        format!(": fires from {up} up, down to {down} (hysteresis)")
                    }
                    (Some(up), _) => format!(": fires from {up}"),
                    _ => fi
                        .without_edges()
                        .map_or(String::new(), |w| format!(": {w}")),
                };
                self.say(format!("f-I sweep done, {} points{edges}", fi.points.len()));
            }
            Err(e) => self.say_error(format!("f-I sweep stopped: {e}")),
        }
    }

    fn finish_fi(&mut self, resume: bool) {
        if resume && self.run == RunState::Paused {
            self.run = RunState::Running;
            self.clock.clear();
        }
    }
}
