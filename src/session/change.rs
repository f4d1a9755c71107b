//! What a user changes in a running simulation: the main input, a network
//! neuron's bias, a preset parameter. One rule for each, used by the
//! oscilloscope when a key makes the change and by a replay when a journal
//! does, so that both give the same state.

use crate::model::math::nice_step_below;
use crate::model::{AnyModel, Carry};
use crate::preset::bundled::DEFAULT_ORIGIN;
use crate::preset::time::format_time;
use crate::preset::{DtBounds, PresetSource};
use crate::sim::Simulation;
use crate::text::{printable, shell_word};

/// A change to the running simulation, as a journal records it.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// The main stimulus's amplitude (the level the keyboard adjusts).
    Input(f64),
    /// Neuron `neuron`'s bias b_i (networks of LIF or rate neurons).
    Bias { neuron: usize, value: f64 },
    /// A preset key set to a value (as `--set` takes it), or back to the
    /// preset's own with `None`.
    Param { key: String, value: Option<String> },
    /// Back to t = 0, keeping what was changed.
    Reset,
    /// Another preset opened: a new run.
    Open(PresetSource),
}

/// Sets the main stimulus's amplitude.
pub fn set_input(sim: &mut Simulation, x: f64) -> Result<(), String> {
    if !x.is_finite() {
        return Err(format!("the input {x} is not a finite number"));
    }
    match sim.main_stimulus() {
        Some(s) => {
            s.amplitude = x;
            Ok(())
        }
        None => Err("this model has no stimulus to set".into()),
    }
}

/// Sets neuron i's bias.
pub fn set_bias(sim: &mut Simulation, i: usize, b: f64) -> Result<(), String> {
    if !b.is_finite() {
        return Err(format!("the bias {b} is not a finite number"));
    }
    let biases = match &mut sim.model {
        AnyModel::Network(n) => n.bias_mut(),
        AnyModel::Rate(r) => &mut r.bias,
        _ => return Err("biases belong to network neurons".into()),
    };
    let n = biases.len();
    match biases.get_mut(i) {
        Some(x) => {
            *x = b;
            Ok(())
        }
        None => Err(format!(
            "no neuron {i}: neurons are numbered 0 to {}",
            n - 1
        )),
    }
}

/// Sets `key` to `value` (or back to the preset's own with `None`) on top
/// of the overrides `changed` already made, validated as the preset would
/// be; the model with the new parameters takes over the running state on
/// the same clock (filters restart at 0 if the PSC order changes). The
/// biases the keyboard set stay. Returns the overrides now in force.
pub fn change_param(
    sim: &mut Simulation,
    source: &PresetSource,
    changed: &[(String, String)],
    key: &str,
    value: Option<&str>,
) -> Result<Vec<(String, String)>, String> {
    let mut changed = changed.to_vec();
    changed.retain(|(k, _)| k != key);
    if let Some(v) = value {
        changed.push((key.to_string(), v.to_string()));
    }
    let overrides: Vec<String> = changed.iter().map(|(k, v)| format!("{k}={v}")).collect();
    // A run keeps its dt (its clock counts whole steps): parameters that
    // need a smaller one are refused, with the command that runs them.
    let scenario = source
        .load_with(&overrides)
        .map_err(|e| match e.dt_bounds {
            Some(DtBounds { max_s, default_s }) if key != "dt" => {
                let why = format!("need dt <= {}", format_time(max_s));
                // The dt the parameters take, unless it is beyond their
                // limit (a LIF neuron's 0.1 ms against a tau_m below it).
                let to_set = if default_s <= max_s {
                    default_s
                } else {
                    nice_step_below(max_s)
                };
                needs_smaller_dt(source, &overrides, &why, sim.dt_s(), Some(to_set))
            }
            _ => e.of_typed_value(),
        })?;
    // A preset without a dt takes its parameters' own, for accuracy.
    if scenario.meta.dt_s < sim.dt_s() * (1.0 - 1e-9) {
        let why = format!("take dt = {}", format_time(scenario.meta.dt_s));
        return Err(needs_smaller_dt(source, &overrides, &why, sim.dt_s(), None));
    }
    let biases = match &sim.model {
        AnyModel::Network(n) => Some(n.bias().to_vec()),
        _ => None,
    };
    sim.continue_with(scenario.model, None, Carry::RestartingFilters)?;
    if let (Some(b), AnyModel::Network(n)) = (biases, &mut sim.model) {
        n.bias_mut().copy_from_slice(&b);
    }
    Ok(changed)
}

/// The key of an override, `KEY=VALUE`.
fn key_of(o: &str) -> &str {
    o.split_once('=').map_or(o, |(k, _)| k).trim()
}

/// The command line's overrides, then the changes made since, each key
/// once, where the last says what is in force: the `--set`s that give the
/// parameters in force from the preset (`KEY=VALUE` each).
pub fn sets_in_force<'a>(command_line: &'a [String], changes: &'a [String]) -> Vec<&'a str> {
    let all: Vec<&str> = command_line
        .iter()
        .chain(changes)
        .map(String::as_str)
        .collect();
    all.iter()
        .enumerate()
        .filter(|&(k, o)| all[k + 1..].iter().all(|l| key_of(l) != key_of(o)))
        .map(|(_, o)| *o)
        .collect()
}

/// Why parameters that `why` cannot take over a run at `dt_s`, and the
/// command that opens the preset with them (at `dt_s_to_set`, where the
/// preset's own dt must be replaced).
fn needs_smaller_dt(
    source: &PresetSource,
    overrides: &[String],
    why: &str,
    dt_s: f64,
    dt_s_to_set: Option<f64>,
) -> String {
    let dt =
        dt_s_to_set.map(|d| format!("dt={}", format_time(d).replace(' ', "").replace('µ', "u")));
    // The overrides in force, dt last.
    let sets: Vec<String> = sets_in_force(&source.overrides, overrides)
        .into_iter()
        .filter(|o| key_of(o) != "dt")
        .chain(dt.as_deref())
        .map(|o| format!("--set {}", shell_word(o)))
        .collect();
    // The built-in default opens without a name.
    let preset = if source.origin == DEFAULT_ORIGIN {
        String::new()
    } else {
        format!("{} ", shell_word(&source.origin))
    };
    // The path and values as typed, control characters made visible.
    let text = format!(
        "these parameters {why} and this run's dt is {}: open the preset again with them: \
         spikescope {preset}{}",
        format_time(dt_s),
        sets.join(" ")
    );
    printable(&text, false).into_owned()
}
