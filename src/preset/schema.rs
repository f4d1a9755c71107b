//! The TOML schema of a preset (SPEC section 2), as serde structs. Every
//! struct denies unknown keys; every value the validation may reject is
//! `Spanned`, so its error can point at it.

use serde::Deserialize;
use toml::Spanned;

use super::time::Seconds;

pub type S<T> = Spanned<T>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PresetFile {
    pub name: Option<S<String>>,
    pub description: Option<S<String>>,
    pub model: Option<S<String>>,
    pub duration: Option<S<Seconds>>,
    pub dt: Option<S<Seconds>>,
    pub hh: Option<HhSection>,
    pub lif: Option<LifSection>,
    pub stimulus: Option<StimulusSection>,
    pub stimuli: Option<Vec<StimulusSection>>,
    pub network: Option<NetworkSection>,
    pub rate: Option<RateSection>,
    pub synapse: Option<SynapseSection>,
    pub view: Option<ViewSection>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HhSection {
    pub c_m: Option<S<f64>>,
    pub g_na: Option<S<f64>>,
    pub g_k: Option<S<f64>>,
    pub g_l: Option<S<f64>>,
    pub e_na: Option<S<f64>>,
    pub e_k: Option<S<f64>>,
    pub e_l: Option<S<f64>>,
    pub temperature: Option<S<f64>>,
    pub v_init: Option<S<f64>>,
    pub method: Option<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LifSection {
    pub tau_m: Option<S<Seconds>>,
    pub tau_ref: Option<S<Seconds>>,
    pub v_init: Option<S<f64>>,
    pub v_threshold: Option<S<f64>>,
    pub v_reset: Option<S<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StimulusSection {
    pub kind: Option<S<String>>,
    pub amplitude: Option<S<f64>>,
    pub offset: Option<S<f64>>,
    pub start: Option<S<Seconds>>,
    pub stop: Option<S<Seconds>>,
    pub width: Option<S<Seconds>>,
    pub period: Option<S<Seconds>>,
    pub count: Option<S<i64>>,
    pub frequency: Option<S<f64>>,
    pub phase: Option<S<f64>>,
    pub sigma: Option<S<f64>>,
    pub seed: Option<S<i64>>,
    pub neurons: Option<S<Vec<i64>>>,
    pub hold: Option<S<f64>>,
    pub levels: Option<S<Vec<f64>>>,
    pub times: Option<S<Vec<Seconds>>>,
    pub rate: Option<S<f64>>,
    pub poisson: Option<S<bool>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkSection {
    pub neuron: Option<S<String>>,
    pub tau_m: Option<S<Seconds>>,
    pub tau_ref: Option<S<Seconds>>,
    pub tau_s: Option<S<Seconds>>,
    pub psc_order: Option<S<i64>>,
    pub spike_timing: Option<S<String>>,
    pub in_step_resolve: Option<S<String>>,
    pub names: Option<S<Vec<String>>>,
    pub weights: Option<S<Vec<Vec<f64>>>>,
    pub bias: Option<S<Vec<f64>>>,
    pub augmented: Option<S<Vec<Vec<f64>>>>,
    pub v_init: Option<S<Vec<f64>>>,
    pub random: Option<RandomSection>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RandomSection {
    pub n: S<i64>,
    pub p: S<f64>,
    pub seed: Option<S<i64>>,
    pub weight: S<RangeSection>,
    pub excitatory: Option<S<i64>>,
    pub weight_inhibitory: Option<S<RangeSection>>,
    pub weight_ref_inputs: Option<S<f64>>,
    pub bias: Option<S<RangeSection>>,
    pub v_init: Option<S<RangeSection>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RangeSection {
    pub low: S<f64>,
    pub high: S<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateSection {
    pub activation: Option<S<String>>,
    pub tau: Option<S<Seconds>>,
    pub tau_m: Option<S<Seconds>>,
    pub tau_ref: Option<S<Seconds>>,
    pub names: Option<S<Vec<String>>>,
    pub weights: Option<S<Vec<Vec<f64>>>>,
    pub bias: Option<S<Vec<f64>>>,
    pub augmented: Option<S<Vec<Vec<f64>>>>,
    pub y_init: Option<S<Vec<f64>>>,
}

/// The matrix block a LIF network and a rate network both take (notes
/// 1.3.4): `weights` W and `bias` b, or the augmented `[W | b]`, with the
/// neurons' `names`. (serde cannot flatten it into sections that deny
/// unknown keys, so each section lends its fields.)
pub struct MatrixBlock<'a> {
    pub names: &'a Option<S<Vec<String>>>,
    pub weights: &'a Option<S<Vec<Vec<f64>>>>,
    pub bias: &'a Option<S<Vec<f64>>>,
    pub augmented: &'a Option<S<Vec<Vec<f64>>>>,
}

impl NetworkSection {
    pub fn matrix_block(&self) -> MatrixBlock<'_> {
        MatrixBlock {
            names: &self.names,
            weights: &self.weights,
            bias: &self.bias,
            augmented: &self.augmented,
        }
    }
}

impl RateSection {
    pub fn matrix_block(&self) -> MatrixBlock<'_> {
        MatrixBlock {
            names: &self.names,
            weights: &self.weights,
            bias: &self.bias,
            augmented: &self.augmented,
        }
    }
}

/// PSC filters driven by the stimulus spike train (model = "synapse").
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SynapseSection {
    pub filters: S<Vec<FilterSpec>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FilterSpec {
    pub name: Option<String>,
    pub tau_s: S<Seconds>,
    pub order: Option<S<i64>>,
}

/// What the oscilloscope shows at start (the UI reads it; `run` ignores it).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ViewSection {
    pub window: Option<S<Seconds>>,
    pub selected: Option<S<i64>>,
    pub trigger: Option<S<String>>,
    pub speed: Option<S<f64>>,
    pub pane: Option<S<String>>,
    pub paused: Option<S<bool>>,
    pub pre_trigger: Option<S<f64>>,
    pub one_shot: Option<S<bool>>,
}
