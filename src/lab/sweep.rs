//! The f-I curve builder's engine, for any numeric preset key: one run whose
//! parameter steps through values, each value going on from the state the
//! previous one ended in (continuation), its firing rate measured after a
//! settling time. Swept up and then down, a bistable model shows its
//! hysteresis loop (HH at 6.3 °C rests or fires over a range of J,
//! depending on where it came from).
//!
//! Each value is the preset with `KEY=value` set, validated as a preset; the
//! model built for it takes over the running state on the same clock
//! (`Simulation::continue_with`), so time runs on through the sweep.

use std::fmt;

use super::firing::{WindowRate, never_fires, window_rate};
use super::set_values::load_with_values;
use crate::model::{AnyModel, Carry, Instability, Spike};
use crate::named::Named;
pub use crate::preset::PresetSource;
use crate::preset::time::{BareTime, format_time};
use crate::preset::{PresetError, Scenario, redraws_connections, run_steps};
use crate::sim::stimulus::Stimulus;
use crate::sim::{Monitor, RunError, Simulation, csv::step_time_s};
use crate::text::exact_number;

/// Settling time after each change of value, and the measurement window
/// after it: long enough for the transient after a step of input to die
/// away (HH's takes tens of ms, a LIF neuron's one interval) and for a
/// window to hold many intervals at the slowest rates worth measuring.
pub const DEFAULT_SETTLE_S: f64 = 0.5;
pub const DEFAULT_MEASURE_S: f64 = 2.0;
/// Most values in one sweep.
pub const MAX_VALUES: usize = 10_000;

/// Which way the values are taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
    /// Up, then down from where the up sweep ended.
    Both,
}

impl Named for Direction {
    const ALL: &'static [Self] = &[Direction::Up, Direction::Down, Direction::Both];

    fn name(self) -> &'static str {
        match self {
            Direction::Up => "up",
            Direction::Down => "down",
            Direction::Both => "both",
        }
    }
}

/// The leg of the sweep a point belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leg {
    Up,
    Down,
}

impl Named for Leg {
    const ALL: &'static [Self] = &[Leg::Up, Leg::Down];

    fn name(self) -> &'static str {
        match self {
            Leg::Up => "up",
            Leg::Down => "down",
        }
    }
}

/// What to sweep and how to measure.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepSpec {
    /// A numeric preset key, dotted (`stimulus.amplitude`, `hh.g_na`).
    pub key: String,
    pub from: f64,
    pub to: f64,
    pub step: f64,
    pub direction: Direction,
    pub settle_s: f64,
    pub measure_s: f64,
    /// The neuron whose rate is measured (default: the preset's selected
    /// neuron, else 0).
    pub neuron: Option<usize>,
}

/// One value's measurement: a row of `sweep`'s CSV.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SweepPoint {
    pub leg: Leg,
    pub value: f64,
    pub rate_hz: f64,
    /// Spikes inside the measurement window.
    pub spikes: u64,
    /// The neuron's mean whole input over the measurement window
    /// (`Simulation::whole_input`): the value set, and in a network the
    /// bias and the synaptic current with it.
    pub mean_input: f64,
}

/// Why a sweep cannot run or stopped.
#[derive(Debug)]
pub enum SweepError {
    /// What was asked for cannot be swept.
    Usage(String),
    /// A value makes an invalid preset.
    Preset(Box<PresetError>),
    /// The state blew up at a value.
    Unstable { value: f64, cause: Instability },
}

impl fmt::Display for SweepError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SweepError::Usage(text) => f.write_str(text),
            SweepError::Preset(e) => write!(f, "{e}"),
            SweepError::Unstable { value, cause } => write!(f, "at {value}: {cause}"),
        }
    }
}

impl std::error::Error for SweepError {}

/// Keys that do not change the model or its input.
pub(crate) const NOT_SWEPT: [&str; 5] = ["dt", "duration", "name", "description", "model"];

/// The values from `from` to `to` in steps of `step` (> 0), in order; each
/// rounded to 12 significant digits so that 0.1 steps give 0.3, not
/// 0.30000000000000004. `to` is included when the steps reach it.
pub fn sweep_values(from: f64, to: f64, step: f64) -> Result<Vec<f64>, String> {
    sweep_values_said(from, to, step, exact_number)
}

/// `sweep_values`, its errors giving the bounds as `say` writes them (a
/// time key's as times: `--from 10 ms`, where `10ms` was typed, not 0.01).
pub fn sweep_values_said(
    from: f64,
    to: f64,
    step: f64,
    say: impl Fn(f64) -> String,
) -> Result<Vec<f64>, String> {
    if !(from.is_finite() && to.is_finite() && step.is_finite()) {
        return Err("--from, --to and --step must be finite numbers".into());
    }
    let (from_text, to_text, step_text) = (say(from), say(to), say(step));
    if step <= 0.0 || to < from {
        let problem = if step <= 0.0 {
            "the step is not above 0"
        } else {
            "--from is above --to"
        };
        return Err(format!(
            "--from {from_text} --to {to_text} --step {step_text}: {problem}; valid: from <= to \
             and a step above 0 (--direction down sweeps from `to` to `from`)"
        ));
    }
    let count = ((to - from) / step * (1.0 + 1e-12)).floor() + 1.0;
    if count > MAX_VALUES as f64 {
        // A count past a trillion in round figures: its last digits are
        // those of a rounded quotient, not a count.
        let count = if count < 1e12 {
            format!("{count:.0}")
        } else {
            format!("about {count:.1e}")
        };
        return Err(format!(
            "{count} values from {from_text} to {to_text} in steps of {step_text}; valid: at most \
             {MAX_VALUES}"
        ));
    }
    Ok((0..count as usize)
        .map(|k| {
            let v = from + k as f64 * step;
            format!("{v:.11e}").parse().unwrap_or(v)
        })
        .collect())
}

/// The spikes of one neuron, in time order.
struct NeuronSpikes<'a> {
    neuron: usize,
    times: &'a mut Vec<f64>,
    /// The step after which the measurement window begins, and the sum of
    /// the whole input over its steps.
    measured_after: u64,
    input_sum: &'a mut f64,
}

impl Monitor for NeuronSpikes<'_> {
    fn on_step(&mut self, sim: &Simulation, spikes: &[Spike]) -> std::io::Result<()> {
        let neuron = self.neuron;
        if sim.step_index() > self.measured_after {
            *self.input_sum += sim.whole_input(neuron);
        }
        self.times.extend(
            spikes
                .iter()
                .filter(|s| s.neuron == neuron)
                .map(|s| s.time_s),
        );
        Ok(())
    }
}

/// A sweep under way: advanced in bounded chunks of steps, so that the
/// oscilloscope draws between them and the command line sees its signals.
pub struct Sweep {
    changer: Changer,
    /// The values in the order they run, each with its leg.
    schedule: Vec<(Leg, f64)>,
    /// The value running (an index into `schedule`).
    current: usize,
    sim: Simulation,
    neuron: usize,
    settle_steps: u64,
    measure_steps: u64,
    /// The step at which the current value began.
    value_start: u64,
    /// The measured neuron's spikes since the current value began.
    times: Vec<f64>,
    /// Its whole input summed over the measurement window so far.
    input_sum: f64,
    /// The preset's times written as bare numbers that look meant in
    /// milliseconds (`preset::time::BareTime`).
    bare_times: Vec<BareTime>,
}

/// How a sweep sets each value.
enum Changer {
    /// The preset with `key = value`, its model taking over the state. For a
    /// stimulus key each value brings its own stimuli; otherwise the running
    /// ones go on (a noise source keeps its sequence).
    Preset {
        source: PresetSource,
        key: String,
        stimulus_key: bool,
    },
    /// The running simulation's main input, a constant of each value (the
    /// oscilloscope's f-I builder: the model as the keyboard left it).
    Input,
}

/// The values in the order a direction takes them, each with its leg.
fn schedule_of(values: &[f64], direction: Direction) -> Vec<(Leg, f64)> {
    let ups = values.iter().map(|&v| (Leg::Up, v));
    let downs = values.iter().rev().map(|&v| (Leg::Down, v));
    match direction {
        Direction::Up => ups.collect(),
        Direction::Down => downs.collect(),
        Direction::Both => ups.chain(downs).collect(),
    }
}

/// The main input set to a constant `value`, on the neurons it drove.
fn set_input(sim: &mut Simulation, value: f64) {
    if let Some(main) = sim.stimuli.first_mut() {
        main.stimulus = Stimulus::constant(value);
    }
}

/// Refused unless the model fires: hh (not clamped), lif or network.
fn fires(model: &AnyModel, origin: &str) -> Result<(), SweepError> {
    match never_fires(model) {
        Some(what) => Err(SweepError::Usage(format!(
            "{origin}: {what} does not fire; valid: a sweep measures the firing rate of an \
             hh (unclamped), lif or network model"
        ))),
        None => Ok(()),
    }
}

impl Sweep {
    /// Checks every value as a preset and sets up the first. The dt is the
    /// smallest any value needs.
    pub fn new(source: PresetSource, spec: &SweepSpec) -> Result<Self, SweepError> {
        let key = spec.key.trim().to_string();
        if NOT_SWEPT.contains(&key.as_str()) || key.starts_with("view.") {
            return Err(SweepError::Usage(format!(
                "--param {key}: it does not change the model or its input; valid: a numeric \
                 key of the model or a stimulus, e.g. stimulus.amplitude, hh.g_na, lif.tau_ref"
            )));
        }
        let values = sweep_values(spec.from, spec.to, spec.step).map_err(SweepError::Usage)?;
        let schedule = schedule_of(&values, spec.direction);
        let load = |v: f64| load_value(&source, &key, v);
        let v0 = schedule[0].1;
        let mut first = load(v0)?;
        fires(&first.model, &source.origin)?;
        // Where each value draws other connections, the checks below hold
        // one network at a time: the first value's state is the reference
        // and its network goes, the first value comes last, and the network
        // it loads then is the one kept (the same draw).
        let redraws = redraws_connections(&key) && values.len() > 1;
        if redraws {
            first.model.release_connections();
        }
        let mut dt_s = first.meta.dt_s;
        let others_then_first = values.iter().copied().filter(|&v| v != v0).chain([v0]);
        for v in others_then_first {
            let mut s = load(v)?;
            if redraws && v == v0 {
                first = s;
                continue;
            }
            s.model
                .carry_state_from(&first.model, Carry::Whole)
                .map_err(|e| {
                    SweepError::Usage(format!(
                        "--param {key} = {v}: {e}; valid: a key whose values keep the model's \
                         neurons and filters (each value goes on from the state the last one \
                         ended in)"
                    ))
                })?;
            dt_s = dt_s.min(s.meta.dt_s);
        }
        let neuron = spec.neuron.or(first.meta.view.selected).unwrap_or(0);
        let bare_times = first.meta.bare_times.clone();
        let (_, sim) = Scenario {
            meta: crate::preset::Meta { dt_s, ..first.meta },
            ..first
        }
        .into_simulation();
        let changer = Changer::Preset {
            stimulus_key: key.starts_with("stimulus") || key.starts_with("stimuli"),
            source,
            key,
        };
        let mut sweep = Self::start(sim, changer, schedule, neuron, spec)?;
        sweep.bare_times = bare_times;
        Ok(sweep)
    }

    /// A sweep of `sim`'s main input (a constant at each value) from its
    /// present state: the oscilloscope's f-I builder. `spec.key` is not used.
    pub fn of_input(mut sim: Simulation, spec: &SweepSpec) -> Result<Self, SweepError> {
        fires(&sim.model, "the running model")?;
        let values = sweep_values(spec.from, spec.to, spec.step).map_err(SweepError::Usage)?;
        let schedule = schedule_of(&values, spec.direction);
        set_input(&mut sim, schedule[0].1);
        Self::start(
            sim,
            Changer::Input,
            schedule,
            spec.neuron.unwrap_or(0),
            spec,
        )
    }

    /// The sweep's steps per value, checked against what a run may take.
    fn start(
        sim: Simulation,
        changer: Changer,
        schedule: Vec<(Leg, f64)>,
        neuron: usize,
        spec: &SweepSpec,
    ) -> Result<Self, SweepError> {
        let n = sim.model.neuron_count();
        if neuron >= n {
            return Err(SweepError::Usage(format!(
                "--neuron {neuron}: the model has {n} neuron{}; valid: 0 to {}",
                if n == 1 { "" } else { "s" },
                n - 1
            )));
        }
        let dt_s = sim.dt_s();
        let settle_steps = (spec.settle_s / dt_s).round();
        let measure_steps = (spec.measure_s / dt_s).round();
        if !(settle_steps >= 0.0 && measure_steps >= 1.0) {
            return Err(SweepError::Usage(format!(
                "--settle {} --measure {}: valid: a settling time of 0 or more and a \
                 measurement of at least one step ({})",
                format_time(spec.settle_s),
                format_time(spec.measure_s),
                format_time(dt_s)
            )));
        }
        let total_s = schedule.len() as f64 * (settle_steps + measure_steps) * dt_s;
        run_steps(total_s, dt_s, n).map_err(|e| {
            SweepError::Usage(format!(
                "{} of {}: {}; valid: {}",
                crate::text::plural(schedule.len() as u64, "value", "values"),
                format_time((settle_steps + measure_steps) * dt_s),
                e.problem,
                e.valid
            ))
        })?;
        let value_start = sim.step_index();
        Ok(Self {
            changer,
            schedule,
            current: 0,
            sim,
            neuron,
            settle_steps: settle_steps as u64,
            measure_steps: measure_steps as u64,
            value_start,
            times: Vec::new(),
            input_sum: 0.0,
            bare_times: Vec::new(),
        })
    }

    /// The values in the order they run, each with its leg.
    pub fn schedule(&self) -> &[(Leg, f64)] {
        &self.schedule
    }

    pub fn is_done(&self) -> bool {
        self.current >= self.schedule.len()
    }

    /// The preset's bare times (`preset::time::BareTime`), to be said.
    pub fn bare_times(&self) -> &[BareTime] {
        &self.bare_times
    }

    /// The simulation as it runs (time, state, traces).
    pub fn simulation(&self) -> &Simulation {
        &self.sim
    }

    pub fn neuron(&self) -> usize {
        self.neuron
    }

    pub fn steps_per_value(&self) -> u64 {
        self.settle_steps + self.measure_steps
    }

    pub fn steps_total(&self) -> u64 {
        self.schedule.len() as u64 * self.steps_per_value()
    }

    pub fn steps_done(&self) -> u64 {
        self.current as u64 * self.steps_per_value() + (self.sim.step_index() - self.value_start)
    }

    /// Advances at most `max_steps` steps; returns the points of the values
    /// that finished in them.
    pub fn advance(&mut self, max_steps: u64) -> Result<Vec<SweepPoint>, SweepError> {
        let mut points = Vec::new();
        let mut budget = max_steps;
        while budget > 0 && !self.is_done() {
            let in_value = self.sim.step_index() - self.value_start;
            let n = (self.steps_per_value() - in_value).min(budget);
            let mut spikes = NeuronSpikes {
                neuron: self.neuron,
                times: &mut self.times,
                measured_after: self.value_start + self.settle_steps,
                input_sum: &mut self.input_sum,
            };
            let value = self.schedule[self.current].1;
            self.sim.advance(n, &mut spikes).map_err(|e| match e {
                RunError::Unstable(cause) => SweepError::Unstable { value, cause },
                RunError::Io(e) => SweepError::Usage(e.to_string()),
            })?;
            budget -= n;
            if self.sim.step_index() - self.value_start == self.steps_per_value() {
                points.push(self.measure());
                self.next_value()?;
            }
        }
        Ok(points)
    }

    /// The current value's point, from its measurement window.
    fn measure(&self) -> SweepPoint {
        let dt = self.sim.dt_s();
        let start = step_time_s(self.value_start + self.settle_steps, dt);
        let end = step_time_s(self.value_start + self.steps_per_value(), dt);
        let WindowRate { rate_hz, spikes } = window_rate(&self.times, start, end);
        let (leg, value) = self.schedule[self.current];
        SweepPoint {
            leg,
            value,
            rate_hz,
            spikes,
            mean_input: self.input_sum / self.measure_steps as f64,
        }
    }

    /// On to the next value: its model (and stimuli, for a stimulus key)
    /// take over the running state, or the input takes the value.
    fn next_value(&mut self) -> Result<(), SweepError> {
        self.current += 1;
        self.value_start = self.sim.step_index();
        self.times.clear();
        self.input_sum = 0.0;
        let Some(&(_, value)) = self.schedule.get(self.current) else {
            return Ok(());
        };
        match &self.changer {
            Changer::Input => {
                set_input(&mut self.sim, value);
                Ok(())
            }
            Changer::Preset {
                source,
                key,
                stimulus_key,
            } => {
                // The next value's network draws other connections: this
                // one's go first, so that the two are never held together.
                if redraws_connections(key) {
                    self.sim.model.release_connections();
                }
                let scenario = load_value(source, key, value)?;
                let stimuli = stimulus_key.then_some(scenario.stimuli);
                self.sim
                    .continue_with(scenario.model, stimuli, Carry::Whole)
                    .map_err(|e| SweepError::Usage(format!("--param {key} = {value}: {e}")))
            }
        }
    }
}

/// The preset with the swept key at `value` (after the source's own
/// overrides).
fn load_value(source: &PresetSource, key: &str, value: f64) -> Result<Scenario, SweepError> {
    load_with_values(source, &[("--param", key, value)]).map_err(SweepError::Preset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_decimal_and_include_the_end() {
        assert_eq!(
            sweep_values(0.0, 0.5, 0.1),
            Ok(vec![0.0, 0.1, 0.2, 0.3, 0.4, 0.5])
        );
        assert_eq!(sweep_values(1.0, 2.0, 0.3), Ok(vec![1.0, 1.3, 1.6, 1.9]));
        assert_eq!(sweep_values(5.0, 5.0, 1.0), Ok(vec![5.0]));
        assert!(sweep_values(1.0, 0.0, 0.1).is_err());
        assert!(sweep_values(0.0, 1.0, 0.0).is_err());
        assert_eq!(
            sweep_values(0.0, 1e9, 1.0).unwrap_err(),
            "1000000001 values from 0 to 1000000000 in steps of 1; valid: at most 10000"
        );
        // Numbers as typed, short: not 300 digits each.
        assert_eq!(
            sweep_values(0.0, 2.0, 1e-300).unwrap_err(),
            "about 2.0e300 values from 0 to 2 in steps of 1e-300; valid: at most 10000"
        );
        assert_eq!(
            sweep_values(1e300, 0.0, 0.5).unwrap_err(),
            "--from 1e300 --to 0 --step 0.5: --from is above --to; valid: from <= to and a step \
             above 0 (--direction down sweeps from `to` to `from`)"
        );
        assert!(
            sweep_values(0.0, 1.0, -0.5)
                .unwrap_err()
                .starts_with("--from 0 --to 1 --step -0.5: the step is not above 0; valid: ")
        );
    }
}
