//! What the oscilloscope needs to know of each model: the input's name and
//! units, its steps and its safe range, the default time window.

use crate::model::{AnyModel, ModelKind};
use crate::sim::Simulation;

/// The input's name and units: per model, and for a clamp or a spike train
/// per stimulus.
pub fn input_label(sim: &Simulation) -> (&'static str, &'static str) {
    if sim
        .stimuli
        .first()
        .is_some_and(|s| s.stimulus.is_spike_train())
    {
        return ("w", "per spike");
    }
    match &sim.model {
        AnyModel::Hh(n) if n.clamp => ("V_clamp", "mV"),
        AnyModel::Hh(_) => ("J_in", "µA/cm²"),
        AnyModel::Lif(_) => ("v_in", ""),
        AnyModel::Network(_) | AnyModel::Rate(_) => ("x", ""),
        AnyModel::Synapse(_) => ("w", "per spike"),
    }
}

/// The fine input step per model (coarse is 10 of them).
pub fn fine_step(kind: ModelKind) -> f64 {
    match kind {
        ModelKind::Hh => 0.1,
        _ => 0.01,
    }
}

/// The default time window per model.
pub fn default_window(kind: ModelKind) -> f64 {
    match kind {
        ModelKind::Hh => 0.1,
        ModelKind::Lif | ModelKind::Network | ModelKind::Synapse => 0.5,
        ModelKind::Rate => 0.2,
    }
}

/// Largest |input| for the models without a stability limit: far past any
/// lesson, and small enough that no rate or sum overflows.
pub const MAX_PLAIN_INPUT: f64 = 1e6;

/// The inputs the keyboard may set, with why: an HH current must keep the
/// integrator stable at this dt (`HhMethod::stable_input_range`), a clamp
/// stays inside the rate tables' -200..200 mV.
pub fn input_range(sim: &Simulation) -> ((f64, f64), &'static str) {
    match &sim.model {
        AnyModel::Hh(n) if n.clamp => ((-200.0, 200.0), "the clamp range of the rate functions"),
        AnyModel::Hh(n) => (
            n.method.stable_input_range(&n.params, sim.dt_s() * 1e3),
            "what the integrator holds stably at this dt",
        ),
        _ => (
            (-MAX_PLAIN_INPUT, MAX_PLAIN_INPUT),
            "the input range of the oscilloscope",
        ),
    }
}
