//! How the simulation advances under the oscilloscope: running, paused or
//! held (a single shot's sweep, a one-shot preset's whole protocol), the
//! steps a frame takes, and where an unstable state stops it.

use std::time::Duration;

use super::App;
use crate::model::{Instability, ModelKind};
use crate::named::Named;
use crate::sim::RunError;
use crate::view::TriggerMode;

/// Most steps one frame may take, so keys stay responsive.
pub const MAX_STEPS_PER_FRAME: u64 = 2_000_000;
/// Whether the simulation advances, and if not why.
#[derive(Debug, Clone, PartialEq)]
pub enum RunState {
    Running,
    Paused,
    /// Stopped by the oscilloscope itself, with what it holds.
    Held(Hold),
    /// The state stopped being finite or physical: where and what.
    Unstable(Instability),
    Quit,
}

/// What a hold keeps on screen.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Hold {
    /// A single-shot sweep, triggered by a spike of `neuron` at this time
    /// (s): the neuron selected when it was captured (another may be
    /// selected since, and drawn around that spike).
    Sweep { trigger_s: f64, neuron: usize },
    /// The preset's protocol ran its whole duration (a one-shot preset).
    ProtocolDone,
    /// A replay reached the end of its journal (or where it is damaged).
    JournalEnd,
}

const NO_SPIKES_TO_TRIGGER: &str =
    "a rate model has no spikes to trigger a sweep on: t switches between free and roll";

impl App {
    /// Whether the model has spikes to trigger a sweep on: a rate model's
    /// neurons have activities, so a spike or single sweep would wait
    /// forever over empty plots.
    pub fn fires(&self) -> bool {
        self.kind() != ModelKind::Rate
    }

    /// `t`: the next sweep mode, of those the model can trigger.
    pub(super) fn next_trigger(&mut self) {
        let mut next = self.view.trigger.next();
        if !self.fires() {
            while matches!(next, TriggerMode::Spike | TriggerMode::Single) {
                next = next.next();
            }
            self.say(NO_SPIKES_TO_TRIGGER);
        }
        self.view.trigger = next;
        self.armed_since_s = (next == TriggerMode::Single).then(|| self.sim.time_s());
    }

    pub(super) fn arm_single_shot(&mut self) {
        if !self.fires() {
            self.say_error(NO_SPIKES_TO_TRIGGER);
            return;
        }
        self.view.trigger = TriggerMode::Single;
        self.armed_since_s = Some(self.sim.time_s());
        if !matches!(self.run, RunState::Unstable(_)) {
            self.run = RunState::Running;
            self.clock.clear();
        }
    }

    /// Runs the steps keys asked for.
    pub fn run_pending(&mut self) {
        let steps = std::mem::take(&mut self.pending_steps);
        self.advance(steps);
    }

    /// The sampling interval of the probes (s).
    pub fn sample_interval_s(&self) -> f64 {
        self.traces.probes.sample_every as f64 * self.sim.dt_s()
    }

    /// The spike a single shot triggers on: the first of the selected neuron
    /// since arming, if any.
    pub fn single_trigger_s(&self) -> Option<f64> {
        let since = self.armed_since_s?;
        let i = self.view.selected;
        self.traces
            .probes
            .spikes()
            .filter(|s| s.neuron == i && s.time_s >= since)
            .map(|s| s.time_s)
            .next()
    }

    /// Advances `steps` steps into the traces, stopping where a hold
    /// begins: a single shot's sweep is complete, or a one-shot preset's
    /// duration is reached. An unstable state pauses the simulation and says
    /// where (the probes keep the last good samples).
    pub fn advance(&mut self, steps: u64) {
        if matches!(self.run, RunState::Unstable(_)) || steps == 0 {
            return;
        }
        self.dirty = true;
        let dt = self.sim.dt_s();
        let mut left = steps;
        while left > 0 {
            let mut chunk = left;
            // A replay's changes apply at the start of their steps.
            if self.replay.is_some() {
                match self.apply_due_journal() {
                    Some(0) | None => return,
                    Some(to_next) => chunk = chunk.min(to_next),
                }
            }
            if self.preset.view.one_shot {
                let end = (self.preset.duration_s / dt).round() as u64;
                let to_end = end.saturating_sub(self.sim.step_index());
                if to_end == 0 {
                    self.run = RunState::Held(Hold::ProtocolDone);
                    return;
                }
                chunk = chunk.min(to_end);
            }
            let single = self.view.trigger == TriggerMode::Single && self.armed_since_s.is_some();
            if single {
                let window = self.window_s();
                chunk = chunk.min(match self.single_trigger_s() {
                    // Steps to the end of the triggered sweep.
                    Some(ts) => {
                        let end = ts - self.view.pre_trigger * window + window;
                        ((end - self.sim.time_s()) / dt).ceil().max(0.0) as u64
                    }
                    // A tenth of a window at a time: a trigger found after a
                    // chunk is still before its sweep's end.
                    None => ((0.1 * window / dt).floor() as u64).max(1),
                });
                if chunk == 0 {
                    self.hold_single();
                    return;
                }
            }
            let advanced = self.traces.advance(&mut self.sim, chunk);
            if let Some(j) = &self.journal {
                j.reached(self.sim.step_index());
            }
            if let Err(RunError::Unstable(i)) = advanced {
                self.say_error(format!("paused: {i}"));
                self.run = RunState::Unstable(i);
                return;
            }
            left -= chunk;
            if single && self.single_sweep_complete() {
                self.hold_single();
                return;
            }
            if self.preset.view.one_shot && self.sim.time_s() >= self.preset.duration_s - 0.5 * dt {
                self.run = RunState::Held(Hold::ProtocolDone);
                return;
            }
        }
        // A change made at the step the batch ends on shows in this frame,
        // as it did live right after its key.
        if self.replay.is_some() {
            self.apply_due_journal();
        }
    }

    fn single_sweep_complete(&self) -> bool {
        let window = self.window_s();
        self.single_trigger_s().is_some_and(|ts| {
            self.sim.time_s()
                >= ts - self.view.pre_trigger * window + window - 0.5 * self.sim.dt_s()
        })
    }

    fn hold_single(&mut self) {
        if let Some(ts) = self.single_trigger_s() {
            self.run = RunState::Held(Hold::Sweep {
                trigger_s: ts,
                neuron: self.view.selected,
            });
            self.armed_since_s = None;
        }
    }

    /// The held single-shot sweep's trigger: its spike's time (s) and
    /// neuron.
    pub fn held_trigger(&self) -> Option<(f64, usize)> {
        match self.run {
            RunState::Held(Hold::Sweep { trigger_s, neuron }) => Some((trigger_s, neuron)),
            _ => None,
        }
    }

    /// Whether a single shot waits for its trigger.
    pub fn armed(&self) -> bool {
        self.armed_since_s.is_some() && self.view.trigger == TriggerMode::Single
    }

    /// Advances by the simulated time due after `real` elapsed (running
    /// only), within the step budget.
    pub fn tick(&mut self, real: Duration, budget: u64) -> u64 {
        if !self.running() {
            return 0;
        }
        let steps = self
            .clock
            .steps_due(real, self.sim.dt_s(), budget.min(MAX_STEPS_PER_FRAME));
        let before = self.sim.step_index();
        self.advance(steps);
        let done = self.sim.step_index() - before;
        self.clock.measure(done as f64 * self.sim.dt_s(), real);
        done
    }
}
