//! What a user changes in a running simulation: the main input, a network
//! neuron's bias, a preset parameter. One rule for each, used by the
//! oscilloscope when a key makes the change and by a replay when a journal
//! does, so that both give the same state.

use crate::model::{AnyModel, Carry};
use crate::preset::PresetSource;
use crate::preset::time::format_time;
use crate::sim::Simulation;

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
    let scenario = source
        .load_with(&overrides)
        .map_err(|e| e.of_typed_value())?;
    if scenario.meta.dt_s < sim.dt_s() * (1.0 - 1e-9) {
        return Err(format!(
            "these parameters need dt <= {} but this run's dt is {}: open the preset \
             with --set {key}=... to start again with it",
            format_time(scenario.meta.dt_s),
            format_time(sim.dt_s())
        ));
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
