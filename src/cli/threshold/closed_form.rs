//! A LIF neuron's threshold in closed form, for `threshold`'s summary and
//! figure.

use super::six_digits;
use crate::figure::CLOSED_FORM_POINTS;
use crate::lab::lone::LoneNeuron;
use crate::lab::threshold::Threshold;
use crate::model::AnyModel;
use crate::model::elementary::{exp, exp_m1};
use crate::sim::stimulus::Shape;

/// A LIF neuron's threshold amplitude in closed form, where it has one: one
/// pulse its only input, its amplitude sought (against its width, or at the
/// preset's). From v = 0 over the pulse v = I (1 - e^(-t/tau_m)) (notes
/// 1.2) reaches 1 by the pulse's end T when I >= 1 / (1 - e^(-T/tau_m)); from
/// v_s at its start (`lif.v_init` decayed until then), to a moved threshold,
/// when I >= (v_threshold - v_s e^(-T/tau_m)) / (1 - e^(-T/tau_m)). The input
/// is held over whole steps (its level at each step's middle), so T is the
/// steps whose middle lies in the pulse.
pub(super) struct ClosedForm {
    pub(super) tau_m_s: f64,
    v_threshold: f64,
    /// v when the pulse begins: v_init decayed over the steps before it.
    v_start: f64,
    start_s: f64,
    dt_s: f64,
}

impl ClosedForm {
    pub(super) fn of(search: &Threshold) -> Option<Self> {
        let spec = search.spec();
        let against_ok = spec
            .against
            .as_ref()
            .is_none_or(|(k, _)| k.trim() == "stimulus.width");
        if spec.key.trim() != "stimulus.amplitude" || !against_ok {
            return None;
        }
        let scenario = search.preset_at(0, spec.between[0]).ok()?;
        let (AnyModel::Lif(lif), [only]) = (&scenario.model, scenario.stimuli.as_slice()) else {
            return None;
        };
        let Shape::Pulses {
            start_s,
            period_s,
            count,
            ..
        } = only.stimulus.shape
        else {
            return None;
        };
        let one_pulse = count == Some(1) || start_s + period_s >= scenario.meta.duration_s;
        let (tau_m_s, dt_s) = (lif.params.tau_m_s, scenario.meta.dt_s);
        // With no input, v decays from v_init over the steps before the
        // pulse's first (the input over a step is its level at the middle).
        let before = (start_s / dt_s - 0.5).ceil().max(0.0) * dt_s;
        (only.stimulus.offset == 0.0 && one_pulse).then_some(Self {
            tau_m_s,
            v_threshold: lif.params.v_threshold,
            v_start: lif.v * exp(-before / tau_m_s),
            start_s,
            dt_s,
        })
    }

    /// The threshold at widths of whole steps from `lo` to `hi` (at most
    /// `CLOSED_FORM_POINTS` of them): between two, a width's threshold is
    /// one of theirs, a stair the figure would draw as a jagged line.
    pub(super) fn at_whole_steps(&self, lo: f64, hi: f64) -> Vec<(f64, f64)> {
        let (first, last) = ((lo / self.dt_s).ceil(), (hi / self.dt_s).floor());
        let stride = ((last - first) / CLOSED_FORM_POINTS as f64).ceil().max(1.0);
        let mut k = first;
        let mut points = Vec::new();
        while k <= last {
            let width = k * self.dt_s;
            points.push((width, self.threshold(width)));
            k += stride;
        }
        points
    }

    /// The threshold amplitude of a pulse `width_s` wide.
    fn threshold(&self, width_s: f64) -> f64 {
        let first = (self.start_s / self.dt_s - 0.5).ceil();
        let end = ((self.start_s + width_s) / self.dt_s - 0.5).ceil();
        let t = (end - first).max(0.0) * self.dt_s;
        let decay = exp(-t / self.tau_m_s);
        (self.v_threshold - self.v_start * decay) / -exp_m1(-t / self.tau_m_s)
    }

    /// The closed form in the figure's legend, in lines that fit it.
    pub(super) fn legend(&self) -> String {
        if self.v_start == 0.0 {
            return self.formula();
        }
        format!(
            "(v_th - v_s e^(-T/tau_m))\n/ (1 - e^(-T/tau_m))\nv_th {}, v_s {}",
            crate::text::exact_number(self.v_threshold),
            six_digits(self.v_start)
        )
    }

    /// The closed form as the summary writes it.
    fn formula(&self) -> String {
        let v_threshold = crate::text::exact_number(self.v_threshold);
        if self.v_start == 0.0 {
            format!("{v_threshold} / (1 - e^(-T/tau_m))")
        } else {
            let sign = if self.v_start < 0.0 { '+' } else { '-' };
            format!(
                "({v_threshold} {sign} {} e^(-T/tau_m)) / (1 - e^(-T/tau_m))",
                six_digits(self.v_start.abs())
            )
        }
    }
}

/// The largest distance of the thresholds found from the closed form,
/// where there is one (`ClosedForm`, or a lone network neuron's bias:
/// `lone_bias`), the closed form and what its T is.
pub(super) fn from_closed_form(
    search: &Threshold,
    found: &[(Option<f64>, f64)],
) -> Option<(f64, String, &'static str)> {
    if let Some((threshold, formula)) = lone_bias(search) {
        let off = found
            .iter()
            .map(|&(_, t)| (t - threshold).abs())
            .reduce(f64::max)?;
        return Some((off, formula, "T the run's duration in whole steps"));
    }
    let c = ClosedForm::of(search)?;
    let preset_width = match search.preset_at(0, search.spec().between[0]).ok()?.stimuli[0]
        .stimulus
        .shape
    {
        Shape::Pulses { width_s, .. } => width_s,
        _ => return None,
    };
    found
        .iter()
        .map(|&(value, threshold)| (threshold - c.threshold(value.unwrap_or(preset_width))).abs())
        .reduce(f64::max)
        .map(|off| (off, c.formula(), "T the pulse's width in whole steps"))
}

/// The bias threshold of a network neuron no weight reaches, its inputs
/// constant, on exact timing (`LoneNeuron`), sought alone: from v0 it
/// reaches 1 by the run's end T where v_in + (v0 - v_in) e^(-T/tau_m) = 1,
/// so at b = (1 - v0 e^(-T/tau_m)) / (1 - e^(-T/tau_m)) - x. The threshold
/// and the formula.
fn lone_bias(search: &Threshold) -> Option<(f64, String)> {
    let spec = search.spec();
    let i = search.neuron();
    if spec.against.is_some() || spec.key.trim() != format!("network.bias[{i}]") {
        return None;
    }
    let scenario = search.preset_at(0, spec.between[0]).ok()?;
    let (meta, sim) = scenario.into_simulation();
    let lone = LoneNeuron::of(&sim, i)?;
    let steps = crate::preset::run_steps(meta.duration_s, meta.dt_s, 1).ok()?;
    let decay = exp(-(steps as f64 * meta.dt_s) / lone.params.tau_m_s);
    let threshold = (1.0 - lone.v0 * decay) / (1.0 - decay) - lone.input;
    let v0 = six_digits(lone.v0);
    let formula = match (lone.v0 == 0.0, lone.input == 0.0) {
        (true, true) => "1 / (1 - e^(-T/tau_m))".to_string(),
        (true, false) => format!("1 / (1 - e^(-T/tau_m)) - x, x {}", six_digits(lone.input)),
        (false, _) => format!(
            "(1 - v0 e^(-T/tau_m)) / (1 - e^(-T/tau_m)) - x, v0 {v0}, x {}",
            six_digits(lone.input)
        ),
    };
    Some((threshold, formula))
}
