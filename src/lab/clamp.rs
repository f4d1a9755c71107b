//! A voltage-clamp protocol's steps and what a lab measures in each: the
//! peak of I_Na (its largest magnitude, with its sign, and when) and I_K at
//! the step's end, from recorded samples. With the model's closed form
//! (`HhParams::clamp_peak_sodium`) these give the I-V curves.

use crate::sim::stimulus::{Shape, Stimulus};

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

/// The measurements of `step` from samples (time s, value) of I_Na and
/// I_K; None until the step has ended.
pub fn measure(step: &ClampStep, i_na: &[(f64, f64)], i_k: &[(f64, f64)]) -> Option<ClampMeasure> {
    let end = step.onset_s + step.width_s;
    // The sample at the step's end is its last (the gates are continuous).
    let within = |&&(t, _): &&(f64, f64)| t >= step.onset_s - 1e-12 && t <= end + 1e-12;
    let &(t_end, i_k_end) = i_k.iter().rfind(|s| within(s))?;
    if t_end < end - 1e-9 {
        return None;
    }
    let &(t_peak, peak_i_na) = i_na
        .iter()
        .filter(within)
        .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()))?;
    Some(ClampMeasure {
        v_mv: step.v_mv,
        peak_i_na,
        peak_after_s: t_peak - step.onset_s,
        i_k_end,
    })
}
