//! The network's inputs as NEST takes them: spike trains as spike
//! generators; constant, step and pulse inputs as the neurons' I_e and a
//! step current generator, each change at the step the run takes it.
//!
//! A generator reaches its targets through a connection of one step's
//! delay, as a spike does: NEST's generator is told each change a step
//! before the run takes it (PyNN does that itself, `_delay_correction`),
//! so the current acts at the same steps as here. NEST takes no change at
//! time 0, so a change at the first step's end goes into I_e after that
//! step (NEST's script runs the first step alone; PyNN cannot, as its first
//! run goes a step past the time asked, and its source acts a step late).

use crate::preset::Meta;
use crate::preset::time::format_time;
use crate::sim::Simulation;
use crate::sim::csv::step_time_s;
use crate::sim::stimulus::Shape;

use super::{Target, shape_name};

/// What the data file and its header carry of the inputs.
pub(super) struct Inputs {
    /// b with each constant input's level over the first step: I_e from 0.
    pub bias: Vec<f64>,
    /// The same from the second step on, where an input's level changes
    /// at the first step's end; `None` where none does.
    pub bias_after_first_step: Option<Vec<f64>>,
    /// Per input: its targets, the times its generator is told (ms) and
    /// the levels from then on, over what I_e holds.
    pub currents: Vec<serde_json::Value>,
    /// Per spike train: its targets, weight and spike times (ms).
    pub trains: Vec<serde_json::Value>,
}

pub(super) fn inputs(
    meta: &Meta,
    sim: &Simulation,
    bias: &[f64],
    duration_s: f64,
    exact: bool,
    target: Target,
) -> Result<Inputs, String> {
    let n = bias.len();
    let dt = sim.dt_s();
    let mut bias = bias.to_vec();
    let mut after_first = bias.clone();
    let mut currents = Vec::new();
    let mut trains = Vec::new();
    for t in &sim.stimuli {
        let targets: Vec<usize> = t.neurons.clone().unwrap_or_else(|| (0..n).collect());
        let neurons = t.neurons.as_ref().map(|v| serde_json::json!(v));
        let mut s = t.stimulus.clone();
        s.reset();
        match &s.shape {
            Shape::Spikes(_) => {
                let mut times = Vec::new();
                s.spikes_in(0.0, duration_s, &mut times);
                if !exact {
                    on_the_grid(meta, &mut times, dt)?;
                } else if times.first().is_some_and(|&t| t <= 0.0) {
                    return Err(format!(
                        "{}: a spike-train input at 0 s: NEST's spike_generator cannot send a \
                         spike at time 0; valid: spike times after 0",
                        meta.origin
                    ));
                }
                let times_ms: Vec<f64> = times.iter().map(|t| t * 1e3).collect();
                trains.push(serde_json::json!({
                    "neurons": neurons, "weight": s.amplitude, "times_ms": times_ms }));
            }
            Shape::Constant | Shape::Step { .. } | Shape::Pulses { .. } => {
                // A step holds the level at its middle (`sample_step`), so
                // a change at 5.05 ms acts from 5.0 ms at dt = 0.1 ms, and
                // NEST takes changes on its grid only.
                let level_of_step = |k: u64| s.level_at(step_time_s(k, dt) + 0.5 * dt);
                let first = level_of_step(0);
                // NEST: I_e takes a change at the first step's end (the
                // script runs that step alone). PyNN runs a step past the
                // time asked on its first run, so its source takes it, and
                // it acts a step late.
                let split = target == Target::Nest && step_time_s(1, dt) < duration_s;
                let (second, from) = if split {
                    (level_of_step(1), 2)
                } else {
                    (first, 1)
                };
                for &i in &targets {
                    bias[i] += first;
                    after_first[i] += second;
                }
                // The steps about each change (its float may fall either
                // side of a step's middle), in order: where a step's level
                // differs from the one before, the input changes.
                let mut steps = Vec::new();
                let mut at = 0.0;
                while let Some((t_s, _)) = s.next_change(at) {
                    if t_s >= duration_s || !t_s.is_finite() {
                        break;
                    }
                    at = t_s;
                    let k = (t_s / dt - 0.5).ceil().max(1.0) as u64;
                    steps.extend([k - 1, k, k + 1].into_iter().filter(|&j| j >= from));
                }
                steps.sort_unstable();
                steps.dedup();
                // How many steps early the generator is told: NEST's one,
                // which its delay brings back; PyNN's none, as PyNN moves
                // the change back itself. Each value is over what I_e holds
                // from the second step.
                let told = match target {
                    Target::Nest => 1,
                    Target::Pynn => 0,
                };
                let (mut times_ms, mut values) = (Vec::new(), Vec::new());
                let mut held = second;
                for k in steps {
                    let level = level_of_step(k);
                    if level != held && step_time_s(k, dt) < duration_s {
                        times_ms.push(step_time_s(k - told, dt) * 1e3);
                        values.push(level - second);
                        held = level;
                    }
                }
                if !times_ms.is_empty() {
                    currents.push(serde_json::json!({
                        "neurons": neurons, "times_ms": times_ms, "values": values }));
                }
            }
            other => {
                return Err(format!(
                    "{}: a {} input cannot be given to NEST as the same input (NEST's \
                     generators are not this function of time, nor this noise); valid: \
                     constant, step and pulse inputs, and spike trains",
                    meta.origin,
                    shape_name(other)
                ));
            }
        }
    }
    let bias_after_first_step = (after_first != bias).then_some(after_first);
    Ok(Inputs {
        bias,
        bias_after_first_step,
        currents,
        trains,
    })
}

/// A spike train's times for grid timing, where the run takes each spike
/// into its targets at the end of the step it falls in (grid.rs), and
/// NEST's grid `spike_generator` takes times on its grid only: each is
/// moved to the start of its step, whence the connection's one-step delay
/// brings it at that step's end, as here. A spike in the first step would
/// need NEST to emit at time 0, which it cannot: refused.
fn on_the_grid(meta: &Meta, times: &mut [f64], dt: f64) -> Result<(), String> {
    for t in times.iter_mut() {
        // The step the run's `spikes_in(t_k, t_k+1)` puts it in.
        let mut k = (*t / dt).floor().max(0.0) as u64;
        if step_time_s(k + 1, dt) <= *t {
            k += 1;
        } else if k > 0 && step_time_s(k, dt) > *t {
            k -= 1;
        }
        if k == 0 {
            return Err(format!(
                "{}: a spike-train input at {} falls in the first step: on grid timing NEST \
                 would have to send it at time 0, which its spike_generator cannot; valid: \
                 spikes from dt = {} on, or exact timing",
                meta.origin,
                format_time(*t),
                format_time(dt)
            ));
        }
        *t = step_time_s(k, dt);
    }
    Ok(())
}
